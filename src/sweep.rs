//! `nines sweep` and `nines merge`: run every point of a sweep, one line
//! per point, with the cost-availability frontier marked.
//!
//! By default every point runs with the same seed, so replication r of each
//! point sees the same fault history on the components the points share
//! (common random numbers); `--independent` gives each point streams of its
//! own. The work is every (point, replication) pair: points are taken a few
//! at a time and all their pairs spread over the cores, so a sweep of many
//! small points keeps every core busy. Each point's replications are merged
//! in replication order, so results do not depend on the thread count or on
//! which pair finished first. Memory holds the replications of the points
//! in flight only: finished points are reduced to their summary.
//!
//! With `--out DIR`, each point is written to `DIR/points/` the moment it
//! finishes; `--resume` keeps those and runs the rest, and `--shard I/N`
//! runs every N-th point from the I-th into its own directory, for `nines
//! merge` to join. Both give the bytes the whole sweep gives.

mod output;
mod store;

use std::collections::BTreeMap;
use std::path::Path;

use models::replicate::{Horizon, ReplicationResult, simulate};
use models::summary::Summary;
use rayon::prelude::*;
use scenarios::Scenario;
use scenarios::compose::Composed;
use scenarios::sweep::{SweepPoint, SweepSpec};
use sim_core::hash::StableHasher;
use sim_core::runner::run_replications_with;

use self::store::Manifest;
use crate::cli::{MergeArgs, SweepArgs};
use crate::fail::Failure;
use crate::output::{Printed, print, write_file, write_json};
use crate::progress::Progress;
use crate::run::{apply_overrides, replication_availability};
use crate::summarize::run_report;

/// Points whose replications run together: enough pairs to keep the cores
/// busy, few enough that memory stays small. Results do not depend on it.
const POINTS_IN_FLIGHT: usize = 8;

/// One point's results, as `sweep.json` lists them.
pub(crate) type PointResult = reports::results::SweepPoint;

/// The sweep `args` asks for: `--sweep` flags, else the scenario's own.
pub(crate) fn sweep_of(
    composed: &Composed,
    flags: &[String],
) -> Result<Option<SweepSpec>, Failure> {
    if flags.is_empty() {
        return Ok(composed.sweep().cloned());
    }
    SweepSpec::from_flags(flags)
        .map(Some)
        .map_err(Failure::input)
}

/// Builds every point of `sweep` first, so that a mistake in any point is
/// reported before anything runs.
pub(crate) fn build_points(
    composed: &Composed,
    sweep: &SweepSpec,
) -> Result<Vec<(SweepPoint, Scenario)>, Failure> {
    sweep
        .points()
        .into_par_iter()
        .map(|p| {
            let scenario = composed
                .at_point(&p)
                .and_then(|c| c.build())
                .map_err(|e| Failure::input(e.to_string()))?;
            Ok((p, scenario))
        })
        .collect()
}

/// `I/N` of `--shard`: 1 ≤ I ≤ N.
fn parse_shard(text: &str) -> Result<(usize, usize), Failure> {
    let bad = || {
        Failure::input(format!(
            "--shard {text}: expected I/N with 1 <= I <= N, such as 2/3"
        ))
    };
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if i == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

/// The seed of point `index`: the root seed (common random numbers), or
/// one derived from it and the index (`--independent`).
fn point_seed(seed: u64, index: usize, independent: bool) -> u64 {
    if !independent {
        return seed;
    }
    let mut h = StableHasher::new();
    h.write_str("nines/sweep-point-seed/v1");
    h.write_u64(seed);
    h.write_u64(index as u64);
    h.finish()
}

/// A digest of everything that decides a sweep's results.
fn sweep_key(
    composed: &Composed,
    points: &[(SweepPoint, Scenario)],
    independent: bool,
) -> Result<String, Failure> {
    // Composing each point's text is the slow part: in parallel, in order.
    let texts: Vec<String> = points
        .par_iter()
        .map(|(p, _)| {
            composed
                .at_point(p)
                .map(|c| c.text())
                .map_err(|e| Failure::input(e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    let mut h = StableHasher::new();
    h.write_str("nines/sweep/v1");
    h.write_str(env!("CARGO_PKG_VERSION"));
    h.write_u64(u64::from(independent));
    for ((_, s), text) in points.iter().zip(&texts) {
        h.write_str(text);
        let sim = s.simulation;
        h.write_u64(sim.seed);
        h.write_u64(sim.replications);
        h.write_u64(sim.horizon.as_micros());
        h.write_u64(sim.warmup.as_micros());
    }
    Ok(sim_core::hash::hex(h.finish()))
}

/// `nines sweep`.
pub(crate) fn sweep(args: SweepArgs) -> Result<(), Failure> {
    let composed = crate::load::load_composed(&args.scenario)?;
    let Some(spec) = sweep_of(&composed, &args.sweep)? else {
        return Err(Failure::input(format!(
            "{}: the scenario declares no [sweep]; give one with --sweep PATH=VALUES, such as --sweep service.web.instances=2..6",
            args.scenario.scenario
        )));
    };
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    let objectives = objectives(args.objective.as_deref())?;
    let mut points = build_points(&composed, &spec)?;
    for o in objectives.iter().filter(|_| args.objective.is_some()) {
        if let Some((p, _)) = points
            .iter()
            .find(|(_, s)| !crate::compare::scenario_has(s, o))
        {
            return Err(Failure::input(format!(
                "--objective {}: point {} has no {} to judge (writes lost and the other data measures need a stateful service, cost a [cost] table or service prices)",
                o.aliases.first().unwrap_or(&o.key),
                p.label(),
                o.words
            )));
        }
    }
    for (i, (_, scenario)) in points.iter_mut().enumerate() {
        apply_overrides(scenario, &args.sim)?;
        scenario.simulation.seed = point_seed(scenario.simulation.seed, i, args.independent);
    }
    let first = points.first().map(|(_, s)| s.simulation);
    let manifest = Manifest {
        key: sweep_key(&composed, &points, args.independent)?,
        points: points.len(),
        replications: first.map_or(0, |s| s.replications),
        seed: args
            .sim
            .seed
            .or(first.map(|s| s.seed))
            .unwrap_or(scenarios::DEFAULT_SEED),
        independent: args.independent,
        parameters: spec.parameters.iter().map(|p| p.path.clone()).collect(),
        variants: !spec.variants.is_empty(),
        shard,
    };
    let mine: Vec<usize> = (0..points.len())
        .filter(|i| shard.is_none_or(|(k, n)| i % n == k - 1))
        .collect();
    let mut done = match &args.out {
        Some(dir) => store::open(dir, &manifest, args.resume, args.force)?,
        None => BTreeMap::new(),
    };
    done.retain(|i, _| mine.contains(i));
    let todo: Vec<usize> = mine
        .iter()
        .copied()
        .filter(|i| !done.contains_key(i))
        .collect();
    let quiet = args.output.quiet;
    if args.resume && !quiet && !done.is_empty() {
        crate::progress::notice(&format!(
            "resuming: {} of {} points already finished",
            done.len(),
            mine.len()
        ));
    }
    let interrupted = run_points(&points, &todo, &args, &manifest, &mut done)?;
    if shard.is_some() {
        // A shard's points are in its directory; `nines merge` writes the rest.
        if !quiet {
            print(&format!(
                "shard         {} of {}: {} of {} points finished in {}\n",
                shard.map_or(1, |s| s.0),
                shard.map_or(1, |s| s.1),
                done.len(),
                mine.len(),
                args.out
                    .as_deref()
                    .map_or(String::new(), |d| d.display().to_string())
            ))?;
        }
        return interrupted_failure(interrupted, done.len(), mine.len());
    }
    let mut results: Vec<PointResult> = done.into_values().collect();
    let finished = results.len();
    finish(
        &mut results,
        &manifest,
        &objectives,
        args.out.as_deref(),
        &args.output,
        interrupted,
    )?;
    if let Some(dir) = &args.report
        && let Some((_, base)) = points.first()
    {
        if interrupted {
            crate::progress::notice(&format!(
                "{}: no report written, the sweep was interrupted",
                dir.display()
            ));
        } else {
            write_report(dir, &args, base, &manifest, &objectives, results)?;
        }
    }
    interrupted_failure(interrupted, finished, manifest.points)
}

/// Writes the `--report` directory of a finished sweep.
fn write_report(
    dir: &Path,
    args: &SweepArgs,
    base: &Scenario,
    manifest: &Manifest,
    objectives: &[&'static reports::measures::Measure],
    results: Vec<PointResult>,
) -> Result<(), Failure> {
    let mut command = format!("nines sweep {}", crate::load::command_line(&args.scenario));
    if let Some(objective) = &args.objective {
        command.push_str(" --objective ");
        command.push_str(&crate::load::shell_quote(objective));
    }
    for flag in &args.sweep {
        command.push_str(" --sweep ");
        command.push_str(&crate::load::shell_quote(flag));
    }
    command.push_str(&format!(
        " --seed {} --replications {}",
        manifest.seed, manifest.replications
    ));
    if let Some(h) = &args.sim.horizon {
        command.push_str(&format!(" --horizon {h}"));
    }
    if manifest.independent {
        command.push_str(" --independent");
    }
    let report = crate::report::sweep_results(
        base,
        results,
        crate::report::SweepShape {
            parameters: manifest.parameters.clone(),
            variants: manifest.variants,
            independent: manifest.independent,
            seed: manifest.seed,
            replications: manifest.replications,
            objectives: if args.objective.is_some() {
                objectives.iter().map(|m| m.key.to_string()).collect()
            } else {
                Vec::new()
            },
        },
        command,
    );
    crate::report::write(dir, &report)?;
    let json_to_stdout = args.output.json.as_deref() == Some("-");
    if !args.output.quiet && !json_to_stdout {
        print(&crate::report::written(dir))?;
    }
    Ok(())
}

fn interrupted_failure(interrupted: bool, finished: usize, total: usize) -> Result<(), Failure> {
    if interrupted {
        Err(Failure::interrupted(format!(
            "interrupted: {finished} of {total} points finished; run again with --resume to finish the rest"
        )))
    } else {
        Ok(())
    }
}

/// Runs the points `todo`, a few at a time, every (point, replication)
/// pair in parallel; saves each finished point. Returns whether Ctrl-C cut
/// the sweep short (the points finished before it are kept).
fn run_points(
    points: &[(SweepPoint, Scenario)],
    todo: &[usize],
    args: &SweepArgs,
    manifest: &Manifest,
    done: &mut BTreeMap<usize, PointResult>,
) -> Result<bool, Failure> {
    let total: u64 = todo
        .iter()
        .map(|&i| points[i].1.simulation.replications)
        .sum();
    let progress = Progress::new(total, Vec::new(), args.output.quiet);
    let stop = crate::interrupt::stop_flag();
    for chunk in todo.chunks(POINTS_IN_FLIGHT) {
        // The pairs of this chunk, point by point, replications in order.
        let pairs: Vec<(usize, u64)> = chunk
            .iter()
            .flat_map(|&i| (0..points[i].1.simulation.replications).map(move |r| (i, r)))
            .collect();
        let results: Vec<ReplicationResult> = run_replications_with(
            pairs.len() as u64,
            args.sim.threads,
            stop,
            |k| {
                let (i, r) = pairs[k as usize];
                let sim = points[i].1.simulation;
                simulate(
                    &points[i].1.model,
                    sim.seed,
                    r,
                    Horizon::new(sim.horizon, sim.warmup),
                    None,
                )
            },
            |_, result| {
                if progress.is_drawn() {
                    progress.observe(&[replication_availability(result)]);
                }
            },
        )
        .map_err(|e| Failure::internal(e.to_string()))?;
        let mut rest = results.as_slice();
        for &i in chunk {
            let (point, scenario) = &points[i];
            let n = scenario.simulation.replications as usize;
            if rest.len() < n {
                // Cut short by Ctrl-C: this point and the rest are dropped.
                progress.finish();
                return Ok(true);
            }
            let (mine, after) = rest.split_at(n);
            rest = after;
            let summary = Summary::from_results(mine);
            let result = PointResult {
                point: coordinates(point)?,
                variant: point.variant.clone(),
                label: point.label(),
                summary: run_report(scenario, scenario.simulation.seed, &summary)?,
                pareto: false,
            };
            if let Some(dir) = &args.out {
                store::save(dir, &manifest.key, i, &result)?;
            }
            done.insert(i, result);
        }
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            progress.finish();
            return Ok(todo.iter().any(|i| !done.contains_key(i)));
        }
    }
    progress.finish();
    Ok(false)
}

/// Marks the frontier and writes the results: `sweep.json` and
/// `sweep.csv` in `out`, JSON to `--json`, the table to standard output.
fn finish(
    results: &mut [PointResult],
    manifest: &Manifest,
    objectives: &[&'static reports::measures::Measure],
    out: Option<&Path>,
    output: &crate::cli::OutputOptions,
    interrupted: bool,
) -> Result<(), Failure> {
    output::mark_pareto(results, objectives);
    let json = serde_json::to_string_pretty(&results)
        .map_err(|e| Failure::internal(format!("cannot encode the results: {e}")))?
        + "\n";
    if let Some(dir) = out
        && !interrupted
    {
        write_file(&dir.join("sweep.json"), json.as_bytes())?;
        write_file(
            &dir.join("sweep.csv"),
            output::csv(results, manifest).as_bytes(),
        )?;
    }
    let json_to_stdout = output.json.as_deref() == Some("-");
    if let Some(target) = &output.json
        && let Printed::PipeClosed = write_json(target, &json)?
    {
        return Ok(());
    }
    if !output.quiet && !json_to_stdout {
        let mut text = String::new();
        if interrupted {
            text.push_str(&format!(
                "interrupted: {} of {} points finished (the finished ones are kept{}); the frontier below is among them only\n",
                results.len(),
                manifest.points,
                if out.is_some() { "; --resume finishes the rest" } else { "" }
            ));
        }
        text.push_str(&output::table(
            results,
            manifest,
            objectives,
            if interrupted { None } else { out },
        ));
        print(&text)?;
    }
    Ok(())
}

/// `nines merge`: the shards' points joined, as the whole sweep writes
/// them.
pub(crate) fn merge(args: MergeArgs) -> Result<(), Failure> {
    let mut manifest: Option<Manifest> = None;
    let mut results: BTreeMap<usize, PointResult> = BTreeMap::new();
    for dir in &args.dirs {
        let Some(m) = store::read_manifest(dir)? else {
            return Err(Failure::input(format!(
                "{}: no manifest.json; expected the --out directory of a sweep or of one of its shards",
                dir.display()
            )));
        };
        if let Some(first) = &manifest
            && (first.key != m.key || first.points != m.points)
        {
            return Err(Failure::input(format!(
                "{}: a shard of another sweep (different scenario, seed, replications or horizon)",
                dir.display()
            )));
        }
        for (i, r) in store::read_points(dir, &m.key)? {
            results.insert(i, r);
        }
        manifest.get_or_insert(m);
    }
    let Some(mut manifest) = manifest else {
        return Err(Failure::input("no directories to merge".into()));
    };
    let missing: Vec<String> = (0..manifest.points)
        .filter(|i| !results.contains_key(i))
        .map(|i| i.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(Failure::input(format!(
            "{} of {} points are missing (points {}); run the shards that hold them (with --resume if they were cut short)",
            missing.len(),
            manifest.points,
            if missing.len() > 10 {
                format!("{}, ...", missing[..10].join(", "))
            } else {
                missing.join(", ")
            }
        )));
    }
    manifest.shard = None;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::input(format!("{}: cannot create: {e}", args.out.display())))?;
    let mut results: Vec<PointResult> = results.into_values().collect();
    finish(
        &mut results,
        &manifest,
        &objectives(args.objective.as_deref())?,
        Some(&args.out),
        &args.output,
        false,
    )
}

/// The objectives of `--objective`, else cost and availability.
fn objectives(text: Option<&str>) -> Result<Vec<&'static reports::measures::Measure>, Failure> {
    match text {
        Some(t) => reports::measures::parse_objectives(t).map_err(Failure::input),
        None => Ok(reports::measures::by_keys(
            &reports::measures::DEFAULT_SWEEP_OBJECTIVES,
        )),
    }
}

/// The point's swept values as JSON, keyed by path.
fn coordinates(point: &SweepPoint) -> Result<serde_json::Map<String, serde_json::Value>, Failure> {
    let mut map = serde_json::Map::new();
    for (path, text) in &point.coordinates {
        let doc: toml::Table = toml::from_str(&format!("v = {text}"))
            .map_err(|e| Failure::internal(format!("sweep value {text}: {e}")))?;
        let value = serde_json::to_value(&doc["v"])
            .map_err(|e| Failure::internal(format!("sweep value {text}: {e}")))?;
        map.insert(path.clone(), value);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_one_based_fractions() {
        assert_eq!(parse_shard("2/3").unwrap(), (2, 3));
        assert!(parse_shard("0/3").is_err());
        assert!(parse_shard("4/3").is_err());
        assert!(parse_shard("a/b").is_err());
    }

    #[test]
    fn independent_points_get_their_own_seed() {
        assert_eq!(point_seed(7, 3, false), 7);
        assert_ne!(point_seed(7, 3, true), point_seed(7, 4, true));
        assert_eq!(point_seed(7, 3, true), point_seed(7, 3, true));
    }
}
