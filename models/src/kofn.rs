//! A service that is up while at least `k` of its `n` repairable components
//! are running: series is n-of-n, parallel is 1-of-n.
//!
//! Each component alternates between running and failed. A failed
//! component waits for a repair crew (its own, or one from a shared pool
//! served first come, first served), is repaired for a time drawn from its
//! repair distribution, and runs again with a fresh time to failure.
//!
//! Two semantics for what happens while the service is down:
//!
//! * [`WhileDown::KeepRunning`]: components keep running and can fail while
//!   the service is down (the usual independent-components assumption).
//! * [`WhileDown::Suspend`]: while the service is down, its running
//!   components are stopped and do not age; each resumes with the time to
//!   failure it had left when the service comes back up (ReliaSoft
//!   BlockSim's default).
//!
//! Repairs proceed in both cases.

use std::collections::VecDeque;

use sim_core::dist::Dist;
use sim_core::engine::{Model, Scheduler, TraceEvent};
use sim_core::queue::EventId;
use sim_core::rng::RngStream;
use sim_core::time::{SimDuration, SimTime};

use crate::measure::ServiceMeasures;

/// A kind of repairable component, as the model needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentSpec {
    /// A stable, unique name: it keys the component's random streams.
    pub name: String,
    /// Time from starting to run until failure.
    pub failure: Dist,
    /// Time a crew takes to repair it.
    pub repair: Dist,
}

/// Who repairs failed components.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crews {
    /// Every component has its own crew: repair starts at failure.
    Dedicated,
    /// A pool of this many crews shared by all components, serving failed
    /// components in the order they failed.
    Shared(u32),
}

/// Whether components age while the service is down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhileDown {
    /// Components keep running, and can fail, while the service is down.
    KeepRunning,
    /// Running components are stopped while the service is down and resume
    /// with their remaining time to failure.
    Suspend,
}

/// A k-of-n service, ready to be simulated.
#[derive(Clone, Debug, PartialEq)]
pub struct KofNSpec {
    /// The service's name.
    pub name: String,
    /// The components, in a stable order (their index is their entity id).
    pub components: Vec<ComponentSpec>,
    /// The service is up while at least this many components run.
    pub min_up: u32,
    /// Who repairs.
    pub crews: Crews,
    /// What happens to running components while the service is down.
    pub while_down: WhileDown,
}

/// Why a [`KofNSpec`] cannot be simulated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// There are no components.
    #[error("a service needs at least one component")]
    NoComponents,
    /// `min_up` is zero or larger than the number of components.
    #[error("min_up = {min_up} is out of range; expected 1 to {n} (the number of components)")]
    MinUpOutOfRange {
        /// The value given.
        min_up: u32,
        /// The number of components.
        n: usize,
    },
    /// A shared pool has no crews.
    #[error("a shared repair pool needs at least one crew")]
    NoCrews,
    /// Two components share a name, and so would share random streams.
    #[error("two components are named `{0}`; names must be unique")]
    DuplicateName(String),
}

impl KofNSpec {
    /// Checks the spec's invariants.
    pub fn validate(&self) -> Result<(), SpecError> {
        let n = self.components.len();
        if n == 0 {
            return Err(SpecError::NoComponents);
        }
        if self.min_up == 0 || self.min_up as usize > n {
            return Err(SpecError::MinUpOutOfRange {
                min_up: self.min_up,
                n,
            });
        }
        if self.crews == Crews::Shared(0) {
            return Err(SpecError::NoCrews);
        }
        let mut names: Vec<&str> = self.components.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(SpecError::DuplicateName(w[0].to_string()));
        }
        Ok(())
    }

    /// The longest mean repair time among the components, in hours: a
    /// conservative typical outage length, used to turn an upper bound on
    /// the outage rate into one on downtime when none was observed.
    pub fn longest_mean_repair_hours(&self) -> f64 {
        self.components
            .iter()
            .map(|c| c.repair.mean_hours())
            .fold(0.0, f64::max)
    }
}

/// The events of the k-of-n model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KofNEvent {
    /// Component `0` fails.
    Fail(u32),
    /// Component `0`'s repair is done.
    Repaired(u32),
}

impl TraceEvent for KofNEvent {
    fn kind_code(&self) -> u32 {
        match self {
            KofNEvent::Fail(_) => 1,
            KofNEvent::Repaired(_) => 2,
        }
    }
    fn kind_name(&self) -> &'static str {
        match self {
            KofNEvent::Fail(_) => "fail",
            KofNEvent::Repaired(_) => "repaired",
        }
    }
    fn entity(&self) -> u32 {
        match self {
            KofNEvent::Fail(c) | KofNEvent::Repaired(c) => *c,
        }
    }
}

/// The state of one component, as reliability engineers name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComponentState {
    /// Running; it fails at `fail_at` (event `event`).
    Running {
        /// The pending failure.
        event: EventId,
        /// When it will fail.
        fail_at: SimTime,
    },
    /// Stopped while the service is down, with this much life left.
    Suspended {
        /// Remaining time to failure once it runs again.
        remaining: SimDuration,
    },
    /// Failed, waiting for a free crew.
    WaitingForCrew,
    /// Failed and being repaired.
    UnderRepair,
}

#[derive(Debug)]
struct Component {
    state: ComponentState,
    failure_rng: RngStream,
    repair_rng: RngStream,
}

/// The k-of-n model of one replication.
#[derive(Debug)]
pub struct KofNModel {
    spec: KofNSpec,
    components: Vec<Component>,
    running: u32,
    idle_crews: u32,
    waiting: VecDeque<u32>,
    measures: ServiceMeasures,
}

impl KofNModel {
    /// The model for `replication` of a run seeded with `seed`; measures
    /// count from `warmup` on. The spec must be valid
    /// ([`KofNSpec::validate`]).
    pub fn new(spec: KofNSpec, seed: u64, replication: u64, warmup: SimTime) -> Self {
        debug_assert!(spec.validate().is_ok());
        let components = spec
            .components
            .iter()
            .map(|c| Component {
                // Placeholder state: `start` schedules every first failure.
                state: ComponentState::Suspended {
                    remaining: SimDuration::ZERO,
                },
                failure_rng: RngStream::new(seed, replication, &c.name, "failure"),
                repair_rng: RngStream::new(seed, replication, &c.name, "repair"),
            })
            .collect();
        let idle_crews = match spec.crews {
            Crews::Dedicated => u32::MAX,
            Crews::Shared(n) => n,
        };
        let n = spec.components.len() as u32;
        KofNModel {
            components,
            running: n,
            idle_crews,
            waiting: VecDeque::new(),
            measures: ServiceMeasures::new(warmup, true),
            spec,
        }
    }

    /// What was measured.
    pub fn measures(&self) -> &ServiceMeasures {
        &self.measures
    }

    /// The state of component `index`.
    pub fn component_state(&self, index: usize) -> ComponentState {
        self.components[index].state
    }

    /// True while at least `min_up` components run.
    pub fn is_up(&self) -> bool {
        self.running >= self.spec.min_up
    }

    fn run_component(&mut self, c: u32, life: SimDuration, s: &mut Scheduler<KofNEvent>) {
        let fail_at = s.now() + life;
        let event = s.schedule_at(fail_at, KofNEvent::Fail(c));
        self.components[c as usize].state = ComponentState::Running { event, fail_at };
    }

    fn start_repair(&mut self, c: u32, s: &mut Scheduler<KofNEvent>) {
        let comp = &mut self.components[c as usize];
        comp.state = ComponentState::UnderRepair;
        let d = self.spec.components[c as usize]
            .repair
            .sample(&mut comp.repair_rng);
        s.schedule_after(d, KofNEvent::Repaired(c));
    }

    /// Stops every running component (suspended semantics, service down).
    fn suspend_all(&mut self, s: &mut Scheduler<KofNEvent>) {
        let now = s.now();
        for comp in &mut self.components {
            if let ComponentState::Running { event, fail_at } = comp.state {
                s.cancel(event);
                comp.state = ComponentState::Suspended {
                    remaining: fail_at - now,
                };
            }
        }
    }

    /// Restarts every suspended component with its remaining life.
    fn resume_all(&mut self, s: &mut Scheduler<KofNEvent>) {
        for c in 0..self.components.len() {
            if let ComponentState::Suspended { remaining } = self.components[c].state {
                self.run_component(c as u32, remaining, s);
            }
        }
    }
}

impl Model for KofNModel {
    type Event = KofNEvent;

    fn start(&mut self, s: &mut Scheduler<KofNEvent>) {
        for c in 0..self.components.len() {
            let comp = &mut self.components[c];
            let life = self.spec.components[c]
                .failure
                .sample(&mut comp.failure_rng);
            self.run_component(c as u32, life, s);
        }
    }

    fn handle(&mut self, event: KofNEvent, s: &mut Scheduler<KofNEvent>) {
        let now = s.now();
        match event {
            KofNEvent::Fail(c) => {
                self.measures.component_failed();
                let was_up = self.is_up();
                self.running -= 1;
                if self.idle_crews > 0 {
                    if self.spec.crews != Crews::Dedicated {
                        self.idle_crews -= 1;
                    }
                    self.start_repair(c, s);
                } else {
                    self.components[c as usize].state = ComponentState::WaitingForCrew;
                    self.waiting.push_back(c);
                }
                if was_up && !self.is_up() {
                    self.measures.set_up(now, false);
                    if self.spec.while_down == WhileDown::Suspend {
                        self.suspend_all(s);
                    }
                }
            }
            KofNEvent::Repaired(c) => {
                let was_up = self.is_up();
                self.running += 1;
                let still_down = !self.is_up();
                let comp = &mut self.components[c as usize];
                let life = self.spec.components[c as usize]
                    .failure
                    .sample(&mut comp.failure_rng);
                if still_down && self.spec.while_down == WhileDown::Suspend {
                    // Still down: the repaired component waits, stopped.
                    comp.state = ComponentState::Suspended { remaining: life };
                } else {
                    self.run_component(c, life, s);
                }
                if self.spec.crews != Crews::Dedicated {
                    match self.waiting.pop_front() {
                        Some(next) => self.start_repair(next, s),
                        None => self.idle_crews += 1,
                    }
                }
                if !was_up && self.is_up() {
                    self.measures.set_up(now, true);
                    if self.spec.while_down == WhileDown::Suspend {
                        self.resume_all(s);
                    }
                }
            }
        }
    }

    fn finish(&mut self, end: SimTime) {
        self.measures.finish(end);
    }

    fn entity_name(&self, entity: u32) -> String {
        self.spec
            .components
            .get(entity as usize)
            .map_or_else(|| entity.to_string(), |c| c.name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::engine::Simulation;

    fn comp(name: &str, mttf_h: u64, mttr_h: u64) -> ComponentSpec {
        ComponentSpec {
            name: name.to_string(),
            failure: Dist::exponential_mean(SimDuration::from_hours(mttf_h)).unwrap(),
            repair: Dist::exponential_mean(SimDuration::from_hours(mttr_h)).unwrap(),
        }
    }

    fn spec(n: usize, k: u32, crews: Crews, while_down: WhileDown) -> KofNSpec {
        KofNSpec {
            name: "svc".into(),
            components: (0..n).map(|i| comp(&format!("c{i}"), 1000, 10)).collect(),
            min_up: k,
            crews,
            while_down,
        }
    }

    fn run(spec: KofNSpec, hours: u64) -> KofNModel {
        let mut sim = Simulation::new(KofNModel::new(spec, 3, 0, SimTime::ZERO));
        sim.run_until(SimTime::from_duration(SimDuration::from_hours(hours)));
        sim.into_model()
    }

    #[test]
    fn validate_rejects_bad_specs() {
        assert_eq!(
            spec(3, 4, Crews::Dedicated, WhileDown::KeepRunning).validate(),
            Err(SpecError::MinUpOutOfRange { min_up: 4, n: 3 })
        );
        assert_eq!(
            spec(3, 0, Crews::Dedicated, WhileDown::KeepRunning).validate(),
            Err(SpecError::MinUpOutOfRange { min_up: 0, n: 3 })
        );
        assert_eq!(
            spec(3, 2, Crews::Shared(0), WhileDown::KeepRunning).validate(),
            Err(SpecError::NoCrews)
        );
        assert_eq!(
            spec(0, 1, Crews::Dedicated, WhileDown::KeepRunning).validate(),
            Err(SpecError::NoComponents)
        );
        let mut dup = spec(2, 1, Crews::Dedicated, WhileDown::KeepRunning);
        dup.components[1].name = "c0".into();
        assert_eq!(dup.validate(), Err(SpecError::DuplicateName("c0".into())));
    }

    #[test]
    fn shared_crew_never_repairs_two_at_once() {
        let mut sim = Simulation::new(KofNModel::new(
            spec(3, 2, Crews::Shared(1), WhileDown::KeepRunning),
            9,
            0,
            SimTime::ZERO,
        ));
        for h in (1000..200_000).step_by(1000) {
            sim.run_until(SimTime::from_duration(SimDuration::from_hours(h)));
            let m = sim.model();
            let in_repair = (0..3)
                .filter(|&i| m.component_state(i) == ComponentState::UnderRepair)
                .count();
            assert!(in_repair <= 1);
        }
    }

    #[test]
    fn suspended_components_do_not_fail_while_down() {
        // Series of 3: while down, exactly one component is failed and the
        // others are suspended, so the service is never down by two at once.
        let mut sim = Simulation::new(KofNModel::new(
            spec(3, 3, Crews::Dedicated, WhileDown::Suspend),
            5,
            0,
            SimTime::ZERO,
        ));
        for h in (7..100_000).step_by(7) {
            sim.run_until(SimTime::from_duration(SimDuration::from_hours(h)));
            let m = sim.model();
            let failed = (0..3)
                .filter(|&i| {
                    matches!(
                        m.component_state(i),
                        ComponentState::UnderRepair | ComponentState::WaitingForCrew
                    )
                })
                .count();
            assert!(failed <= 1, "{failed} failed at once under suspension");
        }
    }

    #[test]
    fn shared_crew_is_worse_than_dedicated() {
        let dedicated = run(
            spec(3, 2, Crews::Dedicated, WhileDown::KeepRunning),
            2_000_000,
        );
        let shared = run(
            spec(3, 2, Crews::Shared(1), WhileDown::KeepRunning),
            2_000_000,
        );
        assert!(shared.measures().downtime_hours() > dedicated.measures().downtime_hours());
    }

    #[test]
    fn same_seed_same_history() {
        let a = run(spec(3, 2, Crews::Shared(1), WhileDown::Suspend), 100_000);
        let b = run(spec(3, 2, Crews::Shared(1), WhileDown::Suspend), 100_000);
        assert_eq!(a.measures(), b.measures());
    }
}
