//! `plan.xlsx`: the plan as the sheets a bureau meeting opens, headers in 中文.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::lang::{kind_word, rule_word, weekday_word, Lang};
use super::roster::{by_community, person, person_headers, subjects_text, taught_at};
use super::words::term;
use crate::domain::{Dataset, SchoolIx};
use crate::plan::Plan;

/// One cell: text or a number.
enum Cell {
    T(String),
    N(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::T(s)
    }
}
impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::T(s.to_string())
    }
}
impl From<f64> for Cell {
    fn from(x: f64) -> Self {
        Cell::N(x)
    }
}
impl From<u32> for Cell {
    fn from(x: u32) -> Self {
        Cell::N(x as f64)
    }
}
impl From<i32> for Cell {
    fn from(x: i32) -> Self {
        Cell::N(x as f64)
    }
}

/// The sheet names, in workbook order.
pub const SHEETS: [&str; 8] = [
    "交流名单",
    "走教安排",
    "课时覆盖",
    "规则核验",
    "台账",
    "需求申请",
    "成员校缺课",
    "人工指定",
];

/// The workbook of the plan. Same plan, same bytes: the creation time is fixed and the
/// zip entries carry no clock time.
pub fn plan_xlsx(ds: &Dataset, plan: &Plan) -> Vec<u8> {
    // Every cell is a number or a string cut to Excel's limit, and the sheet names are
    // fixed and valid, so the writer has nothing to refuse.
    build(ds, plan).expect("the workbook's cells are within Excel's limits")
}

fn build(ds: &Dataset, plan: &Plan) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("交流轮岗计划")
            .set_creation_datetime(&created),
    );
    list_sheet(wb.add_worksheet(), ds, plan)?;
    routes_sheet(wb.add_worksheet(), ds, plan)?;
    coverage_sheet(wb.add_worksheet(), ds, plan)?;
    rules_sheet(wb.add_worksheet(), ds, plan)?;
    ledger_sheet(wb.add_worksheet(), ds, plan)?;
    requests_sheet(wb.add_worksheet(), ds, plan)?;
    members_sheet(wb.add_worksheet(), ds, plan)?;
    pins_sheet(wb.add_worksheet(), ds)?;
    wb.save_to_buffer()
}

/// coverage.csv with 中文 headers and school names.
fn coverage_sheet(ws: &mut Worksheet, ds: &Dataset, plan: &Plan) -> Result<(), XlsxError> {
    let rows: Vec<Vec<Cell>> = plan
        .coverage
        .iter()
        .map(|c| {
            vec![
                school_cell(ds, c.school).into(),
                ds.subject_name(c.subject).into(),
                c.demand.into(),
                c.covered.into(),
                c.unmet.into(),
                c.unmet_before.into(),
            ]
        })
        .collect();
    let header = [
        "学校",
        "学科",
        "需求课时",
        "已覆盖课时",
        "缺口课时",
        "计划前缺口课时",
    ];
    sheet(ws, SHEETS[2], &header, &rows)
}

/// Every rule of summary.json, failures first, as on the page.
fn rules_sheet(ws: &mut Worksheet, ds: &Dataset, plan: &Plan) -> Result<(), XlsxError> {
    let mut rules: Vec<_> = plan.rules.iter().collect();
    rules.sort_by_key(|r| r.ok);
    let rows: Vec<Vec<Cell>> = rules
        .iter()
        .map(|r| {
            vec![
                rule_word(r.rule, Lang::Zh).into(),
                r.rule.into(),
                scope_name(ds, &r.scope).into(),
                round3(r.required).into(),
                round3(r.reached).into(),
                round3(r.shortfall).into(),
                (if r.ok { "达标" } else { "未达标" }).into(),
                r.why_zh.clone().into(),
            ]
        })
        .collect();
    let header = [
        "规则",
        "规则代码",
        "范围",
        "要求",
        "达到",
        "差额",
        "结果",
        "原因",
    ];
    sheet(ws, SHEETS[3], &header, &rows)
}

/// ledger.csv with 中文 headers, teachers' names and school names.
fn ledger_sheet(ws: &mut Worksheet, ds: &Dataset, plan: &Plan) -> Result<(), XlsxError> {
    let rows: Vec<Vec<Cell>> = plan
        .ledger
        .iter()
        .map(|l| {
            let te = ds.teacher(l.teacher);
            vec![
                te.id.clone().into(),
                te.name.clone().into(),
                school_cell(ds, l.from).into(),
                school_cell(ds, l.to).into(),
                l.start_year.into(),
                l.end_year.into(),
                (if l.extend { "是" } else { "否" }).into(),
            ]
        })
        .collect();
    let header = [
        "教师编号",
        "姓名",
        "派出学校",
        "接收学校",
        "开始学年",
        "结束学年",
        "申请延期",
    ];
    sheet(ws, SHEETS[4], &header, &rows)
}

/// 人工指定: the pins the plan holds, as pins.csv with FORMAT.md's 中文 headers, so that
/// `--pins plan.xlsx` reads them back (and the rows a planner adds).
fn pins_sheet(ws: &mut Worksheet, ds: &Dataset) -> Result<(), XlsxError> {
    let rows: Vec<Vec<Cell>> = (ds.teachers.iter())
        .flat_map(|te| te.pins.iter().map(move |p| (te, p)))
        .map(|(te, p)| {
            let school = p.school.map_or_else(String::new, |s| {
                format!("{} {}", ds.school(s).id, ds.school(s).name)
            });
            vec![
                te.id.clone().into(),
                p.action.zh().into(),
                school.into(),
                p.note.clone().into(),
            ]
        })
        .collect();
    sheet(
        ws,
        SHEETS[7],
        &["教师编号", "操作", "学校编号", "备注"],
        &rows,
    )
}

/// 交流名单: a row per line of assignments.csv, grouped by community, this year's new moves
/// and extensions before terms under way (交流期内); the first seven columns as always, then
/// 共同体 and the teacher's particulars for the meeting, and the term in words.
fn list_sheet(ws: &mut Worksheet, ds: &Dataset, plan: &Plan) -> Result<(), XlsxError> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for g in by_community(ds, plan) {
        let community = g.community.map_or(String::new(), |c| {
            let c = &ds.communities[c.ix()];
            format!("{} {}", c.id, c.name)
        });
        for a in g.decided.iter().chain(&g.under_way) {
            let te = ds.teacher(a.teacher);
            let mut row: Vec<Cell> = vec![
                te.id.clone().into(),
                te.name.clone().into(),
                school_cell(ds, te.home).into(),
                school_cell(ds, a.host).into(),
                kind_word(a.kind, Lang::Zh).into(),
                a.start_year.into(),
                a.end_year.into(),
                community.clone().into(),
            ];
            let [sex, age, title, role, subject, backbone] = person(ds, a.teacher, Lang::Zh);
            row.push(sex.into());
            row.push(age.parse::<u32>().map_or(Cell::T(age), Cell::from));
            row.extend([title, role, subject, backbone].map(Cell::from));
            row.push(term(a.start_year, a.end_year, Lang::Zh).into());
            row.push(a.why.zh.clone().into());
            // Left empty for the planner: 留任/交流/禁止/延期/不走教 (`--pins plan.xlsx`).
            row.push(String::new().into());
            rows.push(row);
        }
    }
    let head: Vec<&str> = [
        "教师编号",
        "姓名",
        "派出学校",
        "接收学校",
        "类型",
        "开始学年",
        "结束学年",
    ]
    .into_iter()
    .chain([ds.policy.report.community_word.as_str()])
    .chain(person_headers(Lang::Zh))
    .chain(["交流期", "原因", "指定"])
    .collect();
    sheet(ws, SHEETS[0], &head, &rows)
}

/// 走教安排: a row per stop of each trip-day, with the subjects taught at that stop (not
/// the teacher's main subject, when they teach another there); the way home last.
fn routes_sheet(ws: &mut Worksheet, ds: &Dataset, plan: &Plan) -> Result<(), XlsxError> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for t in ds.teacher_ixs() {
        let te = ds.teacher(t);
        for day in plan.routes.get(t.ix()).into_iter().flatten() {
            for (seq, stop) in day.stops.iter().enumerate() {
                let taught = if stop.periods > 0 {
                    subjects_text(ds, &taught_at(plan, t, stop.school), Lang::Zh)
                } else {
                    String::new()
                };
                rows.push(vec![
                    te.id.clone().into(),
                    te.name.clone().into(),
                    taught.into(),
                    weekday_word(day.weekday, Lang::Zh).into(),
                    (seq as u32 + 1).into(),
                    school_cell(ds, stop.school).into(),
                    stop.periods.into(),
                    round3(stop.leg.km).into(),
                    round3(stop.leg.minutes).into(),
                ]);
            }
        }
    }
    let head = [
        "教师编号",
        "姓名",
        "任教学科",
        "星期",
        "序号",
        "学校",
        "课时",
        "公里",
        "分钟",
    ];
    sheet(ws, SHEETS[1], &head, &rows)
}

fn school_cell(ds: &Dataset, s: SchoolIx) -> String {
    format!("{} {}", ds.school(s).id, ds.school(s).name)
}

/// 需求申请: each request of requests.csv and how far the plan meets it.
fn requests_sheet(ws: &mut Worksheet, ds: &Dataset, plan: &Plan) -> Result<(), XlsxError> {
    let rows: Vec<Vec<Cell>> = super::requests(ds, plan)
        .into_iter()
        .map(|r| {
            vec![
                format!("{} {}", ds.school(r.school).id, ds.school(r.school).name).into(),
                r.what_zh.into(),
                r.count.into(),
                r.sent.into(),
                (if r.met { "已满足" } else { "未满足" }).into(),
                r.note.into(),
            ]
        })
        .collect();
    sheet(
        ws,
        SHEETS[5],
        &[
            "申请学校",
            "申请内容",
            "申请人数",
            "派出人数",
            "结果",
            "备注",
        ],
        &rows,
    )
}

/// 成员校缺课: each member's unmet periods with nobody moving and after the plan.
fn members_sheet(ws: &mut Worksheet, ds: &Dataset, plan: &Plan) -> Result<(), XlsxError> {
    let rows: Vec<Vec<Cell>> = super::members(ds, plan)
        .into_iter()
        .map(|m| {
            vec![
                format!("{} {}", ds.school(m.school).id, ds.school(m.school).name).into(),
                m.before.into(),
                m.after.into(),
                (if m.worse { "增加" } else { "未增加" }).into(),
            ]
        })
        .collect();
    sheet(
        ws,
        SHEETS[6],
        &[
            "成员校",
            "无人交流时缺课（节/周）",
            "交流后缺课（节/周）",
            "缺课是否增加",
        ],
        &rows,
    )
}

/// A rule's scope: a school or community by id and name, or the county.
pub(crate) fn scope_name(ds: &Dataset, scope: &str) -> String {
    if scope == "county" {
        return "全县".into();
    }
    if let Some(s) = ds.schools.iter().find(|s| s.id == scope) {
        return format!("{} {}", s.id, s.name);
    }
    // A request: `S01:音乐` or `S01:cadre`.
    if let Some((id, what)) = scope.split_once(':') {
        if let Some(s) = ds.schools.iter().find(|s| s.id == id) {
            let what = if what == "cadre" { "干部" } else { what };
            return format!("{} {}（{what}）", s.id, s.name);
        }
    }
    if let Some(c) = ds.communities.iter().find(|c| c.id == scope) {
        return format!("{} {}", c.id, c.name);
    }
    scope.to_string()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Writes a bold, frozen header and the rows, each column as wide as its widest cell.
fn sheet(
    ws: &mut Worksheet,
    name: &str,
    header: &[&str],
    rows: &[Vec<Cell>],
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    let bold = Format::new().set_bold();
    let mut width: Vec<usize> = header.iter().map(|h| text_width(h)).collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let w = match cell {
                Cell::T(s) => {
                    // Excel refuses strings over 32,767 characters.
                    let s: String = s.chars().take(32_000).collect();
                    ws.write_string(r, c as u16, &s)?;
                    text_width(&s)
                }
                Cell::N(x) => {
                    ws.write_number(r, c as u16, *x)?;
                    crate::plan::num(*x).len()
                }
            };
            if let Some(m) = width.get_mut(c) {
                *m = (*m).max(w);
            }
        }
    }
    for (c, w) in width.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).clamp(6, 60) as f64 + 2.0)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Display width: 中文 characters take two columns.
fn text_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}
