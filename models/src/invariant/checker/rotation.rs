//! The health-check rule: no instance stays in rotation while it is down
//! beyond the checks' own lag.

use super::*;

/// Instances behind health checks that cannot serve but are still in
/// rotation.
///
/// The model takes an instance out of rotation after a lag of a random
/// phase in `[0, interval)` plus `unhealthy_threshold - 1` intervals from
/// the instant it stops being effective, so the time in rotation while
/// dead is always below `interval * unhealthy_threshold` (at least one
/// check); the bound checked is that plus one microsecond for the phase's
/// rounding.
#[derive(Debug)]
pub(super) struct Rotation {
    /// (service, instance, time allowed in rotation while dead), by
    /// service then instance.
    pub(super) watched: Vec<(usize, usize, SimDuration)>,
    /// Per watched instance: since when it is dead and in rotation.
    pub(super) since: Vec<Option<SimTime>>,
    /// Per service watched: (service, its first index in `watched`, its
    /// instances).
    pub(super) services: Vec<(usize, usize, usize)>,
    /// The earliest breach due if nothing changes: (instant, index in
    /// `watched`).
    pub(super) next: Option<(SimTime, usize)>,
}

/// Slack on the health checks' bound for the rounding of their phase.
pub(super) const ROTATION_SLACK: SimDuration = SimDuration::from_micros(1);

impl Rotation {
    /// The check of `system`'s instances behind health checks
    /// (inapplicable without any).
    pub(super) fn check(system: Option<&SystemSpec>) -> Check {
        let Some(spec) = system else {
            return Check::Inapplicable;
        };
        let watched: Vec<(usize, usize, SimDuration)> = spec
            .services
            .iter()
            .enumerate()
            .filter_map(|(s, svc)| svc.health_check.map(|c| (s, svc, c)))
            .flat_map(|(s, svc, c)| {
                let allowed = c
                    .interval
                    .saturating_mul(u64::from(c.unhealthy_threshold.max(1)))
                    .saturating_add(ROTATION_SLACK);
                (0..svc.instances.len()).map(move |i| (s, i, allowed))
            })
            .collect();
        if watched.is_empty() {
            return Check::Inapplicable;
        }
        let mut services: Vec<(usize, usize, usize)> = Vec::new();
        for (k, &(s, ..)) in watched.iter().enumerate() {
            match services.last_mut() {
                Some((last, _, n)) if *last == s => *n += 1,
                _ => services.push((s, k, 1)),
            }
        }
        Check::Rotation(Rotation {
            since: vec![None; watched.len()],
            watched,
            services,
            next: None,
        })
    }

    #[inline]
    pub(super) fn confirm(
        &self,
        t: SimTime,
        inclusive: bool,
        cx: &Context<'_>,
    ) -> Option<(SimTime, String)> {
        let (c, k) = self.next?;
        if !due(c, t, inclusive) {
            return None;
        }
        let spec = cx.system()?;
        let (s, i, allowed) = self.watched[k];
        let svc = &spec.services[s];
        let since = self.since[k]?;
        Some((
            c,
            format!(
                "{} of {} has been in the load balancer's rotation without serving \
                 since {since}, longer than its health checks allow ({} with slack)",
                svc.instances[i].name, svc.name, allowed
            ),
        ))
    }

    #[inline]
    pub(super) fn update(&mut self, m: &SystemModel<'_>, now: SimTime, warmup: SimTime) {
        let (status, counters) = (m.status(), m.counters());
        let mut changed = false;
        for &(s, first, n) in &self.services {
            let effective = &status.effective[s][..n];
            let since = &mut self.since[first..first + n];
            for (i, (&e, since)) in effective.iter().zip(since).enumerate() {
                let stale = !e && counters.in_rotation(s, i);
                if stale != since.is_some() {
                    *since = stale.then_some(now);
                    changed = true;
                }
            }
        }
        if changed {
            self.next = self
                .since
                .iter()
                .zip(&self.watched)
                .enumerate()
                .filter_map(|(k, (s, w))| s.map(|s| (s.max(warmup).saturating_add(w.2), k)))
                .min();
        }
    }
}

// ----------------------------------------------------------------- faults
