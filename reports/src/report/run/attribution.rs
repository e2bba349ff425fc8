//! The attribution section, where the downtime comes from: by fault,
//! component, failure domain, fault class and service.

use crate::document::{Block, Section, Table};
use crate::plot;
use crate::report::format::{hours, num, range, share};
use crate::run::RunReport;

use super::share_precise;

pub(super) fn attribution(r: &RunReport) -> Option<Section> {
    let causes = r.attribution.as_ref()?;
    let mut s = Section::new("Where the downtime comes from");
    let charged: Vec<_> = causes
        .iter()
        .filter(|c| c.downtime_minutes_per_year > 0.0)
        .collect();
    if charged.is_empty() {
        s.text("No fault caused downtime in any replication.");
    } else {
        s.text(
            "Each minute the service was down is charged to the faults active at the time (shared equally when several were). Whiskers are 95% intervals.",
        );
        let bars: Vec<plot::Bar> = charged
            .iter()
            .map(|c| plot::Bar {
                label: c.cause.clone(),
                value: c.downtime_minutes_per_year,
                low: Some(c.ci95_low),
                high: Some(c.ci95_high),
            })
            .collect();
        s.figure(
            "attribution.svg",
            "Downtime per year by fault, largest first.",
            plot::bar_chart("Downtime by fault", "downtime (min/yr)", &bars),
        );
        let grouped = |key: &dyn Fn(&crate::run::Attribution) -> String| {
            let mut groups: Vec<(String, f64)> = Vec::new();
            for c in causes {
                let k = key(c);
                match groups.iter_mut().find(|(g, _)| *g == k) {
                    Some((_, m)) => *m += c.downtime_minutes_per_year,
                    None => groups.push((k, c.downtime_minutes_per_year)),
                }
            }
            groups.retain(|(_, m)| *m > 0.0);
            groups.sort_by(|a, b| b.1.total_cmp(&a.1));
            groups
        };
        let classes = grouped(&|c| c.class.clone());
        let domains = grouped(&|c| c.domain.clone().unwrap_or_else(|| "–".into()));
        let total: f64 = charged.iter().map(|c| c.downtime_minutes_per_year).sum();
        let bars_of = |groups: &[(String, f64)]| -> Vec<plot::Bar> {
            groups
                .iter()
                .map(|(g, m)| plot::Bar {
                    label: g.clone(),
                    value: *m,
                    low: None,
                    high: None,
                })
                .collect()
        };
        if let Some(components) = r.components.as_ref().filter(|c| !c.is_empty()) {
            let bars: Vec<plot::Bar> = components
                .iter()
                .map(|c| plot::Bar {
                    label: format!("{} {}", c.kind, c.name),
                    value: c.downtime_minutes_per_year,
                    low: Some(c.ci95_low),
                    high: Some(c.ci95_high),
                })
                .collect();
            s.figure(
                "attribution-by-component.svg",
                "Downtime per year by component: the host, zone, link or service each charged fault held (partitions are charged to the network).",
                plot::bar_chart("Downtime by component", "downtime (min/yr)", &bars),
            );
        }
        s.figure(
            "attribution-by-domain.svg",
            "Downtime per year by failure domain: the kind of element each fault strikes.",
            plot::bar_chart(
                "Downtime by failure domain",
                "downtime (min/yr)",
                &bars_of(&domains),
            ),
        );
        if classes.len() < charged.len() {
            // Some faults share a class: the classes say more than the
            // faults alone.
            let mut t = Table::new(
                &["fault class", "downtime (min/yr)", "share"],
                &[false, true, true],
            );
            for (c, m) in &classes {
                t.row(vec![c.clone(), num(*m), share(m / total)]);
            }
            s.blocks.push(Block::Table(t));
        }
    }
    let mut t = Table::new(
        &[
            "fault",
            "class",
            "domain",
            "downtime (min/yr)",
            "95% interval",
            "share",
            "occurrences per year",
            "95% interval",
        ],
        &[false, false, false, true, true, true, true, true],
    );
    for c in causes {
        t.row(vec![
            c.cause.clone(),
            c.class.clone(),
            c.domain.clone().unwrap_or_default(),
            num(c.downtime_minutes_per_year),
            format!("{} – {}", num(c.ci95_low), num(c.ci95_high)),
            share(c.share),
            num(c.occurrences_per_year),
            format!(
                "{} – {}",
                num(c.occurrences_ci95_low),
                num(c.occurrences_ci95_high)
            ),
        ]);
    }
    s.blocks.push(Block::Table(t));
    if let Some(services) = r.services.as_ref().filter(|s| s.len() > 1) {
        let bars: Vec<plot::Bar> = services
            .iter()
            .map(|svc| plot::Bar {
                label: svc.name.clone(),
                value: svc.downtime_minutes_per_year.mean,
                low: Some(svc.downtime_minutes_per_year.ci95_low.max(0.0)),
                high: Some(svc.downtime_minutes_per_year.ci95_high),
            })
            .collect();
        s.figure(
            "services.svg",
            "Downtime per year of each service as users' traffic sees it, with 95% intervals.",
            plot::bar_chart("Downtime by service", "downtime (min/yr)", &bars),
        );
    }
    if let Some(services) = &r.services {
        s.text("Every service as seen from where users' traffic enters (a service is down for users when it cannot be reached or cannot serve).");
        let mut t = Table::new(
            &[
                "service",
                "availability",
                "downtime (min/yr)",
                "95% interval",
                "MTTR",
                "cost per year",
            ],
            &[false, true, true, true, true, true],
        );
        for svc in services {
            let a = &svc.availability;
            t.row(vec![
                svc.name.clone(),
                share_precise(a.mean),
                num(svc.downtime_minutes_per_year.mean),
                range(&svc.downtime_minutes_per_year),
                svc.mttr_hours.map_or_else(|| "–".into(), hours),
                num(svc.cost_per_year),
            ]);
        }
        s.blocks.push(Block::Table(t));
    }
    Some(s)
}
