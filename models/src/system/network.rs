//! Round-trip times between zones, for what writes wait for.
//!
//! Zones and regions are the nodes of a small graph: each zone is tied to
//! its region's own network by a step of a quarter of
//! [`NetworkSpec::cross_zone_rtt`] one way, and each link joins its ends
//! with its [`LinkSpec::latency`](super::spec::LinkSpec::latency). The
//! round trip between two zones is twice the one-way delay of the fastest
//! path over the zones, regions and links that are up (Dijkstra); within a
//! zone it is [`NetworkSpec::same_zone_rtt`]. Partitions are not looked at
//! here: callers ask reachability first.
//!
//! The table is computed once at build time and again only when the set of
//! zones, regions and links that are up changes, so an event that touches
//! none of them costs a comparison of that set.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::health::Counters;
use super::spec::{Element, NetworkSpec, Place, SystemSpec};

/// Round-trip times between every pair of zones, as the network stands.
#[derive(Clone, Debug)]
pub struct RttTable {
    zones: usize,
    /// Per graph node: (neighbour, one-way delay in µs, link index).
    edges: Vec<Vec<(usize, u64, Option<usize>)>>,
    /// The round trips where no link says otherwise.
    network: NetworkSpec,
    /// The passable set the table was computed for: zones, regions, links.
    state: Vec<bool>,
    /// `rtt[x * zones + y]` in µs; `None` where no path is up.
    rtt: Vec<Option<u64>>,
}

impl RttTable {
    /// The table of a valid `spec` with every element up.
    pub fn new(spec: &SystemSpec) -> Self {
        let zones = spec.zones.len();
        let n = zones + spec.regions.len();
        let mut edges = vec![Vec::new(); n];
        let node = |p: Place| match p {
            Place::Zone(z) => z,
            Place::Region(r) => zones + r,
        };
        let step = spec.network.cross_zone_rtt.as_micros() / 4;
        for (z, zone) in spec.zones.iter().enumerate() {
            edges[z].push((zones + zone.region, step, None));
            edges[zones + zone.region].push((z, step, None));
        }
        for (l, link) in spec.links.iter().enumerate() {
            let (a, b) = (node(link.a), node(link.b));
            let d = link.latency.as_micros();
            edges[a].push((b, d, Some(l)));
            edges[b].push((a, d, Some(l)));
        }
        let mut table = RttTable {
            zones,
            edges,
            network: spec.network,
            state: Vec::new(),
            rtt: Vec::new(),
        };
        table.refresh(spec, &Counters::new(spec));
        table
    }

    /// Computes the table again if the zones, regions or links that are up
    /// changed since it was last computed; returns whether it did.
    pub fn refresh(&mut self, spec: &SystemSpec, c: &Counters) -> bool {
        let regions = spec.regions.len();
        let zone_up = |z: usize| {
            !c.is_down(Element::Zone(z)) && !c.is_down(Element::Region(spec.zones[z].region))
        };
        let same = self.state.len() == self.zones + regions + spec.links.len()
            && (0..self.zones).all(|z| self.state[z] == zone_up(z))
            && (0..regions).all(|r| self.state[self.zones + r] != c.is_down(Element::Region(r)))
            && (0..spec.links.len())
                .all(|l| self.state[self.zones + regions + l] != c.is_down(Element::Link(l)));
        if same {
            return false;
        }
        self.state.clear();
        self.state.extend((0..self.zones).map(zone_up));
        self.state
            .extend((0..regions).map(|r| !c.is_down(Element::Region(r))));
        self.state
            .extend((0..spec.links.len()).map(|l| !c.is_down(Element::Link(l))));
        self.compute();
        true
    }

    fn compute(&mut self) {
        let z = self.zones;
        let n = self.edges.len();
        let links_from = n;
        self.rtt.clear();
        self.rtt.resize(z * z, None);
        let mut dist = vec![u64::MAX; n];
        let mut heap = BinaryHeap::new();
        for x in 0..z {
            if !self.state[x] {
                continue;
            }
            dist.iter_mut().for_each(|d| *d = u64::MAX);
            dist[x] = 0;
            heap.clear();
            heap.push(Reverse((0u64, x)));
            while let Some(Reverse((d, v))) = heap.pop() {
                if d > dist[v] {
                    continue;
                }
                for &(w, step, link) in &self.edges[v] {
                    let passable = self.state[w] && link.is_none_or(|l| self.state[links_from + l]);
                    let nd = d + step;
                    if passable && nd < dist[w] {
                        dist[w] = nd;
                        heap.push(Reverse((nd, w)));
                    }
                }
            }
            for (y, &d) in dist.iter().enumerate().take(z) {
                self.rtt[x * z + y] = if x == y {
                    Some(self.network.same_zone_rtt.as_micros())
                } else if d < u64::MAX {
                    Some(2 * d)
                } else {
                    None
                };
            }
        }
    }

    /// The round trip from zone `x` to zone `y` in µs, `None` where no
    /// path is up.
    pub fn rtt_micros(&self, x: usize, y: usize) -> Option<u64> {
        self.rtt[x * self.zones + y]
    }
}
