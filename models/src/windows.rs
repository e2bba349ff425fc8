//! One long replication read at regular instants: the downtime and
//! outages of each window, for batch means.
//!
//! [`simulate_windows`] runs the same simulation as
//! [`simulate`](crate::replicate::simulate) (same seed, same streams, same
//! events and trace hash) and pauses it at the end of each of a fixed
//! number of equal windows of the measured span to read the service's
//! measures. Memory is one [`Window`] per window, whatever the horizon.
//!
//! ```
//! use models::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};
//! use models::replicate::{Horizon, simulate};
//! use models::spec::ModelSpec;
//! use models::windows::simulate_windows;
//! use sim_core::dist::Dist;
//! use sim_core::time::SimDuration;
//!
//! let node = |i: u32| ComponentSpec {
//!     name: format!("node-{i}"),
//!     failure: Dist::exponential_mean(SimDuration::from_hours(1000)).unwrap(),
//!     repair: Dist::exponential_mean(SimDuration::from_hours(10)).unwrap(),
//! };
//! let spec = ModelSpec::KofN(KofNSpec {
//!     name: "quorum".into(),
//!     components: (1..=3).map(node).collect(),
//!     min_up: 2,
//!     crews: Crews::Dedicated,
//!     while_down: WhileDown::KeepRunning,
//! });
//! let horizon = Horizon::new(SimDuration::from_years(20), SimDuration::ZERO);
//! let run = simulate_windows(&spec, 1, 0, horizon, 40, &mut |_| true).unwrap();
//! assert_eq!(run.windows.len(), 40);
//! // The same run as a plain replication of 20 years.
//! let plain = simulate(&spec, 1, 0, horizon, None);
//! assert_eq!(run.trace_hash, plain.trace_hash);
//! let total: f64 = run.windows.iter().map(|w| w.downtime_hours).sum();
//! assert!((total - plain.measures.downtime_hours()).abs() < 1e-6);
//! ```

use sim_core::engine::{Model, Simulation};
use sim_core::time::{SimDuration, SimTime};

use crate::kofn::KofNModel;
use crate::measure::ServiceMeasures;
use crate::replicate::Horizon;
use crate::spec::ModelSpec;
use crate::system::model::SystemModel;

/// What one window of a long run measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// The window's length, hours.
    pub hours: f64,
    /// Downtime of the service within the window, hours.
    pub downtime_hours: f64,
    /// Outages that started within the window.
    pub incidents: u64,
}

impl Window {
    /// The fraction of the window the service was down.
    pub fn unavailability(&self) -> f64 {
        if self.hours > 0.0 {
            self.downtime_hours / self.hours
        } else {
            0.0
        }
    }
}

/// A long replication cut into windows.
#[derive(Clone, Debug, PartialEq)]
pub struct WindowedRun {
    /// The replication's index.
    pub replication: u64,
    /// Every window of the measured span, in order.
    pub windows: Vec<Window>,
    /// The service's measures over the whole run.
    pub measures: ServiceMeasures,
    /// Events processed.
    pub events: u64,
    /// Digest of the events processed: the same as a plain replication of
    /// the same length.
    pub trace_hash: u64,
}

/// Why a windowed run did not produce its windows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WindowError {
    /// Request-level pools are judged by the requests they serve, not by
    /// time up; they have no downtime to read at an instant.
    #[error("a request-level model has no downtime over time to cut into windows")]
    RequestLevel,
    /// Fewer than one microsecond per window, or no window at all.
    #[error("{windows} windows do not fit in a measured span of {span}")]
    TooManyWindows {
        /// The number of windows asked for.
        windows: u64,
        /// The measured span.
        span: SimDuration,
    },
    /// The observer asked to stop after `windows_done` windows.
    #[error("stopped after {windows_done} windows")]
    Stopped {
        /// Windows finished before the stop.
        windows_done: u64,
    },
}

/// Runs replication `replication` of `spec` under `seed` over `horizon`
/// (measured after its warm-up) and reads the service's downtime and
/// outages in each of `windows` equal windows of the measured span.
///
/// Window `i` ends at `warmup + span · (i + 1) / windows` (in whole
/// microseconds, so lengths differ by at most one microsecond). After each
/// window, `observe` is called with it; returning `false` stops the run
/// ([`WindowError::Stopped`]). The result depends only on the arguments,
/// and the events and trace hash are those of
/// [`simulate`](crate::replicate::simulate) with the same arguments.
pub fn simulate_windows(
    spec: &ModelSpec,
    seed: u64,
    replication: u64,
    horizon: Horizon,
    windows: u64,
    observe: &mut dyn FnMut(&Window) -> bool,
) -> Result<WindowedRun, WindowError> {
    let span = horizon.length.saturating_sub(horizon.warmup);
    if windows == 0 || span.as_micros() < windows {
        return Err(WindowError::TooManyWindows { windows, span });
    }
    let warmup = SimTime::from_duration(horizon.warmup);
    match spec {
        ModelSpec::KofN(k) => run_windows(
            Simulation::new(KofNModel::new(k.clone(), seed, replication, warmup)),
            KofNModel::measures,
            replication,
            horizon,
            windows,
            observe,
        ),
        ModelSpec::System(system) => run_windows(
            Simulation::new(SystemModel::new(system, seed, replication, warmup)),
            SystemModel::measures,
            replication,
            horizon,
            windows,
            observe,
        ),
        ModelSpec::Requests(_) => Err(WindowError::RequestLevel),
    }
}

/// The end of window `i` (0-based) of `windows` over `horizon`'s measured
/// span.
fn window_end(horizon: Horizon, i: u64, windows: u64) -> SimTime {
    let start = u128::from(horizon.warmup.as_micros());
    let span = u128::from(horizon.length.as_micros()) - start;
    let end = start + span * u128::from(i + 1) / u128::from(windows);
    // `end` lies between the warm-up and the horizon, both `u64`.
    SimTime::from_micros(u64::try_from(end).unwrap_or(u64::MAX))
}

/// Advances `sim` window by window, reading `measures` at each window's end.
fn run_windows<M: Model>(
    mut sim: Simulation<M>,
    measures: impl Fn(&M) -> &ServiceMeasures,
    replication: u64,
    horizon: Horizon,
    windows: u64,
    observe: &mut dyn FnMut(&Window) -> bool,
) -> Result<WindowedRun, WindowError> {
    let mut out = Vec::with_capacity(usize::try_from(windows).unwrap_or(0));
    let mut start = SimTime::from_duration(horizon.warmup);
    let (mut downtime_before, mut incidents_before) = (SimDuration::ZERO, 0);
    let mut outcome = None;
    for i in 0..windows {
        let end = window_end(horizon, i, windows);
        if i + 1 == windows {
            // The last window ends the run, as a plain replication does.
            outcome = Some(sim.run_until(end));
        } else {
            sim.advance(end);
        }
        let m = measures(sim.model());
        let (downtime, incidents) = (m.downtime_until(end), m.incidents());
        let window = Window {
            hours: (end - start).as_hours_f64(),
            downtime_hours: downtime.saturating_sub(downtime_before).as_hours_f64(),
            incidents: incidents - incidents_before,
        };
        (start, downtime_before, incidents_before) = (end, downtime, incidents);
        out.push(window);
        if !observe(&window) && i + 1 < windows {
            return Err(WindowError::Stopped {
                windows_done: i + 1,
            });
        }
    }
    let outcome = outcome.unwrap_or_else(|| sim.run_until(horizon.end()));
    Ok(WindowedRun {
        replication,
        windows: out,
        measures: measures(sim.model()).clone(),
        events: outcome.events,
        trace_hash: outcome.trace_hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};
    use crate::replicate::simulate;
    use sim_core::dist::Dist;

    fn cluster() -> ModelSpec {
        let node = |i: u32| ComponentSpec {
            name: format!("node-{i}"),
            failure: Dist::exponential_mean(SimDuration::from_hours(1000)).unwrap(),
            repair: Dist::exponential_mean(SimDuration::from_hours(10)).unwrap(),
        };
        ModelSpec::KofN(KofNSpec {
            name: "quorum".into(),
            components: (1..=3).map(node).collect(),
            min_up: 2,
            crews: Crews::Dedicated,
            while_down: WhileDown::KeepRunning,
        })
    }

    #[test]
    fn windows_add_up_to_the_plain_replication() {
        let spec = cluster();
        let horizon = Horizon::new(SimDuration::from_years(30), SimDuration::from_years(2));
        let run = simulate_windows(&spec, 3, 5, horizon, 97, &mut |_| true).unwrap();
        let plain = simulate(&spec, 3, 5, horizon, None);
        assert_eq!(run.replication, 5);
        assert_eq!(run.windows.len(), 97);
        assert_eq!(
            (run.events, run.trace_hash),
            (plain.events, plain.trace_hash)
        );
        assert_eq!(run.measures, plain.measures);
        let hours: f64 = run.windows.iter().map(|w| w.hours).sum();
        assert!((hours - 28.0 * 8760.0).abs() < 1e-6, "{hours}");
        let down: f64 = run.windows.iter().map(|w| w.downtime_hours).sum();
        assert!((down - plain.measures.downtime_hours()).abs() < 1e-6);
        let incidents: u64 = run.windows.iter().map(|w| w.incidents).sum();
        assert_eq!(incidents, plain.measures.incidents());
        assert!(run.windows.iter().all(|w| w.unavailability() < 0.01));
    }

    #[test]
    fn the_observer_can_stop_the_run_and_bad_requests_are_refused() {
        let spec = cluster();
        let horizon = Horizon::new(SimDuration::from_years(10), SimDuration::ZERO);
        let mut seen = 0;
        let stopped = simulate_windows(&spec, 1, 0, horizon, 10, &mut |_| {
            seen += 1;
            seen < 4
        });
        assert_eq!(stopped, Err(WindowError::Stopped { windows_done: 4 }));
        let tiny = Horizon::new(SimDuration::from_micros(5), SimDuration::ZERO);
        assert!(matches!(
            simulate_windows(&spec, 1, 0, tiny, 10, &mut |_| true),
            Err(WindowError::TooManyWindows { windows: 10, .. })
        ));
        assert!(simulate_windows(&spec, 1, 0, horizon, 0, &mut |_| true).is_err());
    }
}
