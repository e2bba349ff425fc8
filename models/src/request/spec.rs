//! The plain data that describes a request-level pool: arrivals, instances,
//! the balancer's dispatch policy, a downstream dependency, and the
//! clients' deadline, timeout, retry, circuit-breaker and fallback
//! policies.

use sim_core::dist::Dist;
use sim_core::time::SimDuration;

/// A pool of instances behind a load balancer, and the clients that call
/// it, ready to be simulated request by request.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestSpec {
    /// A stable name: it keys the client-side random streams (arrivals,
    /// dispatch, retry jitter).
    pub name: String,
    /// How requests arrive.
    pub arrivals: Arrivals,
    /// The instances, in a stable order (their index is their id).
    pub instances: Vec<InstanceSpec>,
    /// How the balancer picks an instance for each attempt.
    pub dispatch: Dispatch,
    /// What the clients do: deadline, timeout, retries, circuit breaker.
    pub client: ClientPolicy,
    /// When an instance takes the next attempt from its queue, it skips
    /// attempts the client has already given up on (a server that honours
    /// cancellation or a propagated deadline). When `false`, abandoned
    /// attempts are still served, which wastes capacity: the mechanism of a
    /// retry storm.
    pub skip_abandoned: bool,
    /// The threshold `t` of the measured probability `P(wait > t)`.
    pub wait_threshold: SimDuration,
    /// The balancer's health checks of instances with [`InstanceFaults`].
    /// `None`: the balancer learns of a failure or a repair at once.
    pub health_check: Option<HealthCheck>,
    /// A downstream service the instances call while serving (a
    /// database, say), with faults of its own. `None`: nothing beyond the
    /// pool can fail a request.
    pub dependency: Option<DependencySpec>,
}

impl RequestSpec {
    /// A pool of `instances` fed by `arrivals` under `dispatch`, with no
    /// deadline, timeout, retry or breaker, abandoned attempts served, and
    /// a wait threshold of 100 ms.
    pub fn new(
        name: impl Into<String>,
        arrivals: Arrivals,
        instances: Vec<InstanceSpec>,
        dispatch: Dispatch,
    ) -> Self {
        RequestSpec {
            name: name.into(),
            arrivals,
            instances,
            dispatch,
            client: ClientPolicy::default(),
            skip_abandoned: false,
            wait_threshold: SimDuration::from_millis(100),
            health_check: None,
            dependency: None,
        }
    }

    /// Checks the spec's invariants.
    pub fn validate(&self) -> Result<(), RequestSpecError> {
        self.arrivals.validate()?;
        if self.instances.is_empty() {
            return Err(RequestSpecError::NoInstances);
        }
        if self.instances.len() > (u32::MAX / 2) as usize {
            return Err(RequestSpecError::TooManyInstances);
        }
        let mut names: Vec<&str> = self.instances.iter().map(|i| i.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(RequestSpecError::DuplicateInstance(w[0].to_string()));
        }
        if names.contains(&self.name.as_str()) {
            return Err(RequestSpecError::DuplicateInstance(self.name.clone()));
        }
        if let Some(i) = self.instances.iter().find(|i| i.concurrency == 0) {
            return Err(RequestSpecError::NoServers(i.name.clone()));
        }
        let servers: u64 = self.instances.iter().map(|i| i.concurrency as u64).sum();
        if servers >= u32::MAX as u64 {
            return Err(RequestSpecError::TooManyInstances);
        }
        if let Some(i) = self.instances.iter().find(|i| {
            i.faults
                .as_ref()
                .is_some_and(|f| !(f.failure.mean_hours() > 0.0 && f.repair.mean_hours() > 0.0))
        }) {
            return Err(RequestSpecError::BadFaults(i.name.clone()));
        }
        if let Some(h) = &self.health_check
            && (h.interval.is_zero() || h.unhealthy_threshold == 0 || h.healthy_threshold == 0)
        {
            return Err(RequestSpecError::BadHealthCheck);
        }
        if let Dispatch::ConsistentHashing { virtual_nodes: 0 } = self.dispatch {
            return Err(RequestSpecError::NoVirtualNodes);
        }
        if let Some(d) = &self.dependency {
            if d.name == self.name || names.binary_search(&d.name.as_str()).is_ok() {
                return Err(RequestSpecError::DuplicateInstance(d.name.clone()));
            }
            if !(d.failure.mean_hours() > 0.0 && d.repair.mean_hours() > 0.0) {
                return Err(RequestSpecError::BadDependency(d.name.clone()));
            }
            if d.soft && !self.client.fallback {
                return Err(RequestSpecError::SoftWithoutFallback(d.name.clone()));
            }
        }
        self.client.validate()
    }

    /// The number of servers in the pool (the sum of the concurrencies).
    pub fn servers(&self) -> u32 {
        self.instances.iter().map(|i| i.concurrency).sum()
    }

    /// The long-run mean arrival rate, requests per second.
    pub fn mean_arrival_rate_per_s(&self) -> f64 {
        self.arrivals.mean_rate_per_s()
    }

    /// The offered load of first attempts as a fraction of the capacity
    /// of the instances that are up: `λ · E[S] / servers`, averaged over
    /// instances by their share of servers. Retries add to it.
    pub fn utilisation(&self) -> f64 {
        let capacity_per_s: f64 = self
            .instances
            .iter()
            .filter(|i| i.up)
            .map(|i| i.concurrency as f64 / (i.service.mean_hours() * 3600.0))
            .sum();
        self.mean_arrival_rate_per_s() / capacity_per_s
    }
}

/// How requests arrive at the balancer.
#[derive(Clone, Debug, PartialEq)]
pub enum Arrivals {
    /// A Poisson process: exponential gaps between arrivals.
    Poisson {
        /// Mean arrivals per second.
        rate_per_s: f64,
    },
    /// A non-homogeneous Poisson process whose rate is piecewise constant
    /// and repeats with `period` (a daily curve with its peaks and spikes,
    /// say). Arrival times are drawn exactly, by inverting the integrated
    /// rate (no thinning).
    Periodic {
        /// The length of one cycle.
        period: SimDuration,
        /// Where each rate starts within the cycle, in increasing offsets;
        /// the first starts at zero and each holds until the next (the last
        /// until the end of the period).
        points: Vec<RatePoint>,
    },
}

/// One step of a piecewise-constant arrival rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RatePoint {
    /// Where the step starts, from the start of the cycle.
    pub offset: SimDuration,
    /// Mean arrivals per second during the step (zero is allowed).
    pub rate_per_s: f64,
}

impl Arrivals {
    /// The long-run mean arrival rate, requests per second.
    pub fn mean_rate_per_s(&self) -> f64 {
        match self {
            Arrivals::Poisson { rate_per_s } => *rate_per_s,
            Arrivals::Periodic { period, points } => {
                let p = period.as_micros() as f64;
                let mut sum = 0.0;
                for (k, point) in points.iter().enumerate() {
                    let end = points.get(k + 1).map_or(p, |n| n.offset.as_micros() as f64);
                    sum += point.rate_per_s * (end - point.offset.as_micros() as f64);
                }
                sum / p
            }
        }
    }

    fn validate(&self) -> Result<(), RequestSpecError> {
        let finite = |r: f64| r.is_finite() && r >= 0.0;
        match self {
            Arrivals::Poisson { rate_per_s } => {
                if !(finite(*rate_per_s) && *rate_per_s > 0.0) {
                    return Err(RequestSpecError::BadRate(*rate_per_s));
                }
            }
            Arrivals::Periodic { period, points } => {
                if period.is_zero() || points.first().is_none_or(|p| !p.offset.is_zero()) {
                    return Err(RequestSpecError::BadRateCurve(
                        "the period must be positive and the first point at offset 0".into(),
                    ));
                }
                if let Some(p) = points.iter().find(|p| !finite(p.rate_per_s)) {
                    return Err(RequestSpecError::BadRate(p.rate_per_s));
                }
                if points.windows(2).any(|w| w[1].offset <= w[0].offset)
                    || points.last().is_some_and(|p| p.offset >= *period)
                {
                    return Err(RequestSpecError::BadRateCurve(
                        "offsets must increase and stay within the period".into(),
                    ));
                }
                if self.mean_rate_per_s() <= 0.0 {
                    return Err(RequestSpecError::BadRateCurve(
                        "the rate is zero over the whole period".into(),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// One instance of the pool: a FIFO queue in front of `concurrency`
/// parallel servers.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceSpec {
    /// A stable, unique name: it keys the instance's service-time stream
    /// and its points on a consistent-hashing ring.
    pub name: String,
    /// The number of requests it serves in parallel (at least 1).
    pub concurrency: u32,
    /// The time one server takes to serve one attempt.
    pub service: Dist,
    /// False for an instance that is down for the whole run: the balancer
    /// sends it nothing (as if its health checks had already failed). Its
    /// [`faults`](Self::faults), if any, are then ignored.
    pub up: bool,
    /// The most attempts that may wait in its queue (not counting those in
    /// service); an attempt that finds the queue full is rejected at once
    /// (cause [`FailureCause::Overload`](super::FailureCause::Overload)),
    /// as a real server refuses work past its backlog. `None` is the
    /// default cap, [`DEFAULT_QUEUE_LIMIT`], so that an overloaded pool's
    /// memory does not grow with the horizon. Under
    /// [`Dispatch::CentralQueue`] the shared queue holds at most the sum of
    /// the instances' limits.
    pub queue_limit: Option<u32>,
    /// Crashes and repairs of an instance that starts up; `None`: it stays
    /// up for the whole run.
    pub faults: Option<InstanceFaults>,
}

/// The most attempts that wait in one instance's queue when the instance
/// sets no [`queue_limit`](InstanceSpec::queue_limit) of its own: 65,536
/// (about 1 MiB of queue entries). An attempt that finds the queue full is
/// rejected as [`FailureCause::Overload`](super::FailureCause::Overload).
pub const DEFAULT_QUEUE_LIMIT: u32 = 65_536;

/// An instance's crashes and repairs: an alternating renewal process that
/// starts up, stays up for a time drawn from `failure`, then down for a
/// time drawn from `repair`, and so on. Times come from the streams
/// `(instance name, "failure")` and `(instance name, "repair")`.
///
/// While the instance is down the balancer does not pick it (as if its
/// health checks failed at once; see [`RequestSpec::health_check`] for
/// checks that take time). When it fails, the attempts queued on it
/// or in service there fail at once (cause
/// [`FailureCause::InstanceDown`](super::FailureCause::InstanceDown)) and
/// may be retried like any failed attempt; under
/// [`Dispatch::CentralQueue`] only the attempts in service on its servers
/// fail, unless no server of the pool is left up, in which case the shared
/// queue's attempts fail too. Attempts the client had already given up on
/// are dropped without counting.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceFaults {
    /// Time from a repair (or the start) to the next failure.
    pub failure: Dist,
    /// Time a failed instance takes to come back.
    pub repair: Dist,
}

impl InstanceSpec {
    /// An instance that is up, serves one request at a time with `service`
    /// and has the default queue limit ([`DEFAULT_QUEUE_LIMIT`]).
    pub fn new(name: impl Into<String>, service: Dist) -> Self {
        InstanceSpec {
            name: name.into(),
            concurrency: 1,
            service,
            up: true,
            queue_limit: None,
            faults: None,
        }
    }

    /// `n` identical instances named `instance-0`, `instance-1`, ...
    pub fn pool(n: u32, service: Dist) -> Vec<InstanceSpec> {
        (0..n)
            .map(|i| InstanceSpec::new(format!("instance-{i}"), service.clone()))
            .collect()
    }
}

/// A downstream service the pool's instances call while serving a request
/// (a database, a payment provider): an alternating renewal process that
/// starts up, stays up for a time drawn from `failure`, then down for a
/// time drawn from `repair`, and so on. Times come from the streams
/// `(name, "failure")` and `(name, "repair")`, so the name must differ
/// from the pool's and every instance's.
///
/// The dependency is consulted when an attempt finishes its service on an
/// instance. While it is down, a **hard** dependency fails the attempt
/// (cause [`FailureCause::DependencyDown`](super::FailureCause::DependencyDown)),
/// which counts against the circuit breaker and may be retried like any
/// failed attempt. A **soft** one lets the instance answer without it: the
/// request ends with a degraded answer, counted as a fallback
/// ([`RequestMeasures::fallback`](super::RequestMeasures::fallback)), not
/// as a failure nor as served (a late one still fails with
/// [`FailureCause::Deadline`](super::FailureCause::Deadline)). A soft
/// dependency therefore needs [`ClientPolicy::fallback`]: without a
/// degraded answer to give, it would behave as a hard one, and the spec is
/// rejected ([`RequestSpecError::SoftWithoutFallback`]).
#[derive(Clone, Debug, PartialEq)]
pub struct DependencySpec {
    /// A stable name, unique among the pool's and its instances' names: it
    /// keys the dependency's random streams.
    pub name: String,
    /// Time from a repair (or the start) to the next failure.
    pub failure: Dist,
    /// Time a failed dependency takes to come back.
    pub repair: Dist,
    /// Whether the instances can answer without it, degraded.
    pub soft: bool,
}

/// How the balancer picks an instance for each attempt. Instances that are
/// down are never picked; if none is up, the attempt fails at once (cause
/// [`FailureCause::NoInstance`](super::FailureCause::NoInstance)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dispatch {
    /// The instances that are up, in turn.
    RoundRobin,
    /// An instance that is up, uniformly at random.
    Random,
    /// The instance with the fewest attempts in system (waiting or in
    /// service); ties go to the lowest index. With concurrency 1 this is
    /// join-the-shortest-queue.
    LeastConnections,
    /// Two distinct instances at random; the one with fewer attempts in
    /// system, the first drawn on a tie.
    PowerOfTwo,
    /// Each attempt carries a random 64-bit key (a user or session id); the
    /// key's hash picks the first point at or after it on a ring holding
    /// `virtual_nodes` points per instance, and instances that are down
    /// are skipped (their keys go to the next instance on the ring).
    ConsistentHashing {
        /// Points per instance on the ring (at least 1; 100 or more gives
        /// an even spread).
        virtual_nodes: u32,
    },
    /// One FCFS queue shared by every server of every instance that is up:
    /// the M/M/c ideal. A free server takes the head of the queue; an
    /// arriving attempt that finds servers idle goes to the one idle
    /// longest (lowest index at the start).
    CentralQueue,
}

/// The balancer's health checks: it probes every instance once per
/// `interval` (each instance at its own phase, uniform in the first
/// interval, drawn from the stream `(instance name, "health-check")`), and
/// only changes its mind after a run of agreeing checks.
///
/// When an instance fails, the balancer keeps sending it attempts until
/// `unhealthy_threshold` checks in a row have failed; those attempts fail
/// at once (cause
/// [`FailureCause::HealthCheckLag`](super::FailureCause::HealthCheckLag))
/// and may be retried like any failed attempt. Under
/// [`Dispatch::LeastConnections`] a dead instance, holding no attempts,
/// even attracts them. When it is repaired, it gets no attempt until
/// `healthy_threshold` checks in a row have passed. A check strictly after
/// the change is the first to see it, so the lag after a failure is
/// `(unhealthy_threshold − U) · interval` with `U` uniform on (0, 1) (mean
/// `(unhealthy_threshold − 1/2) · interval`), unless the instance is
/// repaired first, and likewise after a repair.
///
/// Only instances with [`InstanceFaults`] change state, so only they are
/// checked (no event or draw for the others). Under
/// [`Dispatch::CentralQueue`] servers pull work from the shared queue, so
/// there is no lag: the checks are ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HealthCheck {
    /// Time between two checks of an instance (positive).
    pub interval: SimDuration,
    /// Failed checks in a row that take an instance out (at least 1).
    pub unhealthy_threshold: u32,
    /// Passed checks in a row that put it back (at least 1).
    pub healthy_threshold: u32,
}

/// What the clients do about slow or failed attempts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientPolicy {
    /// The end-to-end deadline of a request, from its first attempt. A
    /// request that completes later counts as failed (cause
    /// [`FailureCause::Deadline`](super::FailureCause::Deadline)) but was
    /// served all the same: it consumed service. No retry starts after the
    /// deadline.
    pub deadline: Option<SimDuration>,
    /// How long a client waits for one attempt before it gives up on it.
    /// The attempt stays queued (and is served) unless
    /// [`RequestSpec::skip_abandoned`] is set.
    pub timeout: Option<SimDuration>,
    /// Whether and how failed attempts are retried.
    pub retry: Option<RetryPolicy>,
    /// A circuit breaker in front of the pool.
    pub breaker: Option<BreakerPolicy>,
    /// Whether the client has a degraded answer to give (a cached page,
    /// a default) when the request cannot get a full one: a request
    /// rejected by the open circuit breaker, or whose attempt finished
    /// while a soft [`DependencySpec`] was down, ends with that fallback
    /// answer (at that instant) instead of an error. Other failures are
    /// not covered. Fallback answers are counted apart: not served, not
    /// failed.
    pub fallback: bool,
}

impl ClientPolicy {
    fn validate(&self) -> Result<(), RequestSpecError> {
        if self.timeout.is_some_and(|t| t.is_zero()) {
            return Err(RequestSpecError::BadPolicy(
                "a timeout must be positive".into(),
            ));
        }
        if let Some(r) = &self.retry {
            if r.max_attempts == 0 || r.max_attempts > u16::MAX as u32 {
                return Err(RequestSpecError::BadPolicy(
                    "max_attempts must be between 1 and 65535".into(),
                ));
            }
            if !(0.0..=1.0).contains(&r.jitter) {
                return Err(RequestSpecError::BadPolicy(
                    "jitter must be between 0 and 1".into(),
                ));
            }
            if r.backoff_max < r.backoff_base {
                return Err(RequestSpecError::BadPolicy(
                    "backoff_max must not be below backoff_base".into(),
                ));
            }
            if let Some(b) = &r.budget
                && !(b.ratio.is_finite() && b.ratio >= 0.0 && b.burst.is_finite() && b.burst >= 0.0)
            {
                return Err(RequestSpecError::BadPolicy(
                    "a retry budget's ratio and burst must be finite and not negative".into(),
                ));
            }
        }
        if let Some(b) = &self.breaker
            && (b.failure_threshold == 0 || b.half_open_probes == 0 || b.open_for.is_zero())
        {
            return Err(RequestSpecError::BadPolicy(
                "a breaker needs a positive failure threshold, probe count and open time".into(),
            ));
        }
        Ok(())
    }
}

/// Retries of failed attempts: exponential backoff with jitter, a cap on
/// attempts and an optional budget.
///
/// An attempt fails when it times out, finds its instance's queue full, or
/// finds no instance up; a request rejected by an open circuit breaker is
/// not retried (it fails fast).
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included (1 means no retry).
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles with each retry.
    pub backoff_base: SimDuration,
    /// The longest backoff.
    pub backoff_max: SimDuration,
    /// The share of the backoff that is random: the `k`-th retry waits
    /// `d · (1 − jitter · U)` with `d = min(backoff_max, backoff_base ·
    /// 2^(k−1))` and `U` uniform on (0, 1). 1 is "full jitter", 0 none.
    pub jitter: f64,
    /// A budget that bounds retries to a share of first attempts; `None`
    /// retries without limit (up to `max_attempts`).
    pub budget: Option<RetryBudget>,
}

/// A retry budget, token-bucket style: each first attempt deposits `ratio`
/// tokens in a bucket that holds at most `burst` (and starts full); each
/// retry takes one token, and a retry that finds less than one is not made.
/// Over any span, retries ≤ `ratio` × first attempts + `burst`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryBudget {
    /// Retries allowed per first attempt, such as 0.1.
    pub ratio: f64,
    /// The bucket's size, in retries.
    pub burst: f64,
}

/// A circuit breaker in front of the whole pool.
///
/// Closed, it lets every request through and counts consecutive failed
/// attempts (timeouts, overload rejections, no instance up); at
/// `failure_threshold` it opens. Open, it rejects every request at once
/// (cause [`FailureCause::CircuitOpen`](super::FailureCause::CircuitOpen))
/// for `open_for`, then turns half-open. Half-open, it lets
/// `half_open_probes` attempts through and rejects the others; when that
/// many attempts have succeeded it closes, and on any failure it opens
/// again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakerPolicy {
    /// Consecutive failed attempts that open the breaker.
    pub failure_threshold: u32,
    /// How long it stays open before probing.
    pub open_for: SimDuration,
    /// Attempts let through while half-open.
    pub half_open_probes: u32,
}

/// Why a [`RequestSpec`] cannot be simulated.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestSpecError {
    /// The pool has no instances.
    #[error("a pool needs at least one instance")]
    NoInstances,
    /// Too many instances or servers to index with 32 bits.
    #[error("too many instances or servers")]
    TooManyInstances,
    /// Two instances share a name (or one shares the pool's, or the
    /// dependency shares either), and so would share random streams.
    #[error("the name `{0}` is used twice; instance, pool and dependency names must be unique")]
    DuplicateInstance(String),
    /// An instance has concurrency 0.
    #[error("instance `{0}` has concurrency 0; it needs at least one server")]
    NoServers(String),
    /// A consistent-hashing ring with no points.
    #[error("consistent hashing needs at least one virtual node per instance")]
    NoVirtualNodes,
    /// An arrival rate that is negative, not finite, or zero where it must
    /// be positive.
    #[error("arrival rate {0} per second is not a positive finite number")]
    BadRate(f64),
    /// A malformed time-varying rate.
    #[error("bad arrival-rate curve: {0}")]
    BadRateCurve(String),
    /// An instance's time to failure or repair time has no positive mean.
    #[error("instance `{0}`: time to failure and repair time need a positive mean")]
    BadFaults(String),
    /// A health check with a zero interval or threshold.
    #[error("a health check needs a positive interval and thresholds")]
    BadHealthCheck,
    /// A deadline, timeout, retry or breaker setting out of range.
    #[error("bad client policy: {0}")]
    BadPolicy(String),
    /// The dependency's time to failure or repair time has no positive
    /// mean.
    #[error("dependency `{0}`: time to failure and repair time need a positive mean")]
    BadDependency(String),
    /// A soft dependency without a fallback answer to give.
    #[error(
        "dependency `{0}` is soft, but the client has no fallback answer; enable the fallback or make the dependency hard"
    )]
    SoftWithoutFallback(String),
}
