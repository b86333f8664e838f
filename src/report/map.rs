//! The report's map: schools by lat/lon (pushed apart where they would overlap), each
//! community's outline, full-time moves as arrows and each 走教 teacher's week as loops.
//! Drawn to stay legible at 250 schools: thin translucent lines, labels only where they
//! hide nothing (every school's name on hover), the county seat opened up.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::escape::{esc, school_label};
use super::lang::{school_kind_word, weekday_word, Lang};
use super::layout::{beside, hull, project, spread, text_width, Canvas, Labels, Rect, Spot};
use super::map_focus;
use super::roster::{subjects_text, taught_on_trips};
use crate::domain::{Dataset, SchoolIx, SchoolKind, TeacherIx};
use crate::plan::Plan;

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
const LEGEND_W: f64 = 190.0;
/// A school drawn this many units from where its coordinates put it counts as moved.
const MOVED: f64 = 4.0;
const LABEL_SIZE: f64 = 10.0;

fn kind_colour(k: SchoolKind) -> &'static str {
    KIND_COLOUR
        .iter()
        .find(|(kind, _)| *kind == k)
        .map_or("#888", |(_, c)| c)
}

fn f1(x: f64) -> String {
    format!("{x:.1}")
}

fn radius(ds: &Dataset, s: SchoolIx) -> f64 {
    if ds.is_core(s) {
        8.0
    } else {
        5.0
    }
}

/// Where each school is drawn, and whether any had to leave its true place.
struct Placed {
    canvas: Canvas,
    pos: Vec<Option<(f64, f64)>>,
    moved: bool,
}

fn place(ds: &Dataset) -> Placed {
    let canvas = Canvas::for_schools(ds.schools.len());
    let true_pos = project(ds, canvas);
    let r: Vec<f64> = ds.school_ixs().map(|s| radius(ds, s)).collect();
    let pos = spread(&true_pos, &r, 3.0, canvas);
    let moved = true_pos.iter().zip(&pos).any(|(a, b)| match (a, b) {
        (Some(a), Some(b)) => (a.0 - b.0).hypot(a.1 - b.1) > MOVED,
        _ => false,
    });
    Placed { canvas, pos, moved }
}

pub(super) fn map(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let p = place(ds);
    let (w, ht) = (p.canvas.w + LEGEND_W, p.canvas.h);
    let _ = writeln!(
        h,
        "<section id=\"map-section\">\n<h2>{}</h2>",
        l.pick("学校与交流地图", "Map of schools and moves")
    );
    map_focus::style(h, ds);
    let _ = writeln!(
        h,
        "<div class=\"mapwrap\">\n<svg id=\"map\" width=\"{w}\" height=\"{ht}\" viewBox=\"0 0 {w} {ht}\" role=\"img\" style=\"border:1px solid #ccc;background:#fcfcfa\">"
    );
    let _ = writeln!(
        h,
        "<defs><marker id=\"arrow-support\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"{SUPPORT}\"/></marker><marker id=\"arrow-learning\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"{LEARNING}\"/></marker></defs>"
    );
    let mut labels = Labels::new(school_boxes(ds, &p.pos));
    communities(h, ds, &p.pos, &mut labels);
    trips(h, ds, plan, &p.pos, l);
    moves(h, ds, plan, &p.pos);
    schools(h, ds, &p.pos, &mut labels, l);
    if p.pos.iter().all(Option::is_none) {
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#777\">{}</text>",
            p.canvas.w / 2.0,
            p.canvas.h / 2.0,
            l.pick("数据中没有学校坐标", "No school has coordinates")
        );
    }
    legend(h, ds, p.canvas, l);
    h.push_str("</svg>\n");
    side(h, ds, &p, l);
    h.push_str("</div>\n</section>\n");
}

/// Beside the map: why some schools stand off their true place, and the schools the map
/// cannot place.
fn side(h: &mut String, ds: &Dataset, p: &Placed, l: Lang) {
    h.push_str("<div class=\"side\">\n");
    map_focus::list(h, ds, l);
    if p.moved {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{}</p>",
            l.pick(
                "县城等处学校相距很近，图上已略作错开，以免相互遮挡；把鼠标停在学校上可见校名。",
                "Schools that stand close together (the county seat) are drawn a little apart so that none hides another; hover over a school for its name."
            )
        );
    }
    let missing: Vec<SchoolIx> = ds
        .school_ixs()
        .filter(|s| p.pos[s.ix()].is_none())
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(
            h,
            "<p><b>{}</b></p>\n<ul class=\"nocoords\">",
            l.pick("无坐标的学校", "Schools without coordinates")
        );
        for s in missing {
            let _ = writeln!(
                h,
                "<li>{} <span class=\"muted\">{}</span></li>",
                school_label(ds, s),
                school_kind_word(ds.school(s).kind, l)
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</div>\n");
}

/// The box each placed school's disc covers: labels keep off them.
fn school_boxes(ds: &Dataset, pos: &[Option<(f64, f64)>]) -> Vec<Rect> {
    ds.school_ixs()
        .filter_map(|s| {
            let (x, y) = pos[s.ix()]?;
            let r = radius(ds, s);
            Some((x - r, y - r, x + r, y + r))
        })
        .collect()
}

/// Each community outlined by the padded hull of its schools, named above (or below, or
/// further up, where another name stands).
fn communities(h: &mut String, ds: &Dataset, pos: &[Option<(f64, f64)>], labels: &mut Labels) {
    h.push_str("<g class=\"communities\">\n");
    for (ci, c) in ds.communities.iter().enumerate() {
        let mut pts = Vec::new();
        for s in c.core.iter().chain(&c.members) {
            if let Some((x, y)) = pos[s.ix()] {
                for i in 0..12 {
                    let a = i as f64 * std::f64::consts::PI / 6.0;
                    pts.push((x + 16.0 * a.cos(), y + 16.0 * a.sin()));
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
        let top = poly.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let bottom = poly.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        let cx = poly.iter().map(|p| p.0).sum::<f64>() / poly.len() as f64;
        let size = 12.0;
        let tw = text_width(&c.name, size);
        let spot = |y: f64| Spot {
            x: cx,
            y,
            anchor: "middle",
        };
        let spots = [
            spot(top - 4.0),
            spot(bottom + size),
            spot(top - 4.0 - size),
            spot(bottom + 2.0 * size),
        ];
        let _ = write!(
            h,
            "<polygon class=\"community f c{ci}\" points=\"{}\" fill=\"#888\" fill-opacity=\"0.05\" stroke=\"#555\" stroke-dasharray=\"5,3\"><title>{}</title></polygon>",
            points.join(" "),
            esc(&format!("{} {}", c.id, c.name)),
        );
        // A name that would cover another is left out: the list beside the map and the
        // outline's title name every community.
        if let Some(at) = labels.place(&spots, tw, size, None) {
            let _ = write!(
                h,
                "<text class=\"community-label f c{ci}\" x=\"{}\" y=\"{}\" font-size=\"{size}\" fill=\"#333\" text-anchor=\"middle\">{}</text>",
                f1(at.x),
                f1(at.y),
                esc(&c.name)
            );
        }
        h.push('\n');
    }
    h.push_str("</g>\n");
}

/// 走教 loops: each distinct trip of each teacher, home → stops → home, legs bowed to one
/// side so that out and back show as a loop; the title names the subjects taught.
fn trips(h: &mut String, ds: &Dataset, plan: &Plan, pos: &[Option<(f64, f64)>], l: Lang) {
    h.push_str("<g class=\"trips\">\n");
    let mut ti = 0usize;
    for t in ds.teacher_ixs() {
        let days = match plan.routes.get(t.ix()) {
            Some(d) if !d.is_empty() => d,
            _ => continue,
        };
        let colour = TRIP_COLOURS[ti % TRIP_COLOURS.len()];
        ti += 1;
        let mut distinct: BTreeMap<Vec<SchoolIx>, Vec<u8>> = BTreeMap::new();
        for d in days {
            let mut seq = vec![d.trip.home];
            seq.extend(d.stops.iter().map(|s| s.school));
            distinct.entry(seq).or_default().push(d.weekday);
        }
        let taught = subjects_text(ds, &taught_on_trips(plan, t, days), l);
        for (seq, wd) in &distinct {
            let pts: Option<Vec<(f64, f64)>> = seq
                .iter()
                .chain(std::iter::once(&seq[0]))
                .map(|s| pos[s.ix()])
                .collect();
            let Some(pts) = pts else { continue };
            let days: Vec<&str> = wd.iter().map(|w| weekday_word(*w, l)).collect();
            let te = ds.teacher(t);
            let com = map_focus::of_pair(ds, seq[0], seq[seq.len().min(2) - 1]);
            let _ = writeln!(
                h,
                "<path class=\"trip f {com}\" d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.3\" stroke-opacity=\"0.55\"><title>{}</title></path>",
                loop_path(&pts),
                esc(&format!("{} {} ({taught}) {}", te.id, te.name, days.join(" ")))
            );
        }
    }
    h.push_str("</g>\n");
}

/// A path through `pts`, each leg a quadratic curve bowed to its left.
fn loop_path(pts: &[(f64, f64)]) -> String {
    let mut d = format!("M{},{}", f1(pts[0].0), f1(pts[0].1));
    for w in pts.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let len = (x1 - x0).hypot(y1 - y0);
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
    d
}

/// Full-time moves, one arrow per (home, host), thicker for more teachers; learning
/// arrows a little to the side so that a two-way pair shows both.
fn moves(h: &mut String, ds: &Dataset, plan: &Plan, pos: &[Option<(f64, f64)>]) {
    h.push_str("<g class=\"moves\">\n");
    let mut arrows: BTreeMap<(SchoolIx, SchoolIx, bool), Vec<TeacherIx>> = BTreeMap::new();
    for a in &plan.assignments {
        let home = ds.teacher(a.teacher).home;
        arrows
            .entry((home, a.host, ds.is_core(home)))
            .or_default()
            .push(a.teacher);
    }
    for ((from, to, support), ts) in &arrows {
        let (Some((x0, y0)), Some((x1, y1))) = (pos[from.ix()], pos[to.ix()]) else {
            continue;
        };
        let len = (x1 - x0).hypot(y1 - y0);
        if len < 1.0 {
            continue;
        }
        let (ux, uy) = ((x1 - x0) / len, (y1 - y0) / len);
        let (start, end) = (radius(ds, *from) + 1.0, radius(ds, *to) + 1.0);
        let (cls, colour, side) = if *support {
            ("support", SUPPORT, 0.0)
        } else {
            ("learning", LEARNING, 3.0)
        };
        let names: Vec<String> = ts
            .iter()
            .map(|t| format!("{} {}", ds.teacher(*t).id, ds.teacher(*t).name))
            .collect();
        let com = map_focus::of_pair(ds, *from, *to);
        let _ = writeln!(
            h,
            "<line class=\"move f {com} {cls}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"{}\" stroke-opacity=\"0.8\" marker-end=\"url(#arrow-{cls})\"><title>{}</title></line>",
            f1(x0 + ux * start.min(len / 3.0) - uy * side),
            f1(y0 + uy * start.min(len / 3.0) + ux * side),
            f1(x1 - ux * end.min(len / 3.0) - uy * side),
            f1(y1 - uy * end.min(len / 3.0) + ux * side),
            f1(0.8 + ts.len().min(8) as f64 * 0.35),
            esc(&format!(
                "{} → {}: {}",
                ds.school(*from).id,
                ds.school(*to).id,
                names.join(", ")
            ))
        );
    }
    h.push_str("</g>\n");
}

/// Schools on top, core schools first for their labels; a label only where it hides
/// nothing.
fn schools(h: &mut String, ds: &Dataset, pos: &[Option<(f64, f64)>], labels: &mut Labels, l: Lang) {
    h.push_str("<g class=\"schools\">\n");
    let mut order: Vec<SchoolIx> = ds.school_ixs().collect();
    order.sort_by_key(|&s| !ds.is_core(s));
    for s in order {
        let Some((x, y)) = pos[s.ix()] else { continue };
        let sc = ds.school(s);
        let core = ds.is_core(s);
        let r = radius(ds, s);
        let _ = write!(
            h,
            "<circle class=\"school f {} {}\" data-id=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{r}\" fill=\"{}\" stroke=\"#222\" stroke-width=\"{}\"><title>{}</title></circle>",
            sc.kind.as_str(),
            map_focus::of_school(ds, s),
            esc(&sc.id),
            f1(x),
            f1(y),
            kind_colour(sc.kind),
            if core { 2 } else { 1 },
            esc(&format!(
                "{} {} ({}{})",
                sc.id,
                sc.name,
                school_kind_word(sc.kind, l),
                if core { l.pick("，核心校", ", core") } else { "" }
            )),
        );
        let tw = text_width(&sc.id, LABEL_SIZE);
        let own = Some((x - r, y - r, x + r, y + r));
        if let Some(at) = labels.place(&beside(x, y, r, LABEL_SIZE), tw, LABEL_SIZE, own) {
            let _ = write!(
                h,
                "<text class=\"f {}\" x=\"{}\" y=\"{}\" font-size=\"{LABEL_SIZE}\" fill=\"#333\" text-anchor=\"{}\">{}</text>",
                map_focus::of_school(ds, s),
                f1(at.x),
                f1(at.y),
                at.anchor,
                esc(&sc.id)
            );
        }
        h.push('\n');
    }
    h.push_str("</g>\n");
}

/// The legend's box (`height` high, left edge at `left`) and its school rows: the three
/// kinds, then the large circle called `big`; the y of the next row.
fn legend_schools(h: &mut String, left: f64, height: f64, big: &str, l: Lang) -> f64 {
    let x = left + 10.0;
    let _ = writeln!(
        h,
        "<g class=\"legend\" font-size=\"12\"><rect x=\"{left}\" y=\"10\" width=\"{}\" height=\"{height}\" fill=\"#fff\" stroke=\"#ccc\"/>",
        LEGEND_W - 4.0
    );
    let mut y = 32.0;
    for (k, colour) in KIND_COLOUR {
        let _ = writeln!(
            h,
            "<circle cx=\"{}\" cy=\"{y}\" r=\"6\" fill=\"{colour}\" stroke=\"#222\"/><text x=\"{}\" y=\"{}\">{}</text>",
            x + 8.0,
            x + 22.0,
            y + 4.0,
            school_kind_word(k, l)
        );
        y += 22.0;
    }
    let _ = writeln!(
        h,
        "<circle cx=\"{}\" cy=\"{y}\" r=\"8\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\">{big}</text>",
        x + 8.0,
        x + 22.0,
        y + 4.0,
    );
    y + 24.0
}

/// The legend's last row, a community's outline, and the legend's end.
fn legend_area(h: &mut String, ds: &Dataset, x: f64, y: f64, l: Lang) {
    let area = match l {
        Lang::Zh => format!("{}范围", ds.policy.report.community_word),
        Lang::En => "community".to_string(),
    };
    let _ = writeln!(
        h,
        "<rect x=\"{x}\" y=\"{}\" width=\"16\" height=\"12\" fill=\"#888\" fill-opacity=\"0.06\" stroke=\"#555\" stroke-dasharray=\"5,3\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
        y - 6.0,
        x + 22.0,
        y + 4.0,
        esc(&area)
    );
}

fn legend(h: &mut String, ds: &Dataset, c: Canvas, l: Lang) {
    let x = c.w + 10.0;
    let big = l.pick("核心校（大圈）", "core school (large)");
    let mut y = legend_schools(h, c.w, 196.0, big, l);
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
            "<line x1=\"{x}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2\" marker-end=\"url(#arrow-{cls})\"/><text x=\"{}\" y=\"{}\">{word}</text>",
            x + 18.0,
            x + 22.0,
            y + 4.0,
        );
        y += 22.0;
    }
    let _ = writeln!(
        h,
        "<path d=\"M{x},{y} Q{},{} {},{y} Q{},{} {x},{y}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/><text x=\"{}\" y=\"{}\">{}</text>",
        x + 9.0,
        y - 8.0,
        x + 18.0,
        x + 9.0,
        y + 8.0,
        TRIP_COLOURS[0],
        x + 22.0,
        y + 4.0,
        l.pick("走教每周线路", "走教 weekly trip")
    );
    y += 24.0;
    legend_area(h, ds, x, y, l);
}

/// The map of a partition into communities alone (`lungang communities`): each community
/// outlined, a line from its nearest lead to each member, schools on top; no moves, no
/// trips. An `<svg>` element.
pub fn community_svg(ds: &Dataset, l: Lang) -> String {
    let mut h = String::new();
    let p = place(ds);
    let (w, ht) = (p.canvas.w + LEGEND_W, p.canvas.h);
    let _ = writeln!(
        h,
        "<svg id=\"map\" width=\"{w}\" height=\"{ht}\" viewBox=\"0 0 {w} {ht}\" role=\"img\" style=\"border:1px solid #ccc;background:#fcfcfa\">"
    );
    let mut labels = Labels::new(school_boxes(ds, &p.pos));
    communities(&mut h, ds, &p.pos, &mut labels);
    h.push_str("<g class=\"links\">\n");
    for c in &ds.communities {
        for &m in &c.members {
            let lead = c
                .core
                .iter()
                .copied()
                .filter(|&k| ds.leg(k, m).is_some())
                .min_by(|&a, &b| {
                    let t = |k: SchoolIx| ds.leg(k, m).map_or(f64::INFINITY, |g| g.minutes);
                    t(a).total_cmp(&t(b))
                })
                .or_else(|| c.core.first().copied());
            let Some(lead) = lead else { continue };
            let (Some((x0, y0)), Some((x1, y1))) = (p.pos[lead.ix()], p.pos[m.ix()]) else {
                continue;
            };
            let minutes = ds.leg(lead, m).map_or(String::new(), |g| {
                format!(" {:.0} {}", g.minutes, l.pick("分钟", "min"))
            });
            let _ = writeln!(
                h,
                "<line class=\"link\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555\" stroke-width=\"1.2\" stroke-opacity=\"0.6\"><title>{}</title></line>",
                f1(x0),
                f1(y0),
                f1(x1),
                f1(y1),
                esc(&format!(
                    "{} → {}{minutes}",
                    ds.school(lead).name,
                    ds.school(m).name
                ))
            );
        }
    }
    h.push_str("</g>\n");
    schools(&mut h, ds, &p.pos, &mut labels, l);
    let x = p.canvas.w + 10.0;
    let big = l.pick("牵头校（大圈）", "lead school (large)");
    let mut y = legend_schools(&mut h, p.canvas.w, 150.0, big, l);
    let _ = writeln!(
        h,
        "<line x1=\"{x}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#555\" stroke-width=\"1.2\"/><text x=\"{}\" y=\"{}\">{}</text>",
        x + 18.0,
        x + 22.0,
        y + 4.0,
        l.pick("牵头校—成员校", "lead — member")
    );
    y += 24.0;
    legend_area(&mut h, ds, x, y, l);
    h.push_str("</svg>\n");
    h
}
