//! The seed systems a synthetic county can follow (issue 13): each profile writes the
//! policy.toml that mirrors its document and shapes the data so that the document's rules
//! bind (docs/generator.md, "Profiles"). `xinjian`, the default, is the generator as it
//! was before profiles: the same draws, the same bytes but for the `role` column.

use std::fmt;
use std::str::FromStr;

/// A seed system: its rules (policy.toml) and the county shape that stresses them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Profile {
    /// 新建区 2024: 1+N communities, 音体美 走教, MODEL.md's defaults.
    #[default]
    Xinjian,
    /// 西吉县 2022: reciprocal in every mode, 青年 learners, requests, 1 + 2 year terms.
    Xiji,
    /// 恩施: a third of eligible member teachers 跟岗 each year, backfilled.
    Enshi,
    /// 平顶山 2025: tight, fused and paired communities; priority schools.
    Pingdingshan,
    /// 南宁 教育集团: communities led by two schools.
    Nanning,
    /// 周转宿舍 caps at most members, some with no room to spare.
    Housing,
    /// 走教 only inside the teacher's community.
    Community,
    /// Many 九年一贯制 schools, their teachers with a stage column.
    NineYear,
    /// Primary and junior schools in separate communities: independent parts.
    Parts,
}

impl Profile {
    pub const ALL: [Profile; 9] = [
        Profile::Xinjian,
        Profile::Xiji,
        Profile::Enshi,
        Profile::Pingdingshan,
        Profile::Nanning,
        Profile::Housing,
        Profile::Community,
        Profile::NineYear,
        Profile::Parts,
    ];

    /// The name `--profile` takes.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Xinjian => "xinjian",
            Profile::Xiji => "xiji",
            Profile::Enshi => "enshi",
            Profile::Pingdingshan => "pingdingshan",
            Profile::Nanning => "nanning",
            Profile::Housing => "housing",
            Profile::Community => "community",
            Profile::NineYear => "nine_year",
            Profile::Parts => "parts",
        }
    }

    /// Every name, comma-separated, for messages.
    pub fn names() -> String {
        Profile::ALL.map(Profile::name).join(", ")
    }

    /// The comment and keys of policy.toml after `plan_year` (empty: defaults only).
    pub(crate) fn rules(self) -> &'static str {
        match self {
            Profile::Xinjian => "",
            Profile::Xiji => XIJI_RULES,
            Profile::Enshi => ENSHI_RULES,
            Profile::Pingdingshan => PINGDINGSHAN_RULES,
            Profile::Nanning => NANNING_RULES,
            Profile::Housing => HOUSING_RULES,
            Profile::Community => COMMUNITY_RULES,
            Profile::NineYear => NINE_YEAR_RULES,
            Profile::Parts => PARTS_RULES,
        }
    }

    /// The knobs the layout, staffing, ledger and housing steps read.
    pub(crate) fn shape(self) -> Shape {
        let base = Shape::default();
        match self {
            Profile::Xinjian | Profile::Community | Profile::Enshi => base,
            Profile::Xiji => Shape {
                // 西吉's village schools are staffed largely by young 特岗教师.
                age_shift: -7.0,
                learning_ages: (35, 35),
                requests: true,
                ..base
            },
            Profile::Pingdingshan => Shape {
                modes: [1.0, 1.0, 1.0],
                priority: true,
                ..base
            },
            Profile::Nanning => Shape {
                two_leads: true,
                ..base
            },
            Profile::Housing => Shape {
                housing: Housing {
                    rural: 0.9,
                    town: 0.8,
                    spare: (1, 3),
                    full: 0.3,
                },
                ..base
            },
            Profile::NineYear => Shape {
                stages: Stages {
                    seat_nine: &[0, 5],
                    town_nine: 0.5,
                    village_point: 0.12,
                    village_nine: 0.5,
                },
                ..base
            },
            Profile::Parts => Shape {
                stages: Stages {
                    seat_nine: &[],
                    town_nine: 0.0,
                    village_point: 0.18,
                    village_nine: 0.18,
                },
                ..base
            },
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|p| p.name() == s.trim())
            .ok_or_else(|| format!("unknown profile {s:?} (expected one of {})", Self::names()))
    }
}

/// Which schools teach both stages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stages {
    /// County-seat schools `i` with `i % 10` in this list are nine-year 实验学校.
    pub seat_nine: &'static [usize],
    /// Chance a township has one nine-year 中心学校 instead of a 中心小学 and an 初级中学.
    pub town_nine: f64,
    /// A village school is a 教学点 below this draw, a nine-year 学校 below `village_nine`.
    pub village_point: f64,
    pub village_nine: f64,
}

/// 周转宿舍: which members cap their incoming teachers, and how much room they have.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Housing {
    /// Chance a village / town member has a cap.
    pub rural: f64,
    pub town: f64,
    /// Rooms beyond the teachers the ledger already sends there, drawn in this range.
    pub spare: (i64, i64),
    /// Chance a capped school has no spare room at all.
    pub full: f64,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Shape {
    /// Draw weights of tight, fused, paired.
    pub modes: [f64; 3],
    /// Every community led by two schools (南宁); otherwise 20% of the seat's cores.
    pub two_leads: bool,
    pub stages: Stages,
    pub housing: Housing,
    /// Years added to the mean age of town and village teachers.
    pub age_shift: f64,
    /// Oldest men / women the ledger's past learning moves took.
    pub learning_ages: (i32, i32),
    /// schools.csv `priority` for 薄弱、小规模、寄宿制 schools (平顶山).
    pub priority: bool,
    /// requests.csv from the members' shortages (西吉).
    pub requests: bool,
}

impl Default for Shape {
    /// The generator's shape before profiles (docs/generator.md, "Choices").
    fn default() -> Self {
        Shape {
            modes: [0.65, 0.2, 0.15],
            two_leads: false,
            stages: Stages {
                seat_nine: &[5],
                town_nine: 0.0,
                village_point: 0.18,
                village_nine: 0.26,
            },
            housing: Housing {
                rural: 0.4,
                town: 0.2,
                spare: (2, 6),
                full: 0.0,
            },
            age_shift: 0.0,
            learning_ages: (50, 45),
            priority: false,
            requests: false,
        }
    }
}

/// 西吉县 2022, shared by the `xiji` profile and the bundled data/xiji.
pub(crate) const XIJI_RULES: &str = "\
# 西吉县 2022 (城乡学校共同体教师交流): equal numbers each way in every community
# (对等数量交流, this year's new moves; set for every mode so that it holds whatever mode
# a community is given); learners are 青年教师 (\"乡村青年教师尤其是特岗教师\": the plan
# names no age, so 35, the usual 青年教师 line) with at least one year of teaching;
# one-year terms, extended by up to two years; members ask for teachers and cadres
# (requests.csv: \"根据乡镇学校的需求及申请选派\") and are not left worse off (\"派出学校尽量
# 满足接收学校需求\"); 音体美 走教 inside the community (teachers are shared within each
# 城乡学校共同体).

[rotation]
term_years = 1
max_extension_years = 2
learning_min_teaching_years = 1
learning_max_age_male = 35
learning_max_age_female = 35
reciprocal = { tight = true, fused = true, paired = true }
reciprocal_counts = \"new\"
protect_members = true

[itinerant]
scope = \"community\"
";

const ENSHI_RULES: &str = "\
# 恩施: every member teacher who may 跟岗 does so at the lead school within a cycle of
# about three years (learning_min_share = 0.34 of the eligible a year); learners men ≤ 50,
# women ≤ 45; the member is backfilled (顶岗执教: not worse off, protect_members).

[rotation]
learning_min_share = 0.34
learning_max_age_male = 50
learning_max_age_female = 45
protect_members = true
";

const PINGDINGSHAN_RULES: &str = "\
# 平顶山 2025 (校共体): 紧密型, 融合型 and 结对型 communities side by side; each 紧密型 core
# sends at least 10% of its teachers to its members a year; 薄弱、小规模、寄宿制 schools
# first (schools.csv priority).

[rotation]
core_min_share = { tight = 0.1, fused = 0.0, paired = 0.0 }
";

const NANNING_RULES: &str = "\
# 南宁 教育集团: each group led by two schools (communities.csv core lists both); support
# from either lead, learning at either.
";

const HOUSING_RULES: &str = "\
# 周转宿舍: most members host incoming full-time teachers in a few rotation rooms
# (schools.csv housing), some with no room beyond the terms under way.
";

const COMMUNITY_RULES: &str = "\
# 走教 only inside the teacher's own community (共同体内走教).

[itinerant]
scope = \"community\"
";

const NINE_YEAR_RULES: &str = "\
# Many 九年一贯制 schools: their teachers carry a stage column (primary or junior; empty =
# both parts), and communities mix stages.
";

const PARTS_RULES: &str = "\
# No 九年一贯制 school: primary and junior schools sit in separate communities, and
# county-wide 走教 joins no two of them, so the county falls into independent parts.

[itinerant]
scope = \"county\"
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back() {
        for p in Profile::ALL {
            assert_eq!(p.name().parse::<Profile>(), Ok(p));
        }
        assert!("beijing"
            .parse::<Profile>()
            .unwrap_err()
            .contains("nine_year"));
    }
}
