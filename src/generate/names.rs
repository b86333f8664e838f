//! Personal and place names. Synthetic: any likeness to a real person is chance.

use super::random::{below, chance, weighted, Rand};

/// Common surnames with rough weights (per mille of the population, 2020 census order).
pub(crate) const SURNAMES: &[(&str, u32)] = &[
    ("王", 72),
    ("李", 72),
    ("张", 68),
    ("刘", 54),
    ("陈", 46),
    ("杨", 33),
    ("黄", 25),
    ("赵", 22),
    ("吴", 20),
    ("周", 19),
    ("徐", 17),
    ("孙", 15),
    ("马", 15),
    ("朱", 14),
    ("胡", 14),
    ("郭", 13),
    ("何", 12),
    ("林", 11),
    ("高", 11),
    ("罗", 11),
    ("郑", 10),
    ("梁", 10),
    ("谢", 8),
    ("宋", 8),
    ("唐", 8),
    ("许", 7),
    ("韩", 7),
    ("邓", 7),
    ("冯", 7),
    ("曹", 6),
    ("彭", 6),
    ("曾", 6),
    ("肖", 6),
    ("田", 5),
    ("董", 5),
    ("潘", 5),
    ("袁", 5),
    ("蔡", 5),
    ("蒋", 5),
    ("余", 5),
    ("于", 5),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("魏", 4),
    ("苏", 4),
    ("吕", 4),
    ("丁", 4),
    ("任", 4),
    ("熊", 3),
    ("万", 3),
    ("涂", 2),
];

/// 江西 (新建区): 刘 胡 万 熊 涂 are more common than nationally.
pub(crate) const SURNAMES_JIANGXI: &[(&str, u32)] = &[
    ("刘", 70),
    ("李", 55),
    ("王", 50),
    ("陈", 50),
    ("胡", 45),
    ("张", 40),
    ("黄", 35),
    ("万", 30),
    ("熊", 30),
    ("杨", 25),
    ("涂", 20),
    ("罗", 20),
    ("吴", 20),
    ("徐", 20),
    ("魏", 15),
    ("邓", 15),
    ("肖", 15),
    ("曾", 15),
    ("彭", 15),
    ("喻", 10),
    ("龚", 10),
    ("聂", 10),
    ("周", 10),
    ("余", 10),
    ("舒", 8),
    ("程", 8),
    ("钟", 8),
    ("付", 8),
];

/// 宁夏西吉 (about half the people are Hui): 马 first by far.
pub(crate) const SURNAMES_XIJI: &[(&str, u32)] = &[
    ("马", 160),
    ("王", 60),
    ("李", 55),
    ("杨", 45),
    ("张", 40),
    ("田", 30),
    ("苏", 25),
    ("海", 25),
    ("何", 20),
    ("刘", 20),
    ("赵", 15),
    ("虎", 12),
    ("禹", 12),
    ("单", 10),
    ("冶", 10),
    ("穆", 10),
    ("白", 10),
    ("兰", 8),
    ("金", 8),
    ("丁", 8),
    ("安", 8),
    ("火", 6),
    ("摆", 6),
    ("周", 6),
];

const FEMALE: &[&str] = &[
    "丽", "芳", "娟", "敏", "静", "婷", "雪", "燕", "霞", "玲", "慧", "琳", "萍", "红", "梅", "洁",
    "颖", "倩", "晶", "露", "瑶", "佳", "欣", "悦", "雯", "蓉", "莉", "艳", "兰", "娜", "英", "琴",
];
const MALE: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "辉", "鹏", "斌", "宇", "浩", "俊", "峰", "刚",
    "龙", "华", "建", "志", "海", "平", "林", "东", "波", "鑫", "成", "亮", "超", "诚", "武", "忠",
];
const EITHER: &[&str] = &[
    "晓", "春", "秋", "文", "玉", "子", "思", "雨", "新", "云", "金", "国", "小", "永", "建", "学",
    "佳", "宏", "嘉", "振",
];

/// A teacher's name: surname + one or two given characters.
pub(crate) fn person(rng: &mut Rand, surnames: &[(&str, u32)], female: bool) -> String {
    let w: Vec<f64> = surnames.iter().map(|s| s.1 as f64).collect();
    let sur = surnames[weighted(rng, &w).unwrap_or(0)].0;
    let own = if female { FEMALE } else { MALE };
    let last = own[below(rng, own.len())];
    if chance(rng, 0.3) {
        return format!("{sur}{last}");
    }
    let first = if chance(rng, 0.5) {
        EITHER[below(rng, EITHER.len())]
    } else {
        own[below(rng, own.len())]
    };
    format!("{sur}{first}{last}")
}

const PLACE_A: &[&str] = &[
    "东", "西", "南", "北", "新", "石", "高", "白", "龙", "马", "杨", "柳", "青", "沙", "黄", "金",
    "和", "平", "安", "兴", "桃", "梅", "松", "竹", "双", "三", "大", "小", "上", "下", "红", "古",
];
const PLACE_B: &[&str] = &[
    "河", "山", "桥", "坪", "岭", "湖", "口", "塘", "庄", "集", "岗", "湾", "坝", "埠", "寨", "溪",
    "沟", "堡", "铺", "台", "林", "洲", "田", "源",
];

/// A two-character place name not yet in `taken` (three characters once two run out).
pub(crate) fn place(rng: &mut Rand, taken: &mut std::collections::BTreeSet<String>) -> String {
    for attempt in 0.. {
        let mut n = format!(
            "{}{}",
            PLACE_A[below(rng, PLACE_A.len())],
            PLACE_B[below(rng, PLACE_B.len())]
        );
        if attempt > 50 {
            n.insert_str(0, PLACE_A[below(rng, PLACE_A.len())]);
        }
        if taken.insert(n.clone()) {
            return n;
        }
    }
    unreachable!()
}

/// 一 … 九十九, as in 第十二小学.
pub(crate) fn numeral(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[n - 10] }),
        _ => format!(
            "{}十{}",
            D[n / 10 % 10],
            if n.is_multiple_of(10) { "" } else { D[n % 10] }
        ),
    }
}
