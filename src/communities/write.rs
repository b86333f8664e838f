//! The folder `lungang communities` writes: a dataset folder (simulate's writer, so the
//! files are those `validate` and `plan` read) holding the new partition, and beside it
//! community_coverage.csv, community_schools.csv, community_summary.json and
//! community_map.html. No timing goes into a file: the same input gives the same bytes.

use std::fmt::Write as _;

use super::{Formed, Role};
use crate::domain::SchoolKind;
use crate::report::escape::esc;
use crate::report::lang::school_kind_word;
use crate::report::Lang;
use crate::simulate::{csv, dataset_files};

/// Minutes and shares as plain decimals, one place (fixed, so bytes do not wobble).
fn d1(x: f64) -> String {
    format!("{x:.1}")
}

/// Every file of the output folder, by name: the dataset's (policy.toml as `policy`'s
/// text) and the reports.
pub fn files(f: &Formed, policy: &str, lang: Lang) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = dataset_files(&f.dataset, policy);
    out.push(("community_coverage.csv", coverage_csv(f)));
    out.push(("community_schools.csv", schools_csv(f)));
    out.push(("community_summary.json", summary_json(f)));
    out.push(("community_map.html", map_html(f, lang)));
    out
}

/// One row per community: its lead(s), members by kind, the leads' travel to them and
/// its shortage of periods.
pub fn coverage_csv(f: &Formed) -> Vec<u8> {
    let ds = &f.dataset;
    csv(
        "community,name,mode,core,members,rural_members,town_members,minutes_total,minutes_max,shortage_periods,new",
        f.communities.iter().map(|l| {
            let c = &ds.communities[l.community.ix()];
            let core: Vec<&str> = c.core.iter().map(|&s| ds.school(s).id.as_str()).collect();
            vec![
                c.id.clone(),
                c.name.clone(),
                c.mode.as_str().into(),
                core.join(";"),
                l.members.to_string(),
                l.rural_members.to_string(),
                l.town_members.to_string(),
                d1(l.minutes_total),
                d1(l.minutes_max),
                l.shortage.to_string(),
                if l.new { "yes" } else { "no" }.into(),
            ]
        }),
    )
}

/// One row per school: its community, role, travel from its lead and what changed.
pub fn schools_csv(f: &Formed) -> Vec<u8> {
    let ds = &f.dataset;
    csv(
        "school,name,kind,stage,community,role,minutes,change",
        f.schools.iter().map(|l| {
            let s = ds.school(l.school);
            vec![
                s.id.clone(),
                s.name.clone(),
                s.kind.as_str().into(),
                s.stage.as_str().into(),
                s.community
                    .map(|c| ds.communities[c.ix()].id.clone())
                    .unwrap_or_default(),
                l.role.as_str().into(),
                l.minutes.map(d1).unwrap_or_default(),
                l.change.as_str().into(),
            ]
        }),
    )
}

/// The headline: status, coverage, travel, shortage, the options in force.
pub fn summary_json(f: &Formed) -> Vec<u8> {
    let gap = (f.objective - f.bound).max(0.0) / f.objective.abs().max(1e-9);
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let rural_out: Vec<&str> = f
        .schools
        .iter()
        .filter(|l| l.role == Role::None)
        .map(|l| f.dataset.school(l.school))
        .filter(|s| s.kind == SchoolKind::Rural)
        .map(|s| s.id.as_str())
        .collect();
    let v = serde_json::json!({
        "status": f.status.as_str(),
        "objective": round(f.objective),
        "bound": round(f.bound),
        "gap": round(gap * 1e6) / 1e6,
        "communities": f.communities.len(),
        "new_communities": f.communities.iter().filter(|l| l.new).count(),
        "rural": {
            "schools": f.rural_total,
            "share_required": f.share,
            "required": f.required,
            "covered": f.rural_covered,
            "share_covered": round(f.rural_covered as f64 / (f.rural_total.max(1)) as f64),
            "outside": rural_out,
        },
        "travel_minutes": {
            "total": round(f.travel_total),
            "max": round(f.communities.iter().map(|l| l.minutes_max).fold(0.0, f64::max)),
            "limit": f.max_minutes,
        },
        "shortage_periods": f.shortage_total,
        "before": {
            "communities": f.before.communities,
            "rural_covered": f.before.rural_covered,
            "travel_minutes_total": round(f.before.travel_total),
            "travel_minutes_max": round(f.before.travel_max),
            "shortage_periods": f.before.shortage,
        },
        "options": {
            "coverage": f.options.coverage.to_string(),
            "max_minutes": f.max_minutes,
            "members": f.options.members.to_string(),
            "repair": f.options.repair,
            "balance": f.options.balance,
            "gap": f.options.gap,
        },
    });
    (serde_json::to_string_pretty(&v).unwrap_or_default() + "\n").into_bytes()
}

/// The page: headline, the map, the table of communities, the rural schools left out.
pub fn map_html(f: &Formed, l: Lang) -> Vec<u8> {
    let ds = &f.dataset;
    let word = match l {
        Lang::Zh => ds.policy.report.community_word.clone(),
        Lang::En => "community".to_string(),
    };
    let mut h = String::new();
    let title = match l {
        Lang::Zh => format!("{word}划分"),
        Lang::En => "Communities formed".to_string(),
    };
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>body{{font-family:sans-serif;margin:1.5em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 8px;text-align:left}}td.n{{text-align:right}}.muted{{color:#777}}</style></head><body>\n<h1>{}</h1>",
        l.pick("zh-CN", "en"),
        esc(&title),
        esc(&title)
    );
    let _ = writeln!(h, "<p>{}</p>", esc(&headline(f, &word, l)));
    h.push_str(&crate::report::community_svg(ds, l));
    h.push_str(&communities_table(f, &word, l));
    h.push_str(&left_out(f, &word, l));
    h.push_str("</body></html>\n");
    h.into_bytes()
}

/// Whether the partition is proven best, and its figures in a sentence.
fn headline(f: &Formed, word: &str, l: Lang) -> String {
    let status = match (f.status, l) {
        (super::Status::Optimal, Lang::Zh) => "已是最优方案".to_string(),
        (super::Status::Optimal, Lang::En) => "proven best".to_string(),
        (super::Status::Feasible, Lang::Zh) => format!(
            "方案尚未算完：与最优方案最多相差 {}，建议延长计算时间",
            crate::report::words::at_most_percent(
                (f.objective - f.bound).max(0.0) / f.objective.abs().max(1e-9)
            )
        ),
        (super::Status::Feasible, Lang::En) => {
            "stopped by the time limit: not proven best".to_string()
        }
    };
    match l {
            Lang::Zh => format!(
                "{status}。共 {} 个{word}（新组建 {} 个）；农村学校 {} 所，已加入 {} 所（要求不少于 {} 所）；牵头校到成员校车程合计 {} 分钟，单程不超过 {} 分钟。",
                f.communities.len(),
                f.communities.iter().filter(|c| c.new).count(),
                f.rural_total,
                f.rural_covered,
                f.required,
                d1(f.travel_total),
                d1(f.max_minutes)
            ),
            Lang::En => format!(
                "{status}. {} communities ({} new); {} of {} rural schools in a community ({} required); leads' travel to members {} minutes in all, none over {} minutes one way.",
                f.communities.len(),
                f.communities.iter().filter(|c| c.new).count(),
                f.rural_covered,
                f.rural_total,
                f.required,
                d1(f.travel_total),
                d1(f.max_minutes)
            ),
    }
}

/// The table of communities: lead, members, rural members, travel.
fn communities_table(f: &Formed, word: &str, l: Lang) -> String {
    let ds = &f.dataset;
    let mut h = String::new();
    let heads: [&str; 7] = match l {
        Lang::Zh => [
            "编号",
            "名称",
            "牵头校",
            "成员校",
            "其中农村",
            "车程合计（分钟）",
            "最远（分钟）",
        ],
        Lang::En => [
            "id",
            "name",
            "lead",
            "members",
            "rural",
            "minutes in all",
            "farthest (min)",
        ],
    };
    h.push_str("<h2>");
    h.push_str(&esc(&match l {
        Lang::Zh => format!("各{word}"),
        Lang::En => "Communities".to_string(),
    }));
    h.push_str("</h2>\n<table><tr>");
    for x in heads {
        let _ = write!(h, "<th>{}</th>", esc(x));
    }
    h.push_str("</tr>\n");
    for c in &f.communities {
        let cm = &ds.communities[c.community.ix()];
        let leads: Vec<&str> = cm
            .core
            .iter()
            .map(|&s| ds.school(s).name.as_str())
            .collect();
        let members: Vec<String> = cm
            .members
            .iter()
            .map(|&s| {
                let sc = ds.school(s);
                format!("{}（{}）", sc.name, school_kind_word(sc.kind, l))
            })
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&cm.id),
            esc(&cm.name),
            esc(&leads.join("、")),
            esc(&members.join("、")),
            c.rural_members,
            d1(c.minutes_total),
            d1(c.minutes_max)
        );
    }
    h.push_str("</table>\n");
    h
}

/// The rural schools in no community, when there are any.
fn left_out(f: &Formed, word: &str, l: Lang) -> String {
    let ds = &f.dataset;
    let mut h = String::new();
    let out: Vec<String> = f
        .schools
        .iter()
        .filter(|s| s.role == Role::None && ds.school(s.school).kind == SchoolKind::Rural)
        .map(|s| ds.school(s.school).name.clone())
        .collect();
    if !out.is_empty() {
        let _ = writeln!(
            h,
            "<h2>{}</h2>\n<p>{}</p>",
            esc(&match l {
                Lang::Zh => format!("尚未加入{word}的农村学校（{} 所）", out.len()),
                Lang::En => format!("Rural schools in no community ({})", out.len()),
            }),
            esc(&out.join("、"))
        );
    }
    h
}
