//! Detection has a price: heartbeat timeouts delay the detection of a
//! real failure, health checks fail healthy instances now and then, and
//! checking takes capacity. Each against a hand-computed value.

use sim_core::dist::Dist;
use sim_core::engine::Simulation;
use sim_core::stats::{CONFIDENCE_99, Estimate, Welford};
use sim_core::time::{SimDuration, SimTime};

use super::{exp_h, fault, pool};
use crate::system::model::SystemModel;
use crate::system::spec::*;

/// An active-passive pair, heartbeats every `interval_s` seconds with a
/// `timeout_s` timeout, a deterministic 20 s promotion and a 10 s
/// failback; only the primary's host fails (mean 100 h, repaired in
/// `repair`), so every failure costs exactly the detection, the
/// promotion and the failback.
fn watched_pair(interval_s: u64, timeout_s: u64, repair: Dist) -> SystemSpec {
    let mut spec = pool(2, 1);
    spec.services[0].failover = Some(FailoverSpec {
        duration: Dist::deterministic(SimDuration::from_secs(20)),
        coverage: 1.0,
        manual: Dist::deterministic(SimDuration::from_secs(20)),
        standby_cost_per_hour: None,
        fencing: true,
        failback: Some(Dist::deterministic(SimDuration::from_secs(10))),
        heartbeat: Some(HeartbeatSpec {
            interval: SimDuration::from_secs(interval_s),
            timeout: SimDuration::from_secs(timeout_s),
        }),
        majority: None,
    });
    spec.faults.push(fault(
        "crash",
        FaultClass::HostCrash,
        Effect::Down(vec![Element::Host(0)]),
        exp_h(100.0),
        repair,
    ));
    spec
}

/// Downtime per failure of the primary, in seconds, over `reps` years:
/// (the estimate, failures seen).
fn downtime_per_failure(spec: &SystemSpec, reps: u64) -> (f64, u64) {
    spec.validate().unwrap();
    let end = SimTime::from_duration(SimDuration::from_years(1));
    let (mut down_h, mut failures) = (0.0, 0u64);
    for r in 0..reps {
        let mut sim = Simulation::new(SystemModel::new(spec, 11, r, SimTime::ZERO));
        sim.run_until(end);
        let m = sim.model();
        down_h += m.measures().downtime_hours();
        failures += m.system_measures().occurrences[0];
    }
    (down_h * 3600.0 / failures as f64, failures)
}

/// The last heartbeat came a uniform phase before the failure, and the
/// standby suspects m = timeout / interval intervals after it: a delay
/// uniform on ((m - 1) I, m I], mean (m - 1/2) I, before the promotion.
/// With I = 10 s, m = 3 and a 20 s promotion and 10 s failback: 55 s a
/// failure, within four standard errors (the delay's sd is I / sqrt(12)).
#[test]
fn a_heartbeat_timeout_delays_the_detection_of_a_real_failure() {
    // Repairs (an hour) outlast every detection and promotion.
    let repair = Dist::deterministic(SimDuration::from_hours(1));
    let (per, n) = downtime_per_failure(&watched_pair(10, 30, repair.clone()), 200);
    let exact = 2.5 * 10.0 + 20.0 + 10.0;
    let se = 10.0 / 12f64.sqrt() / (n as f64).sqrt();
    assert!(n > 10_000, "{n} failures");
    assert!(
        (per - exact).abs() < 4.0 * se,
        "{per} s a failure vs {exact} (se {se})"
    );
    // A longer timeout on a clean link only delays: m = 12, 115 s more.
    let (slow, n) = downtime_per_failure(&watched_pair(10, 120, repair), 200);
    let exact = 11.5 * 10.0 + 20.0 + 10.0;
    let se = 10.0 / 12f64.sqrt() / (n as f64).sqrt();
    assert!(
        (slow - exact).abs() < 4.0 * se,
        "{slow} s a failure vs {exact} (se {se})"
    );
    assert!(slow > per + 80.0);
}

/// A failure shorter than the heartbeat timeout is never noticed: the
/// primary comes back before the standby suspects it and goes on serving,
/// with no failover.
#[test]
fn a_blip_shorter_than_the_timeout_is_ridden_out() {
    let blip = Dist::deterministic(SimDuration::from_secs(5));
    let spec = watched_pair(10, 30, blip);
    let end = SimTime::from_duration(SimDuration::from_years(1));
    let mut sim = Simulation::new(SystemModel::new(&spec, 11, 0, SimTime::ZERO));
    sim.run_until(end);
    let m = sim.model();
    assert!(m.system_measures().occurrences[0] > 40);
    assert_eq!(m.failovers(), 0);
    // Down for the blip only: 5 s a failure.
    let per = m.measures().downtime_hours() * 3600.0 / m.system_measures().occurrences[0] as f64;
    assert!((per - 5.0).abs() < 1e-3, "{per} s a blip");
}

/// `n` instances behind checks every 10 s that fail a healthy instance
/// with probability 5%, two failures in a row taking it out and three
/// passes in a row putting it back; up while one serves; no faults.
fn flapping_pool(n: usize) -> SystemSpec {
    let mut spec = pool(n, 1);
    let mut check = HealthCheckSpec::new(SimDuration::from_secs(10), 2, 3);
    check.false_failure = 0.05;
    spec.services[0].health_check = Some(check);
    spec
}

/// The long-run share of time a healthy instance is out of rotation, by
/// renewal theory: mean time in, the wait for a run of u = 2 failures at
/// q = 5%, (1 - q^2) / ((1 - q) q^2) = 420 checks; mean time out, the wait
/// for a run of h = 3 passes at s = 95%, (1 - s^3) / ((1 - s) s^3) =
/// 3.327 checks; out a share 3.327 / 423.327 of the time.
fn out_share() -> f64 {
    let q: f64 = 0.05;
    let s = 1.0 - q;
    let time_in = (1.0 - q * q) / ((1.0 - q) * q * q);
    let time_out = (1.0 - s.powi(3)) / ((1.0 - s) * s.powi(3));
    time_out / (time_in + time_out)
}

/// Per replication (a year each): the unavailability, the degraded share
/// and the false removals.
fn flapping(spec: &SystemSpec, reps: u64) -> (Estimate, Estimate, u64) {
    spec.validate().unwrap();
    let end = SimTime::from_duration(SimDuration::from_years(1));
    let (mut down, mut degraded, mut removals) = (Welford::new(), Welford::new(), 0);
    for r in 0..reps {
        let mut sim = Simulation::new(SystemModel::new(spec, 5, r, SimTime::ZERO));
        sim.run_until(end);
        let m = sim.model();
        let hours = m.measures().observed_hours();
        down.push(1.0 - m.measures().availability());
        degraded.push(m.system_measures().degraded_hours / hours);
        removals += m.false_removals();
    }
    (
        Estimate::from_welford(&down, CONFIDENCE_99).unwrap(),
        Estimate::from_welford(&degraded, CONFIDENCE_99).unwrap(),
        removals,
    )
}

#[test]
fn false_failures_take_a_healthy_instance_out_its_renewal_share() {
    let p = out_share();
    assert!((p - 0.00786).abs() < 1e-4, "{p}");
    // One instance: down whenever it is out.
    let (down, degraded, removals) = flapping(&flapping_pool(1), 30);
    super::assert_contains(&down, p, "one instance out of rotation");
    assert_eq!(degraded.mean, 0.0, "nothing serves: down, not degraded");
    // About 7,450 false removals a year (one cycle every 4233 s).
    assert!((210_000..240_000).contains(&removals), "{removals}");
    // Two instances, independent: down while both are out, degraded while
    // one is.
    let (down, degraded, _) = flapping(&flapping_pool(2), 30);
    super::assert_contains(&down, p * p, "both out");
    super::assert_contains(&degraded, 2.0 * p * (1.0 - p), "one out");
}

#[test]
fn without_false_failures_checks_never_remove_a_healthy_instance() {
    let mut spec = flapping_pool(2);
    spec.services[0]
        .health_check
        .as_mut()
        .unwrap()
        .false_failure = 0.0;
    let (down, degraded, removals) = flapping(&spec, 3);
    assert_eq!((down.mean, degraded.mean, removals), (0.0, 0.0, 0));
}

/// Four instances of 100 rps offered 397 rps. Five checkers each costing
/// two requests every 10 s take 1 rps from each instance: 396 rps left,
/// below the load, so the pool is down by time and serves 396 / 397 of
/// the requests. Free checks leave it up and serving everything.
#[test]
fn checks_take_their_load_from_each_instances_capacity() {
    let mut spec = pool(4, 1);
    spec.services[0].up_rule = UpRule::Capacity {
        per_instance_rps: 100.0,
        load_rps: 397.0,
    };
    let mut check = HealthCheckSpec::new(SimDuration::from_secs(10), 3, 2);
    check.checkers = 5;
    check.check_cost = 2.0;
    assert!((check.check_load_rps() - 1.0).abs() < 1e-12);
    let served = |check: HealthCheckSpec| {
        let mut spec = spec.clone();
        spec.services[0].health_check = Some(check);
        spec.validate().unwrap();
        let end = SimTime::from_duration(SimDuration::from_hours(720));
        let mut sim = Simulation::new(SystemModel::new(&spec, 1, 0, SimTime::ZERO));
        sim.run_until(end);
        let m = sim.model();
        (
            m.system_measures().served_hours / m.measures().observed_hours(),
            m.measures().availability(),
        )
    };
    let (share, up) = served(check);
    assert!((share - 396.0 / 397.0).abs() < 1e-9, "{share}");
    assert_eq!(up, 0.0);
    let (share, up) = served(HealthCheckSpec::new(SimDuration::from_secs(10), 3, 2));
    assert_eq!((share, up), (1.0, 1.0));
    // Checks that would take all the capacity are refused.
    let mut greedy = check;
    greedy.check_cost = 200.0;
    spec.services[0].health_check = Some(greedy);
    assert!(matches!(
        spec.validate(),
        Err(SystemError::BadHealthCheck { .. })
    ));
}
