//! Estimates with normal 95% intervals, ratio estimators by the delta
//! method, weight statistics and the likelihood-ratio check.

use sim_core::stats::Welford;

use super::RareError;

/// The 0.975 quantile of the standard normal distribution.
pub(super) const Z_95: f64 = 1.959_963_984_540_054;

/// How many standard errors the mean likelihood ratio may be from 1.
pub(super) const LR_TOLERANCE_SE: f64 = 3.29;

/// An estimate with its 95% normal confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The point estimate.
    pub mean: f64,
    /// Its standard error.
    pub std_error: f64,
    /// The lower end of the 95% interval, `mean − 1.96·std_error`.
    pub low: f64,
    /// The upper end of the 95% interval, `mean + 1.96·std_error`.
    pub high: f64,
    /// `std_error / |mean|` (half-width / 1.96 / mean); infinite for a zero
    /// mean.
    pub relative_error: f64,
}

impl Interval {
    /// The interval `mean ± 1.96·std_error`.
    pub fn new(mean: f64, std_error: f64) -> Interval {
        let relative_error = if mean != 0.0 && mean.is_finite() {
            std_error / mean.abs()
        } else {
            f64::INFINITY
        };
        Interval {
            mean,
            std_error,
            low: mean - Z_95 * std_error,
            high: mean + Z_95 * std_error,
            relative_error,
        }
    }

    /// The half-width of the 95% interval.
    pub fn half_width(&self) -> f64 {
        Z_95 * self.std_error
    }

    /// True when `value` is within `k` standard errors of the estimate.
    pub fn within(&self, value: f64, k: f64) -> bool {
        (self.mean - value).abs() <= k * self.std_error
    }

    /// The estimate multiplied by a constant.
    pub(super) fn scaled(&self, factor: f64) -> Interval {
        Interval::new(self.mean * factor, self.std_error * factor.abs())
    }

    /// The mean of the values `w` has seen.
    pub(super) fn of_mean(w: &Welford) -> Interval {
        Interval::new(w.mean(), se(w))
    }

    /// The ratio of the means of two independent samples, by the delta
    /// method: `se² = se_a²/b² + a²·se_b²/b⁴`.
    pub(super) fn ratio(a: &Welford, b: &Welford) -> Interval {
        let (ma, mb) = (a.mean(), b.mean());
        let (sa, sb) = (se(a), se(b));
        let var = sa * sa / (mb * mb) + ma * ma * sb * sb / (mb * mb * mb * mb);
        Interval::new(ma / mb, var.sqrt())
    }
}

/// The standard error of a mean, zero for a constant sample and NaN with
/// fewer than two values.
fn se(w: &Welford) -> f64 {
    if w.count() < 2 {
        f64::NAN
    } else {
        w.std_error()
    }
}

/// The weights of the hits (the likelihood ratio at each first system
/// failure), for the effective sample size.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Weights {
    /// How many hits.
    pub(super) hits: u64,
    /// Σ w.
    pub(super) sum: f64,
    /// Σ w².
    pub(super) sum_sq: f64,
    /// The largest w.
    pub(super) max: f64,
}

impl Weights {
    pub(super) fn push(&mut self, w: f64) {
        self.hits += 1;
        self.sum += w;
        self.sum_sq += w * w;
        self.max = self.max.max(w);
    }

    pub(super) fn merge(&mut self, other: &Weights) {
        self.hits += other.hits;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
        self.max = self.max.max(other.max);
    }

    /// Kish's effective sample size `(Σw)² / Σw²` (0 without hits).
    pub(super) fn ess(&self) -> f64 {
        if self.sum_sq > 0.0 {
            self.sum * self.sum / self.sum_sq
        } else {
            0.0
        }
    }

    /// The largest weight's share of `Σw` (0 without hits).
    pub(super) fn max_share(&self) -> f64 {
        if self.sum > 0.0 {
            self.max / self.sum
        } else {
            0.0
        }
    }
}

/// How far an importance-sampling run can be trusted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Diagnostics {
    /// The forcing probability used.
    pub bias: f64,
    /// Biased cycles (steady state) or paths (transient).
    pub samples: u64,
    /// Biased cycles or paths that reached system failure.
    pub hits: u64,
    /// Kish's effective sample size `(Σw)²/Σw²` of the hits' weights (the
    /// likelihood ratio at each first system failure); equal to `hits`
    /// when every weight is the same.
    pub effective_sample_size: f64,
    /// The largest hit weight's share of the sum of the hits' weights.
    pub max_weight_share: f64,
    /// The mean likelihood ratio over all biased cycles or paths, with its
    /// interval: it must be 1.
    pub mean_likelihood_ratio: Interval,
    /// Events simulated in all: plain and biased samples and any pilot.
    pub events: u64,
    /// The relative error of the main measure.
    pub relative_error: f64,
    /// Plain Monte Carlo cycles (or paths) needed for the same relative
    /// error (see the [module documentation](super)).
    pub plain_mc_samples_needed: f64,
    /// Plain Monte Carlo events needed for the same relative error.
    pub plain_mc_events_needed: f64,
    /// `plain_mc_events_needed / events`.
    pub speedup: f64,
}

impl Diagnostics {
    /// Assembles diagnostics from the run's tallies.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        bias: f64,
        samples: u64,
        weights: &Weights,
        lr: &Welford,
        events: u64,
        relative_error: f64,
        plain_samples: f64,
        plain_events_per_sample: f64,
    ) -> Diagnostics {
        let plain_events = plain_samples * plain_events_per_sample;
        Diagnostics {
            bias,
            samples,
            hits: weights.hits,
            effective_sample_size: weights.ess(),
            max_weight_share: weights.max_share(),
            mean_likelihood_ratio: Interval::of_mean(lr),
            events,
            relative_error,
            plain_mc_samples_needed: plain_samples,
            plain_mc_events_needed: plain_events,
            speedup: plain_events / events.max(1) as f64,
        }
    }
}

/// Checks that the mean of the likelihood ratios `lr` has seen is within
/// 3.29 standard errors of 1, as it must be for any valid change of
/// measure; `bias` is named in the error, which says to lower it.
///
/// A constant sample (standard error 0) passes only if it is exactly 1;
/// fewer than two values pass (there is nothing to judge).
pub fn check_likelihood_ratio(lr: &Welford, bias: f64) -> Result<(), RareError> {
    if lr.count() < 2 {
        return Ok(());
    }
    let (mean, se) = (lr.mean(), lr.std_error());
    let ok = (mean - 1.0).abs() <= LR_TOLERANCE_SE * se || mean == 1.0;
    if ok && mean.is_finite() {
        Ok(())
    } else {
        Err(RareError::LikelihoodRatio {
            mean,
            std_error: se,
            bias,
            samples: lr.count(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn welford(xs: &[f64]) -> Welford {
        let mut w = Welford::new();
        xs.iter().for_each(|&x| w.push(x));
        w
    }

    #[test]
    fn the_check_refuses_weights_that_do_not_average_to_one() {
        // A degenerate bias: almost every cycle carries a tiny weight, the
        // rare natural-looking ones (which would carry the mass) not seen.
        let mut xs = vec![1e-4; 999];
        xs.push(2e-4);
        let err = check_likelihood_ratio(&welford(&xs), 0.999).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("lower the bias"), "{text}");
        assert!(text.contains("0.999"), "{text}");
        // Weights that do average to one pass.
        let ok: Vec<f64> = (0..1000)
            .map(|i| if i % 2 == 0 { 1.9 } else { 0.1 })
            .collect();
        check_likelihood_ratio(&welford(&ok), 0.5).unwrap();
        // Plain Monte Carlo: every weight exactly 1.
        check_likelihood_ratio(&welford(&[1.0; 10]), 0.0).unwrap();
        // Constant but not 1: refused.
        assert!(check_likelihood_ratio(&welford(&[0.5; 10]), 0.5).is_err());
    }

    #[test]
    fn ratio_by_the_delta_method() {
        let a = welford(&[1.0, 3.0]); // mean 2, se 1
        let b = welford(&[4.0, 4.0]); // mean 4, se 0
        let r = Interval::ratio(&a, &b);
        assert_eq!(r.mean, 0.5);
        assert!((r.std_error - 0.25).abs() < 1e-15);
        assert!((r.relative_error - 0.5).abs() < 1e-15);
    }

    #[test]
    fn kish_ess() {
        let mut w = Weights::default();
        for x in [1.0, 1.0, 1.0, 1.0] {
            w.push(x);
        }
        assert_eq!(w.ess(), 4.0);
        assert_eq!(w.max_share(), 0.25);
        w.push(100.0);
        assert!(w.ess() < 1.1);
    }
}
