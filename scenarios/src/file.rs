//! The scenario file as written: serde types that mirror the TOML, with
//! units still as text and spans kept for later error messages.

use serde::Deserialize;
use serde_spanned::Spanned;

/// A whole scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioFile {
    pub(crate) scenario: ScenarioMeta,
    #[serde(default)]
    pub(crate) simulation: SimulationFile,
    #[serde(rename = "component", default)]
    pub(crate) components: Vec<ComponentFile>,
    pub(crate) service: Spanned<ServiceFile>,
}

/// `[scenario]`: what the scenario is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioMeta {
    pub(crate) name: Spanned<String>,
    #[serde(default)]
    pub(crate) description: String,
}

/// `[simulation]`: how to run it, each overridable on the command line.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SimulationFile {
    pub(crate) horizon: Option<Spanned<String>>,
    pub(crate) warmup: Option<Spanned<String>>,
    pub(crate) replications: Option<Spanned<i64>>,
    pub(crate) seed: Option<Spanned<i64>>,
}

/// `[[component]]`: one kind of repairable component, possibly several of it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ComponentFile {
    pub(crate) name: Spanned<String>,
    pub(crate) count: Option<Spanned<i64>>,
    pub(crate) failure: Spanned<String>,
    pub(crate) repair: Spanned<String>,
}

/// `[service]`: the k-of-n service over all components.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceFile {
    #[serde(default)]
    pub(crate) name: Option<String>,
    pub(crate) min_up: Spanned<i64>,
    pub(crate) shared_repair_crews: Option<Spanned<i64>>,
    #[serde(default)]
    pub(crate) while_down: WhileDownFile,
}

/// `while_down`: whether components age while the service is down.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum WhileDownFile {
    /// Components keep running and can fail.
    #[default]
    KeepRunning,
    /// Components are stopped and do not age.
    Suspend,
}
