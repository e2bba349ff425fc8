//! Traffic that crosses zones or regions, in gigabytes per year, from the
//! placement as written (not from where a failover moved things).

use sim_core::time::HOURS_PER_YEAR;

use crate::system::spec::{SystemSpec, UpRule, price};

/// Gigabytes per year between zones of one region and between regions.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TrafficGb {
    /// Between zones of one region.
    pub cross_zone: f64,
    /// Between regions.
    pub cross_region: f64,
}

impl TrafficGb {
    /// What the traffic costs at the spec's prices per gigabyte.
    pub fn price(&self, spec: &SystemSpec) -> f64 {
        self.cross_zone * spec.costs.cross_zone_per_gb
            + self.cross_region * spec.costs.cross_region_per_gb
    }

    fn add(&mut self, other: TrafficGb) {
        self.cross_zone += other.cross_zone;
        self.cross_region += other.cross_region;
    }
}

const SECONDS_PER_YEAR: f64 = HOURS_PER_YEAR * 3600.0;

/// Zone and region of instance `i` of service `svc`.
fn place(spec: &SystemSpec, svc: usize, i: usize) -> (usize, usize) {
    let z = spec.zone_of_host(spec.services[svc].instances[i].host);
    (z, spec.zones[z].region)
}

/// Replication traffic of `svc`: with replication to standbys (sync,
/// async or batch), every acknowledged write (`writes_per_s` ×
/// `write_size`) is shipped from the first instance (the primary as
/// placed) to each other instance; a standby in another zone of the
/// primary's region counts as cross-zone, one in another region as
/// cross-region. Quorum stores (no failover) are not counted.
pub fn replication_gb(spec: &SystemSpec, svc: usize) -> TrafficGb {
    let s = &spec.services[svc];
    let mut gb = TrafficGb::default();
    let Some(data) = &s.data else {
        return gb;
    };
    if data.replication.is_none() || s.failover.is_none() {
        return gb;
    }
    let per_standby =
        data.writes_per_second * price(&spec.costs.write_bytes, svc) * SECONDS_PER_YEAR / 1e9;
    if per_standby == 0.0 {
        return gb;
    }
    let (z0, r0) = place(spec, svc, 0);
    for i in 1..s.instances.len() {
        let (z, r) = place(spec, svc, i);
        if r != r0 {
            gb.cross_region += per_standby;
        } else if z != z0 {
            gb.cross_zone += per_standby;
        }
    }
    gb
}

/// The mean of the load curve's factor over its period (1 without one).
fn mean_load_factor(spec: &SystemSpec) -> f64 {
    let Some(curve) = &spec.load_curve else {
        return 1.0;
    };
    let period = curve.period.as_micros() as f64;
    let mut sum = 0.0;
    for (i, &(at, f)) in curve.steps.iter().enumerate() {
        let end = curve
            .steps
            .get(i + 1)
            .map_or(curve.period, |&(next, _)| next);
        sum += f * (end.as_micros() - at.as_micros()) as f64;
    }
    sum / period
}

/// Request traffic into `svc`: every service with a capacity up rule
/// that depends on `svc` (hard or soft) calls it once per request it is
/// offered (`load_rps`, times the load curve's mean factor), each call
/// `request_size` bytes; calls are spread evenly from every caller
/// instance over every instance of `svc`, so the share of (caller,
/// callee) pairs in different zones of one region crosses zones and the
/// share in different regions crosses regions. Surges are not counted.
pub fn request_gb(spec: &SystemSpec, svc: usize) -> TrafficGb {
    let mut gb = TrafficGb::default();
    let bytes = price(&spec.costs.request_bytes, svc);
    if bytes == 0.0 {
        return gb;
    }
    let factor = mean_load_factor(spec);
    let callee = &spec.services[svc];
    for (c, caller) in spec.services.iter().enumerate() {
        let UpRule::Capacity { load_rps, .. } = caller.up_rule else {
            continue;
        };
        let calls = caller
            .hard_dependencies
            .iter()
            .chain(&caller.soft_dependencies)
            .any(|&d| d == svc);
        if !calls {
            continue;
        }
        let pairs = (caller.instances.len() * callee.instances.len()) as f64;
        let (mut zone, mut region) = (0u64, 0u64);
        for i in 0..caller.instances.len() {
            let (zi, ri) = place(spec, c, i);
            for j in 0..callee.instances.len() {
                let (zj, rj) = place(spec, svc, j);
                if ri != rj {
                    region += 1;
                } else if zi != zj {
                    zone += 1;
                }
            }
        }
        let total = load_rps * factor * bytes * SECONDS_PER_YEAR / 1e9;
        gb.add(TrafficGb {
            cross_zone: total * zone as f64 / pairs,
            cross_region: total * region as f64 / pairs,
        });
    }
    gb
}

/// All traffic of `svc`: its replication and the calls into it.
pub fn service_gb(spec: &SystemSpec, svc: usize) -> TrafficGb {
    let mut gb = replication_gb(spec, svc);
    gb.add(request_gb(spec, svc));
    gb
}

/// All traffic of the system: every service's [`service_gb`].
pub fn system_gb(spec: &SystemSpec) -> TrafficGb {
    let mut gb = TrafficGb::default();
    for svc in 0..spec.services.len() {
        gb.add(service_gb(spec, svc));
    }
    gb
}
