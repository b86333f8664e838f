//! The construction's repairs of rules that count across moves: equal numbers each way
//! (rule 9), the county's backbone share (rule 8), members no worse off (rule 12).

use std::collections::{BTreeMap, BTreeSet};

use super::learners::cycle_held;
use super::quotas::backfill;
use super::state::State;
use crate::domain::{
    Community, MoveKind, Placement, ReciprocalCounts, SchoolIx, SubjectIx, TeacherIx,
};

const EPS: f64 = 1e-9;

/// Support and learning movers of a community as rule 9 counts them.
fn sides(st: &State, com: &Community) -> (u32, u32) {
    match st.ds.policy.rotation.reciprocal_counts {
        ReciprocalCounts::New => (
            com.core
                .iter()
                .map(|&c| st.new_movers(c, MoveKind::Support).len() as u32)
                .sum(),
            com.members
                .iter()
                .map(|&m| st.new_movers(m, MoveKind::Learning).len() as u32)
                .sum(),
        ),
        ReciprocalCounts::Serving => (
            com.core.iter().map(|&c| st.support_from[c.ix()]).sum(),
            com.members.iter().map(|&m| st.learning_from[m.ix()]).sum(),
        ),
    }
}

/// Rule 9: in each community that asks for it, as many learners as support teachers. More
/// support: a learner its member can spare, else a support teacher the rules do not need
/// comes home. More learners: a support teacher where they help most.
pub(super) fn reciprocal(st: &mut State, before: &[f64]) {
    let ds = st.ds;
    for com in &ds.communities {
        if !ds.policy.rotation.reciprocal.get(com.mode) {
            continue;
        }
        let mut tried: BTreeSet<TeacherIx> = BTreeSet::new();
        loop {
            let (support, learning) = sides(st, com);
            let done = if support > learning {
                add_learner(st, com, before, &mut tried)
                    || drop_mover(st, com, MoveKind::Support, before)
            } else if learning > support {
                add_supporter(st, com) || drop_mover(st, com, MoveKind::Learning, before)
            } else {
                break;
            };
            if !done {
                break;
            }
        }
    }
}

/// A learner from a member of `com` whose school stays no worse off.
fn add_learner(
    st: &mut State,
    com: &Community,
    before: &[f64],
    tried: &mut BTreeSet<TeacherIx>,
) -> bool {
    let ds = st.ds;
    let mut cands: Vec<(u32, TeacherIx, SchoolIx)> = com
        .members
        .iter()
        .flat_map(|&m| st.staff[m.ix()].iter().copied())
        .filter(|t| !tried.contains(t))
        .filter_map(|t| {
            let &(core, _) = st.moves[t.ix()]
                .iter()
                .filter(|mv| mv.1 == MoveKind::Learning && st.may_move(t, mv.0, mv.1))
                .max_by_key(|mv| (st.could_cover(t, mv.0), std::cmp::Reverse(mv.0)))?;
            Some((st.loss(t), t, core))
        })
        .collect();
    cands.sort_by_key(|&(loss, t, _)| (loss, ds.teacher(t).id.clone()));
    for (_, t, core) in cands.into_iter().take(4) {
        tried.insert(t);
        let m = ds.teacher(t).home;
        st.move_to(t, core, MoveKind::Learning);
        if st.unmet_at(m) <= before[m.ix()] + EPS {
            return true;
        }
        st.undo_move(t);
    }
    false
}

/// A support teacher of a core of `com` where they cover most against what the core loses.
fn add_supporter(st: &mut State, com: &Community) -> bool {
    let ds = st.ds;
    let pick = com
        .core
        .iter()
        .flat_map(|&c| st.staff[c.ix()].iter().copied())
        .filter_map(|t| best_support(st, t))
        .max_by_key(|&(t, _, net)| (net, std::cmp::Reverse(ds.teacher(t).id.clone())));
    let Some((t, s, _)) = pick else { return false };
    st.move_to(t, s, MoveKind::Support);
    true
}

/// Brings home a new mover of `kind` from `com` whose school is above its quota (and
/// whom no request holds), the one whose return costs least.
fn drop_mover(st: &mut State, com: &Community, kind: MoveKind, before: &[f64]) -> bool {
    let ds = st.ds;
    let n = ds.headcounts(&st.facts);
    let homes: Vec<SchoolIx> = match kind {
        MoveKind::Support => com.core.clone(),
        MoveKind::Learning => com.members.clone(),
    };
    let above = |st: &State, h: SchoolIx| match kind {
        MoveKind::Support => ds
            .core_requirements(&n)
            .iter()
            .find(|r| r.school == h)
            .is_none_or(|r| st.support_from[h.ix()] > r.core_share.max(r.due_share)),
        MoveKind::Learning => ds
            .learning_requirements(&n)
            .iter()
            .find(|r| r.0 == h)
            .is_none_or(|r| st.learning_from[h.ix()] > r.1),
    };
    let requested = |st: &State, t: TeacherIx| {
        let host = st.place(t);
        ds.requests.iter().any(|r| r.school == host)
    };
    let mut best: Option<(f64, TeacherIx)> = None;
    let homes: Vec<SchoolIx> = homes.into_iter().filter(|&h| above(st, h)).collect();
    for h in homes {
        for t in st.new_movers(h, kind) {
            if requested(st, t) || cycle_held(st, t) {
                continue;
            }
            let host = st.place(t);
            let total = |st: &State| st.unmet_at(h) + st.unmet_at(host);
            let was = total(st);
            st.undo_move(t);
            let cost = total(st) - was;
            // A support teacher a member relies on stays (rule 12).
            let harms = kind == MoveKind::Support && st.unmet_at(host) > before[host.ix()] + EPS;
            st.move_to(t, host, kind);
            if !harms && best.is_none_or(|b| cost < b.0 - EPS) {
                best = Some((cost, t));
            }
        }
    }
    let Some((_, t)) = best else { return false };
    st.undo_move(t);
    true
}

/// Rule 8: while backbone teachers are under their share of the county's support movers,
/// a non-backbone support mover hands over to a backbone colleague of the same school who
/// may go to the same host, the swap that costs least; failing that, one more backbone
/// support mover.
pub(super) fn backbone(st: &mut State, before: &[f64]) {
    let share = st.ds.policy.rotation.backbone_min_share.as_f64();
    if share <= 0.0 {
        return;
    }
    let short = |st: &State| {
        let (all, bb) = st.backbone_counts();
        (bb as f64 + EPS) < share * all as f64
    };
    while short(st) {
        let mut swaps = Swaps::tried(st, before);
        while short(st) && swaps.apply_best(st, before) {}
        if short(st) && !add_backbone(st) {
            return;
        }
    }
}

/// Every swap of a non-backbone support mover t (home h, host s) for a backbone colleague
/// b at home, in teacher then staff order, with what it costs at h and s and whether it
/// leaves s worse off than `before`. A swap changes only its two schools, so after one is
/// made only the swaps at those schools are tried again (enshi M seed 5: 19 s when every
/// swap was tried again after each).
struct Swaps(Vec<Swap>);

struct Swap {
    t: TeacherIx,
    b: TeacherIx,
    h: SchoolIx,
    s: SchoolIx,
    cost: f64,
    harms: bool,
}

impl Swaps {
    fn tried(st: &mut State, before: &[f64]) -> Swaps {
        let ds = st.ds;
        let mut out = Vec::new();
        for t in ds.teacher_ixs() {
            let Placement::New(s, MoveKind::Support) = st.placement[t.ix()] else {
                continue;
            };
            if ds.teacher(t).backbone {
                continue;
            }
            let h = ds.teacher(t).home;
            let colleagues: Vec<TeacherIx> = st.staff[h.ix()]
                .iter()
                .copied()
                .filter(|&b| {
                    ds.teacher(b).backbone
                        && st.free_at_home(b)
                        && st.moves[b.ix()].contains(&(s, MoveKind::Support))
                })
                .collect();
            let mut tries = Tries::default();
            for b in colleagues {
                let (cost, harms) = tries.get(st, t, b, before);
                out.push(Swap {
                    t,
                    b,
                    h,
                    s,
                    cost,
                    harms,
                });
            }
        }
        Swaps(out)
    }

    /// Makes the cheapest swap that harms no member (the first of equal ones); false when
    /// there is none.
    fn apply_best(&mut self, st: &mut State, before: &[f64]) -> bool {
        let mut best: Option<usize> = None;
        for (i, w) in self.0.iter().enumerate() {
            if !w.harms && best.is_none_or(|j| w.cost < self.0[j].cost - EPS) {
                best = Some(i);
            }
        }
        let Some(i) = best else { return false };
        let (t, b, h, s) = (self.0[i].t, self.0[i].b, self.0[i].h, self.0[i].s);
        st.undo_move(t);
        st.move_to(b, s, MoveKind::Support);
        // t is home and b has gone: neither swaps again; the rest at h or s are tried anew.
        self.0.retain(|w| w.t != t && w.b != b);
        let mut tries = Tries::default();
        for w in self.0.iter_mut() {
            if [w.h, w.s].iter().any(|x| *x == h || *x == s) {
                (w.cost, w.harms) = tries.get(st, w.t, w.b, before);
            }
        }
        true
    }
}

/// Swap tries in one state of the plan. A colleague enters a try only through their
/// capacity and subjects (they teach nothing on trips), so colleagues alike cost alike
/// and are tried once (the cores' many 语文 teachers).
#[derive(Default)]
struct Tries(BTreeMap<(TeacherIx, u32, Vec<SubjectIx>), (f64, bool)>);

impl Tries {
    fn get(&mut self, st: &mut State, t: TeacherIx, b: TeacherIx, before: &[f64]) -> (f64, bool) {
        let ds = st.ds;
        let key = (t, ds.capacity(b), ds.qualified(b).collect());
        *self
            .0
            .entry(key)
            .or_insert_with(|| try_swap(st, t, b, before))
    }
}

/// What swapping support mover `t` for colleague `b` costs at their home and host, and
/// whether the host is then worse off than `before`; the plan is left as it was.
fn try_swap(st: &mut State, t: TeacherIx, b: TeacherIx, before: &[f64]) -> (f64, bool) {
    let (h, s) = (st.ds.teacher(t).home, st.place(t));
    let total = |st: &State| st.unmet_at(h) + st.unmet_at(s);
    let was = total(st);
    st.undo_move(t);
    st.move_to(b, s, MoveKind::Support);
    let cost = total(st) - was;
    let harms = st.unmet_at(s) > before[s.ix()] + EPS;
    st.undo_move(b);
    st.move_to(t, s, MoveKind::Support);
    (cost, harms)
}

fn add_backbone(st: &mut State) -> bool {
    let ds = st.ds;
    let pick = ds
        .teacher_ixs()
        .filter(|&t| ds.teacher(t).backbone)
        .filter_map(|t| best_support(st, t))
        .max_by_key(|&(t, _, net)| (net, std::cmp::Reverse(t)));
    let Some((t, s, _)) = pick else { return false };
    st.move_to(t, s, MoveKind::Support);
    true
}

/// Rule 12: a member left worse off than before any move gets a core teacher to take
/// over (when its community's numbers each way allow one more support teacher), or sends
/// another learner in place of the one it cannot spare, or (above its quota) keeps them.
pub(super) fn members(st: &mut State, before: &[f64]) {
    let ds = st.ds;
    for com in &ds.communities {
        for &m in &com.members {
            if st.unmet_at(m) <= before[m.ix()] + EPS {
                continue;
            }
            let reciprocal = ds.policy.rotation.reciprocal.get(com.mode);
            let (support, learning) = sides(st, com);
            if (!reciprocal || support < learning) && backfill(st, m, before) {
                continue;
            }
            replace_learners(st, com, m, before);
            if reciprocal && st.unmet_at(m) > before[m.ix()] + EPS {
                backfill_paired(st, com, m, before);
            }
        }
    }
}

/// In a community with equal numbers each way: a core teacher to take over at `m`, and
/// with them a learner some member can spare, so the numbers stay equal; or neither.
fn backfill_paired(st: &mut State, com: &Community, m: SchoolIx, before: &[f64]) {
    let snapshot: Vec<TeacherIx> = com
        .core
        .iter()
        .flat_map(|&c| st.new_movers(c, MoveKind::Support))
        .collect();
    if !backfill(st, m, before) {
        return;
    }
    if !add_learner(st, com, before, &mut BTreeSet::new()) {
        // Take the new support teacher back: the numbers each way come first.
        let added: Vec<TeacherIx> = com
            .core
            .iter()
            .flat_map(|&c| st.new_movers(c, MoveKind::Support))
            .filter(|t| !snapshot.contains(t))
            .collect();
        for t in added {
            st.undo_move(t);
        }
    }
}

/// Each learner of `m` whose going leaves `m` worse off is replaced by a learner some
/// member of `com` can spare (to the same core), or brought home when `m` is above its
/// learning quota and its community does not count numbers each way.
fn replace_learners(st: &mut State, com: &Community, m: SchoolIx, before: &[f64]) {
    let ds = st.ds;
    let n = ds.headcounts(&st.facts);
    let need = ds
        .learning_requirements(&n)
        .into_iter()
        .find(|r| r.0 == m)
        .map_or(0, |r| r.1);
    for q in st.new_movers(m, MoveKind::Learning) {
        if st.unmet_at(m) <= before[m.ix()] + EPS {
            return;
        }
        if cycle_held(st, q) {
            continue; // the cycle's share holds q at the core
        }
        let core = st.place(q);
        st.undo_move(q);
        let reciprocal = ds.school(m).community.is_some_and(|c| {
            ds.policy
                .rotation
                .reciprocal
                .get(ds.communities[c.ix()].mode)
        });
        if st.learning_from[m.ix()] >= need && !reciprocal {
            continue; // above its quota: q stays home
        }
        // Same school first (its quota), then the community's other members.
        let mut others: Vec<TeacherIx> = com
            .members
            .iter()
            .flat_map(|&x| st.staff[x.ix()].iter().copied())
            .filter(|&o| o != q && st.may_move(o, core, MoveKind::Learning))
            .collect();
        others.sort_by_key(|&o| {
            (
                ds.teacher(o).home != m,
                st.loss(o),
                ds.teacher(o).id.clone(),
            )
        });
        let mut replaced = false;
        for o in others.into_iter().take(4) {
            let home = ds.teacher(o).home;
            st.move_to(o, core, MoveKind::Learning);
            if st.unmet_at(home) <= before[home.ix()] + EPS
                && st.unmet_at(m) <= before[m.ix()] + EPS
            {
                replaced = true;
                break;
            }
            st.undo_move(o);
        }
        if !replaced {
            st.move_to(q, core, MoveKind::Learning);
        }
    }
}

/// `t`'s support move that covers most at its host net of what it leaves at home (ties to
/// the lower school index), with that net.
fn best_support(st: &State, t: TeacherIx) -> Option<(TeacherIx, SchoolIx, i64)> {
    st.moves[t.ix()]
        .iter()
        .filter(|mv| mv.1 == MoveKind::Support && st.may_move(t, mv.0, mv.1))
        .map(|mv| (t, mv.0, st.could_cover(t, mv.0) as i64 - st.loss(t) as i64))
        .max_by_key(|x| (x.2, std::cmp::Reverse(x.1)))
}
