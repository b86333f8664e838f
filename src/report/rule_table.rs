//! The rule table as a meeting reads it: what is 未达标 first, with its reason; a rule
//! that asks for nobody left out (it is not a rule that holds); whole people ("不少于20人",
//! never "19.40人"). The report and the workbook share the order and the words.

use std::fmt::Write;

use super::escape::esc;
use super::lang::{rule_word, why, Lang};
use super::words::{whole_down, whole_up};
use crate::domain::Dataset;
use crate::plan::{Plan, RuleResult};

/// What a rule's `required` means (docs/outputs.md's table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// At least this many people (rounded up).
    AtLeast,
    /// At most this many people (rounded down).
    AtMost,
    /// As many learning as support teachers.
    Equal,
    /// Weighted unmet periods no more than with nobody moving.
    Periods,
}

pub fn measure(rule: &str) -> Measure {
    match rule {
        "outflow_cap" | "housing" => Measure::AtMost,
        "reciprocal" => Measure::Equal,
        "protect_members" => Measure::Periods,
        _ => Measure::AtLeast,
    }
}

/// Whether the rule asks anything of this plan: a minimum of 0 people, or equal numbers
/// of nobody each way, is no rule at all.
pub fn asks_something(r: &RuleResult) -> bool {
    !r.ok
        || match measure(r.rule) {
            Measure::AtLeast => whole_up(r.required) > 0,
            Measure::Equal => r.required > 0.0 || r.reached > 0.0,
            Measure::AtMost | Measure::Periods => true,
        }
}

/// The rules to show: broken first, then the rest, each part in summary.json's order;
/// rules that ask nothing left out.
pub fn shown(plan: &Plan) -> Vec<&RuleResult> {
    let mut rows: Vec<&RuleResult> = plan.rules.iter().filter(|r| asks_something(r)).collect();
    rows.sort_by_key(|r| r.ok);
    rows
}

/// Required, reached and the difference, in words and whole people.
pub fn figures(r: &RuleResult, l: Lang) -> [String; 3] {
    let zh = l == Lang::Zh;
    let people = |n: u32| if zh { format!("{n}人") } else { n.to_string() };
    let reached = whole_down(r.reached + 1e-6);
    match measure(r.rule) {
        Measure::AtLeast => {
            let need = whole_up(r.required);
            let short = need.saturating_sub(reached);
            [
                if zh {
                    format!("应不少于{need}人")
                } else {
                    format!("at least {need}")
                },
                people(reached),
                if short > 0 {
                    people(short)
                } else {
                    String::new()
                },
            ]
        }
        Measure::AtMost => {
            let cap = whole_down(r.required);
            let over = reached.saturating_sub(cap);
            [
                if zh {
                    format!("不超过{cap}人")
                } else {
                    format!("at most {cap}")
                },
                people(reached),
                if over > 0 {
                    people(over)
                } else {
                    String::new()
                },
            ]
        }
        Measure::Equal => {
            let (sup, learn) = (whole_down(r.required + 1e-6), reached);
            [
                if zh {
                    format!("跟岗与支教人数相等（支教{sup}人）")
                } else {
                    format!("as many learning as support ({sup})")
                },
                if zh {
                    format!("跟岗{learn}人")
                } else {
                    format!("{learn} learning")
                },
                if sup != learn {
                    people(sup.abs_diff(learn))
                } else {
                    String::new()
                },
            ]
        }
        Measure::Periods => {
            let p = |x: f64| crate::plan::num((x * 10.0).round() / 10.0);
            [
                if zh {
                    format!("缺课不多于{}节（加权）", p(r.required))
                } else {
                    format!("at most {} weighted periods", p(r.required))
                },
                if zh {
                    format!("{}节", p(r.reached))
                } else {
                    p(r.reached)
                },
                if r.ok {
                    String::new()
                } else if zh {
                    format!("{}节", p(r.shortfall))
                } else {
                    p(r.shortfall)
                },
            ]
        }
    }
}

/// A rule's scope: the county, or a school or community by id and name.
pub fn scope_words(ds: &Dataset, r: &RuleResult, l: Lang) -> String {
    if r.scope == "county" {
        l.pick("全县", "county").to_string()
    } else {
        super::xlsx::scope_name(ds, &r.scope)
    }
}

pub(super) fn rules(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let rows = shown(plan);
    let broken = rows.iter().filter(|r| !r.ok).count();
    let _ = writeln!(
        h,
        "<section id=\"rules\">\n<h2>{}</h2>\n<p class=\"muted\">{}</p>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l.pick("规则核验", "Rules checked"),
        esc(&match l {
            Lang::Zh => format!("{broken}项未达标，列在最前；要求为0人的规则不列。"),
            Lang::En => format!("{broken} broken, listed first; rules that ask for nobody are left out."),
        }),
        l.pick("规则", "Rule"),
        l.pick("范围", "Scope"),
        l.pick("要求", "Required"),
        l.pick("达到", "Reached"),
        l.pick("差额", "Shortfall"),
        l.pick("结果", "Result"),
        l.pick("原因", "Why"),
    );
    for r in rows {
        let (cls, word) = if r.ok {
            ("ok", l.pick("达标", "met"))
        } else {
            ("broken", l.pick("未达标", "broken"))
        };
        let [need, got, diff] = figures(r, l);
        let _ = writeln!(
            h,
            "<tr class=\"rule {cls}\" data-rule=\"{}\" data-scope=\"{}\"><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{cls}\">{}</td><td>{}</td></tr>",
            esc(r.rule),
            esc(&r.scope),
            esc(&rule_word(r.rule, l)),
            esc(&scope_words(ds, r, l)),
            esc(&need),
            esc(&got),
            esc(&diff),
            word,
            esc(why(r, l))
        );
    }
    h.push_str("</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(rule: &'static str, required: f64, reached: f64, ok: bool) -> RuleResult {
        RuleResult {
            rule,
            scope: "county".into(),
            required,
            reached,
            shortfall: if ok { 0.0 } else { (required - reached).abs() },
            ok,
            why: String::new(),
            why_zh: String::new(),
        }
    }

    #[test]
    fn people_are_whole_and_rounded_up() {
        let r = rule("backbone_share", 19.4, 19.0, false);
        assert_eq!(figures(&r, Lang::Zh), ["应不少于20人", "19人", "1人"]);
        let r = rule("backbone_share", 26.200000000000003, 27.0, true);
        assert_eq!(figures(&r, Lang::Zh), ["应不少于27人", "27人", ""]);
        let r = rule("outflow_cap", 10.0, 12.0, false);
        assert_eq!(figures(&r, Lang::Zh), ["不超过10人", "12人", "2人"]);
        let r = rule("reciprocal", 10.0, 5.0, false);
        assert_eq!(figures(&r, Lang::Zh)[2], "5人");
    }

    #[test]
    fn rules_asking_for_nobody_are_left_out() {
        assert!(!asks_something(&rule("core_share", 0.0, 6.0, true)));
        assert!(!asks_something(&rule("reciprocal", 0.0, 0.0, true)));
        assert!(asks_something(&rule("reciprocal", 3.0, 3.0, true)));
        assert!(asks_something(&rule("outflow_cap", 0.0, 0.0, true)));
        assert!(asks_something(&rule("core_share", 0.4, 1.0, true)));
    }
}
