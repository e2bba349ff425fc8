//! `nines replay`: one replication re-run alone, bit for bit, optionally
//! with its event trace (each event with the state changes it caused), its
//! timeline drawn, and what happened told in order (`--explain`). Its trace
//! hash equals the one `nines run --json` lists for that replication under
//! the same seed and horizon.

use std::io::{BufWriter, Write};

use models::invariant::{builtins, check};
use models::replicate::{Horizon, ReplicationResult, simulate};
use models::timeline::{Recording, RowState, record};
use reports::ReplayReport;
use reports::results::Timeline;
use scenarios::Scenario;
use sim_core::engine::{TraceRecord, TraceSink};
use sim_core::hash::hex;
use sim_core::time::{SimDuration, SimTime};
use sim_core::trace::JsonLinesTrace;

use crate::cli::{ReplayArgs, SimOptions};
use crate::fail::Failure;
use crate::run::{apply_overrides, replication_availability};

/// `nines replay`.
pub(crate) fn replay(args: ReplayArgs) -> Result<(), Failure> {
    let mut scenario = crate::load::load(&args.scenario)?;
    apply_overrides(
        &mut scenario,
        &SimOptions::seed_and_horizon(args.seed, args.horizon.as_deref(), 1),
    )?;
    if let Some(factor) = args.amplify {
        crate::hunt::amplify(&mut scenario, factor)?;
    }
    let sim = scenario.simulation;
    let horizon = Horizon::new(sim.horizon, sim.warmup);
    let end = SimTime::from_duration(sim.horizon);
    let from = instant(args.from.as_deref(), "--from", end)?.unwrap_or(SimTime::ZERO);
    let to = instant(args.to.as_deref(), "--to", end)?.unwrap_or(end);
    if from >= to {
        return Err(Failure::input(format!(
            "--from {} and --to {}: expected --from before --to",
            from.since_start(),
            to.since_start()
        )));
    }
    // The state changes, when anything asks for them.
    let recording = (args.trace.is_some() || args.timeline.is_some() || args.explain)
        .then(|| record(&scenario.model, sim.seed, args.replication, horizon, 0));
    let result = match &args.trace {
        None => simulate(&scenario.model, sim.seed, args.replication, horizon, None),
        Some(path) => {
            crate::output::check_trace_horizon(sim.horizon)?;
            let file = crate::output::OutputFile::create(path)?;
            let changes = recording.as_ref().map(transitions).unwrap_or_default();
            let mut sink = ChangeTrace::new(BufWriter::new(file), changes, from, to);
            let result = simulate(
                &scenario.model,
                sim.seed,
                args.replication,
                horizon,
                Some(&mut sink),
            );
            sink.finish()
                .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
                .map_err(|e| {
                    Failure::environment(format!("{}: cannot write the trace: {e}", path.display()))
                })?
                .commit()?;
            result
        }
    };
    if let Some(rec) = &recording
        && rec.trace_hash != result.trace_hash
    {
        return Err(Failure::internal(format!(
            "determinism violated: replication {} recorded to digest {:016x}, but ran as {:016x}",
            args.replication, rec.trace_hash, result.trace_hash
        )));
    }
    if let (Some(path), Some(rec)) = (&args.timeline, &recording) {
        let end_h = sim.horizon.as_hours_f64();
        let (start_h, end_h) = if args.from.is_some() || args.to.is_some() {
            (crate::report::hours(from), crate::report::hours(to))
        } else {
            crate::report::window(rec, end_h)
        };
        let timeline = Timeline {
            start_hours: start_h,
            end_hours: end_h,
            rows: crate::report::rows_in(rec, start_h, end_h),
        };
        let svg = reports::report::timeline_svg(
            &format!("{}: replication {}", scenario.name, args.replication),
            &timeline,
        );
        crate::output::write_file(path, svg.as_bytes())?;
    }
    let explain = match (&recording, args.explain) {
        (Some(rec), true) => narrative(&scenario, rec, args.replication, horizon, from, to),
        _ => Vec::new(),
    };
    let report = ReplayReport {
        scenario: scenario.name.clone(),
        origin: scenario.origin.clone(),
        seed: sim.seed,
        replication: args.replication,
        horizon_hours: sim.horizon.as_hours_f64(),
        warmup_hours: sim.warmup.as_hours_f64(),
        events: result.events,
        trace_hash: hex(result.trace_hash),
        availability: replication_availability(&result),
        downtime_minutes: downtime_minutes(&result),
        incidents: result.measures.incidents(),
        trace: args.trace.as_ref().map(|p| p.display().to_string()),
        timeline: args.timeline.as_ref().map(|p| p.display().to_string()),
        explain,
    };

    crate::output::emit(&args.output, &report, || {
        let mut text = report.to_text();
        text.push_str(&format!(
            "reproduce     nines replay {} --seed {} --replication {} --horizon {}\n",
            crate::load::command_line(&args.scenario),
            sim.seed,
            args.replication,
            sim.horizon
        ));
        text
    })?;
    Ok(())
}

/// A time given on the command line, within the horizon.
fn instant(text: Option<&str>, flag: &str, end: SimTime) -> Result<Option<SimTime>, Failure> {
    let Some(t) = text else {
        return Ok(None);
    };
    let d: SimDuration = t
        .parse()
        .map_err(|e| Failure::input(format!("{flag} {t}: {e}")))?;
    let at = SimTime::from_duration(d);
    if at > end {
        return Err(Failure::input(format!(
            "{flag} {t}: after the end of the replication (t+{})",
            end.since_start()
        )));
    }
    Ok(Some(at))
}

/// One state change: when, and what it says.
#[derive(Clone, Debug, PartialEq)]
struct Change {
    at: SimTime,
    text: String,
}

/// Every state change of a recording, in time order (ties: the order of
/// the rows, the service as users see it first).
fn transitions(rec: &Recording) -> Vec<Change> {
    let mut out: Vec<(SimTime, bool, u8, usize, String)> = Vec::new();
    for (r, row) in rec.rows.iter().enumerate() {
        // Faults are causes: at one instant they come before what they do.
        let effect = row.kind != models::timeline::RowKind::Fault;
        for span in &row.spans {
            let (begin, end) = match span.state {
                RowState::Down => ("down", "back up"),
                RowState::Degraded => ("degraded", "no longer degraded"),
                RowState::FailingOver => ("failing over", "failover done"),
                RowState::Active => ("begins", "ends"),
            };
            out.push((span.start, effect, 1, r, format!("{}: {begin}", row.name)));
            out.push((span.end, effect, 0, r, format!("{}: {end}", row.name)));
        }
    }
    // At one instant: faults first, then what they did; ends before
    // beginnings; then by row.
    out.sort_by_key(|a| (a.0, a.1, a.2, a.3));
    out.into_iter()
        .map(|(at, _, _, _, text)| Change { at, text })
        .collect()
}

/// `day 120 11:19:44.018`: the day of the replication (from 0) and the
/// time of day, to the millisecond.
pub(crate) fn when(t: SimTime) -> String {
    let ms = t.as_micros() / 1000;
    let (day, rest) = (ms / 86_400_000, ms % 86_400_000);
    format!(
        "day {day} {:02}:{:02}:{:02}.{:03}",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

/// What happened between `from` and `to`, one line per change, with the
/// invariants that broke.
fn narrative(
    scenario: &Scenario,
    rec: &Recording,
    replication: u64,
    horizon: Horizon,
    from: SimTime,
    to: SimTime,
) -> Vec<String> {
    let mut lines: Vec<(SimTime, String)> = transitions(rec)
        .into_iter()
        .filter(|c| c.at >= from && c.at <= to && c.at < SimTime::from_duration(horizon.length))
        .map(|c| (c.at, c.text))
        .collect();
    // The machinery's own steps, which change no row.
    let mut steps = Steps {
        from,
        to,
        lines: Vec::new(),
    };
    simulate(
        &scenario.model,
        scenario.simulation.seed,
        replication,
        horizon,
        Some(&mut steps),
    );
    // A step a row already tells (a failover done is also the end of the
    // service's failing-over span) is told once.
    let told: std::collections::BTreeSet<(SimTime, String)> = lines.iter().cloned().collect();
    lines.extend(steps.lines.into_iter().filter(|step| !told.contains(step)));
    lines.sort_by_key(|(t, _)| *t);
    let slo = scenario.slo.map(|s| (s, scenario.slo_window));
    let mut invariants = builtins(&scenario.model, slo);
    invariants.extend(scenario.invariants.iter().cloned());
    if !invariants.is_empty() {
        let outcome = check(
            &scenario.model,
            &invariants,
            scenario.simulation.seed,
            replication,
            horizon,
            true,
        );
        if let Some(v) = outcome.violation
            && v.time >= from
            && v.time <= to
        {
            let at = lines.partition_point(|(t, _)| *t <= v.time);
            lines.insert(
                at,
                (
                    v.time,
                    format!("INVARIANT BROKEN {}: {}", v.invariant, v.detail),
                ),
            );
        }
    }
    if lines.is_empty() {
        return vec![format!(
            "nothing changed between t+{} and t+{}",
            from.since_start(),
            to.since_start()
        )];
    }
    let width = lines.iter().map(|(t, _)| when(*t).len()).max().unwrap_or(0);
    lines
        .into_iter()
        .map(|(t, text)| format!("{:<width$}  {text}", when(t)))
        .collect()
}

/// Collects the events of the failover, health-check and rollout
/// machinery between two times, told in words.
struct Steps {
    from: SimTime,
    to: SimTime,
    lines: Vec<(SimTime, String)>,
}

impl TraceSink for Steps {
    fn record(&mut self, record: TraceRecord, entity_name: &str) {
        if record.time < self.from || record.time > self.to {
            return;
        }
        let what = match record.kind {
            "detected" => "noticed; the repair can start",
            "batch" => "the bad release reaches another batch",
            "failover_done" => "failover done",
            "rotation_out" => "an instance taken out of rotation by the health checks",
            "rotation_in" => "an instance put back in rotation",
            "suspect_done" => "a standby that lost sight of the primary promotes itself",
            "heartbeat_miss" => "heartbeats missed in a row: a standby suspects the primary",
            "heartbeat_back" => "heartbeats get through again",
            "false_removal" => "health checks failed a healthy instance: out of rotation",
            _ => return,
        };
        let who = entity_name.strip_prefix("failover/").unwrap_or(entity_name);
        self.lines.push((record.time, format!("{who}: {what}")));
    }
}

/// A JSON Lines trace whose lines carry the state changes each event
/// caused (the changes at an instant go with the last event at it), kept
/// to the events between `from` and `to`.
struct ChangeTrace<W: Write> {
    out: JsonLinesTrace<W>,
    changes: Vec<Change>,
    next_change: usize,
    from: SimTime,
    to: SimTime,
    held: Option<(TraceRecord, String)>,
}

impl<W: Write> ChangeTrace<W> {
    fn new(out: W, changes: Vec<Change>, from: SimTime, to: SimTime) -> Self {
        ChangeTrace {
            out: JsonLinesTrace::new(out),
            changes,
            next_change: 0,
            from,
            to,
            held: None,
        }
    }

    /// Writes the held event, with the changes at its instant when
    /// `with_changes` (the last event at an instant carries them).
    fn write_held(&mut self, with_changes: bool) {
        let Some((record, name)) = self.held.take() else {
            return;
        };
        let start = self.next_change;
        if with_changes {
            while self
                .changes
                .get(self.next_change)
                .is_some_and(|c| c.at <= record.time)
            {
                self.next_change += 1;
            }
        }
        if record.time < self.from || record.time > self.to {
            return;
        }
        let changes: Vec<&str> = self.changes[start..self.next_change]
            .iter()
            .filter(|c| c.at == record.time)
            .map(|c| c.text.as_str())
            .collect();
        self.out.record_with_changes(record, &name, &changes);
    }

    /// Writes what is held, flushes, and hands the writer back.
    fn finish(mut self) -> std::io::Result<W> {
        self.write_held(true);
        self.out.finish()
    }
}

impl<W: Write> TraceSink for ChangeTrace<W> {
    fn record(&mut self, record: TraceRecord, entity_name: &str) {
        let same_instant = self
            .held
            .as_ref()
            .is_some_and(|(held, _)| held.time == record.time);
        self.write_held(!same_instant);
        self.held = Some((record, entity_name.to_string()));
    }
}

/// Downtime over the measured span, minutes: time down, or for a
/// request-level run the unserved share of that span.
fn downtime_minutes(result: &ReplicationResult) -> f64 {
    match &result.requests {
        Some(q) => (1.0 - q.availability()) * result.measures.observed_hours() * 60.0,
        None => result.measures.downtime_hours() * 60.0,
    }
}
