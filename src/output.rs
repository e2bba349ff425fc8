//! Writing results: to standard output (a closed pipe ends quietly) or to
//! a file, through [`file`]: atomically for a regular file or a new path,
//! directly into a FIFO or a device, never through a symbolic link.

mod file;
mod report_dir;

use std::io::{self, Write};
use std::path::Path;

pub(crate) use self::file::{OutputFile, remove_temporaries, write_file};
pub(crate) use self::report_dir::write_report_dir;
use crate::fail::Failure;

/// The outcome of writing to standard output.
#[derive(Debug)]
pub(crate) enum Printed {
    /// Everything was written.
    Done,
    /// The reader went away (for example `| head`): stop quietly.
    PipeClosed,
}

/// Writes `text` to standard output.
pub(crate) fn print(text: &str) -> Result<Printed, Failure> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(Printed::Done),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Printed::PipeClosed),
        Err(e) => Err(Failure::internal(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

/// Writes JSON `text` to `target`: a path, or `-` for standard output.
pub(crate) fn write_json(target: &str, text: &str) -> Result<Printed, Failure> {
    if target == "-" {
        print(text)
    } else {
        write_file(Path::new(target), text.as_bytes())
    }
}

/// The longest run whose trace nines writes: a trace holds every event, so
/// a 1000-year trace of a large system would fill a disk.
pub(crate) const MAX_TRACE_HORIZON_YEARS: u64 = 100;

/// Refuses a trace of a run longer than [`MAX_TRACE_HORIZON_YEARS`].
pub(crate) fn check_trace_horizon(horizon: sim_core::time::SimDuration) -> Result<(), Failure> {
    if horizon > sim_core::time::SimDuration::from_years(MAX_TRACE_HORIZON_YEARS) {
        return Err(Failure::input(format!(
            "--trace of a {horizon} run: a trace holds every event, and runs longer than {MAX_TRACE_HORIZON_YEARS}y are refused; trace a shorter --horizon (the replication's first years are the same events)"
        )));
    }
    Ok(())
}

/// Writes `value` as pretty JSON where `--json` says, then, unless
/// `--quiet` or the JSON went to standard output, the text `text` makes.
pub(crate) fn emit<T: serde::Serialize>(
    output: &crate::cli::OutputOptions,
    value: &T,
    text: impl FnOnce() -> String,
) -> Result<Printed, Failure> {
    if let Some(target) = &output.json {
        let mut json = serde_json::to_string_pretty(value)
            .map_err(|e| Failure::internal(format!("cannot encode the results: {e}")))?;
        json.push('\n');
        if let Printed::PipeClosed = write_json(target, &json)? {
            return Ok(Printed::PipeClosed);
        }
    }
    if output.quiet || output.json.as_deref() == Some("-") {
        return Ok(Printed::Done);
    }
    print(&text())
}
