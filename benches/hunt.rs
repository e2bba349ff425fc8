//! Hunting and shrinking speed, measured on the built `nines` binary with
//! the built-in `split-brain` scenario.
//!
//! 1. The hunting rate: `nines hunt split-brain` with fencing on (so
//!    nothing is found and every replication runs its whole year), N
//!    replications, against the reference in the same run: `nines run` of
//!    the same N replications, which simulates them without checking any
//!    invariant. The ratio is the price of the checks (and of hunting in
//!    batches).
//! 2. Hunting without fencing: the time to the first split brain.
//! 3. Shrinking it: `--shrink`, the checks it made and its own time.
//!
//! Each time is the median of several whole-process runs, start-up
//! included, taken in alternation with the reference.
//!
//! Run: `cargo bench --bench hunt`. `NINES_BENCH_RUNS` (default 5) and
//! `NINES_BENCH_SEEDS` (default 20000) change the runs and the
//! replications. `cargo test --benches` runs it once at a tiny scale.

use std::process::Command;

use support::{alternate, ms};

#[path = "support/mod.rs"]
mod support;

/// The built binary.
const NINES: &str = env!("CARGO_BIN_EXE_nines");

fn main() {
    // `cargo test --benches` runs this without `--bench`: a tiny run then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let env = |name: &str, default: u64, tiny: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(if quick { tiny } else { default })
    };
    let runs = env("NINES_BENCH_RUNS", 5, 1) as usize;
    let seeds = env("NINES_BENCH_SEEDS", 20_000, 200).to_string();
    let fenced = "service.db.failover.fencing=true";

    let mut hunt_json = serde_json::Value::Null;
    let (hunt, run) = alternate(
        runs,
        || {
            hunt_json = nines(&[
                "hunt",
                "split-brain",
                "--set",
                fenced,
                "--seeds",
                &seeds,
                "--json",
                "-",
            ]);
        },
        || {
            nines(&[
                "run",
                "split-brain",
                "--set",
                fenced,
                "--replications",
                &seeds,
                "--json",
                "-",
            ]);
        },
    );
    assert_eq!(hunt_json["found"], false, "fencing on: nothing to find");
    let n: f64 = seeds.parse().expect("a number");
    println!("hunting split-brain with fencing: {seeds} replications, median of {runs} runs");
    println!(
        "  nines hunt               {:>8.1} ms  {:>9.0} replications a second",
        ms(hunt),
        n / hunt.as_secs_f64()
    );
    println!(
        "  nines run (reference)    {:>8.1} ms  {:>9.0} replications a second   hunt / run = {:.2}",
        ms(run),
        n / run.as_secs_f64(),
        hunt.as_secs_f64() / run.as_secs_f64()
    );

    let mut found = serde_json::Value::Null;
    let (to_find, _) = alternate(
        runs,
        || found = nines(&["hunt", "split-brain", "--seeds", "2000", "--json", "-"]),
        || {},
    );
    println!(
        "hunting split-brain without fencing: found {} in replication {} ({} tried) in {:.1} ms",
        found["invariant"].as_str().unwrap_or("nothing"),
        found["replication"],
        found["seeds_tried"],
        ms(to_find)
    );

    let tmp = tempfile::tempdir().expect("a temporary directory");
    let out = tmp.path().join("min.toml");
    let out = out.to_str().expect("a UTF-8 path");
    let mut shrunk = serde_json::Value::Null;
    let (whole, _) = alternate(
        runs,
        || {
            shrunk = nines(&[
                "hunt",
                "split-brain",
                "--shrink",
                "--out",
                out,
                "--force",
                "--json",
                "-",
            ])
        },
        || {},
    );
    let s = &shrunk["shrunk"];
    println!(
        "shrinking it: {} activation(s) to {} scheduled fault(s), {} checks, {:.1} ms shrinking ({:.1} ms the whole command)",
        s["faults_before"],
        s["faults_after"],
        s["checks"],
        s["seconds"].as_f64().unwrap_or(f64::NAN) * 1000.0,
        ms(whole)
    );
}

/// Runs `nines` with `args` and returns its standard output as JSON (or
/// null); exit codes 0 and 1 (found, none found) are both fine.
fn nines(args: &[&str]) -> serde_json::Value {
    let out = Command::new(NINES).args(args).output().expect("nines runs");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "nines {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}
