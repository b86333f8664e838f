//! The checker re-derives rules 9 (on new moves), 12 and 13 on its own: each test writes a
//! planner's plan that holds under one dataset, then checks it against a dataset under
//! which the plan breaks the rule while its summary still calls the rule met. The checker
//! must call that out (C-RULE-HIDDEN), with the shortfall it derived.

mod common;

use std::path::Path;

use lungang::check::{check_plan, codes, CheckReport};
use lungang::domain::{Dataset, ReciprocalCounts};

/// Plans the rules dataset `name`, then checks the written plan against `ds` as `change`
/// leaves it; returns the report.
fn plan_then_check(name: &str, change: impl FnOnce(&mut Dataset)) -> CheckReport {
    let ds = common::load(&common::repo(&format!("tests/data/rules/{name}")));
    let (_plan, tmp) = common::plan_and_check(&ds, &common::settings());
    let mut other = ds.clone();
    change(&mut other);
    check_plan(&other, &tmp.path().join("plan"))
}

fn shortfall(r: &CheckReport, rule: &str, scope: &str) -> f64 {
    r.rules_derived
        .iter()
        .find(|x| x.rule == rule && x.scope == scope)
        .unwrap_or_else(|| panic!("no derived {rule} at {scope}"))
        .shortfall
}

/// Adds a rule entry that calls `rule` at `scope` met to a written summary.json.
fn claim_met(plan: &Path, rule: &str, scope: &str) {
    let path = plan.join("summary.json");
    let mut j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    j["rules"].as_array_mut().unwrap().push(serde_json::json!({
        "rule": rule, "scope": scope, "required": 0, "reached": 0, "shortfall": 0,
        "ok": true, "why": ""
    }));
    std::fs::write(&path, serde_json::to_string_pretty(&j).unwrap()).unwrap();
}

/// Rule 12: the plan of protect_members_off sends S02's only 数学 teacher away; under
/// protect_members (the same county, rule 12 on) S02 is 16 weighted periods worse off
/// than with nobody moving.
#[test]
fn a_member_left_worse_off_is_caught() {
    let ds_on = common::load(&common::repo("tests/data/rules/protect_members"));
    let ds_off = common::load(&common::repo("tests/data/rules/protect_members_off"));
    let (_plan, tmp) = common::plan_and_check(&ds_off, &common::settings());
    let dir = tmp.path().join("plan");
    claim_met(&dir, "protect_members", "S02");
    let r = check_plan(&ds_on, &dir);
    assert_eq!(
        shortfall(&r, "protect_members", "S02"),
        16.0,
        "{}",
        r.render()
    );
    assert!(r.codes().contains(&codes::RULE_HIDDEN), "{}", r.render());
}

/// Rule 13: the plan sends one 音乐 teacher to S02; asked for two, the request is short
/// by one though the summary says it is met.
#[test]
fn an_unmet_request_called_met_is_caught() {
    let r = plan_then_check("requests", |ds| ds.requests[0].count = 2);
    assert_eq!(shortfall(&r, "request", "S02:音乐"), 1.0, "{}", r.render());
    assert!(r.codes().contains(&codes::RULE_HIDDEN), "{}", r.render());
}

/// Rule 9: with new moves counted the plan is reciprocal (0 and 0); counting every teacher
/// serving, the term under way is one support teacher against no learner.
#[test]
fn reciprocal_counts_new_moves_or_everyone_serving() {
    let r = plan_then_check("reciprocal_new_moves", |ds| {
        ds.policy.rotation.reciprocal_counts = ReciprocalCounts::Serving
    });
    assert_eq!(shortfall(&r, "reciprocal", "C1"), 1.0, "{}", r.render());
    assert!(r.codes().contains(&codes::RULE_HIDDEN), "{}", r.render());
}

/// Rule 14: the plan of learning_cycle sends three of S02's five still to 跟岗 (2026, two
/// years left: ⌈5/2⌉ = 3). With the cycle starting in 2024 instead, 2026 is its last year:
/// PRV (2024) and D01 (2025) have learned in it, the four others must all go, and the
/// plan's three are one short though its summary calls S02 met.
#[test]
fn a_cycle_share_short_in_the_last_year_is_caught() {
    let r = plan_then_check("learning_cycle", |ds| {
        ds.policy.rotation.learning_cycle_start = Some(2024)
    });
    assert_eq!(
        shortfall(&r, "learning_cycle", "S02"),
        1.0,
        "{}",
        r.render()
    );
    assert!(r.codes().contains(&codes::RULE_HIDDEN), "{}", r.render());
}

/// Rule 14 from the ledger: had P01 learned at S01 in 2025, P01 no longer counts, so the
/// plan's three movers hold only two of the four still to 跟岗 (need ⌈4/2⌉ = 2): met. Had
/// P01, P02 and P04 all learned in 2025, none of the plan's movers counts and S02's two
/// left (PRV, P03) ask for one: the checker finds it short though the summary says met.
#[test]
fn the_checker_reads_who_learned_in_the_cycle_from_the_ledger() {
    let learned = |ids: &'static [&'static str]| {
        move |ds: &mut Dataset| {
            // D01's row: S02 to S01 in 2025.
            let d01 = ds.ledger[1].clone();
            for id in ids {
                let t = ds.teacher_ixs().find(|&t| ds.teacher(t).id == *id).unwrap();
                ds.ledger.push(lungang::domain::LedgerEntry {
                    teacher: t,
                    ..d01.clone()
                });
            }
        }
    };
    let r = plan_then_check("learning_cycle", learned(&["P01"]));
    assert_eq!(
        shortfall(&r, "learning_cycle", "S02"),
        0.0,
        "{}",
        r.render()
    );
    let r = plan_then_check("learning_cycle", learned(&["P01", "P02", "P04"]));
    assert_eq!(
        shortfall(&r, "learning_cycle", "S02"),
        1.0,
        "{}",
        r.render()
    );
    assert!(r.codes().contains(&codes::RULE_HIDDEN), "{}", r.render());
}
