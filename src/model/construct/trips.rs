//! The construction's 走教: one-stop trips to the largest 音体美 shortages, nearest first,
//! within max_days and spare periods, each day teaching at least rule 2's least periods.

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
        .filter(|&t| {
            st.placement[t.ix()] == Placement::Home
                && ds.teacher(t).status == Status::Active
                && ds.may_travel(t, &st.facts[t.ix()])
        })
        .filter_map(|t| {
            let te = ds.teacher(t);
            let k = ds.itinerant_subjects(ds.qualified(t));
            if k.is_empty() {
                return None;
            }
            let cands = ds.stop_candidates(te.home, te.stage, &k);
            let trips: Vec<Trip> = ds.one_stop_trips(te.home, &cands);
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
