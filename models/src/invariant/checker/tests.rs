//! The checker's bookkeeping on its own: the windowed downtime's crossing
//! instant against a brute-force scan, and the health checks' rotation
//! watch on a real run.

use sim_core::engine::Simulation;
use sim_core::time::{SimDuration, SimTime};

use super::*;

/// A small deterministic generator (xorshift64*), enough for test cases.
struct Gen(u64);

impl Gen {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) % n.max(1)
    }
}

fn t(us: u64) -> SimTime {
    SimTime::from_micros(us)
}

/// Downtime within `[u - w, u]` from the closed `spans` and an outage
/// from `s` on (`u >= s`).
fn downtime(spans: &[(u64, u64)], s: u64, w: u64, u: u64) -> u64 {
    let start = u.saturating_sub(w);
    let past: u64 = spans
        .iter()
        .map(|&(a, e)| e.min(s).saturating_sub(a.max(start)))
        .sum();
    past + (u - s.max(start))
}

#[test]
fn the_crossing_instant_matches_a_brute_force_scan() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let mut checked = 0;
    for _ in 0..20_000 {
        let w = 1 + g.below(60);
        let b = g.below(w + 5);
        let mut spans = Vec::new();
        let mut at = g.below(20);
        for _ in 0..g.below(6) {
            let len = 1 + g.below(15);
            spans.push((at, at + len));
            at += len + 1 + g.below(15);
        }
        let s = at + g.below(10);
        // The rule would have fired before an outage that starts over the
        // budget; the crossing is asked only at the start of one that
        // does not.
        if downtime(&spans, s, w, s) > b {
            continue;
        }
        checked += 1;
        let mut window = Window::new(
            SimDuration::from_micros(b),
            SimDuration::from_micros(w),
            None,
        );
        window.spans = spans.iter().map(|&(a, e)| (t(a), t(e))).collect();
        let got = window.crossing(t(s));
        // The first whole microsecond after which the downtime is over the
        // budget (breakpoints are whole, so the crossing is one).
        let brute = (b < w).then(|| {
            let u = (s..).find(|&u| downtime(&spans, s, w, u) > b).unwrap();
            t(u - 1)
        });
        assert_eq!(
            got, brute,
            "spans {spans:?}, outage from {s}, window {w}, budget {b}"
        );
    }
    assert!(checked > 10_000, "{checked}");
}

#[test]
fn old_spans_leave_the_window() {
    let mut w = Window::new(
        SimDuration::from_micros(10),
        SimDuration::from_micros(100),
        None,
    );
    let warmup = t(50);
    // Down from 0 to 60: only 50..60 counts.
    w.update(true, t(0), warmup);
    assert_eq!(w.crossing, Some(t(60)), "ten after the warm-up");
    w.update(false, t(55), warmup);
    assert_eq!(
        w.spans.iter().copied().collect::<Vec<_>>(),
        vec![(t(50), t(55))]
    );
    w.update(true, t(100), warmup);
    assert_eq!(w.crossing, Some(t(105)));
    w.update(false, t(101), warmup);
    // At 155, the span ending at 55 is a window old.
    w.update(true, t(155), warmup);
    w.update(false, t(156), warmup);
    assert_eq!(
        w.spans.iter().copied().collect::<Vec<_>>(),
        vec![(t(100), t(101)), (t(155), t(156))]
    );
}

/// The rotation watch on a run with health checks: every span of a dead
/// instance in rotation it sees stays under the checks' bound and fills
/// most of it (the model's lag is a random phase plus two intervals);
/// with the allowance cut to nothing, the first crash breaks it a
/// microsecond in.
#[test]
fn the_rotation_watch_follows_the_model() {
    let ModelSpec::System(spec) = super::super::tests::checked_web() else {
        unreachable!()
    };
    let interval = SimDuration::from_secs(30);
    let horizon = t(SimDuration::from_years(1).as_micros());
    let mut longest = SimDuration::ZERO;
    let mut spans = 0;
    let mut first_down: Option<SimTime> = None;
    let mut violation: Option<SimTime> = None;
    let Check::Rotation(mut watch) = Rotation::check(Some(&spec)) else {
        unreachable!()
    };
    let Check::Rotation(mut strict) = Rotation::check(Some(&spec)) else {
        unreachable!()
    };
    for w in &mut strict.watched {
        w.2 = ROTATION_SLACK;
    }
    let cx = Context {
        spec: &ModelSpec::System(spec.clone()),
        warmup: SimTime::ZERO,
    };
    let mut sim = Simulation::new(SystemModel::new(&spec, 5, 0, SimTime::ZERO));
    let mut before = watch.since.clone();
    sim.run_observed(horizon, &mut |m, now| {
        assert_eq!(watch.confirm(now, false, &cx), None);
        watch.update(m, now, SimTime::ZERO);
        for (b, a) in before.iter().zip(&watch.since) {
            if let (Some(s), None) = (b, a) {
                longest = longest.max(now - *s);
                spans += 1;
            }
        }
        before.clone_from(&watch.since);
        if first_down.is_none() && m.activations().any(|(_, f, _)| f != 1) {
            first_down = Some(now);
        }
        if violation.is_none() {
            violation = strict.confirm(now, false, &cx).map(|(c, _)| c);
            strict.update(m, now, SimTime::ZERO);
        }
    });
    assert!(spans > 100, "{spans}");
    assert!(longest < interval.saturating_mul(3), "{longest}");
    assert!(
        longest > interval.saturating_mul(2) + SimDuration::from_secs(25),
        "{longest}"
    );
    let first_down = first_down.unwrap();
    assert_eq!(violation, Some(first_down + ROTATION_SLACK));
}
