//! The construction's 走教: one-stop trips to the largest 音体美 shortages, nearest first,
//! within max_days and spare periods, each day teaching at least rule 2's least periods;
//! and trips from the member's community as its backfill for a learner
//! (`backfill_by_trips`).

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::domain::{Placement, SchoolIx, SubjectIx, TeacherIx, Trip};

use super::reach::Stops;
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
            let reach = traveller(st, t)?;
            let (k, cands) = &*reach;
            let trips: Vec<Trip> = ds.one_stop_trips(ds.teacher(t).home, cands);
            (!trips.is_empty()).then(|| (t, k.clone(), trips))
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
/// `before` — from the cores of its community first, a core teacher giving up home
/// periods for them where need be (rule 12 protects members, not cores; trips do not
/// count against a core's outflow cap), then from its other members, each left no worse
/// off itself. True when `m` is then whole; otherwise nothing is changed. Tried before a
/// full-time backfill (the `enshi` profile's L county: its start left 138 learners short,
/// with core S004 at 49 of its outflow cap of 51; the best plan seen had 165 core
/// teachers on trips). A full-time backfill needs the member's housing, which trips do
/// not: that county's S034 (housing 3) kept 4 of the 13 learners it must send, where its
/// community planned alone sent 10, taught 44 periods a week by 走教 from members nearby.
pub(super) fn backfill_by_trips(st: &mut State, m: SchoolIx, before: &[f64]) -> bool {
    let ds = st.ds;
    let it = &ds.policy.itinerant;
    let least = it.min_periods_per_stop.max(1);
    let free = |st: &State, t: TeacherIx| ds.capacity(t).saturating_sub(st.trip_load[t.ix()]);
    let whole = |st: &State, s: SchoolIx| st.unmet_at(s) <= before[s.ix()] + 1e-9;
    if whole(st, m) {
        return true;
    }
    let mut given: Vec<(TeacherIx, SubjectIx, u32)> = Vec::new();
    // Subjects whose trips gained `m` nothing: no other traveller tries them again (each
    // try re-covers `m`; the `enshi` profile's L county took 8.7 s to construct without
    // this and `frees_cover`, 3.6 s with them, 1.1 s before trips took over teaching).
    let mut useless: BTreeSet<SubjectIx> = BTreeSet::new();
    for (t, ks, j) in travellers_to(st, m, least) {
        let had = given.len();
        for k in ks {
            if useless.contains(&k) || !(st.rem(m, k) >= least || frees_cover(st, m, k)) {
                continue;
            }
            while !whole(st, m)
                && (st.trip_days[t.ix()].len() as u32) < it.max_days
                && st.open_to_trips(m, k) >= least
                && free(st, t) >= least
            {
                // Over the member's own teaching too: its 音体美 teacher then covers
                // what a learner left, if qualified (S034 above: five 体育 teachers of a
                // member nearby, while its own 体育 teacher went to learn).
                let p = st.open_to_trips(m, k).min(free(st, t)).min(j.periods_at(m));
                let was = st.unmet_at(m);
                st.give_over(t, m, k, p);
                if st.unmet_at(m) >= was - 1e-9 {
                    st.take_back(t, m, k, p);
                    st.resolve(m);
                    useless.insert(k);
                    break;
                }
                st.trip_days[t.ix()].push(j.clone());
                given.push((t, k, p));
            }
        }
        if given.len() == had {
            continue; // nothing given: the home stands as it was
        }
        // Once per teacher: the home re-covers around all their trip periods at once.
        let h = ds.teacher(t).home;
        st.resolve(h);
        if !ds.is_core(h) && !whole(st, h) {
            // A member's teacher travels only on periods their own school can spare.
            undo_trips(st, m, &given[had..]);
            given.truncate(had);
            st.resolve(h);
            st.resolve(m);
            continue;
        }
        if whole(st, m) {
            return true;
        }
    }
    undo_trips(st, m, &given);
    let homes: BTreeSet<SchoolIx> = given.iter().map(|&(t, _, _)| ds.teacher(t).home).collect();
    for h in homes {
        st.resolve(h);
    }
    st.resolve(m);
    false
}

/// Takes back the trip days `given` to `m` (teacher, subject, periods: one day each), the
/// last first; the schools are left to re-cover.
fn undo_trips(st: &mut State, m: SchoolIx, given: &[(TeacherIx, SubjectIx, u32)]) {
    for &(t, k, p) in given.iter().rev() {
        st.take_back(t, m, k, p);
        st.trip_days[t.ix()].pop();
    }
}

/// Whether trips over `m`'s own teaching of `k` could free a teacher there for what is
/// uncovered: one of its staff teaching `k` is qualified in a subject left short.
fn frees_cover(st: &State, m: SchoolIx, k: SubjectIx) -> bool {
    let ds = st.ds;
    st.here[m.ix()].iter().any(|&o| {
        st.teach.get(&(o, m, k)).is_some_and(|&p| p > 0)
            && ds.qualified(o).any(|q| q != k && st.rem(m, q) > 0)
    })
}

/// Teachers at home at the schools of `m`'s community who may travel, with their 音体美
/// subjects and their one-stop trip to `m` where J(t) has one that teaches at least
/// `least` periods there: the cores' first, then the other members', nearest first in
/// each.
fn travellers_to(st: &State, m: SchoolIx, least: u32) -> Vec<(TeacherIx, Vec<SubjectIx>, Trip)> {
    let ds = st.ds;
    let Some(c) = ds.school(m).community else {
        return Vec::new();
    };
    let mut out: Vec<(TeacherIx, Vec<SubjectIx>, Trip)> = ds
        .school_ixs()
        .filter(|&s| s != m && ds.school(s).community == Some(c))
        .flat_map(|s| st.staff[s.ix()].iter().copied())
        .filter_map(|t| {
            let reach = traveller(st, t)?;
            if !reach.1.contains(&m) {
                return None;
            }
            let j = st
                .reach
                .one_stop(ds, ds.teacher(t).home, m)
                .filter(|j| j.periods_at(m) >= least)?;
            Some((t, reach.0.clone(), j))
        })
        .collect();
    let member = |t: TeacherIx| !ds.is_core(ds.teacher(t).home);
    out.sort_by(|a, b| {
        (member(a.0).cmp(&member(b.0)))
            .then(a.2.km.total_cmp(&b.2.km))
            .then(a.0.cmp(&b.0))
    });
    out
}

/// A teacher at home who may travel: their 音体美 subjects (none: `None`) and the stops
/// J(t) may reach.
fn traveller(st: &State, t: TeacherIx) -> Option<Rc<Stops>> {
    if st.placement[t.ix()] != Placement::Home {
        return None;
    }
    st.reach.traveller(st.ds, &st.facts, t)
}
