//! `report.html`: the plan as one self-contained page for the bureau meeting — a map of
//! the moves and 走教 loops, coverage before and after, the rules, each community's staff
//! before and after, the moves and each 走教 teacher's week. Inline CSS and SVG only: it
//! opens from a USB stick with no network, and the same plan gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write;

pub use super::lang::Lang;
use super::lang::{kind_word, rule_word, school_kind_word, weekday_word, why};
use crate::domain::{Dataset, Placement, SchoolIx, SchoolKind, SubjectIx, TeacherIx};
use crate::plan::{num, status_word, Plan};

/// Escapes text for HTML content and attribute values (names come from user files).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(super) const CSS: &str = "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;margin:0 auto;max-width:1280px;padding:0 16px 40px;color:#222}
h1{font-size:1.6em;margin:16px 0 4px}h2{border-bottom:2px solid #888;padding-bottom:2px;margin-top:32px}h3{margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #bbb;padding:3px 6px;font-size:13px;vertical-align:top}th{background:#eee}
td.n{text-align:right}.ok{color:#1a7f37}.broken{color:#b42318;font-weight:bold}tr.broken td{background:#fdecea}
.mapwrap{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap}.side{font-size:13px;max-width:260px}
.heat td{text-align:center;min-width:64px}.h0{background:#d9f0d3}.h1{background:#fee08b}.h2{background:#f4a582}.h3{background:#d6604d;color:#fff}.na{background:#f6f6f6;color:#aaa}
.muted{color:#777;font-size:13px}.short{color:#b42318}.tt td{min-width:150px}.kpi span{display:inline-block;margin-right:18px}";

const KIND_COLOUR: [(SchoolKind, &str); 3] = [
    (SchoolKind::Urban, "#6a3d9a"),
    (SchoolKind::Town, "#e08214"),
    (SchoolKind::Rural, "#1a9641"),
];
const SUPPORT: &str = "#d62728";
const LEARNING: &str = "#1f77b4";
const TRIP_COLOURS: [&str; 8] = [
    "#17becf", "#bcbd22", "#8c564b", "#e377c2", "#7f7f7f", "#ff7f0e", "#2ca02c", "#9467bd",
];

fn kind_colour(k: SchoolKind) -> &'static str {
    KIND_COLOUR
        .iter()
        .find(|(kind, _)| *kind == k)
        .map_or("#888", |(_, c)| c)
}

/// The whole report.
pub fn report_html(ds: &Dataset, plan: &Plan, lang: Lang) -> String {
    let l = lang;
    let mut h = String::new();
    let title = l.pick("教师交流轮岗计划", "Teacher exchange plan");
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} {}</title>\n<style>\n{}\n</style>\n</head>\n<body>\n",
        l.pick("zh-CN", "en"),
        title,
        ds.policy.plan_year,
        CSS
    );
    let _ = writeln!(h, "<h1>{} {}</h1>", title, ds.policy.plan_year);
    summary(&mut h, plan, l);
    map(&mut h, ds, plan, l);
    coverage(&mut h, ds, plan, l);
    rules(&mut h, ds, plan, l);
    members_and_requests(&mut h, ds, plan, l);
    structure(&mut h, ds, plan, l);
    super::changes::changes_html(&mut h, ds, plan, l);
    moves(&mut h, ds, plan, l);
    timetables(&mut h, ds, plan, l);
    h.push_str("</body>\n</html>\n");
    h
}

fn school_label(ds: &Dataset, s: SchoolIx) -> String {
    esc(&format!("{} {}", ds.school(s).id, ds.school(s).name))
}

fn summary(h: &mut String, plan: &Plan, l: Lang) {
    let c = &plan.counts;
    let status = match status_word(plan.solve.status) {
        "optimal" => l.pick("最优", "optimal"),
        "feasible" => l.pick("可行（达到时间上限）", "feasible (time limit)"),
        _ => l.pick("无方案", "none"),
    };
    let broken = plan.broken_rules().count();
    let _ = writeln!(
        h,
        "<p class=\"kpi\" id=\"summary\"><span>{}: <b>{}</b></span><span>{}: <b>{}</b></span><span>{}: <b>{}</b></span><span>{}: <b>{}</b></span><span>{}: <b>{}</b></span><span>{}: <b>{}</b></span><span>{}: <b>{} → {}</b></span><span>{}: <b class=\"{}\">{}</b></span></p>",
        l.pick("求解状态", "Status"), status,
        l.pick("支教", "Support"), c.support,
        l.pick("跟岗", "Learning"), c.learning,
        l.pick("延期", "Extension"), c.extension,
        l.pick("续任", "Continuing"), c.continuing,
        l.pick("走教人天/周", "走教 trip-days a week"), c.trip_days,
        l.pick("缺口课时（计划前 → 后）", "Unmet periods (before → after)"), c.unmet_periods_before, c.unmet_periods,
        l.pick("未达标规则", "Rules broken"), if broken == 0 { "ok" } else { "broken" }, broken,
    );
    let _ = writeln!(
        h,
        "<p class=\"muted\">{}: {}</p>",
        l.pick("目标值", "Objective"),
        num(plan.objective)
    );
}

// ---------------------------------------------------------------- map

const MAP_W: f64 = 820.0;
const MAP_H: f64 = 620.0;
const PAD: f64 = 50.0;
const LEGEND_W: f64 = 190.0;

/// Equirectangular projection of the schools with coordinates onto the map box.
fn project(ds: &Dataset) -> Vec<Option<(f64, f64)>> {
    let ll: Vec<Option<(f64, f64)>> = ds
        .schools
        .iter()
        .map(|s| match (s.lat, s.lon) {
            (Some(a), Some(o)) if a.is_finite() && o.is_finite() => Some((a, o)),
            _ => None,
        })
        .collect();
    let known: Vec<(f64, f64)> = ll.iter().flatten().copied().collect();
    if known.is_empty() {
        return ll;
    }
    let fold = |f: fn(f64, f64) -> f64, init: f64, g: fn(&(f64, f64)) -> f64| {
        known.iter().map(g).fold(init, f)
    };
    let (lat0, lat1) = (
        fold(f64::min, f64::INFINITY, |p| p.0),
        fold(f64::max, f64::NEG_INFINITY, |p| p.0),
    );
    let (lon0, lon1) = (
        fold(f64::min, f64::INFINITY, |p| p.1),
        fold(f64::max, f64::NEG_INFINITY, |p| p.1),
    );
    let k = ((lat0 + lat1) / 2.0).to_radians().cos().abs().max(0.01);
    let dx = ((lon1 - lon0) * k).max(1e-6);
    let dy = (lat1 - lat0).max(1e-6);
    let scale = ((MAP_W - 2.0 * PAD) / dx).min((MAP_H - 2.0 * PAD) / dy);
    // Centre the drawing in the box.
    let ox = (MAP_W - dx * scale) / 2.0;
    let oy = (MAP_H - dy * scale) / 2.0;
    ll.into_iter()
        .map(|p| p.map(|(a, o)| (ox + (o - lon0) * k * scale, oy + (lat1 - a) * scale)))
        .collect()
}

/// Convex hull (monotone chain), counter-clockwise.
fn hull(mut pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    pts.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut lower: Vec<(f64, f64)> = Vec::new();
    for &p in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], p) <= 0.0 {
            lower.pop();
        }
        lower.push(p);
    }
    let mut upper: Vec<(f64, f64)> = Vec::new();
    for &p in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], p) <= 0.0 {
            upper.pop();
        }
        upper.push(p);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

fn f1(x: f64) -> String {
    format!("{x:.1}")
}

fn map(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let pos = project(ds);
    let _ = writeln!(
        h,
        "<h2>{}</h2>",
        l.pick("学校与交流地图", "Map of schools and moves")
    );
    h.push_str("<div class=\"mapwrap\">\n");
    let _ = writeln!(
        h,
        "<svg id=\"map\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" style=\"border:1px solid #ccc;background:#fcfcfa\">",
        MAP_W + LEGEND_W,
        MAP_H,
        MAP_W + LEGEND_W,
        MAP_H
    );
    let _ = writeln!(
        h,
        "<defs><marker id=\"arrow-support\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"10\" markerHeight=\"10\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"{SUPPORT}\"/></marker><marker id=\"arrow-learning\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"10\" markerHeight=\"10\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"{LEARNING}\"/></marker></defs>"
    );

    // Communities, padded: the hull of small circles around their schools.
    h.push_str("<g class=\"communities\">\n");
    for c in &ds.communities {
        let mut pts = Vec::new();
        for s in c.core.iter().chain(&c.members) {
            if let Some((x, y)) = pos[s.ix()] {
                for i in 0..12 {
                    let a = i as f64 * std::f64::consts::PI / 6.0;
                    pts.push((x + 18.0 * a.cos(), y + 18.0 * a.sin()));
                }
            }
        }
        if pts.is_empty() {
            continue;
        }
        let poly = hull(pts);
        let points: Vec<String> = poly
            .iter()
            .map(|(x, y)| format!("{},{}", f1(*x), f1(*y)))
            .collect();
        let top = poly
            .iter()
            .copied()
            .fold((0.0, f64::INFINITY), |b, p| if p.1 < b.1 { p } else { b });
        let _ = writeln!(
            h,
            "<polygon class=\"community\" points=\"{}\" fill=\"#888\" fill-opacity=\"0.06\" stroke=\"#555\" stroke-dasharray=\"5,3\"><title>{}</title></polygon><text class=\"community-label\" x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#333\" text-anchor=\"middle\">{}</text>",
            points.join(" "),
            esc(&format!("{} {}", c.id, c.name)),
            f1(top.0),
            f1(top.1 - 4.0),
            esc(&c.name)
        );
    }
    h.push_str("</g>\n");

    // 走教 loops: each distinct trip of each teacher, home → stops → home, legs bowed
    // to one side so that out and back show as a loop.
    h.push_str("<g class=\"trips\">\n");
    let mut ti = 0usize;
    for t in ds.teacher_ixs() {
        let days = match plan.routes.get(t.ix()) {
            Some(d) if !d.is_empty() => d,
            _ => continue,
        };
        let colour = TRIP_COLOURS[ti % TRIP_COLOURS.len()];
        ti += 1;
        let mut trips: BTreeMap<Vec<SchoolIx>, Vec<u8>> = BTreeMap::new();
        for d in days {
            let mut seq = vec![d.trip.home];
            seq.extend(d.stops.iter().map(|s| s.school));
            trips.entry(seq).or_default().push(d.weekday);
        }
        for (seq, wd) in &trips {
            let pts: Option<Vec<(f64, f64)>> = seq
                .iter()
                .chain(std::iter::once(&seq[0]))
                .map(|s| pos[s.ix()])
                .collect();
            let Some(pts) = pts else { continue };
            let mut d = format!("M{},{}", f1(pts[0].0), f1(pts[0].1));
            for w in pts.windows(2) {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
                let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
                let (nx, ny) = if len > 0.0 {
                    (-(y1 - y0) / len, (x1 - x0) / len)
                } else {
                    (0.0, 0.0)
                };
                let off = (len * 0.2).max(8.0);
                let _ = write!(
                    d,
                    " Q{},{} {},{}",
                    f1(mx + nx * off),
                    f1(my + ny * off),
                    f1(x1),
                    f1(y1)
                );
            }
            let days: Vec<&str> = wd.iter().map(|w| weekday_word(*w, l)).collect();
            let te = ds.teacher(t);
            let _ = writeln!(
                h,
                "<path class=\"trip\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-opacity=\"0.85\"><title>{}</title></path>",
                d,
                colour,
                esc(&format!(
                    "{} {} ({}) {}",
                    te.id,
                    te.name,
                    ds.subject_name(te.subject),
                    days.join(" ")
                ))
            );
        }
    }
    h.push_str("</g>\n");

    // Full-time moves, one arrow per (home, host), thicker for more teachers.
    h.push_str("<g class=\"moves\">\n");
    let mut arrows: BTreeMap<(SchoolIx, SchoolIx, bool), Vec<TeacherIx>> = BTreeMap::new();
    for a in &plan.assignments {
        let home = ds.teacher(a.teacher).home;
        let support = ds.is_core(home);
        arrows
            .entry((home, a.host, support))
            .or_default()
            .push(a.teacher);
    }
    for ((from, to, support), ts) in &arrows {
        let (Some((x0, y0)), Some((x1, y1))) = (pos[from.ix()], pos[to.ix()]) else {
            continue;
        };
        let len = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
        if len < 1.0 {
            continue;
        }
        let (ux, uy) = ((x1 - x0) / len, (y1 - y0) / len);
        let cut = 10.0_f64.min(len / 3.0);
        let (cls, colour) = if *support {
            ("support", SUPPORT)
        } else {
            ("learning", LEARNING)
        };
        let names: Vec<String> = ts
            .iter()
            .map(|t| format!("{} {}", ds.teacher(*t).id, ds.teacher(*t).name))
            .collect();
        // Learning arrows sit a little to the side so a two-way pair shows both.
        let side = if *support { 0.0 } else { 3.0 };
        let _ = writeln!(
            h,
            "<line class=\"move {cls}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"{}\" marker-end=\"url(#arrow-{cls})\"><title>{}</title></line>",
            f1(x0 + ux * cut - uy * side),
            f1(y0 + uy * cut + ux * side),
            f1(x1 - ux * cut - uy * side),
            f1(y1 - uy * cut + ux * side),
            f1(1.0 + ts.len().min(8) as f64 * 0.4),
            esc(&format!(
                "{} → {}: {}",
                ds.school(*from).id,
                ds.school(*to).id,
                names.join(", ")
            ))
        );
    }
    h.push_str("</g>\n");

    // Schools on top.
    h.push_str("<g class=\"schools\">\n");
    for s in ds.school_ixs() {
        let Some((x, y)) = pos[s.ix()] else { continue };
        let sc = ds.school(s);
        let core = ds.is_core(s);
        let _ = writeln!(
            h,
            "<circle class=\"school {}\" data-id=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"#222\" stroke-width=\"{}\"><title>{}</title></circle><text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#333\">{}</text>",
            sc.kind.as_str(),
            esc(&sc.id),
            f1(x),
            f1(y),
            if core { 8 } else { 5 },
            kind_colour(sc.kind),
            if core { 2 } else { 1 },
            esc(&format!(
                "{} {} ({}{})",
                sc.id,
                sc.name,
                school_kind_word(sc.kind, l),
                if core { l.pick("，核心校", ", core") } else { "" }
            )),
            f1(x + 9.0),
            f1(y + 3.0),
            esc(&sc.id)
        );
    }
    h.push_str("</g>\n");
    if pos.iter().all(Option::is_none) {
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#777\">{}</text>",
            MAP_W / 2.0,
            MAP_H / 2.0,
            l.pick("数据中没有学校坐标", "No school has coordinates")
        );
    }
    legend(h, l);
    h.push_str("</svg>\n");

    let missing: Vec<SchoolIx> = ds.school_ixs().filter(|s| pos[s.ix()].is_none()).collect();
    h.push_str("<div class=\"side\">\n");
    if !missing.is_empty() {
        let _ = writeln!(
            h,
            "<p><b>{}</b></p>\n<ul class=\"nocoords\">",
            l.pick("无坐标的学校", "Schools without coordinates")
        );
        for s in missing {
            let sc = ds.school(s);
            let _ = writeln!(
                h,
                "<li>{} <span class=\"muted\">{}</span></li>",
                school_label(ds, s),
                school_kind_word(sc.kind, l)
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</div>\n</div>\n");
}

fn legend(h: &mut String, l: Lang) {
    let x = MAP_W + 10.0;
    let _ = writeln!(
        h,
        "<g class=\"legend\" font-size=\"12\"><rect x=\"{}\" y=\"10\" width=\"{}\" height=\"196\" fill=\"#fff\" stroke=\"#ccc\"/>",
        MAP_W,
        LEGEND_W - 4.0
    );
    let mut y = 32.0;
    for (k, c) in KIND_COLOUR {
        let _ = writeln!(
            h,
            "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"{c}\" stroke=\"#222\"/><text x=\"{}\" y=\"{}\">{}</text>",
            x + 8.0,
            y,
            x + 22.0,
            y + 4.0,
            school_kind_word(k, l)
        );
        y += 22.0;
    }
    let _ = writeln!(
        h,
        "<circle cx=\"{}\" cy=\"{}\" r=\"8\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\">{}</text>",
        x + 8.0,
        y,
        x + 22.0,
        y + 4.0,
        l.pick("核心校（大圈）", "core school (large)")
    );
    y += 24.0;
    for (cls, colour, word) in [
        (
            "support",
            SUPPORT,
            l.pick("支教（核心校→成员校）", "support (core → member)"),
        ),
        (
            "learning",
            LEARNING,
            l.pick("跟岗（成员校→核心校）", "learning (member → core)"),
        ),
    ] {
        let _ = writeln!(
            h,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2\" marker-end=\"url(#arrow-{cls})\"/><text x=\"{}\" y=\"{}\">{}</text>",
            x,
            x + 18.0,
            x + 22.0,
            y + 4.0,
            word
        );
        y += 22.0;
    }
    let _ = writeln!(
        h,
        "<path d=\"M{},{y} Q{},{} {},{y} Q{},{} {},{y}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\">{}</text>",
        x,
        x + 9.0,
        y - 8.0,
        x + 18.0,
        x + 9.0,
        y + 8.0,
        x,
        TRIP_COLOURS[0],
        x + 22.0,
        y + 4.0,
        l.pick("走教每周线路", "走教 weekly trip")
    );
    y += 24.0;
    let _ = writeln!(
        h,
        "<rect x=\"{}\" y=\"{}\" width=\"16\" height=\"12\" fill=\"#888\" fill-opacity=\"0.06\" stroke=\"#555\" stroke-dasharray=\"5,3\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
        x,
        y - 6.0,
        x + 22.0,
        y + 4.0,
        l.pick("校共体范围", "community")
    );
}

// ---------------------------------------------------------------- coverage

/// Subjects in report order: the 走教 subjects (音乐/体育/美术) in policy order first,
/// then the rest by name, each once.
fn ordered_subjects(ds: &Dataset, mut present: Vec<SubjectIx>) -> Vec<SubjectIx> {
    present.sort();
    present.dedup();
    let order = |k: &SubjectIx| ds.policy.itinerant.report_order(ds.subject_name(*k));
    present.sort_by(|a, b| order(a).cmp(&order(b)));
    present
}

fn coverage(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"coverage\">\n<h2>{}</h2>\n<p class=\"muted\">{}</p>",
        l.pick("课时覆盖：计划前后", "Coverage before and after"),
        l.pick(
            "每格：计划前已覆盖 → 计划后已覆盖 / 需求课时（每周）；颜色按计划后缺口比例。",
            "Each cell: periods covered before → after / demanded (a week); colour by the share still unmet after the plan."
        )
    );
    let subjects = ordered_subjects(ds, plan.coverage.iter().map(|c| c.subject).collect());
    let mut cells: BTreeMap<(SchoolIx, SubjectIx), &crate::plan::CoverageRow> = BTreeMap::new();
    let mut schools: Vec<SchoolIx> = Vec::new();
    for c in &plan.coverage {
        cells.insert((c.school, c.subject), c);
        if schools.last() != Some(&c.school) && !schools.contains(&c.school) {
            schools.push(c.school);
        }
    }
    h.push_str("<table class=\"heat\">\n<tr><th>");
    h.push_str(l.pick("学校", "School"));
    h.push_str("</th>");
    for k in &subjects {
        let _ = write!(h, "<th>{}</th>", esc(ds.subject_name(*k)));
    }
    h.push_str("</tr>\n");
    for s in &schools {
        let _ = write!(h, "<tr><th>{}</th>", school_label(ds, *s));
        for k in &subjects {
            match cells.get(&(*s, *k)) {
                None => h.push_str("<td class=\"na\">—</td>"),
                Some(c) => {
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
                            ds.school(*s).id,
                            ds.subject_name(*k),
                            l.pick("缺口", "unmet"),
                            c.unmet_before,
                            c.unmet
                        )),
                        c.demand - c.unmet_before.min(c.demand),
                        c.covered,
                        c.demand
                    );
                }
            }
        }
        h.push_str("</tr>\n");
    }
    // Unmet periods per subject, before and after.
    let _ = write!(h, "<tr><th>{}</th>", l.pick("缺口合计", "Unmet in total"));
    for k in &subjects {
        let (b, a) = plan
            .coverage
            .iter()
            .filter(|c| c.subject == *k)
            .fold((0, 0), |(b, a), c| (b + c.unmet_before, a + c.unmet));
        let _ = write!(h, "<td>{b} → <b>{a}</b></td>");
    }
    h.push_str("</tr>\n</table>\n");

    let short: Vec<SchoolIx> = schools
        .iter()
        .copied()
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
    } else {
        let _ = writeln!(
            h,
            "<p><b>{}</b></p>\n<ul class=\"short\">",
            l.pick("仍有缺口的学校", "Schools still short")
        );
        for s in short {
            let parts: Vec<String> = subjects
                .iter()
                .filter_map(|k| cells.get(&(s, *k)))
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
    h.push_str("</section>\n");
}

// ---------------------------------------------------------------- rules

fn rules(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"rules\">\n<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l.pick("规则核验", "Rules checked"),
        l.pick("规则", "Rule"),
        l.pick("范围", "Scope"),
        l.pick("要求", "Required"),
        l.pick("达到", "Reached"),
        l.pick("差额", "Shortfall"),
        l.pick("结果", "Result"),
        l.pick("原因", "Why"),
    );
    for r in &plan.rules {
        let scope = if r.scope == "county" {
            l.pick("全县", "county").to_string()
        } else {
            super::xlsx::scope_name(ds, &r.scope)
        };
        let (cls, word) = if r.ok {
            ("ok", l.pick("达标", "met"))
        } else {
            ("broken", l.pick("未达标", "broken"))
        };
        let _ = writeln!(
            h,
            "<tr class=\"rule {cls}\" data-rule=\"{}\" data-scope=\"{}\"><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{cls}\">{}</td><td>{}</td></tr>",
            esc(r.rule),
            esc(&r.scope),
            esc(&rule_word(r.rule, l)),
            esc(&scope),
            num(r.required),
            num(r.reached),
            num(r.shortfall),
            word,
            esc(why(r, l))
        );
    }
    h.push_str("</table>\n</section>\n");
}

// ---------------------------------------------------------------- members and requests

/// Each member school's unmet periods before and after (rule 12), and each request of
/// requests.csv with what the plan sends (rule 13).
fn members_and_requests(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"members\">\n<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l.pick("成员校缺课：交流前后", "Member schools' unmet periods, before and after"),
        l.pick("成员校", "Member school"),
        l.pick("无人交流时缺课（节/周）", "Unmet with nobody moving (periods a week)"),
        l.pick("交流后缺课（节/周）", "Unmet after the plan"),
        l.pick("结果", "Result"),
    );
    for m in super::members(ds, plan) {
        let (cls, word) = if m.worse {
            ("broken", l.pick("缺课增加", "worse off"))
        } else {
            ("ok", l.pick("未增加", "not worse off"))
        };
        let _ = writeln!(
            h,
            "<tr class=\"member {cls}\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{cls}\">{word}</td></tr>",
            school_label(ds, m.school),
            m.before,
            m.after
        );
    }
    h.push_str("</table>\n");
    let requests = super::requests(ds, plan);
    if !requests.is_empty() {
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            l.pick("成员校需求申请", "Requests of member schools"),
            l.pick("申请学校", "School"),
            l.pick("申请内容", "Asks for"),
            l.pick("申请人数", "Count"),
            l.pick("派出人数", "Sent"),
            l.pick("结果", "Result"),
            l.pick("备注", "Note"),
        );
        for r in requests {
            let (cls, word) = if r.met {
                ("ok", l.pick("已满足", "met"))
            } else {
                ("broken", l.pick("未满足", "not met"))
            };
            let what = match l {
                Lang::Zh => &r.what_zh,
                Lang::En => &r.what_en,
            };
            let _ = writeln!(
                h,
                "<tr class=\"request {cls}\"><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{cls}\">{word}</td><td>{}</td></tr>",
                school_label(ds, r.school),
                esc(what),
                r.count,
                r.sent,
                esc(&r.note)
            );
        }
        h.push_str("</table>\n");
    }
    h.push_str("</section>\n");
}

// ---------------------------------------------------------------- staff structure

#[derive(Default)]
struct Staff {
    total: u32,
    /// <30, 30-39, 40-49, 50+.
    ages: [u32; 4],
    subjects: BTreeMap<SubjectIx, u32>,
    backbone: u32,
}

fn structure(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"structure\">\n<h2>{}</h2>\n<p class=\"muted\">{}</p>",
        l.pick("各校共体师资结构：计划前后", "Staff structure of each community, before and after"),
        l.pick(
            "按学年在各校任教的教师计（续任者在交流校，其余在本校为“计划前”）；年龄按计划学年计算。",
            "Teachers counted where they serve in the plan year (before: terms under way where they are, everyone else at home); ages in the plan year."
        )
    );
    let y = ds.policy.plan_year;
    let n = ds.communities.len();
    // [community][core=0 / member=1][before=0 / after=1]
    let mut staff: Vec<[[Staff; 2]; 2]> = (0..n).map(|_| Default::default()).collect();
    for t in ds.teacher_ixs() {
        let te = ds.teacher(t);
        let p = plan
            .placement
            .get(t.ix())
            .copied()
            .unwrap_or(Placement::Home);
        let before = match p {
            Placement::Continuing(s) => s,
            _ => te.home,
        };
        let after = p.school(te.home);
        for (when, s) in [(0, before), (1, after)] {
            let Some(c) = ds.school(s).community else {
                continue;
            };
            let Some(cell) = staff.get_mut(c.ix()) else {
                continue;
            };
            let part = if ds.communities[c.ix()].core.contains(&s) {
                0
            } else {
                1
            };
            let st = &mut cell[part][when];
            st.total += 1;
            let age = y - te.birth_year;
            let band = match age {
                i32::MIN..=29 => 0,
                30..=39 => 1,
                40..=49 => 2,
                _ => 3,
            };
            st.ages[band] += 1;
            *st.subjects.entry(te.subject).or_default() += 1;
            st.backbone += u32::from(te.backbone);
        }
    }
    for (ci, c) in ds.communities.iter().enumerate() {
        let st = &staff[ci];
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<table class=\"staff\">\n<tr><th></th><th colspan=\"2\">{}</th><th colspan=\"2\">{}</th></tr>\n<tr><th></th><th>{b}</th><th>{a}</th><th>{b}</th><th>{a}</th></tr>",
            esc(&format!("{} {}", c.id, c.name)),
            l.pick("核心校", "Core schools"),
            l.pick("成员校", "Member schools"),
            b = l.pick("计划前", "before"),
            a = l.pick("计划后", "after"),
        );
        let row = |h: &mut String, label: &str, f: &dyn Fn(&Staff) -> String| {
            let _ = write!(h, "<tr><th>{label}</th>");
            for part in st {
                for s in part {
                    let _ = write!(h, "<td class=\"n\">{}</td>", f(s));
                }
            }
            h.push_str("</tr>\n");
        };
        row(h, l.pick("教师数", "Teachers"), &|s| s.total.to_string());
        for (i, band) in ["&lt;30", "30–39", "40–49", "50+"].iter().enumerate() {
            let label = format!("{}{}", l.pick("年龄 ", "Age "), band);
            row(h, &label, &|s| s.ages[i].to_string());
        }
        let subjects = ordered_subjects(
            ds,
            st.iter()
                .flatten()
                .flat_map(|s| s.subjects.keys().copied())
                .collect(),
        );
        for k in subjects {
            let label = esc(ds.subject_name(k));
            row(h, &label, &|s| {
                s.subjects.get(&k).copied().unwrap_or(0).to_string()
            });
        }
        row(h, l.pick("骨干教师", "Backbone"), &|s| {
            if s.total == 0 {
                "0".into()
            } else {
                format!(
                    "{} ({:.0}%)",
                    s.backbone,
                    100.0 * s.backbone as f64 / s.total as f64
                )
            }
        });
        h.push_str("</table>\n");
    }
    h.push_str("</section>\n");
}

// ---------------------------------------------------------------- moves and timetables

fn moves(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let _ = writeln!(
        h,
        "<section id=\"moves\">\n<h2>{}</h2>",
        l.pick("交流名单", "Moves")
    );
    if plan.assignments.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{}</p>\n</section>",
            l.pick("本计划没有全职交流。", "Nobody serves away full time.")
        );
        return;
    }
    let _ = writeln!(
        h,
        "<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l.pick("教师编号", "Teacher"),
        l.pick("姓名", "Name"),
        l.pick("学科", "Subject"),
        l.pick("骨干", "Backbone"),
        l.pick("派出学校", "From"),
        l.pick("接收学校", "To"),
        l.pick("类型", "Kind"),
        l.pick("学年", "Years"),
    );
    for a in &plan.assignments {
        let te = ds.teacher(a.teacher);
        let _ = writeln!(
            h,
            "<tr class=\"move {}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}–{}</td></tr>",
            a.kind.as_str(),
            esc(&te.id),
            esc(&te.name),
            esc(ds.subject_name(te.subject)),
            if te.backbone { l.pick("是", "yes") } else { "" },
            school_label(ds, te.home),
            school_label(ds, a.host),
            kind_word(a.kind, l),
            a.start_year,
            a.end_year
        );
    }
    h.push_str("</table>\n</section>\n");
}

fn timetables(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
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
        let home = days[0].trip.home;
        let km: f64 = days.iter().map(|d| d.trip.km).sum();
        let _ = writeln!(
            h,
            "<h3>{} {} · {} · {} {}</h3>\n<p class=\"muted\">{} {:.1} km</p>\n<table class=\"tt\">\n<tr>",
            esc(&te.id),
            esc(&te.name),
            esc(ds.subject_name(te.subject)),
            l.pick("从", "from"),
            school_label(ds, home),
            l.pick("每周里程", "Weekly distance"),
            km
        );
        for wd in 1..=5u8 {
            let _ = write!(h, "<th>{}</th>", weekday_word(wd, l));
        }
        h.push_str("</tr>\n<tr>");
        for wd in 1..=5u8 {
            let today: Vec<_> = days.iter().filter(|d| d.weekday == wd).collect();
            if today.is_empty() {
                let _ = write!(
                    h,
                    "<td class=\"muted\">{}</td>",
                    l.pick("本校", "home school")
                );
                continue;
            }
            h.push_str("<td>");
            for d in today {
                let n = d.stops.len();
                for (i, s) in d.stops.iter().enumerate() {
                    if i + 1 == n {
                        let _ = write!(
                            h,
                            "<div class=\"muted\">{} {} ({:.1} km, {:.0} {})</div>",
                            l.pick("返回", "back to"),
                            esc(&ds.school(s.school).id),
                            s.leg.km,
                            s.leg.minutes,
                            l.pick("分钟", "min")
                        );
                    } else {
                        let _ = write!(
                            h,
                            "<div>{} · {}{} <span class=\"muted\">({:.1} km, {:.0} {})</span></div>",
                            school_label(ds, s.school),
                            s.periods,
                            l.pick(" 节", " periods"),
                            s.leg.km,
                            s.leg.minutes,
                            l.pick("分钟", "min")
                        );
                    }
                }
            }
            h.push_str("</td>");
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
