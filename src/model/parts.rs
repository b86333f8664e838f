//! Independent parts of a county (`decompose.rs`) solved apart, in parallel, and joined
//! (docs/model.md §4).
//!
//! Contract: every part is solved without the county-wide backbone rule (rule 8), the one
//! row that joins them, so the parts' bounds add up to a bound of the whole county; the
//! joined plan is the parts' plans in the whole dataset's indices, and `repair/backbone.rs`
//! mends rule 8 on it. Small parts run side by side, one thread each: after a first pass
//! with a node budget (and a slice of the time left, `slices`), those still open share
//! what is left of gap × (sum of bounds) as an absolute gap, and go on from their
//! first-pass plans (node budgets, unlike time, make the result the same on every
//! machine); beside one that goes on near its share, closed
//! parts are tightened on the idle threads (`tightened`). Large parts (priced,
//! `price.rs`) run one after another with every thread, so each gets the relaxation's
//! bound beside its search; on two threads or more the small parts run on one core
//! beside them (`Group::beside`).
//! When all are done early but the joined plan misses the county's gap, the part furthest
//! from its bound goes on for the time left (`Group::last_pass`).

use std::sync::Arc;

use rayon::prelude::*;

use super::classes::Classes;
use super::solve::{self, SolveStatus, SolverSettings, TreeSearch};
use super::{price, whole, Decisions, Found, ModelError};
use crate::domain::{Dataset, Placement, Restricted, SchoolIx, Share, Trip};

/// Branch-and-bound nodes each part gets before the gap budget is shared out.
const FIRST_PASS_NODES: i64 = 200;
/// Beside the large parts (two threads or more), the small group's share of the time is
/// this many times its teachers' share: it has one core, where the large part has the
/// other for the whole minute and this one after (its relaxation's bound). At its
/// teachers' share the shared seat-county's junior part had 13 s, and RENS's first stage
/// there 2 s, which its root's cuts take: its plan was 362 k in one run and 483 k in the
/// next (2.67% and 7.16% for the county). At 1.5 times: seat-county 2.48% and 2.66%,
/// xiji-county 6.43% and 7.35% (6.83%, 7.89%), enshi-county 1.07% (1.08%), the `parts`
/// profile's L county 0.92% (0.95%); at 2 times the large part's relaxation on that
/// county started with 23 s left, too late for its root LP (25 s): 1.10%
/// (docs/benchmarks.md, twenty-sixth session).
const SMALL_BESIDE_WEIGHT: f64 = 1.5;
/// The last pass (`Group::last_pass`) runs only with this many seconds left.
const LAST_PASS_SECONDS: f64 = 2.0;
/// An open part's second pass counts its unmet periods whole
/// (`SolverSettings::unmet_totals`) when its first pass ended within this many periods'
/// price of its bound: what is left to prove is then whether one more period can be
/// covered, and HiGHS can branch on the count. On six data/xinjian-shaped counties (`generate --preset xinjian`, other seeds)
/// one part's second pass went from 273 s unfinished (95,649 against 94,807) to 55 s;
/// the others within their run-to-run spread. Counted whole from the first pass on, the
/// search changes everywhere and data/xinjian's C09 took 33 s instead of 13
/// (docs/benchmarks.md, fortieth session).
const COUNT_UNMET_BELOW: f64 = 2.0;
/// HiGHS trusts a column's pseudocosts after this many strong-branching calls in an open
/// part's second pass (`SolverSettings::reliable_after`; HiGHS's own is 8): the pass
/// starts from its first pass's plan and spends most of its time proving (data/xinjian's
/// C09: 57% of its LP iterations in strong branching). On data/xinjian and five counties
/// of its preset with other seeds (default gap), HiGHS's LP iterations (the same on every
/// run): 2.00 M in all with 8, 1.84 M with 4 (less on five of six); wall 208.5 s → 192.5 s
/// in one pair of runs; with 2, 203.7 s; with 0, 287.8 s. The first passes keep 8: with 4
/// there, seed 12 took 44% more iterations (docs/benchmarks.md, fortieth session).
const SECOND_PASS_RELIABLE: i32 = 4;
/// An open part's second pass starts only with this many seconds left; else it keeps its
/// first pass. A search started later still runs its least second (and its build) past
/// the time limit: the `community` profile's L county's thirteen second passes ran from
/// 56.6 s to 60.6 s of the minute, and in slower runs to 63-65 s (docs/benchmarks.md,
/// thirty-third session).
const SECOND_PASS_SECONDS: f64 = 1.0;

/// Solves each part from its share of `start` and joins the results: the small parts side
/// by side (one thread each), and the large ones (`price::MIN_TRIP_COLUMNS` trip columns
/// or more) one after another, each with every thread (so the relaxation's bound runs
/// beside its search, `whole.rs`): after the small ones on one thread, beside them on
/// more. The small group gets the share of the time that its teachers are of the county's
/// (`SMALL_BESIDE_WEIGHT` times that beside the large parts); each large part, the share
/// of the time left that its teachers are of those still to plan. (Measured on the shared
/// xiji-county at 60 s: a plan of 1.99 M at 26% from its bound, where the whole
/// county as one model stopped at 2.90 M, 50%, its RENS far from done.)
pub(super) fn solve(
    ds: &Dataset,
    parts: &[Vec<SchoolIx>],
    start: &Decisions,
    set: &SolverSettings,
    left: &(dyn Fn() -> f64 + Sync),
) -> Result<Found, ModelError> {
    let restricted: Vec<Restricted> = parts.iter().map(|p| without_rule_8(ds, p)).collect();
    let classes: Vec<Arc<Classes>> = restricted
        .par_iter()
        .map(|p| Arc::new(Classes::build(&p.dataset)))
        .collect();
    let board = set.watch.clone().map(|w| Board::new(w, parts.len()));
    let watch = |i: usize| board.as_ref().map(|b| b.part(i));
    let group = Group {
        ds,
        restricted: &restricted,
        classes: &classes,
        start,
        set,
        watch: &watch,
    };
    let (large, small): (Vec<usize>, Vec<usize>) = (0..parts.len())
        .partition(|&i| price::trip_columns(&classes[i]) >= price::MIN_TRIP_COLUMNS);
    let mut found = group.all(&small, &large, left)?;
    if let Some((k, out)) = group.last_pass(&mut found, &large, left())? {
        found[k] = out;
    }
    let mut joined = Found::empty(ds);
    for (i, (part, mut out)) in restricted.iter().zip(found).enumerate() {
        out.settle();
        if let Some(b) = &board {
            b.set(i, out.progress());
        }
        joined.add(part, out);
    }
    // Each part's status says whether it met its own target; the whole is judged on the
    // joined gap.
    if joined.status == SolveStatus::Feasible && joined.gap() <= set.gap {
        joined.status = SolveStatus::Optimal;
    }
    Ok(joined)
}

/// The part of `ds` on `schools`, without the county-wide backbone rule (rule 8), so the
/// parts' bounds add up to one of the whole county.
fn without_rule_8(ds: &Dataset, schools: &[SchoolIx]) -> Restricted {
    let mut part = ds.restrict(schools);
    part.dataset.policy.rotation.backbone_min_share = Share::from_f64(0.0).expect("0 is a share");
    part
}

fn secs(s: f64) -> std::time::Duration {
    std::time::Duration::try_from_secs_f64(s.max(0.0)).unwrap_or(std::time::Duration::MAX)
}

/// Parts solved, by their index in the county's parts.
type Parts = Result<Vec<(usize, Found)>, ModelError>;

/// What solving one part needs.
struct Group<'a> {
    ds: &'a Dataset,
    restricted: &'a [Restricted],
    classes: &'a [Arc<Classes>],
    start: &'a Decisions,
    set: &'a SolverSettings,
    watch: &'a (dyn Fn(usize) -> Option<solve::Watch> + Sync),
}

impl Group<'_> {
    /// Every part solved, in the county's order of parts: the small group for the share of
    /// the time its teachers are of the county's (weighted beside the large parts); each
    /// large part for the share of the time left that its teachers are of those still to
    /// plan; the two side by side on two threads or more.
    fn all(
        &self,
        small: &[usize],
        large: &[usize],
        left: &(dyn Fn() -> f64 + Sync),
    ) -> Result<Vec<Found>, ModelError> {
        let teachers = |ids: &[usize]| -> f64 {
            ids.iter()
                .map(|&i| self.restricted[i].teachers.len() as f64)
                .sum::<f64>()
                .max(1.0)
        };
        let n = self.restricted.len();
        let side_by_side = self.set.threads >= 2 && !small.is_empty() && !large.is_empty();
        let weight = if side_by_side {
            SMALL_BESIDE_WEIGHT
        } else {
            1.0
        };
        let share = (weight * teachers(small) / teachers(&(0..n).collect::<Vec<_>>())).min(1.0);
        let until = std::time::Instant::now() + secs(left() * share);
        let small_left = || {
            until
                .saturating_duration_since(std::time::Instant::now())
                .as_secs_f64()
        };
        let large_time = |k: usize| {
            left() * self.restricted[large[k]].teachers.len() as f64 / teachers(&large[k..])
        };
        let (small_found, large_found) = if side_by_side {
            self.beside(small, &small_left, large, &large_time)
        } else {
            let small_found = self.small(small, &small_left, large.is_empty());
            (small_found, self.large(large, self.set, &large_time))
        };
        let mut found: Vec<Option<Found>> = (0..n).map(|_| None).collect();
        for (i, out) in small_found?.into_iter().chain(large_found?) {
            found[i] = Some(out);
        }
        Ok(found
            .into_iter()
            .map(|o| o.expect("every part solved"))
            .collect())
    }

    /// The small parts on one core beside the large parts' search, which gets all the
    /// time; each large part's relaxation bound waits for that core until the small parts
    /// are done. (Otherwise the second core idles while the small parts run: on the shared
    /// xiji-county, seat-county and enshi-county, one small part for the first 12-14 s of
    /// 60.)
    fn beside(
        &self,
        small: &[usize],
        small_left: &(dyn Fn() -> f64 + Sync),
        large: &[usize],
        large_time: &(dyn Fn(usize) -> f64 + Sync),
    ) -> (Parts, Parts) {
        let gate = Arc::new(solve::Gate::default());
        let set = SolverSettings {
            bound_gate: Some(gate.clone()),
            ..self.set.clone()
        };
        std::thread::scope(|scope| {
            let small_done = scope.spawn(|| {
                let one_core = rayon::ThreadPoolBuilder::new().num_threads(1).build();
                let found = match one_core {
                    Ok(pool) => pool.install(|| self.small(small, small_left, false)),
                    Err(_) => self.small(small, small_left, false),
                };
                gate.open();
                found
            });
            let large_found = self.large(large, &set, large_time);
            let small_found = small_done
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (small_found, large_found)
        })
    }

    /// The large parts one after another, each with every thread, part `large[k]` for
    /// `time(k)` seconds.
    fn large(
        &self,
        large: &[usize],
        set: &SolverSettings,
        time: &(dyn Fn(usize) -> f64 + Sync),
    ) -> Parts {
        let mut found = Vec::new();
        for (k, &i) in large.iter().enumerate() {
            let sub = SolverSettings {
                time_limit: time(k),
                watch: (self.watch)(i),
                ..set.clone()
            };
            let mut out = self.one(i, &sub, true)?;
            // The last large part's relaxation may go on beside a last pass (`last_pass`);
            // an earlier one's would take a core from the next part's search.
            if k + 1 < large.len() {
                out.settle();
            }
            found.push((i, out));
        }
        Ok(found)
    }

    /// Part `i` solved whole from its share of the county's start.
    fn one(&self, i: usize, set: &SolverSettings, beside: bool) -> Result<Found, ModelError> {
        let part = &self.restricted[i];
        let start = share_of(self.ds, part, self.start);
        whole::solve_with(&part.dataset, set, &start, beside, self.classes[i].clone())
    }

    /// The small parts side by side: a first pass with a node budget, then the open ones
    /// go on from their plans sharing what is left of the group's gap as absolute gaps.
    /// `alone`: the county has no large part (whose search could run beside the group).
    fn small(&self, ids: &[usize], left: &(dyn Fn() -> f64 + Sync), alone: bool) -> Parts {
        // No restart after the root: on a community-sized part HiGHS's restart repeats the
        // root's cuts and sub-MIPs (26 s of 44 on data/xiji's largest community); without
        // it data/xiji reaches its gap in 58 s instead of 101, data/xinjian in 82 instead
        // of 132 (docs/benchmarks.md, "No restart in small parts").
        let first = SolverSettings {
            max_nodes: Some(FIRST_PASS_NODES),
            restart: false,
            // Nor HiGHS's RENS heuristic: a second pass has it, from the first pass's plan.
            // data/xiji 32 s → 24 s, data/xinjian 30.5 s → 32.5 s (docs/benchmarks.md,
            // "RENS off in the first pass").
            rens: false,
            tree: TreeSearch::Narrow,
            ..self.set.clone()
        };
        // Largest first, each taken by the next free thread: the last part to start is
        // then a short one (data/xiji: 11 parts of 1 to 14 s on two threads).
        let mut order = ids.to_vec();
        order.sort_by_key(|&i| (std::cmp::Reverse(self.classes[i].integer_columns()), i));
        let threads = rayon::current_num_threads();
        let slices = slices(&order, threads, |i| {
            self.classes[i].integer_columns() as f64
        });
        let mut found: Vec<(usize, Found)> = (order.into_iter().zip(slices))
            .par_bridge()
            .map(|(i, slice)| {
                let sub = SolverSettings {
                    time_limit: left() * slice,
                    watch: (self.watch)(i),
                    ..first.clone()
                };
                Ok((i, self.one(i, &sub, false)?))
            })
            .collect::<Result<_, ModelError>>()?;
        found.sort_by_key(|(i, _)| ids.iter().position(|j| j == i));
        let open: Vec<usize> = (0..found.len())
            .filter(|&k| !found[k].1.closed() && found[k].1.plan.is_some())
            .collect();
        if !open.is_empty() && left() >= SECOND_PASS_SECONDS {
            for (k, mut out) in self.second_pass(&found, &open, left, alone)? {
                let was = &mut found[k].1;
                let bound = out.bound.max(was.bound);
                // A closed part tightened keeps its status when the time ran out first.
                if out.plan.is_some() && out.objective <= was.objective {
                    if was.closed() {
                        out.status = SolveStatus::Optimal;
                    }
                    out.bound = bound.min(out.objective);
                    *was = out;
                } else {
                    was.bound = bound.min(was.objective);
                }
            }
        }
        Ok(found)
    }

    /// When every part is done before the time limit but the joined plan is not within the
    /// county's gap (each part is judged on its own: on the `parts` profile's M county
    /// the small part stopped on its share of the time at 1.46% from its bound, and the
    /// large one at 0.99% with 27 s left, joined 1.09%), the part furthest from its bound
    /// (`furthest`) goes on from its plan for the time left, aiming at what the county's
    /// gap leaves it, while the last large part's relaxation (if that part is not the one
    /// going on) raises its bound on the other core. Its plan is taken when better, its
    /// bound when higher.
    fn last_pass(
        &self,
        found: &mut [Found],
        large: &[usize],
        left: f64,
    ) -> Result<Option<(usize, Found)>, ModelError> {
        let objective: f64 = found.iter().map(|o| o.objective).sum();
        let own = Found::own_gap;
        let total: f64 = found.iter().map(own).sum();
        let target = self.set.gap * objective.abs();
        if left < LAST_PASS_SECONDS || total <= target || found.iter().any(|o| o.plan.is_none()) {
            return Ok(None);
        }
        let k = furthest(found);
        // What the county's gap leaves this part; none when the others' gaps alone exceed
        // it, and the part then searches until the time limit.
        let budget = (target - (total - own(&found[k]))).max(0.0);
        let is_large = large.contains(&k);
        // Its own relaxation, if any, starts again with the pass; another part's goes on
        // raising that part's bound on a core of its own.
        found[k].settle();
        let beside = found.iter().any(|o| o.live.is_some());
        let sub = SolverSettings {
            time_limit: left,
            gap: 0.0,
            abs_gap: Some(budget),
            max_nodes: None,
            restart: self.set.restart && is_large,
            watch: (self.watch)(k),
            threads: match beside {
                true => (self.set.threads - 1).max(1),
                false => self.set.threads,
            },
            tree: match beside {
                true => TreeSearch::Narrow,
                false => self.set.tree,
            },
            ..self.set.clone()
        };
        let from = found[k].plan_as_start();
        let part = &self.restricted[k].dataset;
        let mut out = whole::solve_with(part, &sub, &from, is_large, self.classes[k].clone())?;
        let bound = out.bound.max(found[k].bound);
        if out.plan.is_none() || out.objective > found[k].objective {
            out = Found {
                plan: found[k].plan.clone(),
                objective: found[k].objective,
                stats: out.stats,
                status: found[k].status,
                bound,
                live: out.live.take(),
            };
        }
        out.bound = bound.min(out.objective);
        Ok(Some((k, out)))
    }

    /// The open parts (positions `open` of `found`) go on from their plans, sharing the
    /// group's gap as absolute gaps (`share_gap`); a part already within its share keeps
    /// its plan and is not returned. One part going on `alone` has the machine to itself
    /// and searches wide (`TreeSearch::Wide`; data/xinjian's C09: 19.9 s → 15.7 s), unless
    /// closed parts are tightened beside it (`tightened`) on the threads it leaves idle.
    fn second_pass(
        &self,
        found: &[(usize, Found)],
        open: &[usize],
        left: &(dyn Fn() -> f64 + Sync),
        alone: bool,
    ) -> Result<Vec<(usize, Found)>, ModelError> {
        let set = self.set;
        let bound: f64 = found.iter().map(|o| o.1.bound).sum();
        let used: f64 = found
            .iter()
            .filter(|o| o.1.closed())
            .map(|o| o.1.own_gap())
            .sum();
        let budget = (set.gap * bound.abs() - used).max(0.0);
        let parts: Vec<(f64, f64)> = open
            .iter()
            .map(|&k| (found[k].1.objective, found[k].1.own_gap()))
            .collect();
        let goes_on: Vec<(usize, f64)> = open
            .iter()
            .zip(share_gap(&parts, budget))
            .filter_map(|(&k, abs_gap)| Some((k, abs_gap?)))
            .collect();
        let idle = rayon::current_num_threads() > goes_on.len();
        let tighten = match idle {
            true => tightened(found, &goes_on),
            false => Vec::new(),
        };
        let tree = match alone && goes_on.len() == 1 && tighten.is_empty() {
            true => set.tree,
            false => TreeSearch::Narrow,
        };
        // In order: the open parts first, then the closed ones largest gap first, each
        // taken by the next free thread.
        let tasks: Vec<(usize, f64)> = goes_on.into_iter().chain(tighten).collect();
        let mut outs = (tasks.into_iter().enumerate().par_bridge())
            .map(|(n, (k, abs_gap))| {
                let (i, o) = (found[k].0, &found[k].1);
                // Only with time for it (`starts`); a closed part is tightened for a first
                // pass's nodes, so that it cannot run on long after the open parts.
                let nodes = o.closed().then_some(FIRST_PASS_NODES);
                if !starts(o.closed(), left()) {
                    return Ok((n, None));
                }
                let out = self.go_on(i, o, (abs_gap, nodes), tree, left())?;
                Ok((n, Some((k, out))))
            })
            .collect::<Result<Vec<_>, ModelError>>()?;
        outs.sort_by_key(|(n, _)| *n);
        Ok(outs.into_iter().filter_map(|(_, out)| out).collect())
    }

    /// Part `i` searched on from its plan in `o` to an absolute gap, within a node
    /// budget if given. An open part's pass trusts pseudocosts sooner
    /// (`SECOND_PASS_RELIABLE`), and counts its unmet periods whole when its first pass
    /// left less than `COUNT_UNMET_BELOW` periods' price between plan and bound.
    fn go_on(
        &self,
        i: usize,
        o: &Found,
        (abs_gap, max_nodes): (f64, Option<i64>),
        tree: TreeSearch,
        time_limit: f64,
    ) -> Result<Found, ModelError> {
        let part = &self.restricted[i].dataset;
        let open = !o.closed();
        let sub = SolverSettings {
            time_limit,
            gap: 0.0,
            abs_gap: Some(abs_gap),
            max_nodes,
            restart: false,
            tree,
            watch: (self.watch)(i),
            // An open part's pass only: on the `xiji` profile's L county the counts in the
            // closed parts' tightening (a node budget) took it from 0.970% to 0.990%.
            unmet_totals: open
                && o.objective - o.bound < COUNT_UNMET_BELOW * part.policy.weights.unmet,
            reliable_after: open.then_some(SECOND_PASS_RELIABLE),
            ..self.set.clone()
        };
        let from = o.plan_as_start();
        whole::solve_with(part, &sub, &from, false, self.classes[i].clone())
    }
}

/// How many times its share of the time left a part's first pass may take: a slice
/// must not end a first pass that its node budget would (the plan would then depend on
/// the machine's speed): data/xinjian's C09, on one thread, has 0.18 of the weight left
/// when it starts and takes 6-11 s of the minute.
const SLICE_SLACK: f64 = 4.0;

/// Each part's slice of the time left when its first pass starts, parts taken in
/// `order` by the next free thread: its weight's share of the parts not yet started,
/// times the threads and `SLICE_SLACK`, at most all of it. Given all the time left, one
/// slow part per thread ran to the limit while the parts after it waited, and those then
/// each searched their least second past it (the `community` profile's L county, a part
/// per community: the plan written at 65.4-66.0 s; docs/benchmarks.md, thirty-sixth
/// session). The slices depend only on the order, not on which part ends first.
fn slices(order: &[usize], threads: usize, weight: impl Fn(usize) -> f64) -> Vec<f64> {
    let threads = threads as f64;
    let weights: Vec<f64> = order.iter().map(|&i| weight(i).max(1.0)).collect();
    let mut rest: f64 = weights.iter().sum();
    weights
        .iter()
        .map(|w| {
            let slice = (SLICE_SLACK * threads * w / rest).min(1.0);
            rest -= w;
            slice
        })
        .collect()
}

/// Whether a second-pass search of a part starts with `left` seconds: a closed part's
/// (tightened) only with time to search, an open part's with time for its least second.
fn starts(closed: bool, left: f64) -> bool {
    left >= if closed {
        LAST_PASS_SECONDS
    } else {
        SECOND_PASS_SECONDS
    }
}

/// An open part within this many times its share of the group's gap is near: it may
/// stop just short of its share for good (the `xiji` profile's L county: community C09
/// 94.4 k from its bound against a share of 85.7 k, one shortfall that no bound proves),
/// and what the closed parts give up would let it fit.
const NEAR_SHARE: f64 = 2.0;
/// A closed part tightened beside a near one goes on to this fraction of its gap.
const TIGHTEN_TO: f64 = 0.3;

/// The closed parts of `found` (within their relative gap) to tighten beside the parts
/// that go on (`goes_on`: position, share), with the absolute gap each goes on to: when
/// some part goes on within `NEAR_SHARE` of its share, the closed parts largest gap first
/// until what they give up is twice the near parts' excess over their shares (the county
/// at a tenth of the gap in every first pass: xiji L 1.07% → 0.98%, but the `community`
/// profile's L county 0.31% → 1.67%, its first passes 13-24 s; here only a county with a
/// near part pays, on a thread the parts going on leave idle).
fn tightened(found: &[(usize, Found)], goes_on: &[(usize, f64)]) -> Vec<(usize, f64)> {
    let excess: f64 = goes_on
        .iter()
        .map(|&(k, share)| (found[k].1.own_gap(), share))
        .filter(|&(own, share)| own <= NEAR_SHARE * share)
        .map(|(own, share)| (own - share).max(0.0))
        .sum();
    let mut closed: Vec<(usize, f64)> = (found.iter().enumerate())
        .filter(|(_, (_, o))| o.closed() && o.plan.is_some())
        .map(|(k, (_, o))| (k, o.own_gap()))
        .filter(|&(_, own)| own > 0.0)
        .collect();
    closed.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let (mut tighten, mut freed) = (Vec::new(), 0.0);
    for (k, own) in closed {
        if freed >= 2.0 * excess {
            break;
        }
        freed += (1.0 - TIGHTEN_TO) * own;
        tighten.push((k, TIGHTEN_TO * own));
    }
    tighten
}

/// The part furthest from its bound relative to its plan: the one whose search is least
/// done. A part within the requested gap of its bound gains little from more search,
/// however large its plan (the `parts` profile's L county: the large part at 0.997% with
/// 58.7 k from its bound, the small one at 2.86% with 38.1 k; going on with the small one
/// while the large one's relaxation raised its bound took the county from 1.30% to 0.86%,
/// the large one again 1.33%). Ties go to the first.
fn furthest(found: &[Found]) -> usize {
    (0..found.len())
        .max_by(|&a, &b| found[a].gap().total_cmp(&found[b].gap()).then(b.cmp(&a)))
        .expect("parts")
}

/// The absolute gap each open part (objective, own gap) goes on to, out of `budget`: `None`
/// for a part already within its share, which then keeps its plan (data/xiji's C11 ended
/// its first pass 38 from its bound where the closed parts left it 49, and its second
/// pass spent 4.5 s proving what the county's gap did not ask for). The others share the
/// budget those leave, in proportion to their objectives.
fn share_gap(parts: &[(f64, f64)], budget: f64) -> Vec<Option<f64>> {
    let own = |&(_, own): &(f64, f64)| own;
    let proportional = |ids: &[usize], budget: f64| -> Vec<f64> {
        let weight: f64 = ids.iter().map(|&k| parts[k].0.abs()).sum();
        ids.iter()
            .map(|&k| match weight > 0.0 {
                true => budget * parts[k].0.abs() / weight,
                false => budget / ids.len() as f64,
            })
            .collect()
    };
    let all: Vec<usize> = (0..parts.len()).collect();
    let first = proportional(&all, budget);
    let (within, rest): (Vec<usize>, Vec<usize>) =
        all.iter().partition(|&&k| own(&parts[k]) <= first[k]);
    let left = budget - within.iter().map(|&k| own(&parts[k])).sum::<f64>();
    let mut gaps = vec![None; parts.len()];
    for (&k, g) in rest.iter().zip(proportional(&rest, left)) {
        gaps[k] = Some(g);
    }
    gaps
}

/// A county plan in a part's indices (its teachers, its schools).
fn share_of(ds: &Dataset, part: &Restricted, d: &Decisions) -> Decisions {
    let mut local = vec![None; ds.schools.len()];
    for (i, s) in part.schools.iter().enumerate() {
        local[s.ix()] = Some(SchoolIx(i as u32));
    }
    let s = |x: SchoolIx| local[x.ix()].expect("a part holds every school its teachers reach");
    let mut teacher = vec![None; ds.teachers.len()];
    for (i, t) in part.teachers.iter().enumerate() {
        teacher[t.ix()] = Some(crate::domain::TeacherIx(i as u32));
    }
    Decisions {
        placement: part
            .teachers
            .iter()
            .map(|t| map_placement(d.placement[t.ix()], s))
            .collect(),
        trip_days: part
            .teachers
            .iter()
            .map(|t| d.trip_days[t.ix()].iter().map(|j| map_trip(j, s)).collect())
            .collect(),
        periods: d
            .periods
            .iter()
            .filter_map(|&(t, x, k, p)| Some((teacher[t.ix()]?, s(x), k, p)))
            .collect(),
    }
}

fn map_placement(p: Placement, s: impl Fn(SchoolIx) -> SchoolIx) -> Placement {
    match p {
        Placement::Home => Placement::Home,
        Placement::New(h, k) => Placement::New(s(h), k),
        Placement::Extended(h) => Placement::Extended(s(h)),
        Placement::Continuing(h) => Placement::Continuing(s(h)),
    }
}

fn map_trip(trip: &Trip, s: impl Fn(SchoolIx) -> SchoolIx) -> Trip {
    Trip {
        home: s(trip.home),
        stops: trip.stops.iter().map(|&(x, p)| (s(x), p)).collect(),
        ..trip.clone()
    }
}

impl Found {
    /// Whether the part was solved within its target (its relative or absolute gap).
    fn closed(&self) -> bool {
        self.status == SolveStatus::Optimal
    }

    /// Its plan as the start of a search that goes on from it (a part has a plan once a
    /// pass has found one; only those go on).
    fn plan_as_start(&self) -> Decisions {
        let (placement, trip_days) = self.plan.clone().expect("a part going on has a plan");
        Decisions {
            placement,
            trip_days,
            periods: Vec::new(),
        }
    }

    /// Nothing yet: every teacher home, a bound and objective of 0 (the start of a sum).
    fn empty(ds: &Dataset) -> Found {
        Found {
            status: SolveStatus::Optimal,
            objective: 0.0,
            bound: 0.0,
            stats: solve::ModelStats::default(),
            plan: Some((
                vec![Placement::Home; ds.teachers.len()],
                vec![Vec::new(); ds.teachers.len()],
            )),
            live: None,
        }
    }

    /// Adds a part's result, in the whole dataset's indices.
    fn add(&mut self, part: &Restricted, out: Found) {
        self.status = match (self.status, out.status) {
            (SolveStatus::NoPlan, _) | (_, SolveStatus::NoPlan) => SolveStatus::NoPlan,
            (SolveStatus::Feasible, _) | (_, SolveStatus::Feasible) => SolveStatus::Feasible,
            _ => SolveStatus::Optimal,
        };
        self.objective += out.objective;
        self.bound += out.bound;
        self.stats.columns += out.stats.columns;
        self.stats.integer_columns += out.stats.integer_columns;
        self.stats.rows += out.stats.rows;
        let (Some((pp, pt)), Some((placement, trips))) = (out.plan, self.plan.as_mut()) else {
            self.plan = None;
            return;
        };
        let s = |x: SchoolIx| part.schools[x.ix()];
        for (i, &t) in part.teachers.iter().enumerate() {
            placement[t.ix()] = map_placement(pp[i], s);
            trips[t.ix()] = pt[i].iter().map(|j| map_trip(j, s)).collect();
        }
    }

    fn progress(&self) -> solve::Progress {
        solve::Progress {
            best: self.plan.is_some().then_some(self.objective),
            bound: Some(self.bound),
        }
    }
}

/// The parts' latest figures, reported as the county's: a plan when every part has one, a
/// bound when every part has one.
struct Board {
    watch: solve::Watch,
    parts: std::sync::Mutex<Vec<solve::Progress>>,
}

impl Board {
    fn new(watch: solve::Watch, n: usize) -> std::sync::Arc<Self> {
        std::sync::Arc::new(Board {
            watch,
            parts: std::sync::Mutex::new(vec![solve::Progress::default(); n]),
        })
    }

    /// A watch for part `i` that reports the county's totals.
    fn part(self: &std::sync::Arc<Self>, i: usize) -> solve::Watch {
        let board = self.clone();
        solve::Watch::new(move |p| board.set(i, p))
    }

    fn set(&self, i: usize, p: solve::Progress) {
        let total = {
            let Ok(mut parts) = self.parts.lock() else {
                return;
            };
            parts[i] = p;
            let sum =
                |f: fn(&solve::Progress) -> Option<f64>| parts.iter().map(f).sum::<Option<f64>>();
            solve::Progress {
                best: sum(|p| p.best),
                bound: sum(|p| p.bound),
            }
        };
        self.watch.report(total);
    }
}

#[cfg(test)]
mod tests {
    use super::{furthest, share_gap, slices, starts, tightened};
    use crate::model::{Found, SolveStatus};

    #[test]
    fn a_second_pass_starts_only_with_time_for_it() {
        // An open part near the time limit keeps its first pass rather than run past it.
        assert!(!starts(false, 0.5));
        assert!(starts(false, 1.5));
        // A closed part is tightened only with time to search.
        assert!(!starts(true, 1.5));
        assert!(starts(true, 2.5));
    }

    /// A part's slice is its weight's share of the parts not yet started, times the
    /// threads and `SLICE_SLACK` (4), at most all: on one thread, of weights 30, 10, 5, 5
    /// the first takes 4 × 0.6 (all), and so on; of 40 equal parts on two threads the
    /// first takes 8/40 of the time left, the 31st 8/10 and the last ones all of it.
    #[test]
    fn each_part_gets_its_share_of_the_time_left_when_it_starts() {
        let weights = [30.0, 10.0, 5.0, 5.0];
        let one = slices(&[0, 1, 2, 3], 1, |i| weights[i]);
        assert_eq!(one, vec![1.0, 1.0, 1.0, 1.0]);
        let few = slices(&[0, 1, 2, 3], 1, |i| [1.0, 9.0, 30.0, 60.0][i]);
        assert_eq!(few[0], 0.04, "a small part first gets 4 × its 1%");
        let many = slices(&(0..40).collect::<Vec<_>>(), 2, |_| 1.0);
        assert_eq!(many[0], 0.2, "two threads, forty equal parts");
        assert_eq!(many[30], 0.8);
        assert_eq!(many[39], 1.0, "the last part has all that is left");
    }

    /// The last pass goes to the part furthest from its bound relative to its plan, not to
    /// the one with most to prove (the `parts` profile's L county, 60 s).
    #[test]
    fn the_last_pass_goes_to_the_part_least_done() {
        let large = Found::bare(5_882_088.5, 5_823_419.1); // 58.7 k, 1.0%
        let small = Found::bare(1_331_413.1, 1_293_362.2); // 38.1 k, 2.9%
        assert_eq!(furthest(&[large, small]), 1);
        // Equal gaps: the first.
        assert_eq!(
            furthest(&[Found::bare(200.0, 100.0), Found::bare(100.0, 50.0)]),
            0
        );
    }

    #[test]
    fn a_part_within_its_share_keeps_its_plan_and_leaves_the_rest_to_the_others() {
        // Shares of 12 by objective: 4 and 8. The second is 5 from its bound, within its 8;
        // the first goes on with the 12 − 5 the second leaves.
        assert_eq!(
            share_gap(&[(100.0, 10.0), (200.0, 5.0)], 12.0),
            vec![Some(7.0), None]
        );
        // Both within: nobody goes on.
        assert_eq!(
            share_gap(&[(100.0, 1.0), (200.0, 1.0)], 12.0),
            vec![None, None]
        );
        // Neither within: shares in proportion to the objectives.
        assert_eq!(
            share_gap(&[(100.0, 20.0), (300.0, 50.0)], 8.0),
            vec![Some(2.0), Some(6.0)]
        );
    }

    /// A part that closed in its first pass, `own` from its bound.
    fn closed(objective: f64, own: f64) -> Found {
        let mut f = Found::bare(objective, objective - own);
        f.status = SolveStatus::Optimal;
        f.plan = Some((Vec::new(), Vec::new()));
        f
    }

    #[test]
    fn closed_parts_are_tightened_only_beside_a_part_near_its_share() {
        // The `xiji` profile's L county: C09 94,358 from its bound, its share 85,667.
        let found = vec![
            (0, Found::bare(369_168.0, 369_168.0 - 94_358.0)),
            (1, closed(217_280.0, 1_931.0)),
            (2, closed(1_172_047.0, 4_046.0)),
            (3, closed(349_275.0, 3_418.0)),
            (4, closed(100_000.0, 0.0)),
        ];
        // 8,691 over: largest gap first until 0.7 of theirs is twice that; all of them
        // here but the one with nothing to give.
        let all = tightened(&found, &[(0, 85_667.0)]);
        let to = |own: f64| own * super::TIGHTEN_TO;
        assert_eq!(
            all,
            vec![(2, to(4_046.0)), (3, to(3_418.0)), (1, to(1_931.0))]
        );
        // 1,358 over: the largest alone gives up 2,832, more than twice that.
        let one = tightened(&found, &[(0, 93_000.0)]);
        assert_eq!(one, vec![(2, to(4_046.0))]);
        // A part more than twice its share from its bound (data/xinjian's C09: 5,322
        // against 43) is left to its own search.
        assert!(tightened(&found, &[(0, 40_000.0)]).is_empty());
    }
}
