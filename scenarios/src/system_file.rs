//! The infrastructure-system scenario file as written: serde types that
//! mirror the TOML (`[[region]]`, `[[zone]]`, `[[link]]`, `[[service]]`,
//! `[entry]`, `[cost]`, `[[team]]`, `[[fault]]`), with units still as text
//! and spans kept for the errors found later, in `system_build`.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_spanned::Spanned;

use crate::file::{ScenarioMeta, SimulationFile};

/// A whole infrastructure-system scenario file.
///
/// Lists default to empty and `[entry]` is optional here so that the
/// builder can report every missing part at once, not only the first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SystemFile {
    pub(crate) scenario: ScenarioMeta,
    #[serde(default)]
    pub(crate) simulation: SimulationFile,
    #[serde(rename = "region", default)]
    pub(crate) regions: Vec<RegionFile>,
    #[serde(rename = "zone", default)]
    pub(crate) zones: Vec<ZoneFile>,
    #[serde(rename = "link", default)]
    pub(crate) links: Vec<LinkFile>,
    #[serde(rename = "service", default)]
    pub(crate) services: Vec<ServiceFile>,
    pub(crate) entry: Option<EntryFile>,
    pub(crate) cost: Option<CostFile>,
    #[serde(rename = "team", default)]
    pub(crate) teams: Vec<TeamFile>,
    #[serde(rename = "fault", default)]
    pub(crate) faults: Vec<FaultFile>,
    pub(crate) load: Option<Spanned<LoadFile>>,
}

/// `[load]`: how the offered load varies over a period.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoadFile {
    pub(crate) period: Spanned<String>,
    pub(crate) curve: Spanned<Vec<Spanned<LoadStepFile>>>,
}

/// One step of `[load].curve`: from `at` into the period, `factor` times
/// the usual load.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoadStepFile {
    pub(crate) at: Spanned<String>,
    pub(crate) factor: Spanned<f64>,
}

/// `[[region]]`: a region, the widest failure domain.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegionFile {
    pub(crate) name: Spanned<String>,
}

/// `[[zone]]`: a zone of a region, with its racks of hosts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ZoneFile {
    pub(crate) name: Spanned<String>,
    pub(crate) region: Spanned<String>,
    pub(crate) racks: Option<Spanned<i64>>,
    pub(crate) hosts_per_rack: Option<Spanned<i64>>,
}

/// `[[link]]`: a network link between two zones or regions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinkFile {
    pub(crate) name: Spanned<String>,
    pub(crate) between: Spanned<Vec<Spanned<String>>>,
}

/// `[[service]]`: a service, its placement, up rule, dependencies and cost.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceFile {
    pub(crate) name: Spanned<String>,
    pub(crate) instances: Option<Spanned<i64>>,
    pub(crate) placement: Option<Spanned<String>>,
    pub(crate) per_host: Option<Spanned<i64>>,
    pub(crate) zones: Option<Spanned<Vec<Spanned<String>>>>,
    pub(crate) hosts: Option<Spanned<Vec<Spanned<String>>>>,
    pub(crate) min_healthy: Option<Spanned<i64>>,
    pub(crate) capacity_rps: Option<Spanned<f64>>,
    pub(crate) load_rps: Option<Spanned<f64>>,
    pub(crate) quorum: Option<Spanned<QuorumFile>>,
    #[serde(default)]
    pub(crate) hard_dependencies: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) soft_dependencies: Vec<Spanned<String>>,
    pub(crate) cost_per_hour: Option<Spanned<Amount>>,
    pub(crate) failover: Option<Spanned<FailoverFile>>,
    pub(crate) data: Option<Spanned<DataFile>>,
    pub(crate) health_check: Option<Spanned<HealthCheckFile>>,
}

/// `quorum`: a replicated store's write and read quorums.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuorumFile {
    pub(crate) write: Spanned<i64>,
    pub(crate) read: Spanned<i64>,
}

/// `health_check`: how the load balancer checks the instances.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HealthCheckFile {
    pub(crate) interval: Spanned<String>,
    pub(crate) unhealthy_threshold: Option<Spanned<i64>>,
    pub(crate) healthy_threshold: Option<Spanned<i64>>,
}

/// `data`: what a stateful service stores and how it is protected.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DataFile {
    pub(crate) writes_per_s: Spanned<f64>,
    pub(crate) replication: Option<Spanned<String>>,
    pub(crate) lag: Option<Spanned<String>>,
    pub(crate) ship_every: Option<Spanned<String>>,
    pub(crate) backup_every: Option<Spanned<String>>,
}

/// `failover`: active-passive operation of a service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FailoverFile {
    pub(crate) duration: Spanned<String>,
    pub(crate) coverage: Option<Spanned<Fraction>>,
    pub(crate) manual: Option<Spanned<String>>,
    pub(crate) standby_cost_per_hour: Option<Spanned<Amount>>,
    #[serde(default)]
    pub(crate) fencing: Option<bool>,
    pub(crate) failback: Option<Spanned<String>>,
    pub(crate) heartbeat: Option<Spanned<HeartbeatFile>>,
}

/// `failover.heartbeat`: how the standbys watch the active instance.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HeartbeatFile {
    pub(crate) interval: Spanned<String>,
    pub(crate) timeout: Spanned<String>,
}

/// `[entry]`: where users reach the system.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EntryFile {
    pub(crate) service: Spanned<String>,
    pub(crate) from: Spanned<String>,
}

/// `[cost]`: what downtime costs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CostFile {
    pub(crate) downtime_per_minute: Option<Spanned<f64>>,
}

/// `[[team]]`: a team of repair crews.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TeamFile {
    pub(crate) name: Spanned<String>,
    pub(crate) crews: Spanned<i64>,
}

/// `[[fault]]`: a fault process. Which keys apply depends on `kind`; the
/// builder reports the ones that do not.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultFile {
    pub(crate) name: Option<Spanned<String>>,
    pub(crate) kind: Spanned<String>,
    pub(crate) targets: Option<Spanned<Names>>,
    pub(crate) service: Option<Spanned<String>>,
    pub(crate) zones: Option<Spanned<Names>>,
    pub(crate) between: Option<Spanned<Vec<Spanned<Names>>>>,
    pub(crate) batch_size: Option<Spanned<i64>>,
    pub(crate) batch_interval: Option<Spanned<String>>,
    pub(crate) every: Option<Spanned<String>>,
    pub(crate) at: Option<Spanned<String>>,
    pub(crate) repeat: Option<Spanned<String>>,
    pub(crate) stagger: Option<Spanned<String>>,
    pub(crate) repair: Option<Spanned<String>>,
    pub(crate) detection: Option<Spanned<String>>,
    pub(crate) team: Option<Spanned<String>>,
    pub(crate) error_fraction: Option<Spanned<Fraction>>,
    pub(crate) factor: Option<Spanned<f64>>,
}

/// A share: a plain number (`0.05`) or a percentage (`"5%"`).
#[derive(Debug)]
pub(crate) enum Fraction {
    /// A number.
    Number(f64),
    /// Text, parsed by the builder.
    Text(String),
}

impl Fraction {
    /// The share as a number: `0.05` as written, or `"5%"` divided by 100;
    /// `None` for text that is not a percentage.
    pub(crate) fn value(&self) -> Option<f64> {
        match self {
            Fraction::Number(x) => Some(*x),
            Fraction::Text(t) => t
                .trim()
                .strip_suffix('%')
                .and_then(|p| p.trim().parse::<f64>().ok())
                .map(|p| p / 100.0),
        }
    }
}

impl<'de> Deserialize<'de> for Fraction {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FractionVisitor;
        impl Visitor<'_> for FractionVisitor {
            type Value = Fraction;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number such as 0.05 or a percentage such as \"5%\"")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Fraction, E> {
                Ok(Fraction::Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Fraction, E> {
                Ok(Fraction::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Fraction, E> {
                Ok(Fraction::Number(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Fraction, E> {
                Ok(Fraction::Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(FractionVisitor)
    }
}

/// One name (`"east-a"`, or `"all"`) or a list of names, each with its span.
#[derive(Debug)]
pub(crate) enum Names {
    /// A single string; its span is that of the enclosing `Spanned`.
    One(String),
    /// A list of strings.
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NamesVisitor;
        impl<'de> Visitor<'de> for NamesVisitor {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a name or a list of names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Names, E> {
                Ok(Names::One(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<Spanned<String>>()? {
                    names.push(n);
                }
                Ok(Names::Many(names))
            }
        }
        deserializer.deserialize_any(NamesVisitor)
    }
}

/// An amount of money per unit of time: a plain number (per hour) or text
/// such as `"0.12/h"` or `"90/30d"`.
#[derive(Debug)]
pub(crate) enum Amount {
    /// A plain number.
    Number(f64),
    /// Text, parsed by the builder.
    Text(String),
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor;
        impl Visitor<'_> for AmountVisitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number (per hour) or text such as \"0.12/h\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                Ok(Amount::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                Ok(Amount::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                Ok(Amount::Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(AmountVisitor)
    }
}
