//! The MILP of docs/model.md (MODEL.md) on good_lp + HiGHS, and the strategy that solves
//! it: `optimise` runs the stages in order, each in its own file with its contract at the
//! top (docs/model.md §5 is a map of it):
//!
//! 1. `construct/`: a plan at once, built rule by rule;
//! 2. `decompose.rs` and `parts.rs`: independent parts of the county solved apart, the
//!    small ones in parallel, the large ones one after another with every thread (a
//!    county in one part is solved whole);
//! 3. `whole.rs`, per part: the relaxation's bound beside the search (`bound.rs`), trips by
//!    pricing (`price.rs`, each round from the last one's basis, `basis.rs`), RENS
//!    (`rens/`), the restricted MILP or the race (`race.rs`);
//! 4. `repair/`: rules mended on the plan where a few names change for less than the
//!    shortfall: the county-wide backbone share (joined parts, or a whole county's search
//!    that ended short of it);
//! 5. `periods.rs`: integral periods per teacher by an LP with every decision fixed,
//!    rounded and fitted back into the rows rounding can break (`period_fit.rs`); then
//!    `repair::counted` mends the rules that count people where one teacher's change is
//!    sure to cost less (a search boxed or stopped short), and the periods are solved
//!    again.
//!
//! The model itself: `classes.rs` (teachers the model cannot tell apart, one integer count
//! each), `build.rs` (one constraint family per function), `rounding.rs` (valid rows that
//! count teachers whole, for the models an LP guides), `rules.rs` (rules 5-13),
//! `solve.rs` (HiGHS and our own outcome type).

mod basis;
pub mod bound;
pub mod build;
pub mod classes;
mod columns;
pub mod construct;
pub mod decompose;
mod lns;
mod parts;
mod period_fit;
mod periods;
pub mod price;
mod race;
mod rens;
mod repair;
mod rounding;
mod rules;
pub mod solve;
mod whole;

use thiserror::Error;

use crate::domain::{Dataset, Placement, SchoolIx, SubjectIx, TeacherIx, Trip};
pub use periods::{unmet_before, with_periods};
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

/// A search's plan before periods: placement and trip-days per teacher, the searched
/// model's objective, a bound of the whole model and the status judged on both.
pub(crate) struct Found {
    pub status: SolveStatus,
    pub objective: f64,
    pub bound: f64,
    pub stats: ModelStats,
    pub plan: Option<(Vec<Placement>, Vec<Vec<Trip>>)>,
    /// The relaxation's bound still rising on its own thread after the search ended
    /// (`whole.rs`); `settle` takes what it reached and stops it.
    pub live: Option<whole::Bounds>,
}

impl Found {
    /// A result with no plan and nothing running beside it, for the tests of the stages
    /// that weigh results.
    #[cfg(test)]
    fn bare(objective: f64, bound: f64) -> Found {
        Found {
            status: SolveStatus::Feasible,
            objective,
            bound,
            stats: ModelStats::default(),
            plan: None,
            live: None,
        }
    }

    /// The bound the relaxation still running beside this result has reached, taken
    /// (never above the plan), and the relaxation stopped.
    fn settle(&mut self) {
        if let Some(live) = self.live.take() {
            self.bound = self.bound.max(live.bound()).min(self.objective);
        }
    }

    /// Relative gap between the objective and the bound.
    fn gap(&self) -> f64 {
        (self.objective - self.bound) / self.objective.abs().max(1e-9)
    }

    /// How far the objective is above the bound, never below 0.
    fn own_gap(&self) -> f64 {
        (self.objective - self.bound).max(0.0)
    }
}

/// The change term of a plan in which nobody moves or is extended (LOCKED teachers at
/// their terms): the constant that the columns' change costs are measured from
/// (`classes`); 0 without a kept plan. HiGHS drops objective constants, so it is added to
/// the objective and the bound here.
pub fn change_offset(ds: &Dataset) -> f64 {
    let facts = ds.teacher_facts();
    ds.teacher_ixs()
        .map(|t| ds.change_at_home(t, &facts[t.ix()]))
        .sum()
}

/// Builds and solves the plan model: the stages of the module doc, in order.
pub fn optimise(ds: &Dataset, set: &SolverSettings) -> Result<Outcome, ModelError> {
    let started = std::time::Instant::now();
    let left = || (set.time_limit - started.elapsed().as_secs_f64()).max(0.0);
    let start = construct::start(ds);
    whole::trace(started, "construction");
    let parts = decompose::components(ds);
    let mut found = if parts.len() <= 1 {
        // The time limit is the whole job's: what the construction took is spent (the
        // `enshi` profile's M county, seed 5: 13.8 s, and 75.6 s of wall time for 60).
        let set = SolverSettings {
            time_limit: left().max(1.0),
            ..set.clone()
        };
        whole::solve(ds, &set, &start, true)?
    } else {
        parts::solve(ds, &parts, &start, set, &left)?
    };
    found.settle();
    let offset = change_offset(ds);
    found.objective += offset;
    found.bound += offset;
    if let Some(plan) = found.plan.as_mut() {
        let mend = match parts.len() > 1 {
            true => repair::Mend::SwapOrAdd,
            false => repair::Mend::Swap,
        };
        if repair::backbone(ds, plan, mend) {
            whole::trace(started, "backbone share mended");
        }
    }
    let Some((placement, trip_days)) = found.plan else {
        return Ok(Outcome {
            status: SolveStatus::NoPlan,
            decisions: None,
            milp_objective: found.objective,
            bound: found.bound,
            seconds: started.elapsed().as_secs_f64(),
            stats: found.stats,
        });
    };
    let (mut periods, _) = periods::periods_for(ds, &placement, &trip_days, set)?;
    whole::trace(started, "periods");
    let mut plan = (placement, trip_days);
    if repair::counted(ds, &mut plan, &periods) {
        periods = periods::periods_for(ds, &plan.0, &plan.1, set)?.0;
        whole::trace(started, "counted rules mended; periods again");
    }
    let (placement, trip_days) = plan;
    Ok(Outcome {
        status: found.status,
        decisions: Some(Decisions {
            placement,
            trip_days,
            periods,
        }),
        milp_objective: found.objective,
        bound: found.bound,
        seconds: started.elapsed().as_secs_f64(),
        stats: found.stats,
    })
}
