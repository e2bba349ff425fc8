//! Batch means: a confidence interval from one long run instead of
//! independent replications.
//!
//! One long run yields a series of observations (the downtime fraction of
//! consecutive equal windows, say) that are neither independent nor, at
//! first, stationary. Batch means deals with both:
//!
//! 1. [`mser_truncation`] finds the warm-up to cut by MSER-5 (White, 1997;
//!    Franklin and White, 2008): group the observations five by five, and
//!    cut the number of groups `d` that minimises the marginal standard
//!    error of the groups that remain, `Σ_{j>d} (Z_j − Z̄_d)² / (g − d)²`,
//!    searching only the first half of the run.
//! 2. [`BatchMeans::analyse`] cuts the rest into equal batches, starting
//!    from many small ones, and merges adjacent pairs (halving the count,
//!    doubling the size) while the lag-1 autocorrelation of the batch means
//!    ([`lag1_autocorrelation`]) is at or above a threshold and enough
//!    batches would remain.
//! 3. The batch means are then treated as independent: a Student-t
//!    interval over them ([`BatchMeans::estimate`]).
//!
//! Everything is a pure function of the series, so the result is as
//! deterministic as the run that produced it. Memory is the series itself,
//! whose length the caller fixes (a fixed number of windows, whatever the
//! horizon).
//!
//! ```
//! use sim_core::stats::batch::{BatchMeans, BatchOptions};
//! use sim_core::stats::CONFIDENCE_95;
//!
//! // A transient of 50 observations at 5, then alternating 1 and 3.
//! let xs: Vec<f64> = (0..1000)
//!     .map(|i| if i < 50 { 5.0 } else if i % 2 == 0 { 1.0 } else { 3.0 })
//!     .collect();
//! let b = BatchMeans::analyse(&xs, BatchOptions::default()).unwrap();
//! assert!(b.mser_cut >= 50 && b.mser_cut <= 55);
//! let e = b.estimate(CONFIDENCE_95).unwrap();
//! assert!((e.mean - 2.0).abs() < 0.01);
//! ```

use super::{Estimate, Welford};

/// The group size of MSER-5: observations are averaged five by five
/// before the truncation point is chosen.
pub const MSER_GROUP: usize = 5;

/// The lag-1 autocorrelation of a series: `Σ (x_i − x̄)(x_{i+1} − x̄) /
/// Σ (x_i − x̄)²`, the usual estimator (biased towards zero by about
/// `1/n`).
///
/// Returns NaN for fewer than two values, and 0 for a constant series
/// (nothing suggests correlation).
pub fn lag1_autocorrelation(xs: &[f64]) -> f64 {
    if xs.len() < 2 {
        return f64::NAN;
    }
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let denominator: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
    if denominator <= 0.0 {
        return 0.0;
    }
    let numerator: f64 = xs.windows(2).map(|w| (w[0] - mean) * (w[1] - mean)).sum();
    numerator / denominator
}

/// The means of consecutive batches of `size` observations, from the
/// first; a last, incomplete batch is left out. Empty if `size` is 0.
pub fn batch_series(xs: &[f64], size: usize) -> Vec<f64> {
    if size == 0 {
        return Vec::new();
    }
    xs.chunks_exact(size)
        .map(|c| c.iter().sum::<f64>() / size as f64)
        .collect()
}

/// Merges adjacent pairs of equal batches: the mean of batches `2i` and
/// `2i + 1`. An odd last batch is left out.
pub fn merge_pairs(means: &[f64]) -> Vec<f64> {
    means.chunks_exact(2).map(|p| 0.5 * (p[0] + p[1])).collect()
}

/// MSER-`group`: how many observations to cut from the start of `xs` as
/// warm-up, a multiple of `group`.
///
/// The observations are averaged in consecutive groups of `group` (a last,
/// incomplete group is left out), giving `Z_1..Z_g`; the cut is `group · d`
/// for the `d` in `0..=g/2` that minimises `Σ_{j>d} (Z_j − Z̄_d)² / (g −
/// d)²`, the first such `d` on ties (so a stationary or constant series
/// loses nothing it need not). At most half of the groups are ever cut.
/// Returns 0 when there are fewer than two groups or `group` is 0.
pub fn mser_truncation(xs: &[f64], group: usize) -> usize {
    mser_truncation_within(xs, group, usize::MAX)
}

/// [`mser_truncation`] searching only the cuts of at most `limit`
/// observations (and, as there, at most half the groups).
pub fn mser_truncation_within(xs: &[f64], group: usize, limit: usize) -> usize {
    let z = batch_series(xs, group);
    let g = z.len();
    if g < 2 {
        return 0;
    }
    let last = (g / 2).min(limit / group.max(1));
    // Running mean and sum of squared deviations of the suffix z[d..],
    // built from the end (Welford, for accuracy with values near zero).
    let mut suffix = Welford::new();
    let mut statistic = vec![0.0; last + 1];
    for d in (0..g).rev() {
        suffix.push(z[d]);
        if d <= last {
            let m = (g - d) as f64;
            let sum_squares = if suffix.count() < 2 {
                0.0
            } else {
                suffix.variance() * (m - 1.0)
            };
            statistic[d] = sum_squares / (m * m);
        }
    }
    let mut best = 0;
    for (d, &s) in statistic.iter().enumerate() {
        if s < statistic[best] {
            best = d;
        }
    }
    best * group
}

/// How [`BatchMeans::analyse`] chooses the batches.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchOptions {
    /// The number of batches to start from (halved by each merge).
    pub initial_batches: usize,
    /// No merge leaves fewer batches than this.
    pub min_batches: usize,
    /// Batches are merged while the lag-1 autocorrelation of their means
    /// is at or above this.
    pub max_lag1: f64,
    /// The group size of the MSER warm-up cut ([`MSER_GROUP`]); 0 cuts
    /// nothing.
    pub mser_group: usize,
    /// The MSER cut is searched among the first this many observations
    /// only (`usize::MAX`: the first half of the series). A rule free to
    /// cut half the run cuts, preferentially, stretches that saw a rare
    /// event, and biases the mean towards the run without it; a limit of
    /// a few relaxation times keeps what a warm-up is for.
    pub max_cut: usize,
}

impl Default for BatchOptions {
    /// 160 batches to start (so that halving reaches exactly 10: 160, 80,
    /// 40, 20, 10), at least 10, merged while the lag-1 autocorrelation is
    /// 0.2 or more; MSER-5 over the first half.
    fn default() -> Self {
        BatchOptions {
            initial_batches: 160,
            min_batches: 10,
            max_lag1: 0.2,
            mser_group: MSER_GROUP,
            max_cut: usize::MAX,
        }
    }
}

/// The batches chosen for one series, and their means.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchMeans {
    /// Observations cut from the start by the MSER rule.
    pub mser_cut: usize,
    /// Every observation left out at the start: the MSER cut, plus the
    /// few more that make the rest split into whole batches. The batches
    /// cover `xs[cut..]` exactly.
    pub cut: usize,
    /// Observations per batch.
    pub batch_size: usize,
    /// The mean of each batch, in order.
    pub means: Vec<f64>,
    /// The lag-1 autocorrelation of the batch means.
    pub lag1: f64,
    /// True when `lag1` is below the threshold; false when merging stopped
    /// at the fewest batches allowed with the means still correlated (the
    /// interval is then likely too narrow: the run should be longer).
    pub uncorrelated: bool,
}

impl BatchMeans {
    /// Cuts the warm-up of `xs` (MSER, within `options.max_cut`), splits the rest into
    /// `options.initial_batches` equal batches (dropping the remainder at
    /// the start, with the warm-up), then merges adjacent pairs while the
    /// lag-1 autocorrelation of the means is at or above `options.max_lag1`
    /// and at least `options.min_batches` would remain (with an odd count,
    /// the first batch joins the cut before merging).
    ///
    /// With fewer observations after the cut than `initial_batches`, each
    /// observation starts as its own batch. Returns `None` when fewer than
    /// two batches are possible (no interval exists), or when
    /// `initial_batches` is below 2.
    pub fn analyse(xs: &[f64], options: BatchOptions) -> Option<BatchMeans> {
        if options.initial_batches < 2 {
            return None;
        }
        let mser_cut = mser_truncation_within(xs, options.mser_group, options.max_cut);
        let rest = xs.len() - mser_cut;
        let batches = options.initial_batches.min(rest);
        if batches < 2 {
            return None;
        }
        let mut batch_size = rest / batches;
        let mut cut = xs.len() - batch_size * batches;
        let mut means = batch_series(&xs[cut..], batch_size);
        let mut lag1 = lag1_autocorrelation(&means);
        while lag1 >= options.max_lag1 && means.len() / 2 >= options.min_batches.max(2) {
            if means.len() % 2 == 1 {
                // Pairs need an even count: the first batch joins the cut,
                // so the batches still end where the series ends.
                means.remove(0);
                cut += batch_size;
            }
            means = merge_pairs(&means);
            batch_size *= 2;
            lag1 = lag1_autocorrelation(&means);
        }
        Some(BatchMeans {
            mser_cut,
            cut,
            batch_size,
            uncorrelated: lag1 < options.max_lag1,
            lag1,
            means,
        })
    }

    /// The number of batches.
    pub fn batches(&self) -> usize {
        self.means.len()
    }

    /// The mean of the batch means with a Student-t interval at
    /// `confidence` (`batches − 1` degrees of freedom), treating the batch
    /// means as independent; `None` as [`Estimate::from_welford`] says.
    pub fn estimate(&self, confidence: f64) -> Option<Estimate> {
        let mut w = Welford::new();
        for &m in &self.means {
            w.push(m);
        }
        Estimate::from_welford(&w, confidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::RngStream;
    use crate::stats::CONFIDENCE_95;

    /// Standard normal variates by Box–Muller from a named stream.
    fn normals(n: usize, purpose: &str) -> Vec<f64> {
        let mut rng = RngStream::new(11, 0, "test", purpose);
        (0..n)
            .map(|_| {
                let (u, v) = (rng.open01(), rng.open01());
                (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
            })
            .collect()
    }

    /// An AR(1) series `x_t = φ x_{t−1} + e_t` started at its stationary
    /// distribution.
    fn ar1(n: usize, phi: f64) -> Vec<f64> {
        let e = normals(n, "ar1");
        let mut x = e[0] / (1.0 - phi * phi).sqrt();
        let mut xs = Vec::with_capacity(n);
        for &shock in &e {
            xs.push(x);
            x = phi * x + shock;
        }
        xs
    }

    #[test]
    fn lag1_of_known_series() {
        assert!(lag1_autocorrelation(&[1.0]).is_nan());
        assert_eq!(lag1_autocorrelation(&[2.0; 10]), 0.0);
        // Alternating: strongly negative.
        let alt: Vec<f64> = (0..100).map(|i| (i % 2) as f64).collect();
        assert!(lag1_autocorrelation(&alt) < -0.95);
        // A ramp: strongly positive.
        let ramp: Vec<f64> = (0..100).map(f64::from).collect();
        assert!(lag1_autocorrelation(&ramp) > 0.95);
        // [1, 2, 3]: mean 2, numerator (−1)(0) + (0)(1) = 0.
        assert_eq!(lag1_autocorrelation(&[1.0, 2.0, 3.0]), 0.0);
        // White noise: near zero; AR(1) with φ = 0.8: near 0.8.
        assert!(lag1_autocorrelation(&normals(20_000, "white")).abs() < 0.03);
        assert!((lag1_autocorrelation(&ar1(20_000, 0.8)) - 0.8).abs() < 0.03);
    }

    #[test]
    fn batches_and_merges() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        assert_eq!(batch_series(&xs, 2), vec![1.5, 3.5, 5.5]);
        assert_eq!(batch_series(&xs, 3), vec![2.0, 5.0]);
        assert!(batch_series(&xs, 0).is_empty());
        assert_eq!(merge_pairs(&[1.0, 3.0, 5.0, 9.0, 100.0]), vec![2.0, 7.0]);
    }

    #[test]
    fn mser5_finds_a_transient() {
        // 100 observations decaying from 10, then noise around 0.
        let noise = normals(2000, "mser");
        let xs: Vec<f64> = noise
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let transient = if i < 100 {
                    10.0 * (1.0 - i as f64 / 100.0)
                } else {
                    0.0
                };
                transient + 0.5 * e
            })
            .collect();
        let cut = mser_truncation(&xs, MSER_GROUP);
        assert_eq!(cut % MSER_GROUP, 0);
        assert!((70..=150).contains(&cut), "cut {cut}");
        // A stationary series keeps (almost) everything; a constant one
        // loses nothing; a tiny series is left alone.
        assert!(mser_truncation(&noise, MSER_GROUP) <= 200);
        assert_eq!(mser_truncation(&[3.0; 500], MSER_GROUP), 0);
        assert_eq!(mser_truncation(&[1.0, 2.0, 3.0], MSER_GROUP), 0);
        assert_eq!(mser_truncation(&xs, 0), 0);
    }

    #[test]
    fn mser5_never_cuts_more_than_half() {
        // A series that only settles in its last quarter: the rule may not
        // chase it past the middle.
        let xs: Vec<f64> = (0..1000)
            .map(|i| if i < 750 { 1000.0 - i as f64 } else { 0.0 })
            .collect();
        let cut = mser_truncation(&xs, MSER_GROUP);
        assert!(cut <= 500, "cut {cut}");
        assert_eq!(cut, 500);
    }

    #[test]
    fn mser5_within_a_limit_cuts_no_further() {
        // The same series: searched within 120 observations, the cut is
        // the best of those, a whole number of groups.
        let xs: Vec<f64> = (0..1000)
            .map(|i| if i < 750 { 1000.0 - i as f64 } else { 0.0 })
            .collect();
        assert_eq!(mser_truncation_within(&xs, MSER_GROUP, 120), 120);
        assert_eq!(mser_truncation_within(&xs, MSER_GROUP, 4), 0);
        assert_eq!(mser_truncation_within(&xs, MSER_GROUP, usize::MAX), 500);
        // Through the options: the batches start no later than the limit
        // (plus what whole batches leave over).
        let options = BatchOptions {
            max_cut: 50,
            ..BatchOptions::default()
        };
        let b = BatchMeans::analyse(&xs, options).unwrap();
        assert_eq!(b.mser_cut, 50);
    }

    #[test]
    fn correlated_series_get_larger_batches_than_white_noise() {
        let options = BatchOptions::default();
        let white = BatchMeans::analyse(&normals(2560, "white"), options).unwrap();
        let ar = BatchMeans::analyse(&ar1(2560, 0.95), options).unwrap();
        assert_eq!(white.batches(), 160, "lag1 {}", white.lag1);
        assert!(white.uncorrelated);
        assert!(ar.batch_size > white.batch_size, "{ar:?}");
        assert!(ar.batches() < white.batches());
        assert!(ar.batches() >= options.min_batches);
        // The batches cover the series after the cut exactly.
        for b in [&white, &ar] {
            assert_eq!(b.cut + b.batches() * b.batch_size, 2560);
            assert!(b.cut >= b.mser_cut);
        }
        // Merging stops at the floor even if the means stay correlated.
        let ramp: Vec<f64> = (0..2560).map(f64::from).collect();
        let r = BatchMeans::analyse(&ramp, options).unwrap();
        assert_eq!(r.batches(), 10);
        assert!(!r.uncorrelated);
    }

    #[test]
    fn interval_over_batch_means_covers_the_mean_of_an_ar1_series() {
        // The AR(1) mean is 0; the merged batches give an honest interval
        // where treating observations as independent would be far too
        // narrow.
        let xs = ar1(25_600, 0.9);
        let b = BatchMeans::analyse(&xs, BatchOptions::default()).unwrap();
        let e = b.estimate(CONFIDENCE_95).unwrap();
        assert!(e.ci_low < 0.0 && 0.0 < e.ci_high, "{e:?}");
        let mut naive = Welford::new();
        for &x in &xs[b.cut..] {
            naive.push(x);
        }
        let naive = Estimate::from_welford(&naive, CONFIDENCE_95).unwrap();
        assert!(e.half_width > 2.0 * naive.half_width);
    }

    #[test]
    fn too_few_observations_give_no_interval() {
        let options = BatchOptions::default();
        assert!(BatchMeans::analyse(&[1.0], options).is_none());
        assert!(BatchMeans::analyse(&[], options).is_none());
        let few = BatchMeans::analyse(&[1.0, 2.0, 3.0, 4.0], options).unwrap();
        assert_eq!((few.batches(), few.batch_size, few.cut), (4, 1, 0));
        let one = BatchOptions {
            initial_batches: 1,
            ..options
        };
        assert!(BatchMeans::analyse(&[1.0; 100], one).is_none());
    }
}
