//! The MILP of docs/model.md (MODEL.md) on good_lp + HiGHS.
//!
//! Two stages: the MILP over classes of interchangeable teachers decides moves,
//! extensions and trip days; then an LP per teacher with those decisions fixed gives
//! integral periods (a transportation problem). The plan's objective is the MODEL.md
//! objective of what is written; the MILP's dual bound bounds it.

pub mod bound;
pub mod build;
pub mod classes;
pub mod construct;
mod decompose;
pub mod price;
mod rens;
mod rules;
pub mod solve;

use std::collections::BTreeMap;

use thiserror::Error;

use rayon::prelude::*;

use crate::domain::{Dataset, Placement, Restricted, SchoolIx, SubjectIx, TeacherIx, Trip};
use build::{build_with, Fixing, Milp, Shape};
use classes::{Base, Classes};
pub use solve::{ModelStats, SolveStatus, SolverSettings};

#[derive(Debug, Error)]
pub enum ModelError {
    #[error("the solver reports the model infeasible, which elastic rules should prevent")]
    Infeasible,
    #[error("solver error: {0}")]
    Solver(String),
}

/// y(t,s,k) = periods.
pub type Periods = (TeacherIx, SchoolIx, SubjectIx, u32);

/// What the optimiser decided, per teacher, with integral periods.
#[derive(Clone, Debug, PartialEq)]
pub struct Decisions {
    /// Indexed by teacher.
    pub placement: Vec<Placement>,
    /// Indexed by teacher: one entry per trip-day, in the order the MILP listed the trips.
    pub trip_days: Vec<Vec<Trip>>,
    /// y(t,s,k) > 0, sorted by (teacher, school, subject).
    pub periods: Vec<Periods>,
}

/// The result of `optimise`.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub status: SolveStatus,
    pub decisions: Option<Decisions>,
    /// The MILP's incumbent objective (before periods are re-solved per teacher).
    pub milp_objective: f64,
    pub bound: f64,
    pub seconds: f64,
    pub stats: ModelStats,
}

/// Builds and solves the plan model. Independent parts of the county (no move, trip,
/// ledger term or community between them) are solved apart, in parallel. The county-wide
/// backbone rule is the one row that joins them: the parts are first solved without it
/// (their bounds add up to a bound of the whole); when the joined plan breaks it, each part
/// is solved again with the rule kept inside the part (a plan that meets it county-wide);
/// only when that plan is not within the gap is the whole county solved, from it.
pub fn optimise(ds: &Dataset, set: &SolverSettings) -> Result<Outcome, ModelError> {
    let started = std::time::Instant::now();
    let parts = decompose::components(ds);
    if parts.len() <= 1 {
        return optimise_whole(ds, set, None, true);
    }
    let left = || (set.time_limit - started.elapsed().as_secs_f64()).max(0.0);
    let mut relaxed = ds.policy.clone();
    relaxed.rotation.backbone_min_share =
        crate::domain::Share::from_f64(0.0).expect("0 is a share");
    let free = solve_parts(ds, &parts, Some(&relaxed), set, &left)?;
    let bound = free.bound;
    let holds = match free.decisions.as_ref() {
        None => return Ok(free.outcome(started, None)),
        Some((placement, _)) => decompose::backbone_holds(ds, placement),
    };
    let mut best = free;
    if !holds && left() > 0.0 {
        let mut kept = solve_parts(ds, &parts, None, set, &left)?;
        kept.bound = bound;
        if kept.decisions.is_some() {
            best = kept;
        }
        let gap = (best.milp_objective - bound) / best.milp_objective.abs().max(1e-9);
        if gap > set.gap && left() > 0.0 {
            let (placement, trip_days) = best.decisions.clone().expect("a plan");
            let whole = SolverSettings {
                time_limit: left(),
                ..set.clone()
            };
            let mut out = optimise_whole(ds, &whole, Some((&placement, &trip_days)), true)?;
            out.bound = out.bound.max(bound);
            out.seconds = started.elapsed().as_secs_f64();
            return Ok(out);
        }
    }
    let (placement, trip_days) = best.decisions.clone().expect("a plan");
    let (periods, _) = periods_for(ds, &placement, &trip_days, set)?;
    Ok(best.outcome(
        started,
        Some(Decisions {
            placement,
            trip_days,
            periods,
        }),
    ))
}

/// Branch-and-bound nodes each part gets before the gap budget is shared out.
const FIRST_PASS_NODES: i64 = 200;

/// Solves each part (with `policy` instead of the dataset's when given), in parallel, and
/// joins the results in the whole dataset's indices.
///
/// The requested gap is the whole county's: parts that close at once leave gap unused,
/// so after a first pass with a node budget, the parts still open share what is left of
/// gap × (sum of bounds) as an absolute gap, and go on from their first-pass plan. Node
/// budgets, unlike time, make the result the same on every machine.
fn solve_parts(
    ds: &Dataset,
    parts: &[Vec<SchoolIx>],
    policy: Option<&crate::domain::Policy>,
    set: &SolverSettings,
    left: &(dyn Fn() -> f64 + Sync),
) -> Result<Joined, ModelError> {
    let restricted: Vec<Restricted> = parts
        .iter()
        .map(|schools| {
            let mut part = ds.restrict(schools);
            if let Some(p) = policy {
                part.dataset.policy = p.clone();
            }
            part
        })
        .collect();
    let board = set.watch.clone().map(|w| Board::new(w, parts.len()));
    let watch = |i: usize| board.as_ref().map(|b| b.part(i));
    let first = SolverSettings {
        max_nodes: Some(FIRST_PASS_NODES),
        ..set.clone()
    };
    let mut outcomes: Vec<Outcome> = restricted
        .par_iter()
        .enumerate()
        .map(|(i, part)| {
            let out = optimise_whole(
                &part.dataset,
                &SolverSettings {
                    time_limit: left(),
                    watch: watch(i),
                    ..first.clone()
                },
                None,
                false,
            )?;
            if let Some(b) = &board {
                b.set(i, out.progress());
            }
            Ok(out)
        })
        .collect::<Result<_, ModelError>>()?;
    let closed = |o: &Outcome| o.status == SolveStatus::Optimal;
    let open: Vec<usize> = (0..outcomes.len())
        .filter(|&i| !closed(&outcomes[i]) && outcomes[i].decisions.is_some())
        .collect();
    if !open.is_empty() && left() > 0.0 {
        let bound: f64 = outcomes.iter().map(|o| o.bound).sum();
        let used: f64 = outcomes
            .iter()
            .filter(|o| closed(o))
            .map(|o| (o.milp_objective - o.bound).max(0.0))
            .sum();
        let budget = (set.gap * bound.abs() - used).max(0.0);
        let weight: f64 = open.iter().map(|&i| outcomes[i].milp_objective.abs()).sum();
        let second: Vec<(usize, Outcome)> = open
            .par_iter()
            .map(|&i| {
                let o = &outcomes[i];
                let share = if weight > 0.0 {
                    o.milp_objective.abs() / weight
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
                let d = o.decisions.as_ref().expect("open parts have a plan");
                let out = optimise_whole(
                    &restricted[i].dataset,
                    &sub,
                    Some((&d.placement, &d.trip_days)),
                    false,
                )?;
                Ok((i, out))
            })
            .collect::<Result<_, ModelError>>()?;
        for (i, mut out) in second {
            out.bound = out.bound.max(outcomes[i].bound);
            if out.decisions.is_some() {
                outcomes[i] = out;
            }
            if let Some(b) = &board {
                b.set(i, outcomes[i].progress());
            }
        }
    }
    let mut joined = Joined::new(ds);
    for (part, out) in restricted.iter().zip(outcomes) {
        joined.add(part, out);
    }
    // Each part's status says whether it met its own target; the whole is judged on the
    // joined gap.
    let gap = (joined.milp_objective - joined.bound) / joined.milp_objective.abs().max(1e-9);
    if joined.status == SolveStatus::Feasible && gap <= set.gap {
        joined.status = SolveStatus::Optimal;
    }
    Ok(joined)
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

/// Parts' outcomes joined in the whole dataset's indices.
#[derive(Clone)]
struct Joined {
    status: SolveStatus,
    milp_objective: f64,
    bound: f64,
    stats: ModelStats,
    decisions: Option<(Vec<Placement>, Vec<Vec<Trip>>)>,
}

impl Joined {
    fn new(ds: &Dataset) -> Self {
        Joined {
            status: SolveStatus::Optimal,
            milp_objective: 0.0,
            bound: 0.0,
            stats: ModelStats::default(),
            decisions: Some((
                vec![Placement::Home; ds.teachers.len()],
                vec![Vec::new(); ds.teachers.len()],
            )),
        }
    }

    fn add(&mut self, part: &Restricted, out: Outcome) {
        self.status = match (self.status, out.status) {
            (SolveStatus::NoPlan, _) | (_, SolveStatus::NoPlan) => SolveStatus::NoPlan,
            (SolveStatus::Feasible, _) | (_, SolveStatus::Feasible) => SolveStatus::Feasible,
            _ => SolveStatus::Optimal,
        };
        self.milp_objective += out.milp_objective;
        self.bound += out.bound;
        self.stats.columns += out.stats.columns;
        self.stats.integer_columns += out.stats.integer_columns;
        self.stats.rows += out.stats.rows;
        let (Some(d), Some((placement, trips))) = (out.decisions, self.decisions.as_mut()) else {
            self.decisions = None;
            return;
        };
        let s = |x: SchoolIx| part.schools[x.ix()];
        for (i, &t) in part.teachers.iter().enumerate() {
            placement[t.ix()] = match d.placement[i] {
                Placement::Home => Placement::Home,
                Placement::New(h, k) => Placement::New(s(h), k),
                Placement::Extended(h) => Placement::Extended(s(h)),
                Placement::Continuing(h) => Placement::Continuing(s(h)),
            };
            trips[t.ix()] = d.trip_days[i]
                .iter()
                .map(|trip| Trip {
                    home: s(trip.home),
                    stops: trip.stops.iter().map(|&(x, p)| (s(x), p)).collect(),
                    ..trip.clone()
                })
                .collect();
        }
    }

    fn outcome(self, started: std::time::Instant, decisions: Option<Decisions>) -> Outcome {
        Outcome {
            status: if decisions.is_some() {
                self.status
            } else {
                SolveStatus::NoPlan
            },
            decisions,
            milp_objective: self.milp_objective,
            bound: self.bound,
            seconds: started.elapsed().as_secs_f64(),
            stats: self.stats,
        }
    }
}

impl Outcome {
    fn progress(&self) -> solve::Progress {
        solve::Progress {
            best: self.decisions.is_some().then_some(self.milp_objective),
            bound: Some(self.bound),
        }
    }
}

/// The model over the whole of `ds`, optionally starting from a plan (else from the
/// greedy baseline's). Large models get their trips by pricing (`price.rs`), and with
/// `beside` (not for parts, which run side by side and by node budgets) a bound on a core
/// of their own (`bound.rs`).
fn optimise_whole(
    ds: &Dataset,
    set: &SolverSettings,
    start: Option<(&[Placement], &[Vec<Trip>])>,
    beside: bool,
) -> Result<Outcome, ModelError> {
    let started = std::time::Instant::now();
    // Shared with the second stage of RENS, which is built on another thread.
    let cl = std::sync::Arc::new(Classes::build(ds));
    let large = price::trip_columns(&cl) >= price::MIN_TRIP_COLUMNS;
    // On two threads or more, a priced county's second core raises the bound (`bound.rs`)
    // while this one prices and searches; the searches stop at the requested gap of it.
    let bounding = beside && large && set.threads >= 2;
    let floor = std::sync::Arc::new(solve::Floor::default());
    let bound_ends = StopOnDrop(std::sync::Arc::default());
    let set = &SolverSettings {
        floor: bounding.then(|| floor.clone()),
        ..set.clone()
    };
    if bounding {
        let m = bound::model(ds, &bound::relaxed(&cl));
        let limit = (set.time_limit - started.elapsed().as_secs_f64()).max(1.0);
        let log = set.log || std::env::var_os("LUNGANG_SOLVER_LOG").is_some();
        let (f, stop) = (floor.clone(), bound_ends.0.clone());
        // Not joined: told to stop when the search ends, it ends on its own thread (HiGHS
        // looks between its steps, not inside its root LP). Its failure only leaves the
        // bound where pricing puts it.
        std::thread::spawn(move || {
            if let Err(e) = bound::raise(m, limit, f, stop, log) {
                if log {
                    eprintln!("[lungang] the relaxation's bound failed: {e}");
                }
            }
        });
        trace(started, "the relaxation built");
    }
    // The greedy plan: feasible at once, so the solver's gap closes from above from the
    // first node; and where it leaves demand to trips, pricing starts from.
    let greedy = (start.is_none() || large).then(|| construct::start(ds));
    let (placement, trips) = match (start, greedy.as_ref()) {
        (Some(s), _) => s,
        (None, Some(g)) => (&g.placement[..], &g.trip_days[..]),
        (None, None) => unreachable!("greedy runs when there is no start"),
    };
    let fix = class_fixing(&cl, placement, trips);
    trace(started, "classes and start");
    let priced = match greedy.as_ref().filter(|_| large) {
        Some(g) => price::price(ds, &cl, &fix, &short_of(ds, g), set)?,
        None => None,
    };
    trace(started, "pricing");
    if priced.is_none() {
        // The whole model is solved with its own bound; the relaxation's is not used.
        bound_ends.stop();
    }
    let shape = Shape {
        trips: priced.as_ref().map(|p| &p.trips[..]),
        ..Shape::default()
    };
    let start_lp = std::time::Instant::now();
    let mut start_solved = {
        let fixed = build_with(ds, &cl, Some(&fix), shape);
        Some(solve::run(fixed, &lp_settings(set), None)?).filter(|s| !s.columns.is_empty())
    };
    // Kept for the per-teacher period LP after the MILP (one class per teacher, so a
    // larger LP), which costs about twice what the start's LP did (L: 1.0 s and 0.45 s).
    let tail = 2.0 * start_lp.elapsed().as_secs_f64();
    trace(started, "the start's LP");
    let left =
        |share: f64| (share * (set.time_limit - tail - started.elapsed().as_secs_f64())).max(1.0);
    // When the time left would not see the restricted MILP through its root LP (L), the
    // RENS search gets all of it instead.
    let rens_only = priced
        .as_ref()
        .is_some_and(|p| left(1.0) < ROOT_LPS * p.round_seconds);
    // Column handles and size of the restricted model (RENS's has the same columns).
    type Layout = (
        ModelStats,
        Vec<Vec<build::Col>>,
        Vec<Option<build::Col>>,
        Vec<Vec<build::Col>>,
        Vec<Vec<usize>>,
    );
    let layout_of = |m: &Milp| -> Layout {
        (
            solve::stats(m),
            m.x.clone(),
            m.e.clone(),
            m.w.clone(),
            m.w_trip.clone(),
        )
    };
    let mut layout: Option<Layout> = None;
    // On threads to spare (three, as the bound has one), RENS runs beside the restricted
    // MILP (HiGHS's branch and bound uses one), then the MILP again from its plan. Beside
    // the bound alone, this thread runs that second program: RENS for all the time, then
    // the MILP from its plan. Otherwise RENS first, for a share of the time.
    let side_by_side = priced.is_some() && !rens_only && set.threads >= 2 + bounding as usize;
    let after_rens = side_by_side || bounding;
    let mut beside = None;
    if let Some(p) = &priced {
        // RENS (`rens.rs`): moves boxed around the last pricing LP, then trip days with
        // those moves fixed. Its columns are the restricted MILP's, so its plans are that
        // MILP's plans as they are.
        let rens = rens::Rens::new(ds, &cl, p);
        let mut l = layout_of(rens.model());
        l.0 = rens.stats();
        layout = Some(l);
        // Its own bound is that of a small box, above the priced one: no point stopping
        // at the requested gap of it.
        let sub = SolverSettings {
            time_limit: left(if rens_only || after_rens {
                1.0
            } else {
                RENS_SHARE
            }),
            // Beside the MILP, RENS only makes a start: within half the gap of its box is
            // enough.
            gap: set.gap * if after_rens { 0.5 } else { 0.1 },
            abs_gap: None,
            watch: priced_watch(set, p.bound),
            stop_at: Some(stop_at(set, p.bound)),
            ..set.clone()
        };
        if side_by_side {
            beside = Some((rens, sub));
        } else {
            let r = rens.run(&sub);
            trace(started, "RENS");
            match r {
                Ok(r) if r.status != SolveStatus::NoPlan => {
                    if start_solved
                        .as_ref()
                        .is_none_or(|s| r.objective < s.objective)
                    {
                        start_solved = Some(r);
                    }
                }
                Ok(_) | Err(ModelError::Infeasible) => {}
                Err(e) => return Err(e),
            }
        }
    }
    // With pricing, the start may already be within the gap of the priced bound.
    let done = match (&priced, &start_solved, &layout) {
        (Some(p), Some(s), Some(_)) => {
            rens_only || within(s.objective, p.bound.max(floor.get()), set)
        }
        _ => false,
    };
    let milp = (!done).then(|| build_with(ds, &cl, None, shape));
    let (stats, x, e, w, w_trip) = match (&milp, layout) {
        (Some(m), _) => layout_of(m),
        (None, Some(l)) => l,
        (None, None) => unreachable!("done only with a RENS model"),
    };
    let solved = if let Some(milp) = milp {
        // The race's second MILP, built before the time left is counted.
        let again = beside.is_some().then(|| build_with(ds, &cl, None, shape));
        // HiGHS judges its gap on the restricted MILP's bound, which is above the priced
        // one (by its cuts, about 0.2% on generated counties): aim a quarter tighter.
        let aim = if priced.is_some() { PRICED_AIM } else { 1.0 };
        let rest = SolverSettings {
            time_limit: left(1.0),
            gap: set.gap * aim,
            abs_gap: set.abs_gap.map(|a| a * aim),
            watch: match &priced {
                Some(p) => priced_watch(set, p.bound),
                None => set.watch.clone(),
            },
            // Done as soon as the plan is within the gap of the priced bound, whatever
            // the restricted model's own bound says.
            stop_at: priced.as_ref().map(|p| stop_at(set, p.bound)),
            ..set.clone()
        };
        let start_columns = start_solved.as_ref().map(|s| &s.columns[..]);
        trace(started, "MILP built");
        let solved = match (beside, again) {
            (Some((rens, sub)), Some(again)) => {
                side_by_side_run(milp, again, rest, rens, sub, start_columns)?
            }
            _ => solve::run(milp, &rest, start_columns)?,
        };
        match start_solved {
            // The start when nothing better came back (in the race, a RENS plan may be
            // all there is when the MILP failed).
            Some(mut s)
                if solved.status == SolveStatus::NoPlan || s.objective < solved.objective =>
            {
                s.status = SolveStatus::Feasible;
                s.bound = solved.bound.min(s.objective);
                s
            }
            _ => solved,
        }
    } else {
        start_solved.take().expect("a start")
    };
    let mut outcome = Outcome {
        status: solved.status,
        decisions: None,
        milp_objective: solved.objective,
        // A bound below the trivial one (HiGHS's −inf when stopped early) says nothing.
        bound: solved.bound.max(bound::trivial(ds, &cl)),
        seconds: started.elapsed().as_secs_f64(),
        stats,
    };
    if let Some(p) = &priced {
        // The restricted MILP's own bound is not one of the whole model: report the
        // priced LP bound or the relaxation's, and judge the status on it.
        outcome.bound = p.bound.max(floor.get()).min(solved.objective);
        if solved.status != SolveStatus::NoPlan {
            outcome.status = if within(solved.objective, outcome.bound, set) {
                SolveStatus::Optimal
            } else {
                SolveStatus::Feasible
            };
        }
    }
    // The search is over: the bound's core is wanted for the period LP.
    bound_ends.stop();
    if solved.status == SolveStatus::NoPlan {
        return Ok(outcome);
    }
    let val = |c: &build::Col| solved.columns[c.ix].round().max(0.0) as u32;
    let mut fixing = zero_fixing(&cl);
    fixing.x = x.iter().map(|v| v.iter().map(val).collect()).collect();
    fixing.e = e.iter().map(|c| c.as_ref().map_or(0, val)).collect();
    for (ci, (cols, pos)) in w.iter().zip(&w_trip).enumerate() {
        for (c, &j) in cols.iter().zip(pos) {
            fixing.w[ci][j] = val(c);
        }
    }
    trace(started, "MILP (or the start taken)");
    let (placement, trip_days) = disaggregate(ds, &cl, &fixing);
    let periods = periods_for(ds, &placement, &trip_days, set)?;
    trace(started, "periods");
    outcome.seconds += periods.1;
    outcome.decisions = Some(Decisions {
        placement,
        trip_days,
        periods: periods.0,
    });
    Ok(outcome)
}

/// Two threads race over the restricted model's columns (HiGHS's branch and bound keeps
/// one busy): one runs the MILP from `start`; the other runs RENS, then the MILP again from
/// RENS's plan (a better incumbent from the first node). The first to be done (within the
/// gap of the priced bound, or at its own gap) ends the race, and the best plan returned so
/// far is taken. The other is told to stop, but HiGHS looks only between its steps (not
/// inside a sub-MIP, which can take seconds), so it is not waited for: it ends on its own
/// thread. HiGHS's user-solution callback would hand RENS's plans to the first MILP
/// instead, but the HiGHS built here compares such a plan's original objective with its
/// presolved incumbent's and drops it.
fn side_by_side_run(
    milp: Milp,
    again: Milp,
    rest: SolverSettings,
    rens: rens::Rens,
    sub: SolverSettings,
    start: Option<&[f64]>,
) -> Result<solve::Solved, ModelError> {
    use std::sync::{atomic::AtomicBool, atomic::Ordering::Relaxed, Arc};
    let started = std::time::Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let one = |s: SolverSettings| SolverSettings {
        threads: 1,
        watch: None,
        stop_with: Some(stop.clone()),
        ..s
    };
    // A MILP is done at its own gap or the priced bound's; RENS (whose own gap is that
    // of a small box) only at the priced bound's.
    // The floor is read where a thread reports, so each thread has its own handle.
    let stop_at = rest.stop_at;
    let floor = rest.floor.clone();
    // None for a limit too large to add to an instant (an infinite one).
    let mut deadline = std::time::Duration::try_from_secs_f64(rest.time_limit)
        .ok()
        .and_then(|d| started.checked_add(d));
    // An error (RENS's box may be infeasible) ends nothing: the other thread goes on.
    let done = move |r: &Result<solve::Solved, ModelError>, own_gap: bool| match r {
        Ok(s) => {
            let stop_at = stop_at.map(|a| a.raised(floor.as_deref()));
            let at_bound =
                stop_at.is_some_and(|a| s.status != SolveStatus::NoPlan && a.reached(s.objective));
            at_bound || (own_gap && s.status == SolveStatus::Optimal)
        }
        Err(_) => false,
    };
    // A panic on a thread comes back as an error, not as a hang-up.
    let guarded = |f: &mut dyn FnMut() -> Result<solve::Solved, ModelError>| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|_| Err(ModelError::Solver("a solver thread panicked".into())))
    };
    type Report = (Result<solve::Solved, ModelError>, bool);
    let (tx, rx) = std::sync::mpsc::channel::<Report>();
    // The first MILP keeps the progress watch; the other thread's solves are not shown.
    let (main_set, start) = (
        SolverSettings {
            threads: 1,
            stop_with: Some(stop.clone()),
            ..rest.clone()
        },
        start.map(|s| s.to_vec()),
    );
    let main_tx = tx.clone();
    let main_done = done.clone();
    std::thread::spawn(move || {
        let mut milp = Some(milp);
        let r = guarded(&mut || {
            solve::run(milp.take().expect("run once"), &main_set, start.as_deref())
        });
        let d = main_done(&r, true);
        let _ = main_tx.send((r, d));
    });
    let (rens_set, again_set) = (one(sub), one(rest));
    let side_stop = stop.clone();
    std::thread::spawn(move || {
        let mut rens = Some(rens);
        let r = guarded(&mut || rens.take().expect("run once").run(&rens_set));
        let d = done(&r, false);
        let from = match &r {
            Ok(s) if s.status != SolveStatus::NoPlan && !d => Some(s.columns.clone()),
            _ => None,
        };
        if tx.send((r, d)).is_err() || d || side_stop.load(Relaxed) {
            return;
        }
        if let Some(from) = from {
            let left = (again_set.time_limit - started.elapsed().as_secs_f64()).max(1.0);
            let set = SolverSettings {
                time_limit: left,
                ..again_set
            };
            let mut again = Some(again);
            let r = guarded(&mut || solve::run(again.take().expect("run once"), &set, Some(&from)));
            let d = done(&r, true);
            let _ = tx.send((r, d));
        }
    });
    let mut best: Option<solve::Solved> = None;
    let mut first_err = None;
    // Each sender hangs up when its thread ends: the loop ends when both have, or early
    // when one is done. At the time limit the threads are told to stop and get a short
    // grace to report what they have (a run that stops on its own limit reports just after
    // it); HiGHS overruns its limit by seconds between cut rounds on L, and a plan that
    // late is not waited for.
    let mut told = false;
    loop {
        let got = match deadline {
            Some(at) => rx.recv_timeout(at.saturating_duration_since(std::time::Instant::now())),
            None => rx
                .recv()
                .map_err(|_| std::sync::mpsc::RecvTimeoutError::Disconnected),
        };
        let (r, d) = match got {
            Ok(report) => report,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if !told => {
                told = true;
                stop.store(true, Relaxed);
                deadline = Some(std::time::Instant::now() + STOP_GRACE);
                continue;
            }
            Err(_) => break,
        };
        match r {
            Ok(r) if r.status != SolveStatus::NoPlan => {
                if best
                    .as_ref()
                    .is_none_or(|b| b.status == SolveStatus::NoPlan || r.objective < b.objective)
                {
                    best = Some(r);
                }
            }
            Ok(r) => {
                best.get_or_insert(r);
            }
            Err(ModelError::Infeasible) => {}
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
        if d {
            break;
        }
    }
    stop.store(true, Relaxed);
    match (best, first_err) {
        (Some(b), _) => Ok(b),
        (None, Some(e)) => Err(e),
        // Nothing reported in time, or both infeasible (which the start's plan
        // contradicts): no plan from the race, and the caller keeps the start.
        (None, None) => Ok(solve::Solved::none(started.elapsed().as_secs_f64())),
    }
}

/// Stop once a plan is within the requested gap of the priced bound.
fn stop_at(set: &SolverSettings, bound: f64) -> solve::StopAt {
    solve::StopAt {
        bound,
        gap: set.gap,
        abs_gap: set.abs_gap.unwrap_or(0.0),
    }
}

/// Sets its flag when dropped: a thread beside a solve stops when the solve ends, however
/// it ends.
struct StopOnDrop(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl StopOnDrop {
    fn stop(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.stop();
    }
}

/// With LUNGANG_SOLVER_LOG set, a line on stderr saying when a step of a solve ended
/// (seconds since the whole model's solve began): where the time goes.
fn trace(started: std::time::Instant, step: &str) {
    if std::env::var_os("LUNGANG_SOLVER_LOG").is_some() {
        eprintln!("[lungang {:7.2} s] {step}", started.elapsed().as_secs_f64());
    }
}

/// How long the race waits for its threads' reports once told to stop at the time limit.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// With pricing, the restricted MILP stops at this share of the requested gap.
const PRICED_AIM: f64 = 0.75;

/// The restricted MILP runs only with this many pricing rounds' time left.
const ROOT_LPS: f64 = 3.0;

/// Share of the time left that the RENS search may take.
const RENS_SHARE: f64 = 0.5;

/// Whether `objective` is within the requested gap of `bound`.
fn within(objective: f64, bound: f64, set: &SolverSettings) -> bool {
    let gap = objective - bound;
    gap <= set.gap * objective.abs() + 1e-9 || set.abs_gap.is_some_and(|a| gap <= a + 1e-9)
}

/// (School, subject) pairs a plan leaves to trips or uncovered: demand beyond what the
/// teachers placed at the school teach there.
fn short_of(ds: &Dataset, d: &Decisions) -> BTreeMap<(SchoolIx, SubjectIx), u32> {
    let mut left: BTreeMap<(SchoolIx, SubjectIx), u32> = ds
        .demand
        .iter()
        .filter(|r| r.periods > 0)
        .map(|r| ((r.school, r.subject), r.periods))
        .collect();
    for &(t, s, k, p) in &d.periods {
        if d.placement[t.ix()].school(ds.teacher(t).home) == s {
            if let Some(v) = left.get_mut(&(s, k)) {
                *v = v.saturating_sub(p);
            }
        }
    }
    left.retain(|_, v| *v > 0);
    left
}

/// Class-level counts of per-teacher decisions (the inverse of `disaggregate`).
fn class_fixing(cl: &Classes, placement: &[Placement], trips: &[Vec<Trip>]) -> Fixing {
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

fn zero_fixing(cl: &Classes) -> Fixing {
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
fn disaggregate(ds: &Dataset, cl: &Classes, f: &Fixing) -> (Vec<Placement>, Vec<Vec<Trip>>) {
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

/// `set`'s watch for a model restricted to priced trips: its plans are plans of the whole
/// model, but its own bound is not a bound of it, so the priced bound (or the relaxation's,
/// when higher) is shown instead.
fn priced_watch(set: &SolverSettings, bound: f64) -> Option<solve::Watch> {
    let floor = set.floor.clone();
    set.watch.clone().map(|w| {
        solve::Watch::new(move |p: solve::Progress| {
            let bound = floor.as_ref().map_or(bound, |f| f.get().max(bound));
            w.report(solve::Progress {
                best: p.best,
                bound: Some(p.best.map_or(bound, |b| b.min(bound))),
            })
        })
    })
}

/// Settings for the LPs around the MILP (a start's completion, unmet_before, periods):
/// quick, and worth finishing even when the MILP has used up the time, so they get at
/// least a minute; nobody watches them.
fn lp_settings(set: &SolverSettings) -> SolverSettings {
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
fn periods_for(
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
    let mut periods: BTreeMap<(TeacherIx, SchoolIx, SubjectIx), u32> = BTreeMap::new();
    for p in &y {
        let v = solved.columns[p.col.ix].round().max(0.0) as u32;
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
