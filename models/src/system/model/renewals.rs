//! Renewals: the ages a planned restart resets, and the uptime clocks of
//! age-based maintenance.
//!
//! A fault process's pending occurrence is its age made concrete: the
//! time drawn from `every` at its last renewal. When an activation that
//! holds a host down ends, two kinds of process on that host start afresh:
//!
//! - the processes its fault renews (`FaultSpec::resets`: by default the
//!   aging faults a maintenance window restarts), whose pending occurrence
//!   is cancelled and a new time drawn from `every`, counted from now;
//! - the uptime clocks of age-based maintenance (`Occurrence::AfterUptime`)
//!   on that host, whatever the fault that ended: the host came back up, so
//!   its uptime counts from now.
//!
//! A process with no pending occurrence is active (its own repair renews
//! it when it ends) and is left alone.

use sim_core::engine::Scheduler;

use super::{Held, Kind, Process, SystemEvent, SystemModel};
use crate::system::spec::{Element, Occurrence, SystemSpec};

/// The host a process acts on, if it takes down or degrades one.
fn process_host(kind: &Kind) -> Option<usize> {
    match *kind {
        Kind::Down(Element::Host(h)) | Kind::Degrade(Element::Host(h), _) => Some(h),
        _ => None,
    }
}

/// For each process, the processes whose age its ended activations renew;
/// and for each host, its age-based maintenance processes (empty when no
/// fault restarts after uptime).
pub(super) fn renewal_links(spec: &SystemSpec, processes: &[Process]) -> RenewalLinks {
    let mut resets = vec![Vec::new(); processes.len()];
    for (p, proc_) in processes.iter().enumerate() {
        let renewed = &spec.faults[proc_.fault].resets;
        if renewed.is_empty() {
            continue;
        }
        let Kind::Down(Element::Host(h)) = proc_.kind else {
            continue;
        };
        resets[p] = processes
            .iter()
            .enumerate()
            .filter(|(_, q)| renewed.contains(&q.fault) && process_host(&q.kind) == Some(h))
            .map(|(q, _)| q as u32)
            .collect();
    }
    let mut uptime_clocks = Vec::new();
    for (p, proc_) in processes.iter().enumerate() {
        if let (Occurrence::AfterUptime { .. }, Kind::Down(Element::Host(h))) =
            (&spec.faults[proc_.fault].occurrence, &proc_.kind)
        {
            if uptime_clocks.is_empty() {
                uptime_clocks = vec![Vec::new(); spec.hosts.len()];
            }
            uptime_clocks[*h].push(p as u32);
        }
    }
    RenewalLinks {
        resets,
        uptime_clocks,
    }
}

/// What [`renewal_links`] finds.
pub(super) struct RenewalLinks {
    /// Per process: the processes it renews.
    pub(super) resets: Vec<Vec<u32>>,
    /// Per host: its age-based maintenance processes.
    pub(super) uptime_clocks: Vec<Vec<u32>>,
}

impl SystemModel<'_> {
    /// An activation of process `p` holding `held` has ended: the host it
    /// held down is back, so the processes `p` renews and the host's
    /// uptime clocks start afresh.
    pub(super) fn renew_ages(&mut self, p: u32, held: &Held, s: &mut Scheduler<SystemEvent>) {
        let Held::Down(Element::Host(h)) = *held else {
            return;
        };
        if let Some(clocks) = self.uptime_clocks.get(h) {
            for i in 0..clocks.len() {
                let q = self.uptime_clocks[h][i];
                if q != p {
                    self.renew(q, s);
                }
            }
        }
        for i in 0..self.processes[p as usize].resets.len() {
            let q = self.processes[p as usize].resets[i];
            self.renew(q, s);
        }
    }

    /// Process `q` starts a fresh life now, if it is waiting for its next
    /// occurrence.
    fn renew(&mut self, q: u32, s: &mut Scheduler<SystemEvent>) {
        if let Some(id) = self.processes[q as usize].pending.take() {
            s.cancel(id);
            self.schedule_next(q, s);
        }
    }
}
