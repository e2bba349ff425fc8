//! A report as a plain document (sections of paragraphs, facts, tables and
//! figures) and its two renderings: Markdown with SVG files beside it, and
//! one self-contained HTML page.
//!
//! Both renderings come from the same [`Document`], so they always say the
//! same thing; neither reads a clock or the environment, so the same
//! document renders to the same bytes.

mod html;
mod markdown;

pub use html::to_html;
pub use markdown::to_markdown;

/// A whole report.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Document {
    /// The page title.
    pub title: String,
    /// One line under the title.
    pub subtitle: String,
    /// The sections, in reading order.
    pub sections: Vec<Section>,
}

/// A titled part of a report.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Section {
    /// The heading.
    pub title: String,
    /// Its content, in reading order.
    pub blocks: Vec<Block>,
}

/// One piece of a section.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A paragraph of plain text.
    Text(String),
    /// A paragraph that stands out: a headline or a warning.
    Callout(String),
    /// Name–value pairs.
    Facts(Vec<(String, String)>),
    /// A table.
    Table(Table),
    /// A plot.
    Figure(Figure),
    /// A command to copy.
    Code(String),
}

/// A table: a header row and rows of cells.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Table {
    /// Column headings.
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<String>>,
    /// Per column: right-aligned (numbers) or not.
    pub numeric: Vec<bool>,
}

/// An SVG plot with its caption.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The file it is written to beside `report.md`, such as
    /// `attribution.svg`.
    pub file: String,
    /// What it shows, in a sentence.
    pub caption: String,
    /// The SVG text.
    pub svg: String,
}

impl Document {
    /// Every figure, in reading order.
    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.sections
            .iter()
            .flat_map(|s| s.blocks.iter())
            .filter_map(|b| match b {
                Block::Figure(f) => Some(f),
                _ => None,
            })
    }
}

impl Section {
    /// An empty section titled `title`.
    pub fn new(title: &str) -> Self {
        Section {
            title: title.to_string(),
            blocks: Vec::new(),
        }
    }

    /// Adds a paragraph.
    pub fn text(&mut self, text: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Text(text.into()));
        self
    }

    /// Adds a paragraph that stands out.
    pub fn callout(&mut self, text: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Callout(text.into()));
        self
    }

    /// Adds a figure.
    pub fn figure(&mut self, file: &str, caption: impl Into<String>, svg: String) -> &mut Self {
        self.blocks.push(Block::Figure(Figure {
            file: file.to_string(),
            caption: caption.into(),
            svg,
        }));
        self
    }
}

impl Table {
    /// A table with these headings; columns whose heading is listed in
    /// `numeric` are right-aligned.
    pub fn new(headers: &[&str], numeric: &[bool]) -> Self {
        debug_assert_eq!(headers.len(), numeric.len());
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            numeric: numeric.to_vec(),
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.headers.len());
        self.rows.push(cells);
    }

    /// Adds a row of three cells: a label, a value and (possibly empty)
    /// more, as the measure tables of a report have them.
    pub fn measure(&mut self, label: &str, value: String, interval: String) {
        self.row(vec![label.to_string(), value, interval]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        let mut s = Section::new("Summary");
        s.text("Plain <text> & more | pipes");
        s.callout("Budget: 68% burned");
        s.blocks
            .push(Block::Facts(vec![("seed".into(), "2".into())]));
        let mut t = Table::new(&["cause", "min/yr"], &[false, true]);
        t.row(vec!["a|b".into(), "1.5".into()]);
        s.blocks.push(Block::Table(t));
        s.figure(
            "plot.svg",
            "A plot",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".into(),
        );
        s.blocks.push(Block::Code("nines run x".into()));
        Document {
            title: "Report <x>".into(),
            subtitle: "sub".into(),
            sections: vec![s],
        }
    }

    #[test]
    fn markdown_links_figures_and_escapes_table_pipes() {
        let md = to_markdown(&sample());
        assert!(md.starts_with("# Report &lt;x>\n"), "{md}");
        assert!(md.contains("![A plot](plot.svg)"), "{md}");
        assert!(md.contains("| a\\|b | 1.5 |"), "{md}");
        assert!(md.contains("|:---|---:|"), "{md}");
        assert!(md.contains("```\nnines run x\n```"), "{md}");
    }

    #[test]
    fn markdown_shows_hostile_names_as_written() {
        let hostile = "<img src=x onerror=alert(1)> *b* [l](http://x) `c`";
        let mut s = Section::new(hostile);
        s.text(hostile);
        s.callout(hostile);
        s.text("# not a heading");
        s.text("1. not a list");
        s.blocks
            .push(Block::Facts(vec![(hostile.into(), hostile.into())]));
        let mut t = Table::new(&["name"], &[false]);
        t.row(vec![format!("{hostile}\n| x |")]);
        s.blocks.push(Block::Table(t));
        s.blocks.push(Block::Code("a ``` b".into()));
        let md = to_markdown(&Document {
            title: hostile.into(),
            subtitle: hostile.into(),
            sections: vec![s],
        });
        assert!(!md.contains('<'), "raw HTML passed into the Markdown: {md}");
        assert!(md.contains("&lt;img src=x onerror=alert(1)>"), "{md}");
        assert!(md.contains("\\*b\\* \\[l](http://x) \\`c\\`"), "{md}");
        assert!(md.contains("\n\\# not a heading\n"), "{md}");
        assert!(md.contains("\n1\\. not a list\n"), "{md}");
        assert!(md.contains("\\| x \\|"), "{md}");
        assert!(md.contains("````\na ``` b\n````"), "{md}");
    }

    #[test]
    fn html_escapes_text_and_inlines_figures() {
        let html = to_html(&sample());
        assert!(html.contains("Plain &lt;text&gt; &amp; more"), "{html}");
        assert!(html.contains("<title>Report &lt;x&gt;</title>"), "{html}");
        assert!(html.contains("<svg xmlns"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("http://") || !html.contains("href=\"http"));
    }

    #[test]
    fn html_wraps_commands_on_screen_and_in_print() {
        let html = to_html(&sample());
        let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
        let pre = &style[style.find("\npre {").unwrap()..];
        let pre = &pre[..pre.find('}').unwrap()];
        assert!(pre.contains("white-space: pre-wrap"), "{pre}");
        assert!(pre.contains("overflow-wrap: anywhere"), "{pre}");
        assert!(!pre.contains("overflow-x: auto"), "{pre}");
        let print = &style[style.find("@media print").unwrap()..];
        assert!(print.contains("pre { white-space: pre-wrap"), "{print}");
    }

    #[test]
    fn the_same_document_renders_to_the_same_bytes() {
        assert_eq!(to_html(&sample()), to_html(&sample()));
        assert_eq!(to_markdown(&sample()), to_markdown(&sample()));
    }

    #[test]
    fn figures_are_listed_in_order() {
        let d = sample();
        let files: Vec<&str> = d.figures().map(|f| f.file.as_str()).collect();
        assert_eq!(files, ["plot.svg"]);
    }
}
