//! Faults: the kind, the keys that apply to it, and what it does: targets
//! taken down or degraded, a partition, a bad rollout. The names of faults
//! are unique.

use std::collections::BTreeSet;
use std::ops::Range;

use models::system::spec::{Effect, Element, FaultClass, FaultSpec, Occurrence, UpRule};
use serde_spanned::Spanned;

use super::names::suggestion;
use super::targets::Level;
use super::{Builder, MAX_COUNT};
use crate::system_file::FaultFile;

impl Builder<'_> {
    /// Reports faults with the same name (given or defaulted to the kind).
    pub(super) fn unique_fault_names(&mut self, faults: &[FaultFile]) {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for f in faults {
            let (name, span) = match &f.name {
                Some(n) => (n.get_ref().trim().to_string(), n.span()),
                None => (f.kind.get_ref().trim().to_string(), f.kind.span()),
            };
            if !seen.insert(name.clone()) {
                let hint = if f.name.is_none() {
                    "; give each fault of this kind a `name`"
                } else {
                    ""
                };
                self.c.error(
                    span,
                    if f.name.is_some() { "fault.name" } else { "fault.kind" },
                    format!("two faults are named `{name}`; expected unique names (they key each fault's random streams){hint}"),
                );
            }
        }
    }

    /// One `[[fault]]`.
    pub(super) fn fault(&mut self, f: &FaultFile) -> Option<FaultSpec> {
        let name = match &f.name {
            Some(n) => self.name(n, "fault.name"),
            None => f.kind.get_ref().trim().to_string(),
        };
        let kind = f.kind.get_ref().trim();
        let class = FaultClass::ALL.iter().copied().find(|c| c.name() == kind);
        if class.is_none() {
            let kinds: Vec<&str> = FaultClass::ALL.iter().map(|c| c.name()).collect();
            let hint = match suggestion(kind, kinds.iter().copied()) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => String::new(),
            };
            self.c.error(
                f.kind.span(),
                "fault.kind",
                format!(
                    "unknown fault kind `{kind}`; expected one of {}{hint}",
                    kinds.join(", ")
                ),
            );
        }
        let effect = class.and_then(|class| self.effect(f, class));
        let occurrence = self.occurrence(f);
        let repair = self.repair(f, class);
        if let (Some(Occurrence::Random { every }), Some(r), Some(span)) =
            (&occurrence, &repair, f.repair.as_ref().map(|r| r.span()))
            && !self.c.cycle(every, &r.duration, span, "fault.repair")
        {
            return None;
        }
        Some(FaultSpec {
            name,
            class: class?,
            effect: effect?,
            occurrence: occurrence?,
            repair: repair?,
            resets: Vec::new(),
        })
    }

    /// Reports each key given that does not apply to the fault's kind.
    fn keys_apply(&mut self, f: &FaultFile, class: FaultClass) {
        use FaultClass as C;
        let hosts = matches!(
            class,
            C::HostCrash
                | C::DiskFailure
                | C::GrayFailure
                | C::Aging
                | C::Maintenance
                | C::CommonCause
        );
        let domains = matches!(
            class,
            C::RackPower | C::ZoneOutage | C::RegionOutage | C::LinkDown | C::DegradedLink
        );
        let checks: [(Option<Range<usize>>, &str, bool, &str); 10] = [
            (
                f.after_uptime.as_ref().map(Spanned::span),
                "after_uptime",
                class == C::Maintenance,
                "maintenance",
            ),
            (
                f.resets.as_ref().map(Spanned::span),
                "resets",
                class == C::Maintenance,
                "maintenance",
            ),
            (
                f.error_fraction.as_ref().map(Spanned::span),
                "error_fraction",
                matches!(class, C::GrayFailure | C::DegradedLink),
                "gray-failure and degraded-link",
            ),
            (
                f.targets.as_ref().map(Spanned::span),
                "targets",
                hosts || domains,
                "host, rack, zone, region and link faults",
            ),
            (
                f.service.as_ref().map(Spanned::span),
                "service",
                hosts
                    || matches!(
                        class,
                        C::BadDeploy | C::Misconfiguration | C::CrashBug | C::DataDeletion
                    ),
                "host faults, bad-deploy, misconfiguration, crash-bug and data-deletion",
            ),
            (
                f.zones.as_ref().map(Spanned::span),
                "zones",
                class == C::Misconfiguration,
                "misconfiguration",
            ),
            (
                f.between.as_ref().map(Spanned::span),
                "between",
                class == C::Partition,
                "partition",
            ),
            (
                f.batch_size.as_ref().map(Spanned::span),
                "batch_size",
                class == C::BadDeploy,
                "bad-deploy",
            ),
            (
                f.batch_interval.as_ref().map(Spanned::span),
                "batch_interval",
                class == C::BadDeploy,
                "bad-deploy",
            ),
            (
                f.factor.as_ref().map(Spanned::span),
                "factor",
                class == C::TrafficSpike,
                "traffic-spike",
            ),
        ];
        for (span, key, applies, belongs) in checks {
            if let Some(span) = span
                && !applies
            {
                self.c.error(
                    span,
                    &format!("fault.{key}"),
                    format!(
                        "`{key}` does not apply to a {} fault; it belongs to {belongs}",
                        class.name()
                    ),
                );
            }
        }
    }

    /// The share of requests a gray host or lossy link fails: a number in
    /// (0, 1] or a percentage such as `"5%"`; required for those kinds.
    fn error_fraction(&mut self, f: &FaultFile, class: FaultClass) -> Option<f64> {
        let Some(v) = &f.error_fraction else {
            self.c.error(
                f.kind.span(),
                "fault.error_fraction",
                format!(
                    "a {} fault needs `error_fraction`, the share of affected requests that fail, as a number in (0, 1] or a percentage such as \"5%\"",
                    class.name()
                ),
            );
            return None;
        };
        let parsed = v.get_ref().value();
        match parsed {
            Some(x) if x > 0.0 && x <= 1.0 => Some(x),
            _ => {
                self.c.error(
                    v.span(),
                    "fault.error_fraction",
                    "expected a share of requests in (0, 1], as a number (0.05) or a percentage (\"5%\")".into(),
                );
                None
            }
        }
    }

    /// What the fault does, by kind.
    fn effect(&mut self, f: &FaultFile, class: FaultClass) -> Option<Effect> {
        use FaultClass as C;
        self.keys_apply(f, class);
        let down = |t: Vec<Element>| Some(Effect::Down(t));
        match class {
            C::HostCrash | C::DiskFailure | C::Aging | C::Maintenance => {
                down(self.host_targets(f, class)?)
            }
            C::GrayFailure => {
                let targets = self.host_targets(f, class);
                let error_fraction = self.error_fraction(f, class);
                Some(Effect::Degrade {
                    targets: targets?,
                    error_fraction: error_fraction?,
                })
            }
            C::CommonCause => Some(Effect::Shock(self.host_targets(f, class)?)),
            C::RackPower => down(self.domain_targets(f, class, Level::Racks)?),
            C::ZoneOutage => down(self.domain_targets(f, class, Level::Zones)?),
            C::RegionOutage => down(self.domain_targets(f, class, Level::Regions)?),
            C::LinkDown => down(self.domain_targets(f, class, Level::Links)?),
            C::DegradedLink => {
                let targets = self.domain_targets(f, class, Level::Links);
                let error_fraction = self.error_fraction(f, class);
                Some(Effect::Degrade {
                    targets: targets?,
                    error_fraction: error_fraction?,
                })
            }
            C::Partition => self.partition(f),
            C::BadDeploy => self.rollout(f),
            C::TrafficSpike => self.surge(f),
            C::Misconfiguration => match (&f.service, &f.zones) {
                (Some(s), None) => down(vec![Element::Service(self.fault_service(s)?)]),
                (None, Some(z)) => {
                    let zones = self.resolve(z, "fault.zones", Level::Zones, class)?;
                    down(zones.into_iter().map(Element::Zone).collect())
                }
                (Some(s), Some(_)) => {
                    self.c.error(
                        s.span(),
                        "fault.service",
                        "both `service` and `zones` are given; expected one: the service the bad configuration takes down, or the zones".into(),
                    );
                    None
                }
                (None, None) => {
                    self.c.error(
                        f.kind.span(),
                        "fault.service",
                        "a misconfiguration fault needs `service = \"NAME\"` (that service goes down) or `zones = [...]` (those zones go down)".into(),
                    );
                    None
                }
            },
            C::CrashBug | C::DataDeletion => match &f.service {
                Some(s) => down(vec![Element::Service(self.fault_service(s)?)]),
                None => {
                    self.c.error(
                        f.kind.span(),
                        "fault.service",
                        format!("a {} fault needs `service = \"NAME\"`, the service whose instances it takes down", class.name()),
                    );
                    None
                }
            },
        }
    }

    /// `between = [[...], [...]]`: two groups of zones.
    fn partition(&mut self, f: &FaultFile) -> Option<Effect> {
        let Some(between) = &f.between else {
            self.c.error(
                f.kind.span(),
                "fault.between",
                "a partition fault needs `between`, the two sides, such as between = [[\"east-a\"], [\"east-b\", \"east-c\"]]".into(),
            );
            return None;
        };
        let sides = between.get_ref();
        if sides.len() != 2 {
            self.c.error(
                between.span(),
                "fault.between",
                format!(
                    "{} sides; expected exactly two lists of zones or regions, such as [[\"east-a\"], [\"east-b\", \"east-c\"]]",
                    sides.len()
                ),
            );
            return None;
        }
        let a = self.resolve(
            &sides[0],
            "fault.between",
            Level::Zones,
            FaultClass::Partition,
        );
        let b = self.resolve(
            &sides[1],
            "fault.between",
            Level::Zones,
            FaultClass::Partition,
        );
        let (a, b) = (a?, b?);
        if let Some(z) = a.iter().find(|z| b.contains(z)) {
            self.c.error(
                between.span(),
                "fault.between",
                format!(
                    "zone `{}` is on both sides; expected two groups with no zone in common",
                    self.zones[*z].name
                ),
            );
            return None;
        }
        Some(Effect::Partition { a, b })
    }

    /// `traffic-spike`: the load while it lasts, as a multiple of the
    /// usual load; it acts on the services with a capacity up rule.
    fn surge(&mut self, f: &FaultFile) -> Option<Effect> {
        let capacity = self
            .services
            .iter()
            .any(|s| matches!(s.up_rule, Some(UpRule::Capacity { .. })));
        if !capacity {
            self.c.error(
                f.kind.span(),
                "fault.kind",
                "a traffic-spike raises the load of services with `capacity_rps` and `load_rps`, and no service has them; expected at least one such service".into(),
            );
        }
        let Some(factor) = &f.factor else {
            self.c.error(
                f.kind.span(),
                "fault.factor",
                "a traffic-spike fault needs `factor`, the load while it lasts as a multiple of the usual load, such as factor = 3.0".into(),
            );
            return None;
        };
        let x = *factor.get_ref();
        if !(x > 1.0 && x.is_finite()) {
            self.c.error(
                factor.span(),
                "fault.factor",
                format!("factor = {x}; expected a multiple of the usual load above 1, such as 3.0"),
            );
            return None;
        }
        capacity.then_some(Effect::Surge { factor: x })
    }

    /// `bad-deploy`: the service, batch size and interval.
    fn rollout(&mut self, f: &FaultFile) -> Option<Effect> {
        let service = match &f.service {
            Some(s) => self.fault_service(s),
            None => {
                self.c.error(
                    f.kind.span(),
                    "fault.service",
                    "a bad-deploy fault needs `service = \"NAME\"`, the service the release rolls out to".into(),
                );
                None
            }
        };
        let batch_size = match &f.batch_size {
            Some(b) => self
                .c
                .int_in(b, "fault.batch_size", 1, MAX_COUNT)
                .map(|b| b as u32),
            None => {
                self.c.error(
                    f.kind.span(),
                    "fault.batch_size",
                    "a bad-deploy fault needs `batch_size`, the instances one batch of the rollout reaches, such as batch_size = 2".into(),
                );
                None
            }
        };
        let batch_interval = match &f.batch_interval {
            Some(i) => match self.c.duration(i, "fault.batch_interval") {
                Some(d) if d.is_zero() => {
                    self.c.error(
                        i.span(),
                        "fault.batch_interval",
                        "the interval is zero; expected a positive duration such as \"10m\" (to reach every instance at once, set batch_size to the instance count)".into(),
                    );
                    None
                }
                d => d,
            },
            None => {
                self.c.error(
                    f.kind.span(),
                    "fault.batch_interval",
                    "a bad-deploy fault needs `batch_interval`, the time between batches, such as batch_interval = \"10m\"".into(),
                );
                None
            }
        };
        if f.detection.is_none() {
            self.c.error(
                f.kind.span(),
                "fault.detection",
                "a bad-deploy fault needs `detection`, the time until the bad release is noticed (it decides how many batches it reaches), such as detection = \"lognormal(median = 15m, p95 = 1h)\"".into(),
            );
        }
        Some(Effect::Rollout {
            service: service?,
            batch_size: batch_size?,
            batch_interval: batch_interval?,
        })
    }
}
