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

mod attribution;
mod elections;
mod events;
mod failover;
mod health_checks;
mod losses;
mod measures;
mod occurrences;
mod promotion;
mod renewals;
mod repairs;
mod scaling;
mod writes;

use std::collections::VecDeque;

use sim_core::engine::Scheduler;
use sim_core::queue::EventId;
use sim_core::rng::RngStream;
use sim_core::time::{SimDuration, SimTime};

use super::cost::{self, CostPerYear, SlaMonths};
use super::health::{Counters, Evaluator, Scratch, Status};
use super::spec::{Effect, Element, SystemSpec};
use crate::measure::ServiceMeasures;

pub use events::SystemEvent;
pub use losses::{LossCause, WriteLoss};
pub use measures::{ServiceData, SystemMeasures};
pub use writes::WriteMeasures;

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
    /// A lost active instance that wrote alone while every standby was
    /// away: no standby has its writes, so none is promoted; the service
    /// waits for this instance to come back.
    stale: Option<usize>,
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
    /// Draws the phase of the last heartbeat before a real failure of the
    /// active instance, which sets how long the standbys take to notice.
    detection_rng: RngStream,
    /// While the standbys have not yet noticed that the active instance
    /// is gone: (the instant they will, that instance).
    noticing: Option<(SimTime, usize)>,
    /// Under a majority rule: the active instance was put in place by hand
    /// (or restarted alone) and serves without a majority until it has
    /// reached one again.
    forced: bool,
    /// Under a majority rule: the standby whose promotion is refused for
    /// want of a majority, while it stays so (counted once).
    refused: Option<usize>,
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
    /// The pending occurrence of a renewing process (random, or after
    /// uptime), so that a restart can cancel it; none while it is active.
    pending: Option<EventId>,
    /// The processes whose age this process's ended activations renew.
    resets: Vec<u32>,
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
    /// Per host: its age-based maintenance processes (empty when no fault
    /// restarts hosts after uptime).
    uptime_clocks: Vec<Vec<u32>>,
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
    /// Per service: its own failovers and losses.
    service_data: Vec<ServiceData>,
    /// Per service: whether the entry point needs it
    /// ([`SystemSpec::entry_closure`]).
    entry_closure: Vec<bool>,
    /// Per service with data: the stream for losses outside failovers.
    data_rngs: Vec<RngStream>,
    /// Per service: the phase of its health checks.
    check_rngs: Vec<RngStream>,
    /// The fault whose repair ended last: charged for downtime that
    /// outlasts every fault (an instance back but not yet in rotation).
    last_repaired: Option<usize>,
    /// Per service, per instance: a pending change of rotation.
    rotation_timers: Vec<Vec<Option<(EventId, health_checks::Pending)>>>,
    /// Per service: draws the time to a false removal of a healthy
    /// instance.
    false_removal_rngs: Vec<RngStream>,
    /// Per service: draws the outcomes of the checks that bring an
    /// instance back into rotation.
    recheck_rngs: Vec<RngStream>,
    /// Healthy instances taken out of rotation by false failures.
    false_removals: u64,
    /// Activations begun and ended so far, warm-up included (for
    /// observers; nothing simulated reads them).
    begun: u64,
    ended: u64,
    /// The number of the activation that ended last.
    last_ended: Option<u64>,
    /// The losses of writes recorded while handling the last event (for
    /// observers; cleared as each event begins).
    recent_losses: Vec<WriteLoss>,
    /// Per fault: repairs that ended after the warm-up.
    repairs: Vec<u64>,
    /// Per active-passive service with data: its writes' state.
    writes: Vec<Option<writes::WriteState>>,
    /// Whether any service's writes wait for a standby (sync, semi-sync).
    writes_wait: bool,
    /// Per leader-based quorum store: its elections.
    elections: Vec<Option<elections::Election>>,
    /// Round trips between zones as the network stands.
    rtt: super::network::RttTable,
    /// The entry point's downtime by month, for service-level credits
    /// (followed only when the spec has credit tiers).
    sla: SlaMonths,
    /// The autoscalers of the autoscaled services.
    scalers: Vec<scaling::Scaler>,
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
                    pending: None,
                    resets: Vec::new(),
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
        let links = renewals::renewal_links(spec, &processes);
        for (proc_, resets) in processes.iter_mut().zip(links.resets) {
            proc_.resets = resets;
        }
        let eval = Evaluator::new(spec);
        let mut counters = Counters::new(spec);
        if let Some(curve) = &spec.load_curve {
            counters.set_curve_factor(curve.steps[0].1);
        }
        let scalers = scaling::Scaler::all(spec, &mut counters);
        let status = eval.evaluate(spec, &counters);
        let mut model = SystemModel {
            scalers,
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
                            stale: None,
                            target: None,
                            suspect: None,
                            split_since: None,
                            fenced: None,
                            miss: None,
                            heartbeat_rng: RngStream::new(seed, replication, &entity, "heartbeat"),
                            hold: None,
                            failback_rng: RngStream::new(seed, replication, &entity, "failback"),
                            detection_rng: RngStream::new(seed, replication, &entity, "detection"),
                            noticing: None,
                            forced: false,
                            refused: None,
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
            service_data: vec![ServiceData::default(); spec.services.len()],
            entry_closure: spec.entry_closure(),
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
            false_removal_rngs: spec
                .services
                .iter()
                .map(|svc| {
                    let entity = format!("health-check/{}", svc.name);
                    RngStream::new(seed, replication, &entity, "false-removal")
                })
                .collect(),
            recheck_rngs: spec
                .services
                .iter()
                .map(|svc| {
                    let entity = format!("health-check/{}", svc.name);
                    RngStream::new(seed, replication, &entity, "recheck")
                })
                .collect(),
            false_removals: 0,
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
            repairs: vec![0; spec.faults.len()],
            sla: SlaMonths::new(warmup),
            writes: writes::write_states(spec, warmup),
            writes_wait: writes::any_waits(spec),
            elections: elections::elections(spec, seed, replication),
            rtt: super::network::RttTable::new(spec),
            uptime_clocks: links.uptime_clocks,
            counters,
            status,
            eval,
            spec,
        };
        model.settle_writes(SimTime::ZERO);
        model
    }

    /// The entry point's measures.
    pub fn measures(&self) -> &ServiceMeasures {
        &self.entry
    }

    /// Everything else measured.
    pub fn system_measures(&self) -> SystemMeasures {
        // The headline's data and failovers: those of the services the
        // entry point needs, not of services beside it.
        let mut entry = ServiceData::default();
        for (d, _) in self
            .service_data
            .iter()
            .zip(&self.entry_closure)
            .filter(|(_, inside)| **inside)
        {
            entry.failovers += d.failovers;
            entry.needless_failovers += d.needless_failovers;
            entry.lost_writes += d.lost_writes;
            entry.loss_events += d.loss_events;
            entry.worst_rpo_hours = entry.worst_rpo_hours.max(d.worst_rpo_hours);
        }
        let mut m = SystemMeasures {
            services: self.services.clone(),
            degraded_hours: self.degraded.as_hours_f64(),
            served_hours: self.served_hours,
            attributed_hours: self.attributed.clone(),
            attributed_component_hours: self.attributed_components.clone(),
            occurrences: self.occurrences.clone(),
            failovers: entry.failovers,
            needless_failovers: entry.needless_failovers,
            failbacks: self.failbacks,
            lost_writes: entry.lost_writes,
            service_data: self.service_data.clone(),
            loss_events: entry.loss_events,
            worst_rpo_hours: entry.worst_rpo_hours,
            split_brain_hours: self.split_brain_hours,
            split_brains: self.split_brains,
            quorum: self.quorum.clone(),
            writes: self.write_measures(),
            repairs: self.repairs.clone(),
            sla_credits: self.sla.credits(),
            sla_breached_months: self.sla.breached_months(),
            cost: CostPerYear::default(),
        };
        self.scaling_data(&mut m.service_data);
        m.cost = cost::per_year(self.spec, &self.entry, &m);
        m
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

    /// Healthy instances taken out of rotation by false health-check
    /// failures after the warm-up so far.
    pub fn false_removals(&self) -> u64 {
        self.false_removals
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
}
