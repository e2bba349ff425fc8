//! `nines completions`: shell completion scripts, generated from the
//! command line's definition so they never fall behind it.
//!
//! Where a command takes a scenario, bash, zsh and fish offer the built-in
//! scenarios' names as well as files: bash from the names clap lists for
//! the argument (it falls back to file names when none matches what was
//! typed), zsh and fish through a few lines added to clap's script, since
//! clap would offer only the names there (zsh) or none (fish).

use clap::{Command, CommandFactory, ValueHint};
use clap_complete::Shell;

use crate::cli::{Cli, CompletionsArgs};
use crate::fail::Failure;
use crate::output::print;

/// `nines completions`.
pub(crate) fn completions(args: CompletionsArgs) -> Result<(), Failure> {
    print(&script(args.shell)?).map(drop)
}

/// The completion script for `shell`.
pub(crate) fn script(shell: Shell) -> Result<String, Failure> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "nines", &mut script);
    let script = String::from_utf8(script)
        .map_err(|e| Failure::internal(format!("the completion script is not UTF-8: {e}")))?;
    let names: Vec<&str> = scenarios::library::names().collect();
    Ok(match shell {
        Shell::Zsh => zsh_with_files(&script, &names),
        Shell::Fish => fish_with_names(&script, &Cli::command(), &names),
        _ => script,
    })
}

/// The zsh function that completes a scenario: a built-in name or a file.
const ZSH_FUNCTION: &str = "_nines_scenario";

/// clap's zsh script completes an argument that has possible values with
/// those values only. For a scenario, which may also be a file, the list is
/// replaced by a function offering both.
fn zsh_with_files(script: &str, names: &[&str]) -> String {
    let mut out = String::with_capacity(script.len());
    let mut rest = script;
    // The specs of the positional `scenario` (run, sweep, replay, hunt,
    // check) and `scenarios` (compare) arguments.
    while let Some(at) = ["\n':scenario -- ", "\n'*::scenarios -- "]
        .iter()
        .filter_map(|spec| rest.find(spec))
        .min()
    {
        let Some(open) = rest[at..].find(":((").map(|o| at + o + 1) else {
            break;
        };
        let Some(close) = rest[open..].find("))'").map(|c| open + c + 2) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(ZSH_FUNCTION);
        rest = &rest[close..];
    }
    out.push_str(rest);
    let function = format!(
        "\n{ZSH_FUNCTION}() {{\n    _alternative 'builtins:built-in scenario:({})' 'files:scenario file:_files'\n}}\n",
        names.join(" ")
    );
    match out.find('\n') {
        Some(first) => format!("{}{function}{}", &out[..first + 1], &out[first + 1..]),
        None => out + &function,
    }
}

/// clap's fish script completes no positional argument; a line per
/// command that takes a scenario adds the built-in names (fish still
/// offers files beside them).
fn fish_with_names(script: &str, command: &Command, names: &[&str]) -> String {
    let mut out = script.to_string();
    out.push_str("\n# Built-in scenarios, wherever a scenario is expected.\n");
    for sub in command.get_subcommands() {
        let takes_scenario = sub.get_positionals().any(|a| {
            a.get_value_hint() == ValueHint::FilePath && !a.get_possible_values().is_empty()
        });
        if takes_scenario {
            out.push_str(&format!(
                "complete -c nines -n \"__fish_nines_using_subcommand {}\" -a \"{}\" -d 'built-in scenario'\n",
                sub.get_name(),
                names.join(" ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command that takes a scenario, as `nines COMMAND`.
    const TAKE_A_SCENARIO: [&str; 6] = ["run", "sweep", "compare", "replay", "hunt", "check"];

    #[test]
    fn bash_offers_the_built_in_names_where_a_scenario_goes() {
        let s = script(Shell::Bash).unwrap();
        for command in TAKE_A_SCENARIO {
            let case = format!("nines__subcmd__{command})");
            let body = &s[s.find(&case).unwrap()..];
            let opts = body.lines().nth(1).unwrap();
            assert!(opts.contains(" cluster-2of3 "), "{command}: {opts}");
        }
        // Files stay completed when no name matches.
        assert!(s.contains("-o default nines"), "{s}");
    }

    #[test]
    fn zsh_offers_names_and_files_for_a_scenario() {
        let s = script(Shell::Zsh).unwrap();
        assert_eq!(s.lines().next(), Some("#compdef nines"));
        assert!(s.contains(&format!(
            "_alternative 'builtins:built-in scenario:({})' 'files:scenario file:_files'",
            scenarios::library::names().collect::<Vec<_>>().join(" ")
        )));
        // Each of the six commands' scenario argument calls it; `new
        // --from` and `scenarios show` keep the names alone.
        assert_eq!(s.matches(&format!(":{ZSH_FUNCTION}' \\")).count(), 6, "{s}");
        let first = scenarios::library::names().next().expect("a built-in");
        assert_eq!(s.matches(&format!("(({first}\\:")).count(), 2, "{s}");
    }

    #[test]
    fn fish_offers_the_names_for_every_command_that_takes_a_scenario() {
        let s = script(Shell::Fish).unwrap();
        let first = scenarios::library::names().next().expect("a built-in");
        for command in TAKE_A_SCENARIO {
            let line = format!("-n \"__fish_nines_using_subcommand {command}\" -a \"{first} ");
            assert!(s.contains(&line), "{command}");
        }
        assert!(!s.contains("__fish_nines_using_subcommand new\" -a"));
    }
}
