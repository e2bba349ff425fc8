//! From an infrastructure-system file as written to a validated
//! [`SystemSpec`]: topology expanded into named racks and hosts, instances
//! placed, names resolved to indices, units parsed, every problem collected
//! with its place.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use models::spec::ModelSpec;
use models::system::spec::{
    Effect, Element, EntrySpec, FaultClass, FaultSpec, HostSpec, InstanceSpec, LinkSpec,
    Occurrence, Place, RackSpec, Repair, ServiceSpec, SystemSpec, TeamSpec, UpRule, ZoneSpec,
};
use serde_spanned::Spanned;
use sim_core::time::{SimDuration, SimTime};

use crate::Scenario;
use crate::check::Checker;
use crate::error::{Diagnostic, ScenarioError};
use crate::system_file::{Amount, FaultFile, Fraction, Names, ServiceFile, SystemFile};

/// The most racks one zone may have.
pub(crate) const MAX_RACKS_PER_ZONE: i64 = 1_000;
/// The most hosts one rack may have.
pub(crate) const MAX_HOSTS_PER_RACK: i64 = 1_000;
/// The most hosts a system may have: far beyond the systems nines is for,
/// and small enough that a typo (`racks = 10000`) is caught.
pub(crate) const MAX_HOSTS: usize = 10_000;
/// The most instances a system may have, over all services.
pub(crate) const MAX_INSTANCES: usize = 10_000;
/// The most crews a team, or instances a host, or a batch may hold.
pub(crate) const MAX_COUNT: i64 = 10_000;

/// The kinds of topology names; they share one namespace, since fault
/// targets may name any of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
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

/// What a list of topology names resolves to: the elements of one level,
/// with wider failure domains standing for the elements inside them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
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

/// A service while it is being built; `None` fields left a diagnostic.
#[derive(Debug)]
struct ServiceDraft {
    name: String,
    instances: Option<Vec<InstanceSpec>>,
    up_rule: Option<UpRule>,
    hard_dependencies: Vec<usize>,
    soft_dependencies: Vec<usize>,
    cost_per_instance_hour: f64,
}

/// The state of a build: the checker, and everything resolved so far.
struct Builder<'a> {
    c: Checker<'a>,
    /// Every topology name, with its kind and index.
    places: BTreeMap<String, (Kind, usize)>,
    regions: Vec<String>,
    zones: Vec<ZoneSpec>,
    racks: Vec<RackSpec>,
    hosts: Vec<HostSpec>,
    links: Vec<LinkSpec>,
    region_zones: Vec<Vec<usize>>,
    zone_racks: Vec<Vec<usize>>,
    rack_hosts: Vec<Vec<usize>>,
    /// Service names, with their index.
    service_names: BTreeMap<String, usize>,
    services: Vec<ServiceDraft>,
    /// Team names, with their index.
    team_names: BTreeMap<String, usize>,
    /// Instances placed on each host so far, over all services.
    host_load: Vec<u32>,
}

/// Checks a parsed system file and builds the scenario, or reports every
/// problem.
pub(crate) fn build(
    file: SystemFile,
    source: &str,
    origin: &str,
) -> Result<Scenario, ScenarioError> {
    let mut c = Checker::new(source);
    let (name, settings) = c.header(&file.scenario, &file.simulation);
    let mut b = Builder {
        c,
        places: BTreeMap::new(),
        regions: Vec::new(),
        zones: Vec::new(),
        racks: Vec::new(),
        hosts: Vec::new(),
        links: Vec::new(),
        region_zones: Vec::new(),
        zone_racks: Vec::new(),
        rack_hosts: Vec::new(),
        service_names: BTreeMap::new(),
        services: Vec::new(),
        team_names: BTreeMap::new(),
        host_load: Vec::new(),
    };
    b.topology(&file);
    b.services(&file.services);
    let entry = b.entry(&file);
    let downtime_cost_per_minute = b.downtime_cost(&file);
    let teams = b.teams(&file);
    let faults: Vec<Option<FaultSpec>> = file.faults.iter().map(|f| b.fault(f)).collect();
    b.unique_fault_names(&file.faults);

    let Builder {
        mut c,
        regions,
        zones,
        racks,
        hosts,
        links,
        services,
        ..
    } = b;
    let services: Option<Vec<ServiceSpec>> = services
        .into_iter()
        .map(|s| {
            Some(ServiceSpec {
                name: s.name,
                instances: s.instances?,
                up_rule: s.up_rule?,
                hard_dependencies: s.hard_dependencies,
                soft_dependencies: s.soft_dependencies,
                cost_per_instance_hour: s.cost_per_instance_hour,
            })
        })
        .collect();
    let faults: Option<Vec<FaultSpec>> = faults.into_iter().collect();
    let complete = (settings, entry, services, faults);
    let (Some(simulation), Some(entry), Some(services), Some(faults)) = complete else {
        if c.diagnostics.is_empty() {
            c.missing(
                "scenario",
                "internal error: a part of the system was left unbuilt without a reason; please report this".into(),
            );
        }
        return Err(c.finish(origin).err().unwrap_or_else(|| ScenarioError {
            origin: origin.to_string(),
            diagnostics: Vec::new(),
        }));
    };
    c.finish(origin)?;
    let spec = SystemSpec {
        regions,
        zones,
        racks,
        hosts,
        links,
        services,
        entry,
        faults,
        teams,
        downtime_cost_per_minute,
    };
    if let Err(e) = spec.validate() {
        return Err(ScenarioError::single(
            origin,
            Diagnostic::at(
                source,
                None,
                None,
                format!(
                    "the system does not hold together: {e} (this check should have been made earlier; please report it)"
                ),
            ),
        ));
    }
    Ok(Scenario {
        name,
        description: file.scenario.description.trim().to_string(),
        origin: origin.to_string(),
        simulation,
        model: ModelSpec::System(Box::new(spec)),
    })
}

impl Builder<'_> {
    /// A trimmed, non-empty name, or a diagnostic (and the empty string).
    fn name(&mut self, value: &Spanned<String>, key: &str) -> String {
        let name = value.get_ref().trim().to_string();
        if name.is_empty() {
            self.c.error(
                value.span(),
                key,
                "the name is empty; expected a short name such as \"east-a\"".into(),
            );
        }
        name
    }

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

    /// A name that does not resolve: the message, with a suggestion among
    /// the candidates if one is close.
    fn unknown<'n>(
        &mut self,
        span: Range<usize>,
        key: &str,
        name: &str,
        expected: &str,
        candidates: impl Iterator<Item = &'n str>,
    ) {
        let hint = match suggestion(name, candidates) {
            Some(s) => format!("; did you mean `{s}`?"),
            None => String::new(),
        };
        self.c.error(
            span,
            key,
            format!("unknown name `{name}`; expected {expected}{hint}"),
        );
    }

    /// Looks up one topology name whose kind must be one `accepted`.
    fn place(
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
    fn zone_or_region(&mut self, value: &Spanned<String>, key: &str) -> Option<Place> {
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
    fn topology(&mut self, file: &SystemFile) {
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

    /// Every service: names first (dependencies may point forward), then
    /// placement, up rule, dependencies and cost, then dependency cycles.
    fn services(&mut self, files: &[ServiceFile]) {
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
            self.services.push(ServiceDraft {
                name,
                instances,
                up_rule,
                hard_dependencies: hard.iter().map(|(d, _)| *d).collect(),
                soft_dependencies: soft.iter().map(|(d, _)| *d).collect(),
                cost_per_instance_hour: cost,
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

    /// Places a service's instances on hosts, or reports why it cannot.
    fn place_instances(&mut self, s: &ServiceFile, name: &str) -> Option<Vec<InstanceSpec>> {
        let instance = |i: usize, host: usize| InstanceSpec {
            name: format!("{name}-{}", i + 1),
            host,
        };
        let total_so_far: usize = self.host_load.iter().map(|&l| l as usize).sum();
        if let Some(hosts) = &s.hosts {
            let mut ok = true;
            if let Some(p) = &s.placement {
                self.c.error(
                    p.span(),
                    "service.placement",
                    "both `placement` and `hosts` are given; expected one: a strategy (\"spread\" or \"pack\") or an explicit list of hosts".into(),
                );
                ok = false;
            }
            if let Some(v) = &s.per_host {
                self.c.error(
                    v.span(),
                    "service.per_host",
                    "`per_host` does not apply to an explicit `hosts` list; list a host twice to put two instances on it".into(),
                );
                ok = false;
            }
            if let Some(z) = &s.zones {
                self.c.error(
                    z.span(),
                    "service.zones",
                    "`zones` does not apply to an explicit `hosts` list; expected one or the other"
                        .into(),
                );
                ok = false;
            }
            if hosts.get_ref().is_empty() {
                self.c.error(
                    hosts.span(),
                    "service.hosts",
                    "the list is empty; expected at least one host name, such as \"east-a-r1-h1\""
                        .into(),
                );
                return None;
            }
            let mut placed = Vec::new();
            for h in hosts.get_ref() {
                match self.place(
                    h,
                    "service.hosts",
                    &|k| k == Kind::Host,
                    "the name of a host, such as \"east-a-r1-h1\" (to place within racks or zones, use `placement` and `zones`)",
                ) {
                    Some((_, host)) => placed.push(host),
                    None => ok = false,
                }
            }
            if let Some(n) = &s.instances
                && usize::try_from(*n.get_ref()).ok() != Some(hosts.get_ref().len())
            {
                self.c.error(
                    n.span(),
                    "service.instances",
                    format!(
                        "instances = {} but `hosts` lists {}; expected one instance per listed host (or leave `instances` out)",
                        n.get_ref(),
                        hosts.get_ref().len()
                    ),
                );
                ok = false;
            }
            if total_so_far + placed.len() > MAX_INSTANCES {
                self.c.error(
                    hosts.span(),
                    "service.hosts",
                    format!("the system would have more than {MAX_INSTANCES} instances"),
                );
                ok = false;
            }
            if !ok {
                return None;
            }
            for &h in &placed {
                self.host_load[h] += 1;
            }
            return Some(
                placed
                    .into_iter()
                    .enumerate()
                    .map(|(i, h)| instance(i, h))
                    .collect(),
            );
        }

        let Some(n) = &s.instances else {
            self.c.error(
                s.name.span(),
                "service.instances",
                format!("service `{name}` has no `instances`; expected a count, such as instances = 3, or an explicit list hosts = [\"east-a-r1-h1\", ...]"),
            );
            return None;
        };
        let count = self
            .c
            .int_in(n, "service.instances", 1, MAX_INSTANCES as i64)
            .map(|v| v as usize);
        let spread = match &s.placement {
            None => Some(true),
            Some(p) => match p.get_ref().trim() {
                "spread" => Some(true),
                "pack" => Some(false),
                other => {
                    self.c.error(
                        p.span(),
                        "service.placement",
                        format!("unknown placement `{other}`; expected \"spread\" or \"pack\" (or an explicit list `hosts = [...]`)"),
                    );
                    None
                }
            },
        };
        let per_host = match &s.per_host {
            Some(v) => self
                .c
                .int_in(v, "service.per_host", 1, MAX_COUNT)
                .map(|v| v as u32),
            None => Some(1),
        };
        let zones = match &s.zones {
            Some(list) => self.zone_list(list),
            None => Some((0..self.zones.len()).collect()),
        };
        let (Some(count), Some(spread), Some(per_host), Some(zones)) =
            (count, spread, per_host, zones)
        else {
            return None;
        };
        let hosts: Vec<usize> = zones
            .iter()
            .flat_map(|&z| self.zone_racks[z].iter())
            .flat_map(|&r| self.rack_hosts[r].iter().copied())
            .collect();
        let room = hosts.len().saturating_mul(per_host as usize);
        if count > room {
            let where_ = if s.zones.is_some() {
                "the hosts of the listed zones"
            } else {
                "all the hosts"
            };
            self.c.error(
                n.span(),
                "service.instances",
                format!(
                    "cannot place {count} instances of `{name}` with at most {per_host} per host on {where_} ({} hosts); expected at most {room} instances, a larger `per_host`, or more racks or hosts",
                    hosts.len()
                ),
            );
            return None;
        }
        if total_so_far + count > MAX_INSTANCES {
            self.c.error(
                n.span(),
                "service.instances",
                format!("the system would have more than {MAX_INSTANCES} instances"),
            );
            return None;
        }
        let placed = if spread {
            self.spread(count, per_host, &zones)?
        } else {
            hosts
                .iter()
                .flat_map(|&h| std::iter::repeat_n(h, per_host as usize))
                .take(count)
                .collect()
        };
        for &h in &placed {
            self.host_load[h] += 1;
        }
        Some(
            placed
                .into_iter()
                .enumerate()
                .map(|(i, h)| instance(i, h))
                .collect(),
        )
    }

    /// Spread placement: instances go round-robin over the zones; within a
    /// zone, to the rack holding the fewest instances of this service, and
    /// within the rack to the host holding the fewest instances of this
    /// service, then of any service placed before; ties go to the first in
    /// file order. A host takes at most `per_host` instances of one service.
    fn spread(&mut self, count: usize, per_host: u32, zones: &[usize]) -> Option<Vec<usize>> {
        let mut mine = vec![0u32; self.hosts.len()];
        let mut rack_mine = vec![0u32; self.racks.len()];
        let mut placed = Vec::with_capacity(count);
        let mut cursor = 0;
        for _ in 0..count {
            let mut chosen = None;
            for step in 0..zones.len() {
                let z = zones[(cursor + step) % zones.len()];
                let best = self.zone_racks[z]
                    .iter()
                    .flat_map(|&r| self.rack_hosts[r].iter().map(move |&h| (r, h)))
                    .filter(|&(_, h)| mine[h] < per_host)
                    .min_by_key(|&(r, h)| (rack_mine[r], mine[h], self.host_load[h], r, h));
                if let Some((r, h)) = best {
                    chosen = Some((r, h));
                    cursor = (cursor + step + 1) % zones.len();
                    break;
                }
            }
            let (r, h) = chosen?;
            mine[h] += 1;
            rack_mine[r] += 1;
            placed.push(h);
        }
        Some(placed)
    }

    /// A list of zone or region names, as zone indices in the order given
    /// (a region standing for its zones), without repeats.
    fn zone_list(&mut self, list: &Spanned<Vec<Spanned<String>>>) -> Option<Vec<usize>> {
        if list.get_ref().is_empty() {
            self.c.error(
                list.span(),
                "service.zones",
                "the list is empty; expected at least one zone or region (or leave `zones` out to use them all)".into(),
            );
            return None;
        }
        let mut out: Vec<usize> = Vec::new();
        let mut ok = true;
        for z in list.get_ref() {
            match self.zone_or_region(z, "service.zones") {
                Some(Place::Zone(z)) => out.push(z),
                Some(Place::Region(r)) => out.extend(self.region_zones[r].iter().copied()),
                None => ok = false,
            }
        }
        let mut seen = BTreeSet::new();
        out.retain(|z| seen.insert(*z));
        ok.then_some(out)
    }

    /// `min_healthy`, or `capacity_rps` with `load_rps`.
    fn up_rule(&mut self, s: &ServiceFile, instances: Option<usize>) -> Option<UpRule> {
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
                let per = *cap.get_ref();
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
                let l = *load.get_ref();
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
    fn amount_per_hour(&mut self, value: &Spanned<Amount>, key: &str) -> Option<f64> {
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
    fn entry(&mut self, file: &SystemFile) -> Option<EntrySpec> {
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

    /// `[cost]`.
    fn downtime_cost(&mut self, file: &SystemFile) -> f64 {
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

    /// `[[team]]`.
    fn teams(&mut self, file: &SystemFile) -> Vec<TeamSpec> {
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

    /// Reports faults with the same name (given or defaulted to the kind).
    fn unique_fault_names(&mut self, faults: &[FaultFile]) {
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
    fn fault(&mut self, f: &FaultFile) -> Option<FaultSpec> {
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
        Some(FaultSpec {
            name,
            class: class?,
            effect: effect?,
            occurrence: occurrence?,
            repair: repair?,
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
        let checks: [(Option<Range<usize>>, &str, bool, &str); 7] = [
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
        let parsed = match v.get_ref() {
            Fraction::Number(x) => Some(*x),
            Fraction::Text(t) => t
                .trim()
                .strip_suffix('%')
                .and_then(|p| p.trim().parse::<f64>().ok())
                .map(|p| p / 100.0),
        };
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

    /// The service a fault names.
    fn fault_service(&mut self, s: &Spanned<String>) -> Option<usize> {
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
    fn host_targets(&mut self, f: &FaultFile, class: FaultClass) -> Option<Vec<Element>> {
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
    fn domain_targets(
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
    fn resolve(
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

    /// `every`, or `at` with `repeat` and `stagger`.
    fn occurrence(&mut self, f: &FaultFile) -> Option<Occurrence> {
        match (&f.every, &f.at) {
            (Some(every), None) => {
                let mut ok = true;
                for (v, key) in [(&f.repeat, "repeat"), (&f.stagger, "stagger")] {
                    if let Some(v) = v {
                        self.c.error(
                            v.span(),
                            &format!("fault.{key}"),
                            format!("`{key}` applies to scheduled faults; expected `at` (the first time) with it, instead of `every`"),
                        );
                        ok = false;
                    }
                }
                let every = self.c.dist(every, "fault.every")?;
                ok.then_some(Occurrence::Random { every })
            }
            (None, Some(at)) => {
                let first = self.c.duration(at, "fault.at");
                let period = match &f.repeat {
                    Some(r) => match self.c.duration(r, "fault.repeat") {
                        Some(d) if d.is_zero() => {
                            self.c.error(
                                r.span(),
                                "fault.repeat",
                                "the period is zero; expected a positive duration such as \"30d\""
                                    .into(),
                            );
                            return None;
                        }
                        Some(d) => Some(Some(d)),
                        None => None,
                    },
                    None => Some(None),
                };
                let stagger = match &f.stagger {
                    Some(s) => self.c.duration(s, "fault.stagger"),
                    None => Some(SimDuration::ZERO),
                };
                Some(Occurrence::Scheduled {
                    first: SimTime::from_duration(first?),
                    period: period?,
                    stagger: stagger?,
                })
            }
            (Some(_), Some(at)) => {
                self.c.error(
                    at.span(),
                    "fault.at",
                    "both `every` and `at` are given; expected one: `every` for random occurrences or `at` for scheduled ones".into(),
                );
                None
            }
            (None, None) => {
                for (v, key) in [(&f.repeat, "repeat"), (&f.stagger, "stagger")] {
                    if let Some(v) = v {
                        self.c.error(
                            v.span(),
                            &format!("fault.{key}"),
                            format!("`{key}` without `at`; expected at = \"30d\" (the first time) with it"),
                        );
                    }
                }
                self.c.error(
                    f.kind.span(),
                    "fault.every",
                    "the fault never happens; expected every = \"exponential(mean = 2y)\" (random, the time between occurrences) or at = \"30d\" (scheduled)".into(),
                );
                None
            }
        }
    }

    /// `repair`, `detection` and `team`.
    fn repair(&mut self, f: &FaultFile, class: Option<FaultClass>) -> Option<Repair> {
        let duration = match &f.repair {
            Some(r) => self.c.dist(r, "fault.repair"),
            None => {
                let what = if class == Some(FaultClass::BadDeploy) {
                    "the time to roll the release back"
                } else {
                    "the time the repair takes"
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

/// Parses `"0.12/h"`, `"90/30d"` or `"2.88/d"` as an amount per hour.
fn parse_per_hour(text: &str) -> Result<f64, String> {
    let expected = "expected a number (per hour) or text such as \"0.12/h\" or \"90/30d\"";
    let Some((amount, per)) = text.split_once('/') else {
        return Err(format!("`{text}` has no `/`; {expected}"));
    };
    let amount: f64 = amount
        .trim()
        .parse()
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
    Ok(amount / d.as_hours_f64())
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

/// The candidate closest to `name`, if within an edit distance of 2 (ties
/// go to the first candidate).
fn suggestion<'n>(name: &str, candidates: impl Iterator<Item = &'n str>) -> Option<&'n str> {
    let len = name.chars().count();
    if len > 100 {
        return None;
    }
    candidates
        .filter(|c| c.chars().count().abs_diff(len) <= 2)
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, _)| d <= 2)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// The Levenshtein distance between two strings, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests;
