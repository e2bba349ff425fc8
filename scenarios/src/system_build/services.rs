//! Services: their names, up rules, dependencies (without cycles) and
//! costs; the entry, where client traffic comes in; the cost of downtime.

use std::collections::BTreeSet;
use std::collections::btree_map::Entry;
use std::ops::Range;

use models::system::spec::{
    DataSpec, EntrySpec, FailoverSpec, HeartbeatSpec, LeaderSpec, Replication, UpRule,
};
use serde_spanned::Spanned;
use sim_core::dist::Dist;
use sim_core::time::SimDuration;

use super::{Builder, ServiceDraft};
use crate::system_file::{
    Amount, DataFile, FailoverFile, HeartbeatFile, QuorumFile, ServiceFile, SystemFile,
};

/// How long a leader election takes unless `election` says otherwise.
const DEFAULT_ELECTION: SimDuration = SimDuration::from_secs(5);

impl Builder<'_> {
    /// Every service: names first (dependencies may point forward), then
    /// placement, up rule, dependencies and cost, then dependency cycles.
    pub(super) fn services(&mut self, files: &[ServiceFile]) {
        if files.is_empty() {
            self.c.missing(
                "service",
                "missing field `service`: no [[service]] tables; expected at least one, such as [[service]] name = \"web\", instances = 3, min_healthy = 2".into(),
            );
        }
        for (i, s) in files.iter().enumerate() {
            let name = self.name(&s.name, "service.name");
            if name.is_empty() {
                continue;
            }
            match self.service_names.entry(name) {
                Entry::Occupied(e) => self.c.error(
                    s.name.span(),
                    "service.name",
                    format!(
                        "two services are named `{}`; expected unique names",
                        e.key()
                    ),
                ),
                Entry::Vacant(e) => {
                    e.insert(i);
                }
            }
        }
        let mut edges: Vec<Vec<(usize, Range<usize>, &'static str)>> = Vec::new();
        for s in files {
            let name = s.name.get_ref().trim().to_string();
            let instances = self.place_instances(s, &name);
            let up_rule = self.up_rule(s, instances.as_ref().map(Vec::len));
            let mut out = Vec::new();
            let hard = self.dependencies(&s.hard_dependencies, "service.hard_dependencies");
            let soft = self.dependencies(&s.soft_dependencies, "service.soft_dependencies");
            for (d, span) in hard.iter().chain(&soft) {
                out.push((*d, span.clone(), "service.hard_dependencies"));
            }
            let soft_set: BTreeSet<usize> = soft.iter().map(|(d, _)| *d).collect();
            for (d, span) in &hard {
                if soft_set.contains(d) {
                    self.c.error(
                        span.clone(),
                        "service.hard_dependencies",
                        format!(
                            "`{}` is both a hard and a soft dependency; expected one or the other",
                            files[*d].name.get_ref().trim()
                        ),
                    );
                }
            }
            // Key the soft edges by their own key, for the cycle message.
            for e in out.iter_mut().skip(hard.len()) {
                e.2 = "service.soft_dependencies";
            }
            edges.push(out);
            let cost = match &s.cost_per_hour {
                Some(a) => self
                    .amount_per_hour(a, "service.cost_per_hour")
                    .unwrap_or(0.0),
                None => 0.0,
            };
            let failover = match &s.failover {
                Some(f) => self.failover(f, up_rule.as_ref()).map(Some),
                None => Some(None),
            };
            let data = match &s.data {
                Some(d) => self.data(d, s.failover.is_some()).map(Some),
                None => Some(None),
            };
            let health_check = match &s.health_check {
                Some(h) => self.health_check(h, up_rule.as_ref()).map(Some),
                None => Some(None),
            };
            let autoscale = match &s.autoscale {
                Some(a) => self
                    .autoscale(a, s, up_rule.as_ref(), instances.as_ref().map(Vec::len))
                    .map(Some),
                None => Some(None),
            };
            let leader = match &s.quorum {
                Some(q) => self.leader(q.get_ref()),
                None => Some(None),
            };
            self.services.push(ServiceDraft {
                name,
                instances,
                up_rule,
                hard_dependencies: hard.iter().map(|(d, _)| *d).collect(),
                soft_dependencies: soft.iter().map(|(d, _)| *d).collect(),
                cost_per_instance_hour: cost,
                failover,
                data,
                health_check,
                autoscale,
                leader,
            });
        }
        let names: Vec<&str> = self.services.iter().map(|s| s.name.as_str()).collect();
        if let Some((cycle, span, key)) = dependency_cycle(&edges, &names) {
            self.c.error(
                span,
                key,
                format!("services depend on each other in a cycle: {cycle}; expected dependencies that end (a service cannot need itself, even through others)"),
            );
        }
    }

    /// An active-passive failover table: an automatic failover time, its
    /// coverage (default 1: always automatic) and the manual recovery time
    /// (required when coverage is below 1).
    fn failover(
        &mut self,
        f: &Spanned<FailoverFile>,
        up_rule: Option<&UpRule>,
    ) -> Option<FailoverSpec> {
        let file = f.get_ref();
        let duration = self.c.dist(&file.duration, "service.failover.duration");
        let coverage = match &file.coverage {
            None => Some(1.0),
            Some(v) => {
                let parsed = v.get_ref().value();
                match parsed {
                    Some(x) if (0.0..=1.0).contains(&x) => Some(x),
                    _ => {
                        self.c.error(
                            v.span(),
                            "service.failover.coverage",
                            "expected the probability that a failover is automatic, from 0 to 1, as a number (0.9) or a percentage (\"90%\")".into(),
                        );
                        None
                    }
                }
            }
        };
        let manual = match (&file.manual, coverage) {
            (Some(m), _) => self.c.dist(m, "service.failover.manual"),
            (None, Some(c)) if c < 1.0 => {
                self.c.error(
                    f.span(),
                    "service.failover.manual",
                    "a failover with coverage below 1 needs `manual`, the time to recover by hand when the automatic failover does not happen".into(),
                );
                None
            }
            (None, _) => duration.clone(),
        };
        if let Some(rule) = up_rule
            && *rule != UpRule::MinHealthy(1)
        {
            self.c.error(
                f.span(),
                "service.failover",
                "an active-passive service serves from one instance at a time; expected `min_healthy = 1` with `failover`".into(),
            );
            return None;
        }
        let standby_cost = match &file.standby_cost_per_hour {
            Some(a) => Some(self.amount_per_hour(a, "service.failover.standby_cost_per_hour")?),
            None => None,
        };
        let failback = match &file.failback {
            Some(d) => Some(self.c.dist(d, "service.failover.failback")?),
            None => None,
        };
        let heartbeat = match &file.heartbeat {
            Some(h) => Some(self.heartbeat(h)?),
            None => None,
        };
        let majority = self.majority(file)?;
        Some(FailoverSpec {
            duration: duration?,
            coverage: coverage?,
            manual: manual?,
            standby_cost_per_hour: standby_cost,
            fencing: file.fencing.unwrap_or(true),
            failback,
            heartbeat,
            majority,
        })
    }

    /// `heartbeat = { interval, timeout }`: a positive interval and a
    /// timeout of at least one interval.
    fn heartbeat(&mut self, h: &Spanned<HeartbeatFile>) -> Option<HeartbeatSpec> {
        let file = h.get_ref();
        let interval = self
            .c
            .duration(&file.interval, "service.failover.heartbeat.interval");
        let timeout = self
            .c
            .duration(&file.timeout, "service.failover.heartbeat.timeout");
        let (interval, timeout) = (interval?, timeout?);
        if interval.is_zero() {
            self.c.error(
                file.interval.span(),
                "service.failover.heartbeat.interval",
                "the interval is zero; expected the time between heartbeats, such as \"1s\"".into(),
            );
            return None;
        }
        if timeout < interval {
            self.c.error(
                file.timeout.span(),
                "service.failover.heartbeat.timeout",
                format!("timeout {timeout} is shorter than the interval {interval}; expected the silence after which a standby suspects the primary, at least one interval"),
            );
            return None;
        }
        Some(HeartbeatSpec { interval, timeout })
    }

    /// A stateful service's data table: its write rate, how writes reach
    /// the standbys (`sync`, `async` with a `lag`, `batch` with
    /// `ship_every`, or `none`), and its backups.
    fn data(&mut self, d: &Spanned<DataFile>, has_failover: bool) -> Option<DataSpec> {
        let file = d.get_ref();
        let mut ok = true;
        let rate = match file.writes_per_s.get_ref().per_second() {
            Ok(rate) if rate >= 0.0 && rate.is_finite() => rate,
            Ok(rate) => {
                self.c.error(
                    file.writes_per_s.span(),
                    "service.data.writes_per_s",
                    format!("{rate} is not a write rate; expected acknowledged writes per second, zero or more"),
                );
                ok = false;
                0.0
            }
            Err(e) => {
                self.c
                    .error(file.writes_per_s.span(), "service.data.writes_per_s", e);
                ok = false;
                0.0
            }
        };
        let mode = file
            .replication
            .as_ref()
            .map(|m| (m.get_ref().trim().to_ascii_lowercase(), m.span()));
        let mode_name = mode.as_ref().map_or("none", |(m, _)| m.as_str());
        let (timeout, write_time) = self.write_keys(file, mode_name);
        let replication = match &mode {
            None => None,
            Some((m, span)) => {
                let lag = match (&file.lag, m.as_str()) {
                    (Some(l), "async") => self.c.dist(l, "service.data.lag"),
                    (Some(l), _) => {
                        self.c.error(
                            l.span(),
                            "service.data.lag",
                            "`lag` belongs to `replication = \"async\"`".into(),
                        );
                        None
                    }
                    (None, _) => None,
                };
                let every = match (&file.ship_every, m.as_str()) {
                    (Some(e), "batch") => self.c.duration(e, "service.data.ship_every"),
                    (Some(e), _) => {
                        self.c.error(
                            e.span(),
                            "service.data.ship_every",
                            "`ship_every` belongs to `replication = \"batch\"`".into(),
                        );
                        None
                    }
                    (None, _) => None,
                };
                match m.as_str() {
                    "none" => None,
                    "sync" => Some(Replication::Sync),
                    "semi-sync" => match timeout {
                        Some(timeout) => Some(Replication::SemiSync { timeout }),
                        None => {
                            ok = false;
                            None
                        }
                    },
                    "async" => match (lag, &file.lag) {
                        (Some(lag), _) => Some(Replication::Async { lag }),
                        (None, None) => {
                            self.c.error(span.clone(), "service.data.lag", "asynchronous replication needs `lag`, the time a write takes to reach the standby, such as \"exponential(mean = 50ms)\"".into());
                            ok = false;
                            None
                        }
                        (None, Some(_)) => {
                            ok = false;
                            None
                        }
                    },
                    "batch" => match (every, &file.ship_every) {
                        (Some(interval), _) if !interval.is_zero() => {
                            Some(Replication::Batch { interval })
                        }
                        (_, None) | (Some(_), _) => {
                            self.c.error(span.clone(), "service.data.ship_every", "batch replication needs `ship_every`, a positive time between batches, such as \"60s\"".into());
                            ok = false;
                            None
                        }
                        (None, Some(_)) => {
                            ok = false;
                            None
                        }
                    },
                    other => {
                        self.c.error(span.clone(), "service.data.replication", format!("unknown replication `{other}`; expected one of sync, semi-sync, async, batch, none"));
                        ok = false;
                        None
                    }
                }
            }
        };
        if replication.is_some() && !has_failover {
            self.c.error(
                d.span(),
                "service.data.replication",
                "replication to standbys needs an active-passive service: add `failover`".into(),
            );
            ok = false;
        }
        let backup_interval = match &file.backup_every {
            Some(b) => match self.c.duration(b, "service.data.backup_every") {
                Some(i) if !i.is_zero() => Some(i),
                Some(_) => {
                    self.c.error(
                        b.span(),
                        "service.data.backup_every",
                        "expected a positive time between backups, such as \"24h\"".into(),
                    );
                    ok = false;
                    None
                }
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };
        ok.then_some(DataSpec {
            writes_per_second: rate,
            replication,
            backup_interval,
            write_time,
        })
    }

    /// Resolves a list of dependencies to service indices, with their spans.
    fn dependencies(&mut self, list: &[Spanned<String>], key: &str) -> Vec<(usize, Range<usize>)> {
        let mut out: Vec<(usize, Range<usize>)> = Vec::new();
        for d in list {
            let name = d.get_ref().trim();
            match self.service_names.get(name) {
                Some(&i) if out.iter().any(|(j, _)| *j == i) => self.c.error(
                    d.span(),
                    key,
                    format!("`{name}` is listed twice; expected each dependency once"),
                ),
                Some(&i) => out.push((i, d.span())),
                None => {
                    let names = std::mem::take(&mut self.service_names);
                    self.unknown(
                        d.span(),
                        key,
                        name,
                        "the name of a [[service]]",
                        names.keys().map(String::as_str),
                    );
                    self.service_names = names;
                }
            }
        }
        out
    }

    /// A quorum store's `leader` and `election`; `None` when they had an
    /// error.
    fn leader(&mut self, q: &QuorumFile) -> Option<Option<LeaderSpec>> {
        let on = q.leader.as_ref().is_some_and(|l| *l.get_ref());
        match (&q.election, on) {
            (Some(e), true) => Some(Some(LeaderSpec {
                election: self.c.dist(e, "service.quorum.election")?,
            })),
            (Some(e), false) => {
                self.c.error(
                    e.span(),
                    "service.quorum.election",
                    "`election` belongs to a store with `leader = true`".into(),
                );
                None
            }
            (None, true) => Some(Some(LeaderSpec {
                election: Dist::deterministic(DEFAULT_ELECTION),
            })),
            (None, false) => Some(None),
        }
    }

    /// `min_healthy`, or `capacity_rps` with `load_rps`.
    fn up_rule(&mut self, s: &ServiceFile, instances: Option<usize>) -> Option<UpRule> {
        if let Some(q) = &s.quorum {
            if s.min_healthy.is_some() || s.capacity_rps.is_some() {
                self.c.error(
                    q.span(),
                    "service.quorum",
                    "`quorum` is an up rule of its own; expected exactly one of min_healthy, capacity_rps or quorum".into(),
                );
                return None;
            }
            let n = instances? as i64;
            let q = q.get_ref();
            let write = self.c.int_in(&q.write, "service.quorum.write", 1, n);
            let read = self.c.int_in(&q.read, "service.quorum.read", 1, n);
            return Some(UpRule::Quorum {
                write: write? as u32,
                read: read? as u32,
            });
        }
        match (&s.min_healthy, &s.capacity_rps) {
            (Some(k), None) => {
                if let Some(l) = &s.load_rps {
                    self.c.error(
                        l.span(),
                        "service.load_rps",
                        "`load_rps` goes with `capacity_rps`, not with `min_healthy`; expected one rule".into(),
                    );
                }
                let n = instances?;
                let v = *k.get_ref();
                if v < 1 || v as u64 > n as u64 {
                    self.c.error(
                        k.span(),
                        "service.min_healthy",
                        format!(
                            "min_healthy = {v} but the service has {n} instance{}; expected 1 to {n}",
                            if n == 1 { "" } else { "s" }
                        ),
                    );
                    return None;
                }
                Some(UpRule::MinHealthy(v as u32))
            }
            (None, Some(cap)) => {
                let per = match cap.get_ref().per_second() {
                    Ok(x) => x,
                    Err(e) => {
                        self.c.error(cap.span(), "service.capacity_rps", e);
                        return None;
                    }
                };
                let mut ok = true;
                if !(per > 0.0 && per.is_finite()) {
                    self.c.error(
                        cap.span(),
                        "service.capacity_rps",
                        format!("capacity_rps = {per}; expected a positive number of requests per second one instance serves"),
                    );
                    ok = false;
                }
                let Some(load) = &s.load_rps else {
                    self.c.error(
                        cap.span(),
                        "service.load_rps",
                        "`capacity_rps` is given without `load_rps`; expected the requests per second offered to the service, such as load_rps = 2000".into(),
                    );
                    return None;
                };
                let l = match load.get_ref().per_second() {
                    Ok(x) => x,
                    Err(e) => {
                        self.c.error(load.span(), "service.load_rps", e);
                        return None;
                    }
                };
                if !(l >= 0.0 && l.is_finite()) {
                    self.c.error(
                        load.span(),
                        "service.load_rps",
                        format!(
                            "load_rps = {l}; expected a non-negative number of requests per second"
                        ),
                    );
                    return None;
                }
                if let Some(n) = instances
                    && ok
                    && per * (n as f64) < l
                {
                    self.c.error(
                        load.span(),
                        "service.load_rps",
                        format!(
                            "load_rps = {l} exceeds the capacity of all {n} instances ({} rps), so the service could never be up; expected more instances or capacity",
                            per * n as f64
                        ),
                    );
                    ok = false;
                }
                (ok && instances.is_some()).then_some(UpRule::Capacity {
                    per_instance_rps: per,
                    load_rps: l,
                })
            }
            (Some(k), Some(_)) => {
                self.c.error(
                    k.span(),
                    "service.min_healthy",
                    "both `min_healthy` and `capacity_rps` are given; expected exactly one up rule"
                        .into(),
                );
                None
            }
            (None, None) => {
                self.c.error(
                    s.name.span(),
                    "service.min_healthy",
                    format!(
                        "service `{}` has no up rule; expected min_healthy = K (up while K instances are healthy) or capacity_rps with load_rps",
                        s.name.get_ref().trim()
                    ),
                );
                None
            }
        }
    }

    /// An amount per hour: a number, or text such as `"0.12/h"`.
    pub(super) fn amount_per_hour(&mut self, value: &Spanned<Amount>, key: &str) -> Option<f64> {
        let amount = match value.get_ref() {
            Amount::Number(x) => Ok(*x),
            Amount::Text(t) => parse_per_hour(t),
        };
        match amount {
            Ok(x) if x >= 0.0 && x.is_finite() => Some(x),
            Ok(x) => {
                self.c.error(
                    value.span(),
                    key,
                    format!("{x} is not a cost; expected a non-negative amount per hour such as 0.12 or \"0.12/h\""),
                );
                None
            }
            Err(e) => {
                self.c.error(value.span(), key, e);
                None
            }
        }
    }

    /// `[entry]`: the user-facing service and where traffic enters.
    pub(super) fn entry(&mut self, file: &SystemFile) -> Option<EntrySpec> {
        let Some(entry) = &file.entry else {
            self.c.missing(
                "entry",
                "missing field `entry`: no [entry] table; expected the user-facing service and where client traffic enters, such as [entry] service = \"web\", from = \"east\"".into(),
            );
            return None;
        };
        let name = entry.service.get_ref().trim();
        let service = match self.service_names.get(name) {
            Some(&s) => Some(s),
            None => {
                let names = std::mem::take(&mut self.service_names);
                self.unknown(
                    entry.service.span(),
                    "entry.service",
                    name,
                    "the name of a [[service]]",
                    names.keys().map(String::as_str),
                );
                self.service_names = names;
                None
            }
        };
        let from = self.zone_or_region(&entry.from, "entry.from");
        Some(EntrySpec {
            service: service?,
            from: from?,
        })
    }

    /// `[cost] currency`: 1 to 8 characters, letters or a currency sign.
    pub(super) fn currency(&mut self, file: &SystemFile) -> Option<String> {
        let v = file.cost.as_ref()?.currency.as_ref()?;
        let text = v.get_ref().trim();
        let n = text.chars().count();
        if (1..=8).contains(&n) && text.chars().all(|c| !c.is_control() && !c.is_whitespace()) {
            Some(text.to_string())
        } else {
            self.c.error(
                v.span(),
                "cost.currency",
                format!("{text:?} is not a currency; expected a code or sign of 1 to 8 characters without spaces, such as \"EUR\" or \"$\""),
            );
            None
        }
    }

    /// `[cost]`.
    pub(super) fn downtime_cost(&mut self, file: &SystemFile) -> f64 {
        let Some(v) = file
            .cost
            .as_ref()
            .and_then(|c| c.downtime_per_minute.as_ref())
        else {
            return 0.0;
        };
        let x = *v.get_ref();
        if x >= 0.0 && x.is_finite() {
            x
        } else {
            self.c.error(
                v.span(),
                "cost.downtime_per_minute",
                format!("{x} is not a cost; expected a non-negative amount per minute of downtime"),
            );
            0.0
        }
    }
}

/// Parses `"0.12/h"`, `"90/30d"` or `"2.88/d"` as an amount per hour.
fn parse_per_hour(text: &str) -> Result<f64, String> {
    parse_per(
        text,
        1.0,
        "a number (per hour) or text such as \"0.12/h\" or \"90/30d\"",
    )
}

/// Parses `"amount/duration"` (`"500/s"`, `"1.8M/h"`, `"90/30d"`) as an
/// amount per `unit_hours` hours; `k` and `M` after the amount mean
/// thousands and millions. `expected` says what was expected, for errors.
pub(crate) fn parse_per(text: &str, unit_hours: f64, expected: &str) -> Result<f64, String> {
    let expected = format!("expected {expected}");
    let Some((amount, per)) = text.split_once('/') else {
        return Err(format!("`{text}` has no `/`; {expected}"));
    };
    let amount = amount.trim();
    let (digits, scale) = match amount.strip_suffix('k') {
        Some(d) => (d, 1e3),
        None => match amount.strip_suffix('M') {
            Some(d) => (d, 1e6),
            None => (amount, 1.0),
        },
    };
    let amount: f64 = digits
        .trim()
        .parse::<f64>()
        .map(|x| x * scale)
        .map_err(|_| format!("malformed amount in `{text}`; {expected}"))?;
    let per = per.trim();
    let per = if per.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("1{per}")
    } else {
        per.to_string()
    };
    let d: SimDuration = per
        .parse()
        .map_err(|e| format!("the time in `{text}` is malformed: {e}"))?;
    if d.is_zero() {
        return Err(format!("`{text}` is per zero time; {expected}"));
    }
    Ok(amount / d.as_hours_f64() * unit_hours)
}

/// The first dependency cycle, as `a -> b -> a`, with the span and key of
/// the dependency that closes it. Depth-first, in file order.
fn dependency_cycle(
    edges: &[Vec<(usize, Range<usize>, &'static str)>],
    names: &[&str],
) -> Option<(String, Range<usize>, &'static str)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        White,
        Grey,
        Black,
    }
    type Found = (String, Range<usize>, &'static str);
    fn visit(
        s: usize,
        edges: &[Vec<(usize, Range<usize>, &'static str)>],
        names: &[&str],
        colour: &mut [Colour],
        stack: &mut Vec<usize>,
    ) -> Option<Found> {
        colour[s] = Colour::Grey;
        stack.push(s);
        for (d, span, key) in edges.get(s).into_iter().flatten() {
            let d = *d;
            match colour.get(d).copied() {
                Some(Colour::Grey) => {
                    let start = stack.iter().position(|&x| x == d).unwrap_or(0);
                    let mut path: Vec<&str> = stack[start..]
                        .iter()
                        .map(|&x| names.get(x).copied().unwrap_or("?"))
                        .collect();
                    path.push(names.get(d).copied().unwrap_or("?"));
                    return Some((path.join(" -> "), span.clone(), key));
                }
                Some(Colour::White) => {
                    if let Some(found) = visit(d, edges, names, colour, stack) {
                        return Some(found);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        colour[s] = Colour::Black;
        None
    }
    let mut colour = vec![Colour::White; edges.len()];
    let mut stack = Vec::new();
    (0..edges.len()).find_map(|s| {
        if colour[s] == Colour::White {
            visit(s, edges, names, &mut colour, &mut stack)
        } else {
            None
        }
    })
}
