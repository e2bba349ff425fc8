//! `[[invariant]]` tables, thresholds a scenario sets on every run (which
//! `nines hunt` checks after every event), and `scenario.slo_window`, the
//! window the `slo` invariant is checked over.

use std::collections::BTreeSet;
use std::ops::Range;

use models::invariant::{InvariantSpec, Limit};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;
use sim_core::time::SimDuration;

use crate::check::Checker;
use crate::file::ScenarioMeta;
use crate::schema::Duration;

/// The names of the built-in invariants, which a scenario's own may not
/// take.
pub(crate) const BUILTIN_NAMES: [&str; 4] = [
    "no-split-brain",
    "no-lost-writes",
    "slo",
    "health-check-bound",
];

/// The window `slo` is checked over when `slo_window` is not given.
pub(crate) const DEFAULT_SLO_WINDOW: SimDuration = SimDuration::from_hours(30 * 24);

/// The limit keys, in the order of the file type.
const LIMITS: &str =
    "outage_max, downtime_max (with window), lost_writes_max, split_brain_max or failovers_max";

/// `[[invariant]]`: a threshold that no run may cross. Give `name` and
/// exactly one limit.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Invariant")]
pub(crate) struct InvariantFile {
    /// The invariant's name, unique among invariants, as `nines hunt
    /// --invariant` takes it and reports give it; not a built-in name
    /// (no-split-brain, no-lost-writes, slo, health-check-bound).
    #[schemars(with = "Option<String>", required)]
    pub(crate) name: Option<Spanned<String>>,
    /// Limit: no single outage of the entry longer than this.
    #[schemars(with = "Option<Duration>")]
    pub(crate) outage_max: Option<Spanned<String>>,
    /// Limit, with `window`: no more downtime of the entry than this
    /// within any sliding window of that length.
    #[schemars(with = "Option<Duration>")]
    pub(crate) downtime_max: Option<Spanned<String>>,
    /// With `downtime_max` only: the sliding window's length, longer than
    /// `downtime_max`.
    #[schemars(with = "Option<Duration>")]
    pub(crate) window: Option<Spanned<String>>,
    /// Limit, infrastructure systems only: no more acknowledged writes
    /// lost in a replication than this, 0 or more.
    #[schemars(with = "Option<u64>", range(min = 0))]
    pub(crate) lost_writes_max: Option<Spanned<i64>>,
    /// Limit, infrastructure systems only: no split brain (two writable
    /// primaries) longer than this.
    #[schemars(with = "Option<Duration>")]
    pub(crate) split_brain_max: Option<Spanned<String>>,
    /// Limit, infrastructure systems only: no more failovers in a
    /// replication than this, 0 or more.
    #[schemars(with = "Option<u64>", range(min = 0))]
    pub(crate) failovers_max: Option<Spanned<i64>>,
}

/// Which of the three formats the invariants are read for: the limits on
/// writes, split brains and failovers apply to systems only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// `[[component]]` and `[service]`.
    KofN,
    /// `[[region]]`, `[[zone]]`, `[[service]]`, ...
    System,
    /// `[traffic]` and `[pool]`.
    Requests,
}

impl Format {
    /// The format, as a phrase for messages.
    fn phrase(self) -> &'static str {
        match self {
            Format::KofN => "a k-of-n scenario",
            Format::System => "an infrastructure system",
            Format::Requests => "a request-level scenario",
        }
    }
}

impl Checker<'_> {
    /// `scenario.slo_window`: a positive duration, only with `slo`;
    /// default 30 days.
    pub(crate) fn slo_window(&mut self, meta: &ScenarioMeta) -> SimDuration {
        let Some(w) = &meta.slo_window else {
            return DEFAULT_SLO_WINDOW;
        };
        if meta.slo.is_none() {
            self.error(
                w.span(),
                "scenario.slo_window",
                "`slo_window` is the window the availability target is checked over, and there is no target; expected `slo` too, such as slo = \"99.9%\", or no slo_window".into(),
            );
        }
        match self.duration(w, "scenario.slo_window") {
            Some(d) if d.is_zero() => {
                self.error(
                    w.span(),
                    "scenario.slo_window",
                    "the window is zero; expected a positive duration such as \"30d\"".into(),
                );
                DEFAULT_SLO_WINDOW
            }
            Some(d) => d,
            None => DEFAULT_SLO_WINDOW,
        }
    }

    /// The `[[invariant]]` tables, in file order; every problem is left as
    /// a diagnostic (and the invariant left out).
    pub(crate) fn invariants(
        &mut self,
        tables: &[Spanned<InvariantFile>],
        format: Format,
    ) -> Vec<InvariantSpec> {
        let mut names: BTreeSet<String> = BTreeSet::new();
        let mut out = Vec::new();
        for (i, table) in tables.iter().enumerate() {
            let name = self.invariant_name(table, i, &mut names);
            let limit = self.limit(table, i, format);
            if let (Some(name), Some(limit)) = (name, limit) {
                out.push(InvariantSpec::Threshold { name, limit });
            }
        }
        out
    }

    /// An invariant's name: given, not empty, unique, not a built-in's.
    fn invariant_name(
        &mut self,
        table: &Spanned<InvariantFile>,
        i: usize,
        seen: &mut BTreeSet<String>,
    ) -> Option<String> {
        let key = format!("invariant[{i}].name");
        let Some(n) = &table.get_ref().name else {
            self.error(
                table.span(),
                &key,
                "the invariant has no `name`; expected one, such as name = \"short-outages\", to run and report it by".into(),
            );
            return None;
        };
        let name = n.get_ref().trim().to_string();
        if name.is_empty() {
            self.error(
                n.span(),
                &key,
                "the name is empty; expected a short name such as \"short-outages\"".into(),
            );
            return None;
        }
        if BUILTIN_NAMES.contains(&name.as_str()) {
            self.error(
                n.span(),
                &key,
                format!(
                    "`{name}` is the name of a built-in invariant; expected another name (the built-ins are {})",
                    BUILTIN_NAMES.join(", ")
                ),
            );
            return None;
        }
        if !seen.insert(name.clone()) {
            self.error(
                n.span(),
                &key,
                format!("two invariants are named `{name}`; expected unique names"),
            );
            return None;
        }
        Some(name)
    }

    /// An invariant's one limit.
    fn limit(&mut self, table: &Spanned<InvariantFile>, i: usize, format: Format) -> Option<Limit> {
        let f = table.get_ref();
        let key = |k: &str| format!("invariant[{i}].{k}");
        if let (Some(w), None) = (&f.window, &f.downtime_max) {
            self.error(
                w.span(),
                &key("window"),
                "`window` belongs with `downtime_max`, the most downtime allowed within it; expected downtime_max too, or no window".into(),
            );
        }
        let given: Vec<(&str, Range<usize>)> = [
            ("outage_max", f.outage_max.as_ref().map(Spanned::span)),
            ("downtime_max", f.downtime_max.as_ref().map(Spanned::span)),
            (
                "lost_writes_max",
                f.lost_writes_max.as_ref().map(Spanned::span),
            ),
            (
                "split_brain_max",
                f.split_brain_max.as_ref().map(Spanned::span),
            ),
            ("failovers_max", f.failovers_max.as_ref().map(Spanned::span)),
        ]
        .into_iter()
        .filter_map(|(k, span)| Some((k, span?)))
        .collect();
        let mut ok = true;
        for (k, span) in &given {
            if format != Format::System
                && matches!(*k, "lost_writes_max" | "split_brain_max" | "failovers_max")
            {
                self.error(
                    span.clone(),
                    &key(k),
                    format!(
                        "`{k}` applies to infrastructure systems (services that fail over and store writes), and this is {}; expected outage_max or downtime_max",
                        format.phrase()
                    ),
                );
                ok = false;
            }
        }
        match given.as_slice() {
            [] => {
                self.error(
                    table.span(),
                    &format!("invariant[{i}]"),
                    format!("the invariant sets no limit; expected one of {LIMITS}"),
                );
                return None;
            }
            [_] => {}
            [(first, _), rest @ ..] => {
                for (k, span) in rest {
                    self.error(
                        span.clone(),
                        &key(k),
                        format!(
                            "both `{first}` and `{k}` are given; expected exactly one limit per invariant (write another [[invariant]] for the other)"
                        ),
                    );
                }
                return None;
            }
        }
        let limit = if let Some(v) = &f.outage_max {
            Limit::OutageMax(self.duration(v, &key("outage_max"))?)
        } else if let Some(v) = &f.downtime_max {
            let max = self.duration(v, &key("downtime_max"));
            let Some(w) = &f.window else {
                self.error(
                    v.span(),
                    &key("downtime_max"),
                    "`downtime_max` needs `window`, the length of the sliding window it is counted over; expected window = \"30d\" too".into(),
                );
                return None;
            };
            let window = self.duration(w, &key("window"));
            let (max, window) = (max?, window?);
            if window.is_zero() {
                self.error(
                    w.span(),
                    &key("window"),
                    "the window is zero; expected a positive duration such as \"30d\"".into(),
                );
                return None;
            }
            if max >= window {
                self.error(
                    v.span(),
                    &key("downtime_max"),
                    format!("downtime_max ({max}) is not shorter than the window ({window}), so it could never be exceeded; expected less downtime than the window's length"),
                );
                return None;
            }
            Limit::DowntimeMax { max, window }
        } else if let Some(v) = &f.lost_writes_max {
            let n = self.int_in(v, &key("lost_writes_max"), 0, i64::MAX)?;
            Limit::LostWritesMax(n as u64)
        } else if let Some(v) = &f.split_brain_max {
            Limit::SplitBrainMax(self.duration(v, &key("split_brain_max"))?)
        } else if let Some(v) = &f.failovers_max {
            let n = self.int_in(v, &key("failovers_max"), 0, i64::MAX)?;
            Limit::FailoversMax(n as u64)
        } else {
            // One limit is given: not reached.
            return None;
        };
        ok.then_some(limit)
    }
}

#[cfg(test)]
mod tests;
