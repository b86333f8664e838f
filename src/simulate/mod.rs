//! `lungang simulate` (issue 16, item 1): plans Y, Y+1, … in turn, each year's dataset
//! derived from the last year's dataset and plan (docs/simulate.md). This module knows no
//! files: it turns a dataset and its plan into next year's dataset, a dataset into the
//! bytes of a dataset folder, and a plan into the year's summary row.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::domain::{
    Dataset, Gender, Kept, LedgerEntry, MoveKind, Placement, Role, SchoolKind, Status, Teacher,
    TeacherIx, Willing,
};
use crate::generate::names::{person, SURNAMES};
use crate::generate::random::chance;
use crate::plan::{why_not_moved, Plan};

/// Retirement ages (国发〔1978〕104号: men 60, women cadres 55; the 2025 渐进式延迟退休
/// reform adds a month every four months, under a year by 2027, which this model leaves out).
pub const RETIRE_MALE: i32 = 60;
pub const RETIRE_FEMALE: i32 = 55;
/// The age of a new graduate hire (本科 at 22-23).
pub const HIRE_AGE: i32 = 23;

/// What changed between a year and the next, besides the plan's moves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Turnover {
    /// Ids of the teachers who reached the retirement age.
    pub retired: Vec<String>,
    /// Ids of the new hires, one for each retiree.
    pub hired: Vec<String>,
}

/// The rng of year `year`'s hires under `seed`: each year's draws stand alone, so a year
/// derived again from the same files gives the same hires.
pub fn year_rng(seed: u64, year: i32) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ (year as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Next year's dataset from this year's and its plan: the plan's ledger becomes the
/// ledger; everyone who served full time at a rural school this year gains a rural year;
/// who reaches the retirement age in Y+1 leaves (with their ledger rows), and a new
/// graduate of the same subject and stage replaces each at the same school.
/// `school_since` stays: an exchange keeps the teacher's home (人事关系). Of the terms that
/// end in Y and have not asked yet, each asks to extend with chance `extend_share`
/// (drawn after the hires, in ledger order).
pub fn next_year(
    ds: &Dataset,
    plan: &Plan,
    rng: &mut ChaCha8Rng,
    extend_share: f64,
) -> (Dataset, Turnover) {
    let y = ds.policy.plan_year;
    let next = y + 1;
    let mut out = ds.clone();
    out.policy.plan_year = next;
    let mut turnover = Turnover::default();
    let mut keep: Vec<Option<TeacherIx>> = vec![None; ds.teachers.len()];
    let mut teachers: Vec<Teacher> = Vec::with_capacity(ds.teachers.len());
    let mut leavers: Vec<&Teacher> = Vec::new();
    for t in ds.teacher_ixs() {
        let te = ds.teacher(t);
        let limit = match te.gender {
            Gender::Male => RETIRE_MALE,
            Gender::Female => RETIRE_FEMALE,
        };
        if next - te.birth_year >= limit {
            turnover.retired.push(te.id.clone());
            leavers.push(te);
            continue;
        }
        let mut te = te.clone();
        // A planner's pins and kept plan are this year's, not the next.
        te.pins.clear();
        te.kept = Kept::No;
        let served = plan.placement[t.ix()].school(te.home);
        if ds.school(served).kind == SchoolKind::Rural {
            te.rural_years += 1;
        }
        keep[t.ix()] = Some(TeacherIx(teachers.len() as u32));
        teachers.push(te);
    }
    let mut ids: BTreeSet<String> = ds.teachers.iter().map(|t| t.id.clone()).collect();
    let mut k = 0;
    for old in leavers {
        let id = loop {
            k += 1;
            let id = format!("N{next}{k:03}");
            if ids.insert(id.clone()) {
                break id;
            }
        };
        let female = chance(rng, 0.5);
        turnover.hired.push(id.clone());
        teachers.push(Teacher {
            id,
            name: person(rng, SURNAMES, female),
            home: old.home,
            subject: old.subject,
            extra_subjects: Vec::new(),
            stage: old.stage,
            gender: if female { Gender::Female } else { Gender::Male },
            birth_year: next - HIRE_AGE,
            hire_year: next,
            school_since: next,
            title: None,
            backbone: false,
            rural_years: 0,
            capacity: None,
            status: Status::Active,
            willing: Willing::Unknown,
            role: Role::Teacher,
            pins: Vec::new(),
            kept: Kept::No,
        });
    }
    out.teachers = teachers;
    out.ledger = plan
        .ledger
        .iter()
        .filter_map(|r| {
            let teacher = keep[r.teacher.ix()]?;
            // A term ending in Y whose teacher now asks to extend (西吉 2022: 期满可申请
            // 延长1-2年); whether the rules allow it is next year's plan to decide.
            let asks = r.end_year == y && !r.extend && chance(rng, extend_share);
            Some(LedgerEntry {
                teacher,
                extend: r.extend || asks,
                ..r.clone()
            })
        })
        .collect();
    (out, turnover)
}

/// policy.toml's text for year `year`: `plan_year` set (replaced before the first table,
/// or put first), and `[rotation] learning_cycle_start` set to `cycle_start` when given
/// and the file does not set it, so that the years after the first stay in its cycle.
pub fn policy_for_year(text: &str, year: i32, cycle_start: Option<i32>) -> String {
    let mut out = String::new();
    let mut in_table = false;
    let mut set_year = false;
    let mut rotation = false;
    let has_start = text
        .lines()
        .any(|l| l.trim_start().starts_with("learning_cycle_start"));
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_table = true;
        }
        if !in_table && t.starts_with("plan_year") {
            let _ = writeln!(out, "plan_year = {year}");
            set_year = true;
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if t.trim_end() == "[rotation]" {
            rotation = true;
            if let (Some(s), false) = (cycle_start, has_start) {
                let _ = writeln!(out, "learning_cycle_start = {s}");
            }
        }
    }
    if !set_year {
        out = format!("plan_year = {year}\n{out}");
    }
    if let (Some(s), false, false) = (cycle_start, has_start, rotation) {
        let _ = write!(out, "[rotation]\nlearning_cycle_start = {s}\n");
    }
    out
}

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
    let sid = |s: crate::domain::SchoolIx| ds.school(s).id.clone();
    let ranked = ds.schools.iter().any(|s| s.priority != 1.0);
    let schools = csv(
        if ranked {
            "id,name,kind,stage,community,lat,lon,housing,priority"
        } else {
            "id,name,kind,stage,community,lat,lon,housing"
        },
        ds.schools.iter().map(|s| {
            let mut row = vec![
                s.id.clone(),
                s.name.clone(),
                s.kind.as_str().into(),
                s.stage.as_str().into(),
                s.community
                    .map(|c| ds.communities[c.ix()].id.clone())
                    .unwrap_or_default(),
                opt(&s.lat),
                opt(&s.lon),
                opt(&s.housing),
            ];
            if ranked {
                row.push(s.priority.to_string());
            }
            row
        }),
    );
    let communities = csv(
        "id,name,mode,core",
        ds.communities.iter().map(|c| {
            let core: Vec<String> = c.core.iter().map(|&s| sid(s)).collect();
            vec![
                c.id.clone(),
                c.name.clone(),
                c.mode.as_str().into(),
                core.join(";"),
            ]
        }),
    );
    let teachers = csv(
        "id,name,school,subject,extra_subjects,stage,gender,birth_year,hire_year,school_since,\
         title,backbone,rural_years,capacity,status,willing,role",
        ds.teachers.iter().map(|t| {
            let extra: Vec<&str> = t
                .extra_subjects
                .iter()
                .map(|&k| ds.subject_name(k))
                .collect();
            let stage = if t.stage == ds.school(t.home).stage {
                String::new()
            } else {
                t.stage.as_str().into()
            };
            vec![
                t.id.clone(),
                t.name.clone(),
                sid(t.home),
                ds.subject_name(t.subject).into(),
                extra.join(";"),
                stage,
                match t.gender {
                    Gender::Male => "M",
                    Gender::Female => "F",
                }
                .into(),
                t.birth_year.to_string(),
                t.hire_year.to_string(),
                t.school_since.to_string(),
                opt(&t.title),
                yes_no(t.backbone),
                t.rural_years.to_string(),
                opt(&t.capacity),
                match t.status {
                    Status::Active => "active",
                    Status::Exempt => "exempt",
                }
                .into(),
                match t.willing {
                    Willing::Yes => "yes",
                    Willing::No => "no",
                    Willing::Unknown => "unknown",
                }
                .into(),
                t.role.as_str().into(),
            ]
        }),
    );
    let demand = csv(
        "school,subject,periods",
        ds.demand.iter().map(|d| {
            vec![
                sid(d.school),
                ds.subject_name(d.subject).into(),
                d.periods.to_string(),
            ]
        }),
    );
    // Each pair once where both directions agree (FORMAT.md fills in the other).
    let distances = csv(
        "from,to,km,minutes",
        ds.distances
            .iter()
            .filter(|((a, b), leg)| a < b || ds.distances.get(&(*b, *a)) != Some(leg))
            .map(|((a, b), leg)| {
                vec![
                    sid(*a),
                    sid(*b),
                    leg.km.to_string(),
                    leg.minutes.to_string(),
                ]
            }),
    );
    let ledger = csv(
        "teacher,from,to,start_year,end_year,extend",
        ds.ledger.iter().map(|r| {
            vec![
                ds.teacher(r.teacher).id.clone(),
                sid(r.from),
                sid(r.to),
                r.start_year.to_string(),
                r.end_year.to_string(),
                yes_no(r.extend),
            ]
        }),
    );
    let mut files = vec![
        ("schools.csv", schools),
        ("communities.csv", communities),
        ("teachers.csv", teachers),
        ("demand.csv", demand),
        ("distances.csv", distances),
        ("ledger.csv", ledger),
        ("policy.toml", policy.as_bytes().to_vec()),
    ];
    if !ds.requests.is_empty() {
        let requests = csv(
            "school,kind,subject,count,note",
            ds.requests.iter().map(|r| {
                let (kind, subject) = match r.kind {
                    crate::domain::RequestKind::Teacher(k) => ("teacher", ds.subject_name(k)),
                    crate::domain::RequestKind::Cadre => ("cadre", ""),
                };
                vec![
                    sid(r.school),
                    kind.into(),
                    subject.into(),
                    r.count.to_string(),
                    r.note.clone(),
                ]
            }),
        );
        files.push(("requests.csv", requests));
    }
    files
}

/// One year of the simulation, as summary.csv and summary.json show it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct YearRow {
    pub year: i32,
    pub status: String,
    pub objective: f64,
    pub unmet_periods: u32,
    pub unmet_periods_before: u32,
    pub support: u32,
    pub learning: u32,
    pub extension: u32,
    pub continuing: u32,
    pub broken_rules: usize,
    /// Due teachers (MODEL.md) who serve at home this year.
    pub due_not_rotated: u32,
    /// Member teachers still to 跟岗 in the cycle after this year's plan (rule 14).
    pub cycle_pending_after: u32,
    /// Active teachers of town and urban schools short of the rural years for promotion
    /// who serve at home, and the mean of their rural years.
    pub promotion_short: u32,
    pub promotion_short_mean_rural_years: f64,
    /// `lungang check` on the written folders: violations found (0 = accepted).
    pub check_violations: usize,
    /// Leaving at the year's end, and hired for the next year.
    pub retired: usize,
    pub hired: usize,
}

/// One teacher the cycle rule missed: still to 跟岗 when the cycle's last year was planned.
#[derive(Clone, Debug, PartialEq)]
pub struct Missed {
    pub year: i32,
    pub teacher: String,
    pub name: String,
    pub school: String,
    pub why: String,
    pub why_zh: String,
}

/// Whether `t` serves this year as a learner at a core of its community.
fn learns(ds: &Dataset, plan: &Plan, t: TeacherIx) -> bool {
    let home = ds.teacher(t).home;
    let at = plan.placement[t.ix()].school(home);
    at != home && ds.move_kind_from(home, at) == Some(MoveKind::Learning)
}

/// The year's row of the summary (without the check and the turnover, filled in later).
pub fn year_row(ds: &Dataset, plan: &Plan) -> YearRow {
    let facts = ds.teacher_facts();
    let home = |t: TeacherIx| plan.placement[t.ix()] == Placement::Home;
    let due_not_rotated = ds
        .teacher_ixs()
        .filter(|&t| facts[t.ix()].due && home(t))
        .count() as u32;
    let cycle_pending_after = ds
        .teacher_ixs()
        .filter(|&t| facts[t.ix()].cycle_pending && !learns(ds, plan, t))
        .count() as u32;
    let short: Vec<u32> = ds
        .teacher_ixs()
        .filter(|&t| facts[t.ix()].needs_rural && ds.teacher(t).status == Status::Active && home(t))
        .map(|t| ds.teacher(t).rural_years)
        .collect();
    let mean = if short.is_empty() {
        0.0
    } else {
        short.iter().map(|&r| r as f64).sum::<f64>() / short.len() as f64
    };
    let c = &plan.counts;
    YearRow {
        year: ds.policy.plan_year,
        status: crate::plan::status_word(plan.solve.status).into(),
        objective: plan.objective,
        unmet_periods: c.unmet_periods,
        unmet_periods_before: c.unmet_periods_before,
        support: c.support,
        learning: c.learning,
        extension: c.extension,
        continuing: c.continuing,
        broken_rules: plan.broken_rules().count(),
        due_not_rotated,
        cycle_pending_after,
        promotion_short: short.len() as u32,
        promotion_short_mean_rural_years: (mean * 100.0).round() / 100.0,
        check_violations: 0,
        retired: 0,
        hired: 0,
    }
}

/// In a cycle's last year, the member teachers still to 跟岗 whom the plan does not send,
/// each with the first reason that keeps them home (or none: the rule's share, the outflow
/// cap or rule 12 left them).
pub fn missed(ds: &Dataset, plan: &Plan) -> Vec<Missed> {
    let Some(cycle) = ds.learning_cycle() else {
        return Vec::new();
    };
    if cycle.end() != ds.policy.plan_year {
        return Vec::new();
    }
    let facts = ds.teacher_facts();
    ds.teacher_ixs()
        .filter(|&t| facts[t.ix()].cycle_pending && !learns(ds, plan, t))
        .map(|t| {
            let te = ds.teacher(t);
            let (why, why_zh) = why_not_moved(ds, &facts, t, MoveKind::Learning)
                .map(|(en, zh)| (en.to_string(), zh))
                .unwrap_or_else(|| not_sent(ds, plan, te.home));
            Missed {
                year: ds.policy.plan_year,
                teacher: te.id.clone(),
                name: te.name.clone(),
                school: ds.school(te.home).id.clone(),
                why,
                why_zh,
            }
        })
        .collect()
}

/// Why a teacher who could go to 跟岗 was not sent in the cycle's last year, from the
/// plan: the school's outflow cap; else a plan stopped by the time limit; else, proven
/// best, rule 12 (sending more would leave its classes short) or the cost.
fn not_sent(ds: &Dataset, plan: &Plan, home: crate::domain::SchoolIx) -> (String, String) {
    let staff: Vec<TeacherIx> = ds
        .teacher_ixs()
        .filter(|&o| ds.teacher(o).home == home)
        .collect();
    let total = staff.len() as u32;
    let away = staff
        .iter()
        .filter(|&&o| plan.placement[o.ix()].school(home) != home)
        .count() as u32;
    let cap = ds.policy.rotation.max_outflow_share.floor_of(total);
    if away >= cap {
        (
            format!("could go; the school's outflow cap ({cap} of {total}) is reached"),
            format!("可以交流，但本校外派已达上限（{total}人中{cap}人）"),
        )
    } else if plan.solve.status != crate::model::SolveStatus::Optimal {
        (
            "could go; the plan stopped at the time limit before sending them".into(),
            "可以交流，方案在计算时间内未及安排（可延长计算时间）".into(),
        )
    } else if ds.policy.rotation.protect_members {
        (
            "could go; sending more would leave the school's classes short (members not worse off), or cost more than the cycle's shortfall".into(),
            "可以交流，但再派出本校课务将无人承担（成员校缺课不增加），或代价高于未完成周期跟岗".into(),
        )
    } else {
        (
            "could go; sending them would cost the plan more than the cycle's shortfall".into(),
            "可以交流，派出代价高于未完成周期跟岗的代价".into(),
        )
    }
}

/// summary.csv: one row per year.
pub fn summary_csv(rows: &[YearRow]) -> Vec<u8> {
    csv(
        "year,status,objective,unmet_periods,unmet_periods_before,support,learning,extension,\
         continuing,broken_rules,due_not_rotated,cycle_pending_after,promotion_short,\
         promotion_short_mean_rural_years,check_violations,retired,hired",
        rows.iter().map(|r| {
            vec![
                r.year.to_string(),
                r.status.clone(),
                crate::plan::num(r.objective),
                r.unmet_periods.to_string(),
                r.unmet_periods_before.to_string(),
                r.support.to_string(),
                r.learning.to_string(),
                r.extension.to_string(),
                r.continuing.to_string(),
                r.broken_rules.to_string(),
                r.due_not_rotated.to_string(),
                r.cycle_pending_after.to_string(),
                r.promotion_short.to_string(),
                r.promotion_short_mean_rural_years.to_string(),
                r.check_violations.to_string(),
                r.retired.to_string(),
                r.hired.to_string(),
            ]
        }),
    )
}

/// missed.csv: who the cycle missed, and why.
pub fn missed_csv(rows: &[Missed]) -> Vec<u8> {
    csv(
        "year,teacher,name,school,why,why_zh",
        rows.iter().map(|m| {
            vec![
                m.year.to_string(),
                m.teacher.clone(),
                m.name.clone(),
                m.school.clone(),
                m.why.clone(),
                m.why_zh.clone(),
            ]
        }),
    )
}

/// One line chart of the summary page: a title and named series over the years.
fn chart(out: &mut String, title: &str, years: &[i32], series: &[(&str, Vec<f64>)]) {
    const W: f64 = 520.0;
    const H: f64 = 220.0;
    const L: f64 = 50.0;
    const R: f64 = 20.0;
    const T: f64 = 20.0;
    const B: f64 = 40.0;
    const COLORS: [&str; 3] = ["#1f5fa8", "#c0392b", "#2e8b57"];
    let max = series
        .iter()
        .flat_map(|s| s.1.iter().copied())
        .fold(0.0_f64, f64::max)
        .max(1.0)
        * 1.15;
    let n = years.len().max(2) as f64 - 1.0;
    let x = |i: usize| L + (W - L - R) * i as f64 / n;
    let y = |v: f64| T + (H - T - B) * (1.0 - v / max);
    let _ = write!(
        out,
        "<section><h2>{title}</h2>\n<svg viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\">\n"
    );
    let _ = writeln!(
        out,
        "<line x1=\"{L}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#888\"/>",
        H - B,
        W - R,
        H - B
    );
    for (i, yr) in years.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{yr}—{}学年</text>",
            x(i),
            H - B + 16.0,
            yr + 1
        );
    }
    for (k, (name, vals)) in series.iter().enumerate() {
        let c = COLORS[k % COLORS.len()];
        let pts: Vec<String> = vals
            .iter()
            .enumerate()
            .map(|(i, &v)| format!("{:.1},{:.1}", x(i), y(v)))
            .collect();
        let _ = writeln!(
            out,
            "<polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" points=\"{}\"/>",
            pts.join(" ")
        );
        for (i, &v) in vals.iter().enumerate() {
            let _ = writeln!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{c}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{c}\">{}</text>",
                x(i),
                y(v),
                x(i),
                y(v) - 6.0,
                crate::plan::num(v)
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{c}\">{name}</text>",
            L + 8.0 + 130.0 * k as f64,
            H - 6.0
        );
    }
    out.push_str("</svg></section>\n");
}

/// summary.html: the years' figures as line charts, in the bureau's words (TERMS.md).
pub fn summary_html(rows: &[YearRow]) -> Vec<u8> {
    let years: Vec<i32> = rows.iter().map(|r| r.year).collect();
    let col = |f: fn(&YearRow) -> f64| rows.iter().map(f).collect::<Vec<f64>>();
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>逐年交流轮岗模拟</title>\n\
         <style>body{font-family:sans-serif;margin:2em}section{margin-bottom:1.5em}h2{font-size:1.05em}</style></head><body>\n\
         <h1>逐年交流轮岗模拟</h1>\n",
    );
    chart(
        &mut out,
        "缺课节数（每周）",
        &years,
        &[
            ("按方案", col(|r| r.unmet_periods as f64)),
            ("无人交流时", col(|r| r.unmet_periods_before as f64)),
        ],
    );
    chart(
        &mut out,
        "交流人数",
        &years,
        &[
            ("支教", col(|r| r.support as f64)),
            ("跟岗", col(|r| r.learning as f64)),
            ("延期", col(|r| r.extension as f64)),
        ],
    );
    chart(
        &mut out,
        "应交流而本学年未交流的教师",
        &years,
        &[("人数", col(|r| r.due_not_rotated as f64))],
    );
    chart(
        &mut out,
        "本周期尚未跟岗的成员校教师（本学年方案之后）",
        &years,
        &[("人数", col(|r| r.cycle_pending_after as f64))],
    );
    chart(
        &mut out,
        "农村任教年限不足、本学年未到农村学校的城镇教师",
        &years,
        &[
            ("人数", col(|r| r.promotion_short as f64)),
            (
                "平均农村任教年限",
                col(|r| r.promotion_short_mean_rural_years),
            ),
        ],
    );
    out.push_str("</body></html>\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_text_gets_the_year_and_keeps_the_cycle() {
        let t = "# c\nplan_year = 2025\n[rotation]\nlearning_cycle_years = 3\n";
        assert_eq!(
            policy_for_year(t, 2026, Some(2025)),
            "# c\nplan_year = 2026\n[rotation]\nlearning_cycle_start = 2025\nlearning_cycle_years = 3\n"
        );
        assert_eq!(policy_for_year("", 2027, None), "plan_year = 2027\n");
        assert_eq!(
            policy_for_year("[weights]\nunmet = 5\n", 2027, Some(2025)),
            "plan_year = 2027\n[weights]\nunmet = 5\n[rotation]\nlearning_cycle_start = 2025\n"
        );
        // A start the file sets is the county's; a plan_year inside a table is not ours.
        let t = "[rotation]\nlearning_cycle_start = 2024\n";
        assert_eq!(
            policy_for_year(t, 2026, Some(2026)),
            "plan_year = 2026\n[rotation]\nlearning_cycle_start = 2024\n"
        );
    }
}
