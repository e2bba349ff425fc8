//! Lost writes: what an active instance had not replicated when it was
//! lost, what a deletion loses since the last backup, and the record of
//! each loss.

use sim_core::dist::poisson_count;
use sim_core::time::{SimDuration, SimTime};

use super::SystemModel;
use crate::system::spec::Replication;

/// Why acknowledged writes were lost, for [`WriteLoss`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossCause {
    /// Another instance took over before the lost active one had
    /// replicated them (asynchronous replication, batch shipping).
    Failover,
    /// A split brain healed: the writes the old primary's side took
    /// meanwhile.
    SplitBrain,
    /// The data was deleted: the writes since the last backup
    /// (everything, without backups).
    Deletion,
}

/// One event that lost acknowledged writes, as [`SystemModel::recent_losses`]
/// reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteLoss {
    /// The service that lost them (by index).
    pub service: usize,
    /// How many writes were lost (at least one).
    pub writes: u64,
    /// The span of writes lost: the mean replication lag, the time since
    /// the last batch or backup, or the split brain's length after the
    /// warm-up.
    pub window: SimDuration,
    /// Why they were lost.
    pub cause: LossCause,
}

impl SystemModel<'_> {
    /// The active instance `a` of `svc` is lost at `now`: draws the writes
    /// it had not replicated, to be lost if another instance takes over.
    pub(super) fn start_loss(&mut self, svc: usize, a: usize, now: SimTime) {
        let spec = self.spec;
        let Some(f) = self.failovers[svc].as_mut() else {
            return;
        };
        let Some(data) = &spec.services[svc].data else {
            // Nothing to lose, but the promotion still counts as a
            // failover.
            f.pending_loss = Some((0, 0.0, SimDuration::ZERO, a));
            return;
        };
        let rate = data.writes_per_second;
        let fallback = self.writes[svc].as_ref().and_then(|w| w.fallback_since);
        let alone = self.writes[svc]
            .as_ref()
            .and_then(|w| w.alone_since)
            .filter(|&since| now > since)
            .map_or(SimDuration::ZERO, |since| now - since);
        let Some(f) = self.failovers[svc].as_mut() else {
            return;
        };
        let (lost, window_h, window) = match &data.replication {
            None | Some(Replication::Sync) => (0, 0.0, SimDuration::ZERO),
            // Behind by what the active instance acknowledged alone since
            // the fallback (nothing while still synchronous).
            Some(Replication::SemiSync { .. }) => match fallback {
                Some(since) if now > since => {
                    let behind = now - since;
                    (
                        poisson_count(&mut f.data_rng, rate * behind.as_secs_f64()),
                        behind.as_hours_f64(),
                        behind,
                    )
                }
                _ => (0, 0.0, SimDuration::ZERO),
            },
            // In flight, and everything acknowledged since no standby
            // could be reached (a partition, a standby down).
            Some(Replication::Async { lag }) => {
                let mean_s = lag.mean_hours() * 3600.0 + alone.as_secs_f64();
                (
                    poisson_count(&mut f.data_rng, rate * mean_s),
                    mean_s / 3600.0,
                    SimDuration::from_hours_f64(lag.mean_hours()) + alone,
                )
            }
            Some(Replication::Batch { interval }) => {
                let since = SimDuration::from_micros(now.as_micros() % interval.as_micros().max(1));
                (
                    poisson_count(&mut f.data_rng, rate * since.as_secs_f64()),
                    since.as_hours_f64(),
                    since,
                )
            }
        };
        f.pending_loss = Some((lost, window_h, window, a));
    }

    /// Whether the active instance of `svc` acknowledged writes that no
    /// standby has, at `now`: asynchronous replication while it reached
    /// no standby, semi-synchronous since its fallback.
    pub(super) fn wrote_alone(&self, svc: usize, now: SimTime) -> bool {
        let Some(w) = self.writes[svc].as_ref() else {
            return false;
        };
        let replication = self.spec.services[svc]
            .data
            .as_ref()
            .and_then(|d| d.replication.as_ref());
        let since = match replication {
            Some(Replication::Async { .. }) => w.alone_since,
            Some(Replication::SemiSync { .. }) => w.fallback_since,
            _ => None,
        };
        since.is_some_and(|t| now > t)
    }

    /// Records `lost` writes of `service` over a window of `window_h`
    /// hours (`window` as a duration, for observers), lost for `cause`.
    pub(super) fn record_loss(
        &mut self,
        lost: u64,
        window_h: f64,
        service: usize,
        window: SimDuration,
        cause: LossCause,
    ) {
        self.lost_writes += lost;
        let own = &mut self.service_data[service];
        own.lost_writes += lost;
        if lost > 0 {
            own.loss_events += 1;
            own.worst_rpo_hours = own.worst_rpo_hours.max(window_h);
            self.loss_events += 1;
            self.worst_rpo_hours = self.worst_rpo_hours.max(window_h);
            self.recent_losses.push(WriteLoss {
                service,
                writes: lost,
                window,
                cause,
            });
        }
    }

    /// Data of `svc` is deleted at `now`: restored from the last backup,
    /// losing what was written since (everything, without backups).
    pub(super) fn delete_data(&mut self, svc: usize, now: SimTime) {
        let Some(data) = &self.spec.services[svc].data else {
            return;
        };
        let since = match data.backup_interval {
            Some(interval) => {
                SimDuration::from_micros(now.as_micros() % interval.as_micros().max(1))
            }
            None => now.since_start(),
        };
        let lost = poisson_count(
            &mut self.data_rngs[svc],
            data.writes_per_second * since.as_secs_f64(),
        );
        if now >= self.warmup {
            self.record_loss(lost, since.as_hours_f64(), svc, since, LossCause::Deletion);
        }
    }
}
