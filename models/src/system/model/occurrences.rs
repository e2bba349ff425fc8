//! Occurrences of faults: scheduling each process's next occurrence, and
//! activations taking hold of their effect (a bad rollout batch by batch).

use sim_core::engine::Scheduler;

use super::{Activation, Held, Kind, SystemEvent, SystemModel};
use crate::system::spec::{Effect, Element, FaultClass, Occurrence};

impl SystemModel<'_> {
    pub(super) fn schedule_next(&mut self, p: u32, s: &mut Scheduler<SystemEvent>) {
        let proc_ = &mut self.processes[p as usize];
        match &self.spec.faults[proc_.fault].occurrence {
            Occurrence::Random { every } => {
                let d = every.sample(&mut proc_.occur_rng);
                proc_.pending = Some(s.schedule_after(d, SystemEvent::Occur(p)));
            }
            Occurrence::AfterUptime { uptime } => {
                proc_.pending = Some(s.schedule_after(*uptime, SystemEvent::Occur(p)));
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

    /// True if the process renews itself (random occurrences, or a
    /// restart after uptime): its next occurrence is counted from the end
    /// of the last one, and one that is skipped is drawn again.
    pub(super) fn renews(&self, p: u32) -> bool {
        matches!(
            self.spec.faults[self.processes[p as usize].fault].occurrence,
            Occurrence::Random { .. } | Occurrence::AfterUptime { .. }
        )
    }

    pub(super) fn apply(&mut self, held: &Held, act: u32) {
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

    pub(super) fn remove(&mut self, held: &Held, act: u32) {
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

    pub(super) fn occur(&mut self, p: u32, s: &mut Scheduler<SystemEvent>) {
        self.processes[p as usize].pending = None;
        let kind = self.processes[p as usize].kind.clone();
        let random = self.renews(p);
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
    pub(super) fn next_batch(&mut self, p: u32, id: u32, s: &mut Scheduler<SystemEvent>) {
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
}
