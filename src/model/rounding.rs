//! Rows that count teachers whole (docs/model.md §3, "Whole teachers").
//!
//! The LP lets a class move a fraction of a teacher: a school whose three 数学 teachers
//! have 9 periods to spare sends 0.64 of one, who covers 9 periods at a member and still
//! teaches 5 at home. A whole teacher cannot: the one who leaves takes all 14 periods, and
//! home is 5 short; the member gets a whole teacher or none. On the shared seat-county's
//! junior part the LP was 193.7 k where moves made whole raise the bound to 330 k; with
//! these rows it is 252.2 k.
//!
//! *The sending side* (`stayer_rounding`). At school s and subject k, the coverage row
//! with each own class's home periods at its bound y(c,s,k) ≤ a_c·stay_c, a_c = min(r, c),
//! reads
//!
//!   g + Σ_c a_c·stay_c ≥ r,   g = u(s,k) + every other period column at (s,k),
//!
//! where N_c = n_c − stay_c (movers and extensions out) is integer. Its mixed-integer
//! rounding with divisor δ = max a_c, D = Σ a_c·n_c − r (the spare), β = D/δ, f = β − ⌊β⌋,
//! α_c = a_c/δ, f_c = α_c − ⌊α_c⌋:
//!
//!   g ≥ Σ_c [δ(1−f)⌊α_c⌋ + δ·max(0, f_c − f)]·N_c − δ(1−f)⌊β⌋.
//!
//! With one capacity a: each teacher beyond the ⌊D/a⌋ the spare allows leaves
//! a − (D mod a) periods to cover (the example: 5). The same over a whole school (its
//! coverage rows summed) counts the spare of teachers of several subjects once.
//!
//! *The receiving side* (`residual_cover`): a subject its own staff cannot cover gets a
//! whole teacher or none.
//!
//! Every plan meets these rows, so the optimum is unchanged. They are left out of the
//! period LP, whose decisions are fixed.

use std::collections::BTreeMap;

use good_lp::{Constraint, Expression};

use super::classes::{Base, Class, Classes};
use super::columns::{full_time_count, stayers, Col, PeriodKind, PeriodVar};
use crate::domain::{Dataset, SchoolIx, SubjectIx};

/// Fractions closer than this to a whole number give no row.
const EPS: f64 = 1e-6;

/// One own class at (s,k) whose stayers the plan decides: a_c, n_c and its stayers.
struct Own {
    a: f64,
    n: f64,
    stay: Expression,
}

/// Where a rounding row applies: one subject of a school, or the whole school (its
/// coverage rows summed, each own class's home periods at its load, for teachers who
/// teach several subjects: their spare then counts once, not in each subject).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Subject(SchoolIx, SubjectIx),
    School(SchoolIx),
    /// The receiving side: a subject its own staff cannot cover (`residual_cover`).
    Residual(SchoolIx, SubjectIx),
}

/// Own classes with a decided count, constant periods, the rest (g), and demand, of one
/// scope.
#[derive(Default)]
struct Gathered {
    own: BTreeMap<usize, Own>,
    fixed: f64,
    g: Expression,
    r: f64,
}

/// The rounding rows of each subject of a school and of the whole school, where they cut
/// anything.
pub fn stayer_rounding(
    ds: &Dataset,
    cl: &Classes,
    decisions: (&[Vec<Col>], &[Option<Col>]),
    y: &[PeriodVar],
    u: &BTreeMap<(SchoolIx, SubjectIx), Col>,
) -> Vec<(Scope, Constraint)> {
    let mut rows = Vec::new();
    for (scope, mut gathered) in gather(ds, cl, decisions, y, u) {
        if let Scope::School(_) = scope {
            for (&ci, own) in gathered.own.iter_mut() {
                own.a = own.a.min(cl.classes[ci].capacity as f64);
            }
        }
        let own: Vec<Own> = gathered.own.into_values().collect();
        if let Some(row) = rounding_row(&own, gathered.fixed, gathered.r, gathered.g) {
            rows.push((scope, row));
        }
    }
    rows
}

/// Per subject of a school and per school: demand, own classes with a decided count and
/// each one's home periods' bound (min(r, c) per subject, summed over the school's
/// subjects; the caller caps that at c), periods of counts the plan does not change at
/// their bound, and g.
fn gather(
    ds: &Dataset,
    cl: &Classes,
    (x, e): (&[Vec<Col>], &[Option<Col>]),
    y: &[PeriodVar],
    u: &BTreeMap<(SchoolIx, SubjectIx), Col>,
) -> BTreeMap<Scope, Gathered> {
    let mut at: BTreeMap<Scope, Gathered> = BTreeMap::new();
    for (&(s, k), col) in u {
        for scope in [Scope::Subject(s, k), Scope::School(s)] {
            let gathered = at.entry(scope).or_default();
            gathered.g += col.var;
            gathered.r += ds.demand_of(s, k) as f64;
        }
    }
    let mut fixed_class: BTreeMap<(usize, SchoolIx), f64> = BTreeMap::new();
    for p in y {
        let c = &cl.classes[p.class];
        let scopes = [Scope::Subject(p.school, p.subject), Scope::School(p.school)];
        if !own_staff(c, p) {
            for scope in scopes {
                if let Some(gathered) = at.get_mut(&scope) {
                    gathered.g += p.col.var;
                }
            }
            continue;
        }
        let r = ds.demand_of(p.school, p.subject) as f64;
        if c.base != Base::Home || (x[p.class].is_empty() && e[p.class].is_none()) {
            let hi = r.min((c.capacity * c.n()) as f64);
            at.entry(scopes[0]).or_default().fixed += hi;
            *fixed_class.entry((p.class, p.school)).or_default() += hi;
            continue;
        }
        for scope in scopes {
            let own = at.entry(scope).or_default().own.entry(p.class);
            own.or_insert_with(|| Own {
                a: 0.0,
                n: c.n() as f64,
                stay: stayers(c, &x[p.class], e[p.class]),
            })
            .a += r.min(c.capacity as f64);
        }
    }
    for ((ci, s), hi) in fixed_class {
        let c = &cl.classes[ci];
        let school = at.entry(Scope::School(s)).or_default();
        school.fixed += hi.min((c.capacity * c.n()) as f64);
    }
    at
}

/// Whether `p` is a full-time column of a class at its own school (home, or L for a
/// LOCKED class): the school's own staff, on both sides. Every other full-time column is
/// teachers coming.
fn own_staff(c: &Class, p: &PeriodVar) -> bool {
    let here = match c.base {
        Base::Home | Base::Exempt => c.home == p.school,
        Base::Locked(l) => l == p.school,
    };
    p.kind == PeriodKind::FullTime && here
}

/// The MIR row of one scope, or none when it cuts nothing: no decided class, a school
/// short even with everyone, a spare of whole teachers, or more spare than movers.
fn rounding_row(classes: &[Own], fixed: f64, r: f64, g: Expression) -> Option<Constraint> {
    let delta = classes.iter().map(|c| c.a).fold(0.0, f64::max);
    if delta <= EPS {
        return None;
    }
    let spare = classes.iter().map(|c| c.a * c.n).sum::<f64>() + fixed - r;
    let beta = spare / delta;
    let f = beta - beta.floor();
    if spare < 0.0 || !(EPS..=1.0 - EPS).contains(&f) {
        return None;
    }
    let coef = |a: f64| {
        let alpha = a / delta;
        let fc = alpha - alpha.floor();
        delta * (1.0 - f) * alpha.floor() + delta * (fc - f).max(0.0)
    };
    let constant = delta * (1.0 - f) * beta.floor();
    let most: f64 = classes.iter().map(|c| coef(c.a) * c.n).sum();
    if most <= constant + EPS {
        return None;
    }
    // g ≥ Σ coef·(n − stay) − constant, stayers moved to the left.
    let mut lhs = g;
    for c in classes {
        lhs += coef(c.a) * c.stay.clone();
    }
    Some(lhs.geq(most - constant))
}

/// The receiving side. A subject that the school's own staff, all staying, leave ρ
/// periods short is covered by trips, by unmet periods, or by teachers coming full time,
/// each bringing at most a = min(r, c) periods: u(s,k) + Σ trips' periods + Σ_in a·count
/// ≥ ρ. Where some teacher could cover all of ρ:
///
///   u(s,k) + Σ trips' periods + Σ_in min(a, ρ)·count_in ≥ ρ
///
/// (either someone comes, or u and trips cover ρ), where the LP brings ρ/c of a teacher
/// for ρ periods. On the shared seat-county's junior part these rows took the LP from
/// 198.8 k to 252.2 k, with the sending side's.
pub fn residual_cover(
    ds: &Dataset,
    cl: &Classes,
    (x, e): (&[Vec<Col>], &[Option<Col>]),
    y: &[PeriodVar],
    u: &BTreeMap<(SchoolIx, SubjectIx), Col>,
) -> Vec<(Scope, Constraint)> {
    // Per (s,k): what its own and fixed staff can teach at most, and who may come.
    let mut own: BTreeMap<(SchoolIx, SubjectIx), f64> = BTreeMap::new();
    let mut coming: BTreeMap<(SchoolIx, SubjectIx), Vec<(f64, Expression)>> = BTreeMap::new();
    let mut trips: BTreeMap<(SchoolIx, SubjectIx), Expression> = BTreeMap::new();
    for p in y {
        let key = (p.school, p.subject);
        let c = &cl.classes[p.class];
        let r = ds.demand_of(p.school, p.subject) as f64;
        if p.kind == PeriodKind::Trip {
            *trips.entry(key).or_default() += p.col.var;
            continue;
        }
        let count = match own_staff(c, p) {
            false => full_time_count(c, &x[p.class], e[p.class], p.school),
            true => None,
        };
        match count {
            Some(count) => coming
                .entry(key)
                .or_default()
                .push((r.min(c.capacity as f64), count)),
            // Own staff (all staying) and counts the plan does not change, at their bound.
            None => *own.entry(key).or_default() += r.min((c.capacity * c.n()) as f64),
        }
    }
    let mut rows = Vec::new();
    for (&key, col) in u {
        let r = ds.demand_of(key.0, key.1) as f64;
        let rho = r - own.get(&key).copied().unwrap_or(0.0);
        let Some(incoming) = coming.remove(&key).filter(|_| rho > EPS) else {
            continue;
        };
        let lhs = Expression::from(col.var) + trips.remove(&key).unwrap_or_default();
        rows.push((
            Scope::Residual(key.0, key.1),
            coming_row(&incoming, rho, lhs),
        ));
    }
    rows
}

/// u + trips + Σ min(a, ρ)·count ≥ ρ: either a teacher who could cover all of ρ comes,
/// or u, trips and teachers who cannot do. (Where ρ exceeds every a, this is the coverage
/// row's own aggregate; its rounding over δ = max a raised no LP on the shared counties
/// and slowed their search: enshi-county 2.01% against 1.6% at 60 s, docs/benchmarks.md.)
fn coming_row(incoming: &[(f64, Expression)], rho: f64, mut lhs: Expression) -> Constraint {
    for (a, count) in incoming {
        lhs += a.min(rho) * count.clone();
    }
    lhs.geq(rho)
}

#[cfg(test)]
mod tests {
    use crate::domain::{Dataset, DatasetBuilder, Mode, SchoolKind, Share, Stages, TeacherSpec};
    use crate::model::build::{build_with, Shape};
    use crate::model::classes::Classes;
    use crate::model::solve::{self, SolveStatus, SolverSettings};

    /// The module doc's example: core A's 数学 teachers (14 periods each) have 9 to spare;
    /// member B needs 9 and has none. No rule asks for a move (four teachers, so that
    /// rule 10's outflow cap, ⌊0.3·N⌋, lets one go).
    fn spare_nine() -> Dataset {
        let mut b = DatasetBuilder::new()
            .school("A", SchoolKind::Urban, Stages::PRIMARY, Some("C"))
            .school("B", SchoolKind::Rural, Stages::PRIMARY, Some("C"))
            .community("C", Mode::Tight, &["A"])
            .distance("A", "B", 10.0, 15.0)
            .demand("A", "数学", 47)
            .demand("B", "数学", 9);
        for i in 0..4 {
            let mut t = TeacherSpec::new(&format!("T{i}"), "A", "数学");
            t.capacity = Some(14);
            b = b.teacher(t);
        }
        let p = b.policy_mut();
        let none = Share::from_f64(0.0).unwrap();
        p.rotation.core_min_share.tight = none;
        p.rotation.due_min_share = none;
        p.rotation.backbone_min_share = none;
        b.build()
    }

    fn optimum(ds: &Dataset, relax: bool, rounding: bool) -> f64 {
        let cl = Classes::build(ds);
        let shape = Shape {
            relax,
            rounding,
            ..Shape::default()
        };
        let exact = SolverSettings::new(120.0, 0.0, 1);
        let solved = solve::run(build_with(ds, &cl, None, shape), &exact, None).unwrap();
        assert_eq!(solved.status, SolveStatus::Optimal);
        solved.objective
    }

    /// One whole teacher to B leaves A 5 short: the plan pays 5 unmet periods and one
    /// move (against 9 with nobody moving). The LP sends t = 9/14 of a teacher, all of A's
    /// spare, and B's row y ≤ 9·t leaves 9 − 9t unmet. With the rows the LP is the plan.
    #[test]
    fn a_whole_teacher_leaves_a_hole_at_home() {
        let ds = spare_nine();
        let unmet = ds.policy.weights.unmet;
        let plan = optimum(&ds, false, false);
        assert!((optimum(&ds, false, true) - plan).abs() < 1e-6);
        let one_move = plan - 5.0 * unmet;
        assert!(one_move > 0.0 && one_move < unmet, "plan {plan}");
        let t = 9.0 / 14.0;
        let lp = optimum(&ds, true, false);
        let by_hand = (9.0 - 9.0 * t) * unmet + t * one_move;
        assert!((lp - by_hand).abs() < 1e-6, "LP {lp}, by hand {by_hand}");
        let tight = optimum(&ds, true, true);
        assert!(
            (tight - plan).abs() < 1e-6,
            "LP with the rows {tight}, plan {plan}"
        );
    }

    /// On a generated county (moves, extensions, trips, rules), the rows leave the optimum
    /// where it was and raise the LP.
    #[test]
    fn the_rows_keep_the_optimum_and_raise_the_lp() {
        let ds = crate::testing::county(14, 260, 2);
        let plain = optimum(&ds, false, false);
        let rounded = optimum(&ds, false, true);
        let tol = 1e-6 * plain.abs();
        assert!((plain - rounded).abs() < tol, "{rounded} against {plain}");
        let (lp, tight) = (optimum(&ds, true, false), optimum(&ds, true, true));
        assert!(
            tight > lp + tol,
            "the rows cut nothing: {tight} against {lp}"
        );
        assert!(
            tight <= plain + tol,
            "the LP {tight} above the optimum {plain}"
        );
    }
}
