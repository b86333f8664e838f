//! Running HiGHS on a built model, with our own outcome type: good_lp's adapter folds
//! "time limit, no solution" into an error and hides the bound, which a planner needs.

use std::time::Instant;

use good_lp::solvers::highs::highs;
use good_lp::SolverModel;
use highs::HighsModelStatus;

use super::build::Milp;
use super::ModelError;

#[derive(Clone, Debug)]
pub struct SolverSettings {
    pub time_limit: f64,
    /// Relative gap at which to stop.
    pub gap: f64,
    /// Absolute gap at which to stop as well (parts of a county share the whole's gap).
    pub abs_gap: Option<f64>,
    /// Branch-and-bound nodes at most: a budget that, unlike time, gives the same result
    /// on every machine.
    pub max_nodes: Option<i64>,
    pub threads: usize,
    pub log: bool,
}

impl SolverSettings {
    pub fn new(time_limit: f64, gap: f64, threads: usize) -> Self {
        SolverSettings {
            time_limit,
            gap,
            abs_gap: None,
            max_nodes: None,
            threads,
            log: false,
        }
    }
}

/// How a solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SolveStatus {
    /// Proven within the requested gap.
    Optimal,
    /// Stopped (time limit) with a plan.
    Feasible,
    /// Stopped with no plan.
    NoPlan,
}

#[derive(Clone, Debug)]
pub struct Solved {
    pub status: SolveStatus,
    /// Column values (empty with `NoPlan`).
    pub columns: Vec<f64>,
    pub objective: f64,
    pub bound: f64,
    pub seconds: f64,
}

/// Model size, for the terminal and the benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ModelStats {
    pub columns: usize,
    pub integer_columns: usize,
    pub rows: usize,
}

pub fn stats(m: &Milp) -> ModelStats {
    ModelStats {
        columns: m.vars.len(),
        integer_columns: m.integer_columns,
        rows: m.constraints.len(),
    }
}

/// Solves `m` with HiGHS; `start` is a feasible assignment of every column to begin from.
pub fn run(m: Milp, set: &SolverSettings, start: Option<&[f64]>) -> Result<Solved, ModelError> {
    let started = Instant::now();
    let mut problem = m.vars.minimise(m.objective).using(highs);
    for c in m.constraints {
        problem.add_constraint(c);
    }
    let mut model = problem
        .try_into_inner()
        .map_err(|e| ModelError::Solver(e.to_string()))?;
    let opt = |r: Result<(), highs::TrySetOptionError>, name: &str| {
        r.map_err(|_| ModelError::Solver(format!("HiGHS refused option {name}")))
    };
    // LUNGANG_SOLVER_LOG=1 shows HiGHS's own log, for tuning.
    let log = set.log || std::env::var_os("LUNGANG_SOLVER_LOG").is_some();
    opt(model.try_set_option("output_flag", log), "output_flag")?;
    opt(
        model.try_set_option("log_to_console", log),
        "log_to_console",
    )?;
    opt(
        model.try_set_option("time_limit", set.time_limit),
        "time_limit",
    )?;
    opt(model.try_set_option("mip_rel_gap", set.gap), "mip_rel_gap")?;
    // By default an absolute gap of 0, so that tiny objectives are not declared optimal early.
    opt(
        model.try_set_option("mip_abs_gap", set.abs_gap.unwrap_or(0.0)),
        "mip_abs_gap",
    )?;
    if let Some(n) = set.max_nodes {
        opt(
            model.try_set_option("mip_max_nodes", n as i32),
            "mip_max_nodes",
        )?;
    }
    opt(
        model.try_set_option("threads", set.threads.max(1) as i32),
        "threads",
    )?;
    opt(model.try_set_option("random_seed", 0), "random_seed")?;
    if let Ok(extra) = std::env::var("LG_HOPT") {
        for kv in extra.split(',').filter(|s| !s.is_empty()) {
            let (k, v) = kv.split_once('=').unwrap();
            let r = if let Ok(i) = v.parse::<i32>() {
                model.try_set_option(k, i)
            } else if let Ok(f) = v.parse::<f64>() {
                model.try_set_option(k, f)
            } else if let Ok(b) = v.parse::<bool>() {
                model.try_set_option(k, b)
            } else {
                model.try_set_option(k, v)
            };
            opt(r, k)?;
        }
    }
    if let Some(start) = start {
        // A start HiGHS cannot use is only a lost head start, never an error.
        let _ = model.try_set_solution(Some(start), None, None, None);
    }
    let solved = model
        .try_solve()
        .map_err(|e| ModelError::Solver(format!("HiGHS failed: {e:?}")))?;
    let seconds = started.elapsed().as_secs_f64();
    let has_plan = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let status = match solved.status() {
        HighsModelStatus::Optimal => SolveStatus::Optimal,
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => {
            if has_plan {
                SolveStatus::Feasible
            } else {
                SolveStatus::NoPlan
            }
        }
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Err(ModelError::Infeasible)
        }
        other => return Err(ModelError::Solver(format!("HiGHS ended with {other:?}"))),
    };
    if status != SolveStatus::NoPlan && !has_plan {
        return Err(ModelError::Solver(
            "HiGHS reported no primal solution".into(),
        ));
    }
    let objective = solved.objective_value();
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite())
        .unwrap_or(objective);
    let columns = if has_plan {
        solved.get_solution().columns().to_vec()
    } else {
        Vec::new()
    };
    Ok(Solved {
        status,
        columns,
        objective,
        bound,
        seconds,
    })
}
