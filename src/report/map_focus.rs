//! One community at a time on the county map (issue 15 item 7): at 250 schools every
//! line of the county together is a thicket, so each drawn element carries its
//! community's class, and pointing at a community (its outline, or its name in the list
//! beside the map) or clicking its name (the page's #focus-… target, which also prints)
//! fades every other community's lines and schools. Plain CSS (`:has`, `:target`): the
//! report stays one file without scripts.

use std::fmt::Write;

use super::escape::esc;
use super::lang::Lang;
use crate::domain::{Dataset, SchoolIx};

/// The class of what belongs to school `s`'s community ("c0", "c1" … by dataset order),
/// or "c-none".
pub fn of_school(ds: &Dataset, s: SchoolIx) -> String {
    ds.school(s)
        .community
        .map_or_else(|| "c-none".into(), |c| format!("c{}", c.0))
}

/// The class of a line between `a` and `b`: `a`'s community, else `b`'s.
pub fn of_pair(ds: &Dataset, a: SchoolIx, b: SchoolIx) -> String {
    let c = ds.school(a).community.or(ds.school(b).community);
    c.map_or_else(|| "c-none".into(), |c| format!("c{}", c.0))
}

/// The style that fades all but the community in focus, one rule per community, and the
/// targets a click sets: empty anchors at the map's top, so that the page scrolls to the
/// map, not to the list.
pub fn style(h: &mut String, ds: &Dataset) {
    for i in 0..ds.communities.len() {
        let _ = write!(h, "<span id=\"focus-c{i}\" class=\"anchor\"></span>");
    }
    h.push_str("<style>\n");
    for i in 0..ds.communities.len() {
        let _ = writeln!(
            h,
            "#map-section:is(:has(#focus-c{i}:target),:has(.community.c{i}:hover),:has(a[href=\"#focus-c{i}\"]:hover)) #map .f:not(.c{i}){{opacity:.06}}"
        );
    }
    h.push_str("</style>\n");
}

/// Beside the map: each community's name, to point at or click, and the way back to the
/// whole county.
pub fn list(h: &mut String, ds: &Dataset, l: Lang) {
    if ds.communities.is_empty() {
        return;
    }
    let word = match l {
        Lang::Zh => ds.policy.report.community_word.clone(),
        Lang::En => "Communities".into(),
    };
    let hint = l.pick(
        "指向或点击名称，只看该范围的学校与线路：",
        "Point at or click a name to see its schools and lines alone:",
    );
    let _ = writeln!(
        h,
        "<p><b>{}</b><br><span class=\"muted\">{hint}</span></p>\n<ul class=\"focus-list\">",
        esc(&word)
    );
    for (i, c) in ds.communities.iter().enumerate() {
        let _ = writeln!(h, "<li><a href=\"#focus-c{i}\">{}</a></li>", esc(&c.name));
    }
    let _ = writeln!(
        h,
        "<li><a href=\"#map-section\">{}</a></li>\n</ul>",
        l.pick("全县", "Whole county")
    );
}
