//! The help texts, held by snapshots: `nines --help` and the help of every
//! command it lists (and of each `nines scenarios` subcommand).

use crate::support::nines;

/// The commands `nines --help` lists, in order.
fn commands_of(help: &str) -> Vec<String> {
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
    let listed = commands_of(&help(&[]));
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

/// The example command lines of a help text: the lines under `Examples:`
/// that start with `nines`, without a trailing note in parentheses.
fn examples(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Examples:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(str::trim)
        .filter(|l| l.starts_with("nines "))
        .map(|l| match l.find("  (") {
            Some(note) => l[..note].trim_end().to_string(),
            None => l.to_string(),
        })
        .collect()
}

/// Whether a program is on PATH.
fn on_path(program: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every example of every help text runs as printed and succeeds. The
/// examples of one command run in order in a directory of their own
/// (holding only the two design files the examples name), with the home
/// directory there too, so a later example may use what an earlier one
/// wrote.
#[test]
fn every_help_example_runs() {
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_nines"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let jq = on_path("jq");
    let mut commands = vec![Vec::new()];
    commands.extend(commands_of(&help(&[])).into_iter().map(|c| vec![c]));
    commands.push(vec!["scenarios".into(), "show".into()]);
    let mut ran = 0;
    for command in commands {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let dir = tempfile::tempdir().unwrap();
        let lines = examples(&help(&args));
        // The design files the examples name, unless an example writes one.
        for design in ["design.toml", "design-with-replica.toml", "my-design.toml"] {
            let made = lines.iter().any(|l| {
                l.contains(&format!("new {design}")) || l.contains(&format!("> {design}"))
            });
            if !made {
                std::fs::write(
                    dir.path().join(design),
                    crate::support::nines_ok(&["scenarios", "show", "web-n-plus-1"]).stdout,
                )
                .unwrap();
            }
        }
        for example in lines {
            let mut line = example.clone();
            if !jq && let Some(pipe) = line.find(" | jq") {
                line.truncate(pipe);
            }
            // A redirection into a directory that is not there yet (the
            // completions' usual homes) gets its directory.
            if let Some((_, target)) = line.split_once(" > ") {
                let target = target
                    .trim()
                    .replace('~', &dir.path().display().to_string());
                if let Some(parent) = std::path::Path::new(&target).parent() {
                    std::fs::create_dir_all(dir.path().join(parent)).unwrap();
                }
            }
            let out = std::process::Command::new("sh")
                .args(["-c", &line])
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("HOME", dir.path())
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "`{example}` (nines {} --help) exits {:?}: {}",
                command.join(" "),
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 40, "only {ran} examples found");
}
