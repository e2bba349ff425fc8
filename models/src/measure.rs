//! What a replication measures about a service: downtime, incidents,
//! outage lengths, failures. Memory is constant whatever the horizon: every
//! measure is a running sum, count or extreme.

use sim_core::stats::Welford;
use sim_core::time::{HOURS_PER_YEAR, SimDuration, SimTime};

/// Upper edges of the outage-length histogram, in minutes; a last bin holds
/// everything longer.
pub const OUTAGE_BIN_EDGES_MIN: [f64; 9] =
    [1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 240.0, 480.0, 1440.0];

/// Counts of outages by length, in the bins of [`OUTAGE_BIN_EDGES_MIN`]
/// plus one for longer outages.
pub type OutageHistogram = [u64; OUTAGE_BIN_EDGES_MIN.len() + 1];

/// The bin of an outage of `minutes`.
pub fn outage_bin(minutes: f64) -> usize {
    OUTAGE_BIN_EDGES_MIN
        .iter()
        .position(|&edge| minutes <= edge)
        .unwrap_or(OUTAGE_BIN_EDGES_MIN.len())
}

/// The measures of one service over one replication.
///
/// Time before the warm-up instant is not measured: downtime is integrated
/// from the warm-up on, and an incident counts if it starts at or after it.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceMeasures {
    warmup: SimTime,
    up: bool,
    last_change: SimTime,
    down_since: Option<SimTime>,
    downtime: SimDuration,
    observed: SimDuration,
    incidents: u64,
    component_failures: u64,
    first_failure: Option<SimTime>,
    longest_outage: SimDuration,
    outages: Welford,
    histogram: OutageHistogram,
    up_at_end: bool,
}

impl ServiceMeasures {
    /// Measures that start counting at `warmup`, for a service that is `up`
    /// (or not) at time zero.
    pub fn new(warmup: SimTime, up: bool) -> Self {
        ServiceMeasures {
            warmup,
            up,
            last_change: SimTime::ZERO,
            down_since: if up { None } else { Some(SimTime::ZERO) },
            downtime: SimDuration::ZERO,
            observed: SimDuration::ZERO,
            incidents: 0,
            component_failures: 0,
            first_failure: None,
            longest_outage: SimDuration::ZERO,
            outages: Welford::new(),
            histogram: [0; OUTAGE_BIN_EDGES_MIN.len() + 1],
            up_at_end: up,
        }
    }

    /// The part of `[from, to)` after the warm-up.
    fn measured(&self, from: SimTime, to: SimTime) -> SimDuration {
        to - from.max(self.warmup)
    }

    /// Records that the service went up or down at `now`.
    #[inline]
    pub fn set_up(&mut self, now: SimTime, up: bool) {
        if up == self.up {
            return;
        }
        if !self.up {
            let d = self.measured(self.last_change, now);
            self.downtime += d;
            if let Some(since) = self.down_since.take() {
                self.close_outage(since, now);
            }
        } else {
            if now >= self.warmup {
                self.incidents += 1;
            }
            if self.first_failure.is_none() {
                self.first_failure = Some(now);
            }
            self.down_since = Some(now);
        }
        self.up = up;
        self.last_change = now;
    }

    /// Records an outage from `since` to `until` (the part after the
    /// warm-up; one cut off by the horizon counts with its observed length).
    fn close_outage(&mut self, since: SimTime, until: SimTime) {
        let length = self.measured(since, until);
        if length.is_zero() && since < self.warmup {
            // Over before the warm-up ended: not measured. An outage of
            // zero length after it (a repair that takes no time) counts.
            return;
        }
        self.longest_outage = self.longest_outage.max(length);
        self.outages.push(length.as_hours_f64());
        self.histogram[outage_bin(length.as_hours_f64() * 60.0)] += 1;
    }

    /// Outage lengths in hours (running mean and variance).
    pub fn outages(&self) -> &Welford {
        &self.outages
    }

    /// Outages by length, in the bins of [`OUTAGE_BIN_EDGES_MIN`].
    pub fn outage_histogram(&self) -> &OutageHistogram {
        &self.histogram
    }

    /// Records one component failure (whether or not the service went down).
    #[inline]
    pub fn component_failed(&mut self) {
        self.component_failures += 1;
    }

    /// Closes the measures at the horizon `end`.
    pub fn finish(&mut self, end: SimTime) {
        if !self.up {
            self.downtime += self.measured(self.last_change, end);
            if let Some(since) = self.down_since.take() {
                self.close_outage(since, end);
            }
        }
        self.last_change = end;
        self.observed = end - self.warmup;
        self.up_at_end = self.up;
    }

    /// When measurement starts (the warm-up instant).
    pub fn warmup(&self) -> SimTime {
        self.warmup
    }

    /// The measured span (horizon minus warm-up); zero until
    /// [`ServiceMeasures::finish`].
    pub fn observed(&self) -> SimDuration {
        self.observed
    }

    /// The measured span (horizon minus warm-up), in hours.
    pub fn observed_hours(&self) -> f64 {
        self.observed.as_hours_f64()
    }

    /// The unmeasured warm-up, in hours.
    pub fn warmup_hours(&self) -> f64 {
        self.warmup.as_hours_f64()
    }

    /// Total downtime in the measured span, in hours.
    pub fn downtime_hours(&self) -> f64 {
        self.downtime.as_hours_f64()
    }

    /// Downtime in the measured span from the warm-up to `now`, for reading
    /// a run that is paused at `now` (see `Simulation::advance`): what
    /// [`ServiceMeasures::finish`] at `now` would add, without closing
    /// anything. `now` must not be earlier than the last change; before
    /// the warm-up it is zero.
    pub fn downtime_until(&self, now: SimTime) -> SimDuration {
        if self.up {
            return self.downtime;
        }
        self.downtime + now.saturating_since(self.last_change.max(self.warmup))
    }

    /// The fraction of the measured span the service was up.
    pub fn availability(&self) -> f64 {
        if self.observed.is_zero() {
            return if self.up_at_end { 1.0 } else { 0.0 };
        }
        1.0 - self.downtime.as_micros() as f64 / self.observed.as_micros() as f64
    }

    /// Downtime in minutes per year of 8760 h.
    pub fn downtime_minutes_per_year(&self) -> f64 {
        (1.0 - self.availability()) * HOURS_PER_YEAR * 60.0
    }

    /// Outages that started in the measured span.
    pub fn incidents(&self) -> u64 {
        self.incidents
    }

    /// Outages per year of 8760 h.
    pub fn incidents_per_year(&self) -> f64 {
        let years = self.observed_hours() / HOURS_PER_YEAR;
        if years > 0.0 {
            self.incidents as f64 / years
        } else {
            0.0
        }
    }

    /// Component failures, over the whole run (warm-up included).
    pub fn component_failures(&self) -> u64 {
        self.component_failures
    }

    /// When the service first went down, if it did (warm-up included).
    pub fn first_failure(&self) -> Option<SimTime> {
        self.first_failure
    }

    /// The longest outage seen in the measured span, in hours.
    pub fn longest_outage_hours(&self) -> f64 {
        self.longest_outage.as_hours_f64()
    }

    /// Whether the service was up at the horizon.
    pub fn up_at_end(&self) -> bool {
        self.up_at_end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(x: u64) -> SimTime {
        SimTime::from_duration(SimDuration::from_hours(x))
    }

    #[test]
    fn integrates_downtime_and_counts_incidents() {
        let mut m = ServiceMeasures::new(SimTime::ZERO, true);
        m.set_up(h(10), false);
        m.set_up(h(12), true);
        m.set_up(h(20), false);
        m.finish(h(25));
        assert_eq!(m.downtime_hours(), 7.0);
        assert_eq!(m.incidents(), 2);
        assert_eq!(m.longest_outage_hours(), 5.0);
        assert_eq!(m.outages().count(), 2);
        assert_eq!(m.outages().mean(), 3.5);
        assert_eq!(m.outage_histogram()[outage_bin(120.0)], 1);
        assert_eq!(m.outage_histogram()[outage_bin(300.0)], 1);
        assert!(!m.up_at_end());
        assert_eq!(m.first_failure(), Some(h(10)));
        assert!((m.availability() - 18.0 / 25.0).abs() < 1e-12);
    }

    #[test]
    fn warmup_is_not_measured() {
        let mut m = ServiceMeasures::new(h(10), true);
        m.set_up(h(5), false);
        m.set_up(h(15), true); // 5 h down after warm-up, incident before it
        m.set_up(h(20), false);
        m.set_up(h(21), true);
        m.finish(h(30));
        assert_eq!(m.downtime_hours(), 6.0);
        assert_eq!(m.incidents(), 1);
        assert_eq!(m.observed_hours(), 20.0);
        assert!((m.availability() - 0.7).abs() < 1e-12);
    }

    #[test]
    fn downtime_until_reads_without_closing() {
        let mut m = ServiceMeasures::new(h(10), true);
        m.set_up(h(5), false);
        assert_eq!(m.downtime_until(h(8)), SimDuration::ZERO);
        assert_eq!(m.downtime_until(h(12)), SimDuration::from_hours(2));
        m.set_up(h(15), true);
        assert_eq!(m.downtime_until(h(20)), SimDuration::from_hours(5));
        m.set_up(h(20), false);
        assert_eq!(m.downtime_until(h(23)), SimDuration::from_hours(8));
        m.finish(h(23));
        assert_eq!(m.downtime_hours(), 8.0);
    }

    #[test]
    fn repeated_states_are_ignored() {
        let mut m = ServiceMeasures::new(SimTime::ZERO, true);
        m.set_up(h(1), true);
        m.set_up(h(2), false);
        m.set_up(h(3), false);
        m.finish(h(4));
        assert_eq!(m.incidents(), 1);
        assert_eq!(m.downtime_hours(), 2.0);
    }
}
