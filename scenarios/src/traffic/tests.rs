//! The request-level format's dependency and fallback keys: what they
//! build, and every mistake located by file, line, column and key.

use models::request::RequestSpec;
use models::spec::ModelSpec;
use sim_core::time::SimDuration;

use crate::parse;

/// A pool with a soft dependency and the client's fallback.
const GOOD: &str = r#"[scenario]
name = "shop"

[simulation]
horizon = "2h"
replications = 4

[traffic]
rate_per_s = 50.0

[pool]
instances = 3
service = "exponential(mean = 20ms)"
dispatch = "round-robin"

[client]
deadline = "1s"
fallback = true

[dependency]
name = "db"
failure = "exponential(mean = 9h)"
repair = "exponential(mean = 1h)"
soft = true
"#;

fn spec(text: &str) -> RequestSpec {
    let scenario = parse(text, "s.toml").unwrap_or_else(|e| panic!("{e}"));
    match scenario.model {
        ModelSpec::Requests(spec) => *spec,
        _ => panic!("not a request-level scenario"),
    }
}

fn err(text: &str) -> String {
    parse(text, "s.toml").unwrap_err().to_string()
}

#[test]
fn a_dependency_and_a_fallback_are_built() {
    let s = spec(GOOD);
    assert!(s.client.fallback);
    let d = s.dependency.as_ref().expect("a dependency");
    assert_eq!(d.name, "db");
    assert!(d.soft);
    assert!((d.failure.mean_hours() - 9.0).abs() < 1e-9);
    assert!((d.repair.mean_hours() - 1.0).abs() < 1e-9);
    assert_eq!(s.client.deadline, Some(SimDuration::from_secs(1)));

    // `soft` defaults to false (hard); a hard dependency needs no
    // fallback, and a fallback needs no dependency.
    let hard = spec(
        &GOOD
            .replace("soft = true\n", "")
            .replace("fallback = true\n", ""),
    );
    let d = hard.dependency.as_ref().expect("a dependency");
    assert!(!d.soft);
    assert!(!hard.client.fallback);
    let alone = spec(GOOD.split("[dependency]").next().unwrap());
    assert!(alone.dependency.is_none());
    assert!(alone.client.fallback);
    // Neither key: as before.
    let plain = spec(
        &GOOD
            .split("[dependency]")
            .next()
            .unwrap()
            .replace("fallback = true\n", ""),
    );
    assert!(plain.dependency.is_none());
    assert!(!plain.client.fallback);
}

#[test]
fn dependency_mistakes_are_located() {
    let cases = [
        (
            GOOD.replace("soft = true", "sof = true"),
            "s.toml:24:1: key `dependency.sof`: unknown field `sof`, expected one of",
        ),
        (
            GOOD.replace("fallback = true", "falback = true"),
            "s.toml:18:1: key `client.falback`: unknown field `falback`",
        ),
        (
            GOOD.replace("fallback = true", "fallback = \"yes\""),
            "s.toml:18:12: key `client.fallback`: invalid type: string \"yes\", expected a boolean",
        ),
        (
            GOOD.replace("fallback = true", "fallback = false"),
            "s.toml:24:8: key `dependency.soft`: a soft dependency needs a degraded answer to give: add `fallback = true` to [client]",
        ),
        (
            GOOD.replace("name = \"db\"", "name = \"instance-2\""),
            "s.toml:21:8: key `dependency.name`: `instance-2` is already the name of one of the pool's instances",
        ),
        (
            GOOD.replace("name = \"db\"", "name = \"shop\""),
            "s.toml:21:8: key `dependency.name`: `shop` is already the name of the scenario",
        ),
        (
            GOOD.replace("name = \"db\"", "name = \" \""),
            "s.toml:21:8: key `dependency.name`: the name is empty",
        ),
        (
            GOOD.replace("mean = 9h)", "mean = 9h"),
            "s.toml:22:11: key `dependency.failure`:",
        ),
        (
            GOOD.replace("exponential(mean = 1h)", "deterministic(0s)"),
            "s.toml:23:10: key `dependency.repair`: the repair time has a mean of zero; expected a positive mean",
        ),
        (
            GOOD.replace("repair = \"exponential(mean = 1h)\"\n", ""),
            "missing field `repair`",
        ),
    ];
    for (text, expected) in cases {
        let e = err(&text);
        assert!(e.contains(expected), "expected `{expected}` in:\n{e}");
    }
}

#[test]
fn every_dependency_mistake_is_reported_at_once() {
    let bad = GOOD
        .replace("name = \"db\"", "name = \"instance-1\"")
        .replace("mean = 9h)", "mean = -9h)")
        .replace("fallback = true", "fallback = false");
    let e = parse(&bad, "s.toml").unwrap_err();
    assert_eq!(e.diagnostics.len(), 3, "{e}");
}
