//! Unit tests of the rare-event estimator.

use sim_core::dist::Dist;
use sim_core::time::{SimDuration, SimTime};

use super::sim::Sim;
use super::spec::Prepared;
use super::*;
use crate::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};

fn exp_h(hours: f64) -> Dist {
    Dist::exponential_mean(SimDuration::from_hours_f64(hours)).unwrap()
}

fn kofn(n: usize, min_up: u32, crews: Crews, fail_h: f64, repair_h: f64) -> KofNSpec {
    KofNSpec {
        name: "svc".into(),
        components: (0..n)
            .map(|i| ComponentSpec {
                name: format!("node-{i}"),
                failure: exp_h(fail_h),
                repair: exp_h(repair_h),
            })
            .collect(),
        min_up,
        crews,
        while_down: WhileDown::KeepRunning,
    }
}

/// Case A: 2-of-3, MTTF 1e5 h, MTTR 1 h, dedicated crews.
fn case_a() -> RareSpec {
    RareSpec::from_kofn(&kofn(3, 2, Crews::Dedicated, 1e5, 1.0)).unwrap()
}

fn small(seed: u64, bias: f64) -> RareOptions {
    RareOptions {
        seed,
        bias: Bias::Fixed(bias),
        biased_per_batch: 500,
        plain_per_batch: 100,
        max_batches: 4,
        ..RareOptions::default()
    }
}

#[test]
fn the_mean_likelihood_ratio_is_one() {
    let r = estimate_steady_state(&case_a(), &RareOptions::default()).unwrap();
    let lr = r.diagnostics.mean_likelihood_ratio;
    assert!(lr.low <= 1.0 && 1.0 <= lr.high, "{lr:?}");
    let t = estimate_transient(
        &case_a(),
        SimDuration::from_hours(8760),
        &RareOptions::default(),
    )
    .unwrap();
    let lr = t.diagnostics.mean_likelihood_ratio;
    assert!(lr.low <= 1.0 && 1.0 <= lr.high, "{lr:?}");
}

#[test]
fn a_bias_of_zero_is_plain_monte_carlo() {
    // A system where plain Monte Carlo sees failures.
    let spec = RareSpec::from_kofn(&kofn(3, 2, Crews::Shared(1), 100.0, 10.0)).unwrap();
    let model = Prepared::new(&spec, true).unwrap();
    let mut sim = Sim::new(&model, 3, 0, "biased", 0.0, u64::MAX);
    let mut hits = 0;
    let mut diff = sim_core::stats::Welford::new();
    for _ in 0..5000 {
        let t = sim.cycle().unwrap();
        assert_eq!(t.log_lr, 0.0);
        assert_eq!(t.weighted_failures, f64::from(t.failures));
        assert_eq!(t.hit_weight, f64::from(u8::from(t.hit_at.is_some())));
        assert_eq!(t.weighted_down > 0.0, t.down_hours > 0.0);
        // Downtime is scored by its conditional expectation: unbiased.
        diff.push(t.weighted_down - t.down_hours);
        hits += u32::from(t.hit_at.is_some());
    }
    assert!(hits > 100, "{hits}");
    assert!(diff.mean().abs() < 4.0 * diff.std_error(), "{diff:?}");
    let r = estimate_steady_state(&spec, &small(3, 0.0)).unwrap();
    let d = r.diagnostics;
    assert_eq!(d.mean_likelihood_ratio.mean, 1.0);
    assert_eq!(d.mean_likelihood_ratio.std_error, 0.0);
    assert_eq!(d.effective_sample_size, d.hits as f64);
    // Paths too.
    let mut sim = Sim::new(&model, 3, 0, "paths", 0.0, u64::MAX);
    for _ in 0..500 {
        let t = sim
            .path(SimTime::from_duration(SimDuration::from_hours(1000)))
            .unwrap();
        assert_eq!(t.log_lr, 0.0);
    }
}

#[test]
fn batches_computed_in_any_order_give_the_same_bits() {
    let spec = case_a();
    // A target out of reach: every run takes its 4 batches.
    let o = RareOptions {
        target_relative_error: 1e-6,
        ..small(11, 0.5)
    };
    let plan = SteadyPlan::new(&spec, &o).unwrap();
    let forward: Vec<SteadyBatch> = (0..4).map(|i| plan.batch(i).unwrap()).collect();
    let mut backward: Vec<(u64, SteadyBatch)> =
        (0..4).rev().map(|i| (i, plan.batch(i).unwrap())).collect();
    backward.sort_by_key(|(i, _)| *i);
    let merge = |batches: &mut dyn Iterator<Item = &SteadyBatch>| {
        let mut acc = SteadyBatch::default();
        batches.for_each(|b| acc.merge(b));
        acc
    };
    let a = merge(&mut forward.iter());
    let b = merge(&mut backward.iter().map(|(_, b)| b));
    assert_eq!(a, b);
    let ra = plan.finish(&a).unwrap();
    assert_eq!(ra, plan.finish(&b).unwrap());
    // The sequential driver runs the same batches.
    let seq = estimate_steady_state(&spec, &o).unwrap();
    assert_eq!(seq, ra);
    // Transient as well.
    let h = SimDuration::from_hours(8760);
    let plan = TransientPlan::new(&spec, h, &o).unwrap();
    let mut acc = TransientBatch::default();
    let mut rev: Vec<(u64, TransientBatch)> =
        (0..4).rev().map(|i| (i, plan.batch(i).unwrap())).collect();
    rev.sort_by_key(|(i, _)| *i);
    rev.iter().for_each(|(_, b)| acc.merge(b));
    assert_eq!(
        plan.finish(&acc).unwrap(),
        estimate_transient(&spec, h, &o).unwrap()
    );
    // A different seed gives a different answer.
    let other = estimate_steady_state(&spec, &small(12, 0.5)).unwrap();
    assert_ne!(other.unavailability, seq.unavailability);
}

#[test]
fn a_non_exponential_failure_law_is_refused_by_name() {
    let mut spec = case_a();
    spec.components[1].failure = Dist::weibull_mean(2.0, SimDuration::from_hours(1000)).unwrap();
    let err = SteadyPlan::new(&spec, &RareOptions::default()).unwrap_err();
    assert!(
        matches!(&err, RareError::NotExponential { component, .. } if component == "node-1"),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("`node-1`") && text.contains("weibull"),
        "{text}"
    );
    let err = TransientPlan::new(&spec, SimDuration::from_hours(1), &RareOptions::default());
    assert!(matches!(err, Err(RareError::NotExponential { .. })));
    // Repair laws may be anything.
    let mut spec = case_a();
    spec.components[0].repair = Some(
        Dist::lognormal_mean_sd(SimDuration::from_hours(1), SimDuration::from_mins(30)).unwrap(),
    );
    SteadyPlan::new(&spec, &RareOptions::default()).unwrap();
}

#[test]
fn suspension_and_missing_repairs_are_refused() {
    let mut k = kofn(3, 2, Crews::Dedicated, 1e5, 1.0);
    k.while_down = WhileDown::Suspend;
    let err = RareSpec::from_kofn(&k).unwrap_err();
    assert!(matches!(err, RareError::Suspended { .. }), "{err:?}");
    assert!(err.to_string().contains("keep-running"));

    let spec = case_a().without_repair();
    let err = SteadyPlan::new(&spec, &RareOptions::default()).unwrap_err();
    assert!(
        matches!(&err, RareError::NoRepair { component } if component == "node-0"),
        "{err:?}"
    );
    TransientPlan::new(&spec, SimDuration::from_hours(1), &RareOptions::default()).unwrap();

    let mut k = kofn(3, 4, Crews::Dedicated, 1e5, 1.0);
    assert!(matches!(RareSpec::from_kofn(&k), Err(RareError::Spec(_))));
    k.min_up = 2;
    k.crews = Crews::Shared(0);
    assert!(matches!(RareSpec::from_kofn(&k), Err(RareError::Spec(_))));
}

#[test]
fn bad_options_are_refused() {
    for p in [1.0, -0.1, f64::NAN, 2.0] {
        let o = RareOptions {
            bias: Bias::Fixed(p),
            ..RareOptions::default()
        };
        assert!(matches!(
            SteadyPlan::new(&case_a(), &o),
            Err(RareError::BadBias(_))
        ));
    }
    let o = RareOptions {
        target_relative_error: 0.0,
        ..RareOptions::default()
    };
    assert!(matches!(
        SteadyPlan::new(&case_a(), &o),
        Err(RareError::BadOption(_))
    ));
    let err = TransientPlan::new(&case_a(), SimDuration::ZERO, &RareOptions::default());
    assert!(matches!(err, Err(RareError::BadOption(_))));
}

#[test]
fn a_too_strong_bias_is_caught_by_the_likelihood_ratio_check() {
    // P(failure by 1 y) of case A with p = 0.99999: every window forces, so
    // a path fails at its first repair window, and the paths that fail only
    // after a quiet repair window (about 12% of the probability: the first
    // outage survived, a later one fatal) are sampled with probability
    // 1e-5. Such an estimate misses them with a tiny standard error; the
    // mean likelihood ratio, near 0, gives it away.
    for seed in 1..=5 {
        let o = RareOptions {
            seed,
            bias: Bias::Fixed(0.99999),
            biased_per_batch: 200,
            plain_per_batch: 10,
            max_batches: 1,
            ..RareOptions::default()
        };
        let err = estimate_transient(&case_a(), SimDuration::from_hours(8760), &o).unwrap_err();
        assert!(
            matches!(err, RareError::LikelihoodRatio { mean, .. } if mean < 0.5),
            "seed {seed}: {err:?}"
        );
        assert!(err.to_string().contains("lower the bias"));
    }
    // The same run with the balanced bias passes.
    let o = RareOptions {
        biased_per_batch: 200,
        plain_per_batch: 10,
        max_batches: 1,
        ..RareOptions::default()
    };
    estimate_transient(&case_a(), SimDuration::from_hours(8760), &o).unwrap();
}

#[test]
fn runaway_cycles_are_refused() {
    let o = RareOptions {
        bias: Bias::Fixed(0.999_999),
        biased_per_batch: 10,
        plain_per_batch: 10,
        max_batches: 1,
        max_events_per_sample: 10_000,
        ..RareOptions::default()
    };
    let err = estimate_steady_state(&case_a(), &o).unwrap_err();
    assert!(matches!(err, RareError::TooManyEvents { .. }), "{err:?}");
}

#[test]
fn auto_mode_asks_for_biasing_only_when_plain_sees_too_few_failures() {
    let rare = plain_pilot(&case_a(), 1, 1000).unwrap();
    assert!(needs_biasing(&rare));
    assert!(Mode::Auto.uses_biasing(&rare));
    assert!(!Mode::Off.uses_biasing(&rare));
    let common = RareSpec::from_kofn(&kofn(3, 2, Crews::Dedicated, 100.0, 10.0)).unwrap();
    let plain = plain_pilot(&common, 1, 1000).unwrap();
    assert!(
        plain.system_failures >= PLAIN_PILOT_MIN_FAILURES,
        "{plain:?}"
    );
    assert!(!Mode::Auto.uses_biasing(&plain));
    assert!(Mode::Bfb.uses_biasing(&plain));
    let h = SimTime::from_duration(SimDuration::from_hours(8760));
    assert!(needs_biasing(
        &plain_transient_pilot(&case_a(), h, 1, 1000).unwrap()
    ));
}

#[test]
fn auto_bias_is_deterministic_and_in_range() {
    let o = RareOptions {
        bias: Bias::Auto,
        pilot_cycles: 500,
        ..RareOptions::default()
    };
    let a = SteadyPlan::new(&case_a(), &o).unwrap();
    let b = SteadyPlan::new(&case_a(), &o).unwrap();
    assert_eq!(a.bias(), b.bias());
    assert!((0.1..=0.9).contains(&a.bias()), "{}", a.bias());
    assert!(a.pilot_events() > 0);
}
