//! The result of `nines run --rare-event bfb`: importance sampling of a
//! k-of-n system too available for plain Monte Carlo.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::run::{Availability, Interval, fmt_num};

/// Everything `nines run --rare-event` reports, as written by `--json`.
///
/// The estimates are regenerative importance-sampling estimates (balanced
/// failure biasing by window forcing) with 95% intervals by the delta
/// method; `rare_event` says how far they can be trusted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RareEventReport {
    /// The scenario's name.
    pub scenario: String,
    /// Where the scenario came from: a path or `builtin:NAME`.
    pub origin: String,
    /// Always `"rare-event"`, to tell this report from a `RunReport`.
    pub method: String,
    /// The root seed.
    pub seed: u64,
    /// Steady-state availability, with its 95% interval (the 99% one is
    /// the 95% one widened by the normal quantiles' ratio).
    pub availability: Availability,
    /// Downtime per year of 8760 h, in minutes.
    pub downtime_minutes_per_year: Interval,
    /// System failures per year of 8760 h.
    pub incidents_per_year: Interval,
    /// Mean time from all up to the first system failure, hours.
    pub mttf_hours: Interval,
    /// The probability that a cycle from all up reaches system failure
    /// before all are up again.
    pub p_cycle_hits_failure: Interval,
    /// How the estimate was made and how far it can be trusted.
    pub rare_event: RareEventDiagnostics,
}

/// The diagnostics of an importance-sampling run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RareEventDiagnostics {
    /// The forcing probability used.
    pub bias: f64,
    /// Whether the bias was chosen by a cross-entropy pilot.
    pub bias_auto: bool,
    /// Biased cycles simulated.
    pub cycles: u64,
    /// Plain cycles simulated (for the mean cycle length).
    pub plain_cycles: u64,
    /// Biased cycles that reached system failure.
    pub hits: u64,
    /// Kish's effective sample size of the hits' weights.
    pub ess: f64,
    /// The largest weight's share of all the hits' weight.
    pub max_weight_share: f64,
    /// The mean likelihood ratio over the biased cycles, with its 95%
    /// interval: it must be 1 (a run where it is not is refused).
    pub mean_lr: Interval,
    /// The relative error (standard error over the mean) of the
    /// unavailability.
    pub relative_error: f64,
    /// Whether the target relative error was reached within the budget.
    pub target_met: bool,
    /// Events simulated, pilots included.
    pub events: u64,
    /// Events plain Monte Carlo would have needed for the same relative
    /// error.
    pub plain_mc_events_needed: f64,
    /// `plain_mc_events_needed / events`.
    pub speedup: f64,
}

impl RareEventReport {
    /// The human summary printed by `nines run --rare-event`.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let a = &self.availability;
        let d = &self.downtime_minutes_per_year;
        let i = &self.incidents_per_year;
        let m = &self.mttf_hours;
        let r = &self.rare_event;
        let _ = writeln!(s, "scenario      {} ({})", self.scenario, self.origin);
        let _ = writeln!(
            s,
            "method        importance sampling (balanced failure biasing, bias {:.3}{}), seed {}",
            r.bias,
            if r.bias_auto {
                ", chosen by a pilot"
            } else {
                ""
            },
            self.seed
        );
        let _ = writeln!(
            s,
            "unavailability {:.4e}  95% CI [{:.4e}, {:.4e}]",
            1.0 - a.mean,
            1.0 - a.ci95_high,
            1.0 - a.ci95_low
        );
        let _ = writeln!(s, "nines         {:.2}", a.nines);
        let _ = writeln!(
            s,
            "downtime      {:.4e} min/yr  95% CI [{:.4e}, {:.4e}]",
            d.mean, d.ci95_low, d.ci95_high
        );
        let _ = writeln!(
            s,
            "incidents     {:.4e} /yr  95% CI [{:.4e}, {:.4e}]",
            i.mean, i.ci95_low, i.ci95_high
        );
        let _ = writeln!(
            s,
            "MTTF          {:.4e} h  95% CI [{:.4e}, {:.4e}] (from all up)",
            m.mean, m.ci95_low, m.ci95_high
        );
        let _ = writeln!(
            s,
            "relative err  {:.1}%{} over {} biased cycles ({} reached failure, effective {:.0}; largest weight {:.1}% of all)",
            100.0 * r.relative_error,
            if r.target_met {
                ""
            } else {
                " (target not reached within the budget)"
            },
            r.cycles,
            r.hits,
            r.ess,
            100.0 * r.max_weight_share
        );
        let _ = writeln!(
            s,
            "likelihood    mean ratio {:.4}  95% CI [{:.4}, {:.4}] (must be 1)",
            r.mean_lr.mean, r.mean_lr.ci95_low, r.mean_lr.ci95_high
        );
        let _ = writeln!(
            s,
            "work          {} events; plain Monte Carlo would need {:.3e} for the same relative error ({}x more)",
            r.events,
            r.plain_mc_events_needed,
            fmt_num(r.speedup.round())
        );
        s
    }
}
