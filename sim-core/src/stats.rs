//! Streaming statistics whose memory does not grow with the horizon.
//!
//! * [`Welford`]: count, mean and variance of a stream of values, updated in
//!   constant time and memory, and mergeable across threads or shards.
//! * [`TimeWeighted`]: the time integral and time average of a
//!   piecewise-constant value (the number of groups up, say), updated on
//!   every state change of the hot loop at the cost of one multiply-add.
//! * [`Estimate`]: a mean with its Student-t confidence interval, built
//!   from a [`Welford`] over replications.
//! * [`zero_event_upper_bound`] and [`poisson_rate_upper_bound`]: one-sided
//!   upper bounds on a rate when few or no events were seen, so that zero
//!   observed failures is reported as "< x at 95%", never as "never".
//! * [`quantile`] and [`Quantiles`]: percentiles across replications. These
//!   store the values, which is fine because there is one value per
//!   replication (thousands at most), never one per event.
//! * [`batch`]: batch means over one long run, with the MSER-5 warm-up cut
//!   and batch sizes chosen by the lag-1 autocorrelation of batch means.
//! * [`compound`]: gamma intervals for totals of few weighted events
//!   (downtime as a sum of outages, outage counts).
//! * [`precision`]: sequential stopping, a fixed schedule of batches of
//!   replications and a target on the interval's half-width.
//!
//! ```
//! use sim_core::stats::{Estimate, Welford, CONFIDENCE_95};
//!
//! let mut w = Welford::new();
//! for x in [0.9991, 0.9995, 0.9993, 0.9990, 0.9996] {
//!     w.push(x);
//! }
//! let e = Estimate::from_welford(&w, CONFIDENCE_95).unwrap();
//! assert!(e.ci_low < e.mean && e.mean < e.ci_high);
//! assert_eq!(e.n, 5);
//! ```

pub mod batch;
pub mod compound;
pub mod precision;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Gamma, Normal, StudentsT};

use crate::time::SimTime;

/// The usual confidence level: 95%.
pub const CONFIDENCE_95: f64 = 0.95;

/// A stricter confidence level: 99%.
pub const CONFIDENCE_99: f64 = 0.99;

/// Count, mean, variance and largest of a stream of values (Welford's
/// algorithm).
///
/// Memory is constant; [`Welford::merge`] combines two accumulators as if
/// one had seen both streams (Chan, Golub and LeVeque's parallel formula).
/// Merging is exact in arithmetic but not bit-for-bit associative in
/// floating point, so merge partial results in a fixed order (replication
/// order) to keep results deterministic.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Welford {
    count: u64,
    mean: f64,
    m2: f64,
    max: f64,
}

impl Default for Welford {
    fn default() -> Self {
        Welford::new()
    }
}

impl Welford {
    /// An accumulator that has seen nothing.
    pub const fn new() -> Self {
        Welford {
            count: 0,
            mean: 0.0,
            m2: 0.0,
            max: f64::NEG_INFINITY,
        }
    }

    /// Adds one value.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
        self.max = self.max.max(x);
    }

    /// Adds every value that `other` has seen.
    pub fn merge(&mut self, other: &Welford) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *other;
            return;
        }
        let n_a = self.count as f64;
        let n_b = other.count as f64;
        let n = n_a + n_b;
        let delta = other.mean - self.mean;
        self.mean += delta * (n_b / n);
        self.m2 += other.m2 + delta * delta * (n_a * n_b / n);
        self.count += other.count;
        self.max = self.max.max(other.max);
    }

    /// How many values were pushed.
    pub const fn count(&self) -> u64 {
        self.count
    }

    /// The mean, or NaN if no value was pushed.
    pub fn mean(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.mean }
    }

    /// The largest value pushed, or NaN if none was.
    pub fn max(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.max }
    }

    /// The sample variance (divided by `n − 1`), or NaN for fewer than two
    /// values, where it is undefined.
    pub fn variance(&self) -> f64 {
        if self.count < 2 {
            f64::NAN
        } else {
            self.m2 / (self.count - 1) as f64
        }
    }

    /// The sample standard deviation, or NaN for fewer than two values.
    pub fn std_dev(&self) -> f64 {
        self.variance().sqrt()
    }

    /// The standard error of the mean, `s / sqrt(n)`, or NaN for fewer than
    /// two values.
    pub fn std_error(&self) -> f64 {
        (self.variance() / self.count as f64).sqrt()
    }
}

/// The time integral and time average of a piecewise-constant value.
///
/// The value holds from one [`TimeWeighted::set`] to the next; the integral
/// is in value × hours. Each update costs one subtraction and one
/// multiply-add, so it can run on every state change of the hot loop. The
/// sum is kept in value × microseconds and converted to hours only when
/// read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeWeighted {
    start: SimTime,
    last: SimTime,
    value: f64,
    /// The integral from `start` to `last`, in value × microseconds.
    integral_us: f64,
}

/// Microseconds in one hour, as a float.
const US_PER_HOUR: f64 = 3_600_000_000.0;

impl TimeWeighted {
    /// Starts tracking at `start` with `value`.
    pub const fn new(start: SimTime, value: f64) -> Self {
        TimeWeighted {
            start,
            last: start,
            value,
            integral_us: 0.0,
        }
    }

    /// The value changes to `value` at `now`.
    ///
    /// `now` must not be earlier than the previous update (time never moves
    /// backwards in the engine; a debug build asserts it). A release build
    /// treats an earlier `now` as no time elapsed.
    #[inline]
    pub fn set(&mut self, now: SimTime, value: f64) {
        debug_assert!(now >= self.last, "TimeWeighted::set went back in time");
        let dt_us = now.as_micros().saturating_sub(self.last.as_micros());
        self.integral_us += self.value * dt_us as f64;
        self.last = self.last.max(now);
        self.value = value;
    }

    /// The current value.
    pub const fn value(&self) -> f64 {
        self.value
    }

    /// When tracking started.
    pub const fn start(&self) -> SimTime {
        self.start
    }

    /// The integral of the value from the start to `now`, in value × hours.
    ///
    /// `now` earlier than the last update counts as the last update.
    pub fn integral_until(&self, now: SimTime) -> f64 {
        let dt_us = now.as_micros().saturating_sub(self.last.as_micros());
        (self.integral_us + self.value * dt_us as f64) / US_PER_HOUR
    }

    /// The time average of the value from the start to `now`.
    ///
    /// Over an empty interval (`now` at or before the start) the average is
    /// undefined; this returns the current value, its limit.
    pub fn average_until(&self, now: SimTime) -> f64 {
        let span_h = now.saturating_since(self.start).as_hours_f64();
        if span_h > 0.0 {
            self.integral_until(now) / span_h
        } else {
            self.value
        }
    }
}

/// A mean with a two-sided Student-t confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The sample mean.
    pub mean: f64,
    /// The lower end of the confidence interval, `mean − half_width`.
    pub ci_low: f64,
    /// The upper end of the confidence interval, `mean + half_width`.
    pub ci_high: f64,
    /// Half the width of the interval: `t · s / sqrt(n)`.
    pub half_width: f64,
    /// The sample standard deviation (divided by `n − 1`).
    pub std_dev: f64,
    /// How many values (replications) the estimate rests on.
    pub n: u64,
    /// The confidence level of the interval, such as 0.95.
    pub confidence: f64,
}

impl Estimate {
    /// The estimate of the mean of the values `w` has seen, with a
    /// two-sided interval at `confidence` using the Student-t quantile with
    /// `n − 1` degrees of freedom.
    ///
    /// Returns `None` when no interval exists: for fewer than two values
    /// (the variance is undefined, and an infinitely wide interval would
    /// only hide that), or when `confidence` is not strictly inside (0, 1).
    /// A caller with one replication should report the bare value and say
    /// that it has no interval.
    pub fn from_welford(w: &Welford, confidence: f64) -> Option<Estimate> {
        if w.count() < 2 || !(confidence > 0.0 && confidence < 1.0) {
            return None;
        }
        let t = t_quantile(confidence, (w.count() - 1) as f64);
        let half_width = t * w.std_error();
        let mean = w.mean();
        Some(Estimate {
            mean,
            ci_low: mean - half_width,
            ci_high: mean + half_width,
            half_width,
            std_dev: w.std_dev(),
            n: w.count(),
            confidence,
        })
    }
}

/// The two-sided Student-t critical value: the `(1 + confidence) / 2`
/// quantile of the t distribution with `df` degrees of freedom (12.706 for
/// 95% and one degree of freedom, 1.960 as `df` grows without bound).
///
/// `df` may be fractional (as in Welch's test) or infinite (the normal
/// quantile). Returns NaN unless `confidence` is strictly between 0 and 1
/// and `df` is positive.
pub fn t_quantile(confidence: f64, df: f64) -> f64 {
    if !(confidence > 0.0 && confidence < 1.0) || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    let p = (1.0 + confidence) / 2.0;
    if df.is_infinite() {
        return match Normal::new(0.0, 1.0) {
            Ok(normal) => normal.inverse_cdf(p),
            Err(_) => f64::NAN,
        };
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => t.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// The exact one-sided upper confidence bound on a Poisson rate when no
/// event was seen in `exposure` (component-hours, say): `−ln(1 − confidence)
/// / exposure`, that is 2.996 / exposure at 95% (the "rule of three").
///
/// The bound is in events per unit of `exposure`. Zero exposure gives
/// infinity (nothing is known); NaN unless `confidence` is strictly between
/// 0 and 1 and `exposure` is zero or more.
pub fn zero_event_upper_bound(exposure: f64, confidence: f64) -> f64 {
    if !(confidence > 0.0 && confidence < 1.0) || exposure.is_nan() || exposure < 0.0 {
        return f64::NAN;
    }
    -(-confidence).ln_1p() / exposure
}

/// The exact one-sided upper confidence bound on a Poisson rate when
/// `events` events were seen in `exposure`: `χ²_confidence(2k + 2) / (2 ·
/// exposure)`, computed as the `confidence` quantile of a gamma
/// distribution with shape `k + 1` and rate 1, over `exposure`.
///
/// For `events == 0` it equals [`zero_event_upper_bound`]. For 5 events in
/// one unit of exposure at 95% it is 10.513. Same conventions as
/// [`zero_event_upper_bound`] for invalid arguments.
pub fn poisson_rate_upper_bound(events: u64, exposure: f64, confidence: f64) -> f64 {
    if events == 0 {
        return zero_event_upper_bound(exposure, confidence);
    }
    if !(confidence > 0.0 && confidence < 1.0) || exposure.is_nan() || exposure < 0.0 {
        return f64::NAN;
    }
    match Gamma::new(events as f64 + 1.0, 1.0) {
        Ok(g) => g.inverse_cdf(confidence) / exposure,
        Err(_) => f64::NAN,
    }
}

/// The `p` quantile of sorted values, interpolating linearly between order
/// statistics (Hyndman and Fan's type 7, NumPy's default): with `h = (n −
/// 1) p`, the value `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋ + 1] − x[⌊h⌋])`.
///
/// `sorted` must be in ascending order (not checked). Returns NaN for an
/// empty slice or `p` outside `[0, 1]`.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor();
    // `h` is in [0, n − 1], so both indices are in range.
    let i = lo as usize;
    match sorted.get(i + 1) {
        Some(&next) => sorted[i] + (h - lo) * (next - sorted[i]),
        None => sorted[i],
    }
}

/// A sorted copy of a set of values, for quantiles.
///
/// It stores every value, which is meant for per-replication results (one
/// value per replication), never for per-event data; use [`Welford`] or
/// [`TimeWeighted`] for those.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantiles {
    sorted: Vec<f64>,
}

impl Quantiles {
    /// Sorts a copy of `values`. NaNs sort last (by `f64::total_cmp`).
    pub fn new(values: &[f64]) -> Self {
        Quantiles::from_vec(values.to_vec())
    }

    /// Sorts `values` in place and keeps them.
    pub fn from_vec(mut values: Vec<f64>) -> Self {
        values.sort_by(f64::total_cmp);
        Quantiles { sorted: values }
    }

    /// The `p` quantile; see [`quantile`].
    pub fn quantile(&self, p: f64) -> f64 {
        quantile(&self.sorted, p)
    }

    /// The median, the 0.5 quantile.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// True if there are no values.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The values, in ascending order.
    pub fn as_slice(&self) -> &[f64] {
        &self.sorted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::RngStream;
    use crate::time::SimDuration;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    fn two_pass(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var)
    }

    fn welford_of(xs: &[f64]) -> Welford {
        let mut w = Welford::new();
        for &x in xs {
            w.push(x);
        }
        w
    }

    #[test]
    fn welford_matches_two_pass_on_random_data() {
        let mut rng = RngStream::new(7, 0, "test", "welford");
        let rel = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol * b.abs();
        let xs: Vec<f64> = (0..10_000).map(|_| -50.0 + 100.0 * rng.open01()).collect();
        let w = welford_of(&xs);
        let (mean, var) = two_pass(&xs);
        assert_eq!(w.count(), 10_000);
        assert!(close(w.mean(), mean, 1e-12), "{} vs {mean}", w.mean());
        assert!(rel(w.variance(), var, 1e-12), "{} vs {var}", w.variance());
        assert!(rel(w.std_dev(), var.sqrt(), 1e-12));
        assert!(rel(w.std_error(), (var / 10_000.0).sqrt(), 1e-12));
        // A large offset makes the naive sum-of-squares formula lose every
        // digit of the variance (1e18 squared sums against a variance of
        // about 833); Welford keeps six. Its running mean drifts by a few
        // ulps of 1e9 per update, hence the looser bounds.
        let ys: Vec<f64> = xs.iter().map(|x| 1e9 + x).collect();
        let w = welford_of(&ys);
        let (mean, var) = two_pass(&ys);
        assert!(rel(w.mean(), mean, 1e-13), "{} vs {mean}", w.mean());
        assert!(rel(w.variance(), var, 1e-6), "{} vs {var}", w.variance());
    }

    #[test]
    fn welford_small_counts() {
        let w = Welford::new();
        assert_eq!(w.count(), 0);
        assert!(w.mean().is_nan() && w.variance().is_nan());
        let w = welford_of(&[3.0]);
        assert_eq!(w.mean(), 3.0);
        assert!(w.variance().is_nan());
        assert!(Estimate::from_welford(&w, CONFIDENCE_95).is_none());
        let w = welford_of(&[1.0, 3.0]);
        assert_eq!((w.mean(), w.variance()), (2.0, 2.0));
        let mut empty = Welford::new();
        empty.merge(&w);
        assert_eq!(empty, w);
        let mut same = w;
        same.merge(&Welford::new());
        assert_eq!(same, w);
    }

    #[test]
    fn t_quantiles_match_tables() {
        assert!(close(t_quantile(0.95, 1.0), 12.706, 1e-3));
        assert!(close(t_quantile(0.95, 10.0), 2.228, 1e-3));
        assert!(close(t_quantile(0.95, 1000.0), 1.962, 1e-3));
        assert!(close(t_quantile(0.99, 4.0), 4.604, 1e-3));
        assert!(close(t_quantile(0.90, 30.0), 1.697, 1e-3));
        assert!(close(t_quantile(0.95, f64::INFINITY), 1.959_964, 1e-6));
        assert!(t_quantile(1.0, 5.0).is_nan());
        assert!(t_quantile(0.0, 5.0).is_nan());
        assert!(t_quantile(0.95, 0.0).is_nan());
        assert!(t_quantile(f64::NAN, 5.0).is_nan());
    }

    #[test]
    fn estimate_from_welford() {
        // Mean 3, s = sqrt(2.5), n = 5, t(0.975, 4) = 2.776.
        let w = welford_of(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        let e = Estimate::from_welford(&w, CONFIDENCE_95).unwrap();
        assert_eq!(e.n, 5);
        assert_eq!(e.mean, 3.0);
        assert_eq!(e.confidence, 0.95);
        assert!(close(e.std_dev, 2.5f64.sqrt(), 1e-12));
        assert!(close(e.half_width, 2.776_445 * (2.5f64 / 5.0).sqrt(), 1e-5));
        assert!(close(e.ci_low, e.mean - e.half_width, 1e-12));
        assert!(close(e.ci_high, e.mean + e.half_width, 1e-12));
        let e99 = Estimate::from_welford(&w, CONFIDENCE_99).unwrap();
        assert!(e99.half_width > e.half_width);
        assert!(Estimate::from_welford(&w, 1.0).is_none());
        assert!(Estimate::from_welford(&w, -0.5).is_none());
        // Constant values: a zero-width interval, not an error.
        let c = Estimate::from_welford(&welford_of(&[2.0; 4]), CONFIDENCE_95).unwrap();
        assert_eq!((c.half_width, c.ci_low, c.ci_high), (0.0, 2.0, 2.0));
    }

    #[test]
    fn zero_event_bound_is_the_rule_of_three() {
        assert!(close(zero_event_upper_bound(1.0, 0.95), 2.995_732, 1e-6));
        assert!(close(
            zero_event_upper_bound(1000.0, 0.95),
            2.995_732e-3,
            1e-9
        ));
        assert!(close(zero_event_upper_bound(1.0, 0.99), 4.605_170, 1e-6));
        assert_eq!(zero_event_upper_bound(0.0, 0.95), f64::INFINITY);
        assert!(zero_event_upper_bound(-1.0, 0.95).is_nan());
        assert!(zero_event_upper_bound(1.0, 1.0).is_nan());
    }

    #[test]
    fn poisson_upper_bound_matches_chi_square_tables() {
        for exposure in [1.0, 8760.0, 0.25] {
            assert_eq!(
                poisson_rate_upper_bound(0, exposure, 0.95),
                zero_event_upper_bound(exposure, 0.95)
            );
        }
        // χ²_0.95(12) / 2 = 21.026 / 2 = 10.513.
        assert!(close(poisson_rate_upper_bound(5, 1.0, 0.95), 10.513, 1e-3));
        assert!(close(poisson_rate_upper_bound(5, 10.0, 0.95), 1.0513, 1e-4));
        // χ²_0.95(4) / 2 = 9.488 / 2 = 4.744.
        assert!(close(poisson_rate_upper_bound(1, 1.0, 0.95), 4.744, 1e-3));
        // χ²_0.99(22) / 2 = 40.289 / 2 = 20.144.
        assert!(close(poisson_rate_upper_bound(10, 1.0, 0.99), 20.144, 1e-3));
        assert!(poisson_rate_upper_bound(5, 1.0, 1.5).is_nan());
    }

    #[test]
    fn quantile_interpolates_like_numpy() {
        let xs = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&xs, 0.0), 1.0);
        assert_eq!(quantile(&xs, 1.0), 4.0);
        assert_eq!(quantile(&xs, 0.5), 2.5);
        // numpy.quantile([1, 2, 3, 4], 0.9) == 3.7
        assert!(close(quantile(&xs, 0.9), 3.7, 1e-12));
        assert!(close(quantile(&xs, 0.25), 1.75, 1e-12));
        assert_eq!(quantile(&[5.0], 0.3), 5.0);
        assert!(quantile(&[], 0.5).is_nan());
        assert!(quantile(&xs, 1.5).is_nan());
        assert!(quantile(&xs, f64::NAN).is_nan());
        let q = Quantiles::new(&[4.0, 1.0, 3.0, 2.0, 10.0]);
        assert_eq!(q.as_slice(), &[1.0, 2.0, 3.0, 4.0, 10.0]);
        assert_eq!(q.median(), 3.0);
        assert!(close(q.quantile(0.95), 8.8, 1e-12));
        assert_eq!((q.len(), q.is_empty()), (5, false));
        assert!(Quantiles::default().is_empty());
    }

    #[test]
    fn time_weighted_integrates_a_step_function() {
        let t = |hours: u64| SimTime::from_duration(SimDuration::from_hours(hours));
        // 3 groups up for 10 h, 2 for 5 h, 3 for 5 h: integral 55, average 2.75.
        let mut tw = TimeWeighted::new(t(0), 3.0);
        tw.set(t(10), 2.0);
        tw.set(t(15), 3.0);
        assert_eq!(tw.integral_until(t(20)), 55.0);
        assert_eq!(tw.average_until(t(20)), 2.75);
        assert_eq!(tw.integral_until(t(15)), 40.0);
        // Reading does not change the state; a repeated time adds nothing.
        tw.set(t(15), 1.0);
        assert_eq!(tw.integral_until(t(16)), 41.0);
        assert_eq!(tw.value(), 1.0);
        // Sub-hour steps.
        let mut half = TimeWeighted::new(SimTime::ZERO, 1.0);
        half.set(SimTime::from_micros(1_800_000_000), 0.0);
        assert_eq!(half.integral_until(t(1)), 0.5);
        assert_eq!(half.average_until(t(2)), 0.25);
        // An empty interval averages to the current value.
        let late = TimeWeighted::new(t(5), 7.0);
        assert_eq!(late.start(), t(5));
        assert_eq!(late.average_until(t(5)), 7.0);
        assert_eq!(late.integral_until(t(5)), 0.0);
    }

    proptest! {
        #[test]
        fn merge_equals_sequential_push(
            a in proptest::collection::vec(-1e6f64..1e6, 0..50),
            b in proptest::collection::vec(-1e6f64..1e6, 0..50),
        ) {
            let mut merged = welford_of(&a);
            merged.merge(&welford_of(&b));
            let all: Vec<f64> = a.iter().chain(&b).copied().collect();
            let seq = welford_of(&all);
            prop_assert_eq!(merged.count(), seq.count());
            if seq.count() > 0 {
                prop_assert!(close(merged.mean(), seq.mean(), 1e-9 * (1.0 + seq.mean().abs())));
                let largest = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                prop_assert_eq!(merged.max(), largest);
                prop_assert_eq!(seq.max(), largest);
            } else {
                prop_assert!(merged.max().is_nan());
            }
            if seq.count() > 1 {
                let v = seq.variance();
                prop_assert!(close(merged.variance(), v, 1e-9 * (1.0 + v)), "{} vs {}", merged.variance(), v);
            }
        }

        #[test]
        fn quantile_is_monotone_and_bounded(
            mut xs in proptest::collection::vec(-1e6f64..1e6, 1..40),
            p in 0.0f64..=1.0,
            q in 0.0f64..=1.0,
        ) {
            xs.sort_by(f64::total_cmp);
            let (lo, hi) = if p <= q { (p, q) } else { (q, p) };
            let a = quantile(&xs, lo);
            let b = quantile(&xs, hi);
            // Interpolation rounds, so allow a few ulps of slack.
            let slack = 1e-9;
            prop_assert!(a <= b + slack);
            prop_assert!(xs[0] - slack <= a && b <= xs[xs.len() - 1] + slack);
        }
    }
}
