//! The event loop: one k-of-n process with window forcing.
//!
//! The state is which components run, which wait for a crew (FIFO) and
//! which are under repair (a pending completion, ordered by `(time,
//! sequence number)`). Running components have no stored clock: being
//! exponential, their clocks are drawn afresh at the start of every window
//! (see the [module documentation](super)).

use std::collections::VecDeque;

use sim_core::rng::RngStream;
use sim_core::time::{SimDuration, SimTime};

use super::RareError;
use super::spec::Prepared;

/// Microseconds in an hour, as a float.
const US_PER_HOUR: f64 = 3_600_000_000.0;

/// What a component is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Running.
    Up,
    /// Failed, waiting for a crew.
    Waiting,
    /// Failed, under repair.
    Repair,
    /// Failed and never repaired.
    Lost,
}

/// A scheduled repair completion.
#[derive(Clone, Copy, Debug)]
struct Pending {
    at: SimTime,
    seq: u64,
    comp: u32,
}

/// The random streams of one phase of one batch.
#[derive(Debug)]
struct Streams {
    /// Each component's natural failure clock.
    clock: Vec<RngStream>,
    /// Each component's forced (truncated) failure clock.
    forced: Vec<RngStream>,
    /// Each component's repair times.
    repair: Vec<RngStream>,
    /// The forcing coin (the system's).
    coin: RngStream,
    /// The forced component's pick (the system's).
    pick: RngStream,
}

impl Streams {
    fn new(model: &Prepared, seed: u64, batch: u64, phase: &str) -> Streams {
        let per = |purpose: &str| -> Vec<RngStream> {
            let purpose = format!("rare/{phase}/{purpose}");
            model
                .names
                .iter()
                .map(|name| RngStream::new(seed, batch, name, &purpose))
                .collect()
        };
        let sys = |purpose: &str| {
            RngStream::new(
                seed,
                batch,
                &model.system,
                &format!("rare/{phase}/{purpose}"),
            )
        };
        Streams {
            clock: per("clock"),
            forced: per("forced"),
            repair: per("repair"),
            coin: sys("coin"),
            pick: sys("pick"),
        }
    }
}

/// What one cycle or path produced.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Tally {
    /// Hours the system was down (unweighted).
    pub(super) down_hours: f64,
    /// Σ over the windows spent down of `L` at the window's start times the
    /// window's natural expected length (see [`Sim::score_downtime`]).
    pub(super) weighted_down: f64,
    /// System failures (unweighted).
    pub(super) failures: u32,
    /// Σ L at each system failure.
    pub(super) weighted_failures: f64,
    /// `L` at the first system failure; 0 if there was none.
    pub(super) hit_weight: f64,
    /// The time of the first system failure, if any.
    pub(super) hit_at: Option<SimTime>,
    /// When the cycle or path ended (its length: it starts at 0).
    pub(super) end: SimTime,
    /// `ln L` at the end.
    pub(super) log_lr: f64,
    /// Events (failures and repair completions) processed.
    pub(super) events: u64,
    /// Windows in which forcing was possible.
    pub(super) windows: u32,
    /// Σ over those windows of P(forced | what happened).
    pub(super) forced_posterior: f64,
}

impl Tally {
    /// `L` at the end.
    pub(super) fn lr(&self) -> f64 {
        self.log_lr.exp()
    }
}

/// The simulator of one phase of one batch: reused from cycle to cycle.
#[derive(Debug)]
pub(super) struct Sim<'a> {
    model: &'a Prepared,
    streams: Streams,
    /// The forcing probability.
    p: f64,
    /// `−ln(1 − p)`: the log-likelihood factor of a window without failure.
    quiet_log_lr: f64,
    max_events: u64,
    state: Vec<State>,
    up: u32,
    idle: u32,
    queue: VecDeque<u32>,
    pending: Vec<Pending>,
    seq: u64,
    now: SimTime,
    log_lr: f64,
    tally: Tally,
    /// Scratch: the running components and their clocks (hours).
    clocks: Vec<(u32, f64)>,
}

impl<'a> Sim<'a> {
    /// A simulator of `model` for batch `batch` of a run seeded `seed`,
    /// drawing from the streams of `phase`, forcing with probability `p`.
    pub(super) fn new(
        model: &'a Prepared,
        seed: u64,
        batch: u64,
        phase: &str,
        p: f64,
        max_events: u64,
    ) -> Sim<'a> {
        let n = model.n();
        Sim {
            model,
            streams: Streams::new(model, seed, batch, phase),
            p,
            quiet_log_lr: -(-p).ln_1p(),
            max_events,
            state: vec![State::Up; n],
            up: n as u32,
            idle: 0,
            queue: VecDeque::with_capacity(n),
            pending: Vec::with_capacity(n),
            seq: 0,
            now: SimTime::ZERO,
            log_lr: 0.0,
            tally: Tally::default(),
            clocks: Vec::with_capacity(n),
        }
    }

    /// Back to all-up at time 0 with `L = 1`.
    fn reset(&mut self) {
        self.state.fill(State::Up);
        self.up = self.model.n() as u32;
        self.idle = self.model.pool.unwrap_or(u32::MAX);
        self.queue.clear();
        self.pending.clear();
        self.seq = 0;
        self.now = SimTime::ZERO;
        self.log_lr = 0.0;
        self.tally = Tally::default();
    }

    fn system_up(&self) -> bool {
        self.up >= self.model.min_up
    }

    fn check_budget(&self, what: &'static str) -> Result<(), RareError> {
        if self.tally.events > self.max_events {
            return Err(RareError::TooManyEvents {
                what,
                events: self.tally.events,
                bias: self.p,
            });
        }
        Ok(())
    }

    /// One regenerative cycle: a natural first failure from all-up, then
    /// forced windows until all components are up again.
    pub(super) fn cycle(&mut self) -> Result<Tally, RareError> {
        self.reset();
        // The first failure, natural: the smallest of the n clocks.
        let mut first = (0u32, f64::INFINITY);
        for c in 0..self.model.n() {
            let x = natural(&mut self.streams.clock[c], self.model.rates[c]);
            if x < first.1 {
                first = (c as u32, x);
            }
        }
        self.now = SimTime::from_duration(SimDuration::from_hours_f64(first.1));
        self.fail(first.0);
        while self.up < self.model.n() as u32 {
            self.window(SimTime::MAX);
            self.check_budget("cycle")?;
        }
        self.tally.end = self.now;
        self.tally.log_lr = self.log_lr;
        Ok(self.tally)
    }

    /// One transient path from all-up: forced windows (all-up included)
    /// until the first system failure or `horizon`.
    pub(super) fn path(&mut self, horizon: SimTime) -> Result<Tally, RareError> {
        self.reset();
        while self.system_up() && self.now < horizon {
            self.window(horizon);
            self.check_budget("path")?;
        }
        self.tally.end = self.now;
        self.tally.log_lr = self.log_lr;
        Ok(self.tally)
    }

    /// The index in `pending` of the next repair completion.
    fn next_pending(&self) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, e) in self.pending.iter().enumerate() {
            if best.is_none_or(|b| (e.at, e.seq) < (self.pending[b].at, self.pending[b].seq)) {
                best = Some(i);
            }
        }
        best
    }

    /// One window: from now to the next repair completion (or `horizon`).
    fn window(&mut self, horizon: SimTime) {
        let next = self.next_pending();
        let end = match next {
            Some(i) => self.pending[i].at.min(horizon),
            None => horizon,
        };
        debug_assert!(end != SimTime::MAX, "a window with no end");
        let w_us = (end - self.now).as_micros();
        if !self.system_up() {
            self.score_downtime(w_us);
        }
        if self.up > 0
            && w_us > 0
            && let Some((comp, at)) = self.draw_window(w_us)
        {
            self.advance(at);
            self.fail(comp);
            return;
        }
        self.advance(end);
        if let Some(i) = next
            && self.pending[i].at == end
        {
            let done = self.pending.swap_remove(i);
            self.complete(done.comp);
        }
    }

    /// Draws the clocks of a window of `w_us` µs (forcing with probability
    /// `p`), applies the window's likelihood factor and returns the failure
    /// inside it, if any.
    fn draw_window(&mut self, w_us: u64) -> Option<(u32, SimTime)> {
        let w = w_us as f64 / US_PER_HOUR;
        let p = self.p;
        self.tally.windows += 1;
        self.clocks.clear();
        for c in 0..self.state.len() {
            if self.state[c] == State::Up {
                self.clocks.push((c as u32, 0.0));
            }
        }
        let m = self.clocks.len();
        let forced = if p > 0.0 && self.streams.coin.open01() < p {
            Some(self.streams.pick.below(m as u64) as usize)
        } else {
            None
        };
        let mut first = (usize::MAX, f64::INFINITY);
        for k in 0..m {
            let c = self.clocks[k].0 as usize;
            let rate = self.model.rates[c];
            let x = if forced == Some(k) {
                truncated(&mut self.streams.forced[c], rate, w)
            } else {
                natural(&mut self.streams.clock[c], rate)
            };
            self.clocks[k].1 = x;
            if x < first.1 {
                first = (k, x);
            }
        }
        if first.1 >= w {
            // Nothing fails: natural probability P, biased (1 − p)·P.
            self.log_lr += self.quiet_log_lr;
            return None;
        }
        let (k, s) = first;
        if p > 0.0 {
            let mut sum = 0.0;
            for (j, &(c, _)) in self.clocks.iter().enumerate() {
                let rate = self.model.rates[c as usize];
                let whole = -(-rate * w).exp_m1();
                sum += if j == k {
                    1.0 / whole
                } else {
                    -(-rate * (w - s)).exp_m1() / whole
                };
            }
            let q_over_f = (1.0 - p) + p / m as f64 * sum;
            self.log_lr -= q_over_f.ln();
            self.tally.forced_posterior += 1.0 - (1.0 - p) / q_over_f;
        }
        let offset = ((s * US_PER_HOUR).round() as u64).min(w_us - 1);
        Some((
            self.clocks[k].0,
            self.now + SimDuration::from_micros(offset),
        ))
    }

    /// Scores the downtime of a window that starts with the system down:
    /// `L` (before the window) times the window's natural expected length
    /// `E[min(T, w)] = (1 − e^{−Λw})/Λ`, where `T` is the first failure of
    /// the `Λ`-rate running components (the window ends at `T` or `w`, and
    /// the system is down throughout). This is the conditional expectation
    /// of the downtime given the window's start, so the sum stays unbiased
    /// (the discrete-time conversion of Goyal et al.), and it does not carry
    /// the window's own likelihood factor.
    fn score_downtime(&mut self, w_us: u64) {
        let w = w_us as f64 / US_PER_HOUR;
        let rate: f64 = (0..self.state.len())
            .filter(|&c| self.state[c] == State::Up)
            .map(|c| self.model.rates[c])
            .sum();
        let expected = if rate * w > 0.0 {
            -(-rate * w).exp_m1() / rate
        } else {
            w
        };
        self.tally.weighted_down += self.log_lr.exp() * expected;
    }

    /// Moves the clock to `to`, counting the (unweighted) downtime in
    /// between.
    fn advance(&mut self, to: SimTime) {
        if !self.system_up() {
            self.tally.down_hours += (to - self.now).as_hours_f64();
        }
        self.now = to;
    }

    fn start_repair(&mut self, c: u32) {
        if let Some(law) = &self.model.repairs[c as usize] {
            let d = law.sample(&mut self.streams.repair[c as usize]);
            self.state[c as usize] = State::Repair;
            self.pending.push(Pending {
                at: self.now + d,
                seq: self.seq,
                comp: c,
            });
            self.seq += 1;
        }
    }

    /// Component `c` fails now.
    fn fail(&mut self, c: u32) {
        self.tally.events += 1;
        let was_up = self.system_up();
        self.up -= 1;
        if self.model.repairs[c as usize].is_none() {
            self.state[c as usize] = State::Lost;
        } else if self.idle > 0 {
            if self.model.pool.is_some() {
                self.idle -= 1;
            }
            self.start_repair(c);
        } else {
            self.state[c as usize] = State::Waiting;
            self.queue.push_back(c);
        }
        if was_up && !self.system_up() {
            let l = self.log_lr.exp();
            self.tally.failures += 1;
            self.tally.weighted_failures += l;
            if self.tally.hit_at.is_none() {
                self.tally.hit_at = Some(self.now);
                self.tally.hit_weight = l;
            }
        }
    }

    /// Component `c`'s repair is done now.
    fn complete(&mut self, c: u32) {
        self.tally.events += 1;
        self.state[c as usize] = State::Up;
        self.up += 1;
        if self.model.pool.is_some() {
            match self.queue.pop_front() {
                Some(next) => self.start_repair(next),
                None => self.idle += 1,
            }
        }
    }
}

/// A natural exponential clock, in hours, by inversion.
#[inline]
fn natural(rng: &mut RngStream, rate: f64) -> f64 {
    -rng.open01().ln() / rate
}

/// An exponential clock truncated to `[0, w)` hours, by inversion.
#[inline]
fn truncated(rng: &mut RngStream, rate: f64, w: f64) -> f64 {
    let mass = -(-rate * w).exp_m1();
    let x = -(-rng.open01() * mass).ln_1p() / rate;
    x.min(w * (1.0 - f64::EPSILON))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_clocks_stay_in_the_window_and_follow_the_law() {
        let mut rng = RngStream::new(1, 0, "x", "y");
        let (rate, w) = (0.5, 3.0);
        let n = 200_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let x = truncated(&mut rng, rate, w);
            assert!((0.0..w).contains(&x));
            sum += x;
        }
        // Mean of Exp(λ) truncated to [0, w): 1/λ − w e^{−λw} / (1 − e^{−λw}).
        let exact = 1.0 / rate - w * (-rate * w).exp() / (1.0 - (-rate * w).exp());
        let mean = sum / n as f64;
        assert!((mean - exact).abs() < 0.01, "{mean} vs {exact}");
    }
}
