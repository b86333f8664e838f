//! The map of a synthetic county: a county seat with the urban schools, 12-25 townships
//! 15-65 km out each with a 中心小学 and an 初级中学, village schools and 教学点 3-12 km
//! from their township; school sizes; communities of one core (sometimes two) and 3-6
//! members. Positions are km east/north of the seat; `to_lat_lon` turns them into degrees.

use std::collections::BTreeSet;

use super::names::{numeral, place, SURNAMES};
use super::profile::Shape;
use super::random::{below, between, chance, cos_deg, unit, weighted, Rand};
use super::{CommunitySpec, GenerateOptions, Kind, Layout, Mode, SchoolSpec, Stage};

/// km per degree of latitude on FORMAT.md's sphere (radius 6371.0088 km).
const KM_PER_DEG: f64 = 6371.0088 * std::f64::consts::PI / 180.0;

/// Degrees of a point `x` km east and `y` km north of (lat0, lon0) (flat-earth offset: at
/// county scale the error is far below a road's detours).
pub(crate) fn to_lat_lon(lat0: f64, lon0: f64, x: f64, y: f64) -> (f64, f64) {
    (
        lat0 + y / KM_PER_DEG,
        lon0 + x / (KM_PER_DEG * cos_deg(lat0)),
    )
}

/// A point uniform in the ring rmin..rmax km around (cx, cy), by rejection.
pub(crate) fn in_ring(rng: &mut Rand, cx: f64, cy: f64, rmin: f64, rmax: f64) -> (f64, f64) {
    loop {
        let x = (unit(rng) * 2.0 - 1.0) * rmax;
        let y = (unit(rng) * 2.0 - 1.0) * rmax;
        let r2 = x * x + y * y;
        if r2 >= rmin * rmin && r2 <= rmax * rmax {
            return (cx + x, cy + y);
        }
    }
}

/// Monotone in the bearing of (x, y), without atan2: sorts townships around the seat.
fn pseudo_angle(x: f64, y: f64) -> f64 {
    let p = y / (x.abs() + y.abs()).max(1e-9);
    if x >= 0.0 {
        p + 1.0
    } else {
        3.0 - p
    }
}

/// Teachers a school of this kind and stage has before scaling to the requested total:
/// a county-seat school 80-150, a township central school 30-60, a village school 8-20, a
/// 教学点 2-6 (sizes of the brief).
fn raw_size(rng: &mut Rand, kind: Kind, stage: Stage, teaching_point: bool) -> usize {
    let (lo, hi) = match (kind, stage) {
        (_, _) if teaching_point => (2, 6),
        (Kind::Urban, Stage::NineYear) => (100, 150),
        (Kind::Urban, _) => (80, 150),
        (Kind::Town, Stage::NineYear) => (40, 70),
        (Kind::Town, _) => (30, 60),
        (Kind::Rural, Stage::NineYear) => (20, 40),
        (Kind::Rural, _) => (8, 20),
    };
    between(rng, lo, hi) as usize
}

/// Splits `total` over weights in proportion (largest remainder, ties to the lower index);
/// with `min_one`, each gets at least 1 when `total ≥ weights.len()`.
pub(crate) fn apportion(total: usize, weights: &[f64], min_one: bool) -> Vec<usize> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let floor = usize::from(min_one && total >= n);
    let rest = total - floor * n;
    let sum: f64 = weights.iter().map(|w| (w - floor as f64).max(0.0)).sum();
    let shares: Vec<f64> = weights
        .iter()
        .map(|w| {
            if sum > 0.0 {
                (w - floor as f64).max(0.0) / sum * rest as f64
            } else {
                rest as f64 / n as f64
            }
        })
        .collect();
    let mut out: Vec<usize> = shares.iter().map(|s| floor + s.floor() as usize).collect();
    let mut left = total - out.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (shares[a] - shares[a].floor(), shares[b] - shares[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

/// The synthetic county of `opts`: its townships, then the seat's schools, each
/// township's central schools and the villages' (in that order: the draws of `rng` make
/// the county), their sizes, and the communities.
pub(crate) fn synthetic_layout(opts: &GenerateOptions, rng: &mut Rand) -> Layout {
    let n = opts.schools;
    let mut taken = BTreeSet::new();
    let county = format!("{}县", place(rng, &mut taken));
    // Somewhere in the farming belt of central and southern China.
    let lat0 = ((24.0 + unit(rng) * 14.0) * 1e4).round() / 1e4;
    let lon0 = ((102.0 + unit(rng) * 16.0) * 1e4).round() / 1e4;

    let urban = ((n as f64 * 0.08).round() as usize).clamp(n.min(1), n);
    let outside = n - urban;
    let townships = ((n as f64 / 10.0).round() as usize)
        .clamp(12, 25)
        .min((outside / 2).max(outside.min(1)));
    let towns = place_townships(rng, &mut taken, townships);

    let shape = opts.profile.shape();
    let mut sites = Sites::with_capacity(n);
    sites.seat(rng, &county, urban, &shape);
    let left = sites.townships(rng, &towns, outside, &shape);
    sites.villages(rng, &mut taken, &towns, left, &shape);

    let Sites {
        mut schools,
        raw,
        township_of,
    } = sites;
    for (s, size) in schools.iter_mut().zip(apportion(opts.teachers, &raw, true)) {
        s.size = size;
    }
    let communities = synthetic_communities(opts, rng, &mut schools, &township_of, &towns);
    Layout {
        county,
        lat0,
        lon0,
        schools,
        communities,
        surnames: SURNAMES,
        shape,
    }
}

/// A township: its name (ending in 镇 or 乡) and position.
type Town = (String, f64, f64);

/// `count` townships 15-65 km out, at least 8 km apart where the ring allows it.
fn place_townships(rng: &mut Rand, taken: &mut BTreeSet<String>, count: usize) -> Vec<Town> {
    let mut towns: Vec<Town> = Vec::new();
    for _ in 0..count {
        let mut p = in_ring(rng, 0.0, 0.0, 15.0, 65.0);
        for _ in 0..200 {
            let far = towns
                .iter()
                .all(|t| (t.1 - p.0) * (t.1 - p.0) + (t.2 - p.1) * (t.2 - p.1) >= 64.0);
            if far {
                break;
            }
            p = in_ring(rng, 0.0, 0.0, 15.0, 65.0);
        }
        let suffix = if chance(rng, 0.45) { "镇" } else { "乡" };
        towns.push((format!("{}{suffix}", place(rng, taken)), p.0, p.1));
    }
    towns
}

/// The schools placed so far, with their sizes before scaling and their townships.
struct Sites {
    schools: Vec<SchoolSpec>,
    /// Teachers before scaling to the requested total (`raw_size`).
    raw: Vec<f64>,
    /// Township index of each school (None in the seat).
    township_of: Vec<Option<usize>>,
}

impl Sites {
    fn with_capacity(n: usize) -> Sites {
        Sites {
            schools: Vec::with_capacity(n),
            raw: Vec::with_capacity(n),
            township_of: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, school: SchoolSpec, raw: usize, township: Option<usize>) {
        self.schools.push(school);
        self.raw.push(raw as f64);
        self.township_of.push(township);
    }

    /// The seat's `urban` schools: about 55% primary, 35% junior, 10% nine-year 实验学校
    /// (by default; the profile says which of every ten are nine-year).
    fn seat(&mut self, rng: &mut Rand, county: &str, urban: usize, shape: &Shape) {
        let (mut primaries, mut juniors, mut nines) = (0, 0, 0);
        for i in 0..urban {
            let stage = match i % 10 {
                r if shape.stages.seat_nine.contains(&r) => Stage::NineYear,
                1 | 3 | 7 | 9 => Stage::Junior,
                _ => Stage::Primary,
            };
            let name = match stage {
                Stage::Primary => {
                    primaries += 1;
                    format!("{county}第{}小学", numeral(primaries))
                }
                Stage::Junior => {
                    juniors += 1;
                    format!("{county}第{}中学", numeral(juniors))
                }
                Stage::NineYear => {
                    nines += 1;
                    match nines {
                        1 => format!("{county}实验学校"),
                        2 => format!("{county}实验学校分校"),
                        k => format!("{county}实验学校第{}分校", numeral(k - 1)),
                    }
                }
            };
            let (x, y) = in_ring(rng, 0.0, 0.0, 0.3, 4.0);
            let raw = raw_size(rng, Kind::Urban, stage, false);
            self.push(school(name, Kind::Urban, stage, (x, y)), raw, None);
        }
    }

    /// Each township's central schools, out of `left` schools outside the seat: a 中心小学
    /// and an 初级中学 (a 中心学校 of nine years if one is left, or as the profile draws).
    /// Returns the schools still left for the villages.
    fn townships(
        &mut self,
        rng: &mut Rand,
        towns: &[Town],
        mut left: usize,
        shape: &Shape,
    ) -> usize {
        let stages = &shape.stages;
        let no_nine = stages.seat_nine.is_empty() && stages.village_nine <= stages.village_point;
        for (t, town) in towns.iter().enumerate() {
            let kind = if town.0.ends_with('镇') {
                Kind::Town
            } else {
                Kind::Rural
            };
            let one_school = stages.town_nine > 0.0 && chance(rng, stages.town_nine);
            let these: &[Stage] = if left >= 2 && !one_school {
                &[Stage::Primary, Stage::Junior]
            } else if left >= 1 && no_nine {
                &[Stage::Primary]
            } else if left >= 1 {
                &[Stage::NineYear]
            } else {
                &[]
            };
            for &stage in these {
                let base = &town.0[..town.0.len() - 3];
                let name = match stage {
                    Stage::Primary => format!("{base}中心小学"),
                    Stage::Junior => format!("{base}初级中学"),
                    Stage::NineYear => format!("{base}中心学校"),
                };
                let at = in_ring(rng, town.1, town.2, 0.0, 1.5);
                // A 乡 central school is 乡村 by the statistical code (乡中心区), but it is
                // as large as a 镇 one.
                let raw = raw_size(rng, Kind::Town, stage, false);
                self.push(school(name, kind, stage, at), raw, Some(t));
                left -= 1;
            }
        }
        left
    }

    /// `left` village schools: 小学, some 教学点, a few 九年一贯制学校, 3-12 km from their
    /// township.
    fn villages(
        &mut self,
        rng: &mut Rand,
        taken: &mut BTreeSet<String>,
        towns: &[Town],
        left: usize,
        shape: &Shape,
    ) {
        let stages = &shape.stages;
        for _ in 0..left {
            if towns.is_empty() {
                break;
            }
            let t = below(rng, towns.len());
            let village = place(rng, taken);
            let town = &towns[t];
            let base = &town.0[..town.0.len() - 3];
            let r = unit(rng);
            let (stage, point, name) = if r < stages.village_point {
                (Stage::Primary, true, format!("{base}{village}教学点"))
            } else if r < stages.village_nine {
                (Stage::NineYear, false, format!("{base}{village}学校"))
            } else {
                (Stage::Primary, false, format!("{base}{village}小学"))
            };
            let at = in_ring(rng, town.1, town.2, 3.0, 12.0);
            let raw = raw_size(rng, Kind::Rural, stage, point);
            self.push(school(name, Kind::Rural, stage, at), raw, Some(t));
        }
    }
}

/// A school at `(x, y)`, not yet sized nor in a community.
fn school(name: String, kind: Kind, stage: Stage, (x, y): (f64, f64)) -> SchoolSpec {
    SchoolSpec {
        name,
        kind,
        stage,
        x,
        y,
        size: 0,
        community: None,
    }
}

fn stage_fits(core: Stage, member: Stage) -> bool {
    match core {
        Stage::NineYear => true,
        Stage::Primary => member.has_primary(),
        Stage::Junior => member.has_junior(),
    }
}

/// Communities: cores are the seat's schools, then the largest township schools; each takes
/// 3-6 members of a fitting stage nearest to its anchor township (the seat's schools take
/// townships in turn around the compass, so every direction gets a city partner).
fn synthetic_communities(
    opts: &GenerateOptions,
    rng: &mut Rand,
    schools: &mut [SchoolSpec],
    township_of: &[Option<usize>],
    towns: &[Town],
) -> Vec<CommunitySpec> {
    let n = schools.len();
    let shape = &opts.profile.shape();
    let wanted = opts
        .communities
        .unwrap_or((n as f64 / 6.5).round() as usize)
        .min(n / 4);
    let (candidates, urban) = core_candidates(schools, township_of);
    let anchors = Anchors {
        towns,
        by_angle: by_angle(towns),
        urban_cores: urban.min(wanted).max(1),
    };
    let mut used = vec![false; n];
    let mut out: Vec<CommunitySpec> = Vec::new();
    for &core in &candidates {
        if out.len() == wanted {
            break;
        }
        if used[core] {
            continue;
        }
        let anchor = anchors.of(township_of[core], out.len());
        let mut cores = vec![core];
        let mut free = free_near(schools, &used, core, anchor);
        if let Some(pos) = second_lead(rng, shape, schools, core, &free) {
            cores.push(free.remove(pos));
        }
        let m = between(rng, 3, 6) as usize;
        let members: Vec<usize> = free.into_iter().take(m).collect();
        // 1 + N with N of 3-6: a core with fewer free schools around leads none.
        if members.len() < 3 {
            continue;
        }
        // Mostly 紧密型, as in most county plans; some 融合型 and 结对型 (by default).
        let mode =
            [Mode::Tight, Mode::Fused, Mode::Paired][weighted(rng, &shape.modes).unwrap_or(0)];
        for &s in cores.iter().chain(members.iter()) {
            used[s] = true;
            schools[s].community = Some(out.len());
        }
        out.push(CommunitySpec {
            name: format!("{}共同体", schools[core].name),
            mode,
            cores,
            members,
        });
    }
    out
}

/// The schools that may lead, in the order they are tried: the seat's (urban) schools,
/// then township schools, largest first; and how many of them are urban.
fn core_candidates(schools: &[SchoolSpec], township_of: &[Option<usize>]) -> (Vec<usize>, usize) {
    let n = schools.len();
    let urban: Vec<usize> = (0..n).filter(|&s| schools[s].kind == Kind::Urban).collect();
    let mut others: Vec<usize> = (0..n)
        .filter(|&s| schools[s].kind != Kind::Urban && township_of[s].is_some())
        .collect();
    // Township central schools first, largest first.
    others.sort_by(|&a, &b| schools[b].size.cmp(&schools[a].size).then(a.cmp(&b)));
    let count = urban.len();
    (urban.into_iter().chain(others).collect(), count)
}

/// The townships in order around the compass.
fn by_angle(towns: &[Town]) -> Vec<usize> {
    let mut by_angle: Vec<usize> = (0..towns.len()).collect();
    by_angle.sort_by(|&a, &b| {
        pseudo_angle(towns[a].1, towns[a].2)
            .total_cmp(&pseudo_angle(towns[b].1, towns[b].2))
            .then(a.cmp(&b))
    });
    by_angle
}

/// Where a community's members are sought.
struct Anchors<'a> {
    towns: &'a [Town],
    by_angle: Vec<usize>,
    urban_cores: usize,
}

impl Anchors<'_> {
    /// The anchor of the `k`-th community, led by a school of `township` (its township's
    /// centre) or of the seat (the townships in turn around the compass).
    fn of(&self, township: Option<usize>, k: usize) -> (f64, f64) {
        let towns = self.towns;
        match township {
            Some(t) => (towns[t].1, towns[t].2),
            None if towns.is_empty() => (0.0, 0.0),
            None => {
                let t = self.by_angle[(k * towns.len() / self.urban_cores) % towns.len()];
                (towns[t].1, towns[t].2)
            }
        }
    }
}

/// The schools not yet in a community that `core` may take (not urban, of a stage it
/// teaches), nearest `anchor` first.
fn free_near(schools: &[SchoolSpec], used: &[bool], core: usize, anchor: (f64, f64)) -> Vec<usize> {
    let stage = schools[core].stage;
    let mut free: Vec<usize> = (0..schools.len())
        .filter(|&s| {
            !used[s]
                && s != core
                && schools[s].kind != Kind::Urban
                && stage_fits(stage, schools[s].stage)
        })
        .collect();
    let d2 = |s: usize| {
        let (dx, dy) = (schools[s].x - anchor.0, schools[s].y - anchor.1);
        dx * dx + dy * dy
    };
    free.sort_by(|&a, &b| d2(a).total_cmp(&d2(b)).then(a.cmp(&b)));
    free
}

/// Where in `free` (nearest the anchor first) the co-lead of `core`'s community is. By
/// default 20% of the seat's cores share the lead with the first township school of their
/// stage with 25 teachers or more. 南宁's groups all have two leads: the largest school of
/// the core's stage among the five nearest.
fn second_lead(
    rng: &mut Rand,
    shape: &Shape,
    schools: &[SchoolSpec],
    core: usize,
    free: &[usize],
) -> Option<usize> {
    let stage = schools[core].stage;
    if shape.two_leads {
        return (0..free.len().min(5))
            .filter(|&i| schools[free[i]].stage == stage)
            .max_by(|&a, &b| {
                schools[free[a]]
                    .size
                    .cmp(&schools[free[b]].size)
                    .then(b.cmp(&a))
            });
    }
    if schools[core].kind != Kind::Urban || !chance(rng, 0.2) {
        return None;
    }
    free.iter()
        .position(|&s| schools[s].size >= 25 && schools[s].stage == stage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_hits_the_total() {
        assert_eq!(apportion(10, &[2.0, 2.0, 3.0], true), [3, 3, 4]);
        assert_eq!(
            apportion(2, &[5.0, 5.0, 5.0], true).iter().sum::<usize>(),
            2
        );
        assert!(apportion(100, &[100.0, 1.0], true).iter().all(|&x| x >= 1));
        assert_eq!(apportion(3, &[0.0, 1.0, 2.0], false), [0, 1, 2]);
    }
}
