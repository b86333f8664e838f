//! `comparison.html` of a what-if run: the scenarios side by side, each linking to its own
//! `report.html`. Self-contained like the plan report: no script, no network.

use std::fmt::Write;

use super::compare::{header_zh, Row, COUNT_COLUMNS};
use crate::plan::num;
use crate::report::escape::esc;
use crate::report::style::CSS;
use crate::report::Lang;

/// The page. `folders[i]` is the folder of `rows[i]`'s plan, beside the page; `subjects`
/// are the unmet columns in the table's order (音体美 first).
pub fn comparison_html(rows: &[Row], folders: &[String], subjects: &[String], l: Lang) -> String {
    let mut h = String::new();
    let title = l.pick("方案比较", "Scenario comparison");
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n",
        l.pick("zh-CN", "en"),
    );
    let _ = writeln!(
        h,
        "<p class=\"muted\">{}</p>",
        l.pick(
            "第一行是不做改变的现状方案；每个方案的名称链接到它自己的完整报告。",
            "The first row is the county as it is; each name links to that scenario's full report."
        )
    );
    chart(&mut h, rows, l);
    table(&mut h, rows, folders, subjects, l);
    h.push_str("</body>\n</html>\n");
    h
}

fn head(en: &str, l: Lang) -> String {
    match l {
        Lang::Zh => header_zh(en),
        Lang::En => en.replace('_', " "),
    }
}

/// Unmet periods a week per scenario, as bars against the largest.
fn chart(h: &mut String, rows: &[Row], l: Lang) {
    const LABEL_W: f64 = 180.0;
    const BAR_W: f64 = 520.0;
    const ROW_H: f64 = 24.0;
    let total = |r: &Row| r.unmet.values().sum::<u32>();
    let max = rows.iter().map(total).max().unwrap_or(0).max(1) as f64;
    let height = ROW_H * rows.len() as f64 + 8.0;
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<svg id=\"unmet-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" role=\"img\">",
        l.pick("每周缺口课时", "Unmet periods a week"),
        w = LABEL_W + BAR_W + 70.0,
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 4.0 + ROW_H * i as f64;
        let u = total(r);
        let w = BAR_W * u as f64 / max;
        let fill = if i == 0 { "#888" } else { "#1f77b4" };
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\">{}</text><rect class=\"bar\" x=\"{LABEL_W}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{fill}\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"13\">{u}</text>",
            LABEL_W - 6.0,
            y + 15.0,
            esc(&r.name),
            ROW_H - 6.0,
            LABEL_W + w + 4.0,
            y + 15.0,
        );
    }
    h.push_str("</svg>\n");
}

fn table(h: &mut String, rows: &[Row], folders: &[String], subjects: &[String], l: Lang) {
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table id=\"comparison\">",
        l.pick("各方案指标", "Scenarios")
    );
    h.push_str("<tr>");
    let mut cols: Vec<String> = ["scenario", "status", "objective", "gap", "unmet"]
        .iter()
        .map(|c| head(c, l))
        .collect();
    cols.push(l.pick("较现状", "vs base").to_string());
    cols.extend(subjects.iter().map(|s| head(&format!("unmet_{s}"), l)));
    cols.extend(COUNT_COLUMNS.iter().map(|c| head(c, l)));
    for c in &cols {
        let _ = write!(h, "<th>{}</th>", esc(c));
    }
    h.push_str("</tr>\n");
    let base = rows.first().map(|r| r.unmet.values().sum::<u32>());
    for (r, folder) in rows.iter().zip(folders) {
        let unmet = r.unmet.values().sum::<u32>();
        let delta = base.map_or(String::new(), |b| {
            let d = unmet as i64 - b as i64;
            if d > 0 {
                format!("+{d}")
            } else {
                d.to_string()
            }
        });
        let status = match r.status {
            "optimal" => l.pick("最优", "optimal"),
            "feasible" => l.pick("可行", "feasible"),
            _ => l.pick("无方案", "none"),
        };
        let _ = write!(
            h,
            "<tr class=\"scenario\"><td><a href=\"{}/report.html\">{}</a></td><td>{status}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{unmet}</td><td class=\"n\">{delta}</td>",
            esc(folder),
            esc(&r.name),
            r.objective.map(num).unwrap_or_default(),
            r.gap.map(|g| format!("{g:.2e}")).unwrap_or_default(),
        );
        for s in subjects {
            let u = r.unmet.get(s).copied().unwrap_or(0);
            let _ = write!(
                h,
                "<td class=\"n{}\">{u}</td>",
                if u > 0 { " short" } else { "" }
            );
        }
        let broken = if r.rules_broken > 0 { " broken" } else { "" };
        let _ = writeln!(
            h,
            "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td><td class=\"n{broken}\">{}</td></tr>",
            r.support, r.learning, r.extension, r.trip_days, r.km_week, r.rules_broken
        );
    }
    h.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn row(name: &str, music: u32, broken: usize) -> Row {
        Row {
            name: name.into(),
            status: "optimal",
            objective: Some(1000.0 * music as f64),
            gap: Some(0.0),
            unmet: BTreeMap::from([("音乐".to_string(), music)]),
            support: 3,
            learning: 1,
            extension: 0,
            trip_days: 4,
            km_week: 52.5,
            rules_broken: broken,
        }
    }

    #[test]
    fn lists_each_scenario_with_its_link_and_change_against_the_base() {
        let rows = [row("base", 10, 0), row("hire <6>", 4, 1)];
        let folders = ["00-base".to_string(), "01-hire _6_".to_string()];
        let page = comparison_html(&rows, &folders, &["音乐".into()], Lang::Zh);
        assert_eq!(page.matches("<tr class=\"scenario\">").count(), 2);
        assert!(page.contains("<a href=\"01-hire _6_/report.html\">hire &lt;6&gt;</a>"));
        assert!(page.contains("<td class=\"n\">-6</td>"), "{page}");
        assert!(page.contains("<th>缺音乐</th>"));
        assert_eq!(page.matches("<rect class=\"bar\"").count(), 2);
        assert!(page.contains("<td class=\"n broken\">1</td>"));
        let en = comparison_html(&rows, &folders, &["音乐".into()], Lang::En);
        assert!(en.contains("<th>unmet 音乐</th>") && en.contains("vs base"));
    }
}
