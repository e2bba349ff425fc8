//! Shrinking a violation: the fault activations of the violating
//! replication, turned into scheduled faults, then dropped, shortened and
//! moved earlier (delta debugging) while the invariant still breaks; the
//! result is written as an ordinary scenario file.
//!
//! Each candidate is a scenario text: the original with its `[[fault]]`
//! tables replaced by the candidate's scheduled faults
//! (`scenarios::schedule`). It is parsed and built as `nines run` would,
//! and replication 0 of its own seed is checked: the written file breaks
//! the invariant in replication 0 of `nines run FILE`, with no seed search.

use std::path::Path;
use std::time::Instant;

use models::invariant::{CheckOutcome, InvariantSpec, check};
use models::replicate::Horizon;
use models::spec::ModelSpec;
use scenarios::Scenario;
use scenarios::compose::Composed;
use scenarios::schedule::{ScheduledFault, set_simulation, with_scheduled_faults};
use serde::Serialize;
use sim_core::time::{SimDuration, SimTime};

use crate::cli::ScenarioArgs;
use crate::fail::Failure;

/// Seeds tried for the shrunk scenario's own replication 0 when the
/// violating replication's faults, scheduled, do not break the invariant
/// under the first.
const SEEDS_TO_TRY: u64 = 64;
/// Durations are not shortened below this.
const SHORTEST: SimDuration = SimDuration::from_micros(1_000_000);

/// What shrinking made, as `nines hunt --json` reports it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ShrinkReport {
    /// The scenario written.
    file: String,
    /// Fault activations of the violating replication up to the violation.
    faults_before: usize,
    /// Scheduled faults in the file written.
    faults_after: usize,
    /// The faults written, one line each.
    faults: Vec<String>,
    /// Candidate scenarios checked.
    checks: u64,
    /// Wall-clock seconds spent shrinking.
    seconds: f64,
    /// The seed of the file written (its replication 0 breaks the
    /// invariant).
    seed: u64,
    /// When the invariant breaks in the file written, hours.
    time_hours: f64,
    /// The same instant, for the text.
    #[serde(skip)]
    at: SimTime,
}

impl ShrinkReport {
    /// The human lines.
    pub(crate) fn to_text(&self) -> String {
        let mut s = format!(
            "shrunk        {} fault activations to {} scheduled fault{} in {} checks ({:.2} s)\n",
            self.faults_before,
            self.faults_after,
            if self.faults_after == 1 { "" } else { "s" },
            self.checks,
            self.seconds
        );
        for f in &self.faults {
            s.push_str(&format!("              {f}\n"));
        }
        s.push_str(&format!(
            "written       {} (breaks at t+{} in replication 0: nines run {} --replications 2)\n",
            self.file,
            self.at.since_start(),
            self.file
        ));
        s
    }
}

/// The scenario's text as `nines hunt` ran it: the composed document (bases
/// followed, `--set` applied) without the tags that map its lines back.
pub(super) fn source_text(_args: &ScenarioArgs, composed: &Composed) -> Result<String, Failure> {
    Ok(composed
        .text()
        .lines()
        .map(untagged)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n")
}

/// A line without its trailing composition tag ` #@F:S:E`.
fn untagged(line: &str) -> &str {
    if let Some(at) = line.rfind(" #@") {
        let tag = &line[at + 3..];
        if !tag.is_empty() && tag.chars().all(|c| c.is_ascii_digit() || c == ':') {
            return line[..at].trim_end();
        }
    }
    line
}

/// The shrinking run: its inputs and how many candidates it checked.
struct Shrinker<'a> {
    source: &'a str,
    origin: &'a str,
    invariants: &'a [InvariantSpec],
    horizon: Horizon,
    seed: u64,
    header: String,
    checks: u64,
}

impl Shrinker<'_> {
    /// The scenario text of a candidate.
    fn text(&self, faults: &[ScheduledFault]) -> Result<String, Failure> {
        let text = with_scheduled_faults(self.source, self.origin, faults, &self.header)
            .map_err(|e| Failure::internal(format!("cannot write the shrunk scenario: {e}")))?;
        set_simulation(
            &text,
            self.origin,
            &scenarios::SimulationSettings {
                horizon: self.horizon.length,
                warmup: self.horizon.warmup,
                replications: 2,
                seed: self.seed,
            },
        )
        .map_err(|e| Failure::internal(format!("cannot write the shrunk scenario: {e}")))
    }

    /// Whether a candidate still breaks the invariant in replication 0:
    /// the check's outcome if so.
    fn fails(&mut self, faults: &[ScheduledFault]) -> Result<Option<CheckOutcome>, Failure> {
        self.checks += 1;
        let text = self.text(faults)?;
        let scenario = scenarios::parse(&text, self.origin)
            .map_err(|e| Failure::internal(format!("the shrunk scenario does not build: {e}")))?;
        let outcome = check(
            &scenario.model,
            self.invariants,
            self.seed,
            0,
            self.horizon,
            true,
        );
        Ok(outcome.violation.is_some().then_some(outcome))
    }
}

/// Shrinks the violation of `invariants` in `replication` of `scenario`
/// and writes the result to `out` (refusing to overwrite a file without
/// `force`).
pub(super) fn shrink(
    scenario: &Scenario,
    source: &str,
    invariants: &[InvariantSpec],
    replication: u64,
    horizon: Horizon,
    out: &Path,
    force: bool,
) -> Result<ShrinkReport, Failure> {
    if out.exists() && !force {
        return Err(Failure::input(format!(
            "{}: exists; give --force to overwrite it, or another --out",
            out.display()
        )));
    }
    let ModelSpec::System(spec) = &scenario.model else {
        return Err(Failure::input(
            "--shrink works on infrastructure scenarios (their [[fault]] tables become scheduled faults)"
                .into(),
        ));
    };
    let started = Instant::now();
    let seed = scenario.simulation.seed;
    let found = check(
        &scenario.model,
        invariants,
        seed,
        replication,
        horizon,
        true,
    );
    let Some(violation) = found.violation else {
        return Err(Failure::internal(format!(
            "replication {replication} no longer breaks the invariant it broke while hunting"
        )));
    };
    let candidates: Vec<ScheduledFault> = found
        .faults
        .iter()
        .map(|f| ScheduledFault {
            fault: f.fault,
            target: f.target.map(|e| spec.element_name(e)),
            at: f.start,
            duration: (f.end - f.start).max(SHORTEST),
        })
        .collect();
    let before = candidates.len();
    let mut shrinker = Shrinker {
        source,
        origin: &scenario.origin,
        invariants,
        horizon,
        seed,
        header: String::new(),
        checks: 0,
    };
    // The faults scheduled must break the invariant under some seed of the
    // file's own: the other draws (failover times, lags) differ from the
    // violating replication's.
    let mut base = None;
    for s in 0..SEEDS_TO_TRY {
        shrinker.seed = seed.wrapping_add(s);
        if shrinker.fails(&candidates)?.is_some() {
            base = Some(shrinker.seed);
            break;
        }
    }
    if base.is_none() {
        return Err(Failure::check(format!(
            "the {before} fault activations of replication {replication}, scheduled, break {} under none of seeds {seed} to {}: the violation needs the random draws of that replication",
            violation.invariant,
            seed.wrapping_add(SEEDS_TO_TRY - 1)
        )));
    }
    let kept = ddmin(&mut shrinker, candidates)?;
    let kept = shorten(&mut shrinker, kept)?;
    let kept = move_earlier(&mut shrinker, kept)?;
    let Some(last) = shrinker.fails(&kept)? else {
        return Err(Failure::internal(
            "the shrunk scenario no longer breaks the invariant".into(),
        ));
    };
    let v = last.violation.expect("a failing check has a violation");
    let lines: Vec<String> = kept.iter().map(|f| describe(spec, f)).collect();
    shrinker.header = format!(
        "Written by `nines hunt --shrink` from {} (seed {seed}, replication {replication}):\n{} of {} broken at t+{} in replication 0 of this file.\nScheduled faults only: `nines run` of this file breaks it every time.\n{}",
        scenario.origin,
        v.invariant,
        scenario.name,
        v.time.since_start(),
        lines.join("\n")
    );
    let text = shrinker.text(&kept)?;
    crate::output::write_file(out, text.as_bytes())?;
    Ok(ShrinkReport {
        file: out.display().to_string(),
        faults_before: before,
        faults_after: kept.len(),
        faults: lines,
        checks: shrinker.checks,
        seconds: started.elapsed().as_secs_f64(),
        seed: shrinker.seed,
        time_hours: crate::report::hours(v.time),
        at: v.time,
    })
}

/// One scheduled fault in words.
fn describe(spec: &models::system::spec::SystemSpec, f: &ScheduledFault) -> String {
    format!(
        "{}{} at t+{} for {}",
        spec.faults[f.fault].name,
        f.target
            .as_ref()
            .map_or_else(String::new, |t| format!(" on {t}")),
        f.at.since_start(),
        f.duration
    )
}

/// Delta debugging (ddmin): the smallest subset found that still fails,
/// removing chunks, then single faults.
fn ddmin(
    s: &mut Shrinker<'_>,
    mut faults: Vec<ScheduledFault>,
) -> Result<Vec<ScheduledFault>, Failure> {
    let mut n = 2usize;
    while faults.len() >= 2 {
        let chunk = faults.len().div_ceil(n);
        let mut reduced = false;
        // A chunk alone.
        for start in (0..faults.len()).step_by(chunk) {
            let subset: Vec<ScheduledFault> =
                faults[start..(start + chunk).min(faults.len())].to_vec();
            if subset.len() < faults.len() && s.fails(&subset)?.is_some() {
                faults = subset;
                n = 2;
                reduced = true;
                break;
            }
        }
        if reduced {
            continue;
        }
        // Everything but a chunk.
        for start in (0..faults.len()).step_by(chunk) {
            let complement: Vec<ScheduledFault> = faults[..start]
                .iter()
                .chain(&faults[(start + chunk).min(faults.len())..])
                .cloned()
                .collect();
            if !complement.is_empty() && s.fails(&complement)?.is_some() {
                faults = complement;
                n = (n - 1).max(2);
                reduced = true;
                break;
            }
        }
        if reduced {
            continue;
        }
        if n >= faults.len() {
            break;
        }
        n = (2 * n).min(faults.len());
    }
    Ok(faults)
}

/// Each fault shortened by halving while the invariant still breaks.
fn shorten(
    s: &mut Shrinker<'_>,
    mut faults: Vec<ScheduledFault>,
) -> Result<Vec<ScheduledFault>, Failure> {
    for i in 0..faults.len() {
        loop {
            let d = faults[i].duration;
            let half = SimDuration::from_micros(d.as_micros() / 2);
            if half < SHORTEST {
                break;
            }
            let mut trial = faults.clone();
            trial[i].duration = half;
            if s.fails(&trial)?.is_some() {
                faults = trial;
            } else {
                break;
            }
        }
    }
    Ok(faults)
}

/// All faults moved earlier together (their first at half its time, while
/// the invariant still breaks), keeping their order and spacing, then each
/// rounded down to a whole minute where that still breaks it.
fn move_earlier(
    s: &mut Shrinker<'_>,
    mut faults: Vec<ScheduledFault>,
) -> Result<Vec<ScheduledFault>, Failure> {
    let warmup = SimTime::from_duration(s.horizon.warmup);
    while let Some(first) = faults.iter().map(|f| f.at).min() {
        let shift = SimDuration::from_micros((first - warmup.min(first)).as_micros() / 2);
        if shift < SimDuration::from_micros(60_000_000) {
            break;
        }
        let trial: Vec<ScheduledFault> = faults
            .iter()
            .map(|f| ScheduledFault {
                at: SimTime::from_micros(f.at.as_micros() - shift.as_micros()),
                ..f.clone()
            })
            .collect();
        if s.fails(&trial)?.is_some() {
            faults = trial;
        } else {
            break;
        }
    }
    let minute = 60_000_000u64;
    for i in 0..faults.len() {
        let at = faults[i].at.as_micros();
        let rounded = SimTime::from_micros(at / minute * minute);
        if rounded != faults[i].at {
            let mut trial = faults.clone();
            trial[i].at = rounded;
            if s.fails(&trial)?.is_some() {
                faults = trial;
            }
        }
    }
    Ok(faults)
}
