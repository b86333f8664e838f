//! The county-wide backbone share (rule 8, national 2014) mended on a plan joined from
//! parts solved without it (`parts.rs`).
//!
//! Contract: while backbone teachers are under `backbone_min_share` of the county's
//! support movers, a non-backbone support mover hands their move to a backbone colleague
//! of the same school who teaches the same subjects, has the same role where the host
//! asked for a cadre, and may make the move: every other rule counts the same and both
//! schools teach the same, so only the move's cost changes (the smallest change first).
//! Failing any, one more backbone teacher goes where their move costs least, outside the
//! communities that count equal numbers each way. Everything else in the plan is kept. A
//! heuristic: the gap against the parts' bound shows what it costs.

use std::collections::BTreeMap;

use crate::domain::{Dataset, MoveKind, Placement, SchoolIx, TeacherFacts, TeacherIx, Trip};

type Plan = (Vec<Placement>, Vec<Vec<Trip>>);

/// Mends rule 8 on `plan`; true when it changed anything.
pub(super) fn backbone(ds: &Dataset, plan: &mut Plan) -> bool {
    let share = ds.policy.rotation.backbone_min_share.as_f64();
    if share <= 0.0 {
        return false;
    }
    let facts = ds.teacher_facts();
    // The support moves each backbone teacher may make, and what they cost.
    let options: BTreeMap<TeacherIx, Vec<(SchoolIx, f64)>> = ds
        .teacher_ixs()
        .filter(|&b| ds.teacher(b).backbone)
        .map(|b| {
            let f = &facts[b.ix()];
            let moves = ds
                .allowed_moves(b, f)
                .into_iter()
                .filter(|m| m.1 == MoveKind::Support)
                .filter_map(|(s, k)| Some((s, ds.move_cost(b, f, s, k)?)))
                .collect();
            (b, moves)
        })
        .collect();
    let mut changed = false;
    loop {
        let (all, bb) = counts(ds, &plan.0);
        if bb as f64 + 1e-9 >= share * all as f64 {
            return changed;
        }
        if !swap(ds, &facts, &options, plan) && !add(ds, &facts, &options, plan) {
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

/// Free to take a move: at home, on no trip.
fn free(plan: &Plan, b: TeacherIx) -> bool {
    plan.0[b.ix()] == Placement::Home && plan.1[b.ix()].is_empty()
}

/// One non-backbone support mover replaced by a backbone colleague who stands in for them
/// in every rule and every classroom; the cheapest such swap.
fn swap(
    ds: &Dataset,
    facts: &[TeacherFacts],
    options: &BTreeMap<TeacherIx, Vec<(SchoolIx, f64)>>,
    plan: &mut Plan,
) -> bool {
    let cadre_asked = |s: SchoolIx| {
        ds.requests
            .iter()
            .any(|r| r.school == s && r.kind == crate::domain::RequestKind::Cadre)
    };
    let mut best: Option<(f64, TeacherIx, TeacherIx)> = None;
    for t in ds.teacher_ixs() {
        let Placement::New(s, MoveKind::Support) = plan.0[t.ix()] else {
            continue;
        };
        let te = ds.teacher(t);
        // A pinned move is the planner's: nobody takes it over.
        if te.backbone || ds.pinned(t).move_to.is_some() {
            continue;
        }
        let cost_t = ds
            .move_cost(t, &facts[t.ix()], s, MoveKind::Support)
            .unwrap_or(0.0);
        let subjects: Vec<_> = ds.qualified(t).collect();
        for (&b, moves) in options {
            let tb = ds.teacher(b);
            let stands_in = tb.home == te.home
                && tb.subject == te.subject
                && ds.qualified(b).collect::<Vec<_>>() == subjects
                && ds.capacity(b) == ds.capacity(t)
                && (!cadre_asked(s) || tb.role.is_cadre() == te.role.is_cadre());
            if !stands_in || !free(plan, b) {
                continue;
            }
            let Some(&(_, cost_b)) = moves.iter().find(|m| m.0 == s) else {
                continue;
            };
            if best.is_none_or(|x| cost_b - cost_t < x.0 - 1e-9) {
                best = Some((cost_b - cost_t, t, b));
            }
        }
    }
    let Some((_, t, b)) = best else { return false };
    plan.0[b.ix()] = plan.0[t.ix()];
    plan.0[t.ix()] = Placement::Home;
    true
}

/// One more backbone support mover where their move costs least, within the outflow cap
/// and housing, outside communities that count equal numbers each way.
fn add(
    ds: &Dataset,
    facts: &[TeacherFacts],
    options: &BTreeMap<TeacherIx, Vec<(SchoolIx, f64)>>,
    plan: &mut Plan,
) -> bool {
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
    let reciprocal = |s: SchoolIx| {
        ds.school(s)
            .community
            .is_some_and(|c| rot.reciprocal.get(ds.communities[c.ix()].mode))
    };
    let mut best: Option<(f64, TeacherIx, SchoolIx)> = None;
    for (&b, moves) in options {
        let h = ds.teacher(b).home;
        if !free(plan, b)
            || reciprocal(h)
            || away[h.ix()] >= rot.max_outflow_share.floor_of(n.teachers[h.ix()])
        {
            continue;
        }
        for &(s, cost) in moves {
            let housed = ds
                .school(s)
                .housing
                .is_none_or(|cap| incoming[s.ix()] < cap);
            if housed && best.is_none_or(|x| cost < x.0) {
                best = Some((cost, b, s));
            }
        }
    }
    let Some((_, b, s)) = best else { return false };
    plan.0[b.ix()] = Placement::New(s, MoveKind::Support);
    true
}
