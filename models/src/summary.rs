//! Merging replications into estimates with confidence intervals.
//!
//! Every per-replication value is folded into a running mean and variance
//! (Welford), in replication order, so the summary is identical whatever
//! thread ran which replication. The only values kept one per replication
//! are the downtimes (for quantiles such as "one year in 20") and the trace
//! digests: their size grows with the number of replications, never with the
//! simulated horizon.

use sim_core::hash::StableHasher;
use sim_core::runner::combine_trace_hashes;
use sim_core::stats::{Estimate, Welford, quantile, zero_event_upper_bound};
use sim_core::time::HOURS_PER_YEAR;

use crate::replicate::ReplicationResult;

pub mod intervals;
pub use intervals::FEW_OUTAGES;

/// Estimates over a set of replications.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Number of replications.
    pub replications: u64,
    /// Per-replication availability (fraction of measured time up).
    pub availability: Welford,
    /// Per-replication downtime, minutes per year.
    pub downtime_minutes_per_year: Welford,
    /// Per-replication outages per year.
    pub incidents_per_year: Welford,
    /// Per-replication component failures (whole run).
    pub component_failures: Welford,
    /// Per-replication indicator of being up at the horizon (point
    /// availability at the horizon).
    pub up_at_end: Welford,
    /// Time to the first outage, over the replications that had one.
    pub first_failure_hours: Welford,
    /// Replications with no outage at all (censored first-failure times).
    pub no_failure_replications: u64,
    /// Downtime of each replication, minutes per year, sorted.
    pub downtime_sorted: Vec<f64>,
    /// Downtime of each replication, minutes per year, in replication
    /// order: for paired comparisons between designs run under one seed.
    pub downtime_by_replication: Vec<f64>,
    /// Outage lengths, hours, pooled over replications (mean outage time,
    /// MTTR as users see it).
    pub outage_hours: Welford,
    /// Outages by length, pooled (bins of
    /// [`OUTAGE_BIN_EDGES_MIN`](crate::measure::OUTAGE_BIN_EDGES_MIN)).
    pub outage_histogram: crate::measure::OutageHistogram,
    /// Total measured time, hours.
    pub observed_hours: f64,
    /// Total downtime, hours.
    pub downtime_hours: f64,
    /// Total outages.
    pub incidents: u64,
    /// Longest single outage, hours.
    pub longest_outage_hours: f64,
    /// Events processed, over all replications.
    pub events: u64,
    /// The digest of the run: replication digests combined in order.
    pub trace_hash: u64,
    /// Each replication's digest, in replication order.
    pub replication_hashes: Vec<u64>,
    /// For infrastructure systems: per-service, degraded and attribution
    /// estimates.
    pub system: Option<SystemSummary>,
    /// For request-level pools: what the requests met.
    pub requests: Option<RequestSummary>,
}

/// Estimates of a request-level run. There, the summary's availability is
/// the share of requests served in time in each replication.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestSummary {
    /// Requests that arrived after the warm-up, in all replications.
    pub arrived: u64,
    /// Failed requests by cause (in the order of `FailureCause::ALL`).
    pub failed: Vec<u64>,
    /// Requests answered with a fallback, over all replications.
    pub fallback: u64,
    /// Per replication: the share of requests answered with a fallback.
    pub fallback_share: Welford,
    /// Per replication: the share of requests served in time or answered
    /// with a fallback (availability including fallbacks).
    pub availability_with_fallback: Welford,
    /// Per replication: mean response time of served requests, seconds.
    pub mean_response_s: Welford,
    /// Per replication: attempts per request.
    pub attempts_per_request: Welford,
    /// Per replication: the share of server time busy.
    pub utilisation: Welford,
    /// Times the breaker opened, over all replications.
    pub breaker_opened: u64,
    /// Response times of every served request, pooled.
    pub latency: crate::request::LatencyHistogram,
}

/// Estimates that only infrastructure systems have.
#[derive(Clone, Debug, PartialEq)]
pub struct SystemSummary {
    /// Per service (in spec order): availability as seen from the entry.
    pub service_availability: Vec<Welford>,
    /// Per service: downtime, minutes per year.
    pub service_downtime_minutes_per_year: Vec<Welford>,
    /// Per service: outage lengths in hours, pooled (its MTTR as seen from
    /// where clients enter).
    pub service_outage_hours: Vec<Welford>,
    /// Per quorum service: read and write availability.
    pub service_quorum: Vec<Option<(Welford, Welford)>>,
    /// Per active-passive service with data: what its writes met.
    pub service_writes: Vec<Option<WriteSummary>>,
    /// Degraded time of the entry point, minutes per year.
    pub degraded_minutes_per_year: Welford,
    /// Request-based availability: the share of client requests served.
    pub request_availability: Welford,
    /// Per fault (in spec order): entry downtime charged to it, minutes per
    /// year.
    pub attributed_minutes_per_year: Vec<Welford>,
    /// Per component slot ([`crate::system::spec::SystemSpec::component_slots`]):
    /// entry downtime charged to it, minutes per year.
    pub component_minutes_per_year: Vec<Welford>,
    /// Per fault: occurrences that took effect, per year.
    pub occurrences_per_year: Vec<Welford>,
    /// Failovers to another instance, per year.
    pub failovers_per_year: Welford,
    /// Promotions of a standby that suspected a healthy active instance,
    /// per year.
    pub needless_failovers_per_year: Welford,
    /// Planned switchovers back to the first instance, per year.
    pub failbacks_per_year: Welford,
    /// Acknowledged writes lost, per year.
    pub lost_writes_per_year: Welford,
    /// Events that lost writes, per year.
    pub loss_events_per_year: Welford,
    /// Per replication: 1 if it lost no write at all, else 0.
    pub no_loss: Welford,
    /// Time with two writable primaries, minutes per year.
    pub split_brain_minutes_per_year: Welford,
    /// Split brains per year.
    pub split_brains_per_year: Welford,
    /// The worst window of writes lost at once, hours, over all
    /// replications.
    pub worst_rpo_hours: f64,
    /// Per service: its own failovers, needless failovers, writes lost
    /// and loss events, per year, and its worst recovery point (hours,
    /// over all replications).
    pub service_data: Vec<ServiceDataSummary>,
    /// Per cost component (in the order of
    /// [`CostComponent::ALL`](crate::system::cost::CostComponent::ALL)):
    /// its amount per year.
    pub cost_per_year: Vec<Welford>,
    /// The total cost per year.
    pub cost_total_per_year: Welford,
    /// The random part of the cost per year (incidents, repairs, credits,
    /// downtime).
    pub cost_random_per_year: Welford,
    /// The total cost per year of each replication, in replication order:
    /// for paired comparisons between designs run under one seed.
    pub cost_total_by_replication: Vec<f64>,
}

/// Estimates of one active-passive service's writes, one value per
/// replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WriteSummary {
    /// The share of measured time writes were accepted.
    pub availability: Welford,
    /// The mean write latency while writes were accepted, ms (replications
    /// that accepted no write add nothing).
    pub latency_ms: Welford,
    /// Writes refused while stalled, per year.
    pub refused_per_year: Welford,
}

/// Estimates of one service's failovers and data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceDataSummary {
    /// Failovers to another of its instances, per year.
    pub failovers_per_year: Welford,
    /// Promotions of a standby that suspected a healthy active instance,
    /// per year.
    pub needless_failovers_per_year: Welford,
    /// Acknowledged writes lost, per year.
    pub lost_writes_per_year: Welford,
    /// Events that lost writes, per year.
    pub loss_events_per_year: Welford,
    /// The worst window of writes lost at once, hours, over all
    /// replications.
    pub worst_rpo_hours: f64,
    /// Instances its autoscaler ran, on average over the measured span
    /// (zero without autoscaling).
    pub instances_running: Welford,
    /// Its autoscaler's scaling actions, per year.
    pub scaling_actions_per_year: Welford,
    /// Leader elections begun, per year (leader-based quorum stores).
    pub elections_per_year: Welford,
}

impl SystemSummary {
    fn new(services: usize, faults: usize, components: usize) -> Self {
        SystemSummary {
            service_availability: vec![Welford::new(); services],
            service_downtime_minutes_per_year: vec![Welford::new(); services],
            service_outage_hours: vec![Welford::new(); services],
            service_quorum: vec![None; services],
            service_writes: vec![None; services],
            degraded_minutes_per_year: Welford::new(),
            request_availability: Welford::new(),
            attributed_minutes_per_year: vec![Welford::new(); faults],
            component_minutes_per_year: vec![Welford::new(); components],
            occurrences_per_year: vec![Welford::new(); faults],
            failovers_per_year: Welford::new(),
            needless_failovers_per_year: Welford::new(),
            failbacks_per_year: Welford::new(),
            lost_writes_per_year: Welford::new(),
            loss_events_per_year: Welford::new(),
            no_loss: Welford::new(),
            split_brain_minutes_per_year: Welford::new(),
            split_brains_per_year: Welford::new(),
            worst_rpo_hours: 0.0,
            service_data: vec![ServiceDataSummary::default(); services],
            cost_per_year: vec![Welford::new(); crate::system::cost::CostComponent::ALL.len()],
            cost_total_per_year: Welford::new(),
            cost_random_per_year: Welford::new(),
            cost_total_by_replication: Vec::new(),
        }
    }

    fn push(
        &mut self,
        m: &crate::system::model::SystemMeasures,
        observed_hours: f64,
        run_hours: f64,
    ) {
        let per_year = |hours: f64| {
            if observed_hours > 0.0 {
                hours * 60.0 * HOURS_PER_YEAR / observed_hours
            } else {
                0.0
            }
        };
        for (i, svc) in m.services.iter().enumerate() {
            self.service_availability[i].push(svc.availability());
            self.service_downtime_minutes_per_year[i].push(svc.downtime_minutes_per_year());
            self.service_outage_hours[i].merge(svc.outages());
            if let Some(Some((r, w))) = m.quorum.get(i) {
                let (rw, ww) =
                    self.service_quorum[i].get_or_insert_with(|| (Welford::new(), Welford::new()));
                rw.push(r.availability());
                ww.push(w.availability());
            }
        }
        let years = observed_hours / HOURS_PER_YEAR;
        for (w, m) in self.service_writes.iter_mut().zip(&m.writes) {
            let Some(m) = m else { continue };
            let w = w.get_or_insert_with(WriteSummary::default);
            w.availability.push(m.availability.availability());
            if let Some(ms) = m.mean_latency_ms() {
                w.latency_ms.push(ms);
            }
            w.refused_per_year
                .push(if years > 0.0 { m.refused / years } else { 0.0 });
        }
        self.degraded_minutes_per_year
            .push(per_year(m.degraded_hours));
        self.request_availability.push(if observed_hours > 0.0 {
            (m.served_hours / observed_hours).min(1.0)
        } else {
            1.0
        });
        for (w, &h) in self
            .attributed_minutes_per_year
            .iter_mut()
            .zip(&m.attributed_hours)
        {
            w.push(per_year(h));
        }
        for (w, &h) in self
            .component_minutes_per_year
            .iter_mut()
            .zip(&m.attributed_component_hours)
        {
            w.push(per_year(h));
        }
        let per_year_count = |n: u64| if years > 0.0 { n as f64 / years } else { 0.0 };
        self.failovers_per_year.push(per_year_count(m.failovers));
        self.needless_failovers_per_year
            .push(per_year_count(m.needless_failovers));
        self.failbacks_per_year.push(per_year_count(m.failbacks));
        self.lost_writes_per_year
            .push(per_year_count(m.lost_writes));
        self.loss_events_per_year
            .push(per_year_count(m.loss_events));
        self.no_loss
            .push(if m.loss_events == 0 { 1.0 } else { 0.0 });
        self.split_brain_minutes_per_year
            .push(per_year(m.split_brain_hours));
        self.split_brains_per_year
            .push(per_year_count(m.split_brains));
        self.worst_rpo_hours = self.worst_rpo_hours.max(m.worst_rpo_hours);
        for (w, d) in self.service_data.iter_mut().zip(&m.service_data) {
            w.failovers_per_year.push(per_year_count(d.failovers));
            w.needless_failovers_per_year
                .push(per_year_count(d.needless_failovers));
            w.lost_writes_per_year.push(per_year_count(d.lost_writes));
            w.loss_events_per_year.push(per_year_count(d.loss_events));
            w.worst_rpo_hours = w.worst_rpo_hours.max(d.worst_rpo_hours);
            w.instances_running.push(if observed_hours > 0.0 {
                d.instance_hours / observed_hours
            } else {
                0.0
            });
            w.scaling_actions_per_year
                .push(per_year_count(d.scaling_actions));
            w.elections_per_year.push(per_year_count(d.elections));
        }
        for (w, (_, x)) in self.cost_per_year.iter_mut().zip(m.cost.iter()) {
            w.push(x);
        }
        let total = m.cost.total();
        self.cost_total_per_year.push(total);
        self.cost_random_per_year.push(m.cost.random());
        self.cost_total_by_replication.push(total);
        for (w, &n) in self.occurrences_per_year.iter_mut().zip(&m.occurrences) {
            w.push(if run_hours > 0.0 {
                n as f64 * HOURS_PER_YEAR / run_hours
            } else {
                0.0
            });
        }
    }
}

impl Default for Summary {
    fn default() -> Self {
        Summary::new()
    }
}

impl Summary {
    /// Folds `results`, which must be in replication order.
    pub fn from_results(results: &[ReplicationResult]) -> Self {
        let mut s = Summary::new();
        s.reserve(results.len());
        for r in results {
            s.push(r);
        }
        s.finish();
        s
    }

    /// An empty summary, to [`push`](Summary::push) replications into one
    /// at a time (so that a run need not keep them) and then
    /// [`finish`](Summary::finish): the same figures as
    /// [`Summary::from_results`] over the same replications in the same
    /// order.
    pub fn new() -> Self {
        Summary {
            replications: 0,
            availability: Welford::new(),
            downtime_minutes_per_year: Welford::new(),
            incidents_per_year: Welford::new(),
            component_failures: Welford::new(),
            up_at_end: Welford::new(),
            first_failure_hours: Welford::new(),
            no_failure_replications: 0,
            downtime_sorted: Vec::new(),
            downtime_by_replication: Vec::new(),
            outage_hours: Welford::new(),
            outage_histogram: Default::default(),
            observed_hours: 0.0,
            downtime_hours: 0.0,
            incidents: 0,
            longest_outage_hours: 0.0,
            events: 0,
            trace_hash: 0,
            replication_hashes: Vec::new(),
            system: None,
            requests: None,
        }
    }

    fn reserve(&mut self, replications: usize) {
        self.downtime_by_replication.reserve(replications);
        self.replication_hashes.reserve(replications);
    }

    /// Folds in the next replication, `r.replication` equal to the number
    /// pushed so far (replication order). What is kept of it is three
    /// numbers (its downtime, for quantiles and paired comparisons, and its
    /// digest); the rest is folded into running sums.
    pub fn push(&mut self, r: &ReplicationResult) {
        let s = self;
        {
            debug_assert_eq!(r.replication, s.replications, "results out of order");
            s.replications += 1;
            let m = &r.measures;
            let downtime = match &r.requests {
                None => {
                    s.availability.push(m.availability());
                    m.downtime_minutes_per_year()
                }
                Some(q) => {
                    // Request-level: the share served, and its complement
                    // as an error budget in minutes per year.
                    let a = q.availability();
                    s.availability.push(a);
                    s.downtime_hours += (1.0 - a) * m.observed_hours();
                    let rs = s.requests.get_or_insert_with(|| RequestSummary {
                        arrived: 0,
                        failed: vec![0; crate::request::FailureCause::ALL.len()],
                        fallback: 0,
                        fallback_share: Welford::new(),
                        availability_with_fallback: Welford::new(),
                        mean_response_s: Welford::new(),
                        attempts_per_request: Welford::new(),
                        utilisation: Welford::new(),
                        breaker_opened: 0,
                        latency: crate::request::LatencyHistogram::new(),
                    });
                    rs.arrived += q.arrived();
                    for (n, cause) in rs.failed.iter_mut().zip(crate::request::FailureCause::ALL) {
                        *n += q.failed(cause);
                    }
                    rs.fallback += q.fallback();
                    rs.fallback_share.push(q.fallback_share());
                    rs.availability_with_fallback
                        .push(q.availability_with_fallback());
                    if q.served() > 0 {
                        rs.mean_response_s.push(q.mean_response_s());
                    }
                    rs.attempts_per_request.push(q.attempts_per_request());
                    rs.utilisation.push(q.utilisation());
                    rs.breaker_opened += q.breaker_opened();
                    rs.latency.merge(q.latency());
                    (1.0 - a) * HOURS_PER_YEAR * 60.0
                }
            };
            s.downtime_minutes_per_year.push(downtime);
            s.downtime_by_replication.push(downtime);
            s.incidents_per_year.push(m.incidents_per_year());
            s.component_failures.push(m.component_failures() as f64);
            s.up_at_end.push(if m.up_at_end() { 1.0 } else { 0.0 });
            match m.first_failure() {
                Some(t) => s.first_failure_hours.push(t.as_hours_f64()),
                None => s.no_failure_replications += 1,
            }
            s.observed_hours += m.observed_hours();
            s.downtime_hours += m.downtime_hours();
            s.incidents += m.incidents();
            s.longest_outage_hours = s.longest_outage_hours.max(m.longest_outage_hours());
            s.outage_hours.merge(m.outages());
            for (total, n) in s.outage_histogram.iter_mut().zip(m.outage_histogram()) {
                *total += n;
            }
            s.events += r.events;
            s.replication_hashes.push(r.trace_hash);
            if let Some(sm) = &r.system {
                let run_hours = m.observed_hours() + m.warmup_hours();
                s.system
                    .get_or_insert_with(|| {
                        SystemSummary::new(
                            sm.services.len(),
                            sm.attributed_hours.len(),
                            sm.attributed_component_hours.len(),
                        )
                    })
                    .push(sm, m.observed_hours(), run_hours);
            }
        }
    }

    /// Completes the figures that need every replication: the sorted
    /// downtimes and the run's digest. Call it after the last
    /// [`push`](Summary::push).
    pub fn finish(&mut self) {
        self.downtime_by_replication
            .clone_into(&mut self.downtime_sorted);
        self.downtime_sorted.sort_by(f64::total_cmp);
        self.trace_hash = combine_trace_hashes(self.replication_hashes.iter().copied());
    }

    /// True when no replication saw any downtime.
    pub fn zero_downtime(&self) -> bool {
        self.downtime_hours == 0.0
    }

    /// The estimate of a per-replication measure at `confidence`, or `None`
    /// with fewer than two replications.
    pub fn estimate(w: &Welford, confidence: f64) -> Option<Estimate> {
        Estimate::from_welford(w, confidence)
    }

    /// With no outage observed: an upper bound on outages per year at
    /// `confidence`, from the total measured time (the exact Poisson bound,
    /// about 3 / years at 95%).
    pub fn incident_rate_upper_bound(&self, confidence: f64) -> f64 {
        zero_event_upper_bound(self.observed_hours / HOURS_PER_YEAR, confidence)
    }

    /// With no outage observed: an upper bound on downtime in minutes per
    /// year, the outage-rate bound times `typical_outage_hours` (callers
    /// pass a conservative typical outage, such as the slowest mean repair),
    /// and never more than a whole year: downtime is a fraction of the time,
    /// so a bound past 525,600 minutes a year says nothing more.
    pub fn downtime_upper_bound(&self, confidence: f64, typical_outage_hours: f64) -> f64 {
        let bound = self.incident_rate_upper_bound(confidence) * typical_outage_hours * 60.0;
        bound.min(60.0 * HOURS_PER_YEAR)
    }

    /// The `p` quantile of per-replication downtime, minutes per year.
    pub fn downtime_quantile(&self, p: f64) -> f64 {
        if self.downtime_sorted.is_empty() {
            0.0
        } else {
            quantile(&self.downtime_sorted, p)
        }
    }

    /// Mean time between outages as users see it, in hours: measured up
    /// time divided by outages, pooled; `None` without outages.
    pub fn mtbf_hours(&self) -> Option<f64> {
        (self.incidents > 0)
            .then(|| (self.observed_hours - self.downtime_hours) / self.incidents as f64)
    }

    /// Mean outage length in hours, pooled, if there was any outage.
    pub fn mean_outage_hours(&self) -> Option<f64> {
        (self.incidents > 0).then(|| self.downtime_hours / self.incidents as f64)
    }

    /// A digest of the summary's headline figures, for regression tests.
    pub fn fingerprint(&self) -> u64 {
        let mut h = StableHasher::new();
        h.write_u64(self.replications)
            .write_u64(self.events)
            .write_u64(self.trace_hash)
            .write_u64(self.availability.mean().to_bits());
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};
    use crate::replicate::{Horizon, simulate};
    use sim_core::dist::Dist;
    use sim_core::time::SimDuration;

    fn spec(mttf_h: u64) -> KofNSpec {
        KofNSpec {
            name: "s".into(),
            components: (0..3)
                .map(|i| ComponentSpec {
                    name: format!("n{i}"),
                    failure: Dist::exponential_mean(SimDuration::from_hours(mttf_h)).unwrap(),
                    repair: Dist::exponential_mean(SimDuration::from_hours(10)).unwrap(),
                })
                .collect(),
            min_up: 2,
            crews: Crews::Dedicated,
            while_down: WhileDown::KeepRunning,
        }
    }

    fn results(mttf_h: u64, n: u64) -> Vec<ReplicationResult> {
        let h = Horizon::new(SimDuration::from_years(1), SimDuration::ZERO);
        let spec = crate::spec::ModelSpec::KofN(spec(mttf_h));
        (0..n).map(|r| simulate(&spec, 1, r, h, None)).collect()
    }

    #[test]
    fn pools_replications_in_order() {
        let rs = results(1000, 20);
        let s = Summary::from_results(&rs);
        assert_eq!(s.replications, 20);
        assert_eq!(s.events, rs.iter().map(|r| r.events).sum::<u64>());
        assert_eq!(s.downtime_sorted.len(), 20);
        assert!(s.downtime_sorted.windows(2).all(|w| w[0] <= w[1]));
        let est = Summary::estimate(&s.availability, 0.95).unwrap();
        assert!(est.ci_low <= est.mean && est.mean <= est.ci_high);
    }

    #[test]
    fn zero_downtime_gives_bounds_not_certainty() {
        let s = Summary::from_results(&results(100_000_000, 10));
        assert!(s.zero_downtime());
        let rate = s.incident_rate_upper_bound(0.95);
        assert!((rate - 2.995_732_273_553_991 / 10.0).abs() < 1e-9, "{rate}");
        assert!(s.downtime_upper_bound(0.95, 10.0) > 0.0);
        assert_eq!(s.mean_outage_hours(), None);
    }

    #[test]
    fn the_zero_downtime_bound_never_passes_a_year() {
        // Two hours observed and a typical outage of a month: the raw bound
        // is thousands of years of downtime a year.
        let spec = crate::spec::ModelSpec::KofN(spec(100_000_000));
        let h = Horizon::new(SimDuration::from_secs(3600), SimDuration::ZERO);
        let rs: Vec<_> = (0..2).map(|r| simulate(&spec, 1, r, h, None)).collect();
        let s = Summary::from_results(&rs);
        assert!(s.zero_downtime());
        assert!(s.incident_rate_upper_bound(0.95) * 720.0 * 60.0 > 60.0 * HOURS_PER_YEAR);
        assert_eq!(s.downtime_upper_bound(0.95, 720.0), 60.0 * HOURS_PER_YEAR);
        assert!(s.downtime_upper_bound(0.95, 0.001) < 60.0 * HOURS_PER_YEAR);
    }
}
