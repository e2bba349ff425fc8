//! Markdown for a wiki or a pull request; plots are linked SVG files.
//!
//! Every piece of text a report holds (names from the scenario among it)
//! passes through [`inline`] on its way into the Markdown: HTML and
//! Markdown syntax in a name is shown as written, never interpreted.

use std::fmt::Write as _;

use super::{Block, Document, Table};

/// The document as GitHub-flavoured Markdown. Figures are linked by file
/// name: write each [`super::Figure`]'s SVG beside the Markdown file.
pub fn to_markdown(doc: &Document) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", inline(&doc.title));
    if !doc.subtitle.is_empty() {
        let _ = writeln!(s, "{}\n", inline(&doc.subtitle));
    }
    for section in &doc.sections {
        let _ = writeln!(s, "## {}\n", inline(&section.title));
        for block in &section.blocks {
            match block {
                Block::Text(t) => {
                    let _ = writeln!(s, "{}\n", inline(t));
                }
                Block::Callout(t) => {
                    let _ = writeln!(s, "> **{}**\n", inline(t));
                }
                Block::Facts(facts) => {
                    for (k, v) in facts {
                        let _ = writeln!(s, "- **{}:** {}", inline(k), inline(v));
                    }
                    s.push('\n');
                }
                Block::Table(t) => table(&mut s, t),
                Block::Figure(f) => {
                    let caption = inline(&f.caption);
                    let _ = writeln!(s, "![{caption}]({})\n", f.file);
                    let _ = writeln!(s, "*{caption}*\n");
                }
                Block::Code(c) => {
                    let fence = fence(c);
                    let _ = writeln!(s, "{fence}\n{c}\n{fence}\n");
                }
            }
        }
    }
    // One trailing newline.
    while s.ends_with("\n\n") {
        s.pop();
    }
    s
}

fn table(s: &mut String, t: &Table) {
    let cell = |c: &str| escape(c, false);
    s.push('|');
    for h in &t.headers {
        let _ = write!(s, " {} |", cell(h));
    }
    s.push_str("\n|");
    for &n in &t.numeric {
        s.push_str(if n { "---:|" } else { ":---|" });
    }
    s.push('\n');
    for row in &t.rows {
        s.push('|');
        for c in row {
            let _ = write!(s, " {} |", cell(c));
        }
        s.push('\n');
    }
    s.push('\n');
}

/// Text made safe for one line of Markdown: `<` (which opens HTML) and `&`
/// (an entity) become entities, Markdown's inline punctuation (a `[` that
/// would open a link, emphasis, code, and a `|`, which would split a table
/// cell) is escaped with a backslash, a line break becomes a space, and a
/// character that would open a block (a heading, a list, a quote) at the
/// start is escaped too. What a reader sees is the text as written.
pub(crate) fn inline(text: &str) -> String {
    escape(text, true)
}

/// [`inline`], with the escapes of a block's first character only where
/// the text opens a block (`starts_block`; a table cell does not).
fn escape(text: &str, starts_block: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // "12. " or "3) " at the start would open a numbered list.
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let after = &text[digits..];
    let list_mark = (starts_block
        && digits > 0
        && after.starts_with(['.', ')'])
        && (after.len() == 1 || after[1..].starts_with([' ', '\t'])))
    .then_some(digits);
    for (i, c) in text.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '\\' | '`' | '*' | '_' | '[' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            '#' | '+' | '-' | '=' | '>' if i == 0 && starts_block => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if Some(i) == list_mark => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A code fence longer than any run of backticks in `code`, so the code
/// cannot close it.
fn fence(code: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}
