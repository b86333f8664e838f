//! The coverage section: a heat map of school × subject, periods covered before and
//! after the plan against demand, and the schools still short.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::escape::{esc, school_label};
use super::lang::Lang;
use crate::domain::{Dataset, SchoolIx, SubjectIx};
use crate::plan::{CoverageRow, Plan};

/// Subjects in report order: the 走教 subjects (音乐/体育/美术) in policy order first,
/// then the rest by name, each once.
pub(super) fn ordered_subjects(ds: &Dataset, mut present: Vec<SubjectIx>) -> Vec<SubjectIx> {
    present.sort();
    present.dedup();
    let order = |k: &SubjectIx| ds.policy.itinerant.report_order(ds.subject_name(*k));
    present.sort_by(|a, b| order(a).cmp(&order(b)));
    present
}

/// The coverage section: the heat map with its totals row, then the schools still short.
pub(super) fn coverage(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"coverage\">\n<h2>{}</h2>\n<p class=\"muted\">{}</p>",
        l.pick("课时覆盖：交流前后", "Coverage before and after"),
        l.pick(
            "每格：交流前已覆盖 → 交流后已覆盖 / 需求课时（每周）；颜色按交流后仍缺的比例。",
            "Each cell: periods covered before → after / demanded (a week); colour by the share still unmet after the plan."
        )
    );
    let grid = Grid::of(ds, plan);
    heat_map(h, ds, plan, &grid, l);
    still_short(h, ds, plan, &grid, l);
    h.push_str("</section>\n");
}

/// The coverage rows by (school, subject), the schools in the plan's order, the subjects
/// in report order.
struct Grid<'a> {
    cells: BTreeMap<(SchoolIx, SubjectIx), &'a CoverageRow>,
    schools: Vec<SchoolIx>,
    subjects: Vec<SubjectIx>,
}

impl<'a> Grid<'a> {
    fn of(ds: &Dataset, plan: &'a Plan) -> Self {
        let subjects = ordered_subjects(ds, plan.coverage.iter().map(|c| c.subject).collect());
        let mut cells = BTreeMap::new();
        let mut schools: Vec<SchoolIx> = Vec::new();
        for c in &plan.coverage {
            cells.insert((c.school, c.subject), c);
            if schools.last() != Some(&c.school) && !schools.contains(&c.school) {
                schools.push(c.school);
            }
        }
        Grid {
            cells,
            schools,
            subjects,
        }
    }
}

/// The table: a cell per school and subject, and unmet periods per subject in all.
fn heat_map(h: &mut String, ds: &Dataset, plan: &Plan, g: &Grid, l: Lang) {
    h.push_str("<table class=\"heat\">\n<tr><th>");
    h.push_str(l.pick("学校", "School"));
    h.push_str("</th>");
    for k in &g.subjects {
        let _ = write!(h, "<th>{}</th>", esc(ds.subject_name(*k)));
    }
    h.push_str("</tr>\n");
    for s in &g.schools {
        let _ = write!(h, "<tr><th>{}</th>", school_label(ds, *s));
        for k in &g.subjects {
            match g.cells.get(&(*s, *k)) {
                None => h.push_str("<td class=\"na\">—</td>"),
                Some(c) => cell(h, ds, c, l),
            }
        }
        h.push_str("</tr>\n");
    }
    // Unmet periods per subject, before and after.
    let _ = write!(h, "<tr><th>{}</th>", l.pick("缺口合计", "Unmet in total"));
    for k in &g.subjects {
        let (b, a) = plan
            .coverage
            .iter()
            .filter(|c| c.subject == *k)
            .fold((0, 0), |(b, a), c| (b + c.unmet_before, a + c.unmet));
        let _ = write!(h, "<td>{b} → <b>{a}</b></td>");
    }
    h.push_str("</tr>\n</table>\n");
}

/// One cell: covered before → after / demanded, coloured by the share still unmet.
fn cell(h: &mut String, ds: &Dataset, c: &CoverageRow, l: Lang) {
    let share = c.unmet as f64 / c.demand.max(1) as f64;
    let cls = if c.unmet == 0 {
        "h0"
    } else if share <= 0.25 {
        "h1"
    } else if share <= 0.6 {
        "h2"
    } else {
        "h3"
    };
    let _ = write!(
        h,
        "<td class=\"{cls}\" title=\"{}\">{} → <b>{}</b> / {}</td>",
        esc(&format!(
            "{} {}: {} {} → {}",
            ds.school(c.school).id,
            ds.subject_name(c.subject),
            l.pick("缺口", "unmet"),
            c.unmet_before,
            c.unmet
        )),
        c.demand - c.unmet_before.min(c.demand),
        c.covered,
        c.demand
    );
}

/// The schools still short after the plan, with their unmet periods by subject.
fn still_short(h: &mut String, ds: &Dataset, plan: &Plan, g: &Grid, l: Lang) {
    let short: Vec<SchoolIx> = (g.schools.iter().copied())
        .filter(|s| plan.coverage.iter().any(|c| c.school == *s && c.unmet > 0))
        .collect();
    if short.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"ok\">{}</p>",
            l.pick(
                "所有需求课时均已覆盖。",
                "Every demanded period is covered."
            )
        );
        return;
    }
    let _ = writeln!(
        h,
        "<p><b>{}</b></p>\n<ul class=\"short\">",
        l.pick("仍有缺口的学校", "Schools still short")
    );
    for s in short {
        let parts: Vec<String> = (g.subjects.iter())
            .filter_map(|k| g.cells.get(&(s, *k)))
            .filter(|c| c.unmet > 0)
            .map(|c| {
                format!(
                    "{} {}{}",
                    esc(ds.subject_name(c.subject)),
                    c.unmet,
                    l.pick(" 节", " periods")
                )
            })
            .collect();
        let _ = writeln!(h, "<li>{}: {}</li>", school_label(ds, s), parts.join(", "));
    }
    h.push_str("</ul>\n");
}
