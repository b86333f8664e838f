//! Classes, timetable demand and the teachers of each school.
//!
//! A school's classes are chosen so that its demand, at the loads of `curriculum::load`,
//! needs a few % more teachers than it has (0% in the seat, 3% in towns, 6% in villages).
//! Its teachers are then split over subjects in proportion to that need, except 音乐, 美术
//! and 体育 (surplus in the seat, short in villages: about half a music and half an art
//! teacher per village school) and 英语 in villages (short), so the shortage sits where
//! county surveys find it.

use super::curriculum::{fte_per_class, hours, load, Subj, N_SUBJ};
use super::geography::apportion;
use super::names::person;
use super::random::{between, chance, normalish, stochastic_round, unit, weighted, Rand};
use super::{Kind, Layout, SchoolSpec, Stage, PLAN_YEAR};

/// The stage a teacher teaches (FORMAT.md `stage`; `Both` = column empty in a nine-year
/// school).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TStage {
    Primary,
    Junior,
    Both,
}

impl TStage {
    pub(crate) fn has_primary(self) -> bool {
        self != TStage::Junior
    }
    pub(crate) fn has_junior(self) -> bool {
        self != TStage::Primary
    }
    pub(crate) fn fits(self, s: Stage) -> bool {
        (self.has_primary() && s.has_primary()) || (self.has_junior() && s.has_junior())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Willing {
    Yes,
    No,
    Unknown,
}

/// A teacher before ids are given.
#[derive(Clone, Debug)]
pub(crate) struct Tch {
    pub school: usize,
    pub name: String,
    pub subject: Subj,
    pub extras: Vec<Subj>,
    pub stage: TStage,
    pub female: bool,
    pub birth: i32,
    pub hire: i32,
    pub since: i32,
    pub title: Option<&'static str>,
    pub backbone: bool,
    pub rural_years: u32,
    /// Periods a week actually carried.
    pub capacity: u32,
    pub exempt: bool,
    pub willing: Willing,
    /// A 中层干部 (教务、德育、总务 …), who carries 4 periods less.
    pub middle: bool,
}

pub(crate) struct Staffed {
    pub teachers: Vec<Tch>,
    /// Per school: periods a week by subject (only subjects with periods > 0).
    pub demand: Vec<Vec<(Subj, u32)>>,
}

/// The share of extra need over staff a school's classes are chosen for.
fn shortage(kind: Kind) -> f64 {
    match kind {
        Kind::Urban => 0.0,
        Kind::Town => 0.03,
        Kind::Rural => 0.05,
    }
}

/// Classes per grade (index 1..=9) for a school of `size` teachers.
fn classes(rng: &mut Rand, kind: Kind, stage: Stage, size: usize, point: bool) -> [u32; 10] {
    let target = size as f64 * (1.0 + shortage(kind));
    let mut grades: Vec<usize> = stage.grades().collect();
    // A small village school or 教学点 keeps only the lower grades (不完全小学).
    if stage == Stage::Primary && (kind == Kind::Rural || point) {
        while grades.len() > 1 && grades.iter().map(|&g| fte_per_class(g)).sum::<f64>() > target {
            grades.pop();
        }
    }
    let mut c = [0u32; 10];
    let mut total = 0.0;
    for &g in &grades {
        c[g] = 1;
        total += fte_per_class(g);
    }
    // More classes, one grade at a time in a shuffled order, while they fit the target.
    let mut order = grades.clone();
    super::random::shuffle(rng, &mut order);
    loop {
        let mut added = false;
        for &g in &order {
            let f = fte_per_class(g);
            if total + f <= target + f / 2.0 {
                c[g] += 1;
                total += f;
                added = true;
            }
        }
        if !added {
            break;
        }
    }
    c
}

/// How many teachers of an arts/PE subject (or of 英语 in a village) a school has, for a
/// need of `q` teachers: the seat has a surplus, villages a shortage.
fn fixed_count(rng: &mut Rand, kind: Kind, k: Subj, q: f64) -> Option<usize> {
    let f = match (kind, k) {
        (Kind::Urban, Subj::Yinyue | Subj::Meishu) => 1.3,
        (Kind::Urban, Subj::Tiyu) => 1.2,
        (Kind::Town, Subj::Yinyue | Subj::Meishu | Subj::Tiyu) => 1.0,
        // Village schools: about half a music and half an art teacher each.
        (Kind::Rural, Subj::Yinyue | Subj::Meishu) => 0.6,
        (Kind::Rural, Subj::Tiyu) => 0.75,
        (Kind::Rural, Subj::Yingyu) => 0.8,
        _ => return None,
    };
    Some(stochastic_round(rng, q * f))
}

/// Staffs every school of the layout, in school order.
pub(crate) fn staff_county(layout: &Layout, rng: &mut Rand) -> Staffed {
    let mut teachers = Vec::new();
    let mut demand = Vec::with_capacity(layout.schools.len());
    for s in 0..layout.schools.len() {
        let d = staff_school(layout, s, rng, &mut teachers);
        demand.push(d);
    }
    Staffed { teachers, demand }
}

fn staff_school(layout: &Layout, s: usize, rng: &mut Rand, out: &mut Vec<Tch>) -> Vec<(Subj, u32)> {
    let sp = &layout.schools[s];
    let point = sp.name.ends_with("教学点");
    let c = classes(rng, sp.kind, sp.stage, sp.size, point);
    // Periods by part (0 = grades 1-6, 1 = grades 7-9) and subject.
    let mut part = [[0u32; N_SUBJ]; 2];
    for (g, &n) in c.iter().enumerate().skip(1) {
        let h = hours(g);
        for k in 0..N_SUBJ {
            part[usize::from(g >= 7)][k] += n * h[k];
        }
    }
    let demand: Vec<(Subj, u32)> = Subj::ALL
        .iter()
        .map(|&k| (k, part[0][k.ix()] + part[1][k.ix()]))
        .filter(|&(_, p)| p > 0)
        .collect();
    let first = out.len();
    for ((p, k), n) in teacher_counts(rng, sp, &part) {
        for _ in 0..n {
            let stage = match sp.stage {
                Stage::Primary => TStage::Primary,
                Stage::Junior => TStage::Junior,
                // 音体美 and 信息科技 teachers of a nine-year school often teach both parts.
                Stage::NineYear if (k.is_arts_pe() || k == Subj::Xinxi) && chance(rng, 0.35) => {
                    TStage::Both
                }
                Stage::NineYear if p == 0 => TStage::Primary,
                Stage::NineYear => TStage::Junior,
            };
            out.push(person_of(rng, layout, s, k, stage));
        }
    }
    add_extras(rng, sp.kind, sp.stage, &part, &mut out[first..]);
    demand
}

/// How many teachers each (part, subject) of the school's periods `part` gets: arts/PE
/// and village 英语 their own counts (`fixed_count`), within the school's size; the rest
/// of its teachers shared by need.
fn teacher_counts(
    rng: &mut Rand,
    sp: &SchoolSpec,
    part: &[[u32; N_SUBJ]; 2],
) -> Vec<((usize, Subj), usize)> {
    let mut items: Vec<(usize, Subj, f64)> = Vec::new();
    for (p, row) in part.iter().enumerate() {
        for &k in &Subj::ALL {
            if row[k.ix()] > 0 {
                items.push((p, k, row[k.ix()] as f64 / load(p == 1, k) as f64));
            }
        }
    }
    let mut counts: Vec<Option<usize>> = items
        .iter()
        .map(|&(_, k, q)| fixed_count(rng, sp.kind, k, q))
        .collect();
    // A tiny school cannot keep more specialists than it has teachers.
    while counts.iter().flatten().sum::<usize>() > sp.size {
        let i = (0..counts.len())
            .filter(|&i| counts[i].is_some_and(|n| n > 0))
            .max_by(|&a, &b| counts[a].cmp(&counts[b]).then(b.cmp(&a)))
            .expect("a positive count");
        counts[i] = counts[i].map(|n| n - 1);
    }
    let rest = sp.size - counts.iter().flatten().sum::<usize>();
    let weights: Vec<f64> = items
        .iter()
        .zip(&counts)
        .map(|(it, c)| if c.is_none() { it.2 } else { 0.0 })
        .collect();
    let split = if weights.iter().sum::<f64>() > 0.0 {
        apportion(rest, &weights, false)
    } else {
        apportion(rest, &vec![1.0; items.len()], false)
    };
    (items.iter().enumerate())
        .map(|(i, &(p, k, _))| ((p, k), counts[i].unwrap_or(split[i])))
        .collect()
}

/// Periods a week a teacher of `stage` and main subject `k` carries.
fn base_load(stage: TStage, k: Subj) -> u32 {
    match stage {
        TStage::Primary => load(false, k),
        TStage::Junior => load(true, k),
        TStage::Both => load(false, k).min(load(true, k)),
    }
}

/// Mean age by where the school stands (about 39 in the seat, 44 in towns, 48 in villages,
/// as county teacher surveys report); the means are set a little above those because the
/// retirement ages (55 women, 60 men) cut the upper tail. A profile may shift the town and
/// village means (西吉's young 特岗教师).
fn mean_age(kind: Kind, shift: f64) -> f64 {
    match kind {
        Kind::Urban => 39.3,
        Kind::Town => 46.0 + shift,
        Kind::Rural => 52.0 + shift,
    }
}

/// One teacher of subject `k` at school `s`, drawn in order: gender, age, career,
/// title, backbone, exemption, willingness, middle manager, name.
fn person_of(rng: &mut Rand, layout: &Layout, s: usize, k: Subj, stage: TStage) -> Tch {
    let kind = layout.schools[s].kind;
    let female = chance(rng, female_share(kind, stage, k));
    let max_age = if female { 55 } else { 59 };
    let age = draw_age(rng, mean_age(kind, layout.shape.age_shift), max_age);
    let birth = PLAN_YEAR - age;
    let Career {
        hire,
        since,
        rural_years,
    } = career(rng, kind, age);
    let teaching = PLAN_YEAR - hire;
    let title = title_of(rng, kind, teaching);
    // Backbone (骨干教师): 20-25% in town and city schools, 5-8% in villages, drawn among
    // teachers of 5+ years with title 一级 or above (about 80% of all).
    let p_backbone = match kind {
        Kind::Urban => 0.27,
        Kind::Town => 0.25,
        Kind::Rural => 0.085,
    };
    let backbone = teaching >= 5
        && matches!(title, Some("一级" | "高级" | "正高级"))
        && chance(rng, p_backbone);
    // About 3% exempt (illness, pregnancy, near retirement): mostly the oldest.
    let exempt = chance(rng, if age >= max_age - 2 { 0.25 } else { 0.015 });
    let willing = if exempt {
        Willing::Unknown
    } else {
        match weighted(rng, &[0.08, 0.12, 0.80]) {
            Some(0) => Willing::No,
            Some(1) => Willing::Yes,
            _ => Willing::Unknown,
        }
    };
    let mut capacity = base_load(stage, k);
    // Middle managers (中层干部) teach about 4 periods less.
    let middle = chance(rng, 0.06);
    if middle {
        capacity = capacity.saturating_sub(4).max(6);
    }
    Tch {
        school: s,
        name: person(rng, layout.surnames, female),
        subject: k,
        extras: Vec::new(),
        stage,
        female,
        birth,
        hire,
        since,
        title,
        backbone,
        rural_years,
        capacity,
        exempt,
        willing,
        middle,
    }
}

/// The chance a teacher is a woman: most primary teachers in towns and cities, fewer in
/// villages and in PE.
fn female_share(kind: Kind, stage: TStage, k: Subj) -> f64 {
    let p = match (kind, stage == TStage::Junior) {
        (Kind::Urban, false) => 0.8,
        (Kind::Town, false) => 0.66,
        (Kind::Rural, false) => 0.5,
        (Kind::Urban, true) => 0.62,
        (Kind::Town, true) => 0.5,
        (Kind::Rural, true) => 0.4,
    };
    if k == Subj::Tiyu {
        p * 0.4
    } else if matches!(k, Subj::Yinyue | Subj::Meishu) {
        (p * 1.2_f64).min(0.9)
    } else {
        p
    }
}

/// An age about `mean` (22 to `max_age`, redrawn up to 20 times, then clamped).
fn draw_age(rng: &mut Rand, mean: f64, max_age: i32) -> i32 {
    let mut age = 0;
    for _ in 0..20 {
        age = (mean + 8.5 * normalish(rng)).round() as i32;
        if (22..=max_age).contains(&age) {
            break;
        }
    }
    age.clamp(22, max_age)
}

/// When a teacher was hired and came to the school, and their years in village schools.
struct Career {
    hire: i32,
    since: i32,
    rural_years: u32,
}

/// The career of a teacher of `age` at a school of `kind`.
fn career(rng: &mut Rand, kind: Kind, age: i32) -> Career {
    let birth = PLAN_YEAR - age;
    // First post at about 22 (a normal-university degree), never after the teacher's age.
    let hire_age = ((22.0 + 1.5 * normalish(rng)).round() as i32).clamp(19, 28);
    let hire = birth + hire_age.min(age);
    let teaching = PLAN_YEAR - hire;
    let stay = match kind {
        Kind::Urban => 0.3,
        Kind::Town => 0.35,
        Kind::Rural => 0.45,
    };
    let since = if teaching == 0 || chance(rng, stay) {
        hire
    } else {
        hire + between(rng, 1, teaching as i64) as i32
    };
    let before = (since - hire) as i64;
    let rural_years = match kind {
        Kind::Rural => {
            let prior = if before > 0 && chance(rng, 0.6) {
                between(rng, 0, before)
            } else {
                0
            };
            (PLAN_YEAR - since) as i64 + prior
        }
        // Many town and city teachers started in a village (特岗, 考调).
        _ if before > 0 && chance(rng, 0.5) => between(rng, 1, before),
        _ => 0,
    } as u32;
    Career {
        hire,
        since,
        rural_years,
    }
}

/// 职称 by years of teaching (二级 after a year, 一级 after about 5, 高级 after about 13 for
/// those who get one; 高级 places are scarcer in villages).
fn title_of(rng: &mut Rand, kind: Kind, teaching: i32) -> Option<&'static str> {
    let senior = match kind {
        Kind::Urban => 0.4,
        Kind::Town => 0.3,
        Kind::Rural => 0.18,
    };
    Some(match teaching {
        0 => return None,
        1..=4 => {
            if chance(rng, 0.2) {
                "三级"
            } else {
                "二级"
            }
        }
        5..=12 => {
            if chance(rng, 0.65) {
                "一级"
            } else {
                "二级"
            }
        }
        _ => {
            let r = unit(rng);
            if kind == Kind::Urban && teaching >= 25 && r < 0.01 {
                "正高级"
            } else if r < senior * (1.0 + (teaching - 13).min(10) as f64 / 10.0) {
                "高级"
            } else {
                "一级"
            }
        }
    })
}

/// Extra subjects (兼任学科): most village teachers teach two subjects, fewer in towns and
/// the seat. An extra goes where the school's own main-subject teachers fall short, rarely
/// to 音体美 (so the arts shortage stays for 走教 to fill).
fn add_extras(rng: &mut Rand, kind: Kind, stage: Stage, part: &[[u32; N_SUBJ]; 2], ts: &mut [Tch]) {
    let (p_one, p_two) = match kind {
        Kind::Urban => (0.12, 0.01),
        Kind::Town => (0.3, 0.05),
        Kind::Rural => (0.6, 0.15),
    };
    let mut deficit = deficits(part, ts);
    for t in ts.iter_mut() {
        let n = if chance(rng, p_two) {
            2
        } else if chance(rng, p_one) {
            1
        } else {
            0
        };
        // The part (0 = grades 1-6, 1 = grades 7-9) the extra is taught in.
        let p = usize::from(
            t.stage == TStage::Junior
                || stage == Stage::Junior
                || (t.stage == TStage::Both && chance(rng, 0.5)),
        );
        for _ in 0..n {
            let main = t.subject;
            let w = extra_weights(t, &part[p], &deficit[p]);
            let k = match weighted(rng, &w) {
                Some(j) => Subj::ALL[j],
                None => {
                    let k = main.natural_pair(p == 1);
                    if k == main || t.extras.contains(&k) || part[p][k.ix()] == 0 {
                        continue;
                    }
                    k
                }
            };
            deficit[p][k.ix()] -= t.capacity as f64 / 3.0;
            t.extras.push(k);
        }
        t.extras.sort();
    }
}

/// Periods by part and subject minus what the main-subject teachers `ts` carry there (a
/// teacher of both parts half in each).
fn deficits(part: &[[u32; N_SUBJ]; 2], ts: &[Tch]) -> [[f64; N_SUBJ]; 2] {
    let mut deficit = [[0.0f64; N_SUBJ]; 2];
    for p in 0..2 {
        for k in 0..N_SUBJ {
            deficit[p][k] = part[p][k] as f64;
        }
    }
    for t in ts {
        let parts: &[usize] = match t.stage {
            TStage::Primary => &[0],
            TStage::Junior => &[1],
            TStage::Both => &[0, 1],
        };
        let share = t.capacity as f64 / parts.len() as f64;
        for &p in parts {
            deficit[p][t.subject.ix()] -= share;
        }
    }
    deficit
}

/// How likely each subject is as teacher `t`'s next extra in a part with periods `part`
/// and `deficit` left: by the deficit, a tenth of it for 音体美; none for its own subjects
/// or one the part does not teach.
fn extra_weights(t: &Tch, part: &[u32; N_SUBJ], deficit: &[f64; N_SUBJ]) -> Vec<f64> {
    (Subj::ALL.iter())
        .map(|&k| {
            if k == t.subject || t.extras.contains(&k) || part[k.ix()] == 0 {
                return 0.0;
            }
            let d = deficit[k.ix()].max(0.0);
            if k.is_arts_pe() {
                d * 0.1
            } else {
                d
            }
        })
        .collect()
}
