//! What a sweep judged by other objectives than cost and availability
//! shows: the objectives in words, the frontier over them as a table and
//! a plane, and each design's value of each objective.

use crate::document::{Block, Section, Table};
use crate::plot;
use crate::results::{SweepPoint, SweepResults};

use super::ranked;
use crate::report::format::num;

/// The objectives in words: "cost and writes lost".
pub(super) fn objective_words(sweep: &SweepResults) -> String {
    let words: Vec<&str> = sweep.objectives().iter().map(|m| m.words).collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The measures of data kept by stateful services, when any point has
/// them: writes lost, loss events and the worst recovery point; and the
/// write measures (write availability, latency and writes refused) when
/// any point has an active-passive service with data.
pub(super) fn data_columns(sweep: &SweepResults) -> Vec<&'static crate::measures::Measure> {
    let mut keys = Vec::new();
    if sweep.points.iter().any(|p| p.summary.data.is_some()) {
        keys.extend([
            "writes_lost_per_year",
            "loss_events_per_year",
            "worst_rpo_hours",
        ]);
    }
    let writes = |p: &SweepPoint| {
        p.summary
            .services
            .iter()
            .flatten()
            .any(|s| s.writes.is_some())
    };
    if sweep.points.iter().any(writes) {
        keys.extend([
            "write_availability",
            "write_latency_ms",
            "writes_refused_per_year",
        ]);
    }
    crate::measures::by_keys(&keys)
}

/// The frontier over objectives other than cost and availability: each
/// design's value of every objective, with its interval where it has one.
pub(super) fn objective_frontier(sweep: &SweepResults, colour: &dyn Fn(usize) -> usize) -> Section {
    let objectives = sweep.objectives();
    let mut s = Section::new(&format!("The frontier over {}", objective_words(sweep)));
    s.text(format!(
        "Each design's value of every objective (95% intervals where the measure varies between replications). A design is on the frontier when no other is at least as good on every objective and better on one; ranked by {}.",
        rank_words(sweep)
    ));
    let headers: Vec<String> = ["design".to_string()]
        .into_iter()
        .chain(objectives.iter().map(|m| {
            if m.unit.is_empty() {
                m.words.to_string()
            } else {
                format!("{} ({})", m.words, m.unit)
            }
        }))
        .chain(["frontier".to_string()])
        .collect();
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut numeric = vec![false];
    numeric.extend(objectives.iter().map(|_| true));
    numeric.push(false);
    let mut t = Table::new(&header_refs, &numeric);
    for (i, _) in ranked(sweep) {
        let Some(p) = sweep.points.get(i) else {
            continue;
        };
        let mut row = vec![p.label.clone()];
        for m in &objectives {
            row.push(objective_cell(p, m));
        }
        row.push(if p.pareto {
            "yes".into()
        } else {
            String::new()
        });
        t.row(row);
    }
    s.blocks.push(Block::Table(t));
    if let Some((file, caption, svg)) = objective_plane(sweep, colour) {
        s.figure(file, caption, svg);
    }
    s
}

/// The plane of a sweep judged on two objectives other than the default
/// pair: cost (or the first objective) across, the other up, lower better
/// on both (a share where higher is better, such as an availability, drawn
/// as its complement on a log scale), each design's 95% interval as a
/// whisker and the frontier joined. `None` for one objective, more than
/// two, or two that cannot both be drawn lower-better.
pub(super) fn objective_plane(
    sweep: &SweepResults,
    colour: &dyn Fn(usize) -> usize,
) -> Option<(&'static str, String, String)> {
    use crate::measures::{Better, Measure, point_interval, point_value};
    let objectives = sweep.objectives();
    let [a, b] = objectives.as_slice() else {
        return None;
    };
    let lower = |m: &Measure| m.better == Better::Lower;
    let (x, y) = if b.key == "cost_per_year" || (!lower(a) && lower(b)) {
        (*b, *a)
    } else {
        (*a, *b)
    };
    if !lower(x) || (!lower(y) && !y.share) {
        return None;
    }
    let described = |m: &Measure| {
        if m.unit.is_empty() {
            m.words.to_string()
        } else {
            format!("{} ({})", m.words, m.unit)
        }
    };
    let complement = !lower(y);
    let designs: Vec<plot::Design> = sweep
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let xv = point_value(&p.summary, x)?;
            let yv = point_value(&p.summary, y)?;
            let (low, high) =
                point_interval(&p.summary, y).map_or((yv, yv), |iv| (iv.ci95_low, iv.ci95_high));
            let (yv, low, high) = if complement {
                (1.0 - yv, 1.0 - high, 1.0 - low)
            } else {
                (yv, low, high)
            };
            Some(plot::Design {
                label: p.label.clone(),
                colour: colour(i),
                cost: xv,
                y: yv,
                low,
                high,
                pareto: p.pareto,
            })
        })
        .collect();
    if designs.is_empty() {
        return None;
    }
    let y_desc = format!("{}, lower is better", described(y));
    let plane_y = if complement {
        plot::PlaneY::Unavailability
    } else {
        plot::PlaneY::Linear(&y_desc)
    };
    let title = format!("{} versus {}: the frontier", capitalised(y.words), x.words);
    let caption = format!(
        "Each design's {} against its {}{}, 95% intervals as whiskers where the measure varies between replications; the frontier joins the designs no other beats on both.",
        x.words,
        if complement {
            format!("complement of {} (log scale)", y.words)
        } else {
            y.words.to_string()
        },
        if complement { "" } else { " (lower is better)" },
    );
    Some((
        "objective_frontier.svg",
        caption,
        plot::plane_scatter(&title, &described(x), plane_y, &designs),
    ))
}

/// `words` with its first letter in capitals.
pub(super) fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What ranks the designs, in words.
pub(super) fn rank_words(sweep: &SweepResults) -> String {
    let objectives = sweep.objectives();
    let first: Vec<&str> = objectives
        .iter()
        .filter(|m| m.key != "cost_per_year")
        .map(|m| m.words)
        .collect();
    let cost = objectives.iter().any(|m| m.key == "cost_per_year");
    match (first.is_empty(), cost) {
        (true, _) => "cost".into(),
        (false, true) => format!("{}, cost breaking ties", first.join(", then ")),
        (false, false) => first.join(", then "),
    }
}

/// A design's value of measure `m`, with its interval where the results
/// give one.
pub(super) fn objective_cell(p: &SweepPoint, m: &crate::measures::Measure) -> String {
    let r = &p.summary;
    let show = |x: f64| {
        if m.share {
            crate::digits::percent(x, 5)
        } else {
            num(x)
        }
    };
    match (
        crate::measures::point_interval(r, m),
        crate::measures::point_value(r, m),
    ) {
        (Some(i), _) if i.ci95_low != i.ci95_high => {
            format!(
                "{} [{}, {}]",
                show(i.mean),
                show(i.ci95_low),
                show(i.ci95_high)
            )
        }
        (_, Some(v)) => show(v),
        (_, None) => "–".into(),
    }
}
