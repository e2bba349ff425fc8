//! Autoscaling: a capacity-rule service that runs between `min` and `max`
//! of its placed instances, as many as its offered load needs at a target
//! utilisation.

use sim_core::time::SimDuration;

/// How an autoscaled service follows its offered load.
///
/// The service's placed instances are the pool of slots the scaler may
/// run (spread over zones as placed); `max` caps how many run at once and
/// `per_zone_max` how many run in one zone. The scaler wants
/// [`AutoscaleSpec::wanted`] instances. With fewer healthy running or
/// launching instances than that (the load rose, or a host, rack or zone
/// fault took some), it launches the missing ones at once on healthy
/// stopped slots, in the zones with fewest running first (ties by slot
/// index); each counts for capacity `scale_out_delay` later. With more,
/// it stops the surplus (launching ones first, then the highest slots of
/// the zones with most running) once `cooldown` has passed since the
/// last scaling action (a launch or a stop). An instance whose slot
/// fails is gone: it stops, and the scaler replaces it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AutoscaleSpec {
    /// The fewest instances it runs, at least 1.
    pub min: u32,
    /// The most instances it runs, at most the placed instances.
    pub max: u32,
    /// The share of an instance's capacity the scaler aims to use, in
    /// (0, 1].
    pub target_utilisation: f64,
    /// Time from launching an instance to its serving.
    pub scale_out_delay: SimDuration,
    /// Time after a scaling action before the scaler may stop instances.
    pub cooldown: SimDuration,
    /// The most instances running (or launching) in one zone; `None`: no
    /// limit beyond the slots placed there.
    pub per_zone_max: Option<u32>,
}

impl AutoscaleSpec {
    /// The instances wanted for `load_rps` offered to instances of
    /// `capacity_rps` each: `ceil(load / (capacity * target))`, clamped to
    /// `[min, max]`. A ratio within a billionth of an integer counts as
    /// that integer, so that `300 / (100 * 0.6) = 5`, not 6.
    pub fn wanted(&self, load_rps: f64, capacity_rps: f64) -> u32 {
        let per = capacity_rps * self.target_utilisation;
        let n = if per > 0.0 {
            let x = load_rps / per;
            let r = x.round();
            if (x - r).abs() <= 1e-9 * r.max(1.0) {
                r
            } else {
                x.ceil()
            }
        } else {
            f64::from(self.max)
        };
        (n.clamp(0.0, f64::from(u32::MAX)) as u32).clamp(self.min, self.max)
    }

    /// Checks `1 <= min <= max <= placed`, the target in (0, 1] and
    /// `per_zone_max` at least 1.
    pub fn validate(&self, placed: usize) -> Result<(), String> {
        if self.min == 0 {
            return Err("min is 0; expected at least 1".into());
        }
        if self.min > self.max {
            return Err(format!(
                "min {} is above max {}; expected min <= max",
                self.min, self.max
            ));
        }
        if self.max as usize > placed {
            return Err(format!(
                "max {} is above the {placed} placed instances; expected at most {placed}",
                self.max
            ));
        }
        if !(self.target_utilisation > 0.0 && self.target_utilisation <= 1.0) {
            return Err(format!(
                "target_utilisation {}; expected a share in (0, 1]",
                self.target_utilisation
            ));
        }
        if self.per_zone_max == Some(0) {
            return Err("per_zone_max is 0; expected at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> AutoscaleSpec {
        AutoscaleSpec {
            min: 2,
            max: 12,
            target_utilisation: 0.6,
            scale_out_delay: SimDuration::from_mins(5),
            cooldown: SimDuration::from_mins(15),
            per_zone_max: None,
        }
    }

    #[test]
    fn wanted_rounds_up_and_clamps() {
        let a = spec();
        assert_eq!(a.wanted(300.0, 100.0), 5);
        assert_eq!(a.wanted(301.0, 100.0), 6);
        assert_eq!(a.wanted(10.0, 100.0), 2);
        assert_eq!(a.wanted(1e6, 100.0), 12);
    }

    #[test]
    fn validation_refuses_bad_bounds() {
        let mut a = spec();
        assert!(a.validate(12).is_ok());
        assert!(a.validate(11).unwrap_err().contains("max 12"));
        a.min = 13;
        assert!(a.validate(12).unwrap_err().contains("min 13"));
        a.min = 2;
        a.target_utilisation = 1.5;
        assert!(a.validate(12).unwrap_err().contains("(0, 1]"));
    }
}
