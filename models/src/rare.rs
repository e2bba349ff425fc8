//! Rare-event estimation for k-of-n systems: regenerative importance
//! sampling with balanced failure biasing, implemented as *window forcing*.
//!
//! Plain Monte Carlo cannot measure highly available designs: a 2-of-3
//! group with node MTTF 10⁵ h and 1 h repairs is down a fraction 3·10⁻¹⁰ of
//! the time, one outage every 190,000 years. This module estimates such
//! measures to a few percent in milliseconds by simulating the system under
//! a changed probability law that makes failures common, and weighting
//! every observation by its likelihood ratio (natural density / biased
//! density of the path), which keeps the estimates unbiased.
//!
//! # The process
//!
//! A [`RareSpec`] (built from a [`KofNSpec`](crate::kofn::KofNSpec) by
//! [`RareSpec::from_kofn`], or directly to express components that are never
//! repaired) is `n` components, up while at least `min_up` run. Each
//! running component has an exponential failure clock (rate `λᵢ`); a failed
//! component waits for a crew (its own, or one of a shared pool served
//! first come, first served) and is repaired in a time drawn from its
//! repair law, *any* law (deterministic, log-normal, ...), never biased.
//! Components keep running while the system is down
//! ([`WhileDown::KeepRunning`](crate::kofn::WhileDown::KeepRunning); a
//! suspending spec is refused). The simulation is a small event loop of its
//! own (not the `sim-core` engine, for speed): times are integer
//! microseconds ([`SimTime`](sim_core::time::SimTime)), pending repairs are
//! ordered by `(time, sequence number)`.
//!
//! # Window forcing
//!
//! Because the exponential is memoryless, the clocks of the running
//! components can be drawn afresh at any instant. The loop does so at the
//! start of every *window*: the time `w` from now to the next scheduled
//! event (the next repair completion; in a transient run, also the horizon
//! `T`, and when nothing is pending the window runs to `T`). With `m`
//! components up and bias `p`:
//!
//! * with probability `1 − p` the `m` clocks are drawn naturally;
//! * with probability `p` (*forcing*) one running component `j` is chosen
//!   uniformly (`1/m` each: *balanced* biasing, whatever the rates) and its
//!   clock is drawn from its exponential law truncated to `[0, w)`, density
//!   `λⱼ e^{−λⱼ s} / (1 − e^{−λⱼ w})`; the other clocks are natural.
//!
//! The smallest clock, if it falls inside the window, is the next event
//! (component `i` fails at `s`); otherwise the window ends with the
//! scheduled event. The likelihood ratio of the window is the natural
//! density of what happened over its biased density. For "nothing fails"
//! it is `1 / (1 − p)` (forcing always puts a failure in the window). For
//! "`i` fails first at `s`" the biased density is the mixture over the
//! coin and the forced component, and dividing by the natural density
//! `λᵢ e^{−Λ s}` gives
//!
//! ```text
//! q/f = (1 − p) + (p/m) · [ 1/(1 − e^{−λᵢ w}) + Σ_{j≠i up} (1 − e^{−λⱼ (w − s)}) / (1 − e^{−λⱼ w}) ]
//! ```
//!
//! where the first bracketed term is the forced component being `i` itself
//! and each other term the forced `j`'s truncated clock outliving `s` while
//! `i`'s natural clock rang first. (When only `i`'s clock could ring this is
//! the textbook `p·(1/m)·f_trunc + (1−p)·f` mixture.) The log of the path's
//! likelihood ratio `L` is accumulated window by window, in event order;
//! with `p = 0` every factor is exactly 1 and the run is plain Monte Carlo.
//! Failure laws must be exponential ([`RareError::NotExponential`] names
//! the component otherwise). Posterior forcing probabilities `1 − (1−p)·f/q`
//! are kept for the cross-entropy pilot.
//!
//! # Steady state: the regenerative estimator
//!
//! Following Goyal, Shahabuddin, Heidelberger, Nicola and Glynn (1992), a
//! *cycle* starts and ends in the all-up state. Plain cycles (`p = 0`, their
//! own random streams) estimate the mean cycle length `E[τ]` and
//! `E[min(τ, T_F)]`, where `T_F` is the first system failure. Biased cycles
//! start with a natural first component failure (no biasing in the all-up
//! state) and force in every window after it until all are up again. A
//! system failure is weighted by `L` at that failure (unbiased by optional
//! stopping). A window that starts with the system down is scored by `L`
//! at its start times its natural expected length `(1 − e^{−Λw})/Λ`, `Λ`
//! the total failure rate of the running components (`w` if none runs):
//! the system stays down until the window ends, at its first failure or at
//! `w`, so this is the downtime's conditional expectation given the
//! window's start — the discrete-time conversion of Goyal et al., which
//! keeps the window's own likelihood factor out of the downtime's variance
//! (for case A it halves it). They estimate `E[D]` (downtime per cycle),
//! `E[F]` (system failures per cycle) and `γ = P(T_F < τ)` (the cycle hits
//! system failure; what `validation/rare-events.json` lists as
//! `gamma_per_h` is this probability, not a rate), the last from `L` at the
//! first hit. Then
//!
//! ```text
//! U    = E[D] / E[τ]                      unavailability
//! rate = E[F] / E[τ]                      system failures per hour
//! MTTF = E[min(τ, T_F)] / P(T_F < τ)      mean time to failure from all-up
//! ```
//!
//! The MTTF formula is exact: from all-up, the process makes a geometric
//! number of cycles without failure, then a last partial cycle, and Wald's
//! identity gives `E[T_F] = E[min(τ, T_F)] / P(T_F < τ)`. For case A (2-of-3,
//! `λ = 10⁻⁵/h`, `μ = 1/h`, dedicated): `E[min(τ, T_F)] = 1/(3λ) + 1/(2λ+μ)`
//! `= 33334.3333 h`, `P(T_F < τ) = 2λ/(2λ+μ) = 1.99996·10⁻⁵`, so
//! `MTTF = 1.66675·10⁹ h`, the exact value. Downtime per year is
//! `U · 8760 · 60` minutes, incidents per year `rate · 8760`.
//!
//! Intervals use the delta method for a ratio `a/b` of means of independent
//! samples: `se² = se_a²/b² + a²·se_b²/b⁴`, and the 95% normal quantile
//! 1.959964. The relative error is `se / mean`.
//!
//! # Transient: P(system failure by T)
//!
//! Paths start all-up at 0 and force in *every* window (all-up included,
//! where the window runs to `T`) until the first system failure or `T`;
//! the estimate is the mean of `L · 1{failure by T}`. This also covers
//! components that are never repaired ([`RareComponent::repair`] `None`),
//! and the mean time to data loss of a replicated store is the MTTF of a
//! 1-of-`r` system.
//!
//! # Diagnostics
//!
//! [`Diagnostics`] holds: the hits (biased cycles or paths that reached
//! system failure); the Kish effective sample size `(Σw)²/Σw²` and the
//! largest weight's share `max w / Σw` of the hits' weights (`w` = `L` at the
//! first system failure); the mean likelihood ratio over all biased cycles
//! or paths (`L` at the cycle's end, at `T` or at the hit), with its 95%
//! interval: it must be 1, and a run where it is more than 3.29 standard
//! errors away is refused ([`RareError::LikelihoodRatio`]: lower the
//! bias). The check is a necessary condition: it catches a bias that hides
//! the paths carrying the natural law's mass (their weights are then
//! missing from the mean), not every poor bias; and since likelihood
//! ratios are skewed to the right, a sample mean more often falls short of
//! 1 than a normal one would, so the check fires somewhat more often than
//! 0.1% on long transient horizons with repairs, where every survived
//! outage multiplies `L` by `1/(1 − p)`. Also: the events simulated; and
//! the work plain Monte Carlo would need for the same relative error `r` as
//! the estimate's:
//!
//! ```text
//! steady state, U:     N = (E[D²] + U²·E[τ²]) / (E[D]² r²)  cycles   (E[D²] = mean of L·D² over biased cycles)
//! steady state, rate:  N = (E[F²] + rate²·E[τ²]) / (E[F]² r²)
//! steady state, MTTF:  N = (1 − γ) / (γ r²)                          (γ = P(T_F < τ))
//! transient:           N = (1 − P) / (P r²)                  paths
//! ```
//!
//! times the events per plain cycle (or plain path), measured on the plain
//! sample — the same as the events per simulated hour times the `N·E[τ]`
//! hours plain Monte Carlo would simulate. The first two are the per-cycle
//! variance of the plain ratio estimator `ΣD/Στ` divided by its squared
//! mean (the cross term `−2U·E[Dτ]` is dropped: it is of order `γ` relative
//! to `E[D²]`).
//!
//! # Choosing the bias and stopping
//!
//! [`Bias::Fixed`]`(p)` uses `p` (0.5 is the balanced default; 0 is plain
//! Monte Carlo). [`Bias::Auto`] runs a short cross-entropy pilot: three
//! rounds of [`RareOptions::pilot_cycles`] biased cycles (or paths), from
//! `p = 0.5`, each setting `p ← Σ g·f / Σ g·b` over the round's cycles, where
//! `g` is the cycle's weighted contribution to the main measure, `b` its
//! biasable windows and `f` the sum of their posterior forcing
//! probabilities, clipped to `[0.1, 0.9]` (an EM step of the cross-entropy
//! method for the mixture weight). [`Mode::Auto`] asks a plain pilot
//! ([`plain_pilot`], [`needs_biasing`]): fewer than 30 system failures
//! means biasing is needed.
//!
//! Runs proceed in *batches*, each a fixed number of plain and biased
//! cycles ([`RareOptions::plain_per_batch`], [`RareOptions::biased_per_batch`]),
//! until the relative error of the main measure is at most
//! [`RareOptions::target_relative_error`] (with at least 30 hits) or
//! [`RareOptions::max_batches`] is reached.
//!
//! # Determinism
//!
//! Every draw comes from `RngStream::new(seed, batch, entity, purpose)`:
//! for each component its natural clock, its forced clock and its repairs,
//! and for the system the forcing coin and the forced pick, each purpose
//! prefixed by the phase (`plain`, `biased`, `paths`, `pilot-k`...). A
//! batch is a pure function of `(spec, options, bias, batch index)`;
//! [`SteadyPlan::batch`] and [`TransientPlan::batch`] can be run in any
//! order or in parallel, and merging in batch order
//! ([`SteadyBatch::merge`]) gives bit-identical results on any thread
//! count. No hash map is iterated and no clock is read.
//!
//! ```
//! use models::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};
//! use models::rare::{RareOptions, RareSpec, estimate_steady_state};
//! use sim_core::dist::Dist;
//! use sim_core::time::SimDuration;
//!
//! let node = |i: u32| ComponentSpec {
//!     name: format!("node-{i}"),
//!     failure: Dist::exponential_mean(SimDuration::from_hours(100_000)).unwrap(),
//!     repair: Dist::exponential_mean(SimDuration::from_hours(1)).unwrap(),
//! };
//! let spec = KofNSpec {
//!     name: "quorum".into(),
//!     components: (1..=3).map(node).collect(),
//!     min_up: 2,
//!     crews: Crews::Dedicated,
//!     while_down: WhileDown::KeepRunning,
//! };
//! let rare = RareSpec::from_kofn(&spec).unwrap();
//! let r = estimate_steady_state(&rare, &RareOptions::default()).unwrap();
//! let u = r.unavailability;
//! assert!(u.relative_error <= 0.1);
//! assert!((u.mean - 2.99992e-10).abs() < 4.0 * u.std_error);
//! ```

mod estimate;
mod options;
mod sim;
mod spec;
mod steady;
mod transient;

#[cfg(test)]
mod tests;

pub use estimate::{Diagnostics, Interval, check_likelihood_ratio};
pub use options::{
    Bias, MainMeasure, Mode, PLAIN_PILOT_MIN_FAILURES, PlainPilot, RareOptions, needs_biasing,
    plain_pilot, plain_transient_pilot,
};
pub use spec::{RareComponent, RareSpec};
pub use steady::{SteadyBatch, SteadyPlan, SteadyState, estimate_steady_state};
pub use transient::{Transient, TransientBatch, TransientPlan, estimate_transient};

use crate::kofn::SpecError;

/// Why a rare-event estimate cannot be made, or was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RareError {
    /// The k-of-n spec itself is invalid.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// The spec suspends components while the service is down.
    #[error(
        "service `{service}` suspends its components while it is down; rare-event estimation \
         supports only components that keep running (while_down = keep-running)"
    )]
    Suspended {
        /// The service's name.
        service: String,
    },
    /// A failure law is not exponential.
    #[error(
        "component `{component}` fails after `{law}`; rare-event estimation (window forcing) \
         needs exponential failure laws (repair laws may be anything)"
    )]
    NotExponential {
        /// The component's name.
        component: String,
        /// Its failure law, as text.
        law: String,
    },
    /// A steady-state estimate was asked of a component that is never
    /// repaired.
    #[error(
        "component `{component}` is never repaired, so the all-up state never returns and there \
         is no steady state; estimate P(system failure by T) with the transient estimator instead"
    )]
    NoRepair {
        /// The component's name.
        component: String,
    },
    /// The bias is not a probability in `[0, 1)`.
    #[error("bias {0} is out of range; expected a probability of forcing in [0, 1), such as 0.5")]
    BadBias(f64),
    /// An option is out of range.
    #[error("invalid rare-event option: {0}")]
    BadOption(String),
    /// The mean likelihood ratio is not 1: the biased law is too far from
    /// the natural one for the sample to be trusted.
    #[error(
        "the mean likelihood ratio over {samples} biased samples is {mean:.4} (standard error \
         {std_error:.3e}), more than 3.29 standard errors from 1: the bias {bias} is too strong \
         for this system and the estimates cannot be trusted; lower the bias (such as --bias 0.3, \
         or --bias auto)"
    )]
    LikelihoodRatio {
        /// The sample mean of the likelihood ratios.
        mean: f64,
        /// Its standard error.
        std_error: f64,
        /// The bias used.
        bias: f64,
        /// How many biased cycles or paths.
        samples: u64,
    },
    /// One cycle or path ran past the event limit.
    #[error(
        "a {what} ran {events} events without ending; with bias {bias} forced failures keep the \
         system from returning to all-up; lower the bias"
    )]
    TooManyEvents {
        /// `cycle` or `path`.
        what: &'static str,
        /// The events it ran.
        events: u64,
        /// The bias used.
        bias: f64,
    },
}
