//! Data and replication: how acknowledged writes reach the standbys, what
//! each write waits for, and the round-trip times of the network between
//! zones.

use sim_core::dist::Dist;
use sim_core::time::SimDuration;

/// How an active-passive service copies acknowledged writes to its
/// standbys, which decides what a failover loses and what a write waits
/// for.
#[derive(Clone, Debug, PartialEq)]
pub enum Replication {
    /// Each write waits for a standby: a failover loses nothing, each
    /// write waits one round trip to the nearest effective, reachable
    /// standby, and while there is none writes stall (the service still
    /// serves reads).
    Sync,
    /// Semi-synchronous: like [`Replication::Sync`] while a standby is
    /// effective and reachable; when none is, writes stall for `timeout`,
    /// then the active instance acknowledges writes alone (asynchronous)
    /// until a standby is reachable again and catches up at once. A
    /// failover to a standby while it is behind loses the writes
    /// acknowledged since the fallback began, Poisson with mean `rate *
    /// time behind`.
    SemiSync {
        /// How long writes wait for a standby before the active instance
        /// goes on alone.
        timeout: SimDuration,
    },
    /// Writes reach the standby after a lag: a failover loses the writes
    /// still in flight, Poisson with mean `rate * E[lag]` for Poisson writes
    /// whatever the lag's law (an M/G/inf occupancy at a random instant),
    /// and, when the active instance had no standby it could reach (a
    /// partition, the standbys down), everything it acknowledged since:
    /// `rate * (E[lag] + time alone)` in all. If every standby was down
    /// while it wrote alone and it is then lost too, no standby has its
    /// writes: none is promoted, and the service waits for it to come
    /// back (the same for semi-sync after its fallback).
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

impl Replication {
    /// Whether writes wait for a standby (sync, or semi-sync while it is
    /// synchronous), so that they have a latency and can stall.
    pub fn waits_for_standby(&self) -> bool {
        matches!(self, Replication::Sync | Replication::SemiSync { .. })
    }
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
    /// The time a write takes on the active instance itself, before any
    /// round trip to a standby (zero by default).
    pub write_time: SimDuration,
}

/// Round-trip times where no link says otherwise (the `[network]` table).
///
/// The round trip between two instances is `same_zone_rtt` in one zone.
/// Between zones it is twice the one-way delay of the fastest path among
/// the zones, regions and links that are up: each step between a zone and
/// its region's own network takes a quarter of `cross_zone_rtt` one way
/// (so two zones of one region are `cross_zone_rtt` apart), and each link
/// its [`LinkSpec::latency`](super::LinkSpec::latency).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkSpec {
    /// Round trip between two instances of one zone (default 0.5 ms).
    pub same_zone_rtt: SimDuration,
    /// Round trip between two zones of one region over the region's own
    /// network (default 2 ms).
    pub cross_zone_rtt: SimDuration,
}

impl Default for NetworkSpec {
    fn default() -> Self {
        NetworkSpec {
            same_zone_rtt: SimDuration::from_micros(500),
            cross_zone_rtt: SimDuration::from_micros(2_000),
        }
    }
}
