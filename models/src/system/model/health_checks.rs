//! Health checks: the load balancer's view of each checked instance,
//! following its health after the checks' lag, and the false failures
//! that take a healthy instance out of rotation for a while.
//!
//! A false removal needs `unhealthy_threshold` false failures in a row;
//! with false failures rare, that run takes very many checks, so its time
//! is drawn as an exponential with the run's exact mean (as heartbeat
//! suspicions are, see [`HeartbeatSpec::mean_time_to_suspicion`]). The way
//! back, `healthy_threshold` passes in a row, takes a few checks, and is
//! drawn exactly, check by check.
//!
//! [`HeartbeatSpec::mean_time_to_suspicion`]:
//! crate::system::spec::HeartbeatSpec::mean_time_to_suspicion

use sim_core::engine::Scheduler;
use sim_core::rng::RngStream;
use sim_core::time::SimDuration;

use super::{SystemEvent, SystemModel};
use crate::system::spec::HealthCheckSpec;

/// The most checks drawn for one return to rotation: an instance whose
/// checks do not pass often enough in a row within this many stays out
/// that long.
const MAX_CHECKS: u64 = 1_000_000;

/// What a pending rotation timer of an instance will do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pending {
    /// Bring the balancer's view in line with the instance's health.
    Follow,
    /// Take the healthy instance out after a run of false failures.
    FalseRemoval,
}

/// The number of checks, the first included, until `healthy_threshold`
/// checks in a row pass, each failing with probability `false_failure`:
/// exactly `healthy_threshold` without false failures (and no draw).
fn checks_to_pass(check: &HealthCheckSpec, rng: &mut RngStream) -> u64 {
    let need = u64::from(check.healthy_threshold.max(1));
    if check.false_failure <= 0.0 {
        return need;
    }
    let (mut checks, mut run) = (0u64, 0u64);
    while run < need && checks < MAX_CHECKS {
        checks += 1;
        if rng.open01() < check.false_failure {
            run = 0;
        } else {
            run += 1;
        }
    }
    checks
}

impl SystemModel<'_> {
    /// Schedules the load balancer's view of each checked instance to
    /// follow its health, after the checks' lag; cancels a pending change
    /// that the instance's health has overtaken; and, where checks can
    /// fail a healthy instance, schedules the next false removal of each
    /// healthy instance in rotation.
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
            let flaky = check.false_failure > 0.0;
            for i in 0..self.spec.services[svc].instances.len() {
                let healthy = status.effective[svc][i];
                let routed = self.counters.in_rotation(svc, i);
                let pending = self.rotation_timers[svc][i];
                if !healthy && self.counters.false_out(svc, i) {
                    // Out by a false failure, and now really failed: its
                    // return follows its repair.
                    self.counters.set_false_out(svc, i, false);
                }
                match (routed == healthy, pending) {
                    // A healthy instance in rotation: a false removal to
                    // come, if checks can fail it.
                    (true, Some((_, Pending::FalseRemoval))) if healthy => {}
                    (true, pending) if healthy && routed => {
                        if let Some((timer, _)) = pending {
                            s.cancel(timer);
                            self.rotation_timers[svc][i] = None;
                        }
                        if flaky {
                            let mean_us = check.mean_time_to_false_removal();
                            let draw = -mean_us * self.false_removal_rngs[svc].open01().ln();
                            let d = SimDuration::from_micros(draw.min(MAX_DELAY_US) as u64);
                            let timer = s
                                .schedule_after(d, SystemEvent::FalseRemoval(svc as u32, i as u32));
                            self.rotation_timers[svc][i] = Some((timer, Pending::FalseRemoval));
                        }
                    }
                    // The view matches, and a change under way is moot.
                    (true, Some((timer, _))) => {
                        s.cancel(timer);
                        self.rotation_timers[svc][i] = None;
                    }
                    (true, None) | (false, Some((_, Pending::Follow))) => {}
                    (false, pending) => {
                        if let Some((timer, _)) = pending {
                            // A false removal overtaken by a real failure.
                            s.cancel(timer);
                        }
                        let checks = if healthy {
                            checks_to_pass(&check, &mut self.recheck_rngs[svc])
                        } else {
                            u64::from(check.unhealthy_threshold)
                        };
                        // The first check at a random point of the interval,
                        // the rest one interval apart.
                        let phase =
                            check.interval.as_micros() as f64 * self.check_rngs[svc].open01();
                        let lag = SimDuration::from_micros(phase as u64)
                            + check.interval.saturating_mul(checks.saturating_sub(1));
                        let event = if healthy {
                            SystemEvent::RotationIn(svc as u32, i as u32)
                        } else {
                            SystemEvent::RotationOut(svc as u32, i as u32)
                        };
                        self.rotation_timers[svc][i] =
                            Some((s.schedule_after(lag, event), Pending::Follow));
                    }
                }
            }
        }
    }

    /// Checks of the healthy instance `i` of `svc` have failed often enough
    /// in a row: the balancer takes it out of rotation, and puts it back
    /// once enough checks in a row pass, the first one interval later.
    pub(super) fn false_removal(&mut self, svc: usize, i: usize, s: &mut Scheduler<SystemEvent>) {
        self.rotation_timers[svc][i] = None;
        let Some(check) = self.spec.services[svc].health_check else {
            return;
        };
        self.counters.set_rotation(svc, i, false);
        self.counters.set_false_out(svc, i, true);
        if s.now() >= self.warmup {
            self.false_removals += 1;
        }
        let checks = checks_to_pass(&check, &mut self.recheck_rngs[svc]);
        let lag = check.interval.saturating_mul(checks);
        let timer = s.schedule_after(lag, SystemEvent::RotationIn(svc as u32, i as u32));
        self.rotation_timers[svc][i] = Some((timer, Pending::Follow));
    }
}

/// The longest delay drawn for a false removal, in microseconds (a
/// thousand years): checks that fail so rarely never remove a healthy
/// instance within any run.
const MAX_DELAY_US: f64 = 1000.0 * 8760.0 * 3600.0 * 1e6;
