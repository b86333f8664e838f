//! The county-wide backbone share (rule 8, national 2014) mended on a plan joined from
//! parts solved without it (`parts.rs`).
//!
//! Contract: while backbone teachers are under `backbone_min_share` of the county's
//! support movers, a non-backbone support mover hands their move to a backbone colleague
//! of the same school who may make it (one who teaches the same subjects first, then the
//! smallest change in the move's cost); failing any, one more backbone teacher goes where
//! their move costs least. Everything else in the plan is kept. A heuristic: the gap
//! against the parts' bound shows what it costs.

use crate::domain::{Dataset, MoveKind, Placement, TeacherFacts, TeacherIx, Trip};

type Plan = (Vec<Placement>, Vec<Vec<Trip>>);

/// Mends rule 8 on `plan`; true when it changed anything.
pub(super) fn backbone(ds: &Dataset, plan: &mut Plan) -> bool {
    let share = ds.policy.rotation.backbone_min_share.as_f64();
    if share <= 0.0 {
        return false;
    }
    let facts = ds.teacher_facts();
    let mut changed = false;
    loop {
        let (all, bb) = counts(ds, &plan.0);
        if bb as f64 + 1e-9 >= share * all as f64 {
            return changed;
        }
        if !swap(ds, &facts, plan) && !add(ds, &facts, plan) {
            return changed;
        }
        changed = true;
    }
}

/// Support movers and backbone ones among them.
fn counts(ds: &Dataset, placement: &[Placement]) -> (u32, u32) {
    let (mut all, mut bb) = (0, 0);
    for t in ds.teacher_ixs() {
        let h = ds.teacher(t).home;
        let p = placement[t.ix()];
        if p != Placement::Home && ds.move_kind_from(h, p.school(h)) == Some(MoveKind::Support) {
            all += 1;
            bb += ds.teacher(t).backbone as u32;
        }
    }
    (all, bb)
}

/// Whether `b`, at home and on no trip, may make a new support move to `s`; its cost.
fn may_go(
    ds: &Dataset,
    facts: &[TeacherFacts],
    plan: &Plan,
    b: TeacherIx,
    s: crate::domain::SchoolIx,
) -> Option<f64> {
    let f = &facts[b.ix()];
    (plan.0[b.ix()] == Placement::Home
        && plan.1[b.ix()].is_empty()
        && ds.allowed_moves(b, f).contains(&(s, MoveKind::Support)))
    .then(|| ds.move_cost(b, f, s, MoveKind::Support))
    .flatten()
}

/// How close a swap is: other subjects, the change in the move's cost, the two teachers.
type Match = (bool, f64, TeacherIx, TeacherIx);

/// One non-backbone support mover replaced by a backbone colleague, the closest match.
fn swap(ds: &Dataset, facts: &[TeacherFacts], plan: &mut Plan) -> bool {
    let mut best: Option<(Match, TeacherIx, TeacherIx)> = None;
    for t in ds.teacher_ixs() {
        let Placement::New(s, MoveKind::Support) = plan.0[t.ix()] else {
            continue;
        };
        let te = ds.teacher(t);
        if te.backbone {
            continue;
        }
        let cost_t = ds
            .move_cost(t, &facts[t.ix()], s, MoveKind::Support)
            .unwrap_or(0.0);
        let subjects = |x: TeacherIx| ds.qualified(x).collect::<Vec<_>>();
        for b in ds.teacher_ixs().filter(|&b| {
            let tb = ds.teacher(b);
            tb.backbone && tb.home == te.home
        }) {
            let Some(cost_b) = may_go(ds, facts, plan, b, s) else {
                continue;
            };
            let key = (subjects(b) != subjects(t), cost_b - cost_t, t, b);
            let better = best.as_ref().is_none_or(|(k, _, _)| {
                (key.0, key.1) < (k.0, k.1) || ((key.0, key.1) == (k.0, k.1) && (t, b) < (k.2, k.3))
            });
            if better {
                best = Some((key, t, b));
            }
        }
    }
    let Some((_, t, b)) = best else { return false };
    plan.0[b.ix()] = plan.0[t.ix()];
    plan.0[t.ix()] = Placement::Home;
    true
}

/// One more backbone support mover, where their move costs least.
fn add(ds: &Dataset, facts: &[TeacherFacts], plan: &mut Plan) -> bool {
    let n = ds.headcounts(facts);
    let mut away = vec![0u32; ds.schools.len()];
    let mut incoming = vec![0u32; ds.schools.len()];
    for t in ds.teacher_ixs() {
        let h = ds.teacher(t).home;
        let p = plan.0[t.ix()];
        if p != Placement::Home {
            away[h.ix()] += 1;
            incoming[p.school(h).ix()] += 1;
        }
    }
    let rot = &ds.policy.rotation;
    let mut best: Option<(f64, TeacherIx, crate::domain::SchoolIx)> = None;
    for b in ds.teacher_ixs().filter(|&b| ds.teacher(b).backbone) {
        let h = ds.teacher(b).home;
        if away[h.ix()] >= rot.max_outflow_share.floor_of(n.teachers[h.ix()]) {
            continue;
        }
        if plan.0[b.ix()] != Placement::Home || !plan.1[b.ix()].is_empty() {
            continue;
        }
        for (s, kind) in ds.allowed_moves(b, &facts[b.ix()]) {
            if kind != MoveKind::Support
                || ds
                    .school(s)
                    .housing
                    .is_some_and(|cap| incoming[s.ix()] >= cap)
            {
                continue;
            }
            if let Some(cost) = ds.move_cost(b, &facts[b.ix()], s, kind) {
                if best.is_none_or(|x| cost < x.0) {
                    best = Some((cost, b, s));
                }
            }
        }
    }
    let Some((_, b, s)) = best else { return false };
    plan.0[b.ix()] = Placement::New(s, MoveKind::Support);
    true
}
