//! One replication of a model, from seed to measures.

use sim_core::engine::{Simulation, TraceSink};
use sim_core::time::{SimDuration, SimTime};

use crate::kofn::KofNModel;
use crate::measure::ServiceMeasures;
use crate::request::RequestMeasures;
use crate::spec::ModelSpec;
use crate::system::model::{SystemMeasures, SystemModel};

/// How long a replication runs, and from when it is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Horizon {
    /// The simulated length of each replication.
    pub length: SimDuration,
    /// The initial span that is simulated but not measured.
    pub warmup: SimDuration,
}

impl Horizon {
    /// A horizon of `length`, measured after `warmup` (which must be
    /// shorter).
    pub fn new(length: SimDuration, warmup: SimDuration) -> Self {
        debug_assert!(warmup < length, "warm-up must be shorter than the horizon");
        Horizon { length, warmup }
    }

    /// The end of the run.
    pub fn end(&self) -> SimTime {
        SimTime::from_duration(self.length)
    }
}

/// What one replication produced.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicationResult {
    /// The replication's index.
    pub replication: u64,
    /// The user-facing service's measures.
    pub measures: ServiceMeasures,
    /// For infrastructure systems: per-service measures, degraded time and
    /// the attribution of downtime to faults.
    pub system: Option<SystemMeasures>,
    /// For request-level pools: what the requests met. The time-based
    /// `measures` of such a run are empty (always up): request-level runs
    /// are judged by the requests they served.
    pub requests: Option<RequestMeasures>,
    /// Events processed.
    pub events: u64,
    /// Digest of the events processed.
    pub trace_hash: u64,
}

/// Runs replication `replication` of `spec` under `seed`, optionally writing
/// every event to `trace`. The result depends only on the arguments.
pub fn simulate(
    spec: &ModelSpec,
    seed: u64,
    replication: u64,
    horizon: Horizon,
    trace: Option<&mut dyn TraceSink>,
) -> ReplicationResult {
    let warmup = SimTime::from_duration(horizon.warmup);
    match spec {
        ModelSpec::KofN(k) => {
            let mut sim = Simulation::new(KofNModel::new(k.clone(), seed, replication, warmup));
            let outcome = sim.run(horizon.end(), trace);
            ReplicationResult {
                replication,
                measures: sim.model().measures().clone(),
                system: None,
                requests: None,
                events: outcome.events,
                trace_hash: outcome.trace_hash,
            }
        }
        ModelSpec::System(system) => {
            let mut sim = Simulation::new(SystemModel::new(system, seed, replication, warmup));
            let outcome = sim.run(horizon.end(), trace);
            ReplicationResult {
                replication,
                measures: sim.model().measures().clone(),
                system: Some(sim.model().system_measures()),
                requests: None,
                events: outcome.events,
                trace_hash: outcome.trace_hash,
            }
        }
        ModelSpec::Requests(r) => {
            let mut measures = ServiceMeasures::new(warmup, true);
            measures.finish(horizon.end());
            let (requests, events, trace_hash) =
                match crate::request::simulate(r, seed, replication, horizon, trace) {
                    Ok(run) => (Some(run.measures), run.events, run.trace_hash),
                    // Specs are validated when scenarios are built; an
                    // invalid one runs nothing.
                    Err(_) => (None, 0, 0),
                };
            ReplicationResult {
                replication,
                measures,
                system: None,
                requests,
                events,
                trace_hash,
            }
        }
    }
}
