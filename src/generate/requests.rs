//! requests.csv (西吉 2022: "根据乡镇学校的需求及申请选派"), for the profiles that write one.
//! Each member asks for teachers of its two largest shortages (periods its timetable needs
//! beyond what its own main-subject teachers carry, at least 12, most of a load): one teacher,
//! two from 28 periods short; only for subjects its community's leads can send (two or more
//! teachers of that main subject for the member's stage). About 30% of members also ask for
//! a cadre (副校长 or 中层 to help run the school) when a lead has one.

use super::curriculum::{Subj, N_SUBJ};
use super::random::{chance, Rand};
use super::staffing::Tch;
use super::Layout;

/// A request before ids are given: school, subject (`None` = a cadre), count, note.
pub(crate) struct Request {
    pub school: usize,
    pub subject: Option<Subj>,
    pub count: u32,
    pub note: String,
}

/// Periods short below which a member does not ask.
const MIN_SHORT: u32 = 12;

pub(crate) fn requests(
    layout: &Layout,
    teachers: &[Tch],
    roles: &[&str],
    demand: &[Vec<(Subj, u32)>],
    rng: &mut Rand,
) -> Vec<Request> {
    let mut out = Vec::new();
    if !layout.shape.requests {
        return out;
    }
    // Periods each school's own teachers carry, by main subject.
    let mut carried = vec![[0u32; N_SUBJ]; layout.schools.len()];
    for t in teachers {
        carried[t.school][t.subject.ix()] += t.capacity;
    }
    for com in &layout.communities {
        let leads: Vec<usize> = (0..teachers.len())
            .filter(|&t| com.cores.contains(&teachers[t].school))
            .collect();
        let has_cadre = leads.iter().any(|&t| roles[t] != "teacher");
        for &s in &com.members {
            let stage = layout.schools[s].stage;
            let can_send = |k: Subj| {
                let n = leads
                    .iter()
                    .filter(|&&t| teachers[t].subject == k && teachers[t].stage.fits(stage));
                n.count() >= 2
            };
            let mut short: Vec<(Subj, u32)> = demand[s]
                .iter()
                .map(|&(k, need)| (k, need.saturating_sub(carried[s][k.ix()])))
                .filter(|&(k, gap)| gap >= MIN_SHORT && can_send(k))
                .collect();
            short.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            for &(k, gap) in short.iter().take(2) {
                out.push(Request {
                    school: s,
                    subject: Some(k),
                    count: if gap >= 28 { 2 } else { 1 },
                    note: format!("{}缺{gap}节/周", k.name()),
                });
            }
            if chance(rng, 0.3) && has_cadre {
                out.push(Request {
                    school: s,
                    subject: None,
                    count: 1,
                    note: "申请选派副校长或中层干部挂职".into(),
                });
            }
        }
    }
    out
}
