//! The circuit breaker: its state, whether it lets an attempt through, and
//! how attempts' results open and close it.

use super::RequestModel;

/// The state of the circuit breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerState {
    /// Letting requests through, with this many consecutive failures.
    Closed {
        /// Consecutive failed attempts so far.
        failures: u32,
    },
    /// Rejecting requests until this time (microseconds).
    Open {
        /// When it turns half-open.
        until_us: u64,
    },
    /// Probing: `sent` probes let through, `ok` attempts succeeded.
    HalfOpen {
        /// Probes let through so far.
        sent: u32,
        /// Successes so far.
        ok: u32,
    },
}

impl RequestModel {
    /// Whether the breaker lets an attempt through at `now`.
    pub(super) fn breaker_admits(&mut self, now: u64) -> bool {
        let Some(policy) = self.breaker_policy else {
            return true;
        };
        match &mut self.breaker {
            BreakerState::Closed { .. } => true,
            BreakerState::Open { until_us } => {
                if now >= *until_us {
                    self.breaker = BreakerState::HalfOpen { sent: 1, ok: 0 };
                    true
                } else {
                    false
                }
            }
            BreakerState::HalfOpen { sent, .. } => {
                if *sent < policy.half_open_probes {
                    *sent += 1;
                    true
                } else {
                    false
                }
            }
        }
    }

    /// Feeds an attempt's result to the breaker.
    pub(super) fn breaker_result(&mut self, success: bool, now: u64) {
        let Some(policy) = self.breaker_policy else {
            return;
        };
        let open = match &mut self.breaker {
            BreakerState::Closed { failures } => {
                if success {
                    *failures = 0;
                    false
                } else {
                    *failures += 1;
                    *failures >= policy.failure_threshold
                }
            }
            // Results of attempts let through before it opened.
            BreakerState::Open { .. } => false,
            BreakerState::HalfOpen { ok, .. } => {
                if success {
                    *ok += 1;
                    if *ok >= policy.half_open_probes {
                        self.breaker = BreakerState::Closed { failures: 0 };
                    }
                    false
                } else {
                    true
                }
            }
        };
        if open {
            self.breaker = BreakerState::Open {
                until_us: now + policy.open_for.as_micros(),
            };
            if now >= self.warmup_us {
                self.measures.breaker_opened += 1;
            }
        }
    }
}
