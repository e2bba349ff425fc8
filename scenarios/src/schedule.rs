//! Scheduled-fault scenarios: a scenario file rewritten so that its faults
//! happen at given times, on given targets, for given durations, and
//! nothing else is random about them. Shrinking (`nines hunt --shrink`)
//! writes the failing run it found this way, so that it can be rerun,
//! read and kept as a regression test.
//!
//! The rewrite works on the text with `toml_edit`, so everything but the
//! faults (comments, layout, order of keys and tables) is kept as written.
//!
//! ```
//! use scenarios::schedule::{ScheduledFault, with_scheduled_faults};
//! use sim_core::time::{SimDuration, SimTime};
//!
//! let source = scenarios::library::find("split-brain").unwrap().source;
//! let faults = [ScheduledFault {
//!     fault: 1, // the second [[fault]] table: host-crash
//!     target: Some("dc-a-r1-h1".into()),
//!     at: SimTime::from_duration(SimDuration::from_hours(200)),
//!     duration: SimDuration::from_hours(1),
//! }];
//! let header = "Written by nines hunt --shrink: a host crash that breaks no-split-brain.";
//! let text = with_scheduled_faults(source, "builtin:split-brain", &faults, header).unwrap();
//! assert!(text.contains("name = \"host-crash #1\""));
//! assert!(text.contains("at = \"1w1d8h\""));
//! let scenario = scenarios::parse(&text, "shrunk.toml").unwrap();
//! let models::spec::ModelSpec::System(system) = &scenario.model else { unreachable!() };
//! assert_eq!(system.faults.len(), 1);
//! ```

use models::system::spec::FaultClass;
use sim_core::time::{SimDuration, SimTime};
use toml_edit::{ArrayOfTables, DocumentMut, Item, Key, Table, TableLike, Value};

use crate::SimulationSettings;
use crate::check::MAX_REPLICATIONS;
use crate::error::{Diagnostic, ScenarioError};

/// One fault occurrence to schedule: a copy of the scenario's fault
/// `fault` (by its index among the `[[fault]]` tables of the file, which is
/// also its index in the built `SystemSpec`'s `faults`), hitting only
/// `target` (a host, rack, zone, region, link or service name as the spec
/// names it via `SystemSpec::element_name`, or `None` to keep the fault's
/// own targeting, as for partitions, rollouts and surges), taking effect
/// at `at` and lasting `duration` (detection plus repair).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledFault {
    /// The fault's index among the file's `[[fault]]` tables, from 0.
    pub fault: usize,
    /// The one element it hits, or `None` for the fault's own targets.
    pub target: Option<String>,
    /// When it takes effect.
    pub at: SimTime,
    /// How long it lasts, from taking effect to the end of its repair.
    pub duration: SimDuration,
}

/// The keys of a `[[fault]]` table that say when it happens and how it
/// ends: replaced by `at` and a deterministic `repair`.
const TIMING: [&str; 9] = [
    "every",
    "at",
    "after_uptime",
    "resets",
    "repeat",
    "stagger",
    "detection",
    "team",
    "repair",
];

/// The scenario text `source` (a complete scenario file, not using
/// `extends`, templates or `[sweep]`) with every `[[fault]]` table
/// replaced by one scheduled `[[fault]]` per entry of `faults`, each in
/// the place of its original table, in the order given. `header` is put
/// at the top of the file as comment lines (say that `nines hunt --shrink`
/// wrote the file and what it reproduces).
///
/// A scheduled fault keeps its original's `kind` and targeting keys
/// (`targets`, `service`, `zones`, `between`, `batch_size`,
/// `batch_interval`, `factor`, `error_fraction`), with the target narrowed
/// to `target` when given: `targets = "NAME"` for host, rack, zone,
/// region and link faults (in place of `service` for host faults),
/// `service = "NAME"` for crash-bug, data-deletion and misconfiguration of
/// a service, `zones = ["NAME"]` for misconfiguration of zones. It is
/// named `"<name> #<k>"` (the original's `name`, or its kind; `k` counts
/// from 1 for each original), happens once `at`, and ends
/// `repair = "deterministic(<duration>)"` later, with no `every`,
/// `after_uptime`, `repeat`, `stagger`, `detection`, `team` or `resets`
/// (every copy is scheduled, so no age is left to renew). A zero duration is kept:
/// the fault takes effect and ends at the same instant.
///
/// One exception: a `bad-deploy` needs `detection` (it is what stops the
/// rollout), so a scheduled one is caught at the end of its span:
/// `detection = "deterministic(<duration>)"` and an instant rollback,
/// `repair = "deterministic(0s)"`. It reaches at least the batches its
/// original did, and holds them as long.
///
/// Durations are written exactly (whole units, largest first, down to the
/// microsecond), so they parse back to the same values. The result is
/// checked by parsing it; its errors name `origin`.
pub fn with_scheduled_faults(
    source: &str,
    origin: &str,
    faults: &[ScheduledFault],
    header: &str,
) -> Result<String, ScenarioError> {
    let mut doc = document(source, origin)?;
    refuse_composition(&doc, source, origin)?;
    let originals = fault_tables(&doc, source, origin)?;
    let mut problems = Vec::new();
    for (k, s) in faults.iter().enumerate() {
        if s.fault >= originals.len() {
            problems.push(Diagnostic::at(
                source,
                None,
                Some("fault".into()),
                format!(
                    "scheduled fault {k} names [[fault]] {} (counting from 0), and the file has {}",
                    s.fault,
                    match originals.len() {
                        0 => "none".to_string(),
                        1 => "one".to_string(),
                        n => n.to_string(),
                    }
                ),
            ));
        }
    }
    let mut scheduled = ArrayOfTables::new();
    for (i, original) in originals.iter().enumerate() {
        let copies = faults.iter().filter(|s| s.fault == i);
        for (k, s) in copies.enumerate() {
            match scheduled_table(original, k, s) {
                Ok(t) => scheduled.push(t),
                Err(message) => problems.push(Diagnostic::at(
                    source,
                    None,
                    Some(format!("fault[{i}]")),
                    message,
                )),
            }
        }
    }
    if !problems.is_empty() {
        return Err(ScenarioError {
            origin: origin.to_string(),
            diagnostics: problems,
        });
    }
    if scheduled.is_empty() {
        doc.remove("fault");
    } else {
        doc.insert("fault", Item::ArrayOfTables(scheduled));
    }
    let text = format!("{}{doc}", comment(header));
    let written = format!("{origin} (with scheduled faults)");
    crate::parse_single(&text, &written)?;
    Ok(text)
}

/// `source` with `[simulation]` set to `settings`: horizon, replications
/// and seed always, the warm-up when it is not zero or the file gives
/// one. Other keys and comments are kept; a file without `[simulation]`
/// gets one after `[scenario]`. With these settings, replication 0 of
/// `nines run FILE` is the replication of seed `settings.seed` and index
/// 0; replications must be at least 2, as in any scenario file.
pub fn set_simulation(
    source: &str,
    origin: &str,
    settings: &SimulationSettings,
) -> Result<String, ScenarioError> {
    let mut doc = document(source, origin)?;
    let mut problems = Vec::new();
    let mut problem = |key: &str, message: String| {
        problems.push(Diagnostic::at(
            source,
            None,
            Some(format!("simulation.{key}")),
            message,
        ));
    };
    if settings.horizon.is_zero() {
        problem(
            "horizon",
            "the horizon is zero; expected a positive duration".into(),
        );
    }
    if settings.warmup >= settings.horizon {
        problem(
            "warmup",
            format!(
                "the warm-up ({}) is not shorter than the horizon ({}); expected a shorter warm-up",
                settings.warmup, settings.horizon
            ),
        );
    }
    let replications = i64::try_from(settings.replications).unwrap_or(i64::MAX);
    if !(2..=MAX_REPLICATIONS).contains(&replications) {
        problem(
            "replications",
            format!(
                "{} replications; expected from 2 to {MAX_REPLICATIONS}",
                settings.replications
            ),
        );
    }
    let seed = i64::try_from(settings.seed).ok();
    if seed.is_none() {
        problem(
            "seed",
            format!(
                "seed {} does not fit in a TOML integer; expected at most {}",
                settings.seed,
                i64::MAX
            ),
        );
    }
    if !problems.is_empty() {
        return Err(ScenarioError {
            origin: origin.to_string(),
            diagnostics: problems,
        });
    }
    if !doc.contains_key("simulation") {
        let mut table = Table::new();
        let after = doc
            .get("scenario")
            .and_then(Item::as_table)
            .and_then(Table::position);
        table.set_position(after);
        doc.insert("simulation", Item::Table(table));
    }
    let Some(sim) = doc.get_mut("simulation").and_then(Item::as_table_like_mut) else {
        return Err(ScenarioError::single(
            origin,
            Diagnostic::at(
                source,
                None,
                Some("simulation".into()),
                "`simulation` is not a table; expected a [simulation] table".into(),
            ),
        ));
    };
    set(sim, "horizon", Value::from(settings.horizon.to_string()));
    if !settings.warmup.is_zero() || sim.contains_key("warmup") {
        set(sim, "warmup", Value::from(settings.warmup.to_string()));
    }
    set(sim, "replications", Value::from(replications));
    set(sim, "seed", Value::from(seed.unwrap_or_default()));
    Ok(doc.to_string())
}

/// `source` as an editable document, or its syntax error, located.
fn document(source: &str, origin: &str) -> Result<DocumentMut, ScenarioError> {
    crate::from_toml::<toml::Table>(source, origin)?;
    source.parse::<DocumentMut>().map_err(|e| {
        ScenarioError::single(
            origin,
            Diagnostic::at(source, e.span(), None, e.message().trim().to_string()),
        )
    })
}

/// An error if the file uses composition (`extends`, templates, `[sweep]`).
fn refuse_composition(doc: &DocumentMut, source: &str, origin: &str) -> Result<(), ScenarioError> {
    let used: Vec<Diagnostic> = ["extends", "template", "sweep"]
        .into_iter()
        .filter(|k| doc.contains_key(k))
        .map(|k| {
            Diagnostic::at(
                source,
                line_of(source, k),
                Some(k.to_string()),
                format!(
                    "the file uses `{k}`; expected a self-contained scenario (compose it first: the faults are rewritten in the text as written)"
                ),
            )
        })
        .collect();
    if used.is_empty() {
        Ok(())
    } else {
        Err(ScenarioError {
            origin: origin.to_string(),
            diagnostics: used,
        })
    }
}

/// The span of the first line that sets `key` or opens a table named by
/// it (`extends = ...`, `[template.x]`, `[sweep]`).
fn line_of(source: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let t = line.trim_start();
        let rest = t.strip_prefix('[').unwrap_or(t).trim_start();
        if rest
            .strip_prefix(key)
            .is_some_and(|r| r.starts_with([' ', '=', '.', ']', '\t']))
        {
            let start = offset + (line.len() - t.len());
            return Some(start..start + t.trim_end().len());
        }
        offset += line.len();
    }
    None
}

/// The file's `[[fault]]` tables (or inline `fault = [{...}]` tables), in
/// order.
fn fault_tables(
    doc: &DocumentMut,
    source: &str,
    origin: &str,
) -> Result<Vec<Table>, ScenarioError> {
    match doc.get("fault") {
        None => Ok(Vec::new()),
        Some(Item::ArrayOfTables(a)) => Ok(a.iter().cloned().collect()),
        Some(Item::Value(Value::Array(a))) if a.iter().all(Value::is_inline_table) => Ok(a
            .iter()
            .filter_map(Value::as_inline_table)
            .map(|t| t.clone().into_table())
            .collect()),
        Some(_) => Err(ScenarioError::single(
            origin,
            Diagnostic::at(
                source,
                line_of(source, "fault"),
                Some("fault".into()),
                "expected [[fault]] tables".into(),
            ),
        )),
    }
}

/// How a fault's target is narrowed to one element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Narrow {
    /// `targets = "NAME"`, dropping `service`.
    Targets,
    /// `service = "NAME"`.
    Service,
    /// `zones = ["NAME"]`.
    Zones,
    /// No per-target occurrences (partitions, rollouts, surges).
    None,
}

/// The `k`-th (from 0) scheduled copy of `original`.
fn scheduled_table(original: &Table, k: usize, s: &ScheduledFault) -> Result<Table, String> {
    use FaultClass as C;
    let kind = original
        .get("kind")
        .and_then(Item::as_str)
        .map(str::trim)
        .ok_or_else(|| "the fault has no `kind`".to_string())?;
    let class = FaultClass::ALL.iter().copied().find(|c| c.name() == kind);
    let narrow = match class {
        Some(C::Partition | C::BadDeploy | C::TrafficSpike) => Narrow::None,
        Some(C::CrashBug | C::DataDeletion) => Narrow::Service,
        Some(C::Misconfiguration) if original.contains_key("zones") => Narrow::Zones,
        Some(C::Misconfiguration) => Narrow::Service,
        _ => Narrow::Targets,
    };
    if let (Some(t), Narrow::None) = (&s.target, narrow) {
        return Err(format!(
            "a {kind} fault hits no single element, and the scheduled fault names `{t}`; expected no target"
        ));
    }
    let name = original
        .get("name")
        .and_then(Item::as_str)
        .map_or(kind, str::trim);
    let duration = format!("deterministic({})", s.duration);
    let (detection, repair) = if class == Some(C::BadDeploy) {
        (Some(duration), "deterministic(0s)".to_string())
    } else {
        (None, duration)
    };
    let at = s.at.since_start().to_string();

    let mut t = Table::new();
    if k == 0 {
        *t.decor_mut() = original.decor().clone();
    }
    t.set_position(original.position());
    let named = Value::from(format!("{name} #{}", k + 1));
    if !original.contains_key("name") {
        put(&mut t, "name", None, named.clone());
    }
    for (key, item) in original.iter() {
        let like = original.key(key);
        match (key, s.target.as_deref(), narrow) {
            ("name", _, _) => put(&mut t, "name", like, named.clone()),
            ("every" | "at" | "after_uptime", _, _) => {
                put(&mut t, "at", like, Value::from(at.clone()))
            }
            ("detection", _, _) => {
                if let Some(d) = &detection {
                    put(&mut t, "detection", like, Value::from(d.clone()));
                }
            }
            ("repair", _, _) => put(&mut t, "repair", like, Value::from(repair.clone())),
            (k, _, _) if TIMING.contains(&k) => {}
            ("targets" | "service", Some(name), Narrow::Targets) => {
                put(&mut t, "targets", like, Value::from(name));
            }
            ("service", Some(name), Narrow::Service) => {
                put(&mut t, "service", like, Value::from(name));
            }
            ("zones", Some(name), Narrow::Zones) => {
                let zones: toml_edit::Array = [name].into_iter().collect();
                put(&mut t, "zones", like, Value::Array(zones));
            }
            _ => {
                let formatted = like.cloned().unwrap_or_else(|| Key::new(key));
                t.insert_formatted(&formatted, item.clone());
            }
        }
    }
    // Keys the original lacks (an invalid table) are still written, so
    // that the parse of the result names what is wrong.
    put(&mut t, "at", None, Value::from(at));
    if let Some(d) = detection {
        put(&mut t, "detection", None, Value::from(d));
    }
    put(&mut t, "repair", None, Value::from(repair));
    if let (Some(target), Narrow::Targets) = (&s.target, narrow) {
        put(&mut t, "targets", None, Value::from(target.as_str()));
    }
    Ok(t)
}

/// Adds `key = value` to `t` unless it is there already, with the leading
/// comments and spacing of the key `like` (the original key it replaces).
fn put(t: &mut Table, key: &str, like: Option<&Key>, value: Value) {
    let key = match like {
        Some(like) => Key::new(key).with_leaf_decor(like.leaf_decor().clone()),
        None => Key::new(key),
    };
    if !t.contains_key(key.get()) {
        t.insert_formatted(&key, Item::Value(value));
    }
}

/// Sets `key` of `table` to `value`, keeping the old value's comments.
fn set(table: &mut dyn TableLike, key: &str, mut value: Value) {
    if let Some(old) = table.get(key).and_then(Item::as_value) {
        *value.decor_mut() = old.decor().clone();
    }
    match table.get_mut(key) {
        Some(item) => *item = Item::Value(value),
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// `text` as comment lines, then a blank line; nothing for no text.
fn comment(text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests;
