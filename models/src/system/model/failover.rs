//! Failovers of active-passive services: promotions when the active
//! instance is lost, suspicions of a healthy one (partitions, lost
//! heartbeats), split brains, and failbacks to the first instance.

use sim_core::dist::poisson_count;
use sim_core::engine::Scheduler;
use sim_core::time::{SimDuration, SimTime};

use super::{Held, LossCause, SystemEvent, SystemModel};
use crate::system::health::Status;
use crate::system::spec::Element;

/// The longest delay drawn for a heartbeat process, in microseconds (a
/// thousand years): a loss so small that its suspicion would come later
/// never comes within any run.
const MAX_DELAY_US: f64 = 1000.0 * 8760.0 * 3600.0 * 1e6;

impl SystemModel<'_> {
    /// Brings every active-passive service's failover state in line with
    /// which of its instances are effective: starts failovers when an
    /// active instance is lost, abandons them when nothing is left, and
    /// restarts at once on the first instance back.
    pub(super) fn settle_failovers(&mut self, s: &mut Scheduler<SystemEvent>) {
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
                        if let Some(f) = self.failovers[svc].as_mut() {
                            if let Some(timer) = f.timer.take() {
                                s.cancel(timer);
                            }
                            f.noticing = None;
                        }
                        self.counters.set_failover(svc, None, false);
                        changed = true;
                    } else if self.resume_unnoticed(svc, eff, s) {
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
                        if self.settle_step_down(svc, a, &status) {
                            changed = true;
                            continue;
                        }
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
                        let stale =
                            (first.is_none() && self.wrote_alone(svc, s.now())).then_some(a);
                        if let Some(f) = self.failovers[svc].as_mut() {
                            f.stale = stale;
                        }
                        let cause = self.cause_of_instance_loss(svc, a);
                        if first.is_some() {
                            let f = self.failovers[svc].as_mut().expect("failover machinery");
                            let covered = f.coverage_rng.open01() < spec.coverage;
                            // Under a majority rule, a standby without one
                            // is left to the manual recovery.
                            let voted =
                                first.is_some_and(|b| self.has_majority(svc, b, None, &status));
                            if spec.majority.is_some() && !voted {
                                self.refuse(svc, s.now());
                            }
                            let f = self.failovers[svc].as_mut().expect("failover machinery");
                            f.forced = spec.majority.is_some() && !(covered && voted);
                            let d = if covered && voted {
                                spec.duration.sample(&mut f.duration_rng)
                            } else {
                                spec.manual.sample(&mut f.duration_rng)
                            };
                            // With heartbeats, the standbys notice only
                            // after the timeout; the promotion follows.
                            let detect = spec.heartbeat.map_or(SimDuration::ZERO, |hb| {
                                hb.detection_delay(f.detection_rng.open01())
                            });
                            f.noticing = (!detect.is_zero()).then(|| (s.now() + detect, a));
                            f.timer = Some(
                                s.schedule_after(detect + d, SystemEvent::FailoverDone(svc as u32)),
                            );
                            f.cause = cause;
                            f.target = first;
                            self.counters.set_failover(svc, None, true);
                        } else {
                            self.counters.set_failover(svc, None, false);
                        }
                        changed = true;
                    }
                    None => {
                        // A stale standby waits for the instance whose
                        // writes only it has.
                        let stale = self.failovers[svc].as_ref().and_then(|f| f.stale);
                        let pick = match stale {
                            Some(old) => eff[old].then_some(old),
                            None => first,
                        };
                        if let Some(i) = pick {
                            if let Some(f) = self.failovers[svc].as_mut() {
                                f.stale = None;
                            }
                            // Restarted alone: it serves without a majority.
                            if let Some(f) = self.failovers[svc].as_mut() {
                                f.forced = spec.majority.is_some();
                            }
                            self.promote(svc, i, s.now());
                            self.counters.set_failover(svc, Some(i), false);
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
        let cut_off = self.majority_gate(svc, cut_off, status, s.now());
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
                // With heartbeats, the cut-off standby suspects the active
                // instance only after the timeout of silence.
                let d = d + spec.heartbeat.map_or(SimDuration::ZERO, |hb| {
                    hb.detection_delay(f.detection_rng.open01())
                });
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

    /// A failover of `svc` under way whose lost active instance is
    /// effective again before the standbys noticed it was gone: nothing
    /// was suspected, so it goes on serving (keeping its unreplicated
    /// writes). Returns whether it resumed.
    fn resume_unnoticed(
        &mut self,
        svc: usize,
        eff: &[bool],
        s: &mut Scheduler<SystemEvent>,
    ) -> bool {
        let now = s.now();
        let Some(f) = self.failovers[svc].as_mut() else {
            return false;
        };
        let Some((until, a)) = f.noticing else {
            return false;
        };
        if now >= until {
            f.noticing = None;
            return false;
        }
        if !eff[a] {
            return false;
        }
        f.noticing = None;
        f.target = None;
        f.cause = None;
        if let Some(timer) = f.timer.take() {
            s.cancel(timer);
        }
        self.promote(svc, a, now);
        self.counters.set_failover(svc, Some(a), false);
        true
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
    pub(super) fn heartbeat_miss(&mut self, svc: usize, s: &mut Scheduler<SystemEvent>) {
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
        let serving = self.serving_active(svc, status);
        if !self.has_majority(svc, b, serving, status) {
            self.refuse(svc, now);
            return;
        }
        if now >= self.warmup {
            self.needless += 1;
            self.service_data[svc].needless_failovers += 1;
        }
        let cause = self.cause_of_message_loss(svc, a);
        self.start_loss(svc, a, now);
        let f = self.failovers[svc].as_mut().expect("failover machinery");
        if spec.fencing || spec.majority.is_some() {
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
    pub(super) fn suspect_done(&mut self, svc: usize, now: SimTime) {
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
        let serving = self.serving_active(svc, status);
        if !self.has_majority(svc, b, serving, status) {
            self.refuse(svc, now);
            return;
        }
        // A majority rule fences as well: the old primary has stepped down.
        let fencing = self.spec.services[svc]
            .failover
            .as_ref()
            .is_none_or(|f| f.fencing || f.majority.is_some());
        if now >= self.warmup {
            self.needless += 1;
            self.service_data[svc].needless_failovers += 1;
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
    pub(super) fn failover_done(&mut self, svc: usize, now: SimTime) {
        if let Some(f) = self.failovers[svc].as_mut() {
            f.timer = None;
            f.noticing = None;
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
        self.service_data[svc].failovers += 1;
        self.record_loss(lost, window_h, svc, window, LossCause::Failover);
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
}
