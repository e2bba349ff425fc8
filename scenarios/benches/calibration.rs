//! The calibration harness, whole: coverage of 95% intervals over 1000
//! independent seeds per row, for three cases with exact answers, at 20,
//! 50 and 200 replications, for what nines reports and Student-t over
//! replications; then `--method batch-means` over one run as
//! long as those replications together, with the mean error of its
//! estimate; then `--precision` runs at 10% and 5%, with their coverage,
//! mean error and replications (see `tests/support/calibration.rs`). About
//! eight minutes on 2 cores.
//!
//! Run: `cargo bench -p scenarios --bench calibration`. Environment:
//! `NINES_CALIBRATION_SEEDS` (default 1000) changes the seeds per row.
//! `cargo test --benches` runs it at a tiny scale.

#[path = "../tests/support/calibration.rs"]
#[allow(dead_code)] // the test uses what the bench does not
mod calibration;

use calibration::{CASES, Method, calibrate, calibrate_batch_means, calibrate_precision, cell};

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let seeds: u64 = if quick {
        4
    } else {
        std::env::var("NINES_CALIBRATION_SEEDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000)
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "calibration: coverage of 95% intervals over {seeds} seeds per row, 1 year per replication \
         (± is 1.96 binomial standard errors; opt: the interval promised better than the truth)"
    );
    for case in &CASES {
        println!("{} ({})", case.id, case.title);
        for replications in [20, 50, 200] {
            let rows = calibrate(case, replications, 1..1 + seeds, threads);
            for (row, method) in rows.iter().zip(Method::ALL) {
                println!(
                    "  {:>3} replications  {:<11}  availability {}  downtime {}  incidents {}",
                    replications,
                    method.name(),
                    cell(&row.availability),
                    cell(&row.downtime),
                    row.incidents.as_ref().map_or("-".to_string(), cell),
                );
            }
            let (batch, bias) = calibrate_batch_means(case, replications, 1..1 + seeds, threads);
            println!(
                "  {:>3} years         batch-means  downtime {}  mean error of the estimate {:+.1}% ±{:.1}",
                replications,
                cell(&batch),
                100.0 * bias.mean(),
                196.0 * bias.std_error()
            );
        }
    }
    println!(
        "precision: runs that add replications (100, then doubling) until downtime's interval lies within the target; \
         coverage at the stop, the estimate's mean error (± 1.96 standard errors) and the replications taken"
    );
    for (case, target) in [(0, 0.10), (1, 0.10), (1, 0.05), (2, 0.10)] {
        let case = &CASES[case];
        let s = calibrate_precision(case, target, 1..1 + seeds, threads);
        println!(
            "  {} --precision {:.0}%  downtime {}  mean error {:+.2}% ±{:.2}  replications {:.0} (mean)  reached {}/{}",
            case.id,
            100.0 * target,
            cell(&s.coverage),
            100.0 * s.error.mean(),
            196.0 * s.error.std_error(),
            s.replications.mean(),
            s.reached,
            s.coverage.runs
        );
    }
}
