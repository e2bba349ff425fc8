//! Rare-event estimation against plain Monte Carlo.
//!
//! Case A of the validation set (2-of-3, exponential failures of mean
//! 10⁵ h, exponential repairs of mean 1 h, dedicated crews; exact
//! unavailability 2.99992·10⁻¹⁰) is estimated with the default options
//! (balanced bias 0.5, batches of 2000 biased and 500 plain cycles, stop at
//! 10% relative error on U). The bench prints the wall time (median of
//! several runs), the events simulated, the relative error reached, the
//! events plain Monte Carlo would need for the same relative error (from
//! the run's own estimate of the plain per-cycle variance, see
//! `models::rare`), and their ratio, which must be at least 1000.
//!
//! It then prints the same figures for the other steady-state cases and
//! for P(failure by 1 y) of case A, for information.
//!
//! Run: `cargo bench -p models --bench rare`. `NINES_BENCH_RUNS` (default
//! 11) sets the number of timed runs.

use std::time::Instant;

use models::kofn::Crews;
use models::rare::{
    RareComponent, RareOptions, RareSpec, SteadyState, estimate_steady_state, estimate_transient,
};
use sim_core::dist::Dist;
use sim_core::time::SimDuration;

/// Exact unavailability of case A (validation/rare-events.json).
const CASE_A_U: f64 = 2.9999200015e-10;

fn exp_h(hours: f64) -> Dist {
    Dist::exponential_mean(SimDuration::from_hours_f64(hours)).unwrap()
}

fn system(n: usize, min_up: u32, crews: Crews, fail_h: f64, repair_h: f64) -> RareSpec {
    RareSpec {
        name: "bench".into(),
        components: (0..n)
            .map(|i| RareComponent {
                name: format!("c{i}"),
                failure: exp_h(fail_h),
                repair: Some(exp_h(repair_h)),
            })
            .collect(),
        min_up,
        crews,
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (T, f64) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(f());
        times.push(start.elapsed().as_secs_f64());
    }
    (last.expect("at least one run"), median(times))
}

fn line(id: &str, r: &SteadyState, secs: f64) {
    let d = &r.diagnostics;
    println!(
        "{id:<9} U {:.4e} ± {:.1e}  rel.err {:>5.1}%  {:>8} events  {:>8.2} ms  plain MC {:.3e} events  ratio {:>10.0}x  (bias {}, {} hits, ESS {:.0}, mean LR {:.3})",
        r.unavailability.mean,
        r.unavailability.half_width(),
        100.0 * r.unavailability.relative_error,
        d.events,
        secs * 1e3,
        d.plain_mc_events_needed,
        d.speedup,
        d.bias,
        d.hits,
        d.effective_sample_size,
        d.mean_likelihood_ratio.mean,
    );
}

fn main() {
    let runs: usize = std::env::var("NINES_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(11)
        .max(1);
    let options = RareOptions::default();

    let a = system(3, 2, Crews::Dedicated, 1e5, 1.0);
    let (r, secs) = timed(runs, || estimate_steady_state(&a, &options).unwrap());
    let d = &r.diagnostics;
    println!("case A (2-of-3, MTTF 1e5 h, MTTR 1 h, dedicated), target 10% on U, {runs} runs:");
    println!("  time                      {:.3} ms (median)", secs * 1e3);
    println!("  events                    {}", d.events);
    println!(
        "  U                         {:.5e} ± {:.2e} (exact {CASE_A_U:.5e}, z = {:.2})",
        r.unavailability.mean,
        r.unavailability.half_width(),
        (r.unavailability.mean - CASE_A_U) / r.unavailability.std_error
    );
    println!(
        "  relative error            {:.2}%",
        100.0 * r.unavailability.relative_error
    );
    println!(
        "  plain MC events needed    {:.3e} ({:.3e} cycles)",
        d.plain_mc_events_needed, d.plain_mc_samples_needed
    );
    println!("  ratio                     {:.0}x", d.speedup);
    println!(
        "  {}",
        if d.speedup >= 1000.0 {
            "ok: at least 1000x"
        } else {
            "FAIL: less than 1000x"
        }
    );
    println!();

    let others = [
        ("A-shared", system(3, 2, Crews::Shared(1), 1e5, 1.0)),
        ("B", system(4, 1, Crews::Dedicated, 1e5, 1.0)),
        ("C", system(5, 3, Crews::Shared(1), 1e4, 4.0)),
    ];
    let few = runs.min(3);
    let (r, secs) = timed(few, || estimate_steady_state(&a, &options).unwrap());
    line("A", &r, secs);
    for (id, spec) in &others {
        let (r, secs) = timed(few, || estimate_steady_state(spec, &options).unwrap());
        line(id, &r, secs);
    }
    let year = SimDuration::from_hours(8760);
    let (t, secs) = timed(few, || estimate_transient(&a, year, &options).unwrap());
    let d = &t.diagnostics;
    println!(
        "A P(1y)   {:.4e} ± {:.1e}  rel.err {:>5.1}%  {:>8} events  {:>8.2} ms  plain MC {:.3e} events  ratio {:>10.0}x",
        t.p_fail.mean,
        t.p_fail.half_width(),
        100.0 * t.p_fail.relative_error,
        d.events,
        secs * 1e3,
        d.plain_mc_events_needed,
        d.speedup,
    );
}
