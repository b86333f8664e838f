//! The language of the report and the words both the report and the workbook share.

use crate::domain::SchoolKind;
use crate::plan::{AssignmentKind, RuleResult};

/// The language of `report.html`: 中文 unless asked otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the Chinese or English text.
    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// An assignment kind as a bureau calls it; a term under way is 交流期内 (续任 reads as
/// re-appointed).
pub fn kind_word(k: AssignmentKind, lang: Lang) -> &'static str {
    match k {
        AssignmentKind::Support => lang.pick("支教", "support"),
        AssignmentKind::Learning => lang.pick("跟岗", "learning"),
        AssignmentKind::Extension => lang.pick("延期", "extension"),
        AssignmentKind::Continuing => lang.pick("交流期内", "term under way"),
    }
}

pub fn school_kind_word(k: SchoolKind, lang: Lang) -> &'static str {
    match k {
        SchoolKind::Urban => lang.pick("城区", "urban"),
        SchoolKind::Town => lang.pick("乡镇", "town"),
        SchoolKind::Rural => lang.pick("农村", "rural"),
    }
}

/// A rule of docs/outputs.md by its Chinese or English name; unknown names as they are.
pub fn rule_word(rule: &str, lang: Lang) -> String {
    let (zh, en) = match rule {
        "core_share" => ("核心校交流比例", "core school share"),
        "due_share" => ("应交流教师比例", "share of due teachers"),
        "learning_share" => ("成员校跟岗比例", "member school learning share"),
        "backbone_share" => ("骨干教师比例", "backbone share"),
        "reciprocal" => ("双向对等交流", "reciprocal numbers"),
        "outflow_cap" => ("外派上限", "outflow cap"),
        "housing" => ("周转房容量", "housing"),
        "protect_members" => ("成员校缺课不增加", "members not worse off"),
        "request" => ("成员校需求申请", "requests"),
        "learning_cycle" => ("周期内跟岗", "learning cycle"),
        _ => return rule.to_string(),
    };
    lang.pick(zh, en).to_string()
}

pub fn weekday_word(d: u8, lang: Lang) -> &'static str {
    const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = (d.clamp(1, 7) - 1) as usize;
    match lang {
        Lang::Zh => ZH[i],
        Lang::En => EN[i],
    }
}

/// Why a rule falls short, in `lang`.
pub fn why(r: &RuleResult, lang: Lang) -> &str {
    match lang {
        Lang::Zh => &r.why_zh,
        Lang::En => &r.why,
    }
}
