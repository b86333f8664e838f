//! Weekly 走教 routes: each trip-day on its own weekday, visits to one school spread over
//! the week, and each stop's periods spread over the days that visit it.

use crate::domain::{Dataset, Leg, SchoolIx, Trip};

/// Weekdays (1 = Monday) for n trip-days, spread over the week.
pub fn weekdays(n: usize) -> &'static [u8] {
    match n {
        0 => &[],
        1 => &[2],
        2 => &[2, 4],
        3 => &[1, 3, 5],
        4 => &[1, 2, 4, 5],
        _ => &[1, 2, 3, 4, 5],
    }
}

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

/// Places a teacher's trip-days on weekdays and spreads `periods_at(s)` (the teacher's
/// trip periods at each stop) over the days that stop there, earlier weekdays first.
pub fn schedule(
    ds: &Dataset,
    trip_days: &[Trip],
    periods_at: impl Fn(SchoolIx) -> u32,
) -> Vec<Day> {
    let n = trip_days.len().min(5);
    let slots = weekdays(n);
    // Sort so that a trip's days are together, then deal them onto alternate slots
    // (0, 2, 4, 1, 3): two days of one trip land two weekdays apart where there is room.
    let mut trips: Vec<&Trip> = trip_days.iter().take(n).collect();
    trips.sort_by(|a, b| {
        let key = |t: &Trip| t.stops.iter().map(|(s, _)| *s).collect::<Vec<_>>();
        key(a).cmp(&key(b))
    });
    let order: Vec<usize> = (0..n).step_by(2).chain((1..n).step_by(2)).collect();
    let mut days: Vec<Day> = trips
        .iter()
        .zip(&order)
        .map(|(trip, &slot)| Day {
            weekday: slots[slot],
            trip: (*trip).clone(),
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
    days.sort_by_key(|d| d.weekday);
    let mut schools: Vec<SchoolIx> = days
        .iter()
        .flat_map(|d| d.trip.stops.iter().map(|(s, _)| *s))
        .collect();
    schools.sort();
    schools.dedup();
    for s in schools {
        let mut left = periods_at(s);
        for day in &mut days {
            let room = day.trip.periods_at(s);
            if room == 0 {
                continue;
            }
            let give = left.min(room);
            if let Some(stop) = day.stops.iter_mut().find(|x| x.school == s) {
                stop.periods = give;
            }
            left -= give;
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_are_spread_and_distinct() {
        for n in 0..=5 {
            let w = weekdays(n);
            assert_eq!(w.len(), n);
            assert!(w.windows(2).all(|p| p[0] < p[1]));
            assert!(w.iter().all(|d| (1..=5).contains(d)));
        }
        // Two days are never adjacent.
        assert_eq!(weekdays(2)[1] - weekdays(2)[0], 2);
    }
}
