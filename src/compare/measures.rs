//! Each replication's value of every measure a comparison pairs: the same
//! measures, by the same keys, as the run's results report
//! ([`reports::measures::MEASURES`]).

use models::replicate::ReplicationResult;
use reports::RunReport;
use reports::measures::Measure;
use sim_core::time::HOURS_PER_YEAR;

/// Replication `r`'s value of `m`, for the measures other than downtime
/// and cost (which the comparison takes from the summary and the cost
/// model); `None` when the replication has no such value.
pub(crate) fn replication_value(m: &Measure, r: &ReplicationResult) -> Option<f64> {
    let observed = r.measures.observed_hours();
    let per_year = |hours: f64| {
        if observed > 0.0 {
            hours * 60.0 * HOURS_PER_YEAR / observed
        } else {
            0.0
        }
    };
    let count_per_year = |n: u64| {
        if observed > 0.0 {
            n as f64 * HOURS_PER_YEAR / observed
        } else {
            0.0
        }
    };
    if let Some(q) = &r.requests {
        return match m.key {
            "request_availability" => Some(q.availability()),
            _ => None,
        };
    }
    let sys = r.system.as_ref();
    Some(match m.key {
        "incidents_per_year" => r.measures.incidents_per_year(),
        "request_availability" => {
            let s = sys?;
            if observed > 0.0 {
                (s.served_hours / observed).min(1.0)
            } else {
                1.0
            }
        }
        "degraded_minutes_per_year" => per_year(sys?.degraded_hours),
        "writes_lost_per_year" => count_per_year(sys?.lost_writes),
        "loss_events_per_year" => count_per_year(sys?.loss_events),
        "worst_rpo_hours" => sys?.worst_rpo_hours,
        "write_availability" => {
            let s = sys?;
            s.quorum
                .iter()
                .flatten()
                .map(|(_, w)| w.availability())
                .chain(
                    s.writes
                        .iter()
                        .flatten()
                        .map(|w| w.availability.availability()),
                )
                .reduce(f64::min)?
        }
        "write_latency_ms" => sys?
            .writes
            .iter()
            .flatten()
            .map(|w| w.mean_latency_ms())
            .reduce(|a, b| Some(a?.max(b?)))??,
        "writes_refused_per_year" => sys?
            .writes
            .iter()
            .flatten()
            .map(|w| w.refused * HOURS_PER_YEAR / observed.max(f64::MIN_POSITIVE))
            .reduce(|a, b| a + b)?,
        "failovers_per_year" => count_per_year(sys?.failovers),
        "needless_failovers_per_year" => count_per_year(sys?.needless_failovers),
        "split_brain_minutes_per_year" => per_year(sys?.split_brain_hours),
        _ => return None,
    })
}

/// Every design's per-replication series of each measure of
/// [`reports::measures::MEASURES`] (indexed design, then measure), from
/// results held replication by replication; `None` where a replication
/// has no value (and for downtime and cost, which come from elsewhere).
pub(crate) fn all_series(
    results: &[Vec<ReplicationResult>],
    designs: usize,
) -> Vec<Vec<Option<Vec<f64>>>> {
    (0..designs)
        .map(|d| {
            reports::measures::MEASURES
                .iter()
                .map(|m| {
                    results
                        .iter()
                        .map(|one| replication_value(m, &one[d]))
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Whether a design's results report measure `m` at all (writes lost
/// only for designs with stateful services, say).
pub(crate) fn has(report: &RunReport, m: &Measure) -> bool {
    reports::measures::point_value(report, m).is_some()
}

/// Every design's per-replication amount of each cost component (indexed
/// design, then component in the order of
/// [`reports::measures::COST_COMPONENTS`]); empty series for designs
/// without a system.
pub(crate) fn cost_series(
    results: &[Vec<ReplicationResult>],
    designs: usize,
) -> Vec<Vec<Vec<f64>>> {
    (0..designs)
        .map(|d| {
            reports::measures::COST_COMPONENTS
                .iter()
                .map(|m| {
                    results
                        .iter()
                        .filter_map(|one| {
                            let cost = &one[d].system.as_ref()?.cost;
                            cost.iter().find(|(c, _)| c.name() == m.key).map(|(_, x)| x)
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}
