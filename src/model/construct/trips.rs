//! The construction's 走教: one-stop trips to the largest 音体美 shortages, nearest first,
//! within max_days and spare periods, each day teaching at least rule 2's least periods;
//! and trips from the cores as a member's backfill for a learner (`backfill_by_trips`).

use std::collections::BTreeSet;

use crate::domain::{Placement, SchoolIx, Status, SubjectIx, TeacherIx, Trip};

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
            let trips: Vec<Trip> = ds.one_stop_trips(ds.teacher(t).home, &cands);
            (!trips.is_empty()).then_some((t, k, trips))
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

/// 顶岗 by 走教: trips from the cores of member `m`'s community to its 音体美 shortages
/// until `m` is no worse off than `before`, a core teacher giving up home periods for
/// them where need be (rule 12 protects members, not cores; trips do not count against
/// a core's outflow cap). True when `m` is then whole; otherwise nothing is changed.
/// Tried before a full-time backfill (the `enshi` profile's L county: its start left 138
/// learners short, with core S004 at 49 of its outflow cap of 51; the best plan seen had
/// 165 core teachers on trips).
pub(super) fn backfill_by_trips(st: &mut State, m: SchoolIx, before: f64) -> bool {
    let ds = st.ds;
    let it = &ds.policy.itinerant;
    let least = it.min_periods_per_stop.max(1);
    let free = |st: &State, t: TeacherIx| ds.capacity(t).saturating_sub(st.trip_load[t.ix()]);
    if st.unmet_at(m) <= before + 1e-9 {
        return true;
    }
    let mut given: Vec<(TeacherIx, SubjectIx, u32)> = Vec::new();
    for (t, ks, j) in core_travellers(st, m, least) {
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
            continue; // nothing given: the home stands as it was
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

/// Teachers at home at the cores of `m`'s community who may travel, with their 音体美
/// subjects and their one-stop trip to `m` where J(t) has one that teaches at least
/// `least` periods there: nearest first.
fn core_travellers(st: &State, m: SchoolIx, least: u32) -> Vec<(TeacherIx, Vec<SubjectIx>, Trip)> {
    let ds = st.ds;
    let Some(c) = ds.school(m).community else {
        return Vec::new();
    };
    let mut out: Vec<(TeacherIx, Vec<SubjectIx>, Trip)> = ds.communities[c.ix()]
        .core
        .iter()
        .flat_map(|&core| st.staff[core.ix()].iter().copied())
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
            Some((t, k, j))
        })
        .collect();
    out.sort_by(|a, b| a.2.km.total_cmp(&b.2.km).then(a.0.cmp(&b.0)));
    out
}

/// A teacher at home who may travel: their 音体美 subjects (none: `None`) and the stops
/// J(t) may reach.
fn traveller(st: &State, t: TeacherIx) -> Option<(Vec<SubjectIx>, Vec<SchoolIx>)> {
    let ds = st.ds;
    let te = ds.teacher(t);
    if st.placement[t.ix()] != Placement::Home
        || te.status != Status::Active
        || !ds.may_travel(t, &st.facts[t.ix()])
    {
        return None;
    }
    let k = ds.itinerant_subjects(ds.qualified(t));
    if k.is_empty() {
        return None;
    }
    let cands = ds.stop_candidates(te.home, te.stage, &k);
    Some((k, cands))
}
