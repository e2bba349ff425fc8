//! The "failure-repair" reference workload of the design notes, run through
//! the engine and, in the same process, through the simplest loop that could
//! possibly be fast: a `BinaryHeap<(time, seq, event)>` with one ChaCha RNG.
//!
//! 999 components in 333 groups of three consecutive ids; each alternates
//! Exp(mean 1000 h) up and Exp(mean 10 h) repair with its own repairer; a
//! group is up while at least 2 of its 3 are. Over 5,000,000 h that is about
//! 9.9 million events. The exact time-average fraction of groups up is
//! 3a^2 - 2a^3 = 0.999707852 with a = 1000/1010; every variant prints its
//! estimate so a fast but wrong loop shows.
//!
//! Prints events per second for each variant (median of several runs, taken
//! in alternation so machine noise hits all alike), the engine's ratio to
//! the reference, and peak memory for a 10x longer horizon.
//!
//! It also measures the queue structures the engine's queue was chosen
//! from: a copy of the engine's run loop (same model, RNG streams and trace
//! hash) is driven by each candidate queue, kept in this file (the library
//! ships only the chosen one). Each candidate is first cross-checked
//! against the shipped queue on random pushes, cancellations and pops, and
//! must reproduce the engine's trace hash.
//!
//! Run: `cargo bench -p sim-core --bench failure_repair`.
//! Environment: `NINES_BENCH_RUNS` (default 5) and `NINES_BENCH_HOURS`
//! (default 5000000) change the number of runs and the horizon;
//! `NINES_BENCH_ONLY=reference,engine` (ids: reference, engine,
//! copy-shipped, std-inline, std-side, quad-inline, bin-side, quad-side,
//! bin-deferred, quad-deferred-branchy, quad-deferred-bu, oct-deferred)
//! runs only the variants named, and skips the memory run, for counting
//! instructions per event with `valgrind --tool=callgrind`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use rand::SeedableRng;
use rand::distr::Distribution;
use rand_chacha::ChaCha8Rng;
use rand_distr::Exp;
use sim_core::dist::Dist;
use sim_core::engine::{Model, Scheduler, Simulation, TraceEvent};
use sim_core::hash::TraceHash;
use sim_core::queue::{EventId, EventQueue};
use sim_core::rng::RngStream;
use sim_core::time::{SimDuration, SimTime};

const COMPONENTS: usize = 999;
const MTTF_H: f64 = 1000.0;
const MTTR_H: f64 = 10.0;
const US_PER_H: f64 = 3.6e9;

fn exact() -> f64 {
    let a = MTTF_H / (MTTF_H + MTTR_H);
    3.0 * a * a - 2.0 * a * a * a
}

/// Integrates the number of groups up over time, in integer microseconds.
struct GroupsUp {
    down_in_group: Vec<u8>,
    groups_up: u64,
    last_us: u64,
    integral: u128,
}

impl GroupsUp {
    fn new() -> Self {
        GroupsUp {
            down_in_group: vec![0; COMPONENTS / 3],
            groups_up: (COMPONENTS / 3) as u64,
            last_us: 0,
            integral: 0,
        }
    }
    #[inline(always)]
    fn advance(&mut self, now_us: u64) {
        self.integral += (self.groups_up as u128) * ((now_us - self.last_us) as u128);
        self.last_us = now_us;
    }
    #[inline(always)]
    fn change(&mut self, now_us: u64, component: usize, failed: bool) {
        self.advance(now_us);
        let g = component / 3;
        let before = self.down_in_group[g] < 2;
        if failed {
            self.down_in_group[g] += 1;
        } else {
            self.down_in_group[g] -= 1;
        }
        let after = self.down_in_group[g] < 2;
        if before && !after {
            self.groups_up -= 1;
        } else if !before && after {
            self.groups_up += 1;
        }
    }
    fn fraction(&mut self, end_us: u64) -> f64 {
        self.advance(end_us);
        self.integral as f64 / (end_us as f64 * (COMPONENTS / 3) as f64)
    }
}

// ---------------------------------------------------------------- reference

/// The hand-written reference loop.
#[inline(never)]
fn reference(horizon_h: f64) -> Outcome {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let fail = Exp::new(1.0 / MTTF_H).unwrap();
    let repair = Exp::new(1.0 / MTTR_H).unwrap();
    let end_us = (horizon_h * US_PER_H) as u64;
    let mut heap: BinaryHeap<Reverse<(u64, u64, u32, bool)>> = BinaryHeap::new();
    let mut seq = 0u64;
    for c in 0..COMPONENTS as u32 {
        let t = (fail.sample(&mut rng) * US_PER_H).round() as u64;
        heap.push(Reverse((t, seq, c, true)));
        seq += 1;
    }
    let mut groups = GroupsUp::new();
    let mut events = 0u64;
    while let Some(Reverse((t, _, c, is_failure))) = heap.pop() {
        if t >= end_us {
            break;
        }
        events += 1;
        groups.change(t, c as usize, is_failure);
        let next = if is_failure {
            repair.sample(&mut rng)
        } else {
            fail.sample(&mut rng)
        };
        let nt = t + (next * US_PER_H).round() as u64;
        heap.push(Reverse((nt, seq, c, !is_failure)));
        seq += 1;
    }
    Outcome {
        events,
        fraction: groups.fraction(end_us),
        trace_hash: None,
    }
}

// ------------------------------------------------------------------- engine

#[derive(Clone, Copy, Debug)]
enum Ev {
    Fail(u32),
    Repaired(u32),
}

impl TraceEvent for Ev {
    fn kind_code(&self) -> u32 {
        match self {
            Ev::Fail(_) => 1,
            Ev::Repaired(_) => 2,
        }
    }
    fn kind_name(&self) -> &'static str {
        match self {
            Ev::Fail(_) => "fail",
            Ev::Repaired(_) => "repaired",
        }
    }
    fn entity(&self) -> u32 {
        match self {
            Ev::Fail(c) | Ev::Repaired(c) => *c,
        }
    }
}

/// The same system as a nines model: one named RNG stream per component and
/// purpose, distributions from `sim_core::dist`, the engine's queue and
/// trace hash.
struct Cluster {
    fail: Dist,
    repair: Dist,
    fail_rng: Vec<RngStream>,
    repair_rng: Vec<RngStream>,
    groups: GroupsUp,
}

impl Cluster {
    fn new() -> Self {
        Cluster {
            fail: Dist::exponential_mean(SimDuration::from_hours(1000)).unwrap(),
            repair: Dist::exponential_mean(SimDuration::from_hours(10)).unwrap(),
            fail_rng: (0..COMPONENTS)
                .map(|c| RngStream::new(1, 0, &format!("c{c}"), "failure"))
                .collect(),
            repair_rng: (0..COMPONENTS)
                .map(|c| RngStream::new(1, 0, &format!("c{c}"), "repair"))
                .collect(),
            groups: GroupsUp::new(),
        }
    }

    /// Schedules every component's first failure.
    #[inline(always)]
    fn begin<S: Sched>(&mut self, s: &mut S) {
        for c in 0..COMPONENTS {
            let d = self.fail.sample(&mut self.fail_rng[c]);
            s.after(d, Ev::Fail(c as u32));
        }
    }

    /// Reacts to one event; shared by the engine and the copies of its loop.
    #[inline(always)]
    fn react<S: Sched>(&mut self, e: Ev, s: &mut S) {
        let now = s.now_us();
        match e {
            Ev::Fail(c) => {
                self.groups.change(now, c as usize, true);
                let d = self.repair.sample(&mut self.repair_rng[c as usize]);
                s.after(d, Ev::Repaired(c));
            }
            Ev::Repaired(c) => {
                self.groups.change(now, c as usize, false);
                let d = self.fail.sample(&mut self.fail_rng[c as usize]);
                s.after(d, Ev::Fail(c));
            }
        }
    }
}

/// What the model needs of a scheduler: the engine's, or the bench's copy.
trait Sched {
    fn now_us(&self) -> u64;
    fn after(&mut self, delay: SimDuration, event: Ev);
}

impl Sched for Scheduler<Ev> {
    #[inline(always)]
    fn now_us(&self) -> u64 {
        self.now().as_micros()
    }
    #[inline(always)]
    fn after(&mut self, delay: SimDuration, event: Ev) {
        self.schedule_after(delay, event);
    }
}

impl Model for Cluster {
    type Event = Ev;
    fn start(&mut self, s: &mut Scheduler<Ev>) {
        self.begin(s);
    }
    #[inline]
    fn handle(&mut self, e: Ev, s: &mut Scheduler<Ev>) {
        self.react(e, s);
    }
}

/// What one run of a variant reports.
#[derive(Clone, Copy, Debug, Default)]
struct Outcome {
    events: u64,
    fraction: f64,
    /// The trace hash, for the variants that keep one.
    trace_hash: Option<u64>,
}

#[inline(never)]
fn engine(horizon_h: f64) -> Outcome {
    let end = SimTime::from_duration(SimDuration::from_hours_f64(horizon_h));
    let mut sim = Simulation::new(Cluster::new());
    let out = sim.run_until(end);
    let mut model = sim.into_model();
    Outcome {
        events: out.events,
        fraction: model.groups.fraction(end.as_micros()),
        trace_hash: Some(out.trace_hash),
    }
}

// ------------------------------------------------- the engine loop, copied

/// What the engine's run loop needs of its queue, so that a copy of the loop
/// can be driven by each candidate structure.
trait BenchQueue<E> {
    type Id: Copy;
    fn with_capacity(n: usize) -> Self;
    fn push(&mut self, time: SimTime, payload: E) -> Self::Id;
    fn cancel(&mut self, id: Self::Id) -> bool;
    fn pop_before(&mut self, limit: SimTime) -> Option<(SimTime, E)>;
    fn len(&self) -> usize;
}

impl<E> BenchQueue<E> for EventQueue<E> {
    type Id = EventId;
    fn with_capacity(n: usize) -> Self {
        EventQueue::with_capacity(n)
    }
    #[inline(always)]
    fn push(&mut self, time: SimTime, payload: E) -> EventId {
        EventQueue::push(self, time, payload)
    }
    #[inline(always)]
    fn cancel(&mut self, id: EventId) -> bool {
        EventQueue::cancel(self, id)
    }
    #[inline(always)]
    fn pop_before(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
        EventQueue::pop_before(self, limit)
    }
    fn len(&self) -> usize {
        EventQueue::len(self)
    }
}

/// The engine's `Scheduler`, over any queue.
struct CopyScheduler<Q> {
    now: SimTime,
    queue: Q,
}

impl<Q: BenchQueue<Ev>> Sched for CopyScheduler<Q> {
    #[inline(always)]
    fn now_us(&self) -> u64 {
        self.now.as_micros()
    }
    #[inline(always)]
    fn after(&mut self, delay: SimDuration, event: Ev) {
        self.queue.push(self.now + delay, event);
    }
}

/// `Simulation::run_until` of the engine, line for line, over queue `Q`.
#[inline(always)]
fn engine_copy<Q: BenchQueue<Ev>>(horizon_h: f64) -> Outcome {
    let end = SimTime::from_duration(SimDuration::from_hours_f64(horizon_h));
    let mut model = Cluster::new();
    let mut s = CopyScheduler {
        now: SimTime::ZERO,
        queue: Q::with_capacity(64),
    };
    let mut trace = TraceHash::new();
    model.begin(&mut s);
    while let Some((time, event)) = s.queue.pop_before(end) {
        s.now = time;
        trace.record(time.as_micros(), event.kind_code(), event.entity());
        model.react(event, &mut s);
    }
    Outcome {
        events: trace.events(),
        fraction: model.groups.fraction(end.as_micros()),
        trace_hash: Some(trace.finish()),
    }
}

// One named function per queue, so that callgrind can tell them apart.

#[inline(never)]
fn copy_shipped(horizon_h: f64) -> Outcome {
    engine_copy::<EventQueue<Ev>>(horizon_h)
}
#[inline(never)]
fn copy_std_inline(horizon_h: f64) -> Outcome {
    engine_copy::<alt::StdInline<Ev>>(horizon_h)
}
#[inline(never)]
fn copy_std_side(horizon_h: f64) -> Outcome {
    engine_copy::<alt::StdSide<Ev>>(horizon_h)
}
#[inline(never)]
fn copy_quad_inline(horizon_h: f64) -> Outcome {
    engine_copy::<alt::QuadInline<Ev>>(horizon_h)
}
#[inline(never)]
fn copy_bin_side(horizon_h: f64) -> Outcome {
    engine_copy::<alt::Heap<Ev, 2, { alt::EAGER }>>(horizon_h)
}
#[inline(never)]
fn copy_quad_side(horizon_h: f64) -> Outcome {
    engine_copy::<alt::Heap<Ev, 4, { alt::EAGER }>>(horizon_h)
}
#[inline(never)]
fn copy_bin_deferred(horizon_h: f64) -> Outcome {
    engine_copy::<alt::Heap<Ev, 2, { alt::DEFERRED }>>(horizon_h)
}
#[inline(never)]
fn copy_quad_deferred_branchy(horizon_h: f64) -> Outcome {
    engine_copy::<alt::Heap<Ev, 4, { alt::DEFERRED }, true>>(horizon_h)
}
#[inline(never)]
fn copy_quad_deferred_bu(horizon_h: f64) -> Outcome {
    engine_copy::<alt::Heap<Ev, 4, { alt::DEFERRED_BU }>>(horizon_h)
}
#[inline(never)]
fn copy_oct_deferred(horizon_h: f64) -> Outcome {
    engine_copy::<alt::Heap<Ev, 8, { alt::DEFERRED }>>(horizon_h)
}

// ------------------------------------------------------ queue alternatives

/// The queue structures measured against each other. All keep the shipped
/// queue's contract: order by `(time, insertion sequence)`, O(1)
/// cancellation through a slot table whose entries are released at
/// cancellation (a cancelled heap entry is dropped when it reaches the top).
mod alt {
    use std::cmp::Ordering;
    use std::collections::BinaryHeap;
    use std::hint::select_unpredictable as pick;

    use sim_core::time::SimTime;

    use super::BenchQueue;

    /// Marks a slot no live event holds.
    const FREE: u64 = u64::MAX;

    /// A handle: the slot and the sequence number of the event holding it.
    pub(super) type Id = (u32, u64);

    // ------------------------------------------ payload inline (32 bytes)

    /// A heap entry carrying its payload (32 bytes for the bench's events).
    struct Entry<E> {
        time: u64,
        seq: u64,
        slot: u32,
        payload: E,
    }

    impl<E> Entry<E> {
        #[inline(always)]
        fn rank(&self) -> u128 {
            ((self.time as u128) << 64) | self.seq as u128
        }
    }

    impl<E> PartialEq for Entry<E> {
        fn eq(&self, other: &Self) -> bool {
            self.rank() == other.rank()
        }
    }
    impl<E> Eq for Entry<E> {}
    impl<E> PartialOrd for Entry<E> {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl<E> Ord for Entry<E> {
        /// Reversed, so that `BinaryHeap` (a max-heap) yields the smallest.
        #[inline(always)]
        fn cmp(&self, other: &Self) -> Ordering {
            (other.time, other.seq).cmp(&(self.time, self.seq))
        }
    }

    /// The sequence numbers of the live events, by slot; payloads live in
    /// the heap entries.
    struct SeqSlots {
        slots: Vec<u64>,
        free: Vec<u32>,
        next_seq: u64,
        live: usize,
    }

    impl SeqSlots {
        fn with_capacity(n: usize) -> Self {
            SeqSlots {
                slots: Vec::with_capacity(n),
                free: Vec::with_capacity(n),
                next_seq: 0,
                live: 0,
            }
        }
        #[inline(always)]
        fn insert(&mut self) -> Id {
            let seq = self.next_seq;
            self.next_seq += 1;
            let slot = match self.free.pop() {
                Some(slot) => {
                    self.slots[slot as usize] = seq;
                    slot
                }
                None => {
                    let slot = u32::try_from(self.slots.len()).expect("too many pending");
                    self.slots.push(seq);
                    slot
                }
            };
            self.live += 1;
            (slot, seq)
        }
        #[inline(always)]
        fn is_live(&self, (slot, seq): Id) -> bool {
            self.slots[slot as usize] == seq
        }
        #[inline(always)]
        fn release(&mut self, (slot, seq): Id) -> bool {
            match self.slots.get_mut(slot as usize) {
                Some(current) if *current == seq => {
                    *current = FREE;
                    self.free.push(slot);
                    self.live -= 1;
                    true
                }
                _ => false,
            }
        }
    }

    /// The original design: `std::collections::BinaryHeap` of
    /// `(time, seq, slot, payload)` entries.
    pub(super) struct StdInline<E> {
        heap: BinaryHeap<Entry<E>>,
        slots: SeqSlots,
    }

    impl<E> BenchQueue<E> for StdInline<E> {
        type Id = Id;
        fn with_capacity(n: usize) -> Self {
            StdInline {
                heap: BinaryHeap::with_capacity(n),
                slots: SeqSlots::with_capacity(n),
            }
        }
        #[inline(always)]
        fn push(&mut self, time: SimTime, payload: E) -> Id {
            let id = self.slots.insert();
            self.heap.push(Entry {
                time: time.as_micros(),
                seq: id.1,
                slot: id.0,
                payload,
            });
            id
        }
        #[inline(always)]
        fn cancel(&mut self, id: Id) -> bool {
            self.slots.release(id)
        }
        #[inline(always)]
        fn pop_before(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
            loop {
                let top = self.heap.peek()?;
                let id = (top.slot, top.seq);
                if !self.slots.is_live(id) {
                    self.heap.pop();
                    continue;
                }
                if top.time >= limit.as_micros() {
                    return None;
                }
                let entry = self.heap.pop()?;
                self.slots.release(id);
                return Some((SimTime::from_micros(entry.time), entry.payload));
            }
        }
        fn len(&self) -> usize {
            self.slots.live
        }
    }

    /// A 4-ary min-heap of `(time, seq, slot, payload)` entries. Without
    /// `unsafe` a generic payload can only be moved by swapping, so every
    /// level of a sift swaps two 32-byte entries.
    pub(super) struct QuadInline<E> {
        heap: Vec<Entry<E>>,
        slots: SeqSlots,
    }

    impl<E> QuadInline<E> {
        #[inline(always)]
        fn sift_up(&mut self, mut pos: usize) {
            while pos > 0 {
                let parent = (pos - 1) / 4;
                if self.heap[pos].rank() >= self.heap[parent].rank() {
                    break;
                }
                self.heap.swap(pos, parent);
                pos = parent;
            }
        }
        #[inline(always)]
        fn sift_down(&mut self, mut pos: usize) {
            let n = self.heap.len();
            loop {
                let first = 4 * pos + 1;
                if first >= n {
                    break;
                }
                let mut min = first;
                for c in first + 1..(first + 4).min(n) {
                    if self.heap[c].rank() < self.heap[min].rank() {
                        min = c;
                    }
                }
                if self.heap[pos].rank() <= self.heap[min].rank() {
                    break;
                }
                self.heap.swap(pos, min);
                pos = min;
            }
        }
        #[inline(always)]
        fn remove_top(&mut self) -> Option<Entry<E>> {
            if self.heap.is_empty() {
                return None;
            }
            let top = self.heap.swap_remove(0);
            self.sift_down(0);
            Some(top)
        }
    }

    impl<E> BenchQueue<E> for QuadInline<E> {
        type Id = Id;
        fn with_capacity(n: usize) -> Self {
            QuadInline {
                heap: Vec::with_capacity(n),
                slots: SeqSlots::with_capacity(n),
            }
        }
        #[inline(always)]
        fn push(&mut self, time: SimTime, payload: E) -> Id {
            let id = self.slots.insert();
            self.heap.push(Entry {
                time: time.as_micros(),
                seq: id.1,
                slot: id.0,
                payload,
            });
            self.sift_up(self.heap.len() - 1);
            id
        }
        #[inline(always)]
        fn cancel(&mut self, id: Id) -> bool {
            self.slots.release(id)
        }
        #[inline(always)]
        fn pop_before(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
            loop {
                let top = self.heap.first()?;
                let id = (top.slot, top.seq);
                if !self.slots.is_live(id) {
                    self.remove_top();
                    continue;
                }
                if top.time >= limit.as_micros() {
                    return None;
                }
                let entry = self.remove_top()?;
                self.slots.release(id);
                return Some((SimTime::from_micros(entry.time), entry.payload));
            }
        }
        fn len(&self) -> usize {
            self.slots.live
        }
    }

    // ------------------------------ packed keys (24 bytes), payload aside

    /// A heap entry without its payload: plain `Copy` data, so sifts move
    /// a hole instead of swapping.
    #[derive(Clone, Copy)]
    struct Key {
        time: u64,
        seq: u64,
        slot: u32,
    }

    impl Key {
        /// `(time, seq)` as one integer: a single branch-free comparison.
        #[inline(always)]
        fn rank(&self) -> u128 {
            ((self.time as u128) << 64) | self.seq as u128
        }
    }

    /// `Key` reversed for `BinaryHeap`.
    #[derive(Clone, Copy)]
    struct RevKey(Key);

    impl PartialEq for RevKey {
        fn eq(&self, other: &Self) -> bool {
            self.0.rank() == other.0.rank()
        }
    }
    impl Eq for RevKey {}
    impl PartialOrd for RevKey {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for RevKey {
        #[inline(always)]
        fn cmp(&self, other: &Self) -> Ordering {
            other.0.rank().cmp(&self.0.rank())
        }
    }

    /// One slot: the sequence number of the live event holding it (or
    /// `FREE`) and that event's payload.
    struct Slot<E> {
        seq: u64,
        payload: Option<E>,
    }

    /// Slots holding the payloads of pending events.
    struct PayloadSlots<E> {
        slots: Vec<Slot<E>>,
        free: Vec<u32>,
        next_seq: u64,
        live: usize,
    }

    impl<E> PayloadSlots<E> {
        fn with_capacity(n: usize) -> Self {
            PayloadSlots {
                slots: Vec::with_capacity(n),
                free: Vec::with_capacity(n),
                next_seq: 0,
                live: 0,
            }
        }
        #[inline(always)]
        fn insert(&mut self, payload: E) -> Id {
            let seq = self.next_seq;
            self.next_seq += 1;
            let slot = match self.free.pop() {
                Some(slot) => {
                    self.slots[slot as usize] = Slot {
                        seq,
                        payload: Some(payload),
                    };
                    slot
                }
                None => {
                    let slot = u32::try_from(self.slots.len()).expect("too many pending");
                    self.slots.push(Slot {
                        seq,
                        payload: Some(payload),
                    });
                    slot
                }
            };
            self.live += 1;
            (slot, seq)
        }
        /// The payload of a live event, releasing its slot; `None` if the
        /// event was cancelled.
        #[inline(always)]
        fn take(&mut self, key: Key) -> Option<E> {
            let slot = &mut self.slots[key.slot as usize];
            if slot.seq != key.seq {
                return None;
            }
            slot.seq = FREE;
            let payload = slot.payload.take();
            self.free.push(key.slot);
            self.live -= 1;
            payload
        }
        #[inline(always)]
        fn is_live(&self, key: Key) -> bool {
            self.slots[key.slot as usize].seq == key.seq
        }
        #[inline(always)]
        fn cancel(&mut self, (slot, seq): Id) -> bool {
            match self.slots.get_mut(slot as usize) {
                Some(current) if current.seq == seq => {
                    current.seq = FREE;
                    current.payload = None;
                    self.free.push(slot);
                    self.live -= 1;
                    true
                }
                _ => false,
            }
        }
    }

    /// `std::collections::BinaryHeap` of 24-byte keys, payloads in the
    /// slot table: separates the effect of entry size from that of arity.
    pub(super) struct StdSide<E> {
        heap: BinaryHeap<RevKey>,
        slots: PayloadSlots<E>,
    }

    impl<E> BenchQueue<E> for StdSide<E> {
        type Id = Id;
        fn with_capacity(n: usize) -> Self {
            StdSide {
                heap: BinaryHeap::with_capacity(n),
                slots: PayloadSlots::with_capacity(n),
            }
        }
        #[inline(always)]
        fn push(&mut self, time: SimTime, payload: E) -> Id {
            let id = self.slots.insert(payload);
            self.heap.push(RevKey(Key {
                time: time.as_micros(),
                seq: id.1,
                slot: id.0,
            }));
            id
        }
        #[inline(always)]
        fn cancel(&mut self, id: Id) -> bool {
            self.slots.cancel(id)
        }
        #[inline(always)]
        fn pop_before(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
            loop {
                let top = self.heap.peek()?.0;
                if !self.slots.is_live(top) {
                    self.heap.pop();
                    continue;
                }
                if top.time >= limit.as_micros() {
                    return None;
                }
                self.heap.pop();
                let payload = self.slots.take(top)?;
                return Some((SimTime::from_micros(top.time), payload));
            }
        }
        fn len(&self) -> usize {
            self.slots.live
        }
    }

    /// The index and rank of the smallest of the (up to `D`) children
    /// starting at `first`. Which child is smallest is unpredictable, so
    /// the choices are made without branches.
    #[inline(always)]
    fn min_child<const D: usize, const BRANCHY: bool>(heap: &[Key], first: usize) -> (usize, u128) {
        if let Some(c) = heap.get(first..first + D) {
            if D == 2 {
                let (r0, r1) = (c[0].rank(), c[1].rank());
                let right = r1 < r0;
                (first + usize::from(right), pick(right, r1, r0))
            } else if D == 4 && BRANCHY {
                // The same tournament written with plain `if`s: the
                // compiler makes the last choice a branch.
                let (r0, r1, r2, r3) = (c[0].rank(), c[1].rank(), c[2].rank(), c[3].rank());
                let (ra, ia) = if r1 < r0 { (r1, 1) } else { (r0, 0) };
                let (rb, ib) = if r3 < r2 { (r3, 3) } else { (r2, 2) };
                if rb < ra {
                    (first + ib, rb)
                } else {
                    (first + ia, ra)
                }
            } else if D == 4 {
                // A tournament: two independent comparisons, then one.
                let (r0, r1, r2, r3) = (c[0].rank(), c[1].rank(), c[2].rank(), c[3].rank());
                let (x, y) = (r1 < r0, r3 < r2);
                let (ra, rb) = (pick(x, r1, r0), pick(y, r3, r2));
                let z = rb < ra;
                let i = pick(z, 2 + usize::from(y), usize::from(x));
                (first + i, pick(z, rb, ra))
            } else {
                let (mut min, mut rank) = (0, c[0].rank());
                for (i, key) in c.iter().enumerate().skip(1) {
                    let r = key.rank();
                    let less = r < rank;
                    (min, rank) = (pick(less, i, min), pick(less, r, rank));
                }
                (first + min, rank)
            }
        } else {
            let (mut min, mut rank) = (first, heap[first].rank());
            for (i, key) in heap.iter().enumerate().skip(first + 1) {
                let r = key.rank();
                if r < rank {
                    (min, rank) = (i, r);
                }
            }
            (min, rank)
        }
    }

    /// Puts `key` into the hole at `hole`, moving it up as needed.
    #[inline(always)]
    fn sift_up<const D: usize>(heap: &mut [Key], mut hole: usize, key: Key) {
        let rank = key.rank();
        while hole > 0 {
            let parent = (hole - 1) / D;
            if rank >= heap[parent].rank() {
                break;
            }
            heap[hole] = heap[parent];
            hole = parent;
        }
        heap[hole] = key;
    }

    /// Puts `key` into the hole at `hole`, moving it down as needed.
    #[inline(always)]
    fn sift_down<const D: usize, const BRANCHY: bool>(heap: &mut [Key], mut hole: usize, key: Key) {
        let rank = key.rank();
        loop {
            let first = D * hole + 1;
            if first >= heap.len() {
                break;
            }
            let (min, min_rank) = min_child::<D, BRANCHY>(heap, first);
            if rank <= min_rank {
                break;
            }
            heap[hole] = heap[min];
            hole = min;
        }
        heap[hole] = key;
    }

    /// Fills the hole at `hole` with `key` bottom-up: the hole goes down
    /// to a leaf along the smaller children, then `key` goes up from there
    /// (cheaper than top-down when `key` belongs near the bottom).
    #[inline(always)]
    fn sift_down_bottom_up<const D: usize, const BRANCHY: bool>(
        heap: &mut [Key],
        mut hole: usize,
        key: Key,
    ) {
        loop {
            let first = D * hole + 1;
            if first >= heap.len() {
                break;
            }
            let (min, _) = min_child::<D, BRANCHY>(heap, first);
            heap[hole] = heap[min];
            hole = min;
        }
        sift_up::<D>(heap, hole, key);
    }

    /// Removes the root; the last entry fills its hole bottom-up (it
    /// usually belongs near the bottom).
    #[inline(always)]
    fn remove_root<const D: usize, const BRANCHY: bool>(heap: &mut Vec<Key>) {
        let Some(last) = heap.pop() else { return };
        if !heap.is_empty() {
            sift_down_bottom_up::<D, BRANCHY>(heap, 0, last);
        }
    }

    /// How a [`Heap`] takes its root out: at once, at pop.
    pub(super) const EAGER: u8 = 0;
    /// Put off to the next operation: a push right after a pop (the usual
    /// event step) replaces the root and sifts it down once, top-down,
    /// instead of a removal and an insertion.
    pub(super) const DEFERRED: u8 = 1;
    /// Deferred, and the replacing push sifts bottom-up.
    pub(super) const DEFERRED_BU: u8 = 2;

    /// A `D`-ary min-heap of 24-byte keys, payloads in the slot table;
    /// `REMOVAL` says when the root is removed, and with `BRANCHY` the
    /// 4-ary min-child choice is written with plain `if`s.
    pub(super) struct Heap<E, const D: usize, const REMOVAL: u8, const BRANCHY: bool = false> {
        heap: Vec<Key>,
        /// The root has been handed out (or found cancelled) but is still
        /// in `heap[0]`.
        root_gone: bool,
        slots: PayloadSlots<E>,
    }

    impl<E, const D: usize, const REMOVAL: u8, const BRANCHY: bool> Heap<E, D, REMOVAL, BRANCHY> {
        #[inline(always)]
        fn settle(&mut self) {
            if self.root_gone {
                self.root_gone = false;
                remove_root::<D, BRANCHY>(&mut self.heap);
            }
        }
    }

    impl<E, const D: usize, const REMOVAL: u8, const BRANCHY: bool> BenchQueue<E>
        for Heap<E, D, REMOVAL, BRANCHY>
    {
        type Id = Id;
        fn with_capacity(n: usize) -> Self {
            Heap {
                heap: Vec::with_capacity(n),
                root_gone: false,
                slots: PayloadSlots::with_capacity(n),
            }
        }
        #[inline(always)]
        fn push(&mut self, time: SimTime, payload: E) -> Id {
            let id = self.slots.insert(payload);
            let key = Key {
                time: time.as_micros(),
                seq: id.1,
                slot: id.0,
            };
            if REMOVAL != EAGER && self.root_gone {
                self.root_gone = false;
                if REMOVAL == DEFERRED {
                    sift_down::<D, BRANCHY>(&mut self.heap, 0, key);
                } else {
                    sift_down_bottom_up::<D, BRANCHY>(&mut self.heap, 0, key);
                }
            } else {
                let hole = self.heap.len();
                self.heap.push(key);
                sift_up::<D>(&mut self.heap, hole, key);
            }
            id
        }
        #[inline(always)]
        fn cancel(&mut self, id: Id) -> bool {
            self.slots.cancel(id)
        }
        #[inline(always)]
        fn pop_before(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
            loop {
                self.settle();
                let top = *self.heap.first()?;
                if !self.slots.is_live(top) {
                    remove_root::<D, BRANCHY>(&mut self.heap);
                    continue;
                }
                if top.time >= limit.as_micros() {
                    return None;
                }
                let payload = self.slots.take(top)?;
                if REMOVAL == EAGER {
                    remove_root::<D, BRANCHY>(&mut self.heap);
                } else {
                    self.root_gone = true;
                }
                return Some((SimTime::from_micros(top.time), payload));
            }
        }
        fn len(&self) -> usize {
            self.slots.live
        }
    }
}

/// Drives a queue and the shipped one through the same random pushes,
/// cancellations and pops (with many equal times) and panics on the first
/// difference, so a fast but wrong alternative cannot pass.
fn cross_check<Q: BenchQueue<u64>>(name: &str) {
    let mut shipped: EventQueue<u64> = EventQueue::new();
    let mut candidate = Q::with_capacity(0);
    let mut ids: Vec<(EventId, Q::Id)> = Vec::new();
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for step in 0..200_000u64 {
        let r = next();
        match r % 8 {
            0..=3 if shipped.len() < 256 => {
                let time = SimTime::from_micros(next() % 64);
                ids.push((shipped.push(time, step), candidate.push(time, step)));
            }
            4 | 5 if !ids.is_empty() => {
                let (a, b) = ids[(next() % ids.len() as u64) as usize];
                assert_eq!(shipped.cancel(a), candidate.cancel(b), "{name}: cancel");
            }
            _ => {
                let limit = SimTime::from_micros(next() % 80);
                assert_eq!(
                    shipped.pop_before(limit),
                    candidate.pop_before(limit),
                    "{name}: pop_before at step {step}"
                );
            }
        }
        assert_eq!(shipped.len(), candidate.len(), "{name}: len");
        if ids.len() > 4096 {
            ids.drain(..2048);
        }
    }
    while let Some(e) = shipped.pop() {
        assert_eq!(candidate.pop_before(SimTime::MAX), Some(e), "{name}: drain");
    }
    assert_eq!(candidate.pop_before(SimTime::MAX), None, "{name}: drain");
}

// ------------------------------------------------------------------- driver

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn env_or(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One measured variant: a short id (for `NINES_BENCH_ONLY`), a label, and
/// the function that runs it.
struct Variant {
    id: &'static str,
    label: &'static str,
    run: fn(f64) -> Outcome,
}

fn main() {
    // `cargo test --benches` passes `--bench`-less args; run a tiny horizon then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runs = if quick {
        1
    } else {
        env_or("NINES_BENCH_RUNS", 5.0) as usize
    };
    let hours = if quick {
        50_000.0
    } else {
        env_or("NINES_BENCH_HOURS", 5e6)
    };
    // A comma-separated list of variant ids runs only those, and skips the
    // memory run: for `valgrind --tool=callgrind`.
    let only = std::env::var("NINES_BENCH_ONLY").ok();

    cross_check::<alt::StdInline<u64>>("std-inline");
    cross_check::<alt::StdSide<u64>>("std-side");
    cross_check::<alt::QuadInline<u64>>("quad-inline");
    cross_check::<alt::Heap<u64, 2, { alt::EAGER }>>("bin-side");
    cross_check::<alt::Heap<u64, 4, { alt::EAGER }>>("quad-side");
    cross_check::<alt::Heap<u64, 2, { alt::DEFERRED }>>("bin-deferred");
    cross_check::<alt::Heap<u64, 4, { alt::DEFERRED }, true>>("quad-deferred-branchy");
    cross_check::<alt::Heap<u64, 4, { alt::DEFERRED_BU }>>("quad-deferred-bu");
    cross_check::<alt::Heap<u64, 8, { alt::DEFERRED }>>("oct-deferred");

    // The first two are the lines this benchmark has always printed; the
    // others run a copy of the engine's loop over each candidate queue.
    let all = [
        Variant {
            id: "reference",
            label: "reference",
            run: reference,
        },
        Variant {
            id: "engine",
            label: "engine",
            run: engine,
        },
        Variant {
            id: "copy-shipped",
            label: "engine loop copy, shipped queue (control)",
            run: copy_shipped,
        },
        Variant {
            id: "std-inline",
            label: "std BinaryHeap, 32-byte entries with payload (the previous queue)",
            run: copy_std_inline,
        },
        Variant {
            id: "std-side",
            label: "std BinaryHeap, 24-byte keys, payload in slot table",
            run: copy_std_side,
        },
        Variant {
            id: "quad-inline",
            label: "4-ary heap, 32-byte entries with payload, moved by swaps",
            run: copy_quad_inline,
        },
        Variant {
            id: "bin-side",
            label: "binary heap (own), 24-byte keys, payload in slot table",
            run: copy_bin_side,
        },
        Variant {
            id: "quad-side",
            label: "4-ary heap, 24-byte keys, payload in slot table",
            run: copy_quad_side,
        },
        Variant {
            id: "bin-deferred",
            label: "binary heap (own), 24-byte keys, slot table, deferred root removal",
            run: copy_bin_deferred,
        },
        Variant {
            id: "quad-deferred-branchy",
            label: "4-ary heap as shipped, but the min-child choice compiled to a branch",
            run: copy_quad_deferred_branchy,
        },
        Variant {
            id: "quad-deferred-bu",
            label: "4-ary heap as shipped, but the replacing push sifts bottom-up",
            run: copy_quad_deferred_bu,
        },
        Variant {
            id: "oct-deferred",
            label: "8-ary heap, 24-byte keys, slot table, deferred root removal",
            run: copy_oct_deferred,
        },
    ];
    let variants: Vec<&Variant> = all
        .iter()
        .filter(|v| {
            only.as_deref()
                .is_none_or(|o| o.split(',').any(|id| id == v.id))
        })
        .collect();
    let n = variants.len();
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); n];
    let mut results = vec![Outcome::default(); n];
    for run in 0..runs {
        // Alternate, starting each round one variant further on, so that
        // noise and position in the round hit all alike.
        for k in 0..n {
            let i = (run + k) % n;
            let start = Instant::now();
            let out = (variants[i].run)(hours);
            let secs = start.elapsed().as_secs_f64();
            rates[i].push(out.events as f64 / secs);
            results[i] = out;
        }
    }
    println!(
        "failure-repair: 999 components, 333 groups of 2-of-3, horizon {hours} h, {runs} runs each"
    );
    println!("exact fraction of groups up: {:.9}", exact());
    let medians: Vec<f64> = rates.iter().map(|r| median(r.clone())).collect();
    let find = |id: &str| variants.iter().position(|v| v.id == id);
    for (i, v) in variants.iter().enumerate() {
        if matches!(v.id, "reference" | "engine") {
            println!(
                "{:>10}: {:>6.2} M events/s (median), {} events, fraction up {:.9} (error {:+.2e})",
                v.label,
                medians[i] / 1e6,
                results[i].events,
                results[i].fraction,
                results[i].fraction - exact()
            );
        }
    }
    let (reference_at, engine_at) = (find("reference"), find("engine"));
    if let (Some(r), Some(e)) = (reference_at, engine_at) {
        println!(
            "engine / reference: {:.1}% of the reference's events per second",
            100.0 * medians[e] / medians[r]
        );
    }
    let copies: Vec<usize> = (0..n)
        .filter(|&i| !matches!(variants[i].id, "reference" | "engine"))
        .collect();
    if !copies.is_empty() {
        println!(
            "queue alternatives (a copy of the engine's run loop, same model, streams and trace hash):"
        );
    }
    let mut all_identical = true;
    for i in copies {
        let vs_reference = reference_at
            .map(|r| format!(", {:.1}% of reference", 100.0 * medians[i] / medians[r]))
            .unwrap_or_default();
        let vs_engine = engine_at
            .map(|e| {
                let same = results[i].trace_hash == results[e].trace_hash
                    && results[i].events == results[e].events;
                all_identical &= same;
                format!(
                    ", {:+.1}% vs engine, trace {}",
                    100.0 * (medians[i] / medians[e] - 1.0),
                    if same { "identical" } else { "DIFFERS" }
                )
            })
            .unwrap_or_default();
        println!(
            "  {:>6.2} M events/s (median){vs_reference}{vs_engine}  {}",
            medians[i] / 1e6,
            variants[i].label
        );
    }

    assert!(
        all_identical,
        "a queue alternative changed the engine's trace"
    );

    if only.is_some() {
        return;
    }
    let before = peak_rss_kib();
    let _ = engine(hours * 10.0);
    let after = peak_rss_kib();
    if let (Some(b), Some(a)) = (before, after) {
        println!(
            "peak memory: {b} KiB after the runs above, {a} KiB after one engine run 10x longer ({} h)",
            hours * 10.0
        );
    }
}
