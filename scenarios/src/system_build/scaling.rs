//! A service's `autoscale` table: the bounds, the target utilisation, the
//! scale-out delay, the cooldown and the per-zone limit.

use models::system::spec::{AutoscaleSpec, UpRule};
use serde_spanned::Spanned;
use sim_core::time::SimDuration;

use super::Builder;
use crate::system_file::{AutoscaleFile, ServiceFile};

/// The default target utilisation.
const DEFAULT_TARGET: f64 = 0.7;

impl Builder<'_> {
    /// `autoscale = { min, max, target_utilisation, scale_out_delay,
    /// cooldown, per_zone_max }` of service `s`, placed on `placed`
    /// instances (`None` if placement failed). Needs a capacity up rule,
    /// and refuses failover and health checks. `Some(None)` is never
    /// returned: `None` means a diagnostic was recorded.
    pub(super) fn autoscale(
        &mut self,
        a: &Spanned<AutoscaleFile>,
        s: &ServiceFile,
        up_rule: Option<&UpRule>,
        placed: Option<usize>,
    ) -> Option<AutoscaleSpec> {
        let file = a.get_ref();
        let key = "service.autoscale";
        let mut ok = true;
        if !matches!(up_rule, Some(UpRule::Capacity { .. }) | None) {
            self.c.error(
                a.span(),
                key,
                "autoscaling needs a capacity up rule; expected `capacity_rps` and `load_rps` on this service".into(),
            );
            ok = false;
        }
        if s.failover.is_some() || s.health_check.is_some() {
            self.c.error(
                a.span(),
                key,
                "autoscaling works on an active-active pool without health checks; expected no `failover` and no `health_check` on this service".into(),
            );
            ok = false;
        }
        let placed = placed? as i64;
        let max = match &file.max {
            Some(v) => self.c.int_in(v, "service.autoscale.max", 1, placed.max(1)),
            None => Some(placed),
        };
        let min = match &file.min {
            Some(v) => {
                let hi = max.unwrap_or(placed).max(1);
                self.c.int_in(v, "service.autoscale.min", 1, hi)
            }
            None => Some(1),
        };
        let target = match &file.target_utilisation {
            None => Some(DEFAULT_TARGET),
            Some(v) => match v.get_ref().value() {
                Some(x) if x > 0.0 && x <= 1.0 => Some(x),
                _ => {
                    self.c.error(
                        v.span(),
                        "service.autoscale.target_utilisation",
                        "expected the share of an instance's capacity to aim for, above 0 and at most 100%, as a number (0.6) or a percentage (\"60%\")".into(),
                    );
                    None
                }
            },
        };
        let mut duration = |v: &Option<Spanned<String>>, key: &str, default: u64| match v {
            Some(v) => self.c.duration(v, key),
            None => Some(SimDuration::from_mins(default)),
        };
        let delay = duration(
            &file.scale_out_delay,
            "service.autoscale.scale_out_delay",
            5,
        );
        let cooldown = duration(&file.cooldown, "service.autoscale.cooldown", 15);
        let per_zone_max = match &file.per_zone_max {
            Some(v) => self
                .c
                .int_in(v, "service.autoscale.per_zone_max", 1, i64::from(u32::MAX))
                .map(Some),
            None => Some(None),
        };
        if !ok {
            return None;
        }
        Some(AutoscaleSpec {
            min: u32::try_from(min?).ok()?,
            max: u32::try_from(max?).ok()?,
            target_utilisation: target?,
            scale_out_delay: delay?,
            cooldown: cooldown?,
            per_zone_max: per_zone_max?.map(|z| z as u32),
        })
    }
}
