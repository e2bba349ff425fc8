//! Lines with shaded interval bands, such as an estimate and its 95%
//! interval against a swept parameter.

use plotters::style::Color as _;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{self, Area, Axis, Drawn, INK, Margins, NOTE_PX, font, solid};
use super::{WIDTH, colour, fit, format_number, text_width, usable};

/// A series of (x, mean, low, high) points.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The series' name in the legend.
    pub name: String,
    /// The series' palette index: it is drawn in [`colour`](super::colour)`(colour)`.
    pub colour: usize,
    /// The points: x, the estimate, and the low and high ends of its interval.
    pub points: Vec<(f64, f64, f64, f64)>,
}

/// A point of a series: x, the estimate, and its interval's low and high.
type Point = (f64, f64, f64, f64);

/// The most distinct x values that get a tick each.
const MAX_X_TICKS: usize = 12;
/// The widest a legend entry's name may be, in pixels.
const MAX_NAME_PX: f64 = 170.0;

/// A series' usable points, sorted by x: (x, mean, low, high) with low and
/// high falling back to the mean when not finite, and in log mode every
/// value clamped up to `floor`.
fn points(series: &Series, floor: Option<f64>) -> Vec<Point> {
    let clamp = |v: f64| match floor {
        Some(floor) if v < floor => floor,
        _ => v,
    };
    let mut points: Vec<_> = series
        .points
        .iter()
        .filter(|p| usable(p.0) && usable(p.1))
        .map(|&(x, mean, low, high)| {
            let low = if usable(low) { low } else { mean };
            let high = if usable(high) { high } else { mean };
            (x, clamp(mean), clamp(low.min(high)), clamp(low.max(high)))
        })
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points
}

/// Lines with shaded interval bands (alpha 0.2 in the series colour) and
/// point markers; a legend when more than one series; `log_y` puts y on a
/// log scale (for unavailability; values at or below zero are clamped to
/// a tenth of the smallest positive value). Ticks on x are at the distinct
/// x values when there are at most 12 and they are far enough apart.
pub fn lines_with_bands(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    log_y: bool,
) -> String {
    let floor = if log_y {
        let positive = series
            .iter()
            .flat_map(|s| s.points.iter().flat_map(|p| [p.1, p.2, p.3]))
            .filter(|v| usable(*v) && *v > 0.0)
            .fold(f64::INFINITY, f64::min);
        Some(if positive.is_finite() {
            (positive / 10.0).max(1e-300)
        } else {
            1e-6
        })
    } else {
        None
    };
    let prepared: Vec<(&Series, Vec<Point>)> =
        series.iter().map(|s| (s, points(s, floor))).collect();
    if prepared.iter().all(|(_, p)| p.is_empty()) {
        return frame::message(title, "no data");
    }
    let clamped = floor.filter(|_| {
        let drawn = series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(|p| usable(p.0) && usable(p.1));
        drawn
            .flat_map(|p| [p.1, p.2, p.3])
            .any(|v| usable(v) && v <= 0.0)
    });
    let note =
        clamped.map(|floor| format!("values ≤ 0 are drawn at {}", frame::power_of_ten(floor)));
    frame::render(title, 380, |area| {
        draw_lines(
            area,
            title,
            x_label,
            y_label,
            &prepared,
            floor,
            note.as_deref(),
        )
    })
}

fn draw_lines(
    area: &Area<'_>,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[(&Series, Vec<Point>)],
    floor: Option<f64>,
    note: Option<&str>,
) -> Drawn {
    let legend = series.len() > 1;
    let names: Vec<String> = series
        .iter()
        .map(|(s, _)| fit(&s.name, NOTE_PX, MAX_NAME_PX))
        .collect();
    let legend_px = if legend {
        names
            .iter()
            .map(|n| text_width(n, NOTE_PX))
            .fold(40.0, f64::max)
            + 40.0
    } else {
        0.0
    };
    let all = || series.iter().flat_map(|(_, p)| p.iter());
    let mut xs: Vec<f64> = all().map(|p| p.0).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let (x_lo, x_hi) = (xs[0], xs[xs.len() - 1]);
    let (y_lo, y_hi) = frame::extent(all().flat_map(|p| [p.1, p.2, p.3])).unwrap_or((0.0, 1.0));

    let margins = Margins {
        y_labels: 72,
        right: 24 + legend_px.ceil() as u32,
        bottom: if note.is_some() { 22 } else { 6 },
        ..Margins::default()
    };
    let plot_px = f64::from(WIDTH - margins.left - margins.right - margins.y_labels);
    // x: a little room at both ends so markers do not sit on the frame.
    let x_axis = frame::linear(x_lo, x_hi, 7);
    let (range_lo, range_hi) = if xs.len() == 1 {
        (x_axis.lo, x_axis.hi)
    } else {
        let pad = (x_hi - x_lo) * 0.04;
        (x_lo - pad, x_hi + pad)
    };
    let min_gap = xs
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    let distinct = xs.len() <= MAX_X_TICKS
        && (xs.len() == 1 || min_gap / (range_hi - range_lo) * plot_px >= 44.0);
    let x_tick_plain = |v: f64| format_number(v);
    let x_tick_nice = frame::tick_labeller(x_axis.hi.abs().max(x_axis.lo.abs()), x_axis.step);
    let x_ticks = if distinct {
        xs.clone()
    } else {
        x_axis.ticks.clone()
    };
    let x = Axis {
        range: (range_lo, range_hi),
        ticks: x_ticks,
        label: if distinct {
            &x_tick_plain
        } else {
            &x_tick_nice
        },
        desc: x_label.to_owned(),
        grid: true,
    };

    let (y_range, y_ticks, log_labels, linear_axis) = match floor {
        Some(_) => {
            let axis = frame::log(y_lo, y_hi);
            // A little room below the floor and above the top, so that
            // points there do not sit on the frame.
            let pad = (axis.hi - axis.lo) * 0.03;
            (
                (axis.lo - pad, axis.hi + pad),
                axis.ticks.iter().map(|t| t.log10()).collect::<Vec<_>>(),
                true,
                None,
            )
        }
        None => {
            let axis = frame::linear(y_lo, y_hi, 6);
            ((axis.lo, axis.hi), axis.ticks.clone(), false, Some(axis))
        }
    };
    let log_ticks: Vec<f64> = if log_labels {
        y_ticks.iter().map(|t| 10f64.powf(*t)).collect()
    } else {
        Vec::new()
    };
    let log_label = frame::log_labeller(&log_ticks);
    let y_tick_log = |v: f64| log_label(10f64.powf(v));
    let y_tick_linear = linear_axis
        .as_ref()
        .map(|a| frame::tick_labeller(a.hi.abs().max(a.lo.abs()), a.step));
    let y_tick = |v: f64| match (&y_tick_linear, log_labels) {
        (Some(label), false) => label(v),
        _ => y_tick_log(v),
    };
    let y_value = |v: f64| if log_labels { v.log10() } else { v };
    let y = Axis {
        range: y_range,
        ticks: y_ticks,
        label: &y_tick,
        desc: if log_labels {
            format!("{y_label}, log scale")
        } else {
            y_label.to_owned()
        },
        grid: true,
    };
    let plot = frame::frame(area, title, margins, &x, &y)?;

    for (s, points) in series {
        let c = colour(s.colour);
        if points.len() == 1 || points.windows(2).all(|w| w[0].0 == w[1].0) {
            for &(x, _, low, high) in points {
                let (a, b) = (plot.at(x, y_value(low)), plot.at(x, y_value(high)));
                frame::polyline(area, vec![a, b], c.mix(0.6), 2)?;
            }
        } else {
            let mut band: Vec<(i32, i32)> =
                points.iter().map(|p| plot.at(p.0, y_value(p.3))).collect();
            band.extend(points.iter().rev().map(|p| plot.at(p.0, y_value(p.2))));
            frame::fill_polygon(area, band, c.mix(0.2))?;
        }
    }
    for (s, points) in series {
        let c = solid(colour(s.colour));
        let line: Vec<(i32, i32)> = points.iter().map(|p| plot.at(p.0, y_value(p.1))).collect();
        if line.len() > 1 {
            frame::polyline(area, line.clone(), c, 2)?;
        }
        if points.len() <= 200 {
            for at in line {
                frame::dot(area, at, 3, c, Some(solid(plotters::style::WHITE)))?;
            }
        }
    }

    if let Some(note) = note {
        frame::bottom_note(area, plot.left, note)?;
    }
    if legend {
        let x = frame::pixel(plot.right) + 16;
        let mut y = frame::pixel(plot.top) + 8;
        let legend_font = font(NOTE_PX, INK);
        let room = ((plot.height() - 8.0) / 18.0).floor().max(1.0) as usize;
        let fits = series.len() <= room;
        let listed = if fits { series.len() } else { room - 1 };
        for ((s, _), name) in series.iter().zip(&names).take(listed) {
            let c = colour(s.colour);
            frame::fill_rect(area, (x, y - 6), (x + 20, y + 6), c.mix(0.2))?;
            frame::polyline(area, vec![(x, y), (x + 20, y)], solid(c), 2)?;
            frame::dot(
                area,
                (x + 10, y),
                3,
                solid(c),
                Some(solid(plotters::style::WHITE)),
            )?;
            frame::text(
                area,
                name,
                (x + 26, y),
                &legend_font,
                HPos::Left,
                VPos::Center,
            )?;
            y += 18;
        }
        if !fits {
            let note = format!("… {} more", series.len() - listed);
            frame::text(area, &note, (x, y), &legend_font, HPos::Left, VPos::Center)?;
        }
    }
    Ok(())
}
