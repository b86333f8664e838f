//! The staff structure section: each community's core and member schools before and
//! after the plan — teachers, age bands, main subjects, backbone teachers.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::coverage::ordered_subjects;
use super::escape::esc;
use super::lang::Lang;
use crate::domain::{Community, Dataset, Placement, SubjectIx};
use crate::plan::Plan;

#[derive(Default)]
struct Staff {
    total: u32,
    /// <30, 30-39, 40-49, 50+.
    ages: [u32; 4],
    subjects: BTreeMap<SubjectIx, u32>,
    backbone: u32,
}

pub(super) fn structure(h: &mut String, ds: &Dataset, plan: &Plan, l: Lang) {
    let heading = match l {
        Lang::Zh => format!("各{}师资结构：交流前后", ds.policy.report.community_word),
        Lang::En => "Staff structure of each community, before and after".into(),
    };
    let _ = writeln!(
        h,
        "<section id=\"structure\">\n<h2>{}</h2>\n<p class=\"muted\">{}</p>",
        esc(&heading),
        l.pick(
            "按本学年在哪所学校任教计：“交流前”指交流期内的教师在交流学校、其余教师在本校；年龄按本学年计算。",
            "Teachers counted where they serve in the plan year (before: terms under way where they are, everyone else at home); ages in the plan year."
        )
    );
    let staff = staff_by_community(ds, plan);
    for (c, st) in ds.communities.iter().zip(&staff) {
        community_table(h, ds, c, st, l);
    }
    h.push_str("</section>\n");
}

/// Each community's staff: [community][core=0 / member=1][before=0 / after=1].
fn staff_by_community(ds: &Dataset, plan: &Plan) -> Vec<[[Staff; 2]; 2]> {
    let y = ds.policy.plan_year;
    let n = ds.communities.len();
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
    staff
}

/// Community `c`'s table: teachers, age bands, subjects, backbone, before and after.
fn community_table(h: &mut String, ds: &Dataset, c: &Community, st: &[[Staff; 2]; 2], l: Lang) {
    let _ = writeln!(
        h,
        "<h3>{}</h3>\n<table class=\"staff\">\n<tr><th></th><th colspan=\"2\">{}</th><th colspan=\"2\">{}</th></tr>\n<tr><th></th><th>{b}</th><th>{a}</th><th>{b}</th><th>{a}</th></tr>",
        esc(&format!("{} {}", c.id, c.name)),
        l.pick("核心校", "Core schools"),
        l.pick("成员校", "Member schools"),
        b = l.pick("交流前", "before"),
        a = l.pick("交流后", "after"),
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
