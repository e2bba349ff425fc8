//! The JSON Schema of scenario files, for editors that complete and check
//! TOML against a schema (Even Better TOML / Taplo, JetBrains IDEs).
//!
//! The schema is generated from the file types (`file`, `system_file`,
//! `traffic`) with `schemars`, so it follows them: a key added to a type
//! appears here with its doc comment as its description. Composition reads
//! a few keys with `toml_edit` before the typed parse (`extends`,
//! `[template.NAME]`, `[sweep]`, and `template` or `remove` in elements of
//! arrays of tables); having no serde types, they are written here by hand.
//!
//! ```
//! let schema = scenarios::schema::json_schema();
//! assert!(schema["anyOf"].is_array());
//! assert!(schema["definitions"]["Fault"]["properties"]["kind"].is_object());
//! ```
//!
//! A file is accepted when it matches one of the three formats (k-of-n,
//! infrastructure system, request level), each of which may also carry
//! `template` and `sweep`, or when it `extends` a base scenario: its keys
//! are then checked as in the three formats, but none is required, since
//! the base supplies them. An element that names a `template` need not
//! repeat the keys the template gives. The schema lists the canonical
//! spelling of named values (fault kinds, placement, replication,
//! dispatch); `nines check` is the full check.

use std::borrow::Cow;

use models::system::spec::FaultClass;
use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};

use crate::file::ScenarioFile;
use crate::system_file::SystemFile;
use crate::traffic::TrafficScenarioFile;

pub(crate) mod patterns;

/// The three formats' definitions, in the order of the top-level `anyOf`.
pub(crate) const FORMATS: [&str; 3] = ["KofNScenario", "SystemScenario", "RequestScenario"];

/// The definitions of elements of arrays of tables, which may name a
/// `template` (and, in a file that extends another, say `remove = true`).
pub(crate) const ELEMENTS: [&str; 8] = [
    "Service",
    "Fault",
    "Zone",
    "Region",
    "Link",
    "Team",
    "Component",
    "Invariant",
];

/// The prefix of the definitions in which no key is required, for files
/// that extend another (`PartialService`).
const PARTIAL: &str = "Partial";

/// The JSON Schema (draft-07) of scenario files.
pub fn json_schema() -> Value {
    let settings = SchemaSettings::draft07().with(|s| s.transforms.insert(0, Box::new(TomlValues)));
    let mut generator = settings.into_generator();
    let formats = [
        generator.subschema_for::<ScenarioFile>().to_value(),
        generator.subschema_for::<SystemFile>().to_value(),
        generator.subschema_for::<TrafficScenarioFile>().to_value(),
    ];
    let mut defs = generator.take_definitions(true);
    add_composition(&mut defs);
    let mut any_of = formats.to_vec();
    any_of.push(reference("ExtendingScenario"));
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "nines scenario",
        "description": "A nines scenario file: a k-of-n service ([[component]] and [service]), an infrastructure system ([[region]], [[zone]], [[service]], [[fault]], ...) or a request-level pool ([traffic], [pool]). The format is documented key by key in scenarios/README.md.",
        "type": "object",
        "anyOf": any_of,
        "definitions": defs,
    })
}

/// A `$ref` to the definition `name`.
fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/definitions/{name}") })
}

/// Adds what composition reads: `extends`, `template` and `sweep` at the
/// top level, `template` in elements, the definitions behind them, and the
/// partial definitions a file that extends another is checked against.
fn add_composition(defs: &mut Map<String, Value>) {
    for format in FORMATS {
        let props = properties(defs, format);
        props.insert("extends".into(), extends());
        props.insert("template".into(), reference("Templates"));
        props.insert("sweep".into(), reference("Sweep"));
    }
    for element in ELEMENTS {
        properties(defs, element).insert(
            "template".into(),
            json!({
                "type": "string",
                "description": "The name of a [template.NAME] table whose keys this element takes, unless it sets them itself.",
            }),
        );
    }
    add_partials(defs);
    for element in ELEMENTS {
        let Some(Value::Object(def)) = defs.get_mut(element) else {
            panic!("no definition `{element}`");
        };
        // With a template, the element's required keys may come from it.
        if let Some(required) = def.remove("required") {
            let either = json!([{ "required": required }, { "required": ["template"] }]);
            assert!(!def.contains_key("anyOf"), "`{element}` already has anyOf");
            def.insert("anyOf".into(), either);
        }
    }
    for (name, def) in composition_definitions() {
        defs.insert(name.into(), def);
    }
}

/// The properties of the object definition `name`.
fn properties<'d>(defs: &'d mut Map<String, Value>, name: &str) -> &'d mut Map<String, Value> {
    defs.get_mut(name)
        .and_then(|d| d.get_mut("properties"))
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object definition `{name}`"))
}

/// Adds `PartialNAME` for every object definition: the same keys, none
/// required, referring to partial definitions in turn. Partial elements
/// may also say `remove = true`.
fn add_partials(defs: &mut Map<String, Value>) {
    let objects: Vec<String> = defs
        .iter()
        .filter(|(_, d)| d.get("properties").is_some())
        .map(|(name, _)| name.clone())
        .collect();
    for name in &objects {
        let mut partial = defs[name].clone();
        if let Value::Object(def) = &mut partial {
            def.remove("required");
        }
        to_partial_refs(&mut partial, &objects);
        if FORMATS.contains(&name.as_str()) {
            let described = partial["description"].as_str().unwrap_or_default();
            partial["description"] = Value::from(format!(
                "{described} In a file that extends another, every key is optional: the base supplies what is missing."
            ));
        }
        if ELEMENTS.contains(&name.as_str()) {
            partial["properties"]["remove"] = json!({
                "type": "boolean",
                "description": "In a file that extends another: true removes the base's element of this name instead of changing it.",
            });
        }
        defs.insert(format!("{PARTIAL}{name}"), partial);
    }
}

/// Points every `$ref` to one of `objects` at its partial definition.
fn to_partial_refs(schema: &mut Value, objects: &[String]) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => {
                        if let Some(name) = target.strip_prefix("#/definitions/")
                            && objects.iter().any(|o| o == name)
                        {
                            *target = format!("#/definitions/{PARTIAL}{name}");
                        }
                    }
                    (_, value) => to_partial_refs(value, objects),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| to_partial_refs(v, objects)),
        _ => {}
    }
}

/// The `extends` key.
fn extends() -> Value {
    json!({
        "type": "string",
        "description": "The base scenario this file is a variant of: a path relative to this file, or builtin:NAME. Tables merge key by key; elements of arrays of tables ([[service]], [[fault]], ...) merge by name, and remove = true in one removes the base's.",
        "examples": ["base.toml", "builtin:multi-az"],
    })
}

/// The definitions behind `template`, `sweep` and `extends`.
fn composition_definitions() -> Vec<(&'static str, Value)> {
    let partial_elements: Vec<Value> = ELEMENTS
        .iter()
        .map(|e| reference(&format!("{PARTIAL}{e}")))
        .collect();
    let partial_formats: Vec<Value> = FORMATS
        .iter()
        .map(|f| reference(&format!("{PARTIAL}{f}")))
        .collect();
    let number_or_text = json!(["number", "string"]);
    vec![
        (
            "ExtendingScenario",
            json!({
                "description": "A scenario that extends a base scenario (`extends`) and changes or adds to it.",
                "type": "object",
                "required": ["extends"],
                "anyOf": partial_formats,
            }),
        ),
        (
            "Templates",
            json!({
                "description": "[template.NAME] tables: keys that the elements of arrays of tables ([[service]], [[fault]], [[zone]], ...) saying template = \"NAME\" take unless they set them themselves.",
                "type": "object",
                "additionalProperties": {
                    "description": "A template: the keys of an element, any of them.",
                    "anyOf": partial_elements,
                },
            }),
        ),
        (
            "Sweep",
            json!({
                "description": "The points at which `nines sweep` runs the scenario: parameters, each a list of values or a range, and named variants.",
                "type": "object",
                "properties": {
                    "mode": {
                        "description": "How the dimensions combine: \"cross\" runs every combination (the default), \"zip\" the i-th values of every dimension together.",
                        "enum": ["cross", "zip"],
                    },
                    "parameters": reference("SweepParameters"),
                    "variant": {
                        "description": "Whole named designs: one more dimension of the sweep.",
                        "type": "array",
                        "items": reference("SweepVariant"),
                    },
                },
                "additionalProperties": false,
            }),
        ),
        (
            "SweepParameters",
            json!({
                "description": "The swept values by path, as for --set (a quoted key such as \"service.web.instances\"): a list of values, or a range.",
                "type": "object",
                "additionalProperties": {
                    "anyOf": [
                        { "description": "The values, in order.", "type": "array", "minItems": 1 },
                        reference("SweepRange"),
                        reference("SweepParameters"),
                    ],
                },
            }),
        ),
        (
            "SweepRange",
            json!({
                "description": "An inclusive range of integers, numbers or durations.",
                "type": "object",
                "properties": {
                    "from": { "description": "The first value.", "type": number_or_text.clone() },
                    "to": { "description": "The last value, included.", "type": number_or_text.clone() },
                    "step": {
                        "description": "The step: 1 by default for integers, required for numbers and durations (\"10s\").",
                        "type": number_or_text,
                    },
                },
                "required": ["from", "to"],
                "additionalProperties": false,
            }),
        ),
        (
            "SweepVariant",
            json!({
                "description": "[[sweep.variant]]: a named design, values set together.",
                "type": "object",
                "properties": {
                    "name": { "description": "The variant's name, as reports show it.", "type": "string" },
                    "set": {
                        "description": "The values it sets, by path as for --set: set = { \"service.web.instances\" = 4 }.",
                        "type": "object",
                    },
                },
                "required": ["name", "set"],
                "additionalProperties": false,
            }),
        ),
    ]
}

/// Adapts schemars' output to TOML: TOML has no null (an optional key is
/// absent, never null), a number's storage `format` means nothing to the
/// file, and doc comments' line breaks are not paragraphs.
#[derive(Clone, Debug)]
struct TomlValues;

impl Transform for TomlValues {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        obj.remove("format");
        if obj.get("default") == Some(&Value::Null) {
            obj.remove("default");
        }
        if let Some(Value::Array(types)) = obj.get_mut("type") {
            types.retain(|t| t != "null");
            if let [only] = types.as_slice() {
                let only = only.clone();
                obj.insert("type".into(), only);
            }
        }
        let null = json!({ "type": "null" });
        if let Some(Value::Array(any)) = obj.get_mut("anyOf") {
            any.retain(|s| *s != null);
            if any.len() == 1
                && let Some(Value::Object(only)) = any.pop()
            {
                obj.remove("anyOf");
                for (k, v) in only {
                    obj.entry(k).or_insert(v);
                }
            }
        }
        if let Some(Value::String(text)) = obj.get_mut("description") {
            *text = unwrap_lines(text);
        }
    }
}

/// `text` with the line breaks inside its paragraphs turned into spaces.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A duration as written: a schema marker, never built.
pub(crate) enum Duration {}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A duration: a number and a unit (us, ms, s, m or min, h, d, w, y = 8760 h); decimals and sums are allowed, such as \"250ms\", \"1.5h\", \"1h30m\" or \"2d 12h\".",
            "type": "string",
            "pattern": patterns::duration(),
            "examples": ["90s", "4h", "1y"],
        })
    }
}

/// A distribution of durations as written: a schema marker, never built.
pub(crate) enum Distribution {}

impl JsonSchema for Distribution {
    fn schema_name() -> Cow<'static, str> {
        "Distribution".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A distribution of durations, name(parameter = value, ...): exponential(mean = 1000h) or exponential(rate = 2/y), weibull(shape = 2, scale = 1000h) or weibull(shape = 2, mean = 886h), lognormal(mean = 10h, sd = 5h) or lognormal(median = 10h, p95 = 30h), gamma(shape = 2, scale = 5h) or gamma(shape = 2, mean = 10h), uniform(min = 1h, max = 3h), deterministic(10h), empirical(1h, 2h, 5h).",
            "type": "string",
            "pattern": patterns::distribution(),
            "examples": ["exponential(mean = 1000h)", "lognormal(median = 30m, p95 = 2h)"],
        })
    }
}

/// A fault kind as written: a schema marker, never built.
pub(crate) enum FaultKind {}

impl JsonSchema for FaultKind {
    fn schema_name() -> Cow<'static, str> {
        "FaultKind".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let kinds: Vec<&str> = FaultClass::ALL.iter().map(|c| c.name()).collect();
        json_schema!({
            "description": "A kind of fault: hardware (host-crash, disk-failure, rack-power, zone-outage, region-outage), network (link-down, partition, degraded-link, gray-failure), operator (bad-deploy, misconfiguration, data-deletion, maintenance), software (crash-bug, aging, common-cause) or load (traffic-spike).",
            "type": "string",
            "enum": kinds,
        })
    }
}

/// A placement policy as written: a schema marker, never built.
pub(crate) enum Placement {}

impl JsonSchema for Placement {
    fn schema_name() -> Cow<'static, str> {
        "Placement".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "How instances are placed: \"spread\" goes round-robin over the allowed zones, then over racks and hosts holding the fewest instances; \"pack\" fills hosts in order, per_host instances on each.",
            "type": "string",
            "enum": ["spread", "pack"],
        })
    }
}

/// A replication mode as written: a schema marker, never built.
pub(crate) enum ReplicationMode {}

impl JsonSchema for ReplicationMode {
    fn schema_name() -> Cow<'static, str> {
        "Replication".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "How acknowledged writes reach the standbys: \"sync\" (a failover loses nothing; writes wait a round trip and stall while no standby is reachable), \"semi-sync\" (sync, falling back to async after `sync_timeout`), \"async\" (the writes still in flight, with `lag`), \"batch\" (the writes since the last batch, with `ship_every`) or \"none\".",
            "type": "string",
            "enum": ["sync", "semi-sync", "async", "batch", "none"],
        })
    }
}

/// A promotion rule as written: a schema marker, never built.
pub(crate) enum PromotionMode {}

impl JsonSchema for PromotionMode {
    fn schema_name() -> Cow<'static, str> {
        "Promotion".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "When a standby may promote itself: \"any\" (a standby cut off from the primary promotes on its own) or \"majority\" (only with the votes of a majority of the instances and witnesses; a primary cut off from the majority steps down).",
            "type": "string",
            "enum": ["any", "majority"],
        })
    }
}

/// A dispatch policy as written: a schema marker, never built.
pub(crate) enum DispatchPolicy {}

impl JsonSchema for DispatchPolicy {
    fn schema_name() -> Cow<'static, str> {
        "Dispatch".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "How the balancer picks an instance for each attempt; \"central-queue\" is one shared queue, the M/M/c ideal.",
            "type": "string",
            "enum": [
                "round-robin",
                "random",
                "least-connections",
                "power-of-two",
                "consistent-hashing",
                "central-queue"
            ],
        })
    }
}

#[cfg(test)]
mod tests;
