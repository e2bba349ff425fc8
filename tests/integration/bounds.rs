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

/// Replications are folded into the summary as they finish, a chunk at a
/// time, and none is kept: the figures are those of the run that kept
/// them all (pinned from it), for any thread count, across a chunk's edge.
#[test]
fn streamed_replications_give_the_figures_of_kept_ones() {
    let args = |threads: &'static str| {
        [
            "run",
            "cluster-2of3",
            "--replications",
            "5000",
            "--threads",
            threads,
            "--json",
            "-",
            "-q",
        ]
    };
    let one = crate::support::nines_json(&args("1"));
    let two = crate::support::nines_json(&args("2"));
    assert_eq!(one, two);
    assert_eq!(one["trace_hash"], "9c769e74573f5f50");
    assert_eq!(one["events"], 259_881);
    assert_eq!(one["availability"]["mean"], 0.9997179276742149);
    assert_eq!(
        one["downtime_minutes_per_year"]["ci95_high"],
        156.6961228396268
    );
    let spread = &one["downtime_minutes_per_year_spread"];
    assert_eq!(spread["p99"], 1382.1025157455042);
    assert_eq!(spread["max"], 3016.07522603331);
    assert_eq!(one["mttr_hours"]["mean"], 4.862167599138139);
}

#[test]
fn a_cycle_of_no_time_is_refused_not_run_for_ever() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.toml");
    std::fs::write(&path, DENSE.replace("1us", "0s")).unwrap();
    let run = nines(&["run", path.to_str().unwrap(), "--horizon", "1h", "-q"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // The scenario checker refuses it first, located at the component's
    // repair; the event budget's estimate would name the component.
    assert!(
        run.stderr.contains("flicker") || run.stderr.contains("component.repair"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no length"), "{}", run.stderr);
}
