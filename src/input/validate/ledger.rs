//! Checks of the rotation ledger and of requests (docs/errors.md, "Rotation ledger").

use std::collections::BTreeMap;

use crate::input::table::diag;
use crate::input::Diagnostic;

use super::{Ids, Records, LEDGER, REQUESTS};

/// No ledger term starts after the plan year.
pub(super) fn check_e0401_ledger_starts_after_plan(r: &Records, d: &mut Vec<Diagnostic>) {
    let y = i64::from(r.policy.plan_year);
    for l in &r.ledger {
        if let Some(s) = l.start_year.as_ref().filter(|s| s.v > y) {
            d.push(diag(
                LEDGER,
                s.line,
                s.col,
                "E0401",
                format!("start_year {} is after the plan year {y}", s.v),
                format!("start_year ≤ {y}"),
            ));
        }
    }
}

/// end_year ≥ start_year.
pub(super) fn check_e0402_ledger_ends_before_start(r: &Records, d: &mut Vec<Diagnostic>) {
    for l in &r.ledger {
        if let (Some(s), Some(e)) = (&l.start_year, &l.end_year) {
            if e.v < s.v {
                d.push(diag(
                    LEDGER,
                    e.line,
                    e.col,
                    "E0402",
                    format!("end_year {} is before start_year {}", e.v, s.v),
                    format!("end_year ≥ {}", s.v),
                ));
            }
        }
    }
}

/// Two terms of one teacher do not share a year.
pub(super) fn check_e0403_ledger_overlap(r: &Records, d: &mut Vec<Diagnostic>) {
    let mut by_teacher: BTreeMap<&str, Vec<(i64, i64, usize, usize)>> = BTreeMap::new();
    for l in &r.ledger {
        if let (Some(t), Some(s), Some(e)) = (&l.teacher, &l.start_year, &l.end_year) {
            if e.v >= s.v {
                by_teacher
                    .entry(&t.v)
                    .or_default()
                    .push((s.v, e.v, l.line, s.col));
            }
        }
    }
    for (t, mut terms) in by_teacher {
        terms.sort();
        // Against the latest-ending earlier term, so A⊃B⊃C reports B and C once each.
        let mut reach: Option<(i64, usize)> = None;
        for &(s, e, line, col) in &terms {
            if let Some((end, other)) = reach.filter(|&(end, _)| s <= end) {
                d.push(diag(
                    LEDGER,
                    line,
                    col,
                    "E0403",
                    format!(
                        "teacher `{t}`: this term overlaps the one on line {other} (ending {end})"
                    ),
                    format!("start_year > {end}"),
                ));
            }
            if reach.is_none_or(|(end, _)| e > end) {
                reach = Some((e, line));
            }
        }
    }
}

/// A ledger row's `from` is the teacher's home school.
pub(super) fn check_e0404_ledger_from_not_home(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
    for l in &r.ledger {
        let (Some(t), Some(from)) = (&l.teacher, &l.from) else {
            continue;
        };
        let Some(&ti) = ids.teacher.get(&t.v) else {
            continue;
        };
        let Some(home) = &r.teachers[ti].school else {
            continue;
        };
        if from.v != home.v {
            d.push(diag(
                LEDGER,
                from.line,
                from.col,
                "E0404",
                format!("from `{}` is not the home school of `{}`", from.v, t.v),
                format!("`{}`", home.v),
            ));
        }
    }
}

/// A rotation goes somewhere else: to ≠ from.
pub(super) fn check_e0405_ledger_to_home(r: &Records, d: &mut Vec<Diagnostic>) {
    for l in &r.ledger {
        if let (Some(from), Some(to)) = (&l.from, &l.to) {
            if from.v == to.v {
                d.push(diag(
                    LEDGER,
                    to.line,
                    to.col,
                    "E0405",
                    format!("to `{}` is the same school as from", to.v),
                    "a school other than from",
                ));
            }
        }
    }
}

/// A teacher request names its subject; a cadre request names none (a cadre is asked for
/// to help run the school, whatever they teach).
pub(super) fn check_e0406_request_subject(r: &Records, d: &mut Vec<Diagnostic>) {
    for x in &r.requests {
        let Some(cadre) = &x.cadre else { continue };
        match (&x.subject, cadre.v) {
            (None, false) => d.push(diag(
                REQUESTS,
                x.line,
                cadre.col,
                "E0406",
                "a teacher request names no subject".to_owned(),
                "the subject asked for, e.g. 音乐",
            )),
            (Some(k), true) => d.push(diag(
                REQUESTS,
                k.line,
                k.col,
                "E0406",
                format!("a cadre request names a subject `{}`", k.v),
                "an empty subject for a cadre (干部) request",
            )),
            _ => {}
        }
    }
}

/// Nobody rotates before they teach: a term starting before the hire year is warned of,
/// not refused. Counties' own ledgers have such rows (each of ../shared/instances has
/// 12-18: a hire year that is the year of the current post, or a typing slip); the term
/// itself is what the plan needs, and refusing the county would leave it without a plan.
pub(super) fn check_w0401_ledger_before_hire(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
    for l in &r.ledger {
        let (Some(t), Some(s)) = (&l.teacher, &l.start_year) else {
            continue;
        };
        let hired = ids
            .teacher
            .get(&t.v)
            .and_then(|&i| r.teachers[i].hire_year.as_ref());
        if let Some(h) = hired.filter(|h| s.v < h.v) {
            d.push(diag(
                LEDGER,
                s.line,
                s.col,
                "W0401",
                format!(
                    "a term from {} of `{}`, hired in {}: kept as written",
                    s.v, t.v, h.v
                ),
                format!("start_year ≥ {}", h.v),
            ));
        }
    }
}

/// A term the plan sees (under way or ending) lasts at most term_years +
/// max_extension_years: 2025-2099 would lock a teacher for life.
pub(super) fn check_e0408_ledger_too_long(r: &Records, d: &mut Vec<Diagnostic>) {
    let rot = &r.policy.rotation;
    let most = i64::from(rot.term_years) + i64::from(rot.max_extension_years);
    let y = i64::from(r.policy.plan_year);
    for l in &r.ledger {
        let (Some(s), Some(e)) = (&l.start_year, &l.end_year) else {
            continue;
        };
        if e.v >= y - 1 && e.v - s.v + 1 > most {
            d.push(diag(
                LEDGER,
                e.line,
                e.col,
                "E0408",
                format!(
                    "a term of {} school years ({}-{}), longer than term_years {} + max_extension_years {}",
                    e.v - s.v + 1,
                    s.v,
                    e.v,
                    rot.term_years,
                    rot.max_extension_years
                ),
                format!("end_year ≤ {}", s.v + most - 1),
            ));
        }
    }
}
