//! Ctrl-C: a long run stops starting replications, prints what finished and
//! exits 130; the finished prefix gives exactly the results of a run of that
//! many replications.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::nines_json;

#[test]
fn ctrl_c_prints_the_finished_replications_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("partial.json");
    let json_arg = json.to_string_lossy().into_owned();
    let mut child = Command::new(env!("CARGO_BIN_EXE_nines"))
        .args([
            "run",
            "multi-az",
            "--replications",
            "100000",
            "--horizon",
            "100y",
            "--threads",
            "2",
            "--json",
            &json_arg,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nines starts");
    std::thread::sleep(Duration::from_millis(1500));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nines did not stop within 120 s of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (mut stdout, mut stderr) = (String::new(), String::new());
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.starts_with("interrupted: "), "{stdout}");
    assert!(
        stdout.contains(" of 100000 replications finished"),
        "{stdout}"
    );
    assert!(stdout.contains("availability  "), "{stdout}");
    assert!(stderr.contains("interrupted: "), "{stderr}");

    let partial: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let k = partial["replications"].as_u64().unwrap();
    assert!((2..100_000).contains(&k), "{k}");
    assert!(
        stdout.contains(&format!("interrupted: {k} of 100000 replications finished")),
        "{stdout}"
    );
    // The prefix is a run of k replications, bit for bit.
    let whole = nines_json(&[
        "run",
        "multi-az",
        "--replications",
        &k.to_string(),
        "--horizon",
        "100y",
        "--json",
        "-",
    ]);
    assert_eq!(partial, whole);
}
