//! Simulated time: integer instants and durations in microseconds.
//!
//! Time is never a floating-point number inside the engine. Random durations
//! are drawn as `f64` hours and rounded once, where they are drawn, with
//! [`SimDuration::from_hours_f64`]. Durations parse from and print as human
//! units: `250ms`, `90s`, `15m`, `4h`, `2d`, `1w`, `1y` (one year is 8760 h),
//! and combinations such as `1h30m`.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};
use std::str::FromStr;

/// Microseconds in one millisecond.
const MS: u64 = 1_000;
/// Microseconds in one second.
const S: u64 = 1_000_000;
/// Microseconds in one minute.
const MIN: u64 = 60 * S;
/// Microseconds in one hour.
const H: u64 = 60 * MIN;
/// Microseconds in one day.
const D: u64 = 24 * H;
/// Microseconds in one week.
const W: u64 = 7 * D;
/// Microseconds in one year of 8760 hours.
const Y: u64 = 8760 * H;

/// Hours in one year, the convention of every figure nines prints.
pub const HOURS_PER_YEAR: f64 = 8760.0;

/// Units accepted by the duration parser, longest spelling first so that
/// `ms` is not read as `m` followed by garbage.
const UNITS: &[(&str, u64)] = &[
    ("us", 1),
    ("ms", MS),
    ("min", MIN),
    ("s", S),
    ("m", MIN),
    ("h", H),
    ("d", D),
    ("w", W),
    ("y", Y),
];

/// Units used when printing, largest first.
const PRINT_UNITS: &[(&str, u64)] = &[
    ("y", Y),
    ("w", W),
    ("d", D),
    ("h", H),
    ("m", MIN),
    ("s", S),
    ("ms", MS),
    ("us", 1),
];

/// A span of simulated time, in whole microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(u64);

/// An instant of simulated time, in microseconds since the start of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(u64);

impl SimDuration {
    /// The empty duration.
    pub const ZERO: SimDuration = SimDuration(0);
    /// The longest representable duration (about 584,000 years).
    pub const MAX: SimDuration = SimDuration(u64::MAX);

    /// A duration of `us` microseconds.
    pub const fn from_micros(us: u64) -> Self {
        SimDuration(us)
    }
    /// A duration of `ms` milliseconds (saturating).
    pub const fn from_millis(ms: u64) -> Self {
        SimDuration(ms.saturating_mul(MS))
    }
    /// A duration of `s` seconds (saturating).
    pub const fn from_secs(s: u64) -> Self {
        SimDuration(s.saturating_mul(S))
    }
    /// A duration of `m` minutes (saturating).
    pub const fn from_mins(m: u64) -> Self {
        SimDuration(m.saturating_mul(MIN))
    }
    /// A duration of `h` hours (saturating).
    pub const fn from_hours(h: u64) -> Self {
        SimDuration(h.saturating_mul(H))
    }
    /// A duration of `y` years of 8760 hours (saturating).
    pub const fn from_years(y: u64) -> Self {
        SimDuration(y.saturating_mul(Y))
    }

    /// Rounds a non-negative number of hours to the nearest microsecond.
    ///
    /// This is the one place where a floating-point duration becomes
    /// integer time. Negative values and NaN give zero; values beyond the
    /// representable range saturate at [`SimDuration::MAX`].
    pub fn from_hours_f64(hours: f64) -> Self {
        let us = (hours * H as f64).round();
        if us.is_nan() || us <= 0.0 {
            SimDuration::ZERO
        } else if us >= u64::MAX as f64 {
            SimDuration::MAX
        } else {
            SimDuration(us as u64)
        }
    }

    /// The duration in microseconds.
    pub const fn as_micros(self) -> u64 {
        self.0
    }
    /// The duration in hours, as a float for statistics.
    pub fn as_hours_f64(self) -> f64 {
        self.0 as f64 / H as f64
    }
    /// The duration in seconds, as a float for statistics.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / S as f64
    }
    /// True for the empty duration.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }
    /// Sum, or `None` on overflow.
    pub const fn checked_add(self, rhs: SimDuration) -> Option<SimDuration> {
        match self.0.checked_add(rhs.0) {
            Some(v) => Some(SimDuration(v)),
            None => None,
        }
    }
    /// Difference, or `None` if `rhs` is longer.
    pub const fn checked_sub(self, rhs: SimDuration) -> Option<SimDuration> {
        match self.0.checked_sub(rhs.0) {
            Some(v) => Some(SimDuration(v)),
            None => None,
        }
    }
    /// Sum, saturating at [`SimDuration::MAX`].
    pub const fn saturating_add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(rhs.0))
    }
    /// Difference, saturating at zero.
    pub const fn saturating_sub(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_sub(rhs.0))
    }
    /// Product with an integer, saturating.
    pub const fn saturating_mul(self, n: u64) -> SimDuration {
        SimDuration(self.0.saturating_mul(n))
    }
}

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);
    /// The latest representable instant; used as "never".
    pub const MAX: SimTime = SimTime(u64::MAX);

    /// The instant `us` microseconds after the start.
    pub const fn from_micros(us: u64) -> Self {
        SimTime(us)
    }
    /// The instant `d` after the start.
    pub const fn from_duration(d: SimDuration) -> Self {
        SimTime(d.0)
    }
    /// Microseconds since the start.
    pub const fn as_micros(self) -> u64 {
        self.0
    }
    /// Hours since the start, as a float for statistics and reports.
    pub fn as_hours_f64(self) -> f64 {
        self.0 as f64 / H as f64
    }
    /// Time elapsed since the start.
    pub const fn since_start(self) -> SimDuration {
        SimDuration(self.0)
    }
    /// `self - earlier`, or zero if `earlier` is later.
    pub const fn saturating_since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
    /// `self + d`, or `None` on overflow.
    pub const fn checked_add(self, d: SimDuration) -> Option<SimTime> {
        match self.0.checked_add(d.0) {
            Some(v) => Some(SimTime(v)),
            None => None,
        }
    }
    /// `self + d`, saturating at [`SimTime::MAX`].
    pub const fn saturating_add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    /// Saturating: an instant past the end of representable time is "never".
    fn add(self, rhs: SimDuration) -> SimTime {
        self.saturating_add(rhs)
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = *self + rhs;
    }
}

impl Sub<SimTime> for SimTime {
    type Output = SimDuration;
    /// Saturating at zero: the engine never moves backwards, so a negative
    /// difference is a caller's bug that must not wrap around.
    fn sub(self, rhs: SimTime) -> SimDuration {
        self.saturating_since(rhs)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, rhs: SimDuration) -> SimDuration {
        self.saturating_add(rhs)
    }
}

impl AddAssign for SimDuration {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = *self + rhs;
    }
}

impl Sub for SimDuration {
    type Output = SimDuration;
    fn sub(self, rhs: SimDuration) -> SimDuration {
        self.saturating_sub(rhs)
    }
}

/// Why a duration could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DurationError {
    /// The text was empty.
    #[error("empty duration; expected a number and a unit such as `90s`, `4h` or `1y`")]
    Empty,
    /// The text started with a minus sign.
    #[error("negative duration `{0}`; durations must be zero or more")]
    Negative(String),
    /// A number had no unit after it.
    #[error(
        "missing unit in `{0}`; expected one of us, ms, s, m, h, d, w, y (as in `90s` or `4h`)"
    )]
    MissingUnit(String),
    /// A unit was not recognised.
    #[error("unknown unit `{unit}` in `{text}`; expected one of us, ms, s, m, h, d, w, y")]
    UnknownUnit {
        /// The whole text.
        text: String,
        /// The unrecognised unit.
        unit: String,
    },
    /// A number was malformed.
    #[error("malformed number in `{0}`; expected a duration such as `250ms`, `1.5h` or `1h30m`")]
    BadNumber(String),
    /// The value does not fit in the representable range.
    #[error("duration `{0}` is too long; the limit is about 584,000 years")]
    Overflow(String),
}

impl FromStr for SimDuration {
    type Err = DurationError;

    /// Parses `250ms`, `90s`, `15m`, `4h`, `2d`, `1w`, `1y`, decimals such as
    /// `1.5h`, and sums of parts such as `1h30m` or `2d 12h`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(DurationError::Empty);
        }
        if trimmed.starts_with('-') {
            return Err(DurationError::Negative(trimmed.to_string()));
        }
        let mut rest = trimmed;
        let mut total: u64 = 0;
        while !rest.is_empty() {
            let num_len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
                .unwrap_or(rest.len());
            let number = &rest[..num_len];
            if number.is_empty() {
                return Err(DurationError::BadNumber(trimmed.to_string()));
            }
            rest = rest[num_len..].trim_start();
            let unit_len = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            let unit = &rest[..unit_len];
            rest = rest[unit_len..].trim_start();
            if unit.is_empty() {
                return Err(DurationError::MissingUnit(trimmed.to_string()));
            }
            let scale = UNITS
                .iter()
                .find(|(name, _)| *name == unit)
                .map(|(_, scale)| *scale)
                .ok_or_else(|| DurationError::UnknownUnit {
                    text: trimmed.to_string(),
                    unit: unit.to_string(),
                })?;
            let part = parse_scaled(number, scale)
                .ok_or_else(|| DurationError::BadNumber(trimmed.to_string()))?
                .ok_or_else(|| DurationError::Overflow(trimmed.to_string()))?;
            total = total
                .checked_add(part)
                .ok_or_else(|| DurationError::Overflow(trimmed.to_string()))?;
        }
        Ok(SimDuration(total))
    }
}

/// Parses a decimal number and multiplies it by `scale` microseconds.
///
/// Returns `None` if the number is malformed, `Some(None)` on overflow. The
/// integer part is multiplied exactly; the fraction is rounded to the nearest
/// microsecond.
fn parse_scaled(number: &str, scale: u64) -> Option<Option<u64>> {
    let cleaned: String = number.chars().filter(|&c| c != '_').collect();
    let (int_part, frac_part) = match cleaned.split_once('.') {
        Some((i, f)) => (i, f),
        None => (cleaned.as_str(), ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if frac_part.contains('.') {
        return None;
    }
    let int: u64 = if int_part.is_empty() {
        0
    } else {
        match int_part.parse::<u64>() {
            Ok(v) => v,
            Err(_) => return Some(None),
        }
    };
    let whole = match int.checked_mul(scale) {
        Some(v) => v,
        None => return Some(None),
    };
    let frac = if frac_part.is_empty() {
        0
    } else {
        let digits: f64 = format!("0.{frac_part}").parse().ok()?;
        (digits * scale as f64).round() as u64
    };
    Some(whole.checked_add(frac))
}

impl fmt::Display for SimDuration {
    /// Prints the duration as a sum of whole units, largest first, such as
    /// `1h30m` or `1y2w`; zero prints as `0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.0;
        for (name, scale) in PRINT_UNITS {
            let n = rest / scale;
            if n > 0 {
                write!(f, "{n}{name}")?;
                rest -= n * scale;
            }
        }
        Ok(())
    }
}

impl SimDuration {
    /// The duration in one unit, as a scenario file would write it: the
    /// largest unit in which it is a whole number, or a whole number and a
    /// half of years or days (`1.5y`, `30d`, `30h`, `90s`; never mixed units
    /// like `4w2d`, and days rather than weeks). Zero is `0s`. The text
    /// parses back to the same duration.
    pub fn compact(&self) -> String {
        if self.0 == 0 {
            return "0s".into();
        }
        for (name, scale) in PRINT_UNITS.iter().filter(|(n, _)| *n != "w") {
            let thousandths = u128::from(self.0) * 1000;
            if thousandths % u128::from(*scale) == 0 {
                let t = thousandths / u128::from(*scale);
                let (whole, frac) = (t / 1000, t % 1000);
                if frac != 0 && !(frac == 500 && whole > 0 && *scale >= D) {
                    continue;
                }
                return if frac == 0 {
                    format!("{whole}{name}")
                } else {
                    let frac = format!("{frac:03}");
                    format!("{whole}.{}{name}", frac.trim_end_matches('0'))
                };
            }
        }
        self.to_string()
    }
}

impl fmt::Display for SimTime {
    /// Prints the instant as the duration since the start, prefixed by `t+`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t+{}", self.since_start())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> SimDuration {
        s.parse().unwrap()
    }

    #[test]
    fn compact_keeps_one_unit_as_written() {
        for (text, shown) in [
            ("1.5y", "1.5y"),
            ("30d", "30d"),
            ("2w", "14d"),
            ("90m", "90m"),
            ("36h", "1.5d"),
            ("30h", "30h"),
            ("10s", "10s"),
            ("1us", "1us"),
            ("0s", "0s"),
            ("1h1us", "3600000001us"),
        ] {
            assert_eq!(d(text).compact(), shown, "{text}");
        }
    }

    #[test]
    fn parses_every_unit() {
        assert_eq!(d("250ms"), SimDuration::from_millis(250));
        assert_eq!(d("90s"), SimDuration::from_secs(90));
        assert_eq!(d("15m"), SimDuration::from_mins(15));
        assert_eq!(d("15min"), SimDuration::from_mins(15));
        assert_eq!(d("4h"), SimDuration::from_hours(4));
        assert_eq!(d("2d"), SimDuration::from_hours(48));
        assert_eq!(d("1w"), SimDuration::from_hours(168));
        assert_eq!(d("1y"), SimDuration::from_hours(8760));
        assert_eq!(d("7us"), SimDuration::from_micros(7));
    }

    #[test]
    fn parses_decimals_and_sums() {
        assert_eq!(d("1.5h"), SimDuration::from_mins(90));
        assert_eq!(d("1h30m"), SimDuration::from_mins(90));
        assert_eq!(d("2d 12h"), SimDuration::from_hours(60));
        assert_eq!(d(".5s"), SimDuration::from_millis(500));
        assert_eq!(d("1_000h"), SimDuration::from_hours(1000));
        assert_eq!(d("0s"), SimDuration::ZERO);
    }

    #[test]
    fn rejects_bad_input_with_reasons() {
        assert!(matches!(
            "".parse::<SimDuration>(),
            Err(DurationError::Empty)
        ));
        assert!(matches!(
            "-5h".parse::<SimDuration>(),
            Err(DurationError::Negative(_))
        ));
        assert!(matches!(
            "5".parse::<SimDuration>(),
            Err(DurationError::MissingUnit(_))
        ));
        assert!(matches!(
            "5 parsecs".parse::<SimDuration>(),
            Err(DurationError::UnknownUnit { .. })
        ));
        assert!(matches!(
            "1.2.3h".parse::<SimDuration>(),
            Err(DurationError::BadNumber(_))
        ));
        assert!(matches!(
            "h".parse::<SimDuration>(),
            Err(DurationError::BadNumber(_))
        ));
        assert!(matches!(
            "999999999y".parse::<SimDuration>(),
            Err(DurationError::Overflow(_))
        ));
    }

    #[test]
    fn prints_human_units() {
        assert_eq!(d("90s").to_string(), "1m30s");
        assert_eq!(d("1y").to_string(), "1y");
        assert_eq!(d("250ms").to_string(), "250ms");
        assert_eq!(SimDuration::ZERO.to_string(), "0s");
        assert_eq!(SimTime::from_duration(d("4h")).to_string(), "t+4h");
    }

    #[test]
    fn print_then_parse_round_trips() {
        for us in [1u64, 999, 1_000_001, 3_600_000_000, 31_536_000_000_123] {
            let x = SimDuration::from_micros(us);
            assert_eq!(x.to_string().parse::<SimDuration>().unwrap(), x);
        }
    }

    #[test]
    fn float_hours_round_once_and_saturate() {
        assert_eq!(SimDuration::from_hours_f64(1.0), SimDuration::from_hours(1));
        assert_eq!(SimDuration::from_hours_f64(-3.0), SimDuration::ZERO);
        assert_eq!(SimDuration::from_hours_f64(f64::NAN), SimDuration::ZERO);
        assert_eq!(SimDuration::from_hours_f64(1e30), SimDuration::MAX);
        assert_eq!(SimDuration::from_hours(3).as_hours_f64(), 3.0);
    }

    #[test]
    fn arithmetic_saturates() {
        assert_eq!(SimTime::MAX + SimDuration::from_secs(1), SimTime::MAX);
        assert_eq!(SimTime::ZERO - SimTime::from_micros(5), SimDuration::ZERO);
        assert_eq!(
            SimDuration::MAX.checked_add(SimDuration::from_micros(1)),
            None
        );
        assert_eq!(
            SimDuration::from_secs(1).checked_sub(SimDuration::from_secs(2)),
            None
        );
    }
}
