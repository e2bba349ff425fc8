//! The report of a sweep: the cost–availability frontier, availability
//! against each swept parameter, a heat map over two, and the designs
//! ranked with their differences from the best.

use crate::document::{Block, Document, Section, Table};
use crate::plot;
use crate::results::{Results, SweepPoint, SweepResults, judged_cost};

use super::format::{MINUTES_PER_YEAR, availability, num};

mod objectives;

use objectives::{data_columns, objective_cell, objective_frontier, objective_words, rank_words};

/// The most series one plot of a parameter shows.
const MAX_SERIES: usize = 10;

/// One axis of a sweep: a parameter or the variants.
struct Dimension {
    name: String,
    /// The point's value along this axis.
    values: Vec<String>,
    /// The distinct values, in sweep order.
    levels: Vec<String>,
    /// Whether every value is a number.
    numeric: bool,
}

fn dimensions(sweep: &SweepResults) -> Vec<Dimension> {
    let mut dims = Vec::new();
    if sweep.variants {
        let values: Vec<String> = sweep
            .points
            .iter()
            .map(|p| p.variant.clone().unwrap_or_default())
            .collect();
        dims.push(dimension("variant".into(), values));
    }
    for name in &sweep.parameters {
        let values: Vec<String> = sweep
            .points
            .iter()
            .map(|p| p.value(name).unwrap_or_default())
            .collect();
        dims.push(dimension(name.clone(), values));
    }
    // Axes along which nothing varies say nothing.
    dims.retain(|d| d.levels.len() > 1);
    dims
}

fn dimension(name: String, values: Vec<String>) -> Dimension {
    let mut levels: Vec<String> = Vec::new();
    for v in &values {
        if !levels.contains(v) {
            levels.push(v.clone());
        }
    }
    let numeric = values.iter().all(|v| v.parse::<f64>().is_ok());
    Dimension {
        name,
        values,
        levels,
        numeric,
    }
}

/// The document of a sweep.
pub(super) fn document(results: &Results, sweep: &SweepResults) -> Document {
    let dims = dimensions(sweep);
    // A design's colour: its level along the first non-numeric axis (the
    // variants), else its index, so each design keeps one colour in every
    // plot.
    let colour_axis = dims.iter().position(|d| !d.numeric);
    let colour = |i: usize| match colour_axis {
        Some(a) => dims[a]
            .levels
            .iter()
            .position(|l| *l == dims[a].values[i])
            .unwrap_or(0),
        None => i,
    };
    let mut sections = vec![summary(results, sweep, &dims)];
    sections.push(frontier(sweep, &colour));
    if !is_default(sweep) {
        sections.push(objective_frontier(sweep, &colour));
    }
    if let Some(s) = parameters(sweep, &dims) {
        sections.push(s);
    }
    if dims.len() == 2 {
        sections.push(heat(sweep, &dims));
    }
    sections.push(ranking(sweep, results.design.slo));
    sections.push(super::run::reproduce(results));
    Document {
        title: format!("{}: sweep report", results.design.scenario),
        subtitle: results.design.description.clone(),
        sections,
    }
}

fn summary(results: &Results, sweep: &SweepResults, dims: &[Dimension]) -> Section {
    let mut s = Section::new("Summary");
    let n = sweep.points.len();
    let order = ranked(sweep);
    if let Some(&(top, _)) = order.first() {
        let best = &sweep.points[top];
        let (a, _) = availability(&best.summary.availability);
        let mut figures = format!(
            "{a}, {} min of downtime a year",
            num(best.summary.downtime_minutes_per_year.mean)
        );
        let objectives = sweep.objectives();
        if !is_default(sweep) {
            for m in objectives
                .iter()
                .filter(|m| !matches!(m.key, "availability" | "downtime_minutes_per_year"))
            {
                figures.push_str(&format!(", {} {}", m.words, objective_cell(best, m)));
            }
        }
        // Designs the ranking cannot tell from the top one: by their
        // downtime's paired interval, or, judged on other objectives, by
        // equal values of every one.
        let tied: Vec<&str> = order[1..]
            .iter()
            .filter(|(i, diff)| {
                let p = &sweep.points[*i].summary;
                if !is_default(sweep) {
                    return objectives.iter().all(|m| {
                        crate::results::judged_value(p, m)
                            == crate::results::judged_value(&best.summary, m)
                    });
                }
                match diff {
                    Some(d) => d.ci95_low <= 0.0 && d.ci95_high >= 0.0,
                    None => p.availability.mean == best.summary.availability.mean,
                }
            })
            .map(|(i, _)| sweep.points[*i].label.as_str())
            .collect();
        let top_words = if is_default(sweep) {
            "most available".to_string()
        } else {
            format!("best by {}", rank_words(sweep))
        };
        s.callout(if tied.is_empty() && is_default(sweep) {
            format!("{n} designs. The most available is {} at {figures}.", best.label)
        } else if tied.is_empty() {
            format!("{n} designs. Ranked first by {}: {} at {figures}.", rank_words(sweep), best.label)
        } else {
            const NAMED: usize = 4;
            let mut others = tied[..tied.len().min(NAMED)].join("; ");
            if tied.len() > NAMED {
                others.push_str(&format!("; and {} more", tied.len() - NAMED));
            }
            format!(
                "{n} designs. {} tie for {top_words} ({}). Ranked first: {} ({figures}); tied with it: {others}.",
                tied.len() + 1,
                if is_default(sweep) {
                    "their 95% intervals cannot tell them apart"
                } else {
                    "equal on every objective"
                },
                best.label
            )
        });
    }
    let frontier: Vec<&str> = by_cost(sweep)
        .into_iter()
        .filter(|p| p.pareto)
        .map(|p| p.label.as_str())
        .collect();
    if is_default(sweep) {
        s.text(format!(
            "On the Pareto frontier (no other design is both cheaper and more available), from cheapest: {}.",
            frontier.join(", ")
        ));
    } else {
        s.text(format!(
            "On the Pareto frontier over {} (no other design is at least as good on every one and better on one), from cheapest: {}.",
            objective_words(sweep),
            frontier.join(", ")
        ));
    }
    if let Some(slo) = results.design.slo {
        let allowed = (1.0 - slo) * MINUTES_PER_YEAR;
        let slo_text = super::format::target(slo);
        let meets = by_cost(sweep)
            .into_iter()
            .find(|p| p.summary.downtime_minutes_per_year.ci95_high <= allowed);
        s.callout(match meets {
            Some(p) => format!(
                "The cheapest design that meets the {slo_text} target (its whole 95% interval within the {} min/yr budget) is {}.",
                num(allowed),
                p.label
            ),
            None => format!(
                "No design meets the {slo_text} target with confidence (its whole 95% interval within the {} min/yr budget).",
                num(allowed)
            ),
        });
    }
    let mut facts = vec![
        (
            "scenario".into(),
            format!("{} ({})", results.design.scenario, results.design.origin),
        ),
        ("designs".into(), n.to_string()),
    ];
    for d in dims {
        facts.push((format!("swept: {}", d.name), d.levels.join(", ")));
    }
    facts.push((
        "replications per design".into(),
        sweep.replications.to_string(),
    ));
    facts.push(("seed".into(), sweep.seed.to_string()));
    facts.push((
        "random numbers".into(),
        if sweep.independent {
            "independent streams per design".into()
        } else {
            "common random numbers: every design meets the same faults, so differences are paired"
                .into()
        },
    ));
    s.blocks.push(Block::Facts(facts));
    s
}

/// Whether the sweep was judged by the default objectives, cost and
/// availability.
fn is_default(sweep: &SweepResults) -> bool {
    let keys: Vec<&str> = sweep.objectives().iter().map(|m| m.key).collect();
    keys == crate::measures::DEFAULT_SWEEP_OBJECTIVES
}

/// The points by total cost, cheapest first (ties in sweep order).
fn by_cost(sweep: &SweepResults) -> Vec<&SweepPoint> {
    let mut points: Vec<&SweepPoint> = sweep.points.iter().collect();
    points.sort_by(|a, b| judged_cost(&a.summary).total_cmp(&judged_cost(&b.summary)));
    points
}

/// Unavailability and its interval as a log scale can show them: a design
/// with no downtime seen is drawn at its 95% bound, and an interval that
/// reaches zero is cut at a tenth of the estimate.
fn unavailability(p: &SweepPoint) -> (f64, f64, f64) {
    let a = &p.summary.availability;
    let floor = 1e-12;
    if a.zero_downtime_observed {
        let bound = (1.0 - a.ci95_low).max(floor);
        (bound, bound, bound)
    } else {
        let u = (1.0 - a.mean).max(floor);
        (
            u,
            (1.0 - a.ci95_high).max(u / 10.0),
            (1.0 - a.ci95_low).max(u),
        )
    }
}

/// What the log-scale plots leave out, said once under each.
const LOG_NOTE: &str = " Designs with no downtime seen are drawn at their 95% upper bound; intervals that reach zero are cut at a tenth of the estimate.";

fn frontier(sweep: &SweepResults, colour: &dyn Fn(usize) -> usize) -> Section {
    let mut s = Section::new("Availability versus cost");
    let has_cost = sweep
        .points
        .iter()
        .any(|p| p.summary.cost_per_year.is_some());
    // The plane's own frontier: cost against availability, whatever the
    // sweep was judged by.
    let mut plane = sweep.points.clone();
    crate::results::mark_pareto(
        &mut plane,
        &crate::measures::by_keys(&crate::measures::DEFAULT_SWEEP_OBJECTIVES),
    );
    let designs: Vec<plot::Design> = plane
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (u, low, high) = unavailability(p);
            plot::Design {
                label: p.label.clone(),
                colour: colour(i),
                cost: judged_cost(&p.summary),
                y: u,
                low,
                high,
                pareto: p.pareto,
            }
        })
        .collect();
    s.figure(
        "pareto.svg",
        format!("Each design's total cost per year against its unavailability (lower is better, log scale), 95% intervals as whiskers; the Pareto frontier joins the designs no other beats on both.{LOG_NOTE}"),
        plot::pareto_scatter(
            "Availability versus cost: the Pareto frontier",
            if has_cost {
                "total cost per year (infrastructure + downtime)"
            } else {
                "cost per year (the scenario sets no costs)"
            },
            &designs,
        ),
    );
    s
}

fn parameters(sweep: &SweepResults, dims: &[Dimension]) -> Option<Section> {
    let numeric: Vec<usize> = (0..dims.len()).filter(|&d| dims[d].numeric).collect();
    if numeric.is_empty() {
        return designs(sweep);
    }
    let mut s = Section::new("Availability versus each parameter");
    s.text("Unavailability (1 − availability, log scale) with its 95% interval as a band; one line per combination of the other swept values.");
    for &d in &numeric {
        let dim = &dims[d];
        // Series: the combination of every other axis's value.
        let mut keys: Vec<String> = Vec::new();
        let key_of = |i: usize| -> String {
            dims.iter()
                .enumerate()
                .filter(|&(o, _)| o != d)
                .map(|(_, o)| format!("{} = {}", short(&o.name), o.values[i]))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for i in 0..sweep.points.len() {
            let k = key_of(i);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let shown = keys.len().min(MAX_SERIES);
        let series: Vec<plot::Series> = keys[..shown]
            .iter()
            .enumerate()
            .map(|(c, k)| plot::Series {
                name: if k.is_empty() {
                    "all".into()
                } else {
                    k.clone()
                },
                colour: c,
                points: (0..sweep.points.len())
                    .filter(|&i| key_of(i) == *k)
                    .filter_map(|i| {
                        let x = dim.values[i].parse::<f64>().ok()?;
                        let (u, low, high) = unavailability(&sweep.points[i]);
                        Some((x, u, low, high))
                    })
                    .collect(),
            })
            .collect();
        let file = format!("by-{}.svg", file_name(&dim.name));
        let mut caption = format!("Unavailability against {}.{LOG_NOTE}", dim.name);
        if keys.len() > shown {
            caption.push_str(&format!(
                " The first {shown} of {} lines are drawn.",
                keys.len()
            ));
        }
        s.figure(
            &file,
            caption,
            plot::lines_with_bands(
                &format!("Unavailability versus {}", short(&dim.name)),
                &dim.name,
                "unavailability (1 − A)",
                &series,
                true,
            ),
        );
    }
    Some(s)
}

/// Downtime of each design as bars, for sweeps with no numeric axis to
/// plot against (named variants only).
fn designs(sweep: &SweepResults) -> Option<Section> {
    if sweep.points.len() < 2 {
        return None;
    }
    let mut s = Section::new("Downtime of each design");
    let bars: Vec<plot::Bar> = sweep
        .points
        .iter()
        .map(|p| {
            let d = &p.summary.downtime_minutes_per_year;
            plot::Bar {
                label: p.label.clone(),
                value: d.mean,
                low: Some(d.ci95_low.max(0.0)),
                high: Some(d.ci95_high),
            }
        })
        .collect();
    s.figure(
        "designs.svg",
        "Downtime per year of each design, in sweep order, with 95% intervals.",
        plot::bar_chart("Downtime by design", "downtime (min/yr)", &bars),
    );
    Some(s)
}

fn heat(sweep: &SweepResults, dims: &[Dimension]) -> Section {
    // Columns along the numeric axis when there is one.
    let (cx, cy) = if !dims[0].numeric && dims[1].numeric {
        (1, 0)
    } else {
        (0, 1)
    };
    let (x, y) = (&dims[cx], &dims[cy]);
    let mut values = vec![vec![None; x.levels.len()]; y.levels.len()];
    for (i, p) in sweep.points.iter().enumerate() {
        let col = x.levels.iter().position(|l| *l == x.values[i]);
        let row = y.levels.iter().position(|l| *l == y.values[i]);
        if let (Some(c), Some(r)) = (col, row) {
            values[r][c] = Some(p.summary.downtime_minutes_per_year.mean);
        }
    }
    let mut s = Section::new("Downtime over both parameters");
    s.figure(
        "heat-map.svg",
        format!(
            "Mean downtime per year for each pair of {} and {} (darker is worse).",
            x.name, y.name
        ),
        plot::heat_map(
            "Downtime per year (min)",
            &x.name,
            &y.name,
            &x.levels,
            &y.levels,
            &values,
            "downtime (min/yr)",
            false,
            &num,
        ),
    );
    s
}

/// The designs most available first, each with its downtime's difference
/// from the first where the sweep has it: the order of the ranking table
/// and of the headline.
fn ranked(sweep: &SweepResults) -> Vec<(usize, Option<&crate::PairedDifference>)> {
    if sweep.ranking.is_empty() {
        crate::results::rank_order(&sweep.points, &sweep.objectives())
            .into_iter()
            .map(|i| (i, None))
            .collect()
    } else {
        sweep
            .ranking
            .iter()
            .filter(|r| r.point < sweep.points.len())
            .map(|r| (r.point, r.downtime_vs_best.as_ref()))
            .collect()
    }
}

fn ranking(sweep: &SweepResults, slo: Option<f64>) -> Section {
    let mut s = Section::new("Designs ranked");
    let order_text = if is_default(sweep) {
        "Most available first.".to_string()
    } else {
        format!("Ranked by {}.", rank_words(sweep))
    };
    s.text(if sweep.independent {
        format!("{order_text} The difference is each design's downtime minus the top design's, with a 95% interval from independent samples.")
    } else {
        format!("{order_text} The difference is each design's downtime minus the top design's, paired replication by replication (every design met the same faults), with its 95% interval; an interval that holds zero means the two cannot be told apart with these replications.")
    });
    let data = data_columns(sweep);
    let mut headers = vec![
        "rank",
        "design",
        "availability",
        "downtime (min/yr)",
        "vs the top (min/yr)",
        "cost per year",
        "frontier",
    ];
    let mut numeric = vec![true, false, true, true, true, true, false];
    let data_headers: Vec<String> = data
        .iter()
        .map(|m| {
            if m.unit.is_empty() {
                m.words.to_string()
            } else {
                format!("{} ({})", m.words, m.unit)
            }
        })
        .collect();
    for h in &data_headers {
        headers.insert(headers.len() - 1, h.as_str());
        numeric.insert(numeric.len() - 1, true);
    }
    if slo.is_some() {
        headers.push("meets target");
        numeric.push(false);
    }
    let mut t = Table::new(&headers, &numeric);
    let order = ranked(sweep);
    for (rank, (i, diff)) in order.into_iter().enumerate() {
        let Some(p) = sweep.points.get(i) else {
            continue;
        };
        let (a, _) = availability(&p.summary.availability);
        let d = &p.summary.downtime_minutes_per_year;
        let vs = match (rank, diff) {
            (0, _) => "–".to_string(),
            (_, Some(x)) => format!(
                "{} [{}, {}]{}",
                Signed(x.mean),
                num(x.ci95_low),
                num(x.ci95_high),
                if x.ci95_low <= 0.0 && x.ci95_high >= 0.0 {
                    " (no clear difference)"
                } else {
                    ""
                }
            ),
            (_, None) => String::new(),
        };
        let mut row = vec![
            (rank + 1).to_string(),
            p.label.clone(),
            a,
            num(d.mean),
            vs,
            p.summary
                .cost_per_year
                .as_ref()
                .map_or_else(|| "–".into(), |c| num(c.total.mean)),
            if p.pareto {
                "yes".into()
            } else {
                String::new()
            },
        ];
        for m in &data {
            row.insert(row.len() - 1, objective_cell(p, m));
        }
        if let Some(slo) = slo {
            let allowed = (1.0 - slo) * MINUTES_PER_YEAR;
            row.push(
                if d.ci95_high <= allowed {
                    "yes"
                } else if d.ci95_low > allowed {
                    "no"
                } else {
                    "uncertain"
                }
                .into(),
            );
        }
        t.row(row);
    }
    s.blocks.push(Block::Table(t));
    s
}

/// A number with its sign, formatted like [`num`].
struct Signed(f64);

impl std::fmt::Display for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 > 0.0 {
            write!(f, "+{}", num(self.0))
        } else {
            f.write_str(&num(self.0))
        }
    }
}

/// The last segment of a parameter path: `service.web.instances` →
/// `instances`, for titles.
fn short(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// A parameter path as part of a file name.
fn file_name(path: &str) -> String {
    path.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}
