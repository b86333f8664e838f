//! The construction's moves that rules ask for (requests, the cores' and the members'
//! quotas) and the ones that pay (the largest shortages).

use std::collections::{BTreeMap, BTreeSet};

use super::state::State;
use crate::domain::{
    LedgerState, MoveKind, Placement, RequestKind, SchoolIx, SubjectIx, TeacherIx,
};

/// Slack when comparing weighted unmet periods.
const EPS: f64 = 1e-9;

/// Rule 13: each request by teachers of its subject (or cadres) who may move there, those
/// whose home loses least first, then the nearest.
pub(super) fn requests(st: &mut State) {
    let ds = st.ds;
    for r in &ds.requests {
        let fits = |t: TeacherIx| match r.kind {
            RequestKind::Teacher(k) => ds.teacher(t).subject == k,
            RequestKind::Cadre => ds.teacher(t).role.is_cadre(),
        };
        let served = |st: &State| {
            st.here[r.school.ix()]
                .iter()
                .filter(|&&t| ds.teacher(t).home != r.school && fits(t))
                .count() as u32
        };
        while served(st) < r.count {
            let pick = ds
                .teacher_ixs()
                .filter(|&t| fits(t))
                .filter_map(|t| {
                    let kind = ds.move_kind_from(ds.teacher(t).home, r.school)?;
                    st.may_move(t, r.school, kind).then_some((t, kind))
                })
                .min_by(|a, b| {
                    let key = |&(t, _): &(TeacherIx, MoveKind)| {
                        (st.loss(t), st.km(ds.teacher(t).home, r.school))
                    };
                    let (ka, kb) = (key(a), key(b));
                    ka.0.cmp(&kb.0)
                        .then(ka.1.total_cmp(&kb.1))
                        .then(a.0.cmp(&b.0))
                });
            let Some((t, kind)) = pick else { break };
            st.move_to(t, r.school, kind);
        }
    }
}

/// The member a support mover helps most: the one where they cover most.
fn best_host(st: &State, t: TeacherIx, kind: MoveKind) -> Option<(SchoolIx, u32)> {
    st.moves[t.ix()]
        .iter()
        .filter(|m| m.1 == kind && st.may_host(m.0))
        .map(|m| (m.0, st.could_cover(t, m.0)))
        .max_by_key(|&(s, got)| (got, std::cmp::Reverse(s)))
}

/// Rules 5 and 6: each core sends its quota, the teachers who gain most where they go
/// against what their school loses first (backbone ones while rule 8 is short, then the
/// longest-serving).
pub(super) fn cores(st: &mut State) {
    let ds = st.ds;
    let n = ds.headcounts(&st.facts);
    for req in ds.core_requirements(&n) {
        let c = req.school;
        let need = req.core_share.max(req.due_share);
        while st.support_from[c.ix()] < need && st.may_send(c) {
            let want_backbone = st.backbone_short(false);
            let pick = st.staff[c.ix()]
                .iter()
                .copied()
                .filter(|&t| st.free_at_home(t))
                .filter_map(|t| Some((t, best_host(st, t, MoveKind::Support)?)))
                .min_by_key(|&(t, (_, got))| {
                    let te = ds.teacher(t);
                    (
                        st.loss(t) as i64 - got as i64,
                        !(want_backbone && te.backbone),
                        std::cmp::Reverse(ds.years_here(t)),
                        te.id.clone(),
                    )
                });
            let Some((t, (s, _))) = pick else { break };
            st.move_to(t, s, MoveKind::Support);
        }
    }
}

/// Rule 7: each member sends its learners, those it can spare first; a learner it cannot
/// spare goes only with core teachers' 走教 days making the member whole, or else a core
/// teacher coming the other way full time to take over (顶岗, rule 12).
/// ENDING learners are extended first where their school can spare them. Rule 14 (the
/// learning cycle) is met the same way, from the teachers still to 跟岗 in the cycle.
pub(super) fn learners(st: &mut State, before: &[f64]) {
    let ds = st.ds;
    extend_spared_learners(st, before);
    let n = ds.headcounts(&st.facts);
    for (m, need) in ds.learning_requirements(&n) {
        send_learners(st, m, need, before, false);
    }
    for req in ds.cycle_requirements(&n) {
        send_learners(st, req.school, req.need, before, true);
    }
}

/// Rule 14: teachers of member `m` still to 跟岗 in the cycle who serve at a core.
fn cycle_sent(st: &State, m: SchoolIx) -> u32 {
    let ds = st.ds;
    st.staff[m.ix()]
        .iter()
        .filter(|&&t| st.facts[t.ix()].cycle_pending)
        .filter(|&&t| {
            let host = st.place(t);
            host != m && ds.move_kind_from(m, host) == Some(MoveKind::Learning)
        })
        .count() as u32
}

/// Whether learner `t` is one the cycle rule holds at the core: still to 跟岗 in the
/// cycle, from a member that sends no more such learners than this year's share.
pub(super) fn cycle_held(st: &State, t: TeacherIx) -> bool {
    let ds = st.ds;
    let m = ds.teacher(t).home;
    if !st.facts[t.ix()].cycle_pending || ds.learning_cycle().is_none() {
        return false;
    }
    let n = ds.headcounts(&st.facts);
    let need = ds
        .cycle_requirements(&n)
        .into_iter()
        .find(|r| r.school == m)
        .map_or(0, |r| r.need);
    cycle_sent(st, m) <= need
}

/// Member `m` sends learners until `need` serve at a core (with `pending_only`, counting
/// only teachers still to 跟岗 in the cycle); those still to learn in the cycle first.
fn send_learners(st: &mut State, m: SchoolIx, need: u32, before: &[f64], pending_only: bool) {
    let ds = st.ds;
    let counts = |st: &State, t: TeacherIx| !pending_only || st.facts[t.ix()].cycle_pending;
    let sent = |st: &State| {
        if pending_only {
            cycle_sent(st, m)
        } else {
            st.learning_from[m.ix()]
        }
    };
    let mut tried: BTreeSet<TeacherIx> = BTreeSet::new();
    // Since the last learner sent: the least loss at which a teacher of these subjects
    // could not be backfilled. A colleague of the same subjects losing as much fails
    // alike, and trying each costs a backfill search (the `enshi` profile's L county:
    // its construction 3.6 s → 3.0 s, the same counts).
    let mut failed: BTreeMap<Vec<SubjectIx>, u32> = BTreeMap::new();
    let subjects = |t: TeacherIx| ds.qualified(t).collect::<Vec<_>>();
    while sent(st) < need && st.may_send(m) {
        let pick = st.staff[m.ix()]
            .iter()
            .copied()
            .filter(|&t| !tried.contains(&t) && counts(st, t))
            .filter(|&t| failed.get(&subjects(t)).is_none_or(|&l| st.loss(t) < l))
            // At home and not travelling: a member's teacher may already backfill
            // another member by 走教 (`trips::backfill_by_trips`).
            .filter(|&t| st.free_at_home(t))
            .filter_map(|t| Some((t, best_host(st, t, MoveKind::Learning)?)))
            .min_by_key(|&(t, (_, got))| {
                let pending = st.facts[t.ix()].cycle_pending;
                (
                    st.loss(t),
                    !pending,
                    std::cmp::Reverse(got),
                    ds.teacher(t).id.clone(),
                )
            });
        let Some((t, (core, _))) = pick else { break };
        tried.insert(t);
        let loss = st.loss(t);
        st.move_to(t, core, MoveKind::Learning);
        // 走教 first: it spends neither a core's outflow nor the member's housing, which
        // a learner whose subject no trip teaches needs (the `enshi` profile's L county,
        // full-time backfills first: of 357 learners taken back, 175 at cores at their
        // cap, 119 at a member whose housing was full).
        if st.unmet_at(m) > before[m.ix()] + EPS
            && !super::trips::backfill_by_trips(st, m, before)
            && !backfill(st, m, before)
        {
            st.undo_move(t);
            let least = failed.entry(subjects(t)).or_insert(u32::MAX);
            *least = (*least).min(loss);
        } else {
            failed.clear();
        }
    }
}

/// ENDING learning terms (member → core) extended where the member can spare the teacher.
fn extend_spared_learners(st: &mut State, before: &[f64]) {
    let ds = st.ds;
    for t in ds.teacher_ixs() {
        let LedgerState::Ending(l) = st.facts[t.ix()].state else {
            continue;
        };
        let h = ds.teacher(t).home;
        if !st.at_home(t)
            || ds.move_kind_from(h, l) != Some(MoveKind::Learning)
            || !st.may_send(h)
            || !st.may_host(l)
            || st.loss(t) > 0
        {
            continue;
        }
        st.extend(t, l);
        if st.unmet_at(h) > before[h.ix()] + EPS {
            st.unextend(t);
        }
    }
}

/// Brings a core teacher to member `m` to take over what `m` lacks beyond `before`: the
/// one at home covering most there against what their core loses, or else one already
/// sent to another member that can spare them (`retarget`). True when `m` is then no
/// worse off; otherwise nothing is changed.
pub(super) fn backfill(st: &mut State, m: SchoolIx, before: &[f64]) -> bool {
    let ds = st.ds;
    let Some(c) = ds.school(m).community else {
        return false;
    };
    let mut tried: BTreeSet<TeacherIx> = BTreeSet::new();
    for _ in 0..3 {
        let pick = ds.communities[c.ix()]
            .core
            .iter()
            .flat_map(|&core| st.staff[core.ix()].iter().copied())
            .filter(|&t| !tried.contains(&t) && st.may_move(t, m, MoveKind::Support))
            .map(|t| (t, st.could_cover(t, m)))
            .filter(|&(_, got)| got > 0)
            .max_by_key(|&(t, got)| {
                (
                    got as i64 - st.loss(t) as i64,
                    std::cmp::Reverse(ds.teacher(t).id.clone()),
                )
            });
        let Some((r, _)) = pick else {
            return retarget(st, m, before);
        };
        tried.insert(r);
        st.move_to(r, m, MoveKind::Support);
        if st.unmet_at(m) <= before[m.ix()] + EPS {
            return true;
        }
        st.undo_move(r);
    }
    retarget(st, m, before)
}

/// Backfill for member `m` by a support teacher the cores of its community already sent
/// to another member that can spare them (no worse off than `before` without them, and
/// asking for no one by rule 13): the core's outflow is unchanged, so this is the backfill
/// left when the core's cap is reached (the `enshi` profile's L county: 18 of 44 cores at
/// their cap after their quotas). True when `m` is then no worse off; otherwise nothing is
/// changed.
fn retarget(st: &mut State, m: SchoolIx, before: &[f64]) -> bool {
    let ds = st.ds;
    let Some(c) = ds.school(m).community else {
        return false;
    };
    let mut cands: Vec<(u32, TeacherIx, SchoolIx)> = ds.communities[c.ix()]
        .core
        .iter()
        .flat_map(|&core| st.staff[core.ix()].iter().copied())
        .filter_map(|t| match st.placement[t.ix()] {
            Placement::New(m2, MoveKind::Support) if m2 != m => Some((t, m2)),
            _ => None,
        })
        .filter(|&(t, m2)| {
            !ds.pinned(t).holds()
                && !ds.is_core(m2)
                && !ds.requests.iter().any(|r| r.school == m2)
                && st.moves[t.ix()].contains(&(m, MoveKind::Support))
        })
        .map(|(t, m2)| (st.could_cover(t, m), t, m2))
        .filter(|&(got, _, _)| got > 0)
        .collect();
    cands.sort_by_key(|&(got, t, _)| (std::cmp::Reverse(got), t));
    for (_, r, m2) in cands.into_iter().take(3) {
        st.undo_move(r);
        if st.unmet_at(m2) <= before[m2.ix()] + EPS && st.may_move(r, m, MoveKind::Support) {
            st.move_to(r, m, MoveKind::Support);
            if st.unmet_at(m) <= before[m.ix()] + EPS {
                return true;
            }
            st.undo_move(r);
        }
        st.move_to(r, m2, MoveKind::Support);
    }
    false
}

/// The largest shortages, each by the nearest teacher at home who would cover more there
/// than their school loses; a learner only if the member stays no worse off (rule 12).
pub(super) fn shortages(st: &mut State, before: &[f64]) {
    let ds = st.ds;
    let mut tried: BTreeSet<(SchoolIx, crate::domain::SubjectIx)> = BTreeSet::new();
    loop {
        let short = st
            .rem
            .iter()
            .filter(|(key, &r)| r > 0 && !tried.contains(key))
            .max_by_key(|(&key, &r)| (r, std::cmp::Reverse(key)))
            .map(|(&key, _)| key);
        let Some((s, k)) = short else { break };
        tried.insert((s, k));
        let mut cands: Vec<(f64, TeacherIx, MoveKind)> = ds
            .teacher_ixs()
            .filter(|&t| st.at_home(t) && ds.qualified(t).any(|q| q == k))
            .filter_map(|t| {
                let &(_, kind) = st.moves[t.ix()].iter().find(|m| m.0 == s)?;
                (st.may_move(t, s, kind) && st.could_cover(t, s) > st.loss(t))
                    .then(|| (st.km(ds.teacher(t).home, s), t, kind))
            })
            .collect();
        cands.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, t, kind) in cands.into_iter().take(3) {
            let h = ds.teacher(t).home;
            let total = |st: &State| st.unmet_at(h) + st.unmet_at(s);
            let was = total(st);
            st.move_to(t, s, kind);
            let harms_member = kind == MoveKind::Learning && st.unmet_at(h) > before[h.ix()] + EPS;
            if total(st) < was - EPS && !harms_member {
                tried.remove(&(s, k));
                break;
            }
            st.undo_move(t);
        }
    }
}
