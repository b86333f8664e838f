//! Each simulated year's summary row, the teachers the learning cycle missed, and the
//! summaries as CSV and as an HTML page of charts.

use std::fmt::Write as _;

use super::files::csv;
use crate::domain::{Dataset, MoveKind, Placement, Status, TeacherIx};
use crate::plan::{why_not_moved, Plan};

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
