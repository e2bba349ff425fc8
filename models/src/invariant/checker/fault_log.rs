//! The log of fault events a violation reports: what started and ended
//! up to the moment the invariant broke.

use super::*;

/// The fault activations of a system run, as they begin and end.
#[derive(Debug, Default)]
pub(super) struct FaultLog {
    pub(super) events: Vec<FaultEvent>,
    /// Activations still holding: (their number, index in `events`).
    pub(super) open: Vec<(u64, usize)>,
    /// The model's counts of activations begun and ended at the last look.
    pub(super) begun: u64,
    pub(super) ended: u64,
    /// Working buffers, kept to allocate nothing once warm.
    pub(super) new: Vec<(u64, usize, Option<Element>)>,
    pub(super) live: Vec<u64>,
}

impl FaultLog {
    /// Notes the activations that began (if `record`) or ended at `now`.
    /// Most events begin or end one activation at most: those take no
    /// sorting or set lookups.
    #[inline]
    pub(super) fn look(&mut self, m: &SystemModel<'_>, now: SimTime, record: bool) {
        let begun = m.activations_begun();
        if begun != self.begun {
            if record {
                let from = self.begun;
                self.new.clear();
                self.new
                    .extend(m.activations().filter(|&(n, ..)| n >= from));
                if self.new.len() > 1 {
                    self.new.sort_unstable_by_key(|&(n, ..)| n);
                }
                for &(n, fault, target) in &self.new {
                    self.open.push((n, self.events.len()));
                    self.events.push(FaultEvent {
                        fault,
                        target,
                        start: now,
                        end: now,
                    });
                }
            }
            self.begun = begun;
        }
        let ended = m.activations_ended();
        if ended == self.ended {
            return;
        }
        let one = ended == self.ended + 1;
        self.ended = ended;
        if one && let Some(n) = m.last_ended() {
            if let Some(j) = self.open.iter().position(|&(o, _)| o == n) {
                let (_, k) = self.open.remove(j);
                self.events[k].end = now;
            }
            return;
        }
        self.live.clear();
        self.live.extend(m.activations().map(|(n, ..)| n));
        self.live.sort_unstable();
        let (events, live) = (&mut self.events, &self.live);
        self.open.retain(|&(n, k)| {
            let holding = live.binary_search(&n).is_ok();
            if !holding {
                events[k].end = now;
            }
            holding
        });
    }

    /// The activations that began by `until` (all without), those still
    /// holding ended at `end`.
    pub(super) fn finish(mut self, end: SimTime, until: Option<SimTime>) -> Vec<FaultEvent> {
        for &(_, k) in &self.open {
            self.events[k].end = end;
        }
        if let Some(t) = until {
            self.events.retain(|e| e.start <= t);
        }
        self.events
    }
}
