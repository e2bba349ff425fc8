//! The request-level model: state, events and handlers.
//!
//! # State
//!
//! * A slab of requests in flight (`Vec` plus free list, reused: no
//!   allocation per request once the slab has grown to the largest number
//!   in flight). Each slot holds the first attempt's arrival time, the
//!   attempt count and a *ticket* that changes whenever the request starts
//!   an attempt, gives up on one, or ends. Queue entries and timers carry
//!   the ticket they were made with, so an entry whose ticket no longer
//!   matches belongs to an attempt the client has given up on (or to a
//!   finished request whose slot was reused): it is recognised in O(1)
//!   without searching any queue.
//! * One FIFO queue (`VecDeque` of 16-byte entries) per instance, or one
//!   shared queue under [`Dispatch::CentralQueue`], each with the list of
//!   its idle servers (longest idle first).
//! * One pending `Departure` event per busy server, one pending `Arrival`,
//!   at most one pending `Timeout` and one `Retry` per request backing off,
//!   and one pending `InstanceDown` or `InstanceUp` per instance with
//!   faults.
//!
//! # Instance faults
//!
//! When an instance fails, the balancer stops picking it, its idle servers
//! leave their queue's idle list, the `Departure` events of its busy
//! servers are cancelled (each server keeps the id of its pending
//! departure), and the attempts in service there and, under per-instance
//! queues, those in its queue fail with
//! [`FailureCause::InstanceDown`](super::FailureCause::InstanceDown)
//! through the usual retry path. When it is repaired, its servers take work
//! again. Without faults none of this runs: no extra event, stream or draw.
//!
//! # Health checks
//!
//! Checks are not simulated one by one: an instance's checks fall at its
//! phase plus whole intervals, so when it fails (or is repaired) the time
//! at which the balancer's view changes is known at once: the first check
//! after the change plus `threshold − 1` intervals. One `HealthCheck` event
//! is scheduled for it, and cancelled if the instance changes back first.
//! Until it fires, the dispatcher still picks a dead instance, and the
//! attempt fails with
//! [`FailureCause::HealthCheckLag`](super::FailureCause::HealthCheckLag)
//! (one flag looked up per attempt), or skips a repaired one.
//!
//! # Dependency and fallbacks
//!
//! A pool with a [`DependencySpec`](super::DependencySpec) holds its
//! up/down process (the private `dependency` module) and one pending
//! `DependencyDown` or `DependencyUp` event. An attempt that completes
//! while it is down fails with
//! [`FailureCause::DependencyDown`](super::FailureCause::DependencyDown)
//! through the usual retry path (hard), or ends the request with a fallback
//! answer (soft). With
//! [`ClientPolicy::fallback`](super::ClientPolicy::fallback), a breaker
//! rejection also ends the request with a fallback answer instead of
//! [`FailureCause::CircuitOpen`](super::FailureCause::CircuitOpen); either
//! way the request leaves at the same instant, so the run's events are the
//! same with or without the fallback.
//!
//! # Timeouts without a timer per attempt
//!
//! Every attempt has the same timeout, so attempts time out in the order
//! they started: timers are a FIFO of `(expiry, request, ticket)` and only
//! its head has a `Timeout` event pending. An attempt that completes leaves
//! its timer in place; the timer is found stale (ticket mismatch) and
//! dropped when it reaches the head. So a timeout costs a `push_back`, not
//! a heap insertion and a cancellation.

mod attempts;
mod breaker;
mod events;
mod faults;
mod retries;

use std::collections::VecDeque;

use sim_core::dist::Dist;
use sim_core::queue::EventId;
use sim_core::rng::RngStream;
use sim_core::time::SimTime;

use super::arrivals::ArrivalProcess;
use super::dependency::DependencyProcess;
use super::dispatch::Dispatcher;
use super::measures::RequestMeasures;
use super::spec::{
    BreakerPolicy, DEFAULT_QUEUE_LIMIT, Dispatch, RequestSpec, RequestSpecError, RetryPolicy,
};

pub use breaker::BreakerState;
pub use events::RequestEvent;

/// One attempt, queued or in service (16 bytes).
#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    /// When the attempt reached the balancer (for a timer: its expiry).
    at_us: u64,
    /// The request's slot.
    req: u32,
    /// The request's ticket when the attempt started.
    ticket: u32,
}

/// A request in flight.
#[derive(Clone, Copy, Debug)]
struct Req {
    /// When its first attempt arrived.
    first_us: u64,
    /// Changes whenever an attempt starts or is given up, and when the
    /// request ends.
    ticket: u32,
    /// Attempts dispatched so far.
    attempts: u32,
}

/// A FIFO queue and its idle servers.
#[derive(Debug)]
struct Queue {
    waiting: VecDeque<Entry>,
    idle: VecDeque<u32>,
    limit: usize,
}

/// One server: which instance it belongs to and what it serves.
#[derive(Clone, Copy, Debug)]
struct Server {
    instance: u32,
    index: u32,
    current: Entry,
    /// The pending `Departure` while busy (cancelled if the instance fails).
    departure: Option<EventId>,
}

/// An instance's fault process and its streams.
#[derive(Debug)]
struct FaultProcess {
    failure: Dist,
    repair: Dist,
    failure_rng: RngStream,
    repair_rng: RngStream,
    /// Under health checks: when its first check falls (µs), and the
    /// pending `HealthCheck` while the balancer's view differs from its
    /// state.
    check_phase_us: u64,
    flip: Option<EventId>,
}

/// Health checks, in microseconds.
#[derive(Clone, Copy, Debug)]
struct HealthTiming {
    interval_us: u64,
    /// From the first check that sees a failure to the one that takes the
    /// instance out: `(unhealthy_threshold − 1) · interval`.
    unhealthy_us: u64,
    /// Likewise for a repair.
    healthy_us: u64,
}

/// No deadline or timeout.
const NEVER: u64 = u64::MAX;

/// What ended during the last event, for an observer (see
/// [`RequestModel::watch_endings`]). Counts every request, warm-up
/// included.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endings {
    responses_us: Vec<u64>,
    failed: u64,
}

impl Endings {
    /// The response times of the requests completed during the last event
    /// (served or late), in microseconds, in completion order.
    pub fn responses_us(&self) -> &[u64] {
        &self.responses_us
    }

    /// The requests that ended in failure during the last event, for any
    /// cause (completions after their deadline included).
    pub fn failed(&self) -> u64 {
        self.failed
    }

    fn clear(&mut self) {
        self.responses_us.clear();
        self.failed = 0;
    }
}

/// The request-level model of one replication; see the
/// [module documentation](super).
#[derive(Debug)]
pub struct RequestModel {
    name: String,
    instance_names: Vec<String>,
    warmup_us: u64,
    deadline_us: u64,
    timeout_us: u64,
    wait_threshold_us: u64,
    skip_abandoned: bool,
    central: bool,
    retry: Option<RetryPolicy>,
    budget: Option<(f64, f64)>,
    tokens: f64,
    breaker_policy: Option<BreakerPolicy>,
    breaker: BreakerState,
    arrivals: ArrivalProcess,
    arrival_rng: RngStream,
    dispatcher: Dispatcher,
    retry_rng: RngStream,
    /// Attempts waiting or in service per instance (under a central queue:
    /// in service).
    in_system: Vec<u32>,
    /// The queue each instance's servers take work from.
    instance_queue: Vec<u32>,
    service: Vec<Dist>,
    service_rng: Vec<RngStream>,
    servers: Vec<Server>,
    /// Each instance's servers: `first_server[i]..first_server[i + 1]`.
    first_server: Vec<u32>,
    faults: Vec<Option<FaultProcess>>,
    /// Health checks (never under a central queue).
    health: Option<HealthTiming>,
    /// Whether each instance is up (the balancer's view may lag).
    alive: Vec<bool>,
    /// The pool's dependency, if it has one.
    dependency: Option<DependencyProcess>,
    /// Whether the client answers with a fallback instead of some errors.
    fallback: bool,
    queues: Vec<Queue>,
    up_servers: u32,
    requests: Vec<Req>,
    free: Vec<u32>,
    timers: VecDeque<Entry>,
    timer_pending: bool,
    total_in_system: u64,
    busy: u64,
    last_us: u64,
    measures: RequestMeasures,
    /// What ended during the current event, when an observer asked for it.
    endings: Option<Box<Endings>>,
}

impl RequestModel {
    /// The model for `replication` of a run seeded with `seed`; measures
    /// count from `warmup` on.
    ///
    /// Random streams: `(spec.name, "arrivals")`, `(spec.name,
    /// "dispatch")`, `(spec.name, "retry")` and `(instance name,
    /// "service")` per instance, plus `(instance name, "failure")` and
    /// `(instance name, "repair")` per instance with faults, and
    /// `(instance name, "health-check")` (one draw: its check phase) per
    /// instance with faults under health checks, and `(dependency name,
    /// "failure")` and `(dependency name, "repair")` with a dependency.
    pub fn new(
        spec: &RequestSpec,
        seed: u64,
        replication: u64,
        warmup: SimTime,
    ) -> Result<Self, RequestSpecError> {
        spec.validate()?;
        let stream =
            |entity: &str, purpose: &str| RngStream::new(seed, replication, entity, purpose);
        let central = spec.dispatch == Dispatch::CentralQueue;
        let n = spec.instances.len();
        let mut queues = Vec::new();
        let mut servers = Vec::new();
        let mut instance_queue = Vec::with_capacity(n);
        let mut first_server = Vec::with_capacity(n + 1);
        let mut up_servers = 0;
        let cap = |limit: Option<u32>| limit.unwrap_or(DEFAULT_QUEUE_LIMIT) as usize;
        if central {
            let up = spec.instances.iter().filter(|i| i.up);
            let limit = up.map(|i| cap(i.queue_limit)).sum::<usize>();
            queues.push(Queue {
                waiting: VecDeque::with_capacity(64),
                idle: VecDeque::new(),
                limit,
            });
        }
        for (i, inst) in spec.instances.iter().enumerate() {
            let q = if central {
                0
            } else {
                queues.push(Queue {
                    waiting: VecDeque::with_capacity(16),
                    idle: VecDeque::new(),
                    limit: cap(inst.queue_limit),
                });
                i
            };
            instance_queue.push(q as u32);
            first_server.push(servers.len() as u32);
            for k in 0..inst.concurrency {
                let id = servers.len() as u32;
                servers.push(Server {
                    instance: i as u32,
                    index: k,
                    current: Entry::default(),
                    departure: None,
                });
                if inst.up {
                    queues[q].idle.push_back(id);
                    up_servers += 1;
                }
            }
        }
        first_server.push(servers.len() as u32);
        let health = spec
            .health_check
            .filter(|_| !central)
            .map(|h| HealthTiming {
                interval_us: h.interval.as_micros(),
                unhealthy_us: (h.unhealthy_threshold as u64 - 1) * h.interval.as_micros(),
                healthy_us: (h.healthy_threshold as u64 - 1) * h.interval.as_micros(),
            });
        let faults = spec
            .instances
            .iter()
            .map(|i| {
                let f = i.faults.as_ref().filter(|_| i.up)?;
                Some(FaultProcess {
                    failure: f.failure.clone(),
                    repair: f.repair.clone(),
                    failure_rng: stream(&i.name, "failure"),
                    repair_rng: stream(&i.name, "repair"),
                    check_phase_us: health
                        .map_or(0, |h| stream(&i.name, "health-check").below(h.interval_us)),
                    flip: None,
                })
            })
            .collect();
        let budget = spec
            .client
            .retry
            .as_ref()
            .and_then(|r| r.budget)
            .map(|b| (b.ratio, b.burst));
        Ok(RequestModel {
            name: spec.name.clone(),
            instance_names: spec.instances.iter().map(|i| i.name.clone()).collect(),
            warmup_us: warmup.as_micros(),
            deadline_us: spec.client.deadline.map_or(NEVER, |d| d.as_micros()),
            timeout_us: spec.client.timeout.map_or(NEVER, |d| d.as_micros()),
            wait_threshold_us: spec.wait_threshold.as_micros(),
            skip_abandoned: spec.skip_abandoned,
            central,
            retry: spec.client.retry.clone(),
            budget,
            tokens: budget.map_or(0.0, |(_, burst)| burst),
            breaker_policy: spec.client.breaker,
            breaker: BreakerState::Closed { failures: 0 },
            arrivals: ArrivalProcess::new(&spec.arrivals),
            arrival_rng: stream(&spec.name, "arrivals"),
            dispatcher: Dispatcher::new(
                spec.dispatch,
                &spec.instances,
                stream(&spec.name, "dispatch"),
            ),
            retry_rng: stream(&spec.name, "retry"),
            in_system: vec![0; n],
            instance_queue,
            service: spec.instances.iter().map(|i| i.service.clone()).collect(),
            service_rng: spec
                .instances
                .iter()
                .map(|i| stream(&i.name, "service"))
                .collect(),
            measures: RequestMeasures::new(warmup, n, up_servers),
            servers,
            first_server,
            faults,
            health,
            alive: spec.instances.iter().map(|i| i.up).collect(),
            dependency: spec
                .dependency
                .as_ref()
                .map(|d| DependencyProcess::new(d, seed, replication)),
            fallback: spec.client.fallback,
            queues,
            up_servers,
            requests: Vec::with_capacity(64),
            free: Vec::with_capacity(64),
            timers: VecDeque::new(),
            timer_pending: false,
            total_in_system: 0,
            busy: 0,
            last_us: 0,
            endings: None,
        })
    }

    /// What was measured.
    pub fn measures(&self) -> &RequestMeasures {
        &self.measures
    }

    /// Consumes the model and returns its measures.
    pub fn into_measures(self) -> RequestMeasures {
        self.measures
    }

    /// The circuit breaker's state (closed if there is no breaker).
    pub fn breaker_state(&self) -> BreakerState {
        self.breaker
    }

    /// Attempts in the pool now, waiting or in service (abandoned ones
    /// included until they are served or skipped).
    pub fn in_system(&self) -> u64 {
        self.total_in_system
    }

    /// Requests in flight now (waiting, in service or backing off).
    pub fn requests_in_flight(&self) -> usize {
        self.requests.len() - self.free.len()
    }

    /// Whether each instance is up now, by index (the balancer's view may
    /// lag behind under health checks).
    pub fn instances_up(&self) -> &[bool] {
        &self.alive
    }

    /// Whether the pool's dependency is up now; `None` without one.
    pub fn dependency_up(&self) -> Option<bool> {
        self.dependency.as_ref().map(DependencyProcess::is_up)
    }

    /// Whether the pool's dependency is soft (answered around with a
    /// fallback); `None` without one.
    pub fn dependency_soft(&self) -> Option<bool> {
        self.dependency.as_ref().map(DependencyProcess::is_soft)
    }

    /// From now on, keeps what ends during each event (response times and
    /// failures, warm-up included) for [`RequestModel::endings`]. Reading
    /// them changes neither the events nor any measure.
    pub fn watch_endings(&mut self) {
        self.endings.get_or_insert_with(Box::default);
    }

    /// What ended during the last event, if [`RequestModel::watch_endings`]
    /// was called.
    pub fn endings(&self) -> Option<&Endings> {
        self.endings.as_deref()
    }

    /// Adds the time since the last change to the time integrals.
    #[inline(always)]
    fn advance(&mut self, now: u64) {
        if now > self.warmup_us {
            let from = self.last_us.max(self.warmup_us);
            let dt = (now - from) as u128;
            self.measures.in_system_us += self.total_in_system as u128 * dt;
            self.measures.busy_us += self.busy as u128 * dt;
        }
        self.last_us = now;
    }

    /// A slot for a request arriving at `now`.
    #[inline(always)]
    fn alloc(&mut self, now: u64) -> u32 {
        match self.free.pop() {
            Some(r) => {
                let req = &mut self.requests[r as usize];
                req.first_us = now;
                req.attempts = 0;
                r
            }
            None => {
                let r = u32::try_from(self.requests.len()).expect("4 billion requests in flight");
                self.requests.push(Req {
                    first_us: now,
                    ticket: 0,
                    attempts: 0,
                });
                r
            }
        }
    }

    /// Ends request `r`: stale entries and timers of it stay stale.
    #[inline(always)]
    fn release(&mut self, r: u32) {
        let req = &mut self.requests[r as usize];
        req.ticket = req.ticket.wrapping_add(1);
        self.free.push(r);
    }

    #[inline(always)]
    fn is_live(&self, e: Entry) -> bool {
        self.requests[e.req as usize].ticket == e.ticket
    }
}
