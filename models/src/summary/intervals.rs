//! Intervals of the time-based figures: availability, downtime and
//! incidents, from two views of the same total.
//!
//! Downtime over a run is a total of outages, mostly zeros per replication
//! and a few long outages. A Student-t interval over replications is too
//! narrow and too low exactly when the sample happened to see few long
//! outages (the mean and its estimated spread fall together), so it misses
//! on the optimistic side: 82% coverage for a 1-of-2 pair at 20
//! replications. nines reads the total two ways and reports the union of
//! the two [`gamma_interval`]s (Fay and Feuer's interval for a weighted
//! total, skewed as the total is):
//!
//! - **as a sum of outages**, arriving roughly as a Poisson process: the
//!   variance is the sum of the squared outage lengths, and the one more
//!   outage that might have been missed weighs [`next_weight`]. This view
//!   knows how little a few outages say;
//! - **as a sum of replications**, independent by construction: the
//!   variance is the between-replication one and the one more weighs as
//!   much as the worst replication ([`worst_unit_weight`]: shrinking past
//!   [`FULL_WORST_UNTIL`] replications). This view sees what the Poisson view
//!   cannot: outages that cluster, years unlike the others, a class of long
//!   outages seen a few times only.
//!
//! Incidents take the union of Jeffreys' interval of the outage count
//! ([`jeffreys_poisson`]) and the replication view's gamma interval of the
//! per-replication counts (counts that cluster are over-dispersed).
//! Availability is one minus downtime, as a share of the year. The
//! calibration harness (`cargo bench -p scenarios --bench calibration`)
//! measures the coverage; the README gives its figures.

use sim_core::stats::compound::{gamma_interval, jeffreys_poisson, next_weight};
use sim_core::stats::{Estimate, Welford};
use sim_core::time::HOURS_PER_YEAR;

use super::Summary;

/// Minutes in a year of 8760 hours.
const MINUTES_PER_YEAR: f64 = 60.0 * HOURS_PER_YEAR;

/// Below this many outages an interval rests on few events, and reports
/// say so.
pub const FEW_OUTAGES: u64 = 10;

/// Up to this many replications the replication view's one more
/// replication weighs as much as the worst seen; beyond, its weight
/// shrinks as `√(FULL_WORST_UNTIL / n)`. Below about thirty replications
/// their spread cannot be trusted to show a rare class of bad years (on the
/// active-standby case, years with a double failure: 2.5 in 20), and the
/// worst year seen stands in for them; past it the spread shows them
/// itself, and a full worst-year allowance made 200-replication intervals
/// cover 97.5% where they promise 95%.
pub const FULL_WORST_UNTIL: f64 = 30.0;

/// The weight of one more of `units` independent units (replications, or
/// horizon-long stretches of one run) in the replication view, the worst
/// having had the mean `worst`: `worst / units`, shrunk past
/// [`FULL_WORST_UNTIL`] units.
pub fn worst_unit_weight(worst: f64, units: f64) -> f64 {
    let shrink = (FULL_WORST_UNTIL / units).sqrt().min(1.0);
    (worst / units * shrink).max(f64::MIN_POSITIVE)
}

/// The interval at `confidence` of the mean of `per_replication`, a total
/// of outages in each replication (downtime in any unit), whose outages
/// over the whole run had the lengths `outages` has seen (in any unit:
/// only their relative sizes matter): the union of the outage view and
/// the replication view of the module's notes. `None` with fewer than
/// two replications, no outage or no total.
pub fn outage_total_interval(
    per_replication: &Welford,
    outages: &Welford,
    confidence: f64,
) -> Option<Estimate> {
    let n = per_replication.count() as f64;
    let worst = worst_unit_weight(per_replication.max(), n);
    outage_total_interval_with(per_replication, outages, worst, confidence)
}

/// [`outage_total_interval`] with the replication view's one more unit
/// weighing `worst` (in the unit of `per_unit`'s mean): for units that are
/// not replications, such as the batches of one long run, whose one more
/// is a horizon-long stretch ([`worst_unit_weight`] of the worst stretch).
pub fn outage_total_interval_with(
    per_unit: &Welford,
    outages: &Welford,
    worst: f64,
    confidence: f64,
) -> Option<Estimate> {
    let n = per_unit.count();
    let mean = per_unit.mean();
    let count = outages.count();
    let total = outages.mean() * count as f64;
    let positive = |x: f64| x > 0.0;
    if n < 2 || count == 0 || !positive(mean) || !positive(total) {
        return None;
    }
    // The outage view, in the unit mean's unit.
    let scale = mean / total;
    let sum_sq = sum_of_squares(outages) * scale * scale;
    let next = next_weight(mean, sum_sq, count)
        .unwrap_or(mean)
        .max(f64::MIN_POSITIVE);
    let (lo_outages, hi_outages) = gamma_interval(mean, sum_sq, next, confidence);
    // The replication view.
    let variance = per_unit.variance() / n as f64;
    let worst = worst.max(f64::MIN_POSITIVE);
    let (lo_reps, hi_reps) = gamma_interval(mean, variance, worst, confidence);
    let lo = lo_outages.min(lo_reps);
    let hi = hi_outages.max(hi_reps);
    (lo.is_finite() && hi.is_finite()).then(|| estimate(per_unit, lo, hi, confidence))
}

/// The interval at `confidence` of the mean of `per_replication`, a count
/// of events in each replication (in any unit per replication, such as
/// events per year), the run having seen `events` in all: the union of
/// Jeffreys' interval of the count and the replication view's gamma
/// interval. `None` with fewer than two replications or no event.
pub fn event_count_interval(
    per_replication: &Welford,
    events: u64,
    confidence: f64,
) -> Option<Estimate> {
    let n = per_replication.count();
    let mean = per_replication.mean();
    if n < 2 || events == 0 || mean.is_nan() || mean <= 0.0 {
        return None;
    }
    let per_event = mean / events as f64;
    let (lo_count, hi_count) = jeffreys_poisson(events, confidence);
    let variance = per_replication.variance() / n as f64;
    let (lo_reps, hi_reps) = gamma_interval(mean, variance, f64::MIN_POSITIVE, confidence);
    let lo = (lo_count * per_event).min(lo_reps);
    let hi = (hi_count * per_event).max(hi_reps);
    (lo.is_finite() && hi.is_finite()).then(|| estimate(per_replication, lo, hi, confidence))
}

/// `estimate` of availability from the interval `downtime` of downtime in
/// minutes per year: one minus it, as a share of the year.
pub fn availability_from_downtime(availability: &Welford, downtime: &Estimate) -> Estimate {
    Estimate {
        mean: availability.mean(),
        ci_low: (1.0 - downtime.ci_high / MINUTES_PER_YEAR).max(0.0),
        ci_high: (1.0 - downtime.ci_low / MINUTES_PER_YEAR).min(1.0),
        half_width: downtime.half_width / MINUTES_PER_YEAR,
        std_dev: availability.std_dev(),
        n: availability.count(),
        confidence: downtime.confidence,
    }
}

impl Summary {
    /// Downtime in minutes per year with its interval at `confidence`
    /// ([`outage_total_interval`]); `None` with fewer than two
    /// replications or no downtime.
    pub fn downtime_interval(&self, confidence: f64) -> Option<Estimate> {
        outage_total_interval(
            &self.downtime_minutes_per_year,
            &self.outage_hours,
            confidence,
        )
    }

    /// Outages per year with its interval at `confidence`
    /// ([`event_count_interval`]); `None` with fewer than two
    /// replications or none seen.
    pub fn incidents_interval(&self, confidence: f64) -> Option<Estimate> {
        event_count_interval(&self.incidents_per_year, self.incidents, confidence)
    }

    /// Availability with its interval at `confidence`: one minus the
    /// downtime's, as a share of the year.
    pub fn availability_interval(&self, confidence: f64) -> Option<Estimate> {
        let d = self.downtime_interval(confidence)?;
        Some(availability_from_downtime(&self.availability, &d))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn welford(xs: &[f64]) -> Welford {
        let mut w = Welford::new();
        for &x in xs {
            w.push(x);
        }
        w
    }

    #[test]
    fn the_union_holds_both_views() {
        // Ten replications, three of them with one outage each.
        let reps = welford(&[0.0, 0.0, 6.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 4.0]);
        let outages = welford(&[6.0, 2.0, 4.0]);
        let e = outage_total_interval(&reps, &outages, 0.95).expect("an interval");
        assert_eq!(e.mean, 1.2);
        // The outage view alone: total 12 of squares 56, in the mean's unit.
        let q = 56.0 * 0.01;
        let (lo, hi) = gamma_interval(1.2, q, next_weight(1.2, q, 3).unwrap(), 0.95);
        assert!(e.ci_low <= lo + 1e-12 && e.ci_high >= hi - 1e-12);
        // The replication view alone.
        let (lo, hi) = gamma_interval(1.2, reps.variance() / 10.0, 0.6, 0.95);
        assert!(e.ci_low <= lo + 1e-12 && e.ci_high >= hi - 1e-12);
        assert!(e.ci_high > 2.0 * e.mean, "few outages: a long upper side");
    }

    #[test]
    fn the_worst_unit_weighs_fully_until_thirty_then_shrinks() {
        assert_eq!(worst_unit_weight(60.0, 20.0), 3.0);
        assert_eq!(worst_unit_weight(60.0, 30.0), 2.0);
        // 120 units: a quarter of the worst, halved.
        assert_eq!(worst_unit_weight(480.0, 120.0), 2.0);
        assert!(worst_unit_weight(0.0, 5.0) > 0.0);
    }

    #[test]
    fn no_outage_or_one_replication_has_no_interval() {
        let none = welford(&[0.0, 0.0]);
        assert!(outage_total_interval(&none, &Welford::new(), 0.95).is_none());
        let one = welford(&[3.0]);
        assert!(outage_total_interval(&one, &welford(&[3.0]), 0.95).is_none());
        assert!(event_count_interval(&none, 0, 0.95).is_none());
    }

    #[test]
    fn counts_without_clustering_take_jeffreys() {
        // Four replications of one event each: no spread between them, so
        // the count's interval is Jeffreys' alone.
        let reps = welford(&[1.0, 1.0, 1.0, 1.0]);
        let e = event_count_interval(&reps, 4, 0.95).expect("an interval");
        let (lo, hi) = jeffreys_poisson(4, 0.95);
        assert!((e.ci_low - lo / 4.0).abs() < 1e-12 && (e.ci_high - hi / 4.0).abs() < 1e-12);
    }

    #[test]
    fn clustered_counts_widen_the_interval() {
        // Eight events, all in one of four replications.
        let reps = welford(&[8.0, 0.0, 0.0, 0.0]);
        let e = event_count_interval(&reps, 8, 0.95).expect("an interval");
        let (_, hi) = jeffreys_poisson(8, 0.95);
        assert!(
            e.ci_high > hi / 4.0 * 1.5,
            "{} against {}",
            e.ci_high,
            hi / 4.0
        );
    }
}
