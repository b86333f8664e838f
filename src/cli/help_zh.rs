//! `--help` in 中文 (issue 15 item 6), part of the `lungang` binary (`src/cli/`), not of the
//! library. clap's derive writes the English help from the doc comments; under `--lang zh`
//! (or a zh_* locale) the same command is re-labelled from the tables below before it
//! parses, so one definition of the arguments serves both languages. A subcommand or
//! argument missing from the tables keeps its English help rather than failing.

use clap::{Arg, ArgAction, Command};

const ABOUT: &str = "城乡学校共同体教师交流轮岗计划：读取学校、教师、课时数据，编排下一学年的支教、跟岗、延期与音体美走教";

/// Each subcommand's one-line help.
const COMMANDS: &[(&str, &str)] = &[
    ("validate", "读取并检查数据文件夹：无误时打印概况，有误时列出全部问题"),
    ("plan", "编排下一学年的交流方案，写入 --out 文件夹；给出多个县的数据时并行编排，分别写入 --out/<数据文件夹名>/"),
    ("whatif", "按方案对比文件（scenarios）并行编排一个县的多种假设，并列出对比"),
    ("check", "独立复核一份已写出的方案是否符合数据与规则"),
    ("simulate", "逐年编排：每一学年的数据由上一学年的方案推出（见 docs/simulate.md），写入 --out/<学年>/dataset、--out/<学年>/plan 和多年汇总"),
    ("generate", "生成一个模拟县（或内置示例县）的数据文件夹"),
    ("communities", "组建城乡学校共同体：选定牵头校，把乡村和镇区学校分到各共同体"),
    ("help", "显示本说明或某个命令的说明"),
];

/// Each argument's help by (subcommand, argument id); "" for the top level.
const ARGS: &[(&str, &str, &str)] = &[
    ("", "lang", "提示信息的语言（默认随系统语言，zh_* 为中文）及 report.html 的语言（默认中文）"),
    ("validate", "dataset", "数据文件夹"),
    ("validate", "policy", "另用此政策文件（policy.toml）"),
    ("validate", "json", "以 JSON 打印概况或问题"),
    ("plan", "datasets", "数据文件夹（一个或多个县）"),
    ("plan", "strict", "有规则不能达标时以退出码 5 结束"),
    ("whatif", "dataset", "数据文件夹"),
    ("whatif", "scenarios", "方案对比文件：每行一种假设"),
    ("check", "dataset", "数据文件夹"),
    ("check", "plan", "要复核的方案文件夹"),
    ("check", "policy", "另用此政策文件（policy.toml）"),
    ("simulate", "dataset", "数据文件夹（其中的 policy.toml 逐年沿用）"),
    ("simulate", "years", "编排的学年数（1–20）"),
    ("simulate", "out", "输出文件夹"),
    ("simulate", "seed", "新进教师姓名与性别的随机种子"),
    ("simulate", "time_limit", "每一学年的计算时间上限（秒）"),
    ("simulate", "gap", "与最优方案最多相差此比例即视为最优，取值 [0, 1)，如 0.01 即 1%"),
    ("simulate", "threads", "计算线程数（默认并且最多为本机核数）"),
    ("simulate", "force", "覆盖 --out 中以前写出的学年文件夹"),
    ("simulate", "quiet", "除错误外不打印"),
    ("simulate", "extend_share", "交流期满的教师申请延期一年的比例（假定值，没有文件公布此比例）"),
    ("simulate", "coverage", "逐年扩大共同体，使乡村学校加入比例达到当年要求（平顶山：2025:0.7,2026:0.85,2027:1.0）；不给则共同体不变"),
    ("communities", "dataset", "数据文件夹"),
    ("communities", "coverage", "须加入共同体的乡村学校比例，取值 [0, 1]；或按学年给出（2025:0.7,2026:0.85,2027:1.0，取规划学年适用的一项）"),
    ("communities", "max_minutes", "牵头校到成员校单程车程上限（分钟；默认取政策 itinerant.max_minutes_day，未写时 120）"),
    ("communities", "members", "每个共同体除牵头校外的成员校数 下限..上限（西吉：3..4）"),
    ("communities", "repair", "重新结对：成员校可改到其他牵头校（牵头校仍牵头，成员校仍在某个共同体中）"),
    ("communities", "balance", "共同体每周缺 1 节课折合多少分钟车程（0：只看车程）"),
    ("generate", "schools", "学校数"),
    ("generate", "teachers", "教师数"),
    ("generate", "seed", "随机种子（默认 1；与 --preset 同用时默认用示例县自己的种子，即内置示例县）"),
    ("generate", "communities", "共同体数"),
    ("generate", "profile", "模拟哪个地方的做法（docs/generator.md）：xinjian（默认）、xiji、enshi、pingdingshan、nanning、housing、community、nine_year、parts"),
    ("generate", "preset", "xinjian 或 xiji：内置示例县的生成方式"),
    ("generate", "out", "输出文件夹"),
    ("generate", "force", "覆盖已有的输出文件夹"),
];

/// Arguments that several subcommands share (`Decided`, `RunArgs`), by id.
const SHARED: &[(&str, &str)] = &[
    (
        "pins",
        "人工指定改用此 CSV 文件（或 plan.xlsx），不用数据中的 pins.csv",
    ),
    (
        "keep",
        "同一学年的上一份方案文件夹：与它相比每改动一名教师的去向都计入代价，summary.json 列出改动",
    ),
    ("out", "输出文件夹"),
    ("policy", "另用此政策文件（policy.toml）"),
    ("time_limit", "计算时间上限（秒）"),
    (
        "gap",
        "与最优方案最多相差此比例即视为最优，取值 [0, 1)，如 0.01 即 1%",
    ),
    ("threads", "计算线程数（默认并且最多为本机核数）"),
    ("force", "覆盖已有的 --out 文件夹"),
    ("quiet", "除错误外不打印"),
    ("json", "在标准输出打印一份 JSON 汇总，不打印表格"),
];

/// `cmd` with every heading, subcommand and argument help in 中文.
pub fn localise(cmd: Command) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    let mut cmd = relabel(cmd, "").about(ABOUT);
    for name in names {
        cmd = cmd.mut_subcommand(&name, |sc| {
            let about = COMMANDS.iter().find(|(n, _)| *n == name).map(|(_, z)| *z);
            let sc = relabel(sc, &name);
            match about {
                Some(z) => sc.about(z),
                None => sc,
            }
        });
    }
    cmd.disable_help_subcommand(true).subcommand(
        Command::new("help")
            .about(
                COMMANDS
                    .iter()
                    .find(|(n, _)| *n == "help")
                    .map_or("", |(_, z)| z),
            )
            .arg(Arg::new("command").num_args(0..).help("命令名")),
    )
}

/// Headings, the help and version flags, and each argument's help of one (sub)command.
fn relabel(cmd: Command, sub: &str) -> Command {
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    let mut cmd = cmd
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if sub.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    for id in ids {
        let zh = ARGS
            .iter()
            .find(|(s, a, _)| *s == sub && *a == id)
            .map(|(_, _, z)| *z)
            .or_else(|| SHARED.iter().find(|(a, _)| *a == id).map(|(_, z)| *z));
        cmd = cmd.mut_arg(&id, |a| {
            let heading = if a.is_positional() {
                "参数"
            } else {
                "选项"
            };
            let Some(z) = zh else {
                return a.help_heading(heading);
            };
            // clap prints "[default: …]" and "[possible values: …]" in English: say them
            // in the help instead.
            let mut text = z.to_owned();
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() {
                text.push_str(&format!("（默认 {}）", defaults.join("、")));
            }
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_owned())
                .collect();
            if !values.is_empty() && a.get_action().takes_values() {
                text.push_str(&format!("（可选 {}）", values.join("、")));
            }
            a.help_heading(heading)
                .help(text)
                .hide_default_value(true)
                .hide_possible_values(true)
        });
    }
    cmd
}
