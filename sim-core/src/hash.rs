//! Fixed, documented hash functions: stream-key derivation and trace digests.
//!
//! Nothing here uses `std`'s `DefaultHasher`, whose algorithm may change
//! between Rust releases. Both hashes below are written down so that a
//! digest printed today can be recomputed by anyone, in any language:
//!
//! * [`mix64`] is the SplitMix64 finaliser (Steele, Lea and Flood 2014):
//!   `z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) *
//!   0x94D049BB133111EB; z ^ (z >> 31)`, all arithmetic modulo 2^64.
//! * [`StableHasher`] absorbs 64-bit words as `h = mix64(h ^ w) + 0x9E3779B97F4A7C15`,
//!   starting from `0x6E696E6573000001` ("nines", version 1). Byte strings
//!   are absorbed as their length, then their bytes in little-endian 8-byte
//!   words, the last one padded with zeros.
//! * [`TraceHash`] absorbs each processed event as three words (time in
//!   microseconds, event kind code, entity id) with the cheaper step
//!   `h = (h.rotate_left(5) ^ w) * 0x517CC1B727220A95`, and reports
//!   `mix64(h ^ events)` so that the final digest is well mixed.

/// The SplitMix64 finaliser: a bijective, well-mixing map on 64-bit words.
#[inline]
pub const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A small, portable, order-sensitive hasher for keys and digests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StableHasher {
    state: u64,
}

impl Default for StableHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl StableHasher {
    /// The fixed starting state, `0x6E696E6573000001`.
    pub const INITIAL: u64 = 0x6E69_6E65_7300_0001;

    /// A hasher in its initial state.
    pub const fn new() -> Self {
        StableHasher {
            state: Self::INITIAL,
        }
    }

    /// Absorbs one 64-bit word.
    #[inline]
    pub fn write_u64(&mut self, word: u64) -> &mut Self {
        self.state = mix64(self.state ^ word).wrapping_add(0x9E37_79B9_7F4A_7C15);
        self
    }

    /// Absorbs a byte string: its length, then its bytes in padded words.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.write_u64(bytes.len() as u64);
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        self
    }

    /// Absorbs a string as its UTF-8 bytes.
    pub fn write_str(&mut self, text: &str) -> &mut Self {
        self.write_bytes(text.as_bytes())
    }

    /// The digest of everything absorbed so far.
    pub const fn finish(&self) -> u64 {
        mix64(self.state)
    }
}

/// A running digest over the events a simulation processed.
///
/// Same scenario, seed and version give the same digest on every machine;
/// any change in the order, timing or identity of events changes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceHash {
    state: u64,
    events: u64,
}

impl Default for TraceHash {
    fn default() -> Self {
        Self::new()
    }
}

impl TraceHash {
    const K: u64 = 0x517C_C1B7_2722_0A95;

    /// An empty digest.
    pub const fn new() -> Self {
        TraceHash {
            state: StableHasher::INITIAL,
            events: 0,
        }
    }

    #[inline(always)]
    fn absorb(&mut self, word: u64) {
        self.state = (self.state.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }

    /// Records one processed event.
    #[inline(always)]
    pub fn record(&mut self, time_us: u64, kind: u32, entity: u32) {
        self.absorb(time_us);
        self.absorb(((kind as u64) << 32) | entity as u64);
        self.events += 1;
    }

    /// The number of events recorded.
    pub const fn events(&self) -> u64 {
        self.events
    }

    /// The digest of the events recorded so far.
    pub const fn finish(&self) -> u64 {
        mix64(self.state ^ self.events)
    }
}

/// Formats a 64-bit digest as 16 lower-case hexadecimal digits.
pub fn hex(digest: u64) -> String {
    format!("{digest:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix64_golden_values() {
        // SplitMix64's finaliser applied to 0 and 1; pinned so that a change
        // of constants fails loudly.
        assert_eq!(mix64(0), 0);
        assert_eq!(mix64(1), 0x5692_161D_100B_05E5);
    }

    #[test]
    fn stable_hasher_is_order_and_boundary_sensitive() {
        let mut a = StableHasher::new();
        a.write_str("ab").write_str("c");
        let mut b = StableHasher::new();
        b.write_str("a").write_str("bc");
        assert_ne!(a.finish(), b.finish());
        let mut c = StableHasher::new();
        c.write_str("ab").write_str("c");
        assert_eq!(a.finish(), c.finish());
    }

    #[test]
    fn stable_hasher_golden_value() {
        let mut h = StableHasher::new();
        h.write_u64(7).write_str("node-1").write_str("failure");
        assert_eq!(hex(h.finish()), hex(GOLDEN_STABLE));
    }

    const GOLDEN_STABLE: u64 = 0xb5b0_8a50_7129_186b;

    #[test]
    fn trace_hash_depends_on_order() {
        let mut a = TraceHash::new();
        a.record(1, 2, 3);
        a.record(4, 5, 6);
        let mut b = TraceHash::new();
        b.record(4, 5, 6);
        b.record(1, 2, 3);
        assert_ne!(a.finish(), b.finish());
        assert_eq!(a.events(), 2);
    }
}
