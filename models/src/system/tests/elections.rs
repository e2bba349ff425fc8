//! Leader-based quorum stores: writes stop for an election when the
//! leader is lost, not when a follower is, and not at all without a
//! majority to elect one. Exact, with scheduled faults and deterministic
//! election times.

use sim_core::dist::Dist;
use sim_core::engine::Simulation;
use sim_core::time::{SimDuration, SimTime};

use super::{exp_h, fault, pool};
use crate::system::model::{SystemMeasures, SystemModel};
use crate::system::spec::*;

/// Three replicas in one zone, W = 2 and R = 2, led by replica 0, with
/// 5 s elections; each `(host, from hour, for hours)` crashes once.
/// Measured for 200 h.
fn store(crashes: &[(usize, u64, u64)]) -> SystemMeasures {
    let mut spec = pool(3, 1);
    spec.services[0].up_rule = UpRule::Quorum { write: 2, read: 2 };
    spec.services[0].leader = Some(LeaderSpec {
        election: Dist::deterministic(SimDuration::from_secs(5)),
    });
    for (k, &(host, from_h, for_h)) in crashes.iter().enumerate() {
        spec.faults.push(FaultSpec {
            occurrence: Occurrence::Scheduled {
                first: SimTime::from_duration(SimDuration::from_hours(from_h)),
                period: None,
                stagger: SimDuration::ZERO,
            },
            ..fault(
                &format!("crash-{k}"),
                FaultClass::HostCrash,
                Effect::Down(vec![Element::Host(host)]),
                exp_h(1.0),
                Dist::deterministic(SimDuration::from_hours(for_h)),
            )
        });
    }
    spec.validate().unwrap();
    let mut sim = Simulation::new(SystemModel::new(&spec, 3, 0, SimTime::ZERO));
    sim.run_until(SimTime::from_duration(SimDuration::from_hours(200)));
    sim.model().system_measures()
}

fn seconds_down(m: &SystemMeasures) -> (f64, f64) {
    let (reads, writes) = m.quorum[0].as_ref().unwrap();
    (
        reads.downtime_hours() * 3600.0,
        writes.downtime_hours() * 3600.0,
    )
}

/// The leader's host crashes for an hour: writes stop for exactly the
/// 5 s election (two replicas are left, a majority and W), reads never.
/// Its return makes no new election.
#[test]
fn losing_the_leader_stops_writes_for_an_election() {
    let m = store(&[(0, 100, 1)]);
    assert_eq!(m.service_data[0].elections, 1);
    let (reads, writes) = seconds_down(&m);
    assert_eq!(reads, 0.0);
    assert!((writes - 5.0).abs() < 1e-9, "{writes} s");
    // The store is up while both can succeed.
    assert!((m.services[0].downtime_hours() * 3600.0 - 5.0).abs() < 1e-9);
}

/// A follower's crash needs no election and stops nothing (W = 2 of the
/// two left).
#[test]
fn losing_a_follower_stops_nothing() {
    let m = store(&[(2, 100, 1)]);
    assert_eq!(m.service_data[0].elections, 0);
    assert_eq!(seconds_down(&m), (0.0, 0.0));
}

/// The leader and a follower down together (100 h to 101 h and 100 h to
/// 102 h): one replica alone is no majority, so no election can end;
/// writes and reads stop for the hour both are down. When the follower is
/// back at 101 h, an election (5 s) makes a leader of the first replica
/// with a majority.
#[test]
fn without_a_majority_no_leader_is_elected() {
    let m = store(&[(1, 100, 1), (0, 100, 2)]);
    let (reads, writes) = seconds_down(&m);
    assert!((reads - 3600.0).abs() < 1e-6, "{reads} s");
    assert!((writes - 3605.0).abs() < 1e-6, "{writes} s");
    // The first election began at 100 h with no one to elect; the second
    // when a majority was together again.
    assert_eq!(m.service_data[0].elections, 2);
}
