//! The checker on systems built here with scheduled faults of known
//! times and lengths (each violation's instant is known exactly), and
//! against the model's own measures on random runs.

use sim_core::dist::Dist;
use sim_core::time::{SimDuration, SimTime};

use super::*;
use crate::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};
use crate::replicate::{Horizon, simulate};
use crate::spec::ModelSpec;
use crate::system::spec::*;

fn h(hours: u64) -> SimDuration {
    SimDuration::from_hours(hours)
}

fn m(mins: u64) -> SimDuration {
    SimDuration::from_mins(mins)
}

fn at(d: SimDuration) -> SimTime {
    SimTime::from_duration(d)
}

fn det(d: SimDuration) -> Dist {
    Dist::deterministic(d)
}

fn exp(mean: SimDuration) -> Dist {
    Dist::exponential_mean(mean).unwrap()
}

fn lognormal(mean: SimDuration, sd: SimDuration) -> Dist {
    Dist::lognormal_mean_sd(mean, sd).unwrap()
}

/// One region; `zones` zones with one rack and `hosts_per_zone` hosts
/// each (host `z * hosts_per_zone + i`); one service `name` with an
/// instance on every host, up while `k` are healthy; the entry from the
/// region.
fn system(name: &str, zones: usize, hosts_per_zone: usize, k: u32) -> SystemSpec {
    let hosts = zones * hosts_per_zone;
    SystemSpec {
        regions: vec!["r".into()],
        zones: (0..zones)
            .map(|z| ZoneSpec {
                name: format!("z{z}"),
                region: 0,
            })
            .collect(),
        racks: (0..zones)
            .map(|z| RackSpec {
                name: format!("rack{z}"),
                zone: z,
            })
            .collect(),
        hosts: (0..hosts)
            .map(|i| HostSpec {
                name: format!("h{i}"),
                rack: i / hosts_per_zone,
            })
            .collect(),
        links: vec![],
        services: vec![ServiceSpec {
            name: name.into(),
            instances: (0..hosts)
                .map(|i| InstanceSpec {
                    name: format!("{name}-{i}"),
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

/// A fault that happens once, at `first`, and lasts `length`.
fn once(
    name: &str,
    class: FaultClass,
    effect: Effect,
    first: SimDuration,
    length: SimDuration,
) -> FaultSpec {
    FaultSpec {
        name: name.into(),
        class,
        effect,
        occurrence: Occurrence::Scheduled {
            first: at(first),
            period: None,
            stagger: SimDuration::ZERO,
        },
        repair: Repair {
            detection: None,
            duration: det(length),
            team: None,
        },
        resets: Vec::new(),
    }
}

fn crash(name: &str, host: usize, first: SimDuration, length: SimDuration) -> FaultSpec {
    once(
        name,
        FaultClass::HostCrash,
        Effect::Down(vec![Element::Host(host)]),
        first,
        length,
    )
}

fn partition(first: SimDuration, length: SimDuration) -> FaultSpec {
    once(
        "split",
        FaultClass::Partition,
        Effect::Partition {
            a: vec![0],
            b: vec![1],
        },
        first,
        length,
    )
}

fn failover(fencing: bool) -> FailoverSpec {
    FailoverSpec {
        duration: det(SimDuration::from_secs(30)),
        coverage: 1.0,
        manual: det(SimDuration::from_secs(30)),
        standby_cost_per_hour: None,
        fencing,
        failback: None,
        heartbeat: None,
        majority: None,
    }
}

/// `db`: a primary in zone z0 and a standby in z1, failing over in 30 s,
/// taking `writes` per second replicated as given, and a partition
/// between the zones from 10 h to 11 h: the standby promotes itself at
/// 10 h 0 m 30 s.
fn pair(fencing: bool, writes: f64, replication: Replication) -> SystemSpec {
    let mut spec = system("db", 2, 1, 1);
    spec.services[0].failover = Some(failover(fencing));
    spec.services[0].data = Some(DataSpec {
        writes_per_second: writes,
        replication: Some(replication),
        backup_interval: None,
        write_time: SimDuration::ZERO,
    });
    spec.faults.push(partition(h(10), h(1)));
    spec.validate().unwrap();
    spec
}

fn sys(spec: SystemSpec) -> ModelSpec {
    ModelSpec::System(Box::new(spec))
}

fn hours(length: u64, warmup: SimDuration) -> Horizon {
    Horizon::new(h(length), warmup)
}

const SPLIT_AT: SimDuration = SimDuration::from_micros((10 * 3600 + 30) * 1_000_000);

fn threshold(limit: Limit) -> InvariantSpec {
    InvariantSpec::Threshold {
        name: "limit".into(),
        limit,
    }
}

/// Checks `inv` alone, to the horizon and stopping, and returns the
/// violation's time and detail; both modes must agree.
fn first(spec: &ModelSpec, inv: InvariantSpec, horizon: Horizon) -> Option<(SimTime, String)> {
    let invs = [inv];
    let whole = check(spec, &invs, 1, 0, horizon, false);
    let stopped = check(spec, &invs, 1, 0, horizon, true);
    assert_eq!(whole.violation, stopped.violation, "both modes agree");
    whole.violation.map(|v| (v.time, v.detail))
}

fn first_time(spec: &ModelSpec, inv: InvariantSpec, horizon: Horizon) -> Option<SimTime> {
    first(spec, inv, horizon).map(|(t, _)| t)
}

// ------------------------------------------------------------ split brain

#[test]
fn a_split_brain_fires_at_its_start_and_never_with_fencing() {
    let horizon = hours(100, SimDuration::ZERO);
    let open = sys(pair(false, 10.0, Replication::Sync));
    let (time, detail) = first(&open, InvariantSpec::NoSplitBrain, horizon).unwrap();
    assert_eq!(time, at(SPLIT_AT));
    assert_eq!(
        detail,
        "db has two writable primaries (split brain): db-0 and db-1"
    );
    let fenced = sys(pair(true, 10.0, Replication::Sync));
    assert_eq!(first(&fenced, InvariantSpec::NoSplitBrain, horizon), None);
    // The fenced run still fails over: the checker is not blind.
    let plain = simulate(&fenced, 1, 0, horizon, None);
    assert_eq!(plain.system.unwrap().failovers, 1);
}

#[test]
fn a_whole_run_is_the_same_run_as_simulate() {
    let horizon = hours(100, SimDuration::ZERO);
    for fencing in [false, true] {
        let spec = sys(pair(fencing, 10.0, Replication::Sync));
        let invs = builtins(&spec, Some((0.999, h(24))));
        let out = check(&spec, &invs, 1, 0, horizon, false);
        let plain = simulate(&spec, 1, 0, horizon, None);
        assert_eq!(
            (out.events, out.trace_hash),
            (plain.events, plain.trace_hash)
        );
        // And twice the same.
        assert_eq!(out, check(&spec, &invs, 1, 0, horizon, false));
    }
}

#[test]
fn stopping_at_the_violation_runs_less_and_finds_the_same() {
    let horizon = hours(100, SimDuration::ZERO);
    let spec = sys(pair(false, 10.0, Replication::Sync));
    let invs = [InvariantSpec::NoSplitBrain];
    let whole = check(&spec, &invs, 1, 0, horizon, false);
    let stopped = check(&spec, &invs, 1, 0, horizon, true);
    assert_eq!(whole.violation, stopped.violation);
    assert!(stopped.events < whole.events);
    // The stopped run is a prefix of the whole one.
    let mut sim = sim_core::engine::Simulation::new(crate::system::model::SystemModel::new(
        match &spec {
            ModelSpec::System(s) => s,
            _ => unreachable!(),
        },
        1,
        0,
        SimTime::ZERO,
    ));
    let prefix = sim.run_until(at(SPLIT_AT) + SimDuration::from_micros(1));
    assert_eq!(
        (stopped.events, stopped.trace_hash),
        (prefix.events, prefix.trace_hash)
    );
}

#[test]
fn split_brain_max_fires_once_a_split_outlasts_it() {
    let horizon = hours(100, SimDuration::ZERO);
    let spec = sys(pair(false, 10.0, Replication::Sync));
    // The split lasts from 10h0m30s to 11h: 59m30s.
    let t = first_time(&spec, threshold(Limit::SplitBrainMax(m(30))), horizon);
    assert_eq!(t, Some(at(SPLIT_AT + m(30))));
    let long = threshold(Limit::SplitBrainMax(m(59) + SimDuration::from_secs(30)));
    assert_eq!(first_time(&spec, long, horizon), None, "exactly the limit");
    let t = first_time(&spec, threshold(Limit::FailoversMax(0)), horizon);
    assert_eq!(t, Some(at(SPLIT_AT)), "the promotion is a failover");
}

// ------------------------------------------------------------ lost writes

#[test]
fn lost_writes_beyond_the_guarantee() {
    let horizon = hours(100, SimDuration::ZERO);
    let lag = Replication::Async {
        lag: exp(SimDuration::from_secs(1)),
    };
    // Synchronous replication, no fencing: the old primary's side loses
    // its writes when the partition heals at 11 h.
    let spec = sys(pair(false, 10.0, Replication::Sync));
    let (time, detail) = first(&spec, InvariantSpec::NoLostWritesBeyondGuarantee, horizon).unwrap();
    assert_eq!(time, at(h(11)));
    assert!(
        detail.starts_with("db lost ")
            && detail.contains("when a split brain of 59m30s healed")
            && detail.ends_with("synchronous replication may lose none"),
        "{detail}"
    );
    // The same with asynchronous replication: beyond its guarantee too.
    let spec = sys(pair(false, 10.0, lag.clone()));
    let t = first_time(&spec, InvariantSpec::NoLostWritesBeyondGuarantee, horizon);
    assert_eq!(t, Some(at(h(11))));
    // Asynchronous replication losing the writes in flight at a failover
    // (the primary's host crashes; fenced, no partition): within it.
    let mut spec = pair(true, 100.0, lag);
    spec.faults = vec![crash("crash", 0, h(10), h(2))];
    let spec = sys(spec);
    let plain = simulate(&spec, 1, 0, horizon, None).system.unwrap();
    assert_eq!(plain.failovers, 1);
    assert!(plain.lost_writes > 0, "the failover lost writes");
    let inv = InvariantSpec::NoLostWritesBeyondGuarantee;
    assert_eq!(first_time(&spec, inv, horizon), None);
    // But a limit on the count sees them.
    let n = plain.lost_writes;
    let t = first_time(&spec, threshold(Limit::LostWritesMax(n - 1)), horizon);
    assert_eq!(t, Some(at(h(10) + SimDuration::from_secs(30))));
    assert_eq!(
        first_time(&spec, threshold(Limit::LostWritesMax(n)), horizon),
        None
    );
}

#[test]
fn deleted_data_beyond_the_backups() {
    let horizon = hours(100, SimDuration::ZERO);
    let deletion = |backup: Option<SimDuration>| {
        let mut spec = system("db", 1, 1, 1);
        spec.services[0].data = Some(DataSpec {
            writes_per_second: 1.0,
            replication: None,
            backup_interval: backup,
            write_time: SimDuration::ZERO,
        });
        spec.faults.push(once(
            "oops",
            FaultClass::DataDeletion,
            Effect::Down(vec![Element::Service(0)]),
            h(30),
            h(2),
        ));
        sys(spec)
    };
    let inv = InvariantSpec::NoLostWritesBeyondGuarantee;
    // Daily backups: the 6 hours since the last one are within them.
    assert_eq!(
        first_time(&deletion(Some(h(24))), inv.clone(), horizon),
        None
    );
    let (t, detail) = first(&deletion(None), inv, horizon).unwrap();
    assert_eq!(t, at(h(30)));
    assert!(detail.ends_with("with no backup to restore"), "{detail}");
}

// ---------------------------------------------------------------- outages

#[test]
fn an_outage_longer_than_the_limit_fires_when_it_reaches_it() {
    let horizon = hours(100, SimDuration::ZERO);
    let mut spec = system("web", 1, 1, 1);
    spec.faults.push(crash("crash", 0, h(10), h(2)));
    let spec = sys(spec);
    let (t, detail) = first(&spec, threshold(Limit::OutageMax(h(1))), horizon).unwrap();
    assert_eq!(t, at(h(11)));
    assert_eq!(
        detail,
        "web has been down for longer than 1h (down since t+10h)"
    );
    assert_eq!(
        first_time(&spec, threshold(Limit::OutageMax(h(3))), horizon),
        None
    );
    let exactly = threshold(Limit::OutageMax(h(2)));
    assert_eq!(first_time(&spec, exactly, horizon), None, "not longer");
    // An outage cut by the horizon counts up to it.
    let t = first_time(
        &spec,
        threshold(Limit::OutageMax(m(90))),
        hours(12, SimDuration::ZERO),
    );
    assert_eq!(t, Some(at(h(11) + m(30))));
    let t = first_time(
        &spec,
        threshold(Limit::OutageMax(h(2))),
        hours(12, SimDuration::ZERO),
    );
    assert_eq!(t, None);
}

#[test]
fn windowed_downtime_fires_when_it_crosses_the_budget() {
    let horizon = hours(100, SimDuration::ZERO);
    let slo = InvariantSpec::Slo {
        target: 0.9,
        window: h(10),
    };
    // Budget: 1 h in any 10 h. Two outages of 40 m two hours apart: the
    // window ending at 12h20m holds 40 + 20 minutes.
    let outages = |faults: &[(SimDuration, SimDuration)]| {
        let mut spec = system("web", 1, 1, 1);
        for (i, &(first, length)) in faults.iter().enumerate() {
            spec.faults.push(crash(&format!("c{i}"), 0, first, length));
        }
        sys(spec)
    };
    let spec = outages(&[(h(10), m(40)), (h(12), m(40))]);
    let (t, detail) = first(&spec, slo.clone(), horizon).unwrap();
    assert_eq!(t, at(h(12) + m(20)));
    assert_eq!(
        detail,
        "web has been down more than the SLO's budget of 1h (90% availability) \
         within the 10h ending then"
    );
    // Outages 9h50m apart: the first slides out of the window while the
    // second goes on, so the windowed downtime stays at 50 m for ten
    // minutes, then rises again and passes 1 h at 20h50m.
    let late = h(19) + m(50);
    let spec = outages(&[(h(10), m(40)), (late, m(70))]);
    assert_eq!(
        first_time(&spec, slo.clone(), horizon),
        Some(at(h(20) + m(50)))
    );
    let max = threshold(Limit::DowntimeMax {
        max: h(1),
        window: h(10),
    });
    assert_eq!(first_time(&spec, max, horizon), Some(at(h(20) + m(50))));
    // Ending exactly there reaches the budget without exceeding it.
    let spec = outages(&[(h(10), m(40)), (late, m(60))]);
    assert_eq!(first_time(&spec, slo.clone(), horizon), None);
    // One long outage crosses an hour in.
    let spec = outages(&[(h(30), m(61))]);
    assert_eq!(first_time(&spec, slo, horizon), Some(at(h(31))));
}

// --------------------------------------------------------------- warm-up

#[test]
fn nothing_counts_before_the_warm_up() {
    let spec = sys(pair(false, 10.0, Replication::Sync));
    // The split brain (10h0m30s to 11h) is over by the end of a 20 h
    // warm-up; the writes it lost are not counted either.
    let late = hours(100, h(20));
    assert_eq!(first_time(&spec, InvariantSpec::NoSplitBrain, late), None);
    let inv = InvariantSpec::NoLostWritesBeyondGuarantee;
    assert_eq!(first_time(&spec, inv.clone(), late), None);
    // A split brain still going on when the warm-up ends breaks the
    // invariant then.
    let mid = hours(100, h(10) + m(10));
    let t = first_time(&spec, InvariantSpec::NoSplitBrain, mid);
    assert_eq!(t, Some(at(h(10) + m(10))));
    let t = first_time(&spec, threshold(Limit::SplitBrainMax(m(30))), mid);
    assert_eq!(t, Some(at(h(10) + m(40))), "counted from the warm-up");
    assert_eq!(first_time(&spec, inv, mid), Some(at(h(11))));
    // An outage from 10 h to 15 h counts from a 12 h warm-up.
    let mut spec = system("web", 1, 1, 1);
    spec.faults.push(crash("crash", 0, h(10), h(5)));
    let spec = sys(spec);
    let horizon = hours(100, h(12));
    let t = first_time(&spec, threshold(Limit::OutageMax(h(2))), horizon);
    assert_eq!(t, Some(at(h(14))));
    assert_eq!(
        first_time(&spec, threshold(Limit::OutageMax(h(3))), horizon),
        None
    );
}

// ----------------------------------------------------------------- faults

#[test]
fn fault_activations_are_listed_with_their_spans() {
    let horizon = hours(100, SimDuration::ZERO);
    let with_crash = |fencing: bool| {
        let mut spec = pair(fencing, 10.0, Replication::Sync);
        spec.faults.push(crash("crash", 1, h(50), h(3)));
        sys(spec)
    };
    let partition = FaultEvent {
        fault: 0,
        target: None,
        start: at(h(10)),
        end: at(h(11)),
    };
    let crash = FaultEvent {
        fault: 1,
        target: Some(Element::Host(1)),
        start: at(h(50)),
        end: at(h(53)),
    };
    let invs = [InvariantSpec::NoSplitBrain];
    // No violation: every activation.
    let out = check(&with_crash(true), &invs, 1, 0, horizon, false);
    assert_eq!(out.violation, None);
    assert_eq!(out.faults, vec![partition.clone(), crash]);
    // A violation at 10h0m30s: the partition only, to its end, or to the
    // stop.
    let spec = with_crash(false);
    let out = check(&spec, &invs, 1, 0, horizon, false);
    assert_eq!(out.faults, vec![partition.clone()]);
    let out = check(&spec, &invs, 1, 0, horizon, true);
    let cut = FaultEvent {
        end: at(SPLIT_AT),
        ..partition
    };
    assert_eq!(out.faults, vec![cut]);
    // No invariant at all: still the faults, and the same run.
    let out = check(&spec, &[], 1, 0, horizon, true);
    assert_eq!(out.faults.len(), 2);
    assert_eq!(
        out.trace_hash,
        simulate(&spec, 1, 0, horizon, None).trace_hash
    );
}

#[test]
fn ties_go_to_the_invariant_listed_first() {
    let horizon = hours(100, SimDuration::ZERO);
    let spec = sys(pair(false, 10.0, Replication::Sync));
    let failovers = threshold(Limit::FailoversMax(0));
    for invs in [
        [InvariantSpec::NoSplitBrain, failovers.clone()],
        [failovers, InvariantSpec::NoSplitBrain],
    ] {
        for stop in [false, true] {
            let v = check(&spec, &invs, 1, 0, horizon, stop).violation.unwrap();
            assert_eq!(
                (v.time, v.invariant.as_str()),
                (at(SPLIT_AT), invs[0].name())
            );
        }
    }
}

// ---------------------------------------------------------- applicability

#[test]
fn builtins_follow_the_spec() {
    let slo = Some((0.999, h(720)));
    let spec = sys(pair(false, 10.0, Replication::Sync));
    assert_eq!(
        builtins(&spec, slo),
        vec![
            InvariantSpec::NoSplitBrain,
            InvariantSpec::NoLostWritesBeyondGuarantee,
            InvariantSpec::Slo {
                target: 0.999,
                window: h(720)
            },
        ]
    );
    let mut web = system("web", 2, 3, 4);
    web.services[0].health_check = Some(HealthCheckSpec::new(SimDuration::from_secs(30), 3, 2));
    assert_eq!(
        builtins(&sys(web), None),
        vec![InvariantSpec::HealthCheckBound]
    );
    assert_eq!(builtins(&kofn(), None), vec![]);
}

fn kofn() -> ModelSpec {
    let node = |i: u32| ComponentSpec {
        name: format!("node-{i}"),
        failure: exp(h(100)),
        repair: exp(h(10)),
    };
    ModelSpec::KofN(KofNSpec {
        name: "quorum".into(),
        components: (1..=3).map(node).collect(),
        min_up: 2,
        crews: Crews::Dedicated,
        while_down: WhileDown::KeepRunning,
    })
}

#[test]
fn invariants_that_do_not_apply_never_fire() {
    let horizon = hours(10_000, SimDuration::ZERO);
    let spec = kofn();
    let invs = [
        InvariantSpec::NoSplitBrain,
        InvariantSpec::NoLostWritesBeyondGuarantee,
        InvariantSpec::HealthCheckBound,
        threshold(Limit::LostWritesMax(0)),
        threshold(Limit::FailoversMax(0)),
        threshold(Limit::SplitBrainMax(SimDuration::ZERO)),
    ];
    let out = check(&spec, &invs, 1, 0, horizon, false);
    assert_eq!(out.violation, None);
    assert!(out.faults.is_empty());
    let plain = simulate(&spec, 1, 0, horizon, None);
    assert_eq!(
        (out.events, out.trace_hash),
        (plain.events, plain.trace_hash)
    );
}

// ------------------------------------------- against the model's measures

/// On random runs, the thresholds fire exactly when the replication's own
/// measures pass them (each limit set at the median of the measure over
/// the runs, so that both answers are seen).
#[test]
fn thresholds_agree_with_the_measures() {
    let horizon = Horizon::new(SimDuration::from_years(2), h(500));
    let reps = 30;
    let median = |mut v: Vec<u64>| {
        v.sort_unstable();
        v[v.len() / 2]
    };
    for spec in [kofn(), split_brain_db()] {
        let plain: Vec<_> = (0..reps)
            .map(|r| simulate(&spec, 7, r, horizon, None))
            .collect();
        let longest = |p: &crate::replicate::ReplicationResult| {
            SimDuration::from_hours_f64(p.measures.longest_outage_hours())
        };
        let limit = SimDuration::from_micros(median(
            plain.iter().map(|p| longest(p).as_micros()).collect(),
        ));
        let mut fired = [0; 4];
        for (r, p) in (0..reps).zip(&plain) {
            let outage = threshold(Limit::OutageMax(limit));
            let out = check(&spec, &[outage], 7, r, horizon, false);
            assert_eq!(out.violation.is_some(), longest(p) > limit, "rep {r}");
            fired[0] += usize::from(out.violation.is_some());
        }
        assert!(0 < fired[0] && fired[0] < reps as usize, "{fired:?}");
        let Some(systems) = plain
            .iter()
            .map(|p| p.system.clone())
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let lost = median(systems.iter().map(|s| s.lost_writes).collect());
        let failovers = median(systems.iter().map(|s| s.failovers).collect());
        let invs = [
            threshold(Limit::LostWritesMax(lost)),
            threshold(Limit::FailoversMax(failovers)),
            InvariantSpec::NoSplitBrain,
        ];
        for (r, s) in (0..reps).zip(&systems) {
            let fires = |i: usize| {
                check(&spec, &invs[i..=i], 7, r, horizon, true)
                    .violation
                    .is_some()
            };
            // A split brain that began after the warm-up, or one going on
            // when it ended.
            let split = s.split_brains > 0 || s.split_brain_hours > 0.0;
            let expected = [s.lost_writes > lost, s.failovers > failovers, split];
            for (i, &e) in expected.iter().enumerate() {
                assert_eq!(fires(i), e, "rep {r}, {}", invs[i].name());
                fired[i + 1] += usize::from(e);
            }
        }
        assert!(
            fired[1..3].iter().all(|&n| 0 < n && n < reps as usize),
            "{fired:?}"
        );
        assert!(fired[3] > 0, "{fired:?}");
    }
}

/// Like the split-brain built-in: a primary and a standby in two zones, no
/// fencing, partitions between the zones every 60 days on average, host
/// crashes once a year.
fn split_brain_db() -> ModelSpec {
    let mut spec = system("db", 2, 1, 1);
    spec.services[0].failover = Some(FailoverSpec {
        duration: lognormal(SimDuration::from_secs(25), SimDuration::from_secs(19)),
        coverage: 1.0,
        manual: det(h(1)),
        standby_cost_per_hour: None,
        fencing: false,
        failback: None,
        heartbeat: None,
        majority: None,
    });
    spec.services[0].data = Some(DataSpec {
        writes_per_second: 50.0,
        replication: Some(Replication::Async {
            lag: exp(SimDuration::from_millis(100)),
        }),
        backup_interval: None,
        write_time: SimDuration::ZERO,
    });
    spec.faults.push(FaultSpec {
        name: "partition".into(),
        class: FaultClass::Partition,
        effect: Effect::Partition {
            a: vec![0],
            b: vec![1],
        },
        occurrence: Occurrence::Random {
            every: exp(h(60 * 24)),
        },
        repair: Repair {
            detection: None,
            duration: lognormal(m(16), m(46)),
            team: None,
        },
        resets: Vec::new(),
    });
    spec.faults.push(FaultSpec {
        name: "host-crash".into(),
        class: FaultClass::HostCrash,
        effect: Effect::Down(vec![Element::Host(0), Element::Host(1)]),
        occurrence: Occurrence::Random {
            every: exp(SimDuration::from_years(1)),
        },
        repair: Repair {
            detection: None,
            duration: lognormal(m(36), m(48)),
            team: None,
        },
        resets: Vec::new(),
    });
    spec.validate().unwrap();
    sys(spec)
}

/// Like the lb-health-checks built-in: six servers in two zones behind
/// health checks, crashing weekly, with gray failures and zone outages.
pub(super) fn checked_web() -> ModelSpec {
    let mut spec = system("web", 2, 3, 4);
    spec.services[0].health_check = Some(HealthCheckSpec::new(SimDuration::from_secs(30), 3, 2));
    let hosts: Vec<Element> = (0..6).map(Element::Host).collect();
    spec.faults.push(FaultSpec {
        name: "host-crash".into(),
        class: FaultClass::HostCrash,
        effect: Effect::Down(hosts.clone()),
        occurrence: Occurrence::Random {
            every: exp(h(7 * 24)),
        },
        repair: Repair {
            detection: None,
            duration: lognormal(m(3), m(4)),
            team: None,
        },
        resets: Vec::new(),
    });
    spec.faults.push(FaultSpec {
        name: "gray".into(),
        class: FaultClass::GrayFailure,
        effect: Effect::Degrade {
            targets: hosts,
            error_fraction: 0.5,
        },
        occurrence: Occurrence::Random {
            every: exp(SimDuration::from_years(1)),
        },
        repair: Repair {
            detection: Some(exp(m(30))),
            duration: det(m(5)),
            team: None,
        },
        resets: Vec::new(),
    });
    spec.faults.push(FaultSpec {
        name: "zone-outage".into(),
        class: FaultClass::ZoneOutage,
        effect: Effect::Down(vec![Element::Zone(0), Element::Zone(1)]),
        occurrence: Occurrence::Random {
            every: exp(SimDuration::from_years(5)),
        },
        repair: Repair {
            detection: None,
            duration: lognormal(h(2), h(3)),
            team: None,
        },
        resets: Vec::new(),
    });
    spec.validate().unwrap();
    sys(spec)
}

#[test]
fn health_checks_keep_their_bound() {
    let horizon = Horizon::new(SimDuration::from_years(1), SimDuration::ZERO);
    let spec = checked_web();
    let invs = [InvariantSpec::HealthCheckBound];
    let mut crashes = 0;
    for r in 0..20 {
        let out = check(&spec, &invs, 3, r, horizon, false);
        assert_eq!(out.violation, None, "rep {r}");
        crashes += out.faults.iter().filter(|f| f.fault == 0).count();
    }
    assert!(crashes > 500, "{crashes}");
}

/// Check against simulate, per replication, on the split-brain and health
/// checks like systems: `cargo test -p models --release --lib --
/// --ignored --nocapture check_costs`. Wall-clock times are the best of
/// rounds that alternate the three runs; with `CHECK_COST=simulate`,
/// `check` or `stop`, only that run is made (once per replication), for
/// counting instructions under `valgrind --tool=callgrind`, and with
/// `CHECK_COST_SPEC=split-brain` (or `lb-health-checks`) only that system.
#[test]
#[ignore = "a measurement, not a test"]
fn check_costs_little_more_than_simulate() {
    use std::time::Instant;
    let horizon = Horizon::new(SimDuration::from_years(1), SimDuration::ZERO);
    let only = std::env::var("CHECK_COST").ok();
    let system = std::env::var("CHECK_COST_SPEC").ok();
    for (name, spec) in [
        ("split-brain", split_brain_db()),
        ("lb-health-checks", checked_web()),
    ] {
        if system.as_ref().is_some_and(|s| s != name) {
            continue;
        }
        let invs = builtins(&spec, Some((0.999, h(720))));
        let runs: [(&str, &dyn Fn(u64) -> u64); 3] = [
            ("simulate", &|r| simulate(&spec, 1, r, horizon, None).events),
            ("check", &|r| {
                check(&spec, &invs, 1, r, horizon, false).events
            }),
            ("stop", &|r| check(&spec, &invs, 1, r, horizon, true).events),
        ];
        if let Some(only) = &only {
            let reps = 200;
            let (_, f) = runs
                .iter()
                .find(|(n, _)| n == only)
                .expect("simulate, check or stop");
            let events: u64 = (0..reps).map(f).sum();
            println!("{name}: {only}, {reps} replications, {events} events");
            continue;
        }
        let reps = 1000;
        let mut best = [f64::INFINITY; 3];
        for _ in 0..7 {
            for (b, (_, f)) in best.iter_mut().zip(&runs) {
                let start = Instant::now();
                let events: u64 = (0..reps).map(f).sum();
                std::hint::black_box(events);
                *b = b.min(start.elapsed().as_secs_f64() / reps as f64 * 1e6);
            }
        }
        let events: u64 = (0..reps).map(runs[0].1).sum();
        let fired = (0..reps)
            .filter(|&r| check(&spec, &invs, 1, r, horizon, true).violation.is_some())
            .count();
        let [sim, whole, stop] = best;
        println!(
            "{name}: {} events/rep, {fired}/{reps} violated; simulate {sim:.1} us/rep, \
             check {whole:.1} us/rep ({:.2}x), check stopping {stop:.1} us/rep ({:.2}x)",
            events / reps,
            whole / sim,
            stop / sim
        );
    }
}

/// A request-level pool is down while no instance is up or its hard
/// dependency is down, as its timeline draws it: the longest outage there
/// is the limit an outage threshold finds.
#[test]
fn request_pools_have_the_timelines_outages() {
    use crate::request::{Arrivals, DependencySpec, Dispatch, InstanceFaults, RequestSpec};
    use crate::timeline::{RowState, record};
    let service = Dist::exponential_mean(SimDuration::from_millis(100)).unwrap();
    let mut pool = RequestSpec::new(
        "api",
        Arrivals::Poisson { rate_per_s: 20.0 },
        crate::request::InstanceSpec::pool(3, service),
        Dispatch::LeastConnections,
    );
    for i in &mut pool.instances {
        i.faults = Some(InstanceFaults {
            failure: exp(m(20)),
            repair: exp(m(3)),
        });
    }
    pool.dependency = Some(DependencySpec {
        name: "db".into(),
        failure: exp(m(30)),
        repair: exp(m(2)),
        soft: false,
    });
    let spec = ModelSpec::Requests(Box::new(pool));
    let horizon = hours(4, SimDuration::ZERO);
    let rec = record(&spec, 9, 2, horizon, 0);
    let longest = rec
        .entry()
        .spans
        .iter()
        .filter(|s| s.state == RowState::Down)
        .max_by_key(|s| (s.duration(), std::cmp::Reverse(s.start)))
        .unwrap();
    let d = longest.duration();
    let limit = |max: SimDuration| threshold(Limit::OutageMax(max));
    let under = limit(d - SimDuration::from_micros(1));
    let out = check(&spec, &[under], 9, 2, horizon, false);
    assert_eq!(
        out.violation.map(|v| v.time),
        Some(longest.start + (d - SimDuration::from_micros(1)))
    );
    assert_eq!((out.events, out.trace_hash), (rec.events, rec.trace_hash));
    let out = check(&spec, &[limit(d)], 9, 2, horizon, true);
    assert_eq!(out.violation, None);
}

#[test]
fn a_stateless_active_passive_service_counts_its_failovers() {
    // The pair of `pair`, fenced, without data: nothing to lose, but the
    // promotion at the partition is still a failover.
    let mut spec = pair(true, 10.0, Replication::Sync);
    spec.services[0].data = None;
    spec.validate().unwrap();
    let spec = sys(spec);
    let horizon = hours(100, SimDuration::ZERO);
    let plain = simulate(&spec, 1, 0, horizon, None);
    let measures = plain.system.unwrap();
    assert_eq!(measures.failovers, 1);
    assert_eq!(measures.lost_writes, 0);
    let t = first_time(&spec, threshold(Limit::FailoversMax(0)), horizon);
    assert!(t.is_some(), "FailoversMax(0) fires for a stateless service");
}
