//! From the file as written to a validated scenario: units parsed, counts
//! expanded, ranges checked, every problem collected with its place.

use std::ops::Range;

use models::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};
use models::spec::ModelSpec;
use serde_spanned::Spanned;
use sim_core::dist::Dist;
use sim_core::time::SimDuration;

use crate::error::{Diagnostic, ScenarioError};
use crate::file::{ScenarioFile, WhileDownFile};
use crate::{Scenario, SimulationSettings};

/// The most components a scenario may expand to: far beyond any real
/// design, and small enough that a typo (`count = 3000000`) is caught.
pub(crate) const MAX_COMPONENTS: i64 = 100_000;

/// The most replications a scenario may ask for.
pub(crate) const MAX_REPLICATIONS: i64 = 10_000_000;

/// Collects diagnostics while a file is checked.
struct Checker<'a> {
    source: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, span: Range<usize>, key: &str, message: String) {
        self.diagnostics.push(Diagnostic::at(
            self.source,
            Some(span),
            Some(key.to_string()),
            message,
        ));
    }

    fn duration(&mut self, value: &Spanned<String>, key: &str) -> Option<SimDuration> {
        match value.get_ref().parse::<SimDuration>() {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(value.span(), key, e.to_string());
                None
            }
        }
    }

    fn dist(&mut self, value: &Spanned<String>, key: &str) -> Option<Dist> {
        match value.get_ref().parse::<Dist>() {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(value.span(), key, e.to_string());
                None
            }
        }
    }

    fn int_in(&mut self, value: &Spanned<i64>, key: &str, min: i64, max: i64) -> Option<i64> {
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
}

/// Checks a parsed file and builds the scenario, or reports every problem.
pub(crate) fn build(
    file: ScenarioFile,
    source: &str,
    origin: &str,
) -> Result<Scenario, ScenarioError> {
    let mut c = Checker {
        source,
        diagnostics: Vec::new(),
    };

    let name = file.scenario.name.get_ref().trim().to_string();
    if name.is_empty() {
        c.error(
            file.scenario.name.span(),
            "scenario.name",
            "the name is empty; expected a short name such as \"web-n-plus-1\"".into(),
        );
    }

    let sim = &file.simulation;
    let horizon = match &sim.horizon {
        Some(h) => c.duration(h, "simulation.horizon"),
        None => Some(SimDuration::from_years(1)),
    };
    if let (Some(h), Some(span)) = (horizon, sim.horizon.as_ref().map(Spanned::span))
        && h.is_zero()
    {
        c.error(
            span,
            "simulation.horizon",
            "the horizon is zero; expected a positive duration such as \"1y\"".into(),
        );
    }
    let warmup = match &sim.warmup {
        Some(w) => c.duration(w, "simulation.warmup"),
        None => Some(SimDuration::ZERO),
    };
    if let (Some(h), Some(w), Some(span)) =
        (horizon, warmup, sim.warmup.as_ref().map(Spanned::span))
        && w >= h
    {
        c.error(
            span,
            "simulation.warmup",
            format!(
                "the warm-up ({w}) is not shorter than the horizon ({h}); expected a shorter warm-up"
            ),
        );
    }
    let replications = match &sim.replications {
        Some(r) => c.int_in(r, "simulation.replications", 2, MAX_REPLICATIONS),
        None => Some(100),
    };
    let seed = match &sim.seed {
        Some(s) => c.int_in(s, "simulation.seed", 0, i64::MAX),
        None => Some(crate::DEFAULT_SEED as i64),
    };

    let mut components = Vec::new();
    let mut total: i64 = 0;
    if file.components.is_empty() {
        c.diagnostics.push(Diagnostic::at(
            source,
            None,
            Some("component".into()),
            "no [[component]] tables; expected at least one component for the service to run on"
                .into(),
        ));
    }
    for comp in &file.components {
        let base = comp.name.get_ref().trim().to_string();
        if base.is_empty() {
            c.error(
                comp.name.span(),
                "component.name",
                "the name is empty".into(),
            );
        }
        let count = match &comp.count {
            Some(n) => c.int_in(n, "component.count", 1, MAX_COMPONENTS),
            None => Some(1),
        };
        let failure = c.dist(&comp.failure, "component.failure");
        let repair = c.dist(&comp.repair, "component.repair");
        let (Some(count), Some(failure), Some(repair)) = (count, failure, repair) else {
            continue;
        };
        total += count;
        if total > MAX_COMPONENTS {
            c.error(
                comp.count.as_ref().map_or(comp.name.span(), Spanned::span),
                "component.count",
                format!("the scenario has more than {MAX_COMPONENTS} components"),
            );
            break;
        }
        for i in 1..=count {
            let name = if comp.count.is_some() {
                format!("{base}-{i}")
            } else {
                base.clone()
            };
            components.push(ComponentSpec {
                name,
                failure: failure.clone(),
                repair: repair.clone(),
            });
        }
    }
    let mut names: Vec<(&str, usize)> = components
        .iter()
        .enumerate()
        .map(|(i, comp)| (comp.name.as_str(), i))
        .collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0].0 == w[1].0) {
        let dup = w[0].0.to_string();
        let span = file
            .components
            .iter()
            .map(|comp| &comp.name)
            .find(|n| dup.starts_with(n.get_ref().trim()))
            .map_or(0..0, Spanned::span);
        c.error(
            span,
            "component.name",
            format!("two components are named `{dup}`; expected unique names (they key each component's random streams)"),
        );
    }

    let service = file.service.get_ref();
    let n = components.len() as i64;
    let min_up = *service.min_up.get_ref();
    if n > 0 && (min_up < 1 || min_up > n) {
        c.error(
            service.min_up.span(),
            "service.min_up",
            format!(
                "min_up = {min_up} but the service has {n} component{}; expected k from 1 to {n} (k-of-n: up while at least k run)",
                if n == 1 { "" } else { "s" }
            ),
        );
    }
    let crews = match &service.shared_repair_crews {
        Some(k) => c
            .int_in(k, "service.shared_repair_crews", 1, MAX_COMPONENTS)
            .map(|k| Crews::Shared(k as u32)),
        None => Some(Crews::Dedicated),
    };

    if !c.diagnostics.is_empty() {
        c.diagnostics.sort_by_key(|d| (d.line, d.column));
        return Err(ScenarioError {
            origin: origin.to_string(),
            diagnostics: c.diagnostics,
        });
    }
    let (Some(horizon), Some(warmup), Some(replications), Some(seed), Some(crews)) =
        (horizon, warmup, replications, seed, crews)
    else {
        unreachable!("every missing value left a diagnostic");
    };
    let spec = KofNSpec {
        name: service.name.clone().unwrap_or_else(|| "service".into()),
        components,
        min_up: min_up as u32,
        crews,
        while_down: match service.while_down {
            WhileDownFile::KeepRunning => WhileDown::KeepRunning,
            WhileDownFile::Suspend => WhileDown::Suspend,
        },
    };
    debug_assert_eq!(spec.validate(), Ok(()));
    Ok(Scenario {
        name,
        description: file.scenario.description.trim().to_string(),
        origin: origin.to_string(),
        simulation: SimulationSettings {
            horizon,
            warmup,
            replications: replications as u64,
            seed: seed as u64,
        },
        model: ModelSpec::KofN(spec),
    })
}
