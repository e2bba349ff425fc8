//! Variants, templates, `--set` and sweeps from the command line.

use crate::support::{nines, nines_json};

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// `--set` changes the design: more web servers, less downtime, under the
/// same seed; the reproduce line repeats the flag.
#[test]
fn set_changes_a_value_and_is_repeated_in_the_reproduce_line() {
    let json = |extra: &[&str]| {
        let mut args = vec!["run", "web-n-plus-1", "--replications", "40", "--json", "-"];
        args.extend_from_slice(extra);
        nines_json(&args)
    };
    let base = json(&[]);
    let more = json(&["--set", "service.web.instances=4"]);
    let d = |v: &serde_json::Value| v["downtime_minutes_per_year"]["mean"].as_f64().unwrap();
    assert!(d(&more) < d(&base), "{} vs {}", d(&more), d(&base));
    let text = nines(&[
        "run",
        "web-n-plus-1",
        "--replications",
        "10",
        "--set",
        "service.web.instances=4",
    ]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout
            .contains("nines run web-n-plus-1 --set service.web.instances=4 --seed 1"),
        "{}",
        text.stdout
    );
    let bad = nines(&["run", "web-n-plus-1", "--set", "service.wbe.instances=4"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("did you mean `web`?"), "{}", bad.stderr);
    let bad = nines(&["run", "web-n-plus-1", "--set", "service.web.instances=0"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("--set service.web.instances=0: key `service.instances`"),
        "{}",
        bad.stderr
    );
}

/// A variant file extends a base file beside it; its errors point at
/// itself, the base's at the base.
#[test]
fn a_variant_extends_a_file_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let base = include_str!("../../scenarios/library/web-n-plus-1.toml");
    write(dir.path(), "base.toml", base);
    let variant = write(
        dir.path(),
        "variant.toml",
        "extends = \"base.toml\"\n\n[scenario]\nname = \"web-n-plus-2\"\n\n[[service]]\nname = \"web\"\ninstances = 4\n",
    );
    let v = nines_json(&["run", &variant, "--replications", "20", "--json", "-"]);
    assert_eq!(v["scenario"], "web-n-plus-2");
    let broken = write(
        dir.path(),
        "broken.toml",
        "extends = \"base.toml\"\n\n[[service]]\nname = \"web\"\ninstances = 4\nmin_healthy = 7\n",
    );
    let run = nines(&["run", &broken]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("broken.toml:6:15: key `service.min_healthy`"),
        "{}",
        run.stderr
    );
    write(
        dir.path(),
        "bad-base.toml",
        &base.replace("crews = 1", "crews = 0"),
    );
    let variant2 = write(dir.path(), "v2.toml", "extends = \"bad-base.toml\"\n");
    let run = nines(&["run", &variant2]);
    assert_eq!(run.code, 2);
    let line = base.lines().position(|l| l.contains("crews = 1")).unwrap() + 1;
    assert!(
        run.stderr
            .contains(&format!("bad-base.toml:{line}:9: key `team.crews`")),
        "{}",
        run.stderr
    );
    let missing = write(dir.path(), "m.toml", "extends = \"web-n-plus-1\"\n");
    let run = nines(&["run", &missing]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("write extends = \"builtin:web-n-plus-1\""),
        "{}",
        run.stderr
    );
}

/// `nines sweep`: one result per point, in order, with the frontier
/// marked; the same point run alone gives the same figures (common random
/// numbers: the seed is shared).
#[test]
fn a_sweep_runs_every_point_and_writes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out_s = out.to_string_lossy().into_owned();
    let v = nines_json(&[
        "sweep",
        "web-n-plus-1",
        "--sweep",
        "service.web.instances=2..4",
        "--replications",
        "20",
        "--out",
        &out_s,
        "--json",
        "-",
    ]);
    let points = v.as_array().unwrap();
    assert_eq!(points.len(), 3);
    assert_eq!(points[1]["point"]["service.web.instances"], 3);
    assert_eq!(points[1]["label"], "instances=3");
    assert!(points.iter().any(|p| p["pareto"] == true));
    let alone = nines_json(&[
        "run",
        "web-n-plus-1",
        "--set",
        "service.web.instances=3",
        "--replications",
        "20",
        "--json",
        "-",
    ]);
    assert_eq!(points[1]["summary"]["trace_hash"], alone["trace_hash"]);
    assert_eq!(points[1]["summary"]["availability"], alone["availability"]);
    let json = std::fs::read_to_string(out.join("sweep.json")).unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap(), v);
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert!(
        csv.starts_with(
            "point,label,service.web.instances,measure,mean,ci95_low,ci95_high,pareto\n"
        )
    );
    assert_eq!(csv.lines().count(), 1 + 3 * 4);
}

#[test]
fn absurd_or_empty_sweeps_are_refused() {
    let run = nines(&[
        "sweep",
        "web-n-plus-1",
        "--sweep",
        "service.web.instances=1..1000000000",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the most one sweep may have is 100000"),
        "{}",
        run.stderr
    );
    let run = nines(&["sweep", "web-n-plus-1"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("declares no [sweep]"), "{}", run.stderr);
    let run = nines(&[
        "sweep",
        "web-n-plus-1",
        "--sweep",
        "service.web.instances=2,9",
    ]);
    assert_eq!(
        run.code, 2,
        "a point that cannot be built is refused before anything runs"
    );
    assert!(
        run.stderr.contains("sweep point `instances=9`"),
        "{}",
        run.stderr
    );
}
