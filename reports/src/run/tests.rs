use super::*;

pub(crate) fn sample() -> RunReport {
    RunReport {
        scenario: "cluster-2of3".into(),
        origin: "builtin:cluster-2of3".into(),
        seed: 1,
        replications: 200,
        stopping: None,
        horizon_hours: 8760.0,
        warmup_hours: 0.0,
        availability: Availability {
            mean: 0.9997,
            ci95_low: 0.9996,
            ci95_high: 0.9998,
            ci99_low: 0.99955,
            ci99_high: 0.99985,
            nines: 3.52,
            zero_downtime_observed: false,
        },
        downtime_minutes_per_year: Interval {
            mean: 157.7,
            ci95_low: 105.1,
            ci95_high: 210.2,
        },
        incidents_per_year: Interval {
            mean: 0.5,
            ci95_low: 0.4,
            ci95_high: 0.6,
        },
        few_outages: None,
        mean_outage_hours: Some(5.2),
        mttr_hours: None,
        mtbf_hours: None,
        outage_lengths: vec![],
        assumed_outage_hours: None,
        downtime_minutes_per_year_spread: Spread {
            p50: 0.0,
            p90: 500.0,
            p95: 700.0,
            p99: 1200.0,
            max: 1500.0,
        },
        longest_outage_hours: 25.0,
        request_availability: None,
        degraded_minutes_per_year: None,
        attribution: None,
        components: None,
        services: None,
        requests: None,
        data: None,
        cost_per_year: None,
        events: 1234,
        trace_hash: "00000000deadbeef".into(),
        replication_hashes: vec!["0000000000000001".into()],
        replication_downtime_minutes_per_year: vec![157.7],
    }
}

#[test]
fn json_round_trips() {
    let r = sample();
    let text = serde_json::to_string(&r).unwrap();
    let back: RunReport = serde_json::from_str(&text).unwrap();
    assert_eq!(r, back);
}

#[test]
fn text_shows_interval_and_nines() {
    let t = sample().to_text();
    assert!(
        t.contains("availability  99.97000%  95% CI [99.96000%, 99.98000%]"),
        "{t}"
    );
    assert!(t.contains("nines         3.52"), "{t}");
    assert!(t.contains("trace hash    00000000deadbeef"), "{t}");
}

fn requests(fallback: bool) -> RequestsReport {
    let share = |mean: f64| Interval {
        mean,
        ci95_low: mean - 0.01,
        ci95_high: mean + 0.01,
    };
    RequestsReport {
        arrived_per_replication: 1000.0,
        served_share: share(0.88),
        fallback_share: fallback.then(|| share(0.1)),
        availability_with_fallback: fallback.then(|| share(0.98)),
        mean_response_s: share(0.1),
        latency_s: Latency {
            p50: 0.05,
            p95: 0.2,
            p99: 0.4,
            p999: 0.8,
        },
        errors: vec![ErrorShare {
            cause: "dependency down".into(),
            share: 0.02,
        }],
        attempts_per_request: share(1.0),
        utilisation: 0.5,
        breaker_openings_per_replication: 3.0,
    }
}

#[test]
fn fallbacks_are_shown_when_the_client_has_one() {
    let mut r = sample();
    r.requests = Some(requests(true));
    let t = r.to_text();
    assert!(
        t.contains(
            "fallbacks     10.00000% of requests answered degraded  95% CI [9.00000%, 11.00000%]"
        ),
        "{t}"
    );
    assert!(
        t.contains("with fallback 98.00000% of requests served or answered degraded  95% CI [97.00000%, 99.00000%]"),
        "{t}"
    );
    assert!(t.contains("errors        dependency down 2.00000%"), "{t}");
    let back: RunReport = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);

    r.requests = Some(requests(false));
    let t = r.to_text();
    assert!(!t.contains("fallback"), "{t}");
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("fallback"), "{json}");
}

#[test]
fn zero_downtime_is_a_bound_not_a_hundred_percent() {
    let mut r = sample();
    r.availability.zero_downtime_observed = true;
    let t = r.to_text();
    assert!(t.contains("availability  >= 99.96000% at 95%"), "{t}");
    assert!(!t.contains("100.00000%"), "{t}");
}
