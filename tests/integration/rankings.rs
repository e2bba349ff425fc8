//! The built-in designs rank as a user would expect, in paired runs: the
//! same seed gives every design the same fault history on what they share
//! (fault streams are keyed by fault and target names), so differences are
//! measured replication by replication.

use crate::support::{nines_json, run_text};

fn downtimes(scenario: &str, replications: &str) -> Vec<f64> {
    let v = nines_json(&[
        "run",
        scenario,
        "--seed",
        "3",
        "--replications",
        replications,
        "--json",
        "-",
    ]);
    v["replication_downtime_minutes_per_year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// The mean of `a - b` and the half-width of its 99% interval.
fn paired(a: &[f64], b: &[f64]) -> (f64, f64) {
    assert_eq!(a.len(), b.len());
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, 2.6 * (var / n).sqrt())
}

fn assert_worse(worse: &str, better: &str, replications: &str) {
    let (a, b) = (
        downtimes(worse, replications),
        downtimes(better, replications),
    );
    let (mean, half) = paired(&a, &b);
    assert!(
        mean - half > 0.0,
        "{worse} should have more downtime than {better}: paired difference {mean:.1} +- {half:.1} min/yr"
    );
}

#[test]
fn single_server_is_worse_than_n_plus_1() {
    assert_worse("single-server", "web-n-plus-1", "100");
}

#[test]
fn n_plus_1_in_one_zone_is_worse_than_multi_az() {
    assert_worse("web-n-plus-1", "multi-az", "200");
}

#[test]
fn packing_into_racks_is_worse_than_spreading_under_rack_power_loss() {
    assert_worse("rack-correlated", "rack-correlated-spread", "200");
}

#[test]
fn slow_detection_of_bad_deploys_costs_downtime() {
    let v = nines_json(&[
        "run",
        "bad-deploy",
        "--seed",
        "3",
        "--replications",
        "50",
        "--json",
        "-",
    ]);
    let a = v["attribution"].as_array().unwrap();
    assert_eq!(a[0]["class"], "bad-deploy", "bad deploys dominate: {a:?}");
}

#[test]
fn zone_outages_cost_multi_az_less_than_one_zone() {
    let zone_minutes = |scenario: &str| {
        let v = nines_json(&[
            "run",
            scenario,
            "--seed",
            "3",
            "--replications",
            "200",
            "--json",
            "-",
        ]);
        v["attribution"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["class"] == "zone-outage")
            .map(|a| a["downtime_minutes_per_year"].as_f64().unwrap())
            .sum::<f64>()
    };
    let (one_zone, three_zones) = (zone_minutes("web-n-plus-1"), zone_minutes("multi-az"));
    assert!(
        one_zone > 10.0 * three_zones.max(0.1),
        "{one_zone} vs {three_zones}"
    );
}

/// Attributed downtime sums to total downtime, and shares to one, on every
/// built-in infrastructure scenario.
#[test]
fn attribution_adds_up_to_downtime() {
    for scenario in [
        "single-server",
        "web-n-plus-1",
        "multi-az",
        "rack-correlated",
        "bad-deploy",
        "zone-partition",
    ] {
        let v = nines_json(&[
            "run",
            scenario,
            "--seed",
            "5",
            "--replications",
            "50",
            "--json",
            "-",
        ]);
        let total = v["downtime_minutes_per_year"]["mean"].as_f64().unwrap();
        let a = v["attribution"].as_array().unwrap();
        let minutes: f64 = a
            .iter()
            .map(|x| x["downtime_minutes_per_year"].as_f64().unwrap())
            .sum();
        let shares: f64 = a.iter().map(|x| x["share"].as_f64().unwrap()).sum();
        assert!(total > 0.0, "{scenario}: no downtime to attribute");
        assert!(
            (minutes - total).abs() <= 1e-9 * total,
            "{scenario}: {minutes} != {total}"
        );
        assert!(
            (shares - 1.0).abs() < 1e-9,
            "{scenario}: shares sum to {shares}"
        );
    }
}

/// The three disaster-recovery strategies rank as expected: downtime and
/// recovery time fall from backup/restore to hot standby to active-active
/// while cost rises.
#[test]
fn dr_strategies_trade_recovery_time_for_cost() {
    let v = nines_json(&[
        "run",
        "dr-strategies",
        "--replications",
        "300",
        "--json",
        "-",
    ]);
    let services = v["services"].as_array().unwrap();
    let get = |name: &str| services.iter().find(|s| s["name"] == name).unwrap();
    let (br, hs, aa) = (
        get("app-backup-restore"),
        get("app-hot-standby"),
        get("app-active-active"),
    );
    let down = |s: &serde_json::Value| s["downtime_minutes_per_year"]["mean"].as_f64().unwrap();
    let cost = |s: &serde_json::Value| s["cost_per_year"].as_f64().unwrap();
    let mttr = |s: &serde_json::Value| s["mttr_hours"].as_f64().unwrap();
    assert!(down(br) > 10.0 * down(hs), "{} vs {}", down(br), down(hs));
    assert!(
        down(hs) > 10.0 * down(aa).max(0.01),
        "{} vs {}",
        down(hs),
        down(aa)
    );
    assert!(cost(br) < cost(hs) && cost(hs) < cost(aa));
    assert!(
        mttr(br) > 1.0,
        "backup/restore recovers in hours: {}",
        mttr(br)
    );
    assert!(
        mttr(hs) < 0.5,
        "a hot standby recovers in minutes: {}",
        mttr(hs)
    );
}

/// The health-check interval is an error window: the longer it is, the
/// more requests go to dead servers, while time-based availability does
/// not move.
#[test]
fn longer_health_check_intervals_fail_more_requests() {
    let run = |interval: &str| {
        let text = include_str!("../../scenarios/library/lb-health-checks.toml")
            .replace("interval = \"30s\"", &format!("interval = \"{interval}\""));
        let v = run_text(&text, &["--replications", "100"]);
        (
            v["request_availability"]["mean"].as_f64().unwrap(),
            v["availability"]["mean"].as_f64().unwrap(),
        )
    };
    let (fast_requests, fast_time) = run("2s");
    let (slow_requests, slow_time) = run("60s");
    assert!(
        1.0 - slow_requests > 2.0 * (1.0 - fast_requests),
        "{slow_requests} vs {fast_requests}"
    );
    assert!(
        (fast_time - slow_time).abs() < 1e-5,
        "{fast_time} vs {slow_time}"
    );
}

/// Without fencing, partitions make split brains and lose writes; with
/// fencing, the same partitions (same seed) make none, and lose only what
/// the old primary wrote alone until the promotion (about 20 times less).
#[test]
fn fencing_prevents_split_brain() {
    let open = nines_json(&["run", "split-brain", "--replications", "50", "--json", "-"]);
    let text = include_str!("../../scenarios/library/split-brain.toml")
        .replace("fencing = false", "fencing = true");
    let fenced = run_text(&text, &["--replications", "50"]);
    let data = |v: &serde_json::Value, k: &str| v["data"][k]["mean"].as_f64().unwrap();
    assert!(data(&open, "split_brains_per_year") > 1.0);
    assert!(data(&open, "split_brain_minutes_per_year") > 10.0);
    assert_eq!(data(&fenced, "split_brains_per_year"), 0.0);
    assert!(
        open["data"]["lost_writes_per_year"]["mean"]
            .as_f64()
            .unwrap()
            > 10.0
                * fenced["data"]["lost_writes_per_year"]["mean"]
                    .as_f64()
                    .unwrap(),
        "split brain loses the old primary's writes"
    );
    // The failovers happen either way.
    assert!(
        fenced["data"]["failovers_per_year"]["mean"]
            .as_f64()
            .unwrap()
            > 1.0
    );
}

/// The load balancer is itself a component: a single one is a single point
/// of failure, an active-passive pair costs a VIP move per failure, and
/// DNS-based balancing keeps sending some clients to a dead endpoint for
/// the TTL (requests fail while the service is up).
#[test]
fn a_balancer_pair_beats_a_single_balancer_and_dns_leaks_requests() {
    let template = std::fs::read_to_string(crate::support::fixture("lb-template.toml")).unwrap();
    let run = |lb: &str| run_text(&template.replace("LB_SERVICE", lb), &[]);
    let lb = "[[service]]\nname = \"lb\"\nmin_healthy = 1\nhard_dependencies = [\"web\"]\n";
    let single = run(&format!("{lb}instances = 1\n"));
    let pair = run(&format!(
        "{lb}instances = 2\nfailover = {{ duration = \"lognormal(median = 10s, p95 = 1m)\" }}\n"
    ));
    let dns = run(&format!(
        "{lb}instances = 2\nhealth_check = {{ interval = \"5m\", unhealthy_threshold = 1, healthy_threshold = 1 }}\n"
    ));
    let down = |v: &serde_json::Value| v["downtime_minutes_per_year"]["mean"].as_f64().unwrap();
    assert!(
        down(&single) > 50.0 * down(&pair).max(0.1),
        "{} vs {}",
        down(&single),
        down(&pair)
    );
    let requests = dns["request_availability"]["mean"].as_f64().unwrap();
    let time = dns["availability"]["mean"].as_f64().unwrap();
    assert!(
        requests < time,
        "DNS caching fails requests while the service is up"
    );
}

/// Under a daily curve, the same host crashes that a flat load of the same
/// average shrugs off are outages at the evening peak; two more servers
/// ride out the peak and most spikes, which are charged for their downtime.
#[test]
fn daily_peaks_need_capacity_for_the_peak() {
    let base = include_str!("../../scenarios/library/daily-peak.toml");
    let run = |text: &str| run_text(text, &["--replications", "60"]);
    let downtime = |v: &serde_json::Value| v["downtime_minutes_per_year"]["mean"].as_f64().unwrap();
    let charged = |v: &serde_json::Value, cause: &str| {
        v["attribution"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["cause"] == cause)
            .map_or(0.0, |a| a["downtime_minutes_per_year"].as_f64().unwrap())
    };
    let peaky = run(base);
    // Flat at the average: six of ten servers carry it.
    let mut flat = base.to_string();
    for f in ["0.4", "1.3", "1.6", "0.8"] {
        flat = flat.replace(&format!("factor = {f}"), "factor = 1.0");
    }
    let flat = run(&flat);
    assert!(
        charged(&peaky, "host-crash") > 20.0 && charged(&flat, "host-crash") < 2.0,
        "host crashes: {} min/yr with peaks, {} flat",
        charged(&peaky, "host-crash"),
        charged(&flat, "host-crash")
    );
    // At the average load a doubling always overflows; at night it fits.
    assert!(charged(&flat, "traffic-spike") > charged(&peaky, "traffic-spike"));
    assert!(charged(&peaky, "traffic-spike") > 0.2 * downtime(&peaky));
    let bigger = run(&base.replace("instances = 10", "instances = 12"));
    assert!(
        downtime(&bigger) < 0.7 * downtime(&peaky),
        "12 servers {} vs 10 {}",
        downtime(&bigger),
        downtime(&peaky)
    );
    assert!(charged(&bigger, "host-crash") < 0.2 * charged(&peaky, "host-crash"));
}

/// Tight heartbeat timeouts on a lossy link suspect healthy primaries:
/// needless failovers, each with its downtime and lost writes. A longer
/// timeout all but removes them.
#[test]
fn tight_heartbeat_timeouts_fail_over_needlessly() {
    let base = include_str!("../../scenarios/library/flaky-heartbeats.toml");
    let run = |text: &str| run_text(text, &["--replications", "40"]);
    let tight = run(base);
    let relaxed = run(&base.replace("timeout = \"3s\"", "timeout = \"15s\""));
    let data = |v: &serde_json::Value, k: &str| v["data"][k]["mean"].as_f64().unwrap();
    let downtime = |v: &serde_json::Value| v["downtime_minutes_per_year"]["mean"].as_f64().unwrap();
    assert!(data(&tight, "needless_failovers_per_year") > 20.0);
    assert!(data(&tight, "failbacks_per_year") > 20.0);
    assert!(data(&relaxed, "needless_failovers_per_year") < 0.1);
    assert!(downtime(&tight) > 5.0 * downtime(&relaxed));
    // Without fencing: no downtime from the suspicions themselves (only
    // from the failbacks, 30 s each), but split brains that lose writes.
    let open = run(&base.replace("heartbeat = {", "fencing = false, heartbeat = {"));
    assert!(data(&open, "split_brains_per_year") > 20.0);
    let failback_minutes = 0.5 * data(&open, "failbacks_per_year");
    assert!(
        (downtime(&open) - failback_minutes).abs() < 0.1 * failback_minutes,
        "{} min/yr, failbacks {failback_minutes}",
        downtime(&open)
    );
    assert!(
        open["data"]["lost_writes_per_year"]["mean"]
            .as_f64()
            .unwrap()
            > tight["data"]["lost_writes_per_year"]["mean"]
                .as_f64()
                .unwrap()
    );
}
