//! Setting one value by its path: `service.web.instances`,
//! `simulation.horizon`, `fault.host-crash.every`,
//! `service.db.failover.duration`.
//!
//! A path walks tables by key; at an array of tables (`[[service]]`) the
//! next part picks an element by its `name` (by `kind` for a fault without
//! one) or by its position from 0. The last part is replaced, or added to
//! its table.

use toml_edit::{Item, Table, Value};

use super::identity;
use super::markers::tag_assignment;

/// Splits `path=value` as typed after `--set`.
pub fn parse_assignment(text: &str) -> Result<(String, String), String> {
    let Some((path, value)) = text.split_once('=') else {
        return Err(format!(
            "`{text}` has no `=`; expected PATH=VALUE, such as service.web.instances=5"
        ));
    };
    let path = path.trim();
    if path.is_empty() || path.split('.').any(|p| p.trim().is_empty()) {
        return Err(format!(
            "`{path}` is not a path; expected keys joined by dots, such as service.web.instances"
        ));
    }
    Ok((path.to_string(), value.trim().to_string()))
}

/// The TOML value `text` stands for: a TOML value as written (`5`, `0.5`,
/// `true`, `"2y"`, `[1, 2]`, `{ a = 1 }`), else the text as a string
/// (`2y`, `exponential(mean = 1y)`).
pub(crate) fn value_of(text: &str) -> Value {
    match text.parse::<Value>() {
        Ok(v) => {
            let mut v = v;
            v.decor_mut().clear();
            v
        }
        Err(_) => Value::from(text),
    }
}

/// Sets `path` to the value `text` stands for, tagged as source `file`.
pub(crate) fn set(root: &mut Table, path: &str, text: &str, file: usize) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').map(str::trim).collect();
    let mut value = value_of(text);
    tag_assignment(&mut value, file);
    set_in_table(root, &parts, 0, value, path)
}

fn set_in_table(
    table: &mut Table,
    parts: &[&str],
    at: usize,
    value: Value,
    path: &str,
) -> Result<(), String> {
    let key = parts[at];
    if at + 1 == parts.len() {
        if matches!(
            table.get(key),
            Some(Item::Table(_) | Item::ArrayOfTables(_))
        ) {
            return Err(format!(
                "`{path}` is a table; expected a path to a value inside it, such as {path}.KEY"
            ));
        }
        // Keep the key's formatting and the value's place when it exists.
        match table.get_mut(key) {
            Some(Item::Value(old)) => *old = value,
            _ => {
                table.insert(key, Item::Value(value));
            }
        }
        return Ok(());
    }
    let prefix = parts[..=at].join(".");
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    match table.get_mut(key) {
        Some(Item::Table(t)) => set_in_table(t, parts, at + 1, value, path),
        Some(Item::Value(Value::InlineTable(t))) => set_in_inline(t, parts, at + 1, value, path),
        Some(Item::ArrayOfTables(array)) => {
            let pick = parts[at + 1];
            let names: Vec<String> = array.iter().filter_map(identity).collect();
            let index = array
                .iter()
                .position(|e| identity(e).as_deref() == Some(pick))
                .or_else(|| pick.parse::<usize>().ok().filter(|&i| i < array.len()));
            let Some(i) = index else {
                let hint = crate::suggest(pick, names.iter().map(String::as_str))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(format!(
                    "`{path}`: no [[{key}]] named `{pick}`; expected one of {} (or a position from 0){hint}",
                    names.join(", ")
                ));
            };
            if at + 2 >= parts.len() {
                return Err(format!(
                    "`{path}` names a whole [[{key}]]; expected a path to one of its values, such as {prefix}.{pick}.KEY"
                ));
            }
            let element = array.get_mut(i).expect("an index inside the array");
            set_in_table(element, parts, at + 2, value, path)
        }
        Some(Item::Value(_)) => Err(format!(
            "`{prefix}` is a value, not a table; expected a path that ends at it"
        )),
        Some(Item::None) | None => {
            let hint = crate::suggest(key, keys.iter().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            Err(format!(
                "`{path}`: there is no `{prefix}` in the scenario; expected one of {}{hint}",
                if keys.is_empty() {
                    "nothing (the table is empty)".to_string()
                } else {
                    keys.join(", ")
                }
            ))
        }
    }
}

fn set_in_inline(
    table: &mut toml_edit::InlineTable,
    parts: &[&str],
    at: usize,
    value: Value,
    path: &str,
) -> Result<(), String> {
    let key = parts[at];
    if at + 1 == parts.len() {
        let mut value = value;
        // Inside an inline table the tag cannot be a comment: drop it (the
        // whole line keeps the tag of its key).
        value.decor_mut().clear();
        let value = value.decorated(" ", " ");
        match table.get_mut(key) {
            Some(old) => *old = value,
            None => {
                table.insert(key, value);
            }
        }
        return Ok(());
    }
    match table.get_mut(key) {
        Some(Value::InlineTable(t)) => set_in_inline(t, parts, at + 1, value, path),
        _ => Err(format!(
            "`{path}`: there is no table `{}` in the scenario",
            parts[..=at].join(".")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> toml_edit::DocumentMut {
        text.parse().unwrap()
    }

    #[test]
    fn values_are_toml_or_else_text() {
        assert_eq!(value_of("5").as_integer(), Some(5));
        assert_eq!(value_of("0.5").as_float(), Some(0.5));
        assert_eq!(value_of("true").as_bool(), Some(true));
        assert_eq!(value_of("2y").as_str(), Some("2y"));
        assert_eq!(value_of("\"2y\"").as_str(), Some("2y"));
        assert_eq!(
            value_of("exponential(mean = 1y)").as_str(),
            Some("exponential(mean = 1y)")
        );
        assert!(value_of("[\"a\", \"b\"]").is_array());
    }

    #[test]
    fn paths_pick_elements_by_name_kind_or_position() {
        let mut d = doc(
            "[simulation]\nseed = 1\n\n[[service]]\nname = \"web\"\ninstances = 3\nfailover = { duration = \"1m\" }\n\n[[fault]]\nkind = \"host-crash\"\nevery = \"1y\"\n",
        );
        let t = d.as_table_mut();
        set(t, "simulation.seed", "7", 9).unwrap();
        set(t, "service.web.instances", "5", 9).unwrap();
        set(t, "service.0.cost_per_hour", "\"0.1/h\"", 9).unwrap();
        set(t, "service.web.failover.duration", "2m", 9).unwrap();
        set(t, "fault.host-crash.every", "exponential(mean = 2y)", 9).unwrap();
        let out = d.to_string();
        assert!(out.contains("seed = 7 #@9:0:0"), "{out}");
        assert!(out.contains("instances = 5 #@9:0:0"), "{out}");
        assert!(out.contains("cost_per_hour = \"0.1/h\""), "{out}");
        assert!(out.contains("duration = \"2m\""), "{out}");
        assert!(out.contains("every = \"exponential(mean = 2y)\""), "{out}");
    }

    #[test]
    fn bad_paths_say_what_exists() {
        let mut d = doc("[[service]]\nname = \"web\"\ninstances = 3\n");
        let t = d.as_table_mut();
        let e = set(t, "service.wbe.instances", "5", 0).unwrap_err();
        assert!(
            e.contains("no [[service]] named `wbe`") && e.contains("did you mean `web`"),
            "{e}"
        );
        let e = set(t, "servce.web.instances", "5", 0).unwrap_err();
        assert!(e.contains("did you mean `service`"), "{e}");
        let e = set(t, "service.web", "5", 0).unwrap_err();
        assert!(e.contains("names a whole [[service]]"), "{e}");
        assert!(parse_assignment("service.web.instances").is_err());
        assert!(parse_assignment("a..b=1").is_err());
        assert_eq!(
            parse_assignment(" a.b = 1 ").unwrap(),
            ("a.b".to_string(), "1".to_string())
        );
    }
}
