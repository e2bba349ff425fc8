//! The nines engine.
pub mod dist;
pub mod engine;
pub mod hash;
pub mod queue;
pub mod rng;
pub mod runner;
pub mod stats;
pub mod time;
pub mod trace;
