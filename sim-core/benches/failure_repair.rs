//! The "failure-repair" reference workload of the design notes, run through
//! the engine and, in the same process, through the simplest loop that could
//! possibly be fast: a `BinaryHeap<(time, seq, event)>` with one ChaCha RNG.
//!
//! 999 components in 333 groups of three consecutive ids; each alternates
//! Exp(mean 1000 h) up and Exp(mean 10 h) repair with its own repairer; a
//! group is up while at least 2 of its 3 are. Over 5,000,000 h that is about
//! 9.9 million events. The exact time-average fraction of groups up is
//! 3a^2 - 2a^3 = 0.999707852 with a = 1000/1010; every variant prints its
//! estimate so a fast but wrong loop shows.
//!
//! Prints events per second for each variant (median of several runs, taken
//! in alternation so machine noise hits all alike), the engine's ratio to
//! the reference, and peak memory for a 10x longer horizon.
//!
//! Run: `cargo bench -p sim-core --bench failure_repair`.
//! Environment: `NINES_BENCH_RUNS` (default 5) and `NINES_BENCH_HOURS`
//! (default 5000000) change the number of runs and the horizon.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use rand::SeedableRng;
use rand::distr::Distribution;
use rand_chacha::ChaCha8Rng;
use rand_distr::Exp;
use sim_core::dist::Dist;
use sim_core::engine::{Model, Scheduler, Simulation, TraceEvent};
use sim_core::rng::RngStream;
use sim_core::time::{SimDuration, SimTime};

const COMPONENTS: usize = 999;
const MTTF_H: f64 = 1000.0;
const MTTR_H: f64 = 10.0;
const US_PER_H: f64 = 3.6e9;

fn exact() -> f64 {
    let a = MTTF_H / (MTTF_H + MTTR_H);
    3.0 * a * a - 2.0 * a * a * a
}

/// Integrates the number of groups up over time, in integer microseconds.
struct GroupsUp {
    down_in_group: Vec<u8>,
    groups_up: u64,
    last_us: u64,
    integral: u128,
}

impl GroupsUp {
    fn new() -> Self {
        GroupsUp {
            down_in_group: vec![0; COMPONENTS / 3],
            groups_up: (COMPONENTS / 3) as u64,
            last_us: 0,
            integral: 0,
        }
    }
    #[inline(always)]
    fn advance(&mut self, now_us: u64) {
        self.integral += (self.groups_up as u128) * ((now_us - self.last_us) as u128);
        self.last_us = now_us;
    }
    #[inline(always)]
    fn change(&mut self, now_us: u64, component: usize, failed: bool) {
        self.advance(now_us);
        let g = component / 3;
        let before = self.down_in_group[g] < 2;
        if failed {
            self.down_in_group[g] += 1;
        } else {
            self.down_in_group[g] -= 1;
        }
        let after = self.down_in_group[g] < 2;
        if before && !after {
            self.groups_up -= 1;
        } else if !before && after {
            self.groups_up += 1;
        }
    }
    fn fraction(&mut self, end_us: u64) -> f64 {
        self.advance(end_us);
        self.integral as f64 / (end_us as f64 * (COMPONENTS / 3) as f64)
    }
}

// ---------------------------------------------------------------- reference

/// The hand-written reference loop.
fn reference(horizon_h: f64) -> (u64, f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let fail = Exp::new(1.0 / MTTF_H).unwrap();
    let repair = Exp::new(1.0 / MTTR_H).unwrap();
    let end_us = (horizon_h * US_PER_H) as u64;
    let mut heap: BinaryHeap<Reverse<(u64, u64, u32, bool)>> = BinaryHeap::new();
    let mut seq = 0u64;
    for c in 0..COMPONENTS as u32 {
        let t = (fail.sample(&mut rng) * US_PER_H).round() as u64;
        heap.push(Reverse((t, seq, c, true)));
        seq += 1;
    }
    let mut groups = GroupsUp::new();
    let mut events = 0u64;
    while let Some(Reverse((t, _, c, is_failure))) = heap.pop() {
        if t >= end_us {
            break;
        }
        events += 1;
        groups.change(t, c as usize, is_failure);
        let next = if is_failure {
            repair.sample(&mut rng)
        } else {
            fail.sample(&mut rng)
        };
        let nt = t + (next * US_PER_H).round() as u64;
        heap.push(Reverse((nt, seq, c, !is_failure)));
        seq += 1;
    }
    (events, groups.fraction(end_us))
}

// ------------------------------------------------------------------- engine

#[derive(Clone, Copy, Debug)]
enum Ev {
    Fail(u32),
    Repaired(u32),
}

impl TraceEvent for Ev {
    fn kind_code(&self) -> u32 {
        match self {
            Ev::Fail(_) => 1,
            Ev::Repaired(_) => 2,
        }
    }
    fn kind_name(&self) -> &'static str {
        match self {
            Ev::Fail(_) => "fail",
            Ev::Repaired(_) => "repaired",
        }
    }
    fn entity(&self) -> u32 {
        match self {
            Ev::Fail(c) | Ev::Repaired(c) => *c,
        }
    }
}

/// The same system as a nines model: one named RNG stream per component and
/// purpose, distributions from `sim_core::dist`, the engine's queue and
/// trace hash.
struct Cluster {
    fail: Dist,
    repair: Dist,
    fail_rng: Vec<RngStream>,
    repair_rng: Vec<RngStream>,
    groups: GroupsUp,
}

impl Cluster {
    fn new() -> Self {
        Cluster {
            fail: Dist::exponential_mean(SimDuration::from_hours(1000)).unwrap(),
            repair: Dist::exponential_mean(SimDuration::from_hours(10)).unwrap(),
            fail_rng: (0..COMPONENTS)
                .map(|c| RngStream::new(1, 0, &format!("c{c}"), "failure"))
                .collect(),
            repair_rng: (0..COMPONENTS)
                .map(|c| RngStream::new(1, 0, &format!("c{c}"), "repair"))
                .collect(),
            groups: GroupsUp::new(),
        }
    }
}

impl Model for Cluster {
    type Event = Ev;
    fn start(&mut self, s: &mut Scheduler<Ev>) {
        for c in 0..COMPONENTS {
            let d = self.fail.sample(&mut self.fail_rng[c]);
            s.schedule_after(d, Ev::Fail(c as u32));
        }
    }
    #[inline]
    fn handle(&mut self, e: Ev, s: &mut Scheduler<Ev>) {
        let now = s.now().as_micros();
        match e {
            Ev::Fail(c) => {
                self.groups.change(now, c as usize, true);
                let d = self.repair.sample(&mut self.repair_rng[c as usize]);
                s.schedule_after(d, Ev::Repaired(c));
            }
            Ev::Repaired(c) => {
                self.groups.change(now, c as usize, false);
                let d = self.fail.sample(&mut self.fail_rng[c as usize]);
                s.schedule_after(d, Ev::Fail(c));
            }
        }
    }
}

fn engine(horizon_h: f64) -> (u64, f64) {
    let end = SimTime::from_duration(SimDuration::from_hours_f64(horizon_h));
    let mut sim = Simulation::new(Cluster::new());
    let out = sim.run_until(end);
    let mut model = sim.into_model();
    (out.events, model.groups.fraction(end.as_micros()))
}

// ------------------------------------------------------------------- driver

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn env_or(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo test --benches` passes `--bench`-less args; run a tiny horizon then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runs = if quick {
        1
    } else {
        env_or("NINES_BENCH_RUNS", 5.0) as usize
    };
    let hours = if quick {
        50_000.0
    } else {
        env_or("NINES_BENCH_HOURS", 5e6)
    };

    type Variant = (&'static str, fn(f64) -> (u64, f64));
    let variants: [Variant; 2] = [("reference", reference), ("engine", engine)];
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    let mut results = vec![(0u64, 0.0f64); variants.len()];
    for _ in 0..runs {
        for (i, (_, f)) in variants.iter().enumerate() {
            let start = Instant::now();
            let (events, fraction) = f(hours);
            let secs = start.elapsed().as_secs_f64();
            rates[i].push(events as f64 / secs);
            results[i] = (events, fraction);
        }
    }
    println!(
        "failure-repair: 999 components, 333 groups of 2-of-3, horizon {hours} h, {runs} runs each"
    );
    println!("exact fraction of groups up: {:.9}", exact());
    let mut medians = Vec::new();
    for (i, (name, _)) in variants.iter().enumerate() {
        let m = median(rates[i].clone());
        medians.push(m);
        println!(
            "{name:>10}: {:>6.2} M events/s (median), {} events, fraction up {:.9} (error {:+.2e})",
            m / 1e6,
            results[i].0,
            results[i].1,
            results[i].1 - exact()
        );
    }
    println!(
        "engine / reference: {:.1}% of the reference's events per second",
        100.0 * medians[1] / medians[0]
    );

    let before = peak_rss_kib();
    let _ = engine(hours * 10.0);
    let after = peak_rss_kib();
    if let (Some(b), Some(a)) = (before, after) {
        println!(
            "peak memory: {b} KiB after the runs above, {a} KiB after one engine run 10x longer ({} h)",
            hours * 10.0
        );
    }
}
