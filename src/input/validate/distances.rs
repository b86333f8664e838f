//! The distances a plan needs (`needed_pairs`): each given once, never from a school to
//! itself, or derivable from coordinates (docs/errors.md, E0309-E0311).

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{Scope, Stages, Status};
use crate::input::records::SchoolRec;
use crate::input::table::diag;
use crate::input::Diagnostic;

use super::{Ids, Records, DISTANCES, SCHOOLS};

/// Unordered school pairs (record indices, smaller first) whose travel the model needs:
/// core–member pairs of a community, and itinerant stops (MODEL.md "Itinerant trips").
pub(super) fn needed_pairs(r: &Records, ids: &Ids) -> BTreeMap<(usize, usize), &'static str> {
    let mut need = BTreeMap::new();
    core_member_pairs(r, ids, &mut need);
    let it = &r.policy.itinerant;
    if it.max_days == 0 || it.subjects.is_empty() {
        return need;
    }
    let wanted = wanted_by_subject(r, ids);
    for (h, stage, k) in travellers(r, ids) {
        let stops: BTreeSet<usize> = k
            .iter()
            .flat_map(|k| wanted.get(k).into_iter().flatten().copied())
            .collect();
        for s in stops {
            let overlaps = r.schools[s].stage.is_some_and(|ss| ss.overlaps(stage));
            let in_scope = it.scope == Scope::County
                || (community_of(r, h).is_some() && community_of(r, h) == community_of(r, s));
            if s != h && overlaps && in_scope {
                add(&mut need, h, s, "an itinerant stop");
            }
        }
    }
    need
}

/// The pair (a, b) needed for `why`, unless a reason is already known.
fn add(need: &mut BTreeMap<(usize, usize), &'static str>, a: usize, b: usize, why: &'static str) {
    if a != b {
        need.entry((a.min(b), a.max(b))).or_insert(why);
    }
}

fn community_of(r: &Records, s: usize) -> Option<&str> {
    r.schools[s].community.as_ref().map(|a| a.v.as_str())
}

/// Each community's cores with each of its members.
fn core_member_pairs(r: &Records, ids: &Ids, need: &mut BTreeMap<(usize, usize), &'static str>) {
    for c in &r.communities {
        let (Some(cid), Some(core)) = (&c.id, &c.core) else {
            continue;
        };
        let cores: BTreeSet<usize> = core
            .v
            .iter()
            .filter_map(|id| ids.school.get(id).copied())
            .filter(|&s| community_of(r, s) == Some(cid.v.as_str()))
            .collect();
        for m in (0..r.schools.len()).filter(|&s| community_of(r, s) == Some(cid.v.as_str())) {
            if ids.school.get(school_id(&r.schools[m])) == Some(&m) && !cores.contains(&m) {
                for &k in &cores {
                    add(need, k, m, "a core–member pair");
                }
            }
        }
    }
}

/// The schools with demand > 0, by subject.
fn wanted_by_subject<'r>(r: &'r Records, ids: &Ids) -> BTreeMap<&'r str, BTreeSet<usize>> {
    let mut wanted: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for x in &r.demand {
        if let (Some(s), Some(k), Some(p)) = (&x.school, &x.subject, x.periods) {
            if let (Some(&si), true) = (ids.school.get(&s.v), p > 0) {
                wanted.entry(k.v.as_str()).or_default().insert(si);
            }
        }
    }
    wanted
}

/// Distinct (home, stages, itinerant subjects) of active teachers who teach an itinerant
/// subject: enough to find the pairs.
fn travellers<'r>(r: &'r Records, ids: &Ids) -> BTreeSet<(usize, Stages, Vec<&'r str>)> {
    let it = &r.policy.itinerant;
    let mut kinds: BTreeSet<(usize, Stages, Vec<&str>)> = BTreeSet::new();
    for t in r.teachers.iter().filter(|t| t.status == Status::Active) {
        let Some(h) = t
            .school
            .as_ref()
            .and_then(|a| ids.school.get(&a.v).copied())
        else {
            continue;
        };
        let Some(stage) = t.stage.as_ref().map(|a| a.v).or(r.schools[h].stage) else {
            continue;
        };
        let k: Vec<&str> = t
            .subject
            .iter()
            .chain(&t.extra_subjects)
            .map(String::as_str)
            .filter(|k| it.subjects.iter().any(|s| s == k))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !k.is_empty() {
            kinds.insert((h, stage, k));
        }
    }
    kinds
}

fn school_id(s: &SchoolRec) -> &str {
    s.id.as_ref().map_or("", |a| a.v.as_str())
}

/// A needed pair has a row in distances.csv or coordinates at both ends. One diagnostic
/// per school lacking coordinates, so a county without any prints one line per school.
pub(super) fn check_e0309_distance_not_derivable(r: &Records, ids: &Ids, d: &mut Vec<Diagnostic>) {
    // Cells, not parsed values: an unreadable lat already has its own error.
    let has_coords = |s: usize| r.schools[s].lat_cell && r.schools[s].lon_cell;
    if (0..r.schools.len()).all(has_coords) {
        return;
    }
    let mut given = BTreeSet::new();
    for x in &r.distances {
        let (Some(a), Some(b)) = (&x.from, &x.to) else {
            continue;
        };
        if let (Some(&a), Some(&b)) = (ids.school.get(&a.v), ids.school.get(&b.v)) {
            given.insert((a.min(b), a.max(b)));
        }
    }
    // Per school lacking coordinates: (count, first example pair, why).
    let mut missing: BTreeMap<usize, (usize, usize, &str)> = BTreeMap::new();
    for ((a, b), why) in needed_pairs(r, ids) {
        if given.contains(&(a, b)) || (has_coords(a) && has_coords(b)) {
            continue;
        }
        for (s, other) in [(a, b), (b, a)] {
            if !has_coords(s) {
                missing.entry(s).or_insert((0, other, why)).0 += 1;
            }
        }
    }
    for (s, (n, other, why)) in missing {
        let rec = &r.schools[s];
        let col = r.school_lat_col.unwrap_or(1);
        d.push(diag(
            SCHOOLS,
            rec.line,
            col,
            "E0309",
            format!(
                "school `{}` has no lat/lon and {n} needed distance(s) are not in {DISTANCES}, e.g. to `{}` ({why})",
                school_id(rec),
                school_id(&r.schools[other])
            ),
            format!("lat and lon for `{}`, or rows in {DISTANCES}", school_id(rec)),
        ));
    }
}

/// A (from, to) pair is given once.
pub(super) fn check_e0310_duplicate_distance(r: &Records, d: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for x in &r.distances {
        let (Some(a), Some(b)) = (&x.from, &x.to) else {
            continue;
        };
        if let Some(first) = seen.get(&(a.v.as_str(), b.v.as_str())) {
            d.push(diag(
                DISTANCES,
                x.line,
                a.col,
                "E0310",
                format!(
                    "second row from `{}` to `{}` (first on line {first})",
                    a.v, b.v
                ),
                "one row per ordered pair",
            ));
        } else {
            seen.insert((&a.v, &b.v), x.line);
        }
    }
}

/// from ≠ to in distances.csv.
pub(super) fn check_e0311_distance_to_itself(r: &Records, d: &mut Vec<Diagnostic>) {
    for x in &r.distances {
        if let (Some(a), Some(b)) = (&x.from, &x.to) {
            if a.v == b.v {
                d.push(diag(
                    DISTANCES,
                    b.line,
                    b.col,
                    "E0311",
                    format!("a distance from `{}` to itself", a.v),
                    "two different schools",
                ));
            }
        }
    }
}
