//! The relaxation's bound (`model::bound`) alone on a county, one thread: how it rises
//! over time, printed as it rises, with trip units whole or continuous.
//!
//!     cargo run --release --example bound -- DATASET [seconds] [continuous]

use std::sync::Arc;

use lungang::input::load_dataset;
use lungang::model::bound::{model_with, raise, relaxed};
use lungang::model::classes::Classes;
use lungang::model::solve::Floor;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let ds = load_dataset(std::path::Path::new(&args[1]), None)
        .expect("loads")
        .dataset;
    let limit: f64 = args.get(2).map_or(60.0, |s| s.parse().expect("seconds"));
    let continuous = args.get(3).is_some_and(|s| s == "continuous");
    let started = std::time::Instant::now();
    let cl = Classes::build(&ds);
    let m = model_with(&ds, &relaxed(&cl), continuous);
    eprintln!("built in {:.1} s", started.elapsed().as_secs_f64());
    let floor = Arc::new(Floor::default());
    let watch = floor.clone();
    std::thread::spawn(move || {
        let mut last = f64::NEG_INFINITY;
        loop {
            std::thread::sleep(std::time::Duration::from_millis(500));
            let b = watch.get();
            if b > last {
                println!("{:6.1} s  {b:.1}", started.elapsed().as_secs_f64());
                last = b;
            }
        }
    });
    let b = raise(m, limit, floor, Arc::default(), false).expect("solves");
    println!("{:6.1} s  final {b:.1}", started.elapsed().as_secs_f64());
}
