//! Repair: the `[[team]]` crews, and each fault's detection, repair time
//! and team.

use std::collections::btree_map::Entry;

use models::system::spec::{FaultClass, Repair, TeamSpec};

use super::{Builder, MAX_COUNT};
use crate::system_file::{FaultFile, SystemFile};

impl Builder<'_> {
    /// `[[team]]`.
    pub(super) fn teams(&mut self, file: &SystemFile) -> Vec<TeamSpec> {
        let mut teams = Vec::new();
        for t in &file.teams {
            let name = self.name(&t.name, "team.name");
            if !name.is_empty() {
                match self.team_names.entry(name.clone()) {
                    Entry::Occupied(_) => self.c.error(
                        t.name.span(),
                        "team.name",
                        format!("two teams are named `{name}`; expected unique names"),
                    ),
                    Entry::Vacant(e) => {
                        e.insert(teams.len());
                    }
                }
            }
            let crews = self
                .c
                .int_in(&t.crews, "team.crews", 1, MAX_COUNT)
                .unwrap_or(1) as u32;
            teams.push(TeamSpec { name, crews });
        }
        teams
    }

    /// `repair`, `detection` and `team`.
    pub(super) fn repair(&mut self, f: &FaultFile, class: Option<FaultClass>) -> Option<Repair> {
        let duration = match &f.repair {
            Some(r) => self.c.dist(r, "fault.repair"),
            None => {
                let what = match class {
                    Some(FaultClass::BadDeploy) => "the time to roll the release back",
                    Some(FaultClass::TrafficSpike) => "how long the spike lasts",
                    _ => "the time the repair takes",
                };
                self.c.error(
                    f.kind.span(),
                    "fault.repair",
                    format!("missing field `repair`; expected a distribution of {what}, such as repair = \"lognormal(median = 1h, p95 = 6h)\""),
                );
                None
            }
        };
        let detection = match &f.detection {
            Some(d) => Some(self.c.dist(d, "fault.detection")?),
            None => None,
        };
        let team = match &f.team {
            Some(t) => {
                let name = t.get_ref().trim();
                match self.team_names.get(name) {
                    Some(&i) => Some(i),
                    None => {
                        let names = std::mem::take(&mut self.team_names);
                        self.unknown(
                            t.span(),
                            "fault.team",
                            name,
                            "the name of a [[team]]",
                            names.keys().map(String::as_str),
                        );
                        self.team_names = names;
                        return None;
                    }
                }
            }
            None => None,
        };
        Some(Repair {
            detection,
            duration: duration?,
            team,
        })
    }
}
