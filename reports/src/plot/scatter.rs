//! Design planes: designs by cost per year (or another objective) against
//! unavailability or any other objective, with the Pareto frontier joined
//! and labelled.

use plotters::style::Color as _;
use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{self, Area, Axis, Drawn, INK, MUTED, Margins, NOTE_PX, TICK_PX, font, solid};
use super::{colour, fit, format_percent, text_width, usable};

/// A design on a plane of two objectives: cost (or another objective) on
/// x, unavailability or another objective on y, lower better on both.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// The design's name.
    pub label: String,
    /// The design's palette index: it is drawn in [`colour`](super::colour)`(colour)`.
    pub colour: usize,
    /// Its value on the x axis: its cost per year on the cost–availability
    /// plane.
    pub cost: f64,
    /// Its estimate on the y axis: its unavailability, 1 − A, on the
    /// cost–availability plane.
    pub y: f64,
    /// The low end of the y estimate's 95% interval.
    pub low: f64,
    /// The high end of the y estimate's 95% interval.
    pub high: f64,
    /// Whether it is on the Pareto frontier (no other design is at least
    /// as good on both axes and better on one).
    pub pareto: bool,
}

/// What the y axis of a design plane shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PlaneY<'a> {
    /// Unavailability, 1 − A: a log scale labelled "unavailability (1 − A),
    /// log scale", ticks as percentages with their nines.
    Unavailability,
    /// Any other measure, lower better: a linear scale that includes zero
    /// for non-negative values, described by the text given (the measure
    /// and its unit).
    Linear(&'a str),
}

/// The colour of the frontier's step line.
const FRONTIER: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// The height of the legend below the x axis, in pixels.
const LEGEND_PX: u32 = 30;
/// The height of the line of a note below the legend, in pixels.
const NOTE_ROW_PX: u32 = 16;
/// The most designs numbered on the plane and named in its key.
const MAX_KEYED: usize = 40;
/// The columns of the key.
const KEY_COLUMNS: usize = 3;
/// The height of a row of the key, in pixels.
const KEY_ROW_PX: u32 = 16;

/// The label of an unavailability tick: a percentage, with the number of
/// nines of availability at powers of ten ("0.1% (3 nines)").
fn unavailability_tick(u: f64) -> String {
    let percent = format_percent(u);
    if u < 1.0 && frame::is_power_of_ten(u) {
        let nines = -u.log10().round() as i64;
        let word = if nines == 1 { "nine" } else { "nines" };
        format!("{percent} ({nines} {word})")
    } else {
        percent
    }
}

/// Scatter of cost per year (x, `x_label`) against unavailability (y, log
/// scale, labelled "unavailability (1 − A), log scale", ticks as
/// percentages with their nines), interval whiskers on y, the Pareto
/// frontier (designs with pareto = true, sorted by cost) joined by a step
/// line. Every design is labelled with its number beside its point, and a
/// key below the plot names each number's design in its colour (beyond
/// 40 designs, only the frontier's are numbered); a legend names
/// the "Pareto frontier" and the marks. Points off the frontier are drawn
/// smaller and lighter.
/// Designs whose cost or unavailability is not finite are left out;
/// unavailabilities at or below zero are clamped to a tenth of the
/// smallest positive one, and above one to one.
pub fn pareto_scatter(title: &str, x_label: &str, designs: &[Design]) -> String {
    plane_scatter(title, x_label, PlaneY::Unavailability, designs)
}

/// The scatter of [`pareto_scatter`] with the y axis of `y`: on a
/// [`PlaneY::Linear`] axis values are drawn as they are, whiskers included,
/// and nothing is clamped. Designs whose x or y is not finite are left out.
pub fn plane_scatter(title: &str, x_label: &str, y: PlaneY<'_>, designs: &[Design]) -> String {
    let shown: Vec<&Design> = designs
        .iter()
        .filter(|d| usable(d.cost) && usable(d.y))
        .collect();
    if shown.is_empty() {
        return frame::message(title, "no data");
    }
    if let PlaneY::Linear(desc) = y {
        let numbered = numbered(&shown);
        let key_rows = numbered.len().div_ceil(KEY_COLUMNS) as u32;
        return frame::render(title, 440 + key_rows * KEY_ROW_PX, |area| {
            draw_scatter(
                area,
                title,
                x_label,
                &shown,
                &numbered,
                &YAxis::Linear(desc),
            )
        });
    }
    let positive = shown
        .iter()
        .flat_map(|d| [d.y, d.low, d.high])
        .filter(|v| usable(*v) && *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let floor = if positive.is_finite() {
        (positive / 10.0).max(1e-300)
    } else {
        1e-6
    };
    let clamped = shown.iter().any(|d| d.y <= 0.0);
    let note = clamped.then(|| {
        format!(
            "an unavailability ≤ 0 is drawn at {}",
            format_percent(floor)
        )
    });
    let numbered = numbered(&shown);
    let key_rows = numbered.len().div_ceil(KEY_COLUMNS) as u32;
    frame::render(title, 440 + key_rows * KEY_ROW_PX, |area| {
        draw_scatter(
            area,
            title,
            x_label,
            &shown,
            &numbered,
            &YAxis::Log {
                floor,
                note: note.as_deref(),
            },
        )
    })
}

/// The y axis as drawn: unavailability on a log scale, values below
/// `floor` drawn at it (said in `note`), or a linear measure.
enum YAxis<'a> {
    Log { floor: f64, note: Option<&'a str> },
    Linear(&'a str),
}

impl YAxis<'_> {
    /// Where value `v` sits on the axis's own scale.
    fn scale(&self, v: f64) -> f64 {
        match self {
            YAxis::Log { floor, .. } => {
                let v = if v > *floor { v.min(1.0) } else { *floor };
                v.log10()
            }
            YAxis::Linear(_) => v,
        }
    }

    fn note(&self) -> Option<&str> {
        match self {
            YAxis::Log { note, .. } => *note,
            YAxis::Linear(_) => None,
        }
    }
}

/// The designs to number, with their numbers from 1 in the order given:
/// all of them, or the frontier's when there are more than [`MAX_KEYED`].
fn numbered(shown: &[&Design]) -> Vec<(usize, usize)> {
    let all = shown.len() <= MAX_KEYED;
    shown
        .iter()
        .enumerate()
        .filter(|(_, d)| all || d.pareto)
        .take(MAX_KEYED)
        .enumerate()
        .map(|(n, (i, _))| (i, n + 1))
        .collect()
}

/// A design in pixels: where its point and whisker are.
struct Placed<'a> {
    design: &'a Design,
    at: (i32, i32),
    whisker: Option<((i32, i32), (i32, i32))>,
}

fn draw_scatter<'a>(
    area: &Area<'_>,
    title: &str,
    x_label: &str,
    designs: &[&'a Design],
    numbered: &[(usize, usize)],
    y_axis: &YAxis<'_>,
) -> Drawn {
    let note = y_axis.note();
    let key_px = numbered.len().div_ceil(KEY_COLUMNS) as u32 * KEY_ROW_PX;
    // Interval ends on the axis's scale.
    let ends = |d: &Design| -> Option<(f64, f64)> {
        (usable(d.low) && usable(d.high)).then(|| {
            (
                y_axis.scale(d.low.min(d.high)),
                y_axis.scale(d.low.max(d.high)),
            )
        })
    };
    let ys: Vec<f64> = designs
        .iter()
        .flat_map(|d| {
            let at = y_axis.scale(d.y);
            let (low, high) = ends(d).unwrap_or((at, at));
            [at, low, high]
        })
        .collect();
    let (y_range, y_ticks, y_tick, y_desc) = match y_axis {
        YAxis::Log { floor, .. } => {
            let (lo, hi) =
                frame::extent(ys.iter().map(|v| 10f64.powf(*v))).unwrap_or((*floor, 1.0));
            let log = frame::log(lo, hi);
            let (lo, hi) = (log.lo, log.hi);
            let pad = (hi - lo) * 0.04;
            let label: Box<dyn Fn(f64) -> String> =
                Box::new(|v: f64| unavailability_tick(10f64.powf(v)));
            (
                (lo - pad, hi + pad),
                log.ticks.iter().map(|t| t.log10()).collect::<Vec<f64>>(),
                label,
                "unavailability (1 − A), log scale".to_owned(),
            )
        }
        YAxis::Linear(desc) => {
            let (lo, hi) = frame::extent(ys.iter().copied()).unwrap_or((0.0, 1.0));
            let lo = if lo >= 0.0 { 0.0 } else { lo };
            let lin = frame::linear(lo, hi, 6);
            let pad = (lin.hi - lin.lo) * 0.04;
            let label: Box<dyn Fn(f64) -> String> = Box::new(frame::tick_labeller(
                lin.hi.abs().max(lin.lo.abs()),
                lin.step,
            ));
            (
                (lin.lo - pad, lin.hi + pad),
                lin.ticks.clone(),
                label,
                (*desc).to_owned(),
            )
        }
    };
    let (c_lo, c_hi) = frame::extent(designs.iter().map(|d| d.cost)).unwrap_or((0.0, 1.0));
    let x_axis = frame::linear(c_lo, c_hi, 7);
    let (range_lo, range_hi) = if c_hi > c_lo {
        let pad = (c_hi - c_lo) * 0.07;
        (c_lo - pad, c_hi + pad)
    } else {
        (x_axis.lo, x_axis.hi)
    };
    let x_ticks: Vec<f64> = x_axis
        .ticks
        .iter()
        .copied()
        .filter(|t| c_lo < 0.0 || *t >= 0.0)
        .collect();
    let x_tick = frame::tick_labeller(x_axis.hi.abs().max(x_axis.lo.abs()), x_axis.step);
    let margins = Margins {
        y_labels: 128,
        bottom: 6 + LEGEND_PX + key_px + if note.is_some() { NOTE_ROW_PX } else { 0 },
        ..Margins::default()
    };
    let x = Axis {
        range: (range_lo, range_hi),
        ticks: x_ticks,
        label: &x_tick,
        desc: x_label.to_owned(),
        grid: true,
    };
    let y = Axis {
        range: y_range,
        ticks: y_ticks,
        label: &y_tick,
        desc: y_desc,
        grid: true,
    };
    let plot = frame::frame(area, title, margins, &x, &y)?;

    let place = |d: &'a Design| {
        let at = plot.at(d.cost, y_axis.scale(d.y));
        let whisker = ends(d).map(|(low, high)| (plot.at(d.cost, low), plot.at(d.cost, high)));
        Placed {
            design: d,
            at,
            whisker,
        }
    };
    let (mut frontier, others): (Vec<&Design>, Vec<&Design>) =
        designs.iter().copied().partition(|d| d.pareto);
    frontier.sort_by(|a, b| a.cost.total_cmp(&b.cost).then(b.y.total_cmp(&a.y)));
    let frontier: Vec<Placed<'a>> = frontier.into_iter().map(place).collect();
    let others: Vec<Placed<'a>> = others.into_iter().map(place).collect();

    for p in &others {
        let c = colour(p.design.colour).mix(0.4);
        if let Some((a, b)) = p.whisker {
            frame::polyline(area, vec![a, b], c, 1)?;
        }
        frame::dot(area, p.at, 3, colour(p.design.colour).mix(0.5), None)?;
    }
    if frontier.len() > 1 {
        let mut step = vec![frontier[0].at];
        for pair in frontier.windows(2) {
            step.push((pair[1].at.0, pair[0].at.1));
            step.push(pair[1].at);
        }
        frame::polyline(area, step, solid(FRONTIER), 2)?;
    }
    for p in &frontier {
        let c = solid(colour(p.design.colour));
        if let Some((a, b)) = p.whisker {
            frame::polyline(area, vec![a, b], c, 2)?;
            frame::polyline(area, vec![(a.0 - 4, a.1), (a.0 + 4, a.1)], c, 2)?;
            frame::polyline(area, vec![(b.0 - 4, b.1), (b.0 + 4, b.1)], c, 2)?;
        }
    }
    for p in &frontier {
        frame::dot(
            area,
            p.at,
            5,
            solid(colour(p.design.colour)),
            Some(solid(INK)),
        )?;
    }
    let labelled: Vec<(Placed<'a>, usize)> = numbered
        .iter()
        .map(|&(i, number)| (place(designs[i]), number))
        .collect();
    label_designs(area, &plot, &labelled)?;
    if let Some(note) = note {
        frame::bottom_note(area, plot.left, note)?;
    }
    let note_px = if note.is_some() { NOTE_ROW_PX } else { 0 };
    draw_key(area, &plot, designs, numbered, note_px)?;
    draw_legend(area, &plot, note_px + key_px)
}

/// The key below the legend: each numbered design's number and name, in
/// its colour, in [`KEY_COLUMNS`] columns, read across.
fn draw_key(
    area: &Area<'_>,
    plot: &frame::Plot,
    designs: &[&Design],
    numbered: &[(usize, usize)],
    below: u32,
) -> Drawn {
    let (_, height) = area.dim_in_pixel();
    let rows = numbered.len().div_ceil(KEY_COLUMNS) as i32;
    let top = height as i32 - 6 - below as i32 - rows * KEY_ROW_PX as i32;
    let column_px = (plot.right - plot.left) / KEY_COLUMNS as f64;
    let style = font(NOTE_PX, INK);
    let bold_style = frame::bold(NOTE_PX, INK);
    for (k, &(i, number)) in numbered.iter().enumerate() {
        let d = designs[i];
        let x = frame::pixel(plot.left + column_px * (k % KEY_COLUMNS) as f64);
        let y = top + (k / KEY_COLUMNS) as i32 * KEY_ROW_PX as i32 + KEY_ROW_PX as i32 / 2;
        let outline = d.pareto.then(|| solid(INK));
        frame::dot(area, (x + 5, y), 4, solid(colour(d.colour)), outline)?;
        let number = number.to_string();
        frame::text(
            area,
            &number,
            (x + 14, y),
            &bold_style,
            HPos::Left,
            VPos::Center,
        )?;
        let name_x = x + 16 + text_width(&number, NOTE_PX).ceil() as i32 + 4;
        let room = column_px - f64::from(name_x - x) - 8.0;
        let name = fit(&d.label, NOTE_PX, room.max(12.0));
        frame::text(area, &name, (name_x, y), &style, HPos::Left, VPos::Center)?;
    }
    Ok(())
}

/// A box of pixels: left, top, right, bottom.
type PixelBox = (i32, i32, i32, i32);

fn overlaps(a: PixelBox, b: PixelBox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Labels each numbered design with its number beside its point, trying
/// places around it in turn (right, left, above, below, at alternating
/// offsets) until one is inside the plot and clear of other labels and
/// points.
fn label_designs(area: &Area<'_>, plot: &frame::Plot, labelled: &[(Placed<'_>, usize)]) -> Drawn {
    let inside = (
        frame::pixel(plot.left) + 2,
        frame::pixel(plot.top) + 2,
        frame::pixel(plot.right) - 2,
        frame::pixel(plot.bottom) - 2,
    );
    let points: Vec<PixelBox> = labelled
        .iter()
        .map(|(p, _)| (p.at.0 - 4, p.at.1 - 4, p.at.0 + 4, p.at.1 + 4))
        .collect();
    let mut taken: Vec<PixelBox> = Vec::new();
    let h = (TICK_PX * 1.25).ceil() as i32;
    for (p, number) in labelled {
        let text = number.to_string();
        let style = if p.design.pareto {
            frame::bold(TICK_PX, INK)
        } else {
            font(TICK_PX, MUTED)
        };
        let w = text_width(&text, TICK_PX).ceil() as i32;
        let (x, y) = p.at;
        let mut candidates = Vec::new();
        for gap in [7, 15, 23] {
            candidates.extend([
                (
                    x + gap,
                    y,
                    HPos::Left,
                    VPos::Center,
                    (x + gap, y - h / 2, x + gap + w, y + h / 2),
                ),
                (
                    x - gap,
                    y,
                    HPos::Right,
                    VPos::Center,
                    (x - gap - w, y - h / 2, x - gap, y + h / 2),
                ),
                (
                    x,
                    y - gap,
                    HPos::Center,
                    VPos::Bottom,
                    (x - w / 2, y - gap - h, x + w / 2, y - gap),
                ),
                (
                    x,
                    y + gap,
                    HPos::Center,
                    VPos::Top,
                    (x - w / 2, y + gap, x + w / 2, y + gap + h),
                ),
            ]);
        }
        let fits =
            |b: PixelBox| b.0 >= inside.0 && b.1 >= inside.1 && b.2 <= inside.2 && b.3 <= inside.3;
        let clear = |b: PixelBox| !taken.iter().chain(&points).any(|t| overlaps(*t, b));
        let chosen = candidates
            .iter()
            .find(|c| fits(c.4) && clear(c.4))
            .or_else(|| candidates.iter().find(|c| fits(c.4)))
            .unwrap_or(&candidates[0]);
        taken.push(chosen.4);
        frame::text(
            area,
            &text,
            (chosen.0, chosen.1),
            &style,
            chosen.2,
            chosen.3,
        )?;
    }
    Ok(())
}

/// The legend below the plot: the frontier's line, a frontier design, a
/// dominated design, and an interval.
fn draw_legend(area: &Area<'_>, plot: &frame::Plot, below: u32) -> Drawn {
    let (_, height) = area.dim_in_pixel();
    let y = height as i32 - 6 - below as i32 - LEGEND_PX as i32 / 2;
    let style = font(NOTE_PX, INK);
    let mut x = frame::pixel(plot.left);
    frame::polyline(
        area,
        vec![
            (x, y + 5),
            (x + 11, y + 5),
            (x + 11, y - 5),
            (x + 22, y - 5),
        ],
        solid(FRONTIER),
        2,
    )?;
    x += 28;
    let entries = [
        ("Pareto frontier", None),
        ("design on the frontier", Some((5, solid(colour(0))))),
        ("dominated design", Some((3, colour(0).mix(0.5)))),
    ];
    for (name, marker) in entries {
        if let Some((radius, c)) = marker {
            let outline = (radius == 5).then(|| solid(INK));
            frame::dot(area, (x + 6, y), radius, c, outline)?;
            x += 16;
        }
        frame::text(area, name, (x, y), &style, HPos::Left, VPos::Center)?;
        x += text_width(name, NOTE_PX) as i32 + 20;
    }
    frame::polyline(area, vec![(x + 6, y - 7), (x + 6, y + 7)], solid(MUTED), 2)?;
    frame::polyline(area, vec![(x + 2, y - 7), (x + 10, y - 7)], solid(MUTED), 2)?;
    frame::polyline(area, vec![(x + 2, y + 7), (x + 10, y + 7)], solid(MUTED), 2)?;
    frame::text(
        area,
        "95% interval",
        (x + 16, y),
        &style,
        HPos::Left,
        VPos::Center,
    )?;
    Ok(())
}
