//! schools.csv `priority` (平顶山 2025: "优先保障薄弱学校、小规模学校、寄宿制学校"), for the
//! profiles that rank schools. Outside the seat: a 小规模 school (10 teachers or fewer)
//! 1.5, a 寄宿制 one (it teaches grades 7-9: township 初级中学 and 九年一贯制, which board
//! pupils from the villages) 1.3, a 薄弱 one (its staff carry less than 90% of its
//! timetable) 1.2; the largest that applies, else 1.

use super::curriculum::Subj;
use super::staffing::Tch;
use super::{Kind, Layout};

/// Each school's priority; all `None` when the profile writes no priority column.
pub(crate) fn priorities(
    layout: &Layout,
    teachers: &[Tch],
    demand: &[Vec<(Subj, u32)>],
) -> Vec<Option<f64>> {
    let n = layout.schools.len();
    if !layout.shape.priority {
        return vec![None; n];
    }
    let mut size = vec![0usize; n];
    let mut carried = vec![0u32; n];
    for t in teachers {
        size[t.school] += 1;
        carried[t.school] += t.capacity;
    }
    (0..n)
        .map(|s| {
            let sp = &layout.schools[s];
            let needed: u32 = demand[s].iter().map(|&(_, p)| p).sum();
            let p = if sp.kind == Kind::Urban {
                1.0
            } else if size[s] <= 10 {
                1.5
            } else if sp.stage.has_junior() {
                1.3
            } else if (carried[s] as f64) < 0.9 * needed as f64 {
                1.2
            } else {
                1.0
            };
            Some(p)
        })
        .collect()
}
