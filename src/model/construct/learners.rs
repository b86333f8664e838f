//! The construction's learners (rules 7 and 14): each member sends those it can spare,
//! each backfilled where it cannot (rule 12), and past a cap where that leaves fewer
//! rules broken.

use std::collections::{BTreeMap, BTreeSet};

use super::quotas::{backfill, best_host, EPS};
use super::state::State;
use crate::domain::{LedgerState, MoveKind, SchoolIx, SubjectIx, TeacherIx};

/// Rule 7: each member sends its learners, those it can spare first; a learner it cannot
/// spare goes only with 走教 days making the member whole, or else a core teacher coming
/// the other way full time to take over (顶岗, rule 12); then past a cap where that pays
/// (`past_a_cap`). ENDING learners are extended first where their school can spare them.
/// Rule 14 (the learning cycle) is met the same way, from the teachers still to 跟岗 in
/// the cycle.
pub(super) fn learners(st: &mut State, before: &[f64]) {
    let ds = st.ds;
    extend_spared_learners(st, before);
    let n = ds.headcounts(&st.facts);
    let asks = ds
        .learning_requirements(&n)
        .into_iter()
        .map(|(m, need)| Ask {
            m,
            need,
            pending_only: false,
        })
        .chain(ds.cycle_requirements(&n).into_iter().map(|r| Ask {
            m: r.school,
            need: r.need,
            pending_only: true,
        }));
    for ask in asks {
        ask.send_within_caps(st, before);
        while !ask.met(st) && past_a_cap(st, ask, before) {}
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

/// What member `m` is asked for: `need` learners serving at a core, counting with
/// `pending_only` only those still to 跟岗 in the cycle (rule 14).
#[derive(Clone, Copy)]
struct Ask {
    m: SchoolIx,
    need: u32,
    pending_only: bool,
}

impl Ask {
    fn sent(self, st: &State) -> u32 {
        if self.pending_only {
            cycle_sent(st, self.m)
        } else {
            st.learning_from[self.m.ix()]
        }
    }

    fn met(self, st: &State) -> bool {
        self.sent(st) >= self.need
    }

    /// Learners sent within the caps, those still to learn in the cycle first, each
    /// backfilled where `m` would otherwise end worse off than `before`.
    fn send_within_caps(self, st: &mut State, before: &[f64]) {
        let (ds, m) = (st.ds, self.m);
        let counts =
            |st: &State, t: TeacherIx| !self.pending_only || st.facts[t.ix()].cycle_pending;
        let mut tried: BTreeSet<TeacherIx> = BTreeSet::new();
        // Since the last learner sent: the least loss at which a teacher of these subjects
        // could not be backfilled. A colleague of the same subjects losing as much fails
        // alike, and trying each costs a backfill search (the `enshi` profile's L county:
        // its construction 3.6 s → 3.0 s, the same counts).
        let mut failed: BTreeMap<Vec<SubjectIx>, u32> = BTreeMap::new();
        let subjects = |t: TeacherIx| ds.qualified(t).collect::<Vec<_>>();
        while !self.met(st) && st.may_send(m) {
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
            // 走教 first: it spends neither a core's outflow nor the member's housing,
            // which a learner whose subject no trip teaches needs (the `enshi` profile's L
            // county, full-time backfills first: of 357 learners taken back, 175 at cores
            // at their cap, 119 at a member whose housing was full).
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
}

/// Newcomers a bundle of `past_a_cap` brings at most.
const NEWCOMERS: usize = 4;

/// Core teachers brought to `ask.m` first, past the caps where they must be (rule 11 at
/// the member, rule 10 at their core), then the learners the member can spare with them
/// there. Each cap broken by one costs what one learner short does (both `W.violation`),
/// so the bundle is kept, cut after its best newcomer, only when more learners go than
/// caps are broken. The MILP makes this trade (the `enshi` profile's L county: its
/// community C12 alone sends 13 learners from S034 against a housing of 3, six teachers
/// coming in; the construction stopped at 7, housing full). A newcomer covers about one
/// learner's periods, so one alone seldom pays: several do, the member's own staff
/// re-matched around them (`State::resolve`). True when a bundle was kept; otherwise `st`
/// is as it was.
fn past_a_cap(st: &mut State, ask: Ask, before: &[f64]) -> bool {
    let m = ask.m;
    let from = ask.sent(st) as i64;
    let mut kept: Option<State> = None;
    let (mut best, mut broken) = (0, 0);
    let mut trial = st.clone();
    for _ in 0..NEWCOMERS {
        if ask.met(&trial) {
            break;
        }
        let Some((r, caps)) = newcomer(&trial, m) else {
            break;
        };
        let held: Vec<u32> = caps.iter().map(|cap| cap.lift(&mut trial)).collect();
        trial.move_to(r, m, MoveKind::Support);
        for (cap, was) in caps.iter().zip(held) {
            *cap.value(&mut trial) = was;
        }
        broken += caps.len() as i64;
        let sent = ask.sent(&trial);
        ask.send_within_caps(&mut trial, before);
        // A newcomer who lets nobody go: the next is unlikely to do better.
        if ask.sent(&trial) == sent {
            break;
        }
        let net = ask.sent(&trial) as i64 - from - broken;
        if net > best && trial.unmet_at(m) <= before[m.ix()] + EPS {
            best = net;
            kept = Some(trial.clone());
        }
    }
    kept.map(|k| *st = k).is_some()
}

/// The next core teacher `past_a_cap` brings to `m`, and the caps they break: of those
/// who may move there once the caps are lifted, the one breaking fewest who would teach
/// most there, of what `m` lacks and of what its teachers who could go to learn teach (at
/// most their capacity).
fn newcomer(st: &State, m: SchoolIx) -> Option<(TeacherIx, Vec<Cap>)> {
    let ds = st.ds;
    let c = ds.school(m).community?;
    let mut taught: BTreeMap<SubjectIx, u32> = BTreeMap::new();
    for &t in &st.staff[m.ix()] {
        if st.free_at_home(t) && best_host(st, t, MoveKind::Learning).is_some() {
            let here = (t, m, SubjectIx(0))..=(t, m, SubjectIx(u32::MAX));
            for (&(_, _, k), &p) in st.teach.range(here) {
                *taught.entry(k).or_default() += p;
            }
        }
    }
    let housing = !st.may_host(m);
    ds.communities[c.ix()]
        .core
        .iter()
        .flat_map(|&core| {
            let mut caps = Vec::new();
            if housing {
                caps.push(Cap::Housing(m));
            }
            if !st.may_send(core) {
                caps.push(Cap::Outflow(core));
            }
            st.staff[core.ix()]
                .iter()
                .copied()
                .filter(|&r| st.allowed(r, m, MoveKind::Support))
                .map(move |r| (r, caps.clone()))
        })
        .map(|(r, caps)| {
            let subjects: BTreeSet<SubjectIx> = ds.qualified(r).collect();
            let takes: u32 = subjects
                .iter()
                .map(|k| taught.get(k).copied().unwrap_or(0))
                .sum();
            let covers = st.could_cover(r, m);
            (ds.capacity(r).min(covers + takes), r, caps)
        })
        .filter(|&(got, _, _)| got > 0)
        .min_by_key(|(got, r, caps)| (caps.len(), std::cmp::Reverse(*got), *r))
        .map(|(_, r, caps)| (r, caps))
}

/// A cap `past_a_cap` lifts for one newcomer.
#[derive(Clone, Copy)]
enum Cap {
    Housing(SchoolIx),
    Outflow(SchoolIx),
}

impl Cap {
    fn value<'s>(self, st: &'s mut State) -> &'s mut u32 {
        match self {
            Cap::Housing(s) => &mut st.house_cap[s.ix()],
            Cap::Outflow(s) => &mut st.out_cap[s.ix()],
        }
    }

    /// Room for one more past the cap; returns the cap's value, to restore.
    fn lift(self, st: &mut State) -> u32 {
        let room = match self {
            Cap::Housing(s) => st.incoming[s.ix()] + 1,
            Cap::Outflow(s) => st.outflow[s.ix()] + 1,
        };
        std::mem::replace(self.value(st), room)
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
