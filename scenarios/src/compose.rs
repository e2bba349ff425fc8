//! Scenarios made of more than one text: a variant that `extends` a base
//! design, `[template.NAME]` tables that list elements reuse, values set
//! from the command line (`--set service.web.instances=5`), and the points
//! of a `[sweep]`.
//!
//! Composition works on TOML documents, before the typed parse: each file
//! is read into an editable document whose items are tagged with where they
//! were written ([`markers`]), the documents are merged, templates are
//! expanded, assignments are applied, and the result is rendered and parsed
//! like a single file. Every problem the parse finds is then mapped back to
//! the file, line and column the user wrote, or to the assignment.
//!
//! Merging a variant into its base: tables merge key by key; elements of
//! arrays of tables (`[[service]]`, `[[fault]]`, `[[zone]]`, …) are matched
//! by `name` (by `kind` for a fault without one) and merge key by key, and
//! unmatched ones are added; `remove = true` in a variant's element
//! removes the base's element of that name; any other value replaces the
//! base's.

mod assign;
mod markers;

use serde::Deserialize;
use serde_spanned::Spanned;
use toml_edit::{DocumentMut, Item, Table};

pub use self::assign::parse_assignment;
pub(crate) use self::assign::value_of;
pub(crate) use self::markers::Source;
use self::markers::SourceKind;
use crate::Scenario;
use crate::error::{Diagnostic, ScenarioError};
use crate::sweep::{SweepPoint, SweepSpec};

/// The deepest chain of `extends` followed: far beyond real use, and a
/// bound on a mistake.
const MAX_EXTENDS_DEPTH: usize = 16;

/// The largest scenario file read, in bytes (8 MiB, about 60,000 fault
/// tables): far beyond any design written by hand, and a bound on the time
/// and memory a mistaken or generated input can take (checking scales
/// linearly, about 0.5 s and 80 MB of memory per MiB). A larger file is
/// refused before it is parsed.
pub const MAX_FILE_BYTES: usize = 8 << 20;

/// Finds the scenario an `extends` names: given the name as written and
/// the origin of the file that wrote it, returns the base's origin and
/// text, or what went wrong.
pub type Resolver<'a> = dyn Fn(&str, &str) -> Result<(String, String), String> + 'a;

/// A resolver that knows only the built-in scenarios (`builtin:NAME` or a
/// bare built-in name): for texts that are not files.
pub fn builtins_only(name: &str, _from: &str) -> Result<(String, String), String> {
    let bare = name.strip_prefix("builtin:").unwrap_or(name);
    crate::library::find(bare)
        .map(|b| (format!("builtin:{}", b.name), b.source.to_string()))
        .ok_or_else(|| format!("no built-in scenario `{bare}`"))
}

/// A scenario after composition, ready to build (or to be changed by
/// assignments and sweep points first).
#[derive(Clone, Debug)]
pub struct Composed {
    doc: DocumentMut,
    sources: Vec<Source>,
    origin: String,
    sweep: Option<SweepSpec>,
}

/// The keys composition reads and removes before the typed parse.
#[derive(Deserialize)]
struct CompositionKeys {
    extends: Option<Spanned<toml::Value>>,
}

impl Composed {
    /// Reads `text` (from `origin`), following `extends` with `resolve`,
    /// expanding templates and reading the `[sweep]` table.
    pub fn new(text: &str, origin: &str, resolve: &Resolver) -> Result<Composed, ScenarioError> {
        let mut sources = Vec::new();
        let mut chain = Vec::new();
        let mut doc = load(text, origin, resolve, &mut sources, &mut chain)?;
        expand_templates(doc.as_table_mut(), &sources, origin)?;
        let sweep = match doc.remove("sweep") {
            Some(item) => Some(SweepSpec::from_item(&item, &sources)?),
            None => None,
        };
        Ok(Composed {
            doc,
            sources,
            origin: origin.to_string(),
            sweep,
        })
    }

    /// The file the scenario was read from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The sweep the scenario declares, if any.
    pub fn sweep(&self) -> Option<&SweepSpec> {
        self.sweep.as_ref()
    }

    /// Replaces the declared sweep (by one given on the command line).
    pub fn set_sweep(&mut self, sweep: Option<SweepSpec>) {
        self.sweep = sweep;
    }

    /// Applies `path=value` (as typed after `--set`): the value at `path`
    /// is replaced or added. `label` names the assignment in errors.
    pub fn assign(&mut self, path: &str, value: &str, label: &str) -> Result<(), ScenarioError> {
        let file = self.sources.len();
        self.sources.push(Source {
            origin: label.to_string(),
            kind: SourceKind::Assignment,
        });
        assign::set(self.doc.as_table_mut(), path, value, file).map_err(|message| {
            ScenarioError::single(label, Diagnostic::at("", None, None, message))
        })
    }

    /// Applies one `--set` flag, `path=value`.
    pub fn set(&mut self, assignment: &str) -> Result<(), ScenarioError> {
        let label = format!("--set {assignment}");
        let (path, value) = parse_assignment(assignment)
            .map_err(|m| ScenarioError::single(&label, Diagnostic::at("", None, None, m)))?;
        self.assign(&path, &value, &label)
    }

    /// This scenario at one point of a sweep.
    pub fn at_point(&self, point: &SweepPoint) -> Result<Composed, ScenarioError> {
        let mut c = self.clone();
        c.sweep = None;
        for (path, value) in &point.assignments {
            let label = format!("sweep point `{}` ({path} = {value})", point.label());
            c.assign(path, value, &label)?;
        }
        Ok(c)
    }

    /// The composed TOML, as the typed parse reads it (with the tags that
    /// map its lines back).
    pub fn text(&self) -> String {
        let mut doc = self.doc.clone();
        let mut next = 0;
        markers::renumber(doc.as_table_mut(), &mut next);
        doc.to_string()
    }

    /// Validates and builds the scenario; every problem is located in the
    /// file, line and column where it was written.
    pub fn build(&self) -> Result<Scenario, ScenarioError> {
        let text = self.text();
        crate::parse_single(&text, &self.origin)
            .map_err(|e| markers::remap(e, &text, &self.sources))
    }
}

/// Refuses a file larger than [`MAX_FILE_BYTES`] before anything reads it.
pub(crate) fn check_size(text: &str, origin: &str) -> Result<(), ScenarioError> {
    if text.len() <= MAX_FILE_BYTES {
        return Ok(());
    }
    Err(ScenarioError::single(
        origin,
        Diagnostic::at(
            "",
            None,
            None,
            format!(
                "the file is {} bytes; the largest scenario file read is {MAX_FILE_BYTES} bytes (8 MiB)",
                text.len()
            ),
        ),
    ))
}

/// Reads one file and, before it, the chain of bases it extends.
fn load(
    text: &str,
    origin: &str,
    resolve: &Resolver,
    sources: &mut Vec<Source>,
    chain: &mut Vec<String>,
) -> Result<DocumentMut, ScenarioError> {
    check_size(text, origin)?;
    let file = sources.len();
    sources.push(Source {
        origin: origin.to_string(),
        kind: SourceKind::File(text.to_string()),
    });
    let mut doc = markers::parse_tagged(text, file, origin)?;
    let keys: CompositionKeys =
        toml::from_str(&strip_to_root_keys(text)).unwrap_or(CompositionKeys { extends: None });
    let Some(extends) = keys.extends else {
        return Ok(doc);
    };
    doc.remove("extends");
    let at = |message: String| {
        ScenarioError::single(
            origin,
            Diagnostic::at(text, Some(extends.span()), Some("extends".into()), message),
        )
    };
    let Some(name) = extends.get_ref().as_str() else {
        return Err(at(
            "expected the base scenario as a string: a path relative to this file, or builtin:NAME"
                .into(),
        ));
    };
    if chain.len() >= MAX_EXTENDS_DEPTH {
        return Err(at(format!(
            "more than {MAX_EXTENDS_DEPTH} files extend one another; expected a short chain"
        )));
    }
    let (base_origin, base_text) =
        resolve(name, origin).map_err(|e| at(format!("cannot read `{name}`: {e}")))?;
    if base_origin == origin || chain.contains(&base_origin) {
        return Err(at(format!(
            "`{name}` extends, directly or not, this very file: expected a chain without a loop"
        )));
    }
    chain.push(origin.to_string());
    let mut base = load(&base_text, &base_origin, resolve, sources, chain)?;
    chain.pop();
    merge(base.as_table_mut(), doc.as_table(), sources)?;
    Ok(base)
}

/// The text up to the first table header: the root's own keys, where
/// `extends` must be.
fn strip_to_root_keys(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with('[') {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The name an element of an array of tables is matched by.
fn identity(t: &Table) -> Option<String> {
    t.get("name")
        .or_else(|| t.get("kind"))
        .and_then(Item::as_str)
        .map(|s| s.trim().to_string())
}

/// Merges `top` into `base` (see the module documentation).
fn merge(base: &mut Table, top: &Table, sources: &[Source]) -> Result<(), ScenarioError> {
    for (key, item) in top.iter() {
        let formatted = top.key(key).cloned().unwrap_or_else(|| key.into());
        match (base.get_mut(key), item) {
            (Some(Item::Table(b)), Item::Table(t)) => merge(b, t, sources)?,
            (Some(Item::ArrayOfTables(b)), Item::ArrayOfTables(t)) => {
                for element in t.iter() {
                    let id = identity(element);
                    let found = id
                        .as_ref()
                        .and_then(|id| b.iter().position(|e| identity(e).as_ref() == Some(id)));
                    let remove = element.get("remove").and_then(Item::as_bool) == Some(true);
                    match (found, remove) {
                        (Some(i), true) => {
                            b.remove(i);
                        }
                        (None, true) => {
                            let id = id.unwrap_or_default();
                            let names: Vec<String> = b.iter().filter_map(identity).collect();
                            let hint = crate::suggest(&id, names.iter().map(String::as_str))
                                .map(|s| format!("; did you mean `{s}`?"))
                                .unwrap_or_default();
                            return Err(located(
                                element.decor().suffix().and_then(|s| s.as_str()),
                                sources,
                                &format!("{key}.remove"),
                                format!(
                                    "`remove = true` but the base has no [[{key}]] named `{id}`; expected the name of an element to remove{hint}"
                                ),
                            ));
                        }
                        (Some(i), false) => {
                            if let Some(e) = b.get_mut(i) {
                                merge(e, element, sources)?;
                            }
                        }
                        (None, false) => b.push(element.clone()),
                    }
                }
            }
            _ => {
                base.insert_formatted(&formatted, item.clone());
            }
        }
    }
    Ok(())
}

/// A diagnostic at the item whose tag is `tag` (a decor suffix): in the
/// file and at the line where the item was written.
pub(crate) fn located(
    tag: Option<&str>,
    sources: &[Source],
    key: &str,
    message: String,
) -> ScenarioError {
    let origin = sources
        .first()
        .map_or("", |s| s.origin.as_str())
        .to_string();
    let mut d = Diagnostic::at("", None, Some(key.to_string()), message);
    if let Some((from, place)) = tag.and_then(|t| markers::locate(t, sources)) {
        d.origin = Some(from);
        if let Some((line, excerpt)) = place {
            let indent = excerpt.len() - excerpt.trim_start().len();
            d.line = Some(line);
            d.column = Some(indent + 1);
            d.width = excerpt.trim().chars().count().max(1);
            d.excerpt = Some(excerpt);
        }
    }
    ScenarioError::single(&origin, d)
}

/// Expands `template = "NAME"` in elements of arrays of tables with the
/// keys of `[template.NAME]` they do not set themselves, then removes the
/// templates.
fn expand_templates(
    root: &mut Table,
    sources: &[Source],
    origin: &str,
) -> Result<(), ScenarioError> {
    let templates = match root.remove("template") {
        None => Table::new(),
        Some(Item::Table(t)) => t,
        Some(other) => {
            let tag = other
                .as_value()
                .and_then(|v| v.decor().suffix())
                .and_then(|s| s.as_str());
            return Err(located(
                tag,
                sources,
                "template",
                "expected template tables, such as [template.app-server]".into(),
            ));
        }
    };
    let names: Vec<String> = templates.iter().map(|(k, _)| k.to_string()).collect();
    let mut errors = Vec::new();
    for (key, item) in root.iter_mut() {
        let Item::ArrayOfTables(array) = item else {
            continue;
        };
        for element in array.iter_mut() {
            let Some(Item::Value(v)) = element.remove("template") else {
                continue;
            };
            let tag = v
                .decor()
                .suffix()
                .and_then(|s| s.as_str())
                .map(str::to_string);
            let Some(name) = v.as_str().map(str::trim) else {
                errors.push(located(
                    tag.as_deref(),
                    sources,
                    &format!("{key}.template"),
                    "expected the name of a template as a string".into(),
                ));
                continue;
            };
            let Some(Item::Table(template)) = templates.get(name) else {
                let hint = crate::suggest(name, names.iter().map(String::as_str))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                let known = if names.is_empty() {
                    "no [template.NAME] tables are defined".to_string()
                } else {
                    format!("expected one of {}", names.join(", "))
                };
                errors.push(located(
                    tag.as_deref(),
                    sources,
                    &format!("{key}.template"),
                    format!("unknown template `{name}`: {known}{hint}"),
                ));
                continue;
            };
            for (k, item) in template.iter() {
                if !element.contains_key(k) {
                    let formatted = template.key(k).cloned().unwrap_or_else(|| k.into());
                    element.insert_formatted(&formatted, item.clone());
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ScenarioError {
            origin: origin.to_string(),
            diagnostics: errors.into_iter().flat_map(|e| e.diagnostics).collect(),
        })
    }
}

#[cfg(test)]
mod tests;
