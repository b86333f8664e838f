//! A warm start for pricing's restricted LPs (`price.rs`): one round's simplex basis
//! carried to the next round's LP, which has the same columns and rows plus those of the
//! trips just priced.
//!
//! Contract: `Keys` names every column and row of a model by what it is, not where it
//! sits, so a basis read from one round (`Basis::read`) can be laid on the next
//! (`Basis::lay`): known columns and rows keep their status, new columns start nonbasic
//! at their lower bound (0) and new rows with their slack basic. That is a basis of the
//! new LP (the new rows' slacks make it block triangular) whose point is the old optimum
//! with the new trips unused, so the simplex goes on from there. On the shared
//! mixed-county each round solved from scratch took 27-34 thousand iterations.
//! Only speed rests on it: HiGHS solves the LP to optimality from any start, and a basis
//! it refuses leaves the solve cold.

use std::collections::BTreeMap;

use super::build::{Milp, PeriodKind};
use crate::domain::{SchoolIx, SubjectIx};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ColKey {
    X(usize, usize),
    E(usize),
    W(usize, usize),
    Y(usize, SchoolIx, SubjectIx, PeriodKind),
    U(SchoolIx, SubjectIx),
    /// The n-th column not named above (rule shortfalls), whose number does not change
    /// with the trips.
    Other(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum RowKey {
    Trip(usize, SchoolIx),
    TripMin(usize, SchoolIx),
    TripSubject(usize, SchoolIx, SubjectIx),
    Days(usize),
    Load(usize),
    Coverage(SchoolIx, SubjectIx),
    /// The n-th row not named above.
    Other(usize),
}

/// What each column and row of a model is.
pub(super) struct Keys {
    cols: Vec<ColKey>,
    rows: Vec<RowKey>,
}

impl Keys {
    pub fn of(m: &Milp) -> Keys {
        let mut cols: Vec<Option<ColKey>> = vec![None; m.vars.len()];
        for (ci, xs) in m.x.iter().enumerate() {
            for (k, c) in xs.iter().enumerate() {
                cols[c.ix] = Some(ColKey::X(ci, k));
            }
        }
        for (ci, c) in m.e.iter().enumerate() {
            if let Some(c) = c {
                cols[c.ix] = Some(ColKey::E(ci));
            }
        }
        for (ci, (ws, js)) in m.w.iter().zip(&m.w_trip).enumerate() {
            for (c, &j) in ws.iter().zip(js) {
                cols[c.ix] = Some(ColKey::W(ci, j));
            }
        }
        for v in &m.y {
            cols[v.col.ix] = Some(ColKey::Y(v.class, v.school, v.subject, v.kind));
        }
        for (&(s, k), c) in &m.u {
            cols[c.ix] = Some(ColKey::U(s, k));
        }
        let mut rows: Vec<Option<RowKey>> = vec![None; m.constraints.len()];
        let r = &m.rows;
        for (&(ci, s), &i) in &r.trip {
            rows[i] = Some(RowKey::Trip(ci, s));
        }
        for (&(ci, s), &i) in &r.trip_min {
            rows[i] = Some(RowKey::TripMin(ci, s));
        }
        for (&(ci, s, k), &i) in &r.trip_subject {
            rows[i] = Some(RowKey::TripSubject(ci, s, k));
        }
        for (ci, (d, l)) in r.days.iter().zip(&r.load).enumerate() {
            if let Some(&i) = d.as_ref() {
                rows[i] = Some(RowKey::Days(ci));
            }
            if let Some(&i) = l.as_ref() {
                rows[i] = Some(RowKey::Load(ci));
            }
        }
        for (&(s, k), &i) in &r.coverage {
            rows[i] = Some(RowKey::Coverage(s, k));
        }
        Keys {
            cols: number_the_rest(cols, ColKey::Other),
            rows: number_the_rest(rows, RowKey::Other),
        }
    }

    fn others(&self) -> (usize, usize) {
        let cols = self.cols.iter().filter(|k| matches!(k, ColKey::Other(_)));
        let rows = self.rows.iter().filter(|k| matches!(k, RowKey::Other(_)));
        (cols.count(), rows.count())
    }
}

fn number_the_rest<K: Copy>(keys: Vec<Option<K>>, other: fn(usize) -> K) -> Vec<K> {
    let mut n = 0;
    keys.into_iter()
        .map(|k| {
            k.unwrap_or_else(|| {
                n += 1;
                other(n - 1)
            })
        })
        .collect()
}

/// A simplex basis by key.
pub(super) struct Basis {
    cols: BTreeMap<ColKey, highs_sys::HighsInt>,
    rows: BTreeMap<RowKey, highs_sys::HighsInt>,
    others: (usize, usize),
}

impl Basis {
    /// The basis of a solved LP whose columns and rows `keys` names; None when HiGHS has
    /// none to give.
    pub fn read(solved: &highs::SolvedModel, keys: &Keys) -> Option<Basis> {
        let mut cols: Vec<highs_sys::HighsInt> = vec![0; keys.cols.len()];
        let mut rows: Vec<highs_sys::HighsInt> = vec![0; keys.rows.len()];
        // SAFETY: the arrays are as long as the model's columns and rows (keys were read
        // from the model HiGHS solved), which is what Highs_getBasis writes.
        let status = unsafe {
            highs_sys::Highs_getBasis(solved.as_ptr(), cols.as_mut_ptr(), rows.as_mut_ptr())
        };
        if status != highs_sys::STATUS_OK {
            return None;
        }
        Some(Basis {
            cols: keys.cols.iter().copied().zip(cols).collect(),
            rows: keys.rows.iter().copied().zip(rows).collect(),
            others: keys.others(),
        })
    }

    /// Lays the basis on `model`, the next round's LP, whose columns and rows `keys`
    /// names. False (and the model left as it was) when the models differ in more than
    /// the trips or HiGHS refuses the basis.
    pub fn lay(&self, model: &mut highs::Model, keys: &Keys) -> bool {
        if keys.others() != self.others {
            return false;
        }
        let lower = highs_sys::kHighsBasisStatusLower;
        let basic = highs_sys::kHighsBasisStatusBasic;
        let cols: Vec<highs_sys::HighsInt> = (keys.cols.iter())
            .map(|k| self.cols.get(k).copied().unwrap_or(lower))
            .collect();
        let rows: Vec<highs_sys::HighsInt> = (keys.rows.iter())
            .map(|k| self.rows.get(k).copied().unwrap_or(basic))
            .collect();
        // SAFETY: the arrays are as long as the model's columns and rows.
        let status =
            unsafe { highs_sys::Highs_setBasis(model.as_mut_ptr(), cols.as_ptr(), rows.as_ptr()) };
        status == highs_sys::STATUS_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build::{build_with, Shape};
    use crate::model::classes::Classes;
    use crate::model::solve::highs_model;
    use crate::model::SolverSettings;

    /// A basis read from an LP over half of each class's trips, laid on the LP over all of
    /// them: HiGHS takes it, reaches the same optimum as from scratch, in fewer simplex
    /// iterations.
    #[test]
    fn a_round_s_basis_starts_the_next_round() {
        let ds = crate::testing::county(14, 260, 2);
        let cl = Classes::build(&ds);
        let table = |ci: usize| cl.classes[ci].trips.map_or(0, |t| cl.trip_tables[t].len());
        let half: Vec<Vec<usize>> = (0..cl.classes.len())
            .map(|ci| (0..table(ci)).step_by(2).collect())
            .collect();
        let all: Vec<Vec<usize>> = (0..cl.classes.len())
            .map(|ci| (0..table(ci)).collect())
            .collect();
        assert!(half.iter().map(Vec::len).sum::<usize>() < all.iter().map(Vec::len).sum());
        let lp = |trips: &[Vec<usize>]| {
            let shape = Shape {
                trips: Some(trips),
                relax: true,
                ..Shape::default()
            };
            build_with(&ds, &cl, None, shape)
        };
        let set = SolverSettings::new(60.0, 0.0, 1);
        let first = lp(&half);
        let keys = Keys::of(&first);
        let solved = highs_model(first, &set, &[]).unwrap().try_solve().unwrap();
        let basis = Basis::read(&solved, &keys).expect("a basis");

        let cold = highs_model(lp(&all), &set, &[])
            .unwrap()
            .try_solve()
            .unwrap();
        let next = lp(&all);
        let keys = Keys::of(&next);
        let mut model = highs_model(next, &set, &[]).unwrap();
        assert!(basis.lay(&mut model, &keys), "HiGHS refused the basis");

        let warm = model.try_solve().unwrap();
        let (w, c) = (warm.objective_value(), cold.objective_value());
        assert!((w - c).abs() <= 1e-7 * c.abs(), "warm {w} against cold {c}");
        assert!(
            warm.simplex_iteration_count() < cold.simplex_iteration_count(),
            "warm {} iterations, cold {}",
            warm.simplex_iteration_count(),
            cold.simplex_iteration_count()
        );
    }
}
