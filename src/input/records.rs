//! One record type per file, mirroring its rows; ids are still text here. Cells that fail
//! to parse are `None` (their diagnostic is already pushed) so that cross-file checks can
//! still run on the rest and report every problem at once.

use crate::domain::{Gender, Mode, Role, SchoolKind, Stages, Status, Willing};

use super::table::{opt, req, At, Cells, Column, Table};
use super::Diagnostic;
use crate::limits::{MAX_HOUSING, MAX_KM, MAX_MINUTES, MAX_PERIODS};

/// Years outside this window are typos, not history.
pub const YEAR_MIN: i64 = 1900;
pub const YEAR_MAX: i64 = 2200;
const YEAR: &str = "a year (1900-2200)";

pub const SCHOOLS: &[Column] = &[
    req("id", "学校编号"),
    req("name", "学校名称"),
    req("kind", "类型"),
    req("stage", "学段"),
    opt("community", "共同体"),
    opt("lat", "纬度"),
    opt("lon", "经度"),
    opt("housing", "周转宿舍"),
    opt("priority", "优先级"),
];

pub const COMMUNITIES: &[Column] = &[
    req("id", "共同体编号"),
    req("name", "共同体名称"),
    req("mode", "模式"),
    req("core", "核心校"),
];

pub const TEACHERS: &[Column] = &[
    req("id", "教师编号"),
    req("name", "姓名"),
    req("school", "学校编号"),
    req("subject", "学科"),
    opt("extra_subjects", "兼任学科"),
    opt("stage", "学段"),
    req("gender", "性别"),
    req("birth_year", "出生年份"),
    req("hire_year", "参加工作年份"),
    req("school_since", "任教本校起始年份"),
    opt("title", "职称"),
    opt("backbone", "骨干教师"),
    opt("rural_years", "农村任教年限"),
    opt("capacity", "周课时"),
    opt("status", "状态"),
    opt("willing", "交流意愿"),
    opt("role", "职务"),
];

pub const DEMAND: &[Column] = &[
    req("school", "学校编号"),
    req("subject", "学科"),
    req("periods", "周课时需求"),
];

pub const DISTANCES: &[Column] = &[
    req("from", "起点"),
    req("to", "终点"),
    req("km", "公里"),
    req("minutes", "分钟"),
];

pub const LEDGER: &[Column] = &[
    req("teacher", "教师编号"),
    req("from", "派出学校"),
    req("to", "接收学校"),
    req("start_year", "开始学年"),
    req("end_year", "结束学年"),
    opt("extend", "申请延期"),
];

pub const REQUESTS: &[Column] = &[
    req("school", "学校编号"),
    req("kind", "类型"),
    opt("subject", "学科"),
    req("count", "人数"),
    opt("note", "备注"),
];

const KINDS: &[(&str, SchoolKind)] = &[
    ("urban", SchoolKind::Urban),
    ("town", SchoolKind::Town),
    ("rural", SchoolKind::Rural),
    ("城区", SchoolKind::Urban),
    ("镇区", SchoolKind::Town),
    ("乡村", SchoolKind::Rural),
];
const SCHOOL_STAGES: &[(&str, Stages)] = &[
    ("primary", Stages::PRIMARY),
    ("junior", Stages::JUNIOR),
    ("nine_year", Stages::BOTH),
    ("小学", Stages::PRIMARY),
    ("初中", Stages::JUNIOR),
    ("九年一贯制", Stages::BOTH),
];
const TEACHER_STAGES: &[(&str, Stages)] = &[
    ("primary", Stages::PRIMARY),
    ("junior", Stages::JUNIOR),
    ("小学", Stages::PRIMARY),
    ("初中", Stages::JUNIOR),
];
const MODES: &[(&str, Mode)] = &[
    ("tight", Mode::Tight),
    ("fused", Mode::Fused),
    ("paired", Mode::Paired),
    ("紧密型", Mode::Tight),
    ("融合型", Mode::Fused),
    ("结对型", Mode::Paired),
];
const GENDERS: &[(&str, Gender)] = &[
    ("M", Gender::Male),
    ("F", Gender::Female),
    ("男", Gender::Male),
    ("女", Gender::Female),
];
const STATUSES: &[(&str, Status)] = &[
    ("active", Status::Active),
    ("exempt", Status::Exempt),
    ("在岗", Status::Active),
    ("免交流", Status::Exempt),
];
const ROLES: &[(&str, Role)] = &[
    ("teacher", Role::Teacher),
    ("middle", Role::Middle),
    ("vice_principal", Role::VicePrincipal),
    ("principal", Role::Principal),
    ("教师", Role::Teacher),
    ("中层", Role::Middle),
    ("副校长", Role::VicePrincipal),
    ("校长", Role::Principal),
];
/// Whether a request asks for teachers of a subject or for cadres.
const REQUEST_KINDS: &[(&str, bool)] = &[
    ("teacher", false),
    ("cadre", true),
    ("教师", false),
    ("干部", true),
];
const WILLING: &[(&str, Willing)] = &[
    ("yes", Willing::Yes),
    ("no", Willing::No),
    ("unknown", Willing::Unknown),
    ("愿意", Willing::Yes),
    ("不愿意", Willing::No),
    ("未知", Willing::Unknown),
];

#[derive(Clone, Debug)]
pub struct SchoolRec {
    pub line: usize,
    pub id: Option<At<String>>,
    pub name: String,
    pub kind: Option<SchoolKind>,
    pub stage: Option<Stages>,
    pub community: Option<At<String>>,
    pub lat: Option<At<f64>>,
    pub lon: Option<At<f64>>,
    /// Whether the lat / lon cells are non-empty (even if unreadable).
    pub lat_cell: bool,
    pub lon_cell: bool,
    pub housing: Option<u32>,
    pub priority: f64,
}

#[derive(Clone, Debug)]
pub struct CommunityRec {
    pub line: usize,
    pub id: Option<At<String>>,
    pub name: String,
    pub mode: Option<Mode>,
    pub core: Option<At<Vec<String>>>,
}

#[derive(Clone, Debug)]
pub struct TeacherRec {
    pub id: Option<At<String>>,
    pub name: String,
    pub school: Option<At<String>>,
    pub subject: Option<String>,
    pub extra_subjects: Vec<String>,
    pub stage: Option<At<Stages>>,
    pub gender: Option<Gender>,
    pub birth_year: Option<At<i64>>,
    pub hire_year: Option<At<i64>>,
    pub school_since: Option<At<i64>>,
    pub title: Option<String>,
    pub backbone: bool,
    pub rural_years: u32,
    pub capacity: Option<u32>,
    pub status: Status,
    pub willing: Willing,
    pub role: Role,
}

#[derive(Clone, Debug)]
pub struct DemandRec {
    pub line: usize,
    pub school: Option<At<String>>,
    pub subject: Option<At<String>>,
    pub periods: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct DistanceRec {
    pub line: usize,
    pub from: Option<At<String>>,
    pub to: Option<At<String>>,
    pub km: Option<f64>,
    pub minutes: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct RequestRec {
    pub line: usize,
    pub school: Option<At<String>>,
    /// true for a cadre request.
    pub cadre: Option<At<bool>>,
    pub subject: Option<At<String>>,
    pub count: Option<u32>,
    pub note: String,
}

#[derive(Clone, Debug)]
pub struct LedgerRec {
    pub line: usize,
    pub teacher: Option<At<String>>,
    pub from: Option<At<String>>,
    pub to: Option<At<String>>,
    pub start_year: Option<At<i64>>,
    pub end_year: Option<At<i64>>,
    pub extend: bool,
}

fn rows<'a, T>(
    table: &'a Table,
    diags: &'a mut Vec<Diagnostic>,
    mut f: impl FnMut(&mut Cells<'_>) -> T,
) -> Vec<T> {
    table
        .rows
        .iter()
        .map(|row| {
            let mut c = Cells {
                table,
                row,
                diags: &mut *diags,
            };
            f(&mut c)
        })
        .collect()
}

fn text(c: &mut Cells<'_>, name: &str) -> String {
    c.required(name).map(|a| a.v).unwrap_or_default()
}

fn u32_of(a: Option<At<i64>>) -> Option<u32> {
    a.and_then(|a| u32::try_from(a.v).ok())
}

pub fn schools(t: &Table, d: &mut Vec<Diagnostic>) -> Vec<SchoolRec> {
    rows(t, d, |c| SchoolRec {
        line: c.line(),
        id: c.required("id"),
        name: text(c, "name"),
        kind: c.word("kind", true, KINDS).map(|a| a.v),
        stage: c.word("stage", true, SCHOOL_STAGES).map(|a| a.v),
        community: c.optional("community"),
        lat: c.decimal("lat", false, -90.0, 90.0, "latitude in [-90, 90]"),
        lon: c.decimal("lon", false, -180.0, 180.0, "longitude in [-180, 180]"),
        lat_cell: c.optional("lat").is_some(),
        lon_cell: c.optional("lon").is_some(),
        housing: u32_of(c.int("housing", false, 0, MAX_HOUSING, "an integer in [0, 10000]")),
        priority: c
            .decimal("priority", false, 1.0, 100.0, "a decimal in [1, 100]")
            .map_or(1.0, |a| a.v),
    })
}

pub fn communities(t: &Table, d: &mut Vec<Diagnostic>) -> Vec<CommunityRec> {
    rows(t, d, |c| CommunityRec {
        line: c.line(),
        id: c.required("id"),
        name: text(c, "name"),
        mode: c.word("mode", true, MODES).map(|a| a.v),
        core: c.list("core", true),
    })
}

pub fn teachers(t: &Table, d: &mut Vec<Diagnostic>) -> Vec<TeacherRec> {
    rows(t, d, |c| TeacherRec {
        id: c.required("id"),
        name: text(c, "name"),
        school: c.required("school"),
        subject: c.required("subject").map(|a| a.v),
        extra_subjects: c
            .list("extra_subjects", false)
            .map(|a| a.v)
            .unwrap_or_default(),
        stage: c.word("stage", false, TEACHER_STAGES),
        gender: c.word("gender", true, GENDERS).map(|a| a.v),
        birth_year: c.int("birth_year", true, YEAR_MIN, YEAR_MAX, YEAR),
        hire_year: c.int("hire_year", true, YEAR_MIN, YEAR_MAX, YEAR),
        school_since: c.int("school_since", true, YEAR_MIN, YEAR_MAX, YEAR),
        title: c.optional("title").map(|a| a.v),
        backbone: c.boolean("backbone", false),
        rural_years: u32_of(c.int("rural_years", false, 0, 100, "an integer in [0, 100]"))
            .unwrap_or(0),
        capacity: u32_of(c.int("capacity", false, 1, 100, "periods a week in [1, 100]")),
        status: c
            .word("status", false, STATUSES)
            .map_or(Status::Active, |a| a.v),
        willing: c
            .word("willing", false, WILLING)
            .map_or(Willing::Unknown, |a| a.v),
        role: c.word("role", false, ROLES).map_or(Role::Teacher, |a| a.v),
    })
}

pub fn demand(t: &Table, d: &mut Vec<Diagnostic>) -> Vec<DemandRec> {
    rows(t, d, |c| DemandRec {
        line: c.line(),
        school: c.required("school"),
        subject: c.required("subject"),
        periods: u32_of(c.int("periods", true, 0, MAX_PERIODS, "an integer in [0, 10000]")),
    })
}

pub fn distances(t: &Table, d: &mut Vec<Diagnostic>) -> Vec<DistanceRec> {
    rows(t, d, |c| DistanceRec {
        line: c.line(),
        from: c.required("from"),
        to: c.required("to"),
        km: c
            .decimal("km", true, 0.0, MAX_KM, "a decimal in [0, 1000]")
            .map(|a| a.v),
        minutes: c
            .decimal("minutes", true, 0.0, MAX_MINUTES, "a decimal in [0, 1440]")
            .map(|a| a.v),
    })
}

pub fn ledger(t: &Table, d: &mut Vec<Diagnostic>) -> Vec<LedgerRec> {
    rows(t, d, |c| LedgerRec {
        line: c.line(),
        teacher: c.required("teacher"),
        from: c.required("from"),
        to: c.required("to"),
        start_year: c.int("start_year", true, YEAR_MIN, YEAR_MAX, YEAR),
        end_year: c.int("end_year", true, YEAR_MIN, YEAR_MAX, YEAR),
        extend: c.boolean("extend", false),
    })
}

pub fn requests(t: &Table, d: &mut Vec<Diagnostic>) -> Vec<RequestRec> {
    rows(t, d, |c| RequestRec {
        line: c.line(),
        school: c.required("school"),
        cadre: c.word("kind", true, REQUEST_KINDS),
        subject: c.optional("subject"),
        count: u32_of(c.int("count", true, 1, 1000, "an integer in [1, 1000]")),
        note: c.optional("note").map(|a| a.v).unwrap_or_default(),
    })
}
