//! `nines run --precision`: add replications in batches until the 95%
//! interval of the downtime is narrow enough, or a cap is hit, and say
//! which stopped the run.
//!
//! The schedule is fixed: a first batch of [`FIRST_BATCH`] replications,
//! then batches that double the total (100, 200, 400, ...), the last one
//! cut at `--max-replications`. The rule is checked only after a whole
//! batch, on replications `0..n` in order, with the figures `nines run
//! --replications n` reports, so where the run stops depends on the
//! scenario and seed alone, never on the thread count or on which
//! replication finished first. Replication `r` is the same simulation as
//! in a plain run, so the report equals that of `--replications n` but for
//! its `stopping` field.
//!
//! With no downtime observed in any replication, the interval is the
//! one-sided 95% bound `[0, bound]` the report shows: an absolute target is
//! met once the bound is below it; a relative one is undefined (the mean is
//! 0) and the run goes on, to the cap unless downtime shows up, and says
//! so.

use models::replicate::{Horizon, ReplicationResult, simulate};
use models::summary::Summary;
use reports::{RunReport, Stopping};
use scenarios::Scenario;
use sim_core::runner::run_replications_with;
use sim_core::stats::precision::{Precision, Schedule};
use sim_core::time::SimDuration;

use crate::cli::RunArgs;
use crate::fail::Failure;
use crate::output::Printed;
use crate::progress::Progress;
use crate::run::{
    MAX_REPLICATIONS, apply_overrides, emit, interrupted_note, interrupted_too_early,
    replication_availability, write_trace,
};
use crate::summarize::run_report;

/// The replications of the first batch; each later batch doubles the
/// total.
pub(crate) const FIRST_BATCH: u64 = 100;

/// The cap on replications when `--max-replications` is not given.
pub(crate) const DEFAULT_MAX_REPLICATIONS: u64 = 100_000;

/// A precision target as given on the command line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Target {
    /// The target on the half-width, in minutes per year when absolute.
    pub(crate) precision: Precision,
    /// The target as the user wrote it.
    pub(crate) text: String,
}

/// Parses `--precision`: a percentage of the mean (`5%`, `0.5%`) or a
/// duration per year (`2min`, `30s`, `1h`), in minutes per year.
pub(crate) fn parse_target(text: &str) -> Result<Target, Failure> {
    let trimmed = text.trim();
    let bad = |why: String| {
        Failure::input(format!(
            "--precision {text}: {why}; expected a half-width relative to the mean (5%) or a duration per year (2min, 30s, 1h)"
        ))
    };
    let precision = if let Some(number) = trimmed.strip_suffix('%') {
        let percent: f64 = number
            .trim()
            .parse()
            .map_err(|_| bad(format!("`{}` is not a number", number.trim())))?;
        if !(percent.is_finite() && percent > 0.0 && percent <= 100.0) {
            return Err(bad("a percentage above 0 and at most 100 is needed".into()));
        }
        Precision::Relative(percent / 100.0)
    } else {
        let d: SimDuration = trimmed.parse().map_err(|e| bad(format!("{e}")))?;
        if d.is_zero() {
            return Err(bad("a positive duration is needed".into()));
        }
        Precision::Absolute(d.as_hours_f64() * 60.0)
    };
    Ok(Target {
        precision,
        text: trimmed.to_string(),
    })
}

/// How precise the downtime estimate of replications `0..n` is, judged as
/// the report of those replications shows it.
#[derive(Clone, Debug, PartialEq)]
struct Judgement {
    /// The 95% half-width, or with no downtime observed the 95% bound.
    half_width: f64,
    /// The half-width over the mean; `None` for a zero mean.
    relative: Option<f64>,
    /// The target as a half-width, when it can be judged.
    limit: Option<f64>,
    /// True when the target is met.
    reached: bool,
    /// Why the target cannot be judged, if it cannot.
    note: Option<String>,
}

/// Judges `target` on the `report` of the replications so far.
fn judge(target: &Target, report: &RunReport) -> Judgement {
    if report.availability.zero_downtime_observed {
        let bound = report.downtime_minutes_per_year.ci95_high;
        let note = matches!(target.precision, Precision::Relative(_)).then(|| {
            format!(
                "no downtime observed in any replication: a relative precision is undefined for a zero mean (the 95% bound is {bound:.3} min/yr); an absolute target such as --precision 1min can be met"
            )
        });
        return Judgement {
            half_width: bound,
            relative: None,
            limit: target.precision.half_width_limit(0.0),
            reached: target.precision.is_met(bound, 0.0),
            note,
        };
    }
    // The interval the report shows, which is not symmetric: the target
    // is met when it lies within the half-width on both sides.
    let d = &report.downtime_minutes_per_year;
    let mean = d.mean;
    let half_width = (d.ci95_high - mean).max(mean - d.ci95_low);
    Judgement {
        half_width,
        relative: (mean > 0.0).then(|| half_width / mean),
        limit: target.precision.half_width_limit(mean),
        reached: target.precision.is_met(half_width, mean),
        note: None,
    }
}

/// The summary and report of replications `0..results.len()`, exactly as
/// `--replications` with that number gives them.
fn report_of(
    scenario: &mut Scenario,
    results: &[ReplicationResult],
) -> Result<(Summary, RunReport), Failure> {
    scenario.simulation.replications = results.len() as u64;
    let summary = Summary::from_results(results);
    let report = run_report(scenario, scenario.simulation.seed, &summary)?;
    Ok((summary, report))
}

/// `nines run --precision TARGET [--max-replications N]`.
pub(crate) fn run(args: RunArgs) -> Result<(), Failure> {
    let target = parse_target(args.precision.as_deref().unwrap_or_default())?;
    let cap = args.max_replications.unwrap_or(DEFAULT_MAX_REPLICATIONS);
    if !(2..=MAX_REPLICATIONS).contains(&cap) {
        return Err(Failure::input(format!(
            "--max-replications {cap}: expected from 2 to {MAX_REPLICATIONS} (an interval needs at least two)"
        )));
    }
    if args.trace.is_some() && args.trace_replication >= cap {
        return Err(Failure::input(format!(
            "--trace-replication {}: the run has at most replications 0 to {}",
            args.trace_replication,
            cap - 1
        )));
    }
    let mut scenario = crate::load::load(&args.scenario)?;
    apply_overrides(&mut scenario, &args.sim)?;
    let sim = scenario.simulation;
    let horizon = Horizon::new(sim.horizon, sim.warmup);

    let stop = crate::interrupt::stop_flag();
    let progress = Progress::new(FIRST_BATCH.min(cap), Vec::new(), args.output.quiet);
    let mut results: Vec<ReplicationResult> = Vec::new();
    let mut asked = 0;
    let mut judged = None;
    for total in Schedule::new(FIRST_BATCH, cap) {
        asked = total;
        progress.set_total(total);
        let start = results.len() as u64;
        let batch = run_replications_with(
            total - start,
            args.sim.threads,
            stop,
            |i| simulate(&scenario.model, sim.seed, start + i, horizon, None),
            |_, result| {
                if progress.is_drawn() {
                    progress.observe(&[replication_availability(result)]);
                }
            },
        )
        .map_err(|e| Failure::internal(e.to_string()))?;
        if let Some(r) = batch
            .iter()
            .find(|r| r.events >= models::budget::EVENT_BUDGET)
        {
            return Err(crate::run::over_budget(r.replication));
        }
        results.extend(batch);
        if (results.len() as u64) < total {
            break;
        }
        let (summary, report) = report_of(&mut scenario, &results)?;
        let judgement = judge(&target, &report);
        let reached = judgement.reached;
        judged = Some((summary, report, judgement));
        if reached {
            break;
        }
    }
    progress.finish();

    let finished = results.len() as u64;
    let interrupted = finished < asked;
    if interrupted && finished < 2 {
        return Err(interrupted_too_early(finished, asked));
    }
    let (summary, mut report, judgement) = match judged {
        Some(j) if !interrupted => j,
        _ => {
            let (summary, report) = report_of(&mut scenario, &results)?;
            let judgement = judge(&target, &report);
            (summary, report, judgement)
        }
    };
    drop(results);
    let rule = if interrupted {
        "interrupted"
    } else if judgement.reached {
        "precision"
    } else {
        "max-replications"
    };
    report.stopping = Some(Stopping {
        rule: rule.into(),
        target: target.text.clone(),
        target_minutes_per_year: judgement.limit,
        reached: judgement.reached,
        half_width_minutes_per_year: judgement.half_width,
        relative_half_width: judgement.relative,
        replications: finished,
        max_replications: cap,
        note: judgement.note,
    });

    if let Some(path) = &args.trace {
        if args.trace_replication >= finished {
            crate::progress::notice(&format!(
                "{}: not written, the run stopped at replications 0 to {}",
                path.display(),
                finished - 1
            ));
        } else {
            write_trace(&scenario, args.trace_replication, path, &summary)?;
        }
    }
    if let Some(dir) = &args.report {
        super::write_report(dir, &args, &scenario, &report, interrupted)?;
    }
    let note = interrupted.then(|| interrupted_note(finished, asked));
    if let Printed::PipeClosed = emit(&args, &scenario, &report, note.as_deref())? {
        return Ok(());
    }
    if interrupted {
        return Err(Failure::interrupted(format!(
            "interrupted: {finished} of {asked} replications finished"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_as_percentages_or_durations_per_year() {
        let t = |s: &str| parse_target(s).map(|t| t.precision);
        assert_eq!(t("5%").unwrap(), Precision::Relative(0.05));
        assert_eq!(t(" 0.5 % ").unwrap(), Precision::Relative(0.005));
        assert_eq!(t("2min").unwrap(), Precision::Absolute(2.0));
        assert_eq!(t("30s").unwrap(), Precision::Absolute(0.5));
        assert_eq!(t("1h").unwrap(), Precision::Absolute(60.0));
        assert_eq!(parse_target("5%").unwrap().text, "5%");
        for bad in ["5", "0%", "-1%", "150%", "abc%", "0s", "", "%", "2 apples"] {
            let e = parse_target(bad).unwrap_err();
            assert_eq!(e.code, 2, "{bad}");
            assert!(
                e.message.starts_with(&format!("--precision {bad}: ")),
                "{}",
                e.message
            );
        }
    }
}
