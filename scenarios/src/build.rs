//! From the file as written to a validated scenario: units parsed, counts
//! expanded, ranges checked, every problem collected with its place.

use models::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};
use models::spec::ModelSpec;
use serde_spanned::Spanned;

use crate::Scenario;
use crate::check::Checker;
use crate::error::{Diagnostic, ScenarioError};
use crate::file::{ScenarioFile, WhileDownFile};
use crate::invariant::Format;

/// The most components a scenario may expand to: far beyond any real
/// design, and small enough that a typo (`count = 3000000`) is caught.
pub(crate) const MAX_COMPONENTS: i64 = 100_000;

/// Checks a parsed file and builds the scenario, or reports every problem.
pub(crate) fn build(
    file: ScenarioFile,
    source: &str,
    origin: &str,
) -> Result<Scenario, ScenarioError> {
    let mut c = Checker::new(source);
    let (name, settings) = c.header(&file.scenario, &file.simulation);
    let slo = c.slo(&file.scenario);
    let slo_window = c.slo_window(&file.scenario);
    let invariants = c.invariants(&file.invariants, Format::KofN);

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
        let base = c.name_text(&comp.name, "component.name");
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
        if !c.cycle(&failure, &repair, comp.repair.span(), "component.repair") {
            continue;
        }
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

    c.finish(origin)?;
    let (Some(simulation), Some(crews)) = (settings, crews) else {
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
        simulation,
        slo,
        slo_window,
        invariants,
        model: ModelSpec::KofN(spec),
    })
}
