//! Promotion by majority: a witness in a third zone keeps the primary
//! through a partition between the other two, lets the standby promote
//! when the primary's zone is lost, and an active instance cut off from
//! the majority steps down instead of making a split brain. Each against
//! an exact value (deterministic failover times).

use sim_core::dist::Dist;
use sim_core::engine::Simulation;
use sim_core::time::{SimDuration, SimTime};

use super::{exp_h, fault, pool};
use crate::system::model::{SystemMeasures, SystemModel};
use crate::system::spec::*;

/// A primary in zone z0 (host 0), a standby in z1 (host 1) and a third
/// zone z2 with host 2 and no instance: a 30 s promotion, a 10 s
/// failback, a 10 min manual recovery; with `witness`, a majority rule
/// with a witness in z2, with `majority` alone a majority rule of the two
/// instances. Clients enter from `from`.
fn three_zones(majority: bool, witness: bool, fencing: bool, from: Place) -> SystemSpec {
    let mut spec = pool(3, 1);
    for z in 1..3 {
        spec.zones.push(ZoneSpec {
            name: format!("z{z}"),
            region: 0,
        });
        spec.racks.push(RackSpec {
            name: format!("rack{z}"),
            zone: z,
        });
        spec.hosts[z].rack = z;
    }
    spec.services[0].instances.truncate(2);
    spec.services[0].failover = Some(FailoverSpec {
        duration: Dist::deterministic(SimDuration::from_secs(30)),
        coverage: 1.0,
        manual: Dist::deterministic(SimDuration::from_mins(10)),
        standby_cost_per_hour: None,
        fencing,
        failback: Some(Dist::deterministic(SimDuration::from_secs(10))),
        heartbeat: None,
        majority: majority.then(|| MajoritySpec {
            witnesses: if witness {
                vec![WitnessSpec { zone: 2, host: 2 }]
            } else {
                vec![]
            },
            witness_cost_per_hour: 0.05,
        }),
    });
    spec.entry.from = from;
    spec
}

/// Partitions between `a` and `b` every 30 days on average, an hour each.
fn partitions(spec: &mut SystemSpec, a: Vec<usize>, b: Vec<usize>) {
    spec.faults.push(fault(
        "split",
        FaultClass::Partition,
        Effect::Partition { a, b },
        exp_h(24.0 * 30.0),
        Dist::deterministic(SimDuration::from_hours(1)),
    ));
}

/// Outages of zone z0 every 30 days on average, an hour each.
fn zone_a_outages(spec: &mut SystemSpec) {
    spec.faults.push(fault(
        "zone-a",
        FaultClass::ZoneOutage,
        Effect::Down(vec![Element::Zone(0)]),
        exp_h(24.0 * 30.0),
        Dist::deterministic(SimDuration::from_hours(1)),
    ));
}

/// Two years of one replication: (entry downtime in seconds, measures).
fn run(spec: &SystemSpec) -> (f64, SystemMeasures) {
    spec.validate().unwrap();
    let end = SimTime::from_duration(SimDuration::from_years(2));
    let mut sim = Simulation::new(SystemModel::new(spec, 7, 0, SimTime::ZERO));
    sim.run_until(end);
    let m = sim.model();
    (m.measures().downtime_hours() * 3600.0, m.system_measures())
}

/// A partition between z0 and z1 with the witness in z2 reaching both:
/// the witness still reaches the serving primary, so the standby gets
/// one vote of three and never promotes. No failover, no downtime on
/// zone z0's side, one refused promotion per partition. Without the
/// majority rule, every partition is a needless failover and zone z0's
/// clients lose the database (fenced primary) until the failback.
#[test]
fn a_witness_that_sees_both_sides_keeps_the_primary() {
    let mut spec = three_zones(true, true, true, Place::Zone(0));
    partitions(&mut spec, vec![0], vec![1]);
    let (down_s, m) = run(&spec);
    let parts = m.occurrences[0];
    assert!(parts > 10, "{parts} partitions");
    assert_eq!(down_s, 0.0);
    assert_eq!(m.failovers, 0);
    assert_eq!(m.needless_failovers, 0);
    assert_eq!(m.split_brains, 0);
    assert_eq!(m.service_data[0].refused_promotions, parts);

    let mut plain = three_zones(false, false, true, Place::Zone(0));
    partitions(&mut plain, vec![0], vec![1]);
    let (down_s, m) = run(&plain);
    assert_eq!(m.needless_failovers, m.occurrences[0]);
    // Down from the promotion (30 s in) to the end of the failback after
    // the hour: 3600 - 30 + 10 s a partition.
    let per = down_s / m.occurrences[0] as f64;
    assert!((per - 3580.0).abs() < 1e-3, "{per} s a partition");
}

/// Zone z0 lost: the standby in z1 and the witness in z2 are two votes of
/// three, so it promotes after the failover time; the failback when the
/// zone returns adds 10 s: 40 s an outage, exactly. Without a witness the
/// standby alone is one vote of two: refused, it waits for the manual
/// recovery (10 min), 610 s an outage.
#[test]
fn a_lost_zone_promotes_with_a_witness_and_waits_for_the_manual_recovery_without() {
    let mut spec = three_zones(true, true, true, Place::Region(0));
    zone_a_outages(&mut spec);
    let (down_s, m) = run(&spec);
    let outages = m.occurrences[0];
    assert!(outages > 10, "{outages} outages");
    assert!((down_s / outages as f64 - 40.0).abs() < 1e-3, "{down_s}");
    assert_eq!(m.failovers, outages);
    assert_eq!(m.service_data[0].refused_promotions, 0);

    let mut alone = three_zones(true, false, true, Place::Region(0));
    zone_a_outages(&mut alone);
    let (down_s, m) = run(&alone);
    assert_eq!(m.occurrences[0], outages, "common random numbers");
    assert!((down_s / outages as f64 - 610.0).abs() < 1e-3, "{down_s}");
    assert_eq!(m.service_data[0].refused_promotions, outages);
    assert_eq!(m.failovers, outages);
}

/// A partition that cuts the primary in z0 off from z1 and the witness
/// in z2, without fencing: the primary holds one vote of three and steps
/// down at once; the standby and the witness promote after 30 s. No split
/// brain, down 30 s and the 10 s failback a partition. Without the
/// majority rule (and without fencing), every partition is a split brain.
#[test]
fn an_active_cut_off_from_the_majority_steps_down() {
    let mut spec = three_zones(true, true, false, Place::Region(0));
    partitions(&mut spec, vec![0], vec![1, 2]);
    let (down_s, m) = run(&spec);
    let parts = m.occurrences[0];
    assert!(parts > 10, "{parts} partitions");
    assert_eq!(m.split_brains, 0);
    assert_eq!(m.split_brain_hours, 0.0);
    assert_eq!(m.needless_failovers, parts);
    assert!((down_s / parts as f64 - 40.0).abs() < 1e-3, "{down_s}");

    let mut open = three_zones(false, false, false, Place::Region(0));
    partitions(&mut open, vec![0], vec![1, 2]);
    let (_, m) = run(&open);
    assert_eq!(m.split_brains, parts);
}

/// The witness's price is in the cost breakdown with the standbys: one
/// witness at 0.05 an hour, 438 a year.
#[test]
fn a_witness_costs_its_hourly_price() {
    let spec = three_zones(true, true, true, Place::Region(0));
    let (_, with) = run(&spec);
    let (_, without) = run(&three_zones(false, false, true, Place::Region(0)));
    let k = crate::system::cost::CostComponent::Standbys as usize;
    let extra = with.cost.amounts[k] - without.cost.amounts[k];
    assert!((extra - 0.05 * 8760.0).abs() < 1e-6, "{extra}");
}
