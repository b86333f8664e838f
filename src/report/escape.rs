//! Text made safe for HTML, and a school as the pages name it: shared by every section of
//! report.html and by the comparison page, so the page (`html.rs`) and its sections
//! import this rather than each other.

use crate::domain::{Dataset, SchoolIx};

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

/// A school as the pages name it: id and name, escaped.
pub(super) fn school_label(ds: &Dataset, s: SchoolIx) -> String {
    esc(&format!("{} {}", ds.school(s).id, ds.school(s).name))
}
