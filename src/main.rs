//! The `lungang` command: `main` reads the command line and hands each command to its own
//! function in `cli/` (arguments, messages and exit codes). Everything else lives in the
//! library.

use std::process::ExitCode;

use anyhow::Result;

use cli::args::{parse_cli, terminal_lang, Cli, Command};
use cli::exit;
use cli::output::settings;
use lungang::report::Lang;

mod cli;

/// Lets a closed pipe end the process as SIGPIPE does for other Unix tools: Rust ignores
/// the signal, and println! then panics on the write.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring a signal's default action before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = match parse_cli() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let lang = terminal_lang(cli.lang);
    match run(cli, lang) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("{}{e:#}", lang.pick("错误：", "error: "));
            ExitCode::from(exit::ERROR)
        }
    }
}

/// One command, one function; its exit code.
fn run(cli: Cli, lang: Lang) -> Result<u8> {
    // report.html and plan.xlsx are 中文 unless --lang says otherwise.
    let report_lang: Lang = cli.lang.map_or(Lang::Zh, Lang::from);
    match cli.command {
        Command::Validate {
            dataset,
            policy,
            json,
        } => cli::validate::validate(&dataset, policy, json, lang),
        Command::Plan {
            datasets,
            strict,
            decided,
            run,
        } => {
            let ask = cli::plan::Ask {
                datasets,
                strict,
                decided,
                run,
            };
            cli::plan::plan(ask, report_lang, lang)
        }
        Command::Whatif {
            dataset,
            scenarios,
            run,
        } => cli::whatif::whatif(&dataset, &scenarios, &run, report_lang, lang),
        Command::Check {
            dataset,
            plan,
            policy,
            decided,
        } => cli::check::check(&dataset, &plan, policy, &decided, lang),
        Command::Simulate {
            dataset,
            years,
            out,
            seed,
            time_limit,
            gap,
            threads,
            force,
            quiet,
            extend_share,
            coverage,
        } => {
            let ask = cli::simulate::Years {
                years,
                seed,
                extend_share,
                coverage,
                force,
                quiet,
            };
            let set = settings(time_limit, gap, threads);
            cli::simulate::simulate(&dataset, &out, &ask, set, report_lang, lang)
        }
        Command::Communities(ask) => cli::communities::communities(ask, report_lang, lang),
        Command::Generate(ask) => cli::generate::generate(ask, lang),
    }
}
