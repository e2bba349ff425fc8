//! `nines compare`: designs side by side under common random numbers, and
//! the paired differences with their verdicts.

use crate::support::{nines, nines_json};

fn series(design: &serde_json::Value) -> Vec<f64> {
    design["replication_downtime_minutes_per_year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn pairing_narrows_the_interval_for_designs_that_share_components() {
    // The same design with a fourth web server: both meet the same zone,
    // rack, deploy and crash-bug faults, replication by replication.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("four.toml");
    let base = include_str!("../../scenarios/library/web-n-plus-1.toml");
    assert!(base.contains("instances = 3"));
    std::fs::write(&path, base.replacen("instances = 3", "instances = 4", 1)).unwrap();
    let path = path.to_string_lossy().into_owned();
    let v = nines_json(&[
        "compare",
        "web-n-plus-1",
        &path,
        "--seed",
        "3",
        "--replications",
        "100",
        "--json",
        "-",
    ]);
    assert_eq!(v["seed"], 3);
    assert_eq!(v["replications"], 100);
    assert_eq!(v["horizon_hours"], 8760.0);
    // Both are named web-n-plus-1 in their files: the second goes by its path.
    assert_eq!(v["names"][0], "web-n-plus-1");
    assert_eq!(v["names"][1], path.as_str());
    let d = &v["differences"][0];
    assert_eq!(d["baseline"], "web-n-plus-1");
    assert_eq!(d["design"], path.as_str());
    let dt = &d["downtime_minutes_per_year"];
    let (mean, high) = (
        dt["mean"].as_f64().unwrap(),
        dt["ci95_high"].as_f64().unwrap(),
    );
    let paired_half = high - mean;
    let unpaired_half = dt["unpaired_ci95_half_width"].as_f64().unwrap();
    assert!(
        paired_half < unpaired_half,
        "paired +-{paired_half} should be narrower than unpaired +-{unpaired_half}"
    );
    let ratio = dt["pairing_ratio"].as_f64().unwrap();
    assert!(
        (ratio - paired_half / unpaired_half).abs() < 1e-9,
        "{ratio}"
    );
    // The mean difference is the mean of the per-replication differences
    // of the two designs' own series.
    let (a, b) = (series(&v["designs"][0]), series(&v["designs"][1]));
    assert_eq!(a.len(), 100);
    let by_hand = b.iter().zip(&a).map(|(y, x)| y - x).sum::<f64>() / 100.0;
    assert!((mean - by_hand).abs() < 1e-9, "{mean} {by_hand}");
    // Each design's results are those of `nines run` with the same settings.
    let alone = nines_json(&[
        "run",
        "web-n-plus-1",
        "--seed",
        "3",
        "--replications",
        "100",
        "--json",
        "-",
    ]);
    assert_eq!(alone, v["designs"][0]);
    assert!(d["cost_per_year"]["mean"].as_f64().is_some(), "{d}");
}

#[test]
fn a_design_against_itself_differs_by_exactly_zero() {
    let v = nines_json(&[
        "compare",
        "cluster-2of3",
        "cluster-2of3",
        "--replications",
        "20",
        "--json",
        "-",
    ]);
    let d = &v["differences"][0];
    for key in ["mean", "ci95_low", "ci95_high"] {
        assert_eq!(d["downtime_minutes_per_year"][key], 0.0, "{key}: {d}");
    }
    assert_eq!(d["significant"], false);
    assert!(
        d["verdict"]
            .as_str()
            .unwrap()
            .starts_with("no significant difference in downtime"),
        "{d}"
    );
    assert_eq!(d["cost_per_year"], serde_json::Value::Null);
    assert_eq!(v["names"][0], "cluster-2of3 #1");
    assert_eq!(v["names"][1], "cluster-2of3 #2");

    let text = nines(&["compare", "cluster-2of3", "cluster-2of3", "-r", "20"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains("no significant difference"),
        "{}",
        text.stdout
    );
}

#[test]
fn multi_az_has_less_downtime_than_n_plus_1_in_one_zone() {
    let run = nines(&[
        "compare",
        "web-n-plus-1",
        "multi-az",
        "--replications",
        "50",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("multi-az has less downtime than web-n-plus-1: "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("common random numbers"),
        "{}",
        run.stdout
    );
}

#[test]
fn settings_come_from_the_first_design_and_differences_are_noted() {
    // retry-storm runs 20 replications of 10 minutes; cluster-2of3 200 of a year.
    let run = nines(&[
        "compare",
        "cluster-2of3",
        "single-server",
        "--seed",
        "2",
        "--json",
        "-",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["replications"], 200);
    assert_eq!(v["designs"][1]["seed"], 2);
    assert_eq!(v["designs"][1]["replications"], 200);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("short.toml");
    let base = include_str!("../../scenarios/library/cluster-2of3.toml");
    std::fs::write(
        &path,
        base.replacen("replications = 200", "replications = 30", 1),
    )
    .unwrap();
    let path = path.to_string_lossy().into_owned();
    let run = nines(&["compare", "cluster-2of3", &path, "--json", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("note: the designs' own settings differ"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("30 replications"), "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["designs"][1]["replications"], 200);
}

#[test]
fn a_small_compare_reads_as_expected() {
    let run = nines(&[
        "compare",
        "single-server",
        "web-n-plus-1",
        "--seed",
        "7",
        "--replications",
        "5",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("compare-single-server-web-n-plus-1", run.stdout);
}

/// `builtin:NAME`, as `extends` writes it, names a built-in scenario on the
/// command line too, and gives the same results as the bare name.
#[test]
fn builtin_prefixed_names_are_accepted_wherever_a_scenario_is() {
    let prefixed = nines(&[
        "compare",
        "builtin:web-n-plus-1",
        "builtin:multi-az",
        "--replications",
        "4",
        "--json",
        "-",
    ]);
    assert_eq!(prefixed.code, 0, "{}", prefixed.stderr);
    let bare = nines(&[
        "compare",
        "web-n-plus-1",
        "multi-az",
        "--replications",
        "4",
        "--json",
        "-",
    ]);
    assert_eq!(prefixed.stdout, bare.stdout);
    let wrong = nines(&["check", "builtin:web-n-plus-2"]);
    assert_eq!(wrong.code, 2);
    assert!(
        wrong.stderr.contains("no built-in scenario"),
        "{}",
        wrong.stderr
    );
}

/// Every measure both designs have gets its paired difference: the async
/// replica loses writes at each failover, the sync one none, while
/// downtime and cost are the same in every replication. The verdict names
/// the writes lost.
#[test]
fn writes_lost_are_judged_beside_downtime_and_cost() {
    let v = nines_json(&[
        "compare",
        "db-active-passive",
        "db-sync-vs-async",
        "--replications",
        "60",
        "--seed",
        "3",
        "--json",
        "-",
    ]);
    let d = &v["differences"][0];
    let lost = &d["writes_lost_per_year"];
    assert!(lost["ci95_high"].as_f64().unwrap() < 0.0, "{lost}");
    assert_eq!(lost["significant"], true);
    assert_eq!(d["loss_events_per_year"]["significant"], true);
    // Downtime, failovers and so the downtime's cost differ only where
    // async waits for a lost primary whose stale standby cannot take over.
    for same in [
        "downtime_minutes_per_year",
        "cost_per_year",
        "failovers_per_year",
    ] {
        assert_eq!(d[same]["significant"], false, "{same}: {}", d[same]);
    }
    let verdict = d["measures_verdict"].as_str().unwrap();
    assert!(
        verdict.starts_with("db-sync-vs-async is better on writes lost ("),
        "{verdict}"
    );
    assert!(
        verdict.contains("no significant difference in downtime, cost"),
        "{verdict}"
    );
    // The paired mean is what the two runs' own means differ by.
    let means: Vec<f64> = (0..2)
        .map(|i| {
            v["designs"][i]["data"]["lost_writes_per_year"]["mean"]
                .as_f64()
                .unwrap()
        })
        .collect();
    let paired = lost["mean"].as_f64().unwrap();
    assert!(
        (paired - (means[1] - means[0])).abs() < 1e-6 * means[0],
        "{paired} {means:?}"
    );
}

#[test]
fn the_objective_chooses_what_the_overall_verdict_weighs() {
    let v = nines_json(&[
        "compare",
        "single-server",
        "web-n-plus-1",
        "--replications",
        "30",
        "--seed",
        "7",
        "--objective",
        "requests,cost",
        "--json",
        "-",
    ]);
    let d = &v["differences"][0];
    assert_eq!(
        d["objectives"],
        serde_json::json!(["request_availability", "cost_per_year"])
    );
    let overall = d["overall"].as_str().unwrap();
    assert!(
        overall
            .contains("web-n-plus-1 dominates single-server: better on requests served and cost"),
        "{overall}"
    );
    let bad = nines(&[
        "compare",
        "single-server",
        "web-n-plus-1",
        "--objective",
        "cost,latnecy",
    ]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("unknown measure \"latnecy\""),
        "{}",
        bad.stderr
    );
    let missing = nines(&[
        "compare",
        "single-server",
        "web-n-plus-1",
        "--objective",
        "writes_lost",
    ]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("has no writes lost to judge"),
        "{}",
        missing.stderr
    );
}
