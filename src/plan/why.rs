//! Why each name is on the list (issue 15 item 4): for every line of assignments.csv, the
//! shortage it fixes at the host, what its home keeps and who takes over there (顶岗), the
//! rules the move counts toward, and what set this teacher before colleagues who could
//! also have gone. Built from the plan value and the data alone, so anyone holding the
//! plan folder and the dataset can derive the same sentence; in English and in 中文.

use std::collections::BTreeMap;

use super::{Assignment, AssignmentKind, CoverageRow, Plan, RuleResult};
use crate::domain::{
    Dataset, Kept, MoveKind, Placement, RequestKind, SchoolIx, SubjectIx, TeacherFacts, TeacherIx,
    Willing,
};

/// A reason in both languages: `en` for assignments.csv, `zh` for the report and
/// plan.xlsx (原因).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Why {
    pub en: String,
    pub zh: String,
}

/// The plan's lookups every reason reads.
struct Ctx<'a> {
    ds: &'a Dataset,
    facts: &'a [TeacherFacts],
    plan: &'a Plan,
    coverage: BTreeMap<(SchoolIx, SubjectIx), &'a CoverageRow>,
    rules: BTreeMap<(&'a str, &'a str), &'a RuleResult>,
}

/// One reason per line of `plan.assignments`, in the same order.
pub fn explain_all(ds: &Dataset, facts: &[TeacherFacts], plan: &Plan) -> Vec<Why> {
    let cx = Ctx {
        ds,
        facts,
        plan,
        coverage: plan
            .coverage
            .iter()
            .map(|c| ((c.school, c.subject), c))
            .collect(),
        rules: plan
            .rules
            .iter()
            .map(|r| ((r.rule, r.scope.as_str()), r))
            .collect(),
    };
    plan.assignments.iter().map(|a| cx.explain(a)).collect()
}

impl Ctx<'_> {
    fn explain(&self, a: &Assignment) -> Why {
        let parts = [
            self.decision(a),
            self.at_host(a),
            self.at_home(a),
            self.rules_served(a),
            self.before_colleagues(a),
        ];
        let (en, zh): (Vec<String>, Vec<String>) = parts.into_iter().flatten().unzip();
        Why {
            en: en.join("; "),
            zh: zh.join("；"),
        }
    }

    /// Terms under way, extensions, the planner's pins and a kept plan: what decided the
    /// line before the plan's own choice.
    fn decision(&self, a: &Assignment) -> Option<(String, String)> {
        let ds = self.ds;
        let te = ds.teacher(a.teacher);
        let pinned = ds.pinned(a.teacher);
        match a.kind {
            AssignmentKind::Continuing => Some((
                format!("term under way until {}–{}", a.end_year, a.end_year + 1),
                format!("交流期内，至{}—{}学年", a.end_year, a.end_year + 1),
            )),
            AssignmentKind::Extension if pinned.extend => Some((
                "extended one year as the planner set".into(),
                "延期一学年（人工指定）".into(),
            )),
            AssignmentKind::Extension => Some((
                "extended one year at the teacher's request".into(),
                "延期一学年（本人申请）".into(),
            )),
            _ if pinned.move_to == Some(a.host) => {
                Some(("set by the planner".into(), "人工指定".into()))
            }
            _ if te.kept == Kept::At(a.host) => {
                Some(("as in the kept list".into(), "与上次名单相同".into()))
            }
            _ => None,
        }
    }

    /// What the teacher teaches at the host, against the host's shortage with nobody moving.
    fn at_host(&self, a: &Assignment) -> Option<(String, String)> {
        let ds = self.ds;
        let host = ds.school(a.host);
        let (mut en, mut zh) = (Vec::new(), Vec::new());
        for &(t, s, k, p) in &self.plan.teaching {
            if t != a.teacher || s != a.host {
                continue;
            }
            let before = self.coverage.get(&(s, k)).map_or(0, |c| c.unmet_before);
            let name = ds.subject_name(k);
            en.push(format!(
                "teaches {p} {name} periods at {} ({before} unmet there with nobody moving)",
                host.name
            ));
            zh.push(if before > 0 {
                format!(
                    "在{}任教{name}{p}节（若无人交流该校缺{before}节）",
                    host.name
                )
            } else {
                format!("在{}任教{name}{p}节（该校{name}原本不缺课）", host.name)
            });
        }
        if en.is_empty() && a.kind == AssignmentKind::Learning {
            en.push(format!("learns at {} without teaching there", host.name));
            zh.push(format!("在{}跟岗学习，不承担课时", host.name));
        } else if en.is_empty() && a.kind == AssignmentKind::Support {
            en.push(format!(
                "serves at {} with no periods to teach there",
                host.name
            ));
            zh.push(format!("到{}支教，该校无课时需其承担", host.name));
        }
        let home = ds.teacher(a.teacher).home;
        let new_move = matches!(a.kind, AssignmentKind::Support | AssignmentKind::Learning);
        if let Some(leg) = ds.leg(home, a.host).filter(|_| new_move && !en.is_empty()) {
            let km = super::num(leg.km);
            en.push(format!("{km} km from home"));
            zh.push(format!("距派出学校{km}公里"));
        }
        (!en.is_empty()).then(|| (en.join(", "), zh.join("，")))
    }

    /// The home school's main-subject periods after the plan against nobody moving, and
    /// who teaches that subject there from elsewhere (顶岗).
    fn at_home(&self, a: &Assignment) -> Option<(String, String)> {
        let ds = self.ds;
        let te = ds.teacher(a.teacher);
        let c = self.coverage.get(&(te.home, te.subject))?;
        let name = ds.subject_name(te.subject);
        let cover = self.covering(te.home, te.subject);
        let (mut en, mut zh) = if c.unmet > c.unmet_before {
            let more = c.unmet - c.unmet_before;
            (
                format!("home leaves {more} more {name} periods unmet"),
                format!("派出学校{name}课多缺{more}节"),
            )
        } else if c.unmet == 0 {
            (
                format!("home's {name} stays fully taught"),
                format!("派出学校{name}课仍全部有人上"),
            )
        } else {
            (
                format!(
                    "home's {name} no worse ({} unmet with nobody moving, {} now)",
                    c.unmet_before, c.unmet
                ),
                format!(
                    "派出学校{name}缺课不增加（原缺{}节，现缺{}节）",
                    c.unmet_before, c.unmet
                ),
            )
        };
        if !cover.is_empty() {
            en.push_str(&format!(", covered by {}", cover.join(", ")));
            zh.push_str(&format!("，由{}顶岗", cover.join("、")));
        }
        Some((en, zh))
    }

    /// Teachers of another home school who teach subject `k` at `s` (full time or on
    /// 走教 trips), by name in teaching order.
    fn covering(&self, s: SchoolIx, k: SubjectIx) -> Vec<String> {
        let ds = self.ds;
        let mut names: Vec<String> = Vec::new();
        for &(t, at, kk, _) in &self.plan.teaching {
            let te = ds.teacher(t);
            if at == s && kk == k && te.home != s && !names.contains(&te.name) {
                names.push(te.name.clone());
            }
        }
        names
    }

    /// The rules with a requirement that this move counts toward, with what each asks
    /// and reaches. Terms under way count too, but there is nothing to decide for them.
    fn rules_served(&self, a: &Assignment) -> Option<(String, String)> {
        if a.kind == AssignmentKind::Continuing {
            return None;
        }
        let (en, zh): (Vec<String>, Vec<String>) = self
            .served(a)
            .into_iter()
            .map(|(r, label)| {
                let need = r.required.ceil() as u32;
                let got = r.reached as u32;
                (
                    format!("counts toward {label} ({})", en_numbers(r.rule, need, got)),
                    format!(
                        "计入{}（{}）",
                        zh_label(self.ds, r),
                        zh_numbers(r.rule, need, got)
                    ),
                )
            })
            .unzip();
        (!en.is_empty()).then(|| (en.join(", "), zh.join("，")))
    }

    /// The rule results this move counts toward, each with an English label.
    fn served(&self, a: &Assignment) -> Vec<(&RuleResult, String)> {
        let ds = self.ds;
        let (t, te) = (a.teacher, ds.teacher(a.teacher));
        let f = &self.facts[t.ix()];
        let home = ds.school(te.home);
        let kind = move_kind(a);
        let mut out = Vec::new();
        let mut take = |rule: &str, scope: &str, label: String| {
            if let Some(r) = self.rules.get(&(rule, scope)).filter(|r| r.required > 0.0) {
                out.push((*r, label));
            }
        };
        if kind == MoveKind::Support {
            take(
                "core_share",
                &home.id,
                format!("{}'s core share", home.name),
            );
            if f.due {
                take("due_share", &home.id, format!("{}'s due share", home.name));
            }
            if te.backbone {
                take("backbone_share", "county", "the backbone share".into());
            }
        } else {
            take(
                "learning_share",
                &home.id,
                format!("{}'s learning share", home.name),
            );
            if f.cycle_pending {
                take("learning_cycle", &home.id, "the learning cycle".into());
            }
        }
        let new_move = a.kind != AssignmentKind::Extension;
        if let Some(c) = home.community.filter(|_| new_move || counts_serving(ds)) {
            let com = &ds.communities[c.ix()];
            take(
                "reciprocal",
                &com.id,
                format!("reciprocal exchange in {}", com.name),
            );
        }
        for r in ds.requests.iter().filter(|r| r.school == a.host) {
            let fits = match r.kind {
                RequestKind::Teacher(k) => te.subject == k,
                RequestKind::Cadre => te.role.is_cadre(),
            };
            if fits {
                let scope = super::request_scope(ds, r);
                take(
                    "request",
                    &scope,
                    format!("{}'s request", ds.school(r.school).name),
                );
            }
        }
        out
    }

    /// Colleagues of the same home and main subject who stayed home though this host was
    /// open to them, and the traits the plan rewards that this teacher has and they lack.
    fn before_colleagues(&self, a: &Assignment) -> Option<(String, String)> {
        if !matches!(a.kind, AssignmentKind::Support | AssignmentKind::Learning) {
            return None;
        }
        let ds = self.ds;
        let te = ds.teacher(a.teacher);
        let others = self.could_have_gone(a);
        let name = ds.subject_name(te.subject);
        if others.is_empty() {
            return Some((
                format!("the only {name} teacher of the home school who could take this place"),
                format!("派出学校唯一可派往该校的{name}教师"),
            ));
        }
        let n = others.len();
        let (en, zh): (Vec<String>, Vec<String>) = Trait::for_kind(ds, move_kind(a))
            .into_iter()
            .filter(|tr| tr.holds(ds, self.facts, a.teacher))
            .filter_map(|tr| {
                let lacking = others
                    .iter()
                    .filter(|&&o| !tr.holds(ds, self.facts, o))
                    .count();
                let (en, zh, zh_lack) = tr.words();
                (lacking > 0).then(|| {
                    (
                        format!("{en} ({lacking} of them not)"),
                        format!("{zh}（其中{lacking}人{zh_lack}）"),
                    )
                })
            })
            .unzip();
        Some(if en.is_empty() {
            (
                format!("{} at home could have gone, equally placed by the rules; the plan's costs chose", others_en(n, name)),
                format!("同校另有{n}名{name}教师可派，条件相当，按全县课时安排择优"),
            )
        } else {
            (
                format!(
                    "chosen before {} at home: {}",
                    others_en(n, name),
                    en.join(", ")
                ),
                format!("同校另有{n}名{name}教师可派，优先原因：{}", zh.join("、")),
            )
        })
    }

    /// Home colleagues of the same main subject, at home in the plan, for whom this move
    /// was allowed.
    fn could_have_gone(&self, a: &Assignment) -> Vec<TeacherIx> {
        let ds = self.ds;
        let te = ds.teacher(a.teacher);
        ds.teacher_ixs()
            .filter(|&o| {
                let ot = ds.teacher(o);
                o != a.teacher
                    && ot.home == te.home
                    && ot.subject == te.subject
                    && self.plan.placement[o.ix()] == Placement::Home
                    && ds
                        .allowed_moves(o, &self.facts[o.ix()])
                        .iter()
                        .any(|&(s, _)| s == a.host)
            })
            .collect()
    }
}

/// A trait MODEL.md's objective rewards in a mover (due, willing, rural years for
/// promotion) or rule 8 asks for (backbone).
#[derive(Clone, Copy)]
enum Trait {
    Due,
    Willing,
    Rural,
    Backbone,
}

impl Trait {
    /// The traits that weigh for a move of this kind under the policy.
    fn for_kind(ds: &Dataset, kind: MoveKind) -> Vec<Trait> {
        let mut v = vec![Trait::Due, Trait::Willing];
        if kind == MoveKind::Support {
            v.push(Trait::Rural);
            if ds.policy.rotation.backbone_min_share.as_f64() > 0.0 {
                v.push(Trait::Backbone);
            }
        }
        v
    }

    fn holds(self, ds: &Dataset, facts: &[TeacherFacts], t: TeacherIx) -> bool {
        match self {
            Trait::Due => facts[t.ix()].due,
            Trait::Willing => ds.teacher(t).willing == Willing::Yes,
            Trait::Rural => facts[t.ix()].needs_rural,
            Trait::Backbone => ds.teacher(t).backbone,
        }
    }

    /// English, 中文, and the 中文 for colleagues without it.
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Trait::Due => ("due for exchange", "已满交流年限", "未满"),
            Trait::Willing => ("willing", "本人愿意交流", "未表示愿意"),
            Trait::Rural => (
                "needs rural years for promotion",
                "晋升职称需农村任教经历",
                "不需要",
            ),
            Trait::Backbone => ("backbone teacher", "骨干教师", "不是"),
        }
    }
}

/// "1 other 语文 teacher", "3 other 语文 teachers".
fn others_en(n: usize, subject: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{n} other {subject} teacher{s}")
}

fn move_kind(a: &Assignment) -> MoveKind {
    match a.kind {
        AssignmentKind::Learning => MoveKind::Learning,
        _ => MoveKind::Support,
    }
}

fn counts_serving(ds: &Dataset) -> bool {
    ds.policy.rotation.reciprocal_counts == crate::domain::ReciprocalCounts::Serving
}

/// A rule's name in 中文 with its scope's name.
fn zh_label(ds: &Dataset, r: &RuleResult) -> String {
    let school = |id: &str| {
        ds.schools
            .iter()
            .find(|s| s.id == id)
            .map_or(id.to_owned(), |s| s.name.clone())
    };
    match r.rule {
        "core_share" => format!("{}核心校交流比例", school(&r.scope)),
        "due_share" => format!("{}应交流教师比例", school(&r.scope)),
        "learning_share" => format!("{}跟岗比例", school(&r.scope)),
        "learning_cycle" => format!("{}周期内跟岗", school(&r.scope)),
        "backbone_share" => "全县骨干教师比例".into(),
        "reciprocal" => {
            let name = ds
                .communities
                .iter()
                .find(|c| c.id == r.scope)
                .map_or(r.scope.clone(), |c| c.name.clone());
            format!("{name}双向对等交流")
        }
        "request" => {
            let (id, what) = r.scope.split_once(':').unwrap_or((&r.scope, ""));
            let what = if what == "cadre" { "干部" } else { what };
            format!("{}的{what}需求申请", school(id))
        }
        other => other.to_owned(),
    }
}

/// What a rule asks and reaches, in whole people.
fn en_numbers(rule: &str, need: u32, got: u32) -> String {
    match rule {
        "reciprocal" => format!("{need} support, {got} learning"),
        "request" => format!("{need} asked, {got} sent"),
        _ => format!("required {need}, reached {got}"),
    }
}

/// The same in 中文.
fn zh_numbers(rule: &str, need: u32, got: u32) -> String {
    match rule {
        "reciprocal" => format!("支教{need}人，跟岗{got}人"),
        "request" => format!("申请{need}人，已派{got}人"),
        _ => format!("应不少于{need}人，已有{got}人"),
    }
}
