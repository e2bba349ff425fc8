//! Synchronous replication has a price: writes wait a round trip, stall
//! while no standby confirms them, and semi-sync stalls only for its
//! timeout. Each against a hand-computed value.

use sim_core::dist::Dist;
use sim_core::engine::Simulation;
use sim_core::stats::Welford;
use sim_core::time::{SimDuration, SimTime};

use super::{exp_h, fault, pool};
use crate::system::model::SystemModel;
use crate::system::spec::*;

/// An active-passive pair with an instant failover, replicating `mode`
/// at one write a second; the hosts named in `failing` crash (mean
/// 100 h) and are repaired in `repair`.
fn pair(mode: Replication, failing: Vec<Element>, repair: Dist) -> SystemSpec {
    let mut spec = pool(2, 1);
    spec.services[0].failover = Some(FailoverSpec {
        duration: Dist::deterministic(SimDuration::ZERO),
        coverage: 1.0,
        manual: Dist::deterministic(SimDuration::ZERO),
        standby_cost_per_hour: None,
        fencing: true,
        failback: None,
        heartbeat: None,
        majority: None,
    });
    spec.services[0].data = Some(DataSpec {
        writes_per_second: 1.0,
        replication: Some(mode),
        backup_interval: None,
        write_time: SimDuration::from_millis(1),
    });
    spec.faults.push(fault(
        "crash",
        FaultClass::HostCrash,
        Effect::Down(failing),
        exp_h(100.0),
        repair,
    ));
    spec
}

fn run(spec: &SystemSpec, r: u64) -> crate::system::model::WriteMeasures {
    spec.validate().unwrap();
    let end = SimTime::from_duration(SimDuration::from_years(1));
    let mut sim = Simulation::new(SystemModel::new(spec, 5, r, SimTime::ZERO));
    sim.run_until(end);
    sim.model().system_measures().writes[0].clone().unwrap()
}

/// Writes of a sync pair need both hosts up (the failover is instant):
/// unavailability 1 - A^2 with A = 100 / 110, within four standard
/// errors over the replications.
#[test]
fn sync_writes_stall_while_either_host_is_down() {
    let spec = pair(
        Replication::Sync,
        vec![Element::Host(0), Element::Host(1)],
        exp_h(10.0),
    );
    let mut w = Welford::default();
    for r in 0..40 {
        w.push(1.0 - run(&spec, r).availability.availability());
    }
    let a = 100.0 / 110.0;
    let exact = 1.0 - a * a;
    let se = w.std_error();
    assert!(
        (w.mean() - exact).abs() < 4.0 * se,
        "{} vs {exact} (se {se})",
        w.mean()
    );
}

/// Semi-sync: each loss of the standby (repaired in an hour, longer than
/// the timeout) stalls writes for exactly the 10 s timeout; the primary
/// never fails, so nothing is lost.
#[test]
fn semi_sync_stalls_for_its_timeout_per_standby_loss() {
    let timeout = SimDuration::from_secs(10);
    let spec = pair(
        Replication::SemiSync { timeout },
        vec![Element::Host(1)],
        Dist::deterministic(SimDuration::from_hours(1)),
    );
    let m = run(&spec, 0);
    let stalls = m.availability.incidents();
    assert!(stalls > 40, "{stalls} stalls");
    let per = m.availability.downtime_hours() * 3600.0 / stalls as f64;
    assert!((per - 10.0).abs() < 1e-6, "{per} s a stall");
    // Refused: one write a second while stalled.
    assert!((m.refused - 10.0 * stalls as f64).abs() < 1e-6);
}

/// Both instances in one zone: every accepted write waits the 1 ms write
/// time plus the 0.5 ms same-zone round trip, exactly; a sync pair whose
/// standby never fails never stalls.
#[test]
fn write_latency_is_the_write_time_plus_the_round_trip() {
    let spec = pair(
        Replication::Sync,
        vec![Element::Host(0)],
        Dist::deterministic(SimDuration::from_hours(1)),
    );
    let m = run(&spec, 0);
    let mean = m.mean_latency_ms().unwrap();
    assert!((mean - 1.5).abs() < 1e-9, "{mean} ms");
}
