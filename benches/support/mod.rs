//! What the benchmarks of the `nines` binary share: timing in alternation
//! with a reference, and milliseconds.

use std::time::{Duration, Instant};

/// The medians of `a` and `b`, timed in alternation `runs` times, so that
/// machine noise hits both alike.
pub(crate) fn alternate(
    runs: usize,
    mut a: impl FnMut(),
    mut b: impl FnMut(),
) -> (Duration, Duration) {
    let mut ta = Vec::with_capacity(runs);
    let mut tb = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        a();
        ta.push(t.elapsed());
        let t = Instant::now();
        b();
        tb.push(t.elapsed());
    }
    ta.sort();
    tb.sort();
    (ta[runs / 2], tb[runs / 2])
}

/// A duration in milliseconds.
pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
