//! Heat maps: a value per (row, column) cell, such as an estimate over a
//! two-parameter sweep.

use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{
    self, Area, Axis, Drawn, FAINT, INK, MUTED, Margins, NOTE_PX, TICK_PX, font, solid,
};
use super::{WIDTH, fit, text_width, usable};

/// The most rows and columns a heat map shows.
const MAX_ROWS: usize = 60;
const MAX_COLUMNS: usize = 40;
/// The height of the colour key below the x axis, in pixels.
const KEY_PX: u32 = 34;

/// The sequential scale from good (pale green) through yellow and orange
/// to bad (dark red): its lightness falls steadily, so it reads in grey
/// and to colour-blind eyes too.
const SCALE: [(f64, RGBColor); 4] = [
    (0.0, RGBColor(0xE5, 0xF5, 0xE0)),
    (0.33, RGBColor(0xFE, 0xE3, 0x91)),
    (0.66, RGBColor(0xFD, 0x8D, 0x3C)),
    (1.0, RGBColor(0xA5, 0x0F, 0x15)),
];

/// The colour of `badness` in [0, 1] on the scale: 0 is good, 1 bad.
fn scale(badness: f64) -> RGBColor {
    let t = if badness.is_finite() {
        badness.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut lower = SCALE[0];
    for upper in SCALE.iter().skip(1) {
        if t <= upper.0 {
            let f = (t - lower.0) / (upper.0 - lower.0);
            let mix =
                |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
            return RGBColor(
                mix(lower.1.0, upper.1.0),
                mix(lower.1.1, upper.1.1),
                mix(lower.1.2, upper.1.2),
            );
        }
        lower = *upper;
    }
    SCALE[SCALE.len() - 1].1
}

/// Dark text on a light colour, white on a dark one.
fn ink_on(background: RGBColor) -> RGBColor {
    let l = 0.2126 * f64::from(background.0)
        + 0.7152 * f64::from(background.1)
        + 0.0722 * f64::from(background.2);
    if l < 140.0 {
        RGBColor(0xFF, 0xFF, 0xFF)
    } else {
        INK
    }
}

/// A heat map: `values[row][col]` (None = no point), x ticks `columns`, y
/// ticks `rows`; each cell coloured on a sequential scale (low = light,
/// high = dark) and annotated with `format(value)` text; a colour key
/// labelled `value_label`. `higher_is_better` flips the scale so that good
/// is always the same colour: pale green good, dark red bad. Missing and
/// non-finite values are drawn as pale grey cells marked "–"; a ragged
/// grid is read as if padded with None. At most 60 rows and 40 columns are
/// drawn.
#[allow(clippy::too_many_arguments)] // The signature is the reports' interface.
pub fn heat_map(
    title: &str,
    x_label: &str,
    y_label: &str,
    columns: &[String],
    rows: &[String],
    values: &[Vec<Option<f64>>],
    value_label: &str,
    higher_is_better: bool,
    format: &dyn Fn(f64) -> String,
) -> String {
    let n_cols = values
        .iter()
        .map(Vec::len)
        .fold(columns.len(), usize::max)
        .min(MAX_COLUMNS);
    let n_rows = rows.len().max(values.len()).min(MAX_ROWS);
    let cell = |r: usize, c: usize| {
        values
            .get(r)
            .and_then(|row| row.get(c).copied().flatten())
            .filter(|v| usable(*v))
    };
    let range =
        frame::extent((0..n_rows).flat_map(|r| (0..n_cols).filter_map(move |c| cell(r, c))));
    let Some(range) = range else {
        return frame::message(title, "no data");
    };
    // Tall enough for the rows and for the y axis's description whole
    // beside them (the frame gives it the plot's height).
    let described = (super::text_width(y_label, frame::LABEL_PX).ceil() as u32 + 8)
        .saturating_add(8 + 6 + KEY_PX + 46 + 40)
        .min(720);
    let height = (40 + 30 * n_rows as u32 + 46 + KEY_PX + 10)
        .clamp(260, 480)
        .max(described);
    let grid = Grid {
        columns,
        rows,
        n_rows,
        n_cols,
        cell: &cell,
        range,
        higher_is_better,
        format,
    };
    frame::render(title, height, |area| {
        draw_heat(area, title, x_label, y_label, value_label, &grid)
    })
}

/// The heat map's cells and how to colour and label them.
struct Grid<'a> {
    columns: &'a [String],
    rows: &'a [String],
    n_rows: usize,
    n_cols: usize,
    cell: &'a dyn Fn(usize, usize) -> Option<f64>,
    range: (f64, f64),
    higher_is_better: bool,
    format: &'a dyn Fn(f64) -> String,
}

impl Grid<'_> {
    /// The colour of `value`.
    fn colour(&self, value: f64) -> RGBColor {
        let (lo, hi) = self.range;
        let t = if hi > lo {
            (value - lo) / (hi - lo)
        } else {
            0.0
        };
        scale(if self.higher_is_better { 1.0 - t } else { t })
    }
}

fn draw_heat(
    area: &Area<'_>,
    title: &str,
    x_label: &str,
    y_label: &str,
    value_label: &str,
    grid: &Grid<'_>,
) -> Drawn {
    let (n_rows, n_cols) = (grid.n_rows, grid.n_cols);
    let row_labels: Vec<String> = (0..n_rows)
        .map(|r| fit(grid.rows.get(r).map_or("", String::as_str), TICK_PX, 180.0))
        .collect();
    let label_px = row_labels
        .iter()
        .map(|l| text_width(l, TICK_PX))
        .fold(24.0, f64::max);
    let margins = Margins {
        y_labels: (label_px + 40.0).ceil() as u32,
        bottom: 6 + KEY_PX,
        ..Margins::default()
    };
    let plot_px = f64::from(WIDTH - margins.left - margins.right - margins.y_labels);
    let cell_px = plot_px / n_cols as f64;
    let every = (40.0 / cell_px).ceil().max(1.0) as usize;
    let column_labels: Vec<String> = (0..n_cols)
        .map(|c| {
            fit(
                grid.columns.get(c).map_or("", String::as_str),
                TICK_PX,
                (cell_px * every as f64 - 6.0).max(12.0),
            )
        })
        .collect();
    let x_tick = |v: f64| {
        let c = (v - 0.5).round();
        if c >= 0.0 && (c as usize) < n_cols {
            column_labels[c as usize].clone()
        } else {
            String::new()
        }
    };
    let y_tick = |v: f64| {
        let r = (n_rows as f64 - 0.5 - v).round();
        if r >= 0.0 && (r as usize) < n_rows {
            row_labels[r as usize].clone()
        } else {
            String::new()
        }
    };
    let x = Axis {
        range: (0.0, n_cols as f64),
        ticks: (0..n_cols).step_by(every).map(|c| c as f64 + 0.5).collect(),
        label: &x_tick,
        desc: x_label.to_owned(),
        grid: false,
    };
    let (_, height) = area.dim_in_pixel();
    let plot_h = (f64::from(height) - f64::from(40 + 46 + 16 + KEY_PX)).max(40.0);
    let row_every = (16.0 / (plot_h / n_rows as f64)).ceil().max(1.0) as usize;
    let y = Axis {
        range: (0.0, n_rows as f64),
        ticks: (0..n_rows)
            .step_by(row_every)
            .map(|r| n_rows as f64 - r as f64 - 0.5)
            .collect(),
        label: &y_tick,
        desc: y_label.to_owned(),
        grid: false,
    };
    let plot = frame::frame(area, title, margins, &x, &y)?;

    let cell_h = plot.height() / n_rows as f64;
    let annotate = cell_h >= 14.0 && cell_px >= 22.0;
    for r in 0..n_rows {
        for c in 0..n_cols {
            let (x0, y0) = (
                frame::pixel(plot.px(c as f64)) + 1,
                frame::pixel(plot.py((n_rows - r) as f64)) + 1,
            );
            let (x1, y1) = (
                frame::pixel(plot.px(c as f64 + 1.0)) - 1,
                frame::pixel(plot.py((n_rows - r - 1) as f64)) - 1,
            );
            let (x1, y1) = (x1.max(x0 + 1), y1.max(y0 + 1));
            let centre = ((x0 + x1) / 2, (y0 + y1) / 2);
            match (grid.cell)(r, c) {
                Some(value) => {
                    let background = grid.colour(value);
                    frame::fill_rect(area, (x0, y0), (x1, y1), solid(background))?;
                    if annotate {
                        let text = fit(&(grid.format)(value), NOTE_PX, f64::from(x1 - x0) - 4.0);
                        frame::text(
                            area,
                            &text,
                            centre,
                            &font(NOTE_PX, ink_on(background)),
                            HPos::Center,
                            VPos::Center,
                        )?;
                    }
                }
                None => {
                    frame::fill_rect(area, (x0, y0), (x1, y1), solid(FAINT))?;
                    if annotate {
                        frame::text(
                            area,
                            "–",
                            centre,
                            &font(NOTE_PX, MUTED),
                            HPos::Center,
                            VPos::Center,
                        )?;
                    }
                }
            }
        }
    }
    draw_key(area, &plot, value_label, grid)
}

/// The colour key below the plot: "value label, lower is better", the
/// lowest value, a gradient, the highest value.
fn draw_key(area: &Area<'_>, plot: &frame::Plot, value_label: &str, grid: &Grid<'_>) -> Drawn {
    let (_, height) = area.dim_in_pixel();
    let y = height as i32 - 6 - KEY_PX as i32 / 2;
    let direction = if grid.higher_is_better {
        "higher is better"
    } else {
        "lower is better"
    };
    const STEPS: i32 = 32;
    const STEP_PX: i32 = 5;
    let (lo, hi) = grid.range;
    let lo_text = fit(&(grid.format)(lo), NOTE_PX, 90.0);
    let hi_text = fit(&(grid.format)(hi), NOTE_PX, 90.0);
    let ends = text_width(&lo_text, NOTE_PX)
        + text_width(&hi_text, NOTE_PX)
        + f64::from(STEPS * STEP_PX + 12 + 14);
    let room = f64::from(WIDTH) - 16.0 - ends;
    let caption = fit(
        &format!("{}, {direction}", value_label.trim()),
        NOTE_PX,
        room.min(360.0),
    );
    let total = text_width(&caption, NOTE_PX) + ends;
    let style = font(NOTE_PX, INK);
    let mut x = frame::pixel(plot.left.min(f64::from(WIDTH) - 8.0 - total).max(8.0));
    frame::text(area, &caption, (x, y), &style, HPos::Left, VPos::Center)?;
    x += text_width(&caption, NOTE_PX) as i32 + 14;
    frame::text(area, &lo_text, (x, y), &style, HPos::Left, VPos::Center)?;
    x += text_width(&lo_text, NOTE_PX) as i32 + 6;
    for k in 0..STEPS {
        let t = f64::from(k) / f64::from(STEPS - 1);
        let value = lo + (hi - lo) * t;
        let x0 = x + k * STEP_PX;
        frame::fill_rect(
            area,
            (x0, y - 6),
            (x0 + STEP_PX, y + 6),
            solid(grid.colour(value)),
        )?;
    }
    x += STEPS * STEP_PX + 6;
    frame::text(area, &hi_text, (x, y), &style, HPos::Left, VPos::Center)?;
    Ok(())
}
