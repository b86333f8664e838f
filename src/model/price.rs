//! Price-and-branch over the trip columns (docs/model.md, "Trips by pricing").
//!
//! A large county has hundreds of thousands of trip-day columns W(C,j), and a row per
//! class and stop they reach; plans use a few hundred. So the MILP gets a restricted set:
//! the start plan's trips and the one-stop trips to schools short in the class's
//! subjects, grown by pricing the LP relaxation. The bound reported is not the restricted
//! MILP's (which may exceed the whole model's optimum) but a Lagrangian bound of the whole
//! model's LP relaxation, computed from the restricted LP's duals: valid at every round,
//! and equal to the whole LP's optimum once no left-out column prices negative.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use highs::HighsModelStatus;

use super::basis::{Basis, Keys};
use super::build::{build_with, Boxes, Col, Fixing, Rows, Shape};
use super::classes::{Class, Classes};
use super::rounding::Scope;
use super::{ModelError, SolverSettings};
use crate::domain::{Dataset, SchoolIx, SubjectIx};

/// Below this many trip columns the whole model is solved as it is.
pub const MIN_TRIP_COLUMNS: usize = 20_000;
/// Pricing rounds at most.
const MAX_ROUNDS: usize = 12;
/// Columns added per class and round at most (the most negative first).
const PER_CLASS: usize = 8;
/// Pricing stops when its bound is this close (relative) to the restricted LP's optimum.
const CLOSE: f64 = 2e-4;
/// Pricing starts no round it expects to end after this share of the time limit.
const BUDGET: f64 = 0.7;
/// The same with the relaxation's bound raised on another core.
const BUDGET_BESIDE: f64 = 0.35;
/// A later round's LP gets at least this many seconds (`lp_time`).
const MIN_LP_SECONDS: f64 = 0.1;
/// Pricing LPs with more rows than this are solved by the interior point method.
const IPM_ROWS: usize = 60_000;
/// Reduced costs above −EPS count as non-negative.
const EPS: f64 = 1e-6;
/// Trips of the last LP of least reduced cost a narrowed first stage of RENS keeps per
/// class beside those the LP uses (`Priced::near`; the used ones, at reduced cost 0 or
/// below, come first, so this adds trips to classes that use fewer): on the shared
/// mixed-county 3 gave 2.48% where 8 gave 3.19% and none 4.21% (docs/benchmarks.md,
/// twenty-ninth session).
const NEAR_TRIPS: usize = 3;

/// The trips the MILP gets, and a bound of the whole model.
#[derive(Clone, Debug)]
pub struct Priced {
    /// Per class, trip-table positions, ascending.
    pub trips: Vec<Vec<usize>>,
    /// A lower bound of the whole model's LP relaxation (so of its MILP).
    pub bound: f64,
    /// Whether pricing converged (then `bound` is the whole LP's optimum).
    pub converged: bool,
    pub rounds: usize,
    /// Seconds the last round took (build and LP): what a root LP over R costs.
    pub round_seconds: f64,
    /// The last restricted LP's moves and extensions boxed: 0 where the LP has 0, else
    /// [⌊v⌋ − 1, ⌈v⌉ + 1]: the neighbourhood RENS searches (`rens/`; trip days are not
    /// boxed, `w` is empty).
    pub rens: Boxes,
    /// The last restricted LP's weighted unmet periods and shortfalls at each school:
    /// what improvement by community measures a community's plan against (`lns.rs`).
    pub lp_at: Vec<f64>,
    /// Per class, ascending, the trips the last restricted LP uses, those just priced in,
    /// and the `NEAR_TRIPS` of the LP's of least reduced cost (its used ones where a
    /// class uses that many, else the nearest it does not): the trips a narrowed first
    /// stage of RENS keeps (`rens/`).
    pub near: Vec<Vec<usize>>,
}

/// Number of trip columns of the whole model.
pub fn trip_columns(cl: &Classes) -> usize {
    cl.classes
        .iter()
        .map(|c| c.trips.map_or(0, |t| cl.trip_tables[t].len()))
        .sum()
}

/// Prices the trips of `cl`, starting from the trips `start` uses and the one-stop trips
/// to (school, subject) pairs in `short`. None when the first round's LP does not solve
/// to optimality in time (the caller then solves the whole model); a later round's that
/// does not leaves the round before it as the result (`lp_time`).
pub fn price(
    ds: &Dataset,
    cl: &Classes,
    start: &Fixing,
    short: &BTreeMap<(SchoolIx, SubjectIx), u32>,
    set: &SolverSettings,
) -> Result<Option<Priced>, ModelError> {
    let started = Instant::now();
    let mut trips = first_trips(ds, cl, start, short);
    let mut best = f64::NEG_INFINITY;
    let mut rounds = 0;
    let mut warm: Option<Basis> = None;
    // Beside the relaxation's bound (`set.floor`), pricing's bound matters less than the
    // search's time.
    let share = match set.floor.is_some() {
        true => BUDGET_BESIDE,
        false => BUDGET,
    };
    let mut last: Option<Priced> = None;
    loop {
        rounds += 1;
        let round_started = Instant::now();
        let elapsed = started.elapsed().as_secs_f64();
        let left = set.time_limit - elapsed;
        if left <= 0.0 {
            return Ok(last);
        }
        let lp_left = lp_time(left, share * set.time_limit - elapsed, last.is_none());
        let Some(r) = round(ds, cl, &mut trips, set, lp_left, &mut warm)? else {
            if logs(set) && last.is_some() {
                eprintln!(
                    "pricing round {rounds}: its LP not solved by the budget's end, {lp_left:.1} s"
                );
            }
            return Ok(last);
        };
        best = best.max(r.z + r.penalty).max(super::bound::trivial(ds, cl));
        if logs(set) {
            eprintln!(
                "pricing round {rounds}: restricted LP {:.1}, bound {:.1}, {} trips added, {:.1} s",
                r.z,
                r.z + r.penalty,
                r.added,
                started.elapsed().as_secs_f64()
            );
        }
        // Stop when the bound is within CLOSE of the restricted LP (the columns just
        // priced still join the MILP), or at the round or time budget.
        let close = r.z - best <= CLOSE * r.z.abs().max(1.0);
        let round_seconds = round_started.elapsed().as_secs_f64();
        let elapsed = started.elapsed().as_secs_f64();
        let budget = !another_round_fits(elapsed, rounds, share * set.time_limit);
        let priced = Priced {
            round_seconds,
            rens: rens_box(&r.values, &r.x, &r.e),
            lp_at: r.at,
            near: r.near,
            trips: trips.clone(),
            bound: best,
            converged: r.added == 0,
            rounds,
        };
        if r.added == 0 || close || budget || rounds >= MAX_ROUNDS {
            return Ok(Some(priced));
        }
        last = Some(priced);
    }
}

fn logs(set: &SolverSettings) -> bool {
    set.log || std::env::var_os("LUNGANG_SOLVER_LOG").is_some()
}

/// What one pricing round found.
struct Round {
    /// The restricted LP's optimum, and the Lagrangian penalty of the columns left out.
    z: f64,
    penalty: f64,
    /// Trip columns added for the next round.
    added: usize,
    /// The LP's column values, and where its moves and extensions are among them.
    values: Vec<f64>,
    x: Vec<Vec<Col>>,
    e: Vec<Option<Col>>,
    /// Its weighted unmet periods and shortfalls at each school.
    at: Vec<f64>,
    /// `Priced::near`.
    near: Vec<Vec<usize>>,
}

/// One round: the LP over `trips` solved (warm from the last round's basis), then the
/// trips that price negative added to each class's. None when the LP does not solve in
/// `left` seconds.
fn round(
    ds: &Dataset,
    cl: &Classes,
    trips: &mut [Vec<usize>],
    set: &SolverSettings,
    left: f64,
    warm: &mut Option<Basis>,
) -> Result<Option<Round>, ModelError> {
    let shape = Shape {
        trips: Some(trips),
        relax: true,
        rounding: true,
        ..Shape::default()
    };
    let m = build_with(ds, cl, None, shape);
    if logs(set) {
        eprintln!(
            "pricing LP: {} columns ({} trips, {} periods), {} rows ({} trip, {} trip-subject, {} coverage)",
            m.vars.len(),
            m.w.iter().map(|v| v.len()).sum::<usize>(),
            m.y.len(),
            m.constraints.len(),
            m.rows.trip.len(),
            m.rows.trip_subject.len(),
            m.rows.coverage.len()
        );
    }
    let (rows, w_trip) = (m.rows.clone(), m.w_trip.clone());
    let (x, e, w) = (m.x.clone(), m.e.clone(), m.w.clone());
    let keys = Keys::of(&m);
    let (u, shortfalls) = (m.u.clone(), m.shortfalls.clone());
    let Some((z, duals, values)) = solve_lp(m, set, left, &keys, warm)? else {
        return Ok(None);
    };
    let at = super::lns::cost_at_schools(ds, &u, &shortfalls, &values);
    let lp = LpDuals {
        rows: &rows,
        duals: &duals,
    };
    let mut penalty = 0.0;
    let mut added = 0;
    let mut near = vec![Vec::new(); cl.classes.len()];
    for (ci, c) in cl.classes.iter().enumerate() {
        let Some(t) = c.trips else { continue };
        let priced = price_class(ds, cl, (ci, t), &lp, &w_trip[ci], &mut penalty);
        added += priced.new.len();
        let used = (w[ci].iter().zip(&w_trip[ci])).filter(|(col, _)| values[col.ix] > EPS);
        near[ci] = (used.map(|(_, &j)| j))
            .chain(priced.near)
            .chain(priced.new.iter().copied())
            .collect();
        near[ci].sort_unstable();
        near[ci].dedup();
        trips[ci].extend(priced.new);
        trips[ci].sort_unstable();
    }
    Ok(Some(Round {
        z,
        penalty,
        added,
        values,
        x,
        e,
        at,
        near,
    }))
}

/// The restricted LP's rows and their duals.
struct LpDuals<'a> {
    rows: &'a Rows,
    duals: &'a [f64],
}

impl LpDuals<'_> {
    fn dual(&self, row: Option<&usize>) -> f64 {
        row.map_or(0.0, |&i| self.duals[i])
    }
}

/// A class's trips priced: the columns to add, and the `NEAR_TRIPS` of least reduced cost
/// already in the LP.
struct ClassPrices {
    new: Vec<usize>,
    near: Vec<usize>,
}

/// Class `ci`'s trips (table `t`) priced on the LP's duals: adds to `penalty` what the
/// Lagrangian may spend on them (the columns in the LP, `included`, at their upper bound,
/// the others through the days knapsack); gives the most negative columns not yet in, at
/// most `PER_CLASS`, and the columns in of least reduced cost.
fn price_class(
    ds: &Dataset,
    cl: &Classes,
    (ci, t): (usize, usize),
    lp: &LpDuals,
    included: &[usize],
    penalty: &mut f64,
) -> ClassPrices {
    let c = &cl.classes[ci];
    let dual = |row: Option<&usize>| lp.dual(row);
    let weights = &ds.policy.weights;
    let table = &cl.trip_tables[t];
    let included: BTreeSet<usize> = included.iter().copied().collect();
    let days = dual(lp.rows.days[ci].as_ref());
    let mut negative: Vec<(f64, usize)> = Vec::new();
    let mut inside: Vec<(f64, usize)> = Vec::new();
    // Every trip column of the class priced below 0, with its upper bound: what
    // the Lagrangian may spend on this class's trips.
    let mut below: Vec<(f64, f64)> = Vec::new();
    for (j, trip) in table.iter().enumerate() {
        let rc = weights.itinerant_km * trip.km - days
            + trip
                .stops
                .iter()
                .map(|&stop| stop_term(ds, (c, ci), lp, stop))
                .sum::<f64>();
        if included.contains(&j) {
            inside.push((rc, j));
        }
        if rc >= 0.0 {
            continue;
        }
        let half = cl.day_share(t, j) < 1.0;
        let hi = super::build::trip_days_hi(ds, c, trip, c.n(), half) as f64;
        below.push((rc, hi));
        if included.contains(&j) {
            // Already in z at its upper bound; the knapsack below counts it.
            *penalty -= rc * hi;
        } else if rc < -EPS {
            negative.push((rc, j));
        }
    }
    *penalty += days_knapsack(below, (ds.policy.itinerant.max_days * c.n()) as f64);
    let least_first = |v: &mut Vec<(f64, usize)>, n: usize| -> Vec<usize> {
        v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        v.iter().take(n).map(|&(_, j)| j).collect()
    };
    ClassPrices {
        new: least_first(&mut negative, PER_CLASS),
        near: least_first(&mut inside, NEAR_TRIPS),
    }
}

/// A trip's stop at `s` with `p` periods in class `ci`'s reduced cost: the value of the
/// trip rows there, the rows' duals where the stop has rows, else the dual that keeps the
/// stop's absent period columns at a non-negative reduced cost (any dual ≤ 0 is allowed:
/// those rows' right-hand side is 0; the absent minimum row, a ≥ row, gets 0).
fn stop_term(ds: &Dataset, (c, ci): (&Class, usize), lp: &LpDuals, (s, p): (SchoolIx, u32)) -> f64 {
    let (rows, duals) = (lp.rows, lp.duals);
    let dual = |row: Option<&usize>| lp.dual(row);
    if let Some(&row) = rows.trip.get(&(ci, s)) {
        let least = ds.policy.itinerant.min_periods_per_stop as f64;
        let mut v = p as f64 * duals[row] + least * dual(rows.trip_min.get(&(ci, s)));
        for &k in &c.itinerant {
            if let Some(&r) = rows.trip_subject.get(&(ci, s, k)) {
                v += super::build::subject_cap(ds, s, k).min(p) as f64 * duals[r];
            }
        }
        return v;
    }
    let load = dual(rows.load[ci].as_ref());
    let mu = c
        .itinerant
        .iter()
        .filter_map(|&k| {
            let cov = rows.coverage.get(&(s, k))?;
            let cost = if k == c.main {
                0.0
            } else {
                ds.policy.weights.non_main_subject
            };
            // The period column is in the rounding rows too.
            let round = dual(rows.rounding.get(&Scope::Subject(s, k)))
                + dual(rows.rounding.get(&Scope::School(s)))
                + dual(rows.rounding.get(&Scope::Residual(s, k)));
            Some(cost - duals[*cov] - round - load)
        })
        .fold(0.0_f64, f64::min);
    p as f64 * mu
}

/// RENS's box around the last restricted LP: columns at 0 stay at 0; the others may move
/// one unit beyond their rounding (measured on M: a better plan than [⌊v⌋, ⌈v⌉] in the
/// same time).
fn rens_box(values: &[f64], x: &[Vec<Col>], e: &[Option<Col>]) -> Boxes {
    let around = |c: &Col| {
        let v = values[c.ix].max(0.0);
        if v <= 1e-6 {
            (0, 0)
        } else {
            (
                (v + 1e-6).floor().max(1.0) as u32 - 1,
                (v - 1e-6).ceil() as u32 + 1,
            )
        }
    };
    Boxes::of(x, e, around, Vec::new())
}

/// Seconds a round's LP may take: the first, all that is `left` (without it there is no
/// plan to price from); a later one, what is left of pricing's budget (`budget_left`),
/// after which the round before it is pricing's result. A round can take twice the mean
/// of those before it (a variant of the shared mixed-county: rounds of 1.3, 2.9 and 7.9 s,
/// then 17 s to 29 s of the minute, and RENS's first stage found its one plan 0.1 s before
/// its time was up).
fn lp_time(left: f64, budget_left: f64, first: bool) -> f64 {
    match first {
        true => left,
        false => left.min(budget_left).max(MIN_LP_SECONDS),
    }
}

/// Whether a round after `rounds` rounds in `elapsed` seconds is expected to end within
/// `budget` seconds, a round taking the mean of those so far. Not the last round's time:
/// the round that brings most trips in from a cold part of the basis is far slower than
/// the rounds after it (the shared mixed-county's third: 6-9 s, then 2-4 s). Taken as
/// the next one's, it once stopped pricing there at a Lagrangian bound of 4.40 M against
/// an LP of 5.48 M, and the plan was reported 24.7% from its bound (6.4-6.7% in the runs
/// that went on).
fn another_round_fits(elapsed: f64, rounds: usize, budget: f64) -> bool {
    let mean = elapsed / rounds.max(1) as f64;
    elapsed + mean <= budget
}

/// The least a class's trip columns can add to the Lagrangian, Σ_j d_j·W_j, when their
/// days are at most `days` in all (max_days × the class's teachers: its days row, whose
/// right-hand side `stay` is at most that); `below` holds (d_j, upper bound of W_j) for
/// the columns with d_j < 0. Keeping this implied row in the Lagrangian's subproblem,
/// instead of letting every negative column run to its own upper bound, makes the bound
/// valid the same way and far less negative before pricing converges: on the shared
/// mixed-county the first round's bound was −2.4 billion.
fn days_knapsack(mut below: Vec<(f64, f64)>, days: f64) -> f64 {
    below.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut left, mut sum) = (days, 0.0);
    for (d, hi) in below {
        if left <= 0.0 {
            break;
        }
        let take = hi.min(left);
        sum += d * take;
        left -= take;
    }
    sum
}

/// The first restricted set: the start's trips, and for each (school, subject) the start
/// leaves short, the one-stop trips of the nearest classes that teach the subject until
/// they could give `SUPPLY` times the shortage (trip-days × periods). The rest is left to
/// pricing: a trip from every class in reach of every short school (L: 36k trips, most of
/// the LP's rows) makes each round's LP several times larger than what the plan uses.
fn first_trips(
    ds: &Dataset,
    cl: &Classes,
    start: &Fixing,
    short: &BTreeMap<(SchoolIx, SubjectIx), u32>,
) -> Vec<Vec<usize>> {
    let mut trips: Vec<BTreeSet<usize>> = cl
        .classes
        .iter()
        .enumerate()
        .map(|(ci, c)| match c.trips {
            Some(t) => (0..cl.trip_tables[t].len())
                .filter(|&j| start.w[ci][j] > 0)
                .collect(),
            None => BTreeSet::new(),
        })
        .collect();
    // Per (school, subject): (km, class, trip) of every one-stop trip there.
    type Options = Vec<(f64, usize, usize)>;
    let mut reach: BTreeMap<(SchoolIx, SubjectIx), Options> = BTreeMap::new();
    for (ci, c) in cl.classes.iter().enumerate() {
        let Some(t) = c.trips else { continue };
        for (j, trip) in cl.trip_tables[t].iter().enumerate() {
            if let [(s, _)] = trip.stops[..] {
                for &k in &c.itinerant {
                    if short.contains_key(&(s, k)) {
                        reach.entry((s, k)).or_default().push((trip.km, ci, j));
                    }
                }
            }
        }
    }
    let max_days = ds.policy.itinerant.max_days;
    for (key, mut options) in reach {
        options.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let need = SUPPLY * short[&key];
        let mut supply = 0;
        for (_, ci, j) in options {
            if supply >= need {
                break;
            }
            let t = cl.classes[ci].trips.expect("a class with trips");
            supply += cl.classes[ci].n() * max_days * cl.trip_tables[t][j].stops[0].1;
            trips[ci].insert(j);
        }
    }
    trips.into_iter().map(|t| t.into_iter().collect()).collect()
}

/// The first restricted set's trips to a short school could give this many times its
/// shortage.
const SUPPLY: u32 = 3;

/// Optimum, row duals, column values.
type LpSolution = (f64, Vec<f64>, Vec<f64>);

/// Solves an LP (whose columns and rows `keys` names) from the last round's basis `warm`,
/// and leaves its own basis there; its optimum and row duals, or None when not solved to
/// optimality.
fn solve_lp(
    m: super::build::Milp,
    set: &SolverSettings,
    time_limit: f64,
    keys: &Keys,
    warm: &mut Option<Basis>,
) -> Result<Option<LpSolution>, ModelError> {
    // Dual simplex does not finish the largest (county-scope 走教) LPs in a minute from
    // scratch; the interior point method with crossover (a vertex, exact duals) does.
    let ipm = m.constraints.len() > IPM_ROWS && warm.is_none();
    let lp = SolverSettings {
        time_limit,
        watch: None,
        ..set.clone()
    };
    let extra: &[(&str, &str)] = if ipm { &[("solver", "ipm")] } else { &[] };
    let mut model = super::solve::highs_model(m, &lp, extra)?;
    if let Some(basis) = warm.as_ref() {
        basis.lay(&mut model, keys);
    }
    let solved = model
        .try_solve()
        .map_err(|e| ModelError::Solver(format!("HiGHS failed: {e:?}")))?;
    if solved.status() != HighsModelStatus::Optimal {
        return Ok(None);
    }
    *warm = Basis::read(&solved, keys);
    let z = solved.objective_value();
    let sol = solved.get_solution();
    Ok(Some((z, sol.dual_rows().to_vec(), sol.columns().to_vec())))
}

#[cfg(test)]
mod tests {
    use super::{another_round_fits, days_knapsack, lp_time, MIN_LP_SECONDS};

    /// Ten days: the most negative column runs to its bound of 4, the next fills the six
    /// left of its 8, the third gets none: −5·4 − 3·6 = −38 (every column at its own
    /// bound would have counted −5·4 − 3·8 − 1·9 = −53).
    #[test]
    fn the_days_row_limits_what_negative_trips_may_spend() {
        let below = vec![(-3.0, 8.0), (-1.0, 9.0), (-5.0, 4.0)];
        assert_eq!(days_knapsack(below, 10.0), -38.0);
        assert_eq!(days_knapsack(vec![(-2.0, 3.0)], 10.0), -6.0);
        assert_eq!(days_knapsack(Vec::new(), 10.0), 0.0);
    }

    /// The first round's LP has all the time left; a later one stops at the budget's end
    /// (or the time limit, if sooner), with a tenth of a second at least.
    #[test]
    fn a_later_rounds_lp_ends_with_pricings_budget() {
        assert_eq!(lp_time(40.0, 5.0, true), 40.0);
        assert_eq!(lp_time(40.0, 5.0, false), 5.0);
        assert_eq!(lp_time(3.0, 5.0, false), 3.0);
        assert_eq!(lp_time(40.0, -2.0, false), MIN_LP_SECONDS);
    }

    /// The shared mixed-county's rounds ended at 1.3, 4.0 and 13.3 s (the third took 9.3 s)
    /// with 21 s for pricing: the mean round, 4.4 s, fits; the third's 9.3 s did not.
    /// At 19 s after five rounds, the mean 3.8 s does not fit.
    #[test]
    fn one_slow_round_does_not_stop_pricing() {
        assert!(another_round_fits(13.3, 3, 21.0));
        assert!(!another_round_fits(19.0, 5, 21.0));
        assert!(another_round_fits(0.0, 0, 21.0));
        assert!(!another_round_fits(21.5, 1, 21.0));
    }
}
