//! Services: their instances, up rules, health checks, data and
//! replication, failover and heartbeats, and what they cost.

use sim_core::dist::Dist;
use sim_core::time::SimDuration;

pub use super::replication::{DataSpec, Replication};

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

/// The leader of a quorum store ([`UpRule::Quorum`]), as in Raft or
/// Paxos stores: writes go through it, and it needs W replicas
/// (itself included) reachable to commit one.
///
/// The first replica leads at the start. When the leader is lost (down,
/// or cut off from a majority of the N replicas), writes stop for an
/// election of `election`; then the first replica that is effective and
/// reaches a majority leads. With no majority anywhere, no election can
/// end: writes wait until a majority is together again, and then an
/// election is held. Reads need R replicas, as without a leader.
#[derive(Clone, Debug, PartialEq)]
pub struct LeaderSpec {
    /// How long an election takes, from the leader's loss to a new leader.
    pub election: Dist,
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
    /// Autoscaling of a capacity-rule service over its placed instances;
    /// `None`: every instance runs all the time.
    pub autoscale: Option<super::scaling::AutoscaleSpec>,
    /// A quorum store whose writes go through an elected leader; `None`:
    /// any W replicas take a write.
    pub leader: Option<LeaderSpec>,
}

impl ServiceSpec {
    /// What the service's instances cost per hour: the active instance, its
    /// standbys and its witnesses for an active-passive service, every
    /// instance otherwise.
    pub fn cost_per_hour(&self) -> f64 {
        let n = self.instances.len() as f64;
        match &self.failover {
            Some(f) => {
                let standby = f
                    .standby_cost_per_hour
                    .unwrap_or(self.cost_per_instance_hour);
                let witnesses = f.majority.as_ref().map_or(0.0, |m| m.cost_per_hour());
                self.cost_per_instance_hour + (n - 1.0) * standby + witnesses
            }
            None => n * self.cost_per_instance_hour,
        }
    }
}

/// How the load balancer in front of a service checks its instances.
///
/// An instance that dies keeps receiving its share of requests, which
/// fail, until `unhealthy_threshold` checks in a row have failed: the first
/// check comes at a uniformly random point of the interval, the others one
/// interval apart. A recovered instance gets no traffic until
/// `healthy_threshold` checks in a row have passed. That lag is an error
/// window the user trades against checking more often.
///
/// Checking has two prices. A check of a healthy instance fails with
/// probability `false_failure` (a timeout, a slow dependency), so a
/// healthy instance in rotation leaves it after `unhealthy_threshold`
/// false failures in a row and comes back after `healthy_threshold`
/// passes in a row: capacity lost to flapping. And every check is work:
/// `checkers` balancer nodes each check every instance, each check
/// costing `check_cost` requests, which under a capacity up rule takes
/// [`HealthCheckSpec::check_load_rps`] from each instance's capacity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HealthCheckSpec {
    /// Time between checks.
    pub interval: SimDuration,
    /// Failed checks in a row that take an instance out of rotation.
    pub unhealthy_threshold: u32,
    /// Passed checks in a row that put it back.
    pub healthy_threshold: u32,
    /// Probability that one check of a healthy instance fails, in [0, 1);
    /// 0: checks never fail a healthy instance.
    pub false_failure: f64,
    /// Balancer nodes that each check every instance, at least 1.
    pub checkers: u32,
    /// The work one check costs an instance, in requests (0: free).
    pub check_cost: f64,
}

impl HealthCheckSpec {
    /// Checks without false failures or load: one checker, free checks.
    pub fn new(interval: SimDuration, unhealthy_threshold: u32, healthy_threshold: u32) -> Self {
        HealthCheckSpec {
            interval,
            unhealthy_threshold,
            healthy_threshold,
            false_failure: 0.0,
            checkers: 1,
            check_cost: 0.0,
        }
    }

    /// The requests per second the checks take from each instance:
    /// `checkers * check_cost / interval`.
    pub fn check_load_rps(&self) -> f64 {
        if self.check_cost == 0.0 {
            return 0.0;
        }
        f64::from(self.checkers) * self.check_cost / self.interval.as_secs_f64().max(1e-6)
    }

    /// Mean time, in microseconds, from a healthy instance entering
    /// rotation to its false removal: the waiting time for a run of
    /// `unhealthy_threshold` failed checks, each failing with probability
    /// `false_failure`, counted from the first check after it entered
    /// (one interval later), `(1 - q^u) / ((1 - q) q^u)` checks, the same
    /// formula as [`HeartbeatSpec::mean_time_to_suspicion`]. Infinite for
    /// `q = 0`.
    pub fn mean_time_to_false_removal(&self) -> f64 {
        run_wait_checks(self.false_failure, self.unhealthy_threshold)
            * self.interval.as_micros() as f64
    }

    /// Mean time, in microseconds, from a false removal to the instance's
    /// return: `healthy_threshold` passed checks in a row, each passing
    /// with probability `1 - false_failure`, the first one interval after
    /// the removal: `(1 - s^h) / ((1 - s) s^h)` checks with `s = 1 - q`.
    pub fn mean_time_back_in(&self) -> f64 {
        run_wait_checks(1.0 - self.false_failure, self.healthy_threshold)
            * self.interval.as_micros() as f64
    }
}

/// The mean number of independent trials, each a success with probability
/// `p`, until `n` successes in a row (the classic waiting time for a run):
/// `(1 - p^n) / ((1 - p) p^n)`; infinite for `p = 0`, `n` for `p = 1`.
pub fn run_wait_checks(p: f64, n: u32) -> f64 {
    let n_f = f64::from(n.max(1));
    if p <= 0.0 {
        return f64::INFINITY;
    }
    if p >= 1.0 {
        return n_f;
    }
    let pn = p.powf(n_f);
    (1.0 - pn) / ((1.0 - p) * pn)
}

/// How an active-passive service replaces a failed active instance.
///
/// While the active instance is healthy the service is up, whatever
/// happens to the standbys. When it fails and a standby is healthy, the
/// failover is automatic with probability `coverage` and takes `duration`;
/// otherwise someone recovers it by hand in `manual`. The service is down
/// meanwhile, then resumes on any healthy instance. With heartbeats, the
/// standbys first have to notice: the failover starts only after the
/// detection delay of [`HeartbeatSpec::detection_delay`], and `duration`
/// is the promotion that follows; if the active instance comes back
/// before it is noticed, it simply goes on serving. With no healthy
/// instance at all the service is down, any pending failover is abandoned,
/// and it restarts at once on the first instance to come back.
#[derive(Clone, Debug, PartialEq)]
pub struct FailoverSpec {
    /// Time an automatic failover takes: detection and promotion without
    /// heartbeats, the promotion after detection with them.
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
    /// Promotion by majority of voters (instances and witnesses); `None`:
    /// a standby cut off from the active instance promotes on its own.
    pub majority: Option<super::MajoritySpec>,
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

    /// The time from a real failure of the active instance to a standby's
    /// suspicion, given `phase` in [0, 1): the last heartbeat left a
    /// uniformly random part of an interval (`phase` of it) before the
    /// failure, and the standby suspects `missed()` intervals after that
    /// heartbeat. Uniform on `((m - 1) * interval, m * interval]` for a
    /// uniform phase, mean `(m - 1/2) * interval`.
    pub fn detection_delay(&self, phase: f64) -> SimDuration {
        let i = self.interval.as_micros();
        let since_last = ((i as f64) * phase.clamp(0.0, 1.0)) as u64;
        SimDuration::from_micros(
            i.saturating_mul(u64::from(self.missed()))
                .saturating_sub(since_last.min(i.saturating_sub(1))),
        )
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
