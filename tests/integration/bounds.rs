//! Bounded work: inputs that would run for ever are refused at once.

use crate::support::nines;

/// A component that fails and is repaired every 2 µs: over 200 years about
/// 6·10¹⁵ events, far over the event budget.
const DENSE: &str = r#"
[scenario]
name = "dense"
[[component]]
name = "flicker"
count = 1
failure = "deterministic(1us)"
repair = "deterministic(1us)"
[service]
min_up = 1
"#;

#[test]
fn dense_events_over_a_long_horizon_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dense.toml");
    std::fs::write(&path, DENSE).unwrap();
    let path = path.to_str().unwrap();
    let start = std::time::Instant::now();
    let run = nines(&["run", path, "--horizon", "200y", "-q"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(start.elapsed().as_secs() < 30);
    for part in ["budget", "`flicker-1`", "--horizon"] {
        assert!(run.stderr.contains(part), "{part}: {}", run.stderr);
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // A horizon the budget allows runs.
    let short = nines(&["run", path, "--horizon", "1s", "--replications", "2", "-q"]);
    assert_eq!(short.code, 0, "{}", short.stderr);
}
