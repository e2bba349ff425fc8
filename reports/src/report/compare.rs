//! The report of `nines compare`: each design's measures side by side, the
//! paired difference of each from the first with its interval, and the
//! verdicts, in the same documents as run and sweep reports.

use std::fmt::Write as _;

use super::Rendered;
use super::csv::field;
use super::format::{availability, num, range};
use crate::compare::{CompareReport, PairedDifference};
use crate::document::{Block, Document, Section, Table, to_html, to_markdown};
use crate::plot;

/// Every file of the comparison report; `command` is the command line that
/// reproduces it.
pub fn render_compare(report: &CompareReport, command: &str) -> Rendered {
    let doc = document(report, command);
    let json = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| unreachable!("results encode as JSON: {e}"))
        + "\n";
    Rendered {
        html: to_html(&doc),
        markdown: to_markdown(&doc),
        figures: doc
            .figures()
            .map(|f| (f.file.clone(), f.svg.clone()))
            .collect(),
        json,
        csv: csv(report),
    }
}

/// `a [low, high]` with a sign.
fn paired(d: &PairedDifference) -> String {
    format!(
        "{}{} [{}, {}]",
        if d.mean > 0.0 { "+" } else { "" },
        num(d.mean),
        num(d.ci95_low),
        num(d.ci95_high)
    )
}

fn document(report: &CompareReport, command: &str) -> Document {
    let mut summary = Section::new("Verdict");
    for d in &report.differences {
        summary.callout(d.verdict.clone());
        if let Some(c) = &d.cost_verdict {
            summary.text(c.clone());
        }
        if let Some(o) = &d.overall {
            summary.text(o.clone());
        }
    }
    summary.blocks.push(Block::Facts(vec![
        ("designs".into(), report.names.join("; ")),
        ("replications per design".into(), report.replications.to_string()),
        ("seed".into(), report.seed.to_string()),
        (
            "random numbers".into(),
            "common random numbers: every design meets the same faults where they share components, so differences are paired".into(),
        ),
    ]));

    let mut designs = Section::new("Designs side by side");
    let mut t = Table::new(
        &[
            "design",
            "availability",
            "downtime (min/yr)",
            "95% interval",
            "total cost per year",
        ],
        &[false, true, true, true, true],
    );
    for (name, r) in report.names.iter().zip(&report.designs) {
        let (a, _) = availability(&r.availability);
        t.row(vec![
            name.clone(),
            a,
            num(r.downtime_minutes_per_year.mean),
            range(&r.downtime_minutes_per_year),
            r.cost_per_year.as_ref().map_or_else(
                || "–".into(),
                |c| format!("{} {}", c.unit(), num(c.total.mean)),
            ),
        ]);
    }
    designs.blocks.push(Block::Table(t));
    let bars: Vec<plot::Bar> = report
        .names
        .iter()
        .zip(&report.designs)
        .map(|(name, r)| plot::Bar {
            label: name.clone(),
            value: r.downtime_minutes_per_year.mean,
            low: Some(r.downtime_minutes_per_year.ci95_low),
            high: Some(r.downtime_minutes_per_year.ci95_high),
        })
        .collect();
    designs.figure(
        "downtime.svg",
        "Each design's downtime per year with its 95% interval.",
        plot::bar_chart("Downtime per year by design", "downtime (min/yr)", &bars),
    );

    let mut diffs = Section::new("Paired differences from the first design");
    diffs.text("Each design minus the first, replication by replication under the same seed, with its 95% interval; an interval that holds zero means the two cannot be told apart with these replications.");
    let mut t = Table::new(
        &[
            "design",
            "downtime (min/yr)",
            "cost per year",
            "clear difference",
        ],
        &[false, true, true, false],
    );
    for d in &report.differences {
        t.row(vec![
            d.design.clone(),
            paired(&d.downtime_minutes_per_year),
            d.cost_per_year.as_ref().map_or_else(|| "–".into(), paired),
            if d.significant { "yes" } else { "no" }.into(),
        ]);
    }
    diffs.blocks.push(Block::Table(t));

    let mut again = Section::new("Reproduce");
    again.text("The same command, with the same nines version, gives the same figures on any machine and thread count:");
    again.blocks.push(Block::Code(command.to_string()));
    Document {
        title: format!("Comparison: {}", report.names.join(" vs ")),
        subtitle: format!(
            "{} designs under common random numbers, {} replications each",
            report.names.len(),
            report.replications
        ),
        sections: vec![summary, designs, diffs, again],
    }
}

/// `results.csv`: each design's measures, then each paired difference.
fn csv(report: &CompareReport) -> String {
    let mut s = String::from("kind,design,measure,mean,ci95_low,ci95_high\n");
    for (name, r) in report.names.iter().zip(&report.designs) {
        let a = &r.availability;
        let d = &r.downtime_minutes_per_year;
        let name = field(name);
        let _ = writeln!(
            s,
            "design,{name},availability,{},{},{}",
            a.mean, a.ci95_low, a.ci95_high
        );
        let _ = writeln!(
            s,
            "design,{name},downtime_minutes_per_year,{},{},{}",
            d.mean, d.ci95_low, d.ci95_high
        );
        if let Some(c) = &r.cost_per_year {
            let t = &c.total;
            let _ = writeln!(
                s,
                "design,{name},cost_per_year,{},{},{}",
                t.mean, t.ci95_low, t.ci95_high
            );
        }
    }
    for d in &report.differences {
        let name = field(&d.design);
        let x = &d.downtime_minutes_per_year;
        let _ = writeln!(
            s,
            "difference,{name},downtime_minutes_per_year,{},{},{}",
            x.mean, x.ci95_low, x.ci95_high
        );
        if let Some(x) = &d.cost_per_year {
            let _ = writeln!(
                s,
                "difference,{name},cost_per_year,{},{},{}",
                x.mean, x.ci95_low, x.ci95_high
            );
        }
    }
    s
}
