//! Building a `Dataset` in code (tests, property tests, what-if variants) with the same
//! invariants `input` guarantees: sorted subjects, one sorted demand row per (school,
//! subject), members derived from the schools naming a community, distances both ways.

use std::collections::BTreeMap;

use super::*;

/// A teacher as written in code; defaults: active, willing unknown, not backbone,
/// born 1985, hired 2010, here since 2010, no rural years, stage of the home school.
#[derive(Clone, Debug)]
pub struct TeacherSpec {
    pub id: String,
    pub home: String,
    pub subject: String,
    pub extra: Vec<String>,
    pub stage: Option<Stages>,
    pub gender: Gender,
    pub birth_year: i32,
    pub hire_year: i32,
    pub school_since: i32,
    pub backbone: bool,
    pub rural_years: u32,
    pub capacity: Option<u32>,
    pub status: Status,
    pub willing: Willing,
    pub role: Role,
}

impl TeacherSpec {
    pub fn new(id: &str, home: &str, subject: &str) -> Self {
        TeacherSpec {
            id: id.into(),
            home: home.into(),
            subject: subject.into(),
            extra: Vec::new(),
            stage: None,
            gender: Gender::Female,
            birth_year: 1985,
            hire_year: 2010,
            school_since: 2010,
            backbone: false,
            rural_years: 0,
            capacity: None,
            status: Status::Active,
            willing: Willing::Unknown,
            role: Role::Teacher,
        }
    }
}

#[derive(Default)]
pub struct DatasetBuilder {
    schools: Vec<School>,
    communities: Vec<(String, String, Mode, Vec<String>)>,
    school_community: Vec<Option<String>>,
    teachers: Vec<TeacherSpec>,
    demand: Vec<(String, String, u32)>,
    distances: Vec<(String, String, Leg)>,
    ledger: Vec<(String, String, i32, i32, bool)>,
    /// (school, subject or None for a cadre request, count).
    requests: Vec<(String, Option<String>, u32)>,
    policy: Policy,
}

impl DatasetBuilder {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn policy(mut self, p: Policy) -> Self {
        self.policy = p;
        self
    }
    pub fn policy_mut(&mut self) -> &mut Policy {
        &mut self.policy
    }
    pub fn school(
        mut self,
        id: &str,
        kind: SchoolKind,
        stage: Stages,
        community: Option<&str>,
    ) -> Self {
        self.schools.push(School {
            id: id.into(),
            name: id.into(),
            kind,
            stage,
            community: None,
            lat: None,
            lon: None,
            housing: None,
            priority: 1.0,
        });
        self.school_community.push(community.map(Into::into));
        self
    }
    pub fn housing(mut self, school: &str, h: u32) -> Self {
        if let Some(s) = self.schools.iter_mut().find(|s| s.id == school) {
            s.housing = Some(h);
        }
        self
    }
    pub fn priority(mut self, school: &str, p: f64) -> Self {
        if let Some(s) = self.schools.iter_mut().find(|s| s.id == school) {
            s.priority = p;
        }
        self
    }
    /// A request of requests.csv: `subject` for teachers of it, `None` for cadres.
    pub fn request(mut self, school: &str, subject: Option<&str>, count: u32) -> Self {
        self.requests
            .push((school.into(), subject.map(Into::into), count));
        self
    }
    pub fn community(mut self, id: &str, mode: Mode, core: &[&str]) -> Self {
        self.communities.push((
            id.into(),
            id.into(),
            mode,
            core.iter().map(|s| s.to_string()).collect(),
        ));
        self
    }
    pub fn teacher(mut self, t: TeacherSpec) -> Self {
        self.teachers.push(t);
        self
    }
    pub fn demand(mut self, school: &str, subject: &str, periods: u32) -> Self {
        self.demand.push((school.into(), subject.into(), periods));
        self
    }
    pub fn distance(mut self, a: &str, b: &str, km: f64, minutes: f64) -> Self {
        self.distances
            .push((a.into(), b.into(), Leg { km, minutes }));
        self
    }
    /// A ledger row from the teacher's home to `to`.
    pub fn ledger(mut self, teacher: &str, to: &str, start: i32, end: i32, extend: bool) -> Self {
        self.ledger
            .push((teacher.into(), to.into(), start, end, extend));
        self
    }

    /// The dataset; panics on an unknown id (a bug in the calling code, not user input).
    pub fn build(self) -> Dataset {
        let subjects = self.subjects();
        let mut schools = self.schools.clone();
        let communities = self.communities(&mut schools);
        let teachers: Vec<Teacher> = (self.teachers.iter())
            .map(|t| self.teacher_of(t, &schools, &subjects))
            .collect();
        let demand = (self.demand.iter())
            .map(|(s, k, p)| ((self.school_ix(s), subject_ix(&subjects, k)), *p))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .map(|((school, subject), periods)| Demand {
                school,
                subject,
                periods,
            })
            .collect();
        let ledger = (self.ledger.iter())
            .map(|(t, to, start, end, extend)| {
                let t = teacher_ix(&teachers, t);
                LedgerEntry {
                    teacher: t,
                    from: teachers[t.ix()].home,
                    to: self.school_ix(to),
                    start_year: *start,
                    end_year: *end,
                    extend: *extend,
                }
            })
            .collect();
        let requests = (self.requests.iter())
            .map(|(s, k, count)| Request {
                school: self.school_ix(s),
                kind: k.as_deref().map_or(RequestKind::Cadre, |k| {
                    RequestKind::Teacher(subject_ix(&subjects, k))
                }),
                count: *count,
                note: String::new(),
            })
            .collect();
        Dataset {
            distances: self.distances(),
            schools,
            communities,
            teachers,
            subjects,
            demand,
            ledger,
            requests,
            policy: self.policy,
        }
    }

    fn school_ix(&self, id: &str) -> SchoolIx {
        let at = self.schools.iter().position(|s| s.id == id);
        SchoolIx(at.unwrap_or_else(|| panic!("unknown school {id}")) as u32)
    }

    /// Every subject named by a teacher, a demand or a request, sorted, once each.
    fn subjects(&self) -> Vec<String> {
        let mut subjects: Vec<String> = (self.teachers.iter())
            .flat_map(|t| std::iter::once(t.subject.clone()).chain(t.extra.iter().cloned()))
            .chain(self.demand.iter().map(|d| d.1.clone()))
            .chain(self.requests.iter().filter_map(|r| r.1.clone()))
            .collect();
        subjects.sort();
        subjects.dedup();
        subjects
    }

    /// The communities, their members the schools naming them (cores aside), and each
    /// school's community set in `schools`.
    fn communities(&self, schools: &mut [School]) -> Vec<Community> {
        let mut out = Vec::with_capacity(self.communities.len());
        for (ci, (id, name, mode, core)) in self.communities.iter().enumerate() {
            let core: Vec<SchoolIx> = core.iter().map(|s| self.school_ix(s)).collect();
            let mut members = Vec::new();
            for (si, c) in self.school_community.iter().enumerate() {
                if c.as_deref() != Some(id.as_str()) {
                    continue;
                }
                schools[si].community = Some(CommunityIx(ci as u32));
                if !core.contains(&SchoolIx(si as u32)) {
                    members.push(SchoolIx(si as u32));
                }
            }
            out.push(Community {
                id: id.clone(),
                name: name.clone(),
                mode: *mode,
                core,
                members,
            });
        }
        out
    }

    /// `t` as a dataset's teacher: extra subjects sorted, without the main one.
    fn teacher_of(&self, t: &TeacherSpec, schools: &[School], subjects: &[String]) -> Teacher {
        let home = self.school_ix(&t.home);
        let main = subject_ix(subjects, &t.subject);
        let mut extra: Vec<SubjectIx> = (t.extra.iter())
            .map(|k| subject_ix(subjects, k))
            .filter(|&k| k != main)
            .collect();
        extra.sort();
        extra.dedup();
        Teacher {
            id: t.id.clone(),
            name: t.id.clone(),
            home,
            subject: main,
            extra_subjects: extra,
            stage: t.stage.unwrap_or(schools[home.ix()].stage),
            gender: t.gender,
            birth_year: t.birth_year,
            hire_year: t.hire_year,
            school_since: t.school_since,
            title: None,
            backbone: t.backbone,
            rural_years: t.rural_years,
            capacity: t.capacity,
            status: t.status,
            willing: t.willing,
            role: t.role,
            pins: Vec::new(),
            kept: Default::default(),
        }
    }

    /// The distances both ways: a pair given one way only holds the other way too.
    fn distances(&self) -> BTreeMap<(SchoolIx, SchoolIx), Leg> {
        let mut distances = BTreeMap::new();
        for (a, b, leg) in &self.distances {
            distances.insert((self.school_ix(a), self.school_ix(b)), *leg);
        }
        for (a, b, leg) in &self.distances {
            let back = (self.school_ix(b), self.school_ix(a));
            distances.entry(back).or_insert(*leg);
        }
        distances
    }
}

fn subject_ix(subjects: &[String], name: &str) -> SubjectIx {
    let at = subjects.binary_search_by(|s| s.as_str().cmp(name));
    SubjectIx(at.expect("interned") as u32)
}

fn teacher_ix(teachers: &[Teacher], id: &str) -> TeacherIx {
    let at = teachers.iter().position(|t| t.id == id);
    TeacherIx(at.unwrap_or_else(|| panic!("unknown teacher {id}")) as u32)
}
