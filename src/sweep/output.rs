//! What a finished sweep writes: the frontier marked, `sweep.json`,
//! `sweep.csv` and the table on standard output. The same functions serve a
//! whole sweep and a merge of its shards, so both give the same bytes.

use std::fmt::Write as _;
use std::path::Path;

use reports::digits::percent;
use reports::measures::Measure;

use super::PointResult;
use super::store::Manifest;

/// Marks the points no other point dominates on `objectives` (at least
/// as good on every one, and better on one).
pub(crate) fn mark_pareto(results: &mut [PointResult], objectives: &[&'static Measure]) {
    reports::results::mark_pareto(results, objectives);
}

/// Whether `objectives` are the default ones, cost and availability.
fn is_default(objectives: &[&'static Measure]) -> bool {
    objectives
        .iter()
        .map(|m| m.key)
        .eq(reports::measures::DEFAULT_SWEEP_OBJECTIVES)
}

/// One line per point: its values, availability, downtime, cost, frontier.
pub(crate) fn table(
    results: &[PointResult],
    m: &Manifest,
    objectives: &[&'static Measure],
    out: Option<&Path>,
) -> String {
    let width = results
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "sweep         {} points, {} replications each, seed {} ({})",
        m.points,
        m.replications,
        m.seed,
        if m.independent {
            "independent streams per point"
        } else {
            "common random numbers across points"
        }
    );
    // Beside availability, downtime and cost: writes lost when a point
    // keeps data, and every other objective.
    let mut extra: Vec<&'static Measure> = Vec::new();
    if results.iter().any(|r| r.summary.data.is_some()) {
        extra.extend(reports::measures::find("writes_lost"));
    }
    // The price of waiting for a standby, where the points differ in it.
    for key in ["write_latency_ms", "write_availability"] {
        let m = reports::measures::find(key).expect("a catalog measure");
        let values: Vec<Option<f64>> = results
            .iter()
            .map(|r| reports::measures::point_value(&r.summary, m))
            .collect();
        if values.iter().any(Option::is_some) && values.iter().any(|v| *v != values[0]) {
            extra.push(m);
        }
    }
    for o in objectives {
        let shown = matches!(
            o.key,
            "availability" | "downtime_minutes_per_year" | "cost_per_year"
        );
        if !shown && !extra.iter().any(|e| e.key == o.key) {
            extra.push(o);
        }
    }
    let headers: Vec<String> = extra
        .iter()
        .map(|e| {
            if e.unit.is_empty() {
                e.words.to_string()
            } else {
                format!("{} {}", e.words, e.unit)
            }
        })
        .collect();
    let mut head = format!(
        "  {:width$}  {:>28}  {:>22}  {:>12}",
        "point", "availability (95% CI)", "downtime min/yr", "cost/yr"
    );
    for h in &headers {
        let _ = write!(head, "  {h:>16}");
    }
    let _ = writeln!(s, "{head}  frontier");
    for r in results {
        let a = &r.summary.availability;
        let d = &r.summary.downtime_minutes_per_year;
        // With no downtime observed the interval is a one-sided bound.
        let (availability, downtime) = if a.zero_downtime_observed {
            (
                format!("none seen: >= {}", percent(a.ci95_low, 5)),
                format!("<= {:.1}", d.ci95_high),
            )
        } else {
            (
                format!(
                    "{} [{}, {}]",
                    percent(a.mean, 5),
                    percent(a.ci95_low, 5).trim_end_matches('%'),
                    percent(a.ci95_high, 5).trim_end_matches('%')
                ),
                format!("{:.1} [{:.1}, {:.1}]", d.mean, d.ci95_low, d.ci95_high),
            )
        };
        let cost = r
            .summary
            .cost_per_year
            .as_ref()
            .map_or_else(|| "-".to_string(), |c| format!("{:.0}", c.total.mean));
        let mut line = format!(
            "  {:width$}  {availability:>28}  {downtime:>22}  {cost:>12}",
            r.label
        );
        for (e, h) in extra.iter().zip(&headers) {
            let value = reports::measures::point_value(&r.summary, e).map_or_else(
                || "-".to_string(),
                |v| {
                    if e.share {
                        percent(v, 5)
                    } else {
                        format!("{v:.2}")
                    }
                },
            );
            let w = h.chars().count().max(16);
            let _ = write!(line, "  {value:>w$}");
        }
        let _ = writeln!(s, "{line}  {}", if r.pareto { "*" } else { "" });
    }
    if is_default(objectives) {
        let _ = writeln!(
            s,
            "* on the cost-availability frontier: no other point is both cheaper and more available"
        );
    } else {
        let words: Vec<&str> = objectives.iter().map(|o| o.words).collect();
        let _ = writeln!(
            s,
            "* on the frontier over {}: no other point is at least as good on every one and better on one",
            words.join(", ")
        );
    }
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
pub(crate) fn csv(results: &[PointResult], m: &Manifest) -> String {
    reports::report::sweep_csv(results, &m.parameters, m.variants)
}
