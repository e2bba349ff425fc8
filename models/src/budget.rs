//! The event budget: how many events one replication may process, and an
//! estimate, before anything runs, of how many it would.
//!
//! A failure and repair of a microsecond each over two hundred years is
//! about 3·10¹⁵ events: valid input, but a run that would never end. Such
//! a run is refused at once when its estimate exceeds the budget
//! ([`estimate_events`]), and the engine stops any replication that reaches
//! the budget anyway ([`Simulation::with_event_budget`]), for the inputs the
//! estimate does not foresee (a storm of retries, say).
//!
//! [`Simulation::with_event_budget`]: sim_core::engine::Simulation::with_event_budget

use sim_core::dist::Dist;
use sim_core::time::SimDuration;

use crate::spec::ModelSpec;
use crate::system::spec::{Effect, Occurrence};

/// The most events one replication may process: 10¹⁰, minutes of work at
/// the engine's usual rate of tens of millions of events a second.
pub use sim_core::engine::DEFAULT_EVENT_BUDGET as EVENT_BUDGET;

/// What [`estimate_events`] expects of one replication.
#[derive(Clone, Debug, PartialEq)]
pub struct EventEstimate {
    /// The expected number of events, all processes together.
    pub events: f64,
    /// The process with the shortest mean cycle (a component or a fault),
    /// the one to look at first when the estimate is too high.
    pub busiest: String,
    /// Its mean cycle (time to fail plus time to repair), in hours; zero for
    /// a process that fails and is repaired in no time (then `events` is
    /// infinite).
    pub cycle_h: f64,
}

/// The events one replication of `spec` is expected to process over
/// `horizon`: two per failure and repair cycle of each process (horizon ÷
/// mean cycle × processes). `None` for request-level pools, whose events
/// are driven by the traffic, and for a model without random processes.
pub fn estimate_events(spec: &ModelSpec, horizon: SimDuration) -> Option<EventEstimate> {
    let horizon_h = horizon.as_hours_f64();
    let mut total = 0.0;
    let mut busiest: Option<(String, f64)> = None;
    let mut add = |name: &str, cycle_h: f64, processes: usize| {
        // A cycle of no time at all never lets the clock move: infinitely
        // many events.
        total += if cycle_h > 0.0 {
            2.0 * horizon_h / cycle_h * processes as f64
        } else {
            f64::INFINITY
        };
        if busiest.as_ref().is_none_or(|(_, c)| cycle_h < *c) {
            busiest = Some((name.to_string(), cycle_h));
        }
    };
    let cycle = |a: &Dist, b: &Dist| a.mean_hours() + b.mean_hours();
    match spec {
        ModelSpec::KofN(k) => {
            for c in &k.components {
                add(&c.name, cycle(&c.failure, &c.repair), 1);
            }
        }
        ModelSpec::System(s) => {
            for f in &s.faults {
                let every_h = match &f.occurrence {
                    Occurrence::Random { every } => every.mean_hours(),
                    Occurrence::AfterUptime { uptime } => uptime.as_hours_f64(),
                    Occurrence::Scheduled { .. } => continue,
                };
                let processes = match &f.effect {
                    Effect::Down(t) | Effect::Degrade { targets: t, .. } => t.len(),
                    _ => 1,
                };
                let detection = f.repair.detection.as_ref().map_or(0.0, Dist::mean_hours);
                add(
                    &f.name,
                    every_h + f.repair.duration.mean_hours() + detection,
                    processes,
                );
            }
        }
        ModelSpec::Requests(_) => return None,
    }
    let (busiest, cycle_h) = busiest?;
    Some(EventEstimate {
        events: total,
        busiest,
        cycle_h,
    })
}

#[cfg(test)]
mod tests {
    use sim_core::time::SimDuration;

    use super::*;
    use crate::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};

    fn kofn(failure: SimDuration, repair: SimDuration, n: usize) -> ModelSpec {
        let d = |x: SimDuration| Dist::deterministic(x);
        ModelSpec::KofN(KofNSpec {
            name: "s".into(),
            components: (0..n)
                .map(|i| ComponentSpec {
                    name: format!("n{i}"),
                    failure: d(failure),
                    repair: d(repair),
                })
                .collect(),
            min_up: 1,
            crews: Crews::Dedicated,
            while_down: WhileDown::KeepRunning,
        })
    }

    #[test]
    fn a_microsecond_cycle_over_two_hundred_years_is_far_over_budget() {
        let us = SimDuration::from_micros(1);
        let e =
            estimate_events(&kofn(us, us, 1), SimDuration::from_secs(200 * 8760 * 3600)).unwrap();
        // 200 y = 6.3·10¹⁵ µs, a cycle of 2 µs, two events a cycle.
        assert!((e.events / 6.3072e15 - 1.0).abs() < 1e-9, "{}", e.events);
        assert!(e.events > EVENT_BUDGET as f64);
        assert_eq!(e.busiest, "n0");
    }

    #[test]
    fn a_cycle_of_no_time_never_ends() {
        let zero = SimDuration::ZERO;
        let e = estimate_events(&kofn(zero, zero, 2), SimDuration::from_secs(1)).unwrap();
        assert_eq!(e.events, f64::INFINITY);
        assert_eq!(e.cycle_h, 0.0);
    }

    #[test]
    fn an_ordinary_component_is_far_under_budget() {
        let e = estimate_events(
            &kofn(
                SimDuration::from_secs(1000 * 3600),
                SimDuration::from_secs(4 * 3600),
                3,
            ),
            SimDuration::from_secs(8760 * 3600),
        )
        .unwrap();
        // 8760 / 1004 cycles, two events each, three components.
        assert!((e.events - 6.0 * 8760.0 / 1004.0).abs() < 1e-9);
    }
}
