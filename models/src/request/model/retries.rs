//! Timeouts, retries with backoff under the budget, and requests that end
//! failed or with a fallback answer.

use sim_core::engine::Scheduler;
use sim_core::time::{SimDuration, SimTime};

use super::{NEVER, RequestEvent, RequestModel};
use crate::request::measures::FailureCause;

impl RequestModel {
    pub(super) fn on_timeout(&mut self, s: &mut Scheduler<RequestEvent>) {
        let now = s.now().as_micros();
        self.timer_pending = false;
        while let Some(&t) = self.timers.front() {
            if !self.is_live(t) {
                self.timers.pop_front();
                continue;
            }
            if t.at_us > now {
                break;
            }
            self.timers.pop_front();
            self.attempt_failed(t.req, FailureCause::Timeout, now, s);
        }
        if let Some(t) = self.timers.front() {
            self.timer_pending = true;
            s.schedule_at(SimTime::from_micros(t.at_us), RequestEvent::Timeout);
        }
    }

    /// Request `r`'s current attempt failed at `now`: retry after a backoff
    /// if the policy, the budget and the deadline allow, else fail.
    pub(super) fn attempt_failed(
        &mut self,
        r: u32,
        cause: FailureCause,
        now: u64,
        s: &mut Scheduler<RequestEvent>,
    ) {
        if self.breaker_policy.is_some() {
            self.breaker_result(false, now);
        }
        let req = &mut self.requests[r as usize];
        // Whatever is left of the attempt in a queue is now abandoned.
        req.ticket = req.ticket.wrapping_add(1);
        let (attempts, first_us) = (req.attempts, req.first_us);
        if let Some(retry) = &self.retry
            && attempts < retry.max_attempts
            && self.budget.is_none_or(|_| self.tokens >= 1.0)
        {
            let base = retry.backoff_base.as_micros() as f64;
            let cap = retry.backoff_max.as_micros() as f64;
            let full = (base * 2f64.powi(attempts as i32 - 1)).min(cap);
            let delay = if retry.jitter > 0.0 {
                full * (1.0 - retry.jitter * self.retry_rng.open01())
            } else {
                full
            };
            let delay = SimDuration::from_micros(delay.round() as u64);
            let at = now + delay.as_micros();
            if self.deadline_us == NEVER || at < first_us.saturating_add(self.deadline_us) {
                if self.budget.is_some() {
                    self.tokens -= 1.0;
                }
                s.schedule_after(delay, RequestEvent::Retry(r));
                return;
            }
        }
        self.finish_failed(r, cause);
    }

    /// Request `r` fails for `cause`.
    pub(super) fn finish_failed(&mut self, r: u32, cause: FailureCause) {
        if self.requests[r as usize].first_us >= self.warmup_us {
            self.measures.failed[cause as usize] += 1;
        }
        if let Some(o) = &mut self.endings {
            o.failed += 1;
        }
        self.release(r);
    }

    /// Request `r` ends with a fallback answer.
    pub(super) fn finish_fallback(&mut self, r: u32) {
        if self.requests[r as usize].first_us >= self.warmup_us {
            self.measures.fallback += 1;
        }
        self.release(r);
    }
}
