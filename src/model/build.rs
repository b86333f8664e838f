//! The MILP of docs/model.md, one constraint family per function.
//!
//! Periods are a flow: once moves, extensions and trips are fixed, the period variables
//! form a transportation problem with laminar capacity rows on both sides, whose vertices
//! are integral. So y and u are continuous here; `flow` re-solves them per teacher as an LP
//! and gets integer periods.

use std::collections::BTreeMap;

use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};

use super::classes::{Base, Class, Classes};
use super::columns::{full_time_count, stayers};
pub use super::columns::{Col, PeriodKind, PeriodVar};
use crate::domain::{Dataset, SchoolIx, SubjectIx};

/// Integer decisions to hold fixed (for the per-teacher flow LP and the no-move baseline).
#[derive(Clone, Debug, Default)]
pub struct Fixing {
    /// Per class, per move option.
    pub x: Vec<Vec<u32>>,
    pub e: Vec<u32>,
    /// Per class, per trip of its table.
    pub w: Vec<Vec<u32>>,
}

/// What `build_with` leaves out: trips without a column (pricing, `price.rs`) and
/// integrality (the LP relaxation).
#[derive(Clone, Copy, Debug, Default)]
pub struct Shape<'a> {
    /// Per class, the positions in its trip table that get a column, ascending; all when
    /// `None`. Stops no listed trip reaches get no period columns and no rows.
    pub trips: Option<&'a [Vec<usize>]>,
    /// Integer columns become continuous.
    pub relax: bool,
    /// Bounds narrower than [0, hi] for integer columns (a neighbourhood search).
    pub boxes: Option<&'a Boxes>,
    /// Trip days are continuous (moves and extensions stay integer).
    pub continuous_trips: bool,
    /// The classes sharing a trip table share its trips too: one set of trip columns and
    /// rows per table (on its first class), days and load summed over its classes. A
    /// relaxation of the model, for a bound (`bound.rs`).
    pub pooled: bool,
    /// Valid rows that count teachers whole (`rounding.rs`): for the models an LP guides
    /// (pricing, RENS's box, improvement by community, the relaxation's bound). HiGHS's
    /// own cuts find them on the small models it searches directly, where the extra rows
    /// only slow it (data/xinjian 30.7 s → 52 s).
    pub rounding: bool,
    /// Rule 2's least periods a stop and the per-subject trip caps are left out, so trip
    /// periods are bounded by the days alone. A relaxation, for the bound (`bound.rs`):
    /// one row per (class, stop) and per (class, stop, subject) that its root LP would
    /// otherwise carry (xinjian L: 117 k rows, root LP 55 s; without them 29 s).
    pub loose_trips: bool,
    /// Σ u per unmet price as whole counts (`unmet_totals`): integer columns where the
    /// model has integers, so HiGHS can branch on the number of unmet periods.
    pub unmet_totals: bool,
}

/// [lo, hi] per integer column, indexed like `Fixing`.
#[derive(Clone, Debug, Default)]
pub struct Boxes {
    pub x: Vec<Vec<(u32, u32)>>,
    pub e: Vec<(u32, u32)>,
    /// Empty: trip days are not boxed.
    pub w: Vec<Vec<(u32, u32)>>,
}

impl Boxes {
    /// Moves and extensions boxed by `f` of their columns (an absent extension at 0), trip
    /// days by `w`.
    pub fn of(
        x: &[Vec<Col>],
        e: &[Option<Col>],
        f: impl Fn(&Col) -> (u32, u32),
        w: Vec<Vec<(u32, u32)>>,
    ) -> Boxes {
        Boxes {
            x: x.iter().map(|v| v.iter().map(&f).collect()).collect(),
            e: e.iter().map(|c| c.as_ref().map_or((0, 0), &f)).collect(),
            w,
        }
    }

    /// Each box (trip days' where boxed) widened to hold `fix`'s value: a start inside
    /// the neighbourhood, so a search of it is never worse than the start.
    pub fn hold(&mut self, fix: &Fixing) {
        let widen = |b: &mut (u32, u32), v: u32| *b = (b.0.min(v), b.1.max(v));
        let x = self.x.iter_mut().zip(&fix.x);
        for (bx, fx) in x.chain(self.w.iter_mut().zip(&fix.w)) {
            for (b, &v) in bx.iter_mut().zip(fx) {
                widen(b, v);
            }
        }
        for (b, &v) in self.e.iter_mut().zip(&fix.e) {
            widen(b, v);
        }
    }
}

/// Row numbers (in the order rows are added, as HiGHS numbers them) of the rows pricing
/// reads the duals of.
#[derive(Clone, Debug, Default)]
pub struct Rows {
    /// Σ_k Yt(C,s,k) − Σ_j P(j,s)·W(C,j) ≤ 0, per (class, stop).
    pub trip: BTreeMap<(usize, SchoolIx), usize>,
    /// Σ_k Yt(C,s,k) − m·Σ_j visits(j,s)·W(C,j) ≥ 0, per (class, stop), when m > 0.
    pub trip_min: BTreeMap<(usize, SchoolIx), usize>,
    /// Yt(C,s,k) − Σ_j min(max(r,m),P)·W(C,j) ≤ 0, per (class, stop, subject), where
    /// added (`subject_cap`).
    pub trip_subject: BTreeMap<(usize, SchoolIx, SubjectIx), usize>,
    /// Σ_j W(C,j) ≤ max_days·S(C), per class.
    pub days: Vec<Option<usize>>,
    /// Home and trip periods ≤ c·S(C), per class.
    pub load: Vec<Option<usize>>,
    /// Coverage of (s,k).
    pub coverage: BTreeMap<(SchoolIx, SubjectIx), usize>,
    /// The rows that count teachers whole (`rounding.rs`), by what each is about, where
    /// added.
    pub rounding: BTreeMap<super::rounding::Scope, usize>,
}

pub struct Milp {
    pub vars: ProblemVariables,
    pub objective: Expression,
    pub constraints: Vec<Constraint>,
    pub x: Vec<Vec<Col>>,
    pub e: Vec<Option<Col>>,
    pub w: Vec<Vec<Col>>,
    /// Per class, the trip-table position of each column of `w`.
    pub w_trip: Vec<Vec<usize>>,
    pub y: Vec<PeriodVar>,
    pub u: BTreeMap<(SchoolIx, SubjectIx), Col>,
    /// Rule shortfall columns, each with a school its rule is about (none for the
    /// county-wide backbone share).
    pub shortfalls: Vec<(Col, Option<SchoolIx>)>,
    pub integer_columns: usize,
    pub rows: Rows,
}

struct Builder<'a> {
    ds: &'a Dataset,
    cl: &'a Classes,
    shape: Shape<'a>,
    /// Per class, the class that holds its trips: itself, or with `Shape::pooled` the
    /// first class of its trip table.
    pool: Vec<usize>,
    /// Per class, the teachers, the periods a week and the main subjects of the classes
    /// it holds trips for.
    pool_n: Vec<u32>,
    pool_capacity: Vec<u32>,
    pool_mains: Vec<Vec<SubjectIx>>,
    rows: Rows,
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    shortfalls: Vec<(Col, Option<SchoolIx>)>,
    integer_columns: usize,
}

impl Builder<'_> {
    fn add(&mut self, def: good_lp::VariableDefinition, integer: bool) -> Col {
        let ix = self.vars.len();
        if integer {
            self.integer_columns += 1;
        }
        Col {
            var: self.vars.add(def),
            ix,
        }
    }

    /// An integer count in [least, hi], or a continuous column fixed to `fixed` when given.
    fn count(
        &mut self,
        (least, hi): (u32, u32),
        fixed: Option<u32>,
        bx: Option<(u32, u32)>,
        trip: bool,
    ) -> Col {
        let (lo, hi) = bx.map_or((0, hi), |(l, h)| (l.min(hi), h.min(hi)));
        // A pin holds inside any box a search draws around it.
        let (lo, hi) = (lo.max(least), hi.max(least));
        match fixed {
            Some(v) => self.add(variable().min(v).max(v), false),
            None if self.shape.relax || (trip && self.shape.continuous_trips) => {
                self.add(variable().min(lo).max(hi), false)
            }
            None => self.add(variable().integer().min(lo).max(hi), true),
        }
    }

    /// An elastic shortfall v ≥ 0, priced W.violation (rules 5-13), of a rule about
    /// school `at`.
    fn shortfall(&mut self, at: Option<SchoolIx>) -> Variable {
        let v = self.add(variable().min(0), false);
        self.objective += self.ds.policy.weights.violation * v.var;
        self.shortfalls.push((v, at));
        v.var
    }
}

/// Builds the model over `classes`; with `fix`, every integer decision is fixed and the
/// model is an LP over periods.
pub fn build(ds: &Dataset, cl: &Classes, fix: Option<&Fixing>) -> Milp {
    build_with(ds, cl, fix, Shape::default())
}

/// `build` with some trips left out or integrality relaxed.
pub fn build_with(ds: &Dataset, cl: &Classes, fix: Option<&Fixing>, shape: Shape) -> Milp {
    let mut first: BTreeMap<usize, usize> = BTreeMap::new();
    let pool: Vec<usize> = (cl.classes.iter().enumerate())
        .map(|(ci, c)| match c.trips.filter(|_| shape.pooled) {
            Some(t) => *first.entry(t).or_insert(ci),
            None => ci,
        })
        .collect();
    let (mut pool_n, mut pool_capacity) = (vec![0; pool.len()], vec![0; pool.len()]);
    let mut pool_mains = vec![Vec::new(); pool.len()];
    for (c, &p) in cl.classes.iter().zip(&pool) {
        pool_n[p] += c.n();
        pool_capacity[p] += c.n() * c.capacity;
        pool_mains[p].push(c.main);
    }
    let mut b = Builder {
        ds,
        cl,
        shape,
        pool,
        pool_n,
        pool_capacity,
        pool_mains,
        rows: Rows {
            days: vec![None; cl.classes.len()],
            load: vec![None; cl.classes.len()],
            ..Rows::default()
        },
        vars: ProblemVariables::new(),
        objective: Expression::default(),
        constraints: Vec::new(),
        shortfalls: Vec::new(),
        integer_columns: 0,
    };
    let (x, e, w, w_trip) = decision_vars(&mut b, fix);
    let u = unmet_vars(&mut b);
    let y = period_vars(&mut b, &w_trip);
    full_time_capacity(&mut b, &x, &e, &y);
    trip_capacity(&mut b, &w, &w_trip, &y);
    stayer_load(&mut b, &x, &e, (&w, &w_trip), &y);
    coverage(&mut b, &y, &u, fix.is_some());
    if fix.is_none() && b.shape.rounding {
        // With every decision fixed the rows cut nothing, and the period LP must stay a
        // transportation problem.
        let rounding = super::rounding::stayer_rounding(ds, cl, (&x, &e), &y, &u);
        let residual = super::rounding::residual_cover(ds, cl, (&x, &e), &y, &u);
        for (scope, row) in rounding.into_iter().chain(residual) {
            b.rows.rounding.insert(scope, b.constraints.len());
            b.constraints.push(row);
        }
    }
    super::rules::add_rules(ds, cl, &x, &e, &u, &mut Sink(&mut b));
    if b.shape.unmet_totals {
        // Continuous in the fixed model, so its LP gives a search's start every column.
        unmet_totals(&mut b, &u, fix.is_none());
    }
    Milp {
        vars: b.vars,
        objective: b.objective,
        constraints: b.constraints,
        x,
        e,
        w,
        w_trip,
        y,
        u,
        shortfalls: b.shortfalls,
        integer_columns: b.integer_columns,
        rows: b.rows,
    }
}

/// The builder as rules.rs's sink of shortfall columns and rows.
struct Sink<'a, 'b>(&'a mut Builder<'b>);

impl super::rules::RuleSink for Sink<'_, '_> {
    fn shortfall(&mut self, at: Option<SchoolIx>) -> Variable {
        self.0.shortfall(at)
    }
    fn push(&mut self, c: Constraint) {
        self.0.constraints.push(c);
    }
}

type Decisions = (
    Vec<Vec<Col>>,
    Vec<Option<Col>>,
    Vec<Vec<Col>>,
    Vec<Vec<usize>>,
);

/// x(t,s), e(t), w(t,j) per class, with their objective terms.
fn decision_vars(b: &mut Builder, fix: Option<&Fixing>) -> Decisions {
    let (ds, cl) = (b.ds, b.cl);
    let w_weights = &ds.policy.weights;
    let mut xs = Vec::with_capacity(cl.classes.len());
    let mut es = Vec::with_capacity(cl.classes.len());
    let mut ws = Vec::with_capacity(cl.classes.len());
    let mut w_trips = Vec::with_capacity(cl.classes.len());
    for (ci, c) in cl.classes.iter().enumerate() {
        let n = c.n();
        let least = if c.fixed { n } else { 0 };
        let x: Vec<Col> = c
            .moves
            .iter()
            .enumerate()
            .map(|(m, mv)| {
                let col = b.count(
                    (least, n),
                    fix.map(|f| f.x[ci][m]),
                    b.shape.boxes.map(|bx| bx.x[ci][m]),
                    false,
                );
                b.objective += mv.cost * col.var;
                col
            })
            .collect();
        // Σ x + e ≤ n: each teacher makes at most one of them.
        let e = c.ending.map(|_| {
            let col = b.count(
                (least, n),
                fix.map(|f| f.e[ci]),
                b.shape.boxes.map(|bx| bx.e[ci]),
                false,
            );
            b.objective += c.extend_cost * col.var;
            col
        });
        if x.len() + e.iter().len() > 1 {
            let sum: Expression = x.iter().chain(e.iter()).map(|c| c.var).sum();
            b.constraints.push(sum.leq(n as f64));
        }
        let trips = c.trips.map_or(&[][..], |t| &cl.trip_tables[t][..]);
        let pool_n = b.pool_n[ci];
        let w_trip: Vec<usize> = match b.shape.trips {
            _ if b.pool[ci] != ci => Vec::new(),
            Some(sub) => sub[ci].clone(),
            None => (0..trips.len()).collect(),
        };
        let w: Vec<Col> = w_trip
            .iter()
            .map(|&j| {
                let half = c.trips.is_some_and(|t| cl.day_share(t, j) < 1.0);
                let col = b.count(
                    (0, trip_days_hi(ds, c, &trips[j], pool_n, half)),
                    fix.map(|f| f.w[ci][j]),
                    b.shape.boxes.and_then(|bx| Some(bx.w.get(ci)?[j])),
                    true,
                );
                b.objective += w_weights.itinerant_km * trips[j].km * col.var;
                col
            })
            .collect();
        xs.push(x);
        es.push(e);
        ws.push(w);
        w_trips.push(w_trip);
    }
    (xs, es, ws, w_trips)
}

/// The most days a week `n` teachers of class `c` make `trip` in some optimal plan:
/// max_days each, and for a class of one 音体美 subject k, a whole-day trip (not a
/// half-day unit of the bound's relaxation) at most max_s ⌈r(s,k)/m⌉ over its stops,
/// m = `min_periods_per_stop`. More days would over-cover every stop by m or more, so one
/// day could be dropped, its periods with it, at no more cost (docs/model.md,
/// "Decisions"). Pricing's Lagrangian bound multiplies reduced costs by this, so a tight
/// value is a tight bound.
pub fn trip_days_hi(
    ds: &Dataset,
    c: &Class,
    trip: &crate::domain::Trip,
    n: u32,
    half_day: bool,
) -> u32 {
    let least = ds.policy.itinerant.min_periods_per_stop;
    let hi = ds.policy.itinerant.max_days * n;
    // A half-day unit (the relaxation's, `bound.rs`) is half a day: a one-stop trip's w
    // days are 2w of them, and the days row bounds them anyway.
    if half_day {
        return 2 * hi;
    }
    let &[k] = &c.itinerant[..] else {
        return hi;
    };
    if least == 0 {
        return hi;
    }
    let need = trip
        .stops
        .iter()
        .map(|&(s, _)| ds.demand_of(s, k).div_ceil(least));
    hi.min(need.max().unwrap_or(0))
}

/// The most trip periods of subject k at stop s that a day carries in the per-subject
/// trip rows: r(s,k), or m when larger (a day teaches at least m at a stop, and may
/// over-cover a demand under m).
pub fn subject_cap(ds: &Dataset, s: SchoolIx, k: SubjectIx) -> u32 {
    ds.demand_of(s, k)
        .max(ds.policy.itinerant.min_periods_per_stop)
}

/// u(s,k) for every demand row r > 0, priced W.unmet · mult(k).
fn unmet_vars(b: &mut Builder) -> BTreeMap<(SchoolIx, SubjectIx), Col> {
    let ds = b.ds;
    let mut u = BTreeMap::new();
    for d in ds.demand.iter().filter(|d| d.periods > 0) {
        let col = b.add(variable().min(0).max(d.periods), false);
        let mult = ds.unmet_mult(d.school, d.subject);
        b.objective += ds.policy.weights.unmet * mult * col.var;
        u.insert((d.school, d.subject), col);
    }
    u
}

/// One count per unmet price: U = Σ u(s,k) over the (s,k) priced alike, a whole number
/// in every plan (MODEL.md's periods are whole), so an integer column when `integer`.
/// Where a search is left to prove that one more period cannot be covered, the LP's
/// fraction of a period is then branched on: a part of a data/xinjian-shaped county
/// 95,649 against 94,807 after 273 s of search, proven in 55 s with it
/// (docs/benchmarks.md, fortieth session).
fn unmet_totals(b: &mut Builder, u: &BTreeMap<(SchoolIx, SubjectIx), Col>, integer: bool) {
    let mut groups: BTreeMap<u64, (Expression, u32)> = BTreeMap::new();
    for (&(s, k), col) in u {
        let price = b.ds.unmet_mult(s, k).to_bits();
        let (sum, most) = groups.entry(price).or_insert((Expression::default(), 0));
        *sum += col.var;
        *most += b.ds.demand_of(s, k);
    }
    for (sum, most) in groups.into_values() {
        let total = match integer && !b.shape.relax {
            true => b.add(variable().integer().min(0).max(most), true),
            false => b.add(variable().min(0).max(most), false),
        };
        b.constraints.push((sum - total.var).eq(0.0));
    }
}

/// Schools where a class may work full time.
fn full_time_places(c: &Class) -> Vec<SchoolIx> {
    let mut places = match c.base {
        Base::Locked(l) => vec![l],
        Base::Exempt => vec![c.home],
        Base::Home => std::iter::once(c.home)
            .chain(c.ending)
            .chain(c.moves.iter().map(|m| m.host))
            .collect(),
    };
    places.sort();
    places.dedup();
    places
}

/// y(t,s,k): continuous, bounded by min(r(s,k), n·c(t)).
fn period_vars(b: &mut Builder, w_trip: &[Vec<usize>]) -> Vec<PeriodVar> {
    let (ds, cl) = (b.ds, b.cl);
    let mut y = Vec::new();
    for (ci, c) in cl.classes.iter().enumerate() {
        let cap = c.capacity * c.n();
        let trip_cap = b.pool_capacity[ci];
        let it = &ds.policy.itinerant;
        let least_days = it.min_periods_per_stop * it.max_days * b.pool_n[ci];
        // Pooled trip periods are a main subject's when they are any pooled class's: the
        // cheaper reading, as a relaxation must take.
        let trip_mains = std::mem::take(&mut b.pool_mains[ci]);
        let mut add = |b: &mut Builder, s: SchoolIx, k: SubjectIx, kind: PeriodKind| {
            let r = ds.demand_of(s, k);
            if r == 0 {
                return;
            }
            // Past r only trip days at their least periods (all of the class's days).
            let hi = match kind {
                PeriodKind::Trip => r.max(least_days).min(trip_cap),
                PeriodKind::FullTime => r.min(cap),
            };
            let col = b.add(variable().min(0).max(hi), false);
            let main = match kind {
                PeriodKind::Trip => trip_mains.contains(&k),
                PeriodKind::FullTime => k == c.main,
            };
            if !main {
                b.objective += ds.policy.weights.non_main_subject * col.var;
            }
            y.push(PeriodVar {
                class: ci,
                school: s,
                subject: k,
                kind,
                col,
            });
        };
        for s in full_time_places(c) {
            for &k in &c.qualified {
                add(b, s, k, PeriodKind::FullTime);
            }
        }
        for s in trip_stops(cl, c, &w_trip[ci]) {
            for &k in &c.itinerant {
                add(b, s, k, PeriodKind::Trip);
            }
        }
    }
    y
}

/// Stops of a class's trips (those at positions `w_trip` of its table), sorted.
fn trip_stops(cl: &Classes, c: &Class, w_trip: &[usize]) -> Vec<SchoolIx> {
    let mut stops: Vec<SchoolIx> = c
        .trips
        .map(|t| {
            w_trip
                .iter()
                .flat_map(|&j| cl.trip_tables[t][j].stops.iter().map(|(s, _)| *s))
                .collect()
        })
        .unwrap_or_default();
    stops.sort();
    stops.dedup();
    stops
}

/// Groups period variables by (class, school, kind), in order.
fn grouped(y: &[PeriodVar]) -> BTreeMap<(usize, SchoolIx, PeriodKind), Vec<PeriodVar>> {
    let mut g: BTreeMap<_, Vec<PeriodVar>> = BTreeMap::new();
    for p in y {
        g.entry((p.class, p.school, p.kind)).or_default().push(*p);
    }
    g
}

/// Rule 1, full-time teaching: Σ_k y(t,s,k) ≤ c(t)·a(t,s) at each full-time place other
/// than home (home is bounded with the trips by `stayer_load`), and the tighter
/// y(t,s,k) ≤ min(r, c)·a(t,s) per subject.
fn full_time_capacity(b: &mut Builder, x: &[Vec<Col>], e: &[Option<Col>], y: &[PeriodVar]) {
    let cl = b.cl;
    for ((ci, s, kind), vars) in grouped(y) {
        if kind != PeriodKind::FullTime {
            continue;
        }
        let c = &cl.classes[ci];
        let Some(count) = full_time_count(c, &x[ci], e[ci], s) else {
            continue;
        };
        let fixed_place = c.base != Base::Home;
        if fixed_place || s != c.home {
            let sum: Expression = vars.iter().map(|p| p.col.var).sum();
            b.constraints
                .push(sum.leq(c.capacity as f64 * count.clone()));
        }
        if fixed_place {
            continue; // a constant count: the column bounds already say it
        }
        for p in &vars {
            let r = b.ds.demand_of(s, p.subject);
            let tight = r.min(c.capacity) as f64;
            if vars.len() > 1 || tight < c.capacity as f64 {
                b.constraints
                    .push(Expression::from(p.col.var).leq(tight * count.clone()));
            }
        }
    }
}

/// Rule 2, trips: at each stop Σ_{k∈K} y ≤ Σ_{j∋s} P(j,s)·w(t,j) and
/// Σ_{k∈K} y ≥ min_periods_per_stop · Σ_{j∋s} w(t,j) (no one drives an hour for one
/// period), and per subject y(t,s,k) ≤ Σ_j min(r, P(j,s))·w(t,j).
fn trip_capacity(b: &mut Builder, w: &[Vec<Col>], w_trip: &[Vec<usize>], y: &[PeriodVar]) {
    let cl = b.cl;
    for ((ci, s, kind), vars) in grouped(y) {
        if kind != PeriodKind::Trip {
            continue;
        }
        let c = &cl.classes[ci];
        let table = &cl.trip_tables[c.trips.expect("trip periods only for travelling classes")];
        // A trip's visits to s, each with its periods: one for a real trip, two for the
        // half-day pairs of the bound's relaxation (`bound::relaxed`).
        let visits: Vec<(&[(SchoolIx, u32)], Variable)> = w_trip[ci]
            .iter()
            .zip(&w[ci])
            .filter_map(|(&j, col)| {
                let stops = &table[j].stops[..];
                stops
                    .iter()
                    .any(|&(x, p)| x == s && p > 0)
                    .then_some((stops, col.var))
            })
            .collect();
        let at = |stops: &[(SchoolIx, u32)], f: &dyn Fn(u32) -> u32| -> f64 {
            stops
                .iter()
                .filter(|&&(x, _)| x == s)
                .map(|&(_, p)| f(p))
                .sum::<u32>() as f64
        };
        let sum: Expression = vars.iter().map(|p| p.col.var).sum();
        let cap: Expression = visits.iter().map(|&(st, v)| at(st, &|p| p) * v).sum();
        b.rows.trip.insert((ci, s), b.constraints.len());
        b.constraints.push(sum.clone().leq(cap));
        let least = b.ds.policy.itinerant.min_periods_per_stop;
        if least > 0 && !b.shape.loose_trips {
            let floor: Expression = visits.iter().map(|&(st, v)| at(st, &|_| least) * v).sum();
            b.rows.trip_min.insert((ci, s), b.constraints.len());
            b.constraints.push(sum.geq(floor));
        }
        for p in &vars {
            let r = subject_cap(b.ds, s, p.subject);
            let cut = |st: &[(SchoolIx, u32)]| st.iter().any(|&(x, pp)| x == s && r < pp);
            if !b.shape.loose_trips && (vars.len() > 1 || visits.iter().any(|&(st, _)| cut(st))) {
                let cap: Expression = visits
                    .iter()
                    .map(|&(st, v)| at(st, &|pp| r.min(pp)) * v)
                    .sum();
                b.rows
                    .trip_subject
                    .insert((ci, s, p.subject), b.constraints.len());
                b.constraints.push(Expression::from(p.col.var).leq(cap));
            }
        }
    }
}

/// Rules 2 and 3 for the teachers who stay home: trip days ≤ max_days each, and home
/// periods plus trip periods ≤ c(t) each; per class, or per pool (`pooled_load`).
fn stayer_load(
    b: &mut Builder,
    x: &[Vec<Col>],
    e: &[Option<Col>],
    (w, w_trip): (&[Vec<Col>], &[Vec<usize>]),
    y: &[PeriodVar],
) {
    let cl = b.cl;
    // Σ_j W(C,j), each unit as the days it takes (a half-day unit of the bound's
    // relaxation is half a day).
    let days_of = |ci: usize| -> Expression {
        let table = cl.classes[ci].trips.unwrap_or(0);
        w[ci]
            .iter()
            .zip(&w_trip[ci])
            .map(|(c, &j)| cl.day_share(table, j) * c.var)
            .sum()
    };
    let mut taught = StayerPeriods::of(cl, y);
    if b.shape.pooled {
        return pooled_load(b, (x, e), w, taught, &days_of);
    }
    let max_days = b.ds.policy.itinerant.max_days as f64;
    for (ci, c) in cl.classes.iter().enumerate() {
        if c.base != Base::Home {
            continue;
        }
        let stay = stayers(c, &x[ci], e[ci]);
        if taught.has_home[ci] || taught.has_trip[ci] {
            let l = std::mem::take(&mut taught.home[ci]) + std::mem::take(&mut taught.trip[ci]);
            b.rows.load[ci] = Some(b.constraints.len());
            b.constraints.push(l.leq(c.capacity as f64 * stay.clone()));
        }
        if !w[ci].is_empty() {
            b.rows.days[ci] = Some(b.constraints.len());
            b.constraints.push(days_of(ci).leq(max_days * stay));
        }
    }
}

/// The periods each class based at home teaches there and on trips.
struct StayerPeriods {
    home: Vec<Expression>,
    trip: Vec<Expression>,
    has_home: Vec<bool>,
    has_trip: Vec<bool>,
}

impl StayerPeriods {
    fn of(cl: &Classes, y: &[PeriodVar]) -> StayerPeriods {
        let n = cl.classes.len();
        let mut out = StayerPeriods {
            home: vec![Expression::default(); n],
            trip: vec![Expression::default(); n],
            has_home: vec![false; n],
            has_trip: vec![false; n],
        };
        for p in y {
            let c = &cl.classes[p.class];
            if c.base != Base::Home {
                continue;
            }
            if p.kind == PeriodKind::Trip {
                out.trip[p.class] += p.col.var;
                out.has_trip[p.class] = true;
            } else if p.school == c.home {
                out.home[p.class] += p.col.var;
                out.has_home[p.class] = true;
            }
        }
        out
    }
}

/// `stayer_load` pooled: each class's home teaching within its own stayers, and a pool's
/// home and trip teaching and its trip days within all its classes' stayers (the sum of
/// the classes' rows, so a relaxation).
fn pooled_load(
    b: &mut Builder,
    (x, e): (&[Vec<Col>], &[Option<Col>]),
    w: &[Vec<Col>],
    mut taught: StayerPeriods,
    days_of: &dyn Fn(usize) -> Expression,
) {
    let cl = b.cl;
    let n = cl.classes.len();
    let max_days = b.ds.policy.itinerant.max_days as f64;
    let (mut load, mut days_cap) = (
        vec![Expression::default(); n],
        vec![Expression::default(); n],
    );
    for (ci, c) in cl.classes.iter().enumerate() {
        if c.base != Base::Home {
            continue;
        }
        let stay = stayers(c, &x[ci], e[ci]);
        let p = b.pool[ci];
        if taught.has_home[ci] {
            b.constraints.push(
                taught.home[ci]
                    .clone()
                    .leq(c.capacity as f64 * stay.clone()),
            );
            load[p] += std::mem::take(&mut taught.home[ci]);
        }
        load[p] -= c.capacity as f64 * stay.clone();
        days_cap[p] += max_days * stay;
    }
    for ci in 0..n {
        if taught.has_trip[ci] {
            let l = std::mem::take(&mut load[ci]) + std::mem::take(&mut taught.trip[ci]);
            b.constraints.push(l.leq(0.0));
        }
        if !w[ci].is_empty() {
            b.constraints
                .push(days_of(ci).leq(std::mem::take(&mut days_cap[ci])));
        }
    }
}

/// Rule 4, coverage: Σ_t (y + z)(t,s,k) + u(s,k) ≥ r(s,k) where trips may teach (s,k),
/// an equality elsewhere. Full-time periods beyond demand can always be dropped at no
/// cost; trip periods cannot always: rule 2's least periods a stop may make a day at a
/// stop needing 1 period teach 2 (docs/model.md, "Decisions"). With decisions free, the
/// sense follows the subject (音体美 or not), not the trips a restricted model has, so
/// that pricing's duals of these rows have the whole model's sign; with every decision
/// `fixed`, it follows the trips made, and the period LP keeps its old vertices where no
/// trip comes.
fn coverage(
    b: &mut Builder,
    y: &[PeriodVar],
    u: &BTreeMap<(SchoolIx, SubjectIx), Col>,
    fixed: bool,
) {
    let mut rows: BTreeMap<(SchoolIx, SubjectIx), (Expression, bool)> = u
        .iter()
        .map(|(&key, col)| (key, (Expression::from(col.var), false)))
        .collect();
    for p in y {
        if let Some((row, trip)) = rows.get_mut(&(p.school, p.subject)) {
            *row += p.col.var;
            *trip |= p.kind == PeriodKind::Trip;
        }
    }
    let itinerant = &b.ds.policy.itinerant.subjects;
    for ((s, k), (row, has_trip)) in rows {
        let r = b.ds.demand_of(s, k) as f64;
        b.rows.coverage.insert((s, k), b.constraints.len());
        let trip = if fixed {
            has_trip
        } else {
            itinerant.iter().any(|n| n == b.ds.subject_name(k))
        };
        b.constraints
            .push(if trip { row.geq(r) } else { row.eq(r) });
    }
}
