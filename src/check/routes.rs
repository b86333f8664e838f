//! routes.csv: the 走教 trip-days. Each (teacher, weekday) is one trip of one or two stops
//! and a row back home; the trip must be one of J(t) (MODEL.md "Itinerant trips"), its legs
//! must carry the derived km and minutes, and the trip-days must fit `max_days`, the
//! documented weekdays and the documented spreading of periods.

use std::collections::BTreeMap;

use super::assignments::Place;
use super::facts::{self, Facts};
use super::files::RouteRow;
use super::{codes, fmt_num, Sink};
use crate::domain::{Dataset, SchoolIx, Scope, TeacherIx};

/// One trip-day as read, with what the checker derived for it.
#[derive(Clone, Debug)]
pub(crate) struct TripDay {
    /// km(j) of the trip(s) written on this day, from derived legs.
    pub km: f64,
}

/// The trips of a plan.
#[derive(Clone, Debug, Default)]
pub(crate) struct Trips {
    pub days: Vec<TripDay>,
    /// Σ periods written at each (teacher, stop).
    pub at_stop: BTreeMap<(TeacherIx, SchoolIx), i64>,
}

/// Slack for comparing derived minutes with the limits and for ties between orders.
const EPS: f64 = 1e-9;
/// Written km and minutes are rounded to 3 decimals.
const LEG_TOL: f64 = 1e-3 + 1e-9;

pub(crate) fn weekday_name(d: i64) -> String {
    let name = match d {
        1 => "Monday",
        2 => "Tuesday",
        3 => "Wednesday",
        4 => "Thursday",
        5 => "Friday",
        _ => "weekday ?",
    };
    format!("{name} ({d})")
}

/// Derived (total minutes, total km, minutes between stops) of home → a → b → home.
fn two_stop(ds: &Dataset, h: SchoolIx, a: SchoolIx, b: SchoolIx) -> Option<(f64, f64, f64)> {
    let l1 = facts::distance(ds, h, a)?;
    let l2 = facts::distance(ds, a, b)?;
    let l3 = facts::distance(ds, b, h)?;
    Some((l1.1 + l2.1 + l3.1, l1.0 + l2.0 + l3.0, l2.1))
}

/// Whether `a` comes first in MODEL.md's order of {a, b}: fewer minutes, ties (within
/// rounding noise) fewer km, then the smaller school id first.
fn a_first(
    ds: &Dataset,
    ab: (f64, f64, f64),
    ba: (f64, f64, f64),
    a: SchoolIx,
    b: SchoolIx,
) -> bool {
    let tie = |x: f64, y: f64| (x - y).abs() <= EPS * x.abs().max(y.abs()).max(1.0);
    if !tie(ab.0, ba.0) {
        ab.0 < ba.0
    } else if !tie(ab.1, ba.1) {
        ab.1 < ba.1
    } else {
        ds.schools[a.ix()].id <= ds.schools[b.ix()].id
    }
}

/// Checks routes.csv: each teacher's trip-days (form, then each trip's stops and legs)
/// and each traveller; returns the trips as written, for teaching and coverage.
pub(crate) fn check(
    ds: &Dataset,
    f: &[Facts],
    places: &[Place],
    rows: &[RouteRow],
    sink: &mut Sink,
) -> Trips {
    let mut groups: BTreeMap<(TeacherIx, i64), Vec<&RouteRow>> = BTreeMap::new();
    for r in rows {
        groups.entry((r.teacher, r.weekday)).or_default().push(r);
    }
    let mut trips = Trips::default();
    let mut days_of: BTreeMap<TeacherIx, Vec<(i64, usize)>> = BTreeMap::new();
    for (&(t, wd), group) in &groups {
        let first_line = group.iter().map(|r| r.line).min().unwrap_or(0);
        days_of.entry(t).or_default().push((wd, first_line));
        let segments = segments(group, ds.teachers[t.ix()].home);
        check_day_form(ds, (t, wd), group, &segments, sink);
        let mut day_km = 0.0;
        for (stops, back) in segments {
            day_km += check_trip(ds, f, t, wd, &stops, back, &mut trips, sink);
        }
        trips.days.push(TripDay { km: day_km });
    }
    for (&t, days) in &days_of {
        check_traveller(ds, f, places, t, days, sink);
    }
    trips
}

/// A trip's stops, and its row back home when it has one.
type Segment<'a> = (Vec<&'a RouteRow>, Option<&'a RouteRow>);

/// One teacher's rows of one weekday, in file order, cut into trips at each row back
/// `home` (the rows of one trip run from seq 1 to the row back home).
fn segments<'a>(group: &[&'a RouteRow], home: SchoolIx) -> Vec<Segment<'a>> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut stops: Vec<&RouteRow> = Vec::new();
    for &r in group {
        if r.school == home {
            segments.push((std::mem::take(&mut stops), Some(r)));
        } else {
            stops.push(r);
        }
    }
    if !stops.is_empty() {
        segments.push((stops, None));
    }
    segments
}

/// A trip-day's form: one trip, seq 1 to n, ending with a row back home that gives no
/// periods.
fn check_day_form(
    ds: &Dataset,
    (t, wd): (TeacherIx, i64),
    group: &[&RouteRow],
    segments: &[Segment],
    sink: &mut Sink,
) {
    let te = &ds.teachers[t.ix()];
    let day = weekday_name(wd);
    let first_line = group.iter().map(|r| r.line).min().unwrap_or(0);
    let who = format!("routes.csv:{first_line}: {} on {day}", te.id);
    if segments.len() > 1 {
        sink.push(
            codes::DAY,
            format!(
                "{who} makes {} trips; a trip-day is one trip on one weekday",
                segments.len()
            ),
        );
    }
    for (stops, back) in segments {
        let seqs: Vec<i64> = stops.iter().chain(back).map(|r| r.seq).collect();
        if seqs != (1..=seqs.len() as i64).collect::<Vec<_>>() {
            let line = stops.iter().chain(back).map(|r| r.line).min().unwrap_or(0);
            sink.push(
                codes::ROUTE_FORM,
                format!(
                    "routes.csv:{line}: {} on {day}: a trip has seq {}; expected 1 to {}",
                    te.id,
                    seqs.iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    seqs.len()
                ),
            );
        }
    }
    if segments.last().is_some_and(|s| s.1.is_none()) {
        sink.push(
            codes::ROUTE_FORM,
            format!(
                "{who}: the trip does not end with a row back to the home school {}",
                ds.schools[te.home.ix()].id
            ),
        );
    }
    for r in group
        .iter()
        .filter(|r| r.school == te.home && r.periods != 0)
    {
        sink.push(
            codes::ROUTE_FORM,
            format!(
                "routes.csv:{}: {} on {day}: the row back home gives {} periods; it must give 0",
                r.line, te.id, r.periods
            ),
        );
    }
}

/// A teacher who travels: at most max_days trip-days, active and free to leave, holding
/// an itinerant subject, and at home full time.
fn check_traveller(
    ds: &Dataset,
    f: &[Facts],
    places: &[Place],
    t: TeacherIx,
    days: &[(i64, usize)],
    sink: &mut Sink,
) {
    let it = &ds.policy.itinerant;
    let te = &ds.teachers[t.ix()];
    let ft = &f[t.ix()];
    let line = days.iter().map(|d| d.1).min().unwrap_or(0);
    let who = format!("routes.csv:{line}: {}", te.id);
    let n = days.len();
    if n as u32 > it.max_days {
        sink.push(
            codes::DAYS,
            format!(
                "{who} travels on {n} days a week but itinerant.max_days is {}",
                it.max_days
            ),
        );
    }
    if !ft.active {
        sink.push(
            codes::EXEMPT,
            format!("{who} is exempt but makes 走教 trips"),
        );
    } else if let Some(why) = facts::leave_refusal(ds, f, t) {
        sink.push(
            codes::TRAVELER,
            format!("{who} makes 走教 trips but may not travel: {why}"),
        );
    }
    if ft.itinerant.is_empty() {
        sink.push(
            codes::TRAVELER,
            format!(
                "{who} makes 走教 trips but is qualified for none of the itinerant subjects ({})",
                it.subjects.join(", ")
            ),
        );
    }
    if let Place::Away { host, kind } = places[t.ix()] {
        sink.push(
            codes::TRAVELER,
            format!(
                "{who} makes 走教 trips but serves full time at {} ({}) in {}; trips start from home",
                ds.schools[host.ix()].id,
                kind.as_str(),
                ds.policy.plan_year
            ),
        );
    }
}

/// One trip (stops then the row back home); returns its km from derived legs.
#[allow(clippy::too_many_arguments)]
fn check_trip(
    ds: &Dataset,
    f: &[Facts],
    t: TeacherIx,
    wd: i64,
    stops: &[&RouteRow],
    back: Option<&RouteRow>,
    trips: &mut Trips,
    sink: &mut Sink,
) -> f64 {
    let te = &ds.teachers[t.ix()];
    let day = weekday_name(wd);
    let line = stops.first().or(back.as_ref()).map_or(0, |r| r.line);
    let trip = Trip {
        ds,
        t,
        home: te.home,
        who: format!("routes.csv:{line}: {} on {day}", te.id),
        day,
    };
    if stops.is_empty() {
        sink.push(
            codes::ROUTE_FORM,
            format!("{} has a trip with no stop", trip.who),
        );
        return 0.0;
    }
    trip.check_form(stops, sink);
    trip.check_stops(f, stops, trips, sink);
    if !trip.legs_known(stops, back, sink) {
        return 0.0;
    }
    match stops {
        [one] => trip.one_stop(one.school, sink),
        [a, b] if a.school != b.school => trip.two_stops(a.school, b.school, sink),
        _ => 0.0,
    }
}

/// A trip being checked: whose, from where, on which day.
struct Trip<'a> {
    ds: &'a Dataset,
    t: TeacherIx,
    home: SchoolIx,
    /// "routes.csv:LINE: TEACHER on DAY", what each message starts with.
    who: String,
    day: String,
}

impl Trip<'_> {
    fn sid(&self, s: SchoolIx) -> &str {
        self.ds.schools[s.ix()].id.as_str()
    }

    /// At most `max_stops` (and 2) stops, none twice.
    fn check_form(&self, stops: &[&RouteRow], sink: &mut Sink) {
        let most = self.ds.policy.itinerant.max_stops.min(2);
        if stops.len() as u32 > most {
            sink.push(
                codes::ROUTE_FORM,
                format!(
                    "{} stops at {} schools but a trip has at most {most} stops",
                    self.who,
                    stops.len(),
                ),
            );
        }
        if stops.len() == 2 && stops[0].school == stops[1].school {
            sink.push(
                codes::ROUTE_FORM,
                format!("{} stops twice at {}", self.who, self.sid(stops[0].school)),
            );
        }
    }

    /// Each stop's periods (≥ 0, ≥ the least a stop, ≤ what the trip gives there) and
    /// whether it may be a stop at all; counts the periods per (teacher, stop).
    fn check_stops(&self, f: &[Facts], stops: &[&RouteRow], trips: &mut Trips, sink: &mut Sink) {
        let it = &self.ds.policy.itinerant;
        let per_stop = if stops.len() == 1 {
            it.periods_full_day
        } else {
            it.periods_half_day
        } as i64;
        let (t, day) = (self.t, &self.day);
        let id = &self.ds.teachers[t.ix()].id;
        for r in stops {
            let s = r.school;
            *trips.at_stop.entry((t, s)).or_default() += r.periods;
            let at = format!("routes.csv:{}: {id} on {day}", r.line);
            if r.periods < 0 {
                sink.push(
                    codes::ROUTE_FORM,
                    format!("{at} gives {} periods at {}", r.periods, self.sid(s)),
                );
            }
            let least = it.min_periods_per_stop as i64;
            if r.periods >= 0 && r.periods < least {
                sink.push(
                    codes::STOP_MIN,
                    format!(
                        "{at} teaches {} periods at {} but a stop is at least {least} periods (itinerant.min_periods_per_stop)",
                        r.periods,
                        self.sid(s)
                    ),
                );
            }
            if r.periods > per_stop {
                sink.push(
                    codes::STOP_PERIODS,
                    format!(
                        "{at} teaches {} periods at {} but a {}-stop trip gives at most {per_stop} there",
                        r.periods,
                        self.sid(s),
                        stops.len()
                    ),
                );
            }
            if let Some(why) = stop_refusal(self.ds, f, t, s) {
                sink.push(
                    codes::STOP,
                    format!(
                        "{at} stops at {}, which is no stop for it: {why}",
                        self.sid(s)
                    ),
                );
            }
        }
    }

    /// Legs as written against the derived ones; false when a leg's distance is unknown.
    fn legs_known(&self, stops: &[&RouteRow], back: Option<&RouteRow>, sink: &mut Sink) -> bool {
        let id = &self.ds.teachers[self.t.ix()].id;
        let mut prev = self.home;
        let mut known = true;
        for r in stops.iter().copied().chain(back) {
            match facts::distance(self.ds, prev, r.school) {
                Some((km, minutes)) => {
                    if (r.km - km).abs() > LEG_TOL || (r.minutes - minutes).abs() > LEG_TOL {
                        sink.push(
                            codes::LEG,
                            format!(
                                "routes.csv:{}: the leg {} → {} of {id} is written as {} km, {} minutes but is {} km, {} minutes",
                                r.line,
                                self.sid(prev),
                                self.sid(r.school),
                                fmt_num(r.km),
                                fmt_num(r.minutes),
                                fmt_num(km),
                                fmt_num(minutes)
                            ),
                        );
                    }
                }
                None => {
                    known = false;
                    sink.push(
                        codes::LEG,
                        format!(
                            "routes.csv:{}: no distance is known between {} and {} (no distances.csv pair, no coordinates)",
                            r.line,
                            self.sid(prev),
                            self.sid(r.school)
                        ),
                    );
                }
            }
            prev = r.school;
        }
        known
    }

    /// A one-stop trip within `max_minutes_day`; its km.
    fn one_stop(&self, s: SchoolIx, sink: &mut Sink) -> f64 {
        let (ds, home) = (self.ds, self.home);
        let limit = ds.policy.itinerant.max_minutes_day;
        let (Some(out), Some(ret)) = (facts::distance(ds, home, s), facts::distance(ds, s, home))
        else {
            return 0.0;
        };
        let minutes = out.1 + ret.1;
        if over(minutes, limit) {
            sink.push(
                codes::MINUTES,
                format!(
                    "{}: the trip {} → {} → {} takes {} minutes, over max_minutes_day {}",
                    self.who,
                    self.sid(home),
                    self.sid(s),
                    self.sid(home),
                    fmt_num(minutes),
                    fmt_num(limit)
                ),
            );
        }
        out.0 + ret.0
    }

    /// A two-stop trip in the model's order, within `max_minutes_day` and
    /// `max_minutes_between`; its km.
    fn two_stops(&self, a: SchoolIx, b: SchoolIx, sink: &mut Sink) -> f64 {
        let (ds, home, who) = (self.ds, self.home, &self.who);
        let it = &ds.policy.itinerant;
        let sid = |s: SchoolIx| self.sid(s);
        let (Some(ab), Some(ba)) = (two_stop(ds, home, a, b), two_stop(ds, home, b, a)) else {
            return 0.0;
        };
        let (first, second, chosen) = if a_first(ds, ab, ba, a, b) {
            (a, b, ab)
        } else {
            sink.push(
                codes::ORDER,
                format!(
                    "{who} visits {} then {} ({} minutes, {} km) but the model's order is {} then {} ({} minutes, {} km; ties: fewer km, then the smaller id first)",
                    sid(a),
                    sid(b),
                    fmt_num(ab.0),
                    fmt_num(ab.1),
                    sid(b),
                    sid(a),
                    fmt_num(ba.0),
                    fmt_num(ba.1)
                ),
            );
            (b, a, ba)
        };
        if over(chosen.0, it.max_minutes_day) {
            sink.push(
                codes::MINUTES,
                format!(
                    "{who}: the trip {} → {} → {} → {} takes {} minutes, over max_minutes_day {}",
                    sid(home),
                    sid(first),
                    sid(second),
                    sid(home),
                    fmt_num(chosen.0),
                    fmt_num(it.max_minutes_day)
                ),
            );
        }
        if over(chosen.2, it.max_minutes_between) {
            sink.push(
                codes::MINUTES,
                format!(
                    "{who}: the leg {} → {} takes {} minutes, over max_minutes_between {}",
                    sid(first),
                    sid(second),
                    fmt_num(chosen.2),
                    fmt_num(it.max_minutes_between)
                ),
            );
        }
        chosen.1
    }
}

/// Minutes over a limit, beyond rounding.
fn over(m: f64, limit: f64) -> bool {
    m > limit + EPS * limit.abs().max(1.0)
}

/// Why `s` is not a stop candidate of `t`; `None` when it is.
fn stop_refusal(ds: &Dataset, f: &[Facts], t: TeacherIx, s: SchoolIx) -> Option<String> {
    let te = &ds.teachers[t.ix()];
    let school = &ds.schools[s.ix()];
    if s == te.home {
        return Some("it is the home school".into());
    }
    let k = &f[t.ix()].itinerant;
    if k.is_empty() {
        return Some("the teacher holds none of the itinerant subjects".into());
    }
    if !k.iter().any(|&k| ds.demand_of(s, k) > 0) {
        let names: Vec<&str> = k.iter().map(|k| ds.subjects[k.ix()].as_str()).collect();
        return Some(format!(
            "it needs none of the teacher's itinerant subjects ({})",
            names.join(", ")
        ));
    }
    if !te.stage.overlaps(school.stage) {
        return Some(format!(
            "the teacher is {} and the school is {}",
            te.stage.as_str(),
            school.stage.as_str()
        ));
    }
    if ds.policy.itinerant.scope == Scope::Community {
        let home_c = ds.schools[te.home.ix()].community;
        if home_c.is_none() || home_c != school.community {
            return Some(
                "it is outside the home school's community and itinerant.scope is \"community\""
                    .into(),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_are_named() {
        assert_eq!(weekday_name(2), "Tuesday (2)");
        assert_eq!(weekday_name(7), "weekday ? (7)");
    }
}
