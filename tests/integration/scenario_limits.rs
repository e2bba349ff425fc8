//! Scenario input that once panicked or ran unbounded: a located error and
//! exit 2 instead.

use crate::support::nines;

/// Writes `text` as a scenario file and runs `nines` on it with `args`
/// before the path.
fn with_file(text: &str, args: &[&str]) -> crate::support::Run {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, text).expect("the scenario is written");
    let path = path.to_string_lossy().into_owned();
    let mut all = args.to_vec();
    all.insert(1, path.as_str());
    nines(&all)
}

#[test]
fn an_error_past_column_65535_exits_2_located() {
    let text = format!("[scenario]\nname = \"{}\" oops\n", "a".repeat(70_000));
    let run = with_file(&text, &["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.stderr.contains("scenario.toml:2:"), "{}", run.stderr);
    assert!(run.stderr.len() < 2_000, "the whole line was printed");
}

#[test]
fn zero_failure_and_zero_repair_exit_2_instead_of_running_forever() {
    let text = "[scenario]\nname = \"zz\"\n[[component]]\nname = \"n\"\ncount = 1\nfailure = \"deterministic(0s)\"\nrepair = \"deterministic(0s)\"\n[service]\nmin_up = 1\n";
    let run = with_file(
        text,
        &["run", "--replications", "2", "--horizon", "1h", "-q"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("scenario.toml:7:") && run.stderr.contains("no length"),
        "{}",
        run.stderr
    );
}
