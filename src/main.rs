//! The `nines` command: thin glue over the library crates. Only this crate
//! touches arguments, the terminal and the file system.

mod cli;
mod fail;
mod load;
mod output;
mod run;
mod summarize;
mod validate;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Validate(args) => validate::validate(args),
        other => Err(fail::Failure::input(format!(
            "`{}` is being built",
            format!("{other:?}").split('(').next().unwrap_or("").to_lowercase()
        ))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            failure.exit_code()
        }
    }
}
