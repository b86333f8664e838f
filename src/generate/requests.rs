//! requests.csv (西吉 2022: "根据乡镇学校的需求及申请选派"), for the profiles that write one.
//! Each member asks for teachers of its two largest shortages (periods its timetable needs
//! beyond what its own main-subject teachers carry, at least 12, most of a load): one
//! teacher, two from 28 periods short; only for subjects its community's leads can send
//! (two or more active, not unwilling teachers of that main subject for the member's stage,
//! with the three years of teaching a support move needs). About 30% of members also ask
//! for a cadre (副校长 or 中层 to help run the school).
//!
//! The bureau gathers the asks of a community against what it can grant: at most
//! ⌈10%⌉ of the leads' teachers, no more than the members have young teachers to send
//! back (西吉's exchange is reciprocal), cadres at most half the leads' cadres who may go;
//! the largest shortages first.

use super::curriculum::{Subj, N_SUBJ};
use super::random::{chance, Rand};
use super::staffing::{Tch, Willing};
use super::{CommunitySpec, Layout, PLAN_YEAR};

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
    if !layout.shape.requests {
        return Vec::new();
    }
    // Periods each school's own teachers carry, by main subject.
    let mut carried = vec![[0u32; N_SUBJ]; layout.schools.len()];
    for t in teachers {
        carried[t.school][t.subject.ix()] += t.capacity;
    }
    let mut out = Vec::new();
    for com in &layout.communities {
        let staff = teachers
            .iter()
            .filter(|t| com.cores.contains(&t.school))
            .count();
        let mut budget = budget(layout, teachers, com, staff);
        let leads = leads(teachers, com);
        let cadres = leads.iter().filter(|&&t| roles[t] != "teacher").count() / 2;
        let asks = asks(layout, teachers, demand, &carried, com, &leads);
        let mut granted = teachers_granted(asks, &mut budget);
        granted.extend(cadres_granted(com, cadres, budget, rng));
        // Each member's rows together, in the community's order, teachers before a cadre.
        granted.sort_by_key(|r| {
            (
                com.members.iter().position(|&m| m == r.school),
                r.subject.is_none(),
            )
        });
        out.extend(granted);
    }
    out
}

/// The community's lead teachers who may go: active, not unwilling, three years of
/// teaching.
fn leads(teachers: &[Tch], com: &CommunitySpec) -> Vec<usize> {
    (0..teachers.len())
        .filter(|&t| {
            let x = &teachers[t];
            com.cores.contains(&x.school)
                && !x.exempt
                && x.willing != Willing::No
                && PLAN_YEAR - x.hire >= 3
        })
        .collect()
}

/// What the members would ask for, largest shortage first: each member's two subjects
/// most short (by `MIN_SHORT` periods or more) that at least two `leads` of its stage
/// teach, as (periods short, school, subject).
fn asks(
    layout: &Layout,
    teachers: &[Tch],
    demand: &[Vec<(Subj, u32)>],
    carried: &[[u32; N_SUBJ]],
    com: &CommunitySpec,
    leads: &[usize],
) -> Vec<(u32, usize, Subj)> {
    let mut asks: Vec<(u32, usize, Subj)> = Vec::new();
    for &s in &com.members {
        let stage = layout.schools[s].stage;
        let can_send = |k: Subj| {
            let n = leads
                .iter()
                .filter(|&&t| teachers[t].subject == k && teachers[t].stage.fits(stage));
            n.count() >= 2
        };
        let mut short: Vec<(u32, usize, Subj)> = demand[s]
            .iter()
            .map(|&(k, need)| (need.saturating_sub(carried[s][k.ix()]), s, k))
            .filter(|&(gap, _, k)| gap >= MIN_SHORT && can_send(k))
            .collect();
        short.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
        asks.extend(short.into_iter().take(2));
    }
    asks.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    asks
}

/// The teacher requests granted within `budget`, in the order asked: two teachers for a
/// shortage of 28 periods or more, else one.
fn teachers_granted(asks: Vec<(u32, usize, Subj)>, budget: &mut u32) -> Vec<Request> {
    let mut granted = Vec::new();
    for (gap, s, k) in asks {
        let count = (if gap >= 28 { 2 } else { 1 }).min(*budget);
        if count > 0 {
            *budget -= count;
            granted.push(Request {
                school: s,
                subject: Some(k),
                count,
                note: format!("{}缺{gap}节/周", k.name()),
            });
        }
    }
    granted
}

/// Cadre requests: each member asks with chance 0.3 while the community has `cadres` to
/// send and `budget` left.
fn cadres_granted(
    com: &CommunitySpec,
    mut cadres: usize,
    mut budget: u32,
    rng: &mut Rand,
) -> Vec<Request> {
    let mut granted = Vec::new();
    for &s in &com.members {
        if chance(rng, 0.3) && cadres > 0 && budget > 0 {
            (cadres, budget) = (cadres - 1, budget - 1);
            granted.push(Request {
                school: s,
                subject: None,
                count: 1,
                note: "申请选派副校长或中层干部挂职".into(),
            });
        }
    }
    granted
}

/// People a community may ask for in all: ⌈10%⌉ of its leads' teachers, and no more than
/// its members' young teachers who could come to learn in exchange (active, willing, of
/// the profile's learning age, a year of teaching or more).
fn budget(layout: &Layout, teachers: &[Tch], com: &CommunitySpec, lead_staff: usize) -> u32 {
    let (men, women) = layout.shape.learning_ages;
    let young = teachers
        .iter()
        .filter(|t| {
            let limit = if t.female { women } else { men };
            com.members.contains(&t.school)
                && !t.exempt
                && t.willing != Willing::No
                && PLAN_YEAR - t.birth <= limit
                && PLAN_YEAR - t.hire >= 1
        })
        .count();
    (lead_staff.div_ceil(10)).min(young) as u32
}
