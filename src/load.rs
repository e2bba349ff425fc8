//! Finding and reading a scenario: a file path or a built-in name, with the
//! command line's `--set` changes applied.

use std::path::Path;

use scenarios::{Scenario, library};

use crate::cli::ScenarioArgs;
use crate::fail::Failure;

/// Loads the scenario `args` names, with its `--set` changes.
pub(crate) fn load(args: &ScenarioArgs) -> Result<Scenario, Failure> {
    if !args.set.is_empty() {
        return Err(Failure::input(
            "--set is not available in this build".to_string(),
        ));
    }
    load_scenario(&args.scenario)
}

/// The scenario and its `--set` flags as they would be typed again, for
/// the "reproduce" line.
pub(crate) fn command_line(args: &ScenarioArgs) -> String {
    let mut s = args.scenario.clone();
    for set in &args.set {
        s.push_str(" --set ");
        s.push_str(&shell_quote(set));
    }
    s
}

/// `text` quoted for a POSIX shell when it needs quoting.
fn shell_quote(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain && !text.is_empty() {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Loads `arg`: an existing file, else a built-in scenario of that name.
pub(crate) fn load_scenario(arg: &str) -> Result<Scenario, Failure> {
    let path = Path::new(arg);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::input(format!("{arg}: cannot read the scenario file: {e}")))?;
        return scenarios::parse(&text, arg).map_err(|e| Failure::input(e.to_string()));
    }
    if let Some(b) = library::find(arg) {
        return scenarios::parse(b.source, &format!("builtin:{}", b.name))
            .map_err(|e| Failure::internal(format!("built-in scenario {arg} is invalid: {e}")));
    }
    let builtins: Vec<&str> = library::names().collect();
    let hint = if path.exists() {
        "it exists but is not a regular file".to_string()
    } else if arg.ends_with(".toml") || arg.contains('/') {
        "no such file".to_string()
    } else {
        format!(
            "no such file, and no built-in scenario of that name (built-ins: {})",
            builtins.join(", ")
        )
    };
    Err(Failure::input(format!("{arg}: {hint}")))
}
