//! The report of one run: summary, error budget, attribution, the tail of
//! outages and bad years, one replication as a timeline, requests.

use crate::document::{Block, Document, Section, Table};
use crate::plot;
use crate::results::{Results, RunResults, Sample, TimelineRow};
use crate::run::{Interval, OutageBin, RunReport};

use super::format::{Basis, MINUTES_PER_YEAR, availability, horizon, hours, num, range, share};

/// The document of a run.
pub(super) fn document(results: &Results, run: &RunResults) -> Document {
    let r = &run.summary;
    let mut sections = vec![summary(results, r)];
    if let Some(s) = attribution(r) {
        sections.push(s);
    }
    sections.push(tail(r));
    if let Some(sample) = &run.sample {
        sections.push(timeline(r, sample, &results.design.scenario));
    }
    if let Some(s) = requests(r, run.sample.as_ref()) {
        sections.push(s);
    }
    if let Some(s) = data(r) {
        sections.push(s);
    }
    sections.push(reproduce(results));
    Document {
        title: format!("{}: availability report", results.design.scenario),
        subtitle: results.design.description.clone(),
        sections,
    }
}

fn summary(results: &Results, r: &RunReport) -> Section {
    let mut s = Section::new("Summary");
    let (a, a_range) = availability(&r.availability);
    let basis = Basis::of(r.horizon_hours - r.warmup_hours);
    let d = &basis.interval(&r.downtime_minutes_per_year);
    let span = &basis.span;
    let headline = if r.availability.zero_downtime_observed {
        format!(
            "No downtime in {} replications: availability {a} (95% bound), at most {} min of downtime {span}.",
            r.replications,
            num(d.ci95_high)
        )
    } else {
        format!(
            "Availability {a} ({:.1} nines): {} min of downtime {span}, 95% interval {} min.",
            r.availability.nines,
            num(d.mean),
            range(d)
        )
    };
    s.callout(headline);
    if r.requests.is_some() {
        s.text(format!("This is a request-level run: availability is the share of requests served in time, and downtime is that share's complement in minutes {span} (an error budget, not an outage)."));
    }
    s.blocks.push(Block::Facts(vec![
        (
            "design".into(),
            format!("{} ({})", results.design.scenario, results.design.origin),
        ),
        ("horizon".into(), measured(r)),
        ("replications".into(), r.replications.to_string()),
        ("seed".into(), r.seed.to_string()),
        ("trace hash".into(), r.trace_hash.clone()),
    ]));

    let mut t = Table::new(
        &["measure", "estimate", "95% interval"],
        &[false, true, true],
    );
    t.row(vec!["availability".into(), a, a_range]);
    t.row(vec![
        "nines".into(),
        format!(
            "{}{:.2}",
            if r.availability.zero_downtime_observed {
                "≥ "
            } else {
                ""
            },
            r.availability.nines
        ),
        String::new(),
    ]);
    let per = &basis.per;
    t.row(vec![
        format!("downtime per {per}"),
        format!("{} min", num(d.mean)),
        format!("{} min", range(d)),
    ]);
    let i = &basis.interval(&r.incidents_per_year);
    t.row(vec![format!("incidents per {per}"), num(i.mean), range(i)]);
    if let Some(m) = &r.mttr_hours {
        t.row(vec![
            "time to recover, as users see it (MTTR)".into(),
            hours(m.mean),
            format!("{} – {}", hours(m.ci95_low.max(0.0)), hours(m.ci95_high)),
        ]);
    }
    if let Some(m) = r.mtbf_hours {
        t.measure("time between outages (MTBF)", hours(m), String::new());
    }
    t.measure(
        "longest outage seen",
        hours(r.longest_outage_hours),
        String::new(),
    );
    if let Some(q) = &r.request_availability {
        t.row(vec![
            "requests served (request-based availability)".into(),
            share_precise(q.mean),
            format!(
                "{} – {}",
                share_precise(q.ci95_low),
                share_precise(q.ci95_high)
            ),
        ]);
    }
    if let Some(g) = &r
        .degraded_minutes_per_year
        .as_ref()
        .map(|g| basis.interval(g))
    {
        t.row(vec![
            format!("degraded per {per}"),
            format!("{} min", num(g.mean)),
            format!("{} min", range(g)),
        ]);
    }
    if let Some(data) = &r.data {
        estimate_row(&mut t, "writes lost per year", &data.lost_writes_per_year);
    }
    if let Some(c) = &r.cost_per_year {
        let u = c.unit();
        let money = |i: &Interval| (format!("{u} {}", num(i.mean)), format!("{u} {}", range(i)));
        let infrastructure = format!("{u} {}", num(c.infrastructure));
        t.measure(
            "infrastructure cost per year",
            infrastructure,
            String::new(),
        );
        let (value, interval) = money(&c.downtime);
        t.measure("downtime cost per year", value, interval);
        let (value, interval) = money(&c.total);
        t.measure("total cost per year", value, interval);
    }
    s.blocks.push(Block::Table(t));
    if let Some(slo) = results.design.slo {
        error_budget(&mut s, r, slo);
    }
    s
}

/// A row of a measure table: the estimate and its 95% interval.
fn estimate_row(t: &mut Table, label: &str, i: &Interval) {
    t.measure(label, num(i.mean), range(i));
}

/// The request-level availability printed with the digits it needs.
fn share_precise(x: f64) -> String {
    super::format::percent(x, -(1.0 - x).max(1e-12).log10())
}

/// `1 year (8760 h) measured` or `2 days, 1 h warm-up unmeasured`.
fn measured(r: &RunReport) -> String {
    if r.warmup_hours > 0.0 {
        format!(
            "{}, of which the first {} are a warm-up left unmeasured",
            horizon(r.horizon_hours),
            hours(r.warmup_hours)
        )
    } else {
        format!("{} per replication", horizon(r.horizon_hours))
    }
}

/// The error budget an availability target allows, and how much of it the
/// design is projected to burn.
fn error_budget(s: &mut Section, r: &RunReport, slo: f64) {
    let allowed = (1.0 - slo) * MINUTES_PER_YEAR;
    let d = &r.downtime_minutes_per_year;
    let years = &r.replication_downtime_minutes_per_year;
    let over = years.iter().filter(|&&m| m > allowed).count();
    let slo_text = super::format::target(slo);
    let verdict = if d.ci95_high <= allowed {
        "within budget"
    } else if d.ci95_low > allowed {
        "over budget"
    } else if d.mean <= allowed {
        "probably within budget (the interval reaches past it)"
    } else {
        "probably over budget (the interval reaches below it)"
    };
    s.callout(format!(
        "Error budget: the {slo_text} target allows {} min of downtime a year; the design is projected to burn {} of it ({} – {}), {verdict}.",
        num(allowed),
        share(d.mean / allowed),
        share(d.ci95_low.max(0.0) / allowed),
        share(d.ci95_high / allowed),
    ));
    if !years.is_empty() {
        s.text(format!(
            "{over} of {} replication-years ({}) used more than the whole budget.",
            years.len(),
            share(over as f64 / years.len() as f64)
        ));
    }
}

fn attribution(r: &RunReport) -> Option<Section> {
    let causes = r.attribution.as_ref()?;
    let mut s = Section::new("Where the downtime comes from");
    let charged: Vec<_> = causes
        .iter()
        .filter(|c| c.downtime_minutes_per_year > 0.0)
        .collect();
    if charged.is_empty() {
        s.text("No fault caused downtime in any replication.");
    } else {
        s.text(
            "Each minute the service was down is charged to the faults active at the time (shared equally when several were). Whiskers are 95% intervals.",
        );
        let bars: Vec<plot::Bar> = charged
            .iter()
            .map(|c| plot::Bar {
                label: c.cause.clone(),
                value: c.downtime_minutes_per_year,
                low: Some(c.ci95_low),
                high: Some(c.ci95_high),
            })
            .collect();
        s.figure(
            "attribution.svg",
            "Downtime per year by fault, largest first.",
            plot::bar_chart("Downtime by fault", "downtime (min/yr)", &bars),
        );
        let grouped = |key: &dyn Fn(&crate::run::Attribution) -> String| {
            let mut groups: Vec<(String, f64)> = Vec::new();
            for c in causes {
                let k = key(c);
                match groups.iter_mut().find(|(g, _)| *g == k) {
                    Some((_, m)) => *m += c.downtime_minutes_per_year,
                    None => groups.push((k, c.downtime_minutes_per_year)),
                }
            }
            groups.retain(|(_, m)| *m > 0.0);
            groups.sort_by(|a, b| b.1.total_cmp(&a.1));
            groups
        };
        let classes = grouped(&|c| c.class.clone());
        let domains = grouped(&|c| c.domain.clone().unwrap_or_else(|| "–".into()));
        let total: f64 = charged.iter().map(|c| c.downtime_minutes_per_year).sum();
        let bars_of = |groups: &[(String, f64)]| -> Vec<plot::Bar> {
            groups
                .iter()
                .map(|(g, m)| plot::Bar {
                    label: g.clone(),
                    value: *m,
                    low: None,
                    high: None,
                })
                .collect()
        };
        if let Some(components) = r.components.as_ref().filter(|c| !c.is_empty()) {
            let bars: Vec<plot::Bar> = components
                .iter()
                .map(|c| plot::Bar {
                    label: format!("{} {}", c.kind, c.name),
                    value: c.downtime_minutes_per_year,
                    low: Some(c.ci95_low),
                    high: Some(c.ci95_high),
                })
                .collect();
            s.figure(
                "attribution-by-component.svg",
                "Downtime per year by component: the host, zone, link or service each charged fault held (partitions are charged to the network).",
                plot::bar_chart("Downtime by component", "downtime (min/yr)", &bars),
            );
        }
        s.figure(
            "attribution-by-domain.svg",
            "Downtime per year by failure domain: the kind of element each fault strikes.",
            plot::bar_chart(
                "Downtime by failure domain",
                "downtime (min/yr)",
                &bars_of(&domains),
            ),
        );
        if classes.len() < charged.len() {
            // Some faults share a class: the classes say more than the
            // faults alone.
            let mut t = Table::new(
                &["fault class", "downtime (min/yr)", "share"],
                &[false, true, true],
            );
            for (c, m) in &classes {
                t.row(vec![c.clone(), num(*m), share(m / total)]);
            }
            s.blocks.push(Block::Table(t));
        }
    }
    let mut t = Table::new(
        &[
            "fault",
            "class",
            "domain",
            "downtime (min/yr)",
            "95% interval",
            "share",
            "occurrences per year",
        ],
        &[false, false, false, true, true, true, true],
    );
    for c in causes {
        t.row(vec![
            c.cause.clone(),
            c.class.clone(),
            c.domain.clone().unwrap_or_default(),
            num(c.downtime_minutes_per_year),
            format!("{} – {}", num(c.ci95_low), num(c.ci95_high)),
            share(c.share),
            num(c.occurrences_per_year),
        ]);
    }
    s.blocks.push(Block::Table(t));
    if let Some(services) = r.services.as_ref().filter(|s| s.len() > 1) {
        let bars: Vec<plot::Bar> = services
            .iter()
            .map(|svc| plot::Bar {
                label: svc.name.clone(),
                value: svc.downtime_minutes_per_year.mean,
                low: Some(svc.downtime_minutes_per_year.ci95_low.max(0.0)),
                high: Some(svc.downtime_minutes_per_year.ci95_high),
            })
            .collect();
        s.figure(
            "services.svg",
            "Downtime per year of each service as users' traffic sees it, with 95% intervals.",
            plot::bar_chart("Downtime by service", "downtime (min/yr)", &bars),
        );
    }
    if let Some(services) = &r.services {
        s.text("Every service as seen from where users' traffic enters (a service is down for users when it cannot be reached or cannot serve).");
        let mut t = Table::new(
            &[
                "service",
                "availability",
                "downtime (min/yr)",
                "95% interval",
                "MTTR",
                "cost per year",
            ],
            &[false, true, true, true, true, true],
        );
        for svc in services {
            let a = &svc.availability;
            t.row(vec![
                svc.name.clone(),
                share_precise(a.mean),
                num(svc.downtime_minutes_per_year.mean),
                range(&svc.downtime_minutes_per_year),
                svc.mttr_hours.map_or_else(|| "–".into(), hours),
                num(svc.cost_per_year),
            ]);
        }
        s.blocks.push(Block::Table(t));
    }
    Some(s)
}

/// The label of an outage-length band whose upper edge is `edge`.
fn band_label(low: Option<f64>, high: Option<f64>) -> String {
    let m = |x: f64| {
        if x >= 60.0 && (x / 60.0).fract() == 0.0 {
            format!("{} h", x / 60.0)
        } else {
            format!("{x} min")
        }
    };
    let unit = |x: f64| {
        if x >= 60.0 && (x / 60.0).fract() == 0.0 {
            " h"
        } else {
            " min"
        }
    };
    match (low, high) {
        (None, Some(h)) => format!("≤ {}", m(h)),
        // One unit is written once ("5–15 min"), two are both written
        // ("30 min–1 h"), so each edge reads as what it is.
        (Some(l), Some(h)) if unit(l) == unit(h) => {
            format!("{}–{}", m(l).trim_end_matches(unit(l)), m(h))
        }
        (Some(l), Some(h)) => format!("{}–{}", m(l), m(h)),
        (Some(l), None) => format!("> {}", m(l)),
        (None, None) => "all".into(),
    }
}

fn tail(r: &RunReport) -> Section {
    let mut s = Section::new("How long outages last, and how bad a year gets");
    let bins = &r.outage_lengths;
    if bins.iter().any(|b| b.outages_per_year > 0.0) {
        let mut low = None;
        let plot_bins: Vec<plot::Bin> = bins
            .iter()
            .map(|b: &OutageBin| {
                let bin = plot::Bin {
                    label: band_label(low, b.up_to_minutes),
                    height: b.outages_per_year,
                };
                low = b.up_to_minutes;
                bin
            })
            .collect();
        s.figure(
            "outage-lengths.svg",
            "How many outages a year fall in each band of length.",
            plot::histogram(
                "Outage lengths",
                "outage length",
                "outages per year",
                &plot_bins,
            ),
        );
    } else {
        s.text("No outage was seen, so there is no distribution of their lengths to show.");
    }
    let years = &r.replication_downtime_minutes_per_year;
    let n = years.len();
    if n > 0 {
        let sp = &r.downtime_minutes_per_year_spread;
        let mut marks = Vec::new();
        for (needed, exceedance, label, value) in [
            (1, 0.5, "1 year in 2", sp.p50),
            (10, 0.1, "1 year in 10", sp.p90),
            (20, 0.05, "1 year in 20", sp.p95),
            (100, 0.01, "1 year in 100", sp.p99),
        ] {
            // A quantile of zero says nothing the curve does not.
            if n >= needed && value > 0.0 {
                marks.push(plot::Mark {
                    exceedance,
                    label: label.into(),
                    value: Some(value),
                });
            }
        }
        s.figure(
            "downtime-per-year.svg",
            format!(
                "The share of {n} simulated years with more downtime than each value (log scale): the tail a single mean hides."
            ),
            plot::exceedance(
                "Downtime per year: how often a year is worse than",
                "downtime in a year (min)",
                years,
                &marks,
            ),
        );
        let median = if sp.p50 > 0.0 {
            format!("half the years see more than {} min", num(sp.p50))
        } else {
            "at least half the years see none at all".to_string()
        };
        if n >= 20 && sp.p95 <= 0.0 {
            s.callout(format!(
                "At least 19 years in 20 see no downtime at all; the worst of {n} saw {} min.",
                num(sp.max)
            ));
        } else if n >= 20 {
            s.callout(format!(
                "1 year in 20 you will see more than {} min of downtime; {median}.",
                num(sp.p95),
            ));
        } else {
            s.text(format!(
                "Of downtime, {median}; with {n} replications the rarer quantiles are not estimated (run 20 or more).",
            ));
        }
        let mut t = Table::new(
            &["downtime per year", "median", "p90", "p95", "p99", "worst"],
            &[false, true, true, true, true, true],
        );
        t.row(vec![
            "minutes".into(),
            num(sp.p50),
            num(sp.p90),
            num(sp.p95),
            num(sp.p99),
            num(sp.max),
        ]);
        s.blocks.push(Block::Table(t));
    }
    s
}

/// The unit a replication's own time axis reads best in: hours for runs
/// of a few hours or more, minutes or seconds for short request-level runs.
#[derive(Clone, Copy, Debug)]
struct Clock {
    /// Units per hour.
    per_hour: f64,
    /// The axis label.
    label: &'static str,
}

impl Clock {
    fn for_horizon(hours: f64) -> Self {
        if hours >= 2.0 {
            Clock {
                per_hour: 1.0,
                label: "hours into the replication",
            }
        } else if hours >= 2.0 / 60.0 {
            Clock {
                per_hour: 60.0,
                label: "minutes into the replication",
            }
        } else {
            Clock {
                per_hour: 3600.0,
                label: "seconds into the replication",
            }
        }
    }
}

/// A timeline drawn on its own (as `nines replay --timeline` does), its
/// time axis in the unit its span reads best in.
pub(super) fn timeline_svg(title: &str, timeline: &crate::results::Timeline) -> String {
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

fn timeline(r: &RunReport, sample: &Sample, scenario: &str) -> Section {
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

fn requests(r: &RunReport, sample: Option<&Sample>) -> Option<Section> {
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

fn data(r: &RunReport) -> Option<Section> {
    let d = r.data.as_ref()?;
    let mut s = Section::new("Data and failovers");
    let mut t = Table::new(
        &["measure", "estimate", "95% interval"],
        &[false, true, true],
    );
    estimate_row(&mut t, "failovers per year", &d.failovers_per_year);
    t.measure(
        "needless failovers per year (a healthy primary suspected)",
        num(d.needless_failovers_per_year),
        String::new(),
    );
    t.measure(
        "failbacks per year",
        num(d.failbacks_per_year),
        String::new(),
    );
    estimate_row(&mut t, "writes lost per year", &d.lost_writes_per_year);
    estimate_row(
        &mut t,
        "events that lost writes, per year",
        &d.loss_events_per_year,
    );
    t.measure(
        "years with no write lost",
        share(d.no_loss_probability),
        String::new(),
    );
    t.measure(
        "worst recovery point seen (RPO)",
        hours(d.worst_rpo_hours),
        String::new(),
    );
    t.measure(
        "split brain per year",
        format!("{} min", num(d.split_brain_minutes_per_year)),
        String::new(),
    );
    s.blocks.push(Block::Table(t));
    Some(s)
}

/// How to get the same figures again.
pub(super) fn reproduce(results: &Results) -> Section {
    let mut s = Section::new("Reproduce");
    if results.command.is_empty() {
        s.text("The same scenario, seed and version give the same figures and trace hash on any machine and thread count.");
    } else {
        s.text("The same command, with the same nines version, gives the same figures and trace hash on any machine and thread count:");
        s.blocks.push(Block::Code(results.command.clone()));
    }
    if !results.nines_version.is_empty() {
        s.text(format!("nines {}", results.nines_version));
    }
    s
}
