//! `nines replay`: one replication alone, bit for bit.

use crate::support::{nines, nines_json};

#[test]
fn replay_gives_the_hash_the_run_listed() {
    let run = nines_json(&[
        "run",
        "split-brain",
        "--seed",
        "3",
        "--replications",
        "10",
        "--json",
        "-",
    ]);
    let expected = run["replication_hashes"][5].as_str().unwrap().to_string();
    assert_eq!(expected.len(), 16);

    let plain = nines_json(&[
        "replay",
        "split-brain",
        "--seed",
        "3",
        "--replication",
        "5",
        "--json",
        "-",
    ]);
    assert_eq!(plain["trace_hash"], expected.as_str());
    for key in [
        "scenario",
        "seed",
        "replication",
        "horizon_hours",
        "events",
        "trace_hash",
        "availability",
        "downtime_minutes",
        "incidents",
    ] {
        assert!(!plain[key].is_null(), "missing {key}: {plain}");
    }
    assert_eq!(plain["seed"], 3);
    assert_eq!(plain["replication"], 5);
    assert_eq!(plain["horizon_hours"], 8760.0);
    // Downtime over a year, against the run's per-year figure for it.
    let per_year = run["replication_downtime_minutes_per_year"][5]
        .as_f64()
        .unwrap();
    let minutes = plain["downtime_minutes"].as_f64().unwrap();
    assert!(
        (per_year - minutes).abs() < 1e-6 * per_year.max(1.0),
        "{per_year} {minutes}"
    );

    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("rep5.jsonl");
    let trace_arg = trace.to_string_lossy().into_owned();
    let traced = nines_json(&[
        "replay",
        "split-brain",
        "--seed",
        "3",
        "--replication",
        "5",
        "--trace",
        &trace_arg,
        "--json",
        "-",
    ]);
    assert_eq!(traced["trace_hash"], expected.as_str());
    let lines = std::fs::read_to_string(&trace).unwrap().lines().count() as u64;
    assert_eq!(lines, traced["events"].as_u64().unwrap());

    let text = nines(&["replay", "split-brain", "--seed", "3", "--replication", "5"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains(&format!("trace hash    {expected}\n")),
        "{}",
        text.stdout
    );
}
