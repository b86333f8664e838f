//! MODEL.md's derived facts, re-derived here from its text alone: ledger states, cooldown,
//! due, needs_rural, the 跟岗 limits, K(t), who may leave, the community structure and the
//! distances between schools.

use crate::domain::{
    CommunityIx, Dataset, Gender, SchoolIx, SchoolKind, Status, SubjectIx, TeacherIx, Willing,
};

/// Ledger state of a teacher in the plan year Y.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Term {
    Free,
    /// end_year ≥ Y: a term under way at `at`.
    Locked {
        at: SchoolIx,
        start: i32,
        end: i32,
    },
    /// end_year = Y−1, extend = yes, within term + extension years: may be extended.
    Ending {
        at: SchoolIx,
        start: i32,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Facts {
    pub term: Term,
    /// The ledger row with the largest end_year (index into `Dataset::ledger`).
    pub last_row: Option<usize>,
    /// end_year within [Y − cooldown_years, Y − 1].
    pub cooldown: bool,
    pub active: bool,
    pub due: bool,
    pub needs_rural: bool,
    pub age: i32,
    pub teaching_years: i32,
    /// 跟岗 age and experience limits met.
    pub learning_ok: bool,
    /// K(t) = Q(t) ∩ itinerant.subjects.
    pub itinerant: Vec<SubjectIx>,
    /// Rule 14: active, within the 跟岗 limits, home a member school one of whose cores
    /// teaches the teacher's stage, and no 跟岗 term served in this cycle's years.
    pub cycle_pending: bool,
}

/// Rule 14's cycle in year Y: (first year, length), the latest cycle start not after Y
/// counting from `learning_cycle_start` (default Y) in steps of `learning_cycle_years`.
pub(crate) fn cycle(ds: &Dataset) -> Option<(i32, i32)> {
    let rot = &ds.policy.rotation;
    let len = rot.learning_cycle_years;
    if len < 1 {
        return None;
    }
    let y = ds.policy.plan_year;
    let anchor = rot.learning_cycle_start.unwrap_or(y);
    Some((anchor + len * (y - anchor).div_euclid(len), len))
}

pub(crate) fn derive(ds: &Dataset) -> Vec<Facts> {
    let y = ds.policy.plan_year;
    let rot = &ds.policy.rotation;
    let learned = learned_in_cycle(ds);
    let last = last_rows(ds);
    let facts = |(i, te): (usize, &crate::domain::Teacher)| {
        let row = last[i].map(|j| &ds.ledger[j]);
        let cooldown = row.is_some_and(|r| r.end_year >= y - rot.cooldown_years && r.end_year < y);
        let active = te.status == Status::Active;
        let age = y - te.birth_year;
        let teaching_years = y - te.hire_year;
        let max_age = match te.gender {
            Gender::Male => rot.learning_max_age_male,
            Gender::Female => rot.learning_max_age_female,
        };
        let learning_ok = teaching_years >= rot.learning_min_teaching_years && age <= max_age;
        let cycle_pending = cycle(ds).is_some()
            && !learned[i]
            && active
            && learning_ok
            && member_of(ds, te.home).is_some_and(|c| {
                let cores = &ds.communities[c.ix()].core;
                cores
                    .iter()
                    .any(|&k| te.stage.0 & ds.schools[k.ix()].stage.0 != 0)
            });
        Facts {
            term: term_of(ds, row),
            last_row: last[i],
            cooldown,
            active,
            due: active && y - te.school_since >= rot.min_years_due,
            needs_rural: ds.schools[te.home.ix()].kind != SchoolKind::Rural
                && te.rural_years < rot.promotion_rural_years,
            age,
            teaching_years,
            learning_ok,
            itinerant: itinerant_subjects(ds, te),
            cycle_pending,
        }
    };
    ds.teachers.iter().enumerate().map(facts).collect()
}

/// Rule 14: who served a 跟岗 term (member to a core of its community) in the cycle.
fn learned_in_cycle(ds: &Dataset) -> Vec<bool> {
    let mut learned = vec![false; ds.teachers.len()];
    if let Some((start, _)) = cycle(ds) {
        for r in &ds.ledger {
            if r.end_year >= start
                && matches!(structure(ds, r.from, r.to), Some(Structure::Learning(_)))
            {
                learned[r.teacher.ix()] = true;
            }
        }
    }
    learned
}

/// Each teacher's ledger row that ends last (the first of those in file order).
fn last_rows(ds: &Dataset) -> Vec<Option<usize>> {
    let mut last: Vec<Option<usize>> = vec![None; ds.teachers.len()];
    for (i, row) in ds.ledger.iter().enumerate() {
        let slot = &mut last[row.teacher.ix()];
        match slot {
            Some(j) if ds.ledger[*j].end_year >= row.end_year => {}
            _ => *slot = Some(i),
        }
    }
    last
}

/// The teacher's term in Y from its last ledger row: LOCKED (running into Y), ENDING
/// (ended in Y − 1, asks to extend, within term_years + max_extension_years) or free.
fn term_of(ds: &Dataset, row: Option<&crate::domain::LedgerEntry>) -> Term {
    let y = ds.policy.plan_year;
    let rot = &ds.policy.rotation;
    match row {
        Some(r) if r.end_year >= y => Term::Locked {
            at: r.to,
            start: r.start_year,
            end: r.end_year,
        },
        Some(r)
            if r.end_year == y - 1
                && r.extend
                // (Y − start_year) + 1 ≤ term_years + max_extension_years
                && y - r.start_year < rot.term_years + rot.max_extension_years =>
        {
            Term::Ending {
                at: r.to,
                start: r.start_year,
            }
        }
        _ => Term::Free,
    }
}

/// K(t): the teacher's subjects (main and extra) that the policy lists as itinerant.
fn itinerant_subjects(ds: &Dataset, te: &crate::domain::Teacher) -> Vec<SubjectIx> {
    let mut q = vec![te.subject];
    q.extend(te.extra_subjects.iter().copied());
    let mut itinerant: Vec<SubjectIx> = q
        .into_iter()
        .filter(|&k| {
            let name = &ds.subjects[k.ix()];
            ds.policy.itinerant.subjects.iter().any(|n| n == name)
        })
        .collect();
    itinerant.sort();
    itinerant.dedup();
    itinerant
}

/// Why `t` may not leave home (move or travel) under MODEL.md's status, ledger and
/// willingness rules; `None` when it may.
pub(crate) fn leave_refusal(ds: &Dataset, f: &[Facts], t: TeacherIx) -> Option<String> {
    let te = &ds.teachers[t.ix()];
    let ft = &f[t.ix()];
    if !ft.active {
        return Some("it is exempt".into());
    }
    if let Term::Locked { at, end, .. } = ft.term {
        return Some(format!(
            "it is LOCKED at {} until {end}",
            ds.schools[at.ix()].id
        ));
    }
    if ft.cooldown && te.willing != Willing::Yes {
        let end = ft.last_row.map_or(0, |j| ds.ledger[j].end_year);
        return Some(format!(
            "it is in cooldown (its last term ended in {end}) and has not said it is willing"
        ));
    }
    if te.willing == Willing::No && ds.policy.rotation.respect_unwilling {
        return Some("it is unwilling and the policy respects that".into());
    }
    None
}

/// The community of which `s` is a core (核心校).
pub(crate) fn core_of(ds: &Dataset, s: SchoolIx) -> Option<CommunityIx> {
    let c = ds.schools[s.ix()].community?;
    ds.communities[c.ix()].core.contains(&s).then_some(c)
}

/// The community of which `s` is a member (成员校: names it but is not a core).
pub(crate) fn member_of(ds: &Dataset, s: SchoolIx) -> Option<CommunityIx> {
    let c = ds.schools[s.ix()].community?;
    (!ds.communities[c.ix()].core.contains(&s)).then_some(c)
}

/// Full-time structure of serving at `host` with home `home`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Structure {
    /// 支教: home a core of C, host a member of C.
    Support(CommunityIx),
    /// 跟岗: home a member of C, host a core of C.
    Learning(CommunityIx),
}

pub(crate) fn structure(ds: &Dataset, home: SchoolIx, host: SchoolIx) -> Option<Structure> {
    if home == host {
        return None;
    }
    if let (Some(a), Some(b)) = (core_of(ds, home), member_of(ds, host)) {
        if a == b {
            return Some(Structure::Support(a));
        }
    }
    if let (Some(a), Some(b)) = (member_of(ds, home), core_of(ds, host)) {
        if a == b {
            return Some(Structure::Learning(a));
        }
    }
    None
}

/// Great-circle km on a sphere of radius 6371.0088 km (FORMAT.md), written here afresh.
pub(crate) fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const R: f64 = 6371.0088;
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let h = ((phi2 - phi1) / 2.0).sin().powi(2)
        + phi1.cos() * phi2.cos() * ((lon2 - lon1).to_radians() / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().clamp(0.0, 1.0).asin()
}

/// (km, minutes) from `a` to `b`: distances.csv, else great-circle × road factor at the
/// policy speed; 0 for the same school; `None` when neither is known.
pub(crate) fn distance(ds: &Dataset, a: SchoolIx, b: SchoolIx) -> Option<(f64, f64)> {
    if a == b {
        return Some((0.0, 0.0));
    }
    // A pair given in one direction holds in both unless the other is given too (FORMAT.md).
    if let Some(l) = ds
        .distances
        .get(&(a, b))
        .or_else(|| ds.distances.get(&(b, a)))
    {
        return Some((l.km, l.minutes));
    }
    let (sa, sb) = (&ds.schools[a.ix()], &ds.schools[b.ix()]);
    let km = great_circle_km(sa.lat?, sa.lon?, sb.lat?, sb.lon?) * ds.policy.travel.road_factor;
    Some((km, km / ds.policy.travel.speed_kmh * 60.0))
}

/// The qualified subjects Q(t).
pub(crate) fn qualified(ds: &Dataset, t: TeacherIx) -> Vec<SubjectIx> {
    let te = &ds.teachers[t.ix()];
    let mut q = vec![te.subject];
    q.extend(te.extra_subjects.iter().copied());
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude_is_r_times_pi_over_180() {
        let km = great_circle_km(30.0, 110.0, 31.0, 110.0);
        assert!((km - 6371.0088 * std::f64::consts::PI / 180.0).abs() < 1e-9);
        assert_eq!(great_circle_km(30.0, 110.0, 30.0, 110.0), 0.0);
        let a = great_circle_km(36.0, 106.0, 36.1, 106.2);
        let b = great_circle_km(36.1, 106.2, 36.0, 106.0);
        assert!((a - b).abs() < 1e-12);
    }
}
