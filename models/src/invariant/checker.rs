//! The checker: one replication run with an observer that tests every
//! invariant after each event.
//!
//! # How a violation is timed
//!
//! After every event the checker reads the model (nothing else: the run is
//! the same as without it) and each invariant, in the order given, looks
//! at what changed. Two kinds of breach:
//!
//! * **at an event**: a split brain begins, writes are lost, a counter
//!   passes its limit. The violation is at that event's time.
//! * **after a span**: an outage longer than `d`, a split brain longer
//!   than `d`, a dead instance in rotation past its checks' bound, more
//!   downtime in a sliding window than its budget. The state's start is
//!   known, so the instant it would break is computed when the state
//!   begins (`start + d`; for windows, the exact instant the windowed
//!   downtime crosses the budget, see [`Window`]); the violation is that
//!   instant, once the run shows the state held past it: at the first
//!   event after it, or at the end of the run.
//!
//! A span that reaches its bound exactly and ends there is no violation
//! ("longer than"). Nothing before the warm-up counts: a state that began
//! during the warm-up counts from its end, and losses and counters count
//! only after it (as the model measures them).
//!
//! The first violation is the earliest; among violations at the same
//! instant, the invariant listed first. Events at one instant form one
//! instant: when a violation is seen, the run completes the events at
//! that instant before deciding (a later one may break an invariant listed
//! earlier), which is also where a run with `stop_at_violation` stops
//! ([`Simulation::run_observed_until`]). Both modes find the same
//! violation.

use std::collections::VecDeque;

use sim_core::engine::{Model, RunOutcome, Simulation};
use sim_core::time::{SimDuration, SimTime};

use crate::kofn::KofNModel;
use crate::replicate::Horizon;
use crate::request::RequestModel;
use crate::spec::ModelSpec;
use crate::system::model::{LossCause, SystemModel, WriteLoss};
use crate::system::spec::{Element, Replication, ServiceSpec, SystemSpec};

use super::{CheckOutcome, FaultEvent, InvariantSpec, Limit, Violation};

mod fault_log;
mod rotation;
#[cfg(test)]
mod tests;
mod window;

use fault_log::FaultLog;
#[cfg(test)]
use rotation::ROTATION_SLACK;
use rotation::Rotation;
use window::Window;

/// The built-in invariants that apply to `spec`: no split brain where a
/// service fails over, no lost writes beyond the guarantee where a service
/// keeps data, the SLO over `slo`'s window if given, and the health-check
/// bound where a load balancer checks health.
pub fn builtins(
    spec: &ModelSpec,
    slo: Option<(f64, sim_core::time::SimDuration)>,
) -> Vec<InvariantSpec> {
    let system = match spec {
        ModelSpec::System(s) => Some(s.as_ref()),
        ModelSpec::KofN(_) | ModelSpec::Requests(_) => None,
    };
    let any = |f: &dyn Fn(&ServiceSpec) -> bool| system.is_some_and(|s| s.services.iter().any(f));
    let mut out = Vec::new();
    if any(&|s| s.failover.is_some()) {
        out.push(InvariantSpec::NoSplitBrain);
    }
    if any(&|s| s.data.is_some()) {
        out.push(InvariantSpec::NoLostWritesBeyondGuarantee);
    }
    if let Some((target, window)) = slo {
        out.push(InvariantSpec::Slo { target, window });
    }
    if any(&|s| s.health_check.is_some()) {
        out.push(InvariantSpec::HealthCheckBound);
    }
    out
}

/// Runs `replication` of `spec` under `seed` and checks `invariants` after
/// every event. With `stop_at_violation`, the run stops at the first
/// violation (then `events` and `trace_hash` cover the run up to it):
/// after the events of the instant at which it is seen, which for a
/// breach that takes a span (an outage longer than a limit) is the first
/// event after the instant it broke. Otherwise it runs to the horizon and
/// its trace hash equals [`crate::replicate::simulate`]'s. Either way the
/// violation is the same: the earliest, and among simultaneous ones the
/// first in `invariants`.
///
/// Invariants that do not apply to the model never fire: split brains,
/// lost writes, failovers and health checks exist only in infrastructure
/// systems. Entry outages and windowed downtime apply to every model: a
/// k-of-n service is down while fewer than `k` components run; a
/// request-level pool while no instance is up or a hard dependency is down
/// (as [`crate::timeline`] draws it). Fault activations are listed for
/// infrastructure systems only (the other models have no fault processes).
pub fn check(
    spec: &ModelSpec,
    invariants: &[InvariantSpec],
    seed: u64,
    replication: u64,
    horizon: Horizon,
    stop_at_violation: bool,
) -> CheckOutcome {
    let warmup = SimTime::from_duration(horizon.warmup);
    let end = horizon.end();
    let mut checker = Checker::new(spec, invariants, warmup);
    let outcome = match spec {
        ModelSpec::KofN(k) => {
            let mut sim = Simulation::new(KofNModel::new(k.clone(), seed, replication, warmup));
            run(&mut sim, end, &mut checker, stop_at_violation)
        }
        ModelSpec::System(s) => {
            let mut sim = Simulation::new(SystemModel::new(s, seed, replication, warmup));
            run(&mut sim, end, &mut checker, stop_at_violation)
        }
        ModelSpec::Requests(r) => match RequestModel::new(r, seed, replication, warmup) {
            Ok(model) => {
                let mut sim = Simulation::new(model);
                run(&mut sim, end, &mut checker, stop_at_violation)
            }
            // An invalid spec runs nothing, as in `simulate`.
            Err(_) => RunOutcome {
                events: 0,
                trace_hash: 0,
                end,
            },
        },
    };
    checker.finish(outcome)
}

/// Runs `sim` with `checker` looking at every event, stopping at the
/// first violation if `stop`.
fn run<M: Model + Viewed>(
    sim: &mut Simulation<M>,
    end: SimTime,
    checker: &mut Checker<'_>,
    stop: bool,
) -> RunOutcome {
    if checker.idle() {
        return sim.run_until(end);
    }
    checker.look(sim.model().view(), SimTime::ZERO);
    let (outcome, _) =
        sim.run_observed_until(end, &mut |m, now| checker.look(m.view(), now) && stop);
    outcome
}

// ------------------------------------------------------------------ views

/// A model as the checker reads it after an event.
#[derive(Clone, Copy, Debug)]
enum View<'m> {
    KofN(&'m KofNModel),
    System(&'m SystemModel<'m>),
    Requests(&'m RequestModel),
}

/// The models the checker can read.
trait Viewed {
    fn view(&self) -> View<'_>;
}

impl Viewed for KofNModel {
    fn view(&self) -> View<'_> {
        View::KofN(self)
    }
}

impl Viewed for SystemModel<'_> {
    fn view(&self) -> View<'_> {
        View::System(self)
    }
}

impl Viewed for RequestModel {
    fn view(&self) -> View<'_> {
        View::Requests(self)
    }
}

impl<'m> View<'m> {
    /// Whether the entry (the service as users see it) is down.
    #[inline]
    fn entry_down(self) -> bool {
        match self {
            View::KofN(m) => !m.is_up(),
            View::System(m) => !m.status().entry_up,
            View::Requests(m) => {
                !m.instances_up().iter().any(|&u| u)
                    || (m.dependency_up() == Some(false) && m.dependency_soft() == Some(false))
            }
        }
    }

    fn system(self) -> Option<&'m SystemModel<'m>> {
        match self {
            View::System(m) => Some(m),
            View::KofN(_) | View::Requests(_) => None,
        }
    }
}

// ---------------------------------------------------------------- checker

/// What the rules need besides the model: the spec and the warm-up.
#[derive(Clone, Copy, Debug)]
struct Context<'a> {
    spec: &'a ModelSpec,
    warmup: SimTime,
}

impl Context<'_> {
    fn system(&self) -> Option<&SystemSpec> {
        match self.spec {
            ModelSpec::System(s) => Some(s),
            ModelSpec::KofN(_) | ModelSpec::Requests(_) => None,
        }
    }

    fn entry(&self) -> &str {
        self.spec.service_name()
    }
}

/// One invariant being checked.
#[derive(Debug)]
struct Rule {
    name: String,
    check: Check,
    /// False once it fired, or from the start if it does not apply.
    live: bool,
}

/// The invariants of one run and what they found.
#[derive(Debug)]
struct Checker<'a> {
    cx: Context<'a>,
    rules: Vec<Rule>,
    /// Whether some live rule reads the entry's state.
    needs_entry: bool,
    /// The first violation so far: (rule index, violation).
    first: Option<(usize, Violation)>,
    /// The instant at which the first violation was seen: after it, the
    /// answer is settled.
    seen_at: Option<SimTime>,
    settled: bool,
    faults: Option<FaultLog>,
}

impl<'a> Checker<'a> {
    fn new(spec: &'a ModelSpec, invariants: &[InvariantSpec], warmup: SimTime) -> Self {
        let cx = Context { spec, warmup };
        let rules: Vec<Rule> = invariants
            .iter()
            .map(|inv| {
                let check = Check::new(inv, &cx);
                Rule {
                    name: inv.name().to_string(),
                    live: !matches!(check, Check::Inapplicable),
                    check,
                }
            })
            .collect();
        let needs_entry = rules.iter().any(|r| r.live && r.check.reads_entry());
        Checker {
            cx,
            rules,
            needs_entry,
            first: None,
            seen_at: None,
            settled: false,
            faults: cx.system().map(|_| FaultLog::default()),
        }
    }

    /// Nothing to check and no faults to list: a plain run will do.
    fn idle(&self) -> bool {
        self.faults.is_none() && self.rules.iter().all(|r| !r.live)
    }

    /// Reads the model after an event at `now` (or before the first, at
    /// time zero). Returns whether a violation has been seen.
    #[inline]
    fn look(&mut self, view: View<'_>, now: SimTime) -> bool {
        if let Some(seen) = self.seen_at
            && !self.settled
            && now > seen
        {
            // The instant of the violation is over: its state held past it.
            self.settle(seen, true);
        }
        if let (Some(log), Some(m)) = (self.faults.as_mut(), view.system()) {
            log.look(m, now, !self.settled);
        }
        if self.settled {
            return true;
        }
        let entry_down = self.needs_entry && view.entry_down();
        let cx = self.cx;
        for (i, rule) in self.rules.iter_mut().enumerate() {
            if !rule.live {
                continue;
            }
            let found = match rule.check.confirm(now, false, &cx) {
                Some(v) => Some(v),
                None => rule.check.update(view, entry_down, now, &cx),
            };
            if let Some((time, detail)) = found {
                rule.live = false;
                offer(&mut self.first, i, &rule.name, time, detail);
            }
        }
        if self.first.is_some() && self.seen_at.is_none() {
            self.seen_at = Some(now);
        }
        self.first.is_some()
    }

    /// The run's state is known to hold past `t` (up to `t` only, unless
    /// `inclusive`): confirms every breach due by then, and ends the
    /// checking.
    fn settle(&mut self, t: SimTime, inclusive: bool) {
        let cx = self.cx;
        for (i, rule) in self.rules.iter_mut().enumerate() {
            if rule.live
                && let Some((time, detail)) = rule.check.confirm(t, inclusive, &cx)
            {
                rule.live = false;
                offer(&mut self.first, i, &rule.name, time, detail);
            }
        }
        self.settled = true;
    }

    fn finish(mut self, outcome: RunOutcome) -> CheckOutcome {
        if !self.settled {
            match self.seen_at {
                Some(seen) => self.settle(seen, true),
                // The last state holds until the horizon.
                None => self.settle(outcome.end, false),
            }
        }
        let violation = self.first.map(|(_, v)| v);
        let until = violation.as_ref().map(|v| v.time);
        CheckOutcome {
            faults: self
                .faults
                .map(|log| log.finish(outcome.end, until))
                .unwrap_or_default(),
            violation,
            events: outcome.events,
            trace_hash: outcome.trace_hash,
        }
    }
}

/// Keeps the earlier of the violation held and a new one (the earlier
/// rule at equal times).
fn offer(
    first: &mut Option<(usize, Violation)>,
    rule: usize,
    name: &str,
    time: SimTime,
    detail: String,
) {
    let better = match first {
        None => true,
        Some((r, v)) => (time, rule) < (v.time, *r),
    };
    if better {
        *first = Some((
            rule,
            Violation {
                invariant: name.to_string(),
                time,
                detail,
            },
        ));
    }
}

/// Whether a breach due at `c` has happened by `t`: the state held past
/// `c` if `c < t`, or if `c == t` when the state is known to hold past `t`
/// (`inclusive`).
#[inline]
fn due(c: SimTime, t: SimTime, inclusive: bool) -> bool {
    c < t || (inclusive && c == t)
}

// ------------------------------------------------------------------ rules

/// The state of one invariant's check.
#[derive(Debug)]
enum Check {
    /// Does not apply to the model: never fires.
    Inapplicable,
    /// A split brain at its start (`max: None`), or one lasting longer
    /// than `max`.
    Split(Splits),
    /// A loss of writes beyond what the service's replication promises.
    Losses,
    /// More lost writes than this, after the warm-up.
    LostWritesMax(u64),
    /// More failovers than this, after the warm-up.
    FailoversMax(u64),
    /// An entry outage longer than `max`.
    Outage {
        max: SimDuration,
        /// When the current outage began.
        since: Option<SimTime>,
    },
    /// Too much entry downtime within a sliding window.
    Downtime(Window),
    /// A dead instance in rotation past its health checks' bound.
    Rotation(Rotation),
}

impl Check {
    fn new(inv: &InvariantSpec, cx: &Context<'_>) -> Check {
        let system = cx.system();
        match inv {
            InvariantSpec::NoSplitBrain => Splits::check(system, None),
            InvariantSpec::NoLostWritesBeyondGuarantee => match system {
                Some(s) if s.services.iter().any(|x| x.data.is_some()) => Check::Losses,
                _ => Check::Inapplicable,
            },
            InvariantSpec::Slo { target, window } => {
                let share = (1.0 - target).clamp(0.0, 1.0);
                let budget = (share * window.as_micros() as f64).round() as u64;
                Check::Downtime(Window::new(
                    SimDuration::from_micros(budget),
                    *window,
                    Some(*target),
                ))
            }
            InvariantSpec::HealthCheckBound => Rotation::check(system),
            InvariantSpec::Threshold { limit, .. } => match *limit {
                Limit::OutageMax(max) => Check::Outage { max, since: None },
                Limit::DowntimeMax { max, window } => {
                    Check::Downtime(Window::new(max, window, None))
                }
                Limit::LostWritesMax(n) => match system {
                    Some(s) if s.services.iter().any(|x| x.data.is_some()) => {
                        Check::LostWritesMax(n)
                    }
                    _ => Check::Inapplicable,
                },
                Limit::SplitBrainMax(max) => Splits::check(system, Some(max)),
                Limit::FailoversMax(n) => match system {
                    Some(s) if s.services.iter().any(|x| x.failover.is_some()) => {
                        Check::FailoversMax(n)
                    }
                    _ => Check::Inapplicable,
                },
            },
        }
    }

    fn reads_entry(&self) -> bool {
        matches!(self, Check::Outage { .. } | Check::Downtime(_))
    }

    /// The earliest breach due by `t` (see [`due`]) of a state that began
    /// before the event just handled, as `(time, detail)`.
    #[inline]
    fn confirm(&self, t: SimTime, inclusive: bool, cx: &Context<'_>) -> Option<(SimTime, String)> {
        match self {
            Check::Split(s) => s.confirm(t, inclusive, cx),
            Check::Outage { max, since } => {
                let s = (*since)?;
                let c = s.max(cx.warmup).saturating_add(*max);
                due(c, t, inclusive).then(|| {
                    (
                        c,
                        format!(
                            "{} has been down for longer than {max} (down since {s})",
                            cx.entry()
                        ),
                    )
                })
            }
            Check::Downtime(w) => w.confirm(t, inclusive, cx),
            Check::Rotation(r) => r.confirm(t, inclusive, cx),
            Check::Inapplicable
            | Check::Losses
            | Check::LostWritesMax(_)
            | Check::FailoversMax(_) => None,
        }
    }

    /// Takes the state after the event at `now`; returns a breach at
    /// `now` itself, if any.
    #[inline]
    fn update(
        &mut self,
        view: View<'_>,
        entry_down: bool,
        now: SimTime,
        cx: &Context<'_>,
    ) -> Option<(SimTime, String)> {
        match self {
            Check::Inapplicable => None,
            Check::Split(s) => s.update(view.system()?, now, cx),
            Check::Losses => {
                let (m, spec) = (view.system()?, cx.system()?);
                m.recent_losses()
                    .iter()
                    .find_map(|loss| beyond_guarantee(spec, loss))
                    .map(|detail| (now, detail))
            }
            Check::LostWritesMax(n) => {
                let lost = view.system()?.lost_writes();
                (lost > *n).then(|| {
                    (
                        now,
                        format!("{lost} acknowledged writes lost, more than the limit of {n}"),
                    )
                })
            }
            Check::FailoversMax(n) => {
                let failovers = view.system()?.failovers();
                (failovers > *n).then(|| {
                    (
                        now,
                        format!("{failovers} failovers, more than the limit of {n}"),
                    )
                })
            }
            Check::Outage { since, .. } => {
                match (entry_down, *since) {
                    (true, None) => *since = Some(now),
                    (false, Some(_)) => *since = None,
                    _ => {}
                }
                None
            }
            Check::Downtime(w) => {
                w.update(entry_down, now, cx.warmup);
                None
            }
            Check::Rotation(r) => {
                r.update(view.system()?, now, cx.warmup);
                None
            }
        }
    }
}

/// Split brains of the active-passive services.
#[derive(Debug)]
struct Splits {
    /// `None`: any split brain after the warm-up; else one lasting longer.
    max: Option<SimDuration>,
    /// The services that fail over.
    services: Vec<usize>,
    /// Per service listed: the current split brain, as (since, the old
    /// primary still serving, the new one).
    open: Vec<Option<(SimTime, usize, Option<usize>)>>,
}

impl Splits {
    /// The check of the split brains of `system`'s active-passive
    /// services (inapplicable without any).
    fn check(system: Option<&SystemSpec>, max: Option<SimDuration>) -> Check {
        let services: Vec<usize> = system
            .map(|s| {
                (0..s.services.len())
                    .filter(|&i| s.services[i].failover.is_some())
                    .collect()
            })
            .unwrap_or_default();
        if services.is_empty() {
            return Check::Inapplicable;
        }
        Check::Split(Splits {
            max,
            open: vec![None; services.len()],
            services,
        })
    }

    /// When a split brain that began at `since` breaks the invariant.
    fn due_at(&self, since: SimTime, warmup: SimTime) -> SimTime {
        since
            .max(warmup)
            .saturating_add(self.max.unwrap_or(SimDuration::ZERO))
    }

    fn detail(&self, k: usize, cx: &Context<'_>) -> String {
        let Some(spec) = cx.system() else {
            return String::new();
        };
        let Some((since, old, new)) = self.open[k] else {
            return String::new();
        };
        let svc = &spec.services[self.services[k]];
        let pair = match new {
            Some(n) => format!(
                ": {} and {}",
                svc.instances[old].name, svc.instances[n].name
            ),
            None => String::new(),
        };
        match self.max {
            None => format!(
                "{} has two writable primaries (split brain){pair}",
                svc.name
            ),
            Some(max) => format!(
                "{} has had two writable primaries (split brain){pair} for longer than {max}, since {since}",
                svc.name
            ),
        }
    }

    fn confirm(&self, t: SimTime, inclusive: bool, cx: &Context<'_>) -> Option<(SimTime, String)> {
        let (k, c) = self
            .open
            .iter()
            .enumerate()
            .filter_map(|(k, o)| o.map(|(since, ..)| (k, self.due_at(since, cx.warmup))))
            .filter(|&(_, c)| due(c, t, inclusive))
            .min_by_key(|&(k, c)| (c, k))?;
        Some((c, self.detail(k, cx)))
    }

    fn update(
        &mut self,
        m: &SystemModel<'_>,
        now: SimTime,
        cx: &Context<'_>,
    ) -> Option<(SimTime, String)> {
        let counters = m.counters();
        let mut found: Option<(SimTime, usize)> = None;
        for k in 0..self.services.len() {
            let svc = self.services[k];
            match (counters.split(svc), self.open[k]) {
                (Some(old), None) => self.open[k] = Some((now, old, counters.active(svc))),
                (None, Some(_)) => self.open[k] = None,
                _ => {}
            }
            // A split brain breaks "none at all" at the instant it holds
            // after the warm-up.
            if self.max.is_none()
                && let Some((since, ..)) = self.open[k]
            {
                let c = self.due_at(since, cx.warmup);
                if c <= now && found.is_none_or(|(f, _)| c < f) {
                    found = Some((c, k));
                }
            }
        }
        found.map(|(c, k)| (c, self.detail(k, cx)))
    }
}

/// Whether a loss of writes breaks what the service's replication (or
/// backups) promise; the violation's detail if it does.
///
/// * a failover: synchronous replication loses nothing; asynchronous
///   replication may lose the writes in flight; batch shipping at most one
///   interval's writes.
/// * a split brain healing: the losing side's writes are beyond every
///   guarantee, except batch shipping's if the split lasted at most one
///   interval.
/// * deleted data: at most one backup interval's writes; without backups,
///   any loss is beyond.
fn beyond_guarantee(spec: &SystemSpec, loss: &WriteLoss) -> Option<String> {
    let svc = &spec.services[loss.service];
    let data = svc.data.as_ref()?;
    let w = loss.window;
    let what = format!(
        "{} lost {} acknowledged write{}",
        svc.name,
        loss.writes,
        if loss.writes == 1 { "" } else { "s" }
    );
    let at = match loss.cause {
        LossCause::Failover => "at a failover".to_string(),
        LossCause::SplitBrain => {
            format!("when a split brain of {w} healed (the old primary's side)")
        }
        LossCause::Deletion => {
            return match data.backup_interval {
                Some(interval) if w <= interval => None,
                Some(interval) => Some(format!(
                    "{what} when its data was deleted: the {w} since the last backup, \
                     longer than the backup interval of {interval}"
                )),
                None => Some(format!(
                    "{what} when its data was deleted, with no backup to restore"
                )),
            };
        }
    };
    match &data.replication {
        Some(Replication::Batch { interval }) if w <= *interval => None,
        Some(Replication::Batch { interval }) => Some(format!(
            "{what} {at}: {w} of writes, more than one batch interval ({interval})"
        )),
        Some(Replication::Async { .. }) if loss.cause == LossCause::Failover => None,
        Some(Replication::Async { .. }) => Some(format!(
            "{what} {at}; asynchronous replication may only lose the writes in flight at a failover"
        )),
        Some(Replication::Sync) => Some(format!(
            "{what} {at}; synchronous replication may lose none"
        )),
        Some(Replication::SemiSync { .. }) if loss.cause == LossCause::Failover => None,
        Some(Replication::SemiSync { .. }) => Some(format!(
            "{what} {at}; semi-synchronous replication may only lose the writes acknowledged \
             alone, at a failover"
        )),
        None => Some(format!("{what} {at}; nothing allows losing them")),
    }
}
