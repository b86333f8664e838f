//! One page per school, to hand to its principal: who leaves (派出), who comes (接收) and
//! the 走教 days to and from it. Each page starts a printed page; `report.html#school-ID`
//! prints that page alone (style.rs).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::escape::{esc, school_label};
use super::lang::{kind_word, school_kind_word, weekday_word, Lang};
use super::roster::{person, person_headers, school_list, subjects_text, taught_at, SchoolList};
use super::words::{school_year, term};
use crate::domain::{Dataset, SchoolIx, TeacherIx};
use crate::plan::{Assignment, Day, Plan};

/// The anchor of a school's page.
pub fn anchor(ds: &Dataset, s: SchoolIx) -> String {
    format!("school-{}", ds.school(s).id)
}

/// Schools in the order of their communities, cores first, then the schools of no
/// community.
fn ordered(ds: &Dataset) -> Vec<SchoolIx> {
    let mut out: Vec<SchoolIx> = ds
        .communities
        .iter()
        .flat_map(|c| c.core.iter().chain(&c.members).copied())
        .collect();
    out.extend(
        ds.school_ixs()
            .filter(|s| ds.school(*s).community.is_none()),
    );
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|s| seen.insert(*s));
    out
}

pub(super) fn schools(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"schools\">\n<h2>{}</h2>\n<p class=\"muted noprint\">{}</p>\n<p class=\"school-index noprint\">",
        l.pick("各校交流安排（每校一页）", "Each school's page"),
        l.pick(
            "打印整份报告时，每所学校另起一页。只打印一所学校：先点击下面的校名，再打印。",
            "Printing the report starts each school on a new page. To print one school alone, click its name below (the address becomes report.html#school-ID), then print."
        )
    );
    let order = ordered(ds);
    for &s in &order {
        let _ = write!(
            h,
            "<a href=\"#{}\">{}</a> ",
            esc(&anchor(ds, s)),
            school_label(ds, s)
        );
    }
    h.push_str("</p>\n");
    for s in order {
        page(h, ds, plan, s, l);
    }
    h.push_str("</section>\n");
}

fn page(h: &mut String, ds: &Dataset, plan: &Plan, s: SchoolIx, l: Lang) {
    let sc = ds.school(s);
    let role = if ds.is_core(s) {
        l.pick("核心校", "core school")
    } else if sc.community.is_some() {
        l.pick("成员校", "member school")
    } else {
        ""
    };
    let community = sc
        .community
        .map(|c| ds.communities[c.ix()].name.clone())
        .unwrap_or_default();
    let about: Vec<&str> = [community.as_str(), role, school_kind_word(sc.kind, l)]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect();
    let _ = writeln!(
        h,
        "<section class=\"school-page\" id=\"{}\">\n<h3>{} {}</h3>\n<p class=\"muted\">{}</p>",
        esc(&anchor(ds, s)),
        school_label(ds, s),
        esc(&match l {
            Lang::Zh => format!("{}交流轮岗安排", school_year(ds.policy.plan_year, l)),
            Lang::En => format!("exchange, {}", school_year(ds.policy.plan_year, l)),
        }),
        esc(&about.join(" · "))
    );
    let list = school_list(ds, plan, s);
    if list.is_empty() {
        let _ = writeln!(
            h,
            "<p>{}</p>\n</section>",
            l.pick(
                "本学年本校没有交流和走教安排。",
                "Nobody leaves, comes or travels this year."
            )
        );
        return;
    }
    people(h, ds, &list.out, true, l);
    people(h, ds, &list.incoming, false, l);
    trips(h, ds, plan, s, &list, l);
    h.push_str("</section>\n");
}

/// 派出 (`out`) or 接收: a row per teacher with the other school, the kind and the term.
fn people(h: &mut String, ds: &Dataset, lines: &[&Assignment], out: bool, l: Lang) {
    let title = match (out, l) {
        (true, Lang::Zh) => format!("派出：本校教师到外校（{}人）", lines.len()),
        (false, Lang::Zh) => format!("接收：外校教师到本校（{}人）", lines.len()),
        (true, Lang::En) => format!(
            "Leaving: this school's teachers serving elsewhere ({})",
            lines.len()
        ),
        (false, Lang::En) => format!(
            "Coming: teachers of other schools serving here ({})",
            lines.len()
        ),
    };
    let _ = writeln!(h, "<h4>{}</h4>", esc(&title));
    if lines.is_empty() {
        let _ = writeln!(h, "<p class=\"muted\">{}</p>", l.pick("无", "none"));
        return;
    }
    h.push_str("<table class=\"list\">\n<thead><tr>");
    let other = if out {
        l.pick("接收学校", "To")
    } else {
        l.pick("派出学校", "From")
    };
    let head = [l.pick("姓名", "Name")]
        .into_iter()
        .chain(person_headers(l))
        .chain([other, l.pick("类型", "Kind"), l.pick("交流期", "Term")]);
    for c in head {
        let _ = write!(h, "<th>{c}</th>");
    }
    h.push_str("</tr></thead>\n");
    for a in lines {
        let te = ds.teacher(a.teacher);
        let _ = write!(h, "<tr><td>{}</td>", esc(&te.name));
        for c in person(ds, a.teacher, l) {
            let _ = write!(h, "<td>{}</td>", esc(&c));
        }
        let _ = writeln!(
            h,
            "<td>{}</td><td>{}</td><td>{}</td></tr>",
            school_label(ds, if out { a.host } else { te.home }),
            kind_word(a.kind, l),
            esc(&term(a.start_year, a.end_year, l))
        );
    }
    h.push_str("</table>\n");
}

/// 走教 to and from the school: a row per teacher with the subjects taught, the days and
/// the schools, and periods a week.
fn trips(h: &mut String, ds: &Dataset, plan: &Plan, s: SchoolIx, list: &SchoolList, l: Lang) {
    if list.trips_out.is_empty() && list.trips_in.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<h4>{}</h4>\n<table class=\"list\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        l.pick("走教", "走教 trips"),
        l.pick("姓名", "Name"),
        l.pick("方向", "Direction"),
        l.pick("任教学科", "Subject taught"),
        l.pick("星期", "Days"),
        l.pick("学校", "School"),
        l.pick("节/周", "Periods a week"),
    );
    for (out, days) in [(true, &list.trips_out), (false, &list.trips_in)] {
        let mut by_teacher: BTreeMap<TeacherIx, Vec<&Day>> = BTreeMap::new();
        for (t, d) in days.iter() {
            by_teacher.entry(*t).or_default().push(d);
        }
        for (t, days) in by_teacher {
            trip_row(h, ds, plan, s, t, &days, out, l);
        }
    }
    h.push_str("</table>\n");
}

/// One teacher's 走教 seen from school `s`: out from it (every stop) or into it (its
/// stop only).
#[allow(clippy::too_many_arguments)]
fn trip_row(
    h: &mut String,
    ds: &Dataset,
    plan: &Plan,
    s: SchoolIx,
    t: TeacherIx,
    days: &[&Day],
    out: bool,
    l: Lang,
) {
    let stops = |d: &Day| -> Vec<SchoolIx> {
        d.stops
            .iter()
            .filter(|x| x.periods > 0 && (out || x.school == s))
            .map(|x| x.school)
            .collect()
    };
    let mut schools: Vec<SchoolIx> = days.iter().flat_map(|d| stops(d)).collect();
    schools.sort();
    schools.dedup();
    let mut taught = Vec::new();
    for &x in &schools {
        for k in taught_at(plan, t, x) {
            if !taught.contains(&k) {
                taught.push(k);
            }
        }
    }
    let periods: u32 = days
        .iter()
        .flat_map(|d| d.stops.iter())
        .filter(|x| out || x.school == s)
        .map(|x| x.periods)
        .sum();
    let weekdays: Vec<&str> = days.iter().map(|d| weekday_word(d.weekday, l)).collect();
    let place: Vec<String> = if out {
        schools.iter().map(|&x| school_label(ds, x)).collect()
    } else {
        vec![format!(
            "{} {}",
            l.pick("来自", "from"),
            school_label(ds, ds.teacher(t).home)
        )]
    };
    let _ = writeln!(
        h,
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{periods}</td></tr>",
        esc(&ds.teacher(t).name),
        if out { l.pick("外出走教", "out") } else { l.pick("来校走教", "in") },
        esc(&subjects_text(ds, &taught, l)),
        weekdays.join(l.pick("、", ", ")),
        place.join(l.pick("、", ", ")),
    );
}
