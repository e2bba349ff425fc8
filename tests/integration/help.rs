//! The help texts, held by snapshots: `nines --help` and the help of every
//! command it lists (and of each `nines scenarios` subcommand).

use crate::support::nines;

/// The commands `nines --help` lists, in order.
fn commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// `nines ARGS --help`, which must succeed.
fn help(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.push("--help");
    let run = nines(&all);
    assert_eq!(run.code, 0, "nines {all:?}: {}", run.stderr);
    assert!(run.stderr.is_empty(), "nines {all:?}: {}", run.stderr);
    run.stdout
}

#[test]
fn top_level_help() {
    insta::assert_snapshot!("help", help(&[]));
}

#[test]
fn every_command_has_help_with_examples() {
    let listed = commands(&help(&[]));
    for expected in ["run", "check", "new", "scenarios", "schema", "completions"] {
        assert!(
            listed.iter().any(|c| c == expected),
            "{expected} is not listed"
        );
    }
    for command in &listed {
        let text = help(&[command]);
        if command != "validate" {
            assert!(
                text.contains("Examples:"),
                "nines {command} --help has no examples"
            );
        }
        insta::assert_snapshot!(format!("help-{command}"), text);
    }
    for sub in ["list", "show"] {
        insta::assert_snapshot!(format!("help-scenarios-{sub}"), help(&["scenarios", sub]));
    }
}
