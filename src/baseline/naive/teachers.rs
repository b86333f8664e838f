//! Each teacher's columns (x, e, w, y) and MODEL.md's rules 1-3, teacher by teacher.

use std::collections::BTreeMap;

use good_lp::{variable, Expression};

use super::read::Y;
use super::Literal;
use crate::domain::{LedgerState, Near, Placement, SchoolIx, Status, SubjectIx, TeacherIx};

/// Full-time places of a teacher, each with its a(t,s).
type Places = Vec<(SchoolIx, Expression)>;

impl Literal<'_> {
    /// Every teacher's columns and rows of rules 1-3.
    pub(super) fn teachers(&mut self) {
        let near = self.ds.near_pairs();
        for t in self.ds.teacher_ixs() {
            self.teacher(t, &near);
        }
    }

    fn teacher(&mut self, t: TeacherIx, near: &Near) {
        let ds = self.ds;
        let cap = ds.capacity(t) as f64;
        let mut qualified: Vec<SubjectIx> = ds.qualified(t).collect();
        qualified.sort();
        qualified.dedup();
        let mut load = Expression::default();
        let (places, trip_periods) = self.places(t, near, &mut load);
        // Rule 1 at each full-time place.
        let mut teaches_at = 0;
        for (s, a) in places {
            if let Some(taught) = self.periods_at(t, s, false, &qualified, &mut load) {
                self.rows.push(taught.leq(cap * a));
                teaches_at += 1;
            }
        }
        // Rule 3 (rule 1 already implies it with a single place).
        if teaches_at > 1 || trip_periods {
            self.rows.push(load.leq(cap));
        }
    }

    /// Where `t` may work full time, and whether it teaches on trips.
    fn places(&mut self, t: TeacherIx, near: &Near, load: &mut Expression) -> (Places, bool) {
        let (ds, facts) = (self.ds, self.facts);
        let te = ds.teacher(t);
        match facts[t.ix()].state {
            LedgerState::Locked(l) => {
                self.read.fixed[t.ix()] = Placement::Continuing(l);
                if l != te.home {
                    self.counts.serve(ds, t, l, false, Expression::from(1.0));
                }
                (vec![(l, Expression::from(1.0))], false)
            }
            _ if te.status == Status::Exempt => (vec![(te.home, Expression::from(1.0))], false),
            _ => self.movable(t, near, load),
        }
    }

    /// A teacher who may move: its extension e and moves x, a(t,h) = 1 − Σ, and its trips.
    fn movable(&mut self, t: TeacherIx, near: &Near, load: &mut Expression) -> (Places, bool) {
        let (ds, facts) = (self.ds, self.facts);
        let f = &facts[t.ix()];
        let w = &ds.policy.weights;
        let mut places: Places = Vec::new();
        let mut away = Expression::default();
        if let LedgerState::Ending(l) = f.state {
            let (var, ix) = self.cols.add(variable().binary());
            self.read.e[t.ix()] = Some((l, ix));
            self.obj -= w.extension_bonus * var;
            away += var;
            let x = Expression::from(var);
            self.counts.serve_as(ds, t, l, (false, f.cycle_pending), x);
            places.push((l, Expression::from(var)));
        }
        for (s, kind) in ds.allowed_moves(t, f) {
            let Some(cost) = ds.move_cost(t, f, s, kind) else {
                continue;
            };
            let (var, ix) = self.cols.add(variable().binary());
            self.read.x[t.ix()].push((s, kind, ix));
            self.obj += cost * var;
            away += var;
            let x = Expression::from(var);
            self.counts.serve_as(ds, t, s, (true, f.cycle_pending), x);
            // An ENDING teacher's new move back to L is a second way to be at L.
            match places.iter_mut().find(|p| p.0 == s) {
                Some(p) => p.1 += var,
                None => places.push((s, Expression::from(var))),
            }
        }
        if !places.is_empty() {
            self.rows.push(away.clone().leq(1.0));
        }
        let at_home = Expression::from(1.0) - away;
        let trip_periods = self.trips(t, near, &at_home, load);
        places.insert(0, (ds.teacher(t).home, at_home));
        (places, trip_periods)
    }

    /// Rule 2: the trip-day columns w of `t` (at most `max_days`, only from home), and at
    /// each stop between `min_periods_per_stop` a visit and what the trips give. Whether
    /// any stop has periods to teach.
    fn trips(
        &mut self,
        t: TeacherIx,
        near: &Near,
        at_home: &Expression,
        load: &mut Expression,
    ) -> bool {
        let (ds, facts) = (self.ds, self.facts);
        let it = &ds.policy.itinerant;
        let te = ds.teacher(t);
        if !ds.may_leave(t, &facts[t.ix()]) || it.max_days == 0 {
            return false;
        }
        let subjects = ds.itinerant_subjects(ds.qualified(t));
        if subjects.is_empty() {
            return false;
        }
        let candidates = ds.stop_candidates(te.home, te.stage, &subjects);
        let trips = ds.trips_from(te.home, &candidates, near);
        if trips.is_empty() {
            return false;
        }
        let mut days = Expression::default();
        // Per stop: the periods the trips give there, and their visits.
        let mut per_stop: BTreeMap<SchoolIx, (Expression, Expression)> = BTreeMap::new();
        for trip in trips {
            let max = it.max_days as f64;
            let (var, ix) = self.cols.add(variable().integer().min(0).max(max));
            days += var;
            self.obj += ds.policy.weights.itinerant_km * trip.km * var;
            for &(s, p) in &trip.stops {
                let e = per_stop.entry(s).or_default();
                e.0 += p as f64 * var;
                e.1 += var;
            }
            self.read.w[t.ix()].push((trip, ix));
        }
        self.rows
            .push(days.leq(it.max_days as f64 * at_home.clone()));
        let mut any = false;
        for (s, (given, visits)) in per_stop {
            let least = it.min_periods_per_stop as f64 * visits;
            match self.periods_at(t, s, true, &subjects, load) {
                Some(taught) => {
                    self.rows.push(taught.clone().leq(given));
                    self.rows.push(taught.geq(least));
                    any = true;
                }
                None => self.rows.push(least.leq(0.0)),
            }
        }
        any
    }

    /// The period columns y(t,s,k) of `t` at `s` for each of `subjects` that `s` asks
    /// for, added to t's load, s's cover and the objective; their sum, `None` with no such
    /// subject. Full-time periods need never exceed the demand (dropping them costs
    /// nothing); trip periods may (rule 2's least a stop), so only the capacity bounds them.
    fn periods_at(
        &mut self,
        t: TeacherIx,
        s: SchoolIx,
        trip: bool,
        subjects: &[SubjectIx],
        load: &mut Expression,
    ) -> Option<Expression> {
        let ds = self.ds;
        let cap = ds.capacity(t) as f64;
        let mut sum = Expression::default();
        let mut any = false;
        for &k in subjects {
            let r = ds.demand_of(s, k);
            if r == 0 {
                continue;
            }
            let hi = if trip { cap } else { (r as f64).min(cap) };
            let (var, ix) = self.cols.add(variable().integer().min(0).max(hi));
            self.read.ys.push(Y { t, s, k, ix });
            any = true;
            sum += var;
            *load += var;
            *self.cover.entry((s, k)).or_default() += var;
            if k != ds.teacher(t).subject {
                self.obj += ds.policy.weights.non_main_subject * var;
            }
        }
        any.then_some(sum)
    }
}
