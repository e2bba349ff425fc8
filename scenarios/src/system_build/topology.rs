//! The topology: regions, zones expanded into named racks and hosts, and
//! links; the one namespace their names share, and looking names up in it.

use std::ops::Range;

use models::system::spec::{HostSpec, LinkSpec, Place, RackSpec, ZoneSpec};
use serde_spanned::Spanned;

use super::{Builder, MAX_HOSTS, MAX_HOSTS_PER_RACK, MAX_RACKS_PER_ZONE};
use crate::system_file::SystemFile;

/// The kinds of topology names; they share one namespace, since fault
/// targets may name any of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Region,
    Zone,
    Rack,
    Host,
    Link,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Region => "region",
            Kind::Zone => "zone",
            Kind::Rack => "rack",
            Kind::Host => "host",
            Kind::Link => "link",
        }
    }
}

impl Builder<'_> {
    /// Records a topology name, or reports that it is taken.
    fn register(&mut self, name: &str, kind: Kind, index: usize, span: Range<usize>, key: &str) {
        if name.is_empty() {
            return;
        }
        if let Some(&(other, _)) = self.places.get(name) {
            self.c.error(
                span,
                key,
                format!(
                    "`{name}` already names a {}; expected unique names across regions, zones, racks, hosts and links (fault targets refer to them by name)",
                    other.noun()
                ),
            );
        } else {
            self.places.insert(name.to_string(), (kind, index));
        }
    }

    /// Looks up one topology name whose kind must be one `accepted`.
    pub(super) fn place(
        &mut self,
        value: &Spanned<String>,
        key: &str,
        accepted: &dyn Fn(Kind) -> bool,
        expected: &str,
    ) -> Option<(Kind, usize)> {
        let name = value.get_ref().trim();
        match self.places.get(name) {
            Some(&(kind, index)) if accepted(kind) => Some((kind, index)),
            Some(&(kind, _)) => {
                self.c.error(
                    value.span(),
                    key,
                    format!("`{name}` is a {}; expected {expected}", kind.noun()),
                );
                None
            }
            None => {
                let places = std::mem::take(&mut self.places);
                let candidates = places
                    .iter()
                    .filter(|(_, (k, _))| accepted(*k))
                    .map(|(n, _)| n.as_str());
                self.unknown(value.span(), key, name, expected, candidates);
                self.places = places;
                None
            }
        }
    }

    /// A zone or region, as a [`Place`].
    pub(super) fn zone_or_region(&mut self, value: &Spanned<String>, key: &str) -> Option<Place> {
        let found = self.place(
            value,
            key,
            &|k| matches!(k, Kind::Zone | Kind::Region),
            "the name of a zone or a region",
        )?;
        Some(match found {
            (Kind::Zone, z) => Place::Zone(z),
            (_, r) => Place::Region(r),
        })
    }

    /// Regions, zones with their racks and hosts, and links.
    pub(super) fn topology(&mut self, file: &SystemFile) {
        if file.regions.is_empty() {
            self.c.missing(
                "region",
                "missing field `region`: no [[region]] tables; expected at least one, such as [[region]] name = \"east\"".into(),
            );
        }
        for r in &file.regions {
            let name = self.name(&r.name, "region.name");
            self.register(
                &name,
                Kind::Region,
                self.regions.len(),
                r.name.span(),
                "region.name",
            );
            self.regions.push(name);
            self.region_zones.push(Vec::new());
        }
        if file.zones.is_empty() {
            self.c.missing(
                "zone",
                "missing field `zone`: no [[zone]] tables; expected at least one, such as [[zone]] name = \"east-a\", region = \"east\", racks = 2, hosts_per_rack = 4".into(),
            );
        }
        for z in &file.zones {
            let name = self.name(&z.name, "zone.name");
            let zone = self.zones.len();
            self.register(&name, Kind::Zone, zone, z.name.span(), "zone.name");
            let region = self
                .place(
                    &z.region,
                    "zone.region",
                    &|k| k == Kind::Region,
                    "the name of a [[region]]",
                )
                .map_or(usize::MAX, |(_, r)| r);
            if let Some(list) = self.region_zones.get_mut(region) {
                list.push(zone);
            }
            let racks = match &z.racks {
                Some(n) => self.c.int_in(n, "zone.racks", 1, MAX_RACKS_PER_ZONE),
                None => Some(1),
            };
            let per_rack = match &z.hosts_per_rack {
                Some(n) => self
                    .c
                    .int_in(n, "zone.hosts_per_rack", 1, MAX_HOSTS_PER_RACK),
                None => Some(1),
            };
            self.zones.push(ZoneSpec {
                name: name.clone(),
                region,
            });
            self.zone_racks.push(Vec::new());
            let (Some(racks), Some(per_rack)) = (racks, per_rack) else {
                continue;
            };
            let adding = (racks * per_rack) as usize;
            if self.hosts.len() + adding > MAX_HOSTS {
                let span = z
                    .hosts_per_rack
                    .as_ref()
                    .map_or(z.name.span(), Spanned::span);
                self.c.error(
                    span,
                    "zone.hosts_per_rack",
                    format!("the system would have more than {MAX_HOSTS} hosts; expected fewer racks or hosts per rack"),
                );
                continue;
            }
            for r in 1..=racks {
                let rack = self.racks.len();
                let rack_name = format!("{name}-r{r}");
                self.register(&rack_name, Kind::Rack, rack, z.name.span(), "zone.name");
                self.racks.push(RackSpec {
                    name: rack_name.clone(),
                    zone,
                });
                self.zone_racks[zone].push(rack);
                self.rack_hosts.push(Vec::new());
                for h in 1..=per_rack {
                    let host = self.hosts.len();
                    let host_name = format!("{rack_name}-h{h}");
                    self.register(&host_name, Kind::Host, host, z.name.span(), "zone.name");
                    self.hosts.push(HostSpec {
                        name: host_name,
                        rack,
                    });
                    self.rack_hosts[rack].push(host);
                }
            }
        }
        self.host_load = vec![0; self.hosts.len()];
        for l in &file.links {
            let name = self.name(&l.name, "link.name");
            let ends = l.between.get_ref();
            let places: Vec<Option<Place>> = ends
                .iter()
                .map(|e| self.zone_or_region(e, "link.between"))
                .collect();
            let latency = self.link_latency(l.latency.as_ref());
            let link = self.links.len();
            self.register(&name, Kind::Link, link, l.name.span(), "link.name");
            match places.as_slice() {
                [Some(a), Some(b)] if a == b => self.c.error(
                    l.between.span(),
                    "link.between",
                    "both ends are the same place; expected two different zones or regions".into(),
                ),
                [Some(a), Some(b)] => self.links.push(LinkSpec {
                    name,
                    a: *a,
                    b: *b,
                    latency,
                }),
                [_, _] => {}
                _ => self.c.error(
                    l.between.span(),
                    "link.between",
                    format!(
                        "{} names; expected exactly two, the zones or regions the link joins, such as [\"east\", \"west\"]",
                        ends.len()
                    ),
                ),
            }
        }
    }
}
