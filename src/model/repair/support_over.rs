//! Equal numbers each way (rule 9, 西吉 2022 对等数量交流) mended where a community sends
//! more support teachers than it takes learners, once the plan's periods are known (the
//! period LP's): on a variant of the shared mixed-county RENS's first stage ended with the
//! minute and three communities one support teacher over (4 and 3, 3 and 2, 6 and 5), 300 k
//! of `weights.violation` (docs/benchmarks.md, thirty-fifth session). Either change takes
//! periods from a member, which rule 12 prices per period: only the periods tell how many.
//!
//! Contract: while a community that counts equal numbers has more support teachers than
//! learners, the cheaper of two changes is made where it is sure to cost less than the
//! shortfall it mends: a new support teacher stays at their core, or a member teacher at
//! home goes to learn at a core. Each takes from one member at most the periods the
//! teacher taught there (the support teacher's at the member, the learner's at home): the
//! change is made only where those periods, weighted, fit in what rule 12 leaves that
//! member (B(s) less its weighted unmet, less what earlier changes took), and where they
//! cost, at `weights.unmet`, with the move's own cost (the one dropped, or the one made)
//! and a change from a kept plan, less than `weights.violation`. A support teacher stays
//! only where the move is not pinned, the core still meets rules 5 and 6 without them, the
//! backbone share (rule 8) does not fall under its minimum, and no request of the member
//! counts them (rule 13); a learner goes only on a move allowed them (age, experience,
//! willingness, pins, the community), with no trip, within the member's outflow cap and
//! the core's housing. The caller solves the periods again after a change.

use std::collections::BTreeMap;

use super::backbone::counts;
use super::reciprocal::{asked_for, sides};
use super::Plan;
use crate::domain::{
    Community, Dataset, Headcounts, MoveKind, Placement, SchoolIx, SubjectIx, TeacherFacts,
    TeacherIx,
};
use crate::model::Periods;

/// Mends rule 9 where support teachers are over, from the plan's `periods`; true when it
/// changed anything.
pub(in crate::model) fn support_over(ds: &Dataset, plan: &mut Plan, periods: &[Periods]) -> bool {
    let facts = ds.teacher_facts();
    let mut taught = Taught::of(ds, &facts, periods);
    let mut changed = false;
    for com in &ds.communities {
        if !ds.policy.rotation.reciprocal.get(com.mode) {
            continue;
        }
        loop {
            let (support, learning) = sides(ds, com, &plan.0);
            if support <= learning {
                break;
            }
            let Some(change) = taught.cheapest(ds, &facts, com, plan) else {
                break;
            };
            taught.take(&change);
            plan.0[change.teacher.ix()] = change.to;
            let cost = change.cost;
            super::trace(
                ds,
                "equal numbers (support over)",
                change.teacher,
                change.to,
                cost,
            );
            changed = true;
        }
    }
    changed
}

/// One teacher's new place, and the weighted periods a member may lose by it.
struct Change {
    teacher: TeacherIx,
    to: Placement,
    member: SchoolIx,
    lost: f64,
    cost: f64,
}

/// What the plan teaches, and what rule 12 leaves each member.
struct Taught {
    /// The periods each teacher teaches, by school and subject.
    periods: BTreeMap<TeacherIx, Vec<(SchoolIx, SubjectIx, u32)>>,
    /// Periods taught of each demand row, less what earlier changes took.
    cover: BTreeMap<(SchoolIx, SubjectIx), u32>,
    /// B(s) less the member's weighted unmet (and what earlier changes took); infinite
    /// where rule 12 does not hold.
    room: Vec<f64>,
    n: Headcounts,
}

impl Taught {
    fn of(ds: &Dataset, facts: &[TeacherFacts], periods: &[Periods]) -> Taught {
        let mut by_teacher: BTreeMap<TeacherIx, Vec<_>> = BTreeMap::new();
        let mut cover: BTreeMap<(SchoolIx, SubjectIx), u32> = BTreeMap::new();
        for &(t, s, k, p) in periods {
            by_teacher.entry(t).or_default().push((s, k, p));
            *cover.entry((s, k)).or_default() += p;
        }
        let mut room = vec![f64::INFINITY; ds.schools.len()];
        if ds.policy.rotation.protect_members {
            let alone = ds.unmet_alone(facts);
            for &m in ds.communities.iter().flat_map(|c| &c.members) {
                room[m.ix()] = alone[m.ix()];
            }
            for d in &ds.demand {
                let taught = cover.get(&(d.school, d.subject)).copied().unwrap_or(0);
                let short = d.periods.saturating_sub(taught);
                room[d.school.ix()] -= short as f64 * ds.unmet_mult(d.school, d.subject);
            }
        }
        Taught {
            periods: by_teacher,
            cover,
            room,
            n: ds.headcounts(facts),
        }
    }

    /// The weighted periods `s` is left short by when `t` teaches nothing there and
    /// everyone else as before (the period LP, solved again, does no worse).
    fn lost(&self, ds: &Dataset, t: TeacherIx, s: SchoolIx) -> f64 {
        let at_s = self.periods.get(&t).into_iter().flatten();
        at_s.filter(|&&(at, _, _)| at == s)
            .map(|&(_, k, p)| {
                let need = ds.demand_of(s, k);
                let taught = self.cover.get(&(s, k)).copied().unwrap_or(0);
                let short = |cover: u32| need.saturating_sub(cover) as f64;
                (short(taught.saturating_sub(p)) - short(taught)) * ds.unmet_mult(s, k)
            })
            .sum()
    }

    /// What `t` leaves `s` short by, if it fits in what rule 12 leaves `s`.
    fn fits(&self, ds: &Dataset, t: TeacherIx, s: SchoolIx) -> Option<f64> {
        let lost = self.lost(ds, t, s);
        (lost <= self.room[s.ix()] + 1e-6).then_some(lost)
    }

    /// `change` made: what its teacher taught at its member is taken from there.
    fn take(&mut self, change: &Change) {
        self.room[change.member.ix()] -= change.lost;
        let at_member = self.periods.get(&change.teacher).into_iter().flatten();
        for &(s, k, p) in at_member.filter(|&&(s, _, _)| s == change.member) {
            if let Some(c) = self.cover.get_mut(&(s, k)) {
                *c = c.saturating_sub(p);
            }
        }
    }

    /// The cheapest sure change in `com` (the contract above), if any.
    fn cheapest(
        &self,
        ds: &Dataset,
        facts: &[TeacherFacts],
        com: &Community,
        plan: &Plan,
    ) -> Option<Change> {
        let w = &ds.policy.weights;
        let stays = com
            .core
            .iter()
            .flat_map(|&c| self.stays(ds, facts, c, plan));
        let learns = com
            .members
            .iter()
            .flat_map(|&m| self.learns(ds, facts, m, plan));
        stays
            .chain(learns)
            .map(|mut ch| {
                ch.cost += ch.lost * w.unmet;
                ch
            })
            .filter(|ch| ch.cost < w.violation)
            .fold(None, |best: Option<Change>, ch| match best {
                Some(b) if b.cost <= ch.cost + 1e-9 => Some(b),
                _ => Some(ch),
            })
    }

    /// Core `c`'s new support teachers who may stay home (their cost: the move's own,
    /// taken back, and a change from a kept plan).
    fn stays(&self, ds: &Dataset, facts: &[TeacherFacts], c: SchoolIx, plan: &Plan) -> Vec<Change> {
        let serving = ds
            .teacher_ixs()
            .filter(|&t| ds.teacher(t).home == c && plan.0[t.ix()] != Placement::Home)
            .filter(|&t| ds.move_kind_from(c, plan.0[t.ix()].school(c)) == Some(MoveKind::Support))
            .count() as u32;
        let need = (ds.core_requirements(&self.n).into_iter())
            .filter(|r| r.school == c)
            .map(|r| r.core_share.max(r.due_share))
            .max()
            .unwrap_or(0);
        if serving <= need {
            return Vec::new();
        }
        let share = ds.policy.rotation.backbone_min_share.as_f64();
        let (all, bb) = counts(ds, &plan.0);
        let backbone_holds = (bb as f64 - 1.0) + 1e-9 >= share * (all as f64 - 1.0);
        let mut out = Vec::new();
        for t in ds.teacher_ixs().filter(|&t| ds.teacher(t).home == c) {
            let Placement::New(m, MoveKind::Support) = plan.0[t.ix()] else {
                continue;
            };
            if ds.pinned(t).move_to.is_some()
                || (share > 0.0 && ds.teacher(t).backbone && !backbone_holds)
                || asked_for(ds, t, m)
            {
                continue;
            }
            let Some(lost) = self.fits(ds, t, m) else {
                continue;
            };
            let moved = ds.move_cost(t, &facts[t.ix()], m, MoveKind::Support);
            let cost = -moved.unwrap_or(0.0) + ds.change_cost(t, c) - ds.change_cost(t, m);
            out.push(Change {
                teacher: t,
                to: Placement::Home,
                member: m,
                lost,
                cost,
            });
        }
        out
    }

    /// Member `m`'s teachers at home, on no trip, who may go to learn at a core within
    /// the outflow cap and the core's housing (their cost: the move's, and a change from
    /// a kept plan).
    fn learns(
        &self,
        ds: &Dataset,
        facts: &[TeacherFacts],
        m: SchoolIx,
        plan: &Plan,
    ) -> Vec<Change> {
        let (mut away, mut incoming) = (0u32, vec![0u32; ds.schools.len()]);
        for t in ds.teacher_ixs() {
            let h = ds.teacher(t).home;
            if let p @ (Placement::New(..) | Placement::Extended(_) | Placement::Continuing(_)) =
                plan.0[t.ix()]
            {
                away += (h == m) as u32;
                incoming[p.school(h).ix()] += 1;
            }
        }
        let cap = (ds.policy.rotation.max_outflow_share).floor_of(self.n.teachers[m.ix()]);
        if away >= cap {
            return Vec::new();
        }
        let mut out = Vec::new();
        for t in ds.teacher_ixs().filter(|&t| ds.teacher(t).home == m) {
            if plan.0[t.ix()] != Placement::Home || !plan.1[t.ix()].is_empty() {
                continue;
            }
            let Some(lost) = self.fits(ds, t, m) else {
                continue;
            };
            for (c, kind) in ds.allowed_moves(t, &facts[t.ix()]) {
                let housed = (ds.school(c).housing).is_none_or(|h| incoming[c.ix()] < h);
                let Some(moved) = ds.move_cost(t, &facts[t.ix()], c, kind) else {
                    continue;
                };
                if kind == MoveKind::Learning && housed {
                    out.push(Change {
                        teacher: t,
                        to: Placement::New(c, MoveKind::Learning),
                        member: m,
                        lost,
                        cost: moved + ds.change_cost(t, c) - ds.change_cost(t, m),
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DatasetBuilder, Mode, SchoolKind, Share, Stages, TeacherSpec};

    /// Core A (语文 teachers A0-A3, 40 periods to teach) and member B (语文 teachers L0,
    /// L1, `at_b` periods) in a community that counts equal numbers each way; `tune` sets
    /// the rest of the policy.
    fn county(at_b: u32, tune: impl FnOnce(&mut DatasetBuilder)) -> Dataset {
        let mut b = DatasetBuilder::new()
            .school("A", SchoolKind::Urban, Stages::PRIMARY, Some("C"))
            .school("B", SchoolKind::Rural, Stages::PRIMARY, Some("C"))
            .community("C", Mode::Tight, &["A"])
            .distance("A", "B", 10.0, 15.0)
            .demand("A", "语文", 40)
            .demand("B", "语文", at_b);
        for (id, home) in [("A0", "A"), ("A1", "A"), ("A2", "A"), ("A3", "A")] {
            b = b.teacher(TeacherSpec::new(id, home, "语文"));
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

    /// `learners` at A, `support` at B; `periods` (teacher, school, 语文 periods).
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

    fn periods(ds: &Dataset, taught: &[(&str, &str, u32)]) -> Vec<Periods> {
        let k = ds.teacher(teacher(ds, "A0")).subject;
        (taught.iter())
            .map(|&(t, s, p)| (teacher(ds, t), school(ds, s), k, p))
            .collect()
    }

    #[test]
    fn the_support_teacher_the_member_can_spare_stays_home() {
        // B teaches its 32 periods alone (B(s) = 0); with L0 learning, A0 teaches 16 of
        // them, A1 none: A0 going home would leave B worse off, A1 may.
        let ds = county(32, |_| {});
        let mut p = plan(&ds, &["L0"], &["A0", "A1"]);
        let taught = [
            ("L1", "B", 16),
            ("A0", "B", 16),
            ("A2", "A", 16),
            ("A3", "A", 16),
        ];
        assert!(support_over(&ds, &mut p, &periods(&ds, &taught)));
        assert_eq!(p, plan(&ds, &["L0"], &["A0"]));
    }

    #[test]
    fn where_the_core_must_keep_its_support_a_member_teacher_goes_to_learn() {
        // A must send ⌈0.5 · 4⌉ = 2; B alone is 16 short of 48, and with A0 teaching 16
        // there it has room for one learner, not two.
        let ds = county(48, |b| {
            let rot = &mut b.policy_mut().rotation;
            rot.core_min_share.tight = Share::from_f64(0.5).unwrap();
            rot.max_outflow_share = Share::from_f64(1.0).unwrap();
        });
        let mut p = plan(&ds, &[], &["A0", "A1"]);
        let taught = [
            ("L0", "B", 16),
            ("L1", "B", 16),
            ("A0", "B", 16),
            ("A2", "A", 16),
        ];
        assert!(support_over(&ds, &mut p, &periods(&ds, &taught)));
        assert_eq!(p, plan(&ds, &["L0"], &["A0", "A1"]));
    }

    #[test]
    fn nothing_changes_where_it_may_cost_more_than_the_shortfall() {
        // L0's 16 periods at 1,000 each against a shortfall at 10,000.
        let ds = county(48, |b| {
            let pol = b.policy_mut();
            pol.rotation.core_min_share.tight = Share::from_f64(0.5).unwrap();
            pol.rotation.max_outflow_share = Share::from_f64(1.0).unwrap();
            pol.weights.violation = 10_000.0;
        });
        let mut p = plan(&ds, &[], &["A0", "A1"]);
        let before = p.clone();
        let taught = [
            ("L0", "B", 16),
            ("L1", "B", 16),
            ("A0", "B", 16),
            ("A2", "A", 16),
        ];
        assert!(!support_over(&ds, &mut p, &periods(&ds, &taught)));
        assert_eq!(p, before);
    }
}
