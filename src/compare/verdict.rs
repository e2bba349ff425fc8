//! The verdicts of a comparison, in words: which design has less downtime,
//! which costs less, and whether one dominates, each only when its 95%
//! interval excludes zero.

use reports::PairedDifference;
use reports::measures::{Better, Measure};

/// Where a difference (design − baseline) stands against zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// The whole interval is below zero: the design has less.
    Less,
    /// The whole interval is above zero: the design has more.
    More,
    /// The interval contains zero.
    Unresolved,
}

fn side(d: &PairedDifference) -> Side {
    if d.ci95_high < 0.0 {
        Side::Less
    } else if d.ci95_low > 0.0 {
        Side::More
    } else {
        Side::Unresolved
    }
}

/// True when every replication differed by exactly zero.
fn identical(d: &PairedDifference) -> bool {
    d.mean == 0.0 && d.ci95_low == 0.0 && d.ci95_high == 0.0
}

/// The verdict on downtime of `design` against `baseline`.
pub(crate) fn downtime_verdict(baseline: &str, design: &str, d: &PairedDifference) -> String {
    match side(d) {
        Side::Less => format!(
            "{design} has less downtime than {baseline}: {:.1} min/yr (95% CI [{:.1}, {:.1}])",
            -d.mean, -d.ci95_high, -d.ci95_low
        ),
        Side::More => format!(
            "{design} has more downtime than {baseline}: {:.1} min/yr (95% CI [{:.1}, {:.1}])",
            d.mean, d.ci95_low, d.ci95_high
        ),
        Side::Unresolved if identical(d) => format!(
            "no significant difference in downtime between {baseline} and {design}: they had the same downtime in every replication"
        ),
        Side::Unresolved => format!(
            "no significant difference in downtime between {baseline} and {design} (95% CI [{:.1}, {:.1}] contains 0); run more replications to resolve it",
            d.ci95_low, d.ci95_high
        ),
    }
}

/// The verdict on cost per year of `design` against `baseline`.
pub(crate) fn cost_verdict(baseline: &str, design: &str, c: &PairedDifference) -> String {
    match side(c) {
        Side::Less => format!(
            "{design} costs less than {baseline}: {:.0} /yr (95% CI [{:.0}, {:.0}])",
            -c.mean, -c.ci95_high, -c.ci95_low
        ),
        Side::More => format!(
            "{design} costs more than {baseline}: {:.0} /yr (95% CI [{:.0}, {:.0}])",
            c.mean, c.ci95_low, c.ci95_high
        ),
        Side::Unresolved if identical(c) => format!(
            "no significant difference in cost between {baseline} and {design}: they cost the same in every replication"
        ),
        Side::Unresolved => format!(
            "no significant difference in cost between {baseline} and {design} (95% CI [{:.0}, {:.0}] contains 0); run more replications to resolve it",
            c.ci95_low, c.ci95_high
        ),
    }
}

/// The verdict on every measure of `judged` (downtime, cost and the rest,
/// in the catalog's order): the measures on which `design` is
/// significantly better than `baseline`, those on which it is worse, and
/// those that do not differ significantly.
pub(crate) fn measures_verdict(
    baseline: &str,
    design: &str,
    judged: &[(&Measure, &PairedDifference)],
) -> String {
    let mut better = Vec::new();
    let mut worse = Vec::new();
    let mut same = Vec::new();
    for &(m, d) in judged {
        let described = format!(
            "{} ({})",
            m.words,
            m.describe_difference(d.mean, d.ci95_low, d.ci95_high)
        );
        match side(d) {
            Side::Unresolved => same.push(m.words.to_string()),
            Side::Less if m.better == Better::Lower => better.push(described),
            Side::More if m.better == Better::Higher => better.push(described),
            _ => worse.push(described),
        }
    }
    let mut parts = Vec::new();
    if !better.is_empty() {
        parts.push(format!("{design} is better on {}", and_list(&better)));
    }
    if !worse.is_empty() {
        parts.push(format!("{design} is worse on {}", and_list(&worse)));
    }
    if better.is_empty() && worse.is_empty() {
        parts.push(format!(
            "no measure differs significantly between {baseline} and {design}"
        ));
    } else if !same.is_empty() {
        parts.push(format!("no significant difference in {}", and_list(&same)));
    }
    let mut text = parts.join("; ");
    if !(better.is_empty() && worse.is_empty()) {
        text.push_str(&format!(" (differences are {design} minus {baseline})"));
    }
    text
}

/// `x` of measure `m` with its sign, in the measure's unit (shares in
/// percentage points).
fn signed(m: &Measure, x: f64) -> String {
    if m.share {
        return format!("{:+.5} points", 100.0 * x);
    }
    let digits = if x.abs() >= 100.0 || x == 0.0 {
        0
    } else if x.abs() >= 1.0 {
        1
    } else {
        3
    };
    format!("{x:+.digits$} {}", m.unit).trim_end().to_string()
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// When every objective of `weighed` differs significantly: which design
/// dominates on them, or, for two objectives, the trade-off with the price
/// of one in the other (downtime against cost: the price per minute of
/// downtime avoided).
pub(crate) fn overall(
    baseline: &str,
    design: &str,
    weighed: &[(&Measure, &PairedDifference)],
) -> Option<String> {
    if weighed.is_empty() || weighed.iter().any(|(_, d)| side(d) == Side::Unresolved) {
        return None;
    }
    // Whether the design is better than the baseline on each objective.
    let wins: Vec<bool> = weighed
        .iter()
        .map(|(m, d)| m.is_better(d.mean, 0.0))
        .collect();
    let words: Vec<String> = weighed.iter().map(|(m, _)| m.words.to_string()).collect();
    let on = and_list(&words);
    if let [(m1, d1), (m2, d2)] = weighed
        && wins[0] != wins[1]
    {
        // The design better on the first objective pays in the second.
        let (better, other) = if wins[0] {
            (design, baseline)
        } else {
            (baseline, design)
        };
        let (gain, price) = (d1.mean.abs(), d2.mean.abs());
        if m1.key == "downtime_minutes_per_year" && m2.key == "cost_per_year" {
            return Some(format!(
                "trade-off: {better} avoids {gain:.1} min/yr of downtime for {price:.0} /yr more than {other} ({:.2} per minute avoided)",
                price / gain
            ));
        }
        let amount = |m: &Measure, x: f64| signed(m, x).trim_start_matches(['+', '-']).to_string();
        return Some(format!(
            "trade-off: {better} is better than {other} on {} by {} and worse on {} by {} ({:.4} of {} per unit of {})",
            m1.words,
            amount(m1, gain),
            m2.words,
            amount(m2, price),
            price / gain,
            m2.words,
            m1.words
        ));
    }
    let what = if weighed.len() == 2
        && weighed[0].0.key == "downtime_minutes_per_year"
        && weighed[1].0.key == "cost_per_year"
    {
        "less downtime and lower cost".to_string()
    } else {
        format!("better on {on}")
    };
    if wins.iter().all(|&w| w) {
        return Some(format!("{design} dominates {baseline}: {what}"));
    }
    if wins.iter().all(|&w| !w) {
        return Some(format!("{baseline} dominates {design}: {what}"));
    }
    let ahead: Vec<String> = weighed
        .iter()
        .zip(&wins)
        .filter(|(_, w)| **w)
        .map(|((m, _), _)| m.words.to_string())
        .collect();
    let behind: Vec<String> = weighed
        .iter()
        .zip(&wins)
        .filter(|(_, w)| !**w)
        .map(|((m, _), _)| m.words.to_string())
        .collect();
    Some(format!(
        "neither dominates on {on}: {design} is better on {} and {baseline} on {}",
        and_list(&ahead),
        and_list(&behind)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(mean: f64, half: f64) -> PairedDifference {
        PairedDifference {
            mean,
            ci95_low: mean - half,
            ci95_high: mean + half,
            unpaired_ci95_half_width: None,
            pairing_ratio: None,
            significant: half < mean.abs(),
        }
    }

    fn m(name: &str) -> &'static Measure {
        reports::measures::find(name).unwrap()
    }

    #[test]
    fn downtime_verdicts() {
        assert_eq!(
            downtime_verdict("a", "b", &diff(-10.0, 2.0)),
            "b has less downtime than a: 10.0 min/yr (95% CI [8.0, 12.0])"
        );
        assert_eq!(
            downtime_verdict("a", "b", &diff(10.0, 2.0)),
            "b has more downtime than a: 10.0 min/yr (95% CI [8.0, 12.0])"
        );
        assert_eq!(
            downtime_verdict("a", "b", &diff(1.0, 2.0)),
            "no significant difference in downtime between a and b (95% CI [-1.0, 3.0] contains 0); run more replications to resolve it"
        );
        assert!(downtime_verdict("a", "a", &diff(0.0, 0.0)).starts_with(
            "no significant difference in downtime between a and a: they had the same downtime in every replication"
        ));
    }

    #[test]
    fn dominance_and_tradeoffs() {
        let (less, more, none) = (diff(-10.0, 2.0), diff(100.0, 5.0), diff(0.0, 1.0));
        let (down, cost) = (m("downtime"), m("cost"));
        assert_eq!(
            overall("a", "b", &[(down, &less), (cost, &less)]).unwrap(),
            "b dominates a: less downtime and lower cost"
        );
        assert_eq!(
            overall("a", "b", &[(down, &more), (cost, &more)]).unwrap(),
            "a dominates b: less downtime and lower cost"
        );
        assert_eq!(
            overall("a", "b", &[(down, &less), (cost, &more)]).unwrap(),
            "trade-off: b avoids 10.0 min/yr of downtime for 100 /yr more than a (10.00 per minute avoided)"
        );
        assert_eq!(overall("a", "b", &[(down, &none), (cost, &more)]), None);
        // Other objectives: cost against writes lost.
        let writes = m("writes_lost");
        assert_eq!(
            overall("a", "b", &[(cost, &more), (writes, &diff(-2000.0, 100.0))]).unwrap(),
            "trade-off: a is better than b on cost by 100 /yr and worse on writes lost by 2000 /yr (20.0000 of writes lost per unit of cost)"
        );
        assert_eq!(
            overall("a", "b", &[(cost, &less), (writes, &diff(-2000.0, 100.0))]).unwrap(),
            "b dominates a: better on cost and writes lost"
        );
        let requests = m("requests");
        assert_eq!(
            overall(
                "a",
                "b",
                &[
                    (cost, &less),
                    (writes, &less),
                    (requests, &diff(-0.01, 0.001))
                ]
            )
            .unwrap(),
            "neither dominates on cost, writes lost and requests served: b is better on cost and writes lost and a on requests served"
        );
        assert_eq!(
            cost_verdict("a", "b", &more),
            "b costs more than a: 100 /yr (95% CI [95, 105])"
        );
    }

    #[test]
    fn every_measure_is_named_by_its_side() {
        let (writes, events, down) = (m("writes_lost"), m("loss_events"), m("downtime"));
        let fewer = diff(-48.0, 5.0);
        let more_events = diff(3.0, 1.0);
        let same = diff(0.0, 0.0);
        assert_eq!(
            measures_verdict(
                "a",
                "b",
                &[(down, &same), (writes, &fewer), (events, &more_events)]
            ),
            "b is better on writes lost (-48.0 /yr, 95% CI [-53.0, -43.0]); b is worse on loss events (+3.0 /yr, 95% CI [+2.0, +4.0]); no significant difference in downtime (differences are b minus a)"
        );
        assert_eq!(
            measures_verdict("a", "b", &[(down, &same)]),
            "no measure differs significantly between a and b"
        );
        // A share that is higher is better.
        assert!(
            measures_verdict("a", "b", &[(m("requests"), &diff(0.001, 0.0001))]).starts_with(
                "b is better on requests served (+0.100 points, 95% CI [+0.090, +0.110])"
            )
        );
    }
}
