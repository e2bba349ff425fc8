//! Validation of a [`SystemSpec`]: indices in range, no dependency cycle,
//! counts that make sense, and the errors that say what is wrong.

use super::{Effect, Element, Occurrence, Place, SystemSpec, UpRule};

/// Why a [`SystemSpec`] cannot be simulated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SystemError {
    /// An index points past the end of its list.
    #[error("{what} refers to {kind} #{index}, which does not exist")]
    BadIndex {
        /// What holds the reference.
        what: String,
        /// The kind of thing referred to.
        kind: &'static str,
        /// The index.
        index: usize,
    },
    /// Hard or soft dependencies form a cycle.
    #[error("services depend on each other in a cycle: {0}")]
    Cycle(String),
    /// A service has no instances.
    #[error("service `{0}` has no instances")]
    NoInstances(String),
    /// An up rule cannot be met or makes no sense.
    #[error("service `{service}`: {reason}")]
    BadUpRule {
        /// The service.
        service: String,
        /// What is wrong.
        reason: String,
    },
    /// A failover's coverage is not a probability, or its service does not
    /// need exactly one active instance.
    #[error("service `{service}`: {reason}")]
    BadFailover {
        /// The service.
        service: String,
        /// What is wrong.
        reason: String,
    },
    /// A service's autoscaling makes no sense: bounds out of order or
    /// beyond its instances, a target outside (0, 1], or a service that
    /// is not an active-active capacity pool without health checks.
    #[error("service `{service}`: {reason}")]
    BadAutoscale {
        /// The service.
        service: String,
        /// What is wrong.
        reason: String,
    },
    /// A service's health checks make no sense: a false-failure
    /// probability outside [0, 50%], no checkers, a negative check cost,
    /// or checks that take all of an instance's capacity.
    #[error("service `{service}`: {reason}")]
    BadHealthCheck {
        /// The service.
        service: String,
        /// What is wrong.
        reason: String,
    },
    /// A team has no crews.
    #[error("team `{0}` has no crews")]
    NoCrews(String),
    /// A degradation's error fraction is outside (0, 1].
    #[error("fault `{0}`: the error fraction must be more than 0 and at most 1")]
    BadFraction(String),
    /// A fault has nothing to act on.
    #[error("fault `{0}` has no targets")]
    NoTargets(String),
    /// The load curve, or a traffic surge, makes no sense.
    #[error("load: {0}")]
    BadLoad(String),
    /// A price, a size, a retention or a credit tier makes no sense.
    #[error("cost: {0}")]
    BadCost(String),
    /// A fault renews faults it cannot renew, or restarts hosts after
    /// uptime without taking hosts down.
    #[error("fault `{fault}`: {reason}")]
    BadRenewal {
        /// The fault.
        fault: String,
        /// What is wrong.
        reason: String,
    },
}

impl SystemSpec {
    /// Checks indices, dependency cycles and counts.
    pub fn validate(&self) -> Result<(), SystemError> {
        let bad = |what: String, kind: &'static str, index: usize| SystemError::BadIndex {
            what,
            kind,
            index,
        };
        for z in &self.zones {
            if z.region >= self.regions.len() {
                return Err(bad(format!("zone `{}`", z.name), "region", z.region));
            }
        }
        for r in &self.racks {
            if r.zone >= self.zones.len() {
                return Err(bad(format!("rack `{}`", r.name), "zone", r.zone));
            }
        }
        for h in &self.hosts {
            if h.rack >= self.racks.len() {
                return Err(bad(format!("host `{}`", h.name), "rack", h.rack));
            }
        }
        let place_ok = |p: Place| match p {
            Place::Zone(z) => z < self.zones.len(),
            Place::Region(r) => r < self.regions.len(),
        };
        for l in &self.links {
            if !place_ok(l.a) || !place_ok(l.b) {
                return Err(bad(format!("link `{}`", l.name), "place", 0));
            }
        }
        for s in &self.services {
            if s.instances.is_empty() {
                return Err(SystemError::NoInstances(s.name.clone()));
            }
            for i in &s.instances {
                if i.host >= self.hosts.len() {
                    return Err(bad(format!("instance `{}`", i.name), "host", i.host));
                }
            }
            for &d in s.hard_dependencies.iter().chain(&s.soft_dependencies) {
                if d >= self.services.len() {
                    return Err(bad(format!("service `{}`", s.name), "service", d));
                }
            }
            match s.up_rule {
                UpRule::MinHealthy(k) if k == 0 || k as usize > s.instances.len() => {
                    return Err(SystemError::BadUpRule {
                        service: s.name.clone(),
                        reason: format!(
                            "min_healthy = {k} but it has {} instances; expected 1 to {}",
                            s.instances.len(),
                            s.instances.len()
                        ),
                    });
                }
                _ if s.leader.is_some() && !matches!(s.up_rule, UpRule::Quorum { .. }) => {
                    return Err(SystemError::BadUpRule {
                        service: s.name.clone(),
                        reason: "a leader belongs to a quorum store".into(),
                    });
                }
                UpRule::Quorum { write, read }
                    if write == 0
                        || read == 0
                        || write as usize > s.instances.len()
                        || read as usize > s.instances.len() =>
                {
                    return Err(SystemError::BadUpRule {
                        service: s.name.clone(),
                        reason: format!(
                            "quorum W = {write}, R = {read} with {} replicas; expected each from 1 to {}",
                            s.instances.len(),
                            s.instances.len()
                        ),
                    });
                }
                UpRule::Capacity {
                    per_instance_rps,
                    load_rps,
                } if !(per_instance_rps > 0.0 && load_rps >= 0.0 && load_rps.is_finite()) => {
                    return Err(SystemError::BadUpRule {
                        service: s.name.clone(),
                        reason: "capacity must be positive and load non-negative".into(),
                    });
                }
                _ => {}
            }
            if let Some(a) = &s.autoscale {
                let bad = |reason: String| SystemError::BadAutoscale {
                    service: s.name.clone(),
                    reason,
                };
                a.validate(s.instances.len()).map_err(bad)?;
                if !matches!(s.up_rule, UpRule::Capacity { .. }) {
                    return Err(bad("autoscaling needs a capacity up rule".into()));
                }
                if s.failover.is_some() || s.health_check.is_some() {
                    return Err(bad(
                        "autoscaling works without failover and without health checks".into(),
                    ));
                }
            }
            if let Some(h) = &s.health_check {
                let bad = |reason: String| SystemError::BadHealthCheck {
                    service: s.name.clone(),
                    reason,
                };
                if !(0.0..=0.5).contains(&h.false_failure) {
                    return Err(bad(format!(
                        "a false-failure probability of {} is outside [0, 50%]",
                        h.false_failure
                    )));
                }
                if h.checkers == 0 || !(h.check_cost >= 0.0 && h.check_cost.is_finite()) {
                    return Err(bad(
                        "health checks need at least one checker and a check cost of 0 or more"
                            .into(),
                    ));
                }
                if let UpRule::Capacity {
                    per_instance_rps, ..
                } = s.up_rule
                    && h.check_load_rps() >= per_instance_rps
                {
                    return Err(bad(format!(
                        "the health checks take {} rps from each instance, all of its capacity of {per_instance_rps} rps",
                        h.check_load_rps()
                    )));
                }
            }
            if let Some(d) = &s.data {
                if !(d.writes_per_second >= 0.0 && d.writes_per_second.is_finite()) {
                    return Err(SystemError::BadFailover {
                        service: s.name.clone(),
                        reason: "the write rate must be a non-negative number".into(),
                    });
                }
                if d.replication.is_some() && s.failover.is_none() {
                    return Err(SystemError::BadFailover {
                        service: s.name.clone(),
                        reason:
                            "replication to standbys needs an active-passive service (`failover`)"
                                .into(),
                    });
                }
            }
            if let Some(f) = &s.failover {
                if !(0.0..=1.0).contains(&f.coverage) {
                    return Err(SystemError::BadFailover {
                        service: s.name.clone(),
                        reason: format!("coverage {} is not a probability", f.coverage),
                    });
                }
                if let Some(h) = &f.heartbeat
                    && (h.interval.is_zero() || h.timeout < h.interval)
                {
                    return Err(SystemError::BadFailover {
                        service: s.name.clone(),
                        reason: "heartbeats need a positive interval and a timeout of at least one interval".into(),
                    });
                }
                if s.up_rule != UpRule::MinHealthy(1) {
                    return Err(SystemError::BadFailover {
                        service: s.name.clone(),
                        reason: "an active-passive service serves from one instance: its up rule must be min_healthy = 1".into(),
                    });
                }
            }
        }
        if self.entry.service >= self.services.len() || !place_ok(self.entry.from) {
            return Err(bad(
                "the entry point".into(),
                "service or place",
                self.entry.service,
            ));
        }
        if let Some(cycle) = self.dependency_cycle() {
            return Err(SystemError::Cycle(cycle));
        }
        if let Some(curve) = &self.load_curve {
            curve.validate().map_err(SystemError::BadLoad)?;
        }
        for t in &self.teams {
            if t.crews == 0 {
                return Err(SystemError::NoCrews(t.name.clone()));
            }
        }
        for f in &self.faults {
            if let Some(team) = f.repair.team
                && team >= self.teams.len()
            {
                return Err(bad(format!("fault `{}`", f.name), "team", team));
            }
            if let Effect::Surge { factor } = f.effect
                && !(factor > 1.0 && factor.is_finite())
            {
                return Err(SystemError::BadLoad(format!(
                    "fault `{}`: a surge factor must be a number above 1, not {factor}",
                    f.name
                )));
            }
            let empty = match &f.effect {
                Effect::Down(t) | Effect::Degrade { targets: t, .. } | Effect::Shock(t) => {
                    t.is_empty()
                }
                Effect::Partition { a, b } => a.is_empty() || b.is_empty(),
                Effect::Rollout { .. } | Effect::Surge { .. } => false,
            };
            if empty {
                return Err(SystemError::NoTargets(f.name.clone()));
            }
            if let Effect::Degrade { error_fraction, .. } = f.effect
                && !(error_fraction > 0.0 && error_fraction <= 1.0)
            {
                return Err(SystemError::BadFraction(f.name.clone()));
            }
            let elements: &[Element] = match &f.effect {
                Effect::Down(t) | Effect::Degrade { targets: t, .. } | Effect::Shock(t) => t,
                _ => &[],
            };
            for &e in elements {
                if !self.element_exists(e) {
                    return Err(bad(format!("fault `{}`", f.name), "element", 0));
                }
            }
            match &f.effect {
                Effect::Partition { a, b } => {
                    if let Some(&z) = a.iter().chain(b).find(|&&z| z >= self.zones.len()) {
                        return Err(bad(format!("fault `{}`", f.name), "zone", z));
                    }
                }
                Effect::Rollout { service, .. } if *service >= self.services.len() => {
                    return Err(bad(format!("fault `{}`", f.name), "service", *service));
                }
                _ => {}
            }
            self.validate_renewal(f)?;
        }
        Ok(())
    }

    /// Checks what a fault renews (`resets`) and its uptime clock
    /// (`Occurrence::AfterUptime`): both need a fault that takes hosts
    /// down, and only host-level random faults can be renewed.
    fn validate_renewal(&self, f: &super::FaultSpec) -> Result<(), SystemError> {
        let renewal = |reason: String| SystemError::BadRenewal {
            fault: f.name.clone(),
            reason,
        };
        let on_hosts = |effect: &Effect| match effect {
            Effect::Down(t) | Effect::Degrade { targets: t, .. } => {
                t.iter().all(|e| matches!(e, Element::Host(_)))
            }
            _ => false,
        };
        let takes_hosts_down = matches!(f.effect, Effect::Down(_)) && on_hosts(&f.effect);
        if matches!(f.occurrence, Occurrence::AfterUptime { uptime } if uptime.is_zero()) {
            return Err(renewal("a restart after no uptime at all".into()));
        }
        if matches!(f.occurrence, Occurrence::AfterUptime { .. }) && !takes_hosts_down {
            return Err(renewal(
                "only a fault that takes hosts down can restart them after uptime".into(),
            ));
        }
        if f.resets.is_empty() {
            return Ok(());
        }
        if !takes_hosts_down {
            return Err(renewal(
                "only a fault that takes hosts down can renew other faults".into(),
            ));
        }
        for &r in &f.resets {
            let Some(other) = self.faults.get(r) else {
                return Err(SystemError::BadIndex {
                    what: format!("fault `{}`", f.name),
                    kind: "fault",
                    index: r,
                });
            };
            if std::ptr::eq(other, f) {
                return Err(renewal("it renews itself".into()));
            }
            if !on_hosts(&other.effect) || !matches!(other.occurrence, Occurrence::Random { .. }) {
                return Err(renewal(format!(
                    "it renews `{}`, which is not a host-level fault with random occurrences",
                    other.name
                )));
            }
        }
        self.costs.validate().map_err(SystemError::BadCost)?;
        Ok(())
    }

    fn element_exists(&self, e: Element) -> bool {
        match e {
            Element::Host(i) => i < self.hosts.len(),
            Element::Rack(i) => i < self.racks.len(),
            Element::Zone(i) => i < self.zones.len(),
            Element::Region(i) => i < self.regions.len(),
            Element::Link(i) => i < self.links.len(),
            Element::Service(i) => i < self.services.len(),
            Element::Instance(s, i) => {
                s < self.services.len() && i < self.services[s].instances.len()
            }
        }
    }
}
