//! The result of `nines replay`: one replication re-run alone.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::run::{fmt_num, percent};

/// What one replication measured, as written by `nines replay --json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplayReport {
    /// The scenario's name.
    pub scenario: String,
    /// Where the scenario came from: a path or `builtin:NAME`.
    pub origin: String,
    /// The root seed of the run the replication belongs to.
    pub seed: u64,
    /// The replication's index.
    pub replication: u64,
    /// The simulated length of the replication, in hours.
    pub horizon_hours: f64,
    /// Its unmeasured initial span, in hours.
    pub warmup_hours: f64,
    /// Events processed.
    pub events: u64,
    /// The replication's digest (16 hex digits), as listed under
    /// `replication_hashes` by `nines run --json` with the same seed.
    pub trace_hash: String,
    /// The fraction of measured time the service was up (for a
    /// request-level scenario, the share of requests served in time).
    pub availability: f64,
    /// Downtime over the measured span, in minutes (not per year).
    pub downtime_minutes: f64,
    /// Outages that started in the measured span.
    pub incidents: u64,
    /// The file the trace was written to, if any.
    pub trace: Option<String>,
    /// The file the timeline was drawn to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<String>,
    /// With `--explain`: what happened, one line per change, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub explain: Vec<String>,
}

impl ReplayReport {
    /// The human summary printed by `nines replay`.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "scenario      {} ({})", self.scenario, self.origin);
        let _ = writeln!(
            s,
            "replication   {} of seed {}, {} h measured{}",
            self.replication,
            self.seed,
            fmt_num(self.horizon_hours - self.warmup_hours),
            if self.warmup_hours > 0.0 {
                format!(" after a {} h warm-up", fmt_num(self.warmup_hours))
            } else {
                String::new()
            }
        );
        let _ = writeln!(s, "availability  {}", percent(self.availability));
        let _ = writeln!(
            s,
            "downtime      {:.1} min over the replication",
            self.downtime_minutes
        );
        let _ = writeln!(s, "incidents     {}", self.incidents);
        let _ = writeln!(s, "events        {}", self.events);
        let _ = writeln!(s, "trace hash    {}", self.trace_hash);
        if let Some(path) = &self.trace {
            let _ = writeln!(s, "trace         {path} (one line per event)");
        }
        if let Some(path) = &self.timeline {
            let _ = writeln!(s, "timeline      {path}");
        }
        if !self.explain.is_empty() {
            let _ = writeln!(s, "what happened");
            for line in &self.explain {
                let _ = writeln!(s, "  {line}");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json() {
        let r = ReplayReport {
            scenario: "split-brain".into(),
            origin: "builtin:split-brain".into(),
            seed: 3,
            replication: 5,
            horizon_hours: 8760.0,
            warmup_hours: 0.0,
            events: 1234,
            trace_hash: "00000000deadbeef".into(),
            availability: 0.999,
            downtime_minutes: 525.6,
            incidents: 2,
            trace: None,
            timeline: None,
            explain: vec!["t+1h  db: down".into()],
        };
        let t = r.to_text();
        assert!(
            t.contains("replication   5 of seed 3, 8760 h measured\n"),
            "{t}"
        );
        assert!(t.contains("availability  99.90000%\n"), "{t}");
        assert!(
            t.contains("downtime      525.6 min over the replication\n"),
            "{t}"
        );
        assert!(t.contains("trace hash    00000000deadbeef\n"), "{t}");
        assert!(t.contains("what happened\n  t+1h  db: down\n"), "{t}");
        let back: ReplayReport = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }
}
