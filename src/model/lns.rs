//! Improvement by community (fix and optimise, docs/model.md §5): the restricted model
//! with every class but those of one community held at the incumbent plan, that
//! community's moves, extensions and trip days free. The rules that make a priced model
//! hard (quotas, equal numbers each way, members no worse off, requests) are each inside
//! one community, so such a neighbourhood is where a plan breaking one can be mended, and
//! it is a small MILP: HiGHS's presolve drops the held columns.
//!
//! Contract: `improve` returns a plan of the restricted model no worse than `incumbent`
//! (HiGHS starts from it), within `deadline`; communities are visited worst first (the
//! incumbent's shortfalls and weighted unmet periods at their schools), round after round
//! while a round improves the plan by more than a hair. A heuristic: it proves nothing.

use std::collections::BTreeMap;
use std::time::Instant;

use super::build::{build_with, Boxes, Col, Milp, Shape};
use super::classes::Classes;
use super::solve::{self, SolveStatus, Solved, SolverSettings};
use super::ModelError;
use crate::domain::{Dataset, SchoolIx, SubjectIx};

/// A neighbourhood's MILP stops within this relative gap of its own bound.
const GAP: f64 = 1e-3;
/// ... or after this many seconds. HiGHS finds a neighbourhood's plans by its root
/// heuristics, after the root's cut rounds: on the `enshi` profile's M county the worst
/// community's first better plan came at 4.1 s and its best at 9 s, so at 3 s it gained
/// nothing (60 s: 5.15% → 3.29% at 6 s; L 51.7% → 46.8%; nanning L, pingdingshan L
/// and seat-county the same plans, xinjian L a better one; seat-county's small part's
/// bound 2.5% lower, its MILP left 0.6 s less: docs/benchmarks.md).
const SECONDS: f64 = 6.0;
/// A round that improves the plan by less than this share ends the search.
const HAIR: f64 = 1e-5;

/// Column handles of the restricted model, to hold classes at the incumbent and read
/// where it falls short.
pub(super) struct Columns<'a> {
    pub x: &'a [Vec<Col>],
    pub e: &'a [Option<Col>],
    pub w: &'a [Vec<Col>],
    pub w_trip: &'a [Vec<usize>],
    pub u: &'a BTreeMap<(SchoolIx, SubjectIx), Col>,
    pub shortfalls: &'a [(Col, Option<SchoolIx>)],
}

/// Fix-and-optimise by community from `incumbent` (a column vector of the model of
/// `shape`) until `deadline`, or until the plan is within the requested gap of `bound`.
#[allow(clippy::too_many_arguments)]
pub(super) fn improve(
    ds: &Dataset,
    cl: &Classes,
    shape: Shape,
    cols: &Columns,
    mut incumbent: Solved,
    set: &SolverSettings,
    deadline: Instant,
    bound: &dyn Fn() -> f64,
) -> Result<Solved, ModelError> {
    let left = || {
        deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    };
    let close = |o: f64| o - bound() <= set.gap * o.abs();
    loop {
        let round_start = incumbent.objective;
        for com in order(ds, cols, &incumbent) {
            if left() < 1.0 || close(incumbent.objective) {
                return Ok(incumbent);
            }
            let boxes = hold_all_but(ds, cl, cols, &incumbent.columns, com);
            let m: Milp = build_with(
                ds,
                cl,
                None,
                Shape {
                    boxes: Some(&boxes),
                    ..shape
                },
            );
            let sub = SolverSettings {
                time_limit: left().min(SECONDS),
                gap: GAP,
                abs_gap: None,
                watch: None,
                stop_at: None,
                max_nodes: None,
                ..set.clone()
            };
            match solve::run(m, &sub, Some(&incumbent.columns)) {
                Ok(s) if s.status != SolveStatus::NoPlan && s.objective < incumbent.objective => {
                    if std::env::var_os("LUNGANG_SOLVER_LOG").is_some() {
                        eprintln!(
                            "[lungang] community {}: {:.1} -> {:.1}",
                            ds.communities[com].id, incumbent.objective, s.objective
                        );
                    }
                    incumbent = Solved {
                        status: SolveStatus::Feasible,
                        bound: incumbent.bound,
                        ..s
                    };
                }
                Ok(_) | Err(ModelError::Infeasible) => {}
                Err(e) => return Err(e),
            }
        }
        if round_start - incumbent.objective <= HAIR * round_start.abs() {
            return Ok(incumbent);
        }
    }
}

/// Communities, worst first: the incumbent's rule shortfalls, then weighted unmet
/// periods, at their schools, in the objective's units (ties by index).
fn order(ds: &Dataset, cols: &Columns, incumbent: &Solved) -> Vec<usize> {
    let w = &ds.policy.weights;
    let mut cost = vec![0.0; ds.schools.len()];
    for (&(s, k), c) in cols.u {
        cost[s.ix()] += w.unmet * ds.unmet_mult(s, k) * incumbent.columns[c.ix];
    }
    for (c, at) in cols.shortfalls {
        if let Some(s) = at {
            cost[s.ix()] += w.violation * incumbent.columns[c.ix];
        }
    }
    let mut worst: Vec<(f64, usize)> = ds
        .communities
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let at: f64 = c.core.iter().chain(&c.members).map(|s| cost[s.ix()]).sum();
            (at, i)
        })
        .collect();
    worst.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    worst.into_iter().map(|(_, i)| i).collect()
}

/// Boxes holding every class at `values` but those homed in community `com`.
fn hold_all_but(ds: &Dataset, cl: &Classes, cols: &Columns, values: &[f64], com: usize) -> Boxes {
    let free = |ci: usize| ds.school(cl.classes[ci].home).community.map(|c| c.ix()) == Some(com);
    let at = |c: &Col| {
        let v = values[c.ix].round().max(0.0) as u32;
        (v, v)
    };
    let any = (0, u32::MAX);
    Boxes {
        x: cols
            .x
            .iter()
            .enumerate()
            .map(|(ci, v)| {
                v.iter()
                    .map(|c| if free(ci) { any } else { at(c) })
                    .collect()
            })
            .collect(),
        e: cols
            .e
            .iter()
            .enumerate()
            .map(|(ci, c)| match c {
                Some(c) if !free(ci) => at(c),
                _ => any,
            })
            .collect(),
        w: cl
            .classes
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let n = c.trips.map_or(0, |t| cl.trip_tables[t].len());
                let mut b = vec![if free(ci) { any } else { (0, 0) }; n];
                for (col, &j) in cols.w[ci].iter().zip(&cols.w_trip[ci]) {
                    if !free(ci) {
                        b[j] = at(col);
                    }
                }
                b
            })
            .collect(),
    }
}
