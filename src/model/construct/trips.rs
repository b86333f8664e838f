//! The construction's 走教: one-stop trips to the largest 音体美 shortages, nearest first,
//! within max_days and spare periods, each day teaching at least rule 2's least periods;
//! and trips from the cores as a member's backfill for a learner (`backfill_by_trips`).

use std::collections::BTreeSet;

use crate::domain::{
    Dataset, Placement, SchoolIx, Scope, Status, SubjectIx, TeacherFacts, TeacherIx, Trip,
};

use super::state::State;

pub(super) fn itinerant(st: &mut State) {
    let ds = st.ds;
    let it = &ds.policy.itinerant;
    if it.max_days == 0 {
        return;
    }
    let travellers: Vec<(TeacherIx, Vec<SubjectIx>, Vec<Trip>)> = ds
        .teacher_ixs()
        .filter_map(|t| {
            let (k, cands) = traveller(st, t)?;
            let trips: Vec<Trip> = ds.one_stop_trips(ds.teacher(t).home, cands);
            (!trips.is_empty()).then_some((t, k.to_vec(), trips))
        })
        .collect();
    let mut short: Vec<((SchoolIx, SubjectIx), u32)> = st
        .rem
        .iter()
        .filter(|(key, &r)| r > 0 && it.subjects.iter().any(|n| n == ds.subject_name(key.1)))
        .map(|(key, r)| (*key, *r))
        .collect();
    short.sort_by_key(|&(key, r)| (std::cmp::Reverse(r), key));
    let least = it.min_periods_per_stop.max(1);
    for ((s, k), _) in short {
        while st.rem(s, k) >= least {
            let best = travellers
                .iter()
                .filter(|(t, kk, _)| {
                    kk.contains(&k)
                        && st.spare(*t) >= least
                        && (st.trip_days[t.ix()].len() as u32) < it.max_days
                })
                .filter_map(|(t, _, trips)| {
                    let j = trips.iter().find(|j| j.stops[0].0 == s)?;
                    Some((j.km, *t, j))
                })
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let Some((_, t, j)) = best else {
                break;
            };
            let p = st.rem(s, k).min(st.spare(t)).min(j.stops[0].1);
            st.give(t, s, k, p);
            st.trip_days[t.ix()].push(j.clone());
        }
    }
}

/// 顶岗 by 走教: trips to member `m`'s 音体美 shortages until `m` is no worse off than
/// `before`, nearest traveller first. A core teacher may give up home periods for them
/// (rule 12 protects members, not cores; trips do not count against a core's outflow
/// cap); any other teacher gives only periods their school does not need, so it is left
/// as it was. True when `m` is then whole; otherwise nothing is changed. For a learner
/// whose full-time backfill found no core teacher: the `enshi` profile's L county left
/// 138 learners short with backfill by the cores' teachers alone, and its best plan seen
/// (300 s) had 720 trip days, most of them members' teachers' (the start: 159).
pub(super) fn backfill_by_trips(st: &mut State, m: SchoolIx, before: f64) -> bool {
    let ds = st.ds;
    let it = &ds.policy.itinerant;
    let least = it.min_periods_per_stop.max(1);
    let free = |st: &State, t: TeacherIx| {
        if ds.is_core(ds.teacher(t).home) {
            ds.capacity(t).saturating_sub(st.trip_load[t.ix()])
        } else {
            st.spare(t)
        }
    };
    let mut given: Vec<(TeacherIx, SubjectIx, u32)> = Vec::new();
    for (t, ks, j) in travellers_to(st, m, least) {
        let had = given.len();
        for k in ks {
            while st.unmet_at(m) > before + 1e-9
                && (st.trip_days[t.ix()].len() as u32) < it.max_days
                && st.rem(m, k) >= least
                && free(st, t) >= least
            {
                let p = st.rem(m, k).min(free(st, t)).min(j.periods_at(m));
                st.give(t, m, k, p);
                st.trip_days[t.ix()].push(j.clone());
                given.push((t, k, p));
            }
        }
        if given.len() == had {
            continue;
        }
        // Once per teacher: the home re-covers around all their trip periods at once.
        st.resolve(ds.teacher(t).home);
        if st.unmet_at(m) <= before + 1e-9 {
            return true;
        }
    }
    for &(t, k, p) in given.iter().rev() {
        st.take_back(t, m, k, p);
        st.trip_days[t.ix()].pop();
    }
    let homes: BTreeSet<SchoolIx> = given.iter().map(|&(t, _, _)| ds.teacher(t).home).collect();
    for h in homes {
        st.resolve(h);
    }
    false
}

/// Teachers at home elsewhere who may travel to `m` (within its community unless 走教 is
/// county-wide), with their 音体美 subjects and their one-stop trip to `m` where J(t) has
/// one that teaches at least `least` periods there: nearest first.
fn travellers_to(st: &State, m: SchoolIx, least: u32) -> Vec<(TeacherIx, Vec<SubjectIx>, Trip)> {
    let ds = st.ds;
    let community = ds.school(m).community;
    let county = ds.policy.itinerant.scope == Scope::County;
    let mut out: Vec<(TeacherIx, Vec<SubjectIx>, Trip)> = ds
        .school_ixs()
        .filter(|&s| {
            s != m && (county || (community.is_some() && ds.school(s).community == community))
        })
        .flat_map(|s| st.staff[s.ix()].iter().copied())
        .filter_map(|t| {
            let (k, cands) = traveller(st, t)?;
            if !cands.contains(&m) {
                return None;
            }
            let j = ds
                .one_stop_trips(ds.teacher(t).home, &[m])
                .into_iter()
                .next()
                .filter(|j| j.periods_at(m) >= least)?;
            Some((t, k.to_vec(), j))
        })
        .collect();
    out.sort_by(|a, b| a.2.km.total_cmp(&b.2.km).then(a.0.cmp(&b.0)));
    out
}

/// A teacher at home who may travel: their 音体美 subjects and the stops J(t) may reach
/// (`State::reach`).
fn traveller<'s>(st: &'s State, t: TeacherIx) -> Option<(&'s [SubjectIx], &'s [SchoolIx])> {
    if st.placement[t.ix()] != Placement::Home {
        return None;
    }
    st.reach[t.ix()]
        .as_ref()
        .map(|(k, cands)| (&k[..], &cands[..]))
}

/// Per teacher, what never changes while the plan is built: for an active teacher who may
/// travel and teaches a 音体美 subject, those subjects and the stops J(t) may reach.
pub(super) fn reach(
    ds: &Dataset,
    facts: &[TeacherFacts],
) -> Vec<Option<(Vec<SubjectIx>, Vec<SchoolIx>)>> {
    ds.teacher_ixs()
        .map(|t| {
            let te = ds.teacher(t);
            if te.status != Status::Active || !ds.may_travel(t, &facts[t.ix()]) {
                return None;
            }
            let k = ds.itinerant_subjects(ds.qualified(t));
            if k.is_empty() {
                return None;
            }
            let cands = ds.stop_candidates(te.home, te.stage, &k);
            Some((k, cands))
        })
        .collect()
}
