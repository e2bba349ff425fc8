//! A service's `health_check` table: the interval, the thresholds, the
//! false failures of checks of a healthy instance and what checking costs.

use models::system::spec::{HealthCheckSpec, UpRule};
use serde_spanned::Spanned;

use super::Builder;
use crate::system_file::HealthCheckFile;

/// The highest false-failure probability accepted: beyond it a check
/// fails a healthy instance more often than it passes, which is a broken
/// check rather than a flaky one.
const MAX_FALSE_FAILURE: f64 = 0.5;

impl Builder<'_> {
    /// `health_check = { interval, unhealthy_threshold, healthy_threshold,
    /// false_failure, checkers, check_cost }`; under a capacity up rule,
    /// the checks must leave each instance some capacity. `Some(None)` is
    /// never returned: `None` means a diagnostic was recorded.
    pub(super) fn health_check(
        &mut self,
        h: &Spanned<HealthCheckFile>,
        up_rule: Option<&UpRule>,
    ) -> Option<HealthCheckSpec> {
        let file = h.get_ref();
        let interval = self
            .c
            .duration(&file.interval, "service.health_check.interval");
        let int = |c: &mut crate::check::Checker<'_>,
                   v: &Option<Spanned<i64>>,
                   key: &str,
                   max: i64,
                   default: i64| match v {
            Some(v) => c.int_in(v, key, 1, max),
            None => Some(default),
        };
        let unhealthy = int(
            &mut self.c,
            &file.unhealthy_threshold,
            "service.health_check.unhealthy_threshold",
            1000,
            3,
        );
        let healthy = int(
            &mut self.c,
            &file.healthy_threshold,
            "service.health_check.healthy_threshold",
            1000,
            2,
        );
        let checkers = int(
            &mut self.c,
            &file.checkers,
            "service.health_check.checkers",
            1000,
            1,
        );
        let false_failure = match &file.false_failure {
            None => Some(0.0),
            Some(v) => match v.get_ref().value() {
                Some(x) if (0.0..=MAX_FALSE_FAILURE).contains(&x) => Some(x),
                _ => {
                    self.c.error(
                        v.span(),
                        "service.health_check.false_failure",
                        "expected the probability that one check of a healthy instance fails, from 0 to 50%, as a number (0.005) or a percentage (\"0.5%\")".into(),
                    );
                    None
                }
            },
        };
        let check_cost = match &file.check_cost {
            None => Some(0.0),
            Some(v) => {
                let x = *v.get_ref();
                if x >= 0.0 && x.is_finite() {
                    Some(x)
                } else {
                    self.c.error(
                        v.span(),
                        "service.health_check.check_cost",
                        format!("{x} is not a cost; expected the work one check costs an instance, in requests, 0 or more (such as 1)"),
                    );
                    None
                }
            }
        };
        let interval = match interval {
            Some(i) if i.is_zero() => {
                self.c.error(
                    file.interval.span(),
                    "service.health_check.interval",
                    "expected a positive time between checks, such as \"10s\"".into(),
                );
                None
            }
            other => other,
        };
        let spec = HealthCheckSpec {
            interval: interval?,
            unhealthy_threshold: unhealthy? as u32,
            healthy_threshold: healthy? as u32,
            false_failure: false_failure?,
            checkers: checkers? as u32,
            check_cost: check_cost?,
        };
        if let Some(UpRule::Capacity {
            per_instance_rps, ..
        }) = up_rule
            && spec.check_load_rps() >= *per_instance_rps
        {
            let span = file
                .check_cost
                .as_ref()
                .map_or_else(|| h.span(), Spanned::span);
            self.c.error(
                span,
                "service.health_check.check_cost",
                format!(
                    "{} checkers each costing {} requests every {} take {} rps from each instance, all of its capacity of {per_instance_rps} rps; expected cheaper, fewer or rarer checks",
                    spec.checkers,
                    spec.check_cost,
                    spec.interval,
                    spec.check_load_rps()
                ),
            );
            return None;
        }
        Some(spec)
    }
}
