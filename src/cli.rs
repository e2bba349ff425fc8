//! The command line, as clap sees it. Raw arguments are parsed here and
//! validated into richer settings by the command modules.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// nines: simulate years of a system's life, many times over, and say how
/// available it is, with confidence intervals.
#[derive(Debug, Parser)]
#[command(
    name = "nines",
    version,
    about,
    after_help = "Examples:\n  nines run cluster-2of3\n  nines run my-design.toml --seed 7 --replications 1000 --json results.json\n  nines validate\n\nExit codes: 0 success, 1 a validation case failed, 2 bad input."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Simulate a scenario and print its availability with confidence intervals.
    #[command(
        after_help = "Examples:\n  nines run cluster-2of3\n  nines run cluster-2of3 --seed 7 --replications 1000 --horizon 5y\n  nines run design.toml --json - | jq .availability\n  nines run cluster-2of3 --trace rep0.jsonl --trace-replication 0"
    )]
    Run(RunArgs),
    /// Check the simulator against systems whose answers are known exactly.
    #[command(
        after_help = "Each case runs with a fixed seed; a case passes when its 99% confidence\ninterval contains the exact value. Exits 1 if any case fails."
    )]
    Validate(ValidateArgs),
}

/// Options shared by commands that simulate.
#[derive(Debug, Args)]
pub(crate) struct SimOptions {
    /// Root seed of every random stream [default: the scenario's, else 1].
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<u64>,
    /// Number of independent replications [default: the scenario's, else 100].
    #[arg(long, short = 'r', value_name = "R")]
    pub(crate) replications: Option<u64>,
    /// Simulated length of each replication, such as 1y, 90d or 4h [default: the scenario's, else 1y].
    #[arg(long, value_name = "DURATION")]
    pub(crate) horizon: Option<String>,
    /// Worker threads; 0 means one per core. Results do not depend on it.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub(crate) threads: usize,
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// A scenario file, or the name of a built-in scenario (cluster-2of3).
    #[arg(value_name = "SCENARIO")]
    pub(crate) scenario: String,
    #[command(flatten)]
    pub(crate) sim: SimOptions,
    /// Write the results as JSON to PATH, or to standard output with `-`.
    #[arg(long, value_name = "PATH|-")]
    pub(crate) json: Option<String>,
    /// Write every event of one replication to FILE as JSON Lines.
    #[arg(long, value_name = "FILE")]
    pub(crate) trace: Option<PathBuf>,
    /// The replication whose events `--trace` writes.
    #[arg(long, value_name = "K", default_value_t = 0, requires = "trace")]
    pub(crate) trace_replication: u64,
    /// Print nothing but the results asked for with --json.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Print the comparison as a JSON list instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
    /// Run only the cases whose id starts with this (V07 runs V07a and V07b).
    #[arg(long, value_name = "ID")]
    pub(crate) case: Option<String>,
    /// Worker threads; 0 means one per core. Results do not depend on it.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub(crate) threads: usize,
}
