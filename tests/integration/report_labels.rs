//! What reports call things: a sweep's headline that agrees with the
//! ranking (and says when designs tie), labels that tell two parameters of
//! the same name apart, and rates framed per the span a short run measured.

use crate::support::{nines_json, nines_ok};

#[test]
fn the_headline_names_the_ranking_first_and_says_when_designs_tie() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path().join("report");
    let dir_text = dir.to_str().expect("a UTF-8 path");
    nines_ok(&[
        "sweep",
        "web-replicas-sweep",
        "--replications",
        "4",
        "--report",
        dir_text,
        "-q",
    ]);
    let md = std::fs::read_to_string(dir.join("report.md")).expect("report.md");
    let headline = md
        .lines()
        .find(|l| l.starts_with("> **15 designs."))
        .expect("the headline");
    let first = md
        .lines()
        .find(|l| l.starts_with("| 1 | "))
        .expect("the ranking's first row");
    let first_label = first.split(" | ").nth(1).expect("a design");
    assert!(
        headline.contains(&format!("Ranked first: {first_label} (")),
        "{headline}\n{first}"
    );
    // The ranking holds designs it cannot tell from the first.
    assert!(md.contains("(no clear difference)"));
    assert!(headline.contains("tie for most available"), "{headline}");
}

#[test]
fn labels_use_the_shortest_suffix_that_tells_parameters_apart() {
    let json = nines_json(&[
        "sweep",
        "multi-az",
        "--sweep",
        "service.web.instances=11,12",
        "--sweep",
        "service.api.instances=8,9",
        "--replications",
        "2",
        "--json",
        "-",
        "-q",
    ]);
    let labels: Vec<&str> = json
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["label"].as_str().expect("a label"))
        .collect();
    assert_eq!(
        labels,
        [
            "web.instances=11, api.instances=8",
            "web.instances=11, api.instances=9",
            "web.instances=12, api.instances=8",
            "web.instances=12, api.instances=9",
        ]
    );
}

#[test]
fn a_ten_minute_run_is_framed_per_its_measured_span_not_per_year() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path().join("report");
    nines_ok(&[
        "run",
        "retry-storm",
        "--replications",
        "3",
        "--report",
        dir.to_str().expect("a UTF-8 path"),
        "-q",
    ]);
    let md = std::fs::read_to_string(dir.join("report.md")).expect("report.md");
    let summary = &md[..md.find("\n## How long").expect("the tail section")];
    assert!(!summary.contains("a year"), "{summary}");
    assert!(!summary.contains("per year"), "{summary}");
    assert!(
        summary.contains("of downtime in the 9.00 min measured"),
        "{summary}"
    );
    assert!(
        summary.contains("| downtime per 9.00 min measured |"),
        "{summary}"
    );
}
