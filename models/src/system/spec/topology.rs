//! Failure domains and the network: zones, racks, hosts, the places
//! traffic enters or links end, links, and the elements a fault can take
//! down.

/// A zone, inside a region.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneSpec {
    /// Unique name.
    pub name: String,
    /// Index of its region.
    pub region: usize,
}

/// A rack, inside a zone.
#[derive(Clone, Debug, PartialEq)]
pub struct RackSpec {
    /// Unique name.
    pub name: String,
    /// Index of its zone.
    pub zone: usize,
}

/// A host, inside a rack.
#[derive(Clone, Debug, PartialEq)]
pub struct HostSpec {
    /// Unique name.
    pub name: String,
    /// Index of its rack.
    pub rack: usize,
}

/// A place where traffic enters or a link ends: a zone or a whole region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A zone, by index.
    Zone(usize),
    /// A region, by index.
    Region(usize),
}

/// A network link between two places. Zones of one region reach each other
/// through their region's own network; links join zones or regions beyond
/// that.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkSpec {
    /// Unique name.
    pub name: String,
    /// One end.
    pub a: Place,
    /// The other end.
    pub b: Place,
    /// One-way delay across the link (default 1 ms): write latencies
    /// follow the fastest path among the links that are up.
    pub latency: sim_core::time::SimDuration,
}

/// The default one-way delay of a link: 1 ms.
pub const DEFAULT_LINK_LATENCY: sim_core::time::SimDuration =
    sim_core::time::SimDuration::from_micros(1_000);

/// Something a fault can take down. Each is a failure domain: when it is
/// down, everything inside it is down too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Element {
    /// A host and the instances on it.
    Host(usize),
    /// A rack and its hosts.
    Rack(usize),
    /// A zone and its racks.
    Zone(usize),
    /// A region and its zones.
    Region(usize),
    /// A network link.
    Link(usize),
    /// Every instance of a service (a bad configuration, a crash bug).
    Service(usize),
    /// One instance: `(service, instance)`.
    Instance(usize, usize),
}

impl Element {
    /// The kind of element, as reports name failure domains: `host`,
    /// `rack`, `zone`, `region`, `link`, `service` or `instance`.
    pub fn kind_name(self) -> &'static str {
        match self {
            Element::Host(_) => "host",
            Element::Rack(_) => "rack",
            Element::Zone(_) => "zone",
            Element::Region(_) => "region",
            Element::Link(_) => "link",
            Element::Service(_) => "service",
            Element::Instance(..) => "instance",
        }
    }
}
