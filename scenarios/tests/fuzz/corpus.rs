//! The inputs mutations start from: every built-in scenario, the TOML
//! and the `--set` and `--sweep` flags of the README, and the scenario
//! files the tests use, each with the paths `--set` can reach in it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use scenarios::library::BUILTINS;
use toml_edit::{DocumentMut, Item, Table, Value};

/// One file mutations start from.
#[derive(Debug)]
pub(crate) struct Seed {
    /// Where it came from (`builtin:NAME`, `README.md#2`, a file name).
    pub(crate) origin: String,
    /// Its text.
    pub(crate) text: String,
    /// Every value path in it, as `--set` writes them
    /// (`component.0.count`, `service.min_up`).
    pub(crate) paths: Vec<String>,
}

/// Every seed, with the flags of the README.
#[derive(Debug)]
pub(crate) struct Corpus {
    /// The files.
    pub(crate) seeds: Vec<Seed>,
    /// The `PATH=VALUE` of every `--set` in the README.
    pub(crate) sets: Vec<String>,
    /// The `PATH=VALUES` of every `--sweep` in the README.
    pub(crate) sweeps: Vec<String>,
}

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the scenarios crate is inside the workspace")
        .to_path_buf()
}

/// The corpus, read once.
pub(crate) fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(load)
}

fn load() -> Corpus {
    let mut seeds: Vec<Seed> = BUILTINS
        .iter()
        .map(|b| seed(format!("builtin:{}", b.name), b.source.to_string()))
        .collect();
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    for (i, block) in toml_blocks(&readme).into_iter().enumerate() {
        seeds.push(seed(format!("README.md#{i}"), block));
    }
    let data = root().join("tests/data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&data)
        .expect("tests/data")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for path in files {
        let name = path.file_name().expect("a file name").to_string_lossy();
        let text = std::fs::read_to_string(&path).expect("a test scenario");
        seeds.push(seed(name.into_owned(), text));
    }
    Corpus {
        seeds,
        sets: flags(&readme, "--set"),
        sweeps: flags(&readme, "--sweep"),
    }
}

fn seed(origin: String, text: String) -> Seed {
    let mut paths = Vec::new();
    if let Ok(doc) = text.parse::<DocumentMut>() {
        table_paths(doc.as_table(), "", &mut paths);
    }
    Seed {
        origin,
        text,
        paths,
    }
}

/// The paths of the values inside `table`, each prefixed by `prefix`.
fn table_paths(table: &Table, prefix: &str, out: &mut Vec<String>) {
    for (key, item) in table.iter() {
        let path = format!("{prefix}{key}");
        match item {
            Item::Table(t) => table_paths(t, &format!("{path}."), out),
            Item::ArrayOfTables(array) => {
                for (i, t) in array.iter().enumerate() {
                    table_paths(t, &format!("{path}.{i}."), out);
                }
            }
            Item::Value(Value::InlineTable(t)) => {
                for (k, _) in t.iter() {
                    out.push(format!("{path}.{k}"));
                }
                out.push(path);
            }
            Item::Value(_) => out.push(path),
            Item::None => {}
        }
    }
}

/// The bodies of the ```toml blocks of a Markdown text.
fn toml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```toml") => current = Some(String::new()),
            (Some(_), l) if l.starts_with("```") => blocks.extend(current.take()),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// The word after every `flag` in the Markdown text.
fn flags(markdown: &str, flag: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in markdown.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            if pair[0] == flag && pair[1].contains('=') {
                found.push(pair[1].trim_matches(|c| c == '`' || c == '\'').to_string());
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Finds what an `extends` names: a built-in, or a seed of that file name.
pub(crate) fn resolve(name: &str, from: &str) -> Result<(String, String), String> {
    if name.starts_with("builtin:") || from.starts_with("builtin:") {
        let bare = name.strip_prefix("builtin:").unwrap_or(name);
        return scenarios::compose::builtins_only(bare, from);
    }
    corpus()
        .seeds
        .iter()
        .find(|s| s.origin == name)
        .map(|s| (s.origin.clone(), s.text.clone()))
        .ok_or_else(|| format!("{name}: no such file"))
}
