//! Scheduled-fault scenarios: the rewrite parses back to exactly the faults
//! asked for, keeps the rest of the file (comments included), and refuses
//! what it cannot rewrite.

use models::spec::ModelSpec;
use models::system::spec::{Effect, Element, FaultSpec, Occurrence, SystemSpec};
use sim_core::dist::Dist;
use sim_core::time::{SimDuration, SimTime};

use super::*;
use crate::{Scenario, SimulationSettings, library, parse};

fn builtin(name: &str) -> &'static str {
    library::find(name).expect("a built-in").source
}

fn h(hours: u64) -> SimDuration {
    SimDuration::from_hours(hours)
}

fn at(d: SimDuration) -> SimTime {
    SimTime::from_duration(d)
}

fn scheduled(
    fault: usize,
    target: Option<&str>,
    start: SimDuration,
    duration: SimDuration,
) -> ScheduledFault {
    ScheduledFault {
        fault,
        target: target.map(str::to_string),
        at: at(start),
        duration,
    }
}

fn system(scenario: &Scenario) -> &SystemSpec {
    match &scenario.model {
        ModelSpec::System(s) => s,
        ModelSpec::KofN(_) | ModelSpec::Requests(_) => panic!("not a system scenario"),
    }
}

fn ok(text: &str) -> Scenario {
    parse(text, "s.toml").unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The scenario with its faults taken out: what a rewrite must not change.
fn without_faults(mut s: Scenario) -> Scenario {
    if let ModelSpec::System(spec) = &mut s.model {
        spec.faults.clear();
    }
    s
}

/// Asserts that `f` happens once at `start` and ends `duration` later,
/// with no detection and no team.
#[track_caller]
fn assert_scheduled(f: &FaultSpec, start: SimDuration, duration: SimDuration) {
    assert_eq!(
        f.occurrence,
        Occurrence::Scheduled {
            first: at(start),
            period: None,
            stagger: SimDuration::ZERO,
        },
        "{}",
        f.name
    );
    assert_eq!(
        f.repair.duration,
        Dist::deterministic(duration),
        "{}",
        f.name
    );
    assert_eq!(f.repair.detection, None, "{}", f.name);
    assert_eq!(f.repair.team, None, "{}", f.name);
}

/// The split-brain case: the partition at 100 h for 10 min, then a crash
/// of the primary's host at 200 h for an hour.
fn split_brain_schedule() -> Vec<ScheduledFault> {
    vec![
        scheduled(0, None, h(100), SimDuration::from_mins(10)),
        scheduled(1, Some("dc-a-r1-h1"), h(200), h(1)),
    ]
}

#[test]
fn split_brain_round_trips() {
    let source = builtin("split-brain");
    let text = with_scheduled_faults(source, "s.toml", &split_brain_schedule(), "").unwrap();
    let original = ok(source);
    let rewritten = ok(&text);
    let spec = system(&rewritten);
    assert_eq!(spec.faults.len(), 2);

    let (partition, crash) = (&spec.faults[0], &spec.faults[1]);
    assert_eq!(partition.name, "partition #1");
    assert_eq!(partition.effect, system(&original).faults[0].effect);
    assert_scheduled(partition, h(100), SimDuration::from_mins(10));

    assert_eq!(crash.name, "host-crash #1");
    let host = spec
        .hosts
        .iter()
        .position(|x| x.name == "dc-a-r1-h1")
        .unwrap();
    assert_eq!(crash.effect, Effect::Down(vec![Element::Host(host)]));
    assert_scheduled(crash, h(200), h(1));

    assert_eq!(without_faults(rewritten), without_faults(original));
}

#[test]
fn comments_and_the_rest_of_the_file_are_kept() {
    let source = builtin("split-brain");
    let header = "Written by nines hunt --shrink.\n\nIt reproduces no-split-brain at t+200h.";
    let text = with_scheduled_faults(source, "s.toml", &split_brain_schedule(), header).unwrap();
    let expected_top =
        "# Written by nines hunt --shrink.\n#\n# It reproduces no-split-brain at t+200h.\n\n";
    assert!(text.starts_with(expected_top), "{text}");
    // Everything before the faults is as written, comments included.
    let before_faults = &source[..source.find("[[fault]]").unwrap()];
    assert!(
        text[expected_top.len()..].starts_with(before_faults),
        "{text}"
    );
    assert!(text.contains("fencing = false                                   # the bug"));
    // The faults' random timing and its comments are gone.
    assert!(!text.contains("every"), "{text}");
    assert!(!text.contains("flaky"), "{text}");
    assert!(
        text.ends_with("at = \"1w1d8h\"\nrepair = \"deterministic(1h)\"\n"),
        "{text}"
    );
}

#[test]
fn simulation_settings_are_set() {
    let source = builtin("split-brain");
    let text = with_scheduled_faults(source, "s.toml", &split_brain_schedule(), "").unwrap();
    let settings = SimulationSettings {
        horizon: h(300),
        warmup: h(1),
        replications: 2,
        seed: 987_654_321,
    };
    let set = set_simulation(&text, "s.toml", &settings).unwrap();
    let s = ok(&set);
    assert_eq!(s.simulation, settings);
    assert_eq!(system(&s).faults.len(), 2);
    assert!(set.contains("[simulation]\nhorizon = \"1w5d12h\"\nreplications = 2\nseed = 987654321\nwarmup = \"1h\"\n"), "{set}");

    // Without a [simulation] table: one is added after [scenario].
    let bare = builtin("split-brain").replace(
        "[simulation]\nhorizon = \"1y\"\nreplications = 200\nseed = 1\n\n",
        "",
    );
    assert!(!bare.contains("[simulation]"));
    let set = set_simulation(&bare, "s.toml", &settings).unwrap();
    assert_eq!(ok(&set).simulation, settings);
    let scenario = set.find("[scenario]").unwrap();
    let simulation = set.find("[simulation]").unwrap();
    let region = set.find("[[region]]").unwrap();
    assert!(scenario < simulation && simulation < region, "{set}");

    // A zero warm-up is left out unless the file gives one.
    let no_warmup = SimulationSettings {
        warmup: SimDuration::ZERO,
        ..settings
    };
    let set = set_simulation(&bare, "s.toml", &no_warmup).unwrap();
    assert!(!set.contains("warmup"), "{set}");
    assert_eq!(ok(&set).simulation, no_warmup);
}

#[test]
fn impossible_simulation_settings_are_refused() {
    let source = builtin("split-brain");
    let good = SimulationSettings {
        horizon: h(300),
        warmup: SimDuration::ZERO,
        replications: 2,
        seed: 1,
    };
    for (bad, key) in [
        (
            SimulationSettings {
                replications: 1,
                ..good
            },
            "simulation.replications",
        ),
        (
            SimulationSettings {
                seed: u64::MAX,
                ..good
            },
            "simulation.seed",
        ),
        (
            SimulationSettings {
                warmup: h(300),
                ..good
            },
            "simulation.warmup",
        ),
        (
            SimulationSettings {
                horizon: SimDuration::ZERO,
                ..good
            },
            "simulation.horizon",
        ),
    ] {
        let err = set_simulation(source, "s.toml", &bad).unwrap_err();
        assert!(
            err.diagnostics
                .iter()
                .any(|d| d.key.as_deref() == Some(key)),
            "{key}: {err}"
        );
    }
}

#[test]
fn durations_are_written_exactly() {
    let source = builtin("split-brain");
    let odd = SimDuration::from_micros(3 * 3_600_000_000 + 1);
    let start = SimDuration::from_micros(8_760 * 3_600_000_000 + 59_999_999);
    let faults = [
        scheduled(0, None, start, odd),
        scheduled(1, Some("dc-b-r1-h1"), SimDuration::ZERO, SimDuration::ZERO),
    ];
    let text = with_scheduled_faults(source, "s.toml", &faults, "").unwrap();
    let s = ok(&text);
    let spec = system(&s);
    assert_scheduled(&spec.faults[0], start, odd);
    // A zero duration is kept: the fault starts and ends at once.
    assert_scheduled(&spec.faults[1], SimDuration::ZERO, SimDuration::ZERO);
    assert!(text.contains("repair = \"deterministic(0s)\""), "{text}");
}

#[test]
fn copies_of_one_fault_are_numbered_and_others_are_dropped() {
    let source = builtin("split-brain");
    let faults = [
        scheduled(1, Some("dc-a-r1-h1"), h(5), h(1)),
        scheduled(1, Some("dc-b-r1-h1"), h(6), h(2)),
        scheduled(1, None, h(7), h(3)),
    ];
    let text = with_scheduled_faults(source, "s.toml", &faults, "").unwrap();
    let s = ok(&text);
    let spec = system(&s);
    let names: Vec<&str> = spec.faults.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["host-crash #1", "host-crash #2", "host-crash #3"]);
    assert_eq!(spec.faults[0].effect, Effect::Down(vec![Element::Host(0)]));
    assert_eq!(spec.faults[1].effect, Effect::Down(vec![Element::Host(1)]));
    // No target: the original's own ("all").
    assert_eq!(
        spec.faults[2].effect,
        Effect::Down(vec![Element::Host(0), Element::Host(1)])
    );
    assert_scheduled(&spec.faults[2], h(7), h(3));
    assert!(!text.contains("kind = \"partition\""), "{text}");

    // No faults at all: no [[fault]] table left.
    let none = with_scheduled_faults(source, "s.toml", &[], "").unwrap();
    assert!(!none.contains("[[fault]]"), "{none}");
    assert!(system(&ok(&none)).faults.is_empty());
}

/// Every fault of the built-in `multi-az` (every kind nines has), each
/// narrowed to the first element it hits, parses back narrowed.
#[test]
fn every_kind_is_narrowed_to_its_target() {
    let source = builtin("multi-az");
    let original = ok(source);
    let spec = system(&original);
    let target = |f: &FaultSpec| -> Option<Element> {
        match &f.effect {
            Effect::Down(t) | Effect::Shock(t) | Effect::Degrade { targets: t, .. } => {
                Some(t[t.len() - 1])
            }
            Effect::Partition { .. } | Effect::Rollout { .. } | Effect::Surge { .. } => None,
        }
    };
    let faults: Vec<ScheduledFault> = spec
        .faults
        .iter()
        .enumerate()
        .map(|(i, f)| ScheduledFault {
            fault: i,
            target: target(f).map(|e| spec.element_name(e)),
            at: at(h(10 + i as u64)),
            duration: SimDuration::from_mins(1 + i as u64),
        })
        .collect();
    let text = with_scheduled_faults(source, "s.toml", &faults, "").unwrap();
    let rewritten = ok(&text);
    let new = system(&rewritten);
    assert_eq!(new.faults.len(), spec.faults.len());
    for (i, (old, new)) in spec.faults.iter().zip(&new.faults).enumerate() {
        let start = h(10 + i as u64);
        let duration = SimDuration::from_mins(1 + i as u64);
        assert_eq!(old.class, new.class);
        assert_eq!(new.name, format!("{} #1", old.name));
        let expected = match (&old.effect, target(old)) {
            (Effect::Down(_), Some(e)) => Effect::Down(vec![e]),
            (Effect::Shock(_), Some(e)) => Effect::Shock(vec![e]),
            (Effect::Degrade { error_fraction, .. }, Some(e)) => Effect::Degrade {
                targets: vec![e],
                error_fraction: *error_fraction,
            },
            (effect, _) => effect.clone(),
        };
        assert_eq!(new.effect, expected, "{}", new.name);
        if let Effect::Rollout { .. } = old.effect {
            // Caught at the end of its span, rolled back at once.
            assert_eq!(new.repair.detection, Some(Dist::deterministic(duration)));
            assert_eq!(new.repair.duration, Dist::deterministic(SimDuration::ZERO));
            assert_eq!(new.repair.team, None);
        } else {
            assert_scheduled(new, start, duration);
        }
    }
    assert_eq!(without_faults(rewritten), without_faults(original));
    // The comments between fault tables, and those on kept keys, stay.
    assert!(text.contains("# --- network ---"), "{text}");
    assert!(text.contains("batch_size = 2                  # instances a batch reaches ..."));
}

#[test]
fn an_index_out_of_range_is_refused() {
    let source = builtin("split-brain");
    let err =
        with_scheduled_faults(source, "s.toml", &[scheduled(2, None, h(1), h(1))], "").unwrap_err();
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    assert!(
        err.to_string()
            .contains("scheduled fault 0 names [[fault]] 2 (counting from 0), and the file has 2"),
        "{err}"
    );
    let kofn = builtin("cluster-2of3");
    let err =
        with_scheduled_faults(kofn, "k.toml", &[scheduled(0, None, h(1), h(1))], "").unwrap_err();
    assert!(err.to_string().contains("the file has none"), "{err}");
}

#[test]
fn a_target_for_a_fault_without_one_is_refused() {
    let source = builtin("split-brain");
    let err = with_scheduled_faults(
        source,
        "s.toml",
        &[scheduled(0, Some("dc-a"), h(1), h(1))],
        "",
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("a partition fault hits no single element"),
        "{err}"
    );
}

#[test]
fn an_unknown_target_is_a_located_error_in_the_result() {
    let source = builtin("split-brain");
    let err = with_scheduled_faults(
        source,
        "s.toml",
        &[scheduled(1, Some("dc-c-r1-h1"), h(1), h(1))],
        "",
    )
    .unwrap_err();
    let e = err.to_string();
    assert!(e.starts_with("s.toml (with scheduled faults):"), "{e}");
    assert!(e.contains("unknown name `dc-c-r1-h1`"), "{e}");
}

#[test]
fn composed_files_are_refused() {
    let extends = "extends = \"builtin:split-brain\"\n\n[scenario]\nname = \"v\"\n";
    let err = with_scheduled_faults(extends, "v.toml", &[], "").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("v.toml:1:1: key `extends`: the file uses `extends`"),
        "{err}"
    );
    let swept = format!(
        "{}\n[sweep.parameters]\n\"simulation.seed\" = [1, 2]\n",
        builtin("split-brain")
    );
    let err = with_scheduled_faults(&swept, "w.toml", &[], "").unwrap_err();
    assert!(
        err.to_string()
            .contains("key `sweep`: the file uses `sweep`"),
        "{err}"
    );
    let templated = format!(
        "{}\n[template.crash]\nkind = \"host-crash\"\n",
        builtin("split-brain")
    );
    let err = with_scheduled_faults(&templated, "t.toml", &[], "").unwrap_err();
    assert!(err.to_string().contains("key `template`"), "{err}");
}

#[test]
fn syntax_errors_are_located() {
    let err = with_scheduled_faults("a = = 1\n", "x.toml", &[], "").unwrap_err();
    assert!(err.to_string().starts_with("x.toml:1:"), "{err}");
    let err = set_simulation(
        "a = = 1\n",
        "x.toml",
        &SimulationSettings {
            horizon: h(1),
            warmup: SimDuration::ZERO,
            replications: 2,
            seed: 1,
        },
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("x.toml:1:"), "{err}");
}

#[test]
fn inline_fault_tables_are_rewritten_too() {
    let source = builtin("split-brain");
    let cut = source.find("[[fault]]").unwrap();
    let inline = format!(
        "fault = [\n  {{ kind = \"partition\", between = [[\"dc-a\"], [\"dc-b\"]], every = \"exponential(mean = 60d)\", repair = \"deterministic(5m)\" }},\n  {{ kind = \"host-crash\", targets = \"all\", every = \"exponential(mean = 1y)\", repair = \"deterministic(1h)\" }},\n]\n\n{}",
        &source[..cut]
    );
    let text = with_scheduled_faults(&inline, "s.toml", &split_brain_schedule(), "").unwrap();
    let rewritten = ok(&text);
    let spec = system(&rewritten);
    let names: Vec<&str> = spec.faults.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["partition #1", "host-crash #1"]);
    assert_scheduled(&spec.faults[1], h(200), h(1));
    assert_eq!(without_faults(rewritten), without_faults(ok(source)));
}

#[test]
fn age_based_maintenance_becomes_a_scheduled_window_that_renews_nothing() {
    // rejuvenation-sweep: fault 0 is aging, fault 1 restarts after uptime
    // (and, with `resets`, names aging, whose copies are renamed).
    let source =
        builtin("rejuvenation-sweep").replace("# resets = [\"aging\"]", "resets = [\"aging\"]");
    let source = source
        .split("[sweep.parameters]")
        .next()
        .unwrap()
        .to_string();
    ok(&source);
    let faults = [
        scheduled(0, Some("dc-1-r1-h1"), h(300), SimDuration::from_mins(30)),
        scheduled(1, Some("dc-1-r1-h1"), h(400), SimDuration::from_mins(2)),
    ];
    let text = with_scheduled_faults(&source, "s.toml", &faults, "shrunk").unwrap();
    let keys = |k: &str| text.lines().any(|l| l.trim_start().starts_with(k));
    assert!(!keys("after_uptime") && !keys("resets"), "{text}");
    let s = ok(&text);
    let spec = system(&s);
    assert_eq!(spec.faults.len(), 2);
    assert_scheduled(&spec.faults[0], h(300), SimDuration::from_mins(30));
    assert_scheduled(&spec.faults[1], h(400), SimDuration::from_mins(2));
    assert!(spec.faults.iter().all(|f| f.resets.is_empty()));
}
