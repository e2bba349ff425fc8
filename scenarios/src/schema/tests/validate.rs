//! A validator for the part of JSON Schema draft-07 the scenario schema
//! uses, for tests. A full validator crate costs minutes of build time for
//! what these few keywords need; any other keyword is refused, so the
//! schema cannot grow past what the tests check without them saying so.

use serde_json::{Map, Value};

/// Keywords that constrain values, all of which [`check`] applies.
const ASSERTIONS: [&str; 14] = [
    "type",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "minItems",
    "maxItems",
    "anyOf",
    "allOf",
    "oneOf",
    "enum",
    "const",
    "minimum",
    "maximum",
];

/// Keywords that only annotate.
const ANNOTATIONS: [&str; 4] = ["description", "examples", "default", "title"];

/// Whether `text` matches the schema's pattern `p` (the patterns keep to
/// the syntax ECMA-262 and the regex crate share).
pub(super) fn matches(p: &str, text: &str) -> bool {
    regex::Regex::new(p)
        .unwrap_or_else(|e| panic!("pattern `{p}`: {e}"))
        .is_match(text)
}

/// Every keyword of `schema` (outside `definitions` and `properties`
/// maps) is one the validator applies or an annotation, and every `$ref`
/// resolves.
pub(super) fn check_vocabulary(schema: &Value, root: &Value) {
    let Value::Object(map) = schema else {
        assert!(schema.is_boolean(), "not a schema: {schema}");
        return;
    };
    for (key, value) in map {
        match key.as_str() {
            "$schema" | "pattern" => {}
            "$ref" => {
                resolve(root, value.as_str().expect("a string $ref"));
            }
            "definitions" | "properties" => value
                .as_object()
                .expect("a map of schemas")
                .values()
                .for_each(|s| check_vocabulary(s, root)),
            "anyOf" | "allOf" | "oneOf" => value
                .as_array()
                .expect("a list of schemas")
                .iter()
                .for_each(|s| check_vocabulary(s, root)),
            "items" | "additionalProperties" => check_vocabulary(value, root),
            k if ASSERTIONS.contains(&k) || ANNOTATIONS.contains(&k) => {}
            other => panic!("keyword `{other}` is not known to the test validator"),
        }
    }
}

/// The definition a `$ref` points at.
fn resolve<'s>(root: &'s Value, reference: &str) -> &'s Value {
    let name = reference
        .strip_prefix("#/definitions/")
        .unwrap_or_else(|| panic!("unsupported $ref `{reference}`"));
    let def = &root["definitions"][name];
    assert!(!def.is_null(), "$ref `{reference}` resolves to nothing");
    def
}

/// The problems of `value` at `path` against `schema`, appended to `out`.
pub(super) fn check(
    root: &Value,
    schema: &Value,
    value: &Value,
    path: &str,
    out: &mut Vec<String>,
) {
    let map = match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => {
            out.push(format!("{path}: not allowed"));
            return;
        }
        Value::Object(map) => map,
        other => panic!("not a schema: {other}"),
    };
    if let Some(r) = map.get("$ref") {
        check(
            root,
            resolve(root, r.as_str().unwrap_or_default()),
            value,
            path,
            out,
        );
    }
    if let Some(t) = map.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad type {t}"),
        };
        if !types.iter().any(|t| has_type(value, t)) {
            out.push(format!(
                "{path}: expected {}, found {value}",
                types.join(" or ")
            ));
            return;
        }
    }
    if let Some(e) = map.get("enum").and_then(Value::as_array)
        && !e.contains(value)
    {
        out.push(format!(
            "{path}: {value} is not one of {}",
            Value::from(e.clone())
        ));
    }
    if let Some(c) = map.get("const")
        && c != value
    {
        out.push(format!("{path}: expected {c}, found {value}"));
    }
    if let (Some(p), Value::String(s)) = (map.get("pattern").and_then(Value::as_str), value)
        && !matches(p, s)
    {
        out.push(format!("{path}: {value} does not match {p}"));
    }
    if let Some(x) = value.as_f64() {
        let below = map
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x < m);
        let above = map
            .get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x > m);
        if below || above {
            out.push(format!("{path}: {x} is out of range"));
        }
    }
    if let Value::Array(items) = value {
        check_array(root, map, items, path, out);
    }
    if let Value::Object(fields) = value {
        check_object(root, map, fields, path, out);
    }
    for s in map
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        check(root, s, value, path, out);
    }
    let passing = |list: &Vec<Value>| {
        list.iter()
            .filter(|s| {
                let mut errors = Vec::new();
                check(root, s, value, path, &mut errors);
                errors.is_empty()
            })
            .count()
    };
    if let Some(list) = map.get("anyOf").and_then(Value::as_array)
        && passing(list) == 0
    {
        out.push(format!(
            "{path}: matches none of {} alternatives",
            list.len()
        ));
    }
    if let Some(list) = map.get("oneOf").and_then(Value::as_array)
        && passing(list) != 1
    {
        out.push(format!("{path}: does not match exactly one alternative"));
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "null" => value.is_null(),
        other => panic!("unknown type `{other}`"),
    }
}

fn check_array(
    root: &Value,
    schema: &Map<String, Value>,
    items: &[Value],
    path: &str,
    out: &mut Vec<String>,
) {
    let n = items.len() as u64;
    if schema
        .get("minItems")
        .and_then(Value::as_u64)
        .is_some_and(|m| n < m)
        || schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| n > m)
    {
        out.push(format!("{path}: {n} items is a wrong count"));
    }
    if let Some(item) = schema.get("items") {
        for (i, v) in items.iter().enumerate() {
            check(root, item, v, &format!("{path}[{i}]"), out);
        }
    }
}

fn check_object(
    root: &Value,
    schema: &Map<String, Value>,
    fields: &Map<String, Value>,
    path: &str,
    out: &mut Vec<String>,
) {
    for r in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = r.as_str().unwrap_or_default();
        if !fields.contains_key(key) {
            out.push(format!("{path}: missing `{key}`"));
        }
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    for (key, v) in fields {
        let at = format!("{path}.{key}");
        match properties.and_then(|p| p.get(key)) {
            Some(s) => check(root, s, v, &at, out),
            None => {
                if let Some(extra) = schema.get("additionalProperties") {
                    check(root, extra, v, &at, out);
                }
            }
        }
    }
}
