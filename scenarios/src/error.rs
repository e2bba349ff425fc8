//! Located errors in scenario files: file, line, column, key, the offending
//! line, and what was expected.

use std::fmt;
use std::ops::Range;

use crate::lines::LineIndex;

/// One problem found in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in, when it is not the error's own file (a
    /// base scenario named by `extends`, or a value set on the command
    /// line).
    pub origin: Option<String>,
    /// 1-based line of the problem, if it has a place in the file.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the problem.
    pub column: Option<usize>,
    /// The key concerned, as a dotted path (`service.min_up`), if known.
    pub key: Option<String>,
    /// What is wrong and what was expected, as one sentence.
    pub message: String,
    /// The text of the offending line.
    pub excerpt: Option<String>,
    /// Length of the offending text on that line, for the underline.
    pub width: usize,
}

impl Diagnostic {
    /// A problem at byte range `span` of `source`, concerning `key`.
    pub fn at(
        source: &str,
        span: Option<Range<usize>>,
        key: Option<String>,
        message: String,
    ) -> Self {
        Self::locate(source, None, span, key, message)
    }

    /// As [`Diagnostic::at`], finding the line in `lines` (the index of
    /// `source`) rather than by counting newlines: a check that reports
    /// many problems reads the file once.
    pub(crate) fn at_indexed(
        source: &str,
        lines: &LineIndex,
        span: Option<Range<usize>>,
        key: Option<String>,
        message: String,
    ) -> Self {
        Self::locate(source, Some(lines), span, key, message)
    }

    fn locate(
        source: &str,
        lines: Option<&LineIndex>,
        span: Option<Range<usize>>,
        key: Option<String>,
        message: String,
    ) -> Self {
        let Some(span) = span else {
            return Diagnostic {
                origin: None,
                line: None,
                column: None,
                key,
                message,
                excerpt: None,
                width: 0,
            };
        };
        let start = span.start.min(source.len());
        let (line, line_start) = match lines {
            Some(index) => {
                let line = index.line(start);
                (line, index.start(line).min(start))
            }
            None => (
                source[..start].matches('\n').count() + 1,
                source[..start].rfind('\n').map_or(0, |i| i + 1),
            ),
        };
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let column = source[line_start..start].chars().count() + 1;
        let excerpt = source[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let end = span.end.clamp(start, line_end);
        let width = source[start..end].chars().count().max(1);
        Diagnostic {
            origin: None,
            line: Some(line),
            column: Some(column),
            key,
            message,
            excerpt: Some(excerpt),
            width,
        }
    }
}

/// Every problem found in one scenario file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    /// The file's path, or `builtin:NAME` for a built-in scenario.
    pub origin: String,
    /// The problems, in the order of the file.
    pub diagnostics: Vec<Diagnostic>,
}

impl ScenarioError {
    /// An error with one diagnostic.
    pub fn single(origin: &str, diagnostic: Diagnostic) -> Self {
        ScenarioError {
            origin: origin.to_string(),
            diagnostics: vec![diagnostic],
        }
    }
}

impl fmt::Display for ScenarioError {
    /// One paragraph per problem: `file:line:column: key `k`: message`,
    /// then the offending line with the problem underlined.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", d.origin.as_deref().unwrap_or(&self.origin))?;
            if let (Some(line), Some(column)) = (d.line, d.column) {
                write!(f, ":{line}:{column}")?;
            }
            write!(f, ": ")?;
            if let Some(key) = &d.key {
                write!(f, "key `{key}`: ")?;
            }
            write!(f, "{}", d.message)?;
            if let (Some(line), Some(column), Some(excerpt)) = (d.line, d.column, &d.excerpt) {
                let number = line.to_string();
                let gutter = " ".repeat(number.len());
                let (shown, pad, width) = window(excerpt, column - 1, d.width);
                write!(
                    f,
                    "\n{gutter} |\n{number} | {shown}\n{gutter} | {}{}",
                    " ".repeat(pad),
                    "^".repeat(width)
                )?;
            }
        }
        Ok(())
    }
}

/// How many characters of the offending line are shown around the problem.
const WINDOW: usize = 80;

/// The part of `line` shown under an error at character `column` (0-based)
/// underlining `width` characters: the whole line when it is short, else an
/// excerpt of about [`WINDOW`] characters around the column with `…` where
/// text was left out. Returns the excerpt, the padding before the
/// underline and the underline's width, all in characters. Built without
/// format widths, which are limited to `u16::MAX`.
fn window(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let chars = line.chars().count();
    if chars <= WINDOW {
        return (line.to_string(), column, width);
    }
    let start = column.saturating_sub(WINDOW / 4);
    let end = (start + WINDOW).min(chars);
    let start = end.saturating_sub(WINDOW).min(start);
    let mut shown = String::new();
    let mut pad = column - start;
    if start > 0 {
        shown.push('…');
        pad += 1;
    }
    shown.extend(line.chars().skip(start).take(end - start));
    if end < chars {
        shown.push('…');
    }
    let width = width.min(end.saturating_sub(column)).max(1);
    (shown, pad, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_column_and_underlines() {
        let src = "a = 1\nbad = \"x\"\n";
        let start = src.find("\"x\"").unwrap();
        let d = Diagnostic::at(
            src,
            Some(start..start + 3),
            Some("bad".into()),
            "nope".into(),
        );
        assert_eq!((d.line, d.column, d.width), (Some(2), Some(7), 3));
        let e = ScenarioError::single("f.toml", d);
        assert_eq!(
            e.to_string(),
            "f.toml:2:7: key `bad`: nope\n  |\n2 | bad = \"x\"\n  |       ^^^"
        );
    }

    #[test]
    fn an_error_past_column_65535_shows_a_bounded_excerpt() {
        let src = format!("name = \"{}\" oops\n", "a".repeat(70_000));
        let start = src.find("oops").unwrap();
        let d = Diagnostic::at(&src, Some(start..start + 4), None, "bad".into());
        assert_eq!(d.column, Some(70_011));
        let text = ScenarioError::single("f.toml", d).to_string();
        assert!(text.starts_with("f.toml:1:70011: bad"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[2].contains("oops") && lines[2].starts_with("1 | …"),
            "{text}"
        );
        assert!(lines[2].chars().count() < 100, "{text}");
        let caret = lines[3].find('^').unwrap();
        assert_eq!(
            &lines[2][lines[2].char_indices().nth(caret).unwrap().0..][..4],
            "oops"
        );
        assert_eq!(lines[3].matches('^').count(), 4);
    }

    #[test]
    fn without_a_span_there_is_no_excerpt() {
        let e = ScenarioError::single("f.toml", Diagnostic::at("", None, None, "empty".into()));
        assert_eq!(e.to_string(), "f.toml: empty");
    }
}
