//! Who is on the exchange list and how a meeting reads it: grouped by community, this
//! year's decisions before terms under way, each teacher with 性别, 年龄, 职称, 职务, 学科
//! and 骨干; each school's own list (派出, 接收, 走教); and last year's list beside this
//! year's. The report and the workbook both show these, so they are computed once here.

use std::collections::BTreeSet;

use super::lang::Lang;
use super::words::{gender_word, role_word};
use crate::domain::{CommunityIx, Dataset, Placement, SchoolIx, SubjectIx, TeacherIx};
use crate::plan::{Assignment, AssignmentKind, Day, Plan};

/// The community a move belongs to: its home school's, else its host's.
pub fn community_of(ds: &Dataset, a: &Assignment) -> Option<CommunityIx> {
    let home = ds.teacher(a.teacher).home;
    ds.school(home).community.or(ds.school(a.host).community)
}

/// A community's lines of the exchange list.
pub struct Group<'a> {
    /// `None` gathers moves between schools of no community (a ledger row may be one).
    pub community: Option<CommunityIx>,
    /// New moves and extensions: what the meeting decides this year.
    pub decided: Vec<&'a Assignment>,
    /// Terms under way (交流期内): listed apart, nothing to decide.
    pub under_way: Vec<&'a Assignment>,
}

/// The exchange list by community in dataset order, each part by home school id, kind
/// and teacher id; communities without a line are left out.
pub fn by_community<'a>(ds: &Dataset, plan: &'a Plan) -> Vec<Group<'a>> {
    let mut lines: Vec<&Assignment> = plan.assignments.iter().collect();
    lines.sort_by(|a, b| line_key(ds, a).cmp(&line_key(ds, b)));
    let mut groups: Vec<Group> = Vec::new();
    for a in lines {
        let c = community_of(ds, a);
        if groups.last().is_none_or(|g| g.community != c) {
            groups.push(Group {
                community: c,
                decided: Vec::new(),
                under_way: Vec::new(),
            });
        }
        let g = groups.last_mut().expect("pushed above");
        if a.kind == AssignmentKind::Continuing {
            g.under_way.push(a);
        } else {
            g.decided.push(a);
        }
    }
    groups
}

fn line_key<'a>(ds: &'a Dataset, a: &Assignment) -> (u32, &'a str, AssignmentKind, &'a str) {
    let te = ds.teacher(a.teacher);
    (
        community_of(ds, a).map_or(u32::MAX, |c| c.0),
        &ds.school(te.home).id,
        a.kind,
        &te.id,
    )
}

/// The headers of [`person`]'s cells.
pub fn person_headers(lang: Lang) -> [&'static str; 6] {
    [
        lang.pick("性别", "Sex"),
        lang.pick("年龄", "Age"),
        lang.pick("职称", "Title"),
        lang.pick("职务", "Role"),
        lang.pick("学科", "Subject"),
        lang.pick("骨干", "Backbone"),
    ]
}

/// A teacher's particulars in the list's columns: 性别, 年龄 (in the plan year), 职称,
/// 职务, 学科, 骨干.
pub fn person(ds: &Dataset, t: TeacherIx, lang: Lang) -> [String; 6] {
    let te = ds.teacher(t);
    [
        gender_word(te.gender, lang).to_string(),
        ds.age(t).to_string(),
        te.title.clone().unwrap_or_default(),
        role_word(te.role, lang).to_string(),
        ds.subject_name(te.subject).to_string(),
        if te.backbone {
            lang.pick("是", "yes").to_string()
        } else {
            String::new()
        },
    ]
}

/// The subjects a teacher teaches at `s` on 走教 trips (not their main subject, when
/// they teach another there).
pub fn taught_at(plan: &Plan, t: TeacherIx, s: SchoolIx) -> Vec<SubjectIx> {
    let mut ks: Vec<SubjectIx> = plan
        .teaching
        .iter()
        .filter(|&&(x, at, _, _)| x == t && at == s)
        .map(|&(_, _, k, _)| k)
        .collect();
    ks.dedup();
    ks
}

/// The subjects a teacher teaches on all their trips, in order of first stop.
pub fn taught_on_trips(plan: &Plan, t: TeacherIx, days: &[Day]) -> Vec<SubjectIx> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for d in days {
        for s in &d.stops {
            for k in taught_at(plan, t, s.school) {
                if seen.insert(k) {
                    out.push(k);
                }
            }
        }
    }
    out
}

/// Subject names joined as the language lists them.
pub fn subjects_text(ds: &Dataset, ks: &[SubjectIx], lang: Lang) -> String {
    let names: Vec<&str> = ks.iter().map(|&k| ds.subject_name(k)).collect();
    names.join(lang.pick("、", ", "))
}

/// One school's own list: who leaves, who comes, and the 走教 days to and from it.
pub struct SchoolList<'a> {
    pub out: Vec<&'a Assignment>,
    pub incoming: Vec<&'a Assignment>,
    /// This school's teachers' trip-days.
    pub trips_out: Vec<(TeacherIx, &'a Day)>,
    /// Other schools' teachers' trip-days with a stop here.
    pub trips_in: Vec<(TeacherIx, &'a Day)>,
}

impl SchoolList<'_> {
    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
            && self.incoming.is_empty()
            && self.trips_out.is_empty()
            && self.trips_in.is_empty()
    }
}

pub fn school_list<'a>(ds: &Dataset, plan: &'a Plan, s: SchoolIx) -> SchoolList<'a> {
    let mut list = SchoolList {
        out: Vec::new(),
        incoming: Vec::new(),
        trips_out: Vec::new(),
        trips_in: Vec::new(),
    };
    for a in &plan.assignments {
        if ds.teacher(a.teacher).home == s {
            list.out.push(a);
        } else if a.host == s {
            list.incoming.push(a);
        }
    }
    for t in ds.teacher_ixs() {
        for d in plan.routes.get(t.ix()).into_iter().flatten() {
            if d.trip.home == s {
                list.trips_out.push((t, d));
            } else if d.stops.iter().any(|x| x.school == s && x.periods > 0) {
                list.trips_in.push((t, d));
            }
        }
    }
    list
}

/// Where a teacher on last year's list stands this year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Since {
    /// The term ended last year and the teacher goes home (期满返校).
    Ends,
    /// The term ended last year and is extended (延期).
    Extends,
    /// The term goes on (交流期内).
    UnderWay,
    /// A term the ledger already holds that begins this year (decided before the plan).
    Decided,
    /// Not on last year's list: a new move this year.
    New,
}

impl Since {
    pub const ALL: [Since; 5] = [
        Since::Ends,
        Since::Extends,
        Since::UnderWay,
        Since::Decided,
        Since::New,
    ];

    /// Whether the teacher served away last year.
    pub fn served_last_year(self) -> bool {
        matches!(self, Since::Ends | Since::Extends | Since::UnderWay)
    }

    /// Whether the teacher serves away this year.
    pub fn serves_this_year(self) -> bool {
        self != Since::Ends
    }

    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Since::Ends => lang.pick("期满返校", "term ends, back home"),
            Since::Extends => lang.pick("延期", "extended"),
            Since::UnderWay => lang.pick("交流期内", "term under way"),
            Since::Decided => {
                lang.pick("本学年开始（台账已定）", "begins this year (in the ledger)")
            }
            Since::New => lang.pick("本学年新交流", "new this year"),
        }
    }
}

/// One teacher of last year's list or this year's new moves.
pub struct Change {
    pub since: Since,
    pub teacher: TeacherIx,
    pub from: SchoolIx,
    pub to: SchoolIx,
    pub start_year: i32,
    pub end_year: i32,
}

/// Last year's list (the ledger's terms that covered the school year before the plan
/// year) beside this year's: who ends, who extends, who goes on, whose term the ledger
/// already starts this year, and who is new. Sorted by kind, then home school id and
/// teacher id.
pub fn last_year(ds: &Dataset, plan: &Plan) -> Vec<Change> {
    let y = ds.policy.plan_year;
    let mut out: Vec<Change> = Vec::new();
    for r in &ds.ledger {
        if r.end_year < y - 1 || r.start_year > y {
            continue;
        }
        let place = plan.placement.get(r.teacher.ix()).copied();
        let since = if r.start_year == y {
            Since::Decided
        } else if r.end_year >= y {
            Since::UnderWay
        } else if matches!(place, Some(Placement::Extended(_))) {
            Since::Extends
        } else {
            Since::Ends
        };
        let end_year = if since == Since::Extends {
            y
        } else {
            r.end_year
        };
        out.push(Change {
            since,
            teacher: r.teacher,
            from: r.from,
            to: r.to,
            start_year: r.start_year,
            end_year,
        });
    }
    for a in &plan.assignments {
        if matches!(a.kind, AssignmentKind::Support | AssignmentKind::Learning) {
            out.push(Change {
                since: Since::New,
                teacher: a.teacher,
                from: ds.teacher(a.teacher).home,
                to: a.host,
                start_year: a.start_year,
                end_year: a.end_year,
            });
        }
    }
    let key = |c: &Change| {
        (
            c.since,
            ds.school(c.from).id.clone(),
            ds.teacher(c.teacher).id.clone(),
        )
    };
    out.sort_by_key(key);
    out
}
