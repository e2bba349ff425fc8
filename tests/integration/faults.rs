//! Every fault class, written in a scenario, shows its effect on the
//! numbers: downtime charged to it, or degraded time for the classes that
//! degrade rather than take down.

use crate::support::{nines_json, run_text};

#[derive(Clone, Copy, Debug)]
enum Effect {
    /// The entry point goes down and the fault is charged for it.
    Downtime,
    /// The entry point stays up but is degraded.
    Degraded,
}

/// Runs the base system with one fault added and checks its effect.
fn check(class: &str, fault: &str, effect: Effect) {
    let base = std::fs::read_to_string(crate::support::fixture("fault-base.toml")).unwrap();
    let v = run_text(
        &format!("{base}\n[[fault]]\nkind = \"{class}\"\n{fault}\n"),
        &[],
    );
    let downtime = v["downtime_minutes_per_year"]["mean"].as_f64().unwrap();
    let degraded = v["degraded_minutes_per_year"]["mean"].as_f64().unwrap();
    let attribution = v["attribution"].as_array().unwrap();
    assert_eq!(attribution.len(), 1, "{class}: {attribution:?}");
    assert_eq!(attribution[0]["class"], class);
    let charged = attribution[0]["downtime_minutes_per_year"]
        .as_f64()
        .unwrap();
    assert!(
        (charged - downtime).abs() <= 1e-6 * downtime.max(1.0),
        "{class}: {charged} != {downtime}"
    );
    assert!(
        attribution[0]["occurrences_per_year"].as_f64().unwrap() > 0.0,
        "{class}: never occurred"
    );
    match effect {
        Effect::Downtime => assert!(downtime > 0.0, "{class}: no downtime"),
        Effect::Degraded => {
            assert_eq!(downtime, 0.0, "{class}: should only degrade");
            assert!(degraded > 0.0, "{class}: no degraded time");
            let requests = v["request_availability"]["mean"].as_f64().unwrap();
            assert!(requests < 1.0, "{class}: every request still served");
        }
    }
}

const OFTEN: &str = "every = \"exponential(mean = 20d)\"\nrepair = \"exponential(mean = 12h)\"";

#[test]
fn the_base_system_without_faults_never_fails() {
    let v = nines_json(&[
        "run",
        &crate::support::fixture("fault-base.toml"),
        "--json",
        "-",
    ]);
    assert_eq!(v["availability"]["zero_downtime_observed"], true);
    assert_eq!(v["attribution"].as_array().unwrap().len(), 0);
    assert!(v["cost_per_year"]["infrastructure"].as_f64().unwrap() > 0.0);
}

#[test]
fn hardware_faults() {
    check(
        "host-crash",
        &format!("targets = \"all\"\n{OFTEN}"),
        Effect::Downtime,
    );
    check(
        "disk-failure",
        &format!("targets = \"all\"\n{OFTEN}"),
        Effect::Downtime,
    );
    check(
        "rack-power",
        &format!("targets = \"all\"\n{OFTEN}"),
        Effect::Downtime,
    );
    check(
        "zone-outage",
        &format!("targets = \"all\"\n{OFTEN}"),
        Effect::Downtime,
    );
    check(
        "region-outage",
        &format!("targets = [\"main\"]\n{OFTEN}"),
        Effect::Downtime,
    );
}

#[test]
fn network_faults() {
    check(
        "link-down",
        &format!("targets = \"all\"\n{OFTEN}"),
        Effect::Downtime,
    );
    check(
        "partition",
        &format!("between = [[\"edge\"], [\"main-a\"]]\n{OFTEN}"),
        Effect::Downtime,
    );
    check(
        "degraded-link",
        &format!("targets = \"all\"\nerror_fraction = \"5%\"\n{OFTEN}"),
        Effect::Degraded,
    );
    check(
        "gray-failure",
        &format!("targets = \"all\"\nerror_fraction = 0.3\n{OFTEN}"),
        Effect::Degraded,
    );
}

#[test]
fn operator_faults() {
    check(
        "bad-deploy",
        "service = \"web\"\nbatch_size = 1\nbatch_interval = \"10m\"\nevery = \"exponential(mean = 20d)\"\ndetection = \"deterministic(30m)\"\nrepair = \"deterministic(10m)\"",
        Effect::Downtime,
    );
    check(
        "misconfiguration",
        &format!("service = \"db\"\n{OFTEN}"),
        Effect::Downtime,
    );
    check(
        "misconfiguration",
        &format!("zones = [\"main-a\"]\n{OFTEN}"),
        Effect::Downtime,
    );
    check(
        "data-deletion",
        &format!("service = \"db\"\n{OFTEN}"),
        Effect::Downtime,
    );
    check(
        "maintenance",
        "targets = \"all\"\nat = \"1d\"\nrepeat = \"30d\"\nrepair = \"deterministic(1h)\"",
        Effect::Downtime,
    );
}

#[test]
fn software_faults() {
    check(
        "crash-bug",
        &format!("service = \"web\"\n{OFTEN}"),
        Effect::Downtime,
    );
    check(
        "aging",
        "service = \"web\"\nevery = \"weibull(shape = 3, scale = 5d)\"\nrepair = \"exponential(mean = 6h)\"",
        Effect::Downtime,
    );
    check(
        "common-cause",
        &format!("targets = \"all\"\n{OFTEN}"),
        Effect::Downtime,
    );
}

#[test]
fn rolling_maintenance_is_harmless_where_all_at_once_is_not() {
    let base = std::fs::read_to_string(crate::support::fixture("fault-base.toml")).unwrap();
    let run = |stagger: &str| {
        let fault = format!(
            "\n[[fault]]\nkind = \"maintenance\"\nservice = \"web\"\nat = \"1d\"\nrepeat = \"30d\"\nstagger = \"{stagger}\"\nrepair = \"deterministic(1h)\"\n"
        );
        let v = run_text(&format!("{base}{fault}"), &[]);
        v["downtime_minutes_per_year"]["mean"].as_f64().unwrap()
    };
    assert_eq!(run("2h"), 0.0, "one web host at a time keeps 3 of 4");
    // All four at once: 1 h down every 30 days, about 12 h a year.
    let all = run("0s");
    assert!((all - 60.0 * 1.0 * 13.0).abs() < 61.0, "{all}");
}
