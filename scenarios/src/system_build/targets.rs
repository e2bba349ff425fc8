//! Fault targets: `"all"` or lists of topology names resolved to the
//! elements of one level, wider failure domains standing for the elements
//! inside them; or a service, standing for the hosts it runs on.

use std::collections::BTreeSet;

use models::system::spec::{Element, FaultClass};
use serde_spanned::Spanned;

use super::Builder;
use super::topology::Kind;
use crate::system_file::{FaultFile, Names};

/// What a list of topology names resolves to: the elements of one level,
/// with wider failure domains standing for the elements inside them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Level {
    Hosts,
    Racks,
    Zones,
    Regions,
    Links,
}

impl Level {
    /// The kinds of names accepted at this level.
    fn accepts(self, kind: Kind) -> bool {
        match self {
            Level::Hosts => kind != Kind::Link,
            Level::Racks => matches!(kind, Kind::Rack | Kind::Zone | Kind::Region),
            Level::Zones => matches!(kind, Kind::Zone | Kind::Region),
            Level::Regions => kind == Kind::Region,
            Level::Links => kind == Kind::Link,
        }
    }

    /// What names are expected, as a phrase.
    fn expected(self) -> &'static str {
        match self {
            Level::Hosts => "hosts, or racks, zones and regions meaning the hosts inside them",
            Level::Racks => "racks, or zones and regions meaning the racks inside them",
            Level::Zones => "zones, or regions meaning the zones inside them",
            Level::Regions => "regions",
            Level::Links => "links",
        }
    }

    /// The plural noun, for "there are no ...".
    fn plural(self) -> &'static str {
        match self {
            Level::Hosts => "hosts",
            Level::Racks => "racks",
            Level::Zones => "zones",
            Level::Regions => "regions",
            Level::Links => "links",
        }
    }
}

impl Builder<'_> {
    /// The service a fault names.
    pub(super) fn fault_service(&mut self, s: &Spanned<String>) -> Option<usize> {
        let name = s.get_ref().trim();
        if let Some(&i) = self.service_names.get(name) {
            return Some(i);
        }
        let names = std::mem::take(&mut self.service_names);
        self.unknown(
            s.span(),
            "fault.service",
            name,
            "the name of a [[service]]",
            names.keys().map(String::as_str),
        );
        self.service_names = names;
        None
    }

    /// Hosts: `targets` (hosts, or wider domains meaning their hosts), or
    /// `service` (the hosts its instances run on).
    pub(super) fn host_targets(
        &mut self,
        f: &FaultFile,
        class: FaultClass,
    ) -> Option<Vec<Element>> {
        let hosts = match (&f.targets, &f.service) {
            (Some(t), None) => self.resolve(t, "fault.targets", Level::Hosts, class)?,
            (None, Some(s)) => {
                let i = self.fault_service(s)?;
                // A service whose placement failed has left a diagnostic.
                let placed = self.services.get(i)?.instances.as_ref()?;
                let set: BTreeSet<usize> = placed.iter().map(|p| p.host).collect();
                set.into_iter().collect()
            }
            (Some(t), Some(_)) => {
                self.c.error(
                    t.span(),
                    "fault.targets",
                    "both `targets` and `service` are given; expected one: the hosts (or domains) hit, or the service whose hosts are hit".into(),
                );
                return None;
            }
            (None, None) => {
                self.c.error(
                    f.kind.span(),
                    "fault.targets",
                    format!("a {} fault needs `targets` (\"all\", or a list of {}) or `service = \"NAME\"` (the hosts of its instances)", class.name(), Level::Hosts.expected()),
                );
                return None;
            }
        };
        Some(hosts.into_iter().map(Element::Host).collect())
    }

    /// Racks, zones, regions or links named by `targets`.
    pub(super) fn domain_targets(
        &mut self,
        f: &FaultFile,
        class: FaultClass,
        level: Level,
    ) -> Option<Vec<Element>> {
        let Some(t) = &f.targets else {
            self.c.error(
                f.kind.span(),
                "fault.targets",
                format!(
                    "a {} fault needs `targets`: \"all\", or a list of {}",
                    class.name(),
                    level.expected()
                ),
            );
            return None;
        };
        let found = self.resolve(t, "fault.targets", level, class)?;
        let element = match level {
            Level::Hosts => Element::Host,
            Level::Racks => Element::Rack,
            Level::Zones => Element::Zone,
            Level::Regions => Element::Region,
            Level::Links => Element::Link,
        };
        Some(found.into_iter().map(element).collect())
    }

    /// Resolves `"all"` or a list of names to the sorted indices of the
    /// elements of `level` they stand for. Every bad name is reported.
    pub(super) fn resolve(
        &mut self,
        names: &Spanned<Names>,
        key: &str,
        level: Level,
        class: FaultClass,
    ) -> Option<Vec<usize>> {
        let list: Vec<Spanned<String>> = match names.get_ref() {
            Names::One(n) if n.trim() == "all" => {
                let count = match level {
                    Level::Hosts => self.hosts.len(),
                    Level::Racks => self.racks.len(),
                    Level::Zones => self.zones.len(),
                    Level::Regions => self.regions.len(),
                    Level::Links => self.links.len(),
                };
                if count == 0 {
                    self.c.error(
                        names.span(),
                        key,
                        format!(
                            "\"all\" names nothing: the system has no {}; expected a system with some, or no such fault",
                            level.plural()
                        ),
                    );
                    return None;
                }
                return Some((0..count).collect());
            }
            Names::One(n) => vec![Spanned::new(names.span(), n.clone())],
            Names::Many(list) => list.clone(),
        };
        if list.is_empty() {
            self.c.error(
                names.span(),
                key,
                format!(
                    "the list is empty; expected \"all\" or at least one name of {}",
                    level.expected()
                ),
            );
            return None;
        }
        let expected = format!(
            "for a {} fault, the name of one of {}",
            class.name(),
            level.expected()
        );
        let mut out = BTreeSet::new();
        let mut ok = true;
        for n in &list {
            if n.get_ref().trim() == "all" && !self.places.contains_key("all") {
                self.c.error(
                    n.span(),
                    key,
                    "\"all\" inside a list; expected targets = \"all\" on its own, or a list of names".into(),
                );
                ok = false;
                continue;
            }
            match self.place(n, key, &|k| level.accepts(k), &expected) {
                Some((kind, i)) => self.expand(kind, i, level, &mut out),
                None => ok = false,
            }
        }
        ok.then(|| out.into_iter().collect())
    }

    /// Adds to `out` the elements of `level` inside element `i` of `kind`.
    fn expand(&self, kind: Kind, i: usize, level: Level, out: &mut BTreeSet<usize>) {
        let zones_of_region = |r: usize| self.region_zones.get(r).into_iter().flatten().copied();
        let racks_of_zone = |z: usize| self.zone_racks.get(z).into_iter().flatten().copied();
        let hosts_of_rack = |r: usize| self.rack_hosts.get(r).into_iter().flatten().copied();
        let zones: Vec<usize> = match kind {
            Kind::Region => zones_of_region(i).collect(),
            Kind::Zone => vec![i],
            _ => Vec::new(),
        };
        match (level, kind) {
            (Level::Regions, _) | (Level::Links, _) => {
                out.insert(i);
            }
            (Level::Zones, _) => out.extend(zones),
            (Level::Racks, Kind::Rack) => {
                out.insert(i);
            }
            (Level::Racks, _) => out.extend(zones.into_iter().flat_map(racks_of_zone)),
            (Level::Hosts, Kind::Host) => {
                out.insert(i);
            }
            (Level::Hosts, Kind::Rack) => out.extend(hosts_of_rack(i)),
            (Level::Hosts, _) => out.extend(
                zones
                    .into_iter()
                    .flat_map(racks_of_zone)
                    .flat_map(hosts_of_rack),
            ),
        }
    }
}
