//! The transient measure: P(system failure by T) from all-up, with
//! forcing in every window (see the [module documentation](super)).

use sim_core::stats::Welford;
use sim_core::time::{SimDuration, SimTime};

use super::RareError;
use super::estimate::{Diagnostics, Interval, Weights, check_likelihood_ratio};
use super::options::{RareOptions, resolve_bias};
use super::sim::{Sim, Tally};
use super::spec::{Prepared, RareSpec};

/// The fewest hits before the stopping rule trusts a relative error.
pub(super) const MIN_HITS: u64 = 30;

/// What one batch (or a merge of batches) of paths saw.
///
/// A batch is a pure function of the plan and its index; merge batches in
/// index order ([`TransientBatch::merge`]) for bit-identical results.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TransientBatch {
    batches: u64,
    /// Biased: L · 1{failure by T}.
    hit: Welford,
    /// Biased: L at the path's end.
    lr: Welford,
    weights: Weights,
    biased_events: u64,
    plain_paths: u64,
    plain_hits: u64,
    plain_events: u64,
}

impl TransientBatch {
    /// Adds `other`'s paths (merge in batch order).
    pub fn merge(&mut self, other: &TransientBatch) {
        self.batches += other.batches;
        self.hit.merge(&other.hit);
        self.lr.merge(&other.lr);
        self.weights.merge(&other.weights);
        self.biased_events += other.biased_events;
        self.plain_paths += other.plain_paths;
        self.plain_hits += other.plain_hits;
        self.plain_events += other.plain_events;
    }

    /// Batches merged in.
    pub fn batches(&self) -> u64 {
        self.batches
    }

    /// Biased paths.
    pub fn paths(&self) -> u64 {
        self.hit.count()
    }

    /// Biased paths that reached system failure by the horizon.
    pub fn hits(&self) -> u64 {
        self.weights.hits
    }

    /// Events simulated in the batch's paths.
    pub fn events(&self) -> u64 {
        self.plain_events + self.biased_events
    }

    fn push_biased(&mut self, t: &Tally) {
        self.hit.push(t.hit_weight);
        self.lr.push(t.lr());
        if t.hit_at.is_some() {
            self.weights.push(t.hit_weight);
        }
        self.biased_events += t.events;
    }
}

/// P(system failure by T) from all-up, with diagnostics.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transient {
    /// The horizon `T`.
    pub horizon: SimDuration,
    /// P(the first system failure is at or before `T`).
    pub p_fail: Interval,
    /// Biased paths simulated.
    pub paths: u64,
    /// Plain paths simulated (for the plain Monte Carlo work).
    pub plain_paths: u64,
    /// Plain paths that failed by `T`.
    pub plain_hits: u64,
    /// Batches run.
    pub batches: u64,
    /// True if the relative error reached the target.
    pub target_met: bool,
    /// How far the run can be trusted, and what it saved.
    pub diagnostics: Diagnostics,
}

/// A planned transient run: the spec checked, the bias chosen.
#[derive(Clone, Debug)]
pub struct TransientPlan {
    model: Prepared,
    options: RareOptions,
    horizon: SimTime,
    bias: f64,
    pilot_events: u64,
}

impl TransientPlan {
    /// Checks `spec` (every failure law exponential; components may be
    /// unrepaired) and `options`, and chooses the bias.
    pub fn new(
        spec: &RareSpec,
        horizon: SimDuration,
        options: &RareOptions,
    ) -> Result<TransientPlan, RareError> {
        options.validate()?;
        if horizon.is_zero() || horizon == SimDuration::MAX {
            return Err(RareError::BadOption(
                "the horizon must be positive and finite".into(),
            ));
        }
        let model = Prepared::new(spec, false)?;
        let horizon = SimTime::from_duration(horizon);
        let (bias, pilot_events) = resolve_bias(
            options,
            |p, round| {
                let mut sim = Sim::new(
                    &model,
                    options.seed,
                    0,
                    &format!("pilot-paths-{round}"),
                    p,
                    options.max_events_per_sample,
                );
                (0..options.pilot_cycles)
                    .map(|_| sim.path(horizon))
                    .collect()
            },
            |t| t.hit_weight,
        )?;
        Ok(TransientPlan {
            model,
            options: *options,
            horizon,
            bias,
            pilot_events,
        })
    }

    /// The forcing probability the batches use.
    pub fn bias(&self) -> f64 {
        self.bias
    }

    /// Batch `index`: its biased and plain paths, from streams keyed by
    /// `(seed, index, entity, purpose)`.
    pub fn batch(&self, index: u64) -> Result<TransientBatch, RareError> {
        let o = &self.options;
        let max = o.max_events_per_sample;
        let mut b = TransientBatch {
            batches: 1,
            ..TransientBatch::default()
        };
        let mut biased = Sim::new(&self.model, o.seed, index, "paths", self.bias, max);
        for _ in 0..o.biased_per_batch {
            b.push_biased(&biased.path(self.horizon)?);
        }
        let mut plain = Sim::new(&self.model, o.seed, index, "plain-paths", 0.0, max);
        for _ in 0..o.plain_per_batch {
            let t = plain.path(self.horizon)?;
            b.plain_paths += 1;
            b.plain_hits += u64::from(t.hit_at.is_some());
            b.plain_events += t.events;
        }
        Ok(b)
    }

    /// True once the probability's relative error meets the target with at
    /// least 30 hits.
    pub fn target_met(&self, acc: &TransientBatch) -> bool {
        acc.hits() >= MIN_HITS
            && Interval::of_mean(&acc.hit).relative_error <= self.options.target_relative_error
    }

    /// True once the run should stop: target met or budget spent.
    pub fn is_done(&self, acc: &TransientBatch) -> bool {
        acc.batches() >= self.options.max_batches || self.target_met(acc)
    }

    /// The estimate from `acc`, the merge of the batches run (in order).
    ///
    /// Refuses a run whose mean likelihood ratio is more than 3.29
    /// standard errors from 1 ([`RareError::LikelihoodRatio`]).
    pub fn finish(&self, acc: &TransientBatch) -> Result<Transient, RareError> {
        check_likelihood_ratio(&acc.lr, self.bias)?;
        let p = Interval::of_mean(&acc.hit);
        let r = p.relative_error;
        let plain_paths = (1.0 - p.mean) / (p.mean * r * r);
        let per_path = acc.plain_events as f64 / acc.plain_paths.max(1) as f64;
        let diagnostics = Diagnostics::new(
            self.bias,
            acc.paths(),
            &acc.weights,
            &acc.lr,
            acc.events() + self.pilot_events,
            r,
            plain_paths,
            per_path,
        );
        Ok(Transient {
            horizon: self.horizon.since_start(),
            p_fail: p,
            paths: acc.paths(),
            plain_paths: acc.plain_paths,
            plain_hits: acc.plain_hits,
            batches: acc.batches(),
            target_met: self.target_met(acc),
            diagnostics,
        })
    }
}

/// Estimates P(system failure by `horizon`) from all-up: batches `0, 1,
/// 2, ...` in order until the target or the budget (or through
/// [`TransientPlan`], batches in parallel, merged in index order).
pub fn estimate_transient(
    spec: &RareSpec,
    horizon: SimDuration,
    options: &RareOptions,
) -> Result<Transient, RareError> {
    let plan = TransientPlan::new(spec, horizon, options)?;
    let mut acc = TransientBatch::default();
    let mut index = 0;
    while !plan.is_done(&acc) {
        acc.merge(&plan.batch(index)?);
        index += 1;
    }
    plan.finish(&acc)
}
