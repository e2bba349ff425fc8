//! Reports: `--report DIR` of `nines run` and `nines sweep`, and `nines
//! report RESULTS --out DIR`, which renders the same files from saved
//! results.
//!
//! A run's report re-runs one replication (the worst year) to record its
//! timeline; everything else comes from the results alone.

use std::path::Path;

use models::replicate::Horizon;
use models::timeline::{RecordedRow, Recording, RowKind, RowState, record};
use reports::RunReport;
use reports::results::{
    Body, Design, FORMAT, LatencyWindow, Ranked, Results, RunResults, Sample, SweepPoint,
    SweepResults, Timeline, TimelineRow, TimelineSpan,
};
use scenarios::Scenario;
use sim_core::time::SimTime;

use crate::cli::ReportArgs;
use crate::compare::paired::paired_difference;
use crate::fail::Failure;
use crate::output::print;

/// The fewest hours a timeline's window shows around an outage.
const MIN_PAD_HOURS: f64 = 2.0;
/// The most rows a timeline shows (the entry and services always).
const MAX_ROWS: usize = 40;
/// Windows of latency over a request-level replication.
const LATENCY_WINDOWS: usize = 60;

/// `nines report`.
pub(crate) fn report(args: ReportArgs) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&args.results)
        .map_err(|e| Failure::input(format!("{}: cannot read: {e}", args.results.display())))?;
    let mut results = reports::results::read(&text)
        .map_err(|e| Failure::input(format!("{}: {e}", args.results.display())))?;
    if let Body::Sweep(sweep) = &mut results.results
        && sweep.ranking.is_empty()
    {
        sweep.ranking = rank(&sweep.points, &sweep.objectives());
    }
    write(&args.out, &results)?;
    if !args.quiet {
        print(&written(&args.out))?;
    }
    Ok(())
}

/// The line that says where a report went.
pub(crate) fn written(dir: &Path) -> String {
    format!(
        "report        {}/report.html, {}/report.md, {}/results.json, {}/results.csv\n",
        dir.display(),
        dir.display(),
        dir.display(),
        dir.display()
    )
}

/// Writes every file of the report of `results` into `dir` (created if
/// needed). Only the report's own files are written; nothing else in `dir`
/// is touched.
pub(crate) fn write(dir: &Path, results: &Results) -> Result<(), Failure> {
    write_rendered(dir, &reports::report::render(results))
}

/// Writes the files of a rendered report (a run's, a sweep's or a
/// comparison's) into `dir` (created if needed) as one report: see
/// [`write_report_dir`](crate::output::write_report_dir). Nothing else in
/// `dir` is touched.
pub(crate) fn write_rendered(
    dir: &Path,
    rendered: &reports::report::Rendered,
) -> Result<(), Failure> {
    let mut files: Vec<(&str, &[u8])> = vec![
        ("report.html", rendered.html.as_bytes()),
        ("report.md", rendered.markdown.as_bytes()),
    ];
    for (file, svg) in &rendered.figures {
        files.push((file.as_str(), svg.as_bytes()));
    }
    files.push(("results.json", rendered.json.as_bytes()));
    files.push(("results.csv", rendered.csv.as_bytes()));
    crate::output::write_report_dir(dir, &files)
}

fn design(scenario: &Scenario) -> Design {
    Design {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        origin: scenario.origin.clone(),
        slo: scenario.slo,
    }
}

/// The results of a run, with its worst replication re-run and recorded.
pub(crate) fn run_results(scenario: &Scenario, summary: RunReport, command: String) -> Results {
    let sample = sample(scenario, &summary);
    Results {
        format: FORMAT.into(),
        nines_version: env!("CARGO_PKG_VERSION").into(),
        command,
        design: design(scenario),
        results: Body::Run(Box::new(RunResults {
            summary,
            sample: Some(sample),
        })),
    }
}

/// How a sweep's points were made.
#[derive(Debug)]
pub(crate) struct SweepShape {
    /// The swept parameters' paths.
    pub(crate) parameters: Vec<String>,
    /// Whether it sweeps named variants too.
    pub(crate) variants: bool,
    /// Whether each point drew its own streams.
    pub(crate) independent: bool,
    /// The root seed.
    pub(crate) seed: u64,
    /// Replications per point.
    pub(crate) replications: u64,
    /// What ranks the points and what the frontier is drawn over (measure
    /// keys; empty: cost and availability).
    pub(crate) objectives: Vec<String>,
}

/// The results of a sweep, its points ranked.
pub(crate) fn sweep_results(
    scenario: &Scenario,
    points: Vec<SweepPoint>,
    shape: SweepShape,
    command: String,
) -> Results {
    let ranking = rank(
        &points,
        &reports::results::objectives_or_default(&shape.objectives),
    );
    let SweepShape {
        parameters,
        variants,
        independent,
        seed,
        replications,
        objectives,
    } = shape;
    Results {
        format: FORMAT.into(),
        nines_version: env!("CARGO_PKG_VERSION").into(),
        command,
        design: design(scenario),
        results: Body::Sweep(Box::new(SweepResults {
            seed,
            replications,
            independent,
            parameters,
            variants,
            points,
            ranking,
            objectives,
        })),
    }
}

/// The points in rank order by `objectives` ([`reports::results::rank_order`]), each with its
/// downtime difference from the first: paired when the points share their
/// random numbers (same seed), else from independent samples.
pub(crate) fn rank(
    points: &[SweepPoint],
    objectives: &[&reports::measures::Measure],
) -> Vec<Ranked> {
    let order = reports::results::rank_order(points, objectives);
    let Some(&top) = order.first() else {
        return Vec::new();
    };
    let best = &points[top].summary;
    order
        .iter()
        .map(|&i| {
            let r = &points[i].summary;
            let downtime_vs_best = (i != top)
                .then(|| {
                    let mut d = paired_difference(
                        &best.replication_downtime_minutes_per_year,
                        &r.replication_downtime_minutes_per_year,
                    )?;
                    if r.seed != best.seed {
                        // Independent streams: the unpaired interval is
                        // the honest one.
                        let half = d.unpaired_ci95_half_width?;
                        d.ci95_low = d.mean - half;
                        d.ci95_high = d.mean + half;
                        d.pairing_ratio = None;
                    }
                    Some(d)
                })
                .flatten();
            Ranked {
                point: i,
                downtime_vs_best,
            }
        })
        .collect()
}

/// Picks the replication with the most downtime (the first of equals),
/// re-runs it with a recorder and cuts a window around its longest outage.
fn sample(scenario: &Scenario, summary: &RunReport) -> Sample {
    let sim = scenario.simulation;
    let per_year = &summary.replication_downtime_minutes_per_year;
    let mut worst = 0usize;
    for (i, &d) in per_year.iter().enumerate() {
        if d > per_year[worst] {
            worst = i;
        }
    }
    let any_downtime = per_year.get(worst).is_some_and(|&d| d > 0.0);
    let horizon = Horizon::new(sim.horizon, sim.warmup);
    let recording = record(
        &scenario.model,
        sim.seed,
        worst as u64,
        horizon,
        LATENCY_WINDOWS,
    );
    let measured_years = (sim.horizon.as_hours_f64() - sim.warmup.as_hours_f64()) / 8760.0;
    let downtime_minutes = per_year.get(worst).map_or(0.0, |d| d * measured_years);
    let chosen_because = if any_downtime {
        format!(
            "the worst of the {} replications, by downtime",
            per_year.len()
        )
    } else {
        "no replication had downtime; the first is shown".to_string()
    };
    let end_h = sim.horizon.as_hours_f64();
    let entry = recording.rows.first();
    let overview = entry.map_or_else(
        || TimelineRow {
            name: scenario.name.clone(),
            group: "entry".into(),
            spans: Vec::new(),
        },
        |row| row_in(row, 0.0, end_h),
    );
    let (start_hours, end_hours) = window(&recording, end_h);
    let timeline = Timeline {
        start_hours,
        end_hours,
        rows: rows_in(&recording, start_hours, end_hours),
    };
    Sample {
        replication: worst as u64,
        chosen_because,
        downtime_minutes,
        overview,
        timeline,
        latency: recording.latency.iter().map(latency).collect(),
    }
}

pub(crate) fn hours(t: SimTime) -> f64 {
    t.as_micros() as f64 / 3.6e9
}

/// The span to zoom in on: around the entry's longest outage (else its
/// longest degraded span), padded on both sides by twice its length and at
/// least [`MIN_PAD_HOURS`]; the whole horizon when the entry never changed.
pub(crate) fn window(recording: &Recording, end_h: f64) -> (f64, f64) {
    let longest = recording.rows.first().and_then(|entry| {
        let pick = |state: RowState| {
            entry
                .spans
                .iter()
                .filter(|s| s.state == state)
                .max_by_key(|s| (s.end - s.start, std::cmp::Reverse(s.start)))
        };
        pick(RowState::Down).or_else(|| pick(RowState::Degraded))
    });
    match longest {
        Some(s) => {
            let (a, b) = (hours(s.start), hours(s.end));
            let pad = (2.0 * (b - a)).max(MIN_PAD_HOURS);
            ((a - pad).max(0.0), (b + pad).min(end_h))
        }
        None => (0.0, end_h),
    }
}

fn group(kind: RowKind) -> &'static str {
    match kind {
        RowKind::Entry => "entry",
        RowKind::Service => "service",
        RowKind::Unit => "component",
        RowKind::Fault => "fault",
    }
}

fn state(s: RowState) -> &'static str {
    match s {
        RowState::Down => "down",
        RowState::Degraded => "degraded",
        RowState::FailingOver => "failing-over",
        RowState::Active => "active",
    }
}

/// One recorded row cut to `[start, end]` hours.
fn row_in(row: &RecordedRow, start: f64, end: f64) -> TimelineRow {
    TimelineRow {
        name: row.name.clone(),
        group: group(row.kind).into(),
        spans: row
            .spans
            .iter()
            .filter_map(|s| {
                let (a, b) = (hours(s.start).max(start), hours(s.end).min(end));
                (b > a).then(|| TimelineSpan {
                    start_hours: a,
                    end_hours: b,
                    state: state(s.state).into(),
                })
            })
            .collect(),
    }
}

/// The rows that matter in `[start, end]`: the entry and every service,
/// then the components and faults that changed there, at most
/// [`MAX_ROWS`] in all.
pub(crate) fn rows_in(recording: &Recording, start: f64, end: f64) -> Vec<TimelineRow> {
    let mut rows = Vec::new();
    for row in &recording.rows {
        let cut = row_in(row, start, end);
        let always = matches!(row.kind, RowKind::Entry | RowKind::Service);
        if always || !cut.spans.is_empty() {
            if rows.len() >= MAX_ROWS && !always {
                continue;
            }
            rows.push(cut);
        }
    }
    rows
}

fn latency(w: &models::timeline::LatencyWindow) -> LatencyWindow {
    LatencyWindow {
        start_hours: hours(w.start),
        end_hours: hours(w.end),
        requests: w.requests,
        errors: w.errors,
        p50_s: w.p50_s,
        p90_s: w.p90_s,
        p99_s: w.p99_s,
    }
}
