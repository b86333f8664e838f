//! Rules 5-14 as the plan reaches them, each with the reason when it falls short. One
//! function per rule.

use std::collections::BTreeMap;

use super::CoverageRow;
use crate::domain::{
    Dataset, Gender, Headcounts, LedgerState, MoveKind, Placement, ReciprocalCounts, Request,
    RequestKind, SchoolIx, Status, TeacherFacts, TeacherIx, Willing,
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
    /// Learners still to 跟岗 in the cycle, new or extended (rule 14).
    cycle_learning_from: BTreeMap<SchoolIx, u32>,
    /// This year's new moves only (rule 9 with counts = "new").
    new_support_from: BTreeMap<SchoolIx, u32>,
    new_learning_from: BTreeMap<SchoolIx, u32>,
    support_all: u32,
    support_backbone: u32,
    outflow: BTreeMap<SchoolIx, u32>,
    incoming: BTreeMap<SchoolIx, u32>,
}

fn movers(ds: &Dataset, facts: &[TeacherFacts], placement: &[Placement]) -> Movers {
    let mut m = Movers::default();
    for t in ds.teacher_ixs() {
        let te = ds.teacher(t);
        let p = placement[t.ix()];
        if p == Placement::Home {
            continue;
        }
        let host = p.school(te.home);
        let new = matches!(p, Placement::New(..));
        match ds.move_kind_from(te.home, host) {
            Some(MoveKind::Support) => {
                *m.support_from.entry(te.home).or_default() += 1;
                *m.new_support_from.entry(te.home).or_default() += new as u32;
                m.support_all += 1;
                m.support_backbone += te.backbone as u32;
            }
            Some(MoveKind::Learning) => {
                *m.learning_from.entry(te.home).or_default() += 1;
                *m.cycle_learning_from.entry(te.home).or_default() +=
                    facts[t.ix()].cycle_pending as u32;
                *m.new_learning_from.entry(te.home).or_default() += new as u32;
            }
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

/// What every rule reads of a plan.
struct Ctx<'a> {
    ds: &'a Dataset,
    facts: &'a [TeacherFacts],
    placement: &'a [Placement],
    coverage: &'a [CoverageRow],
    m: Movers,
    n: Headcounts,
}

impl Ctx<'_> {
    fn get(map: &BTreeMap<SchoolIx, u32>, s: SchoolIx) -> u32 {
        map.get(&s).copied().unwrap_or(0)
    }
    fn why_not_more(&self, s: SchoolIx, kind: MoveKind) -> (String, String) {
        why_not_more(self.ds, self.facts, self.placement, &self.m, s, kind)
    }
}

/// Every rule entry, in docs/outputs.md's order.
pub fn evaluate(
    ds: &Dataset,
    facts: &[TeacherFacts],
    placement: &[Placement],
    coverage: &[CoverageRow],
) -> Vec<RuleResult> {
    let cx = Ctx {
        ds,
        facts,
        placement,
        coverage,
        m: movers(ds, facts, placement),
        n: ds.headcounts(facts),
    };
    let mut out = Vec::new();
    core_and_due_share(&cx, &mut out);
    learning_share(&cx, &mut out);
    backbone_share(&cx, &mut out);
    reciprocal(&cx, &mut out);
    outflow_cap(&cx, &mut out);
    housing(&cx, &mut out);
    protect_members(&cx, &mut out);
    requests(&cx, &mut out);
    learning_cycle(&cx, &mut out);
    out
}

/// Rules 5 and 6 (平顶山 2025, national 2014).
fn core_and_due_share(cx: &Ctx, out: &mut Vec<RuleResult>) {
    let ds = cx.ds;
    for req in ds.core_requirements(&cx.n) {
        let s = req.school;
        let (id, name) = (&ds.school(s).id, &ds.school(s).name);
        let sent = Ctx::get(&cx.m.support_from, s);
        for (rule, need) in [("core_share", req.core_share), ("due_share", req.due_share)] {
            out.push(result(
                rule,
                id,
                need as f64,
                sent as f64,
                need.saturating_sub(sent) as f64,
                || {
                    let (en, zh) = cx.why_not_more(s, MoveKind::Support);
                    (
                        format!("{id} must send {need} teachers to its member schools but sends {sent}: {en}"),
                        format!("{name}应派{need}名教师到成员校支教，实派{sent}名：{zh}"),
                    )
                },
            ));
        }
    }
}

/// Rule 7 (恩施).
fn learning_share(cx: &Ctx, out: &mut Vec<RuleResult>) {
    let ds = cx.ds;
    for (s, need) in ds.learning_requirements(&cx.n) {
        let (id, name) = (&ds.school(s).id, &ds.school(s).name);
        let sent = Ctx::get(&cx.m.learning_from, s);
        out.push(result(
            "learning_share",
            id,
            need as f64,
            sent as f64,
            need.saturating_sub(sent) as f64,
            || {
                let (en, zh) = cx.why_not_more(s, MoveKind::Learning);
                (
                    format!("{id} must send {need} teachers to learn at its core but sends {sent}: {en}"),
                    format!("{name}应派{need}名教师到核心校跟岗，实派{sent}名：{zh}"),
                )
            },
        ));
    }
}

/// Rule 8 (national 2014), county-wide.
fn backbone_share(cx: &Ctx, out: &mut Vec<RuleResult>) {
    let (ds, m) = (cx.ds, &cx.m);
    let share = ds.policy.rotation.backbone_min_share.as_f64();
    let need = share * m.support_all as f64;
    out.push(result("backbone_share", "county", need, m.support_backbone as f64, (need - m.support_backbone as f64).max(0.0), || {
        let free = ds
            .teacher_ixs()
            .filter(|&t| {
                let te = ds.teacher(t);
                te.backbone && ds.is_core(te.home) && !ds.allowed_moves(t, &cx.facts[t.ix()]).is_empty()
                    && cx.placement[t.ix()] == Placement::Home
            })
            .count();
        (
            format!(
                "{} of {} support movers are backbone teachers, {:.2} required; {free} more backbone teachers of core schools could still move (each extra mover raises the requirement too)",
                m.support_backbone, m.support_all, need
            ),
            format!(
                "支教教师{}人中骨干教师{}人，应不少于{}人；核心校还有{free}名骨干教师可以交流（每多派一人，要求也随之提高）",
                m.support_all, m.support_backbone, need.ceil() as u32
            ),
        )
    }));
}

/// Rule 9 (西吉 2022 对等数量交流), on this year's new moves or on everyone serving.
fn reciprocal(cx: &Ctx, out: &mut Vec<RuleResult>) {
    let (ds, m) = (cx.ds, &cx.m);
    let rot = &ds.policy.rotation;
    let (support_from, learning_from) = match rot.reciprocal_counts {
        ReciprocalCounts::New => (&m.new_support_from, &m.new_learning_from),
        ReciprocalCounts::Serving => (&m.support_from, &m.learning_from),
    };
    for com in &ds.communities {
        if !rot.reciprocal.get(com.mode) {
            continue;
        }
        let sup: u32 = com.core.iter().map(|&s| Ctx::get(support_from, s)).sum();
        let learn: u32 = com
            .members
            .iter()
            .map(|&s| Ctx::get(learning_from, s))
            .sum();
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
                        let (id, name) = (&ds.school(s).id, &ds.school(s).name);
                        let (en, zh) = cx.why_not_more(s, short_side);
                        (format!("{id}: {en}"), format!("{name}：{zh}"))
                    })
                    .unzip();
                (
                    format!(
                        "community {} sends {sup} support and {learn} learning teachers; {}",
                        com.id,
                        en.join("; ")
                    ),
                    format!(
                        "{}支教{sup}人、跟岗{learn}人，人数不对等；{}",
                        com.name,
                        zh.join("；")
                    ),
                )
            },
        ));
    }
}

/// Rule 10.
fn outflow_cap(cx: &Ctx, out: &mut Vec<RuleResult>) {
    let ds = cx.ds;
    for s in ds.school_ixs() {
        let (id, name) = (&ds.school(s).id, &ds.school(s).name);
        let cap = ds
            .policy
            .rotation
            .max_outflow_share
            .floor_of(cx.n.teachers[s.ix()]);
        let out_n = Ctx::get(&cx.m.outflow, s);
        let locked = ds
            .teacher_ixs()
            .filter(|&t| {
                ds.teacher(t).home == s && matches!(cx.placement[t.ix()], Placement::Continuing(_))
            })
            .count();
        out.push(result("outflow_cap", id, cap as f64, out_n as f64, out_n.saturating_sub(cap) as f64, || {
            let total = cx.n.teachers[s.ix()];
            (
                format!("{id} may have at most {cap} of its {total} teachers away but has {out_n}; {locked} of them are in terms already under way"),
                format!("{name}共{total}名教师，最多外派{cap}人，实际外出{out_n}人；其中{locked}人在交流期内"),
            )
        }));
    }
}

/// Rule 11.
fn housing(cx: &Ctx, out: &mut Vec<RuleResult>) {
    let ds = cx.ds;
    for s in ds.school_ixs() {
        let Some(h) = ds.school(s).housing else {
            continue;
        };
        let (id, name) = (&ds.school(s).id, &ds.school(s).name);
        let inc = Ctx::get(&cx.m.incoming, s);
        let locked = ds
            .teacher_ixs()
            .filter(|&t| cx.placement[t.ix()] == Placement::Continuing(s))
            .count();
        out.push(result("housing", id, h as f64, inc as f64, inc.saturating_sub(h) as f64, || {
            (
                format!("{id} can house {h} rotating teachers but receives {inc}; {locked} of them are in terms already under way"),
                format!("{name}周转房可住{h}名交流教师，实际接收{inc}人；其中{locked}人在交流期内"),
            )
        }));
    }
}

/// Rule 12 (西吉 2022, 恩施 顶岗): each member's weighted unmet periods at most what it
/// reaches with nobody moving.
fn protect_members(cx: &Ctx, out: &mut Vec<RuleResult>) {
    let ds = cx.ds;
    if !ds.policy.rotation.protect_members {
        return;
    }
    let alone = ds.unmet_alone(cx.facts);
    let mut after: BTreeMap<SchoolIx, f64> = BTreeMap::new();
    for c in cx.coverage {
        *after.entry(c.school).or_default() += ds.unmet_mult(c.school, c.subject) * c.unmet as f64;
    }
    for com in &ds.communities {
        for &s in &com.members {
            let Some(&reached) = after.get(&s) else {
                continue; // no demand: nothing to be short of
            };
            let cap = alone[s.ix()];
            out.push(result(
                "protect_members",
                &ds.school(s).id,
                cap,
                reached,
                (reached - cap).max(0.0),
                || member_worse_off(cx, s, cap, reached),
            ));
        }
    }
}

/// Why a member ends worse off: who left it, and what is short after the plan.
fn member_worse_off(cx: &Ctx, s: SchoolIx, cap: f64, reached: f64) -> (String, String) {
    let ds = cx.ds;
    let (id, name) = (&ds.school(s).id, &ds.school(s).name);
    let left: Vec<TeacherIx> = ds
        .teacher_ixs()
        .filter(|&t| ds.teacher(t).home == s && cx.placement[t.ix()] != Placement::Home)
        .collect();
    let short: Vec<&CoverageRow> = cx
        .coverage
        .iter()
        .filter(|c| c.school == s && c.unmet > c.unmet_before)
        .collect();
    let names = |sep: &str| {
        left.iter()
            .map(|&t| {
                format!(
                    "{} ({})",
                    ds.teacher(t).name,
                    ds.subject_name(ds.teacher(t).subject)
                )
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    let lacks = |sep: &str, unit: &str| {
        short
            .iter()
            .map(|c| {
                format!(
                    "{} {}{unit}",
                    ds.subject_name(c.subject),
                    c.unmet - c.unmet_before
                )
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    let forced = forcing_rules(cx, s);
    (
        format!(
            "{id} has {reached:.1} weighted unmet periods against {cap:.1} with nobody moving; {} of its teachers serve elsewhere ({}), not backfilled: {}; {}",
            left.len(), names(", "), lacks(", ", " periods"), forced.0
        ),
        format!(
            "{name}交流后缺课{reached:.1}节（加权），多于无人交流时的{cap:.1}节；本校{}人在外交流（{}），未能顶岗补足：{}；{}",
            left.len(), names("、"), lacks("、", "节"), forced.1
        ),
    )
}

/// The rules that send a member's teachers away, as the plan reaches them.
fn forcing_rules(cx: &Ctx, s: SchoolIx) -> (String, String) {
    let ds = cx.ds;
    let rot = &ds.policy.rotation;
    let learning_need = ds
        .learning_requirements(&cx.n)
        .into_iter()
        .find(|&(x, _)| x == s)
        .map_or(0, |(_, n)| n);
    let reciprocal = ds
        .school(s)
        .community
        .is_some_and(|c| rot.reciprocal.get(ds.communities[c.ix()].mode));
    let cycle_need = ds
        .cycle_requirements(&cx.n)
        .into_iter()
        .find(|r| r.school == s)
        .map_or(0, |r| r.need);
    if cycle_need > learning_need {
        return (
            format!("the learning cycle asks {cycle_need} of its teachers to learn at the core this year"),
            format!("周期内跟岗要求本校本学年派{cycle_need}人跟岗"),
        );
    }
    match (learning_need > 0, reciprocal) {
        (true, _) => (
            format!("the learning share asks {learning_need} of its teachers to learn at the core"),
            format!("成员校跟岗比例要求本校派{learning_need}人跟岗"),
        ),
        (false, true) => (
            "reciprocal exchange asks as many learning teachers as support teachers".into(),
            "对等交流要求跟岗与支教人数相等".into(),
        ),
        _ => (
            "no rule forces these moves".into(),
            "没有规则要求这些交流".into(),
        ),
    }
}

/// Rule 13 (西吉 2022 "根据乡镇学校的需求及申请选派").
fn requests(cx: &Ctx, out: &mut Vec<RuleResult>) {
    let ds = cx.ds;
    for r in &ds.requests {
        let s = r.school;
        let fits = |t: TeacherIx| match r.kind {
            RequestKind::Teacher(k) => ds.teacher(t).subject == k,
            RequestKind::Cadre => ds.teacher(t).role.is_cadre(),
        };
        let reached = ds
            .teacher_ixs()
            .filter(|&t| {
                let te = ds.teacher(t);
                let at = cx.placement[t.ix()].school(te.home);
                at == s && te.home != s && fits(t)
            })
            .count() as u32;
        out.push(result(
            "request",
            &request_scope(ds, r),
            r.count as f64,
            reached as f64,
            r.count.saturating_sub(reached) as f64,
            || request_unmet(cx, r, reached, &fits),
        ));
    }
}

/// Rule 14 (恩施 三年一个周期): this year's share of the member's teachers still to 跟岗 in
/// the cycle, so that the cycle's last year is not left with more than it can send.
fn learning_cycle(cx: &Ctx, out: &mut Vec<RuleResult>) {
    let ds = cx.ds;
    let Some(cycle) = ds.learning_cycle() else {
        return;
    };
    for req in ds.cycle_requirements(&cx.n) {
        let s = req.school;
        let (id, name) = (&ds.school(s).id, &ds.school(s).name);
        let sent = Ctx::get(&cx.m.cycle_learning_from, s);
        let need = req.need;
        out.push(result(
            "learning_cycle",
            id,
            need as f64,
            sent as f64,
            need.saturating_sub(sent) as f64,
            || {
                let (en, zh) = pending_why(cx, s);
                let (a, b, left) = (cycle.start, cycle.end() + 1, req.years_left);
                let rem = req.remaining;
                (
                    format!("{id} has {rem} teachers still to learn at its core in the {a}-{b} cycle ({left} school years left, this one included), so {need} must go this year, and {sent} go: {en}"),
                    format!("{name}本周期（{a}—{b}学年）尚有{rem}名教师未到核心校跟岗，含本学年还剩{left}学年，本学年应派{need}人，实派{sent}人：{zh}"),
                )
            },
        ));
    }
}

/// Why a member sends no more of its teachers still to 跟岗 in the cycle: each by the
/// first reason that keeps them home, and what holds back the ones who could go.
fn pending_why(cx: &Ctx, s: SchoolIx) -> (String, String) {
    let ds = cx.ds;
    let mut reasons: BTreeMap<&'static str, u32> = BTreeMap::new();
    let mut free = 0;
    for t in ds.teacher_ixs() {
        let home = ds.teacher(t).home == s && cx.placement[t.ix()] == Placement::Home;
        if !home || !cx.facts[t.ix()].cycle_pending {
            continue;
        }
        match reason(ds, cx.facts, t, MoveKind::Learning) {
            Some(r) => *reasons.entry(r).or_default() += 1,
            None => free += 1,
        }
    }
    let mut en: Vec<String> = reasons.iter().map(|(r, c)| format!("{c} {r}")).collect();
    let mut zh: Vec<String> = reasons
        .iter()
        .map(|(r, c)| format!("{c}人{}", reason_zh(ds, r)))
        .collect();
    en.push(format!("{free} could go"));
    zh.push(format!("{free}人可以交流"));
    let (mut en, mut zh) = (
        format!("of those still to learn, {}", en.join(", ")),
        format!("未跟岗的教师中，{}", zh.join("，")),
    );
    if free > 0 && ds.policy.rotation.protect_members {
        en.push_str("; a learner goes only where the school is no worse off for it (someone must take over the classes)");
        zh.push_str("；派出跟岗须有人顶岗，成员校缺课不得增加");
    }
    let cap = ds
        .policy
        .rotation
        .max_outflow_share
        .floor_of(cx.n.teachers[s.ix()]);
    if free > 0 && Ctx::get(&cx.m.outflow, s) >= cap {
        en.push_str(&format!("; the outflow cap ({cap}) is reached"));
        zh.push_str(&format!("；已达外派上限（{cap}人）"));
    }
    (en, zh)
}

/// `S01:音乐` or `S01:cadre`: a request's scope in summary.json.
pub fn request_scope(ds: &Dataset, r: &Request) -> String {
    let what = match r.kind {
        RequestKind::Teacher(k) => ds.subject_name(k),
        RequestKind::Cadre => "cadre",
    };
    format!("{}:{what}", ds.school(r.school).id)
}

/// Why a request is not met: who could have been sent, and what kept each at home.
fn request_unmet(
    cx: &Ctx,
    r: &Request,
    reached: u32,
    fits: &dyn Fn(TeacherIx) -> bool,
) -> (String, String) {
    let ds = cx.ds;
    let s = r.school;
    let (id, name) = (&ds.school(s).id, &ds.school(s).name);
    let mut reasons: BTreeMap<&'static str, u32> = BTreeMap::new();
    let mut free = 0;
    let mut senders = 0;
    for t in ds.teacher_ixs().filter(|&t| fits(t)) {
        let te = ds.teacher(t);
        let Some(kind) = ds.move_kind_from(te.home, s) else {
            continue;
        };
        senders += 1;
        if cx.placement[t.ix()] != Placement::Home {
            continue;
        }
        match reason(ds, cx.facts, t, kind) {
            Some(why) => *reasons.entry(why).or_default() += 1,
            None => free += 1,
        }
    }
    let (what_en, what_zh) = match r.kind {
        RequestKind::Teacher(k) => (
            format!("{} teachers", ds.subject_name(k)),
            format!("{}教师", ds.subject_name(k)),
        ),
        RequestKind::Cadre => ("cadres".to_owned(), "干部".to_owned()),
    };
    let en: Vec<String> = reasons.iter().map(|(w, c)| format!("{c} {w}")).collect();
    let zh: Vec<String> = reasons
        .iter()
        .map(|(w, c)| format!("{c}人{}", reason_zh(ds, w)))
        .collect();
    (
        format!(
            "{id} asks for {} {what_en} and gets {reached}; the schools that may send to it have {senders} such teachers: {}{free} more could go (a move has its costs, and rules elsewhere bind)",
            r.count,
            en.iter().map(|x| format!("{x}, ")).collect::<String>()
        ),
        format!(
            "{name}申请{what_zh}{}人，实派{reached}人；可向该校派出的学校共有此类教师{senders}人：{}另有{free}人可以交流",
            r.count,
            zh.iter().map(|x| format!("{x}，")).collect::<String>()
        ),
    )
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
        .map(|(r, c)| format!("{c}人{}", reason_zh(ds, r)))
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
fn reason_zh(ds: &Dataset, en: &str) -> String {
    let cooldown = ds.policy.rotation.cooldown_years;
    match en {
        "exempt" => "免于交流",
        "locked in a term under way" => "在交流期内",
        "in cooldown" => return format!("交流期满返校未满{cooldown}年"),
        "unwilling" => "本人不愿交流",
        "of a stage no host teaches" => "学段与接收校不符",
        "below the teaching-years minimum" => "教龄不足",
        "over the age limit (men)" => "超过年龄上限（男）",
        "over the age limit (women)" => "超过年龄上限（女）",
        _ => "另有原因",
    }
    .to_owned()
}

fn hosts_of(ds: &Dataset, s: SchoolIx, kind: MoveKind) -> Vec<SchoolIx> {
    ds.school_ixs()
        .filter(|&h| ds.move_kind_from(s, h) == Some(kind))
        .collect()
}

/// The first reason that keeps `t` from a move of this kind, if any (English, and 中文).
pub fn why_not_moved(
    ds: &Dataset,
    facts: &[TeacherFacts],
    t: TeacherIx,
    kind: MoveKind,
) -> Option<(&'static str, String)> {
    reason(ds, facts, t, kind).map(|r| (r, reason_zh(ds, r)))
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
