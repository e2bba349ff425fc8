//! Estimates from one long run cut into batches: what `nines run --method
//! batch-means` reports, and what the calibration harness measures.
//!
//! The windows of a [`WindowedRun`] are grouped into batches by
//! [`BatchMeans::analyse`], with the MSER-5 warm-up cut searched only
//! within [`RELAXATION_TIMES`] of the model's longest mean repair: a
//! system that starts all up starts in its most likely state, and forgets
//! it within a few repair times, while a rule free to cut half the run cuts,
//! preferentially, the stretches that saw outages (downtime was 35% low on
//! a 1-of-2 pair over 20 years). The batches then stand for replications:
//! downtime and incidents take the intervals of
//! [`crate::summary::intervals`] over the batch values, with the run's
//! outages as the outage view, so a run that saw few outages says so in
//! its width as a run of replications does.

use sim_core::stats::batch::{BatchMeans, BatchOptions, batch_series};
use sim_core::stats::{Estimate, Welford};
use sim_core::time::HOURS_PER_YEAR;

use crate::summary::intervals::{
    event_count_interval, outage_total_interval_with, worst_unit_weight,
};
use crate::windows::Window;
use crate::windows::WindowedRun;

/// The warm-up cut is searched within this many of the model's longest
/// mean repair times from the start of the measured span.
pub const RELAXATION_TIMES: f64 = 10.0;

/// Minutes in a year of 8760 hours.
const MINUTES_PER_YEAR: f64 = 60.0 * HOURS_PER_YEAR;

/// The batches of one long run and the estimates over them.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchEstimates {
    /// The batches chosen (their means are unavailabilities).
    pub batches: BatchMeans,
    /// The hours of each window.
    pub window_hours: f64,
    /// Downtime in minutes per year of each batch, as a running summary.
    pub downtime: Welford,
    /// Outages per year of each batch, as a running summary.
    pub incidents: Welford,
    /// The outages that started within the batches.
    pub outages: u64,
    /// The lengths of the run's outages (the outage view).
    pub outage_lengths: Welford,
    /// The horizon-long stretches the measured span was read as (the
    /// replications the run stands for, fewer when there are fewer
    /// windows).
    pub stretches: u64,
    /// Downtime in minutes per year of the worst of those stretches: the
    /// replication view's one more replication.
    pub worst_stretch: f64,
}

impl BatchEstimates {
    /// Cuts `run` into batches; `longest_repair_hours` bounds the warm-up
    /// cut ([`RELAXATION_TIMES`] of it), and `stretches` is the number of
    /// replications the run stands for (its length over the horizon): the
    /// measured span read as that many stretches gives the worst one.
    /// `None` when fewer than two batches are possible.
    pub fn analyse(
        run: &WindowedRun,
        longest_repair_hours: f64,
        stretches: u64,
    ) -> Option<BatchEstimates> {
        let windows = run.windows.len();
        let span_hours: f64 = run.windows.iter().map(|w| w.hours).sum();
        let window_hours = span_hours / windows.max(1) as f64;
        let max_cut = if window_hours > 0.0 && longest_repair_hours.is_finite() {
            (RELAXATION_TIMES * longest_repair_hours.max(0.0) / window_hours) as usize
        } else {
            0
        };
        let options = BatchOptions {
            max_cut,
            ..BatchOptions::default()
        };
        let unavailability: Vec<f64> = run.windows.iter().map(|w| w.unavailability()).collect();
        let batches = BatchMeans::analyse(&unavailability, options)?;
        let mut downtime = Welford::new();
        for &u in &batches.means {
            downtime.push(u * MINUTES_PER_YEAR);
        }
        let kept = &run.windows[batches.cut..];
        let rates: Vec<f64> = kept
            .iter()
            .map(|w| {
                if w.hours > 0.0 {
                    w.incidents as f64 * HOURS_PER_YEAR / w.hours
                } else {
                    0.0
                }
            })
            .collect();
        let mut incidents = Welford::new();
        for m in batch_series(&rates, batches.batch_size) {
            incidents.push(m);
        }
        let outages = kept.iter().map(|w| w.incidents).sum();
        let (stretches, worst_stretch) = worst_stretch(kept, stretches);
        Some(BatchEstimates {
            batches,
            window_hours,
            downtime,
            incidents,
            outages,
            outage_lengths: *run.measures.outages(),
            stretches,
            worst_stretch,
        })
    }

    /// Downtime in minutes per year with its interval at `confidence`:
    /// the outage view from the run's outages, the replication view from
    /// the batches; Student-t over the batches when there is no outage
    /// view (no outage, or every one instantaneous). `None` with fewer
    /// than two batches.
    pub fn downtime(&self, confidence: f64) -> Option<Estimate> {
        let worst = worst_unit_weight(self.worst_stretch, self.stretches as f64);
        outage_total_interval_with(&self.downtime, &self.outage_lengths, worst, confidence)
            .or_else(|| Estimate::from_welford(&self.downtime, confidence))
    }

    /// Outages per year with its interval at `confidence`, from the
    /// outage count and the batches; Student-t over the batches when none
    /// was seen.
    pub fn incidents(&self, confidence: f64) -> Option<Estimate> {
        event_count_interval(&self.incidents, self.outages, confidence)
            .or_else(|| Estimate::from_welford(&self.incidents, confidence))
    }
}

/// `windows` read as `stretches` consecutive stretches of whole windows
/// (as many as there are windows, when fewer): how many were formed and
/// the downtime in minutes per year of the worst. Windows beyond the last
/// whole stretch are left out of the comparison.
fn worst_stretch(windows: &[Window], stretches: u64) -> (u64, f64) {
    let per = (windows.len() / stretches.max(1) as usize).max(1);
    let mut formed = 0u64;
    let mut worst = 0.0f64;
    for stretch in windows.chunks_exact(per) {
        let hours: f64 = stretch.iter().map(|w| w.hours).sum();
        let down: f64 = stretch.iter().map(|w| w.downtime_hours).sum();
        if hours > 0.0 {
            worst = worst.max(down / hours * MINUTES_PER_YEAR);
        }
        formed += 1;
    }
    (formed, worst)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(downtime_hours: f64) -> Window {
        Window {
            hours: 876.0,
            downtime_hours,
            incidents: u64::from(downtime_hours > 0.0),
        }
    }

    #[test]
    fn the_worst_stretch_is_the_worst_horizon_long_span() {
        // Ten windows of a tenth of a year read as five years: the worst
        // year is the third, with 3 hours down.
        let ws: Vec<Window> = [0.0, 0.0, 1.0, 0.0, 1.0, 2.0, 0.0, 0.0, 0.5, 0.0]
            .into_iter()
            .map(window)
            .collect();
        let (formed, worst) = worst_stretch(&ws, 5);
        assert_eq!(formed, 5);
        assert!((worst - 3.0 / 1752.0 * MINUTES_PER_YEAR).abs() < 1e-9);
        // More stretches than windows: one window each.
        assert_eq!(worst_stretch(&ws, 40).0, 10);
        // Three stretches of three windows; the tenth is left out.
        let (formed, worst) = worst_stretch(&ws, 3);
        assert_eq!(formed, 3);
        assert!((worst - 3.0 / 2628.0 * MINUTES_PER_YEAR).abs() < 1e-9);
    }
}
