//! Helpers for unit tests.

use crate::domain::Dataset;
use crate::generate::{generate, GenerateOptions};

/// A generated county of the default profile, loaded as `lungang plan` loads one.
pub(crate) fn county(schools: usize, teachers: usize, seed: u64) -> Dataset {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let opts = GenerateOptions {
        schools,
        teachers,
        seed,
        communities: None,
        profile: Default::default(),
    };
    generate(&opts).write(tmp.path()).expect("county written");
    crate::input::load_dataset(tmp.path(), None)
        .expect("the county loads")
        .dataset
}
