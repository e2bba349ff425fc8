//! One replication re-run and recorded as a timeline: the states of the
//! service, its parts and its faults over simulated time, for a Gantt
//! chart of how faults combined into an outage, and, for request-level
//! pools, latency percentiles window by window.
//!
//! [`record`] runs the same simulation as
//! [`simulate`](crate::replicate::simulate) (same seed, same streams, same
//! events and trace hash) through
//! [`Simulation::run_observed`](sim_core::engine::Simulation::run_observed),
//! comparing the model's states with the previous ones after every event
//! and keeping only the changes: memory grows with the number of state
//! changes, not of events. Spans cover the whole run, warm-up included;
//! one still open at the horizon ends there. Up is the background: a row
//! lists only its spans in another state.
//!
//! What each kind of model records:
//!
//! * **k-of-n**: the service ([`RowKind::Entry`]) down while fewer than
//!   `k` components run; one [`RowKind::Unit`] row per component, named as
//!   in the spec, down while failed (waiting for a crew or under repair).
//! * **infrastructure system**: the entry service as users see it (down,
//!   or degraded while up but degraded); one [`RowKind::Service`] row per
//!   service, failing over while a failover of it is under way, else down
//!   while it is down as seen from where clients enter; one
//!   [`RowKind::Fault`] row per fault target that was ever active
//!   (`"host-crash: host web-2"`, `"<fault>: partition"`, `"<fault>:
//!   rollout of <service>"`, `"<fault>: traffic ×3"`), active while an
//!   activation holds its effect there.
//! * **request-level pool**: the pool as users see it, down while no
//!   instance is up or a hard dependency is down, degraded while a soft
//!   dependency is down (answers are fallbacks); one unit row per
//!   instance, down while failed (or for the whole run if it never
//!   starts); a fault row for the dependency's outages; and
//!   [`LatencyWindow`]s.
//!
//! ```
//! use models::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};
//! use models::replicate::{Horizon, simulate};
//! use models::spec::ModelSpec;
//! use models::timeline::{RowState, record};
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
//! let horizon = Horizon::new(SimDuration::from_years(10), SimDuration::ZERO);
//! let rec = record(&spec, 7, 0, horizon, 0);
//! let plain = simulate(&spec, 7, 0, horizon, None);
//! assert_eq!(rec.trace_hash, plain.trace_hash);
//! assert_eq!(rec.rows[0].name, "quorum (as users see it)");
//! assert_eq!(rec.rows.len(), 4); // the service, then node-1..node-3
//! let down = rec.rows[0].time_in(RowState::Down);
//! assert_eq!(down, plain.measures.downtime_until(horizon.end()));
//! ```

use std::collections::BTreeMap;

use sim_core::engine::Simulation;
use sim_core::time::{SimDuration, SimTime};

use crate::kofn::{ComponentState, KofNModel, KofNSpec};
use crate::replicate::Horizon;
use crate::request::sketch::LatencyHistogram;
use crate::request::{RequestModel, RequestSpec};
use crate::spec::ModelSpec;
use crate::system::model::SystemModel;
use crate::system::spec::{Effect, Element, SystemSpec};

#[cfg(test)]
mod tests;

/// What a row shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowKind {
    /// The user-facing service as users see it (always the first row).
    Entry,
    /// A service of an infrastructure system.
    Service,
    /// A component of a k-of-n service, or an instance of a request-level
    /// pool.
    Unit,
    /// A fault at one target (or a dependency's outages).
    Fault,
}

/// A state other than up (up is the background).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowState {
    /// Down: serving nothing (a unit: failed, waiting for or under repair).
    Down,
    /// Up but degraded: part of the traffic fails or gets a fallback.
    Degraded,
    /// A failover is under way.
    FailingOver,
    /// A fault holds its target.
    Active,
}

/// One span of a row in a state other than up, `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordedSpan {
    /// When the state began.
    pub start: SimTime,
    /// When it ended (the horizon if it was still on then).
    pub end: SimTime,
    /// The state.
    pub state: RowState,
}

impl RecordedSpan {
    /// The span's length.
    pub fn duration(&self) -> SimDuration {
        self.end - self.start
    }
}

/// One row of the timeline: its spans in time order, never overlapping,
/// none empty, and two touching spans never in the same state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRow {
    /// What it shows, as the spec names it.
    pub name: String,
    /// What kind of thing it is.
    pub kind: RowKind,
    /// Its spans in states other than up.
    pub spans: Vec<RecordedSpan>,
}

impl RecordedRow {
    /// The total time the row spent in `state`.
    pub fn time_in(&self, state: RowState) -> SimDuration {
        self.spans
            .iter()
            .filter(|s| s.state == state)
            .map(RecordedSpan::duration)
            .fold(SimDuration::ZERO, |a, b| a + b)
    }
}

/// Latency over one window of a request-level replication. Requests are
/// counted in the window where they end, warm-up included.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatencyWindow {
    /// The window's start.
    pub start: SimTime,
    /// Its end (exclusive).
    pub end: SimTime,
    /// Requests completed (served or late) in the window.
    pub requests: u64,
    /// Requests that ended in failure in the window, for any cause
    /// (completions after their deadline included, so these may overlap
    /// `requests`).
    pub errors: u64,
    /// The median response time of the completed requests, in seconds
    /// (`None` if none completed).
    pub p50_s: Option<f64>,
    /// The 90th percentile, in seconds.
    pub p90_s: Option<f64>,
    /// The 99th percentile, in seconds.
    pub p99_s: Option<f64>,
}

/// One replication's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    /// The replication's index.
    pub replication: u64,
    /// The entry row first, then services, then units or instances, then
    /// faults.
    pub rows: Vec<RecordedRow>,
    /// Request-level models only (empty otherwise): the horizon cut into
    /// equal windows.
    pub latency: Vec<LatencyWindow>,
    /// Events processed: the same as
    /// [`simulate`](crate::replicate::simulate)'s.
    pub events: u64,
    /// Digest of the events processed: the same as
    /// [`simulate`](crate::replicate::simulate)'s.
    pub trace_hash: u64,
}

impl Recording {
    /// The entry row: the service as users see it.
    pub fn entry(&self) -> &RecordedRow {
        &self.rows[0]
    }

    /// The row named `name`, if any.
    pub fn row(&self, name: &str) -> Option<&RecordedRow> {
        self.rows.iter().find(|r| r.name == name)
    }
}

/// Re-runs `replication` of `spec` under `seed` and records its timeline,
/// with the horizon cut into `latency_windows` equal windows of latency
/// for a request-level model (none for `0`, and ignored by other models).
/// The same arguments give the same recording and the same events and
/// trace hash as [`simulate`](crate::replicate::simulate).
pub fn record(
    spec: &ModelSpec,
    seed: u64,
    replication: u64,
    horizon: Horizon,
    latency_windows: usize,
) -> Recording {
    let entry_name = format!("{} (as users see it)", spec.service_name());
    let (rows, latency, events, trace_hash) = match spec {
        ModelSpec::KofN(k) => {
            let (rows, e, h) = record_kofn(k, entry_name, seed, replication, horizon);
            (rows, Vec::new(), e, h)
        }
        ModelSpec::System(s) => {
            let (rows, e, h) = record_system(s, entry_name, seed, replication, horizon);
            (rows, Vec::new(), e, h)
        }
        ModelSpec::Requests(r) => {
            record_requests(r, entry_name, seed, replication, horizon, latency_windows)
        }
    };
    Recording {
        replication,
        rows,
        latency,
        events,
        trace_hash,
    }
}

// ------------------------------------------------------------------ rows

/// A row being recorded: its closed spans and the one open now.
#[derive(Debug)]
struct Track {
    name: String,
    kind: RowKind,
    spans: Vec<RecordedSpan>,
    open: Option<(SimTime, RowState)>,
}

impl Track {
    fn new(name: String, kind: RowKind) -> Self {
        Track {
            name,
            kind,
            spans: Vec::new(),
            open: None,
        }
    }

    /// The row is in `state` (`None`: up) from `now` on. Cheap when
    /// nothing changed; an empty span is dropped, and a state that comes
    /// back at the instant it ended continues its span.
    #[inline]
    fn set(&mut self, now: SimTime, state: Option<RowState>) {
        if self.open.map(|(_, s)| s) == state {
            return;
        }
        if let Some((start, s)) = self.open.take()
            && now > start
        {
            self.spans.push(RecordedSpan {
                start,
                end: now,
                state: s,
            });
        }
        if let Some(s) = state {
            let start = match self.spans.last() {
                Some(last) if last.end == now && last.state == s => {
                    let start = last.start;
                    self.spans.pop();
                    start
                }
                _ => now,
            };
            self.open = Some((start, s));
        }
    }

    /// Closes the open span at `end`.
    fn finish(mut self, end: SimTime) -> RecordedRow {
        self.set(end, None);
        RecordedRow {
            name: self.name,
            kind: self.kind,
            spans: self.spans,
        }
    }
}

fn finish_all(tracks: Vec<Track>, end: SimTime) -> Vec<RecordedRow> {
    tracks.into_iter().map(|t| t.finish(end)).collect()
}

// ----------------------------------------------------------------- k-of-n

fn record_kofn(
    spec: &KofNSpec,
    entry_name: String,
    seed: u64,
    replication: u64,
    horizon: Horizon,
) -> (Vec<RecordedRow>, u64, u64) {
    let warmup = SimTime::from_duration(horizon.warmup);
    let mut sim = Simulation::new(KofNModel::new(spec.clone(), seed, replication, warmup));
    // The entry, then one row per component.
    let mut tracks = vec![Track::new(entry_name, RowKind::Entry)];
    tracks.extend(
        spec.components
            .iter()
            .map(|c| Track::new(c.name.clone(), RowKind::Unit)),
    );
    let look = |m: &KofNModel, now: SimTime, tracks: &mut [Track]| {
        tracks[0].set(now, (!m.is_up()).then_some(RowState::Down));
        for (i, t) in tracks[1..].iter_mut().enumerate() {
            let failed = matches!(
                m.component_state(i),
                ComponentState::WaitingForCrew | ComponentState::UnderRepair
            );
            t.set(now, failed.then_some(RowState::Down));
        }
    };
    look(sim.model(), SimTime::ZERO, &mut tracks);
    let outcome = sim.run_observed(horizon.end(), &mut |m, now| look(m, now, &mut tracks));
    (
        finish_all(tracks, horizon.end()),
        outcome.events,
        outcome.trace_hash,
    )
}

// ----------------------------------------------------------------- system

/// The name of a fault row: the fault, then its target.
fn fault_row_name(spec: &SystemSpec, fault: usize, target: Option<Element>) -> String {
    let f = &spec.faults[fault];
    let what = match target {
        Some(e) => {
            format!("{} {}", e.kind_name(), spec.element_name(e))
        }
        None => match &f.effect {
            Effect::Partition { .. } => "partition".into(),
            Effect::Rollout { service, .. } => {
                format!("rollout of {}", spec.services[*service].name)
            }
            Effect::Surge { factor } => format!("traffic ×{factor}"),
            Effect::Down(_) | Effect::Degrade { .. } | Effect::Shock(_) => "fault".into(),
        },
    };
    format!("{}: {what}", f.name)
}

/// The fault rows of a system, found from `(fault, target)`.
#[derive(Debug)]
struct FaultRows {
    index: BTreeMap<(usize, Option<Element>), usize>,
    tracks: Vec<Track>,
    /// Rows active after the last event, sorted, and a buffer for now.
    active: Vec<usize>,
    now_active: Vec<usize>,
}

impl FaultRows {
    /// One row per target of every fault, in the spec's order.
    fn new(spec: &SystemSpec) -> Self {
        let mut rows = FaultRows {
            index: BTreeMap::new(),
            tracks: Vec::new(),
            active: Vec::new(),
            now_active: Vec::new(),
        };
        for (f, fault) in spec.faults.iter().enumerate() {
            match &fault.effect {
                Effect::Down(targets)
                | Effect::Degrade { targets, .. }
                | Effect::Shock(targets) => {
                    for &e in targets {
                        rows.row(spec, f, Some(e));
                    }
                }
                Effect::Partition { .. } | Effect::Rollout { .. } | Effect::Surge { .. } => {
                    rows.row(spec, f, None);
                }
            }
        }
        rows
    }

    fn row(&mut self, spec: &SystemSpec, fault: usize, target: Option<Element>) -> usize {
        let tracks = &mut self.tracks;
        *self.index.entry((fault, target)).or_insert_with(|| {
            tracks.push(Track::new(
                fault_row_name(spec, fault, target),
                RowKind::Fault,
            ));
            tracks.len() - 1
        })
    }

    fn look(&mut self, spec: &SystemSpec, m: &SystemModel<'_>, now: SimTime) {
        let mut cur = std::mem::take(&mut self.now_active);
        cur.clear();
        for (f, target) in m.active_fault_targets() {
            cur.push(self.row(spec, f, target));
        }
        cur.sort_unstable();
        cur.dedup();
        for &r in &self.active {
            if cur.binary_search(&r).is_err() {
                self.tracks[r].set(now, None);
            }
        }
        for &r in &cur {
            self.tracks[r].set(now, Some(RowState::Active));
        }
        self.now_active = std::mem::replace(&mut self.active, cur);
    }
}

fn record_system(
    spec: &SystemSpec,
    entry_name: String,
    seed: u64,
    replication: u64,
    horizon: Horizon,
) -> (Vec<RecordedRow>, u64, u64) {
    let warmup = SimTime::from_duration(horizon.warmup);
    let mut sim = Simulation::new(SystemModel::new(spec, seed, replication, warmup));
    // The entry, then one row per service.
    let mut tracks = vec![Track::new(entry_name, RowKind::Entry)];
    tracks.extend(
        spec.services
            .iter()
            .map(|s| Track::new(s.name.clone(), RowKind::Service)),
    );
    let mut faults = FaultRows::new(spec);
    let mut look = |m: &SystemModel<'_>, now: SimTime| {
        let status = m.status();
        let entry = if !status.entry_up {
            Some(RowState::Down)
        } else if status.entry_degraded {
            Some(RowState::Degraded)
        } else {
            None
        };
        tracks[0].set(now, entry);
        for (svc, t) in tracks[1..].iter_mut().enumerate() {
            let state = if m.counters().switching(svc) {
                Some(RowState::FailingOver)
            } else if !status.service_up[svc] {
                Some(RowState::Down)
            } else {
                None
            };
            t.set(now, state);
        }
        faults.look(spec, m, now);
    };
    look(sim.model(), SimTime::ZERO);
    let outcome = sim.run_observed(horizon.end(), &mut look);
    let mut rows = finish_all(tracks, horizon.end());
    // Fault rows that never held their target are left out.
    rows.extend(
        finish_all(faults.tracks, horizon.end())
            .into_iter()
            .filter(|r| !r.spans.is_empty()),
    );
    (rows, outcome.events, outcome.trace_hash)
}

// --------------------------------------------------------------- requests

/// Samples kept exactly per window before they go into a histogram.
const EXACT_SAMPLES: usize = 4096;

/// The response times of one window: exact while few, else a histogram.
#[derive(Debug, Default)]
struct WindowSamples {
    requests: u64,
    errors: u64,
    exact: Vec<u64>,
    sketch: Option<LatencyHistogram>,
}

impl WindowSamples {
    fn push(&mut self, us: u64) {
        self.requests += 1;
        match &mut self.sketch {
            Some(h) => h.record(us),
            None if self.exact.len() < EXACT_SAMPLES => self.exact.push(us),
            None => {
                let mut h = LatencyHistogram::new();
                for &v in &self.exact {
                    h.record(v);
                }
                h.record(us);
                self.exact = Vec::new();
                self.sketch = Some(h);
            }
        }
    }

    /// p50, p90, p99 in seconds, by nearest rank (as the histogram
    /// defines them).
    fn quantiles_s(mut self) -> [Option<f64>; 3] {
        const P: [f64; 3] = [0.5, 0.9, 0.99];
        match &self.sketch {
            Some(h) => P.map(|p| h.quantile_s(p)),
            None if self.exact.is_empty() => [None; 3],
            None => {
                self.exact.sort_unstable();
                let n = self.exact.len();
                P.map(|p| {
                    let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
                    Some(self.exact[rank - 1] as f64 / 1e6)
                })
            }
        }
    }
}

/// The horizon cut into equal windows, filled as requests end.
#[derive(Debug)]
struct LatencyRecorder {
    ends: Vec<SimTime>,
    windows: Vec<WindowSamples>,
    current: usize,
}

impl LatencyRecorder {
    fn new(horizon: SimTime, windows: usize) -> Self {
        let h = u128::from(horizon.as_micros());
        let n = windows as u128;
        let ends = (1..=n)
            .map(|i| SimTime::from_micros(u64::try_from(h * i / n).unwrap_or(u64::MAX)))
            .collect();
        LatencyRecorder {
            ends,
            windows: (0..windows).map(|_| WindowSamples::default()).collect(),
            current: 0,
        }
    }

    #[inline]
    fn look(&mut self, m: &RequestModel, now: SimTime) {
        let Some(e) = m.endings() else {
            return;
        };
        if self.windows.is_empty() || (e.responses_us().is_empty() && e.failed() == 0) {
            return;
        }
        while self.current + 1 < self.ends.len() && now >= self.ends[self.current] {
            self.current += 1;
        }
        let w = &mut self.windows[self.current];
        w.errors += e.failed();
        for &us in e.responses_us() {
            w.push(us);
        }
    }

    fn finish(self) -> Vec<LatencyWindow> {
        let mut start = SimTime::ZERO;
        self.windows
            .into_iter()
            .zip(self.ends)
            .map(|(w, end)| {
                let (requests, errors) = (w.requests, w.errors);
                let [p50_s, p90_s, p99_s] = w.quantiles_s();
                let window = LatencyWindow {
                    start,
                    end,
                    requests,
                    errors,
                    p50_s,
                    p90_s,
                    p99_s,
                };
                start = end;
                window
            })
            .collect()
    }
}

fn record_requests(
    spec: &RequestSpec,
    entry_name: String,
    seed: u64,
    replication: u64,
    horizon: Horizon,
    latency_windows: usize,
) -> (Vec<RecordedRow>, Vec<LatencyWindow>, u64, u64) {
    let end = horizon.end();
    // The entry, one row per instance, then the dependency.
    let mut tracks = vec![Track::new(entry_name, RowKind::Entry)];
    tracks.extend(
        spec.instances
            .iter()
            .map(|i| Track::new(i.name.clone(), RowKind::Unit)),
    );
    if let Some(d) = &spec.dependency {
        tracks.push(Track::new(
            format!("{}: dependency down", d.name),
            RowKind::Fault,
        ));
    }
    let warmup = SimTime::from_duration(horizon.warmup);
    let Ok(mut model) = RequestModel::new(spec, seed, replication, warmup) else {
        // An invalid spec runs nothing, as in `simulate`.
        return (finish_all(tracks, end), Vec::new(), 0, 0);
    };
    model.watch_endings();
    let mut sim = Simulation::new(model);
    let mut latency = LatencyRecorder::new(end, latency_windows);
    let n = spec.instances.len();
    let mut look = |m: &RequestModel, now: SimTime| {
        let up = m.instances_up();
        let dependency = m.dependency_up().zip(m.dependency_soft());
        let entry = match dependency {
            _ if !up.iter().any(|&u| u) => Some(RowState::Down),
            Some((false, false)) => Some(RowState::Down),
            Some((false, true)) => Some(RowState::Degraded),
            _ => None,
        };
        tracks[0].set(now, entry);
        for (t, &u) in tracks[1..=n].iter_mut().zip(up) {
            t.set(now, (!u).then_some(RowState::Down));
        }
        if let Some((dep_up, _)) = dependency {
            tracks[n + 1].set(now, (!dep_up).then_some(RowState::Active));
        }
        latency.look(m, now);
    };
    look(sim.model(), SimTime::ZERO);
    let outcome = sim.run_observed(end, &mut look);
    (
        finish_all(tracks, end),
        latency.finish(),
        outcome.events,
        outcome.trace_hash,
    )
}
