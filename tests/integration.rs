//! Integration tests of nines, in one binary, grouped by purpose.

#[path = "integration/support.rs"]
mod support;

#[path = "integration/autoscale.rs"]
mod autoscale;
#[path = "integration/bounds.rs"]
mod bounds;
#[path = "integration/cli.rs"]
mod cli;
#[path = "integration/compare.rs"]
mod compare;
#[path = "integration/compare_report.rs"]
mod compare_report;
#[path = "integration/compose.rs"]
mod compose;
#[path = "integration/determinism.rs"]
mod determinism;
#[path = "integration/docs.rs"]
mod docs;
#[path = "integration/errors.rs"]
mod errors;
#[path = "integration/everyday.rs"]
mod everyday;
#[path = "integration/faults.rs"]
mod faults;
#[path = "integration/help.rs"]
mod help;
#[path = "integration/hunt.rs"]
mod hunt;
#[path = "integration/interrupt.rs"]
mod interrupt;
#[path = "integration/intervals.rs"]
mod intervals;
#[path = "integration/outputs.rs"]
mod outputs;
#[path = "integration/per_service.rs"]
mod per_service;
#[path = "integration/precision.rs"]
mod precision;
#[path = "integration/rankings.rs"]
mod rankings;
#[path = "integration/rejuvenation.rs"]
mod rejuvenation;
#[path = "integration/replay.rs"]
mod replay;
#[path = "integration/report_cost.rs"]
mod report_cost;
#[path = "integration/report_escaping.rs"]
mod report_escaping;
#[path = "integration/report_labels.rs"]
mod report_labels;
#[path = "integration/reports.rs"]
mod reports;
#[path = "integration/requests.rs"]
mod requests;
#[path = "integration/scenario_limits.rs"]
mod scenario_limits;
#[path = "integration/semi_sync.rs"]
mod semi_sync;
#[path = "integration/streams.rs"]
mod streams;
#[path = "integration/sweeps.rs"]
mod sweeps;
#[path = "integration/tradeoffs_detection.rs"]
mod tradeoffs_detection;
#[path = "integration/validation.rs"]
mod validation;
#[path = "integration/witness.rs"]
mod witness;
