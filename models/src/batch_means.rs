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

use crate::summary::intervals::{event_count_interval, outage_total_interval};
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
}

impl BatchEstimates {
    /// Cuts `run` into batches; `longest_repair_hours` bounds the warm-up
    /// cut ([`RELAXATION_TIMES`] of it). `None` when fewer than two
    /// batches are possible.
    pub fn analyse(run: &WindowedRun, longest_repair_hours: f64) -> Option<BatchEstimates> {
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
        Some(BatchEstimates {
            batches,
            window_hours,
            downtime,
            incidents,
            outages,
            outage_lengths: *run.measures.outages(),
        })
    }

    /// Downtime in minutes per year with its interval at `confidence`:
    /// the outage view from the run's outages, the replication view from
    /// the batches; Student-t over the batches when there is no outage
    /// view (no outage, or every one instantaneous). `None` with fewer
    /// than two batches.
    pub fn downtime(&self, confidence: f64) -> Option<Estimate> {
        outage_total_interval(&self.downtime, &self.outage_lengths, confidence)
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
