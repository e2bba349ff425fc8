//! Tests of the charts: every chart on typical, empty, one-point and
//! hostile data is well-formed XML with no external references, shows what
//! it was given, keeps its text inside the picture, and is the same bytes
//! when drawn twice. `render_examples` (ignored) writes one example of each
//! chart to /tmp/plots for a person to look at.

use super::*;

/// The text of every `<text>` element, unescaped, in document order.
fn texts(svg: &str) -> Vec<String> {
    let doc = parse(svg);
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_owned())
        .collect()
}

/// Parses `svg` as XML, failing the test with the SVG when it is not, and
/// checks what every chart must be: an `<svg>` root, no references to
/// anything outside, no scripts, no NaN or infinite coordinates.
fn parse(svg: &str) -> roxmltree::Document<'_> {
    let doc = match roxmltree::Document::parse(svg) {
        Ok(doc) => doc,
        Err(e) => panic!("not XML: {e}\n{svg}"),
    };
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    for node in doc.descendants().filter(|n| n.is_element()) {
        assert!(!node.has_tag_name("script"), "script in\n{svg}");
        for attribute in node.attributes() {
            assert!(!attribute.name().contains("href"), "href in\n{svg}");
            assert!(!attribute.value().contains("NaN"), "NaN in {attribute:?}");
            assert!(!attribute.value().contains("inf"), "inf in {attribute:?}");
        }
    }
    doc
}

/// Asserts that each of `expected` is the whole text of some `<text>`.
fn assert_shows(svg: &str, expected: &[&str]) {
    let texts = texts(svg);
    for e in expected {
        assert!(
            texts.iter().any(|t| t == e),
            "no text {e:?} among {texts:?}"
        );
    }
}

/// Asserts that some `<text>` contains `part`.
fn assert_mentions(svg: &str, part: &str) {
    let texts = texts(svg);
    assert!(
        texts.iter().any(|t| t.contains(part)),
        "no text containing {part:?} among {texts:?}"
    );
}

/// Asserts that no unrotated `<text>` reaches past the picture's left or
/// right edge, by the same width estimate the layout uses.
fn assert_text_inside(svg: &str) {
    let doc = parse(svg);
    let width: f64 = doc
        .root_element()
        .attribute("width")
        .and_then(|w| w.parse().ok())
        .unwrap_or(0.0);
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        if node.attribute("transform").is_some() {
            continue;
        }
        let text = node.text().unwrap_or("").trim();
        let x: f64 = node
            .attribute("x")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        let px: f64 = node
            .attribute("font-size")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        let w = text_width(text, px);
        let (left, right) = match node.attribute("text-anchor") {
            Some("end") => (x - w, x),
            Some("middle") => (x - w / 2.0, x + w / 2.0),
            _ => (x, x + w),
        };
        assert!(
            left >= -0.5 && right <= width + 0.5,
            "text {text:?} spans {left}..{right} of {width}"
        );
    }
}

/// The `fill` of the rectangle drawn just before the `<text>` whose whole
/// text is `label`: the colour of a heat map's cell.
fn fill_before(svg: &str, label: &str) -> String {
    let doc = parse(svg);
    let text = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.text().map(str::trim) == Some(label))
        .unwrap_or_else(|| panic!("no text {label:?}"));
    let rect = text
        .prev_siblings()
        .find(|n| n.has_tag_name("rect"))
        .unwrap_or_else(|| panic!("no rect before {label:?}"));
    rect.attribute("fill").unwrap_or("").to_owned()
}

fn long(prefix: &str) -> String {
    format!("{prefix}{}", "x".repeat(200))
}

fn bars() -> Vec<Bar> {
    [
        ("3 replicas, 2 zones", 12.5, 9.0, 16.0),
        ("2 replicas", 52.0, 40.0, 61.0),
        ("single node", 415.0, 380.0, 450.0),
    ]
    .into_iter()
    .map(|(label, value, low, high)| Bar {
        label: label.to_owned(),
        value,
        low: Some(low),
        high: Some(high),
    })
    .collect()
}

fn bins() -> Vec<Bin> {
    [
        ("≤1 min", 120.0),
        ("1–5 min", 64.0),
        ("5–30 min", 21.0),
        ("30 min–2 h", 6.0),
        ("> 2 h", 1.0),
    ]
    .into_iter()
    .map(|(label, height)| Bin {
        label: label.to_owned(),
        height,
    })
    .collect()
}

/// 1000 years of downtime, minutes: deterministic, skewed, a third zero.
fn downtimes() -> Vec<f64> {
    (0..1000u32)
        .map(|i| {
            let u = f64::from((i * 7919) % 1000) / 1000.0;
            if u < 0.33 {
                0.0
            } else {
                -60.0 * (1.0 - u).ln()
            }
        })
        .collect()
}

fn marks() -> Vec<Mark> {
    vec![
        Mark {
            exceedance: 0.05,
            label: "1 year in 20".to_owned(),
            value: None,
        },
        Mark {
            exceedance: 0.01,
            label: "1 year in 100".to_owned(),
            value: None,
        },
    ]
}

fn rows() -> Vec<Row> {
    let span = |start, end, state| Span { start, end, state };
    vec![
        Row {
            name: "checkout (as users see it)".to_owned(),
            group: "service".to_owned(),
            spans: vec![
                span(120.0, 121.5, SpanState::Down),
                span(300.0, 310.0, SpanState::Degraded),
            ],
        },
        Row {
            name: "db primary".to_owned(),
            group: "component".to_owned(),
            spans: vec![
                span(120.0, 120.2, SpanState::FailingOver),
                span(300.0, 340.0, SpanState::Down),
            ],
        },
        Row {
            name: "db replica".to_owned(),
            group: "component".to_owned(),
            spans: vec![span(500.0, 560.0, SpanState::Down)],
        },
        Row {
            name: "zone-a power".to_owned(),
            group: "fault".to_owned(),
            spans: vec![
                span(119.5, 121.5, SpanState::Active),
                span(700.0, 900.0, SpanState::Active),
            ],
        },
    ]
}

fn series() -> Vec<Series> {
    let line = |name: &str, colour: usize, base: f64| Series {
        name: name.to_owned(),
        colour,
        points: (1..=5)
            .map(|n| {
                let x = f64::from(n);
                let mean = base / x.powi(2);
                (x, mean, mean * 0.7, mean * 1.4)
            })
            .collect(),
    };
    vec![line("2 zones", 0, 1e-3), line("3 zones", 1, 2e-4)]
}

fn heat_data() -> (Vec<String>, Vec<String>, Vec<Vec<Option<f64>>>) {
    let columns = ["1", "2", "3"].map(String::from).to_vec();
    let rows = ["1 h", "4 h"].map(String::from).to_vec();
    let values = vec![
        vec![Some(1.0), Some(2.0), None],
        vec![Some(3.0), Some(4.0), Some(2.5)],
    ];
    (columns, rows, values)
}

fn one_decimal(v: f64) -> String {
    format!("{v:.1}")
}

fn designs() -> Vec<Design> {
    let design = |label: &str, colour, cost, u: f64, pareto| Design {
        label: label.to_owned(),
        colour,
        cost,
        y: u,
        low: u * 0.6,
        high: u * 1.5,
        pareto,
    };
    vec![
        design("single node", 0, 1_000.0, 1e-2, true),
        design("2 replicas", 1, 2_000.0, 4e-4, true),
        design("2 replicas, no failover", 2, 2_200.0, 3e-3, false),
        design("3 replicas, 2 zones", 3, 3_500.0, 2e-5, true),
        design("5 replicas", 4, 6_000.0, 3e-5, false),
    ]
}

/// Every chart drawn from the typical fixtures, named.
fn typical_charts() -> Vec<(&'static str, String)> {
    let (columns, rows_, values) = heat_data();
    vec![
        (
            "bars",
            bar_chart("Downtime by design", "downtime (min/yr)", &bars()),
        ),
        (
            "histogram",
            histogram(
                "Outage lengths",
                "outage length",
                "outages per year",
                &bins(),
            ),
        ),
        (
            "exceedance",
            exceedance(
                "Downtime per year",
                "downtime per replication-year (min)",
                &downtimes(),
                &marks(),
            ),
        ),
        (
            "timeline",
            timeline(
                "Replication 7",
                "hours into replication 7",
                0.0,
                1000.0,
                &rows(),
            ),
        ),
        (
            "lines",
            lines_with_bands(
                "Unavailability by zones",
                "repair time (h)",
                "unavailability",
                &series(),
                true,
            ),
        ),
        (
            "heat",
            heat_map(
                "Unavailability",
                "replicas",
                "repair time",
                &columns,
                &rows_,
                &values,
                "downtime (min/yr)",
                false,
                &one_decimal,
            ),
        ),
        (
            "scatter",
            pareto_scatter(
                "Cost against availability",
                "cost per year (USD)",
                &designs(),
            ),
        ),
        (
            "plane",
            plane_scatter(
                "Writes lost against cost",
                "cost per year (USD)",
                PlaneY::Linear("writes lost (/yr), lower is better"),
                &plane_designs(),
            ),
        ),
    ]
}

/// Designs on a plane of cost and writes lost: large counts, one at zero.
fn plane_designs() -> Vec<Design> {
    let design = |label: &str, colour, cost, y: f64, pareto| Design {
        label: label.to_owned(),
        colour,
        cost,
        y,
        low: y * 0.8,
        high: y * 1.2,
        pareto,
    };
    vec![
        design("hourly", 0, 90_000.0, 0.0, true),
        design("every 6h", 1, 40_000.0, 2.1e6, true),
        design("nightly", 2, 30_000.0, 7.0e6, true),
        design("weekly", 3, 31_000.0, 5.1e7, false),
    ]
}

#[test]
fn a_linear_plane_draws_values_as_they_are_from_zero() {
    let svg = plane_scatter(
        "Writes lost against cost",
        "cost per year (USD)",
        PlaneY::Linear("writes lost (/yr), lower is better"),
        &plane_designs(),
    );
    parse(&svg);
    assert_mentions(&svg, "writes lost (/yr), lower is better");
    assert_mentions(&svg, "cost per year (USD)");
    assert!(
        !svg.contains("log scale"),
        "a linear plane says no log scale"
    );
    assert!(
        !svg.contains("drawn at"),
        "nothing is clamped on a linear plane"
    );
    // Ticks from zero in millions, and every design keyed by name.
    assert_mentions(&svg, "0");
    assert_mentions(&svg, "60M");
    for name in ["hourly", "every 6h", "nightly", "weekly"] {
        assert_mentions(&svg, name);
    }
    // The unavailability plane of the same designs is a different drawing.
    let log = pareto_scatter(
        "Writes lost against cost",
        "cost per year (USD)",
        &plane_designs(),
    );
    assert_ne!(svg, log);
    assert!(log.contains("log scale"));
}

#[test]
fn typical_charts_parse_and_keep_their_text_inside() {
    for (name, svg) in typical_charts() {
        parse(&svg);
        assert!(svg.len() > 1000, "{name} is only {svg}");
        assert_text_inside(&svg);
    }
}

#[test]
fn every_chart_has_its_title() {
    for (name, svg) in typical_charts() {
        let title = texts(&svg).into_iter().next().unwrap_or_default();
        assert!(!title.is_empty(), "{name} has no title");
    }
    assert_shows(
        &bar_chart("Downtime by design", "downtime (min/yr)", &bars()),
        &["Downtime by design"],
    );
}

#[test]
fn charts_are_the_same_bytes_when_drawn_twice() {
    for ((name, a), (_, b)) in typical_charts().into_iter().zip(typical_charts()) {
        assert!(a == b, "{name} differs between two drawings");
    }
}

#[test]
fn empty_inputs_give_a_no_data_svg() {
    let none: Vec<String> = Vec::new();
    let charts = [
        bar_chart("t", "v", &[]),
        histogram("t", "x", "y", &[]),
        exceedance("t", "x", &[], &marks()),
        timeline("t", "x", 0.0, 1.0, &[]),
        lines_with_bands("t", "x", "y", &[], false),
        lines_with_bands(
            "t",
            "x",
            "y",
            &[Series {
                name: "s".into(),
                colour: 0,
                points: vec![],
            }],
            true,
        ),
        heat_map("t", "x", "y", &none, &none, &[], "v", true, &one_decimal),
        pareto_scatter("t", "x", &[]),
    ];
    for svg in charts {
        parse(&svg);
        assert_shows(&svg, &["t", "no data"]);
    }
}

#[test]
fn bar_chart_shows_each_label_value_and_axis_description() {
    let svg = bar_chart("Downtime by design", "downtime (min/yr)", &bars());
    assert_shows(
        &svg,
        &[
            "3 replicas, 2 zones",
            "2 replicas",
            "single node",
            "415",
            "downtime (min/yr)",
        ],
    );
}

#[test]
fn bar_chart_cuts_after_twenty_bars_with_a_note() {
    let many: Vec<Bar> = (0..25)
        .map(|i| Bar {
            label: format!("design {i}"),
            value: f64::from(i),
            low: None,
            high: None,
        })
        .collect();
    let svg = bar_chart("t", "v", &many);
    assert_shows(&svg, &["design 0", "design 19", "… 5 more"]);
    assert!(!texts(&svg).contains(&"design 20".to_owned()));
    assert_text_inside(&svg);
}

#[test]
fn bar_chart_survives_nan_negative_and_long_labels() {
    let hostile = vec![
        Bar {
            label: long("a"),
            value: f64::NAN,
            low: Some(1.0),
            high: Some(2.0),
        },
        Bar {
            label: "neg".into(),
            value: -3.0,
            low: Some(f64::NEG_INFINITY),
            high: Some(-1.0),
        },
        Bar {
            label: "ctl\u{1}\u{7}<&>".into(),
            value: 0.0,
            low: None,
            high: None,
        },
        Bar {
            label: "huge".into(),
            value: 1e200,
            low: Some(1e199),
            high: Some(2e200),
        },
    ];
    let svg = bar_chart("t", "v", &hostile);
    assert_shows(&svg, &["n/a", "neg", "ctl <&>"]);
    assert_mentions(&svg, "…");
    assert_text_inside(&svg);
    let one = bar_chart(
        "t",
        "v",
        &[Bar {
            label: "only".into(),
            value: 0.0,
            low: None,
            high: None,
        }],
    );
    assert_shows(&one, &["only", "0"]);
}

#[test]
fn histogram_shows_each_bin_label_and_both_axis_descriptions() {
    let svg = histogram(
        "Outage lengths",
        "outage length",
        "outages per year",
        &bins(),
    );
    assert_shows(
        &svg,
        &[
            "≤1 min",
            "1–5 min",
            "30 min–2 h",
            "120",
            "outage length",
            "outages per year",
        ],
    );
}

#[test]
fn histogram_labels_every_one_of_ten_outage_bands() {
    let labels = [
        "≤ 1 min",
        "1–5 min",
        "5–15 min",
        "15–30 min",
        "30 min–1 h",
        "1–2 h",
        "2–4 h",
        "4–8 h",
        "8–24 h",
        "> 24 h",
    ];
    let bins: Vec<Bin> = labels
        .iter()
        .map(|&label| Bin {
            label: label.to_owned(),
            height: 1.0,
        })
        .collect();
    let svg = histogram("Outage lengths", "outage length", "outages per year", &bins);
    assert_shows(&svg, &labels);
    assert_text_inside(&svg);
}

#[test]
fn histogram_survives_zeros_nan_one_bin_and_many_long_bins() {
    let zeros: Vec<Bin> = bins()
        .into_iter()
        .map(|b| Bin { height: 0.0, ..b })
        .collect();
    assert_shows(&histogram("t", "x", "y", &zeros), &["≤1 min"]);
    let one = histogram(
        "t",
        "x",
        "y",
        &[Bin {
            label: "all".into(),
            height: f64::NAN,
        }],
    );
    assert_shows(&one, &["all"]);
    let many: Vec<Bin> = (0..60)
        .map(|i| Bin {
            label: long(&i.to_string()),
            height: f64::from(i),
        })
        .collect();
    let svg = histogram("t", "x", "y", &many);
    assert_mentions(&svg, "…");
    assert_text_inside(&svg);
}

#[test]
fn exceedance_labels_each_mark_with_the_value_it_crosses() {
    let values: Vec<f64> = (1..=100).map(f64::from).collect();
    let svg = exceedance("t", "downtime (min)", &values, &marks());
    // Five of the hundred values are greater than 95; one is greater
    // than 99, none greater than 100.
    assert_shows(&svg, &["1 year in 20: > 95 min", "1 year in 100: > 99 min"]);
    assert_shows(&svg, &["100%", "10%", "1%"]);
}

#[test]
fn exceedance_says_when_a_mark_is_rarer_than_the_data() {
    let values: Vec<f64> = (1..=10).map(f64::from).collect();
    let svg = exceedance(
        "t",
        "x",
        &values,
        &[Mark {
            exceedance: 0.001,
            label: "1 in 1000".into(),
            value: None,
        }],
    );
    assert_shows(&svg, &["1 in 1000: beyond the largest of 10 samples"]);
}

#[test]
fn exceedance_survives_one_point_zeros_nan_and_bad_marks() {
    let bad = vec![
        Mark {
            exceedance: 0.0,
            label: "zero".into(),
            value: None,
        },
        Mark {
            exceedance: f64::NAN,
            label: "nan".into(),
            value: None,
        },
        Mark {
            exceedance: 2.0,
            label: "two".into(),
            value: None,
        },
        Mark {
            exceedance: 0.5,
            label: long("half"),
            value: None,
        },
    ];
    for values in [
        vec![5.0],
        vec![0.0; 50],
        vec![f64::NAN, 1.0, f64::INFINITY, 1e300, 2.0],
    ] {
        let svg = exceedance("t", "x (h)", &values, &bad);
        parse(&svg);
        assert_text_inside(&svg);
        let all = texts(&svg).join("\n");
        assert!(
            !all.contains("zero") && !all.contains("nan") && !all.contains("two"),
            "{all}"
        );
    }
    let svg = exceedance("t", "x", &[f64::NAN], &marks());
    assert_shows(&svg, &["no data"]);
}

#[test]
fn exceedance_of_many_samples_stays_small() {
    let values: Vec<f64> = (0..200_000u32).map(|i| f64::from(i % 9973)).collect();
    let svg = exceedance("t", "x", &values, &marks());
    assert!(svg.len() < 60_000, "{} bytes", svg.len());
}

#[test]
fn timeline_shows_each_row_group_and_state_in_the_legend() {
    let svg = timeline(
        "Replication 7",
        "hours into replication 7",
        0.0,
        1000.0,
        &rows(),
    );
    assert_shows(
        &svg,
        &[
            "checkout (as users see it)",
            "db primary",
            "db replica",
            "zone-a power",
            "service",
            "component",
            "fault",
        ],
    );
    assert_shows(
        &svg,
        &[
            "up",
            "down",
            "degraded",
            "failing over",
            "fault active",
            "hours into replication 7",
        ],
    );
}

#[test]
fn timeline_clips_spans_to_the_window() {
    let row = Row {
        name: "r".into(),
        group: "g".into(),
        spans: vec![
            Span {
                start: -50.0,
                end: 5.0,
                state: SpanState::Down,
            },
            Span {
                start: 8.0,
                end: 1e9,
                state: SpanState::Degraded,
            },
        ],
    };
    let svg = timeline("t", "h", 0.0, 10.0, &[row]);
    let doc = parse(&svg);
    let plot_right = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#E4F1E4"))
        .map(|n| {
            let x: f64 = n.attribute("x").and_then(|v| v.parse().ok()).unwrap_or(0.0);
            let w: f64 = n
                .attribute("width")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0);
            (x, x + w)
        })
        .next();
    let Some((plot_left, plot_right)) = plot_right else {
        panic!("no up background in\n{svg}")
    };
    for state in [SpanState::Down, SpanState::Degraded] {
        let fill = {
            let c = state_colour(state);
            format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
        };
        let rect = doc
            .descendants()
            .find(|n| n.has_tag_name("rect") && n.attribute("fill") == Some(fill.as_str()))
            .unwrap_or_else(|| panic!("no {state:?} span"));
        let x: f64 = rect
            .attribute("x")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1.0);
        let w: f64 = rect
            .attribute("width")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1.0);
        assert!(
            x >= plot_left && x + w <= plot_right,
            "{state:?} at {x}+{w} outside {plot_left}..{plot_right}"
        );
    }
}

#[test]
fn timeline_caps_rows_at_sixty_with_a_note_and_grows_with_rows() {
    let many: Vec<Row> = (0..65)
        .map(|i| Row {
            name: format!("part {i}"),
            group: "g".into(),
            spans: vec![],
        })
        .collect();
    let svg = timeline("t", "h", 0.0, 10.0, &many);
    assert_shows(&svg, &["part 59", "… 5 more rows not shown"]);
    assert!(!texts(&svg).contains(&"part 60".to_owned()));
    let height = |svg: &str| -> u32 {
        parse(svg)
            .root_element()
            .attribute("height")
            .and_then(|h| h.parse().ok())
            .unwrap_or(0)
    };
    assert!(height(&svg) > height(&timeline("t", "h", 0.0, 10.0, &rows())) + 60 * 20 / 2);
}

#[test]
fn timeline_survives_a_bad_window_nan_spans_and_long_names() {
    let rows = vec![Row {
        name: long("n"),
        group: String::new(),
        spans: vec![
            Span {
                start: f64::NAN,
                end: 3.0,
                state: SpanState::Down,
            },
            Span {
                start: 2.0,
                end: 2.0,
                state: SpanState::Active,
            },
        ],
    }];
    for (start, end) in [
        (0.0, 10.0),
        (5.0, 5.0),
        (f64::NAN, f64::INFINITY),
        (10.0, 0.0),
    ] {
        let svg = timeline("t", "h", start, end, &rows);
        assert_mentions(&svg, "…");
        assert_text_inside(&svg);
    }
}

#[test]
fn lines_name_each_series_in_a_legend_only_when_there_are_several() {
    let svg = lines_with_bands("t", "repair time (h)", "unavailability", &series(), true);
    assert_shows(
        &svg,
        &[
            "2 zones",
            "3 zones",
            "unavailability, log scale",
            "repair time (h)",
        ],
    );
    // With few distinct x values, each is a tick.
    assert_shows(&svg, &["1", "2", "3", "4", "5"]);
    let one = lines_with_bands("t", "x", "y", &series()[..1], false);
    assert!(
        !texts(&one).contains(&"2 zones".to_owned()),
        "a lone series needs no legend"
    );
}

#[test]
fn lines_draw_bands_in_the_series_colour_at_alpha_one_fifth() {
    let svg = lines_with_bands("t", "x", "y", &series()[1..], false);
    let doc = parse(&svg);
    let c = colour(1);
    let fill = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
    let band = doc
        .descendants()
        .find(|n| n.has_tag_name("polygon"))
        .expect("a band");
    assert_eq!(band.attribute("fill"), Some(fill.as_str()));
    assert_eq!(band.attribute("opacity"), Some("0.2"));
}

#[test]
fn lines_survive_zeros_on_a_log_axis_nan_one_point_and_many_series() {
    let zeros = Series {
        name: "zero".into(),
        colour: 0,
        points: vec![(1.0, 0.0, 0.0, 0.0), (2.0, 0.0, -1.0, 0.0)],
    };
    let nan = Series {
        name: long("nan"),
        colour: 2,
        points: vec![(f64::NAN, 1.0, 1.0, 1.0), (1.0, f64::NAN, 0.0, 1.0)],
    };
    let one = Series {
        name: "one".into(),
        colour: 3,
        points: vec![(3.0, 2e-4, f64::NAN, 5e-4)],
    };
    for log_y in [true, false] {
        let svg = lines_with_bands(
            "t",
            "x",
            "y",
            &[zeros.clone(), nan.clone(), one.clone()],
            log_y,
        );
        assert_shows(&svg, &["zero", "one"]);
        assert_eq!(
            texts(&svg)
                .iter()
                .any(|t| t.starts_with("values ≤ 0 are drawn at ")),
            log_y
        );
        assert_mentions(&svg, "…");
        assert_text_inside(&svg);
    }
    let many: Vec<Series> = (0..40)
        .map(|i| Series {
            name: format!("s{i}"),
            colour: i,
            ..series()[0].clone()
        })
        .collect();
    let svg = lines_with_bands("t", "x", "y", &many, true);
    assert_mentions(&svg, "more");
}

#[test]
fn heat_map_annotates_cells_and_keeps_good_the_same_colour_either_way() {
    let (columns, rows, values) = heat_data();
    let lower = heat_map(
        "t",
        "x",
        "y",
        &columns,
        &rows,
        &values,
        "downtime",
        false,
        &one_decimal,
    );
    assert_shows(
        &lower,
        &[
            "1.0",
            "2.0",
            "3.0",
            "4.0",
            "2.5",
            "–",
            "1 h",
            "4 h",
            "downtime, lower is better",
        ],
    );
    let higher = heat_map(
        "t",
        "x",
        "y",
        &columns,
        &rows,
        &values,
        "availability",
        true,
        &one_decimal,
    );
    assert_shows(&higher, &["availability, higher is better"]);
    assert_eq!(fill_before(&lower, "1.0"), fill_before(&higher, "4.0"));
    assert_eq!(fill_before(&lower, "4.0"), fill_before(&higher, "1.0"));
    assert_ne!(fill_before(&lower, "1.0"), fill_before(&lower, "4.0"));
}

#[test]
fn heat_map_survives_ragged_nan_equal_and_long_labelled_grids() {
    let columns = vec![long("c")];
    let rows = vec![long("r"), "second".into()];
    let values = vec![
        vec![Some(f64::NAN), Some(1.0), Some(1.0)],
        vec![],
        vec![Some(f64::INFINITY)],
    ];
    let svg = heat_map(
        "t",
        "x",
        "y",
        &columns,
        &rows,
        &values,
        &long("v"),
        false,
        &|v| long(&v.to_string()),
    );
    assert_shows(&svg, &["second"]);
    assert_mentions(&svg, "…");
    assert_text_inside(&svg);
    let all_none = vec![vec![None, None]];
    assert_shows(
        &heat_map(
            "t",
            "x",
            "y",
            &columns,
            &rows,
            &all_none,
            "v",
            false,
            &one_decimal,
        ),
        &["no data"],
    );
}

#[test]
fn pareto_scatter_numbers_every_design_and_names_each_in_a_key() {
    let svg = pareto_scatter("t", "cost per year (USD)", &designs());
    assert_shows(
        &svg,
        &[
            "Pareto frontier",
            "single node",
            "2 replicas",
            "2 replicas, no failover",
            "3 replicas, 2 zones",
            "5 replicas",
        ],
    );
    // Each design's number twice: beside its point and in the key.
    let texts = texts(&svg);
    for number in 1..=designs().len() {
        let n = number.to_string();
        assert_eq!(
            texts.iter().filter(|t| **t == n).count(),
            2,
            "{n}: {texts:?}"
        );
    }
    assert_text_inside(&svg);
    assert_shows(
        &svg,
        &[
            "unavailability (1 − A), log scale",
            "1% (2 nines)",
            "0.01% (4 nines)",
        ],
    );
}

#[test]
fn pareto_scatter_survives_zero_unavailability_nan_one_point_and_long_labels() {
    let mut hostile = designs();
    hostile[0].y = 0.0;
    hostile[0].low = 0.0;
    hostile[1].cost = f64::NAN;
    hostile[2].high = f64::INFINITY;
    hostile[3].label = long("l");
    hostile[4].y = -1.0;
    let svg = pareto_scatter("t", "x", &hostile);
    assert_shows(&svg, &["Pareto frontier", "single node"]);
    assert_mentions(&svg, "an unavailability ≤ 0 is drawn at");
    assert_mentions(&svg, "…");
    assert_text_inside(&svg);
    let one = pareto_scatter("t", "x", &designs()[..1]);
    assert_shows(&one, &["Pareto frontier", "single node"]);
    let zeros: Vec<Design> = designs()
        .into_iter()
        .map(|d| Design {
            y: 0.0,
            low: 0.0,
            high: 0.0,
            ..d
        })
        .collect();
    assert_shows(&pareto_scatter("t", "x", &zeros), &["Pareto frontier"]);
}

#[test]
fn extreme_magnitudes_draw_without_panicking_in_every_chart() {
    let extremes = [
        5e-324,
        f64::MIN_POSITIVE,
        1e-300,
        1e-12,
        1.0,
        1e12,
        1e250,
        -1e250,
        1e300,
        f64::MAX,
    ];
    let bars: Vec<Bar> = extremes
        .iter()
        .map(|v| Bar {
            label: format!("{v:e}"),
            value: *v,
            low: Some(v * 0.5),
            high: Some(*v),
        })
        .collect();
    let bins: Vec<Bin> = extremes
        .iter()
        .map(|v| Bin {
            label: format!("{v:e}"),
            height: *v,
        })
        .collect();
    let points: Vec<(f64, f64, f64, f64)> =
        extremes.iter().map(|v| (*v, *v, v * 0.5, *v)).collect();
    let series = vec![Series {
        name: "s".into(),
        colour: 0,
        points,
    }];
    let designs: Vec<Design> = extremes
        .iter()
        .map(|v| Design {
            label: format!("{v:e}"),
            colour: 0,
            cost: *v,
            y: *v,
            low: *v,
            high: *v,
            pareto: true,
        })
        .collect();
    let spans: Vec<Span> = extremes
        .iter()
        .map(|v| Span {
            start: -v,
            end: *v,
            state: SpanState::Down,
        })
        .collect();
    let rows = vec![Row {
        name: "r".into(),
        group: "g".into(),
        spans,
    }];
    let grid = vec![extremes.iter().map(|v| Some(*v)).collect::<Vec<_>>()];
    let columns: Vec<String> = extremes.iter().map(|v| format!("{v:e}")).collect();
    let charts = [
        bar_chart("t", "v", &bars),
        histogram("t", "x", "y", &bins),
        exceedance("t", "x", &extremes, &marks()),
        timeline("t", "x", -1e300, 1e300, &rows),
        timeline("t", "x", 0.0, 5e-324, &rows),
        lines_with_bands("t", "x", "y", &series, true),
        lines_with_bands("t", "x", "y", &series, false),
        heat_map(
            "t",
            "x",
            "y",
            &columns,
            &["r".into()],
            &grid,
            "v",
            false,
            &format_number,
        ),
        pareto_scatter("t", "x", &designs),
    ];
    for svg in charts {
        parse(&svg);
        assert!(!svg.contains("could not draw"), "{svg}");
    }
}

#[test]
fn colour_cycles_through_distinct_colours() {
    let first: Vec<RGBColor> = (0..7).map(colour).collect();
    for (i, a) in first.iter().enumerate() {
        assert!(first[i + 1..].iter().all(|b| b != a), "colour {i} repeats");
    }
    assert_eq!(colour(7), colour(0));
    assert_eq!(colour(15), colour(1));
}

#[test]
fn numbers_are_formatted_compactly() {
    let cases = [
        (0.0, "0"),
        (1.0, "1"),
        (415.27, "415"),
        (41.527, "41.5"),
        (0.01234, "0.0123"),
        (1234.0, "1234"),
        (9999.0, "10k"),
        (52_300.0, "52.3k"),
        (999_999.0, "1M"),
        (2.5e9, "2.5G"),
        (-2.5e-6, "−2.5e-6"),
        (3e16, "3e16"),
        (f64::NAN, "n/a"),
    ];
    for (value, expected) in cases {
        assert_eq!(format_number(value), expected, "{value}");
    }
    assert_eq!(format_percent(0.001), "0.1%");
    assert_eq!(format_percent(1.0), "100%");
}

#[test]
fn text_is_cleaned_and_cut_to_fit() {
    assert_eq!(clean("a\u{0}b\n\tc  "), "a b c");
    let cut = fit(&"word ".repeat(40), 12.0, 100.0);
    assert!(
        cut.ends_with('…') && text_width(&cut, 12.0) <= 100.0,
        "{cut}"
    );
    assert_eq!(fit("short", 12.0, 100.0), "short");
    assert_eq!(unit_of("downtime per replication-year (min)"), "min");
    assert_eq!(unit_of("downtime"), "");
}

/// Writes one example of each chart, and a few hostile ones, to
/// /tmp/plots for a person to look at (`cargo test -p reports --
/// --ignored render_examples`).
#[test]
#[ignore = "writes files to /tmp/plots for looking at"]
fn render_examples() {
    let dir = std::path::Path::new("/tmp/plots");
    std::fs::create_dir_all(dir).expect("create /tmp/plots");
    let mut charts = typical_charts();
    let many: Vec<Bar> = (0..25)
        .map(|i| Bar {
            label: if i == 3 {
                long("a very long design name ")
            } else {
                format!("design {i}")
            },
            value: f64::from(i * i),
            low: Some(f64::from(i * i) * 0.8),
            high: Some(f64::from(i * i) * 1.3),
        })
        .collect();
    charts.push((
        "bars_many",
        bar_chart(
            "Twenty-five designs, a long label",
            "downtime (min/yr)",
            &many,
        ),
    ));
    let mut hostile = designs();
    hostile[0].y = 0.0;
    hostile[3].label = long("l");
    charts.push((
        "scatter_hostile",
        pareto_scatter("Hostile scatter", "cost per year (USD)", &hostile),
    ));
    let parts: Vec<Row> = (0..12)
        .map(|i| Row {
            name: format!("replica-{i}"),
            group: if i < 8 {
                "component".into()
            } else {
                "fault".into()
            },
            spans: vec![Span {
                start: f64::from(i * 600),
                end: f64::from(i * 600 + 30 + i * 40),
                state: if i < 8 {
                    SpanState::Down
                } else {
                    SpanState::Active
                },
            }],
        })
        .collect();
    charts.push((
        "timeline_year",
        timeline(
            "A year of replication 3",
            "hours into replication 3",
            0.0,
            8760.0,
            &parts,
        ),
    ));
    charts.push((
        "lines_linear",
        lines_with_bands(
            "Downtime against repair time",
            "repair time (h)",
            "downtime (min/yr)",
            &series(),
            false,
        ),
    ));
    let grid_columns: Vec<String> = (1..=8).map(|c| format!("{c} replicas")).collect();
    let grid_rows: Vec<String> = ["15 min", "1 h", "4 h", "1 d", "1 w"]
        .map(String::from)
        .to_vec();
    let grid: Vec<Vec<Option<f64>>> = (0..5)
        .map(|r| {
            (0..8)
                .map(|c| {
                    if r == 2 && c == 5 {
                        None
                    } else {
                        Some(99.0 + f64::from(r + c) * 0.1)
                    }
                })
                .collect()
        })
        .collect();
    charts.push((
        "heat_big",
        heat_map(
            "Availability over a sweep",
            "replicas",
            "mean time to repair",
            &grid_columns,
            &grid_rows,
            &grid,
            "availability (%)",
            true,
            &|v| format!("{v:.2}%"),
        ),
    ));
    charts.push(("empty", bar_chart("Nothing to show", "v", &[])));
    let hostile_bars = vec![
        Bar {
            label: long("a"),
            value: f64::NAN,
            low: Some(1.0),
            high: Some(2.0),
        },
        Bar {
            label: "negative".into(),
            value: -3e6,
            low: Some(-4e6),
            high: Some(-1e6),
        },
        Bar {
            label: "zero".into(),
            value: 0.0,
            low: None,
            high: None,
        },
        Bar {
            label: "huge".into(),
            value: 1e7,
            low: Some(9e6),
            high: Some(2e7),
        },
    ];
    charts.push((
        "bars_hostile",
        bar_chart(&long("A very long title "), "value (units)", &hostile_bars),
    ));
    let ragged = vec![Series {
        name: "zeros and one".into(),
        colour: 0,
        points: vec![
            (1.0, 0.0, 0.0, 0.0),
            (2.0, 0.0, 0.0, 1e-9),
            (3.0, 1e-3, 1e-4, 1e-2),
        ],
    }];
    charts.push((
        "lines_hostile",
        lines_with_bands("Zeros on a log axis", "x", "y", &ragged, true),
    ));
    let single = vec![Series {
        name: "one".into(),
        colour: 5,
        points: vec![(3.0, 2e-4, 1e-4, 5e-4)],
    }];
    charts.push((
        "lines_single",
        lines_with_bands("One point", "x (h)", "unavailability", &single, true),
    ));
    charts.push((
        "exceedance_single",
        exceedance("One sample", "downtime (min)", &[42.0], &marks()),
    ));
    let crowd: Vec<Row> = (0..65)
        .map(|i| Row {
            name: format!("part {i}"),
            group: format!("group {}", i / 20),
            spans: vec![Span {
                start: f64::from(i),
                end: f64::from(i) + 3.0,
                state: SpanState::Degraded,
            }],
        })
        .collect();
    charts.push((
        "timeline_crowd",
        timeline("Sixty-five rows", "hours", 0.0, 100.0, &crowd),
    ));
    let many_bins: Vec<Bin> = (0..40)
        .map(|i| Bin {
            label: format!("{i}–{} min", i + 1),
            height: f64::from(40 - i),
        })
        .collect();
    charts.push((
        "histogram_many",
        histogram("Forty bins", "outage length", "outages", &many_bins),
    ));
    let extremes = [1e-300, 1e-12, 1.0, 1e12, 1e250, -1e250];
    let points: Vec<(f64, f64, f64, f64)> =
        extremes.iter().map(|v| (*v, *v, v * 0.5, *v)).collect();
    let wild = vec![Series {
        name: "wild".into(),
        colour: 4,
        points,
    }];
    charts.push((
        "lines_extreme",
        lines_with_bands("Extreme magnitudes", "x", "y", &wild, true),
    ));
    let bars: Vec<Bar> = extremes
        .iter()
        .map(|v| Bar {
            label: format!("{v:e}"),
            value: *v,
            low: Some(v * 0.5),
            high: Some(*v),
        })
        .collect();
    charts.push((
        "bars_extreme",
        bar_chart("Extreme magnitudes", "value (units)", &bars),
    ));
    for (name, svg) in charts {
        std::fs::write(dir.join(format!("{name}.svg")), svg).expect("write an example");
    }
}

#[test]
fn the_exceedance_staircase_is_the_share_strictly_greater() {
    use super::distribution::survival_steps;
    let steps = survival_steps(&[1.0, 2.0, 2.0, 4.0]);
    // P(X > x): 1 below 1, 3/4 on [1, 2), 1/4 on [2, 4), 0 from 4.
    assert_eq!(
        steps,
        [
            (1.0, 1.0),
            (1.0, 0.75),
            (2.0, 0.75),
            (2.0, 0.25),
            (4.0, 0.25)
        ]
    );
    assert_eq!(survival_steps(&[3.0]), [(3.0, 1.0)]);
    assert_eq!(survival_steps(&[3.0, 3.0]), [(3.0, 1.0)]);
}

/// Points in pixels.
type Points = Vec<(f64, f64)>;

/// The points of the first `<polyline>` in `colour` and the centres of
/// the circles filled with `dot`.
fn curve_and_dots(svg: &str, colour: &str, dot: &str) -> (Points, Points) {
    let doc = parse(svg);
    let number = |n: &roxmltree::Node<'_, '_>, a: &str| -> f64 {
        n.attribute(a)
            .expect("a coordinate")
            .parse()
            .expect("a number")
    };
    let curve = doc
        .descendants()
        .find(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(colour))
        .expect("the curve")
        .attribute("points")
        .expect("points")
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect();
    let dots = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle") && n.attribute("fill") == Some(dot))
        .map(|n| (number(&n, "cx"), number(&n, "cy")))
        .collect();
    (curve, dots)
}

/// Whether `p` lies on the polyline `curve`, within a pixel.
fn on_curve(curve: &[(f64, f64)], p: (f64, f64)) -> bool {
    curve.windows(2).any(|w| {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let within = |v: f64, a: f64, b: f64| v >= a.min(b) - 1.0 && v <= a.max(b) + 1.0;
        within(p.0, x0, x1) && within(p.1, y0, y1)
    })
}

#[test]
fn exceedance_marks_sit_on_the_curve() {
    let colour = format!("#{:02X}{:02X}{:02X}", colour(0).0, colour(0).1, colour(0).2);
    // 100 samples: the 1-in-100 level is the step between the two largest,
    // where the interpolated 99th percentile (99.01) lies.
    let values: Vec<f64> = (1..=100).map(f64::from).collect();
    let at = [Mark {
        exceedance: 0.01,
        label: "1 year in 100".into(),
        value: Some(99.01),
    }];
    let svg = exceedance("t", "x (min)", &values, &at);
    assert_shows(&svg, &["1 year in 100: > 99 min"]);
    let (curve, dots) = curve_and_dots(&svg, &colour, "#4D4D4D");
    assert_eq!(dots.len(), 1, "{svg}");
    assert!(on_curve(&curve, dots[0]), "{dots:?} off {curve:?}");
    // 150 samples, no level at exactly 1%: the mark sits where the curve
    // drops through it, at the empirical quantile (149 of 150 at or below).
    let values: Vec<f64> = (1..=150).map(f64::from).collect();
    let svg = exceedance("t", "x (min)", &values, &marks());
    let (curve, dots) = curve_and_dots(&svg, &colour, "#4D4D4D");
    assert_eq!(dots.len(), 2, "{svg}");
    for dot in dots {
        assert!(on_curve(&curve, dot), "{dot:?} off {curve:?}");
    }
    assert_shows(
        &svg,
        &["1 year in 100: > 149 min", "1 year in 20: > 143 min"],
    );
}

#[test]
fn heat_map_keeps_a_long_y_description_whole() {
    let (columns, rows, values) = heat_data();
    let label = "service.web.instances per zone of the region";
    let svg = heat_map(
        "t",
        "variant",
        label,
        &columns,
        &rows,
        &values,
        "min/yr",
        false,
        &one_decimal,
    );
    assert_shows(&svg, &[label]);
    assert_text_inside(&svg);
}

/// The ink of the `state` bars of a timeline (not the ticks above them):
/// the sum of their widths times their opacity, in pixels.
fn ink(svg: &str, state: SpanState) -> f64 {
    let c = state_colour(state);
    let fill = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
    let doc = parse(svg);
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some(fill.as_str()))
        .filter_map(|n| {
            let number = |a: &str| n.attribute(a).and_then(|v| v.parse::<f64>().ok());
            (number("height")? > 6.0)
                .then(|| number("width").unwrap_or(0.0) * number("opacity").unwrap_or(1.0))
        })
        .sum()
}

#[test]
fn a_years_strip_draws_outages_to_scale() {
    let strip = |hours: f64| {
        let row = Row {
            name: "service".into(),
            group: String::new(),
            spans: vec![Span {
                start: 1000.3,
                end: 1000.3 + hours,
                state: SpanState::Down,
            }],
        };
        timeline("A year", "hours", 0.0, 8760.0, &[row])
    };
    // The legend's swatch has the same colour: a strip without the outage
    // gives the ink that is not the outage's.
    let legend = ink(&strip(0.0), SpanState::Down);
    // An hour, a day and a week in a year: narrower than a pixel, a few
    // pixels, tens of pixels; the ink keeps their proportions.
    let (hour, day, week) = (
        ink(&strip(1.0), SpanState::Down) - legend,
        ink(&strip(24.0), SpanState::Down) - legend,
        ink(&strip(168.0), SpanState::Down) - legend,
    );
    assert!(hour > 0.0 && hour < 1.0, "an hour: {hour} px");
    assert!(
        (day / hour - 24.0).abs() < 0.5,
        "a day is {} hours",
        day / hour
    );
    assert!(
        (week / day - 7.0).abs() < 0.1,
        "a week is {} days",
        week / day
    );
    // The hour, too narrow to see, is marked by a tick the day does not get.
    assert!(strip(1.0).contains("tick: narrower than a pixel"));
    assert!(!strip(24.0).contains("tick: narrower than a pixel"));
}
