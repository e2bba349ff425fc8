//! Charts as self-contained SVG strings.
//!
//! Each function here takes plain data and returns one SVG document as a
//! `String`, drawn with `plotters` and its SVG backend and nothing else:
//!
//! - Text is SVG `<text>` in the generic `sans-serif` family. No font file is
//!   read or embedded, so a chart looks the same on a fresh machine, and
//!   nothing is fetched (no `href`, no script).
//! - The same input gives the same bytes.
//! - Odd input never panics: an empty input gives a short SVG that says
//!   "no data"; NaN and infinite values (and finite ones beyond ±1e250) are
//!   skipped; log axes clamp to a positive floor; labels too long for their
//!   place are cut with "…"; a drawing error gives an SVG that says so.
//! - Charts are 760 px wide ([`WIDTH`]) and 260–480 px high (a timeline grows
//!   with its rows), readable at laptop size.
//! - Design `i` is always drawn in [`colour`]`(i)`, a colour-blind-friendly
//!   palette; timeline states have their own fixed colours ([`state_colour`]).
//!
//! ```
//! use reports::plot::{Bar, bar_chart};
//!
//! let svg = bar_chart(
//!     "Downtime by design",
//!     "downtime (min/yr)",
//!     &[Bar { label: "2 replicas".into(), value: 52.0, low: Some(40.0), high: Some(61.0) }],
//! );
//! assert!(svg.starts_with("<svg") && svg.contains("2 replicas"));
//! ```

mod bars;
mod distribution;
mod frame;
mod heat;
mod lines;
mod scatter;
#[cfg(test)]
mod tests;
mod timeline;

pub use bars::{Bar, Bin, bar_chart, histogram};
pub use distribution::{Mark, exceedance};
pub use heat::heat_map;
pub use lines::{Series, lines_with_bands};
pub use scatter::{Design, PlaneY, pareto_scatter, plane_scatter};
pub use timeline::{Row, Span, SpanState, timeline};

use plotters::style::RGBColor;

/// The width of every chart, in pixels.
pub const WIDTH: u32 = 760;

/// The palette behind [`colour`]: Okabe and Ito's colour-blind-safe set,
/// less its yellow (too light on white) and in an order that keeps the
/// first few far apart.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x00, 0x00), // black
];

/// The colour of design or series `index`: a fixed colour-blind-friendly
/// palette (Okabe–Ito: blue, orange, bluish green, vermillion, reddish
/// purple, sky blue, black) that cycles, so design `i` always gets the same
/// colour in every chart.
pub fn colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// The colour of a timeline state: down is red, degraded amber, failing
/// over purple, a fault's active span grey-blue.
pub fn state_colour(state: SpanState) -> RGBColor {
    match state {
        SpanState::Down => RGBColor(0xD6, 0x27, 0x28),
        SpanState::Degraded => RGBColor(0xF2, 0xA9, 0x00),
        SpanState::FailingOver => RGBColor(0x7B, 0x3F, 0xA0),
        SpanState::Active => RGBColor(0x7A, 0x94, 0xB0),
    }
}

/// The light background of a timeline row, meaning "up".
pub const UP_COLOUR: RGBColor = RGBColor(0xE4, 0xF1, 0xE4);

/// A number as a chart shows it next to a mark: three significant digits,
/// `k`, `M`, `G`, `T` from ten thousand up, scientific notation below 1e-4
/// and from 1e15 up; "n/a" for NaN, "∞" for infinity.
///
/// ```
/// use reports::plot::format_number;
///
/// assert_eq!(format_number(415.27), "415");
/// assert_eq!(format_number(0.01234), "0.0123");
/// assert_eq!(format_number(52_300.0), "52.3k");
/// assert_eq!(format_number(-2.5e-6), "−2.5e-6");
/// ```
pub fn format_number(value: f64) -> String {
    if value.is_nan() {
        return "n/a".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "∞" } else { "−∞" }.to_owned();
    }
    if value == 0.0 {
        return "0".to_owned();
    }
    let sign = if value < 0.0 { "−" } else { "" };
    let a = value.abs();
    if !(1e-4..1e15).contains(&a) {
        return format!("{sign}{}", scientific(a, 3));
    }
    // Rounded first, so that 999_999 is "1M", not "1000k".
    let step = 10f64.powf(a.log10().floor() - 2.0);
    let rounded = (a / step).round() * step;
    for (from, scale, suffix) in SCALES {
        if rounded >= from {
            return format!("{sign}{}{suffix}", significant(rounded / scale, 3));
        }
    }
    format!("{sign}{}", significant(a, 3))
}

/// The suffixes of large numbers: from which value each is used, what it
/// stands for, and the suffix.
const SCALES: [(f64, f64, &str); 4] = [
    (1e12, 1e12, "T"),
    (1e9, 1e9, "G"),
    (1e6, 1e6, "M"),
    (1e4, 1e3, "k"),
];

/// A share (0.05 = 5 %) as a percentage with up to three significant
/// digits: "5%", "0.1%", "0.0001%".
///
/// ```
/// assert_eq!(reports::plot::format_percent(0.05), "5%");
/// assert_eq!(reports::plot::format_percent(1e-6), "0.0001%");
/// ```
pub fn format_percent(share: f64) -> String {
    if !share.is_finite() {
        return format_number(share);
    }
    let p = share * 100.0;
    if p == 0.0 {
        "0%".to_owned()
    } else if p.abs() >= 1e-8 && p.abs() < 1e15 {
        let sign = if p < 0.0 { "−" } else { "" };
        format!("{sign}{}%", significant(p.abs(), 3))
    } else {
        format!("{}%", format_number(p))
    }
}

/// `a` (positive) with `digits` significant digits in plain decimal
/// notation, trailing zeros trimmed.
fn significant(a: f64, digits: i32) -> String {
    let magnitude = a.log10().floor() as i32;
    let decimals = (digits - 1 - magnitude).clamp(0, 20) as usize;
    trim_zeros(format!("{a:.decimals$}"))
}

/// `a` (positive) as `m.mme-x` with `digits` significant digits.
fn scientific(a: f64, digits: usize) -> String {
    let text = format!("{a:.prec$e}", prec = digits.saturating_sub(1));
    match text.split_once('e') {
        Some((mantissa, exponent)) => format!("{}e{exponent}", trim_zeros(mantissa.to_owned())),
        None => text,
    }
}

/// Drops trailing zeros after a decimal point, and the point if bare.
fn trim_zeros(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// Whether a value can be placed on an axis: finite and not so large that
/// differences between such values overflow.
fn usable(value: f64) -> bool {
    value.is_finite() && value.abs() <= 1e250
}

/// The estimated width of one character, in ems of a sans-serif font
/// (DejaVu Sans, the widest common default, as the yardstick).
fn char_em(c: char) -> f64 {
    match c {
        ' ' => 0.32,
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.42,
        'm' | 'w' => 0.92,
        'M' | 'W' | '%' | '@' => 0.98,
        'A'..='Z' | '0'..='9' | '#' | '&' | '×' | '−' | '–' | '≤' | '≥' => 0.7,
        'a'..='z' => 0.6,
        c if c.is_ascii() => 0.65,
        c if u32::from(c) >= 0x2E80 => 1.0,
        _ => 0.75,
    }
}

/// The estimated rendered width of `text` at `px` pixels, generous so that
/// text laid out with it is not cut off.
fn text_width(text: &str, px: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * px
}

/// Text made safe for an SVG text node: control characters (not allowed in
/// XML) become spaces, runs of white space one space, ends trimmed.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' {
            ' '
        } else {
            c
        };
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// `text`, cleaned and cut with "…" so that it fits in `max_width` pixels
/// at `px` pixels.
fn fit(text: &str, px: f64, max_width: f64) -> String {
    let text = clean(text);
    if text_width(&text, px) <= max_width {
        return text;
    }
    let budget = max_width - char_em('…') * px;
    let mut out = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        width += char_em(c) * px;
        if width > budget {
            break;
        }
        out.push(c);
    }
    let mut out = out.trim_end().to_owned();
    out.push('…');
    out
}

/// The unit in an axis label's last parentheses ("min" for "downtime per
/// replication-year (min)"); empty when there are none.
fn unit_of(label: &str) -> String {
    let Some(open) = label.rfind('(') else {
        return String::new();
    };
    let rest = &label[open + 1..];
    let Some(close) = rest.find(')') else {
        return String::new();
    };
    clean(&rest[..close])
}
