//! What stopped a run that added replications until a precision target
//! was met (`nines run --precision`).

use serde::{Deserialize, Serialize};

/// What stopped a `--precision` run, and how precise it got.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stopping {
    /// What stopped the run: `"precision"` (the target was met),
    /// `"max-replications"` (the cap was reached first) or `"interrupted"`
    /// (Ctrl-C).
    pub rule: String,
    /// The target as given: a half-width relative to the mean (`"5%"`) or
    /// absolute in minutes per year (`"2min"`).
    pub target: String,
    /// The target as a half-width in minutes per year, at the stop (for a
    /// relative target, that fraction of the mean); absent when a relative
    /// target cannot be judged (no downtime observed).
    pub target_minutes_per_year: Option<f64>,
    /// True when the target was met.
    pub reached: bool,
    /// The half-width of the 95% interval of downtime, minutes per year;
    /// with no downtime observed, the one-sided 95% upper bound (the
    /// interval is then `[0, bound]`).
    pub half_width_minutes_per_year: f64,
    /// The half-width over the mean downtime; absent when the mean is 0.
    pub relative_half_width: Option<f64>,
    /// The replications the results rest on (0 to `replications − 1`):
    /// `--replications` with this number gives the same results.
    pub replications: u64,
    /// The cap on replications (`--max-replications`).
    pub max_replications: u64,
    /// Why the target could not be met, when the data say why (no
    /// downtime observed with a relative target).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Stopping {
    /// One line (two with a note) for the text summary, in the column
    /// layout of [`RunReport::to_text`](crate::RunReport::to_text).
    pub fn to_text(&self) -> String {
        let width = match self.relative_half_width {
            Some(r) => format!(
                "95% half-width {:.2} min/yr ({:.2}% of the mean)",
                self.half_width_minutes_per_year,
                100.0 * r
            ),
            None => format!(
                "95% bound {:.3} min/yr (no downtime observed)",
                self.half_width_minutes_per_year
            ),
        };
        let mut s = match self.rule.as_str() {
            "precision" => format!(
                "stopping      precision {} reached after {} replications: {width}\n",
                self.target, self.replications
            ),
            "max-replications" => format!(
                "stopping      --max-replications {} reached before precision {}: {width}\n",
                self.max_replications, self.target
            ),
            rule => format!(
                "stopping      {rule} after {} replications, precision {} {}: {width}\n",
                self.replications,
                self.target,
                if self.reached {
                    "reached"
                } else {
                    "not reached"
                }
            ),
        };
        if let Some(note) = &self.note {
            s.push_str("              ");
            s.push_str(note);
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(rule: &str, reached: bool) -> Stopping {
        Stopping {
            rule: rule.into(),
            target: "5%".into(),
            target_minutes_per_year: Some(7.7),
            reached,
            half_width_minutes_per_year: 7.5,
            relative_half_width: Some(0.0487),
            replications: 800,
            max_replications: 100_000,
            note: None,
        }
    }

    #[test]
    fn says_which_rule_stopped_the_run() {
        let t = sample("precision", true).to_text();
        assert_eq!(
            t,
            "stopping      precision 5% reached after 800 replications: 95% half-width 7.50 min/yr (4.87% of the mean)\n"
        );
        let t = sample("max-replications", false).to_text();
        assert!(
            t.starts_with("stopping      --max-replications 100000 reached before precision 5%"),
            "{t}"
        );
        let t = sample("interrupted", false).to_text();
        assert!(
            t.starts_with(
                "stopping      interrupted after 800 replications, precision 5% not reached"
            ),
            "{t}"
        );
    }

    #[test]
    fn zero_downtime_shows_the_bound_and_the_note() {
        let mut s = sample("max-replications", false);
        s.relative_half_width = None;
        s.target_minutes_per_year = None;
        s.note = Some("no downtime observed".into());
        let t = s.to_text();
        assert!(
            t.contains("95% bound 7.500 min/yr (no downtime observed)"),
            "{t}"
        );
        assert!(t.ends_with("\n              no downtime observed\n"), "{t}");
        let back: Stopping = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        let json = serde_json::to_string(&sample("precision", true)).unwrap();
        assert!(!json.contains("note"), "{json}");
    }
}
