use std::collections::BTreeMap;

use super::{Kept, Pin, Policy};

/// Dense index of a school in `Dataset::schools`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchoolIx(pub u32);
/// Dense index of a teacher in `Dataset::teachers`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TeacherIx(pub u32);
/// Dense index of a subject name in `Dataset::subjects`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubjectIx(pub u32);
/// Dense index of a community in `Dataset::communities`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommunityIx(pub u32);

macro_rules! ix {
    ($($t:ident),*) => {$(
        impl $t {
            pub fn ix(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
ix!(SchoolIx, TeacherIx, SubjectIx, CommunityIx);

/// Where a school stands (类型).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SchoolKind {
    Urban,
    Town,
    Rural,
}

impl SchoolKind {
    pub const ALL: [SchoolKind; 3] = [SchoolKind::Urban, SchoolKind::Town, SchoolKind::Rural];
    pub fn as_str(self) -> &'static str {
        match self {
            SchoolKind::Urban => "urban",
            SchoolKind::Town => "town",
            SchoolKind::Rural => "rural",
        }
    }
}

/// A set of school stages (学段) as bits: primary = 1, junior = 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stages(pub u8);

impl Stages {
    pub const PRIMARY: Stages = Stages(1);
    pub const JUNIOR: Stages = Stages(2);
    pub const BOTH: Stages = Stages(3);
    pub fn overlaps(self, other: Stages) -> bool {
        self.0 & other.0 != 0
    }
    pub fn has_primary(self) -> bool {
        self.0 & 1 != 0
    }
    pub fn has_junior(self) -> bool {
        self.0 & 2 != 0
    }
    /// The stage word used in files: primary, junior or nine_year.
    pub fn as_str(self) -> &'static str {
        match self.0 {
            1 => "primary",
            2 => "junior",
            _ => "nine_year",
        }
    }
}

/// 校共体 model (模式).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    Tight,
    Fused,
    Paired,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Tight, Mode::Fused, Mode::Paired];
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Tight => "tight",
            Mode::Fused => "fused",
            Mode::Paired => "paired",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gender {
    Male,
    Female,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Active,
    Exempt,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Willing {
    Yes,
    No,
    Unknown,
}

/// 职务: a cadre (干部: 中层, 副校长, 校长) can be sent to help run a member school.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Teacher,
    Middle,
    VicePrincipal,
    Principal,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Teacher => "teacher",
            Role::Middle => "middle",
            Role::VicePrincipal => "vice_principal",
            Role::Principal => "principal",
        }
    }
    pub fn is_cadre(self) -> bool {
        self != Role::Teacher
    }
}

/// What a request of requests.csv asks for (rule 13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RequestKind {
    /// Teachers whose main subject is this one.
    Teacher(SubjectIx),
    /// Cadres of any subject.
    Cadre,
}

/// One row of requests.csv: a school asks for `count` teachers serving there full time
/// from another school (西吉 2022 "根据乡镇学校的需求及申请选派").
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub school: SchoolIx,
    pub kind: RequestKind,
    pub count: u32,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct School {
    pub id: String,
    pub name: String,
    pub kind: SchoolKind,
    /// nine_year = `Stages::BOTH`.
    pub stage: Stages,
    pub community: Option<CommunityIx>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Most incoming full-time rotating teachers; `None` = no limit.
    pub housing: Option<u32>,
    /// Multiplies the weight of the school's unmet periods (≥ 1; 平顶山 2025: 薄弱、小规模、
    /// 寄宿制 schools first).
    pub priority: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Community {
    pub id: String,
    pub name: String,
    pub mode: Mode,
    /// Lead schools (牵头校/核心校), in file order; each names this community.
    pub core: Vec<SchoolIx>,
    /// Every other school naming this community, in schools.csv order.
    pub members: Vec<SchoolIx>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Teacher {
    pub id: String,
    pub name: String,
    pub home: SchoolIx,
    pub subject: SubjectIx,
    /// Other qualified subjects, sorted, without the main subject, no repeats.
    pub extra_subjects: Vec<SubjectIx>,
    /// The column if given, else the home school's stage.
    pub stage: Stages,
    pub gender: Gender,
    pub birth_year: i32,
    pub hire_year: i32,
    pub school_since: i32,
    pub title: Option<String>,
    pub backbone: bool,
    pub rural_years: u32,
    /// Periods a week if given; else the policy default (see `Dataset::capacity`).
    pub capacity: Option<u32>,
    pub status: Status,
    pub willing: Willing,
    pub role: Role,
    /// The planner's pins of this teacher (pins.csv), in file order.
    pub pins: Vec<Pin>,
    /// Where a kept plan had the teacher (`plan --keep`).
    pub kept: Kept,
}

/// One demand row: periods a week school needs of subject (> 0 rows only matter).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Demand {
    pub school: SchoolIx,
    pub subject: SubjectIx,
    pub periods: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Leg {
    pub km: f64,
    pub minutes: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LedgerEntry {
    pub teacher: TeacherIx,
    pub from: SchoolIx,
    pub to: SchoolIx,
    pub start_year: i32,
    pub end_year: i32,
    pub extend: bool,
}

/// A validated dataset. Invariants `input` guarantees: ids unique; every index valid;
/// `demand` has one row per (school, subject), sorted by (school, subject); `subjects` sorted
/// and without repeats; ledger rows of one teacher do not overlap.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub schools: Vec<School>,
    pub communities: Vec<Community>,
    pub teachers: Vec<Teacher>,
    pub subjects: Vec<String>,
    pub demand: Vec<Demand>,
    /// Pairs given in distances.csv, both directions filled in as FORMAT.md says.
    pub distances: BTreeMap<(SchoolIx, SchoolIx), Leg>,
    pub ledger: Vec<LedgerEntry>,
    /// requests.csv, in file order.
    pub requests: Vec<Request>,
    pub policy: Policy,
}

impl Dataset {
    pub fn school(&self, s: SchoolIx) -> &School {
        &self.schools[s.ix()]
    }
    pub fn teacher(&self, t: TeacherIx) -> &Teacher {
        &self.teachers[t.ix()]
    }
    pub fn subject_name(&self, k: SubjectIx) -> &str {
        &self.subjects[k.ix()]
    }
    pub fn subject_ix(&self, name: &str) -> Option<SubjectIx> {
        self.subjects
            .binary_search_by(|s| s.as_str().cmp(name))
            .ok()
            .map(|i| SubjectIx(i as u32))
    }
    pub fn school_ixs(&self) -> impl Iterator<Item = SchoolIx> {
        (0..self.schools.len() as u32).map(SchoolIx)
    }
    pub fn teacher_ixs(&self) -> impl Iterator<Item = TeacherIx> {
        (0..self.teachers.len() as u32).map(TeacherIx)
    }

    /// Periods a week `s` needs of `k` (0 when no row).
    pub fn demand_of(&self, s: SchoolIx, k: SubjectIx) -> u32 {
        self.demand
            .binary_search_by(|d| (d.school, d.subject).cmp(&(s, k)))
            .map(|i| self.demand[i].periods)
            .unwrap_or(0)
    }

    /// mult(s,k) of MODEL.md: the school's priority × `weights.unmet_subject[k]`.
    pub fn unmet_mult(&self, s: SchoolIx, k: SubjectIx) -> f64 {
        self.school(s).priority * self.policy.weights.unmet_mult(self.subject_name(k))
    }

    /// Q(t): main subject first, then the extra ones.
    pub fn qualified(&self, t: TeacherIx) -> impl Iterator<Item = SubjectIx> + '_ {
        let te = self.teacher(t);
        std::iter::once(te.subject).chain(te.extra_subjects.iter().copied())
    }

    /// c(t): the teacher's capacity, or the policy's for its stage (the smaller for both).
    pub fn capacity(&self, t: TeacherIx) -> u32 {
        let te = self.teacher(t);
        te.capacity.unwrap_or_else(|| {
            let cap = &self.policy.capacity;
            match (te.stage.has_primary(), te.stage.has_junior()) {
                (true, true) => cap.primary.min(cap.junior),
                (false, true) => cap.junior,
                _ => cap.primary,
            }
        })
    }

    /// The community a school belongs to, and whether it is one of its cores.
    pub fn is_core(&self, s: SchoolIx) -> bool {
        self.school(s)
            .community
            .is_some_and(|c| self.communities[c.ix()].core.contains(&s))
    }

    /// Travel between two schools: distances.csv, else great-circle × road factor.
    /// `None` when neither is known. The same school is 0 km, 0 minutes.
    pub fn leg(&self, a: SchoolIx, b: SchoolIx) -> Option<Leg> {
        if a == b {
            return Some(Leg {
                km: 0.0,
                minutes: 0.0,
            });
        }
        if let Some(l) = self.distances.get(&(a, b)) {
            return Some(*l);
        }
        let (sa, sb) = (self.school(a), self.school(b));
        let (lat1, lon1, lat2, lon2) = (sa.lat?, sa.lon?, sb.lat?, sb.lon?);
        let km = haversine_km(lat1, lon1, lat2, lon2) * self.policy.travel.road_factor;
        Some(Leg {
            km,
            minutes: km / self.policy.travel.speed_kmh * 60.0,
        })
    }
}

/// Great-circle distance on a sphere of radius 6371.0088 km (FORMAT.md).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}
