//! What a finished sweep writes: the frontier marked, `sweep.json`,
//! `sweep.csv` and the table on standard output. The same functions serve a
//! whole sweep and a merge of its shards, so both give the same bytes.

use std::fmt::Write as _;
use std::path::Path;

use super::PointResult;
use super::store::Manifest;

/// Marks the points no other point dominates (at most as costly and at
/// least as available, and better in one of the two).
pub(crate) fn mark_pareto(results: &mut [PointResult]) {
    reports::results::mark_pareto(results);
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
    reports::report::sweep_csv(results, &m.parameters, m.variants)
}
