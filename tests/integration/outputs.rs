//! Files nines writes never destroy what is at the path: a FIFO or a
//! device is written into and stays what it was, a symbolic link is
//! refused (its target untouched), a regular file is replaced atomically.

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;
use std::process::Command;

use crate::support::nines;

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A symbolic link `link` to a file holding `keep`.
fn link_to_victim(dir: &Path, link: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let victim = dir.join("victim");
    std::fs::write(&victim, "keep").unwrap();
    let link = dir.join(link);
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    (victim, link)
}

fn assert_refused_link(run: &crate::support::Run, victim: &Path, link: &Path) {
    assert_eq!(run.code, 3, "expected exit 3 (environment): {}", run.stderr);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(victim).unwrap(), "keep");
    assert!(std::fs::symlink_metadata(link).unwrap().is_symlink());
}

/// `nines run cluster-2of3` of 20 replications with `--json path`.
fn json_run(path: &str) -> crate::support::Run {
    nines(&[
        "run",
        "cluster-2of3",
        "--replications",
        "20",
        "--json",
        path,
        "-q",
    ])
}

#[test]
fn json_onto_a_fifo_is_written_into_and_the_fifo_stays() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo failed");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let run = json_run(arg(&fifo));
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Checked before joining: a replaced FIFO would leave the reader waiting.
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced by {kind:?}");
    let text = reader.join().unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["replications"], 20);
}

#[test]
fn json_onto_dev_stdout_goes_to_standard_output() {
    // `/dev/stdout` is a link to the process's standard output (a pipe
    // here): written into through the link, never refused or replaced.
    let run = json_run("/dev/stdout");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("\"replications\": 20"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_onto_a_device_node_is_written_into_and_the_node_stays() {
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("null");
    // The null device's numbers: 1, 3. Making a node needs privilege.
    let made = Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "3"])
        .output()
        .unwrap();
    if !made.status.success() {
        println!(
            "note: mknod is not permitted here ({}); the device-node case is skipped",
            String::from_utf8_lossy(&made.stderr).trim()
        );
        return;
    }
    let before = std::fs::symlink_metadata(&node).unwrap();
    let run = nines(&[
        "run",
        "cluster-2of3",
        "--replications",
        "5",
        "--json",
        arg(&node),
        "-q",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = std::fs::symlink_metadata(&node).unwrap();
    assert!(after.file_type().is_char_device(), "the node was replaced");
    assert_eq!(before.ino(), after.ino());
    assert_eq!(before.rdev(), after.rdev());
}

#[test]
fn json_onto_a_symlink_is_refused_and_the_target_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (victim, link) = link_to_victim(dir.path(), "link.json");
    let run = nines(&[
        "run",
        "cluster-2of3",
        "--replications",
        "5",
        "--json",
        arg(&link),
    ]);
    assert_refused_link(&run, &victim, &link);
}

#[test]
fn trace_onto_a_symlink_is_refused_and_the_target_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (victim, link) = link_to_victim(dir.path(), "link.jsonl");
    let run = nines(&[
        "run",
        "cluster-2of3",
        "--replications",
        "2",
        "--trace",
        arg(&link),
        "-q",
    ]);
    assert_refused_link(&run, &victim, &link);
    let run = nines(&[
        "replay",
        "cluster-2of3",
        "--replication",
        "0",
        "--trace",
        arg(&link),
    ]);
    assert_refused_link(&run, &victim, &link);
}

#[test]
fn a_trace_replaces_the_file_atomically() {
    // A rename gives the path a new file; writing in place would change
    // the old one, which a hard link still shows.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rep.jsonl");
    std::fs::write(&path, "old").unwrap();
    let other = dir.path().join("hard-link");
    std::fs::hard_link(&path, &other).unwrap();
    for command in ["run", "replay"] {
        let mut args = vec![command, "cluster-2of3", "--trace", arg(&path)];
        if command == "run" {
            args.extend(["--replications", "2", "-q"]);
        } else {
            args.extend(["--replication", "0"]);
        }
        let run = nines(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "old");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.lines().count() > 0 && text.starts_with('{'), "{text}");
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.ends_with(".nines-tmp")),
        "temporary files left: {names:?}"
    );
}

#[test]
fn an_unwritable_output_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-dir").join("out.json");
    let run = nines(&[
        "run",
        "cluster-2of3",
        "--replications",
        "2",
        "--json",
        arg(&path),
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("out.json: cannot"), "{}", run.stderr);
    let run = nines(&[
        "run",
        "cluster-2of3",
        "--replications",
        "2",
        "--json",
        arg(dir.path()),
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("is a directory"), "{}", run.stderr);
}
