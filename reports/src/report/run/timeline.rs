//! One replication as a timeline: the section of the report, and the chart
//! drawn on its own, its time axis in the unit its span reads best in.

use crate::document::{Block, Section};
use crate::plot;
use crate::report::format::{horizon, num};
use crate::results::{Sample, TimelineRow};
use crate::run::RunReport;

use super::Clock;

/// A timeline drawn on its own (as `nines replay --timeline` does), its
/// time axis in the unit its span reads best in.
pub(in crate::report) fn timeline_svg(title: &str, timeline: &crate::results::Timeline) -> String {
    let clock = Clock::for_horizon(timeline.end_hours - timeline.start_hours);
    let rows: Vec<plot::Row> = timeline
        .rows
        .iter()
        .map(|row| plot_row(row, clock))
        .collect();
    plot::timeline(
        title,
        clock.label,
        timeline.start_hours * clock.per_hour,
        timeline.end_hours * clock.per_hour,
        &rows,
    )
}

/// A results row as a plot row, its times in `clock`'s unit.
fn plot_row(row: &TimelineRow, clock: Clock) -> plot::Row {
    plot::Row {
        name: row.name.clone(),
        group: row.group.clone(),
        spans: row
            .spans
            .iter()
            .map(|sp| plot::Span {
                start: sp.start_hours * clock.per_hour,
                end: sp.end_hours * clock.per_hour,
                state: match sp.state.as_str() {
                    "down" => plot::SpanState::Down,
                    "degraded" => plot::SpanState::Degraded,
                    "failing-over" => plot::SpanState::FailingOver,
                    _ => plot::SpanState::Active,
                },
            })
            .collect(),
    }
}

pub(super) fn timeline(r: &RunReport, sample: &Sample, scenario: &str) -> Section {
    let clock = Clock::for_horizon(r.horizon_hours);
    let mut s = Section::new("One replication, told as a timeline");
    let changed = sample.overview.spans.len()
        + sample
            .timeline
            .rows
            .iter()
            .map(|row| row.spans.len())
            .sum::<usize>();
    if changed == 0 {
        s.text(format!(
            "In replication {} ({}), no service, component or fault changed state: there is no timeline to draw.{}",
            sample.replication,
            sample.chosen_because,
            if r.requests.is_some() {
                " What its requests met over time is under Requests."
            } else {
                ""
            }
        ));
        return s;
    }
    s.text(format!(
        "Replication {} ({}): {} min of downtime. {}",
        sample.replication,
        sample.chosen_because,
        num(sample.downtime_minutes),
        "The strip shows the whole replication; the chart under it zooms in on its worst outage, with every service, component and fault that changed state there."
    ));
    s.figure(
        "replication-overview.svg",
        format!(
            "Replication {}: when the service was down or degraded, over the whole horizon.",
            sample.replication
        ),
        plot::timeline(
            &format!(
                "Replication {}: the service over {}",
                sample.replication,
                horizon(r.horizon_hours)
            ),
            clock.label,
            0.0,
            r.horizon_hours * clock.per_hour,
            &[plot_row(&sample.overview, clock)],
        ),
    );
    let rows: Vec<plot::Row> = sample
        .timeline
        .rows
        .iter()
        .map(|row| plot_row(row, clock))
        .collect();
    s.figure(
        "replication-timeline.svg",
        "The service as users see it (top), then each service or component, then the faults that held their targets, around the worst outage: how failures combined into it.",
        plot::timeline(
            &format!("Replication {}, around its worst outage", sample.replication),
            clock.label,
            sample.timeline.start_hours * clock.per_hour,
            sample.timeline.end_hours * clock.per_hour,
            &rows,
        ),
    );
    s.text("Replay it event by event, with its trace:");
    s.blocks.push(Block::Code(format!(
        "nines replay {} --seed {} --replication {} --trace replication-{}.jsonl",
        if r.origin.starts_with("builtin:") {
            scenario.to_string()
        } else {
            r.origin.clone()
        },
        r.seed,
        sample.replication,
        sample.replication
    )));
    s
}
