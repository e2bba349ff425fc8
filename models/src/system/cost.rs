//! What a replication costs per year, component by component.
//!
//! [`per_year`] is the one place that prices a replication: from the spec
//! (instances, hosts, zones, regions, crews, backups, traffic: fixed
//! figures) and the replication's measures (incidents, repairs,
//! service-level credits, downtime: random figures, different in every
//! replication). Its [`CostPerYear`] lists the components in a fixed order
//! under stable snake_case names ([`CostComponent::name`]) with their
//! total. Every replication's is kept in its
//! [`SystemMeasures::cost`](crate::system::model::SystemMeasures::cost),
//! the summary folds each component and the total, and `nines compare`
//! pairs two designs on it replication by replication, so the random
//! components difference under common random numbers.
//!
//! Rates are per year of 8760 h: fixed prices per hour are multiplied by
//! 8760, counts measured after the warm-up are divided by the measured
//! span in years.

mod sla;
mod traffic;

pub use sla::{MONTH, SlaMonths};
pub use traffic::{TrafficGb, replication_gb, request_gb, service_gb, system_gb};

use sim_core::time::{HOURS_PER_YEAR, SimDuration, SimTime};

use crate::measure::ServiceMeasures;
use crate::system::model::SystemMeasures;
use crate::system::spec::{SystemSpec, price};

/// One component of what a system costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CostComponent {
    /// Instances at their `cost_per_hour`: every instance of an
    /// active-active service, the active one of an active-passive service.
    Instances,
    /// Standby instances at their `standby_cost_per_hour`, and the
    /// witnesses of majority promotion at their `witness_cost_per_hour`.
    Standbys,
    /// Hosts at their zone's `host_cost_per_hour`.
    Hosts,
    /// Zones at their `cost_per_year`.
    Zones,
    /// Regions at their `cost_per_year`.
    Regions,
    /// Repair crews at their team's `cost_per_crew_per_year`.
    Crews,
    /// Incidents of the entry point at `[cost] per_incident` (random).
    Incidents,
    /// Repairs at each fault's `repair_cost` (random).
    Repairs,
    /// Backup runs at `data.backup_run_cost`.
    Backups,
    /// Retained backup copies at `data.backup_copy_cost_per_hour`.
    BackupStorage,
    /// Traffic across zones and regions at `[cost] cross_zone_per_gb` and
    /// `cross_region_per_gb`.
    Traffic,
    /// Service-level credits owed by month (random).
    SlaCredits,
    /// Downtime of the entry point at `[cost] downtime_per_minute`
    /// (random).
    Downtime,
}

impl CostComponent {
    /// Every component, in the order reports list them.
    pub const ALL: [CostComponent; 13] = [
        CostComponent::Instances,
        CostComponent::Standbys,
        CostComponent::Hosts,
        CostComponent::Zones,
        CostComponent::Regions,
        CostComponent::Crews,
        CostComponent::Incidents,
        CostComponent::Repairs,
        CostComponent::Backups,
        CostComponent::BackupStorage,
        CostComponent::Traffic,
        CostComponent::SlaCredits,
        CostComponent::Downtime,
    ];

    /// The component's stable snake_case name, as the JSON gives it.
    pub fn name(self) -> &'static str {
        match self {
            CostComponent::Instances => "instances",
            CostComponent::Standbys => "standbys",
            CostComponent::Hosts => "hosts",
            CostComponent::Zones => "zones",
            CostComponent::Regions => "regions",
            CostComponent::Crews => "crews",
            CostComponent::Incidents => "incidents",
            CostComponent::Repairs => "repairs",
            CostComponent::Backups => "backups",
            CostComponent::BackupStorage => "backup_storage",
            CostComponent::Traffic => "traffic",
            CostComponent::SlaCredits => "sla_credits",
            CostComponent::Downtime => "downtime",
        }
    }

    /// Whether it depends on what happened in the replication (and so
    /// has an interval), rather than on the spec and the horizon alone.
    pub fn is_random(self) -> bool {
        matches!(
            self,
            CostComponent::Incidents
                | CostComponent::Repairs
                | CostComponent::SlaCredits
                | CostComponent::Downtime
        )
    }
}

/// A replication's cost per year, by component in the order of
/// [`CostComponent::ALL`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CostPerYear {
    /// The amount of each component, per year.
    pub amounts: [f64; CostComponent::ALL.len()],
    /// Whether the instances are random too: some service is autoscaled,
    /// so its instances cost what ran (instance-hours), not what is
    /// placed.
    pub instances_random: bool,
}

impl CostPerYear {
    /// The amount of one component.
    pub fn get(&self, c: CostComponent) -> f64 {
        self.amounts[c as usize]
    }

    /// Every component with its amount, in order.
    pub fn iter(&self) -> impl Iterator<Item = (CostComponent, f64)> + '_ {
        CostComponent::ALL.iter().map(|&c| (c, self.get(c)))
    }

    /// The sum of every component.
    pub fn total(&self) -> f64 {
        self.amounts.iter().sum()
    }

    /// Whether component `c` is random in this replication: one of
    /// [`CostComponent::is_random`], or the instances of an autoscaled
    /// system.
    pub fn random_here(&self, c: CostComponent) -> bool {
        c.is_random() || (self.instances_random && c == CostComponent::Instances)
    }

    /// The sum of the fixed components (those not
    /// [`CostComponent::is_random`]).
    pub fn fixed(&self) -> f64 {
        self.iter()
            .filter(|&(c, _)| !self.random_here(c))
            .map(|(_, x)| x)
            .sum()
    }

    /// The sum of the random components.
    pub fn random(&self) -> f64 {
        self.iter()
            .filter(|&(c, _)| self.random_here(c))
            .map(|(_, x)| x)
            .sum()
    }
}

/// Backup runs in the measured span `[warmup, end)`: backups run every
/// `interval` from time zero, so this is the multiples of the interval at
/// or after the warm-up and before the end.
pub fn backup_runs(interval: SimDuration, warmup: SimTime, end: SimTime) -> u64 {
    let i = interval.as_micros().max(1);
    end.as_micros().div_ceil(i) - warmup.as_micros().div_ceil(i)
}

/// What service `svc` costs per year on its own, over a measured span
/// from `warmup` to `end`: its instances (standbys at their price), its
/// backup runs and retained copies, and its traffic (replication from it,
/// calls into it).
pub fn service_per_year(spec: &SystemSpec, svc: usize, warmup: SimTime, end: SimTime) -> f64 {
    let s = &spec.services[svc];
    let (runs, copies) = backups(spec, svc, warmup, end);
    s.cost_per_hour() * HOURS_PER_YEAR + runs + copies + service_gb(spec, svc).price(spec)
}

/// Service `svc`'s backup runs and retained copies, per year.
fn backups(spec: &SystemSpec, svc: usize, warmup: SimTime, end: SimTime) -> (f64, f64) {
    let interval = spec.services[svc]
        .data
        .as_ref()
        .and_then(|d| d.backup_interval);
    let cost = spec.costs.backups.get(svc).copied().flatten();
    let (Some(interval), Some(cost)) = (interval, cost) else {
        return (0.0, 0.0);
    };
    let years = (end - warmup).as_hours_f64() / HOURS_PER_YEAR;
    let runs = if years > 0.0 {
        backup_runs(interval, warmup, end) as f64 * cost.per_run / years
    } else {
        0.0
    };
    let copies = f64::from(cost.retain) * cost.per_copy_hour * HOURS_PER_YEAR;
    (runs, copies)
}

/// What one replication costs per year: the fixed components from the
/// spec and the measured span of `entry`, the random ones from `entry`
/// (incidents, downtime) and `sys` (repairs, service-level credits).
/// `nines compare` pairs two designs on it replication by replication.
///
/// Backup runs are counted exactly in the measured span (see
/// [`backup_runs`]); retained copies are charged for the whole span, as
/// if `backup_retain` copies were kept from the start.
pub fn per_year(spec: &SystemSpec, entry: &ServiceMeasures, sys: &SystemMeasures) -> CostPerYear {
    let mut c = CostPerYear::default();
    let costs = &spec.costs;
    let mut active = 0.0;
    let mut standby = 0.0;
    let observed = entry.observed_hours();
    for (svc, s) in spec.services.iter().enumerate() {
        let n = s.instances.len() as f64;
        if s.autoscale.is_some() {
            // What ran, per hour on average.
            let hours = sys.service_data.get(svc).map_or(0.0, |d| d.instance_hours);
            if observed > 0.0 {
                active += hours / observed * s.cost_per_instance_hour;
            }
            c.instances_random = true;
            continue;
        }
        match &s.failover {
            Some(f) => {
                active += s.cost_per_instance_hour;
                standby += (n - 1.0) * f.standby_cost_per_hour.unwrap_or(s.cost_per_instance_hour);
                standby += f.majority.as_ref().map_or(0.0, |m| m.cost_per_hour());
            }
            None => active += n * s.cost_per_instance_hour,
        }
    }
    let mut set = |k: CostComponent, x: f64| c.amounts[k as usize] = x;
    set(CostComponent::Instances, active * HOURS_PER_YEAR);
    set(CostComponent::Standbys, standby * HOURS_PER_YEAR);
    let hosts: f64 = (0..spec.hosts.len())
        .map(|h| price(&costs.host_per_hour, h))
        .sum();
    set(CostComponent::Hosts, hosts * HOURS_PER_YEAR);
    set(CostComponent::Zones, costs.zone_per_year.iter().sum());
    set(CostComponent::Regions, costs.region_per_year.iter().sum());
    let crews: f64 = spec
        .teams
        .iter()
        .enumerate()
        .map(|(t, team)| f64::from(team.crews) * price(&costs.crew_per_year, t))
        .sum();
    set(CostComponent::Crews, crews);
    let warmup = entry.warmup();
    let end = warmup.saturating_add(entry.observed());
    let (mut runs, mut copies) = (0.0, 0.0);
    for svc in 0..spec.services.len() {
        let (r, k) = backups(spec, svc, warmup, end);
        runs += r;
        copies += k;
    }
    set(CostComponent::Backups, runs);
    set(CostComponent::BackupStorage, copies);
    set(CostComponent::Traffic, system_gb(spec).price(spec));
    let years = entry.observed_hours() / HOURS_PER_YEAR;
    let per_year = |x: f64| if years > 0.0 { x / years } else { 0.0 };
    set(
        CostComponent::Incidents,
        per_year(entry.incidents() as f64 * costs.per_incident),
    );
    let repairs: f64 = sys
        .repairs
        .iter()
        .enumerate()
        .map(|(f, &n)| n as f64 * price(&costs.per_repair, f))
        .sum();
    set(CostComponent::Repairs, per_year(repairs));
    set(CostComponent::SlaCredits, per_year(sys.sla_credits));
    set(
        CostComponent::Downtime,
        entry.downtime_minutes_per_year() * spec.downtime_cost_per_minute,
    );
    c
}

#[cfg(test)]
mod tests;
