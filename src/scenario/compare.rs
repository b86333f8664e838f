//! The what-if comparison: one row per scenario, as CSV and as a terminal table.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::Dataset;
use crate::plan::Solved;

/// One line of the comparison table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub name: String,
    pub status: &'static str,
    pub objective: Option<f64>,
    pub gap: Option<f64>,
    /// Unmet periods by subject name.
    pub unmet: BTreeMap<String, u32>,
    pub support: u32,
    pub learning: u32,
    pub extension: u32,
    pub trip_days: u32,
    pub km_week: f64,
    pub rules_broken: usize,
}

impl Row {
    pub fn new(name: &str, d: &Dataset, solved: &Solved) -> Row {
        let mut row = Row {
            name: name.to_string(),
            status: "none",
            objective: None,
            gap: None,
            unmet: BTreeMap::new(),
            support: 0,
            learning: 0,
            extension: 0,
            trip_days: 0,
            km_week: 0.0,
            rules_broken: 0,
        };
        if let Solved::Plan(p) = solved {
            row.status = crate::plan::status_word(p.solve.status);
            row.objective = Some(p.objective);
            row.gap = Some(p.gap());
            for c in &p.coverage {
                *row.unmet
                    .entry(d.subject_name(c.subject).to_string())
                    .or_default() += c.unmet;
            }
            row.support = p.counts.support;
            row.learning = p.counts.learning;
            row.extension = p.counts.extension;
            row.trip_days = p.counts.trip_days;
            row.km_week = p.routes.iter().flatten().map(|day| day.trip.km).sum();
            row.rules_broken = p.broken_rules().count();
        }
        row
    }
}

/// The comparison's columns after the unmet ones, in order.
pub const COUNT_COLUMNS: [&str; 6] = [
    "support",
    "learning",
    "extension",
    "trip_days",
    "km_week",
    "rules_broken",
];

/// The comparison as CSV and as a terminal table; subjects 音体美 first.
pub struct Comparison {
    pub csv: String,
    pub text: String,
    /// The subjects of the unmet columns, in the table's order.
    pub subjects: Vec<String>,
}

/// The table; CSV headers are always the English names of docs/whatif.md, the terminal's
/// in 中文 when `zh`.
pub fn comparison(ds: &Dataset, rows: &[Row], zh: bool) -> Comparison {
    let mut subjects: Vec<String> = rows.iter().flat_map(|r| r.unmet.keys().cloned()).collect();
    subjects.sort();
    subjects.dedup();
    subjects.sort_by(|a, b| {
        let order = |s| ds.policy.itinerant.report_order(s);
        order(a).cmp(&order(b))
    });
    let mut header = vec![
        "scenario".to_string(),
        "status".into(),
        "objective".into(),
        "gap".into(),
        "unmet".into(),
    ];
    header.extend(subjects.iter().map(|s| format!("unmet_{s}")));
    header.extend(COUNT_COLUMNS.map(String::from));
    let mut lines = vec![header.clone()];
    lines.extend(rows.iter().map(|r| cells(r, &subjects)));
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    for l in &lines {
        // Writing into memory cannot fail.
        w.write_record(l).expect("in-memory csv");
    }
    let csv = String::from_utf8(w.into_inner().expect("in-memory csv")).expect("utf-8 cells");
    if zh {
        lines[0] = header.iter().map(|h| header_zh(h)).collect();
    }
    Comparison {
        csv,
        text: aligned(&lines),
        subjects,
    }
}

/// One scenario's cells, in the header's order.
fn cells(r: &Row, subjects: &[String]) -> Vec<String> {
    let opt = |v: Option<f64>, f: fn(f64) -> String| v.map(f).unwrap_or_default();
    let mut cells = vec![
        r.name.clone(),
        r.status.to_string(),
        opt(r.objective, |x| format!("{x:.3}")),
        opt(r.gap, |x| format!("{x:.2e}")),
        r.unmet.values().sum::<u32>().to_string(),
    ];
    cells.extend((subjects.iter()).map(|s| r.unmet.get(s).copied().unwrap_or(0).to_string()));
    cells.extend([
        r.support.to_string(),
        r.learning.to_string(),
        r.extension.to_string(),
        r.trip_days.to_string(),
        format!("{:.1}", r.km_week),
        r.rules_broken.to_string(),
    ]);
    cells
}

/// The table for the terminal: each column right-aligned to its widest cell (by display
/// width, so 中文 counts double), two spaces apart.
fn aligned(lines: &[Vec<String>]) -> String {
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let columns = lines.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| lines.iter().map(|l| width(&l[c])).max().unwrap_or(0))
        .collect();
    let mut text = String::new();
    for l in lines {
        let cells: Vec<String> = (l.iter().zip(&widths))
            .map(|(c, &w)| format!("{}{c}", " ".repeat(w - width(c))))
            .collect();
        text += &cells.join("  ");
        text.push('\n');
    }
    text
}

/// A comparison column's name in 中文.
pub fn header_zh(en: &str) -> String {
    if let Some(subject) = en.strip_prefix("unmet_") {
        return format!("缺{subject}");
    }
    match en {
        "scenario" => "方案",
        "status" => "状态",
        "objective" => "目标值",
        "gap" => "差距",
        "unmet" => "缺口课时",
        "support" => "支教",
        "learning" => "跟岗",
        "extension" => "延期",
        "trip_days" => "走教人天",
        "km_week" => "周里程km",
        "rules_broken" => "未达标规则",
        other => other,
    }
    .to_string()
}
