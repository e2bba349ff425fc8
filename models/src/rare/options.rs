//! Options of a rare-event run: the bias, the mode, the stopping rule; the
//! plain pilot behind `--rare-event auto` and the cross-entropy pilot
//! behind `--bias auto`.

use sim_core::time::SimTime;

use super::RareError;
use super::sim::{Sim, Tally};
use super::spec::{Prepared, RareSpec};

/// The forcing probability of window forcing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bias {
    /// Force with this probability in `[0, 1)`; 0.5 is the balanced
    /// default, 0 is plain Monte Carlo.
    Fixed(f64),
    /// Choose it by a short cross-entropy pilot, in `[0.1, 0.9]`.
    Auto,
}

/// Whether to estimate by importance sampling (`--rare-event`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Plain simulation only.
    Off,
    /// Importance sampling when a plain pilot sees too few failures
    /// ([`needs_biasing`]).
    Auto,
    /// Balanced failure biasing, always.
    Bfb,
}

impl Mode {
    /// True when a run in this mode should use importance sampling, given a
    /// plain pilot (only [`Mode::Auto`] reads it).
    pub fn uses_biasing(self, pilot: &PlainPilot) -> bool {
        match self {
            Mode::Off => false,
            Mode::Bfb => true,
            Mode::Auto => needs_biasing(pilot),
        }
    }
}

/// The measure whose relative error stops a steady-state run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MainMeasure {
    /// The steady-state unavailability.
    Unavailability,
    /// The rate of system failures.
    FailureRate,
    /// The mean time to failure from all-up.
    Mttf,
}

/// The options of a rare-event run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RareOptions {
    /// The root seed of every random stream.
    pub seed: u64,
    /// The forcing probability.
    pub bias: Bias,
    /// The measure the stopping rule reads (steady state only; a transient
    /// run reads its probability).
    pub main: MainMeasure,
    /// Stop once the main measure's relative error (standard error / mean)
    /// is at most this (and at least 30 hits were seen).
    pub target_relative_error: f64,
    /// Biased cycles (or paths) per batch.
    pub biased_per_batch: u64,
    /// Plain cycles (or paths) per batch.
    pub plain_per_batch: u64,
    /// The budget: stop after this many batches even if the target is not
    /// met.
    pub max_batches: u64,
    /// Biased cycles (or paths) in each round of the cross-entropy pilot of
    /// [`Bias::Auto`].
    pub pilot_cycles: u64,
    /// The most events one cycle or path may take before the run is
    /// refused ([`RareError::TooManyEvents`]).
    pub max_events_per_sample: u64,
}

impl Default for RareOptions {
    fn default() -> Self {
        RareOptions {
            seed: 1,
            bias: Bias::Fixed(0.5),
            main: MainMeasure::Unavailability,
            target_relative_error: 0.1,
            biased_per_batch: 2000,
            plain_per_batch: 500,
            max_batches: 200,
            pilot_cycles: 2000,
            max_events_per_sample: 1_000_000,
        }
    }
}

impl RareOptions {
    /// Checks the ranges.
    pub(super) fn validate(&self) -> Result<(), RareError> {
        if let Bias::Fixed(p) = self.bias
            && !(0.0..1.0).contains(&p)
        {
            return Err(RareError::BadBias(p));
        }
        let bad = |what: &str| Err(RareError::BadOption(what.to_string()));
        if !(self.target_relative_error > 0.0 && self.target_relative_error.is_finite()) {
            return bad("the target relative error must be a positive number");
        }
        if self.biased_per_batch < 2 || self.plain_per_batch < 2 {
            return bad("a batch needs at least 2 biased and 2 plain samples");
        }
        if self.max_batches == 0 {
            return bad("the budget must allow at least one batch");
        }
        if self.bias == Bias::Auto && self.pilot_cycles < 2 {
            return bad("the bias pilot needs at least 2 cycles per round");
        }
        if self.max_events_per_sample == 0 {
            return bad("the event limit per cycle must be positive");
        }
        Ok(())
    }
}

/// What a plain pilot saw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlainPilot {
    /// Plain cycles (or paths) simulated.
    pub samples: u64,
    /// System failures seen.
    pub system_failures: u64,
    /// Events simulated.
    pub events: u64,
    /// Hours simulated.
    pub hours: f64,
}

/// The fewest system failures a plain pilot must see for plain Monte Carlo
/// to be trusted.
pub const PLAIN_PILOT_MIN_FAILURES: u64 = 30;

/// True when a plain pilot saw fewer than 30 system failures: plain Monte
/// Carlo would be too slow, use importance sampling.
pub fn needs_biasing(pilot: &PlainPilot) -> bool {
    pilot.system_failures < PLAIN_PILOT_MIN_FAILURES
}

/// Runs `cycles` plain regenerative cycles (streams of phase `mode-pilot`)
/// and counts the system failures.
pub fn plain_pilot(spec: &RareSpec, seed: u64, cycles: u64) -> Result<PlainPilot, RareError> {
    let model = Prepared::new(spec, true)?;
    let mut sim = Sim::new(&model, seed, 0, "mode-pilot", 0.0, u64::MAX);
    let mut pilot = PlainPilot {
        samples: cycles,
        system_failures: 0,
        events: 0,
        hours: 0.0,
    };
    for _ in 0..cycles {
        let t = sim.cycle()?;
        pilot.system_failures += u64::from(t.failures);
        pilot.events += t.events;
        pilot.hours += t.end.as_hours_f64();
    }
    Ok(pilot)
}

/// Runs `paths` plain paths from all-up to `horizon` (streams of phase
/// `mode-pilot-paths`) and counts the paths that reached system failure.
pub fn plain_transient_pilot(
    spec: &RareSpec,
    horizon: SimTime,
    seed: u64,
    paths: u64,
) -> Result<PlainPilot, RareError> {
    let model = Prepared::new(spec, false)?;
    let mut sim = Sim::new(&model, seed, 0, "mode-pilot-paths", 0.0, u64::MAX);
    let mut pilot = PlainPilot {
        samples: paths,
        system_failures: 0,
        events: 0,
        hours: 0.0,
    };
    for _ in 0..paths {
        let t = sim.path(horizon)?;
        pilot.system_failures += u64::from(t.hit_at.is_some());
        pilot.events += t.events;
        pilot.hours += t.end.as_hours_f64();
    }
    Ok(pilot)
}

/// The forcing probability for `options`: the fixed one, or the result of
/// the cross-entropy pilot. `run(p, round)` simulates one round's biased
/// samples with bias `p`; `score` is a sample's weighted contribution to
/// the main measure. Returns the bias and the pilot's events.
pub(super) fn resolve_bias(
    options: &RareOptions,
    mut run: impl FnMut(f64, u64) -> Result<Vec<Tally>, RareError>,
    score: impl Fn(&Tally) -> f64,
) -> Result<(f64, u64), RareError> {
    match options.bias {
        Bias::Fixed(p) => Ok((p, 0)),
        Bias::Auto => {
            let mut p = 0.5;
            let mut events = 0;
            for round in 0..3 {
                let tallies = run(p, round)?;
                let (mut num, mut den) = (0.0, 0.0);
                for t in &tallies {
                    events += t.events;
                    let g = score(t);
                    num += g * t.forced_posterior;
                    den += g * f64::from(t.windows);
                }
                if den > 0.0 && (num / den).is_finite() {
                    p = (num / den).clamp(0.1, 0.9);
                }
            }
            Ok((p, events))
        }
    }
}
