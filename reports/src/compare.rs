//! The result of `nines compare`: several designs run under common random
//! numbers, side by side, and their paired differences from the first.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::run::{RunReport, fmt_num, percent};

/// Everything `nines compare` reports, as written by `--json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareReport {
    /// The root seed every design ran with.
    pub seed: u64,
    /// The replications every design ran (the same for all).
    pub replications: u64,
    /// The simulated length of each replication, in hours (the same for all).
    pub horizon_hours: f64,
    /// The name each design goes by in `differences`, in command-line order:
    /// its scenario name, or its path when two designs share a name.
    pub names: Vec<String>,
    /// Each design's results, as `nines run --json` writes them, in
    /// command-line order.
    pub designs: Vec<RunReport>,
    /// Each design after the first against the first.
    pub differences: Vec<Difference>,
    /// With `--precision`: what stopped adding replications, judged on the
    /// widest paired difference of downtime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopping: Option<crate::Stopping>,
}

/// One design against the baseline (the first design), replication by
/// replication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// The baseline's name.
    pub baseline: String,
    /// The design's name.
    pub design: String,
    /// Downtime of the design minus downtime of the baseline, minutes per
    /// year.
    pub downtime_minutes_per_year: PairedDifference,
    /// Cost per year (infrastructure plus downtime) of the design minus
    /// that of the baseline; absent unless both designs have costs.
    pub cost_per_year: Option<PairedDifference>,
    /// True when the downtime interval excludes zero.
    pub significant: bool,
    /// The verdict on downtime, in words.
    pub verdict: String,
    /// The verdict on cost, in words; absent without costs.
    pub cost_verdict: Option<String>,
    /// When every objective differs significantly (downtime and cost
    /// unless `--objective` chose others): which design dominates, or the
    /// trade-off and its price.
    pub overall: Option<String>,
    /// The objectives `overall` weighs, by measure key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<String>,
    /// The verdict on every measure both designs have: those that differ
    /// significantly, better or worse for the design, and those that do
    /// not.
    #[serde(default)]
    pub measures_verdict: String,
    /// The paired difference (design minus baseline) of every other
    /// measure both designs have, keyed as in
    /// [`MEASURES`](crate::measures::MEASURES): incidents, requests
    /// served, degraded time, writes lost, loss events, worst recovery
    /// point, write availability, failovers, needless failovers,
    /// split-brain time.
    #[serde(flatten)]
    pub measures: MeasureDifferences,
    /// The paired difference of each component of cost that either design
    /// pays (names as in `cost_per_year.components`); absent without
    /// costs.
    #[serde(default, skip_serializing_if = "MeasureDifferences::is_empty")]
    pub cost_components: MeasureDifferences,
}

/// Paired differences by measure key, in the catalog's order; written as
/// JSON object members.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MeasureDifferences(pub Vec<(String, PairedDifference)>);

impl MeasureDifferences {
    /// Whether it holds no difference.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The difference of measure `key`, if both designs have it.
    pub fn get(&self, key: &str) -> Option<&PairedDifference> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, d)| d)
    }
}

impl Serialize for MeasureDifferences {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for MeasureDifferences {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = MeasureDifferences;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("paired differences keyed by measure")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut access: A,
            ) -> Result<Self::Value, A::Error> {
                let mut list = Vec::new();
                while let Some((k, v)) = access.next_entry::<String, PairedDifference>()? {
                    list.push((k, v));
                }
                Ok(MeasureDifferences(list))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// The mean of per-replication differences with its 95% Student-t
/// interval, and what pairing gained over independent runs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairedDifference {
    /// Mean difference (design minus baseline).
    pub mean: f64,
    /// Lower end of the 95% interval.
    pub ci95_low: f64,
    /// Upper end of the 95% interval.
    pub ci95_high: f64,
    /// Half the width of the 95% interval that independent runs with the
    /// same spreads would give (Welch), from each design's own standard
    /// error; absent when neither varies.
    pub unpaired_ci95_half_width: Option<f64>,
    /// The paired half-width over the unpaired one: below 1 when common
    /// random numbers helped.
    pub pairing_ratio: Option<f64>,
    /// True when the interval excludes zero, or when the designs differed
    /// by the same nonzero amount in every replication.
    #[serde(default)]
    pub significant: bool,
}

impl CompareReport {
    /// The human summary printed by `nines compare`.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "compare       {} designs under common random numbers: seed {}, {} replications x {} h each",
            self.designs.len(),
            self.seed,
            self.replications,
            fmt_num(self.horizon_hours)
        );
        let _ = writeln!(
            s,
            "              replication r of every design draws the same random streams, so the designs"
        );
        let _ = writeln!(
            s,
            "              meet the same faults on what they share; differences are paired by replication"
        );
        s.push('\n');
        s.push_str(&self.table());
        for d in &self.differences {
            s.push('\n');
            d.write_text(&mut s, self.replications);
        }
        s
    }

    /// The side-by-side table: one column per design.
    fn table(&self) -> String {
        let mut rows: Vec<(&str, Vec<String>)> = vec![
            ("availability", self.cells(availability)),
            ("  95% CI", self.cells(availability_ci)),
            ("nines", self.cells(nines)),
            ("downtime min/yr", self.cells(downtime)),
            ("  95% CI", self.cells(downtime_ci)),
            ("incidents /yr", self.cells(incidents)),
            ("MTTR", self.cells(mttr)),
        ];
        if self.designs.iter().any(|d| d.cost_per_year.is_some()) {
            let cost = |f: fn(&crate::run::Cost) -> String| {
                self.cells(move |d| d.cost_per_year.as_ref().map_or("-".into(), f))
            };
            rows.push(("cost /yr", cost(|c| format!("{:.0}", c.total.mean))));
            rows.push((
                "  infrastructure",
                cost(|c| format!("{:.0}", c.infrastructure)),
            ));
            rows.push(("  downtime", cost(|c| format!("{:.0}", c.downtime.mean))));
        }
        if self.designs.iter().any(|d| d.data.is_some()) {
            rows.push((
                "writes lost /yr",
                self.cells(|d| {
                    d.data.as_ref().map_or("-".into(), |x| {
                        format!("{:.2}", x.lost_writes_per_year.mean)
                    })
                }),
            ));
        }
        rows.push(("trace hash", self.cells(|d| d.trace_hash.clone())));

        let label_w = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
        let widths: Vec<usize> = self
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                rows.iter()
                    .map(|(_, cells)| cells[i].chars().count())
                    .chain([name.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut s = String::new();
        let line = |s: &mut String, label: &str, cells: &[String]| {
            let mut l = format!("{label:<label_w$}");
            for (cell, w) in cells.iter().zip(&widths) {
                let _ = write!(l, "  {cell:>w$}");
            }
            let _ = writeln!(s, "{}", l.trim_end());
        };
        line(&mut s, "", &self.names);
        for (label, cells) in &rows {
            line(&mut s, label, cells);
        }
        s
    }

    fn cells(&self, f: impl Fn(&RunReport) -> String) -> Vec<String> {
        self.designs.iter().map(f).collect()
    }
}

fn availability(d: &RunReport) -> String {
    let a = &d.availability;
    if a.zero_downtime_observed {
        format!(">= {}", percent(a.ci95_low))
    } else {
        percent(a.mean)
    }
}

fn availability_ci(d: &RunReport) -> String {
    let a = &d.availability;
    if a.zero_downtime_observed {
        "(none down)".into()
    } else {
        format!("[{}, {}]", percent(a.ci95_low), percent(a.ci95_high))
    }
}

fn nines(d: &RunReport) -> String {
    if d.availability.zero_downtime_observed {
        format!(">= {:.2}", d.availability.nines)
    } else {
        format!("{:.2}", d.availability.nines)
    }
}

fn downtime(d: &RunReport) -> String {
    let x = &d.downtime_minutes_per_year;
    if d.availability.zero_downtime_observed {
        format!("< {:.3}", x.ci95_high)
    } else {
        format!("{:.1}", x.mean)
    }
}

fn downtime_ci(d: &RunReport) -> String {
    let x = &d.downtime_minutes_per_year;
    if d.availability.zero_downtime_observed {
        "(upper bound)".into()
    } else {
        format!("[{:.1}, {:.1}]", x.ci95_low, x.ci95_high)
    }
}

fn incidents(d: &RunReport) -> String {
    let x = &d.incidents_per_year;
    if d.availability.zero_downtime_observed {
        format!("< {:.4}", x.ci95_high)
    } else {
        format!("{:.3}", x.mean)
    }
}

fn mttr(d: &RunReport) -> String {
    match &d.mttr_hours {
        Some(m) if m.mean < 1.0 => format!("{:.1} min", 60.0 * m.mean),
        Some(m) => format!("{:.2} h", m.mean),
        None => "-".into(),
    }
}

impl Difference {
    fn write_text(&self, s: &mut String, replications: u64) {
        let d = &self.downtime_minutes_per_year;
        let _ = writeln!(
            s,
            "{} vs {}: paired over {} replications ({} minus {})",
            self.design, self.baseline, replications, self.design, self.baseline
        );
        let _ = writeln!(
            s,
            "  downtime    {:+.1} min/yr  95% CI [{:.1}, {:.1}]",
            d.mean, d.ci95_low, d.ci95_high
        );
        let half = (d.ci95_high - d.ci95_low) / 2.0;
        match (d.pairing_ratio, d.unpaired_ci95_half_width) {
            (Some(_), Some(unpaired)) if half == 0.0 => {
                let _ = writeln!(
                    s,
                    "  pairing     the difference is the same in every replication, so its interval has no width (independent runs would give +-{unpaired:.1} min/yr)"
                );
            }
            (Some(ratio), Some(unpaired)) => {
                let _ = writeln!(
                    s,
                    "  pairing     the interval is {ratio:.2} times as wide as independent runs would give (+-{half:.1} against +-{unpaired:.1} min/yr)"
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    "  pairing     no gain to measure: neither design's downtime varies between replications"
                );
            }
        }
        if let Some(c) = &self.cost_per_year {
            let _ = writeln!(
                s,
                "  cost        {:+.0} /yr  95% CI [{:.0}, {:.0}]",
                c.mean, c.ci95_low, c.ci95_high
            );
        }
        let mut identical = Vec::new();
        let measures = self
            .measures
            .0
            .iter()
            .filter_map(|(k, d)| Some((crate::measures::find(k)?, d)));
        let components = self
            .cost_components
            .0
            .iter()
            .filter_map(|(k, d)| Some((crate::measures::cost_component(k)?, d)));
        for (m, d) in components.chain(measures) {
            if d.mean == 0.0 && d.ci95_low == 0.0 && d.ci95_high == 0.0 {
                identical.push(m.words);
                continue;
            }
            let _ = writeln!(
                s,
                "  {:<22}{}{}",
                m.words,
                m.describe_difference(d.mean, d.ci95_low, d.ci95_high),
                if d.significant { "  *" } else { "" }
            );
        }
        if !identical.is_empty() {
            let _ = writeln!(
                s,
                "  {:<22}{} (the same in every replication)",
                "no difference",
                identical.join(", ")
            );
        }
        let mut verdicts = vec![self.verdict.as_str()];
        verdicts.extend(self.cost_verdict.as_deref());
        if !self.measures_verdict.is_empty() {
            verdicts.push(self.measures_verdict.as_str());
        }
        verdicts.extend(self.overall.as_deref());
        for (i, v) in verdicts.iter().enumerate() {
            let head = if i == 0 {
                "  verdict     "
            } else {
                "              "
            };
            // Only the verdict on every measure is long enough to wrap.
            let lines = if std::ptr::eq(*v, self.measures_verdict.as_str()) {
                wrap(v, 90)
            } else {
                vec![v.to_string()]
            };
            for (j, line) in lines.iter().enumerate() {
                let head = if j == 0 { head } else { "              " };
                let _ = writeln!(s, "{head}{line}");
            }
        }
    }
}

/// `text` broken at spaces into lines of at most `width` characters (a
/// longer word stands on its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> CompareReport {
        let a = crate::run::tests::sample();
        let mut b = crate::run::tests::sample();
        b.scenario = "other".into();
        b.availability.zero_downtime_observed = true;
        CompareReport {
            seed: 1,
            replications: 200,
            horizon_hours: 8760.0,
            names: vec!["cluster-2of3".into(), "other".into()],
            designs: vec![a, b],
            differences: vec![Difference {
                baseline: "cluster-2of3".into(),
                design: "other".into(),
                downtime_minutes_per_year: PairedDifference {
                    mean: -157.7,
                    ci95_low: -200.0,
                    ci95_high: -115.4,
                    unpaired_ci95_half_width: Some(60.0),
                    pairing_ratio: Some(42.3 / 60.0),
                    significant: true,
                },
                cost_per_year: None,
                significant: true,
                verdict: "other has less downtime than cluster-2of3: 157.7 min/yr (95% CI [115.4, 200.0])".into(),
                cost_verdict: None,
                overall: None,
                objectives: vec!["downtime_minutes_per_year".into(), "cost_per_year".into()],
                measures_verdict: "other is better on writes lost (-40.000 /yr, 95% CI [-50.000, -30.000])".into(),
                measures: MeasureDifferences(vec![(
                    "writes_lost_per_year".into(),
                    PairedDifference {
                        mean: -40.0,
                        ci95_low: -50.0,
                        ci95_high: -30.0,
                        unpaired_ci95_half_width: None,
                        pairing_ratio: None,
                        significant: true,
                    },
                )]),
                cost_components: MeasureDifferences::default(),
            }],
            stopping: None,
        }
    }

    #[test]
    fn text_has_one_column_per_design_and_the_verdict() {
        let t = report().to_text();
        assert!(
            t.contains("common random numbers: seed 1, 200 replications x 8760 h"),
            "{t}"
        );
        assert!(t.contains("availability"), "{t}");
        assert!(t.contains("99.97000%"), "{t}");
        assert!(t.contains(">= 99.96000%"), "{t}");
        assert!(
            t.contains("  downtime    -157.7 min/yr  95% CI [-200.0, -115.4]"),
            "{t}"
        );
        assert!(t.contains("0.70 times as wide"), "{t}");
        assert!(t.contains("  verdict     other has less downtime"), "{t}");
        assert!(!t.contains("cost /yr"), "{t}");
        assert!(
            t.contains("  writes lost           -40.0 /yr, 95% CI [-50.0, -30.0]  *"),
            "{t}"
        );
        assert!(
            t.contains("              other is better on writes lost"),
            "{t}"
        );
    }

    #[test]
    fn every_measure_is_a_json_member_of_its_difference() {
        let v = serde_json::to_value(report()).unwrap();
        let d = &v["differences"][0];
        assert_eq!(d["writes_lost_per_year"]["ci95_high"], -30.0);
        assert_eq!(d["writes_lost_per_year"]["significant"], true);
        assert_eq!(d["downtime_minutes_per_year"]["significant"], true);
    }

    #[test]
    fn json_round_trips() {
        let r = report();
        let back: CompareReport =
            serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }
}
