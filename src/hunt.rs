//! `nines hunt`: replications tried in order, in parallel, until one breaks
//! an invariant; then, with `--shrink`, that replication's faults shrunk to
//! a scenario of a few scheduled faults that breaks it every time.
//!
//! What is found does not depend on the thread count: replications run in
//! batches, and the first violating replication in replication order is
//! the one reported.

mod shrink;

use std::time::{Duration, Instant};

use models::invariant::{InvariantSpec, Violation, builtins, check};
use models::replicate::Horizon;
use models::spec::ModelSpec;
use rayon::prelude::*;
use scenarios::Scenario;
use serde::Serialize;
use sim_core::engine::{TraceRecord, TraceSink};
use sim_core::hash::{StableHasher, hex};
use sim_core::time::{SimDuration, SimTime};

use crate::cli::{HuntArgs, SimOptions};
use crate::fail::Failure;
use crate::output::Printed;
use crate::run::apply_overrides;

/// Replications tried when neither `--seeds` nor `--time` is given.
const DEFAULT_SEEDS: u64 = 1000;
/// Events kept before a violation, to show what led to it.
const EVENTS_BEFORE: usize = 12;

/// What `nines hunt --json` writes.
#[derive(Debug, Serialize)]
struct HuntReport {
    found: bool,
    /// The invariant broken, or none.
    invariant: Option<String>,
    /// What happened, in a sentence.
    detail: Option<String>,
    seed: u64,
    /// The replication that broke it.
    replication: Option<u64>,
    /// When, hours since the replication started.
    time_hours: Option<f64>,
    /// The same instant, for the text.
    #[serde(skip)]
    at: Option<SimTime>,
    /// The command that replays it.
    replay: Option<String>,
    /// Replications tried (up to and including the one found).
    seeds_tried: u64,
    /// Replications tried per second of wall-clock time: in the text only,
    /// so the JSON of the same hunt is the same bytes on every run.
    #[serde(skip)]
    seeds_per_second: f64,
    /// The invariants hunted.
    invariants: Vec<String>,
    /// The digest of the scenario as run (its text, seed and horizon).
    scenario_hash: String,
    /// With `--amplify`: how many times as frequent random faults were.
    #[serde(skip_serializing_if = "Option::is_none")]
    amplified: Option<f64>,
    /// The last events up to the violation: time, kind, entity.
    events: Vec<EventLine>,
    /// With `--shrink`: what shrinking made.
    #[serde(skip_serializing_if = "Option::is_none")]
    shrunk: Option<shrink::ShrinkReport>,
}

/// One event of the run, as the trace names it.
#[derive(Clone, Debug, Serialize)]
struct EventLine {
    t: String,
    kind: &'static str,
    entity: String,
}

/// `nines hunt`.
pub(crate) fn hunt(args: HuntArgs) -> Result<(), Failure> {
    let composed = crate::load::load_composed(&args.scenario)?;
    let mut scenario = composed
        .build()
        .map_err(|e| Failure::input(e.to_string()))?;
    apply_overrides(
        &mut scenario,
        &SimOptions::seed_and_horizon(args.seed, args.horizon.as_deref(), args.threads),
    )?;
    if let Some(factor) = args.amplify {
        amplify(&mut scenario, factor)?;
    }
    let invariants = chosen_invariants(&scenario, &args.invariants)?;
    let budget = Budget::from_args(&args)?;
    let sim = scenario.simulation;
    let horizon = Horizon::new(sim.horizon, sim.warmup);
    let source = shrink::source_text(&args.scenario, &composed)?;
    let scenario_hash = {
        let mut h = StableHasher::new();
        h.write_str(&source);
        h.write_u64(sim.seed);
        h.write_u64(sim.horizon.as_micros());
        hex(h.finish())
    };

    let started = Instant::now();
    let found = search(
        &scenario.model,
        &invariants,
        sim.seed,
        horizon,
        &budget,
        args.threads,
    )?;
    let elapsed = started.elapsed().as_secs_f64();
    let (tried, hit) = found;
    let rate = if elapsed > 0.0 {
        tried as f64 / elapsed
    } else {
        0.0
    };

    let mut report = HuntReport {
        found: hit.is_some(),
        invariant: None,
        detail: None,
        seed: sim.seed,
        replication: None,
        time_hours: None,
        at: None,
        replay: None,
        seeds_tried: tried,
        seeds_per_second: rate,
        invariants: invariants.iter().map(|i| i.name().to_string()).collect(),
        scenario_hash,
        amplified: args.amplify,
        events: Vec::new(),
        shrunk: None,
    };
    if let Some((replication, violation)) = &hit {
        report.invariant = Some(violation.invariant.clone());
        report.detail = Some(violation.detail.clone());
        report.replication = Some(*replication);
        report.time_hours = Some(crate::report::hours(violation.time));
        report.at = Some(violation.time);
        report.replay = Some(replay_command(&args, &scenario, *replication, violation));
        report.events = events_before(
            &scenario.model,
            sim.seed,
            *replication,
            horizon,
            violation.time,
        );
        if args.shrink
            && let Some(out) = &args.out
        {
            let broken: Vec<InvariantSpec> = invariants
                .iter()
                .filter(|i| i.name() == violation.invariant)
                .cloned()
                .collect();
            report.shrunk = Some(shrink::shrink(
                &scenario,
                &source,
                &broken,
                *replication,
                horizon,
                out,
                args.force,
            )?);
        }
    }
    let printed = crate::output::emit(&args.output, &report, || text(&report, &scenario))?;
    if let Printed::PipeClosed = printed {
        return Ok(());
    }
    if report.found {
        Ok(())
    } else {
        Err(Failure::check(format!(
            "no invariant broken in {} replications ({})",
            report.seeds_tried,
            report.invariants.join(", ")
        )))
    }
}

/// The human summary.
fn text(r: &HuntReport, scenario: &Scenario) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "scenario      {} ({})\n",
        scenario.name, scenario.origin
    ));
    s.push_str(&format!("invariants    {}\n", r.invariants.join(", ")));
    if let Some(f) = r.amplified {
        s.push_str(&format!(
            "amplified     random faults {f} times as frequent: what is found is possible, not typical; replay and shrink with --amplify {f} too\n"
        ));
    }
    s.push_str(&format!(
        "tried         {} replications of seed {} ({:.0} a second)\n",
        r.seeds_tried, r.seed, r.seeds_per_second
    ));
    match (&r.invariant, r.replication, r.at) {
        (Some(inv), Some(rep), Some(t)) => {
            s.push_str(&format!(
                "found         {inv} broken in replication {rep} at {}\n",
                crate::replay::when(t)
            ));
            if let Some(d) = &r.detail {
                s.push_str(&format!("              {d}\n"));
            }
            if !r.events.is_empty() {
                s.push_str("leading up    (the last events before it)\n");
                for e in &r.events {
                    s.push_str(&format!(
                        "              {}  {:<14} {}\n",
                        e.t, e.kind, e.entity
                    ));
                }
            }
            if let Some(cmd) = &r.replay {
                s.push_str(&format!("replay        {cmd}\n"));
            }
            if let Some(sh) = &r.shrunk {
                s.push_str(&sh.to_text());
            }
        }
        _ => s.push_str("found         nothing\n"),
    }
    s
}

/// The command that replays the violation, with its story around it.
fn replay_command(args: &HuntArgs, scenario: &Scenario, replication: u64, v: &Violation) -> String {
    let t = v.time.as_micros();
    let hour = 3_600_000_000u64;
    let from = SimDuration::from_micros((t / hour).saturating_sub(2) * hour).compact();
    let to = SimDuration::from_micros((t / hour + 2) * hour).compact();
    format!(
        "nines replay {} --seed {} --replication {} --horizon {}{} --explain --from {from} --to {to}",
        crate::load::command_line(&args.scenario),
        scenario.simulation.seed,
        replication,
        scenario.simulation.horizon.compact(),
        args.amplify
            .map_or_else(String::new, |f| format!(" --amplify {f}")),
    )
}

/// When to stop trying.
#[derive(Debug)]
struct Budget {
    seeds: Option<u64>,
    time: Option<Duration>,
}

impl Budget {
    fn from_args(args: &HuntArgs) -> Result<Budget, Failure> {
        let time = args
            .time
            .as_deref()
            .map(|t| {
                let d: SimDuration = t
                    .parse()
                    .map_err(|e| Failure::input(format!("--time {t}: {e}")))?;
                if d.is_zero() {
                    return Err(Failure::input(format!(
                        "--time {t}: expected a positive duration such as 30s"
                    )));
                }
                Ok(Duration::from_micros(d.as_micros()))
            })
            .transpose()?;
        if args.seeds == Some(0) {
            return Err(Failure::input("--seeds 0: expected at least 1".into()));
        }
        Ok(Budget {
            seeds: args.seeds.or(if time.is_some() {
                None
            } else {
                Some(DEFAULT_SEEDS)
            }),
            time,
        })
    }
}

/// Tries replications `0, 1, 2, ...` in batches until one breaks an
/// invariant or the budget runs out: (replications tried, the first
/// violation in replication order).
fn search(
    spec: &ModelSpec,
    invariants: &[InvariantSpec],
    seed: u64,
    horizon: Horizon,
    budget: &Budget,
    threads: usize,
) -> Result<(u64, Option<(u64, Violation)>), Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Failure::internal(format!("cannot start worker threads: {e}")))?;
    let batch = 64 * pool.current_num_threads() as u64;
    let started = Instant::now();
    let mut next = 0u64;
    loop {
        let end = match budget.seeds {
            Some(n) => (next + batch).min(n),
            None => next + batch,
        };
        if end <= next {
            return Ok((next, None));
        }
        let found: Vec<Option<Violation>> = pool.install(|| {
            (next..end)
                .into_par_iter()
                .map(|r| check(spec, invariants, seed, r, horizon, true).violation)
                .collect()
        });
        if let Some((i, v)) = found
            .into_iter()
            .enumerate()
            .find_map(|(i, v)| v.map(|v| (i, v)))
        {
            let replication = next + i as u64;
            return Ok((replication + 1, Some((replication, v))));
        }
        next = end;
        if crate::interrupt::stop_flag().load(std::sync::atomic::Ordering::Relaxed) {
            return Ok((next, None));
        }
        if budget.time.is_some_and(|t| started.elapsed() >= t) {
            return Ok((next, None));
        }
    }
}

/// The invariants to hunt: those named, else every built-in that applies
/// and every one the scenario defines.
fn chosen_invariants(scenario: &Scenario, names: &[String]) -> Result<Vec<InvariantSpec>, Failure> {
    let slo = scenario.slo.map(|s| (s, scenario.slo_window));
    let mut all = builtins(&scenario.model, slo);
    all.extend(scenario.invariants.iter().cloned());
    if names.is_empty() {
        if all.is_empty() {
            return Err(Failure::input(format!(
                "{}: no invariant applies (no failover, no data, no health checks, no slo, no [[invariant]]); add one, such as [[invariant]] name = \"no long outage\" outage_max = \"30min\"",
                scenario.origin
            )));
        }
        return Ok(all);
    }
    let known: Vec<&str> = all.iter().map(|i| i.name()).collect();
    let mut chosen = Vec::new();
    for n in names {
        match all.iter().find(|i| i.name() == n) {
            Some(i) => chosen.push(i.clone()),
            None => {
                let hint = scenarios::suggest(n, known.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                return Err(Failure::input(format!(
                    "--invariant {n}: not one that applies to {} ({hint}it has: {})",
                    scenario.name,
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            }
        }
    }
    Ok(chosen)
}

/// Makes every random fault `factor` times as frequent: the time between
/// occurrences scaled by `1 / factor`.
pub(crate) fn amplify(scenario: &mut Scenario, factor: f64) -> Result<(), Failure> {
    if !(factor.is_finite() && factor >= 1.0) {
        return Err(Failure::input(format!(
            "--amplify {factor}: expected a factor of 1 or more"
        )));
    }
    let ModelSpec::System(spec) = &mut scenario.model else {
        return Err(Failure::input(
            "--amplify works on infrastructure scenarios (their [[fault]] tables)".into(),
        ));
    };
    for f in &mut spec.faults {
        if let models::system::spec::Occurrence::Random { every } = &mut f.occurrence {
            *every = every.scaled(1.0 / factor).map_err(|e| {
                Failure::input(format!("--amplify {factor}: fault {}: {e}", f.name))
            })?;
        }
    }
    Ok(())
}

/// Keeps the last [`EVENTS_BEFORE`] events at or before a time.
struct LastEvents {
    until: SimTime,
    lines: std::collections::VecDeque<EventLine>,
}

impl TraceSink for LastEvents {
    fn record(&mut self, record: TraceRecord, entity_name: &str) {
        if record.time > self.until {
            return;
        }
        if self.lines.len() == EVENTS_BEFORE {
            self.lines.pop_front();
        }
        self.lines.push_back(EventLine {
            t: crate::replay::when(record.time),
            kind: record.kind,
            entity: entity_name.to_string(),
        });
    }
}

/// The events that led to a violation at `until`.
fn events_before(
    spec: &ModelSpec,
    seed: u64,
    replication: u64,
    horizon: Horizon,
    until: SimTime,
) -> Vec<EventLine> {
    let mut sink = LastEvents {
        until,
        lines: std::collections::VecDeque::new(),
    };
    models::replicate::simulate(spec, seed, replication, horizon, Some(&mut sink));
    sink.lines.into()
}
