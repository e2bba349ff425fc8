//! Leaders of quorum stores: a leader that is lost (down, or cut off from
//! a majority of the replicas) stops writes for an election; then the
//! first replica that reaches a majority leads.
//!
//! The leader is kept in the counters' active slot of the service, and an
//! election under way in its switching flag, which the evaluation reads
//! (writes need the leader and W replicas it reaches; see
//! [`LeaderSpec`](crate::system::spec::LeaderSpec)).

use sim_core::engine::Scheduler;
use sim_core::queue::EventId;
use sim_core::rng::RngStream;

use super::{SystemEvent, SystemModel};
use crate::system::health::Status;

/// The election machinery of one leader-based quorum store.
#[derive(Debug)]
pub(super) struct Election {
    /// Draws election times.
    rng: RngStream,
    /// The election under way, if any.
    timer: Option<EventId>,
}

/// Per service: election machinery for leader-based quorum stores,
/// `None` for the others.
pub(super) fn elections(
    spec: &crate::system::spec::SystemSpec,
    seed: u64,
    replication: u64,
) -> Vec<Option<Election>> {
    spec.services
        .iter()
        .map(|svc| {
            svc.leader.as_ref().map(|_| Election {
                rng: RngStream::new(
                    seed,
                    replication,
                    &format!("leader/{}", svc.name),
                    "election",
                ),
                timer: None,
            })
        })
        .collect()
}

impl SystemModel<'_> {
    /// Starts an election in every leader-based store whose leader is
    /// lost, and (with no leader and no election) one as soon as a
    /// majority is together again.
    pub(super) fn settle_elections(&mut self, s: &mut Scheduler<SystemEvent>) {
        if self.elections.iter().all(Option::is_none) {
            return;
        }
        self.probe();
        let status = std::mem::take(&mut self.probe);
        for svc in 0..self.elections.len() {
            let Some(e) = self.elections[svc].as_ref() else {
                continue;
            };
            if e.timer.is_some() {
                continue;
            }
            let lost = match self.counters.active(svc) {
                Some(l) => !self.leads(&status, svc, l),
                // Leaderless: an election can end only with a majority.
                None => self.first_leader(&status, svc).is_some(),
            };
            if lost {
                let spec = self.spec.services[svc]
                    .leader
                    .as_ref()
                    .expect("a leader-based store");
                let e = self.elections[svc].as_mut().expect("election machinery");
                let d = spec.election.sample(&mut e.rng);
                e.timer = Some(s.schedule_after(d, SystemEvent::ElectionDone(svc as u32)));
                self.counters.set_failover(svc, None, true);
                if s.now() >= self.warmup {
                    self.service_data[svc].elections += 1;
                }
            }
        }
        self.probe = status;
    }

    /// An election of `svc` ends: the first replica that reaches a
    /// majority leads; without one, the store stays leaderless until a
    /// majority is together.
    pub(super) fn election_done(&mut self, svc: usize) {
        if let Some(e) = self.elections[svc].as_mut() {
            e.timer = None;
        }
        self.probe();
        let status = std::mem::take(&mut self.probe);
        let leader = self.first_leader(&status, svc);
        self.counters.set_failover(svc, leader, false);
        self.probe = status;
    }

    /// Whether replica `i` of `svc` can lead: effective, and reaching a
    /// majority of the replicas (itself included).
    fn leads(&self, status: &Status, svc: usize, i: usize) -> bool {
        let eff = &status.effective[svc];
        if !eff[i] {
            return false;
        }
        let n = eff.len();
        let reached = (0..n)
            .filter(|&j| eff[j] && self.eval.instances_reach(status, svc, i, j))
            .count();
        reached > n / 2
    }

    /// The first replica of `svc` that can lead, if any.
    fn first_leader(&self, status: &Status, svc: usize) -> Option<usize> {
        (0..status.effective[svc].len()).find(|&i| self.leads(status, svc, i))
    }
}
