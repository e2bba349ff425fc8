//! What nines simulates: repairable components, services built from them,
//! repair crews, and the measures each replication produces.
//!
//! A model is plain state plus a [`sim_core::engine::Model`] implementation:
//! it reacts to its own events and never sees a scenario file, a thread or a
//! clock. The scenario layer above builds a spec such as
//! [`KofNSpec`](kofn::KofNSpec), and [`replicate::simulate`] runs one
//! replication of it; [`windows::simulate_windows`] runs one long
//! replication and reads it window by window (for batch means).
//!
//! ```
//! use models::kofn::{ComponentSpec, Crews, KofNSpec, WhileDown};
//! use models::replicate::{Horizon, simulate};
//! use sim_core::dist::Dist;
//! use sim_core::time::SimDuration;
//!
//! let node = |i: u32| ComponentSpec {
//!     name: format!("node-{i}"),
//!     failure: Dist::exponential_mean(SimDuration::from_hours(1000)).unwrap(),
//!     repair: Dist::exponential_mean(SimDuration::from_hours(10)).unwrap(),
//! };
//! let spec = KofNSpec {
//!     name: "quorum".into(),
//!     components: (1..=3).map(node).collect(),
//!     min_up: 2,
//!     crews: Crews::Dedicated,
//!     while_down: WhileDown::KeepRunning,
//! };
//! let horizon = Horizon::new(SimDuration::from_years(1), SimDuration::ZERO);
//! let one = simulate(&models::spec::ModelSpec::KofN(spec), 42, 0, horizon, None);
//! assert!(one.measures.availability() > 0.99);
//! ```

pub mod batch_means;
pub mod budget;
pub mod invariant;
pub mod kofn;
pub mod measure;
pub mod rare;
pub mod replicate;
pub mod request;
pub mod spec;
pub mod summary;
pub mod system;
pub mod timeline;
pub mod windows;
