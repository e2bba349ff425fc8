//! When a fault happens: at random (`every`), on a schedule (`at`, with
//! `repeat` and `stagger`), or after uptime (`after_uptime`, maintenance).

use models::system::spec::Occurrence;
use serde_spanned::Spanned;
use sim_core::time::{SimDuration, SimTime};

use super::Builder;
use crate::system_file::FaultFile;

impl Builder<'_> {
    /// `every`, or `at` with `repeat` and `stagger`, or `after_uptime`.
    pub(super) fn occurrence(&mut self, f: &FaultFile) -> Option<Occurrence> {
        if let Some(uptime) = &f.after_uptime {
            return self.after_uptime(f, uptime);
        }
        match (&f.every, &f.at) {
            (Some(every), None) => {
                let mut ok = true;
                for (v, key) in [(&f.repeat, "repeat"), (&f.stagger, "stagger")] {
                    if let Some(v) = v {
                        self.c.error(
                            v.span(),
                            &format!("fault.{key}"),
                            format!("`{key}` applies to scheduled faults; expected `at` (the first time) with it, instead of `every`"),
                        );
                        ok = false;
                    }
                }
                let every = self.c.dist(every, "fault.every")?;
                ok.then_some(Occurrence::Random { every })
            }
            (None, Some(at)) => {
                let first = self.c.duration(at, "fault.at");
                let period = match &f.repeat {
                    Some(r) => match self.c.duration(r, "fault.repeat") {
                        Some(d) if d.is_zero() => {
                            self.c.error(
                                r.span(),
                                "fault.repeat",
                                "the period is zero; expected a positive duration such as \"30d\""
                                    .into(),
                            );
                            return None;
                        }
                        Some(d) => Some(Some(d)),
                        None => None,
                    },
                    None => Some(None),
                };
                let stagger = match &f.stagger {
                    Some(s) => self.c.duration(s, "fault.stagger"),
                    None => Some(SimDuration::ZERO),
                };
                Some(Occurrence::Scheduled {
                    first: SimTime::from_duration(first?),
                    period: period?,
                    stagger: stagger?,
                })
            }
            (Some(_), Some(at)) => {
                self.c.error(
                    at.span(),
                    "fault.at",
                    "both `every` and `at` are given; expected one: `every` for random occurrences or `at` for scheduled ones".into(),
                );
                None
            }
            (None, None) => {
                for (v, key) in [(&f.repeat, "repeat"), (&f.stagger, "stagger")] {
                    if let Some(v) = v {
                        self.c.error(
                            v.span(),
                            &format!("fault.{key}"),
                            format!("`{key}` without `at`; expected at = \"30d\" (the first time) with it"),
                        );
                    }
                }
                self.c.error(
                    f.kind.span(),
                    "fault.every",
                    "the fault never happens; expected every = \"exponential(mean = 2y)\" (random, the time between occurrences) or at = \"30d\" (scheduled)".into(),
                );
                None
            }
        }
    }

    /// `after_uptime`: a positive duration, with neither `every` nor `at`
    /// (nor `repeat` or `stagger`, which need `at`).
    fn after_uptime(&mut self, f: &FaultFile, uptime: &Spanned<String>) -> Option<Occurrence> {
        let mut ok = true;
        for (v, key) in [(&f.every, "every"), (&f.at, "at")] {
            if let Some(v) = v {
                self.c.error(
                    v.span(),
                    &format!("fault.{key}"),
                    format!("both `{key}` and `after_uptime` are given; expected one: `after_uptime` restarts each host after that much uptime, `every` at random, `at` on a schedule"),
                );
                ok = false;
            }
        }
        for (v, key) in [(&f.repeat, "repeat"), (&f.stagger, "stagger")] {
            if let Some(v) = v {
                self.c.error(
                    v.span(),
                    &format!("fault.{key}"),
                    format!("`{key}` applies to scheduled faults; expected `at` (the first time) with it, instead of `after_uptime`"),
                );
                ok = false;
            }
        }
        let d = self.c.duration(uptime, "fault.after_uptime")?;
        if d.is_zero() {
            self.c.error(
                uptime.span(),
                "fault.after_uptime",
                "the uptime is zero; expected a positive duration such as \"7d\", the uptime after which each host is restarted".into(),
            );
            return None;
        }
        ok.then_some(Occurrence::AfterUptime { uptime: d })
    }
}
