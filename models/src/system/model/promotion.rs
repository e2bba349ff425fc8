//! Promotion by majority: the votes a standby gathers, the active
//! instance that steps down when it reaches no majority, and the
//! promotions refused for want of one.

use sim_core::time::SimTime;

use super::SystemModel;
use crate::system::health::Status;

impl SystemModel<'_> {
    /// Whether zones `x` and `y` reach each other in `status`.
    fn zones_reach(&self, status: &Status, x: usize, y: usize) -> bool {
        status.zone_reach[x * self.spec.zones.len() + y]
    }

    /// The zone of instance `i` of `svc`.
    fn instance_zone(&self, svc: usize, i: usize) -> usize {
        self.spec
            .zone_of_host(self.spec.services[svc].instances[i].host)
    }

    /// The votes instance `b` of `svc` gathers: itself, and every live
    /// voter it reaches that does not reach a serving active instance
    /// (`serving`). Without a majority rule, `usize::MAX`.
    fn votes_for(&self, svc: usize, b: usize, serving: Option<usize>, status: &Status) -> usize {
        let Some(m) = self.spec.services[svc]
            .failover
            .as_ref()
            .and_then(|f| f.majority.as_ref())
        else {
            return usize::MAX;
        };
        let eff = &status.effective[svc];
        let zb = self.instance_zone(svc, b);
        let za = serving.map(|a| self.instance_zone(svc, a));
        let free = |z: usize| za.is_none_or(|za| !self.zones_reach(status, z, za));
        let instances = (0..eff.len())
            .filter(|&i| i != b && eff[i] && Some(i) != serving)
            .filter(|&i| {
                let z = self.instance_zone(svc, i);
                self.zones_reach(status, zb, z) && free(z)
            })
            .count();
        let witnesses = m
            .witnesses
            .iter()
            .filter(|w| {
                self.eval.host_up(&self.counters, w.host)
                    && self.zones_reach(status, zb, w.zone)
                    && free(w.zone)
            })
            .count();
        1 + instances + witnesses
    }

    /// Whether instance `b` of `svc` may promote itself while `serving`
    /// is the active instance that still serves, if any: always without
    /// a majority rule.
    pub(super) fn has_majority(
        &self,
        svc: usize,
        b: usize,
        serving: Option<usize>,
        status: &Status,
    ) -> bool {
        let Some(m) = self.spec.services[svc]
            .failover
            .as_ref()
            .and_then(|f| f.majority.as_ref())
        else {
            return true;
        };
        let n = self.spec.services[svc].instances.len();
        self.votes_for(svc, b, serving, status) >= m.needed(n)
    }

    /// The active instance `a` of `svc` if it serves: effective and not
    /// stepped down.
    pub(super) fn serving_active(&self, svc: usize, status: &Status) -> Option<usize> {
        self.counters
            .active(svc)
            .filter(|&a| status.effective[svc][a] && !self.counters.stepped_down(svc))
    }

    /// A majority rule: the healthy active instance `a` steps down while it
    /// reaches no majority of the voters, and serves again once it does;
    /// after a manual recovery it serves until it has reached one again.
    /// Returns whether its state changed.
    pub(super) fn settle_step_down(&mut self, svc: usize, a: usize, status: &Status) -> bool {
        let majority = self.spec.services[svc]
            .failover
            .as_ref()
            .is_some_and(|f| f.majority.is_some());
        if !majority {
            return false;
        }
        let holds = self.has_majority(svc, a, None, status);
        let Some(f) = self.failovers[svc].as_mut() else {
            return false;
        };
        if holds {
            f.forced = false;
        }
        let down = !holds && !f.forced;
        if down == self.counters.stepped_down(svc) {
            return false;
        }
        self.counters.set_stepped_down(svc, down);
        true
    }

    /// A standby `b` of `svc` cut off from the active instance `a` (or
    /// suspecting it): `Some(b)` if it may go on to promote itself, `None`
    /// if it reaches no majority. A refusal is counted once for as long
    /// as the same standby stays refused.
    pub(super) fn majority_gate(
        &mut self,
        svc: usize,
        cut_off: Option<usize>,
        status: &Status,
        now: SimTime,
    ) -> Option<usize> {
        let serving = self.serving_active(svc, status);
        let allowed = cut_off.filter(|&b| self.has_majority(svc, b, serving, status));
        let refused = cut_off.filter(|_| allowed.is_none());
        let now_counted = s_refuse(
            self.failovers[svc].as_mut().map(|f| &mut f.refused),
            refused,
        );
        if now_counted {
            self.refuse(svc, now);
        }
        allowed
    }

    /// Counts one promotion refused for want of a majority (after the
    /// warm-up).
    pub(super) fn refuse(&mut self, svc: usize, now: SimTime) {
        if now >= self.warmup {
            self.service_data[svc].refused_promotions += 1;
        }
    }
}

/// Keeps the standby currently refused in `slot`; true when a new refusal
/// begins (none, or another standby, was refused before).
fn s_refuse(slot: Option<&mut Option<usize>>, refused: Option<usize>) -> bool {
    let Some(slot) = slot else {
        return false;
    };
    let new = refused.is_some() && *slot != refused;
    *slot = refused;
    new
}
