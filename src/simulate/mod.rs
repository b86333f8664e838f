//! `lungang simulate` (issue 16, item 1): plans Y, Y+1, … in turn, each year's dataset
//! derived from the last year's dataset and plan (docs/simulate.md). This module knows no
//! files: it turns a dataset and its plan into next year's dataset, a dataset into the
//! bytes of a dataset folder, and a plan into the year's summary row.

mod files;
mod summary;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::domain::{
    Dataset, Gender, Kept, LedgerEntry, Role, SchoolKind, Status, Teacher, TeacherIx, Willing,
};
use crate::generate::names::{person, SURNAMES};
use crate::generate::random::chance;
use crate::plan::Plan;

pub(crate) use files::csv;
pub use files::dataset_files;
pub use summary::{missed, missed_csv, summary_csv, summary_html, year_row, Missed, YearRow};

/// Retirement ages (国发〔1978〕104号: men 60, women cadres 55; the 2025 渐进式延迟退休
/// reform adds a month every four months, under a year by 2027, which this model leaves out).
pub const RETIRE_MALE: i32 = 60;
pub const RETIRE_FEMALE: i32 = 55;
/// The age of a new graduate hire (本科 at 22-23).
pub const HIRE_AGE: i32 = 23;

/// What changed between a year and the next, besides the plan's moves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Turnover {
    /// Ids of the teachers who reached the retirement age.
    pub retired: Vec<String>,
    /// Ids of the new hires, one for each retiree.
    pub hired: Vec<String>,
}

/// The rng of year `year`'s hires under `seed`: each year's draws stand alone, so a year
/// derived again from the same files gives the same hires.
pub fn year_rng(seed: u64, year: i32) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed ^ (year as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Next year's dataset from this year's and its plan: the plan's ledger becomes the
/// ledger; everyone who served full time at a rural school this year gains a rural year;
/// who reaches the retirement age in Y+1 leaves (with their ledger rows), and a new
/// graduate of the same subject and stage replaces each at the same school.
/// `school_since` stays: an exchange keeps the teacher's home (人事关系). Of the terms that
/// end in Y and have not asked yet, each asks to extend with chance `extend_share`
/// (drawn after the hires, in ledger order).
pub fn next_year(
    ds: &Dataset,
    plan: &Plan,
    rng: &mut ChaCha8Rng,
    extend_share: f64,
) -> (Dataset, Turnover) {
    let next = ds.policy.plan_year + 1;
    let mut out = ds.clone();
    out.policy.plan_year = next;
    let mut turnover = Turnover::default();
    let (mut teachers, keep, leavers) = stayers(ds, plan, &mut turnover);
    let mut ids: BTreeSet<String> = ds.teachers.iter().map(|t| t.id.clone()).collect();
    let mut k = 0;
    for old in leavers {
        let id = loop {
            k += 1;
            let id = format!("N{next}{k:03}");
            if ids.insert(id.clone()) {
                break id;
            }
        };
        turnover.hired.push(id.clone());
        teachers.push(graduate(id, old, next, rng));
    }
    out.teachers = teachers;
    out.ledger = next_ledger(ds, plan, &keep, rng, extend_share);
    (out, turnover)
}

/// Who stays into Y+1, each with a rural year more where they served at a rural school and
/// this year's pins and kept plan cleared; each old teacher's index among them; and who
/// retires (in `turnover` too).
fn stayers<'d>(
    ds: &'d Dataset,
    plan: &Plan,
    turnover: &mut Turnover,
) -> (Vec<Teacher>, Vec<Option<TeacherIx>>, Vec<&'d Teacher>) {
    let next = ds.policy.plan_year + 1;
    let mut keep: Vec<Option<TeacherIx>> = vec![None; ds.teachers.len()];
    let mut teachers: Vec<Teacher> = Vec::with_capacity(ds.teachers.len());
    let mut leavers: Vec<&Teacher> = Vec::new();
    for t in ds.teacher_ixs() {
        let te = ds.teacher(t);
        let limit = match te.gender {
            Gender::Male => RETIRE_MALE,
            Gender::Female => RETIRE_FEMALE,
        };
        if next - te.birth_year >= limit {
            turnover.retired.push(te.id.clone());
            leavers.push(te);
            continue;
        }
        let mut te = te.clone();
        // A planner's pins and kept plan are this year's, not the next.
        te.pins.clear();
        te.kept = Kept::No;
        let served = plan.placement[t.ix()].school(te.home);
        if ds.school(served).kind == SchoolKind::Rural {
            te.rural_years += 1;
        }
        keep[t.ix()] = Some(TeacherIx(teachers.len() as u32));
        teachers.push(te);
    }
    (teachers, keep, leavers)
}

/// The new graduate `id` who replaces `old` in year `next`: same school, subject and stage.
fn graduate(id: String, old: &Teacher, next: i32, rng: &mut ChaCha8Rng) -> Teacher {
    let female = chance(rng, 0.5);
    Teacher {
        id,
        name: person(rng, SURNAMES, female),
        home: old.home,
        subject: old.subject,
        extra_subjects: Vec::new(),
        stage: old.stage,
        gender: if female { Gender::Female } else { Gender::Male },
        birth_year: next - HIRE_AGE,
        hire_year: next,
        school_since: next,
        title: None,
        backbone: false,
        rural_years: 0,
        capacity: None,
        status: Status::Active,
        willing: Willing::Unknown,
        role: Role::Teacher,
        pins: Vec::new(),
        kept: Kept::No,
    }
}

/// The plan's ledger as next year's, its teachers renumbered by `keep` (leavers' rows
/// dropped); a term ending in Y that has not asked yet asks to extend with chance
/// `extend_share`, in ledger order.
fn next_ledger(
    ds: &Dataset,
    plan: &Plan,
    keep: &[Option<TeacherIx>],
    rng: &mut ChaCha8Rng,
    extend_share: f64,
) -> Vec<LedgerEntry> {
    let y = ds.policy.plan_year;
    (plan.ledger.iter())
        .filter_map(|r| {
            let teacher = keep[r.teacher.ix()]?;
            // A term ending in Y whose teacher now asks to extend (西吉 2022: 期满可申请
            // 延长1-2年); whether the rules allow it is next year's plan to decide.
            let asks = r.end_year == y && !r.extend && chance(rng, extend_share);
            Some(LedgerEntry {
                teacher,
                extend: r.extend || asks,
                ..r.clone()
            })
        })
        .collect()
}

/// policy.toml's text for year `year`: `plan_year` set (replaced before the first table,
/// or put first), and `[rotation] learning_cycle_start` set to `cycle_start` when given
/// and the file does not set it, so that the years after the first stay in its cycle.
pub fn policy_for_year(text: &str, year: i32, cycle_start: Option<i32>) -> String {
    let mut out = String::new();
    let mut in_table = false;
    let mut set_year = false;
    let mut rotation = false;
    let has_start = text
        .lines()
        .any(|l| l.trim_start().starts_with("learning_cycle_start"));
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_table = true;
        }
        if !in_table && t.starts_with("plan_year") {
            let _ = writeln!(out, "plan_year = {year}");
            set_year = true;
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if t.trim_end() == "[rotation]" {
            rotation = true;
            if let (Some(s), false) = (cycle_start, has_start) {
                let _ = writeln!(out, "learning_cycle_start = {s}");
            }
        }
    }
    if !set_year {
        out = format!("plan_year = {year}\n{out}");
    }
    if let (Some(s), false, false) = (cycle_start, has_start, rotation) {
        let _ = write!(out, "[rotation]\nlearning_cycle_start = {s}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_text_gets_the_year_and_keeps_the_cycle() {
        let t = "# c\nplan_year = 2025\n[rotation]\nlearning_cycle_years = 3\n";
        assert_eq!(
            policy_for_year(t, 2026, Some(2025)),
            "# c\nplan_year = 2026\n[rotation]\nlearning_cycle_start = 2025\nlearning_cycle_years = 3\n"
        );
        assert_eq!(policy_for_year("", 2027, None), "plan_year = 2027\n");
        assert_eq!(
            policy_for_year("[weights]\nunmet = 5\n", 2027, Some(2025)),
            "plan_year = 2027\n[weights]\nunmet = 5\n[rotation]\nlearning_cycle_start = 2025\n"
        );
        // A start the file sets is the county's; a plan_year inside a table is not ours.
        let t = "[rotation]\nlearning_cycle_start = 2024\n";
        assert_eq!(
            policy_for_year(t, 2026, Some(2026)),
            "plan_year = 2026\n[rotation]\nlearning_cycle_start = 2024\n"
        );
    }
}
