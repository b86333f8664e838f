//! `report.html`: the plan as one self-contained page for the bureau meeting — where the
//! plan stands, a map of the moves and 走教 loops, coverage before and after, the rules,
//! each community's staff before and after, the exchange list by community, each
//! school's own page, each 走教 teacher's week and last year's list beside this year's.
//! Inline CSS and SVG only: it opens from a USB stick with no network, and the same plan
//! gives the same bytes. The page speaks the bureau's words (../shared/TERMS.md); the
//! solver's figures are in summary.json and in an appendix for those who ask.

use std::fmt::Write;

use super::escape::{esc, school_label};
pub use super::lang::Lang;
use super::style::CSS;
use super::words::{school_year, status};
use super::{coverage, lists, map, rule_table, schools, structure, timetables};
use crate::domain::Dataset;
use crate::model::SolveStatus;
use crate::plan::{num, Plan};

/// The whole report.
pub fn report_html(ds: &Dataset, plan: &Plan, lang: Lang) -> String {
    let l = lang;
    let mut h = String::new();
    let title = match l {
        Lang::Zh => format!("{}教师交流轮岗计划", school_year(ds.policy.plan_year, l)),
        Lang::En => format!(
            "Teacher exchange plan, {}",
            school_year(ds.policy.plan_year, l)
        ),
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{}\n</style>\n</head>\n<body>\n",
        l.pick("zh-CN", "en"),
        esc(&title),
        CSS
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(&title));
    toc(&mut h, l);
    summary(&mut h, plan, l);
    map::map(&mut h, ds, plan, l);
    coverage::coverage(&mut h, ds, plan, l);
    rule_table::rules(&mut h, ds, plan, l);
    members_and_requests(&mut h, ds, plan, l);
    structure::structure(&mut h, ds, plan, l);
    super::changes::changes_html(&mut h, ds, plan, l);
    lists::moves(&mut h, ds, plan, l);
    schools::schools(&mut h, ds, plan, l);
    timetables::timetables(&mut h, ds, plan, l);
    lists::compared_with_last_year(&mut h, ds, plan, l);
    appendix(&mut h, plan, l);
    h.push_str("</body>\n</html>\n");
    h
}

/// Links to the sections (not printed).
fn toc(h: &mut String, l: Lang) {
    let links = [
        ("map-section", l.pick("地图", "Map")),
        ("coverage", l.pick("课时缺口", "Coverage")),
        ("rules", l.pick("规则核验", "Rules")),
        ("members", l.pick("成员校", "Member schools")),
        ("structure", l.pick("师资结构", "Staff")),
        ("moves", l.pick("交流名单", "Exchange list")),
        ("schools", l.pick("各校安排", "Each school")),
        ("timetables", l.pick("走教课表", "走教 weeks")),
        ("last-year", l.pick("与上一学年对比", "Last year")),
    ];
    h.push_str("<nav class=\"toc\">");
    for (id, word) in links {
        let _ = write!(h, "<a href=\"#{id}\">{word}</a>");
    }
    h.push_str("</nav>\n");
}

/// Where the plan stands, in plain words, and its counts.
fn summary(h: &mut String, plan: &Plan, l: Lang) {
    let c = &plan.counts;
    let done = if plan.solve.status == SolveStatus::Optimal {
        "done"
    } else {
        "open"
    };
    let _ = writeln!(
        h,
        "<p class=\"status {done}\" id=\"status\">{}</p>",
        esc(&status(plan, l))
    );
    let broken = plan.broken_rules().count();
    let _ = writeln!(
        h,
        "<p class=\"kpi\" id=\"summary\"><span>{}: <b>{}</b></span><span>{}: <b>{}</b></span><span>{}: <b>{}</b></span><span>{}: <b>{}</b></span><span>{}: <b>{}</b></span><span>{}: <b>{} → {}</b></span><span>{}: <b class=\"{}\">{}</b></span></p>",
        l.pick("支教（人）", "Support"), c.support,
        l.pick("跟岗（人）", "Learning"), c.learning,
        l.pick("延期（人）", "Extension"), c.extension,
        l.pick("交流期内（人）", "Terms under way"), c.continuing,
        l.pick("走教（天次/周）", "走教 trip-days a week"), c.trip_days,
        l.pick("缺课（节/周，交流前 → 后）", "Unmet periods (before → after)"), c.unmet_periods_before, c.unmet_periods,
        l.pick("未达标规则", "Rules broken"), if broken == 0 { "ok" } else { "broken" }, broken,
    );
}

/// The solver's figures, folded away and not printed: for those who ask.
fn appendix(h: &mut String, plan: &Plan, l: Lang) {
    let _ = writeln!(
        h,
        "<details class=\"appendix\" id=\"appendix\"><summary>{}</summary>\n<p>{}</p>\n</details>",
        l.pick("技术附录（计算过程）", "Technical appendix"),
        esc(&match l {
            Lang::Zh => format!(
                "方案评分 {}；理论最好评分 {}。评分越低越好，两者之比即“最多相差”的依据。",
                num(plan.objective),
                num(plan.solve.bound)
            ),
            Lang::En => format!(
                "Objective {}; bound {}. Lower is better; \"at most X% from the best\" compares the two.",
                num(plan.objective),
                num(plan.solve.bound)
            ),
        })
    );
}

// ---------------------------------------------------------------- members and requests

/// Each member school's unmet periods before and after (rule 12), and each request of
/// requests.csv with what the plan sends (rule 13).
fn members_and_requests(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"members\">\n<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l.pick("成员校缺课：交流前后", "Member schools' unmet periods, before and after"),
        l.pick("成员校", "Member school"),
        l.pick("无人交流时缺课（节/周）", "Unmet with nobody moving (periods a week)"),
        l.pick("交流后缺课（节/周）", "Unmet after the plan"),
        l.pick("结果", "Result"),
    );
    for m in super::members(ds, plan) {
        let (cls, word) = if m.worse {
            ("broken", l.pick("缺课增加", "worse off"))
        } else {
            ("ok", l.pick("未增加", "not worse off"))
        };
        let _ = writeln!(
            h,
            "<tr class=\"member {cls}\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{cls}\">{word}</td></tr>",
            school_label(ds, m.school),
            m.before,
            m.after
        );
    }
    h.push_str("</table>\n");
    let requests = super::requests(ds, plan);
    if !requests.is_empty() {
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            l.pick("成员校需求申请", "Requests of member schools"),
            l.pick("申请学校", "School"),
            l.pick("申请内容", "Asks for"),
            l.pick("申请人数", "Count"),
            l.pick("派出人数", "Sent"),
            l.pick("结果", "Result"),
            l.pick("备注", "Note"),
        );
        for r in requests {
            let (cls, word) = if r.met {
                ("ok", l.pick("已满足", "met"))
            } else {
                ("broken", l.pick("未满足", "not met"))
            };
            let what = match l {
                Lang::Zh => &r.what_zh,
                Lang::En => &r.what_en,
            };
            let _ = writeln!(
                h,
                "<tr class=\"request {cls}\"><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{cls}\">{word}</td><td>{}</td></tr>",
                school_label(ds, r.school),
                esc(what),
                r.count,
                r.sent,
                esc(&r.note)
            );
        }
        h.push_str("</table>\n");
    }
    h.push_str("</section>\n");
}
