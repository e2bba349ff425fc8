//! `nines compare --report DIR`: the comparison as report files that agree
//! with each other and with the text `nines compare` prints.

use crate::support::nines_ok;

#[test]
fn compare_report_files_exist_and_agree_with_the_text() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path().join("cmp");
    let run = nines_ok(&[
        "compare",
        "single-server",
        "web-n-plus-1",
        "--replications",
        "20",
        "--report",
        dir.to_str().expect("a UTF-8 path"),
    ]);
    let read =
        |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    for f in [
        "report.html",
        "report.md",
        "results.json",
        "results.csv",
        "downtime.svg",
    ] {
        assert!(!read(f).is_empty(), "{f} is empty");
    }
    let json: serde_json::Value = serde_json::from_str(&read("results.json")).expect("JSON");
    let verdict = json["differences"][0]["verdict"]
        .as_str()
        .expect("a verdict");
    assert!(
        run.stdout.contains(verdict),
        "{verdict}\nnot in\n{}",
        run.stdout
    );
    let html = read("report.html");
    assert!(html.contains(verdict), "the verdict is not in report.html");
    assert!(!html.contains("<script"));
    // Both designs' measures and the paired difference, as in the JSON.
    let csv = read("results.csv");
    let diff = json["differences"][0]["downtime_minutes_per_year"]["mean"]
        .as_f64()
        .expect("a difference");
    assert!(
        csv.contains(&format!(
            "difference,web-n-plus-1,downtime_minutes_per_year,{diff},"
        )),
        "{csv}"
    );
    for name in ["single-server", "web-n-plus-1"] {
        let mean = json["designs"]
            .as_array()
            .expect("designs")
            .iter()
            .find(|d| d["scenario"] == name)
            .expect("the design")["downtime_minutes_per_year"]["mean"]
            .as_f64()
            .expect("a mean");
        assert!(
            csv.contains(&format!("design,{name},downtime_minutes_per_year,{mean},")),
            "{csv}"
        );
    }
    let md = read("report.md");
    assert!(md.contains("](downtime.svg)"), "{md}");
    assert!(md.contains("nines compare single-server web-n-plus-1 --seed 1 --replications 20"));
}

#[test]
fn compare_precision_stops_once_the_paired_interval_is_within_the_target() {
    let json = crate::support::nines_json(&[
        "compare",
        "single-server",
        "web-n-plus-1",
        "--precision",
        "20%",
        "--json",
        "-",
        "-q",
    ]);
    let stopping = &json["stopping"];
    assert_eq!(stopping["rule"], "precision", "{stopping}");
    assert_eq!(stopping["reached"], true);
    let d = &json["differences"][0]["downtime_minutes_per_year"];
    let (mean, low, high) = (
        d["mean"].as_f64().expect("a mean"),
        d["ci95_low"].as_f64().expect("a low end"),
        d["ci95_high"].as_f64().expect("a high end"),
    );
    let half_width = (high - low) / 2.0;
    assert!(half_width <= 0.2 * mean.abs(), "{half_width} vs {mean}");
    let replications = json["replications"].as_u64().expect("replications");
    assert_eq!(stopping["replications"], replications);
    // The first batch of 100 was not enough for this pair: it went on.
    assert!(replications > 100, "{replications}");
    // The same replications without --precision give the same difference.
    let again = crate::support::nines_json(&[
        "compare",
        "single-server",
        "web-n-plus-1",
        "--replications",
        &replications.to_string(),
        "--json",
        "-",
        "-q",
    ]);
    assert_eq!(again["differences"], json["differences"]);
}
