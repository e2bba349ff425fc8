//! The nines scenario format: TOML in, a validated [`Scenario`] out.
//!
//! Input comes in two layers. The file layer mirrors the TOML (unknown keys
//! rejected, units still text, spans kept); the build layer parses units,
//! expands counts, checks ranges and collects every problem with its file,
//! line, column and key. Models never see serde.
//!
//! ```
//! let text = r#"
//! [scenario]
//! name = "pair"
//!
//! [[component]]
//! name = "db"
//! count = 2
//! failure = "exponential(mean = 1000h)"
//! repair = "exponential(mean = 10h)"
//!
//! [service]
//! min_up = 1
//! "#;
//! let scenario = scenarios::parse(text, "pair.toml").unwrap();
//! let models::spec::ModelSpec::KofN(service) = &scenario.model else { unreachable!() };
//! assert_eq!(service.components.len(), 2);
//! assert_eq!(service.components[1].name, "db-2");
//!
//! let typo = text.replace("min_up", "min_upp");
//! let err = scenarios::parse(&typo, "pair.toml").unwrap_err();
//! assert!(err.to_string().starts_with("pair.toml:12:1: key `service.min_upp`: unknown field"));
//! ```
//!
//! A file without `[[component]]` tables describes an infrastructure
//! system: failure domains, services placed on hosts, and fault processes.
//! Names resolve to indices, and a misspelt one is located with a
//! suggestion:
//!
//! ```
//! let text = r#"
//! [scenario]
//! name = "web"
//!
//! [[region]]
//! name = "east"
//!
//! [[zone]]
//! name = "east-a"
//! region = "east"
//! racks = 2
//! hosts_per_rack = 2
//!
//! [[service]]
//! name = "web"
//! instances = 3
//! min_healthy = 2
//!
//! [entry]
//! service = "web"
//! from = "east"
//!
//! [[fault]]
//! kind = "rack-power"
//! targets = "all"
//! every = "exponential(mean = 4y)"
//! repair = "lognormal(median = 1h, p95 = 6h)"
//! "#;
//! let scenario = scenarios::parse(text, "web.toml").unwrap();
//! let models::spec::ModelSpec::System(system) = &scenario.model else { unreachable!() };
//! assert_eq!(system.hosts[3].name, "east-a-r2-h2");
//! assert_eq!(system.services[0].instances[1].name, "web-2");
//!
//! let typo = text.replace("from = \"east\"", "from = \"eats\"");
//! let err = scenarios::parse(&typo, "web.toml").unwrap_err();
//! assert!(err.to_string().starts_with(
//!     "web.toml:21:8: key `entry.from`: unknown name `eats`; expected the name of a zone or a region; did you mean `east`?"
//! ));
//! ```
//!
//! The file format is documented key by key in `scenarios/README.md`.

mod build;
mod check;
pub mod compose;
pub mod error;
mod file;
mod invariant;
pub mod library;
mod lines;
pub mod schedule;
pub mod schema;
pub mod sweep;
mod system_build;
mod system_file;
mod traffic;

use models::invariant::InvariantSpec;
use models::spec::ModelSpec;
use sim_core::time::SimDuration;

pub use error::{Diagnostic, ScenarioError};

/// The seed used when neither the file nor the command line gives one. It
/// is fixed, never taken from the operating system, and always printed.
pub const DEFAULT_SEED: u64 = 1;

/// How a scenario asks to be run; the command line may override each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimulationSettings {
    /// The simulated length of one replication.
    pub horizon: SimDuration,
    /// The initial span simulated but not measured.
    pub warmup: SimDuration,
    /// How many independent replications to run.
    pub replications: u64,
    /// The root seed of every random stream.
    pub seed: u64,
}

/// A validated scenario, ready to simulate.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Its short name.
    pub name: String,
    /// One line on what it models.
    pub description: String,
    /// Where it came from: a path, or `builtin:NAME`.
    pub origin: String,
    /// How to run it.
    pub simulation: SimulationSettings,
    /// The availability target (a share in (0, 1)), if the scenario sets
    /// `scenario.slo`.
    pub slo: Option<f64>,
    /// The sliding window over which `nines hunt` checks `slo`
    /// (`scenario.slo_window`, default 30 days; a window longer than the
    /// run stands for the whole run).
    pub slo_window: SimDuration,
    /// The thresholds the scenario's `[[invariant]]` tables set, in file
    /// order (each an [`InvariantSpec::Threshold`]; the built-in
    /// invariants are not listed).
    pub invariants: Vec<InvariantSpec>,
    /// What it simulates.
    pub model: ModelSpec,
}

/// Parses and validates scenario text; `origin` names it in errors.
///
/// A text larger than [`compose::MAX_FILE_BYTES`] is refused before it is
/// read. The text is first read as a plain TOML table (a syntax error is
/// reported there). A file with `[[component]]` tables, or a single `[service]`
/// table, is a k-of-n scenario; any other file is an infrastructure system
/// (`[[region]]`, `[[zone]]`, `[[service]]`, `[[fault]]`, ...).
///
/// A file that `extends` another, defines `[template.NAME]` tables or
/// declares a `[sweep]` is composed first ([`compose`]); only built-in
/// scenarios can be extended here (the command line resolves files). The
/// base scenario of a sweep is built.
pub fn parse(source: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    compose::check_size(source, origin)?;
    let table: toml::Table = from_toml(source, origin)?;
    if table.contains_key("extends")
        || table.contains_key("template")
        || table.contains_key("sweep")
    {
        return compose::Composed::new(source, origin, &compose::builtins_only)?.build();
    }
    parse_single(source, origin)
}

/// Parses one self-contained scenario text (no composition keys).
pub(crate) fn parse_single(source: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    let table: toml::Table = from_toml(source, origin)?;
    let is_kofn =
        table.contains_key("component") || table.get("service").is_some_and(toml::Value::is_table);
    if table.contains_key("traffic") {
        let file: traffic::TrafficScenarioFile = from_toml(source, origin)?;
        return traffic::build(file, source, origin);
    }
    if is_kofn {
        let file: file::ScenarioFile = from_toml(source, origin)?;
        build::build(file, source, origin)
    } else {
        let file: system_file::SystemFile = from_toml(source, origin)?;
        system_build::build(file, source, origin)
    }
}

/// The name among `names` closest to `name`, if one is close enough to be
/// a likely typo.
pub fn suggest<'n>(name: &str, names: impl Iterator<Item = &'n str>) -> Option<&'n str> {
    system_build::suggestion(name, names)
}

/// Deserializes `source`, turning a TOML or serde error into a located
/// diagnostic.
fn from_toml<T: serde::de::DeserializeOwned>(
    source: &str,
    origin: &str,
) -> Result<T, ScenarioError> {
    toml::from_str(source).map_err(|e| {
        let message = toml_message(e.message());
        let mut span = e.span();
        if message.starts_with("missing field") && span.as_ref().is_some_and(|s| s.start == 0) {
            // The whole document: no line to point at.
            span = None;
        }
        let key = span.as_ref().and_then(|s| key_at(source, s.start));
        ScenarioError::single(origin, Diagnostic::at(source, span, key, message))
    })
}

/// The dotted key at byte `offset`: the table header above it, then the
/// key on its line (`service.min_up`), or the header itself when the offset
/// is inside one.
fn key_at(source: &str, offset: usize) -> Option<String> {
    let offset = offset.min(source.len());
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let line = source[line_start..line_end].trim();
    let is_key =
        |k: &str| !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c));
    let header = |l: &str| -> Option<String> {
        let l = l.trim();
        let inner = l
            .strip_prefix("[[")
            .and_then(|x| x.split("]]").next())
            .or_else(|| l.strip_prefix('[').and_then(|x| x.split(']').next()))?;
        let inner = inner.trim();
        is_key(inner).then(|| inner.to_string())
    };
    if line.starts_with('[') {
        return header(line);
    }
    // An offset on a key itself (an unknown field) names that key.
    let rest = &source[offset..line_end];
    let end = match rest.find('=') {
        Some(eq) if is_key(rest[..eq].trim()) => offset + eq + 1,
        _ => offset,
    };
    let k = inline_key_path(&source[line_start..end])?;
    if !is_key(&k) {
        return None;
    }
    let table = source[..line_start].lines().rev().find_map(|l| {
        let t = l.trim();
        if t.starts_with('[') { header(t) } else { None }
    });
    Some(match table {
        Some(t) => format!("{t}.{k}"),
        None => k.to_string(),
    })
}

/// The dotted key path at the end of `prefix` (a line up to an offset):
/// the line's key, then the keys of the inline tables still open around
/// the offset, so `a = { b = 1, c = "x` gives `a.c`.
fn inline_key_path(prefix: &str) -> Option<String> {
    // (brace depth, key) for every `key =` outside strings.
    let mut path: Vec<String> = Vec::new();
    let mut token = String::new();
    let mut in_string = false;
    let mut depth = 0usize;
    for c in prefix.chars() {
        if in_string {
            if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                token.clear();
            }
            '=' => {
                let key = token.trim().to_string();
                path.truncate(depth);
                if !key.is_empty() {
                    path.push(key);
                }
                token.clear();
            }
            '{' => {
                depth += 1;
                token.clear();
            }
            '}' => {
                depth = depth.saturating_sub(1);
                path.truncate(depth + 1);
                token.clear();
            }
            ',' | '[' | ']' => token.clear(),
            _ => token.push(c),
        }
    }
    path.truncate(depth + 1);
    (!path.is_empty()).then(|| path.join("."))
}

/// Rewrites the TOML parser's message as one sentence that says what was
/// expected.
fn toml_message(raw: &str) -> String {
    let msg = raw.trim().trim_end_matches('.').replace('\n', "; ");
    let msg = msg
        .replace("expected i64", "expected an integer")
        .replace("expected u64", "expected a non-negative integer")
        .replace("expected a string", "expected a quoted string");
    if msg.starts_with("missing field") {
        format!("{msg}; add it, it is required")
    } else if let Some(hint) = unknown_field_hint(&msg) {
        format!("{msg}; did you mean `{hint}`?")
    } else {
        msg
    }
}

/// For serde's "unknown field `x`, expected `a` or `b`" (or "expected one
/// of `a`, `b`, ..."): the expected name closest to `x`, if close.
fn unknown_field_hint(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    suggest(field, names.into_iter()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[scenario]
name = "x"
[simulation]
horizon = "2y"
warmup = "10d"
replications = 10
seed = 9
[[component]]
name = "node"
count = 3
failure = "exponential(mean = 1000h)"
repair = "lognormal(mean = 10h, sd = 5h)"
[service]
min_up = 2
shared_repair_crews = 1
while_down = "suspend"
"#;

    fn err(text: &str) -> String {
        parse(text, "s.toml").unwrap_err().to_string()
    }

    #[test]
    fn parses_a_complete_file() {
        let s = parse(GOOD, "s.toml").unwrap();
        let ModelSpec::KofN(service) = &s.model else {
            panic!("not a k-of-n scenario")
        };
        assert_eq!(s.simulation.horizon, SimDuration::from_years(2));
        assert_eq!(s.simulation.warmup, SimDuration::from_hours(240));
        assert_eq!(s.simulation.replications, 10);
        assert_eq!(s.simulation.seed, 9);
        assert_eq!(service.min_up, 2);
        assert_eq!(service.crews, models::kofn::Crews::Shared(1));
        assert_eq!(service.while_down, models::kofn::WhileDown::Suspend);
        let names: Vec<_> = service.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["node-1", "node-2", "node-3"]);
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let e = err(&GOOD.replace("seed = 9", "sead = 9"));
        assert!(
            e.starts_with(
                "s.toml:8:1: key `simulation.sead`: unknown field `sead`, expected one of"
            ),
            "{e}"
        );
    }

    #[test]
    fn k_greater_than_n_is_located() {
        let e = err(&GOOD.replace("min_up = 2", "min_up = 4"));
        assert!(
            e.starts_with(
                "s.toml:15:10: key `service.min_up`: min_up = 4 but the service has 3 components"
            ),
            "{e}"
        );
    }

    #[test]
    fn negative_duration_is_located() {
        let e = err(&GOOD.replace("\"2y\"", "\"-2y\""));
        assert!(
            e.starts_with("s.toml:5:11: key `simulation.horizon`: negative duration"),
            "{e}"
        );
    }

    #[test]
    fn zero_failure_and_zero_repair_are_refused_where_written() {
        let e = err(&GOOD
            .replace("exponential(mean = 1000h)", "deterministic(0s)")
            .replace("lognormal(mean = 10h, sd = 5h)", "deterministic(0s)"));
        assert!(
            e.starts_with("s.toml:13:10: key `component.repair`:") && e.contains("no length"),
            "{e}"
        );
    }

    #[test]
    fn a_long_name_times_a_large_count_is_refused_before_expansion() {
        // 100,000 copies of a 70,000-character name would need 7 GB.
        let long = "n".repeat(70_000);
        let e = err(&GOOD
            .replace("name = \"node\"", &format!("name = \"{long}\""))
            .replace("count = 3", "count = 100000"));
        assert!(
            e.starts_with("s.toml:10:8: key `component.name`:") && e.contains("at most 256"),
            "{}",
            &e[..300]
        );
    }

    #[test]
    fn malformed_distribution_is_located() {
        let e = err(&GOOD.replace("exponential(mean = 1000h)", "exponential(mean = 1000h"));
        assert!(
            e.starts_with("s.toml:12:11: key `component.failure`:"),
            "{e}"
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = GOOD
            .replace("\"2y\"", "\"2 parsecs\"")
            .replace("min_up = 2", "min_up = 0")
            .replace("replications = 10", "replications = 1");
        let e = parse(&bad, "s.toml").unwrap_err();
        assert_eq!(e.diagnostics.len(), 3, "{e}");
    }

    #[test]
    fn garbage_is_a_located_error() {
        let e = err("this is = = not toml\n");
        assert!(e.starts_with("s.toml:1:"), "{e}");
    }

    #[test]
    fn missing_section_says_so() {
        let e = err("[scenario]\nname = \"x\"\n");
        assert!(e.contains("missing field `service`"), "{e}");
    }

    /// Every TOML example in the format reference and the README parses:
    /// a ```` ```toml ```` block as a whole scenario, a
    /// ```` ```toml fragment ```` block appended to the last whole example
    /// above it.
    #[test]
    fn documented_examples_parse() {
        for (doc, text) in [
            ("scenarios/README.md", include_str!("../README.md")),
            ("README.md", include_str!("../../README.md")),
        ] {
            let mut whole = None;
            let mut count = 0;
            for block in text.split("```toml").skip(1) {
                let (info, rest) = block.split_once('\n').unwrap();
                let body = rest.split("```").next().unwrap();
                count += 1;
                match info.trim() {
                    "" => {
                        parse(body, doc).unwrap_or_else(|e| panic!("{e}"));
                        whole = Some(body);
                    }
                    "fragment" => {
                        let base = whole.expect("a fragment before any whole example");
                        let text = format!("{base}\n{body}");
                        parse(&text, doc).unwrap_or_else(|e| panic!("{e}\n{body}"));
                        // Every point of a documented sweep builds too.
                        let c = compose::Composed::new(&text, doc, &compose::builtins_only)
                            .unwrap_or_else(|e| panic!("{e}"));
                        for point in c.sweep().map(|s| s.points()).unwrap_or_default() {
                            c.at_point(&point)
                                .and_then(|p| p.build())
                                .unwrap_or_else(|e| panic!("{e}\n{body}"));
                        }
                    }
                    other => panic!("{doc}: unknown block kind `toml {other}`"),
                }
            }
            assert!(count > 0, "{doc} has no TOML example");
        }
    }

    #[test]
    fn every_builtin_parses() {
        for b in library::BUILTINS {
            parse(b.source, &format!("builtin:{}", b.name)).unwrap();
        }
    }
}
