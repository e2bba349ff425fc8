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

/// A pair in one zone whose standby (host 1) is down from 100 h to 110 h
/// and whose primary (host 0) is down from 105 h to 125 h: the primary
/// runs without a standby from 100 h and is lost at 105 h; the standby
/// is back at 110 h. Measured to 150 h.
fn stranded(mode: Replication) -> crate::system::model::SystemMeasures {
    let mut spec = pair(mode, vec![], Dist::deterministic(SimDuration::ZERO));
    spec.faults.clear();
    let at = |name: &str, host: usize, from_h: u64, for_h: u64| FaultSpec {
        occurrence: Occurrence::Scheduled {
            first: SimTime::from_duration(SimDuration::from_hours(from_h)),
            period: None,
            stagger: SimDuration::ZERO,
        },
        ..fault(
            name,
            FaultClass::HostCrash,
            Effect::Down(vec![Element::Host(host)]),
            exp_h(1.0),
            Dist::deterministic(SimDuration::from_hours(for_h)),
        )
    };
    spec.faults.push(at("standby-down", 1, 100, 10));
    spec.faults.push(at("primary-down", 0, 105, 20));
    spec.validate().unwrap();
    let mut sim = Simulation::new(SystemModel::new(&spec, 5, 0, SimTime::ZERO));
    sim.run_until(SimTime::from_duration(SimDuration::from_hours(150)));
    sim.model().system_measures()
}

/// Semi-sync: the primary went on alone 10 s after its standby was lost
/// and was then lost itself, so the standby that comes back at 110 h is
/// stale: it is not promoted, and the service waits for the primary at
/// 125 h. Nothing is lost; writes are refused for the 10 s stall and
/// accepted by no one from 105 h to 125 h.
#[test]
fn a_stale_semi_sync_standby_waits_for_the_primary() {
    let m = stranded(Replication::SemiSync {
        timeout: SimDuration::from_secs(10),
    });
    assert_eq!((m.failovers, m.lost_writes), (0, 0));
    let w = m.writes[0].as_ref().unwrap();
    let down_s = w.availability.downtime_hours() * 3600.0;
    assert!(
        (down_s - (10.0 + 20.0 * 3600.0)).abs() < 1e-6,
        "{down_s} s without writes"
    );
    let entry_down_h = m.services[0].downtime_hours();
    assert!((entry_down_h - 20.0).abs() < 1e-9, "{entry_down_h} h down");
}

/// Async: the same story, stale as well (the primary wrote alone from
/// 100 h): no promotion, nothing lost, 20 h down. Sync is never stale:
/// it stalls writes for the 5 h the primary had no standby, promotes the
/// standby as soon as it is back at 110 h (5 h down), loses nothing, and
/// stalls again until the old primary is back at 125 h: 20 h of refused
/// writes and 25 h without writes.
#[test]
fn async_waits_for_the_primary_and_sync_stalls_instead() {
    let lag = Dist::exponential_mean(SimDuration::from_millis(200)).unwrap();
    let m = stranded(Replication::Async { lag });
    assert_eq!((m.failovers, m.lost_writes), (0, 0));
    assert!((m.services[0].downtime_hours() - 20.0).abs() < 1e-9);
    let w = m.writes[0].as_ref().unwrap();
    assert_eq!(w.refused, 0.0);
    assert!(
        (w.mean_latency_ms().unwrap() - 1.0).abs() < 1e-9,
        "async waits only the write time"
    );

    let m = stranded(Replication::Sync);
    assert_eq!((m.failovers, m.lost_writes), (1, 0));
    assert!((m.services[0].downtime_hours() - 5.0).abs() < 1e-9);
    let w = m.writes[0].as_ref().unwrap();
    let stalled_s = 20.0 * 3600.0;
    assert!(
        (w.refused - stalled_s).abs() < 1e-6,
        "{} refused",
        w.refused
    );
    let down_s = w.availability.downtime_hours() * 3600.0;
    assert!(
        (down_s - 25.0 * 3600.0).abs() < 1e-6,
        "{down_s} s without writes"
    );
}

/// A primary in zone z0 and a standby in z1, cut apart from 100 h for an
/// hour: the standby promotes itself after the 30 s failover time (with
/// fencing). Semi-sync with a 10 s timeout wrote alone for the last 20 s;
/// async for all 30 s, plus the 200 ms mean lag; sync stalled instead.
/// The windows are exact, the counts Poisson at one write a second.
fn partitioned(mode: Replication) -> crate::system::model::SystemMeasures {
    let mut spec = pair(mode, vec![], Dist::deterministic(SimDuration::ZERO));
    spec.faults.clear();
    spec.zones.push(ZoneSpec {
        name: "z1".into(),
        region: 0,
    });
    spec.racks.push(RackSpec {
        name: "rack1".into(),
        zone: 1,
    });
    spec.hosts[1].rack = 1;
    spec.services[0].failover.as_mut().unwrap().duration =
        Dist::deterministic(SimDuration::from_secs(30));
    spec.faults.push(FaultSpec {
        occurrence: Occurrence::Scheduled {
            first: SimTime::from_duration(SimDuration::from_hours(100)),
            period: None,
            stagger: SimDuration::ZERO,
        },
        ..fault(
            "split",
            FaultClass::Partition,
            Effect::Partition {
                a: vec![0],
                b: vec![1],
            },
            exp_h(1.0),
            Dist::deterministic(SimDuration::from_hours(1)),
        )
    });
    spec.validate().unwrap();
    let mut sim = Simulation::new(SystemModel::new(&spec, 5, 0, SimTime::ZERO));
    sim.run_until(SimTime::from_duration(SimDuration::from_hours(150)));
    sim.model().system_measures()
}

#[test]
fn a_partition_loses_what_the_primary_wrote_alone() {
    let check = |m: &crate::system::model::SystemMeasures, window_s: f64| {
        assert_eq!(m.needless_failovers, 1);
        assert!(
            (m.worst_rpo_hours * 3600.0 - window_s).abs() < 1e-3,
            "window {} s, expected {window_s}",
            m.worst_rpo_hours * 3600.0
        );
        let lost = m.lost_writes as f64;
        assert!(
            (lost - window_s).abs() < 5.0 * window_s.sqrt().max(1.0),
            "{lost} lost"
        );
    };
    check(
        &partitioned(Replication::SemiSync {
            timeout: SimDuration::from_secs(10),
        }),
        20.0,
    );
    let lag = Dist::exponential_mean(SimDuration::from_millis(200)).unwrap();
    check(&partitioned(Replication::Async { lag }), 30.2);
    let m = partitioned(Replication::Sync);
    assert_eq!((m.needless_failovers, m.lost_writes), (1, 0));
}
