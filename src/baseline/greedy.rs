//! The greedy baseline: what a planner does by hand in a spreadsheet. Everyone teaches at
//! their place (main subject first); each core meets its quota (rules 5/6) with its
//! longest-serving eligible teachers, each sent to the member short of most of their
//! subjects; the largest shortages are then filled by the nearest teacher whose home can
//! spare them (what they leave behind is less than they cover, counting colleagues' spare
//! periods); last, 音体美 shortages get one-stop trips, nearest first.
//! Deterministic: every tie falls to index order.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{
    Dataset, LedgerState, MoveKind, Placement, SchoolIx, Status, SubjectIx, TeacherFacts,
    TeacherIx, Trip,
};
use crate::model::Decisions;

struct State<'a> {
    ds: &'a Dataset,
    facts: Vec<TeacherFacts>,
    placement: Vec<Placement>,
    rem: BTreeMap<(SchoolIx, SubjectIx), u32>,
    /// Full-time and trip periods alike: y(t,s,k).
    teach: BTreeMap<(TeacherIx, SchoolIx, SubjectIx), u32>,
    load: Vec<u32>,
    outflow: Vec<u32>,
    out_cap: Vec<u32>,
    incoming: Vec<u32>,
    support_from: Vec<u32>,
}

impl State<'_> {
    fn place(&self, t: TeacherIx) -> SchoolIx {
        self.placement[t.ix()].school(self.ds.teacher(t).home)
    }

    fn spare(&self, t: TeacherIx) -> u32 {
        self.ds.capacity(t).saturating_sub(self.load[t.ix()])
    }

    fn rem(&self, s: SchoolIx, k: SubjectIx) -> u32 {
        self.rem.get(&(s, k)).copied().unwrap_or(0)
    }

    fn give(&mut self, t: TeacherIx, s: SchoolIx, k: SubjectIx, p: u32) {
        if p == 0 {
            return;
        }
        *self.teach.entry((t, s, k)).or_default() += p;
        self.load[t.ix()] += p;
        if let Some(r) = self.rem.get_mut(&(s, k)) {
            *r -= p;
        }
    }

    /// Teaches at the teacher's full-time place: the main subject, then (with `extras`)
    /// the others.
    fn fill(&mut self, t: TeacherIx, extras: bool) {
        let s = self.place(t);
        let subjects: Vec<SubjectIx> = if extras {
            self.ds.qualified(t).collect()
        } else {
            vec![self.ds.teacher(t).subject]
        };
        for k in subjects {
            let p = self.rem(s, k).min(self.spare(t));
            self.give(t, s, k, p);
        }
    }

    /// What `t` would cover at `s` with a full load there (main subject first).
    fn could_cover(&self, t: TeacherIx, s: SchoolIx) -> u32 {
        let mut left = self.ds.capacity(t);
        let mut got = 0;
        let mut seen = BTreeSet::new();
        for k in self.ds.qualified(t) {
            if seen.insert(k) {
                let p = self.rem(s, k).min(left);
                left -= p;
                got += p;
            }
        }
        got
    }

    /// Takes back everything `t` teaches (before a move).
    fn release(&mut self, t: TeacherIx) {
        let keys: Vec<_> = self
            .teach
            .range((t, SchoolIx(0), SubjectIx(0))..)
            .take_while(|(key, _)| key.0 == t)
            .map(|(key, p)| (*key, *p))
            .collect();
        for (key, p) in keys {
            self.teach.remove(&key);
            *self.rem.entry((key.1, key.2)).or_default() += p;
        }
        self.load[t.ix()] = 0;
    }

    /// Of what `t` teaches at home `h`, the periods the others at home could take over
    /// with their spare periods (an estimate: each subject on its own).
    fn absorbed(&self, t: TeacherIx, h: SchoolIx, at_home: &[TeacherIx]) -> u32 {
        self.teach
            .range((t, h, SubjectIx(0))..=(t, h, SubjectIx(u32::MAX)))
            .map(|(&(_, _, k), &p)| {
                let spare: u32 = at_home
                    .iter()
                    .filter(|&&o| {
                        o != t && self.place(o) == h && self.ds.qualified(o).any(|q| q == k)
                    })
                    .map(|&o| self.spare(o))
                    .sum();
                p.min(spare)
            })
            .sum()
    }

    fn may_host(&self, s: SchoolIx) -> bool {
        self.ds
            .school(s)
            .housing
            .is_none_or(|h| self.incoming[s.ix()] < h)
    }

    fn may_send(&self, h: SchoolIx) -> bool {
        self.outflow[h.ix()] < self.out_cap[h.ix()]
    }

    /// Moves `t` to `s` full time, then lets those left at home cover what it taught there.
    fn move_to(&mut self, t: TeacherIx, s: SchoolIx, kind: MoveKind, at_home: &[TeacherIx]) {
        let h = self.ds.teacher(t).home;
        self.release(t);
        self.placement[t.ix()] = Placement::New(s, kind);
        self.outflow[h.ix()] += 1;
        self.incoming[s.ix()] += 1;
        if kind == MoveKind::Support {
            self.support_from[h.ix()] += 1;
        }
        self.fill(t, true);
        for &o in at_home {
            if self.place(o) == h && self.spare(o) > 0 {
                self.fill(o, true);
            }
        }
    }
}

/// The greedy plan of a dataset.
pub fn solve_greedy(ds: &Dataset) -> Decisions {
    let facts = ds.teacher_facts();
    let n = ds.headcounts(&facts);
    let rot = &ds.policy.rotation;
    let it = &ds.policy.itinerant;
    let ns = ds.schools.len();
    let mut st = State {
        ds,
        placement: vec![Placement::Home; ds.teachers.len()],
        rem: ds
            .demand
            .iter()
            .filter(|d| d.periods > 0)
            .map(|d| ((d.school, d.subject), d.periods))
            .collect(),
        teach: BTreeMap::new(),
        load: vec![0; ds.teachers.len()],
        outflow: vec![0; ns],
        out_cap: (0..ns)
            .map(|s| rot.max_outflow_share.floor_of(n.teachers[s]))
            .collect(),
        incoming: vec![0; ns],
        support_from: vec![0; ns],
        facts,
    };
    let mut at_home: Vec<Vec<TeacherIx>> = vec![Vec::new(); ns];

    // Terms under way stay; ending terms are extended where the caps allow (a planner
    // renews what runs).
    for t in ds.teacher_ixs() {
        let te = ds.teacher(t);
        let h = te.home;
        let p = match st.facts[t.ix()].state {
            LedgerState::Locked(l) => Placement::Continuing(l),
            LedgerState::Ending(l)
                if te.status == Status::Active && st.may_send(h) && st.may_host(l) =>
            {
                Placement::Extended(l)
            }
            _ => Placement::Home,
        };
        if p != Placement::Home {
            let l = p.school(h);
            st.outflow[h.ix()] += 1;
            st.incoming[l.ix()] += 1;
            if ds.move_kind_from(h, l) == Some(MoveKind::Support) {
                st.support_from[h.ix()] += 1;
            }
        }
        st.placement[t.ix()] = p;
        if p == Placement::Home {
            at_home[h.ix()].push(t);
        }
    }
    for extras in [false, true] {
        for t in ds.teacher_ixs() {
            st.fill(t, extras);
        }
    }

    let moves: Vec<Vec<(SchoolIx, MoveKind)>> = ds
        .teacher_ixs()
        .map(|t| {
            let f = &st.facts[t.ix()];
            if st.placement[t.ix()] != Placement::Home || ds.teacher(t).status != Status::Active {
                return Vec::new();
            }
            ds.allowed_moves(t, f)
                .into_iter()
                .filter(|&(s, k)| ds.move_cost(t, f, s, k).is_some())
                .collect()
        })
        .collect();

    // Rules 5/6: each core's quota, longest-serving first.
    for req in ds.core_requirements(&n) {
        let c = req.school;
        let need = req.core_share.max(req.due_share);
        let mut cands: Vec<TeacherIx> = at_home[c.ix()]
            .iter()
            .copied()
            .filter(|t| moves[t.ix()].iter().any(|m| m.1 == MoveKind::Support))
            .collect();
        cands.sort_by_key(|&t| {
            (
                std::cmp::Reverse(ds.years_here(t)),
                ds.teacher(t).id.clone(),
            )
        });
        for t in cands {
            if st.support_from[c.ix()] >= need || !st.may_send(c) {
                break;
            }
            let short = |s: SchoolIx| -> u32 {
                let mut q: Vec<SubjectIx> = ds.qualified(t).collect();
                q.sort();
                q.dedup();
                q.iter().map(|&k| st.rem(s, k)).sum()
            };
            let host = moves[t.ix()]
                .iter()
                .filter(|m| m.1 == MoveKind::Support && st.may_host(m.0))
                .max_by_key(|m| (short(m.0), std::cmp::Reverse(m.0)))
                .map(|m| m.0);
            if let Some(s) = host {
                st.move_to(t, s, MoveKind::Support, &at_home[c.ix()]);
            }
        }
    }

    // The largest shortages, each by the nearest teacher underused at home who would
    // cover more there than they leave behind.
    let mut tried: BTreeSet<(SchoolIx, SubjectIx)> = BTreeSet::new();
    loop {
        let mut short: Vec<((SchoolIx, SubjectIx), u32)> = st
            .rem
            .iter()
            .filter(|(key, &r)| r > 0 && !tried.contains(key))
            .map(|(key, r)| (*key, *r))
            .collect();
        short.sort_by_key(|&(key, r)| (std::cmp::Reverse(r), key));
        let Some(&((s, k), _)) = short.first() else {
            break;
        };
        let mut best: Option<(f64, TeacherIx, MoveKind)> = None;
        for t in ds.teacher_ixs() {
            if st.placement[t.ix()] != Placement::Home || !ds.qualified(t).any(|q| q == k) {
                continue;
            }
            let Some(&(_, kind)) = moves[t.ix()].iter().find(|m| m.0 == s) else {
                continue;
            };
            let h = ds.teacher(t).home;
            if !st.may_send(h) || !st.may_host(s) {
                continue;
            }
            // Worth it when more is covered at s than is lost at home.
            let lost = st.load[t.ix()] - st.absorbed(t, h, &at_home[h.ix()]);
            if st.could_cover(t, s) <= lost {
                continue;
            }
            let km = ds.leg(h, s).map_or(f64::INFINITY, |l| l.km);
            if best.is_none_or(|b| km < b.0) {
                best = Some((km, t, kind));
            }
        }
        match best {
            Some((_, t, kind)) => {
                let h = ds.teacher(t).home;
                let home = at_home[h.ix()].clone();
                st.move_to(t, s, kind, &home);
            }
            None => {
                tried.insert((s, k));
            }
        }
    }

    // 音体美: one-stop trips, nearest first, within max_days and spare periods.
    let mut trip_days: Vec<Vec<Trip>> = vec![Vec::new(); ds.teachers.len()];
    let one_stop: Vec<(TeacherIx, Vec<SubjectIx>, Vec<Trip>)> = ds
        .teacher_ixs()
        .filter(|&t| {
            st.placement[t.ix()] == Placement::Home
                && ds.teacher(t).status == Status::Active
                && ds.may_leave(t, &st.facts[t.ix()])
                && it.max_days > 0
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
    for ((s, k), _) in short {
        while st.rem(s, k) > 0 {
            // Rule 2: a trip-day teaches at least `least` periods at its stop.
            let least = it.min_periods_per_stop.max(1);
            if st.rem(s, k) < least {
                break;
            }
            let best = one_stop
                .iter()
                .filter(|(t, kk, _)| {
                    kk.contains(&k)
                        && st.spare(*t) >= least
                        && (trip_days[t.ix()].len() as u32) < it.max_days
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
            trip_days[t.ix()].push(j.clone());
        }
    }

    Decisions {
        placement: st.placement,
        trip_days,
        periods: st
            .teach
            .into_iter()
            .filter(|(_, p)| *p > 0)
            .map(|((t, s, k), p)| (t, s, k, p))
            .collect(),
    }
}
