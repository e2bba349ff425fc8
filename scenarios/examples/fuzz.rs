//! The long fuzz run: `cargo run --release -p scenarios --example fuzz --
//! --inputs 1000000 --seed 1`. Every input (the same generator as the CI
//! target in `tests/fuzz.rs`) goes through parse, compose, `--set`, sweep
//! expansion and build on every core; the run fails on the first panic,
//! on an input that takes longer than `--max-seconds` (2 s), or on an
//! allocation that would take the heap past `--max-mib` (1 GiB: the
//! allocator refuses it and the process aborts, after the watchdog has
//! named the inputs running once the heap passed half the cap). It
//! prints how far the inputs got, the slowest input and the heap's peak;
//! `--only INDEX` replays one input and prints it.

#[path = "../tests/fuzz/corpus.rs"]
mod corpus;
#[path = "../tests/fuzz/mutate.rs"]
mod mutate;
#[path = "../tests/fuzz/pipeline.rs"]
mod pipeline;

use std::alloc::System;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cap::Cap;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use pipeline::Outcome;

/// The heap, counted and capped.
#[global_allocator]
static HEAP: Cap<System> = Cap::new(System, usize::MAX);

/// Nothing is running on a worker.
const IDLE: u64 = u64::MAX;

/// The options of the run.
#[derive(Debug)]
struct Options {
    inputs: u64,
    seed: u64,
    only: Option<u64>,
    max_seconds: f64,
    max_mib: usize,
    threads: usize,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        inputs: 100_000,
        seed: 1,
        only: None,
        max_seconds: 2.0,
        max_mib: 1024,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{flag}: expected a value after it"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--inputs" => o.inputs = value.parse().map_err(|e| bad(&e))?,
            "--seed" => o.seed = value.parse().map_err(|e| bad(&e))?,
            "--only" => o.only = Some(value.parse().map_err(|e| bad(&e))?),
            "--max-seconds" => o.max_seconds = value.parse().map_err(|e| bad(&e))?,
            "--max-mib" => o.max_mib = value.parse().map_err(|e| bad(&e))?,
            "--threads" => {
                o.threads = value.parse().map_err(|e| bad(&e))?;
                if o.threads == 0 {
                    return Err(bad(&"expected at least 1"));
                }
            }
            _ => {
                return Err(format!(
                    "{flag}: unknown; expected --inputs N, --seed S, --only INDEX, \
                     --max-seconds S, --max-mib M or --threads T"
                ));
            }
        }
    }
    Ok(o)
}

/// Input `index` of the run seeded `seed`: its own random stream, so any
/// one can be made again alone.
fn generate(seed: u64, index: u64) -> mutate::Input {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&index.to_le_bytes());
    key[16..].copy_from_slice(b"nines fuzz input");
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &key),
    );
    mutate::input()
        .new_tree(&mut runner)
        .expect("the input strategy always generates")
        .current()
}

/// What one worker is doing: the input and when it started (µs into the
/// run), for the watchdog.
#[derive(Debug)]
struct Slot {
    input: AtomicU64,
    since: AtomicU64,
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("fuzz: {e}");
            return ExitCode::from(2);
        }
    };
    let corpus = corpus::corpus();
    if let Some(index) = o.only {
        let input = generate(o.seed, index);
        println!("input {index} of seed {}: {input:#?}", o.seed);
        println!(
            "--- file ({}):\n{}",
            corpus.seeds[input.seed_index()].origin,
            input.text()
        );
        println!(
            "--- --set {:?}\n--- --sweep {:?}",
            input.set_flags(),
            input.sweep_flags()
        );
        let baseline = HEAP.allocated();
        let peak = AtomicUsize::new(0);
        let running = AtomicBool::new(true);
        let began = Instant::now();
        let outcome = std::thread::scope(|scope| {
            scope.spawn(|| {
                while running.load(Ordering::Relaxed) {
                    peak.fetch_max(HEAP.allocated().saturating_sub(baseline), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_micros(200));
                }
            });
            let outcome = pipeline::run(&input);
            running.store(false, Ordering::Relaxed);
            outcome
        });
        println!(
            "--- outcome: {outcome:?} in {:.1} ms, heap peak {:.1} MiB",
            began.elapsed().as_secs_f64() * 1e3,
            peak.load(Ordering::Relaxed) as f64 / (1024.0 * 1024.0)
        );
        return ExitCode::SUCCESS;
    }
    // The heap may grow by `max_mib` over what the corpus already holds.
    let baseline = HEAP.allocated();
    let cap_bytes = o.max_mib * 1024 * 1024;
    HEAP.set_limit(baseline + cap_bytes)
        .expect("the cap is above what is allocated");
    std::panic::set_hook(Box::new(|_| {}));

    let start = Instant::now();
    let micros = |at: Instant| at.duration_since(start).as_micros() as u64;
    let next = AtomicU64::new(0);
    let failed = AtomicBool::new(false);
    let counts: Vec<AtomicUsize> = Outcome::ALL.iter().map(|_| AtomicUsize::new(0)).collect();
    // (microseconds, input) of the slowest input.
    let slowest = std::sync::Mutex::new((0u64, 0u64));
    let peak = AtomicUsize::new(0);
    let slots: Vec<Slot> = (0..o.threads)
        .map(|_| Slot {
            input: AtomicU64::new(IDLE),
            since: AtomicU64::new(0),
        })
        .collect();
    let limit = (o.max_seconds * 1e6) as u64;

    std::thread::scope(|scope| {
        for slot in &slots {
            let (next, failed, counts, slowest) = (&next, &failed, &counts, &slowest);
            scope.spawn(move || {
                while !failed.load(Ordering::Relaxed) {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= o.inputs {
                        break;
                    }
                    let input = generate(o.seed, index);
                    let began = micros(Instant::now());
                    slot.since.store(began, Ordering::Relaxed);
                    slot.input.store(index, Ordering::Relaxed);
                    let outcome = std::panic::catch_unwind(|| pipeline::run(&input));
                    slot.input.store(IDLE, Ordering::Relaxed);
                    let took = micros(Instant::now()) - began;
                    {
                        let mut worst = slowest.lock().unwrap_or_else(|e| e.into_inner());
                        if took > worst.0 {
                            *worst = (took, index);
                        }
                    }
                    match outcome {
                        Ok(outcome) => {
                            let at = Outcome::ALL.iter().position(|&x| x == outcome);
                            counts[at.expect("a known outcome")].fetch_add(1, Ordering::Relaxed);
                        }
                        Err(panic) => {
                            let message = panic
                                .downcast_ref::<String>()
                                .cloned()
                                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                                .unwrap_or_default();
                            eprintln!(
                                "fuzz: input {index} panicked: {message}\n  replay: cargo run --release -p scenarios --example fuzz -- --seed {} --only {index}",
                                o.seed
                            );
                            failed.store(true, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
        // The watchdog: the heap's peak, inputs that run too long, and
        // progress every ten seconds.
        let (peak, failed, slots, next) = (&peak, &failed, &slots, &next);
        scope.spawn(move || {
            let mut reported = Instant::now();
            let mut warned = false;
            loop {
                std::thread::sleep(Duration::from_millis(20));
                let heap = HEAP.allocated().saturating_sub(baseline);
                peak.fetch_max(heap, Ordering::Relaxed);
                if heap > cap_bytes / 2 && !warned {
                    // An allocation past the cap aborts the process before
                    // anything can be said: name the inputs running now.
                    warned = true;
                    let running: Vec<u64> = slots
                        .iter()
                        .map(|s| s.input.load(Ordering::Relaxed))
                        .filter(|&i| i != IDLE)
                        .collect();
                    eprintln!(
                        "fuzz: the heap is at {} MiB, past half the cap, while inputs {running:?} run",
                        heap >> 20
                    );
                }
                let now = micros(Instant::now());
                for slot in slots {
                    let index = slot.input.load(Ordering::Relaxed);
                    let since = slot.since.load(Ordering::Relaxed);
                    if index != IDLE && now.saturating_sub(since) > limit {
                        eprintln!(
                            "fuzz: input {index} has run longer than {} s\n  replay: cargo run --release -p scenarios --example fuzz -- --seed {} --only {index}",
                            o.max_seconds, o.seed
                        );
                        // A hung input cannot be stopped from here.
                        std::process::exit(1);
                    }
                }
                let started = next.load(Ordering::Relaxed).min(o.inputs);
                let idle = slots.iter().all(|s| s.input.load(Ordering::Relaxed) == IDLE);
                if failed.load(Ordering::Relaxed) || (started >= o.inputs && idle) {
                    break;
                }
                if reported.elapsed() >= Duration::from_secs(10) {
                    reported = Instant::now();
                    eprintln!("fuzz: {started} of {} inputs", o.inputs);
                }
            }
        });
    });

    let seconds = start.elapsed().as_secs_f64();
    let total: usize = counts.iter().map(|c| c.load(Ordering::Relaxed)).sum();
    println!(
        "fuzz: {total} inputs of seed {} in {seconds:.1} s ({:.0} inputs/s, {} threads)",
        o.seed,
        total as f64 / seconds,
        o.threads
    );
    for (outcome, count) in Outcome::ALL.iter().zip(&counts) {
        let n = count.load(Ordering::Relaxed);
        println!(
            "  {:<8} {n:>9}  {:5.1}%",
            format!("{outcome:?}"),
            100.0 * n as f64 / total.max(1) as f64
        );
    }
    let (took, index) = *slowest.lock().unwrap_or_else(|e| e.into_inner());
    println!(
        "  slowest input {index} took {:.1} ms (limit {} s)",
        took as f64 / 1e3,
        o.max_seconds
    );
    println!(
        "  heap peak {:.1} MiB above the corpus (sampled every 20 ms; cap {} MiB)",
        peak.load(Ordering::Relaxed) as f64 / (1024.0 * 1024.0),
        o.max_mib
    );
    if failed.load(Ordering::Relaxed) {
        println!("fuzz: FAILED");
        ExitCode::FAILURE
    } else {
        println!(
            "fuzz: no panic, no input over {} s, no heap past the cap",
            o.max_seconds
        );
        ExitCode::SUCCESS
    }
}
