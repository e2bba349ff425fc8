//! Bar charts: labelled values with intervals, and histograms over
//! categorical bins.

use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{
    self, AXIS, Area, Axis, Drawn, INK, LABEL_PX, MUTED, Margins, NOTE_PX, TICK_PX, font, solid,
};
use super::{WIDTH, colour, fit, format_number, text_width, usable};

/// A labelled value with an optional 95% interval.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// What the bar stands for, such as a design's name.
    pub label: String,
    /// Its value, in the units of the chart's value axis.
    pub value: f64,
    /// The low end of its 95% interval, if known.
    pub low: Option<f64>,
    /// The high end of its 95% interval, if known.
    pub high: Option<f64>,
}

/// One bin of a histogram: its label (such as "1–5 min") and its height.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    /// The bin's label on the category axis.
    pub label: String,
    /// The bin's height, in the units of the y axis.
    pub height: f64,
}

/// The most bars a bar chart shows; the rest are counted in a note.
const MAX_BARS: usize = 20;
/// The widest a bar's label may be, in pixels.
const MAX_LABEL_PX: f64 = 240.0;

/// Horizontal bar chart, bars in the order given (caller sorts), with
/// interval whiskers when given; value axis labelled `value_label` (e.g.
/// "downtime (min/yr)"). Up to 20 bars; more are cut with a note
/// "… N more". A bar whose value is not finite keeps its label and says
/// "n/a".
pub fn bar_chart(title: &str, value_label: &str, bars: &[Bar]) -> String {
    if bars.is_empty() {
        return frame::message(title, "no data");
    }
    let shown = &bars[..bars.len().min(MAX_BARS)];
    let hidden = bars.len() - shown.len();
    let n = shown.len();
    let note_px: u32 = if hidden > 0 { 18 } else { 0 };
    let height = (96 + 26 * n as u32 + note_px).clamp(260, 480);
    frame::render(title, height, |area| {
        draw_bars(area, title, value_label, shown, hidden, note_px)
    })
}

fn draw_bars(
    area: &Area<'_>,
    title: &str,
    value_label: &str,
    bars: &[Bar],
    hidden: usize,
    note_px: u32,
) -> Drawn {
    let n = bars.len();
    let labels: Vec<String> = bars
        .iter()
        .map(|b| fit(&b.label, TICK_PX, MAX_LABEL_PX))
        .collect();
    let label_px = labels
        .iter()
        .map(|l| text_width(l, TICK_PX))
        .fold(30.0, f64::max);
    let margins = Margins {
        y_labels: (label_px + 14.0).ceil() as u32,
        bottom: 6 + note_px,
        ..Margins::default()
    };

    let ends = bars.iter().flat_map(|b| {
        let value = Some(b.value).filter(|v| usable(*v));
        let low = b.low.filter(|v| usable(*v));
        let high = b.high.filter(|v| usable(*v));
        [value, low, high].into_iter().flatten()
    });
    let (lo, hi) = frame::extent(ends.chain([0.0])).unwrap_or((0.0, 1.0));
    let axis = frame::linear(lo, hi, 6);
    // Room for the value printed past the end of a bar: about 56 px.
    let plot_px = f64::from(WIDTH - margins.left - margins.right - margins.y_labels);
    let room = 56.0 / plot_px.max(100.0);
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let range_hi = if hi > 0.0 {
        axis.hi.max(hi + span * room / (1.0 - room))
    } else {
        axis.hi
    };
    let range_lo = if lo < 0.0 {
        axis.lo.min(lo - span * room / (1.0 - room))
    } else {
        axis.lo
    };
    let x_label = frame::tick_labeller(axis.hi.abs().max(axis.lo.abs()), axis.step);
    let y_label = |v: f64| {
        let index = (n as f64 - 0.5 - v).round();
        if index >= 0.0 && (index as usize) < n {
            labels[index as usize].clone()
        } else {
            String::new()
        }
    };
    let x = Axis {
        range: (range_lo, range_hi),
        ticks: axis.ticks.clone(),
        label: &x_label,
        desc: value_label.to_owned(),
        grid: true,
    };
    let y = Axis {
        range: (0.0, n as f64),
        ticks: (0..n).map(|i| n as f64 - i as f64 - 0.5).collect(),
        label: &y_label,
        desc: String::new(),
        grid: false,
    };
    let plot = frame::frame(area, title, margins, &x, &y)?;

    let band = plot.height() / n as f64;
    let half = (band * 0.32).clamp(3.0, 11.0);
    let fill = solid(colour(0));
    let whisker = solid(INK);
    let value_font = font(NOTE_PX, INK);
    if range_lo < 0.0 {
        let zero = frame::pixel(plot.px(0.0));
        frame::polyline(
            area,
            vec![
                (zero, frame::pixel(plot.top)),
                (zero, frame::pixel(plot.bottom)),
            ],
            solid(AXIS),
            1,
        )?;
    }
    for (i, bar) in bars.iter().enumerate() {
        let yc = plot.py(n as f64 - i as f64 - 0.5);
        let (top, bottom) = (frame::pixel(yc - half), frame::pixel(yc + half));
        let mid = frame::pixel(yc);
        let zero = frame::pixel(plot.px(0.0));
        if !usable(bar.value) {
            frame::text(
                area,
                "n/a",
                (zero + 5, mid),
                &font(NOTE_PX, MUTED),
                HPos::Left,
                VPos::Center,
            )?;
            continue;
        }
        let end = frame::pixel(plot.px(bar.value));
        frame::fill_rect(
            area,
            (zero.min(end), top),
            (zero.max(end).max(zero.min(end) + 1), bottom),
            fill,
        )?;
        let mut reach = bar.value;
        if let (Some(low), Some(high)) = (
            bar.low.filter(|v| usable(*v)),
            bar.high.filter(|v| usable(*v)),
        ) {
            let (a, b) = (
                frame::pixel(plot.px(low.min(high))),
                frame::pixel(plot.px(low.max(high))),
            );
            let cap = (half * 0.6).round() as i32;
            frame::polyline(area, vec![(a, mid), (b, mid)], whisker, 1)?;
            frame::polyline(area, vec![(a, mid - cap), (a, mid + cap)], whisker, 1)?;
            frame::polyline(area, vec![(b, mid - cap), (b, mid + cap)], whisker, 1)?;
            reach = if bar.value >= 0.0 {
                reach.max(low.max(high))
            } else {
                reach.min(low.min(high))
            };
        }
        let tip = frame::pixel(plot.px(reach));
        let label = format_number(bar.value);
        if bar.value >= 0.0 {
            frame::text(
                area,
                &label,
                (tip + 5, mid),
                &value_font,
                HPos::Left,
                VPos::Center,
            )?;
        } else {
            frame::text(
                area,
                &label,
                (tip - 5, mid),
                &value_font,
                HPos::Right,
                VPos::Center,
            )?;
        }
    }
    if hidden > 0 {
        let (_, height) = area.dim_in_pixel();
        let note = format!("… {hidden} more");
        let at = (frame::pixel(plot.left), height as i32 - 8);
        frame::text(
            area,
            &note,
            at,
            &font(LABEL_PX, MUTED),
            HPos::Left,
            VPos::Bottom,
        )?;
    }
    Ok(())
}

/// The most rows staggered bin labels take.
const MAX_LABEL_ROWS: usize = 3;
/// The height of a row of bin labels, in pixels.
const ROW_PX: u32 = 14;

/// Vertical histogram over categorical bins (e.g. outage lengths "≤1 min",
/// "1–5 min", …), the x axis described by `x_label`, y by `y_label`. Bins
/// whose height is not finite are left empty.
pub fn histogram(title: &str, x_label: &str, y_label: &str, bins: &[Bin]) -> String {
    if bins.is_empty() {
        return frame::message(title, "no data");
    }
    frame::render(title, 340, |area| {
        draw_histogram(area, title, x_label, y_label, bins)
    })
}

fn draw_histogram(
    area: &Area<'_>,
    title: &str,
    x_label: &str,
    y_label: &str,
    bins: &[Bin],
) -> Drawn {
    let n = bins.len();
    let (lo, hi) = frame::extent(bins.iter().map(|b| b.height).chain([0.0])).unwrap_or((0.0, 1.0));
    // Headroom for the counts printed above the bars.
    let axis = frame::linear(lo, hi + (hi - lo) * 0.08, 6);
    let margins = Margins {
        y_labels: 72,
        ..Margins::default()
    };
    let plot_px = f64::from(WIDTH - margins.left - margins.right - margins.y_labels);
    let bin_px = plot_px / n as f64;
    // Every bin is labelled; labels too wide for their bin are staggered
    // over up to three rows (bin i on row i mod rows), so that each has the
    // width of `rows` bins, and cut to that only beyond.
    let widest = bins
        .iter()
        .map(|b| text_width(&super::clean(&b.label), TICK_PX))
        .fold(0.0, f64::max);
    let rows = ((widest + 8.0) / bin_px)
        .ceil()
        .clamp(1.0, MAX_LABEL_ROWS as f64) as usize;
    let labels: Vec<String> = bins
        .iter()
        .map(|b| fit(&b.label, TICK_PX, (bin_px * rows as f64 - 8.0).max(12.0)))
        .collect();
    let margins = Margins {
        x_labels: margins.x_labels + ROW_PX * (rows as u32 - 1),
        ..margins
    };
    let x_tick = |v: f64| {
        let index = (v - 0.5).round();
        if rows == 1 && index >= 0.0 && (index as usize) < n {
            labels[index as usize].clone()
        } else {
            String::new()
        }
    };
    let y_tick = frame::tick_labeller(axis.hi.abs().max(axis.lo.abs()), axis.step);
    let x = Axis {
        range: (0.0, n as f64),
        ticks: (0..n).map(|i| i as f64 + 0.5).collect(),
        label: &x_tick,
        desc: x_label.to_owned(),
        grid: false,
    };
    let y = Axis {
        range: (axis.lo, axis.hi),
        ticks: axis.ticks.clone(),
        label: &y_tick,
        desc: y_label.to_owned(),
        grid: true,
    };
    let plot = frame::frame(area, title, margins, &x, &y)?;
    if rows > 1 {
        let tick_font = font(TICK_PX, MUTED);
        for (i, label) in labels.iter().enumerate() {
            let row = (i % rows) as i32;
            let at = (
                frame::pixel(plot.px(i as f64 + 0.5)),
                frame::pixel(plot.bottom) + 9 + row * ROW_PX as i32,
            );
            frame::text(area, label, at, &tick_font, HPos::Center, VPos::Top)?;
        }
    }
    let fill = solid(colour(0));
    let annotate = bin_px >= 30.0;
    let value_font = font(NOTE_PX, INK);
    let zero = frame::pixel(plot.py(0.0));
    for (i, bin) in bins.iter().enumerate() {
        if !usable(bin.height) {
            continue;
        }
        let gap = (bin_px * 0.12).min(8.0);
        let (left, right) = (
            frame::pixel(plot.px(i as f64) + gap),
            frame::pixel(plot.px(i as f64 + 1.0) - gap),
        );
        let top = frame::pixel(plot.py(bin.height));
        let right = right.max(left + 1);
        if top != zero {
            frame::fill_rect(area, (left, top.min(zero)), (right, top.max(zero)), fill)?;
        }
        if annotate {
            let label = format_number(bin.height);
            let centre = (left + right) / 2;
            if bin.height >= 0.0 {
                frame::text(
                    area,
                    &label,
                    (centre, top - 3),
                    &value_font,
                    HPos::Center,
                    VPos::Bottom,
                )?;
            } else {
                frame::text(
                    area,
                    &label,
                    (centre, top + 3),
                    &value_font,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
        }
    }
    Ok(())
}
