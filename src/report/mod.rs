//! What a planner reads on the terminal: the dataset summary of `validate` and the plan
//! summary of `plan`.

mod changes;
mod coverage;
pub mod escape;
pub mod files;
pub mod html;
pub mod lang;
mod layout;
mod lists;
mod map;
mod map_focus;
mod members;
pub mod roster;
pub mod rule_table;
mod schools;
mod structure;
pub(crate) mod style;
mod timetables;
pub mod words;
pub mod xlsx;

pub use files::write_plan;
pub use map::community_svg;
pub use members::{members, requests, MemberLine, RequestLine};

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::{Dataset, LedgerState, Mode, SchoolIx, SchoolKind, Status, SubjectIx};
use crate::plan::Plan;
pub use lang::Lang;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DatasetSummary {
    pub schools: usize,
    /// kind → stage → count.
    pub schools_by_kind: BTreeMap<String, BTreeMap<String, usize>>,
    pub communities_by_mode: BTreeMap<String, usize>,
    pub teachers: usize,
    /// free / locked / ending / cooldown / exempt (cooldown counts FREE and ENDING
    /// teachers in their cooldown window; exempt counts exempt teachers not LOCKED).
    pub teachers_by_state: BTreeMap<String, usize>,
    /// Core school id → due teachers.
    pub due_per_core: Vec<(String, usize)>,
    /// Subject → unmet periods a week with nobody moving, 音乐/体育/美术 first.
    pub unmet_before: Vec<(String, u32)>,
    /// The county's word for a community (`[report] community_word`), for the 中文 text.
    #[serde(skip)]
    pub community_word: String,
}

impl DatasetSummary {
    pub fn new(ds: &Dataset, unmet_before: &BTreeMap<(SchoolIx, SubjectIx), u32>) -> Self {
        let mut by_kind: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for k in SchoolKind::ALL {
            by_kind.insert(k.as_str().into(), BTreeMap::new());
        }
        for s in &ds.schools {
            *by_kind
                .entry(s.kind.as_str().into())
                .or_default()
                .entry(s.stage.as_str().into())
                .or_default() += 1;
        }
        let mut by_mode: BTreeMap<String, usize> = Mode::ALL
            .iter()
            .map(|m| (m.as_str().to_string(), 0))
            .collect();
        for c in &ds.communities {
            *by_mode.entry(c.mode.as_str().into()).or_default() += 1;
        }
        let facts = ds.teacher_facts();
        let mut states: BTreeMap<String, usize> =
            ["free", "locked", "ending", "cooldown", "exempt"]
                .iter()
                .map(|s| (s.to_string(), 0))
                .collect();
        for t in ds.teacher_ixs() {
            let f = &facts[t.ix()];
            let key = match f.state {
                LedgerState::Locked(_) => "locked",
                LedgerState::Ending(_) => "ending",
                LedgerState::Free => "free",
            };
            *states.get_mut(key).expect("known state") += 1;
            if f.cooldown {
                *states.get_mut("cooldown").expect("known state") += 1;
            }
            if ds.teacher(t).status == Status::Exempt && !matches!(f.state, LedgerState::Locked(_))
            {
                *states.get_mut("exempt").expect("known state") += 1;
            }
        }
        let n = ds.headcounts(&facts);
        let due_per_core = ds
            .communities
            .iter()
            .flat_map(|c| c.core.iter())
            .map(|&s| (ds.school(s).id.clone(), n.due[s.ix()] as usize))
            .collect();
        let mut per_subject: BTreeMap<SubjectIx, u32> = BTreeMap::new();
        for (&(_, k), &u) in unmet_before {
            *per_subject.entry(k).or_default() += u;
        }
        let mut unmet: Vec<(String, u32)> = per_subject
            .into_iter()
            .map(|(k, u)| (ds.subject_name(k).to_string(), u))
            .collect();
        let order = |name: &str| ds.policy.itinerant.report_order(name).0;
        unmet.sort_by(|a, b| (order(&a.0), &a.0).cmp(&(order(&b.0), &b.0)));
        DatasetSummary {
            schools: ds.schools.len(),
            schools_by_kind: by_kind,
            communities_by_mode: by_mode,
            teachers: ds.teachers.len(),
            teachers_by_state: states,
            due_per_core,
            unmet_before: unmet,
            community_word: ds.policy.report.community_word.clone(),
        }
    }

    /// The ten-second read, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut o = String::new();
        let l = |zh, en| lang.pick(zh, en);
        let list = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| match lang {
                    Lang::Zh => format!("{}{v}", word_zh(k)),
                    Lang::En => format!("{v} {k}"),
                })
                .collect::<Vec<_>>()
                .join(l("，", ", "))
        };
        let name = |k: &str| match lang {
            Lang::Zh => word_zh(k).to_string(),
            Lang::En => k.to_string(),
        };
        o += &format!("{} {}\n", pad(l("学校", "schools"), 12), self.schools);
        for (kind, m) in &self.schools_by_kind {
            let total: usize = m.values().sum();
            o += &format!("  {} {total:>4}  ({})\n", pad(&name(kind), 10), list(m));
        }
        o += &format!(
            "{} {}  ({})\n",
            pad(
                match lang {
                    Lang::Zh => &self.community_word,
                    Lang::En => "communities",
                },
                12
            ),
            self.communities_by_mode.values().sum::<usize>(),
            list(&self.communities_by_mode)
        );
        o += &format!("{} {}\n", pad(l("教师", "teachers"), 12), self.teachers);
        for key in ["free", "locked", "ending", "cooldown", "exempt"] {
            o += &format!(
                "  {} {:>5}\n",
                pad(&name(key), 10),
                self.teachers_by_state[key]
            );
        }
        o += l("核心校应交流教师数\n", "due teachers per core school\n");
        for (s, n) in &self.due_per_core {
            o += &format!("  {} {n:>5}\n", pad(s, 10));
        }
        o += l(
            "无人交流时每周缺口课时\n",
            "unmet periods a week with nobody moving\n",
        );
        for (k, u) in &self.unmet_before {
            o += &format!("  {} {u:>5}\n", pad(k, 10));
        }
        o
    }
}

/// The summary's English words in 中文: school kinds, stages, modes, ledger states.
fn word_zh(en: &str) -> &str {
    match en {
        "urban" => "城区",
        "town" => "乡镇",
        "rural" => "农村",
        "primary" => "小学",
        "junior" => "初中",
        "nine_year" => "九年一贯制",
        "tight" => "紧密型",
        "fused" => "融合型",
        "paired" => "结对型",
        "free" => "可交流",
        "locked" => "交流期内",
        "ending" => "交流期满",
        "cooldown" => "期满返校未满年限",
        "exempt" => "免于交流",
        other => other,
    }
}

/// `s` padded with spaces to `width` terminal columns (a CJK character takes two).
fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// `template` with each `{}` replaced by the next of `figures`: the words differ by
/// language, the figures do not.
fn fill(template: &str, figures: &[String]) -> String {
    let mut parts = template.split("{}");
    let mut out = parts.next().unwrap_or_default().to_string();
    for (part, figure) in parts.zip(
        figures
            .iter()
            .map(String::as_str)
            .chain(std::iter::repeat("")),
    ) {
        out += figure;
        out += part;
    }
    out
}

/// The plan's headline for the terminal, in `lang`.
pub fn render_plan(plan: &Plan, lang: Lang) -> String {
    let mut o = status_line(plan, lang);
    o += &figure_lines(plan, lang);
    o += &rule_lines(plan, lang);
    o
}

/// Where the plan stands: in English the figures, in 中文 plain words (the figures are in
/// summary.json).
fn status_line(plan: &Plan, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "status {}  objective {:.3}  bound {:.3}  gap {:.2e}  ({:.1} s)\n",
            crate::plan::status_word(plan.solve.status),
            plan.objective,
            plan.solve.bound.min(plan.objective),
            plan.gap(),
            plan.solve.seconds
        ),
        Lang::Zh => format!(
            "{}（用时 {:.1} 秒）\n",
            words::status(plan, lang),
            plan.solve.seconds
        ),
    }
}

/// The moves, the unmet periods before and after, the objective's terms, and the
/// changes against a kept plan.
fn figure_lines(plan: &Plan, lang: Lang) -> String {
    let (c, t) = (&plan.counts, &plan.terms);
    let f3 = |v: f64| format!("{v:.3}");
    // One line each: the English and the Chinese template, and the figures both show.
    let lines: [(&str, &str, Vec<String>); 3] = [
        (
            "moves: {} support, {} learning, {} extended, {} continuing; {} trip-days a week\n",
            "交流：支教 {} 人，跟岗 {} 人，延期 {} 人，交流期内 {} 人；走教 {} 天次/周\n",
            [c.support, c.learning, c.extension, c.continuing, c.trip_days]
                .map(|n| n.to_string())
                .to_vec(),
        ),
        (
            "unmet periods a week: {} before, {} after\n",
            "每周缺口课时：交流前 {}，交流后 {}\n",
            vec![
                c.unmet_periods_before.to_string(),
                c.unmet_periods.to_string(),
            ],
        ),
        (
            "terms: unmet {}, non-main {}, rotation {}, itinerant km {}, extension {}, violation {}\n",
            "评分各项：缺课 {}，非主教学科 {}，交流 {}，走教里程 {}，延期 {}，规则缺口 {}\n",
            [t.unmet, t.non_main_subject, t.rotation, t.itinerant_km, t.extension, t.violation]
                .map(f3)
                .to_vec(),
        ),
    ];
    let mut o = String::new();
    for (en, zh, figures) in &lines {
        o += &fill(lang.pick(zh, en), figures);
    }
    if let Some(changes) = &plan.changes {
        o += &fill(
            lang.pick(
                "与原方案相比有变动的教师：{} 人\n",
                "teachers placed differently from the kept plan: {}\n",
            ),
            &[changes.len().to_string()],
        );
    }
    o
}

/// Whether every rule holds, else each rule that cannot, with why.
fn rule_lines(plan: &Plan, lang: Lang) -> String {
    let broken: Vec<_> = plan.broken_rules().collect();
    let mut o = if broken.is_empty() {
        lang.pick("各项规则均已满足\n", "every rule holds\n")
            .to_string()
    } else {
        fill(
            lang.pick("{} 项规则未能满足：\n", "{} rules cannot all hold:\n"),
            &[broken.len().to_string()],
        )
    };
    for r in broken {
        o += &match lang {
            Lang::Zh => {
                let [need, got, _] = rule_table::figures(r, lang);
                let scope = if r.scope == "county" {
                    "全县"
                } else {
                    &r.scope
                };
                let rule = lang::rule_word(r.rule, lang);
                let why = lang::why(r, lang);
                format!("  {rule} {scope}：{need}，实际{got} — {why}\n")
            }
            Lang::En => format!(
                "  {} {}: required {}, reached {} — {}\n",
                r.rule,
                r.scope,
                r.required,
                r.reached,
                lang::why(r, lang)
            ),
        };
    }
    o
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fill_puts_the_figures_in_order_and_leaves_the_words() {
        let figures = ["1".to_string(), "2.50".to_string()];
        assert_eq!(fill("a {} b {}。\n", &figures), "a 1 b 2.50。\n");
        assert_eq!(
            fill("{} 项规则未能满足：\n", &figures[..1]),
            "1 项规则未能满足：\n"
        );
        // A template with more places than figures leaves them empty, never panics.
        assert_eq!(fill("{}-{}", &figures[..1]), "1-");
        assert_eq!(fill("every rule holds\n", &[]), "every rule holds\n");
    }
}
