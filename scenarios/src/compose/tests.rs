//! Composition: extends, templates, assignments and sweeps, and errors
//! located where the user wrote them.

use models::spec::ModelSpec;
use models::system::spec::{SystemSpec, UpRule};

use super::*;

const BASE: &str = r#"[scenario]
name = "base"

[simulation]
replications = 20
seed = 3

[[region]]
name = "east"

[[zone]]
name = "east-a"
region = "east"
racks = 2
hosts_per_rack = 4

[[service]]
name = "web"
instances = 3
min_healthy = 2
cost_per_hour = "0.10/h"

[[service]]
name = "cache"
instances = 2
min_healthy = 1

[entry]
service = "web"
from = "east"

[[fault]]
kind = "host-crash"
targets = "all"
every = "exponential(mean = 1y)"
repair = "exponential(mean = 1h)"
"#;

/// Resolves `base.toml` to [`BASE`] (or to `broken` when given) and
/// anything else through the built-ins.
fn resolver(
    broken: Option<&'static str>,
) -> impl Fn(&str, &str) -> Result<(String, String), String> {
    move |name: &str, from: &str| match name {
        "base.toml" => Ok(("base.toml".into(), broken.unwrap_or(BASE).into())),
        "loop.toml" => Ok(("loop.toml".into(), "extends = \"variant.toml\"\n".into())),
        "variant.toml" => Ok(("variant.toml".into(), "extends = \"loop.toml\"\n".into())),
        _ => builtins_only(name, from),
    }
}

fn system(c: &Composed) -> SystemSpec {
    match c.build().unwrap_or_else(|e| panic!("{e}")).model {
        ModelSpec::System(s) => *s,
        _ => panic!("not a system"),
    }
}

fn compose(text: &str) -> Result<Composed, ScenarioError> {
    Composed::new(text, "variant.toml", &resolver(None))
}

#[test]
fn a_variant_changes_only_what_it_says() {
    let c = compose(
        "extends = \"base.toml\"\n\n[scenario]\nname = \"variant\"\n\n[[service]]\nname = \"web\"\ninstances = 4\n\n[[service]]\nname = \"api\"\ninstances = 2\nmin_healthy = 1\n",
    )
    .unwrap();
    let s = c.build().unwrap();
    assert_eq!(s.name, "variant");
    assert_eq!(s.simulation.replications, 20);
    let ModelSpec::System(sys) = s.model else {
        panic!()
    };
    let names: Vec<&str> = sys.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["web", "cache", "api"]);
    assert_eq!(sys.services[0].instances.len(), 4);
    assert_eq!(sys.services[0].up_rule, UpRule::MinHealthy(2));
    assert!((sys.services[0].cost_per_instance_hour - 0.1).abs() < 1e-12);
    assert_eq!(sys.faults.len(), 1);
}

#[test]
fn a_variant_can_remove_an_element() {
    let c = compose("extends = \"base.toml\"\n\n[[service]]\nname = \"cache\"\nremove = true\n")
        .unwrap();
    assert_eq!(system(&c).services.len(), 1);
    let e = compose("extends = \"base.toml\"\n\n[[service]]\nname = \"cahce\"\nremove = true\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("variant.toml:3:1: key `service.remove`: `remove = true` but the base has no [[service]] named `cahce`"),
        "{e}"
    );
    assert!(e.contains("did you mean `cache`?"), "{e}");
}

#[test]
fn errors_point_at_the_file_that_wrote_them() {
    // In the variant: its own line.
    let e = compose("extends = \"base.toml\"\n\n[[service]]\nname = \"web\"\ninstances = -4\n")
        .unwrap()
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("variant.toml:5:13: key `service.instances`"),
        "{e}"
    );
    assert!(e.contains("5 | instances = -4"), "{e}");
    // In the base: the base's line, whatever the variant added above it.
    let broken = BASE.replace("min_healthy = 2", "min_healthy = 9");
    let broken: &'static str = Box::leak(broken.into_boxed_str());
    let c = Composed::new(
        "extends = \"base.toml\"\n\n[[service]]\nname = \"new\"\ninstances = 1\nmin_healthy = 1\n\n[[service]]\nname = \"web\"\ncost_per_hour = 0.2\n",
        "variant.toml",
        &resolver(Some(broken)),
    )
    .unwrap();
    let e = c.build().unwrap_err().to_string();
    assert!(
        e.starts_with("base.toml:20:15: key `service.min_healthy`"),
        "{e}"
    );
    assert!(e.contains("20 | min_healthy = 9"), "{e}");
    // An unknown key, misspelt in the variant.
    let e = compose("extends = \"base.toml\"\n\n[simulation]\nreplicatons = 5\n")
        .unwrap()
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("variant.toml:4:1: key `simulation.replicatons`"),
        "{e}"
    );
}

#[test]
fn extends_problems_are_located() {
    let e = compose("extends = \"nowhere.toml\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("variant.toml:1:11: key `extends`: cannot read `nowhere.toml`"),
        "{e}"
    );
    let e = compose("extends = 5\n").unwrap_err().to_string();
    assert!(e.contains("expected the base scenario as a string"), "{e}");
    let e = compose("extends = \"loop.toml\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("without a loop"), "{e}");
    // A built-in can be extended by name.
    let c =
        compose("extends = \"builtin:web-n-plus-1\"\n\n[simulation]\nreplications = 7\n").unwrap();
    let s = c.build().unwrap();
    assert_eq!(
        (s.name.as_str(), s.simulation.replications),
        ("web-n-plus-1", 7)
    );
}

#[test]
fn templates_fill_what_elements_leave_out() {
    let text = format!(
        "{BASE}\n[template.small]\ninstances = 2\nmin_healthy = 1\ncost_per_hour = \"0.05/h\"\n\n[[service]]\nname = \"queue\"\ntemplate = \"small\"\n\n[[service]]\nname = \"jobs\"\ntemplate = \"small\"\ninstances = 5\n"
    );
    let c = Composed::new(&text, "t.toml", &builtins_only).unwrap();
    let sys = system(&c);
    assert_eq!(sys.services[2].instances.len(), 2);
    assert_eq!(sys.services[3].instances.len(), 5);
    assert!((sys.services[3].cost_per_instance_hour - 0.05).abs() < 1e-12);
    // A mistake in the template is located in the template, once per use.
    let bad = text.replace("cost_per_hour = \"0.05/h\"", "cost_per_hour = \"cheap\"");
    let e = Composed::new(&bad, "t.toml", &builtins_only)
        .unwrap()
        .build()
        .unwrap_err();
    let line = bad.lines().position(|l| l.contains("\"cheap\"")).unwrap() + 1;
    assert_eq!(e.diagnostics.len(), 2, "{e}");
    assert!(e.diagnostics.iter().all(|d| d.line == Some(line)), "{e}");
    // An unknown template, with a suggestion.
    let e = Composed::new(
        &text.replace(
            "template = \"small\"\ninstances = 5",
            "template = \"smal\"\ninstances = 5",
        ),
        "t.toml",
        &builtins_only,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("unknown template `smal`: expected one of small; did you mean `small`?"),
        "{e}"
    );
}

#[test]
fn assignments_change_values_and_name_themselves_in_errors() {
    let mut c = compose("extends = \"base.toml\"\n").unwrap();
    c.set("service.web.instances=5").unwrap();
    c.set("simulation.horizon=2y").unwrap();
    c.set("fault.host-crash.every=exponential(mean = 3y)")
        .unwrap();
    let s = c.build().unwrap();
    assert_eq!(s.simulation.horizon.as_hours_f64(), 2.0 * 8760.0);
    let ModelSpec::System(sys) = s.model else {
        panic!()
    };
    assert_eq!(sys.services[0].instances.len(), 5);
    // A problem written in the file but caused by a value set beside it
    // on the command line says so; a problem elsewhere does not.
    let mut c = compose("extends = \"base.toml\"\n").unwrap();
    c.set("service.web.instances=1").unwrap();
    c.set("simulation.seed=4").unwrap();
    let e = c.build().unwrap_err().to_string();
    assert!(
        e.starts_with("base.toml:20:15: key `service.min_healthy`"),
        "{e}"
    );
    assert!(
        e.contains("(this table has a value set by --set service.web.instances=1)"),
        "{e}"
    );
    assert!(!e.contains("simulation.seed"), "{e}");
    let mut c = compose("extends = \"base.toml\"\n").unwrap();
    c.set("service.web.instances=-1").unwrap();
    let e = c.build().unwrap_err().to_string();
    assert!(
        e.starts_with("--set service.web.instances=-1: key `service.instances`"),
        "{e}"
    );
    let e = c.set("service.webb.instances=1").unwrap_err().to_string();
    assert!(e.contains("did you mean `web`?"), "{e}");
}

#[test]
fn a_sweep_table_gives_points_that_build() {
    let text = format!(
        "{BASE}\n[sweep]\nmode = \"cross\"\n\n[sweep.parameters]\n\"service.web.instances\" = {{ from = 2, to = 4 }}\n\"simulation.seed\" = [1, 2]\n\n[[sweep.variant]]\nname = \"no-cache\"\nset = {{ \"service.cache.instances\" = 1 }}\n\n[[sweep.variant]]\nname = \"big-cache\"\nset = {{ \"service.cache.instances\" = 4 }}\n"
    );
    let c = Composed::new(&text, "s.toml", &builtins_only).unwrap();
    let sweep = c.sweep().unwrap().clone();
    assert_eq!(sweep.len(), 12);
    let points = sweep.points();
    assert_eq!(points[0].label(), "no-cache, instances=2, seed=1");
    assert_eq!(points[11].label(), "big-cache, instances=4, seed=2");
    let at = c.at_point(&points[11]).unwrap();
    let s = at.build().unwrap();
    assert_eq!(s.simulation.seed, 2);
    let ModelSpec::System(sys) = s.model else {
        panic!()
    };
    assert_eq!(sys.services[0].instances.len(), 4);
    assert_eq!(sys.services[1].instances.len(), 4);
    // The base still builds, and parse() reads past the sweep.
    assert!(c.build().is_ok());
    assert!(crate::parse(&text, "s.toml").is_ok());
}

#[test]
fn sweep_mistakes_are_located() {
    let with = |sweep: &str| format!("{BASE}\n[sweep]\n{sweep}\n");
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let t = with("mode = \"crosss\"\n[sweep.parameters]\n\"service.web.instances\" = [2, 3]");
    let e = Composed::new(&t, "s.toml", &builtins_only)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(&format!(
            "s.toml:{}:1: key `sweep.mode`",
            line_of(&t, "crosss")
        )),
        "{e}"
    );
    let t = with("[sweep.parameters]\n\"service.web.instances\" = { from = 4, to = 2 }");
    let e = Composed::new(&t, "s.toml", &builtins_only)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&format!("s.toml:{}:1", line_of(&t, "from = 4"))) && e.contains("below"),
        "{e}"
    );
    let t = with("paramters = 1");
    let e = Composed::new(&t, "s.toml", &builtins_only)
        .unwrap_err()
        .to_string();
    assert!(e.contains("did you mean `parameters`?"), "{e}");
    let t = with("[sweep.parameters]\n\"service.wbe.instances\" = [2, 3]");
    let c = Composed::new(&t, "s.toml", &builtins_only).unwrap();
    let p = c.sweep().unwrap().points();
    let e = c.at_point(&p[0]).unwrap_err().to_string();
    assert!(
        e.starts_with("sweep point `instances=2`") && e.contains("did you mean `web`?"),
        "{e}"
    );
}

#[test]
fn a_file_past_the_size_limit_is_refused_before_parsing() {
    // Not TOML at all: parsing it would report a syntax error instead.
    let text = "!".repeat(MAX_FILE_BYTES + 1);
    let e = compose(&text).unwrap_err().to_string();
    assert!(
        e.contains("largest scenario file") && e.contains("8 MiB"),
        "{e}"
    );
    // The plain parse refuses it the same way, before reading it.
    let e = crate::parse(&text, "big.toml").unwrap_err().to_string();
    assert!(e.contains("largest scenario file"), "{e}");
}
