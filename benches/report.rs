//! How long a report takes to make, measured on the built `nines` binary.
//!
//! 1. The target: the report of a 100-point sweep
//!    (`web-replicas-sweep` with `--sweep service.web.instances=2..6
//!    --sweep service.web.capacity_rps=800..2700:100`), 5 x 20 points, 10
//!    replications each), rendered from its `sweep.json` with `nines
//!    report`: the budget is 2 seconds. The reference, in the same run, is
//!    `nines merge` of the same points, which reads and writes the same
//!    results without drawing anything: the ratio is the price of the
//!    plots and pages.
//! 2. The report of one run, `nines report` of `multi-az`'s results.json
//!    (200 replications), against `nines check multi-az`: the binary's
//!    start-up and a scenario read, the floor under any command.
//!
//! Each time is the median of several whole-process runs, start-up
//! included, taken in alternation with the reference.
//!
//! Run: `cargo bench --bench report`. `NINES_BENCH_RUNS` (default 7)
//! changes the number of runs. `cargo test --benches` runs it once at a
//! tiny scale.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use support::{alternate, ms};

#[path = "support/mod.rs"]
mod support;

/// The built binary.
const NINES: &str = env!("CARGO_BIN_EXE_nines");

/// The budget the issue sets for a 100-point sweep's report.
const BUDGET: Duration = Duration::from_secs(2);

fn main() {
    // `cargo test --benches` runs this without `--bench`: a tiny run then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runs: usize = std::env::var("NINES_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 1 } else { 7 });
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path();

    let points = dir.join("points");
    let (instances, capacity) = if quick {
        (
            "service.web.instances=2..3",
            "service.web.capacity_rps=800..900:100",
        )
    } else {
        (
            "service.web.instances=2..6",
            "service.web.capacity_rps=800..2700:100",
        )
    };
    nines(&[
        "sweep",
        "web-replicas-sweep",
        "--sweep",
        instances,
        "--sweep",
        capacity,
        "--replications",
        "10",
        "--out",
        path(&points),
        "-q",
    ]);
    let n = count_points(&points.join("sweep.json"));
    println!("sweep report: {n} points, median of {runs} runs (whole processes)");
    let sweep_json = points.join("sweep.json");
    let report_dir = dir.join("sweep-report");
    let merged = dir.join("merged");
    let report = || {
        nines(&[
            "report",
            path(&sweep_json),
            "--out",
            path(&report_dir),
            "-q",
        ]);
    };
    let merge = || {
        nines(&["merge", path(&points), "--out", path(&merged), "-q"]);
    };
    let (r, m) = alternate(runs, report, merge);
    println!(
        "  nines report sweep.json   {:>8.1} ms   (budget {} ms: {})",
        ms(r),
        BUDGET.as_millis(),
        if r <= BUDGET { "met" } else { "MISSED" }
    );
    println!(
        "  nines merge (reference)   {:>8.1} ms   report / reference = {:.2}",
        ms(m),
        r.as_secs_f64() / m.as_secs_f64()
    );
    let figures = std::fs::read_dir(&report_dir)
        .expect("the report directory")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".svg"))
        })
        .count();
    let html = std::fs::metadata(report_dir.join("report.html")).map_or(0, |m| m.len());
    println!("  {figures} plots, report.html {} KiB", html / 1024);

    let run_dir = dir.join("run");
    nines(&[
        "run",
        "multi-az",
        "--replications",
        if quick { "4" } else { "200" },
        "--report",
        path(&run_dir),
        "-q",
    ]);
    let results = run_dir.join("results.json");
    let again = dir.join("again");
    // The reference: the binary's start-up and a command that reads a
    // scenario and prints, the floor under any command.
    let (r, c) = alternate(
        runs,
        || nines(&["report", path(&results), "--out", path(&again), "-q"]),
        || nines(&["check", "multi-az"]),
    );
    println!("run report (multi-az): median of {runs} runs");
    println!("  nines report results.json {:>8.1} ms", ms(r));
    println!(
        "  nines check (reference)   {:>8.1} ms   report / reference = {:.2}",
        ms(c),
        r.as_secs_f64() / c.as_secs_f64()
    );
}

/// Runs `nines` with `args`, panicking on failure.
fn nines(args: &[&str]) {
    let out = Command::new(NINES).args(args).output().expect("nines runs");
    assert!(
        out.status.success(),
        "nines {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

fn count_points(sweep_json: &Path) -> usize {
    let text = std::fs::read_to_string(sweep_json).expect("sweep.json");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    value.as_array().map_or(0, Vec::len)
}
