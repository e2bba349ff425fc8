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

/// A pool whose database is down a tenth of the time, behind a breaker.
const WITH_DEPENDENCY: &str = r#"
[scenario]
name = "db-outages"

[simulation]
horizon = "4h"
warmup = "10m"
replications = 4

[traffic]
rate_per_s = 8.0

[pool]
instances = 1
service = "exponential(mean = 100ms)"
dispatch = "round-robin"

[client]
breaker = { failure_threshold = 5, open_for = "5s" }
fallback = true

[dependency]
name = "db"
failure = "exponential(mean = 9m)"
repair = "exponential(mean = 1m)"
"#;

#[test]
fn dependency_outages_and_fallbacks_are_reported() {
    let v = run_text(WITH_DEPENDENCY, &[]);
    let r = &v["requests"];
    let errors = r["errors"].as_array().unwrap();
    let last = errors.last().unwrap();
    assert_eq!(last["cause"], "dependency down");
    let dependency_down = last["share"].as_f64().unwrap();
    assert!(errors.iter().any(|e| e["cause"] == "circuit open"));
    let fallback = r["fallback_share"]["mean"].as_f64().unwrap();
    let with_fallback = r["availability_with_fallback"]["mean"].as_f64().unwrap();
    let served = v["availability"]["mean"].as_f64().unwrap();
    // The breaker opens after a few failures of each outage: most of the
    // tenth of requests the dependency would fail get a fallback instead.
    assert!(dependency_down > 0.0 && dependency_down < 0.02, "{r}");
    assert!(fallback > 0.05 && fallback < 0.15, "{r}");
    assert!((with_fallback - (served + fallback)).abs() < 1e-9, "{v}");
    for key in ["ci95_low", "ci95_high"] {
        assert!(r["fallback_share"][key].is_f64(), "{r}");
    }

    // The text summary says so too.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.toml");
    std::fs::write(&path, WITH_DEPENDENCY).unwrap();
    let run = nines(&["run", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("fallbacks     "), "{}", run.stdout);
    assert!(run.stdout.contains("with fallback "), "{}", run.stdout);
    assert!(run.stdout.contains("dependency down "), "{}", run.stdout);

    // Without a fallback the report has no fallback lines, and the errors
    // list every cause, the new one included.
    let storm = nines_json(&["run", "retry-storm", "--replications", "2", "--json", "-"]);
    assert!(storm["requests"].get("fallback_share").is_none());
    assert!(
        storm["requests"]
            .get("availability_with_fallback")
            .is_none()
    );
    let causes: Vec<_> = storm["requests"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["cause"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        causes,
        [
            "timeout",
            "deadline",
            "circuit open",
            "no instance",
            "overload",
            "instance down",
            "health-check lag",
            "dependency down"
        ]
    );
}
