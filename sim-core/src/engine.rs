//! The run loop: a model reacts to events, the scheduler holds what is
//! pending, and every processed event is folded into the trace hash.
//!
//! Events are plain data (usually an enum); a [`Model`] turns
//! `(state, event)` into effects through its [`Scheduler`]: schedule,
//! cancel, and its own measures. The engine knows nothing of what is being
//! simulated.
//!
//! ```
//! use sim_core::engine::{Model, Scheduler, Simulation, TraceEvent};
//! use sim_core::time::{SimDuration, SimTime};
//!
//! #[derive(Debug, Clone, Copy)]
//! struct Tick;
//! impl TraceEvent for Tick {
//!     fn kind_code(&self) -> u32 { 0 }
//!     fn kind_name(&self) -> &'static str { "tick" }
//!     fn entity(&self) -> u32 { 0 }
//! }
//!
//! struct Clock { ticks: u64 }
//! impl Model for Clock {
//!     type Event = Tick;
//!     fn start(&mut self, s: &mut Scheduler<Tick>) { s.schedule_after(SimDuration::from_secs(1), Tick); }
//!     fn handle(&mut self, _e: Tick, s: &mut Scheduler<Tick>) {
//!         self.ticks += 1;
//!         s.schedule_after(SimDuration::from_secs(1), Tick);
//!     }
//! }
//!
//! let mut sim = Simulation::new(Clock { ticks: 0 });
//! let out = sim.run_until(SimTime::from_duration(SimDuration::from_mins(1)));
//! assert_eq!(sim.model().ticks, 59); // ticks at 1s..59s; 60s is the horizon
//! assert_eq!(out.events, 59);
//! ```

use crate::hash::TraceHash;
use crate::queue::{EventId, EventQueue};
use crate::time::{SimDuration, SimTime};

/// What the trace hash and the trace writer need to know about an event.
pub trait TraceEvent {
    /// A small code for the kind of event, stable across versions of a
    /// model; it is part of the trace hash.
    fn kind_code(&self) -> u32;
    /// A short name for the kind of event, as written in traces.
    fn kind_name(&self) -> &'static str;
    /// The id of the entity the event concerns; part of the trace hash.
    fn entity(&self) -> u32;
}

/// A simulated system: its state and how it reacts to events.
pub trait Model {
    /// The events this model schedules and handles.
    type Event: TraceEvent;

    /// Called once at time zero, before any event: schedule the first events.
    fn start(&mut self, scheduler: &mut Scheduler<Self::Event>);

    /// Reacts to one event at `scheduler.now()`.
    fn handle(&mut self, event: Self::Event, scheduler: &mut Scheduler<Self::Event>);

    /// Called once when the run reaches its horizon, with the clock at the
    /// horizon: close time-weighted measures here.
    fn finish(&mut self, _end: SimTime) {}

    /// A human name for an entity id, for traces. Defaults to the number.
    fn entity_name(&self, entity: u32) -> String {
        entity.to_string()
    }
}

/// The clock and the pending events, as a model sees them.
#[derive(Debug)]
pub struct Scheduler<E> {
    now: SimTime,
    queue: EventQueue<E>,
}

impl<E> Scheduler<E> {
    fn new() -> Self {
        Scheduler {
            now: SimTime::ZERO,
            queue: EventQueue::with_capacity(64),
        }
    }

    /// The current simulated time.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at `time`. An event in the past is a model bug.
    #[inline]
    pub fn schedule_at(&mut self, time: SimTime, event: E) -> EventId {
        debug_assert!(time >= self.now, "event scheduled in the past");
        self.queue.push(time.max(self.now), event)
    }

    /// Schedules `event` after `delay` from now.
    #[inline]
    pub fn schedule_after(&mut self, delay: SimDuration, event: E) -> EventId {
        self.queue.push(self.now + delay, event)
    }

    /// Cancels a pending event; `false` if it already ran or was cancelled.
    #[inline]
    pub fn cancel(&mut self, id: EventId) -> bool {
        self.queue.cancel(id)
    }

    /// True if the event is still pending.
    pub fn is_pending(&self, id: EventId) -> bool {
        self.queue.is_pending(id)
    }

    /// The number of pending events.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }
}

/// One processed event, as handed to a [`TraceSink`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceRecord {
    /// When the event ran.
    pub time: SimTime,
    /// The kind of event.
    pub kind: &'static str,
    /// The entity it concerns.
    pub entity: u32,
}

/// Receives every processed event, in order (for example a JSON Lines
/// writer). Sinks observe; they cannot change the run.
pub trait TraceSink {
    /// Called after the model handled `record`'s event; `entity_name` is the
    /// model's name for the entity.
    fn record(&mut self, record: TraceRecord, entity_name: &str);
}

/// What a finished run reports about itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunOutcome {
    /// The number of events processed.
    pub events: u64,
    /// The digest of the processed events.
    pub trace_hash: u64,
    /// The time the run stopped at (its horizon).
    pub end: SimTime,
}

/// The most events a [`Simulation`] processes unless told otherwise
/// ([`Simulation::with_event_budget`]): 10¹⁰, minutes of work at tens of
/// millions of events a second. A run that reaches it stops there
/// ([`Simulation::budget_exhausted`]).
pub const DEFAULT_EVENT_BUDGET: u64 = 10_000_000_000;

/// A model, its scheduler and its trace hash.
#[derive(Debug)]
pub struct Simulation<M: Model> {
    model: M,
    scheduler: Scheduler<M::Event>,
    trace: TraceHash,
    started: bool,
    budget: u64,
    exhausted: bool,
}

impl<M: Model> Simulation<M> {
    /// A simulation of `model` at time zero.
    pub fn new(model: M) -> Self {
        Simulation {
            model,
            scheduler: Scheduler::new(),
            trace: TraceHash::new(),
            started: false,
            budget: DEFAULT_EVENT_BUDGET,
            exhausted: false,
        }
    }

    /// The same simulation, processing at most `events` events in all:
    /// once it has processed that many, every run method stops as if it had
    /// reached its horizon, and [`Simulation::budget_exhausted`] says so.
    /// A bound on work for inputs whose events are too dense to finish.
    pub fn with_event_budget(mut self, events: u64) -> Self {
        self.budget = events;
        self
    }

    /// Whether a run stopped because it had processed its event budget
    /// ([`DEFAULT_EVENT_BUDGET`] unless set): its measures then cover less
    /// than the horizon and must not be reported as if they did.
    pub fn budget_exhausted(&self) -> bool {
        self.exhausted
    }

    /// Whether the budget allows another event (and notes when it does not).
    #[inline(always)]
    fn within_budget(&mut self) -> bool {
        if self.trace.events() < self.budget {
            true
        } else {
            self.exhausted = true;
            false
        }
    }

    /// The model, to read its measures.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// Consumes the simulation and returns the model.
    pub fn into_model(self) -> M {
        self.model
    }

    fn start(&mut self) {
        if !self.started {
            self.started = true;
            self.model.start(&mut self.scheduler);
        }
    }

    /// Runs every event strictly before `horizon`, then calls
    /// [`Model::finish`] at the horizon.
    pub fn run_until(&mut self, horizon: SimTime) -> RunOutcome {
        self.advance(horizon);
        self.finish(horizon)
    }

    /// Runs every event strictly before `until` and pauses there, without
    /// [`Model::finish`]: the model can be read as it stands at `until`
    /// (nothing changes between its last event and `until`), and a later
    /// `advance` or [`Simulation::run_until`] continues as if the run had
    /// never paused, with the same events and the same trace hash. Returns
    /// the number of events processed so far.
    pub fn advance(&mut self, until: SimTime) -> u64 {
        self.start();
        while self.within_budget()
            && let Some((time, event)) = self.scheduler.queue.pop_before(until)
        {
            self.scheduler.now = time;
            self.trace
                .record(time.as_micros(), event.kind_code(), event.entity());
            self.model.handle(event, &mut self.scheduler);
        }
        self.trace.events()
    }

    /// Like [`Simulation::run_until`], handing every processed event to
    /// `sink` as well.
    pub fn run_traced(&mut self, horizon: SimTime, sink: &mut dyn TraceSink) -> RunOutcome {
        self.start();
        while self.within_budget()
            && let Some((time, event)) = self.scheduler.queue.pop_before(horizon)
        {
            self.scheduler.now = time;
            let record = TraceRecord {
                time,
                kind: event.kind_name(),
                entity: event.entity(),
            };
            self.trace
                .record(time.as_micros(), event.kind_code(), record.entity);
            self.model.handle(event, &mut self.scheduler);
            let name = self.model.entity_name(record.entity);
            sink.record(record, &name);
        }
        self.finish(horizon)
    }

    /// Like [`Simulation::run_until`], calling `observe(&model, now)` after
    /// every processed event (observers read; they cannot change the run,
    /// and the trace hash is the same as without them). The model is not
    /// shown before the first event: read [`Simulation::model`] first for
    /// the state at time zero.
    pub fn run_observed(
        &mut self,
        horizon: SimTime,
        observe: &mut dyn FnMut(&M, SimTime),
    ) -> RunOutcome {
        self.start();
        while self.within_budget()
            && let Some((time, event)) = self.scheduler.queue.pop_before(horizon)
        {
            self.scheduler.now = time;
            self.trace
                .record(time.as_micros(), event.kind_code(), event.entity());
            self.model.handle(event, &mut self.scheduler);
            observe(&self.model, time);
        }
        self.finish(horizon)
    }

    /// Like [`Simulation::run_observed`], but `observe` can stop the run:
    /// once it returns `true` after an event, the run completes the events
    /// at that same instant (still shown to `observe`, whose answers no
    /// longer matter) and stops before the first later one, so that the
    /// model is read as the instant left it rather than half-way through
    /// simultaneous events. A stopped run does not call [`Model::finish`]:
    /// its outcome covers the events processed so far, `end` is the
    /// instant it stopped at, and a later [`Simulation::advance`] or
    /// [`Simulation::run_until`] continues the same run, with the same
    /// events and trace hash as one never stopped. Returns the outcome
    /// and whether the run stopped before `horizon`; a run never stopped
    /// is exactly [`Simulation::run_observed`].
    pub fn run_observed_until(
        &mut self,
        horizon: SimTime,
        observe: &mut dyn FnMut(&M, SimTime) -> bool,
    ) -> (RunOutcome, bool) {
        self.start();
        let mut until = horizon;
        let mut stopped_at = None;
        while self.within_budget()
            && let Some((time, event)) = self.scheduler.queue.pop_before(until)
        {
            self.scheduler.now = time;
            self.trace
                .record(time.as_micros(), event.kind_code(), event.entity());
            self.model.handle(event, &mut self.scheduler);
            let stop = observe(&self.model, time);
            if stop && stopped_at.is_none() {
                stopped_at = Some(time);
                // The rest of this instant: events strictly before the
                // next microsecond (never past the horizon).
                until = until.min(time + SimDuration::from_micros(1));
            }
        }
        match stopped_at {
            Some(end) => (
                RunOutcome {
                    events: self.trace.events(),
                    trace_hash: self.trace.finish(),
                    end,
                },
                true,
            ),
            None => (self.finish(horizon), false),
        }
    }

    /// Runs to `horizon`, handing every event to `trace` if one is given:
    /// [`Simulation::run_traced`] or [`Simulation::run_until`].
    pub fn run(&mut self, horizon: SimTime, trace: Option<&mut dyn TraceSink>) -> RunOutcome {
        match trace {
            Some(sink) => self.run_traced(horizon, sink),
            None => self.run_until(horizon),
        }
    }

    fn finish(&mut self, horizon: SimTime) -> RunOutcome {
        self.scheduler.now = self.scheduler.now.max(horizon);
        self.model.finish(horizon);
        RunOutcome {
            events: self.trace.events(),
            trace_hash: self.trace.finish(),
            end: horizon,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Ev {
        Ping(u32),
        Timer,
    }

    impl TraceEvent for Ev {
        fn kind_code(&self) -> u32 {
            match self {
                Ev::Ping(_) => 1,
                Ev::Timer => 2,
            }
        }
        fn kind_name(&self) -> &'static str {
            match self {
                Ev::Ping(_) => "ping",
                Ev::Timer => "timer",
            }
        }
        fn entity(&self) -> u32 {
            match self {
                Ev::Ping(e) => *e,
                Ev::Timer => 0,
            }
        }
    }

    #[derive(Default)]
    struct Recorder {
        seen: Vec<(u64, Ev)>,
        timer: Option<EventId>,
    }

    impl Model for Recorder {
        type Event = Ev;
        fn start(&mut self, s: &mut Scheduler<Ev>) {
            s.schedule_at(SimTime::from_micros(5), Ev::Ping(2));
            s.schedule_at(SimTime::from_micros(5), Ev::Ping(1));
            self.timer = Some(s.schedule_at(SimTime::from_micros(7), Ev::Timer));
            s.schedule_at(SimTime::from_micros(3), Ev::Ping(3));
        }
        fn handle(&mut self, e: Ev, s: &mut Scheduler<Ev>) {
            self.seen.push((s.now().as_micros(), e));
            if e == Ev::Ping(3) {
                // Cancel the timer before it fires.
                assert!(s.cancel(self.timer.unwrap()));
            }
        }
    }

    struct Collect(Vec<String>);
    impl TraceSink for Collect {
        fn record(&mut self, r: TraceRecord, name: &str) {
            self.0
                .push(format!("{} {} {}", r.time.as_micros(), r.kind, name));
        }
    }

    /// Schedules itself again a microsecond later, forever.
    struct Ticker;
    impl Model for Ticker {
        type Event = Ev;
        fn start(&mut self, s: &mut Scheduler<Ev>) {
            s.schedule_at(SimTime::from_micros(1), Ev::Timer);
        }
        fn handle(&mut self, _: Ev, s: &mut Scheduler<Ev>) {
            s.schedule_after(SimDuration::from_micros(1), Ev::Timer);
        }
    }

    #[test]
    fn a_run_stops_at_its_event_budget() {
        let horizon = SimTime::from_micros(1_000_000);
        let mut sim = Simulation::new(Ticker).with_event_budget(1_000);
        let out = sim.run_until(horizon);
        assert_eq!(out.events, 1_000);
        assert!(sim.budget_exhausted());
        let mut traced = Simulation::new(Ticker).with_event_budget(10);
        let out = traced.run_traced(horizon, &mut Collect(Vec::new()));
        assert_eq!(out.events, 10);
        assert!(traced.budget_exhausted());
        // Under the budget, nothing changes.
        let mut sim = Simulation::new(Ticker);
        let out = sim.run_until(SimTime::from_micros(100));
        assert_eq!(out.events, 99);
        assert!(!sim.budget_exhausted());
    }

    #[test]
    fn runs_in_time_then_fifo_order_and_honours_cancel() {
        let mut sim = Simulation::new(Recorder::default());
        let out = sim.run_until(SimTime::from_micros(100));
        assert_eq!(
            sim.model().seen,
            vec![(3, Ev::Ping(3)), (5, Ev::Ping(2)), (5, Ev::Ping(1))]
        );
        assert_eq!(out.events, 3);
    }

    #[test]
    fn traced_and_plain_runs_agree() {
        let mut a = Simulation::new(Recorder::default());
        let plain = a.run_until(SimTime::from_micros(100));
        let mut b = Simulation::new(Recorder::default());
        let mut sink = Collect(Vec::new());
        let traced = b.run_traced(SimTime::from_micros(100), &mut sink);
        assert_eq!(plain, traced);
        assert_eq!(sink.0, vec!["3 ping 3", "5 ping 2", "5 ping 1"]);
    }

    #[test]
    fn observed_and_plain_runs_agree() {
        let mut a = Simulation::new(Recorder::default());
        let plain = a.run_until(SimTime::from_micros(100));
        let mut b = Simulation::new(Recorder::default());
        let mut seen = Vec::new();
        let observed = b.run_observed(SimTime::from_micros(100), &mut |m, now| {
            seen.push((now.as_micros(), m.seen.len()));
        });
        assert_eq!(plain, observed);
        assert_eq!(a.model().seen, b.model().seen);
        // Called once after each event, with the model as it left it.
        assert_eq!(seen, vec![(3, 1), (5, 2), (5, 3)]);
    }

    #[test]
    fn an_observer_can_stop_after_an_instant_and_the_run_resumes() {
        let horizon = SimTime::from_micros(100);
        let mut plain = Simulation::new(Recorder::default());
        let whole = plain.run_until(horizon);
        // Never stopping is the plain run.
        let mut never = Simulation::new(Recorder::default());
        let (out, stopped) = never.run_observed_until(horizon, &mut |_, _| false);
        assert_eq!((out, stopped), (whole, false));
        // Asking to stop after the first event at 5 still runs the second
        // event at 5, then stops before anything later.
        let mut sim = Simulation::new(Recorder::default());
        let mut seen = Vec::new();
        let (out, stopped) = sim.run_observed_until(horizon, &mut |m, now| {
            seen.push((now.as_micros(), m.seen.len()));
            now.as_micros() == 5
        });
        assert!(stopped);
        assert_eq!(seen, vec![(3, 1), (5, 2), (5, 3)]);
        assert_eq!((out.events, out.end), (3, SimTime::from_micros(5)));
        assert_eq!(sim.model().seen, plain.model().seen);
        // Resuming gives the same run as never stopping.
        assert_eq!(sim.run_until(horizon), whole);
    }

    #[test]
    fn a_stopped_run_hashes_what_it_processed() {
        let mut a = Simulation::new(Recorder::default());
        let (out, stopped) = a.run_observed_until(SimTime::from_micros(100), &mut |_, now| {
            now.as_micros() == 3
        });
        assert!(stopped);
        let mut b = Simulation::new(Recorder::default());
        let first = b.run_until(SimTime::from_micros(4));
        assert_eq!(
            (out.events, out.trace_hash),
            (first.events, first.trace_hash)
        );
    }

    #[test]
    fn horizon_is_exclusive_and_resumable() {
        let mut sim = Simulation::new(Recorder::default());
        let first = sim.run_until(SimTime::from_micros(5));
        assert_eq!(first.events, 1);
        let second = sim.run_until(SimTime::from_micros(6));
        assert_eq!(second.events, 3);
    }

    #[test]
    fn advancing_in_steps_is_the_same_run() {
        let mut whole = Simulation::new(Recorder::default());
        let plain = whole.run_until(SimTime::from_micros(100));
        let mut steps = Simulation::new(Recorder::default());
        assert_eq!(steps.advance(SimTime::from_micros(5)), 1);
        assert_eq!(steps.model().seen, vec![(3, Ev::Ping(3))]);
        assert_eq!(steps.advance(SimTime::from_micros(5)), 1);
        assert_eq!(steps.advance(SimTime::from_micros(50)), 3);
        assert_eq!(steps.run_until(SimTime::from_micros(100)), plain);
        assert_eq!(steps.model().seen, whole.model().seen);
    }
}
