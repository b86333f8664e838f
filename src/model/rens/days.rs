//! RENS's stages after the first (`super`): its moves and extensions fixed, trip days
//! whole. The second stage starts from the first's trip days rounded (`Days::start`), a
//! few members spared where a rounding leaves them short of rule 12, and searches within
//! them rounded down and up; a third may add a day of a trip the first left at 0.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::domain::{Dataset, SchoolIx, SubjectIx};
use crate::model::build::{build_with, Boxes, Col, Milp, Shape};
use crate::model::classes::Classes;
use crate::model::solve::{self, SolveStatus, Solved, SolverSettings};
use crate::model::ModelError;

/// Trip days the second stage may add or drop beyond the first stage's value rounded,
/// where that value is above 0. On the shared xiji-county, from the same first stage:
/// 1.3311 M in 1.9 s where [⌊v⌋, ⌈v⌉] gave 1.3379 M in 0.7 s (the first stage's
/// continuous days: 1.3074 M).
const WIDEN: u32 = 1;

/// How the second stage's candidate starts round the first stage's trip days: down,
/// then up where the fraction is above each of these (`Days::rounded`).
const ROUNDINGS: [f64; 3] = [1.0, 0.5, 1e-6];

/// Times at most the second stage's start spares members (`Days::spare_members`), an LP
/// each.
const SPARE_ROUNDS: usize = 3;

/// The unmet columns of the second stage's model (its layout is the first's, like every
/// stage's: `x`, `e` and `w` of `Days` index its columns too).
type Short = std::collections::BTreeMap<(SchoolIx, SubjectIx), Col>;

/// The stages after the first: its moves and extensions fixed, trip days whole.
pub(super) struct Days {
    pub(super) x: Vec<Vec<Col>>,
    pub(super) e: Vec<Option<Col>>,
    pub(super) w: Vec<Vec<Col>>,
    pub(super) w_trip: Vec<Vec<usize>>,
    /// The unmet columns.
    pub(super) u: Short,
    pub(super) ds: Dataset,
    pub(super) cl: Arc<Classes>,
    pub(super) trips: Vec<Vec<usize>>,
}

impl Days {
    /// Moves and extensions at the first stage's values; trip days within its values
    /// rounded down and up, widened by WIDEN where above 0 (`up`), or rounded down alone
    /// (the start).
    pub(super) fn boxes(&self, columns: &[f64], up: bool) -> Boxes {
        let fixed = |c: &Col| {
            let v = columns[c.ix].round().max(0.0) as u32;
            (v, v)
        };
        let around = |c: &Col| {
            let v = columns[c.ix].max(0.0);
            let lo = (v + 1e-6).floor() as u32;
            let widen = if up && v > 1e-6 { WIDEN } else { 0 };
            let hi = if up { (v - 1e-6).ceil() as u32 } else { lo };
            (lo.saturating_sub(widen), hi + widen)
        };
        let w = self
            .cl
            .classes
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let n = c.trips.map_or(0, |t| self.cl.trip_tables[t].len());
                let mut b = vec![(0, 0); n];
                for (col, &j) in self.w[ci].iter().zip(&self.w_trip[ci]) {
                    b[j] = around(col);
                }
                b
            })
            .collect();
        Boxes::of(&self.x, &self.e, fixed, w)
    }

    /// The second stage's start: the LP with trip days fixed, rounded from the first
    /// stage's (`rounded`) in each of `ROUNDINGS`, the cheapest plan, then that rounding
    /// with members spared (`spare_members`) while it gets cheaper. Down is always a plan;
    /// rounding up can break a row (a teacher's load, rule 2's least periods) and is then
    /// left out.
    pub(super) fn start(
        &self,
        columns: &[f64],
        set: &SolverSettings,
    ) -> Result<Solved, ModelError> {
        let mut best: Option<(Solved, Boxes)> = None;
        let mut seen = Vec::new();
        let mut tried: Vec<Vec<Vec<(u32, u32)>>> = Vec::new();
        for &up in &ROUNDINGS {
            let boxes = self.rounded(columns, up);
            // Whole days already (a first stage with no plan of its own) round alike:
            // one LP each is enough.
            if tried.contains(&boxes.w) {
                continue;
            }
            tried.push(boxes.w.clone());
            let Some(solved) = self.fixed_days(&boxes, up < 1.0, set)? else {
                continue;
            };
            seen.push(format!("{up}: {:.1}", solved.objective));
            if best
                .as_ref()
                .is_none_or(|b| solved.objective < b.0.objective)
            {
                best = Some((solved, boxes));
            }
        }
        for _ in 0..SPARE_ROUNDS {
            let Some((plan, boxes)) = &best else { break };
            let Some(spared) = self.spare_members(columns, boxes, &plan.columns) else {
                break;
            };
            let Some(solved) = self.fixed_days(&spared, true, set)? else {
                break;
            };
            seen.push(format!("members spared: {:.1}", solved.objective));
            if solved.objective >= plan.objective {
                break;
            }
            best = Some((solved, spared));
        }
        if std::env::var_os("LUNGANG_SOLVER_LOG").is_some() {
            eprintln!(
                "[lungang] RENS's second stage, starts by rounding: {}",
                seen.join(", ")
            );
        }
        Ok(best.map_or_else(|| Solved::none(0.0), |b| b.0))
    }

    /// The LP with trip days fixed at `boxes`; None when it has no plan and `may_fail`
    /// (a rounding up can break a row), or no columns.
    fn fixed_days(
        &self,
        boxes: &Boxes,
        may_fail: bool,
        set: &SolverSettings,
    ) -> Result<Option<Solved>, ModelError> {
        let lp = self.build(boxes, true);
        match solve::run(lp, &crate::model::periods::lp_settings(set), None) {
            Err(ModelError::Infeasible) if may_fail => Ok(None),
            Err(e) => Err(e),
            Ok(s) => Ok(Some(s).filter(|s| !s.columns.is_empty())),
        }
    }

    /// `boxes` changed a day at a time for the members `plan` (the LP of `boxes`) leaves
    /// short of rule 12: a day less of each trip rounded up of a class at home at such a
    /// member that may teach a subject short there (a fraction of a day rounded up to a
    /// whole one takes the teacher from home all day), and a day more of a trip rounded
    /// down through one, where the class teaches a subject short there on trips, from its
    /// spare days or its trip rounded up by the least fraction that serves no short
    /// member. (The `pingdingshan` profile's L county: its cheapest rounding left four
    /// members 4.5 weighted periods short, 450 k, by days of trips that the first stage
    /// used a quarter or a half of; a second stage with 3 s kept it, 7.62% from the
    /// bound.) None when no trip changes.
    fn spare_members(&self, columns: &[f64], boxes: &Boxes, plan: &[f64]) -> Option<Boxes> {
        let short = self.short_members(plan);
        let mut spared = boxes.clone();
        let changed: usize = (0..self.cl.classes.len())
            .map(|ci| self.spare_class(ci, columns, plan, &short, &mut spared))
            .sum();
        (changed > 0).then_some(spared)
    }

    /// The members `plan` leaves short of rule 12 (none when the rule is off).
    fn short_members(&self, plan: &[f64]) -> BTreeSet<SchoolIx> {
        let ds = &self.ds;
        if !ds.policy.rotation.protect_members {
            return BTreeSet::new();
        }
        let mut weighted = vec![0.0; ds.schools.len()];
        for (&(s, k), col) in &self.u {
            weighted[s.ix()] += plan[col.ix] * ds.unmet_mult(s, k);
        }
        (ds.communities.iter().flat_map(|c| &c.members))
            .copied()
            .filter(|m| weighted[m.ix()] > self.cl.unmet_alone[m.ix()] + 1e-6)
            .collect()
    }

    /// `spare_members` for class `ci`: the trips it changes in `spared`.
    fn spare_class(
        &self,
        ci: usize,
        columns: &[f64],
        plan: &[f64],
        short: &BTreeSet<SchoolIx>,
        spared: &mut Boxes,
    ) -> usize {
        let c = &self.cl.classes[ci];
        let Some(t) = c.trips else { return 0 };
        let unmet = |s: SchoolIx, k: SubjectIx| self.u.get(&(s, k)).map_or(0.0, |c| plan[c.ix]);
        let from_home =
            short.contains(&c.home) && c.qualified.iter().any(|&k| unmet(c.home, k) > 1e-6);
        let to_short = |j: usize| {
            (self.cl.trip_tables[t][j].stops.iter()).any(|&(s, _)| {
                short.contains(&s) && c.itinerant.iter().any(|&k| unmet(s, k) > 1e-6)
            })
        };
        // Each trip's position in the trip table, and the first stage's days.
        let trips: Vec<(usize, f64)> = (self.w[ci].iter().zip(&self.w_trip[ci]))
            .map(|(col, &j)| (j, columns[col.ix].max(0.0)))
            .collect();
        let up = |days: u32, v: f64| days > (v + 1e-6).floor() as u32;
        let mut spare = self.spare_days(ci, columns, spared);
        let mut changed = 0;
        for &(j, v) in &trips {
            let days = spared.w[ci][j].0;
            if from_home && up(days, v) {
                spared.w[ci][j] = (days - 1, days - 1);
                changed += 1;
            } else if to_short(j) && (days as f64) < v - 1e-6 {
                // A day to spare, or one from a trip rounded up that serves no short
                // member, the least fraction first.
                if spare > 0 {
                    spare -= 1;
                } else {
                    let fraction = |v: f64| v - v.floor();
                    let donor = (trips.iter())
                        .filter(|&&(d, dv)| up(spared.w[ci][d].0, dv) && !to_short(d))
                        .min_by(|a, b| fraction(a.1).total_cmp(&fraction(b.1)));
                    let Some(&(d, _)) = donor else { continue };
                    let dd = spared.w[ci][d].0;
                    spared.w[ci][d] = (dd - 1, dd - 1);
                }
                spared.w[ci][j] = (days + 1, days + 1);
                changed += 1;
            }
        }
        changed
    }

    /// The whole days class `ci` has left in `boxes`: its teachers' days at home, less its
    /// trips' days.
    fn spare_days(&self, ci: usize, columns: &[f64], boxes: &Boxes) -> u32 {
        let used: u32 = boxes.w[ci].iter().map(|d| d.0).sum();
        (self.days_home(ci, columns) - used as f64).max(0.0) as u32
    }

    /// The days a week class `ci`'s teachers who stay home have, with the first stage's
    /// moves and extensions (`columns`) rounded.
    fn days_home(&self, ci: usize, columns: &[f64]) -> f64 {
        let max_days = self.ds.policy.itinerant.max_days as f64;
        let away: f64 = (self.x[ci].iter().map(|col| columns[col.ix].round())).sum::<f64>()
            + (self.e[ci].as_ref()).map_or(0.0, |col| columns[col.ix].round());
        max_days * (self.cl.classes[ci].n() as f64 - away)
    }

    /// Moves and extensions at the first stage's values; each trip's days rounded down,
    /// then, per class, one day more for the trips whose fraction is above `up`, largest
    /// first, while the class has days to spare (`up` ≥ 1: rounded down alone).
    fn rounded(&self, columns: &[f64], up: f64) -> Boxes {
        let mut b = self.boxes(columns, false);
        for ci in 0..self.cl.classes.len() {
            let mut spare = self.days_home(ci, columns);
            let mut frac: Vec<(f64, usize)> = Vec::new();
            for (col, &j) in self.w[ci].iter().zip(&self.w_trip[ci]) {
                let v = columns[col.ix].max(0.0);
                spare -= b.w[ci][j].0 as f64;
                let f = v - (v + 1e-6).floor();
                if f > up {
                    frac.push((f, j));
                }
            }
            frac.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for (_, j) in frac {
                if spare < 1.0 - 1e-6 {
                    break;
                }
                b.w[ci][j].0 += 1;
                b.w[ci][j].1 += 1;
                spare -= 1.0;
            }
        }
        b
    }

    pub(super) fn build(&self, boxes: &Boxes, relax: bool) -> Milp {
        let shape = Shape {
            trips: Some(&self.trips),
            boxes: Some(boxes),
            relax,
            ..Shape::default()
        };
        build_with(&self.ds, &self.cl, None, shape)
    }

    /// The third stage, from the second's plan, when the second costs more than its gap
    /// over the first (whose trip days are continuous): the better of the two plans.
    pub(super) fn third(
        &self,
        boxes: &Boxes,
        first: f64,
        second: Solved,
        set: &SolverSettings,
    ) -> Result<Solved, ModelError> {
        // Whole trip days cost more than continuous ones when the stops must be shared
        // out anew (docs/benchmarks.md, tenth session).
        if second.objective - first <= set.gap * first.abs() {
            return Ok(second);
        }
        let Some(wider) = self.widen(boxes, &second.columns) else {
            return Ok(second);
        };
        let third = solve::run(self.build(&wider, false), set, Some(&second.columns))?;
        if third.status != SolveStatus::NoPlan && third.objective < second.objective {
            Ok(third)
        } else {
            Ok(second)
        }
    }

    /// The third stage's boxes: one day may be added of a trip the first stage left at 0,
    /// for a class with a day to spare in the second stage's plan, through a stop where a
    /// subject the class teaches on trips is still short. On the shared xiji-county's
    /// large part this took 441 of 14,574 trip columns. None when there is none.
    fn widen(&self, boxes: &Boxes, second: &[f64]) -> Option<Boxes> {
        let max_days = self.ds.policy.itinerant.max_days as f64;
        let mut wider = boxes.clone();
        let mut added = 0;
        for (ci, c) in self.cl.classes.iter().enumerate() {
            let Some(t) = c.trips else { continue };
            let away: f64 = self.x[ci].iter().map(|col| second[col.ix]).sum::<f64>()
                + self.e[ci].as_ref().map_or(0.0, |col| second[col.ix]);
            let used: f64 = self.w[ci].iter().map(|col| second[col.ix]).sum();
            if max_days * (c.n() as f64 - away) - used < 1.0 - 1e-6 {
                continue;
            }
            let short_at = |s: SchoolIx| {
                c.itinerant
                    .iter()
                    .any(|&k| self.u.get(&(s, k)).is_some_and(|col| second[col.ix] > 0.5))
            };
            for &j in &self.w_trip[ci] {
                let trip = &self.cl.trip_tables[t][j];
                if boxes.w[ci][j].1 == 0 && trip.stops.iter().any(|&(s, _)| short_at(s)) {
                    wider.w[ci][j] = (0, 1);
                    added += 1;
                }
            }
        }
        (added > 0).then_some(wider)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{priced, priced_county};
    use super::super::Rens;
    use super::*;

    /// The second stage keeps the first's moves and extensions, makes every trip day whole,
    /// and costs at least the first's bound (its plans are plans of the first stage).
    #[test]
    fn the_second_stage_keeps_the_moves_and_makes_trip_days_whole() {
        let (ds, cl, p, set) = priced_county();
        let rens = Rens::new(&ds, &cl, &p, None);
        let (x, e, w) = (
            rens.moves.x.clone(),
            rens.moves.e.clone(),
            rens.moves.w.clone(),
        );
        let moves_ix: Vec<usize> = x
            .iter()
            .flatten()
            .chain(e.iter().flatten())
            .map(|c| c.ix)
            .collect();
        let (first, days) = rens.first(&set).unwrap();
        assert_ne!(first.status, SolveStatus::NoPlan);
        let boxes = days.boxes(&first.columns, true);
        let boxed = days.build(&boxes, false);
        let second = solve::run(boxed, &set, None).unwrap();
        assert_ne!(second.status, SolveStatus::NoPlan);
        for &ix in &moves_ix {
            assert_eq!(second.columns[ix], first.columns[ix].round(), "column {ix}");
        }
        let days_taken: f64 = w.iter().flatten().map(|c| second.columns[c.ix]).sum();
        assert!(days_taken > 0.0, "the county's plan has trips");
        for c in w.iter().flatten() {
            let v = second.columns[c.ix];
            assert!((v - v.round()).abs() < 1e-5, "trip days {v}");
        }
        assert!(second.objective >= first.bound - 1e-6 * first.bound.abs());
        // The first stage relaxes the trip days, so some of its days are fractional on a
        // county that needs them (else the test shows nothing of the second stage).
        assert!(
            w.iter()
                .flatten()
                .any(|c| (first.columns[c.ix] - first.columns[c.ix].round()).abs() > 1e-3),
            "first stage trip days all whole"
        );
    }

    /// The second stage's start: each rounding keeps the moves, stays in the second
    /// stage's box and within each class's days, and rounds up only trips with a
    /// fraction; the start taken is a plan no dearer than the days rounded down, and on
    /// this county rounding up is what makes it cheaper.
    #[test]
    fn the_second_stage_starts_from_the_cheapest_rounding() {
        let (ds, cl, p, set) = priced_county();
        let (first, days) = Rens::new(&ds, &cl, &p, None).first(&set).unwrap();
        let boxes = days.boxes(&first.columns, true);
        let max_days = ds.policy.itinerant.max_days as f64;
        for &up in &ROUNDINGS {
            let r = days.rounded(&first.columns, up);
            assert_eq!(r.x, days.boxes(&first.columns, false).x);
            for (ci, c) in cl.classes.iter().enumerate() {
                let mut used = 0.0;
                for (col, &j) in days.w[ci].iter().zip(&days.w_trip[ci]) {
                    let (lo, hi) = r.w[ci][j];
                    assert_eq!(lo, hi, "class {ci} trip {j}: a start fixes its days");
                    let v = first.columns[col.ix];
                    assert!(boxes.w[ci][j].0 <= lo && lo <= boxes.w[ci][j].1);
                    assert!(lo as f64 <= v.ceil() + 1e-9 && lo as f64 >= v.floor() - 1e-9);
                    used += lo as f64;
                }
                let away: f64 = (days.x[ci].iter().map(|col| first.columns[col.ix].round()))
                    .sum::<f64>()
                    + days.e[ci]
                        .as_ref()
                        .map_or(0.0, |col| first.columns[col.ix].round());
                assert!(
                    used <= max_days * (c.n() as f64 - away) + 1e-9,
                    "class {ci}"
                );
            }
        }
        let lp = crate::model::periods::lp_settings(&set);
        let down = days.build(&days.rounded(&first.columns, 1.0), true);
        let down = solve::run(down, &lp, None).unwrap();
        let start = days.start(&first.columns, &set).unwrap();
        assert!(!start.columns.is_empty());
        assert!(
            start.objective < down.objective - 1e-6 * down.objective.abs(),
            "{} against rounded down {}",
            start.objective,
            down.objective
        );
    }

    /// The third stage opens only trips the first stage left at 0, by one day, for classes
    /// with a day to spare, through a stop still short; from the second stage's plan it
    /// keeps the moves and never costs more.
    #[test]
    fn the_third_stage_adds_days_where_a_stop_is_short() {
        let (ds, cl, p, set) = priced_county();
        let (first, days) = Rens::new(&ds, &cl, &p, None).first(&set).unwrap();
        let boxes = days.boxes(&first.columns, true);
        let boxed = days.build(&boxes, false);
        let second = solve::run(boxed, &set, None).unwrap();
        let wider = days
            .widen(&boxes, &second.columns)
            .expect("a short stop some class could still reach");
        let max_days = ds.policy.itinerant.max_days as f64;
        for (ci, c) in cl.classes.iter().enumerate() {
            for (j, (&old, &new)) in boxes.w[ci].iter().zip(&wider.w[ci]).enumerate() {
                if old == new {
                    continue;
                }
                assert_eq!((old, new), ((0, 0), (0, 1)), "class {ci} trip {j}");
                let away: f64 = days.x[ci]
                    .iter()
                    .map(|col| second.columns[col.ix])
                    .sum::<f64>()
                    + days.e[ci]
                        .as_ref()
                        .map_or(0.0, |col| second.columns[col.ix]);
                let used: f64 = days.w[ci].iter().map(|col| second.columns[col.ix]).sum();
                assert!(max_days * (c.n() as f64 - away) - used >= 1.0 - 1e-6);
            }
        }
        let third = solve::run(days.build(&wider, false), &set, Some(&second.columns)).unwrap();
        assert!(third.objective <= second.objective + 1e-6);
        for col in days.x.iter().flatten() {
            assert_eq!(third.columns[col.ix], second.columns[col.ix].round());
        }
    }

    /// Where the cheapest rounding leaves members short of rule 12, sparing them moves a
    /// day at a time: off a trip of a class at home there, rounded up, or onto a trip
    /// through one, rounded down, from the class's spare days or a trip of its rounded up;
    /// each class within its days, and the start cheaper and less short.
    #[test]
    fn the_start_spares_members_a_rounding_leaves_short() {
        let (ds, cl, p, set) = priced(40, 1200, 5);
        let (first, days) = Rens::new(&ds, &cl, &p, None).first(&set).unwrap();
        let rounded = days.rounded(&first.columns, 1e-6);
        let lp = days.fixed_days(&rounded, true, &set).unwrap().unwrap();
        let short_by = |plan: &[f64]| -> f64 {
            let mut w = vec![0.0; ds.schools.len()];
            for (&(s, k), col) in &days.u {
                w[s.ix()] += plan[col.ix] * ds.unmet_mult(s, k);
            }
            (ds.communities.iter().flat_map(|c| &c.members))
                .map(|m| (w[m.ix()] - cl.unmet_alone[m.ix()]).max(0.0))
                .sum()
        };
        assert!(
            short_by(&lp.columns) > 0.5,
            "the rounding leaves a member short"
        );
        let spared = days
            .spare_members(&first.columns, &rounded, &lp.columns)
            .expect("a trip to change");
        for (ci, c) in cl.classes.iter().enumerate() {
            for (j, (&old, &new)) in rounded.w[ci].iter().zip(&spared.w[ci]).enumerate() {
                assert_eq!(new.0, new.1, "class {ci} trip {j}: days fixed");
                assert!(old.0.abs_diff(new.0) <= 1, "class {ci} trip {j}: one day");
            }
            let used: u32 = spared.w[ci].iter().map(|d| d.0).sum();
            let away: f64 = (days.x[ci].iter().map(|col| first.columns[col.ix].round()))
                .sum::<f64>()
                + (days.e[ci].as_ref()).map_or(0.0, |col| first.columns[col.ix].round());
            let max_days = ds.policy.itinerant.max_days as f64;
            assert!(
                used as f64 <= max_days * (c.n() as f64 - away) + 1e-9,
                "class {ci}"
            );
        }
        let after = days.fixed_days(&spared, true, &set).unwrap().unwrap();
        assert!(
            after.objective < lp.objective,
            "{} against {}",
            after.objective,
            lp.objective
        );
        assert!(short_by(&after.columns) < short_by(&lp.columns));
        let start = days.start(&first.columns, &set).unwrap();
        assert!(start.objective <= after.objective + 1e-6 * after.objective.abs());
    }
}
