//! Repairs: detection, the wait for a free crew of the fault's team, and
//! the restoration that ends an activation.

use sim_core::engine::Scheduler;

use super::{Kind, SystemEvent, SystemModel};

impl SystemModel<'_> {
    pub(super) fn detected(&mut self, p: u32, id: u32, s: &mut Scheduler<SystemEvent>) {
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

    pub(super) fn restored(&mut self, p: u32, id: u32, s: &mut Scheduler<SystemEvent>) {
        let Some(act) = self.activations[id as usize].take() else {
            return;
        };
        self.remove(&act.held, id);
        self.ended += 1;
        self.last_ended = Some(act.serial);
        self.free.push(id);
        self.last_repaired = Some(self.processes[p as usize].fault);
        if s.now() >= self.warmup {
            self.repairs[self.processes[p as usize].fault] += 1;
        }
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
        let renews = self.renews(p) && !matches!(self.processes[p as usize].kind, Kind::Shock(_));
        if renews {
            self.schedule_next(p, s);
        }
        self.renew_ages(p, &act.held, s);
    }
}
