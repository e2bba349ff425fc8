//! The pending-event queue: ordered by `(time, insertion sequence)`, with
//! cheap cancellation.
//!
//! Events scheduled for the same instant come out in the order they were
//! scheduled (FIFO). Cancelling a pending event is O(1): the event's slot is
//! released and its heap entry is discarded when it reaches the top, so
//! memory is bounded by the number of events pending at once, not by the
//! length of the run.
//!
//! The structure is a binary heap of `(time, seq, slot, payload)` entries.
//! The benchmark `cargo bench -p sim-core` compares it with a hand-written
//! `BinaryHeap` loop and a 4-ary heap on the reference workload of the
//! design notes; see `ARCHITECTURE.md` for the figures behind the choice.
//!
//! ```
//! use sim_core::queue::EventQueue;
//! use sim_core::time::SimTime;
//! let mut q = EventQueue::new();
//! let t = SimTime::from_micros(10);
//! q.push(t, "first");
//! let timer = q.push(t, "timer");
//! q.push(t, "second");
//! assert!(q.cancel(timer));
//! assert_eq!(q.pop(), Some((t, "first")));
//! assert_eq!(q.pop(), Some((t, "second")));
//! assert_eq!(q.pop(), None);
//! ```

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::time::SimTime;

/// A handle to a scheduled event, used to cancel it.
///
/// A handle stays valid until its event is popped or cancelled; after that,
/// cancelling it again is a harmless no-op that returns `false`, even if its
/// slot has been reused by a later event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId {
    slot: u32,
    seq: u64,
}

/// One heap entry. Ordered so that `BinaryHeap` (a max-heap) yields the
/// smallest `(time, seq)` first.
#[derive(Debug)]
struct Entry<E> {
    time: u64,
    seq: u64,
    slot: u32,
    payload: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// A priority queue of events keyed by `(time, insertion sequence)`.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    /// For each slot, the sequence number of the live event holding it, or
    /// [`FREE`] when no live event does.
    slots: Vec<u64>,
    free: Vec<u32>,
    next_seq: u64,
    live: usize,
}

/// Marks a slot that no live event holds. Sequence numbers start at 0 and
/// can never reach `u64::MAX` in practice.
const FREE: u64 = u64::MAX;

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
            live: 0,
        }
    }

    /// An empty queue with room for `n` pending events.
    pub fn with_capacity(n: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(n),
            slots: Vec::with_capacity(n),
            free: Vec::with_capacity(n),
            next_seq: 0,
            live: 0,
        }
    }

    /// Schedules `payload` at `time`; events at equal times keep their
    /// scheduling order.
    #[inline]
    pub fn push(&mut self, time: SimTime, payload: E) -> EventId {
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = seq;
                slot
            }
            None => {
                let slot = u32::try_from(self.slots.len())
                    .expect("more than 4 billion events pending at once");
                self.slots.push(seq);
                slot
            }
        };
        self.heap.push(Entry {
            time: time.as_micros(),
            seq,
            slot,
            payload,
        });
        self.live += 1;
        EventId { slot, seq }
    }

    /// Cancels a pending event. Returns `false` if it already ran or was
    /// already cancelled.
    #[inline]
    pub fn cancel(&mut self, id: EventId) -> bool {
        match self.slots.get_mut(id.slot as usize) {
            Some(current) if *current == id.seq => {
                *current = FREE;
                self.free.push(id.slot);
                self.live -= 1;
                true
            }
            _ => false,
        }
    }

    /// True if the event is still pending.
    pub fn is_pending(&self, id: EventId) -> bool {
        self.slots.get(id.slot as usize) == Some(&id.seq)
    }

    /// Removes and returns the earliest pending event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.pop_before(SimTime::MAX)
    }

    /// Removes and returns the earliest pending event if it is strictly
    /// before `limit`.
    #[inline]
    pub fn pop_before(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
        loop {
            let top = self.heap.peek()?;
            let slot = top.slot as usize;
            if self.slots[slot] != top.seq {
                // Cancelled: its slot was released at cancellation.
                self.heap.pop();
                continue;
            }
            if top.time >= limit.as_micros() {
                return None;
            }
            let entry = self.heap.pop()?;
            self.slots[slot] = FREE;
            self.free.push(entry.slot);
            self.live -= 1;
            return Some((SimTime::from_micros(entry.time), entry.payload));
        }
    }

    /// The time of the earliest pending event.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        while let Some(top) = self.heap.peek() {
            if self.slots[top.slot as usize] == top.seq {
                return Some(SimTime::from_micros(top.time));
            }
            self.heap.pop();
        }
        None
    }

    /// The number of pending (not cancelled) events.
    pub fn len(&self) -> usize {
        self.live
    }

    /// True if no event is pending.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The number of events ever scheduled.
    pub fn scheduled(&self) -> u64 {
        self.next_seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(us: u64) -> SimTime {
        SimTime::from_micros(us)
    }

    #[test]
    fn orders_by_time_then_insertion() {
        let mut q = EventQueue::new();
        q.push(t(5), 'a');
        q.push(t(1), 'b');
        q.push(t(5), 'c');
        q.push(t(1), 'd');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['b', 'd', 'a', 'c']);
    }

    #[test]
    fn cancel_is_idempotent_and_survives_slot_reuse() {
        let mut q = EventQueue::new();
        let a = q.push(t(1), 1);
        assert!(q.cancel(a));
        assert!(!q.cancel(a));
        let b = q.push(t(2), 2); // reuses a's slot
        assert!(!q.cancel(a));
        assert!(q.is_pending(b));
        assert_eq!(q.len(), 1);
        assert_eq!(q.pop(), Some((t(2), 2)));
        assert!(!q.cancel(b));
        assert!(q.is_empty());
    }

    #[test]
    fn pop_before_respects_the_limit() {
        let mut q = EventQueue::new();
        q.push(t(10), ());
        assert_eq!(q.pop_before(t(10)), None);
        assert_eq!(q.pop_before(t(11)), Some((t(10), ())));
    }

    #[test]
    fn memory_is_bounded_by_pending_events() {
        let mut q = EventQueue::new();
        let mut now = 0;
        q.push(t(0), 0u32);
        for _ in 0..100_000 {
            let (time, e) = q.pop().unwrap();
            now = now.max(time.as_micros());
            let timer = q.push(t(now + 50), e + 1);
            q.cancel(timer);
            q.push(t(now + 1), e + 1);
        }
        assert!(q.slots.len() <= 4, "slots grew to {}", q.slots.len());
        assert!(q.heap.len() <= 64, "heap grew to {}", q.heap.len());
    }

    #[derive(Clone, Debug)]
    enum Op {
        Push(u64),
        Pop,
        Cancel(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u64..20).prop_map(Op::Push),
            Just(Op::Pop),
            (0usize..64).prop_map(Op::Cancel),
        ]
    }

    proptest! {
        /// The queue against a simple oracle: a sorted `Vec` of live entries.
        #[test]
        fn matches_sorted_vec_oracle(ops in proptest::collection::vec(op(), 0..200)) {
            let mut q = EventQueue::new();
            let mut oracle: Vec<(u64, u64)> = Vec::new(); // (time, seq), seq = payload
            let mut ids: Vec<(EventId, u64)> = Vec::new();
            let mut seq = 0u64;
            for op in ops {
                match op {
                    Op::Push(time) => {
                        let id = q.push(t(time), seq);
                        ids.push((id, seq));
                        oracle.push((time, seq));
                        seq += 1;
                    }
                    Op::Pop => {
                        oracle.sort();
                        let want = if oracle.is_empty() { None } else { Some(oracle.remove(0)) };
                        let got = q.pop().map(|(time, e)| (time.as_micros(), e));
                        prop_assert_eq!(got, want);
                    }
                    Op::Cancel(i) => {
                        if let Some(&(id, s)) = ids.get(i) {
                            let was_live = oracle.iter().any(|&(_, x)| x == s);
                            prop_assert_eq!(q.cancel(id), was_live);
                            oracle.retain(|&(_, x)| x != s);
                        }
                    }
                }
                prop_assert_eq!(q.len(), oracle.len());
            }
        }
    }
}
