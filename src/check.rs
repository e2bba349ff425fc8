//! `nines check`: validate a scenario and print a short summary of its
//! structure, without simulating anything.
//!
//! A scenario with problems is reported exactly as `nines run` reports it
//! (every problem, located; exit code 2). Otherwise the summary says what
//! the file describes, in the words of the format, and how many simulations
//! `nines run` would do. With `--json` the same summary is a JSON object:
//!
//! - `scenario`, `description`, `origin`: what was read;
//! - `format`: `"k-of-n"`, `"system"` or `"requests"`, and one object named
//!   after it (`k_of_n`, `system` or `requests`) with that format's
//!   structure;
//! - `simulation`: `horizon` and `warmup` (as durations, with `_hours`),
//!   `replications`, `seed`;
//! - `problems` (0: a scenario with problems exits 2 and prints them on
//!   standard error instead) and `simulations`, the replications
//!   `nines run` would simulate (for a sweep, `nines sweep`: every point's);
//! - `sweep` (only with a sweep, from `--sweep` flags or the file's
//!   `[sweep]`): `mode`, `parameters` (each `path` and its `values` as TOML
//!   text), `variants` (names), `points` and `labels` (each point's short
//!   name, in order). Every point is built, so a point that would fail is
//!   reported here, before anything runs.
//!
//! Keys are only ever added, never renamed or removed.

mod kofn;
mod requests;
mod system;

use scenarios::Scenario;
use serde::Serialize;
use sim_core::time::SimDuration;

use crate::cli::CheckArgs;
use crate::fail::Failure;
use crate::output::{Printed, print, write_json};

/// What `nines check` found, as printed and as JSON.
#[derive(Debug, Serialize)]
struct CheckSummary {
    scenario: String,
    description: String,
    origin: String,
    #[serde(flatten)]
    model: Model,
    simulation: Simulation,
    problems: usize,
    simulations: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    sweep: Option<SweepSummary>,
}

/// What `nines sweep` would run.
#[derive(Debug, Serialize)]
struct SweepSummary {
    mode: &'static str,
    parameters: Vec<scenarios::sweep::SweepParameter>,
    variants: Vec<String>,
    points: usize,
    labels: Vec<String>,
}

/// The format of the scenario and its structure.
#[derive(Debug, Serialize)]
#[serde(tag = "format")]
enum Model {
    /// A k-of-n service.
    #[serde(rename = "k-of-n")]
    KofN { k_of_n: kofn::KofNSummary },
    /// An infrastructure system.
    #[serde(rename = "system")]
    System { system: Box<system::SystemSummary> },
    /// A request-level pool.
    #[serde(rename = "requests")]
    Requests {
        requests: Box<requests::RequestSummary>,
    },
}

/// How the scenario asks to be run.
#[derive(Debug, Serialize)]
struct Simulation {
    horizon: String,
    horizon_hours: f64,
    warmup: String,
    warmup_hours: f64,
    replications: u64,
    seed: u64,
}

/// `nines check`.
pub(crate) fn check(args: CheckArgs) -> Result<(), Failure> {
    let composed = crate::load::load_composed(&args.scenario)?;
    let scenario = composed
        .build()
        .map_err(|e| Failure::input(e.to_string()))?;
    let mut summary = summarize(&scenario);
    summary.sweep = sweep_summary(&composed, &args.sweep)?;
    if let Some(sweep) = &summary.sweep {
        summary.simulations = sweep.points as u64 * scenario.simulation.replications;
    }
    let sweep = sweep_lines(&summary);
    if let Some(target) = &args.json {
        let mut text = serde_json::to_string_pretty(&summary)
            .map_err(|e| Failure::internal(format!("cannot encode the summary: {e}")))?;
        text.push('\n');
        if let Printed::PipeClosed = write_json(target, &text)? {
            return Ok(());
        }
        if target == "-" {
            return Ok(());
        }
    }
    let mut text = summary.to_text();
    for line in sweep {
        text.push_str(&line);
        text.push('\n');
    }
    print(&text)?;
    Ok(())
}

/// The sweep `nines sweep` would run, if any: from `--sweep` flags, else
/// the file's `[sweep]`. Every point is built, so that a point that would
/// fail is reported now.
fn sweep_summary(
    composed: &scenarios::compose::Composed,
    flags: &[String],
) -> Result<Option<SweepSummary>, Failure> {
    let Some(spec) = crate::sweep::sweep_of(composed, flags)? else {
        return Ok(None);
    };
    let points = crate::sweep::build_points(composed, &spec)?;
    Ok(Some(SweepSummary {
        mode: match spec.mode {
            scenarios::sweep::SweepMode::Cross => "cross",
            scenarios::sweep::SweepMode::Zip => "zip",
        },
        parameters: spec.parameters.clone(),
        variants: spec.variants.iter().map(|v| v.name.clone()).collect(),
        points: points.len(),
        labels: points.iter().map(|(p, _)| p.label()).collect(),
    }))
}

/// The sweep part of the text summary, printed after the rest.
fn sweep_lines(summary: &CheckSummary) -> Vec<String> {
    let Some(sweep) = &summary.sweep else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let mut dims: Vec<String> = Vec::new();
    if !sweep.variants.is_empty() {
        dims.push(format!("variants {}", sweep.variants.join(", ")));
    }
    for p in &sweep.parameters {
        let values = if p.values.len() <= 6 {
            p.values.join(", ")
        } else {
            format!(
                "{}, {}, ..., {} ({} values)",
                p.values[0],
                p.values[1],
                p.values[p.values.len() - 1],
                p.values.len()
            )
        };
        dims.push(format!("{} in {values}", p.path));
    }
    let how = if sweep.mode == "zip" {
        "zipped"
    } else {
        "crossed"
    };
    lines.push(format!(
        "sweep         {} ({how}): {}",
        count(sweep.points, "point"),
        dims.join("; ")
    ));
    // Numbered from 0, as in sweep.json, sweep.csv and the point files.
    for (i, label) in sweep.labels.iter().enumerate().take(12) {
        lines.push(format!("  {i:>4}  {label}"));
    }
    if sweep.labels.len() > 12 {
        lines.push(format!("  ...   {} more", sweep.labels.len() - 12));
    }
    lines.push(format!(
        "with sweep    {} x {} = {} with nines sweep",
        count(sweep.points, "point"),
        count(summary.simulation.replications as usize, "replication"),
        count(summary.simulations as usize, "simulation")
    ));
    lines
}

/// The summary of a validated scenario.
fn summarize(scenario: &Scenario) -> CheckSummary {
    let sim = scenario.simulation;
    let model = match &scenario.model {
        models::spec::ModelSpec::KofN(k) => Model::KofN {
            k_of_n: kofn::summary(k),
        },
        models::spec::ModelSpec::System(s) => Model::System {
            system: Box::new(system::summary(s)),
        },
        models::spec::ModelSpec::Requests(r) => Model::Requests {
            requests: Box::new(requests::summary(r)),
        },
    };
    CheckSummary {
        scenario: scenario.name.clone(),
        description: scenario.description.clone(),
        origin: scenario.origin.clone(),
        model,
        simulation: Simulation {
            horizon: sim.horizon.compact(),
            horizon_hours: sim.horizon.as_hours_f64(),
            warmup: sim.warmup.compact(),
            warmup_hours: sim.warmup.as_hours_f64(),
            replications: sim.replications,
            seed: sim.seed,
        },
        problems: 0,
        simulations: sim.replications,
        sweep: None,
    }
}

impl CheckSummary {
    /// The summary as text, one labelled line per fact.
    fn to_text(&self) -> String {
        let mut t = Text::default();
        t.field("scenario", format!("{} ({})", self.scenario, self.origin));
        if !self.description.is_empty() {
            t.field("description", &self.description);
        }
        let format = match &self.model {
            Model::KofN { .. } => "k-of-n service",
            Model::System { .. } => "infrastructure system",
            Model::Requests { .. } => "request-level pool",
        };
        t.field("format", format);
        let s = &self.simulation;
        let warmup = if s.warmup_hours > 0.0 {
            format!("warm-up {}", s.warmup)
        } else {
            "no warm-up".to_string()
        };
        t.field(
            "simulation",
            format!(
                "horizon {}, {warmup}, {}, seed {}",
                s.horizon,
                count(s.replications as usize, "replication"),
                s.seed
            ),
        );
        match &self.model {
            Model::KofN { k_of_n } => k_of_n.write(&mut t),
            Model::System { system } => system.write(&mut t),
            Model::Requests { requests } => requests.write(&mut t),
        }
        t.field("ok", "no problems found");
        t.field(
            "simulations",
            format!(
                "{} of {} each with nines run",
                count(s.replications as usize, "replication"),
                s.horizon
            ),
        );
        t.0
    }
}

/// Text made of labelled lines (`label`, padded, then the value) and
/// indented tables, as `nines run` prints.
#[derive(Debug, Default)]
struct Text(String);

/// The width of the label column.
const LABEL: usize = 14;

impl Text {
    /// A labelled line.
    fn field(&mut self, label: &str, value: impl std::fmt::Display) {
        self.0.push_str(&format!("{label:<w$}{value}\n", w = LABEL));
    }

    /// An unlabelled line, aligned with the values of labelled ones.
    fn more(&mut self, value: impl std::fmt::Display) {
        self.field("", value);
    }

    /// Rows indented by two spaces, each column as wide as its widest
    /// cell, two spaces apart; a row's last cell is not padded.
    fn table(&mut self, rows: &[Vec<String>]) {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in rows {
            let mut line = String::from(" ");
            for (c, cell) in row.iter().enumerate() {
                line.push(' ');
                if c + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(&format!("{cell:<w$} ", w = widths[c]));
                }
            }
            self.0.push_str(line.trim_end());
            self.0.push('\n');
        }
    }

    /// An item of a list: `  name` in the label column, then its first
    /// line, then its other lines aligned under the first.
    fn item(&mut self, name: &str, lines: &[String]) {
        let label = format!("  {name}");
        let mut first = true;
        for line in lines {
            if first {
                if label.chars().count() < LABEL {
                    self.field(&label, line);
                } else {
                    self.0.push_str(&format!("{label}\n"));
                    self.more(line);
                }
                first = false;
            } else {
                self.more(line);
            }
        }
    }
}

/// `n` and the noun, plural when `n` is not 1: `1 rack`, `3 racks`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A number as people write it: `500`, `0.1`, `2.5`.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// A share as a percentage: `95%`, `2.5%`.
fn percent(share: f64) -> String {
    format!("{}%", number((share * 1e4).round() / 100.0))
}

/// A duration as the scenario format writes it.
fn duration(d: SimDuration) -> String {
    d.compact()
}
