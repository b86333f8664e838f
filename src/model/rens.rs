//! RENS in two stages, the first plan of a priced model (docs/model.md §5).
//!
//! Which teachers move is what makes the model hard: with trip days continuous, the LP
//! bound of L rises by 0.8% only when moves are integer, and by nothing when only trip days
//! are (docs/benchmarks.md). So the first stage searches moves and extensions in the box
//! around the last pricing LP, with trip days continuous and free; the second fixes those
//! moves and makes trip days integer, which closes in seconds. On L this gave a plan of
//! 7.10 M in 31 s, against 7.14-7.19 M for one RENS over all integer columns boxed.

use std::sync::Arc;
use std::time::Instant;

use super::build::{build_with, Boxes, Col, Milp, Shape};
use super::classes::Classes;
use super::price::Priced;
use super::solve::{self, ModelStats, SolveStatus, Solved, SolverSettings};
use super::ModelError;
use crate::domain::Dataset;

/// Share of RENS's time the first stage may take.
const MOVES_SHARE: f64 = 0.5;
/// The second stage's gap, as a share of RENS's.
const SECOND_GAP: f64 = 0.2;

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
        let mut boxes = p.rens.clone();
        free_days(cl, &mut boxes);
        let shape = Shape {
            trips: Some(&p.trips),
            boxes: Some(&boxes),
            continuous_trips: true,
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
        let (x, e) = (self.moves.x.clone(), self.moves.e.clone());
        let moves = solve::run(self.moves, &first, None)?;
        let stopped = set
            .stop_with
            .as_ref()
            .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed));
        if moves.status == SolveStatus::NoPlan || stopped {
            return Ok(Solved {
                status: SolveStatus::NoPlan,
                columns: Vec::new(),
                objective: f64::INFINITY,
                bound: f64::NEG_INFINITY,
                seconds: started.elapsed().as_secs_f64(),
            });
        }
        let fixed = |c: &Col| {
            let v = moves.columns[c.ix].round().max(0.0) as u32;
            (v, v)
        };
        let mut boxes = Boxes {
            x: x.iter().map(|v| v.iter().map(fixed).collect()).collect(),
            e: e.iter().map(|c| c.as_ref().map_or((0, 0), fixed)).collect(),
            w: Vec::new(),
        };
        free_days(&self.cl, &mut boxes);
        let shape = Shape {
            trips: Some(&self.trips),
            boxes: Some(&boxes),
            ..Shape::default()
        };
        let days = build_with(&self.ds, &self.cl, None, shape);
        // With moves fixed the bound is close to the optimum, which comes in seconds: worth
        // a tighter gap than the first stage's.
        let second = SolverSettings {
            time_limit: (set.time_limit - started.elapsed().as_secs_f64()).max(1.0),
            gap: set.gap * SECOND_GAP,
            ..set.clone()
        };
        solve::run(days, &second, None)
    }
}

/// Every trip column of every class in [0, its upper bound].
fn free_days(cl: &Classes, b: &mut Boxes) {
    b.w = cl
        .classes
        .iter()
        .map(|c| vec![(0, u32::MAX); c.trips.map_or(0, |t| cl.trip_tables[t].len())])
        .collect();
}
