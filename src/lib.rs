//! lungang (轮岗): plans next school year's teacher exchange inside urban-rural school
//! communities (城乡学校共同体) as a mixed-integer program on HiGHS.
//!
//! Data flows one way: [`input`] reads a dataset folder into a checked [`domain::Dataset`];
//! [`model`] builds and solves the MILP of `docs/model.md`; [`plan`] holds the resulting
//! plan and writes its files; [`check`] re-derives every rule from the dataset and the
//! written files alone.

pub mod baseline;
pub mod check;
pub mod communities;
pub mod domain;
pub mod folder;
pub mod generate;
pub mod input;
pub mod limits;
pub mod model;
pub mod plan;
pub mod report;
pub mod scenario;
pub mod simulate;
#[cfg(test)]
mod testing;
