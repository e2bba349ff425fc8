//! The rare-event cases of `nines validate`: systems too available for
//! plain simulation, estimated by importance sampling (`models::rare`) and
//! checked against exact values from Markov chains
//! (`validation/rare-events.json`, copied here: CI has only the
//! repository).

use models::kofn::Crews;
use models::rare::{
    Interval, MainMeasure, RareComponent, RareOptions, RareSpec, estimate_steady_state,
    estimate_transient,
};
use reports::ValidationRow;
use sim_core::dist::Dist;
use sim_core::stats::CONFIDENCE_99;
use sim_core::time::SimDuration;

use crate::fail::Failure;

/// The 99.5% normal quantile: the 99% interval's half-width in standard
/// errors.
const Z99: f64 = 2.575829;

/// The ids of the cases, in order.
pub(crate) const IDS: [&str; 8] = ["A", "A-det", "A-shared", "B", "C", "D", "N1", "GT-15e"];

/// The seed of every case.
const SEED: u64 = 2026;

/// What a case measures.
#[derive(Clone, Copy, Debug)]
enum Quantity {
    /// Steady-state unavailability.
    Unavailability,
    /// Mean time from all up to the first system failure, hours.
    Mttf,
    /// P(first system failure by this many hours), from all up.
    FailBy(f64),
}

/// A rare-event case: a system and what is checked of it.
struct RareCase {
    id: &'static str,
    what: &'static str,
    spec: RareSpec,
    checks: Vec<(Quantity, f64)>,
    /// The relative error the run stops at.
    target: f64,
}

fn exp_h(hours: f64) -> Dist {
    Dist::exponential_mean(SimDuration::from_hours_f64(hours)).expect("a positive mean")
}

/// `n` identical components failing with mean `fail_h` hours, up while
/// `min_up` run, repaired in `repair` (never, with `None`).
fn system(
    name: &str,
    n: usize,
    min_up: u32,
    crews: Crews,
    fail_h: f64,
    repair: Option<Dist>,
) -> RareSpec {
    RareSpec {
        name: name.into(),
        components: (0..n)
            .map(|i| RareComponent {
                name: format!("{name}-{}", i + 1),
                failure: exp_h(fail_h),
                repair: repair.clone(),
            })
            .collect(),
        min_up,
        crews,
    }
}

fn cases() -> Vec<RareCase> {
    use Quantity::*;
    let one_hour = Some(exp_h(1.0));
    let year = 8760.0;
    vec![
        RareCase {
            id: "A",
            what: "2-of-3, MTTF 1e5 h, repair 1 h",
            spec: system("a", 3, 2, Crews::Dedicated, 1e5, one_hour.clone()),
            checks: vec![
                (Unavailability, 2.9999200015e-10),
                (Mttf, 1.66675e9),
                (FailBy(year), 5.25512346808e-6),
            ],
            target: 0.05,
        },
        RareCase {
            id: "A-det",
            what: "A with repair exactly 1 h",
            spec: system(
                "a-det",
                3,
                2,
                Crews::Dedicated,
                1e5,
                Some(Dist::deterministic(SimDuration::from_hours_f64(1.0))),
            ),
            checks: vec![(Unavailability, 2.9999200015e-10), (Mttf, 1.66673333339e9)],
            target: 0.05,
        },
        RareCase {
            id: "A-shared",
            what: "A with one shared crew",
            spec: system("a-shared", 3, 2, Crews::Shared(1), 1e5, one_hour.clone()),
            checks: vec![(Unavailability, 5.99988e-10)],
            target: 0.05,
        },
        RareCase {
            id: "B",
            what: "1-of-4, MTTF 1e5 h, repair 1 h",
            spec: system("b", 4, 1, Crews::Dedicated, 1e5, one_hour),
            checks: vec![(Unavailability, 9.99960001e-21)],
            target: 0.10,
        },
        RareCase {
            id: "C",
            what: "3-of-5 quorum, MTTF 1e4 h, repair 4 h, one crew",
            spec: system("c", 5, 3, Crews::Shared(1), 1e4, Some(exp_h(4.0))),
            checks: vec![
                (Unavailability, 3.83539016049e-9),
                (FailBy(year), 8.37502799311e-6),
            ],
            target: 0.05,
        },
        RareCase {
            id: "D",
            what: "3 replicas lost at 1e-5/h, re-created in 10 h: data loss",
            spec: system("d", 3, 1, Crews::Dedicated, 1e5, Some(exp_h(10.0))),
            checks: vec![(Mttf, 3.33450018333e12), (FailBy(year), 2.62258262342e-9)],
            target: 0.05,
        },
        RareCase {
            id: "N1",
            what: "1-of-4, no repair, MTTF 500 h",
            spec: system("n1", 4, 1, Crews::Dedicated, 500.0, None),
            checks: vec![(FailBy(1.0), 1.59361384536e-11)],
            target: 0.05,
        },
        RareCase {
            id: "GT-15e",
            what: "2-of-4, no repair, MTTF 15 h",
            spec: system("gt-15e", 4, 2, Crews::Dedicated, 15.0, None),
            checks: vec![(FailBy(1.0), 1.02109527222e-3)],
            target: 0.05,
        },
    ]
}

/// The rows of the rare-event cases whose id starts with `filter`.
pub(crate) fn rows(filter: Option<&str>) -> Result<Vec<ValidationRow>, Failure> {
    let mut rows = Vec::new();
    for case in cases() {
        if !filter.is_none_or(|p| case.id.starts_with(p)) {
            continue;
        }
        for &(quantity, exact) in &case.checks {
            let fail = |e: models::rare::RareError| {
                Failure::internal(format!("rare-event validation case {}: {e}", case.id))
            };
            let (estimate, samples, name) = match quantity {
                Quantity::Unavailability | Quantity::Mttf => {
                    let main = match quantity {
                        Quantity::Mttf => MainMeasure::Mttf,
                        _ => MainMeasure::Unavailability,
                    };
                    let r = estimate_steady_state(&case.spec, &options(main, case.target))
                        .map_err(fail)?;
                    let (x, name) = match quantity {
                        Quantity::Mttf => (r.mttf_hours, "MTTF from all up (h)".to_string()),
                        _ => (r.unavailability, "unavailability".to_string()),
                    };
                    (x, r.biased_cycles + r.plain_cycles, name)
                }
                Quantity::FailBy(hours) => {
                    let horizon = SimDuration::from_hours_f64(hours);
                    let r = estimate_transient(
                        &case.spec,
                        horizon,
                        &options(MainMeasure::Unavailability, case.target),
                    )
                    .map_err(fail)?;
                    (
                        r.p_fail,
                        r.paths + r.plain_paths,
                        format!("P(failed by {hours} h)"),
                    )
                }
            };
            rows.push(row(&case, name, exact, &estimate, samples));
        }
    }
    Ok(rows)
}

fn options(main: MainMeasure, target: f64) -> RareOptions {
    RareOptions {
        seed: SEED,
        main,
        target_relative_error: target,
        ..RareOptions::default()
    }
}

fn row(case: &RareCase, quantity: String, exact: f64, x: &Interval, samples: u64) -> ValidationRow {
    let (lo, hi) = (x.mean - Z99 * x.std_error, x.mean + Z99 * x.std_error);
    ValidationRow {
        case: case.id.to_string(),
        quantity: format!("{quantity}, {} (rare event)", case.what),
        exact,
        estimate: x.mean,
        ci_low: lo,
        ci_high: hi,
        confidence: CONFIDENCE_99,
        replications: samples,
        pass: lo <= exact && exact <= hi,
    }
}
