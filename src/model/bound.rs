//! A bound of the whole model that sees whole moves: the MILP of a relaxation small enough
//! to solve with every trip in it, run on its own thread beside the search for plans
//! (docs/model.md §5, item 6).
//!
//! The priced bound is the whole model's LP bound. On L the LP meets the core quotas with
//! parts of teachers, and its gap is in the moves (docs/benchmarks.md, "Where L's gap
//! is"): HiGHS's cuts close much of it, but only over a model that has every trip, or the
//! cuts need not hold for the trips pricing left out. This relaxation has them all, in
//! less room:
//!
//! - **Every trip becomes half-day units at its stops.** Per stop a table's trips reach,
//!   one column: a half-day visit, half a day in the days row, with the most periods
//!   there of half a one-stop day (rounded up) and of a two-stop trip's half day, costing
//!   the least of half a one-stop trip's km and half a two-stop trip's. A one-stop trip
//!   on w days is 2w units at its stop, a two-stop trip {a, b} w units at a and w at b:
//!   the same days, no fewer periods at each stop (per subject too), no more km, and
//!   whole numbers of units. (Until the thirty-second session one-stop trips stayed whole
//!   days beside the units of two-stop trips: on a variant of the shared mixed-county
//!   136 k columns and its root LP at 41-47 s of a MILP run alone; one column a stop,
//!   97 k and 29 s, the same root LP value; docs/benchmarks.md.)
//! - **A trip table's classes share its trips** (`Shape::pooled`): teachers of one home,
//!   stages and 音体美 subjects pool their trip days and trip periods, within the sum of
//!   their days and load rows; each class still teaches at home within its own stayers.
//!
//! So any plan of the whole model gives one of the relaxation at no more cost, with every
//! column whole (a pool's days are sums of its classes' days), and the relaxation's MILP
//! bound (moves, extensions and trip units integer) is one of the whole model. Integer
//! trip units matter: with continuous ones the bound sees a 音乐 teacher's two days spread
//! over four far-apart schools needing two periods each, which no plan can do (on the
//! shared xiji-county, RENS's plan with trip days continuous was 5% below the same moves
//! with whole days). Rule 2's least periods a stop and the per-subject trip caps are left
//! out (`Shape::loose_trips`): each is a row per stop of every pool, and with them the root
//! LP of xinjian L (117k rows) ended at 55 s of a 60 s run, so the bound never rose above
//! pricing's; without them 29 s (70k rows), and the same root LP value to 0.01%. Its root
//! LP is solved by the interior point method (dual simplex took over a minute).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::domain::{Dataset, SchoolIx, Trip};

use super::build::{build_with, Milp, Shape};
use super::classes::Classes;
use super::solve::{self, Floor, SolverSettings, TreeSearch, Watch};
use super::ModelError;

/// The bound every plan meets: each term of the objective is ≥ 0 but the extension bonus
/// and, with a kept plan, the change a move or an extension saves: at most each class's
/// most negative decision coefficient, once per teacher. A bound computed below it
/// (pricing's Lagrangian bound in its first rounds) is a step of the computation, not a
/// result.
pub fn trivial(_ds: &Dataset, cl: &Classes) -> f64 {
    cl.classes
        .iter()
        .map(|c| {
            let e = c.ending.map(|_| c.extend_cost);
            let least = (c.moves.iter().map(|m| m.cost).chain(e)).fold(0.0, f64::min);
            least * c.n() as f64
        })
        .sum()
}

/// `cl` with its two-stop trips relaxed to half-day units at one stop, as above.
pub fn relaxed(cl: &Classes) -> Classes {
    let (trip_tables, half_days) = cl.trip_tables.iter().map(|t| relax_table(t)).unzip();
    Classes {
        classes: cl.classes.clone(),
        trip_tables,
        facts: cl.facts.clone(),
        unmet_alone: cl.unmet_alone.clone(),
        half_days,
    }
}

/// Per stop the table's trips reach, one half-day unit: half a day in the days row, the
/// most periods there of half a one-stop day (rounded up) and of a two-stop trip's half
/// day, costing the least of half a one-stop trip's km and half a two-stop trip's. A
/// one-stop trip on w days is 2w units at its stop, a two-stop trip {a, b} w at a and w
/// at b: the same days, no fewer periods at each stop, no more km.
fn relax_table(table: &[Trip]) -> (Vec<Trip>, Vec<bool>) {
    let mut at: BTreeMap<SchoolIx, (f64, u32)> = BTreeMap::new();
    for t in table {
        let whole_day = t.stops.len() == 1;
        for &(s, p) in &t.stops {
            let periods = if whole_day { p.div_ceil(2) } else { p };
            let unit = at.entry(s).or_insert((f64::INFINITY, 0));
            *unit = (unit.0.min(t.km / 2.0), unit.1.max(periods));
        }
    }
    let units: Vec<Trip> = (at.into_iter())
        .map(|(s, (km, p))| Trip {
            home: table[0].home,
            stops: vec![(s, p)],
            km,
            minutes: 0.0,
        })
        .collect();
    let half = vec![true; units.len()];
    (units, half)
}

/// The relaxation's MILP (built from `relaxed(cl)`).
pub fn model(ds: &Dataset, relaxed: &Classes) -> Milp {
    model_with(ds, relaxed, false)
}

/// `model`, with the trip units continuous when asked (a weaker bound, for comparison).
pub fn model_with(ds: &Dataset, relaxed: &Classes, continuous_trips: bool) -> Milp {
    build_with(
        ds,
        relaxed,
        None,
        Shape {
            pooled: true,
            continuous_trips,
            rounding: true,
            loose_trips: true,
            ..Shape::default()
        },
    )
}

/// Solves `m` for its bound alone, raising `floor` as HiGHS's dual bound rises, until
/// `stop` is set or the time limit; on the calling thread. `stop` is seen only from the
/// MILP's callbacks, so not during its root LP: the MILP's LP solver (IPX here) is an
/// inner HiGHS without our callback, and a relaxation told to stop before its root LP
/// ends holds its core until then (enshi L with RENS skipped: root LP at 44.6 s, told to
/// stop at 12.6 s; docs/benchmarks.md, twenty-eighth session).
pub fn raise(
    m: Milp,
    time_limit: f64,
    floor: Arc<Floor>,
    stop: Arc<AtomicBool>,
    log: bool,
) -> Result<f64, ModelError> {
    let raised = floor.clone();
    let (started, rooted) = (Instant::now(), AtomicBool::new(false));
    let set = SolverSettings {
        log,
        stop_with: Some(stop),
        watch: Some(Watch::new(move |p| {
            if let Some(b) = p.bound.filter(|b| b.is_finite()) {
                // When its root LP ends: the bound is of use only if that is well
                // inside the time limit.
                if log && !rooted.swap(true, Ordering::Relaxed) {
                    let s = started.elapsed().as_secs_f64();
                    eprintln!("[lungang] the relaxation's root LP: {b:.1} after {s:.1} s");
                }
                raised.raise(b);
            }
        })),
        // Beside the search, on one core.
        tree: TreeSearch::Narrow,
        ..SolverSettings::new(time_limit, 0.0, 1)
    };
    // The interior point method for the root LP (dual simplex: 66 s on L against 17 s),
    // and no primal heuristics: the relaxation's plans are not plans.
    let extra = [("mip_lp_solver", "ipm"), ("mip_heuristic_effort", "0")];
    let r = solve::run_with(m, &set, None, &extra)?;
    floor.raise(r.bound);
    Ok(floor.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build::{build, Boxes, Col};
    use crate::model::SolveStatus;

    /// Every trip becomes half-day units, one column a stop: a one-stop day is two units
    /// (its km and periods halved, rounded up), a two-stop trip one unit at each stop (half
    /// its km, its half day's periods); per stop the least km and the most periods.
    #[test]
    fn every_trip_becomes_half_day_units_one_column_a_stop() {
        let (home, a, b) = (SchoolIx(0), SchoolIx(1), SchoolIx(2));
        let trip = |stops: Vec<(SchoolIx, u32)>, km: f64| Trip {
            home,
            stops,
            km,
            minutes: 40.0,
        };
        let table = [
            trip(vec![(a, 5)], 20.0),
            trip(vec![(b, 5)], 30.0),
            trip(vec![(a, 2), (b, 2)], 36.0),
        ];
        let (units, half) = relax_table(&table);
        assert_eq!(half, vec![true, true]);
        let got: Vec<_> = units.iter().map(|u| (u.stops.clone(), u.km)).collect();
        assert_eq!(got, vec![(vec![(a, 3)], 10.0), (vec![(b, 3)], 15.0)]);
        assert!(units.iter().all(|u| u.home == home));
    }

    /// A half-day unit's upper bound is twice a day's, whatever the class teaches on
    /// trips: a one-stop trip on every day of every teacher of a pool is that many units
    /// twice over (held at a day's bound, a pool of two 音体美 subjects could travel only
    /// half its days, and the `xinjian` profile's L county had a relaxation LP above the
    /// one of whole-day columns: 7,002,271 against 7,002,220).
    #[test]
    fn half_day_units_reach_twice_the_days() {
        let ds = crate::testing::county(14, 260, 2);
        let cl = Classes::build(&ds);
        let travel: Vec<_> = cl.classes.iter().filter(|c| c.trips.is_some()).collect();
        assert!(travel.iter().any(|c| c.itinerant.len() > 1));
        assert!(travel.iter().any(|c| c.itinerant.len() == 1));
        let days = ds.policy.itinerant.max_days * 3;
        for c in travel {
            let trip = &cl.trip_tables[c.trips.unwrap()][0];
            let half = crate::model::build::trip_days_hi(&ds, c, trip, 3, true);
            assert_eq!(half, 2 * days);
            assert!(crate::model::build::trip_days_hi(&ds, c, trip, 3, false) <= days);
        }
    }

    /// The relaxation keeps each stop's trip capacity but neither rule 2's least periods
    /// nor the per-subject caps, which the whole model has (they kept its root LP past the
    /// minute on L).
    #[test]
    fn the_relaxation_leaves_out_the_least_periods_and_subject_caps() {
        let ds = crate::testing::county(14, 260, 2);
        assert!(ds.policy.itinerant.min_periods_per_stop > 0);
        let cl = Classes::build(&ds);
        let whole = build(&ds, &cl, None);
        assert!(!whole.rows.trip_min.is_empty() && !whole.rows.trip_subject.is_empty());
        let rx = model(&ds, &relaxed(&cl));
        assert!(!rx.rows.trip.is_empty());
        assert!(rx.rows.trip_min.is_empty() && rx.rows.trip_subject.is_empty());
    }

    /// A trip table shared by a 语文 teacher who may teach 音乐 (its first class) and a 音乐
    /// teacher: the 音乐 teacher's day at B costs no non-main periods in the whole model,
    /// nor may it in the relaxation.
    #[test]
    fn pooled_trip_periods_cost_the_cheapest_reading() {
        use crate::domain::{DatasetBuilder, SchoolKind, Stages, TeacherSpec};
        let mut t1 = TeacherSpec::new("T1", "A", "语文");
        t1.extra = vec!["音乐".into()];
        let ds = DatasetBuilder::new()
            .school("A", SchoolKind::Urban, Stages::PRIMARY, None)
            .school("B", SchoolKind::Rural, Stages::PRIMARY, None)
            .distance("A", "B", 10.0, 15.0)
            .teacher(t1)
            .teacher(TeacherSpec::new("T2", "A", "音乐"))
            .demand("A", "语文", 16)
            .demand("A", "音乐", 12)
            .demand("B", "音乐", 4)
            .build();
        let cl = Classes::build(&ds);
        let pool: Vec<_> = cl.classes.iter().filter(|c| c.trips.is_some()).collect();
        assert_eq!(pool.len(), 2);
        assert_eq!(pool[0].trips, pool[1].trips);
        assert_ne!(ds.subject_name(pool[0].main), "音乐");
        let exact = SolverSettings::new(60.0, 0.0, 1);
        let whole = solve::run(build(&ds, &cl, None), &exact, None).unwrap();
        // One day's trip, 20 km at 0.5 a km, and nothing else.
        assert!(
            (whole.objective - 10.0).abs() < 1e-6,
            "whole {}",
            whole.objective
        );
        let rx = relaxed(&cl);
        let b = raise(model(&ds, &rx), 60.0, Arc::default(), Arc::default(), false).unwrap();
        assert!(
            b <= whole.objective + 1e-6,
            "bound {b} above the optimum {}",
            whole.objective
        );
        // Nor does the relaxation lose anything here (an LP: no moves are possible).
        assert!(
            b >= whole.objective - 1e-6,
            "bound {b} below the optimum {}",
            whole.objective
        );
    }

    /// On a county with two-stop trips and mixed pools, the relaxation's optimum is at most
    /// the whole model's (both solved to a gap of 0), and above the whole LP's; with the
    /// whole optimum's moves fixed, the relaxation costs no more than that optimum.
    #[test]
    fn the_relaxation_bounds_the_whole_model() {
        let ds = crate::testing::county(14, 260, 2);
        assert_eq!(ds.policy.itinerant.max_stops, 2);
        let cl = Classes::build(&ds);
        let rx = relaxed(&cl);
        let pairs = cl
            .trip_tables
            .iter()
            .flatten()
            .filter(|t| t.stops.len() == 2);
        assert!(pairs.count() > 0, "no two-stop trip to relax");
        // A pool whose classes differ in main subject: its trip periods must be charged
        // as the cheapest of them.
        let mut mains: BTreeMap<usize, Vec<_>> = BTreeMap::new();
        for c in &cl.classes {
            if let Some(t) = c.trips {
                mains.entry(t).or_default().push(c.main);
            }
        }
        assert!(
            mains.values_mut().any(|m| {
                m.sort();
                m.dedup();
                m.len() > 1
            }),
            "no trip table shared by classes of different main subjects"
        );
        let exact = SolverSettings::new(600.0, 0.0, 1);
        let m = build(&ds, &cl, None);
        let (x, e) = (m.x.clone(), m.e.clone());
        let whole = solve::run(m, &exact, None).unwrap();
        assert_eq!(whole.status, SolveStatus::Optimal);
        // With the whole optimum's moves and extensions, the relaxation costs no more.
        let at = |c: &Col| whole.columns[c.ix].round() as u32;
        let fixed = Boxes {
            x: x.iter()
                .map(|v| v.iter().map(|c| (at(c), at(c))).collect())
                .collect(),
            e: e.iter()
                .map(|c| c.as_ref().map_or((0, 0), |c| (at(c), at(c))))
                .collect(),
            w: Vec::new(),
        };
        let shape = Shape {
            continuous_trips: true,
            pooled: true,
            boxes: Some(&fixed),
            ..Shape::default()
        };
        let same = solve::run(build_with(&ds, &rx, None, shape), &exact, None).unwrap();
        assert!(
            same.objective <= whole.objective + 1e-6 * whole.objective.abs(),
            "the relaxation with the optimum's moves costs {} against {}",
            same.objective,
            whole.objective
        );
        let lp = build_with(
            &ds,
            &cl,
            None,
            Shape {
                relax: true,
                ..Shape::default()
            },
        );
        let lp = solve::run(lp, &exact, None).unwrap().objective;
        let floor = Arc::new(Floor::default());
        let b = raise(model(&ds, &rx), 600.0, floor, Arc::default(), false).unwrap();
        let tol = 1e-6 * whole.objective.abs();
        assert!(
            b <= whole.objective + tol,
            "bound {b} above the optimum {}",
            whole.objective
        );
        assert!(b > lp + tol, "bound {b} no better than the LP's {lp}");
    }
}
