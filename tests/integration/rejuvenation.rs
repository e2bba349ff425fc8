//! The built-in `rejuvenation-sweep`: restarts of an aging host after 1 to
//! 90 days of uptime give the least downtime in between, near the optimum
//! renewal theory gives for age replacement.

use crate::support::nines_json;

/// The sweep's restart intervals, in days, in the order of its points.
const DAYS: [f64; 7] = [1.0, 3.0, 7.0, 10.0, 14.0, 30.0, 90.0];

/// Exact downtime in minutes a year of a host with a Weibull(3, 30 d)
/// life, a failure costing 30 minutes and a planned restart 2, restarted
/// after `t_h` hours of uptime: 1 − E[min(X, T)] / (E[min(X, T)] +
/// F(T) × 0.5 h + (1 − F(T)) × 2 min), E[min(X, T)] by Simpson's rule.
fn exact_minutes_per_year(t_h: f64) -> f64 {
    let survival = |t: f64| (-(t / 720.0_f64).powi(3)).exp();
    let n = 20_000;
    let h = t_h / n as f64;
    let up = h / 3.0
        * (0..=n)
            .map(|i| {
                let w = match i {
                    0 => 1.0,
                    i if i == n => 1.0,
                    i if i % 2 == 1 => 4.0,
                    _ => 2.0,
                };
                w * survival(i as f64 * h)
            })
            .sum::<f64>();
    let f = 1.0 - survival(t_h);
    let down = f * 0.5 + (1.0 - f) * 2.0 / 60.0;
    down / (up + down) * 525_600.0
}

#[test]
fn rejuvenation_sweep_has_an_interior_optimum() {
    let v = nines_json(&[
        "sweep",
        "rejuvenation-sweep",
        "--replications",
        "40",
        "--seed",
        "5",
        "--json",
        "-",
    ]);
    let points = v.as_array().expect("a list of points");
    assert_eq!(points.len(), DAYS.len());
    let downtime: Vec<(f64, f64, f64)> = points
        .iter()
        .map(|p| {
            let d = &p["summary"]["downtime_minutes_per_year"];
            let x = |k: &str| d[k].as_f64().unwrap_or_else(|| panic!("{k} in {d}"));
            (x("ci95_low"), x("mean"), x("ci95_high"))
        })
        .collect();
    let best = (0..downtime.len())
        .min_by(|&a, &b| downtime[a].1.total_cmp(&downtime[b].1))
        .unwrap();
    let (first, last) = (downtime[0], downtime[downtime.len() - 1]);
    assert!(
        (2..=4).contains(&best),
        "the least downtime is at {} days: {downtime:?}",
        DAYS[best]
    );
    assert!(
        downtime[best].2 < first.0 && downtime[best].2 < last.0,
        "the best interval does not stand clear of both ends: {downtime:?}"
    );
    // The exact optimum is about 9.9 days, 111 minutes a year.
    let exact: Vec<f64> = DAYS
        .iter()
        .map(|d| exact_minutes_per_year(d * 24.0))
        .collect();
    assert!((exact[3] - 111.1).abs() < 0.5, "{exact:?}");
    // Where a failure can happen in the year (not with the near-periodic
    // daily and three-daily restarts, whose count in a year's window
    // depends on the phase), each point is within four standard errors.
    for i in 3..DAYS.len() {
        let (low, mean, high) = downtime[i];
        let se = (high - low) / 2.0 / 2.023;
        assert!(
            (mean - exact[i]).abs() < 4.0 * se,
            "{} days: {mean} ± {se} min/yr, exact {}",
            DAYS[i],
            exact[i]
        );
    }
}
