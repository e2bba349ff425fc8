//! Gantt-style timelines of one replication: when the service and its
//! parts were down, degraded or failing over, and when faults were active.

use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{
    self, AXIS, Area, Axis, Drawn, INK, MUTED, Margins, NOTE_PX, TICK_PX, bold, font, solid,
};
use super::{UP_COLOUR, fit, state_colour, text_width, usable};

/// Row states of a timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanState {
    /// Down: users (or this part) get nothing.
    Down,
    /// Up but degraded, such as with too few replicas for full capacity.
    Degraded,
    /// Failing over to a standby.
    FailingOver,
    /// A fault is active (for rows of faults).
    Active,
}

impl SpanState {
    /// The order spans are drawn in, so that the worst state is on top.
    fn layer(self) -> u8 {
        match self {
            SpanState::Active => 0,
            SpanState::Degraded => 1,
            SpanState::FailingOver => 2,
            SpanState::Down => 3,
        }
    }

    /// The state's name in the legend.
    fn name(self) -> &'static str {
        match self {
            SpanState::Down => "down",
            SpanState::Degraded => "degraded",
            SpanState::FailingOver => "failing over",
            SpanState::Active => "fault active",
        }
    }
}

/// A span of time, in hours since the start of the replication, spent in
/// one state.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// When the span starts, in hours.
    pub start: f64,
    /// When the span ends, in hours.
    pub end: f64,
    /// The state during the span.
    pub state: SpanState,
}

/// One row of a Gantt chart; `group` is a heading such as "service" or
/// "fault" (rows come in the order given; a thin separator is drawn
/// between groups).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The row's name, such as a component's id.
    pub name: String,
    /// The heading of the group the row belongs to.
    pub group: String,
    /// The row's spans that are not up; the rest of the row is up.
    pub spans: Vec<Span>,
}

/// The most rows a timeline shows; the rest are counted in a note.
const MAX_ROWS: usize = 60;
/// The height of one row, in pixels.
const ROW_PX: u32 = 22;
/// The height of the legend below the x axis, in pixels.
const LEGEND_PX: u32 = 30;

/// How far above a row's bar the tick marking a span narrower than a
/// pixel reaches, in pixels.
const TICK_MARK_PX: i32 = 4;

/// Fills `[x0, x1]` (pixels, fractional) between `top` and `bottom` with
/// ink in proportion to the time: whole pixels solid, and a pixel the span
/// covers in part with the colour's opacity equal to the part covered. An
/// outage of an hour and one of a day in a year's strip differ as much as
/// their lengths, though both are narrower than a pixel or two.
fn draw_to_scale(
    area: &Area<'_>,
    (x0, x1): (f64, f64),
    (top, bottom): (i32, i32),
    colour: plotters::style::RGBColor,
) -> Drawn {
    use plotters::style::Color;

    // Empty, reversed or not a number: nothing to draw.
    if x1.partial_cmp(&x0) != Some(std::cmp::Ordering::Greater) {
        return Ok(());
    }
    let partial = |column: f64, covered: f64| -> Drawn {
        if covered <= 0.0 {
            return Ok(());
        }
        let c = column as i32;
        frame::fill_rect(
            area,
            (c, top),
            (c + 1, bottom),
            colour.mix(covered.min(1.0)),
        )
    };
    let (first, last) = (x0.floor(), x1.floor());
    if first == last {
        return partial(first, x1 - x0);
    }
    partial(first, first + 1.0 - x0)?;
    if last > first + 1.0 {
        frame::fill_rect(
            area,
            (first as i32 + 1, top),
            (last as i32, bottom),
            solid(colour),
        )?;
    }
    partial(last, x1 - last)
}

/// One line of the timeline: a group's heading, or a row and whether a
/// separator goes above it (a new group without a heading).
enum Slot<'a> {
    Heading(&'a str),
    Row(&'a Row, bool),
}

/// Gantt-style timeline from `start` to `end` (x in hours since the start
/// of the replication, axis labelled `x_label`, e.g. "hours into
/// replication 7"). Rows' spans are drawn as coloured bars over a light
/// background meaning "up"; a legend names the states. The first row is
/// the service as users see it (its name is in bold). Spans outside
/// [start, end] are clipped. Bars are to scale, a pixel covered in part
/// drawn with as much ink as the part covered, and a span narrower than a
/// pixel also gets a tick above its row. Height grows with the row count (22 px per row; at most 60 rows,
/// with a note counting the rest).
pub fn timeline(title: &str, x_label: &str, start: f64, end: f64, rows: &[Row]) -> String {
    if rows.is_empty() {
        return frame::message(title, "no data");
    }
    let shown = &rows[..rows.len().min(MAX_ROWS)];
    let hidden = rows.len() - shown.len();
    let mut slots = Vec::new();
    for (i, row) in shown.iter().enumerate() {
        let new_group = i == 0 || row.group != shown[i - 1].group;
        let heading = new_group && !row.group.trim().is_empty();
        if heading {
            slots.push(Slot::Heading(&row.group));
        }
        slots.push(Slot::Row(row, new_group && !heading && i > 0));
    }
    let (start, end) = window(start, end, shown);
    let note_px = if hidden > 0 { 16 } else { 0 };
    let height = (40 + ROW_PX * slots.len() as u32 + 46 + LEGEND_PX + note_px + 10).max(260);
    frame::render(title, height, |area| {
        draw_timeline(area, title, x_label, (start, end), &slots, hidden, note_px)
    })
}

/// The time window drawn: `[start, end]` when usable, else the extent of
/// the spans, else an hour.
fn window(start: f64, end: f64, rows: &[Row]) -> (f64, f64) {
    if usable(start) && usable(end) && end > start {
        return (start, end);
    }
    let times = rows
        .iter()
        .flat_map(|r| r.spans.iter().flat_map(|s| [s.start, s.end]));
    let (lo, hi) = frame::extent(times).unwrap_or((0.0, 1.0));
    let lo = if usable(start) { start } else { lo };
    let hi = if usable(end) && end > lo { end } else { hi };
    if hi > lo { (lo, hi) } else { (lo, lo + 1.0) }
}

fn draw_timeline(
    area: &Area<'_>,
    title: &str,
    x_label: &str,
    (start, end): (f64, f64),
    slots: &[Slot<'_>],
    hidden: usize,
    note_px: u32,
) -> Drawn {
    let names = slots.iter().map(|s| match s {
        Slot::Heading(h) => text_width(&fit(h, TICK_PX, 220.0), TICK_PX),
        Slot::Row(r, _) => text_width(&fit(&r.name, TICK_PX, 220.0), TICK_PX) + 12.0,
    });
    let label_px = names.fold(60.0, f64::max).min(232.0);
    let margins = Margins {
        y_labels: (label_px + 14.0).ceil() as u32,
        bottom: 6 + LEGEND_PX + note_px,
        ..Margins::default()
    };
    let axis = frame::linear(start, end, 8);
    let x_tick = frame::tick_labeller(axis.hi.abs().max(axis.lo.abs()), axis.step);
    let no_tick = |_: f64| String::new();
    let count = slots.len() as f64;
    let x = Axis {
        range: (start, end),
        ticks: axis.ticks.clone(),
        label: &x_tick,
        desc: x_label.to_owned(),
        grid: true,
    };
    let y = Axis {
        range: (0.0, count),
        ticks: Vec::new(),
        label: &no_tick,
        desc: String::new(),
        grid: false,
    };
    let plot = frame::frame(area, title, margins, &x, &y)?;
    let slot_px = plot.height() / count;
    let half = (slot_px * 0.36).max(2.0);
    let (left, right) = (frame::pixel(plot.left), frame::pixel(plot.right));
    let label_right = left - 8;
    let label_left = frame::pixel(f64::from(margins.left)) + 2;
    let mut first_row = true;
    let mut ticked = false;
    for (j, slot) in slots.iter().enumerate() {
        let yc = plot.top + slot_px * (j as f64 + 0.5);
        let (top, bottom, mid) = (
            frame::pixel(yc - half),
            frame::pixel(yc + half),
            frame::pixel(yc),
        );
        match slot {
            Slot::Heading(heading) => {
                if j > 0 {
                    let y = frame::pixel(plot.top + slot_px * j as f64);
                    frame::polyline(area, vec![(label_left, y), (right, y)], solid(AXIS), 1)?;
                }
                let text = fit(heading, TICK_PX, label_px);
                frame::text(
                    area,
                    &text,
                    (label_left, mid),
                    &bold(TICK_PX, MUTED),
                    HPos::Left,
                    VPos::Center,
                )?;
            }
            Slot::Row(row, separator) => {
                if *separator {
                    let y = frame::pixel(plot.top + slot_px * j as f64);
                    frame::polyline(area, vec![(label_left, y), (right, y)], solid(AXIS), 1)?;
                }
                frame::fill_rect(area, (left, top), (right, bottom), solid(UP_COLOUR))?;
                let mut spans: Vec<&Span> = row.spans.iter().collect();
                spans.sort_by_key(|s| s.state.layer());
                for span in spans {
                    let (a, b) = (span.start.max(start), span.end.min(end));
                    if !(usable(a) && usable(b)) || b < a {
                        continue;
                    }
                    let (x0, x1) = (plot.px(a), plot.px(b));
                    let colour = state_colour(span.state);
                    draw_to_scale(area, (x0, x1), (top, bottom), colour)?;
                    if x1 - x0 < 1.0 {
                        // Too narrow to see: a tick above the bar says where.
                        let x = frame::pixel((x0 + x1) / 2.0)
                            .clamp(frame::pixel(plot.left), frame::pixel(plot.right) - 1);
                        let tick = (top - TICK_MARK_PX).max(frame::pixel(plot.top));
                        frame::fill_rect(area, (x, tick), (x + 1, top), solid(colour))?;
                        ticked = true;
                    }
                }
                let text = fit(&row.name, TICK_PX, label_px - 12.0);
                let style = if first_row {
                    bold(TICK_PX, INK)
                } else {
                    font(TICK_PX, INK)
                };
                frame::text(
                    area,
                    &text,
                    (label_right, mid),
                    &style,
                    HPos::Right,
                    VPos::Center,
                )?;
                first_row = false;
            }
        }
    }

    let (width, height) = area.dim_in_pixel();
    let legend_y = height as i32 - 6 - note_px as i32 - LEGEND_PX as i32 / 2;
    let entries = [
        (UP_COLOUR, "up"),
        (state_colour(SpanState::Down), SpanState::Down.name()),
        (
            state_colour(SpanState::Degraded),
            SpanState::Degraded.name(),
        ),
        (
            state_colour(SpanState::FailingOver),
            SpanState::FailingOver.name(),
        ),
        (state_colour(SpanState::Active), SpanState::Active.name()),
    ];
    let legend_font = font(NOTE_PX, INK);
    let tick_name = "tick: narrower than a pixel";
    let entry_px = |name: &str| 19 + text_width(name, NOTE_PX) as i32 + 18;
    // The legend starts under the plot, moved left (as far as the labels'
    // margin) when it would run past the right edge.
    let legend_px = entries.iter().map(|(_, n)| entry_px(n)).sum::<i32>()
        + if ticked {
            entry_px(tick_name) - 18
        } else {
            -18
        };
    let mut x = left.min(width as i32 - 8 - legend_px).max(label_left);
    // A legend entry's name, right of its mark at `x`.
    let label = |x: i32, name: &str| {
        frame::text(
            area,
            name,
            (x + 19, legend_y),
            &legend_font,
            HPos::Left,
            VPos::Center,
        )
    };
    for (colour, name) in entries {
        frame::swatch(area, (x, legend_y), solid(colour))?;
        label(x, name)?;
        x += entry_px(name);
    }
    if ticked {
        frame::fill_rect(
            area,
            (x + 6, legend_y - 6),
            (x + 7, legend_y + 6),
            solid(INK),
        )?;
        label(x, tick_name)?;
    }
    if hidden > 0 {
        let note = format!("… {hidden} more rows not shown");
        let at = (left, height as i32 - 6);
        frame::text(
            area,
            &note,
            at,
            &font(NOTE_PX, MUTED),
            HPos::Left,
            VPos::Bottom,
        )?;
    }
    Ok(())
}
