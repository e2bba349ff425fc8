//! The calibration harness's fast subset: fixed seeds, and coverage that
//! must stay inside its binomial band around the nominal 95%.
//!
//! The whole harness (1000 seeds per row, every case at 20, 50 and 200
//! replications) is `cargo bench -p scenarios --bench calibration`.

#[allow(dead_code)] // the bench uses what the test does not
mod support {
    pub(crate) mod calibration;
}

use support::calibration::{
    CASES, Coverage, calibrate, calibrate_batch_means, calibrate_precision,
};

/// Seeds per row: the band is three binomial standard errors (±3.3
/// points at 400 seeds).
const SEEDS: u64 = 400;

fn check(c: &Coverage, what: &str) {
    let band = 3.0 * c.nominal_std_error();
    assert!(
        (c.share() - 0.95).abs() <= band,
        "{what}: coverage {:.1}% outside 95% ± {:.1} ({} optimistic, {} pessimistic misses of {})",
        100.0 * c.share(),
        100.0 * band,
        c.optimistic,
        c.pessimistic,
        c.runs
    );
}

#[test]
fn intervals_cover_at_the_replication_counts_users_run() {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // (case, replications): every case at the counts where few outages
    // make intervals hardest, and the active-standby pair at 200.
    for (case, replications) in [(0, 20), (0, 50), (1, 20), (1, 50), (2, 20), (2, 200)] {
        let case = &CASES[case];
        let [nines, student] = calibrate(case, replications, 1..1 + SEEDS, threads);
        let what = |m: &str| format!("{} at {replications} replications, {m}", case.id);
        check(&nines.availability, &what("availability"));
        check(&nines.downtime, &what("downtime"));
        if let Some(i) = &nines.incidents {
            check(i, &what("incidents"));
        }
        if case.id == "V04a" && replications == 20 {
            // The harness can tell: Student-t under-covers here.
            assert!(
                student.downtime.share() < 0.90,
                "{}: Student-t covered {:.1}%",
                what("downtime"),
                100.0 * student.downtime.share()
            );
            assert!(student.downtime.optimistic > student.downtime.pessimistic);
        }
    }
}

#[test]
fn batch_means_cover_and_are_unbiased() {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // (case, years of the one long run).
    for (case, years) in [(0, 50), (1, 20), (2, 50)] {
        let case = &CASES[case];
        let (coverage, error) = calibrate_batch_means(case, years, 1..1 + SEEDS, threads);
        let what = format!("{} batch means over {years} years", case.id);
        check(&coverage, &format!("{what}, downtime"));
        // Its mean within three standard errors of the exact value.
        assert!(
            error.mean().abs() <= 3.0 * error.std_error(),
            "{what}: mean error {:+.2}% ± {:.2}",
            100.0 * error.mean(),
            100.0 * error.std_error()
        );
    }
}

#[test]
fn precision_stops_without_measurable_bias() {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // 2-of-3 to 10%, as the README's example: about 3200 replications a
    // seed.
    let s = calibrate_precision(&CASES[1], 0.10, 1..101, threads);
    assert_eq!(s.reached, 100);
    check(&s.coverage, "V05 --precision 10%, downtime");
    assert!(
        s.error.mean().abs() <= 3.0 * s.error.std_error(),
        "mean error {:+.2}% ± {:.2}",
        100.0 * s.error.mean(),
        100.0 * s.error.std_error()
    );
}
