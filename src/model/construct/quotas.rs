//! The construction's moves that rules ask for (requests, the cores' quotas, a member's
//! backfill; the members' learners are `learners.rs`) and the ones that pay (the largest
//! shortages).

use std::collections::BTreeSet;

use super::state::State;
use crate::domain::{MoveKind, Placement, RequestKind, SchoolIx, SubjectIx, TeacherIx};

/// Slack when comparing weighted unmet periods.
pub(super) const EPS: f64 = 1e-9;

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
pub(super) fn best_host(st: &State, t: TeacherIx, kind: MoveKind) -> Option<(SchoolIx, u32)> {
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
    let mut tried: BTreeSet<(SchoolIx, SubjectIx)> = BTreeSet::new();
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
