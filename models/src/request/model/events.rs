//! The events of the request-level model, their trace codes and entities,
//! and the [`Model`] implementation that dispatches them to their handlers.

use sim_core::engine::{Model, Scheduler, TraceEvent};
use sim_core::time::SimTime;

use super::RequestModel;

/// The events of the request-level model: small, `Copy`, no payload
/// beyond an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestEvent {
    /// The next request arrives at the balancer.
    Arrival,
    /// Server `0` (a global server index) finishes its current attempt.
    Departure(u32),
    /// The oldest pending attempt timer may have expired.
    Timeout,
    /// The request in slot `0` makes its next attempt after a backoff.
    Retry(u32),
    /// Instance `0` fails.
    InstanceDown(u32),
    /// Instance `0` is repaired.
    InstanceUp(u32),
    /// The health checks of instance `0` have caught up with its state:
    /// the balancer takes it out (it is down) or puts it back (it is up).
    HealthCheck(u32),
    /// The pool's dependency fails.
    DependencyDown,
    /// The pool's dependency is repaired.
    DependencyUp,
}

/// Trace entities of instances (fault events): this bit plus the index.
const INSTANCE_ENTITY: u32 = 1 << 31;

/// The trace entity of the dependency: above every instance's (instance
/// indices stay below `2^31 − 1`).
const DEPENDENCY_ENTITY: u32 = u32::MAX;

impl TraceEvent for RequestEvent {
    fn kind_code(&self) -> u32 {
        match self {
            RequestEvent::Arrival => 1,
            RequestEvent::Departure(_) => 2,
            RequestEvent::Timeout => 3,
            RequestEvent::Retry(_) => 4,
            RequestEvent::InstanceDown(_) => 5,
            RequestEvent::InstanceUp(_) => 6,
            RequestEvent::HealthCheck(_) => 7,
            RequestEvent::DependencyDown => 8,
            RequestEvent::DependencyUp => 9,
        }
    }

    fn kind_name(&self) -> &'static str {
        match self {
            RequestEvent::Arrival => "arrival",
            RequestEvent::Departure(_) => "departure",
            RequestEvent::Timeout => "timeout",
            RequestEvent::Retry(_) => "retry",
            RequestEvent::InstanceDown(_) => "instance down",
            RequestEvent::InstanceUp(_) => "instance up",
            RequestEvent::HealthCheck(_) => "health check",
            RequestEvent::DependencyDown => "dependency down",
            RequestEvent::DependencyUp => "dependency up",
        }
    }

    /// 0 for the clients' side (arrivals, timeouts, retries), `1 + s` for
    /// server `s`, `2^31 + i` for instance `i` (its faults and health
    /// checks), `2^32 − 1` for the dependency.
    fn entity(&self) -> u32 {
        match self {
            RequestEvent::Departure(s) => s + 1,
            RequestEvent::InstanceDown(i)
            | RequestEvent::InstanceUp(i)
            | RequestEvent::HealthCheck(i) => INSTANCE_ENTITY | i,
            RequestEvent::DependencyDown | RequestEvent::DependencyUp => DEPENDENCY_ENTITY,
            _ => 0,
        }
    }
}

impl Model for RequestModel {
    type Event = RequestEvent;

    fn start(&mut self, s: &mut Scheduler<RequestEvent>) {
        let first = self.arrivals.next_after(0, &mut self.arrival_rng);
        s.schedule_at(SimTime::from_micros(first), RequestEvent::Arrival);
        for (i, f) in self.faults.iter_mut().enumerate() {
            if let Some(f) = f {
                let d = f.failure.sample(&mut f.failure_rng);
                s.schedule_after(d, RequestEvent::InstanceDown(i as u32));
            }
        }
        if let Some(d) = &mut self.dependency {
            let next = d.time_to_failure();
            s.schedule_after(next, RequestEvent::DependencyDown);
        }
    }

    #[inline]
    fn handle(&mut self, event: RequestEvent, s: &mut Scheduler<RequestEvent>) {
        if let Some(o) = &mut self.endings {
            o.clear();
        }
        match event {
            RequestEvent::Arrival => self.on_arrival(s),
            RequestEvent::Departure(server) => self.on_departure(server, s),
            RequestEvent::Timeout => self.on_timeout(s),
            RequestEvent::Retry(r) => {
                let now = s.now().as_micros();
                self.start_attempt(r, now, s);
            }
            RequestEvent::InstanceDown(i) => self.on_instance_down(i, s),
            RequestEvent::InstanceUp(i) => self.on_instance_up(i, s),
            RequestEvent::HealthCheck(i) => self.on_health_check(i),
            RequestEvent::DependencyDown => self.on_dependency_down(s),
            RequestEvent::DependencyUp => self.on_dependency_up(s),
        }
    }

    fn finish(&mut self, end: SimTime) {
        self.advance(end.as_micros());
        self.measures.end = end;
        if let Some(d) = &self.dependency {
            self.measures.dependency_down_us += d.down_since(end.as_micros(), self.warmup_us);
        }
    }

    fn entity_name(&self, entity: u32) -> String {
        if entity == DEPENDENCY_ENTITY
            && let Some(d) = &self.dependency
        {
            return d.name().to_string();
        }
        if entity & INSTANCE_ENTITY != 0
            && let Some(name) = self
                .instance_names
                .get((entity & !INSTANCE_ENTITY) as usize)
            && (entity - 1) as usize >= self.servers.len()
        {
            return name.clone();
        }
        match entity.checked_sub(1) {
            None => format!("{}/clients", self.name),
            Some(s) => match self.servers.get(s as usize) {
                Some(srv) => format!(
                    "{}#{}",
                    self.instance_names[srv.instance as usize], srv.index
                ),
                None => entity.to_string(),
            },
        }
    }
}
