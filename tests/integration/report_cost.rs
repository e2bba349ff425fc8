//! Cost figures: each interval right after the figure it belongs to, and
//! the currency beside every figure (`¤` when the scenario names none).

use crate::support::{nines_json, nines_ok};

#[test]
fn the_cost_line_puts_each_interval_after_its_figure_with_the_currency() {
    let text = nines_ok(&["run", "multi-az", "--replications", "5"]).stdout;
    let line = text
        .lines()
        .find(|l| l.starts_with("cost "))
        .expect("a cost line");
    let json = nines_json(&["run", "multi-az", "--replications", "5", "--json", "-"]);
    let cost = &json["cost_per_year"];
    assert!(cost.get("currency").is_some(), "no currency field: {cost}");
    let f = |v: &serde_json::Value| format!("{:.0}", v.as_f64().expect("a number"));
    let expected = format!(
        "¤ {} /yr (95% CI [{}, {}]): ¤ {} infrastructure + ¤ {} downtime (95% CI [{}, {}])",
        f(&cost["total"]["mean"]),
        f(&cost["total"]["ci95_low"]),
        f(&cost["total"]["ci95_high"]),
        f(&cost["infrastructure"]),
        f(&cost["downtime"]["mean"]),
        f(&cost["downtime"]["ci95_low"]),
        f(&cost["downtime"]["ci95_high"]),
    );
    assert!(line.ends_with(&expected), "{line}\nexpected …{expected}");

    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path().join("report");
    nines_ok(&[
        "run",
        "multi-az",
        "--replications",
        "5",
        "--report",
        dir.to_str().expect("a UTF-8 path"),
        "-q",
    ]);
    let md = std::fs::read_to_string(dir.join("report.md")).expect("report.md");
    for row in [
        "infrastructure cost per year",
        "downtime cost per year",
        "total cost per year",
    ] {
        let line = md
            .lines()
            .find(|l| l.starts_with(&format!("| {row} |")))
            .unwrap_or_else(|| panic!("no {row} row in\n{md}"));
        assert!(line.contains("| ¤ "), "{line}");
    }
}
