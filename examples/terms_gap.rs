//! The LP relaxation against the MILP of one part of a county, term by term: where the
//! integrality gap of a part is (moves, trips, extensions, unmet, violations).
//!
//!     cargo run --release --example terms_gap -- DATASET PART [time_limit]

use lungang::input::load_dataset;
use lungang::model::build::{build_with, Milp, PeriodKind, Shape};
use lungang::model::classes::Classes;
use lungang::model::solve::run;
use lungang::model::{decompose, SolverSettings};

fn terms(ds: &lungang::domain::Dataset, cl: &Classes, m: &Milp, v: &[f64]) -> [f64; 5] {
    let mut t = [0.0; 5];
    for (ci, xs) in m.x.iter().enumerate() {
        for (mv, c) in cl.classes[ci].moves.iter().zip(xs) {
            t[0] += mv.cost * v[c.ix];
        }
        if let Some(e) = m.e[ci] {
            t[1] -= ds.policy.weights.extension_bonus * v[e.ix];
        }
    }
    for ((ci, ws), pos) in m.w.iter().enumerate().zip(&m.w_trip) {
        let table = &cl.trip_tables[cl.classes[ci].trips.unwrap_or(0)];
        for (c, &j) in ws.iter().zip(pos) {
            t[2] += ds.policy.weights.itinerant_km * table[j].km * v[c.ix];
        }
    }
    for (&(s, k), c) in &m.u {
        t[3] += ds.policy.weights.unmet * ds.unmet_mult(s, k) * v[c.ix];
    }
    for p in &m.y {
        let main = cl.classes[p.class].main == p.subject;
        if p.kind == PeriodKind::FullTime && !main {
            t[4] += ds.policy.weights.non_main_subject * v[p.col.ix];
        }
    }
    t
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let ds = load_dataset(std::path::Path::new(&args[1]), None)
        .expect("loads")
        .dataset;
    let i: usize = args[2].parse().expect("a part");
    let limit: f64 = args.get(3).map_or(60.0, |s| s.parse().expect("seconds"));
    let part = ds.restrict(&decompose::components(&ds)[i]).dataset;
    let cl = Classes::build(&part);
    for relax in [true, false] {
        let m = build_with(
            &part,
            &cl,
            None,
            Shape {
                relax,
                ..Shape::default()
            },
        );
        let probe = build_with(
            &part,
            &cl,
            None,
            Shape {
                relax,
                ..Shape::default()
            },
        );
        let s = run(m, &SolverSettings::new(limit, 1e-4, 1), None).expect("solves");
        let t = terms(&part, &cl, &probe, &s.columns);
        println!(
            "{}: objective {:.1} = moves {:.1} + extensions {:.1} + trips {:.1} + unmet {:.1} + non-main(full time) {:.1} + rest {:.1}",
            if relax { "LP  " } else { "MILP" },
            s.objective,
            t[0], t[1], t[2], t[3], t[4],
            s.objective - t.iter().sum::<f64>()
        );
    }
}
