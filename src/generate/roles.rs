//! 职务 (teachers.csv `role`): one 校长 a school, 副校长 by the school's size (one from 10
//! teachers, two from 40, three from 90), and as 中层 the teachers whose load staffing cut
//! by 4 periods for it (a school with no one else has a 中层 as 校长). Heads are drawn among active teachers of 10 years or more with a
//! title of 一级 or above (the longest-serving others when a school has none).

use super::random::{below, Rand};
use super::staffing::Tch;
use super::{Layout, PLAN_YEAR};

/// The role of each teacher, in teacher order.
pub(crate) fn roles(layout: &Layout, teachers: &[Tch], rng: &mut Rand) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = teachers
        .iter()
        .map(|t| if t.middle { "middle" } else { "teacher" })
        .collect();
    let mut by_school: Vec<Vec<usize>> = vec![Vec::new(); layout.schools.len()];
    for (i, t) in teachers.iter().enumerate() {
        by_school[t.school].push(i);
    }
    for staff in &by_school {
        let vices = match staff.len() {
            n if n >= 90 => 3,
            n if n >= 40 => 2,
            n if n >= 10 => 1,
            _ => 0,
        };
        for role in std::iter::once("principal").chain(std::iter::repeat_n("vice_principal", vices))
        {
            let mut open: Vec<usize> = staff
                .iter()
                .copied()
                .filter(|&t| out[t] == "teacher")
                .collect();
            // A school of 中层 alone still has a 校长.
            if open.is_empty() && role == "principal" {
                open.clone_from(staff);
            }
            if let Some(t) = head(rng, teachers, &open) {
                out[t] = role;
            }
        }
    }
    out
}

/// A head among `open`: drawn among the senior ones (active, 10+ years, 一级 or above),
/// else the longest-serving (lowest index on ties).
fn head(rng: &mut Rand, teachers: &[Tch], open: &[usize]) -> Option<usize> {
    let senior: Vec<usize> = open
        .iter()
        .copied()
        .filter(|&t| {
            let x = &teachers[t];
            !x.exempt
                && PLAN_YEAR - x.hire >= 10
                && matches!(x.title, Some("一级" | "高级" | "正高级"))
        })
        .collect();
    if !senior.is_empty() {
        return Some(senior[below(rng, senior.len())]);
    }
    open.iter().copied().min_by_key(|&t| (teachers[t].hire, t))
}
