//! Policy rules 5-14 of docs/model.md, each elastic: a shortfall column priced
//! W.violation keeps the model feasible and makes the smallest breach optimal. One
//! function per rule, named after it, with its source.

use std::collections::BTreeMap;

use good_lp::{Constraint, Expression, Variable};

use super::classes::Classes;
use super::columns::{class_movers, Col, Mover};
use crate::domain::{
    Dataset, Headcounts, MoveKind, ReciprocalCounts, RequestKind, SchoolIx, SubjectIx,
};

/// Where the rules' rows go: the builder gives each shortfall column its price and
/// records where it is (so a plan's breaches can be named), and takes the rows.
pub trait RuleSink {
    /// A new shortfall column, priced `weights.violation`, at a school or county-wide.
    fn shortfall(&mut self, at: Option<SchoolIx>) -> Variable;
    fn push(&mut self, c: Constraint);
}

/// Movers by structure, as affine expressions of the decisions (constants for LOCKED).
#[derive(Default)]
struct Movers {
    /// Support movers by home core school.
    support_from: BTreeMap<SchoolIx, Expression>,
    /// Learning movers by home member school.
    learning_from: BTreeMap<SchoolIx, Expression>,
    /// Learning movers still to 跟岗 in the cycle, new or extended (rule 14).
    cycle_learning_from: BTreeMap<SchoolIx, Expression>,
    /// This year's new support / learning moves only (rule 9 with counts = "new").
    new_support_from: BTreeMap<SchoolIx, Expression>,
    new_learning_from: BTreeMap<SchoolIx, Expression>,
    support_backbone: Expression,
    support_all: Expression,
    /// Anyone serving away from home, by home school.
    outflow: BTreeMap<SchoolIx, Expression>,
    /// Anyone serving at a school not their home, by host.
    incoming: BTreeMap<SchoolIx, Expression>,
    /// Incoming by host and main subject (rule 13, teachers).
    incoming_subject: BTreeMap<(SchoolIx, SubjectIx), Expression>,
    /// Incoming cadres by host (rule 13, cadres).
    incoming_cadres: BTreeMap<SchoolIx, Expression>,
}

fn add(map: &mut BTreeMap<SchoolIx, Expression>, s: SchoolIx, e: &Expression) {
    *map.entry(s).or_default() += e.clone();
}

fn movers(ds: &Dataset, cl: &Classes, x: &[Vec<Col>], e: &[Option<Col>]) -> Movers {
    let mut m = Movers::default();
    for (ci, c) in cl.classes.iter().enumerate() {
        for Mover {
            host,
            kind,
            new,
            count,
        } in class_movers(ds, c, &x[ci], e[ci])
        {
            match kind {
                Some(MoveKind::Support) => {
                    add(&mut m.support_from, c.home, &count);
                    if new {
                        add(&mut m.new_support_from, c.home, &count);
                    }
                    m.support_all += count.clone();
                    if c.backbone {
                        m.support_backbone += count.clone();
                    }
                }
                Some(MoveKind::Learning) => {
                    add(&mut m.learning_from, c.home, &count);
                    if c.cycle_pending {
                        add(&mut m.cycle_learning_from, c.home, &count);
                    }
                    if new {
                        add(&mut m.new_learning_from, c.home, &count);
                    }
                }
                None => {}
            }
            add(&mut m.outflow, c.home, &count);
            add(&mut m.incoming, host, &count);
            *m.incoming_subject.entry((host, c.main)).or_default() += count.clone();
            if c.cadre {
                add(&mut m.incoming_cadres, host, &count);
            }
        }
    }
    m
}

/// Rows of rules 5-14 over the decisions `x`, `e` and the unmet columns `u`.
pub fn add_rules(
    ds: &Dataset,
    cl: &Classes,
    x: &[Vec<Col>],
    e: &[Option<Col>],
    u: &BTreeMap<(SchoolIx, SubjectIx), Col>,
    sink: &mut dyn RuleSink,
) {
    let m = movers(ds, cl, x, e);
    let counts = ds.headcounts(&cl.facts);
    core_and_due_share(ds, &m, &counts, sink);
    learning_share(ds, &m, &counts, sink);
    backbone_share(ds, &m, sink);
    reciprocal(ds, &m, sink);
    outflow_cap(ds, &m, &counts, sink);
    housing(ds, &m, sink);
    members_not_worse_off(ds, cl, u, sink);
    requests(ds, &m, sink);
    learning_cycle(ds, &m, &counts, sink);
}

fn get(map: &BTreeMap<SchoolIx, Expression>, s: SchoolIx) -> Expression {
    map.get(&s).cloned().unwrap_or_default()
}

/// Rules 5 and 6: each core sends ≥ ⌈core_min_share[mode]·N(c)⌉ (平顶山 2025) and
/// ≥ ⌈due_min_share·D(c)⌉ (national 2014) teachers to its members.
fn core_and_due_share(ds: &Dataset, m: &Movers, n: &Headcounts, sink: &mut dyn RuleSink) {
    for req in ds.core_requirements(n) {
        for need in [req.core_share, req.due_share] {
            if need > 0 {
                let v = sink.shortfall(Some(req.school));
                sink.push((get(&m.support_from, req.school) + v).geq(need as f64));
            }
        }
    }
}

/// Rule 7: each member sends ≥ ⌈learning_min_share·E(s)⌉ teachers to its cores (恩施).
fn learning_share(ds: &Dataset, m: &Movers, n: &Headcounts, sink: &mut dyn RuleSink) {
    for (s, need) in ds.learning_requirements(n) {
        if need > 0 {
            let v = sink.shortfall(Some(s));
            sink.push((get(&m.learning_from, s) + v).geq(need as f64));
        }
    }
}

/// Rule 8: backbone support movers ≥ backbone_min_share × support movers, county-wide
/// (national 2014).
fn backbone_share(ds: &Dataset, m: &Movers, sink: &mut dyn RuleSink) {
    let share = ds.policy.rotation.backbone_min_share.as_f64();
    if share > 0.0 {
        let v = sink.shortfall(None);
        sink.push((m.support_backbone.clone() + v).geq(share * m.support_all.clone()));
    }
}

/// Rule 9: learning movers = support movers in each community whose mode asks (西吉 2022
/// 对等数量交流), one shortfall each way; this year's new moves only, or every teacher
/// serving (`rotation.reciprocal_counts`).
fn reciprocal(ds: &Dataset, m: &Movers, sink: &mut dyn RuleSink) {
    let (support_from, learning_from) = match ds.policy.rotation.reciprocal_counts {
        ReciprocalCounts::New => (&m.new_support_from, &m.new_learning_from),
        ReciprocalCounts::Serving => (&m.support_from, &m.learning_from),
    };
    for com in &ds.communities {
        if !ds.policy.rotation.reciprocal.get(com.mode) {
            continue;
        }
        let support: Expression = com.core.iter().map(|&s| get(support_from, s)).sum();
        let learning: Expression = com.members.iter().map(|&s| get(learning_from, s)).sum();
        let at = com.core.first().copied();
        let (over, under) = (sink.shortfall(at), sink.shortfall(at));
        sink.push((support - learning + over - under).eq(0.0));
    }
}

/// Rule 10: at most ⌊max_outflow_share·N(s)⌋ of a school's teachers serve elsewhere.
fn outflow_cap(ds: &Dataset, m: &Movers, n: &Headcounts, sink: &mut dyn RuleSink) {
    for (&s, out) in &m.outflow {
        let cap = ds
            .policy
            .rotation
            .max_outflow_share
            .floor_of(n.teachers[s.ix()]);
        let v = sink.shortfall(Some(s));
        sink.push((out.clone() - v).leq(cap as f64));
    }
}

/// Rule 11: incoming full-time teachers ≤ the school's rotation housing (周转宿舍).
fn housing(ds: &Dataset, m: &Movers, sink: &mut dyn RuleSink) {
    for (&s, inc) in &m.incoming {
        if let Some(h) = ds.school(s).housing {
            let v = sink.shortfall(Some(s));
            sink.push((inc.clone() - v).leq(h as f64));
        }
    }
}

/// Rule 12: a member school's weighted unmet periods are at most what it reaches with
/// nobody moving (西吉 2022 "派出学校尽量满足接收学校需求", 恩施 顶岗执教): a member that
/// sends a teacher to learn is backfilled for what it loses. The shortfall is in
/// weighted periods.
fn members_not_worse_off(
    ds: &Dataset,
    cl: &Classes,
    u: &BTreeMap<(SchoolIx, SubjectIx), Col>,
    sink: &mut dyn RuleSink,
) {
    if !ds.policy.rotation.protect_members {
        return;
    }
    for com in &ds.communities {
        for &s in &com.members {
            let mut rows = u.range((s, SubjectIx(0))..=(s, SubjectIx(u32::MAX)));
            if rows.clone().next().is_none() {
                continue; // nothing to be short of
            }
            let unmet: Expression = rows
                .by_ref()
                .map(|(&(_, k), col)| ds.unmet_mult(s, k) * col.var)
                .sum();
            let v = sink.shortfall(Some(s));
            sink.push((unmet - v).leq(cl.unmet_alone[s.ix()]));
        }
    }
}

/// Rule 13: teachers serving full time at a school from another school meet its requests
/// (西吉 2022 "根据乡镇学校的需求及申请选派"): n of a main subject, or n cadres.
fn requests(ds: &Dataset, m: &Movers, sink: &mut dyn RuleSink) {
    for r in &ds.requests {
        let served = match r.kind {
            RequestKind::Teacher(k) => m.incoming_subject.get(&(r.school, k)),
            RequestKind::Cadre => m.incoming_cadres.get(&r.school),
        };
        let v = sink.shortfall(Some(r.school));
        sink.push((served.cloned().unwrap_or_default() + v).geq(r.count as f64));
    }
}

/// Rule 14: each member sends ≥ ⌈remaining / years left⌉ of its teachers still to 跟岗 in
/// the cycle (恩施 三年一个周期: every eligible member teacher learns at the core once in
/// the cycle), so that planning one year at a time leaves the last year no more than its
/// share.
fn learning_cycle(ds: &Dataset, m: &Movers, n: &Headcounts, sink: &mut dyn RuleSink) {
    for req in ds.cycle_requirements(n) {
        if req.need > 0 {
            let v = sink.shortfall(Some(req.school));
            sink.push((get(&m.cycle_learning_from, req.school) + v).geq(req.need as f64));
        }
    }
}
