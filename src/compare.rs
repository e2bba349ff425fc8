//! `nines compare`: several designs under common random numbers, side by
//! side, with the paired difference of each from the first.
//!
//! Every design runs with the same seed, replications and horizon, and
//! replication `r` of each design is simulated in the same task. Random
//! streams are keyed by `(seed, replication, entity, purpose)`, so
//! replication `r` of every design meets the same faults on the components
//! the designs share: the per-replication differences are far less noisy
//! than the difference of two independent runs. Each design's results are
//! exactly those `nines run` gives with the same settings.

mod measures;
pub(crate) mod paired;
mod verdict;

use models::replicate::{Horizon, ReplicationResult, simulate};
use models::spec::ModelSpec;
use models::summary::Summary;
use reports::{CompareReport, Difference, RunReport, Stopping};
use scenarios::{Scenario, SimulationSettings};
use sim_core::stats::precision::Schedule;

use crate::cli::{CompareArgs, ScenarioArgs};
use crate::fail::Failure;
use crate::output::Printed;
use crate::run::{
    apply_overrides, interrupted_note, interrupted_too_early, replication_availability,
    run_interruptible,
};
use crate::summarize::run_report;

/// `nines compare`.
pub(crate) fn compare(args: CompareArgs) -> Result<(), Failure> {
    let mut designs = Vec::with_capacity(args.scenarios.len());
    for scenario in &args.scenarios {
        let mut design = crate::load::load(&ScenarioArgs {
            scenario: scenario.clone(),
            set: args.set.clone(),
        })?;
        apply_overrides(&mut design, &args.sim)?;
        designs.push(design);
    }
    let mut objectives = match &args.objective {
        Some(text) => reports::measures::parse_objectives(text).map_err(Failure::input)?,
        None => reports::measures::by_keys(&reports::measures::DEFAULT_COMPARE_OBJECTIVES),
    };
    if args.objective.is_none() {
        // By default, what the designs have of downtime and cost.
        objectives.retain(|o| designs.iter().all(|d| scenario_has(d, o)));
    }
    let names = names(&designs, &args.scenarios);
    for o in &objectives {
        if let Some((name, _)) = names
            .iter()
            .zip(&designs)
            .find(|(_, d)| !scenario_has(d, o))
        {
            return Err(Failure::input(format!(
                "--objective {}: {name} has no {} to judge (writes lost and the other data measures need a stateful service, write availability a quorum store or an active-passive service with data, write latency and writes refused such a service, cost an infrastructure system)",
                o.aliases.first().unwrap_or(&o.key),
                o.words
            )));
        }
    }
    let common = common_settings(&mut designs, &names, &args)?;

    let horizons: Vec<Horizon> = designs
        .iter()
        .map(|d| Horizon::new(d.simulation.horizon, d.simulation.warmup))
        .collect();
    let target = args
        .precision
        .as_deref()
        .map(crate::run::precision::parse_target)
        .transpose()?;
    let batch = |start: u64, count: u64| {
        run_interruptible(
            count,
            args.sim.threads,
            names.clone(),
            args.output.quiet,
            |r| {
                designs
                    .iter()
                    .zip(&horizons)
                    .map(|(d, &h)| simulate(&d.model, common.seed, start + r, h, None))
                    .collect::<Vec<_>>()
            },
            |one| one.iter().map(replication_availability).collect(),
        )
    };
    let (results, asked, stopping) = match &target {
        None => (batch(0, common.replications)?, common.replications, None),
        Some(target) => {
            let cap = args
                .max_replications
                .unwrap_or(crate::run::precision::DEFAULT_MAX_REPLICATIONS)
                .clamp(2, crate::run::MAX_REPLICATIONS);
            let mut all: Vec<Vec<ReplicationResult>> = Vec::new();
            let mut asked = 0;
            let mut judged = None;
            for total in Schedule::new(crate::run::precision::FIRST_BATCH, cap) {
                asked = total;
                let start = all.len() as u64;
                let got = batch(start, total - start)?;
                let complete = got.len() as u64 == total - start;
                all.extend(got);
                if !complete {
                    break;
                }
                let judgement = judge(target, &all, designs.len());
                let reached = judgement.reached;
                judged = Some(judgement);
                if reached {
                    break;
                }
            }
            let finished = all.len() as u64;
            let stopping = judged.map(|j| Stopping {
                rule: if finished < asked {
                    "interrupted"
                } else if j.reached {
                    "precision"
                } else {
                    "max-replications"
                }
                .into(),
                target: target.text.clone(),
                target_minutes_per_year: j.limit,
                reached: j.reached,
                half_width_minutes_per_year: j.half_width,
                relative_half_width: j.relative,
                replications: finished,
                max_replications: cap,
                note: None,
            });
            (all, asked, stopping)
        }
    };
    let finished = results.len() as u64;
    let interrupted = finished < asked;
    if interrupted && finished < 2 {
        return Err(interrupted_too_early(finished, asked));
    }

    let series = measures::all_series(&results, designs.len());
    let costs = measures::cost_series(&results, designs.len());
    let summaries = summaries(results, designs.len());
    let mut reports = Vec::with_capacity(designs.len());
    for (design, summary) in designs.iter_mut().zip(&summaries) {
        design.simulation.replications = finished;
        reports.push(run_report(design, common.seed, summary)?);
    }
    let differences = (1..designs.len())
        .map(|i| {
            difference(
                &Designs {
                    names: &names,
                    reports: &reports,
                    summaries: &summaries,
                    series: &series,
                    costs: &costs,
                },
                &objectives,
                i,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let report = CompareReport {
        seed: common.seed,
        replications: finished,
        horizon_hours: common.horizon.as_hours_f64(),
        names,
        designs: reports,
        differences,
        stopping,
    };

    let reproduce = format!(
        "nines compare {} --seed {} --replications {} --horizon {}",
        command_line(&args),
        common.seed,
        finished,
        common.horizon
    );
    if let Some(dir) = &args.report {
        crate::report::write_rendered(dir, &reports::report::render_compare(&report, &reproduce))?;
    }
    let printed = crate::output::emit(&args.output, &report, || {
        let mut text = String::new();
        if interrupted {
            text.push_str(&interrupted_note(finished, asked));
            text.push('\n');
        }
        text.push_str(&report.to_text());
        if let Some(stopping) = &report.stopping {
            text.push_str(&stopping.to_text());
        }
        text.push_str(&format!("\nreproduce     {reproduce}\n"));
        if let Some(dir) = &args.report {
            text.push_str(&format!("report        {}\n", dir.display()));
        }
        text
    })?;
    if let Printed::PipeClosed = printed {
        return Ok(());
    }
    if interrupted {
        return Err(Failure::interrupted(format!(
            "interrupted: {finished} of {asked} replications of each design finished"
        )));
    }
    Ok(())
}

/// How near a `--precision` target the paired differences are.
struct Judgement {
    /// The widest half-width of the paired differences of downtime.
    half_width: f64,
    /// That half-width over its difference's magnitude, when not zero.
    relative: Option<f64>,
    /// The half-width that meets the target for that difference.
    limit: Option<f64>,
    /// Whether every difference meets the target.
    reached: bool,
}

/// Judges `target` on the paired differences of downtime of every design
/// from the first, over replications `0..results.len()`.
fn judge(
    target: &crate::run::precision::Target,
    results: &[Vec<ReplicationResult>],
    designs: usize,
) -> Judgement {
    let downtime: Vec<Vec<f64>> = (0..designs)
        .map(|i| {
            let list: Vec<ReplicationResult> = results.iter().map(|one| one[i].clone()).collect();
            Summary::from_results(&list).downtime_by_replication
        })
        .collect();
    let mut widest = Judgement {
        half_width: 0.0,
        relative: None,
        limit: None,
        reached: true,
    };
    for design in &downtime[1..] {
        let Some(d) = paired::paired_difference(&downtime[0], design) else {
            return Judgement {
                half_width: f64::NAN,
                relative: None,
                limit: None,
                reached: false,
            };
        };
        let half_width = (d.ci95_high - d.ci95_low) / 2.0;
        let reached = target.precision.is_met(half_width, d.mean);
        if half_width >= widest.half_width || !reached {
            widest = Judgement {
                half_width,
                relative: (d.mean != 0.0).then(|| half_width / d.mean.abs()),
                limit: target.precision.half_width_limit(d.mean),
                reached: widest.reached && reached,
            };
        }
    }
    widest
}

/// The designs and their `--set` flags as they would be typed again, for
/// the "reproduce" line.
fn command_line(args: &CompareArgs) -> String {
    let mut words: Vec<String> = args
        .scenarios
        .iter()
        .map(|s| crate::load::shell_quote(s))
        .collect();
    for set in &args.set {
        words.push("--set".into());
        words.push(crate::load::shell_quote(set));
    }
    if let Some(objective) = &args.objective {
        words.push("--objective".into());
        words.push(crate::load::shell_quote(objective));
    }
    words.join(" ")
}

/// The name each design goes by: its scenario name, else (when two designs
/// share one) the path or name it was given as, else that with its position.
fn names(designs: &[Scenario], args: &[String]) -> Vec<String> {
    fn count(name: &str, all: &[String]) -> usize {
        all.iter().filter(|n| *n == name).count()
    }
    let scenario_names: Vec<String> = designs.iter().map(|d| d.name.clone()).collect();
    let given: Vec<String> = scenario_names
        .iter()
        .zip(args)
        .map(|(name, arg)| {
            if count(name, &scenario_names) > 1 {
                arg.clone()
            } else {
                name.clone()
            }
        })
        .collect();
    given
        .iter()
        .enumerate()
        .map(|(i, name)| {
            if count(name, &given) > 1 {
                format!("{name} #{}", i + 1)
            } else {
                name.clone()
            }
        })
        .collect()
}

/// Gives every design the first design's seed, replications and horizon
/// (the command line's, where given), says on standard error which of the
/// designs' own settings this overrides, and returns the common settings.
fn common_settings(
    designs: &mut [Scenario],
    names: &[String],
    args: &CompareArgs,
) -> Result<SimulationSettings, Failure> {
    let common = designs[0].simulation;
    let mut differing = Vec::new();
    for (design, name) in designs.iter_mut().zip(names).skip(1) {
        let own = design.simulation;
        let mut what = Vec::new();
        if own.seed != common.seed {
            what.push(format!("seed {}", own.seed));
        }
        if own.replications != common.replications {
            what.push(format!("{} replications", own.replications));
        }
        if own.horizon != common.horizon {
            what.push(format!("horizon {}", own.horizon));
        }
        if !what.is_empty() {
            differing.push(format!("{name}: {}", what.join(", ")));
        }
        if own.warmup >= common.horizon {
            return Err(Failure::input(format!(
                "{name}: its warm-up ({}) must be shorter than the common horizon ({}, from {})",
                own.warmup, common.horizon, names[0]
            )));
        }
        design.simulation = SimulationSettings {
            warmup: own.warmup,
            ..common
        };
    }
    if !differing.is_empty() && !args.output.quiet {
        eprintln!(
            "note: the designs' own settings differ ({}); every design runs with those of {}: seed {}, {} replications, horizon {} (choose with --seed, --replications, --horizon)",
            differing.join("; "),
            names[0],
            common.seed,
            common.replications,
            common.horizon
        );
    }
    Ok(common)
}

/// Each design's summary, from results held replication by replication
/// (replication `r` of every design at index `r`).
fn summaries(results: Vec<Vec<ReplicationResult>>, designs: usize) -> Vec<Summary> {
    let mut by_design: Vec<Vec<ReplicationResult>> = (0..designs)
        .map(|_| Vec::with_capacity(results.len()))
        .collect();
    for one in results {
        for (list, result) in by_design.iter_mut().zip(one) {
            list.push(result);
        }
    }
    by_design
        .iter()
        .map(|list| Summary::from_results(list))
        .collect()
}

/// Cost per year of each replication (every component, the random ones
/// as that replication met them), for designs that have costs.
fn cost_by_replication(report: &RunReport, summary: &Summary) -> Option<Vec<f64>> {
    report.cost_per_year.as_ref()?;
    Some(summary.system.as_ref()?.cost_total_by_replication.clone())
}

/// Whether a design can have measure `m` at all: the data measures need a
/// stateful service, write availability a quorum store or an
/// active-passive service with data (which the write latency and writes
/// refused also need), cost prices, and
/// requests served, degraded time and incidents a system or a pool.
pub(crate) fn scenario_has(scenario: &Scenario, m: &reports::measures::Measure) -> bool {
    use models::system::spec::UpRule;
    let system = match &scenario.model {
        ModelSpec::System(spec) => Some(spec),
        _ => None,
    };
    let data = system.is_some_and(|s| s.services.iter().any(|x| x.data.is_some()));
    match m.key {
        "downtime_minutes_per_year" | "availability" | "incidents_per_year" => true,
        "request_availability" => {
            system.is_some() || matches!(scenario.model, ModelSpec::Requests(_))
        }
        "degraded_minutes_per_year" => system.is_some(),
        "write_availability" => system.is_some_and(|s| {
            s.services.iter().any(|x| {
                matches!(x.up_rule, UpRule::Quorum { .. })
                    || (x.failover.is_some() && x.data.is_some())
            })
        }),
        "write_latency_ms" | "writes_refused_per_year" => system.is_some_and(|s| {
            s.services
                .iter()
                .any(|x| x.failover.is_some() && x.data.is_some())
        }),
        "cost_per_year" => system.is_some(),
        _ => data,
    }
}

/// What a comparison knows of its designs, each indexed as on the
/// command line.
struct Designs<'a> {
    names: &'a [String],
    reports: &'a [RunReport],
    summaries: &'a [Summary],
    /// Per design, per measure of the catalog: its per-replication values.
    series: &'a [Vec<Option<Vec<f64>>>],
    /// Per design, per cost component: its per-replication amounts.
    costs: &'a [Vec<Vec<f64>>],
}

/// Design `i` against design 0, on every measure both have; the overall
/// verdict weighs `objectives`.
fn difference(
    all: &Designs<'_>,
    objectives: &[&'static reports::measures::Measure],
    i: usize,
) -> Result<Difference, Failure> {
    let too_few = || Failure::input("at least 2 replications are needed for an interval".into());
    let (names, reports, summaries) = (all.names, all.reports, all.summaries);
    let (baseline, design) = (&names[0], &names[i]);
    let downtime = paired::paired_difference(
        &summaries[0].downtime_by_replication,
        &summaries[i].downtime_by_replication,
    )
    .ok_or_else(too_few)?;
    let cost = match (
        cost_by_replication(&reports[0], &summaries[0]),
        cost_by_replication(&reports[i], &summaries[i]),
    ) {
        (Some(a), Some(b)) => Some(paired::paired_difference(&a, &b).ok_or_else(too_few)?),
        _ => None,
    };
    let mut measures = Vec::new();
    for (k, m) in reports::measures::MEASURES.iter().enumerate() {
        if !m.paired || matches!(m.key, "downtime_minutes_per_year" | "cost_per_year") {
            continue;
        }
        if !measures::has(&reports[0], m) || !measures::has(&reports[i], m) {
            continue;
        }
        let (Some(a), Some(b)) = (&all.series[0][k], &all.series[i][k]) else {
            continue;
        };
        measures.push((
            m.key.to_string(),
            paired::paired_difference(a, b).ok_or_else(too_few)?,
        ));
    }
    let mut components = Vec::new();
    if cost.is_some() {
        for (k, m) in reports::measures::COST_COMPONENTS.iter().enumerate() {
            let (a, b) = (&all.costs[0][k], &all.costs[i][k]);
            if a.len() < 2 || a.len() != b.len() || a.iter().chain(b).all(|&x| x == 0.0) {
                continue;
            }
            components.push((
                m.key.to_string(),
                paired::paired_difference(a, b).ok_or_else(too_few)?,
            ));
        }
    }
    let judged: Vec<(&reports::measures::Measure, &reports::PairedDifference)> = std::iter::once((
        reports::measures::find("downtime_minutes_per_year").expect("in the catalog"),
        &downtime,
    ))
    .chain(cost.as_ref().map(|c| {
        (
            reports::measures::find("cost_per_year").expect("in the catalog"),
            c,
        )
    }))
    .chain(
        components
            .iter()
            .filter_map(|(k, d)| Some((reports::measures::cost_component(k)?, d))),
    )
    .chain(
        measures
            .iter()
            .filter_map(|(k, d)| Some((reports::measures::find(k)?, d))),
    )
    .collect();
    let weighed: Vec<(&reports::measures::Measure, &reports::PairedDifference)> = objectives
        .iter()
        .filter_map(|o| judged.iter().find(|(m, _)| m.key == o.key).copied())
        .collect();
    let overall = if weighed.len() == objectives.len() {
        verdict::overall(baseline, design, &weighed)
    } else {
        None
    };
    Ok(Difference {
        baseline: baseline.clone(),
        design: design.clone(),
        significant: downtime.significant,
        verdict: verdict::downtime_verdict(baseline, design, &downtime),
        cost_verdict: cost.map(|c| verdict::cost_verdict(baseline, design, &c)),
        overall,
        objectives: objectives.iter().map(|m| m.key.to_string()).collect(),
        measures_verdict: verdict::measures_verdict(baseline, design, &judged),
        downtime_minutes_per_year: downtime,
        cost_per_year: cost,
        measures: reports::MeasureDifferences(measures),
        cost_components: reports::MeasureDifferences(components),
    })
}
