//! Turning a staffed layout into file records, and the records into files: FORMAT.md's
//! English headers, UTF-8 without BOM, `\n` line ends, 6 decimals for coordinates. Rows come
//! in the order they were made, so the bytes depend on the seed alone.

use std::fmt::Write as _;
use std::path::Path;

use super::curriculum::Subj;
use super::geography::to_lat_lon;
use super::ledger::Row;
use super::requests::Request;
use super::staffing::{TStage, Tch, Willing};
use super::{
    CommunityRecord, County, DemandRecord, Layout, LedgerRecord, RequestRecord, SchoolRecord,
    TeacherRecord,
};

fn id(prefix: &str, i: usize, n: usize, min_width: usize) -> String {
    let width = n.to_string().len().max(min_width);
    format!("{prefix}{:0width$}", i + 1)
}

/// What each school and teacher gets beyond the layout and the staff: housing caps,
/// priorities, roles, and the members' requests.
pub(crate) struct Extras {
    pub housing: Vec<Option<u32>>,
    pub priority: Vec<Option<f64>>,
    pub roles: Vec<&'static str>,
    pub requests: Vec<Request>,
}

/// The county's files as records: ids numbered in order (S001, C01, T00001, …).
pub(crate) fn records(
    layout: &Layout,
    teachers: &[Tch],
    demand: &[Vec<(Subj, u32)>],
    ledger: &[Row],
    extras: &Extras,
    policy: String,
) -> County {
    let ids = Ids {
        schools: layout.schools.len(),
        communities: layout.communities.len(),
        teachers: teachers.len(),
    };
    let schools = (0..layout.schools.len())
        .map(|s| ids.school_record(layout, extras, s))
        .collect();
    let communities = (layout.communities.iter().enumerate())
        .map(|(c, cs)| CommunityRecord {
            id: ids.community(c),
            name: cs.name.clone(),
            mode: cs.mode.as_str(),
            core: cs.cores.iter().map(|&s| ids.school(s)).collect(),
        })
        .collect();
    let teachers_out = (teachers.iter().enumerate())
        .map(|(i, t)| ids.teacher_record(layout, t, i, extras.roles[i]))
        .collect();
    let demand = (demand.iter().enumerate())
        .flat_map(|(s, rows)| {
            let school = ids.school(s);
            rows.iter().map(move |&(k, periods)| DemandRecord {
                school: school.clone(),
                subject: k.name(),
                periods,
            })
        })
        .collect();
    let ledger = (ledger.iter())
        .map(|r| LedgerRecord {
            teacher: ids.teacher(r.teacher),
            from: ids.school(r.from),
            to: ids.school(r.to),
            start_year: r.start,
            end_year: r.end,
            extend: r.extend,
        })
        .collect();
    let requests = (extras.requests.iter())
        .map(|r| RequestRecord {
            school: ids.school(r.school),
            kind: if r.subject.is_some() {
                "teacher"
            } else {
                "cadre"
            },
            subject: r.subject.map(Subj::name),
            count: r.count,
            note: r.note.clone(),
        })
        .collect();
    County {
        name: layout.county.clone(),
        schools,
        communities,
        teachers: teachers_out,
        demand,
        ledger,
        requests,
        policy,
    }
}

/// How many of each the county has: the width of their ids.
struct Ids {
    schools: usize,
    communities: usize,
    teachers: usize,
}

impl Ids {
    fn school(&self, s: usize) -> String {
        id("S", s, self.schools, 3)
    }

    fn community(&self, c: usize) -> String {
        id("C", c, self.communities, 2)
    }

    fn teacher(&self, t: usize) -> String {
        id("T", t, self.teachers, 5)
    }

    fn school_record(&self, layout: &Layout, extras: &Extras, s: usize) -> SchoolRecord {
        let sp = &layout.schools[s];
        let (lat, lon) = to_lat_lon(layout.lat0, layout.lon0, sp.x, sp.y);
        SchoolRecord {
            id: self.school(s),
            name: sp.name.clone(),
            kind: sp.kind.as_str(),
            stage: sp.stage.as_str(),
            community: sp.community.map(|c| self.community(c)),
            lat,
            lon,
            housing: extras.housing[s],
            priority: extras.priority[s],
        }
    }

    /// Teacher `i`: a stage only in a nine-year school, a capacity only when it is not
    /// MODEL.md's default for the stage.
    fn teacher_record(
        &self,
        layout: &Layout,
        t: &Tch,
        i: usize,
        role: &'static str,
    ) -> TeacherRecord {
        let nine = layout.schools[t.school].stage == super::Stage::NineYear;
        // MODEL.md defaults: primary 16, junior 14, the smaller for both stages.
        let default = match t.stage {
            TStage::Primary => 16,
            TStage::Junior | TStage::Both => 14,
        };
        TeacherRecord {
            id: self.teacher(i),
            name: t.name.clone(),
            school: self.school(t.school),
            subject: t.subject.name(),
            extra_subjects: t.extras.iter().map(|k| k.name()).collect(),
            stage: match t.stage {
                _ if !nine => None,
                TStage::Primary => Some("primary"),
                TStage::Junior => Some("junior"),
                TStage::Both => None,
            },
            gender: if t.female { "F" } else { "M" },
            birth_year: t.birth,
            hire_year: t.hire,
            school_since: t.since,
            title: t.title,
            backbone: t.backbone,
            rural_years: t.rural_years,
            capacity: (t.capacity != default).then_some(t.capacity),
            status: if t.exempt { "exempt" } else { "active" },
            willing: match t.willing {
                Willing::Yes => "yes",
                Willing::No => "no",
                Willing::Unknown => "unknown",
            },
            role,
        }
    }
}

/// A CSV field, quoted only when it must be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

fn csv(header: &str, rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = String::new();
    out.push_str(header);
    out.push('\n');
    for r in rows {
        let line: Vec<String> = r.iter().map(|f| field(f)).collect();
        let _ = writeln!(out, "{}", line.join(","));
    }
    out
}

pub(crate) fn write_county(c: &County, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let files = county_files(c);
    // Without requests the file is removed: one left by an earlier county in this folder
    // would be read as this one's.
    let requests = dir.join("requests.csv");
    if !files.iter().any(|(name, _)| *name == "requests.csv") && requests.exists() {
        std::fs::remove_file(requests)?;
    }
    for (name, text) in files {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// The dataset's files, by name (requests.csv only when there are requests).
pub(crate) fn county_files(c: &County) -> Vec<(&'static str, Vec<u8>)> {
    let schools = schools_csv(c);
    let communities = csv(
        "id,name,mode,core",
        c.communities.iter().map(|m| {
            vec![
                m.id.clone(),
                m.name.clone(),
                m.mode.into(),
                m.core.join(";"),
            ]
        }),
    );
    let teachers = teachers_csv(c);
    let demand = csv(
        "school,subject,periods",
        c.demand
            .iter()
            .map(|d| vec![d.school.clone(), d.subject.into(), d.periods.to_string()]),
    );
    let ledger = csv(
        "teacher,from,to,start_year,end_year,extend",
        c.ledger.iter().map(|l| {
            vec![
                l.teacher.clone(),
                l.from.clone(),
                l.to.clone(),
                l.start_year.to_string(),
                l.end_year.to_string(),
                yes_no(l.extend).into(),
            ]
        }),
    );
    let requests = csv(
        "school,kind,subject,count,note",
        c.requests.iter().map(|r| {
            vec![
                r.school.clone(),
                r.kind.into(),
                opt(&r.subject),
                r.count.to_string(),
                r.note.clone(),
            ]
        }),
    );
    let mut files = vec![
        ("schools.csv", schools),
        ("communities.csv", communities),
        ("teachers.csv", teachers),
        ("demand.csv", demand),
        ("ledger.csv", ledger),
        ("policy.toml", c.policy.clone()),
    ];
    if !c.requests.is_empty() {
        files.push(("requests.csv", requests));
    }
    files
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect()
}

/// schools.csv of `c`.
fn schools_csv(c: &County) -> String {
    // The priority column only where a profile ranks schools: other counties keep their bytes.
    let ranked = c.schools.iter().any(|s| s.priority.is_some());
    csv(
        if ranked {
            "id,name,kind,stage,community,lat,lon,housing,priority"
        } else {
            "id,name,kind,stage,community,lat,lon,housing"
        },
        c.schools.iter().map(|s| {
            let mut row = vec![
                s.id.clone(),
                s.name.clone(),
                s.kind.into(),
                s.stage.into(),
                opt(&s.community),
                format!("{:.6}", s.lat),
                format!("{:.6}", s.lon),
                opt(&s.housing),
            ];
            if ranked {
                row.push(opt(&s.priority));
            }
            row
        }),
    )
}

/// teachers.csv of `c`.
fn teachers_csv(c: &County) -> String {
    csv(
        "id,name,school,subject,extra_subjects,stage,gender,birth_year,hire_year,school_since,\
         title,backbone,rural_years,capacity,status,willing,role",
        c.teachers.iter().map(|t| {
            vec![
                t.id.clone(),
                t.name.clone(),
                t.school.clone(),
                t.subject.into(),
                t.extra_subjects.join(";"),
                opt(&t.stage),
                t.gender.into(),
                t.birth_year.to_string(),
                t.hire_year.to_string(),
                t.school_since.to_string(),
                opt(&t.title),
                yes_no(t.backbone).into(),
                t.rural_years.to_string(),
                opt(&t.capacity),
                t.status.into(),
                t.willing.into(),
                t.role.into(),
            ]
        }),
    )
}
