//! `nines run --method batch-means`: one long run cut into batches, instead
//! of independent replications.
//!
//! The run is replication 0 of the scenario over `replications × horizon`
//! (the same simulated effort as a plain run), with the scenario's warm-up
//! simulated once at the start and not measured. Its measured span is read
//! in [`WINDOWS`] equal windows (so memory does not grow with the
//! horizon); `models::batch_means` then cuts a warm-up by MSER-5 within
//! ten of the longest mean repair times, splits the rest into 160 batches
//! and merges adjacent pairs while the lag-1 autocorrelation of the batch
//! means is 0.2 or more and at least 10 batches would remain. The
//! intervals are those of replications, with batches for replications (see
//! `models::summary::intervals`). Request-level scenarios are refused: they
//! are judged by the requests they serve, not by time up.

use models::batch_means::BatchEstimates;
use models::replicate::Horizon;
use models::spec::ModelSpec;
use models::windows::{WindowError, WindowedRun, simulate_windows};
use reports::{Availability, BatchMeansReport, Interval};
use scenarios::Scenario;
use sim_core::hash::hex;
use sim_core::stats::{CONFIDENCE_95, CONFIDENCE_99, Estimate, zero_event_upper_bound};
use sim_core::time::{HOURS_PER_YEAR, SimDuration};

use crate::cli::RunArgs;
use crate::fail::Failure;
use crate::progress::Progress;
use crate::run::apply_overrides;

/// The number of windows the measured span is read in: 512 groups of five
/// for MSER-5, and at least 1280 left after its cut (it cuts at most half)
/// for 160 batches of 8 windows or more.
pub(crate) const WINDOWS: u64 = 2560;

/// Minutes in a year of 8760 h.
const MINUTES_PER_YEAR: f64 = 60.0 * HOURS_PER_YEAR;

/// `nines run --method batch-means`.
pub(crate) fn run(args: RunArgs) -> Result<(), Failure> {
    if args.precision.is_some() {
        return Err(Failure::input(
            "--precision adds independent replications; it does not apply to --method batch-means (set the run's length with --replications and --horizon)".into(),
        ));
    }
    if args.trace.is_some() {
        return Err(Failure::input(
            "--trace does not apply to --method batch-means: the long run is replication 0 over replications x horizon, and `nines replay SCENARIO --replication 0 --horizon LENGTH --trace FILE` writes the events of its first LENGTH".into(),
        ));
    }
    let mut scenario = crate::load::load(&args.scenario)?;
    apply_overrides(&mut scenario, &args.sim)?;
    if matches!(scenario.model, ModelSpec::Requests(_)) {
        return Err(Failure::input(format!(
            "{}: a request-level scenario cannot use --method batch-means (it is judged by the requests it serves, not by time up); use --method replications",
            scenario.name
        )));
    }
    let sim = scenario.simulation;
    let length = sim
        .horizon
        .as_micros()
        .checked_mul(sim.replications)
        .map(SimDuration::from_micros)
        .ok_or_else(|| {
            Failure::input(format!(
                "--method batch-means: {} replications of {} make a run too long to simulate (the limit is about 580,000 years)",
                sim.replications, sim.horizon
            ))
        })?;
    let horizon = Horizon::new(length, sim.warmup);
    crate::run::check_event_budget_over(&scenario, length)?;

    let stop = crate::interrupt::stop_flag();
    let progress = Progress::counting(WINDOWS, "windows", Vec::new(), args.output.quiet);
    let run = simulate_windows(&scenario.model, sim.seed, 0, horizon, WINDOWS, &mut |w| {
        if progress.is_drawn() {
            progress.observe(&[1.0 - w.unavailability()]);
        }
        !stop.load(std::sync::atomic::Ordering::SeqCst)
    });
    progress.finish();
    let run = match run {
        Ok(run) => run,
        Err(WindowError::Stopped { windows_done }) => {
            return Err(Failure::interrupted(format!(
                "interrupted: the long run stopped after {windows_done} of {WINDOWS} windows; batch means needs the whole run, so nothing is reported (a shorter run: fewer --replications or a shorter --horizon)"
            )));
        }
        Err(e) => return Err(Failure::input(format!("--method batch-means: {e}"))),
    };
    if run.events >= models::budget::EVENT_BUDGET {
        return Err(crate::run::over_budget(0));
    }

    let batches = BatchEstimates::analyse(
        &run,
        scenario.model.longest_mean_repair_hours(),
        sim.replications,
    )
    .ok_or_else(|| Failure::internal("too few windows for batch means".into()))?;
    let report = report(&scenario, &run, &batches, length)?;
    emit(&args, &scenario, &report)
}

/// An interval over the batches, or the failure of having too few.
fn need(e: Option<Estimate>) -> Result<Estimate, Failure> {
    e.ok_or_else(|| Failure::internal("batch means need at least two batches".into()))
}

/// The report of the batches chosen for the long `run` of `length`.
fn report(
    scenario: &Scenario,
    run: &WindowedRun,
    estimates: &BatchEstimates,
    length: SimDuration,
) -> Result<BatchMeansReport, Failure> {
    let batches = &estimates.batches;
    let d95 = need(estimates.downtime(CONFIDENCE_95))?;
    let d99 = need(estimates.downtime(CONFIDENCE_99))?;
    let i95 = need(estimates.incidents(CONFIDENCE_95))?;
    let window_hours = estimates.window_hours;
    let batch_hours = window_hours * batches.batch_size as f64;
    let measured_hours = batch_hours * batches.batches() as f64;
    let zero = batches.means.iter().all(|&u| u == 0.0);
    let clamp = |x: f64| x.clamp(0.0, 1.0);
    let (availability, downtime, incidents, assumed) = if zero {
        // Nothing observed: one-sided bounds from the measured years, with
        // outages assumed as long as the slowest mean repair (as `nines
        // run` does).
        let years = measured_hours / HOURS_PER_YEAR;
        let typical = scenario.model.longest_mean_repair_hours();
        let rate95 = zero_event_upper_bound(years, CONFIDENCE_95);
        let rate99 = zero_event_upper_bound(years, CONFIDENCE_99);
        let u_hi = (rate95 * typical / HOURS_PER_YEAR).min(1.0);
        let u_hi99 = (rate99 * typical / HOURS_PER_YEAR).min(1.0);
        (
            crate::summarize::zero_downtime_availability(u_hi, u_hi99),
            Interval {
                mean: 0.0,
                ci95_low: 0.0,
                ci95_high: u_hi * MINUTES_PER_YEAR,
            },
            Interval {
                mean: 0.0,
                ci95_low: 0.0,
                ci95_high: rate95,
            },
            Some(typical),
        )
    } else {
        let u = |d: f64| d / MINUTES_PER_YEAR;
        (
            Availability {
                mean: 1.0 - u(d95.mean),
                ci95_low: clamp(1.0 - u(d95.ci_high)),
                ci95_high: clamp(1.0 - u(d95.ci_low)),
                ci99_low: clamp(1.0 - u(d99.ci_high)),
                ci99_high: clamp(1.0 - u(d99.ci_low)),
                nines: -u(d95.mean).log10(),
                zero_downtime_observed: false,
            },
            Interval {
                mean: d95.mean,
                ci95_low: d95.ci_low.max(0.0),
                ci95_high: d95.ci_high,
            },
            Interval {
                mean: i95.mean,
                ci95_low: i95.ci_low.max(0.0),
                ci95_high: i95.ci_high,
            },
            None,
        )
    };
    let sim = scenario.simulation;
    Ok(BatchMeansReport {
        scenario: scenario.name.clone(),
        origin: scenario.origin.clone(),
        method: "batch-means".into(),
        seed: sim.seed,
        replication: 0,
        run_hours: length.as_hours_f64(),
        warmup_hours: sim.warmup.as_hours_f64(),
        warmup_cut_hours: window_hours * batches.cut as f64,
        measured_hours,
        batches: batches.batches() as u64,
        batch_hours,
        lag1_autocorrelation: batches.lag1,
        batches_uncorrelated: batches.uncorrelated,
        availability,
        downtime_minutes_per_year: downtime,
        incidents_per_year: incidents,
        assumed_outage_hours: assumed,
        batch_downtime_minutes_per_year: batches
            .means
            .iter()
            .map(|u| u * MINUTES_PER_YEAR)
            .collect(),
        events: run.events,
        trace_hash: hex(run.trace_hash),
    })
}

/// Writes the report as JSON where `--json` says, and as text unless
/// `--quiet` or the JSON goes to standard output.
fn emit(args: &RunArgs, scenario: &Scenario, report: &BatchMeansReport) -> Result<(), Failure> {
    let sim = scenario.simulation;
    crate::output::emit(&args.output, report, || {
        let mut text = report.to_text();
        text.push_str(&format!(
            "reproduce     nines run {} --method batch-means --seed {} --replications {} --horizon {}\n",
            crate::load::command_line(&args.scenario),
            sim.seed,
            sim.replications,
            sim.horizon
        ));
        text
    })?;
    Ok(())
}
