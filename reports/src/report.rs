//! The report a results file makes: its [`Document`] (numbers on top,
//! plots of the trade-off, detail underneath) and the files written for
//! it: `report.html`, `report.md` with its SVG plots, `results.json` and
//! `results.csv`.
//!
//! Everything here is a function of the results alone, so a report
//! rendered again from `results.json` is the same, byte for byte.

mod compare;
mod csv;
mod format;
mod run;
mod sweep;

pub use compare::render_compare;
pub use csv::sweep_table as sweep_csv;

use crate::document::{Document, to_html, to_markdown};
use crate::results::{Body, Results};

/// The files of a report, ready to write.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    /// `report.html`: one self-contained page.
    pub html: String,
    /// `report.md`: the same content, plots linked as files.
    pub markdown: String,
    /// The plots `report.md` links: (file name, SVG text).
    pub figures: Vec<(String, String)>,
    /// `results.json`: the results themselves (what `nines report` reads).
    pub json: String,
    /// `results.csv`: one row per measure, for a spreadsheet.
    pub csv: String,
}

/// A replication's timeline as an SVG chart of its own.
pub fn timeline_svg(title: &str, timeline: &crate::results::Timeline) -> String {
    run::timeline_svg(title, timeline)
}

/// The report's document.
pub fn document(results: &Results) -> Document {
    match &results.results {
        Body::Run(run) => run::document(results, run),
        Body::Sweep(sweep) => sweep::document(results, sweep),
    }
}

/// Renders every file of the report.
pub fn render(results: &Results) -> Rendered {
    let doc = document(results);
    let json = serde_json::to_string_pretty(results).unwrap_or_else(|e| {
        // Results are plain data; encoding them cannot fail short of a
        // non-string map key, which none has.
        unreachable!("results encode as JSON: {e}")
    }) + "\n";
    Rendered {
        html: to_html(&doc),
        markdown: to_markdown(&doc),
        figures: doc
            .figures()
            .map(|f| (f.file.clone(), f.svg.clone()))
            .collect(),
        json,
        csv: csv::csv(results),
    }
}
