//! `nines replay`: one replication re-run alone, bit for bit, optionally
//! with its event trace. Its trace hash equals the one `nines run --json`
//! lists for that replication under the same seed and horizon.

use std::io::BufWriter;

use models::replicate::{Horizon, ReplicationResult, simulate};
use reports::ReplayReport;
use sim_core::hash::hex;
use sim_core::trace::JsonLinesTrace;

use crate::cli::{ReplayArgs, SimOptions};
use crate::fail::Failure;
use crate::run::{apply_overrides, replication_availability};

/// `nines replay`.
pub(crate) fn replay(args: ReplayArgs) -> Result<(), Failure> {
    let mut scenario = crate::load::load(&args.scenario)?;
    apply_overrides(
        &mut scenario,
        &SimOptions {
            seed: args.seed,
            replications: None,
            horizon: args.horizon.clone(),
            threads: 1,
        },
    )?;
    let sim = scenario.simulation;
    let horizon = Horizon::new(sim.horizon, sim.warmup);
    let result = match &args.trace {
        None => simulate(&scenario.model, sim.seed, args.replication, horizon, None),
        Some(path) => {
            crate::output::check_trace_horizon(sim.horizon)?;
            let file = std::fs::File::create(path).map_err(|e| {
                Failure::input(format!("{}: cannot create the trace: {e}", path.display()))
            })?;
            let mut sink = JsonLinesTrace::new(BufWriter::new(file));
            let result = simulate(
                &scenario.model,
                sim.seed,
                args.replication,
                horizon,
                Some(&mut sink),
            );
            sink.finish().map_err(|e| {
                Failure::input(format!("{}: cannot write the trace: {e}", path.display()))
            })?;
            result
        }
    };
    let report = ReplayReport {
        scenario: scenario.name.clone(),
        origin: scenario.origin.clone(),
        seed: sim.seed,
        replication: args.replication,
        horizon_hours: sim.horizon.as_hours_f64(),
        warmup_hours: sim.warmup.as_hours_f64(),
        events: result.events,
        trace_hash: hex(result.trace_hash),
        availability: replication_availability(&result),
        downtime_minutes: downtime_minutes(&result),
        incidents: result.measures.incidents(),
        trace: args.trace.as_ref().map(|p| p.display().to_string()),
    };

    crate::output::emit(&args.output, &report, || {
        let mut text = report.to_text();
        text.push_str(&format!(
            "reproduce     nines replay {} --seed {} --replication {} --horizon {}\n",
            crate::load::command_line(&args.scenario),
            sim.seed,
            args.replication,
            sim.horizon
        ));
        text
    })?;
    Ok(())
}

/// Downtime over the measured span, minutes: time down, or for a
/// request-level run the unserved share of that span.
fn downtime_minutes(result: &ReplicationResult) -> f64 {
    match &result.requests {
        Some(q) => (1.0 - q.availability()) * result.measures.observed_hours() * 60.0,
        None => result.measures.downtime_hours() * 60.0,
    }
}
