//! The result of `nines run --method batch-means`: one long run cut into
//! batches, instead of independent replications.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::run::{Availability, Interval, fmt_num};

/// Everything `nines run --method batch-means` reports, as written by
/// `--json`.
///
/// The estimates are means over batches of one long replication with
/// Student-t intervals (`batches − 1` degrees of freedom); the batch size
/// was chosen so that the batch means are nearly uncorrelated
/// (`lag1_autocorrelation`), after a warm-up cut chosen by MSER-5.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchMeansReport {
    /// The scenario's name.
    pub scenario: String,
    /// Where the scenario came from: a path or `builtin:NAME`.
    pub origin: String,
    /// Always `"batch-means"`, to tell this report from a `RunReport`.
    pub method: String,
    /// The root seed.
    pub seed: u64,
    /// The replication simulated (always 0): `nines replay` with this
    /// replication and a horizon of `run_hours` gives the same trace hash.
    pub replication: u64,
    /// The simulated length of the long run, hours (the scenario's
    /// replications times its horizon).
    pub run_hours: f64,
    /// The scenario's warm-up, simulated once at the start and not
    /// measured, hours.
    pub warmup_hours: f64,
    /// The further warm-up cut after it, hours: the MSER-5 truncation,
    /// rounded up so that the rest splits into whole batches.
    pub warmup_cut_hours: f64,
    /// The span the batches cover, hours.
    pub measured_hours: f64,
    /// The number of batches.
    pub batches: u64,
    /// The length of each batch, hours.
    pub batch_hours: f64,
    /// The lag-1 autocorrelation of the batch means of downtime.
    pub lag1_autocorrelation: f64,
    /// True when the lag-1 autocorrelation is below the threshold the
    /// batch size was chosen for (0.2); false when the fewest batches
    /// allowed (10) were still correlated: the interval is then likely too
    /// narrow, and a longer run is needed.
    pub batches_uncorrelated: bool,
    /// Time-based availability of the service: the mean over batches, with
    /// 95% and 99% intervals over the batch means.
    pub availability: Availability,
    /// Downtime per year of 8760 h, in minutes, with a 95% interval over
    /// the batch means.
    pub downtime_minutes_per_year: Interval,
    /// Outages starting per year, with a 95% interval over the batch means.
    pub incidents_per_year: Interval,
    /// With no downtime observed: the outage length assumed to turn the
    /// bound on the outage rate into one on downtime (the slowest mean
    /// repair); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumed_outage_hours: Option<f64>,
    /// The downtime of each batch, minutes per year, in order.
    pub batch_downtime_minutes_per_year: Vec<f64>,
    /// Events processed in the long run.
    pub events: u64,
    /// The digest of the long run's events (16 hex digits).
    pub trace_hash: String,
}

impl BatchMeansReport {
    /// The human summary printed by `nines run --method batch-means`.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let a = &self.availability;
        let d = &self.downtime_minutes_per_year;
        let i = &self.incidents_per_year;
        let _ = writeln!(s, "scenario      {} ({})", self.scenario, self.origin);
        let _ = writeln!(
            s,
            "method        batch means over one run of {} h (replication {}, seed {})",
            fmt_num(self.run_hours),
            self.replication,
            self.seed
        );
        let _ = writeln!(
            s,
            "warm-up cut   {} h by MSER-5{}",
            fmt_num(self.warmup_cut_hours),
            if self.warmup_hours > 0.0 {
                format!(
                    ", after the scenario's {} h warm-up",
                    fmt_num(self.warmup_hours)
                )
            } else {
                String::new()
            }
        );
        let _ = writeln!(
            s,
            "batches       {} of {} h, lag-1 autocorrelation {:.3}{}",
            self.batches,
            fmt_num(self.batch_hours),
            self.lag1_autocorrelation,
            if self.batches_uncorrelated {
                ""
            } else {
                " (still correlated at the fewest batches: the interval is likely too narrow; run longer)"
            }
        );
        crate::run::write_headline(&mut s, a, d, i, self.assumed_outage_hours, "");
        let _ = writeln!(s, "events        {}", self.events);
        let _ = writeln!(s, "trace hash    {}", self.trace_hash);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> BatchMeansReport {
        BatchMeansReport {
            scenario: "cluster-2of3".into(),
            origin: "builtin:cluster-2of3".into(),
            method: "batch-means".into(),
            seed: 1,
            replication: 0,
            run_hours: 1_752_000.0,
            warmup_hours: 0.0,
            warmup_cut_hours: 0.0,
            measured_hours: 1_752_000.0,
            batches: 160,
            batch_hours: 10_950.0,
            lag1_autocorrelation: 0.031,
            batches_uncorrelated: true,
            availability: Availability {
                mean: 0.99971,
                ci95_low: 0.99968,
                ci95_high: 0.99974,
                ci99_low: 0.99967,
                ci99_high: 0.99975,
                nines: 3.54,
                zero_downtime_observed: false,
            },
            downtime_minutes_per_year: Interval {
                mean: 152.4,
                ci95_low: 137.0,
                ci95_high: 167.8,
            },
            incidents_per_year: Interval {
                mean: 0.52,
                ci95_low: 0.47,
                ci95_high: 0.57,
            },
            assumed_outage_hours: None,
            batch_downtime_minutes_per_year: vec![150.0, 154.8],
            events: 9999,
            trace_hash: "00000000deadbeef".into(),
        }
    }

    #[test]
    fn text_shows_the_batches_and_the_interval() {
        let t = sample().to_text();
        assert!(
            t.contains(
                "method        batch means over one run of 1752000 h (replication 0, seed 1)"
            ),
            "{t}"
        );
        assert!(t.contains("warm-up cut   0 h by MSER-5\n"), "{t}");
        assert!(
            t.contains("batches       160 of 10950 h, lag-1 autocorrelation 0.031\n"),
            "{t}"
        );
        assert!(
            t.contains("downtime      152.4 min/yr  95% CI [137.0, 167.8]"),
            "{t}"
        );
        let mut r = sample();
        r.batches_uncorrelated = false;
        r.warmup_hours = 8760.0;
        let t = r.to_text();
        assert!(t.contains("after the scenario's 8760 h warm-up"), "{t}");
        assert!(t.contains("run longer"), "{t}");
    }

    #[test]
    fn json_round_trips() {
        let r = sample();
        let back: BatchMeansReport =
            serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }
}
