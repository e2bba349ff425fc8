//! The result of `nines validate`: one row per checked quantity.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// One quantity of one validation case, compared with its exact value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidationRow {
    /// The case and quantity, such as `V05 availability`.
    pub case: String,
    /// What the quantity is, in words.
    pub quantity: String,
    /// The exact (closed-form or Markov-chain) value.
    pub exact: f64,
    /// The simulator's estimate.
    pub estimate: f64,
    /// Lower end of the confidence interval.
    pub ci_low: f64,
    /// Upper end of the confidence interval.
    pub ci_high: f64,
    /// The interval's confidence level (0.99 for validation).
    pub confidence: f64,
    /// The number of replications behind the estimate.
    pub replications: u64,
    /// True when the interval contains the exact value.
    pub pass: bool,
}

/// The table printed by `nines validate`.
pub fn validation_table(rows: &[ValidationRow]) -> String {
    let mut s = String::new();
    let w = rows.iter().map(|r| r.case.len()).max().unwrap_or(4).max(4);
    let q = rows
        .iter()
        .map(|r| r.quantity.chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    let _ = writeln!(
        s,
        "{:w$}  {:q$}  {:>14}  {:>14}  {:>32}  {:>6}  result",
        "case", "quantity", "exact", "estimate", "99% interval", "reps"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "{:w$}  {:q$}  {:>14}  {:>14}  [{:>14}, {:>14}]  {:>6}  {}",
            r.case,
            r.quantity,
            sig(r.exact),
            sig(r.estimate),
            sig(r.ci_low),
            sig(r.ci_high),
            r.replications,
            if r.pass { "pass" } else { "FAIL" }
        );
    }
    let passed = rows.iter().filter(|r| r.pass).count();
    let _ = writeln!(
        s,
        "{passed} of {} quantities within their interval",
        rows.len()
    );
    s
}

/// Ten significant digits, without exponent for ordinary magnitudes.
fn sig(x: f64) -> String {
    if x == 0.0 || (1e-4..1e9).contains(&x.abs()) {
        let digits = (9 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
        format!("{x:.digits$}")
    } else {
        format!("{x:.9e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_marks_failures() {
        let row = |pass| ValidationRow {
            case: "V01 availability".into(),
            quantity: "steady-state availability".into(),
            exact: 0.990099,
            estimate: 0.99,
            ci_low: 0.989,
            ci_high: 0.991,
            confidence: 0.99,
            replications: 100,
            pass,
        };
        let t = validation_table(&[row(true), row(false)]);
        assert!(t.contains("pass"));
        assert!(t.contains("FAIL"));
        assert!(t.ends_with("1 of 2 quantities within their interval\n"));
    }

    #[test]
    fn significant_digits() {
        assert_eq!(sig(0.9900990099), "0.9900990099");
        assert_eq!(sig(5203.960396), "5203.960396");
        assert_eq!(sig(51500.0), "51500.00000");
    }
}
