//! The system a rare-event run estimates, and its prepared form.

use sim_core::dist::Dist;

use super::RareError;
use crate::kofn::{Crews, KofNSpec, SpecError, WhileDown};

/// One component of a [`RareSpec`].
#[derive(Clone, Debug, PartialEq)]
pub struct RareComponent {
    /// A stable, unique name: it keys the component's random streams.
    pub name: String,
    /// Time from starting to run until failure; must be exponential.
    pub failure: Dist,
    /// Time a crew takes to repair it, any law; `None` for a component that
    /// is never repaired (transient estimates only).
    pub repair: Option<Dist>,
}

/// A k-of-n system for rare-event estimation: up while at least `min_up`
/// components run; components keep running while it is down.
#[derive(Clone, Debug, PartialEq)]
pub struct RareSpec {
    /// The system's name: it keys the forcing coin's random streams.
    pub name: String,
    /// The components, in a stable order.
    pub components: Vec<RareComponent>,
    /// The system is up while at least this many components run.
    pub min_up: u32,
    /// Who repairs: a crew per component, or a shared FIFO pool.
    pub crews: Crews,
}

impl RareSpec {
    /// The rare-event form of a k-of-n spec, every component repaired.
    ///
    /// Refuses [`WhileDown::Suspend`] (window forcing assumes components
    /// keep running, and can fail, while the service is down) and invalid
    /// specs. The failure laws are checked when a run is planned.
    pub fn from_kofn(spec: &KofNSpec) -> Result<RareSpec, RareError> {
        if spec.while_down == WhileDown::Suspend {
            return Err(RareError::Suspended {
                service: spec.name.clone(),
            });
        }
        spec.validate()?;
        Ok(RareSpec {
            name: spec.name.clone(),
            components: spec
                .components
                .iter()
                .map(|c| RareComponent {
                    name: c.name.clone(),
                    failure: c.failure.clone(),
                    repair: Some(c.repair.clone()),
                })
                .collect(),
            min_up: spec.min_up,
            crews: spec.crews,
        })
    }

    /// The same system with no component ever repaired.
    pub fn without_repair(mut self) -> RareSpec {
        for c in &mut self.components {
            c.repair = None;
        }
        self
    }

    /// Checks the structure: at least one component, `min_up` in `1..=n`,
    /// a shared pool with at least one crew, unique names.
    pub fn validate(&self) -> Result<(), RareError> {
        let n = self.components.len();
        if n == 0 {
            return Err(SpecError::NoComponents.into());
        }
        if self.min_up == 0 || self.min_up as usize > n {
            return Err(SpecError::MinUpOutOfRange {
                min_up: self.min_up,
                n,
            }
            .into());
        }
        if self.crews == Crews::Shared(0) {
            return Err(SpecError::NoCrews.into());
        }
        let mut names: Vec<&str> = self.components.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(SpecError::DuplicateName(w[0].to_string()).into());
        }
        Ok(())
    }
}

/// A validated spec in the form the event loop reads.
#[derive(Clone, Debug)]
pub(super) struct Prepared {
    /// The system's name.
    pub(super) system: String,
    /// Component names.
    pub(super) names: Vec<String>,
    /// Failure rates, per hour.
    pub(super) rates: Vec<f64>,
    /// Repair laws (`None`: never repaired).
    pub(super) repairs: Vec<Option<Dist>>,
    /// Up while at least this many run.
    pub(super) min_up: u32,
    /// Crews in the shared pool; `None` for dedicated crews.
    pub(super) pool: Option<u32>,
}

impl Prepared {
    /// Validates `spec` for window forcing; `regenerative` also requires
    /// every component to be repaired.
    pub(super) fn new(spec: &RareSpec, regenerative: bool) -> Result<Prepared, RareError> {
        spec.validate()?;
        let mut rates = Vec::with_capacity(spec.components.len());
        for c in &spec.components {
            match &c.failure {
                Dist::Exponential(_) => rates.push(1.0 / c.failure.mean_hours()),
                other => {
                    return Err(RareError::NotExponential {
                        component: c.name.clone(),
                        law: other.to_string(),
                    });
                }
            }
            if regenerative && c.repair.is_none() {
                return Err(RareError::NoRepair {
                    component: c.name.clone(),
                });
            }
        }
        Ok(Prepared {
            system: spec.name.clone(),
            names: spec.components.iter().map(|c| c.name.clone()).collect(),
            rates,
            repairs: spec.components.iter().map(|c| c.repair.clone()).collect(),
            min_up: spec.min_up,
            pool: match spec.crews {
                Crews::Dedicated => None,
                Crews::Shared(k) => Some(k),
            },
        })
    }

    /// The number of components.
    pub(super) fn n(&self) -> usize {
        self.names.len()
    }
}
