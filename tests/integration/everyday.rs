//! The everyday commands around `run`: `scenarios list` and `show`,
//! `new`, `check`, `schema` and `completions`.

use crate::support::{fixture, nines, nines_json};

#[test]
fn scenarios_list_has_one_line_per_builtin() {
    let run = nines(&["scenarios", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.lines().count(),
        scenarios::library::BUILTINS.len()
    );
    insta::assert_snapshot!("scenarios-list", run.stdout);
}

#[test]
fn scenarios_show_prints_each_file_verbatim() {
    for b in scenarios::library::BUILTINS {
        let run = nines(&["scenarios", "show", b.name]);
        assert_eq!(run.code, 0, "{}: {}", b.name, run.stderr);
        assert_eq!(run.stdout, b.source, "{}", b.name);
        let s = scenarios::parse(&run.stdout, "shown.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.name, b.name);
    }
}

#[test]
fn an_unknown_builtin_gets_a_suggestion() {
    for args in [
        &["scenarios", "show", "multi-ax"][..],
        &["new", "x.toml", "--from", "multi-ax"],
    ] {
        let run = nines(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr.contains("did you mean `multi-az`?"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn new_writes_a_renamed_copy_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("my-quorum");
    let base = base.to_str().unwrap();
    let path = format!("{base}.toml");

    let run = nines(&["new", base, "--from", "cluster-2of3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "status goes to stderr: {}",
        run.stdout
    );
    assert!(
        run.stderr.contains(&format!("nines check {path}")),
        "{}",
        run.stderr
    );
    let written = std::fs::read_to_string(&path).unwrap();
    let s = scenarios::parse(&written, &path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.name, "my-quorum");
    assert_eq!(nines(&["check", &path]).code, 0);

    // An existing file is left alone without --force, whatever the name says.
    std::fs::write(&path, "# mine\n").unwrap();
    for name in [base, path.as_str()] {
        let run = nines(&["new", name, "--from", "multi-az"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("--force"), "{}", run.stderr);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");
    }
    let run = nines(&["new", &path, "--from", "multi-az", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = scenarios::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap();
    assert_eq!(s.name, "my-quorum");
    assert!(s.description.contains("three zones"));
}

#[test]
fn check_summarises_one_builtin_of_each_format() {
    for name in [
        "cluster-2of3",
        "multi-az",
        "retry-storm",
        "web-replicas-sweep",
    ] {
        let run = nines(&["check", name]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        insta::assert_snapshot!(format!("check-{name}"), run.stdout);
    }
}

#[test]
fn check_json_is_the_same_summary() {
    for (name, format) in [
        ("cluster-2of3", "k-of-n"),
        ("multi-az", "system"),
        ("retry-storm", "requests"),
    ] {
        let v = nines_json(&["check", name, "--json", "-"]);
        assert_eq!(v["scenario"], name);
        assert_eq!(v["origin"], format!("builtin:{name}"));
        assert_eq!(v["format"], format);
        assert_eq!(v["problems"], 0);
        assert_eq!(v["simulations"], v["simulation"]["replications"]);
        let model = match format {
            "k-of-n" => "k_of_n",
            other => other,
        };
        assert!(v[model].is_object(), "{name}: no `{model}`");
        if name != "multi-az" {
            insta::assert_json_snapshot!(format!("check-json-{name}"), v);
        }
    }
    let v = nines_json(&["check", "multi-az", "--json", "-"]);
    let s = &v["system"];
    assert_eq!(s["hosts"], 37);
    assert_eq!(s["services"][0]["name"], "web");
    assert_eq!(s["services"][0]["per_zone"][0]["instances"], 4);
    assert_eq!(s["services"][0]["up_rule"]["rule"], "capacity");
    assert_eq!(s["faults"][0]["target_count"], 36);
    assert_eq!(
        s["faults"][0]["occurs"]["random"]["every"],
        "exponential(mean = 2y)"
    );
}

#[test]
fn check_reports_problems_exactly_like_run() {
    for file in [
        "typo-key.toml",
        "many-mistakes.toml",
        "k-greater-than-n.toml",
    ] {
        let path = fixture(file);
        let check = nines(&["check", &path]);
        let run = nines(&["run", &path]);
        assert_eq!(check.code, 2, "{file}");
        assert!(check.stdout.is_empty(), "{file}: {}", check.stdout);
        assert_eq!(check.stderr, run.stderr, "{file}");
    }
}

#[test]
fn schema_is_a_json_object_naming_the_three_formats() {
    let v = nines_json(&["schema"]);
    assert!(v.is_object());
    let formats: Vec<&str> = v["anyOf"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["$ref"].as_str())
        .collect();
    for format in ["KofNScenario", "SystemScenario", "RequestScenario"] {
        assert!(
            formats.contains(&format!("#/definitions/{format}").as_str()),
            "{formats:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nines.schema.json");
    let run = nines(&["schema", "--out", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(written, v);
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = nines(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("nines"), "{shell}");
        assert!(run.stdout.contains("scenarios"), "{shell}: no subcommands");
    }
    assert_eq!(nines(&["completions", "tcsh"]).code, 2);
}

/// What bash offers for the last word of `words` with the script of
/// `nines completions bash` loaded.
fn bash_completes(words: &[&str]) -> Option<Vec<String>> {
    let script = nines(&["completions", "bash"]).stdout;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nines.bash");
    std::fs::write(&path, script).unwrap();
    let n = words.len() - 1;
    let call = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={n}; _nines nines '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display(),
        words.join(" "),
        words[n],
        words[n - 1],
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &call])
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

#[test]
fn bash_completes_built_in_scenario_names() {
    let Some(got) = bash_completes(&["nines", "run", "clu"]) else {
        eprintln!("no bash here: skipped");
        return;
    };
    assert_eq!(got, ["cluster-2of3"]);
    let got = bash_completes(&["nines", "compare", "web-n-plus-1", "mul"]).unwrap();
    assert_eq!(got, ["multi-az"]);
    let got = bash_completes(&["nines", "new", "x.toml", "--from", "db-"]).unwrap();
    assert_eq!(got, ["db-active-passive", "db-sync-vs-async"]);
    // A path matches no name: bash's own file completion takes over.
    assert!(
        bash_completes(&["nines", "run", "./my"])
            .unwrap()
            .is_empty()
    );
}
