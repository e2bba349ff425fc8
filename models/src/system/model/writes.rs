//! Writes of active-passive services: the latency of each write, stalls
//! while no standby can confirm a synchronous write, and semi-synchronous
//! fallback.
//!
//! Every active-passive service with data has write measures. Writes are
//! accepted while the active instance serves and the service is up as seen
//! from where clients enter (a primary clients cannot reach takes no
//! writes, whatever it could ship); with `async` or `batch`
//! replication each takes [`DataSpec::write_time`](crate::system::spec::DataSpec::write_time)
//! and nothing more, so the modes can be compared on one footing. Every
//! mode notes since when the active instance has had no standby to ship
//! to (`alone_since`): asynchronous replication loses what was
//! acknowledged since, at a failover.
//!
//! For an active-passive service with `sync` or `semi-sync` replication,
//! writes are accepted while the active instance serves and a standby
//! (another instance, effective and reachable from it) confirms them: each
//! write then waits [`DataSpec::write_time`](crate::system::spec::DataSpec::write_time)
//! plus the round trip to the nearest such standby
//! ([`RttTable`]). A standby that is effective and reachable catches up at
//! once.
//!
//! With no such standby, writes stall: the service still serves reads
//! (its up rule and the entry point are unchanged). With `semi-sync`, a
//! stall lasts the timeout; then the active instance acknowledges writes
//! alone, with no round trip, until a standby is back, and a failover
//! meanwhile loses the writes acknowledged since the fallback began (see
//! `start_loss`). A stall's clock starts again whenever the active
//! instance stops serving.
//!
//! Writes refused during stalls are counted as an expected value, the
//! write rate times the stalled seconds, so that no random stream is used.

use sim_core::engine::Scheduler;
use sim_core::time::{SimDuration, SimTime};

use super::{SystemEvent, SystemModel};
use crate::measure::ServiceMeasures;
use crate::system::spec::{Replication, SystemSpec};

/// What one service's writes measured, after the warm-up.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteMeasures {
    /// Writes accepted, as an up/down measure, as seen from where clients
    /// enter: down while the service is (from there), and during stalls
    /// (an outage of writes; reads are measured by the service's own
    /// measures).
    pub availability: ServiceMeasures,
    /// The integral of the write latency in milliseconds over the hours
    /// writes were accepted (ms·h).
    pub latency_ms_hours: f64,
    /// Hours writes were accepted.
    pub accepted_hours: f64,
    /// Writes refused while stalled: the write rate times the stalled
    /// seconds (an expected value).
    pub refused: f64,
}

impl WriteMeasures {
    /// The time-weighted mean write latency in milliseconds over the hours
    /// writes were accepted; `None` if they never were.
    pub fn mean_latency_ms(&self) -> Option<f64> {
        (self.accepted_hours > 0.0).then(|| self.latency_ms_hours / self.accepted_hours)
    }
}

/// The write state of one service whose writes wait for a standby.
#[derive(Clone, Debug)]
pub(super) struct WriteState {
    pub(super) measures: WriteMeasures,
    /// Writes are accepted now.
    ok: bool,
    /// The active instance serves but writes are refused.
    stalled: bool,
    /// The latency of a write now, ms.
    latency_ms: f64,
    /// When the current stall began (semi-sync: its timeout runs from it).
    stall_since: Option<SimTime>,
    /// The timeout event scheduled for the current stall, by its due time.
    timer_due: Option<SimTime>,
    /// Semi-sync: since when the active instance acknowledges writes
    /// alone.
    pub(super) fallback_since: Option<SimTime>,
    /// Since when the active instance serves with no standby effective
    /// and reachable from it (asynchronous replication then ships nothing:
    /// a failover loses what it acknowledged since).
    pub(super) alone_since: Option<SimTime>,
    /// The active instance seen last: a promotion ends a fallback.
    active_seen: Option<usize>,
}

/// Per service: a write state for the active-passive services with data,
/// `None` for the others.
pub(super) fn write_states(spec: &SystemSpec, warmup: SimTime) -> Vec<Option<WriteState>> {
    spec.services
        .iter()
        .map(|svc| {
            let measured = svc.failover.is_some() && svc.data.is_some();
            measured.then(|| WriteState {
                measures: WriteMeasures {
                    availability: ServiceMeasures::new(warmup, true),
                    latency_ms_hours: 0.0,
                    accepted_hours: 0.0,
                    refused: 0.0,
                },
                ok: true,
                stalled: false,
                latency_ms: 0.0,
                stall_since: None,
                timer_due: None,
                fallback_since: None,
                alone_since: None,
                active_seen: Some(0),
            })
        })
        .collect()
}

impl SystemModel<'_> {
    /// Takes the write state of every active-passive service with data
    /// from the evaluation just made, at `now`.
    pub(super) fn settle_writes(&mut self, now: SimTime) {
        if self.writes.iter().all(Option::is_none) {
            return;
        }
        if self.writes_wait {
            self.rtt.refresh(self.spec, &self.counters);
        }
        for s in 0..self.writes.len() {
            let Some(mut st) = self.writes[s].take() else {
                continue;
            };
            self.settle_write(s, &mut st, now);
            self.writes[s] = Some(st);
        }
    }

    fn settle_write(&self, s: usize, st: &mut WriteState, now: SimTime) {
        let svc = &self.spec.services[s];
        let data = svc.data.as_ref().expect("writes of a service with data");
        let base_ms = write_time_ms(self.spec, s);
        let effective = &self.status.effective[s];
        let active = self
            .counters
            .active(s)
            .filter(|&a| !self.counters.switching(s) && effective[a]);
        if active.is_some() && active != st.active_seen {
            // A promotion: the new active instance's data is the truth.
            st.fallback_since = None;
            st.alone_since = None;
            st.active_seen = active;
        }
        let zone = |i: usize| self.spec.zone_of_host(svc.instances[i].host);
        let (ok, stalled, latency_ms) = match active {
            None => {
                st.stall_since = None;
                (false, false, 0.0)
            }
            Some(a)
                if !data
                    .replication
                    .as_ref()
                    .is_some_and(Replication::waits_for_standby) =>
            {
                st.stall_since = None;
                let reached = (0..svc.instances.len()).any(|j| {
                    j != a && effective[j] && self.eval.instances_reach(&self.status, s, a, j)
                });
                if reached {
                    st.alone_since = None;
                } else {
                    st.alone_since.get_or_insert(now);
                }
                (true, false, base_ms)
            }
            Some(a) => {
                let nearest = (0..svc.instances.len())
                    .filter(|&j| {
                        j != a && effective[j] && self.eval.instances_reach(&self.status, s, a, j)
                    })
                    .filter_map(|j| self.rtt.rtt_micros(zone(a), zone(j)))
                    .min();
                match nearest {
                    Some(_) => st.alone_since = None,
                    None => {
                        st.alone_since.get_or_insert(now);
                    }
                }
                match (nearest, &data.replication) {
                    (Some(rtt), _) => {
                        st.stall_since = None;
                        st.fallback_since = None;
                        (true, false, base_ms + rtt as f64 / 1000.0)
                    }
                    (None, Some(Replication::SemiSync { timeout })) => {
                        if st.fallback_since.is_some() {
                            (true, false, base_ms)
                        } else {
                            let since = *st.stall_since.get_or_insert(now);
                            if now >= since + *timeout {
                                st.stall_since = None;
                                st.fallback_since = Some(now);
                                (true, false, base_ms)
                            } else {
                                (false, true, 0.0)
                            }
                        }
                    }
                    (None, _) => {
                        st.stall_since.get_or_insert(now);
                        (false, true, 0.0)
                    }
                }
            }
        };
        // Clients write only to a service they reach: writes are accepted
        // (or refused by a stall) as seen from where clients enter, like
        // the service's own availability; the stall's clock is the active
        // instance's and runs regardless.
        let reached = self.status.service_up[s];
        st.ok = ok && reached;
        st.stalled = stalled && reached;
        st.latency_ms = latency_ms;
        st.measures.availability.set_up(now, st.ok);
    }

    /// Schedules the end of each semi-synchronous stall's timeout that has
    /// no event yet.
    pub(super) fn schedule_write_timeouts(&mut self, s: &mut Scheduler<SystemEvent>) {
        for (svc, st) in self.writes.iter_mut().enumerate() {
            let Some(st) = st else { continue };
            let Some(Replication::SemiSync { timeout }) = self.spec.services[svc]
                .data
                .as_ref()
                .and_then(|d| d.replication.as_ref())
            else {
                continue;
            };
            if let Some(since) = st.stall_since {
                let due = since + *timeout;
                if st.timer_due != Some(due) && due > s.now() {
                    s.schedule_at(due, SystemEvent::SyncTimeout(svc as u32));
                    st.timer_due = Some(due);
                }
            }
        }
    }

    /// Charges `span` (after the warm-up) to the write states that held
    /// during it.
    pub(super) fn accumulate_writes(&mut self, span: SimDuration) {
        let hours = span.as_hours_f64();
        for (svc, st) in self.writes.iter_mut().enumerate() {
            let Some(st) = st else { continue };
            if st.ok {
                st.measures.accepted_hours += hours;
                st.measures.latency_ms_hours += st.latency_ms * hours;
            } else if st.stalled {
                let rate = self.spec.services[svc]
                    .data
                    .as_ref()
                    .map_or(0.0, |d| d.writes_per_second);
                st.measures.refused += rate * span.as_secs_f64();
            }
        }
    }

    /// Closes the write measures at the end of the run.
    pub(super) fn finish_writes(&mut self, end: SimTime) {
        for st in self.writes.iter_mut().flatten() {
            st.measures.availability.finish(end);
        }
    }

    /// The write measures of every service, `None` for services that are
    /// not active-passive with data.
    pub(super) fn write_measures(&self) -> Vec<Option<WriteMeasures>> {
        self.writes
            .iter()
            .map(|w| w.as_ref().map(|w| w.measures.clone()))
            .collect()
    }
}

/// Service `s`'s write time on the active instance alone, ms.
fn write_time_ms(spec: &SystemSpec, s: usize) -> f64 {
    spec.services[s]
        .data
        .as_ref()
        .map_or(0.0, |d| d.write_time.as_micros() as f64 / 1000.0)
}

/// Whether any service's writes wait for a standby (so that the round
/// trips between zones are needed).
pub(super) fn any_waits(spec: &SystemSpec) -> bool {
    spec.services.iter().any(|svc| {
        svc.failover.is_some()
            && svc
                .data
                .as_ref()
                .and_then(|d| d.replication.as_ref())
                .is_some_and(Replication::waits_for_standby)
    })
}
