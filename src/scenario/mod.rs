//! What-if studies: a scenarios file names variants of one county ("hire 6 music
//! teachers", "outflow rule at 15%"), each a list of changes applied to the checked
//! dataset (`apply.rs`); the variants are then planned like any dataset and compared
//! (`compare.rs`), side by side in comparison.html (`page.rs`).

mod apply;
mod compare;
mod file;
mod page;

use serde::Deserialize;

pub use apply::apply;
pub use compare::{comparison, header_zh, Comparison, Row, COUNT_COLUMNS};
pub use file::{parse, At};
pub use page::comparison_html;

/// The scenarios file (TOML): `[[scenario]]` tables, each `name` and `[[scenario.change]]`s.
#[derive(Clone, Debug)]
pub struct ScenarioFile {
    pub scenario: Vec<Scenario>,
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub change: Vec<Change>,
    /// Where its name and its changes' keys stand in the file, for diagnostics.
    pub at: At,
}

/// One change, written `kind = "…"` plus its fields.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Hire `count` new teachers of `subject` at `school` (first year of teaching).
    AddTeachers {
        school: String,
        subject: String,
        count: u32,
        capacity: Option<u32>,
    },
    /// Remove `count` teachers whose main subject is `subject` at `school` (the last by
    /// id among those not in a term under way).
    RemoveTeachers {
        school: String,
        subject: String,
        count: u32,
    },
    /// Set the periods a week `school` needs of `subject`.
    Demand {
        school: String,
        subject: String,
        periods: u32,
    },
    /// Set a policy key, e.g. `key = "rotation.max_outflow_share"`, `value = 0.15`.
    Policy { key: String, value: toml::Value },
    /// Mark teachers exempt (illness, pregnancy, near retirement …).
    Exempt { teachers: Vec<String> },
    /// Close `school`: its pupils' periods and its teachers go to `into`.
    CloseSchool { school: String, into: String },
    /// Re-pair one school (issue 16 item 4): `school` leaves its community (if any) and
    /// joins `community` as a member ("what if 什字中学 joined 西吉三中's community").
    MoveSchool { school: String, community: String },
    /// Form the communities anew, as `lungang communities` does with these options
    /// (docs/communities.md; each optional, the command's defaults otherwise).
    FormCommunities {
        coverage: Option<f64>,
        max_minutes: Option<f64>,
        members: Option<String>,
        repair: Option<bool>,
        balance: Option<f64>,
    },
}
