//! The autoscaler of each autoscaled service: which of its slots run,
//! launches after the scale-out delay, stops after the cooldown, and the
//! instance-hours it runs.
//!
//! The scaler acts on events only: after every event of the model it
//! looks at the services it scales, drops the instances whose slots have
//! failed, and compares what runs with what the offered load wants (see
//! [`AutoscaleSpec`]). A launch ends with a `ScaleLaunched` event; a
//! scale-in held back by the cooldown is looked at again by a
//! `ScaleCheck` event when the cooldown ends. Nothing is drawn at random.
//!
//! Instance-hours count every running or launching instance (a launching
//! instance is paid for, though it serves nothing yet).

use sim_core::engine::Scheduler;
use sim_core::queue::EventId;
use sim_core::time::SimTime;

use super::{SystemEvent, SystemModel};
use crate::system::health::{Counters, Evaluator};
use crate::system::spec::{AutoscaleSpec, Element, SystemSpec, UpRule};

/// One slot of an autoscaled service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Stopped,
    /// Launched; it serves once its timer fires.
    Launching(EventId),
    Running,
}

/// The autoscaler of one service.
#[derive(Debug)]
pub(super) struct Scaler {
    service: usize,
    spec: AutoscaleSpec,
    slots: Vec<Slot>,
    /// Per slot: its zone.
    zones: Vec<usize>,
    /// When the scaler last launched or stopped instances.
    last_action: Option<SimTime>,
    /// A pending look at the end of the cooldown: (timer, when).
    check: Option<(EventId, SimTime)>,
    /// Running or launching instances now.
    active: u32,
    /// Since when `active` has held.
    since: SimTime,
    /// Instance-hours after the warm-up so far.
    pub(super) instance_hours: f64,
    /// Scaling actions (a launch or a stop of one or more instances)
    /// after the warm-up so far.
    pub(super) actions: u64,
}

/// The offered load of a capacity-rule service and one instance's
/// capacity, in requests per second.
fn load_and_capacity(spec: &SystemSpec, svc: usize, c: &Counters) -> (f64, f64) {
    match spec.services[svc].up_rule {
        UpRule::Capacity {
            per_instance_rps,
            load_rps,
        } => (load_rps * c.load_factor(), per_instance_rps),
        _ => (0.0, 1.0),
    }
}

impl Scaler {
    /// The scalers of `spec`'s autoscaled services, each running what the
    /// initial load wants (marked in `counters`; nothing launches at time
    /// zero, the pool starts sized).
    pub(super) fn all(spec: &SystemSpec, counters: &mut Counters) -> Vec<Scaler> {
        let mut out = Vec::new();
        for (svc, s) in spec.services.iter().enumerate() {
            let Some(a) = s.autoscale else { continue };
            let mut sc = Scaler {
                service: svc,
                spec: a,
                slots: vec![Slot::Stopped; s.instances.len()],
                zones: s
                    .instances
                    .iter()
                    .map(|i| spec.zone_of_host(i.host))
                    .collect(),
                last_action: None,
                check: None,
                active: 0,
                since: SimTime::ZERO,
                instance_hours: 0.0,
                actions: 0,
            };
            let (load, cap) = load_and_capacity(spec, svc, counters);
            for _ in 0..a.wanted(load, cap) {
                match sc.pick_launch(|_| true) {
                    Some(i) => {
                        sc.slots[i] = Slot::Running;
                        sc.active += 1;
                    }
                    None => break,
                }
            }
            for (i, slot) in sc.slots.iter().enumerate() {
                counters.set_stopped(svc, i, *slot != Slot::Running);
            }
            out.push(sc);
        }
        out
    }

    /// Running or launching instances in `zone`.
    fn in_zone(&self, zone: usize) -> u32 {
        self.slots
            .iter()
            .zip(&self.zones)
            .filter(|&(s, &z)| z == zone && *s != Slot::Stopped)
            .count() as u32
    }

    /// The stopped, healthy slot to launch next: in the zone with fewest
    /// running or launching instances, below `per_zone_max`; ties by slot
    /// index.
    fn pick_launch(&self, healthy: impl Fn(usize) -> bool) -> Option<usize> {
        let cap = self.spec.per_zone_max.unwrap_or(u32::MAX);
        (0..self.slots.len())
            .filter(|&i| self.slots[i] == Slot::Stopped && healthy(i))
            .map(|i| (self.in_zone(self.zones[i]), i))
            .filter(|&(n, _)| n < cap)
            .min()
            .map(|(_, i)| i)
    }

    /// The slot to stop next: a launching one first (the highest index),
    /// else the highest running slot of the zone with most running.
    fn pick_stop(&self) -> Option<usize> {
        if let Some(i) = (0..self.slots.len())
            .rev()
            .find(|&i| matches!(self.slots[i], Slot::Launching(_)))
        {
            return Some(i);
        }
        (0..self.slots.len())
            .filter(|&i| self.slots[i] == Slot::Running)
            .map(|i| (self.in_zone(self.zones[i]), i))
            .max()
            .map(|(_, i)| i)
    }

    /// Adds the instance-hours since the last change, after `warmup`.
    fn tally(&mut self, now: SimTime, warmup: SimTime) {
        let from = self.since.max(warmup);
        if now > from {
            self.instance_hours += f64::from(self.active) * (now - from).as_hours_f64();
        }
        self.since = now;
    }

    /// Sets slot `i`, keeping the active count and the counters.
    fn set(&mut self, i: usize, slot: Slot, counters: &mut Counters) {
        let was = self.slots[i] != Slot::Stopped;
        let is = slot != Slot::Stopped;
        self.active = self.active + u32::from(is) - u32::from(was);
        self.slots[i] = slot;
        counters.set_stopped(self.service, i, slot != Slot::Running);
    }

    /// Drops failed instances, then launches or stops what the load asks.
    fn settle(
        &mut self,
        spec: &SystemSpec,
        eval: &Evaluator,
        counters: &mut Counters,
        s: &mut Scheduler<SystemEvent>,
        warmup: SimTime,
    ) {
        let now = s.now();
        self.tally(now, warmup);
        let svc = self.service;
        for i in 0..self.slots.len() {
            let slot = self.slots[i];
            if slot != Slot::Stopped && !eval.element_up(counters, Element::Instance(svc, i)) {
                if let Slot::Launching(id) = slot {
                    s.cancel(id);
                }
                self.set(i, Slot::Stopped, counters);
            }
        }
        let (load, cap) = load_and_capacity(spec, svc, counters);
        let wanted = self.spec.wanted(load, cap);
        if self.active < wanted {
            let mut launched = false;
            while self.active < wanted {
                let Some(i) =
                    self.pick_launch(|i| eval.element_up(counters, Element::Instance(svc, i)))
                else {
                    break;
                };
                let id = s.schedule_at(
                    now.saturating_add(self.spec.scale_out_delay),
                    SystemEvent::ScaleLaunched(svc as u32, i as u32),
                );
                self.set(i, Slot::Launching(id), counters);
                launched = true;
            }
            if launched {
                self.acted(now, warmup);
            }
        } else if self.active > wanted {
            let free = self
                .last_action
                .map_or(now, |t| t.saturating_add(self.spec.cooldown));
            if now >= free {
                while self.active > wanted {
                    let Some(i) = self.pick_stop() else { break };
                    if let Slot::Launching(id) = self.slots[i] {
                        s.cancel(id);
                    }
                    self.set(i, Slot::Stopped, counters);
                }
                self.acted(now, warmup);
            } else if self.check.is_none_or(|(_, t)| t != free) {
                if let Some((id, _)) = self.check.take() {
                    s.cancel(id);
                }
                let id = s.schedule_at(free, SystemEvent::ScaleCheck(svc as u32));
                self.check = Some((id, free));
            }
        }
    }

    fn acted(&mut self, now: SimTime, warmup: SimTime) {
        self.last_action = Some(now);
        if now >= warmup {
            self.actions += 1;
        }
    }
}

impl SystemModel<'_> {
    /// A launch on slot `i` of service `svc` is done: it serves.
    pub(super) fn scale_launched(&mut self, svc: usize, i: usize, now: SimTime) {
        let warmup = self.warmup;
        if let Some(sc) = self.scalers.iter_mut().find(|sc| sc.service == svc)
            && matches!(sc.slots[i], Slot::Launching(_))
        {
            sc.tally(now, warmup);
            sc.set(i, Slot::Running, &mut self.counters);
        }
    }

    /// The cooldown of service `svc`'s scaler is over.
    pub(super) fn scale_check(&mut self, svc: usize) {
        if let Some(sc) = self.scalers.iter_mut().find(|sc| sc.service == svc) {
            sc.check = None;
        }
    }

    /// Brings every scaler in line with the state after an event.
    pub(super) fn settle_scaling(&mut self, s: &mut Scheduler<SystemEvent>) {
        for sc in &mut self.scalers {
            sc.settle(self.spec, &self.eval, &mut self.counters, s, self.warmup);
        }
    }

    /// Closes every scaler's instance-hours at `end`.
    pub(super) fn finish_scaling(&mut self, end: SimTime) {
        for sc in &mut self.scalers {
            sc.tally(end, self.warmup);
        }
    }

    /// Writes each scaler's instance-hours and actions into `data`.
    pub(super) fn scaling_data(&self, data: &mut [super::ServiceData]) {
        for sc in &self.scalers {
            data[sc.service].instance_hours = sc.instance_hours;
            data[sc.service].scaling_actions = sc.actions;
        }
    }
}
