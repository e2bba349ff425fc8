//! Paired differences between two designs run under common random numbers:
//! the mean of the per-replication differences with its Student-t interval,
//! and the interval independent runs would have given, to show what the
//! pairing gained.

use reports::PairedDifference;
use sim_core::stats::{CONFIDENCE_95, Estimate, Welford, t_quantile};

/// The paired difference `design − baseline` of two per-replication series
/// (replication `r` of each at index `r`), or `None` with fewer than two
/// replications or series of different lengths.
pub(crate) fn paired_difference(baseline: &[f64], design: &[f64]) -> Option<PairedDifference> {
    if baseline.len() != design.len() {
        return None;
    }
    let mut diff = Welford::new();
    let mut a = Welford::new();
    let mut b = Welford::new();
    for (&x, &y) in baseline.iter().zip(design) {
        diff.push(y - x);
        a.push(x);
        b.push(y);
    }
    let e = Estimate::from_welford(&diff, CONFIDENCE_95)?;
    let unpaired = unpaired_half_width(&a, &b);
    Some(PairedDifference {
        mean: e.mean,
        ci95_low: e.ci_low,
        ci95_high: e.ci_high,
        unpaired_ci95_half_width: unpaired,
        pairing_ratio: unpaired.map(|u| e.half_width / u),
        significant: e.ci_high < 0.0 || e.ci_low > 0.0,
    })
}

/// The 95% half-width of the difference of two means estimated from
/// independent samples (Welch: the standard errors added in quadrature,
/// with the Welch–Satterthwaite degrees of freedom); `None` when neither
/// sample varies.
fn unpaired_half_width(a: &Welford, b: &Welford) -> Option<f64> {
    let (va, vb) = (
        a.variance() / a.count() as f64,
        b.variance() / b.count() as f64,
    );
    let v = va + vb;
    if v.is_nan() || v <= 0.0 {
        return None;
    }
    let df = v * v / (va * va / (a.count() - 1) as f64 + vb * vb / (b.count() - 1) as f64);
    Some(t_quantile(CONFIDENCE_95, df) * v.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_against_itself_differs_by_exactly_zero() {
        let x = [3.0, 0.0, 17.5, 2.25];
        let d = paired_difference(&x, &x).unwrap();
        assert_eq!((d.mean, d.ci95_low, d.ci95_high), (0.0, 0.0, 0.0));
        assert_eq!(d.pairing_ratio, Some(0.0));
    }

    #[test]
    fn hand_computed_example() {
        // Differences 1, 1, 1, 2: mean 1.25, sd 0.5, t(3) = 3.1824.
        let d = paired_difference(&[1.0, 2.0, 3.0, 4.0], &[2.0, 3.0, 4.0, 6.0]).unwrap();
        assert!((d.mean - 1.25).abs() < 1e-12);
        let half = 3.182_446_305 * 0.5 / 2.0;
        assert!((d.ci95_high - d.mean - half).abs() < 1e-6, "{d:?}");
        // Unpaired: variances 5/3 and 35/12, Welch df 5.585.
        let (va, vb) = (5.0 / 3.0 / 4.0, 35.0 / 12.0 / 4.0);
        let df = (va + vb) * (va + vb) / ((va * va + vb * vb) / 3.0);
        let unpaired = t_quantile(0.95, df) * (va + vb).sqrt();
        assert!((d.unpaired_ci95_half_width.unwrap() - unpaired).abs() < 1e-9);
        assert!(d.pairing_ratio.unwrap() < 0.5, "{d:?}");
    }

    #[test]
    fn positively_correlated_series_gain_from_pairing() {
        let base: Vec<f64> = (0..50).map(|i| ((i * 37) % 11) as f64 * 10.0).collect();
        let design: Vec<f64> = base
            .iter()
            .enumerate()
            .map(|(i, x)| x * 0.5 + (i % 3) as f64)
            .collect();
        let d = paired_difference(&base, &design).unwrap();
        assert!(d.pairing_ratio.unwrap() < 1.0, "{d:?}");
    }

    #[test]
    fn constant_series_have_no_unpaired_interval() {
        let d = paired_difference(&[1.0, 1.0, 1.0], &[3.0, 3.0, 3.0]).unwrap();
        assert_eq!((d.mean, d.ci95_low, d.ci95_high), (2.0, 2.0, 2.0));
        assert_eq!(d.unpaired_ci95_half_width, None);
        assert_eq!(d.pairing_ratio, None);
    }

    #[test]
    fn too_short_or_mismatched_series_have_no_interval() {
        assert_eq!(paired_difference(&[1.0], &[2.0]), None);
        assert_eq!(paired_difference(&[1.0, 2.0], &[2.0]), None);
    }
}
