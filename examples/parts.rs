//! Each independent part of a county solved alone, one thread, to the gap asked: its
//! size, seconds and gap (where the time of a county in parts goes).
//!
//!     cargo run --release --example parts -- DATASET [gap] [time_limit] [part]

use lungang::input::load_dataset;
use lungang::model::{decompose, optimise, SolverSettings};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let ds = load_dataset(std::path::Path::new(&args[1]), None)
        .expect("loads")
        .dataset;
    let gap: f64 = args.get(2).map_or(1e-4, |s| s.parse().expect("a gap"));
    let limit: f64 = args.get(3).map_or(60.0, |s| s.parse().expect("seconds"));
    let only: Option<usize> = args.get(4).map(|s| s.parse().expect("a part index"));
    for (i, schools) in decompose::components(&ds).iter().enumerate() {
        if only.is_some_and(|o| o != i) {
            continue;
        }
        let mut part = ds.restrict(schools).dataset;
        // For experiments: PARTS_POLICY="max_stops=1" or "max_days=0".
        if let Ok(v) = std::env::var("PARTS_POLICY") {
            match v.as_str() {
                "max_stops=1" => part.policy.itinerant.max_stops = 1,
                "max_days=0" => part.policy.itinerant.max_days = 0,
                _ => {}
            }
        }
        let started = std::time::Instant::now();
        let out = optimise(&part, &SolverSettings::new(limit, gap, 1)).expect("solves");
        let g = (out.milp_objective - out.bound) / out.milp_objective.abs().max(1e-9);
        println!(
            "part {i}: {} schools, {} teachers, {} columns ({} integer), {:.2} s, gap {g:.2e}, {:?}",
            part.schools.len(),
            part.teachers.len(),
            out.stats.columns,
            out.stats.integer_columns,
            started.elapsed().as_secs_f64(),
            out.status
        );
    }
}
