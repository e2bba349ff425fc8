//! The progress bar of long runs: replications done out of the total, time
//! elapsed and left, and the availability estimate converging as
//! replications finish.
//!
//! It is drawn on standard error, and only when standard error is a
//! terminal and `--quiet` was not given, so piped output never sees it. It
//! only watches: it reads each finished replication's availability and
//! never touches what the run computes.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar being drawn, if any, so that a notice (from the Ctrl-C handler)
/// can be printed above it rather than through it.
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// How often the running estimate in the message is refreshed.
const MESSAGE_EVERY: Duration = Duration::from_millis(100);

/// What the bar says of the time left after `done` of `total` items in
/// `elapsed`: nothing is promised before the first item finishes (a run of
/// one long replication shows only its elapsed time), then the time left
/// at the rate so far, rounded to the second and never "0s" while items
/// remain.
fn time_left(done: u64, total: Option<u64>, elapsed: Duration) -> String {
    let Some(total) = total.filter(|&t| done < t) else {
        return "finishing".to_string();
    };
    if done == 0 {
        return "time left shown once one finishes".to_string();
    }
    let per_item = elapsed.as_secs_f64() / done as f64;
    let left_s = (per_item * (total - done) as f64).ceil().max(1.0);
    format!(
        "about {} left",
        indicatif::HumanDuration(Duration::from_secs_f64(left_s))
    )
}

/// A progress bar over the replications of one run (or of several designs
/// run side by side), or nothing when there is no terminal to draw on.
#[derive(Debug)]
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    /// The name of each availability series (one per design); empty for a
    /// single run.
    labels: Vec<String>,
    running: Mutex<Running>,
}

/// Running sums of the availability of the finished replications.
#[derive(Debug)]
struct Running {
    finished: u64,
    sums: Vec<f64>,
    shown: Option<Instant>,
}

impl Progress {
    /// A bar over `total` replications, drawn unless `quiet` or standard
    /// error is not a terminal. `labels` names each availability series
    /// given to [`Progress::observe`]: none for a single run, one per design
    /// for a comparison.
    pub(crate) fn new(total: u64, labels: Vec<String>, quiet: bool) -> Self {
        Progress::counting(total, "replications", labels, quiet)
    }

    /// Like [`Progress::new`], counting `unit` (such as "windows" of one
    /// long run) instead of replications.
    pub(crate) fn counting(total: u64, unit: &str, labels: Vec<String>, quiet: bool) -> Self {
        let draw = !quiet && std::io::stderr().is_terminal();
        let bar = draw.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(&format!(
                "[{{bar:24}}] {{pos}}/{{len}} {unit}, {{elapsed}} elapsed, {{left}}  {{msg}}"
            ))
            .map(|s| {
                s.with_key(
                    "left",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let left = time_left(state.pos(), state.len(), state.elapsed());
                        let _ = w.write_str(&left);
                    },
                )
            })
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            if let Ok(mut active) = ACTIVE.lock() {
                *active = Some(bar.clone());
            }
            bar
        });
        let series = labels.len().max(1);
        Progress {
            bar,
            labels,
            running: Mutex::new(Running {
                finished: 0,
                sums: vec![0.0; series],
                shown: None,
            }),
        }
    }

    /// Raises the total to `total`, for a run that adds replications in
    /// batches (`--precision`): the bar goes on from where it is.
    pub(crate) fn set_total(&self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
        }
    }

    /// True when the bar is drawn (and [`Progress::observe`] does anything).
    pub(crate) fn is_drawn(&self) -> bool {
        self.bar.is_some()
    }

    /// One more replication finished, with these availabilities (one per
    /// series). Called from worker threads, in order of completion.
    pub(crate) fn observe(&self, availabilities: &[f64]) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        let Ok(mut running) = self.running.lock() else {
            return;
        };
        running.finished += 1;
        for (sum, a) in running.sums.iter_mut().zip(availabilities) {
            *sum += a;
        }
        let now = Instant::now();
        if running
            .shown
            .is_some_and(|t| now.duration_since(t) < MESSAGE_EVERY)
        {
            return;
        }
        running.shown = Some(now);
        bar.set_message(self.message(&running));
    }

    /// "availability 99.9512% so far", or one figure per design.
    fn message(&self, running: &Running) -> String {
        let n = running.finished.max(1) as f64;
        let percent = |sum: f64| format!("{:.4}%", 100.0 * sum / n);
        if self.labels.is_empty() {
            format!("availability {} so far", percent(running.sums[0]))
        } else {
            let parts: Vec<String> = self
                .labels
                .iter()
                .zip(&running.sums)
                .map(|(label, &sum)| format!("{label} {}", percent(sum)))
                .collect();
            format!("availability {}", parts.join(", "))
        }
    }

    /// Removes the bar from the terminal.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
            if let Ok(mut active) = ACTIVE.lock() {
                *active = None;
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Prints `message` on standard error, above the progress bar if one is
/// drawn.
pub(crate) fn notice(message: &str) {
    match ACTIVE.lock().ok().and_then(|active| active.clone()) {
        Some(bar) => bar.println(message),
        None => eprintln!("{message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_time_left_is_promised_before_anything_finished() {
        let minute = Duration::from_secs(60);
        assert_eq!(
            time_left(0, Some(1), minute),
            "time left shown once one finishes"
        );
        assert_eq!(
            time_left(0, Some(100), Duration::ZERO),
            "time left shown once one finishes"
        );
        // Quick items never show "0s" while some remain.
        assert_eq!(
            time_left(99, Some(100), Duration::from_millis(10)),
            "about 1 second left"
        );
        assert_eq!(time_left(1, Some(3), minute), "about 2 minutes left");
        assert_eq!(time_left(3, Some(3), minute), "finishing");
        assert_eq!(time_left(3, None, minute), "finishing");
    }
}
