//! Faults: the dependency's and the instances' failures and repairs, and
//! the health checks through which the balancer learns of them.

use sim_core::engine::Scheduler;
use sim_core::time::SimTime;

use super::{RequestEvent, RequestModel};
use crate::request::measures::FailureCause;

impl RequestModel {
    /// The dependency fails at `now`.
    pub(super) fn on_dependency_down(&mut self, s: &mut Scheduler<RequestEvent>) {
        let now = s.now().as_micros();
        let d = self.dependency.as_mut().expect("only a dependency fails");
        let repair = d.fail(now);
        s.schedule_after(repair, RequestEvent::DependencyUp);
    }

    /// The dependency is repaired at `now`.
    pub(super) fn on_dependency_up(&mut self, s: &mut Scheduler<RequestEvent>) {
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
    pub(super) fn on_instance_down(&mut self, i: u32, s: &mut Scheduler<RequestEvent>) {
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
    pub(super) fn on_instance_up(&mut self, i: u32, s: &mut Scheduler<RequestEvent>) {
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
    pub(super) fn on_health_check(&mut self, i: u32) {
        if let Some(f) = self.faults[i as usize].as_mut() {
            f.flip = None;
        }
        self.dispatcher.set_up(i, self.alive[i as usize]);
    }
}
