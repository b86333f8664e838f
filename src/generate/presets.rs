//! The two sample counties. Real: the communities, their cores and members, the school
//! names and the 模式 read from the plans (新建区 2024, 西吉县 2022). Synthetic: where each
//! township lies (plausible bearings and distances from the real county seat), school
//! sizes, teachers, demand and ledger, drawn from a fixed seed by the same code as
//! `generate`.

use std::collections::BTreeMap;

use super::geography::in_ring;
use super::names::{SURNAMES_JIANGXI, SURNAMES_XIJI};
use super::profile::{Profile, XIJI_RULES};
use super::random::{between, Rand};
use super::{policy_text, CommunitySpec, Kind, Layout, Mode, SchoolSpec, Stage};

/// Teachers a school has, by what it is.
#[derive(Clone, Copy)]
enum Size {
    /// A county-seat school: the preset's seat range.
    Seat,
    /// A township central school or township secondary school: the preset's central range.
    Central,
    /// A farm or small nine-year school: 15-35.
    Small,
    /// The 小学部 or 初中部 of a township school: 15-30.
    Part,
}

use Kind::{Rural as R, Town as T, Urban as U};
use Size::{Central, Part, Seat, Small};
use Stage::{Junior as J, NineYear as N, Primary as P};

/// name, stage, kind, place ("" = the county seat), size.
type Sch = (&'static str, Stage, Kind, &'static str, Size);

pub(crate) struct Preset {
    seed: u64,
    county: &'static str,
    lat0: f64,
    lon0: f64,
    seat: (i64, i64),
    central: (i64, i64),
    /// Township (or farm) and its km east and north of the seat.
    places: &'static [(&'static str, f64, f64)],
    mode: Mode,
    /// Each community: core first, then the members, as the plan lists them.
    communities: &'static [&'static [Sch]],
    surnames: &'static [(&'static str, u32)],
    /// The profile whose shape draws staff, ledger, roles and requests.
    profile: Profile,
    /// policy.toml's opening comment, then (after `plan_year`) its keys.
    header: &'static str,
    rules: &'static str,
}

impl Preset {
    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    pub(crate) fn policy(&self) -> String {
        policy_text(self.header, self.rules)
    }
}

pub(crate) fn find(name: &str) -> Option<&'static Preset> {
    match name {
        "xinjian" => Some(&XINJIAN),
        "xiji" => Some(&XIJI),
        _ => None,
    }
}

/// Places the preset's schools and draws their sizes.
pub(crate) fn layout(p: &Preset, rng: &mut Rand) -> Layout {
    let mut schools = Vec::new();
    let mut communities = Vec::new();
    // The 小学部 and 初中部 of one school share a campus.
    let mut campus: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for (c, list) in p.communities.iter().enumerate() {
        let mut ids = Vec::new();
        for &(name, stage, kind, place, size) in list.iter() {
            let base = name.trim_end_matches("小学部").trim_end_matches("初中部");
            let (x, y) = match campus.get(base) {
                Some(&xy) if base != name => xy,
                _ if place.is_empty() => in_ring(rng, 0.0, 0.0, 0.3, 4.0),
                _ => {
                    let &(_, px, py) = p
                        .places
                        .iter()
                        .find(|pl| pl.0 == place)
                        .expect("every place is listed");
                    in_ring(rng, px, py, 0.0, 1.5)
                }
            };
            campus.insert(base.to_string(), (x, y));
            let (lo, hi) = match size {
                Seat => p.seat,
                Central => p.central,
                Small => (15, 35),
                Part => (15, 30),
            };
            ids.push(schools.len());
            schools.push(SchoolSpec {
                name: name.to_string(),
                kind,
                stage,
                x,
                y,
                size: between(rng, lo, hi) as usize,
                community: Some(c),
            });
        }
        communities.push(CommunitySpec {
            name: format!("{}共同体", list[0].0),
            mode: p.mode,
            cores: ids[..1].to_vec(),
            members: ids[1..].to_vec(),
        });
    }
    Layout {
        county: p.county.to_string(),
        lat0: p.lat0,
        lon0: p.lon0,
        schools,
        communities,
        surnames: p.surnames,
        shape: p.profile.shape(),
    }
}

/// 南昌市新建区 2024: nine 1+N 融合型 communities, 音体美 走教 inside each.
static XINJIAN: Preset = Preset {
    seed: 2024,
    county: "南昌市新建区",
    lat0: 28.69,
    lon0: 115.82,
    seat: (80, 135),
    central: (30, 60),
    places: &[
        ("望城", -9.0, -13.0),
        ("石埠", -15.0, 3.0),
        ("西山", -20.0, -14.0),
        ("松湖", -25.0, -22.0),
        ("石岗", -35.0, -25.0),
        ("溪霞", -22.0, 18.0),
        ("经开区", 5.0, 16.0),
        ("新祺周", 8.0, 20.0),
        ("象山", 2.0, 42.0),
        ("金桥", -8.0, 30.0),
        ("大塘坪", -20.0, 35.0),
        ("铁河", -5.0, 50.0),
        ("昌邑", 30.0, 45.0),
        ("联圩", 35.0, 38.0),
        ("南矶", 48.0, 40.0),
        ("恒湖", 30.0, 52.0),
        ("成新", -5.0, -17.0),
        ("红林", -28.0, -10.0),
        ("新丰", -30.0, -30.0),
        ("长征", -40.0, -18.0),
        ("岭背", 12.0, 48.0),
    ],
    mode: Mode::Fused,
    communities: &[
        &[
            ("新建区第一小学", P, U, "", Seat),
            ("新建区溪霞中心小学", P, T, "溪霞", Central),
            ("新建区联圩中心小学", P, T, "联圩", Central),
            ("新建区南矶学校", N, R, "南矶", Small),
            ("新建区成新学校小学部", P, R, "成新", Part),
        ],
        &[
            ("新建区第三小学", P, U, "", Seat),
            ("新建区石埠中心小学", P, T, "石埠", Central),
            ("新建区西山中心学校小学部", P, T, "西山", Part),
            ("新建区松湖中心小学", P, T, "松湖", Central),
            ("新建区新丰学校", N, R, "新丰", Small),
            ("新建区红林学校", N, R, "红林", Small),
        ],
        &[
            ("新建区第一中学", J, U, "", Seat),
            ("新建区西山中心学校初中部", J, T, "西山", Part),
            ("新建区松湖初级中学", J, T, "松湖", Central),
            ("新建区成新学校初中部", J, R, "成新", Part),
        ],
        &[
            ("新建区第二中学", J, U, "", Seat),
            ("新建区第三中学", J, U, "", Seat),
            ("新建区昌邑中心学校初中部", J, R, "昌邑", Part),
            ("新建区恒湖学校", N, R, "恒湖", Small),
            ("新建区联圩初级中学", J, T, "联圩", Central),
        ],
        &[
            ("新建区第五中学", J, U, "", Seat),
            ("新建区石埠初级中学", J, T, "石埠", Central),
            ("新建经开区第二中心学校初中部", J, T, "经开区", Part),
            ("新建区溪霞初级中学", J, T, "溪霞", Central),
        ],
        &[
            ("新建区第六中学", J, U, "", Seat),
            ("新建区石岗初级中学", J, T, "石岗", Central),
            ("新建区长征学校初中部", J, R, "长征", Part),
            ("新建区象山初级中学", J, T, "象山", Central),
            ("新建区岭背学校", N, R, "岭背", Small),
        ],
        &[
            ("新建区百兴学校", N, U, "", Seat),
            ("新建区昌邑中心学校小学部", P, R, "昌邑", Part),
            ("新建区象山中心小学", P, T, "象山", Central),
            ("新建区望城中心小学", P, T, "望城", Central),
        ],
        &[
            ("新建区竞晖学校", N, U, "", Seat),
            ("新建区大塘坪中心学校", N, R, "大塘坪", Central),
            ("新建区金桥中心小学", P, R, "金桥", Central),
            ("新建区金桥初级中学", J, R, "金桥", Central),
            ("新建区铁河中心小学", P, R, "铁河", Central),
            ("新建区铁河初级中学", J, R, "铁河", Central),
            ("新建区新祺周学校", N, T, "新祺周", Central),
        ],
        &[
            ("新建区实验小学", P, U, "", Seat),
            ("新建区石岗中心小学", P, T, "石岗", Central),
            ("新建区长征学校小学部", P, R, "长征", Part),
            ("新建经开区第一中心学校", N, T, "经开区", Central),
            ("新建经开区第二中心学校小学部", P, T, "经开区", Part),
        ],
    ],
    surnames: SURNAMES_JIANGXI,
    profile: Profile::Xinjian,
    header: "\
# 南昌市新建区 2024: 城乡学校共同体 \"1+N\", 音体美 走教.
# Nine communities, each a core (牵头校) with its members, taken as 融合型 (fused): the
# members keep their own legal person (法人) while the core leads teaching and staff, so
# they are not 紧密型 (one school in law), and 平顶山's 10% core outflow for 紧密型 is not
# theirs: no core-share minimum. Music, PE and art teachers travel (走教) to the other
# schools of their own community (scope). Every other key has MODEL.md's default.
",
    rules: "\
[itinerant]
subjects = [\"音乐\", \"体育\", \"美术\"]
scope = \"community\"
",
};

/// 宁夏西吉县 2022: eleven communities exchanging equal numbers each way.
static XIJI: Preset = Preset {
    seed: 2022,
    county: "西吉县",
    lat0: 35.96,
    lon0: 105.73,
    seat: (80, 120),
    central: (25, 45),
    places: &[
        ("吉强", 3.0, -4.0),
        ("西湖", -12.0, -12.0),
        ("兴隆", 5.0, -32.0),
        ("兴平", -4.0, 20.0),
        ("火石寨", -22.0, 24.0),
        ("将台堡", 24.0, -26.0),
        ("新营", -15.0, -26.0),
        ("三合", 12.0, -18.0),
        ("马莲", 30.0, 4.0),
        ("什字", 20.0, -36.0),
        ("王民", -30.0, -4.0),
        ("沙沟", 34.0, 24.0),
        ("白崖", 24.0, 14.0),
        ("玉桥", -8.0, -40.0),
        ("偏城", -24.0, 44.0),
        ("震湖", -36.0, 24.0),
        ("下堡", -4.0, 50.0),
        ("硝河", 14.0, 38.0),
        ("平峰", -34.0, -16.0),
        ("田坪", -46.0, 10.0),
        ("马建", -44.0, -22.0),
        ("红耀", -22.0, -14.0),
    ],
    mode: Mode::Paired,
    communities: &[
        &[
            ("西吉二中", J, U, "", Seat),
            ("兴隆中学", J, T, "兴隆", Central),
            ("兴平中学", J, R, "兴平", Central),
            ("火石寨乡九年一贯制学校初中部", J, R, "火石寨", Part),
        ],
        &[
            ("西吉三中", J, U, "", Seat),
            ("将台中学", J, T, "将台堡", Central),
            ("新营中学", J, R, "新营", Central),
            ("三合九年一贯制学校初中部", J, T, "三合", Part),
        ],
        &[
            ("西吉五中", J, U, "", Seat),
            ("马莲中学", J, R, "马莲", Central),
            ("什字中学", J, R, "什字", Central),
            ("王民乡九年一贯制学校初中部", J, R, "王民", Part),
        ],
        &[
            ("西吉六中", J, U, "", Seat),
            ("沙沟中学", J, R, "沙沟", Central),
            ("白崖乡九年一贯制学校初中部", J, R, "白崖", Part),
            ("玉桥九年一贯制学校初中部", J, R, "玉桥", Part),
        ],
        &[
            ("西吉七中", J, U, "", Seat),
            ("偏城中学", J, R, "偏城", Central),
            ("震湖中学", J, R, "震湖", Central),
            ("下堡九年一贯制学校初中部", J, R, "下堡", Part),
            ("硝河乡九年一贯制学校初中部", J, R, "硝河", Part),
        ],
        &[
            ("袁河中学", J, U, "", Seat),
            ("平峰中学", J, T, "平峰", Central),
            ("田坪中学", J, R, "田坪", Central),
            ("马建乡九年一贯制学校初中部", J, R, "马建", Part),
            ("红耀乡九年一贯制学校初中部", J, R, "红耀", Part),
        ],
        &[
            ("西吉一小", P, U, "", Seat),
            ("西吉八小", P, U, "", Seat),
            ("吉强镇中心小学", P, T, "吉强", Central),
            ("西湖乡中心小学", P, R, "西湖", Central),
            ("红耀九年一贯制学校小学部", P, R, "红耀", Part),
        ],
        &[
            ("西吉二小", P, U, "", Seat),
            ("马莲乡中心小学", P, R, "马莲", Central),
            ("田坪乡中心小学", P, R, "田坪", Central),
            ("震湖乡中心小学", P, R, "震湖", Central),
            ("马建乡九年一贯制学校小学部", P, R, "马建", Part),
            ("硝河乡九年一贯制学校小学部", P, R, "硝河", Part),
        ],
        &[
            ("西吉三小", P, U, "", Seat),
            ("兴隆镇中心小学", P, T, "兴隆", Central),
            ("什字乡中心小学", P, R, "什字", Central),
            ("偏城乡中心小学", P, R, "偏城", Central),
            ("下堡九年一贯制学校小学部", P, R, "下堡", Part),
        ],
        &[
            ("西吉四小", P, U, "", Seat),
            ("将台堡镇中心小学", P, T, "将台堡", Central),
            ("沙沟乡中心小学", P, R, "沙沟", Central),
            ("白崖乡九年一贯制学校小学部", P, R, "白崖", Part),
            ("玉桥九年一贯制学校小学部", P, R, "玉桥", Part),
            ("火石寨乡九年一贯制学校小学部", P, R, "火石寨", Part),
        ],
        &[
            ("西吉六小", P, U, "", Seat),
            ("兴平乡中心小学", P, R, "兴平", Central),
            ("新营乡中心小学", P, R, "新营", Central),
            ("平峰镇中心小学", P, T, "平峰", Central),
            ("王民乡九年一贯制学校小学部", P, R, "王民", Part),
            ("三合九年一贯制学校小学部", P, T, "三合", Part),
        ],
    ],
    surnames: SURNAMES_XIJI,
    profile: Profile::Xiji,
    header: "\
# 西吉县 2022: 城乡学校共同体 teacher exchange. Eleven communities, each a core with its
# members, taken as 结对型 (paired): the schools stay separate and exchange teachers.
# Every other key has MODEL.md's default.
",
    rules: XIJI_RULES,
};
