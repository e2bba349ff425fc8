//! One self-contained HTML page: styles and SVG plots inline, no scripts,
//! nothing fetched, readable offline and printable.

use std::fmt::Write as _;

use super::{Block, Document, Table};

/// The page's styles: a plain, printable layout that reads well on a
/// laptop screen.
const STYLE: &str = r#"
:root { --ink: #1d2430; --muted: #5b6472; --rule: #d9dee5; --band: #f4f6f9; --accent: #0b6bcb; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 24px 28px 64px; }
header h1 { font-size: 26px; margin: 0 0 4px; }
header p { color: var(--muted); margin: 0 0 12px; }
nav { border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); padding: 6px 0; margin-bottom: 8px; font-size: 14px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 16px; white-space: nowrap; }
h2 { font-size: 20px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); }
p { margin: 8px 0; }
.callout { border-left: 4px solid var(--accent); background: var(--band); padding: 10px 14px; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 14px; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 10px 0 16px; font-size: 14px; width: 100%; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafbfc; }
figure { margin: 16px 0 20px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
pre { background: var(--band); padding: 10px 12px; font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 12px; margin-top: 40px; }
@media print {
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2, figure, table, pre { break-inside: avoid; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; }
  a { color: inherit; }
}
"#;

/// The document as one HTML page with every plot inline.
pub fn to_html(doc: &Document) -> String {
    let mut s = String::with_capacity(64 * 1024);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(s, "<title>{}</title>", escape(&doc.title));
    let _ = writeln!(s, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(s, "<header>\n<h1>{}</h1>", escape(&doc.title));
    if !doc.subtitle.is_empty() {
        let _ = writeln!(s, "<p>{}</p>", escape(&doc.subtitle));
    }
    s.push_str("</header>\n<nav>");
    for (i, section) in doc.sections.iter().enumerate() {
        let _ = write!(s, "<a href=\"#s{i}\">{}</a>", escape(&section.title));
    }
    s.push_str("</nav>\n");
    for (i, section) in doc.sections.iter().enumerate() {
        let _ = writeln!(
            s,
            "<section id=\"s{i}\">\n<h2>{}</h2>",
            escape(&section.title)
        );
        for block in &section.blocks {
            match block {
                Block::Text(t) => {
                    let _ = writeln!(s, "<p>{}</p>", escape(t));
                }
                Block::Callout(t) => {
                    let _ = writeln!(s, "<p class=\"callout\">{}</p>", escape(t));
                }
                Block::Facts(facts) => {
                    s.push_str("<dl class=\"facts\">\n");
                    for (k, v) in facts {
                        let _ = writeln!(s, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
                    }
                    s.push_str("</dl>\n");
                }
                Block::Table(t) => table(&mut s, t),
                Block::Figure(f) => {
                    let _ = writeln!(
                        s,
                        "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
                        svg_body(&f.svg),
                        escape(&f.caption)
                    );
                }
                Block::Code(c) => {
                    let _ = writeln!(s, "<pre><code>{}</code></pre>", escape(c));
                }
            }
        }
        s.push_str("</section>\n");
    }
    s.push_str("</main>\n</body>\n</html>\n");
    s
}

fn table(s: &mut String, t: &Table) {
    let class = |n: bool| if n { " class=\"num\"" } else { "" };
    s.push_str("<table>\n<thead><tr>");
    for (h, &n) in t.headers.iter().zip(&t.numeric) {
        let _ = write!(s, "<th{}>{}</th>", class(n), escape(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        s.push_str("<tr>");
        for (c, &n) in row.iter().zip(&t.numeric) {
            let _ = write!(s, "<td{}>{}</td>", class(n), escape(c));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
}

/// The SVG element itself, without an XML declaration (which may not
/// appear inside HTML).
fn svg_body(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => svg[i..].trim_end(),
        None => svg.trim(),
    }
}

/// Text made safe for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
