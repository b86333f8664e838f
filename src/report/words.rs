//! The bureau's words (../shared/TERMS.md) for what every page says: school years and
//! terms, whole people, the plan's status, a teacher's 性别 and 职务. A planner's page
//! reads like the bureau's own documents, not like a solver's log.

use super::lang::Lang;
use crate::domain::{Gender, Role};
use crate::model::SolveStatus;
use crate::plan::Plan;

/// The school year that starts in `y`: "2025—2026学年" (plan_year Y is the year Y—Y+1).
pub fn school_year(y: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{y}—{}学年", y + 1),
        Lang::En => format!("school year {y}–{}", y + 1),
    }
}

/// A term from the school year starting in `start` to the one starting in `end`, both
/// served: "2025—2026学年，一学年", never "2025–2025", which reads as no time at all.
pub fn term(start: i32, end: i32, lang: Lang) -> String {
    let years = (end - start + 1).max(1) as u32;
    match (lang, years) {
        (Lang::Zh, 1) => format!("{}，一学年", school_year(start, lang)),
        (Lang::Zh, n) => format!(
            "{}至{}，{}学年",
            school_year(start, lang),
            school_year(end, lang),
            count_zh(n)
        ),
        (Lang::En, 1) => format!("{}, one year", school_year(start, lang)),
        (Lang::En, n) => format!("{start}–{} to {end}–{}, {n} years", start + 1, end + 1),
    }
}

/// A small count as 中文 writes it before a measure word: 一, 两, 三 … 十, then digits.
pub fn count_zh(n: u32) -> String {
    const WORDS: [&str; 11] = [
        "零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    WORDS
        .get(n as usize)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// People are whole: a requirement of 19.4 people asks for 20 (float noise such as
/// 26.200000000000003 or 20.000000000001 does not add a person).
pub fn whole_up(x: f64) -> u32 {
    if x.is_finite() && x > 0.0 {
        (x - 1e-6).ceil().max(0.0) as u32
    } else {
        0
    }
}

/// A cap on people is whole too: at most 10.7 is at most 10.
pub fn whole_down(x: f64) -> u32 {
    if x.is_finite() && x > 0.0 {
        (x + 1e-6).floor() as u32
    } else {
        0
    }
}

/// A share "at most X%", rounded up so that it never promises more than is proven: whole
/// percents from 10% (0.3731 → "38%", 0.62 → "62%"), tenths below (0.05 → "5.0%",
/// 0.00002 → "0.1%").
pub fn at_most_percent(gap: f64) -> String {
    let tenths = (gap * 1000.0 - 1e-9).ceil().max(1.0);
    if tenths >= 100.0 {
        format!("{:.0}%", (tenths / 10.0).ceil())
    } else {
        format!("{:.1}%", tenths / 10.0)
    }
}

/// The plan's status in plain words: 已是最优方案, or how far it may still be from the
/// best and that more time would help, or that none was found.
pub fn status(plan: &Plan, lang: Lang) -> String {
    status_of(plan.solve.status, plan.gap(), lang)
}

/// [`status`] from the solver's outcome and the relative gap of the plan it returned.
pub fn status_of(s: SolveStatus, gap: f64, lang: Lang) -> String {
    match (s, lang) {
        (SolveStatus::Optimal, _) => lang.pick("已是最优方案", "the best plan").into(),
        (SolveStatus::Feasible, Lang::Zh) if gap.is_finite() => format!(
            "方案尚未算完：与最优方案最多相差 {}，建议延长计算时间",
            at_most_percent(gap)
        ),
        (SolveStatus::Feasible, Lang::En) if gap.is_finite() => format!(
            "not finished: at most {} from the best plan; give it more time",
            at_most_percent(gap)
        ),
        (SolveStatus::Feasible, _) => lang
            .pick(
                "方案尚未算完，与最优方案的差别尚无法估计，建议延长计算时间",
                "not finished, and how far from the best is not known yet; give it more time",
            )
            .into(),
        (SolveStatus::NoPlan, _) => lang
            .pick("在规定时间内未找到方案", "no plan found in the time given")
            .into(),
    }
}

pub fn gender_word(g: Gender, lang: Lang) -> &'static str {
    match g {
        Gender::Male => lang.pick("男", "M"),
        Gender::Female => lang.pick("女", "F"),
    }
}

/// 职务 as teachers.csv's `role` names it.
pub fn role_word(r: Role, lang: Lang) -> &'static str {
    match r {
        Role::Teacher => lang.pick("教师", "teacher"),
        Role::Middle => lang.pick("中层", "middle manager"),
        Role::VicePrincipal => lang.pick("副校长", "vice principal"),
        Role::Principal => lang.pick("校长", "principal"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_years_and_terms_read_as_the_bureau_writes_them() {
        assert_eq!(school_year(2025, Lang::Zh), "2025—2026学年");
        assert_eq!(term(2025, 2025, Lang::Zh), "2025—2026学年，一学年");
        assert_eq!(
            term(2024, 2025, Lang::Zh),
            "2024—2025学年至2025—2026学年，两学年"
        );
        assert_eq!(
            term(2025, 2025, Lang::En),
            "school year 2025–2026, one year"
        );
        assert_eq!(
            term(2023, 2025, Lang::En),
            "2023–2024 to 2025–2026, 3 years"
        );
        assert_eq!(count_zh(12), "12");
    }

    #[test]
    fn people_are_whole() {
        assert_eq!(whole_up(19.4), 20);
        assert_eq!(whole_up(26.200000000000003), 27);
        assert_eq!(whole_up(20.000000000001), 20);
        assert_eq!(whole_up(0.0), 0);
        assert_eq!(whole_down(10.7), 10);
        assert_eq!(whole_down(9.9999999999), 10);
    }

    #[test]
    fn the_gap_is_rounded_up_never_down() {
        assert_eq!(at_most_percent(0.3731), "38%");
        assert_eq!(at_most_percent(0.0937), "9.4%");
        assert_eq!(at_most_percent(0.00002), "0.1%");
        assert_eq!(at_most_percent(0.62), "62%");
        assert_eq!(at_most_percent(0.05), "5.0%");
    }

    #[test]
    fn status_in_plain_words() {
        let zh = status_of(SolveStatus::Feasible, 0.3731, Lang::Zh);
        assert_eq!(zh, "方案尚未算完：与最优方案最多相差 38%，建议延长计算时间");
        assert_eq!(
            status_of(SolveStatus::Optimal, 0.0, Lang::Zh),
            "已是最优方案"
        );
        assert_eq!(
            status_of(SolveStatus::NoPlan, f64::NAN, Lang::Zh),
            "在规定时间内未找到方案"
        );
        assert!(status_of(SolveStatus::Feasible, f64::INFINITY, Lang::Zh).contains("延长计算时间"));
    }
}
