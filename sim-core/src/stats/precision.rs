//! Sequential stopping: add replications in a fixed schedule of batches
//! until a confidence interval is narrow enough.
//!
//! The schedule ([`Schedule`]) is fixed in advance: a first batch, then
//! batches that double the total, capped. The decision ([`Precision::is_met`])
//! is taken after whole batches, on the replications `0..n` in order, so it
//! depends only on what those replications computed, never on the number
//! of threads or on which finished first.
//!
//! ```
//! use sim_core::stats::precision::{Precision, Schedule};
//!
//! let totals: Vec<u64> = Schedule::new(100, 1000).collect();
//! assert_eq!(totals, [100, 200, 400, 800, 1000]);
//! assert!(Precision::Relative(0.05).is_met(4.0, 100.0));
//! assert!(!Precision::Relative(0.05).is_met(6.0, 100.0));
//! assert!(Precision::Absolute(2.0).is_met(1.5, 0.0));
//! ```

/// A target on the half-width of a confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Precision {
    /// A half-width at most this fraction of the mean's magnitude (0.05
    /// for 5%).
    Relative(f64),
    /// A half-width at most this, in the estimate's own unit.
    Absolute(f64),
}

impl Precision {
    /// The largest half-width that meets the target for an estimate of
    /// `mean`; `None` for a relative target and a zero (or NaN) mean, where
    /// a relative precision is undefined.
    pub fn half_width_limit(&self, mean: f64) -> Option<f64> {
        match *self {
            Precision::Relative(fraction) => {
                (mean.is_finite() && mean != 0.0).then(|| fraction * mean.abs())
            }
            Precision::Absolute(limit) => Some(limit),
        }
    }

    /// True when an interval of `half_width` around `mean` meets the
    /// target. A NaN half-width never does; a relative target is never met
    /// by a zero mean.
    pub fn is_met(&self, half_width: f64, mean: f64) -> bool {
        self.half_width_limit(mean)
            .is_some_and(|limit| half_width <= limit)
    }
}

/// The totals at which a sequential run stops to decide: `first`, then
/// doubling (`2·first`, `4·first`, ...), the last one `cap`.
///
/// An iterator over the totals, increasing; its last item is `cap` (or
/// `first` if that is already at or above `cap`, clipped to `cap`). A
/// `first` of 0 counts as 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    next: Option<u64>,
    cap: u64,
}

impl Schedule {
    /// The schedule `first, 2·first, 4·first, ..., cap`.
    pub fn new(first: u64, cap: u64) -> Self {
        Schedule {
            next: Some(first.max(1).min(cap)),
            cap,
        }
    }
}

impl Iterator for Schedule {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let total = self.next?;
        self.next = (total < self.cap).then(|| total.saturating_mul(2).min(self.cap));
        Some(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_doubles_up_to_the_cap() {
        let all = |first, cap| Schedule::new(first, cap).collect::<Vec<u64>>();
        assert_eq!(all(100, 300), [100, 200, 300]);
        assert_eq!(all(100, 400), [100, 200, 400]);
        assert_eq!(all(100, 100_000).last(), Some(&100_000));
        assert_eq!(all(100, 100_000).len(), 11); // 100 .. 51200, 100000
        assert_eq!(all(100, 50), [50]);
        assert_eq!(all(0, 3), [1, 2, 3]);
        assert_eq!(
            all(u64::MAX / 2 + 1, u64::MAX),
            [u64::MAX / 2 + 1, u64::MAX]
        );
        // Strictly increasing, so every decision point adds replications.
        let s = all(7, 1000);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn relative_and_absolute_targets() {
        let five = Precision::Relative(0.05);
        assert_eq!(five.half_width_limit(200.0), Some(10.0));
        assert_eq!(five.half_width_limit(-200.0), Some(10.0));
        assert!(five.is_met(10.0, 200.0));
        assert!(!five.is_met(10.1, 200.0));
        // Zero mean: undefined, never met, even by a zero half-width.
        assert_eq!(five.half_width_limit(0.0), None);
        assert!(!five.is_met(0.0, 0.0));
        assert!(!five.is_met(0.0, f64::NAN));
        let two = Precision::Absolute(2.0);
        assert!(two.is_met(2.0, 0.0));
        assert!(!two.is_met(2.5, 1000.0));
        assert!(!two.is_met(f64::NAN, 10.0));
    }
}
