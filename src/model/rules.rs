//! Policy rules 5-11 of docs/model.md, each elastic: a shortfall column priced
//! W.violation keeps the model feasible and makes the smallest breach optimal.

use std::collections::BTreeMap;

use good_lp::Expression;

use super::build::{class_movers, Col, RuleSink};
use super::classes::Classes;
use crate::domain::{Dataset, MoveKind, SchoolIx};

/// Movers by structure, as affine expressions of the decisions (constants for LOCKED).
#[derive(Default)]
struct Movers {
    /// Support movers by home core school.
    support_from: BTreeMap<SchoolIx, Expression>,
    /// Learning movers by home member school.
    learning_from: BTreeMap<SchoolIx, Expression>,
    support_backbone: Expression,
    support_all: Expression,
    /// Anyone serving away from home, by home school.
    outflow: BTreeMap<SchoolIx, Expression>,
    /// Anyone serving at a school not their home, by host.
    incoming: BTreeMap<SchoolIx, Expression>,
}

fn movers(ds: &Dataset, cl: &Classes, x: &[Vec<Col>], e: &[Option<Col>]) -> Movers {
    let mut m = Movers::default();
    for (ci, c) in cl.classes.iter().enumerate() {
        for (host, kind, expr) in class_movers(ds, c, &x[ci], e[ci]) {
            match kind {
                Some(MoveKind::Support) => {
                    *m.support_from.entry(c.home).or_default() += expr.clone();
                    m.support_all += expr.clone();
                    if c.backbone {
                        m.support_backbone += expr.clone();
                    }
                }
                Some(MoveKind::Learning) => {
                    *m.learning_from.entry(c.home).or_default() += expr.clone();
                }
                None => {}
            }
            *m.outflow.entry(c.home).or_default() += expr.clone();
            *m.incoming.entry(host).or_default() += expr;
        }
    }
    m
}

pub fn add_rules(
    ds: &Dataset,
    cl: &Classes,
    x: &[Vec<Col>],
    e: &[Option<Col>],
    sink: &mut RuleSink,
) {
    let m = movers(ds, cl, x, e);
    let counts = ds.headcounts(&cl.facts);
    core_and_due_share(ds, &m, &counts, sink);
    learning_share(ds, &m, &counts, sink);
    backbone_share(ds, &m, sink);
    reciprocal(ds, &m, sink);
    outflow_cap(ds, &m, &counts, sink);
    housing(ds, &m, sink);
}

fn get(map: &BTreeMap<SchoolIx, Expression>, s: SchoolIx) -> Expression {
    map.get(&s).cloned().unwrap_or_default()
}

/// Rules 5 and 6: each core sends ≥ ⌈core_min_share[mode]·N(c)⌉ (平顶山 2025) and
/// ≥ ⌈due_min_share·D(c)⌉ (national 2014) teachers to its members.
fn core_and_due_share(
    ds: &Dataset,
    m: &Movers,
    n: &crate::domain::Headcounts,
    sink: &mut RuleSink,
) {
    for req in ds.core_requirements(n) {
        for need in [req.core_share, req.due_share] {
            if need > 0 {
                let v = sink.shortfall();
                sink.push((get(&m.support_from, req.school) + v).geq(need as f64));
            }
        }
    }
}

/// Rule 7: each member sends ≥ ⌈learning_min_share·E(s)⌉ teachers to its cores (恩施).
fn learning_share(ds: &Dataset, m: &Movers, n: &crate::domain::Headcounts, sink: &mut RuleSink) {
    for (s, need) in ds.learning_requirements(n) {
        if need > 0 {
            let v = sink.shortfall();
            sink.push((get(&m.learning_from, s) + v).geq(need as f64));
        }
    }
}

/// Rule 8: backbone support movers ≥ backbone_min_share × support movers, county-wide.
fn backbone_share(ds: &Dataset, m: &Movers, sink: &mut RuleSink) {
    let share = ds.policy.rotation.backbone_min_share.as_f64();
    if share > 0.0 {
        let v = sink.shortfall();
        sink.push((m.support_backbone.clone() + v).geq(share * m.support_all.clone()));
    }
}

/// Rule 9: learning movers = support movers in each community whose mode asks (西吉 2022),
/// one shortfall each way.
fn reciprocal(ds: &Dataset, m: &Movers, sink: &mut RuleSink) {
    for com in &ds.communities {
        if !ds.policy.rotation.reciprocal.get(com.mode) {
            continue;
        }
        let support: Expression = com.core.iter().map(|&s| get(&m.support_from, s)).sum();
        let learning: Expression = com.members.iter().map(|&s| get(&m.learning_from, s)).sum();
        let (over, under) = (sink.shortfall(), sink.shortfall());
        sink.push((support - learning + over - under).eq(0.0));
    }
}

/// Rule 10: at most ⌊max_outflow_share·N(s)⌋ of a school's teachers serve elsewhere.
fn outflow_cap(ds: &Dataset, m: &Movers, n: &crate::domain::Headcounts, sink: &mut RuleSink) {
    for (&s, out) in &m.outflow {
        let cap = ds
            .policy
            .rotation
            .max_outflow_share
            .floor_of(n.teachers[s.ix()]);
        let v = sink.shortfall();
        sink.push((out.clone() - v).leq(cap as f64));
    }
}

/// Rule 11: incoming full-time teachers ≤ the school's rotation housing (周转宿舍).
fn housing(ds: &Dataset, m: &Movers, sink: &mut RuleSink) {
    for (&s, inc) in &m.incoming {
        if let Some(h) = ds.school(s).housing {
            let v = sink.shortfall();
            sink.push((inc.clone() - v).leq(h as f64));
        }
    }
}
