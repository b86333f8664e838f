//! How good is the first stage (the construction) on a dataset, its periods re-solved as
//! the model does with a start: its objective, its unmet periods against nobody moving,
//! and the rules it leaves broken, by rule.
//!
//!     cargo run --release --example start -- DATASET [DATASET…]

use std::collections::BTreeMap;

use lungang::input::load_dataset;
use lungang::model::{construct, unmet_before, with_periods, SolveStatus, SolverSettings};
use lungang::plan::{Plan, SolveReport};

fn main() {
    for path in std::env::args().skip(1) {
        let ds = match load_dataset(std::path::Path::new(&path), None) {
            Ok(l) => l.dataset,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let started = std::time::Instant::now();
        let d = construct::start(&ds);
        let seconds = started.elapsed().as_secs_f64();
        let set = SolverSettings::new(60.0, 1e-4, 1);
        let before = unmet_before(&ds, &set).expect("LP");
        // The model re-solves a start's periods before it searches: measure that.
        let d = with_periods(&ds, &d, &set).expect("periods LP");
        let report = SolveReport {
            status: SolveStatus::Feasible,
            bound: f64::NEG_INFINITY,
            seconds,
        };
        let plan = Plan::assemble(&ds, &d, &before, report);
        // With START_WHY set, each broken rule's reason.
        if std::env::var_os("START_WHY").is_some() {
            for r in plan.broken_rules() {
                println!("  {} {}: {}", r.rule, r.scope, r.why);
            }
        }
        let mut broken: BTreeMap<&str, (u32, f64)> = BTreeMap::new();
        for r in plan.broken_rules() {
            let e = broken.entry(r.rule).or_default();
            e.0 += 1;
            e.1 += r.shortfall;
        }
        println!(
            "{path}: {seconds:.2} s, objective {:.1} (violation {:.1}), unmet {} (nobody moving {}), moves {}+{}, trip-days {}, broken {broken:?}",
            plan.objective,
            plan.terms.violation,
            plan.counts.unmet_periods,
            plan.counts.unmet_periods_before,
            plan.counts.support,
            plan.counts.learning,
            plan.counts.trip_days
        );
    }
}
