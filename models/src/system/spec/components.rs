//! Components: the slots downtime is charged to (each element, the
//! network, the load) and their names.

use super::{Element, SystemSpec};

impl SystemSpec {
    /// The number of components downtime can be charged to: every element
    /// (hosts, racks, zones, regions, links, services, instances), then
    /// the network (partitions) and the load (traffic spikes).
    pub fn component_slots(&self) -> usize {
        self.element_slots() + 2
    }

    fn element_slots(&self) -> usize {
        self.hosts.len()
            + self.racks.len()
            + self.zones.len()
            + self.regions.len()
            + self.links.len()
            + self.services.len()
            + self
                .services
                .iter()
                .map(|s| s.instances.len())
                .sum::<usize>()
    }

    /// The component slot of an element (see [`SystemSpec::component_slots`]).
    pub fn component_slot(&self, e: Element) -> usize {
        let hosts = 0;
        let racks = hosts + self.hosts.len();
        let zones = racks + self.racks.len();
        let regions = zones + self.zones.len();
        let links = regions + self.regions.len();
        let services = links + self.links.len();
        let instances = services + self.services.len();
        match e {
            Element::Host(i) => hosts + i,
            Element::Rack(i) => racks + i,
            Element::Zone(i) => zones + i,
            Element::Region(i) => regions + i,
            Element::Link(i) => links + i,
            Element::Service(i) => services + i,
            Element::Instance(s, i) => {
                instances
                    + self.services[..s]
                        .iter()
                        .map(|x| x.instances.len())
                        .sum::<usize>()
                    + i
            }
        }
    }

    /// The slot of the network, charged for partitions.
    pub fn network_slot(&self) -> usize {
        self.element_slots()
    }

    /// The slot of the load, charged for traffic spikes.
    pub fn load_slot(&self) -> usize {
        self.element_slots() + 1
    }

    /// A component slot's kind (`host`, `zone`, ..., `network`, `load`)
    /// and name.
    pub fn component(&self, slot: usize) -> (&'static str, String) {
        if slot == self.network_slot() {
            return ("network", "partitions".into());
        }
        if slot == self.load_slot() {
            return ("load", "traffic spikes".into());
        }
        let mut rest = slot;
        let mut take = |n: usize| {
            if rest < n {
                Some(rest)
            } else {
                rest -= n;
                None
            }
        };
        let e = if let Some(i) = take(self.hosts.len()) {
            Element::Host(i)
        } else if let Some(i) = take(self.racks.len()) {
            Element::Rack(i)
        } else if let Some(i) = take(self.zones.len()) {
            Element::Zone(i)
        } else if let Some(i) = take(self.regions.len()) {
            Element::Region(i)
        } else if let Some(i) = take(self.links.len()) {
            Element::Link(i)
        } else if let Some(i) = take(self.services.len()) {
            Element::Service(i)
        } else {
            let mut found = Element::Service(0);
            for (s, svc) in self.services.iter().enumerate() {
                if let Some(i) = take(svc.instances.len()) {
                    found = Element::Instance(s, i);
                    break;
                }
            }
            found
        };
        (e.kind_name(), self.element_name(e))
    }
}
