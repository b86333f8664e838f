//! 走教 trips J(t) of MODEL.md "Itinerant trips": which one- and two-stop day trips a
//! teacher may make from home, in the model's stop order.

use super::{Dataset, Leg, SchoolIx, Scope, Stages, SubjectIx};

/// One feasible day trip from `home`: stops in the order travelled, each with the periods
/// it can give there (P(j,s)).
#[derive(Clone, Debug, PartialEq)]
pub struct Trip {
    pub home: SchoolIx,
    pub stops: Vec<(SchoolIx, u32)>,
    /// Whole-day km and minutes, home back to home.
    pub km: f64,
    pub minutes: f64,
}

impl Trip {
    /// Periods this trip gives at `s` (0 when it does not stop there).
    pub fn periods_at(&self, s: SchoolIx) -> u32 {
        self.stops
            .iter()
            .find(|(x, _)| *x == s)
            .map_or(0, |(_, p)| *p)
    }

    /// The legs in order: home → first stop, …, last stop → home.
    pub fn legs(&self, ds: &Dataset) -> Vec<(SchoolIx, Leg)> {
        let mut at = self.home;
        let mut legs = Vec::with_capacity(self.stops.len() + 1);
        for &(s, _) in self.stops.iter().chain(std::iter::once(&(self.home, 0))) {
            legs.push((s, ds.leg(at, s).expect("trip legs are known")));
            at = s;
        }
        legs
    }
}

/// Pairs of schools close enough for a two-stop trip (`Dataset::near_pairs`).
pub struct Near {
    n: usize,
    near: Vec<bool>,
}

impl Near {
    /// Every pair near: `trips_from` then tries them all (the reference the filter is
    /// tested against).
    pub fn all(n: usize) -> Near {
        Near {
            n,
            near: vec![true; n * n],
        }
    }

    pub fn get(&self, a: SchoolIx, b: SchoolIx) -> bool {
        self.near[a.ix() * self.n + b.ix()]
    }
}

/// Slack for comparing minutes read from decimals against limits.
const EPS: f64 = 1e-9;

impl Dataset {
    /// K(t) as subject indices: Q(t) ∩ itinerant.subjects.
    pub fn itinerant_subjects(&self, q: impl Iterator<Item = SubjectIx>) -> Vec<SubjectIx> {
        let names = &self.policy.itinerant.subjects;
        let mut k: Vec<SubjectIx> = q
            .filter(|&k| names.iter().any(|n| n == self.subject_name(k)))
            .collect();
        k.sort();
        k.dedup();
        k
    }

    /// Stop candidates for a teacher at `home` with stages `stage` and itinerant subjects
    /// `k`: another school needing them, with a stage in common, within scope (MODEL.md's
    /// stop candidates). A school needing fewer than `min_periods_per_stop` of them is
    /// still one: a day there teaches the least and over-covers.
    pub fn stop_candidates(&self, home: SchoolIx, stage: Stages, k: &[SubjectIx]) -> Vec<SchoolIx> {
        let community = self.school(home).community;
        self.school_ixs()
            .filter(|&s| {
                s != home
                    && self.school(s).stage.overlaps(stage)
                    && k.iter().any(|&k| self.demand_of(s, k) > 0)
                    && (self.policy.itinerant.scope == Scope::County
                        || (community.is_some() && self.school(s).community == community))
            })
            .collect()
    }

    /// J(t) for a teacher at `home` with these stop candidates: the feasible one-stop trips
    /// in school order, then (with max_stops = 2) the feasible two-stop trips by pair.
    /// `near` is `near_pairs()`, computed once for the many homes of a county.
    pub fn trips_from(&self, home: SchoolIx, candidates: &[SchoolIx], near: &Near) -> Vec<Trip> {
        let it = &self.policy.itinerant;
        let mut trips = self.one_stop_trips(home, candidates);
        if it.max_stops < 2 || it.periods_half_day < it.min_periods_per_stop {
            return trips;
        }
        for (i, &a) in candidates.iter().enumerate() {
            for &b in &candidates[i + 1..] {
                if !near.get(a, b) {
                    continue;
                }
                if let Some(t) = self.two_stop(home, a, b) {
                    trips.push(t);
                }
            }
        }
        trips
    }

    /// Which pairs of schools are within `max_minutes_between` of each other one way or
    /// the other: the pairs a two-stop trip may join. Checking this first spares most of
    /// the work of `trips_from` (an L county: 250 schools, tens of millions of pairs over
    /// its homes, each several legs), and changes no trip.
    pub fn near_pairs(&self) -> Near {
        let n = self.schools.len();
        let limit = self.policy.itinerant.max_minutes_between + EPS;
        let mut near = vec![false; n * n];
        for a in self.school_ixs() {
            for b in self.school_ixs() {
                // Either order may be the one a trip takes; a missing leg rules out its own.
                near[a.ix() * n + b.ix()] = [self.leg(a, b), self.leg(b, a)]
                    .into_iter()
                    .flatten()
                    .any(|l| l.minutes <= limit);
            }
        }
        Near { n, near }
    }

    /// The one-stop trips of `trips_from`, in school order (without the two-stop pairs,
    /// which are most of the work).
    pub fn one_stop_trips(&self, home: SchoolIx, candidates: &[SchoolIx]) -> Vec<Trip> {
        let it = &self.policy.itinerant;
        let leg = |a, b| self.leg(a, b);
        let mut trips = Vec::new();
        if it.periods_full_day < it.min_periods_per_stop {
            return trips; // no stop could get its least periods
        }
        for &s in candidates {
            let (Some(out), Some(back)) = (leg(home, s), leg(s, home)) else {
                continue;
            };
            if out.minutes + back.minutes <= it.max_minutes_day + EPS {
                trips.push(Trip {
                    home,
                    stops: vec![(s, it.periods_full_day)],
                    km: out.km + back.km,
                    minutes: out.minutes + back.minutes,
                });
            }
        }
        trips
    }

    /// The two-stop trip over {a, b} in the model's order (fewer minutes; ties: fewer km,
    /// then the smaller school id first), if feasible.
    fn two_stop(&self, home: SchoolIx, a: SchoolIx, b: SchoolIx) -> Option<Trip> {
        let it = &self.policy.itinerant;
        let order = |s1: SchoolIx, s2: SchoolIx| -> Option<(f64, f64, f64)> {
            let (l1, l2, l3) = (self.leg(home, s1)?, self.leg(s1, s2)?, self.leg(s2, home)?);
            Some((
                l1.minutes + l2.minutes + l3.minutes,
                l1.km + l2.km + l3.km,
                l2.minutes,
            ))
        };
        let ab = order(a, b);
        let ba = order(b, a);
        // Equal sums reached in another order can differ in the last bit: a relative
        // 1e-9 counts as a tie, so symmetric distances fall to the id rule.
        let differ = |p: f64, q: f64| (p - q).abs() > 1e-9 * p.abs().max(q.abs()).max(1.0);
        let a_first = match (ab, ba) {
            (Some(x), Some(y)) => {
                if differ(x.0, y.0) {
                    x.0 < y.0
                } else if differ(x.1, y.1) {
                    x.1 < y.1
                } else {
                    self.school(a).id <= self.school(b).id
                }
            }
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        let ((minutes, km, between), s1, s2) = if a_first { (ab?, a, b) } else { (ba?, b, a) };
        (minutes <= it.max_minutes_day + EPS && between <= it.max_minutes_between + EPS).then(
            || Trip {
                home,
                stops: vec![(s1, it.periods_half_day), (s2, it.periods_half_day)],
                km,
                minutes,
            },
        )
    }
}
