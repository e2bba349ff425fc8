//! The balancer's side of dispatch: which instance an attempt goes to.

use sim_core::hash::{StableHasher, mix64};
use sim_core::rng::RngStream;

use super::spec::{Dispatch, InstanceSpec};

/// A consistent-hashing ring: `virtual_nodes` points per instance, each
/// the [`StableHasher`] digest of `("nines/ring/v1", instance name, k)`,
/// sorted by position (ties by instance index).
#[derive(Clone, Debug)]
pub(crate) struct HashRing {
    points: Vec<(u64, u32)>,
}

impl HashRing {
    pub(crate) fn new(instances: &[InstanceSpec], virtual_nodes: u32) -> Self {
        let mut points = Vec::with_capacity(instances.len() * virtual_nodes as usize);
        for (i, inst) in instances.iter().enumerate() {
            for k in 0..virtual_nodes {
                let mut h = StableHasher::new();
                h.write_str("nines/ring/v1")
                    .write_str(&inst.name)
                    .write_u64(k as u64);
                points.push((h.finish(), i as u32));
            }
        }
        points.sort_unstable();
        HashRing { points }
    }

    /// The first instance at or after `key`'s position, going round the
    /// ring, that `up` accepts; `None` if it accepts none.
    #[inline]
    pub(crate) fn lookup(&self, key: u64, up: &[bool]) -> Option<u32> {
        let pos = mix64(key);
        let start = self.points.partition_point(|&(p, _)| p < pos);
        let n = self.points.len();
        (0..n)
            .map(|k| self.points[(start + k) % n].1)
            .find(|&i| up[i as usize])
    }
}

/// The balancer's state for per-instance dispatch policies.
#[derive(Debug)]
pub(crate) struct Dispatcher {
    policy: Dispatch,
    /// The instances that are up, by increasing index.
    up_list: Vec<u32>,
    up: Vec<bool>,
    next_rr: usize,
    ring: Option<HashRing>,
    rng: RngStream,
}

impl Dispatcher {
    pub(crate) fn new(policy: Dispatch, instances: &[InstanceSpec], rng: RngStream) -> Self {
        let up: Vec<bool> = instances.iter().map(|i| i.up).collect();
        // Room for every instance, so that `set_up` never allocates.
        let mut up_list = Vec::with_capacity(instances.len());
        up_list.extend((0..instances.len() as u32).filter(|&i| up[i as usize]));
        let ring = match policy {
            Dispatch::ConsistentHashing { virtual_nodes } => {
                Some(HashRing::new(instances, virtual_nodes))
            }
            _ => None,
        };
        Dispatcher {
            policy,
            up_list,
            up,
            next_rr: 0,
            ring,
            rng,
        }
    }

    /// Marks instance `i` up or down (a no-op if it already is). Round
    /// robin keeps its place in the rotation. No allocation.
    pub(crate) fn set_up(&mut self, i: u32, up: bool) {
        if self.up[i as usize] == up {
            return;
        }
        self.up[i as usize] = up;
        let pos = self.up_list.partition_point(|&j| j < i);
        if up {
            self.up_list.insert(pos, i);
            if pos < self.next_rr {
                self.next_rr += 1;
            }
        } else {
            self.up_list.remove(pos);
            if pos < self.next_rr {
                self.next_rr -= 1;
            }
            if self.next_rr >= self.up_list.len() {
                self.next_rr = 0;
            }
        }
    }

    /// The instance for the next attempt, given each instance's attempts in
    /// system; `None` if no instance is up. Not used for the central queue.
    #[inline]
    pub(crate) fn choose(&mut self, in_system: &[u32]) -> Option<u32> {
        let n = self.up_list.len();
        if n == 0 {
            return None;
        }
        Some(match self.policy {
            Dispatch::RoundRobin | Dispatch::CentralQueue => {
                let i = self.up_list[self.next_rr];
                self.next_rr += 1;
                if self.next_rr == n {
                    self.next_rr = 0;
                }
                i
            }
            Dispatch::Random => self.up_list[self.rng.below(n as u64) as usize],
            Dispatch::LeastConnections => {
                let mut best = self.up_list[0];
                let mut best_load = in_system[best as usize];
                for &i in &self.up_list[1..] {
                    let load = in_system[i as usize];
                    if load < best_load {
                        (best, best_load) = (i, load);
                    }
                }
                best
            }
            Dispatch::PowerOfTwo => {
                if n == 1 {
                    return Some(self.up_list[0]);
                }
                let a = self.rng.below(n as u64) as usize;
                let mut b = self.rng.below(n as u64 - 1) as usize;
                if b >= a {
                    b += 1;
                }
                let (a, b) = (self.up_list[a], self.up_list[b]);
                if in_system[b as usize] < in_system[a as usize] {
                    b
                } else {
                    a
                }
            }
            Dispatch::ConsistentHashing { .. } => {
                let key = self.rng.next_u64();
                let ring = self
                    .ring
                    .as_ref()
                    .expect("a ring is built for consistent hashing");
                return ring.lookup(key, &self.up);
            }
        })
    }
}
