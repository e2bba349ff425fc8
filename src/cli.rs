//! The command line, as clap sees it. Raw arguments are parsed here and
//! validated into richer settings by the command modules.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueHint};
use clap_complete::Shell;

mod builtins;

use builtins::ScenarioName;

/// nines: simulate years of a system's life, many times over, and say how
/// available it is, with confidence intervals.
#[derive(Debug, Parser)]
#[command(
    name = "nines",
    version,
    about,
    after_help = "Examples:\n  nines scenarios list\n  nines run cluster-2of3\n  nines new my-design.toml --from multi-az\n  nines check my-design.toml\n  nines run my-design.toml --seed 7 --replications 1000 --json results.json\n  nines compare web-n-plus-1 multi-az\n  nines validate\n\nExit codes: 0 success (for hunt: a violation was found), 1 a validation case\nfailed (for hunt: no violation was found), 2 bad input, 3 an internal or\nenvironmental error (a file that cannot be written), 130 interrupted (Ctrl-C)."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Simulate a scenario and print its availability with confidence intervals.
    #[command(
        after_help = "Examples:\n  nines run cluster-2of3\n  nines run cluster-2of3 --seed 7 --replications 1000 --horizon 5y\n  nines run multi-az --set service.web.instances=15\n  nines run design.toml --json - | jq .availability\n  nines run cluster-2of3 --trace rep0.jsonl --trace-replication 0\n  nines run cluster-2of3 --precision 5%\n  nines run multi-az --precision 10min --max-replications 20000\n  nines run cluster-2of3 --method batch-means --replications 1000\n  nines run cluster-2of3 --rare-event bfb --precision 10%"
    )]
    Run(RunArgs),
    /// Run every point of a sweep and print one line per point.
    #[command(
        after_help = "The points come from the scenario's [sweep] table, or from --sweep flags\n(which replace it). Several --sweep flags are crossed: every combination runs.\n\nExamples:\n  nines sweep web-replicas-sweep\n  nines sweep web-n-plus-1 --sweep service.web.instances=3,4,5,6\n  nines sweep multi-az --sweep service.web.instances=10..16:2 --json -"
    )]
    Sweep(SweepArgs),
    /// Join the --out directories of a sharded sweep into the sweep's results.
    #[command(
        after_help = "The merged sweep.json and sweep.csv are byte for byte what the unsharded\nsweep writes. Each shard can run on a machine of its own.\n\nExamples:\n  nines sweep web-replicas-sweep --shard 1/3 --out part-1\n  nines sweep web-replicas-sweep --shard 2/3 --out part-2\n  nines sweep web-replicas-sweep --shard 3/3 --out part-3\n  nines merge part-1 part-2 part-3 --out all"
    )]
    Merge(MergeArgs),
    /// Run several designs under common random numbers and compare them side by side.
    #[command(
        after_help = "Replication r of every design sees the same random streams wherever the\ndesigns share components, so the paired differences are precise. The verdict\nsays which design is better when the 95% interval of the difference excludes\nzero, and that the difference is not significant otherwise.\n\nExamples:\n  nines compare web-n-plus-1 multi-az\n  nines compare design.toml design-with-replica.toml --replications 1000\n  nines compare single-server web-n-plus-1 multi-az --json -"
    )]
    Compare(CompareArgs),
    /// Render a report from saved results, without running anything
    #[command(
        after_help = "The report is the one `--report DIR` writes: report.html (one self-contained\npage, plots inline, nothing fetched), report.md with its plots as SVG files,\nresults.json and results.csv. Rendering the same results again gives the same\nfiles, byte for byte.\n\nExamples:\n  nines run multi-az --report multi-az-report\n  nines report multi-az-report/results.json --out again\n  nines sweep web-replicas-sweep --out sw && nines report sw/sweep.json --out sw-report"
    )]
    Report(ReportArgs),
    /// Re-run one replication alone, bit for bit, and optionally write its trace.
    #[command(
        after_help = "The replication's trace hash equals the one listed under \"replication_hashes\"\nby `nines run --json` with the same seed.\n\nExamples:\n  nines replay split-brain --seed 1 --replication 17 --trace rep17.jsonl\n  nines replay split-brain --seed 1 --replication 17 --explain --from 2800h --to 2900h\n  nines replay split-brain --seed 1 --replication 17 --timeline rep17.svg\n  nines replay design.toml --seed 3 --replication 0 --json -"
    )]
    Replay(ReplayArgs),
    /// Search replications for a violated invariant, and shrink what is found to a scenario
    #[command(
        after_help = "Invariants: no-split-brain (at most one writable primary), no-lost-writes\n(nothing lost beyond what the replication promises), slo (availability over\nscenario.slo_window at least scenario.slo), health-check-bound (no dead node\nin rotation past its health checks), and the scenario's [[invariant]] tables.\n\nReplications 0, 1, 2, ... of the root seed are tried in order, in parallel;\nthe first that breaks an invariant is reported with the command that replays\nit. Exit codes: 0 a violation was found, 1 none was, 2 bad input.\n\nExamples:\n  nines hunt split-brain --seeds 2000\n  nines hunt split-brain --invariant no-split-brain --json -\n  nines hunt split-brain --shrink --out split-brain-min.toml\n  nines hunt multi-az --time 30s\n  nines hunt dr-strategies --amplify 20 --seeds 500"
    )]
    Hunt(HuntArgs),
    /// Validate a scenario and print a short summary of its structure.
    #[command(
        after_help = "Reports every problem in the file at once, each with its file, line and\ncolumn, and exits 2 if there is any.\n\nExamples:\n  nines check my-design.toml\n  nines check multi-az --sweep service.web.instances=8..16:2"
    )]
    Check(CheckArgs),
    /// Check the simulator against systems whose answers are known exactly.
    #[command(
        after_help = "Each case runs with a fixed seed; a case passes when its 99% confidence\ninterval contains the exact value. Exits 1 if any case fails."
    )]
    Validate(ValidateArgs),
    /// Write a starter scenario file, copied from a built-in one.
    #[command(
        after_help = "Refuses to overwrite an existing file unless --force is given.\n\nExamples:\n  nines new my-design.toml --from multi-az\n  nines new my-db --from db-active-passive        (writes my-db.toml)"
    )]
    New(NewArgs),
    /// List the built-in scenarios, or print one.
    #[command(
        subcommand,
        after_help = "Examples:\n  nines scenarios list\n  nines scenarios show multi-az > my-design.toml"
    )]
    Scenarios(ScenariosCommand),
    /// Print the JSON Schema of scenario files, for editors.
    #[command(
        after_help = "Examples:\n  nines schema > nines.schema.json\n  nines schema --out nines.schema.json"
    )]
    Schema(SchemaArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "In bash, zsh and fish a scenario argument completes to the name of a built-in\nscenario or to a file.\n\nExamples:\n  nines completions bash > ~/.local/share/bash-completion/completions/nines\n  nines completions zsh > ~/.zfunc/_nines\n  nines completions fish > ~/.config/fish/completions/nines.fish"
    )]
    Completions(CompletionsArgs),
}

/// Which scenario, and changes to it.
#[derive(Debug, Args)]
pub(crate) struct ScenarioArgs {
    /// A scenario file, or the name of a built-in scenario (see `nines scenarios list`).
    #[arg(value_name = "SCENARIO", value_parser = ScenarioName, hide_possible_values = true, value_hint = ValueHint::FilePath)]
    pub(crate) scenario: String,
    /// Set a value of the scenario before running, such as service.web.instances=5
    /// or fault.host-crash.every="exponential(mean = 1y)". Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub(crate) set: Vec<String>,
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

impl SimOptions {
    /// The options of a command that takes only `--seed` and `--horizon`
    /// (it chooses its replications itself).
    pub(crate) fn seed_and_horizon(
        seed: Option<u64>,
        horizon: Option<&str>,
        threads: usize,
    ) -> Self {
        SimOptions {
            seed,
            replications: None,
            horizon: horizon.map(str::to_string),
            threads,
        }
    }
}

/// Where results go.
#[derive(Debug, Args)]
pub(crate) struct OutputOptions {
    /// Write the results as JSON to PATH, or to standard output with `-`.
    #[arg(long, value_name = "PATH|-")]
    pub(crate) json: Option<String>,
    /// Print nothing but the results asked for with --json (no table, no progress bar).
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub(crate) scenario: ScenarioArgs,
    #[command(flatten)]
    pub(crate) sim: SimOptions,
    #[command(flatten)]
    pub(crate) output: OutputOptions,
    /// Write every event of one replication to FILE as JSON Lines.
    #[arg(long, value_name = "FILE")]
    pub(crate) trace: Option<PathBuf>,
    /// The replication whose events `--trace` writes.
    #[arg(long, value_name = "K", default_value_t = 0, requires = "trace")]
    pub(crate) trace_replication: u64,
    /// Add replications in batches until the 95% interval of the downtime is
    /// this narrow: a half-width relative to the mean (5%) or absolute in
    /// minutes per year (2min). Replaces --replications as the stopping rule.
    #[arg(long, value_name = "TARGET", conflicts_with = "replications")]
    pub(crate) precision: Option<String>,
    /// With --precision: the most replications to run [default: 100000].
    #[arg(long, value_name = "N", requires = "precision")]
    pub(crate) max_replications: Option<u64>,
    /// How to estimate: independent replications, or batch means over one
    /// long run of replications x horizon (batch size and warm-up cut chosen
    /// automatically).
    #[arg(long, value_enum, default_value_t = Method::Replications)]
    pub(crate) method: Method,
    /// Rare-event estimation for k-of-n scenarios too available for plain
    /// simulation: importance sampling with balanced failure biasing (bfb),
    /// always, or when a plain pilot sees too few failures (auto).
    #[arg(long, value_enum, value_name = "MODE", default_value_t = RareEvent::Off)]
    pub(crate) rare_event: RareEvent,
    /// With --rare-event: the forcing probability, between 0 and 1, or
    /// `auto` for a cross-entropy pilot's choice [default: 0.5].
    #[arg(long, value_name = "P|auto")]
    pub(crate) bias: Option<String>,
    /// Also write a report into DIR: report.html (self-contained), report.md
    /// with its SVG plots, results.json (which `nines report` renders again)
    /// and results.csv.
    #[arg(long, value_name = "DIR")]
    pub(crate) report: Option<PathBuf>,
}

/// Whether `nines run` uses rare-event estimation.
///
/// Plain comments, as for [`Method`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum RareEvent {
    // Plain simulation.
    Off,
    // Importance sampling when a plain pilot sees too few failures.
    Auto,
    // Importance sampling with balanced failure biasing.
    Bfb,
}

/// How `nines run` estimates.
///
/// The variants carry plain comments: a doc comment would become help for
/// each value and switch `nines run --help` to clap's long layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Method {
    // Independent replications, each from the start.
    Replications,
    // One long run (replications x horizon), cut into batches.
    BatchMeans,
}

#[derive(Debug, Args)]
pub(crate) struct SweepArgs {
    #[command(flatten)]
    pub(crate) scenario: ScenarioArgs,
    /// Sweep a value over a list (service.web.instances=2,3,4) or a range with a
    /// step (service.web.instances=2..6, failover.duration=10..60:10). Repeatable:
    /// several are crossed. Replaces the scenario's [sweep] table.
    #[arg(long = "sweep", value_name = "PATH=VALUES")]
    pub(crate) sweep: Vec<String>,
    #[command(flatten)]
    pub(crate) sim: SimOptions,
    #[command(flatten)]
    pub(crate) output: OutputOptions,
    /// Also write sweep.json and sweep.csv into this directory (and each
    /// finished point as it finishes, for --resume).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Give every point its own random streams instead of common random
    /// numbers (differences between points are then not paired).
    #[arg(long)]
    pub(crate) independent: bool,
    /// Run only shard I of N (every N-th point, from the I-th) into --out;
    /// `nines merge` joins the shards' directories.
    #[arg(long, value_name = "I/N", requires = "out")]
    pub(crate) shard: Option<String>,
    /// Keep the points already finished in --out and run only the rest.
    #[arg(long, requires = "out")]
    pub(crate) resume: bool,
    /// Discard the points already finished in --out and start over (only
    /// the point files nines wrote are removed).
    #[arg(long, requires = "out", conflicts_with = "resume")]
    pub(crate) force: bool,
    /// Also write a report into DIR: report.html (self-contained), report.md
    /// with its SVG plots, results.json (which `nines report` renders again)
    /// and results.csv.
    #[arg(long, value_name = "DIR", conflicts_with = "shard")]
    pub(crate) report: Option<PathBuf>,
    /// What ranks the points and what the Pareto frontier is drawn
    /// over: measures separated by commas, such as `cost,writes_lost`
    /// (default `cost,availability`). Names: downtime, availability,
    /// incidents, requests, degraded, writes_lost, loss_events, rpo,
    /// writes (write availability), failovers, needless_failovers,
    /// split_brain, cost.
    #[arg(long, value_name = "MEASURES")]
    pub(crate) objective: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// A results.json written by --report, a sweep.json written by `nines
    /// sweep --out`, or the JSON of `nines run --json`.
    #[arg(value_name = "RESULTS")]
    pub(crate) results: PathBuf,
    /// The directory to write report.html, report.md, its plots,
    /// results.json and results.csv into.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// The --out directories of the shards of one sweep, in any order.
    #[arg(value_name = "DIR", num_args = 1.., required = true)]
    pub(crate) dirs: Vec<PathBuf>,
    /// Where to write sweep.json and sweep.csv, as the unsharded sweep would.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// What ranks the merged points and what their Pareto frontier is
    /// drawn over, as for `nines sweep`: measures separated by commas, such as `cost,writes_lost`
    /// (default `cost,availability`). Names: downtime, availability,
    /// incidents, requests, degraded, writes_lost, loss_events, rpo,
    /// writes (write availability), failovers, needless_failovers,
    /// split_brain, cost.
    #[arg(long, value_name = "MEASURES")]
    pub(crate) objective: Option<String>,
    #[command(flatten)]
    pub(crate) output: OutputOptions,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// Two or more scenario files or built-in names.
    #[arg(value_name = "SCENARIO", num_args = 2.., required = true, value_parser = ScenarioName, hide_possible_values = true, value_hint = ValueHint::FilePath)]
    pub(crate) scenarios: Vec<String>,
    /// Set a value in every design before running, such as simulation.horizon="2y". Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub(crate) set: Vec<String>,
    /// Also write a comparison report into DIR: report.html, report.md with
    /// its SVG plots, results.json (both designs' measures, the paired
    /// differences and the verdicts) and results.csv.
    #[arg(long, value_name = "DIR")]
    pub(crate) report: Option<PathBuf>,
    /// Add replications in batches until the 95% interval of every paired
    /// difference of downtime is this narrow: a half-width relative to the
    /// difference (5%) or absolute in minutes per year (2min).
    #[arg(long, value_name = "TARGET", conflicts_with = "replications")]
    pub(crate) precision: Option<String>,
    /// With --precision: the most replications to run [default: 100000].
    #[arg(long, value_name = "N", requires = "precision")]
    pub(crate) max_replications: Option<u64>,
    /// What the overall verdict weighs: measures separated by commas,
    /// such as `cost,writes_lost` (default `downtime,cost`); with two, a
    /// trade-off is priced one against the other. Every measure's paired
    /// difference is reported whatever this says.
    #[arg(long, value_name = "MEASURES")]
    pub(crate) objective: Option<String>,
    #[command(flatten)]
    pub(crate) sim: SimOptions,
    #[command(flatten)]
    pub(crate) output: OutputOptions,
}

#[derive(Debug, Args)]
pub(crate) struct ReplayArgs {
    #[command(flatten)]
    pub(crate) scenario: ScenarioArgs,
    /// The root seed of the run the replication belongs to [default: the scenario's].
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<u64>,
    /// The replication to re-run.
    #[arg(long, value_name = "K")]
    pub(crate) replication: u64,
    /// Simulated length [default: the scenario's].
    #[arg(long, value_name = "DURATION")]
    pub(crate) horizon: Option<String>,
    /// Write every event of the replication to FILE as JSON Lines, each with
    /// the state changes it caused.
    #[arg(long, value_name = "FILE")]
    pub(crate) trace: Option<PathBuf>,
    /// Draw the replication's timeline (services, components, faults) to
    /// FILE as SVG.
    #[arg(long, value_name = "FILE")]
    pub(crate) timeline: Option<PathBuf>,
    /// Print what happened, in order, as sentences: the service, each
    /// service or component, each fault.
    #[arg(long)]
    pub(crate) explain: bool,
    /// Keep only what happened from this time on (such as 118d or 2830h)
    /// in --trace, --timeline and --explain.
    #[arg(long, value_name = "TIME")]
    pub(crate) from: Option<String>,
    /// Keep only what happened up to this time.
    #[arg(long, value_name = "TIME")]
    pub(crate) to: Option<String>,
    /// Random faults this many times as frequent, as `nines hunt --amplify`
    /// ran them (to replay what it found).
    #[arg(long, value_name = "FACTOR")]
    pub(crate) amplify: Option<f64>,
    #[command(flatten)]
    pub(crate) output: OutputOptions,
}

#[derive(Debug, Args)]
pub(crate) struct HuntArgs {
    #[command(flatten)]
    pub(crate) scenario: ScenarioArgs,
    /// Hunt only this invariant (repeatable): no-split-brain,
    /// no-lost-writes, slo, health-check-bound, or the name of one of the
    /// scenario's [[invariant]] tables [default: every one that applies].
    #[arg(long = "invariant", value_name = "NAME")]
    pub(crate) invariants: Vec<String>,
    /// Try at most this many replications (seeds of the run's streams).
    #[arg(long, value_name = "N", conflicts_with = "time")]
    pub(crate) seeds: Option<u64>,
    /// Try replications for at most this long (wall-clock time, such as 30s
    /// or 5m); how many that is depends on the machine.
    #[arg(long, value_name = "DURATION")]
    pub(crate) time: Option<String>,
    /// The root seed the replications belong to [default: the scenario's].
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<u64>,
    /// Simulated length of each replication [default: the scenario's].
    #[arg(long, value_name = "DURATION")]
    pub(crate) horizon: Option<String>,
    /// Worker threads; 0 means one per core. What is found does not depend on it.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub(crate) threads: usize,
    /// Make every random fault FACTOR times as frequent while hunting: rare
    /// coincidences come sooner, but the probabilities change, so what is
    /// found is possible, not typical (the output says so).
    #[arg(long, value_name = "FACTOR")]
    pub(crate) amplify: Option<f64>,
    /// Shrink the violation found to the fewest, shortest, earliest
    /// scheduled faults that still cause it, written to --out as a scenario.
    #[arg(long, requires = "out")]
    pub(crate) shrink: bool,
    /// With --shrink: the scenario file to write.
    #[arg(long, value_name = "FILE.toml", requires = "shrink")]
    pub(crate) out: Option<PathBuf>,
    /// With --shrink: overwrite --out if it exists.
    #[arg(long, requires = "out")]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) output: OutputOptions,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) scenario: ScenarioArgs,
    /// Check a sweep given on the command line, as `nines sweep --sweep` would run it.
    #[arg(long = "sweep", value_name = "PATH=VALUES")]
    pub(crate) sweep: Vec<String>,
    /// Print the summary as JSON to PATH, or to standard output with `-`.
    #[arg(long, value_name = "PATH|-")]
    pub(crate) json: Option<String>,
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

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The file to write; `.toml` is added when the name has no extension.
    #[arg(value_name = "NAME")]
    pub(crate) name: PathBuf,
    /// The built-in scenario to start from (see `nines scenarios list`).
    #[arg(long, value_name = "TEMPLATE", default_value = "web-n-plus-1", value_parser = ScenarioName, hide_possible_values = true)]
    pub(crate) from: String,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ScenariosCommand {
    /// One line per built-in scenario: its name and what it shows.
    List,
    /// Print a built-in scenario's file, with its comments.
    Show {
        /// The built-in scenario's name.
        #[arg(value_name = "NAME", value_parser = ScenarioName, hide_possible_values = true)]
        name: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Write the schema to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub(crate) shell: Shell,
}
