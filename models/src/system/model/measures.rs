//! Measures: what a replication measures beyond the entry point, the
//! evaluations they follow, and the spans charged to each state.

use sim_core::time::SimTime;

use super::{Held, SystemModel};
use crate::measure::ServiceMeasures;

/// What a system replication measures beyond the entry point's
/// [`ServiceMeasures`].
#[derive(Clone, Debug, PartialEq)]
pub struct SystemMeasures {
    /// Each service, up as seen from where client traffic enters.
    pub services: Vec<ServiceMeasures>,
    /// Hours the entry point was up but degraded.
    pub degraded_hours: f64,
    /// Hours of full service: the integral of the share of requests served
    /// (one while everything works, less while gray hosts or lossy links
    /// fail part of the traffic, zero while down). Divided by the measured
    /// hours, it is the request-based availability.
    pub served_hours: f64,
    /// Hours of entry downtime charged to each fault of the spec.
    pub attributed_hours: Vec<f64>,
    /// Hours of entry downtime charged to each component (element, the
    /// network, the load:
    /// [`SystemSpec::component_slots`](crate::system::spec::SystemSpec::component_slots)),
    /// by the same rule as to faults: the component each charged fault
    /// held.
    pub attributed_component_hours: Vec<f64>,
    /// Occurrences of each fault of the spec that took effect.
    pub occurrences: Vec<u64>,
    /// Failovers to another instance (promotions), after the warm-up, of
    /// the services the entry point needs
    /// ([`SystemSpec::entry_closure`](crate::system::spec::SystemSpec::entry_closure));
    /// each service's own are in `service_data`.
    pub failovers: u64,
    /// Promotions of a standby that suspected a healthy active instance
    /// (a partition, a lossy link, a gray host), after the warm-up.
    pub needless_failovers: u64,
    /// Planned switchovers back to the first instance, after the warm-up.
    pub failbacks: u64,
    /// Acknowledged writes lost (unreplicated at a failover, or written
    /// since the last backup when data was deleted), after the warm-up, by
    /// the services the entry point needs.
    pub lost_writes: u64,
    /// Events that lost at least one write.
    pub loss_events: u64,
    /// The longest window of writes lost at once, in hours (the worst
    /// recovery point seen).
    pub worst_rpo_hours: f64,
    /// Hours with two writable primaries (split brain), after the warm-up.
    pub split_brain_hours: f64,
    /// Split brains that began after the warm-up.
    pub split_brains: u64,
    /// Per service (in spec order): its own failovers and lost writes.
    pub service_data: Vec<ServiceData>,
    /// Per quorum service: (reads, writes) possible, as up/down measures.
    pub quorum: Vec<Option<(ServiceMeasures, ServiceMeasures)>>,
    /// Per active-passive service with data: write availability, latency
    /// and writes refused (stalls of sync and semi-sync replication);
    /// `None` for the others.
    pub writes: Vec<Option<super::WriteMeasures>>,
    /// Per fault of the spec: repairs that ended after the warm-up.
    pub repairs: Vec<u64>,
    /// Service-level credits owed over the measured span (months of
    /// [`MONTH`](crate::system::cost::MONTH) from the warm-up; zero
    /// without credit tiers).
    pub sla_credits: f64,
    /// Months that owed a service-level credit.
    pub sla_breached_months: u64,
    /// What the replication costs per year, by component
    /// ([`crate::system::cost::per_year`]).
    pub cost: crate::system::cost::CostPerYear,
}

/// What happened to one service's failovers and data, after the warm-up:
/// the system's figures of [`SystemMeasures`] that belong to it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ServiceData {
    /// Failovers to another of its instances (promotions).
    pub failovers: u64,
    /// Of those, promotions of a standby that suspected a healthy active
    /// instance.
    pub needless_failovers: u64,
    /// Promotions refused for want of a majority of voters (a standby cut
    /// off from the majority, a lost primary left to the manual recovery).
    pub refused_promotions: u64,
    /// Acknowledged writes it lost.
    pub lost_writes: u64,
    /// Events that lost at least one of its writes.
    pub loss_events: u64,
    /// Its longest window of writes lost at once, hours.
    pub worst_rpo_hours: f64,
    /// Instance-hours its autoscaler ran (running or launching
    /// instances, integrated over the measured span); zero for a service
    /// without autoscaling.
    pub instance_hours: f64,
    /// Its autoscaler's scaling actions: launches and stops, each of one
    /// or more instances at once.
    pub scaling_actions: u64,
    /// Leader elections begun, for a leader-based quorum store.
    pub elections: u64,
}

impl SystemModel<'_> {
    /// Evaluates the current counters into `self.probe`.
    pub(super) fn probe(&mut self) {
        self.eval.evaluate_into(
            self.spec,
            &self.counters,
            &mut self.probe,
            &mut self.scratch,
        );
    }

    /// Evaluates into `self.probe` as if active fault `id` were over:
    /// removes its effect, evaluates, and applies it again.
    pub(super) fn probe_without(&mut self, id: u32) {
        // Taken out of its slot while removed, instead of cloned; nothing
        // reads it meanwhile but `remove` and `apply`.
        let slot = self.activations[id as usize]
            .as_mut()
            .expect("an active fault");
        let held = std::mem::replace(&mut slot.held, Held::Surge(0));
        self.remove(&held, id);
        self.probe();
        self.apply(&held, id);
        if let Some(slot) = self.activations[id as usize].as_mut() {
            slot.held = held;
        }
    }

    /// Accumulates the span since the last change, then takes the new state.
    pub(super) fn update(&mut self, now: SimTime) {
        self.accumulate(now);
        self.last = now;
        self.eval.evaluate_into(
            self.spec,
            &self.counters,
            &mut self.status,
            &mut self.scratch,
        );
        self.entry.set_up(now, self.status.entry_up);
        for (m, &up) in self.services.iter_mut().zip(&self.status.service_up) {
            m.set_up(now, up);
        }
        for (m, q) in self.quorum.iter_mut().zip(&self.status.quorum) {
            if let (Some((reads, writes)), Some((r, w))) = (m, q) {
                reads.set_up(now, *r);
                writes.set_up(now, *w);
            }
        }
        self.settle_writes(now);
        if self.status.entry_up {
            self.shares.clear();
            self.component_shares.clear();
        } else {
            self.shares = self.attribute();
        }
    }

    /// Charges the span from the last change to `now` (its part after the
    /// warm-up) to the state that held during it.
    pub(super) fn accumulate(&mut self, now: SimTime) {
        let from = self.last.max(self.warmup);
        if now > from {
            let span = now - from;
            let hours = span.as_hours_f64();
            self.accumulate_writes(span);
            if !self.spec.costs.sla_credits.is_empty() {
                self.sla
                    .add(&self.spec.costs, from, now, !self.status.entry_up);
            }
            self.served_hours += self.status.served * hours;
            if !self.status.entry_up {
                for &(f, share) in &self.shares {
                    self.attributed[f] += share * hours;
                }
                for &(c, share) in &self.component_shares {
                    self.attributed_components[c] += share * hours;
                }
            } else if self.status.entry_degraded {
                self.degraded += span;
            }
        }
    }
}
