//! The naive baseline: MODEL.md taken literally, one column per teacher and decision, on
//! HiGHS. Reuses only domain facts (who may move where, trips, costs, headcounts), none of
//! lungang's formulation (no classes, no flow periods, no decomposition), so the benchmark
//! shows what those buy.
//!
//! The model is built in MODEL.md's order: each teacher's columns and rules 1-3
//! (`teachers.rs`), coverage and rules 5-14 (`rules.rs`); HiGHS solves it with its own
//! defaults, and the decisions are read back per teacher (`read.rs`).

mod read;
mod rules;
mod teachers;

use std::collections::BTreeMap;
use std::time::Instant;

use good_lp::solvers::highs::highs;
use good_lp::{Constraint, Expression, ProblemVariables, SolverModel, Variable};

use crate::domain::{Dataset, SchoolIx, SubjectIx, TeacherFacts};
use crate::model::{Decisions, ModelError, SolveStatus, SolverSettings};
use read::ReadBack;
use rules::Counts;

/// What the naive model reached, with its size and timings.
#[derive(Clone, Debug)]
pub struct NaiveOutcome {
    pub status: SolveStatus,
    /// `None` when HiGHS stopped with no plan.
    pub decisions: Option<Decisions>,
    /// HiGHS's incumbent objective (MODEL.md's objective of these decisions).
    pub objective: f64,
    pub bound: f64,
    pub columns: usize,
    pub rows: usize,
    pub build_seconds: f64,
    pub solve_seconds: f64,
}

impl NaiveOutcome {
    /// Relative gap as HiGHS defines it.
    pub fn gap(&self) -> f64 {
        if self.decisions.is_none() {
            return f64::INFINITY;
        }
        let (ub, lb) = (self.objective, self.bound.min(self.objective));
        if ub == lb {
            0.0
        } else {
            (ub - lb) / ub.abs().max(1e-9)
        }
    }
}

/// Builds and solves the literal model of MODEL.md.
pub fn solve_naive(ds: &Dataset, set: &SolverSettings) -> Result<NaiveOutcome, ModelError> {
    let started = Instant::now();
    let facts = ds.teacher_facts();
    let mut literal = Literal::new(ds, &facts);
    literal.teachers();
    let unmet = literal.coverage();
    literal.rules(unmet);
    let (columns, rows) = (literal.cols.n, literal.rows.len());
    let (model, read) = literal.into_highs(set)?;
    let build_seconds = started.elapsed().as_secs_f64();

    let solve_started = Instant::now();
    let solved = model
        .try_solve()
        .map_err(|e| ModelError::Solver(format!("HiGHS failed: {e:?}")))?;
    let solve_seconds = solve_started.elapsed().as_secs_f64();
    let status = crate::model::solve::outcome(&solved)?;
    let has_plan = status != SolveStatus::NoPlan;
    let objective = match has_plan {
        true => solved.objective_value(),
        false => f64::INFINITY,
    };
    let decisions = has_plan.then(|| read.decisions(ds, solved.get_solution().columns()));
    Ok(NaiveOutcome {
        status,
        decisions,
        objective,
        bound: bound_of(&solved, has_plan.then_some(objective)),
        columns,
        rows,
        build_seconds,
        solve_seconds,
    })
}

/// HiGHS's best bound; without one, the plan's objective, or −∞ with no plan.
fn bound_of(solved: &highs::SolvedModel, objective: Option<f64>) -> f64 {
    solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite())
        .unwrap_or(objective.unwrap_or(f64::NEG_INFINITY))
}

/// The model as it is built: its columns, objective and rows, the counts rules 5-14 read,
/// and where each decision's column is.
struct Literal<'a> {
    ds: &'a Dataset,
    facts: &'a [TeacherFacts],
    cols: Cols,
    obj: Expression,
    rows: Vec<Constraint>,
    counts: Counts,
    /// Σ_t y(t,s,k) per demand row.
    cover: BTreeMap<(SchoolIx, SubjectIx), Expression>,
    read: ReadBack,
}

impl<'a> Literal<'a> {
    fn new(ds: &'a Dataset, facts: &'a [TeacherFacts]) -> Self {
        Literal {
            ds,
            facts,
            cols: Cols {
                vars: ProblemVariables::new(),
                n: 0,
            },
            obj: Expression::default(),
            rows: Vec::new(),
            counts: Counts::default(),
            cover: BTreeMap::new(),
            read: ReadBack::new(ds),
        }
    }

    /// The model handed to HiGHS with its defaults but for the time limit, gap, threads
    /// and a fixed seed; and where to read the decisions back.
    fn into_highs(self, set: &SolverSettings) -> Result<(highs::Model, ReadBack), ModelError> {
        let mut problem = self.cols.vars.minimise(self.obj).using(highs);
        for c in self.rows {
            problem.add_constraint(c);
        }
        let mut model = problem
            .try_into_inner()
            .map_err(|e| ModelError::Solver(e.to_string()))?;
        let refused = |name: &str| ModelError::Solver(format!("HiGHS refused option {name}"));
        model
            .try_set_option("output_flag", false)
            .map_err(|_| refused("output_flag"))?;
        for (name, v) in [("time_limit", set.time_limit), ("mip_rel_gap", set.gap)] {
            model.try_set_option(name, v).map_err(|_| refused(name))?;
        }
        let ints = [("threads", set.threads.max(1) as i32), ("random_seed", 0)];
        for (name, v) in ints {
            model.try_set_option(name, v).map_err(|_| refused(name))?;
        }
        Ok((model, self.read))
    }
}

/// The columns, numbered in the order they are made (HiGHS's column order).
struct Cols {
    vars: ProblemVariables,
    n: usize,
}

impl Cols {
    fn add(&mut self, def: good_lp::VariableDefinition) -> (Variable, usize) {
        let ix = self.n;
        self.n += 1;
        (self.vars.add(def), ix)
    }
}
