//! A dataset as the bytes of a dataset folder (FORMAT.md), and the CSV writing the
//! simulation's and `communities`' files share.

use crate::domain::{
    Community, Dataset, Demand, Gender, LedgerEntry, Leg, Request, RequestKind, School, SchoolIx,
    Status, Teacher, Willing,
};

/// A CSV field, quoted only when it must be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV file's bytes from its header line and rows (the dataset files, the summaries,
/// and `communities`' files).
pub(crate) fn csv(header: &str, rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = String::from(header);
    out.push('\n');
    for r in rows {
        let line: Vec<String> = r.iter().map(|f| field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

/// A dataset folder's files (FORMAT.md's English headers, UTF-8, `\n`) holding `ds`, with
/// `policy` as policy.toml's text. requests.csv only when there are requests.
pub fn dataset_files(ds: &Dataset, policy: &str) -> Vec<(&'static str, Vec<u8>)> {
    let mut files = vec![
        ("schools.csv", schools(ds)),
        ("communities.csv", communities(ds)),
        ("teachers.csv", teachers(ds)),
        ("demand.csv", demand(ds)),
        ("distances.csv", distances(ds)),
        ("ledger.csv", ledger(ds)),
        ("policy.toml", policy.as_bytes().to_vec()),
    ];
    if !ds.requests.is_empty() {
        files.push(("requests.csv", requests(ds)));
    }
    files
}

fn sid(ds: &Dataset, s: SchoolIx) -> String {
    ds.school(s).id.clone()
}

/// schools.csv; the priority column only when some school has one.
fn schools(ds: &Dataset) -> Vec<u8> {
    let ranked = ds.schools.iter().any(|s| s.priority != 1.0);
    let header = match ranked {
        true => "id,name,kind,stage,community,lat,lon,housing,priority",
        false => "id,name,kind,stage,community,lat,lon,housing",
    };
    let row = |s: &School| {
        let community = s.community.map(|c| ds.communities[c.ix()].id.clone());
        let mut row = vec![
            s.id.clone(),
            s.name.clone(),
            s.kind.as_str().into(),
            s.stage.as_str().into(),
            community.unwrap_or_default(),
            opt(&s.lat),
            opt(&s.lon),
            opt(&s.housing),
        ];
        if ranked {
            row.push(s.priority.to_string());
        }
        row
    };
    csv(header, ds.schools.iter().map(row))
}

fn communities(ds: &Dataset) -> Vec<u8> {
    let row = |c: &Community| {
        let core: Vec<String> = c.core.iter().map(|&s| sid(ds, s)).collect();
        let mode = c.mode.as_str().into();
        vec![c.id.clone(), c.name.clone(), mode, core.join(";")]
    };
    csv("id,name,mode,core", ds.communities.iter().map(row))
}

/// teachers.csv; a teacher's stage only where it differs from the school's.
fn teachers(ds: &Dataset) -> Vec<u8> {
    let row = |t: &Teacher| {
        let extra: Vec<&str> = (t.extra_subjects.iter())
            .map(|&k| ds.subject_name(k))
            .collect();
        let stage = match t.stage == ds.school(t.home).stage {
            true => String::new(),
            false => t.stage.as_str().into(),
        };
        let gender = match t.gender {
            Gender::Male => "M",
            Gender::Female => "F",
        };
        let status = match t.status {
            Status::Active => "active",
            Status::Exempt => "exempt",
        };
        let willing = match t.willing {
            Willing::Yes => "yes",
            Willing::No => "no",
            Willing::Unknown => "unknown",
        };
        vec![
            t.id.clone(),
            t.name.clone(),
            sid(ds, t.home),
            ds.subject_name(t.subject).into(),
            extra.join(";"),
            stage,
            gender.into(),
            t.birth_year.to_string(),
            t.hire_year.to_string(),
            t.school_since.to_string(),
            opt(&t.title),
            yes_no(t.backbone),
            t.rural_years.to_string(),
            opt(&t.capacity),
            status.into(),
            willing.into(),
            t.role.as_str().into(),
        ]
    };
    csv(
        "id,name,school,subject,extra_subjects,stage,gender,birth_year,hire_year,school_since,\
         title,backbone,rural_years,capacity,status,willing,role",
        ds.teachers.iter().map(row),
    )
}

fn demand(ds: &Dataset) -> Vec<u8> {
    let row = |d: &Demand| {
        let subject = ds.subject_name(d.subject).into();
        vec![sid(ds, d.school), subject, d.periods.to_string()]
    };
    csv("school,subject,periods", ds.demand.iter().map(row))
}

/// Each pair once where both directions agree (FORMAT.md fills in the other).
fn distances(ds: &Dataset) -> Vec<u8> {
    let legs = ds.distances.iter();
    let once = legs.filter(|((a, b), leg)| a < b || ds.distances.get(&(*b, *a)) != Some(leg));
    let row = |((a, b), leg): (&(SchoolIx, SchoolIx), &Leg)| {
        let (km, minutes) = (leg.km.to_string(), leg.minutes.to_string());
        vec![sid(ds, *a), sid(ds, *b), km, minutes]
    };
    csv("from,to,km,minutes", once.map(row))
}

fn ledger(ds: &Dataset) -> Vec<u8> {
    let row = |r: &LedgerEntry| {
        vec![
            ds.teacher(r.teacher).id.clone(),
            sid(ds, r.from),
            sid(ds, r.to),
            r.start_year.to_string(),
            r.end_year.to_string(),
            yes_no(r.extend),
        ]
    };
    csv(
        "teacher,from,to,start_year,end_year,extend",
        ds.ledger.iter().map(row),
    )
}

fn requests(ds: &Dataset) -> Vec<u8> {
    let row = |r: &Request| {
        let (kind, subject) = match r.kind {
            RequestKind::Teacher(k) => ("teacher", ds.subject_name(k)),
            RequestKind::Cadre => ("cadre", ""),
        };
        vec![
            sid(ds, r.school),
            kind.into(),
            subject.into(),
            r.count.to_string(),
            r.note.clone(),
        ]
    };
    csv(
        "school,kind,subject,count,note",
        ds.requests.iter().map(row),
    )
}
