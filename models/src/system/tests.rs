//! The system model against exact answers (closed forms and small Markov
//! chains solved here), and the properties its measures must keep.

use sim_core::dist::Dist;
use sim_core::stats::{CONFIDENCE_99, Estimate, Welford};
use sim_core::time::{SimDuration, SimTime};

use super::model::SystemModel;
use super::spec::*;
use sim_core::engine::Simulation;

mod renewals;

fn exp_h(mean_h: f64) -> Dist {
    Dist::exponential_mean(SimDuration::from_hours_f64(mean_h)).unwrap()
}

/// `hosts` hosts in one rack, zone and region, one instance of `app` on
/// each, up while `k` are healthy.
fn pool(hosts: usize, k: u32) -> SystemSpec {
    SystemSpec {
        regions: vec!["r".into()],
        zones: vec![ZoneSpec {
            name: "z".into(),
            region: 0,
        }],
        racks: vec![RackSpec {
            name: "rack".into(),
            zone: 0,
        }],
        hosts: (0..hosts)
            .map(|i| HostSpec {
                name: format!("h{i}"),
                rack: 0,
            })
            .collect(),
        links: vec![],
        services: vec![ServiceSpec {
            name: "app".into(),
            instances: (0..hosts)
                .map(|i| InstanceSpec {
                    name: format!("app-{i}"),
                    host: i,
                })
                .collect(),
            up_rule: UpRule::MinHealthy(k),
            hard_dependencies: vec![],
            soft_dependencies: vec![],
            cost_per_instance_hour: 0.1,
            failover: None,
            data: None,
            health_check: None,
            autoscale: None,
            leader: None,
        }],
        entry: EntrySpec {
            service: 0,
            from: Place::Region(0),
        },
        faults: vec![],
        teams: vec![],
        downtime_cost_per_minute: 0.0,
        currency: None,
        load_curve: None,
        costs: Default::default(),
        network: Default::default(),
    }
}

fn fault(name: &str, class: FaultClass, effect: Effect, every: Dist, repair: Dist) -> FaultSpec {
    FaultSpec {
        name: name.into(),
        class,
        effect,
        occurrence: Occurrence::Random { every },
        repair: Repair {
            detection: None,
            duration: repair,
            team: None,
        },
        resets: Vec::new(),
    }
}

fn host_crashes(spec: &SystemSpec, mttf_h: f64, mttr_h: f64) -> FaultSpec {
    fault(
        "crash",
        FaultClass::HostCrash,
        Effect::Down((0..spec.hosts.len()).map(Element::Host).collect()),
        exp_h(mttf_h),
        exp_h(mttr_h),
    )
}

struct Run {
    availability: Estimate,
    attribution_gap_h: f64,
    attributed_h: Vec<f64>,
}

/// Runs `reps` replications of `years` after a warm-up; returns the 99%
/// interval on availability and the largest gap between attributed and
/// total downtime in any replication.
fn run(spec: &SystemSpec, reps: u64, years: u64) -> Run {
    spec.validate().unwrap();
    let warmup = SimTime::from_duration(SimDuration::from_hours(2000));
    let end = SimTime::from_duration(SimDuration::from_years(years));
    let mut w = Welford::new();
    let mut gap: f64 = 0.0;
    let mut attributed_h = vec![0.0; spec.faults.len()];
    for r in 0..reps {
        let mut sim = Simulation::new(SystemModel::new(spec, 2026, r, warmup));
        sim.run_until(end);
        let m = sim.model();
        w.push(m.measures().availability());
        let sm = m.system_measures();
        let total: f64 = sm.attributed_hours.iter().sum();
        gap = gap.max((total - m.measures().downtime_hours()).abs());
        // Components are charged by the same rule: they add up too.
        let by_component: f64 = sm.attributed_component_hours.iter().sum();
        gap = gap.max((by_component - m.measures().downtime_hours()).abs());
        for (a, x) in attributed_h.iter_mut().zip(&sm.attributed_hours) {
            *a += x;
        }
    }
    Run {
        availability: Estimate::from_welford(&w, CONFIDENCE_99).unwrap(),
        attribution_gap_h: gap,
        attributed_h,
    }
}

fn assert_contains(e: &Estimate, exact: f64, what: &str) {
    assert!(
        e.ci_low <= exact && exact <= e.ci_high,
        "{what}: exact {exact} outside [{}, {}] (mean {})",
        e.ci_low,
        e.ci_high,
        e.mean
    );
}

/// The stationary distribution of a small CTMC with generator rows given
/// as `(from, to, rate)` transitions, by Gaussian elimination.
fn stationary(n: usize, transitions: &[(usize, usize, f64)]) -> Vec<f64> {
    // Solve pi Q = 0 with sum(pi) = 1: the transposed system, last equation
    // replaced by normalisation.
    let mut a = vec![vec![0.0; n + 1]; n];
    for &(i, j, rate) in transitions {
        a[j][i] += rate;
        a[i][i] -= rate;
    }
    for x in a[n - 1].iter_mut() {
        *x = 1.0;
    }
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .unwrap();
        a.swap(col, pivot);
        let pivot_row = a[col].clone();
        for (row, r) in a.iter_mut().enumerate() {
            if row != col {
                let f = r[col] / pivot_row[col];
                for (x, p) in r.iter_mut().zip(&pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    (0..n).map(|i| a[i][n] / a[i][i]).collect()
}

#[test]
fn ctmc_solver_matches_a_two_state_chain() {
    let pi = stationary(2, &[(0, 1, 1.0), (1, 0, 99.0)]);
    assert!((pi[0] - 0.99).abs() < 1e-12);
}

#[test]
fn one_host_is_v01() {
    let mut spec = pool(1, 1);
    spec.faults.push(host_crashes(&spec, 1000.0, 10.0));
    let r = run(&spec, 1000, 20);
    assert_contains(
        &r.availability,
        100.0 / 101.0,
        "V01 through the system model",
    );
    assert!(r.attribution_gap_h < 1e-6);
}

#[test]
fn two_hosts_one_needed_is_v04a_and_with_one_crew_v04b() {
    let mut spec = pool(2, 1);
    spec.faults.push(host_crashes(&spec, 1000.0, 10.0));
    let r = run(&spec, 1000, 100);
    assert_contains(&r.availability, 10200.0 / 10201.0, "V04a");
    spec.teams.push(TeamSpec {
        name: "oncall".into(),
        crews: 1,
    });
    spec.faults[0].repair.team = Some(0);
    let r = run(&spec, 1000, 100);
    assert_contains(&r.availability, 5100.0 / 5101.0, "V04b");
}

#[test]
fn two_of_three_hosts_is_v05() {
    let mut spec = pool(3, 2);
    spec.faults.push(host_crashes(&spec, 1000.0, 10.0));
    let r = run(&spec, 1000, 50);
    assert_contains(&r.availability, 1030000.0 / 1030301.0, "V05");
    assert!(r.attribution_gap_h < 1e-6);
}

/// V08: 1-of-2 with a beta-factor common cause (beta = 0.1): independent
/// failures at 0.9 lambda per unit plus shocks at 0.1 lambda failing every
/// working unit, each repaired on its own.
#[test]
fn common_cause_beta_factor_is_v08() {
    let mut spec = pool(2, 1);
    spec.faults.push(host_crashes(&spec, 1000.0 / 0.9, 10.0));
    spec.faults.push(fault(
        "ccf",
        FaultClass::CommonCause,
        Effect::Shock(vec![Element::Host(0), Element::Host(1)]),
        exp_h(10_000.0),
        exp_h(10.0),
    ));
    let r = run(&spec, 1000, 100);
    assert_contains(&r.availability, 203800.0 / 203919.0, "V08");
    assert!(r.attribution_gap_h < 1e-6);
    assert!(
        r.attributed_h[1] > r.attributed_h[0],
        "the common cause dominates"
    );
}

/// A host in a rack, in series: the host cannot crash while its rack is
/// down, so the exact answer is a four-state chain.
#[test]
fn host_and_rack_in_series_match_their_markov_chain() {
    let mut spec = pool(1, 1);
    spec.faults.push(host_crashes(&spec, 1000.0, 10.0));
    spec.faults.push(fault(
        "power",
        FaultClass::RackPower,
        Effect::Down(vec![Element::Rack(0)]),
        exp_h(2000.0),
        exp_h(4.0),
    ));
    // States: 0 both up, 1 host down, 2 rack down, 3 both down.
    let (lh, mh, lr, mr) = (1e-3, 0.1, 5e-4, 0.25);
    let pi = stationary(
        4,
        &[
            (0, 1, lh),
            (0, 2, lr),
            (1, 0, mh),
            (1, 3, lr),
            (2, 0, mr),
            (3, 2, mh),
            (3, 1, mr),
        ],
    );
    let r = run(&spec, 2000, 20);
    assert_contains(&r.availability, pi[0], "host + rack series");
    assert!(r.attribution_gap_h < 1e-6);
}

#[test]
fn a_zone_outage_is_charged_to_the_zone_not_the_hosts() {
    let mut spec = pool(3, 2);
    spec.faults.push(host_crashes(&spec, 1e9, 1.0));
    spec.faults.push(fault(
        "zone",
        FaultClass::ZoneOutage,
        Effect::Down(vec![Element::Zone(0)]),
        exp_h(1000.0),
        exp_h(5.0),
    ));
    let r = run(&spec, 200, 10);
    assert!(r.attributed_h[1] > 0.0);
    assert_eq!(r.attributed_h[0], 0.0);
    assert!(r.attribution_gap_h < 1e-6);
}

#[test]
fn a_bad_rollout_breaks_batch_by_batch_until_caught() {
    let mut spec = pool(6, 4);
    let rollout = |detect_min: u64| FaultSpec {
        name: "deploy".into(),
        class: FaultClass::BadDeploy,
        effect: Effect::Rollout {
            service: 0,
            batch_size: 1,
            batch_interval: SimDuration::from_mins(10),
        },
        occurrence: Occurrence::Random {
            every: exp_h(24.0 * 30.0),
        },
        repair: Repair {
            detection: Some(Dist::deterministic(SimDuration::from_mins(detect_min))),
            duration: Dist::deterministic(SimDuration::from_mins(5)),
            team: None,
        },
        resets: Vec::new(),
    };
    // Caught after 15 min: two batches (2 of 6) broken, 4 still serve.
    spec.faults.push(rollout(15));
    let fast = run(&spec, 50, 5);
    assert_eq!(
        fast.availability.mean, 1.0,
        "a small blast radius never drops below 4"
    );
    // Caught after 45 min: five batches broken; down from the third batch
    // (t = 20 min) until rollback ends (t = 50 min): 30 minutes a deploy.
    spec.faults[0] = rollout(45);
    let slow = run(&spec, 50, 5);
    let per_deploy_h = 0.5;
    let expected = 1.0 - per_deploy_h / (24.0 * 30.0 + 50.0 / 60.0);
    assert_contains(&slow.availability, expected, "bad deploy blast radius");
}

#[test]
fn scheduled_maintenance_is_rolling() {
    let mut spec = pool(3, 2);
    spec.faults.push(FaultSpec {
        name: "patching".into(),
        class: FaultClass::Maintenance,
        effect: Effect::Down((0..3).map(Element::Host).collect()),
        occurrence: Occurrence::Scheduled {
            first: SimTime::from_duration(SimDuration::from_hours(24)),
            period: Some(SimDuration::from_hours(24 * 30)),
            stagger: SimDuration::from_hours(2),
        },
        repair: Repair {
            detection: None,
            duration: Dist::deterministic(SimDuration::from_hours(1)),
            team: None,
        },
        resets: Vec::new(),
    });
    // One host at a time: never two down, so never below 2 of 3.
    let r = run(&spec, 5, 2);
    assert_eq!(r.availability.mean, 1.0);
    // Without the stagger all three go at once: 1 h down every 30 days.
    if let Occurrence::Scheduled { stagger, .. } = &mut spec.faults[0].occurrence {
        *stagger = SimDuration::ZERO;
    }
    let r = run(&spec, 5, 2);
    assert!(r.availability.mean < 1.0);
}

#[test]
fn replications_are_deterministic() {
    let mut spec = pool(3, 2);
    spec.faults.push(host_crashes(&spec, 500.0, 10.0));
    let end = SimTime::from_duration(SimDuration::from_years(3));
    let go = || {
        let mut sim = Simulation::new(SystemModel::new(&spec, 5, 7, SimTime::ZERO));
        let out = sim.run_until(end);
        (out, sim.model().system_measures())
    };
    assert_eq!(go(), go());
}

/// V07: active and hot standby, each host with its own repair; losing the
/// active one costs a failover, automatic with probability 0.9 in
/// Exp(0.05 h), else a manual recovery in Exp(1 h).
fn active_standby(failover: Dist) -> SystemSpec {
    let mut spec = pool(2, 1);
    spec.services[0].failover = Some(FailoverSpec {
        duration: failover,
        coverage: 0.9,
        manual: exp_h(1.0),
        standby_cost_per_hour: None,
        fencing: true,
        failback: None,
        heartbeat: None,
        majority: None,
    });
    spec.faults.push(host_crashes(&spec, 1000.0, 10.0));
    spec
}

#[test]
fn active_standby_with_imperfect_coverage_is_v07() {
    let r = run(&active_standby(exp_h(0.05)), 800, 100);
    assert_contains(
        &r.availability,
        59510840265305800.0 / 59525131056677329.0,
        "V07, exponential failover",
    );
    assert!(r.attribution_gap_h < 1e-6, "gap {}", r.attribution_gap_h);
}

#[test]
fn deterministic_failover_time_is_v07_variant() {
    let spec = active_standby(Dist::deterministic(SimDuration::from_hours_f64(0.05)));
    let r = run(&spec, 800, 100);
    assert_contains(&r.availability, 0.9997599189, "V07, deterministic failover");
}

#[test]
fn a_standby_failure_causes_no_outage() {
    // Only the standby's host ever fails.
    let mut spec = pool(2, 1);
    spec.services[0].failover = Some(FailoverSpec {
        duration: exp_h(0.05),
        coverage: 1.0,
        manual: exp_h(1.0),
        standby_cost_per_hour: None,
        fencing: true,
        failback: None,
        heartbeat: None,
        majority: None,
    });
    spec.faults.push(fault(
        "standby crash",
        FaultClass::HostCrash,
        Effect::Down(vec![Element::Host(1)]),
        exp_h(100.0),
        exp_h(10.0),
    ));
    let r = run(&spec, 20, 5);
    assert_eq!(r.availability.mean, 1.0);
}

#[test]
fn deleted_data_is_restored_from_the_last_backup() {
    let lost = |backup: Option<SimDuration>| {
        let mut spec = pool(1, 1);
        spec.services[0].data = Some(DataSpec {
            writes_per_second: 1.0,
            replication: None,
            backup_interval: backup,
            write_time: SimDuration::ZERO,
        });
        spec.faults.push(FaultSpec {
            name: "oops".into(),
            class: FaultClass::DataDeletion,
            effect: Effect::Down(vec![Element::Service(0)]),
            occurrence: Occurrence::Scheduled {
                first: SimTime::from_duration(SimDuration::from_hours(30)),
                period: None,
                stagger: SimDuration::ZERO,
            },
            repair: Repair {
                detection: None,
                duration: Dist::deterministic(SimDuration::from_hours(2)),
                team: None,
            },
            resets: Vec::new(),
        });
        let end = SimTime::from_duration(SimDuration::from_hours(100));
        let mut sim = Simulation::new(SystemModel::new(&spec, 1, 0, SimTime::ZERO));
        sim.run_until(end);
        let m = sim.model().system_measures();
        assert_eq!(m.loss_events, 1);
        (
            m.lost_writes as f64,
            m.worst_rpo_hours,
            sim.model().measures().downtime_hours(),
        )
    };
    // Daily backups: the 6 hours since the last one are lost (21,600
    // writes, Poisson: sd 147), and the restore takes 2 hours.
    let (n, rpo, down) = lost(Some(SimDuration::from_hours(24)));
    assert!((n - 21_600.0).abs() < 5.0 * 147.0, "{n}");
    assert_eq!((rpo, down), (6.0, 2.0));
    // Without backups everything written since the start is gone.
    let (n, rpo, _) = lost(None);
    assert!((n - 108_000.0).abs() < 5.0 * 329.0, "{n}");
    assert_eq!(rpo, 30.0);
}

#[test]
fn synchronous_replication_loses_nothing_on_failover() {
    let mut spec = active_standby(exp_h(0.05));
    spec.services[0].data = Some(DataSpec {
        writes_per_second: 100.0,
        replication: Some(Replication::Sync),
        backup_interval: None,
        write_time: SimDuration::ZERO,
    });
    let end = SimTime::from_duration(SimDuration::from_years(20));
    let mut sim = Simulation::new(SystemModel::new(&spec, 1, 0, SimTime::ZERO));
    sim.run_until(end);
    let m = sim.model().system_measures();
    assert!(m.failovers > 50, "{}", m.failovers);
    assert_eq!((m.lost_writes, m.loss_events), (0, 0));
}

/// Behind health checks, a dead instance keeps its share of traffic until
/// `unhealthy_threshold` checks fail: on average (threshold - 1/2)
/// intervals. With four instances, each failure loses a quarter of the
/// traffic for that long.
#[test]
fn health_check_lag_is_an_error_window() {
    let run_with = |interval_s: u64| {
        let mut spec = pool(4, 2);
        spec.services[0].health_check = Some(HealthCheckSpec::new(
            SimDuration::from_secs(interval_s),
            3,
            2,
        ));
        spec.faults.push(host_crashes(&spec, 100.0, 1.0));
        let end = SimTime::from_duration(SimDuration::from_years(2));
        let mut served = Welford::new();
        let mut time = Welford::new();
        for r in 0..40 {
            let mut sim = Simulation::new(SystemModel::new(&spec, 3, r, SimTime::ZERO));
            sim.run_until(end);
            let m = sim.model();
            served.push(m.system_measures().served_hours / m.measures().observed_hours());
            time.push(m.measures().availability());
        }
        (served.mean(), time.mean())
    };
    let (served_fast, time_fast) = run_with(5);
    let (served_slow, time_slow) = run_with(60);
    // Time-based availability does not see the lag (3 of 4 still serve).
    assert!(time_fast > 0.9999 && time_slow > 0.9999);
    // Requests do: lambda * 2.5 * interval per host, a quarter of traffic
    // each, four hosts: 0.01 / h * 2.5 * 60 s = 4.17e-4.
    let lost_slow = 1.0 - served_slow;
    let expected = 0.01 * 2.5 * 60.0 / 3600.0;
    assert!(
        (lost_slow - expected).abs() < 0.2 * expected,
        "{lost_slow} vs {expected}"
    );
    assert!(
        1.0 - served_fast < 0.2 * lost_slow,
        "checking often shrinks the window"
    );
}

/// A primary in zone a, a standby in zone b, and partitions between the
/// zones that outlast the failover time. Without fencing, the standby
/// promotes itself while the primary keeps serving: split brain, and the
/// old primary's writes are lost when the partition heals. With fencing,
/// the old primary is stopped at the promotion: never two primaries.
fn partitioned_pair(fencing: bool) -> SystemSpec {
    let mut spec = pool(2, 1);
    spec.zones.push(ZoneSpec {
        name: "z2".into(),
        region: 0,
    });
    spec.racks.push(RackSpec {
        name: "rack2".into(),
        zone: 1,
    });
    spec.hosts[1].rack = 1;
    spec.services[0].failover = Some(FailoverSpec {
        duration: Dist::deterministic(SimDuration::from_secs(30)),
        coverage: 1.0,
        manual: Dist::deterministic(SimDuration::from_secs(30)),
        standby_cost_per_hour: None,
        fencing,
        failback: None,
        heartbeat: None,
        majority: None,
    });
    spec.services[0].data = Some(DataSpec {
        writes_per_second: 10.0,
        replication: Some(Replication::Sync),
        backup_interval: None,
        write_time: SimDuration::ZERO,
    });
    spec.faults.push(fault(
        "split",
        FaultClass::Partition,
        Effect::Partition {
            a: vec![0],
            b: vec![1],
        },
        exp_h(24.0 * 30.0),
        Dist::deterministic(SimDuration::from_hours(1)),
    ));
    spec
}

#[test]
fn partitions_without_fencing_make_split_brains() {
    let end = SimTime::from_duration(SimDuration::from_years(2));
    let run = |fencing: bool| {
        let spec = partitioned_pair(fencing);
        let mut sim = Simulation::new(SystemModel::new(&spec, 4, 0, SimTime::ZERO));
        sim.run_until(end);
        sim.model().system_measures()
    };
    let open = run(false);
    assert!(open.split_brains > 10, "{}", open.split_brains);
    // Each partition lasts 1 h; the standby promotes after 30 s.
    let per = open.split_brain_hours / open.split_brains as f64;
    assert!((per - (1.0 - 30.0 / 3600.0)).abs() < 0.02, "{per}");
    // Half the writes for each split brain go to the losing side.
    let expected = open.split_brain_hours * 3600.0 * 10.0 * 0.5;
    assert!((open.lost_writes as f64 - expected).abs() < 0.05 * expected);
    let fenced = run(true);
    assert_eq!(fenced.split_brains, 0);
    assert_eq!(fenced.split_brain_hours, 0.0);
    assert!(
        fenced.failovers > 10,
        "fencing still fails over: {}",
        fenced.failovers
    );
    assert_eq!(
        fenced.lost_writes, 0,
        "synchronous replication, fenced: nothing lost"
    );
}

/// A quorum store of five replicas: writes need three, reads one. Reads
/// outlive writes; the service is up while both can succeed.
#[test]
fn quorum_reads_and_writes_are_measured_apart() {
    let mut spec = pool(5, 1);
    spec.services[0].up_rule = UpRule::Quorum { write: 3, read: 1 };
    spec.faults.push(host_crashes(&spec, 100.0, 50.0));
    let end = SimTime::from_duration(SimDuration::from_years(2));
    let mut sim = Simulation::new(SystemModel::new(&spec, 6, 0, SimTime::ZERO));
    sim.run_until(end);
    let m = sim.model().system_measures();
    let (reads, writes) = m.quorum[0].as_ref().unwrap();
    // Each replica is up 2/3 of the time: P(>= 3 of 5) = 0.790, P(>= 1 of
    // 5) = 0.996. One long replication: within a few percent.
    assert!(
        (writes.availability() - 0.790).abs() < 0.05,
        "{}",
        writes.availability()
    );
    assert!(
        (reads.availability() - 0.996).abs() < 0.01,
        "{}",
        reads.availability()
    );
    assert!((sim.model().measures().availability() - writes.availability()).abs() < 1e-12);
}

/// Four instances of 100 rps each, offered 250 rps: three must be up. A
/// daily curve halves the load for half of each day (two suffice then).
fn capacity_pool() -> SystemSpec {
    let mut spec = pool(4, 1);
    spec.services[0].up_rule = UpRule::Capacity {
        per_instance_rps: 100.0,
        load_rps: 250.0,
    };
    spec
}

#[test]
fn a_daily_load_curve_weights_the_capacity_needed_by_time() {
    let mut spec = capacity_pool();
    spec.load_curve = Some(LoadCurve {
        period: SimDuration::from_hours(24),
        steps: vec![(SimDuration::ZERO, 0.5), (SimDuration::from_hours(12), 1.0)],
    });
    spec.faults.push(host_crashes(&spec, 100.0, 20.0));
    let r = run(&spec, 300, 5);
    // Each host is up 5/6 of the time. Half the day the pool needs 2 of 4
    // (down with probability 21/1296), half the day 3 of 4 (171/1296).
    let exact = 1.0 - 0.5 * (21.0 + 171.0) / 1296.0;
    assert_contains(&r.availability, exact, "daily curve");
    // Without the curve the pool needs 3 of 4 all day: clearly worse.
    let mut flat = capacity_pool();
    flat.faults.push(host_crashes(&flat, 100.0, 20.0));
    let f = run(&flat, 300, 5);
    assert_contains(&f.availability, 1.0 - 171.0 / 1296.0, "flat load");
    assert!(f.availability.ci_high < r.availability.ci_low);
}

#[test]
fn load_curve_steps_follow_the_period() {
    let curve = LoadCurve {
        period: SimDuration::from_hours(24),
        steps: vec![
            (SimDuration::ZERO, 0.4),
            (SimDuration::from_hours(8), 1.0),
            (SimDuration::from_hours(18), 0.7),
        ],
    };
    let at = |h: u64| curve.step_at(SimTime::from_duration(SimDuration::from_hours(h)));
    let t = |h: u64| SimTime::from_duration(SimDuration::from_hours(h));
    assert_eq!(at(0), (0, t(8)));
    assert_eq!(at(7), (0, t(8)));
    assert_eq!(at(8), (1, t(18)));
    assert_eq!(at(20), (2, t(24)));
    assert_eq!(at(24 + 9), (1, t(24 + 18)));
    assert_eq!(curve.peak(), 1.0);
    assert_eq!(curve.validate(), Ok(()));
    let mut bad = curve.clone();
    bad.steps[0].0 = SimDuration::from_hours(1);
    assert!(bad.validate().is_err());
    bad.steps[0].0 = SimDuration::from_hours(30);
    assert!(bad.validate().is_err());
}

#[test]
fn a_traffic_spike_beyond_capacity_is_downtime_charged_to_it() {
    let mut spec = capacity_pool();
    spec.faults.push(FaultSpec {
        name: "launch".into(),
        class: FaultClass::TrafficSpike,
        effect: Effect::Surge { factor: 2.0 },
        occurrence: Occurrence::Random {
            every: exp_h(240.0),
        },
        repair: Repair {
            detection: None,
            duration: Dist::deterministic(SimDuration::from_hours(1)),
            team: None,
        },
        resets: Vec::new(),
    });
    spec.validate().unwrap();
    let r = run(&spec, 200, 5);
    // 500 rps offered to 400 rps of capacity, 1 h in every 241 h.
    assert_contains(&r.availability, 1.0 - 1.0 / 241.0, "spike");
    assert!(r.attribution_gap_h < 1e-6);
    // A smaller spike (1.5 x: 375 rps) fits: no downtime at all.
    let Effect::Surge { factor } = &mut spec.faults[0].effect else {
        unreachable!()
    };
    *factor = 1.5;
    assert_eq!(run(&spec, 20, 5).availability.mean, 1.0);
    // A spike on top of one lost host (300 rps left) is an outage, charged
    // half to each. One host down (probability 0.386) during a spike (1 h
    // in 241) is 0.16% of the time; two hosts down, 13.2%, whatever the
    // load: the spike's share of the downtime is about 0.6%.
    spec.faults.push(host_crashes(&spec, 100.0, 20.0));
    let r = run(&spec, 200, 5);
    let total: f64 = r.attributed_h.iter().sum();
    let share = r.attributed_h[0] / total;
    assert!((0.004..0.009).contains(&share), "{:?}", r.attributed_h);
}

/// An active-passive pair whose hosts each turn gray now and then (30% of
/// messages lost or late for an hour, about every 100 h), with heartbeats
/// every 10 s and a 60 s timeout: six lost in a row make a suspicion.
fn gray_pair(fencing: bool, heartbeat: bool) -> SystemSpec {
    let mut spec = pool(2, 1);
    spec.services[0].failover = Some(FailoverSpec {
        duration: Dist::deterministic(SimDuration::from_secs(30)),
        coverage: 1.0,
        manual: Dist::deterministic(SimDuration::from_secs(30)),
        standby_cost_per_hour: None,
        fencing,
        failback: None,
        heartbeat: heartbeat.then_some(HeartbeatSpec {
            interval: SimDuration::from_secs(10),
            timeout: SimDuration::from_secs(60),
        }),
        majority: None,
    });
    spec.services[0].data = Some(DataSpec {
        writes_per_second: 10.0,
        replication: Some(Replication::Sync),
        backup_interval: None,
        write_time: SimDuration::ZERO,
    });
    spec.faults.push(fault(
        "gray",
        FaultClass::GrayFailure,
        Effect::Degrade {
            targets: vec![Element::Host(0), Element::Host(1)],
            error_fraction: 0.3,
        },
        exp_h(100.0),
        Dist::deterministic(SimDuration::from_hours(1)),
    ));
    spec
}

#[test]
fn heartbeat_waits_for_a_run_of_losses() {
    let hb = HeartbeatSpec {
        interval: SimDuration::from_secs(10),
        timeout: SimDuration::from_secs(60),
    };
    assert_eq!(hb.missed(), 6);
    // Mean heartbeats to a run of m losses: (1 - p^m) / ((1 - p) p^m).
    assert!((hb.mean_time_to_suspicion(0.5) / 10e6 - 126.0).abs() < 1e-9);
    assert_eq!(hb.mean_time_to_suspicion(0.0), f64::INFINITY);
    assert!((hb.mean_time_to_suspicion(1.0) - 60e6).abs() < 1e-6);
}

#[test]
fn lossy_heartbeats_make_needless_failovers() {
    let run = |spec: &SystemSpec| {
        let end = SimTime::from_duration(SimDuration::from_years(20));
        let mut total = (0u64, 0u64, 0.0f64, 0.0f64);
        for r in 0..10 {
            let mut sim = Simulation::new(SystemModel::new(spec, 8, r, SimTime::ZERO));
            sim.run_until(end);
            let m = sim.model().system_measures();
            total.0 += m.needless_failovers;
            total.1 += m.split_brains;
            total.2 += sim.model().measures().downtime_hours();
            total.3 += m.split_brain_hours;
        }
        total
    };
    let years = 200.0;
    // The active host's gray episodes come every 101 h; in one, six lost
    // heartbeats in a row come after 1958 beats (5.44 h) on average, so an
    // episode raises a suspicion with probability 1 - exp(-1 h / 5.44 h).
    let beats = (1.0 - 0.3f64.powi(6)) / (0.7 * 0.3f64.powi(6));
    let per_year = 8760.0 / 101.0 * (1.0 - (-3600.0 / (beats * 10.0)).exp());
    let (needless, splits, down_h, _) = run(&gray_pair(true, true));
    let rate = needless as f64 / years;
    assert!(
        (rate - per_year).abs() < 0.06 * per_year,
        "{rate} needless failovers a year, expected {per_year}"
    );
    assert_eq!(splits, 0, "fencing: never two primaries");
    // Each needless failover stops service for its 30 s.
    assert!(
        (down_h * 3600.0 / needless as f64 - 30.0).abs() < 0.5,
        "{down_h}"
    );
    // Without fencing the old primary keeps serving: a split brain until a
    // heartbeat gets through (1 / 0.7 heartbeats, 14.3 s, on average), and
    // no downtime.
    let (needless, splits, down_h, split_h) = run(&gray_pair(false, true));
    assert_eq!(splits, needless);
    assert_eq!(down_h, 0.0);
    let mean_split_s = split_h * 3600.0 / splits as f64;
    assert!((mean_split_s - 100.0 / 7.0).abs() < 1.5, "{mean_split_s}");
    // Without heartbeats, gray hosts never cause a failover.
    let (needless, splits, down_h, _) = run(&gray_pair(true, false));
    assert_eq!((needless, splits, down_h), (0, 0, 0.0));
}

#[test]
fn failback_returns_to_the_first_instance_at_a_small_cost() {
    let run = |failback: Option<Dist>| {
        let mut spec = active_standby(exp_h(0.05));
        if let Some(f) = spec.services[0].failover.as_mut() {
            f.failback = failback;
        }
        let end = SimTime::from_duration(SimDuration::from_years(50));
        let (mut failbacks, mut down_h) = (0u64, 0.0);
        for r in 0..20 {
            let mut sim = Simulation::new(SystemModel::new(&spec, 12, r, SimTime::ZERO));
            sim.run_until(end);
            failbacks += sim.model().system_measures().failbacks;
            down_h += sim.model().measures().downtime_hours();
        }
        (failbacks as f64 / 1000.0, down_h * 60.0 / 1000.0)
    };
    let (none, base_min) = run(None);
    assert_eq!(none, 0.0);
    let (per_year, with_min) = run(Some(Dist::deterministic(SimDuration::from_mins(1))));
    // The first host fails 8.76 times a year; nearly every failover to the
    // standby is followed by a failback once it is repaired.
    assert!(
        (7.8..=8.8).contains(&per_year),
        "{per_year} failbacks a year"
    );
    // Each failback costs its minute; the rest of the downtime is alike.
    let extra = with_min - base_min;
    assert!(
        (extra - per_year).abs() < 0.25 * per_year,
        "{extra} extra minutes a year for {per_year} one-minute failbacks"
    );
}

mod detection;
mod elections;
mod promotion;
mod replication;
mod scaling;
