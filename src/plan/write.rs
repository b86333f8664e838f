//! The plan folder of docs/outputs.md, written whole or not at all (`crate::folder`).

use std::path::Path;

use serde::Serialize;

use super::{Assignment, CoverageRow, Plan, RuleResult};
use crate::domain::{Dataset, LedgerEntry, SchoolIx, SubjectIx, TeacherIx};
pub use crate::folder::WriteError;
use crate::model::SolveStatus;

/// A decimal with at most 3 places and no trailing zeros ("12", "3.5", "0.125").
pub fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

pub fn status_word(s: SolveStatus) -> &'static str {
    match s {
        SolveStatus::Optimal => "optimal",
        SolveStatus::Feasible => "feasible",
        SolveStatus::NoPlan => "none",
    }
}

/// Builds CSV text from a header and rows of cells.
fn csv_text(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    w.write_record(header).expect("in-memory csv");
    for r in rows {
        w.write_record(&r).expect("in-memory csv");
    }
    w.into_inner().expect("in-memory csv")
}

#[derive(Serialize)]
struct Summary<'a> {
    status: &'static str,
    objective: f64,
    bound: f64,
    gap: f64,
    seconds: f64,
    terms: TermsJson,
    counts: &'a super::Counts,
    rules: Vec<RuleJson<'a>>,
    /// Only with a kept plan (`plan --keep`).
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<Vec<ChangeJson<'a>>>,
}

/// A teacher whose place in Y differs from the kept plan's, by ids.
#[derive(Serialize)]
struct ChangeJson<'a> {
    teacher: &'a str,
    before: &'a str,
    after: &'a str,
}

#[derive(Serialize)]
struct TermsJson {
    unmet: f64,
    non_main_subject: f64,
    rotation: f64,
    itinerant_km: f64,
    extension: f64,
    violation: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<f64>,
}

#[derive(Serialize)]
struct RuleJson<'a> {
    rule: &'a str,
    scope: &'a str,
    required: f64,
    reached: f64,
    shortfall: f64,
    ok: bool,
    why: &'a str,
}

impl Serialize for super::Counts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("counts", 7)?;
        st.serialize_field("support", &self.support)?;
        st.serialize_field("learning", &self.learning)?;
        st.serialize_field("extension", &self.extension)?;
        st.serialize_field("continuing", &self.continuing)?;
        st.serialize_field("trip_days", &self.trip_days)?;
        st.serialize_field("unmet_periods", &self.unmet_periods)?;
        st.serialize_field("unmet_periods_before", &self.unmet_periods_before)?;
        st.end()
    }
}

fn rule_json(r: &RuleResult) -> RuleJson<'_> {
    RuleJson {
        rule: r.rule,
        scope: &r.scope,
        required: r.required,
        reached: r.reached,
        shortfall: r.shortfall,
        ok: r.ok,
        why: &r.why,
    }
}

/// summary.json's text.
pub fn summary_json(ds: &Dataset, plan: &Plan) -> String {
    let t = &plan.terms;
    let s = Summary {
        status: status_word(plan.solve.status),
        objective: plan.objective,
        bound: plan.solve.bound.min(plan.objective),
        gap: plan.gap(),
        seconds: (plan.solve.seconds * 1000.0).round() / 1000.0,
        terms: TermsJson {
            unmet: t.unmet,
            non_main_subject: t.non_main_subject,
            rotation: t.rotation,
            itinerant_km: t.itinerant_km,
            extension: t.extension,
            violation: t.violation,
            change: t.change,
        },
        counts: &plan.counts,
        rules: plan.rules.iter().map(rule_json).collect(),
        changes: plan.changes.as_ref().map(|c| {
            c.iter()
                .map(|c| ChangeJson {
                    teacher: &ds.teacher(c.teacher).id,
                    before: &ds.school(c.before).id,
                    after: &ds.school(c.after).id,
                })
                .collect()
        }),
    };
    serde_json::to_string_pretty(&s).expect("plain data serialises") + "\n"
}

/// Every file of the plan folder, by name, in writing order.
pub fn plan_files(ds: &Dataset, plan: &Plan) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("assignments.csv", assignments_csv(ds, plan)),
        ("teaching.csv", teaching_csv(ds, plan)),
        ("routes.csv", routes_csv(ds, plan)),
        ("coverage.csv", coverage_csv(ds, plan)),
        ("ledger.csv", ledger_csv(ds, plan)),
        ("summary.json", summary_json(ds, plan).into_bytes()),
    ]
}

fn tid(ds: &Dataset, t: TeacherIx) -> String {
    ds.teacher(t).id.clone()
}

fn sid(ds: &Dataset, s: SchoolIx) -> String {
    ds.school(s).id.clone()
}

fn assignments_csv(ds: &Dataset, plan: &Plan) -> Vec<u8> {
    let header = [
        "teacher",
        "name",
        "home",
        "host",
        "kind",
        "start_year",
        "end_year",
        "why",
    ];
    let row = |a: &Assignment| {
        let te = ds.teacher(a.teacher);
        vec![
            te.id.clone(),
            te.name.clone(),
            sid(ds, te.home),
            sid(ds, a.host),
            a.kind.as_str().into(),
            a.start_year.to_string(),
            a.end_year.to_string(),
            a.why.en.clone(),
        ]
    };
    csv_text(&header, plan.assignments.iter().map(row))
}

fn teaching_csv(ds: &Dataset, plan: &Plan) -> Vec<u8> {
    let row = |&(t, s, k, p): &(TeacherIx, SchoolIx, SubjectIx, u32)| {
        let subject = ds.subject_name(k).into();
        vec![tid(ds, t), sid(ds, s), subject, p.to_string()]
    };
    let header = ["teacher", "school", "subject", "periods"];
    csv_text(&header, plan.teaching.iter().map(row))
}

/// routes.csv: each teacher's trip-days by teacher id, a row per stop and the row back.
fn routes_csv(ds: &Dataset, plan: &Plan) -> Vec<u8> {
    let mut order: Vec<TeacherIx> = ds.teacher_ixs().collect();
    order.sort_by(|a, b| ds.teacher(*a).id.cmp(&ds.teacher(*b).id));
    let rows = order.into_iter().flat_map(|t| {
        plan.routes[t.ix()].iter().flat_map(move |day| {
            day.stops.iter().enumerate().map(move |(i, stop)| {
                vec![
                    tid(ds, t),
                    day.weekday.to_string(),
                    (i + 1).to_string(),
                    sid(ds, stop.school),
                    stop.periods.to_string(),
                    num(stop.leg.km),
                    num(stop.leg.minutes),
                ]
            })
        })
    });
    let header = [
        "teacher", "weekday", "seq", "school", "periods", "km", "minutes",
    ];
    csv_text(&header, rows)
}

fn coverage_csv(ds: &Dataset, plan: &Plan) -> Vec<u8> {
    let row = |c: &CoverageRow| {
        vec![
            sid(ds, c.school),
            ds.subject_name(c.subject).into(),
            c.demand.to_string(),
            c.covered.to_string(),
            c.unmet.to_string(),
            c.unmet_before.to_string(),
        ]
    };
    let header = [
        "school",
        "subject",
        "demand",
        "covered",
        "unmet",
        "unmet_before",
    ];
    csv_text(&header, plan.coverage.iter().map(row))
}

fn ledger_csv(ds: &Dataset, plan: &Plan) -> Vec<u8> {
    let row = |r: &LedgerEntry| {
        vec![
            tid(ds, r.teacher),
            sid(ds, r.from),
            sid(ds, r.to),
            r.start_year.to_string(),
            r.end_year.to_string(),
            if r.extend { "yes" } else { "no" }.into(),
        ]
    };
    let header = ["teacher", "from", "to", "start_year", "end_year", "extend"];
    csv_text(&header, plan.ledger.iter().map(row))
}

/// Writes `files` as the folder `dir`, whole or not at all (`crate::folder::write`, which
/// also says when an existing `dir` may be replaced).
pub fn write_folder(dir: &Path, files: &[(&str, Vec<u8>)], force: bool) -> Result<(), WriteError> {
    crate::folder::write(dir, files, force, &[])
}
