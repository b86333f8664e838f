mod common;

use lungang::model::{SolveStatus, SolverSettings};
use lungang::plan::{solve, AssignmentKind, Solved};

fn settings() -> SolverSettings {
    SolverSettings::new(60.0, 0.0, 1)
}

#[test]
fn one_backbone_teacher_supports_the_member() {
    let ds = common::one_backbone_county();
    let (solved, _) = solve(&ds, &settings()).unwrap();
    let Solved::Plan(p) = solved else {
        panic!("no plan")
    };
    assert_eq!(p.solve.status, SolveStatus::Optimal);
    // 50 + 0.2·20 − 20 (promotion) − 5 (due)
    assert!(
        (p.objective - 29.0).abs() < 1e-9,
        "objective {}",
        p.objective
    );
    assert_eq!(p.assignments.len(), 1);
    assert_eq!(ds.teacher(p.assignments[0].teacher).id, "T03");
    assert_eq!(p.assignments[0].kind, AssignmentKind::Support);
    assert_eq!(p.counts.unmet_periods, 0);
    assert_eq!(p.counts.unmet_periods_before, 16);
}

/// The progress a terminal shows: plans and bounds as the solve finds them, never a plan
/// better than its bound, ending at the outcome's own figures.
#[test]
fn a_watched_solve_reports_its_best_plan_and_bound_as_it_goes() {
    use lungang::model::solve::{Progress, Watch};
    use std::sync::{Arc, Mutex};

    let tmp = tempfile::tempdir().unwrap();
    let ds = common::county(20, 600, 1, None, tmp.path());
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let mut set = SolverSettings::new(60.0, 1e-3, 1);
    let log = seen.clone();
    set.watch = Some(Watch::new(move |p| log.lock().unwrap().push(p)));
    let out = lungang::model::optimise(&ds, &set).unwrap();
    let seen = seen.lock().unwrap();
    assert!(!seen.is_empty(), "nothing reported");
    for p in seen.iter() {
        if let (Some(best), Some(bound)) = (p.best, p.bound) {
            assert!(best >= bound - 1e-6 * best.abs(), "{p:?}");
        }
    }
    let last = seen.last().unwrap();
    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() <= 1e-6 * b.abs());
    assert!(
        close(last.best, out.milp_objective),
        "{last:?} vs {}",
        out.milp_objective
    );
    assert!(close(last.bound, out.bound), "{last:?} vs {}", out.bound);
    // Unwatched, the same plan: the callback only reads.
    set.watch = None;
    let plain = lungang::model::optimise(&ds, &set).unwrap();
    assert_eq!(plain.decisions, out.decisions);
}

/// A time limit that runs out inside the MILP still gives whole plans: the LPs around it
/// (periods per teacher, the start) get time of their own.
#[test]
fn a_time_limit_that_runs_out_mid_solve_still_gives_a_whole_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ds = common::county(40, 1200, 1, Some(8), tmp.path());
    // 走教 inside communities: many parts, solved one after another on one thread, so
    // the last ones start with little or no time left.
    ds.policy.itinerant.scope = lungang::domain::Scope::Community;
    let mut plans = 0;
    for limit in [0.05, 0.3, 1.0, 3.0, 10.0] {
        let (solved, _) = solve(&ds, &SolverSettings::new(limit, 0.0, 1)).expect("no error");
        if let Solved::Plan(p) = solved {
            plans += 1;
            // Stopped early, the plan has a bound below it: never a gap of 0 that is not
            // optimal (HiGHS may stop before it has a dual bound of its own).
            assert!(
                p.solve.status == SolveStatus::Optimal || p.gap() > 0.0,
                "limit {limit}: {:?} with gap {}",
                p.solve.status,
                p.gap()
            );
            let dir = tmp.path().join(format!("plan-{limit}"));
            lungang::report::write_plan(&dir, &ds, &p, false).unwrap();
            let report = lungang::check::check_plan(&ds, &dir);
            assert!(report.is_ok(), "limit {limit}:\n{}", report.render());
        }
    }
    assert!(plans > 0, "no limit gave a plan");
}
