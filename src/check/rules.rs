//! Rules 5-14 of MODEL.md re-derived from the dataset, assignments.csv and teaching.csv (docs/outputs.md's
//! table: required, reached, shortfall), then compared with summary.json's `rules`. A rule
//! the plan breaks is reported, not a violation; a summary that disagrees, or that calls a
//! broken rule ok, is.

use std::collections::BTreeMap;

use super::assignments::Place;
use super::facts::{self, Facts, Structure};
use super::files::{RuleEntry, Summary};
use super::{codes, fmt_num, sid, Sink};
use crate::domain::{Dataset, ReciprocalCounts, RequestKind, SchoolIx, SubjectIx};

/// One rule at one scope, as derived by the checker.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleOutcome {
    /// core_share, due_share, learning_share, backbone_share, reciprocal, outflow_cap, housing.
    pub rule: &'static str,
    /// A school or community id, or "county".
    pub scope: String,
    pub required: f64,
    pub reached: f64,
    pub shortfall: f64,
}

const TOL: f64 = 1e-6;

impl RuleOutcome {
    fn at_least(rule: &'static str, scope: String, required: f64, reached: f64) -> Self {
        let shortfall = (required - reached).max(0.0);
        RuleOutcome {
            rule,
            scope,
            required,
            reached,
            shortfall,
        }
    }

    fn at_most(rule: &'static str, scope: String, cap: f64, reached: f64) -> Self {
        let shortfall = (reached - cap).max(0.0);
        RuleOutcome {
            rule,
            scope,
            required: cap,
            reached,
            shortfall,
        }
    }
}

/// The counts rules 5-14 read, per school (per community for rule 9), from the places
/// the plan gives.
struct Tally {
    n: Vec<u32>,
    due: Vec<u32>,
    /// Active teachers within the learning age and experience limits (rule 7).
    eligible: Vec<u32>,
    support_from: Vec<u32>,
    learning_from: Vec<u32>,
    /// Rule 14: teachers still to 跟岗 in the cycle, and those of them serving at a core.
    pending: Vec<u32>,
    pending_gone: Vec<u32>,
    outflow: Vec<u32>,
    incoming: Vec<u32>,
    /// Rule 9's counts by community.
    support_in: Vec<u32>,
    learning_in: Vec<u32>,
    support_all: u32,
    backbone_all: u32,
    /// Rule 13: who serves at each school from elsewhere.
    serving_at: Vec<Vec<usize>>,
}

impl Tally {
    fn of(ds: &Dataset, f: &[Facts], places: &[Place]) -> Tally {
        let (ns, nc) = (ds.schools.len(), ds.communities.len());
        let new_only = ds.policy.rotation.reciprocal_counts == ReciprocalCounts::New;
        let mut t = Tally {
            n: vec![0; ns],
            due: vec![0; ns],
            eligible: vec![0; ns],
            support_from: vec![0; ns],
            learning_from: vec![0; ns],
            pending: vec![0; ns],
            pending_gone: vec![0; ns],
            outflow: vec![0; ns],
            incoming: vec![0; ns],
            support_in: vec![0; nc],
            learning_in: vec![0; nc],
            support_all: 0,
            backbone_all: 0,
            serving_at: vec![Vec::new(); ns],
        };
        for (i, te) in ds.teachers.iter().enumerate() {
            let h = te.home.ix();
            t.n[h] += 1;
            t.due[h] += f[i].due as u32;
            t.eligible[h] += (f[i].active && f[i].learning_ok) as u32;
            t.pending[h] += f[i].cycle_pending as u32;
            let Place::Away { host, .. } = places[i] else {
                continue;
            };
            if host == te.home {
                continue;
            }
            t.outflow[h] += 1;
            t.incoming[host.ix()] += 1;
            t.serving_at[host.ix()].push(i);
            // Rule 9 counts new moves only, unless the policy says every teacher serving.
            let counted = !new_only || places[i].new_move().is_some();
            match facts::structure(ds, te.home, host) {
                Some(Structure::Support(c)) => {
                    t.support_from[h] += 1;
                    t.support_in[c.ix()] += counted as u32;
                    t.support_all += 1;
                    t.backbone_all += te.backbone as u32;
                }
                Some(Structure::Learning(c)) => {
                    t.learning_from[h] += 1;
                    t.pending_gone[h] += f[i].cycle_pending as u32;
                    t.learning_in[c.ix()] += counted as u32;
                }
                None => {}
            }
        }
        t
    }
}

/// Every rule of the dataset's policy at every scope, as the plan's places and coverage
/// (`covered`, periods taught per demand row) reach it.
pub(crate) fn derive(
    ds: &Dataset,
    f: &[Facts],
    places: &[Place],
    covered: &BTreeMap<(SchoolIx, SubjectIx), i64>,
) -> Vec<RuleOutcome> {
    let t = Tally::of(ds, f, places);
    let mut out = shares(ds, &t);
    out.extend(reciprocal(ds, &t));
    out.extend(caps(ds, &t));
    if ds.policy.rotation.protect_members {
        for s in ds.communities.iter().flat_map(|c| &c.members) {
            if let Some((cap, reached)) = member_unmet(ds, f, *s, covered) {
                out.push(RuleOutcome::at_most(
                    "protect_members",
                    sid(ds, *s).to_string(),
                    cap,
                    reached,
                ));
            }
        }
    }
    out.extend(requests(ds, &t));
    out.extend(cycle(ds, &t));
    out
}

/// Rules 5-8: each core's core and due shares, each member's learning share, the
/// county's backbone share.
fn shares(ds: &Dataset, t: &Tally) -> Vec<RuleOutcome> {
    let rot = &ds.policy.rotation;
    let mut out = Vec::new();
    for com in &ds.communities {
        for &c in &com.core {
            let sent = t.support_from[c.ix()] as f64;
            let req = rot.core_min_share.get(com.mode).ceil_of(t.n[c.ix()]);
            out.push(RuleOutcome::at_least(
                "core_share",
                sid(ds, c).to_string(),
                req as f64,
                sent,
            ));
            let req = rot.due_min_share.ceil_of(t.due[c.ix()]);
            out.push(RuleOutcome::at_least(
                "due_share",
                sid(ds, c).to_string(),
                req as f64,
                sent,
            ));
        }
    }
    for s in ds.communities.iter().flat_map(|c| &c.members) {
        let req = rot.learning_min_share.ceil_of(t.eligible[s.ix()]) as f64;
        let sent = t.learning_from[s.ix()] as f64;
        out.push(RuleOutcome::at_least(
            "learning_share",
            sid(ds, *s).to_string(),
            req,
            sent,
        ));
    }
    let req = rot.backbone_min_share.as_f64() * t.support_all as f64;
    let scope = "county".to_string();
    out.push(RuleOutcome::at_least(
        "backbone_share",
        scope,
        req,
        t.backbone_all as f64,
    ));
    out
}

/// Rule 9: as many learners as supports in each reciprocal community; short either way.
fn reciprocal(ds: &Dataset, t: &Tally) -> Vec<RuleOutcome> {
    let rot = &ds.policy.rotation;
    let reciprocal = ds.communities.iter().enumerate();
    reciprocal
        .filter(|(_, com)| rot.reciprocal.get(com.mode))
        .map(|(ci, com)| {
            let (req, reached) = (t.support_in[ci] as f64, t.learning_in[ci] as f64);
            RuleOutcome {
                rule: "reciprocal",
                scope: com.id.clone(),
                required: req,
                reached,
                shortfall: (req - reached).abs(),
            }
        })
        .collect()
}

/// Rules 10 and 11: every school's outflow cap, then housing where given.
fn caps(ds: &Dataset, t: &Tally) -> Vec<RuleOutcome> {
    let share = ds.policy.rotation.max_outflow_share;
    let schools = ds.schools.iter().enumerate();
    let outflow = schools.clone().map(|(si, s)| {
        let cap = share.floor_of(t.n[si]) as f64;
        RuleOutcome::at_most("outflow_cap", s.id.clone(), cap, t.outflow[si] as f64)
    });
    let housing = schools.filter_map(|(si, s)| {
        let h = s.housing? as f64;
        Some(RuleOutcome::at_most(
            "housing",
            s.id.clone(),
            h,
            t.incoming[si] as f64,
        ))
    });
    outflow.chain(housing).collect()
}

/// Rule 13: each request against who serves at its school from elsewhere.
fn requests(ds: &Dataset, t: &Tally) -> Vec<RuleOutcome> {
    let mut out = Vec::new();
    for r in &ds.requests {
        let fits = |i: &&usize| {
            let te = &ds.teachers[**i];
            match r.kind {
                RequestKind::Teacher(k) => te.subject == k,
                RequestKind::Cadre => te.role != crate::domain::Role::Teacher,
            }
        };
        let what = match r.kind {
            RequestKind::Teacher(k) => ds.subjects[k.ix()].as_str(),
            RequestKind::Cadre => "cadre",
        };
        let got = t.serving_at[r.school.ix()].iter().filter(fits).count() as f64;
        let scope = format!("{}:{what}", sid(ds, r.school));
        out.push(RuleOutcome::at_least("request", scope, r.count as f64, got));
    }
    out
}

/// Rule 14: this year's share of what is left of the cycle's learners,
/// ⌈pending / years left in the cycle⌉, at each member.
fn cycle(ds: &Dataset, t: &Tally) -> Vec<RuleOutcome> {
    let Some((start, len)) = facts::cycle(ds) else {
        return Vec::new();
    };
    let left = (start + len - ds.policy.plan_year) as u32;
    let members = ds.communities.iter().flat_map(|c| &c.members);
    members
        .map(|s| {
            let req = t.pending[s.ix()].div_ceil(left) as f64;
            let gone = t.pending_gone[s.ix()] as f64;
            RuleOutcome::at_least("learning_cycle", sid(ds, *s).to_string(), req, gone)
        })
        .collect()
}

/// Rule 12 at member `s`: (what it reaches with nobody moving, what it has after the
/// plan), both Σ_k mult(s,k)·unmet(s,k); None when it has no demand.
fn member_unmet(
    ds: &Dataset,
    f: &[Facts],
    s: SchoolIx,
    covered: &BTreeMap<(SchoolIx, SubjectIx), i64>,
) -> Option<(f64, f64)> {
    let mult = |k: SubjectIx| {
        ds.schools[s.ix()].priority * ds.policy.weights.unmet_mult(&ds.subjects[k.ix()])
    };
    let rows: Vec<_> = ds
        .demand
        .iter()
        .filter(|d| d.school == s && d.periods > 0)
        .collect();
    if rows.is_empty() {
        return None;
    }
    let after = rows
        .iter()
        .map(|d| {
            let c = covered.get(&(s, d.subject)).copied().unwrap_or(0);
            mult(d.subject) * (d.periods as i64 - c).max(0) as f64
        })
        .sum();
    Some((super::coverage::alone_weighted(ds, f, s, &mult), after))
}

/// Checks summary.json's `rules` against the derived ones: each derived rule written once
/// with the same numbers, `ok` and `why`; no rule written that the dataset does not have.
pub(crate) fn compare(derived: &[RuleOutcome], summary: &Summary, sink: &mut Sink) {
    if !summary.read {
        return;
    }
    let mut written: BTreeMap<(&str, &str), Vec<&RuleEntry>> = BTreeMap::new();
    for e in &summary.rules {
        written
            .entry((e.rule.as_str(), e.scope.as_str()))
            .or_default()
            .push(e);
    }
    for d in derived {
        let name = format!("summary.json: rule {} at {}", d.rule, d.scope);
        let Some(list) = written.remove(&(d.rule, d.scope.as_str())) else {
            sink.push(
                codes::RULE,
                format!(
                    "{name} is missing (derived: required {}, reached {}, shortfall {})",
                    fmt_num(d.required),
                    fmt_num(d.reached),
                    fmt_num(d.shortfall)
                ),
            );
            continue;
        };
        if list.len() > 1 {
            sink.push(
                codes::RULE,
                format!("{name} is listed {} times", list.len()),
            );
        }
        compare_one(&name, d, list[0], sink);
    }
    for ((rule, scope), list) in written {
        for e in list {
            sink.push(
                codes::RULE,
                format!(
                    "summary.json: rules[{}] ({rule} at {scope}) is no rule of this dataset and policy",
                    e.index
                ),
            );
        }
    }
}

/// One written rule `e` (called `name`) against its derived outcome `d`.
fn compare_one(name: &str, d: &RuleOutcome, e: &RuleEntry, sink: &mut Sink) {
    let differs = |a: Option<f64>, b: f64| a.is_none_or(|a| (a - b).abs() > TOL * b.abs().max(1.0));
    let show = |a: Option<f64>| a.map_or("missing".to_string(), fmt_num);
    for (what, got, want) in [
        ("required", e.required, d.required),
        ("reached", e.reached, d.reached),
        ("shortfall", e.shortfall, d.shortfall),
    ] {
        if differs(got, want) {
            sink.push(
                codes::RULE,
                format!(
                    "{name}: {what} is written {} but is {}",
                    show(got),
                    fmt_num(want)
                ),
            );
        }
    }
    let broken = d.shortfall > TOL;
    match e.ok {
        Some(true) if broken => sink.push(
            codes::RULE_HIDDEN,
            format!(
                "{name} is reported ok but the plan breaks it: required {}, reached {}, shortfall {}",
                fmt_num(d.required),
                fmt_num(d.reached),
                fmt_num(d.shortfall)
            ),
        ),
        Some(false) if !broken => {
            sink.push(codes::RULE, format!("{name} is reported broken but holds"))
        }
        None => sink.push(codes::RULE, format!("{name}: `ok` is missing or not a boolean")),
        _ => {}
    }
    if broken && e.why.trim().is_empty() {
        sink.push(
            codes::RULE,
            format!("{name} is broken but `why` gives no reason"),
        );
    }
    if !broken && !e.why.trim().is_empty() {
        sink.push(codes::RULE, format!("{name} holds but `why` is not empty"));
    }
}
