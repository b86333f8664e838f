//! RENS in two stages, the first plan of a priced model (docs/model.md §5).
//!
//! Which teachers move is what makes the model hard: with trip days continuous, the LP
//! bound of L rises by 0.8% only when moves are integer, and by nothing when only trip days
//! are (docs/benchmarks.md). So the first stage searches moves and extensions in the box
//! around the last pricing LP, with trip days continuous and free; the second fixes those
//! moves and makes trip days integer within the first stage's values rounded down and up,
//! (a RENS of its own: with every trip day free, the second stage of the shared
//! xiji-county had 16k integer columns and stopped 5% from its bound), from the cheapest
//! of the plans with them rounded down, or up within each class's days (rounded down
//! alone, a variant of the shared mixed-county started at 13.45 M after a first stage of
//! 8.24 M, and its 4 s left ended at 9.41 M; rounded up, 8.82 M and 8.55 M). On L this
//! gave a plan of
//! 7.10 M in 31 s, against 7.13-7.19 M for one RENS over all integer columns boxed.
//! A third stage, from the second's plan, may add one day of a trip the first left at 0
//! where a stop is still short: whole days share the stops out anew (the shared
//! xiji-county's large part: 1,295,090 → 1,281,458 in 7 s). The stages after the first
//! are in `days.rs`.

use std::sync::Arc;
use std::time::Instant;

use super::build::{build_with, Fixing, Milp, Shape};
use super::classes::Classes;
use super::price::Priced;
use super::solve::{self, ModelStats, SolveStatus, Solved, SolverSettings, StallRule};
use super::ModelError;
use crate::domain::Dataset;

mod days;

use days::Days;

/// A restricted model of this many columns or more, at least `NARROW_TRIPS` of them trips,
/// gets a narrowed first stage: its trips only those the last pricing LP uses or points
/// to (`Priced::near`). Such a model's first stage has a root (its LP, then cut rounds of
/// 5 s each) that ends after 30 s or more, and only then do HiGHS's heuristics look for a
/// plan, while pricing its trips took 18-22 s of the minute: on two of four variants of
/// the shared mixed-county (54-67k columns, 38-44% trips) the stage ended with none, the
/// county 19-20% from its bound; narrowed, 4.1% and 3.0%, the county itself 3.45% →
/// 2.5-3.0%. The full box finds better plans where its root ends in time, so those keep
/// it: seat-county (30k columns) narrowed 2.48% → 3.10%; the generated L counties (53-69k
/// columns but 13-23% trips, priced in 7-13 s) narrowed xinjian L 1.00% → 1.09%, parts L
/// 0.89% → 1.00% (docs/benchmarks.md, twenty-ninth session). Counted on the first
/// stage's MILP (`Rens::new`): there the generated L counties have 51-69k columns, 13-21%
/// trips, the mixed-county variants 55-71k, 38-43% (thirtieth session). Since the
/// thirty-fifth session 40k, not 50k: a variant of 46k columns, 34% trips, kept the full
/// box, whose root's cuts took the whole stage with no plan (21.3% from its bound;
/// narrowed 8.5%); the shared xiji-county's large part (37k, 47%) narrowed was 7.38%
/// against 7.91-8.63% with the full box, so the first counties above the line are no
/// worse for it.
const NARROW_COLUMNS: usize = 40_000;
/// ... and this share of its columns trips (see `NARROW_COLUMNS`).
const NARROW_TRIPS: f64 = 0.3;

/// A narrowed first stage's plans come after its root's cut rounds, 17-31 s into the
/// stage on the shared mixed-county and its variants, so it may go this long without
/// bettering its start (the stall rule's 20 s ended one with none, a variant 21.1% from
/// its bound).
const NARROW_STALL: f64 = 40.0;

/// Share of RENS's time the first stage may take. The second, with moves fixed, closes in
/// seconds (1-2 s on the shared counties, where the first found its plans after 16-34 s).
const MOVES_SHARE: f64 = 0.85;
/// The second stage's gap, as a share of RENS's.
const SECOND_GAP: f64 = 0.2;

/// Share of what the second stage leaves of RENS's time that the third may take;
/// improvement by community has the rest.
const THIRD_SHARE: f64 = 0.5;
/// Seconds below which the third stage does not start.
const THIRD_LEAST: f64 = 1.5;

pub(super) struct Rens {
    /// Moves and extensions boxed, trip days continuous: its columns are the restricted
    /// MILP's, in the same order.
    moves: Milp,
    /// What the later stages are built from, on the thread that runs them.
    ds: Dataset,
    cl: Arc<Classes>,
    trips: Vec<Vec<usize>>,
    /// The start's columns (the restricted MILP's layout), where the box holds it.
    start: Option<Vec<f64>>,
    /// Whether the first stage is narrowed (`NARROW_COLUMNS`).
    narrowed: bool,
}

/// A plan to start RENS from: its moves and extensions, and its columns in the
/// restricted MILP's layout (the start's LP).
#[derive(Clone, Copy)]
pub(super) struct Start<'a> {
    pub fix: &'a Fixing,
    pub columns: &'a [f64],
}

impl Rens {
    /// RENS around the last pricing LP of `p`; with `start`, the box also holds the
    /// start's moves and the first stage starts from it, so RENS is never worse than the
    /// start (at 60 s: xinjian L 1.15% → 1.00%, mixed-county 2.84% → 2.33%,
    /// docs/benchmarks.md, seventeenth session). A model of `NARROW_COLUMNS` or more, at
    /// least `NARROW_TRIPS` of them trips, has its first stage narrowed.
    pub fn new(ds: &Dataset, cl: &Arc<Classes>, p: &Priced, start: Option<Start>) -> Rens {
        let wide = Rens::with(ds, cl, p, start, false);
        // Judged on the MILP itself: the last pricing LP lacks the trips its round priced
        // in (a variant of mixed-county: 46k columns there, 55k here, 38% trips; the full
        // box's root was not over by the stall, the county 21.3% from its bound).
        let (columns, trips) = (
            wide.moves.vars.len(),
            wide.moves.w.iter().map(Vec::len).sum::<usize>(),
        );
        let narrow = columns >= NARROW_COLUMNS && trips as f64 >= NARROW_TRIPS * columns as f64;
        if std::env::var_os("LUNGANG_SOLVER_LOG").is_some() {
            let how = if narrow { "narrowed" } else { "full box" };
            eprintln!("[lungang] RENS: {columns} columns, {trips} trips; first stage {how}");
        }
        match narrow {
            true => Rens::with(ds, cl, p, start, true),
            false => wide,
        }
    }

    /// `new`, the first stage `narrow`ed or not: its trips those of `Priced::near` (and
    /// the start's), the others held at 0.
    fn with(
        ds: &Dataset,
        cl: &Arc<Classes>,
        p: &Priced,
        start: Option<Start>,
        narrow: bool,
    ) -> Rens {
        let mut boxes = p.rens.clone();
        if narrow {
            boxes.w = kept_trips(cl, &p.near);
        }
        if let Some(st) = &start {
            boxes.hold(st.fix);
        }
        let shape = Shape {
            trips: Some(&p.trips),
            boxes: Some(&boxes),
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
            start: start.map(|st| st.columns.to_vec()),
            narrowed: narrow,
        }
    }

    /// The restricted MILP's columns (those of every stage).
    pub fn model(&self) -> &Milp {
        &self.moves
    }

    /// Size of the restricted MILP, whose trip days are integer.
    pub fn stats(&self) -> ModelStats {
        let mut s = solve::stats(&self.moves);
        s.integer_columns += self.moves.w.iter().map(Vec::len).sum::<usize>();
        s
    }

    /// Every stage within `set`'s time; the last one's plan (the first's, with trip days
    /// continuous, is not one). NoPlan when the first finds none or the search is stopped
    /// after it. `set.stall`, when given, ends the first stage only.
    pub fn run(self, set: &SolverSettings) -> Result<Solved, ModelError> {
        let started = Instant::now();
        let left = || (set.time_limit - started.elapsed().as_secs_f64()).max(1.0);
        let first = SolverSettings {
            time_limit: set.time_limit * MOVES_SHARE,
            gap: set.gap * 0.5,
            abs_gap: None,
            watch: None,
            stop_at: None,
            stall: set.stall.map(|rule| match self.narrowed {
                true => StallRule {
                    first: rule.first.max(NARROW_STALL),
                    ..rule
                },
                false => rule,
            }),
            ..set.clone()
        };
        let (moves, days) = self.first(&first)?;
        if moves.status == SolveStatus::NoPlan || stopped(set) {
            return Ok(Solved::none(started.elapsed().as_secs_f64()));
        }
        // With moves fixed the bound is close to the optimum: worth a tighter gap than the
        // first stage's. It starts from the first stage's trip days rounded (`start`), and
        // searches only within them rounded down and up, widened.
        let boxes = days.boxes(&moves.columns, true);
        let boxed = days.build(&boxes, false);
        let start = days.start(&moves.columns, set)?;
        let stage = |time: f64| SolverSettings {
            time_limit: time,
            gap: set.gap * SECOND_GAP,
            // `set.stall` is the first stage's: the later ones close in seconds.
            stall: None,
            ..set.clone()
        };
        let start = (!start.columns.is_empty()).then_some(&start.columns[..]);
        let second = solve::run(boxed, &stage(left()), start)?;
        if second.status == SolveStatus::NoPlan || stopped(set) {
            return Ok(second);
        }
        // A third stage of a second or less finds nothing (the shared mixed-county).
        let rest = set.time_limit - started.elapsed().as_secs_f64();
        if rest * THIRD_SHARE < THIRD_LEAST {
            return Ok(second);
        }
        days.third(&boxes, moves.objective, second, &stage(rest * THIRD_SHARE))
    }

    /// The first stage's result, and what builds the later stages from its columns.
    fn first(self, set: &SolverSettings) -> Result<(Solved, Days), ModelError> {
        let days = Days {
            x: self.moves.x.clone(),
            e: self.moves.e.clone(),
            w: self.moves.w.clone(),
            w_trip: self.moves.w_trip.clone(),
            u: self.moves.u.clone(),
            ds: self.ds,
            cl: self.cl,
            trips: self.trips,
        };
        let moves = solve::run(self.moves, set, self.start.as_deref())?;
        Ok((moves, days))
    }
}

/// Trip-day boxes that keep `near`'s trips free and hold every other at 0.
fn kept_trips(cl: &Classes, near: &[Vec<usize>]) -> Vec<Vec<(u32, u32)>> {
    (cl.classes.iter().zip(near))
        .map(|(c, keep)| {
            let mut b = vec![(0, 0); c.trips.map_or(0, |t| cl.trip_tables[t].len())];
            for &j in keep {
                b[j] = (0, u32::MAX);
            }
            b
        })
        .collect()
}

fn stopped(set: &SolverSettings) -> bool {
    set.stop_with
        .as_ref()
        .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build::Boxes;
    use crate::model::periods::class_fixing;
    use crate::model::whole::short_of;

    /// A small county with trips, priced (pricing converges on it).
    pub(super) fn priced_county() -> (Dataset, Arc<Classes>, Priced, SolverSettings) {
        priced(30, 900, 11)
    }

    /// The county `testing::county` makes of these, priced.
    pub(super) fn priced(
        schools: usize,
        teachers: usize,
        seed: u64,
    ) -> (Dataset, Arc<Classes>, Priced, SolverSettings) {
        let ds = crate::testing::county(schools, teachers, seed);
        let cl = Arc::new(Classes::build(&ds));
        let g = crate::model::construct::start(&ds);
        let start = class_fixing(&cl, &g.placement, &g.trip_days);
        let set = SolverSettings::new(60.0, 0.0, 1);
        let p = super::super::price::price(&ds, &cl, &start, &short_of(&ds, &g), &set)
            .unwrap()
            .expect("pricing converges on a small county");
        (ds, cl, p, set)
    }

    /// The construction's plan as RENS's start: its decisions, and its columns in the
    /// restricted MILP's layout (the start's LP).
    fn construction(
        ds: &Dataset,
        cl: &Classes,
        p: &Priced,
        set: &SolverSettings,
    ) -> (Fixing, Solved) {
        let g = crate::model::construct::start(ds);
        let fix = class_fixing(cl, &g.placement, &g.trip_days);
        let shape = Shape {
            trips: Some(&p.trips),
            rounding: true,
            ..Shape::default()
        };
        let lp = crate::model::periods::lp_settings(set);
        let start = solve::run(build_with(ds, cl, Some(&fix), shape), &lp, None).unwrap();
        (fix, start)
    }

    /// From a start, the box holds the start's moves and extensions (some of which the
    /// pricing LP's box alone leaves out) and the first stage, stopped after its root,
    /// never costs more than the start.
    #[test]
    fn from_a_start_the_box_holds_it_and_the_first_stage_is_no_worse() {
        let (ds, cl, p, set) = priced_county();
        let (fix, start) = construction(&ds, &cl, &p, &set);
        assert!(!start.columns.is_empty(), "the start's LP solves");
        let inside = |b: &Boxes| {
            let x = b.x.iter().flatten().zip(fix.x.iter().flatten());
            let e = b.e.iter().zip(&fix.e);
            x.chain(e).all(|(&(lo, hi), &v)| lo <= v && v <= hi)
        };
        assert!(
            !inside(&p.rens),
            "the start lies outside the pricing LP's box"
        );
        let mut held = p.rens.clone();
        held.hold(&fix);
        assert!(inside(&held));
        let from = Start {
            fix: &fix,
            columns: &start.columns,
        };
        let root_only = SolverSettings {
            max_nodes: Some(1),
            ..set.clone()
        };
        let (first, _) = Rens::new(&ds, &cl, &p, Some(from))
            .first(&root_only)
            .unwrap();
        assert_ne!(first.status, SolveStatus::NoPlan);
        assert!(
            first.objective <= start.objective + 1e-6 * start.objective.abs(),
            "{} against the start's {}",
            first.objective,
            start.objective
        );
    }

    /// Narrowed, the first stage keeps its trips to those the pricing LP uses or points
    /// to and those of the start (which it still holds, so it is no worse than the
    /// start); on this county that closes some of the priced trips.
    #[test]
    fn a_narrowed_first_stage_keeps_the_lps_trips_and_the_starts() {
        let (ds, cl, p, set) = priced_county();
        let (fix, start) = construction(&ds, &cl, &p, &set);
        let from = Start {
            fix: &fix,
            columns: &start.columns,
        };
        let rens = Rens::with(&ds, &cl, &p, Some(from), true);
        let (w, w_trip) = (rens.moves.w.clone(), rens.moves.w_trip.clone());
        let open = |ci: usize, j: usize| p.near[ci].contains(&j) || fix.w[ci][j] > 0;
        let closed: usize = (w_trip.iter().enumerate())
            .map(|(ci, js)| js.iter().filter(|&&j| !open(ci, j)).count())
            .sum();
        assert!(closed > 0, "narrowing closes no priced trip here");
        let (first, _) = rens.first(&set).unwrap();
        assert_ne!(first.status, SolveStatus::NoPlan);
        assert!(first.objective <= start.objective + 1e-6 * start.objective.abs());
        for (ci, (cols, js)) in w.iter().zip(&w_trip).enumerate() {
            for (col, &j) in cols.iter().zip(js) {
                if !open(ci, j) {
                    assert_eq!(first.columns[col.ix], 0.0, "class {ci} trip {j}");
                }
            }
        }
    }
}
