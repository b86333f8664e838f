//! MODEL.md's objective re-derived term by term from the files, compared with
//! summary.json's `objective` and `terms`; and summary.json's `counts` against the files.

use std::collections::BTreeMap;

use super::assignments::Place;
use super::coverage::CoverTotals;
use super::facts::{self, Facts, Structure};
use super::files::{Kind, Summary};
use super::routes::Trips;
use super::rules::RuleOutcome;
use super::teaching::Taught;
use super::{codes, fmt_num, Sink};
use crate::domain::{Dataset, Willing};

/// The terms by summary.json's names: unmet, non_main_subject, rotation, itinerant_km,
/// extension, violation.
pub(crate) fn derive(
    ds: &Dataset,
    f: &[Facts],
    places: &[Place],
    trips: &Trips,
    taught: &Taught,
    rules: &[RuleOutcome],
) -> BTreeMap<String, f64> {
    let w = &ds.policy.weights;
    let covered = taught.covered();
    let mut unmet = 0.0;
    for d in &ds.demand {
        if d.periods == 0 {
            continue;
        }
        let cov = covered.get(&(d.school, d.subject)).copied().unwrap_or(0);
        let u = (d.periods as i64 - cov).max(0) as f64;
        let priority = ds.schools[d.school.ix()].priority;
        unmet += w.unmet * priority * w.unmet_mult(&ds.subjects[d.subject.ix()]) * u;
    }
    let mut non_main = 0.0;
    for (&(t, _, k), &p) in &taught.y {
        if ds.teachers[t.ix()].subject != k {
            non_main += w.non_main_subject * p as f64;
        }
    }
    let mut rotation = 0.0;
    let mut extension = 0.0;
    for (i, p) in places.iter().enumerate() {
        let te = &ds.teachers[i];
        if let Some(host) = p.new_move() {
            let km = facts::distance(ds, te.home, host).map_or(0.0, |d| d.0);
            let support = matches!(
                facts::structure(ds, te.home, host),
                Some(Structure::Support(_))
            );
            rotation += w.rotation + w.rotation_km * km
                - if support && f[i].needs_rural {
                    w.promotion_bonus
                } else {
                    0.0
                }
                - if f[i].due { w.due_bonus } else { 0.0 }
                - if te.willing == Willing::Yes {
                    w.willing_bonus
                } else {
                    0.0
                };
        }
        if matches!(
            p,
            Place::Away {
                kind: Kind::Extension,
                ..
            }
        ) {
            extension -= w.extension_bonus;
        }
    }
    let itinerant: f64 = trips.days.iter().map(|d| w.itinerant_km * d.km).sum();
    let violation: f64 = w.violation * rules.iter().map(|r| r.shortfall).sum::<f64>();
    BTreeMap::from([
        ("unmet".to_string(), unmet),
        ("non_main_subject".to_string(), non_main),
        ("rotation".to_string(), rotation),
        ("itinerant_km".to_string(), itinerant),
        ("extension".to_string(), extension),
        ("violation".to_string(), violation),
    ])
}

pub(crate) fn compare(
    terms: &BTreeMap<String, f64>,
    objective: f64,
    summary: &Summary,
    sink: &mut Sink,
) {
    if !summary.read {
        return;
    }
    let tol = 1e-6 * objective.abs().max(1.0);
    if let Some(o) = summary.objective {
        if (o - objective).abs() > tol {
            sink.push(
                codes::OBJECTIVE,
                format!(
                    "summary.json: the objective is written {} but the files give {}",
                    fmt_num(o),
                    fmt_num(objective)
                ),
            );
        }
    }
    for (name, &v) in terms {
        match summary.terms.get(name) {
            None => sink.push(
                codes::TERM,
                format!("summary.json: the term `{name}` is missing"),
            ),
            Some(&got) if (got - v).abs() > tol => sink.push(
                codes::TERM,
                format!(
                    "summary.json: the term `{name}` is written {} but the files give {}",
                    fmt_num(got),
                    fmt_num(v)
                ),
            ),
            _ => {}
        }
    }
    for name in summary.terms.keys() {
        if !terms.contains_key(name) {
            sink.push(
                codes::TERM,
                format!("summary.json: `{name}` is no term of the objective"),
            );
        }
    }
}

pub(crate) fn compare_counts(
    places: &[Place],
    trips: &Trips,
    cover: &CoverTotals,
    summary: &Summary,
    sink: &mut Sink,
) {
    if !summary.read {
        return;
    }
    let kinds = |k: Kind| {
        places
            .iter()
            .filter(|p| matches!(p, Place::Away { kind, .. } if *kind == k))
            .count() as f64
    };
    let want = [
        ("support", kinds(Kind::Support)),
        ("learning", kinds(Kind::Learning)),
        ("extension", kinds(Kind::Extension)),
        ("continuing", kinds(Kind::Continuing)),
        ("trip_days", trips.days.len() as f64),
        ("unmet_periods", cover.unmet as f64),
        ("unmet_periods_before", cover.unmet_before as f64),
    ];
    for (name, v) in want {
        match summary.counts.get(name) {
            None => sink.push(
                codes::COUNTS,
                format!("summary.json: the count `{name}` is missing"),
            ),
            Some(&got) if got != v => sink.push(
                codes::COUNTS,
                format!(
                    "summary.json: the count `{name}` is written {} but the files give {}",
                    fmt_num(got),
                    fmt_num(v)
                ),
            ),
            _ => {}
        }
    }
}
