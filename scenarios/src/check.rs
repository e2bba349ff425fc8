//! What both scenario formats share while a file is checked: a collector
//! of located diagnostics with parsers for units, and the `[scenario]` and
//! `[simulation]` tables.

use std::ops::Range;

use serde_spanned::Spanned;
use sim_core::dist::Dist;
use sim_core::time::SimDuration;

use crate::SimulationSettings;
use crate::error::{Diagnostic, ScenarioError};
use crate::file::{ScenarioMeta, SimulationFile};
use crate::lines::LineIndex;

/// The longest name (of a component, service, zone, fault...) in
/// characters.
pub(crate) const MAX_NAME_CHARS: usize = 256;

/// The most replications a scenario may ask for.
pub(crate) const MAX_REPLICATIONS: i64 = 10_000_000;

/// Collects diagnostics while a file is checked.
pub(crate) struct Checker<'a> {
    pub(crate) source: &'a str,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The line index of `source`, built at the first problem.
    lines: std::cell::OnceCell<LineIndex>,
}

impl<'a> Checker<'a> {
    /// A checker with nothing found yet.
    pub(crate) fn new(source: &'a str) -> Self {
        Checker {
            source,
            diagnostics: Vec::new(),
            lines: std::cell::OnceCell::new(),
        }
    }

    /// A problem at `span`, concerning `key`.
    pub(crate) fn error(&mut self, span: Range<usize>, key: &str, message: String) {
        let lines = self.lines.get_or_init(|| LineIndex::new(self.source));
        self.diagnostics.push(Diagnostic::at_indexed(
            self.source,
            lines,
            Some(span),
            Some(key.to_string()),
            message,
        ));
    }

    /// A problem with no place in the file (something missing from it).
    pub(crate) fn missing(&mut self, key: &str, message: String) {
        self.diagnostics.push(Diagnostic::at(
            self.source,
            None,
            Some(key.to_string()),
            message,
        ));
    }

    /// A duration, or a diagnostic.
    pub(crate) fn duration(&mut self, value: &Spanned<String>, key: &str) -> Option<SimDuration> {
        match value.get_ref().parse::<SimDuration>() {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(value.span(), key, e.to_string());
                None
            }
        }
    }

    /// A distribution, or a diagnostic.
    pub(crate) fn dist(&mut self, value: &Spanned<String>, key: &str) -> Option<Dist> {
        match value.get_ref().parse::<Dist>() {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(value.span(), key, e.to_string());
                None
            }
        }
    }

    /// The trimmed text of a name, cut to [`MAX_NAME_CHARS`] with a
    /// diagnostic when longer: names are repeated in every element a count
    /// expands them into (`web-1` … `web-10000`), so their length is
    /// bounded before anything is expanded.
    pub(crate) fn name_text(&mut self, value: &Spanned<String>, key: &str) -> String {
        let name = value.get_ref().trim();
        match name.char_indices().nth(MAX_NAME_CHARS) {
            Some((cut, _)) => {
                self.error(
                    value.span(),
                    key,
                    format!(
                        "the name is {} characters long; expected at most {MAX_NAME_CHARS}",
                        name.chars().count()
                    ),
                );
                name[..cut].to_string()
            }
            None => name.to_string(),
        }
    }

    /// A diagnostic at `span` (concerning `key`) if a renewal cycle, the
    /// time to a failure `up` then the repair `down`, can take no time at
    /// all: a simulation would repeat it forever without time passing.
    /// Returns whether the cycle is sound.
    pub(crate) fn cycle(&mut self, up: &Dist, down: &Dist, span: Range<usize>, key: &str) -> bool {
        if up.can_be_zero() && down.can_be_zero() {
            self.error(
                span,
                key,
                "the time to failure and the repair can both be zero: a cycle of no length, repeated without time passing; expected a positive duration for one of them".into(),
            );
            return false;
        }
        true
    }

    /// An integer from `min` to `max`, or a diagnostic.
    pub(crate) fn int_in(
        &mut self,
        value: &Spanned<i64>,
        key: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let v = *value.get_ref();
        if v < min || v > max {
            self.error(
                value.span(),
                key,
                format!("{v} is out of range; expected an integer from {min} to {max}"),
            );
            None
        } else {
            Some(v)
        }
    }

    /// The diagnostics found, in the order of the file, as an error; or
    /// `Ok` if there are none.
    pub(crate) fn finish(mut self, origin: &str) -> Result<(), ScenarioError> {
        if self.diagnostics.is_empty() {
            return Ok(());
        }
        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        Err(ScenarioError {
            origin: origin.to_string(),
            diagnostics: self.diagnostics,
        })
    }

    /// Checks `scenario.slo`: a share strictly between 0 and 1, written as a
    /// number or a percentage.
    pub(crate) fn slo(&mut self, meta: &ScenarioMeta) -> Option<f64> {
        let v = meta.slo.as_ref()?;
        match v.get_ref().value() {
            Some(x) if x > 0.0 && x < 1.0 => Some(x),
            _ => {
                self.error(
                    v.span(),
                    "scenario.slo",
                    "expected an availability target strictly between 0 and 100%, such as \"99.95%\" or 0.9995".into(),
                );
                None
            }
        }
    }

    /// Checks `[scenario]` and `[simulation]`: the scenario's name, and how
    /// to run it (`None` if a diagnostic was left).
    pub(crate) fn header(
        &mut self,
        meta: &ScenarioMeta,
        sim: &SimulationFile,
    ) -> (String, Option<SimulationSettings>) {
        let name = meta.name.get_ref().trim().to_string();
        if name.is_empty() {
            self.error(
                meta.name.span(),
                "scenario.name",
                "the name is empty; expected a short name such as \"web-n-plus-1\"".into(),
            );
        }

        let horizon = match &sim.horizon {
            Some(h) => self.duration(h, "simulation.horizon"),
            None => Some(SimDuration::from_years(1)),
        };
        if let (Some(h), Some(span)) = (horizon, sim.horizon.as_ref().map(Spanned::span))
            && h.is_zero()
        {
            self.error(
                span,
                "simulation.horizon",
                "the horizon is zero; expected a positive duration such as \"1y\"".into(),
            );
        }
        let warmup = match &sim.warmup {
            Some(w) => self.duration(w, "simulation.warmup"),
            None => Some(SimDuration::ZERO),
        };
        if let (Some(h), Some(w), Some(span)) =
            (horizon, warmup, sim.warmup.as_ref().map(Spanned::span))
            && w >= h
        {
            self.error(
                span,
                "simulation.warmup",
                format!(
                    "the warm-up ({w}) is not shorter than the horizon ({h}); expected a shorter warm-up"
                ),
            );
        }
        let replications = match &sim.replications {
            Some(r) => self.int_in(r, "simulation.replications", 2, MAX_REPLICATIONS),
            None => Some(100),
        };
        let seed = match &sim.seed {
            Some(s) => self.int_in(s, "simulation.seed", 0, i64::MAX),
            None => Some(crate::DEFAULT_SEED as i64),
        };
        let settings = match (horizon, warmup, replications, seed) {
            (Some(horizon), Some(warmup), Some(replications), Some(seed)) => {
                Some(SimulationSettings {
                    horizon,
                    warmup,
                    replications: replications as u64,
                    seed: seed as u64,
                })
            }
            _ => None,
        };
        (name, settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::SCANNED;

    #[test]
    fn many_problems_read_the_file_once() {
        let source: String = (0..2000).map(|i| format!("k{i} = {i}\n")).collect();
        let before = SCANNED.with(|s| s.get());
        let mut c = Checker::new(&source);
        for i in (0..2000).step_by(3) {
            let at = source.find(&format!("k{i} =")).expect("the key");
            c.error(at..at + 2, &format!("k{i}"), "bad".into());
        }
        assert_eq!(SCANNED.with(|s| s.get()) - before, source.len());
        let lines: Vec<Option<usize>> = c.diagnostics.iter().map(|d| d.line).collect();
        let expected: Vec<Option<usize>> = (0..2000).step_by(3).map(|i| Some(i + 1)).collect();
        assert_eq!(lines, expected);
        assert_eq!(c.diagnostics[1].excerpt.as_deref(), Some("k3 = 3"));
        assert_eq!(c.diagnostics[1].column, Some(1));
    }
}
