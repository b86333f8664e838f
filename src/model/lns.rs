//! Improvement by community (fix and optimise, docs/model.md §5): the restricted model
//! with every class but those of one community held at the incumbent plan, that
//! community's moves, extensions and trip days free. The rules that make a priced model
//! hard (quotas, equal numbers each way, members no worse off, requests) are each inside
//! one community, so such a neighbourhood is where a plan breaking one can be mended, and
//! it is a small MILP: HiGHS's presolve drops the held columns.
//!
//! Contract: `improve` returns a plan of the restricted model no worse than `incumbent`
//! (HiGHS starts from it), within `deadline`; communities are visited worst first (the
//! incumbent's shortfalls and weighted unmet periods at their schools, above the last
//! pricing LP's there), round after round while a round improves the plan by more than
//! a hair. Once one community's search runs out its time unproved (or from the first,
//! two at once), the later ones are searched first inside RENS's box (`around`, widened
//! to hold the incumbent): a neighbourhood too big to search whole in its time is
//! searched where the LP points. With `width` 2 (a core to spare), communities are
//! searched two at once from the same plan and their plans joined. A heuristic: it
//! proves nothing.

use std::collections::BTreeMap;
use std::time::Instant;

use super::build::{build_with, Boxes, Col, Milp, Shape};
use super::classes::Classes;
use super::solve::{self, SolveStatus, Solved, SolverSettings};
use super::ModelError;
use crate::domain::{Dataset, SchoolIx, SubjectIx};

/// A neighbourhood's MILP stops within this relative gap of its own bound.
const GAP: f64 = 1e-3;
/// ... or after this many seconds. HiGHS finds a neighbourhood's plans by its root
/// heuristics, after the root's cut rounds: on the `enshi` profile's M county the worst
/// community's first better plan came at 4.1 s and its best at 9 s, so at 3 s it gained
/// nothing (60 s: 5.15% → 3.29% at 6 s; L 51.7% → 46.8%; nanning L, pingdingshan L
/// and seat-county the same plans, xinjian L a better one; seat-county's small part's
/// bound 2.5% lower, its MILP left 0.6 s less: docs/benchmarks.md).
pub(super) const SECONDS: f64 = 6.0;
/// ... or this many, for a community where the incumbent breaks a rule: mending one
/// shortfall is worth a minute's worth of unmet periods elsewhere, and takes the MILP
/// longer (the `enshi` profile's M county: community C18 gained 5.50 → 5.10 M in 6 s,
/// → 5.00 M in 10 s).
const SHORT_SECONDS: f64 = 10.0;
/// A round that improves the plan by less than this share ends the search.
const HAIR: f64 = 1e-5;

/// Column handles of the restricted model, to hold classes at the incumbent and read
/// where it falls short.
pub(super) struct Columns<'a> {
    pub x: &'a [Vec<Col>],
    pub e: &'a [Option<Col>],
    pub w: &'a [Vec<Col>],
    pub w_trip: &'a [Vec<usize>],
    pub u: &'a BTreeMap<(SchoolIx, SubjectIx), Col>,
    pub shortfalls: &'a [(Col, Option<SchoolIx>)],
}

/// Fix-and-optimise by community from `incumbent` (a column vector of the model of
/// `shape`) until `deadline`, or until the plan is within the requested gap of `bound`;
/// `around` is RENS's box about the last pricing LP and `lp_at` that LP's cost at each
/// school (`cost_at_schools`); `width` communities at once.
#[allow(clippy::too_many_arguments)]
pub(super) fn improve(
    ds: &Dataset,
    cl: &Classes,
    shape: Shape,
    cols: &Columns,
    mut incumbent: Solved,
    set: &SolverSettings,
    deadline: Instant,
    bound: &dyn Fn() -> f64,
    around: &Boxes,
    lp_at: &[f64],
    width: usize,
) -> Result<Solved, ModelError> {
    let left = || {
        deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    };
    let close = |o: f64| o - bound() <= set.gap * o.abs();
    let search = Neighbourhood {
        ds,
        cl,
        shape,
        cols,
        set,
        around,
    };
    // Whole neighbourhoods until one runs out its time unproved; then each community's
    // search starts inside `around` (the `enshi` profile's L county: 0.5-1.2 M a step
    // inside, against 0 to 0.8 M whole, whose 6 s end in the root's cuts). Two at once
    // (a plan far above its bound, `whole::FAR`) start inside: there the first pair's
    // whole searches were all the time it had, for nothing (C12 and C10, 13.80 M; inside,
    // 13.07 M).
    let mut narrow_first = width >= 2;
    loop {
        let round_start = incumbent.objective;
        for pair in order(ds, cols, &incumbent, lp_at).chunks(width.max(1)) {
            if left() < 1.0 || close(incumbent.objective) {
                return Ok(incumbent);
            }
            let short = pair.iter().any(|w| w.short);
            let secs = left().min(if short { SHORT_SECONDS } else { SECONDS });
            let coms: Vec<usize> = pair.iter().map(|w| w.com).collect();
            let (better, slow) = search.side_by_side(&coms, incumbent, secs, narrow_first)?;
            incumbent = better;
            narrow_first |= slow && secs >= SECONDS;
        }
        if round_start - incumbent.objective <= HAIR * round_start.abs() {
            return Ok(incumbent);
        }
    }
}

/// What one community's search needs.
struct Neighbourhood<'a> {
    ds: &'a Dataset,
    cl: &'a Classes,
    shape: Shape<'a>,
    cols: &'a Columns<'a>,
    set: &'a SolverSettings,
    around: &'a Boxes,
}

impl Neighbourhood<'_> {
    /// The communities of `pair` searched at once from `incumbent`, one thread each, and
    /// their plans joined: each community's moves, extensions and trip days from its own
    /// search, the periods solved again (`join`). The joined plan when it is the best,
    /// else the better of the two; and whether a whole neighbourhood ran out its time.
    fn side_by_side(
        &self,
        pair: &[usize],
        incumbent: Solved,
        secs: f64,
        narrow_first: bool,
    ) -> Result<(Solved, bool), ModelError> {
        if pair.len() == 1 {
            return self.community(pair[0], incumbent, secs, narrow_first);
        }
        let (better, slow) = self.apart(pair, &incumbent, secs, narrow_first)?;
        let best = (better.iter().map(|(_, s)| s))
            .min_by(|a, b| a.objective.total_cmp(&b.objective))
            .cloned();
        let Some(best) = best else {
            return Ok((incumbent, slow));
        };
        if better.len() < 2 {
            return Ok((best, slow));
        }
        match self.join(&incumbent, &better)? {
            Some(joined) if joined.objective < best.objective => {
                if std::env::var_os("LUNGANG_SOLVER_LOG").is_some() {
                    eprintln!("[lungang] communities joined: {:.1}", joined.objective);
                }
                Ok((joined, slow))
            }
            _ => Ok((best, slow)),
        }
    }

    /// Each community of `pair` searched on a thread of its own from `incumbent`: the
    /// better plans found, by community, and whether a whole neighbourhood ran out its time.
    fn apart(
        &self,
        pair: &[usize],
        incumbent: &Solved,
        secs: f64,
        narrow_first: bool,
    ) -> Result<(Vec<(usize, Solved)>, bool), ModelError> {
        let one = SolverSettings {
            threads: 1,
            ..self.set.clone()
        };
        let alone = Neighbourhood { set: &one, ..*self };
        let found: Vec<Result<(Solved, bool), ModelError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (pair.iter())
                .map(|&com| {
                    let (alone, from) = (&alone, incumbent.clone());
                    scope.spawn(move || alone.community(com, from, secs, narrow_first))
                })
                .collect();
            (handles.into_iter())
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let (mut better, mut slow) = (Vec::new(), false);
        for (&com, f) in pair.iter().zip(found) {
            let (s, ran_out) = f?;
            slow |= ran_out;
            if s.objective < incumbent.objective {
                better.push((com, s));
            }
        }
        Ok((better, slow))
    }

    /// `incumbent` with each community's moves, extensions and trip days from its plan in
    /// `plans`, the periods solved again with every decision held there; none when HiGHS
    /// finds no plan. The two plans can pull apart where their trips meet (a stop both
    /// communities' 走教 served), so the joined objective is solved, not added up.
    fn join(
        &self,
        incumbent: &Solved,
        plans: &[(usize, Solved)],
    ) -> Result<Option<Solved>, ModelError> {
        let mut values = incumbent.columns.clone();
        for (com, s) in plans {
            let ours = |&ci: &usize| homed_in(self.ds, self.cl, ci, *com);
            for ci in (0..self.cl.classes.len()).filter(ours) {
                let cols = (self.cols.x[ci].iter())
                    .chain(self.cols.e[ci].iter())
                    .chain(self.cols.w[ci].iter());
                for c in cols {
                    values[c.ix] = s.columns[c.ix];
                }
            }
        }
        // No community has the index usize::MAX: every decision is held, and what is left
        // is an LP over the periods, well inside a neighbourhood's time.
        let held = hold_all_but(self.ds, self.cl, self.cols, &values, usize::MAX, None);
        Ok(self
            .run_boxed(&held, &values, SECONDS)?
            .filter(|s| s.status != SolveStatus::NoPlan)
            .map(|s| Solved {
                status: SolveStatus::Feasible,
                bound: incumbent.bound,
                ..s
            }))
    }

    /// The restricted model inside `boxes`, from `start`, for `secs` at the
    /// neighbourhoods' gap; none when HiGHS finds it infeasible.
    fn run_boxed(
        &self,
        boxes: &Boxes,
        start: &[f64],
        secs: f64,
    ) -> Result<Option<Solved>, ModelError> {
        let m: Milp = build_with(
            self.ds,
            self.cl,
            None,
            Shape {
                boxes: Some(boxes),
                ..self.shape
            },
        );
        let sub = SolverSettings {
            time_limit: secs,
            gap: GAP,
            abs_gap: None,
            watch: None,
            stop_at: None,
            max_nodes: None,
            ..self.set.clone()
        };
        match solve::run(m, &sub, Some(start)) {
            Ok(s) => Ok(Some(s)),
            Err(ModelError::Infeasible) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Community `com` searched for `secs` from `incumbent`: with `narrow_first`, inside
    /// `around` first, then (when that search proves its box and time is left) the whole
    /// neighbourhood. Also whether the whole neighbourhood's search ran out its time
    /// unproved.
    fn community(
        &self,
        com: usize,
        incumbent: Solved,
        secs: f64,
        narrow_first: bool,
    ) -> Result<(Solved, bool), ModelError> {
        let started = Instant::now();
        let incumbent = if narrow_first {
            let inside = self.boxes(com, &incumbent, Some(self.around));
            let (better, proved) = self.search((com, "RENS's box"), &inside, incumbent, secs)?;
            if !proved {
                return Ok((better, false));
            }
            better
        } else {
            incumbent
        };
        let rest = secs - started.elapsed().as_secs_f64();
        if rest < 1.0 {
            return Ok((incumbent, false));
        }
        let whole = self.boxes(com, &incumbent, None);
        let (better, proved) = self.search((com, "whole"), &whole, incumbent, rest)?;
        Ok((better, !proved))
    }

    /// Community `com`'s neighbourhood about `incumbent` (`hold_all_but`).
    fn boxes(&self, com: usize, incumbent: &Solved, inside: Option<&Boxes>) -> Boxes {
        hold_all_but(self.ds, self.cl, self.cols, &incumbent.columns, com, inside)
    }

    /// The MILP of `boxes` from `incumbent` for `secs`: the better plan, and whether the
    /// search proved its box within GAP. `what`: the community and its box, for the log.
    fn search(
        &self,
        (com, what): (usize, &str),
        boxes: &Boxes,
        incumbent: Solved,
        secs: f64,
    ) -> Result<(Solved, bool), ModelError> {
        let Some(s) = self.run_boxed(boxes, &incumbent.columns, secs)? else {
            return Ok((incumbent, false));
        };
        let proved = s.status == SolveStatus::Optimal;
        if s.status == SolveStatus::NoPlan || s.objective >= incumbent.objective {
            return Ok((incumbent, proved));
        }
        if std::env::var_os("LUNGANG_SOLVER_LOG").is_some() {
            eprintln!(
                "[lungang] community {} ({what}): {:.1} -> {:.1}",
                self.ds.communities[com].id, incumbent.objective, s.objective
            );
        }
        let better = Solved {
            status: SolveStatus::Feasible,
            bound: incumbent.bound,
            ..s
        };
        Ok((better, proved))
    }
}

/// A community in the order it is searched: whether the incumbent breaks a rule at one
/// of its schools.
struct Worst {
    com: usize,
    short: bool,
}

/// Communities, worst first: by how far the incumbent's rule shortfalls and weighted
/// unmet periods at their schools are above the last pricing LP's there (`lp_at`, per
/// school; ties by index). A community the LP also leaves dear has little to gain. Against
/// the order by cost alone, one 60 s run each: the `enshi` profile's M county 3.29 →
/// 1.35%, enshi-county 1.51 → 1.25%, mixed-county 5.16 → 4.07%, seat-county 3.70 →
/// 2.64%, nanning L 1.60 → 1.54%; xiji-county 6.80 → 6.87%, pingdingshan L and xiji L
/// the same plans.
fn order(ds: &Dataset, cols: &Columns, incumbent: &Solved, lp_at: &[f64]) -> Vec<Worst> {
    let cost = cost_at_schools(ds, cols.u, cols.shortfalls, &incumbent.columns);
    let mut short = vec![false; ds.schools.len()];
    for &(c, at) in cols.shortfalls {
        if let Some(s) = at {
            short[s.ix()] |= incumbent.columns[c.ix] > 1e-6;
        }
    }
    let mut worst: Vec<(f64, Worst)> = ds
        .communities
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let schools = || c.core.iter().chain(&c.members);
            let lp = |s: &SchoolIx| lp_at.get(s.ix()).copied().unwrap_or(0.0);
            let above: f64 = schools().map(|s| cost[s.ix()] - lp(s)).sum();
            let short = schools().any(|s| short[s.ix()]);
            (above, Worst { com: i, short })
        })
        .collect();
    worst.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.com.cmp(&b.1.com)));
    worst.into_iter().map(|(_, w)| w).collect()
}

/// Weighted unmet periods and rule shortfalls at each school, of `values` (a plan's or an
/// LP's) over a model whose unmet and shortfall columns are `u` and `shortfalls`.
pub(super) fn cost_at_schools(
    ds: &Dataset,
    u: &BTreeMap<(SchoolIx, SubjectIx), Col>,
    shortfalls: &[(Col, Option<SchoolIx>)],
    values: &[f64],
) -> Vec<f64> {
    let w = &ds.policy.weights;
    let mut cost = vec![0.0; ds.schools.len()];
    for (&(s, k), c) in u {
        cost[s.ix()] += w.unmet * ds.unmet_mult(s, k) * values[c.ix];
    }
    for &(c, at) in shortfalls {
        if let Some(s) = at {
            cost[s.ix()] += w.violation * values[c.ix];
        }
    }
    cost
}

/// Whether class `ci`'s teachers are homed in community `com`.
fn homed_in(ds: &Dataset, cl: &Classes, ci: usize, com: usize) -> bool {
    ds.school(cl.classes[ci].home).community.map(|c| c.ix()) == Some(com)
}

/// Boxes holding every class at `values` but those homed in community `com`, whose moves
/// and extensions are free, or with `inside`, kept in its box widened to hold `values`.
fn hold_all_but(
    ds: &Dataset,
    cl: &Classes,
    cols: &Columns,
    values: &[f64],
    com: usize,
    inside: Option<&Boxes>,
) -> Boxes {
    let free = |ci: usize| homed_in(ds, cl, ci, com);
    let value = |c: &Col| values[c.ix].round().max(0.0) as u32;
    let at = |c: &Col| (value(c), value(c));
    let any = (0, u32::MAX);
    let freed = |c: &Col, b: Option<(u32, u32)>| {
        b.map_or(any, |(lo, hi)| (lo.min(value(c)), hi.max(value(c))))
    };
    Boxes {
        x: (cols.x.iter().enumerate())
            .map(|(ci, v)| {
                (v.iter().enumerate())
                    .map(|(m, c)| match free(ci) {
                        true => freed(c, inside.map(|b| b.x[ci][m])),
                        false => at(c),
                    })
                    .collect()
            })
            .collect(),
        e: (cols.e.iter().enumerate())
            .map(|(ci, c)| match c {
                Some(c) if free(ci) => freed(c, inside.map(|b| b.e[ci])),
                Some(c) => at(c),
                None => any,
            })
            .collect(),
        w: cl
            .classes
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let n = c.trips.map_or(0, |t| cl.trip_tables[t].len());
                let mut b = vec![if free(ci) { any } else { (0, 0) }; n];
                for (col, &j) in cols.w[ci].iter().zip(&cols.w_trip[ci]) {
                    if !free(ci) {
                        b[j] = at(col);
                    }
                }
                b
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build::build;

    /// The county the tests search: 30 schools, 900 teachers, and its model.
    fn county() -> (Dataset, Classes, Milp) {
        let ds = crate::testing::county(30, 900, 11);
        let cl = Classes::build(&ds);
        let m = build(&ds, &cl, None);
        (ds, cl, m)
    }

    fn columns(m: &Milp) -> Columns<'_> {
        Columns {
            x: &m.x,
            e: &m.e,
            w: &m.w,
            w_trip: &m.w_trip,
            u: &m.u,
            shortfalls: &m.shortfalls,
        }
    }

    /// `f` given the test county, its model and a searcher of its neighbourhoods on
    /// `threads` threads (RENS's box holds every move at 0: the tests do not use it).
    fn with_hood<R>(
        threads: usize,
        f: impl FnOnce(&Dataset, &Classes, &Milp, &Neighbourhood) -> R,
    ) -> R {
        let (ds, cl, m) = county();
        let cols = columns(&m);
        let set = SolverSettings::new(60.0, 1e-6, threads);
        let around = Boxes::of(&m.x, &m.e, |_| (0, 0), Vec::new());
        let hood = Neighbourhood {
            ds: &ds,
            cl: &cl,
            shape: Shape::default(),
            cols: &cols,
            set: &set,
            around: &around,
        };
        f(&ds, &cl, &m, &hood)
    }

    /// The plan of `columns`' decisions, its periods solved again: `columns` joined with
    /// no community's plan.
    fn again(hood: &Neighbourhood, columns: Vec<f64>) -> Solved {
        let from = Solved {
            status: SolveStatus::Feasible,
            columns,
            objective: f64::INFINITY,
            bound: f64::NEG_INFINITY,
            seconds: 0.0,
        };
        hood.join(&from, &[]).unwrap().expect("a plan")
    }

    /// Two communities' plans joined: each community's decisions come from its own plan,
    /// every other class keeps the incumbent's, and the objective is that of the union
    /// solved directly (not the two gains added up).
    #[test]
    fn two_communities_plans_are_joined_each_from_its_own() {
        with_hood(1, |ds, cl, m, hood| {
            let plan = |values: Vec<f64>| again(hood, values);
            let moving = |com: usize| {
                (0..m.x.len())
                    .find(|&ci| homed_in(ds, cl, ci, com) && !m.x[ci].is_empty())
                    .expect("a class that may move")
            };
            let (a, b) = (m.x[moving(0)][0].ix, m.x[moving(1)][0].ix);
            let nobody = plan(vec![0.0; m.vars.len()]);
            let with = |ixs: &[usize]| {
                let mut v = vec![0.0; m.vars.len()];
                ixs.iter().for_each(|&i| v[i] = 1.0);
                plan(v)
            };
            let (plan_a, plan_b, both) = (with(&[a]), with(&[b]), with(&[a, b]));

            let joined = hood
                .join(&nobody, &[(0, plan_a.clone()), (1, plan_b)])
                .unwrap()
                .expect("a joined plan");
            assert_eq!((joined.columns[a], joined.columns[b]), (1.0, 1.0));
            let moved = |s: &Solved| {
                (m.x.iter().flatten())
                    .filter(|c| s.columns[c.ix] > 0.5)
                    .count()
            };
            assert_eq!(moved(&joined), 2, "only the two communities' moves");
            assert!((joined.objective - both.objective).abs() < 1e-6 * both.objective.abs());
            assert!(
                (joined.objective - plan_a.objective).abs() > 1e-6,
                "the test moves something"
            );
        });
    }

    /// Two communities at a time from a plan where nobody moves: the plan improves, and
    /// its decisions, solved again, cost no more than `improve` reports (the report is a
    /// plan, not a sum of two communities' gains).
    #[test]
    fn communities_two_at_once_improve_a_plan_they_report_truly() {
        with_hood(2, |ds, cl, m, hood| {
            let again = |columns: Vec<f64>| again(hood, columns);
            let nobody = again(vec![0.0; m.vars.len()]);
            let deadline = Instant::now() + std::time::Duration::from_secs(8);
            let (start, bound) = (nobody.objective, || f64::NEG_INFINITY);
            let shape = Shape::default();
            let (cols, set, around) = (hood.cols, hood.set, hood.around);
            let better = improve(
                ds,
                cl,
                shape,
                cols,
                nobody,
                set,
                deadline,
                &bound,
                around,
                &[],
                2,
            );
            let better = better.unwrap();
            assert!(
                better.objective < start,
                "{} against {start}",
                better.objective
            );
            let (solved, reported) = (again(better.columns.clone()).objective, better.objective);
            assert!(
                solved <= reported + 1e-6 * reported.abs(),
                "{solved} against {reported}"
            );
        });
    }

    /// A plan of the given column values (its objective unused).
    fn plan_of(columns: Vec<f64>) -> Solved {
        Solved {
            status: SolveStatus::Feasible,
            columns,
            objective: 0.0,
            bound: 0.0,
            seconds: 0.0,
        }
    }

    /// A community whose school breaks a rule in the incumbent is searched first, and
    /// marked for the longer search; the others are not.
    #[test]
    fn a_community_breaking_a_rule_comes_first_marked() {
        let (ds, _, m) = county();
        let cols = columns(&m);
        let (col, school) = (m.shortfalls.iter())
            .find_map(|&(c, at)| at.map(|s| (c, s)))
            .expect("a rule kept at a school");
        let com = ds.school(school).community.expect("in a community").ix();
        let mut columns = vec![0.0; m.vars.len()];
        columns[col.ix] = 1.0;
        let incumbent = plan_of(columns);
        let worst = order(&ds, &cols, &incumbent, &[]);
        assert_eq!(worst.len(), ds.communities.len());
        assert_eq!((worst[0].com, worst[0].short), (com, true));
        assert!(worst[1..].iter().all(|w| !w.short));
    }

    /// The community furthest above the LP comes first, though another costs more: one
    /// whose unmet periods the LP leaves as they are has nothing to gain.
    #[test]
    fn the_community_furthest_above_the_lp_comes_first() {
        let (ds, _, m) = county();
        let cols = columns(&m);
        let com_of = |s: SchoolIx| ds.school(s).community.map(|c| c.ix());
        let (&(a, _), &ca) =
            m.u.iter()
                .find(|(k, _)| com_of(k.0) == Some(0))
                .expect("C0");
        let (&(b, _), &cb) =
            m.u.iter()
                .find(|(k, _)| com_of(k.0) == Some(1))
                .expect("C1");
        let mut columns = vec![0.0; m.vars.len()];
        columns[ca.ix] = 10.0;
        columns[cb.ix] = 4.0;
        let incumbent = plan_of(columns);
        let cost = cost_at_schools(&ds, cols.u, cols.shortfalls, &incumbent.columns);
        assert!(cost[a.ix()] > cost[b.ix()], "community 0 costs more");
        assert_eq!(
            order(&ds, &cols, &incumbent, &[])[0].com,
            0,
            "by cost alone"
        );
        // The LP leaves community 0's school as dear as the incumbent does.
        let mut lp_at = vec![0.0; ds.schools.len()];
        lp_at[a.ix()] = cost[a.ix()];
        let worst = order(&ds, &cols, &incumbent, &lp_at);
        assert_eq!(worst[0].com, 1);
    }

    /// One community's moves are free (or, inside a box, its box widened to hold the
    /// incumbent); every other class is held at the incumbent.
    #[test]
    fn a_community_is_freed_inside_the_box_widened_to_hold_the_incumbent() {
        let (ds, cl, m) = county();
        let cols = columns(&m);
        let com = |ci: usize| ds.school(cl.classes[ci].home).community.map(|c| c.ix());
        let free = (0..m.x.len())
            .find(|&ci| com(ci) == Some(0) && m.x[ci].len() >= 2)
            .expect("a class of community 0 with two moves");
        let held = (0..m.x.len())
            .find(|&ci| com(ci) != Some(0) && !m.x[ci].is_empty())
            .expect("a class elsewhere with a move");
        let mut values = vec![0.0; m.vars.len()];
        values[m.x[free][0].ix] = 1.0;
        values[m.x[held][0].ix] = 1.0;
        let mut around = Boxes::of(&m.x, &m.e, |_| (0, 0), Vec::new());
        around.x[free][1] = (1, 2);

        let inside = hold_all_but(&ds, &cl, &cols, &values, 0, Some(&around));
        assert_eq!(
            inside.x[free][0],
            (0, 1),
            "the box widened to the incumbent's move"
        );
        assert_eq!(
            inside.x[free][1],
            (0, 2),
            "the box widened to the incumbent's 0"
        );
        assert_eq!(inside.x[held][0], (1, 1));
        let whole = hold_all_but(&ds, &cl, &cols, &values, 0, None);
        assert_eq!(whole.x[free][0], (0, u32::MAX));
        assert_eq!(whole.x[free][1], (0, u32::MAX));
        assert_eq!(whole.x[held][0], (1, 1));
    }
}
