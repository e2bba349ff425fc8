//! The description of an infrastructure system, ready to simulate: its
//! failure domains, services and fault processes, with every reference
//! resolved to an index.
//!
//! Indices point into the vectors of [`SystemSpec`]; [`SystemSpec::validate`]
//! checks that they are in range, that dependencies form no cycle, and that
//! every count makes sense. Scenario files are turned into this type by the
//! `scenarios` crate; models never see a file.

use sim_core::dist::Dist;
use sim_core::time::{SimDuration, SimTime};

/// A zone, inside a region.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneSpec {
    /// Unique name.
    pub name: String,
    /// Index of its region.
    pub region: usize,
}

/// A rack, inside a zone.
#[derive(Clone, Debug, PartialEq)]
pub struct RackSpec {
    /// Unique name.
    pub name: String,
    /// Index of its zone.
    pub zone: usize,
}

/// A host, inside a rack.
#[derive(Clone, Debug, PartialEq)]
pub struct HostSpec {
    /// Unique name.
    pub name: String,
    /// Index of its rack.
    pub rack: usize,
}

/// A place where traffic enters or a link ends: a zone or a whole region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A zone, by index.
    Zone(usize),
    /// A region, by index.
    Region(usize),
}

/// A network link between two places. Zones of one region reach each other
/// through their region's own network; links join zones or regions beyond
/// that.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkSpec {
    /// Unique name.
    pub name: String,
    /// One end.
    pub a: Place,
    /// The other end.
    pub b: Place,
}

/// When a service counts as up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum UpRule {
    /// Up while at least this many instances are healthy and reachable.
    MinHealthy(u32),
    /// A replicated store with quorums: a write needs `write` healthy,
    /// reachable replicas and a read `read` of them (W and R of N). The
    /// service counts as up while both can succeed; read and write
    /// availability are also measured on their own.
    Quorum {
        /// Replicas a write needs (W).
        write: u32,
        /// Replicas a read needs (R).
        read: u32,
    },
    /// Up while the healthy, reachable instances' capacity covers the
    /// offered load.
    Capacity {
        /// Requests per second one instance can serve.
        per_instance_rps: f64,
        /// Requests per second offered to the service.
        load_rps: f64,
    },
}

/// One running copy of a service, on a host.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceSpec {
    /// Unique name (`web-1`).
    pub name: String,
    /// Index of its host.
    pub host: usize,
}

/// A service: instances, an up rule, dependencies and a cost.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceSpec {
    /// Unique name.
    pub name: String,
    /// Its instances.
    pub instances: Vec<InstanceSpec>,
    /// When it counts as up.
    pub up_rule: UpRule,
    /// Services it cannot work without (indices): while one is down or
    /// unreachable from an instance's zone, that instance serves nothing.
    pub hard_dependencies: Vec<usize>,
    /// Services it can work without, degraded (indices).
    pub soft_dependencies: Vec<usize>,
    /// Cost of one instance per hour of operation.
    pub cost_per_instance_hour: f64,
    /// Active-passive operation: one instance serves, the others stand by,
    /// and losing the active one costs a failover. `None`: every healthy
    /// instance serves (active-active).
    pub failover: Option<FailoverSpec>,
    /// The data it holds and how it is protected (stateful services).
    pub data: Option<DataSpec>,
    /// The load balancer's health checks; `None`: the balancer knows at
    /// once which instances are healthy.
    pub health_check: Option<HealthCheckSpec>,
}

/// How the load balancer in front of a service checks its instances.
///
/// An instance that dies keeps receiving its share of requests, which
/// fail, until `unhealthy_threshold` checks in a row have failed: the first
/// check comes at a uniformly random point of the interval, the others one
/// interval apart. A recovered instance gets no traffic until
/// `healthy_threshold` checks in a row have passed. That lag is an error
/// window the user trades against checking more often.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HealthCheckSpec {
    /// Time between checks.
    pub interval: SimDuration,
    /// Failed checks in a row that take an instance out of rotation.
    pub unhealthy_threshold: u32,
    /// Passed checks in a row that put it back.
    pub healthy_threshold: u32,
}

/// How an active-passive service copies acknowledged writes to its
/// standbys, which decides what a failover loses.
#[derive(Clone, Debug, PartialEq)]
pub enum Replication {
    /// Writes wait for the standby: a failover loses nothing.
    Sync,
    /// Writes reach the standby after a lag: a failover loses the writes
    /// still in flight, Poisson with mean `rate * E[lag]` for Poisson writes
    /// whatever the lag's law (an M/G/inf occupancy at a random instant).
    Async {
        /// Time from acknowledging a write to the standby having it.
        lag: Dist,
    },
    /// Writes are shipped in batches (log or snapshot shipping) every
    /// `interval`, from time zero: a failover loses what was written since
    /// the last batch.
    Batch {
        /// Time between batches.
        interval: SimDuration,
    },
}

/// The data of a stateful service.
#[derive(Clone, Debug, PartialEq)]
pub struct DataSpec {
    /// Acknowledged writes per second (a Poisson stream).
    pub writes_per_second: f64,
    /// How writes reach the standbys (active-passive services only).
    pub replication: Option<Replication>,
    /// Backups every `interval` from time zero; deleted data is restored
    /// from the last one and what was written since is lost. Without
    /// backups, deleted data is lost entirely.
    pub backup_interval: Option<SimDuration>,
}

/// How an active-passive service replaces a failed active instance.
///
/// While the active instance is healthy the service is up, whatever
/// happens to the standbys. When it fails and a standby is healthy, the
/// failover is automatic with probability `coverage` and takes `duration`;
/// otherwise someone recovers it by hand in `manual`. The service is down
/// meanwhile, then resumes on any healthy instance. With no healthy
/// instance at all the service is down, any pending failover is abandoned,
/// and it restarts at once on the first instance to come back.
#[derive(Clone, Debug, PartialEq)]
pub struct FailoverSpec {
    /// Time an automatic failover takes (detection and promotion).
    pub duration: Dist,
    /// Probability that a failover is automatic, in [0, 1].
    pub coverage: f64,
    /// Time a manual recovery takes when the failover is not automatic.
    pub manual: Dist,
    /// Hourly cost of a standby instance (a cold standby costs less than
    /// a running one); `None`: the same as the active instance.
    pub standby_cost_per_hour: Option<f64>,
    /// Whether a promotion fences the old active instance. Without
    /// fencing, a partition that cuts a standby off from a healthy active
    /// instance lets the standby promote itself while the old one keeps
    /// serving: two writable primaries (split brain) until the partition
    /// heals, when the losing side's writes are lost.
    pub fencing: bool,
    /// Failback: once the first instance (the primary as placed) is
    /// healthy again after a failover moved service elsewhere, a planned
    /// switchover back to it, down for this long; nothing is lost, since a
    /// planned switchover waits for the replicas to catch up. `None`: the
    /// service stays where the failover put it.
    pub failback: Option<Dist>,
    /// The heartbeats by which the standbys watch the active instance.
    /// With them, a lossy link between the two, or a gray active host,
    /// can make a standby miss enough heartbeats in a row to suspect a
    /// healthy active instance and promote itself: a needless failover,
    /// and without fencing a split brain until a heartbeat gets through.
    /// `None`: only a partition or a broken link causes suspicion.
    pub heartbeat: Option<HeartbeatSpec>,
}

/// Heartbeats from the active instance to its standbys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeartbeatSpec {
    /// Time between heartbeats.
    pub interval: SimDuration,
    /// Silence after which a standby suspects the active instance.
    pub timeout: SimDuration,
}

impl HeartbeatSpec {
    /// Heartbeats that must be missed in a row for a suspicion: the
    /// timeout in intervals, rounded up, at least one.
    pub fn missed(&self) -> u32 {
        let i = self.interval.as_micros().max(1);
        self.timeout
            .as_micros()
            .div_ceil(i)
            .clamp(1, u64::from(u32::MAX)) as u32
    }

    /// Mean time, in microseconds, until `missed()` heartbeats in a row
    /// are lost, each lost independently with probability `p`: the
    /// classic waiting time for a run of failures, `(1 - p^m) / ((1 - p)
    /// p^m)` heartbeats. Infinite for `p = 0`.
    pub fn mean_time_to_suspicion(&self, p: f64) -> f64 {
        let m = f64::from(self.missed());
        let hb = self.interval.as_micros() as f64;
        if p <= 0.0 {
            return f64::INFINITY;
        }
        if p >= 1.0 {
            return m * hb;
        }
        let pm = p.powf(m);
        (1.0 - pm) / ((1.0 - p) * pm) * hb
    }
}

/// Something a fault can take down. Each is a failure domain: when it is
/// down, everything inside it is down too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Element {
    /// A host and the instances on it.
    Host(usize),
    /// A rack and its hosts.
    Rack(usize),
    /// A zone and its racks.
    Zone(usize),
    /// A region and its zones.
    Region(usize),
    /// A network link.
    Link(usize),
    /// Every instance of a service (a bad configuration, a crash bug).
    Service(usize),
    /// One instance: `(service, instance)`.
    Instance(usize, usize),
}

impl Element {
    /// The kind of element, as reports name failure domains: `host`,
    /// `rack`, `zone`, `region`, `link`, `service` or `instance`.
    pub fn kind_name(self) -> &'static str {
        match self {
            Element::Host(_) => "host",
            Element::Rack(_) => "rack",
            Element::Zone(_) => "zone",
            Element::Region(_) => "region",
            Element::Link(_) => "link",
            Element::Service(_) => "service",
            Element::Instance(..) => "instance",
        }
    }
}

/// What kind of fault, as users and reports name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FaultClass {
    /// A host crashes.
    HostCrash,
    /// A host's disk fails (the host is down until the disk is replaced).
    DiskFailure,
    /// A rack loses power.
    RackPower,
    /// A zone goes dark.
    ZoneOutage,
    /// A region goes dark.
    RegionOutage,
    /// A link goes down.
    LinkDown,
    /// Two groups of zones stop reaching each other.
    Partition,
    /// A link stays up but loses or delays traffic.
    DegradedLink,
    /// A host stays up but is slow or errs on part of its work.
    GrayFailure,
    /// A bad release rolls out batch by batch until caught.
    BadDeploy,
    /// A bad configuration takes down a service or a zone.
    Misconfiguration,
    /// Data deleted by mistake; the service is down until restored.
    DataDeletion,
    /// A planned maintenance window.
    Maintenance,
    /// A bug that crashes every instance of a version at once.
    CrashBug,
    /// Resource exhaustion that grows with uptime, cleared by restart.
    Aging,
    /// A shock that fails every working member of a group at once.
    CommonCause,
    /// A burst of traffic above the usual load (a launch, a retry storm
    /// upstream, a news event).
    TrafficSpike,
}

impl FaultClass {
    /// The class's name as written in scenario files and reports.
    pub fn name(self) -> &'static str {
        match self {
            FaultClass::HostCrash => "host-crash",
            FaultClass::DiskFailure => "disk-failure",
            FaultClass::RackPower => "rack-power",
            FaultClass::ZoneOutage => "zone-outage",
            FaultClass::RegionOutage => "region-outage",
            FaultClass::LinkDown => "link-down",
            FaultClass::Partition => "partition",
            FaultClass::DegradedLink => "degraded-link",
            FaultClass::GrayFailure => "gray-failure",
            FaultClass::BadDeploy => "bad-deploy",
            FaultClass::Misconfiguration => "misconfiguration",
            FaultClass::DataDeletion => "data-deletion",
            FaultClass::Maintenance => "maintenance",
            FaultClass::CrashBug => "crash-bug",
            FaultClass::Aging => "aging",
            FaultClass::CommonCause => "common-cause",
            FaultClass::TrafficSpike => "traffic-spike",
        }
    }

    /// Every class, in the order above.
    pub const ALL: [FaultClass; 17] = [
        FaultClass::HostCrash,
        FaultClass::DiskFailure,
        FaultClass::RackPower,
        FaultClass::ZoneOutage,
        FaultClass::RegionOutage,
        FaultClass::LinkDown,
        FaultClass::Partition,
        FaultClass::DegradedLink,
        FaultClass::GrayFailure,
        FaultClass::BadDeploy,
        FaultClass::Misconfiguration,
        FaultClass::DataDeletion,
        FaultClass::Maintenance,
        FaultClass::CrashBug,
        FaultClass::Aging,
        FaultClass::CommonCause,
        FaultClass::TrafficSpike,
    ];
}

/// What a fault does while it is active.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Each listed element is taken down by its own, independent process
    /// (one host crash process per host, say).
    Down(Vec<Element>),
    /// Each listed element is degraded, not down, by its own process: a
    /// gray host fails `error_fraction` of the requests it serves; a lossy
    /// link loses that fraction of the requests that must cross it.
    Degrade {
        /// The hosts or links degraded.
        targets: Vec<Element>,
        /// The share of affected requests that fail, in (0, 1].
        error_fraction: f64,
    },
    /// One shock process; each shock takes down every listed element that
    /// is up at that instant, each repaired on its own (common cause).
    Shock(Vec<Element>),
    /// One process; while active, zones of `a` and zones of `b` cannot
    /// reach each other.
    Partition {
        /// One side (zone indices).
        a: Vec<usize>,
        /// The other side (zone indices).
        b: Vec<usize>,
    },
    /// One process; a bad release reaches `batch_size` more instances of
    /// `service` every `batch_interval` until it is detected, then all of
    /// them are rolled back together.
    Rollout {
        /// The service deployed to.
        service: usize,
        /// Instances per batch.
        batch_size: u32,
        /// Time between batches.
        batch_interval: SimDuration,
    },
    /// One process; while active, the load offered to every service with
    /// a capacity up rule is raised by `factor - 1` times its usual value
    /// (surges that overlap add up).
    Surge {
        /// The load while the surge lasts, as a multiple of the usual load
        /// (above 1).
        factor: f64,
    },
}

/// When a fault happens.
#[derive(Clone, Debug, PartialEq)]
pub enum Occurrence {
    /// Randomly: the time from the end of one occurrence (or from the
    /// start) to the next is drawn from `every`. An occurrence that falls
    /// while its target is already down is skipped: a host that is off does
    /// not crash.
    Random {
        /// Time between occurrences.
        every: Dist,
    },
    /// At fixed times, for drills and planned work: first at `first`, then
    /// every `period` if given; the i-th target of the fault is offset by
    /// `i * stagger` (rolling maintenance).
    Scheduled {
        /// The first occurrence.
        first: SimTime,
        /// The time between occurrences, if they repeat.
        period: Option<SimDuration>,
        /// The offset between successive targets.
        stagger: SimDuration,
    },
}

/// How a fault ends.
#[derive(Clone, Debug, PartialEq)]
pub struct Repair {
    /// Time until someone notices and starts the repair (none: at once).
    pub detection: Option<Dist>,
    /// Time the repair (restart, replacement, rollback, restore) takes.
    pub duration: Dist,
    /// The repair team whose crews do it (none: unlimited, automatic).
    pub team: Option<usize>,
}

/// A fault process.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultSpec {
    /// Unique name (it keys the fault's random streams).
    pub name: String,
    /// Its class, for attribution.
    pub class: FaultClass,
    /// What it does.
    pub effect: Effect,
    /// When it happens.
    pub occurrence: Occurrence,
    /// How it ends.
    pub repair: Repair,
}

/// A team of repair crews; faults that name it queue for a free crew.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamSpec {
    /// Unique name.
    pub name: String,
    /// How many repairs it can run at once.
    pub crews: u32,
}

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
}

/// A repeating load curve: piecewise constant multiples of the usual load.
///
/// Step `i` holds from its offset into the period until the next step's
/// offset (the last until the period ends); the curve then repeats.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadCurve {
    /// The length of one cycle (a day, a week).
    pub period: SimDuration,
    /// `(offset into the period, load factor)`, offsets strictly
    /// increasing from zero, factors non-negative.
    pub steps: Vec<(SimDuration, f64)>,
}

impl LoadCurve {
    /// The largest factor of the curve.
    pub fn peak(&self) -> f64 {
        self.steps.iter().map(|&(_, f)| f).fold(0.0, f64::max)
    }

    /// Checks that the period is positive, the offsets start at zero and
    /// increase within the period, and the factors are non-negative.
    pub fn validate(&self) -> Result<(), String> {
        if self.period.is_zero() {
            return Err("the period must be longer than zero".into());
        }
        match self.steps.first() {
            None => return Err("the curve has no steps".into()),
            Some(&(o, _)) if !o.is_zero() => {
                return Err(format!("the first step starts at {o}; expected 0s"));
            }
            _ => {}
        }
        for w in self.steps.windows(2) {
            if w[1].0 <= w[0].0 {
                return Err(format!(
                    "step at {} does not come after the step at {}; expected increasing offsets",
                    w[1].0, w[0].0
                ));
            }
        }
        if let Some(&(o, _)) = self.steps.iter().find(|&&(o, _)| o >= self.period) {
            return Err(format!(
                "step at {o} is not inside the period of {}",
                self.period
            ));
        }
        if let Some(&(_, f)) = self
            .steps
            .iter()
            .find(|&&(_, f)| !(f >= 0.0 && f.is_finite()))
        {
            return Err(format!("factor {f}; expected a non-negative number"));
        }
        Ok(())
    }

    /// The index of the step in force at `t`, and when the next step
    /// begins.
    pub fn step_at(&self, t: SimTime) -> (usize, SimTime) {
        let period = self.period.as_micros().max(1);
        let into = t.as_micros() % period;
        let start = t.as_micros() - into;
        let i = self
            .steps
            .iter()
            .rposition(|&(o, _)| o.as_micros() <= into)
            .unwrap_or(0);
        let next = match self.steps.get(i + 1) {
            Some(&(o, _)) => start + o.as_micros(),
            None => start + period,
        };
        (i, SimTime::from_micros(next))
    }
}

/// Why a [`SystemSpec`] cannot be simulated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SystemError {
    /// An index points past the end of its list.
    #[error("{what} refers to {kind} #{index}, which does not exist")]
    BadIndex {
        /// What holds the reference.
        what: String,
        /// The kind of thing referred to.
        kind: &'static str,
        /// The index.
        index: usize,
    },
    /// Hard or soft dependencies form a cycle.
    #[error("services depend on each other in a cycle: {0}")]
    Cycle(String),
    /// A service has no instances.
    #[error("service `{0}` has no instances")]
    NoInstances(String),
    /// An up rule cannot be met or makes no sense.
    #[error("service `{service}`: {reason}")]
    BadUpRule {
        /// The service.
        service: String,
        /// What is wrong.
        reason: String,
    },
    /// A failover's coverage is not a probability, or its service does not
    /// need exactly one active instance.
    #[error("service `{service}`: {reason}")]
    BadFailover {
        /// The service.
        service: String,
        /// What is wrong.
        reason: String,
    },
    /// A team has no crews.
    #[error("team `{0}` has no crews")]
    NoCrews(String),
    /// A degradation's error fraction is outside (0, 1].
    #[error("fault `{0}`: the error fraction must be more than 0 and at most 1")]
    BadFraction(String),
    /// A fault has nothing to act on.
    #[error("fault `{0}` has no targets")]
    NoTargets(String),
    /// The load curve, or a traffic surge, makes no sense.
    #[error("load: {0}")]
    BadLoad(String),
}

impl ServiceSpec {
    /// What the service's instances cost per hour: the active instance and
    /// its standbys for an active-passive service, every instance otherwise.
    pub fn cost_per_hour(&self) -> f64 {
        let n = self.instances.len() as f64;
        match &self.failover {
            Some(f) => {
                let standby = f
                    .standby_cost_per_hour
                    .unwrap_or(self.cost_per_instance_hour);
                self.cost_per_instance_hour + (n - 1.0) * standby
            }
            None => n * self.cost_per_instance_hour,
        }
    }
}

impl SystemSpec {
    /// The zone of a host.
    pub fn zone_of_host(&self, host: usize) -> usize {
        self.racks[self.hosts[host].rack].zone
    }

    /// Checks indices, dependency cycles and counts.
    pub fn validate(&self) -> Result<(), SystemError> {
        let bad = |what: String, kind: &'static str, index: usize| SystemError::BadIndex {
            what,
            kind,
            index,
        };
        for z in &self.zones {
            if z.region >= self.regions.len() {
                return Err(bad(format!("zone `{}`", z.name), "region", z.region));
            }
        }
        for r in &self.racks {
            if r.zone >= self.zones.len() {
                return Err(bad(format!("rack `{}`", r.name), "zone", r.zone));
            }
        }
        for h in &self.hosts {
            if h.rack >= self.racks.len() {
                return Err(bad(format!("host `{}`", h.name), "rack", h.rack));
            }
        }
        let place_ok = |p: Place| match p {
            Place::Zone(z) => z < self.zones.len(),
            Place::Region(r) => r < self.regions.len(),
        };
        for l in &self.links {
            if !place_ok(l.a) || !place_ok(l.b) {
                return Err(bad(format!("link `{}`", l.name), "place", 0));
            }
        }
        for s in &self.services {
            if s.instances.is_empty() {
                return Err(SystemError::NoInstances(s.name.clone()));
            }
            for i in &s.instances {
                if i.host >= self.hosts.len() {
                    return Err(bad(format!("instance `{}`", i.name), "host", i.host));
                }
            }
            for &d in s.hard_dependencies.iter().chain(&s.soft_dependencies) {
                if d >= self.services.len() {
                    return Err(bad(format!("service `{}`", s.name), "service", d));
                }
            }
            match s.up_rule {
                UpRule::MinHealthy(k) if k == 0 || k as usize > s.instances.len() => {
                    return Err(SystemError::BadUpRule {
                        service: s.name.clone(),
                        reason: format!(
                            "min_healthy = {k} but it has {} instances; expected 1 to {}",
                            s.instances.len(),
                            s.instances.len()
                        ),
                    });
                }
                UpRule::Quorum { write, read }
                    if write == 0
                        || read == 0
                        || write as usize > s.instances.len()
                        || read as usize > s.instances.len() =>
                {
                    return Err(SystemError::BadUpRule {
                        service: s.name.clone(),
                        reason: format!(
                            "quorum W = {write}, R = {read} with {} replicas; expected each from 1 to {}",
                            s.instances.len(),
                            s.instances.len()
                        ),
                    });
                }
                UpRule::Capacity {
                    per_instance_rps,
                    load_rps,
                } if !(per_instance_rps > 0.0 && load_rps >= 0.0 && load_rps.is_finite()) => {
                    return Err(SystemError::BadUpRule {
                        service: s.name.clone(),
                        reason: "capacity must be positive and load non-negative".into(),
                    });
                }
                _ => {}
            }
            if let Some(d) = &s.data {
                if !(d.writes_per_second >= 0.0 && d.writes_per_second.is_finite()) {
                    return Err(SystemError::BadFailover {
                        service: s.name.clone(),
                        reason: "the write rate must be a non-negative number".into(),
                    });
                }
                if d.replication.is_some() && s.failover.is_none() {
                    return Err(SystemError::BadFailover {
                        service: s.name.clone(),
                        reason:
                            "replication to standbys needs an active-passive service (`failover`)"
                                .into(),
                    });
                }
            }
            if let Some(f) = &s.failover {
                if !(0.0..=1.0).contains(&f.coverage) {
                    return Err(SystemError::BadFailover {
                        service: s.name.clone(),
                        reason: format!("coverage {} is not a probability", f.coverage),
                    });
                }
                if let Some(h) = &f.heartbeat
                    && (h.interval.is_zero() || h.timeout < h.interval)
                {
                    return Err(SystemError::BadFailover {
                        service: s.name.clone(),
                        reason: "heartbeats need a positive interval and a timeout of at least one interval".into(),
                    });
                }
                if s.up_rule != UpRule::MinHealthy(1) {
                    return Err(SystemError::BadFailover {
                        service: s.name.clone(),
                        reason: "an active-passive service serves from one instance: its up rule must be min_healthy = 1".into(),
                    });
                }
            }
        }
        if self.entry.service >= self.services.len() || !place_ok(self.entry.from) {
            return Err(bad(
                "the entry point".into(),
                "service or place",
                self.entry.service,
            ));
        }
        if let Some(cycle) = self.dependency_cycle() {
            return Err(SystemError::Cycle(cycle));
        }
        if let Some(curve) = &self.load_curve {
            curve.validate().map_err(SystemError::BadLoad)?;
        }
        for t in &self.teams {
            if t.crews == 0 {
                return Err(SystemError::NoCrews(t.name.clone()));
            }
        }
        for f in &self.faults {
            if let Some(team) = f.repair.team
                && team >= self.teams.len()
            {
                return Err(bad(format!("fault `{}`", f.name), "team", team));
            }
            if let Effect::Surge { factor } = f.effect
                && !(factor > 1.0 && factor.is_finite())
            {
                return Err(SystemError::BadLoad(format!(
                    "fault `{}`: a surge factor must be a number above 1, not {factor}",
                    f.name
                )));
            }
            let empty = match &f.effect {
                Effect::Down(t) | Effect::Degrade { targets: t, .. } | Effect::Shock(t) => {
                    t.is_empty()
                }
                Effect::Partition { a, b } => a.is_empty() || b.is_empty(),
                Effect::Rollout { .. } | Effect::Surge { .. } => false,
            };
            if empty {
                return Err(SystemError::NoTargets(f.name.clone()));
            }
            if let Effect::Degrade { error_fraction, .. } = f.effect
                && !(error_fraction > 0.0 && error_fraction <= 1.0)
            {
                return Err(SystemError::BadFraction(f.name.clone()));
            }
            let elements: &[Element] = match &f.effect {
                Effect::Down(t) | Effect::Degrade { targets: t, .. } | Effect::Shock(t) => t,
                _ => &[],
            };
            for &e in elements {
                if !self.element_exists(e) {
                    return Err(bad(format!("fault `{}`", f.name), "element", 0));
                }
            }
            match &f.effect {
                Effect::Partition { a, b } => {
                    if let Some(&z) = a.iter().chain(b).find(|&&z| z >= self.zones.len()) {
                        return Err(bad(format!("fault `{}`", f.name), "zone", z));
                    }
                }
                Effect::Rollout { service, .. } if *service >= self.services.len() => {
                    return Err(bad(format!("fault `{}`", f.name), "service", *service));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn element_exists(&self, e: Element) -> bool {
        match e {
            Element::Host(i) => i < self.hosts.len(),
            Element::Rack(i) => i < self.racks.len(),
            Element::Zone(i) => i < self.zones.len(),
            Element::Region(i) => i < self.regions.len(),
            Element::Link(i) => i < self.links.len(),
            Element::Service(i) => i < self.services.len(),
            Element::Instance(s, i) => {
                s < self.services.len() && i < self.services[s].instances.len()
            }
        }
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

    /// The number of components downtime can be charged to: every element
    /// (hosts, racks, zones, regions, links, services, instances), then
    /// the network (partitions) and the load (traffic spikes).
    pub fn component_slots(&self) -> usize {
        self.element_slots() + 2
    }

    fn element_slots(&self) -> usize {
        self.hosts.len()
            + self.racks.len()
            + self.zones.len()
            + self.regions.len()
            + self.links.len()
            + self.services.len()
            + self
                .services
                .iter()
                .map(|s| s.instances.len())
                .sum::<usize>()
    }

    /// The component slot of an element (see [`SystemSpec::component_slots`]).
    pub fn component_slot(&self, e: Element) -> usize {
        let hosts = 0;
        let racks = hosts + self.hosts.len();
        let zones = racks + self.racks.len();
        let regions = zones + self.zones.len();
        let links = regions + self.regions.len();
        let services = links + self.links.len();
        let instances = services + self.services.len();
        match e {
            Element::Host(i) => hosts + i,
            Element::Rack(i) => racks + i,
            Element::Zone(i) => zones + i,
            Element::Region(i) => regions + i,
            Element::Link(i) => links + i,
            Element::Service(i) => services + i,
            Element::Instance(s, i) => {
                instances
                    + self.services[..s]
                        .iter()
                        .map(|x| x.instances.len())
                        .sum::<usize>()
                    + i
            }
        }
    }

    /// The slot of the network, charged for partitions.
    pub fn network_slot(&self) -> usize {
        self.element_slots()
    }

    /// The slot of the load, charged for traffic spikes.
    pub fn load_slot(&self) -> usize {
        self.element_slots() + 1
    }

    /// A component slot's kind (`host`, `zone`, ..., `network`, `load`)
    /// and name.
    pub fn component(&self, slot: usize) -> (&'static str, String) {
        if slot == self.network_slot() {
            return ("network", "partitions".into());
        }
        if slot == self.load_slot() {
            return ("load", "traffic spikes".into());
        }
        let mut rest = slot;
        let mut take = |n: usize| {
            if rest < n {
                Some(rest)
            } else {
                rest -= n;
                None
            }
        };
        let e = if let Some(i) = take(self.hosts.len()) {
            Element::Host(i)
        } else if let Some(i) = take(self.racks.len()) {
            Element::Rack(i)
        } else if let Some(i) = take(self.zones.len()) {
            Element::Zone(i)
        } else if let Some(i) = take(self.regions.len()) {
            Element::Region(i)
        } else if let Some(i) = take(self.links.len()) {
            Element::Link(i)
        } else if let Some(i) = take(self.services.len()) {
            Element::Service(i)
        } else {
            let mut found = Element::Service(0);
            for (s, svc) in self.services.iter().enumerate() {
                if let Some(i) = take(svc.instances.len()) {
                    found = Element::Instance(s, i);
                    break;
                }
            }
            found
        };
        (e.kind_name(), self.element_name(e))
    }

    /// A dependency cycle, as `a -> b -> a`, if there is one.
    pub fn dependency_cycle(&self) -> Option<String> {
        // Depth-first search with colours, in index order: deterministic.
        #[derive(Clone, Copy, PartialEq)]
        enum Colour {
            White,
            Grey,
            Black,
        }
        fn visit(
            spec: &SystemSpec,
            s: usize,
            colour: &mut [Colour],
            stack: &mut Vec<usize>,
        ) -> Option<String> {
            colour[s] = Colour::Grey;
            stack.push(s);
            let svc = &spec.services[s];
            for &d in svc.hard_dependencies.iter().chain(&svc.soft_dependencies) {
                match colour[d] {
                    Colour::Grey => {
                        let start = stack.iter().position(|&x| x == d).unwrap_or(0);
                        let mut names: Vec<&str> = stack[start..]
                            .iter()
                            .map(|&x| spec.services[x].name.as_str())
                            .collect();
                        names.push(&spec.services[d].name);
                        return Some(names.join(" -> "));
                    }
                    Colour::White => {
                        if let Some(c) = visit(spec, d, colour, stack) {
                            return Some(c);
                        }
                    }
                    Colour::Black => {}
                }
            }
            stack.pop();
            colour[s] = Colour::Black;
            None
        }
        let mut colour = vec![Colour::White; self.services.len()];
        let mut stack = Vec::new();
        (0..self.services.len()).find_map(|s| {
            if colour[s] == Colour::White {
                visit(self, s, &mut colour, &mut stack)
            } else {
                None
            }
        })
    }

    /// Services in an order where every service comes after all it
    /// depends on (the spec must be free of cycles).
    pub fn dependency_order(&self) -> Vec<usize> {
        fn visit(spec: &SystemSpec, s: usize, done: &mut [bool], out: &mut Vec<usize>) {
            if done[s] {
                return;
            }
            done[s] = true;
            let svc = &spec.services[s];
            for &d in svc.hard_dependencies.iter().chain(&svc.soft_dependencies) {
                visit(spec, d, done, out);
            }
            out.push(s);
        }
        let mut done = vec![false; self.services.len()];
        let mut out = Vec::with_capacity(self.services.len());
        for s in 0..self.services.len() {
            visit(self, s, &mut done, &mut out);
        }
        out
    }
}
