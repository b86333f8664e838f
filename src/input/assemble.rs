//! Records that passed validation → `domain::Dataset`, establishing the invariants
//! documented there. Runs only when no error was found, so every lookup succeeds; the
//! fallbacks below keep it panic-free all the same.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{
    Community, CommunityIx, Dataset, Demand, Gender, LedgerEntry, Leg, Mode, Request, RequestKind,
    School, SchoolIx, SchoolKind, Stages, SubjectIx, Teacher, TeacherIx,
};

use super::validate::{Ids, Records};

pub fn dataset(r: Records) -> Dataset {
    let look = Lookup {
        ids: Ids::new(&r),
        subjects: subject_names(&r),
    };
    let schools = schools(&r, &look);
    let communities = communities(&r, &look, &schools);
    let teachers = teachers(&r, &look, &schools);
    Dataset {
        demand: demand(&r, &look),
        distances: distances(&r, &look),
        ledger: ledger(&r, &look),
        requests: requests(&r, &look),
        schools,
        communities,
        teachers,
        subjects: look.subjects,
        policy: r.policy,
    }
}

/// Ids and subject names to indices (validation has checked every reference; 0 where one
/// is missing all the same).
struct Lookup {
    ids: Ids,
    /// Every subject named anywhere, sorted: a subject's index is its place here.
    subjects: Vec<String>,
}

impl Lookup {
    fn school(&self, id: &str) -> SchoolIx {
        SchoolIx(self.ids.school.get(id).copied().unwrap_or(0) as u32)
    }

    fn subject(&self, k: &str) -> SubjectIx {
        SubjectIx(
            self.subjects
                .binary_search_by(|s| s.as_str().cmp(k))
                .unwrap_or(0) as u32,
        )
    }
}

/// The subjects of teachers, demand and teacher requests, sorted and without repeats.
fn subject_names(r: &Records) -> Vec<String> {
    let mut subjects = BTreeSet::new();
    for t in &r.teachers {
        subjects.extend(t.subject.iter().chain(&t.extra_subjects).cloned());
    }
    subjects.extend(
        r.demand
            .iter()
            .filter_map(|x| x.subject.as_ref())
            .map(|a| a.v.clone()),
    );
    subjects.extend(
        r.requests
            .iter()
            .filter(|x| x.cadre.as_ref().is_some_and(|c| !c.v))
            .filter_map(|x| x.subject.as_ref())
            .map(|a| a.v.clone()),
    );
    subjects.into_iter().collect()
}

fn schools(r: &Records, look: &Lookup) -> Vec<School> {
    r.schools
        .iter()
        .map(|s| School {
            id: s.id.as_ref().map(|a| a.v.clone()).unwrap_or_default(),
            name: s.name.clone(),
            kind: s.kind.unwrap_or(SchoolKind::Urban),
            stage: s.stage.unwrap_or(Stages::BOTH),
            community: s
                .community
                .as_ref()
                .and_then(|c| look.ids.community.get(&c.v))
                .map(|&i| CommunityIx(i as u32)),
            lat: s.lat.as_ref().map(|a| a.v),
            lon: s.lon.as_ref().map(|a| a.v),
            housing: s.housing,
            priority: s.priority,
        })
        .collect()
}

/// Each community's cores as listed; its members, the other schools naming it.
fn communities(r: &Records, look: &Lookup, schools: &[School]) -> Vec<Community> {
    r.communities
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let core: Vec<SchoolIx> = c
                .core
                .iter()
                .flat_map(|a| a.v.iter())
                .map(|id| look.school(id))
                .collect();
            let members = schools
                .iter()
                .enumerate()
                .map(|(i, _)| SchoolIx(i as u32))
                .filter(|s| {
                    schools[s.ix()].community == Some(CommunityIx(ci as u32)) && !core.contains(s)
                })
                .collect();
            Community {
                id: c.id.as_ref().map(|a| a.v.clone()).unwrap_or_default(),
                name: c.name.clone(),
                mode: c.mode.unwrap_or(Mode::Tight),
                core,
                members,
            }
        })
        .collect()
}

fn teachers(r: &Records, look: &Lookup, schools: &[School]) -> Vec<Teacher> {
    r.teachers
        .iter()
        .map(|t| {
            let home = look.school(t.school.as_ref().map_or("", |a| a.v.as_str()));
            let main = look.subject(t.subject.as_deref().unwrap_or(""));
            let extra: BTreeSet<SubjectIx> = t
                .extra_subjects
                .iter()
                .map(|k| look.subject(k))
                .filter(|&k| k != main)
                .collect();
            Teacher {
                id: t.id.as_ref().map(|a| a.v.clone()).unwrap_or_default(),
                name: t.name.clone(),
                home,
                subject: main,
                extra_subjects: extra.into_iter().collect(),
                stage: t.stage.as_ref().map_or(schools[home.ix()].stage, |a| a.v),
                gender: t.gender.unwrap_or(Gender::Female),
                birth_year: year(&t.birth_year),
                hire_year: year(&t.hire_year),
                school_since: year(&t.school_since),
                title: t.title.clone(),
                backbone: t.backbone,
                rural_years: t.rural_years,
                capacity: t.capacity,
                status: t.status,
                willing: t.willing,
                role: t.role,
                pins: Vec::new(),
                kept: Default::default(),
            }
        })
        .collect()
}

/// Demand rows by (school, subject).
fn demand(r: &Records, look: &Lookup) -> Vec<Demand> {
    let mut demand: Vec<Demand> = r
        .demand
        .iter()
        .map(|x| Demand {
            school: look.school(x.school.as_ref().map_or("", |a| a.v.as_str())),
            subject: look.subject(x.subject.as_ref().map_or("", |a| a.v.as_str())),
            periods: x.periods.unwrap_or(0),
        })
        .collect();
    demand.sort_by_key(|x| (x.school, x.subject));
    demand
}

fn distances(r: &Records, look: &Lookup) -> BTreeMap<(SchoolIx, SchoolIx), Leg> {
    // Given directions first; a reverse not given inherits its pair's leg.
    let mut distances = BTreeMap::new();
    let pairs: Vec<((SchoolIx, SchoolIx), Leg)> = r
        .distances
        .iter()
        .map(|x| {
            let a = look.school(x.from.as_ref().map_or("", |a| a.v.as_str()));
            let b = look.school(x.to.as_ref().map_or("", |a| a.v.as_str()));
            let leg = Leg {
                km: x.km.unwrap_or(0.0),
                minutes: x.minutes.unwrap_or(0.0),
            };
            ((a, b), leg)
        })
        .collect();
    distances.extend(pairs.iter().copied());
    for &((a, b), leg) in &pairs {
        distances.entry((b, a)).or_insert(leg);
    }
    distances
}

fn ledger(r: &Records, look: &Lookup) -> Vec<LedgerEntry> {
    r.ledger
        .iter()
        .map(|l| LedgerEntry {
            teacher: TeacherIx(
                l.teacher
                    .as_ref()
                    .and_then(|a| look.ids.teacher.get(&a.v))
                    .copied()
                    .unwrap_or(0) as u32,
            ),
            from: look.school(l.from.as_ref().map_or("", |a| a.v.as_str())),
            to: look.school(l.to.as_ref().map_or("", |a| a.v.as_str())),
            start_year: year(&l.start_year),
            end_year: year(&l.end_year),
            extend: l.extend,
        })
        .collect()
}

fn requests(r: &Records, look: &Lookup) -> Vec<Request> {
    r.requests
        .iter()
        .map(|x| Request {
            school: look.school(x.school.as_ref().map_or("", |a| a.v.as_str())),
            kind: match (&x.cadre, &x.subject) {
                (Some(c), _) if c.v => RequestKind::Cadre,
                (_, k) => {
                    RequestKind::Teacher(look.subject(k.as_ref().map_or("", |a| a.v.as_str())))
                }
            },
            count: x.count.unwrap_or(1),
            note: x.note.clone(),
        })
        .collect()
}

fn year(a: &Option<super::table::At<i64>>) -> i32 {
    a.as_ref().map_or(0, |a| a.v as i32)
}
