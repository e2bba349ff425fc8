//! Infrastructure-system throughput: replications (and events) per second
//! of wall-clock time on one core.
//!
//! Each variant is a built-in scenario, parsed as the command line parses
//! it and run replication by replication on one thread with
//! `models::replicate::simulate`, under the scenario's own seed, horizon
//! and warm-up (the same replications as `nines run NAME -j 1`):
//!
//! - `multi-az`: web and database over three zones; most of the work is
//!   the evaluation of which services are up after each event, and the
//!   attribution of downtime (one evaluation per active fault).
//! - `db-active-passive` and `lb-health-checks`: the same with failover
//!   and health-check machinery, which evaluate again between events.
//! - `cluster-2of3`, the reference: a k-of-n block, whose events cost
//!   little beyond the engine's own work. The ratio of each system's
//!   events per second to the reference's is the price of an
//!   infrastructure event relative to a bare one.
//!
//! Every variant prints its combined trace hash (the `trace_hash` of
//! `nines run NAME --json -`), so a fast but different run shows.
//!
//! Each figure is the median of several runs, taken in alternation so that
//! machine noise hits all variants alike.
//!
//! Run: `cargo bench -p scenarios --bench system`. Environment:
//! `NINES_BENCH_RUNS` (default 5) and `NINES_BENCH_REPLICATIONS` (default
//! 200) change the number of runs and the replications per run;
//! `NINES_BENCH_ONLY=multi-az` (ids: the scenario names above) runs only
//! the variants named, for `valgrind --tool=callgrind`.

use std::time::Instant;

use models::replicate::{Horizon, simulate};
use scenarios::Scenario;
use sim_core::runner::combine_trace_hashes;

/// The scenarios measured; the last is the reference.
const VARIANTS: &[&str] = &[
    "multi-az",
    "db-active-passive",
    "lb-health-checks",
    "cluster-2of3",
];
const REFERENCE: &str = "cluster-2of3";

/// What one run produced.
#[derive(Clone, Copy, Debug, Default)]
struct Outcome {
    replications: u64,
    events: u64,
    trace_hash: u64,
    mean_downtime_h: f64,
}

/// Replications `0..replications` of `scenario`, one after another.
fn run(scenario: &Scenario, replications: u64) -> Outcome {
    let sim = &scenario.simulation;
    let horizon = Horizon::new(sim.horizon, sim.warmup);
    let mut events = 0;
    let mut hashes = Vec::with_capacity(replications as usize);
    let mut downtime_h = 0.0;
    for r in 0..replications {
        let out = simulate(&scenario.model, sim.seed, r, horizon, None);
        events += out.events;
        hashes.push(out.trace_hash);
        downtime_h += out.measures.downtime_hours();
    }
    Outcome {
        replications,
        events,
        trace_hash: combine_trace_hashes(hashes),
        mean_downtime_h: downtime_h / replications.max(1) as f64,
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

fn env_or(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo test --benches` runs this without `--bench`: a tiny run then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runs = if quick {
        1
    } else {
        env_or("NINES_BENCH_RUNS", 5.0) as usize
    };
    let replications = if quick {
        5
    } else {
        env_or("NINES_BENCH_REPLICATIONS", 200.0) as u64
    };
    let only = std::env::var("NINES_BENCH_ONLY").ok();
    let variants: Vec<(&str, Scenario)> = VARIANTS
        .iter()
        .filter(|&&id| {
            only.as_deref()
                .is_none_or(|o| o.split(',').any(|x| x == id))
        })
        .map(|&id| {
            let builtin = scenarios::library::find(id).expect("a built-in scenario");
            let scenario = scenarios::parse(builtin.source, &format!("builtin:{id}"))
                .expect("a valid built-in");
            (id, scenario)
        })
        .collect();
    let n = variants.len();
    let mut replication_rates = vec![Vec::new(); n];
    let mut event_rates = vec![Vec::new(); n];
    let mut outcomes = vec![Outcome::default(); n];
    for round in 0..runs {
        for k in 0..n {
            let i = (round + k) % n;
            let start = Instant::now();
            let out = run(&variants[i].1, replications);
            let secs = start.elapsed().as_secs_f64();
            replication_rates[i].push(out.replications as f64 / secs);
            event_rates[i].push(out.events as f64 / secs);
            outcomes[i] = out;
        }
    }
    println!(
        "infrastructure systems: {replications} replications per run, {runs} runs each, median of runs, one core"
    );
    let event_medians: Vec<f64> = event_rates.iter().map(|r| median(r.clone())).collect();
    let reference = variants.iter().position(|(id, _)| *id == REFERENCE);
    for (i, (id, _)) in variants.iter().enumerate() {
        let ratio = match reference {
            Some(r) if r != i => format!(
                ", {:.1}% of the reference's events/s",
                100.0 * event_medians[i] / event_medians[r]
            ),
            _ => String::new(),
        };
        println!(
            "{:>18}: {:>8.1} replications/s, {:>6.3} M events/s, {} events, mean downtime {:.4} h, trace hash {:016x}{ratio}",
            id,
            median(replication_rates[i].clone()),
            event_medians[i] / 1e6,
            outcomes[i].events,
            outcomes[i].mean_downtime_h,
            outcomes[i].trace_hash,
        );
    }
}
