//! The tail section: outages by length and the bad years.

use crate::document::{Block, Section, Table};
use crate::plot;
use crate::report::format::num;
use crate::run::{OutageBin, RunReport};

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

pub(super) fn tail(r: &RunReport) -> Section {
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
