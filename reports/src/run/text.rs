//! The human summary of a run: [`RunReport::to_text`] and the helpers it
//! shares with the other text outputs.

use std::fmt::Write as _;

use super::*;

pub(crate) fn percent(x: f64) -> String {
    crate::digits::percent(x, 5)
}

impl RunReport {
    /// The human summary printed by `nines run`.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let a = &self.availability;
        let d = &self.downtime_minutes_per_year;
        let i = &self.incidents_per_year;
        let years = self.horizon_hours - self.warmup_hours;
        let _ = writeln!(s, "scenario      {} ({})", self.scenario, self.origin);
        let _ = writeln!(
            s,
            "replications  {} x {} h measured{} (seed {})",
            self.replications,
            fmt_num(years),
            if self.warmup_hours > 0.0 {
                format!(" after a {} h warm-up", fmt_num(self.warmup_hours))
            } else {
                String::new()
            },
            self.seed
        );
        if let Some(stopping) = &self.stopping {
            s.push_str(&stopping.to_text());
        }
        if self.requests.is_some() {
            // Request level: availability is the share of requests served
            // in time; there are no outages to count.
            if a.zero_downtime_observed {
                let _ = writeln!(
                    s,
                    "availability  >= {} of requests served at 95% (no request failed)",
                    percent(a.ci95_low)
                );
                let _ = writeln!(s, "nines         >= {:.2}", a.nines);
            } else {
                let _ = writeln!(
                    s,
                    "availability  {} of requests served  95% CI [{}, {}]",
                    percent(a.mean),
                    percent(a.ci95_low),
                    percent(a.ci95_high)
                );
                let _ = writeln!(s, "nines         {:.2}", a.nines);
            }
        } else if a.zero_downtime_observed {
            write_headline(
                &mut s,
                a,
                d,
                i,
                self.assumed_outage_hours,
                "in any replication",
            );
        } else {
            write_headline(&mut s, a, d, i, None, "");
            if let Some(n) = self.few_outages {
                let _ = writeln!(
                    s,
                    "              (these intervals rest on {n} outage{}: rough; more replications steady them)",
                    if n == 1 { "" } else { "s" }
                );
            }
            if let (Some(m), Some(b)) = (&self.mttr_hours, &self.mtbf_hours) {
                let _ = writeln!(
                    s,
                    "outages       MTTR {:.2} h (95% CI [{:.2}, {:.2}]), MTBF {:.0} h ([{:.0}, {:.0}]), longest {:.2} h",
                    m.mean,
                    m.ci95_low,
                    m.ci95_high,
                    b.mean,
                    b.ci95_low,
                    b.ci95_high,
                    self.longest_outage_hours
                );
                let bands: Vec<String> = self
                    .outage_lengths
                    .iter()
                    .filter(|b| b.outages_per_year > 0.0)
                    .map(|b| match b.up_to_minutes {
                        Some(m) => format!("<= {} min: {:.3}", m, b.outages_per_year),
                        None => format!("longer: {:.3}", b.outages_per_year),
                    })
                    .collect();
                if !bands.is_empty() {
                    let _ = writeln!(s, "outage length {} (per year)", bands.join(", "));
                }
            }
            let sp = &self.downtime_minutes_per_year_spread;
            let _ = writeln!(
                s,
                "worst years   1 replication in 20 had more than {:.1} min/yr of downtime (median {:.1}, max {:.1})",
                sp.p95, sp.p50, sp.max
            );
        }
        if let Some(r) = &self.request_availability {
            let _ = writeln!(
                s,
                "requests      {} served  95% CI [{}, {}] (request-based availability)",
                percent(r.mean),
                percent(r.ci95_low),
                percent(r.ci95_high)
            );
        }
        if let Some(dg) = &self.degraded_minutes_per_year {
            let _ = writeln!(
                s,
                "degraded      {:.1} min/yr  95% CI [{:.1}, {:.1}] (up, but a soft dependency or a gray host hurts)",
                dg.mean, dg.ci95_low, dg.ci95_high
            );
        }
        if let Some(r) = &self.requests {
            let _ = writeln!(
                s,
                "requests      {:.0} per replication",
                r.arrived_per_replication
            );
            if let (Some(f), Some(w)) = (&r.fallback_share, &r.availability_with_fallback) {
                let _ = writeln!(
                    s,
                    "fallbacks     {} of requests answered degraded  95% CI [{}, {}]",
                    percent(f.mean),
                    percent(f.ci95_low),
                    percent(f.ci95_high)
                );
                let _ = writeln!(
                    s,
                    "with fallback {} of requests served or answered degraded  95% CI [{}, {}]",
                    percent(w.mean),
                    percent(w.ci95_low),
                    percent(w.ci95_high)
                );
            }
            let _ = writeln!(
                s,
                "latency       mean {:.1} ms; p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, p99.9 {:.1} ms",
                1e3 * r.mean_response_s.mean,
                1e3 * r.latency_s.p50,
                1e3 * r.latency_s.p95,
                1e3 * r.latency_s.p99,
                1e3 * r.latency_s.p999
            );
            let errors: Vec<String> = r
                .errors
                .iter()
                .filter(|e| e.share > 0.0)
                .map(|e| format!("{} {}", e.cause, percent(e.share)))
                .collect();
            let _ = writeln!(
                s,
                "errors        {}",
                if errors.is_empty() {
                    "none".to_string()
                } else {
                    errors.join(", ")
                }
            );
            let _ = writeln!(
                s,
                "load          {:.3} attempts per request, servers {:.1}% busy, breaker opened {:.1} times per replication",
                r.attempts_per_request.mean,
                100.0 * r.utilisation,
                r.breaker_openings_per_replication
            );
        }
        if let Some(d) = &self.data {
            // With several stateful services, say whose figures these are;
            // "data by service" below gives each one's.
            let several = self
                .services
                .as_ref()
                .is_some_and(|x| x.iter().filter(|svc| svc.data.is_some()).count() > 1);
            let _ = writeln!(
                s,
                "data          {}{:.3} writes lost /yr  95% CI [{:.3}, {:.3}] in {:.3} loss events /yr; {:.2} failovers /yr; worst RPO {:.2} h; {:.1}% of replications lost nothing",
                if several {
                    "the entry and what it needs: "
                } else {
                    ""
                },
                d.lost_writes_per_year.mean,
                d.lost_writes_per_year.ci95_low,
                d.lost_writes_per_year.ci95_high,
                d.loss_events_per_year.mean,
                d.failovers_per_year.mean,
                d.worst_rpo_hours,
                100.0 * d.no_loss_probability
            );
            if d.split_brains_per_year.mean > 0.0 {
                let (b, m) = (&d.split_brains_per_year, &d.split_brain_minutes_per_year);
                let _ = writeln!(
                    s,
                    "split brain   {:.3} per year ([{:.3}, {:.3}]), {:.1} min/yr ([{:.1}, {:.1}]) with two writable primaries",
                    b.mean, b.ci95_low, b.ci95_high, m.mean, m.ci95_low, m.ci95_high
                );
            }
            if d.needless_failovers_per_year.mean > 0.0 || d.failbacks_per_year.mean > 0.0 {
                let (n, f) = (&d.needless_failovers_per_year, &d.failbacks_per_year);
                let _ = writeln!(
                    s,
                    "failovers     {:.3} needless per year ([{:.3}, {:.3}]: a healthy primary suspected), {:.3} failbacks per year ([{:.3}, {:.3}])",
                    n.mean, n.ci95_low, n.ci95_high, f.mean, f.ci95_low, f.ci95_high
                );
            }
        }
        if let Some(c) = &self.cost_per_year {
            let _ = writeln!(
                s,
                "cost          {u} {:.0} /yr (95% CI [{:.0}, {:.0}]): {u} {:.0} infrastructure + {u} {:.0} downtime (95% CI [{:.0}, {:.0}])",
                c.total.mean,
                c.total.ci95_low,
                c.total.ci95_high,
                c.infrastructure,
                c.downtime.mean,
                c.downtime.ci95_low,
                c.downtime.ci95_high,
                u = c.unit(),
            );
            let parts: Vec<String> = c
                .breakdown()
                .iter()
                .map(|x| {
                    if x.ci95_low == x.ci95_high {
                        format!("{u} {:.0} {}", x.mean, x.name, u = c.unit())
                    } else {
                        format!(
                            "{u} {:.0} {} [{:.0}, {:.0}]",
                            x.mean,
                            x.name,
                            x.ci95_low,
                            x.ci95_high,
                            u = c.unit()
                        )
                    }
                })
                .collect();
            if !parts.is_empty() {
                let _ = writeln!(s, "cost by part  {}", parts.join(", "));
            }
        }
        if let Some(services) = &self.services {
            let _ = writeln!(s, "services      (as seen from where clients enter)");
            let w = services
                .iter()
                .map(|x| x.name.chars().count())
                .max()
                .unwrap_or(7)
                .max(7);
            let _ = writeln!(
                s,
                "  {:<w$}  {:>10}  {:>10}  {:>10}  {:>10}",
                "service", "available", "min/yr", "MTTR", "cost/yr"
            );
            for svc in services {
                let mttr = svc.mttr_hours.map_or("-".to_string(), |h| {
                    if h < 1.0 {
                        format!("{:.1} min", h * 60.0)
                    } else {
                        format!("{h:.2} h")
                    }
                });
                let _ = writeln!(
                    s,
                    "  {:<w$}  {:>10}  {:>10.1}  {:>10}  {:>10.0}{}",
                    svc.name,
                    crate::digits::percent(svc.availability.mean, 4),
                    svc.downtime_minutes_per_year.mean,
                    mttr,
                    svc.cost_per_year,
                    match (svc.read_availability, svc.write_availability) {
                        (Some(r), Some(w)) if svc.writes.is_none() => format!(
                            "  (reads {}, writes {}{})",
                            crate::digits::percent(r, 4),
                            crate::digits::percent(w, 4),
                            svc.elections_per_year.map_or(String::new(), |e| format!(
                                "; {:.2} leader elections /yr",
                                e.mean
                            ))
                        ),
                        _ => String::new(),
                    }
                );
            }
        }
        if let Some(services) = &self.services {
            let with_data: Vec<(&str, &ServiceData)> = services
                .iter()
                .filter_map(|x| Some((x.name.as_str(), x.data.as_ref()?)))
                .collect();
            // With one such service the data line above is its own.
            if with_data.len() > 1 {
                let _ = writeln!(s, "data by service");
                let w = with_data
                    .iter()
                    .map(|(n, _)| n.chars().count())
                    .max()
                    .unwrap_or(7)
                    .max(7);
                let _ = writeln!(
                    s,
                    "  {:<w$}  {:>14}  {:>12}  {:>12}  {:>10}",
                    "service", "writes lost/yr", "loss events", "failovers/yr", "worst RPO"
                );
                for (name, d) in with_data {
                    let _ = writeln!(
                        s,
                        "  {name:<w$}  {:>14.1}  {:>12.3}  {:>12.3}  {:>8.2} h",
                        d.lost_writes_per_year.mean,
                        d.loss_events_per_year.mean,
                        d.failovers_per_year.mean,
                        d.worst_rpo_hours
                    );
                }
            }
            for svc in services {
                if let Some(w) = &svc.writes {
                    let a = &w.availability;
                    let latency = w.latency_ms.map_or("no write accepted".to_string(), |l| {
                        format!(
                            "latency {:.2} ms  95% CI [{:.2}, {:.2}]",
                            l.mean, l.ci95_low, l.ci95_high
                        )
                    });
                    let _ = writeln!(
                        s,
                        "writes        {}: accepted {}  95% CI [{}, {}]; {latency}; {:.1} refused /yr",
                        svc.name,
                        percent(a.mean),
                        percent(a.ci95_low).trim_end_matches('%'),
                        percent(a.ci95_high).trim_end_matches('%'),
                        w.refused_per_year.mean
                    );
                }
            }
            for svc in services {
                if let Some(sc) = &svc.scaling {
                    let (n, a) = (&sc.instances_running, &sc.actions_per_year);
                    let _ = writeln!(
                        s,
                        "autoscaling   {}: {:.2} instances running on average  95% CI [{:.2}, {:.2}]; {:.0} scaling actions /yr",
                        svc.name, n.mean, n.ci95_low, n.ci95_high, a.mean
                    );
                }
            }
        }
        if let Some(attr) = &self.attribution
            && !attr.is_empty()
        {
            let _ = writeln!(s, "downtime by cause");
            let w = attr
                .iter()
                .map(|a| a.cause.chars().count())
                .max()
                .unwrap_or(5)
                .max(5);
            let _ = writeln!(
                s,
                "  {:<w$}  {:<16}  {:>10}  {:>6}  {:>8}  95% CI per yr",
                "cause", "class", "min/yr", "share", "per yr"
            );
            for a in attr {
                let _ = writeln!(
                    s,
                    "  {:<w$}  {:<16}  {:>10.1}  {:>5.1}%  {:>8.2}  [{:.2}, {:.2}]",
                    a.cause,
                    a.class,
                    a.downtime_minutes_per_year,
                    100.0 * a.share,
                    a.occurrences_per_year,
                    a.occurrences_ci95_low,
                    a.occurrences_ci95_high
                );
            }
        }
        let _ = writeln!(s, "events        {}", self.events);
        let _ = writeln!(s, "trace hash    {}", self.trace_hash);
        s
    }
}

/// Prints a number without a needless fraction (8760 rather than 8760.0).
pub(crate) fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.3}")
    }
}

/// The availability, nines, downtime and incidents lines of a text
/// summary. With no downtime observed they are one-sided 95% bounds
/// (`where_none` says where none was seen, `assumed_outage_hours` what the
/// downtime bound assumes).
pub(crate) fn write_headline(
    s: &mut String,
    a: &Availability,
    d: &Interval,
    i: &Interval,
    assumed_outage_hours: Option<f64>,
    where_none: &str,
) {
    use std::fmt::Write as _;
    if a.zero_downtime_observed {
        let seen = if where_none.is_empty() {
            "no downtime observed".to_string()
        } else {
            format!("no downtime observed {where_none}")
        };
        let _ = writeln!(
            s,
            "availability  >= {} at 95% ({seen})",
            percent(a.ci95_low)
        );
        let _ = writeln!(s, "nines         >= {:.2}", a.nines);
        if i.mean > 0.0 {
            // Outages seen, each shorter than the clock's step.
            let _ = writeln!(
                s,
                "downtime      < {:.3e} min/yr at 95% (every outage was instantaneous: shorter than 1 µs, the clock's step)",
                d.ci95_high
            );
            let _ = writeln!(
                s,
                "incidents     {:.3} /yr  95% CI [{:.3}, {:.3}] (instantaneous outages)",
                i.mean, i.ci95_low, i.ci95_high
            );
        } else {
            let _ = writeln!(
                s,
                "downtime      < {:.3} min/yr at 95% (none observed; assumes outages last {} h, the slowest mean repair)",
                d.ci95_high,
                fmt_num(assumed_outage_hours.unwrap_or(0.0))
            );
            let _ = writeln!(
                s,
                "incidents     < {:.4} /yr at 95% (none observed)",
                i.ci95_high
            );
        }
    } else {
        let _ = writeln!(
            s,
            "availability  {}  95% CI [{}, {}]",
            percent(a.mean),
            percent(a.ci95_low),
            percent(a.ci95_high)
        );
        let _ = writeln!(s, "nines         {:.2}", a.nines);
        let _ = writeln!(
            s,
            "downtime      {:.1} min/yr  95% CI [{:.1}, {:.1}]",
            d.mean, d.ci95_low, d.ci95_high
        );
        let _ = writeln!(
            s,
            "incidents     {:.3} /yr  95% CI [{:.3}, {:.3}]",
            i.mean, i.ci95_low, i.ci95_high
        );
    }
}
