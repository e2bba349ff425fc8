//! Replications and precision: `--precision` stops where its target is met
//! (or at the cap) and says which stopped it, with the results of a plain
//! run of that many replications; `--method batch-means` estimates from one
//! long run and contains the exact answer.

use serde_json::Value;

use crate::support::{nines, nines_json, run_text};

/// The exact availability of cluster-2of3: 3a² − 2a³ with a = 1000/1010.
const CLUSTER_2OF3_EXACT: f64 = 0.999_707_852;

/// `text` without the lines of its top-level `"stopping"` object (as
/// printed by `--json -`).
fn without_stopping(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with("  \"stopping\": {") {
            skipping = true;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
        if skipping && line == "  }," {
            skipping = false;
        }
    }
    out
}

#[test]
fn precision_stops_at_its_target_with_the_results_of_a_plain_run() {
    let run = nines(&["run", "cluster-2of3", "--precision", "10%", "--json", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let stopping = &json["stopping"];
    assert_eq!(stopping["rule"], "precision", "{stopping}");
    assert_eq!(stopping["target"], "10%");
    assert_eq!(stopping["reached"], true);
    assert_eq!(stopping["max_replications"], 100_000);
    let n = stopping["replications"].as_u64().unwrap();
    // The schedule is 100, 200, 400, ...: the stop is one of its totals.
    // Pinned, so that a change in where the rule stops shows in review.
    assert_eq!(n, 3200);
    assert_eq!(json["replications"], n);
    let half_width = stopping["half_width_minutes_per_year"].as_f64().unwrap();
    let mean = json["downtime_minutes_per_year"]["mean"].as_f64().unwrap();
    assert!(half_width <= 0.1 * mean, "{half_width} vs {mean}");
    let relative = stopping["relative_half_width"].as_f64().unwrap();
    assert!((relative - half_width / mean).abs() < 1e-12);
    // The interval the report shows is the one judged: its wider side.
    let d = &json["downtime_minutes_per_year"];
    let (low, high) = (
        d["ci95_low"].as_f64().unwrap(),
        d["ci95_high"].as_f64().unwrap(),
    );
    let shown = (high - mean).max(mean - low);
    assert!((shown - half_width).abs() < 1e-9, "{shown} vs {half_width}");

    // A plain run of that many replications gives the same bytes but for
    // the stopping field.
    let plain = nines(&[
        "run",
        "cluster-2of3",
        "--replications",
        &n.to_string(),
        "--json",
        "-",
    ]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(!plain.stdout.contains("\"stopping\""));
    assert_eq!(without_stopping(&run.stdout), plain.stdout);
}

#[test]
fn precision_does_not_depend_on_the_thread_count() {
    let args = |threads: &'static str| {
        nines(&[
            "run",
            "web-n-plus-1",
            "--precision",
            "10%",
            "--threads",
            threads,
            "--json",
            "-",
        ])
    };
    let (one, two) = (args("1"), args("2"));
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(one.stdout, two.stdout);
    let json: Value = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(json["stopping"]["reached"], true, "{}", json["stopping"]);
}

#[test]
fn the_cap_is_honoured_and_reported() {
    let json = nines_json(&[
        "run",
        "cluster-2of3",
        "--precision",
        "0.1%",
        "--max-replications",
        "300",
        "--json",
        "-",
    ]);
    let stopping = &json["stopping"];
    assert_eq!(stopping["rule"], "max-replications", "{stopping}");
    assert_eq!(stopping["reached"], false);
    assert_eq!(stopping["replications"], 300);
    assert_eq!(stopping["max_replications"], 300);
    assert_eq!(json["replications"], 300);
    let half_width = stopping["half_width_minutes_per_year"].as_f64().unwrap();
    let target = stopping["target_minutes_per_year"].as_f64().unwrap();
    assert!(half_width > target, "{half_width} vs {target}");

    let text = nines(&[
        "run",
        "cluster-2of3",
        "--precision",
        "0.1%",
        "--max-replications",
        "300",
    ]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains(
            "stopping      --max-replications 300 reached before precision 0.1%: 95% half-width"
        ),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(
            "reproduce     nines run cluster-2of3 --seed 1 --replications 300 --horizon 1y"
        ),
        "{}",
        text.stdout
    );
}

#[test]
fn an_absolute_target_is_minutes_per_year() {
    let json = nines_json(&["run", "cluster-2of3", "--precision", "20min", "--json", "-"]);
    let stopping = &json["stopping"];
    assert_eq!(stopping["rule"], "precision", "{stopping}");
    assert_eq!(stopping["target_minutes_per_year"], 20.0);
    assert!(stopping["half_width_minutes_per_year"].as_f64().unwrap() <= 20.0);
    // "1h" is 60 minutes per year: met sooner.
    let hour = nines_json(&["run", "cluster-2of3", "--precision", "1h", "--json", "-"]);
    assert_eq!(hour["stopping"]["target_minutes_per_year"], 60.0);
    assert!(hour["replications"].as_u64() < json["replications"].as_u64());
}

/// A 2-of-3 cluster whose nodes almost never fail: no downtime in any
/// replication.
const NEVER_DOWN: &str = r#"
[scenario]
name = "never-down"

[[component]]
name = "node"
count = 3
failure = "exponential(mean = 500000y)"
repair = "exponential(mean = 10h)"

[service]
min_up = 2
"#;

#[test]
fn with_no_downtime_a_relative_target_is_undefined_and_an_absolute_one_uses_the_bound() {
    let relative = run_text(
        NEVER_DOWN,
        &["--precision", "5%", "--max-replications", "400"],
    );
    let stopping = &relative["stopping"];
    assert_eq!(stopping["rule"], "max-replications", "{stopping}");
    assert_eq!(stopping["reached"], false);
    assert_eq!(stopping["replications"], 400);
    assert_eq!(stopping["relative_half_width"], Value::Null);
    assert_eq!(stopping["target_minutes_per_year"], Value::Null);
    assert!(
        stopping["note"]
            .as_str()
            .unwrap()
            .contains("a relative precision is undefined for a zero mean"),
        "{stopping}"
    );
    assert_eq!(relative["availability"]["zero_downtime_observed"], true);
    // The half-width judged is the one-sided bound the report shows.
    assert_eq!(
        stopping["half_width_minutes_per_year"],
        relative["downtime_minutes_per_year"]["ci95_high"]
    );

    // The bound over 100 years is about 18 min/yr, over 200 about 9.
    let absolute = run_text(NEVER_DOWN, &["--precision", "10min"]);
    let stopping = &absolute["stopping"];
    assert_eq!(stopping["rule"], "precision", "{stopping}");
    assert_eq!(stopping["replications"], 200);
    assert!(stopping["half_width_minutes_per_year"].as_f64().unwrap() <= 10.0);
    assert!(stopping.get("note").is_none(), "{stopping}");
}

#[test]
fn batch_means_contains_the_exact_availability_of_cluster_2of3() {
    let json = nines_json(&[
        "run",
        "cluster-2of3",
        "--method",
        "batch-means",
        "--replications",
        "1000",
        "--json",
        "-",
    ]);
    assert_eq!(json["method"], "batch-means");
    assert_eq!(json["run_hours"], 1000.0 * 8760.0);
    let a = &json["availability"];
    let (low, high) = (
        a["ci95_low"].as_f64().unwrap(),
        a["ci95_high"].as_f64().unwrap(),
    );
    assert!(
        low <= CLUSTER_2OF3_EXACT && CLUSTER_2OF3_EXACT <= high,
        "{a}"
    );
    let (low99, high99) = (
        a["ci99_low"].as_f64().unwrap(),
        a["ci99_high"].as_f64().unwrap(),
    );
    assert!(low99 < low && high < high99, "{a}");
    let exact_minutes = (1.0 - CLUSTER_2OF3_EXACT) * 525_600.0;
    let d = &json["downtime_minutes_per_year"];
    assert!(
        d["ci95_low"].as_f64().unwrap() <= exact_minutes
            && exact_minutes <= d["ci95_high"].as_f64().unwrap(),
        "{d} vs {exact_minutes}"
    );
    let batches = json["batches"].as_u64().unwrap();
    assert!((10..=160).contains(&batches), "{batches}");
    assert_eq!(
        json["batch_downtime_minutes_per_year"]
            .as_array()
            .unwrap()
            .len() as u64,
        batches
    );
    let cut = json["warmup_cut_hours"].as_f64().unwrap();
    assert!((0.0..=0.5 * 1000.0 * 8760.0).contains(&cut), "{cut}");
    let covered = json["measured_hours"].as_f64().unwrap() + cut;
    assert!((covered - 1000.0 * 8760.0).abs() < 1e-3, "{covered}");
    assert!(
        (json["batch_hours"].as_f64().unwrap() * batches as f64
            - json["measured_hours"].as_f64().unwrap())
        .abs()
            < 1e-3
    );
    assert!(json["lag1_autocorrelation"].as_f64().unwrap() < 0.2);
    assert_eq!(json["batches_uncorrelated"], true);

    // The long run is replication 0 over 1000 years: `nines replay`
    // reproduces its digest.
    let replay = nines_json(&[
        "replay",
        "cluster-2of3",
        "--replication",
        "0",
        "--horizon",
        "1000y",
        "--json",
        "-",
    ]);
    assert_eq!(replay["trace_hash"], json["trace_hash"]);
    assert_eq!(replay["events"], json["events"]);
}

/// One repairable unit (validation case V01): availability 1000/1010.
const SINGLE_UNIT: &str = r#"
[scenario]
name = "single-unit"

[[component]]
name = "unit"
failure = "exponential(mean = 1000h)"
repair = "exponential(mean = 10h)"

[service]
min_up = 1
"#;

#[test]
fn batch_means_contains_the_exact_availability_of_a_single_unit() {
    let json = run_text(
        SINGLE_UNIT,
        &["--method", "batch-means", "--replications", "500"],
    );
    let exact = 1000.0 / 1010.0;
    let a = &json["availability"];
    assert!(
        a["ci99_low"].as_f64().unwrap() <= exact && exact <= a["ci99_high"].as_f64().unwrap(),
        "{a} vs {exact}"
    );
    assert_eq!(a["zero_downtime_observed"], false);
    assert!(json["batches"].as_u64().unwrap() >= 10);
}

#[test]
fn batch_means_reads_an_infrastructure_system_and_prints_its_batches() {
    let run = nines(&[
        "run",
        "multi-az",
        "--method",
        "batch-means",
        "--replications",
        "40",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "method        batch means over one run of 350400 h (replication 0, seed 1)",
        "warm-up cut   ",
        "batches       ",
        "availability  ",
        "downtime      ",
        "reproduce     nines run multi-az --method batch-means --seed 1 --replications 40 --horizon 1y",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    let hash = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("trace hash    "))
        .unwrap()
        .to_string();
    let replay = nines_json(&[
        "replay",
        "multi-az",
        "--replication",
        "0",
        "--horizon",
        "40y",
        "--json",
        "-",
    ]);
    assert_eq!(replay["trace_hash"], hash.as_str());
}

#[test]
fn precision_and_batch_means_refuse_what_does_not_fit() {
    let refused = |args: &[&str], says: &str| {
        let run = nines(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    };
    for bad in ["5", "0%", "150%", "fast"] {
        refused(
            &["run", "cluster-2of3", "--precision", bad],
            &format!("--precision {bad}: "),
        );
    }
    refused(
        &[
            "run",
            "cluster-2of3",
            "--precision",
            "5%",
            "--replications",
            "10",
        ],
        "cannot be used with",
    );
    refused(
        &["run", "cluster-2of3", "--max-replications", "10"],
        "--precision",
    );
    refused(
        &[
            "run",
            "cluster-2of3",
            "--precision",
            "5%",
            "--max-replications",
            "1",
        ],
        "--max-replications 1: expected from 2",
    );
    refused(
        &[
            "run",
            "cluster-2of3",
            "--method",
            "batch-means",
            "--precision",
            "5%",
        ],
        "does not apply to --method batch-means",
    );
    refused(
        &["run", "retry-storm", "--method", "batch-means"],
        "request-level scenario cannot use --method batch-means",
    );
    refused(
        &[
            "run",
            "cluster-2of3",
            "--method",
            "batch-means",
            "--trace",
            "x.jsonl",
        ],
        "nines replay",
    );
}
