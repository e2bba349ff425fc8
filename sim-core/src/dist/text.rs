//! The text syntax of distributions: `name(parameter = value, ...)`.

use std::str::FromStr;

use super::{Dist, DistError, Family};
use crate::time::SimDuration;

/// One argument inside the parentheses.
#[derive(Clone, Copy, Debug)]
struct Arg<'a> {
    /// The name before `=`, as written (compared case-insensitively); `None`
    /// for a bare value.
    key: Option<&'a str>,
    /// The value, trimmed.
    value: &'a str,
}

/// Splits the text between the parentheses into arguments.
fn split_args(family: Family, inner: &str) -> Result<Vec<Arg<'_>>, DistError> {
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    inner
        .split(',')
        .map(|piece| {
            let piece = piece.trim();
            if piece.is_empty() {
                return Err(DistError::EmptyArgument {
                    dist: family.name(),
                    expected: family.expected(),
                });
            }
            Ok(match piece.split_once('=') {
                Some((key, value)) => Arg {
                    key: Some(key.trim()),
                    value: value.trim(),
                },
                None => Arg {
                    key: None,
                    value: piece,
                },
            })
        })
        .collect()
}

/// Sorts named arguments into the slots of `keys`, rejecting unknown,
/// repeated and (unless `positional` names the slot they go to) unnamed
/// arguments.
fn named<'a, const N: usize>(
    family: Family,
    args: &[Arg<'a>],
    keys: [&'static str; N],
    positional: Option<&'static str>,
) -> Result<[Option<&'a str>; N], DistError> {
    let mut slots = [None; N];
    for arg in args {
        let key = match (arg.key, positional) {
            (Some(k), _) => k,
            (None, Some(p)) => p,
            (None, None) => {
                return Err(DistError::UnnamedParam {
                    dist: family.name(),
                    text: arg.value.to_string(),
                    expected: family.expected(),
                });
            }
        };
        let index = keys
            .iter()
            .position(|k| k.eq_ignore_ascii_case(key))
            .ok_or_else(|| DistError::UnknownParam {
                dist: family.name(),
                param: key.to_string(),
                expected: family.expected(),
            })?;
        if slots[index].is_some() {
            return Err(DistError::DuplicateParam {
                dist: family.name(),
                param: keys[index].to_string(),
            });
        }
        slots[index] = Some(arg.value);
    }
    Ok(slots)
}

/// The value of a required parameter.
fn required<'a>(
    family: Family,
    param: &'static str,
    slot: Option<&'a str>,
) -> Result<&'a str, DistError> {
    slot.ok_or(DistError::MissingParam {
        dist: family.name(),
        param,
        expected: family.expected(),
    })
}

/// Exactly one of two alternative parameters: `Ok(Left)` for the first.
fn one_of<'a>(
    family: Family,
    (first, a): (&'static str, Option<&'a str>),
    (second, b): (&'static str, Option<&'a str>),
) -> Result<Either<&'a str>, DistError> {
    match (a, b) {
        (Some(a), None) => Ok(Either::First(a)),
        (None, Some(b)) => Ok(Either::Second(b)),
        (Some(_), Some(_)) => Err(DistError::ConflictingParams {
            dist: family.name(),
            first,
            second,
            expected: family.expected(),
        }),
        (None, None) => Err(DistError::MissingParam {
            dist: family.name(),
            param: first,
            expected: family.expected(),
        }),
    }
}

/// Which of two alternatives was given.
#[derive(Clone, Copy, Debug)]
enum Either<T> {
    First(T),
    Second(T),
}

/// Parses a duration parameter.
fn parse_duration(
    family: Family,
    param: &'static str,
    text: &str,
) -> Result<SimDuration, DistError> {
    text.parse().map_err(|error| DistError::BadDuration {
        dist: family.name(),
        param,
        error,
    })
}

/// Parses a plain number parameter (a shape or a count).
fn parse_number(family: Family, param: &'static str, text: &str) -> Result<f64, DistError> {
    text.parse().map_err(|_| DistError::BadNumber {
        dist: family.name(),
        param,
        text: text.to_string(),
    })
}

/// Parses `count/duration`, where a bare unit means one of it: `2/y`,
/// `0.001/h`, `1/1000h`.
fn parse_rate(text: &str) -> Result<(f64, SimDuration), DistError> {
    let family = Family::Exponential;
    let (count, per) = text.split_once('/').ok_or_else(|| DistError::BadRate {
        text: text.to_string(),
    })?;
    let count = parse_number(family, "rate", count.trim())?;
    let per = per.trim();
    let per = if per.starts_with(|c: char| c.is_ascii_alphabetic()) {
        parse_duration(family, "rate", &format!("1{per}"))?
    } else {
        parse_duration(family, "rate", per)?
    };
    Ok((count, per))
}

impl FromStr for Dist {
    type Err = DistError;

    /// Parses the syntax described in the [module documentation](crate::dist).
    /// Never panics, whatever the text.
    fn from_str(text: &str) -> Result<Dist, DistError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DistError::Empty);
        }
        let Some(open) = text.find('(') else {
            return Err(match Family::from_name(&text.to_ascii_lowercase()) {
                Some(_) => DistError::MissingParen {
                    text: text.to_string(),
                },
                None => DistError::UnknownName {
                    name: text.to_string(),
                },
            });
        };
        let name = text[..open].trim();
        let family = Family::from_name(&name.to_ascii_lowercase()).ok_or_else(|| {
            DistError::UnknownName {
                name: name.to_string(),
            }
        })?;
        let inner = text[open + 1..]
            .strip_suffix(')')
            .ok_or_else(|| DistError::MissingParen {
                text: text.to_string(),
            })?;
        let args = split_args(family, inner)?;
        let d = |param: &'static str, text: &str| parse_duration(family, param, text);
        match family {
            Family::Exponential => {
                let [mean, rate] = named(family, &args, ["mean", "rate"], None)?;
                match one_of(family, ("mean", mean), ("rate", rate))? {
                    Either::First(mean) => Dist::exponential_mean(d("mean", mean)?),
                    Either::Second(rate) => {
                        let (count, per) = parse_rate(rate)?;
                        Dist::exponential_rate(count, per)
                    }
                }
            }
            Family::Weibull | Family::Gamma => {
                let [shape, scale, mean] = named(family, &args, ["shape", "scale", "mean"], None)?;
                let shape = parse_number(family, "shape", required(family, "shape", shape)?)?;
                let second = one_of(family, ("scale", scale), ("mean", mean))?;
                match (family, second) {
                    (Family::Weibull, Either::First(s)) => {
                        Dist::weibull_scale(shape, d("scale", s)?)
                    }
                    (Family::Weibull, Either::Second(m)) => {
                        Dist::weibull_mean(shape, d("mean", m)?)
                    }
                    (_, Either::First(s)) => Dist::gamma_scale(shape, d("scale", s)?),
                    (_, Either::Second(m)) => Dist::gamma_mean(shape, d("mean", m)?),
                }
            }
            Family::LogNormal => {
                let [mean, sd, median, p95] =
                    named(family, &args, ["mean", "sd", "median", "p95"], None)?;
                let by_mean = mean.is_some() || sd.is_some();
                let by_median = median.is_some() || p95.is_some();
                if by_mean && by_median {
                    let first = if mean.is_some() { "mean" } else { "sd" };
                    let second = if median.is_some() { "median" } else { "p95" };
                    return Err(DistError::ConflictingParams {
                        dist: family.name(),
                        first,
                        second,
                        expected: family.expected(),
                    });
                }
                if by_median {
                    let median = d("median", required(family, "median", median)?)?;
                    let p95 = d("p95", required(family, "p95", p95)?)?;
                    Dist::lognormal_median_p95(median, p95)
                } else {
                    let mean = d("mean", required(family, "mean", mean)?)?;
                    let sd = d("sd", required(family, "sd", sd)?)?;
                    Dist::lognormal_mean_sd(mean, sd)
                }
            }
            Family::Uniform => {
                let [min, max] = named(family, &args, ["min", "max"], None)?;
                let min = d("min", required(family, "min", min)?)?;
                let max = d("max", required(family, "max", max)?)?;
                Dist::uniform(min, max)
            }
            Family::Deterministic => {
                let [value] = named(family, &args, ["value"], Some("value"))?;
                Ok(Dist::deterministic(d(
                    "value",
                    required(family, "value", value)?,
                )?))
            }
            Family::Empirical => {
                let values = args
                    .iter()
                    .map(|arg| match arg.key {
                        Some(key) => Err(DistError::UnknownParam {
                            dist: family.name(),
                            param: key.to_string(),
                            expected: family.expected(),
                        }),
                        None => d("value", arg.value),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Dist::empirical(values)
            }
        }
    }
}
