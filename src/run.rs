//! `nines run`: simulate a scenario's replications and report.
//!
//! `precision` adds replications in batches until a target is met
//! (`--precision`); `batch_means` runs one long replication instead
//! (`--method batch-means`).

mod batch_means;
pub(crate) mod precision;
mod rare_event;

use std::io::BufWriter;

use models::budget::{EVENT_BUDGET, estimate_events};
use models::replicate::{Horizon, ReplicationResult, simulate};
use models::summary::Summary;
use reports::RunReport;
use scenarios::Scenario;
use sim_core::runner::{fold_replications_with, run_replications_with};
use sim_core::time::SimDuration;
use sim_core::trace::JsonLinesTrace;

use crate::cli::{Method, RunArgs, SimOptions};
use crate::fail::Failure;
use crate::output::Printed;
use crate::progress::Progress;
use crate::summarize::run_report;

/// The most replications one run may ask for.
pub(crate) const MAX_REPLICATIONS: u64 = 10_000_000;

/// Applies the command line's `--seed`, `--replications` and `--horizon` to
/// the scenario's own settings.
pub(crate) fn apply_overrides(scenario: &mut Scenario, opts: &SimOptions) -> Result<(), Failure> {
    let sim = &mut scenario.simulation;
    if let Some(seed) = opts.seed {
        sim.seed = seed;
    }
    if let Some(r) = opts.replications {
        if !(2..=MAX_REPLICATIONS).contains(&r) {
            return Err(Failure::input(format!(
                "--replications {r}: expected from 2 to {MAX_REPLICATIONS} (an interval needs at least two)"
            )));
        }
        sim.replications = r;
    }
    if let Some(h) = &opts.horizon {
        let d: SimDuration = h
            .parse()
            .map_err(|e| Failure::input(format!("--horizon {h}: {e}")))?;
        if d.is_zero() {
            return Err(Failure::input(format!(
                "--horizon {h}: expected a positive duration"
            )));
        }
        if sim.warmup >= d {
            return Err(Failure::input(format!(
                "--horizon {h}: the scenario's warm-up ({}) must be shorter than the horizon",
                sim.warmup
            )));
        }
        sim.horizon = d;
    }
    check_event_budget(scenario)
}

/// Refuses, before anything runs, a scenario whose replications are
/// expected to process more events than the budget
/// ([`models::budget::EVENT_BUDGET`]): failures and repairs so frequent for
/// the horizon that the run would not finish.
pub(crate) fn check_event_budget(scenario: &Scenario) -> Result<(), Failure> {
    check_event_budget_over(scenario, scenario.simulation.horizon)
}

/// Like [`check_event_budget`], for one replication of `horizon` (the long
/// run of batch means).
pub(crate) fn check_event_budget_over(
    scenario: &Scenario,
    horizon: SimDuration,
) -> Result<(), Failure> {
    let Some(e) = estimate_events(&scenario.model, horizon) else {
        return Ok(());
    };
    if e.events <= EVENT_BUDGET as f64 {
        return Ok(());
    }
    if !e.events.is_finite() {
        return Err(Failure::input(format!(
            "{}: `{}` fails and is repaired in no time at all, so the simulated clock never moves and the run would never end; give its failure or repair a positive duration",
            scenario.name, e.busiest
        )));
    }
    let cycle = SimDuration::from_hours_f64(e.cycle_h);
    let fits = SimDuration::from_hours_f64(horizon.as_hours_f64() * EVENT_BUDGET as f64 / e.events);
    Err(Failure::input(format!(
        "{}: about {:.1e} events per replication over {horizon}, more than the budget of {:.0e}: `{}` fails and is repaired every {cycle} on average; use a horizon of at most {fits} (--horizon) or longer times to failure and repair",
        scenario.name, e.events, EVENT_BUDGET as f64, e.busiest
    )))
}

/// The failure of a run whose `replication` stopped at the engine's event
/// budget (a backstop for what [`check_event_budget`] cannot foresee).
pub(crate) fn over_budget(replication: u64) -> Failure {
    Failure::input(format!(
        "replication {replication} reached the budget of {:.0e} events before the horizon: its events are too dense to finish; use a shorter horizon (--horizon)",
        EVENT_BUDGET as f64
    ))
}

/// Runs every replication of `scenario` on `threads` threads, folding
/// each into the summary as it finishes (in replication order).
pub(crate) fn simulate_all(scenario: &Scenario, threads: usize) -> Result<Summary, Failure> {
    let stop = std::sync::atomic::AtomicBool::new(false);
    fold_summary(scenario, threads, &stop, |_, _| {}).map(|(summary, _)| summary)
}

/// How many replications are run, and their results held, at once before
/// they are folded into the summary: the memory of a run does not grow with
/// its replications beyond this many results.
const FOLD_CHUNK: u64 = 4096;

/// Runs the replications of `scenario`, folding each into a [`Summary`] in
/// replication order and keeping none; `observer` sees each as it finishes.
/// Returns the summary (of the finished prefix, if `stop` was set) and how
/// many replications it holds.
fn fold_summary<O>(
    scenario: &Scenario,
    threads: usize,
    stop: &std::sync::atomic::AtomicBool,
    observer: O,
) -> Result<(Summary, u64), Failure>
where
    O: Fn(u64, &ReplicationResult) + Sync + Send,
{
    let sim = scenario.simulation;
    let horizon = Horizon::new(sim.horizon, sim.warmup);
    let mut summary = Summary::new();
    let mut over = None;
    let finished = fold_replications_with(
        sim.replications,
        threads,
        FOLD_CHUNK,
        stop,
        |r| simulate(&scenario.model, sim.seed, r, horizon, None),
        observer,
        |result| {
            if over.is_none() && result.events >= EVENT_BUDGET {
                over = Some(result.replication);
            }
            summary.push(&result);
        },
    )
    .map_err(|e| Failure::internal(e.to_string()))?;
    if let Some(r) = over {
        return Err(over_budget(r));
    }
    summary.finish();
    Ok((summary, finished))
}

/// The availability one replication measured: the fraction of time up, or
/// for a request-level run the share of requests served (as
/// [`Summary::from_results`] counts it).
pub(crate) fn replication_availability(result: &ReplicationResult) -> f64 {
    match &result.requests {
        Some(q) => q.availability(),
        None => result.measures.availability(),
    }
}

/// Runs `run(r)` for replications `0..replications` on `threads` threads
/// with a progress bar (unless `quiet`; `labels` names the availability
/// series `availabilities` reads from each result, none for a single run)
/// and Ctrl-C handling: after a first Ctrl-C no new replication starts, and
/// the result is the prefix of replications that finished, shorter than
/// `replications`.
pub(crate) fn run_interruptible<T, F, A>(
    replications: u64,
    threads: usize,
    labels: Vec<String>,
    quiet: bool,
    run: F,
    availabilities: A,
) -> Result<Vec<T>, Failure>
where
    T: Send,
    F: Fn(u64) -> T + Sync + Send,
    A: Fn(&T) -> Vec<f64> + Sync + Send,
{
    let stop = crate::interrupt::stop_flag();
    let progress = Progress::new(replications, labels, quiet);
    let results = run_replications_with(replications, threads, stop, run, |_, result| {
        if progress.is_drawn() {
            progress.observe(&availabilities(result));
        }
    })
    .map_err(|e| Failure::internal(e.to_string()));
    progress.finish();
    results
}

/// What an interrupted run says: how many replications of how many
/// finished, and that the figures equal a run of that many.
pub(crate) fn interrupted_note(finished: u64, asked: u64) -> String {
    format!(
        "interrupted: {finished} of {asked} replications finished; the results rest on replications 0 to {}, exactly as with --replications {finished}",
        finished.saturating_sub(1)
    )
}

/// The failure of a run interrupted before it had two replications, the
/// fewest an interval needs.
pub(crate) fn interrupted_too_early(finished: u64, asked: u64) -> Failure {
    Failure::interrupted(format!(
        "interrupted: {finished} of {asked} replications finished, too few for an interval (at least 2 are needed)"
    ))
}

/// `nines run`.
pub(crate) fn run(args: RunArgs) -> Result<(), Failure> {
    if args.rare_event != crate::cli::RareEvent::Off {
        if args.method == Method::BatchMeans {
            return Err(Failure::input(
                "--rare-event estimates from regenerative cycles; it does not combine with --method batch-means".into(),
            ));
        }
        if rare_event::run(&args)? {
            return Ok(());
        }
    }
    if args.method == Method::BatchMeans {
        if args.report.is_some() {
            return Err(Failure::input(
                "--report needs --method replications: batch means have no replication-years to show"
                    .into(),
            ));
        }
        return batch_means::run(args);
    }
    if args.precision.is_some() {
        return precision::run(args);
    }
    let mut scenario = crate::load::load(&args.scenario)?;
    apply_overrides(&mut scenario, &args.sim)?;
    if args.trace.is_some() {
        crate::output::check_trace_horizon(scenario.simulation.horizon)?;
    }
    if args.trace_replication >= scenario.simulation.replications {
        return Err(Failure::input(format!(
            "--trace-replication {}: the run has replications 0 to {}",
            args.trace_replication,
            scenario.simulation.replications - 1
        )));
    }
    let asked = scenario.simulation.replications;
    let stop = crate::interrupt::stop_flag();
    let progress = Progress::new(asked, Vec::new(), args.output.quiet);
    let folded = fold_summary(&scenario, args.sim.threads, stop, |_, result| {
        if progress.is_drawn() {
            progress.observe(&[replication_availability(result)]);
        }
    });
    progress.finish();
    let (summary, finished) = folded?;
    let interrupted = finished < asked;
    if interrupted && finished < 2 {
        return Err(interrupted_too_early(finished, asked));
    }
    // An interrupted run reports exactly what a run of the finished
    // replications would.
    scenario.simulation.replications = finished;
    let report = run_report(&scenario, scenario.simulation.seed, &summary)?;

    if let Some(path) = &args.trace {
        if interrupted {
            crate::progress::notice(&format!(
                "{}: not written, the run was interrupted",
                path.display()
            ));
        } else {
            write_trace(&scenario, args.trace_replication, path, &summary)?;
        }
    }
    if let Some(dir) = &args.report {
        write_report(dir, &args, &scenario, &report, interrupted)?;
    }
    let note = interrupted.then(|| interrupted_note(finished, asked));
    if let Printed::PipeClosed = emit(&args, &scenario, &report, note.as_deref())? {
        return Ok(());
    }
    if interrupted {
        return Err(Failure::interrupted(format!(
            "interrupted: {finished} of {asked} replications finished"
        )));
    }
    Ok(())
}

/// The command that reproduces a run of `scenario` as `args` asked for it.
pub(crate) fn reproduce_command(args: &RunArgs, scenario: &Scenario) -> String {
    format!(
        "nines run {} --seed {} --replications {} --horizon {}",
        crate::load::command_line(&args.scenario),
        scenario.simulation.seed,
        scenario.simulation.replications,
        scenario.simulation.horizon
    )
}

/// Writes the `--report` directory of a run (not of an interrupted one,
/// whose figures are a prefix; a notice says so).
pub(crate) fn write_report(
    dir: &std::path::Path,
    args: &RunArgs,
    scenario: &Scenario,
    report: &RunReport,
    interrupted: bool,
) -> Result<(), Failure> {
    if interrupted {
        crate::progress::notice(&format!(
            "{}: no report written, the run was interrupted",
            dir.display()
        ));
        return Ok(());
    }
    let results =
        crate::report::run_results(scenario, report.clone(), reproduce_command(args, scenario));
    crate::report::write(dir, &results)
}

/// Writes the report of a run of `scenario`: as JSON where `--json` says,
/// and as text (after `note`, if any, and followed by the command that
/// reproduces it) unless `--quiet` or the JSON goes to standard output.
pub(crate) fn emit(
    args: &RunArgs,
    scenario: &Scenario,
    report: &RunReport,
    note: Option<&str>,
) -> Result<Printed, Failure> {
    crate::output::emit(&args.output, report, || {
        let mut text = String::new();
        if let Some(note) = note {
            text.push_str(note);
            text.push('\n');
        }
        text.push_str(&report.to_text());
        text.push_str(&format!(
            "reproduce     {}\n",
            reproduce_command(args, scenario)
        ));
        if let Some(dir) = &args.report {
            text.push_str(&crate::report::written(dir));
        }
        text
    })
}

/// Re-runs one replication alone with a trace writer, and checks that it
/// reproduces the digest it had inside the parallel run.
pub(crate) fn write_trace(
    scenario: &Scenario,
    replication: u64,
    path: &std::path::Path,
    summary: &Summary,
) -> Result<(), Failure> {
    let file = crate::output::OutputFile::create(path)?;
    let mut sink = JsonLinesTrace::new(BufWriter::new(file));
    let sim = scenario.simulation;
    let one = simulate(
        &scenario.model,
        sim.seed,
        replication,
        Horizon::new(sim.horizon, sim.warmup),
        Some(&mut sink),
    );
    let written = sink
        .finish()
        .and_then(|w| w.into_inner().map_err(|e| e.into_error()));
    written
        .map_err(|e| {
            Failure::environment(format!("{}: cannot write the trace: {e}", path.display()))
        })?
        .commit()?;
    let expected = summary.replication_hashes[replication as usize];
    if one.trace_hash != expected {
        return Err(Failure::internal(format!(
            "determinism violated: replication {replication} replayed to digest {:016x}, but ran as {expected:016x}",
            one.trace_hash
        )));
    }
    Ok(())
}
