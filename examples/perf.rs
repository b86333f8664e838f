//! Issue 4 experiments: one generated county, lungang's plan against the greedy baseline.
//!
//!     cargo run --release --example perf -- M [time_limit] [gap] [threads]
//!
//! Prints columns, wall seconds, objective, bound, gap, unmet periods (lungang's and the
//! greedy's) as one line. Counties are cached under /tmp/lungang-perf/.

use lungang::baseline::solve_greedy;
use lungang::generate::generate;
use lungang::input::load_dataset;
use lungang::model::SolverSettings;
use lungang::plan::{solve, Plan, SolveReport, Solved};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let size = args.get(1).map_or("S", |s| s.as_str());
    let limit: f64 = args.get(2).map_or(60.0, |s| s.parse().unwrap());
    let gap: f64 = args.get(3).map_or(0.01, |s| s.parse().unwrap());
    let threads: usize = args.get(4).map_or(2, |s| s.parse().unwrap());
    let Some(opts) = lungang::generate::bench_options(size) else {
        eprintln!("unknown size {size} (S, M or L)");
        std::process::exit(2);
    };
    let dir = std::path::PathBuf::from(format!("/tmp/lungang-perf/{size}"));
    if !dir.join("policy.toml").exists() {
        generate(&opts).write(&dir).expect("written");
    }
    let ds = load_dataset(&dir, None).expect("loads").dataset;
    let started = std::time::Instant::now();
    let g = solve_greedy(&ds);
    let greedy_s = started.elapsed().as_secs_f64();
    let before = Default::default();
    let gp = Plan::assemble(
        &ds,
        &g,
        &before,
        SolveReport {
            status: lungang::model::SolveStatus::Feasible,
            bound: f64::NEG_INFINITY,
            seconds: 0.0,
        },
    );
    let set = SolverSettings::new(limit, gap, threads);
    let started = std::time::Instant::now();
    let (solved, stats) = solve(&ds, &set).expect("solves");
    let wall = started.elapsed().as_secs_f64();
    let Solved::Plan(p) = solved else {
        println!("{size}: no plan after {wall:.1} s");
        return;
    };
    let out = std::path::PathBuf::from(format!("/tmp/lungang-perf/{size}-plan"));
    let _ = std::fs::remove_dir_all(&out);
    lungang::report::write_plan(&out, &ds, &p, true).expect("written");
    let report = lungang::check::check_plan(&ds, &out);
    println!(
        "{size}: cols {} int {} rows {} | wall {:.1} s | obj {:.1} bound {:.1} gap {:.2}% | status {:?} | unmet {} greedy {} ({:.3}) greedy obj {:.1} in {:.2} s | check {}",
        stats.columns,
        stats.integer_columns,
        stats.rows,
        wall,
        p.objective,
        p.solve.bound,
        100.0 * p.gap(),
        p.solve.status,
        p.counts.unmet_periods,
        gp.counts.unmet_periods,
        p.counts.unmet_periods as f64 / gp.counts.unmet_periods as f64,
        gp.objective,
        greedy_s,
        if report.is_ok() { "ok".to_string() } else { report.render() },
    );
}
