//! The summary of an infrastructure system: topology, services (instances
//! per zone, up rule, dependencies, failover, data, health checks), the
//! entry point, the load curve, teams and faults.

use models::system::spec::{
    Effect, Element, FailoverSpec, Occurrence, Place, Replication, ServiceSpec, SystemSpec, UpRule,
};
use serde::Serialize;

use super::{Text, count, duration, number, percent};

/// An infrastructure system's structure.
#[derive(Debug, Serialize)]
pub(super) struct SystemSummary {
    regions: usize,
    zones: usize,
    racks: usize,
    hosts: usize,
    topology: Vec<RegionSummary>,
    links: Vec<LinkSummary>,
    services: Vec<ServiceSummary>,
    entry: EntrySummary,
    /// The load curve; `None`: constant load.
    load: Option<LoadSummary>,
    teams: Vec<TeamSummary>,
    faults: Vec<FaultSummary>,
    cost: CostSummary,
}

#[derive(Debug, Serialize)]
struct RegionSummary {
    name: String,
    zones: Vec<ZoneSummary>,
}

#[derive(Debug, Serialize)]
struct ZoneSummary {
    name: String,
    racks: usize,
    hosts: usize,
}

#[derive(Debug, Serialize)]
struct LinkSummary {
    name: String,
    between: [String; 2],
}

#[derive(Debug, Serialize)]
struct ServiceSummary {
    name: String,
    instances: usize,
    /// Instances per zone, in the zones' order, zones without any left out.
    per_zone: Vec<ZoneCount>,
    up_rule: UpRuleSummary,
    hard_dependencies: Vec<String>,
    soft_dependencies: Vec<String>,
    cost_per_instance_hour: f64,
    failover: Option<FailoverSummary>,
    data: Option<DataSummary>,
    health_check: Option<HealthCheckSummary>,
}

#[derive(Debug, Serialize)]
struct ZoneCount {
    zone: String,
    instances: usize,
}

#[derive(Debug, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
enum UpRuleSummary {
    MinHealthy { min_healthy: u32 },
    Quorum { write: u32, read: u32 },
    Capacity { capacity_rps: f64, load_rps: f64 },
}

#[derive(Debug, Serialize)]
struct FailoverSummary {
    duration: String,
    coverage: f64,
    manual: String,
    fencing: bool,
    failback: Option<String>,
    heartbeat_interval: Option<String>,
    heartbeat_timeout: Option<String>,
    standby_cost_per_hour: Option<f64>,
}

#[derive(Debug, Serialize)]
struct DataSummary {
    writes_per_s: f64,
    /// `"none"`, `"sync"`, `"async"` or `"batch"`.
    replication: &'static str,
    lag: Option<String>,
    ship_every: Option<String>,
    backup_every: Option<String>,
}

#[derive(Debug, Serialize)]
struct HealthCheckSummary {
    interval: String,
    unhealthy_threshold: u32,
    healthy_threshold: u32,
    /// Shown only when checks can fail a healthy instance.
    #[serde(skip_serializing_if = "is_zero")]
    false_failure: f64,
    /// Shown only with more than one checker.
    #[serde(skip_serializing_if = "is_one")]
    checkers: u32,
    /// Shown only when checks cost something.
    #[serde(skip_serializing_if = "is_zero")]
    check_cost: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

#[derive(Debug, Serialize)]
struct EntrySummary {
    service: String,
    from: String,
}

#[derive(Debug, Serialize)]
struct LoadSummary {
    period: String,
    steps: Vec<LoadStep>,
    peak: f64,
}

#[derive(Debug, Serialize)]
struct LoadStep {
    at: String,
    factor: f64,
}

#[derive(Debug, Serialize)]
struct TeamSummary {
    name: String,
    crews: u32,
}

#[derive(Debug, Serialize)]
struct FaultSummary {
    name: String,
    kind: &'static str,
    /// What it hits, in a few words (`36 hosts`).
    targets: String,
    /// How many things it hits (hosts, links, zones, instances).
    target_count: usize,
    occurs: OccursSummary,
    /// The faults whose age its windows renew (maintenance).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    renews: Vec<String>,
    detection: Option<String>,
    repair: String,
    team: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
enum OccursSummary {
    Random {
        every: String,
    },
    Scheduled {
        at: String,
        repeat: Option<String>,
        stagger: String,
    },
    AfterUptime {
        after_uptime: String,
    },
}

#[derive(Debug, Serialize)]
struct CostSummary {
    instances_per_hour: f64,
    downtime_per_minute: f64,
}

/// The summary of `spec`.
pub(super) fn summary(spec: &SystemSpec) -> SystemSummary {
    let topology = spec
        .regions
        .iter()
        .enumerate()
        .map(|(r, name)| RegionSummary {
            name: name.clone(),
            zones: spec
                .zones
                .iter()
                .enumerate()
                .filter(|(_, z)| z.region == r)
                .map(|(z, zone)| ZoneSummary {
                    name: zone.name.clone(),
                    racks: spec.racks.iter().filter(|k| k.zone == z).count(),
                    hosts: (0..spec.hosts.len())
                        .filter(|&h| spec.zone_of_host(h) == z)
                        .count(),
                })
                .collect(),
        })
        .collect();
    let place = |p: Place| match p {
        Place::Zone(z) => spec.zones[z].name.clone(),
        Place::Region(r) => spec.regions[r].clone(),
    };
    SystemSummary {
        regions: spec.regions.len(),
        zones: spec.zones.len(),
        racks: spec.racks.len(),
        hosts: spec.hosts.len(),
        topology,
        links: spec
            .links
            .iter()
            .map(|l| LinkSummary {
                name: l.name.clone(),
                between: [place(l.a), place(l.b)],
            })
            .collect(),
        services: spec.services.iter().map(|s| service(spec, s)).collect(),
        entry: EntrySummary {
            service: spec.services[spec.entry.service].name.clone(),
            from: place(spec.entry.from),
        },
        load: spec.load_curve.as_ref().map(|c| LoadSummary {
            period: duration(c.period),
            steps: c
                .steps
                .iter()
                .map(|&(at, factor)| LoadStep {
                    at: duration(at),
                    factor,
                })
                .collect(),
            peak: c.peak(),
        }),
        teams: spec
            .teams
            .iter()
            .map(|t| TeamSummary {
                name: t.name.clone(),
                crews: t.crews,
            })
            .collect(),
        faults: spec
            .faults
            .iter()
            .map(|f| FaultSummary {
                name: f.name.clone(),
                kind: f.class.name(),
                targets: targets(spec, &f.effect),
                target_count: target_count(spec, &f.effect),
                occurs: match &f.occurrence {
                    Occurrence::Random { every } => OccursSummary::Random {
                        every: every.to_string(),
                    },
                    Occurrence::Scheduled {
                        first,
                        period,
                        stagger,
                    } => OccursSummary::Scheduled {
                        at: duration(first.since_start()),
                        repeat: period.map(duration),
                        stagger: duration(*stagger),
                    },
                    Occurrence::AfterUptime { uptime } => OccursSummary::AfterUptime {
                        after_uptime: duration(*uptime),
                    },
                },
                renews: f
                    .resets
                    .iter()
                    .map(|&r| spec.faults[r].name.clone())
                    .collect(),
                detection: f.repair.detection.as_ref().map(ToString::to_string),
                repair: f.repair.duration.to_string(),
                team: f.repair.team.map(|t| spec.teams[t].name.clone()),
            })
            .collect(),
        cost: CostSummary {
            instances_per_hour: spec.services.iter().map(ServiceSpec::cost_per_hour).sum(),
            downtime_per_minute: spec.downtime_cost_per_minute,
        },
    }
}

/// The summary of one service.
fn service(spec: &SystemSpec, s: &ServiceSpec) -> ServiceSummary {
    let mut per_zone = vec![0usize; spec.zones.len()];
    for i in &s.instances {
        per_zone[spec.zone_of_host(i.host)] += 1;
    }
    let names = |deps: &[usize]| -> Vec<String> {
        deps.iter()
            .map(|&d| spec.services[d].name.clone())
            .collect()
    };
    ServiceSummary {
        name: s.name.clone(),
        instances: s.instances.len(),
        per_zone: per_zone
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(z, &n)| ZoneCount {
                zone: spec.zones[z].name.clone(),
                instances: n,
            })
            .collect(),
        up_rule: match s.up_rule {
            UpRule::MinHealthy(k) => UpRuleSummary::MinHealthy { min_healthy: k },
            UpRule::Quorum { write, read } => UpRuleSummary::Quorum { write, read },
            UpRule::Capacity {
                per_instance_rps,
                load_rps,
            } => UpRuleSummary::Capacity {
                capacity_rps: per_instance_rps,
                load_rps,
            },
        },
        hard_dependencies: names(&s.hard_dependencies),
        soft_dependencies: names(&s.soft_dependencies),
        cost_per_instance_hour: s.cost_per_instance_hour,
        failover: s.failover.as_ref().map(failover),
        data: s.data.as_ref().map(|d| {
            let (replication, lag, ship_every) = match &d.replication {
                None => ("none", None, None),
                Some(Replication::Sync) => ("sync", None, None),
                Some(Replication::SemiSync { .. }) => ("semi-sync", None, None),
                Some(Replication::Async { lag }) => ("async", Some(lag.to_string()), None),
                Some(Replication::Batch { interval }) => ("batch", None, Some(duration(*interval))),
            };
            DataSummary {
                writes_per_s: d.writes_per_second,
                replication,
                lag,
                ship_every,
                backup_every: d.backup_interval.map(duration),
            }
        }),
        health_check: s.health_check.map(|h| HealthCheckSummary {
            interval: duration(h.interval),
            unhealthy_threshold: h.unhealthy_threshold,
            healthy_threshold: h.healthy_threshold,
            false_failure: h.false_failure,
            checkers: h.checkers,
            check_cost: h.check_cost,
        }),
    }
}

fn failover(f: &FailoverSpec) -> FailoverSummary {
    FailoverSummary {
        duration: f.duration.to_string(),
        coverage: f.coverage,
        manual: f.manual.to_string(),
        fencing: f.fencing,
        failback: f.failback.as_ref().map(ToString::to_string),
        heartbeat_interval: f.heartbeat.map(|h| duration(h.interval)),
        heartbeat_timeout: f.heartbeat.map(|h| duration(h.timeout)),
        standby_cost_per_hour: f.standby_cost_per_hour,
    }
}

/// What a fault hits, in a few words.
fn targets(spec: &SystemSpec, effect: &Effect) -> String {
    match effect {
        Effect::Down(elements) => elements_text(spec, elements),
        Effect::Degrade {
            targets,
            error_fraction,
        } => format!(
            "{}, failing {} of requests",
            elements_text(spec, targets),
            percent(*error_fraction)
        ),
        Effect::Shock(elements) => format!("{} at once", elements_text(spec, elements)),
        Effect::Partition { a, b } => {
            let side = |zones: &[usize]| -> String {
                zones
                    .iter()
                    .map(|&z| spec.zones[z].name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!("{} | {}", side(a), side(b))
        }
        Effect::Rollout {
            service,
            batch_size,
            batch_interval,
        } => format!(
            "{}, {} every {}",
            spec.services[*service].name,
            count(*batch_size as usize, "instance"),
            duration(*batch_interval)
        ),
        Effect::Surge { factor } => format!("load x{}", number(*factor)),
    }
}

/// How many things a fault hits.
fn target_count(spec: &SystemSpec, effect: &Effect) -> usize {
    match effect {
        Effect::Down(e) | Effect::Degrade { targets: e, .. } | Effect::Shock(e) => e.len(),
        Effect::Partition { a, b } => a.len() + b.len(),
        Effect::Rollout { service, .. } => spec.services[*service].instances.len(),
        Effect::Surge { .. } => spec
            .services
            .iter()
            .filter(|s| matches!(s.up_rule, UpRule::Capacity { .. }))
            .count(),
    }
}

/// The kinds of element, as counted in [`elements_text`].
const NOUNS: [&str; 7] = [
    "host", "rack", "zone", "region", "link", "service", "instance",
];

/// The index of an element's kind in [`NOUNS`].
fn kind(e: &Element) -> usize {
    match e {
        Element::Host(_) => 0,
        Element::Rack(_) => 1,
        Element::Zone(_) => 2,
        Element::Region(_) => 3,
        Element::Link(_) => 4,
        Element::Service(_) => 5,
        Element::Instance(..) => 6,
    }
}

/// Elements counted by kind (`36 hosts`), or named when there is one.
fn elements_text(spec: &SystemSpec, elements: &[Element]) -> String {
    if let [one] = elements {
        return format!("{} {}", NOUNS[kind(one)], spec.element_name(*one));
    }
    let mut counts = [0usize; NOUNS.len()];
    for e in elements {
        counts[kind(e)] += 1;
    }
    NOUNS
        .iter()
        .zip(counts)
        .filter(|&(_, n)| n > 0)
        .map(|(noun, n)| count(n, noun))
        .collect::<Vec<_>>()
        .join(" + ")
}

impl SystemSummary {
    /// Writes the summary's lines.
    pub(super) fn write(&self, t: &mut Text) {
        t.field(
            "topology",
            format!(
                "{}, {}, {}, {}, {}",
                count(self.regions, "region"),
                count(self.zones, "zone"),
                count(self.racks, "rack"),
                count(self.hosts, "host"),
                count(self.links.len(), "link")
            ),
        );
        for r in &self.topology {
            let zones: Vec<String> = r
                .zones
                .iter()
                .map(|z| {
                    format!(
                        "{} ({}, {})",
                        z.name,
                        count(z.racks, "rack"),
                        count(z.hosts, "host")
                    )
                })
                .collect();
            t.item(&r.name, &[zones.join(", ")]);
        }
        for l in &self.links {
            t.item(
                &l.name,
                &[format!("link {} - {}", l.between[0], l.between[1])],
            );
        }
        t.field("services", self.services.len());
        for s in &self.services {
            t.item(&s.name, &s.lines());
        }
        t.field(
            "entry",
            format!("{}, from {}", self.entry.service, self.entry.from),
        );
        t.field(
            "load",
            match &self.load {
                None => "constant".to_string(),
                Some(l) => {
                    let steps: Vec<String> = l
                        .steps
                        .iter()
                        .map(|s| format!("x{} from {}", number(s.factor), s.at))
                        .collect();
                    format!(
                        "repeats every {}: {} (peak x{})",
                        l.period,
                        steps.join(", "),
                        number(l.peak)
                    )
                }
            },
        );
        let teams: Vec<String> = self
            .teams
            .iter()
            .map(|team| format!("{} ({})", team.name, count(team.crews as usize, "crew")))
            .collect();
        t.field(
            "teams",
            if teams.is_empty() {
                "none: repairs start at once".to_string()
            } else {
                teams.join(", ")
            },
        );
        t.field("faults", self.faults.len());
        let rows: Vec<Vec<String>> = self
            .faults
            .iter()
            .map(|f| {
                vec![
                    f.name.clone(),
                    f.kind.to_string(),
                    f.targets.clone(),
                    match f.renews.as_slice() {
                        [] => f.occurs.text(),
                        renews => format!("{}, renews {}", f.occurs.text(), renews.join(", ")),
                    },
                ]
            })
            .collect();
        t.table(&rows);
        t.field(
            "cost",
            format!(
                "instances {}/h, downtime {}/min",
                number((self.cost.instances_per_hour * 100.0).round() / 100.0),
                number(self.cost.downtime_per_minute)
            ),
        );
    }
}

impl ServiceSummary {
    /// The service in a few lines: instances, up rule and dependencies,
    /// then failover, data and health checks if it has them.
    fn lines(&self) -> Vec<String> {
        let zones: Vec<String> = self
            .per_zone
            .iter()
            .map(|z| format!("{} {}", z.zone, z.instances))
            .collect();
        let cost = if self.cost_per_instance_hour > 0.0 {
            format!(" at {}/h", number(self.cost_per_instance_hour))
        } else {
            String::new()
        };
        let mut lines = vec![format!(
            "{}{cost}: {}",
            count(self.instances, "instance"),
            zones.join(", ")
        )];
        let n = self.instances;
        let mut rule = match self.up_rule {
            UpRuleSummary::MinHealthy { min_healthy } => {
                let verb = if min_healthy == 1 { "is" } else { "are" };
                format!("up while {min_healthy} of {n} {verb} healthy")
            }
            UpRuleSummary::Quorum { write, read } => {
                format!("quorum: writes need {write} of {n}, reads {read}")
            }
            UpRuleSummary::Capacity {
                capacity_rps,
                load_rps,
            } => {
                let needed = (load_rps / capacity_rps).ceil();
                format!(
                    "up while {} of {n} carry {} rps at {} rps each",
                    number(needed),
                    number(load_rps),
                    number(capacity_rps)
                )
            }
        };
        if !self.hard_dependencies.is_empty() {
            rule.push_str(&format!("; needs {}", self.hard_dependencies.join(", ")));
        }
        if !self.soft_dependencies.is_empty() {
            rule.push_str(&format!(
                "; degraded without {}",
                self.soft_dependencies.join(", ")
            ));
        }
        lines.push(rule);
        if let Some(f) = &self.failover {
            lines.push(f.text());
        }
        if let Some(d) = &self.data {
            lines.push(d.text());
        }
        if let Some(h) = &self.health_check {
            lines.push(format!(
                "health checks every {}: out after {} failed, back after {} passed",
                h.interval, h.unhealthy_threshold, h.healthy_threshold
            ));
        }
        lines
    }
}

impl FailoverSummary {
    fn text(&self) -> String {
        let mut s = format!("active-passive: failover in {}", self.duration);
        if self.coverage < 1.0 {
            s.push_str(&format!(
                ", automatic {} of the time, else by hand in {}",
                percent(self.coverage),
                self.manual
            ));
        }
        if !self.fencing {
            s.push_str(", no fencing");
        }
        if let Some(b) = &self.failback {
            s.push_str(&format!(", failback in {b}"));
        }
        if let (Some(i), Some(t)) = (&self.heartbeat_interval, &self.heartbeat_timeout) {
            s.push_str(&format!(", heartbeats every {i} (timeout {t})"));
        }
        if let Some(c) = self.standby_cost_per_hour {
            s.push_str(&format!(", standbys at {}/h", number(c)));
        }
        s
    }
}

impl DataSummary {
    fn text(&self) -> String {
        let replication = match self.replication {
            "none" => "not replicated".to_string(),
            "async" => format!(
                "async replication (lag {})",
                self.lag.as_deref().unwrap_or_default()
            ),
            "batch" => format!(
                "batch replication every {}",
                self.ship_every.as_deref().unwrap_or_default()
            ),
            other => format!("{other} replication"),
        };
        let backups = match &self.backup_every {
            Some(b) => format!("backups every {b}"),
            None => "no backups".to_string(),
        };
        format!(
            "data: {} writes/s, {replication}, {backups}",
            number(self.writes_per_s)
        )
    }
}

impl OccursSummary {
    fn text(&self) -> String {
        match self {
            OccursSummary::Random { every } => format!("every {every}"),
            OccursSummary::Scheduled {
                at,
                repeat,
                stagger,
            } => {
                let mut s = match repeat {
                    Some(r) => format!("at {at}, then every {r}"),
                    None => format!("once, at {at}"),
                };
                if stagger != "0s" {
                    s.push_str(&format!(", {stagger} between targets"));
                }
                s
            }
            OccursSummary::AfterUptime { after_uptime } => {
                format!("after {after_uptime} of uptime")
            }
        }
    }
}
