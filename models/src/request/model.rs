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
//! queues, those in its queue fail with [`FailureCause::InstanceDown`]
//! through the usual retry path. When it is repaired, its servers take
//! work again. Without faults none of this runs: no extra event, stream or
//! draw.
//!
//! # Health checks
//!
//! Checks are not simulated one by one: an instance's checks fall at its
//! phase plus whole intervals, so when it fails (or is repaired) the time
//! at which the balancer's view changes is known at once: the first check
//! after the change plus `threshold − 1` intervals. One `HealthCheck`
//! event is scheduled for it, and cancelled if the instance changes back
//! first. Until it fires, the dispatcher still picks a dead instance, and
//! the attempt fails with [`FailureCause::HealthCheckLag`] (one flag
//! looked up per attempt), or skips a repaired one.
//!
//! # Dependency and fallbacks
//!
//! A pool with a [`DependencySpec`](super::DependencySpec) holds its
//! up/down process (the private `dependency` module) and one pending
//! `DependencyDown` or `DependencyUp` event. An attempt that completes
//! while it is down fails with [`FailureCause::DependencyDown`] through
//! the usual retry path (hard), or ends the request with a fallback answer
//! (soft). With [`ClientPolicy::fallback`](super::ClientPolicy::fallback),
//! a breaker rejection also ends the request with a fallback answer
//! instead of [`FailureCause::CircuitOpen`]; either way the request leaves
//! at the same instant, so the run's events are the same with or without
//! the fallback.
//!
//! # Timeouts without a timer per attempt
//!
//! Every attempt has the same timeout, so attempts time out in the order
//! they started: timers are a FIFO of `(expiry, request, ticket)` and only
//! its head has a `Timeout` event pending. An attempt that completes leaves
//! its timer in place; the timer is found stale (ticket mismatch) and
//! dropped when it reaches the head. So a timeout costs a `push_back`, not
//! a heap insertion and a cancellation.

use std::collections::VecDeque;

use sim_core::dist::Dist;
use sim_core::engine::{Model, Scheduler, TraceEvent};
use sim_core::queue::EventId;
use sim_core::rng::RngStream;
use sim_core::time::{SimDuration, SimTime};

use super::arrivals::ArrivalProcess;
use super::dependency::DependencyProcess;
use super::dispatch::Dispatcher;
use super::measures::{FailureCause, RequestMeasures};
use super::spec::{
    BreakerPolicy, DEFAULT_QUEUE_LIMIT, Dispatch, RequestSpec, RequestSpecError, RetryPolicy,
};

/// The events of the request-level model: small, `Copy`, no payload
/// beyond an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestEvent {
    /// The next request arrives at the balancer.
    Arrival,
    /// Server `0` (a global server index) finishes its current attempt.
    Departure(u32),
    /// The oldest pending attempt timer may have expired.
    Timeout,
    /// The request in slot `0` makes its next attempt after a backoff.
    Retry(u32),
    /// Instance `0` fails.
    InstanceDown(u32),
    /// Instance `0` is repaired.
    InstanceUp(u32),
    /// The health checks of instance `0` have caught up with its state:
    /// the balancer takes it out (it is down) or puts it back (it is up).
    HealthCheck(u32),
    /// The pool's dependency fails.
    DependencyDown,
    /// The pool's dependency is repaired.
    DependencyUp,
}

/// Trace entities of instances (fault events): this bit plus the index.
const INSTANCE_ENTITY: u32 = 1 << 31;

/// The trace entity of the dependency: above every instance's (instance
/// indices stay below `2^31 − 1`).
const DEPENDENCY_ENTITY: u32 = u32::MAX;

impl TraceEvent for RequestEvent {
    fn kind_code(&self) -> u32 {
        match self {
            RequestEvent::Arrival => 1,
            RequestEvent::Departure(_) => 2,
            RequestEvent::Timeout => 3,
            RequestEvent::Retry(_) => 4,
            RequestEvent::InstanceDown(_) => 5,
            RequestEvent::InstanceUp(_) => 6,
            RequestEvent::HealthCheck(_) => 7,
            RequestEvent::DependencyDown => 8,
            RequestEvent::DependencyUp => 9,
        }
    }

    fn kind_name(&self) -> &'static str {
        match self {
            RequestEvent::Arrival => "arrival",
            RequestEvent::Departure(_) => "departure",
            RequestEvent::Timeout => "timeout",
            RequestEvent::Retry(_) => "retry",
            RequestEvent::InstanceDown(_) => "instance down",
            RequestEvent::InstanceUp(_) => "instance up",
            RequestEvent::HealthCheck(_) => "health check",
            RequestEvent::DependencyDown => "dependency down",
            RequestEvent::DependencyUp => "dependency up",
        }
    }

    /// 0 for the clients' side (arrivals, timeouts, retries), `1 + s` for
    /// server `s`, `2^31 + i` for instance `i` (its faults and health
    /// checks), `2^32 − 1` for the dependency.
    fn entity(&self) -> u32 {
        match self {
            RequestEvent::Departure(s) => s + 1,
            RequestEvent::InstanceDown(i)
            | RequestEvent::InstanceUp(i)
            | RequestEvent::HealthCheck(i) => INSTANCE_ENTITY | i,
            RequestEvent::DependencyDown | RequestEvent::DependencyUp => DEPENDENCY_ENTITY,
            _ => 0,
        }
    }
}

/// The state of the circuit breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerState {
    /// Letting requests through, with this many consecutive failures.
    Closed {
        /// Consecutive failed attempts so far.
        failures: u32,
    },
    /// Rejecting requests until this time (microseconds).
    Open {
        /// When it turns half-open.
        until_us: u64,
    },
    /// Probing: `sent` probes let through, `ok` attempts succeeded.
    HalfOpen {
        /// Probes let through so far.
        sent: u32,
        /// Successes so far.
        ok: u32,
    },
}

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

    fn on_arrival(&mut self, s: &mut Scheduler<RequestEvent>) {
        let now = s.now().as_micros();
        let next = self.arrivals.next_after(now, &mut self.arrival_rng);
        s.schedule_at(SimTime::from_micros(next), RequestEvent::Arrival);
        let r = self.alloc(now);
        if now >= self.warmup_us {
            self.measures.arrived += 1;
        }
        if let Some((ratio, burst)) = self.budget {
            self.tokens = (self.tokens + ratio).min(burst);
        }
        self.start_attempt(r, now, s);
    }

    /// Request `r` makes an attempt at `now`.
    #[inline(always)]
    fn start_attempt(&mut self, r: u32, now: u64, s: &mut Scheduler<RequestEvent>) {
        if now >= self.warmup_us {
            self.measures.attempts += 1;
            if self.requests[r as usize].attempts > 0 {
                self.measures.retries += 1;
            }
        }
        if self.breaker_policy.is_some() && !self.breaker_admits(now) {
            if self.fallback {
                self.finish_fallback(r);
            } else {
                self.finish_failed(r, FailureCause::CircuitOpen);
            }
            return;
        }
        let req = &mut self.requests[r as usize];
        req.ticket = req.ticket.wrapping_add(1);
        req.attempts += 1;
        let entry = Entry {
            at_us: now,
            req: r,
            ticket: req.ticket,
        };
        let (q, instance) = if self.central {
            if self.up_servers == 0 {
                self.attempt_failed(r, FailureCause::NoInstance, now, s);
                return;
            }
            (0, None)
        } else {
            match self.dispatcher.choose(&self.in_system) {
                // Down, but its health checks have not caught it yet.
                Some(i) if !self.alive[i as usize] => {
                    if now >= self.warmup_us {
                        self.measures.dispatched[i as usize] += 1;
                    }
                    self.attempt_failed(r, FailureCause::HealthCheckLag, now, s);
                    return;
                }
                Some(i) => (self.instance_queue[i as usize] as usize, Some(i)),
                None => {
                    self.attempt_failed(r, FailureCause::NoInstance, now, s);
                    return;
                }
            }
        };
        let idle = self.queues[q].idle.pop_front();
        if idle.is_none() && self.queues[q].waiting.len() >= self.queues[q].limit {
            self.attempt_failed(r, FailureCause::Overload, now, s);
            return;
        }
        self.advance(now);
        self.total_in_system += 1;
        if let Some(i) = instance {
            self.in_system[i as usize] += 1;
            if now >= self.warmup_us {
                self.measures.dispatched[i as usize] += 1;
            }
        }
        match idle {
            Some(server) => self.start_service(server, entry, now, s),
            None => {
                let waiting = &mut self.queues[q].waiting;
                waiting.push_back(entry);
                let len = waiting.len() as u64;
                if len > self.measures.queue_high_water {
                    self.measures.queue_high_water = len;
                }
            }
        }
        if self.timeout_us != NEVER {
            let timer = Entry {
                at_us: now + self.timeout_us,
                ..entry
            };
            self.timers.push_back(timer);
            if !self.timer_pending {
                self.timer_pending = true;
                s.schedule_at(SimTime::from_micros(timer.at_us), RequestEvent::Timeout);
            }
        }
    }

    /// `server` starts serving `entry` at `now` (the caller has advanced
    /// the integrals to `now`).
    #[inline(always)]
    fn start_service(
        &mut self,
        server: u32,
        entry: Entry,
        now: u64,
        s: &mut Scheduler<RequestEvent>,
    ) {
        let wait_us = now - entry.at_us;
        let counted = entry.at_us >= self.warmup_us;
        if counted {
            let m = &mut self.measures;
            m.services += 1;
            m.wait.push(wait_us as f64 * 1e-6);
            m.waited += u64::from(wait_us > 0);
            m.waited_over += u64::from(wait_us > self.wait_threshold_us);
        }
        self.busy += 1;
        let srv = &mut self.servers[server as usize];
        srv.current = entry;
        let i = srv.instance as usize;
        if self.central {
            self.in_system[i] += 1;
            if counted {
                self.measures.dispatched[i] += 1;
            }
        }
        let d = self.service[i].sample(&mut self.service_rng[i]);
        self.servers[server as usize].departure =
            Some(s.schedule_after(d, RequestEvent::Departure(server)));
    }

    fn on_departure(&mut self, server: u32, s: &mut Scheduler<RequestEvent>) {
        let now = s.now().as_micros();
        self.advance(now);
        let Server {
            instance, current, ..
        } = self.servers[server as usize];
        self.busy -= 1;
        self.total_in_system -= 1;
        self.in_system[instance as usize] -= 1;
        self.complete(current, now, s);
        self.take_work(server, instance, now, s);
    }

    /// `server` of `instance` is free at `now`: it serves the next attempt
    /// in its queue, or goes idle.
    #[inline(always)]
    fn take_work(&mut self, server: u32, instance: u32, now: u64, s: &mut Scheduler<RequestEvent>) {
        self.servers[server as usize].departure = None;
        let q = self.instance_queue[instance as usize] as usize;
        loop {
            match self.queues[q].waiting.pop_front() {
                Some(e) => {
                    if self.skip_abandoned && !self.is_live(e) {
                        self.total_in_system -= 1;
                        if !self.central {
                            self.in_system[instance as usize] -= 1;
                        }
                        if e.at_us >= self.warmup_us {
                            self.measures.skipped += 1;
                        }
                        continue;
                    }
                    self.start_service(server, e, now, s);
                }
                None => self.queues[q].idle.push_back(server),
            }
            break;
        }
    }

    /// An attempt's service ended at `now`.
    #[inline(always)]
    fn complete(&mut self, e: Entry, now: u64, s: &mut Scheduler<RequestEvent>) {
        if !self.is_live(e) {
            if now >= self.warmup_us {
                self.measures.wasted += 1;
            }
            return;
        }
        if let Some(d) = &self.dependency
            && !d.is_up()
        {
            if d.is_soft() {
                self.degraded(e.req, now);
            } else {
                self.attempt_failed(e.req, FailureCause::DependencyDown, now, s);
            }
            return;
        }
        if self.breaker_policy.is_some() {
            self.breaker_result(true, now);
        }
        let first = self.requests[e.req as usize].first_us;
        if let Some(o) = &mut self.endings {
            let response_us = now - first;
            o.responses_us.push(response_us);
            o.failed += u64::from(response_us > self.deadline_us);
        }
        if first >= self.warmup_us {
            let response_us = now - first;
            let m = &mut self.measures;
            m.latency.record(response_us);
            m.response.push(response_us as f64 * 1e-6);
            if response_us > self.deadline_us {
                m.failed[FailureCause::Deadline as usize] += 1;
            } else {
                m.served += 1;
            }
        }
        self.release(e.req);
    }

    /// Request `r`'s attempt ended at `now` while the soft dependency was
    /// down: the instance answers without it, a fallback (the spec's
    /// validation guarantees the client has one), unless it is late. The
    /// breaker sees an answer, a success.
    fn degraded(&mut self, r: u32, now: u64) {
        debug_assert!(self.fallback, "a soft dependency needs a fallback");
        if self.breaker_policy.is_some() {
            self.breaker_result(true, now);
        }
        let first = self.requests[r as usize].first_us;
        if now - first > self.deadline_us {
            self.finish_failed(r, FailureCause::Deadline);
        } else {
            self.finish_fallback(r);
        }
    }

    /// The dependency fails at `now`.
    fn on_dependency_down(&mut self, s: &mut Scheduler<RequestEvent>) {
        let now = s.now().as_micros();
        let d = self.dependency.as_mut().expect("only a dependency fails");
        let repair = d.fail(now);
        s.schedule_after(repair, RequestEvent::DependencyUp);
    }

    /// The dependency is repaired at `now`.
    fn on_dependency_up(&mut self, s: &mut Scheduler<RequestEvent>) {
        let now = s.now().as_micros();
        let d = self
            .dependency
            .as_mut()
            .expect("only a dependency is repaired");
        self.measures.dependency_down_us += d.repair(now, self.warmup_us);
        let next = d.time_to_failure();
        s.schedule_after(next, RequestEvent::DependencyDown);
    }

    /// Instance `i` fails at `now`.
    fn on_instance_down(&mut self, i: u32, s: &mut Scheduler<RequestEvent>) {
        let now = s.now().as_micros();
        self.advance(now);
        self.alive[i as usize] = false;
        self.tell_balancer(i, now, s);
        let f = self.faults[i as usize]
            .as_mut()
            .expect("only instances with faults fail");
        let d = f.repair.sample(&mut f.repair_rng);
        s.schedule_after(d, RequestEvent::InstanceUp(i));
        let q = self.instance_queue[i as usize] as usize;
        let (lo, hi) = (
            self.first_server[i as usize],
            self.first_server[i as usize + 1],
        );
        self.queues[q].idle.retain(|&k| k < lo || k >= hi);
        self.up_servers -= hi - lo;
        for server in lo..hi {
            let srv = &mut self.servers[server as usize];
            let Some(id) = srv.departure.take() else {
                continue;
            };
            s.cancel(id);
            let e = srv.current;
            self.busy -= 1;
            self.total_in_system -= 1;
            self.in_system[i as usize] -= 1;
            if self.is_live(e) {
                self.attempt_failed(e.req, FailureCause::InstanceDown, now, s);
            }
        }
        // The attempts waiting for this instance: its own queue, or the
        // shared one if no server of the pool is left.
        if !self.central || self.up_servers == 0 {
            while let Some(e) = self.queues[q].waiting.pop_front() {
                self.total_in_system -= 1;
                if !self.central {
                    self.in_system[i as usize] -= 1;
                }
                if self.is_live(e) {
                    self.attempt_failed(e.req, FailureCause::InstanceDown, now, s);
                }
            }
        }
    }

    /// Instance `i` is repaired at `now`.
    fn on_instance_up(&mut self, i: u32, s: &mut Scheduler<RequestEvent>) {
        let now = s.now().as_micros();
        self.advance(now);
        self.alive[i as usize] = true;
        self.tell_balancer(i, now, s);
        let f = self.faults[i as usize]
            .as_mut()
            .expect("only instances with faults are repaired");
        let d = f.failure.sample(&mut f.failure_rng);
        s.schedule_after(d, RequestEvent::InstanceDown(i));
        let (lo, hi) = (
            self.first_server[i as usize],
            self.first_server[i as usize + 1],
        );
        self.up_servers += hi - lo;
        for server in lo..hi {
            self.take_work(server, i, now, s);
        }
    }

    /// Instance `i` has just failed or been repaired at `now`: the
    /// balancer learns of it at once, or when its health checks have seen
    /// it for long enough.
    fn tell_balancer(&mut self, i: u32, now: u64, s: &mut Scheduler<RequestEvent>) {
        let alive = self.alive[i as usize];
        let Some(h) = self.health else {
            self.dispatcher.set_up(i, alive);
            return;
        };
        let f = self.faults[i as usize]
            .as_mut()
            .expect("only instances with faults change state");
        // A pending change of the balancer's view is one back to the
        // state the instance has just returned to: the run of checks is
        // broken and the view is right again.
        if let Some(id) = f.flip.take() {
            s.cancel(id);
            return;
        }
        // The first check strictly after `now`, then the run of agreeing
        // checks.
        let phase = f.check_phase_us;
        let first = if now < phase {
            phase
        } else {
            phase + ((now - phase) / h.interval_us + 1) * h.interval_us
        };
        let run = if alive { h.healthy_us } else { h.unhealthy_us };
        f.flip = Some(s.schedule_at(
            SimTime::from_micros(first + run),
            RequestEvent::HealthCheck(i),
        ));
    }

    /// The health checks of instance `i` have caught up with its state.
    fn on_health_check(&mut self, i: u32) {
        if let Some(f) = self.faults[i as usize].as_mut() {
            f.flip = None;
        }
        self.dispatcher.set_up(i, self.alive[i as usize]);
    }

    fn on_timeout(&mut self, s: &mut Scheduler<RequestEvent>) {
        let now = s.now().as_micros();
        self.timer_pending = false;
        while let Some(&t) = self.timers.front() {
            if !self.is_live(t) {
                self.timers.pop_front();
                continue;
            }
            if t.at_us > now {
                break;
            }
            self.timers.pop_front();
            self.attempt_failed(t.req, FailureCause::Timeout, now, s);
        }
        if let Some(t) = self.timers.front() {
            self.timer_pending = true;
            s.schedule_at(SimTime::from_micros(t.at_us), RequestEvent::Timeout);
        }
    }

    /// Request `r`'s current attempt failed at `now`: retry after a backoff
    /// if the policy, the budget and the deadline allow, else fail.
    fn attempt_failed(
        &mut self,
        r: u32,
        cause: FailureCause,
        now: u64,
        s: &mut Scheduler<RequestEvent>,
    ) {
        if self.breaker_policy.is_some() {
            self.breaker_result(false, now);
        }
        let req = &mut self.requests[r as usize];
        // Whatever is left of the attempt in a queue is now abandoned.
        req.ticket = req.ticket.wrapping_add(1);
        let (attempts, first_us) = (req.attempts, req.first_us);
        if let Some(retry) = &self.retry
            && attempts < retry.max_attempts
            && self.budget.is_none_or(|_| self.tokens >= 1.0)
        {
            let base = retry.backoff_base.as_micros() as f64;
            let cap = retry.backoff_max.as_micros() as f64;
            let full = (base * 2f64.powi(attempts as i32 - 1)).min(cap);
            let delay = if retry.jitter > 0.0 {
                full * (1.0 - retry.jitter * self.retry_rng.open01())
            } else {
                full
            };
            let delay = SimDuration::from_micros(delay.round() as u64);
            let at = now + delay.as_micros();
            if self.deadline_us == NEVER || at < first_us.saturating_add(self.deadline_us) {
                if self.budget.is_some() {
                    self.tokens -= 1.0;
                }
                s.schedule_after(delay, RequestEvent::Retry(r));
                return;
            }
        }
        self.finish_failed(r, cause);
    }

    /// Request `r` fails for `cause`.
    fn finish_failed(&mut self, r: u32, cause: FailureCause) {
        if self.requests[r as usize].first_us >= self.warmup_us {
            self.measures.failed[cause as usize] += 1;
        }
        if let Some(o) = &mut self.endings {
            o.failed += 1;
        }
        self.release(r);
    }

    /// Request `r` ends with a fallback answer.
    fn finish_fallback(&mut self, r: u32) {
        if self.requests[r as usize].first_us >= self.warmup_us {
            self.measures.fallback += 1;
        }
        self.release(r);
    }

    /// Whether the breaker lets an attempt through at `now`.
    fn breaker_admits(&mut self, now: u64) -> bool {
        let Some(policy) = self.breaker_policy else {
            return true;
        };
        match &mut self.breaker {
            BreakerState::Closed { .. } => true,
            BreakerState::Open { until_us } => {
                if now >= *until_us {
                    self.breaker = BreakerState::HalfOpen { sent: 1, ok: 0 };
                    true
                } else {
                    false
                }
            }
            BreakerState::HalfOpen { sent, .. } => {
                if *sent < policy.half_open_probes {
                    *sent += 1;
                    true
                } else {
                    false
                }
            }
        }
    }

    /// Feeds an attempt's result to the breaker.
    fn breaker_result(&mut self, success: bool, now: u64) {
        let Some(policy) = self.breaker_policy else {
            return;
        };
        let open = match &mut self.breaker {
            BreakerState::Closed { failures } => {
                if success {
                    *failures = 0;
                    false
                } else {
                    *failures += 1;
                    *failures >= policy.failure_threshold
                }
            }
            // Results of attempts let through before it opened.
            BreakerState::Open { .. } => false,
            BreakerState::HalfOpen { ok, .. } => {
                if success {
                    *ok += 1;
                    if *ok >= policy.half_open_probes {
                        self.breaker = BreakerState::Closed { failures: 0 };
                    }
                    false
                } else {
                    true
                }
            }
        };
        if open {
            self.breaker = BreakerState::Open {
                until_us: now + policy.open_for.as_micros(),
            };
            if now >= self.warmup_us {
                self.measures.breaker_opened += 1;
            }
        }
    }
}

impl Model for RequestModel {
    type Event = RequestEvent;

    fn start(&mut self, s: &mut Scheduler<RequestEvent>) {
        let first = self.arrivals.next_after(0, &mut self.arrival_rng);
        s.schedule_at(SimTime::from_micros(first), RequestEvent::Arrival);
        for (i, f) in self.faults.iter_mut().enumerate() {
            if let Some(f) = f {
                let d = f.failure.sample(&mut f.failure_rng);
                s.schedule_after(d, RequestEvent::InstanceDown(i as u32));
            }
        }
        if let Some(d) = &mut self.dependency {
            let next = d.time_to_failure();
            s.schedule_after(next, RequestEvent::DependencyDown);
        }
    }

    #[inline]
    fn handle(&mut self, event: RequestEvent, s: &mut Scheduler<RequestEvent>) {
        if let Some(o) = &mut self.endings {
            o.clear();
        }
        match event {
            RequestEvent::Arrival => self.on_arrival(s),
            RequestEvent::Departure(server) => self.on_departure(server, s),
            RequestEvent::Timeout => self.on_timeout(s),
            RequestEvent::Retry(r) => {
                let now = s.now().as_micros();
                self.start_attempt(r, now, s);
            }
            RequestEvent::InstanceDown(i) => self.on_instance_down(i, s),
            RequestEvent::InstanceUp(i) => self.on_instance_up(i, s),
            RequestEvent::HealthCheck(i) => self.on_health_check(i),
            RequestEvent::DependencyDown => self.on_dependency_down(s),
            RequestEvent::DependencyUp => self.on_dependency_up(s),
        }
    }

    fn finish(&mut self, end: SimTime) {
        self.advance(end.as_micros());
        self.measures.end = end;
        if let Some(d) = &self.dependency {
            self.measures.dependency_down_us += d.down_since(end.as_micros(), self.warmup_us);
        }
    }

    fn entity_name(&self, entity: u32) -> String {
        if entity == DEPENDENCY_ENTITY
            && let Some(d) = &self.dependency
        {
            return d.name().to_string();
        }
        if entity & INSTANCE_ENTITY != 0
            && let Some(name) = self
                .instance_names
                .get((entity & !INSTANCE_ENTITY) as usize)
            && (entity - 1) as usize >= self.servers.len()
        {
            return name.clone();
        }
        match entity.checked_sub(1) {
            None => format!("{}/clients", self.name),
            Some(s) => match self.servers.get(s as usize) {
                Some(srv) => format!(
                    "{}#{}",
                    self.instance_names[srv.instance as usize], srv.index
                ),
                None => entity.to_string(),
            },
        }
    }
}
