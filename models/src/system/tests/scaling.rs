//! Autoscaling against hand-computed values: a deterministic daily curve
//! without faults, a host fault replaced after the scale-out delay, a zone
//! outage under a per-zone limit, and a cooldown that holds a scale-in.

use sim_core::dist::Dist;
use sim_core::engine::Simulation;
use sim_core::time::{SimDuration, SimTime};

use super::{fault, pool};
use crate::system::model::SystemModel;
use crate::system::spec::*;

const MIN: f64 = 1.0 / 60.0;

/// `hosts` capacity slots of 100 rps each, `load` rps offered, scaled to
/// a target of 100% with a 5 minute scale-out delay.
fn scaled(hosts: usize, load: f64, cooldown: SimDuration) -> SystemSpec {
    let mut spec = pool(hosts, 1);
    let svc = &mut spec.services[0];
    svc.up_rule = UpRule::Capacity {
        per_instance_rps: 100.0,
        load_rps: load,
    };
    svc.autoscale = Some(AutoscaleSpec {
        min: 1,
        max: hosts as u32,
        target_utilisation: 1.0,
        scale_out_delay: SimDuration::from_mins(5),
        cooldown,
        per_zone_max: None,
    });
    spec
}

/// A day of 1x until noon, 3x after.
fn daily(spec: &mut SystemSpec) {
    spec.load_curve = Some(LoadCurve {
        period: SimDuration::from_hours(24),
        steps: vec![(SimDuration::ZERO, 1.0), (SimDuration::from_hours(12), 3.0)],
    });
}

/// A fault taking `e` down once at `at_h` for `for_h` hours.
fn once(e: Element, at_h: u64, for_h: u64) -> FaultSpec {
    let mut f = fault(
        "once",
        FaultClass::HostCrash,
        Effect::Down(vec![e]),
        Dist::deterministic(SimDuration::from_hours(1)),
        Dist::deterministic(SimDuration::from_hours(for_h)),
    );
    f.occurrence = Occurrence::Scheduled {
        first: SimTime::from_duration(SimDuration::from_hours(at_h)),
        period: None,
        stagger: SimDuration::ZERO,
    };
    f
}

/// Runs `hours` and returns (downtime hours, instance-hours, actions).
fn run(spec: &SystemSpec, hours: u64) -> (f64, f64, u64) {
    spec.validate().unwrap();
    let mut sim = Simulation::new(SystemModel::new(spec, 1, 0, SimTime::ZERO));
    sim.run_until(SimTime::from_duration(SimDuration::from_hours(hours)));
    let m = sim.model();
    let d = m.system_measures().service_data[0];
    (
        m.measures().downtime_hours(),
        d.instance_hours,
        d.scaling_actions,
    )
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} vs {b}");
}

/// Two days of 1x then 3x: one instance, then three from each noon;
/// short of capacity for the delay at each rise, stopped at midnight.
#[test]
fn a_daily_curve_costs_its_instance_hours_and_the_delay_at_each_rise() {
    let mut spec = scaled(6, 100.0, SimDuration::from_mins(15));
    daily(&mut spec);
    let (down, hours, actions) = run(&spec, 48);
    close(down, 2.0 * 5.0 * MIN);
    close(hours, 2.0 * (12.0 * 1.0 + 12.0 * 3.0));
    // A launch each noon, a stop at the first midnight.
    assert_eq!(actions, 3);
}

/// A cooldown of 13 h holds the midnight scale-in until 1:00.
#[test]
fn the_cooldown_holds_a_scale_in() {
    let mut spec = scaled(6, 100.0, SimDuration::from_hours(13));
    daily(&mut spec);
    let (down, hours, _) = run(&spec, 48);
    close(down, 2.0 * 5.0 * MIN);
    close(hours, 12.0 + 36.0 + 3.0 + 11.0 + 36.0);
}

/// Two of three slots run; the host of one fails: down exactly for the
/// delay until its replacement serves, instance-hours unchanged.
#[test]
fn a_lost_host_is_replaced_after_the_delay() {
    let mut spec = scaled(3, 200.0, SimDuration::from_mins(15));
    spec.faults.push(once(Element::Host(0), 10, 1));
    let (down, hours, actions) = run(&spec, 24);
    close(down, 5.0 * MIN);
    close(hours, 2.0 * 24.0);
    assert_eq!(actions, 1);
}

/// Two zones of four slots, four running (two per zone); zone 0 is out
/// from 10:00 to 12:00. With `per_zone_max = 2` nothing can replace its
/// two until it is back, plus the delay; without, zone 1 takes them
/// after the delay.
#[test]
fn the_per_zone_limit_holds_replacements_during_a_zone_outage() {
    let mut spec = scaled(8, 400.0, SimDuration::from_mins(15));
    spec.zones.push(ZoneSpec {
        name: "z2".into(),
        region: 0,
    });
    spec.racks.push(RackSpec {
        name: "rack2".into(),
        zone: 1,
    });
    for h in 4..8 {
        spec.hosts[h].rack = 1;
    }
    spec.faults.push(once(Element::Zone(0), 10, 2));
    let (down, _, _) = run(&spec, 24);
    close(down, 5.0 * MIN);
    spec.services[0].autoscale.as_mut().unwrap().per_zone_max = Some(2);
    let (down, hours, _) = run(&spec, 24);
    close(down, 2.0 + 5.0 * MIN);
    // Two instances gone for the outage, relaunched at its end.
    close(hours, 4.0 * 24.0 - 2.0 * 2.0);
}
