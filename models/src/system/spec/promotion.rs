//! Promotion by majority: the voters of an active-passive service (its
//! instances and witnesses placed in zones) and what a witness costs.

/// Promotion by majority for an active-passive service.
///
/// The voters are the service's instances and its witnesses. A voter is
/// alive while it is effective (an instance) or while its host and every
/// domain around it are up (a witness). A standby promotes only if it
/// reaches a majority of all voters, itself included, counting only the
/// live voters that do not still reach a serving active instance (a
/// witness that sees both sides keeps the old primary). An active
/// instance that cannot reach a majority steps down: it serves nothing
/// until it reaches one again. With two instances and no witness, no
/// instance ever holds a majority alone: a lost primary waits for the
/// manual recovery, and a partition takes the service down on both sides.
#[derive(Clone, Debug, PartialEq)]
pub struct MajoritySpec {
    /// The witnesses: small voting processes that hold no data.
    pub witnesses: Vec<WitnessSpec>,
    /// What one witness costs per hour (counted with the standbys).
    pub witness_cost_per_hour: f64,
}

/// A witness: a voter on a host of its zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WitnessSpec {
    /// Index of its zone.
    pub zone: usize,
    /// Index of its host: the zone's first host; host, rack and zone
    /// faults take it down like an instance.
    pub host: usize,
}

impl MajoritySpec {
    /// The votes a promotion needs among `instances` instances and the
    /// witnesses: more than half of all voters.
    pub fn needed(&self, instances: usize) -> usize {
        (instances + self.witnesses.len()) / 2 + 1
    }

    /// What the witnesses cost per hour.
    pub fn cost_per_hour(&self) -> f64 {
        self.witnesses.len() as f64 * self.witness_cost_per_hour
    }
}
