//! The nines engine: integer simulated time, an event queue with cheap
//! cancellation, named random streams, distributions, streaming statistics,
//! trace digests and a parallel replication runner.
//!
//! The engine knows nothing of what is simulated. A model is plain state
//! that reacts to its own events through a [`engine::Scheduler`]; the
//! [`engine::Simulation`] run loop pops events in `(time, insertion)` order
//! and folds each into the run's trace hash.
//!
//! # A first model
//!
//! One machine that fails after an exponential time (mean 1000 h) and is
//! repaired in a lognormal time (mean 10 h, sd 5 h); we measure the fraction
//! of time it is up over ten years.
//!
//! ```
//! use sim_core::dist::Dist;
//! use sim_core::engine::{Model, Scheduler, Simulation, TraceEvent};
//! use sim_core::rng::RngStream;
//! use sim_core::stats::TimeWeighted;
//! use sim_core::time::{SimDuration, SimTime};
//!
//! #[derive(Clone, Copy, Debug)]
//! enum Event { Fail, Repaired }
//!
//! impl TraceEvent for Event {
//!     fn kind_code(&self) -> u32 { *self as u32 }
//!     fn kind_name(&self) -> &'static str {
//!         match self { Event::Fail => "fail", Event::Repaired => "repaired" }
//!     }
//!     fn entity(&self) -> u32 { 0 }
//! }
//!
//! struct Machine {
//!     failure: Dist,
//!     repair: Dist,
//!     rng: RngStream,
//!     up: TimeWeighted,
//! }
//!
//! impl Model for Machine {
//!     type Event = Event;
//!     fn start(&mut self, s: &mut Scheduler<Event>) {
//!         s.schedule_after(self.failure.sample(&mut self.rng), Event::Fail);
//!     }
//!     fn handle(&mut self, e: Event, s: &mut Scheduler<Event>) {
//!         match e {
//!             Event::Fail => {
//!                 self.up.set(s.now(), 0.0);
//!                 s.schedule_after(self.repair.sample(&mut self.rng), Event::Repaired);
//!             }
//!             Event::Repaired => {
//!                 self.up.set(s.now(), 1.0);
//!                 s.schedule_after(self.failure.sample(&mut self.rng), Event::Fail);
//!             }
//!         }
//!     }
//! }
//!
//! let machine = Machine {
//!     failure: "exponential(mean = 1000h)".parse().unwrap(),
//!     repair: "lognormal(mean = 10h, sd = 5h)".parse().unwrap(),
//!     // The stream of entity "machine", purpose "faults", replication 0 of seed 42.
//!     rng: RngStream::new(42, 0, "machine", "faults"),
//!     up: TimeWeighted::new(SimTime::ZERO, 1.0),
//! };
//! let end = SimTime::from_duration(SimDuration::from_years(10));
//! let mut sim = Simulation::new(machine);
//! let outcome = sim.run_until(end);
//! let availability = sim.model().up.average_until(end);
//! assert!(availability > 0.97 && availability < 1.0);
//! assert!(outcome.events > 100);
//! // Same seed, same events, same digest: on any machine, in any thread.
//! println!("{} events, digest {:016x}", outcome.events, outcome.trace_hash);
//! ```
//!
//! Replications run in parallel with [`runner::run_replications`], which
//! returns results in replication order whatever the thread count;
//! [`runner::run_replications_with`] also reports each replication as it
//! finishes and can be stopped, keeping the prefix of finished replications.

pub mod dist;
pub mod engine;
pub mod hash;
pub mod queue;
pub mod rng;
pub mod runner;
pub mod stats;
pub mod time;
pub mod trace;
