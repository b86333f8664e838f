//! What-if studies: a scenarios file names variants of one county ("hire 6 music
//! teachers", "outflow rule at 15%"), each a list of changes applied to the checked
//! dataset; the variants are then planned like any dataset.

mod file;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::{
    Dataset, Demand, Gender, RequestKind, Role, SchoolIx, Status, SubjectIx, Teacher, TeacherIx,
    Willing,
};
use crate::input::Diagnostic;
use crate::plan::Solved;
pub use file::{parse, At};

/// The scenarios file (TOML): `[[scenario]]` tables, each `name` and `[[scenario.change]]`s.
#[derive(Clone, Debug)]
pub struct ScenarioFile {
    pub scenario: Vec<Scenario>,
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub change: Vec<Change>,
    /// Where its name and its changes' keys stand in the file, for diagnostics.
    pub at: At,
}

/// One change, written `kind = "…"` plus its fields.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Hire `count` new teachers of `subject` at `school` (first year of teaching).
    AddTeachers {
        school: String,
        subject: String,
        count: u32,
        capacity: Option<u32>,
    },
    /// Remove `count` teachers whose main subject is `subject` at `school` (the last by
    /// id among those not in a term under way).
    RemoveTeachers {
        school: String,
        subject: String,
        count: u32,
    },
    /// Set the periods a week `school` needs of `subject`.
    Demand {
        school: String,
        subject: String,
        periods: u32,
    },
    /// Set a policy key, e.g. `key = "rotation.max_outflow_share"`, `value = 0.15`.
    Policy { key: String, value: toml::Value },
    /// Mark teachers exempt (illness, pregnancy, near retirement …).
    Exempt { teachers: Vec<String> },
    /// Close `school`: its pupils' periods and its teachers go to `into`.
    CloseSchool { school: String, into: String },
    /// Re-pair one school (issue 16 item 4): `school` leaves its community (if any) and
    /// joins `community` as a member ("what if 什字中学 joined 西吉三中's community").
    MoveSchool { school: String, community: String },
    /// Form the communities anew, as `lungang communities` does with these options
    /// (docs/communities.md; each optional, the command's defaults otherwise).
    FormCommunities {
        coverage: Option<f64>,
        max_minutes: Option<f64>,
        members: Option<String>,
        repair: Option<bool>,
        balance: Option<f64>,
    },
}

/// The dataset with the scenario's changes. `policy_text` is the county's policy.toml
/// (empty for defaults): policy changes are applied to it and it is read again, so a
/// changed key is checked like any policy file. Every problem names its place in the
/// scenarios file (docs/errors.md, E06xx).
pub fn apply(ds: &Dataset, policy_text: &str, sc: &Scenario) -> Result<Dataset, Vec<Diagnostic>> {
    let err = |i: usize, field: &str, code: &'static str, message: String, expected: &str| {
        vec![sc.at.diag(Some(i), field, code, message, expected)]
    };
    let unknown = |i: usize, field: &str, what: &str, id: &str| {
        let msg = format!("unknown {what} `{id}`");
        err(i, field, "E0602", msg, &format!("a {what} of the dataset"))
    };
    let mut d = ds.clone();
    // The county's policy.toml was read when the dataset loaded: it is valid TOML.
    let mut policy: toml::Table = toml::from_str(policy_text).unwrap_or_default();
    let mut policy_changed = Vec::new();
    for (i, ch) in sc.change.iter().enumerate() {
        match ch {
            Change::AddTeachers {
                school,
                subject,
                count,
                capacity,
            } => {
                let s =
                    school_ix(&d, school).ok_or_else(|| unknown(i, "school", "school", school))?;
                let k = intern_subject(&mut d, subject);
                let y = d.policy.plan_year;
                for i in 1..=*count {
                    d.teachers.push(Teacher {
                        id: format!("NEW-{school}-{subject}-{i}"),
                        name: format!("新聘{subject}教师{i}"),
                        home: s,
                        subject: k,
                        extra_subjects: Vec::new(),
                        stage: d.school(s).stage,
                        gender: Gender::Female,
                        birth_year: y - 23,
                        hire_year: y,
                        school_since: y,
                        title: None,
                        backbone: false,
                        rural_years: 0,
                        capacity: *capacity,
                        status: Status::Active,
                        willing: Willing::Unknown,
                        role: Role::Teacher,
                        pins: Vec::new(),
                        kept: Default::default(),
                    });
                }
            }
            Change::RemoveTeachers {
                school,
                subject,
                count,
            } => {
                let s =
                    school_ix(&d, school).ok_or_else(|| unknown(i, "school", "school", school))?;
                let k = d
                    .subject_ix(subject)
                    .ok_or_else(|| unknown(i, "subject", "subject", subject))?;
                let under_way: std::collections::BTreeSet<TeacherIx> = d
                    .ledger
                    .iter()
                    .filter(|r| r.end_year >= d.policy.plan_year)
                    .map(|r| r.teacher)
                    .collect();
                let mut pick: Vec<TeacherIx> = d
                    .teacher_ixs()
                    .filter(|&t| {
                        let te = d.teacher(t);
                        te.home == s && te.subject == k && !under_way.contains(&t)
                    })
                    .collect();
                pick.sort_by(|a, b| d.teacher(*b).id.cmp(&d.teacher(*a).id));
                if pick.len() < *count as usize {
                    let n = pick.len();
                    let msg = format!("{school} has {n} removable {subject} teachers, not {count}");
                    return Err(err(i, "count", "E0605", msg, &format!("a count ≤ {n}")));
                }
                pick.truncate(*count as usize);
                remove_teachers(&mut d, &pick);
            }
            Change::Demand {
                school,
                subject,
                periods,
            } => {
                let s =
                    school_ix(&d, school).ok_or_else(|| unknown(i, "school", "school", school))?;
                let k = intern_subject(&mut d, subject);
                set_demand(&mut d, s, k, *periods);
            }
            Change::Policy { key, value } => {
                set_key(&mut policy, key, value.clone())
                    .map_err(|m| err(i, "key", "E0605", m, "a policy key (docs/model.md)"))?;
                policy_changed.push((i, key.as_str()));
            }
            Change::Exempt { teachers } => {
                for id in teachers {
                    let t = d
                        .teachers
                        .iter_mut()
                        .find(|t| &t.id == id)
                        .ok_or_else(|| unknown(i, "teachers", "teacher", id))?;
                    t.status = Status::Exempt;
                }
            }
            Change::CloseSchool { school, into } => {
                let s =
                    school_ix(&d, school).ok_or_else(|| unknown(i, "school", "school", school))?;
                let to = school_ix(&d, into).ok_or_else(|| unknown(i, "into", "school", into))?;
                if !d.school(to).stage.overlaps(d.school(s).stage) || s == to {
                    let msg = format!("{into} cannot take {school}'s pupils");
                    return Err(err(
                        i,
                        "into",
                        "E0605",
                        msg,
                        "another school of the same stage",
                    ));
                }
                let moved: Vec<(SubjectIx, u32)> = d
                    .demand
                    .iter()
                    .filter(|r| r.school == s)
                    .map(|r| (r.subject, r.periods))
                    .collect();
                for (k, p) in moved {
                    let now = d.demand_of(to, k);
                    set_demand(&mut d, to, k, now + p);
                    set_demand(&mut d, s, k, 0);
                }
                for t in d.teachers.iter_mut().filter(|t| t.home == s) {
                    t.home = to;
                }
                for r in d.ledger.iter_mut() {
                    if r.from == s {
                        r.from = to;
                    }
                    if r.to == s {
                        r.to = to;
                    }
                }
                d.ledger.retain(|r| r.from != r.to);
            }
            Change::MoveSchool { school, community } => {
                let s =
                    school_ix(&d, school).ok_or_else(|| unknown(i, "school", "school", school))?;
                let c = d
                    .communities
                    .iter()
                    .position(|c| &c.id == community)
                    .ok_or_else(|| unknown(i, "community", "community", community))?;
                move_school(&mut d, s, c).map_err(|m| {
                    err(
                        i,
                        "community",
                        "E0605",
                        m,
                        "a community whose leads share a stage with the school and have a known distance to it",
                    )
                })?;
            }
            Change::FormCommunities {
                coverage,
                max_minutes,
                members,
                repair,
                balance,
            } => {
                d = form_communities(&d, *coverage, *max_minutes, members, *repair, *balance)
                    .map_err(|(field, m, expected)| err(i, field, "E0605", m, &expected))?;
            }
        }
    }
    if !policy_changed.is_empty() {
        d.policy = reread_policy(&policy, sc, &policy_changed)?;
    }
    if d.teachers.len() > crate::limits::MAX_ROWS {
        let msg = format!("the scenario makes {} teachers", d.teachers.len());
        let max = format!("at most {} teachers", crate::limits::MAX_ROWS);
        return Err(vec![sc.at.diag(None, "", "E0603", msg, max)]);
    }
    Ok(d)
}

/// The changed policy read like a policy file; its problems placed at the change whose
/// key they name (else the last policy change): an unknown key at `key`, a bad value at
/// `value`.
fn reread_policy(
    policy: &toml::Table,
    sc: &Scenario,
    changes: &[(usize, &str)],
) -> Result<crate::domain::Policy, Vec<Diagnostic>> {
    let text = toml::to_string(policy).unwrap_or_default();
    crate::input::parse_policy(&text, "policy.toml").map_err(|diags| {
        diags
            .into_iter()
            .map(|x| {
                let named = |(_, k): &&(usize, &str)| x.message.contains(&format!("`{k}`"));
                let i = changes
                    .iter()
                    .find(named)
                    .or(changes.last())
                    .map_or(0, |c| c.0);
                let field = if x.code == "E0502" { "key" } else { "value" };
                sc.at.diag(Some(i), field, x.code, x.message, x.expected)
            })
            .collect()
    })
}

/// `s` becomes a member of community `c`, leaving its own; a lead cannot move, and the
/// new leads must share a stage with it and have a known distance to it.
fn move_school(d: &mut Dataset, s: SchoolIx, c: usize) -> Result<(), String> {
    let sc = d.school(s);
    if d.is_core(s) {
        return Err(format!("{} leads its community and cannot move", sc.id));
    }
    let target = &d.communities[c];
    let stages = target
        .core
        .iter()
        .fold(0u8, |a, &k| a | d.school(k).stage.0);
    if !sc.stage.overlaps(crate::domain::Stages(stages)) {
        return Err(format!(
            "{} shares no stage with the leads of {}",
            sc.id, target.id
        ));
    }
    if let Some(k) = target.core.iter().find(|&&k| d.leg(k, s).is_none()) {
        return Err(format!(
            "no distance between {} and its lead {}",
            sc.id,
            d.school(*k).id
        ));
    }
    if let Some(old) = sc.community {
        d.communities[old.ix()].members.retain(|&m| m != s);
    }
    d.schools[s.ix()].community = Some(crate::domain::CommunityIx(c as u32));
    let members = &mut d.communities[c].members;
    members.push(s);
    members.sort();
    members.dedup();
    Ok(())
}

/// The county with its communities formed anew (`lungang communities`), or the field to
/// blame, the reason and what was expected.
fn form_communities(
    d: &Dataset,
    coverage: Option<f64>,
    max_minutes: Option<f64>,
    members: &Option<String>,
    repair: Option<bool>,
    balance: Option<f64>,
) -> Result<Dataset, (&'static str, String, String)> {
    use crate::communities::{form, Coverage, Members, Options};
    let mut opt = Options::default();
    if let Some(c) = coverage {
        if !(0.0..=1.0).contains(&c) {
            return Err((
                "coverage",
                format!("coverage {c}"),
                "a share in [0, 1]".into(),
            ));
        }
        opt.coverage = Coverage::Share(c);
    }
    if let Some(m) = max_minutes {
        if !(m.is_finite() && m > 0.0 && m <= 1440.0) {
            return Err((
                "max_minutes",
                format!("max_minutes {m}"),
                "minutes in (0, 1440]".into(),
            ));
        }
        opt.max_minutes = Some(m);
    }
    if let Some(m) = members {
        opt.members = m
            .parse::<Members>()
            .map_err(|why| ("members", why, "LO..HI, e.g. 3..4".to_string()))?;
    }
    opt.repair = repair.unwrap_or(false);
    if let Some(b) = balance {
        if !(b.is_finite() && (0.0..=1e6).contains(&b)) {
            return Err((
                "balance",
                format!("balance {b}"),
                "a weight in [0, 1000000]".into(),
            ));
        }
        opt.balance = b;
    }
    form(d, &opt).map(|f| f.dataset).map_err(|e| {
        (
            "kind",
            e.message(crate::report::Lang::En),
            "communities that can be formed (docs/communities.md)".into(),
        )
    })
}

fn school_ix(d: &Dataset, id: &str) -> Option<SchoolIx> {
    d.schools
        .iter()
        .position(|s| s.id == id)
        .map(|i| SchoolIx(i as u32))
}

/// The subject's index, adding it (and shifting later indices) when new.
fn intern_subject(d: &mut Dataset, name: &str) -> SubjectIx {
    if let Some(k) = d.subject_ix(name) {
        return k;
    }
    let at = d.subjects.partition_point(|s| s.as_str() < name) as u32;
    d.subjects.insert(at as usize, name.to_string());
    let shift = |k: &mut SubjectIx| {
        if k.0 >= at {
            k.0 += 1;
        }
    };
    for t in &mut d.teachers {
        shift(&mut t.subject);
        t.extra_subjects.iter_mut().for_each(shift);
    }
    d.demand.iter_mut().for_each(|r| shift(&mut r.subject));
    for r in &mut d.requests {
        if let RequestKind::Teacher(k) = &mut r.kind {
            shift(k);
        }
    }
    SubjectIx(at)
}

fn set_demand(d: &mut Dataset, s: SchoolIx, k: SubjectIx, periods: u32) {
    match d
        .demand
        .binary_search_by(|r| (r.school, r.subject).cmp(&(s, k)))
    {
        Ok(i) => d.demand[i].periods = periods,
        Err(i) => d.demand.insert(
            i,
            Demand {
                school: s,
                subject: k,
                periods,
            },
        ),
    }
}

/// Removes teachers (and their ledger rows), keeping indices dense.
fn remove_teachers(d: &mut Dataset, gone: &[TeacherIx]) {
    let mut map: BTreeMap<TeacherIx, TeacherIx> = BTreeMap::new();
    let mut kept = Vec::new();
    for t in d.teacher_ixs() {
        if !gone.contains(&t) {
            map.insert(t, TeacherIx(kept.len() as u32));
            kept.push(d.teacher(t).clone());
        }
    }
    d.teachers = kept;
    d.ledger.retain(|r| map.contains_key(&r.teacher));
    for r in &mut d.ledger {
        r.teacher = map[&r.teacher];
    }
}

/// Sets `a.b.c = value` in a TOML table, creating tables on the way.
fn set_key(t: &mut toml::Table, key: &str, value: toml::Value) -> Result<(), String> {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts
        .pop()
        .filter(|s| !s.is_empty())
        .ok_or("empty policy key")?;
    let mut at = t;
    for p in parts {
        at = at
            .entry(p.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .ok_or_else(|| format!("policy key {key}: {p} is not a table"))?;
    }
    at.insert(last.to_string(), value);
    Ok(())
}

/// One line of the comparison table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub name: String,
    pub status: &'static str,
    pub objective: Option<f64>,
    pub gap: Option<f64>,
    /// Unmet periods by subject name.
    pub unmet: BTreeMap<String, u32>,
    pub support: u32,
    pub learning: u32,
    pub extension: u32,
    pub trip_days: u32,
    pub km_week: f64,
    pub rules_broken: usize,
}

impl Row {
    pub fn new(name: &str, d: &Dataset, solved: &Solved) -> Row {
        let mut row = Row {
            name: name.to_string(),
            status: "none",
            objective: None,
            gap: None,
            unmet: BTreeMap::new(),
            support: 0,
            learning: 0,
            extension: 0,
            trip_days: 0,
            km_week: 0.0,
            rules_broken: 0,
        };
        if let Solved::Plan(p) = solved {
            row.status = crate::plan::status_word(p.solve.status);
            row.objective = Some(p.objective);
            row.gap = Some(p.gap());
            for c in &p.coverage {
                *row.unmet
                    .entry(d.subject_name(c.subject).to_string())
                    .or_default() += c.unmet;
            }
            row.support = p.counts.support;
            row.learning = p.counts.learning;
            row.extension = p.counts.extension;
            row.trip_days = p.counts.trip_days;
            row.km_week = p.routes.iter().flatten().map(|day| day.trip.km).sum();
            row.rules_broken = p.broken_rules().count();
        }
        row
    }
}

/// The comparison's columns after the unmet ones, in order.
pub const COUNT_COLUMNS: [&str; 6] = [
    "support",
    "learning",
    "extension",
    "trip_days",
    "km_week",
    "rules_broken",
];

/// The comparison as CSV and as a terminal table; subjects 音体美 first.
pub struct Comparison {
    pub csv: String,
    pub text: String,
    /// The subjects of the unmet columns, in the table's order.
    pub subjects: Vec<String>,
}

/// The table; CSV headers are always the English names of docs/whatif.md, the terminal's
/// in 中文 when `zh`.
pub fn comparison(ds: &Dataset, rows: &[Row], zh: bool) -> Comparison {
    let mut subjects: Vec<String> = rows.iter().flat_map(|r| r.unmet.keys().cloned()).collect();
    subjects.sort();
    subjects.dedup();
    subjects.sort_by(|a, b| {
        let order = |s| ds.policy.itinerant.report_order(s);
        order(a).cmp(&order(b))
    });
    let opt = |v: Option<f64>, f: fn(f64) -> String| v.map(f).unwrap_or_default();
    let mut header = vec![
        "scenario".to_string(),
        "status".into(),
        "objective".into(),
        "gap".into(),
        "unmet".into(),
    ];
    header.extend(subjects.iter().map(|s| format!("unmet_{s}")));
    header.extend(COUNT_COLUMNS.map(String::from));
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut lines = vec![header.clone()];
    for r in rows {
        let mut cells = vec![
            r.name.clone(),
            r.status.to_string(),
            opt(r.objective, |x| format!("{x:.3}")),
            opt(r.gap, |x| format!("{x:.2e}")),
            r.unmet.values().sum::<u32>().to_string(),
        ];
        cells.extend(
            subjects
                .iter()
                .map(|s| r.unmet.get(s).copied().unwrap_or(0).to_string()),
        );
        cells.extend([
            r.support.to_string(),
            r.learning.to_string(),
            r.extension.to_string(),
            r.trip_days.to_string(),
            format!("{:.1}", r.km_week),
            r.rules_broken.to_string(),
        ]);
        lines.push(cells);
    }
    for l in &lines {
        // Writing into memory cannot fail.
        w.write_record(l).expect("in-memory csv");
    }
    let csv = String::from_utf8(w.into_inner().expect("in-memory csv")).expect("utf-8 cells");
    if zh {
        lines[0] = header.iter().map(|h| header_zh(h)).collect();
    }
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let widths: Vec<usize> = (0..header.len())
        .map(|c| lines.iter().map(|l| width(&l[c])).max().unwrap_or(0))
        .collect();
    let mut text = String::new();
    for l in &lines {
        let cells: Vec<String> = l
            .iter()
            .zip(&widths)
            .map(|(c, &w)| format!("{}{c}", " ".repeat(w - width(c))))
            .collect();
        text += &cells.join("  ");
        text.push('\n');
    }
    Comparison {
        csv,
        text,
        subjects,
    }
}

/// A comparison column's name in 中文.
pub fn header_zh(en: &str) -> String {
    if let Some(subject) = en.strip_prefix("unmet_") {
        return format!("缺{subject}");
    }
    match en {
        "scenario" => "方案",
        "status" => "状态",
        "objective" => "目标值",
        "gap" => "差距",
        "unmet" => "缺口课时",
        "support" => "支教",
        "learning" => "跟岗",
        "extension" => "延期",
        "trip_days" => "走教人天",
        "km_week" => "周里程km",
        "rules_broken" => "未达标规则",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DatasetBuilder, Mode, SchoolKind, Stages, TeacherSpec};

    fn county() -> Dataset {
        DatasetBuilder::new()
            .school("S1", SchoolKind::Urban, Stages::PRIMARY, Some("C"))
            .school("S2", SchoolKind::Rural, Stages::PRIMARY, Some("C"))
            .community("C", Mode::Tight, &["S1"])
            .teacher(TeacherSpec::new("T1", "S1", "语文"))
            .teacher(TeacherSpec::new("T2", "S1", "语文"))
            .teacher(TeacherSpec::new("T3", "S2", "数学"))
            .demand("S1", "语文", 20)
            .demand("S2", "数学", 10)
            .build()
    }

    fn scenario(text: &str) -> Scenario {
        parse(text, "s.toml").unwrap().scenario.remove(0)
    }

    #[test]
    fn hiring_a_new_subject_keeps_indices_consistent() {
        let ds = county();
        let sc = scenario(
            r#"[[scenario]]
name = "hire"
[[scenario.change]]
kind = "add_teachers"
school = "S2"
subject = "音乐"
count = 2
[[scenario.change]]
kind = "demand"
school = "S2"
subject = "音乐"
periods = 8
"#,
        );
        let d = apply(&ds, "", &sc).unwrap();
        assert_eq!(d.teachers.len(), 5);
        let music = d.subject_ix("音乐").unwrap();
        assert_eq!(d.demand_of(SchoolIx(1), music), 8);
        // Old references still name the same subjects.
        assert_eq!(d.subject_name(d.teachers[0].subject), "语文");
        assert_eq!(d.subject_name(d.teachers[2].subject), "数学");
        assert_eq!(d.demand_of(SchoolIx(0), d.subject_ix("语文").unwrap()), 20);
    }

    #[test]
    fn policy_keys_are_checked_like_a_policy_file() {
        let ds = county();
        let ok = scenario(
            "[[scenario]]\nname = \"15%\"\n[[scenario.change]]\nkind = \"policy\"\nkey = \"rotation.max_outflow_share\"\nvalue = 0.15\n",
        );
        let d = apply(&ds, "plan_year = 2025\n", &ok).unwrap();
        assert_eq!(d.policy.rotation.max_outflow_share.floor_of(20), 3);
        let bad = scenario(
            "[[scenario]]\nname = \"bad\"\n[[scenario.change]]\nkind = \"policy\"\nkey = \"rotation.max_outflow_share\"\nvalue = 1.5\n",
        );
        assert!(apply(&ds, "", &bad).is_err());
    }

    #[test]
    fn closing_a_school_moves_pupils_and_teachers() {
        let ds = county();
        let sc = scenario(
            "[[scenario]]\nname = \"close\"\n[[scenario.change]]\nkind = \"close_school\"\nschool = \"S2\"\ninto = \"S1\"\n",
        );
        let d = apply(&ds, "", &sc).unwrap();
        let math = d.subject_ix("数学").unwrap();
        assert_eq!(d.demand_of(SchoolIx(0), math), 10);
        assert_eq!(d.demand_of(SchoolIx(1), math), 0);
        assert!(d.teachers.iter().all(|t| t.home == SchoolIx(0)));
    }

    #[test]
    fn removing_teachers_takes_the_last_ids_and_fails_when_short() {
        let ds = county();
        let sc = scenario(
            "[[scenario]]\nname = \"cut\"\n[[scenario.change]]\nkind = \"remove_teachers\"\nschool = \"S1\"\nsubject = \"语文\"\ncount = 1\n",
        );
        let d = apply(&ds, "", &sc).unwrap();
        assert_eq!(
            d.teachers.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["T1", "T3"]
        );
        let too_many = scenario(
            "[[scenario]]\nname = \"cut\"\n[[scenario.change]]\nkind = \"remove_teachers\"\nschool = \"S1\"\nsubject = \"语文\"\ncount = 3\n",
        );
        assert!(apply(&ds, "", &too_many).is_err());
    }
}
