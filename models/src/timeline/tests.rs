//! Recordings against the plain replication they re-run: same events and
//! trace hash, the entry's downtime equal to the measured one, and spans
//! that make a well-formed Gantt chart.

use sim_core::dist::Dist;
use sim_core::time::{SimDuration, SimTime};

use super::*;
use crate::kofn::{ComponentSpec, Crews, WhileDown};
use crate::replicate::simulate;
use crate::request::sketch::RELATIVE_ERROR;
use crate::request::{self, Arrivals, DependencySpec, Dispatch, InstanceFaults};
use crate::system::spec::*;

fn exp_h(mean_h: f64) -> Dist {
    Dist::exponential_mean(SimDuration::from_hours_f64(mean_h)).unwrap()
}

fn hours(h: u64) -> SimTime {
    SimTime::from_duration(SimDuration::from_hours(h))
}

/// Every row's spans are non-empty, in order, apart, inside `[0, end]`,
/// and two touching spans differ in state.
fn assert_well_formed(rec: &Recording, end: SimTime) {
    assert_eq!(rec.rows[0].kind, RowKind::Entry);
    let kinds: Vec<RowKind> = rec.rows.iter().map(|r| r.kind).collect();
    assert!(kinds.is_sorted(), "rows out of order: {kinds:?}");
    for row in &rec.rows {
        for s in &row.spans {
            assert!(s.start < s.end, "{}: empty span {s:?}", row.name);
            assert!(s.end <= end, "{}: {s:?} past the horizon", row.name);
        }
        for w in row.spans.windows(2) {
            assert!(w[0].end <= w[1].start, "{}: {w:?} overlap", row.name);
            assert!(
                w[0].end < w[1].start || w[0].state != w[1].state,
                "{}: {w:?} not merged",
                row.name
            );
        }
    }
}

/// Records `spec` and checks it against the plain replication: same
/// events and trace hash, recorded twice alike, well formed.
fn check(spec: &ModelSpec, seed: u64, rep: u64, horizon: Horizon, windows: usize) -> Recording {
    let rec = record(spec, seed, rep, horizon, windows);
    let plain = simulate(spec, seed, rep, horizon, None);
    assert_eq!(rec.replication, rep);
    assert_eq!(
        (rec.events, rec.trace_hash),
        (plain.events, plain.trace_hash)
    );
    assert!(rec.events > 0);
    assert_eq!(rec, record(spec, seed, rep, horizon, windows));
    assert_well_formed(&rec, horizon.end());
    rec
}

/// With no warm-up, the entry row's down time is the measured downtime.
fn assert_entry_downtime(spec: &ModelSpec, rec: &Recording, seed: u64, horizon: Horizon) {
    assert!(horizon.warmup.is_zero());
    let plain = simulate(spec, seed, rec.replication, horizon, None);
    let down = rec.entry().time_in(RowState::Down);
    let measured = plain.measures.downtime_until(horizon.end());
    let spans = rec.entry().spans.len() as u64;
    assert!(
        down.as_micros().abs_diff(measured.as_micros()) <= spans,
        "recorded {down} down, measured {measured}"
    );
}

// ------------------------------------------------------------------ k-of-n

fn kofn(crews: Crews, while_down: WhileDown) -> ModelSpec {
    let comp = |i: u32| ComponentSpec {
        name: format!("disk-{i}"),
        failure: exp_h(300.0),
        repair: exp_h(30.0),
    };
    ModelSpec::KofN(KofNSpec {
        name: "array".into(),
        components: (1..=4).map(comp).collect(),
        min_up: 3,
        crews,
        while_down,
    })
}

#[test]
fn kofn_recording_is_the_replication() {
    let horizon = Horizon::new(SimDuration::from_years(5), SimDuration::ZERO);
    for (crews, while_down) in [
        (Crews::Dedicated, WhileDown::KeepRunning),
        (Crews::Shared(1), WhileDown::Suspend),
    ] {
        let spec = kofn(crews, while_down);
        let rec = check(&spec, 11, 3, horizon, 0);
        let names: Vec<&str> = rec.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "array (as users see it)",
                "disk-1",
                "disk-2",
                "disk-3",
                "disk-4"
            ]
        );
        assert!(rec.latency.is_empty());
        assert!(!rec.entry().spans.is_empty(), "no outage in five years");
        assert_entry_downtime(&spec, &rec, 11, horizon);
        // The service is down exactly while two or more disks are.
        for s in &rec.entry().spans {
            let mid = SimTime::from_micros((s.start.as_micros() + s.end.as_micros()) / 2);
            let failed = rec.rows[1..]
                .iter()
                .filter(|r| r.spans.iter().any(|u| u.start <= mid && mid < u.end))
                .count();
            assert!(failed >= 2, "down at {mid} with {failed} disks failed");
        }
    }
}

#[test]
fn a_warmup_changes_nothing_recorded() {
    let spec = kofn(Crews::Dedicated, WhileDown::KeepRunning);
    let long = Horizon::new(SimDuration::from_years(3), SimDuration::from_years(1));
    let none = Horizon::new(SimDuration::from_years(3), SimDuration::ZERO);
    let a = check(&spec, 5, 0, long, 0);
    let b = check(&spec, 5, 0, none, 0);
    assert_eq!(a.rows, b.rows);
}

// ------------------------------------------------------------------ system

/// Two zones; `web` (active-passive over h0 in z0 and h1 in z1) needs
/// `db` (on h2 in z0); host crashes, a gray host, a partition and a
/// surge.
fn system() -> SystemSpec {
    let instance = |name: &str, host| InstanceSpec {
        name: name.into(),
        host,
    };
    let service = |name: &str, instances, deps| ServiceSpec {
        name: String::from(name),
        instances,
        up_rule: UpRule::MinHealthy(1),
        hard_dependencies: deps,
        soft_dependencies: vec![],
        cost_per_instance_hour: 0.1,
        failover: None,
        data: None,
        health_check: None,
        autoscale: None,
        leader: None,
    };
    let fault = |name: &str, class, effect, every, repair| FaultSpec {
        name: String::from(name),
        class,
        effect,
        occurrence: Occurrence::Random { every },
        repair: Repair {
            detection: None,
            duration: repair,
            team: None,
        },
        resets: Vec::new(),
    };
    let mut web = service(
        "web",
        vec![instance("web-1", 0), instance("web-2", 1)],
        vec![1],
    );
    web.failover = Some(FailoverSpec {
        duration: Dist::deterministic(SimDuration::from_mins(5)),
        coverage: 0.9,
        manual: exp_h(1.0),
        standby_cost_per_hour: None,
        fencing: true,
        failback: None,
        heartbeat: None,
        majority: None,
    });
    SystemSpec {
        regions: vec!["eu".into()],
        zones: (0..2)
            .map(|z| ZoneSpec {
                name: format!("eu-{z}"),
                region: 0,
            })
            .collect(),
        racks: (0..2)
            .map(|z| RackSpec {
                name: format!("rack-{z}"),
                zone: z,
            })
            .collect(),
        hosts: [0, 1, 0]
            .iter()
            .enumerate()
            .map(|(i, &rack)| HostSpec {
                name: format!("h{i}"),
                rack,
            })
            .collect(),
        links: vec![],
        services: vec![web, service("db", vec![instance("db-1", 2)], vec![])],
        entry: EntrySpec {
            service: 0,
            from: Place::Region(0),
        },
        faults: vec![
            fault(
                "host-crash",
                FaultClass::HostCrash,
                Effect::Down((0..3).map(Element::Host).collect()),
                exp_h(1000.0),
                exp_h(10.0),
            ),
            fault(
                "gray",
                FaultClass::GrayFailure,
                Effect::Degrade {
                    targets: vec![Element::Host(0)],
                    error_fraction: 0.2,
                },
                exp_h(300.0),
                Dist::deterministic(SimDuration::from_hours(2)),
            ),
            fault(
                "split",
                FaultClass::Partition,
                Effect::Partition {
                    a: vec![0],
                    b: vec![1],
                },
                exp_h(2000.0),
                Dist::deterministic(SimDuration::from_hours(1)),
            ),
            fault(
                "surge",
                FaultClass::TrafficSpike,
                Effect::Surge { factor: 3.0 },
                exp_h(1000.0),
                Dist::deterministic(SimDuration::from_hours(2)),
            ),
        ],
        teams: vec![],
        downtime_cost_per_minute: 0.0,
        currency: None,
        load_curve: None,
        costs: Default::default(),
        network: Default::default(),
    }
}

#[test]
fn system_recording_is_the_replication() {
    let spec = ModelSpec::System(Box::new(system()));
    let horizon = Horizon::new(SimDuration::from_years(10), SimDuration::ZERO);
    let rec = check(&spec, 2026, 1, horizon, 10);
    assert!(rec.latency.is_empty());
    assert_entry_downtime(&spec, &rec, 2026, horizon);
    let names: Vec<&str> = rec.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "web (as users see it)",
            "web",
            "db",
            "host-crash: host h0",
            "host-crash: host h1",
            "host-crash: host h2",
            "gray: host h0",
            "split: partition",
            "surge: traffic ×3",
        ]
    );
    // A failover shows, and the web service is never down without the
    // entry (it is the entry) nor failing over while up as users see it.
    let web = rec.row("web").unwrap();
    assert!(web.time_in(RowState::FailingOver) > SimDuration::ZERO);
    let entry_down = rec.entry().time_in(RowState::Down);
    let web_out = web.time_in(RowState::Down) + web.time_in(RowState::FailingOver);
    assert_eq!(entry_down, web_out);
    // Degraded while the gray host serves, up.
    assert!(rec.entry().time_in(RowState::Degraded) > SimDuration::ZERO);
    // Every db outage is a crash of its host.
    let db = rec.row("db").unwrap();
    let h2 = rec.row("host-crash: host h2").unwrap();
    assert_eq!(db.spans.len(), h2.spans.len());
    for (d, h) in db.spans.iter().zip(&h2.spans) {
        assert_eq!((d.start, d.end), (h.start, h.end));
        assert_eq!((d.state, h.state), (RowState::Down, RowState::Active));
    }
}

#[test]
fn a_scheduled_host_fault_is_the_outage() {
    let spec = SystemSpec {
        regions: vec!["r".into()],
        zones: vec![ZoneSpec {
            name: "z".into(),
            region: 0,
        }],
        racks: vec![RackSpec {
            name: "rack".into(),
            zone: 0,
        }],
        hosts: vec![HostSpec {
            name: "web-2".into(),
            rack: 0,
        }],
        links: vec![],
        services: vec![ServiceSpec {
            name: "app".into(),
            instances: vec![InstanceSpec {
                name: "app-1".into(),
                host: 0,
            }],
            up_rule: UpRule::MinHealthy(1),
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
        faults: vec![FaultSpec {
            name: "host-crash".into(),
            class: FaultClass::HostCrash,
            effect: Effect::Down(vec![Element::Host(0)]),
            occurrence: Occurrence::Scheduled {
                first: hours(100),
                period: None,
                stagger: SimDuration::ZERO,
            },
            repair: Repair {
                detection: None,
                duration: Dist::deterministic(SimDuration::from_hours(5)),
                team: None,
            },
            resets: Vec::new(),
        }],
        teams: vec![],
        downtime_cost_per_minute: 0.0,
        currency: None,
        load_curve: None,
        costs: Default::default(),
        network: Default::default(),
    };
    let spec = ModelSpec::System(Box::new(spec));
    let horizon = Horizon::new(SimDuration::from_hours(1000), SimDuration::ZERO);
    let rec = check(&spec, 1, 0, horizon, 0);
    assert_entry_downtime(&spec, &rec, 1, horizon);
    let span = |state| {
        vec![RecordedSpan {
            start: hours(100),
            end: hours(105),
            state,
        }]
    };
    assert_eq!(
        rec.rows,
        vec![
            RecordedRow {
                name: "app (as users see it)".into(),
                kind: RowKind::Entry,
                spans: span(RowState::Down),
            },
            RecordedRow {
                name: "app".into(),
                kind: RowKind::Service,
                spans: span(RowState::Down),
            },
            RecordedRow {
                name: "host-crash: host web-2".into(),
                kind: RowKind::Fault,
                spans: span(RowState::Active),
            },
        ]
    );
}

#[test]
fn an_outage_open_at_the_horizon_ends_there() {
    let mut spec = system();
    spec.faults.truncate(1);
    spec.faults[0].occurrence = Occurrence::Scheduled {
        first: hours(10),
        period: None,
        stagger: SimDuration::ZERO,
    };
    spec.faults[0].effect = Effect::Down(vec![Element::Host(2)]);
    spec.faults[0].repair.duration = Dist::deterministic(SimDuration::from_hours(100));
    let spec = ModelSpec::System(Box::new(spec));
    let horizon = Horizon::new(SimDuration::from_hours(50), SimDuration::ZERO);
    let rec = check(&spec, 1, 0, horizon, 0);
    assert_entry_downtime(&spec, &rec, 1, horizon);
    let down = RecordedSpan {
        start: hours(10),
        end: hours(50),
        state: RowState::Down,
    };
    assert_eq!(rec.entry().spans, [down]);
    assert_eq!(rec.row("db").unwrap().spans, [down]);
    let crash = rec.row("host-crash: host h2").unwrap();
    assert_eq!(crash.spans[0].end, hours(50));
    // Fault rows that never held anything are left out.
    assert!(rec.row("host-crash: host h0").is_none());
}

// ---------------------------------------------------------------- requests

/// Three instances that crash every 20 minutes or so, behind a hard
/// dependency that fails about every half hour.
fn pool(soft: bool) -> RequestSpec {
    let service = Dist::exponential_mean(SimDuration::from_millis(100)).unwrap();
    let mut spec = RequestSpec::new(
        "api",
        Arrivals::Poisson { rate_per_s: 20.0 },
        request::InstanceSpec::pool(3, service),
        Dispatch::LeastConnections,
    );
    for i in &mut spec.instances {
        i.faults = Some(InstanceFaults {
            failure: Dist::exponential_mean(SimDuration::from_mins(20)).unwrap(),
            repair: Dist::exponential_mean(SimDuration::from_mins(3)).unwrap(),
        });
    }
    spec.dependency = Some(DependencySpec {
        name: "db".into(),
        failure: Dist::exponential_mean(SimDuration::from_mins(30)).unwrap(),
        repair: Dist::exponential_mean(SimDuration::from_mins(2)).unwrap(),
        soft,
    });
    spec.client.fallback = soft;
    spec.client.deadline = Some(SimDuration::from_millis(400));
    spec
}

#[test]
fn request_recording_is_the_replication() {
    let horizon = Horizon::new(SimDuration::from_hours(4), SimDuration::ZERO);
    for soft in [false, true] {
        let r = pool(soft);
        let run = request::simulate(&r, 9, 2, horizon, None).unwrap();
        let spec = ModelSpec::Requests(Box::new(r));
        // Few samples a window (exact quantiles), then many (the sketch).
        for windows in [240, 7] {
            let rec = check(&spec, 9, 2, horizon, windows);
            let names: Vec<&str> = rec.rows.iter().map(|r| r.name.as_str()).collect();
            assert_eq!(
                names,
                [
                    "api (as users see it)",
                    "instance-0",
                    "instance-1",
                    "instance-2",
                    "db: dependency down",
                ]
            );
            assert!(rec.rows[1..4].iter().all(|r| !r.spans.is_empty()));
            // The dependency's outages, as the model measured them.
            let dep = rec.row("db: dependency down").unwrap();
            assert_eq!(
                dep.time_in(RowState::Active).as_micros(),
                run.measures.dependency_down_us
            );
            let entry = rec.entry();
            let (down, degraded) = (
                entry.time_in(RowState::Down),
                entry.time_in(RowState::Degraded),
            );
            if soft {
                assert_eq!(degraded, dep.time_in(RowState::Active));
            } else {
                assert!(degraded.is_zero());
                assert!(down >= dep.time_in(RowState::Active));
            }
            // The windows tile the horizon and hold every request.
            let m = &run.measures;
            assert_eq!(rec.latency.len(), windows);
            assert_eq!(rec.latency[0].start, SimTime::ZERO);
            assert_eq!(rec.latency[windows - 1].end, horizon.end());
            for w in rec.latency.windows(2) {
                assert_eq!(w[0].end, w[1].start);
            }
            let requests: u64 = rec.latency.iter().map(|w| w.requests).sum();
            let errors: u64 = rec.latency.iter().map(|w| w.errors).sum();
            assert_eq!(requests, m.latency().count());
            assert_eq!(requests, m.response().count());
            assert_eq!(errors, m.failed_total());
            for w in &rec.latency {
                match (w.p50_s, w.p90_s, w.p99_s) {
                    (Some(a), Some(b), Some(c)) => assert!(a <= b && b <= c, "{w:?}"),
                    (None, None, None) => assert_eq!(w.requests, 0),
                    _ => panic!("{w:?}"),
                }
            }
        }
    }
}

#[test]
fn request_level_warmup_is_recorded_too() {
    let spec = ModelSpec::Requests(Box::new(pool(false)));
    let horizon = Horizon::new(SimDuration::from_hours(2), SimDuration::from_hours(1));
    let rec = check(&spec, 3, 0, horizon, 2);
    // Both halves have requests, though only the second is measured.
    assert!(rec.latency.iter().all(|w| w.requests > 1000));
}

// ------------------------------------------------------------------ pieces

#[test]
fn tracks_merge_touching_spans_and_drop_empty_ones() {
    let t = |us| SimTime::from_micros(us);
    let mut track = Track::new("x".into(), RowKind::Unit);
    track.set(t(0), None);
    track.set(t(5), Some(RowState::Down));
    track.set(t(7), Some(RowState::FailingOver));
    track.set(t(7), Some(RowState::Down)); // back at once: one span
    track.set(t(9), None);
    track.set(t(9), Some(RowState::Down)); // likewise
    track.set(t(12), None);
    track.set(t(15), Some(RowState::Active));
    track.set(t(15), None); // empty
    track.set(t(18), Some(RowState::Degraded));
    let row = track.finish(t(20));
    let span = |a, b, state| RecordedSpan {
        start: t(a),
        end: t(b),
        state,
    };
    assert_eq!(
        row.spans,
        [
            span(5, 12, RowState::Down),
            span(18, 20, RowState::Degraded)
        ]
    );
    assert_eq!(row.time_in(RowState::Down), SimDuration::from_micros(7));
}

#[test]
fn window_quantiles_are_nearest_rank_exact_or_sketched() {
    let values: Vec<u64> = (0..10_000u64).map(|i| (i * 7919) % 100_003 + 1).collect();
    let exact = |p: f64, n: usize| {
        let mut s = values[..n].to_vec();
        s.sort_unstable();
        s[((p * n as f64).ceil() as usize).clamp(1, n) - 1] as f64 / 1e6
    };
    for n in [1, 10, EXACT_SAMPLES, EXACT_SAMPLES + 1, values.len()] {
        let mut w = WindowSamples::default();
        values[..n].iter().for_each(|&v| w.push(v));
        assert_eq!(w.requests, n as u64);
        let sketched = w.sketch.is_some();
        assert_eq!(sketched, n > EXACT_SAMPLES);
        for (q, p) in w.quantiles_s().into_iter().zip([0.5, 0.9, 0.99]) {
            let (got, want) = (q.unwrap(), exact(p, n));
            if sketched {
                assert!((got - want).abs() <= want * RELATIVE_ERROR + 1e-6);
            } else {
                assert_eq!(got, want);
            }
        }
    }
    assert_eq!(WindowSamples::default().quantiles_s(), [None; 3]);
}
