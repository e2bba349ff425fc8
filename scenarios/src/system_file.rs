//! The infrastructure-system scenario file as written: serde types that
//! mirror the TOML (`[[region]]`, `[[zone]]`, `[[link]]`, `[[service]]`,
//! `[entry]`, `[cost]`, `[[team]]`, `[[fault]]`), with units still as text
//! and spans kept for the errors found later, in `system_build`.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::file::{ScenarioMeta, SimulationFile};
use crate::invariant::InvariantFile;
use crate::schema::{Distribution, Duration, FaultKind, Placement, PromotionMode, ReplicationMode};

/// A whole infrastructure-system scenario file.
///
/// Lists default to empty and `[entry]` is optional here so that the
/// builder can report every missing part at once, not only the first; the
/// schema, for editors, requires them.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "SystemScenario",
    description = "An infrastructure system: regions, zones, racks and hosts, links, services placed on the hosts, where users enter, and the faults the system lives with.",
    extend("required" = ["scenario", "region", "zone", "service", "entry"])
)]
pub(crate) struct SystemFile {
    /// What the scenario is: its name and a one-line description.
    pub(crate) scenario: ScenarioMeta,
    /// How to run it: horizon, warm-up, replications and seed.
    #[serde(default)]
    pub(crate) simulation: SimulationFile,
    /// The regions, the widest failure domains; one or more.
    #[serde(rename = "region", default)]
    #[schemars(length(min = 1))]
    pub(crate) regions: Vec<RegionFile>,
    /// The zones, each in a region, with their racks of hosts; one or more.
    #[serde(rename = "zone", default)]
    #[schemars(length(min = 1))]
    pub(crate) zones: Vec<ZoneFile>,
    /// Network links joining zones or regions beyond a region's own
    /// network.
    #[serde(rename = "link", default)]
    pub(crate) links: Vec<LinkFile>,
    /// Round-trip times within and between zones where no link says
    /// otherwise.
    #[serde(default)]
    pub(crate) network: NetworkFile,
    /// The services, placed on hosts in the order of the file; one or more.
    #[serde(rename = "service", default)]
    #[schemars(length(min = 1))]
    pub(crate) services: Vec<ServiceFile>,
    /// Where users reach the system: the user-facing service and where
    /// their traffic enters.
    pub(crate) entry: Option<EntryFile>,
    /// What a minute of user-facing downtime costs.
    pub(crate) cost: Option<CostFile>,
    /// Teams of repair crews that faults' repairs queue for.
    #[serde(rename = "team", default)]
    pub(crate) teams: Vec<TeamFile>,
    /// The fault processes: what fails, when, and how it is repaired.
    #[serde(rename = "fault", default)]
    pub(crate) faults: Vec<FaultFile>,
    /// How the offered load varies over a period; absent: constant.
    #[schemars(with = "Option<LoadFile>")]
    pub(crate) load: Option<Spanned<LoadFile>>,
    /// Thresholds no run may cross, which `nines hunt` checks.
    #[serde(rename = "invariant", default)]
    #[schemars(with = "Vec<InvariantFile>")]
    pub(crate) invariants: Vec<Spanned<InvariantFile>>,
}

/// `[load]`: how the offered load varies over a period.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Load")]
pub(crate) struct LoadFile {
    /// The length of one cycle; the curve repeats from the start of the run.
    #[schemars(with = "Duration")]
    pub(crate) period: Spanned<String>,
    /// The steps of the curve, the first at "0s", then increasing, all
    /// inside the period.
    #[schemars(with = "Vec<LoadStepFile>")]
    pub(crate) curve: Spanned<Vec<Spanned<LoadStepFile>>>,
}

/// One step of `[load].curve`: from `at` into the period, `factor` times
/// the usual load.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "LoadStep")]
pub(crate) struct LoadStepFile {
    /// Where the step starts, from the start of the period.
    #[schemars(with = "Duration")]
    pub(crate) at: Spanned<String>,
    /// The load from then until the next step, as a multiple (0 or more)
    /// of every capacity service's `load_rps`.
    #[schemars(with = "f64", range(min = 0))]
    pub(crate) factor: Spanned<f64>,
}

/// `[[region]]`: a region, the widest failure domain.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Region")]
pub(crate) struct RegionFile {
    /// The region's name.
    #[schemars(with = "String")]
    pub(crate) name: Spanned<String>,
    /// The region's fixed cost per year, 0 or more (default 0).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub(crate) cost_per_year: Option<Spanned<f64>>,
}

/// `[[zone]]`: a zone of a region, with its racks of hosts.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Zone")]
pub(crate) struct ZoneFile {
    /// The zone's name; its racks are `NAME-r1`, `NAME-r2`, ... and their
    /// hosts `NAME-r1-h1`, `NAME-r1-h2`, ...
    #[schemars(with = "String")]
    pub(crate) name: Spanned<String>,
    /// The region it belongs to.
    #[schemars(with = "String")]
    pub(crate) region: Spanned<String>,
    /// How many racks, 1 to 1,000 (default 1).
    #[schemars(with = "Option<i64>", range(min = 1, max = crate::system_build::MAX_RACKS_PER_ZONE))]
    pub(crate) racks: Option<Spanned<i64>>,
    /// How many hosts in each rack, 1 to 1,000 (default 1).
    #[schemars(with = "Option<i64>", range(min = 1, max = crate::system_build::MAX_HOSTS_PER_RACK))]
    pub(crate) hosts_per_rack: Option<Spanned<i64>>,
    /// The zone's fixed cost per year, 0 or more (default 0).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub(crate) cost_per_year: Option<Spanned<f64>>,
    /// What each host of the zone costs, whatever it runs (default 0).
    #[schemars(with = "Option<Amount>")]
    pub(crate) host_cost_per_hour: Option<Spanned<Amount>>,
}

/// `[[link]]`: a network link between two zones or regions.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Link")]
pub(crate) struct LinkFile {
    /// The link's name.
    #[schemars(with = "String")]
    pub(crate) name: Spanned<String>,
    /// The two zones or regions it joins.
    #[schemars(with = "Vec<String>", length(equal = 2))]
    pub(crate) between: Spanned<Vec<Spanned<String>>>,
    /// One-way delay across the link (default "1ms"); synchronous writes
    /// wait for the round trip over the fastest path that is up.
    #[schemars(with = "Option<Duration>")]
    pub(crate) latency: Option<Spanned<String>>,
}

/// `[network]`: round-trip times where no link says otherwise.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Network")]
pub(crate) struct NetworkFile {
    /// Round trip between two instances of one zone (default "0.5ms").
    #[schemars(with = "Option<Duration>")]
    pub(crate) same_zone_rtt: Option<Spanned<String>>,
    /// Round trip between two zones of one region over the region's own
    /// network (default "2ms"); each step between a zone and its region's
    /// network counts a quarter of it one way.
    #[schemars(with = "Option<Duration>")]
    pub(crate) cross_zone_rtt: Option<Spanned<String>>,
}

/// `[[service]]`: a service, its placement, up rule, dependencies and cost.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Service")]
pub(crate) struct ServiceFile {
    /// The service's name; its instances are `NAME-1`, `NAME-2`, ...
    #[schemars(with = "String")]
    pub(crate) name: Spanned<String>,
    /// How many instances, 1 to 10,000; required unless `hosts` is given.
    #[schemars(with = "Option<i64>", range(min = 1, max = crate::system_build::MAX_INSTANCES))]
    pub(crate) instances: Option<Spanned<i64>>,
    /// How instances are placed on hosts (default "spread").
    #[schemars(with = "Option<Placement>")]
    pub(crate) placement: Option<Spanned<String>>,
    /// The most instances of this service on one host, 1 or more (default
    /// 1).
    #[schemars(with = "Option<i64>", range(min = 1, max = crate::system_build::MAX_COUNT))]
    pub(crate) per_host: Option<Spanned<i64>>,
    /// Zones or regions placement may use (a region stands for its zones);
    /// default: every zone.
    #[schemars(with = "Option<Vec<String>>")]
    pub(crate) zones: Option<Spanned<Vec<Spanned<String>>>>,
    /// Explicit placement instead: one instance on each listed host, in
    /// order (list a host twice for two).
    #[schemars(with = "Option<Vec<String>>")]
    pub(crate) hosts: Option<Spanned<Vec<Spanned<String>>>>,
    /// Up rule: up while at least this many instances are healthy and
    /// reachable.
    #[schemars(with = "Option<i64>", range(min = 1))]
    pub(crate) min_healthy: Option<Spanned<i64>>,
    /// Up rule, with `load_rps`: requests per second one instance serves
    /// (a number, or a rate such as "30000/min").
    #[schemars(with = "Option<Rate>")]
    pub(crate) capacity_rps: Option<Spanned<Rate>>,
    /// Up rule, with `capacity_rps`: requests per second offered (a number,
    /// or a rate such as "7.2M/h"); up while the healthy, reachable capacity
    /// covers it.
    #[schemars(with = "Option<Rate>")]
    pub(crate) load_rps: Option<Spanned<Rate>>,
    /// Up rule of a replicated store: the write and read quorums.
    #[schemars(with = "Option<QuorumFile>")]
    pub(crate) quorum: Option<Spanned<QuorumFile>>,
    /// Services it cannot work without: an instance serves nothing while
    /// one of them is down or unreachable from its zone.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(crate) hard_dependencies: Vec<Spanned<String>>,
    /// Services it can work without, degraded: reported as degraded time,
    /// not downtime.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub(crate) soft_dependencies: Vec<Spanned<String>>,
    /// The cost of one instance (default 0).
    #[schemars(with = "Option<Amount>")]
    pub(crate) cost_per_hour: Option<Spanned<Amount>>,
    /// Active-passive operation: one instance serves, the others stand by;
    /// absent: active-active.
    #[schemars(with = "Option<FailoverFile>")]
    pub(crate) failover: Option<Spanned<FailoverFile>>,
    /// The writes it stores, how they reach the standbys, and its backups;
    /// absent: stateless.
    #[schemars(with = "Option<DataFile>")]
    pub(crate) data: Option<Spanned<DataFile>>,
    /// The load balancer's health checks of its instances; absent: the
    /// balancer knows at once which instances are healthy.
    #[schemars(with = "Option<HealthCheckFile>")]
    pub(crate) health_check: Option<Spanned<HealthCheckFile>>,
    /// Autoscaling of a capacity-rule service over its placed instances;
    /// absent: every instance runs all the time.
    #[schemars(with = "Option<AutoscaleFile>")]
    pub(crate) autoscale: Option<Spanned<AutoscaleFile>>,
    /// The bytes of one call to this service (request and response), for
    /// the traffic of callers in other zones or regions: a number of
    /// bytes or text such as "16KB" (default 0).
    #[schemars(with = "Option<Size>")]
    pub(crate) request_size: Option<Spanned<Size>>,
}

/// `quorum`: a replicated store's write and read quorums.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Quorum")]
pub(crate) struct QuorumFile {
    /// Replicas a write needs (W), 1 to the number of instances.
    #[schemars(with = "i64", range(min = 1))]
    pub(crate) write: Spanned<i64>,
    /// Replicas a read needs (R), 1 to the number of instances.
    #[schemars(with = "i64", range(min = 1))]
    pub(crate) read: Spanned<i64>,
    /// Writes go through an elected leader (false by default: any W
    /// replicas take a write).
    #[schemars(with = "Option<bool>")]
    pub(crate) leader: Option<Spanned<bool>>,
    /// With `leader = true`: how long an election takes (a distribution,
    /// default `"deterministic(5s)"`).
    #[schemars(with = "Option<String>")]
    pub(crate) election: Option<Spanned<String>>,
}

/// `autoscale`: how many of the placed instances run, following the
/// offered load.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Autoscale")]
pub(crate) struct AutoscaleFile {
    /// The fewest instances running, 1 to `max` (default 1).
    #[schemars(with = "Option<i64>", range(min = 1))]
    pub(crate) min: Option<Spanned<i64>>,
    /// The most instances running, `min` to the placed instances (default:
    /// the placed instances).
    #[schemars(with = "Option<i64>", range(min = 1))]
    pub(crate) max: Option<Spanned<i64>>,
    /// The share of an instance's capacity the scaler aims to use, above
    /// 0 and at most 100% (default 70%).
    #[schemars(with = "Option<Fraction>")]
    pub(crate) target_utilisation: Option<Spanned<Fraction>>,
    /// Time from launching an instance to its serving (default "5m").
    #[schemars(with = "Option<Duration>")]
    pub(crate) scale_out_delay: Option<Spanned<String>>,
    /// Time after a scaling action before instances may be stopped
    /// (default "15m").
    #[schemars(with = "Option<Duration>")]
    pub(crate) cooldown: Option<Spanned<String>>,
    /// The most instances running in one zone, 1 or more (default: no
    /// limit beyond the slots placed there).
    #[schemars(with = "Option<i64>", range(min = 1))]
    pub(crate) per_zone_max: Option<Spanned<i64>>,
}

/// `health_check`: how the load balancer checks the instances.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "HealthCheck")]
pub(crate) struct HealthCheckFile {
    /// Time between checks.
    #[schemars(with = "Duration")]
    pub(crate) interval: Spanned<String>,
    /// Failed checks in a row that take an instance out of rotation, 1 to
    /// 1000 (default 3).
    #[schemars(with = "Option<i64>", range(min = 1, max = 1000))]
    pub(crate) unhealthy_threshold: Option<Spanned<i64>>,
    /// Passed checks in a row that put it back, 1 to 1000 (default 2).
    #[schemars(with = "Option<i64>", range(min = 1, max = 1000))]
    pub(crate) healthy_threshold: Option<Spanned<i64>>,
    /// The probability that one check of a healthy instance fails, from 0
    /// to 50% (default 0: checks never fail a healthy instance).
    #[schemars(with = "Option<Fraction>")]
    pub(crate) false_failure: Option<Spanned<Fraction>>,
    /// Balancer nodes that each check every instance, 1 to 1000 (default
    /// 1).
    #[schemars(with = "Option<i64>", range(min = 1, max = 1000))]
    pub(crate) checkers: Option<Spanned<i64>>,
    /// The work one check costs an instance, in requests, 0 or more
    /// (default 0: free); under a capacity up rule each instance serves
    /// `checkers * check_cost / interval` fewer requests per second.
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub(crate) check_cost: Option<Spanned<f64>>,
}

/// `data`: what a stateful service stores and how it is protected.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Data")]
pub(crate) struct DataFile {
    /// Acknowledged writes per second, 0 or more (a number, or a rate such
    /// as "500/s" or "1.8M/h").
    #[schemars(with = "Rate")]
    pub(crate) writes_per_s: Spanned<Rate>,
    /// How acknowledged writes reach the standbys (default "none");
    /// anything but "none" needs `failover`.
    #[schemars(with = "Option<ReplicationMode>")]
    pub(crate) replication: Option<Spanned<String>>,
    /// With "async" replication only: time from acknowledging a write to
    /// the standby having it.
    #[schemars(with = "Option<Distribution>")]
    pub(crate) lag: Option<Spanned<String>>,
    /// With "semi-sync" replication only: how long writes wait for a
    /// standby before the active instance goes on alone (default "10s").
    #[schemars(with = "Option<Duration>")]
    pub(crate) sync_timeout: Option<Spanned<String>>,
    /// With "sync" or "semi-sync" replication: the time a write takes on
    /// the active instance before its round trip to a standby (default
    /// "0s").
    #[schemars(with = "Option<Duration>")]
    pub(crate) write_time: Option<Spanned<String>>,
    /// With "batch" replication only: time between shipped batches,
    /// counted from the start.
    #[schemars(with = "Option<Duration>")]
    pub(crate) ship_every: Option<Spanned<String>>,
    /// Time between backups, counted from the start; absent: no backups.
    #[schemars(with = "Option<Duration>")]
    pub(crate) backup_every: Option<Spanned<String>>,
    /// With `backup_every`: how many backups are kept at any time, 1 to
    /// 100,000 (default 1).
    #[schemars(with = "Option<i64>", range(min = 1, max = crate::system_build::MAX_RETAINED))]
    pub(crate) backup_retain: Option<Spanned<i64>>,
    /// With `backup_every`: what one backup run costs, 0 or more (default
    /// 0).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub(crate) backup_run_cost: Option<Spanned<f64>>,
    /// With `backup_every`: what keeping one backup costs (default 0).
    #[schemars(with = "Option<Amount>")]
    pub(crate) backup_copy_cost_per_hour: Option<Spanned<Amount>>,
    /// With replication: the bytes of one write as shipped to a standby,
    /// a number of bytes or text such as "4KB" (default 0).
    #[schemars(with = "Option<Size>")]
    pub(crate) write_size: Option<Spanned<Size>>,
}

/// `failover`: active-passive operation of a service.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Failover")]
pub(crate) struct FailoverFile {
    /// Time an automatic failover takes: noticing the active instance is
    /// gone and promoting a standby; with `heartbeat`, the promotion after
    /// the heartbeat timeout has noticed.
    #[schemars(with = "Distribution")]
    pub(crate) duration: Spanned<String>,
    /// The probability that a failover is automatic (default 1).
    #[schemars(with = "Option<Fraction>")]
    pub(crate) coverage: Option<Spanned<Fraction>>,
    /// Time to recover by hand when the automatic failover does not happen;
    /// required when `coverage` is below 1.
    #[schemars(with = "Option<Distribution>")]
    pub(crate) manual: Option<Spanned<String>>,
    /// What each standby costs (default: the service's `cost_per_hour`).
    #[schemars(with = "Option<Amount>")]
    pub(crate) standby_cost_per_hour: Option<Spanned<Amount>>,
    /// Whether a promotion fences the old active instance (default true);
    /// without fencing, a partition can make two primaries (split brain).
    #[serde(default)]
    pub(crate) fencing: Option<bool>,
    /// The downtime of a planned switchover back to the first instance
    /// once it is healthy again; absent: no failback.
    #[schemars(with = "Option<Distribution>")]
    pub(crate) failback: Option<Spanned<String>>,
    /// The heartbeats the standbys watch the active instance by; absent:
    /// only a partition or a broken link makes a standby suspect it.
    #[schemars(with = "Option<HeartbeatFile>")]
    pub(crate) heartbeat: Option<Spanned<HeartbeatFile>>,
    /// When a standby may promote itself (default "any"): "majority" needs
    /// the votes of a majority of the instances and `witnesses`, and makes
    /// a primary cut off from the majority step down.
    #[schemars(with = "Option<PromotionMode>")]
    pub(crate) promotion: Option<Spanned<String>>,
    /// With `promotion = "majority"`: the zones where a witness runs, one
    /// per entry, each on the zone's first host (default none).
    #[schemars(with = "Option<Vec<String>>")]
    pub(crate) witnesses: Option<Spanned<Vec<Spanned<String>>>>,
    /// With `witnesses`: what one witness costs (default 0), counted with
    /// the standbys.
    #[schemars(with = "Option<Amount>")]
    pub(crate) witness_cost_per_hour: Option<Spanned<Amount>>,
}

/// `failover.heartbeat`: how the standbys watch the active instance.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Heartbeat")]
pub(crate) struct HeartbeatFile {
    /// Time between heartbeats.
    #[schemars(with = "Duration")]
    pub(crate) interval: Spanned<String>,
    /// Silence after which a standby suspects the active instance, at
    /// least one interval.
    #[schemars(with = "Duration")]
    pub(crate) timeout: Spanned<String>,
}

/// `[entry]`: where users reach the system.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Entry")]
pub(crate) struct EntryFile {
    /// The user-facing service.
    #[schemars(with = "String")]
    pub(crate) service: Spanned<String>,
    /// The zone or region where users' traffic enters.
    #[schemars(with = "String")]
    pub(crate) from: Spanned<String>,
}

/// `[cost]`: what downtime costs.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Cost")]
pub(crate) struct CostFile {
    /// What a minute of user-facing downtime costs (lost revenue, SLA
    /// credits), 0 or more (default 0).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub(crate) downtime_per_minute: Option<Spanned<f64>>,
    /// The currency every cost in the scenario is in: a code or sign of 1
    /// to 8 characters, such as "EUR", "USD" or "€" (default: none named).
    #[schemars(with = "Option<String>")]
    pub(crate) currency: Option<Spanned<String>>,
    /// What each incident of the entry point costs (a page, an on-call
    /// response), 0 or more (default 0).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub(crate) per_incident: Option<Spanned<f64>>,
    /// What a gigabyte (10^9 bytes) between zones of one region costs, 0
    /// or more (default 0).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub(crate) cross_zone_per_gb: Option<Spanned<f64>>,
    /// What a gigabyte between regions costs, 0 or more (default 0).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub(crate) cross_region_per_gb: Option<Spanned<f64>>,
    /// Service-level credits: each month (730 h from the warm-up) whose
    /// availability of the entry point falls below a tier's `below` owes
    /// that tier's `credit`; the largest credit among the tiers breached
    /// applies (default: none).
    #[schemars(with = "Option<Vec<SlaTierFile>>")]
    pub(crate) sla_credits: Option<Spanned<Vec<Spanned<SlaTierFile>>>>,
}

/// One tier of `[cost].sla_credits`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SlaTier")]
pub(crate) struct SlaTierFile {
    /// The monthly availability below which the tier is breached: a
    /// share more than 0 and at most 1, such as "99.9%".
    #[schemars(with = "Fraction")]
    pub(crate) below: Spanned<Fraction>,
    /// What a month that breaches it owes, 0 or more.
    #[schemars(with = "f64", range(min = 0))]
    pub(crate) credit: Spanned<f64>,
}

/// `[[team]]`: a team of repair crews.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Team")]
pub(crate) struct TeamFile {
    /// The team's name.
    #[schemars(with = "String")]
    pub(crate) name: Spanned<String>,
    /// How many repairs it can run at once, 1 to 10,000.
    #[schemars(with = "i64", range(min = 1, max = crate::system_build::MAX_COUNT))]
    pub(crate) crews: Spanned<i64>,
    /// What one crew costs per year, 0 or more (default 0).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub(crate) cost_per_crew_per_year: Option<Spanned<f64>>,
}

/// `[[fault]]`: a fault process. Which keys apply depends on `kind`; the
/// builder reports the ones that do not.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Fault")]
pub(crate) struct FaultFile {
    /// Unique among faults, it keys the fault's random streams; default:
    /// the kind, so two faults of one kind need names.
    #[schemars(with = "Option<String>")]
    pub(crate) name: Option<Spanned<String>>,
    /// What kind of fault.
    #[schemars(with = "FaultKind")]
    pub(crate) kind: Spanned<String>,
    /// What it hits: "all", one name or a list of names (hosts, racks,
    /// zones, regions or links, by kind); a wider failure domain stands for
    /// what is inside it.
    #[schemars(with = "Option<Names>")]
    pub(crate) targets: Option<Spanned<Names>>,
    /// The service it hits (bad-deploy, misconfiguration, crash-bug,
    /// data-deletion), or whose hosts it hits (host faults).
    #[schemars(with = "Option<String>")]
    pub(crate) service: Option<Spanned<String>>,
    /// misconfiguration: the zones it takes down, each on its own.
    #[schemars(with = "Option<Names>")]
    pub(crate) zones: Option<Spanned<Names>>,
    /// partition: the two groups of zones (or regions) that cannot reach
    /// each other.
    #[schemars(with = "Option<Vec<Names>>", length(equal = 2))]
    pub(crate) between: Option<Spanned<Vec<Spanned<Names>>>>,
    /// bad-deploy: instances the bad release reaches in each batch.
    #[schemars(with = "Option<i64>", range(min = 1, max = crate::system_build::MAX_COUNT))]
    pub(crate) batch_size: Option<Spanned<i64>>,
    /// bad-deploy: time between batches.
    #[schemars(with = "Option<Duration>")]
    pub(crate) batch_interval: Option<Spanned<String>>,
    /// Random occurrences: the time from the start, or from the end of one
    /// occurrence, to the next. Give `every` or `at`.
    #[schemars(with = "Option<Distribution>")]
    pub(crate) every: Option<Spanned<String>>,
    /// Scheduled occurrences instead: the first, at this time from the
    /// start.
    #[schemars(with = "Option<Duration>")]
    pub(crate) at: Option<Spanned<String>>,
    /// maintenance: age-based restarts instead of `every` or `at`: each
    /// host is restarted once it has run this long since it last came back
    /// up (from this window or from the repair of any host-level fault).
    #[schemars(with = "Option<Duration>")]
    pub(crate) after_uptime: Option<Spanned<String>>,
    /// maintenance: the faults whose age each window renews when it ends,
    /// on the hosts it restarts: a fault name, a list of names (host
    /// faults with `every`), or "none"; default: every aging fault.
    #[schemars(with = "Option<Names>")]
    pub(crate) resets: Option<Spanned<Names>>,
    /// With `at`: the period between scheduled occurrences.
    #[schemars(with = "Option<Duration>")]
    pub(crate) repeat: Option<Spanned<String>>,
    /// With `at`: the i-th target is hit i times this later (rolling
    /// maintenance); default "0s".
    #[schemars(with = "Option<Duration>")]
    pub(crate) stagger: Option<Spanned<String>>,
    /// Time the repair takes (restart, replacement, rollback, restore; for
    /// maintenance, the window's length); required.
    #[schemars(with = "Option<Distribution>", required)]
    pub(crate) repair: Option<Spanned<String>>,
    /// Time until someone notices and starts the repair; default: at once.
    #[schemars(with = "Option<Distribution>")]
    pub(crate) detection: Option<Spanned<String>>,
    /// The team whose crews do the repair; default: no crew needed.
    #[schemars(with = "Option<String>")]
    pub(crate) team: Option<Spanned<String>>,
    /// gray-failure and degraded-link: the share of affected requests that
    /// fail, more than 0 and at most 1.
    #[schemars(with = "Option<Fraction>")]
    pub(crate) error_fraction: Option<Spanned<Fraction>>,
    /// traffic-spike: the load while it lasts, as a multiple (above 1) of
    /// the usual load.
    #[schemars(with = "Option<f64>")]
    pub(crate) factor: Option<Spanned<f64>>,
    /// What each repair costs (parts, a replaced disk), charged for each
    /// occurrence whose repair ends after the warm-up, 0 or more (default
    /// 0).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub(crate) repair_cost: Option<Spanned<f64>>,
}

mod values;
pub(crate) use values::{Amount, Fraction, Names, Rate, Size};
