//! The `nines` command: thin glue over the library crates. Only this crate
//! touches arguments, the terminal and the file system.

mod catalog;
mod check;
mod cli;
mod compare;
mod completions;
mod fail;
mod hunt;
mod interrupt;
mod load;
mod new;
mod output;
mod progress;
mod replay;
mod report;
mod run;
mod schema;
mod summarize;
mod sweep;
mod validate;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Validate(args) => validate::validate(args),
        Command::Compare(args) => compare::compare(args),
        Command::Report(args) => report::report(args),
        Command::Replay(args) => replay::replay(args),
        Command::Hunt(args) => hunt::hunt(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Merge(args) => sweep::merge(args),
        Command::Check(args) => check::check(args),
        Command::New(args) => new::new(args),
        Command::Scenarios(command) => catalog::scenarios(command),
        Command::Schema(args) => schema::schema(args),
        Command::Completions(args) => completions::completions(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            failure.exit_code()
        }
    }
}
