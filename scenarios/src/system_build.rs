//! From an infrastructure-system file as written to a validated
//! [`SystemSpec`]: topology expanded into named racks and hosts, instances
//! placed, names resolved to indices, units parsed, every problem collected
//! with its place.
//!
//! The build goes in order, each part in its own module: the `topology`,
//! then the `services` with their instances' `placement`, the entry and
//! costs, the `repair` teams, the `load` curve, the `faults` with their
//! `targets` and `occurrence`, then what maintenance `renewals` renew, and
//! the other `costs`; `names` reports names that do not resolve.

mod costs;
mod faults;
mod health_check;
mod load;
pub(crate) mod names;
mod occurrence;
mod placement;
mod promotion;
mod renewals;
mod repair;
mod replication;
mod scaling;
mod services;
mod targets;
mod topology;

use std::collections::BTreeMap;

use models::spec::ModelSpec;
use models::system::spec::{
    DataSpec, FailoverSpec, FaultSpec, HealthCheckSpec, HostSpec, InstanceSpec, LinkSpec, RackSpec,
    ServiceSpec, SystemSpec, UpRule, ZoneSpec,
};

pub(crate) use self::costs::{MAX_RETAINED, parse_size};
pub(crate) use self::names::suggestion;
pub(crate) use self::services::parse_per;
use self::topology::Kind;
use crate::Scenario;
use crate::check::Checker;
use crate::error::{Diagnostic, ScenarioError};
use crate::invariant::Format;
use crate::system_file::SystemFile;

/// The most racks one zone may have.
pub(crate) const MAX_RACKS_PER_ZONE: i64 = 1_000;
/// The most hosts one rack may have.
pub(crate) const MAX_HOSTS_PER_RACK: i64 = 1_000;
/// The most hosts a system may have: far beyond the systems nines is for,
/// and small enough that a typo (`racks = 10000`) is caught.
pub(crate) const MAX_HOSTS: usize = 10_000;
/// The most instances a system may have, over all services.
pub(crate) const MAX_INSTANCES: usize = 10_000;
/// The most crews a team, or instances a host, or a batch may hold.
pub(crate) const MAX_COUNT: i64 = 10_000;

/// A service while it is being built; `None` fields left a diagnostic.
#[derive(Debug)]
struct ServiceDraft {
    name: String,
    instances: Option<Vec<InstanceSpec>>,
    up_rule: Option<UpRule>,
    hard_dependencies: Vec<usize>,
    soft_dependencies: Vec<usize>,
    cost_per_instance_hour: f64,
    /// `None` when the failover table had an error.
    failover: Option<Option<FailoverSpec>>,
    /// `None` when the data table had an error.
    data: Option<Option<DataSpec>>,
    /// `None` when the health-check table had an error.
    health_check: Option<Option<HealthCheckSpec>>,
    /// `None` when the autoscale table had an error.
    autoscale: Option<Option<models::system::spec::AutoscaleSpec>>,
    /// The leader of a quorum store; `None` when `election` had an error.
    leader: Option<Option<models::system::spec::LeaderSpec>>,
}

/// The state of a build: the checker, and everything resolved so far.
struct Builder<'a> {
    c: Checker<'a>,
    /// Every topology name, with its kind and index.
    places: BTreeMap<String, (Kind, usize)>,
    regions: Vec<String>,
    zones: Vec<ZoneSpec>,
    racks: Vec<RackSpec>,
    hosts: Vec<HostSpec>,
    links: Vec<LinkSpec>,
    region_zones: Vec<Vec<usize>>,
    zone_racks: Vec<Vec<usize>>,
    rack_hosts: Vec<Vec<usize>>,
    /// Service names, with their index.
    service_names: BTreeMap<String, usize>,
    services: Vec<ServiceDraft>,
    /// Team names, with their index.
    team_names: BTreeMap<String, usize>,
    /// Instances placed on each host so far, over all services.
    host_load: Vec<u32>,
}

/// Checks a parsed system file and builds the scenario, or reports every
/// problem.
pub(crate) fn build(
    file: SystemFile,
    source: &str,
    origin: &str,
) -> Result<Scenario, ScenarioError> {
    let mut c = Checker::new(source);
    let (name, settings) = c.header(&file.scenario, &file.simulation);
    let slo = c.slo(&file.scenario);
    let slo_window = c.slo_window(&file.scenario);
    let invariants = c.invariants(&file.invariants, Format::System);
    let mut b = Builder {
        c,
        places: BTreeMap::new(),
        regions: Vec::new(),
        zones: Vec::new(),
        racks: Vec::new(),
        hosts: Vec::new(),
        links: Vec::new(),
        region_zones: Vec::new(),
        zone_racks: Vec::new(),
        rack_hosts: Vec::new(),
        service_names: BTreeMap::new(),
        services: Vec::new(),
        team_names: BTreeMap::new(),
        host_load: Vec::new(),
    };
    b.topology(&file);
    b.services(&file.services);
    let entry = b.entry(&file);
    let downtime_cost_per_minute = b.downtime_cost(&file);
    let currency = b.currency(&file);
    let teams = b.teams(&file);
    let load_curve = b.load_curve(&file);
    let costs = b.costs(&file);
    let network = b.network(&file);
    let mut faults: Vec<Option<FaultSpec>> = file.faults.iter().map(|f| b.fault(f)).collect();
    b.unique_fault_names(&file.faults);
    b.renewals(&file.faults, &mut faults);

    let Builder {
        mut c,
        regions,
        zones,
        racks,
        hosts,
        links,
        services,
        ..
    } = b;
    let services: Option<Vec<ServiceSpec>> = services
        .into_iter()
        .map(|s| {
            Some(ServiceSpec {
                name: s.name,
                instances: s.instances?,
                up_rule: s.up_rule?,
                hard_dependencies: s.hard_dependencies,
                soft_dependencies: s.soft_dependencies,
                cost_per_instance_hour: s.cost_per_instance_hour,
                failover: s.failover?,
                data: s.data?,
                health_check: s.health_check?,
                autoscale: s.autoscale?,
                leader: s.leader?,
            })
        })
        .collect();
    let faults: Option<Vec<FaultSpec>> = faults.into_iter().collect();
    let complete = (settings, entry, services, faults, load_curve);
    let (Some(simulation), Some(entry), Some(services), Some(faults), Ok(load_curve)) = complete
    else {
        if c.diagnostics.is_empty() {
            c.missing(
                "scenario",
                "internal error: a part of the system was left unbuilt without a reason; please report this".into(),
            );
        }
        return Err(c.finish(origin).err().unwrap_or_else(|| ScenarioError {
            origin: origin.to_string(),
            diagnostics: Vec::new(),
        }));
    };
    c.finish(origin)?;
    let spec = SystemSpec {
        regions,
        zones,
        racks,
        hosts,
        links,
        services,
        entry,
        faults,
        teams,
        downtime_cost_per_minute,
        currency,
        load_curve,
        costs,
        network,
    };
    if let Err(e) = spec.validate() {
        return Err(ScenarioError::single(
            origin,
            Diagnostic::at(
                source,
                None,
                None,
                format!(
                    "the system does not hold together: {e} (this check should have been made earlier; please report it)"
                ),
            ),
        ));
    }
    if let Some(d) = unreachable_entry(&spec, &file, source) {
        return Err(ScenarioError::single(origin, d));
    }
    Ok(Scenario {
        name,
        description: file.scenario.description.trim().to_string(),
        origin: origin.to_string(),
        simulation,
        slo,
        slo_window,
        invariants,
        model: ModelSpec::System(Box::new(spec)),
    })
}

/// A diagnostic when the entry point is down with nothing failed: a
/// service it needs cannot be reached from where clients enter (regions
/// with no link between them, say), so every run would be all downtime.
fn unreachable_entry(spec: &SystemSpec, file: &SystemFile, source: &str) -> Option<Diagnostic> {
    use models::system::health::{Counters, Evaluator};
    let eval = Evaluator::new(spec);
    let status = eval.evaluate(spec, &Counters::new(spec));
    if status.entry_up {
        return None;
    }
    let down: Vec<String> = (0..spec.services.len())
        .filter(|&s| eval.in_closure(s) && !status.service_up[s])
        .map(|s| format!("`{}`", spec.services[s].name))
        .collect();
    let entry = file.entry.as_ref()?;
    Some(Diagnostic::at(
        source,
        Some(entry.from.span()),
        Some("entry.from".into()),
        format!(
            "with nothing failed, the entry point is already down: {} cannot be reached from `{}` or cannot serve; expected a [[link]] joining their regions, `from` in a zone that reaches them, or enough instances",
            down.join(", "),
            entry.from.get_ref().trim()
        ),
    ))
}

#[cfg(test)]
mod tests;
