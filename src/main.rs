//! The `edgelint` command: parses arguments, runs the lint, prints the report and exits with
//! 0 (no findings), 1 (findings) or 2 (the run itself failed).

mod add_noqa;
mod args;
mod baseline;
mod cache;
mod fixing;
mod outcome;
mod profile;
mod report;
mod rule_docs;
mod run;
mod run_files;
mod settings;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// jemalloc, with an arena for each file's syntax tree (see `edgelint_alloc`).
#[global_allocator]
static ALLOCATOR: edgelint_alloc::Allocator = edgelint_alloc::Allocator;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    edgelint_linter::install_panic_hook();
    match run::run(cli) {
        Ok(status) => status.into(),
        // The reader went away (`edgelint rule --all | head`): nothing more to say to it.
        Err(error) if report::is_closed_pipe(&error) => run::ExitStatus::Clean.into(),
        Err(error) => {
            // A configuration error is already a full report, pointing into the file.
            let _ = match error.downcast_ref::<edgelint_config::ConfigError>() {
                Some(config_error) => writeln!(std::io::stderr(), "{config_error}"),
                None => writeln!(std::io::stderr(), "edgelint: error: {error:#}"),
            };
            run::ExitStatus::Failure.into()
        }
    }
}
