//! Rules 5-11 as the plan reaches them, each with the reason when it falls short.

use std::collections::BTreeMap;

use crate::domain::{
    Dataset, Gender, LedgerState, MoveKind, Placement, SchoolIx, Status, TeacherFacts, TeacherIx,
    Willing,
};

/// One entry of summary.json's `rules` (docs/outputs.md).
#[derive(Clone, Debug, PartialEq)]
pub struct RuleResult {
    pub rule: &'static str,
    pub scope: String,
    pub required: f64,
    pub reached: f64,
    pub shortfall: f64,
    pub ok: bool,
    /// Why no more was reachable (empty when the rule holds): English, as summary.json
    /// writes it.
    pub why: String,
    /// The same in 中文, for the report and a Chinese terminal.
    pub why_zh: String,
}

#[derive(Default)]
struct Movers {
    support_from: BTreeMap<SchoolIx, u32>,
    learning_from: BTreeMap<SchoolIx, u32>,
    support_all: u32,
    support_backbone: u32,
    outflow: BTreeMap<SchoolIx, u32>,
    incoming: BTreeMap<SchoolIx, u32>,
}

fn movers(ds: &Dataset, placement: &[Placement]) -> Movers {
    let mut m = Movers::default();
    for t in ds.teacher_ixs() {
        let te = ds.teacher(t);
        let p = placement[t.ix()];
        if p == Placement::Home {
            continue;
        }
        let host = p.school(te.home);
        match ds.move_kind_from(te.home, host) {
            Some(MoveKind::Support) => {
                *m.support_from.entry(te.home).or_default() += 1;
                m.support_all += 1;
                m.support_backbone += te.backbone as u32;
            }
            Some(MoveKind::Learning) => *m.learning_from.entry(te.home).or_default() += 1,
            None => {}
        }
        *m.outflow.entry(te.home).or_default() += 1;
        *m.incoming.entry(host).or_default() += 1;
    }
    m
}

fn result(
    rule: &'static str,
    scope: &str,
    required: f64,
    reached: f64,
    shortfall: f64,
    why: impl FnOnce() -> (String, String),
) -> RuleResult {
    let ok = shortfall <= 1e-9;
    let (why, why_zh) = if ok { Default::default() } else { why() };
    RuleResult {
        rule,
        scope: scope.to_string(),
        required,
        reached,
        shortfall: if ok { 0.0 } else { shortfall },
        ok,
        why,
        why_zh,
    }
}

/// Every rule entry, in docs/outputs.md's order.
pub fn evaluate(ds: &Dataset, facts: &[TeacherFacts], placement: &[Placement]) -> Vec<RuleResult> {
    let m = movers(ds, placement);
    let n = ds.headcounts(facts);
    let get = |map: &BTreeMap<SchoolIx, u32>, s: SchoolIx| map.get(&s).copied().unwrap_or(0);
    let mut out = Vec::new();
    let rot = &ds.policy.rotation;

    for req in ds.core_requirements(&n) {
        let s = req.school;
        let id = &ds.school(s).id;
        let sent = get(&m.support_from, s);
        for (rule, need) in [("core_share", req.core_share), ("due_share", req.due_share)] {
            out.push(result(
                rule,
                id,
                need as f64,
                sent as f64,
                need.saturating_sub(sent) as f64,
                || {
                    let (en, zh) = why_not_more(ds, facts, placement, &m, s, MoveKind::Support);
                    (
                        format!("{id} must send {need} teachers to its member schools but sends {sent}: {en}"),
                        format!("{id}应派{need}名教师到成员校支教，实派{sent}名：{zh}"),
                    )
                },
            ));
        }
    }
    for (s, need) in ds.learning_requirements(&n) {
        let id = &ds.school(s).id;
        let sent = get(&m.learning_from, s);
        out.push(result(
            "learning_share",
            id,
            need as f64,
            sent as f64,
            need.saturating_sub(sent) as f64,
            || {
                let (en, zh) = why_not_more(ds, facts, placement, &m, s, MoveKind::Learning);
                (
                    format!("{id} must send {need} teachers to learn at its core but sends {sent}: {en}"),
                    format!("{id}应派{need}名教师到核心校跟岗，实派{sent}名：{zh}"),
                )
            },
        ));
    }
    let share = rot.backbone_min_share.as_f64();
    let need = share * m.support_all as f64;
    out.push(result("backbone_share", "county", need, m.support_backbone as f64, (need - m.support_backbone as f64).max(0.0), || {
        let free = ds
            .teacher_ixs()
            .filter(|&t| {
                let te = ds.teacher(t);
                te.backbone && ds.is_core(te.home) && !ds.allowed_moves(t, &facts[t.ix()]).is_empty()
                    && placement[t.ix()] == Placement::Home
            })
            .count();
        (
            format!(
                "{} of {} support movers are backbone teachers, {:.2} required; {free} more backbone teachers of core schools could still move (each extra mover raises the requirement too)",
                m.support_backbone, m.support_all, need
            ),
            format!(
                "支教教师{}人中骨干教师{}人，应不少于{:.2}人；核心校还有{free}名骨干教师可以交流（每多派一人，要求也随之提高）",
                m.support_all, m.support_backbone, need
            ),
        )
    }));
    for com in &ds.communities {
        if !rot.reciprocal.get(com.mode) {
            continue;
        }
        let sup: u32 = com.core.iter().map(|&s| get(&m.support_from, s)).sum();
        let learn: u32 = com.members.iter().map(|&s| get(&m.learning_from, s)).sum();
        out.push(result(
            "reciprocal",
            &com.id,
            sup as f64,
            learn as f64,
            sup.abs_diff(learn) as f64,
            || {
                let short_side = if learn < sup {
                    MoveKind::Learning
                } else {
                    MoveKind::Support
                };
                let schools = if learn < sup { &com.members } else { &com.core };
                let (en, zh): (Vec<String>, Vec<String>) = schools
                    .iter()
                    .map(|&s| {
                        let id = &ds.school(s).id;
                        let (en, zh) = why_not_more(ds, facts, placement, &m, s, short_side);
                        (format!("{id}: {en}"), format!("{id}：{zh}"))
                    })
                    .unzip();
                (
                    format!(
                        "community {} sends {sup} support and {learn} learning teachers; {}",
                        com.id,
                        en.join("; ")
                    ),
                    format!(
                        "共同体{}支教{sup}人、跟岗{learn}人，不对等；{}",
                        com.id,
                        zh.join("；")
                    ),
                )
            },
        ));
    }
    for s in ds.school_ixs() {
        let id = &ds.school(s).id;
        let cap = rot.max_outflow_share.floor_of(n.teachers[s.ix()]);
        let out_n = get(&m.outflow, s);
        let locked = ds
            .teacher_ixs()
            .filter(|&t| {
                ds.teacher(t).home == s && matches!(placement[t.ix()], Placement::Continuing(_))
            })
            .count();
        out.push(result("outflow_cap", id, cap as f64, out_n as f64, out_n.saturating_sub(cap) as f64, || {
            let total = n.teachers[s.ix()];
            (
                format!("{id} may have at most {cap} of its {total} teachers away but has {out_n}; {locked} of them are in terms already under way"),
                format!("{id}共{total}名教师，最多外派{cap}人，实际外出{out_n}人；其中{locked}人任期未满"),
            )
        }));
    }
    for s in ds.school_ixs() {
        let Some(h) = ds.school(s).housing else {
            continue;
        };
        let id = &ds.school(s).id;
        let inc = get(&m.incoming, s);
        let locked = ds
            .teacher_ixs()
            .filter(|&t| placement[t.ix()] == Placement::Continuing(s))
            .count();
        out.push(result("housing", id, h as f64, inc as f64, inc.saturating_sub(h) as f64, || {
            (
                format!("{id} can house {h} rotating teachers but receives {inc}; {locked} of them are in terms already under way"),
                format!("{id}周转房可住{h}名交流教师，实际接收{inc}人；其中{locked}人任期未满"),
            )
        }));
    }
    out
}

/// Why a school could not send more teachers of this kind: its teachers by the first
/// reason that keeps each at home, and the caps that bind; in English and in 中文.
fn why_not_more(
    ds: &Dataset,
    facts: &[TeacherFacts],
    placement: &[Placement],
    m: &Movers,
    s: SchoolIx,
    kind: MoveKind,
) -> (String, String) {
    let rot = &ds.policy.rotation;
    let mut reasons: BTreeMap<&'static str, u32> = BTreeMap::new();
    let mut total = 0;
    let mut free = 0;
    for t in ds.teacher_ixs().filter(|&t| ds.teacher(t).home == s) {
        total += 1;
        if placement[t.ix()] != Placement::Home {
            continue; // already away: counted in what is reached
        }
        match reason(ds, facts, t, kind) {
            Some(r) => *reasons.entry(r).or_default() += 1,
            None => free += 1,
        }
    }
    let cap = rot.max_outflow_share.floor_of(total);
    let away = m.outflow.get(&s).copied().unwrap_or(0);
    let mut parts: Vec<String> = reasons.iter().map(|(r, c)| format!("{c} {r}")).collect();
    parts.push(format!("{free} could move"));
    let mut text = format!("of its {total} teachers, {}", parts.join(", "));
    let mut zh_parts: Vec<String> = reasons
        .iter()
        .map(|(r, c)| format!("{c}人{}", reason_zh(r)))
        .collect();
    zh_parts.push(format!("{free}人可以交流"));
    let mut zh = format!("全校{total}名教师中，{}", zh_parts.join("，"));
    if away >= cap {
        text.push_str(&format!("; the outflow cap ({cap}) is reached"));
        zh.push_str(&format!("；已达外派上限（{cap}人）"));
    }
    let full: Vec<&str> = hosts_of(ds, s, kind)
        .into_iter()
        .filter(|&h| {
            ds.school(h)
                .housing
                .is_some_and(|cap| m.incoming.get(&h).copied().unwrap_or(0) >= cap)
        })
        .map(|h| ds.school(h).id.as_str())
        .collect();
    if !full.is_empty() {
        text.push_str(&format!("; housing is full at {}", full.join(", ")));
        zh.push_str(&format!("；{}周转房已满", full.join("、")));
    }
    (text, zh)
}

/// A reason of `reason` in 中文.
fn reason_zh(en: &str) -> &'static str {
    match en {
        "exempt" => "免于交流",
        "locked in a term under way" => "任期未满",
        "in cooldown" => "处于冷却期",
        "unwilling" => "本人不愿交流",
        "of a stage no host teaches" => "学段与接收校不符",
        "below the teaching-years minimum" => "教龄不足",
        "over the age limit (men)" => "超过年龄上限（男）",
        "over the age limit (women)" => "超过年龄上限（女）",
        _ => "另有原因",
    }
}

fn hosts_of(ds: &Dataset, s: SchoolIx, kind: MoveKind) -> Vec<SchoolIx> {
    ds.school_ixs()
        .filter(|&h| ds.move_kind_from(s, h) == Some(kind))
        .collect()
}

/// The first reason that keeps `t` from a move of this kind, if any.
fn reason(
    ds: &Dataset,
    facts: &[TeacherFacts],
    t: TeacherIx,
    kind: MoveKind,
) -> Option<&'static str> {
    let te = ds.teacher(t);
    let f = &facts[t.ix()];
    let rot = &ds.policy.rotation;
    Some(if te.status == Status::Exempt {
        "exempt"
    } else if matches!(f.state, LedgerState::Locked(_)) {
        "locked in a term under way"
    } else if f.cooldown && te.willing != Willing::Yes {
        "in cooldown"
    } else if te.willing == Willing::No && rot.respect_unwilling {
        "unwilling"
    } else if !hosts_of(ds, te.home, kind)
        .iter()
        .any(|&h| te.stage.overlaps(ds.school(h).stage))
    {
        "of a stage no host teaches"
    } else if ds.teaching_years(t)
        < match kind {
            MoveKind::Support => rot.support_min_teaching_years,
            MoveKind::Learning => rot.learning_min_teaching_years,
        }
    {
        "below the teaching-years minimum"
    } else if kind == MoveKind::Learning && !ds.meets_learning_limits(t) {
        match te.gender {
            Gender::Male => "over the age limit (men)",
            Gender::Female => "over the age limit (women)",
        }
    } else {
        return None;
    })
}
