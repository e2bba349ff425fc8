//! The load curve: piecewise constant multiples of the usual load over a
//! repeating period.

use sim_core::time::{SimDuration, SimTime};

/// A repeating load curve: piecewise constant multiples of the usual load.
///
/// Step `i` holds from its offset into the period until the next step's
/// offset (the last until the period ends); the curve then repeats.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadCurve {
    /// The length of one cycle (a day, a week).
    pub period: SimDuration,
    /// `(offset into the period, load factor)`, offsets strictly
    /// increasing from zero, factors non-negative.
    pub steps: Vec<(SimDuration, f64)>,
}

impl LoadCurve {
    /// The largest factor of the curve.
    pub fn peak(&self) -> f64 {
        self.steps.iter().map(|&(_, f)| f).fold(0.0, f64::max)
    }

    /// Checks that the period is positive, the offsets start at zero and
    /// increase within the period, and the factors are non-negative.
    pub fn validate(&self) -> Result<(), String> {
        if self.period.is_zero() {
            return Err("the period must be longer than zero".into());
        }
        match self.steps.first() {
            None => return Err("the curve has no steps".into()),
            Some(&(o, _)) if !o.is_zero() => {
                return Err(format!("the first step starts at {o}; expected 0s"));
            }
            _ => {}
        }
        for w in self.steps.windows(2) {
            if w[1].0 <= w[0].0 {
                return Err(format!(
                    "step at {} does not come after the step at {}; expected increasing offsets",
                    w[1].0, w[0].0
                ));
            }
        }
        if let Some(&(o, _)) = self.steps.iter().find(|&&(o, _)| o >= self.period) {
            return Err(format!(
                "step at {o} is not inside the period of {}",
                self.period
            ));
        }
        if let Some(&(_, f)) = self
            .steps
            .iter()
            .find(|&&(_, f)| !(f >= 0.0 && f.is_finite()))
        {
            return Err(format!("factor {f}; expected a non-negative number"));
        }
        Ok(())
    }

    /// The index of the step in force at `t`, and when the next step
    /// begins.
    pub fn step_at(&self, t: SimTime) -> (usize, SimTime) {
        let period = self.period.as_micros().max(1);
        let into = t.as_micros() % period;
        let start = t.as_micros() - into;
        let i = self
            .steps
            .iter()
            .rposition(|&(o, _)| o.as_micros() <= into)
            .unwrap_or(0);
        let next = match self.steps.get(i + 1) {
            Some(&(o, _)) => start + o.as_micros(),
            None => start + period,
        };
        (i, SimTime::from_micros(next))
    }
}
