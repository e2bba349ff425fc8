//! The nines engine.
pub mod hash;
pub mod rng;
pub mod time;
