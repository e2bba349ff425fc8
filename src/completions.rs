//! `nines completions`: shell completion scripts, generated from the
//! command line's definition so they never fall behind it.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::fail::Failure;
use crate::output::print;

/// `nines completions`.
pub(crate) fn completions(args: CompletionsArgs) -> Result<(), Failure> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "nines", &mut script);
    let script = String::from_utf8(script)
        .map_err(|e| Failure::internal(format!("the completion script is not UTF-8: {e}")))?;
    print(&script).map(drop)
}
