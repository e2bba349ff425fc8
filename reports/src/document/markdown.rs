//! Markdown for a wiki or a pull request; plots are linked SVG files.

use std::fmt::Write as _;

use super::{Block, Document, Table};

/// The document as GitHub-flavoured Markdown. Figures are linked by file
/// name: write each [`super::Figure`]'s SVG beside the Markdown file.
pub fn to_markdown(doc: &Document) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", doc.title);
    if !doc.subtitle.is_empty() {
        let _ = writeln!(s, "{}\n", doc.subtitle);
    }
    for section in &doc.sections {
        let _ = writeln!(s, "## {}\n", section.title);
        for block in &section.blocks {
            match block {
                Block::Text(t) => {
                    let _ = writeln!(s, "{t}\n");
                }
                Block::Callout(t) => {
                    let _ = writeln!(s, "> **{t}**\n");
                }
                Block::Facts(facts) => {
                    for (k, v) in facts {
                        let _ = writeln!(s, "- **{k}:** {v}");
                    }
                    s.push('\n');
                }
                Block::Table(t) => table(&mut s, t),
                Block::Figure(f) => {
                    let _ = writeln!(s, "![{}]({})\n", f.caption, f.file);
                    let _ = writeln!(s, "*{}*\n", f.caption);
                }
                Block::Code(c) => {
                    let _ = writeln!(s, "```\n{c}\n```\n");
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
    let cell = |c: &str| c.replace('|', "\\|").replace('\n', " ");
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
