//! From the models' summary to the report data the user sees.

use models::measure::OUTAGE_BIN_EDGES_MIN;
use models::spec::ModelSpec;
use models::summary::Summary;
use models::summary::SystemSummary;
use models::summary::intervals::{
    availability_from_downtime, event_count_interval, outage_total_interval,
};
use models::system::spec::SystemSpec;
use reports::{
    Attribution, Availability, ComponentShare, Cost, CostLine, DataLoss, ErrorShare, Interval,
    Latency, OutageBin, RequestsReport, RunReport, ServiceLine, Spread,
};
use scenarios::Scenario;
use sim_core::hash::hex;
use sim_core::stats::{
    CONFIDENCE_95, CONFIDENCE_99, Estimate, poisson_rate_upper_bound, zero_event_upper_bound,
};
use sim_core::time::{SimDuration, SimTime};

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
    // Time-based figures take the intervals of models::summary::intervals
    // (the union of an outage view and a replication view, calibrated by
    // the harness: see README, Calibration); request-level figures, and
    // runs where those have none, Student-t over replications.
    let time_based = s.requests.is_none();
    let pick = |by_outages: Option<Estimate>, w, c| match by_outages {
        Some(e) if time_based => Ok(e),
        _ => estimate(w, c),
    };
    let a95 = pick(
        s.availability_interval(CONFIDENCE_95),
        &s.availability,
        CONFIDENCE_95,
    )?;
    let a99 = pick(
        s.availability_interval(CONFIDENCE_99),
        &s.availability,
        CONFIDENCE_99,
    )?;
    let d95 = pick(
        s.downtime_interval(CONFIDENCE_95),
        &s.downtime_minutes_per_year,
        CONFIDENCE_95,
    )?;
    let i95 = pick(
        s.incidents_interval(CONFIDENCE_95),
        &s.incidents_per_year,
        CONFIDENCE_95,
    )?;
    let zero = s.zero_downtime();
    let clamp = |x: f64| x.clamp(0.0, 1.0);
    let (availability, downtime, incidents) = if zero {
        // Nothing observed: one-sided bounds, never a certainty.
        let minutes_per_year = 60.0 * sim_core::time::HOURS_PER_YEAR;
        let (d_hi, d_hi99) = match &s.requests {
            // Every request served: bound the failure probability per
            // request by the exact zero-event bound over all requests.
            // A bound on a probability is at most 1.
            Some(rs) => (
                zero_event_upper_bound(rs.arrived as f64, CONFIDENCE_95).min(1.0)
                    * minutes_per_year,
                zero_event_upper_bound(rs.arrived as f64, CONFIDENCE_99).min(1.0)
                    * minutes_per_year,
            ),
            // Outages seen, every one instantaneous (a repair that takes
            // no time): each lasted less than the clock's step.
            None if s.incidents > 0 => {
                let years = s.observed_hours / sim_core::time::HOURS_PER_YEAR;
                let step_minutes = SimDuration::from_micros(1).as_hours_f64() * 60.0;
                let bound = |c| poisson_rate_upper_bound(s.incidents, years, c) * step_minutes;
                (bound(CONFIDENCE_95), bound(CONFIDENCE_99))
            }
            None => {
                let typical = scenario.model.longest_mean_repair_hours();
                (
                    s.downtime_upper_bound(CONFIDENCE_95, typical),
                    s.downtime_upper_bound(CONFIDENCE_99, typical),
                )
            }
        };
        let u_hi = (d_hi / minutes_per_year).min(1.0);
        let u_hi99 = (d_hi99 / minutes_per_year).min(1.0);
        (
            crate::summarize::zero_downtime_availability(u_hi, u_hi99),
            Interval {
                mean: 0.0,
                ci95_low: 0.0,
                ci95_high: d_hi,
            },
            if s.incidents > 0 {
                Interval {
                    ci95_low: i95.ci_low.max(0.0),
                    ..interval(i95)
                }
            } else {
                Interval {
                    mean: 0.0,
                    ci95_low: 0.0,
                    ci95_high: s.incident_rate_upper_bound(CONFIDENCE_95),
                }
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
    let system = match (&scenario.model, &s.system) {
        (ModelSpec::System(spec), Some(sys)) => {
            let span = (
                SimTime::from_duration(scenario.simulation.warmup),
                SimTime::from_duration(scenario.simulation.horizon),
            );
            Some(system_lines(spec, sys, &downtime, span)?)
        }
        _ => None,
    };
    let data = match (&scenario.model, &s.system) {
        (ModelSpec::System(spec), Some(sys)) if spec.services.iter().any(|x| x.data.is_some()) => {
            let floor = |w: &sim_core::stats::Welford| -> Result<Interval, Failure> {
                let i = interval(estimate(w, CONFIDENCE_95)?);
                Ok(Interval {
                    ci95_low: i.ci95_low.max(0.0),
                    ..i
                })
            };
            Some(DataLoss {
                failovers_per_year: floor(&sys.failovers_per_year)?,
                needless_failovers_per_year: floor(&sys.needless_failovers_per_year)?,
                failbacks_per_year: floor(&sys.failbacks_per_year)?,
                lost_writes_per_year: floor(&sys.lost_writes_per_year)?,
                loss_events_per_year: floor(&sys.loss_events_per_year)?,
                no_loss_probability: sys.no_loss.mean(),
                split_brain_minutes_per_year: floor(&sys.split_brain_minutes_per_year)?,
                split_brains_per_year: floor(&sys.split_brains_per_year)?,
                worst_rpo_hours: sys.worst_rpo_hours,
            })
        }
        _ => None,
    };
    let request_report = match &s.requests {
        Some(rs) => Some(requests_report(
            rs,
            s.replications,
            matches!(&scenario.model, ModelSpec::Requests(spec) if spec.client.fallback),
            Interval {
                mean: availability.mean,
                ci95_low: availability.ci95_low,
                ci95_high: availability.ci95_high,
            },
        )?),
        None => None,
    };
    let components = match (&scenario.model, &s.system) {
        (ModelSpec::System(spec), Some(sys)) => Some(component_lines(spec, sys)?),
        _ => None,
    };
    let (degraded, attribution, services, cost, requests) = match system {
        Some((d, a, sv, c, r)) => (Some(d), Some(a), Some(sv), Some(c), Some(r)),
        None => (None, None, None, None, None),
    };
    Ok(RunReport {
        scenario: scenario.name.clone(),
        origin: scenario.origin.clone(),
        seed,
        replications: s.replications,
        stopping: None,
        horizon_hours: scenario.simulation.horizon.as_hours_f64(),
        warmup_hours: scenario.simulation.warmup.as_hours_f64(),
        availability,
        downtime_minutes_per_year: downtime,
        incidents_per_year: incidents,
        few_outages: (s.incidents > 0 && s.few_outages()).then_some(s.incidents),
        mean_outage_hours: s.mean_outage_hours(),
        mttr_hours: Summary::estimate(&s.outage_hours, CONFIDENCE_95).map(|e| Interval {
            ci95_low: e.ci_low.max(0.0),
            ..interval(e)
        }),
        mtbf_hours: s.mtbf_hours().map(|mean| {
            // Up time is all but fixed: the interval is the outage rate's,
            // inverted.
            let rate = incidents.mean;
            let bound = |r: f64| {
                if r > 0.0 {
                    mean * rate / r
                } else {
                    f64::INFINITY
                }
            };
            Interval {
                mean,
                ci95_low: bound(incidents.ci95_high),
                ci95_high: bound(incidents.ci95_low),
            }
        }),
        outage_lengths: {
            let years = s.observed_hours / sim_core::time::HOURS_PER_YEAR;
            s.outage_histogram
                .iter()
                .enumerate()
                .map(|(i, &n)| OutageBin {
                    up_to_minutes: OUTAGE_BIN_EDGES_MIN.get(i).copied(),
                    outages_per_year: if years > 0.0 { n as f64 / years } else { 0.0 },
                })
                .collect()
        },
        assumed_outage_hours: zero.then(|| scenario.model.longest_mean_repair_hours()),
        downtime_minutes_per_year_spread: Spread {
            p50: s.downtime_quantile(0.5),
            p90: s.downtime_quantile(0.9),
            p95: s.downtime_quantile(0.95),
            p99: s.downtime_quantile(0.99),
            max: s.downtime_quantile(1.0),
        },
        longest_outage_hours: s.longest_outage_hours,
        request_availability: requests,
        degraded_minutes_per_year: degraded,
        attribution,
        components,
        services,
        requests: request_report,
        data,
        cost_per_year: cost,
        events: s.events,
        trace_hash: hex(s.trace_hash),
        replication_hashes: s.replication_hashes.iter().map(|&h| hex(h)).collect(),
        replication_downtime_minutes_per_year: s.downtime_by_replication.clone(),
    })
}

/// How often a fault took effect per year, with its interval: that of an
/// event count ([`event_count_interval`]) over the replications of `span`,
/// and with none seen the zero-event bound.
fn occurrence_interval(
    w: &sim_core::stats::Welford,
    span: (SimTime, SimTime),
) -> Result<Interval, Failure> {
    let years =
        w.count() as f64 * (span.1 - span.0).as_hours_f64() / sim_core::time::HOURS_PER_YEAR;
    let events = (w.mean() * years).round();
    if events < 0.5 {
        return Ok(Interval {
            mean: 0.0,
            ci95_low: 0.0,
            ci95_high: zero_event_upper_bound(years, CONFIDENCE_95),
        });
    }
    let e = match event_count_interval(w, events as u64, CONFIDENCE_95) {
        Some(e) => e,
        None => estimate(w, CONFIDENCE_95)?,
    };
    Ok(Interval {
        ci95_low: e.ci_low.max(0.0),
        ..interval(e)
    })
}

/// Degraded time, attribution, services, cost and request availability.
type SystemLines = (Interval, Vec<Attribution>, Vec<ServiceLine>, Cost, Interval);

/// The lines only infrastructure systems have: degraded time, attribution
/// (largest first), per-service figures and cost; `span` is the measured
/// span (warm-up and horizon).
fn system_lines(
    spec: &SystemSpec,
    sys: &SystemSummary,
    downtime: &Interval,
    span: (SimTime, SimTime),
) -> Result<SystemLines, Failure> {
    let floor = |i: Interval| Interval {
        ci95_low: i.ci95_low.max(0.0),
        ..i
    };
    let degraded = floor(interval(estimate(
        &sys.degraded_minutes_per_year,
        CONFIDENCE_95,
    )?));
    let total: f64 = sys
        .attributed_minutes_per_year
        .iter()
        .map(|w| w.mean())
        .sum();
    let mut attribution = Vec::with_capacity(spec.faults.len());
    for (f, fault) in spec.faults.iter().enumerate() {
        let e = estimate(&sys.attributed_minutes_per_year[f], CONFIDENCE_95)?;
        let occurrences = occurrence_interval(&sys.occurrences_per_year[f], span)?;
        attribution.push(Attribution {
            cause: fault.name.clone(),
            class: fault.class.name().to_string(),
            domain: Some(failure_domain(&fault.effect).to_string()),
            downtime_minutes_per_year: e.mean,
            ci95_low: e.ci_low.max(0.0),
            ci95_high: e.ci_high,
            share: if total > 0.0 { e.mean / total } else { 0.0 },
            occurrences_per_year: occurrences.mean,
            occurrences_ci95_low: occurrences.ci95_low,
            occurrences_ci95_high: occurrences.ci95_high,
        });
    }
    // Largest first; ties keep the scenario's order (the sort is stable).
    attribution.sort_by(|a, b| {
        b.downtime_minutes_per_year
            .total_cmp(&a.downtime_minutes_per_year)
    });
    let clamp = |i: Interval| Interval {
        ci95_low: i.ci95_low.clamp(0.0, 1.0),
        ci95_high: i.ci95_high.clamp(0.0, 1.0),
        ..i
    };
    let mut services = Vec::with_capacity(spec.services.len());
    for (i, svc) in spec.services.iter().enumerate() {
        let downtime = &sys.service_downtime_minutes_per_year[i];
        let (availability, downtime) =
            match outage_total_interval(downtime, &sys.service_outage_hours[i], CONFIDENCE_95) {
                Some(d) => (
                    availability_from_downtime(&sys.service_availability[i], &d),
                    d,
                ),
                None => (
                    estimate(&sys.service_availability[i], CONFIDENCE_95)?,
                    estimate(downtime, CONFIDENCE_95)?,
                ),
            };
        services.push(ServiceLine {
            name: svc.name.clone(),
            availability: clamp(interval(availability)),
            downtime_minutes_per_year: floor(interval(downtime)),
            mttr_hours: (sys.service_outage_hours[i].count() > 0)
                .then(|| sys.service_outage_hours[i].mean()),
            cost_per_year: {
                let placed = models::system::cost::service_per_year(spec, i, span.0, span.1);
                match (&svc.autoscale, sys.service_data.get(i)) {
                    // What its autoscaler ran, not every placed slot.
                    (Some(_), Some(d)) => {
                        placed - svc.cost_per_hour() * sim_core::time::HOURS_PER_YEAR
                            + d.instances_running.mean()
                                * svc.cost_per_instance_hour
                                * sim_core::time::HOURS_PER_YEAR
                    }
                    _ => placed,
                }
            },
            read_availability: sys.service_quorum[i].as_ref().map(|(r, _)| r.mean()),
            write_availability: match (&sys.service_quorum[i], &sys.service_writes[i]) {
                (Some((_, w)), _) => Some(w.mean()),
                (None, Some(w)) => Some(w.availability.mean()),
                (None, None) => None,
            },
            elections_per_year: match (&svc.leader, sys.service_data.get(i)) {
                (Some(_), Some(d)) => Some(floor(interval(estimate(
                    &d.elections_per_year,
                    CONFIDENCE_95,
                )?))),
                _ => None,
            },
            writes: match &sys.service_writes[i] {
                Some(w) => Some(reports::Writes {
                    availability: clamp(interval(estimate(&w.availability, CONFIDENCE_95)?)),
                    latency_ms: estimate(&w.latency_ms, CONFIDENCE_95)
                        .ok()
                        .map(|e| floor(interval(e))),
                    refused_per_year: floor(interval(estimate(
                        &w.refused_per_year,
                        CONFIDENCE_95,
                    )?)),
                }),
                None => None,
            },
            data: match sys.service_data.get(i) {
                Some(d) if svc.data.is_some() || svc.failover.is_some() => {
                    let per_year = |w: &sim_core::stats::Welford| -> Result<Interval, Failure> {
                        Ok(floor(interval(estimate(w, CONFIDENCE_95)?)))
                    };
                    Some(reports::ServiceData {
                        failovers_per_year: per_year(&d.failovers_per_year)?,
                        needless_failovers_per_year: per_year(&d.needless_failovers_per_year)?,
                        lost_writes_per_year: per_year(&d.lost_writes_per_year)?,
                        loss_events_per_year: per_year(&d.loss_events_per_year)?,
                        worst_rpo_hours: d.worst_rpo_hours,
                    })
                }
                _ => None,
            },
            scaling: match (&svc.autoscale, sys.service_data.get(i)) {
                (Some(_), Some(d)) => Some(reports::Scaling {
                    instances_running: floor(interval(estimate(
                        &d.instances_running,
                        CONFIDENCE_95,
                    )?)),
                    actions_per_year: floor(interval(estimate(
                        &d.scaling_actions_per_year,
                        CONFIDENCE_95,
                    )?)),
                }),
                _ => None,
            },
        });
    }
    let cost = cost_lines(spec, sys, downtime)?;
    let requests = interval(estimate(&sys.request_availability, CONFIDENCE_95)?);
    let requests = Interval {
        ci95_low: requests.ci95_low.clamp(0.0, 1.0),
        ci95_high: requests.ci95_high.clamp(0.0, 1.0),
        ..requests
    };
    Ok((degraded, attribution, services, cost, requests))
}

/// What the system costs per year: the instances and downtime as before,
/// every component of [`models::system::cost`] (fixed ones exact, random
/// ones with their interval over replications) and the total.
fn cost_lines(
    spec: &SystemSpec,
    sys: &SystemSummary,
    downtime: &Interval,
) -> Result<Cost, Failure> {
    use models::system::cost::CostComponent;
    // Autoscaled instances cost what ran: random, with an interval.
    let scaled = spec.services.iter().any(|svc| svc.autoscale.is_some());
    let mut infrastructure: f64 = spec
        .services
        .iter()
        .map(|svc| svc.cost_per_hour() * sim_core::time::HOURS_PER_YEAR)
        .sum();
    if scaled {
        infrastructure = sys.cost_per_year[CostComponent::Instances as usize].mean()
            + sys.cost_per_year[CostComponent::Standbys as usize].mean();
    }
    let per_min = spec.downtime_cost_per_minute;
    let downtime_cost = Interval {
        mean: downtime.mean * per_min,
        ci95_low: downtime.ci95_low * per_min,
        ci95_high: downtime.ci95_high * per_min,
    };
    let mut components = Vec::with_capacity(CostComponent::ALL.len());
    // The fixed components beyond the instances, added in order to the
    // instances' figure (so that a system without them keeps its total to
    // the bit).
    let mut fixed = if scaled {
        sys.cost_per_year[CostComponent::Standbys as usize].mean()
    } else {
        infrastructure
    };
    for (&k, w) in CostComponent::ALL.iter().zip(&sys.cost_per_year) {
        let i = match k {
            CostComponent::Downtime => downtime_cost,
            _ if k.is_random() || (scaled && k == CostComponent::Instances) => {
                let i = interval(estimate(w, CONFIDENCE_95)?);
                Interval {
                    ci95_low: i.ci95_low.max(0.0),
                    ..i
                }
            }
            _ => {
                if !matches!(k, CostComponent::Instances | CostComponent::Standbys) {
                    fixed += w.mean();
                }
                Interval {
                    mean: w.mean(),
                    ci95_low: w.mean(),
                    ci95_high: w.mean(),
                }
            }
        };
        components.push(CostLine {
            name: k.name().to_string(),
            mean: i.mean,
            ci95_low: i.ci95_low,
            ci95_high: i.ci95_high,
        });
    }
    // Downtime alone is random: its interval, as before (with the
    // one-sided bound when none was seen). Otherwise the interval on the
    // sum of the random components, replication by replication.
    let costs = &spec.costs;
    let only_downtime = !scaled
        && costs.per_incident == 0.0
        && costs.per_repair.iter().all(|&x| x == 0.0)
        && costs.sla_credits.iter().all(|t| t.credit == 0.0);
    let random = if only_downtime {
        downtime_cost
    } else {
        let i = interval(estimate(&sys.cost_random_per_year, CONFIDENCE_95)?);
        Interval {
            ci95_low: i.ci95_low.max(0.0),
            ..i
        }
    };
    Ok(Cost {
        infrastructure,
        downtime: downtime_cost,
        total: Interval {
            mean: fixed + random.mean,
            ci95_low: fixed + random.ci95_low,
            ci95_high: fixed + random.ci95_high,
        },
        components,
        currency: spec.currency.clone(),
    })
}

/// The request-level lines: served share, fallbacks (when the client has
/// one), latency, errors by cause, load.
fn requests_report(
    rs: &models::summary::RequestSummary,
    replications: u64,
    fallback: bool,
    served: Interval,
) -> Result<RequestsReport, Failure> {
    let arrived = rs.arrived.max(1) as f64;
    let q = |p: f64| rs.latency.quantile_s(p).unwrap_or(0.0);
    let mean_response_s = interval(estimate(&rs.mean_response_s, CONFIDENCE_95)?);
    let share = |w: &sim_core::stats::Welford| -> Result<Interval, Failure> {
        let i = interval(estimate(w, CONFIDENCE_95)?);
        Ok(Interval {
            ci95_low: i.ci95_low.clamp(0.0, 1.0),
            ci95_high: i.ci95_high.clamp(0.0, 1.0),
            ..i
        })
    };
    let (fallback_share, availability_with_fallback) = if fallback {
        (
            Some(share(&rs.fallback_share)?),
            Some(share(&rs.availability_with_fallback)?),
        )
    } else {
        (None, None)
    };
    Ok(RequestsReport {
        arrived_per_replication: rs.arrived as f64 / replications.max(1) as f64,
        served_share: served,
        fallback_share,
        availability_with_fallback,
        mean_response_s,
        latency_s: Latency {
            p50: q(0.5),
            p95: q(0.95),
            p99: q(0.99),
            p999: q(0.999),
        },
        errors: models::request::FailureCause::ALL
            .iter()
            .zip(&rs.failed)
            .map(|(cause, &n)| ErrorShare {
                cause: cause.name().to_string(),
                share: n as f64 / arrived,
            })
            .collect(),
        attempts_per_request: interval(estimate(&rs.attempts_per_request, CONFIDENCE_95)?),
        utilisation: rs.utilisation.mean(),
        breaker_openings_per_replication: rs.breaker_opened as f64 / replications.max(1) as f64,
    })
}

/// Availability when no downtime was observed: a one-sided bound from the
/// upper bounds `u_hi` (95%) and `u_hi99` (99%) on unavailability, with
/// the nines as a lower bound (never negative: at worst, no nines).
pub(crate) fn zero_downtime_availability(u_hi: f64, u_hi99: f64) -> Availability {
    let nines = -(u_hi.max(f64::MIN_POSITIVE)).log10();
    Availability {
        mean: 1.0,
        ci95_low: (1.0 - u_hi).clamp(0.0, 1.0),
        ci95_high: 1.0,
        ci99_low: (1.0 - u_hi99).clamp(0.0, 1.0),
        ci99_high: 1.0,
        // Not `max`, which may keep −0.
        nines: if nines > 0.0 { nines } else { 0.0 },
        zero_downtime_observed: true,
    }
}

/// The failure domain a fault strikes, as reports group downtime: the
/// kind of element its effect holds.
fn failure_domain(effect: &models::system::spec::Effect) -> &'static str {
    use models::system::spec::Effect;
    match effect {
        Effect::Down(es) | Effect::Shock(es) | Effect::Degrade { targets: es, .. } => {
            // A fault over mixed elements is named by its first.
            es.first().map_or("service", |e| e.kind_name())
        }
        Effect::Partition { .. } => "network",
        Effect::Rollout { .. } => "service",
        Effect::Surge { .. } => "load",
    }
}

/// Downtime by component, largest first, only the components charged any.
fn component_lines(spec: &SystemSpec, sys: &SystemSummary) -> Result<Vec<ComponentShare>, Failure> {
    let total: f64 = sys
        .component_minutes_per_year
        .iter()
        .map(|w| w.mean())
        .sum();
    let mut lines = Vec::new();
    for (slot, w) in sys.component_minutes_per_year.iter().enumerate() {
        if w.mean() <= 0.0 {
            continue;
        }
        let e = estimate(w, CONFIDENCE_95)?;
        let (kind, name) = spec.component(slot);
        lines.push(ComponentShare {
            kind: kind.to_string(),
            name,
            downtime_minutes_per_year: e.mean,
            ci95_low: e.ci_low.max(0.0),
            ci95_high: e.ci_high,
            share: if total > 0.0 { e.mean / total } else { 0.0 },
        });
    }
    // Largest first; ties keep the slot order (the sort is stable).
    lines.sort_by(|a, b| {
        b.downtime_minutes_per_year
            .total_cmp(&a.downtime_minutes_per_year)
    });
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_downtime_nines_are_never_negative() {
        for u in [1.0, 2.0, 1e9] {
            let a = zero_downtime_availability(u, u);
            assert_eq!(a.nines.to_bits(), 0.0f64.to_bits(), "{u}: {}", a.nines);
            assert_eq!(format!("{:.2}", a.nines), "0.00");
            assert_eq!(a.ci95_low, 0.0);
        }
        let a = zero_downtime_availability(1e-3, 1e-2);
        assert!((a.nines - 3.0).abs() < 1e-12);
    }
}
