//! nines results as plain data, and their renderings.
//!
//! Everything here is serde data that can be written to JSON and read back,
//! so a report can be re-rendered without re-running a simulation. This
//! crate knows nothing of the engine or the models: the binary fills these
//! types from what the models measured.

pub mod batch_means;
pub mod compare;
pub mod digits;
pub mod document;
pub mod measures;
pub mod plot;
pub mod rare_event;
pub mod replay;
pub mod report;
pub mod results;
pub mod run;
pub mod stopping;
pub mod validation;

pub use batch_means::BatchMeansReport;
pub use compare::{CompareReport, Difference, MeasureDifferences, PairedDifference};
pub use rare_event::{RareEventDiagnostics, RareEventReport};
pub use replay::ReplayReport;

pub use run::{
    Attribution, Availability, ComponentShare, Cost, CostLine, DataLoss, ErrorShare, Interval,
    Latency, OutageBin, RequestsReport, RunReport, Scaling, ServiceData, ServiceLine, Spread,
    Writes,
};
pub use stopping::Stopping;
pub use validation::{ValidationRow, validation_table};
