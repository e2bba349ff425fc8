//! Reports: `--report DIR` of `nines run` and `nines sweep`, and `nines
//! report`, which renders them again from `results.json`.

use std::path::{Path, PathBuf};

use crate::support::{nines, nines_ok};

/// A fresh directory for one test's report.
fn scratch(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path().join(name);
    (tmp, dir)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}/{file}: {e}", dir.display()))
}

/// Every file of a report directory, sorted by name.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the report directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// The SVG elements embedded in an HTML page.
fn embedded_svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end =
            rest[start..].find("</svg>").expect("every <svg> is closed") + start + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// Checks what every report must be: the four files, an offline HTML page
/// whose plots parse as XML, and SVG files that parse and match the page.
fn check_report(dir: &Path, min_plots: usize) {
    for f in ["report.html", "report.md", "results.json", "results.csv"] {
        assert!(
            dir.join(f).metadata().is_ok_and(|m| m.len() > 0),
            "{f} missing or empty in {}",
            dir.display()
        );
    }
    let html = read(dir, "report.html");
    assert!(!html.contains("<script"), "report.html runs scripts");
    for fetch in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!html.contains(fetch), "report.html fetches: {fetch}");
    }
    let svgs = embedded_svgs(&html);
    assert!(
        svgs.len() >= min_plots,
        "{} plots in report.html, expected at least {min_plots}",
        svgs.len()
    );
    for svg in &svgs {
        let doc = roxmltree::Document::parse(svg)
            .unwrap_or_else(|e| panic!("an embedded SVG is not XML ({e}): {svg:.300}"));
        // An axis says its scale once ("log scale, log scale" was drawn
        // when a caller's label already said it).
        for text in doc.descendants().filter_map(|n| n.text()) {
            assert!(
                text.matches("log scale").count() <= 1,
                "a label says its scale twice: {text}"
            );
        }
    }
    let md = read(dir, "report.md");
    let mut linked = 0;
    for name in files(dir).iter().filter(|n| n.ends_with(".svg")) {
        let text = read(dir, name);
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name} is not XML: {e}"));
        assert!(
            md.contains(&format!("]({name})")),
            "report.md does not link {name}"
        );
        linked += 1;
    }
    assert_eq!(
        linked,
        svgs.len(),
        "report.md links every plot of report.html"
    );
}

/// Renders `dir/results.json` again into a new directory and checks that
/// every file is byte for byte the same.
fn check_rerender(dir: &Path) {
    let again = dir.with_file_name("again");
    nines_ok(&[
        "report",
        dir.join("results.json").to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert_eq!(files(dir), files(&again));
    for f in files(dir) {
        assert!(
            read(dir, &f) == read(&again, &f),
            "{f} differs when rendered again from results.json"
        );
    }
}

#[test]
fn a_run_report_has_every_section_and_renders_again_identically() {
    let (_tmp, dir) = scratch("multi-az");
    nines_ok(&[
        "run",
        "multi-az",
        "--replications",
        "6",
        "--seed",
        "2",
        "--report",
        dir.to_str().unwrap(),
        "-q",
    ]);
    check_report(&dir, 5);
    check_rerender(&dir);
    let md = read(&dir, "report.md");
    for heading in [
        "## Summary",
        "## Where the downtime comes from",
        "## How long outages last, and how bad a year gets",
        "## One replication, told as a timeline",
        "## Reproduce",
    ] {
        assert!(md.contains(heading), "report.md lacks {heading}");
    }
    // multi-az sets a 99.95% target: 262.8 min a year of budget.
    assert!(
        md.contains("Error budget: the 99.95% target allows 263 min"),
        "{md}"
    );
    insta::assert_snapshot!("report_multi_az_md", md);
    let json: serde_json::Value = serde_json::from_str(&read(&dir, "results.json")).unwrap();
    insta::assert_json_snapshot!("report_multi_az_json", json);

    // The plots hold their series: the worst fault's bar, every timeline
    // row's name.
    // Downtime by component adds up to the downtime, and is drawn.
    let summary = &json["results"]["run"]["summary"];
    let by_component: f64 = summary["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["downtime_minutes_per_year"].as_f64().unwrap())
        .sum();
    let total = summary["downtime_minutes_per_year"]["mean"]
        .as_f64()
        .unwrap();
    assert!(
        (by_component - total).abs() <= 1e-9 * total.max(1.0),
        "components {by_component} vs downtime {total}"
    );
    let components = read(&dir, "attribution-by-component.svg");
    let top = summary["components"][0]["name"].as_str().unwrap();
    assert!(
        components.contains(top),
        "the top component {top} is not drawn"
    );
    let attribution = read(&dir, "attribution.svg");
    let top = json["results"]["run"]["summary"]["attribution"][0]["cause"]
        .as_str()
        .unwrap();
    assert!(attribution.contains(top), "attribution.svg lacks {top}");
    let timeline = read(&dir, "replication-timeline.svg");
    for row in json["results"]["run"]["sample"]["timeline"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .take(10)
    {
        let name = row["name"].as_str().unwrap();
        let shown = name.chars().take(12).collect::<String>();
        assert!(
            timeline.contains(&xml_text(&shown)),
            "the timeline lacks row {name}"
        );
    }
}

/// Text as it appears inside XML.
fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn the_sample_replication_is_the_worst_and_replays_to_its_listed_hash() {
    let (_tmp, dir) = scratch("r");
    nines_ok(&[
        "run",
        "web-n-plus-1",
        "--replications",
        "8",
        "--report",
        dir.to_str().unwrap(),
        "-q",
    ]);
    let json: serde_json::Value = serde_json::from_str(&read(&dir, "results.json")).unwrap();
    let r = &json["results"]["run"];
    let years: Vec<f64> = r["summary"]["replication_downtime_minutes_per_year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let k = r["sample"]["replication"].as_u64().unwrap() as usize;
    let worst = years.iter().cloned().fold(f64::MIN, f64::max);
    assert_eq!(years[k], worst);
    // The replay command the report prints reproduces that replication.
    let seed = r["summary"]["seed"].as_u64().unwrap().to_string();
    let replay = crate::support::nines_json(&[
        "replay",
        "web-n-plus-1",
        "--seed",
        &seed,
        "--replication",
        &k.to_string(),
        "--json",
        "-",
    ]);
    assert_eq!(
        replay["trace_hash"], r["summary"]["replication_hashes"][k],
        "replication {k} replays to another digest"
    );
    // The entry's spans over the whole horizon add up to its downtime.
    let down: f64 = r["sample"]["overview"]["spans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["state"] == "down")
        .map(|s| s["end_hours"].as_f64().unwrap() - s["start_hours"].as_f64().unwrap())
        .sum();
    let minutes = r["sample"]["downtime_minutes"].as_f64().unwrap();
    assert!(
        (down * 60.0 - minutes).abs() < 1e-6 * minutes.max(1.0),
        "{} min of spans, {minutes} min measured",
        down * 60.0
    );
}

#[test]
fn a_k_of_n_run_report_shows_its_units() {
    let (_tmp, dir) = scratch("k");
    let run = nines_ok(&[
        "run",
        "cluster-2of3",
        "--replications",
        "20",
        "--seed",
        "3",
        "--report",
        dir.to_str().unwrap(),
    ]);
    assert!(run.stdout.contains("report.html"), "{}", run.stdout);
    check_report(&dir, 3);
    check_rerender(&dir);
    insta::assert_snapshot!("report_cluster_2of3_md", read(&dir, "report.md"));
}

#[test]
fn a_request_level_report_plots_latency_and_errors() {
    let (_tmp, dir) = scratch("q");
    nines_ok(&[
        "run",
        "retry-storm",
        "--replications",
        "3",
        "--report",
        dir.to_str().unwrap(),
        "-q",
    ]);
    check_report(&dir, 3);
    let names = files(&dir);
    for f in ["latency-over-time.svg", "errors-by-cause.svg"] {
        assert!(names.contains(&f.to_string()), "{f} missing: {names:?}");
    }
    let latency = read(&dir, "latency-over-time.svg");
    for series in ["p50", "p90", "p99"] {
        assert!(latency.contains(series), "latency plot lacks {series}");
    }
}

#[test]
fn a_sweep_report_draws_the_frontier_the_parameters_and_a_heat_map() {
    let (_tmp, dir) = scratch("sweep");
    nines_ok(&[
        "sweep",
        "web-replicas-sweep",
        "--replications",
        "4",
        "--report",
        dir.to_str().unwrap(),
        "-q",
    ]);
    check_report(&dir, 3);
    check_rerender(&dir);
    let names = files(&dir);
    for f in ["pareto.svg", "heat-map.svg"] {
        assert!(names.contains(&f.to_string()), "{f} missing: {names:?}");
    }
    assert!(
        names.iter().any(|n| n.starts_with("by-")),
        "no plot against a parameter: {names:?}"
    );
    let pareto = read(&dir, "pareto.svg");
    assert!(pareto.contains("Pareto frontier"));
    let json: serde_json::Value = serde_json::from_str(&read(&dir, "results.json")).unwrap();
    let points = json["results"]["sweep"]["points"].as_array().unwrap();
    assert_eq!(points.len(), 15);
    for p in points.iter().filter(|p| p["pareto"] == true) {
        let label = p["label"].as_str().unwrap();
        assert!(
            pareto.contains(&xml_text(label))
                || pareto.contains(&xml_text(&label[..label.len().min(16)])),
            "the frontier point {label} is not labelled"
        );
    }
    let ranking = json["results"]["sweep"]["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 15);
    assert!(ranking[0]["downtime_vs_best"].is_null());
    assert!(ranking[1]["downtime_vs_best"]["ci95_low"].is_number());
    insta::assert_snapshot!("report_sweep_md", read(&dir, "report.md"));
}

#[test]
fn a_sweep_json_renders_into_the_same_report_as_the_sweep_wrote() {
    let (_tmp, dir) = scratch("sw");
    let out = dir.with_file_name("out");
    nines_ok(&[
        "sweep",
        "web-replicas-sweep",
        "--replications",
        "3",
        "--sweep",
        "service.web.instances=2,3",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    nines_ok(&[
        "report",
        out.join("sweep.json").to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    check_report(&dir, 2);
    assert_eq!(read(&dir, "results.csv"), read(&out, "sweep.csv"));
}

#[test]
fn report_refuses_what_it_cannot_read() {
    let (_tmp, dir) = scratch("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        ("not-json.json", "not json at all", "not JSON"),
        (
            "other.json",
            "{\"format\": \"other/9\"}",
            "format \"other/9\"",
        ),
        ("shape.json", "{\"a\": 1}", "expected a results.json"),
    ];
    for (name, text, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let run = nines(&["report", path.to_str().unwrap(), "--out", "unused-dir"]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
    }
    assert!(
        !Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("unused-dir")
            .exists()
    );
    let file = dir.join("a-file");
    std::fs::write(&file, "mine").unwrap();
    let good = dir.join("good.json");
    nines_ok(&[
        "run",
        "cluster-2of3",
        "-r",
        "2",
        "--json",
        good.to_str().unwrap(),
        "-q",
    ]);
    let run = nines(&[
        "report",
        good.to_str().unwrap(),
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a directory"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "mine",
        "nothing overwritten"
    );
    let run = nines(&["report", "no/such/file.json", "--out", "unused-dir"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no/such/file.json"), "{}", run.stderr);
}

#[test]
fn batch_means_refuse_a_report() {
    let run = nines(&[
        "run",
        "cluster-2of3",
        "--method",
        "batch-means",
        "--report",
        "unused-dir",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--report needs --method replications"),
        "{}",
        run.stderr
    );
}

/// Chromium, if this machine has it (`.ci/run` installs it).
fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

#[test]
fn the_html_report_renders_in_headless_chromium_without_console_errors() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no Chromium on this machine (.ci/run installs it)");
        return;
    };
    let (tmp, dir) = scratch("browser");
    nines_ok(&[
        "run",
        "multi-az",
        "--replications",
        "4",
        "--report",
        dir.to_str().unwrap(),
        "-q",
    ]);
    let page = format!("file://{}", dir.join("report.html").display());
    let profile = tmp.path().join("profile");
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=2000", "--dump-dom"])
        .arg(&page)
        .output()
        .expect("chromium runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "chromium failed: {stderr}");
    // The page was parsed and laid out with its plots.
    assert!(
        dom.contains("<svg"),
        "no SVG in the rendered DOM: {dom:.500}"
    );
    assert!(dom.contains("Where the downtime comes from"));
    // Console messages are logged as CONSOLE lines; the page has none.
    let console: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught") || l.contains("Failed to load"))
        .collect();
    assert!(console.is_empty(), "console output: {console:#?}");
}

#[test]
fn a_sweep_of_named_variants_only_draws_each_design() {
    let (_tmp, dir) = scratch("variants");
    let out = dir.with_file_name("points");
    nines_ok(&[
        "sweep",
        "web-replicas-sweep",
        "--replications",
        "3",
        "--sweep",
        "service.web.instances=3,4,5",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    // The same points as named variants, with no numeric axis.
    let mut points: serde_json::Value = serde_json::from_str(&read(&out, "sweep.json")).unwrap();
    for p in points.as_array_mut().unwrap() {
        let label = p["label"].clone();
        p["variant"] = label;
        p["point"] = serde_json::json!({});
    }
    let variants = dir.with_file_name("variants.json");
    std::fs::write(&variants, points.to_string()).unwrap();
    nines_ok(&[
        "report",
        variants.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    check_report(&dir, 2);
    let names = files(&dir);
    assert!(names.contains(&"designs.svg".to_string()), "{names:?}");
    let designs = read(&dir, "designs.svg");
    for label in ["instances=3", "instances=4", "instances=5"] {
        assert!(designs.contains(label), "designs.svg lacks {label}");
    }
}
