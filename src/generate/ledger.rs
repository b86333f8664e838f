//! The rotation ledger (交流轮岗台账) behind the plan year, and the housing (周转宿舍)
//! limits of member schools.
//!
//! Core teachers have gone out to members (支教) and member teachers in to cores (跟岗),
//! the latter half as often. Of a core's teachers about 5% serve a term under way
//! (LOCKED: end ≥ plan year), 5% a term that ended last year (ENDING; half of them ask to
//! stay one more year), 4% ended two or three years ago (cooldown), and 5% have an older
//! term. Every row starts at the teacher's home school, after the teacher came there and
//! after enough years of teaching for the move (3 for support, 1 for learning, the
//! learning age limits of the profile's policy), so the file passes FORMAT.md's checks.

use super::random::{below, between, chance, unit, weighted, Rand};
use super::staffing::Tch;
use super::{Kind, Layout, PLAN_YEAR};

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Row {
    pub teacher: usize,
    pub from: usize,
    pub to: usize,
    pub start: i32,
    pub end: i32,
    pub extend: bool,
}

/// Ledger rows sorted by teacher, then start year.
pub(crate) fn history(layout: &Layout, teachers: &[Tch], rng: &mut Rand) -> Vec<Row> {
    let y = PLAN_YEAR;
    let mut rows = Vec::new();
    for (ti, t) in teachers.iter().enumerate() {
        let Some(c) = layout.schools[t.school].community else {
            continue;
        };
        let com = &layout.communities[c];
        let core = com.cores.contains(&t.school);
        let dests: Vec<usize> = if core { &com.members } else { &com.cores }
            .iter()
            .copied()
            .filter(|&s| t.stage.fits(layout.schools[s].stage))
            .collect();
        if dests.is_empty() {
            continue;
        }
        let scale = if core { 1.0 } else { 0.5 };
        let (men, women) = layout.shape.learning_ages;
        let eligible = |start: i32| {
            let age_limit = if t.female { women } else { men };
            t.since <= start
                && start - t.hire >= if core { 3 } else { 1 }
                && (core || start - t.birth <= age_limit)
        };
        let r = unit(rng);
        let recent = if r < 0.05 * scale && !t.exempt {
            let back = weighted(rng, &[0.4, 0.4, 0.2]).unwrap_or(0) as i32;
            Some((y - back, y, false))
        } else if r < 0.10 * scale && !t.exempt {
            let back = weighted(rng, &[0.6, 0.3, 0.1]).unwrap_or(0) as i32;
            Some((y - 1 - back, y - 1, chance(rng, 0.5)))
        } else if r < 0.14 * scale {
            let end = y - 2 - below(rng, 2) as i32;
            Some((end - i32::from(chance(rng, 0.3)), end, false))
        } else {
            None
        };
        let recent = recent.filter(|&(start, _, _)| eligible(start));
        let old = if chance(rng, 0.05 * scale) {
            let end = between(rng, 2015, (y - 4) as i64) as i32;
            Some((end - i32::from(chance(rng, 0.3)), end, false))
        } else {
            None
        };
        let old = old.filter(|&(start, end, _)| {
            eligible(start) && recent.is_none_or(|(rstart, _, _)| end < rstart)
        });
        for (start, end, extend) in old.into_iter().chain(recent) {
            rows.push(Row {
                teacher: ti,
                from: t.school,
                to: dests[below(rng, dests.len())],
                start,
                end,
                extend,
            });
        }
    }
    rows
}

/// Years a town or city teacher served at a village school through the ledger count as
/// rural years (农村任教年限), up to last year.
pub(crate) fn credit_rural_years(layout: &Layout, teachers: &mut [Tch], rows: &[Row]) {
    for r in rows {
        if layout.schools[r.from].kind != Kind::Rural && layout.schools[r.to].kind == Kind::Rural {
            let served = (r.end.min(PLAN_YEAR - 1) - r.start + 1).max(0);
            teachers[r.teacher].rural_years += served as u32;
        }
    }
}

/// Housing limits: about 40% of village members and 20% of town members, each with room
/// for its incoming teachers of the plan year already in the ledger plus 2-6 more (the
/// profile's figures: the `housing` profile caps most members, a third of them full).
pub(crate) fn housing(layout: &Layout, rows: &[Row], rng: &mut Rand) -> Vec<Option<u32>> {
    let h = layout.shape.housing;
    let mut incoming = vec![0u32; layout.schools.len()];
    for r in rows {
        if r.end >= PLAN_YEAR || (r.end == PLAN_YEAR - 1 && r.extend) {
            incoming[r.to] += 1;
        }
    }
    (0..layout.schools.len())
        .map(|s| {
            let sp = &layout.schools[s];
            let p = match sp.kind {
                _ if sp.community.is_none() || layout.is_core(s) => return None,
                Kind::Rural => h.rural,
                Kind::Town => h.town,
                Kind::Urban => 0.0,
            };
            if !chance(rng, p) {
                return None;
            }
            let full = h.full > 0.0 && chance(rng, h.full);
            let spare = if full {
                0
            } else {
                between(rng, h.spare.0, h.spare.1)
            };
            Some(incoming[s] + spare as u32)
        })
        .collect()
}
