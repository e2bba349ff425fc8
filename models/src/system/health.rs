//! Which elements are down, and what that means for services.
//!
//! Every fault that is active adds one to a counter per element it takes
//! down (or degrades); an element is down while its counter is positive.
//! Counters make overlapping faults simple (a host in a rack without power
//! that also crashed comes back only when both are over) and let
//! attribution ask "would the service be up without this fault?" by
//! removing one fault's contribution and evaluating again.
//!
//! Evaluation, after every change:
//!
//! 1. A zone is up while neither it nor its region is down.
//! 2. Reachability: zones and regions are the nodes of a graph (petgraph);
//!    each zone is joined to its region (the region's own network), and
//!    each link joins its two ends. A node is passable while up, a link
//!    while not down. Zone `x` reaches zone `y` when a path of passable
//!    nodes and links joins them and no active partition puts them on
//!    opposite sides.
//! 3. Services, in dependency order: an instance is healthy while its host,
//!    rack, zone and region are up and neither it nor its service is down;
//!    it is effective while healthy and every hard dependency is up as seen
//!    from its zone. A service is up as seen from zone `z` while the
//!    effective instances in zones that `z` reaches meet its up rule.
//! 4. The entry point is up while the entry service is up as seen from a
//!    zone where client traffic enters (any up zone of the entry region).
//!    It is degraded while up but a soft dependency of a service it relies
//!    on is down as seen from an effective instance, or an element it
//!    relies on is degraded (a gray host, a lossy link).

use petgraph::graph::{NodeIndex, UnGraph};

use super::spec::{Element, Place, SystemSpec, UpRule};

mod reach;

/// Parts per million: the unit of exact, integer shares.
const PPM: u64 = 1_000_000;

/// The down and degraded counters of every element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    host: Vec<u32>,
    rack: Vec<u32>,
    zone: Vec<u32>,
    region: Vec<u32>,
    link: Vec<u32>,
    service: Vec<u32>,
    /// Per service, per instance.
    instance: Vec<Vec<u32>>,
    /// Error fractions of the active degradations, summed, in parts per
    /// million (integers, so that removing one is exact).
    degraded_host: Vec<u64>,
    degraded_link: Vec<u64>,
    /// Active partitions, by id, as (side a, side b) zone lists.
    partitions: Vec<(u32, Vec<usize>, Vec<usize>)>,
    /// Per active-passive service: the instance that serves, if any.
    active: Vec<Option<usize>>,
    /// Per active-passive service: a failover is under way.
    switching: Vec<bool>,
    /// Per service, per instance: the load balancer sends it traffic.
    in_rotation: Vec<Vec<bool>>,
    /// Per service, per instance: healthy but out of rotation after false
    /// health-check failures.
    false_out: Vec<Vec<bool>>,
    /// Per active-passive service: an old active instance still serving
    /// after a promotion without fencing (split brain).
    split: Vec<Option<usize>>,
    /// Per service, per instance: a slot an autoscaler is not running
    /// (stopped, or launching and not yet serving).
    stopped: Vec<Vec<bool>>,
    /// Per active-passive service: its active instance has stepped down,
    /// cut off from a majority of its voters.
    stepped_down: Vec<bool>,
    /// The load curve's current factor, in parts per million of the usual
    /// load.
    curve_ppm: u64,
    /// Extra load of the active surges, summed, in parts per million of the
    /// usual load.
    surge_ppm: u64,
}

impl Counters {
    /// All elements up.
    pub fn new(spec: &SystemSpec) -> Self {
        Counters {
            host: vec![0; spec.hosts.len()],
            rack: vec![0; spec.racks.len()],
            zone: vec![0; spec.zones.len()],
            region: vec![0; spec.regions.len()],
            link: vec![0; spec.links.len()],
            service: vec![0; spec.services.len()],
            instance: spec
                .services
                .iter()
                .map(|s| vec![0; s.instances.len()])
                .collect(),
            degraded_host: vec![0; spec.hosts.len()],
            degraded_link: vec![0; spec.links.len()],
            partitions: Vec::new(),
            // Active-passive services start on their first instance, and
            // leader-based quorum stores led by it.
            active: spec
                .services
                .iter()
                .map(|s| (s.failover.is_some() || s.leader.is_some()).then_some(0))
                .collect(),
            switching: vec![false; spec.services.len()],
            in_rotation: spec
                .services
                .iter()
                .map(|s| vec![true; s.instances.len()])
                .collect(),
            false_out: spec
                .services
                .iter()
                .map(|s| vec![false; s.instances.len()])
                .collect(),
            split: vec![None; spec.services.len()],
            stopped: spec
                .services
                .iter()
                .map(|s| vec![false; s.instances.len()])
                .collect(),
            stepped_down: vec![false; spec.services.len()],
            curve_ppm: PPM,
            surge_ppm: 0,
        }
    }

    /// Sets the load curve's factor (1 is the usual load).
    pub fn set_curve_factor(&mut self, factor: f64) {
        self.curve_ppm = (factor * PPM as f64).round() as u64;
    }

    /// Marks instance `i` of `service` as not running (an autoscaler's
    /// stopped or launching slot), or running again.
    pub fn set_stopped(&mut self, service: usize, i: usize, stopped: bool) {
        self.stopped[service][i] = stopped;
    }

    /// One more surge adds `ppm` millionths of the usual load.
    pub fn surge(&mut self, ppm: u64) {
        self.surge_ppm += ppm;
    }

    /// A surge that added `ppm` is over.
    pub fn calm(&mut self, ppm: u64) {
        self.surge_ppm = self.surge_ppm.saturating_sub(ppm);
    }

    /// The offered load as a multiple of the usual load: the curve's factor
    /// times one plus the surges' extra.
    pub fn load_factor(&self) -> f64 {
        (self.curve_ppm as f64 / PPM as f64) * (1.0 + self.surge_ppm as f64 / PPM as f64)
    }

    /// The second primary of a service in split brain, if any.
    pub fn split(&self, service: usize) -> Option<usize> {
        self.split[service]
    }

    /// Sets or clears the second primary of a service.
    pub fn set_split(&mut self, service: usize, old: Option<usize>) {
        self.split[service] = old;
    }

    /// Whether the active instance of `service` has stepped down (it
    /// reaches no majority of its voters) and serves nothing.
    pub fn stepped_down(&self, service: usize) -> bool {
        self.stepped_down[service]
    }

    /// Marks the active instance of `service` as stepped down, or no
    /// longer.
    pub fn set_stepped_down(&mut self, service: usize, down: bool) {
        self.stepped_down[service] = down;
    }

    /// Whether the load balancer sends instance `i` of `service` traffic.
    pub fn in_rotation(&self, service: usize, i: usize) -> bool {
        self.in_rotation[service][i]
    }

    /// Puts instance `i` of `service` in or out of rotation.
    pub fn set_rotation(&mut self, service: usize, i: usize, on: bool) {
        self.in_rotation[service][i] = on;
    }

    /// Whether instance `i` of `service`, healthy, is out of rotation
    /// because its health checks failed falsely (the service is degraded
    /// meanwhile).
    pub fn false_out(&self, service: usize, i: usize) -> bool {
        self.false_out[service][i]
    }

    /// Marks instance `i` of `service` as out of rotation by false
    /// failures, or no longer.
    pub fn set_false_out(&mut self, service: usize, i: usize, on: bool) {
        self.false_out[service][i] = on;
    }

    /// The instance an active-passive service serves from, if any.
    pub fn active(&self, service: usize) -> Option<usize> {
        self.active[service]
    }

    /// Whether a failover of `service` is under way.
    pub fn switching(&self, service: usize) -> bool {
        self.switching[service]
    }

    /// Sets the serving instance and failover state of an active-passive
    /// service.
    pub fn set_failover(&mut self, service: usize, active: Option<usize>, switching: bool) {
        self.active[service] = active;
        self.switching[service] = switching;
    }

    fn slot(&mut self, e: Element) -> &mut u32 {
        match e {
            Element::Host(i) => &mut self.host[i],
            Element::Rack(i) => &mut self.rack[i],
            Element::Zone(i) => &mut self.zone[i],
            Element::Region(i) => &mut self.region[i],
            Element::Link(i) => &mut self.link[i],
            Element::Service(i) => &mut self.service[i],
            Element::Instance(s, i) => &mut self.instance[s][i],
        }
    }

    /// One more fault takes `e` down.
    pub fn down(&mut self, e: Element) {
        *self.slot(e) += 1;
    }

    /// One fault that took `e` down is over.
    pub fn up(&mut self, e: Element) {
        let c = self.slot(e);
        debug_assert!(*c > 0, "element brought up more often than down");
        *c = c.saturating_sub(1);
    }

    /// One more fault degrades `e` (hosts and links; others are ignored),
    /// failing `ppm` parts per million of its requests.
    pub fn degrade(&mut self, e: Element, ppm: u32) {
        match e {
            Element::Host(i) => self.degraded_host[i] += u64::from(ppm.max(1)),
            Element::Link(i) => self.degraded_link[i] += u64::from(ppm.max(1)),
            _ => {}
        }
    }

    /// One fault that degraded `e` by `ppm` is over.
    pub fn undegrade(&mut self, e: Element, ppm: u32) {
        let c = match e {
            Element::Host(i) => &mut self.degraded_host[i],
            Element::Link(i) => &mut self.degraded_link[i],
            _ => return,
        };
        *c = c.saturating_sub(u64::from(ppm.max(1)));
    }

    /// Partition `id` splits zones `a` from zones `b`.
    pub fn partition(&mut self, id: u32, a: &[usize], b: &[usize]) {
        self.partitions.push((id, a.to_vec(), b.to_vec()));
    }

    /// Partition `id` heals.
    pub fn heal(&mut self, id: u32) {
        if let Some(i) = self.partitions.iter().position(|p| p.0 == id) {
            self.partitions.remove(i);
        }
    }

    /// True while `e` itself is counted down (not looking at ancestors).
    pub fn is_down(&self, e: Element) -> bool {
        match e {
            Element::Host(i) => self.host[i] > 0,
            Element::Rack(i) => self.rack[i] > 0,
            Element::Zone(i) => self.zone[i] > 0,
            Element::Region(i) => self.region[i] > 0,
            Element::Link(i) => self.link[i] > 0,
            Element::Service(i) => self.service[i] > 0,
            Element::Instance(s, i) => self.instance[s][i] > 0,
        }
    }
}

/// What an evaluation found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    /// Whether the entry point is up.
    pub entry_up: bool,
    /// Whether the entry point is up but degraded.
    pub entry_degraded: bool,
    /// Per service: up as seen from where client traffic enters.
    pub service_up: Vec<bool>,
    /// The share of client requests served without error: zero while the
    /// entry point is down, less than one while gray hosts or lossy links
    /// fail part of the traffic.
    pub served: f64,
    /// Per service, per instance: healthy with every hard dependency up as
    /// seen from its zone (whether or not it is the one serving).
    pub effective: Vec<Vec<bool>>,
    /// Per quorum service: whether (reads, writes) can succeed, as seen
    /// from where client traffic enters.
    pub quorum: Vec<Option<(bool, bool)>>,
    /// `zone_reach[x * zones + y]`: whether zone `x` reaches zone `y`.
    pub zone_reach: Vec<bool>,
    /// `zone_clean[x * zones + y]`: whether zone `x` reaches zone `y` over
    /// links that lose nothing.
    pub zone_clean: Vec<bool>,
    /// The share of traffic lost by a path that must cross a lossy link
    /// (the worst link's error fraction).
    pub worst_link_loss: f64,
}

/// An error fraction in parts per million, as a share capped at one.
fn share(ppm: u64) -> f64 {
    (ppm.min(1_000_000)) as f64 / 1e6
}

/// Working memory of [`Evaluator::evaluate_into`], kept between
/// evaluations so that they allocate nothing once warm. Its contents mean
/// nothing outside an evaluation.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// Reachability: per graph node, whether it is up.
    passable: Vec<bool>,
    /// Reachability: per graph node, whether the search has seen it.
    seen: Vec<bool>,
    /// Reachability: the search's queue of graph nodes.
    queue: Vec<usize>,
    /// Reachability: what the last search was of, and what it found.
    reach_memo: reach::Memo,
    /// `up[s * zones + zone]`: service `s` up as seen from `zone`.
    up: Vec<bool>,
    /// `degraded_from[s * zones + zone]`: up but degraded, from `zone`.
    degraded_from: Vec<bool>,
    /// `success[s * zones + zone]`: the share of its requests `s` serves.
    success: Vec<f64>,
    /// `writes_from[s * zones + zone]`: a write quorum, from `zone`.
    writes_from: Vec<bool>,
    /// `reads_from[s * zones + zone]`: a read quorum, from `zone`.
    reads_from: Vec<bool>,
    /// Per instance of the service at hand: degraded.
    inst_degraded: Vec<bool>,
    /// Per instance of the service at hand: the share it serves.
    inst_success: Vec<f64>,
    /// Per instance of the service at hand: sent traffic while effective.
    serving: Vec<bool>,
}

/// Sets `v` to `n` copies of `x`, keeping its allocation.
fn refill<T: Copy>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
}

/// The fixed structure of a system, precomputed for fast evaluation.
#[derive(Debug)]
pub struct Evaluator {
    zones: usize,
    zone_region: Vec<usize>,
    host_rack: Vec<usize>,
    rack_zone: Vec<usize>,
    /// The graph of zones (nodes `0..zones`) and regions (after them);
    /// edge weights are link indices, `None` for a zone's tie to its region.
    graph: UnGraph<(), Option<usize>>,
    /// For each service, its instances' hosts and zones.
    instance_host: Vec<Vec<usize>>,
    instance_zone: Vec<Vec<usize>>,
    order: Vec<usize>,
    entry_service: usize,
    entry_zones: Vec<usize>,
    /// Services the entry point relies on (its dependency closure).
    closure: Vec<bool>,
}

impl Evaluator {
    /// Precomputes the structure of a valid `spec`.
    pub fn new(spec: &SystemSpec) -> Self {
        let zones = spec.zones.len();
        let mut graph = UnGraph::<(), Option<usize>>::with_capacity(
            zones + spec.regions.len(),
            zones + spec.links.len(),
        );
        for _ in 0..zones + spec.regions.len() {
            graph.add_node(());
        }
        let node = |p: Place| match p {
            Place::Zone(z) => NodeIndex::new(z),
            Place::Region(r) => NodeIndex::new(zones + r),
        };
        for (z, zone) in spec.zones.iter().enumerate() {
            graph.add_edge(node(Place::Zone(z)), node(Place::Region(zone.region)), None);
        }
        for (l, link) in spec.links.iter().enumerate() {
            graph.add_edge(node(link.a), node(link.b), Some(l));
        }
        let entry_zones = match spec.entry.from {
            Place::Zone(z) => vec![z],
            Place::Region(r) => (0..zones).filter(|&z| spec.zones[z].region == r).collect(),
        };
        let mut closure = vec![false; spec.services.len()];
        let mut stack = vec![spec.entry.service];
        while let Some(s) = stack.pop() {
            if !closure[s] {
                closure[s] = true;
                let svc = &spec.services[s];
                stack.extend(svc.hard_dependencies.iter().chain(&svc.soft_dependencies));
            }
        }
        Evaluator {
            zones,
            zone_region: spec.zones.iter().map(|z| z.region).collect(),
            host_rack: spec.hosts.iter().map(|h| h.rack).collect(),
            rack_zone: spec.racks.iter().map(|r| r.zone).collect(),
            graph,
            instance_host: spec
                .services
                .iter()
                .map(|s| s.instances.iter().map(|i| i.host).collect())
                .collect(),
            instance_zone: spec
                .services
                .iter()
                .map(|s| {
                    s.instances
                        .iter()
                        .map(|i| spec.zone_of_host(i.host))
                        .collect()
                })
                .collect(),
            order: spec.dependency_order(),
            entry_service: spec.entry.service,
            entry_zones,
            closure,
        }
    }

    #[inline]
    fn zone_up(&self, c: &Counters, z: usize) -> bool {
        c.zone[z] == 0 && c.region[self.zone_region[z]] == 0
    }

    /// Whether a host and every domain around it are up.
    #[inline]
    pub fn host_up(&self, c: &Counters, h: usize) -> bool {
        let rack = self.host_rack[h];
        c.host[h] == 0 && c.rack[rack] == 0 && self.zone_up(c, self.rack_zone[rack])
    }

    /// Whether element `e` and every domain around it are up.
    pub fn element_up(&self, c: &Counters, e: Element) -> bool {
        match e {
            Element::Host(h) => self.host_up(c, h),
            Element::Rack(r) => c.rack[r] == 0 && self.zone_up(c, self.rack_zone[r]),
            Element::Zone(z) => self.zone_up(c, z),
            Element::Region(r) => c.region[r] == 0,
            Element::Link(l) => c.link[l] == 0,
            Element::Service(s) => c.service[s] == 0,
            Element::Instance(s, i) => {
                c.instance[s][i] == 0
                    && c.service[s] == 0
                    && self.host_up(c, self.instance_host[s][i])
            }
        }
    }

    /// Evaluates which services are up, from where, and the entry point.
    ///
    /// A convenience for one-off evaluations; a simulation evaluates over
    /// and over with [`Evaluator::evaluate_into`], which reuses buffers.
    pub fn evaluate(&self, spec: &SystemSpec, c: &Counters) -> Status {
        let mut status = Status::default();
        self.evaluate_into(spec, c, &mut status, &mut Scratch::default());
        status
    }

    /// Evaluates which services are up, from where, and the entry point,
    /// into `out` (every field overwritten, its buffers reused), with
    /// `scratch` as working memory. The result is the same as
    /// [`Evaluator::evaluate`]'s, bit for bit.
    pub fn evaluate_into(
        &self,
        spec: &SystemSpec,
        c: &Counters,
        out: &mut Status,
        scratch: &mut Scratch,
    ) {
        let z = self.zones;
        self.zone_reachability(c, &mut out.zone_reach, &mut out.zone_clean, scratch);
        let lossy = c.degraded_link.iter().any(|&d| d > 0);
        let reach = &out.zone_reach;
        let clean = &out.zone_clean;
        // Requests that must cross a lossy link lose its (worst) fraction.
        let worst_loss = c.degraded_link.iter().copied().max().map_or(0.0, share);
        let path_ok = |x: usize, y: usize| {
            if clean[x * z + y] {
                1.0
            } else {
                1.0 - worst_loss
            }
        };
        let services = spec.services.len();
        let load_factor = c.load_factor();
        let Scratch {
            up,
            degraded_from,
            success,
            writes_from,
            reads_from,
            inst_degraded,
            inst_success,
            serving,
            ..
        } = scratch;
        // up[s * z + zone]: service s up as seen from zone.
        refill(up, services * z, false);
        refill(degraded_from, services * z, false);
        // success[s * z + zone]: the share of its requests s serves, from zone.
        refill(success, services * z, 0.0);
        refill(writes_from, services * z, false);
        refill(reads_from, services * z, false);
        let effective_all = &mut out.effective;
        effective_all.truncate(services);
        effective_all.resize_with(services, Vec::new);
        for &s in &self.order {
            let svc = &spec.services[s];
            let n = svc.instances.len();
            let effective = &mut effective_all[s];
            refill(effective, n, false);
            refill(inst_degraded, n, false);
            refill(inst_success, n, 0.0);
            for (i, e) in effective.iter_mut().enumerate() {
                let iz = self.instance_zone[s][i];
                let host = self.instance_host[s][i];
                let healthy = c.instance[s][i] == 0
                    && c.service[s] == 0
                    && !c.stopped[s][i]
                    && self.host_up(c, host);
                *e = healthy && svc.hard_dependencies.iter().all(|&d| up[d * z + iz]);
                if *e {
                    inst_success[i] = (1.0 - share(c.degraded_host[host]))
                        * svc
                            .hard_dependencies
                            .iter()
                            .map(|&d| success[d * z + iz])
                            .product::<f64>();
                    inst_degraded[i] = c.degraded_host[self.instance_host[s][i]] > 0
                        || svc
                            .hard_dependencies
                            .iter()
                            .any(|&d| degraded_from[d * z + iz])
                        || svc
                            .soft_dependencies
                            .iter()
                            .any(|&d| !up[d * z + iz] || degraded_from[d * z + iz]);
                }
            }
            // An active-passive service serves from its active instance only,
            // and from none while it fails over. Behind health checks,
            // traffic goes to the instances in rotation, dead or alive; the
            // dead ones fail their share.
            let checked = svc.health_check.is_some();
            // What the checks take from each instance's capacity.
            let check_load = svc.health_check.map_or(0.0, |h| h.check_load_rps());
            serving.clear();
            serving.extend(effective.iter().enumerate().map(|(i, &e)| {
                let on_duty = match svc.failover {
                    None => e,
                    Some(_) => {
                        e && !c.switching[s]
                            && ((c.active[s] == Some(i) && !c.stepped_down[s])
                                || c.split[s] == Some(i))
                    }
                };
                if checked {
                    on_duty && c.in_rotation[s][i]
                } else {
                    on_duty
                }
            }));
            // A leader-based store commits a write through its leader,
            // which needs W serving replicas it reaches (itself included):
            // the zone it leads from, if it can.
            let leads_from = match (svc.leader.is_some(), svc.up_rule, c.active[s]) {
                (true, UpRule::Quorum { write, .. }, Some(l)) if !c.switching[s] && serving[l] => {
                    let lz = self.instance_zone[s][l];
                    let reached = serving
                        .iter()
                        .enumerate()
                        .filter(|&(i, &e)| e && reach[lz * z + self.instance_zone[s][i]])
                        .count();
                    (reached >= write as usize).then_some(lz)
                }
                _ => None,
            };
            for from in 0..z {
                let mut count = 0u32;
                let mut blackholed = 0u32;
                let mut any_degraded = false;
                let mut served = 0.0;
                for (i, &e) in serving.iter().enumerate() {
                    let iz = self.instance_zone[s][i];
                    if e && reach[from * z + iz] {
                        count += 1;
                        any_degraded |= inst_degraded[i];
                        served += inst_success[i] * path_ok(from, iz);
                    } else if checked && !e && c.in_rotation[s][i] && reach[from * z + iz] {
                        blackholed += 1;
                        any_degraded = true;
                    } else if checked && c.false_out[s][i] && reach[from * z + iz] {
                        // Healthy, but out of rotation by false failures.
                        any_degraded = true;
                    }
                }
                if let UpRule::Quorum { write, read } = svc.up_rule {
                    writes_from[s * z + from] = if svc.leader.is_some() {
                        leads_from.is_some_and(|lz| reach[from * z + lz])
                    } else {
                        count >= write
                    };
                    reads_from[s * z + from] = count >= read;
                }
                let ok = match svc.up_rule {
                    UpRule::MinHealthy(k) => count >= k,
                    UpRule::Quorum { read, .. } => writes_from[s * z + from] && count >= read,
                    UpRule::Capacity {
                        per_instance_rps,
                        load_rps,
                    } => count as f64 * (per_instance_rps - check_load) >= load_rps * load_factor,
                };
                up[s * z + from] = ok;
                degraded_from[s * z + from] = ok && any_degraded;
                // Requests spread evenly over the instances in rotation. An
                // overloaded pool (capacity below load) is down by time,
                // but still serves what its capacity allows: the excess
                // fails (the fluid view).
                let share = served / f64::from((count + blackholed).max(1));
                success[s * z + from] = match svc.up_rule {
                    _ if ok => share,
                    UpRule::Capacity {
                        per_instance_rps,
                        load_rps,
                    } if count > 0 && load_rps > 0.0 => {
                        share
                            * (f64::from(count) * (per_instance_rps - check_load)
                                / (load_rps * load_factor))
                                .min(1.0)
                    }
                    _ => 0.0,
                };
            }
        }
        let seen = |flags: &[bool], s: usize| {
            self.entry_zones
                .iter()
                .any(|&ez| self.zone_up(c, ez) && flags[s * z + ez])
        };
        out.service_up.clear();
        out.service_up.extend((0..services).map(|s| seen(up, s)));
        out.quorum.clear();
        out.quorum
            .extend((0..services).map(|s| match spec.services[s].up_rule {
                UpRule::Quorum { .. } => Some((seen(reads_from, s), seen(writes_from, s))),
                _ => None,
            }));
        let entry_up = out.service_up[self.entry_service];
        let e = self.entry_service;
        out.entry_up = entry_up;
        out.entry_degraded = entry_up
            && (self
                .entry_zones
                .iter()
                .any(|&ez| self.zone_up(c, ez) && up[e * z + ez] && degraded_from[e * z + ez])
                || lossy);
        // Clients are steered to the entry zone that serves them best.
        out.served = self
            .entry_zones
            .iter()
            .filter(|&&ez| self.zone_up(c, ez))
            .map(|&ez| success[e * z + ez])
            .fold(0.0, f64::max);
        out.worst_link_loss = worst_loss;
    }

    /// The share of messages from instance `i` to instance `j` of service
    /// `s` that are lost or too late: those crossing a lossy link, and
    /// those a gray host `i` answers too slowly. Zero when they cannot
    /// reach each other at all (that is a partition, not loss).
    pub fn message_loss(&self, status: &Status, c: &Counters, s: usize, i: usize, j: usize) -> f64 {
        let (x, y) = (self.instance_zone[s][i], self.instance_zone[s][j]);
        let k = x * self.zones + y;
        if !status.zone_reach[k] {
            return 0.0;
        }
        let link = if status.zone_clean[k] {
            0.0
        } else {
            status.worst_link_loss
        };
        let host = share(c.degraded_host[self.instance_host[s][i]]);
        1.0 - (1.0 - link) * (1.0 - host)
    }

    /// Whether instance `i` and instance `j` of service `s` could reach
    /// each other when `status` was evaluated (their zones are joined and no
    /// partition separates them).
    pub fn instances_reach(&self, status: &Status, s: usize, i: usize, j: usize) -> bool {
        let (x, y) = (self.instance_zone[s][i], self.instance_zone[s][j]);
        status.zone_reach[x * self.zones + y]
    }

    /// Whether the entry point relies on service `s`.
    pub fn in_closure(&self, s: usize) -> bool {
        self.closure[s]
    }
}

#[cfg(test)]
mod tests;
