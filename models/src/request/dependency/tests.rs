//! Tests of the dependency and of fallback answers against exact answers
//! (fixed seeds, 99% intervals over replications) and against the same
//! pool without them (common random numbers make some identities exact).
//!
//! The pool is the V11a server (M/M/1, λ = 8/s, μ = 10/s) with a 500 ms
//! deadline: `P(T ≤ 0.5 s) = 1 − e^{−(μ − λ)·0.5} = 1 − e^{−1}` of the
//! requests are served in time. Its dependency fails after Exp(9 min) and
//! is repaired in Exp(1 min): down a share `1 / (9 + 1) = 0.1` of the
//! time. Without retries, the dependency changes only how a completed
//! attempt is counted, never when the server is free, so the queue is the
//! same with or without it; and by Burke's theorem the M/M/1's departures
//! are Poisson, so they see the dependency down a share 0.1 of the time.

use std::sync::OnceLock;

use sim_core::dist::Dist;
use sim_core::engine::Model;
use sim_core::stats::{CONFIDENCE_99, Estimate};
use sim_core::time::{SimDuration, SimTime};

use crate::replicate::Horizon;
use crate::request::validation::{SEED, v11a_server};
use crate::request::*;

/// The share of requests the M/M/1 serves within its 500 ms deadline.
fn served_in_time() -> f64 {
    1.0 - (-1.0f64).exp()
}

/// The dependency's unavailability, `repair / (failure + repair)`.
const DOWN: f64 = 0.1;

const REPLICATIONS: u64 = 24;

/// A day measured after ten minutes (the dependency's up/down chain mixes
/// at rate 1/9 + 1/1 per minute, the queue in seconds).
fn horizon() -> Horizon {
    Horizon::new(
        SimDuration::from_secs(86_400 + 600),
        SimDuration::from_secs(600),
    )
}

fn exp_min(mean_min: u64) -> Dist {
    Dist::exponential_mean(SimDuration::from_mins(mean_min)).unwrap()
}

/// The M/M/1 with a 500 ms deadline and, if `soft` is given, a
/// dependency `db` (soft or hard) down 10% of the time; a soft one comes
/// with the client's fallback.
fn pool(dependency: Option<bool>) -> RequestSpec {
    let mut spec = v11a_server();
    spec.client.deadline = Some(SimDuration::from_millis(500));
    if let Some(soft) = dependency {
        spec.dependency = Some(DependencySpec {
            name: "db".into(),
            failure: exp_min(9),
            repair: exp_min(1),
            soft,
        });
        spec.client.fallback = soft;
    }
    spec
}

/// Replications of [`pool`], run once and shared by the tests.
fn runs(dependency: Option<bool>) -> &'static [RequestRun] {
    static NONE: OnceLock<Vec<RequestRun>> = OnceLock::new();
    static HARD: OnceLock<Vec<RequestRun>> = OnceLock::new();
    static SOFT: OnceLock<Vec<RequestRun>> = OnceLock::new();
    let cell = match dependency {
        None => &NONE,
        Some(false) => &HARD,
        Some(true) => &SOFT,
    };
    cell.get_or_init(|| replicate(&pool(dependency), SEED, REPLICATIONS, horizon(), 0).unwrap())
}

fn est(runs: &[RequestRun], f: impl Fn(&RequestMeasures) -> f64) -> Estimate {
    estimate(runs, f, CONFIDENCE_99).unwrap()
}

/// Prints the estimate and asserts that `exact` lies in its 99% interval.
fn check(label: &str, e: &Estimate, exact: f64) {
    println!(
        "{label}: {:.6} ± {:.6} (99%, n = {}), exact {exact:.6}",
        e.mean, e.half_width, e.n
    );
    assert!(
        e.ci_low <= exact && exact <= e.ci_high,
        "{label}: {exact} outside [{}, {}]",
        e.ci_low,
        e.ci_high
    );
}

fn share(m: &RequestMeasures, cause: FailureCause) -> f64 {
    m.failed(cause) as f64 / m.arrived() as f64
}

/// (a) A hard dependency down 10% of the time fails 10% of the requests
/// (`dependency down`) and scales the request availability by 0.9.
#[test]
fn a_hard_dependency_fails_the_requests_that_complete_while_it_is_down() {
    let none = runs(None);
    let hard = runs(Some(false));
    let base = est(none, RequestMeasures::availability);
    check("no dependency: availability", &base, served_in_time());
    check(
        "hard dependency: its unavailability (time)",
        &est(hard, RequestMeasures::dependency_unavailability),
        DOWN,
    );
    check(
        "hard dependency: dependency-down share of requests",
        &est(hard, |m| share(m, FailureCause::DependencyDown)),
        DOWN,
    );
    check(
        "hard dependency: availability",
        &est(hard, RequestMeasures::availability),
        (1.0 - DOWN) * served_in_time(),
    );
    // Paired by replication (common random numbers): the availability
    // ratio to the pool without a dependency, and the requests' view of
    // the outages against the time the dependency was down (Burke: the
    // departures are Poisson, so they see time averages).
    let paired = |f: &dyn Fn(&RequestMeasures, &RequestMeasures) -> f64| {
        let mut w = sim_core::stats::Welford::new();
        for (h, n) in hard.iter().zip(none) {
            w.push(f(&h.measures, &n.measures));
        }
        Estimate::from_welford(&w, CONFIDENCE_99).unwrap()
    };
    check(
        "hard dependency: availability / availability without it",
        &paired(&|h, n| h.availability() / n.availability()),
        1.0 - DOWN,
    );
    check(
        "hard dependency: dependency-down share − unavailability",
        &paired(&|h, _| share(h, FailureCause::DependencyDown) - h.dependency_unavailability()),
        0.0,
    );
    for (h, n) in hard.iter().zip(none) {
        let (h, n) = (&h.measures, &n.measures);
        // The same requests, served at the same times: every completion
        // is counted once, served, late or failed by the dependency.
        assert_eq!(h.arrived(), n.arrived());
        assert_eq!(
            h.served() + h.failed(FailureCause::Deadline) + h.failed(FailureCause::DependencyDown),
            n.served() + n.failed(FailureCause::Deadline)
        );
        assert_eq!(n.failed(FailureCause::DependencyDown), 0);
        assert_eq!(n.dependency_unavailability(), 0.0);
        assert_eq!(h.fallback(), 0);
    }
}

/// (b) A soft dependency with a fallback: the requests it would fail get
/// a degraded answer, so availability including fallbacks is that of the
/// pool without a dependency, and the fallbacks are 10% of the answers.
#[test]
fn a_soft_dependency_with_a_fallback_answers_degraded() {
    let none = runs(None);
    let soft = runs(Some(true));
    for (s, n) in soft.iter().zip(none) {
        let (s, n) = (&s.measures, &n.measures);
        assert_eq!(s.failed(FailureCause::DependencyDown), 0);
        assert_eq!(
            s.failed(FailureCause::Deadline),
            n.failed(FailureCause::Deadline)
        );
        assert_eq!(s.served() + s.fallback(), n.served());
        assert_eq!(s.availability_with_fallback(), n.availability());
        assert!(s.availability() < n.availability());
    }
    check(
        "soft dependency: availability including fallbacks",
        &est(soft, RequestMeasures::availability_with_fallback),
        served_in_time(),
    );
    check(
        "soft dependency: availability (full answers)",
        &est(soft, RequestMeasures::availability),
        (1.0 - DOWN) * served_in_time(),
    );
    check(
        "soft dependency: fallback share of answers",
        &est(soft, |m| {
            m.fallback() as f64 / (m.served() + m.fallback()) as f64
        }),
        DOWN,
    );
    check(
        "soft dependency: fallback share of requests",
        &est(soft, RequestMeasures::fallback_share),
        DOWN * served_in_time(),
    );
}

/// The spike of the retry-storm test: four instances (capacity 40/s) at
/// 28/s, 80/s from 100 s to 110 s; 1 s timeouts, four attempts, and a
/// breaker that opens after 20 failures in a row for 5 s.
fn storm(fallback: bool) -> RequestSpec {
    let mut spec = validation::exponential_pool(28.0, 10.0, 4, Dispatch::LeastConnections);
    let step = |s: u64, rate_per_s: f64| RatePoint {
        offset: SimDuration::from_secs(s),
        rate_per_s,
    };
    spec.arrivals = Arrivals::Periodic {
        period: SimDuration::from_secs(100_000),
        points: vec![step(0, 28.0), step(100, 80.0), step(110, 28.0)],
    };
    spec.client = ClientPolicy {
        deadline: None,
        timeout: Some(SimDuration::from_secs(1)),
        retry: Some(RetryPolicy {
            max_attempts: 4,
            backoff_base: SimDuration::from_millis(10),
            backoff_max: SimDuration::from_millis(100),
            jitter: 1.0,
            budget: None,
        }),
        breaker: Some(BreakerPolicy {
            failure_threshold: 20,
            open_for: SimDuration::from_secs(5),
            half_open_probes: 5,
        }),
        fallback,
    };
    spec
}

/// (c) With a fallback, every request the open breaker rejects gets a
/// degraded answer instead of a `circuit open` error; nothing else
/// changes, down to the trace.
#[test]
fn an_open_breaker_with_a_fallback_answers_degraded() {
    let h = Horizon::new(SimDuration::from_secs(200), SimDuration::from_secs(90));
    let errors = replicate(&storm(false), SEED, 4, h, 0).unwrap();
    let degraded = replicate(&storm(true), SEED, 4, h, 0).unwrap();
    for (e, d) in errors.iter().zip(&degraded) {
        assert_eq!(e.trace_hash, d.trace_hash);
        assert_eq!(e.events, d.events);
        let (e, d) = (&e.measures, &d.measures);
        let rejected = e.failed(FailureCause::CircuitOpen);
        println!(
            "breaker: {} requests, {rejected} rejected ({:.4}); with a fallback: {} fallbacks, \
             availability {:.4}, including fallbacks {:.4}",
            e.arrived(),
            rejected as f64 / e.arrived() as f64,
            d.fallback(),
            d.availability(),
            d.availability_with_fallback()
        );
        assert!(rejected > 100, "the spike should open the breaker");
        assert_eq!(e.fallback(), 0);
        assert_eq!(d.failed(FailureCause::CircuitOpen), 0);
        assert_eq!(d.fallback(), rejected);
        assert_eq!(d.served(), e.served());
        assert_eq!(d.failed_total(), e.failed_total() - rejected);
        assert_eq!(d.unfinished(), e.unfinished());
        assert_eq!(
            d.availability_with_fallback(),
            (e.served() + rejected) as f64 / e.arrived() as f64
        );
        assert_eq!(d.fallback_share(), rejected as f64 / e.arrived() as f64);
    }
}

/// A breaker in front of a hard dependency, with a fallback: after a few
/// failures the breaker opens, and the rest of each outage is answered
/// degraded (its probes still fail, one per 5 s).
#[test]
fn a_breaker_turns_a_hard_dependencys_outages_into_fallbacks() {
    let mut spec = pool(Some(false));
    spec.client.fallback = true;
    spec.client.breaker = Some(BreakerPolicy {
        failure_threshold: 5,
        open_for: SimDuration::from_secs(5),
        half_open_probes: 1,
    });
    let runs = replicate(&spec, SEED, REPLICATIONS, horizon(), 0).unwrap();
    let failed = est(&runs, |m| share(m, FailureCause::DependencyDown));
    let fallback = est(&runs, RequestMeasures::fallback_share);
    println!(
        "breaker and fallback: dependency down {:.5} ± {:.5}, fallback {:.5} ± {:.5}",
        failed.mean, failed.half_width, fallback.mean, fallback.half_width
    );
    // Per outage (a minute, 480 requests): about 5 failures to open, the
    // few already queued, and one failed probe per 5 s: some 20, a
    // twentieth of the outage's requests. The rest are fallbacks, plus
    // those rejected in the up to 5 s the breaker stays open after.
    assert!(failed.ci_high < DOWN / 10.0, "{failed:?}");
    assert!(fallback.ci_low > 0.8 * DOWN, "{fallback:?}");
    assert!(fallback.ci_high < 1.3 * DOWN, "{fallback:?}");
}

#[test]
fn dependency_specs_are_checked_and_traced() {
    assert!(pool(Some(true)).validate().is_ok());
    // A soft dependency needs the fallback.
    let mut s = pool(Some(true));
    s.client.fallback = false;
    assert_eq!(
        s.validate(),
        Err(RequestSpecError::SoftWithoutFallback("db".into()))
    );
    // Its streams are keyed by its name: no other entity may have it.
    for name in ["clients", "instance-0"] {
        let mut s = pool(Some(false));
        s.dependency.as_mut().unwrap().name = name.into();
        assert_eq!(
            s.validate(),
            Err(RequestSpecError::DuplicateInstance(name.into()))
        );
    }
    let mut s = pool(Some(false));
    s.dependency.as_mut().unwrap().repair = Dist::deterministic(SimDuration::ZERO);
    assert_eq!(
        s.validate(),
        Err(RequestSpecError::BadDependency("db".into()))
    );
    assert_eq!(FailureCause::DependencyDown.name(), "dependency down");
    assert_eq!(
        *FailureCause::ALL.last().unwrap(),
        FailureCause::DependencyDown
    );

    // The trace names it; a fallback without a breaker or a soft
    // dependency changes nothing.
    let spec = pool(Some(false));
    let model = RequestModel::new(&spec, SEED, 0, SimTime::from_micros(0)).unwrap();
    assert_eq!(model.entity_name(u32::MAX), "db");
    let h = Horizon::new(SimDuration::from_secs(600), SimDuration::from_secs(60));
    let plain = simulate(&pool(None), SEED, 0, h, None).unwrap();
    let mut fallback = pool(None);
    fallback.client.fallback = true;
    assert_eq!(simulate(&fallback, SEED, 0, h, None).unwrap(), plain);
}
