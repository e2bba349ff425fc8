//! Where each line of a composed document came from.
//!
//! Before files are merged, every key-value pair and every table header of
//! each file is tagged with a trailing comment `#@F:S:E`: file `F`, the
//! item's first and last line there. The composed text keeps each item's
//! text as written (toml_edit preserves keys, values and their spacing), so
//! a problem found at some line of the composed text is mapped back to the
//! file and line the user wrote by reading the tag that ends its item.

use std::ops::Range;

use toml_edit::{Document, DocumentMut, Item, Table};

use crate::error::{Diagnostic, ScenarioError};
use crate::lines::LineIndex;

/// What a file of the composition is.
#[derive(Clone, Debug)]
pub(crate) enum SourceKind {
    /// A scenario file with its text.
    File(String),
    /// A value set on the command line or by a sweep point; the label says
    /// which (`--set service.web.instances=5`).
    Assignment,
}

/// One input of a composition.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    /// Its path, `builtin:NAME`, or the assignment as typed.
    pub(crate) origin: String,
    pub(crate) kind: SourceKind,
}

/// The tag of one item: its source and first and last lines there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Tag {
    file: usize,
    first: usize,
    last: usize,
}

impl Tag {
    fn render(self) -> String {
        format!(" #@{}:{}:{}", self.file, self.first, self.last)
    }

    /// The tag at the end of `line`, if it has one.
    fn parse(line: &str) -> Option<Tag> {
        let at = line.rfind(" #@")?;
        let mut parts = line[at + 3..].trim_end().split(':');
        let file = parts.next()?.parse().ok()?;
        let first = parts.next()?.parse().ok()?;
        let last = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some(Tag { file, first, last })
    }
}

/// Parses `text` (source number `file`) into an editable document whose
/// items carry their tags.
pub(crate) fn parse_tagged(
    text: &str,
    file: usize,
    origin: &str,
) -> Result<DocumentMut, ScenarioError> {
    let doc = Document::parse(text.to_string()).map_err(|e| {
        let span = e.span();
        let message = e.message().trim().to_string();
        ScenarioError::single(origin, Diagnostic::at(text, span, None, message))
    })?;
    let mut tags = Vec::new();
    let lines = LineIndex::new(text);
    collect(doc.as_table(), &lines, file, &mut tags);
    let mut doc = doc.into_mut();
    let mut tags = tags.into_iter();
    apply(doc.as_table_mut(), &mut tags);
    Ok(doc)
}

fn tag_of(lines: &LineIndex, file: usize, span: Range<usize>) -> Tag {
    Tag {
        file,
        first: lines.line(span.start),
        last: lines.line(span.end.saturating_sub(1).max(span.start)),
    }
}

/// Tags in the order [`apply`] visits the items.
fn collect(table: &Table, lines: &LineIndex, file: usize, out: &mut Vec<Option<Tag>>) {
    for (key, item) in table.iter() {
        let key_span = table.key(key).and_then(|k| k.span());
        match item {
            Item::Value(v) => {
                let span = match (key_span, v.span()) {
                    (Some(k), Some(v)) => Some(k.start..v.end),
                    (None, Some(v)) => Some(v),
                    _ => None,
                };
                out.push(span.map(|s| tag_of(lines, file, s)));
            }
            Item::Table(t) => {
                out.push(header_tag(t, lines, file));
                collect(t, lines, file, out);
            }
            Item::ArrayOfTables(a) => {
                for t in a.iter() {
                    out.push(header_tag(t, lines, file));
                    collect(t, lines, file, out);
                }
            }
            Item::None => {}
        }
    }
}

fn header_tag(t: &Table, lines: &LineIndex, file: usize) -> Option<Tag> {
    if t.is_implicit() || t.is_dotted() {
        return None;
    }
    t.span().map(|s| {
        let line = lines.line(s.start);
        Tag {
            file,
            first: line,
            last: line,
        }
    })
}

/// Puts the tags collected by [`collect`] on the items of the despanned
/// document, in the same order.
fn apply(table: &mut Table, tags: &mut impl Iterator<Item = Option<Tag>>) {
    for (_, item) in table.iter_mut() {
        match item {
            Item::Value(v) => {
                if let Some(Some(tag)) = tags.next() {
                    let kept = kept_suffix(v.decor());
                    v.decor_mut().set_suffix(format!("{kept}{}", tag.render()));
                }
            }
            Item::Table(t) => {
                set_header_tag(t, tags.next().flatten());
                apply(t, tags);
            }
            Item::ArrayOfTables(a) => {
                for t in a.iter_mut() {
                    set_header_tag(t, tags.next().flatten());
                    apply(t, tags);
                }
            }
            Item::None => {}
        }
    }
}

fn set_header_tag(t: &mut Table, tag: Option<Tag>) {
    if let Some(tag) = tag {
        let kept = kept_suffix(t.decor());
        t.decor_mut().set_suffix(format!("{kept}{}", tag.render()));
    }
}

/// An item's trailing comment, kept in front of its tag (which is read
/// from the end of the line), so that composed text keeps the comments
/// written on the lines of values and headers.
fn kept_suffix(decor: &toml_edit::Decor) -> String {
    decor
        .suffix()
        .and_then(|s| s.as_str())
        .map(|s| s.trim_end().to_string())
        .unwrap_or_default()
}

/// Where the item whose tag is `tag` (a decor suffix) was written: its
/// source's origin, and for a file the item's first line and its text.
pub(crate) fn locate(tag: &str, sources: &[Source]) -> Option<(String, Option<(usize, String)>)> {
    let tag = Tag::parse(tag)?;
    let source = sources.get(tag.file)?;
    let place = match &source.kind {
        SourceKind::Assignment => None,
        SourceKind::File(text) => {
            let line = text.lines().nth(tag.first.checked_sub(1)?)?;
            Some((tag.first, line.trim_end_matches('\r').to_string()))
        }
    };
    Some((source.origin.clone(), place))
}

/// Tags a value set by an assignment (source number `file`).
pub(crate) fn tag_assignment(value: &mut toml_edit::Value, file: usize) {
    value.decor_mut().set_suffix(
        Tag {
            file,
            first: 0,
            last: 0,
        }
        .render(),
    );
}

/// Gives every table a position in document order, parents before their
/// children, so that merged documents render as valid, nested TOML.
pub(crate) fn renumber(table: &mut Table, next: &mut isize) {
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) if !t.is_dotted() => {
                t.set_position(Some(*next));
                *next += 1;
                renumber(t, next);
            }
            Item::Table(t) => renumber(t, next),
            Item::ArrayOfTables(a) => {
                for t in a.iter_mut() {
                    t.set_position(Some(*next));
                    *next += 1;
                    renumber(t, next);
                }
            }
            Item::Value(_) | Item::None => {}
        }
    }
}

/// Maps the diagnostics of a composed text back to the files and lines
/// the user wrote. A diagnostic on a value set by an assignment names the
/// assignment instead of a line.
pub(crate) fn remap(mut error: ScenarioError, composed: &str, sources: &[Source]) -> ScenarioError {
    let lines: Vec<&str> = composed.lines().collect();
    // The lines of each source file, split at the first problem in it.
    let mut source_lines: Vec<Option<Vec<&str>>> = vec![None; sources.len()];
    for d in &mut error.diagnostics {
        let Some(line) = d.line else {
            continue;
        };
        // The tag that ends the item holding this line.
        let found = (line..=lines.len())
            .find_map(|m| lines.get(m - 1).and_then(|l| Tag::parse(l)).map(|t| (m, t)));
        let Some((at, tag)) = found else {
            continue;
        };
        let Some(source) = sources.get(tag.file) else {
            continue;
        };
        match &source.kind {
            SourceKind::Assignment => {
                d.origin = Some(source.origin.clone());
                d.line = None;
                d.column = None;
                d.excerpt = None;
            }
            SourceKind::File(text) => {
                let assigned = assignments_in_table(&lines, line, sources);
                if !assigned.is_empty() {
                    d.message.push_str(&format!(
                        " (this table has a value set by {})",
                        assigned.join(", ")
                    ));
                }
                let original = tag.last as isize - (at - line) as isize;
                if original < tag.first as isize || original < 1 {
                    continue;
                }
                let original = original as usize;
                let text_lines =
                    source_lines[tag.file].get_or_insert_with(|| text.lines().collect());
                let excerpt = text_lines
                    .get(original - 1)
                    .copied()
                    .unwrap_or("")
                    .trim_end_matches('\r')
                    .to_string();
                let len = excerpt.chars().count();
                d.origin = Some(source.origin.clone());
                d.line = Some(original);
                d.column = d.column.map(|c| c.min(len.max(1)));
                d.width = d
                    .width
                    .min(len.saturating_sub(d.column.unwrap_or(1) - 1).max(1));
                d.excerpt = Some(excerpt);
            }
        }
    }
    error
}

/// The assignments (`--set …`, sweep points) that set a value in the
/// table holding line `line` (1-based) of the composed text: a problem
/// written in a file may come from a value set on the command line beside
/// it (`min_healthy = 3` in the file, `instances=2` on the command line).
fn assignments_in_table(lines: &[&str], line: usize, sources: &[Source]) -> Vec<String> {
    // A table header is a tagged line that starts with `[` (a line inside
    // a multi-line array carries no tag; the array's tag ends it).
    let header = |l: &str| l.trim_start().starts_with('[') && Tag::parse(l).is_some();
    let start = lines[..line.min(lines.len())]
        .iter()
        .rposition(|l| header(l))
        .map_or(0, |i| i + 1);
    let end = lines[start..]
        .iter()
        .position(|l| header(l))
        .map_or(lines.len(), |i| start + i);
    let mut found: Vec<String> = Vec::new();
    for l in &lines[start..end] {
        if let Some(Source {
            origin,
            kind: SourceKind::Assignment,
        }) = Tag::parse(l).and_then(|t| sources.get(t.file))
            && !found.contains(origin)
        {
            found.push(origin.clone());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        let t = Tag {
            file: 2,
            first: 10,
            last: 14,
        };
        assert_eq!(Tag::parse(&format!("a = 1{}", t.render())), Some(t));
        assert_eq!(Tag::parse("a = \"no tag\""), None);
    }

    #[test]
    fn every_item_is_tagged_and_the_text_is_kept() {
        let text = "[a]\nx = 1   # one\ny = [\n  1,\n  2,\n]\n\n[[b]]\nname = \"n\"\n";
        let doc = parse_tagged(text, 0, "t.toml").unwrap();
        let out = doc.to_string();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(Tag::parse(lines[0]).unwrap().first, 1);
        // A comment on the line is kept, the tag after it.
        assert_eq!(lines[1], "x = 1   # one #@0:2:2", "{out}");
        // The multi-line array keeps its lines; its tag ends it.
        assert_eq!(
            Tag::parse(lines[5]),
            Some(Tag {
                file: 0,
                first: 3,
                last: 6
            })
        );
        assert!(out.contains("name = \"n\" #@0:9:9"), "{out}");
    }

    #[test]
    fn tagging_reads_the_file_once_however_many_items() {
        let mut text = String::from("[scenario]\nname = \"big\"\n");
        for i in 0..2000 {
            text.push_str(&format!(
                "[[fault]]\nname = \"f{i}\"\nkind = \"host-crash\"\n"
            ));
        }
        crate::lines::SCANNED.with(|s| s.set(0));
        let out = parse_tagged(&text, 0, "big.toml").unwrap().to_string();
        assert!(out.contains("name = \"f1999\" #@0:6001:6001"), "{out}");
        // Counting newlines from the start for every item scanned about
        // 6000 × the file; one index scans it once.
        assert_eq!(crate::lines::SCANNED.with(|s| s.get()), text.len());
    }
}
