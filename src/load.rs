//! Finding and reading a scenario: a file path or a built-in name, the
//! files it `extends`, and the command line's `--set` changes.

use std::path::{Path, PathBuf};

use scenarios::compose::Composed;
use scenarios::{Scenario, library};

use crate::cli::ScenarioArgs;
use crate::fail::Failure;

/// Loads the scenario `args` names, with its `--set` changes, and builds
/// it.
pub(crate) fn load(args: &ScenarioArgs) -> Result<Scenario, Failure> {
    load_composed(args)?
        .build()
        .map_err(|e| Failure::input(e.to_string()))
}

/// Loads the scenario `args` names, composed (bases followed, templates
/// expanded, `--set` applied) but not yet built: sweeps start from here.
pub(crate) fn load_composed(args: &ScenarioArgs) -> Result<Composed, Failure> {
    let (origin, text) = read(&args.scenario)?;
    let mut composed =
        Composed::new(&text, &origin, &resolve).map_err(|e| Failure::input(e.to_string()))?;
    for set in &args.set {
        composed
            .set(set)
            .map_err(|e| Failure::input(e.to_string()))?;
    }
    Ok(composed)
}

/// The scenario and its `--set` flags as they would be typed again, for
/// the "reproduce" line.
pub(crate) fn command_line(args: &ScenarioArgs) -> String {
    let mut s = shell_quote(&args.scenario);
    for set in &args.set {
        s.push_str(" --set ");
        s.push_str(&shell_quote(set));
    }
    s
}

/// `text` quoted for a POSIX shell when it needs quoting.
pub(crate) fn shell_quote(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain && !text.is_empty() {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The origin and text of `arg`: `builtin:NAME` (as `extends` writes it),
/// an existing file, else a built-in scenario of that name.
fn read(arg: &str) -> Result<(String, String), Failure> {
    if let Some(bare) = arg.strip_prefix("builtin:") {
        return library::find(bare)
            .map(|b| (format!("builtin:{}", b.name), b.source.to_string()))
            .ok_or_else(|| {
                let names: Vec<&str> = library::names().collect();
                let close = scenarios::suggest(bare, names.iter().copied())
                    .map(|s| format!("did you mean `builtin:{s}`? "))
                    .unwrap_or_default();
                Failure::input(format!(
                    "{arg}: no built-in scenario of that name ({close}built-ins: {})",
                    names.join(", ")
                ))
            });
    }
    let path = Path::new(arg);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::input(format!("{arg}: cannot read the scenario file: {e}")))?;
        return Ok((arg.to_string(), text));
    }
    if let Some(b) = library::find(arg) {
        return Ok((format!("builtin:{}", b.name), b.source.to_string()));
    }
    let builtins: Vec<&str> = library::names().collect();
    let hint = if path.exists() {
        "it exists but is not a regular file".to_string()
    } else if arg.ends_with(".toml") || arg.contains('/') {
        "no such file".to_string()
    } else {
        let close = scenarios::suggest(arg, builtins.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        format!(
            "no such file, and no built-in scenario of that name ({close}built-ins: {})",
            builtins.join(", ")
        )
    };
    Err(Failure::input(format!("{arg}: {hint}")))
}

/// Finds what an `extends` names: `builtin:NAME`, or a path relative to
/// the directory of the file that wrote it.
fn resolve(name: &str, from: &str) -> Result<(String, String), String> {
    if let Some(bare) = name.strip_prefix("builtin:") {
        return scenarios::compose::builtins_only(bare, from);
    }
    let base: PathBuf = if from.starts_with("builtin:") {
        // A built-in can only extend built-ins.
        return scenarios::compose::builtins_only(name, from);
    } else {
        Path::new(from)
            .parent()
            .map_or_else(|| PathBuf::from(name), |dir| dir.join(name))
    };
    let text = std::fs::read_to_string(&base).map_err(|e| {
        let builtin = library::find(name)
            .map(|_| format!(" (for the built-in scenario, write extends = \"builtin:{name}\")"))
            .unwrap_or_default();
        format!("{}: {e}{builtin}", base.display())
    })?;
    Ok((base.display().to_string(), text))
}
