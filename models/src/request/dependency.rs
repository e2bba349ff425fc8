//! The pool's downstream dependency: an alternating renewal process (up,
//! down, up, ...) with its own random streams, and the time it spends down
//! after the warm-up.
//!
//! The model asks it one question per completed attempt ([`is_up`]) and
//! moves it on at its `DependencyDown` and `DependencyUp` events; it draws
//! nothing else, so a pool without a dependency runs exactly as before
//! (no event, stream or draw).
//!
//! [`is_up`]: DependencyProcess::is_up

use sim_core::dist::Dist;
use sim_core::rng::RngStream;
use sim_core::time::SimDuration;

use super::spec::DependencySpec;

#[cfg(test)]
mod tests;

/// The dependency's state and streams in one replication.
#[derive(Debug)]
pub(super) struct DependencyProcess {
    name: String,
    failure: Dist,
    repair: Dist,
    /// `(name, "failure")`.
    failure_rng: RngStream,
    /// `(name, "repair")`.
    repair_rng: RngStream,
    soft: bool,
    up: bool,
    /// When it last failed (µs); meaningful while down.
    down_since_us: u64,
}

impl DependencyProcess {
    /// The dependency of `spec`, up, for `replication` of a run seeded
    /// with `seed`.
    pub(super) fn new(spec: &DependencySpec, seed: u64, replication: u64) -> Self {
        let stream = |purpose: &str| RngStream::new(seed, replication, &spec.name, purpose);
        DependencyProcess {
            name: spec.name.clone(),
            failure: spec.failure.clone(),
            repair: spec.repair.clone(),
            failure_rng: stream("failure"),
            repair_rng: stream("repair"),
            soft: spec.soft,
            up: true,
            down_since_us: 0,
        }
    }

    /// Its name (for the trace).
    pub(super) fn name(&self) -> &str {
        &self.name
    }

    /// Whether it is up now.
    #[inline(always)]
    pub(super) fn is_up(&self) -> bool {
        self.up
    }

    /// Whether the instances can answer without it (degraded).
    pub(super) fn is_soft(&self) -> bool {
        self.soft
    }

    /// The time until its next failure, drawn at the start and at each
    /// repair.
    pub(super) fn time_to_failure(&mut self) -> SimDuration {
        self.failure.sample(&mut self.failure_rng)
    }

    /// It fails at `now_us`: returns its repair time.
    pub(super) fn fail(&mut self, now_us: u64) -> SimDuration {
        debug_assert!(self.up, "a dependency fails only while up");
        self.up = false;
        self.down_since_us = now_us;
        self.repair.sample(&mut self.repair_rng)
    }

    /// It is repaired at `now_us`: returns the time it was down from
    /// `warmup_us` on, and marks it up.
    pub(super) fn repair(&mut self, now_us: u64, warmup_us: u64) -> u64 {
        debug_assert!(!self.up, "a dependency is repaired only while down");
        let down = self.down_since(now_us, warmup_us);
        self.up = true;
        down
    }

    /// Time down from `max(down_since, warmup_us)` to `now_us`, zero while
    /// up.
    pub(super) fn down_since(&self, now_us: u64, warmup_us: u64) -> u64 {
        if self.up {
            0
        } else {
            now_us.saturating_sub(self.down_since_us.max(warmup_us))
        }
    }
}
