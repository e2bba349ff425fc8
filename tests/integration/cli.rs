//! The command line: output shapes, flags, exit codes.

use crate::support::{nines, nines_json};

#[test]
fn run_json_has_the_documented_keys() {
    let v = nines_json(&[
        "run",
        "cluster-2of3",
        "--seed",
        "3",
        "--replications",
        "20",
        "--json",
        "-",
    ]);
    for key in [
        "scenario",
        "seed",
        "replications",
        "horizon_hours",
        "events",
        "trace_hash",
    ] {
        assert!(!v[key].is_null(), "missing {key}");
    }
    for key in ["mean", "ci95_low", "ci95_high", "nines"] {
        assert!(
            v["availability"][key].is_number(),
            "missing availability.{key}"
        );
    }
    for group in ["downtime_minutes_per_year", "incidents_per_year"] {
        for key in ["mean", "ci95_low", "ci95_high"] {
            assert!(v[group][key].is_number(), "missing {group}.{key}");
        }
    }
    assert_eq!(v["seed"], 3);
    assert_eq!(v["replications"], 20);
    assert_eq!(v["horizon_hours"], 8760.0);
    let a = &v["availability"];
    let (lo, m, hi) = (
        a["ci95_low"].as_f64().unwrap(),
        a["mean"].as_f64().unwrap(),
        a["ci95_high"].as_f64().unwrap(),
    );
    assert!(0.0 < lo && lo <= m && m <= hi && hi <= 1.0, "{lo} {m} {hi}");
}

#[test]
fn human_summary_shows_interval_seed_and_hash() {
    let run = nines(&["run", "cluster-2of3", "--replications", "10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for needle in [
        "availability",
        "95% CI",
        "nines",
        "downtime",
        "min/yr",
        "incidents",
        "trace hash",
        "seed 1",
        "10 x 8760 h",
    ] {
        assert!(
            run.stdout.contains(needle),
            "summary lacks {needle:?}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn horizon_and_seed_flags_override_the_scenario() {
    let v = nines_json(&[
        "run",
        "cluster-2of3",
        "--horizon",
        "90d",
        "--seed",
        "11",
        "--replications",
        "5",
        "--json",
        "-",
    ]);
    assert_eq!(v["horizon_hours"], 2160.0);
    assert_eq!(v["seed"], 11);
}

#[test]
fn json_to_a_file_leaves_the_summary_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.json");
    let run = nines(&[
        "run",
        "cluster-2of3",
        "--replications",
        "5",
        "--json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("availability"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["replications"], 5);
}

#[test]
fn trace_writes_one_json_line_per_event_of_the_replication() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trace.jsonl");
    let run = nines(&[
        "run",
        "cluster-2of3",
        "--replications",
        "4",
        "--trace",
        path.to_str().unwrap(),
        "--trace-replication",
        "2",
        "--horizon",
        "5y",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty());
    let mut last = 0;
    for l in &lines {
        let t = l["t_us"].as_u64().unwrap();
        assert!(t >= last, "trace goes back in time");
        last = t;
        assert!(["fail", "repaired"].contains(&l["kind"].as_str().unwrap()));
        assert!(l["name"].as_str().unwrap().starts_with("node-"));
    }
}

#[test]
fn bad_flag_values_exit_2() {
    for args in [
        &["run", "cluster-2of3", "--replications", "1"][..],
        &["run", "cluster-2of3", "--horizon", "-1y"],
        &["run", "cluster-2of3", "--horizon", "soon"],
        &["run", "no-such-scenario"],
        &["run", "missing/file.toml"],
        &["run", "cluster-2of3", "--seed", "-3"],
        &["frobnicate"],
    ] {
        let run = nines(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn help_and_version_work() {
    let run = nines(&["--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("run") && run.stdout.contains("validate"));
    let run = nines(&["--version"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("nines "));
}

#[test]
fn zero_observed_downtime_is_an_upper_bound_never_a_hundred_percent() {
    let v = nines_json(&[
        "run",
        &crate::support::fixture("reliable.toml"),
        "--json",
        "-",
    ]);
    let a = &v["availability"];
    assert_eq!(a["zero_downtime_observed"], true);
    let low = a["ci95_low"].as_f64().unwrap();
    assert!(low < 1.0, "the lower bound must admit downtime: {low}");
    let d = &v["downtime_minutes_per_year"];
    assert!(d["ci95_high"].as_f64().unwrap() > 0.0);
    // 20 replication-years with no outage: fewer than -ln(0.05)/20 per year.
    let i = v["incidents_per_year"]["ci95_high"].as_f64().unwrap();
    assert!((i - 2.995_732_273_553_991 / 20.0).abs() < 1e-9, "{i}");

    let run = nines(&["run", &crate::support::fixture("reliable.toml")]);
    assert!(run.stdout.contains("availability  >= "), "{}", run.stdout);
    assert!(
        run.stdout.contains("no downtime observed"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("100.00000%"), "{}", run.stdout);
}
