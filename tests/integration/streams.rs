//! Random streams are keyed by names: adding a component never changes the
//! draws, and so the history, of any other component.

use crate::support::{fixture, nines};

fn node_events(scenario: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    let run = nines(&[
        "run",
        &fixture(scenario),
        "--trace",
        path.to_str().unwrap(),
        "--trace-replication",
        "3",
        "--horizon",
        "20y",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["name"].as_str().unwrap().starts_with("node-"))
        .map(|v| format!("{} {} {}", v["t_us"], v["kind"], v["name"]))
        .collect()
}

#[test]
fn adding_a_component_leaves_the_others_histories_unchanged() {
    let without = node_events("base.toml");
    let with = node_events("with-extra.toml");
    assert!(
        without.len() > 50,
        "too few events to compare: {}",
        without.len()
    );
    assert_eq!(without, with);
}
