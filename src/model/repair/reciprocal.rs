//! Equal numbers each way (rule 9, 西吉 2022 对等数量交流) mended on a plan whose search
//! could not even them out: RENS's first stage keeps each class's moves in a box around
//! the last pricing LP, and on a variant of the shared mixed-county it ended with the
//! minute, two communities one learner over (7 support and 8 learning teachers; 5 and 6):
//! 200 k of `weights.violation` that no later stage had time to mend (docs/benchmarks.md,
//! thirty-fourth session).
//!
//! Contract: while a community that counts equal numbers has more learners than support
//! teachers, one of its new learners stays home, where that is sure to cost less than the
//! shortfall it mends: not a pinned move; the learner's school still meets its learning
//! share (rule 7) and its 跟岗 cycle (rule 14) without them; the host asked for no
//! teacher they count towards (rule 13); and the most the host can lose, the learner's
//! whole load at the dearest subject they may teach there, plus the bonuses their move
//! earned and a change from a kept plan, is under `weights.violation`. The member gets a
//! teacher back, so its unmet periods can only fall (rule 12), and the outflow and housing
//! counts fall (rules 10, 11). The surest drop first (the least the host can lose), one at
//! a time. Fewer learners than support teachers is left as it is: one more learner, or one
//! support teacher fewer, takes periods from a member, which rule 12 prices per period,
//! and only the period LP knows how many.

use std::collections::BTreeMap;

use super::Plan;
use crate::domain::{
    Community, Dataset, MoveKind, Placement, ReciprocalCounts, RequestKind, SchoolIx, TeacherFacts,
    TeacherIx,
};

/// Mends rule 9 on `plan`; true when it changed anything.
pub(in crate::model) fn reciprocal(ds: &Dataset, plan: &mut Plan) -> bool {
    let facts = ds.teacher_facts();
    let n = ds.headcounts(&facts);
    let needs = Needs {
        learning: ds.learning_requirements(&n).into_iter().collect(),
        cycle: (ds.cycle_requirements(&n).into_iter())
            .map(|r| (r.school, r.need))
            .collect(),
    };
    let mut changed = false;
    for com in &ds.communities {
        if !ds.policy.rotation.reciprocal.get(com.mode) {
            continue;
        }
        while learning_over(ds, com, &plan.0) {
            let Some((most, t)) = surest_drop(ds, &facts, &needs, com, &plan.0) else {
                break;
            };
            plan.0[t.ix()] = Placement::Home;
            super::trace(
                ds,
                "equal numbers (learners over)",
                t,
                Placement::Home,
                most,
            );
            changed = true;
        }
    }
    changed
}

/// Rules 7 and 14's counts by member school.
struct Needs {
    learning: BTreeMap<SchoolIx, u32>,
    cycle: BTreeMap<SchoolIx, u32>,
}

/// The move a teacher makes in the plan, if rule 9 counts it: new moves, and with
/// `reciprocal_counts = "serving"` every term served.
pub(super) fn counted(ds: &Dataset, t: TeacherIx, p: Placement) -> Option<MoveKind> {
    let home = ds.teacher(t).home;
    match (p, ds.policy.rotation.reciprocal_counts) {
        (Placement::Home, _) => None,
        (Placement::New(_, kind), _) => Some(kind),
        (_, ReciprocalCounts::Serving) => ds.move_kind_from(home, p.school(home)),
        (_, ReciprocalCounts::New) => None,
    }
}

/// More learners from `com`'s members than support teachers from its cores.
fn learning_over(ds: &Dataset, com: &Community, placement: &[Placement]) -> bool {
    let (support, learning) = sides(ds, com, placement);
    learning > support
}

/// Support teachers from `com`'s cores and learners from its members, as rule 9 counts.
pub(super) fn sides(ds: &Dataset, com: &Community, placement: &[Placement]) -> (u32, u32) {
    let (mut support, mut learning) = (0u32, 0u32);
    for t in ds.teacher_ixs() {
        let home = ds.teacher(t).home;
        match counted(ds, t, placement[t.ix()]) {
            Some(MoveKind::Support) if com.core.contains(&home) => support += 1,
            Some(MoveKind::Learning) if com.members.contains(&home) => learning += 1,
            _ => {}
        }
    }
    (support, learning)
}

/// The new learner of `com` whose return home is surest to cost less than
/// `weights.violation` (the contract above), with the most it may cost, if any.
fn surest_drop(
    ds: &Dataset,
    facts: &[TeacherFacts],
    needs: &Needs,
    com: &Community,
    placement: &[Placement],
) -> Option<(f64, TeacherIx)> {
    let w = &ds.policy.weights;
    let learners = |s: SchoolIx, cycle: bool| {
        ds.teacher_ixs()
            .filter(|&t| ds.teacher(t).home == s && (!cycle || facts[t.ix()].cycle_pending))
            .filter(|&t| {
                let p = placement[t.ix()];
                p != Placement::Home
                    && ds.move_kind_from(s, p.school(s)) == Some(MoveKind::Learning)
            })
            .count() as u32
    };
    let mut best: Option<(f64, TeacherIx)> = None;
    for t in ds.teacher_ixs() {
        let (te, f) = (ds.teacher(t), &facts[t.ix()]);
        let Placement::New(host, MoveKind::Learning) = placement[t.ix()] else {
            continue;
        };
        let m = te.home;
        let keeps =
            |need: Option<&u32>, cycle: bool| need.is_none_or(|&need| learners(m, cycle) > need);
        if !com.members.contains(&m)
            || ds.pinned(t).move_to.is_some()
            || !keeps(needs.learning.get(&m), false)
            || (f.cycle_pending && !keeps(needs.cycle.get(&m), true))
            || asked_for(ds, t, host)
        {
            continue;
        }
        let dearest = (ds.qualified(t).map(|k| ds.unmet_mult(host, k))).fold(0.0, f64::max);
        let bonuses = -ds.move_cost(t, f, host, MoveKind::Learning).unwrap_or(0.0);
        let change = ds.change_cost(t, m) - ds.change_cost(t, host);
        let most = ds.capacity(t) as f64 * dearest * w.unmet + bonuses.max(0.0) + change.max(0.0);
        if most < w.violation && best.is_none_or(|b| most < b.0 - 1e-9) {
            best = Some((most, t));
        }
    }
    best
}

/// Whether `host` asked for teachers that `t` counts towards (rule 13).
pub(super) fn asked_for(ds: &Dataset, t: TeacherIx, host: SchoolIx) -> bool {
    let te = ds.teacher(t);
    ds.requests.iter().any(|r| {
        r.school == host
            && match r.kind {
                RequestKind::Teacher(k) => k == te.subject,
                RequestKind::Cadre => te.role.is_cadre(),
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DatasetBuilder, Mode, SchoolKind, Share, Stages, TeacherSpec};

    /// Core A (four 语文 teachers) and member B (young 语文 teachers L0, L1) in a community
    /// that counts equal numbers each way; `tune` sets the rest of the policy.
    fn county(tune: impl FnOnce(&mut DatasetBuilder)) -> Dataset {
        let mut b = DatasetBuilder::new()
            .school("A", SchoolKind::Urban, Stages::PRIMARY, Some("C"))
            .school("B", SchoolKind::Rural, Stages::PRIMARY, Some("C"))
            .community("C", Mode::Tight, &["A"])
            .distance("A", "B", 10.0, 15.0)
            .demand("A", "语文", 60)
            .demand("B", "语文", 30);
        for id in ["A0", "A1", "A2", "A3"] {
            b = b.teacher(TeacherSpec::new(id, "A", "语文"));
        }
        for id in ["L0", "L1"] {
            b = b.teacher(TeacherSpec::new(id, "B", "语文"));
        }
        b.policy_mut().rotation.reciprocal.tight = true;
        tune(&mut b);
        b.build()
    }

    fn teacher(ds: &Dataset, id: &str) -> TeacherIx {
        ds.teacher_ixs().find(|&t| ds.teacher(t).id == id).unwrap()
    }

    fn school(ds: &Dataset, id: &str) -> SchoolIx {
        ds.school_ixs().find(|&s| ds.school(s).id == id).unwrap()
    }

    /// `learners` of B sent to learn at A, `support` of A sent to B.
    fn plan(ds: &Dataset, learners: &[&str], support: &[&str]) -> Plan {
        let mut placement = vec![Placement::Home; ds.teachers.len()];
        for id in learners {
            placement[teacher(ds, id).ix()] = Placement::New(school(ds, "A"), MoveKind::Learning);
        }
        for id in support {
            placement[teacher(ds, id).ix()] = Placement::New(school(ds, "B"), MoveKind::Support);
        }
        (placement, vec![Vec::new(); ds.teachers.len()])
    }

    #[test]
    fn learners_over_the_support_teachers_stay_home() {
        let ds = county(|_| {});
        let mut p = plan(&ds, &["L0", "L1"], &["A0"]);
        assert!(reciprocal(&ds, &mut p));
        assert_eq!(p, plan(&ds, &["L1"], &["A0"]));
        assert!(!learning_over(&ds, &ds.communities[0], &p.0));
    }

    #[test]
    fn a_learner_the_learning_share_needs_goes() {
        // B must send ⌈0.5 · 2⌉ = 1 learner: one of the two may stay, not both.
        let ds = county(|b| {
            b.policy_mut().rotation.learning_min_share = Share::from_f64(0.5).unwrap();
        });
        let mut p = plan(&ds, &["L0", "L1"], &[]);
        assert!(reciprocal(&ds, &mut p));
        assert_eq!(p, plan(&ds, &["L1"], &[]));
    }

    #[test]
    fn no_learner_stays_home_where_it_may_cost_more_than_the_shortfall() {
        // 16 periods at 1,000 each may be lost at A: more than a shortfall at 10,000.
        let ds = county(|b| b.policy_mut().weights.violation = 10_000.0);
        let mut p = plan(&ds, &["L0"], &[]);
        let before = p.clone();
        assert!(!reciprocal(&ds, &mut p));
        assert_eq!(p, before);
    }

    #[test]
    fn a_learner_the_host_asked_for_and_fewer_learners_are_left_to_the_search() {
        let asked = county(|_| {});
        let asked = {
            let mut ds = asked;
            ds.requests.push(crate::domain::Request {
                school: school(&ds, "A"),
                kind: RequestKind::Teacher(ds.teacher(teacher(&ds, "L0")).subject),
                count: 1,
                note: String::new(),
            });
            ds
        };
        let mut p = plan(&asked, &["L0"], &[]);
        assert!(!reciprocal(&asked, &mut p));
        let ds = county(|_| {});
        let mut p = plan(&ds, &["L0"], &["A0", "A1"]);
        assert!(!reciprocal(&ds, &mut p));
        assert_eq!(p, plan(&ds, &["L0"], &["A0", "A1"]));
    }
}
