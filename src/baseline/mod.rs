//! Baselines the benchmark compares lungang against (issue 4): the literal MODEL.md on
//! HiGHS (`naive`) and a planner's spreadsheet heuristic (`greedy`). Both return
//! `model::Decisions`, so `plan::Plan::assemble` gives their MODEL.md objective and the
//! checker can check their plans like lungang's.

pub mod greedy;
pub mod naive;

pub use greedy::solve_greedy;
pub use naive::{solve_naive, NaiveOutcome};
