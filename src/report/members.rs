//! What the report and the workbook show of rules 12 and 13: each member school's unmet
//! periods before and after the plan, and each request with what the plan sends.

use crate::domain::{Dataset, RequestKind, SchoolIx};
use crate::plan::{request_scope, Plan};

/// A request of requests.csv as the plan meets it.
pub struct RequestLine {
    pub school: SchoolIx,
    /// 音乐教师, 干部 …
    pub what_zh: String,
    pub what_en: String,
    pub count: u32,
    pub sent: u32,
    pub met: bool,
    pub note: String,
}

/// A member school's unmet periods a week, with nobody moving and after the plan.
pub struct MemberLine {
    pub school: SchoolIx,
    pub before: u32,
    pub after: u32,
    /// Rule 12 broken here (weighted periods above what nobody moving reaches).
    pub worse: bool,
}

pub fn requests(ds: &Dataset, plan: &Plan) -> Vec<RequestLine> {
    ds.requests
        .iter()
        .map(|r| {
            let scope = request_scope(ds, r);
            let entry = plan
                .rules
                .iter()
                .find(|e| e.rule == "request" && e.scope == scope);
            let (what_zh, what_en) = match r.kind {
                RequestKind::Teacher(k) => (
                    format!("{}教师", ds.subject_name(k)),
                    format!("{} teachers", ds.subject_name(k)),
                ),
                RequestKind::Cadre => ("干部".to_owned(), "cadres".to_owned()),
            };
            RequestLine {
                school: r.school,
                what_zh,
                what_en,
                count: r.count,
                sent: entry.map_or(0, |e| e.reached as u32),
                met: entry.is_some_and(|e| e.ok),
                note: r.note.clone(),
            }
        })
        .collect()
}

pub fn members(ds: &Dataset, plan: &Plan) -> Vec<MemberLine> {
    ds.communities
        .iter()
        .flat_map(|c| c.members.iter().copied())
        .map(|s| {
            let rows = plan.coverage.iter().filter(|c| c.school == s);
            let worse = plan
                .rules
                .iter()
                .any(|e| e.rule == "protect_members" && e.scope == ds.school(s).id && !e.ok);
            MemberLine {
                school: s,
                before: rows.clone().map(|c| c.unmet_before).sum(),
                after: rows.map(|c| c.unmet).sum(),
                worse,
            }
        })
        .collect()
}
