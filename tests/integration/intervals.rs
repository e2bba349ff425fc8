//! Honest figures at the edges: outages that take no time, and shares
//! printed with the digits they need.

use crate::support::{nines_ok, run_text};

/// A node that fails about every 100 h and is back at once.
const ZERO_REPAIR: &str = r#"
[scenario]
name = "zero-repair"
[[component]]
name = "n"
count = 1
failure = "exponential(mean = 100h)"
repair = "deterministic(0s)"
[service]
min_up = 1
"#;

#[test]
fn instantaneous_outages_are_incidents() {
    let r = run_text(
        ZERO_REPAIR,
        &["--replications", "20", "--seed", "1", "--horizon", "1y"],
    );
    // 8760 h / 100 h = 87.6 outages a year, each of zero length.
    let i = &r["incidents_per_year"];
    let (mean, lo, hi) = (
        i["mean"].as_f64().unwrap(),
        i["ci95_low"].as_f64().unwrap(),
        i["ci95_high"].as_f64().unwrap(),
    );
    assert!(lo <= 87.6 && 87.6 <= hi + 4.0, "{i}");
    assert!((mean - 87.6).abs() < 8.0, "{i}");
    assert!(
        lo > 0.0 && lo < mean && mean < hi,
        "an interval, not a bound: {i}"
    );
    // No time down: availability stays a one-sided bound below 1.
    let a = &r["availability"];
    assert_eq!(a["zero_downtime_observed"], true, "{a}");
    assert!(a["ci95_low"].as_f64().unwrap() < 1.0, "{a}");
    assert!(
        r["downtime_minutes_per_year"]["ci95_high"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

#[test]
fn instantaneous_outages_are_said_so_and_no_bound_prints_as_100_percent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.toml");
    std::fs::write(&path, ZERO_REPAIR).unwrap();
    let path = path.to_str().unwrap();
    let run = nines_ok(&[
        "run",
        path,
        "--replications",
        "20",
        "--seed",
        "1",
        "--horizon",
        "1y",
    ]);
    let text = &run.stdout;
    assert!(text.contains("instantaneous outages"), "{text}");
    assert!(!text.contains("none observed)"), "{text}");
    assert!(!text.contains("100.00000%"), "{text}");
    assert!(text.contains(">= 99.99999999"), "{text}");
}

/// Case A of the rare-event validation set: 2-of-3, MTTF 1e5 h, repair 1 h.
const RARE_A: &str = r#"
[scenario]
name = "rare-a"
[[component]]
name = "n"
count = 3
failure = "exponential(mean = 100000h)"
repair = "exponential(mean = 1h)"
[service]
min_up = 2
"#;

#[test]
fn rare_events_are_estimated_within_their_interval_with_far_less_work() {
    let r = run_text(
        RARE_A,
        &["--rare-event", "bfb", "--precision", "10%", "--seed", "1"],
    );
    assert_eq!(r["method"], "rare-event");
    let a = &r["availability"];
    let u = 1.0 - a["mean"].as_f64().unwrap();
    let half = (a["ci95_high"].as_f64().unwrap() - a["ci95_low"].as_f64().unwrap()) / 2.0;
    let exact = 2.9999200015e-10;
    assert!(
        (u - exact).abs() <= 3.29 * half / 1.96,
        "{u} against {exact} ± {half}"
    );
    assert!(half / u <= 0.10 + 1e-9, "half-width {half} of {u}");
    let d = &r["rare_event"];
    let lr = &d["mean_lr"];
    assert!(lr["ci95_low"].as_f64().unwrap() <= 1.0 && 1.0 <= lr["ci95_high"].as_f64().unwrap());
    assert!(d["hits"].as_u64().unwrap() >= 30 && d["ess"].as_f64().unwrap() > 0.0);
    assert!(d["speedup"].as_f64().unwrap() >= 1000.0, "{d}");
    // The same seed gives the same bytes, whatever the thread count.
    let mut again = run_text(
        RARE_A,
        &[
            "--rare-event",
            "bfb",
            "--precision",
            "10%",
            "--seed",
            "1",
            "-j",
            "1",
        ],
    );
    again["origin"] = r["origin"].clone();
    assert_eq!(r, again);
}

#[test]
fn rare_events_refuse_what_they_cannot_estimate_without_bias() {
    let dir = tempfile::tempdir().unwrap();
    let weibull = dir.path().join("weibull.toml");
    std::fs::write(
        &weibull,
        RARE_A.replace(
            "exponential(mean = 100000h)",
            "weibull(shape = 2, scale = 100000h)",
        ),
    )
    .unwrap();
    let run = crate::support::nines(&["run", weibull.to_str().unwrap(), "--rare-event", "bfb"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // Located at the line and key that set the law (line 7: the text
    // starts with an empty line).
    assert!(
        run.stderr
            .contains("weibull.toml:7:1: key `component.failure`")
            && run.stderr.contains("n-1"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let infra = crate::support::nines(&["run", "multi-az", "--rare-event", "bfb"]);
    assert_eq!(infra.code, 2, "{}", infra.stderr);
    assert!(infra.stderr.contains("k-of-n"), "{}", infra.stderr);
    let a = dir.path().join("a.toml");
    std::fs::write(&a, RARE_A).unwrap();
    let bias = crate::support::nines(&[
        "run",
        a.to_str().unwrap(),
        "--rare-event",
        "bfb",
        "--bias",
        "1.5",
    ]);
    assert_eq!(bias.code, 2, "{}", bias.stderr);
    assert!(bias.stderr.contains("--bias 1.5"), "{}", bias.stderr);
}
