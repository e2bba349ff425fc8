//! Same scenario, seed and version: the same bytes, on any thread count.

use crate::support::{nines, nines_json};

fn run_json(seed: &str, threads: &str) -> String {
    let run = nines(&[
        "run",
        "cluster-2of3",
        "--seed",
        seed,
        "--replications",
        "64",
        "--threads",
        threads,
        "--json",
        "-",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn json_is_byte_identical_on_one_and_two_threads() {
    let one = run_json("7", "1");
    let two = run_json("7", "2");
    assert_eq!(one, two);
    let again = run_json("7", "2");
    assert_eq!(two, again);
}

#[test]
fn a_different_seed_gives_a_different_trace_hash() {
    let a: serde_json::Value = serde_json::from_str(&run_json("7", "2")).unwrap();
    let b: serde_json::Value = serde_json::from_str(&run_json("8", "2")).unwrap();
    assert_ne!(a["trace_hash"], b["trace_hash"]);
    assert_ne!(a["replication_hashes"][0], b["replication_hashes"][0]);
}

#[test]
fn the_run_hash_combines_the_replication_hashes() {
    let v = nines_json(&["run", "cluster-2of3", "--replications", "5", "--json", "-"]);
    let hashes = v["replication_hashes"].as_array().unwrap();
    assert_eq!(hashes.len(), 5);
    // All replications differ from each other.
    for i in 0..hashes.len() {
        for j in 0..i {
            assert_ne!(hashes[i], hashes[j]);
        }
    }
}

#[test]
fn a_replication_is_the_same_inside_a_small_and_a_large_run() {
    // Replication 3's digest depends only on (scenario, seed, 3).
    let small = nines_json(&["run", "cluster-2of3", "--replications", "4", "--json", "-"]);
    let large = nines_json(&[
        "run",
        "cluster-2of3",
        "--replications",
        "50",
        "--threads",
        "2",
        "--json",
        "-",
    ]);
    assert_eq!(
        small["replication_hashes"][3],
        large["replication_hashes"][3]
    );
}

/// Golden figures for each built-in scenario: any change in the engine, the
/// random streams or the models that changes results shows here in review.
#[test]
fn builtin_scenarios_headline_figures() {
    // Every built-in, so that a new one cannot go without its figures.
    for name in scenarios::library::names() {
        let v = nines_json(&["run", name, "--replications", "32", "--json", "-"]);
        let headline = serde_json::json!({
            "scenario": v["scenario"],
            "seed": v["seed"],
            "events": v["events"],
            "trace_hash": v["trace_hash"],
            "availability": v["availability"]["mean"],
            "downtime_minutes_per_year": v["downtime_minutes_per_year"]["mean"],
        });
        insta::assert_json_snapshot!(format!("headline-{name}"), headline);
    }
}
