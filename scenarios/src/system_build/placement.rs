//! Placing a service's instances on hosts: spread over zones, packed, or
//! on an explicit list of hosts.

use std::collections::BTreeSet;

use models::system::spec::{InstanceSpec, Place};
use serde_spanned::Spanned;

use super::topology::Kind;
use super::{Builder, MAX_COUNT, MAX_INSTANCES};
use crate::system_file::ServiceFile;

impl Builder<'_> {
    /// Places a service's instances on hosts, or reports why it cannot.
    pub(super) fn place_instances(
        &mut self,
        s: &ServiceFile,
        name: &str,
    ) -> Option<Vec<InstanceSpec>> {
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
}
