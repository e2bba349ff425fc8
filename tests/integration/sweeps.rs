//! Sweeps: thread-count independence, shards that merge into exactly the
//! unsharded output, resuming after a kill, and the variance that common
//! random numbers remove.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{nines, nines_json};

const SWEEP: &[&str] = &[
    "sweep",
    "web-replicas-sweep",
    "--replications",
    "12",
    "--seed",
    "5",
    "-q",
];

fn sweep_into(dir: &Path, extra: &[&str]) {
    let d = dir.to_string_lossy().into_owned();
    let mut args: Vec<&str> = SWEEP.to_vec();
    args.extend_from_slice(&["--out", &d]);
    args.extend_from_slice(extra);
    let run = nines(&args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

#[test]
fn results_do_not_depend_on_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    sweep_into(&one, &["--threads", "1"]);
    sweep_into(&two, &["--threads", "2"]);
    assert_eq!(read(&one, "sweep.json"), read(&two, "sweep.json"));
    assert_eq!(read(&one, "sweep.csv"), read(&two, "sweep.csv"));
}

#[test]
fn shards_merge_into_the_unsharded_output() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    sweep_into(&whole, &[]);
    for n in [1usize, 2, 3, 7] {
        let mut dirs = Vec::new();
        for i in 1..=n {
            let dir = tmp.path().join(format!("n{n}-s{i}"));
            sweep_into(&dir, &["--shard", &format!("{i}/{n}")]);
            assert!(
                !dir.join("sweep.json").exists(),
                "a shard writes no sweep.json"
            );
            dirs.push(dir.to_string_lossy().into_owned());
        }
        let merged = tmp.path().join(format!("merged-{n}"));
        let m = merged.to_string_lossy().into_owned();
        let mut args = vec!["merge"];
        args.extend(dirs.iter().map(String::as_str).rev());
        args.extend_from_slice(&["--out", &m, "-q"]);
        let run = nines(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            read(&whole, "sweep.json"),
            read(&merged, "sweep.json"),
            "N = {n}"
        );
        assert_eq!(
            read(&whole, "sweep.csv"),
            read(&merged, "sweep.csv"),
            "N = {n}"
        );
    }
    // A missing shard is named, not papered over.
    let m = tmp.path().join("partial").to_string_lossy().into_owned();
    let s1 = tmp.path().join("n3-s1").to_string_lossy().into_owned();
    let run = nines(&["merge", &s1, "--out", &m]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("10 of 15 points are missing"),
        "{}",
        run.stderr
    );
}

/// A sweep killed midway keeps its finished points; `--resume` runs the
/// rest, and the result is the uninterrupted one, byte for byte.
#[test]
fn a_killed_sweep_resumes_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    let args = [
        "sweep",
        "web-replicas-sweep",
        "--replications",
        "400",
        "--seed",
        "9",
        "-q",
        "--threads",
        "1",
    ];
    let w = whole.to_string_lossy().into_owned();
    let mut full: Vec<&str> = args.to_vec();
    full.extend_from_slice(&["--out", &w]);
    assert_eq!(nines(&full).code, 0);
    let cut = tmp.path().join("cut");
    let c = cut.to_string_lossy().into_owned();
    let mut part: Vec<&str> = args.to_vec();
    part.extend_from_slice(&["--out", &c]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_nines"))
        .args(&part)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it (SIGKILL: no chance to clean up) once a few points are saved.
    let start = Instant::now();
    loop {
        let saved = std::fs::read_dir(cut.join("points")).map_or(0, |d| d.count());
        if saved >= 3 || start.elapsed() > Duration::from_secs(60) {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    let saved = std::fs::read_dir(cut.join("points")).unwrap().count();
    assert!(saved >= 1, "points are saved as they finish");
    let mut resume = part.clone();
    resume.push("--resume");
    let run = nines(&resume);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        read(&whole, "sweep.json"),
        read(&cut, "sweep.json"),
        "{saved} points kept"
    );
    assert_eq!(read(&whole, "sweep.csv"), read(&cut, "sweep.csv"));
    // Resuming another sweep into the same directory is refused.
    let mut other = resume.clone();
    other[5] = "10";
    let run = nines(&other);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("holds results of another sweep"),
        "{}",
        run.stderr
    );
}

/// Rerunning a sweep onto a directory with finished points, without
/// `--resume`, is refused and says how to go on; `--force` starts over,
/// removing only the point files nines wrote (a user's file under
/// `points/` stays), and a killed run's temporary files are cleaned.
#[test]
fn a_rerun_onto_finished_points_is_refused_unless_resumed_or_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sw");
    let o = out.to_string_lossy().into_owned();
    let args = [
        "sweep",
        "web-replicas-sweep",
        "--replications",
        "5",
        "-q",
        "--out",
        &o,
    ];
    assert_eq!(nines(&args).code, 0);
    let points = out.join("points");
    let before = std::fs::read_dir(&points).unwrap().count();
    assert!(before > 0);
    std::fs::write(points.join("notes.json"), "mine").unwrap();
    std::fs::write(points.join(".000001.json.abc123.nines-tmp"), "half").unwrap();
    let run = nines(&args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("finished point"), "{}", run.stderr);
    assert!(run.stderr.contains("--resume"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_dir(&points).unwrap().count(),
        before + 1,
        "the refusal removes no point"
    );
    // Another sweep's points are refused too.
    let mut other = args.to_vec();
    other[3] = "6";
    let run = nines(&other);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("another sweep"), "{}", run.stderr);
    let mut forced = args.to_vec();
    forced.push("--force");
    let run = nines(&forced);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(points.join("notes.json")).unwrap(),
        "mine"
    );
    let names: Vec<String> = std::fs::read_dir(&points)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.ends_with(".nines-tmp")),
        "{names:?}"
    );
    assert_eq!(names.len(), before + 1, "{names:?}");
    let mut resumed = args.to_vec();
    resumed.push("--resume");
    assert_eq!(nines(&resumed).code, 0);
}

/// Common random numbers: the paired difference between two close designs
/// (4 vs 5 web servers over 2 zones, which differ only when a fifth server
/// matters) is far more precise than with independent streams.
#[test]
fn common_random_numbers_narrow_the_difference() {
    let half_width = |independent: bool| {
        let mut args = vec![
            "sweep",
            "web-n-plus-1",
            "--sweep",
            "service.web.instances=3,4",
            "--replications",
            "200",
            "--json",
            "-",
        ];
        if independent {
            args.push("--independent");
        }
        let v = nines_json(&args);
        let series = |i: usize| -> Vec<f64> {
            v[i]["summary"]["replication_downtime_minutes_per_year"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        };
        let (a, b) = (series(0), series(1));
        let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
        let n = d.len() as f64;
        let mean = d.iter().sum::<f64>() / n;
        let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        1.97 * (var / n).sqrt()
    };
    let paired = half_width(false);
    let independent = half_width(true);
    assert!(
        independent > 3.0 * paired,
        "paired half-width {paired:.2} vs independent {independent:.2} min/yr"
    );
}

#[test]
fn a_trace_of_a_thousand_years_is_refused_up_front() {
    for args in [
        vec![
            "run",
            "cluster-2of3",
            "--horizon",
            "1000y",
            "--trace",
            "/tmp/never.jsonl",
        ],
        vec![
            "replay",
            "cluster-2of3",
            "--replication",
            "0",
            "--horizon",
            "1000y",
            "--trace",
            "/tmp/never.jsonl",
        ],
    ] {
        let run = nines(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr.contains("runs longer than 100y are refused"),
            "{}",
            run.stderr
        );
    }
}

/// `--objective` chooses what the frontier is drawn over: backups every
/// hour and every day cost the same and are down alike, so both are on
/// the cost-availability frontier; over writes lost only the hourly one
/// is. The table and the CSV carry the writes lost.
#[test]
fn the_objective_chooses_the_frontier_and_data_measures_are_carried() {
    let sweep = r#"service.db.data.backup_every=["1h","24h"]"#;
    let args = |objective: Option<&str>| {
        let mut a = vec![
            "sweep",
            "backup-restore",
            "--sweep",
            sweep,
            "--replications",
            "10",
            "--seed",
            "4",
            "--json",
            "-",
        ];
        if let Some(o) = objective {
            a.extend(["--objective", o]);
        }
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let run = |objective| {
        let a = args(objective);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        nines_json(&refs)
    };
    let pareto = |v: &serde_json::Value| -> Vec<bool> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| p["pareto"].as_bool().unwrap())
            .collect()
    };
    assert_eq!(pareto(&run(None)), [true, true]);
    assert_eq!(pareto(&run(Some("cost,writes_lost"))), [true, false]);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_string_lossy().into_owned();
    let text = nines(&[
        "sweep",
        "backup-restore",
        "--sweep",
        sweep,
        "--replications",
        "10",
        "--objective",
        "writes_lost",
        "--out",
        &out,
    ]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("writes lost /yr"), "{}", text.stdout);
    assert!(
        text.stdout.contains("* on the frontier over writes lost"),
        "{}",
        text.stdout
    );
    let csv = std::fs::read_to_string(Path::new(&out).join("sweep.csv")).unwrap();
    assert!(csv.contains(",writes_lost_per_year,"), "{csv}");
    assert!(csv.contains(",worst_rpo_hours,"), "{csv}");

    // The report draws the plane of the two objectives beside the table.
    let report = dir.path().join("report");
    let report = report.to_string_lossy().into_owned();
    let drawn = nines(&[
        "sweep",
        "backup-restore",
        "--sweep",
        sweep,
        "--replications",
        "10",
        "--objective",
        "cost,writes_lost",
        "--report",
        &report,
    ]);
    assert_eq!(drawn.code, 0, "{}", drawn.stderr);
    let md = std::fs::read_to_string(Path::new(&report).join("report.md")).unwrap();
    assert!(md.contains("](objective_frontier.svg)"), "{md}");
    let svg = std::fs::read_to_string(Path::new(&report).join("objective_frontier.svg")).unwrap();
    assert!(svg.contains("writes lost (/yr), lower is better"), "{svg}");
    assert!(!svg.contains("log scale"), "{svg}");
}
