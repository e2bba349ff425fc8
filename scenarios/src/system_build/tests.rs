//! The system format: every validation error located by file, line, column
//! and key; placement; target expansion; effects and occurrences.

use models::system::spec::{
    Effect, Element, EntrySpec, FaultClass, HeartbeatSpec, Occurrence, Place, TeamSpec,
};
use sim_core::time::{SimDuration, SimTime};

use super::names::{edit_distance, suggestion};
use super::*;
use crate::parse;

mod renewals;

const BASE: &str = r#"
[scenario]
name = "t"

[[region]]
name = "east"

[[region]]
name = "west"

[[zone]]
name = "east-a"
region = "east"
racks = 2
hosts_per_rack = 2

[[zone]]
name = "east-b"
region = "east"
racks = 2
hosts_per_rack = 2

[[zone]]
name = "west-a"
region = "west"
racks = 1
hosts_per_rack = 2

[[link]]
name = "east-west"
between = ["east", "west"]

[[service]]
name = "web"
instances = 4
min_healthy = 2
hard_dependencies = ["api"]
cost_per_hour = "0.12/h"

[[service]]
name = "api"
instances = 2
placement = "pack"
zones = ["east-b"]
capacity_rps = 100
load_rps = 150

[entry]
service = "web"
from = "east"

[cost]
downtime_per_minute = 50.0

[[team]]
name = "oncall"
crews = 1

[[fault]]
kind = "host-crash"
targets = "all"
every = "exponential(mean = 2y)"
repair = "lognormal(median = 1h, p95 = 6h)"
detection = "exponential(mean = 5m)"
team = "oncall"
"#;

/// The base system with one more fault table appended.
fn with_fault(fault: &str) -> String {
    format!("{BASE}\n[[fault]]\n{fault}\n")
}

fn spec(text: &str) -> SystemSpec {
    let scenario = parse(text, "s.toml").unwrap_or_else(|e| panic!("{e}"));
    match scenario.model {
        ModelSpec::System(s) => *s,
        ModelSpec::KofN(_) | ModelSpec::Requests(_) => panic!("not a system scenario"),
    }
}

/// The 1-based line and column of byte `offset` of `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let line = text[..offset].matches('\n').count() + 1;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// Asserts that parsing `text` fails with a diagnostic located where the
/// `nth` occurrence of `marker` starts (counting from 0), for `key`, whose
/// message contains `needle`.
#[track_caller]
fn check_nth(text: &str, marker: &str, nth: usize, key: &str, needle: &str) {
    let offset = text
        .match_indices(marker)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{marker}` occurs fewer than {} times", nth + 1))
        .0;
    let (line, column) = position(text, offset);
    let err = parse(text, "s.toml").expect_err("expected an error");
    let prefix = format!("s.toml:{line}:{column}: key `{key}`: ");
    let rendered = err.to_string();
    assert!(
        rendered
            .split("\n")
            .any(|l| l.starts_with(&prefix) && l.contains(needle)),
        "no diagnostic starting with `{prefix}` containing `{needle}` in:\n{rendered}"
    );
}

#[track_caller]
fn check(text: &str, marker: &str, key: &str, needle: &str) {
    check_nth(text, marker, 0, key, needle);
}

/// The message of the only diagnostic, or a panic listing them all.
fn message(text: &str) -> String {
    parse(text, "s.toml")
        .expect_err("expected an error")
        .to_string()
}

// --- what a valid file builds ------------------------------------------------

#[test]
fn the_base_system_builds() {
    let s = spec(BASE);
    assert_eq!(s.regions, ["east", "west"]);
    assert_eq!(s.zones.len(), 3);
    assert_eq!(s.racks.len(), 5);
    assert_eq!(s.racks[1].name, "east-a-r2");
    assert_eq!(s.racks[1].zone, 0);
    let hosts: Vec<&str> = s.hosts.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(
        hosts,
        [
            "east-a-r1-h1",
            "east-a-r1-h2",
            "east-a-r2-h1",
            "east-a-r2-h2",
            "east-b-r1-h1",
            "east-b-r1-h2",
            "east-b-r2-h1",
            "east-b-r2-h2",
            "west-a-r1-h1",
            "west-a-r1-h2",
        ]
    );
    assert_eq!(
        s.links,
        [LinkSpec {
            name: "east-west".into(),
            a: Place::Region(0),
            b: Place::Region(1),
            latency: sim_core::time::SimDuration::from_millis(1),
        }]
    );
    let web = &s.services[0];
    assert_eq!(web.up_rule, UpRule::MinHealthy(2));
    assert_eq!(web.hard_dependencies, [1]);
    assert!((web.cost_per_instance_hour - 0.12).abs() < 1e-12);
    assert_eq!(web.instances[3].name, "web-4");
    assert_eq!(
        s.services[1].up_rule,
        UpRule::Capacity {
            per_instance_rps: 100.0,
            load_rps: 150.0
        }
    );
    assert_eq!(
        s.entry,
        EntrySpec {
            service: 0,
            from: Place::Region(0)
        }
    );
    assert_eq!(s.downtime_cost_per_minute, 50.0);
    assert_eq!(
        s.teams,
        [TeamSpec {
            name: "oncall".into(),
            crews: 1
        }]
    );
    let f = &s.faults[0];
    assert_eq!(f.name, "host-crash");
    assert_eq!(f.class, FaultClass::HostCrash);
    assert_eq!(f.effect, Effect::Down((0..10).map(Element::Host).collect()));
    assert!(matches!(f.occurrence, Occurrence::Random { .. }));
    assert_eq!(f.repair.team, Some(0));
    assert!(f.repair.detection.is_some());
    assert_eq!(s.validate(), Ok(()));
}

#[test]
fn spread_alternates_zones_then_racks() {
    let s = spec(BASE);
    let web: Vec<&str> = s.services[0]
        .instances
        .iter()
        .map(|i| s.hosts[i.host].name.as_str())
        .collect();
    // Round-robin over east-a, east-b, west-a; back in east-a, the next
    // rack.
    assert_eq!(
        web,
        [
            "east-a-r1-h1",
            "east-b-r1-h1",
            "west-a-r1-h1",
            "east-a-r2-h1"
        ]
    );
}

#[test]
fn spread_prefers_hosts_earlier_services_left_free() {
    let text = BASE.replace(
        "placement = \"pack\"\nzones = [\"east-b\"]",
        "zones = [\"east-b\"]",
    );
    let s = spec(&text);
    // web took east-b-r1-h1; api spreads over east-b's racks and avoids it.
    let api: Vec<&str> = s.services[1]
        .instances
        .iter()
        .map(|i| s.hosts[i.host].name.as_str())
        .collect();
    assert_eq!(api, ["east-b-r1-h2", "east-b-r2-h1"]);
}

#[test]
fn pack_fills_hosts_in_order() {
    let s = spec(BASE);
    let api: Vec<usize> = s.services[1].instances.iter().map(|i| i.host).collect();
    assert_eq!(api, [4, 5]); // east-b-r1-h1, east-b-r1-h2
    let s = spec(&BASE.replace(
        "instances = 2\nplacement = \"pack\"",
        "instances = 3\nplacement = \"pack\"\nper_host = 2",
    ));
    let api: Vec<usize> = s.services[1].instances.iter().map(|i| i.host).collect();
    assert_eq!(api, [4, 4, 5]);
}

#[test]
fn explicit_hosts_place_one_instance_each() {
    let s = spec(&BASE.replace(
        "instances = 4\nmin_healthy = 2",
        "hosts = [\"west-a-r1-h2\", \"east-a-r2-h1\"]\nmin_healthy = 1",
    ));
    let web: Vec<usize> = s.services[0].instances.iter().map(|i| i.host).collect();
    assert_eq!(web, [9, 2]);
}

#[test]
fn zone_and_region_names_expand_to_their_hosts() {
    let targets = |t: &str| {
        let s = spec(&with_fault(&format!(
            "name = \"x\"\nkind = \"host-crash\"\n{t}\nevery = \"exponential(mean = 1y)\"\nrepair = \"fixed(1h)\""
        )));
        match &s.faults[1].effect {
            Effect::Down(e) => e.clone(),
            e => panic!("{e:?}"),
        }
    };
    let hosts = |r: std::ops::Range<usize>| r.map(Element::Host).collect::<Vec<_>>();
    assert_eq!(targets("targets = [\"east-b\"]"), hosts(4..8));
    assert_eq!(targets("targets = \"west\""), hosts(8..10));
    assert_eq!(
        targets("targets = [\"east-a-r2\", \"west-a-r1-h1\"]"),
        [2, 3, 8].map(Element::Host)
    );
    // Overlapping names count each host once.
    assert_eq!(targets("targets = [\"east\", \"east-a\"]"), hosts(0..8));
    assert_eq!(targets("service = \"api\""), hosts(4..6));
}

#[test]
fn domains_expand_to_their_racks_and_zones() {
    let effect = |f: &str| spec(&with_fault(f)).faults[1].effect.clone();
    let tail = "every = \"exponential(mean = 1y)\"\nrepair = \"fixed(1h)\"";
    assert_eq!(
        effect(&format!(
            "kind = \"rack-power\"\ntargets = [\"east-b\"]\n{tail}"
        )),
        Effect::Down(vec![Element::Rack(2), Element::Rack(3)])
    );
    assert_eq!(
        effect(&format!(
            "kind = \"zone-outage\"\ntargets = [\"east\"]\n{tail}"
        )),
        Effect::Down(vec![Element::Zone(0), Element::Zone(1)])
    );
    assert_eq!(
        effect(&format!(
            "kind = \"region-outage\"\ntargets = \"all\"\n{tail}"
        )),
        Effect::Down(vec![Element::Region(0), Element::Region(1)])
    );
    assert_eq!(
        effect(&format!("kind = \"link-down\"\ntargets = \"all\"\n{tail}")),
        Effect::Down(vec![Element::Link(0)])
    );
    assert_eq!(
        effect(&format!(
            "kind = \"degraded-link\"\ntargets = [\"east-west\"]\nerror_fraction = 0.01\n{tail}"
        )),
        Effect::Degrade {
            targets: vec![Element::Link(0)],
            error_fraction: 0.01
        }
    );
    assert_eq!(
        effect(&format!(
            "kind = \"gray-failure\"\ntargets = \"west-a\"\nerror_fraction = \"20%\"\n{tail}"
        )),
        Effect::Degrade {
            targets: vec![Element::Host(8), Element::Host(9)],
            error_fraction: 0.2
        }
    );
    assert_eq!(
        effect(&format!(
            "kind = \"common-cause\"\nservice = \"api\"\n{tail}"
        )),
        Effect::Shock(vec![Element::Host(4), Element::Host(5)])
    );
    assert_eq!(
        effect(&format!(
            "kind = \"partition\"\nbetween = [[\"east-a\"], [\"east-b\", \"west\"]]\n{tail}"
        )),
        Effect::Partition {
            a: vec![0],
            b: vec![1, 2]
        }
    );
    assert_eq!(
        effect(&format!(
            "kind = \"misconfiguration\"\nservice = \"api\"\n{tail}"
        )),
        Effect::Down(vec![Element::Service(1)])
    );
    assert_eq!(
        effect(&format!(
            "kind = \"misconfiguration\"\nzones = [\"west\"]\n{tail}"
        )),
        Effect::Down(vec![Element::Zone(2)])
    );
    assert_eq!(
        effect(&format!("kind = \"crash-bug\"\nservice = \"web\"\n{tail}")),
        Effect::Down(vec![Element::Service(0)])
    );
    assert_eq!(
        effect(&format!(
            "kind = \"data-deletion\"\nservice = \"api\"\n{tail}"
        )),
        Effect::Down(vec![Element::Service(1)])
    );
    assert_eq!(
        effect(&format!(
            "kind = \"bad-deploy\"\nservice = \"web\"\nbatch_size = 2\nbatch_interval = \"10m\"\ndetection = \"fixed(15m)\"\n{tail}"
        )),
        Effect::Rollout {
            service: 0,
            batch_size: 2,
            batch_interval: SimDuration::from_mins(10)
        }
    );
}

#[test]
fn scheduled_faults_keep_first_period_and_stagger() {
    let s = spec(&with_fault(
        "kind = \"maintenance\"\ntargets = \"all\"\nat = \"30d\"\nrepeat = \"7d\"\nstagger = \"2h\"\nrepair = \"fixed(1h)\"",
    ));
    assert_eq!(
        s.faults[1].occurrence,
        Occurrence::Scheduled {
            first: SimTime::from_duration(SimDuration::from_hours(720)),
            period: Some(SimDuration::from_hours(168)),
            stagger: SimDuration::from_hours(2),
        }
    );
    let s = spec(&with_fault(
        "kind = \"zone-outage\"\ntargets = \"east-a\"\nat = \"1d\"\nrepair = \"fixed(1h)\"",
    ));
    assert_eq!(
        s.faults[1].occurrence,
        Occurrence::Scheduled {
            first: SimTime::from_duration(SimDuration::from_hours(24)),
            period: None,
            stagger: SimDuration::ZERO,
        }
    );
}

#[test]
fn costs_read_as_per_hour() {
    let cost = |c: &str| {
        spec(&BASE.replace(
            "cost_per_hour = \"0.12/h\"",
            &format!("cost_per_hour = {c}"),
        ))
        .services[0]
            .cost_per_instance_hour
    };
    assert_eq!(cost("0.5"), 0.5);
    assert_eq!(cost("2"), 2.0);
    assert!((cost("\"2.4/d\"") - 0.1).abs() < 1e-12);
    assert!((cost("\"72/30d\"") - 0.1).abs() < 1e-12);
}

#[test]
fn a_k_of_n_file_still_takes_the_k_of_n_path() {
    // A single [service] table without components is the k-of-n format.
    let e = message("[scenario]\nname = \"x\"\n[service]\nmin_up = 1\n");
    assert!(e.contains("no [[component]] tables"), "{e}");
}

// --- unknown and missing keys --------------------------------------------------

#[test]
fn unknown_keys_are_located_everywhere() {
    check(
        &BASE.replace(
            "hosts_per_rack = 2\n\n[[zone]]\nname = \"east-b\"",
            "hosts_per_rak = 2\n\n[[zone]]\nname = \"east-b\"",
        ),
        "hosts_per_rak",
        "zone.hosts_per_rak",
        "unknown field `hosts_per_rak`, expected one of `name`, `region`, `racks`, `hosts_per_rack`",
    );
    check(
        &BASE.replace("detection =", "detecton ="),
        "detecton",
        "fault.detecton",
        "unknown field `detecton`",
    );
    check(
        &BASE.replace("min_healthy = 2", "min_healty = 2"),
        "min_healty",
        "service.min_healty",
        "unknown field",
    );
    check(
        &BASE.replace("from = \"east\"", "form = \"east\""),
        "form",
        "entry.form",
        "unknown field",
    );
}

#[test]
fn unknown_top_level_keys_list_the_expected_ones() {
    let text = format!("{BASE}\n[extra]\nx = 1\n");
    let e = message(&text);
    assert!(
        e.contains("unknown field `extra`, expected one of `scenario`, `simulation`, `region`, `zone`, `link`, `network`, `service`, `entry`, `cost`, `team`, `fault`"),
        "{e}"
    );
}

#[test]
fn missing_required_keys_are_reported() {
    // A key serde requires.
    let e = message(&BASE.replace("region = \"west\"\n", ""));
    assert!(e.contains("missing field `region`"), "{e}");
    // Keys the builder requires, located at the fault.
    check(
        &with_fault(
            "kind = \"zone-outage\"\ntargets = \"all\"\nevery = \"exponential(mean = 1y)\"",
        ),
        "\"zone-outage\"",
        "fault.repair",
        "missing field `repair`",
    );
    // Whole tables.
    let no_entry = BASE.replace("[entry]\nservice = \"web\"\nfrom = \"east\"\n", "");
    let e = message(&no_entry);
    assert!(
        e.starts_with("s.toml: key `entry`: missing field `entry`"),
        "{e}"
    );
    let e = message("[scenario]\nname = \"x\"\n");
    assert!(e.contains("missing field `region`"), "{e}");
    assert!(e.contains("missing field `service`"), "{e}");
}

// --- topology --------------------------------------------------------------------

#[test]
fn a_zone_in_an_unknown_region_is_located_with_a_suggestion() {
    check(
        &BASE.replace("region = \"west\"", "region = \"wset\""),
        "\"wset\"",
        "zone.region",
        "unknown name `wset`; expected the name of a [[region]]; did you mean `west`?",
    );
    check(
        &BASE.replace("region = \"west\"", "region = \"east-a\""),
        "\"east-a\"\nracks = 1",
        "zone.region",
        "`east-a` is a zone; expected the name of a [[region]]",
    );
}

#[test]
fn racks_and_hosts_per_rack_must_be_positive() {
    check(
        &BASE.replace("racks = 1", "racks = 0"),
        "0\nhosts_per_rack",
        "zone.racks",
        "0 is out of range; expected an integer from 1 to",
    );
    check(
        &BASE.replace(
            "hosts_per_rack = 2\n\n[[link]]",
            "hosts_per_rack = -1\n\n[[link]]",
        ),
        "-1",
        "zone.hosts_per_rack",
        "out of range",
    );
}

#[test]
fn duplicate_names_are_located() {
    check(
        &BASE.replace("name = \"west-a\"", "name = \"east\""),
        "\"east\"\nregion = \"west\"",
        "zone.name",
        "`east` already names a region",
    );
    check_nth(
        &BASE.replace("name = \"api\"", "name = \"web\""),
        "\"web\"\ninstances = 2",
        0,
        "service.name",
        "two services are named `web`",
    );
    let two = with_fault(
        "kind = \"host-crash\"\ntargets = \"all\"\nevery = \"exponential(mean = 1y)\"\nrepair = \"fixed(1h)\"",
    );
    check_nth(
        &two,
        "\"host-crash\"",
        1,
        "fault.kind",
        "two faults are named `host-crash`; expected unique names",
    );
    check_nth(
        &BASE.replace(
            "crews = 1",
            "crews = 1\n[[team]]\nname = \"oncall\"\ncrews = 2",
        ),
        "\"oncall\"",
        1,
        "team.name",
        "two teams are named `oncall`",
    );
    // A generated rack name that clashes with a declared zone.
    check(
        &BASE.replace("name = \"west-a\"", "name = \"east-a-r1\""),
        "\"east-a-r1\"",
        "zone.name",
        "`east-a-r1` already names a rack",
    );
}

#[test]
fn links_join_two_known_places() {
    check(
        &BASE.replace("between = [\"east\", \"west\"]", "between = [\"east\"]"),
        "[\"east\"]",
        "link.between",
        "1 names; expected exactly two",
    );
    check(
        &BASE.replace(
            "between = [\"east\", \"west\"]",
            "between = [\"east\", \"wst\"]",
        ),
        "\"wst\"",
        "link.between",
        "unknown name `wst`; expected the name of a zone or a region; did you mean `west`?",
    );
}

// --- services ----------------------------------------------------------------------

#[test]
fn a_service_needs_exactly_one_up_rule() {
    check(
        &BASE.replace("min_healthy = 2\n", "min_healthy = 2\ncapacity_rps = 10\n"),
        "2\ncapacity_rps = 10",
        "service.min_healthy",
        "both `min_healthy` and `capacity_rps` are given",
    );
    check(
        &BASE.replace("min_healthy = 2\n", ""),
        "\"web\"",
        "service.min_healthy",
        "service `web` has no up rule",
    );
    check(
        &BASE.replace("load_rps = 150\n", ""),
        "100",
        "service.load_rps",
        "`capacity_rps` is given without `load_rps`",
    );
    check(
        &BASE.replace("load_rps = 150", "load_rps = 250"),
        "250",
        "service.load_rps",
        "could never be up",
    );
}

#[test]
fn min_healthy_cannot_exceed_instances() {
    check(
        &BASE.replace("min_healthy = 2", "min_healthy = 5"),
        "5",
        "service.min_healthy",
        "min_healthy = 5 but the service has 4 instances; expected 1 to 4",
    );
}

#[test]
fn impossible_placements_are_located() {
    check(
        &BASE.replace("instances = 4", "instances = 11"),
        "11",
        "service.instances",
        "cannot place 11 instances of `web` with at most 1 per host on all the hosts (10 hosts)",
    );
    check(
        &BASE.replace("instances = 2\nplacement", "instances = 5\nplacement"),
        "5",
        "service.instances",
        "on the hosts of the listed zones (4 hosts)",
    );
    check(
        &BASE.replace(
            "instances = 4",
            "hosts = [\"east-a-r1-h1\", \"east-a-r3-h1\"]",
        ),
        "\"east-a-r3-h1\"",
        "service.hosts",
        "unknown name `east-a-r3-h1`; expected the name of a host",
    );
    check(
        &BASE.replace("instances = 4", "hosts = [\"east-a-r1\"]"),
        "\"east-a-r1\"",
        "service.hosts",
        "`east-a-r1` is a rack",
    );
    check(
        &BASE.replace("placement = \"pack\"", "placement = \"packed\""),
        "\"packed\"",
        "service.placement",
        "unknown placement `packed`; expected \"spread\" or \"pack\"",
    );
    check(
        &BASE.replace("zones = [\"east-b\"]", "zones = [\"east-c\"]"),
        "\"east-c\"",
        "service.zones",
        "did you mean `east-a`?",
    );
}

#[test]
fn unknown_dependencies_are_located_with_a_suggestion() {
    check(
        &BASE.replace(
            "hard_dependencies = [\"api\"]",
            "hard_dependencies = [\"apj\"]",
        ),
        "\"apj\"",
        "service.hard_dependencies",
        "unknown name `apj`; expected the name of a [[service]]; did you mean `api`?",
    );
}

#[test]
fn dependency_cycles_are_named() {
    check(
        &BASE.replace(
            "load_rps = 150\n",
            "load_rps = 150\nsoft_dependencies = [\"web\"]\n",
        ),
        "\"web\"]\n",
        "service.soft_dependencies",
        "services depend on each other in a cycle: web -> api -> web",
    );
    check(
        &BASE.replace(
            "hard_dependencies = [\"api\"]",
            "hard_dependencies = [\"web\"]",
        ),
        "\"web\"]",
        "service.hard_dependencies",
        "cycle: web -> web",
    );
}

#[test]
fn the_entry_must_name_a_service_and_a_place() {
    let text = BASE.replace(
        "service = \"web\"\nfrom = \"east\"",
        "service = \"wbe\"\nfrom = \"north\"",
    );
    check(&text, "\"wbe\"", "entry.service", "did you mean `web`?");
    check(
        &text,
        "\"north\"",
        "entry.from",
        "unknown name `north`; expected the name of a zone or a region",
    );
}

// --- faults --------------------------------------------------------------------------

const TAIL: &str = "every = \"exponential(mean = 1y)\"\nrepair = \"fixed(1h)\"";

#[test]
fn unknown_fault_kinds_list_the_kinds() {
    check(
        &with_fault(&format!("kind = \"host-crsh\"\ntargets = \"all\"\n{TAIL}")),
        "\"host-crsh\"",
        "fault.kind",
        "unknown fault kind `host-crsh`; expected one of host-crash, disk-failure, rack-power, zone-outage, region-outage, link-down, partition, degraded-link, gray-failure, bad-deploy, misconfiguration, data-deletion, maintenance, crash-bug, aging, common-cause, traffic-spike; did you mean `host-crash`?",
    );
}

#[test]
fn a_fault_happens_either_randomly_or_on_schedule() {
    check(
        &with_fault(
            "kind = \"aging\"\ntargets = \"all\"\nevery = \"exponential(mean = 1y)\"\nat = \"1d\"\nrepair = \"fixed(1h)\"",
        ),
        "\"1d\"",
        "fault.at",
        "both `every` and `at` are given",
    );
    check(
        &with_fault("kind = \"aging\"\ntargets = \"all\"\nrepair = \"fixed(1h)\""),
        "\"aging\"",
        "fault.every",
        "the fault never happens",
    );
    check(
        &with_fault(&format!(
            "kind = \"aging\"\ntargets = \"all\"\nrepeat = \"1d\"\n{TAIL}"
        )),
        "\"1d\"\nevery",
        "fault.repeat",
        "`repeat` applies to scheduled faults",
    );
    check(
        &with_fault(&format!(
            "kind = \"aging\"\ntargets = \"all\"\nstagger = \"1h\"\n{TAIL}"
        )),
        "\"1h\"",
        "fault.stagger",
        "`stagger` applies to scheduled faults",
    );
    check(
        &with_fault(
            "kind = \"aging\"\ntargets = \"all\"\nat = \"1d\"\nrepeat = \"0s\"\nrepair = \"fixed(1h)\"",
        ),
        "\"0s\"",
        "fault.repeat",
        "the period is zero",
    );
}

#[test]
fn unknown_teams_are_located() {
    check(
        &with_fault(&format!(
            "kind = \"aging\"\ntargets = \"all\"\nteam = \"on-call\"\n{TAIL}"
        )),
        "\"on-call\"",
        "fault.team",
        "unknown name `on-call`; expected the name of a [[team]]; did you mean `oncall`?",
    );
}

#[test]
fn batch_size_must_be_positive() {
    check(
        &with_fault(&format!(
            "kind = \"bad-deploy\"\nservice = \"web\"\nbatch_size = 0\nbatch_interval = \"10m\"\ndetection = \"fixed(15m)\"\n{TAIL}"
        )),
        "0\nbatch_interval",
        "fault.batch_size",
        "0 is out of range; expected an integer from 1 to",
    );
    check(
        &with_fault(&format!("kind = \"bad-deploy\"\nservice = \"web\"\n{TAIL}")),
        "\"bad-deploy\"",
        "fault.batch_size",
        "needs `batch_size`",
    );
}

#[test]
fn targets_of_the_wrong_kind_are_located() {
    check(
        &with_fault(&format!(
            "kind = \"rack-power\"\ntargets = [\"east-a-r1-h1\"]\n{TAIL}"
        )),
        "\"east-a-r1-h1\"",
        "fault.targets",
        "`east-a-r1-h1` is a host; expected for a rack-power fault, the name of one of racks, or zones and regions meaning the racks inside them",
    );
    check(
        &with_fault(&format!(
            "kind = \"zone-outage\"\ntargets = [\"east-a-r1\"]\n{TAIL}"
        )),
        "\"east-a-r1\"",
        "fault.targets",
        "`east-a-r1` is a rack",
    );
    check(
        &with_fault(&format!("kind = \"link-down\"\ntargets = \"east\"\n{TAIL}")),
        "\"east\"\nevery",
        "fault.targets",
        "`east` is a region",
    );
    check(
        &with_fault(&format!(
            "kind = \"host-crash\"\nname = \"h\"\ntargets = [\"east-west\"]\n{TAIL}"
        )),
        "\"east-west\"]",
        "fault.targets",
        "`east-west` is a link",
    );
    check(
        &with_fault(&format!(
            "kind = \"host-crash\"\nname = \"h\"\ntargets = [\"east-a-r1-h3\"]\n{TAIL}"
        )),
        "\"east-a-r1-h3\"",
        "fault.targets",
        "did you mean `east-a-r1-h1`?",
    );
    // A key that belongs to another kind.
    check(
        &with_fault(&format!(
            "kind = \"zone-outage\"\ntargets = \"all\"\nbatch_size = 2\n{TAIL}"
        )),
        "2\nevery",
        "fault.batch_size",
        "`batch_size` does not apply to a zone-outage fault; it belongs to bad-deploy",
    );
    check(
        &with_fault(&format!("kind = \"crash-bug\"\n{TAIL}")),
        "\"crash-bug\"",
        "fault.service",
        "a crash-bug fault needs `service",
    );
}

#[test]
fn empty_target_lists_are_located() {
    check(
        &with_fault(&format!("kind = \"zone-outage\"\ntargets = []\n{TAIL}")),
        "[]",
        "fault.targets",
        "the list is empty",
    );
    let no_links = BASE.replace(
        "[[link]]\nname = \"east-west\"\nbetween = [\"east\", \"west\"]\n",
        "",
    );
    check(
        &format!("{no_links}\n[[fault]]\nkind = \"link-down\"\ntargets = \"all\"\n{TAIL}\n"),
        "\"all\"\nevery = \"exponential(mean = 1y)\"\nrepair = \"fixed",
        "fault.targets",
        "\"all\" names nothing: the system has no links",
    );
}

#[test]
fn partitions_need_two_disjoint_sides() {
    check(
        &with_fault(&format!(
            "kind = \"partition\"\nbetween = [[\"east\"], [\"east-a\"]]\n{TAIL}"
        )),
        "[[\"east\"]",
        "fault.between",
        "zone `east-a` is on both sides",
    );
    check(
        &with_fault(&format!(
            "kind = \"partition\"\nbetween = [[\"east-a\"]]\n{TAIL}"
        )),
        "[[\"east-a\"]]",
        "fault.between",
        "1 sides; expected exactly two",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = BASE
        .replace("region = \"west\"", "region = \"wset\"")
        .replace("min_healthy = 2", "min_healthy = 9")
        .replace("team = \"oncall\"", "team = \"nobody\"")
        .replace("[\"api\"]", "[\"apj\"]");
    let e = parse(&text, "s.toml").unwrap_err();
    assert_eq!(e.diagnostics.len(), 4, "{e}");
    // In the order of the file.
    let lines: Vec<_> = e.diagnostics.iter().map(|d| d.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
}

/// No input panics: every truncation and every single-line deletion of a
/// valid file parses or fails with diagnostics.
#[test]
fn mangled_files_never_panic() {
    let text = crate::library::find("multi-az").map_or(BASE, |b| b.source);
    for (i, _) in text.char_indices().step_by(7) {
        let _ = parse(&text[..i], "s.toml");
    }
    let lines: Vec<&str> = text.lines().collect();
    for skip in 0..lines.len() {
        let mangled: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != skip)
            .map(|(_, l)| *l)
            .collect();
        let _ = parse(&mangled.join("\n"), "s.toml");
    }
}

#[test]
fn suggestions_need_a_close_name() {
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(
        suggestion("wset", ["east", "west"].into_iter()),
        Some("west")
    );
    assert_eq!(suggestion("north", ["east", "west"].into_iter()), None);
}

// --- failover, data, quorum, health checks, degradations -------------------

/// The base system with the web service's `min_healthy = 2` line replaced.
fn with_web(lines: &str) -> String {
    BASE.replacen("min_healthy = 2", lines, 1)
}

#[test]
fn bad_failover_tables_are_located() {
    let t = with_web(
        "min_healthy = 1\nfailover = { duration = \"exp(mean = 1m)\", coverage = \"150%\" }",
    );
    check(
        &t,
        "\"150%\"",
        "service.failover.coverage",
        "probability that a failover is automatic",
    );
    let t =
        with_web("min_healthy = 1\nfailover = { duration = \"exp(mean = 1m)\", coverage = 0.9 }");
    check(
        &t,
        "{ duration",
        "service.failover.manual",
        "needs `manual`",
    );
    let t = with_web("min_healthy = 2\nfailover = { duration = \"exp(mean = 1m)\" }");
    check(
        &t,
        "{ duration",
        "service.failover",
        "expected `min_healthy = 1`",
    );
    let t =
        with_web("min_healthy = 1\nfailover = { duration = \"exp(mean = 1m)\", fencing = \"no\" }");
    check(
        &t,
        "\"no\"",
        "service.failover.fencing",
        "expected a boolean",
    );
}

#[test]
fn bad_data_tables_are_located() {
    let fo = "failover = { duration = \"exp(mean = 1m)\" }";
    let t = with_web(&format!(
        "min_healthy = 1\n{fo}\ndata = {{ writes_per_s = 5, replication = \"eventual\" }}"
    ));
    check(
        &t,
        "\"eventual\"",
        "service.data.replication",
        "expected one of sync, semi-sync, async, batch, none",
    );
    let t = with_web(&format!(
        "min_healthy = 1\n{fo}\ndata = {{ writes_per_s = 5, replication = \"async\" }}"
    ));
    check(&t, "\"async\"", "service.data.lag", "needs `lag`");
    let t = with_web(&format!(
        "min_healthy = 1\n{fo}\ndata = {{ writes_per_s = 5, replication = \"sync\", ship_every = \"1m\" }}"
    ));
    check(
        &t,
        "\"1m\"",
        "service.data.ship_every",
        "belongs to `replication = \"batch\"`",
    );
    let t = with_web("data = { writes_per_s = 5, replication = \"sync\" }");
    check(
        &t,
        "{ writes_per_s",
        "service.data.replication",
        "add `failover`",
    );
    let t = with_web("min_healthy = 2\ndata = { writes_per_s = -5 }");
    check(
        &t,
        "-5",
        "service.data.writes_per_s",
        "expected acknowledged writes per second",
    );
}

#[test]
fn bad_quorums_are_located() {
    let t = with_web("quorum = { write = 5, read = 1 }");
    check(
        &t,
        "5, read",
        "service.quorum.write",
        "expected an integer from 1 to 4",
    );
    let t = with_web("min_healthy = 2\nquorum = { write = 2, read = 2 }");
    check(
        &t,
        "{ write",
        "service.quorum",
        "exactly one of min_healthy, capacity_rps or quorum",
    );
    let s = spec(&with_web("quorum = { write = 3, read = 2 }"));
    assert_eq!(s.services[0].up_rule, UpRule::Quorum { write: 3, read: 2 });
    assert!(s.services[0].leader.is_none());
}

#[test]
fn leaders_and_their_elections_are_read_and_located() {
    let s = spec(&with_web("quorum = { write = 3, read = 2, leader = true }"));
    let leader = s.services[0].leader.as_ref().expect("a leader");
    assert_eq!(
        leader.election.mean_hours() * 3600.0,
        5.0,
        "5 s elections by default"
    );
    let s = spec(&with_web(
        "quorum = { write = 3, read = 2, leader = true, election = \"exponential(mean = 2s)\" }",
    ));
    let e = &s.services[0].leader.as_ref().unwrap().election;
    assert!((e.mean_hours() * 3600.0 - 2.0).abs() < 1e-9);
    let t = with_web("quorum = { write = 3, read = 2, election = \"2s\" }");
    check(
        &t,
        "\"2s\"",
        "service.quorum.election",
        "belongs to a store with `leader = true`",
    );
    let t = with_web("quorum = { write = 3, read = 2, leader = true, election = \"soon\" }");
    check(&t, "\"soon\"", "service.quorum.election", "expected");
    let t = with_web("quorum = { write = 3, read = 2, leder = true }");
    check(&t, "leder", "service.quorum.leder", "did you mean `leader`");
}

#[test]
fn bad_health_checks_are_located() {
    let t = with_web("min_healthy = 2\nhealth_check = { interval = \"0s\" }");
    check(
        &t,
        "\"0s\"",
        "service.health_check.interval",
        "positive time between checks",
    );
    let t =
        with_web("min_healthy = 2\nhealth_check = { interval = \"10s\", unhealthy_threshold = 0 }");
    check(
        &t,
        "0 }",
        "service.health_check.unhealthy_threshold",
        "expected an integer from 1 to 1000",
    );
    let s = spec(&with_web(
        "min_healthy = 2\nhealth_check = { interval = \"10s\" }",
    ));
    let h = s.services[0].health_check.unwrap();
    assert_eq!((h.unhealthy_threshold, h.healthy_threshold), (3, 2));
    // Without the new keys: no false failures, one checker, free checks.
    assert_eq!((h.false_failure, h.checkers, h.check_cost), (0.0, 1, 0.0));
}

/// A capacity-ruled `api` with health checks of its own.
fn with_api_checks(check: &str) -> String {
    BASE.replacen(
        "load_rps = 150\n",
        &format!("load_rps = 150\nhealth_check = {{ interval = \"10s\", {check} }}\n"),
        1,
    )
}

#[test]
fn false_failures_and_check_load_build_and_bad_ones_are_located() {
    let s = spec(&with_api_checks(
        "false_failure = \"0.5%\", checkers = 3, check_cost = 2",
    ));
    let h = s.services[1].health_check.unwrap();
    assert_eq!((h.false_failure, h.checkers, h.check_cost), (0.005, 3, 2.0));
    // Three checkers, two requests a check, every 10 s: 0.6 rps.
    assert!((h.check_load_rps() - 0.6).abs() < 1e-12);
    let t = with_api_checks("false_failure = \"60%\"");
    check(
        &t,
        "\"60%\"",
        "service.health_check.false_failure",
        "from 0 to 50%",
    );
    let t = with_api_checks("checkers = 0");
    check(
        &t,
        "0 }",
        "service.health_check.checkers",
        "expected an integer from 1 to 1000",
    );
    let t = with_api_checks("check_cost = -1.0");
    check(&t, "-1.0", "service.health_check.check_cost", "0 or more");
    // 10 checkers at 100 requests every 10 s: all of the 100 rps.
    let t = with_api_checks("checkers = 10, check_cost = 100");
    check(
        &t,
        "100 }",
        "service.health_check.check_cost",
        "all of its capacity of 100 rps",
    );
    let t = with_api_checks("false_falure = 0.01");
    check(
        &t,
        "false_falure",
        "service.health_check.false_falure",
        "unknown field",
    );
}

#[test]
fn degradations_need_a_valid_error_fraction() {
    let tail = "every = \"exponential(mean = 1y)\"\nrepair = \"deterministic(1h)\"";
    let t = with_fault(&format!(
        "kind = \"gray-failure\"\ntargets = \"all\"\n{tail}"
    ));
    check(
        &t,
        "\"gray-failure\"",
        "fault.error_fraction",
        "needs `error_fraction`",
    );
    let t = with_fault(&format!(
        "kind = \"gray-failure\"\ntargets = \"all\"\nerror_fraction = 1.5\n{tail}"
    ));
    check(
        &t,
        "1.5",
        "fault.error_fraction",
        "expected a share of requests in (0, 1]",
    );
    let t = with_fault(&format!(
        "kind = \"host-crash\"\ntargets = \"all\"\nerror_fraction = 0.5\n{tail}"
    ));
    check(
        &t,
        "0.5\n",
        "fault.error_fraction",
        "does not apply to a host-crash fault",
    );
}

#[test]
fn heartbeats_and_failback_build_and_bad_ones_are_located() {
    let t = with_web(
        "min_healthy = 1\nfailover = { duration = \"exp(mean = 1m)\", failback = \"deterministic(30s)\", heartbeat = { interval = \"1s\", timeout = \"3s\" } }",
    );
    let f = spec(&t).services[0].failover.clone().unwrap();
    assert_eq!(
        f.heartbeat,
        Some(HeartbeatSpec {
            interval: SimDuration::from_secs(1),
            timeout: SimDuration::from_secs(3),
        })
    );
    assert!(f.failback.is_some());
    let t = with_web(
        "min_healthy = 1\nfailover = { duration = \"exp(mean = 1m)\", heartbeat = { interval = \"5s\", timeout = \"2s\" } }",
    );
    check(
        &t,
        "\"2s\"",
        "service.failover.heartbeat.timeout",
        "shorter than the interval",
    );
    let t = with_web(
        "min_healthy = 1\nfailover = { duration = \"exp(mean = 1m)\", heartbeat = { interval = \"1s\", timout = \"3s\" } }",
    );
    check(
        &t,
        "timout",
        "service.failover.heartbeat.timout",
        "unknown field",
    );
    let t = with_web(
        "min_healthy = 1\nfailover = { duration = \"exp(mean = 1m)\", failback = \"soon\" }",
    );
    check(&t, "\"soon\"", "service.failover.failback", "");
}

/// The base system with a load curve appended.
fn with_load(curve: &str) -> String {
    format!("{BASE}\n[load]\nperiod = \"1d\"\ncurve = [{curve}]\n")
}

#[test]
fn a_load_curve_builds_and_bad_steps_are_located() {
    let t = with_load("{ at = \"0h\", factor = 0.5 }, { at = \"12h\", factor = 1.2 }");
    let curve = spec(&t).load_curve.unwrap();
    assert_eq!(curve.period, SimDuration::from_hours(24));
    assert_eq!(
        curve.steps,
        vec![(SimDuration::ZERO, 0.5), (SimDuration::from_hours(12), 1.2)]
    );
    let t = with_load("{ at = \"1h\", factor = 0.5 }");
    check(&t, "\"1h\"", "load.curve.at", "expected \"0s\"");
    let t = with_load("{ at = \"0h\", factor = 0.5 }, { at = \"0h\", factor = 1.0 }");
    check_nth(&t, "\"0h\"", 1, "load.curve.at", "increasing time order");
    let t = with_load("{ at = \"0h\", factor = 0.5 }, { at = \"25h\", factor = 1.0 }");
    check(&t, "\"25h\"", "load.curve.at", "not inside the period");
    let t = with_load("{ at = \"0h\", factor = -1.0 }");
    check(&t, "-1.0", "load.curve.factor", "non-negative");
    // The api pool (2 x 100 rps, 150 rps offered) cannot carry 1.5 x.
    let t = with_load("{ at = \"0h\", factor = 1.0 }, { at = \"18h\", factor = 1.5 }");
    check(&t, "[{", "load.curve", "service `api` is offered 225 rps");
    let t = with_load("{ at = \"0h\", factor = 1.0 }").replacen(
        "capacity_rps = 100\nload_rps = 150",
        "min_healthy = 1",
        1,
    );
    assert!(
        message(&t).contains("key `load`: the curve scales"),
        "{}",
        message(&t)
    );
    let t = with_load("{ at = \"0h\", factr = 1.0 }");
    check(&t, "factr", "load.curve.factr", "unknown field");
}

#[test]
fn traffic_spikes_need_a_factor_above_one_and_a_capacity_service() {
    let spike = "kind = \"traffic-spike\"\nevery = \"exponential(mean = 30d)\"\nrepair = \"deterministic(1h)\"";
    let t = with_fault(&format!("{spike}\nfactor = 2.5"));
    let s = spec(&t);
    let f = s.faults.last().unwrap();
    assert_eq!(f.class, FaultClass::TrafficSpike);
    assert_eq!(f.effect, Effect::Surge { factor: 2.5 });
    check(
        &with_fault(spike),
        "\"traffic-spike\"",
        "fault.factor",
        "needs `factor`",
    );
    check(
        &with_fault(&format!("{spike}\nfactor = 0.5")),
        "0.5",
        "fault.factor",
        "above 1",
    );
    let t = with_fault(
        "kind = \"host-crash\"\ntargets = \"all\"\nfactor = 2.0\nevery = \"exponential(mean = 1y)\"\nrepair = \"deterministic(1h)\"",
    );
    check(&t, "2.0\nevery", "fault.factor", "belongs to traffic-spike");
    let no_capacity = with_fault(&format!("{spike}\nfactor = 2.0")).replacen(
        "capacity_rps = 100\nload_rps = 150",
        "min_healthy = 1",
        1,
    );
    check(
        &no_capacity,
        "\"traffic-spike\"",
        "fault.kind",
        "no service has them",
    );
}

#[test]
fn an_entry_point_that_cannot_be_reached_is_an_error() {
    // Drop the link between the regions and enter from the west, where no
    // web instance runs.
    let t = BASE
        .replace(
            "[[link]]\nname = \"east-west\"\nbetween = [\"east\", \"west\"]\n",
            "",
        )
        .replace("from = \"east\"", "from = \"west\"");
    check(
        &t,
        "\"west\"\n\n[cost]",
        "entry.from",
        "with nothing failed, the entry point is already down: `web`",
    );
    // With the link back, it builds.
    assert!(
        parse(
            &BASE.replace("from = \"east\"", "from = \"west\""),
            "s.toml"
        )
        .is_ok()
    );
}

#[test]
fn rates_take_units() {
    let t = BASE
        .replace("capacity_rps = 100", "capacity_rps = \"6000/min\"")
        .replace("load_rps = 150", "load_rps = \"540k/h\"");
    let s = spec(&t);
    assert_eq!(
        s.services[1].up_rule,
        UpRule::Capacity {
            per_instance_rps: 100.0,
            load_rps: 150.0
        }
    );
    let t = BASE.replace("capacity_rps = 100", "capacity_rps = \"100 per second\"");
    check(
        &t,
        "\"100 per second\"",
        "service.capacity_rps",
        "has no `/`",
    );
    let t = with_web(
        "min_healthy = 1\nfailover = { duration = \"exp(mean = 1m)\" }\ndata = { writes_per_s = \"1.8M/h\" }",
    );
    let d = spec(&t).services[0].data.clone().unwrap();
    assert!((d.writes_per_second - 500.0).abs() < 1e-9);
    assert!((parse_per("2.88/d", 1.0, "x").unwrap() - 0.12).abs() < 1e-12);
    assert!(parse_per("x/h", 1.0, "x").is_err());
    assert!(parse_per("1/0s", 1.0, "x").is_err());
}

#[test]
fn a_fault_whose_every_and_repair_can_both_be_zero_is_refused() {
    let text = with_fault(
        "name = \"zero\"\nkind = \"host-crash\"\ntargets = [\"east-a\"]\nevery = \"empirical(0s, 1h)\"\nrepair = \"deterministic(0s)\"",
    );
    check(
        &text,
        "\"deterministic(0s)\"",
        "fault.repair",
        "cycle of no length",
    );
    // One side positive is a sound cycle.
    let ok = text.replace("empirical(0s, 1h)", "deterministic(1h)");
    spec(&ok);
}

#[test]
fn a_long_zone_name_is_refused_before_its_hosts_are_named() {
    let long = "z".repeat(70_000);
    let text = BASE.replacen("name = \"east-a\"", &format!("name = \"{long}\""), 1);
    let e = message(&text);
    assert!(
        e.contains("key `zone.name`") && e.contains("at most 256"),
        "{}",
        &e[..300]
    );
}

#[test]
fn cost_currency_is_carried_or_refused_where_written() {
    assert_eq!(spec(BASE).currency, None);
    let eur = BASE.replace(
        "downtime_per_minute = 50.0",
        "downtime_per_minute = 50.0\ncurrency = \"EUR\"",
    );
    assert_eq!(spec(&eur).currency.as_deref(), Some("EUR"));
    let bad = BASE.replace(
        "downtime_per_minute = 50.0",
        "downtime_per_minute = 50.0\ncurrency = \"euro cents\"",
    );
    check(&bad, "\"euro cents\"", "cost.currency", "not a currency");
}

mod costs;

#[test]
fn bad_autoscale_tables_are_located() {
    let cap = "capacity_rps = 100\nload_rps = 150";
    let t = with_web(&format!(
        "{cap}\nautoscale = {{ min = 1, target_utilisation = \"150%\" }}"
    ));
    check(
        &t,
        "\"150%\"",
        "service.autoscale.target_utilisation",
        "at most 100%",
    );
    let t = with_web(&format!("{cap}\nautoscale = {{ max = 1, min = 2 }}"));
    check(
        &t,
        "2 }",
        "service.autoscale.min",
        "expected an integer from 1 to 1",
    );
    let t = with_web("min_healthy = 1\nautoscale = { min = 1 }");
    check(&t, "{ min = 1 }", "service.autoscale", "capacity up rule");
    let t = with_web(&format!("{cap}\nautoscale = {{ mni = 1 }}"));
    assert!(parse(&t, "s.toml").is_err());
    let s = spec(&with_web(&format!(
        "{cap}\nautoscale = {{ min = 1, scale_out_delay = \"2m\" }}"
    )));
    let a = s.services[0].autoscale.unwrap();
    assert_eq!(a.scale_out_delay, SimDuration::from_mins(2));
    assert_eq!(a.cooldown, SimDuration::from_mins(15));
    assert_eq!(a.target_utilisation, 0.7);
}
