//! `nines new`: a starter scenario file, copied from a built-in one and
//! renamed after the file.

use std::path::{Path, PathBuf};

use crate::cli::NewArgs;
use crate::fail::Failure;
use crate::output::write_file;

/// `nines new`.
pub(crate) fn new(args: NewArgs) -> Result<(), Failure> {
    let template = crate::catalog::find(&args.from)?;
    let path = file_path(&args.name);
    let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
        return Err(Failure::input(format!(
            "{}: not a file name; expected one such as my-design.toml",
            path.display()
        )));
    };
    // A link counts as existing, even a dangling one.
    if std::fs::symlink_metadata(&path).is_ok() && !args.force {
        return Err(Failure::input(format!(
            "{}: the file exists; use --force to overwrite it",
            path.display()
        )));
    }
    let text = renamed(template.source, &stem).ok_or_else(|| {
        Failure::internal(format!(
            "built-in scenario {} has no `name = \"...\"` line in its [scenario] table",
            template.name
        ))
    })?;
    write_file(&path, text.as_bytes())?;
    let shown = quoted(&path.to_string_lossy());
    eprintln!(
        "wrote {shown}: scenario `{stem}`, a copy of the built-in {}\nnext:\n  nines check {shown}\n  nines run {shown}",
        template.name
    );
    Ok(())
}

/// The file to write: `name`, with `.toml` added when it has no extension.
fn file_path(name: &Path) -> PathBuf {
    let mut path = name.to_path_buf();
    if path.extension().is_none() && path.file_name().is_some() {
        path.set_extension("toml");
    }
    path
}

/// `source` with the `name = "..."` line of its `[scenario]` table set to
/// `name` (anything after the value, such as a comment, is kept); `None`
/// if there is no such line.
fn renamed(source: &str, name: &str) -> Option<String> {
    // A JSON string is a TOML basic string: the same quotes and escapes.
    let value = serde_json::Value::from(name).to_string();
    let mut table = String::new();
    let mut done = false;
    let mut out = String::with_capacity(source.len() + name.len());
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            table = trimmed
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
        }
        if !done
            && table == "scenario"
            && let Some(rest) = name_value_end(trimmed)
        {
            let indent = &line[..line.len() - trimmed.len()];
            out.push_str(&format!("{indent}name = {value}{rest}"));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    done.then_some(out)
}

/// For a line `name = "..."...`, what follows the quoted value (a comment,
/// the line break).
fn name_value_end(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("name")?.trim_start().strip_prefix('=')?;
    let rest = rest.trim_start().strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(&rest[end + 1..])
}

/// `text` quoted for a POSIX shell when it needs quoting, so the commands
/// printed can be pasted.
fn quoted(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_is_renamed_and_still_parses() {
        for b in scenarios::library::BUILTINS {
            let text = renamed(b.source, "my \"design\"").expect("a name line");
            let s = scenarios::parse(&text, "new.toml").unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(s.name, "my \"design\"", "{}", b.name);
            assert_eq!(text.lines().count(), b.source.lines().count());
        }
    }

    #[test]
    fn toml_is_added_only_without_an_extension() {
        assert_eq!(file_path(Path::new("a")), Path::new("a.toml"));
        assert_eq!(file_path(Path::new("dir/a")), Path::new("dir/a.toml"));
        assert_eq!(file_path(Path::new("a.toml")), Path::new("a.toml"));
        assert_eq!(file_path(Path::new("a.txt")), Path::new("a.txt"));
    }

    #[test]
    fn only_the_scenario_name_changes() {
        let source = "# name = \"comment\"\n[[service]]\nname = \"web\"\n[scenario]\n  name = \"old\"   # the name\nname2 = 1\n";
        let out = renamed(source, "new").expect("renamed");
        assert_eq!(
            out,
            "# name = \"comment\"\n[[service]]\nname = \"web\"\n[scenario]\n  name = \"new\"   # the name\nname2 = 1\n"
        );
    }
}
