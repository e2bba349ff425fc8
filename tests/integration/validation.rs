//! The simulator against exact answers: every case `nines validate` knows,
//! with fixed seeds, must contain the exact value in its 99% interval.

use std::sync::OnceLock;

use crate::support::{Run, nines};

/// One run of `nines validate --json`, shared by the tests below.
fn validation() -> &'static (Run, Vec<serde_json::Value>) {
    static RUN: OnceLock<(Run, Vec<serde_json::Value>)> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = nines(&["validate", "--json"]);
        let rows = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("bad JSON ({e}): {}\n{}", run.stdout, run.stderr));
        (run, rows)
    })
}

#[test]
fn every_validation_case_passes() {
    let (run, rows) = validation();
    let failed: Vec<&serde_json::Value> = rows.iter().filter(|r| r["pass"] != true).collect();
    assert!(failed.is_empty(), "failed cases: {failed:#?}");
    assert_eq!(run.code, 0, "{}", run.stderr);
    for r in rows {
        for key in ["case", "exact", "estimate", "ci_low", "ci_high", "pass"] {
            assert!(!r[key].is_null(), "row lacks {key}: {r}");
        }
        let (lo, hi) = (
            r["ci_low"].as_f64().unwrap(),
            r["ci_high"].as_f64().unwrap(),
        );
        assert!(lo < hi, "degenerate interval: {r}");
    }
    // Every case of the validation set, both semantics of V03,
    // dedicated and shared crews, exponential and fixed failover times.
    for case in [
        "V01",
        "V02a",
        "V02b",
        "V03a",
        "V03b",
        "V04a",
        "V04b",
        "V05",
        "V06",
        "V07a",
        "V07b",
        "V08",
        "V09a",
        "V09b",
        "V09c",
        "V09d",
        "V10",
        "V11a",
        "V11b random",
        "V11b round-robin",
        "V12a",
        "V12b",
    ] {
        assert!(rows.iter().any(|r| r["case"] == case), "no row for {case}");
    }
}

#[test]
fn the_table_says_how_many_passed() {
    let run = nines(&["validate", "--case", "V01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("quantities within their interval"));
    assert!(run.stdout.contains("pass"));
}

/// The switch between components that keep running and components that are
/// suspended while a series system is down changes availability by 7.5e-5;
/// the intervals must be tight enough to tell the two semantics apart.
#[test]
fn the_two_series_semantics_are_told_apart() {
    let (_, rows) = validation();
    let availability = |case: &str| {
        rows.iter()
            .find(|r| r["case"] == case && r["quantity"].as_str().unwrap().contains("availability"))
            .unwrap_or_else(|| panic!("no availability row for {case}"))
    };
    let (a, b) = (availability("V03a"), availability("V03b"));
    let f = |r: &serde_json::Value, k: &str| r[k].as_f64().unwrap();
    assert!(
        f(a, "ci_high") < f(b, "exact"),
        "V03a's interval contains V03b's value"
    );
    assert!(
        f(b, "ci_low") > f(a, "exact"),
        "V03b's interval contains V03a's value"
    );
}
