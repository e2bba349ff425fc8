//! Why a distribution could not be built or parsed.

use crate::time::DurationError;

/// Why a distribution could not be built or parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DistError {
    /// The text was empty.
    #[error("empty distribution; expected text such as `exponential(mean = 1000h)`")]
    Empty,
    /// The name is not a known distribution.
    #[error(
        "unknown distribution `{name}`; expected one of exponential, weibull, lognormal, gamma, uniform, deterministic, empirical"
    )]
    UnknownName {
        /// The name as written.
        name: String,
    },
    /// The text is not `name(...)`: a parenthesis is missing.
    #[error(
        "missing parenthesis in `{text}`; expected `name(parameters)` such as `exponential(mean = 1000h)`"
    )]
    MissingParen {
        /// The whole text.
        text: String,
    },
    /// A parameter name is not accepted by this distribution.
    #[error("unknown parameter `{param}` for {dist}; expected {expected}")]
    UnknownParam {
        /// The distribution's name.
        dist: &'static str,
        /// The parameter as written.
        param: String,
        /// The parameters the distribution accepts.
        expected: &'static str,
    },
    /// A parameter was given twice.
    #[error("parameter `{param}` given twice to {dist}; give it once")]
    DuplicateParam {
        /// The distribution's name.
        dist: &'static str,
        /// The repeated parameter.
        param: String,
    },
    /// A required parameter is missing.
    #[error("missing parameter `{param}` for {dist}; expected {expected}")]
    MissingParam {
        /// The distribution's name.
        dist: &'static str,
        /// The missing parameter (the first of the alternatives, if any).
        param: &'static str,
        /// The parameters the distribution accepts.
        expected: &'static str,
    },
    /// Two parameters that are alternatives to each other were both given.
    #[error(
        "parameters `{first}` and `{second}` of {dist} cannot be given together; expected {expected}"
    )]
    ConflictingParams {
        /// The distribution's name.
        dist: &'static str,
        /// One parameter.
        first: &'static str,
        /// The other parameter.
        second: &'static str,
        /// The parameters the distribution accepts.
        expected: &'static str,
    },
    /// A value was given without `name =` where a name is required.
    #[error("unnamed argument `{text}` to {dist}; expected {expected}")]
    UnnamedParam {
        /// The distribution's name.
        dist: &'static str,
        /// The argument as written.
        text: String,
        /// The parameters the distribution accepts.
        expected: &'static str,
    },
    /// An argument was empty, as in `empirical(1h,,2h)` or a trailing comma.
    #[error("empty argument to {dist}; expected {expected}, separated by single commas")]
    EmptyArgument {
        /// The distribution's name.
        dist: &'static str,
        /// The parameters the distribution accepts.
        expected: &'static str,
    },
    /// A shape, mean, scale, standard deviation or rate is zero, negative,
    /// or not finite.
    #[error("`{param}` of {dist} must be a positive finite number, got `{value}`")]
    NotPositive {
        /// The distribution's name.
        dist: &'static str,
        /// The parameter.
        param: &'static str,
        /// The value as printed.
        value: String,
    },
    /// A uniform distribution's minimum is above its maximum.
    #[error("uniform min `{min}` is greater than max `{max}`; expected min <= max")]
    MinAboveMax {
        /// The minimum as printed.
        min: String,
        /// The maximum as printed.
        max: String,
    },
    /// An empirical distribution has no values.
    #[error("empirical needs at least one duration, as in `empirical(1h, 2h, 5h)`")]
    EmptyEmpirical,
    /// A number (a shape or a rate's count) is malformed.
    #[error(
        "malformed number `{text}` for `{param}` of {dist}; expected a number such as `2` or `0.5`"
    )]
    BadNumber {
        /// The distribution's name.
        dist: &'static str,
        /// The parameter.
        param: &'static str,
        /// The text as written.
        text: String,
    },
    /// A rate is not `count/duration`.
    #[error(
        "malformed rate `{text}` for exponential; expected a count per duration such as `2/y`, `0.001/h` or `1/1000h`"
    )]
    BadRate {
        /// The text as written.
        text: String,
    },
    /// A duration is malformed.
    #[error("bad duration for `{param}` of {dist}: {error}")]
    BadDuration {
        /// The distribution's name.
        dist: &'static str,
        /// The parameter.
        param: &'static str,
        /// Why the duration did not parse.
        error: DurationError,
    },
    /// The parameters are each valid but together give a distribution that
    /// cannot be represented (an overflowing mean, say), or a log-normal's
    /// 95th percentile is not above its median.
    #[error("{dist} parameters out of range: {reason}")]
    OutOfRange {
        /// The distribution's name.
        dist: &'static str,
        /// What is wrong.
        reason: String,
    },
}
