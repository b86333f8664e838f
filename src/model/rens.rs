//! RENS in two stages, the first plan of a priced model (docs/model.md §5).
//!
//! Which teachers move is what makes the model hard: with trip days continuous, the LP
//! bound of L rises by 0.8% only when moves are integer, and by nothing when only trip days
//! are (docs/benchmarks.md). So the first stage searches moves and extensions in the box
//! around the last pricing LP, with trip days continuous and free; the second fixes those
//! moves and makes trip days integer within the first stage's values rounded down and up,
//! from the plan with them rounded down (a RENS of its own: with every trip day free, the
//! second stage of the shared xiji-county had 16k integer columns and stopped 5% from its
//! bound). On L this gave a plan of
//! 7.10 M in 31 s, against 7.13-7.19 M for one RENS over all integer columns boxed.

use std::sync::Arc;
use std::time::Instant;

use super::build::{build_with, Boxes, Col, Milp, Shape};
use super::classes::Classes;
use super::price::Priced;
use super::solve::{self, ModelStats, SolveStatus, Solved, SolverSettings};
use super::ModelError;
use crate::domain::Dataset;

/// Share of RENS's time the first stage may take. The second, with moves fixed, closes in
/// seconds (1-2 s on the shared counties, where the first found its plans after 16-34 s).
const MOVES_SHARE: f64 = 0.85;
/// Trip days the second stage may add or drop beyond the first stage's value rounded,
/// where that value is above 0. On the shared xiji-county, from the same first stage:
/// 1.3311 M in 1.9 s where [⌊v⌋, ⌈v⌉] gave 1.3379 M in 0.7 s (the first stage's
/// continuous days: 1.3074 M).
const WIDEN: u32 = 1;
/// The second stage's gap, as a share of RENS's.
const SECOND_GAP: f64 = 0.2;

/// The second stage: its MILP, and the LP that gives it a start.
type Stage2 = (Milp, Milp);

pub(super) struct Rens {
    /// Moves and extensions boxed, trip days continuous: its columns are the restricted
    /// MILP's, in the same order.
    moves: Milp,
    /// What the second stage (moves fixed, trip days integer) is built from, on the
    /// thread that runs it.
    ds: Dataset,
    cl: Arc<Classes>,
    trips: Vec<Vec<usize>>,
}

impl Rens {
    pub fn new(ds: &Dataset, cl: &Arc<Classes>, p: &Priced) -> Rens {
        let shape = Shape {
            trips: Some(&p.trips),
            boxes: Some(&p.rens),
            continuous_trips: true,
            rounding: true,
            ..Shape::default()
        };
        let moves = build_with(ds, cl, None, shape);
        Rens {
            moves,
            ds: ds.clone(),
            cl: cl.clone(),
            trips: p.trips.clone(),
        }
    }

    /// The restricted MILP's columns (those of both stages).
    pub fn model(&self) -> &Milp {
        &self.moves
    }

    /// Size of the restricted MILP, whose trip days are integer.
    pub fn stats(&self) -> ModelStats {
        let mut s = solve::stats(&self.moves);
        s.integer_columns += self.moves.w.iter().map(Vec::len).sum::<usize>();
        s
    }

    /// Both stages within `set`'s time; the second's plan (the first's, with trip days
    /// continuous, is not one). NoPlan when the first finds none or the search is stopped
    /// between them.
    pub fn run(self, set: &SolverSettings) -> Result<Solved, ModelError> {
        let started = Instant::now();
        let first = SolverSettings {
            time_limit: set.time_limit * MOVES_SHARE,
            gap: set.gap * 0.5,
            abs_gap: None,
            watch: None,
            stop_at: None,
            ..set.clone()
        };
        let (moves, days) = self.first(&first)?;
        let stopped = set
            .stop_with
            .as_ref()
            .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed));
        if moves.status == SolveStatus::NoPlan || stopped {
            return Ok(Solved::none(started.elapsed().as_secs_f64()));
        }
        // With moves fixed the bound is close to the optimum: worth a tighter gap than the
        // first stage's. It starts from the first stage's trip days rounded down (the LP
        // with them fixed: always a plan), and searches only up to them rounded up.
        let (boxed, floor) = days(&moves.columns);
        let start = solve::run(floor, &super::periods::lp_settings(set), None)?;
        let second = SolverSettings {
            time_limit: (set.time_limit - started.elapsed().as_secs_f64()).max(1.0),
            gap: set.gap * SECOND_GAP,
            ..set.clone()
        };
        let start = (!start.columns.is_empty()).then_some(&start.columns[..]);
        solve::run(boxed, &second, start)
    }

    /// The first stage's result, and what builds the second from its columns (the boxed
    /// MILP, and the LP with trip days rounded down that starts it).
    fn first(
        self,
        set: &SolverSettings,
    ) -> Result<(Solved, impl FnOnce(&[f64]) -> Stage2), ModelError> {
        let (x, e) = (self.moves.x.clone(), self.moves.e.clone());
        let (w, w_trip) = (self.moves.w.clone(), self.moves.w_trip.clone());
        let moves = solve::run(self.moves, set, None)?;
        let (ds, cl, trips) = (self.ds, self.cl, self.trips);
        let days = move |columns: &[f64]| {
            let fixed = |c: &Col| {
                let v = columns[c.ix].round().max(0.0) as u32;
                (v, v)
            };
            // Trip days within their first-stage value rounded down and up, widened by
            // WIDEN where it is above 0; and rounded down alone, for the start.
            let around = |c: &Col, up: bool| {
                let v = columns[c.ix].max(0.0);
                let lo = (v + 1e-6).floor() as u32;
                let widen = if up && v > 1e-6 { WIDEN } else { 0 };
                let hi = if up { (v - 1e-6).ceil() as u32 } else { lo };
                (lo.saturating_sub(widen), hi + widen)
            };
            let days_boxed = |up: bool| -> Vec<Vec<(u32, u32)>> {
                cl.classes
                    .iter()
                    .enumerate()
                    .map(|(ci, c)| {
                        let n = c.trips.map_or(0, |t| cl.trip_tables[t].len());
                        let mut b = vec![(0, 0); n];
                        for (col, &j) in w[ci].iter().zip(&w_trip[ci]) {
                            b[j] = around(col, up);
                        }
                        b
                    })
                    .collect()
            };
            let boxes = |up: bool| Boxes {
                x: x.iter().map(|v| v.iter().map(fixed).collect()).collect(),
                e: e.iter().map(|c| c.as_ref().map_or((0, 0), fixed)).collect(),
                w: days_boxed(up),
            };
            let (boxed, floor) = (boxes(true), boxes(false));
            let shape = |b| Shape {
                trips: Some(&trips),
                boxes: Some(b),
                ..Shape::default()
            };
            let mut floor_shape = shape(&floor);
            floor_shape.relax = true;
            (
                build_with(&ds, &cl, None, shape(&boxed)),
                build_with(&ds, &cl, None, floor_shape),
            )
        };
        Ok((moves, days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::periods::class_fixing;
    use crate::model::whole::short_of;

    /// The second stage keeps the first's moves and extensions, makes every trip day whole,
    /// and costs at least the first's bound (its plans are plans of the first stage).
    #[test]
    fn the_second_stage_keeps_the_moves_and_makes_trip_days_whole() {
        let ds = crate::testing::county(30, 900, 11);
        let cl = Arc::new(Classes::build(&ds));
        let g = crate::model::construct::start(&ds);
        let start = class_fixing(&cl, &g.placement, &g.trip_days);
        let set = SolverSettings::new(60.0, 0.0, 1);
        let p = super::super::price::price(&ds, &cl, &start, &short_of(&ds, &g), &set)
            .unwrap()
            .expect("pricing converges on a small county");
        let rens = Rens::new(&ds, &cl, &p);
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
        let (boxed, _) = days(&first.columns);
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
}
