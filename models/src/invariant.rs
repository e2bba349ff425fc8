//! Invariants: things that must never happen in a run (two writable
//! primaries, writes lost beyond what the replication promises, an SLO
//! missed over a window, a dead node left in rotation past the health
//! checks' bound, or a threshold the scenario sets), checked after every
//! event of one replication.
//!
//! [`check`] re-runs one replication with a checker watching it: it
//! reports the first violation (time, invariant, what happened) together
//! with the run's trace hash, which equals that of
//! [`crate::replicate::simulate`] for the same arguments when the run goes
//! to the horizon, and every fault activation that took effect up to the
//! violation, which is what shrinking turns into a scheduled-fault
//! scenario. Asked to, it stops at the first violation instead (for
//! hunting through many replications); both ways find the same violation.
//! How each invariant is timed is described in the checker's module
//! (`checker.rs`): breaches at an event are timed at it, breaches that
//! take a span (an outage longer than a limit, too much downtime in a
//! window) at the exact instant the span passes its bound.
//!
//! ```
//! use models::invariant::{InvariantSpec, Limit, check};
//! use models::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};
//! use models::replicate::{Horizon, simulate};
//! use models::spec::ModelSpec;
//! use sim_core::dist::Dist;
//! use sim_core::time::SimDuration;
//!
//! let node = |i: u32| ComponentSpec {
//!     name: format!("node-{i}"),
//!     failure: Dist::exponential_mean(SimDuration::from_hours(100)).unwrap(),
//!     repair: Dist::exponential_mean(SimDuration::from_hours(10)).unwrap(),
//! };
//! let spec = ModelSpec::KofN(KofNSpec {
//!     name: "quorum".into(),
//!     components: (1..=3).map(node).collect(),
//!     min_up: 2,
//!     crews: Crews::Dedicated,
//!     while_down: WhileDown::KeepRunning,
//! });
//! let horizon = Horizon::new(SimDuration::from_years(1), SimDuration::ZERO);
//! let outages = [InvariantSpec::Threshold {
//!     name: "short-outages".into(),
//!     limit: Limit::OutageMax(SimDuration::from_hours(4)),
//! }];
//! let out = check(&spec, &outages, 7, 0, horizon, false);
//! let plain = simulate(&spec, 7, 0, horizon, None);
//! assert_eq!(out.trace_hash, plain.trace_hash);
//! // It fires exactly when the replication's longest outage is longer.
//! let longest = plain.measures.longest_outage_hours();
//! assert_eq!(out.violation.is_some(), longest > 4.0);
//! ```

mod checker;
#[cfg(test)]
mod tests;

pub use checker::{builtins, check};

use sim_core::time::{SimDuration, SimTime};

use crate::system::spec::Element;

/// Something that must hold at every instant of a run.
#[derive(Clone, Debug, PartialEq)]
pub enum InvariantSpec {
    /// At most one writable primary per replicated service at any instant.
    NoSplitBrain,
    /// No acknowledged write lost beyond what the service's replication
    /// promises: none with synchronous replication; with asynchronous
    /// replication only the writes in flight at a failover (not a split
    /// brain's losing side); with batch shipping or backups, no more than
    /// one interval's writes.
    NoLostWritesBeyondGuarantee,
    /// Availability of the entry over every window of this length (a
    /// sliding window, from the end of the warm-up) at least `target`.
    Slo {
        /// The availability target, a share in (0, 1).
        target: f64,
        /// The window's length.
        window: SimDuration,
    },
    /// No instance left in a load balancer's rotation while it cannot
    /// serve for longer than its health checks allow (interval times the
    /// unhealthy threshold).
    HealthCheckBound,
    /// A threshold the scenario sets.
    Threshold {
        /// The name the scenario gives it.
        name: String,
        /// What may not exceed its bound.
        limit: Limit,
    },
}

/// A bound on one measure, for [`InvariantSpec::Threshold`].
#[derive(Clone, Debug, PartialEq)]
pub enum Limit {
    /// No single outage of the entry longer than this.
    OutageMax(SimDuration),
    /// No more downtime of the entry than `max` within any sliding window
    /// of length `window`.
    DowntimeMax {
        /// The most downtime allowed within a window.
        max: SimDuration,
        /// The window's length.
        window: SimDuration,
    },
    /// No more acknowledged writes lost in a replication than this.
    LostWritesMax(u64),
    /// No split brain longer than this.
    SplitBrainMax(SimDuration),
    /// No more failovers in a replication than this.
    FailoversMax(u64),
}

impl InvariantSpec {
    /// The invariant's name, as `nines hunt --invariant` takes it and
    /// reports give it: `no-split-brain`, `no-lost-writes`, `slo`,
    /// `health-check-bound`, or the scenario's name for a threshold.
    pub fn name(&self) -> &str {
        match self {
            InvariantSpec::NoSplitBrain => "no-split-brain",
            InvariantSpec::NoLostWritesBeyondGuarantee => "no-lost-writes",
            InvariantSpec::Slo { .. } => "slo",
            InvariantSpec::HealthCheckBound => "health-check-bound",
            InvariantSpec::Threshold { name, .. } => name,
        }
    }
}

/// The first violation of an invariant in a replication.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The invariant's [`InvariantSpec::name`].
    pub invariant: String,
    /// When it was first seen broken.
    pub time: SimTime,
    /// What happened, in a sentence ("db has two writable primaries: db-1
    /// and db-2").
    pub detail: String,
}

/// A fault activation that took effect: one fault holding one target over
/// a span of time.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultEvent {
    /// The fault's index in the spec.
    pub fault: usize,
    /// The element it held (`None` for partitions, rollouts and surges,
    /// whose target is the fault itself).
    pub target: Option<Element>,
    /// When it took effect.
    pub start: SimTime,
    /// When it ended (its repair finished); the horizon if it never did,
    /// or the instant a run stopped at its violation stopped.
    pub end: SimTime,
}

/// What [`check`] found in one replication.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckOutcome {
    /// The first violation, if any invariant broke.
    pub violation: Option<Violation>,
    /// Events processed (the whole replication).
    pub events: u64,
    /// The replication's trace hash: the same as `simulate`'s.
    pub trace_hash: u64,
    /// Fault activations that began at or before the violation (all of
    /// them when there was none), in order of their start.
    pub faults: Vec<FaultEvent>,
}
