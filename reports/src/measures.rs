//! The measures designs are judged by: their names, units and which way is
//! better, and the objectives `--objective` chooses among them.
//!
//! One catalog serves `nines compare` (a paired difference for every
//! measure both designs have) and `nines sweep` (what ranks the points and
//! what the Pareto frontier is drawn over), so both speak of the same
//! measures by the same names.

use crate::run::{Interval, RunReport};

/// Which way a measure is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// Less is better (downtime, cost, writes lost).
    Lower,
    /// More is better (availability, requests served).
    Higher,
}

/// One measure of a design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measure {
    /// Its key in JSON (`differences`) and its name on the command line.
    pub key: &'static str,
    /// Shorter names `--objective` also accepts.
    pub aliases: &'static [&'static str],
    /// Its name in words, for verdicts ("writes lost").
    pub words: &'static str,
    /// Its unit as printed after a value (`min/yr`, `/yr`, `h`, or empty
    /// for a share).
    pub unit: &'static str,
    /// Which way is better.
    pub better: Better,
    /// Whether values are shares in [0, 1], printed as percentages.
    pub share: bool,
    /// Whether `nines compare` lists its paired difference. Availability
    /// is downtime seen from the other side, so only downtime is listed.
    pub paired: bool,
}

impl Measure {
    /// A value of this measure as printed: a percentage for shares, else
    /// with as many decimals as its size calls for, and the unit.
    pub fn format(&self, value: f64) -> String {
        if self.share {
            return crate::digits::percent(value, 5);
        }
        let digits = if value == 0.0 || value.abs() >= 100.0 {
            0
        } else if value.abs() >= 1.0 {
            1
        } else {
            3
        };
        if self.unit.is_empty() {
            format!("{value:.digits$}")
        } else {
            format!("{value:.digits$} {}", self.unit)
        }
    }

    /// A signed difference of this measure with its 95% interval, in one
    /// unit chosen for the largest of the three: `-50.6 /yr, 95% CI
    /// [-56.6, -44.5]`; shares in percentage points, hours as h, min or s.
    pub fn describe_difference(&self, mean: f64, low: f64, high: f64) -> String {
        let (scale, unit) = self.scale(mean.abs().max(low.abs()).max(high.abs()));
        let largest = (mean.abs().max(low.abs()).max(high.abs())) * scale;
        let digits = if largest >= 100.0 || largest == 0.0 {
            0
        } else if largest >= 1.0 {
            1
        } else {
            3
        };
        let v = |x: f64| format!("{:+.digits$}", x * scale);
        format!("{} {unit}, 95% CI [{}, {}]", v(mean), v(low), v(high))
    }

    /// The factor and unit a value of magnitude `size` is printed in.
    fn scale(&self, size: f64) -> (f64, &'static str) {
        if self.share {
            return (100.0, "points");
        }
        if self.unit == "h" {
            return if size >= 1.0 {
                (1.0, "h")
            } else if size >= 1.0 / 60.0 {
                (60.0, "min")
            } else {
                (3600.0, "s")
            };
        }
        (1.0, self.unit)
    }

    /// Whether `a` is better than `b` on this measure.
    pub fn is_better(&self, a: f64, b: f64) -> bool {
        match self.better {
            Better::Lower => a < b,
            Better::Higher => a > b,
        }
    }
}

const fn measure(
    key: &'static str,
    aliases: &'static [&'static str],
    words: &'static str,
    unit: &'static str,
    better: Better,
) -> Measure {
    Measure {
        key,
        aliases,
        words,
        unit,
        better,
        share: false,
        paired: true,
    }
}

/// Every measure, in the order comparisons list them.
pub const MEASURES: [Measure; 15] = [
    measure(
        "downtime_minutes_per_year",
        &["downtime"],
        "downtime",
        "min/yr",
        Better::Lower,
    ),
    Measure {
        paired: false,
        share: true,
        ..measure("availability", &[], "availability", "", Better::Higher)
    },
    measure(
        "incidents_per_year",
        &["incidents", "outages"],
        "incidents",
        "/yr",
        Better::Lower,
    ),
    Measure {
        share: true,
        ..measure(
            "request_availability",
            &["requests", "requests_served"],
            "requests served",
            "",
            Better::Higher,
        )
    },
    measure(
        "degraded_minutes_per_year",
        &["degraded"],
        "degraded time",
        "min/yr",
        Better::Lower,
    ),
    measure(
        "writes_lost_per_year",
        &["writes_lost", "lost_writes", "data_loss"],
        "writes lost",
        "/yr",
        Better::Lower,
    ),
    measure(
        "loss_events_per_year",
        &["loss_events"],
        "loss events",
        "/yr",
        Better::Lower,
    ),
    measure(
        "worst_rpo_hours",
        &["rpo", "worst_rpo"],
        "worst recovery point",
        "h",
        Better::Lower,
    ),
    Measure {
        share: true,
        ..measure(
            "write_availability",
            &["writes"],
            "write availability",
            "",
            Better::Higher,
        )
    },
    measure(
        "write_latency_ms",
        &["write_latency"],
        "write latency",
        "ms",
        Better::Lower,
    ),
    measure(
        "writes_refused_per_year",
        &["writes_refused"],
        "writes refused",
        "/yr",
        Better::Lower,
    ),
    measure(
        "failovers_per_year",
        &["failovers"],
        "failovers",
        "/yr",
        Better::Lower,
    ),
    measure(
        "needless_failovers_per_year",
        &["needless_failovers"],
        "needless failovers",
        "/yr",
        Better::Lower,
    ),
    measure(
        "split_brain_minutes_per_year",
        &["split_brain"],
        "split-brain time",
        "min/yr",
        Better::Lower,
    ),
    measure("cost_per_year", &["cost"], "cost", "/yr", Better::Lower),
];

/// The components of cost, as `cost_per_year.components` names them,
/// each a measure of its own in comparisons (`cost_components`).
pub const COST_COMPONENTS: [Measure; 13] = [
    measure("instances", &[], "instance cost", "/yr", Better::Lower),
    measure("standbys", &[], "standby cost", "/yr", Better::Lower),
    measure("hosts", &[], "host cost", "/yr", Better::Lower),
    measure("zones", &[], "zone cost", "/yr", Better::Lower),
    measure("regions", &[], "region cost", "/yr", Better::Lower),
    measure("crews", &[], "crew cost", "/yr", Better::Lower),
    measure("incidents", &[], "incident cost", "/yr", Better::Lower),
    measure("repairs", &[], "repair cost", "/yr", Better::Lower),
    measure("backups", &[], "backup cost", "/yr", Better::Lower),
    measure(
        "backup_storage",
        &[],
        "backup storage cost",
        "/yr",
        Better::Lower,
    ),
    measure("traffic", &[], "traffic cost", "/yr", Better::Lower),
    measure("sla_credits", &[], "SLA credits", "/yr", Better::Lower),
    measure("downtime", &[], "downtime cost", "/yr", Better::Lower),
];

/// The cost component named `name` (`backups`, `sla_credits`).
pub fn cost_component(name: &str) -> Option<&'static Measure> {
    COST_COMPONENTS.iter().find(|m| m.key == name)
}

/// The measure `name` names (its key or one of its aliases).
pub fn find(name: &str) -> Option<&'static Measure> {
    MEASURES
        .iter()
        .find(|m| m.key == name || m.aliases.contains(&name))
}

/// The objectives a sweep is judged by unless `--objective` says
/// otherwise: cost and availability.
pub const DEFAULT_SWEEP_OBJECTIVES: [&str; 2] = ["cost_per_year", "availability"];

/// The objectives a comparison's overall verdict weighs unless
/// `--objective` says otherwise: downtime and cost.
pub const DEFAULT_COMPARE_OBJECTIVES: [&str; 2] = ["downtime_minutes_per_year", "cost_per_year"];

/// Reads `--objective`: measure names separated by commas, each at most
/// once, such as `cost,writes_lost`.
pub fn parse_objectives(text: &str) -> Result<Vec<&'static Measure>, String> {
    let mut chosen: Vec<&'static Measure> = Vec::new();
    for name in text.split(',').map(str::trim) {
        if name.is_empty() {
            return Err(format!(
                "--objective {text:?}: an empty name; expected measures separated by commas, such as cost,writes_lost"
            ));
        }
        let Some(m) = find(name) else {
            return Err(format!(
                "--objective: unknown measure {name:?}; expected one of {}",
                known_names()
            ));
        };
        if chosen.iter().any(|c| c.key == m.key) {
            return Err(format!("--objective: {name:?} is named twice"));
        }
        chosen.push(m);
    }
    Ok(chosen)
}

/// Every name `--objective` accepts, shortest first for each measure.
pub fn known_names() -> String {
    MEASURES
        .iter()
        .map(|m| m.aliases.first().copied().unwrap_or(m.key))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The measures of `keys` (keys of [`MEASURES`]); unknown keys are left
/// out.
pub fn by_keys<S: AsRef<str>>(keys: &[S]) -> Vec<&'static Measure> {
    keys.iter().filter_map(|k| find(k.as_ref())).collect()
}

/// The point estimate of `m` in a run's results, when the design has that
/// measure: the mean over replications, except the worst recovery point,
/// which is the worst seen in any replication.
pub fn point_value(report: &RunReport, m: &Measure) -> Option<f64> {
    let data = report.data.as_ref();
    Some(match m.key {
        "downtime_minutes_per_year" => report.downtime_minutes_per_year.mean,
        "availability" => report.availability.mean,
        "incidents_per_year" => report.incidents_per_year.mean,
        "request_availability" => match (&report.request_availability, &report.requests) {
            (Some(r), _) => r.mean,
            (None, Some(_)) => report.availability.mean,
            (None, None) => return None,
        },
        "degraded_minutes_per_year" => report.degraded_minutes_per_year?.mean,
        "writes_lost_per_year" => data?.lost_writes_per_year.mean,
        "loss_events_per_year" => data?.loss_events_per_year.mean,
        "worst_rpo_hours" => data?.worst_rpo_hours,
        "write_availability" => report
            .services
            .as_ref()?
            .iter()
            .filter_map(|s| s.write_availability)
            .reduce(f64::min)?,
        "write_latency_ms" => writes(report)
            .filter_map(|w| w.latency_ms.map(|l| l.mean))
            .reduce(f64::max)?,
        "writes_refused_per_year" => writes(report)
            .map(|w| w.refused_per_year.mean)
            .reduce(|a, b| a + b)?,
        "failovers_per_year" => data?.failovers_per_year.mean,
        "needless_failovers_per_year" => data?.needless_failovers_per_year.mean,
        "split_brain_minutes_per_year" => data?.split_brain_minutes_per_year.mean,
        "cost_per_year" => report.cost_per_year.as_ref()?.total.mean,
        _ => return None,
    })
}

/// The 95% interval of measure `m` in `report`, where the report gives one
/// (measures estimated per replication: downtime, incidents, requests
/// served, degraded time, writes lost, loss events, failovers, cost, and
/// the write measures of a design with one active-passive service with
/// data);
/// `None` for figures without one (the worst recovery point, a measure the
/// report lacks).
pub fn point_interval(report: &RunReport, m: &Measure) -> Option<Interval> {
    let data = report.data.as_ref();
    match m.key {
        "downtime_minutes_per_year" => Some(report.downtime_minutes_per_year),
        "incidents_per_year" => Some(report.incidents_per_year),
        "request_availability" => report.request_availability,
        "degraded_minutes_per_year" => report.degraded_minutes_per_year,
        "writes_lost_per_year" => data.map(|d| d.lost_writes_per_year),
        "loss_events_per_year" => data.map(|d| d.loss_events_per_year),
        "failovers_per_year" => data.map(|d| d.failovers_per_year),
        "cost_per_year" => report.cost_per_year.as_ref().map(|c| c.total),
        // With one service that has write measures, its own intervals.
        "write_latency_ms" | "writes_refused_per_year" | "write_availability" => {
            let mut all = writes(report);
            let (Some(w), None) = (all.next(), all.next()) else {
                return None;
            };
            match m.key {
                "write_latency_ms" => w.latency_ms,
                "writes_refused_per_year" => Some(w.refused_per_year),
                _ => Some(w.availability),
            }
        }
        _ => None,
    }
}

/// The write measures of every active-passive service with data.
fn writes(report: &RunReport) -> impl Iterator<Item = &crate::run::Writes> {
    report
        .services
        .iter()
        .flatten()
        .filter_map(|s| s.writes.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_find_their_measure() {
        assert_eq!(find("cost").unwrap().key, "cost_per_year");
        assert_eq!(find("writes_lost").unwrap().key, "writes_lost_per_year");
        assert_eq!(find("lost_writes").unwrap().key, "writes_lost_per_year");
        assert_eq!(find("downtime_minutes_per_year").unwrap().words, "downtime");
        assert!(find("latency").is_none());
    }

    #[test]
    fn keys_and_aliases_are_unique() {
        let mut all: Vec<&str> = MEASURES
            .iter()
            .flat_map(|m| std::iter::once(m.key).chain(m.aliases.iter().copied()))
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "a name is used twice");
    }

    #[test]
    fn objectives_are_read_in_order_and_mistakes_named() {
        let o = parse_objectives("cost, writes_lost").unwrap();
        assert_eq!(
            o.iter().map(|m| m.key).collect::<Vec<_>>(),
            ["cost_per_year", "writes_lost_per_year"]
        );
        let e = parse_objectives("cost,latnecy").unwrap_err();
        assert!(e.contains("unknown measure \"latnecy\""), "{e}");
        assert!(e.contains("writes_lost"), "{e}");
        assert!(
            parse_objectives("cost,cost_per_year")
                .unwrap_err()
                .contains("twice")
        );
        assert!(parse_objectives("cost,").unwrap_err().contains("empty"));
    }

    #[test]
    fn defaults_name_catalog_measures() {
        assert_eq!(by_keys(&DEFAULT_SWEEP_OBJECTIVES).len(), 2);
        assert_eq!(by_keys(&DEFAULT_COMPARE_OBJECTIVES).len(), 2);
    }

    #[test]
    fn values_print_in_their_unit() {
        let writes = find("writes_lost").unwrap();
        assert_eq!(writes.format(1234.4), "1234 /yr");
        assert_eq!(writes.format(12.34), "12.3 /yr");
        assert_eq!(writes.format(0.5), "0.500 /yr");
        assert_eq!(find("requests").unwrap().format(0.99), "99.00000%");
        assert_eq!(
            writes.describe_difference(-50.555, -56.646, -44.464),
            "-50.6 /yr, 95% CI [-56.6, -44.5]"
        );
        assert_eq!(
            find("rpo")
                .unwrap()
                .describe_difference(-0.2 / 3600.0, -0.3 / 3600.0, -0.1 / 3600.0),
            "-0.200 s, 95% CI [-0.300, -0.100]"
        );
        assert_eq!(
            find("rpo").unwrap().describe_difference(-0.5, -0.75, -0.25),
            "-30.0 min, 95% CI [-45.0, -15.0]"
        );
        assert_eq!(
            find("requests")
                .unwrap()
                .describe_difference(0.001, 0.0005, 0.0015),
            "+0.100 points, 95% CI [+0.050, +0.150]"
        );
        assert!(writes.is_better(1.0, 2.0));
        assert!(find("requests").unwrap().is_better(0.9, 0.8));
    }
}
