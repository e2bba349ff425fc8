//! Restarts that renew: age replacement against renewal theory, calendar
//! restarts that reset the age of aging faults, and the uptime clock that
//! a repaired failure restarts.

use sim_core::dist::Dist;
use sim_core::engine::Simulation;
use sim_core::time::{SimDuration, SimTime};

use super::super::model::SystemModel;
use super::super::spec::*;
use super::{fault, pool, run};

const SHAPE: f64 = 3.0;
const SCALE_H: f64 = 1000.0;
const FAILED_H: f64 = 10.0;
const PLANNED_H: f64 = 1.0;

fn det_h(h: f64) -> Dist {
    Dist::deterministic(SimDuration::from_hours_f64(h))
}

/// One host whose aging fault has a Weibull(3, 1000 h) life and a 10 h
/// restart; with `uptime`, a maintenance fault restarts it for 1 h once it
/// has run that long, renewing the aging fault.
fn aging_host(uptime: Option<f64>) -> SystemSpec {
    let mut spec = pool(1, 1);
    spec.faults.push(fault(
        "aging",
        FaultClass::Aging,
        Effect::Down(vec![Element::Host(0)]),
        Dist::weibull_scale(SHAPE, SimDuration::from_hours_f64(SCALE_H)).unwrap(),
        det_h(FAILED_H),
    ));
    if let Some(t) = uptime {
        let mut m = fault(
            "rejuvenation",
            FaultClass::Maintenance,
            Effect::Down(vec![Element::Host(0)]),
            det_h(1.0),
            det_h(PLANNED_H),
        );
        m.occurrence = Occurrence::AfterUptime {
            uptime: SimDuration::from_hours_f64(t),
        };
        m.resets = vec![0];
        spec.faults.push(m);
    }
    spec
}

/// The Weibull life's survival function.
fn survival(t: f64) -> f64 {
    (-(t / SCALE_H).powf(SHAPE)).exp()
}

/// E[min(X, T)] = ∫₀ᵀ (1 − F(t)) dt, by Simpson's rule.
fn mean_min_life(t: f64) -> f64 {
    let n = 20_000;
    let h = t / n as f64;
    let sum: f64 = (0..=n)
        .map(|i| {
            let w = if i == 0 || i == n {
                1.0
            } else if i % 2 == 1 {
                4.0
            } else {
                2.0
            };
            w * survival(i as f64 * h)
        })
        .sum();
    sum * h / 3.0
}

/// Renewal theory for age replacement: each cycle is up for min(X, T),
/// then down for a failed restart (probability F(T)) or a planned one.
fn age_replacement_availability(t: f64) -> f64 {
    let up = mean_min_life(t);
    let f = 1.0 - survival(t);
    up / (up + f * FAILED_H + (1.0 - f) * PLANNED_H)
}

/// The simulated availability is within four standard errors of `exact`.
fn assert_near(spec: &SystemSpec, exact: f64, what: &str) {
    let r = run(spec, 400, 20);
    let e = r.availability;
    let se = e.std_dev / (e.n as f64).sqrt();
    assert!(
        (e.mean - exact).abs() <= 4.0 * se,
        "{what}: simulated {} ± {se} (one standard error), exact {exact}",
        e.mean
    );
    assert!(r.attribution_gap_h < 1e-6);
}

#[test]
fn simpson_rule_gives_the_weibull_mean() {
    // Far past the scale, E[min(X, T)] is E[X] = λ Γ(1 + 1/k).
    let mean = SCALE_H * 0.892_979_511_569_249_2;
    assert!((mean_min_life(6.0 * SCALE_H) - mean).abs() < 1e-6 * mean);
}

#[test]
fn age_replacement_matches_renewal_theory() {
    // T = 400 h is near the optimum (about 380 h); 200 h restarts too
    // often, 1000 h too rarely.
    for t in [200.0, 400.0, 1000.0] {
        let exact = age_replacement_availability(t);
        assert_near(&aging_host(Some(t)), exact, &format!("T = {t} h"));
    }
    assert!(age_replacement_availability(400.0) > age_replacement_availability(200.0));
    assert!(age_replacement_availability(400.0) > age_replacement_availability(1000.0));
}

#[test]
fn without_maintenance_aging_is_an_alternating_renewal() {
    let mean = SCALE_H * 0.892_979_511_569_249_2;
    assert_near(&aging_host(None), mean / (mean + FAILED_H), "T = ∞");
}

/// One aging host with a 1 h calendar restart every 200 h that renews the
/// aging fault or not.
fn calendar(resets: bool) -> SystemSpec {
    let mut spec = aging_host(None);
    let mut m = fault(
        "weekly",
        FaultClass::Maintenance,
        Effect::Down(vec![Element::Host(0)]),
        det_h(1.0),
        det_h(PLANNED_H),
    );
    m.occurrence = Occurrence::Scheduled {
        first: SimTime::from_duration(SimDuration::from_hours(200)),
        period: Some(SimDuration::from_hours(200)),
        stagger: SimDuration::ZERO,
    };
    if resets {
        m.resets = vec![0];
    }
    spec.faults.push(m);
    spec
}

#[test]
fn calendar_restart_resets_the_age_of_aging() {
    let kept = run(&calendar(false), 200, 20);
    let renewed = run(&calendar(true), 200, 20);
    let (kept_h, renewed_h) = (kept.attributed_h[0], renewed.attributed_h[0]);
    // Restarted every 200 h, a host fails from aging in a block with
    // probability about F(199 h) = 0.0079: 0.079 h of aging downtime per
    // 200 h, against 10 h per mean life of 903 h without the renewal.
    let per_rep_h = 20.0 * 8760.0 - 2000.0;
    let blocks = per_rep_h / 200.0;
    let expected_h = 200.0 * blocks * (1.0 - survival(199.0)) * FAILED_H;
    assert!(
        (renewed_h - expected_h).abs() < 0.15 * expected_h,
        "aging downtime with renewing restarts: {renewed_h} h, expected about {expected_h} h"
    );
    assert!(
        renewed_h < 0.1 * kept_h,
        "aging downtime: {renewed_h} h renewed, {kept_h} h kept"
    );
    // The restarts themselves cost the same either way.
    let planned = |r: &super::Run| r.attributed_h[1];
    assert!((planned(&kept) - planned(&renewed)).abs() < 0.02 * planned(&kept));
}

#[test]
fn a_repaired_failure_restarts_the_uptime_clock() {
    // A crash at 50 h, repaired in 10 h: the host has run 100 h at 160 h,
    // not at 100 h.
    let mut spec = pool(1, 1);
    let mut crash = fault(
        "crash",
        FaultClass::HostCrash,
        Effect::Down(vec![Element::Host(0)]),
        det_h(1.0),
        det_h(10.0),
    );
    crash.occurrence = Occurrence::Scheduled {
        first: SimTime::from_duration(SimDuration::from_hours(50)),
        period: None,
        stagger: SimDuration::ZERO,
    };
    spec.faults.push(crash);
    let mut m = fault(
        "rejuvenation",
        FaultClass::Maintenance,
        Effect::Down(vec![Element::Host(0)]),
        det_h(1.0),
        det_h(PLANNED_H),
    );
    m.occurrence = Occurrence::AfterUptime {
        uptime: SimDuration::from_hours(100),
    };
    spec.faults.push(m);
    spec.validate().unwrap();
    let mut sim = Simulation::new(SystemModel::new(&spec, 1, 0, SimTime::ZERO));
    let at = |h: u64| SimTime::from_duration(SimDuration::from_hours(h));
    sim.advance(at(159));
    assert_eq!(sim.model().system_measures().occurrences, vec![1, 0]);
    sim.advance(at(161));
    assert_eq!(sim.model().system_measures().occurrences, vec![1, 1]);
    // Then every 101 h: 100 h up, 1 h down.
    sim.advance(at(160 + 101 * 3 - 1));
    assert_eq!(sim.model().system_measures().occurrences, vec![1, 3]);
    sim.advance(at(160 + 101 * 3 + 1));
    assert_eq!(sim.model().system_measures().occurrences, vec![1, 4]);
}

#[test]
fn renewals_are_checked() {
    let bad = |spec: &SystemSpec| {
        matches!(
            spec.validate(),
            Err(SystemError::BadRenewal { .. } | SystemError::BadIndex { .. })
        )
    };
    let mut spec = aging_host(Some(100.0));
    spec.faults[1].resets = vec![1];
    assert!(bad(&spec), "a fault renewing itself");
    spec.faults[1].resets = vec![7];
    assert!(bad(&spec), "a fault index out of range");
    let mut spec = aging_host(Some(100.0));
    spec.faults[1].effect = Effect::Down(vec![Element::Zone(0)]);
    assert!(bad(&spec), "restarting a zone after uptime");
    let mut spec = aging_host(Some(100.0));
    spec.faults[0].occurrence = Occurrence::Scheduled {
        first: SimTime::ZERO,
        period: None,
        stagger: SimDuration::ZERO,
    };
    assert!(bad(&spec), "renewing a scheduled fault");
    let mut spec = aging_host(Some(100.0));
    spec.faults[1].occurrence = Occurrence::AfterUptime {
        uptime: SimDuration::ZERO,
    };
    assert!(bad(&spec), "no uptime");
    assert_eq!(aging_host(Some(100.0)).validate(), Ok(()));
}
