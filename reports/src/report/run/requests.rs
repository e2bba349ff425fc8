//! The requests section: the request-level measures of a run, latency and
//! errors over one replication's time, and errors by cause.

use crate::document::{Block, Section, Table};
use crate::plot;
use crate::report::format::{num, share};
use crate::results::Sample;
use crate::run::RunReport;

use super::{Clock, share_precise};

pub(super) fn requests(r: &RunReport, sample: Option<&Sample>) -> Option<Section> {
    let q = r.requests.as_ref()?;
    let mut s = Section::new("Requests");
    s.text(format!(
        "{} requests per replication; {} served in time ({} – {}); {:.2} attempts per request; servers {} busy.",
        num(q.arrived_per_replication),
        share_precise(q.served_share.mean),
        share_precise(q.served_share.ci95_low),
        share_precise(q.served_share.ci95_high),
        q.attempts_per_request.mean,
        share(q.utilisation)
    ));
    let mut t = Table::new(
        &["latency", "p50", "p95", "p99", "p99.9"],
        &[false, true, true, true, true],
    );
    let ms = |x: f64| format!("{} ms", num(1000.0 * x));
    t.row(vec![
        "served requests".into(),
        ms(q.latency_s.p50),
        ms(q.latency_s.p95),
        ms(q.latency_s.p99),
        ms(q.latency_s.p999),
    ]);
    s.blocks.push(Block::Table(t));
    if let Some(sample) = sample.filter(|x| !x.latency.is_empty()) {
        let clock = Clock::for_horizon(r.horizon_hours);
        let series =
            |name: &str,
             colour: usize,
             pick: &dyn Fn(&crate::results::LatencyWindow) -> Option<f64>| {
                plot::Series {
                    name: name.into(),
                    colour,
                    points: sample
                        .latency
                        .iter()
                        .filter_map(|w| {
                            let v = 1000.0 * pick(w)?;
                            Some((
                                0.5 * (w.start_hours + w.end_hours) * clock.per_hour,
                                v,
                                v,
                                v,
                            ))
                        })
                        .collect(),
                }
            };
        let lines = [
            series("p50", 0, &|w| w.p50_s),
            series("p90", 1, &|w| w.p90_s),
            series("p99", 2, &|w| w.p99_s),
        ];
        s.figure(
            "latency-over-time.svg",
            format!(
                "Response-time percentiles in windows over replication {} (log scale).",
                sample.replication
            ),
            plot::lines_with_bands(
                "Latency over time",
                clock.label,
                "response time (ms)",
                &lines,
                true,
            ),
        );
        let rate =
            |name: &str, colour: usize, count: &dyn Fn(&crate::results::LatencyWindow) -> u64| {
                plot::Series {
                    name: name.into(),
                    colour,
                    points: sample
                        .latency
                        .iter()
                        .map(|w| {
                            let seconds = (w.end_hours - w.start_hours) * 3600.0;
                            let per_s = if seconds > 0.0 {
                                count(w) as f64 / seconds
                            } else {
                                0.0
                            };
                            (
                                0.5 * (w.start_hours + w.end_hours) * clock.per_hour,
                                per_s,
                                per_s,
                                per_s,
                            )
                        })
                        .collect(),
                }
            };
        s.figure(
            "errors-over-time.svg",
            format!(
                "Requests that finished and requests that failed (timed out, were refused or errored), per second, in windows over replication {}.",
                sample.replication
            ),
            plot::lines_with_bands(
                "Finished and failed requests over time",
                clock.label,
                "requests per second",
                &[
                    rate("finished", 0, &|w| w.requests),
                    rate("failed", 3, &|w| w.errors),
                ],
                false,
            ),
        );
    }
    let failed: Vec<plot::Bar> = q
        .errors
        .iter()
        .filter(|e| e.share > 0.0)
        .map(|e| plot::Bar {
            label: e.cause.clone(),
            value: 100.0 * e.share,
            low: None,
            high: None,
        })
        .collect();
    if failed.is_empty() {
        s.text("No request failed.");
    } else {
        s.figure(
            "errors-by-cause.svg",
            "The share of all requests that failed, by cause.",
            plot::bar_chart("Errors by cause", "requests failed (%)", &failed),
        );
    }
    Some(s)
}
