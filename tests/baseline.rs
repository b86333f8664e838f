//! The benchmark baselines make plans the independent checker accepts, and the naive
//! model's objective is MODEL.md's objective of what it decided.

mod common;

use std::path::Path;

use lungang::baseline::{solve_greedy, solve_naive};
use lungang::check::check_plan;
use lungang::domain::Dataset;
use lungang::model::{unmet_before, Decisions, SolveStatus, SolverSettings};
use lungang::plan::{solve, Plan, SolveReport, Solved};
use lungang::report::write_plan;

/// Assembles, writes and checks a plan of `d`; returns it.
/// `bound` is the method's own; the greedy has none but the trivial one (only extensions
/// lower the objective below 0).
fn checked(ds: &Dataset, d: &Decisions, bound: Option<f64>, out: &Path) -> Plan {
    let set = SolverSettings::new(30.0, 1e-4, 1);
    let before = unmet_before(ds, &set).unwrap();
    let trivial = -ds.policy.weights.extension_bonus * ds.teachers.len() as f64;
    let report = SolveReport {
        status: SolveStatus::Feasible,
        bound: bound.unwrap_or(trivial),
        seconds: 0.0,
    };
    let plan = Plan::assemble(ds, d, &before, report);
    write_plan(out, ds, &plan, false).unwrap();
    let r = check_plan(ds, out);
    assert!(r.is_ok(), "checker rejects the plan:\n{}", r.render());
    plan
}

#[test]
fn greedy_plan_passes_the_checker_and_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = common::county(12, 360, 7, None, &tmp.path().join("county"));
    let d = solve_greedy(&ds);
    assert_eq!(d, solve_greedy(&ds), "greedy is not deterministic");
    let plan = checked(&ds, &d, None, &tmp.path().join("plan"));
    // The cores' quotas are met, and 音体美 trips were made.
    let broken: Vec<_> = plan
        .broken_rules()
        .filter(|r| r.rule == "core_share" || r.rule == "due_share")
        .map(|r| format!("{} {}: {}", r.rule, r.scope, r.why))
        .collect();
    assert!(broken.is_empty(), "{broken:?}");
    assert!(plan.counts.trip_days > 0);
    eprintln!("{:?} {:?}", plan.counts, plan.terms);
}

#[test]
fn naive_plan_passes_the_checker_and_respects_lungangs_bound() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = common::county(8, 200, 3, None, &tmp.path().join("county"));
    let set = SolverSettings::new(30.0, 1e-4, 1);
    let out = solve_naive(&ds, &set).unwrap();
    let d = out.decisions.as_ref().expect("a plan in 30 s");
    let plan = checked(&ds, d, Some(out.bound), &tmp.path().join("plan"));
    // HiGHS's objective is MODEL.md's objective of the decisions written.
    assert!(
        (plan.objective - out.objective).abs() <= 1e-6 * out.objective.abs().max(1.0),
        "assembled {} vs HiGHS {}",
        plan.objective,
        out.objective
    );
    // Both models are MODEL.md: lungang's bound bounds the naive plan, and the naive
    // bound bounds lungang's plan.
    let (solved, _) = solve(&ds, &set).unwrap();
    let Solved::Plan(p) = solved else {
        panic!("lungang found no plan")
    };
    let tol = 1e-6 * p.objective.abs().max(1.0) + 1e-6;
    assert!(plan.objective >= p.solve.bound - tol);
    assert!(p.objective >= out.bound - tol);
}

#[test]
fn naive_finds_the_known_optimum() {
    let ds = common::one_backbone_county();
    let out = solve_naive(&ds, &SolverSettings::new(60.0, 0.0, 1)).unwrap();
    assert_eq!(out.status, SolveStatus::Optimal);
    // 50 + 0.2·20 − 20 (promotion) − 5 (due), as tests/model_smoke.rs.
    assert!((out.objective - 29.0).abs() < 1e-6, "{}", out.objective);
    let d = out.decisions.unwrap();
    let moved: Vec<_> = ds
        .teacher_ixs()
        .filter(|t| d.placement[t.ix()] != lungang::domain::Placement::Home)
        .collect();
    assert_eq!(moved.len(), 1);
    assert_eq!(ds.teacher(moved[0]).id, "T03");
}

/// The naive model writes rule 14 as its own row too: on tests/data/rules/learning_cycle
/// it reaches the hand-worked 39 + 49 + 54 + 100000 (expect.toml), and sends the same three.
#[test]
fn naive_finds_the_learning_cycle_optimum() {
    let ds = common::load(&common::repo("tests/data/rules/learning_cycle"));
    let out = solve_naive(&ds, &SolverSettings::new(60.0, 0.0, 1)).unwrap();
    assert_eq!(out.status, SolveStatus::Optimal);
    assert!((out.objective - 100142.0).abs() < 1e-6, "{}", out.objective);
    let d = out.decisions.unwrap();
    let mut moved: Vec<_> = ds
        .teacher_ixs()
        .filter(|t| d.placement[t.ix()] != lungang::domain::Placement::Home)
        .map(|t| ds.teacher(t).id.clone())
        .collect();
    moved.sort();
    assert_eq!(moved, ["P01", "P02", "P04"]);
}

/// The literal model (rule 4 as MODEL.md's ≥) reaches tests/data/rules/itinerant_over_cover's
/// hand-worked 10: a day of 2 periods at a stop needing 1. lungang must match it
/// (tests/known_optima.rs), so its rows that differ from the literal ones lose no plan.
#[test]
fn naive_over_covers_a_stop_needing_less_than_a_day_teaches() {
    let ds = common::load(&common::repo("tests/data/rules/itinerant_over_cover"));
    let out = solve_naive(&ds, &SolverSettings::new(60.0, 0.0, 1)).unwrap();
    assert_eq!(out.status, SolveStatus::Optimal);
    assert!((out.objective - 10.0).abs() < 1e-6, "{}", out.objective);
}
