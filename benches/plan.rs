//! Criterion timings on a small generated county (20 schools, 600 teachers, seed 1):
//! building lungang's model apart from solving it, and the whole `plan::solve` job with a
//! short time limit. `cargo bench --bench plan`; under a minute in all.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use lungang::domain::Dataset;
use lungang::generate::{generate, GenerateOptions};
use lungang::input::load_dataset;
use lungang::model::build::build;
use lungang::model::classes::Classes;
use lungang::model::SolverSettings;
use lungang::plan::solve;

fn county() -> Dataset {
    let dir = tempfile::tempdir().expect("a temp dir");
    generate(&GenerateOptions {
        schools: 20,
        teachers: 600,
        seed: 1,
        communities: None,
        profile: Default::default(),
    })
    .write(dir.path())
    .expect("the county is written");
    load_dataset(dir.path(), None)
        .expect("a generated county loads")
        .dataset
}

fn benches(c: &mut Criterion) {
    let ds = county();
    let mut g = c.benchmark_group("county_20x600");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("classes", |b| b.iter(|| Classes::build(&ds)));
    g.bench_function("classes+build", |b| {
        b.iter(|| {
            let cl = Classes::build(&ds);
            build(&ds, &cl, None).vars.len()
        })
    });
    // Deterministic work budget: a time limit, but a generous gap so it ends early.
    let set = SolverSettings::new(5.0, 1e-2, 1);
    g.measurement_time(Duration::from_secs(25));
    g.bench_function("plan::solve (5 s limit, gap 1e-2)", |b| {
        b.iter(|| solve(&ds, &set).expect("a plan"))
    });
    g.finish();
}

criterion_group!(plan, benches);
criterion_main!(plan);
