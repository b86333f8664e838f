//! The real `lungang` binary, run from the crate's folder in a chosen locale.

use std::process::{Command, Output};

/// The binary in an English C locale, whatever the machine's.
pub fn lungang(args: &[&str]) -> Output {
    lungang_in("C", args)
}

pub fn lungang_in(locale: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lungang"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", locale)
        .output()
        .expect("binary runs")
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

/// stdout then stderr, as one text.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
