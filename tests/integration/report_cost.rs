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

/// The documented check of `backup-interval-sweep`: from the least to the
/// most frequent backups, the cost rises and the writes lost fall, and
/// each point's backup runs are the year's runs times their price.
#[test]
fn the_backup_sweep_costs_more_and_loses_less_point_by_point() {
    let json = nines_json(&[
        "sweep",
        "backup-interval-sweep",
        "--replications",
        "50",
        "--seed",
        "5",
        "--json",
        "-",
    ]);
    let points = json.as_array().expect("a list of points");
    assert_eq!(points.len(), 5);
    let mut last: Option<(f64, f64)> = None;
    // Runs a year at 7d, 24h, 12h, 4h and 1h from time zero, at 2 each,
    // and the copies kept at 5 per 30 days each.
    let runs = [53.0, 365.0, 730.0, 2190.0, 8760.0];
    let kept = [1.0, 7.0, 14.0, 42.0, 168.0];
    for (i, p) in points.iter().enumerate() {
        let s = &p["summary"];
        let cost = s["cost_per_year"]["total"]["mean"].as_f64().unwrap();
        let lost = s["data"]["lost_writes_per_year"]["mean"].as_f64().unwrap();
        if let Some((c, l)) = last {
            assert!(cost > c, "point {i}: cost {cost} after {c}");
            assert!(lost < l, "point {i}: writes lost {lost} after {l}");
        }
        last = Some((cost, lost));
        let components = s["cost_per_year"]["components"].as_array().unwrap();
        let get = |name: &str| {
            components
                .iter()
                .find(|c| c["name"] == name)
                .unwrap_or_else(|| panic!("no component {name}"))["mean"]
                .as_f64()
                .unwrap()
        };
        assert_eq!(get("backups"), runs[i] * 2.0, "point {i}");
        let storage = kept[i] * 5.0 / 720.0 * 8760.0;
        assert!((get("backup_storage") - storage).abs() < 1e-6, "point {i}");
        let sum: f64 = components.iter().map(|c| c["mean"].as_f64().unwrap()).sum();
        assert!(
            (sum - cost).abs() < 1e-6 * cost,
            "point {i}: {sum} against {cost}"
        );
    }
}

#[test]
fn every_non_zero_component_is_shown_in_the_summary_and_the_report() {
    let json = nines_json(&[
        "run",
        "backup-interval-sweep",
        "--replications",
        "5",
        "--json",
        "-",
    ]);
    let names: Vec<&str> = json["cost_per_year"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "instances",
            "standbys",
            "hosts",
            "zones",
            "regions",
            "crews",
            "incidents",
            "repairs",
            "backups",
            "backup_storage",
            "traffic",
            "sla_credits",
            "downtime"
        ]
    );
    let text = nines_ok(&["run", "backup-interval-sweep", "--replications", "5"]).stdout;
    let line = text
        .lines()
        .find(|l| l.starts_with("cost by part"))
        .expect("a breakdown line");
    for part in [
        "instances",
        "incidents",
        "backups",
        "backup_storage",
        "downtime",
    ] {
        assert!(line.contains(&format!(" {part}")), "{part}: {line}");
    }
    assert!(!line.contains("traffic"), "{line}");
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path().join("report");
    nines_ok(&[
        "run",
        "backup-interval-sweep",
        "--replications",
        "5",
        "--report",
        dir.to_str().expect("a UTF-8 path"),
        "-q",
    ]);
    let md = std::fs::read_to_string(dir.join("report.md")).expect("report.md");
    for row in [
        "backups cost per year",
        "backup storage cost per year",
        "incidents cost per year",
    ] {
        assert!(md.contains(row), "no `{row}` in report.md");
    }
    // A scenario with only instances and downtime keeps its one line.
    let plain = nines_ok(&["run", "multi-az", "--replications", "5"]).stdout;
    assert!(!plain.contains("cost by part"), "{plain}");
}
