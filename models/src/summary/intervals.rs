//! Intervals of the time-based figures from the outages themselves.
//!
//! Availability, downtime and incidents of a state-level run are totals of
//! outages: downtime's interval is the [`gamma_interval`] of the run's
//! total downtime, the outage lengths its weights (with the variance their
//! squares sum to and the [`next_weight`] for the one more outage), and
//! incidents' the [`jeffreys_poisson`] interval of the outage count; see
//! [`sim_core::stats::compound`] for why, and the calibration harness
//! (`cargo bench -p scenarios --bench calibration`) for what they cover.

use sim_core::stats::compound::{gamma_interval, jeffreys_poisson, next_weight};
use sim_core::stats::{Estimate, Welford};
use sim_core::time::HOURS_PER_YEAR;

use super::Summary;

/// Minutes in a year of 8760 hours.
const MINUTES_PER_YEAR: f64 = 60.0 * HOURS_PER_YEAR;

/// Below this many outages an interval rests on few events, and reports
/// say so.
pub const FEW_OUTAGES: u64 = 10;

impl Summary {
    /// Downtime in minutes per year with its interval at `confidence`, from
    /// the outages; `None` with fewer than two replications or no downtime.
    pub fn downtime_interval(&self, confidence: f64) -> Option<Estimate> {
        let w = &self.downtime_minutes_per_year;
        if w.count() < 2 || self.downtime_hours <= 0.0 || self.observed_hours <= 0.0 {
            return None;
        }
        let per_hour = MINUTES_PER_YEAR / self.observed_hours;
        let sum_sq = sum_of_squares(&self.outage_hours);
        let outages = self.outage_hours.count();
        let next = next_weight(self.downtime_hours, sum_sq, outages)
            .unwrap_or(0.0)
            .max(self.longest_outage_hours)
            .max(f64::MIN_POSITIVE);
        let (lo, hi) = gamma_interval(self.downtime_hours, sum_sq, next, confidence);
        Some(estimate(w, lo * per_hour, hi * per_hour, confidence))
    }

    /// Outages per year with its interval at `confidence`, from the
    /// outage count; `None` with fewer than two replications or none seen.
    pub fn incidents_interval(&self, confidence: f64) -> Option<Estimate> {
        let w = &self.incidents_per_year;
        if w.count() < 2 || self.incidents == 0 || self.observed_hours <= 0.0 {
            return None;
        }
        let per_event = HOURS_PER_YEAR / self.observed_hours;
        let (lo, hi) = jeffreys_poisson(self.incidents, confidence);
        Some(estimate(w, lo * per_event, hi * per_event, confidence))
    }

    /// Availability with its interval at `confidence`: one minus the
    /// downtime's, as a share of the year.
    pub fn availability_interval(&self, confidence: f64) -> Option<Estimate> {
        let d = self.downtime_interval(confidence)?;
        let a = &self.availability;
        Some(Estimate {
            mean: a.mean(),
            ci_low: (1.0 - d.ci_high / MINUTES_PER_YEAR).max(0.0),
            ci_high: (1.0 - d.ci_low / MINUTES_PER_YEAR).min(1.0),
            half_width: d.half_width / MINUTES_PER_YEAR,
            std_dev: a.std_dev(),
            n: a.count(),
            confidence,
        })
    }

    /// Whether the time-based intervals rest on fewer than [`FEW_OUTAGES`]
    /// outages (then reports say how many).
    pub fn few_outages(&self) -> bool {
        self.incidents < FEW_OUTAGES
    }
}

/// The sum of the squares of the values a [`Welford`] has seen.
fn sum_of_squares(w: &Welford) -> f64 {
    let n = w.count() as f64;
    if n == 0.0 {
        return 0.0;
    }
    let var = if w.count() > 1 { w.variance() } else { 0.0 };
    (n - 1.0) * var + n * w.mean() * w.mean()
}

/// An estimate with the mean of `w` and the interval `[lo, hi]`.
fn estimate(w: &Welford, lo: f64, hi: f64, confidence: f64) -> Estimate {
    Estimate {
        mean: w.mean(),
        ci_low: lo.max(0.0),
        ci_high: hi,
        half_width: (hi - lo) / 2.0,
        std_dev: w.std_dev(),
        n: w.count(),
        confidence,
    }
}
