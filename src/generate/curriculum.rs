//! The national timetable and teaching loads the demand and the staff are derived from.
//!
//! Weekly periods per class follow 《义务教育课程方案（2022年版）》: 26 periods a week in
//! grades 1-2, 30 in grades 3-6, 34 in grades 7-9; 体育 4/3/3, 音乐 2/2/1 and 美术 2/2/1
//! (grades 1-2 / 3-6 / 7-9); over the nine years 语文 57 of 274 periods (20.8%, the plan
//! says 20-22%) and 数学 41 (15.0%, plan 13-15%). 综合实践 stands for 综合实践活动, 劳动
//! and the local and school courses, which take what is left (14.2%, plan 14-18%).

/// A school subject, as written in the files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Subj {
    Yuwen,
    Shuxue,
    Yingyu,
    Daofa,
    Kexue,
    Wuli,
    Huaxue,
    Shengwu,
    Lishi,
    Dili,
    Xinxi,
    Tiyu,
    Yinyue,
    Meishu,
    Zonghe,
}

pub(crate) const N_SUBJ: usize = 15;

impl Subj {
    pub(crate) const ALL: [Subj; N_SUBJ] = [
        Subj::Yuwen,
        Subj::Shuxue,
        Subj::Yingyu,
        Subj::Daofa,
        Subj::Kexue,
        Subj::Wuli,
        Subj::Huaxue,
        Subj::Shengwu,
        Subj::Lishi,
        Subj::Dili,
        Subj::Xinxi,
        Subj::Tiyu,
        Subj::Yinyue,
        Subj::Meishu,
        Subj::Zonghe,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Subj::Yuwen => "语文",
            Subj::Shuxue => "数学",
            Subj::Yingyu => "英语",
            Subj::Daofa => "道德与法治",
            Subj::Kexue => "科学",
            Subj::Wuli => "物理",
            Subj::Huaxue => "化学",
            Subj::Shengwu => "生物",
            Subj::Lishi => "历史",
            Subj::Dili => "地理",
            Subj::Xinxi => "信息科技",
            Subj::Tiyu => "体育",
            Subj::Yinyue => "音乐",
            Subj::Meishu => "美术",
            Subj::Zonghe => "综合实践",
        }
    }

    pub(crate) fn ix(self) -> usize {
        self as usize
    }

    /// 音乐, 体育, 美术: the 走教 subjects (MODEL.md `itinerant.subjects`).
    pub(crate) fn is_arts_pe(self) -> bool {
        matches!(self, Subj::Tiyu | Subj::Yinyue | Subj::Meishu)
    }

    /// A subject such a teacher often also teaches when nothing else is short.
    pub(crate) fn natural_pair(self, junior: bool) -> Subj {
        match self {
            Subj::Yuwen => Subj::Daofa,
            Subj::Shuxue if junior => Subj::Xinxi,
            Subj::Shuxue => Subj::Kexue,
            Subj::Yingyu => Subj::Zonghe,
            Subj::Daofa if junior => Subj::Lishi,
            Subj::Daofa => Subj::Zonghe,
            Subj::Kexue => Subj::Xinxi,
            Subj::Wuli => Subj::Huaxue,
            Subj::Huaxue => Subj::Shengwu,
            Subj::Shengwu => Subj::Dili,
            Subj::Lishi => Subj::Daofa,
            Subj::Dili => Subj::Shengwu,
            Subj::Xinxi => Subj::Shuxue,
            Subj::Tiyu => Subj::Zonghe,
            Subj::Yinyue => Subj::Meishu,
            Subj::Meishu => Subj::Yinyue,
            Subj::Zonghe => Subj::Daofa,
        }
    }
}

/// Periods a week per class of grade `g` (1..=9), in `Subj::ALL` order.
pub(crate) fn hours(g: usize) -> [u32; N_SUBJ] {
    //   语 数 英 道 科 物 化 生 历 地 信 体 音 美 综
    match g {
        1 | 2 => [8, 4, 0, 2, 1, 0, 0, 0, 0, 0, 0, 4, 2, 2, 3],
        3 | 4 => [7, 4, 2, 2, 2, 0, 0, 0, 0, 0, 1, 3, 2, 2, 5],
        5 | 6 => [6, 5, 3, 2, 2, 0, 0, 0, 0, 0, 1, 3, 2, 2, 4],
        7 => [5, 5, 4, 2, 0, 0, 0, 2, 2, 2, 1, 3, 1, 1, 6],
        8 => [5, 5, 4, 2, 0, 2, 0, 2, 2, 2, 1, 3, 1, 1, 4],
        9 => [5, 5, 4, 2, 0, 3, 3, 0, 2, 0, 0, 3, 1, 1, 5],
        _ => [0; N_SUBJ],
    }
}

/// Periods a week a full-time teacher carries: primary 语文/数学 14, other primary subjects
/// 18; junior 语文/数学/英语 12, the other examined subjects 14, the rest 16 (the loads
/// county bureaus use to set 编制 by subject).
pub(crate) fn load(junior: bool, k: Subj) -> u32 {
    if !junior {
        return match k {
            Subj::Yuwen | Subj::Shuxue => 14,
            _ => 18,
        };
    }
    match k {
        Subj::Yuwen | Subj::Shuxue | Subj::Yingyu => 12,
        Subj::Daofa | Subj::Wuli | Subj::Huaxue | Subj::Shengwu | Subj::Lishi | Subj::Dili => 14,
        _ => 16,
    }
}

/// Teachers a class of grade `g` needs: Σ periods / load.
pub(crate) fn fte_per_class(g: usize) -> f64 {
    let h = hours(g);
    Subj::ALL
        .iter()
        .map(|&k| h[k.ix()] as f64 / load(g >= 7, k) as f64)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_totals_and_shares_match_the_national_plan() {
        let totals: Vec<u32> = (1..=9).map(|g| hours(g).iter().sum()).collect();
        assert_eq!(totals, [26, 26, 30, 30, 30, 30, 34, 34, 34]);
        let all: u32 = totals.iter().sum();
        let of = |k: Subj| (1..=9).map(|g| hours(g)[k.ix()]).sum::<u32>() as f64 / all as f64;
        assert!((0.20..=0.22).contains(&of(Subj::Yuwen)));
        assert!((0.13..=0.15).contains(&of(Subj::Shuxue)));
        assert_eq!(hours(1)[Subj::Tiyu.ix()], 4);
        assert_eq!(hours(7)[Subj::Yinyue.ix()], 1);
    }
}
