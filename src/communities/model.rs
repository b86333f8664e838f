//! The community MILP (docs/communities.md), one family of rows per function, solved by
//! HiGHS. It stands apart from the teacher plan's model (src/model): neither imports the
//! other.
//!
//! Columns: o(u) ∈ {0,1} unit u leads a community (1 for an existing one); a(s,u) ∈ {0,1}
//! school s is a member of u (allowed pairs only: within the travel limit, sharing a
//! stage); d(u,k) ≥ 0 the community's shortage of subject k in periods a week.
//! Objective: Σ minutes(u,s)·a(s,u) + W_balance · (Σ d(u,k) + Σ_s short(s)·(1 − in(s))).

use std::time::Instant;

use good_lp::solvers::highs::highs;
use good_lp::{
    constraint, variable, Constraint, Expression, ProblemVariables, SolverModel, Variable,
};

use super::facts::{Facts, Place};
use crate::domain::{Dataset, SubjectIx};
use crate::model::solve::{self, SolveStatus};
use crate::model::ModelError;

/// How the solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Proven best within the requested gap.
    Optimal,
    /// Stopped by the time limit with a partition.
    Feasible,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
        }
    }
}

/// The solver's answer: which units lead, which pairs hold.
#[derive(Clone, Debug)]
pub struct Chosen {
    pub status: Status,
    pub open: Vec<bool>,
    /// Per pair of `Facts::pairs`.
    pub joined: Vec<bool>,
    pub objective: f64,
    pub bound: f64,
    pub seconds: f64,
}

/// Why no partition came out.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The rules asked for cannot all hold.
    Infeasible,
    /// The time limit passed before any partition was found.
    NoneInTime {
        seconds: f64,
    },
    Solver(String),
}

struct Cols {
    open: Vec<Variable>,
    join: Vec<Variable>,
    /// (unit, subject, column) of the shortage columns.
    short: Vec<(usize, SubjectIx, Variable)>,
}

/// Subjects some school of the county is short of: the only ones a community can be.
fn short_subjects(f: &Facts) -> Vec<SubjectIx> {
    let mut ks: Vec<SubjectIx> = f
        .net
        .iter()
        .flatten()
        .filter(|(_, v)| *v < 0)
        .map(|(k, _)| *k)
        .collect();
    ks.sort();
    ks.dedup();
    ks
}

fn net_of(f: &Facts, s: crate::domain::SchoolIx, k: SubjectIx) -> f64 {
    f.net[s.ix()]
        .binary_search_by_key(&k, |(j, _)| *j)
        .map_or(0.0, |i| f.net[s.ix()][i].1 as f64)
}

fn columns(vars: &mut ProblemVariables, f: &Facts, balance: f64) -> Cols {
    let open = f
        .units
        .iter()
        .map(|u| {
            let lo = if u.existing.is_some() { 1.0 } else { 0.0 };
            vars.add(variable().integer().min(lo).max(1.0))
        })
        .collect();
    let join = f
        .pairs
        .iter()
        .map(|p| {
            let kept = matches!(f.place[p.school.ix()], Place::Kept(_));
            vars.add(
                variable()
                    .integer()
                    .min(if kept { 1.0 } else { 0.0 })
                    .max(1.0),
            )
        })
        .collect();
    let mut short = Vec::new();
    if balance > 0.0 {
        for k in short_subjects(f) {
            for u in 0..f.units.len() {
                short.push((u, k, vars.add(variable().min(0.0))));
            }
        }
    }
    Cols { open, join, short }
}

/// in(s): whether s is in a community (as a lead of its own unit or as a member).
fn in_community(f: &Facts, c: &Cols, s: crate::domain::SchoolIx) -> Expression {
    let mut e: Expression = f
        .pairs
        .iter()
        .zip(&c.join)
        .filter(|(p, _)| p.school == s)
        .map(|(_, v)| *v)
        .sum();
    match f.place[s.ix()] {
        Place::Lead(u) | Place::Free(Some(u)) => e += c.open[u],
        _ => {}
    }
    e
}

/// Each school has one place at most: a member of one unit, or the lead of its own; a
/// member today stays a member of some unit when re-paired.
fn one_place(f: &Facts, c: &Cols) -> Vec<Constraint> {
    let mut rows = Vec::new();
    for (i, place) in f.place.iter().enumerate() {
        let s = crate::domain::SchoolIx(i as u32);
        let e = in_community(f, c, s);
        match place {
            Place::MustJoin => rows.push(constraint!(e == 1.0)),
            Place::Free(_) | Place::Kept(_) => rows.push(constraint!(e <= 1.0)),
            Place::Lead(_) | Place::Out => {}
        }
    }
    rows
}

/// A member joins an open unit only; each open unit has lo..hi members (西吉 1 + 3-4).
fn sizes(f: &Facts, c: &Cols) -> Vec<Constraint> {
    let mut rows = Vec::new();
    let mut members: Vec<Expression> = vec![Expression::default(); f.units.len()];
    for (p, v) in f.pairs.iter().zip(&c.join) {
        members[p.unit] += *v;
        rows.push(constraint!(*v <= c.open[p.unit]));
    }
    for (u, unit) in f.units.iter().enumerate() {
        let o = c.open[u];
        rows.push(constraint!(members[u].clone() <= f64::from(unit.hi) * o));
        rows.push(constraint!(members[u].clone() >= f64::from(unit.lo) * o));
    }
    rows
}

/// 平顶山 2025: at least ⌈share × rural schools⌉ rural schools in a community.
fn coverage(f: &Facts, c: &Cols) -> Constraint {
    let covered: Expression = f.rural.iter().map(|&s| in_community(f, c, s)).sum();
    constraint!(covered >= f64::from(f.required))
}

/// d(u,k) ≥ −(Σ net of its leads and members): the community's shortage of k.
fn balance_rows(f: &Facts, c: &Cols) -> Vec<Constraint> {
    let mut rows = Vec::new();
    for &(u, k, d) in &c.short {
        let mut e: Expression = d.into();
        let lead: f64 = f.units[u].schools.iter().map(|&s| net_of(f, s, k)).sum();
        if lead != 0.0 {
            e += lead * c.open[u];
        }
        for (p, v) in f.pairs.iter().zip(&c.join) {
            if p.unit == u {
                let n = net_of(f, p.school, k);
                if n != 0.0 {
                    e += n * *v;
                }
            }
        }
        rows.push(constraint!(e >= 0.0));
    }
    rows
}

/// Σ minutes·a + W·(Σ d + Σ_s short(s)·(1 − in(s))): travel, then the county's periods
/// short inside communities and at schools outside any.
fn objective(ds: &Dataset, f: &Facts, c: &Cols, balance: f64) -> Expression {
    let mut e: Expression = f
        .pairs
        .iter()
        .zip(&c.join)
        .map(|(p, v)| p.minutes * *v)
        .sum();
    if c.short.is_empty() {
        return e;
    }
    let ks = short_subjects(f);
    for &(_, _, d) in &c.short {
        e += balance * d;
    }
    for s in ds.school_ixs() {
        let short: f64 = ks.iter().map(|&k| (-net_of(f, s, k)).max(0.0)).sum();
        if short > 0.0 {
            e += balance * short;
            e -= balance * short * in_community(f, c, s);
        }
    }
    e
}

pub fn solve(
    ds: &Dataset,
    f: &Facts,
    balance: f64,
    time_limit: f64,
    gap: f64,
) -> Result<Chosen, Failure> {
    let started = Instant::now();
    if f.units.is_empty() {
        return Ok(no_leads(ds, f, balance, started));
    }
    let (model, c) = model(ds, f, balance, time_limit, gap)?;
    let solved = model
        .try_solve()
        .map_err(|e| Failure::Solver(format!("HiGHS failed: {e:?}")))?;
    let seconds = started.elapsed().as_secs_f64();
    // The same reading of HiGHS's outcome as the planner's MILPs.
    let status = match solve::outcome(&solved) {
        Ok(SolveStatus::Optimal) => Status::Optimal,
        Ok(SolveStatus::Feasible) => Status::Feasible,
        Ok(SolveStatus::NoPlan) => return Err(Failure::NoneInTime { seconds }),
        Err(ModelError::Infeasible) => return Err(Failure::Infeasible),
        Err(ModelError::Solver(why)) => return Err(Failure::Solver(why)),
    };
    let objective = solved.objective_value();
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite() && b.abs() < 1e20)
        .unwrap_or(objective);
    // Columns are numbered in the order they were added: o, then a.
    let cols = solved.get_solution().columns().to_vec();
    let value = |i: usize| cols.get(i).copied().unwrap_or(0.0) > 0.5;
    let nu = c.open.len();
    Ok(Chosen {
        status,
        open: (0..nu).map(value).collect(),
        joined: (0..c.join.len()).map(|p| value(nu + p)).collect(),
        objective,
        bound,
        seconds,
    })
}

/// Nobody may lead: no columns, and HiGHS refuses an empty model. The partition is
/// empty and the objective its constant, every school's shortage.
fn no_leads(ds: &Dataset, f: &Facts, balance: f64, started: Instant) -> Chosen {
    let ks = short_subjects(f);
    let objective = balance
        * ds.school_ixs()
            .map(|s| ks.iter().map(|&k| (-net_of(f, s, k)).max(0.0)).sum::<f64>())
            .sum::<f64>();
    Chosen {
        status: Status::Optimal,
        open: Vec::new(),
        joined: Vec::new(),
        objective,
        bound: objective,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// The MILP on HiGHS, its options set, and its columns.
fn model(
    ds: &Dataset,
    f: &Facts,
    balance: f64,
    time_limit: f64,
    gap: f64,
) -> Result<(highs::Model, Cols), Failure> {
    let mut vars = ProblemVariables::new();
    let c = columns(&mut vars, f, balance);
    let obj = objective(ds, f, &c, balance);
    let mut problem = vars.minimise(obj).using(highs);
    for row in one_place(f, &c)
        .into_iter()
        .chain(sizes(f, &c))
        .chain(std::iter::once(coverage(f, &c)))
        .chain(balance_rows(f, &c))
    {
        problem.add_constraint(row);
    }
    let mut model = problem
        .try_into_inner()
        .map_err(|e| Failure::Solver(e.to_string()))?;
    let log = std::env::var_os("LUNGANG_SOLVER_LOG").is_some();
    let mut ok = model.try_set_option("output_flag", log).is_ok()
        && model.try_set_option("log_to_console", log).is_ok();
    ok &= model.try_set_option("time_limit", time_limit).is_ok();
    ok &= model.try_set_option("mip_rel_gap", gap).is_ok();
    // One thread and a fixed seed: the same county gives the same partition every time.
    ok &= model.try_set_option("threads", 1).is_ok();
    ok &= model.try_set_option("random_seed", 0).is_ok();
    if !ok {
        return Err(Failure::Solver("HiGHS refused an option".into()));
    }
    Ok((model, c))
}
