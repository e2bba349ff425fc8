//! From the models' summary to the report data the user sees.

use models::summary::Summary;
use reports::{Availability, Interval, RunReport, Spread};
use scenarios::Scenario;
use sim_core::hash::hex;
use sim_core::stats::{CONFIDENCE_95, CONFIDENCE_99, Estimate};

use crate::fail::Failure;

fn estimate(w: &sim_core::stats::Welford, confidence: f64) -> Result<Estimate, Failure> {
    Summary::estimate(w, confidence)
        .ok_or_else(|| Failure::input("at least 2 replications are needed for an interval".into()))
}

fn interval(e: Estimate) -> Interval {
    Interval {
        mean: e.mean,
        ci95_low: e.ci_low,
        ci95_high: e.ci_high,
    }
}

/// Builds the report of a run of `scenario` under `seed`.
pub(crate) fn run_report(
    scenario: &Scenario,
    seed: u64,
    s: &Summary,
) -> Result<RunReport, Failure> {
    let a95 = estimate(&s.availability, CONFIDENCE_95)?;
    let a99 = estimate(&s.availability, CONFIDENCE_99)?;
    let d95 = estimate(&s.downtime_minutes_per_year, CONFIDENCE_95)?;
    let i95 = estimate(&s.incidents_per_year, CONFIDENCE_95)?;
    let zero = s.zero_downtime();
    let clamp = |x: f64| x.clamp(0.0, 1.0);
    let (availability, downtime, incidents) = if zero {
        // Nothing observed: one-sided bounds, never a certainty.
        let typical = scenario.model.longest_mean_repair_hours();
        let d_hi = s.downtime_upper_bound(CONFIDENCE_95, typical);
        let d_hi99 = s.downtime_upper_bound(CONFIDENCE_99, typical);
        let u_hi = d_hi / (60.0 * sim_core::time::HOURS_PER_YEAR);
        let u_hi99 = d_hi99 / (60.0 * sim_core::time::HOURS_PER_YEAR);
        (
            Availability {
                mean: 1.0,
                ci95_low: clamp(1.0 - u_hi),
                ci95_high: 1.0,
                ci99_low: clamp(1.0 - u_hi99),
                ci99_high: 1.0,
                nines: -(u_hi.max(f64::MIN_POSITIVE)).log10(),
                zero_downtime_observed: true,
            },
            Interval {
                mean: 0.0,
                ci95_low: 0.0,
                ci95_high: d_hi,
            },
            Interval {
                mean: 0.0,
                ci95_low: 0.0,
                ci95_high: s.incident_rate_upper_bound(CONFIDENCE_95),
            },
        )
    } else {
        let ci = |e: Estimate| (clamp(e.ci_low), clamp(e.ci_high));
        let (l95, h95) = ci(a95);
        let (l99, h99) = ci(a99);
        (
            Availability {
                mean: a95.mean,
                ci95_low: l95,
                ci95_high: h95,
                ci99_low: l99,
                ci99_high: h99,
                nines: -(1.0 - a95.mean).log10(),
                zero_downtime_observed: false,
            },
            Interval {
                ci95_low: d95.ci_low.max(0.0),
                ..interval(d95)
            },
            Interval {
                ci95_low: i95.ci_low.max(0.0),
                ..interval(i95)
            },
        )
    };
    Ok(RunReport {
        scenario: scenario.name.clone(),
        origin: scenario.origin.clone(),
        seed,
        replications: s.replications,
        horizon_hours: scenario.simulation.horizon.as_hours_f64(),
        warmup_hours: scenario.simulation.warmup.as_hours_f64(),
        availability,
        downtime_minutes_per_year: downtime,
        incidents_per_year: incidents,
        mean_outage_hours: s.mean_outage_hours(),
        assumed_outage_hours: zero.then(|| scenario.model.longest_mean_repair_hours()),
        downtime_minutes_per_year_spread: Spread {
            p50: s.downtime_quantile(0.5),
            p90: s.downtime_quantile(0.9),
            p95: s.downtime_quantile(0.95),
            p99: s.downtime_quantile(0.99),
            max: s.downtime_quantile(1.0),
        },
        longest_outage_hours: s.longest_outage_hours,
        events: s.events,
        trace_hash: hex(s.trace_hash),
        replication_hashes: s.replication_hashes.iter().map(|&h| hex(h)).collect(),
    })
}
