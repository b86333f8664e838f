//! The checked dataset: typed indices, schools, communities, teachers, demand, distances,
//! the rotation ledger and the policy. Nothing here reads files; `input` builds these
//! values and guarantees the invariants documented on each type.

mod alone;
pub(crate) use alone::Net;
pub mod builder;
mod dataset;
mod derive;
mod pins;
mod policy;
mod restrict;
mod trips;

pub use builder::{DatasetBuilder, TeacherSpec};
pub use dataset::*;
pub use derive::*;
pub use pins::*;
pub use policy::*;
pub use restrict::Restricted;
pub use trips::*;
