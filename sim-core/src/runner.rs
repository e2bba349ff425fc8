//! Replications: run R independent copies of a model, in parallel, and
//! merge their results in replication order.
//!
//! Replication `r` gets its randomness from streams keyed by `r` (see
//! [`crate::rng`]), so what it computes does not depend on which thread
//! runs it or when. Results come back as a `Vec` indexed by replication, so
//! whatever is merged from them is identical for any thread count.
//!
//! [`run_replications_with`] adds what a long interactive run needs: an
//! observer called as each replication finishes (for a progress bar), and a
//! stop flag (for Ctrl-C). Neither can change a result: the observer only
//! reads, and a stopped run returns the longest prefix `0..k` of
//! replications that all finished, which is exactly what a run of `k`
//! replications would have returned.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use crate::hash::StableHasher;

/// Why replications could not be run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunnerError {
    /// The thread pool could not be created (a fatal, environmental error).
    #[error("cannot start {threads} worker threads: {source}")]
    ThreadPool {
        /// The number of threads asked for.
        threads: usize,
        /// What the operating system said.
        source: rayon::ThreadPoolBuildError,
    },
}

/// Runs `run(r)` for every replication `r` in `0..replications` on
/// `threads` worker threads (0 means one per core) and returns the results
/// in replication order.
pub fn run_replications<T, F>(
    replications: u64,
    threads: usize,
    run: F,
) -> Result<Vec<T>, RunnerError>
where
    T: Send,
    F: Fn(u64) -> T + Sync + Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunnerError::ThreadPool { threads, source })?;
    Ok(pool.install(|| (0..replications).into_par_iter().map(&run).collect()))
}

/// Runs `run(r)` for replications `0..replications` like
/// [`run_replications`], calling `observer(r, &result)` as each one
/// finishes, and starting no new replication once `stop` is set.
///
/// Replications are started in increasing order, one at a time by whichever
/// worker is free, so the ones that finished before a stop form a prefix.
/// The observer runs on the worker that ran the replication, in order of
/// completion (which varies from run to run): it must only watch. The
/// result is the longest prefix `0..k` of replications that all finished,
/// in replication order; `k` is `replications` unless `stop` was set before
/// the last replication started. Replications already running when `stop`
/// is set run to the end.
pub fn run_replications_with<T, F, O>(
    replications: u64,
    threads: usize,
    stop: &AtomicBool,
    run: F,
    observer: O,
) -> Result<Vec<T>, RunnerError>
where
    T: Send,
    F: Fn(u64) -> T + Sync + Send,
    O: Fn(u64, &T) + Sync + Send,
{
    let pool = thread_pool(threads)?;
    Ok(run_range(&pool, 0..replications, stop, &run, &observer))
}

/// Runs replications `0..replications` like [`run_replications_with`], but
/// hands each result to `fold` in replication order instead of keeping
/// them all: at most `chunk` results are held at once (the replications
/// run `chunk` at a time), so memory does not grow with the number of
/// replications. Returns how many were folded: `replications`, or after a
/// stop the longest prefix that finished, exactly as
/// [`run_replications_with`] would have returned.
pub fn fold_replications_with<T, F, O, G>(
    replications: u64,
    threads: usize,
    chunk: u64,
    stop: &AtomicBool,
    run: F,
    observer: O,
    mut fold: G,
) -> Result<u64, RunnerError>
where
    T: Send,
    F: Fn(u64) -> T + Sync + Send,
    O: Fn(u64, &T) + Sync + Send,
    G: FnMut(T),
{
    let pool = thread_pool(threads)?;
    let chunk = chunk.max(1);
    let mut folded = 0;
    while folded < replications {
        let end = replications.min(folded + chunk);
        let results = run_range(&pool, folded..end, stop, &run, &observer);
        let complete = results.len() as u64 == end - folded;
        folded += results.len() as u64;
        results.into_iter().for_each(&mut fold);
        if !complete {
            break;
        }
    }
    Ok(folded)
}

fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, RunnerError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunnerError::ThreadPool { threads, source })
}

/// The replications of `range` on `pool`, in order: the longest prefix of
/// it that finished before `stop`.
fn run_range<T, F, O>(
    pool: &rayon::ThreadPool,
    range: std::ops::Range<u64>,
    stop: &AtomicBool,
    run: &F,
    observer: &O,
) -> Vec<T>
where
    T: Send,
    F: Fn(u64) -> T + Sync + Send,
    O: Fn(u64, &T) + Sync + Send,
{
    let next = AtomicU64::new(range.start);
    let per_worker: Vec<Vec<(u64, T)>> = pool.broadcast(|_| {
        let mut done = Vec::new();
        // Each pass takes the next replication, so the loop runs at most
        // `range.end − range.start` times over all workers.
        while !stop.load(Ordering::SeqCst) {
            let r = next.fetch_add(1, Ordering::SeqCst);
            if r >= range.end {
                break;
            }
            let result = run(r);
            observer(r, &result);
            done.push((r - range.start, result));
        }
        done
    });
    finished_prefix(per_worker.into_iter().flatten().collect())
}

/// The results of replications `0..k`, in order, for the largest `k` such
/// that every one of them is in `done` (a list of `(replication, result)`
/// pairs in any order, each replication at most once).
fn finished_prefix<T>(mut done: Vec<(u64, T)>) -> Vec<T> {
    done.sort_unstable_by_key(|&(r, _)| r);
    done.into_iter()
        .enumerate()
        .take_while(|&(i, (r, _))| i as u64 == r)
        .map(|(_, (_, result))| result)
        .collect()
}

/// Combines per-replication trace hashes, in replication order, into the
/// trace hash of the whole run.
pub fn combine_trace_hashes(hashes: impl IntoIterator<Item = u64>) -> u64 {
    let mut h = StableHasher::new();
    h.write_str("nines/run-trace/v1");
    for x in hashes {
        h.write_u64(x);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_replication_order_for_any_thread_count() {
        let one = run_replications(100, 1, |r| r * r).unwrap();
        let two = run_replications(100, 2, |r| r * r).unwrap();
        let four = run_replications(100, 4, |r| r * r).unwrap();
        assert_eq!(one, two);
        assert_eq!(one, four);
        assert_eq!(one[7], 49);
    }

    #[test]
    fn observed_runs_match_plain_runs_for_any_thread_count() {
        let stop = AtomicBool::new(false);
        let plain = run_replications(200, 1, |r| r * 3 + 1).unwrap();
        for threads in [1, 2, 4] {
            let seen = std::sync::Mutex::new(Vec::new());
            let observed = run_replications_with(
                200,
                threads,
                &stop,
                |r| r * 3 + 1,
                |r, &x| {
                    assert_eq!(x, r * 3 + 1);
                    seen.lock().unwrap().push(r);
                },
            )
            .unwrap();
            assert_eq!(observed, plain);
            let mut seen = seen.into_inner().unwrap();
            seen.sort_unstable();
            assert_eq!(seen, (0..200).collect::<Vec<_>>(), "each observed once");
        }
    }

    #[test]
    fn folded_runs_match_plain_runs_in_order() {
        let stop = AtomicBool::new(false);
        let plain = run_replications(1000, 1, |r| r * 3 + 1).unwrap();
        for (threads, chunk) in [(1, 1), (2, 7), (4, 64), (2, 5000)] {
            let mut folded = Vec::new();
            let n = fold_replications_with(
                1000,
                threads,
                chunk,
                &stop,
                |r| r * 3 + 1,
                |_, _| {},
                |x| folded.push(x),
            )
            .unwrap();
            assert_eq!(
                (n, &folded),
                (1000, &plain),
                "{threads} threads, chunk {chunk}"
            );
        }
        let stopped = AtomicBool::new(true);
        let n = fold_replications_with(10, 2, 3, &stopped, |r| r, |_, _| {}, |_| {}).unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn a_stop_keeps_the_prefix_of_finished_replications() {
        for threads in [1, 2, 4] {
            let stop = AtomicBool::new(false);
            // Replication 10 raises the flag as it runs: replications
            // 0..=10 and those already started elsewhere finish, no later
            // one starts.
            let results = run_replications_with(
                1000,
                threads,
                &stop,
                |r| {
                    if r == 10 {
                        stop.store(true, Ordering::SeqCst);
                    }
                    r * r
                },
                |_, _| {},
            )
            .unwrap();
            let k = results.len();
            assert!((11..=10 + threads).contains(&k), "{threads} threads: {k}");
            assert_eq!(results, (0..k as u64).map(|r| r * r).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_stop_before_the_start_runs_nothing() {
        let stop = AtomicBool::new(true);
        let results =
            run_replications_with(100, 2, &stop, |r| r, |_, _| panic!("nothing runs")).unwrap();
        assert!(results.is_empty());
    }

    #[test]
    fn the_prefix_ends_at_the_first_gap() {
        let done = vec![(3, 'd'), (0, 'a'), (1, 'b'), (4, 'e')];
        assert_eq!(finished_prefix(done), vec!['a', 'b']);
        assert_eq!(finished_prefix(vec![(1, 'b')]), Vec::<char>::new());
        assert_eq!(finished_prefix(vec![(1, 'b'), (0, 'a')]), vec!['a', 'b']);
        assert_eq!(finished_prefix::<char>(vec![]), Vec::<char>::new());
    }

    #[test]
    fn combined_hash_depends_on_order() {
        assert_ne!(combine_trace_hashes([1, 2]), combine_trace_hashes([2, 1]));
        assert_eq!(combine_trace_hashes([1, 2]), combine_trace_hashes([1, 2]));
    }
}
