//! The result of `nines run`: plain data, readable back from JSON, and its
//! human rendering.

use std::fmt::Write as _;

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
    /// For a quorum store: the share of time a write can succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_availability: Option<f64>,
    /// For a stateful or active-passive service: its own failovers and
    /// data lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<ServiceData>,
}

/// One service's failovers and data lost.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceData {
    /// Failovers to another of its instances per year.
    pub failovers_per_year: Interval,
    /// Of those, promotions of a standby that suspected a healthy active
    /// instance, per year.
    pub needless_failovers_per_year: f64,
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
    pub needless_failovers_per_year: f64,
    /// Planned switchovers back to the first instance per year.
    pub failbacks_per_year: f64,
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
    #[serde(default)]
    pub split_brain_minutes_per_year: f64,
    /// Split brains per year.
    #[serde(default)]
    pub split_brains_per_year: f64,
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
    /// Mean up time between outages as users see it (MTBF), hours; absent
    /// when there was no outage.
    #[serde(default)]
    pub mtbf_hours: Option<f64>,
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

pub(crate) fn percent(x: f64) -> String {
    format!("{:.5}%", 100.0 * x)
}

impl RunReport {
    /// The human summary printed by `nines run`.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let a = &self.availability;
        let d = &self.downtime_minutes_per_year;
        let i = &self.incidents_per_year;
        let years = self.horizon_hours - self.warmup_hours;
        let _ = writeln!(s, "scenario      {} ({})", self.scenario, self.origin);
        let _ = writeln!(
            s,
            "replications  {} x {} h measured{} (seed {})",
            self.replications,
            fmt_num(years),
            if self.warmup_hours > 0.0 {
                format!(" after a {} h warm-up", fmt_num(self.warmup_hours))
            } else {
                String::new()
            },
            self.seed
        );
        if let Some(stopping) = &self.stopping {
            s.push_str(&stopping.to_text());
        }
        if self.requests.is_some() {
            // Request level: availability is the share of requests served
            // in time; there are no outages to count.
            if a.zero_downtime_observed {
                let _ = writeln!(
                    s,
                    "availability  >= {} of requests served at 95% (no request failed)",
                    percent(a.ci95_low)
                );
                let _ = writeln!(s, "nines         >= {:.2}", a.nines);
            } else {
                let _ = writeln!(
                    s,
                    "availability  {} of requests served  95% CI [{}, {}]",
                    percent(a.mean),
                    percent(a.ci95_low),
                    percent(a.ci95_high)
                );
                let _ = writeln!(s, "nines         {:.2}", a.nines);
            }
        } else if a.zero_downtime_observed {
            write_headline(
                &mut s,
                a,
                d,
                i,
                self.assumed_outage_hours,
                "in any replication",
            );
        } else {
            write_headline(&mut s, a, d, i, None, "");
            if let (Some(m), Some(b)) = (&self.mttr_hours, self.mtbf_hours) {
                let _ = writeln!(
                    s,
                    "outages       MTTR {:.2} h (95% CI [{:.2}, {:.2}]), MTBF {:.0} h, longest {:.2} h",
                    m.mean, m.ci95_low, m.ci95_high, b, self.longest_outage_hours
                );
                let bands: Vec<String> = self
                    .outage_lengths
                    .iter()
                    .filter(|b| b.outages_per_year > 0.0)
                    .map(|b| match b.up_to_minutes {
                        Some(m) => format!("<= {} min: {:.3}", m, b.outages_per_year),
                        None => format!("longer: {:.3}", b.outages_per_year),
                    })
                    .collect();
                if !bands.is_empty() {
                    let _ = writeln!(s, "outage length {} (per year)", bands.join(", "));
                }
            }
            let sp = &self.downtime_minutes_per_year_spread;
            let _ = writeln!(
                s,
                "worst years   1 replication in 20 had more than {:.1} min/yr of downtime (median {:.1}, max {:.1})",
                sp.p95, sp.p50, sp.max
            );
        }
        if let Some(r) = &self.request_availability {
            let _ = writeln!(
                s,
                "requests      {} served  95% CI [{}, {}] (request-based availability)",
                percent(r.mean),
                percent(r.ci95_low),
                percent(r.ci95_high)
            );
        }
        if let Some(dg) = &self.degraded_minutes_per_year {
            let _ = writeln!(
                s,
                "degraded      {:.1} min/yr  95% CI [{:.1}, {:.1}] (up, but a soft dependency or a gray host hurts)",
                dg.mean, dg.ci95_low, dg.ci95_high
            );
        }
        if let Some(r) = &self.requests {
            let _ = writeln!(
                s,
                "requests      {:.0} per replication",
                r.arrived_per_replication
            );
            if let (Some(f), Some(w)) = (&r.fallback_share, &r.availability_with_fallback) {
                let _ = writeln!(
                    s,
                    "fallbacks     {} of requests answered degraded  95% CI [{}, {}]",
                    percent(f.mean),
                    percent(f.ci95_low),
                    percent(f.ci95_high)
                );
                let _ = writeln!(
                    s,
                    "with fallback {} of requests served or answered degraded  95% CI [{}, {}]",
                    percent(w.mean),
                    percent(w.ci95_low),
                    percent(w.ci95_high)
                );
            }
            let _ = writeln!(
                s,
                "latency       mean {:.1} ms; p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, p99.9 {:.1} ms",
                1e3 * r.mean_response_s.mean,
                1e3 * r.latency_s.p50,
                1e3 * r.latency_s.p95,
                1e3 * r.latency_s.p99,
                1e3 * r.latency_s.p999
            );
            let errors: Vec<String> = r
                .errors
                .iter()
                .filter(|e| e.share > 0.0)
                .map(|e| format!("{} {}", e.cause, percent(e.share)))
                .collect();
            let _ = writeln!(
                s,
                "errors        {}",
                if errors.is_empty() {
                    "none".to_string()
                } else {
                    errors.join(", ")
                }
            );
            let _ = writeln!(
                s,
                "load          {:.3} attempts per request, servers {:.1}% busy, breaker opened {:.1} times per replication",
                r.attempts_per_request.mean,
                100.0 * r.utilisation,
                r.breaker_openings_per_replication
            );
        }
        if let Some(d) = &self.data {
            // With several stateful services, say whose figures these are;
            // "data by service" below gives each one's.
            let several = self
                .services
                .as_ref()
                .is_some_and(|x| x.iter().filter(|svc| svc.data.is_some()).count() > 1);
            let _ = writeln!(
                s,
                "data          {}{:.3} writes lost /yr  95% CI [{:.3}, {:.3}] in {:.3} loss events /yr; {:.2} failovers /yr; worst RPO {:.2} h; {:.1}% of replications lost nothing",
                if several {
                    "the entry and what it needs: "
                } else {
                    ""
                },
                d.lost_writes_per_year.mean,
                d.lost_writes_per_year.ci95_low,
                d.lost_writes_per_year.ci95_high,
                d.loss_events_per_year.mean,
                d.failovers_per_year.mean,
                d.worst_rpo_hours,
                100.0 * d.no_loss_probability
            );
            if d.split_brains_per_year > 0.0 {
                let _ = writeln!(
                    s,
                    "split brain   {:.3} per year, {:.1} min/yr with two writable primaries",
                    d.split_brains_per_year, d.split_brain_minutes_per_year
                );
            }
            if d.needless_failovers_per_year > 0.0 || d.failbacks_per_year > 0.0 {
                let _ = writeln!(
                    s,
                    "failovers     {:.3} needless per year (a healthy primary suspected), {:.3} failbacks per year",
                    d.needless_failovers_per_year, d.failbacks_per_year
                );
            }
        }
        if let Some(c) = &self.cost_per_year {
            let _ = writeln!(
                s,
                "cost          {u} {:.0} /yr (95% CI [{:.0}, {:.0}]): {u} {:.0} infrastructure + {u} {:.0} downtime (95% CI [{:.0}, {:.0}])",
                c.total.mean,
                c.total.ci95_low,
                c.total.ci95_high,
                c.infrastructure,
                c.downtime.mean,
                c.downtime.ci95_low,
                c.downtime.ci95_high,
                u = c.unit(),
            );
            let parts: Vec<String> = c
                .breakdown()
                .iter()
                .map(|x| {
                    if x.ci95_low == x.ci95_high {
                        format!("{u} {:.0} {}", x.mean, x.name, u = c.unit())
                    } else {
                        format!(
                            "{u} {:.0} {} [{:.0}, {:.0}]",
                            x.mean,
                            x.name,
                            x.ci95_low,
                            x.ci95_high,
                            u = c.unit()
                        )
                    }
                })
                .collect();
            if !parts.is_empty() {
                let _ = writeln!(s, "cost by part  {}", parts.join(", "));
            }
        }
        if let Some(services) = &self.services {
            let _ = writeln!(s, "services      (as seen from where clients enter)");
            let w = services
                .iter()
                .map(|x| x.name.chars().count())
                .max()
                .unwrap_or(7)
                .max(7);
            let _ = writeln!(
                s,
                "  {:<w$}  {:>10}  {:>10}  {:>10}  {:>10}",
                "service", "available", "min/yr", "MTTR", "cost/yr"
            );
            for svc in services {
                let mttr = svc.mttr_hours.map_or("-".to_string(), |h| {
                    if h < 1.0 {
                        format!("{:.1} min", h * 60.0)
                    } else {
                        format!("{h:.2} h")
                    }
                });
                let _ = writeln!(
                    s,
                    "  {:<w$}  {:>10}  {:>10.1}  {:>10}  {:>10.0}{}",
                    svc.name,
                    format!("{:.4}%", 100.0 * svc.availability.mean),
                    svc.downtime_minutes_per_year.mean,
                    mttr,
                    svc.cost_per_year,
                    match (svc.read_availability, svc.write_availability) {
                        (Some(r), Some(w)) =>
                            format!("  (reads {:.4}%, writes {:.4}%)", 100.0 * r, 100.0 * w),
                        _ => String::new(),
                    }
                );
            }
        }
        if let Some(services) = &self.services {
            let with_data: Vec<(&str, &ServiceData)> = services
                .iter()
                .filter_map(|x| Some((x.name.as_str(), x.data.as_ref()?)))
                .collect();
            // With one such service the data line above is its own.
            if with_data.len() > 1 {
                let _ = writeln!(s, "data by service");
                let w = with_data
                    .iter()
                    .map(|(n, _)| n.chars().count())
                    .max()
                    .unwrap_or(7)
                    .max(7);
                let _ = writeln!(
                    s,
                    "  {:<w$}  {:>14}  {:>12}  {:>12}  {:>10}",
                    "service", "writes lost/yr", "loss events", "failovers/yr", "worst RPO"
                );
                for (name, d) in with_data {
                    let _ = writeln!(
                        s,
                        "  {name:<w$}  {:>14.1}  {:>12.3}  {:>12.3}  {:>8.2} h",
                        d.lost_writes_per_year.mean,
                        d.loss_events_per_year.mean,
                        d.failovers_per_year.mean,
                        d.worst_rpo_hours
                    );
                }
            }
        }
        if let Some(attr) = &self.attribution
            && !attr.is_empty()
        {
            let _ = writeln!(s, "downtime by cause");
            let w = attr
                .iter()
                .map(|a| a.cause.chars().count())
                .max()
                .unwrap_or(5)
                .max(5);
            let _ = writeln!(
                s,
                "  {:<w$}  {:<16}  {:>10}  {:>6}  {:>8}",
                "cause", "class", "min/yr", "share", "per yr"
            );
            for a in attr {
                let _ = writeln!(
                    s,
                    "  {:<w$}  {:<16}  {:>10.1}  {:>5.1}%  {:>8.2}",
                    a.cause,
                    a.class,
                    a.downtime_minutes_per_year,
                    100.0 * a.share,
                    a.occurrences_per_year
                );
            }
        }
        let _ = writeln!(s, "events        {}", self.events);
        let _ = writeln!(s, "trace hash    {}", self.trace_hash);
        s
    }
}

/// Prints a number without a needless fraction (8760 rather than 8760.0).
pub(crate) fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.3}")
    }
}

/// The availability, nines, downtime and incidents lines of a text
/// summary. With no downtime observed they are one-sided 95% bounds
/// (`where_none` says where none was seen, `assumed_outage_hours` what the
/// downtime bound assumes).
pub(crate) fn write_headline(
    s: &mut String,
    a: &Availability,
    d: &Interval,
    i: &Interval,
    assumed_outage_hours: Option<f64>,
    where_none: &str,
) {
    use std::fmt::Write as _;
    if a.zero_downtime_observed {
        let seen = if where_none.is_empty() {
            "no downtime observed".to_string()
        } else {
            format!("no downtime observed {where_none}")
        };
        let _ = writeln!(
            s,
            "availability  >= {} at 95% ({seen})",
            percent(a.ci95_low)
        );
        let _ = writeln!(s, "nines         >= {:.2}", a.nines);
        let _ = writeln!(
            s,
            "downtime      < {:.3} min/yr at 95% (none observed; assumes outages last {} h, the slowest mean repair)",
            d.ci95_high,
            fmt_num(assumed_outage_hours.unwrap_or(0.0))
        );
        let _ = writeln!(
            s,
            "incidents     < {:.4} /yr at 95% (none observed)",
            i.ci95_high
        );
    } else {
        let _ = writeln!(
            s,
            "availability  {}  95% CI [{}, {}]",
            percent(a.mean),
            percent(a.ci95_low),
            percent(a.ci95_high)
        );
        let _ = writeln!(s, "nines         {:.2}", a.nines);
        let _ = writeln!(
            s,
            "downtime      {:.1} min/yr  95% CI [{:.1}, {:.1}]",
            d.mean, d.ci95_low, d.ci95_high
        );
        let _ = writeln!(
            s,
            "incidents     {:.3} /yr  95% CI [{:.3}, {:.3}]",
            i.mean, i.ci95_low, i.ci95_high
        );
    }
}

#[cfg(test)]
pub(crate) mod tests;
