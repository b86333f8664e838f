//! Reading a dataset folder (FORMAT.md): encodings, header aliases, records, validation
//! with stable error codes, and `policy.toml`. Knows nothing of the solver.

use std::path::Path;

use crate::domain::{Dataset, Policy};

/// One problem found in the input, printed as `FILE:LINE:COLUMN: CODE message (expected …)`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Stable code listed in docs/errors.md, e.g. "E0203"; warnings start with "W".
    pub code: &'static str,
    pub message: String,
    pub expected: String,
}

/// Every problem of a dataset, sorted by file, line and column.
#[derive(Debug)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
}

/// A dataset that passed validation, with the warnings met on the way.
#[derive(Debug)]
pub struct Loaded {
    pub dataset: Dataset,
    pub warnings: Vec<Diagnostic>,
}

/// Reads and validates the dataset folder `dir`. `policy` overrides `dir/policy.toml`;
/// with neither, MODEL.md's defaults apply.
pub fn load_dataset(dir: &Path, policy: Option<&Path>) -> Result<Loaded, LoadError> {
    let _ = (dir, policy);
    todo!("input helper")
}

/// Parses policy text; `file` names it in diagnostics.
pub fn parse_policy(text: &str, file: &str) -> Result<Policy, Vec<Diagnostic>> {
    let _ = (text, file);
    todo!("input helper")
}
