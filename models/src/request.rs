//! The request level: individual requests arrive, are dispatched by a load
//! balancer to a pool of instances, queue, are served, time out, retry with
//! backoff under a budget, and trip a circuit breaker.
//!
//! This is the second fidelity of the design notes, for hours or days of
//! simulated time: what the state (fluid) level treats as a rate, it
//! follows one request at a time, so that queueing delay, latency
//! percentiles, timeouts and retry storms show. It is held against queueing
//! theory ([`validation`]: V10's M/M/4 with a central queue, V11's M/M/1 and
//! dispatch policies).
//!
//! * [`RequestSpec`]: plain data: [`Arrivals`] (Poisson, or a periodic
//!   piecewise-constant rate), the [`InstanceSpec`]s (concurrency, service
//!   time [`Dist`](sim_core::dist::Dist), up or down, queue limit, optional
//!   crashes and repairs [`InstanceFaults`]), the
//!   [`Dispatch`] policy, an optional downstream [`DependencySpec`] with
//!   faults of its own, and the clients' [`ClientPolicy`] (deadline,
//!   timeout, [`RetryPolicy`] with [`RetryBudget`], [`BreakerPolicy`],
//!   fallback answers).
//! * [`RequestModel`]: a [`sim_core::engine::Model`] whose events
//!   ([`RequestEvent`]) are `Copy` and 8 bytes; no allocation per request
//!   on the hot path. See [`model`] for how timeouts cost no heap
//!   operation.
//! * [`RequestMeasures`]: streaming measures: requests, served within the
//!   deadline, failures by [`FailureCause`], fallback answers, mean
//!   response and wait
//!   (Welford), `P(wait > 0)`, `P(wait > t)`, time-average number in
//!   system, utilisation, and latency percentiles from a
//!   [`LatencyHistogram`] (relative error 2^-8).
//! * [`simulate`] runs one replication, [`replicate`] many in parallel (in
//!   replication order), and [`estimate`] turns a measure over
//!   replications into a mean with its confidence interval.
//!
//! # Semantics in brief
//!
//! * **Attempts and requests.** A request makes one or more attempts. Its
//!   response time runs from its first attempt's arrival to the completion
//!   of the attempt that succeeds.
//! * **Deadline.** A request completed after its deadline counts as failed
//!   ([`FailureCause::Deadline`]) but consumed service; no retry starts
//!   after the deadline.
//! * **Timeout.** The client gives up on an attempt after the timeout; the
//!   attempt stays in the instance's queue and is served (wasted work)
//!   unless [`RequestSpec::skip_abandoned`] is set, in which case the
//!   instance drops it when it reaches the head of the queue.
//! * **Retries** follow timeouts, overload rejections (queue full) and
//!   "no instance up" (and attempts lost with a failed instance), after an exponential backoff with jitter, up to
//!   `max_attempts`, while the token-bucket budget has a token. A breaker
//!   rejection fails the request at once.
//! * **Instance faults.** An instance with [`InstanceFaults`] alternates
//!   up and down; when it fails, its queued and in-service attempts fail
//!   at once ([`FailureCause::InstanceDown`]) and may be retried.
//! * **Health checks.** Without [`RequestSpec::health_check`] the balancer
//!   knows of a failure or repair at once. With a [`HealthCheck`], a dead
//!   instance keeps receiving attempts, which fail at once
//!   ([`FailureCause::HealthCheckLag`]) and may be retried, until enough
//!   checks have failed; a repaired one gets none until enough have passed.
//! * **Dependency.** A [`DependencySpec`] alternates up and down on its
//!   own. An attempt that finishes its service while it is down fails
//!   ([`FailureCause::DependencyDown`]) and may be retried if it is hard;
//!   if it is soft, the request gets a fallback answer.
//! * **Fallbacks.** With [`ClientPolicy::fallback`], a request rejected by
//!   the breaker, or caught by a soft dependency's outage, ends with a
//!   degraded answer: counted in [`RequestMeasures::fallback`], neither
//!   served nor failed. Availability stays the share served;
//!   [`RequestMeasures::availability_with_fallback`] adds the fallbacks.
//! * **Warm-up.** Requests whose first attempt arrives before the warm-up
//!   are simulated but not measured.
//!
//! # Random streams
//!
//! `(spec.name, "arrivals")`, `(spec.name, "dispatch")` (random and
//! power-of-two choices, hash keys), `(spec.name, "retry")` (jitter), and
//! `(instance name, "service")` for each instance's service times (drawn
//! when service starts), and `(instance name, "failure")`, `(instance
//! name, "repair")` for an instance with [`InstanceFaults`], and
//! `(instance name, "health-check")` (its check phase) for such an
//! instance under a [`HealthCheck`], and `(dependency name, "failure")`,
//! `(dependency name, "repair")` for a [`DependencySpec`]. Two designs
//! run under one seed see the same
//! arrivals.
//!
//! ```
//! use models::replicate::Horizon;
//! use models::request::{simulate, validation::exponential_pool, Dispatch};
//! use sim_core::time::SimDuration;
//!
//! // M/M/1 at 80% load: mean response 1/(μ − λ) = 0.5 s.
//! let spec = exponential_pool(8.0, 10.0, 1, Dispatch::RoundRobin);
//! let horizon = Horizon::new(SimDuration::from_secs(2_000), SimDuration::from_secs(100));
//! let run = simulate(&spec, 42, 0, horizon, None).unwrap();
//! let m = &run.measures;
//! assert!(m.arrived() > 14_000);
//! assert!((m.mean_response_s() - 0.5).abs() < 0.15);
//! assert!(m.response_quantile_s(0.99) > m.response_quantile_s(0.5));
//! ```

mod arrivals;
mod dependency;
mod dispatch;
mod measures;
pub mod model;
pub mod sketch;
mod spec;
pub mod validation;

#[cfg(test)]
mod tests;

use sim_core::engine::{Simulation, TraceSink};
use sim_core::runner::{RunnerError, run_replications};
use sim_core::stats::{Estimate, Welford};
use sim_core::time::SimTime;

use crate::replicate::Horizon;

pub use measures::{FailureCause, RequestMeasures};
pub use model::{BreakerState, RequestEvent, RequestModel};
pub use sketch::LatencyHistogram;
pub use spec::{
    Arrivals, BreakerPolicy, ClientPolicy, DEFAULT_QUEUE_LIMIT, DependencySpec, Dispatch,
    HealthCheck, InstanceFaults, InstanceSpec, RatePoint, RequestSpec, RequestSpecError,
    RetryBudget, RetryPolicy,
};

/// What one request-level replication produced.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestRun {
    /// The replication's index.
    pub replication: u64,
    /// What it measured.
    pub measures: RequestMeasures,
    /// Events processed.
    pub events: u64,
    /// Digest of the events processed.
    pub trace_hash: u64,
}

/// Why request-level replications could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestRunError {
    /// The spec is invalid.
    #[error(transparent)]
    Spec(#[from] RequestSpecError),
    /// The thread pool could not start.
    #[error(transparent)]
    Runner(#[from] RunnerError),
}

/// Runs replication `replication` of `spec` under `seed` until
/// `horizon.length`, measuring from `horizon.warmup`, optionally writing
/// every event to `trace`. The result depends only on the arguments.
pub fn simulate(
    spec: &RequestSpec,
    seed: u64,
    replication: u64,
    horizon: Horizon,
    trace: Option<&mut dyn TraceSink>,
) -> Result<RequestRun, RequestSpecError> {
    let warmup = SimTime::from_duration(horizon.warmup);
    let model = RequestModel::new(spec, seed, replication, warmup)?;
    let mut sim = Simulation::new(model);
    let outcome = sim.run(horizon.end(), trace);
    Ok(RequestRun {
        replication,
        measures: sim.into_model().into_measures(),
        events: outcome.events,
        trace_hash: outcome.trace_hash,
    })
}

/// Runs replications `0..replications` of `spec` on `threads` threads (0:
/// one per core); results come back in replication order whatever the
/// thread count.
pub fn replicate(
    spec: &RequestSpec,
    seed: u64,
    replications: u64,
    horizon: Horizon,
    threads: usize,
) -> Result<Vec<RequestRun>, RequestRunError> {
    spec.validate()?;
    let runs = run_replications(replications, threads, |r| {
        simulate(spec, seed, r, horizon, None).expect("the spec was validated")
    })?;
    Ok(runs)
}

/// The mean of `measure` over `runs` with its Student-t interval at
/// `confidence`; `None` for fewer than two runs. Replications whose
/// measure is NaN (nothing to measure) are skipped.
pub fn estimate(
    runs: &[RequestRun],
    measure: impl Fn(&RequestMeasures) -> f64,
    confidence: f64,
) -> Option<Estimate> {
    let mut w = Welford::new();
    for run in runs {
        let x = measure(&run.measures);
        if !x.is_nan() {
            w.push(x);
        }
    }
    Estimate::from_welford(&w, confidence)
}
