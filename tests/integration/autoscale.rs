//! `autoscale-vs-static`: the autoscaled pool costs less and is down more
//! than the static N+1 pool, both with separated intervals.

use crate::support::nines_json;

#[test]
fn autoscaling_trades_instance_hours_for_downtime() {
    let v = nines_json(&[
        "sweep",
        "autoscale-vs-static",
        "--replications",
        "30",
        "--seed",
        "5",
        "--json",
        "-",
    ]);
    let points = v.as_array().expect("a list of points");
    let point = |name: &str| {
        points
            .iter()
            .find(|p| p["variant"] == name)
            .unwrap_or_else(|| panic!("no point {name}: {v}"))
    };
    let (fixed, scaled) = (point("static"), point("autoscaled"));
    let f = |p: &serde_json::Value, path: &[&str]| {
        path.iter()
            .fold(&p["summary"], |x, k| &x[*k])
            .as_f64()
            .unwrap_or_else(|| panic!("no {path:?} in {p}"))
    };
    let cost = ["cost_per_year", "total"];
    assert!(
        f(scaled, &[cost[0], cost[1], "ci95_high"]) < f(fixed, &[cost[0], cost[1], "ci95_low"]),
        "autoscaling should cost less: {scaled} against {fixed}"
    );
    let down = "downtime_minutes_per_year";
    assert!(
        f(scaled, &[down, "ci95_low"]) > f(fixed, &[down, "ci95_high"]),
        "autoscaling should be down more: {scaled} against {fixed}"
    );
    // What ran: fewer instances than the 20 placed, on average.
    let running = scaled["summary"]["services"][0]["scaling"]["instances_running"]["mean"]
        .as_f64()
        .expect("the autoscaling figures");
    assert!(running > 2.0 && running < 20.0, "{running}");
}
