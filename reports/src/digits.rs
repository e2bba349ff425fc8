//! Shares printed as percentages with enough digits to tell them from
//! 100%: a service that was down for a second in a year is not "100.0000%".

/// The most decimals a percentage is printed with: past them an `f64`
/// near one holds no more digits.
const MAX_DECIMALS: usize = 13;

/// `x` as a percentage with at least `decimals` decimals, and more where
/// fewer would round a share below one up to `100.0…%` (or one above
/// zero down to `0.0…%`), up to [`MAX_DECIMALS`].
///
/// ```
/// use reports::digits::percent;
/// assert_eq!(percent(0.99995, 4), "99.9950%");
/// assert_eq!(percent(1.0 - 3e-9, 4), "99.9999997%");
/// assert_eq!(percent(1.0, 4), "100.0000%");
/// ```
pub fn percent(x: f64, decimals: usize) -> String {
    let mut d = decimals;
    loop {
        let text = format!("{:.*}%", d, 100.0 * x);
        let rounds_to_whole = (x < 1.0 && text.starts_with("100."))
            || (x > 0.0 && text.trim_start_matches(['0', '.']) == "%");
        if !rounds_to_whole || d >= MAX_DECIMALS {
            return text;
        }
        d += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn downtime_is_never_printed_as_a_whole_hundred() {
        // One second down in a year.
        let a = 1.0 - 1.0 / (8760.0 * 3600.0);
        assert_eq!(percent(a, 4), "99.999997%");
        assert_eq!(percent(a, 5), "99.999997%");
        assert_eq!(percent(0.999, 5), "99.90000%");
        assert_eq!(percent(1.0, 5), "100.00000%");
        assert_eq!(percent(1e-9, 2), "0.0000001%");
        assert_eq!(percent(0.0, 2), "0.00%");
        // Down to the last digits an f64 holds near one.
        assert_eq!(percent(1.0 - 1.2e-15, 5), "99.9999999999999%");
    }
}
