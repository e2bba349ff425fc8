//! `semi-sync-replication`: sync, semi-sync and async side by side, each
//! paying for what it buys in write latency, write availability or
//! writes lost, as the sweep's JSON and the comparison's verdict show.

use crate::support::nines_json;

/// The sweep point labelled `label`.
fn point<'a>(points: &'a serde_json::Value, label: &str) -> &'a serde_json::Value {
    points
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["label"] == label)
        .unwrap_or_else(|| panic!("no point {label}"))
}

/// The `db` service's write measures at a point.
fn writes(p: &serde_json::Value) -> &serde_json::Value {
    p["summary"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "db")
        .map(|s| &s["writes"])
        .unwrap()
}

/// A JSON number.
fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn each_replication_mode_pays_for_what_it_buys() {
    let points = nines_json(&[
        "sweep",
        "semi-sync-replication",
        "--replications",
        "40",
        "--seed",
        "2",
        "--json",
        "-",
    ]);
    let lost = |l: &str| f(&point(&points, l)["summary"]["data"]["lost_writes_per_year"]["mean"]);
    let avail = |l: &str, k: &str| f(&writes(point(&points, l))["availability"][k]);
    let latency = |l: &str| f(&writes(point(&points, l))["latency_ms"]["mean"]);
    let refused = |l: &str| f(&writes(point(&points, l))["refused_per_year"]["mean"]);

    // Sync: nothing lost; every write waits 1 ms + the 2 ms round trip;
    // writes stall for hours a year while the standby is away.
    assert_eq!(lost("sync"), 0.0);
    assert!((latency("sync") - 3.0).abs() < 1e-9, "{}", latency("sync"));
    assert!(refused("sync") > 1e6, "{}", refused("sync"));
    // Async: 1 ms writes that never stall, and the most writes lost.
    assert!((latency("async") - 1.0).abs() < 1e-9);
    assert_eq!(refused("async"), 0.0);
    assert!(
        lost("async") > lost("semi-sync"),
        "{} vs {}",
        lost("async"),
        lost("semi-sync")
    );
    // Semi-sync's stalls are bounded by its timeout: far more write
    // availability than sync, and a 2 min timeout (longer than failure
    // detection) loses a small fraction of what a 10 s one does, for
    // longer stalls.
    assert!(avail("semi-sync", "ci95_low") > avail("sync", "ci95_high"));
    assert!(avail("semi-sync-2m", "ci95_high") < avail("semi-sync", "ci95_low"));
    assert!(
        lost("semi-sync-2m") < 0.05 * lost("semi-sync"),
        "{}",
        lost("semi-sync-2m")
    );
    assert!(latency("semi-sync") > 2.9 && latency("semi-sync") < 3.0);
}

#[test]
fn compare_names_the_write_measures_that_differ() {
    let c = nines_json(&[
        "compare",
        "db-active-passive",
        "db-sync-vs-async",
        "--replications",
        "40",
        "--seed",
        "3",
        "--json",
        "-",
    ]);
    let d = &c["differences"][0];
    // Sync waits a round trip on every write: a higher write latency,
    // exactly the round trip, and lower write availability.
    let latency = &d["write_latency_ms"];
    assert!(f(&latency["mean"]) > 0.0, "{latency}");
    assert_eq!(latency["significant"], true, "{latency}");
    let availability = &d["write_availability"];
    assert!(f(&availability["ci95_high"]) < 0.0, "{availability}");
    let verdict = d["measures_verdict"].to_string();
    assert!(verdict.contains("worse on write availability"), "{verdict}");
    assert!(verdict.contains("write latency (+2.0 ms"), "{verdict}");
}
