//! Steady-state measures by the regenerative estimator: unavailability,
//! failure rate, MTTF (see the [module documentation](super)).

use sim_core::stats::Welford;
use sim_core::time::HOURS_PER_YEAR;

use super::estimate::{Diagnostics, Interval, Weights, check_likelihood_ratio};
use super::options::{MainMeasure, RareOptions, resolve_bias};
use super::sim::{Sim, Tally};
use super::spec::{Prepared, RareSpec};
use super::{RareError, transient::MIN_HITS};

/// What one batch (or a merge of batches) of plain and biased cycles saw.
///
/// A batch is a pure function of the plan and its index; merge batches in
/// index order ([`SteadyBatch::merge`]) for bit-identical results.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SteadyBatch {
    batches: u64,
    /// Plain: cycle length τ, hours.
    plain_tau: Welford,
    /// Plain: min(τ, T_F), hours.
    plain_until_failure: Welford,
    plain_events: u64,
    plain_failures: u64,
    /// Biased: Σ L·dt of downtime per cycle, hours.
    down: Welford,
    /// Biased: Σ L over the system failures of a cycle.
    failures: Welford,
    /// Biased: L at the first system failure, 0 without.
    hit: Welford,
    /// Biased: L at the cycle's end.
    lr: Welford,
    /// Biased: L·D², for the plain-MC variance of D.
    down_sq: Welford,
    /// Biased: L·F², for the plain-MC variance of F.
    failures_sq: Welford,
    weights: Weights,
    biased_events: u64,
}

impl SteadyBatch {
    /// Adds `other`'s cycles (merge in batch order).
    pub fn merge(&mut self, other: &SteadyBatch) {
        self.batches += other.batches;
        self.plain_tau.merge(&other.plain_tau);
        self.plain_until_failure.merge(&other.plain_until_failure);
        self.plain_events += other.plain_events;
        self.plain_failures += other.plain_failures;
        self.down.merge(&other.down);
        self.failures.merge(&other.failures);
        self.hit.merge(&other.hit);
        self.lr.merge(&other.lr);
        self.down_sq.merge(&other.down_sq);
        self.failures_sq.merge(&other.failures_sq);
        self.weights.merge(&other.weights);
        self.biased_events += other.biased_events;
    }

    /// Batches merged in.
    pub fn batches(&self) -> u64 {
        self.batches
    }

    /// Plain cycles.
    pub fn plain_cycles(&self) -> u64 {
        self.plain_tau.count()
    }

    /// Biased cycles.
    pub fn biased_cycles(&self) -> u64 {
        self.lr.count()
    }

    /// Biased cycles that reached system failure.
    pub fn hits(&self) -> u64 {
        self.weights.hits
    }

    /// System failures seen in the plain cycles.
    pub fn plain_failures(&self) -> u64 {
        self.plain_failures
    }

    /// Events simulated in the batch's cycles.
    pub fn events(&self) -> u64 {
        self.plain_events + self.biased_events
    }

    fn push_plain(&mut self, t: &Tally) {
        let tau = t.end.as_hours_f64();
        self.plain_tau.push(tau);
        self.plain_until_failure
            .push(t.hit_at.map_or(tau, |h| h.as_hours_f64()));
        self.plain_events += t.events;
        self.plain_failures += u64::from(t.failures);
    }

    fn push_biased(&mut self, t: &Tally) {
        let l = t.lr();
        self.down.push(t.weighted_down);
        self.failures.push(t.weighted_failures);
        self.hit.push(t.hit_weight);
        self.lr.push(l);
        self.down_sq.push(l * t.down_hours * t.down_hours);
        let f = f64::from(t.failures);
        self.failures_sq.push(l * f * f);
        if t.hit_at.is_some() {
            self.weights.push(t.hit_weight);
        }
        self.biased_events += t.events;
    }
}

/// Steady-state estimates of a k-of-n system, with diagnostics.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SteadyState {
    /// Steady-state unavailability `E[D]/E[τ]`.
    pub unavailability: Interval,
    /// System failures per hour, `E[F]/E[τ]`.
    pub failure_rate_per_hour: Interval,
    /// Mean time to failure from all-up, hours:
    /// `E[min(τ, T_F)]/P(T_F < τ)` (infinite, with an undefined interval,
    /// if no biased cycle reached system failure).
    pub mttf_hours: Interval,
    /// `P(T_F < τ)`: the probability that a cycle from all-up reaches
    /// system failure before returning to all-up (the `γ` of Goyal et al.,
    /// and the `gamma_per_h` of `validation/rare-events.json`).
    pub p_cycle_hits_failure: Interval,
    /// The mean cycle length `E[τ]`, hours (plain cycles).
    pub mean_cycle_hours: Interval,
    /// `U · 8760 · 60`.
    pub downtime_minutes_per_year: Interval,
    /// `rate · 8760`.
    pub incidents_per_year: Interval,
    /// Plain cycles simulated.
    pub plain_cycles: u64,
    /// Biased cycles simulated.
    pub biased_cycles: u64,
    /// Batches run.
    pub batches: u64,
    /// True if the main measure reached the target relative error.
    pub target_met: bool,
    /// How far the run can be trusted, and what it saved.
    pub diagnostics: Diagnostics,
}

/// A planned steady-state run: the spec checked, the bias chosen. Its
/// batches can be computed in any order or in parallel.
#[derive(Clone, Debug)]
pub struct SteadyPlan {
    model: Prepared,
    options: RareOptions,
    bias: f64,
    pilot_events: u64,
}

impl SteadyPlan {
    /// Checks `spec` (every failure law exponential, every component
    /// repaired) and `options`, and chooses the bias (running the
    /// cross-entropy pilot for [`Bias::Auto`](super::Bias::Auto)).
    pub fn new(spec: &RareSpec, options: &RareOptions) -> Result<SteadyPlan, RareError> {
        options.validate()?;
        let model = Prepared::new(spec, true)?;
        let main = options.main;
        let (bias, pilot_events) = resolve_bias(
            options,
            |p, round| {
                let mut sim = Sim::new(
                    &model,
                    options.seed,
                    0,
                    &format!("pilot-{round}"),
                    p,
                    options.max_events_per_sample,
                );
                (0..options.pilot_cycles).map(|_| sim.cycle()).collect()
            },
            |t| match main {
                MainMeasure::Unavailability => t.weighted_down,
                MainMeasure::FailureRate => t.weighted_failures,
                MainMeasure::Mttf => t.hit_weight,
            },
        )?;
        Ok(SteadyPlan {
            model,
            options: *options,
            bias,
            pilot_events,
        })
    }

    /// The forcing probability the batches use.
    pub fn bias(&self) -> f64 {
        self.bias
    }

    /// Events the bias pilot simulated (0 for a fixed bias).
    pub fn pilot_events(&self) -> u64 {
        self.pilot_events
    }

    /// Batch `index`: its plain and biased cycles, from streams keyed by
    /// `(seed, index, entity, purpose)`.
    pub fn batch(&self, index: u64) -> Result<SteadyBatch, RareError> {
        let o = &self.options;
        let mut b = SteadyBatch {
            batches: 1,
            ..SteadyBatch::default()
        };
        let max = o.max_events_per_sample;
        let mut plain = Sim::new(&self.model, o.seed, index, "plain", 0.0, max);
        for _ in 0..o.plain_per_batch {
            b.push_plain(&plain.cycle()?);
        }
        let mut biased = Sim::new(&self.model, o.seed, index, "biased", self.bias, max);
        for _ in 0..o.biased_per_batch {
            b.push_biased(&biased.cycle()?);
        }
        Ok(b)
    }

    /// True once `acc` meets the target relative error on the main measure
    /// with at least 30 hits.
    pub fn target_met(&self, acc: &SteadyBatch) -> bool {
        let e = self.estimates(acc);
        acc.hits() >= MIN_HITS && e.main().relative_error <= self.options.target_relative_error
    }

    /// True once the run should stop: the target is met or the budget of
    /// batches is spent.
    pub fn is_done(&self, acc: &SteadyBatch) -> bool {
        acc.batches() >= self.options.max_batches || self.target_met(acc)
    }

    fn estimates(&self, acc: &SteadyBatch) -> Estimates {
        let tau = Interval::of_mean(&acc.plain_tau);
        let u = Interval::ratio(&acc.down, &acc.plain_tau);
        let rate = Interval::ratio(&acc.failures, &acc.plain_tau);
        let gamma = Interval::of_mean(&acc.hit);
        let mttf = Interval::ratio(&acc.plain_until_failure, &acc.hit);
        Estimates {
            main: self.options.main,
            tau,
            u,
            rate,
            gamma,
            mttf,
        }
    }

    /// The estimates from `acc`, the merge of the batches run (in order).
    ///
    /// Refuses a run whose mean likelihood ratio is more than 3.29
    /// standard errors from 1 ([`RareError::LikelihoodRatio`]).
    pub fn finish(&self, acc: &SteadyBatch) -> Result<SteadyState, RareError> {
        check_likelihood_ratio(&acc.lr, self.bias)?;
        let e = self.estimates(acc);
        let r = e.main().relative_error;
        let tau = &acc.plain_tau;
        let n_tau = tau.count() as f64;
        let tau_sq = tau.mean() * tau.mean() + tau.variance() * (n_tau - 1.0) / n_tau;
        let second = |sq: &Welford, first: &Welford, ratio: f64| {
            (sq.mean() + ratio * ratio * tau_sq) / (first.mean() * first.mean() * r * r)
        };
        let plain_cycles = match self.options.main {
            MainMeasure::Unavailability => second(&acc.down_sq, &acc.down, e.u.mean),
            MainMeasure::FailureRate => second(&acc.failures_sq, &acc.failures, e.rate.mean),
            MainMeasure::Mttf => (1.0 - e.gamma.mean) / (e.gamma.mean * r * r),
        };
        let per_cycle = acc.plain_events as f64 / n_tau;
        let events = acc.events() + self.pilot_events;
        let diagnostics = Diagnostics::new(
            self.bias,
            acc.biased_cycles(),
            &acc.weights,
            &acc.lr,
            events,
            r,
            plain_cycles,
            per_cycle,
        );
        Ok(SteadyState {
            unavailability: e.u,
            failure_rate_per_hour: e.rate,
            mttf_hours: e.mttf,
            p_cycle_hits_failure: e.gamma,
            mean_cycle_hours: e.tau,
            downtime_minutes_per_year: e.u.scaled(HOURS_PER_YEAR * 60.0),
            incidents_per_year: e.rate.scaled(HOURS_PER_YEAR),
            plain_cycles: acc.plain_cycles(),
            biased_cycles: acc.biased_cycles(),
            batches: acc.batches(),
            target_met: self.target_met(acc),
            diagnostics,
        })
    }
}

/// The ratio estimates of a merged sample.
struct Estimates {
    main: MainMeasure,
    tau: Interval,
    u: Interval,
    rate: Interval,
    gamma: Interval,
    mttf: Interval,
}

impl Estimates {
    fn main(&self) -> Interval {
        match self.main {
            MainMeasure::Unavailability => self.u,
            MainMeasure::FailureRate => self.rate,
            MainMeasure::Mttf => self.mttf,
        }
    }
}

/// Estimates the steady-state measures of `spec`: batches `0, 1, 2, ...`
/// run in order until the main measure's relative error meets the target
/// or the budget is spent (a caller may run batches in parallel instead,
/// through [`SteadyPlan`], and merge them in index order).
pub fn estimate_steady_state(
    spec: &RareSpec,
    options: &RareOptions,
) -> Result<SteadyState, RareError> {
    let plan = SteadyPlan::new(spec, options)?;
    let mut acc = SteadyBatch::default();
    let mut index = 0;
    while !plan.is_done(&acc) {
        acc.merge(&plan.batch(index)?);
        index += 1;
    }
    plan.finish(&acc)
}
