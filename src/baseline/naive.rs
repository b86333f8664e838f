//! The naive baseline: MODEL.md taken literally, one column per teacher and decision, on
//! HiGHS. Reuses only domain facts (who may move where, trips, costs, headcounts), none of
//! lungang's formulation (no classes, no flow periods, no decomposition), so the benchmark
//! shows what those buy.

use std::collections::BTreeMap;
use std::time::Instant;

use good_lp::solvers::highs::highs;
use good_lp::{variable, Constraint, Expression, ProblemVariables, SolverModel, Variable};

use crate::domain::{
    Dataset, LedgerState, MoveKind, Placement, ReciprocalCounts, RequestKind, SchoolIx, Status,
    SubjectIx, TeacherIx, Trip,
};
use crate::model::{Decisions, ModelError, SolveStatus, SolverSettings};

/// What the naive model reached, with its size and timings.
#[derive(Clone, Debug)]
pub struct NaiveOutcome {
    pub status: SolveStatus,
    /// `None` when HiGHS stopped with no plan.
    pub decisions: Option<Decisions>,
    /// HiGHS's incumbent objective (MODEL.md's objective of these decisions).
    pub objective: f64,
    pub bound: f64,
    pub columns: usize,
    pub rows: usize,
    pub build_seconds: f64,
    pub solve_seconds: f64,
}

impl NaiveOutcome {
    /// Relative gap as HiGHS defines it.
    pub fn gap(&self) -> f64 {
        if self.decisions.is_none() {
            return f64::INFINITY;
        }
        let (ub, lb) = (self.objective, self.bound.min(self.objective));
        if ub == lb {
            0.0
        } else {
            (ub - lb) / ub.abs().max(1e-9)
        }
    }
}

/// Periods column y(t,s,k), split by where they are taught: at a full-time place (rule 1)
/// or on trips (rule 2). A stop that is also a possible host keeps both, as lungang does.
struct Y {
    t: TeacherIx,
    s: SchoolIx,
    k: SubjectIx,
    ix: usize,
}

struct Cols {
    vars: ProblemVariables,
    n: usize,
}

impl Cols {
    fn add(&mut self, def: good_lp::VariableDefinition) -> (Variable, usize) {
        let ix = self.n;
        self.n += 1;
        (self.vars.add(def), ix)
    }
}

/// Mover counts of rules 5-13 as expressions: constants (LOCKED terms) plus columns.
#[derive(Default)]
struct Counts {
    support_from: BTreeMap<SchoolIx, Expression>,
    learning_from: BTreeMap<SchoolIx, Expression>,
    /// Learners still to 跟岗 in the cycle (rule 14).
    cycle_learning_from: BTreeMap<SchoolIx, Expression>,
    /// New moves x only (rule 9 with counts = "new").
    new_support_from: BTreeMap<SchoolIx, Expression>,
    new_learning_from: BTreeMap<SchoolIx, Expression>,
    support_all: Expression,
    support_backbone: Expression,
    outflow: BTreeMap<SchoolIx, Expression>,
    incoming: BTreeMap<SchoolIx, Expression>,
    /// By host and main subject, and cadres by host (rule 13).
    incoming_subject: BTreeMap<(SchoolIx, SubjectIx), Expression>,
    incoming_cadres: BTreeMap<SchoolIx, Expression>,
}

impl Counts {
    /// Counts teacher `t` at home `h` whose full-time place is `s` with weight `x` (1 or a
    /// column); `new` for a new move x(t,s).
    fn serve(&mut self, ds: &Dataset, t: TeacherIx, s: SchoolIx, new: bool, x: Expression) {
        self.serve_as(ds, t, s, (new, false), x)
    }

    /// `serve`, with `pending` when the teacher is still to 跟岗 in the cycle.
    fn serve_as(
        &mut self,
        ds: &Dataset,
        t: TeacherIx,
        s: SchoolIx,
        (new, pending): (bool, bool),
        x: Expression,
    ) {
        let te = ds.teacher(t);
        let h = te.home;
        match ds.move_kind_from(h, s) {
            Some(MoveKind::Support) => {
                *self.support_from.entry(h).or_default() += x.clone();
                if new {
                    *self.new_support_from.entry(h).or_default() += x.clone();
                }
                self.support_all += x.clone();
                if te.backbone {
                    self.support_backbone += x.clone();
                }
            }
            Some(MoveKind::Learning) => {
                *self.learning_from.entry(h).or_default() += x.clone();
                if pending {
                    *self.cycle_learning_from.entry(h).or_default() += x.clone();
                }
                if new {
                    *self.new_learning_from.entry(h).or_default() += x.clone();
                }
            }
            None => {}
        }
        *self.outflow.entry(h).or_default() += x.clone();
        *self.incoming_subject.entry((s, te.subject)).or_default() += x.clone();
        if te.role.is_cadre() {
            *self.incoming_cadres.entry(s).or_default() += x.clone();
        }
        *self.incoming.entry(s).or_default() += x;
    }
}

/// Builds and solves the literal model of MODEL.md.
pub fn solve_naive(ds: &Dataset, set: &SolverSettings) -> Result<NaiveOutcome, ModelError> {
    let started = Instant::now();
    let facts = ds.teacher_facts();
    let w = &ds.policy.weights;
    let it = &ds.policy.itinerant;
    let near = ds.near_pairs();
    let mut cols = Cols {
        vars: ProblemVariables::new(),
        n: 0,
    };
    let mut obj = Expression::default();
    let mut rows: Vec<Constraint> = Vec::new();
    let mut counts = Counts::default();
    let mut ys: Vec<Y> = Vec::new();
    // Σ_t y(t,s,k) per demand row.
    let mut cover: BTreeMap<(SchoolIx, SubjectIx), Expression> = BTreeMap::new();

    let mut x_cols: Vec<Vec<(SchoolIx, MoveKind, usize)>> = vec![Vec::new(); ds.teachers.len()];
    let mut e_cols: Vec<Option<(SchoolIx, usize)>> = vec![None; ds.teachers.len()];
    let mut w_cols: Vec<Vec<(Trip, usize)>> = vec![Vec::new(); ds.teachers.len()];
    let mut fixed: Vec<Placement> = vec![Placement::Home; ds.teachers.len()];

    for t in ds.teacher_ixs() {
        let te = ds.teacher(t);
        let f = &facts[t.ix()];
        let h = te.home;
        let cap = ds.capacity(t) as f64;
        let q: Vec<SubjectIx> = {
            let mut q: Vec<SubjectIx> = ds.qualified(t).collect();
            q.sort();
            q.dedup();
            q
        };
        // Full-time places with their a(t,s) expression.
        let mut places: Vec<(SchoolIx, Expression)> = Vec::new();
        let mut load = Expression::default();
        // Periods of t at s: full-time periods need never exceed the demand (dropping
        // them costs nothing), trip periods may (rule 2's least a stop), so only the
        // teacher's capacity bounds them.
        let y_at = |cols: &mut Cols,
                    s: SchoolIx,
                    trip: bool,
                    subjects: &[SubjectIx],
                    load: &mut Expression,
                    ys: &mut Vec<Y>,
                    obj: &mut Expression,
                    cover: &mut BTreeMap<(SchoolIx, SubjectIx), Expression>|
         -> Option<Expression> {
            let mut sum = Expression::default();
            let mut any = false;
            for &k in subjects {
                let r = ds.demand_of(s, k);
                if r == 0 {
                    continue;
                }
                let hi = if trip { cap } else { (r as f64).min(cap) };
                let (var, ix) = cols.add(variable().integer().min(0).max(hi));
                ys.push(Y { t, s, k, ix });
                any = true;
                sum += var;
                *load += var;
                *cover.entry((s, k)).or_default() += var;
                if k != te.subject {
                    *obj += w.non_main_subject * var;
                }
            }
            any.then_some(sum)
        };

        let mut teaches_at = 0;
        let mut has_trip_periods = false;
        if let LedgerState::Locked(l) = f.state {
            fixed[t.ix()] = Placement::Continuing(l);
            if l != h {
                counts.serve(ds, t, l, false, Expression::from(1.0));
            }
            places.push((l, Expression::from(1.0)));
        } else if te.status == Status::Exempt {
            places.push((h, Expression::from(1.0)));
        } else {
            let mut away = Expression::default();
            let mut may_go = false;
            if let LedgerState::Ending(l) = f.state {
                let (var, ix) = cols.add(variable().binary());
                e_cols[t.ix()] = Some((l, ix));
                obj -= w.extension_bonus * var;
                away += var;
                may_go = true;
                counts.serve_as(ds, t, l, (false, f.cycle_pending), Expression::from(var));
                places.push((l, Expression::from(var)));
            }
            for (s, kind) in ds.allowed_moves(t, f) {
                let Some(cost) = ds.move_cost(t, f, s, kind) else {
                    continue;
                };
                let (var, ix) = cols.add(variable().binary());
                x_cols[t.ix()].push((s, kind, ix));
                obj += cost * var;
                away += var;
                may_go = true;
                counts.serve_as(ds, t, s, (true, f.cycle_pending), Expression::from(var));
                // An ENDING teacher's new move back to L is a second way to be at L.
                if let Some(p) = places.iter_mut().find(|p| p.0 == s) {
                    p.1 += var;
                } else {
                    places.push((s, Expression::from(var)));
                }
            }
            if may_go {
                rows.push(away.clone().leq(1.0));
            }
            let at_home = Expression::from(1.0) - away;
            // Rule 2: trips.
            let k_it = if ds.may_leave(t, f) && it.max_days > 0 {
                ds.itinerant_subjects(ds.qualified(t))
            } else {
                Vec::new()
            };
            if !k_it.is_empty() {
                let cands = ds.stop_candidates(h, te.stage, &k_it);
                let trips = ds.trips_from(h, &cands, &near);
                if !trips.is_empty() {
                    let mut days = Expression::default();
                    // Per stop: the periods the trips give there, and their visits.
                    let mut per_stop: BTreeMap<SchoolIx, (Expression, Expression)> =
                        BTreeMap::new();
                    for trip in trips {
                        let (var, ix) =
                            cols.add(variable().integer().min(0).max(it.max_days as f64));
                        days += var;
                        obj += w.itinerant_km * trip.km * var;
                        for &(s, p) in &trip.stops {
                            let e = per_stop.entry(s).or_default();
                            e.0 += p as f64 * var;
                            e.1 += var;
                        }
                        w_cols[t.ix()].push((trip, ix));
                    }
                    rows.push(days.leq(it.max_days as f64 * at_home.clone()));
                    for (s, (given, visits)) in per_stop {
                        let taught = y_at(
                            &mut cols, s, true, &k_it, &mut load, &mut ys, &mut obj, &mut cover,
                        );
                        let least = it.min_periods_per_stop as f64 * visits;
                        match taught {
                            Some(taught) => {
                                rows.push(taught.clone().leq(given));
                                rows.push(taught.geq(least));
                                has_trip_periods = true;
                            }
                            None => rows.push(least.leq(0.0)),
                        }
                    }
                }
            }
            places.insert(0, (h, at_home));
        }
        // Rule 1 at each full-time place.
        for (s, a) in places {
            if let Some(taught) = y_at(
                &mut cols, s, false, &q, &mut load, &mut ys, &mut obj, &mut cover,
            ) {
                rows.push(taught.leq(cap * a));
                teaches_at += 1;
            }
        }
        // Rule 3 (rule 1 already implies it with a single place).
        if teaches_at > 1 || has_trip_periods {
            rows.push(load.leq(cap));
        }
    }

    // Rule 4: coverage with u(s,k); Σ_k mult·u per school for rule 12.
    let mut weighted_unmet: BTreeMap<SchoolIx, Expression> = BTreeMap::new();
    for d in ds.demand.iter().filter(|d| d.periods > 0) {
        let (u, _) = cols.add(variable().min(0).max(d.periods as f64));
        let mult = ds.unmet_mult(d.school, d.subject);
        obj += w.unmet * mult * u;
        *weighted_unmet.entry(d.school).or_default() += mult * u;
        let sum = cover.remove(&(d.school, d.subject)).unwrap_or_default();
        rows.push((sum + u).geq(d.periods as f64));
    }

    // Rules 5-13, elastic.
    let slack = |cols: &mut Cols, obj: &mut Expression| -> Variable {
        let (v, _) = cols.add(variable().min(0));
        *obj += w.violation * v;
        v
    };
    let get =
        |m: &BTreeMap<SchoolIx, Expression>, s: SchoolIx| m.get(&s).cloned().unwrap_or_default();
    let rot = &ds.policy.rotation;
    let n = ds.headcounts(&facts);
    for req in ds.core_requirements(&n) {
        for need in [req.core_share, req.due_share] {
            if need > 0 {
                let v = slack(&mut cols, &mut obj);
                rows.push((get(&counts.support_from, req.school) + v).geq(need as f64));
            }
        }
    }
    for (s, need) in ds.learning_requirements(&n) {
        if need > 0 {
            let v = slack(&mut cols, &mut obj);
            rows.push((get(&counts.learning_from, s) + v).geq(need as f64));
        }
    }
    let share = rot.backbone_min_share.as_f64();
    if share > 0.0 {
        let v = slack(&mut cols, &mut obj);
        rows.push(
            (counts.support_backbone.clone() - share * counts.support_all.clone() + v).geq(0.0),
        );
    }
    let (support_from, learning_from) = match rot.reciprocal_counts {
        ReciprocalCounts::New => (&counts.new_support_from, &counts.new_learning_from),
        ReciprocalCounts::Serving => (&counts.support_from, &counts.learning_from),
    };
    for (ci, com) in ds.communities.iter().enumerate() {
        if !rot.reciprocal.get(com.mode) {
            continue;
        }
        let in_com = |s: &SchoolIx| ds.school(*s).community.map(|c| c.ix()) == Some(ci);
        let sum = |m: &BTreeMap<SchoolIx, Expression>| {
            m.iter()
                .filter(|(s, _)| in_com(s))
                .fold(Expression::default(), |a, (_, e)| a + e.clone())
        };
        let (v1, v2) = (slack(&mut cols, &mut obj), slack(&mut cols, &mut obj));
        rows.push((sum(learning_from) - sum(support_from) + v1 - v2).eq(0.0));
    }
    // Rule 12: members not worse off than with nobody moving.
    if rot.protect_members {
        let alone = ds.unmet_alone(&facts);
        for &s in ds.communities.iter().flat_map(|c| &c.members) {
            if let Some(unmet) = weighted_unmet.remove(&s) {
                let v = slack(&mut cols, &mut obj);
                rows.push((unmet - v).leq(alone[s.ix()]));
            }
        }
    }
    // Rule 13: requests.
    for r in &ds.requests {
        let served = match r.kind {
            RequestKind::Teacher(k) => counts.incoming_subject.get(&(r.school, k)),
            RequestKind::Cadre => counts.incoming_cadres.get(&r.school),
        };
        let v = slack(&mut cols, &mut obj);
        rows.push((served.cloned().unwrap_or_default() + v).geq(r.count as f64));
    }
    // Rule 14: this year's share of the cycle's remaining learners.
    for req in ds.cycle_requirements(&n) {
        if req.need > 0 {
            let v = slack(&mut cols, &mut obj);
            let got = get(&counts.cycle_learning_from, req.school);
            rows.push((got + v).geq(req.need as f64));
        }
    }
    for s in ds.school_ixs() {
        if let Some(out) = counts.outflow.get(&s) {
            let cap = rot.max_outflow_share.floor_of(n.teachers[s.ix()]) as f64;
            let v = slack(&mut cols, &mut obj);
            rows.push((out.clone() - v).leq(cap));
        }
        if let (Some(inc), Some(hcap)) = (counts.incoming.get(&s), ds.school(s).housing) {
            let v = slack(&mut cols, &mut obj);
            rows.push((inc.clone() - v).leq(hcap as f64));
        }
    }

    let (columns, nrows) = (cols.n, rows.len());
    let mut problem = cols.vars.minimise(obj).using(highs);
    for c in rows {
        problem.add_constraint(c);
    }
    let mut model = problem
        .try_into_inner()
        .map_err(|e| ModelError::Solver(e.to_string()))?;
    let build_seconds = started.elapsed().as_secs_f64();
    let opt = |r: Result<(), highs::TrySetOptionError>, name: &str| {
        r.map_err(|_| ModelError::Solver(format!("HiGHS refused option {name}")))
    };
    opt(model.try_set_option("output_flag", false), "output_flag")?;
    opt(
        model.try_set_option("time_limit", set.time_limit),
        "time_limit",
    )?;
    opt(model.try_set_option("mip_rel_gap", set.gap), "mip_rel_gap")?;
    opt(
        model.try_set_option("threads", set.threads.max(1) as i32),
        "threads",
    )?;
    opt(model.try_set_option("random_seed", 0), "random_seed")?;

    let solve_started = Instant::now();
    let solved = model
        .try_solve()
        .map_err(|e| ModelError::Solver(format!("HiGHS failed: {e:?}")))?;
    let solve_seconds = solve_started.elapsed().as_secs_f64();
    let status = crate::model::solve::outcome(&solved)?;
    let has_plan = status != SolveStatus::NoPlan;
    let objective = if has_plan {
        solved.objective_value()
    } else {
        f64::INFINITY
    };
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite())
        .unwrap_or(if has_plan {
            objective
        } else {
            f64::NEG_INFINITY
        });
    let decisions = has_plan.then(|| {
        let v = solved.get_solution().columns().to_vec();
        let on = |ix: usize| v[ix].round() as i64;
        let mut placement = fixed.clone();
        let mut trip_days = vec![Vec::new(); ds.teachers.len()];
        for t in ds.teacher_ixs() {
            if let Some((l, ix)) = e_cols[t.ix()] {
                if on(ix) > 0 {
                    placement[t.ix()] = Placement::Extended(l);
                }
            }
            for &(s, kind, ix) in &x_cols[t.ix()] {
                if on(ix) > 0 {
                    placement[t.ix()] = Placement::New(s, kind);
                }
            }
            for (trip, ix) in &w_cols[t.ix()] {
                for _ in 0..on(*ix).max(0) {
                    trip_days[t.ix()].push(trip.clone());
                }
            }
        }
        let mut per: BTreeMap<(TeacherIx, SchoolIx, SubjectIx), u32> = BTreeMap::new();
        for y in &ys {
            let p = on(y.ix).max(0) as u32;
            if p > 0 {
                *per.entry((y.t, y.s, y.k)).or_default() += p;
            }
        }
        Decisions {
            placement,
            trip_days,
            periods: per.into_iter().map(|((t, s, k), p)| (t, s, k, p)).collect(),
        }
    });
    Ok(NaiveOutcome {
        status,
        decisions,
        objective,
        bound,
        columns,
        rows: nrows,
        build_seconds,
        solve_seconds,
    })
}
