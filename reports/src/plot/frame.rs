//! What every chart shares: rendering into a string (and the fallback SVG
//! when there is nothing or drawing fails), fonts and greys, axes with
//! chosen ticks, the data-to-pixel map of a plot, and pixel-space drawing.

use std::fmt::{self, Display, Write as _};
use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{SCALES, WIDTH, clean, fit, format_number, significant, usable};

/// The root drawing area of a chart.
pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Why a chart could not be drawn; the chart becomes a message saying so.
#[derive(Debug)]
pub(super) struct DrawError(String);

impl<T: Display> From<T> for DrawError {
    fn from(error: T) -> Self {
        DrawError(error.to_string())
    }
}

/// The result of drawing part of a chart.
pub(super) type Drawn = Result<(), DrawError>;

/// The font family of all text.
const FAMILY: &str = "sans-serif";
/// Text sizes, in pixels.
pub(super) const TITLE_PX: f64 = 16.0;
pub(super) const LABEL_PX: f64 = 12.5;
pub(super) const TICK_PX: f64 = 11.5;
pub(super) const NOTE_PX: f64 = 11.0;

/// Greys of text, axes and grid.
pub(super) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(super) const MUTED: RGBColor = RGBColor(0x5F, 0x5F, 0x5F);
pub(super) const AXIS: RGBColor = RGBColor(0x8A, 0x8A, 0x8A);
pub(super) const GRID: RGBColor = RGBColor(0xE6, 0xE6, 0xE6);
pub(super) const FAINT: RGBColor = RGBColor(0xF3, 0xF3, 0xF3);

/// The size to give plotters for text of `px` pixels: plotters writes
/// `font-size` as the size it is given divided by 1.24, so this is the
/// float nearest `px × 1.24` that divides back to exactly `px`, when
/// there is one, so that it prints short ("12.5", not "12.500000000000002").
fn plotters_size(px: f64) -> f64 {
    let size = px * 1.24;
    (0..8u64)
        .flat_map(|k| {
            [
                size.to_bits().wrapping_add(k),
                size.to_bits().wrapping_sub(k),
            ]
        })
        .map(f64::from_bits)
        .find(|s| s / 1.24 == px)
        .unwrap_or(size)
}

/// A text style of `px` pixels.
pub(super) fn font(px: f64, colour: RGBColor) -> TextStyle<'static> {
    let style = TextStyle::from((FAMILY, plotters_size(px)).into_font());
    TextStyle {
        color: colour.to_backend_color(),
        ..style
    }
}

/// A bold text style of `px` pixels.
pub(super) fn bold(px: f64, colour: RGBColor) -> TextStyle<'static> {
    let style = TextStyle::from((FAMILY, plotters_size(px), FontStyle::Bold).into_font());
    TextStyle {
        color: colour.to_backend_color(),
        ..style
    }
}

/// Draws a chart `height` pixels high with `draw`, and returns its SVG; if
/// drawing fails, an SVG with the title and the error instead.
pub(super) fn render<F>(title: &str, height: u32, draw: F) -> String
where
    F: FnOnce(&Area<'_>) -> Drawn,
{
    let mut svg = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(DrawError::from)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(DrawError::from))
    };
    match result {
        Ok(()) => svg,
        Err(error) => message(title, &format!("could not draw this chart: {}", error.0)),
    }
}

/// The height of the title's band at the top of a chart, in pixels.
const TITLE_ROOM: u32 = 30;

/// A small SVG with the chart's title and a one-line message in place of
/// the chart, such as "no data".
pub(super) fn message(title: &str, text: &str) -> String {
    const HEIGHT: u32 = 120;
    let mut svg = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        svg,
        concat!(
            "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" ",
            "xmlns=\"http://www.w3.org/2000/svg\">\n",
            "<rect x=\"0.5\" y=\"0.5\" width=\"{w1}\" height=\"{h1}\" fill=\"#FFFFFF\" ",
            "stroke=\"#E6E6E6\"/>\n",
            "<text x=\"{cx}\" y=\"34\" text-anchor=\"middle\" font-family=\"{family}\" ",
            "font-size=\"{title_px}\" font-weight=\"bold\" fill=\"#222222\">{title}</text>\n",
            "<text x=\"{cx}\" y=\"74\" text-anchor=\"middle\" font-family=\"{family}\" ",
            "font-size=\"{text_px}\" fill=\"#5F5F5F\">{text}</text>\n",
            "</svg>\n"
        ),
        w = WIDTH,
        h = HEIGHT,
        w1 = WIDTH - 1,
        h1 = HEIGHT - 1,
        cx = WIDTH / 2,
        family = FAMILY,
        title_px = TITLE_PX,
        text_px = LABEL_PX,
        title = Escaped(&fit(title, TITLE_PX * 1.1, f64::from(WIDTH) - 40.0)),
        text = Escaped(&fit(text, LABEL_PX, f64::from(WIDTH) - 40.0)),
    );
    svg
}

/// Text escaped for an XML text node or attribute.
struct Escaped<'a>(&'a str);

impl Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '&' => f.write_str("&amp;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&apos;")?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// One axis of a plot: its data range (for a log axis, in log10 units),
/// its ticks (in the same units), how a tick is labelled, its description,
/// and whether grid lines run from its ticks.
pub(super) struct Axis<'f> {
    pub(super) range: (f64, f64),
    pub(super) ticks: Vec<f64>,
    pub(super) label: &'f dyn Fn(f64) -> String,
    pub(super) desc: String,
    pub(super) grid: bool,
}

/// The space around a plot, in pixels: margins outside everything, the
/// label areas left of and below the plot (tick labels and axis
/// descriptions).
#[derive(Clone, Copy, Debug)]
pub(super) struct Margins {
    pub(super) top: u32,
    pub(super) right: u32,
    pub(super) bottom: u32,
    pub(super) left: u32,
    pub(super) y_labels: u32,
    pub(super) x_labels: u32,
}

impl Default for Margins {
    fn default() -> Self {
        Margins {
            top: 8,
            right: 24,
            bottom: 6,
            left: 8,
            y_labels: 64,
            x_labels: 46,
        }
    }
}

/// The plotting rectangle of a chart, in pixels, and the data ranges it
/// shows: the map from data to pixels.
#[derive(Clone, Copy, Debug)]
pub(super) struct Plot {
    pub(super) x: (f64, f64),
    pub(super) y: (f64, f64),
    pub(super) left: f64,
    pub(super) right: f64,
    pub(super) top: f64,
    pub(super) bottom: f64,
}

impl Plot {
    /// The pixel column of data `x`.
    pub(super) fn px(&self, x: f64) -> f64 {
        self.left + (x - self.x.0) / (self.x.1 - self.x.0) * (self.right - self.left)
    }

    /// The pixel row of data `y`.
    pub(super) fn py(&self, y: f64) -> f64 {
        self.bottom - (y - self.y.0) / (self.y.1 - self.y.0) * (self.bottom - self.top)
    }

    /// The pixel of data `(x, y)`, kept inside the plot.
    pub(super) fn at(&self, x: f64, y: f64) -> (i32, i32) {
        (
            pixel(self.px(x).clamp(self.left, self.right)),
            pixel(self.py(y).clamp(self.top, self.bottom)),
        )
    }

    /// The plot's width in pixels.
    pub(super) fn width(&self) -> f64 {
        self.right - self.left
    }

    /// The plot's height in pixels.
    pub(super) fn height(&self) -> f64 {
        self.bottom - self.top
    }
}

/// A linear coordinate whose ticks are the ones given (plotters'
/// `WithKeyPoints` cannot be used with a mesh over `f64`).
struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    fn new((lo, hi): (f64, f64), ticks: Vec<f64>) -> Self {
        Ticked {
            inner: RangedCoordf64::from(lo..hi),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

/// A pixel coordinate, rounded, and safe from NaN and overflow.
pub(super) fn pixel(value: f64) -> i32 {
    if value.is_nan() {
        0
    } else {
        value.round().clamp(-1e6, 1e6) as i32
    }
}

/// Draws the title, the axes, their ticks, labels and grid, and returns
/// the plot's map from data to pixels.
pub(super) fn frame(
    area: &Area<'_>,
    title: &str,
    margins: Margins,
    x: &Axis<'_>,
    y: &Axis<'_>,
) -> Result<Plot, DrawError> {
    let title = fit(title, TITLE_PX * 1.1, f64::from(WIDTH) - 40.0);
    let within = |axis: &Axis<'_>| -> Vec<f64> {
        let (lo, hi) = (
            axis.range.0.min(axis.range.1),
            axis.range.0.max(axis.range.1),
        );
        let slack = (hi - lo) * 1e-9;
        axis.ticks
            .iter()
            .copied()
            .filter(|t| t.is_finite() && *t >= lo - slack && *t <= hi + slack)
            .collect()
    };
    // The title is centred on the whole picture, not on the plot and its
    // label areas, which a legend beside the plot would shift.
    text(
        area,
        &title,
        (WIDTH as i32 / 2, 10),
        &bold(TITLE_PX, INK),
        HPos::Center,
        VPos::Top,
    )?;
    let mut chart = ChartBuilder::on(area)
        .margin_top(margins.top + TITLE_ROOM)
        .margin_right(margins.right)
        .margin_bottom(margins.bottom)
        .margin_left(margins.left)
        .x_label_area_size(margins.x_labels)
        .y_label_area_size(margins.y_labels)
        .build_cartesian_2d(
            Ticked::new(x.range, within(x)),
            Ticked::new(y.range, within(y)),
        )?;
    let x_label = |v: &f64| clean(&(x.label)(*v));
    let y_label = |v: &f64| clean(&(y.label)(*v));
    let mut mesh = chart.configure_mesh();
    mesh.x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .label_style(font(TICK_PX, MUTED))
        .axis_desc_style(font(LABEL_PX, INK))
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS)
        .set_all_tick_mark_size(4);
    if !x.desc.is_empty() {
        let room = f64::from(WIDTH) - f64::from(margins.y_labels + margins.left + margins.right);
        mesh.x_desc(fit(&x.desc, LABEL_PX, room - 8.0));
    }
    if !y.desc.is_empty() {
        let (_, height) = area.dim_in_pixel();
        let taken = margins.top + margins.bottom + margins.x_labels + 40;
        let room = f64::from(height.saturating_sub(taken)).max(60.0);
        mesh.y_desc(fit(&y.desc, LABEL_PX, room));
    }
    if !x.grid {
        mesh.disable_x_mesh();
    }
    if !y.grid {
        mesh.disable_y_mesh();
    }
    mesh.draw()?;
    let (left, bottom) = chart.backend_coord(&(x.range.0, y.range.0));
    let (right, top) = chart.backend_coord(&(x.range.1, y.range.1));
    Ok(Plot {
        x: x.range,
        y: y.range,
        left: f64::from(left),
        right: f64::from(right),
        top: f64::from(top),
        bottom: f64::from(bottom),
    })
}

/// Draws `text` with its anchor point at `at`.
pub(super) fn text(
    area: &Area<'_>,
    text: &str,
    at: (i32, i32),
    style: &TextStyle<'_>,
    h: HPos,
    v: VPos,
) -> Drawn {
    area.draw_text(text, &style.pos(Pos::new(h, v)), at)?;
    Ok(())
}

/// Draws a note along the bottom edge of the picture, from `left` (the
/// plot's left edge, in pixels).
pub(super) fn bottom_note(area: &Area<'_>, left: f64, note: &str) -> Drawn {
    let (_, height) = area.dim_in_pixel();
    let at = (pixel(left), height as i32 - 6);
    text(
        area,
        note,
        at,
        &font(NOTE_PX, MUTED),
        HPos::Left,
        VPos::Bottom,
    )
}

/// Fills a rectangle between two corners.
pub(super) fn fill_rect(area: &Area<'_>, a: (i32, i32), b: (i32, i32), colour: RGBAColor) -> Drawn {
    area.draw(&Rectangle::new([a, b], colour.filled()))?;
    Ok(())
}

/// Draws a polyline.
pub(super) fn polyline(
    area: &Area<'_>,
    points: Vec<(i32, i32)>,
    colour: RGBAColor,
    width: u32,
) -> Drawn {
    area.draw(&PathElement::new(points, colour.stroke_width(width)))?;
    Ok(())
}

/// Draws a dashed polyline.
pub(super) fn dashed(
    area: &Area<'_>,
    points: Vec<(i32, i32)>,
    colour: RGBAColor,
    width: u32,
) -> Drawn {
    area.draw(&DashedPathElement::new(
        points,
        6,
        4,
        colour.stroke_width(width),
    ))?;
    Ok(())
}

/// Draws a filled circle, with an outline when `outline` is given.
pub(super) fn dot(
    area: &Area<'_>,
    at: (i32, i32),
    radius: u32,
    colour: RGBAColor,
    outline: Option<RGBAColor>,
) -> Drawn {
    area.draw(&Circle::new(at, radius, colour.filled()))?;
    if let Some(outline) = outline {
        area.draw(&Circle::new(at, radius, outline.stroke_width(1)))?;
    }
    Ok(())
}

/// Fills a polygon.
pub(super) fn fill_polygon(area: &Area<'_>, points: Vec<(i32, i32)>, colour: RGBAColor) -> Drawn {
    area.draw(&Polygon::new(points, colour.filled()))?;
    Ok(())
}

/// An opaque colour as a colour with alpha.
pub(super) fn solid(colour: RGBColor) -> RGBAColor {
    colour.mix(1.0)
}

/// The range of the usable values among `values`, or `None`.
pub(super) fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| usable(*v))
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// A linear axis: its range, extended to whole steps, and its ticks.
#[derive(Clone, Debug)]
pub(super) struct Linear {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) step: f64,
    pub(super) ticks: Vec<f64>,
}

/// A step of 1, 2, 2.5 or 5 times a power of ten that cuts `span` into at
/// most about `count` pieces.
fn nice_step(span: f64, count: usize) -> f64 {
    let raw = span / count.max(1) as f64;
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// A linear axis over `[lo, hi]` with about `count` ticks at round values;
/// a range of one value is widened around it.
pub(super) fn linear(lo: f64, hi: f64, count: usize) -> Linear {
    let (mut lo, mut hi) = if usable(lo) && usable(hi) {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    if hi - lo <= hi.abs().max(lo.abs()) * 1e-12 {
        if lo == 0.0 {
            hi = 1.0;
        } else {
            let pad = lo.abs() * 0.1;
            lo -= pad;
            hi += pad;
        }
    }
    let step = nice_step(hi - lo, count);
    // Values a hair past a whole step (from rounding) snap to it.
    let first = (lo / step + 1e-9).floor();
    let last = (hi / step - 1e-9).ceil();
    let lo = first * step;
    let hi = last * step;
    let n = (last - first).round();
    let ticks = if (0.0..=50.0).contains(&n) {
        (0..=n as i64)
            .map(|k| {
                let t = (first + k as f64) * step;
                if t.abs() < step * 1e-9 { 0.0 } else { t }
            })
            .collect()
    } else {
        vec![lo, hi]
    };
    Linear {
        lo,
        hi,
        step,
        ticks,
    }
}

/// A labeller of the ticks of a linear axis whose largest tick is `max`
/// and whose step is `step`: the same number of decimals on every tick,
/// and one scale suffix (k, M, …) for the whole axis.
pub(super) fn tick_labeller(max: f64, step: f64) -> impl Fn(f64) -> String {
    let max = max.abs();
    let (scale, suffix) = SCALES
        .into_iter()
        .find(|(from, _, _)| max >= *from && max < 1e15)
        .map_or((1.0, ""), |(_, scale, suffix)| (scale, suffix));
    let scientific = !(1e-4..1e15).contains(&max) && max > 0.0;
    let decimals = decimals(step / scale);
    move |v: f64| {
        if v == 0.0 {
            "0".to_owned()
        } else if scientific {
            format_number(v)
        } else {
            let text = format!("{:.decimals$}", v / scale);
            let text = text.replace('-', "−");
            format!("{text}{suffix}")
        }
    }
}

/// The number of decimals that show a multiple of `step` exactly.
fn decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    (0..=9)
        .find(|d| {
            let scaled = step * 10f64.powi(*d);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
        })
        .map_or(9, |d| d as usize)
}

/// A log axis: its range in log10 units, whole decades around the values,
/// and its ticks (values, not logs): powers of ten when there are enough,
/// else 1-2-5 or 1…9 multiples.
#[derive(Clone, Debug)]
pub(super) struct Log {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) ticks: Vec<f64>,
}

/// A log axis over `[lo, hi]`, both positive.
pub(super) fn log(lo: f64, hi: f64) -> Log {
    let lo = if lo.is_finite() && lo > 0.0 {
        lo
    } else {
        1e-300
    };
    let hi = if hi.is_finite() && hi >= lo { hi } else { lo };
    let mut a = (lo.log10() + 1e-9).floor().max(-300.0);
    let b = (hi.log10() - 1e-9).ceil().min(300.0);
    if b - a < 1.0 {
        a = b - 1.0;
    }
    let decades = (b - a).round() as i64;
    let ticks: Vec<f64> = if decades >= 3 {
        // At most about eight labelled powers, on round exponents.
        let every = [1, 2, 3, 5, 10, 20, 25, 50, 100]
            .into_iter()
            .find(|e| decades / e <= 8)
            .unwrap_or(200);
        let first = a as i64;
        (first..=first + decades)
            .filter(|e| e.rem_euclid(every) == 0)
            .map(|e| 10f64.powi(e as i32))
            .collect()
    } else {
        let multiples: &[f64] = if decades == 2 {
            &[1.0, 2.0, 5.0]
        } else {
            &[1.0, 2.0, 3.0, 5.0]
        };
        (0..=decades)
            .flat_map(|k| multiples.iter().map(move |m| m * 10f64.powf(a + k as f64)))
            .filter(|t| t.log10() <= b + 1e-9)
            .collect()
    };
    Log {
        lo: a,
        hi: b,
        ticks,
    }
}

/// Whether `value` (positive) is a power of ten.
pub(super) fn is_power_of_ten(value: f64) -> bool {
    let l = value.log10();
    (l - l.round()).abs() < 1e-6
}

/// A labeller of the ticks of a log axis: plain numbers when they all
/// read well so (0.001 to 10 000), else powers of ten ("10⁻⁵", "2×10⁻⁵")
/// on every tick.
pub(super) fn log_labeller(ticks: &[f64]) -> impl Fn(f64) -> String + use<> {
    let plain = ticks.iter().all(|t| (1e-3..=1e4).contains(t));
    move |value: f64| {
        if plain {
            significant(value, 3)
        } else {
            power_of_ten(value)
        }
    }
}

/// `value` (positive) as "m×10ⁿ", or "10ⁿ" when m is 1, or "1".
pub(super) fn power_of_ten(value: f64) -> String {
    if !(value.is_finite() && value > 0.0) {
        return format_number(value);
    }
    let mut exponent = value.log10().floor() as i32;
    let mut mantissa = value / 10f64.powi(exponent);
    if (mantissa - 10.0).abs() < 1e-6 {
        mantissa = 1.0;
        exponent += 1;
    }
    let superscript: String = exponent
        .to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect();
    if exponent == 0 && (mantissa - 1.0).abs() < 1e-6 {
        "1".to_owned()
    } else if (mantissa - 1.0).abs() < 1e-6 {
        format!("10{superscript}")
    } else {
        format!("{}×10{superscript}", significant(mantissa, 2))
    }
}

/// Draws a legend entry's swatch: a filled box.
pub(super) fn swatch(area: &Area<'_>, at: (i32, i32), colour: RGBAColor) -> Drawn {
    fill_rect(area, (at.0, at.1 - 5), (at.0 + 14, at.1 + 5), colour)
}
