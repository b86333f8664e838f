//! A scenario's changes applied to a copy of the checked dataset, one change at a time,
//! each problem placed at the change that caused it.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Scenario};
use crate::domain::{
    Dataset, Demand, Gender, RequestKind, Role, SchoolIx, Status, SubjectIx, Teacher, TeacherIx,
    Willing,
};
use crate::input::Diagnostic;

/// The dataset with the scenario's changes. `policy_text` is the county's policy.toml
/// (empty for defaults): policy changes are applied to it and it is read again, so a
/// changed key is checked like any policy file. Every problem names its place in the
/// scenarios file (docs/errors.md, E06xx).
pub fn apply(ds: &Dataset, policy_text: &str, sc: &Scenario) -> Result<Dataset, Vec<Diagnostic>> {
    let mut d = ds.clone();
    // The county's policy.toml was read when the dataset loaded: it is valid TOML.
    let mut policy: toml::Table = toml::from_str(policy_text).unwrap_or_default();
    let mut policy_changed = Vec::new();
    for (i, ch) in sc.change.iter().enumerate() {
        let at = At { sc, i };
        match ch {
            Change::Policy { key, value } => {
                set_key(&mut policy, key, value.clone())
                    .map_err(|m| at.err("key", m, "a policy key (docs/model.md)"))?;
                policy_changed.push((i, key.as_str()));
            }
            _ => d = change(d, ch, &at)?,
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

/// Change `i` of a scenario, where its problems are reported.
struct At<'a> {
    sc: &'a Scenario,
    i: usize,
}

impl At<'_> {
    /// A change the dataset cannot take (E0605), blamed on `field`.
    fn err(&self, field: &str, message: String, expected: &str) -> Vec<Diagnostic> {
        let d = self
            .sc
            .at
            .diag(Some(self.i), field, "E0605", message, expected);
        vec![d]
    }

    /// An id the dataset does not have (E0602).
    fn unknown(&self, field: &str, what: &str, id: &str) -> Vec<Diagnostic> {
        let msg = format!("unknown {what} `{id}`");
        let expected = format!("a {what} of the dataset");
        vec![self.sc.at.diag(Some(self.i), field, "E0602", msg, expected)]
    }

    /// The school `id` named in `field`.
    fn school(&self, d: &Dataset, field: &str, id: &str) -> Result<SchoolIx, Vec<Diagnostic>> {
        school_ix(d, id).ok_or_else(|| self.unknown(field, "school", id))
    }
}

/// `d` with one change other than a policy key.
fn change(mut d: Dataset, ch: &Change, at: &At) -> Result<Dataset, Vec<Diagnostic>> {
    match ch {
        Change::AddTeachers {
            school,
            subject,
            count,
            capacity,
        } => {
            let s = at.school(&d, "school", school)?;
            hire(&mut d, s, subject, *count, *capacity);
        }
        Change::RemoveTeachers {
            school,
            subject,
            count,
        } => remove_by_subject(&mut d, at, school, subject, *count)?,
        Change::Demand {
            school,
            subject,
            periods,
        } => {
            let s = at.school(&d, "school", school)?;
            let k = intern_subject(&mut d, subject);
            set_demand(&mut d, s, k, *periods);
        }
        Change::Exempt { teachers } => {
            for id in teachers {
                let t = d.teachers.iter_mut().find(|t| &t.id == id);
                t.ok_or_else(|| at.unknown("teachers", "teacher", id))?
                    .status = Status::Exempt;
            }
        }
        Change::CloseSchool { school, into } => close_school(&mut d, at, school, into)?,
        Change::MoveSchool { school, community } => {
            let s = at.school(&d, "school", school)?;
            let c = d.communities.iter().position(|c| &c.id == community);
            let c = c.ok_or_else(|| at.unknown("community", "community", community))?;
            let expected = "a community whose leads share a stage with the school and have a known distance to it";
            move_school(&mut d, s, c).map_err(|m| at.err("community", m, expected))?;
        }
        Change::FormCommunities {
            coverage,
            max_minutes,
            members,
            repair,
            balance,
        } => {
            d = form_communities(&d, *coverage, *max_minutes, members, *repair, *balance)
                .map_err(|(field, m, expected)| at.err(field, m, &expected))?;
        }
        // Applied to the policy text by `apply`.
        Change::Policy { .. } => {}
    }
    Ok(d)
}

/// `count` new teachers of `subject` at `s`, in their first year of teaching.
fn hire(d: &mut Dataset, s: SchoolIx, subject: &str, count: u32, capacity: Option<u32>) {
    let k = intern_subject(d, subject);
    let y = d.policy.plan_year;
    let school = d.school(s).id.clone();
    for i in 1..=count {
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
            capacity,
            status: Status::Active,
            willing: Willing::Unknown,
            role: Role::Teacher,
            pins: Vec::new(),
            kept: Default::default(),
        });
    }
}

/// Removes `count` teachers of main subject `subject` at `school`: the last by id of those
/// not in a term under way.
fn remove_by_subject(
    d: &mut Dataset,
    at: &At,
    school: &str,
    subject: &str,
    count: u32,
) -> Result<(), Vec<Diagnostic>> {
    let s = at.school(d, "school", school)?;
    let k = d
        .subject_ix(subject)
        .ok_or_else(|| at.unknown("subject", "subject", subject))?;
    let under_way: BTreeSet<TeacherIx> = d
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
    if pick.len() < count as usize {
        let n = pick.len();
        let msg = format!("{school} has {n} removable {subject} teachers, not {count}");
        return Err(at.err("count", msg, &format!("a count ≤ {n}")));
    }
    pick.truncate(count as usize);
    remove_teachers(d, &pick);
    Ok(())
}

/// Closes `school`: its pupils' periods, its teachers and its ledger rows go to `into`.
fn close_school(d: &mut Dataset, at: &At, school: &str, into: &str) -> Result<(), Vec<Diagnostic>> {
    let s = at.school(d, "school", school)?;
    let to = at.school(d, "into", into)?;
    if !d.school(to).stage.overlaps(d.school(s).stage) || s == to {
        let msg = format!("{into} cannot take {school}'s pupils");
        return Err(at.err("into", msg, "another school of the same stage"));
    }
    let moved: Vec<(SubjectIx, u32)> = d
        .demand
        .iter()
        .filter(|r| r.school == s)
        .map(|r| (r.subject, r.periods))
        .collect();
    for (k, p) in moved {
        let now = d.demand_of(to, k);
        set_demand(d, to, k, now + p);
        set_demand(d, s, k, 0);
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
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DatasetBuilder, Mode, SchoolKind, Stages, TeacherSpec};
    use crate::scenario::parse;

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
