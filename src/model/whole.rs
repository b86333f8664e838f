//! One part of a county (or the whole of it) solved from a start (docs/model.md §5), the
//! stages in order: a bound on a core of its own (`bound.rs`, large models on two
//! threads or more), trips by pricing (`price.rs`, large models), the start's LP, RENS
//! (`rens/`), the restricted MILP (alone, or in the race of `race.rs`), and the plan
//! read back per teacher. A model too small for pricing on which HiGHS's search stalls
//! gets those priced stages first, then the whole MILP from their plan (§5 item 8).
//!
//! Contract: returns a plan of the whole model of `ds` (never worse than the start when
//! the start's LP solves), a valid bound of it, and whether the plan is within the
//! requested gap of that bound. Periods are left to `periods.rs`.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use super::build::{self, build_with, Fixing, Milp, Shape};
use super::classes::Classes;
use super::periods::{class_fixing, disaggregate, lp_settings, zero_fixing};
use super::race::{side_by_side_run, StopOnDrop};
use super::solve::{self, ModelStats, SolveStatus, SolverSettings, TreeSearch};
use super::{bound, lns, price, rens, Decisions, Found, ModelError};
use crate::domain::{Dataset, SchoolIx, SubjectIx};

/// Solves the model of `ds` from `start`. With `beside` (a county solved whole, not a
/// part running beside others) a large model gets the relaxation's bound on a core of
/// its own.
pub(super) fn solve(
    ds: &Dataset,
    set: &SolverSettings,
    start: &Decisions,
    beside: bool,
) -> Result<Found, ModelError> {
    solve_with(ds, set, start, beside, Arc::new(Classes::build(ds)))
}

/// `solve` with the classes of `ds` already built (shared with the second stage of RENS,
/// which is built on another thread).
pub(super) fn solve_with(
    ds: &Dataset,
    set: &SolverSettings,
    start: &Decisions,
    beside: bool,
    cl: Arc<Classes>,
) -> Result<Found, ModelError> {
    let started = Instant::now();
    let large = price::trip_columns(&cl) >= price::MIN_TRIP_COLUMNS;
    if large || !stalls(ds, &cl) {
        let pricing = match large {
            true => Pricing::On(RENS_SHARE),
            false => Pricing::Off,
        };
        return solve_as(ds, set, start, beside, cl, pricing);
    }
    // A model solved whole, but large enough that HiGHS's search stalls on it: a search
    // over priced trips first (RENS around the LP, then by community; on one thread in a
    // part beside others), for a share of the time; the whole MILP then goes on from its
    // plan, and its root cuts give the bound. (The shared xiji-county's 10-community part
    // in its 12 s: 305 k, bound 283 k, where improvement by community then the whole MILP
    // reached 407 k, bound 280 k; priced alone, 309 k with the LP's bound of 178 k.)
    let first = SolverSettings {
        time_limit: set.time_limit * PRICED_FIRST,
        threads: if beside { set.threads } else { 1 },
        ..set.clone()
    };
    let found = solve_as(
        ds,
        &first,
        start,
        false,
        cl.clone(),
        Pricing::On(RENS_SHARE_FIRST),
    )?;
    let Some((placement, trip_days)) = found.plan else {
        return solve_as(ds, set, start, beside, cl, Pricing::Off);
    };
    let from = Decisions {
        placement,
        trip_days,
        periods: Vec::new(),
    };
    let rest = SolverSettings {
        time_limit: (set.time_limit - started.elapsed().as_secs_f64()).max(1.0),
        ..set.clone()
    };
    let mut out = solve_as(ds, &rest, &from, beside, cl, Pricing::Off)?;
    out.bound = out.bound.max(found.bound).min(out.objective);
    Ok(out)
}

/// Whether HiGHS's search stalls on the whole model of `ds`: `STALL_INTEGERS` integer
/// columns or more, and communities to improve by.
fn stalls(ds: &Dataset, cl: &Classes) -> bool {
    ds.communities.len() >= 2 && cl.integer_columns() >= STALL_INTEGERS
}

/// Whether `solve_as` prices trips, and if so the share of the time left RENS takes when
/// it does not have it all (`Search::rens`).
#[derive(Clone, Copy)]
enum Pricing {
    Off,
    On(f64),
}

/// The stages of the module doc, with trips by pricing when `pricing` says so.
fn solve_as(
    ds: &Dataset,
    set: &SolverSettings,
    start: &Decisions,
    beside: bool,
    cl: Arc<Classes>,
    pricing: Pricing,
) -> Result<Found, ModelError> {
    let started = Instant::now();
    let (priced, rens_share) = match pricing {
        Pricing::On(share) => (true, share),
        Pricing::Off => (false, RENS_SHARE),
    };
    let bounds = Bounds::spawn(ds, &cl, set, beside && priced && set.threads >= 2, started);
    let set = &SolverSettings {
        floor: bounds.on.then(|| bounds.floor.clone()),
        // A priced model's stages share the threads (the bound, the race).
        tree: if priced { TreeSearch::Narrow } else { set.tree },
        ..set.clone()
    };
    let fix = class_fixing(&cl, &start.placement, &start.trip_days);
    trace(started, "classes and start");
    let priced = match priced {
        true => price::price(ds, &cl, &fix, &short_of(ds, start), set)?,
        false => None,
    };
    trace(started, "pricing");
    if priced.is_none() {
        // The whole model is solved with its own bound; the relaxation's is not used.
        bounds.stop.stop();
    }
    let shape = Shape {
        trips: priced.as_ref().map(|p| &p.trips[..]),
        rounding: priced.is_some(),
        unmet_totals: set.unmet_totals,
        ..Shape::default()
    };
    let start_lp = Instant::now();
    let fixed = build_with(ds, &cl, Some(&fix), shape);
    let start_solved =
        Some(solve::run(fixed, &lp_settings(set), None)?).filter(|s| !s.columns.is_empty());
    trace(started, "the start's LP");
    let search = Search {
        ds,
        cl: &cl,
        set,
        shape,
        priced: priced.as_ref(),
        fix: &fix,
        started,
        // Kept for the per-teacher period LP after the MILP (one class per teacher, so a
        // larger LP), which costs about twice what the start's LP did (L: 1.0 s, 0.45 s).
        tail: 2.0 * start_lp.elapsed().as_secs_f64(),
        bounding: bounds.on,
        bound_stop: bounds.stop.0.clone(),
        rens_share,
    };
    let (solved, layout) = search.run(start_solved)?;
    let mut found = search.found(solved, layout, &bounds);
    // The search is over. The relaxation goes on while the caller has use for it (a
    // part done early while another still searches, `parts.rs`), and stops when the
    // result is settled, before the period LP.
    found.live = bounds.on.then_some(bounds);
    trace(
        started,
        &format!("done: {:.1}, bound {:.1}", found.objective, found.bound),
    );
    Ok(found)
}

/// The relaxation's bound (`bound.rs`) on a thread of its own, raising `floor`; it runs
/// on after the search it bounds has ended until dropped (`Found::settle`).
pub(crate) struct Bounds {
    on: bool,
    floor: Arc<solve::Floor>,
    stop: StopOnDrop,
}

impl Bounds {
    /// What the relaxation has reached so far (−inf before its root LP).
    pub fn bound(&self) -> f64 {
        self.floor.get()
    }

    fn spawn(
        ds: &Dataset,
        cl: &Classes,
        set: &SolverSettings,
        on: bool,
        started: Instant,
    ) -> Bounds {
        let b = Bounds {
            on,
            floor: Arc::new(solve::Floor::default()),
            stop: StopOnDrop(Arc::default()),
        };
        if on {
            let m = bound::model(ds, &bound::relaxed(cl));
            let deadline = started + secs(set.time_limit);
            let log = set.log || std::env::var_os("LUNGANG_SOLVER_LOG").is_some();
            let (f, stop) = (b.floor.clone(), b.stop.0.clone());
            let gate = set.bound_gate.clone();
            // Not joined: told to stop when the result is settled (`Found::settle`), it
            // ends on its own thread (HiGHS looks between its steps, not inside its root
            // LP). Its failure only leaves the bound where pricing puts it.
            std::thread::spawn(move || {
                if gate.is_some_and(|g| !g.wait(&stop)) {
                    return;
                }
                let limit = deadline
                    .saturating_duration_since(Instant::now())
                    .as_secs_f64()
                    .max(1.0);
                if log {
                    eprintln!("[lungang] the relaxation's bound starts, {limit:.1} s left");
                }
                if let Err(e) = bound::raise(m, limit, f, stop, log) {
                    if log {
                        eprintln!("[lungang] the relaxation's bound failed: {e}");
                    }
                }
            });
            trace(started, "the relaxation built");
        }
        b
    }
}

/// Column handles and size of the searched model (RENS's has the same columns).
struct Layout {
    stats: ModelStats,
    x: Vec<Vec<build::Col>>,
    e: Vec<Option<build::Col>>,
    w: Vec<Vec<build::Col>>,
    w_trip: Vec<Vec<usize>>,
    u: BTreeMap<(SchoolIx, SubjectIx), build::Col>,
    shortfalls: Vec<(build::Col, Option<SchoolIx>)>,
}

impl Layout {
    /// The columns improvement by community holds or frees.
    fn columns(&self) -> lns::Columns<'_> {
        lns::Columns {
            x: &self.x,
            e: &self.e,
            w: &self.w,
            w_trip: &self.w_trip,
            u: &self.u,
            shortfalls: &self.shortfalls,
        }
    }

    fn of(m: &Milp) -> Layout {
        Layout {
            stats: solve::stats(m),
            x: m.x.clone(),
            e: m.e.clone(),
            w: m.w.clone(),
            w_trip: m.w_trip.clone(),
            u: m.u.clone(),
            shortfalls: m.shortfalls.clone(),
        }
    }
}

/// RENS kept to race the restricted MILP, with its settings.
type Race = (rens::Rens, SolverSettings);

/// Which of the search's stages run (`Search::stages`).
struct Stages {
    /// RENS alone: the restricted MILP would not see its root LP in the time left.
    rens_only: bool,
    /// RENS races the restricted MILP on threads of their own (`race.rs`).
    side_by_side: bool,
    /// RENS may take all the time left.
    rens_all_time: bool,
    /// RENS only makes a start for a MILP that follows or races it.
    rens_start_only: bool,
    /// Improvement by community follows RENS.
    by_community: bool,
}

/// What the search stages share.
struct Search<'a> {
    ds: &'a Dataset,
    cl: &'a Arc<Classes>,
    set: &'a SolverSettings,
    shape: Shape<'a>,
    priced: Option<&'a price::Priced>,
    /// The start's moves and extensions (RENS's box holds them).
    fix: &'a Fixing,
    started: Instant,
    tail: f64,
    bounding: bool,
    /// Stops the relaxation's bound (`Search::communities_at_once`).
    bound_stop: Arc<AtomicBool>,
    /// RENS's share of the time left when it does not have it all.
    rens_share: f64,
}

impl Search<'_> {
    /// Seconds left for `share` of what remains, the period LP's time kept aside.
    fn left(&self, share: f64) -> f64 {
        let rest = self.set.time_limit - self.tail - self.started.elapsed().as_secs_f64();
        (share * rest).max(1.0)
    }

    /// RENS then the restricted MILP (or both in the race), from the start.
    fn run(&self, start: Option<solve::Solved>) -> Result<(solve::Solved, Layout), ModelError> {
        let plan = self.stages();
        let (mut start, layout, beside) = match self.priced {
            Some(p) => {
                let (start, layout, race) = self.rens_stage(p, &plan, start)?;
                (start, Some(layout), race)
            }
            None => (start, None, None),
        };
        // Then improvement by community: fix all but one community and optimise it.
        if let (Some(l), true) = (&layout, plan.by_community) {
            start = self.by_community(l, start)?;
        }
        if let Some(layout) = layout.filter(|_| self.done(&plan, start.as_ref())) {
            return Ok((start.expect("done only with a start"), layout));
        }
        let milp = build_with(self.ds, self.cl, None, self.shape);
        let layout = Layout::of(&milp);
        let solved = self.restricted(milp, beside, start)?;
        Ok((solved, layout))
    }

    /// Which stages run, from the time left and the threads.
    fn stages(&self) -> Stages {
        // When the time left would not see the restricted MILP through its root LP (L),
        // the RENS search gets all of it instead.
        let rens_only = self
            .priced
            .is_some_and(|p| self.left(1.0) < ROOT_LPS * p.round_seconds);
        // On threads to spare (three, as the bound has one), RENS runs beside the
        // restricted MILP (HiGHS's branch and bound uses one), then the MILP again from
        // its plan. Beside the bound alone, this thread runs that second program: RENS for
        // all the time, then the MILP from its plan. Otherwise RENS first, for a share.
        let side_by_side =
            self.priced.is_some() && !rens_only && self.set.threads >= 2 + self.bounding as usize;
        Stages {
            rens_only,
            side_by_side,
            // Beside the bound, RENS may take all the time: its first stage finds plans
            // that improvement by community reaches slowly, if at all (the shared
            // xiji-county at 60 s: 1.74 M against 2.35 M when it had 40%).
            rens_all_time: rens_only || side_by_side || self.bounding,
            rens_start_only: side_by_side || self.bounding,
            by_community: !(side_by_side || rens_only),
        }
    }

    /// RENS from the last pricing LP: run now (its plan replaces the start when better),
    /// or kept to race the restricted MILP (`Stages::side_by_side`). Unless it has all the
    /// time, RENS takes RENS_SHARE of it; improvement by community follows.
    fn rens_stage(
        &self,
        p: &price::Priced,
        plan: &Stages,
        mut start: Option<solve::Solved>,
    ) -> Result<(Option<solve::Solved>, Layout, Option<Race>), ModelError> {
        let (rens, sub) = self.rens(p, plan, start.as_ref());
        let mut layout = Layout::of(rens.model());
        layout.stats = rens.stats();
        if plan.side_by_side {
            return Ok((start, layout, Some((rens, sub))));
        }
        let r = rens.run(&sub);
        trace(self.started, "RENS");
        match r {
            Ok(r) if r.status != SolveStatus::NoPlan => {
                if start.as_ref().is_none_or(|s| r.objective < s.objective) {
                    start = Some(r);
                }
            }
            Ok(_) | Err(ModelError::Infeasible) => {}
            Err(e) => return Err(e),
        }
        Ok((start, layout, None))
    }

    /// Improvement by community (`lns.rs`) from the start, for all the time left: the
    /// restricted MILP after it rarely improves a plan (seat-county: nothing in 8 s, where
    /// a community gained 0.3% in 2.5 s), and runs only when improvement by community
    /// stops early.
    fn by_community(
        &self,
        layout: &Layout,
        start: Option<solve::Solved>,
    ) -> Result<Option<solve::Solved>, ModelError> {
        let Some(p) = self.priced else {
            return Ok(start);
        };
        let Some(s) = start else {
            return Ok(None);
        };
        let deadline = Instant::now() + secs(self.left(1.0));
        let cols = layout.columns();
        let floor = self.set.floor.clone();
        let bound = move || floor.as_ref().map_or(p.bound, |f| f.get().max(p.bound));
        let width = self.communities_at_once(s.objective, bound());
        let improved = lns::improve(
            self.ds, self.cl, self.shape, &cols, s, self.set, deadline, &bound, &p.rens, &p.lp_at,
            width,
        )?;
        trace(self.started, "by community");
        Ok(Some(improved))
    }

    /// How many communities improvement by community searches at once: two, the core of
    /// the relaxation's bound stopped and taken for the second, when that bound has its
    /// root LP and the plan is more than `FAR` above it, with time for a pair of searches;
    /// else one. A plan that far off is a gap no cut loop closes, so the plan is what a
    /// second search mends (the `enshi` profile's L county, 53% above its bound when the
    /// searches begin, whose cuts raise it by 0.5% in the 30 s left: 45.9% → 40.6%).
    fn communities_at_once(&self, objective: f64, bound: f64) -> usize {
        let root_done = (self.set.floor.as_ref()).is_some_and(|f| f.get() > f64::NEG_INFINITY);
        let far = objective - bound > FAR * objective.abs();
        let time = self.left(1.0) >= 2.0 * lns::SECONDS;
        if !(self.bounding && self.set.threads >= 2 && root_done && far && time) {
            return 1;
        }
        self.bound_stop
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if std::env::var_os("LUNGANG_SOLVER_LOG").is_some() {
            eprintln!("[lungang] the relaxation's bound stops: two communities at once");
        }
        2
    }

    /// Whether the plan so far is the plan: RENS had all the time, the restricted MILP
    /// would not see its root, or (with pricing) the start is already within the gap of
    /// the priced bound.
    fn done(&self, plan: &Stages, start: Option<&solve::Solved>) -> bool {
        let (Some(p), Some(s)) = (self.priced, start) else {
            return false;
        };
        let floor = (self.set.floor.as_ref()).map_or(f64::NEG_INFINITY, |f| f.get());
        let no_time = self.left(1.0) < ROOT_LPS * p.round_seconds;
        plan.rens_only || no_time || within(s.objective, p.bound.max(floor), self.set)
    }

    /// RENS (`rens/`): moves boxed around the last pricing LP, then trip days with those
    /// moves fixed. Its columns are the restricted MILP's, so its plans are that MILP's
    /// plans as they are. From `start` when given (its box holds the start's moves).
    fn rens(
        &self,
        p: &price::Priced,
        plan: &Stages,
        start: Option<&solve::Solved>,
    ) -> (rens::Rens, SolverSettings) {
        let (all_time, start_only) = (plan.rens_all_time, plan.rens_start_only);
        let set = self.set;
        let from = start.map(|s| rens::Start {
            fix: self.fix,
            columns: &s.columns,
        });
        let rens = rens::Rens::new(self.ds, self.cl, p, from);
        // Its own bound is that of a small box, above the priced one: no point stopping
        // at the requested gap of it. Beside the MILP, RENS only makes a start: within
        // half the gap of its box is enough.
        let sub = SolverSettings {
            time_limit: self.left(if all_time { 1.0 } else { self.rens_share }),
            gap: set.gap * if start_only { 0.5 } else { 0.1 },
            abs_gap: None,
            watch: priced_watch(set, p.bound),
            stop_at: Some(stop_at(set, p.bound)),
            // Only beside the bound, where timing decides the plan already: on one
            // thread a run repeats its plan (docs/model.md §5 item 5).
            stall: self.bounding.then_some(RENS_STALL),
            ..set.clone()
        };
        (rens, sub)
    }

    /// The restricted MILP from the best start (with RENS racing beside it when given);
    /// the start is kept when nothing better comes back.
    fn restricted(
        &self,
        milp: Milp,
        beside: Option<Race>,
        start: Option<solve::Solved>,
    ) -> Result<solve::Solved, ModelError> {
        let set = self.set;
        // The race's second MILP, built before the time left is counted.
        let again = beside
            .is_some()
            .then(|| build_with(self.ds, self.cl, None, self.shape));
        // HiGHS judges its gap on the restricted MILP's bound, which is above the priced
        // one (by its cuts, about 0.2% on generated counties): aim a quarter tighter.
        let aim = if self.priced.is_some() {
            PRICED_AIM
        } else {
            1.0
        };
        let rest = SolverSettings {
            time_limit: self.left(1.0),
            gap: set.gap * aim,
            abs_gap: set.abs_gap.map(|a| a * aim),
            watch: match self.priced {
                Some(p) => priced_watch(set, p.bound),
                None => set.watch.clone(),
            },
            // Done as soon as the plan is within the gap of the priced bound, whatever the
            // restricted model's own bound says.
            stop_at: self.priced.map(|p| stop_at(set, p.bound)),
            ..set.clone()
        };
        let start_columns = start.as_ref().map(|s| &s.columns[..]);
        trace(self.started, "MILP built");
        let solved = match (beside, again) {
            (Some((rens, sub)), Some(again)) => {
                side_by_side_run(milp, again, rest, rens, sub, start_columns)?
            }
            _ => solve::run(milp, &rest, start_columns)?,
        };
        trace(self.started, "MILP");
        Ok(match start {
            // The start when nothing better came back (in the race, a RENS plan may be all
            // there is when the MILP failed).
            Some(mut s)
                if solved.status == SolveStatus::NoPlan || s.objective < solved.objective =>
            {
                s.status = SolveStatus::Feasible;
                s.bound = solved.bound.min(s.objective);
                s
            }
            _ => solved,
        })
    }

    /// The plan read back per teacher, with the bound and status judged on the whole
    /// model's bound.
    fn found(&self, solved: solve::Solved, layout: Layout, bounds: &Bounds) -> Found {
        let (ds, cl, set) = (self.ds, self.cl, self.set);
        let mut found = Found {
            status: solved.status,
            objective: solved.objective,
            // A bound below the trivial one (HiGHS's −inf when stopped early) says nothing.
            bound: solved.bound.max(bound::trivial(ds, cl)),
            stats: layout.stats,
            plan: None,
            live: None,
        };
        if let Some(p) = self.priced {
            // The restricted MILP's own bound is not one of the whole model: report the
            // priced LP bound or the relaxation's, and judge the status on it.
            found.bound = p.bound.max(bounds.floor.get()).min(solved.objective);
            if solved.status != SolveStatus::NoPlan {
                found.status = if within(solved.objective, found.bound, set) {
                    SolveStatus::Optimal
                } else {
                    SolveStatus::Feasible
                };
            }
        }
        if solved.status == SolveStatus::NoPlan {
            return found;
        }
        let val = |c: &build::Col| solved.columns[c.ix].round().max(0.0) as u32;
        let mut fixing = zero_fixing(cl);
        fixing.x = layout
            .x
            .iter()
            .map(|v| v.iter().map(val).collect())
            .collect();
        fixing.e = layout.e.iter().map(|c| c.as_ref().map_or(0, val)).collect();
        for (ci, (cols, pos)) in layout.w.iter().zip(&layout.w_trip).enumerate() {
            for (c, &j) in cols.iter().zip(pos) {
                fixing.w[ci][j] = val(c);
            }
        }
        found.plan = Some(disaggregate(ds, cl, &fixing));
        found
    }
}

/// Stop once a plan is within the requested gap of the priced bound.
fn stop_at(set: &SolverSettings, bound: f64) -> solve::StopAt {
    solve::StopAt {
        bound,
        gap: set.gap,
        abs_gap: set.abs_gap.unwrap_or(0.0),
    }
}

/// With LUNGANG_SOLVER_LOG set, a line on stderr saying when a step of a solve ended
/// (seconds since the whole model's solve began): where the time goes.
pub(super) fn trace(started: Instant, step: &str) {
    if std::env::var_os("LUNGANG_SOLVER_LOG").is_some() {
        eprintln!("[lungang {:7.2} s] {step}", started.elapsed().as_secs_f64());
    }
}

/// A plan this far above the relaxation's root LP (a share of its objective) is searched
/// by two communities at once (`Search::communities_at_once`). Above any rise the root's
/// cuts were seen to give: the shared seat-county's relaxation 2.48 M at its root LP,
/// 2.69 M by the end (+8.5%), xiji-county's without equal numbers 0.85 M → 1.07 M (+25%);
/// stopped at its root LP, such a bound would leave a gap the plan cannot close.
const FAR: f64 = 0.3;

/// With pricing, the restricted MILP stops at this share of the requested gap.
const PRICED_AIM: f64 = 0.75;

/// The restricted MILP runs only with this many pricing rounds' time left.
const ROOT_LPS: f64 = 3.0;

/// A model solved whole with this many integer columns gets a priced search before
/// HiGHS's (seat-county's junior part, 9.8k integer columns: 200 nodes in 13 s left it 37%
/// from its bound).
const STALL_INTEGERS: usize = 3000;

/// The share of the time the priced search gets on such a model.
const PRICED_FIRST: f64 = 0.5;

/// Share of the time left that the RENS search may take.
const RENS_SHARE: f64 = 0.4;
/// ... in the priced search before a whole model's MILP (`solve_with`), a part beside
/// others on one core: at 0.4 the shared seat-county's variant (seed 604) gave its junior
/// part's RENS 3 s, its root's cuts were not over, and improvement by community took the
/// start (842 k) to 790 k against a bound of 514 k (the county 8.10% from its bound); at
/// 0.7, 621 k and 2.14%. The other shared counties' small parts and four variants' moved
/// by -0.9 k to +4.6 k (docs/benchmarks.md, thirtieth session).
const RENS_SHARE_FIRST: f64 = 0.7;

/// Beside the relaxation's bound, RENS's first stage ends once it has found nothing
/// better than its start for 20 s, or nothing better than its last plan for 12 s once it
/// has bettered the start, so that its later stages and improvement by community get the
/// rest. On the `pingdingshan` profile's M county its box search found its plan at 15 s
/// and went on to 48 s for nothing (60 s: 1.24% → 0.89%); on the shared mixed-county its
/// plans come further apart than 15 s (stopping then cost 0.3%), at 20 s they all come
/// (docs/benchmarks.md, fourteenth session). Its first plan better than the start can
/// take more than 12 s (the `nanning` profile's L county: 1.57% → 13.2% with 12 s for
/// both), the next come sooner; after it, 12 s left the shared counties' and the
/// generated ones' plans as they were and gave improvement by community the 15 s in
/// which the `enshi` profile's M county mends its shortfalls (3.29% → 1.44%;
/// docs/benchmarks.md, twenty-fourth session).
const RENS_STALL: solve::StallRule = solve::StallRule {
    first: 20.0,
    then: 12.0,
};

fn secs(s: f64) -> std::time::Duration {
    std::time::Duration::try_from_secs_f64(s.max(0.0)).unwrap_or(std::time::Duration::MAX)
}

/// Whether `objective` is within the requested gap of `bound`.
pub(super) fn within(objective: f64, bound: f64, set: &SolverSettings) -> bool {
    let gap = objective - bound;
    gap <= set.gap * objective.abs() + 1e-9 || set.abs_gap.is_some_and(|a| gap <= a + 1e-9)
}

/// (School, subject) pairs a plan leaves to trips or uncovered: demand beyond what the
/// teachers placed at the school teach there.
pub(super) fn short_of(ds: &Dataset, d: &Decisions) -> BTreeMap<(SchoolIx, SubjectIx), u32> {
    let mut left: BTreeMap<(SchoolIx, SubjectIx), u32> = ds
        .demand
        .iter()
        .filter(|r| r.periods > 0)
        .map(|r| ((r.school, r.subject), r.periods))
        .collect();
    for &(t, s, k, p) in &d.periods {
        if d.placement[t.ix()].school(ds.teacher(t).home) == s {
            if let Some(v) = left.get_mut(&(s, k)) {
                *v = v.saturating_sub(p);
            }
        }
    }
    left.retain(|_, v| *v > 0);
    left
}

/// `set`'s watch for a model restricted to priced trips: its plans are plans of the whole
/// model, but its own bound is not a bound of it, so the priced bound (or the relaxation's,
/// when higher) is shown instead.
fn priced_watch(set: &SolverSettings, bound: f64) -> Option<solve::Watch> {
    let floor = set.floor.clone();
    set.watch.clone().map(|w| {
        solve::Watch::new(move |p: solve::Progress| {
            let bound = floor.as_ref().map_or(bound, |f| f.get().max(bound));
            w.report(solve::Progress {
                best: p.best,
                bound: Some(p.best.map_or(bound, |b| b.min(bound))),
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    use super::{Bounds, StopOnDrop};
    use crate::model::solve::Floor;
    use crate::model::Found;

    fn found(objective: f64, bound: f64, floor: &Arc<Floor>, stop: &Arc<AtomicBool>) -> Found {
        Found {
            live: Some(Bounds {
                on: true,
                floor: floor.clone(),
                stop: StopOnDrop(stop.clone()),
            }),
            ..Found::bare(objective, bound)
        }
    }

    /// A result settled takes what the relaxation still running beside it reached (never
    /// above its plan, never below its own bound) and stops that relaxation.
    #[test]
    fn a_settled_result_takes_the_relaxations_bound_and_stops_it() {
        let (floor, stop) = (Arc::new(Floor::default()), Arc::new(AtomicBool::new(false)));
        let mut f = found(100.0, 90.0, &floor, &stop);
        floor.raise(95.0);
        assert!(!stop.load(Ordering::Relaxed), "running until settled");
        f.settle();
        assert_eq!(f.bound, 95.0);
        assert!(f.live.is_none());
        assert!(
            stop.load(Ordering::Relaxed),
            "settling stops the relaxation"
        );

        // Before its root LP the relaxation has −inf: the bound stays.
        let (floor, stop) = (Arc::new(Floor::default()), Arc::new(AtomicBool::new(false)));
        let mut f = found(100.0, 90.0, &floor, &stop);
        f.settle();
        assert_eq!(f.bound, 90.0);
        // Above the plan (within HiGHS's tolerances), the bound is the plan.
        let (floor, stop) = (Arc::new(Floor::default()), Arc::new(AtomicBool::new(false)));
        let mut f = found(100.0, 90.0, &floor, &stop);
        floor.raise(100.5);
        f.settle();
        assert_eq!(f.bound, 100.0);
    }
}
