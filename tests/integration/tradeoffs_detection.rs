//! Detection has a price, so its knobs have interior optima: the built-in
//! sweeps of the heartbeat timeout and the health-check interval each have
//! their best point inside the range, its 95% interval clear of both ends.

use crate::support::nines_json;

/// Replications per point: enough to separate the best point from both
/// ends (the built-ins' headers quote 100).
const REPLICATIONS: &str = "100";

/// Per point of `sweep` (run at seed 5): (label, mean, 95% low, 95% high)
/// of the measure `pick` reads from the point's summary.
fn points(
    sweep: &str,
    pick: fn(&serde_json::Value) -> (f64, f64, f64),
) -> Vec<(String, f64, f64, f64)> {
    let json = nines_json(&[
        "sweep",
        sweep,
        "--replications",
        REPLICATIONS,
        "--seed",
        "5",
        "--json",
        "-",
        "-q",
    ]);
    json.as_array()
        .expect("a list of points")
        .iter()
        .map(|p| {
            let (mean, low, high) = pick(&p["summary"]);
            (
                p["label"].as_str().expect("a label").to_string(),
                mean,
                low,
                high,
            )
        })
        .collect()
}

/// The best (lowest) point is neither end, and its interval lies below
/// both ends' intervals. Returns its label.
fn assert_interior_optimum(points: &[(String, f64, f64, f64)]) -> String {
    assert!(points.len() >= 5, "{points:?}");
    let best = (0..points.len())
        .min_by(|&a, &b| points[a].1.total_cmp(&points[b].1))
        .unwrap();
    assert!(
        best > 0 && best + 1 < points.len(),
        "best at an end: {points:?}"
    );
    let (first, last) = (&points[0], &points[points.len() - 1]);
    assert!(
        points[best].3 < first.2 && points[best].3 < last.2,
        "the best point's interval overlaps an end's: {points:?}"
    );
    points[best].0.clone()
}

#[test]
fn the_heartbeat_timeout_has_an_interior_optimum() {
    let pts = points("heartbeat-timeout-sweep", |s| {
        let d = &s["downtime_minutes_per_year"];
        (
            d["mean"].as_f64().unwrap(),
            d["ci95_low"].as_f64().unwrap(),
            d["ci95_high"].as_f64().unwrap(),
        )
    });
    let best = assert_interior_optimum(&pts);
    assert_eq!(best, "timeout=10s", "{pts:?}");
    // Short timeouts pay in needless failovers, long ones in slow
    // detection: 1 s is a storm, 5 min half an hour more than the best.
    assert!(pts[0].1 > 50.0 * pts[3].1, "{pts:?}");
    assert!(pts[7].1 > pts[3].1 + 20.0, "{pts:?}");
}

#[test]
fn the_health_check_interval_has_an_interior_optimum() {
    // The share of requests not served, and its interval.
    let pts = points("health-check-sweep", |s| {
        let r = &s["request_availability"];
        (
            1.0 - r["mean"].as_f64().unwrap(),
            1.0 - r["ci95_high"].as_f64().unwrap(),
            1.0 - r["ci95_low"].as_f64().unwrap(),
        )
    });
    let best = assert_interior_optimum(&pts);
    assert_eq!(best, "interval=5s", "{pts:?}");
}
