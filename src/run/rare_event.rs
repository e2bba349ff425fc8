//! `nines run --rare-event auto|bfb`: importance sampling of a k-of-n
//! scenario too available for plain replications (see `models::rare`).
//!
//! `bfb` always estimates by regenerative importance sampling; `auto` first
//! runs a plain pilot of regenerative cycles and falls back to the usual
//! replications when the pilot sees enough system failures. `--precision`
//! (a percentage) sets the half-width the run stops at: 10% is a relative
//! error of 10 / 1.96 ≈ 5.1%; without it the run stops at a relative error
//! of 10%. Batches of cycles run in order, each from its own random
//! streams, so the result is the same on any machine and thread count.

use models::rare::{
    Bias, Interval as RareInterval, MainMeasure, Mode, RareOptions, RareSpec, SteadyState,
    estimate_steady_state, plain_pilot,
};
use models::spec::ModelSpec;
use reports::{Availability, Interval, RareEventDiagnostics, RareEventReport};
use scenarios::Scenario;
use sim_core::stats::precision::Precision;

use crate::cli::{RareEvent, RunArgs};
use crate::fail::Failure;
use crate::run::apply_overrides;

/// The relative error a run stops at without `--precision`.
const DEFAULT_RELATIVE_ERROR: f64 = 0.10;

/// The 97.5% normal quantile: a half-width over it is a standard error.
const Z95: f64 = 1.959964;

/// The 99.5% normal quantile.
const Z99: f64 = 2.575829;

/// Plain cycles of the `auto` pilot.
const PILOT_CYCLES: u64 = 20_000;

/// `nines run --rare-event`: whether it reported; `false` when `auto`
/// found plain simulation enough (the caller then runs replications as
/// usual).
pub(crate) fn run(args: &RunArgs) -> Result<bool, Failure> {
    if args.trace.is_some() || args.report.is_some() {
        return Err(Failure::input(
            "--rare-event does not write --trace or --report: it simulates regenerative cycles under a changed law, not replications of the scenario's horizon".into(),
        ));
    }
    let mut scenario = crate::load::load(&args.scenario)?;
    apply_overrides(&mut scenario, &args.sim)?;
    let ModelSpec::KofN(kofn) = &scenario.model else {
        return Err(Failure::input(format!(
            "{}: --rare-event works on k-of-n scenarios ([[component]] tables and a [service]); this one is an infrastructure or request-level system, which it cannot yet estimate without bias",
            scenario.name
        )));
    };
    let spec = RareSpec::from_kofn(kofn).map_err(|e| located(&scenario, &e))?;
    let options = options(args, &scenario)?;
    let mode = match args.rare_event {
        RareEvent::Off => Mode::Off,
        RareEvent::Auto => Mode::Auto,
        RareEvent::Bfb => Mode::Bfb,
    };
    if mode == Mode::Auto {
        let pilot =
            plain_pilot(&spec, options.seed, PILOT_CYCLES).map_err(|e| located(&scenario, &e))?;
        if !mode.uses_biasing(&pilot) {
            return Ok(false);
        }
    }
    let result = estimate_steady_state(&spec, &options).map_err(|e| located(&scenario, &e))?;
    let report = report(&scenario, &options, &result);
    crate::output::emit(&args.output, &report, || report.to_text())?;
    Ok(true)
}

/// The options of a run: the scenario's seed, `--bias` and the target
/// from `--precision`.
fn options(args: &RunArgs, scenario: &Scenario) -> Result<RareOptions, Failure> {
    let bias = match args.bias.as_deref().map(str::trim) {
        None => Bias::Fixed(0.5),
        Some("auto") => Bias::Auto,
        Some(text) => match text.parse::<f64>() {
            Ok(p) if p > 0.0 && p < 1.0 => Bias::Fixed(p),
            _ => {
                return Err(Failure::input(format!(
                    "--bias {text}: expected a forcing probability strictly between 0 and 1 (such as 0.5), or `auto`"
                )));
            }
        },
    };
    let target = match &args.precision {
        None => DEFAULT_RELATIVE_ERROR,
        Some(text) => match crate::run::precision::parse_target(text)?.precision {
            Precision::Relative(half_width) => half_width / Z95,
            Precision::Absolute(_) => {
                return Err(Failure::input(format!(
                    "--precision {text}: with --rare-event the target is relative to the estimate (such as 10%): its downtime is far below a minute a year"
                )));
            }
        },
    };
    Ok(RareOptions {
        seed: scenario.simulation.seed,
        bias,
        main: MainMeasure::Unavailability,
        target_relative_error: target,
        ..RareOptions::default()
    })
}

/// A rare-event error as the user sees it, naming the scenario's file and,
/// for a component's law, the line and key that set it.
fn located(scenario: &Scenario, e: &models::rare::RareError) -> Failure {
    use models::rare::RareError;
    let place = match e {
        RareError::NotExponential { component, .. } => {
            component_line(&scenario.origin, component, Some("failure"))
                .map(|line| format!("{}:{line}:1: key `component.failure`", scenario.origin))
        }
        RareError::NoRepair { component } => component_line(&scenario.origin, component, None)
            .map(|line| format!("{}:{line}:1: key `component.repair`", scenario.origin)),
        _ => None,
    };
    let place = place.unwrap_or_else(|| scenario.origin.clone());
    Failure::input(format!("{place}: --rare-event: {e}"))
}

/// The line (from 1) of the scenario file `origin` where the
/// `[[component]]` table of `component` sets `key`, or, with no key or
/// none set, where the table starts; `None` when `origin` is not a file
/// that has it. A component of a table with `count` is named `NAME-i`.
fn component_line(origin: &str, component: &str, key: Option<&str>) -> Option<usize> {
    let text = std::fs::read_to_string(origin).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    let names = |line: &str| {
        let rest = line
            .trim()
            .strip_prefix("name")?
            .trim_start()
            .strip_prefix('=')?;
        Some(rest.trim().trim_matches('"').to_string())
    };
    let base = component
        .rsplit_once('-')
        .filter(|(_, i)| !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit()))
        .map(|(b, _)| b);
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_start().starts_with('['))
        .collect();
    for (k, &start) in starts.iter().enumerate() {
        if lines[start].trim() != "[[component]]" {
            continue;
        }
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let table = start + 1..end;
        let named = table
            .clone()
            .filter_map(|i| names(lines[i]))
            .any(|n| n == component || Some(n.as_str()) == base);
        if !named {
            continue;
        }
        let set = key.and_then(|key| {
            table.clone().find(|&i| {
                lines[i]
                    .trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
        });
        return Some(set.unwrap_or(start) + 1);
    }
    None
}

/// The report of a steady-state estimate.
fn report(scenario: &Scenario, options: &RareOptions, r: &SteadyState) -> RareEventReport {
    let u = &r.unavailability;
    let clamp = |x: f64| x.clamp(0.0, 1.0);
    let wide = |x: &RareInterval, z: f64| (x.mean - z * x.std_error, x.mean + z * x.std_error);
    let (u_lo99, u_hi99) = wide(u, Z99);
    let d = &r.diagnostics;
    RareEventReport {
        scenario: scenario.name.clone(),
        origin: scenario.origin.clone(),
        method: "rare-event".into(),
        seed: options.seed,
        availability: Availability {
            mean: 1.0 - u.mean,
            ci95_low: clamp(1.0 - u.high),
            ci95_high: clamp(1.0 - u.low.max(0.0)),
            ci99_low: clamp(1.0 - u_hi99),
            ci99_high: clamp(1.0 - u_lo99.max(0.0)),
            nines: -u.mean.log10(),
            zero_downtime_observed: false,
        },
        downtime_minutes_per_year: interval(&r.downtime_minutes_per_year),
        incidents_per_year: interval(&r.incidents_per_year),
        mttf_hours: interval(&r.mttf_hours),
        p_cycle_hits_failure: interval(&r.p_cycle_hits_failure),
        rare_event: RareEventDiagnostics {
            bias: d.bias,
            bias_auto: options.bias == Bias::Auto,
            cycles: r.biased_cycles,
            plain_cycles: r.plain_cycles,
            hits: d.hits,
            ess: d.effective_sample_size,
            max_weight_share: d.max_weight_share,
            mean_lr: interval(&d.mean_likelihood_ratio),
            relative_error: u.relative_error,
            target_met: r.target_met,
            events: d.events,
            plain_mc_events_needed: d.plain_mc_events_needed,
            speedup: d.speedup,
        },
    }
}

/// A rare-event interval as reports write it (never below zero).
fn interval(x: &RareInterval) -> Interval {
    Interval {
        mean: x.mean,
        ci95_low: x.low.max(0.0),
        ci95_high: x.high,
    }
}
