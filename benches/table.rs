//! The benchmark matrix of issue 13: lungang on a generated county of each profile at each
//! size (XS, M, L by default), and on each county of `../shared/instances`, read from there
//! at run time (never copied into the repository). With `LUNGANG_BENCH_BASELINES=1`, also
//! issue 4's naive literal model and greedy planner on the same counties.
//!
//!     cargo bench --bench table                            # the whole matrix
//!     bash scripts/bench-row.sh xiji M                     # one row
//!     LUNGANG_BENCH_PROFILES=xinjian LUNGANG_BENCH_SIZES=S,M,L LUNGANG_BENCH_INSTANCES=none \
//!       LUNGANG_BENCH_BASELINES=1 LUNGANG_NAIVE_LIMIT=600 cargo bench --bench table
//!
//! Environment (docs/benchmarks.md): `LUNGANG_BENCH_PROFILES` (comma-separated profile
//! names, `all` (default) or `none`), `LUNGANG_BENCH_SIZES` (XS, S, M, L; default XS,M,L;
//! `none`), `LUNGANG_BENCH_INSTANCES` (a folder of county folders, or one county folder;
//! default `../shared/instances`; `none`), `LUNGANG_TIME_LIMIT` (default 60 s),
//! `LUNGANG_GAP` (default 1e-2), `LUNGANG_BENCH_THREADS` (default 2),
//! `LUNGANG_BENCH_BASELINES` (1: the naive and greedy rows too), `LUNGANG_NAIVE_CAP`,
//! `LUNGANG_NAIVE_LIMIT`, `LUNGANG_BENCH_CACHE` (naive results kept and re-used).
//!
//! Each run is a child process (this binary again, with `LUNGANG_BENCH_CHILD` set), so the
//! peak memory (VmHWM) and the wall time are that run's alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use lungang::baseline::{solve_greedy, solve_naive};
use lungang::domain::Dataset;
use lungang::generate::{bench_options, generate, Profile};
use lungang::input::load_dataset;
use lungang::model::{Decisions, SolveStatus, SolverSettings};
use lungang::plan::{solve, Plan, SolveReport, Solved};
use serde_json::{json, Value};

fn env_f64(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn env_list(name: &str, default: &str) -> Vec<String> {
    let v = std::env::var(name).unwrap_or_else(|_| default.into());
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "none")
        .map(String::from)
        .collect()
}

fn threads() -> usize {
    env_f64("LUNGANG_BENCH_THREADS", 2.0) as usize
}

/// One row of the matrix: a county folder and how to name it.
struct County {
    /// "xiji M", or the instance's folder name.
    label: String,
    /// The naive cache's key: the size alone for the default profile (as before profiles).
    key: String,
    dir: PathBuf,
}

/// What the benchmark was asked for.
struct Run {
    time_limit: f64,
    gap: f64,
    baselines: bool,
    cap: Option<f64>,
    fixed_naive: Option<f64>,
}

fn main() {
    if let Ok(spec) = std::env::var("LUNGANG_BENCH_CHILD") {
        child(&spec);
        return;
    }
    let run = Run {
        time_limit: env_f64("LUNGANG_TIME_LIMIT", 60.0),
        gap: env_f64("LUNGANG_GAP", 1e-2),
        baselines: std::env::var("LUNGANG_BENCH_BASELINES").is_ok_and(|v| v == "1"),
        cap: std::env::var("LUNGANG_NAIVE_CAP")
            .ok()
            .and_then(|v| v.parse().ok()),
        fixed_naive: std::env::var("LUNGANG_NAIVE_LIMIT")
            .ok()
            .and_then(|v| v.parse().ok()),
    };
    let tmp = tempfile::tempdir().expect("a temp dir");
    let mut notes = Vec::new();
    let mut counties = generated(tmp.path());
    counties.extend(instances(&mut notes));
    let mut rows: Vec<(County, Vec<(&str, Value)>)> = Vec::new();
    for county in counties {
        eprintln!("{}: {}", county.label, county.dir.display());
        let results = measure(&county, &run);
        rows.push((county, results));
    }
    print_header(&run, &notes);
    print_matrix(&rows);
    if run.baselines {
        print_baselines(&rows);
    }
}

/// The generated counties: each profile asked for at each size asked for.
fn generated(tmp: &Path) -> Vec<County> {
    let profiles: Vec<Profile> = match env_list("LUNGANG_BENCH_PROFILES", "all") {
        l if l == ["all"] => Profile::ALL.to_vec(),
        l => l
            .iter()
            .map(|p| p.parse().unwrap_or_else(|e: String| fail(&e)))
            .collect(),
    };
    let mut out = Vec::new();
    for profile in profiles {
        for size in env_list("LUNGANG_BENCH_SIZES", "XS,M,L") {
            let Some(mut opts) = bench_options(&size) else {
                fail(&format!("unknown size {size} (XS, S, M or L)"));
            };
            opts.profile = profile;
            let dir = tmp.join(format!("{profile}-{size}"));
            generate(&opts).write(&dir).expect("the county is written");
            out.push(County {
                label: format!("{profile} {size} ({}/{})", opts.schools, opts.teachers),
                key: match profile {
                    Profile::Xinjian => size.clone(),
                    p => format!("{p}-{size}"),
                },
                dir,
            });
        }
    }
    out
}

/// The counties of `LUNGANG_BENCH_INSTANCES`: the folder itself when it is a county, else
/// each of its sub-folders that is one, by name. A missing folder is skipped with a note.
fn instances(notes: &mut Vec<String>) -> Vec<County> {
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/instances");
    let Some(root) = env_list("LUNGANG_BENCH_INSTANCES", &default.to_string_lossy())
        .first()
        .map(PathBuf::from)
    else {
        return Vec::new();
    };
    let is_county = |d: &Path| d.join("schools.csv").is_file();
    let mut dirs: Vec<PathBuf> = if is_county(&root) {
        vec![root.clone()]
    } else {
        match std::fs::read_dir(&root) {
            Ok(rd) => rd
                .flatten()
                .map(|e| e.path())
                .filter(|d| is_county(d))
                .collect(),
            Err(e) => {
                notes.push(format!("{}: {e}; its counties are skipped", root.display()));
                return Vec::new();
            }
        }
    };
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let name = dir.file_name().map_or_else(
                || dir.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            County {
                label: format!("instance {name}"),
                key: format!("instance-{name}"),
                dir,
            }
        })
        .collect()
}

fn fail(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(2);
}

/// lungang's run on the county, then the baselines' when asked for.
fn measure(county: &County, run: &Run) -> Vec<(&'static str, Value)> {
    let lg = run_child("lungang", &county.dir, run.time_limit, run.gap);
    if !run.baselines {
        return vec![("lungang", lg)];
    }
    // Ten times lungang's wall time, capped for quick runs.
    let mut naive_limit = run
        .fixed_naive
        .unwrap_or(10.0 * lg["wall_s"].as_f64().unwrap_or(0.0).max(1.0));
    if let Some(c) = run.cap {
        naive_limit = naive_limit.min(c);
    }
    let nv = cached(&county.key, "naive", naive_limit, run.gap, || {
        run_child("naive", &county.dir, naive_limit, run.gap)
    });
    let gr = run_child("greedy", &county.dir, 0.0, run.gap);
    vec![("lungang", lg), ("naive", nv), ("greedy", gr)]
}

/// A child's result from `LUNGANG_BENCH_CACHE` when it holds one for this county, method,
/// time limit, gap and thread count; otherwise `run`'s, stored there. For re-using a long
/// baseline run (the naive model's 600 s) while lungang's rows are measured again.
fn cached(key: &str, method: &str, limit: f64, gap: f64, run: impl FnOnce() -> Value) -> Value {
    let Ok(dir) = std::env::var("LUNGANG_BENCH_CACHE") else {
        return run();
    };
    let file = Path::new(&dir).join(format!(
        "{key}-{method}-{limit:.0}s-gap{gap}-threads{}.json",
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

/// What a row shows of a plan: MODEL.md's objective, its gap to `bound`, the broken rules
/// (how many, their total shortfall, how many of each rule) and the unmet periods after
/// the plan and with nobody moving.
fn plan_facts(p: &Plan) -> Value {
    let mut by_rule: BTreeMap<&str, u32> = BTreeMap::new();
    for r in p.broken_rules() {
        *by_rule.entry(r.rule).or_default() += 1;
    }
    json!({
        "objective": p.objective, "bound": p.solve.bound, "gap": p.gap(),
        "broken": by_rule.values().sum::<u32>(),
        "broken_by_rule": by_rule,
        "shortfall": p.broken_rules().fold(0.0, |a, r| a + r.shortfall),
        "unmet": p.counts.unmet_periods,
        "unmet_before": p.counts.unmet_periods_before,
    })
}

/// A baseline's decisions as the plan lungang would write of them (MODEL.md's objective
/// through the same `Plan::assemble`; its unmet periods with nobody moving are lungang's
/// row's, not computed again).
fn assess(ds: &Dataset, d: &Decisions, bound: f64) -> Value {
    let report = SolveReport {
        status: SolveStatus::Feasible,
        bound,
        seconds: 0.0,
    };
    let mut v = plan_facts(&Plan::assemble(ds, d, &BTreeMap::new(), report));
    v["unmet_before"] = Value::Null;
    v
}

fn child(spec: &str) {
    let started = Instant::now();
    let parts: Vec<&str> = spec.split('|').collect();
    let [method, dir, limit, gap] = parts[..] else {
        fail(&format!("bad child spec {spec}"));
    };
    let limit: f64 = limit.parse().unwrap_or(60.0);
    let gap: f64 = gap.parse().unwrap_or(1e-2);
    let ds = match load_dataset(Path::new(dir), None) {
        Ok(l) => l.dataset,
        Err(e) => fail(&format!("{e:?}")),
    };
    let set = SolverSettings::new(limit, gap, threads());
    let mut v = match method {
        "lungang" => run_lungang(&ds, &set),
        "naive" => {
            let out = solve_naive(&ds, &set).expect("the naive model solves");
            let mut v = json!({
                "status": status_word(out.status),
                "columns": out.columns, "rows": out.rows, "bound": out.bound,
            });
            if let Some(d) = &out.decisions {
                merge(&mut v, assess(&ds, d, out.bound));
            }
            v
        }
        "greedy" => {
            let d = solve_greedy(&ds);
            let mut v = json!({ "status": "heuristic" });
            merge(&mut v, assess(&ds, &d, f64::NEG_INFINITY));
            v["bound"] = Value::Null;
            v["gap"] = Value::Null;
            v
        }
        other => fail(&format!("unknown method {other}")),
    };
    v["wall_s"] = json!(started.elapsed().as_secs_f64());
    v["peak_mib"] = json!(peak_mib());
    println!("RESULT {v}");
}

/// `lungang plan`'s whole job: the no-move baseline, the MILP by parts, the period LP.
fn run_lungang(ds: &Dataset, set: &SolverSettings) -> Value {
    let (solved, stats) = solve(ds, set).expect("lungang solves");
    let mut v = json!({ "columns": stats.columns, "rows": stats.rows });
    match solved {
        Solved::Plan(p) => {
            v["status"] = json!(status_word(p.solve.status));
            merge(&mut v, plan_facts(&p));
        }
        Solved::NoPlan { bound, .. } => {
            v["status"] = json!("none");
            v["bound"] = json!(bound);
        }
    }
    v
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(a), Value::Object(b)) = (into.as_object_mut(), from) {
        a.extend(b);
    }
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

/// "3: due_share 2, reciprocal 1", or "0".
fn broken_cell(v: &Value) -> String {
    let Some(by) = v["broken_by_rule"].as_object() else {
        return "–".into();
    };
    let each: Vec<String> = by.iter().map(|(r, n)| format!("{r} {n}")).collect();
    match each.is_empty() {
        true => "0".into(),
        false => format!("{}: {}", cell(v, "broken", 0), each.join(", ")),
    }
}

fn ratio(a: &Value, b: &Value) -> String {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if y != 0.0 => format!("{:.3}", x / y),
        _ => "–".into(),
    }
}

fn print_header(run: &Run, notes: &[String]) {
    let naive = match run.fixed_naive {
        Some(l) => format!("{l} s"),
        None => "10 × lungang's wall time".into(),
    };
    print!(
        "lungang: time limit {} s, gap {}, threads {}",
        run.time_limit,
        run.gap,
        threads()
    );
    if run.baselines {
        let cap = run
            .cap
            .map_or(String::new(), |c| format!(" capped at {c} s"));
        print!("; naive: {naive}{cap}");
    }
    println!();
    for n in notes {
        println!("\nNote: {n}");
    }
    println!();
}

/// A column of a table: its title (a trailing ':' right-aligns it) and its cell of a result.
type Column = (&'static str, fn(&Value) -> String);

/// The matrix's columns after the county (docs/benchmarks.md, "Columns").
const MATRIX: &[Column] = &[
    ("status", |v| cell(v, "status", 0)),
    ("objective:", |v| cell(v, "objective", 1)),
    ("best bound:", |v| cell(v, "bound", 1)),
    ("gap:", |v| cell(v, "gap", 2)),
    ("wall s:", |v| cell(v, "wall_s", 1)),
    ("peak MiB:", |v| cell(v, "peak_mib", 0)),
    ("broken rules", broken_cell),
    ("shortfall:", |v| cell(v, "shortfall", 1)),
    ("unmet periods:", |v| cell(v, "unmet", 0)),
    ("unmet, nobody moving:", |v| cell(v, "unmet_before", 0)),
];

/// The baselines' table's columns after the county and the method.
const METHODS: &[Column] = &[
    ("status", |v| cell(v, "status", 0)),
    ("variables:", |v| cell(v, "columns", 0)),
    ("rows:", |v| cell(v, "rows", 0)),
    ("wall s:", |v| cell(v, "wall_s", 2)),
    ("objective:", |v| cell(v, "objective", 1)),
    ("best bound:", |v| cell(v, "bound", 1)),
    ("gap:", |v| cell(v, "gap", 2)),
    ("broken rules", broken_cell),
    ("unmet periods:", |v| cell(v, "unmet", 0)),
    ("peak MiB:", |v| cell(v, "peak_mib", 0)),
];

/// A Markdown table: `titles` (a trailing ':' right-aligns a column), then the rows.
fn markdown(titles: &[&str], rows: impl IntoIterator<Item = Vec<String>>) {
    let names: Vec<&str> = titles.iter().map(|t| t.trim_end_matches(':')).collect();
    let rule: Vec<&str> = titles
        .iter()
        .map(|t| if t.ends_with(':') { "---:" } else { "---" })
        .collect();
    println!("| {} |", names.join(" | "));
    println!("|{}|", rule.join("|"));
    for r in rows {
        println!("| {} |", r.join(" | "));
    }
}

/// `first` columns, then `columns` filled from `v`.
fn row(first: &[&str], columns: &[Column], v: &Value) -> Vec<String> {
    let mut out: Vec<String> = first.iter().map(|s| s.to_string()).collect();
    out.extend(columns.iter().map(|c| (c.1)(v)));
    out
}

fn print_matrix(rows: &[(County, Vec<(&str, Value)>)]) {
    let titles: Vec<&str> = std::iter::once("county")
        .chain(MATRIX.iter().map(|c| c.0))
        .collect();
    markdown(
        &titles,
        rows.iter()
            .map(|(county, results)| row(&[&county.label], MATRIX, &results[0].1)),
    );
}

/// Every method's row, then lungang's ratios to the baselines (below 1: lungang better).
fn print_baselines(rows: &[(County, Vec<(&str, Value)>)]) {
    println!();
    let titles: Vec<&str> = ["county", "method"]
        .into_iter()
        .chain(METHODS.iter().map(|c| c.0))
        .collect();
    markdown(
        &titles,
        rows.iter().flat_map(|(county, results)| {
            results
                .iter()
                .map(|(method, v)| row(&[&county.label, method], METHODS, v))
        }),
    );
    println!();
    let ratios = rows.iter().filter_map(|(county, results)| {
        let [(_, lg), (_, nv), (_, gr)] = &results[..] else {
            return None;
        };
        Some(vec![
            county.label.clone(),
            ratio(&lg["objective"], &nv["objective"]),
            ratio(&lg["objective"], &gr["objective"]),
            ratio(&lg["unmet"], &gr["unmet"]),
            ratio(&lg["wall_s"], &nv["wall_s"]),
        ])
    });
    markdown(
        &[
            "county",
            "objective lungang/naive:",
            "objective lungang/greedy:",
            "unmet lungang/greedy:",
            "time lungang/naive:",
        ],
        ratios,
    );
}
