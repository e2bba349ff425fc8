//! Requests and their attempts: arrivals, dispatch to a queue, service,
//! and completion (served, late, or answered without a soft dependency).

use sim_core::engine::Scheduler;
use sim_core::time::SimTime;

use super::{Entry, NEVER, RequestEvent, RequestModel, Server};
use crate::request::measures::FailureCause;

impl RequestModel {
    pub(super) fn on_arrival(&mut self, s: &mut Scheduler<RequestEvent>) {
        let now = s.now().as_micros();
        let next = self.arrivals.next_after(now, &mut self.arrival_rng);
        s.schedule_at(SimTime::from_micros(next), RequestEvent::Arrival);
        let r = self.alloc(now);
        if now >= self.warmup_us {
            self.measures.arrived += 1;
        }
        if let Some((ratio, burst)) = self.budget {
            self.tokens = (self.tokens + ratio).min(burst);
        }
        self.start_attempt(r, now, s);
    }

    /// Request `r` makes an attempt at `now`.
    #[inline(always)]
    pub(super) fn start_attempt(&mut self, r: u32, now: u64, s: &mut Scheduler<RequestEvent>) {
        if now >= self.warmup_us {
            self.measures.attempts += 1;
            if self.requests[r as usize].attempts > 0 {
                self.measures.retries += 1;
            }
        }
        if self.breaker_policy.is_some() && !self.breaker_admits(now) {
            if self.fallback {
                self.finish_fallback(r);
            } else {
                self.finish_failed(r, FailureCause::CircuitOpen);
            }
            return;
        }
        let req = &mut self.requests[r as usize];
        req.ticket = req.ticket.wrapping_add(1);
        req.attempts += 1;
        let entry = Entry {
            at_us: now,
            req: r,
            ticket: req.ticket,
        };
        let (q, instance) = if self.central {
            if self.up_servers == 0 {
                self.attempt_failed(r, FailureCause::NoInstance, now, s);
                return;
            }
            (0, None)
        } else {
            match self.dispatcher.choose(&self.in_system) {
                // Down, but its health checks have not caught it yet.
                Some(i) if !self.alive[i as usize] => {
                    if now >= self.warmup_us {
                        self.measures.dispatched[i as usize] += 1;
                    }
                    self.attempt_failed(r, FailureCause::HealthCheckLag, now, s);
                    return;
                }
                Some(i) => (self.instance_queue[i as usize] as usize, Some(i)),
                None => {
                    self.attempt_failed(r, FailureCause::NoInstance, now, s);
                    return;
                }
            }
        };
        let idle = self.queues[q].idle.pop_front();
        if idle.is_none() && self.queues[q].waiting.len() >= self.queues[q].limit {
            self.attempt_failed(r, FailureCause::Overload, now, s);
            return;
        }
        self.advance(now);
        self.total_in_system += 1;
        if let Some(i) = instance {
            self.in_system[i as usize] += 1;
            if now >= self.warmup_us {
                self.measures.dispatched[i as usize] += 1;
            }
        }
        match idle {
            Some(server) => self.start_service(server, entry, now, s),
            None => {
                let waiting = &mut self.queues[q].waiting;
                waiting.push_back(entry);
                let len = waiting.len() as u64;
                if len > self.measures.queue_high_water {
                    self.measures.queue_high_water = len;
                }
            }
        }
        if self.timeout_us != NEVER {
            let timer = Entry {
                at_us: now + self.timeout_us,
                ..entry
            };
            self.timers.push_back(timer);
            if !self.timer_pending {
                self.timer_pending = true;
                s.schedule_at(SimTime::from_micros(timer.at_us), RequestEvent::Timeout);
            }
        }
    }

    /// `server` starts serving `entry` at `now` (the caller has advanced
    /// the integrals to `now`).
    #[inline(always)]
    fn start_service(
        &mut self,
        server: u32,
        entry: Entry,
        now: u64,
        s: &mut Scheduler<RequestEvent>,
    ) {
        let wait_us = now - entry.at_us;
        let counted = entry.at_us >= self.warmup_us;
        if counted {
            let m = &mut self.measures;
            m.services += 1;
            m.wait.push(wait_us as f64 * 1e-6);
            m.waited += u64::from(wait_us > 0);
            m.waited_over += u64::from(wait_us > self.wait_threshold_us);
        }
        self.busy += 1;
        let srv = &mut self.servers[server as usize];
        srv.current = entry;
        let i = srv.instance as usize;
        if self.central {
            self.in_system[i] += 1;
            if counted {
                self.measures.dispatched[i] += 1;
            }
        }
        let d = self.service[i].sample(&mut self.service_rng[i]);
        self.servers[server as usize].departure =
            Some(s.schedule_after(d, RequestEvent::Departure(server)));
    }

    pub(super) fn on_departure(&mut self, server: u32, s: &mut Scheduler<RequestEvent>) {
        let now = s.now().as_micros();
        self.advance(now);
        let Server {
            instance, current, ..
        } = self.servers[server as usize];
        self.busy -= 1;
        self.total_in_system -= 1;
        self.in_system[instance as usize] -= 1;
        self.complete(current, now, s);
        self.take_work(server, instance, now, s);
    }

    /// `server` of `instance` is free at `now`: it serves the next attempt
    /// in its queue, or goes idle.
    #[inline(always)]
    pub(super) fn take_work(
        &mut self,
        server: u32,
        instance: u32,
        now: u64,
        s: &mut Scheduler<RequestEvent>,
    ) {
        self.servers[server as usize].departure = None;
        let q = self.instance_queue[instance as usize] as usize;
        loop {
            match self.queues[q].waiting.pop_front() {
                Some(e) => {
                    if self.skip_abandoned && !self.is_live(e) {
                        self.total_in_system -= 1;
                        if !self.central {
                            self.in_system[instance as usize] -= 1;
                        }
                        if e.at_us >= self.warmup_us {
                            self.measures.skipped += 1;
                        }
                        continue;
                    }
                    self.start_service(server, e, now, s);
                }
                None => self.queues[q].idle.push_back(server),
            }
            break;
        }
    }

    /// An attempt's service ended at `now`.
    #[inline(always)]
    fn complete(&mut self, e: Entry, now: u64, s: &mut Scheduler<RequestEvent>) {
        if !self.is_live(e) {
            if now >= self.warmup_us {
                self.measures.wasted += 1;
            }
            return;
        }
        if let Some(d) = &self.dependency
            && !d.is_up()
        {
            if d.is_soft() {
                self.degraded(e.req, now);
            } else {
                self.attempt_failed(e.req, FailureCause::DependencyDown, now, s);
            }
            return;
        }
        if self.breaker_policy.is_some() {
            self.breaker_result(true, now);
        }
        let first = self.requests[e.req as usize].first_us;
        if let Some(o) = &mut self.endings {
            let response_us = now - first;
            o.responses_us.push(response_us);
            o.failed += u64::from(response_us > self.deadline_us);
        }
        if first >= self.warmup_us {
            let response_us = now - first;
            let m = &mut self.measures;
            m.latency.record(response_us);
            m.response.push(response_us as f64 * 1e-6);
            if response_us > self.deadline_us {
                m.failed[FailureCause::Deadline as usize] += 1;
            } else {
                m.served += 1;
            }
        }
        self.release(e.req);
    }

    /// Request `r`'s attempt ended at `now` while the soft dependency was
    /// down: the instance answers without it, a fallback (the spec's
    /// validation guarantees the client has one), unless it is late. The
    /// breaker sees an answer, a success.
    fn degraded(&mut self, r: u32, now: u64) {
        debug_assert!(self.fallback, "a soft dependency needs a fallback");
        if self.breaker_policy.is_some() {
            self.breaker_result(true, now);
        }
        let first = self.requests[r as usize].first_us;
        if now - first > self.deadline_us {
            self.finish_failed(r, FailureCause::Deadline);
        } else {
            self.finish_fallback(r);
        }
    }
}
