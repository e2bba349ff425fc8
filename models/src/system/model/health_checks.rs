//! Health checks: the load balancer's view of each checked instance,
//! following its health after the checks' lag.

use sim_core::engine::Scheduler;
use sim_core::time::SimDuration;

use super::{SystemEvent, SystemModel};

impl SystemModel<'_> {
    /// Schedules the load balancer's view of each checked instance to
    /// follow its health, after the checks' lag; cancels a pending change
    /// that the instance's health has overtaken.
    pub(super) fn settle_rotation(&mut self, s: &mut Scheduler<SystemEvent>) {
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
}
