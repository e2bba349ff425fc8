//! The summary of a k-of-n scenario: the service's rule, who repairs, and
//! the components, identical ones grouped.

use models::kofn::{Crews, KofNSpec, WhileDown};
use serde::Serialize;

use super::{Text, count};

/// A k-of-n service's structure.
#[derive(Debug, Serialize)]
pub(super) struct KofNSummary {
    service: String,
    min_up: u32,
    components: usize,
    /// Shared repair crews; `None`: every component has its own.
    shared_repair_crews: Option<u32>,
    while_down: &'static str,
    groups: Vec<ComponentGroup>,
}

/// Consecutive components with the same failure and repair laws
/// (`node-1` to `node-3`, from one `[[component]]` with `count = 3`).
#[derive(Debug, Serialize)]
struct ComponentGroup {
    first: String,
    last: String,
    count: usize,
    failure: String,
    repair: String,
}

/// The summary of `spec`.
pub(super) fn summary(spec: &KofNSpec) -> KofNSummary {
    let mut groups: Vec<ComponentGroup> = Vec::new();
    let mut previous: Option<&models::kofn::ComponentSpec> = None;
    for c in &spec.components {
        match (previous, groups.last_mut()) {
            (Some(p), Some(g)) if p.failure == c.failure && p.repair == c.repair => {
                g.last.clone_from(&c.name);
                g.count += 1;
            }
            _ => groups.push(ComponentGroup {
                first: c.name.clone(),
                last: c.name.clone(),
                count: 1,
                failure: c.failure.to_string(),
                repair: c.repair.to_string(),
            }),
        }
        previous = Some(c);
    }
    KofNSummary {
        service: spec.name.clone(),
        min_up: spec.min_up,
        components: spec.components.len(),
        shared_repair_crews: match spec.crews {
            Crews::Dedicated => None,
            Crews::Shared(n) => Some(n),
        },
        while_down: match spec.while_down {
            WhileDown::KeepRunning => "keep-running",
            WhileDown::Suspend => "suspend",
        },
        groups,
    }
}

impl KofNSummary {
    /// Writes the summary's lines.
    pub(super) fn write(&self, t: &mut Text) {
        t.field(
            "service",
            format!(
                "{}: up while at least {} of {} components run",
                self.service, self.min_up, self.components
            ),
        );
        t.field(
            "repair",
            match self.shared_repair_crews {
                None => "every component has its own crew".to_string(),
                Some(n) => format!(
                    "{} shared by all components, first come, first served",
                    count(n as usize, "crew")
                ),
            },
        );
        t.field(
            "while down",
            match self.while_down {
                "suspend" => "running components are suspended",
                _ => "running components keep running (and can fail)",
            },
        );
        t.field("components", self.components);
        let rows: Vec<Vec<String>> = self
            .groups
            .iter()
            .map(|g| {
                let names = if g.count == 1 {
                    g.first.clone()
                } else {
                    format!("{} .. {}", g.first, g.last)
                };
                let each = if g.count == 1 { "" } else { "each " };
                vec![
                    names,
                    format!("{each}fails after {}", g.failure),
                    format!("repaired in {}", g.repair),
                ]
            })
            .collect();
        t.table(&rows);
    }
}
