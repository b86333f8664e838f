//! The period LP's values rounded to whole periods, fitted back into the rows rounding can
//! break. With every decision fixed the LP is nearly a flow, but rule 12's rows weigh
//! unmet periods (music at 1.5, a school's priority), so a vertex can be fractional: on a
//! variant of the shared mixed-county a 体育 teacher had 8.5 periods at home and 5.5 on
//! trips, rounded to 9 and 6, 15 against a load of 14 (`lungang check`: C-LOAD;
//! docs/benchmarks.md, thirty-fifth session).
//!
//! Contract: per teacher, after rounding, (1) at each trip stop no more periods than its
//! trip days give there (rule 2), (2) no more than the teacher's load in all (rule 3),
//! (3) at each trip stop at least `min_periods_per_stop` a trip day (rule 2), where the
//! load leaves room. A unit is taken back where rounding added most over the LP's value
//! (then where the LP had least), never from a stop at its least; a unit is added where
//! the LP had most over the rounded value. Coverage is what the periods give: the plan's
//! objective is computed from them.

use std::collections::BTreeMap;

use super::columns::PeriodKind;
use crate::domain::{SchoolIx, TeacherIx};

/// One teacher's periods at one school in one subject: full time or on trips.
#[derive(Clone, Copy, Debug)]
pub(super) struct Entry {
    pub teacher: TeacherIx,
    pub school: SchoolIx,
    pub kind: PeriodKind,
    /// The LP's value.
    pub lp: f64,
}

/// What bounds one teacher's periods.
pub(super) struct Limits<'a> {
    pub load: &'a dyn Fn(TeacherIx) -> u32,
    /// Periods the teacher's trip days give at a stop, and how many days stop there.
    pub stop: &'a dyn Fn(TeacherIx, SchoolIx) -> (u32, u32),
    pub least: u32,
}

/// `values` (the LP's `entries` rounded) fitted to the contract's rows.
pub(super) fn fit(entries: &[Entry], values: &mut [u32], limits: &Limits) {
    let mut by_teacher: BTreeMap<TeacherIx, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_teacher.entry(e.teacher).or_default().push(i);
    }
    for (t, ix) in by_teacher {
        let mut stops: Vec<SchoolIx> = (ix.iter())
            .filter(|&&i| entries[i].kind == PeriodKind::Trip)
            .map(|&i| entries[i].school)
            .collect();
        stops.sort();
        stops.dedup();
        let trip_at = |s: SchoolIx| {
            move |i: usize| entries[i].kind == PeriodKind::Trip && entries[i].school == s
        };
        let at = |values: &[u32], s: SchoolIx| -> u32 {
            (ix.iter().copied())
                .filter(|&i| trip_at(s)(i))
                .map(|i| values[i])
                .sum()
        };
        for &s in &stops {
            let (give, _) = (limits.stop)(t, s);
            while at(values, s) > give {
                let Some(i) = most_added(entries, values, &ix, trip_at(s)) else {
                    break;
                };
                values[i] -= 1;
            }
        }
        let least_at = |s: SchoolIx| limits.least * (limits.stop)(t, s).1;
        let total = |values: &[u32]| ix.iter().map(|&i| values[i]).sum::<u32>();
        while total(values) > (limits.load)(t) {
            let spare = |i: usize| {
                let e = &entries[i];
                e.kind == PeriodKind::FullTime || at(values, e.school) > least_at(e.school)
            };
            let Some(i) = most_added(entries, values, &ix, spare) else {
                break;
            };
            values[i] -= 1;
        }
        for &s in &stops {
            let (give, _) = (limits.stop)(t, s);
            while at(values, s) < least_at(s).min(give) && total(values) < (limits.load)(t) {
                let Some(i) = most_lost(entries, values, &ix, trip_at(s)) else {
                    break;
                };
                values[i] += 1;
            }
        }
    }
}

/// Of the entries `ix` that `may` allows and that have a unit, the one rounding added
/// most to (value − LP value), ties to the first.
fn most_added(
    entries: &[Entry],
    values: &[u32],
    ix: &[usize],
    may: impl Fn(usize) -> bool,
) -> Option<usize> {
    (ix.iter().copied())
        .filter(|&i| values[i] > 0 && may(i))
        .fold(None, |best: Option<usize>, i| {
            let added = |i: usize| values[i] as f64 - entries[i].lp;
            match best {
                Some(b) if added(b) >= added(i) - 1e-9 => Some(b),
                _ => Some(i),
            }
        })
}

/// Of the entries `ix` that `may` allows, the one rounding took most from (LP value −
/// value), ties to the first.
fn most_lost(
    entries: &[Entry],
    values: &[u32],
    ix: &[usize],
    may: impl Fn(usize) -> bool,
) -> Option<usize> {
    (ix.iter().copied())
        .filter(|&i| may(i))
        .fold(None, |best: Option<usize>, i| {
            let lost = |i: usize| entries[i].lp - values[i] as f64;
            match best {
                Some(b) if lost(b) >= lost(i) - 1e-9 => Some(b),
                _ => Some(i),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(s: u32, kind: PeriodKind, lp: f64) -> Entry {
        Entry {
            teacher: TeacherIx(0),
            school: SchoolIx(s),
            kind,
            lp,
        }
    }

    fn limits<'a>(
        load: &'a dyn Fn(TeacherIx) -> u32,
        stop: &'a dyn Fn(TeacherIx, SchoolIx) -> (u32, u32),
    ) -> Limits<'a> {
        Limits {
            load,
            stop,
            least: 2,
        }
    }

    fn rounded(entries: &[Entry]) -> Vec<u32> {
        entries.iter().map(|e| e.lp.round() as u32).collect()
    }

    #[test]
    fn a_load_passed_by_rounding_gives_back_the_unit_rounding_added() {
        // 8.5 at home and 5.5 at a stop (two days, 3 periods each): 9 + 6 = 15 > 14.
        let entries = [
            entry(0, PeriodKind::FullTime, 8.5),
            entry(1, PeriodKind::Trip, 5.5),
        ];
        let mut values = rounded(&entries);
        assert_eq!(values, [9, 6]);
        fit(&entries, &mut values, &limits(&|_| 14, &|_, _| (6, 2)));
        assert_eq!(values, [8, 6]);
    }

    #[test]
    fn a_stop_keeps_its_least_and_its_trip_days_periods() {
        // Three subjects at a stop of one day (2 to 3 periods): 0.4 + 0.4 + 1.2 rounds to
        // 1, and 1.6 + 1.4 taken as 2 + 2 is 4.
        let under = [
            entry(1, PeriodKind::Trip, 0.4),
            entry(1, PeriodKind::Trip, 0.4),
            entry(1, PeriodKind::Trip, 1.2),
        ];
        let mut values = rounded(&under);
        assert_eq!(values, [0, 0, 1]);
        fit(&under, &mut values, &limits(&|_| 14, &|_, _| (3, 1)));
        assert_eq!(values, [1, 0, 1]);
        let over = [
            entry(1, PeriodKind::Trip, 1.6),
            entry(1, PeriodKind::Trip, 1.4),
        ];
        let mut values: Vec<u32> = vec![2, 2];
        fit(&over, &mut values, &limits(&|_| 14, &|_, _| (3, 1)));
        assert_eq!(values, [2, 1]);
    }

    #[test]
    fn no_unit_is_taken_from_a_stop_at_its_least() {
        // 12.4 at home rounded up to 13, 2.4 at a one-day stop rounded to 2, load 14: the
        // home entry gives the unit.
        let entries = [
            entry(0, PeriodKind::FullTime, 12.4),
            entry(1, PeriodKind::Trip, 2.4),
        ];
        let mut values = vec![13, 2];
        fit(&entries, &mut values, &limits(&|_| 14, &|_, _| (3, 1)));
        assert_eq!(values, [12, 2]);
    }
}
