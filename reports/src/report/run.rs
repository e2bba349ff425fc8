//! The report of one run: summary, error budget, attribution, the tail of
//! outages and bad years, one replication as a timeline, requests.

mod attribution;
mod data;
mod requests;
mod tail;
mod timeline;

use crate::document::{Block, Document, Section, Table};
use crate::results::{Results, RunResults};
use crate::run::{Interval, RunReport};

use super::format::{Basis, MINUTES_PER_YEAR, availability, horizon, hours, num, range, share};

use attribution::attribution;
use data::data;
use requests::requests;
use tail::tail;
use timeline::timeline;

pub(super) use timeline::timeline_svg;

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
    if let Some(m) = &r.mtbf_hours {
        t.measure(
            "time between outages (MTBF)",
            hours(m.mean),
            format!("{} – {}", hours(m.ci95_low.max(0.0)), hours(m.ci95_high)),
        );
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
        for line in c.breakdown() {
            let i = Interval {
                mean: line.mean,
                ci95_low: line.ci95_low,
                ci95_high: line.ci95_high,
            };
            let (value, interval) = money(&i);
            let random = line.ci95_low != line.ci95_high;
            t.measure(
                &format!("{} cost per year", line.name.replace('_', " ")),
                value,
                if random { interval } else { String::new() },
            );
        }
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
