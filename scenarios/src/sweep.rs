//! Sweeps: the points at which a scenario is run, from its `[sweep]`
//! table or from `--sweep` flags.
//!
//! ```toml
//! [sweep]
//! mode = "cross"                                   # or "zip"
//! [sweep.parameters]
//! "service.web.instances" = { from = 2, to = 6 }   # 2, 3, 4, 5, 6
//! "service.web.zones" = [["a"], ["a", "b"]]        # a list of values
//! "service.db.failover.duration" = { from = "10s", to = "60s", step = "10s" }
//!
//! [[sweep.variant]]                                # whole named designs
//! name = "one-zone"
//! set = { "service.web.zones" = ["a"] }
//! ```
//!
//! Each parameter is a path (as for `--set`) and its values: a list, or a
//! range `{ from, to, step }` of integers (step 1 by default), numbers or
//! durations, both ends included. Named variants, if any, are one more
//! dimension. `cross` runs every combination, in order (the first
//! parameter varies slowest); `zip` runs the i-th value of every
//! dimension together, and needs them all of one length.

use sim_core::time::SimDuration;
use toml_edit::{Item, Table, Value};

use crate::compose::{Source, located};
use crate::error::ScenarioError;

/// The most points one sweep may have: far beyond what is useful, and a
/// bound on a mistake (`to = 1e9`).
pub const MAX_POINTS: usize = 100_000;

/// How the dimensions of a sweep combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepMode {
    /// Every combination (the cross product).
    Cross,
    /// The i-th value of every dimension together.
    Zip,
}

/// One swept value: a path and the values it takes, as TOML text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SweepParameter {
    /// The path, as for `--set` (`service.web.instances`).
    pub path: String,
    /// The values, as TOML text (`3`, `"10s"`, `["a", "b"]`).
    pub values: Vec<String>,
}

/// A named design: a set of values applied together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepVariant {
    /// Its name, as reports show it.
    pub name: String,
    /// `(path, value as TOML text)`, applied in order.
    pub assignments: Vec<(String, String)>,
}

/// A whole sweep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepSpec {
    /// How the dimensions combine.
    pub mode: SweepMode,
    /// The swept values.
    pub parameters: Vec<SweepParameter>,
    /// Named variants, one more dimension when there are any.
    pub variants: Vec<SweepVariant>,
}

/// One point of a sweep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepPoint {
    /// Its position in the sweep, from 0.
    pub index: usize,
    /// The variant, if the sweep has variants.
    pub variant: Option<String>,
    /// `(path, value as TOML text)` of each parameter, in the sweep's order.
    pub coordinates: Vec<(String, String)>,
    /// Everything to set: the variant's assignments, then the coordinates.
    pub assignments: Vec<(String, String)>,
}

impl SweepPoint {
    /// A short name: the variant and each parameter's shortest path
    /// suffix that no other parameter shares, with its value
    /// (`one-zone, instances=3`; `web.instances=3, api.instances=2`).
    pub fn label(&self) -> String {
        let mut parts: Vec<String> = self.variant.iter().cloned().collect();
        let paths: Vec<&str> = self.coordinates.iter().map(|(p, _)| p.as_str()).collect();
        for (path, value) in &self.coordinates {
            let short = unique_suffix(path, &paths);
            parts.push(format!("{short}={}", value.trim_matches('"')));
        }
        if parts.is_empty() {
            "base".into()
        } else {
            parts.join(", ")
        }
    }
}

/// The shortest dot-separated suffix of `path` that ends no other of
/// `paths` (the whole path when every shorter one is shared).
fn unique_suffix<'a>(path: &'a str, paths: &[&str]) -> &'a str {
    let ends_with =
        |other: &str, suffix: &str| other == suffix || other.ends_with(&format!(".{suffix}"));
    let starts = std::iter::once(0)
        .chain(path.match_indices('.').map(|(i, _)| i + 1))
        .collect::<Vec<_>>();
    starts
        .iter()
        .rev()
        .map(|&i| &path[i..])
        .find(|suffix| {
            paths
                .iter()
                .filter(|other| **other != path)
                .all(|other| !ends_with(other, suffix))
        })
        .unwrap_or(path)
}

impl SweepSpec {
    /// The number of points.
    pub fn len(&self) -> usize {
        let dims = self.dimensions();
        match self.mode {
            SweepMode::Cross => dims
                .iter()
                .try_fold(1usize, |n, &d| n.checked_mul(d))
                .unwrap_or(usize::MAX),
            SweepMode::Zip => dims.first().copied().unwrap_or(0),
        }
    }

    /// Whether the sweep has no point.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn dimensions(&self) -> Vec<usize> {
        let mut dims = Vec::new();
        if !self.variants.is_empty() {
            dims.push(self.variants.len());
        }
        dims.extend(self.parameters.iter().map(|p| p.values.len()));
        dims
    }

    /// Checks the point count and, for `zip`, that the dimensions agree.
    fn check(&self) -> Result<(), String> {
        if self.parameters.is_empty() && self.variants.is_empty() {
            return Err(
                "the sweep has no parameters and no variants; expected at least one".into(),
            );
        }
        let dims = self.dimensions();
        if self.mode == SweepMode::Zip && dims.windows(2).any(|w| w[0] != w[1]) {
            return Err(format!(
                "mode = \"zip\" pairs the i-th values of every dimension, but they have {} values; expected one length (or mode = \"cross\")",
                dims.iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let n = self.len();
        if n > MAX_POINTS {
            return Err(format!(
                "the sweep has {} points; the most one sweep may have is {MAX_POINTS}",
                if n == usize::MAX {
                    "more than 2^64".to_string()
                } else {
                    n.to_string()
                }
            ));
        }
        Ok(())
    }

    /// Every point, in order: for `cross`, the first dimension varies
    /// slowest.
    pub fn points(&self) -> Vec<SweepPoint> {
        let dims = self.dimensions();
        let offset = usize::from(!self.variants.is_empty());
        (0..self.len())
            .map(|index| {
                // The index of each dimension at this point.
                let picks: Vec<usize> = match self.mode {
                    SweepMode::Zip => vec![index; dims.len()],
                    SweepMode::Cross => {
                        let mut rest = index;
                        let mut picks = vec![0; dims.len()];
                        for (d, &size) in dims.iter().enumerate().rev() {
                            picks[d] = rest % size;
                            rest /= size;
                        }
                        picks
                    }
                };
                let variant = (offset == 1).then(|| &self.variants[picks[0]]);
                let coordinates: Vec<(String, String)> = self
                    .parameters
                    .iter()
                    .zip(&picks[offset..])
                    .map(|(p, &i)| (p.path.clone(), p.values[i].clone()))
                    .collect();
                let mut assignments: Vec<(String, String)> =
                    variant.map(|v| v.assignments.clone()).unwrap_or_default();
                assignments.extend(coordinates.iter().cloned());
                SweepPoint {
                    index,
                    variant: variant.map(|v| v.name.clone()),
                    coordinates,
                    assignments,
                }
            })
            .collect()
    }

    /// The sweep of `--sweep PATH=VALUES` flags, crossed: VALUES is a
    /// comma-separated list (`2,3,4`), a TOML array (`[["a"], ["a", "b"]]`)
    /// or a range `FROM..TO` or `FROM..TO:STEP` of integers, numbers or
    /// durations (`2..6`, `0.5..1:0.25`, `10s..60s:10s`).
    pub fn from_flags(flags: &[String]) -> Result<SweepSpec, String> {
        let mut parameters = Vec::new();
        for flag in flags {
            let (path, values) = crate::compose::parse_assignment(flag)
                .map_err(|e| format!("--sweep {flag}: {e}"))?;
            let values = flag_values(&values).map_err(|e| format!("--sweep {flag}: {e}"))?;
            if values.is_empty() {
                return Err(format!("--sweep {flag}: no values; expected at least one"));
            }
            parameters.push(SweepParameter { path, values });
        }
        let spec = SweepSpec {
            mode: SweepMode::Cross,
            parameters,
            variants: Vec::new(),
        };
        spec.check()?;
        Ok(spec)
    }

    /// The sweep of a scenario's `[sweep]` table; problems are located
    /// where they were written.
    pub(crate) fn from_item(item: &Item, sources: &[Source]) -> Result<SweepSpec, ScenarioError> {
        let header = item
            .as_table()
            .and_then(|t| t.decor().suffix())
            .and_then(|s| s.as_str());
        let fail =
            |tag: Option<&str>, key: &str, m: String| located(tag.or(header), sources, key, m);
        let Some(table) = item.as_table() else {
            return Err(fail(
                None,
                "sweep",
                "expected a [sweep] table with `mode`, [sweep.parameters] and [[sweep.variant]]"
                    .into(),
            ));
        };
        let mut spec = SweepSpec {
            mode: SweepMode::Cross,
            parameters: Vec::new(),
            variants: Vec::new(),
        };
        for (key, entry) in table.iter() {
            let tag = tag_of(entry);
            match (key, entry) {
                ("mode", Item::Value(v)) => {
                    spec.mode = match v.as_str().map(str::trim) {
                        Some("cross") => SweepMode::Cross,
                        Some("zip") => SweepMode::Zip,
                        _ => {
                            return Err(fail(
                                tag,
                                "sweep.mode",
                                "expected \"cross\" (every combination) or \"zip\" (the i-th values together)".into(),
                            ));
                        }
                    }
                }
                ("parameters", Item::Table(t)) => {
                    let mut found = Vec::new();
                    flatten(t, "", &mut found);
                    for (path, value) in found {
                        let values = item_values(value).map_err(|m| {
                            fail(
                                tag_of_value(value),
                                &format!("sweep.parameters.\"{path}\""),
                                m,
                            )
                        })?;
                        spec.parameters.push(SweepParameter { path, values });
                    }
                }
                ("parameters", Item::Value(Value::InlineTable(t))) => {
                    for (path, value) in t.iter() {
                        let values = item_values(value)
                            .map_err(|m| fail(tag, &format!("sweep.parameters.\"{path}\""), m))?;
                        spec.parameters.push(SweepParameter {
                            path: path.to_string(),
                            values,
                        });
                    }
                }
                ("variant", Item::ArrayOfTables(a)) => {
                    for v in a.iter() {
                        spec.variants.push(variant(v).map_err(|m| {
                            fail(
                                v.decor().suffix().and_then(|s| s.as_str()),
                                "sweep.variant",
                                m,
                            )
                        })?);
                    }
                }
                _ => {
                    let known = ["mode", "parameters", "variant"];
                    let hint = crate::suggest(key, known.iter().copied())
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    return Err(fail(
                        tag,
                        &format!("sweep.{key}"),
                        format!(
                            "unknown or mistyped sweep key `{key}`: expected `mode = \"cross\"`, a [sweep.parameters] table or [[sweep.variant]] tables{hint}"
                        ),
                    ));
                }
            }
        }
        spec.check().map_err(|m| fail(None, "sweep", m))?;
        Ok(spec)
    }
}

fn tag_of(item: &Item) -> Option<&str> {
    match item {
        Item::Value(v) => tag_of_value(v),
        Item::Table(t) => t.decor().suffix().and_then(|s| s.as_str()),
        _ => None,
    }
}

fn tag_of_value(v: &Value) -> Option<&str> {
    v.decor().suffix().and_then(|s| s.as_str())
}

/// The leaves of `[sweep.parameters]`: quoted paths or dotted keys.
fn flatten<'a>(table: &'a Table, prefix: &str, out: &mut Vec<(String, &'a Value)>) {
    for (key, item) in table.iter() {
        let path = if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        };
        match item {
            Item::Value(v) => out.push((path, v)),
            Item::Table(t) => flatten(t, &path, out),
            _ => {}
        }
    }
}

/// A `[[sweep.variant]]`: a name and the values it sets.
fn variant(t: &Table) -> Result<SweepVariant, String> {
    let name = t
        .get("name")
        .and_then(Item::as_str)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or("a variant needs `name`, such as name = \"two-zones\"")?;
    let mut assignments = Vec::new();
    match t.get("set") {
        Some(Item::Value(Value::InlineTable(set))) => {
            for (path, v) in set.iter() {
                assignments.push((path.to_string(), render(v)));
            }
        }
        Some(Item::Table(set)) => {
            let mut found = Vec::new();
            flatten(set, "", &mut found);
            for (path, v) in found {
                assignments.push((path, render(v)));
            }
        }
        _ => {
            return Err(format!(
                "variant `{name}` needs `set`, the values it changes, such as set = {{ \"service.web.instances\" = 4 }}"
            ));
        }
    }
    if let Some((k, _)) = t.iter().find(|(k, _)| *k != "name" && *k != "set") {
        return Err(format!(
            "unknown key `{k}` in variant `{name}`; expected `name` and `set`"
        ));
    }
    Ok(SweepVariant { name, assignments })
}

/// A value as TOML text, without its decoration.
fn render(v: &Value) -> String {
    let mut v = v.clone();
    v.decor_mut().clear();
    v.to_string().trim().to_string()
}

/// The values of one parameter: a list, or a range table.
fn item_values(v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::Array(a) => {
            if a.is_empty() {
                return Err("the list of values is empty; expected at least one".into());
            }
            Ok(a.iter().map(render).collect())
        }
        Value::InlineTable(t) => {
            let get = |k: &str| t.get(k);
            if let Some((k, _)) = t.iter().find(|(k, _)| !["from", "to", "step"].contains(k)) {
                return Err(format!(
                    "unknown key `{k}` in a range; expected {{ from, to, step }}"
                ));
            }
            let (Some(from), Some(to)) = (get("from"), get("to")) else {
                return Err("a range needs `from` and `to` (and `step`, 1 by default for integers)".into());
            };
            range(from, to, get("step"))
        }
        _ => Err("expected a list of values, such as [2, 3, 4], or a range, such as { from = 2, to = 6 }".into()),
    }
}

/// An inclusive range of integers, numbers or durations.
fn range(from: &Value, to: &Value, step: Option<&Value>) -> Result<Vec<String>, String> {
    match (from, to, step) {
        (Value::Integer(a), Value::Integer(b), None) => int_range(*a.value(), *b.value(), 1),
        (Value::Integer(a), Value::Integer(b), Some(Value::Integer(s))) => {
            int_range(*a.value(), *b.value(), *s.value())
        }
        (Value::String(a), Value::String(b), Some(Value::String(s))) => {
            duration_range(a.value(), b.value(), s.value())
        }
        (Value::String(_), Value::String(_), _) => {
            Err("a range of durations needs `step`, such as step = \"10s\"".into())
        }
        _ => {
            let num = |v: &Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
            match (num(from), num(to), step.map(num)) {
                (Some(a), Some(b), Some(Some(s))) => float_range(a, b, s),
                (Some(_), Some(_), None) => {
                    Err("a range of numbers needs `step`, such as step = 0.1".into())
                }
                _ => Err(
                    "`from`, `to` and `step` must be all integers, all numbers or all durations"
                        .into(),
                ),
            }
        }
    }
}

/// How many values an inclusive range of integers from `a` to `b` by
/// `step` has, refused past [`MAX_POINTS`]. Exact: in 128-bit integers, so
/// no end of the `i64` or `u64` range overflows.
fn exact_count(a: i128, b: i128, step: i128) -> Result<usize, String> {
    if step <= 0 {
        return Err("the step must be positive".into());
    }
    if b < a {
        return Err("`to` is below `from`; expected from <= to".into());
    }
    let n = (b - a) / step + 1;
    if n > MAX_POINTS as i128 {
        return Err(format!(
            "the range has {n} values; the most one sweep may have is {MAX_POINTS}"
        ));
    }
    Ok(n as usize)
}

/// Every `a + i * step` from `a` up to `b` inclusive, in 128-bit integers
/// (no overflow at either end of the range).
fn exact_values(a: i128, b: i128, step: i128) -> Result<Vec<i128>, String> {
    let n = exact_count(a, b, step)?;
    Ok((0..n as i128).map(|i| a + i * step).collect())
}

fn int_range(a: i64, b: i64, step: i64) -> Result<Vec<String>, String> {
    Ok(exact_values(a.into(), b.into(), step.into())?
        .into_iter()
        .map(|v| v.to_string())
        .collect())
}

fn float_range(a: f64, b: f64, step: f64) -> Result<Vec<String>, String> {
    if !(step > 0.0 && step.is_finite()) {
        return Err("the step must be positive".into());
    }
    if !(a.is_finite() && b.is_finite()) {
        return Err("`from` and `to` must be finite numbers".into());
    }
    let span = b - a;
    if span.is_nan() || span < 0.0 {
        return Err("`to` is below `from`; expected from <= to".into());
    }
    let n = (span / step + 1e-9).floor() + 1.0;
    if n > MAX_POINTS as f64 {
        return Err(format!(
            "the range has {n} values; the most one sweep may have is {MAX_POINTS}"
        ));
    }
    // The slack that lets `0.1..0.3:0.1` include 0.3 may carry the last
    // value a rounding past `to`: it is `to` then, never beyond.
    Ok((0..n as usize)
        .map(|i| render(&Value::from((a + i as f64 * step).min(b))))
        .collect())
}

fn duration_range(a: &str, b: &str, step: &str) -> Result<Vec<String>, String> {
    let parse = |t: &str| t.parse::<SimDuration>().map_err(|e| format!("`{t}`: {e}"));
    let (a, b, s) = (parse(a)?, parse(b)?, parse(step)?);
    if s.as_micros() == 0 {
        return Err("the step must be positive".into());
    }
    Ok(exact_values(
        a.as_micros().into(),
        b.as_micros().into(),
        s.as_micros().into(),
    )?
    .into_iter()
    .map(|us| {
        let d = SimDuration::from_micros(us as u64);
        render(&Value::from(d.to_string()))
    })
    .collect())
}

/// The values of one `--sweep` flag.
fn flag_values(text: &str) -> Result<Vec<String>, String> {
    let text = text.trim();
    if text.starts_with('[') {
        let v = crate::compose::value_of(text);
        return match v {
            Value::Array(_) => item_values(&v),
            _ => Err(format!("`{text}` is not a TOML array")),
        };
    }
    if let Some((from, rest)) = text.split_once("..") {
        let (to, step) = match rest.split_once(':') {
            Some((to, step)) => (to, Some(step)),
            None => (rest, None),
        };
        // Bare durations (`10s`) come back as strings.
        let v = |t: &str| crate::compose::value_of(t.trim());
        return range(&v(from), &v(to), step.map(v).as_ref());
    }
    Ok(text
        .split(',')
        .map(|t| render(&crate::compose::value_of(t.trim())))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_make_crossed_lists_and_ranges() {
        let s = SweepSpec::from_flags(&[
            "service.web.instances=2..4".into(),
            "service.db.failover.duration=10s..30s:10s".into(),
        ])
        .unwrap();
        assert_eq!(s.parameters[0].values, ["2", "3", "4"]);
        assert_eq!(s.parameters[1].values, ["\"10s\"", "\"20s\"", "\"30s\""]);
        assert_eq!(s.len(), 9);
        let p = s.points();
        assert_eq!(p[0].label(), "instances=2, duration=10s");
        assert_eq!(p[1].label(), "instances=2, duration=20s");
        assert_eq!(p[8].label(), "instances=4, duration=30s");
        let l = SweepSpec::from_flags(&["a.b=1,2.5,x".into()]).unwrap();
        assert_eq!(l.parameters[0].values, ["1", "2.5", "\"x\""]);
        let f = SweepSpec::from_flags(&["a.b=0.5..1:0.25".into()]).unwrap();
        assert_eq!(f.parameters[0].values, ["0.5", "0.75", "1.0"]);
        let arr = SweepSpec::from_flags(&["a.z=[[\"a\"], [\"a\", \"b\"]]".into()]).unwrap();
        assert_eq!(arr.parameters[0].values, ["[\"a\"]", "[\"a\", \"b\"]"]);
    }

    #[test]
    fn absurd_sweeps_are_refused() {
        assert!(SweepSpec::from_flags(&["a=1..1000000000".into()]).is_err());
        assert!(SweepSpec::from_flags(&["a=1..5:0".into()]).is_err());
        assert!(SweepSpec::from_flags(&["a=1..5:-1".into()]).is_err());
        let e = SweepSpec::from_flags(&["a=1..1000".into(), "b=1..1000".into()]).unwrap_err();
        assert!(e.contains("1000000 points"), "{e}");
        assert!(SweepSpec::from_flags(&["a=5..1".into()]).is_err());
        assert!(SweepSpec::from_flags(&["a=1s..5s".into()]).is_err());
    }

    #[test]
    fn zip_pairs_and_variants_are_a_dimension() {
        let s = SweepSpec {
            mode: SweepMode::Zip,
            parameters: vec![
                SweepParameter {
                    path: "a".into(),
                    values: vec!["1".into(), "2".into()],
                },
                SweepParameter {
                    path: "b".into(),
                    values: vec!["3".into(), "4".into()],
                },
            ],
            variants: vec![],
        };
        let p = s.points();
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[1].assignments,
            [("a".into(), "2".into()), ("b".into(), "4".into())]
        );
        let mut v = s.clone();
        v.mode = SweepMode::Cross;
        v.variants = vec![
            SweepVariant {
                name: "x".into(),
                assignments: vec![("c".into(), "1".into())],
            },
            SweepVariant {
                name: "y".into(),
                assignments: vec![],
            },
        ];
        assert_eq!(v.len(), 8);
        let p = v.points();
        assert_eq!(p[0].label(), "x, a=1, b=3");
        assert_eq!(p[4].label(), "y, a=1, b=3");
        assert_eq!(p[0].assignments[0], ("c".into(), "1".into()));
        let mut bad = s;
        bad.parameters[1].values.pop();
        assert!(bad.check().unwrap_err().contains("zip"));
    }

    fn values(flag: &str) -> Vec<String> {
        SweepSpec::from_flags(&[flag.into()]).unwrap().parameters[0]
            .values
            .clone()
    }

    #[test]
    fn integer_ranges_at_the_ends_of_i64_neither_overflow_nor_pass_to() {
        let max = i64::MAX;
        assert_eq!(
            values(&format!("a={}..{max}", max - 2)),
            [max - 2, max - 1, max].map(|v| v.to_string())
        );
        assert_eq!(
            values(&format!("a={}..{max}:2", max - 4)),
            [max - 4, max - 2, max].map(|v| v.to_string())
        );
        assert_eq!(
            values(&format!("a={}..{max}:3", max - 4)),
            [max - 4, max - 1].map(|v| v.to_string())
        );
        let min = i64::MIN;
        assert_eq!(
            values(&format!("a={min}..{}:2", min + 3)),
            [min, min + 2].map(|v| v.to_string())
        );
        // The whole of i64 by a huge step: two values, no wrap.
        assert_eq!(
            values(&format!("a={min}..{max}:{max}")),
            [min, -1, max - 1].map(|v| v.to_string())
        );
        // Above 2^53, where a float count would round.
        let big = (1i64 << 53) + 1;
        assert_eq!(
            values(&format!("a={big}..{}", big + 2)),
            [big, big + 1, big + 2].map(|v| v.to_string())
        );
        assert_eq!(
            values(&format!("a={big}..{}:2", big + 3)),
            [big, big + 2].map(|v| v.to_string())
        );
    }

    #[test]
    fn float_and_duration_ranges_never_pass_to() {
        for flag in [
            "a=0.1..0.3:0.1",
            "a=0..1:0.1",
            "a=1e15..1.0000000000001e15:0.03",
        ] {
            let (from, rest) = flag[2..].split_once("..").unwrap();
            let to: f64 = rest.split_once(':').unwrap().0.parse().unwrap();
            let vs = values(flag);
            assert!(!vs.is_empty());
            for v in &vs {
                let v: f64 = v.parse().unwrap();
                assert!(v <= to && v >= from.parse().unwrap(), "{flag}: {v}");
            }
        }
        assert!(SweepSpec::from_flags(&["a=0..1e308:1e-308".into()]).is_err());
        assert!(SweepSpec::from_flags(&["a=0..inf:1.0".into()]).is_err());
        assert_eq!(values("a=10s..25s:10s"), ["\"10s\"", "\"20s\""]);
        assert!(SweepSpec::from_flags(&["a=0s..5s:0s".into()]).is_err());
    }
}
