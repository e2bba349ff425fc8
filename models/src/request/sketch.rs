//! A log-bucketed latency histogram: constant memory, constant-time
//! records, mergeable, and exact up to a documented relative error.
//!
//! Values are whole microseconds. Below 256 µs every value has its own
//! bucket. Above, each power of two `[2^e, 2^(e+1))` is cut into 128 equal
//! buckets (the layout of HdrHistogram with 7 bits of sub-bucket
//! precision), so a bucket is at most 1/128 of its lower edge wide. A
//! quantile is reported as the midpoint of the bucket holding the order
//! statistic, which is therefore within [`RELATIVE_ERROR`] (2^-8 ≈ 0.39%)
//! of the exact order statistic (and exact below 256 µs). Values of 2^42 µs
//! (about 51 days) and more share the last bucket.
//!
//! ```
//! use models::request::LatencyHistogram;
//!
//! let mut h = LatencyHistogram::new();
//! for us in 1..=1000u64 {
//!     h.record(us * 1000); // 1 ms to 1 s
//! }
//! let p99 = h.quantile_us(0.99).unwrap();
//! assert!((p99 - 990_000.0).abs() <= 990_000.0 * models::request::sketch::RELATIVE_ERROR);
//! ```

/// Sub-bucket bits: each power of two is cut into `2^SUB_BITS` buckets.
const SUB_BITS: u32 = 7;
/// Buckets per power of two.
const SUB: u64 = 1 << SUB_BITS;
/// Values below this have a bucket each.
const EXACT_BELOW: u64 = 2 * SUB;
/// The largest exponent with buckets of its own; larger values share the
/// last bucket.
const MAX_EXP: u32 = 41;
/// The number of buckets.
const BUCKETS: usize = (EXACT_BELOW + (MAX_EXP as u64 - SUB_BITS as u64) * SUB) as usize;

/// The largest relative error of a reported quantile against the exact
/// order statistic it stands for: half a bucket's relative width, 2^-8.
pub const RELATIVE_ERROR: f64 = 1.0 / (2 * SUB) as f64;

/// A latency histogram; see the [module documentation](self).
#[derive(Clone, PartialEq, Eq)]
pub struct LatencyHistogram {
    counts: Box<[u64]>,
    total: u64,
    max_us: u64,
}

impl std::fmt::Debug for LatencyHistogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LatencyHistogram")
            .field("total", &self.total)
            .field("max_us", &self.max_us)
            .finish_non_exhaustive()
    }
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

/// The bucket of value `v`.
#[inline(always)]
fn bucket(v: u64) -> usize {
    if v < EXACT_BELOW {
        return v as usize;
    }
    let e = 63 - v.leading_zeros();
    if e > MAX_EXP {
        return BUCKETS - 1;
    }
    let shift = e - SUB_BITS;
    let m = v >> shift; // in [SUB, 2 SUB)
    (EXACT_BELOW + (e - SUB_BITS - 1) as u64 * SUB + (m - SUB)) as usize
}

/// The lowest value of bucket `i` and its width.
fn bucket_range(i: usize) -> (u64, u64) {
    let i = i as u64;
    if i < EXACT_BELOW {
        return (i, 1);
    }
    let k = i - EXACT_BELOW;
    let e = (k / SUB) as u32 + SUB_BITS + 1;
    let m = SUB + k % SUB;
    let shift = e - SUB_BITS;
    (m << shift, 1 << shift)
}

impl LatencyHistogram {
    /// An empty histogram (about 36 KB of counters).
    pub fn new() -> Self {
        LatencyHistogram {
            counts: vec![0; BUCKETS].into_boxed_slice(),
            total: 0,
            max_us: 0,
        }
    }

    /// Records one value, in microseconds.
    #[inline]
    pub fn record(&mut self, us: u64) {
        self.counts[bucket(us)] += 1;
        self.total += 1;
        self.max_us = self.max_us.max(us);
    }

    /// Adds every value `other` has recorded.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        for (a, b) in self.counts.iter_mut().zip(other.counts.iter()) {
            *a += b;
        }
        self.total += other.total;
        self.max_us = self.max_us.max(other.max_us);
    }

    /// The number of values recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The largest value recorded, exactly, in microseconds (0 if none).
    pub fn max_us(&self) -> u64 {
        self.max_us
    }

    /// The `p` quantile in microseconds, by nearest rank: the bucket
    /// midpoint standing for the smallest recorded value with at least
    /// `⌈p n⌉` values at or below it (the minimum for `p = 0`; the maximum,
    /// exactly, for `p = 1`). Within [`RELATIVE_ERROR`] of that value. `None` if nothing was recorded or
    /// `p` is outside `[0, 1]`.
    pub fn quantile_us(&self, p: f64) -> Option<f64> {
        if self.total == 0 || !(0.0..=1.0).contains(&p) {
            return None;
        }
        let rank = ((p * self.total as f64).ceil() as u64).clamp(1, self.total);
        if rank == self.total {
            return Some(self.max_us as f64);
        }
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let (low, width) = bucket_range(i);
                if width == 1 {
                    return Some(low as f64);
                }
                // The midpoint, but never past the largest value seen.
                let mid = low as f64 + width as f64 / 2.0;
                return Some(mid.min(self.max_us as f64));
            }
        }
        Some(self.max_us as f64)
    }

    /// The `p` quantile in seconds; see [`LatencyHistogram::quantile_us`].
    pub fn quantile_s(&self, p: f64) -> Option<f64> {
        self.quantile_us(p).map(|us| us / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_contiguous_and_tight() {
        // Every bucket starts where the previous one ends.
        let mut next = 0;
        for i in 0..BUCKETS {
            let (low, width) = bucket_range(i);
            assert_eq!(low, next, "bucket {i}");
            assert_eq!(bucket(low), i);
            assert_eq!(bucket(low + width - 1), i);
            assert!(i < EXACT_BELOW as usize || width as f64 <= low as f64 / SUB as f64);
            next = low + width;
        }
        assert_eq!(bucket(u64::MAX), BUCKETS - 1);
        assert_eq!(BUCKETS, 4608);
    }

    #[test]
    fn quantiles_are_within_the_relative_error() {
        let mut h = LatencyHistogram::new();
        let values: Vec<u64> = (0..100_000u64).map(|i| (i * i) % 10_000_019 + 1).collect();
        for &v in &values {
            h.record(v);
        }
        let mut sorted = values.clone();
        sorted.sort_unstable();
        for p in [0.0, 0.001, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0] {
            let rank = ((p * sorted.len() as f64).ceil() as usize).max(1);
            let exact = sorted[rank - 1] as f64;
            let got = h.quantile_us(p).unwrap();
            assert!(
                (got - exact).abs() <= exact * RELATIVE_ERROR + 0.5,
                "p = {p}: {got} vs {exact}"
            );
        }
        assert_eq!(h.quantile_us(1.0).unwrap(), *sorted.last().unwrap() as f64);
        assert_eq!(h.count(), 100_000);
    }

    #[test]
    fn merge_equals_recording_both() {
        let mut a = LatencyHistogram::new();
        let mut b = LatencyHistogram::new();
        let mut both = LatencyHistogram::new();
        for v in 0..5000u64 {
            let x = v * 977 % 100_003;
            if v % 3 == 0 {
                a.record(x)
            } else {
                b.record(x)
            }
            both.record(x);
        }
        a.merge(&b);
        assert_eq!(a, both);
        assert_eq!(LatencyHistogram::new().quantile_us(0.5), None);
    }
}
