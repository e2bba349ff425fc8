//! `nines sweep`: run every point of a sweep, one line per point, and mark
//! the points on the cost-availability frontier.
//!
//! Every point runs with the same seed, so replication r of each point sees
//! the same fault history on the components the points share (common
//! random numbers). Points run one after another, each with its
//! replications in parallel; results do not depend on the thread count.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;

use reports::run::RunReport;
use scenarios::compose::Composed;
use scenarios::sweep::{SweepPoint, SweepSpec};
use serde::Serialize;

use crate::cli::SweepArgs;
use crate::fail::Failure;
use crate::output::{Printed, print, write_atomically, write_json};
use crate::run::{apply_overrides, replication_availability, run_interruptible};
use crate::summarize::run_report;
use models::replicate::{Horizon, simulate};
use models::summary::Summary;

/// One point's results, as `sweep.json` lists them.
#[derive(Debug, Serialize)]
pub(crate) struct PointResult {
    /// The swept values: path to value.
    pub(crate) point: serde_json::Map<String, serde_json::Value>,
    /// The variant, for sweeps over named variants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) variant: Option<String>,
    /// A short name for the point.
    pub(crate) label: String,
    /// The `nines run --json` object of the point.
    pub(crate) summary: RunReport,
    /// Whether no other point is both cheaper and more available.
    pub(crate) pareto: bool,
}

/// The sweep `args` asks for: `--sweep` flags, else the scenario's own.
pub(crate) fn sweep_of(
    composed: &Composed,
    flags: &[String],
) -> Result<Option<SweepSpec>, Failure> {
    if flags.is_empty() {
        return Ok(composed.sweep().cloned());
    }
    SweepSpec::from_flags(flags)
        .map(Some)
        .map_err(Failure::input)
}

/// Builds every point of `sweep` first, so that a mistake in any point is
/// reported before anything runs.
pub(crate) fn build_points(
    composed: &Composed,
    sweep: &SweepSpec,
) -> Result<Vec<(SweepPoint, scenarios::Scenario)>, Failure> {
    sweep
        .points()
        .into_iter()
        .map(|p| {
            let scenario = composed
                .at_point(&p)
                .and_then(|c| c.build())
                .map_err(|e| Failure::input(e.to_string()))?;
            Ok((p, scenario))
        })
        .collect()
}

/// `nines sweep`.
pub(crate) fn sweep(args: SweepArgs) -> Result<(), Failure> {
    let composed = crate::load::load_composed(&args.scenario)?;
    let Some(spec) = sweep_of(&composed, &args.sweep)? else {
        return Err(Failure::input(format!(
            "{}: the scenario declares no [sweep]; give one with --sweep PATH=VALUES, such as --sweep service.web.instances=2..6",
            args.scenario.scenario
        )));
    };
    let points = build_points(&composed, &spec)?;
    let quiet = args.output.quiet;
    let mut results = Vec::with_capacity(points.len());
    let mut interrupted = false;
    for (i, (point, mut scenario)) in points.into_iter().enumerate() {
        apply_overrides(&mut scenario, &args.sim)?;
        if !quiet && std::io::stderr().is_terminal() {
            crate::progress::notice(&format!(
                "point {} of {}: {}",
                i + 1,
                spec.len(),
                point.label()
            ));
        }
        let sim = scenario.simulation;
        let horizon = Horizon::new(sim.horizon, sim.warmup);
        let runs = run_interruptible(
            sim.replications,
            args.sim.threads,
            Vec::new(),
            quiet,
            |r| simulate(&scenario.model, sim.seed, r, horizon, None),
            |result| vec![replication_availability(result)],
        )?;
        if (runs.len() as u64) < sim.replications {
            // Only whole points are reported: the one cut short is dropped.
            interrupted = true;
            break;
        }
        let summary = Summary::from_results(&runs);
        drop(runs);
        let report = run_report(&scenario, scenario.simulation.seed, &summary)?;
        results.push(PointResult {
            point: coordinates(&point)?,
            variant: point.variant.clone(),
            label: point.label(),
            summary: report,
            pareto: false,
        });
    }
    mark_pareto(&mut results);
    let json = serde_json::to_string_pretty(&results)
        .map_err(|e| Failure::internal(format!("cannot encode the results: {e}")))?
        + "\n";
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::input(format!("{}: cannot create: {e}", dir.display())))?;
        write_atomically(&dir.join("sweep.json"), json.as_bytes())?;
        write_atomically(&dir.join("sweep.csv"), csv(&results, &spec).as_bytes())?;
    }
    let json_to_stdout = args.output.json.as_deref() == Some("-");
    if let Some(target) = &args.output.json
        && let Printed::PipeClosed = write_json(target, &json)?
    {
        return Ok(());
    }
    if !quiet && !json_to_stdout {
        let mut text = String::new();
        if interrupted {
            let _ = writeln!(
                text,
                "interrupted: {} of {} points finished; the point under way was dropped",
                results.len(),
                spec.len()
            );
        }
        text.push_str(&table(&results, &spec, args.out.as_deref()));
        print(&text)?;
    }
    if interrupted {
        return Err(Failure::interrupted(format!(
            "interrupted: {} of {} points finished",
            results.len(),
            spec.len()
        )));
    }
    Ok(())
}

/// The point's swept values as JSON, keyed by path.
fn coordinates(point: &SweepPoint) -> Result<serde_json::Map<String, serde_json::Value>, Failure> {
    let mut map = serde_json::Map::new();
    for (path, text) in &point.coordinates {
        let doc: toml::Table = toml::from_str(&format!("v = {text}"))
            .map_err(|e| Failure::internal(format!("sweep value {text}: {e}")))?;
        let value = serde_json::to_value(&doc["v"])
            .map_err(|e| Failure::internal(format!("sweep value {text}: {e}")))?;
        map.insert(path.clone(), value);
    }
    Ok(map)
}

/// The cost a point is judged by: its total cost per year when the model
/// has costs, else nothing (then only availability counts).
fn cost(r: &RunReport) -> f64 {
    r.cost_per_year.as_ref().map_or(0.0, |c| c.total.mean)
}

/// Marks the points no other point dominates (at most as costly and at
/// least as available, and better in one of the two).
fn mark_pareto(results: &mut [PointResult]) {
    let figures: Vec<(f64, f64)> = results
        .iter()
        .map(|r| (cost(&r.summary), r.summary.availability.mean))
        .collect();
    for (i, r) in results.iter_mut().enumerate() {
        let (c, a) = figures[i];
        r.pareto = !figures
            .iter()
            .any(|&(c2, a2)| c2 <= c && a2 >= a && (c2 < c || a2 > a));
    }
}

/// One line per point: its values, availability, downtime, cost, frontier.
fn table(results: &[PointResult], spec: &SweepSpec, out: Option<&Path>) -> String {
    let width = results
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "sweep         {} points, {} replications each, seed {} (common random numbers across points)",
        spec.len(),
        results.first().map_or(0, |r| r.summary.replications),
        results.first().map_or(0, |r| r.summary.seed),
    );
    let _ = writeln!(
        s,
        "  {:width$}  {:>28}  {:>22}  {:>12}  frontier",
        "point", "availability (95% CI)", "downtime min/yr", "cost/yr"
    );
    for r in results {
        let a = &r.summary.availability;
        let d = &r.summary.downtime_minutes_per_year;
        let availability = format!(
            "{:.5}% [{:.5}, {:.5}]",
            100.0 * a.mean,
            100.0 * a.ci95_low,
            100.0 * a.ci95_high
        );
        let downtime = format!("{:.1} [{:.1}, {:.1}]", d.mean, d.ci95_low, d.ci95_high);
        let cost = r
            .summary
            .cost_per_year
            .as_ref()
            .map_or_else(|| "-".to_string(), |c| format!("{:.0}", c.total.mean));
        let _ = writeln!(
            s,
            "  {:width$}  {availability:>28}  {downtime:>22}  {cost:>12}  {}",
            r.label,
            if r.pareto { "*" } else { "" }
        );
    }
    let _ = writeln!(
        s,
        "* on the cost-availability frontier: no other point is both cheaper and more available"
    );
    if let Some(dir) = out {
        let _ = writeln!(
            s,
            "written       {}/sweep.json, {}/sweep.csv",
            dir.display(),
            dir.display()
        );
    }
    s
}

/// A tidy table: one row per point and measure.
fn csv(results: &[PointResult], spec: &SweepSpec) -> String {
    let mut s = String::from("point,label");
    if !spec.variants.is_empty() {
        s.push_str(",variant");
    }
    for p in &spec.parameters {
        s.push(',');
        s.push_str(&csv_field(&p.path));
    }
    s.push_str(",measure,mean,ci95_low,ci95_high,pareto\n");
    for (i, r) in results.iter().enumerate() {
        let mut prefix = format!("{i},{}", csv_field(&r.label));
        if !spec.variants.is_empty() {
            prefix.push(',');
            prefix.push_str(&csv_field(r.variant.as_deref().unwrap_or("")));
        }
        for p in &spec.parameters {
            let v = r.point.get(&p.path).map_or(String::new(), |v| match v {
                serde_json::Value::String(t) => t.clone(),
                other => other.to_string(),
            });
            prefix.push(',');
            prefix.push_str(&csv_field(&v));
        }
        let a = &r.summary.availability;
        let mut rows = vec![
            ("availability", a.mean, a.ci95_low, a.ci95_high),
            (
                "downtime_minutes_per_year",
                r.summary.downtime_minutes_per_year.mean,
                r.summary.downtime_minutes_per_year.ci95_low,
                r.summary.downtime_minutes_per_year.ci95_high,
            ),
            (
                "incidents_per_year",
                r.summary.incidents_per_year.mean,
                r.summary.incidents_per_year.ci95_low,
                r.summary.incidents_per_year.ci95_high,
            ),
        ];
        if let Some(c) = &r.summary.cost_per_year {
            rows.push((
                "cost_per_year",
                c.total.mean,
                c.total.ci95_low,
                c.total.ci95_high,
            ));
        }
        for (name, mean, low, high) in rows {
            let _ = writeln!(s, "{prefix},{name},{mean},{low},{high},{}", r.pareto);
        }
    }
    s
}

/// A CSV field, quoted when it holds a comma, a quote or a newline.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
