//! Checks of the references between files: ids that exist, once each, cores in their
//! communities, stages offered, years up to the plan year (docs/errors.md, "References
//! between files").

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::SchoolKind;
use crate::input::table::{diag, At};
use crate::input::Diagnostic;

use super::{Ids, Records, COMMUNITIES, DEMAND, DISTANCES, LEDGER, REQUESTS, SCHOOLS, TEACHERS};

/// Record indices of the schools naming community `id` that are not its cores (a
/// repeated id is a school of its own here: E0304 speaks of it).
fn members_of(r: &Records, ids: &Ids, id: &str, core: &[String]) -> Vec<usize> {
    let cores: BTreeSet<usize> = core
        .iter()
        .filter_map(|c| ids.school.get(c))
        .copied()
        .collect();
    (0..r.schools.len())
        .filter(|&s| r.schools[s].community.as_ref().is_some_and(|a| a.v == id))
        .filter(|s| !cores.contains(s))
        .collect()
}

/// A community whose schools are all cores has nobody to exchange with.
pub(super) fn check_w0301_community_without_members(
    r: &Records,
    ids: &Ids,
    d: &mut Vec<Diagnostic>,
) {
    for c in &r.communities {
        let (Some(id), Some(core)) = (&c.id, &c.core) else {
            continue;
        };
        if members_of(r, ids, &id.v, &core.v).is_empty() {
            d.push(diag(
                COMMUNITIES,
                id.line,
                id.col,
                "W0301",
                format!(
                    "community `{}` has no member school: its core has none to send teachers to",
                    id.v
                ),
                format!("schools naming `{}` in {SCHOOLS} besides its core", id.v),
            ));
        }
    }
}

/// Exchange runs from the lead school in town outward: a rural core with an urban member
/// is almost always a mistyped `kind`. (A rural core with a town member happens: a strong
/// central village school leading a town one.)
pub(super) fn check_w0302_rural_core_with_urban_member(
    r: &Records,
    ids: &Ids,
    d: &mut Vec<Diagnostic>,
) {
    for c in &r.communities {
        let (Some(id), Some(core)) = (&c.id, &c.core) else {
            continue;
        };
        for cid in &core.v {
            let rural = |i: &usize| r.schools[*i].kind == Some(SchoolKind::Rural);
            if ids.school.get(cid).filter(|i| rural(i)).is_none() {
                continue;
            }
            let urban = members_of(r, ids, &id.v, &core.v)
                .into_iter()
                .find(|&m| r.schools[m].kind == Some(SchoolKind::Urban))
                .and_then(|m| r.schools[m].id.as_ref());
            if let Some(m) = urban {
                d.push(diag(
                    COMMUNITIES,
                    core.line,
                    core.col,
                    "W0302",
                    format!("core `{cid}` is rural and its member `{}` is urban", m.v),
                    "a core at least as urban as its members (check `kind` in schools.csv)",
                ));
            }
        }
    }
}

/// Demand for a subject no teacher of the county has, main or extra, stays unmet whatever
/// the plan: said once per subject, at its first row. Not when a teacher's subject could
/// not be read (E0201): that teacher may be the one.
pub(super) fn check_w0303_demand_nobody_teaches(r: &Records, d: &mut Vec<Diagnostic>) {
    if !r.teachers_read || r.teachers.iter().any(|t| t.subject.is_none()) {
        return;
    }
    let taught: BTreeSet<&str> = r
        .teachers
        .iter()
        .flat_map(|t| t.subject.iter().chain(&t.extra_subjects))
        .map(String::as_str)
        .collect();
    let mut said = BTreeSet::new();
    for x in &r.demand {
        let (Some(k), Some(p)) = (&x.subject, x.periods) else {
            continue;
        };
        if p > 0 && !taught.contains(k.v.as_str()) && said.insert(k.v.as_str()) {
            d.push(diag(
                DEMAND,
                k.line,
                k.col,
                "W0303",
                format!(
                    "no teacher of the county teaches `{}`: its demand stays unmet",
                    k.v
                ),
                format!("a teacher of `{}` in {TEACHERS}, or no demand for it", k.v),
            ));
        }
    }
}

fn unknown(
    d: &mut Vec<Diagnostic>,
    file: &str,
    a: &At<String>,
    code: &'static str,
    what: &str,
    list: &str,
) {
    d.push(diag(
        file,
        a.line,
        a.col,
        code,
        format!("unknown {what} `{}`", a.v),
        format!("an id from {list}"),
    ));
}

/// Every school id named anywhere exists in schools.csv.
pub(super) fn check_e0301_unknown_school(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
    if !r.schools_read {
        return;
    }
    let mut refs: Vec<(&str, &At<String>)> = Vec::new();
    refs.extend(
        r.teachers
            .iter()
            .filter_map(|t| t.school.as_ref())
            .map(|a| (TEACHERS, a)),
    );
    refs.extend(
        r.demand
            .iter()
            .filter_map(|x| x.school.as_ref())
            .map(|a| (DEMAND, a)),
    );
    for x in &r.distances {
        refs.extend(x.from.iter().chain(&x.to).map(|a| (DISTANCES, a)));
    }
    for x in &r.ledger {
        refs.extend(x.from.iter().chain(&x.to).map(|a| (LEDGER, a)));
    }
    refs.extend(
        r.requests
            .iter()
            .filter_map(|x| x.school.as_ref())
            .map(|a| (REQUESTS, a)),
    );
    for (file, a) in refs {
        if !ids.school.contains_key(&a.v) {
            unknown(d, file, a, "E0301", "school", SCHOOLS);
        }
    }
    for c in &r.communities {
        for id in c.core.iter().flat_map(|a| a.v.iter()) {
            if !ids.school.contains_key(id) {
                let core = c.core.as_ref().map_or((c.line, 1), |a| (a.line, a.col));
                d.push(diag(
                    COMMUNITIES,
                    core.0,
                    core.1,
                    "E0301",
                    format!("unknown school `{id}` in core"),
                    format!("an id from {SCHOOLS}"),
                ));
            }
        }
    }
}

/// A school's community exists in communities.csv (a missing file is E0101 instead).
pub(super) fn check_e0302_unknown_community(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
    if !r.communities_read {
        return;
    }
    for s in &r.schools {
        if let Some(c) = &s.community {
            if !ids.community.contains_key(&c.v) {
                unknown(d, SCHOOLS, c, "E0302", "community", COMMUNITIES);
            }
        }
    }
}

/// Ledger rows name teachers of teachers.csv.
pub(super) fn check_e0303_unknown_teacher(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
    if !r.teachers_read {
        return;
    }
    for l in &r.ledger {
        if let Some(t) = &l.teacher {
            if !ids.teacher.contains_key(&t.v) {
                unknown(d, LEDGER, t, "E0303", "teacher", TEACHERS);
            }
        }
    }
}

/// Ids are unique in their file; a core list names a school once.
pub(super) fn check_e0304_duplicate_id(r: &Records, d: &mut Vec<Diagnostic>) {
    fn dups<'a>(
        d: &mut Vec<Diagnostic>,
        file: &str,
        ids: impl Iterator<Item = Option<&'a At<String>>>,
    ) {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for a in ids.flatten() {
            if let Some(first) = seen.get(a.v.as_str()) {
                d.push(diag(
                    file,
                    a.line,
                    a.col,
                    "E0304",
                    format!("duplicate id `{}` (first on line {first})", a.v),
                    "a unique id",
                ));
            } else {
                seen.insert(&a.v, a.line);
            }
        }
    }
    dups(d, SCHOOLS, r.schools.iter().map(|s| s.id.as_ref()));
    dups(d, COMMUNITIES, r.communities.iter().map(|c| c.id.as_ref()));
    dups(d, TEACHERS, r.teachers.iter().map(|t| t.id.as_ref()));
    for c in &r.communities {
        let Some(core) = &c.core else { continue };
        let mut seen = BTreeSet::new();
        for id in &core.v {
            if !seen.insert(id) {
                d.push(diag(
                    COMMUNITIES,
                    core.line,
                    core.col,
                    "E0304",
                    format!("school `{id}` is listed twice in core"),
                    "each core school once",
                ));
            }
        }
    }
}

/// One demand row per (school, subject).
pub(super) fn check_e0305_duplicate_demand(r: &Records, d: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for x in &r.demand {
        let (Some(s), Some(k)) = (&x.school, &x.subject) else {
            continue;
        };
        if let Some(first) = seen.get(&(s.v.as_str(), k.v.as_str())) {
            d.push(diag(
                DEMAND,
                x.line,
                s.col,
                "E0305",
                format!(
                    "second demand row for school `{}` and subject `{}` (first on line {first})",
                    s.v, k.v
                ),
                "one row per school and subject",
            ));
        } else {
            seen.insert((&s.v, &k.v), x.line);
        }
    }
}

/// Each core school names this community in schools.csv.
pub(super) fn check_e0306_core_not_in_community(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
    for c in &r.communities {
        let (Some(cid), Some(core)) = (&c.id, &c.core) else {
            continue;
        };
        for id in &core.v {
            let Some(&si) = ids.school.get(id) else {
                continue;
            };
            let named = r.schools[si].community.as_ref().map(|a| a.v.as_str());
            if named != Some(cid.v.as_str()) {
                let now = named.map_or("none".to_owned(), |n| format!("`{n}`"));
                d.push(diag(
                    COMMUNITIES,
                    core.line,
                    core.col,
                    "E0306",
                    format!(
                        "core school `{id}` names community {now} in {SCHOOLS}, not `{}`",
                        cid.v
                    ),
                    format!("core schools whose community is `{}`", cid.v),
                ));
            }
        }
    }
}

/// A primary teacher at a junior school (or the reverse) cannot teach there.
pub(super) fn check_e0307_stage_not_offered(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
    for t in &r.teachers {
        let (Some(st), Some(home)) = (&t.stage, &t.school) else {
            continue;
        };
        let Some(&si) = ids.school.get(&home.v) else {
            continue;
        };
        let Some(ss) = r.schools[si].stage else {
            continue;
        };
        if !st.v.overlaps(ss) {
            d.push(diag(
                TEACHERS,
                st.line,
                st.col,
                "E0307",
                format!(
                    "a {} teacher at `{}`, a {} school",
                    st.v.as_str(),
                    home.v,
                    ss.as_str()
                ),
                format!("a stage the home school teaches ({})", ss.as_str()),
            ));
        }
    }
}

/// Birth, hire and school_since years are not after the plan year.
pub(super) fn check_e0308_year_after_plan(r: &Records, d: &mut Vec<Diagnostic>) {
    let y = i64::from(r.policy.plan_year);
    for t in &r.teachers {
        for (name, a) in [
            ("birth_year", &t.birth_year),
            ("hire_year", &t.hire_year),
            ("school_since", &t.school_since),
        ] {
            if let Some(a) = a.as_ref().filter(|a| a.v > y) {
                d.push(diag(
                    TEACHERS,
                    a.line,
                    a.col,
                    "E0308",
                    format!("{name} {} is after the plan year {y}", a.v),
                    format!("a year ≤ {y}"),
                ));
            }
        }
    }
}
