//! Replications: run R independent copies of a model, in parallel, and
//! merge their results in replication order.
//!
//! Replication `r` gets its randomness from streams keyed by `r` (see
//! [`crate::rng`]), so what it computes does not depend on which thread
//! runs it or when. Results come back as a `Vec` indexed by replication, so
//! whatever is merged from them is identical for any thread count.

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
    fn combined_hash_depends_on_order() {
        assert_ne!(combine_trace_hashes([1, 2]), combine_trace_hashes([2, 1]));
        assert_eq!(combine_trace_hashes([1, 2]), combine_trace_hashes([1, 2]));
    }
}
