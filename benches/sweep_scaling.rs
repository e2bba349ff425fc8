//! Sweep throughput against the thread count, and memory against the
//! number of points, measured on the built `nines` binary.
//!
//! 1. The target: a sweep of 20 points x 100 replications
//!    (`web-replicas-sweep` with `--sweep service.web.instances=2..6
//!    --sweep simulation.seed=1..4`: 5 x 4 points, one year each) with
//!    `--threads 1` and `--threads 2`. The reference is the same sweep on
//!    one thread, in the same run: the issue asks for at least 1.7x with 2
//!    threads on a 2-core machine. Also the fixed cost of the sweep (start-up,
//!    every point built, the results written), extrapolated from the same
//!    sweep with 2 replications per point, which bounds the speed-up
//!    (Amdahl).
//! 2. `nines run multi-az --replications 200 --horizon 1y` with 1 and 2
//!    threads: replications per second.
//! 3. Peak memory (maximum resident set of the `nines` process) of the
//!    20-point sweep and of a 1000-point sweep (`--sweep
//!    simulation.seed=1..200`), 10 replications per point, from
//!    `/usr/bin/time -f %M` when it exists, else from the child's `VmHWM`
//!    in `/proc`, polled while it runs.
//!
//! Each time is the median of several runs, the thread counts taken in
//! alternation so that machine noise hits both alike; every run is a whole
//! process, start-up included, as a user runs it. Before timing, the
//! results of both thread counts are checked to be the same bytes. The
//! load average is printed first: other processes on the machine take cores
//! from the 2-thread runs and lower the ratio.
//!
//! Run: `cargo bench --bench sweep_scaling`. Environment:
//! `NINES_BENCH_RUNS` (default 5) changes the number of runs;
//! `NINES_BENCH_REPLICATIONS` (default 100) the replications per point of
//! the 20-point sweep. `cargo test --benches` runs it once at a tiny scale.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The built binary.
const NINES: &str = env!("CARGO_BIN_EXE_nines");

/// The 20-point sweep: 5 server counts x 4 seeds.
const SWEEP_20: &[&str] = &[
    "sweep",
    "web-replicas-sweep",
    "--sweep",
    "service.web.instances=2..6",
    "--sweep",
    "simulation.seed=1..4",
];

/// The 1000-point sweep: 5 server counts x 200 seeds.
const SWEEP_1000: &[&str] = &[
    "sweep",
    "web-replicas-sweep",
    "--sweep",
    "service.web.instances=2..6",
    "--sweep",
    "simulation.seed=1..200",
];

fn main() {
    // `cargo test --benches` runs this without `--bench`: a tiny run then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runs = if quick {
        1
    } else {
        env_or("NINES_BENCH_RUNS", 5)
    };
    let replications = if quick {
        4
    } else {
        env_or("NINES_BENCH_REPLICATIONS", 100)
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "sweep scaling: {cores} cores, load average {} before the runs",
        load_average()
    );

    // 1. The 20-point sweep, 1 and 2 threads.
    let r = replications.to_string();
    let sweep = |threads: &str, reps: &str| -> Vec<String> {
        let mut args = strings(SWEEP_20);
        args.extend(strings(&[
            "--replications",
            reps,
            "--threads",
            threads,
            "-q",
        ]));
        args
    };
    let json_1 = json_of(&sweep("1", &r));
    let json_2 = json_of(&sweep("2", &r));
    let points = json_1.matches("\"pareto\"").count();
    assert_eq!(points, 20, "the sweep should have 20 points");
    assert!(json_1 == json_2, "1 and 2 threads gave different results");
    let samples = alternate(runs, &[sweep("1", &r), sweep("2", &r)]);
    let simulations = points * replications;
    println!(
        "sweep, {points} points x {replications} replications of 1y ({simulations} simulations), median of {runs} runs:"
    );
    let (one, two) = report_threads(&samples, simulations);
    println!(
        "  2 threads / 1 thread: {:.2}x faster (the issue asks for >= 1.7x)",
        one.wall / two.wall
    );
    if let (Some(c1), Some(c2)) = (one.cpu, two.cpu) {
        println!(
            "  CPU time 2 threads / 1 thread: {:.2}x (the work itself); cores the 2-thread run got: {:.2} of {cores}",
            c2 / c1,
            c2 / two.wall
        );
    }
    // Time is about fixed + replications x per-replication on one thread:
    // two replication counts give the fixed part.
    let small = alternate(runs, &[sweep("1", "2")]);
    let small = Sample::median(&small[0]).wall;
    let rr = replications as f64;
    let fixed = ((small * rr - one.wall * 2.0) / (rr - 2.0)).max(0.0);
    let serial_share = fixed / one.wall;
    println!(
        "  fixed cost (start-up, points built, results written; extrapolated from 2 and {replications} replications per point): {fixed:.3} s, {:.1}% of the 1-thread time, which caps 2 threads at {:.2}x",
        100.0 * serial_share,
        1.0 / (serial_share + (1.0 - serial_share) / 2.0)
    );

    // 2. multi-az, one year, 1 and 2 threads.
    let multi_az_reps = if quick { 4 } else { 200 };
    let m = multi_az_reps.to_string();
    let run = |threads: &str| -> Vec<String> {
        strings(&[
            "run",
            "multi-az",
            "--replications",
            &m,
            "--horizon",
            "1y",
            "--threads",
            threads,
            "-q",
        ])
    };
    let samples = alternate(runs, &[run("1"), run("2")]);
    println!("multi-az, {multi_az_reps} replications of 1y, median of {runs} runs:");
    let (one, two) = report_threads(&samples, multi_az_reps);
    println!("  2 threads / 1 thread: {:.2}x faster", one.wall / two.wall);

    // 3. Peak memory against the number of points.
    let memory_reps = if quick { "2" } else { "10" };
    for (label, base) in [("20 points", SWEEP_20), ("1000 points", SWEEP_1000)] {
        if quick && label == "1000 points" {
            continue;
        }
        let mut args = strings(base);
        args.extend(strings(&["--replications", memory_reps, "-q"]));
        let peak = peak_rss_kib(&args).map_or("n/a".to_string(), |(kib, how)| {
            format!("{kib} KiB ({:.1} MiB, {how})", kib as f64 / 1024.0)
        });
        println!("peak memory, sweep of {label} x {memory_reps} replications: {peak}");
    }
}

/// Prints the 1- and 2-thread lines of `samples` (the runs of each) for
/// `simulations` replications in all; returns their medians.
fn report_threads(samples: &[Vec<Sample>], simulations: usize) -> (Sample, Sample) {
    let medians: Vec<Sample> = samples.iter().map(|s| Sample::median(s)).collect();
    for (threads, m) in [1, 2].iter().zip(&medians) {
        let cpu = m.cpu.map_or(String::new(), |c| {
            format!(", {c:.3} s CPU ({:.2} cores busy)", c / m.wall)
        });
        let preempted = m
            .preempted
            .map_or(String::new(), |n| format!(", preempted {n:.0} times"));
        println!(
            "  --threads {threads}: {:>7.3} s, {:>7.0} replications/s{cpu}{preempted}",
            m.wall,
            simulations as f64 / m.wall
        );
    }
    (medians[0], medians[1])
}

/// One timed run: wall seconds, and, through `/usr/bin/time` when it
/// exists, CPU seconds (user + system) and involuntary context switches
/// (the times another process took the core).
#[derive(Clone, Copy, Debug)]
struct Sample {
    wall: f64,
    cpu: Option<f64>,
    preempted: Option<f64>,
}

impl Sample {
    /// Each figure's median over `samples`.
    fn median(samples: &[Sample]) -> Sample {
        let of = |f: fn(&Sample) -> Option<f64>| -> Option<f64> {
            let xs: Option<Vec<f64>> = samples.iter().map(f).collect();
            xs.map(|xs| median(&xs))
        };
        Sample {
            wall: median(&samples.iter().map(|s| s.wall).collect::<Vec<_>>()),
            cpu: of(|s| s.cpu),
            preempted: of(|s| s.preempted),
        }
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// Runs `nines args` once, checking that it succeeds.
fn time(args: &[String]) -> Sample {
    let gnu_time = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("nines-bench-time-{}", std::process::id()));
    let mut command = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.args(["-f", "%U %S %c", "-o"]).arg(&report).arg(NINES);
        c
    } else {
        Command::new(NINES)
    };
    let start = Instant::now();
    let status = command
        .args(args)
        .stdout(Stdio::null())
        .status()
        .expect("the nines binary runs");
    let wall = start.elapsed().as_secs_f64();
    assert!(status.success(), "nines {} failed", args.join(" "));
    let text = std::fs::read_to_string(&report).ok();
    let _ = std::fs::remove_file(&report);
    let figures: Vec<f64> = text
        .and_then(|t| {
            t.lines()
                .last()?
                .split_whitespace()
                .map(|x| x.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    match figures[..] {
        [user, system, preempted] => Sample {
            wall,
            cpu: Some(user + system),
            preempted: Some(preempted),
        },
        _ => Sample {
            wall,
            cpu: None,
            preempted: None,
        },
    }
}

/// The `--json -` output of `nines args`.
fn json_of(args: &[String]) -> String {
    let out = Command::new(NINES)
        .args(args)
        .args(["--json", "-"])
        .output()
        .expect("the nines binary runs");
    assert!(
        out.status.success(),
        "nines {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 JSON")
}

/// Runs each command `runs` times, in alternation (each round starting one
/// further on), after one untimed warm-up of each; returns each command's
/// samples.
fn alternate(runs: usize, commands: &[Vec<String>]) -> Vec<Vec<Sample>> {
    for c in commands {
        time(c);
    }
    let n = commands.len();
    let mut samples = vec![Vec::new(); n];
    for round in 0..runs {
        for k in 0..n {
            let i = (round + k) % n;
            samples[i].push(time(&commands[i]));
        }
    }
    samples
}

fn median(xs: &[f64]) -> f64 {
    let mut xs = xs.to_vec();
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The 1-minute load average, or "n/a".
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "n/a".to_string())
}

/// The peak resident set of `nines args` in KiB, and how it was measured:
/// by `/usr/bin/time -f %M` when it exists, else by polling the child's
/// `VmHWM` (a lower bound: growth in its last milliseconds is missed).
fn peak_rss_kib(args: &[String]) -> Option<(u64, &'static str)> {
    let gnu_time = Path::new("/usr/bin/time");
    if gnu_time.exists() {
        let report = std::env::temp_dir().join(format!("nines-bench-rss-{}", std::process::id()));
        let status = Command::new(gnu_time)
            .args(["-f", "%M", "-o"])
            .arg(&report)
            .arg(NINES)
            .args(args)
            .stdout(Stdio::null())
            .status()
            .ok()?;
        let text = std::fs::read_to_string(&report).ok();
        let _ = std::fs::remove_file(&report);
        if status.success()
            && let Some(kib) = text.and_then(|t| t.lines().last()?.trim().parse().ok())
        {
            return Some((kib, "/usr/bin/time"));
        }
    }
    let mut child = Command::new(NINES)
        .args(args)
        .stdout(Stdio::null())
        .spawn()
        .ok()?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = None;
    loop {
        if let Some(kib) = std::fs::read_to_string(&status_path)
            .ok()
            .and_then(|s| vm_hwm_kib(&s))
        {
            peak = Some(kib);
        }
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => return None,
        }
    }
    peak.map(|kib| (kib, "VmHWM polled"))
}

/// `VmHWM` of a `/proc/PID/status` text, in KiB.
fn vm_hwm_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
