//! Request-level scenarios: traffic through a pool, clients that time out
//! and retry, and what a retry budget buys.

use crate::support::{nines, nines_json, run_text};

#[test]
fn a_retry_budget_stops_the_storm() {
    let storm = nines_json(&["run", "retry-storm", "--replications", "4", "--json", "-"]);
    let text = include_str!("../../scenarios/library/retry-storm.toml")
        .replace("# budget = 0.1", "budget = 0.1");
    let budget = run_text(&text, &["--replications", "4"]);
    let served = |v: &serde_json::Value| v["availability"]["mean"].as_f64().unwrap();
    let attempts = |v: &serde_json::Value| {
        v["requests"]["attempts_per_request"]["mean"]
            .as_f64()
            .unwrap()
    };
    assert!(
        served(&storm) < 0.3,
        "the storm should not recover: {}",
        served(&storm)
    );
    assert!(attempts(&storm) > 3.0);
    assert!(
        served(&budget) > 0.8,
        "a budget should end it: {}",
        served(&budget)
    );
    assert!(attempts(&budget) < 1.2);
    let timeouts = &storm["requests"]["errors"][0];
    assert_eq!(timeouts["cause"], "timeout");
    assert!(timeouts["share"].as_f64().unwrap() > 0.5);
}

#[test]
fn request_level_runs_are_deterministic_across_threads() {
    let one = nines(&[
        "run",
        "retry-storm",
        "--replications",
        "3",
        "--threads",
        "1",
        "--json",
        "-",
    ]);
    let two = nines(&[
        "run",
        "retry-storm",
        "--replications",
        "3",
        "--threads",
        "2",
        "--json",
        "-",
    ]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn request_level_mistakes_are_located() {
    let text = include_str!("../../scenarios/library/retry-storm.toml")
        .replace("least-connections", "least-busy")
        .replace("period = \"1h\"", "perriod = \"1h\"");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text).unwrap();
    let run = nines(&["run", path.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("key `traffic.perriod`"),
        "{}",
        run.stderr
    );
    let fixed = include_str!("../../scenarios/library/retry-storm.toml")
        .replace("least-connections", "least-busy");
    std::fs::write(&path, fixed).unwrap();
    let run = nines(&["run", path.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("key `pool.dispatch`: unknown dispatch policy `least-busy`"),
        "{}",
        run.stderr
    );
}
