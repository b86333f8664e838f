//! Each 走教 teacher's week: a Monday-to-Friday grid of the stops of each day, the
//! subjects taught there, periods, and each leg's distance and time.

use std::fmt::Write;

use super::escape::{esc, school_label};
use super::lang::{weekday_word, Lang};
use super::roster::{subjects_text, taught_at, taught_on_trips};
use crate::domain::{Dataset, TeacherIx};
use crate::plan::{Day, Plan};

pub(super) fn timetables(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"timetables\">\n<h2>{}</h2>",
        l.pick("走教周课表", "Weekly 走教 timetables")
    );
    let mut any = false;
    for t in ds.teacher_ixs() {
        let days = match plan.routes.get(t.ix()) {
            Some(d) if !d.is_empty() => d,
            _ => continue,
        };
        any = true;
        let te = ds.teacher(t);
        let km: f64 = days.iter().map(|d| d.trip.km).sum();
        // The subjects taught on the trips, which need not be the main subject.
        let _ = writeln!(
            h,
            "<h3>{} {} · {} {} · {} {}</h3>\n<p class=\"muted\">{} {:.1} {}</p>\n<table class=\"tt\">\n<tr>",
            esc(&te.id),
            esc(&te.name),
            l.pick("走教", "teaches"),
            esc(&subjects_text(ds, &taught_on_trips(plan, t, days), l)),
            l.pick("从", "from"),
            school_label(ds, days[0].trip.home),
            l.pick("每周里程", "Weekly distance"),
            km,
            l.pick("公里", "km")
        );
        for wd in 1..=5u8 {
            let _ = write!(h, "<th>{}</th>", weekday_word(wd, l));
        }
        h.push_str("</tr>\n<tr>");
        for wd in 1..=5u8 {
            day_cell(h, ds, plan, t, days.iter().filter(|d| d.weekday == wd), l);
        }
        h.push_str("</tr>\n</table>\n");
    }
    if !any {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{}</p>",
            l.pick("本计划没有走教。", "No 走教 trips in this plan.")
        );
    }
    h.push_str("</section>\n");
}

/// One weekday of a teacher's week: each stop with the subjects and periods taught there
/// and the leg to it, then the way home; 本校 on a day without a trip.
fn day_cell<'a>(
    h: &mut String,
    ds: &Dataset,
    plan: &Plan,
    t: TeacherIx,
    today: impl Iterator<Item = &'a Day>,
    l: Lang,
) {
    let (km, min) = (l.pick("公里", "km"), l.pick("分钟", "min"));
    let mut any = false;
    for d in today {
        if !any {
            h.push_str("<td>");
            any = true;
        }
        let n = d.stops.len();
        for (i, s) in d.stops.iter().enumerate() {
            if i + 1 == n {
                let _ = write!(
                    h,
                    "<div class=\"muted\">{} {} ({:.1} {km}, {:.0} {min})</div>",
                    l.pick("返回", "back to"),
                    esc(&ds.school(s.school).id),
                    s.leg.km,
                    s.leg.minutes,
                );
            } else {
                let _ = write!(
                    h,
                    "<div>{} · {} {}{} <span class=\"muted\">({:.1} {km}, {:.0} {min})</span></div>",
                    school_label(ds, s.school),
                    esc(&subjects_text(ds, &taught_at(plan, t, s.school), l)),
                    s.periods,
                    l.pick(" 节", " periods"),
                    s.leg.km,
                    s.leg.minutes,
                );
            }
        }
    }
    if any {
        h.push_str("</td>");
    } else {
        let _ = write!(
            h,
            "<td class=\"muted\">{}</td>",
            l.pick("本校", "home school")
        );
    }
}
