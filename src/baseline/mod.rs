//! Baselines the benchmark compares lungang against (issue 4): the literal MODEL.md on
//! HiGHS (`naive`) and a planner's spreadsheet heuristic (`solve_greedy`, the construction stage). Both return
//! `model::Decisions`, so `plan::Plan::assemble` gives their MODEL.md objective and the
//! checker can check their plans like lungang's.

pub mod naive;

/// The planner's spreadsheet heuristic: lungang's own first stage (`model::construct`),
/// rule by rule, with no search after it.
pub fn solve_greedy(ds: &crate::domain::Dataset) -> crate::model::Decisions {
    crate::model::construct::start(ds)
}
pub use naive::{solve_naive, NaiveOutcome};
