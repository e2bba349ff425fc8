//! Running the `nines` binary from tests.

use std::path::Path;
use std::process::{Command, Output};

/// The result of one `nines` invocation.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `nines` with `args` from the project root.
pub(crate) fn nines(args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_nines"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the nines binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// Runs `nines`, which must succeed; panics with its error output
/// otherwise.
pub(crate) fn nines_ok(args: &[&str]) -> Run {
    let run = nines(args);
    assert_eq!(run.code, 0, "nines {args:?} failed: {}", run.stderr);
    run
}

/// Runs `nines` and parses its standard output as JSON; panics with the
/// error output otherwise.
pub(crate) fn nines_json(args: &[&str]) -> serde_json::Value {
    let run = nines(args);
    assert_eq!(run.code, 0, "nines {args:?} failed: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {}", run.stdout))
}

/// The path of a fixture in `tests/data/`.
pub(crate) fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Writes `text` as a scenario file in a fresh temporary directory and
/// runs it with `args` after the path, returning the `--json` results.
pub(crate) fn run_text(text: &str, args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, text).expect("the scenario is written");
    let path = path.to_string_lossy().into_owned();
    let mut all = vec!["run", path.as_str()];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", "-"]);
    nines_json(&all)
}
