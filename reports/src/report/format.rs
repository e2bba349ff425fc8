//! Numbers as a report prints them.

use crate::run::{Availability, Interval};

/// Minutes in a year of 8760 hours.
pub(crate) const MINUTES_PER_YEAR: f64 = 8760.0 * 60.0;

/// An availability as a percentage with as many decimals as its nines
/// need: `99.9662%`, `99.99934%`.
pub(crate) fn percent(a: f64, nines: f64) -> String {
    let digits = if nines.is_finite() {
        (nines.ceil() as usize).clamp(2, 8)
    } else {
        8
    };
    crate::digits::percent(a, digits)
}

/// An availability target as written: `99.95%`, `99.9%`, `99.999%`.
pub(crate) fn target(slo: f64) -> String {
    let text = format!("{:.6}", 100.0 * slo);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}%")
}

/// An availability with its interval, or its one-sided bound when no
/// downtime was seen.
pub(crate) fn availability(a: &Availability) -> (String, String) {
    let digits = a.nines.max(-(1.0 - a.ci95_low).log10());
    if a.zero_downtime_observed {
        (
            format!("≥ {}", percent(a.ci95_low, digits)),
            "none observed: a one-sided 95% bound".to_string(),
        )
    } else {
        (
            percent(a.mean, digits),
            format!(
                "{} – {}",
                percent(a.ci95_low, digits),
                percent(a.ci95_high, digits)
            ),
        )
    }
}

/// A number with about three significant figures and no exponent.
pub(crate) fn num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let a = x.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 1000.0 {
        thousands(x.round())
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else if a >= 0.01 {
        format!("{x:.3}")
    } else {
        format!("{x:.2e}")
    }
}

/// An interval as `low – high`.
pub(crate) fn range(i: &Interval) -> String {
    format!("{} – {}", num(i.ci95_low), num(i.ci95_high))
}

/// A whole number with thousands separators: `83,046`.
pub(crate) fn thousands(x: f64) -> String {
    let neg = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg { format!("-{out}") } else { out }
}

/// A duration given in hours, in the unit that reads best.
pub(crate) fn hours(h: f64) -> String {
    if !h.is_finite() {
        "–".into()
    } else if h < 1.0 / 60.0 {
        format!("{} s", num(h * 3600.0))
    } else if h < 1.0 {
        format!("{} min", num(h * 60.0))
    } else if h < 48.0 {
        format!("{} h", num(h))
    } else {
        format!("{} days", num(h / 24.0))
    }
}

/// A share as a percentage: `68%`, `4.2%`, `0.31%`.
pub(crate) fn share(x: f64) -> String {
    if !x.is_finite() {
        "–".into()
    } else if x == 0.0 {
        "0%".into()
    } else if x.abs() >= 0.1 {
        format!("{:.0}%", 100.0 * x)
    } else if x.abs() >= 0.01 {
        format!("{:.1}%", 100.0 * x)
    } else {
        format!("{:.2}%", 100.0 * x)
    }
}

/// The horizon in the unit that reads best: `1 year`, `3 years`, `2 days`.
pub(crate) fn horizon(h: f64) -> String {
    let years = h / 8760.0;
    if (years - years.round()).abs() < 1e-9 && years >= 1.0 {
        let y = years.round() as u64;
        format!("{y} year{}", if y == 1 { "" } else { "s" })
    } else {
        hours(h)
    }
}

/// What a report's rates are framed per: a year, or, for a run that
/// measures less than a day (a request-level window of minutes, say), the
/// measured span itself, so a 10-minute run is not told in minutes a year.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Basis {
    /// What a per-year figure is multiplied by.
    factor: f64,
    /// The span after an amount: "a year", "in the 9.00 min measured".
    pub(crate) span: String,
    /// The span after "per" in a measure's name: "year", "9.00 min measured".
    pub(crate) per: String,
}

impl Basis {
    /// The basis of a run that measures `measured_hours` per replication.
    pub(crate) fn of(measured_hours: f64) -> Basis {
        if measured_hours > 0.0 && measured_hours < 24.0 {
            let span = hours(measured_hours);
            Basis {
                factor: measured_hours / 8760.0,
                span: format!("in the {span} measured"),
                per: format!("{span} measured"),
            }
        } else {
            Basis {
                factor: 1.0,
                span: "a year".into(),
                per: "year".into(),
            }
        }
    }

    /// A per-year figure on this basis.
    pub(crate) fn scale(&self, per_year: f64) -> f64 {
        per_year * self.factor
    }

    /// A per-year estimate on this basis.
    pub(crate) fn interval(&self, per_year: &Interval) -> Interval {
        Interval {
            mean: self.scale(per_year.mean),
            ci95_low: self.scale(per_year.ci95_low),
            ci95_high: self.scale(per_year.ci95_high),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(num(177.84), "178");
        assert_eq!(num(17.784), "17.8");
        assert_eq!(num(1.7784), "1.78");
        assert_eq!(num(0.17784), "0.178");
        assert_eq!(num(83046.2), "83,046");
        assert_eq!(num(0.0), "0");
        assert_eq!(thousands(-1234567.0), "-1,234,567");
        assert_eq!(hours(0.5), "30.0 min");
        assert_eq!(hours(4.07), "4.07 h");
        assert_eq!(hours(72.0), "3.00 days");
        assert_eq!(share(0.684), "68%");
        assert_eq!(share(0.042), "4.2%");
        assert_eq!(horizon(8760.0), "1 year");
        assert_eq!(horizon(17520.0), "2 years");
        assert_eq!(percent(0.99966164, 3.47), "99.9662%");
        assert_eq!(target(0.9995), "99.95%");
        assert_eq!(target(0.999), "99.9%");
        assert_eq!(target(0.99999), "99.999%");
    }
}
