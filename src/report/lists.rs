//! The exchange list (交流名单) by community, this year's decisions apart from terms
//! under way (交流期内), and last year's list beside this year's.

use std::fmt::Write;

use super::escape::{esc, school_label};
use super::lang::{kind_word, Lang};
use super::roster::{by_community, last_year, person, person_headers, Since};
use super::words::{school_year, term};
use crate::domain::Dataset;
use crate::plan::{Assignment, AssignmentKind, Plan};

/// A community's name as its heading shows it, or the word for moves outside any.
fn community_heading(ds: &Dataset, c: Option<crate::domain::CommunityIx>, l: Lang) -> String {
    match c {
        Some(c) => {
            let c = &ds.communities[c.ix()];
            format!("{} {}", c.id, c.name)
        }
        None => match l {
            Lang::Zh => format!("不属于任何{}", ds.policy.report.community_word),
            Lang::En => "Outside any community".into(),
        },
    }
}

/// "支教3人，跟岗3人，交流期内5人": the kinds present, in kind order.
fn kind_counts(lines: &[&Assignment], l: Lang) -> String {
    let kinds = [
        AssignmentKind::Support,
        AssignmentKind::Learning,
        AssignmentKind::Extension,
        AssignmentKind::Continuing,
    ];
    let parts: Vec<String> = kinds
        .iter()
        .filter_map(|&k| {
            let n = lines.iter().filter(|a| a.kind == k).count();
            (n > 0).then(|| match l {
                Lang::Zh => format!("{}{n}人", kind_word(k, l)),
                Lang::En => format!("{n} {}", kind_word(k, l)),
            })
        })
        .collect();
    parts.join(l.pick("，", ", "))
}

pub(super) fn moves(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
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
    let note = match l {
        Lang::Zh => format!(
            "{}，按{}列出：本学年新交流与延期在前，交流期内的教师另列。年龄按本学年计算。",
            school_year(ds.policy.plan_year, l),
            ds.policy.report.community_word
        ),
        Lang::En => "By community: this year's new moves and extensions first, terms under way apart. Ages in the plan year.".into(),
    };
    let _ = writeln!(h, "<p class=\"muted\">{}</p>", esc(&note));
    for g in by_community(ds, plan) {
        let all: Vec<&Assignment> = g.decided.iter().chain(&g.under_way).copied().collect();
        let _ = writeln!(
            h,
            "<h3>{} <span class=\"muted\">{}</span></h3>",
            esc(&community_heading(ds, g.community, l)),
            esc(&kind_counts(&all, l))
        );
        if !g.decided.is_empty() {
            list_table(h, ds, &g.decided, l);
        }
        if !g.under_way.is_empty() {
            let _ = writeln!(
                h,
                "<p><b>{}</b></p>",
                l.pick(
                    "交流期内（往年开始，本学年继续）",
                    "Terms under way (begun before, going on)"
                )
            );
            list_table(h, ds, &g.under_way, l);
        }
    }
    h.push_str("</section>\n");
}

/// One table of the list: a row per teacher with their particulars, the two schools, the
/// kind and the term.
fn list_table(h: &mut String, ds: &Dataset, lines: &[&Assignment], l: Lang) {
    h.push_str("<table class=\"list\">\n<thead><tr>");
    let head = [
        l.pick("序号", "No."),
        l.pick("教师编号", "Teacher"),
        l.pick("姓名", "Name"),
    ]
    .into_iter()
    .chain(person_headers(l))
    .chain([
        l.pick("派出学校", "From"),
        l.pick("接收学校", "To"),
        l.pick("类型", "Kind"),
        l.pick("交流期", "Term"),
        l.pick("原因", "Why"),
    ]);
    for c in head {
        let _ = write!(h, "<th>{c}</th>");
    }
    h.push_str("</tr></thead>\n");
    for (i, a) in lines.iter().enumerate() {
        let te = ds.teacher(a.teacher);
        let _ = write!(
            h,
            "<tr class=\"move {}\"><td class=\"n\">{}</td><td>{}</td><td>{}</td>",
            a.kind.as_str(),
            i + 1,
            esc(&te.id),
            esc(&te.name)
        );
        for c in person(ds, a.teacher, l) {
            let _ = write!(h, "<td>{}</td>", esc(&c));
        }
        let _ = writeln!(
            h,
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"why\">{}</td></tr>",
            school_label(ds, te.home),
            school_label(ds, a.host),
            kind_word(a.kind, l),
            esc(&term(a.start_year, a.end_year, l)),
            esc(match l {
                Lang::Zh => &a.why.zh,
                Lang::En => &a.why.en,
            })
        );
    }
    h.push_str("</table>\n");
}

/// Last year's list beside this year's: how many served, ended, were extended, go on,
/// and how many are new, each with the names.
pub(super) fn compared_with_last_year(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let y = ds.policy.plan_year;
    let changes = last_year(ds, plan);
    let heading = match l {
        Lang::Zh => format!("与上一学年对比（{}）", school_year(y - 1, l)),
        Lang::En => format!("Compared with last year ({})", school_year(y - 1, l)),
    };
    let _ = writeln!(h, "<section id=\"last-year\">\n<h2>{}</h2>", esc(&heading));
    let served = changes
        .iter()
        .filter(|c| c.since.served_last_year())
        .count();
    let now = changes
        .iter()
        .filter(|c| c.since.serves_this_year())
        .count();
    let _ = writeln!(
        h,
        "<p>{}</p>",
        esc(&match l {
            Lang::Zh => format!("上一学年在交流{served}人；本学年在交流{now}人。"),
            Lang::En => format!("{served} served away last year; {now} serve away this year."),
        })
    );
    let _ = writeln!(
        h,
        "<table>\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        l.pick("类别", "Group"),
        l.pick("人数", "Teachers"),
        l.pick("名单", "Names")
    );
    for k in Since::ALL {
        let names: Vec<String> = changes
            .iter()
            .filter(|c| c.since == k)
            .map(|c| ds.teacher(c.teacher).name.clone())
            .collect();
        let _ = writeln!(
            h,
            "<tr class=\"since {}\"><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            since_class(k),
            k.word(l),
            names.len(),
            esc(&names.join(l.pick("、", ", ")))
        );
    }
    h.push_str("</table>\n</section>\n");
}

fn since_class(k: Since) -> &'static str {
    match k {
        Since::Ends => "ends",
        Since::Extends => "extends",
        Since::UnderWay => "under-way",
        Since::Decided => "decided",
        Since::New => "new",
    }
}
