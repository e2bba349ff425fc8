//! The patterns (ECMA-262 regular expressions, as JSON Schema uses) that
//! the schema gives text values with units, so that an editor flags `4 h`
//! spelt `4hours` or a rate without its `/` as the user types. Each is as
//! loose as the parser it stands for, never stricter: a file nines reads
//! must not be marked wrong (the tests hold each pattern against its
//! parser).

/// A number as a duration's parts write it: digits with `_` separators
/// and an optional fraction.
const NUMBER: &str = r"(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)";

/// The units of a duration (longest first where one is a prefix of another).
const UNITS: &str = "(?:us|ms|min|s|m|h|d|w|y)";

/// A duration: one or more parts, each a number and a unit (`250ms`,
/// `1.5h`, `1h30m`, `2d 12h`).
pub(crate) fn duration() -> String {
    format!(r"^\s*(?:{NUMBER}\s*{UNITS}\s*)+$")
}

/// A distribution: a name and its parameters in parentheses (the name's
/// spelling is checked by `nines check`, which also takes it in any case).
pub(crate) fn distribution() -> String {
    r"^\s*[A-Za-z]+\s*\(.*\)\s*$".to_string()
}

/// A size, a decimal number with an optional exponent and a unit of
/// bytes (`4KB`, `1.5 MB`, `64KiB`).
pub(crate) fn size() -> String {
    r"^\s*(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*(?:B|KB|kB|MB|GB|KiB|MiB|GiB)\s*$"
        .to_string()
}

/// An amount per time, `amount/duration` (`500/s`, `1.8M/h`, `90/30d`):
/// a decimal number with an optional exponent, `k` or `M`, then a
/// duration or a bare unit.
pub(crate) fn per_time() -> String {
    format!(
        r"^\s*(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*[kM]?\s*/\s*(?:{UNITS}|(?:{NUMBER}\s*{UNITS}\s*)+)\s*$"
    )
}
