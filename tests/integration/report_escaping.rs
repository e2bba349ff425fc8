//! Names a scenario gives reach a report as
//! text: never as HTML or Markdown in `report.md`, never as a formula in
//! `results.csv`.

use crate::support::nines_ok;

const HOSTILE: &str = r#"[scenario]
name = "=HYPERLINK(\"http://evil.invalid\",\"<img src=x onerror=alert(1)>\")"
description = "**bold** <b>tag</b>"

[simulation]
horizon = "1y"
replications = 5
seed = 1

[[component]]
name = "node"
count = 3
failure = "exponential(mean = 1000h)"
repair = "exponential(mean = 10h)"

[service]
min_up = 2
"#;

#[test]
fn hostile_names_are_text_in_markdown_and_csv() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let path = tmp.path().join("hostile.toml");
    std::fs::write(&path, HOSTILE).expect("the scenario is written");
    let dir = tmp.path().join("report");
    nines_ok(&[
        "run",
        path.to_str().expect("a UTF-8 path"),
        "--report",
        dir.to_str().expect("a UTF-8 path"),
        "-q",
    ]);
    let md = std::fs::read_to_string(dir.join("report.md")).expect("report.md");
    assert!(!md.contains("<img"), "raw HTML in report.md:\n{md}");
    assert!(!md.contains("<b>"), "raw HTML in report.md:\n{md}");
    assert!(md.contains("&lt;img src=x onerror=alert(1)>"), "{md}");
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    assert!(!html.contains("<img"), "raw HTML in report.html");
    let csv = std::fs::read_to_string(dir.join("results.csv")).expect("results.csv");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    for line in csv.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '@', '\t', '\r']),
                "a formula cell in results.csv: {line}"
            );
        }
    }
}
