//! The report's section on the planner's own decisions: the pins the plan holds (人工指定)
//! and, with a kept plan (`plan --keep`), each name that differs from it: added, removed,
//! re-hosted (TERMS.md's words).

use std::fmt::Write;

use super::escape::esc;
use super::lang::Lang;
use crate::domain::{Dataset, SchoolIx};
use crate::plan::{Change, Plan};

/// The section, or nothing when the plan has no pins and keeps no plan.
pub fn changes_html(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let pinned: Vec<_> = ds.teachers.iter().filter(|t| !t.pins.is_empty()).collect();
    if pinned.is_empty() && plan.changes.is_none() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"changes\">\n<h2>{}</h2>",
        l.pick("人工指定与调整", "Pins and changes")
    );
    if !pinned.is_empty() {
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            l.pick("人工指定", "Pins"),
            l.pick("教师编号", "Teacher"),
            l.pick("姓名", "Name"),
            l.pick("操作", "Action"),
            l.pick("学校", "School"),
            l.pick("备注", "Note"),
        );
        for te in pinned {
            for p in &te.pins {
                let _ = writeln!(
                    h,
                    "<tr class=\"pin\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&te.id),
                    esc(&te.name),
                    l.pick(p.action.zh(), p.action.as_str()),
                    p.school.map_or_else(String::new, |s| label(ds, s)),
                    esc(&p.note)
                );
            }
        }
        h.push_str("</table>\n");
    }
    if let Some(changes) = &plan.changes {
        list(h, ds, changes, l);
    }
    h.push_str("</section>\n");
}

/// The names that differ from the kept plan, counted.
fn list(h: &mut String, ds: &Dataset, changes: &[Change], l: Lang) {
    let _ = writeln!(
        h,
        "<h3>{}</h3>\n<p id=\"change-count\">{}</p>",
        l.pick("与原方案相比的变动", "Changes from the kept plan"),
        match l {
            Lang::Zh => format!("与原方案相比，{} 名教师的安排有变动。", changes.len()),
            Lang::En => format!(
                "{} teacher(s) placed differently from the kept plan.",
                changes.len()
            ),
        }
    );
    if changes.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l.pick("教师编号", "Teacher"),
        l.pick("姓名", "Name"),
        l.pick("变动", "Change"),
        l.pick("原安排", "Before"),
        l.pick("新安排", "After"),
    );
    for c in changes {
        let te = ds.teacher(c.teacher);
        let what = if c.before == te.home {
            l.pick("新增", "added")
        } else if c.after == te.home {
            l.pick("取消", "removed")
        } else {
            l.pick("改派", "re-hosted")
        };
        let _ = writeln!(
            h,
            "<tr class=\"change\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&te.id),
            esc(&te.name),
            what,
            place(ds, c.before, te.home, l),
            place(ds, c.after, te.home, l)
        );
    }
    h.push_str("</table>\n");
}

fn label(ds: &Dataset, s: SchoolIx) -> String {
    esc(&format!("{} {}", ds.school(s).id, ds.school(s).name))
}

/// A school, or "本校（派出学校）" when it is the teacher's home.
fn place(ds: &Dataset, s: SchoolIx, home: SchoolIx, l: Lang) -> String {
    if s == home {
        format!("{}（{}）", label(ds, s), l.pick("留在本校", "at home"))
    } else {
        label(ds, s)
    }
}
