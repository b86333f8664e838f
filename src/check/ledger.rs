//! ledger.csv: the input ledger's rows in input order (the extended ones with end_year = Y
//! and extend = no), then one row per new move (teacher, home, host, Y, Y, no) sorted by
//! teacher id.

use super::assignments::Place;
use super::facts::{Facts, Term};
use super::files::{Kind, LedgerRow};
use super::{codes, Sink};
use crate::domain::Dataset;

/// Checks ledger.csv row by row against the ledger the plan makes (`expected`).
pub(crate) fn check(
    ds: &Dataset,
    f: &[Facts],
    places: &[Place],
    rows: &[LedgerRow],
    read: bool,
    sink: &mut Sink,
) {
    if !read {
        return;
    }
    let want = expected(ds, f, places);
    let show = |r: &[String; 6]| r.join(",");
    for (i, w) in want.iter().enumerate() {
        match rows.get(i) {
            Some(r) if &r.fields == w => {}
            Some(r) => sink.push(
                codes::LEDGER,
                format!(
                    "ledger.csv:{}: the row is `{}` but should be `{}`",
                    r.line,
                    show(&r.fields),
                    show(w)
                ),
            ),
            None => sink.push(
                codes::LEDGER,
                format!(
                    "ledger.csv lacks the row `{}` (row {} of {})",
                    show(w),
                    i + 1,
                    want.len()
                ),
            ),
        }
    }
    for r in rows.iter().skip(want.len()) {
        sink.push(
            codes::LEDGER,
            format!(
                "ledger.csv:{}: the row `{}` is neither an input row nor a rotation of this plan",
                r.line,
                show(&r.fields)
            ),
        );
    }
}

/// The ledger's rows as the plan makes them (see the module doc), as written fields.
fn expected(ds: &Dataset, f: &[Facts], places: &[Place]) -> Vec<[String; 6]> {
    let y = ds.policy.plan_year;
    let sid = |s: crate::domain::SchoolIx| ds.schools[s.ix()].id.clone();
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let mut want: Vec<[String; 6]> = Vec::new();
    for (i, e) in ds.ledger.iter().enumerate() {
        let t = e.teacher.ix();
        let extended = matches!(
            places[t],
            Place::Away {
                kind: Kind::Extension,
                ..
            }
        ) && matches!(f[t].term, Term::Ending { .. })
            && f[t].last_row == Some(i);
        let (end, extend) = if extended {
            (y, false)
        } else {
            (e.end_year, e.extend)
        };
        want.push([
            ds.teachers[t].id.clone(),
            sid(e.from),
            sid(e.to),
            e.start_year.to_string(),
            end.to_string(),
            yes_no(extend),
        ]);
    }
    let mut new: Vec<[String; 6]> = Vec::new();
    for (t, p) in places.iter().enumerate() {
        if let Some(host) = p.new_move() {
            let te = &ds.teachers[t];
            let year = y.to_string();
            new.push([
                te.id.clone(),
                sid(te.home),
                sid(host),
                year.clone(),
                year,
                yes_no(false),
            ]);
        }
    }
    new.sort();
    want.extend(new);
    want
}
