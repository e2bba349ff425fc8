//! The simulation of an infrastructure system: fault processes, detection,
//! repair crews, measures, and the attribution of downtime to its causes.
//!
//! Each fault of the spec becomes one or more *processes*: one per target
//! element for faults that act on elements independently (a host crash
//! process per host), one for a common-cause shock, a partition or a bad
//! rollout. A process's occurrence creates an *activation*, which holds its
//! effect until it is repaired: first a detection delay, then a wait for a
//! free crew of its team (first come, first served), then the repair.
//!
//! Random occurrences renew: the next one is drawn when the activation is
//! over (an alternating renewal process, as for a repairable component),
//! and one that falls while its target is already down is skipped, since a
//! host that is off does not crash. Common-cause shocks arrive as their own
//! renewal process whatever the state and fail every member that is up,
//! each member repaired on its own. Scheduled occurrences come at their
//! times.
//!
//! # Attribution
//!
//! While the entry point is down, every instant is charged to the active
//! faults that cause it:
//!
//! 1. a fault is *necessary* if, with it alone removed, the entry point
//!    would be up; if some are, the instant is split equally among them;
//! 2. otherwise (several faults, each enough on its own, such as two zone
//!    outages under a service that needs one zone), it is split equally
//!    among the active faults that touch what the entry point relies on.
//!
//! The shares of an instant always sum to one, so attributed downtime sums
//! to total downtime.

use std::collections::VecDeque;

use sim_core::dist::poisson_count;
use sim_core::engine::{Model, Scheduler, TraceEvent};
use sim_core::queue::EventId;
use sim_core::rng::RngStream;
use sim_core::time::{SimDuration, SimTime};

use super::health::{Counters, Evaluator, Scratch, Status};
use super::spec::{Effect, Element, FaultClass, Occurrence, Replication, SystemSpec};
use crate::measure::ServiceMeasures;

/// The events of the system model. The entity of every event is the
/// process it concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SystemEvent {
    /// A process's fault occurs.
    Occur(u32),
    /// An activation's fault is noticed; its repair can be scheduled.
    Detected(u32, u32),
    /// An activation's repair is done.
    Restored(u32, u32),
    /// A bad rollout reaches its next batch.
    Batch(u32, u32),
    /// A failover of an active-passive service (by service index) ends.
    FailoverDone(u32),
    /// The load balancer takes instance `1` of service `0` out of
    /// rotation (its health checks failed).
    RotationOut(u32, u32),
    /// The load balancer puts instance `1` of service `0` back.
    RotationIn(u32, u32),
    /// A standby cut off from a healthy active instance of service `0`
    /// promotes itself.
    SuspectDone(u32),
    /// The load curve moves to its step `0`.
    LoadStep(u32),
    /// A standby of service `0` has missed enough heartbeats in a row to
    /// suspect its healthy active instance (a lossy link, a gray host).
    HeartbeatMiss(u32),
    /// A heartbeat gets through again after a needless promotion in
    /// service `0`: a split brain it caused can end.
    HeartbeatBack(u32),
}

impl TraceEvent for SystemEvent {
    fn kind_code(&self) -> u32 {
        match self {
            SystemEvent::Occur(_) => 1,
            SystemEvent::Detected(..) => 2,
            SystemEvent::Restored(..) => 3,
            SystemEvent::Batch(..) => 4,
            SystemEvent::FailoverDone(_) => 5,
            SystemEvent::RotationOut(..) => 6,
            SystemEvent::RotationIn(..) => 7,
            SystemEvent::SuspectDone(_) => 8,
            SystemEvent::LoadStep(_) => 9,
            SystemEvent::HeartbeatMiss(_) => 10,
            SystemEvent::HeartbeatBack(_) => 11,
        }
    }
    fn kind_name(&self) -> &'static str {
        match self {
            SystemEvent::Occur(_) => "occur",
            SystemEvent::Detected(..) => "detected",
            SystemEvent::Restored(..) => "restored",
            SystemEvent::Batch(..) => "batch",
            SystemEvent::FailoverDone(_) => "failover_done",
            SystemEvent::RotationOut(..) => "rotation_out",
            SystemEvent::RotationIn(..) => "rotation_in",
            SystemEvent::SuspectDone(_) => "suspect_done",
            SystemEvent::LoadStep(_) => "load_step",
            SystemEvent::HeartbeatMiss(_) => "heartbeat_miss",
            SystemEvent::HeartbeatBack(_) => "heartbeat_back",
        }
    }
    fn entity(&self) -> u32 {
        match *self {
            SystemEvent::Occur(p)
            | SystemEvent::Detected(p, _)
            | SystemEvent::Restored(p, _)
            | SystemEvent::Batch(p, _) => p,
            // Services come after the fault processes in the entity space.
            SystemEvent::FailoverDone(s)
            | SystemEvent::RotationOut(s, _)
            | SystemEvent::RotationIn(s, _)
            | SystemEvent::SuspectDone(s)
            | SystemEvent::HeartbeatMiss(s)
            | SystemEvent::HeartbeatBack(s) => FAILOVER_ENTITY_BASE + s,
            SystemEvent::LoadStep(_) => LOAD_ENTITY,
        }
    }
}

/// Entity ids of failover events: services, numbered from here, so that
/// they never collide with fault processes.
const FAILOVER_ENTITY_BASE: u32 = 1 << 31;

/// The longest delay drawn for a heartbeat process, in microseconds (a
/// thousand years): a loss so small that its suspicion would come later
/// never comes within any run.
const MAX_DELAY_US: f64 = 1000.0 * 8760.0 * 3600.0 * 1e6;

/// The entity id of the load curve's steps, just below the services'.
const LOAD_ENTITY: u32 = FAILOVER_ENTITY_BASE - 1;

/// The failover machinery of one active-passive service.
#[derive(Debug)]
struct Failover {
    coverage_rng: RngStream,
    duration_rng: RngStream,
    timer: Option<EventId>,
    /// The fault that caused the failover under way, for attribution.
    cause: Option<usize>,
    data_rng: RngStream,
    /// Writes the lost active instance had not yet replicated: (count,
    /// window in hours, the same window as a duration, that instance).
    /// Lost if another instance takes over; kept if the same one comes
    /// back first.
    pending_loss: Option<(u64, f64, SimDuration, usize)>,
    /// The standby a failover under way promotes, if it is still healthy
    /// when the failover ends.
    target: Option<usize>,
    /// A standby cut off from the healthy active instance, about to
    /// promote itself: (timer, standby).
    suspect: Option<(EventId, usize)>,
    /// When the current split brain began.
    split_since: Option<SimTime>,
    /// An old active instance fenced at a promotion: it may not promote
    /// itself back until it reaches the new active instance again.
    fenced: Option<usize>,
    /// Heartbeats being lost on the way to a standby: (timer of the
    /// suspicion they will cause, loss in parts per million, standby).
    miss: Option<(EventId, u64, usize)>,
    /// Draws the time to a suspicion from lost heartbeats, and to the
    /// next heartbeat that gets through.
    heartbeat_rng: RngStream,
    /// After a needless promotion without fencing over a lossy path: the
    /// split brain lasts at least until this timer (a heartbeat through).
    hold: Option<EventId>,
    /// Draws failback durations.
    failback_rng: RngStream,
}

/// What one process does when it occurs.
#[derive(Clone, Debug)]
enum Kind {
    Down(Element),
    /// Degrades an element; its error fraction in parts per million.
    Degrade(Element, u32),
    Shock(Vec<Element>),
    Partition,
    Rollout,
    /// Raises the load; the extra in parts per million of the usual load.
    Surge(u64),
}

#[derive(Debug)]
struct Process {
    fault: usize,
    kind: Kind,
    name: String,
    /// Position among the fault's processes, for staggered schedules.
    index: u64,
    /// Scheduled occurrences so far.
    scheduled: u64,
    occur_rng: RngStream,
    detect_rng: RngStream,
    repair_rng: RngStream,
    /// Per shock member: detection and repair streams.
    member_rngs: Vec<(RngStream, RngStream)>,
}

/// The effect an activation holds.
#[derive(Clone, Debug, PartialEq)]
enum Held {
    Down(Element),
    Degrade(Element, u32),
    Partition,
    Rollout(Vec<Element>),
    Surge(u64),
}

#[derive(Debug)]
struct Activation {
    process: u32,
    /// Activations begun before this one in the run: its number, in order
    /// of activation (for observers, see [`SystemModel::activations`]).
    serial: u64,
    held: Held,
    /// For shock members: which member, to pick its streams.
    member: Option<usize>,
    batch_timer: Option<EventId>,
    detected: bool,
}

#[derive(Debug, Default)]
struct Team {
    idle: u32,
    waiting: VecDeque<u32>,
}

/// What a system replication measures beyond the entry point's
/// [`ServiceMeasures`].
#[derive(Clone, Debug, PartialEq)]
pub struct SystemMeasures {
    /// Each service, up as seen from where client traffic enters.
    pub services: Vec<ServiceMeasures>,
    /// Hours the entry point was up but degraded.
    pub degraded_hours: f64,
    /// Hours of full service: the integral of the share of requests served
    /// (one while everything works, less while gray hosts or lossy links
    /// fail part of the traffic, zero while down). Divided by the measured
    /// hours, it is the request-based availability.
    pub served_hours: f64,
    /// Hours of entry downtime charged to each fault of the spec.
    pub attributed_hours: Vec<f64>,
    /// Hours of entry downtime charged to each component (element, the
    /// network, the load: [`SystemSpec::component_slots`]), by the same
    /// rule as to faults: the component each charged fault held.
    pub attributed_component_hours: Vec<f64>,
    /// Occurrences of each fault of the spec that took effect.
    pub occurrences: Vec<u64>,
    /// Failovers to another instance (promotions), after the warm-up.
    pub failovers: u64,
    /// Promotions of a standby that suspected a healthy active instance
    /// (a partition, a lossy link, a gray host), after the warm-up.
    pub needless_failovers: u64,
    /// Planned switchovers back to the first instance, after the warm-up.
    pub failbacks: u64,
    /// Acknowledged writes lost (unreplicated at a failover, or written
    /// since the last backup when data was deleted), after the warm-up.
    pub lost_writes: u64,
    /// Events that lost at least one write.
    pub loss_events: u64,
    /// The longest window of writes lost at once, in hours (the worst
    /// recovery point seen).
    pub worst_rpo_hours: f64,
    /// Hours with two writable primaries (split brain), after the warm-up.
    pub split_brain_hours: f64,
    /// Split brains that began after the warm-up.
    pub split_brains: u64,
    /// Per quorum service: (reads, writes) possible, as up/down measures.
    pub quorum: Vec<Option<(ServiceMeasures, ServiceMeasures)>>,
}

/// Why acknowledged writes were lost, for [`WriteLoss`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossCause {
    /// Another instance took over before the lost active one had
    /// replicated them (asynchronous replication, batch shipping).
    Failover,
    /// A split brain healed: the writes the old primary's side took
    /// meanwhile.
    SplitBrain,
    /// The data was deleted: the writes since the last backup
    /// (everything, without backups).
    Deletion,
}

/// One event that lost acknowledged writes, as [`SystemModel::recent_losses`]
/// reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteLoss {
    /// The service that lost them (by index).
    pub service: usize,
    /// How many writes were lost (at least one).
    pub writes: u64,
    /// The span of writes lost: the mean replication lag, the time since
    /// the last batch or backup, or the split brain's length after the
    /// warm-up.
    pub window: SimDuration,
    /// Why they were lost.
    pub cause: LossCause,
}

/// The element an effect holds, if it holds one (not a partition, a
/// rollout or a surge).
fn held_target(held: &Held) -> Option<Element> {
    match *held {
        Held::Down(e) | Held::Degrade(e, _) => Some(e),
        Held::Partition | Held::Rollout(_) | Held::Surge(_) => None,
    }
}

/// One replication of an infrastructure system.
#[derive(Debug)]
pub struct SystemModel<'a> {
    spec: &'a SystemSpec,
    eval: Evaluator,
    processes: Vec<Process>,
    activations: Vec<Option<Activation>>,
    free: Vec<u32>,
    counters: Counters,
    /// The evaluation the measures follow.
    status: Status,
    /// A working evaluation, for questions asked between changes (which
    /// instances are effective, would the entry be up without a fault).
    probe: Status,
    /// The evaluator's working memory.
    scratch: Scratch,
    /// Working list of activation ids for attribution.
    attr_ids: Vec<u32>,
    teams: Vec<Team>,
    warmup: SimTime,
    last: SimTime,
    entry: ServiceMeasures,
    services: Vec<ServiceMeasures>,
    quorum: Vec<Option<(ServiceMeasures, ServiceMeasures)>>,
    degraded: SimDuration,
    served_hours: f64,
    attributed: Vec<f64>,
    /// Per component slot: entry downtime charged to it, hours.
    attributed_components: Vec<f64>,
    /// The current split of downtime among components (slot, share).
    component_shares: Vec<(usize, f64)>,
    occurrences: Vec<u64>,
    /// The current split of downtime among faults (fault index, share).
    shares: Vec<(usize, f64)>,
    /// Per service: its failover machinery, if it is active-passive.
    failovers: Vec<Option<Failover>>,
    promotions: u64,
    /// Promotions of a standby that suspected a healthy active instance.
    needless: u64,
    /// Planned switchovers back to the first instance.
    failbacks: u64,
    split_brain_hours: f64,
    split_brains: u64,
    lost_writes: u64,
    loss_events: u64,
    worst_rpo_hours: f64,
    /// Per service with data: the stream for losses outside failovers.
    data_rngs: Vec<RngStream>,
    /// Per service: the phase of its health checks.
    check_rngs: Vec<RngStream>,
    /// The fault whose repair ended last: charged for downtime that
    /// outlasts every fault (an instance back but not yet in rotation).
    last_repaired: Option<usize>,
    /// Per service, per instance: a pending change of rotation.
    rotation_timers: Vec<Vec<Option<EventId>>>,
    /// Activations begun and ended so far, warm-up included (for
    /// observers; nothing simulated reads them).
    begun: u64,
    ended: u64,
    /// The number of the activation that ended last.
    last_ended: Option<u64>,
    /// The losses of writes recorded while handling the last event (for
    /// observers; cleared as each event begins).
    recent_losses: Vec<WriteLoss>,
}

impl<'a> SystemModel<'a> {
    /// The model for `replication` of a run seeded with `seed`; measures
    /// count from `warmup` on. The spec must be valid.
    pub fn new(spec: &'a SystemSpec, seed: u64, replication: u64, warmup: SimTime) -> Self {
        debug_assert_eq!(spec.validate(), Ok(()));
        let mut processes = Vec::new();
        for (f, fault) in spec.faults.iter().enumerate() {
            let stream =
                |entity: &str, purpose: &str| RngStream::new(seed, replication, entity, purpose);
            let mut add = |kind: Kind, label: String, index: u64, members: &[Element]| {
                let entity = format!("fault/{}/{label}", fault.name);
                processes.push(Process {
                    fault: f,
                    kind,
                    name: format!("{}/{label}", fault.name),
                    index,
                    scheduled: 0,
                    occur_rng: stream(&entity, "occur"),
                    detect_rng: stream(&entity, "detect"),
                    repair_rng: stream(&entity, "repair"),
                    member_rngs: members
                        .iter()
                        .map(|&m| {
                            let e = format!("fault/{}/{}", fault.name, spec.element_name(m));
                            (stream(&e, "detect"), stream(&e, "repair"))
                        })
                        .collect(),
                });
            };
            match &fault.effect {
                Effect::Down(targets) => {
                    for (i, &e) in targets.iter().enumerate() {
                        add(Kind::Down(e), spec.element_name(e), i as u64, &[]);
                    }
                }
                Effect::Degrade {
                    targets,
                    error_fraction,
                } => {
                    let ppm = (error_fraction * 1e6).round() as u32;
                    for (i, &e) in targets.iter().enumerate() {
                        add(Kind::Degrade(e, ppm), spec.element_name(e), i as u64, &[]);
                    }
                }
                Effect::Shock(members) => {
                    add(Kind::Shock(members.clone()), "shock".into(), 0, members);
                }
                Effect::Partition { .. } => add(Kind::Partition, "partition".into(), 0, &[]),
                Effect::Rollout { service, .. } => {
                    add(Kind::Rollout, spec.services[*service].name.clone(), 0, &[]);
                }
                Effect::Surge { factor } => {
                    let ppm = ((factor - 1.0) * 1e6).round() as u64;
                    add(Kind::Surge(ppm), "surge".into(), 0, &[]);
                }
            }
        }
        let eval = Evaluator::new(spec);
        let mut counters = Counters::new(spec);
        if let Some(curve) = &spec.load_curve {
            counters.set_curve_factor(curve.steps[0].1);
        }
        let status = eval.evaluate(spec, &counters);
        SystemModel {
            processes,
            activations: Vec::new(),
            free: Vec::new(),
            teams: spec
                .teams
                .iter()
                .map(|t| Team {
                    idle: t.crews,
                    waiting: VecDeque::new(),
                })
                .collect(),
            warmup,
            last: SimTime::ZERO,
            entry: ServiceMeasures::new(warmup, status.entry_up),
            services: status
                .service_up
                .iter()
                .map(|&up| ServiceMeasures::new(warmup, up))
                .collect(),
            quorum: status
                .quorum
                .iter()
                .map(|q| {
                    q.map(|(r, w)| {
                        (
                            ServiceMeasures::new(warmup, r),
                            ServiceMeasures::new(warmup, w),
                        )
                    })
                })
                .collect(),
            degraded: SimDuration::ZERO,
            served_hours: 0.0,
            attributed: vec![0.0; spec.faults.len()],
            attributed_components: vec![0.0; spec.component_slots()],
            component_shares: Vec::new(),
            occurrences: vec![0; spec.faults.len()],
            shares: Vec::new(),
            failovers: spec
                .services
                .iter()
                .map(|svc| {
                    svc.failover.as_ref().map(|_| {
                        let entity = format!("failover/{}", svc.name);
                        Failover {
                            coverage_rng: RngStream::new(seed, replication, &entity, "coverage"),
                            duration_rng: RngStream::new(seed, replication, &entity, "duration"),
                            timer: None,
                            cause: None,
                            data_rng: RngStream::new(seed, replication, &entity, "data"),
                            pending_loss: None,
                            target: None,
                            suspect: None,
                            split_since: None,
                            fenced: None,
                            miss: None,
                            heartbeat_rng: RngStream::new(seed, replication, &entity, "heartbeat"),
                            hold: None,
                            failback_rng: RngStream::new(seed, replication, &entity, "failback"),
                        }
                    })
                })
                .collect(),
            promotions: 0,
            needless: 0,
            failbacks: 0,
            split_brain_hours: 0.0,
            split_brains: 0,
            lost_writes: 0,
            loss_events: 0,
            worst_rpo_hours: 0.0,
            last_repaired: None,
            probe: Status::default(),
            scratch: Scratch::default(),
            attr_ids: Vec::new(),
            check_rngs: spec
                .services
                .iter()
                .map(|svc| {
                    RngStream::new(
                        seed,
                        replication,
                        &format!("health-check/{}", svc.name),
                        "phase",
                    )
                })
                .collect(),
            rotation_timers: spec
                .services
                .iter()
                .map(|svc| vec![None; svc.instances.len()])
                .collect(),
            data_rngs: spec
                .services
                .iter()
                .map(|svc| {
                    RngStream::new(seed, replication, &format!("data/{}", svc.name), "deletion")
                })
                .collect(),
            begun: 0,
            ended: 0,
            last_ended: None,
            recent_losses: Vec::new(),
            counters,
            status,
            eval,
            spec,
        }
    }

    /// The entry point's measures.
    pub fn measures(&self) -> &ServiceMeasures {
        &self.entry
    }

    /// Everything else measured.
    pub fn system_measures(&self) -> SystemMeasures {
        SystemMeasures {
            services: self.services.clone(),
            degraded_hours: self.degraded.as_hours_f64(),
            served_hours: self.served_hours,
            attributed_hours: self.attributed.clone(),
            attributed_component_hours: self.attributed_components.clone(),
            occurrences: self.occurrences.clone(),
            failovers: self.promotions,
            needless_failovers: self.needless,
            failbacks: self.failbacks,
            lost_writes: self.lost_writes,
            loss_events: self.loss_events,
            worst_rpo_hours: self.worst_rpo_hours,
            split_brain_hours: self.split_brain_hours,
            split_brains: self.split_brains,
            quorum: self.quorum.clone(),
        }
    }

    /// The current evaluation.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// The number of faults active now.
    pub fn active_faults(&self) -> usize {
        self.activations.iter().filter(|a| a.is_some()).count()
    }

    /// The down, degraded, failover and rotation counters as they stand
    /// (for observers: which services are failing over, say).
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Failovers to another instance (promotions) after the warm-up so far:
    /// [`SystemMeasures::failovers`] as it stands.
    pub fn failovers(&self) -> u64 {
        self.promotions
    }

    /// Acknowledged writes lost after the warm-up so far:
    /// [`SystemMeasures::lost_writes`] as it stands.
    pub fn lost_writes(&self) -> u64 {
        self.lost_writes
    }

    /// The losses of writes recorded while handling the last event (after
    /// the warm-up only, each of at least one write), in the order they
    /// happened; empty before the first event.
    pub fn recent_losses(&self) -> &[WriteLoss] {
        &self.recent_losses
    }

    /// Activations begun since time zero (warm-up included): each is
    /// numbered by this count as it begins, see [`SystemModel::activations`].
    pub fn activations_begun(&self) -> u64 {
        self.begun
    }

    /// Activations ended (repaired) since time zero.
    pub fn activations_ended(&self) -> u64 {
        self.ended
    }

    /// The number (see [`SystemModel::activations`]) of the activation
    /// that ended last, if any has.
    pub fn last_ended(&self) -> Option<u64> {
        self.last_ended
    }

    /// Every activation holding its effect now, as `(number, fault index,
    /// target)`, in activation-slot order (not by number): the number
    /// counts the activations begun before it in the run, so that an
    /// observer comparing [`SystemModel::activations_begun`] and
    /// [`SystemModel::activations_ended`] with what it saw last can tell
    /// cheaply which began and which ended. Targets as in
    /// [`SystemModel::active_fault_targets`].
    pub fn activations(&self) -> impl Iterator<Item = (u64, usize, Option<Element>)> + '_ {
        self.activations.iter().flatten().map(|a| {
            let fault = self.processes[a.process as usize].fault;
            (a.serial, fault, held_target(&a.held))
        })
    }

    /// Every activation holding its effect now, as `(fault index, target)`,
    /// in activation-slot order: the target is the element it takes down
    /// or degrades (a shock's member for a common-cause shock), `None` for
    /// a partition, a bad rollout or a traffic surge (one per fault). A
    /// fault may appear more than once (overlapping activations).
    pub fn active_fault_targets(&self) -> impl Iterator<Item = (usize, Option<Element>)> + '_ {
        self.activations.iter().flatten().map(|a| {
            let fault = self.processes[a.process as usize].fault;
            (fault, held_target(&a.held))
        })
    }

    // ---------------------------------------------------------- occurrences

    fn schedule_next(&mut self, p: u32, s: &mut Scheduler<SystemEvent>) {
        let proc_ = &mut self.processes[p as usize];
        match &self.spec.faults[proc_.fault].occurrence {
            Occurrence::Random { every } => {
                let d = every.sample(&mut proc_.occur_rng);
                s.schedule_after(d, SystemEvent::Occur(p));
            }
            Occurrence::Scheduled {
                first,
                period,
                stagger,
            } => {
                let n = proc_.scheduled;
                let at = match (n, period) {
                    (0, _) => Some(*first),
                    (_, Some(period)) => first.checked_add(period.saturating_mul(n)),
                    (_, None) => None,
                };
                if let Some(at) =
                    at.and_then(|t| t.checked_add(stagger.saturating_mul(proc_.index)))
                {
                    proc_.scheduled += 1;
                    s.schedule_at(at.max(s.now()), SystemEvent::Occur(p));
                }
            }
        }
    }

    fn is_random(&self, p: u32) -> bool {
        matches!(
            self.spec.faults[self.processes[p as usize].fault].occurrence,
            Occurrence::Random { .. }
        )
    }

    fn apply(&mut self, held: &Held, act: u32) {
        match held {
            Held::Down(e) => self.counters.down(*e),
            Held::Degrade(e, ppm) => self.counters.degrade(*e, *ppm),
            Held::Partition => {
                let p = self.activations[act as usize]
                    .as_ref()
                    .map_or(0, |a| a.process);
                if let Effect::Partition { a, b } =
                    &self.spec.faults[self.processes[p as usize].fault].effect
                {
                    self.counters.partition(act, a, b);
                }
            }
            Held::Rollout(broken) => broken.iter().for_each(|&e| self.counters.down(e)),
            Held::Surge(ppm) => self.counters.surge(*ppm),
        }
    }

    fn remove(&mut self, held: &Held, act: u32) {
        match held {
            Held::Down(e) => self.counters.up(*e),
            Held::Degrade(e, ppm) => self.counters.undegrade(*e, *ppm),
            Held::Partition => self.counters.heal(act),
            Held::Rollout(broken) => broken.iter().for_each(|&e| self.counters.up(e)),
            Held::Surge(ppm) => self.counters.calm(*ppm),
        }
    }

    fn activate(
        &mut self,
        process: u32,
        held: Held,
        member: Option<usize>,
        s: &mut Scheduler<SystemEvent>,
    ) -> u32 {
        let act = Activation {
            process,
            serial: self.begun,
            held: held.clone(),
            member,
            batch_timer: None,
            detected: false,
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.activations[id as usize] = Some(act);
                id
            }
            None => {
                self.activations.push(Some(act));
                (self.activations.len() - 1) as u32
            }
        };
        self.begun += 1;
        self.apply(&held, id);
        self.occurrences[self.processes[process as usize].fault] += 1;
        self.entry.component_failed();
        let fault = &self.spec.faults[self.processes[process as usize].fault];
        let proc_ = &mut self.processes[process as usize];
        let detect_rng = match member {
            Some(m) => &mut proc_.member_rngs[m].0,
            None => &mut proc_.detect_rng,
        };
        match &fault.repair.detection {
            Some(d) => {
                let delay = d.sample(detect_rng);
                s.schedule_after(delay, SystemEvent::Detected(process, id));
            }
            None => self.detected(process, id, s),
        }
        id
    }

    fn occur(&mut self, p: u32, s: &mut Scheduler<SystemEvent>) {
        let kind = self.processes[p as usize].kind.clone();
        let random = self.is_random(p);
        match kind {
            Kind::Down(e) => {
                if self.eval.element_up(&self.counters, e) {
                    if let (Element::Service(svc), FaultClass::DataDeletion) =
                        (e, self.spec.faults[self.processes[p as usize].fault].class)
                    {
                        self.delete_data(svc, s.now());
                    }
                    self.activate(p, Held::Down(e), None, s);
                } else if random {
                    // Skipped: the target is already down. Draw again.
                    self.schedule_next(p, s);
                }
            }
            Kind::Degrade(e, ppm) => {
                self.activate(p, Held::Degrade(e, ppm), None, s);
            }
            Kind::Shock(members) => {
                for (m, e) in members.into_iter().enumerate() {
                    if self.eval.element_up(&self.counters, e) {
                        self.activate(p, Held::Down(e), Some(m), s);
                    }
                }
                if random {
                    self.schedule_next(p, s);
                }
            }
            Kind::Partition => {
                self.activate(p, Held::Partition, None, s);
            }
            Kind::Rollout => {
                let id = self.activate(p, Held::Rollout(Vec::new()), None, s);
                self.next_batch(p, id, s);
            }
            Kind::Surge(ppm) => {
                self.activate(p, Held::Surge(ppm), None, s);
            }
        }
        if !random {
            self.schedule_next(p, s);
        }
    }

    /// A bad rollout reaches its next batch, unless it has been caught.
    fn next_batch(&mut self, p: u32, id: u32, s: &mut Scheduler<SystemEvent>) {
        let Effect::Rollout {
            service,
            batch_size,
            batch_interval,
        } = self.spec.faults[self.processes[p as usize].fault].effect
        else {
            return;
        };
        let Some(act) = self.activations[id as usize].as_mut() else {
            return;
        };
        act.batch_timer = None;
        if act.detected {
            return;
        }
        let Held::Rollout(broken) = &act.held else {
            return;
        };
        let total = self.spec.services[service].instances.len();
        let done = broken.len();
        let batch: Vec<Element> = (done..(done + batch_size as usize).min(total))
            .map(|i| Element::Instance(service, i))
            .collect();
        for &e in &batch {
            self.counters.down(e);
        }
        if let Some(Held::Rollout(broken)) =
            self.activations[id as usize].as_mut().map(|a| &mut a.held)
        {
            broken.extend(batch);
            if broken.len() < total {
                let timer = s.schedule_after(batch_interval, SystemEvent::Batch(p, id));
                if let Some(a) = self.activations[id as usize].as_mut() {
                    a.batch_timer = Some(timer);
                }
            }
        }
    }

    // -------------------------------------------------------------- repairs

    fn detected(&mut self, p: u32, id: u32, s: &mut Scheduler<SystemEvent>) {
        let Some(act) = self.activations[id as usize].as_mut() else {
            return;
        };
        act.detected = true;
        if let Some(timer) = act.batch_timer.take() {
            s.cancel(timer);
        }
        match self.spec.faults[self.processes[p as usize].fault]
            .repair
            .team
        {
            Some(t) => {
                let team = &mut self.teams[t];
                if team.idle > 0 {
                    team.idle -= 1;
                    self.start_repair(p, id, s);
                } else {
                    team.waiting.push_back(id);
                }
            }
            None => self.start_repair(p, id, s),
        }
    }

    fn start_repair(&mut self, p: u32, id: u32, s: &mut Scheduler<SystemEvent>) {
        let member = self.activations[id as usize]
            .as_ref()
            .and_then(|a| a.member);
        let fault = &self.spec.faults[self.processes[p as usize].fault];
        let proc_ = &mut self.processes[p as usize];
        let rng = match member {
            Some(m) => &mut proc_.member_rngs[m].1,
            None => &mut proc_.repair_rng,
        };
        let d = fault.repair.duration.sample(rng);
        s.schedule_after(d, SystemEvent::Restored(p, id));
    }

    fn restored(&mut self, p: u32, id: u32, s: &mut Scheduler<SystemEvent>) {
        let Some(act) = self.activations[id as usize].take() else {
            return;
        };
        self.remove(&act.held, id);
        self.ended += 1;
        self.last_ended = Some(act.serial);
        self.free.push(id);
        self.last_repaired = Some(self.processes[p as usize].fault);
        if let Some(t) = self.spec.faults[self.processes[p as usize].fault]
            .repair
            .team
        {
            match self.teams[t].waiting.pop_front() {
                Some(next) => {
                    let np = self.activations[next as usize]
                        .as_ref()
                        .map_or(p, |a| a.process);
                    self.start_repair(np, next, s);
                }
                None => self.teams[t].idle += 1,
            }
        }
        let renews =
            self.is_random(p) && !matches!(self.processes[p as usize].kind, Kind::Shock(_));
        if renews {
            self.schedule_next(p, s);
        }
    }

    // ----------------------------------------------------------------- load

    /// The load curve moves on to the step in force now, and the next step
    /// is scheduled.
    fn load_step(&mut self, s: &mut Scheduler<SystemEvent>) {
        let Some(curve) = &self.spec.load_curve else {
            return;
        };
        let (i, next) = curve.step_at(s.now());
        self.counters.set_curve_factor(curve.steps[i].1);
        let upcoming = (i + 1) % curve.steps.len();
        s.schedule_at(next, SystemEvent::LoadStep(upcoming as u32));
    }

    // ------------------------------------------------------------ failovers

    /// Brings every active-passive service's failover state in line with
    /// which of its instances are effective: starts failovers when an
    /// active instance is lost, abandons them when nothing is left, and
    /// restarts at once on the first instance back.
    fn settle_failovers(&mut self, s: &mut Scheduler<SystemEvent>) {
        if self.failovers.iter().all(Option::is_none) {
            return;
        }
        // Each pass changes at least one service's state; a few suffice.
        for _ in 0..=2 * self.spec.services.len() {
            self.probe();
            // Taken out while the services are settled, which needs
            // `&mut self`; put back below to keep its buffers.
            let status = std::mem::take(&mut self.probe);
            let mut changed = false;
            for svc in 0..self.spec.services.len() {
                let Some(spec) = &self.spec.services[svc].failover else {
                    continue;
                };
                let eff = &status.effective[svc];
                let first = eff.iter().position(|&e| e);
                let (active, switching) = (self.counters.active(svc), self.counters.switching(svc));
                if switching {
                    if first.is_none() {
                        // Nothing left to fail over to: down until a repair.
                        if let Some(f) = self.failovers[svc].as_mut()
                            && let Some(timer) = f.timer.take()
                        {
                            s.cancel(timer);
                        }
                        self.counters.set_failover(svc, None, false);
                        changed = true;
                    }
                    continue;
                }
                if self.settle_split(svc, &status, s) {
                    changed = true;
                    continue;
                }
                match active {
                    Some(a) if eff[a] => {
                        if self.start_failback(svc, a, &status, s) {
                            changed = true;
                            continue;
                        }
                        self.watch_heartbeats(svc, a, &status, s);
                        self.watch_losses(svc, a, &status, s);
                    }
                    Some(a) => {
                        self.cancel_suspicion(svc, s);
                        self.start_loss(svc, a, s.now());
                        let cause = self.cause_of_instance_loss(svc, a);
                        if first.is_some() {
                            let f = self.failovers[svc].as_mut().expect("failover machinery");
                            let covered = f.coverage_rng.open01() < spec.coverage;
                            let d = if covered {
                                spec.duration.sample(&mut f.duration_rng)
                            } else {
                                spec.manual.sample(&mut f.duration_rng)
                            };
                            f.timer =
                                Some(s.schedule_after(d, SystemEvent::FailoverDone(svc as u32)));
                            f.cause = cause;
                            f.target = first;
                            self.counters.set_failover(svc, None, true);
                        } else {
                            self.counters.set_failover(svc, None, false);
                        }
                        changed = true;
                    }
                    None => {
                        if let Some(i) = first {
                            self.promote(svc, i, s.now());
                            self.counters.set_failover(svc, first, false);
                            changed = true;
                        }
                    }
                }
            }
            self.probe = status;
            if !changed {
                return;
            }
        }
        debug_assert!(false, "failover states did not settle");
    }

    /// A healthy active instance `a`: if a healthy standby cannot reach
    /// it (a partition, a broken link), the standby suspects it and will
    /// promote itself after a failover time; if the standby reaches it
    /// again first, the suspicion is dropped.
    fn watch_heartbeats(
        &mut self,
        svc: usize,
        a: usize,
        status: &Status,
        s: &mut Scheduler<SystemEvent>,
    ) {
        let eff = &status.effective[svc];
        if self.counters.split(svc).is_some() {
            return;
        }
        let Some(f) = self.failovers[svc].as_mut() else {
            return;
        };
        // A fenced instance stays fenced until it reaches the active again.
        if let Some(x) = f.fenced
            && (x == a || self.eval.instances_reach(status, svc, a, x))
        {
            f.fenced = None;
        }
        let fenced = f.fenced;
        let cut_off = (0..eff.len()).find(|&b| {
            b != a && eff[b] && Some(b) != fenced && !self.eval.instances_reach(status, svc, a, b)
        });
        let spec = self.spec.services[svc]
            .failover
            .as_ref()
            .expect("an active-passive service");
        let Some(f) = self.failovers[svc].as_mut() else {
            return;
        };
        match (cut_off, f.suspect) {
            (Some(b), None) => {
                let d = spec.duration.sample(&mut f.duration_rng);
                let timer = s.schedule_after(d, SystemEvent::SuspectDone(svc as u32));
                f.suspect = Some((timer, b));
            }
            (None, Some((timer, _))) => {
                s.cancel(timer);
                f.suspect = None;
            }
            _ => {}
        }
    }

    fn cancel_suspicion(&mut self, svc: usize, s: &mut Scheduler<SystemEvent>) {
        let Some(f) = self.failovers[svc].as_mut() else {
            return;
        };
        if let Some((timer, _)) = f.suspect.take() {
            s.cancel(timer);
        }
        if let Some((timer, _, _)) = f.miss.take() {
            s.cancel(timer);
        }
    }

    /// A healthy active instance `a` other than the first: if the first
    /// is healthy and reachable again and the service fails back, starts
    /// the planned switchover to it. Returns whether it started one.
    fn start_failback(
        &mut self,
        svc: usize,
        a: usize,
        status: &Status,
        s: &mut Scheduler<SystemEvent>,
    ) -> bool {
        let Some(spec) = &self.spec.services[svc].failover else {
            return false;
        };
        let Some(duration) = &spec.failback else {
            return false;
        };
        let home_ok = a != 0
            && status.effective[svc][0]
            && self.counters.split(svc).is_none()
            && self.eval.instances_reach(status, svc, a, 0);
        if !home_ok
            || self.failovers[svc]
                .as_ref()
                .is_none_or(|f| f.suspect.is_some())
        {
            return false;
        }
        self.cancel_suspicion(svc, s);
        let f = self.failovers[svc].as_mut().expect("failover machinery");
        let d = duration.sample(&mut f.failback_rng);
        f.timer = Some(s.schedule_after(d, SystemEvent::FailoverDone(svc as u32)));
        f.target = Some(0);
        // A planned switchover waits for the replicas: nothing is lost.
        f.pending_loss = None;
        f.fenced = None;
        self.counters.set_failover(svc, None, true);
        if s.now() >= self.warmup {
            self.failbacks += 1;
        }
        true
    }

    /// A healthy active instance `a` with heartbeats: if the heartbeats to
    /// a standby it reaches are being lost (a lossy link, a gray host), the
    /// standby will miss enough in a row to suspect it, after a time drawn
    /// for the current loss; the draw is renewed whenever the loss changes.
    fn watch_losses(
        &mut self,
        svc: usize,
        a: usize,
        status: &Status,
        s: &mut Scheduler<SystemEvent>,
    ) {
        let Some(hb) = self.spec.services[svc]
            .failover
            .as_ref()
            .and_then(|f| f.heartbeat)
        else {
            return;
        };
        let quiet = self.counters.split(svc).is_none();
        let Some(f) = self.failovers[svc].as_ref() else {
            return;
        };
        let eff = &status.effective[svc];
        let candidate = if f.suspect.is_some() || !quiet {
            None
        } else {
            (0..eff.len())
                .filter(|&b| {
                    b != a
                        && eff[b]
                        && Some(b) != f.fenced
                        && self.eval.instances_reach(status, svc, a, b)
                })
                .map(|b| {
                    let loss = self.eval.message_loss(status, &self.counters, svc, a, b);
                    ((loss * 1e6).round() as u64, b)
                })
                .filter(|&(ppm, _)| ppm > 0)
                // The lossiest path; the first standby among equals.
                .max_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)))
        };
        let f = self.failovers[svc].as_mut().expect("failover machinery");
        match (candidate, f.miss) {
            (Some((ppm, b)), Some((_, ppm0, b0))) if ppm == ppm0 && b == b0 => {}
            (candidate, old) => {
                if let Some((timer, _, _)) = old {
                    s.cancel(timer);
                    f.miss = None;
                }
                if let Some((ppm, b)) = candidate {
                    let mean_us = hb.mean_time_to_suspicion(ppm as f64 / 1e6);
                    let draw = -mean_us * f.heartbeat_rng.open01().ln();
                    let d = SimDuration::from_micros(draw.min(MAX_DELAY_US) as u64);
                    let timer = s.schedule_after(d, SystemEvent::HeartbeatMiss(svc as u32));
                    f.miss = Some((timer, ppm, b));
                }
            }
        }
    }

    /// A standby has missed enough heartbeats to suspect the healthy
    /// active instance. With fencing, the active instance is stopped and
    /// the standby promoted: a needless failover, down for its duration,
    /// losing what was not yet replicated. Without fencing, the standby
    /// promotes itself and the old primary keeps serving until a heartbeat
    /// gets through: a split brain.
    fn heartbeat_miss(&mut self, svc: usize, s: &mut Scheduler<SystemEvent>) {
        let Some((_, ppm, b)) = self.failovers[svc].as_mut().and_then(|f| f.miss.take()) else {
            return;
        };
        let now = s.now();
        self.probe();
        let status = &self.probe;
        let Some(a) = self.counters.active(svc) else {
            return;
        };
        let eff = &status.effective[svc];
        if self.counters.switching(svc)
            || !eff[a]
            || !eff[b]
            || !self.eval.instances_reach(status, svc, a, b)
        {
            return;
        }
        let spec = self.spec.services[svc]
            .failover
            .as_ref()
            .expect("an active-passive service");
        let interval = spec.heartbeat.map_or(SimDuration::ZERO, |h| h.interval);
        if now >= self.warmup {
            self.needless += 1;
        }
        let cause = self.cause_of_message_loss(svc, a);
        self.start_loss(svc, a, now);
        let f = self.failovers[svc].as_mut().expect("failover machinery");
        if spec.fencing {
            let d = spec.duration.sample(&mut f.duration_rng);
            f.timer = Some(s.schedule_after(d, SystemEvent::FailoverDone(svc as u32)));
            f.target = Some(b);
            f.cause = cause;
            f.fenced = Some(a);
            self.counters.set_failover(svc, None, true);
        } else {
            // The old primary learns of the new one at the first heartbeat
            // that gets through: geometric in heartbeats.
            let p = (ppm as f64 / 1e6).min(1.0 - 1e-9);
            let beats = 1.0 + (f.heartbeat_rng.open01().ln() / p.ln()).floor();
            let d = SimDuration::from_micros(
                (beats * interval.as_micros() as f64).min(MAX_DELAY_US) as u64,
            );
            f.hold = Some(s.schedule_after(d, SystemEvent::HeartbeatBack(svc as u32)));
            f.split_since = Some(now);
            self.promote(svc, b, now);
            self.counters.set_failover(svc, Some(b), false);
            self.counters.set_split(svc, Some(a));
            if now >= self.warmup {
                self.split_brains += 1;
            }
        }
    }

    /// The fault that makes messages from instance `a` of `svc` get lost:
    /// the first active degradation of its host or of a link.
    fn cause_of_message_loss(&self, svc: usize, a: usize) -> Option<usize> {
        let host = self.spec.services[svc].instances[a].host;
        self.activations
            .iter()
            .flatten()
            .find(|act| match act.held {
                Held::Degrade(Element::Host(h), _) => h == host,
                Held::Degrade(Element::Link(_), _) => true,
                _ => false,
            })
            .map(|act| self.processes[act.process as usize].fault)
    }

    /// The suspecting standby promotes itself. With fencing, the old
    /// active instance is stopped; without, it keeps serving: split brain.
    fn suspect_done(&mut self, svc: usize, now: SimTime) {
        let Some((_, b)) = self.failovers[svc].as_mut().and_then(|f| f.suspect.take()) else {
            return;
        };
        self.probe();
        let status = &self.probe;
        let Some(a) = self.counters.active(svc) else {
            return;
        };
        if !status.effective[svc][b] || self.eval.instances_reach(status, svc, a, b) {
            return;
        }
        let fencing = self.spec.services[svc]
            .failover
            .as_ref()
            .is_none_or(|f| f.fencing);
        if now >= self.warmup {
            self.needless += 1;
        }
        self.start_loss(svc, a, now);
        self.promote(svc, b, now);
        self.counters.set_failover(svc, Some(b), false);
        if fencing {
            if let Some(f) = self.failovers[svc].as_mut() {
                f.fenced = Some(a);
            }
        } else {
            self.counters.set_split(svc, Some(a));
            if let Some(f) = self.failovers[svc].as_mut() {
                f.split_since = Some(now);
            }
            if now >= self.warmup {
                self.split_brains += 1;
            }
        }
    }

    /// Ends a split brain once the two primaries reach each other again
    /// (or the old one dies): the old primary's side loses the writes it
    /// took meanwhile, half of all writes for as long as it lasted.
    /// Returns whether it ended one.
    fn settle_split(
        &mut self,
        svc: usize,
        status: &Status,
        s: &mut Scheduler<SystemEvent>,
    ) -> bool {
        let eff = &status.effective[svc];
        let (Some(old), Some(new)) = (self.counters.split(svc), self.counters.active(svc)) else {
            return false;
        };
        let held = self.failovers[svc]
            .as_ref()
            .is_some_and(|f| f.hold.is_some());
        if eff[old] && eff[new] && (held || !self.eval.instances_reach(status, svc, old, new)) {
            return false;
        }
        if let Some(timer) = self.failovers[svc].as_mut().and_then(|f| f.hold.take()) {
            s.cancel(timer);
        }
        let now = s.now();
        self.counters.set_split(svc, None);
        let since = self.failovers[svc]
            .as_mut()
            .and_then(|f| f.split_since.take())
            .unwrap_or(now);
        let from = since.max(self.warmup);
        let span = now - from;
        self.split_brain_hours += span.as_hours_f64();
        if let Some(data) = &self.spec.services[svc].data
            && let Some(f) = self.failovers[svc].as_mut()
        {
            let lost = poisson_count(
                &mut f.data_rng,
                0.5 * data.writes_per_second * span.as_secs_f64(),
            );
            if now >= self.warmup {
                self.record_loss(lost, span.as_hours_f64(), svc, span, LossCause::SplitBrain);
            }
        }
        true
    }

    /// A failover of `svc` ends: it resumes on any effective instance.
    fn failover_done(&mut self, svc: usize, now: SimTime) {
        if let Some(f) = self.failovers[svc].as_mut() {
            f.timer = None;
        }
        self.probe();
        let eff = &self.probe.effective[svc];
        let target = self.failovers[svc].as_mut().and_then(|f| f.target.take());
        let next = target
            .filter(|&t| eff[t])
            .or_else(|| eff.iter().position(|&e| e));
        if let Some(i) = next {
            self.promote(svc, i, now);
        }
        self.counters.set_failover(svc, next, false);
    }

    /// The active instance `a` of `svc` is lost at `now`: draws the writes
    /// it had not replicated, to be lost if another instance takes over.
    fn start_loss(&mut self, svc: usize, a: usize, now: SimTime) {
        let Some(f) = self.failovers[svc].as_mut() else {
            return;
        };
        let Some(data) = &self.spec.services[svc].data else {
            // Nothing to lose, but the promotion still counts as a
            // failover.
            f.pending_loss = Some((0, 0.0, SimDuration::ZERO, a));
            return;
        };
        let rate = data.writes_per_second;
        let (lost, window_h, window) = match &data.replication {
            None | Some(Replication::Sync) => (0, 0.0, SimDuration::ZERO),
            Some(Replication::Async { lag }) => {
                let mean_s = lag.mean_hours() * 3600.0;
                (
                    poisson_count(&mut f.data_rng, rate * mean_s),
                    lag.mean_hours(),
                    SimDuration::from_hours_f64(lag.mean_hours()),
                )
            }
            Some(Replication::Batch { interval }) => {
                let since = SimDuration::from_micros(now.as_micros() % interval.as_micros().max(1));
                (
                    poisson_count(&mut f.data_rng, rate * since.as_secs_f64()),
                    since.as_hours_f64(),
                    since,
                )
            }
        };
        f.pending_loss = Some((lost, window_h, window, a));
    }

    /// Instance `i` of `svc` becomes active at `now`: if another instance
    /// was active before, that is a failover, and the writes it had not
    /// replicated are lost.
    fn promote(&mut self, svc: usize, i: usize, now: SimTime) {
        let Some(f) = self.failovers[svc].as_mut() else {
            return;
        };
        let Some((lost, window_h, window, old)) = f.pending_loss.take() else {
            return;
        };
        if old == i || now < self.warmup {
            return;
        }
        self.promotions += 1;
        self.record_loss(lost, window_h, svc, window, LossCause::Failover);
    }

    /// Records `lost` writes of `service` over a window of `window_h`
    /// hours (`window` as a duration, for observers), lost for `cause`.
    fn record_loss(
        &mut self,
        lost: u64,
        window_h: f64,
        service: usize,
        window: SimDuration,
        cause: LossCause,
    ) {
        self.lost_writes += lost;
        if lost > 0 {
            self.loss_events += 1;
            self.worst_rpo_hours = self.worst_rpo_hours.max(window_h);
            self.recent_losses.push(WriteLoss {
                service,
                writes: lost,
                window,
                cause,
            });
        }
    }

    /// Data of `svc` is deleted at `now`: restored from the last backup,
    /// losing what was written since (everything, without backups).
    fn delete_data(&mut self, svc: usize, now: SimTime) {
        let Some(data) = &self.spec.services[svc].data else {
            return;
        };
        let since = match data.backup_interval {
            Some(interval) => {
                SimDuration::from_micros(now.as_micros() % interval.as_micros().max(1))
            }
            None => now.since_start(),
        };
        let lost = poisson_count(
            &mut self.data_rngs[svc],
            data.writes_per_second * since.as_secs_f64(),
        );
        if now >= self.warmup {
            self.record_loss(lost, since.as_hours_f64(), svc, since, LossCause::Deletion);
        }
    }

    /// The fault whose removal alone would bring back instance `i` of
    /// `svc`, if any: the cause charged for the failover it triggers.
    fn cause_of_instance_loss(&mut self, svc: usize, i: usize) -> Option<usize> {
        for id in 0..self.activations.len() as u32 {
            if self.activations[id as usize].is_none() {
                continue;
            }
            self.probe_without(id);
            let back = self.probe.effective[svc][i];
            if back {
                let p = self.activations[id as usize].as_ref()?.process;
                return Some(self.processes[p as usize].fault);
            }
        }
        None
    }

    // --------------------------------------------------------- health checks

    /// Schedules the load balancer's view of each checked instance to
    /// follow its health, after the checks' lag; cancels a pending change
    /// that the instance's health has overtaken.
    fn settle_rotation(&mut self, s: &mut Scheduler<SystemEvent>) {
        if self
            .spec
            .services
            .iter()
            .all(|svc| svc.health_check.is_none())
        {
            return;
        }
        self.probe();
        let status = &self.probe;
        for svc in 0..self.spec.services.len() {
            let Some(check) = self.spec.services[svc].health_check else {
                continue;
            };
            for i in 0..self.spec.services[svc].instances.len() {
                let healthy = status.effective[svc][i];
                let routed = self.counters.in_rotation(svc, i);
                let pending = self.rotation_timers[svc][i];
                match (routed == healthy, pending) {
                    // The view matches, and a change under way is moot.
                    (true, Some(timer)) => {
                        s.cancel(timer);
                        self.rotation_timers[svc][i] = None;
                    }
                    (true, None) | (false, Some(_)) => {}
                    (false, None) => {
                        let checks = if healthy {
                            check.healthy_threshold
                        } else {
                            check.unhealthy_threshold
                        };
                        // The first check at a random point of the interval,
                        // the rest one interval apart.
                        let phase =
                            check.interval.as_micros() as f64 * self.check_rngs[svc].open01();
                        let lag = SimDuration::from_micros(phase as u64)
                            + check
                                .interval
                                .saturating_mul(u64::from(checks.saturating_sub(1)));
                        let event = if healthy {
                            SystemEvent::RotationIn(svc as u32, i as u32)
                        } else {
                            SystemEvent::RotationOut(svc as u32, i as u32)
                        };
                        self.rotation_timers[svc][i] = Some(s.schedule_after(lag, event));
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------- measures

    /// Evaluates the current counters into `self.probe`.
    fn probe(&mut self) {
        self.eval.evaluate_into(
            self.spec,
            &self.counters,
            &mut self.probe,
            &mut self.scratch,
        );
    }

    /// Evaluates into `self.probe` as if active fault `id` were over:
    /// removes its effect, evaluates, and applies it again.
    fn probe_without(&mut self, id: u32) {
        // Taken out of its slot while removed, instead of cloned; nothing
        // reads it meanwhile but `remove` and `apply`.
        let slot = self.activations[id as usize]
            .as_mut()
            .expect("an active fault");
        let held = std::mem::replace(&mut slot.held, Held::Surge(0));
        self.remove(&held, id);
        self.probe();
        self.apply(&held, id);
        if let Some(slot) = self.activations[id as usize].as_mut() {
            slot.held = held;
        }
    }

    /// Accumulates the span since the last change, then takes the new state.
    fn update(&mut self, now: SimTime) {
        self.accumulate(now);
        self.last = now;
        self.eval.evaluate_into(
            self.spec,
            &self.counters,
            &mut self.status,
            &mut self.scratch,
        );
        self.entry.set_up(now, self.status.entry_up);
        for (m, &up) in self.services.iter_mut().zip(&self.status.service_up) {
            m.set_up(now, up);
        }
        for (m, q) in self.quorum.iter_mut().zip(&self.status.quorum) {
            if let (Some((reads, writes)), Some((r, w))) = (m, q) {
                reads.set_up(now, *r);
                writes.set_up(now, *w);
            }
        }
        if self.status.entry_up {
            self.shares.clear();
            self.component_shares.clear();
        } else {
            self.shares = self.attribute();
        }
    }

    /// Charges the span from the last change to `now` (its part after the
    /// warm-up) to the state that held during it.
    fn accumulate(&mut self, now: SimTime) {
        let from = self.last.max(self.warmup);
        if now > from {
            let span = now - from;
            let hours = span.as_hours_f64();
            self.served_hours += self.status.served * hours;
            if !self.status.entry_up {
                for &(f, share) in &self.shares {
                    self.attributed[f] += share * hours;
                }
                for &(c, share) in &self.component_shares {
                    self.attributed_components[c] += share * hours;
                }
            } else if self.status.entry_degraded {
                self.degraded += span;
            }
        }
    }

    /// Splits the current downtime among the active faults (see the module
    /// documentation for the rule).
    fn attribute(&mut self) -> Vec<(usize, f64)> {
        let mut active = std::mem::take(&mut self.attr_ids);
        active.clear();
        active.extend(
            self.activations
                .iter()
                .enumerate()
                .filter_map(|(i, a)| a.as_ref().map(|a| (i as u32, &a.held)))
                .filter(|(_, h)| !matches!(h, Held::Degrade(..)))
                .map(|(i, _)| i),
        );
        let mut necessary = Vec::new();
        for &id in &active {
            self.probe_without(id);
            if self.probe.entry_up {
                necessary.push(id);
            }
        }
        let chosen: Vec<u32> = if necessary.is_empty() {
            active
                .iter()
                .copied()
                .filter(|&id| {
                    self.activations[id as usize]
                        .as_ref()
                        .is_some_and(|a| self.touches_entry(&a.held))
                })
                .collect()
        } else {
            necessary
        };
        let chosen = if chosen.is_empty() {
            active.clone()
        } else {
            chosen
        };
        self.attr_ids = active;
        let spec = self.spec;
        let mut causes: Vec<usize> = Vec::new();
        // The components go straight into their shares (set below), so
        // attribution allocates nothing more than before.
        let mut components = std::mem::take(&mut self.component_shares);
        components.clear();
        for a in chosen
            .into_iter()
            .filter_map(|id| self.activations[id as usize].as_ref())
        {
            let fault = self.processes[a.process as usize].fault;
            causes.push(fault);
            components.push((
                match &a.held {
                    Held::Down(e) | Held::Degrade(e, _) => spec.component_slot(*e),
                    Held::Partition => spec.network_slot(),
                    Held::Surge(_) => spec.load_slot(),
                    Held::Rollout(_) => match spec.faults[fault].effect {
                        Effect::Rollout { service, .. } => {
                            spec.component_slot(Element::Service(service))
                        }
                        _ => spec.component_slot(Element::Service(spec.entry.service)),
                    },
                },
                0.0,
            ));
        }
        if causes.is_empty() {
            // Down with no fault active: a failover still under way after
            // its cause was repaired. Charge the faults that set it off,
            // and the services failing over.
            for svc in 0..spec.services.len() {
                if self.counters.switching(svc)
                    && let Some(cause) = self.failovers[svc].as_ref().and_then(|f| f.cause)
                {
                    causes.push(cause);
                    components.push((spec.component_slot(Element::Service(svc)), 0.0));
                }
            }
        }
        if causes.is_empty() {
            // Down after every fault is over: the recovery is still under
            // way (health checks not yet passed). Charge the last repair,
            // and the entry's service.
            if let Some(f) = self.last_repaired {
                causes.push(f);
                components.push((
                    spec.component_slot(Element::Service(spec.entry.service)),
                    0.0,
                ));
            }
        }
        let share = 1.0 / components.len().max(1) as f64;
        for c in &mut components {
            c.1 = share;
        }
        self.component_shares = components;
        let share = 1.0 / causes.len().max(1) as f64;
        causes.into_iter().map(|f| (f, share)).collect()
    }

    /// Whether a held effect touches what the entry point relies on.
    fn touches_entry(&self, held: &Held) -> bool {
        let spec = self.spec;
        let hosts_touched = |e: Element| -> bool {
            spec.services.iter().enumerate().any(|(s, svc)| {
                self.eval.in_closure(s)
                    && svc.instances.iter().enumerate().any(|(i, inst)| {
                        let rack = spec.hosts[inst.host].rack;
                        let zone = spec.racks[rack].zone;
                        match e {
                            Element::Host(h) => h == inst.host,
                            Element::Rack(r) => r == rack,
                            Element::Zone(z) => z == zone,
                            Element::Region(r) => r == spec.zones[zone].region,
                            Element::Service(x) => x == s,
                            Element::Instance(x, y) => x == s && y == i,
                            Element::Link(_) => true,
                        }
                    })
            })
        };
        match held {
            Held::Down(e) | Held::Degrade(e, _) => hosts_touched(*e),
            Held::Partition | Held::Surge(_) => true,
            Held::Rollout(broken) => broken.iter().any(|&e| hosts_touched(e)),
        }
    }
}

impl Model for SystemModel<'_> {
    type Event = SystemEvent;

    fn start(&mut self, s: &mut Scheduler<SystemEvent>) {
        for p in 0..self.processes.len() as u32 {
            self.schedule_next(p, s);
        }
        if let Some(curve) = &self.spec.load_curve {
            let (i, next) = curve.step_at(s.now());
            let upcoming = (i + 1) % curve.steps.len();
            s.schedule_at(next, SystemEvent::LoadStep(upcoming as u32));
        }
    }

    fn handle(&mut self, event: SystemEvent, s: &mut Scheduler<SystemEvent>) {
        self.recent_losses.clear();
        match event {
            SystemEvent::Occur(p) => self.occur(p, s),
            SystemEvent::Detected(p, id) => self.detected(p, id, s),
            SystemEvent::Restored(p, id) => self.restored(p, id, s),
            SystemEvent::Batch(p, id) => self.next_batch(p, id, s),
            SystemEvent::FailoverDone(svc) => self.failover_done(svc as usize, s.now()),
            SystemEvent::SuspectDone(svc) => self.suspect_done(svc as usize, s.now()),
            SystemEvent::LoadStep(_) => self.load_step(s),
            SystemEvent::HeartbeatMiss(svc) => self.heartbeat_miss(svc as usize, s),
            SystemEvent::HeartbeatBack(svc) => {
                if let Some(f) = self.failovers[svc as usize].as_mut() {
                    f.hold = None;
                }
            }
            SystemEvent::RotationOut(svc, i) | SystemEvent::RotationIn(svc, i) => {
                let (svc, i) = (svc as usize, i as usize);
                self.rotation_timers[svc][i] = None;
                let on = matches!(event, SystemEvent::RotationIn(..));
                self.counters.set_rotation(svc, i, on);
            }
        }
        self.settle_failovers(s);
        self.settle_rotation(s);
        self.update(s.now());
    }

    fn finish(&mut self, end: SimTime) {
        // Close the last span, then the per-service measures.
        self.accumulate(end);
        for svc in 0..self.spec.services.len() {
            if self.counters.split(svc).is_some()
                && let Some(since) = self.failovers[svc].as_ref().and_then(|f| f.split_since)
            {
                self.split_brain_hours += (end - since.max(self.warmup)).as_hours_f64();
            }
        }
        self.last = end;
        self.entry.finish(end);
        for m in &mut self.services {
            m.finish(end);
        }
        for (reads, writes) in self.quorum.iter_mut().flatten() {
            reads.finish(end);
            writes.finish(end);
        }
    }

    fn entity_name(&self, entity: u32) -> String {
        if entity == LOAD_ENTITY {
            return "load".into();
        }
        if entity >= FAILOVER_ENTITY_BASE
            && let Some(svc) = self
                .spec
                .services
                .get((entity - FAILOVER_ENTITY_BASE) as usize)
        {
            return format!("failover/{}", svc.name);
        }
        self.processes
            .get(entity as usize)
            .map_or_else(|| entity.to_string(), |p| p.name.clone())
    }
}
