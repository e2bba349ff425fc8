//! The data section: failovers, failbacks, lost writes and split brains.

use crate::document::{Block, Section, Table};
use crate::report::format::{hours, share};
use crate::run::RunReport;

use super::estimate_row;

pub(super) fn data(r: &RunReport) -> Option<Section> {
    let d = r.data.as_ref()?;
    let mut s = Section::new("Data and failovers");
    let mut t = Table::new(
        &["measure", "estimate", "95% interval"],
        &[false, true, true],
    );
    estimate_row(&mut t, "failovers per year", &d.failovers_per_year);
    estimate_row(
        &mut t,
        "needless failovers per year (a healthy primary suspected)",
        &d.needless_failovers_per_year,
    );
    estimate_row(&mut t, "failbacks per year", &d.failbacks_per_year);
    estimate_row(&mut t, "writes lost per year", &d.lost_writes_per_year);
    estimate_row(
        &mut t,
        "events that lost writes, per year",
        &d.loss_events_per_year,
    );
    t.measure(
        "years with no write lost",
        share(d.no_loss_probability),
        String::new(),
    );
    t.measure(
        "worst recovery point seen (RPO)",
        hours(d.worst_rpo_hours),
        String::new(),
    );
    estimate_row(&mut t, "split brains per year", &d.split_brains_per_year);
    estimate_row(
        &mut t,
        "split brain, minutes per year",
        &d.split_brain_minutes_per_year,
    );
    s.blocks.push(Block::Table(t));
    Some(s)
}
