//! What a planner reads on the terminal: the dataset summary of `validate` and the plan
//! summary of `plan`.

pub mod files;
pub mod html;
pub mod lang;
pub mod xlsx;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::{Dataset, LedgerState, Mode, SchoolIx, SchoolKind, Status, SubjectIx};
use crate::plan::Plan;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DatasetSummary {
    pub schools: usize,
    /// kind → stage → count.
    pub schools_by_kind: BTreeMap<String, BTreeMap<String, usize>>,
    pub communities_by_mode: BTreeMap<String, usize>,
    pub teachers: usize,
    /// free / locked / ending / cooldown / exempt (cooldown counts FREE and ENDING
    /// teachers in their cooldown window; exempt counts exempt teachers not LOCKED).
    pub teachers_by_state: BTreeMap<String, usize>,
    /// Core school id → due teachers.
    pub due_per_core: Vec<(String, usize)>,
    /// Subject → unmet periods a week with nobody moving, 音乐/体育/美术 first.
    pub unmet_before: Vec<(String, u32)>,
}

impl DatasetSummary {
    pub fn new(ds: &Dataset, unmet_before: &BTreeMap<(SchoolIx, SubjectIx), u32>) -> Self {
        let mut by_kind: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for k in SchoolKind::ALL {
            by_kind.insert(k.as_str().into(), BTreeMap::new());
        }
        for s in &ds.schools {
            *by_kind
                .entry(s.kind.as_str().into())
                .or_default()
                .entry(s.stage.as_str().into())
                .or_default() += 1;
        }
        let mut by_mode: BTreeMap<String, usize> = Mode::ALL
            .iter()
            .map(|m| (m.as_str().to_string(), 0))
            .collect();
        for c in &ds.communities {
            *by_mode.entry(c.mode.as_str().into()).or_default() += 1;
        }
        let facts = ds.teacher_facts();
        let mut states: BTreeMap<String, usize> =
            ["free", "locked", "ending", "cooldown", "exempt"]
                .iter()
                .map(|s| (s.to_string(), 0))
                .collect();
        for t in ds.teacher_ixs() {
            let f = &facts[t.ix()];
            let key = match f.state {
                LedgerState::Locked(_) => "locked",
                LedgerState::Ending(_) => "ending",
                LedgerState::Free => "free",
            };
            *states.get_mut(key).expect("known state") += 1;
            if f.cooldown {
                *states.get_mut("cooldown").expect("known state") += 1;
            }
            if ds.teacher(t).status == Status::Exempt && !matches!(f.state, LedgerState::Locked(_))
            {
                *states.get_mut("exempt").expect("known state") += 1;
            }
        }
        let n = ds.headcounts(&facts);
        let due_per_core = ds
            .communities
            .iter()
            .flat_map(|c| c.core.iter())
            .map(|&s| (ds.school(s).id.clone(), n.due[s.ix()] as usize))
            .collect();
        let mut per_subject: BTreeMap<SubjectIx, u32> = BTreeMap::new();
        for (&(_, k), &u) in unmet_before {
            *per_subject.entry(k).or_default() += u;
        }
        let mut unmet: Vec<(String, u32)> = per_subject
            .into_iter()
            .map(|(k, u)| (ds.subject_name(k).to_string(), u))
            .collect();
        let rank = |name: &str| {
            ds.policy
                .itinerant
                .subjects
                .iter()
                .position(|s| s == name)
                .unwrap_or(usize::MAX)
        };
        unmet.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));
        DatasetSummary {
            schools: ds.schools.len(),
            schools_by_kind: by_kind,
            communities_by_mode: by_mode,
            teachers: ds.teachers.len(),
            teachers_by_state: states,
            due_per_core,
            unmet_before: unmet,
        }
    }

    /// The ten-second read.
    pub fn render(&self) -> String {
        let mut o = String::new();
        let stages = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        o += &format!("schools      {}\n", self.schools);
        for (kind, m) in &self.schools_by_kind {
            let total: usize = m.values().sum();
            o += &format!("  {kind:<10} {total:>4}  ({})\n", stages(m));
        }
        o += &format!(
            "communities  {}  ({})\n",
            self.communities_by_mode.values().sum::<usize>(),
            stages(&self.communities_by_mode)
        );
        o += &format!("teachers     {}\n", self.teachers);
        for key in ["free", "locked", "ending", "cooldown", "exempt"] {
            o += &format!("  {key:<10} {:>5}\n", self.teachers_by_state[key]);
        }
        o += "due teachers per core school\n";
        for (s, n) in &self.due_per_core {
            o += &format!("  {} {n:>5}\n", pad(s, 10));
        }
        o += "unmet periods a week with nobody moving\n";
        for (k, u) in &self.unmet_before {
            o += &format!("  {} {u:>5}\n", pad(k, 10));
        }
        o
    }
}

/// `s` padded with spaces to `width` terminal columns (a CJK character takes two).
fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// The plan's headline for the terminal.
pub fn render_plan(plan: &Plan) -> String {
    let mut o = String::new();
    let c = &plan.counts;
    o += &format!(
        "status {}  objective {:.3}  bound {:.3}  gap {:.2e}  ({:.1} s)\n",
        crate::plan::status_word(plan.solve.status),
        plan.objective,
        plan.solve.bound.min(plan.objective),
        plan.gap(),
        plan.solve.seconds
    );
    o += &format!(
        "moves: {} support, {} learning, {} extended, {} continuing; {} trip-days a week\n",
        c.support, c.learning, c.extension, c.continuing, c.trip_days
    );
    o += &format!(
        "unmet periods a week: {} before, {} after\n",
        c.unmet_periods_before, c.unmet_periods
    );
    let t = &plan.terms;
    o += &format!(
        "terms: unmet {:.3}, non-main {:.3}, rotation {:.3}, itinerant km {:.3}, extension {:.3}, violation {:.3}\n",
        t.unmet, t.non_main_subject, t.rotation, t.itinerant_km, t.extension, t.violation
    );
    let broken: Vec<_> = plan.broken_rules().collect();
    if broken.is_empty() {
        o += "every rule holds\n";
    } else {
        o += &format!("{} rules cannot all hold:\n", broken.len());
        for r in broken {
            o += &format!(
                "  {} {}: required {}, reached {} — {}\n",
                r.rule, r.scope, r.required, r.reached, r.why
            );
        }
    }
    o
}
