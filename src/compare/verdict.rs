//! The verdicts of a comparison, in words: which design has less downtime,
//! which costs less, and whether one dominates, each only when its 95%
//! interval excludes zero.

use reports::PairedDifference;

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

/// True when the interval excludes zero.
pub(crate) fn significant(d: &PairedDifference) -> bool {
    side(d) != Side::Unresolved
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

/// When both downtime and cost differ significantly: which design
/// dominates (less downtime and lower cost), or the trade-off with its
/// price per minute of downtime avoided.
pub(crate) fn overall(
    baseline: &str,
    design: &str,
    d: &PairedDifference,
    c: &PairedDifference,
) -> Option<String> {
    let tradeoff = |better: &str, other: &str, minutes: f64, cost: f64| {
        format!(
            "trade-off: {better} avoids {minutes:.1} min/yr of downtime for {cost:.0} /yr more than {other} ({:.2} per minute avoided)",
            cost / minutes
        )
    };
    match (side(d), side(c)) {
        (Side::Less, Side::Less) => Some(format!(
            "{design} dominates {baseline}: less downtime and lower cost"
        )),
        (Side::More, Side::More) => Some(format!(
            "{baseline} dominates {design}: less downtime and lower cost"
        )),
        (Side::Less, Side::More) => Some(tradeoff(design, baseline, -d.mean, c.mean)),
        (Side::More, Side::Less) => Some(tradeoff(baseline, design, d.mean, -c.mean)),
        _ => None,
    }
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
        }
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
        assert_eq!(
            overall("a", "b", &less, &less).unwrap(),
            "b dominates a: less downtime and lower cost"
        );
        assert_eq!(
            overall("a", "b", &more, &more).unwrap(),
            "a dominates b: less downtime and lower cost"
        );
        assert_eq!(
            overall("a", "b", &less, &more).unwrap(),
            "trade-off: b avoids 10.0 min/yr of downtime for 100 /yr more than a (10.00 per minute avoided)"
        );
        assert_eq!(overall("a", "b", &none, &more), None);
        assert_eq!(
            cost_verdict("a", "b", &more),
            "b costs more than a: 100 /yr (95% CI [95, 105])"
        );
    }
}
