//! The last stage (docs/model.md §5 item 2): with every move, extension and trip-day
//! fixed, the periods are a transportation problem whose vertices are integral, so an LP
//! per teacher gives the integer y(t,s,k) that are written. Also the fixings that map a
//! per-teacher plan to class counts and back, and the no-move LP of `unmet_before`.
//!
//! Contract: `periods_for` returns every y(t,s,k) > 0 of the best teaching for the given
//! placements and trip-days (an error only when HiGHS fails on an LP that has a solution).

use std::collections::BTreeMap;

use super::build::{build_with, Fixing, Milp, PeriodKind, PeriodVar, Shape};
use super::classes::{Base, Classes};
use super::period_fit::{self, Entry, Limits};
use super::solve::{self, SolveStatus, SolverSettings};
use super::{Decisions, ModelError, Periods};
use crate::domain::{Dataset, Placement, SchoolIx, SubjectIx, TeacherIx, Trip};

/// Class-level counts of per-teacher decisions (the inverse of `disaggregate`).
pub(super) fn class_fixing(cl: &Classes, placement: &[Placement], trips: &[Vec<Trip>]) -> Fixing {
    let mut f = zero_fixing(cl);
    for (ci, c) in cl.classes.iter().enumerate() {
        for &t in &c.members {
            match placement[t.ix()] {
                Placement::Extended(_) if c.ending.is_some() => f.e[ci] += 1,
                Placement::New(s, _) => {
                    if let Some(m) = c.moves.iter().position(|m| m.host == s) {
                        f.x[ci][m] += 1;
                    }
                }
                _ => {}
            }
            if let Some(table) = c.trips {
                for trip in &trips[t.ix()] {
                    if let Some(j) = cl.trip_tables[table].iter().position(|x| x == trip) {
                        f.w[ci][j] += 1;
                    }
                }
            }
        }
    }
    f
}

/// unmet_before of MODEL.md: the best coverage with nobody moving or travelling (LOCKED
/// teachers where they are, ENDING ones back home), per demand row with periods > 0.
pub fn unmet_before(
    ds: &Dataset,
    set: &SolverSettings,
) -> Result<BTreeMap<(SchoolIx, SubjectIx), u32>, ModelError> {
    let cl = Classes::singletons(ds);
    let zero = zero_fixing(&cl);
    let trips = used_trips(&zero);
    let milp = build_with(ds, &cl, Some(&zero), fixed_shape(&trips));
    let u = milp.u.clone();
    let solved = solve_lp(milp, set)?;
    Ok(u.into_iter()
        .map(|(key, col)| (key, solved.columns[col.ix].round().max(0.0) as u32))
        .collect())
}

/// Per class, the trips a fixing makes: with every decision fixed, a trip fixed at 0 and
/// a stop no made trip reaches only add columns and rows held at 0, so they are left out.
fn used_trips(f: &Fixing) -> Vec<Vec<usize>> {
    f.w.iter()
        .map(|w| (0..w.len()).filter(|&j| w[j] > 0).collect())
        .collect()
}

fn fixed_shape(trips: &[Vec<usize>]) -> Shape<'_> {
    Shape {
        trips: Some(trips),
        ..Shape::default()
    }
}

pub(super) fn zero_fixing(cl: &Classes) -> Fixing {
    Fixing {
        x: cl.classes.iter().map(|c| vec![0; c.moves.len()]).collect(),
        e: vec![0; cl.classes.len()],
        w: cl
            .classes
            .iter()
            .map(|c| c.trips.map_or(0, |t| cl.trip_tables[t].len()))
            .map(|n| vec![0; n])
            .collect(),
    }
}

/// Gives each class's decisions to its members: the first (by id) take the extensions,
/// then the moves in host order; trip days go to the stayers, each next day to the one
/// with the fewest so far.
pub(super) fn disaggregate(
    ds: &Dataset,
    cl: &Classes,
    f: &Fixing,
) -> (Vec<Placement>, Vec<Vec<Trip>>) {
    let mut placement = vec![Placement::Home; ds.teachers.len()];
    let mut trip_days: Vec<Vec<Trip>> = vec![Vec::new(); ds.teachers.len()];
    let max_days = ds.policy.itinerant.max_days as usize;
    for (ci, c) in cl.classes.iter().enumerate() {
        let mut members = c.members.iter().copied();
        match c.base {
            Base::Locked(l) => {
                for t in members.by_ref() {
                    placement[t.ix()] = Placement::Continuing(l);
                }
            }
            Base::Exempt => {}
            Base::Home => {
                if let Some(l) = c.ending {
                    for t in members.by_ref().take(f.e[ci] as usize) {
                        placement[t.ix()] = Placement::Extended(l);
                    }
                }
                for (m, mv) in c.moves.iter().enumerate() {
                    for t in members.by_ref().take(f.x[ci][m] as usize) {
                        placement[t.ix()] = Placement::New(mv.host, mv.kind);
                    }
                }
            }
        }
        let stayers: Vec<TeacherIx> = members.collect();
        let Some(table) = c.trips else { continue };
        for (j, &days) in f.w[ci].iter().enumerate() {
            for _ in 0..days {
                let pick = stayers
                    .iter()
                    .copied()
                    .filter(|t| trip_days[t.ix()].len() < max_days)
                    .min_by_key(|t| trip_days[t.ix()].len());
                if let Some(t) = pick {
                    trip_days[t.ix()].push(cl.trip_tables[table][j].clone());
                }
            }
        }
    }
    (placement, trip_days)
}

/// Settings for the LPs around the MILP (a start's completion, unmet_before, periods):
/// quick, and worth finishing even when the MILP has used up the time, so they get at
/// least a minute; nobody watches them.
pub(crate) fn lp_settings(set: &SolverSettings) -> SolverSettings {
    SolverSettings {
        time_limit: set.time_limit.max(60.0),
        watch: None,
        ..set.clone()
    }
}

/// An LP with every integer column fixed: it has a solution, or the solver failed.
fn solve_lp(milp: Milp, set: &SolverSettings) -> Result<solve::Solved, ModelError> {
    let solved = solve::run(milp, &lp_settings(set), None)?;
    // Not `columns.is_empty()`: a model without columns has a solution, of no columns.
    if solved.status == SolveStatus::NoPlan {
        return Err(ModelError::Solver(format!(
            "a fixed LP found no solution in {:.0} s",
            solved.seconds
        )));
    }
    Ok(solved)
}

/// `d` with its periods re-solved: the best teaching for its placements and trip-days
/// (what the model makes of a plan that came from elsewhere, e.g. the construction).
pub fn with_periods(
    ds: &Dataset,
    d: &Decisions,
    set: &SolverSettings,
) -> Result<Decisions, ModelError> {
    let (periods, _) = periods_for(ds, &d.placement, &d.trip_days, set)?;
    Ok(Decisions {
        periods,
        ..d.clone()
    })
}

/// The per-teacher LP with placements and trip-days fixed: integral periods.
pub(super) fn periods_for(
    ds: &Dataset,
    placement: &[Placement],
    trip_days: &[Vec<Trip>],
    set: &SolverSettings,
) -> Result<(Vec<Periods>, f64), ModelError> {
    let cl = Classes::singletons(ds);
    let f = class_fixing(&cl, placement, trip_days);
    let trips = used_trips(&f);
    let milp: Milp = build_with(ds, &cl, Some(&f), fixed_shape(&trips));
    let y = milp.y.clone();
    let solved = solve_lp(milp, set)?;
    let mut values: Vec<u32> = y
        .iter()
        .map(|p| solved.columns[p.col.ix].round().max(0.0) as u32)
        .collect();
    trim_over_cover(ds, &cl, trip_days, &y, &mut values);
    let entries: Vec<Entry> = (y.iter())
        .map(|p| Entry {
            teacher: cl.classes[p.class].members[0],
            school: p.school,
            kind: p.kind,
            lp: solved.columns[p.col.ix],
        })
        .collect();
    let stop = |t: TeacherIx, s: SchoolIx| {
        let days = (trip_days[t.ix()].iter()).filter(|j| j.stops.iter().any(|&(x, _)| x == s));
        (
            days.clone().map(|j| j.periods_at(s)).sum(),
            days.count() as u32,
        )
    };
    let limits = Limits {
        load: &|t| ds.capacity(t),
        stop: &stop,
        least: ds.policy.itinerant.min_periods_per_stop,
    };
    period_fit::fit(&entries, &mut values, &limits);
    let mut periods: BTreeMap<(TeacherIx, SchoolIx, SubjectIx), u32> = BTreeMap::new();
    for (p, &v) in y.iter().zip(&values) {
        if v > 0 {
            let t = cl.classes[p.class].members[0];
            *periods.entry((t, p.school, p.subject)).or_default() += v;
        }
    }
    Ok((
        periods
            .into_iter()
            .map(|((t, s, k), v)| (t, s, k, v))
            .collect(),
        solved.seconds,
    ))
}

/// Drops periods beyond a demand row's r, which cost nothing where a trip reaches the row
/// (rule 4 is ≥ there), so the LP may keep them: full-time ones first (other subjects
/// before the main one), then trip periods above a teacher's least at the stop (rule 2).
/// What is left over-covers only because every trip day there teaches its least. No
/// cost rises and every row still holds.
fn trim_over_cover(
    ds: &Dataset,
    cl: &Classes,
    trip_days: &[Vec<Trip>],
    y: &[PeriodVar],
    values: &mut [u32],
) {
    let teacher = |i: usize| cl.classes[y[i].class].members[0];
    let mut rows: BTreeMap<(SchoolIx, SubjectIx), Vec<usize>> = BTreeMap::new();
    let mut at_stop: BTreeMap<(TeacherIx, SchoolIx), u32> = BTreeMap::new();
    for (i, p) in y.iter().enumerate() {
        rows.entry((p.school, p.subject)).or_default().push(i);
        if p.kind == PeriodKind::Trip {
            *at_stop.entry((teacher(i), p.school)).or_default() += values[i];
        }
    }
    let least = ds.policy.itinerant.min_periods_per_stop;
    for ((s, k), mut ix) in rows {
        let covered: u32 = ix.iter().map(|&i| values[i]).sum();
        let mut over = covered.saturating_sub(ds.demand_of(s, k));
        let main = |i: usize| ds.teacher(teacher(i)).subject == k;
        ix.sort_by_key(|&i| (y[i].kind, main(i), i));
        for i in ix {
            if over == 0 {
                break;
            }
            let t = teacher(i);
            let spare = match y[i].kind {
                PeriodKind::FullTime => values[i],
                PeriodKind::Trip => {
                    let visits = trip_days[t.ix()]
                        .iter()
                        .flat_map(|j| &j.stops)
                        .filter(|&&(x, _)| x == s)
                        .count() as u32;
                    let total = at_stop[&(t, s)];
                    values[i].min(total.saturating_sub(least * visits))
                }
            };
            let cut = spare.min(over);
            values[i] -= cut;
            over -= cut;
            if y[i].kind == PeriodKind::Trip {
                *at_stop.get_mut(&(t, s)).expect("counted above") -= cut;
            }
        }
    }
}
