//! The queueing cases of the validation set that the request-level model
//! reproduces (V10 and V11 of `validation/analytic-cases.md`), ready for
//! `nines validate`: each case is a spec, a run length, a seed and the
//! quantities with exact answers.
//!
//! ```no_run
//! use models::request::validation::validation_cases;
//!
//! for case in validation_cases() {
//!     for r in case.run(0).unwrap() {
//!         println!("{} {}: {:.5} in [{:.5}, {:.5}] exact {:.5} {}",
//!             r.case, r.quantity, r.estimate.mean, r.estimate.ci_low,
//!             r.estimate.ci_high, r.exact, if r.pass { "ok" } else { "FAIL" });
//!     }
//! }
//! ```

use sim_core::dist::Dist;
use sim_core::stats::{CONFIDENCE_99, Estimate};
use sim_core::time::SimDuration;

use super::measures::RequestMeasures;
use super::sketch::RELATIVE_ERROR;
use super::spec::{Arrivals, Dispatch, InstanceSpec, RequestSpec};
use super::{RequestRun, RequestRunError, estimate, replicate};
use crate::replicate::Horizon;

/// What a check reads from one replication's measures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Measure {
    /// Mean response time, seconds ([`RequestMeasures::mean_response_s`]).
    MeanResponse,
    /// Mean wait in queue, seconds ([`RequestMeasures::mean_wait_s`]).
    MeanWait,
    /// `P(wait > 0)` ([`RequestMeasures::prob_wait`]).
    ProbWait,
    /// `P(wait > t)` for the spec's `wait_threshold`
    /// ([`RequestMeasures::prob_wait_over`]).
    ProbWaitOver,
    /// Time-average number in system ([`RequestMeasures::mean_in_system`]).
    MeanInSystem,
    /// A response-time quantile from the sketch, seconds
    /// ([`RequestMeasures::response_quantile_s`]).
    ResponseQuantile(f64),
    /// Share of requests served within the deadline
    /// ([`RequestMeasures::availability`]).
    Availability,
}

impl Measure {
    /// The value of this measure in one replication.
    pub fn of(&self, m: &RequestMeasures) -> f64 {
        match *self {
            Measure::MeanResponse => m.mean_response_s(),
            Measure::MeanWait => m.mean_wait_s(),
            Measure::ProbWait => m.prob_wait(),
            Measure::ProbWaitOver => m.prob_wait_over(),
            Measure::MeanInSystem => m.mean_in_system(),
            Measure::ResponseQuantile(p) => m.response_quantile_s(p),
            Measure::Availability => m.availability(),
        }
    }

    /// The error the measure may carry besides sampling error, to widen
    /// the interval by: the sketch's relative error for quantiles, zero
    /// otherwise.
    pub fn allowance(&self, exact: f64) -> f64 {
        match self {
            Measure::ResponseQuantile(_) => exact.abs() * RELATIVE_ERROR,
            _ => 0.0,
        }
    }
}

/// One quantity with an exact value.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationCheck {
    /// What is checked, in words, as printed.
    pub quantity: &'static str,
    /// The exact value.
    pub exact: f64,
    /// Where the estimate comes from.
    pub measure: Measure,
}

/// One system of the validation set and the quantities checked on it.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationCase {
    /// The case id, such as `V10` or `V11b round-robin`.
    pub id: &'static str,
    /// The pool.
    pub spec: RequestSpec,
    /// Each replication's length and warm-up.
    pub horizon: Horizon,
    /// Independent replications.
    pub replications: u64,
    /// The root seed.
    pub seed: u64,
    /// The quantities.
    pub checks: Vec<ValidationCheck>,
}

/// The outcome of one check.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckResult {
    /// The case id.
    pub case: &'static str,
    /// The quantity, in words.
    pub quantity: &'static str,
    /// The exact value.
    pub exact: f64,
    /// The estimate over replications, with its 99% Student-t interval.
    pub estimate: Estimate,
    /// How far outside the interval the exact value may still pass (the
    /// sketch's relative error, for quantiles).
    pub allowance: f64,
    /// True when the exact value is within the interval, widened by the
    /// allowance.
    pub pass: bool,
}

impl ValidationCase {
    /// Runs the replications on `threads` threads (0: one per core) and
    /// checks every quantity at 99% confidence.
    pub fn run(&self, threads: usize) -> Result<Vec<CheckResult>, RequestRunError> {
        let runs = replicate(
            &self.spec,
            self.seed,
            self.replications,
            self.horizon,
            threads,
        )?;
        Ok(self.check(&runs))
    }

    /// Checks every quantity against replications already run.
    pub fn check(&self, runs: &[RequestRun]) -> Vec<CheckResult> {
        self.checks
            .iter()
            .map(|c| {
                let estimate = estimate(runs, |m| c.measure.of(m), CONFIDENCE_99)
                    .expect("a validation case runs at least two replications");
                let allowance = c.measure.allowance(c.exact);
                let pass = estimate.ci_low - allowance <= c.exact
                    && c.exact <= estimate.ci_high + allowance;
                CheckResult {
                    case: self.id,
                    quantity: c.quantity,
                    exact: c.exact,
                    estimate,
                    allowance,
                    pass,
                }
            })
            .collect()
    }
}

/// `c` single-server instances with exponential service at `mu` per
/// second, fed by Poisson arrivals at `lambda` per second.
pub fn exponential_pool(lambda: f64, mu: f64, c: u32, dispatch: Dispatch) -> RequestSpec {
    let service =
        Dist::exponential_rate(mu, SimDuration::from_secs(1)).expect("a positive service rate");
    RequestSpec::new(
        "clients",
        Arrivals::Poisson { rate_per_s: lambda },
        InstanceSpec::pool(c, service),
        dispatch,
    )
}

/// The V10 pool: M/M/4, λ = 30/s, μ = 10/s per server, under `dispatch`
/// (V10 itself is [`Dispatch::CentralQueue`]; V11b dispatches the same
/// load to four separate queues). `P(wait > t)` is measured at 0.1 s.
pub fn v10_pool(dispatch: Dispatch) -> RequestSpec {
    exponential_pool(30.0, 10.0, 4, dispatch)
}

/// The V11a server: M/M/1, λ = 8/s, μ = 10/s.
pub fn v11a_server() -> RequestSpec {
    exponential_pool(8.0, 10.0, 1, Dispatch::RoundRobin)
}

/// The run length of the V10 and V11b cases: about 100,000 measured
/// requests per replication after 100 s of warm-up.
pub const V10_HORIZON: Horizon = Horizon {
    length: SimDuration::from_secs(3_450),
    warmup: SimDuration::from_secs(100),
};

/// The run length of the V11a case: 100,000 measured requests per
/// replication after 500 s of warm-up.
pub const V11A_HORIZON: Horizon = Horizon {
    length: SimDuration::from_secs(13_000),
    warmup: SimDuration::from_secs(500),
};

/// Replications per case.
pub const REPLICATIONS: u64 = 40;

/// The root seed of every case.
pub const SEED: u64 = 2026;

/// The exact mean response time of round-robin dispatch in V11b (E4/M/1).
pub const V11B_ROUND_ROBIN_W: f64 = 0.264_763_914_398_996_7;

/// Every V10 and V11 quantity the request-level model checks.
pub fn validation_cases() -> Vec<ValidationCase> {
    let e1 = (-1.0f64).exp();
    let check = |quantity, exact, measure| ValidationCheck {
        quantity,
        exact,
        measure,
    };
    let case = |id, spec, horizon, checks| ValidationCase {
        id,
        spec,
        horizon,
        replications: REPLICATIONS,
        seed: SEED,
        checks,
    };
    vec![
        case(
            "V10",
            v10_pool(Dispatch::CentralQueue),
            V10_HORIZON,
            vec![
                check(
                    "M/M/4 P(wait > 0) (Erlang C)",
                    27.0 / 53.0,
                    Measure::ProbWait,
                ),
                check("M/M/4 mean wait Wq (s)", 27.0 / 530.0, Measure::MeanWait),
                check(
                    "M/M/4 mean response W (s)",
                    8.0 / 53.0,
                    Measure::MeanResponse,
                ),
                check(
                    "M/M/4 mean number in system L",
                    240.0 / 53.0,
                    Measure::MeanInSystem,
                ),
                check(
                    "M/M/4 P(Wq > 0.1 s)",
                    27.0 * e1 / 53.0,
                    Measure::ProbWaitOver,
                ),
            ],
        ),
        case(
            "V11a",
            v11a_server(),
            V11A_HORIZON,
            vec![
                check("M/M/1 mean response W (s)", 0.5, Measure::MeanResponse),
                check("M/M/1 mean wait Wq (s)", 0.4, Measure::MeanWait),
                check("M/M/1 mean number in system L", 4.0, Measure::MeanInSystem),
                check(
                    "M/M/1 p99 response (s)",
                    100f64.ln() / 2.0,
                    Measure::ResponseQuantile(0.99),
                ),
            ],
        ),
        case(
            "V11b random",
            v10_pool(Dispatch::Random),
            V10_HORIZON,
            vec![check(
                "random dispatch to 4 queues, W (s)",
                0.4,
                Measure::MeanResponse,
            )],
        ),
        case(
            "V11b round-robin",
            v10_pool(Dispatch::RoundRobin),
            V10_HORIZON,
            vec![check(
                "round-robin to 4 queues (E4/M/1), W (s)",
                V11B_ROUND_ROBIN_W,
                Measure::MeanResponse,
            )],
        ),
    ]
}
