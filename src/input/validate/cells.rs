//! Checks of one row's cells together, and of cells as written whatever the column
//! (docs/errors.md, "Cells and rows").

use std::collections::BTreeSet;

use crate::input::table::{diag, parse_decimal, split_list, Table};
use crate::input::Diagnostic;
use crate::limits::MAX_TEACHER_AGE;

use super::{Records, COMMUNITIES, SCHOOLS, TEACHERS};

/// A teacher's age in the plan year is one a school employs.
pub(super) fn check_e0210_implausible_age(r: &Records, d: &mut Vec<Diagnostic>) {
    let y = i64::from(r.policy.plan_year);
    for b in r.teachers.iter().filter_map(|t| t.birth_year.as_ref()) {
        if y - b.v > MAX_TEACHER_AGE {
            d.push(diag(
                TEACHERS,
                b.line,
                b.col,
                "E0210",
                format!("a teacher of {} in the plan year {y}", y - b.v),
                format!(
                    "birth_year ≥ {} (at most {MAX_TEACHER_AGE} years old)",
                    y - MAX_TEACHER_AGE
                ),
            ));
        }
    }
}

/// Ids are one word: a space inside one is a typing slip that makes two rows look alike
/// to a person and differ to the planner.
pub(super) fn check_e0211_id_with_space(r: &Records, d: &mut Vec<Diagnostic>) {
    let schools = r.schools.iter().map(|s| (SCHOOLS, s.id.as_ref()));
    let communities = r.communities.iter().map(|c| (COMMUNITIES, c.id.as_ref()));
    let teachers = r.teachers.iter().map(|t| (TEACHERS, t.id.as_ref()));
    for (file, id) in schools.chain(communities).chain(teachers) {
        // Line breaks and tabs are control characters: E0212 says so.
        let space = |c: char| c.is_whitespace() && !c.is_control();
        if let Some(a) = id.filter(|a| a.v.chars().any(space)) {
            d.push(diag(
                file,
                a.line,
                a.col,
                "E0211",
                format!("id `{}` has a space inside", a.v.escape_debug()),
                "an id of letters, digits and signs such as - _ . without spaces",
            ));
        }
    }
}

/// Cells a spreadsheet would run or mangle: a formula sign first (`=HYPERLINK(…)` becomes
/// live when the plan's CSV is opened), or a control character (NUL, a line break). Numbers
/// (`-3`) and a sign alone are not formulas.
pub(super) fn check_e0212_formula_or_control(t: &Table, d: &mut Vec<Diagnostic>) {
    for row in &t.rows {
        for (i, cell) in row.cells.iter().enumerate() {
            // A sign alone ("-" for none) is text to a spreadsheet too.
            let formula = cell.len() > 1
                && cell.starts_with(['=', '+', '-', '@'])
                && parse_decimal(cell).is_none();
            let control = cell.chars().any(char::is_control);
            if formula || control {
                let why = if control {
                    "holds a control character (a line break, tab or NUL)"
                } else {
                    "starts with a sign a spreadsheet takes for a formula"
                };
                let shown: String = cell.chars().take(40).collect();
                t.budget.push(
                    d,
                    diag(
                        &t.file,
                        row.line,
                        i + 1,
                        "E0212",
                        format!("`{}` {why}", shown.escape_debug()),
                        "text without control characters, not starting with = + - @",
                    ),
                );
            }
        }
    }
}

/// "语 文" is almost always 语文 mistyped: said once per name, not made a subject silently.
pub(super) fn check_w0201_subject_with_space(t: &Table, d: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for col in ["subject", "extra_subjects"] {
        let Some(c) = t.column(col) else { continue };
        for row in &t.rows {
            let cell = row.cells.get(c - 1).map_or("", String::as_str);
            for k in split_list(cell) {
                if k.contains(char::is_whitespace) && seen.insert(k.clone()) {
                    let joined: String = k.split_whitespace().collect();
                    t.budget.push(
                        d,
                        diag(
                            &t.file,
                            row.line,
                            c,
                            "W0201",
                            format!("subject `{k}` has a space inside: it is read as a subject of its own"),
                            format!("a subject name without spaces, e.g. `{joined}`"),
                        ),
                    );
                }
            }
        }
    }
}

/// The youngest age at which anyone starts teaching.
pub(super) const MIN_HIRE_AGE: i64 = 16;

/// hire_year ≥ birth_year + 16.
pub(super) fn check_e0207_hired_too_young(r: &Records, d: &mut Vec<Diagnostic>) {
    for t in &r.teachers {
        if let (Some(b), Some(h)) = (&t.birth_year, &t.hire_year) {
            if h.v < b.v + MIN_HIRE_AGE {
                d.push(diag(
                    TEACHERS,
                    h.line,
                    h.col,
                    "E0207",
                    format!(
                        "hire_year {} is less than {MIN_HIRE_AGE} years after birth_year {}",
                        h.v, b.v
                    ),
                    format!("hire_year ≥ {}", b.v + MIN_HIRE_AGE),
                ));
            }
        }
    }
}

/// school_since ≥ hire_year: nobody teaches at a school before teaching at all.
pub(super) fn check_e0208_school_since_before_hire(r: &Records, d: &mut Vec<Diagnostic>) {
    for t in &r.teachers {
        if let (Some(h), Some(s)) = (&t.hire_year, &t.school_since) {
            if s.v < h.v {
                d.push(diag(
                    TEACHERS,
                    s.line,
                    s.col,
                    "E0208",
                    format!("school_since {} is before hire_year {}", s.v, h.v),
                    format!("school_since ≥ {}", h.v),
                ));
            }
        }
    }
}

/// lat and lon are given together or not at all.
pub(super) fn check_e0209_half_coordinates(r: &Records, d: &mut Vec<Diagnostic>) {
    for s in &r.schools {
        if s.lat_cell != s.lon_cell {
            let missing = if s.lat_cell { "lon" } else { "lat" };
            let col = if s.lat_cell {
                s.lat.as_ref().map(|a| a.col)
            } else {
                s.lon.as_ref().map(|a| a.col)
            };
            d.push(diag(
                SCHOOLS,
                s.line,
                col.or(r.school_lat_col).unwrap_or(1),
                "E0209",
                format!("only one of lat/lon is given ({missing} is empty)"),
                "both lat and lon, or neither",
            ));
        }
    }
}
