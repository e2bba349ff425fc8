//! The events of the system model, their trace codes and entities, and the
//! [`Model`] implementation that dispatches them to their handlers.

use sim_core::engine::{Model, Scheduler, TraceEvent};
use sim_core::time::SimTime;

use super::SystemModel;

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
    /// Checks of the healthy instance `1` of service `0` have failed often
    /// enough in a row (false failures): the balancer takes it out of
    /// rotation until enough pass in a row again.
    FalseRemoval(u32, u32),
    /// An instance launched by the autoscaler of service `0` on slot `1`
    /// is ready: it serves from now on.
    ScaleLaunched(u32, u32),
    /// The cooldown of service `0`'s autoscaler is over: a scale-in it
    /// held back may go ahead.
    ScaleCheck(u32),
    /// A semi-synchronous stall of service `0` reaches its timeout: the
    /// active instance may go on alone.
    SyncTimeout(u32),
    /// A leader election of quorum store `0` ends: the first replica that
    /// reaches a majority leads.
    ElectionDone(u32),
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
            SystemEvent::FalseRemoval(..) => 12,
            SystemEvent::ScaleLaunched(..) => 13,
            SystemEvent::ScaleCheck(_) => 14,
            SystemEvent::SyncTimeout(_) => 15,
            SystemEvent::ElectionDone(_) => 16,
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
            SystemEvent::FalseRemoval(..) => "false_removal",
            SystemEvent::ScaleLaunched(..) => "scale_launched",
            SystemEvent::ScaleCheck(_) => "scale_check",
            SystemEvent::SyncTimeout(_) => "sync_timeout",
            SystemEvent::ElectionDone(_) => "election_done",
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
            | SystemEvent::HeartbeatBack(s)
            | SystemEvent::FalseRemoval(s, _)
            | SystemEvent::ScaleLaunched(s, _)
            | SystemEvent::ScaleCheck(s)
            | SystemEvent::SyncTimeout(s)
            | SystemEvent::ElectionDone(s) => FAILOVER_ENTITY_BASE + s,
            SystemEvent::LoadStep(_) => LOAD_ENTITY,
        }
    }
}

/// Entity ids of failover events: services, numbered from here, so that
/// they never collide with fault processes.
const FAILOVER_ENTITY_BASE: u32 = 1 << 31;

/// The entity id of the load curve's steps, just below the services'.
const LOAD_ENTITY: u32 = FAILOVER_ENTITY_BASE - 1;

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
        // Checks that can fail a healthy instance start at once.
        if self
            .spec
            .services
            .iter()
            .any(|svc| svc.health_check.is_some_and(|c| c.false_failure > 0.0))
        {
            self.settle_rotation(s);
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
                if on {
                    self.counters.set_false_out(svc, i, false);
                }
            }
            SystemEvent::FalseRemoval(svc, i) => self.false_removal(svc as usize, i as usize, s),
            SystemEvent::ScaleLaunched(svc, i) => {
                self.scale_launched(svc as usize, i as usize, s.now());
            }
            SystemEvent::ScaleCheck(svc) => self.scale_check(svc as usize),
            // The stall's state is taken again by the update below.
            SystemEvent::SyncTimeout(_) => {}
            SystemEvent::ElectionDone(svc) => self.election_done(svc as usize),
        }
        self.settle_failovers(s);
        self.settle_elections(s);
        self.settle_rotation(s);
        self.settle_scaling(s);
        self.update(s.now());
        self.schedule_write_timeouts(s);
    }

    fn finish(&mut self, end: SimTime) {
        // Close the last span, then the per-service measures.
        self.accumulate(end);
        self.finish_scaling(end);
        for svc in 0..self.spec.services.len() {
            if self.counters.split(svc).is_some()
                && let Some(since) = self.failovers[svc].as_ref().and_then(|f| f.split_since)
            {
                self.split_brain_hours += (end - since.max(self.warmup)).as_hours_f64();
            }
        }
        self.last = end;
        if !self.spec.costs.sla_credits.is_empty() {
            self.sla.finish(&self.spec.costs, end);
        }
        self.entry.finish(end);
        for m in &mut self.services {
            m.finish(end);
        }
        for (reads, writes) in self.quorum.iter_mut().flatten() {
            reads.finish(end);
            writes.finish(end);
        }
        self.finish_writes(end);
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
