//! The built-in scenarios, reachable by name from the command line.

/// One built-in scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Builtin {
    /// The name users type (`nines run cluster-2of3`).
    pub name: &'static str,
    /// The TOML text, with its comments.
    pub source: &'static str,
}

impl Builtin {
    /// The one line on what it models: its `[scenario] description`.
    pub fn description(&self) -> Result<String, crate::ScenarioError> {
        crate::parse(self.source, &format!("builtin:{}", self.name)).map(|s| s.description)
    }
}

/// Every built-in scenario, in alphabetical order.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "autoscale-vs-static",
        source: include_str!("../library/autoscale-vs-static.toml"),
    },
    Builtin {
        name: "backup-interval-sweep",
        source: include_str!("../library/backup-interval-sweep.toml"),
    },
    Builtin {
        name: "backup-restore",
        source: include_str!("../library/backup-restore.toml"),
    },
    Builtin {
        name: "bad-deploy",
        source: include_str!("../library/bad-deploy.toml"),
    },
    Builtin {
        name: "cluster-2of3",
        source: include_str!("../library/cluster-2of3.toml"),
    },
    Builtin {
        name: "daily-peak",
        source: include_str!("../library/daily-peak.toml"),
    },
    Builtin {
        name: "db-active-passive",
        source: include_str!("../library/db-active-passive.toml"),
    },
    Builtin {
        name: "db-sync-vs-async",
        source: include_str!("../library/db-sync-vs-async.toml"),
    },
    Builtin {
        name: "dr-strategies",
        source: include_str!("../library/dr-strategies.toml"),
    },
    Builtin {
        name: "flaky-heartbeats",
        source: include_str!("../library/flaky-heartbeats.toml"),
    },
    Builtin {
        name: "health-check-sweep",
        source: include_str!("../library/health-check-sweep.toml"),
    },
    Builtin {
        name: "heartbeat-timeout-sweep",
        source: include_str!("../library/heartbeat-timeout-sweep.toml"),
    },
    Builtin {
        name: "lb-health-checks",
        source: include_str!("../library/lb-health-checks.toml"),
    },
    Builtin {
        name: "multi-az",
        source: include_str!("../library/multi-az.toml"),
    },
    Builtin {
        name: "quorum-3-zones",
        source: include_str!("../library/quorum-3-zones.toml"),
    },
    Builtin {
        name: "rack-correlated",
        source: include_str!("../library/rack-correlated.toml"),
    },
    Builtin {
        name: "rack-correlated-spread",
        source: include_str!("../library/rack-correlated-spread.toml"),
    },
    Builtin {
        name: "rejuvenation-sweep",
        source: include_str!("../library/rejuvenation-sweep.toml"),
    },
    Builtin {
        name: "retry-storm",
        source: include_str!("../library/retry-storm.toml"),
    },
    Builtin {
        name: "semi-sync-replication",
        source: include_str!("../library/semi-sync-replication.toml"),
    },
    Builtin {
        name: "single-server",
        source: include_str!("../library/single-server.toml"),
    },
    Builtin {
        name: "split-brain",
        source: include_str!("../library/split-brain.toml"),
    },
    Builtin {
        name: "two-zone-witness",
        source: include_str!("../library/two-zone-witness.toml"),
    },
    Builtin {
        name: "web-n-plus-1",
        source: include_str!("../library/web-n-plus-1.toml"),
    },
    Builtin {
        name: "web-replicas-sweep",
        source: include_str!("../library/web-replicas-sweep.toml"),
    },
    Builtin {
        name: "zone-partition",
        source: include_str!("../library/zone-partition.toml"),
    },
];

/// The built-in scenario called `name`, if there is one.
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// The names of every built-in scenario.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|b| b.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_unique_and_match_the_files() {
        let names: Vec<&str> = names().collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
        for b in BUILTINS {
            let scenario = crate::parse(b.source, &format!("builtin:{}", b.name))
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(scenario.name, b.name, "the file's [scenario] name");
        }
        assert!(find("multi-az").is_some());
        for b in BUILTINS {
            let d = b.description().unwrap_or_else(|e| panic!("{e}"));
            assert!(!d.is_empty() && !d.contains('\n'), "{}: {d:?}", b.name);
        }
        assert!(find("no-such-scenario").is_none());
    }
}
