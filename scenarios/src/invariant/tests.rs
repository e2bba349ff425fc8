//! `[[invariant]]` and `scenario.slo_window`: what each key builds, and
//! every mistake located by file, line, column and key.

use models::invariant::{InvariantSpec, Limit};
use sim_core::time::SimDuration;

use super::DEFAULT_SLO_WINDOW;
use crate::{Scenario, library, parse};

/// A built-in system with active-passive failover and async replication.
fn system() -> &'static str {
    library::find("split-brain").expect("a built-in").source
}

fn kofn() -> &'static str {
    library::find("cluster-2of3").expect("a built-in").source
}

fn requests() -> &'static str {
    library::find("retry-storm").expect("a built-in").source
}

/// `base` with `tables` appended.
fn with(base: &str, tables: &str) -> String {
    format!("{base}\n{tables}")
}

fn ok(text: &str) -> Scenario {
    parse(text, "s.toml").unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn d(text: &str) -> SimDuration {
    text.parse().expect("a duration")
}

fn threshold(name: &str, limit: Limit) -> InvariantSpec {
    InvariantSpec::Threshold {
        name: name.into(),
        limit,
    }
}

/// The 1-based line and column of the `nth` occurrence of `marker`.
fn place(text: &str, marker: &str, nth: usize) -> (usize, usize) {
    let offset = text
        .match_indices(marker)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{marker}` occurs fewer than {} times", nth + 1))
        .0;
    let line = text[..offset].matches('\n').count() + 1;
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..offset].chars().count() + 1)
}

/// Asserts that `text` fails with a diagnostic at the `nth` occurrence of
/// `marker`, for `key`, whose message contains `needle`.
#[track_caller]
fn check_nth(text: &str, marker: &str, nth: usize, key: &str, needle: &str) {
    let (line, column) = place(text, marker, nth);
    let err = parse(text, "s.toml").expect_err("expected an error");
    let prefix = format!("s.toml:{line}:{column}: key `{key}`: ");
    let rendered = err.to_string();
    assert!(
        rendered
            .lines()
            .any(|l| l.starts_with(&prefix) && l.contains(needle)),
        "expected `{prefix}...{needle}...` in:\n{rendered}"
    );
}

#[track_caller]
fn check(text: &str, marker: &str, key: &str, needle: &str) {
    check_nth(text, marker, 0, key, needle);
}

#[test]
fn every_limit_builds_in_file_order() {
    let s = ok(&with(
        system(),
        r#"
[[invariant]]
name = "short-outages"
outage_max = "30min"

[[invariant]]
name = "monthly-downtime"
downtime_max = "2h"
window = "30d"

[[invariant]]
name = "no-loss"
lost_writes_max = 0

[[invariant]]
name = "brief-split"
split_brain_max = "1m"

[[invariant]]
name = "few-failovers"
failovers_max = 3
"#,
    ));
    assert_eq!(
        s.invariants,
        [
            threshold("short-outages", Limit::OutageMax(d("30m"))),
            threshold(
                "monthly-downtime",
                Limit::DowntimeMax {
                    max: d("2h"),
                    window: d("30d")
                }
            ),
            threshold("no-loss", Limit::LostWritesMax(0)),
            threshold("brief-split", Limit::SplitBrainMax(d("1m"))),
            threshold("few-failovers", Limit::FailoversMax(3)),
        ]
    );
}

#[test]
fn none_by_default_and_the_slo_window_defaults_to_30_days() {
    for base in [system(), kofn(), requests()] {
        let s = ok(base);
        assert!(s.invariants.is_empty());
        assert_eq!(s.slo_window, DEFAULT_SLO_WINDOW);
    }
    assert_eq!(DEFAULT_SLO_WINDOW, d("30d"));
}

#[test]
fn slo_window_sets_the_window() {
    let text = system().replace(
        "[scenario]\n",
        "[scenario]\nslo = \"99.9%\"\nslo_window = \"7d\"\n",
    );
    let s = ok(&text);
    assert!(s.slo.is_some_and(|x| (x - 0.999).abs() < 1e-12));
    assert_eq!(s.slo_window, d("7d"));
    // Longer than the run: allowed (the whole run).
    let long = text.replace("\"7d\"", "\"10y\"");
    assert_eq!(ok(&long).slo_window, d("10y"));
}

#[test]
fn slo_window_needs_slo() {
    let text = system().replace("[scenario]\n", "[scenario]\nslo_window = \"7d\"\n");
    check(&text, "\"7d\"", "scenario.slo_window", "expected `slo` too");
}

#[test]
fn slo_window_must_be_a_positive_duration() {
    let base = "[scenario]\nslo = \"99.9%\"\nslo_window = \"0s\"\n";
    let text = system().replace("[scenario]\n", base);
    check(&text, "\"0s\"", "scenario.slo_window", "the window is zero");
    let text = system().replace("[scenario]\n", &base.replace("0s", "7 parsecs"));
    check(
        &text,
        "\"7 parsecs\"",
        "scenario.slo_window",
        "unknown unit",
    );
}

#[test]
fn outage_and_downtime_limits_apply_to_every_format() {
    let tables = "[[invariant]]\nname = \"short\"\noutage_max = \"1h\"\n\n[[invariant]]\nname = \"budget\"\ndowntime_max = \"1h\"\nwindow = \"1d\"\n";
    for base in [kofn(), requests()] {
        assert_eq!(ok(&with(base, tables)).invariants.len(), 2);
    }
}

#[test]
fn system_limits_are_refused_elsewhere() {
    for (base, what) in [(kofn(), "k-of-n"), (requests(), "request-level")] {
        for (key, value) in [
            ("lost_writes_max", "41"),
            ("split_brain_max", "\"41m\""),
            ("failovers_max", "41"),
        ] {
            let text = with(
                base,
                &format!("[[invariant]]\nname = \"x\"\n{key} = {value}\n"),
            );
            check(
                &text,
                &format!("{value}\n"),
                &format!("invariant[0].{key}"),
                &format!("this is a {what} scenario"),
            );
        }
    }
}

#[test]
fn name_is_required() {
    let text = with(system(), "[[invariant]]\noutage_max = \"1h\"\n");
    check(&text, "[[invariant]]", "invariant[0].name", "has no `name`");
}

#[test]
fn names_are_not_empty() {
    let text = with(
        system(),
        "[[invariant]]\nname = \" \"\noutage_max = \"1h\"\n",
    );
    check(&text, "\" \"", "invariant[0].name", "the name is empty");
}

#[test]
fn names_are_unique() {
    let table = "[[invariant]]\nname = \"short\"\noutage_max = \"1h\"\n";
    let text = with(system(), &format!("{table}\n{table}"));
    check_nth(
        &text,
        "\"short\"",
        1,
        "invariant[1].name",
        "two invariants are named `short`",
    );
}

#[test]
fn builtin_names_are_taken() {
    for name in super::BUILTIN_NAMES {
        let text = with(
            system(),
            &format!("[[invariant]]\nname = \"{name}\"\noutage_max = \"1h\"\n"),
        );
        check(
            &text,
            &format!("\"{name}\"\noutage"),
            "invariant[0].name",
            "is the name of a built-in invariant",
        );
    }
}

#[test]
fn exactly_one_limit() {
    let text = with(
        system(),
        "[[invariant]]\nname = \"x\"\noutage_max = \"1h\"\nfailovers_max = 37\n",
    );
    check(
        &text,
        "37",
        "invariant[0].failovers_max",
        "both `outage_max` and `failovers_max` are given",
    );
    let none = with(system(), "[[invariant]]\nname = \"x\"\n");
    check(&none, "[[invariant]]", "invariant[0]", "sets no limit");
}

#[test]
fn window_goes_with_downtime_max() {
    let text = with(
        system(),
        "[[invariant]]\nname = \"x\"\noutage_max = \"1h\"\nwindow = \"30d\"\n",
    );
    check(
        &text,
        "\"30d\"",
        "invariant[0].window",
        "belongs with `downtime_max`",
    );
    let alone = with(system(), "[[invariant]]\nname = \"x\"\nwindow = \"30d\"\n");
    check(
        &alone,
        "\"30d\"",
        "invariant[0].window",
        "belongs with `downtime_max`",
    );
    let missing = with(
        system(),
        "[[invariant]]\nname = \"x\"\ndowntime_max = \"1h\"\n",
    );
    check(
        &missing,
        "\"1h\"",
        "invariant[0].downtime_max",
        "needs `window`",
    );
}

#[test]
fn downtime_max_is_shorter_than_its_window() {
    let text = with(
        system(),
        "[[invariant]]\nname = \"x\"\ndowntime_max = \"2d\"\nwindow = \"1d\"\n",
    );
    check(
        &text,
        "\"2d\"",
        "invariant[0].downtime_max",
        "could never be exceeded",
    );
    let zero = text.replace("\"1d\"", "\"0s\"");
    check(&zero, "\"0s\"", "invariant[0].window", "the window is zero");
}

#[test]
fn counts_are_not_negative() {
    for key in ["lost_writes_max", "failovers_max"] {
        let text = with(
            system(),
            &format!("[[invariant]]\nname = \"x\"\n{key} = -1\n"),
        );
        check(&text, "-1", &format!("invariant[0].{key}"), "out of range");
    }
}

#[test]
fn bad_durations_are_located() {
    let text = with(
        system(),
        "[[invariant]]\nname = \"x\"\nsplit_brain_max = \"1 fortnight\"\n",
    );
    check(
        &text,
        "\"1 fortnight\"",
        "invariant[0].split_brain_max",
        "unknown unit",
    );
}

#[test]
fn unknown_keys_get_a_suggestion() {
    let text = with(
        system(),
        "[[invariant]]\nname = \"x\"\noutage_mx = \"1h\"\n",
    );
    check(
        &text,
        "outage_mx",
        "invariant.outage_mx",
        "unknown field `outage_mx`",
    );
    let err = parse(&text, "s.toml").unwrap_err().to_string();
    assert!(err.contains("did you mean `outage_max`?"), "{err}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = with(
        system(),
        "[[invariant]]\noutage_max = \"1h\"\n\n[[invariant]]\nname = \"slo\"\nwindow = \"1d\"\noutage_max = \"1h\"\n\n[[invariant]]\nname = \"y\"\nfailovers_max = -3\n",
    );
    let err = parse(&text, "s.toml").unwrap_err();
    assert_eq!(err.diagnostics.len(), 4, "{err}");
}

#[test]
fn invariants_merge_by_name_in_a_variant() {
    let base = with(
        system(),
        "[[invariant]]\nname = \"short\"\noutage_max = \"1h\"\n",
    );
    let variant =
        "extends = \"base.toml\"\n\n[[invariant]]\nname = \"short\"\noutage_max = \"10m\"\n";
    let resolve = |_: &str, _: &str| Ok(("base.toml".to_string(), base.clone()));
    let s = crate::compose::Composed::new(variant, "v.toml", &resolve)
        .and_then(|c| c.build())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.invariants,
        [threshold("short", Limit::OutageMax(d("10m")))]
    );
}
