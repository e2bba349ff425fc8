//! Bad input: a clear, located, one-paragraph error and exit code 2 —
//! never a panic, never a silent default.

use crate::support::{fixture, nines};

fn check(name: &str) -> String {
    let path = format!("tests/data/{name}");
    let run = nines(&["run", &path]);
    assert_eq!(run.code, 2, "{name}: exit {} with {}", run.code, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
    assert!(
        !run.stderr.contains("RUST_BACKTRACE"),
        "{name}: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&path),
        "{name}: error does not name the file: {}",
        run.stderr
    );
    assert!(
        run.stdout.is_empty(),
        "{name}: printed results: {}",
        run.stdout
    );
    run.stderr
}

#[test]
fn error_messages() {
    for name in [
        "typo.toml",
        "typo-key.toml",
        "garbage.toml",
        "negative-duration.toml",
        "k-greater-than-n.toml",
        "bad-distribution.toml",
        "bad-enum.toml",
        "wrong-type.toml",
        "missing-service.toml",
        "many-mistakes.toml",
        "ten-mistakes.toml",
    ] {
        let stderr = check(name);
        insta::assert_snapshot!(format!("error-{name}"), stderr);
    }
}

#[test]
fn errors_name_line_and_key() {
    let e = check("typo-key.toml");
    assert!(
        e.contains("typo-key.toml:7:1: key `simulation.replicaz`"),
        "{e}"
    );
    let e = check("k-greater-than-n.toml");
    assert!(e.contains(":17:10: key `service.min_up`"), "{e}");
    let e = check("negative-duration.toml");
    assert!(
        e.contains(":6:11: key `simulation.horizon`: negative duration"),
        "{e}"
    );
    let e = check("bad-distribution.toml");
    assert!(e.contains(":13:11: key `component.failure`"), "{e}");
    assert!(e.contains(":14:10: key `component.repair`"), "{e}");
}

#[test]
fn all_mistakes_are_reported_at_once() {
    let e = check("many-mistakes.toml");
    assert!(e.matches("many-mistakes.toml:").count() >= 4, "{e}");
}

/// Ten different mistakes in a system file, each located, in one go.
#[test]
fn ten_mistakes_give_ten_located_errors() {
    let e = check("ten-mistakes.toml");
    assert_eq!(e.matches("ten-mistakes.toml:").count(), 10, "{e}");
    assert_eq!(e.matches("did you mean").count(), 4, "{e}");
}

#[test]
fn a_valid_fixture_runs() {
    let run = nines(&["run", &fixture("base.toml")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
