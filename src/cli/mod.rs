//! The `lungang` binary's commands, one file each, and what they share: the command line
//! (`args`), exit codes, loading with every problem printed (`load`), plan folders
//! (`output`) and progress on the terminal. The library knows nothing of these.

pub mod args;
pub mod check;
pub mod communities;
pub mod exit;
pub mod generate;
mod help_zh;
mod load;
pub mod output;
pub mod plan;
mod progress;
pub mod simulate;
pub mod validate;
pub mod whatif;

use lungang::report::Lang;

/// A message in the terminal's language.
fn say(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
