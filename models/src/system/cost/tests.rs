//! Each cost component against a value computed by hand.

use sim_core::dist::Dist;
use sim_core::time::{HOURS_PER_YEAR, SimDuration, SimTime};

use super::*;
use crate::replicate::{Horizon, ReplicationResult, simulate};
use crate::spec::ModelSpec;
use crate::system::spec::*;

fn hours(h: u64) -> SimDuration {
    SimDuration::from_hours(h)
}

/// Three zones: `a` and `b` in region `r0`, `c` in `r1`, two hosts each
/// (hosts `2z` and `2z + 1` in zone `z`). `web` (capacity rule, 1000 rps,
/// instances in `a` and `b`) needs `db` (active-passive, primary in `a`,
/// standbys in `b` and `c`, 100 writes a second, backups every hour).
fn system() -> SystemSpec {
    let zone = |name: &str, region| ZoneSpec {
        name: name.into(),
        region,
    };
    let inst = |name: &str, host| InstanceSpec {
        name: name.into(),
        host,
    };
    SystemSpec {
        regions: vec!["r0".into(), "r1".into()],
        zones: vec![zone("a", 0), zone("b", 0), zone("c", 1)],
        racks: (0..3)
            .map(|z| RackSpec {
                name: format!("rack{z}"),
                zone: z,
            })
            .collect(),
        hosts: (0..6)
            .map(|h| HostSpec {
                name: format!("h{h}"),
                rack: h / 2,
            })
            .collect(),
        links: vec![LinkSpec {
            name: "r0-r1".into(),
            a: Place::Region(0),
            b: Place::Region(1),
            latency: sim_core::time::SimDuration::from_millis(1),
        }],
        services: vec![
            ServiceSpec {
                name: "web".into(),
                instances: vec![inst("web-1", 0), inst("web-2", 2)],
                up_rule: UpRule::Capacity {
                    per_instance_rps: 1000.0,
                    load_rps: 1000.0,
                },
                hard_dependencies: vec![1],
                soft_dependencies: vec![],
                cost_per_instance_hour: 0.1,
                failover: None,
                data: None,
                health_check: None,
                autoscale: None,
                leader: None,
            },
            ServiceSpec {
                name: "db".into(),
                instances: vec![inst("db-1", 1), inst("db-2", 3), inst("db-3", 4)],
                up_rule: UpRule::MinHealthy(1),
                hard_dependencies: vec![],
                soft_dependencies: vec![],
                cost_per_instance_hour: 0.5,
                failover: Some(FailoverSpec {
                    duration: Dist::deterministic(SimDuration::from_mins(1)),
                    coverage: 1.0,
                    manual: Dist::deterministic(hours(1)),
                    standby_cost_per_hour: Some(0.2),
                    fencing: true,
                    failback: None,
                    heartbeat: None,
                    majority: None,
                }),
                data: Some(DataSpec {
                    writes_per_second: 100.0,
                    replication: Some(Replication::Sync),
                    backup_interval: Some(hours(1)),
                    write_time: SimDuration::ZERO,
                }),
                health_check: None,
                autoscale: None,
                leader: None,
            },
        ],
        entry: EntrySpec {
            service: 0,
            from: Place::Zone(0),
        },
        faults: vec![],
        teams: vec![TeamSpec {
            name: "oncall".into(),
            crews: 3,
        }],
        downtime_cost_per_minute: 0.0,
        currency: None,
        load_curve: None,
        costs: CostSpec::default(),
        network: Default::default(),
    }
}

fn run(spec: &SystemSpec, r: u64, length: SimDuration, warmup: SimDuration) -> ReplicationResult {
    spec.validate().unwrap();
    let spec = ModelSpec::System(Box::new(spec.clone()));
    simulate(&spec, 7, r, Horizon::new(length, warmup), None)
}

fn cost(r: &ReplicationResult) -> CostPerYear {
    r.system.as_ref().expect("a system").cost
}

#[track_caller]
fn close(x: f64, exact: f64) {
    assert!(
        (x - exact).abs() <= 1e-9 * exact.abs().max(1.0),
        "{x} against {exact}"
    );
}

#[test]
fn fixed_costs_are_exact() {
    let mut s = system();
    s.costs = CostSpec {
        host_per_hour: vec![0.05; 6],
        zone_per_year: vec![100.0, 200.0, 0.0],
        region_per_year: vec![1000.0, 3000.0],
        crew_per_year: vec![50_000.0],
        backups: vec![
            None,
            Some(BackupCost {
                per_run: 0.5,
                retain: 24,
                per_copy_hour: 0.01,
            }),
        ],
        ..CostSpec::default()
    };
    let c = cost(&run(&s, 0, SimDuration::from_years(1), SimDuration::ZERO));
    close(c.get(CostComponent::Instances), (0.2 + 0.5) * 8760.0);
    close(c.get(CostComponent::Standbys), 2.0 * 0.2 * 8760.0);
    close(c.get(CostComponent::Hosts), 6.0 * 0.05 * 8760.0);
    assert_eq!(c.get(CostComponent::Zones), 300.0);
    assert_eq!(c.get(CostComponent::Regions), 4000.0);
    assert_eq!(c.get(CostComponent::Crews), 150_000.0);
    // Hourly backups from time zero: 8760 runs in a year.
    assert_eq!(c.get(CostComponent::Backups), 8760.0 * 0.5);
    close(c.get(CostComponent::BackupStorage), 24.0 * 0.01 * 8760.0);
    for k in CostComponent::ALL.iter().filter(|k| k.is_random()) {
        assert_eq!(c.get(*k), 0.0, "{}", k.name());
    }
    close(c.total(), c.amounts.iter().sum());
    close(c.fixed(), c.total());
    // The old figure, instances at their hourly cost, is the sum of the
    // first two components.
    let old: f64 = s
        .services
        .iter()
        .map(|x| x.cost_per_hour() * HOURS_PER_YEAR)
        .sum();
    close(
        c.get(CostComponent::Instances) + c.get(CostComponent::Standbys),
        old,
    );
}

#[test]
fn backup_runs_are_counted_in_the_measured_span() {
    let t = |h: u64| SimTime::from_duration(hours(h));
    assert_eq!(backup_runs(hours(1), t(0), t(8760)), 8760);
    assert_eq!(backup_runs(hours(24), t(0), t(8760)), 365);
    // Weekly from zero: 0, 168, ..., 8736; after a 100 h warm-up, 52.
    assert_eq!(backup_runs(hours(168), t(0), t(8760)), 53);
    assert_eq!(backup_runs(hours(168), t(100), t(8760)), 52);
    assert_eq!(backup_runs(hours(168), t(168), t(8760)), 52);
    let mut s = system();
    s.services[1].data.as_mut().unwrap().backup_interval = Some(hours(168));
    s.costs.backups = vec![
        None,
        Some(BackupCost {
            per_run: 10.0,
            retain: 1,
            per_copy_hour: 0.0,
        }),
    ];
    let c = cost(&run(&s, 0, SimDuration::from_years(1), hours(100)));
    close(c.get(CostComponent::Backups), 52.0 * 10.0 * 8760.0 / 8660.0);
}

#[test]
fn traffic_crosses_zones_and_regions_as_placed() {
    let mut s = system();
    s.costs.write_bytes = vec![0.0, 4000.0];
    s.costs.request_bytes = vec![0.0, 2000.0];
    s.costs.cross_zone_per_gb = 0.01;
    s.costs.cross_region_per_gb = 0.02;
    let year_s = 8760.0 * 3600.0;
    // Each write to each standby: one in zone b (cross-zone), one in c
    // (cross-region).
    let per_standby = 100.0 * 4000.0 * year_s / 1e9;
    let rep = replication_gb(&s, 1);
    close(rep.cross_zone, per_standby);
    close(rep.cross_region, per_standby);
    // Calls from web (a, b) to db (a, b, c): of six pairs, two cross
    // zones (a-b, b-a) and two cross regions (a-c, b-c).
    let calls = 1000.0 * 2000.0 * year_s / 1e9;
    let req = request_gb(&s, 1);
    close(req.cross_zone, calls * 2.0 / 6.0);
    close(req.cross_region, calls * 2.0 / 6.0);
    assert_eq!(request_gb(&s, 0), TrafficGb::default());
    let c = cost(&run(&s, 0, SimDuration::from_years(1), SimDuration::ZERO));
    close(
        c.get(CostComponent::Traffic),
        (per_standby + calls / 3.0) * 0.01 + (per_standby + calls / 3.0) * 0.02,
    );
    // A load curve at 1 for half the day and 2 for the other half
    // carries 1.5 times the calls.
    s.load_curve = Some(LoadCurve {
        period: hours(24),
        steps: vec![(SimDuration::ZERO, 1.0), (hours(12), 2.0)],
    });
    close(request_gb(&s, 1).cross_zone, 1.5 * calls / 3.0);
    // Without replication nothing is shipped.
    s.services[1].data.as_mut().unwrap().replication = None;
    assert_eq!(replication_gb(&s, 1), TrafficGb::default());
}

/// `web` alone on host 0, taken down by a maintenance window of 2 h
/// every 730 h from 100 h, and once by a 10 h outage at 2000 h.
fn scheduled() -> SystemSpec {
    let mut s = system();
    s.services[0].hard_dependencies.clear();
    s.services[0].instances.truncate(1);
    let window = |name: &str, first: u64, period: Option<u64>, length: u64| FaultSpec {
        name: name.into(),
        class: FaultClass::Maintenance,
        effect: Effect::Down(vec![Element::Host(0)]),
        occurrence: Occurrence::Scheduled {
            first: SimTime::from_duration(hours(first)),
            period: period.map(hours),
            stagger: SimDuration::ZERO,
        },
        repair: Repair {
            detection: None,
            duration: Dist::deterministic(hours(length)),
            team: None,
        },
        resets: Vec::new(),
    };
    s.faults = vec![
        window("maintenance", 100, Some(730), 2),
        window("outage", 2000, None, 10),
    ];
    s
}

#[test]
fn incidents_repairs_credits_and_downtime_follow_what_happened() {
    let mut s = scheduled();
    s.downtime_cost_per_minute = 3.0;
    s.costs.per_incident = 250.0;
    s.costs.per_repair = vec![40.0, 900.0];
    s.costs.sla_credits = vec![
        SlaTier {
            below: 0.999,
            credit: 1000.0,
        },
        SlaTier {
            below: 0.99,
            credit: 5000.0,
        },
    ];
    let r = run(&s, 0, SimDuration::from_years(1), SimDuration::ZERO);
    let sys = r.system.as_ref().unwrap();
    // Windows at 100, 830, ..., 8130 h: twelve, and one outage.
    assert_eq!(r.measures.incidents(), 13);
    assert_eq!(sys.repairs, vec![12, 1]);
    // Every month has a 2 h window (99.73%: the 99.9% tier); the third
    // (1460 to 2190 h) also the 10 h outage (98.36%: the 99% tier).
    assert_eq!(sys.sla_breached_months, 12);
    assert_eq!(sys.sla_credits, 11.0 * 1000.0 + 5000.0);
    let c = sys.cost;
    assert_eq!(c.get(CostComponent::Incidents), 13.0 * 250.0);
    assert_eq!(c.get(CostComponent::Repairs), 12.0 * 40.0 + 900.0);
    assert_eq!(c.get(CostComponent::SlaCredits), 16_000.0);
    close(c.get(CostComponent::Downtime), 34.0 * 60.0 * 3.0);
    close(c.random(), 3250.0 + 1380.0 + 16_000.0 + 6120.0);
    // Over two years the figures are per year.
    let r = run(&s, 0, SimDuration::from_years(2), SimDuration::ZERO);
    let c = cost(&r);
    assert_eq!(c.get(CostComponent::Incidents), 25.0 * 250.0 / 2.0);
    assert_eq!(
        c.get(CostComponent::SlaCredits),
        (23.0 * 1000.0 + 5000.0) / 2.0
    );
}

#[test]
fn a_warm_up_moves_the_months_and_leaves_out_earlier_events() {
    let mut s = scheduled();
    s.costs.per_repair = vec![40.0, 900.0];
    s.costs.sla_credits = vec![SlaTier {
        below: 0.99,
        credit: 5000.0,
    }];
    // Measured from 1000 h: months 1000-1730, 1730-2460 (the outage and
    // a window: 12 h), ..., and a last partial month of 8760 - 1000 -
    // 10 * 730 = 460 h.
    let r = run(&s, 0, SimDuration::from_years(1), hours(1000));
    let sys = r.system.as_ref().unwrap();
    assert_eq!(sys.repairs, vec![10, 1]);
    assert_eq!(sys.sla_breached_months, 1);
    assert_eq!(sys.sla_credits, 5000.0);
}

#[test]
fn per_incident_costs_are_incidents_times_the_price_in_every_replication() {
    let mut s = system();
    s.services[0].hard_dependencies.clear();
    s.faults = vec![FaultSpec {
        name: "crash".into(),
        class: FaultClass::HostCrash,
        effect: Effect::Down(vec![Element::Host(0), Element::Host(2)]),
        occurrence: Occurrence::Random {
            every: Dist::exponential_mean(hours(500)).unwrap(),
        },
        repair: Repair {
            detection: None,
            duration: Dist::exponential_mean(hours(4)).unwrap(),
            team: None,
        },
        resets: Vec::new(),
    }];
    s.costs.per_incident = 125.0;
    s.costs.per_repair = vec![60.0];
    let mut seen = 0;
    for r in 0..20 {
        let res = run(&s, r, SimDuration::from_years(1), SimDuration::ZERO);
        let c = cost(&res);
        let sys = res.system.as_ref().unwrap();
        assert_eq!(
            c.get(CostComponent::Incidents),
            res.measures.incidents() as f64 * 125.0
        );
        assert_eq!(c.get(CostComponent::Repairs), sys.repairs[0] as f64 * 60.0);
        seen += res.measures.incidents();
    }
    assert!(seen > 0, "no incident in 20 replications");
}

#[test]
fn prices_change_no_event_and_no_draw() {
    let plain = scheduled();
    let mut priced = scheduled();
    priced.costs.per_incident = 1.0;
    priced.costs.sla_credits = vec![SlaTier {
        below: 0.9999,
        credit: 1.0,
    }];
    for r in 0..3 {
        let a = run(&plain, r, SimDuration::from_years(1), SimDuration::ZERO);
        let b = run(&priced, r, SimDuration::from_years(1), SimDuration::ZERO);
        assert_eq!(a.trace_hash, b.trace_hash);
        assert_eq!(a.measures, b.measures);
    }
}
