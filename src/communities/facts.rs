//! What the community model is built from: the lead units (each existing community's
//! cores, each school that may lead a new one), which school may join which lead within
//! the travel limit and the stage rule, and each school's surplus or shortage of periods
//! by subject.

use std::collections::BTreeMap;

use super::options::Options;
use crate::domain::{CommunityIx, Dataset, SchoolIx, SchoolKind, Stages, SubjectIx};

/// A lead unit: the cores of an existing community, or one school that may lead a new one.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    /// Its lead schools (one for a new community).
    pub schools: Vec<SchoolIx>,
    /// The community it leads now, if any: such a unit is always open.
    pub existing: Option<CommunityIx>,
    /// The stages of its schools together.
    pub stage: Stages,
    /// Members at least and at most, when open.
    pub lo: u32,
    pub hi: u32,
}

/// What a school may be in the new partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// One of the leads of unit `0`, which stays open.
    Lead(usize),
    /// A member of unit `0`, kept as it is (no `--repair`).
    Kept(usize),
    /// A member now, which must stay a member of some unit (`--repair`).
    MustJoin,
    /// In no community now: may join a unit, or lead its own (unit `Some`), or stay out.
    Free(Option<usize>),
    /// Neither leads nor joins (a school that only a kept community could hold).
    Out,
}

/// A school that may be a member of a unit, with the lead's travel to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    pub school: SchoolIx,
    pub unit: usize,
    /// One-way minutes from the unit's nearest lead school.
    pub minutes: f64,
}

#[derive(Clone, Debug)]
pub struct Facts {
    pub units: Vec<Unit>,
    /// Per school.
    pub place: Vec<Place>,
    /// Every allowed (member, unit) pair, by school then unit.
    pub pairs: Vec<Pair>,
    /// Per school, (subject, capacity of its teachers of that main subject − demand), for
    /// the subjects where either is non-zero; by subject.
    pub net: Vec<Vec<(SubjectIx, i64)>>,
    /// The travel limit in force.
    pub max_minutes: f64,
    /// The coverage share in force (the plan year's entry of a schedule).
    pub share: f64,
    /// Rural schools, and how many must be in a community.
    pub rural: Vec<SchoolIx>,
    pub required: u32,
}

/// Travel from a unit's nearest school to `s`, in minutes (`None` when no lead school has
/// a known distance to it).
pub fn unit_minutes(ds: &Dataset, leads: &[SchoolIx], s: SchoolIx) -> Option<f64> {
    leads
        .iter()
        .filter_map(|&l| ds.leg(l, s).map(|g| g.minutes))
        .min_by(f64::total_cmp)
}

/// Per school, capacity of its teachers by main subject minus demand, subject by subject
/// (periods a week; every teacher whose home it is, exempt ones included: they teach there).
pub fn nets(ds: &Dataset) -> Vec<Vec<(SubjectIx, i64)>> {
    let mut by: Vec<BTreeMap<SubjectIx, i64>> = vec![BTreeMap::new(); ds.schools.len()];
    for t in ds.teacher_ixs() {
        let te = ds.teacher(t);
        *by[te.home.ix()].entry(te.subject).or_default() += i64::from(ds.capacity(t));
    }
    for d in &ds.demand {
        *by[d.school.ix()].entry(d.subject).or_default() -= i64::from(d.periods);
    }
    by.into_iter()
        .map(|m| m.into_iter().filter(|(_, v)| *v != 0).collect())
        .collect()
}

/// Periods a week of (teachers' capacity, demand) per school.
fn staffing(ds: &Dataset) -> Vec<(u64, u64)> {
    let mut by = vec![(0u64, 0u64); ds.schools.len()];
    for t in ds.teacher_ixs() {
        by[ds.teacher(t).home.ix()].0 += u64::from(ds.capacity(t));
    }
    for d in &ds.demand {
        by[d.school.ix()].1 += u64::from(d.periods);
    }
    by
}

/// The town schools strong enough to lead (issue 16 "strong schools"): staffed at least as
/// well as the county as a whole (teachers' periods ÷ timetable periods ≥ the county's),
/// with at least one backbone teacher (骨干教师). Per school.
pub fn strong_towns(ds: &Dataset) -> Vec<bool> {
    let by = staffing(ds);
    let (cap, need) = by
        .iter()
        .fold((0u64, 0u64), |(c, n), &(a, b)| (c + a, n + b));
    let mut backbone = vec![false; ds.schools.len()];
    for t in &ds.teachers {
        backbone[t.home.ix()] |= t.backbone;
    }
    ds.school_ixs()
        .map(|s| {
            let (c, n) = by[s.ix()];
            // c / n ≥ cap / need, in integers.
            ds.school(s).kind == SchoolKind::Town
                && n > 0
                && u128::from(c) * u128::from(need) >= u128::from(cap) * u128::from(n)
                && backbone[s.ix()]
        })
        .collect()
}

/// What the partition model reads of `ds`: the units that may lead, each school's place,
/// the (school, unit) pairs allowed, and the rural schools the coverage counts.
pub fn facts(ds: &Dataset, opt: &Options) -> Facts {
    let max_minutes = opt
        .max_minutes
        .unwrap_or(ds.policy.itinerant.max_minutes_day);
    let (units, place) = units_and_places(ds, opt);
    let pairs = (ds.school_ixs())
        .flat_map(|s| pairs_of(ds, &units, &place, s, max_minutes))
        .collect();
    let rural: Vec<SchoolIx> = ds
        .school_ixs()
        .filter(|&s| ds.school(s).kind == SchoolKind::Rural)
        .collect();
    let share = opt.coverage.for_year(ds.policy.plan_year);
    // ⌈share × rural⌉, with a little room for shares such as 0.7 × 10 = 7.000000000000001.
    let required = ((share * rural.len() as f64) - 1e-9).ceil().max(0.0) as u32;
    Facts {
        units,
        place,
        pairs,
        net: nets(ds),
        max_minutes,
        share,
        rural,
        required,
    }
}

/// The units that may lead (existing communities' cores, then urban and strong town
/// schools in none) and each school's place.
fn units_and_places(ds: &Dataset, opt: &Options) -> (Vec<Unit>, Vec<Place>) {
    let mut units: Vec<Unit> = Vec::new();
    let mut place = vec![Place::Out; ds.schools.len()];
    let strong = strong_towns(ds);
    // Existing communities: their cores lead a unit that stays open.
    for (ci, c) in ds.communities.iter().enumerate() {
        let u = units.len();
        let stage = c
            .core
            .iter()
            .fold(Stages(0), |a, &s| Stages(a.0 | ds.school(s).stage.0));
        let current = c.members.len() as u32;
        let (lo, hi) = if opt.repair {
            (opt.members.lo, opt.members.hi)
        } else {
            (0, opt.members.hi.max(current))
        };
        units.push(Unit {
            schools: c.core.clone(),
            existing: Some(CommunityIx(ci as u32)),
            stage,
            lo,
            hi,
        });
        for &s in &c.core {
            place[s.ix()] = Place::Lead(u);
        }
        for &s in &c.members {
            place[s.ix()] = if opt.repair {
                Place::MustJoin
            } else {
                Place::Kept(u)
            };
        }
    }
    // Schools in none: urban and strong town schools may lead; rural and town may join.
    for s in ds.school_ixs() {
        if ds.school(s).community.is_some() {
            continue;
        }
        let kind = ds.school(s).kind;
        let leads = kind == SchoolKind::Urban || strong[s.ix()];
        let unit = leads.then(|| {
            units.push(Unit {
                schools: vec![s],
                existing: None,
                stage: ds.school(s).stage,
                lo: opt.members.lo,
                hi: opt.members.hi,
            });
            units.len() - 1
        });
        place[s.ix()] = if kind != SchoolKind::Urban || unit.is_some() {
            Place::Free(unit)
        } else {
            Place::Out
        };
    }
    (units, place)
}

/// The units school `s` may join, with the minutes from each: a kept member only its
/// own; a school that may move, its own community whatever the limits (what the county
/// has now) and any other unit within `max_minutes` sharing a stage.
fn pairs_of(
    ds: &Dataset,
    units: &[Unit],
    place: &[Place],
    s: SchoolIx,
    max_minutes: f64,
) -> Vec<Pair> {
    let sc = ds.school(s);
    let pair = |u: usize, minutes: f64| Pair {
        school: s,
        unit: u,
        minutes,
    };
    match place[s.ix()] {
        Place::Kept(u) => vec![pair(
            u,
            unit_minutes(ds, &units[u].schools, s).unwrap_or(0.0),
        )],
        Place::MustJoin | Place::Free(_) => {
            let joins = sc.kind != SchoolKind::Urban || place[s.ix()] == Place::MustJoin;
            if !joins {
                return Vec::new();
            }
            let current = sc
                .community
                .and_then(|c| units.iter().position(|u| u.existing == Some(c)));
            let mut out = Vec::new();
            for (u, unit) in units.iter().enumerate() {
                if unit.schools.contains(&s) {
                    continue;
                }
                let Some(minutes) = unit_minutes(ds, &unit.schools, s) else {
                    // A school's own community is allowed even without a distance.
                    if current == Some(u) {
                        out.push(pair(u, 0.0));
                    }
                    continue;
                };
                let fits = minutes <= max_minutes + 1e-9 && unit.stage.overlaps(sc.stage);
                if fits || current == Some(u) {
                    out.push(pair(u, minutes));
                }
            }
            out
        }
        Place::Lead(_) | Place::Out => Vec::new(),
    }
}
