//! Independent parts of a county (`decompose.rs`) solved apart, in parallel, and joined
//! (docs/model.md §4).
//!
//! Contract: every part is solved without the county-wide backbone rule (rule 8), the one
//! row that joins them, so the parts' bounds add up to a bound of the whole county; the
//! joined plan is the parts' plans in the whole dataset's indices, and `repair.rs` mends
//! rule 8 on it. The requested gap is the county's: after a first pass with a node budget,
//! the parts still open share what is left of gap × (sum of bounds) as an absolute gap,
//! and go on from their first-pass plans. Node budgets, unlike time, make the result the
//! same on every machine.

use rayon::prelude::*;

use super::solve::{self, SolveStatus, SolverSettings};
use super::{whole, Decisions, Found, ModelError};
use crate::domain::{Dataset, Placement, Restricted, SchoolIx, Share, Trip};

/// Branch-and-bound nodes each part gets before the gap budget is shared out.
const FIRST_PASS_NODES: i64 = 200;

/// Solves each part from its share of `start`, in parallel, and joins the results.
pub(super) fn solve(
    ds: &Dataset,
    parts: &[Vec<SchoolIx>],
    start: &Decisions,
    set: &SolverSettings,
    left: &(dyn Fn() -> f64 + Sync),
) -> Result<Found, ModelError> {
    let restricted: Vec<Restricted> = parts
        .iter()
        .map(|schools| {
            let mut part = ds.restrict(schools);
            part.dataset.policy.rotation.backbone_min_share =
                Share::from_f64(0.0).expect("0 is a share");
            part
        })
        .collect();
    let board = set.watch.clone().map(|w| Board::new(w, parts.len()));
    let watch = |i: usize| board.as_ref().map(|b| b.part(i));
    let first = SolverSettings {
        max_nodes: Some(FIRST_PASS_NODES),
        ..set.clone()
    };
    let mut found: Vec<Found> = restricted
        .par_iter()
        .enumerate()
        .map(|(i, part)| {
            let sub = SolverSettings {
                time_limit: left(),
                watch: watch(i),
                ..first.clone()
            };
            let out = whole::solve(&part.dataset, &sub, &share_of(ds, part, start), false)?;
            if let Some(b) = &board {
                b.set(i, out.progress());
            }
            Ok(out)
        })
        .collect::<Result<_, ModelError>>()?;
    let open: Vec<usize> = (0..found.len())
        .filter(|&i| found[i].status != SolveStatus::Optimal && found[i].plan.is_some())
        .collect();
    if !open.is_empty() && left() > 0.0 {
        let second = second_pass(&restricted, &found, &open, set, left, &watch)?;
        for (i, mut out) in second {
            out.bound = out.bound.max(found[i].bound);
            if out.plan.is_some() {
                found[i] = out;
            }
            if let Some(b) = &board {
                b.set(i, found[i].progress());
            }
        }
    }
    let mut joined = Found::empty(ds);
    for (part, out) in restricted.iter().zip(found) {
        joined.add(part, out);
    }
    // Each part's status says whether it met its own target; the whole is judged on the
    // joined gap.
    if joined.status == SolveStatus::Feasible && joined.gap() <= set.gap {
        joined.status = SolveStatus::Optimal;
    }
    Ok(joined)
}

/// The open parts go on from their plans, sharing the county's gap as absolute gaps.
fn second_pass(
    restricted: &[Restricted],
    found: &[Found],
    open: &[usize],
    set: &SolverSettings,
    left: &(dyn Fn() -> f64 + Sync),
    watch: &(dyn Fn(usize) -> Option<solve::Watch> + Sync),
) -> Result<Vec<(usize, Found)>, ModelError> {
    let closed = |o: &Found| o.status == SolveStatus::Optimal;
    let bound: f64 = found.iter().map(|o| o.bound).sum();
    let used: f64 = found
        .iter()
        .filter(|o| closed(o))
        .map(|o| (o.objective - o.bound).max(0.0))
        .sum();
    let budget = (set.gap * bound.abs() - used).max(0.0);
    let weight: f64 = open.iter().map(|&i| found[i].objective.abs()).sum();
    open.par_iter()
        .map(|&i| {
            let o = &found[i];
            let share = if weight > 0.0 {
                o.objective.abs() / weight
            } else {
                1.0 / open.len() as f64
            };
            let sub = SolverSettings {
                time_limit: left(),
                gap: 0.0,
                abs_gap: Some(budget * share),
                max_nodes: None,
                watch: watch(i),
                ..set.clone()
            };
            let (placement, trip_days) = o.plan.clone().expect("open parts have a plan");
            let from = Decisions {
                placement,
                trip_days,
                periods: Vec::new(),
            };
            Ok((i, whole::solve(&restricted[i].dataset, &sub, &from, false)?))
        })
        .collect()
}

/// A county plan in a part's indices (its teachers, its schools).
fn share_of(ds: &Dataset, part: &Restricted, d: &Decisions) -> Decisions {
    let mut local = vec![None; ds.schools.len()];
    for (i, s) in part.schools.iter().enumerate() {
        local[s.ix()] = Some(SchoolIx(i as u32));
    }
    let s = |x: SchoolIx| local[x.ix()].expect("a part holds every school its teachers reach");
    let mut teacher = vec![None; ds.teachers.len()];
    for (i, t) in part.teachers.iter().enumerate() {
        teacher[t.ix()] = Some(crate::domain::TeacherIx(i as u32));
    }
    Decisions {
        placement: part
            .teachers
            .iter()
            .map(|t| map_placement(d.placement[t.ix()], s))
            .collect(),
        trip_days: part
            .teachers
            .iter()
            .map(|t| d.trip_days[t.ix()].iter().map(|j| map_trip(j, s)).collect())
            .collect(),
        periods: d
            .periods
            .iter()
            .filter_map(|&(t, x, k, p)| Some((teacher[t.ix()]?, s(x), k, p)))
            .collect(),
    }
}

fn map_placement(p: Placement, s: impl Fn(SchoolIx) -> SchoolIx) -> Placement {
    match p {
        Placement::Home => Placement::Home,
        Placement::New(h, k) => Placement::New(s(h), k),
        Placement::Extended(h) => Placement::Extended(s(h)),
        Placement::Continuing(h) => Placement::Continuing(s(h)),
    }
}

fn map_trip(trip: &Trip, s: impl Fn(SchoolIx) -> SchoolIx) -> Trip {
    Trip {
        home: s(trip.home),
        stops: trip.stops.iter().map(|&(x, p)| (s(x), p)).collect(),
        ..trip.clone()
    }
}

impl Found {
    /// Nothing yet: every teacher home, a bound and objective of 0 (the start of a sum).
    fn empty(ds: &Dataset) -> Found {
        Found {
            status: SolveStatus::Optimal,
            objective: 0.0,
            bound: 0.0,
            stats: solve::ModelStats::default(),
            plan: Some((
                vec![Placement::Home; ds.teachers.len()],
                vec![Vec::new(); ds.teachers.len()],
            )),
        }
    }

    /// Adds a part's result, in the whole dataset's indices.
    fn add(&mut self, part: &Restricted, out: Found) {
        self.status = match (self.status, out.status) {
            (SolveStatus::NoPlan, _) | (_, SolveStatus::NoPlan) => SolveStatus::NoPlan,
            (SolveStatus::Feasible, _) | (_, SolveStatus::Feasible) => SolveStatus::Feasible,
            _ => SolveStatus::Optimal,
        };
        self.objective += out.objective;
        self.bound += out.bound;
        self.stats.columns += out.stats.columns;
        self.stats.integer_columns += out.stats.integer_columns;
        self.stats.rows += out.stats.rows;
        let (Some((pp, pt)), Some((placement, trips))) = (out.plan, self.plan.as_mut()) else {
            self.plan = None;
            return;
        };
        let s = |x: SchoolIx| part.schools[x.ix()];
        for (i, &t) in part.teachers.iter().enumerate() {
            placement[t.ix()] = map_placement(pp[i], s);
            trips[t.ix()] = pt[i].iter().map(|j| map_trip(j, s)).collect();
        }
    }

    fn progress(&self) -> solve::Progress {
        solve::Progress {
            best: self.plan.is_some().then_some(self.objective),
            bound: Some(self.bound),
        }
    }
}

/// The parts' latest figures, reported as the county's: a plan when every part has one, a
/// bound when every part has one.
struct Board {
    watch: solve::Watch,
    parts: std::sync::Mutex<Vec<solve::Progress>>,
}

impl Board {
    fn new(watch: solve::Watch, n: usize) -> std::sync::Arc<Self> {
        std::sync::Arc::new(Board {
            watch,
            parts: std::sync::Mutex::new(vec![solve::Progress::default(); n]),
        })
    }

    /// A watch for part `i` that reports the county's totals.
    fn part(self: &std::sync::Arc<Self>, i: usize) -> solve::Watch {
        let board = self.clone();
        solve::Watch::new(move |p| board.set(i, p))
    }

    fn set(&self, i: usize, p: solve::Progress) {
        let total = {
            let Ok(mut parts) = self.parts.lock() else {
                return;
            };
            parts[i] = p;
            let sum =
                |f: fn(&solve::Progress) -> Option<f64>| parts.iter().map(f).sum::<Option<f64>>();
            solve::Progress {
                best: sum(|p| p.best),
                bound: sum(|p| p.bound),
            }
        };
        self.watch.report(total);
    }
}
