//! teaching.csv: the periods y(t,s,k). Constraints 1-3 of MODEL.md: qualified subjects,
//! capacity at the full-time place and in all, trip teaching only of K(t) subjects at the
//! stops routes.csv gives, nothing at home for a teacher away full time, and only where
//! the school needs the subject.

use std::collections::BTreeMap;

use super::assignments::Place;
use super::facts::{self, Facts};
use super::files::TeachRow;
use super::routes::Trips;
use super::{codes, sid, Sink};
use crate::domain::{Dataset, SchoolIx, SubjectIx, TeacherIx};

/// The teaching the checker accepts as written (periods > 0, one row per key).
#[derive(Clone, Debug, Default)]
pub(crate) struct Taught {
    pub y: BTreeMap<(TeacherIx, SchoolIx, SubjectIx), i64>,
}

impl Taught {
    /// Σ_t y(t,s,k).
    pub fn covered(&self) -> BTreeMap<(SchoolIx, SubjectIx), i64> {
        let mut c = BTreeMap::new();
        for (&(_, s, k), &p) in &self.y {
            *c.entry((s, k)).or_default() += p;
        }
        c
    }
}

/// Checks teaching.csv's rows against constraints 1-3 (see the module doc); returns the
/// teaching as written, for coverage and rule 12.
pub(crate) fn check(
    ds: &Dataset,
    f: &[Facts],
    places: &[Place],
    trips: &Trips,
    rows: &[TeachRow],
    sink: &mut Sink,
) -> Taught {
    let (taught, first_line) = read(ds, rows, sink);
    per_teacher(ds, f, places, &taught, &first_line, sink);
    at_stops(ds, places, trips, &taught, sink);
    taught
}

/// The first line of teaching.csv that names each (teacher, school, subject).
type FirstLine = BTreeMap<(TeacherIx, SchoolIx, SubjectIx), usize>;

fn kname(ds: &Dataset, k: SubjectIx) -> &str {
    ds.subjects[k.ix()].as_str()
}

/// Each row on its own: periods > 0, one row per key, a qualified subject the school
/// asks for.
fn read(ds: &Dataset, rows: &[TeachRow], sink: &mut Sink) -> (Taught, FirstLine) {
    let sid = |s: SchoolIx| sid(ds, s);
    let kname = |k: SubjectIx| kname(ds, k);
    let mut taught = Taught::default();
    let mut first_line = FirstLine::new();
    for r in rows {
        let te = &ds.teachers[r.teacher.ix()];
        let at = format!("teaching.csv:{}: {}", r.line, te.id);
        if r.periods <= 0 {
            sink.push(
                codes::TEACH,
                format!(
                    "{at} teaches {} periods of {} at {}; rows give periods > 0",
                    r.periods,
                    kname(r.subject),
                    sid(r.school)
                ),
            );
            continue;
        }
        let key = (r.teacher, r.school, r.subject);
        if let Some(l) = first_line.get(&key) {
            sink.push(
                codes::TEACH,
                format!(
                    "{at} teaches {} at {} again (first at line {l})",
                    kname(r.subject),
                    sid(r.school)
                ),
            );
        } else {
            first_line.insert(key, r.line);
        }
        *taught.y.entry(key).or_default() += r.periods;
        if !facts::qualified(ds, r.teacher).contains(&r.subject) {
            sink.push(
                codes::QUALIFIED,
                format!(
                    "{at} teaches {} at {} but is not qualified for it",
                    kname(r.subject),
                    sid(r.school)
                ),
            );
        }
        if ds.demand_of(r.school, r.subject) == 0 {
            sink.push(
                codes::DEMAND,
                format!(
                    "{at} teaches {} at {} but {} has no demand for it",
                    kname(r.subject),
                    sid(r.school),
                    sid(r.school)
                ),
            );
        }
    }

    (taught, first_line)
}

/// Per teacher: the load at its full-time place and in all (rules 1 and 3), and teaching
/// elsewhere only on trips, of its itinerant subjects (rule 2).
fn per_teacher(
    ds: &Dataset,
    f: &[Facts],
    places: &[Place],
    taught: &Taught,
    first_line: &FirstLine,
    sink: &mut Sink,
) {
    let mut by_teacher: BTreeMap<TeacherIx, Vec<(SchoolIx, SubjectIx, i64)>> = BTreeMap::new();
    for (&(t, s, k), &p) in &taught.y {
        by_teacher.entry(t).or_default().push((s, k, p));
    }
    for (&t, list) in &by_teacher {
        let place = places[t.ix()];
        let full = place.school(ds.teachers[t.ix()].home);
        check_load(ds, t, full, list, sink);
        for &(s, k, p) in list.iter().filter(|x| x.0 != full) {
            let line = first_line.get(&(t, s, k)).copied().unwrap_or(0);
            let at = format!("teaching.csv:{line}: {}", ds.teachers[t.ix()].id);
            check_elsewhere(ds, &f[t.ix()], place, (s, k, p), &at, sink);
        }
    }
}

/// Rules 1 and 3: teacher `t`'s periods at its full-time school `full` and in all
/// (`list`, per school and subject) within its capacity.
fn check_load(
    ds: &Dataset,
    t: TeacherIx,
    full: SchoolIx,
    list: &[(SchoolIx, SubjectIx, i64)],
    sink: &mut Sink,
) {
    let (id, cap) = (&ds.teachers[t.ix()].id, ds.capacity(t) as i64);
    let total: i64 = list.iter().map(|x| x.2).sum();
    let at_full: i64 = list.iter().filter(|x| x.0 == full).map(|x| x.2).sum();
    if at_full > cap {
        sink.push(
            codes::FULLTIME,
            format!(
                "{id} teaches {at_full} periods a week at its full-time school {} but its capacity is {cap}",
                sid(ds, full)
            ),
        );
    }
    if total > cap {
        sink.push(
            codes::LOAD,
            format!("{id} teaches {total} periods a week in all but its capacity is {cap}"),
        );
    }
}

/// Rule 2: `p` periods of subject `k` at school `s`, away from the teacher's full-time
/// school, only on trips (not while serving full time elsewhere) and of a subject it may
/// teach on trips. `at` names the row.
fn check_elsewhere(
    ds: &Dataset,
    facts: &Facts,
    place: Place,
    (s, k, p): (SchoolIx, SubjectIx, i64),
    at: &str,
    sink: &mut Sink,
) {
    let sid = |s: SchoolIx| sid(ds, s);
    let kname = |k: SubjectIx| kname(ds, k);
    if let Place::Away { host, kind } = place {
        sink.push(
            codes::AWAY,
            format!(
                "{at} teaches {p} periods of {} at {} but serves full time at {} ({}) in {} and teaches nowhere else",
                kname(k),
                sid(s),
                sid(host),
                kind.as_str(),
                ds.policy.plan_year
            ),
        );
    } else if !facts.itinerant.contains(&k) {
        sink.push(
            codes::TRIP_SUBJECT,
            format!(
                "{at} teaches {} at {} on trips but {} is not an itinerant subject it holds",
                kname(k),
                sid(s),
                kname(k)
            ),
        );
    }
}

/// Trip teaching at each stop equals the periods routes.csv gives there.
fn at_stops(ds: &Dataset, places: &[Place], trips: &Trips, taught: &Taught, sink: &mut Sink) {
    let sid = |s: SchoolIx| sid(ds, s);
    let kname = |k: SubjectIx| kname(ds, k);
    let mut at_stop: BTreeMap<(TeacherIx, SchoolIx), (i64, Vec<&str>)> = BTreeMap::new();
    for (&(t, s, k), &p) in &taught.y {
        let te = &ds.teachers[t.ix()];
        if matches!(places[t.ix()], Place::Home) && s != te.home {
            let e = at_stop.entry((t, s)).or_default();
            e.0 += p;
            e.1.push(kname(k));
        }
    }
    for (&(t, s), &routed) in &trips.at_stop {
        if !at_stop.contains_key(&(t, s)) && routed != 0 {
            sink.push(
                codes::TRIP_PERIODS,
                format!(
                    "{}'s trips give {routed} periods at {} but teaching.csv has none of its teaching there",
                    ds.teachers[t.ix()].id,
                    sid(s)
                ),
            );
        }
    }
    for (&(t, s), (p, subjects)) in &at_stop {
        let routed = trips.at_stop.get(&(t, s)).copied();
        let id = &ds.teachers[t.ix()].id;
        match routed {
            None => sink.push(
                codes::TRIP_PERIODS,
                format!(
                    "{id} teaches {} at {} ({p} periods) but none of its trips stops there",
                    subjects.join(", "),
                    sid(s)
                ),
            ),
            Some(r) if r != *p => sink.push(
                codes::TRIP_PERIODS,
                format!(
                    "{id} teaches {p} periods at {} but its trips give {r} periods there",
                    sid(s)
                ),
            ),
            _ => {}
        }
    }
}
