//! Checks that need more than one cell: row consistency and cross-file references. Each
//! rule is one function named after its code; all of them run, whatever the others found.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{Policy, SchoolKind, Scope, Stages, Status};
use crate::limits::MAX_TEACHER_AGE;

use super::records::{
    CommunityRec, DemandRec, DistanceRec, LedgerRec, RequestRec, SchoolRec, TeacherRec,
};
use super::table::{diag, parse_decimal, split_list, At, Table};
use super::Diagnostic;

pub const SCHOOLS: &str = "schools.csv";
pub const COMMUNITIES: &str = "communities.csv";
pub const TEACHERS: &str = "teachers.csv";
pub const DEMAND: &str = "demand.csv";
pub const DISTANCES: &str = "distances.csv";
pub const LEDGER: &str = "ledger.csv";
pub const REQUESTS: &str = "requests.csv";
pub const PINS: &str = "pins.csv";
/// The exchange list sheet of plan.xlsx, read for its column 指定.
pub const LIST: &str = "交流名单";

/// Every record read, before any id is resolved. A file that could not be read has no
/// records and its `*_read` flag is false, so that references into it are not reported
/// once per row.
#[derive(Debug, Default)]
pub struct Records {
    pub schools: Vec<SchoolRec>,
    pub schools_read: bool,
    /// Column of `lat` in schools.csv, to point E0309 at.
    pub school_lat_col: Option<usize>,
    pub communities: Vec<CommunityRec>,
    pub communities_read: bool,
    pub teachers: Vec<TeacherRec>,
    pub teachers_read: bool,
    pub demand: Vec<DemandRec>,
    pub demand_read: bool,
    pub distances: Vec<DistanceRec>,
    pub ledger: Vec<LedgerRec>,
    pub requests: Vec<RequestRec>,
    pub policy: Policy,
}

/// Id → record index, first occurrence wins (later ones are E0304).
#[derive(Debug, Default)]
pub struct Ids {
    pub school: BTreeMap<String, usize>,
    pub community: BTreeMap<String, usize>,
    pub teacher: BTreeMap<String, usize>,
}

impl Ids {
    pub fn new(r: &Records) -> Ids {
        fn first<'a>(ids: impl Iterator<Item = Option<&'a At<String>>>) -> BTreeMap<String, usize> {
            let mut m = BTreeMap::new();
            for (i, id) in ids.enumerate() {
                if let Some(id) = id {
                    m.entry(id.v.clone()).or_insert(i);
                }
            }
            m
        }
        Ids {
            school: first(r.schools.iter().map(|s| s.id.as_ref())),
            community: first(r.communities.iter().map(|c| c.id.as_ref())),
            teacher: first(r.teachers.iter().map(|t| t.id.as_ref())),
        }
    }
}

/// Runs every rule.
pub fn check_all(r: &Records, d: &mut Vec<Diagnostic>) {
    let ids = Ids::new(r);
    check_e0110_no_schools(r, d);
    check_w0102_no_rows(r, d);
    check_e0207_hired_too_young(r, d);
    check_e0208_school_since_before_hire(r, d);
    check_e0209_half_coordinates(r, d);
    check_e0210_implausible_age(r, d);
    check_e0211_id_with_space(r, d);
    check_e0301_unknown_school(r, &ids, d);
    check_e0302_unknown_community(r, &ids, d);
    check_e0303_unknown_teacher(r, &ids, d);
    check_e0304_duplicate_id(r, d);
    check_e0305_duplicate_demand(r, d);
    check_e0306_core_not_in_community(r, &ids, d);
    check_e0307_stage_not_offered(r, &ids, d);
    check_e0308_year_after_plan(r, d);
    check_e0309_distance_not_derivable(r, &ids, d);
    check_e0310_duplicate_distance(r, d);
    check_e0311_distance_to_itself(r, d);
    check_w0301_community_without_members(r, &ids, d);
    check_w0302_rural_core_with_urban_member(r, &ids, d);
    check_w0303_demand_nobody_teaches(r, d);
    check_e0401_ledger_starts_after_plan(r, d);
    check_e0402_ledger_ends_before_start(r, d);
    check_e0403_ledger_overlap(r, d);
    check_e0404_ledger_from_not_home(r, &ids, d);
    check_e0405_ledger_to_home(r, d);
    check_e0406_request_subject(r, d);
    check_w0401_ledger_before_hire(r, &ids, d);
    check_e0408_ledger_too_long(r, d);
}

/// Checks of a file's cells as written, whatever the column: run on every table read.
pub fn check_table(t: &Table, d: &mut Vec<Diagnostic>) {
    check_e0212_formula_or_control(t, d);
    check_w0201_subject_with_space(t, d);
}

/// A county has schools: without any there is nothing to plan.
pub fn check_e0110_no_schools(r: &Records, d: &mut Vec<Diagnostic>) {
    if r.schools_read && r.schools.is_empty() {
        d.push(diag(
            SCHOOLS,
            1,
            1,
            "E0110",
            "the file has a header but no schools",
            "one row per school of the county",
        ));
    }
}

/// No teachers or no demand: the plan is empty; said, since it is seldom meant.
pub fn check_w0102_no_rows(r: &Records, d: &mut Vec<Diagnostic>) {
    for (file, read, empty) in [
        (TEACHERS, r.teachers_read, r.teachers.is_empty()),
        (DEMAND, r.demand_read, r.demand.is_empty()),
    ] {
        if read && empty {
            d.push(diag(
                file,
                1,
                1,
                "W0102",
                "the file has a header but no rows: the plan will be empty",
                "one row per teacher, and per school and subject of demand",
            ));
        }
    }
}

/// A teacher's age in the plan year is one a school employs.
pub fn check_e0210_implausible_age(r: &Records, d: &mut Vec<Diagnostic>) {
    let y = i64::from(r.policy.plan_year);
    for b in r.teachers.iter().filter_map(|t| t.birth_year.as_ref()) {
        if y - b.v > MAX_TEACHER_AGE {
            d.push(diag(
                TEACHERS,
                b.line,
                b.col,
                "E0210",
                format!("a teacher of {} in the plan year {y}", y - b.v),
                format!(
                    "birth_year ≥ {} (at most {MAX_TEACHER_AGE} years old)",
                    y - MAX_TEACHER_AGE
                ),
            ));
        }
    }
}

/// Ids are one word: a space inside one is a typing slip that makes two rows look alike
/// to a person and differ to the planner.
pub fn check_e0211_id_with_space(r: &Records, d: &mut Vec<Diagnostic>) {
    let schools = r.schools.iter().map(|s| (SCHOOLS, s.id.as_ref()));
    let communities = r.communities.iter().map(|c| (COMMUNITIES, c.id.as_ref()));
    let teachers = r.teachers.iter().map(|t| (TEACHERS, t.id.as_ref()));
    for (file, id) in schools.chain(communities).chain(teachers) {
        // Line breaks and tabs are control characters: E0212 says so.
        let space = |c: char| c.is_whitespace() && !c.is_control();
        if let Some(a) = id.filter(|a| a.v.chars().any(space)) {
            d.push(diag(
                file,
                a.line,
                a.col,
                "E0211",
                format!("id `{}` has a space inside", a.v.escape_debug()),
                "an id of letters, digits and signs such as - _ . without spaces",
            ));
        }
    }
}

/// Cells a spreadsheet would run or mangle: a formula sign first (`=HYPERLINK(…)` becomes
/// live when the plan's CSV is opened), or a control character (NUL, a line break). Numbers
/// (`-3`) and a sign alone are not formulas.
pub fn check_e0212_formula_or_control(t: &Table, d: &mut Vec<Diagnostic>) {
    for row in &t.rows {
        for (i, cell) in row.cells.iter().enumerate() {
            // A sign alone ("-" for none) is text to a spreadsheet too.
            let formula = cell.len() > 1
                && cell.starts_with(['=', '+', '-', '@'])
                && parse_decimal(cell).is_none();
            let control = cell.chars().any(char::is_control);
            if formula || control {
                let why = if control {
                    "holds a control character (a line break, tab or NUL)"
                } else {
                    "starts with a sign a spreadsheet takes for a formula"
                };
                let shown: String = cell.chars().take(40).collect();
                t.budget.push(
                    d,
                    diag(
                        &t.file,
                        row.line,
                        i + 1,
                        "E0212",
                        format!("`{}` {why}", shown.escape_debug()),
                        "text without control characters, not starting with = + - @",
                    ),
                );
            }
        }
    }
}

/// "语 文" is almost always 语文 mistyped: said once per name, not made a subject silently.
pub fn check_w0201_subject_with_space(t: &Table, d: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for col in ["subject", "extra_subjects"] {
        let Some(c) = t.column(col) else { continue };
        for row in &t.rows {
            let cell = row.cells.get(c - 1).map_or("", String::as_str);
            for k in split_list(cell) {
                if k.contains(char::is_whitespace) && seen.insert(k.clone()) {
                    let joined: String = k.split_whitespace().collect();
                    t.budget.push(
                        d,
                        diag(
                            &t.file,
                            row.line,
                            c,
                            "W0201",
                            format!("subject `{k}` has a space inside: it is read as a subject of its own"),
                            format!("a subject name without spaces, e.g. `{joined}`"),
                        ),
                    );
                }
            }
        }
    }
}

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
pub fn check_w0301_community_without_members(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
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
pub fn check_w0302_rural_core_with_urban_member(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
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
pub fn check_w0303_demand_nobody_teaches(r: &Records, d: &mut Vec<Diagnostic>) {
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

/// The youngest age at which anyone starts teaching.
pub const MIN_HIRE_AGE: i64 = 16;

/// hire_year ≥ birth_year + 16.
pub fn check_e0207_hired_too_young(r: &Records, d: &mut Vec<Diagnostic>) {
    for t in &r.teachers {
        if let (Some(b), Some(h)) = (&t.birth_year, &t.hire_year) {
            if h.v < b.v + MIN_HIRE_AGE {
                d.push(diag(
                    TEACHERS,
                    h.line,
                    h.col,
                    "E0207",
                    format!(
                        "hire_year {} is less than {MIN_HIRE_AGE} years after birth_year {}",
                        h.v, b.v
                    ),
                    format!("hire_year ≥ {}", b.v + MIN_HIRE_AGE),
                ));
            }
        }
    }
}

/// school_since ≥ hire_year: nobody teaches at a school before teaching at all.
pub fn check_e0208_school_since_before_hire(r: &Records, d: &mut Vec<Diagnostic>) {
    for t in &r.teachers {
        if let (Some(h), Some(s)) = (&t.hire_year, &t.school_since) {
            if s.v < h.v {
                d.push(diag(
                    TEACHERS,
                    s.line,
                    s.col,
                    "E0208",
                    format!("school_since {} is before hire_year {}", s.v, h.v),
                    format!("school_since ≥ {}", h.v),
                ));
            }
        }
    }
}

/// lat and lon are given together or not at all.
pub fn check_e0209_half_coordinates(r: &Records, d: &mut Vec<Diagnostic>) {
    for s in &r.schools {
        if s.lat_cell != s.lon_cell {
            let missing = if s.lat_cell { "lon" } else { "lat" };
            let col = if s.lat_cell {
                s.lat.as_ref().map(|a| a.col)
            } else {
                s.lon.as_ref().map(|a| a.col)
            };
            d.push(diag(
                SCHOOLS,
                s.line,
                col.or(r.school_lat_col).unwrap_or(1),
                "E0209",
                format!("only one of lat/lon is given ({missing} is empty)"),
                "both lat and lon, or neither",
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
pub fn check_e0301_unknown_school(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
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
pub fn check_e0302_unknown_community(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
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
pub fn check_e0303_unknown_teacher(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
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
pub fn check_e0304_duplicate_id(r: &Records, d: &mut Vec<Diagnostic>) {
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
pub fn check_e0305_duplicate_demand(r: &Records, d: &mut Vec<Diagnostic>) {
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
pub fn check_e0306_core_not_in_community(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
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
pub fn check_e0307_stage_not_offered(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
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
pub fn check_e0308_year_after_plan(r: &Records, d: &mut Vec<Diagnostic>) {
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

/// Unordered school pairs (record indices, smaller first) whose travel the model needs:
/// core–member pairs of a community, and itinerant stops (MODEL.md "Itinerant trips").
pub fn needed_pairs(r: &Records, ids: &Ids) -> BTreeMap<(usize, usize), &'static str> {
    let mut need = BTreeMap::new();
    let mut add = |a: usize, b: usize, why: &'static str| {
        if a != b {
            need.entry((a.min(b), a.max(b))).or_insert(why);
        }
    };
    let community_of = |s: usize| r.schools[s].community.as_ref().map(|a| a.v.as_str());
    for c in &r.communities {
        let (Some(cid), Some(core)) = (&c.id, &c.core) else {
            continue;
        };
        let cores: BTreeSet<usize> = core
            .v
            .iter()
            .filter_map(|id| ids.school.get(id).copied())
            .filter(|&s| community_of(s) == Some(cid.v.as_str()))
            .collect();
        for m in (0..r.schools.len()).filter(|&s| community_of(s) == Some(cid.v.as_str())) {
            if ids.school.get(school_id(&r.schools[m])) == Some(&m) && !cores.contains(&m) {
                for &k in &cores {
                    add(k, m, "a core–member pair");
                }
            }
        }
    }
    let it = &r.policy.itinerant;
    if it.max_days == 0 || it.subjects.is_empty() {
        return need;
    }
    // Demand > 0 per school, by subject.
    let mut wanted: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for x in &r.demand {
        if let (Some(s), Some(k), Some(p)) = (&x.school, &x.subject, x.periods) {
            if let (Some(&si), true) = (ids.school.get(&s.v), p > 0) {
                wanted.entry(k.v.as_str()).or_default().insert(si);
            }
        }
    }
    // Distinct (home, stages, itinerant subjects) of active teachers: enough to find pairs.
    let mut kinds: BTreeSet<(usize, Stages, Vec<&str>)> = BTreeSet::new();
    for t in r.teachers.iter().filter(|t| t.status == Status::Active) {
        let Some(h) = t
            .school
            .as_ref()
            .and_then(|a| ids.school.get(&a.v).copied())
        else {
            continue;
        };
        let Some(stage) = t.stage.as_ref().map(|a| a.v).or(r.schools[h].stage) else {
            continue;
        };
        let k: Vec<&str> = t
            .subject
            .iter()
            .chain(&t.extra_subjects)
            .map(String::as_str)
            .filter(|k| it.subjects.iter().any(|s| s == k))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !k.is_empty() {
            kinds.insert((h, stage, k));
        }
    }
    for (h, stage, k) in kinds {
        let stops: BTreeSet<usize> = k
            .iter()
            .flat_map(|k| wanted.get(k).into_iter().flatten().copied())
            .collect();
        for s in stops {
            let overlaps = r.schools[s].stage.is_some_and(|ss| ss.overlaps(stage));
            let in_scope = it.scope == Scope::County
                || (community_of(h).is_some() && community_of(h) == community_of(s));
            if s != h && overlaps && in_scope {
                add(h, s, "an itinerant stop");
            }
        }
    }
    need
}

fn school_id(s: &SchoolRec) -> &str {
    s.id.as_ref().map_or("", |a| a.v.as_str())
}

/// A needed pair has a row in distances.csv or coordinates at both ends. One diagnostic
/// per school lacking coordinates, so a county without any prints one line per school.
pub fn check_e0309_distance_not_derivable(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
    // Cells, not parsed values: an unreadable lat already has its own error.
    let has_coords = |s: usize| r.schools[s].lat_cell && r.schools[s].lon_cell;
    if (0..r.schools.len()).all(has_coords) {
        return;
    }
    let mut given = BTreeSet::new();
    for x in &r.distances {
        let (Some(a), Some(b)) = (&x.from, &x.to) else {
            continue;
        };
        if let (Some(&a), Some(&b)) = (ids.school.get(&a.v), ids.school.get(&b.v)) {
            given.insert((a.min(b), a.max(b)));
        }
    }
    // Per school lacking coordinates: (count, first example pair, why).
    let mut missing: BTreeMap<usize, (usize, usize, &str)> = BTreeMap::new();
    for ((a, b), why) in needed_pairs(r, ids) {
        if given.contains(&(a, b)) || (has_coords(a) && has_coords(b)) {
            continue;
        }
        for (s, other) in [(a, b), (b, a)] {
            if !has_coords(s) {
                missing.entry(s).or_insert((0, other, why)).0 += 1;
            }
        }
    }
    for (s, (n, other, why)) in missing {
        let rec = &r.schools[s];
        let col = r.school_lat_col.unwrap_or(1);
        d.push(diag(
            SCHOOLS,
            rec.line,
            col,
            "E0309",
            format!(
                "school `{}` has no lat/lon and {n} needed distance(s) are not in {DISTANCES}, e.g. to `{}` ({why})",
                school_id(rec),
                school_id(&r.schools[other])
            ),
            format!("lat and lon for `{}`, or rows in {DISTANCES}", school_id(rec)),
        ));
    }
}

/// A (from, to) pair is given once.
pub fn check_e0310_duplicate_distance(r: &Records, d: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for x in &r.distances {
        let (Some(a), Some(b)) = (&x.from, &x.to) else {
            continue;
        };
        if let Some(first) = seen.get(&(a.v.as_str(), b.v.as_str())) {
            d.push(diag(
                DISTANCES,
                x.line,
                a.col,
                "E0310",
                format!(
                    "second row from `{}` to `{}` (first on line {first})",
                    a.v, b.v
                ),
                "one row per ordered pair",
            ));
        } else {
            seen.insert((&a.v, &b.v), x.line);
        }
    }
}

/// from ≠ to in distances.csv.
pub fn check_e0311_distance_to_itself(r: &Records, d: &mut Vec<Diagnostic>) {
    for x in &r.distances {
        if let (Some(a), Some(b)) = (&x.from, &x.to) {
            if a.v == b.v {
                d.push(diag(
                    DISTANCES,
                    b.line,
                    b.col,
                    "E0311",
                    format!("a distance from `{}` to itself", a.v),
                    "two different schools",
                ));
            }
        }
    }
}

/// No ledger term starts after the plan year.
pub fn check_e0401_ledger_starts_after_plan(r: &Records, d: &mut Vec<Diagnostic>) {
    let y = i64::from(r.policy.plan_year);
    for l in &r.ledger {
        if let Some(s) = l.start_year.as_ref().filter(|s| s.v > y) {
            d.push(diag(
                LEDGER,
                s.line,
                s.col,
                "E0401",
                format!("start_year {} is after the plan year {y}", s.v),
                format!("start_year ≤ {y}"),
            ));
        }
    }
}

/// end_year ≥ start_year.
pub fn check_e0402_ledger_ends_before_start(r: &Records, d: &mut Vec<Diagnostic>) {
    for l in &r.ledger {
        if let (Some(s), Some(e)) = (&l.start_year, &l.end_year) {
            if e.v < s.v {
                d.push(diag(
                    LEDGER,
                    e.line,
                    e.col,
                    "E0402",
                    format!("end_year {} is before start_year {}", e.v, s.v),
                    format!("end_year ≥ {}", s.v),
                ));
            }
        }
    }
}

/// Two terms of one teacher do not share a year.
pub fn check_e0403_ledger_overlap(r: &Records, d: &mut Vec<Diagnostic>) {
    let mut by_teacher: BTreeMap<&str, Vec<(i64, i64, usize, usize)>> = BTreeMap::new();
    for l in &r.ledger {
        if let (Some(t), Some(s), Some(e)) = (&l.teacher, &l.start_year, &l.end_year) {
            if e.v >= s.v {
                by_teacher
                    .entry(&t.v)
                    .or_default()
                    .push((s.v, e.v, l.line, s.col));
            }
        }
    }
    for (t, mut terms) in by_teacher {
        terms.sort();
        // Against the latest-ending earlier term, so A⊃B⊃C reports B and C once each.
        let mut reach: Option<(i64, usize)> = None;
        for &(s, e, line, col) in &terms {
            if let Some((end, other)) = reach.filter(|&(end, _)| s <= end) {
                d.push(diag(
                    LEDGER,
                    line,
                    col,
                    "E0403",
                    format!(
                        "teacher `{t}`: this term overlaps the one on line {other} (ending {end})"
                    ),
                    format!("start_year > {end}"),
                ));
            }
            if reach.is_none_or(|(end, _)| e > end) {
                reach = Some((e, line));
            }
        }
    }
}

/// A ledger row's `from` is the teacher's home school.
pub fn check_e0404_ledger_from_not_home(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
    for l in &r.ledger {
        let (Some(t), Some(from)) = (&l.teacher, &l.from) else {
            continue;
        };
        let Some(&ti) = ids.teacher.get(&t.v) else {
            continue;
        };
        let Some(home) = &r.teachers[ti].school else {
            continue;
        };
        if from.v != home.v {
            d.push(diag(
                LEDGER,
                from.line,
                from.col,
                "E0404",
                format!("from `{}` is not the home school of `{}`", from.v, t.v),
                format!("`{}`", home.v),
            ));
        }
    }
}

/// A rotation goes somewhere else: to ≠ from.
pub fn check_e0405_ledger_to_home(r: &Records, d: &mut Vec<Diagnostic>) {
    for l in &r.ledger {
        if let (Some(from), Some(to)) = (&l.from, &l.to) {
            if from.v == to.v {
                d.push(diag(
                    LEDGER,
                    to.line,
                    to.col,
                    "E0405",
                    format!("to `{}` is the same school as from", to.v),
                    "a school other than from",
                ));
            }
        }
    }
}

/// A teacher request names its subject; a cadre request names none (a cadre is asked for
/// to help run the school, whatever they teach).
pub fn check_e0406_request_subject(r: &Records, d: &mut Vec<Diagnostic>) {
    for x in &r.requests {
        let Some(cadre) = &x.cadre else { continue };
        match (&x.subject, cadre.v) {
            (None, false) => d.push(diag(
                REQUESTS,
                x.line,
                cadre.col,
                "E0406",
                "a teacher request names no subject".to_owned(),
                "the subject asked for, e.g. 音乐",
            )),
            (Some(k), true) => d.push(diag(
                REQUESTS,
                k.line,
                k.col,
                "E0406",
                format!("a cadre request names a subject `{}`", k.v),
                "an empty subject for a cadre (干部) request",
            )),
            _ => {}
        }
    }
}

/// Nobody rotates before they teach: a term starting before the hire year is warned of,
/// not refused. Counties' own ledgers have such rows (each of ../shared/instances has
/// 12-18: a hire year that is the year of the current post, or a typing slip); the term
/// itself is what the plan needs, and refusing the county would leave it without a plan.
pub fn check_w0401_ledger_before_hire(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
    for l in &r.ledger {
        let (Some(t), Some(s)) = (&l.teacher, &l.start_year) else {
            continue;
        };
        let hired = ids
            .teacher
            .get(&t.v)
            .and_then(|&i| r.teachers[i].hire_year.as_ref());
        if let Some(h) = hired.filter(|h| s.v < h.v) {
            d.push(diag(
                LEDGER,
                s.line,
                s.col,
                "W0401",
                format!(
                    "a term from {} of `{}`, hired in {}: kept as written",
                    s.v, t.v, h.v
                ),
                format!("start_year ≥ {}", h.v),
            ));
        }
    }
}

/// A term the plan sees (under way or ending) lasts at most term_years +
/// max_extension_years: 2025-2099 would lock a teacher for life.
pub fn check_e0408_ledger_too_long(r: &Records, d: &mut Vec<Diagnostic>) {
    let rot = &r.policy.rotation;
    let most = i64::from(rot.term_years) + i64::from(rot.max_extension_years);
    let y = i64::from(r.policy.plan_year);
    for l in &r.ledger {
        let (Some(s), Some(e)) = (&l.start_year, &l.end_year) else {
            continue;
        };
        if e.v >= y - 1 && e.v - s.v + 1 > most {
            d.push(diag(
                LEDGER,
                e.line,
                e.col,
                "E0408",
                format!(
                    "a term of {} school years ({}-{}), longer than term_years {} + max_extension_years {}",
                    e.v - s.v + 1,
                    s.v,
                    e.v,
                    rot.term_years,
                    rot.max_extension_years
                ),
                format!("end_year ≤ {}", s.v + most - 1),
            ));
        }
    }
}
