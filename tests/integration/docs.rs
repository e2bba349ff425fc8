//! The cluster guide stays true: every `nines` command of the example job
//! files in `docs/examples/` runs as written (the batch system's variables
//! filled in) on a small sweep in three shards, and the merge gives exactly
//! the unsharded sweep; every `nines` command shown in `docs/cluster.md`
//! uses only flags its subcommand accepts.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::nines;

/// Shards of the small sweep the job files are run on.
const SHARDS: usize = 3;

/// Replications per point of that sweep.
const REPLICATIONS: &str = "2";

/// The job files, as (sweep, merge) pairs of one batch system. Every file
/// in `docs/examples/` that runs `nines` must be in one of them.
const PAIRS: &[(&str, &str)] = &[
    ("sweep-array.slurm", "merge.slurm"),
    ("sweep-job.yaml", "merge-job.yaml"),
];

/// The subcommands whose flags `docs/cluster.md` is checked against.
const CHECKED: &[&str] = &["sweep", "merge", "run", "check"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines of `text`, with lines ending in a backslash joined to the next
/// as the shell joins them.
fn logical_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        match line.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head);
                current.push(' ');
            }
            None => {
                current.push_str(line);
                lines.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// One shell word: its text, whether it holds an unquoted `*`, and the
/// first variable in it that could not be expanded.
#[derive(Clone, Debug)]
struct Word {
    text: String,
    glob: bool,
    unknown: Option<String>,
}

/// Looks up a shell variable; `None` when it has no value the test knows.
type Vars<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Splits a command line into words as `sh` does for the plain lines of
/// the job files: blanks, single and double quotes, backslashes, `$NAME`
/// and `${NAME}` (looked up with `var`), a `#` comment. What it cannot
/// expand (an unknown variable, `$(...)`) is kept as written and marked.
fn words(line: &str, var: Vars<'_>) -> Vec<Word> {
    fn expand(
        chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
        var: Vars<'_>,
        word: &mut Word,
    ) {
        let mut name = String::new();
        if chars.peek() == Some(&'(') {
            // Command substitution or arithmetic: kept, balanced, unexpanded.
            let mut depth = 0;
            for c in chars.by_ref() {
                name.push(c);
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                if depth == 0 {
                    break;
                }
            }
            word.text.push('$');
            word.text.push_str(&name);
            word.unknown.get_or_insert(format!("${name}"));
            return;
        }
        if chars.peek() == Some(&'{') {
            chars.next();
            for c in chars.by_ref() {
                if c == '}' {
                    break;
                }
                name.push(c);
            }
        } else {
            while let Some(&c) = chars.peek() {
                if !(c.is_ascii_alphanumeric() || c == '_') {
                    break;
                }
                name.push(c);
                chars.next();
            }
        }
        match var(&name) {
            Some(value) => word.text.push_str(&value),
            None => {
                word.text.push_str(&format!("${{{name}}}"));
                word.unknown.get_or_insert(name);
            }
        }
    }
    let mut out = Vec::new();
    let mut current: Option<Word> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' || c == '\t' {
            out.extend(current.take());
            continue;
        }
        if c == '#' && current.is_none() {
            break;
        }
        let word = current.get_or_insert_with(|| Word {
            text: String::new(),
            glob: false,
            unknown: None,
        });
        match c {
            '\'' => {
                let quoted: String = chars.by_ref().take_while(|&c| c != '\'').collect();
                word.text.push_str(&quoted);
            }
            '"' => loop {
                match chars.next() {
                    None => panic!("an unclosed quote in: {line}"),
                    Some('"') => break,
                    Some('$') => expand(&mut chars, var, word),
                    Some('\\') => word.text.extend(chars.next()),
                    Some(c) => word.text.push(c),
                }
            },
            '$' => expand(&mut chars, var, word),
            '\\' => word.text.extend(chars.next()),
            '*' => {
                word.glob = true;
                word.text.push('*');
            }
            c => word.text.push(c),
        }
    }
    out.extend(current);
    out
}

/// The `nines` commands of `text`: for each, the words after `nines` up to
/// the end of the command (`&&`, `||`, `;`, `|`), for the subcommands
/// `only` lists.
fn nines_commands(text: &str, only: &[&str], var: Vars<'_>) -> Vec<Vec<Word>> {
    let mut found = Vec::new();
    for line in logical_lines(text) {
        let all = words(&line, var);
        let mut rest = all.as_slice();
        while let Some(at) = rest.iter().position(|w| w.text == "nines") {
            rest = &rest[at + 1..];
            if rest
                .first()
                .is_some_and(|w| only.contains(&w.text.as_str()))
            {
                let end = rest
                    .iter()
                    .position(|w| matches!(w.text.as_str(), "&&" | "||" | ";" | "|"))
                    .unwrap_or(rest.len());
                found.push(rest[..end].to_vec());
            }
        }
    }
    found
}

/// The value of a shell variable in a job file, for shard `shard`.
fn job_variable(name: &str, shard: usize) -> Option<String> {
    Some(match name {
        "SLURM_ARRAY_TASK_ID" | "SHARD" => shard.to_string(),
        "SHARDS" => SHARDS.to_string(),
        "SLURM_CPUS_PER_TASK" | "THREADS" => "1".to_string(),
        "SCENARIO" => "web-replicas-sweep".to_string(),
        _ => return None,
    })
}

/// A job file's path word made local: `/data/...` (the Kubernetes volume)
/// under `dir`; relative paths stay relative (the commands run in `dir`).
/// An unquoted `*` in the last component is expanded, sorted, as `sh`
/// does.
fn local_paths(word: &Word, dir: &Path) -> Vec<String> {
    let text = match word.text.strip_prefix("/data/") {
        Some(rest) => dir.join("data").join(rest).to_string_lossy().into_owned(),
        None => word.text.clone(),
    };
    if !word.glob {
        return vec![text];
    }
    let (parent, pattern) = text.rsplit_once('/').unwrap_or((".", &text));
    let (prefix, suffix) = pattern
        .split_once('*')
        .unwrap_or_else(|| panic!("a glob the test cannot expand: {text}"));
    let mut matches: Vec<String> = std::fs::read_dir(dir.join(parent))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| {
                    n.len() >= prefix.len() + suffix.len()
                        && n.starts_with(prefix)
                        && n.ends_with(suffix)
                })
                .map(|n| format!("{parent}/{n}"))
                .collect()
        })
        .unwrap_or_default();
    matches.sort();
    if matches.is_empty() {
        vec![text]
    } else {
        matches
    }
}

/// Runs one `nines` command (the words after `nines`) in `dir`.
fn run_in(dir: &Path, args: &[String], file: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_nines"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the nines binary runs");
    assert!(
        out.status.success(),
        "docs/examples/{file}: nines {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The single command of `subcommand` in a job file, with variables for
/// shard `shard` and paths under `dir`, scaled down to `REPLICATIONS`.
fn job_command(file: &str, subcommand: &str, shard: usize, dir: &Path) -> Vec<String> {
    let text = read(&root().join("docs/examples").join(file));
    let mut commands = nines_commands(&text, &[subcommand], &|name| job_variable(name, shard));
    assert_eq!(
        commands.len(),
        1,
        "docs/examples/{file}: expected one `nines {subcommand}` command"
    );
    let command = commands.remove(0);
    if let Some(unknown) = command.iter().find_map(|w| w.unknown.as_ref()) {
        panic!(
            "docs/examples/{file}: `nines {subcommand}` uses {unknown}, which the test does not know; add it to job_variable"
        );
    }
    let mut args: Vec<String> = command.iter().flat_map(|w| local_paths(w, dir)).collect();
    if subcommand == "sweep" {
        match args.iter().position(|a| a == "--replications" || a == "-r") {
            Some(at) => args[at + 1] = REPLICATIONS.to_string(),
            None => args.extend(["--replications".to_string(), REPLICATIONS.to_string()]),
        }
    }
    args
}

/// The value of `flag` in `args`.
fn flag<'a>(args: &'a [String], flag: &str) -> &'a str {
    let at = args
        .iter()
        .position(|a| a == flag)
        .unwrap_or_else(|| panic!("no {flag} in {args:?}"));
    &args[at + 1]
}

/// The number after `key` on the first line of `text` that holds it.
fn number_after(text: &str, key: &str, file: &str) -> usize {
    let line = text
        .lines()
        .find(|l| l.contains(key))
        .unwrap_or_else(|| panic!("docs/examples/{file}: no `{key}`"));
    let after = &line[line.find(key).unwrap() + key.len()..];
    let digits: String = after
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("docs/examples/{file}: no number after `{key}`: {line}"))
}

#[test]
fn every_example_job_file_is_tested() {
    let dir = root().join("docs/examples");
    let paired: BTreeSet<&str> = PAIRS.iter().flat_map(|&(s, m)| [s, m]).collect();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for name in names {
        let text = read(&dir.join(&name));
        let runs_nines = !nines_commands(&text, CHECKED, &|_| Some("X".to_string())).is_empty();
        assert!(
            !runs_nines || paired.contains(name.as_str()),
            "docs/examples/{name} runs nines but no test runs it: add it to PAIRS"
        );
    }
}

#[test]
fn shard_counts_agree_with_the_batch_systems() {
    let slurm = read(&root().join("docs/examples/sweep-array.slurm"));
    assert_eq!(
        number_after(&slurm, "#SBATCH --array=1-", "sweep-array.slurm"),
        number_after(&slurm, "SHARDS=${SHARDS:-", "sweep-array.slurm"),
        "sweep-array.slurm: the array's size and SHARDS differ"
    );
    let job = read(&root().join("docs/examples/sweep-job.yaml"));
    let shards_env = &job[job
        .find("name: SHARDS")
        .expect("sweep-job.yaml: no SHARDS variable")..];
    assert_eq!(
        number_after(&job, "completions:", "sweep-job.yaml"),
        number_after(shards_env, "value:", "sweep-job.yaml"),
        "sweep-job.yaml: completions and SHARDS differ"
    );
    assert!(
        job.contains("completionMode: Indexed")
            && job.contains("SHARD=$((JOB_COMPLETION_INDEX + 1))"),
        "sweep-job.yaml: shard I is the pod of completion index I - 1"
    );
}

/// Each batch system's files, run as the array (or the indexed Job) would,
/// shard by shard, then the merge: the bytes of the unsharded sweep.
#[test]
fn example_job_files_shard_and_merge_to_the_unsharded_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    let run = nines(&[
        "sweep",
        "web-replicas-sweep",
        "--replications",
        REPLICATIONS,
        "--out",
        &whole.to_string_lossy(),
        "-q",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for &(sweep_file, merge_file) in PAIRS {
        let dir = tmp.path().join(sweep_file.replace('.', "-"));
        std::fs::create_dir_all(&dir).unwrap();
        for shard in 1..=SHARDS {
            let args = job_command(sweep_file, "sweep", shard, &dir);
            assert_eq!(
                flag(&args, "--shard"),
                format!("{shard}/{SHARDS}"),
                "{sweep_file}"
            );
            run_in(&dir, &args, sweep_file);
        }
        let args = job_command(merge_file, "merge", 0, &dir);
        let shard_dirs = args.iter().filter(|a| !a.starts_with('-')).count() - 2;
        assert_eq!(
            shard_dirs, SHARDS,
            "{merge_file}: the merge should read every shard: {args:?}"
        );
        run_in(&dir, &args, merge_file);
        let merged = dir.join(flag(&args, "--out"));
        for name in ["sweep.json", "sweep.csv"] {
            assert!(
                std::fs::read(whole.join(name)).unwrap()
                    == std::fs::read(merged.join(name)).unwrap(),
                "{sweep_file} then {merge_file}: {name} differs from the unsharded sweep's"
            );
        }
    }
}

/// The option names (`--out`, `-q`) that `nines SUBCOMMAND --help` lists.
fn accepted_flags(subcommand: &str) -> BTreeSet<String> {
    let run = nines(&[subcommand, "--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .flat_map(|l| {
            l.split_whitespace()
                .take_while(|w| w.starts_with('-'))
                .map(|w| w.trim_end_matches(',').to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_guide_uses_only_flags_nines_accepts() {
    let text = read(&root().join("docs/cluster.md"));
    // Only the fenced code blocks hold commands.
    let code: String = text
        .split("```")
        .skip(1)
        .step_by(2)
        .collect::<Vec<_>>()
        .join("\n");
    let commands = nines_commands(&code, CHECKED, &|name| Some(format!("<{name}>")));
    for sub in ["sweep", "merge"] {
        assert!(
            commands.iter().any(|c| c[0].text == sub),
            "docs/cluster.md shows no `nines {sub}` command"
        );
    }
    for command in commands {
        let accepted = accepted_flags(&command[0].text);
        for word in &command[1..] {
            let name = word.text.split('=').next().unwrap_or_default();
            if name.starts_with('-') && name != "-" {
                assert!(
                    accepted.contains(name),
                    "docs/cluster.md: `nines {}` has no flag {name}: {}",
                    command[0].text,
                    command
                        .iter()
                        .map(|w| w.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                );
            }
        }
    }
}

/// The README's set-up works outside the checkout and in scripts: `nines`
/// comes from `cargo install --path .` (no shell alias to a build
/// directory, which breaks elsewhere), and it says how long the tests
/// take and how to run a part; CI runs the test command it gives.
#[test]
fn the_readme_sets_up_nines_on_the_path_and_says_what_the_tests_cost() {
    let readme = read(&root().join("README.md"));
    let setup = &readme[readme.find("## Set up").expect("a set-up section")..];
    let setup = &setup[..setup[3..].find("\n## ").map_or(setup.len(), |i| i + 3)];
    assert!(setup.contains("cargo install --path ."), "{setup}");
    assert!(
        !readme.contains("alias nines="),
        "an alias breaks in scripts"
    );
    assert!(
        !readme.contains("target/release/nines "),
        "commands use the installed nines"
    );
    assert!(
        setup.contains("minutes"),
        "how long the tests take: {setup}"
    );
    assert!(
        setup.contains("cargo test -p "),
        "how to run a part: {setup}"
    );
    let test_command = setup
        .lines()
        .find(|l| l.starts_with("cargo test"))
        .and_then(|l| l.split('#').next())
        .map(str::trim)
        .expect("the test command");
    let ci = read(&root().join(".ci/run"));
    assert!(ci.contains(test_command), "CI runs `{test_command}`");
}
