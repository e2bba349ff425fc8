//! Faults: their classes, effects, occurrences and repairs, and the repair
//! teams they queue for.

use sim_core::dist::Dist;
use sim_core::time::{SimDuration, SimTime};

use super::Element;

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
    /// Age-based preventive maintenance (age replacement) of hosts: each
    /// target host is restarted once it has run `uptime` since it last
    /// came back up, from this fault's own window or from any host-level
    /// fault's repair (a crash, an aging failure, a disk replaced, a
    /// common-cause shock). The clock of a host that is down for another
    /// reason when its time comes (its rack or zone dark) starts again
    /// then. Only for faults that take hosts down.
    AfterUptime {
        /// The uptime after which the host is restarted.
        uptime: SimDuration,
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
    /// The faults whose age this fault renews (indices into the system's
    /// faults): when one of its activations on a host ends (a planned
    /// restart or a replacement done), the pending occurrence of each of
    /// these faults on that host is cancelled and a new time drawn from
    /// its `every`, counted from then. Only a fault that takes hosts down
    /// may renew others, and only host-level faults with random
    /// occurrences (not common-cause shocks) can be renewed; an activation
    /// of a renewed fault in progress is left alone (its own repair renews
    /// it). Empty for most faults.
    pub resets: Vec<usize>,
}

/// A team of repair crews; faults that name it queue for a free crew.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamSpec {
    /// Unique name.
    pub name: String,
    /// How many repairs it can run at once.
    pub crews: u32,
}
