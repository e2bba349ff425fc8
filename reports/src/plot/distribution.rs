//! Exceedance curves: how often a value (such as a year's downtime) is
//! exceeded, with marked quantiles such as "1 year in 20".

use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{self, Area, Axis, Drawn, INK, Margins, NOTE_PX, font, solid};
use super::{colour, fit, format_number, format_percent, text_width, unit_of, usable};

/// A marked quantile on an exceedance plot, e.g. (0.05, "1 year in 20").
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// The share of samples that exceed the marked value, in (0, 1].
    pub exceedance: f64,
    /// How the mark is named on the chart, such as "1 year in 20".
    pub label: String,
    /// The marked value when the caller has estimated it (an interpolated
    /// quantile, say), so the chart and the text beside it agree; else the
    /// sample where the curve crosses the mark.
    pub value: Option<f64>,
}

/// The colour of marks.
const MARK: RGBColor = RGBColor(0x4D, 0x4D, 0x4D);

/// Exceedance curve (1 − empirical CDF) of `values` (e.g. downtime per
/// replication-year in minutes): x = value (`x_label`), y = share of
/// samples above it, `P(X > x)`, on a log scale from 1 down to 1/n; each
/// Mark draws a dashed horizontal line at its exceedance and a dot where
/// the curve meets it, labelled with that x value ("1 year in 20: > 415 min", the unit taken
/// from the parentheses of `x_label`). A mark rarer than 1/n says it is
/// beyond the data; a mark outside (0, 1] is left out.
pub fn exceedance(title: &str, x_label: &str, values: &[f64], marks: &[Mark]) -> String {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| usable(*v)).collect();
    if sorted.is_empty() {
        return frame::message(title, "no data");
    }
    sorted.sort_by(f64::total_cmp);
    frame::render(title, 380, |area| {
        draw_exceedance(area, title, x_label, &sorted, marks)
    })
}

/// A mark placed on the curve: its share, the value where the curve
/// crosses it (none when rarer than the data), and its text.
struct Placed {
    share: f64,
    value: Option<f64>,
    text: String,
}

fn place(marks: &[Mark], sorted: &[f64], unit: &str) -> Vec<Placed> {
    let n = sorted.len();
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    marks
        .iter()
        .filter(|m| m.exceedance.is_finite() && m.exceedance > 0.0 && m.exceedance <= 1.0)
        .map(|m| {
            if m.exceedance * (n as f64) < 1.0 - 1e-9 {
                Placed {
                    share: m.exceedance,
                    value: None,
                    text: if n == 1 {
                        format!("{}: beyond the only sample", m.label)
                    } else {
                        format!("{}: beyond the largest of {n} samples", m.label)
                    },
                }
            } else {
                let (first, last) = crossing(sorted, m.exceedance);
                // The caller's estimate where it lies on the curve, else the
                // point of the curve nearest to it.
                let value = m
                    .value
                    .filter(|v| usable(*v))
                    .map_or(first, |v| v.clamp(first, last));
                Placed {
                    share: m.exceedance,
                    value: Some(value),
                    text: format!("{}: > {}{unit}", m.label, format_number(value)),
                }
            }
        })
        .collect()
}

/// The empirical exceedance curve of `sorted` (ascending) as a staircase
/// in data space: the share of samples strictly greater than x, `P(X > x)
/// = #greater / n`, which is 1 left of the smallest sample, drops at each
/// distinct sample by the share of samples equal to it, and ends at the
/// largest sample (where it reaches 0, which a log scale cannot show).
/// Each point is `(x, share)`; consecutive points alternate a drop
/// (same x) and a level (same share).
pub(super) fn survival_steps(sorted: &[f64]) -> Vec<(f64, f64)> {
    let n = sorted.len();
    let mut steps = Vec::new();
    let Some(&first) = sorted.first() else {
        return steps;
    };
    steps.push((first, 1.0));
    let mut i = 0;
    while i < n {
        let x = sorted[i];
        let mut j = i;
        while j < n && sorted[j] == x {
            j += 1;
        }
        // Samples greater than x: n - j.
        if j == n {
            break;
        }
        let share = (n - j) as f64 / n as f64;
        if steps.last() != Some(&(x, share)) {
            steps.push((x, share));
        }
        steps.push((sorted[j], share));
        i = j;
    }
    steps
}

/// Where the level `share` meets the curve of [`survival_steps`]: the
/// smallest sample x with `P(X > x) <= share` (the empirical quantile at
/// `1 − share`) and, when the curve has a level at exactly `share`, the
/// level's right end (else the same x).
fn crossing(sorted: &[f64], share: f64) -> (f64, f64) {
    let n = sorted.len();
    // At least `need` samples at or below x: P(X > x) <= share.
    let need = ((n as f64 * (1.0 - share)) - 1e-9)
        .ceil()
        .clamp(1.0, n as f64) as usize;
    let first = sorted[need - 1];
    let at_or_below = sorted.partition_point(|&v| v <= first);
    let level = (n - at_or_below) as f64 / n as f64;
    let last = if (level - share).abs() <= 1e-12 && at_or_below < n {
        sorted[at_or_below]
    } else {
        first
    };
    (first, last)
}

fn draw_exceedance(
    area: &Area<'_>,
    title: &str,
    x_label: &str,
    sorted: &[f64],
    marks: &[Mark],
) -> Drawn {
    let n = sorted.len();
    let placed = place(marks, sorted, &unit_of(x_label));
    let rarest = placed
        .iter()
        .map(|p| p.share)
        .fold(1.0 / n as f64, f64::min);
    let y_axis = frame::log(rarest, 1.0);
    // A little room above 1 and below the rarest share, so that the curve's
    // ends do not sit on the frame.
    let pad = (y_axis.hi - y_axis.lo) * 0.03;
    let y_range = (y_axis.lo - pad, y_axis.hi + pad);
    let (lo, hi) = (sorted[0], sorted[n - 1]);
    let x_axis = frame::linear(lo, hi, 7);
    let x_tick = frame::tick_labeller(x_axis.hi.abs().max(x_axis.lo.abs()), x_axis.step);
    let y_tick = |v: f64| format_percent(10f64.powf(v));
    let margins = Margins {
        y_labels: 76,
        ..Margins::default()
    };
    let x = Axis {
        range: (x_axis.lo, x_axis.hi),
        ticks: x_axis.ticks.clone(),
        label: &x_tick,
        desc: x_label.to_owned(),
        grid: true,
    };
    let y = Axis {
        range: y_range,
        ticks: y_axis.ticks.iter().map(|t| t.log10()).collect(),
        label: &y_tick,
        desc: "share of samples above (log scale)".to_owned(),
        grid: true,
    };
    let plot = frame::frame(area, title, margins, &x, &y)?;

    // The staircase of the survival function, merged in pixel space so that
    // its size is bounded by the plot's, not by the number of samples.
    let mut path: Vec<(i32, i32)> = Vec::new();
    let mut push = |p: (i32, i32)| {
        if path.last() == Some(&p) {
            return;
        }
        if path.len() >= 2 {
            let (a, b) = (path[path.len() - 2], path[path.len() - 1]);
            if (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1) {
                path.pop();
            }
        }
        path.push(p);
    };
    for (x, share) in survival_steps(sorted) {
        push(plot.at(x, share.log10()));
    }
    if path.len() == 1 {
        frame::dot(area, path[0], 3, solid(colour(0)), None)?;
    } else {
        frame::polyline(area, path, solid(colour(0)), 2)?;
    }

    let mark_font = font(NOTE_PX, INK);
    let mut taken: Vec<i32> = Vec::new();
    for mark in &placed {
        let y = frame::pixel(plot.py(mark.share.log10()));
        let (left, right) = (frame::pixel(plot.left), frame::pixel(plot.right));
        frame::dashed(area, vec![(left, y), (right, y)], solid(MARK), 1)?;
        let text = fit(&mark.text, NOTE_PX, plot.width() * 0.6);
        let width = text_width(&text, NOTE_PX) as i32;
        // Keep labels of marks close in share from overlapping.
        let mut ty = y - 4;
        while taken.iter().any(|t| (t - ty).abs() < 14) {
            ty -= 14;
        }
        taken.push(ty);
        match mark.value {
            Some(value) => {
                let x = frame::pixel(plot.px(value));
                frame::dot(area, (x, y), 4, solid(MARK), None)?;
                if x + 8 + width <= right - 2 {
                    frame::text(
                        area,
                        &text,
                        (x + 8, ty),
                        &mark_font,
                        HPos::Left,
                        VPos::Bottom,
                    )?;
                } else {
                    let at = (x - 8, ty);
                    frame::text(area, &text, at, &mark_font, HPos::Right, VPos::Bottom)?;
                }
            }
            None => {
                frame::text(
                    area,
                    &text,
                    (right - 4, ty),
                    &mark_font,
                    HPos::Right,
                    VPos::Bottom,
                )?;
            }
        }
    }
    Ok(())
}
