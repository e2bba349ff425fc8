//! What a finished sweep writes: the frontier marked, `sweep.json`,
//! `sweep.csv` and the table on standard output. The same functions serve a
//! whole sweep and a merge of its shards, so both give the same bytes.

use std::fmt::Write as _;
use std::path::Path;

use reports::run::RunReport;

use super::PointResult;
use super::store::Manifest;

/// The cost a point is judged by: its total cost per year when the model
/// has costs, else nothing (then only availability counts).
fn cost(r: &RunReport) -> f64 {
    r.cost_per_year.as_ref().map_or(0.0, |c| c.total.mean)
}

/// Marks the points no other point dominates (at most as costly and at
/// least as available, and better in one of the two).
pub(crate) fn mark_pareto(results: &mut [PointResult]) {
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
pub(crate) fn table(results: &[PointResult], m: &Manifest, out: Option<&Path>) -> String {
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
    let _ = writeln!(
        s,
        "  {:width$}  {:>28}  {:>22}  {:>12}  frontier",
        "point", "availability (95% CI)", "downtime min/yr", "cost/yr"
    );
    for r in results {
        let a = &r.summary.availability;
        let d = &r.summary.downtime_minutes_per_year;
        // With no downtime observed the interval is a one-sided bound.
        let (availability, downtime) = if a.zero_downtime_observed {
            (
                format!("none seen: >= {:.5}%", 100.0 * a.ci95_low),
                format!("<= {:.1}", d.ci95_high),
            )
        } else {
            (
                format!(
                    "{:.5}% [{:.5}, {:.5}]",
                    100.0 * a.mean,
                    100.0 * a.ci95_low,
                    100.0 * a.ci95_high
                ),
                format!("{:.1} [{:.1}, {:.1}]", d.mean, d.ci95_low, d.ci95_high),
            )
        };
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
pub(crate) fn csv(results: &[PointResult], m: &Manifest) -> String {
    let mut s = String::from("point,label");
    if m.variants {
        s.push_str(",variant");
    }
    for p in &m.parameters {
        s.push(',');
        s.push_str(&csv_field(p));
    }
    s.push_str(",measure,mean,ci95_low,ci95_high,pareto\n");
    for (i, r) in results.iter().enumerate() {
        let mut prefix = format!("{i},{}", csv_field(&r.label));
        if m.variants {
            prefix.push(',');
            prefix.push_str(&csv_field(r.variant.as_deref().unwrap_or("")));
        }
        for p in &m.parameters {
            let v = r.point.get(p).map_or(String::new(), |v| match v {
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
