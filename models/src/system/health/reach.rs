//! Reachability between zones: step 2 of the evaluation.
//!
//! Most events change nothing in the network (a host crashes, a failover
//! ends, a health check passes), so the search is remembered with what it
//! was of: which zones, regions and links are up, which links lose
//! messages, and the active partitions. An evaluation whose network is the
//! same as the last one's copies the last answer instead of searching
//! again. The key is the whole input of the search, so a remembered answer
//! is always the answer the search would give.

use petgraph::graph::NodeIndex;

use super::{Counters, Evaluator, Scratch};

/// The last search's input and answer.
#[derive(Clone, Debug, Default)]
pub(super) struct Memo {
    /// Whether `reach` and `clean` hold the answer for `key`.
    valid: bool,
    /// The network the answer is for (see [`Evaluator::network_key`]).
    key: Vec<u64>,
    /// The key of the network at hand, built before it is compared.
    next: Vec<u64>,
    /// `reach[x * zones + y]`, as the search found it.
    reach: Vec<bool>,
    /// `clean[x * zones + y]`, as the search found it.
    clean: Vec<bool>,
}

/// Appends booleans to a key, 64 to a word.
struct Bits<'a> {
    key: &'a mut Vec<u64>,
    word: u64,
    used: u32,
}

impl<'a> Bits<'a> {
    fn new(key: &'a mut Vec<u64>) -> Self {
        key.clear();
        Bits {
            key,
            word: 0,
            used: 0,
        }
    }

    fn push(&mut self, bit: bool) {
        self.word |= u64::from(bit) << self.used;
        self.used += 1;
        if self.used == 64 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.used > 0 {
            self.key.push(self.word);
            self.word = 0;
            self.used = 0;
        }
    }

    /// Ends the bits and appends whole words after them.
    fn words(&mut self, words: impl IntoIterator<Item = u64>) {
        self.flush();
        self.key.extend(words);
    }
}

impl Evaluator {
    /// Builds into `key` everything the search reads: per zone whether it
    /// is up, per region whether it is up, per link whether it is down and
    /// whether it loses messages, and each active partition's id and sides.
    fn network_key(&self, c: &Counters, key: &mut Vec<u64>) {
        let mut bits = Bits::new(key);
        for z in 0..self.zones {
            bits.push(self.zone_up(c, z));
        }
        for &r in &c.region {
            bits.push(r == 0);
        }
        for (&down, &lossy) in c.link.iter().zip(&c.degraded_link) {
            bits.push(down > 0);
            bits.push(lossy > 0);
        }
        for (id, a, b) in &c.partitions {
            bits.words([u64::from(*id), a.len() as u64, b.len() as u64]);
            bits.words(a.iter().chain(b).map(|&z| z as u64));
        }
        bits.flush();
    }

    /// Fills `reach[x * zones + y]` (zone `x` reaches zone `y`) and
    /// `clean[x * zones + y]` (over links that lose nothing), from the last
    /// search when the network is the same.
    pub(super) fn zone_reachability(
        &self,
        c: &Counters,
        reach: &mut Vec<bool>,
        clean: &mut Vec<bool>,
        scratch: &mut Scratch,
    ) {
        let mut memo = std::mem::take(&mut scratch.reach_memo);
        self.network_key(c, &mut memo.next);
        if !(memo.valid && memo.key == memo.next) {
            self.reachability(c, false, &mut memo.reach, scratch);
            if c.degraded_link.iter().any(|&d| d > 0) {
                self.reachability(c, true, &mut memo.clean, scratch);
            } else {
                memo.clean.clear();
                memo.clean.extend_from_slice(&memo.reach);
            }
            std::mem::swap(&mut memo.key, &mut memo.next);
            memo.valid = true;
        }
        reach.clear();
        reach.extend_from_slice(&memo.reach);
        clean.clear();
        clean.extend_from_slice(&memo.clean);
        scratch.reach_memo = memo;
    }

    /// Fills `reach[x * zones + y]`: whether zone `x` reaches zone `y`;
    /// with `avoid_lossy`, only over links that lose nothing. The
    /// scratch's `passable`, `seen` and `queue` are working buffers.
    fn reachability(
        &self,
        c: &Counters,
        avoid_lossy: bool,
        reach: &mut Vec<bool>,
        scratch: &mut Scratch,
    ) {
        let n = self.graph.node_count();
        let Scratch {
            passable,
            seen,
            queue,
            ..
        } = scratch;
        passable.clear();
        passable.extend((0..n).map(|i| {
            if i < self.zones {
                self.zone_up(c, i)
            } else {
                c.region[i - self.zones] == 0
            }
        }));
        reach.clear();
        reach.resize(self.zones * self.zones, false);
        seen.clear();
        seen.resize(n, false);
        for x in 0..self.zones {
            if !passable[x] {
                continue;
            }
            seen.iter_mut().for_each(|s| *s = false);
            queue.clear();
            queue.push(x);
            seen[x] = true;
            let mut head = 0;
            while head < queue.len() {
                let v = queue[head];
                head += 1;
                if v < self.zones {
                    reach[x * self.zones + v] = true;
                }
                for edge in self.graph.edges(NodeIndex::new(v)) {
                    use petgraph::visit::EdgeRef;
                    if let Some(l) = *edge.weight()
                        && (c.link[l] > 0 || (avoid_lossy && c.degraded_link[l] > 0))
                    {
                        continue;
                    }
                    let w = if edge.source().index() == v {
                        edge.target().index()
                    } else {
                        edge.source().index()
                    };
                    if passable[w] && !seen[w] {
                        seen[w] = true;
                        queue.push(w);
                    }
                }
            }
        }
        for (_, a, b) in &c.partitions {
            for &x in a {
                for &y in b {
                    reach[x * self.zones + y] = false;
                    reach[y * self.zones + x] = false;
                }
            }
        }
    }
}
