//! The benchmark table of issue 4: lungang against the naive literal model and the greedy
//! planner, on generated counties S, M and L.
//!
//!     cargo bench --bench table                       # S only
//!     LUNGANG_BENCH_SIZES=S,M cargo bench --bench table
//!
//! Environment: `LUNGANG_BENCH_SIZES` (S, M, L; default S), `LUNGANG_TIME_LIMIT` (lungang's,
//! default 60 s), `LUNGANG_GAP` (default 1e-2), `LUNGANG_NAIVE_CAP` (seconds at most for the
//! naive model, which otherwise gets ten times lungang's time), `LUNGANG_BENCH_THREADS`
//! (solver threads for both MILPs, default 2), `LUNGANG_NAIVE_LIMIT` (a fixed time limit
//! for the naive model instead of ten times lungang's), `LUNGANG_BENCH_CACHE` (a folder
//! where naive results are kept and re-used for the same size, limit, gap and threads).
//!
//! Each run is a child process (this binary again, with `LUNGANG_BENCH_CHILD` set), so the
//! peak memory (VmHWM) is that run's alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use lungang::baseline::{solve_greedy, solve_naive};
use lungang::domain::Dataset;
use lungang::generate::{generate, GenerateOptions};
use lungang::input::load_dataset;
use lungang::model::build::build;
use lungang::model::classes::Classes;
use lungang::model::{Decisions, SolveStatus, SolverSettings};
use lungang::plan::{solve, Plan, SolveReport, Solved};
use serde_json::{json, Value};

use lungang::generate::bench_options;

fn env_f64(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn threads() -> usize {
    env_f64("LUNGANG_BENCH_THREADS", 2.0) as usize
}

fn main() {
    if let Ok(spec) = std::env::var("LUNGANG_BENCH_CHILD") {
        child(&spec);
        return;
    }
    let wanted = std::env::var("LUNGANG_BENCH_SIZES").unwrap_or_else(|_| "S".into());
    let time_limit = env_f64("LUNGANG_TIME_LIMIT", 60.0);
    let gap = env_f64("LUNGANG_GAP", 1e-2);
    let cap = std::env::var("LUNGANG_NAIVE_CAP")
        .ok()
        .and_then(|v| v.parse::<f64>().ok());
    let fixed_naive = std::env::var("LUNGANG_NAIVE_LIMIT")
        .ok()
        .and_then(|v| v.parse::<f64>().ok());
    let tmp = tempfile::tempdir().expect("a temp dir");
    let mut rows: Vec<(String, &str, Value)> = Vec::new();
    for name in wanted.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some(opts) = bench_options(name) else {
            eprintln!("unknown size {name} (S, M or L)");
            std::process::exit(2);
        };
        let size = name;
        let dir = tmp.path().join(size);
        generate(&opts).write(&dir).expect("the county is written");
        let GenerateOptions {
            schools,
            teachers,
            seed,
            ..
        } = opts;
        eprintln!("{size}: {schools} schools, {teachers} teachers, seed {seed}");
        let mut lg = run_child("lungang", &dir, time_limit, gap);
        lg["build_s"] = run_child("lungang_build", &dir, time_limit, gap)["build_s"].clone();
        // Ten times lungang's whole wall time, capped for quick runs.
        let lg_secs = lg["build_s"].as_f64().unwrap_or(0.0) + lg["solve_s"].as_f64().unwrap_or(0.0);
        let mut naive_limit = fixed_naive.unwrap_or(10.0 * lg_secs.max(1.0));
        if let Some(c) = cap {
            naive_limit = naive_limit.min(c);
        }
        let nv = cached(size, "naive", naive_limit, gap, || {
            run_child("naive", &dir, naive_limit, gap)
        });
        let gr = run_child("greedy", &dir, 0.0, gap);
        rows.push((format!("{size} ({schools}/{teachers})"), "lungang", lg));
        rows.push((format!("{size} ({schools}/{teachers})"), "naive", nv));
        rows.push((format!("{size} ({schools}/{teachers})"), "greedy", gr));
    }
    print_table(&rows, time_limit, gap, cap);
}

/// A child's result from `LUNGANG_BENCH_CACHE` when it holds one for this size, method,
/// time limit, gap and thread count; otherwise `run`'s, stored there. For re-using a long
/// baseline run (the naive model's 600 s) while lungang's rows are measured again.
fn cached(size: &str, method: &str, limit: f64, gap: f64, run: impl FnOnce() -> Value) -> Value {
    let Ok(dir) = std::env::var("LUNGANG_BENCH_CACHE") else {
        return run();
    };
    let file = Path::new(&dir).join(format!(
        "{size}-{method}-{limit:.0}s-gap{gap}-threads{}.json",
        threads()
    ));
    if let Some(v) = std::fs::read_to_string(&file)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
    {
        eprintln!("  {method}: cached in {}", file.display());
        return v;
    }
    let v = run();
    if v["status"] != "failed" {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(&file, v.to_string());
    }
    v
}

fn run_child(method: &str, dir: &Path, time_limit: f64, gap: f64) -> Value {
    eprintln!("  {method} (time limit {time_limit:.0} s) ...");
    let exe = std::env::current_exe().expect("the bench binary");
    let out = Command::new(exe)
        .env(
            "LUNGANG_BENCH_CHILD",
            format!("{method}|{}|{time_limit}|{gap}", dir.display()),
        )
        .output()
        .expect("the child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find_map(|l| l.strip_prefix("RESULT "));
    match line.and_then(|l| serde_json::from_str(l).ok()) {
        Some(v) => v,
        None => {
            eprintln!(
                "  {method} failed: {}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
            json!({ "status": "failed" })
        }
    }
}

/// VmHWM of this process, in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn status_word(s: SolveStatus) -> &'static str {
    match s {
        SolveStatus::Optimal => "optimal",
        SolveStatus::Feasible => "feasible",
        SolveStatus::NoPlan => "none",
    }
}

/// MODEL.md's objective of `d` and its unmet periods, through the same `Plan::assemble`.
fn assess(ds: &Dataset, d: &Decisions, bound: f64) -> (f64, u32, f64) {
    let report = SolveReport {
        status: SolveStatus::Feasible,
        bound,
        seconds: 0.0,
    };
    let plan = Plan::assemble(ds, d, &BTreeMap::new(), report);
    (plan.objective, plan.counts.unmet_periods, plan.gap())
}

fn child(spec: &str) {
    let parts: Vec<&str> = spec.split('|').collect();
    let [method, dir, limit, gap] = parts[..] else {
        eprintln!("bad child spec {spec}");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    let limit: f64 = limit.parse().unwrap_or(60.0);
    let gap: f64 = gap.parse().unwrap_or(1e-2);
    let ds = match load_dataset(&dir, None) {
        Ok(l) => l.dataset,
        Err(e) => {
            eprintln!("{e:?}");
            std::process::exit(1);
        }
    };
    let set = SolverSettings::new(limit, gap, threads());
    let v = match method {
        // Building the whole county's model, timed in a child of its own so that its
        // memory is not counted in the solve's peak (`plan::solve` builds per part).
        "lungang_build" => {
            let t = Instant::now();
            let cl = Classes::build(&ds);
            let milp = build(&ds, &cl, None);
            let build_s = t.elapsed().as_secs_f64();
            json!({ "build_s": build_s, "whole_columns": milp.vars.len() })
        }
        "lungang" => {
            let t = Instant::now();
            let (solved, stats) = solve(&ds, &set).expect("lungang solves");
            let solve_s = t.elapsed().as_secs_f64();
            match solved {
                Solved::Plan(p) => json!({
                    "status": status_word(p.solve.status),
                    "columns": stats.columns, "rows": stats.rows,
                    "solve_s": solve_s,
                    "objective": p.objective, "bound": p.solve.bound, "gap": p.gap(),
                    "unmet": p.counts.unmet_periods,
                }),
                Solved::NoPlan { bound, .. } => json!({
                    "status": "none", "columns": stats.columns, "rows": stats.rows,
                    "solve_s": solve_s, "bound": bound,
                }),
            }
        }
        "naive" => {
            let out = solve_naive(&ds, &set).expect("the naive model solves");
            let mut v = json!({
                "status": status_word(out.status),
                "columns": out.columns, "rows": out.rows,
                "build_s": out.build_seconds, "solve_s": out.solve_seconds,
                "bound": out.bound,
            });
            if let Some(d) = &out.decisions {
                let (obj, unmet, gap) = assess(&ds, d, out.bound);
                v["objective"] = json!(obj);
                v["unmet"] = json!(unmet);
                v["gap"] = json!(gap);
            }
            v
        }
        "greedy" => {
            let t = Instant::now();
            let d = solve_greedy(&ds);
            let solve_s = t.elapsed().as_secs_f64();
            let (obj, unmet, _) = assess(&ds, &d, f64::NEG_INFINITY);
            json!({
                "status": "heuristic", "build_s": 0.0, "solve_s": solve_s,
                "objective": obj, "unmet": unmet,
            })
        }
        other => {
            eprintln!("unknown method {other}");
            std::process::exit(2);
        }
    };
    let mut v = v;
    v["peak_mib"] = json!(peak_mib());
    println!("RESULT {v}");
}

fn cell(v: &Value, key: &str, digits: usize) -> String {
    match &v[key] {
        Value::Number(n) if n.is_u64() => n.to_string(),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if key == "gap" {
                format!("{:.2}%", 100.0 * x)
            } else {
                format!("{x:.digits$}")
            }
        }
        Value::String(s) => s.clone(),
        _ => "–".into(),
    }
}

fn ratio(a: &Value, b: &Value) -> String {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if y != 0.0 => format!("{:.3}", x / y),
        _ => "–".into(),
    }
}

fn secs(v: &Value) -> Value {
    match (v["build_s"].as_f64(), v["solve_s"].as_f64()) {
        (Some(b), Some(s)) => json!(b + s),
        _ => Value::Null,
    }
}

fn print_table(rows: &[(String, &str, Value)], limit: f64, gap: f64, cap: Option<f64>) {
    let naive = match std::env::var("LUNGANG_NAIVE_LIMIT") {
        Ok(l) => format!("{l} s"),
        Err(_) => "10 × lungang's time".into(),
    };
    println!(
        "lungang: time limit {limit} s, gap {gap}; naive: {naive}{}; threads {}",
        cap.map_or(String::new(), |c| format!(" capped at {c} s")),
        threads()
    );
    println!();
    println!("| size | method | status | variables | rows | build s | solve s | objective | best bound | gap | unmet periods | peak MiB |");
    println!("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (size, method, v) in rows {
        println!(
            "| {size} | {method} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(v, "status", 0),
            cell(v, "columns", 0),
            cell(v, "rows", 0),
            cell(v, "build_s", 2),
            cell(v, "solve_s", 2),
            cell(v, "objective", 1),
            cell(v, "bound", 1),
            cell(v, "gap", 2),
            cell(v, "unmet", 0),
            cell(v, "peak_mib", 0),
        );
    }
    println!();
    println!("| size | objective lungang/naive | objective lungang/greedy | unmet lungang/greedy | time lungang/naive |");
    println!("|---|---:|---:|---:|---:|");
    for chunk in rows.chunks(3) {
        let [(size, _, lg), (_, _, nv), (_, _, gr)] = chunk else {
            continue;
        };
        println!(
            "| {size} | {} | {} | {} | {} |",
            ratio(&lg["objective"], &nv["objective"]),
            ratio(&lg["objective"], &gr["objective"]),
            ratio(&lg["unmet"], &gr["unmet"]),
            ratio(&secs(lg), &secs(nv)),
        );
    }
}
