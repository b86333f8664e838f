//! Where a county's LP relaxation is weaker than its plans: the whole model's LP (every
//! trip), its unmet periods by subject, against a plan's coverage.csv.
//!
//!     cargo run --release --example lp_gap -- DATASET [PLAN_DIR]

use std::collections::BTreeMap;

use lungang::input::load_dataset;
use lungang::model::build::{build_with, Shape};
use lungang::model::classes::Classes;
use lungang::model::solve::run;
use lungang::model::SolverSettings;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let ds = load_dataset(std::path::Path::new(&args[1]), None)
        .expect("loads")
        .dataset;
    let cl = Classes::build(&ds);
    let shape = Shape {
        relax: true,
        ..Shape::default()
    };
    let m = build_with(&ds, &cl, None, shape);
    let u = m.u.clone();
    let (x, w) = (m.x.clone(), m.w.clone());
    println!("LP: {} columns, {} rows", m.vars.len(), m.constraints.len());
    let started = std::time::Instant::now();
    let s = run(m, &SolverSettings::new(600.0, 0.0, 1), None).expect("LP");
    println!(
        "LP {:.1} in {:.1} s",
        s.objective,
        started.elapsed().as_secs_f64()
    );
    let mut by: BTreeMap<String, f64> = BTreeMap::new();
    for ((_, k), c) in &u {
        *by.entry(ds.subject_name(*k).to_string()).or_default() += s.columns[c.ix];
    }
    let moves: f64 = x.iter().flatten().map(|c| s.columns[c.ix]).sum();
    let days: f64 = w.iter().flatten().map(|c| s.columns[c.ix]).sum();
    println!("LP moves {moves:.1}, trip-days {days:.1}");
    let mut plan: BTreeMap<String, f64> = BTreeMap::new();
    if let Some(dir) = args.get(2) {
        let text = std::fs::read_to_string(format!("{dir}/coverage.csv")).expect("coverage");
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            *plan.entry(f[1].to_string()).or_default() += f[4].parse::<f64>().unwrap();
        }
    }
    for (k, v) in &by {
        println!(
            "{k:8} LP unmet {v:8.1}  plan {:8.0}",
            plan.get(k).copied().unwrap_or(0.0)
        );
    }
}
