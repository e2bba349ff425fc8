//! What one request-level replication measures. Memory is constant whatever
//! the run's length: counters, Welford accumulators, two time integrals and
//! a fixed-size latency histogram.

use sim_core::stats::Welford;
use sim_core::time::SimTime;

use super::sketch::LatencyHistogram;

/// Why a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailureCause {
    /// Its last attempt timed out, and no retry was allowed (attempts
    /// exhausted, retry budget empty, or the deadline reached).
    Timeout,
    /// It completed, but after its deadline.
    Deadline,
    /// The circuit breaker was open (or half-open with its probes out).
    CircuitOpen,
    /// No instance was up to take its last attempt.
    NoInstance,
    /// Its last attempt found the instance's queue full.
    Overload,
    /// Its last attempt was queued or in service on an instance that
    /// failed ([`InstanceFaults`](super::InstanceFaults)).
    InstanceDown,
    /// Its last attempt was sent to an instance that had failed but that
    /// the balancer's health checks had not yet caught
    /// ([`HealthCheck`](super::HealthCheck)).
    HealthCheckLag,
    /// Its last attempt finished its service while the pool's hard
    /// dependency was down ([`DependencySpec`](super::DependencySpec)).
    DependencyDown,
}

impl FailureCause {
    /// Every cause, in a fixed order (the order of [`RequestMeasures::failed`]);
    /// new causes are added at the end.
    pub const ALL: [FailureCause; 8] = [
        FailureCause::Timeout,
        FailureCause::Deadline,
        FailureCause::CircuitOpen,
        FailureCause::NoInstance,
        FailureCause::Overload,
        FailureCause::InstanceDown,
        FailureCause::HealthCheckLag,
        FailureCause::DependencyDown,
    ];

    /// A short name, as reported.
    pub fn name(self) -> &'static str {
        match self {
            FailureCause::Timeout => "timeout",
            FailureCause::Deadline => "deadline",
            FailureCause::CircuitOpen => "circuit open",
            FailureCause::NoInstance => "no instance",
            FailureCause::Overload => "overload",
            FailureCause::InstanceDown => "instance down",
            FailureCause::HealthCheckLag => "health-check lag",
            FailureCause::DependencyDown => "dependency down",
        }
    }
}

/// The measures of one replication of a request-level pool.
///
/// Requests are counted, and their outcome recorded, when their first
/// attempt arrives at or after the warm-up; attempts, waits and dispatches
/// are counted when the attempt itself starts at or after it; the time
/// averages run from the warm-up to the horizon. A request ends served,
/// failed, or answered with a fallback ([`RequestMeasures::fallback`]);
/// requests still in flight at the horizon are counted as arrived but none
/// of these ([`RequestMeasures::unfinished`]).
#[derive(Clone, Debug, PartialEq)]
pub struct RequestMeasures {
    pub(crate) warmup: SimTime,
    pub(crate) end: SimTime,
    pub(crate) servers: u32,
    pub(crate) arrived: u64,
    pub(crate) served: u64,
    pub(crate) failed: [u64; FailureCause::ALL.len()],
    pub(crate) fallback: u64,
    pub(crate) attempts: u64,
    pub(crate) retries: u64,
    pub(crate) services: u64,
    pub(crate) waited: u64,
    pub(crate) waited_over: u64,
    pub(crate) skipped: u64,
    pub(crate) wasted: u64,
    pub(crate) breaker_opened: u64,
    pub(crate) response: Welford,
    pub(crate) wait: Welford,
    pub(crate) latency: LatencyHistogram,
    pub(crate) dispatched: Vec<u64>,
    /// ∫ (attempts in system) dt from the warm-up, in attempt-microseconds.
    pub(crate) in_system_us: u128,
    /// ∫ (busy servers) dt from the warm-up, in server-microseconds.
    pub(crate) busy_us: u128,
    /// Time the dependency was down from the warm-up, microseconds.
    pub(crate) dependency_down_us: u64,
    /// The longest any queue grew, warm-up included.
    pub(crate) queue_high_water: u64,
}

impl RequestMeasures {
    pub(crate) fn new(warmup: SimTime, instances: usize, servers: u32) -> Self {
        RequestMeasures {
            warmup,
            end: warmup,
            servers,
            arrived: 0,
            served: 0,
            failed: [0; FailureCause::ALL.len()],
            fallback: 0,
            attempts: 0,
            retries: 0,
            services: 0,
            waited: 0,
            waited_over: 0,
            skipped: 0,
            wasted: 0,
            breaker_opened: 0,
            response: Welford::new(),
            wait: Welford::new(),
            latency: LatencyHistogram::new(),
            dispatched: vec![0; instances],
            in_system_us: 0,
            busy_us: 0,
            dependency_down_us: 0,
            queue_high_water: 0,
        }
    }

    /// The most attempts that waited at once in any one queue (not counting
    /// those in service), over the whole run, warm-up included: never more
    /// than the queue's limit ([`DEFAULT_QUEUE_LIMIT`](super::DEFAULT_QUEUE_LIMIT)
    /// unless the instance sets its own).
    pub fn queue_high_water(&self) -> u64 {
        self.queue_high_water
    }

    /// Requests whose first attempt arrived at or after the warm-up.
    pub fn arrived(&self) -> u64 {
        self.arrived
    }

    /// Requests completed within their deadline (all completed requests if
    /// there is no deadline).
    pub fn served(&self) -> u64 {
        self.served
    }

    /// Requests that failed for `cause`.
    pub fn failed(&self, cause: FailureCause) -> u64 {
        self.failed[cause as usize]
    }

    /// Requests that failed, for any cause.
    pub fn failed_total(&self) -> u64 {
        self.failed.iter().sum()
    }

    /// Requests answered with a degraded fallback
    /// ([`ClientPolicy::fallback`](super::ClientPolicy::fallback)): the
    /// breaker was open, or the attempt finished while a soft dependency
    /// was down. Neither served nor failed; their response times are not
    /// recorded.
    pub fn fallback(&self) -> u64 {
        self.fallback
    }

    /// Requests still in flight at the horizon.
    pub fn unfinished(&self) -> u64 {
        self.arrived - self.served - self.failed_total() - self.fallback
    }

    /// Request-based availability: the share of arrived requests served
    /// within their deadline. Requests in flight at the horizon count as
    /// not served (a conservative choice; they are few in a long run).
    /// NaN if none arrived.
    pub fn availability(&self) -> f64 {
        self.served as f64 / self.arrived as f64
    }

    /// The share of arrived requests answered with a fallback. NaN if none
    /// arrived.
    pub fn fallback_share(&self) -> f64 {
        self.fallback as f64 / self.arrived as f64
    }

    /// Availability including fallbacks: the share of arrived requests
    /// served within their deadline or answered with a fallback. NaN if
    /// none arrived.
    pub fn availability_with_fallback(&self) -> f64 {
        (self.served + self.fallback) as f64 / self.arrived as f64
    }

    /// The share of time from the warm-up to the horizon that the pool's
    /// dependency was down (zero without a dependency).
    pub fn dependency_unavailability(&self) -> f64 {
        self.dependency_down_us as f64 / self.observed_us() as f64
    }

    /// Attempts made (first attempts and retries) from the warm-up on,
    /// including those rejected at once by the breaker or the balancer.
    pub fn attempts(&self) -> u64 {
        self.attempts
    }

    /// Retries made from the warm-up on.
    pub fn retries(&self) -> u64 {
        self.retries
    }

    /// Attempts per arrived request: 1 without retries; the amplification
    /// of the offered load by retries. NaN if none arrived.
    pub fn attempts_per_request(&self) -> f64 {
        self.attempts as f64 / self.arrived as f64
    }

    /// Attempts that started service from the warm-up on.
    pub fn services(&self) -> u64 {
        self.services
    }

    /// Services spent on attempts the client had already given up on
    /// (timed out), counted at their completion: wasted capacity.
    pub fn wasted_services(&self) -> u64 {
        self.wasted
    }

    /// Abandoned attempts an instance skipped instead of serving them
    /// (only with [`RequestSpec::skip_abandoned`](super::RequestSpec::skip_abandoned)).
    pub fn skipped_abandoned(&self) -> u64 {
        self.skipped
    }

    /// How many times the circuit breaker opened.
    pub fn breaker_opened(&self) -> u64 {
        self.breaker_opened
    }

    /// Mean response time of completed requests (served or late), from the
    /// first attempt's arrival to the completion, in seconds.
    pub fn mean_response_s(&self) -> f64 {
        self.response.mean()
    }

    /// The response times' accumulator, in seconds.
    pub fn response(&self) -> &Welford {
        &self.response
    }

    /// Mean time an attempt waited in queue before its service started, in
    /// seconds.
    pub fn mean_wait_s(&self) -> f64 {
        self.wait.mean()
    }

    /// The waiting times' accumulator, in seconds.
    pub fn wait(&self) -> &Welford {
        &self.wait
    }

    /// The share of served attempts that waited at all: `P(wait > 0)`.
    pub fn prob_wait(&self) -> f64 {
        self.waited as f64 / self.services as f64
    }

    /// The share of served attempts that waited longer than the spec's
    /// `wait_threshold`: `P(wait > t)`.
    pub fn prob_wait_over(&self) -> f64 {
        self.waited_over as f64 / self.services as f64
    }

    /// The time-average number of attempts in the pool (waiting or in
    /// service) from the warm-up to the horizon.
    pub fn mean_in_system(&self) -> f64 {
        self.in_system_us as f64 / self.observed_us() as f64
    }

    /// The time-average share of servers busy from the warm-up to the
    /// horizon (abandoned attempts still in service count as busy).
    pub fn utilisation(&self) -> f64 {
        self.busy_us as f64 / (self.observed_us() as f64 * self.servers as f64)
    }

    /// The `p` quantile of the response time of completed requests, in
    /// seconds, from the streaming histogram: within
    /// [`RELATIVE_ERROR`](super::sketch::RELATIVE_ERROR) of the exact
    /// order statistic. NaN if no request completed.
    pub fn response_quantile_s(&self, p: f64) -> f64 {
        self.latency.quantile_s(p).unwrap_or(f64::NAN)
    }

    /// The response-time histogram (microseconds).
    pub fn latency(&self) -> &LatencyHistogram {
        &self.latency
    }

    /// Attempts sent to each instance from the warm-up on, by instance
    /// index (under a central queue: attempts that started service there).
    pub fn dispatched(&self) -> &[u64] {
        &self.dispatched
    }

    /// Microseconds from the warm-up to the horizon.
    pub fn observed_us(&self) -> u64 {
        self.end.as_micros().saturating_sub(self.warmup.as_micros())
    }
}
