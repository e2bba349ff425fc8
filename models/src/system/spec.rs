//! The description of an infrastructure system, ready to simulate: its
//! failure domains, services and fault processes, with every reference
//! resolved to an index.
//!
//! Indices point into the vectors of [`SystemSpec`]; [`SystemSpec::validate`]
//! checks that they are in range, that dependencies form no cycle, and that
//! every count makes sense. Scenario files are turned into this type by the
//! `scenarios` crate; models never see a file.

mod components;
mod costs;
mod dependencies;
mod faults;
mod load;
mod promotion;
mod replication;
mod scaling;
mod services;
mod topology;
mod validation;

pub(crate) use costs::price;
pub use costs::{BackupCost, CostSpec, SlaTier};
pub use faults::{Effect, FaultClass, FaultSpec, Occurrence, Repair, TeamSpec};
pub use load::LoadCurve;
pub use promotion::{MajoritySpec, WitnessSpec};
pub use replication::NetworkSpec;
pub use scaling::AutoscaleSpec;
pub use services::{
    DataSpec, FailoverSpec, HealthCheckSpec, HeartbeatSpec, InstanceSpec, LeaderSpec, Replication,
    ServiceSpec, UpRule, run_wait_checks,
};
pub use topology::{DEFAULT_LINK_LATENCY, Element, HostSpec, LinkSpec, Place, RackSpec, ZoneSpec};
pub use validation::SystemError;

/// Where users reach the system.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EntrySpec {
    /// The user-facing service.
    pub service: usize,
    /// Where client traffic enters.
    pub from: Place,
}

/// A whole system.
#[derive(Clone, Debug, PartialEq)]
pub struct SystemSpec {
    /// Region names.
    pub regions: Vec<String>,
    /// Zones.
    pub zones: Vec<ZoneSpec>,
    /// Racks.
    pub racks: Vec<RackSpec>,
    /// Hosts.
    pub hosts: Vec<HostSpec>,
    /// Links between zones or regions.
    pub links: Vec<LinkSpec>,
    /// Services.
    pub services: Vec<ServiceSpec>,
    /// The user-facing entry point.
    pub entry: EntrySpec,
    /// Fault processes.
    pub faults: Vec<FaultSpec>,
    /// Repair teams.
    pub teams: Vec<TeamSpec>,
    /// Cost of each minute the entry point is down (lost revenue, SLA
    /// credits); zero if not given.
    pub downtime_cost_per_minute: f64,
    /// The currency every cost is in (`[cost] currency`, such as "EUR");
    /// `None`: the scenario names none.
    pub currency: Option<String>,
    /// How the offered load varies over the day (or any period); `None`:
    /// constant. It scales the load of every capacity up rule.
    pub load_curve: Option<LoadCurve>,
    /// What the system costs beyond its instances and its downtime
    /// (hosts, zones, regions, crews, incidents, repairs, backups, traffic,
    /// service-level credits); every price zero by default.
    pub costs: CostSpec,
    /// Round-trip times between zones where no link says otherwise.
    pub network: NetworkSpec,
}

impl SystemSpec {
    /// The zone of a host.
    pub fn zone_of_host(&self, host: usize) -> usize {
        self.racks[self.hosts[host].rack].zone
    }

    /// The name of an element, for traces and attribution.
    pub fn element_name(&self, e: Element) -> String {
        match e {
            Element::Host(i) => self.hosts[i].name.clone(),
            Element::Rack(i) => self.racks[i].name.clone(),
            Element::Zone(i) => self.zones[i].name.clone(),
            Element::Region(i) => self.regions[i].clone(),
            Element::Link(i) => self.links[i].name.clone(),
            Element::Service(i) => self.services[i].name.clone(),
            Element::Instance(s, i) => self.services[s].instances[i].name.clone(),
        }
    }
}
