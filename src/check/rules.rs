//! Rules 5-14 of MODEL.md re-derived from the dataset, assignments.csv and teaching.csv (docs/outputs.md's
//! table: required, reached, shortfall), then compared with summary.json's `rules`. A rule
//! the plan breaks is reported, not a violation; a summary that disagrees, or that calls a
//! broken rule ok, is.

use std::collections::BTreeMap;

use super::assignments::Place;
use super::facts::{self, Facts, Structure};
use super::files::Summary;
use super::{codes, fmt_num, Sink};
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

pub(crate) fn derive(
    ds: &Dataset,
    f: &[Facts],
    places: &[Place],
    covered: &BTreeMap<(SchoolIx, SubjectIx), i64>,
) -> Vec<RuleOutcome> {
    let rot = &ds.policy.rotation;
    let new_only = rot.reciprocal_counts == ReciprocalCounts::New;
    let ns = ds.schools.len();
    let nc = ds.communities.len();
    let (mut n, mut due, mut eligible) = (vec![0u32; ns], vec![0u32; ns], vec![0u32; ns]);
    let (mut support_from, mut learning_from) = (vec![0u32; ns], vec![0u32; ns]);
    // Rule 14: teachers still to 跟岗 in the cycle, and those of them serving at a core.
    let (mut pending, mut pending_gone) = (vec![0u32; ns], vec![0u32; ns]);
    let (mut outflow, mut incoming) = (vec![0u32; ns], vec![0u32; ns]);
    let (mut support_in, mut learning_in) = (vec![0u32; nc], vec![0u32; nc]);
    let (mut support_all, mut backbone_all) = (0u32, 0u32);
    // Rule 13: who serves at each school from elsewhere.
    let mut serving_at: Vec<Vec<usize>> = vec![Vec::new(); ns];
    for (i, te) in ds.teachers.iter().enumerate() {
        let h = te.home.ix();
        n[h] += 1;
        due[h] += f[i].due as u32;
        eligible[h] += (f[i].active && f[i].learning_ok) as u32;
        pending[h] += f[i].cycle_pending as u32;
        let Place::Away { host, .. } = places[i] else {
            continue;
        };
        if host == te.home {
            continue;
        }
        outflow[h] += 1;
        incoming[host.ix()] += 1;
        serving_at[host.ix()].push(i);
        // Rule 9 counts new moves only, unless the policy says every teacher serving.
        let counted = !new_only || places[i].new_move().is_some();
        match facts::structure(ds, te.home, host) {
            Some(Structure::Support(c)) => {
                support_from[h] += 1;
                support_in[c.ix()] += counted as u32;
                support_all += 1;
                backbone_all += te.backbone as u32;
            }
            Some(Structure::Learning(c)) => {
                learning_from[h] += 1;
                pending_gone[h] += f[i].cycle_pending as u32;
                learning_in[c.ix()] += counted as u32;
            }
            None => {}
        }
    }
    let sid = |s: SchoolIx| ds.schools[s.ix()].id.clone();
    let at_least = |rule, scope, required: f64, reached: f64| RuleOutcome {
        rule,
        scope,
        required,
        reached,
        shortfall: (required - reached).max(0.0),
    };
    let at_most = |rule, scope, cap: f64, reached: f64| RuleOutcome {
        rule,
        scope,
        required: cap,
        reached,
        shortfall: (reached - cap).max(0.0),
    };
    let mut out = Vec::new();
    for com in &ds.communities {
        for &c in &com.core {
            let req = rot.core_min_share.get(com.mode).ceil_of(n[c.ix()]);
            out.push(at_least(
                "core_share",
                sid(c),
                req as f64,
                support_from[c.ix()] as f64,
            ));
            let req = rot.due_min_share.ceil_of(due[c.ix()]);
            out.push(at_least(
                "due_share",
                sid(c),
                req as f64,
                support_from[c.ix()] as f64,
            ));
        }
    }
    for com in &ds.communities {
        for &s in &com.members {
            let req = rot.learning_min_share.ceil_of(eligible[s.ix()]);
            out.push(at_least(
                "learning_share",
                sid(s),
                req as f64,
                learning_from[s.ix()] as f64,
            ));
        }
    }
    out.push(at_least(
        "backbone_share",
        "county".into(),
        rot.backbone_min_share.as_f64() * support_all as f64,
        backbone_all as f64,
    ));
    for (ci, com) in ds.communities.iter().enumerate() {
        if rot.reciprocal.get(com.mode) {
            let (req, reached) = (support_in[ci] as f64, learning_in[ci] as f64);
            out.push(RuleOutcome {
                rule: "reciprocal",
                scope: com.id.clone(),
                required: req,
                reached,
                shortfall: (req - reached).abs(),
            });
        }
    }
    for (si, s) in ds.schools.iter().enumerate() {
        let cap = rot.max_outflow_share.floor_of(n[si]);
        out.push(at_most(
            "outflow_cap",
            s.id.clone(),
            cap as f64,
            outflow[si] as f64,
        ));
    }
    for (si, s) in ds.schools.iter().enumerate() {
        if let Some(h) = s.housing {
            out.push(at_most(
                "housing",
                s.id.clone(),
                h as f64,
                incoming[si] as f64,
            ));
        }
    }
    if rot.protect_members {
        for com in &ds.communities {
            for &s in &com.members {
                if let Some((cap, reached)) = member_unmet(ds, f, s, covered) {
                    out.push(at_most("protect_members", sid(s), cap, reached));
                }
            }
        }
    }
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
        let got = serving_at[r.school.ix()].iter().filter(fits).count();
        out.push(at_least(
            "request",
            format!("{}:{what}", sid(r.school)),
            r.count as f64,
            got as f64,
        ));
    }
    if let Some((start, len)) = facts::cycle(ds) {
        // This year's share of what is left: ⌈pending / years left in the cycle⌉.
        let left = (start + len - ds.policy.plan_year) as u32;
        for com in &ds.communities {
            for &s in &com.members {
                let req = pending[s.ix()].div_ceil(left);
                out.push(at_least(
                    "learning_cycle",
                    sid(s),
                    req as f64,
                    pending_gone[s.ix()] as f64,
                ));
            }
        }
    }
    out
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

pub(crate) fn compare(derived: &[RuleOutcome], summary: &Summary, sink: &mut Sink) {
    if !summary.read {
        return;
    }
    let mut written: BTreeMap<(&str, &str), Vec<&super::files::RuleEntry>> = BTreeMap::new();
    for e in &summary.rules {
        written
            .entry((e.rule.as_str(), e.scope.as_str()))
            .or_default()
            .push(e);
    }
    let differs = |a: Option<f64>, b: f64| a.is_none_or(|a| (a - b).abs() > TOL * b.abs().max(1.0));
    let show = |a: Option<f64>| a.map_or("missing".to_string(), fmt_num);
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
        let e = list[0];
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
