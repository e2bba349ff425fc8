//! `nines hunt`: invariants found by seed, replayed bit for bit, shrunk to
//! a scheduled-fault scenario that fails every time.

use crate::support::{nines, nines_json, nines_ok};

/// `nines hunt ... --json -`, whatever its exit code.
fn hunt_json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["hunt"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", "-"]);
    let run = nines(&all);
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {} / {}", run.stdout, run.stderr));
    (run.code, json)
}

#[test]
fn hunting_split_brain_finds_one_that_replays_bit_for_bit() {
    let (code, h) = hunt_json(&["split-brain", "--seeds", "2000"]);
    assert_eq!(code, 0, "finding a violation is success: {h}");
    assert_eq!(h["found"], true);
    assert_eq!(h["invariant"], "no-split-brain");
    for key in ["seed", "replication", "time_hours", "replay", "seeds_tried"] {
        assert!(!h[key].is_null(), "{key} missing: {h}");
    }
    let seed = h["seed"].as_u64().unwrap();
    let rep = h["replication"].as_u64().unwrap();
    assert_eq!(h["seeds_tried"].as_u64().unwrap(), rep + 1);
    assert!(!h["events"].as_array().unwrap().is_empty(), "{h}");

    // The replication's digest inside a parallel run equals the replay's.
    let run = nines_json(&[
        "run",
        "split-brain",
        "--seed",
        &seed.to_string(),
        "--replications",
        &(rep + 5).to_string(),
        "--threads",
        "2",
        "--json",
        "-",
    ]);
    let replay = nines_json(&[
        "replay",
        "split-brain",
        "--seed",
        &seed.to_string(),
        "--replication",
        &rep.to_string(),
        "--explain",
        "--json",
        "-",
    ]);
    assert_eq!(
        replay["trace_hash"],
        run["replication_hashes"][rep as usize]
    );
    let story = replay["explain"].as_array().unwrap();
    assert!(
        story.iter().any(|l| l
            .as_str()
            .unwrap()
            .contains("INVARIANT BROKEN no-split-brain")),
        "{story:#?}"
    );
    // Each change is told once (a failover's end is both a row's change
    // and a step of the failover machinery).
    let mut told = std::collections::BTreeSet::new();
    for line in story {
        assert!(told.insert(line.as_str().unwrap()), "told twice: {line}");
    }
    assert!(
        story
            .iter()
            .any(|l| l.as_str().unwrap().contains("failover done")),
        "{story:#?}"
    );

    // The replay command hunt printed runs as printed.
    let printed = h["replay"].as_str().unwrap();
    let args: Vec<&str> = printed.split_whitespace().skip(1).collect();
    // Its times are written in one unit, as a scenario file writes them
    // (`7544h`, never `44w6d8h`).
    for flag in ["--from", "--to", "--horizon"] {
        let at = args.iter().position(|a| *a == flag).unwrap();
        let value = args[at + 1];
        let digits = value.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        assert!(
            !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.'),
            "{flag} {value} in {printed}"
        );
    }
    let again = nines(&args);
    assert_eq!(again.code, 0, "{printed}: {}", again.stderr);
    assert!(
        again.stdout.contains("INVARIANT BROKEN"),
        "{}",
        again.stdout
    );
}

#[test]
fn with_fencing_the_same_seeds_find_no_split_brain() {
    let (code, h) = hunt_json(&[
        "split-brain",
        "--set",
        "service.db.failover.fencing=true",
        "--seeds",
        "2000",
        "--invariant",
        "no-split-brain",
    ]);
    assert_eq!(code, 1, "finding none exits 1: {h}");
    assert_eq!(h["found"], false);
    assert_eq!(h["seeds_tried"], 2000);
    assert!(h["invariant"].is_null());
}

/// The JSON of a hunt holds nothing of the wall clock: the same hunt gives
/// the same bytes whatever the thread count and however fast it ran.
#[test]
fn what_is_found_does_not_depend_on_the_thread_count() {
    let args = |threads| {
        [
            "hunt",
            "split-brain",
            "--seed",
            "7",
            "--threads",
            threads,
            "--json",
            "-",
        ]
    };
    let one = crate::support::nines(&args("1"));
    let two = crate::support::nines(&args("2"));
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert!(!one.stdout.contains("per_second"), "{}", one.stdout);
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn shrinking_writes_a_scenario_of_few_scheduled_faults_that_fails_every_time() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("min.toml");
    let out_s = out.to_str().unwrap();
    let (code, h) = hunt_json(&["split-brain", "--seeds", "2000", "--shrink", "--out", out_s]);
    assert_eq!(code, 0, "{h}");
    let text = std::fs::read_to_string(&out).unwrap();
    let faults = text.matches("[[fault]]").count();
    assert!((1..=3).contains(&faults), "{faults} faults:\n{text}");
    assert!(!text.contains("every ="), "only scheduled faults:\n{text}");
    assert_eq!(h["shrunk"]["faults_after"], faults);
    nines_ok(&["check", out_s]);
    // No seed search: replication 0 of the file breaks it.
    let (code, again) = hunt_json(&[out_s, "--seeds", "1", "--invariant", "no-split-brain"]);
    assert_eq!(code, 0, "{again}");
    assert_eq!(again["replication"], 0);
    // Twice the same.
    let first = text.clone();
    let (code, _) = hunt_json(&[
        "split-brain",
        "--seeds",
        "2000",
        "--shrink",
        "--out",
        out_s,
        "--force",
    ]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
    // Nothing is overwritten without --force.
    let refused = nines(&["hunt", "split-brain", "--shrink", "--out", out_s]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
}

#[test]
fn a_threshold_the_scenario_sets_is_hunted_by_its_name() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("long-outages.toml");
    std::fs::write(
        &file,
        "extends = \"builtin:single-server\"\n\n[[invariant]]\nname = \"no long outage\"\noutage_max = \"30min\"\n",
    )
    .unwrap();
    let (code, h) = hunt_json(&[
        file.to_str().unwrap(),
        "--invariant",
        "no long outage",
        "--seeds",
        "50",
    ]);
    assert_eq!(code, 0, "{h}");
    assert_eq!(h["invariant"], "no long outage");
}

#[test]
fn hunting_refuses_what_it_cannot_do() {
    let run = nines(&["hunt", "split-brain", "--invariant", "no-split-brian"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `no-split-brain`"),
        "{}",
        run.stderr
    );
    let run = nines(&["hunt", "split-brain", "--seeds", "0"]);
    assert_eq!(run.code, 2);
    let run = nines(&["hunt", "split-brain", "--time", "fast"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--time fast"), "{}", run.stderr);
}

#[test]
fn a_replay_trace_carries_state_changes_within_its_window() {
    let tmp = tempfile::tempdir().unwrap();
    let trace = tmp.path().join("t.jsonl");
    let svg = tmp.path().join("t.svg");
    nines_ok(&[
        "replay",
        "split-brain",
        "--seed",
        "1",
        "--replication",
        "0",
        "--trace",
        trace.to_str().unwrap(),
        "--timeline",
        svg.to_str().unwrap(),
        "--from",
        "1h",
        "--to",
        "2000h",
    ]);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty());
    for l in &lines {
        let t = l["t_us"].as_u64().unwrap();
        assert!((3_600_000_000..=2000 * 3_600_000_000).contains(&t), "{l}");
    }
    assert!(
        lines.iter().any(|l| l["changes"].is_array()),
        "no line carries a state change"
    );
    let drawn = std::fs::read_to_string(&svg).unwrap();
    roxmltree::Document::parse(&drawn).expect("the timeline is XML");
    assert!(
        drawn.contains("db (as users see it)"),
        "the entry row is drawn"
    );

    let bad = nines(&[
        "replay",
        "split-brain",
        "--replication",
        "0",
        "--from",
        "5h",
        "--to",
        "1h",
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--from"), "{}", bad.stderr);
}

#[test]
fn amplified_hunting_says_so_and_replays_with_the_same_factor() {
    let (code, h) = hunt_json(&["split-brain", "--amplify", "50", "--seeds", "100"]);
    assert_eq!(code, 0, "{h}");
    assert_eq!(h["amplified"], 50.0);
    let printed = h["replay"].as_str().unwrap();
    assert!(printed.contains("--amplify 50"), "{printed}");
    let args: Vec<&str> = printed.split_whitespace().skip(1).collect();
    let again = nines(&args);
    assert_eq!(again.code, 0, "{printed}: {}", again.stderr);
    assert!(
        again.stdout.contains("INVARIANT BROKEN"),
        "{}",
        again.stdout
    );
    let text = nines(&["hunt", "split-brain", "--amplify", "50", "--seeds", "100"]);
    assert!(
        text.stdout
            .contains("what is found is possible, not typical"),
        "{}",
        text.stdout
    );
    let refused = nines(&["hunt", "split-brain", "--amplify", "0.5"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("--amplify 0.5"),
        "{}",
        refused.stderr
    );
}
