//! `results.json`: everything a report shows, in one file, so that a report
//! can be rendered again without running anything.
//!
//! A results file holds one run (the `nines run --json` object plus one
//! sample replication's timeline) or one sweep (every point's run object),
//! with the scenario's name, description and availability target.

use serde::{Deserialize, Serialize};

use crate::run::RunReport;

/// The format tag of a results file; a file with another tag is refused.
pub const FORMAT: &str = "nines-results/1";

/// A results file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Always [`FORMAT`].
    pub format: String,
    /// The nines version that produced it.
    pub nines_version: String,
    /// The command line that produced it (to run it again).
    pub command: String,
    /// What was simulated.
    pub design: Design,
    /// The figures: one run, or one sweep.
    pub results: Body,
}

/// The scenario a results file is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Design {
    /// The scenario's name.
    pub scenario: String,
    /// One line on what it models.
    pub description: String,
    /// Where it came from: a path or `builtin:NAME`.
    pub origin: String,
    /// The availability target (a share in (0, 1)), if the scenario sets
    /// one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slo: Option<f64>,
}

/// The figures of a results file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Body {
    /// One design, run once.
    Run(Box<RunResults>),
    /// Many designs: the points of a sweep.
    Sweep(Box<SweepResults>),
}

/// One run: its summary and one replication told as a timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResults {
    /// What `nines run --json` writes.
    pub summary: RunReport,
    /// One replication re-run and recorded, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<Sample>,
}

/// One replication, re-run to record how its states changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// Which replication (replay it with `nines replay`).
    pub replication: u64,
    /// Why this one was chosen, in a sentence.
    pub chosen_because: String,
    /// Its downtime, in minutes over the whole measured horizon.
    pub downtime_minutes: f64,
    /// When the service was down or degraded over the whole horizon, as
    /// users see it (one row).
    pub overview: TimelineRow,
    /// A closer look around its worst moment: every row that changed.
    pub timeline: Timeline,
    /// Request-level runs: latency and errors in windows over the horizon.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub latency: Vec<LatencyWindow>,
}

/// Rows of states over a span of one replication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Where the span starts, hours since the replication started.
    pub start_hours: f64,
    /// Where it ends.
    pub end_hours: f64,
    /// The service as users see it first, then services, components and
    /// faults.
    pub rows: Vec<TimelineRow>,
}

/// One row of a timeline: a name and the spans it was not simply up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineRow {
    /// What the row follows (`web (as users see it)`, `host-crash: web-2`).
    pub name: String,
    /// Its group: `entry`, `service`, `component` or `fault`.
    pub group: String,
    /// Spans in time order, none overlapping.
    pub spans: Vec<TimelineSpan>,
}

/// A span of a timeline row in one state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineSpan {
    /// Start, hours since the replication started.
    pub start_hours: f64,
    /// End, hours since the replication started.
    pub end_hours: f64,
    /// `down`, `degraded`, `failing-over` or `active` (a fault holds).
    pub state: String,
}

/// Requests over one window of a request-level replication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencyWindow {
    /// Window start, hours since the replication started.
    pub start_hours: f64,
    /// Window end.
    pub end_hours: f64,
    /// Requests that finished in the window.
    pub requests: u64,
    /// Of them, those that failed.
    pub errors: u64,
    /// Median response time, seconds (absent with no request).
    pub p50_s: Option<f64>,
    /// 90th percentile, seconds.
    pub p90_s: Option<f64>,
    /// 99th percentile, seconds.
    pub p99_s: Option<f64>,
}

/// A sweep: each point's run, and how the points were made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepResults {
    /// The root seed.
    pub seed: u64,
    /// Replications per point.
    pub replications: u64,
    /// Whether each point drew its own streams (else all points share
    /// common random numbers and differences between them are paired).
    pub independent: bool,
    /// The swept parameters, as paths into the scenario.
    pub parameters: Vec<String>,
    /// Whether the sweep is over named variants too.
    pub variants: bool,
    /// Every point, in sweep order.
    pub points: Vec<SweepPoint>,
    /// The points ranked, most available first, each against the first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranking: Vec<Ranked>,
    /// What ranked the points and what the frontier is drawn over, by
    /// measure key ([`crate::measures::MEASURES`]); empty: cost and
    /// availability.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<String>,
}

impl SweepResults {
    /// The objectives the sweep was judged by.
    pub fn objectives(&self) -> Vec<&'static crate::measures::Measure> {
        objectives_or_default(&self.objectives)
    }
}

/// The measures of `keys`, or the sweep's default objectives (cost and
/// availability) when there are none.
pub fn objectives_or_default<S: AsRef<str>>(keys: &[S]) -> Vec<&'static crate::measures::Measure> {
    let chosen = crate::measures::by_keys(keys);
    if chosen.is_empty() {
        crate::measures::by_keys(&crate::measures::DEFAULT_SWEEP_OBJECTIVES)
    } else {
        chosen
    }
}

/// A point's place in the ranking of a sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    /// The point's index in [`SweepResults::points`].
    pub point: usize,
    /// Its downtime minus the top-ranked point's, minutes per year: paired
    /// replication by replication under common random numbers, else from
    /// independent samples (then `pairing_ratio` is absent). Absent for the
    /// top point itself and with fewer than two replications.
    pub downtime_vs_best: Option<crate::PairedDifference>,
}

/// One point of a sweep, as `sweep.json` lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// The swept values: path to value.
    pub point: serde_json::Map<String, serde_json::Value>,
    /// The variant, for sweeps over named variants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// A short name for the point.
    pub label: String,
    /// The `nines run --json` object of the point.
    pub summary: RunReport,
    /// Whether no other point is both cheaper and more available.
    pub pareto: bool,
}

impl SweepPoint {
    /// The value of `parameter` at this point, as text.
    pub fn value(&self, parameter: &str) -> Option<String> {
        self.point.get(parameter).map(|v| match v {
            serde_json::Value::String(t) => t.clone(),
            other => other.to_string(),
        })
    }
}

/// The cost a point is judged by: its total cost per year when the model
/// has costs, else zero (then only availability counts).
pub fn judged_cost(r: &RunReport) -> f64 {
    r.cost_per_year.as_ref().map_or(0.0, |c| c.total.mean)
}

/// The value a point is judged by on objective `m`: its point estimate,
/// or zero when the point has no such measure (a design without costs
/// costs nothing, so only the other objectives count).
pub fn judged_value(r: &RunReport, m: &crate::measures::Measure) -> f64 {
    crate::measures::point_value(r, m).unwrap_or(0.0)
}

/// The points in rank order: by the objectives other than cost, in the
/// order given, best first; cost breaks ties (so by default most
/// available first, the cheaper first among equally available ones);
/// then sweep order.
pub fn rank_order(points: &[SweepPoint], objectives: &[&crate::measures::Measure]) -> Vec<usize> {
    let mut keys: Vec<&crate::measures::Measure> = objectives
        .iter()
        .copied()
        .filter(|m| m.key != "cost_per_year")
        .collect();
    keys.extend(
        objectives
            .iter()
            .copied()
            .filter(|m| m.key == "cost_per_year"),
    );
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&points[a].summary, &points[b].summary);
        keys.iter()
            .map(|m| {
                let (x, y) = (judged_value(pa, m), judged_value(pb, m));
                match m.better {
                    crate::measures::Better::Lower => x.total_cmp(&y),
                    crate::measures::Better::Higher => y.total_cmp(&x),
                }
            })
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    order
}

/// Marks the points no other point dominates on `objectives` (at least as
/// good on every one, and better on one).
pub fn mark_pareto(points: &mut [SweepPoint], objectives: &[&crate::measures::Measure]) {
    let figures: Vec<Vec<f64>> = points
        .iter()
        .map(|r| {
            objectives
                .iter()
                .map(|m| judged_value(&r.summary, m))
                .collect()
        })
        .collect();
    let dominates = |a: &[f64], b: &[f64]| {
        let mut strictly = false;
        for ((m, x), y) in objectives.iter().zip(a).zip(b) {
            if m.is_better(*y, *x) {
                return false;
            }
            strictly |= m.is_better(*x, *y);
        }
        strictly
    };
    for (i, r) in points.iter_mut().enumerate() {
        r.pareto = !figures.iter().any(|other| dominates(other, &figures[i]));
    }
}

/// Reads a results file, a `sweep.json` (the list of points `nines sweep
/// --out` writes) or a `nines run --json` object, whichever `text` is.
pub fn read(text: &str) -> Result<Results, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if let Some(format) = value.get("format") {
        if format.as_str() != Some(FORMAT) {
            return Err(format!(
                "format {format} is not one this version reads (expected \"{FORMAT}\")"
            ));
        }
        return serde_json::from_str(text).map_err(|e| format!("not a results file: {e}"));
    }
    if value.is_array() {
        let points: Vec<SweepPoint> = serde_json::from_str(text)
            .map_err(|e| format!("not a sweep's points (sweep.json): {e}"))?;
        return Ok(from_sweep_points(points));
    }
    if value.get("trace_hash").is_some() && value.get("availability").is_some() {
        let summary: RunReport = serde_json::from_str(text)
            .map_err(|e| format!("not a `nines run --json` object: {e}"))?;
        return Ok(Results {
            format: FORMAT.into(),
            nines_version: String::new(),
            command: String::new(),
            design: Design {
                scenario: summary.scenario.clone(),
                description: String::new(),
                origin: summary.origin.clone(),
                slo: None,
            },
            results: Body::Run(Box::new(RunResults {
                summary,
                sample: None,
            })),
        });
    }
    Err(format!(
        "expected a results.json (\"format\": \"{FORMAT}\"), a sweep.json or a `nines run --json` object"
    ))
}

/// Results around the points of a `sweep.json`, which does not say how the
/// sweep was made: parameters are read off the points.
fn from_sweep_points(points: Vec<SweepPoint>) -> Results {
    let mut parameters: Vec<String> = Vec::new();
    for p in &points {
        for k in p.point.keys() {
            if !parameters.contains(k) {
                parameters.push(k.clone());
            }
        }
    }
    let first = points.first().map(|p| &p.summary);
    let seed = first.map_or(0, |s| s.seed);
    let replications = first.map_or(0, |s| s.replications);
    // With common random numbers every point starts from the same seed.
    let independent = points.iter().any(|p| p.summary.seed != seed);
    let scenario = first.map_or_else(String::new, |s| s.scenario.clone());
    let origin = first.map_or_else(String::new, |s| s.origin.clone());
    Results {
        format: FORMAT.into(),
        nines_version: String::new(),
        command: String::new(),
        design: Design {
            scenario,
            description: String::new(),
            origin,
            slo: None,
        },
        results: Body::Sweep(Box::new(SweepResults {
            seed,
            replications,
            independent,
            variants: points.iter().any(|p| p.variant.is_some()),
            parameters,
            points,
            ranking: Vec::new(),
            // A list of points does not say what judged them.
            objectives: Vec::new(),
        })),
    }
}
