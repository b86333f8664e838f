//! Weekly 走教 routes (MODEL.md, outputs): every trip-day of the county on a weekday, a
//! teacher at most one trip a day, so that first the most 走教 periods any school gets on
//! one weekday is as small as it can be made, then each teacher's days lie apart; then
//! each stop's periods are spread over the days that visit it, at least
//! `min_periods_per_stop` a visit, the rest where the host's day is lightest.
//!
//! Choosing weekdays is a small assignment problem over the whole county; a local search
//! does it: teachers are placed one by one (most periods first), each on its best choice
//! of days given the others, then each is taken out and placed again until no teacher
//! finds a better choice. Deterministic: every tie falls to ids and weekday order.

use std::collections::BTreeMap;

use crate::domain::{Dataset, Leg, SchoolIx, TeacherIx, Trip};

/// One stop of a scheduled day: the school, the leg that reaches it, periods taught there.
#[derive(Clone, Debug, PartialEq)]
pub struct Stop {
    pub school: SchoolIx,
    pub leg: Leg,
    pub periods: u32,
}

/// One trip-day of a teacher, with the final row back home (periods 0).
#[derive(Clone, Debug, PartialEq)]
pub struct Day {
    pub weekday: u8,
    pub trip: Trip,
    /// Stops in order, then home.
    pub stops: Vec<Stop>,
}

const WEEKDAYS: usize = 5;
/// Passes of re-placing every teacher at most (each pass only improves).
const PASSES: usize = 20;

/// One teacher's week to place: trip-days, and trip periods by stop.
struct Week {
    teacher: TeacherIx,
    trips: Vec<Trip>,
    periods: BTreeMap<SchoolIx, u32>,
}

impl Week {
    /// What a day of trip `j` brings each of its stops, before periods are placed: the
    /// stop's periods shared evenly over the teacher's visits there.
    fn load(&self, j: usize) -> Vec<(SchoolIx, f64)> {
        self.trips[j]
            .stops
            .iter()
            .map(|&(s, _)| {
                let visits = self
                    .trips
                    .iter()
                    .flat_map(|t| &t.stops)
                    .filter(|x| x.0 == s)
                    .count();
                let p = self.periods.get(&s).copied().unwrap_or(0);
                (s, p as f64 / visits.max(1) as f64)
            })
            .collect()
    }
}

/// Per school and weekday, the 走教 periods it receives (estimated while placing).
struct Board {
    load: BTreeMap<SchoolIx, [f64; WEEKDAYS]>,
}

impl Board {
    fn apply(&mut self, week: &Week, days: &[usize], sign: f64) {
        for (j, &d) in days.iter().enumerate() {
            for (s, p) in week.load(j) {
                self.load.entry(s).or_insert([0.0; WEEKDAYS])[d] += sign * p;
            }
        }
    }

    /// The score of placing `week` on `days` (lower is better): the largest load any
    /// school gets on a day, the sum of each touched school's largest day, the teacher's
    /// consecutive days, the sum of squares of the touched loads.
    fn score(&self, week: &Week, days: &[usize]) -> Score {
        let mut touched: BTreeMap<SchoolIx, [f64; WEEKDAYS]> = BTreeMap::new();
        for (j, &d) in days.iter().enumerate() {
            for (s, p) in week.load(j) {
                let row = touched
                    .entry(s)
                    .or_insert_with(|| self.load.get(&s).copied().unwrap_or([0.0; WEEKDAYS]));
                row[d] += p;
            }
        }
        let top = |row: &[f64; WEEKDAYS]| row.iter().copied().fold(0.0, f64::max);
        let others = self
            .load
            .iter()
            .filter(|(s, _)| !touched.contains_key(s))
            .map(|(_, r)| top(r))
            .fold(0.0, f64::max);
        let most = touched.values().map(top).fold(others, f64::max);
        let tops: f64 = touched.values().map(top).sum();
        let squares: f64 = touched.values().flatten().map(|x| x * x).sum();
        let mut sorted = days.to_vec();
        sorted.sort_unstable();
        let adjacent = sorted.windows(2).filter(|w| w[1] == w[0] + 1).count();
        (most, tops, adjacent, squares)
    }
}

/// How good a choice of days is, compared in order: largest school-day load, sum of the
/// touched schools' largest days, the teacher's consecutive days, sum of squared loads.
type Score = (f64, f64, usize, f64);

/// Whether `a` is better than `b` (loads compared with a small tolerance).
fn better(a: &Score, b: &Score) -> bool {
    const EPS: f64 = 1e-9;
    let cmp = |x: f64, y: f64| {
        if x < y - EPS {
            std::cmp::Ordering::Less
        } else if x > y + EPS {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    };
    cmp(a.0, b.0)
        .then(cmp(a.1, b.1))
        .then(a.2.cmp(&b.2))
        .then(cmp(a.3, b.3))
        .is_lt()
}

/// Every injective choice of weekdays for n trip-days, in lexicographic order.
fn choices(n: usize) -> Vec<Vec<usize>> {
    fn grow(n: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == n {
            out.push(cur.clone());
            return;
        }
        for d in 0..WEEKDAYS {
            if !cur.contains(&d) {
                cur.push(d);
                grow(n, cur, out);
                cur.pop();
            }
        }
    }
    let mut out = Vec::new();
    grow(n.min(WEEKDAYS), &mut Vec::new(), &mut out);
    out
}

/// The best choice of days for `week` on `board` (ties: the earlier choice).
fn best_days(board: &Board, week: &Week, options: &[Vec<usize>]) -> Vec<usize> {
    let mut best: Option<(Score, &Vec<usize>)> = None;
    for o in options {
        let s = board.score(week, o);
        if best.as_ref().is_none_or(|(b, _)| better(&s, b)) {
            best = Some((s, o));
        }
    }
    best.map_or_else(Vec::new, |(_, o)| o.clone())
}

/// The county's week: per teacher (indexed by teacher), its trip-days on weekdays.
/// `trip_days[t]` are t's trips; `periods(t, s)` its trip periods at stop s.
pub fn schedule_week(
    ds: &Dataset,
    trip_days: &[Vec<Trip>],
    periods: impl Fn(TeacherIx, SchoolIx) -> u32,
) -> Vec<Vec<Day>> {
    let mut weeks: Vec<Week> = ds
        .teacher_ixs()
        .filter(|t| !trip_days[t.ix()].is_empty())
        .map(|t| {
            let trips: Vec<Trip> = trip_days[t.ix()].iter().take(WEEKDAYS).cloned().collect();
            let mut at = BTreeMap::new();
            for s in trips.iter().flat_map(|j| j.stops.iter().map(|x| x.0)) {
                at.insert(s, periods(t, s));
            }
            Week {
                teacher: t,
                trips,
                periods: at,
            }
        })
        .collect();
    // Heaviest weeks first, then by teacher id.
    weeks.sort_by(|a, b| {
        let total = |w: &Week| w.periods.values().sum::<u32>();
        total(b)
            .cmp(&total(a))
            .then_with(|| ds.teacher(a.teacher).id.cmp(&ds.teacher(b.teacher).id))
    });
    let mut board = Board {
        load: BTreeMap::new(),
    };
    let options: Vec<Vec<Vec<usize>>> = (0..=WEEKDAYS).map(choices).collect();
    let mut days: Vec<Vec<usize>> = Vec::with_capacity(weeks.len());
    for w in &weeks {
        let d = best_days(&board, w, &options[w.trips.len()]);
        board.apply(w, &d, 1.0);
        days.push(d);
    }
    for _ in 0..PASSES {
        let mut changed = false;
        for (i, w) in weeks.iter().enumerate() {
            board.apply(w, &days[i], -1.0);
            let d = best_days(&board, w, &options[w.trips.len()]);
            let old = board.score(w, &days[i]);
            let new = board.score(w, &d);
            // Only a strictly better choice moves (so the passes end).
            if d != days[i] && better(&new, &old) {
                days[i] = d;
                changed = true;
            }
            board.apply(w, &days[i], 1.0);
        }
        if !changed {
            break;
        }
    }
    let mut out: Vec<Vec<Day>> = vec![Vec::new(); ds.teachers.len()];
    for (w, d) in weeks.iter().zip(&days) {
        out[w.teacher.ix()] = scheduled_days(ds, w, d);
    }
    spread_periods(ds, &weeks, &mut out);
    out
}

/// A teacher's trips on their weekdays, in weekday order, periods not yet placed.
fn scheduled_days(ds: &Dataset, w: &Week, days: &[usize]) -> Vec<Day> {
    let mut out: Vec<Day> = w
        .trips
        .iter()
        .zip(days)
        .map(|(trip, &d)| Day {
            weekday: d as u8 + 1,
            trip: trip.clone(),
            stops: trip
                .legs(ds)
                .into_iter()
                .map(|(school, leg)| Stop {
                    school,
                    leg,
                    periods: 0,
                })
                .collect(),
        })
        .collect();
    out.sort_by_key(|d| d.weekday);
    out
}

/// Each teacher's periods at a stop over the days visiting it: `min_periods_per_stop`
/// each first (rule 2), then one at a time to the visit whose host has the lightest day,
/// within what the trip gives there.
fn spread_periods(ds: &Dataset, weeks: &[Week], out: &mut [Vec<Day>]) {
    let least = ds.policy.itinerant.min_periods_per_stop;
    let mut load: BTreeMap<(SchoolIx, u8), u32> = BTreeMap::new();
    for w in weeks {
        let t = w.teacher.ix();
        for (&s, &total) in &w.periods {
            // (day index in out[t], stop index, room)
            let mut visits: Vec<(usize, usize, u32)> = out[t]
                .iter()
                .enumerate()
                .filter_map(|(i, day)| {
                    let at = day.stops.iter().position(|x| x.school == s)?;
                    Some((i, at, day.trip.periods_at(s)))
                })
                .collect();
            let mut left = total;
            for v in &mut visits {
                let give = left.min(least).min(v.2);
                out[t][v.0].stops[v.1].periods += give;
                v.2 -= give;
                left -= give;
                *load.entry((s, out[t][v.0].weekday)).or_default() += give;
            }
            while left > 0 {
                let pick = visits
                    .iter_mut()
                    .filter(|v| v.2 > 0)
                    .min_by_key(|v| (load.get(&(s, out[t][v.0].weekday)).copied(), v.0));
                let Some(v) = pick else { break };
                out[t][v.0].stops[v.1].periods += 1;
                v.2 -= 1;
                left -= 1;
                *load.entry((s, out[t][v.0].weekday)).or_default() += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DatasetBuilder, SchoolKind, Stages, TeacherSpec};

    #[test]
    fn choices_are_injective_and_ordered() {
        assert_eq!(choices(0), vec![Vec::<usize>::new()]);
        assert_eq!(choices(1).len(), 5);
        assert_eq!(choices(2).len(), 20);
        assert_eq!(choices(2)[0], vec![0, 1]);
        assert!(choices(3).iter().all(|c| {
            let mut s = c.clone();
            s.sort();
            s.dedup();
            s.len() == 3
        }));
    }

    /// Five 音乐 teachers of A each make two one-stop trips to B: ten trip-days, four
    /// periods each. Spread over the week, B gets 8 periods every weekday, and no teacher
    /// travels on two days in a row where it can be avoided.
    #[test]
    fn one_host_gets_its_periods_spread_over_the_week() {
        let mut b = DatasetBuilder::new()
            .school("A", SchoolKind::Urban, Stages::PRIMARY, None)
            .school("B", SchoolKind::Rural, Stages::PRIMARY, None)
            .distance("A", "B", 10.0, 20.0)
            .demand("B", "音乐", 40);
        for i in 0..5 {
            b = b.teacher(TeacherSpec::new(&format!("T{i}"), "A", "音乐"));
        }
        let ds = b.build();
        let near = ds.near_pairs();
        let cands = ds.stop_candidates(
            crate::domain::SchoolIx(0),
            Stages::PRIMARY,
            &[ds.subject_ix("音乐").unwrap()],
        );
        let trip = ds.trips_from(crate::domain::SchoolIx(0), &cands, &near)[0].clone();
        let trips = vec![vec![trip.clone(), trip]; 5];
        let week = schedule_week(&ds, &trips, |_, _| 8);
        let mut per_day = [0u32; 5];
        for days in &week {
            assert_eq!(days.len(), 2);
            let (a, b) = (days[0].weekday, days[1].weekday);
            assert!(b >= a + 2, "days {a} and {b} are adjacent");
            for d in days {
                assert_eq!(d.stops[0].periods, 4);
                per_day[d.weekday as usize - 1] += d.stops[0].periods;
            }
        }
        assert_eq!(per_day, [8; 5]);
    }
}
