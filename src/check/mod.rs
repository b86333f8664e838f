//! The independent checker (`lungang check DATASET PLAN_DIR`): a second opinion on a
//! written plan folder.
//!
//! It reads only the dataset and the plan files, shares no code with the model builder
//! (it uses the plain data of [`crate::domain`] and re-derives ledger states, eligibility,
//! distances, trips, rules 5-13 and the objective from MODEL.md's text), and explains every
//! disagreement as a sentence with a stable code (listed in `docs/check.md`).
//!
//! One file per family of checks:
//! [`files`] reads the plan files, [`facts`] re-derives per-teacher facts and distances,
//! [`assignments`], [`routes`], [`teaching`], [`coverage`], [`ledger`], [`rules`] and
//! [`objective`] check their part of the contract.

mod assignments;
mod coverage;
mod decided;
mod facts;
mod files;
mod ledger;
mod objective;
mod routes;
mod rules;
mod teaching;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::domain::Dataset;
use crate::report::lang::{rule_word, Lang};

pub use rules::RuleOutcome;

/// The stable violation codes (docs/check.md explains each).
pub mod codes {
    /// A plan file is missing, has the wrong header, or a row cannot be read.
    pub const FILE: &str = "C-FILE";
    /// A plan file names a teacher, school or subject the dataset does not have.
    pub const ID: &str = "C-ID";
    /// Rows of a plan file are not in the documented order.
    pub const SORT: &str = "C-SORT";
    /// summary.json lacks a key, has a bad status, or bound/gap disagree.
    pub const SUMMARY: &str = "C-SUMMARY";
    /// report.html or plan.xlsx disagrees with the plan's files.
    pub const REPORT: &str = "C-REPORT";
    /// An assignments.csv row disagrees with the dataset (name, home, years).
    pub const ASSIGN: &str = "C-ASSIGN";
    /// A teacher is listed more than once in assignments.csv.
    pub const ASSIGN_DUP: &str = "C-ASSIGN-DUP";
    /// A support/learning row whose schools do not have that community structure.
    pub const KIND: &str = "C-KIND";
    /// A new move that MODEL.md does not allow (status, ledger, willingness, stage, limits).
    pub const MOVE: &str = "C-MOVE";
    /// An extension of a teacher who is not ENDING, or with the wrong host or years.
    pub const EXTEND: &str = "C-EXTEND";
    /// A LOCKED teacher not listed as continuing, or a continuing row that is wrong.
    pub const LOCKED: &str = "C-LOCKED";
    /// An exempt teacher moves, extends or travels.
    pub const EXEMPT: &str = "C-EXEMPT";
    /// A teaching row with periods ≤ 0 or repeated.
    pub const TEACH: &str = "C-TEACH";
    /// A teacher teaches a subject outside Q(t).
    pub const QUALIFIED: &str = "C-QUALIFIED";
    /// Teaching of a subject a school has no demand for.
    pub const DEMAND: &str = "C-DEMAND";
    /// More than c(t) periods at the full-time place (constraint 1).
    pub const FULLTIME: &str = "C-FULLTIME";
    /// More than c(t) periods in all (constraint 3).
    pub const LOAD: &str = "C-LOAD";
    /// A teacher away full time teaches anywhere but the full-time place.
    pub const AWAY: &str = "C-AWAY";
    /// Trip teaching of a subject outside K(t).
    pub const TRIP_SUBJECT: &str = "C-TRIP-SUBJECT";
    /// Periods taught at a stop differ from the periods routes.csv gives there.
    pub const TRIP_PERIODS: &str = "C-TRIP-PERIODS";
    /// A trip-day's rows are malformed (seq, stops, the row back home).
    pub const ROUTE_FORM: &str = "C-ROUTE-FORM";
    /// More than one trip on one weekday.
    pub const DAY: &str = "C-DAY";
    /// More trip-days than `itinerant.max_days`.
    pub const DAYS: &str = "C-DAYS";
    /// A teacher who may not travel makes trips.
    pub const TRAVELER: &str = "C-TRAVELER";
    /// A stop that is not a stop candidate of the teacher.
    pub const STOP: &str = "C-STOP";
    /// A trip over `max_minutes_day` or a between-stops leg over `max_minutes_between`.
    pub const MINUTES: &str = "C-MINUTES";
    /// A two-stop trip written in the other order than the model's.
    pub const ORDER: &str = "C-ORDER";
    /// More periods at a stop on one day than the trip gives there.
    pub const STOP_PERIODS: &str = "C-STOP-PERIODS";
    /// A leg's km or minutes disagree with the derived distance, or no distance is known.
    pub const LEG: &str = "C-LEG";
    /// A stop of a trip-day with fewer than `itinerant.min_periods_per_stop` periods.
    pub const STOP_MIN: &str = "C-STOP-MIN";
    /// A coverage.csv row missing, extra, or with wrong demand, covered or unmet.
    pub const COVER: &str = "C-COVER";
    /// unmet_before out of range or not the best no-move coverage.
    pub const UNMET_BEFORE: &str = "C-UNMET-BEFORE";
    /// ledger.csv is not the input ledger plus this plan's rotations.
    pub const LEDGER: &str = "C-LEDGER";
    /// A summary rule entry missing, extra, or with other numbers than derived.
    pub const RULE: &str = "C-RULE";
    /// A rule the plan breaks that summary.json reports as ok.
    pub const RULE_HIDDEN: &str = "C-RULE-HIDDEN";
    /// summary.json's objective differs from the derived one.
    pub const OBJECTIVE: &str = "C-OBJECTIVE";
    /// One of summary.json's terms differs from the derived one.
    pub const TERM: &str = "C-TERM";
    /// summary.json's counts differ from the files.
    pub const COUNTS: &str = "C-COUNTS";
    /// A pin of the planner (pins.csv, `--pins`) that the plan does not hold.
    pub const PIN: &str = "C-PIN";
    /// summary.json's `changes` differ from the kept plan (`--keep`), or are missing.
    pub const CHANGES: &str = "C-CHANGES";
}

/// One disagreement between the plan and the model, as a sentence.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Violation {
    /// Stable code, e.g. "C-LOAD" (see [`codes`]).
    pub code: &'static str,
    pub sentence: String,
}

/// What the checker found.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckReport {
    /// Every violation, sorted by code then sentence, without repeats.
    pub violations: Vec<Violation>,
    /// MODEL.md's objective re-derived from the files.
    pub objective_derived: f64,
    /// summary.json's `objective`, when readable.
    pub objective_written: Option<f64>,
    /// Each term of the objective re-derived, by summary.json's term names.
    pub terms_derived: BTreeMap<String, f64>,
    /// summary.json's `terms`, when readable.
    pub terms_written: BTreeMap<String, f64>,
    /// Rules 5-13 re-derived, in docs/outputs.md's order.
    pub rules_derived: Vec<RuleOutcome>,
    /// summary.json's `status`, when readable.
    pub status_written: Option<String>,
}

impl CheckReport {
    /// No violation and no mismatch.
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }

    /// Codes of the violations, sorted, without repeats (handy in tests).
    pub fn codes(&self) -> Vec<&'static str> {
        let mut c: Vec<&'static str> = self.violations.iter().map(|v| v.code).collect();
        c.dedup();
        c
    }

    /// The report in English.
    pub fn render(&self) -> String {
        self.render_in(false)
    }

    /// The report as printed by `lungang check`: the objective, its terms, the broken rules,
    /// then every violation sentence and a verdict. With `zh` the headings, terms, rules
    /// and verdict are in 中文, and each violation says what it is in 中文 (`code_zh`)
    /// before its detail, which stays English with the data's own ids and numbers.
    pub fn render_in(&self, zh: bool) -> String {
        let l = |c: &'static str, e: &'static str| if zh { c } else { e };
        let mut s = self.render_objective(zh);
        s.push_str(&self.render_broken(zh));
        for v in &self.violations {
            match zh {
                true => s.push_str(&format!(
                    "{}  {}：{}\n",
                    v.code,
                    code_zh(v.code),
                    v.sentence
                )),
                false => s.push_str(&format!("{}  {}\n", v.code, v.sentence)),
            }
        }
        let n = self.violations.len();
        if self.is_ok() {
            s.push_str(l(
                "通过：方案与数据及 MODEL.md 一致\n",
                "ok: the plan agrees with the dataset and MODEL.md\n",
            ));
        } else if zh {
            s.push_str(&format!("{n} 处违规\n"));
        } else {
            s.push_str(&format!("{n} violation{}\n", if n == 1 { "" } else { "s" }));
        }
        s
    }

    /// The objective and each term, derived against written.
    fn render_objective(&self, zh: bool) -> String {
        let l = |c: &'static str, e: &'static str| if zh { c } else { e };
        let written = |v: Option<f64>| v.map_or(l("缺失", "missing").to_string(), fmt_num);
        let mut s = format!(
            "{} {}, {} {}\n",
            l("方案评分：复算", "objective: derived"),
            fmt_num(self.objective_derived),
            l("文件中", "written"),
            written(self.objective_written)
        );
        for (name, v) in &self.terms_derived {
            let shown = if zh { term_zh(name) } else { name.as_str() };
            s.push_str(&format!(
                "  {shown}: {} {}, {} {}\n",
                l("复算", "derived"),
                fmt_num(*v),
                l("文件中", "written"),
                written(self.terms_written.get(name).copied())
            ));
        }
        s
    }

    /// The rules the plan falls short of (reported, not violations), if any.
    fn render_broken(&self, zh: bool) -> String {
        let l = |c: &'static str, e: &'static str| if zh { c } else { e };
        let broken: Vec<&RuleOutcome> = (self.rules_derived.iter())
            .filter(|r| r.shortfall > 0.0)
            .collect();
        if broken.is_empty() {
            return String::new();
        }
        let mut s = l(
            "方案未满足的规则（如实报告，不算核验错误）：\n",
            "rules the plan breaks (reported, not checker violations):\n",
        )
        .to_string();
        for r in broken {
            let head = match (zh, r.scope.as_str()) {
                (true, "county") => format!("全县 {}", rule_word(r.rule, Lang::Zh)),
                (true, scope) => format!("{scope} {}", rule_word(r.rule, Lang::Zh)),
                (false, scope) => format!("{} at {scope}", r.rule),
            };
            s.push_str(&format!(
                "  {head}: {} {}, {} {}, {} {}\n",
                l("要求", "required"),
                fmt_num(r.required),
                l("实际", "reached"),
                fmt_num(r.reached),
                l("缺口", "shortfall"),
                fmt_num(r.shortfall)
            ));
        }
        s
    }
}

/// What a violation code means, in 中文 (docs/check.md has the English).
fn code_zh(code: &str) -> &'static str {
    match code {
        codes::FILE => "方案文件缺失或无法读取",
        codes::ID => "方案文件中有数据里没有的教师、学校或学科",
        codes::SORT => "方案文件的行序不对",
        codes::SUMMARY => "summary.json 缺项或状态、下界、差距不一致",
        codes::REPORT => "report.html 或 plan.xlsx 与方案文件不一致",
        codes::ASSIGN => "交流名单一行与数据不符（姓名、派出学校、学年）",
        codes::ASSIGN_DUP => "同一教师在交流名单中出现多次",
        codes::KIND => "支教或跟岗的两校不是相应的核心校与成员校",
        codes::MOVE => "不允许的新交流（状态、交流记录、意愿、学段或年龄教龄条件）",
        codes::EXTEND => "延期的教师不是本学年期满者，或接收学校、学年不对",
        codes::LOCKED => "交流期内的教师未列为交流期内，或该行有误",
        codes::EXEMPT => "免于交流的教师被安排交流、延期或走教",
        codes::TEACH => "任课行的课时不大于0或重复",
        codes::QUALIFIED => "教师任教其不能任教的学科",
        codes::DEMAND => "任教的学科该校没有课时需求",
        codes::FULLTIME => "在全职任教学校的课时超过其周课时",
        codes::LOAD => "总课时超过其周课时",
        codes::AWAY => "全职在外的教师在别处任课",
        codes::TRIP_SUBJECT => "走教所教学科不在其可走教学科之内",
        codes::TRIP_PERIODS => "走教学校的任课课时与走教线路不一致",
        codes::ROUTE_FORM => "走教线路格式有误（序号、各站、返校行）",
        codes::DAY => "同一天有两次走教",
        codes::DAYS => "每周走教天数超过上限",
        codes::TRAVELER => "不能走教的教师有走教安排",
        codes::STOP => "走教到不可去的学校",
        codes::MINUTES => "走教路程时间超过上限",
        codes::ORDER => "两站走教的先后顺序与规定不同",
        codes::STOP_PERIODS => "一站一天的课时超过该次走教所给",
        codes::LEG => "一段路的公里或分钟与距离数据不符",
        codes::STOP_MIN => "一站的课时少于每站最少课时",
        codes::COVER => "课时覆盖表一行缺失、多余或数字有误",
        codes::UNMET_BEFORE => "无人交流时的缺课数不对",
        codes::LEDGER => "交流记录不是原记录加本方案的交流",
        codes::RULE => "规则核验一项缺失、多余或数字与复算不符",
        codes::RULE_HIDDEN => "未达标的规则被写成达标",
        codes::OBJECTIVE => "方案评分与复算不符",
        codes::TERM => "方案评分的一项与复算不符",
        codes::COUNTS => "汇总人数与方案文件不符",
        codes::PIN => "未遵守人工指定",
        codes::CHANGES => "与原方案相比的改动清单有误",
        _ => "核验不符",
    }
}

/// An objective term of summary.json as the 中文 summary names it.
fn term_zh(name: &str) -> &str {
    match name {
        "unmet" => "缺课",
        "non_main_subject" => "非主教学科",
        "rotation" => "交流",
        "itinerant_km" => "走教里程",
        "extension" => "延期",
        "violation" => "规则缺口",
        "change" => "与原方案不同",
        other => other,
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// A number as the plan files write it: integers without a fraction, else up to 6 decimals
/// with trailing zeros dropped.
pub(crate) fn fmt_num(v: f64) -> String {
    if v.is_finite() && v == v.round() && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Collects violations while the families run.
#[derive(Default)]
pub(crate) struct Sink {
    pub list: Vec<Violation>,
}

impl Sink {
    pub fn push(&mut self, code: &'static str, sentence: impl Into<String>) {
        self.list.push(Violation {
            code,
            sentence: sentence.into(),
        });
    }
}

/// Checks the plan folder `plan_dir` against `dataset`: every constraint of MODEL.md, the
/// file contract of docs/outputs.md, rules 5-13 and the objective. Never panics on bad
/// files: a missing or unreadable file is a violation naming it.
pub fn check_plan(dataset: &Dataset, plan_dir: &Path) -> CheckReport {
    let ds = dataset;
    let mut sink = Sink::default();
    let ids = files::Ids::new(ds);
    let summary = files::read_summary(plan_dir, &mut sink);
    let mut report = CheckReport {
        violations: Vec::new(),
        objective_derived: 0.0,
        objective_written: summary.objective,
        terms_derived: BTreeMap::new(),
        terms_written: summary.terms.clone(),
        rules_derived: Vec::new(),
        status_written: summary.status.clone(),
    };
    if summary.status.as_deref() == Some("none") {
        sink.push(
            codes::SUMMARY,
            "summary.json: status is \"none\": the planner found no plan, so there is nothing to check",
        );
        return finish(report, sink);
    }
    let plan = files::read_plan(plan_dir, ds, &ids, &mut sink);
    files::check_reports(plan_dir, ds, &plan, summary.rules.len(), &mut sink);
    let facts = facts::derive(ds);
    let places = assignments::check(ds, &facts, &plan.assignments, &mut sink);
    let trips = routes::check(ds, &facts, &places, &plan.routes, &mut sink);
    let taught = teaching::check(ds, &facts, &places, &trips, &plan.teaching, &mut sink);
    let cover = coverage::check(ds, &facts, &taught, &plan.coverage, &mut sink);
    ledger::check(
        ds,
        &facts,
        &places,
        &plan.ledger,
        plan.ledger_read,
        &mut sink,
    );
    let rules = rules::derive(ds, &facts, &places, &taught.covered());
    rules::compare(&rules, &summary, &mut sink);
    decided::check_pins(ds, &places, &trips, &mut sink);
    let mut terms = objective::derive(ds, &facts, &places, &trips, &taught, &rules);
    if let Some(change) = decided::check_changes(ds, &places, &summary, &mut sink) {
        terms.insert("change".to_string(), change);
    }
    report.objective_derived = terms.values().sum();
    objective::compare(&terms, report.objective_derived, &summary, &mut sink);
    objective::compare_counts(&places, &trips, &cover, &summary, &mut sink);
    report.terms_derived = terms;
    report.rules_derived = rules;
    finish(report, sink)
}

fn finish(mut report: CheckReport, sink: Sink) -> CheckReport {
    let mut v = sink.list;
    v.sort();
    v.dedup();
    report.violations = v;
    report
}

/// A school's id, as the checker's messages and rule scopes name it.
fn sid(ds: &Dataset, s: crate::domain::SchoolIx) -> &str {
    ds.schools[s.ix()].id.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_the_plan_files() {
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(-30.0), "-30");
        assert_eq!(fmt_num(0.4), "0.4");
        assert_eq!(fmt_num(12.3456789), "12.345679");
    }

    #[test]
    fn every_code_says_what_it_is_in_chinese() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/check/mod.rs"))
                .expect("this file");
        let all: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("pub const "))
            .filter_map(|l| l.split('"').nth(1))
            .collect();
        assert!(all.len() >= 40, "{all:?}");
        for code in all {
            assert_ne!(super::code_zh(code), "核验不符", "{code} has no 中文");
        }
    }

    #[test]
    fn render_lists_every_sentence_and_a_verdict() {
        let mut report = CheckReport {
            violations: vec![Violation {
                code: codes::LOAD,
                sentence: "T1 teaches 18 periods a week but its capacity is 16".into(),
            }],
            objective_derived: 10.0,
            objective_written: Some(10.0),
            terms_derived: BTreeMap::from([("unmet".to_string(), 10.0)]),
            terms_written: BTreeMap::new(),
            rules_derived: Vec::new(),
            status_written: None,
        };
        let text = report.render();
        assert!(text.contains("C-LOAD  T1 teaches 18 periods"));
        assert!(text.contains("unmet: derived 10, written missing"));
        assert!(text.ends_with("1 violation\n"));
        let zh = report.render_in(true);
        assert!(
            zh.contains("C-LOAD  总课时超过其周课时：T1 teaches") && zh.ends_with("1 处违规\n"),
            "{zh}"
        );
        assert!(zh.contains("  缺课: 复算 10, 文件中 缺失"), "{zh}");
        assert!(!report.is_ok());
        report.violations.clear();
        assert!(report.to_string().contains("ok: the plan agrees"));
    }
}
