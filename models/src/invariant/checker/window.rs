//! The downtime budget over a sliding window: when the entry point's
//! downtime within any window of the given length passes its budget.

use super::*;

/// Entry downtime within a sliding window, against a budget.
///
/// The downtime `D(t)` within the window `[t - window, t]` (counted from
/// the warm-up's end) only grows while the entry is down, at rate one
/// while the window's start is in an up period and zero while it is in an
/// earlier down span. When an outage begins, the instant `D` would pass
/// the budget if the outage went on is therefore known exactly, from the
/// down spans still in the window (kept in a deque, pruned as they leave
/// it: memory is bounded by the down spans within one window); the
/// violation is that instant if the outage is still going on then.
#[derive(Debug)]
pub(super) struct Window {
    pub(super) budget: SimDuration,
    pub(super) window: SimDuration,
    /// The SLO's target, for the detail (`None` for a threshold).
    pub(super) target: Option<f64>,
    /// Down spans after the warm-up that may still be in a window.
    pub(super) spans: VecDeque<(SimTime, SimTime)>,
    /// When the current outage began.
    pub(super) since: Option<SimTime>,
    /// When the current outage passes the budget, if it lasts.
    pub(super) crossing: Option<SimTime>,
}

impl Window {
    pub(super) fn new(budget: SimDuration, window: SimDuration, target: Option<f64>) -> Self {
        Window {
            budget,
            window,
            target,
            spans: VecDeque::new(),
            since: None,
            crossing: None,
        }
    }

    pub(super) fn confirm(
        &self,
        t: SimTime,
        inclusive: bool,
        cx: &Context<'_>,
    ) -> Option<(SimTime, String)> {
        let c = self.crossing?;
        if !due(c, t, inclusive) {
            return None;
        }
        let what = match self.target {
            Some(target) => format!(
                "more than the SLO's budget of {} ({}% availability)",
                self.budget,
                100.0 * target
            ),
            None => format!("more than the limit of {}", self.budget),
        };
        Some((
            c,
            format!(
                "{} has been down {what} within the {} ending then",
                cx.entry(),
                window_text(self.window)
            ),
        ))
    }

    pub(super) fn update(&mut self, down: bool, now: SimTime, warmup: SimTime) {
        match (down, self.since) {
            (true, None) => {
                self.since = Some(now);
                self.crossing = self.crossing(now.max(warmup));
            }
            (false, Some(since)) => {
                let from = since.max(warmup);
                if now > from {
                    self.spans.push_back((from, now));
                }
                // Spans that ended a window ago are in no later window.
                let gone = now.as_micros().saturating_sub(self.window.as_micros());
                while self
                    .spans
                    .front()
                    .is_some_and(|&(_, end)| end.as_micros() <= gone)
                {
                    self.spans.pop_front();
                }
                self.since = None;
                self.crossing = None;
            }
            _ => {}
        }
    }

    /// The instant the windowed downtime passes the budget if the entry
    /// stays down from `from` on; `None` if it never can (a budget of a
    /// whole window or more).
    pub(super) fn crossing(&self, from: SimTime) -> Option<SimTime> {
        let b = i128::from(self.budget.as_micros());
        let w = i128::from(self.window.as_micros());
        if b >= w {
            return None;
        }
        let s = i128::from(from.as_micros());
        // `x` is the window's start, `t - w`; at `t = s` the window holds
        // the past spans after `x`.
        let mut x = s - w;
        let past: i128 = self
            .spans
            .iter()
            .map(|&(a, e)| (i128::from(e.as_micros()) - i128::from(a.as_micros()).max(x)).max(0))
            .sum();
        // Downtime still allowed; `D` rises while `x` crosses up periods.
        let mut need = (b - past).max(0);
        for &(a, e) in &self.spans {
            let (a, e) = (i128::from(a.as_micros()), i128::from(e.as_micros()));
            if e <= x {
                continue;
            }
            if a > x {
                let gap = a - x;
                if need < gap {
                    break;
                }
                need -= gap;
            }
            x = e;
        }
        // Past the last span, `D` rises until it passes the budget (before
        // the window lies wholly in this outage, where `D` is the window).
        Some(SimTime::from_micros(
            u64::try_from(x + need + w).unwrap_or(u64::MAX),
        ))
    }
}

/// A window's length as people say it: `30 days`, else `10h`.
pub(super) fn window_text(window: SimDuration) -> String {
    let day = 86_400_000_000u64;
    let us = window.as_micros();
    if us.is_multiple_of(day) {
        let days = us / day;
        format!("{days} day{}", if days == 1 { "" } else { "s" })
    } else {
        window.to_string()
    }
}
