//! `results.csv`: a tidy table, one row per measure, for a spreadsheet.

use std::fmt::Write as _;

use crate::results::{Body, Results, SweepPoint};
use crate::run::{Interval, RunReport};

/// The results as CSV.
pub(crate) fn csv(results: &Results) -> String {
    match &results.results {
        Body::Run(run) => run_csv(&run.summary),
        Body::Sweep(sweep) => sweep_table(&sweep.points, &sweep.parameters, sweep.variants),
    }
}

/// `(group, name, measure, mean, low, high)` rows of one run.
fn rows(r: &RunReport) -> Vec<(String, String, String, f64, f64, f64)> {
    let mut rows = Vec::new();
    let mut push = |group: &str, name: &str, measure: &str, i: &Interval| {
        rows.push((
            group.to_string(),
            name.to_string(),
            measure.to_string(),
            i.mean,
            i.ci95_low,
            i.ci95_high,
        ));
    };
    let a = &r.availability;
    let availability = Interval {
        mean: a.mean,
        ci95_low: a.ci95_low,
        ci95_high: a.ci95_high,
    };
    push("service", &r.scenario, "availability", &availability);
    push(
        "service",
        &r.scenario,
        "downtime_minutes_per_year",
        &r.downtime_minutes_per_year,
    );
    push(
        "service",
        &r.scenario,
        "incidents_per_year",
        &r.incidents_per_year,
    );
    if let Some(m) = &r.mttr_hours {
        push("service", &r.scenario, "mttr_hours", m);
    }
    if let Some(q) = &r.request_availability {
        push("service", &r.scenario, "request_availability", q);
    }
    if let Some(g) = &r.degraded_minutes_per_year {
        push("service", &r.scenario, "degraded_minutes_per_year", g);
    }
    if let Some(c) = &r.cost_per_year {
        let infra = Interval {
            mean: c.infrastructure,
            ci95_low: c.infrastructure,
            ci95_high: c.infrastructure,
        };
        push("cost", &r.scenario, "infrastructure_per_year", &infra);
        push("cost", &r.scenario, "downtime_per_year", &c.downtime);
        push("cost", &r.scenario, "total_per_year", &c.total);
    }
    if let Some(d) = &r.data {
        push(
            "data",
            &r.scenario,
            "lost_writes_per_year",
            &d.lost_writes_per_year,
        );
        push(
            "data",
            &r.scenario,
            "failovers_per_year",
            &d.failovers_per_year,
        );
    }
    for c in r.attribution.iter().flatten() {
        let i = Interval {
            mean: c.downtime_minutes_per_year,
            ci95_low: c.ci95_low,
            ci95_high: c.ci95_high,
        };
        push("fault", &c.cause, "downtime_minutes_per_year", &i);
    }
    for c in r.components.iter().flatten() {
        let i = Interval {
            mean: c.downtime_minutes_per_year,
            ci95_low: c.ci95_low,
            ci95_high: c.ci95_high,
        };
        push(
            "component",
            &format!("{} {}", c.kind, c.name),
            "downtime_minutes_per_year",
            &i,
        );
    }
    for s in r.services.iter().flatten() {
        push("service", &s.name, "availability", &s.availability);
        push(
            "service",
            &s.name,
            "downtime_minutes_per_year",
            &s.downtime_minutes_per_year,
        );
        if let Some(w) = &s.writes {
            push("writes", &s.name, "write_availability", &w.availability);
            if let Some(l) = &w.latency_ms {
                push("writes", &s.name, "write_latency_ms", l);
            }
            push(
                "writes",
                &s.name,
                "writes_refused_per_year",
                &w.refused_per_year,
            );
        }
    }
    if let Some(q) = &r.requests {
        push("requests", &r.scenario, "served_share", &q.served_share);
        push(
            "requests",
            &r.scenario,
            "mean_response_s",
            &q.mean_response_s,
        );
    }
    rows
}

fn run_csv(r: &RunReport) -> String {
    let mut s = String::from("group,name,measure,mean,ci95_low,ci95_high\n");
    for (group, name, measure, mean, low, high) in rows(r) {
        let _ = writeln!(s, "{group},{},{measure},{mean},{low},{high}", field(&name));
    }
    s
}

/// A sweep's points as CSV, one row per point and measure (what `nines
/// sweep --out` writes as `sweep.csv`).
pub fn sweep_table(points: &[SweepPoint], parameters: &[String], variants: bool) -> String {
    let mut s = String::from("point,label");
    if variants {
        s.push_str(",variant");
    }
    for p in parameters {
        s.push(',');
        s.push_str(&field(p));
    }
    s.push_str(",measure,mean,ci95_low,ci95_high,pareto\n");
    for (i, r) in points.iter().enumerate() {
        let mut prefix = format!("{i},{}", field(&r.label));
        if variants {
            prefix.push(',');
            prefix.push_str(&field(r.variant.as_deref().unwrap_or("")));
        }
        for p in parameters {
            prefix.push(',');
            prefix.push_str(&field(&r.value(p).unwrap_or_default()));
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
        if let Some(d) = &r.summary.data {
            let i = |name, x: &crate::Interval| (name, x.mean, x.ci95_low, x.ci95_high);
            rows.push(i("writes_lost_per_year", &d.lost_writes_per_year));
            rows.push(i("loss_events_per_year", &d.loss_events_per_year));
            rows.push(i("failovers_per_year", &d.failovers_per_year));
            // The worst seen over all replications: a single figure.
            rows.push((
                "worst_rpo_hours",
                d.worst_rpo_hours,
                d.worst_rpo_hours,
                d.worst_rpo_hours,
            ));
        }
        for key in [
            "write_availability",
            "write_latency_ms",
            "writes_refused_per_year",
        ] {
            let Some(m) = crate::measures::find(key) else {
                continue;
            };
            if r.summary
                .services
                .iter()
                .flatten()
                .all(|x| x.writes.is_none())
            {
                break;
            }
            // One service's interval; with several, the worst point value.
            match crate::measures::point_interval(&r.summary, m) {
                Some(x) => rows.push((key, x.mean, x.ci95_low, x.ci95_high)),
                None => {
                    if let Some(v) = crate::measures::point_value(&r.summary, m) {
                        rows.push((key, v, v, v));
                    }
                }
            }
        }
        for (name, mean, low, high) in rows {
            let _ = writeln!(s, "{prefix},{name},{mean},{low},{high},{}", r.pareto);
        }
    }
    s
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
///
/// Text a spreadsheet would take for a formula (a cell starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return, such as a scenario named
/// `=HYPERLINK(…)`) is prefixed with `'`, so it shows as text; a plain
/// number such as `-1` is left as it is.
pub(crate) fn field(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && !text.parse::<f64>().is_ok_and(f64::is_finite);
    let text = if formula {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(
            field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        for hostile in ["+1+cmd", "-2-x", "@SUM(A1)", "\tx", "\rx"] {
            assert!(
                field(hostile).trim_start_matches('"').starts_with('\''),
                "{hostile:?}"
            );
        }
        assert_eq!(field("-1.5"), "-1.5");
        assert_eq!(field("web"), "web");
        assert_eq!(field("a,b"), "\"a,b\"");
    }
}
