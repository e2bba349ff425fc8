use super::*;
use crate::system::spec::*;

/// Two zones in one region, one host each; `web` (min 1) on both hosts
/// depends on `db`, which runs in zone b only.
fn spec() -> SystemSpec {
    SystemSpec {
        regions: vec!["r".into()],
        zones: vec![
            ZoneSpec {
                name: "a".into(),
                region: 0,
            },
            ZoneSpec {
                name: "b".into(),
                region: 0,
            },
        ],
        racks: vec![
            RackSpec {
                name: "a1".into(),
                zone: 0,
            },
            RackSpec {
                name: "b1".into(),
                zone: 1,
            },
        ],
        hosts: vec![
            HostSpec {
                name: "a1h1".into(),
                rack: 0,
            },
            HostSpec {
                name: "b1h1".into(),
                rack: 1,
            },
        ],
        links: vec![],
        services: vec![
            ServiceSpec {
                name: "web".into(),
                instances: vec![
                    InstanceSpec {
                        name: "web-1".into(),
                        host: 0,
                    },
                    InstanceSpec {
                        name: "web-2".into(),
                        host: 1,
                    },
                ],
                up_rule: UpRule::MinHealthy(1),
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
                instances: vec![InstanceSpec {
                    name: "db-1".into(),
                    host: 1,
                }],
                up_rule: UpRule::MinHealthy(1),
                hard_dependencies: vec![],
                soft_dependencies: vec![],
                cost_per_instance_hour: 0.5,
                failover: None,
                data: None,
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
        teams: vec![],
        downtime_cost_per_minute: 0.0,
        currency: None,
        load_curve: None,
        costs: Default::default(),
        network: Default::default(),
    }
}

fn eval(spec: &SystemSpec, c: &Counters) -> Status {
    Evaluator::new(spec).evaluate(spec, c)
}

#[test]
fn all_up_is_up() {
    let s = spec();
    let st = eval(&s, &Counters::new(&s));
    assert!(st.entry_up && !st.entry_degraded);
    assert_eq!(st.service_up, vec![true, true]);
}

#[test]
fn a_host_down_takes_its_instances_with_it() {
    let s = spec();
    let mut c = Counters::new(&s);
    c.down(Element::Host(0));
    assert!(eval(&s, &c).entry_up, "web-2 still serves");
    c.down(Element::Host(1));
    assert!(!eval(&s, &c).entry_up);
    c.up(Element::Host(1));
    c.up(Element::Host(0));
    assert!(eval(&s, &c).entry_up);
}

#[test]
fn a_hard_dependency_down_takes_the_caller_down() {
    let s = spec();
    let mut c = Counters::new(&s);
    c.down(Element::Instance(1, 0));
    let st = eval(&s, &c);
    assert!(!st.entry_up);
    assert_eq!(st.service_up, vec![false, false]);
}

#[test]
fn a_rack_or_zone_down_is_a_failure_domain() {
    let s = spec();
    let mut c = Counters::new(&s);
    c.down(Element::Rack(1));
    assert!(!eval(&s, &c).entry_up, "db's rack is down");
    c.up(Element::Rack(1));
    c.down(Element::Zone(1));
    assert!(!eval(&s, &c).entry_up, "db's zone is down");
    c.up(Element::Zone(1));
    c.down(Element::Region(0));
    assert!(!eval(&s, &c).entry_up);
}

#[test]
fn a_partition_cuts_the_dependency_off() {
    let s = spec();
    let mut c = Counters::new(&s);
    c.partition(7, &[0], &[1]);
    // From zone a, web-1 cannot reach db; web-2 (zone b) is unreachable.
    assert!(!eval(&s, &c).entry_up);
    c.heal(7);
    assert!(eval(&s, &c).entry_up);
}

#[test]
fn a_soft_dependency_only_degrades() {
    let mut s = spec();
    s.services[0].hard_dependencies.clear();
    s.services[0].soft_dependencies = vec![1];
    let mut c = Counters::new(&s);
    c.down(Element::Service(1));
    let st = eval(&s, &c);
    assert!(st.entry_up && st.entry_degraded);
}

#[test]
fn links_join_regions() {
    let mut s = spec();
    s.regions.push("r2".into());
    s.zones[1].region = 1;
    s.links.push(LinkSpec {
        name: "l".into(),
        a: Place::Region(0),
        b: Place::Region(1),
        latency: sim_core::time::SimDuration::from_millis(1),
    });
    let mut c = Counters::new(&s);
    assert!(eval(&s, &c).entry_up);
    c.down(Element::Link(0));
    assert!(!eval(&s, &c).entry_up, "db is across the broken link");
    c.up(Element::Link(0));
    c.degrade(Element::Link(0), 100_000);
    let st = eval(&s, &c);
    assert!(st.entry_up && st.entry_degraded);
    // web-1 (zone a) reaches db over the lossy link; web-2 (zone b) is
    // reached over it: every request crosses it once.
    assert!((st.served - 0.9).abs() < 1e-12, "{}", st.served);
    c.undegrade(Element::Link(0), 100_000);
    assert_eq!(eval(&s, &c).served, 1.0);
}

#[test]
fn a_gray_host_fails_its_share_of_requests() {
    let s = spec();
    let mut c = Counters::new(&s);
    assert_eq!(eval(&s, &c).served, 1.0);
    // web-1 errs on 20% of its requests; web-2 serves perfectly; each
    // takes half the traffic.
    c.degrade(Element::Host(0), 200_000);
    let st = eval(&s, &c);
    assert!(st.entry_up && st.entry_degraded);
    assert!((st.served - 0.9).abs() < 1e-12, "{}", st.served);
    // db's host (host 1) graying hurts every request through db.
    c.degrade(Element::Host(1), 500_000);
    let st = eval(&s, &c);
    let want = 0.5 * (0.8 * 0.5) + 0.5 * (0.5 * 0.5);
    assert!((st.served - want).abs() < 1e-12, "{} != {want}", st.served);
}

#[test]
fn quorum_reads_outlive_quorum_writes() {
    let mut s = spec();
    s.services[1].instances.push(InstanceSpec {
        name: "db-2".into(),
        host: 0,
    });
    s.services[1].instances.push(InstanceSpec {
        name: "db-3".into(),
        host: 1,
    });
    s.services[1].up_rule = UpRule::Quorum { write: 3, read: 1 };
    let mut c = Counters::new(&s);
    assert_eq!(eval(&s, &c).quorum[1], Some((true, true)));
    c.down(Element::Host(0));
    // Two replicas of three left: reads (R = 1) yes, writes (W = 3) no.
    let st = eval(&s, &c);
    assert_eq!(st.quorum[1], Some((true, false)));
    assert!(!st.service_up[1]);
    assert_eq!(st.quorum[0], None);
}

#[test]
fn capacity_rule_counts_requests_per_second() {
    let mut s = spec();
    s.services[0].up_rule = UpRule::Capacity {
        per_instance_rps: 100.0,
        load_rps: 150.0,
    };
    let mut c = Counters::new(&s);
    assert!(eval(&s, &c).entry_up);
    c.down(Element::Host(0));
    let st = eval(&s, &c);
    assert!(!st.entry_up, "one instance serves 100 of 150 rps");
    // The excess fails, the rest is served: two thirds of requests.
    assert!((st.served - 100.0 / 150.0).abs() < 1e-12, "{}", st.served);
}

/// Three zones in two regions, joined by two links, for the network
/// memo: `web` in zones a and c, `db` in zone b.
fn network_spec() -> SystemSpec {
    let mut s = spec();
    s.regions.push("r2".into());
    s.zones.push(ZoneSpec {
        name: "c".into(),
        region: 1,
    });
    s.racks.push(RackSpec {
        name: "c1".into(),
        zone: 2,
    });
    s.hosts.push(HostSpec {
        name: "c1h1".into(),
        rack: 2,
    });
    s.services[0].instances[1].host = 2;
    for (name, a, b) in [
        ("l1", Place::Region(0), Place::Region(1)),
        ("l2", Place::Zone(1), Place::Zone(2)),
    ] {
        s.links.push(LinkSpec {
            name: name.into(),
            a,
            b,
            latency: sim_core::time::SimDuration::from_millis(1),
        });
    }
    s
}

proptest::proptest! {
    /// An evaluation that reuses its scratch (and so may copy the last
    /// reachability) gives what a fresh evaluation gives, whatever the
    /// network did in between.
    #[test]
    fn a_remembered_network_is_the_network_at_hand(
        steps in proptest::collection::vec((0u8..8, 0usize..3, proptest::bool::ANY), 1..40)
    ) {
        let s = network_spec();
        let ev = Evaluator::new(&s);
        let mut c = Counters::new(&s);
        let (mut out, mut scratch) = (Status::default(), Scratch::default());
        for (op, i, on) in steps {
            let element = match op {
                0 => Some(Element::Zone(i)),
                1 => Some(Element::Region(i % 2)),
                2 => Some(Element::Link(i % 2)),
                5 => Some(Element::Host(i)),
                _ => None,
            };
            match (op, element) {
                (_, Some(e)) if on => c.down(e),
                (_, Some(e)) if c.is_down(e) => c.up(e),
                (3, _) if on => c.degrade(Element::Link(i % 2), 50_000),
                (3, _) => c.undegrade(Element::Link(i % 2), 50_000),
                (4, _) if on => c.partition(i as u32, &[i], &[(i + 1) % 3]),
                (4, _) => c.heal(i as u32),
                // Changes outside the network, which keep the memo.
                _ => {}
            }
            ev.evaluate_into(&s, &c, &mut out, &mut scratch);
            proptest::prop_assert_eq!(&out, &ev.evaluate(&s, &c));
        }
    }
}
