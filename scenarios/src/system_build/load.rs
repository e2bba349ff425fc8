//! `[load]`: a repeating curve of the offered load, checked against the
//! capacity of the services it scales.

use models::system::spec::{LoadCurve, UpRule};

use super::Builder;
use crate::system_file::SystemFile;

impl Builder<'_> {
    /// The load curve, if the file has one; `Err` when it had an error.
    pub(super) fn load_curve(&mut self, file: &SystemFile) -> Result<Option<LoadCurve>, ()> {
        let Some(load) = &file.load else {
            return Ok(None);
        };
        let load = load.get_ref();
        let period = self.c.duration(&load.period, "load.period");
        if period.is_some_and(|p| p.is_zero()) {
            self.c.error(
                load.period.span(),
                "load.period",
                "the period is zero; expected the length of one cycle, such as \"1d\"".into(),
            );
        }
        let curve = load.curve.get_ref();
        if curve.is_empty() {
            self.c.error(
                load.curve.span(),
                "load.curve",
                "the curve has no steps; expected a list such as [{ at = \"0h\", factor = 0.5 }, { at = \"9h\", factor = 1.0 }]".into(),
            );
            return Err(());
        }
        let mut ok = period.is_some_and(|p| !p.is_zero());
        let mut steps = Vec::new();
        let mut previous = None;
        for step in curve {
            let step = step.get_ref();
            let at = self.c.duration(&step.at, "load.curve.at");
            let factor = *step.factor.get_ref();
            if !(factor >= 0.0 && factor.is_finite()) {
                self.c.error(
                    step.factor.span(),
                    "load.curve.factor",
                    format!("factor = {factor}; expected a non-negative multiple of the usual load, such as 1.5"),
                );
                ok = false;
            }
            let Some(at) = at else {
                ok = false;
                continue;
            };
            match previous {
                None if !at.is_zero() => {
                    self.c.error(
                        step.at.span(),
                        "load.curve.at",
                        format!("the first step starts at {at}; expected \"0s\", so that the curve covers the whole period"),
                    );
                    ok = false;
                }
                Some(p) if at <= p => {
                    self.c.error(
                        step.at.span(),
                        "load.curve.at",
                        format!("{at} does not come after the step before ({p}); expected steps in increasing time order"),
                    );
                    ok = false;
                }
                _ => {}
            }
            if let Some(p) = period
                && at >= p
            {
                self.c.error(
                    step.at.span(),
                    "load.curve.at",
                    format!("{at} is not inside the period of {p}; expected an offset below it"),
                );
                ok = false;
            }
            previous = Some(at);
            steps.push((at, factor));
        }
        if !ok {
            return Err(());
        }
        let curve = LoadCurve {
            period: period.ok_or(())?,
            steps,
        };
        self.peak_fits(&curve, file);
        Ok(Some(curve))
    }

    /// Reports each capacity service whose instances could not carry the
    /// curve's peak even when all are healthy: it would be down every day.
    fn peak_fits(&mut self, curve: &LoadCurve, file: &SystemFile) {
        let peak = curve.peak();
        let Some(load) = &file.load else {
            return;
        };
        let span = load.get_ref().curve.span();
        let scaled = self
            .services
            .iter()
            .any(|s| matches!(s.up_rule, Some(UpRule::Capacity { .. })));
        if !scaled && self.services.iter().all(|s| s.up_rule.is_some()) {
            self.c.error(
                load.span(),
                "load",
                "the curve scales the load of services with `capacity_rps` and `load_rps`, and no service has them; expected at least one such service".into(),
            );
        }
        for s in &self.services {
            let (
                Some(UpRule::Capacity {
                    per_instance_rps,
                    load_rps,
                }),
                Some(instances),
            ) = (s.up_rule, &s.instances)
            else {
                continue;
            };
            let capacity = per_instance_rps * instances.len() as f64;
            if load_rps * peak > capacity {
                self.c.error(
                    span.clone(),
                    "load.curve",
                    format!(
                        "at the curve's peak (factor {peak}) service `{}` is offered {} rps but all {} instances serve only {capacity} rps, so it would be down at every peak; expected a lower peak or more capacity",
                        s.name,
                        load_rps * peak,
                        instances.len()
                    ),
                );
            }
        }
    }
}
