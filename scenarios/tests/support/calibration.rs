//! The calibration harness: how often nines' 95% intervals cover the exact
//! answer, over many independent seeds, at the replication counts users
//! run.
//!
//! Each case is a system with an exact answer (from
//! `validation/analytic-cases.json`): a 1-of-2 pair (V04a), 2-of-3 with
//! dedicated repair (V05) and an active-standby pair with imperfect
//! failover coverage (V07), each over one year from all up, as users run
//! them. For every seed, a run of R replications gives an interval for
//! availability, downtime and incidents; the harness counts how often each
//! covers the exact value, and splits the misses: optimistic (the interval
//! promises more availability, less downtime or fewer incidents than the
//! truth) and pessimistic.
//!
//! Two interval methods are measured side by side: `nines`, what nines
//! reports (the union of the outage view's and the replication view's
//! gamma intervals, see `models::summary::intervals`), and `student-t`
//! over replications, the textbook interval, for reference.

use std::sync::atomic::{AtomicU64, Ordering};

use models::replicate::{Horizon, simulate};
use models::summary::Summary;
use sim_core::stats::{CONFIDENCE_95, Estimate};

/// A system with exact answers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Case {
    /// Its id in the validation file.
    pub(crate) id: &'static str,
    /// What it is, in a few words.
    pub(crate) title: &'static str,
    /// The scenario, without its `[simulation]` table.
    pub(crate) text: &'static str,
    /// The exact steady-state availability.
    pub(crate) availability: f64,
    /// The exact downtime, minutes per year.
    pub(crate) downtime: f64,
    /// The exact outage rate per year, where known.
    pub(crate) incidents: Option<f64>,
}

/// The three cases of the harness.
pub(crate) const CASES: [Case; 3] = [
    Case {
        id: "V04a",
        title: "1-of-2 pair, own crews",
        text: r#"
[scenario]
name = "V04a"
[[component]]
name = "unit"
count = 2
failure = "exponential(mean = 1000h)"
repair = "exponential(mean = 10h)"
[service]
min_up = 1
"#,
        availability: 10200.0 / 10201.0,
        downtime: 525600.0 / 10201.0,
        incidents: Some(1752.0 / 10201.0),
    },
    Case {
        id: "V05",
        title: "2-of-3, own crews",
        text: r#"
[scenario]
name = "V05"
[[component]]
name = "unit"
count = 3
failure = "exponential(mean = 1000h)"
repair = "exponential(mean = 10h)"
[service]
min_up = 2
"#,
        availability: 0.9997078523654738,
        downtime: 153.55279670698175,
        incidents: Some(0.51014218175077),
    },
    Case {
        id: "V07",
        title: "active-standby, coverage 0.9",
        text: r#"
[scenario]
name = "V07"
[[region]]
name = "r"
[[zone]]
name = "z"
region = "r"
hosts_per_rack = 2
[[service]]
name = "pair"
instances = 2
min_healthy = 1
failover = { duration = "exponential(mean = 3m)", coverage = 0.9, manual = "exponential(mean = 1h)" }
[entry]
service = "pair"
from = "r"
[[fault]]
kind = "host-crash"
targets = "all"
every = "exponential(mean = 1000h)"
repair = "exponential(mean = 10h)"
"#,
        availability: 0.9997599200351542,
        downtime: 126.18602952295485,
        incidents: None,
    },
];

/// An interval method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    /// What nines reports: `models::summary::intervals`.
    Nines,
    /// Student-t over replications.
    StudentT,
}

impl Method {
    /// Both methods, nines' first.
    pub(crate) const ALL: [Method; 2] = [Method::Nines, Method::StudentT];

    /// Its name in the harness's table.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Method::Nines => "nines",
            Method::StudentT => "student-t",
        }
    }
}

/// How often one measure's intervals covered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Coverage {
    /// Runs.
    pub(crate) runs: u64,
    /// Runs whose interval held the exact value.
    pub(crate) covered: u64,
    /// Misses that promised better than the truth.
    pub(crate) optimistic: u64,
    /// Misses that promised worse.
    pub(crate) pessimistic: u64,
}

impl Coverage {
    /// The share of runs covered.
    pub(crate) fn share(&self) -> f64 {
        self.covered as f64 / self.runs.max(1) as f64
    }

    /// The binomial standard error of [`Coverage::share`] at the nominal
    /// 95%: the band a calibrated interval stays in.
    pub(crate) fn nominal_std_error(&self) -> f64 {
        (0.95 * 0.05 / self.runs.max(1) as f64).sqrt()
    }

    /// The binomial standard error of the observed share.
    pub(crate) fn std_error(&self) -> f64 {
        let p = self.share();
        (p * (1.0 - p) / self.runs.max(1) as f64).sqrt()
    }

    fn count(&mut self, low: f64, high: f64, truth: f64, higher_is_better: bool) {
        self.runs += 1;
        if low <= truth && truth <= high {
            self.covered += 1;
        } else if (low > truth) == higher_is_better {
            self.optimistic += 1;
        } else {
            self.pessimistic += 1;
        }
    }
}

/// Coverage of availability, downtime and incidents (absent where the
/// case has no exact rate).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Row {
    /// Availability.
    pub(crate) availability: Coverage,
    /// Downtime, minutes per year.
    pub(crate) downtime: Coverage,
    /// Incidents per year.
    pub(crate) incidents: Option<Coverage>,
}

/// One run of `replications` replications of `case` under `seed`, one
/// year each from all up.
pub(crate) fn run(case: &Case, seed: u64, replications: u64) -> Summary {
    let text = format!(
        "{}\n[simulation]\nhorizon = \"1y\"\nreplications = {replications}\nseed = {seed}\n",
        case.text
    );
    let scenario = scenarios::parse(&text, case.id).expect("a valid calibration case");
    let sim = &scenario.simulation;
    let horizon = Horizon::new(sim.horizon, sim.warmup);
    let mut summary = Summary::new();
    for r in 0..replications {
        summary.push(&simulate(&scenario.model, seed, r, horizon, None));
    }
    summary.finish();
    summary
}

/// The three intervals of `s` by `method`, as `(low, high)` each; a run
/// with no outage gives nines' one-sided bounds for both methods.
fn intervals(s: &Summary, method: Method) -> [(f64, f64); 3] {
    let pair = |e: Option<Estimate>| e.map_or((0.0, f64::INFINITY), |e| (e.ci_low, e.ci_high));
    let c = CONFIDENCE_95;
    if s.incidents == 0 {
        // Nothing seen: 1 − a bound, 0 to a bound.
        let hi = s.incident_rate_upper_bound(c);
        let d = s.downtime_upper_bound(c, 10.0);
        return [(1.0 - d / 525600.0, 1.0), (0.0, d), (0.0, hi)];
    }
    match method {
        Method::Nines => [
            pair(s.availability_interval(c)),
            pair(s.downtime_interval(c)),
            pair(s.incidents_interval(c)),
        ],
        Method::StudentT => [
            pair(Summary::estimate(&s.availability, c)),
            pair(Summary::estimate(&s.downtime_minutes_per_year, c)),
            pair(Summary::estimate(&s.incidents_per_year, c)),
        ],
    }
}

/// Coverage of `case` at `replications` replications over the seeds
/// `seeds`, for each method (in [`Method::ALL`]'s order), on `threads`
/// threads (the counts do not depend on their number).
pub(crate) fn calibrate(
    case: &Case,
    replications: u64,
    seeds: std::ops::Range<u64>,
    threads: usize,
) -> [Row; 2] {
    let mut total = [Row::default(); 2];
    for row in &mut total {
        row.incidents = case.incidents.map(|_| Coverage::default());
    }
    for s in over_seeds(seeds, threads, |seed| run(case, seed, replications)) {
        for (row, method) in total.iter_mut().zip(Method::ALL) {
            let [a, d, i] = intervals(&s, method);
            row.availability.count(a.0, a.1, case.availability, true);
            row.downtime.count(d.0, d.1, case.downtime, false);
            if let (Some(c), Some(truth)) = (&mut row.incidents, case.incidents) {
                c.count(i.0, i.1, truth, false);
            }
        }
    }
    total
}

/// `each(seed)` for every seed of `seeds`, on `threads` threads, in seed
/// order (whatever order the threads finish in).
fn over_seeds<T: Send>(
    seeds: std::ops::Range<u64>,
    threads: usize,
    each: impl Fn(u64) -> T + Sync,
) -> Vec<T> {
    let next = AtomicU64::new(seeds.start);
    let mut all: Vec<(u64, T)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut part = Vec::new();
                    loop {
                        let seed = next.fetch_add(1, Ordering::Relaxed);
                        if seed >= seeds.end {
                            break part;
                        }
                        part.push((seed, each(seed)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a calibration worker"))
            .collect()
    });
    all.sort_by_key(|&(seed, _)| seed);
    all.into_iter().map(|(_, t)| t).collect()
}

/// The scenario of `case` under `seed`, two replications of one year.
fn scenario_of(case: &Case, seed: u64) -> scenarios::Scenario {
    let text = format!(
        "{}\n[simulation]\nhorizon = \"1y\"\nreplications = 2\nseed = {seed}\n",
        case.text
    );
    scenarios::parse(&text, case.id).expect("a valid case")
}

/// A coverage as the harness prints it: `94.1% ±0.7 (opt 3.9, pess 2.0)`.
pub(crate) fn cell(c: &Coverage) -> String {
    format!(
        "{:5.1}% ±{:.1} (opt {:.1}, pess {:.1})",
        100.0 * c.share(),
        196.0 * c.std_error(),
        100.0 * c.optimistic as f64 / c.runs.max(1) as f64,
        100.0 * c.pessimistic as f64 / c.runs.max(1) as f64,
    )
}

/// Windows a batch-means run is read in, as `nines run --method
/// batch-means` reads it.
const WINDOWS: u64 = 2560;

/// How often `nines run --method batch-means` covers `case`'s exact
/// availability (as downtime: the two cover alike; a run without outages
/// gives nines' one-sided bound), for runs as long as
/// `replications` years, over `seeds`; and the mean relative error of its
/// downtime estimate against the exact value (its bias), over the seeds.
pub(crate) fn calibrate_batch_means(
    case: &Case,
    replications: u64,
    seeds: std::ops::Range<u64>,
    threads: usize,
) -> (Coverage, sim_core::stats::Welford) {
    use models::batch_means::BatchEstimates;
    use models::windows::simulate_windows;
    use sim_core::stats::Welford;
    use sim_core::time::SimDuration;

    let one = |seed: u64| {
        let scenario = scenario_of(case, seed);
        let length =
            SimDuration::from_micros(scenario.simulation.horizon.as_micros() * replications);
        let horizon = Horizon::new(length, scenario.simulation.warmup);
        let run = simulate_windows(&scenario.model, seed, 0, horizon, WINDOWS, &mut |_| true)
            .expect("a windowed run");
        let repair = scenario.model.longest_mean_repair_hours();
        let b = BatchEstimates::analyse(&run, repair, replications).expect("batches");
        let (lo, hi) = if b.outages == 0 {
            // Nothing seen: the bound nines reports.
            let years =
                b.batches.batches() as f64 * b.batches.batch_size as f64 * b.window_hours / 8760.0;
            let rate = sim_core::stats::zero_event_upper_bound(years, CONFIDENCE_95);
            (0.0, rate * repair * 60.0)
        } else {
            b.downtime(CONFIDENCE_95)
                .map_or((0.0, f64::INFINITY), |e| (e.ci_low, e.ci_high))
        };
        (lo, hi, b.downtime.mean())
    };
    let mut total = Coverage::default();
    let mut bias = Welford::new();
    for (lo, hi, mean) in over_seeds(seeds, threads, one) {
        total.count(lo, hi, case.downtime, false);
        bias.push(mean / case.downtime - 1.0);
    }
    (total, bias)
}

/// How `nines run --precision` fares on one case: coverage of the
/// downtime interval it stops with, the mean relative error of its
/// estimate (the stopping rule's bias) and the replications it took.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Stopped {
    /// Coverage of the exact downtime by the interval at the stop.
    pub(crate) coverage: Coverage,
    /// The estimate's relative error against the exact value, per seed.
    pub(crate) error: sim_core::stats::Welford,
    /// Replications at the stop, per seed.
    pub(crate) replications: sim_core::stats::Welford,
    /// Seeds whose run reached the target before the cap.
    pub(crate) reached: u64,
}

/// The schedule `nines run --precision` decides on: 100 replications,
/// then doubling, up to this cap.
const PRECISION_CAP: u64 = 100_000;

/// [`Stopped`] for `case` with a relative `target` on downtime's 95%
/// interval (0.10 for `--precision 10%`), over `seeds`: each run adds
/// replications on nines' schedule and stops as nines does, when the
/// interval the report shows lies within the target on both sides of the
/// mean.
pub(crate) fn calibrate_precision(
    case: &Case,
    target: f64,
    seeds: std::ops::Range<u64>,
    threads: usize,
) -> Stopped {
    use sim_core::stats::precision::{Precision, Schedule};

    let one = |seed: u64| {
        let scenario = scenario_of(case, seed);
        let sim = &scenario.simulation;
        let horizon = Horizon::new(sim.horizon, sim.warmup);
        let mut summary = Summary::new();
        let (mut done, mut stop, mut reached) = (0, None, false);
        for total in Schedule::new(100, PRECISION_CAP) {
            for r in done..total {
                summary.push(&simulate(&scenario.model, seed, r, horizon, None));
            }
            done = total;
            if let Some(d) = summary.downtime_interval(CONFIDENCE_95) {
                let half = (d.ci_high - d.mean).max(d.mean - d.ci_low);
                stop = Some(d);
                if Precision::Relative(target).is_met(half, d.mean) {
                    reached = true;
                    break;
                }
            }
        }
        (stop, done, reached)
    };
    let mut total = Stopped::default();
    for (stop, done, reached) in over_seeds(seeds, threads, one) {
        let (lo, hi, mean) =
            stop.map_or((0.0, f64::INFINITY, 0.0), |d| (d.ci_low, d.ci_high, d.mean));
        total.coverage.count(lo, hi, case.downtime, false);
        total.error.push(mean / case.downtime - 1.0);
        total.replications.push(done as f64);
        total.reached += u64::from(reached);
    }
    total
}
