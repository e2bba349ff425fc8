//! The result of `nines run`: plain data, readable back from JSON, and its
//! human rendering.

use serde::{Deserialize, Serialize};

/// An estimate with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The point estimate (mean over replications).
    pub mean: f64,
    /// Lower end of the 95% confidence interval.
    pub ci95_low: f64,
    /// Upper end of the 95% confidence interval.
    pub ci95_high: f64,
}

/// Availability: the fraction of measured time the service was up.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Availability {
    /// Mean over replications.
    pub mean: f64,
    /// Lower end of the 95% confidence interval.
    pub ci95_low: f64,
    /// Upper end of the 95% confidence interval.
    pub ci95_high: f64,
    /// Lower end of the 99% confidence interval.
    pub ci99_low: f64,
    /// Upper end of the 99% confidence interval.
    pub ci99_high: f64,
    /// `-log10(1 - availability)` at the mean; with no downtime observed, at
    /// the 95% lower bound (so it is itself a lower bound).
    pub nines: f64,
    /// True when no replication saw any downtime: the interval is then a
    /// one-sided 95% bound and `nines` is a lower bound.
    pub zero_downtime_observed: bool,
}

/// Quantiles of a per-replication value (one value per replication).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile: one replication in 20 exceeds it.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// The largest value seen.
    pub max: f64,
}

/// Entry-point downtime charged to one cause.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// The fault, by its name in the scenario.
    pub cause: String,
    /// Its class (`host-crash`, `zone-outage`, ...).
    pub class: String,
    /// The failure domain it strikes: `host`, `rack`, `zone`, `region`,
    /// `link`, `network`, `service`, `instance` or `load`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Mean downtime per year charged to it, minutes.
    pub downtime_minutes_per_year: f64,
    /// 95% interval of that figure.
    pub ci95_low: f64,
    /// 95% interval of that figure.
    pub ci95_high: f64,
    /// Its share of all downtime (the shares sum to one).
    pub share: f64,
    /// How often the fault took effect, per year.
    pub occurrences_per_year: f64,
    /// 95% interval of that figure.
    #[serde(default)]
    pub occurrences_ci95_low: f64,
    /// 95% interval of that figure.
    #[serde(default)]
    pub occurrences_ci95_high: f64,
}

/// Entry-point downtime charged to one component: the element (host,
/// rack, zone, region, link, service or instance) that the charged faults
/// held, or the network (partitions) or the load (traffic spikes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComponentShare {
    /// The component's kind: `host`, `rack`, `zone`, `region`, `link`,
    /// `service`, `instance`, `network` or `load`.
    pub kind: String,
    /// Its name in the scenario.
    pub name: String,
    /// Mean downtime per year charged to it, minutes.
    pub downtime_minutes_per_year: f64,
    /// 95% interval of that figure.
    pub ci95_low: f64,
    /// 95% interval of that figure.
    pub ci95_high: f64,
    /// Its share of all downtime.
    pub share: f64,
}

/// One service as seen from where client traffic enters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceLine {
    /// The service's name.
    pub name: String,
    /// Its availability.
    pub availability: Interval,
    /// Its downtime, minutes per year.
    pub downtime_minutes_per_year: Interval,
    /// Its mean outage length (MTTR), hours; absent without outages.
    #[serde(default)]
    pub mttr_hours: Option<f64>,
    /// What its instances cost per year (standbys at their own price).
    #[serde(default)]
    pub cost_per_year: f64,
    /// For a quorum store: the share of time a read can succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_availability: Option<f64>,
    /// For a quorum store: the share of time a write can succeed; for an
    /// active-passive service with data, the share of time writes were
    /// accepted (the mean of `writes.availability`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_availability: Option<f64>,
    /// For a leader-based quorum store: leader elections per year (each
    /// stops writes for its length).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elections_per_year: Option<Interval>,
    /// For an active-passive service with data: what its writes met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writes: Option<Writes>,
    /// For a stateful or active-passive service: its own failovers and
    /// data lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<ServiceData>,
    /// For an autoscaled service: what its autoscaler ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<Scaling>,
}

/// What one active-passive service's writes met: the price of waiting
/// for a standby (sync and semi-sync replication).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Writes {
    /// The share of measured time writes were accepted (reads are the
    /// service's own availability): lower than it while synchronous
    /// writes stall.
    pub availability: Interval,
    /// The mean latency of a write while writes were accepted, ms: the
    /// write time plus the round trip to the nearest standby that confirms
    /// it. Absent if no replication accepted a write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<Interval>,
    /// Writes refused while stalled, per year (the write rate times the
    /// stalled time).
    pub refused_per_year: Interval,
}

/// What one service's autoscaler ran.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scaling {
    /// Instances running (or launching), on average over the measured
    /// span.
    pub instances_running: Interval,
    /// Scaling actions (launches and stops) per year.
    pub actions_per_year: Interval,
}

/// One service's failovers and data lost.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceData {
    /// Failovers to another of its instances per year.
    pub failovers_per_year: Interval,
    /// Of those, promotions of a standby that suspected a healthy active
    /// instance, per year.
    pub needless_failovers_per_year: Interval,
    /// Acknowledged writes it lost per year.
    pub lost_writes_per_year: Interval,
    /// Events that lost at least one of its writes, per year.
    pub loss_events_per_year: Interval,
    /// Its worst window of writes lost at once, hours.
    pub worst_rpo_hours: f64,
}

/// What happened to the data of stateful services.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataLoss {
    /// Failovers to another instance per year.
    pub failovers_per_year: Interval,
    /// Of those, promotions of a standby that suspected a healthy active
    /// instance (a partition, lossy heartbeats), per year.
    pub needless_failovers_per_year: Interval,
    /// Planned switchovers back to the first instance per year.
    pub failbacks_per_year: Interval,
    /// Acknowledged writes lost per year.
    pub lost_writes_per_year: Interval,
    /// Events that lost at least one write, per year.
    pub loss_events_per_year: Interval,
    /// The share of replications that lost no write at all.
    pub no_loss_probability: f64,
    /// The worst window of writes lost at once, hours (the worst recovery
    /// point seen).
    pub worst_rpo_hours: f64,
    /// Time with two writable primaries (split brain), minutes per year.
    pub split_brain_minutes_per_year: Interval,
    /// Split brains per year.
    pub split_brains_per_year: Interval,
}

/// Latency percentiles, seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
}

/// The share of requests that failed for one cause.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorShare {
    /// The cause (`timeout`, `deadline`, `circuit open`, `no instance`,
    /// `overload`, `instance down`, `health-check lag`, `dependency
    /// down`).
    pub cause: String,
    /// Failed requests of this cause over all requests.
    pub share: f64,
}

/// What a request-level run measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestsReport {
    /// Requests that arrived after the warm-up, per replication.
    pub arrived_per_replication: f64,
    /// The share served in time (request-based availability).
    pub served_share: Interval,
    /// With a client fallback: the share of requests answered with a
    /// degraded fallback (neither served nor failed); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_share: Option<Interval>,
    /// With a client fallback: the share served in time or answered with a
    /// fallback (availability including fallbacks); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_with_fallback: Option<Interval>,
    /// Mean response time of served requests, seconds.
    pub mean_response_s: Interval,
    /// Response-time percentiles over all served requests, seconds
    /// (within the sketch's relative error).
    pub latency_s: Latency,
    /// Failed requests by cause, as shares of all requests.
    pub errors: Vec<ErrorShare>,
    /// Attempts per request (1 without retries).
    pub attempts_per_request: Interval,
    /// The share of server time busy.
    pub utilisation: f64,
    /// Times the circuit breaker opened, per replication.
    pub breaker_openings_per_replication: f64,
}

/// What the system costs per year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// Instances: instance-hours times their hourly cost (standbys at
    /// their own), the sum of the `instances` and `standbys` components.
    pub infrastructure: f64,
    /// Downtime: minutes down times the scenario's cost per minute.
    pub downtime: Interval,
    /// The sum of every component: the fixed ones plus an interval on
    /// the random ones (incidents, repairs, credits, downtime).
    pub total: Interval,
    /// Every component, in a fixed order under stable names
    /// (`instances`, `standbys`, `hosts`, `zones`, `regions`, `crews`,
    /// `incidents`, `repairs`, `backups`, `backup_storage`, `traffic`,
    /// `sla_credits`, `downtime`), zero ones included; absent in results
    /// written before components were reported.
    #[serde(default)]
    pub components: Vec<CostLine>,
    /// The currency code every figure is in (such as `EUR`), when the
    /// scenario names one; absent, figures are in the scenario's own unit,
    /// shown as `¤`.
    #[serde(default)]
    pub currency: Option<String>,
}

/// One component of what the system costs per year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    /// Its stable snake_case name, such as `backups` or `sla_credits`.
    pub name: String,
    /// The mean over replications, per year.
    pub mean: f64,
    /// The lower end of the 95% interval (the mean, for fixed costs).
    pub ci95_low: f64,
    /// The upper end of the 95% interval (the mean, for fixed costs).
    pub ci95_high: f64,
}

/// The components the summary line of instances and downtime already
/// shows: a breakdown is printed only when another one is not zero.
const SHOWN_COMPONENTS: [&str; 3] = ["instances", "standbys", "downtime"];

impl Cost {
    /// The currency every figure is in, as printed beside it: the code the
    /// scenario names, else `¤` (a unit of the scenario's own choosing).
    pub fn unit(&self) -> &str {
        self.currency.as_deref().unwrap_or("¤")
    }

    /// The components that are not zero, when any beyond instances,
    /// standbys and downtime is (empty otherwise: the infrastructure and
    /// downtime figures already say everything).
    pub fn breakdown(&self) -> Vec<&CostLine> {
        let nonzero: Vec<&CostLine> = self
            .components
            .iter()
            .filter(|c| c.mean != 0.0 || c.ci95_high != 0.0)
            .collect();
        if nonzero
            .iter()
            .all(|c| SHOWN_COMPONENTS.contains(&c.name.as_str()))
        {
            Vec::new()
        } else {
            nonzero
        }
    }
}

/// Outages of one length band.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutageBin {
    /// The band's upper edge in minutes; absent for the last, open band.
    pub up_to_minutes: Option<f64>,
    /// Outages in the band per year of 8760 h.
    pub outages_per_year: f64,
}

/// Everything `nines run` reports, as written by `--json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// The scenario's name.
    pub scenario: String,
    /// Where the scenario came from: a path or `builtin:NAME`.
    pub origin: String,
    /// The root seed.
    pub seed: u64,
    /// The number of replications the estimates rest on.
    pub replications: u64,
    /// With `--precision`: what stopped adding replications, and how
    /// precise the downtime estimate got; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopping: Option<crate::Stopping>,
    /// The simulated length of each replication, in hours.
    pub horizon_hours: f64,
    /// The unmeasured initial span of each replication, in hours.
    pub warmup_hours: f64,
    /// Time-based availability of the service.
    pub availability: Availability,
    /// Downtime per year of 8760 h, in minutes.
    pub downtime_minutes_per_year: Interval,
    /// Outages starting per year of 8760 h.
    pub incidents_per_year: Interval,
    /// The outages seen over all replications, when the intervals of
    /// availability, downtime and incidents rest on fewer than ten of them
    /// (and are then rough: more replications narrow and steady them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub few_outages: Option<u64>,
    /// Mean outage length, in hours: downtime divided by incidents, pooled
    /// over all replications (absent when there was no outage).
    pub mean_outage_hours: Option<f64>,
    /// With no downtime observed: the outage length assumed to turn the
    /// bound on the outage rate into one on downtime (the slowest mean
    /// repair); absent otherwise.
    pub assumed_outage_hours: Option<f64>,
    /// Mean outage length as users see it (MTTR), hours, with a 95%
    /// interval over all outages; absent when there was none.
    #[serde(default)]
    pub mttr_hours: Option<Interval>,
    /// Mean up time between outages as users see it (MTBF), hours, with
    /// the 95% interval that of the outage rate gives; absent when there
    /// was no outage.
    #[serde(default)]
    pub mtbf_hours: Option<Interval>,
    /// How outage lengths are distributed.
    #[serde(default)]
    pub outage_lengths: Vec<OutageBin>,
    /// Quantiles of downtime per replication, in minutes per year.
    pub downtime_minutes_per_year_spread: Spread,
    /// The longest single outage seen in any replication, in hours.
    pub longest_outage_hours: f64,
    /// Request-based availability: the share of client requests served
    /// (infrastructure systems); below the time-based figure while gray
    /// hosts or lossy links fail part of the traffic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_availability: Option<Interval>,
    /// Time the entry point was up but degraded (infrastructure systems).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degraded_minutes_per_year: Option<Interval>,
    /// Downtime by cause, largest first (infrastructure systems).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Vec<Attribution>>,
    /// Downtime by component, largest first, only those charged any
    /// (infrastructure systems).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<ComponentShare>>,
    /// Every service as seen from the entry (infrastructure systems).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<ServiceLine>>,
    /// Request-level measures (request-level scenarios). There,
    /// `availability` is the share of requests served in time, and
    /// `downtime_minutes_per_year` its complement in minutes per year: an
    /// error budget, not an outage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<RequestsReport>,
    /// Data lost by failovers and deletions (systems with stateful services).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataLoss>,
    /// Cost per year (infrastructure systems).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_per_year: Option<Cost>,
    /// Events processed, over all replications.
    pub events: u64,
    /// The digest of the whole run: replication digests combined in order.
    pub trace_hash: String,
    /// The digest of each replication, in replication order.
    pub replication_hashes: Vec<String>,
    /// Downtime of each replication, minutes per year, in replication
    /// order (for paired comparisons of designs run under one seed).
    #[serde(default)]
    pub replication_downtime_minutes_per_year: Vec<f64>,
}

mod text;
pub(crate) use text::{fmt_num, percent, write_headline};

#[cfg(test)]
pub(crate) mod tests;
