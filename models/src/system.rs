//! Infrastructure systems: regions, zones, racks and hosts as failure
//! domains, network links, services with instances and dependencies, and
//! the fault processes that take them down.
//!
//! [`spec`] describes a system; [`health`] holds which elements are down
//! and evaluates which services are up, from where; [`model`] is the
//! simulation: fault processes, detection, repair crews, measures and the
//! attribution of downtime to its causes; [`cost`] prices a replication,
//! component by component.

pub mod cost;
pub mod health;
pub mod model;
pub mod network;
pub mod spec;

#[cfg(test)]
mod tests;
