//! The scenario file as written: serde types that mirror the TOML, with
//! units still as text and spans kept for later error messages.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::invariant::InvariantFile;
use crate::schema::{Distribution, Duration};

/// A k-of-n scenario: repairable components, and a service that is up
/// while at least k of them run.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "KofNScenario")]
pub(crate) struct ScenarioFile {
    /// What the scenario is: its name and a one-line description.
    pub(crate) scenario: ScenarioMeta,
    /// How to run it: horizon, warm-up, replications and seed.
    #[serde(default)]
    pub(crate) simulation: SimulationFile,
    /// The kinds of repairable component, one `[[component]]` table each.
    #[serde(rename = "component", default)]
    pub(crate) components: Vec<ComponentFile>,
    /// The k-of-n service over all the components.
    #[schemars(with = "ServiceFile")]
    pub(crate) service: Spanned<ServiceFile>,
    /// Thresholds no run may cross, which `nines hunt` checks.
    #[serde(rename = "invariant", default)]
    #[schemars(with = "Vec<InvariantFile>")]
    pub(crate) invariants: Vec<Spanned<InvariantFile>>,
}

/// `[scenario]`: what the scenario is.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Scenario")]
pub(crate) struct ScenarioMeta {
    /// A short name, shown in results.
    #[schemars(with = "String")]
    pub(crate) name: Spanned<String>,
    /// One line on what the scenario models.
    #[serde(default)]
    pub(crate) description: String,
    /// The availability target the service is held to, as a percentage
    /// (`"99.95%"`) or a share (`0.9995`): reports show the error budget it
    /// allows and how much of it the design is projected to burn.
    #[schemars(with = "Option<crate::system_file::Fraction>")]
    pub(crate) slo: Option<Spanned<crate::system_file::Fraction>>,
    /// With `slo`: the sliding window over which `nines hunt` checks the
    /// availability target (default "30d"; longer than the run: the whole
    /// run).
    #[schemars(with = "Option<Duration>")]
    pub(crate) slo_window: Option<Spanned<String>>,
}

/// `[simulation]`: how to run it, each overridable on the command line.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Simulation")]
pub(crate) struct SimulationFile {
    /// Simulated length of each replication (default "1y").
    #[schemars(with = "Option<Duration>")]
    pub(crate) horizon: Option<Spanned<String>>,
    /// Initial span simulated but not measured, shorter than the horizon
    /// (default "0s").
    #[schemars(with = "Option<Duration>")]
    pub(crate) warmup: Option<Spanned<String>>,
    /// Independent replications, 2 to 10,000,000 (default 100); every
    /// estimate's interval rests on them.
    #[schemars(with = "Option<i64>", range(min = 2, max = crate::check::MAX_REPLICATIONS))]
    pub(crate) replications: Option<Spanned<i64>>,
    /// Root seed of every random stream, 0 or more (default 1).
    #[schemars(with = "Option<i64>", range(min = 0))]
    pub(crate) seed: Option<Spanned<i64>>,
}

/// `[[component]]`: one kind of repairable component, possibly several of it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Component")]
pub(crate) struct ComponentFile {
    /// The component's name; with `count`, instances are named `name-1`,
    /// `name-2`, ...
    #[schemars(with = "String")]
    pub(crate) name: Spanned<String>,
    /// How many identical instances, 1 to 100,000 (default one, named
    /// `name`).
    #[schemars(with = "Option<i64>", range(min = 1, max = crate::build::MAX_COMPONENTS))]
    pub(crate) count: Option<Spanned<i64>>,
    /// Time from starting to run until failure.
    #[schemars(with = "Distribution")]
    pub(crate) failure: Spanned<String>,
    /// Time a crew takes to repair it.
    #[schemars(with = "Distribution")]
    pub(crate) repair: Spanned<String>,
}

/// `[service]`: the k-of-n service over all components.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "KofNService")]
pub(crate) struct ServiceFile {
    /// The service's name (default "service").
    #[serde(default)]
    pub(crate) name: Option<String>,
    /// k: the service is up while at least this many components run, from
    /// 1 to the number of components.
    #[schemars(with = "i64", range(min = 1))]
    pub(crate) min_up: Spanned<i64>,
    /// A pool of this many repair crews, 1 or more, shared by all
    /// components first come, first served; absent: every component has
    /// its own crew.
    #[schemars(with = "Option<i64>", range(min = 1, max = crate::build::MAX_COMPONENTS))]
    pub(crate) shared_repair_crews: Option<Spanned<i64>>,
    /// Whether running components keep ageing while the service is down
    /// (default "keep-running").
    #[serde(default)]
    pub(crate) while_down: WhileDownFile,
}

/// `while_down`: whether components age while the service is down.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "WhileDown")]
pub(crate) enum WhileDownFile {
    /// Components keep running and can fail.
    #[default]
    KeepRunning,
    /// Components are stopped and resume with the life they had left.
    Suspend,
}
