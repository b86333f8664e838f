//! The county-wide backbone share (rule 8, national 2014) mended on a plan: one joined
//! from parts solved without it (`parts.rs`), or one a search of the whole county left
//! short when its time ran out (RENS's first stage ends at its time limit on counties of
//! the shared mixed-county's shape, and its plans were 0.2-0.4 of a teacher short: 20-40 k
//! of `weights.violation`, docs/benchmarks.md, thirty-third session).
//!
//! Contract: while backbone teachers are under `backbone_min_share` of the county's
//! support movers, a non-backbone support mover hands their move to a backbone colleague
//! of the same school who teaches the same subjects, has the same role where the host
//! asked for a cadre, and may make the move: every other rule counts the same and both
//! schools teach the same, so only the move's cost changes (the smallest change first,
//! and only where it costs less than the shortfall it mends). Failing any, and only with
//! `Mend::SwapOrAdd` (parts joined: the plan was never searched with rule 8), one more
//! backbone teacher goes where their move costs least, outside the communities that count
//! equal numbers each way. Everything else in the plan is kept. A heuristic: the gap
//! against the bound shows what it costs.

use std::collections::BTreeMap;

use super::Plan;
use crate::domain::{Dataset, MoveKind, Placement, SchoolIx, TeacherFacts, TeacherIx};

/// How far `backbone` may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::model) enum Mend {
    /// Swaps only: a plan searched with rule 8 inside, where one more mover may cost more
    /// than the shortfall (the search weighed that).
    Swap,
    /// Swaps, then one more backbone mover: a plan joined from parts without rule 8.
    SwapOrAdd,
}

/// Mends rule 8 on `plan`; true when it changed anything.
pub(in crate::model) fn backbone(ds: &Dataset, plan: &mut Plan, mend: Mend) -> bool {
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
        let short = (share * all as f64 - bb as f64).min(1.0);
        let worth = short * ds.policy.weights.violation;
        if !swap(ds, &facts, &options, plan, worth)
            && (mend == Mend::Swap || !add(ds, &facts, &options, plan))
        {
            return changed;
        }
        changed = true;
    }
}

/// Support movers and backbone ones among them.
pub(super) fn counts(ds: &Dataset, placement: &[Placement]) -> (u32, u32) {
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
/// in every rule and every classroom; the cheapest such swap, if it costs less than
/// `worth` (its moves' costs, and the changes from a kept plan).
fn swap(
    ds: &Dataset,
    facts: &[TeacherFacts],
    options: &BTreeMap<TeacherIx, Vec<(SchoolIx, f64)>>,
    plan: &mut Plan,
    worth: f64,
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
            let change = ds.change_cost(b, s) + ds.change_cost(t, te.home)
                - ds.change_cost(b, tb.home)
                - ds.change_cost(t, s);
            let delta = cost_b - cost_t + change;
            if delta < worth && best.is_none_or(|x| delta < x.0 - 1e-9) {
                best = Some((delta, t, b));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DatasetBuilder, Mode, SchoolKind, Share, Stages, TeacherSpec, Willing};

    /// Core A (eight 语文 teachers, one 数学) and member B; backbone at least 30% of
    /// support movers. `backbone` names who is backbone; `violation` is its weight.
    fn county(backbone: &[&str], violation: f64) -> Dataset {
        let mut b = DatasetBuilder::new()
            .school("A", SchoolKind::Urban, Stages::PRIMARY, Some("C"))
            .school("B", SchoolKind::Rural, Stages::PRIMARY, Some("C"))
            .community("C", Mode::Tight, &["A"])
            .distance("A", "B", 10.0, 15.0)
            .demand("A", "语文", 120)
            .demand("A", "数学", 14)
            .demand("B", "语文", 14)
            .demand("B", "数学", 14);
        let ids = (0..8)
            .map(|i| (format!("T{i}"), "语文"))
            .chain([("M0".into(), "数学")]);
        for (id, subject) in ids {
            let mut t = TeacherSpec::new(&id, "A", subject);
            t.backbone = backbone.contains(&id.as_str());
            // T0 is willing: a colleague taking over their move costs the bonus.
            t.willing = if id == "T0" {
                Willing::Yes
            } else {
                Willing::Unknown
            };
            b = b.teacher(t);
        }
        let p = b.policy_mut();
        p.rotation.backbone_min_share = Share::from_f64(0.3).unwrap();
        p.weights.violation = violation;
        b.build()
    }

    fn teacher(ds: &Dataset, id: &str) -> TeacherIx {
        ds.teacher_ixs().find(|&t| ds.teacher(t).id == id).unwrap()
    }

    /// T0 (not backbone) sent to B: 0 of 1 support movers backbone, 0.3 short.
    fn t0_sent(ds: &Dataset) -> (Plan, SchoolIx) {
        let b = ds.school_ixs().find(|&s| ds.school(s).id == "B").unwrap();
        let mut placement = vec![Placement::Home; ds.teachers.len()];
        placement[teacher(ds, "T0").ix()] = Placement::New(b, MoveKind::Support);
        ((placement, vec![Vec::new(); ds.teachers.len()]), b)
    }

    #[test]
    fn a_backbone_colleague_takes_over_the_move() {
        let ds = county(&["T3"], 100_000.0);
        let (mut plan, b) = t0_sent(&ds);
        assert!(backbone(&ds, &mut plan, Mend::Swap));
        assert_eq!(
            plan.0[teacher(&ds, "T3").ix()],
            Placement::New(b, MoveKind::Support)
        );
        assert_eq!(plan.0[teacher(&ds, "T0").ix()], Placement::Home);
        assert_eq!(counts(&ds, &plan.0), (1, 1));
    }

    #[test]
    fn no_swap_costs_more_than_the_shortfall_it_mends() {
        // The swap loses T0's willing bonus (15) to mend 0.3 of a teacher at 10 each.
        let ds = county(&["T3"], 10.0);
        let (mut plan, _) = t0_sent(&ds);
        let before = plan.clone();
        assert!(!backbone(&ds, &mut plan, Mend::Swap));
        assert_eq!(plan, before);
    }

    #[test]
    fn without_a_stand_in_only_joined_parts_get_one_more_mover() {
        // The one backbone teacher teaches 数学: nobody stands in for T0.
        let ds = county(&["M0"], 100_000.0);
        let (mut plan, b) = t0_sent(&ds);
        let before = plan.clone();
        assert!(!backbone(&ds, &mut plan, Mend::Swap));
        assert_eq!(plan, before);
        assert!(backbone(&ds, &mut plan, Mend::SwapOrAdd));
        assert_eq!(
            plan.0[teacher(&ds, "M0").ix()],
            Placement::New(b, MoveKind::Support)
        );
        assert_eq!(
            plan.0[teacher(&ds, "T0").ix()],
            Placement::New(b, MoveKind::Support)
        );
        assert_eq!(counts(&ds, &plan.0), (2, 1));
    }
}
