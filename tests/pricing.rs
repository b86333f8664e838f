//! Trips by pricing (docs/model.md §5) on a county large enough to use them: the bound
//! reported is one of the whole model, and the plans (RENS and the MILP one after the other
//! on one thread, and beside the relaxation's bound on two; racing beside it on three) pass
//! the independent checker.

mod common;

use lungang::model::build::{build_with, Shape};
use lungang::model::classes::Classes;
use lungang::model::price::{trip_columns, MIN_TRIP_COLUMNS};
use lungang::model::{solve, SolveStatus, SolverSettings};

/// The tests here check what time-limited searches reach, so they take the cores one at a
/// time: side by side on two cores they starve each other (the race below, at 30 s on
/// three threads, reached 11.5% from the bound beside the other two in CI, against the
/// 9.9% it needs and reaches alone).
static CORES: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn cores() -> std::sync::MutexGuard<'static, ()> {
    CORES.lock().unwrap_or_else(|e| e.into_inner())
}

#[test]
fn a_priced_county_gets_checked_plans_and_a_bound_of_the_whole_model() {
    let _cores = cores();
    let tmp = tempfile::tempdir().unwrap();
    let ds = common::county(70, 2000, 7, None, &tmp.path().join("county"));
    let cl = Classes::build(&ds);
    assert!(
        trip_columns(&cl) >= MIN_TRIP_COLUMNS,
        "{} trip columns: the county would be solved whole",
        trip_columns(&cl)
    );
    // The LP relaxation of the whole model, every trip column in it, with the rows that
    // count teachers whole that pricing's LP has too. The priced bound is a Lagrangian
    // bound of this LP (those rows' duals price the period columns of absent stops):
    // never above its optimum.
    let whole = build_with(
        &ds,
        &cl,
        None,
        Shape {
            relax: true,
            rounding: true,
            ..Shape::default()
        },
    );
    let lp = solve::run(whole, &SolverSettings::new(300.0, 0.0, 1), None).unwrap();
    assert_eq!(lp.status, SolveStatus::Optimal, "the whole LP solved");
    let lp = lp.objective;
    for threads in [1, 2] {
        let set = SolverSettings::new(120.0, 0.02, threads);
        let (plan, _dir) = common::plan_and_check(&ds, &set);
        let bound = plan.solve.bound;
        // On two threads the relaxation's MILP bound (`model::bound`, tested against the
        // whole model's optimum there) may rise above the LP's.
        assert!(
            threads > 1 || bound <= lp + 1e-6 * lp.abs(),
            "threads {threads}: priced bound {bound} above the whole LP's optimum {lp}"
        );
        // Pricing stops within 2e-4 of its restricted LP, or on its round budget; either
        // way far above the trivial bounds, and close to the LP's optimum here.
        assert!(
            bound >= lp - 1e-2 * lp.abs(),
            "threads {threads}: priced bound {bound} far below the whole LP's optimum {lp}"
        );
        assert!(plan.objective >= bound - 1e-6 * bound.abs());
        if plan.solve.status == SolveStatus::Optimal {
            assert!(plan.gap() <= 0.02 + 1e-9, "optimal at gap {}", plan.gap());
        }
    }
}

/// With gap 0 no thread of the race is done early: both run into the time limit, are told
/// to stop there, and report just after it. Their plans must still be taken, not the
/// greedy start the race began from (20% from the bound on this county: the test fails
/// so when the race drops them). The race needs three threads: the bound has one.
/// Which thread's plan arrives within the race's grace depends on timing (RENS's alone:
/// 7% from the bound; the MILP's after it: 2.7%), so the bar is the start's gap halved.
#[test]
fn a_race_that_runs_into_its_time_limit_keeps_its_threads_plans() {
    let _cores = cores();
    let tmp = tempfile::tempdir().unwrap();
    let ds = common::county(70, 2000, 7, None, &tmp.path().join("county"));
    let set = SolverSettings::new(30.0, 0.0, 3);
    let (plan, _dir) = common::plan_and_check(&ds, &set);
    assert_eq!(plan.solve.status, SolveStatus::Feasible);
    let start = start_objective(&ds);
    let bound = plan.solve.bound;
    let start_gap = (start - bound) / start.abs();
    assert!(
        start_gap > 0.1,
        "the start is {start_gap} from the bound: too close for this test to tell"
    );
    assert!(
        plan.gap() < 0.5 * start_gap,
        "gap {} at the time limit against the start's {start_gap}: the race's plans were dropped",
        plan.gap()
    );
}

/// MODEL.md's objective of the construction's plan, the start every search begins from.
fn start_objective(ds: &lungang::domain::Dataset) -> f64 {
    let set = SolverSettings::new(30.0, 1e-4, 1);
    let before = lungang::model::unmet_before(ds, &set).unwrap();
    let report = lungang::plan::SolveReport {
        status: SolveStatus::Feasible,
        bound: 0.0,
        seconds: 0.0,
    };
    let d = lungang::model::construct::start(ds);
    lungang::plan::Plan::assemble(ds, &d, &before, report).objective
}

/// A part too small for pricing (fewer than `MIN_TRIP_COLUMNS` trip columns) on which
/// HiGHS's search stalls (3,000 integer columns or more, communities to improve by) gets
/// the priced search first and the whole MILP after it (docs/model.md §5 item 8): its plans
/// pass the checker, on one thread and on two, and close at least half the start's gap
/// (measured: 1.45% at 20 s against the start's 15.7%). A guard on the path's plans and
/// bound, not a measure of its gain (docs/benchmarks.md has that).
#[test]
fn a_part_that_stalls_the_search_gets_the_priced_search_first() {
    let _cores = cores();
    let tmp = tempfile::tempdir().unwrap();
    let ds = common::county(40, 1300, 7, None, &tmp.path().join("county"));
    let stalling = lungang::model::decompose::components(&ds)
        .iter()
        .map(|schools| ds.restrict(schools).dataset)
        .filter(|part| {
            let cl = Classes::build(part);
            trip_columns(&cl) < MIN_TRIP_COLUMNS
                && cl.integer_columns() >= 3000
                && part.communities.len() >= 2
        })
        .count();
    assert!(stalling > 0, "no part for the priced search first");
    let start = start_objective(&ds);
    for threads in [1, 2] {
        let set = SolverSettings::new(20.0, 0.01, threads);
        let (plan, _dir) = common::plan_and_check(&ds, &set);
        let bound = plan.solve.bound;
        let start_gap = (start - bound) / start.abs();
        assert!(plan.objective >= bound - 1e-6 * bound.abs());
        assert!(
            plan.gap() < 0.5 * start_gap,
            "threads {threads}: gap {} against the start's {start_gap}",
            plan.gap()
        );
    }
}
