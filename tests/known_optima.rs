//! Datasets whose optimum was worked out by hand (data/tiny/README.md and the comment at
//! the top of each tests/data/rules/*/expect.toml): the planner must reach it exactly,
//! and the checker must accept the plan.

mod common;

use std::path::{Path, PathBuf};

use lungang::model::build::{build_with, Shape};
use lungang::model::classes::Classes;
use lungang::model::{solve, SolveStatus, SolverSettings};

use serde::Deserialize;

#[derive(Deserialize)]
struct Expect {
    objective: f64,
    #[serde(default)]
    counts: std::collections::BTreeMap<String, u32>,
    moves: Option<Vec<Move>>,
    #[serde(default)]
    rules: Vec<Rule>,
}

#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Move {
    teacher: String,
    host: String,
    kind: String,
}

#[derive(Deserialize)]
struct Rule {
    rule: String,
    scope: String,
    required: Option<f64>,
    reached: Option<f64>,
    ok: Option<bool>,
    /// Text the English reason must contain, and the Chinese one.
    why: Option<String>,
    why_zh: Option<String>,
}

fn check_against_expectation(dir: &Path) {
    check_with(dir, &common::settings());
}

fn check_with(dir: &Path, set: &SolverSettings) {
    let text = std::fs::read_to_string(dir.join("expect.toml")).expect("expect.toml");
    let exp: Expect = toml::from_str(&text).expect("expect.toml parses");
    let ds = common::load(dir);
    let (plan, _tmp) = common::plan_and_check(&ds, set);
    let name = dir.display();
    assert!(
        (plan.objective - exp.objective).abs() <= 1e-6 * exp.objective.abs().max(1.0),
        "{name}: objective {} but the hand-worked optimum is {}",
        plan.objective,
        exp.objective
    );
    let c = &plan.counts;
    for (key, &want) in &exp.counts {
        let got = match key.as_str() {
            "support" => c.support,
            "learning" => c.learning,
            "extension" => c.extension,
            "continuing" => c.continuing,
            "trip_days" => c.trip_days,
            "unmet_periods" => c.unmet_periods,
            "unmet_periods_before" => c.unmet_periods_before,
            other => panic!("{name}: unknown count {other}"),
        };
        assert_eq!(got, want, "{name}: count {key}");
    }
    if let Some(mut want) = exp.moves {
        let mut got: Vec<Move> = plan
            .assignments
            .iter()
            .map(|a| Move {
                teacher: ds.teacher(a.teacher).id.clone(),
                host: ds.school(a.host).id.clone(),
                kind: a.kind.as_str().into(),
            })
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{name}: full-time assignments");
    }
    for r in &exp.rules {
        let got = plan
            .rules
            .iter()
            .find(|x| x.rule == r.rule && x.scope == r.scope)
            .unwrap_or_else(|| panic!("{name}: no rule entry {} {}", r.rule, r.scope));
        if let Some(v) = r.required {
            assert!(
                (got.required - v).abs() < 1e-9,
                "{name}: {} {} required {} ≠ {v}",
                r.rule,
                r.scope,
                got.required
            );
        }
        if let Some(v) = r.reached {
            assert!(
                (got.reached - v).abs() < 1e-9,
                "{name}: {} {} reached {} ≠ {v}",
                r.rule,
                r.scope,
                got.reached
            );
        }
        if let Some(v) = r.ok {
            assert_eq!(got.ok, v, "{name}: {} {} ok", r.rule, r.scope);
        }
        for (want, text) in [(&r.why, &got.why), (&r.why_zh, &got.why_zh)] {
            if let Some(w) = want {
                assert!(
                    text.contains(w.as_str()),
                    "{name}: why {text:?} lacks {w:?}"
                );
            }
        }
    }
}

#[test]
fn tiny_reaches_its_hand_worked_optimum() {
    check_against_expectation(&common::repo("data/tiny"));
}

fn rule_datasets() -> Vec<PathBuf> {
    let root = common::repo("tests/data/rules");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/data/rules")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.join("expect.toml").exists())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 10,
        "expected a dataset per rule family, found {}",
        dirs.len()
    );
    dirs
}

#[test]
fn each_rule_family_alone_has_its_expected_effect() {
    for d in rule_datasets() {
        check_against_expectation(&d);
    }
}

/// Unmet periods counted whole (an integer column per unmet price, as a county's part gets
/// in its second pass) cut off no plan of whole periods: the MILP's optimum is the same
/// with and without them, and every hand-worked optimum holds.
#[test]
fn the_optima_hold_with_unmet_periods_counted_whole() {
    let set = SolverSettings {
        unmet_totals: true,
        ..common::settings()
    };
    let dirs = std::iter::once(common::repo("data/tiny")).chain(rule_datasets());
    for d in dirs {
        let ds = common::load(&d);
        let cl = Classes::build(&ds);
        let milp = |unmet_totals| {
            let shape = Shape {
                unmet_totals,
                ..Shape::default()
            };
            let m = build_with(&ds, &cl, None, shape);
            let integers = m.integer_columns;
            let solved = solve::run(m, &common::settings(), None).expect("the MILP solves");
            assert_eq!(solved.status, SolveStatus::Optimal, "{}", d.display());
            (solved.objective, integers)
        };
        let ((plain, plain_ints), (counted, counted_ints)) = (milp(false), milp(true));
        assert!(
            (plain - counted).abs() <= 1e-6 * plain.abs().max(1.0),
            "{}: MILP optimum {plain} without the counts, {counted} with them",
            d.display()
        );
        assert!(
            counted_ints > plain_ints,
            "{}: no count column",
            d.display()
        );
        check_with(&d, &set);
    }
}
