//! The schema against the files nines reads: every built-in and documented
//! example validates, typical mistakes do not, and every key is described.

mod validate;

use serde_json::Value;

use super::{ELEMENTS, FORMATS, PARTIAL, json_schema};
use crate::library::{self, BUILTINS};

/// The schema, its vocabulary checked: what the tests validate against.
fn validator() -> Value {
    let schema = json_schema();
    validate::check_vocabulary(&schema, &schema);
    schema
}

/// The schema's complaints about `text`.
fn problems(schema: &Value, text: &str) -> Vec<String> {
    let instance: Value = toml::from_str(text).unwrap_or_else(|e| panic!("not TOML: {e}\n{text}"));
    let mut out = Vec::new();
    validate::check(schema, schema, &instance, "", &mut out);
    out
}

/// Asserts that `text` validates.
fn accepts(validator: &Value, text: &str, what: &str) {
    let p = problems(validator, text);
    assert!(p.is_empty(), "{what}: {p:#?}");
}

/// Asserts that `text` does not validate.
fn rejects(validator: &Value, text: &str, what: &str) {
    assert!(
        !problems(validator, text).is_empty(),
        "{what} passes the schema:\n{text}"
    );
}

/// A built-in scenario's text with `from` replaced by `to` (once, at least).
fn builtin_with(name: &str, from: &str, to: &str) -> String {
    let source = library::find(name).expect("a built-in").source;
    assert!(source.contains(from), "{name} has no `{from}`");
    source.replacen(from, to, 1)
}

#[test]
fn the_schema_is_a_draft_07_object() {
    let schema = validator();
    assert!(schema.is_object());
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["anyOf"].as_array().map(Vec::len), Some(4));
}

#[test]
fn it_names_every_top_level_key_of_each_format() {
    let schema = json_schema();
    let composition = ["extends", "template", "sweep"];
    for (format, keys) in [
        (
            "KofNScenario",
            &[
                "scenario",
                "simulation",
                "component",
                "service",
                "invariant",
            ][..],
        ),
        (
            "SystemScenario",
            &[
                "scenario",
                "simulation",
                "region",
                "zone",
                "link",
                "network",
                "service",
                "entry",
                "cost",
                "team",
                "fault",
                "load",
                "invariant",
            ],
        ),
        (
            "RequestScenario",
            &[
                "scenario",
                "simulation",
                "traffic",
                "pool",
                "client",
                "dependency",
                "invariant",
            ],
        ),
    ] {
        let props = schema["definitions"][format]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no properties for {format}"));
        let mut expected: Vec<&str> = keys.iter().chain(&composition).copied().collect();
        expected.sort_unstable();
        let named: Vec<&str> = props.keys().map(String::as_str).collect();
        assert_eq!(named, expected, "{format}");
        assert_eq!(schema["definitions"][format]["additionalProperties"], false);
    }
}

#[test]
fn every_builtin_validates() {
    let v = validator();
    for b in BUILTINS {
        accepts(&v, b.source, b.name);
    }
}

/// The same blocks as `documented_examples_parse` in the crate root: a
/// ```` ```toml ```` block is a whole scenario, a ```` ```toml fragment ````
/// block is appended to the last whole one.
#[test]
fn documented_examples_validate() {
    let v = validator();
    for (doc, text) in [
        ("scenarios/README.md", include_str!("../../README.md")),
        ("README.md", include_str!("../../../README.md")),
    ] {
        let mut whole = None;
        for block in text.split("```toml").skip(1) {
            let (info, rest) = block.split_once('\n').expect("a block");
            let body = rest.split("```").next().expect("a closed block");
            match info.trim() {
                "fragment" => {
                    let base = whole.expect("a fragment after a whole example");
                    accepts(&v, &format!("{base}\n{body}"), doc);
                }
                _ => {
                    accepts(&v, body, doc);
                    whole = Some(body);
                }
            }
        }
    }
}

#[test]
fn typical_mistakes_are_rejected() {
    let v = validator();
    for (name, from, to) in [
        ("cluster-2of3", "min_up = 2", "min_upp = 2"),
        ("cluster-2of3", "count = 3", "count = \"three\""),
        ("cluster-2of3", "[scenario]", "[scenarioo]"),
        (
            "cluster-2of3",
            "min_up = 2",
            "min_up = 2\nwhile_down = \"sleep\"",
        ),
        ("multi-az", "kind = \"host-crash\"", "kind = \"host-crush\""),
        ("multi-az", "region = \"us-east\"", "regoin = \"us-east\""),
        ("multi-az", "crews = 2", "crews = \"two\""),
        ("multi-az", "[entry]", "[entryy]"),
        (
            "multi-az",
            "error_fraction = \"2%\"",
            "error_fraction = \"2\"",
        ),
        ("multi-az", "targets = \"all\"", "targets = 3"),
        (
            "db-active-passive",
            "replication = \"async\"",
            "replication = \"asink\"",
        ),
        (
            "retry-storm",
            "dispatch = \"least-connections\"",
            "dispatch = \"fastest\"",
        ),
        ("retry-storm", "[pool]", "[pool]\nspeed = 3"),
        (
            "backup-interval-sweep",
            "backup_retain = 7",
            "backup_retain = 0",
        ),
        (
            "backup-interval-sweep",
            "backup_run_cost = 2.0",
            "backup_run_cost = -2.0",
        ),
        (
            "backup-interval-sweep",
            "per_incident = 150.0",
            "per_incident = 150.0\nsla_credits = [{ below = \"99.9%\" }]",
        ),
        (
            "backup-interval-sweep",
            "per_incident = 150.0",
            "per_incident = 150.0\nsla_credit = []",
        ),
        (
            "backup-interval-sweep",
            "writes_per_s = 50,",
            "writes_per_s = 50, write_size = \"4 kilobytes\",",
        ),
        (
            "backup-interval-sweep",
            "repair_cost = 300.0",
            "repair_cost = \"300\"",
        ),
    ] {
        rejects(&v, &builtin_with(name, from, to), &format!("{name}: {to}"));
    }
    // A system without zones, and a k-of-n file with a system key.
    let no_zones = "[scenario]\nname = \"x\"\n[[region]]\nname = \"r\"\n[[service]]\nname = \"s\"\ninstances = 1\nmin_healthy = 1\n[entry]\nservice = \"s\"\nfrom = \"r\"\n";
    rejects(&v, no_zones, "a system without zones");
    let mixed = format!(
        "{}\n[[region]]\nname = \"r\"\n",
        library::find("cluster-2of3").expect("a built-in").source
    );
    rejects(&v, &mixed, "a k-of-n file with a region");
    let suspended = builtin_with(
        "cluster-2of3",
        "min_up = 2",
        "min_up = 2\nwhile_down = \"suspend\"",
    );
    accepts(&v, &suspended, "while_down = suspend");
}

#[test]
fn templates_sweeps_and_extends_validate() {
    let v = validator();
    let base = library::find("web-n-plus-1").expect("a built-in").source;
    // Templates: an element naming one need not repeat its keys.
    let templated = format!(
        "{base}\n[template.small]\ninstances = 2\nmin_healthy = 1\n\n[[service]]\nname = \"queue\"\ntemplate = \"small\"\n\n[template.crash]\nkind = \"host-crash\"\nevery = \"exponential(mean = 2y)\"\nrepair = \"deterministic(5m)\"\n\n[[fault]]\nname = \"queue crash\"\ntemplate = \"crash\"\nservice = \"queue\"\n"
    );
    accepts(&v, &templated, "templates");
    rejects(
        &v,
        &templated.replace("instances = 2\n", "instancez = 2\n"),
        "a misspelt key in a template",
    );
    // A sweep: lists, ranges, dotted keys and variants.
    let swept = format!(
        "{base}\n[sweep]\nmode = \"zip\"\n\n[sweep.parameters]\n\"service.web.instances\" = {{ from = 3, to = 5 }}\n\"simulation.horizon\" = [\"1y\", \"2y\", \"3y\"]\nservice.web.min_healthy = [1, 2, 2]\n\n[[sweep.variant]]\nname = \"big\"\nset = {{ \"service.web.instances\" = 6 }}\n"
    );
    accepts(&v, &swept, "a sweep");
    rejects(
        &v,
        &swept.replace("mode = \"zip\"", "mode = \"zipp\""),
        "a bad mode",
    );
    rejects(&v, &swept.replace("to = 5 ", ""), "a range without `to`");
    rejects(
        &v,
        &swept.replace("set = {", "sett = {"),
        "a variant without `set`",
    );
    rejects(
        &v,
        &swept.replace("[sweep]\n", "[sweep]\npoints = 3\n"),
        "an unknown sweep key",
    );
    // A variant: nothing required, elements merged by name or removed.
    let variant = "extends = \"builtin:multi-az\"\n\n[scenario]\nname = \"multi-az-lean\"\n\n[[service]]\nname = \"web\"\ninstances = 10\n\n[[service]]\nname = \"recs\"\nremove = true\n\n[[fault]]\nkind = \"aging\"\nremove = true\n";
    accepts(&v, variant, "a variant");
    rejects(
        &v,
        &variant.replace("instances = 10", "instancez = 10"),
        "a variant with a misspelt key",
    );
    rejects(
        &v,
        &format!("{base}\n[[region]]\nname = \"west\"\nremove = true\n"),
        "`remove` in a file that extends nothing",
    );
    rejects(&v, "extends = 3\n", "a non-string `extends`");
}

/// Every key of every definition says what it means, on itself or on the
/// definition it refers to.
#[test]
fn every_key_is_described() {
    let schema = json_schema();
    let defs = schema["definitions"].as_object().expect("definitions");
    let described = |s: &Value| {
        let target = s["$ref"]
            .as_str()
            .or_else(|| s["allOf"][0]["$ref"].as_str())
            .and_then(|r| r.strip_prefix("#/definitions/"));
        s["description"].is_string() || target.is_some_and(|t| defs[t]["description"].is_string())
    };
    let mut count = 0;
    for (name, def) in defs {
        assert!(described(def), "definition {name} has no description");
        for (key, prop) in def["properties"].as_object().into_iter().flatten() {
            assert!(described(prop), "{name}.{key} has no description");
            count += 1;
        }
    }
    assert!(count > 200, "only {count} keys");
}

/// Elements may name a template; partial elements may also be removed.
#[test]
fn elements_take_template_and_partial_ones_remove() {
    let schema = json_schema();
    for e in ELEMENTS {
        let def = &schema["definitions"][e];
        assert!(def["properties"]["template"].is_object(), "{e}");
        assert!(def["properties"]["remove"].is_null(), "{e}");
        assert!(def["required"].is_null(), "{e}: required moved into anyOf");
        let partial = &schema["definitions"][format!("{PARTIAL}{e}")];
        assert!(partial["properties"]["remove"].is_object(), "{e}");
        assert!(partial["required"].is_null() && partial["anyOf"].is_null());
    }
    for f in FORMATS {
        assert!(schema["definitions"][f]["required"].is_array(), "{f}");
        assert!(schema["definitions"][format!("{PARTIAL}{f}")]["required"].is_null());
    }
}

/// The named values the schema lists are the ones the builder accepts.
#[test]
fn listed_values_are_accepted_by_nines() {
    let schema = json_schema();
    let listed = |def: &str| -> Vec<String> {
        schema["definitions"][def]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{def} lists no values"))
            .iter()
            .map(|v| v.as_str().expect("a string").to_string())
            .collect()
    };
    let parses = |text: &str, what: &str| {
        crate::parse(text, what).unwrap_or_else(|e| panic!("{what}: {e}"));
    };
    for d in listed("Dispatch") {
        let text = builtin_with(
            "retry-storm",
            "dispatch = \"least-connections\"",
            &format!("dispatch = \"{d}\""),
        );
        parses(&text, &d);
    }
    for p in listed("Placement") {
        let text = builtin_with(
            "web-n-plus-1",
            "placement = \"spread\"",
            &format!("placement = \"{p}\""),
        );
        parses(&text, &p);
    }
    for r in listed("Replication") {
        let companion = match r.as_str() {
            "async" => ", lag = \"exponential(mean = 1s)\"",
            "batch" => ", ship_every = \"1m\"",
            _ => "",
        };
        let text = builtin_with(
            "db-sync-vs-async",
            "replication = \"sync\"",
            &format!("replication = \"{r}\"{companion}"),
        );
        parses(&text, &r);
    }
    assert_eq!(
        listed("FaultKind").len(),
        models::system::spec::FaultClass::ALL.len()
    );
}

/// `[[invariant]]` tables and `slo_window` in every format; misspelt keys
/// and wrong types rejected.
#[test]
fn invariants_and_the_slo_window_validate() {
    let v = validator();
    let invariant = "\n[[invariant]]\nname = \"short\"\noutage_max = \"30min\"\n";
    for name in ["cluster-2of3", "split-brain", "retry-storm"] {
        let text = builtin_with(
            name,
            "[scenario]\n",
            "[scenario]\nslo = \"99.9%\"\nslo_window = \"7d\"\n",
        );
        accepts(&v, &format!("{text}{invariant}"), name);
        rejects(
            &v,
            &format!("{text}{}", invariant.replace("outage_max", "outage_mx")),
            name,
        );
    }
    let source = library::find("split-brain").expect("a built-in").source;
    rejects(
        &v,
        &format!("{source}\n[[invariant]]\nname = \"x\"\nfailovers_max = \"three\"\n"),
        "a count as text",
    );
    rejects(
        &v,
        &format!("{source}\n[[invariant]]\noutage_max = \"1h\"\n"),
        "an invariant without a name",
    );
}

#[test]
fn ranges_are_the_ones_nines_checks() {
    let v = validator();
    // (built-in, text, a value at the edge nines accepts, one past it).
    for (name, from, edge, past) in [
        ("multi-az", "crews = 2", "crews = 10000", "crews = 10001"),
        ("multi-az", "crews = 2", "crews = 1", "crews = 0"),
        (
            "multi-az",
            "instances = 12",
            "instances = 10000",
            "instances = 10001",
        ),
        (
            "cluster-2of3",
            "count = 3",
            "count = 100000",
            "count = 100001",
        ),
        (
            "cluster-2of3",
            "replications = 200",
            "replications = 2",
            "replications = 1",
        ),
        ("cluster-2of3", "seed = 1", "seed = 0", "seed = -1"),
        (
            "retry-storm",
            "instances = ",
            "instances = 100000 #",
            "instances = 100001 #",
        ),
        (
            "multi-az",
            "downtime_per_minute = 100.0",
            "downtime_per_minute = 0",
            "downtime_per_minute = -1",
        ),
        (
            "backup-interval-sweep",
            "backup_retain = 7",
            "backup_retain = 100000",
            "backup_retain = 100001",
        ),
        (
            "backup-interval-sweep",
            "per_incident = 150.0",
            "per_incident = 0",
            "per_incident = -1",
        ),
    ] {
        let edge_text = builtin_with(name, from, edge);
        let past_text = builtin_with(name, from, past);
        accepts(&v, &edge_text, &format!("{name}: {edge}"));
        rejects(&v, &past_text, &format!("{name}: {past}"));
        // nines agrees: the value past the edge is refused where it stands.
        let e = crate::parse(&past_text, name).expect_err(past);
        let key = past.split(' ').next().unwrap();
        assert!(e.to_string().contains(key), "{past}: {e}");
    }
}

#[test]
fn durations_distributions_and_rates_have_patterns_as_loose_as_their_parsers() {
    use sim_core::time::SimDuration;

    use super::patterns;
    use validate::matches;

    let duration = patterns::duration();
    for good in [
        "250ms", "1.5h", "1h30m", "2d 12h", " 90s ", "1_000h", "3us", "10min", "1y", ".5h",
    ] {
        assert!(good.parse::<SimDuration>().is_ok(), "{good}");
        assert!(matches(&duration, good), "{good} does not match {duration}");
    }
    for bad in ["4 hours", "h", "-1h", "1.5", "", "1h 30", "forever"] {
        assert!(bad.parse::<SimDuration>().is_err(), "{bad}");
        assert!(!matches(&duration, bad), "{bad} matches {duration}");
    }
    // Whatever the pattern admits, the parser reads (short of overflow).
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let unanchored = duration.trim_start_matches('^').trim_end_matches('$');
    let strategy = proptest::string::string_regex(unanchored).unwrap();
    for _ in 0..2000 {
        let text = proptest::strategy::ValueTree::current(
            &proptest::strategy::Strategy::new_tree(&strategy, &mut runner).unwrap(),
        );
        match text.parse::<SimDuration>() {
            Ok(_) | Err(sim_core::time::DurationError::Overflow(_)) => {}
            Err(e) => panic!("`{text}` matches the pattern but: {e}"),
        }
    }
    // Every duration nines prints reads back through the pattern.
    for micros in [
        1,
        999,
        1_000_000,
        5_400_000_000,
        31_536_000_000_000,
        47_304_000_000_000,
    ] {
        let d = SimDuration::from_micros(micros);
        for text in [d.to_string(), d.compact()] {
            assert!(matches(&duration, &text), "{text}");
        }
    }

    let distribution = patterns::distribution();
    for good in [
        "exponential(mean = 1000h)",
        "Weibull(shape = 2, scale = 1h)",
        "deterministic(10h)",
    ] {
        assert!(good.parse::<sim_core::dist::Dist>().is_ok(), "{good}");
        assert!(matches(&distribution, good), "{good}");
    }
    for bad in ["1000h", "exponential", "mean = 1h"] {
        assert!(bad.parse::<sim_core::dist::Dist>().is_err(), "{bad}");
        assert!(!matches(&distribution, bad), "{bad}");
    }

    let per_time = patterns::per_time();
    for good in [
        "500/s",
        "1.8M/h",
        "90/30d",
        "0.12/h",
        "2.88 / d",
        "30000/min",
        "1e3/h",
    ] {
        assert!(
            crate::system_build::parse_per(good, 1.0, "x").is_ok(),
            "{good}"
        );
        assert!(matches(&per_time, good), "{good}");
    }
    let size = patterns::size();
    for good in ["4KB", "4kB", "1.5 MB", "64KiB", "1e3B", ".5GB", " 2 MiB "] {
        assert!(crate::system_build::parse_size(good).is_ok(), "{good}");
        assert!(matches(&size, good), "{good}");
    }
    for bad in ["4", "KB", "4 kb", "-4KB", "four KB", "4XB"] {
        assert!(crate::system_build::parse_size(bad).is_err(), "{bad}");
        assert!(!matches(&size, bad), "{bad}");
    }
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let unanchored = size.trim_start_matches('^').trim_end_matches('$');
    let strategy = proptest::string::string_regex(unanchored).unwrap();
    for _ in 0..2000 {
        let text = proptest::strategy::ValueTree::current(
            &proptest::strategy::Strategy::new_tree(&strategy, &mut runner).unwrap(),
        );
        // Short of overflow, as for durations.
        match crate::system_build::parse_size(&text) {
            Ok(_) => {}
            Err(e) if e.contains("too large") => {}
            Err(e) => panic!("`{text}` matches the size pattern but: {e}"),
        }
    }

    for bad in ["500", "500/", "/h", "ten/h", "5/0x"] {
        assert!(
            crate::system_build::parse_per(bad, 1.0, "x").is_err(),
            "{bad}"
        );
        assert!(!matches(&per_time, bad), "{bad}");
    }
}

/// The health checks' false failures, checkers and check cost validate;
/// out of range or misspelt, they do not.
#[test]
fn health_check_false_failures_and_load_validate() {
    let v = validator();
    let from = "healthy_threshold = 2 ";
    let with = |extra: &str| builtin_with("lb-health-checks", from, &format!("{from}\n{extra}\n"));
    accepts(
        &v,
        &with("false_failure = \"0.5%\"\ncheckers = 3\ncheck_cost = 1.5"),
        "all three keys",
    );
    accepts(&v, &with("false_failure = 0.005"), "a plain number");
    rejects(&v, &with("checkers = 0"), "no checkers");
    rejects(&v, &with("checkers = 1001"), "too many checkers");
    rejects(&v, &with("check_cost = -1"), "a negative cost");
    rejects(&v, &with("false_falure = 0.01"), "a misspelt key");
}

#[test]
fn renewing_maintenance_keys_validate_and_their_mistakes_do_not() {
    let v = validator();
    let after = "after_uptime = \"10d\"";
    for to in [
        "after_uptime = \"10d\"\nresets = \"none\"",
        "after_uptime = \"10d\"\nresets = \"aging\"",
        "after_uptime = \"10d\"\nresets = [\"aging\"]",
    ] {
        let text = builtin_with("rejuvenation-sweep", after, to);
        accepts(&v, &text, to);
    }
    for to in [
        "after_uptime = 10",
        "after_uptime = \"10d\"\nreset = [\"aging\"]",
        "after_uptime = \"10d\"\nresets = 3",
        "after_uptime = \"10d\"\nafter_up = \"10d\"",
    ] {
        let text = builtin_with("rejuvenation-sweep", after, to);
        rejects(&v, &text, to);
    }
    let defs = &json_schema()["definitions"]["Fault"]["properties"];
    for key in ["after_uptime", "resets"] {
        let d = defs[key]["description"].as_str().unwrap_or_default();
        assert!(d.contains("maintenance"), "{key}: {d:?}");
    }
}
