//! The kinds of system nines can simulate.

use crate::kofn::KofNSpec;
use crate::request::RequestSpec;
use crate::system::spec::SystemSpec;

/// A system ready to simulate: a k-of-n service of repairable components
/// (a reliability block), or an infrastructure of failure domains,
/// services and fault processes.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelSpec {
    /// A k-of-n service over repairable components.
    KofN(KofNSpec),
    /// An infrastructure system.
    System(Box<SystemSpec>),
    /// A pool behind a load balancer, simulated request by request.
    Requests(Box<RequestSpec>),
}

impl ModelSpec {
    /// The name of the user-facing service.
    pub fn service_name(&self) -> &str {
        match self {
            ModelSpec::KofN(k) => &k.name,
            ModelSpec::System(s) => &s.services[s.entry.service].name,
            ModelSpec::Requests(r) => &r.name,
        }
    }

    /// A conservative typical outage length in hours (the slowest mean
    /// repair), used to bound downtime when none was observed.
    pub fn longest_mean_repair_hours(&self) -> f64 {
        match self {
            ModelSpec::KofN(k) => k.longest_mean_repair_hours(),
            ModelSpec::System(s) => s
                .faults
                .iter()
                .map(|f| {
                    f.repair.duration.mean_hours()
                        + f.repair.detection.as_ref().map_or(0.0, |d| d.mean_hours())
                })
                .fold(0.0, f64::max),
            ModelSpec::Requests(_) => 0.0,
        }
    }
}
