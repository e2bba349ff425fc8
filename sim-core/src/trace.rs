//! The event trace: one JSON object per processed event, one per line.
//!
//! Columns, in order:
//!
//! | key | type | meaning |
//! | --- | --- | --- |
//! | `t_us` | integer | simulated time of the event, microseconds since the start |
//! | `t` | string | the same time in human units (`t+1d4h`) |
//! | `kind` | string | the kind of event (model-defined, e.g. `fail`, `repair_done`) |
//! | `entity` | integer | the id of the entity the event concerns |
//! | `name` | string | the model's name for that entity |
//!
//! `nines replay --trace` adds a sixth column, `changes` (a list of
//! strings, absent when empty): the state changes the event caused, such
//! as `"db: down"` or `"partition: begins"`, from the replication's
//! recorded timeline; the changes at one instant go with the last event at
//! it.
//!
//! The writer never affects a run: the trace hash is the same with or
//! without it.

use std::io::{self, Write};

use serde::Serialize;

use crate::engine::{TraceRecord, TraceSink};

/// Writes a [`TraceRecord`] per line as JSON to any writer.
///
/// The first write error is kept and returned by [`JsonLinesTrace::finish`];
/// later records are dropped.
#[derive(Debug)]
pub struct JsonLinesTrace<W: Write> {
    out: W,
    error: Option<io::Error>,
    lines: u64,
}

#[derive(Serialize)]
struct Line<'a> {
    t_us: u64,
    t: String,
    kind: &'a str,
    entity: u32,
    name: &'a str,
    #[serde(skip_serializing_if = "<[&str]>::is_empty")]
    changes: &'a [&'a str],
}

impl<W: Write> JsonLinesTrace<W> {
    /// A trace writing to `out` (wrap files in a `BufWriter`).
    pub fn new(out: W) -> Self {
        JsonLinesTrace {
            out,
            error: None,
            lines: 0,
        }
    }

    /// The number of lines written.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Flushes the writer and returns it, or the first error met.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> JsonLinesTrace<W> {
    /// Writes one event's line with the state changes it caused (the
    /// `changes` column, left out when empty).
    pub fn record_with_changes(
        &mut self,
        record: TraceRecord,
        entity_name: &str,
        changes: &[&str],
    ) {
        if self.error.is_some() {
            return;
        }
        let line = Line {
            t_us: record.time.as_micros(),
            t: record.time.to_string(),
            kind: record.kind,
            entity: record.entity,
            name: entity_name,
            changes,
        };
        let result = serde_json::to_writer(&mut self.out, &line)
            .map_err(io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"));
        match result {
            Ok(()) => self.lines += 1,
            Err(e) => self.error = Some(e),
        }
    }
}

impl<W: Write> TraceSink for JsonLinesTrace<W> {
    fn record(&mut self, record: TraceRecord, entity_name: &str) {
        self.record_with_changes(record, entity_name, &[]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimTime;

    #[test]
    fn changes_are_a_column_only_when_there_are_some() {
        let mut t = JsonLinesTrace::new(Vec::new());
        let record = TraceRecord {
            time: SimTime::from_micros(1),
            kind: "occur",
            entity: 0,
        };
        t.record_with_changes(record, "p", &["db: down", "p: begins"]);
        t.record_with_changes(record, "p", &[]);
        let text = String::from_utf8(t.finish().unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].ends_with(r#""name":"p","changes":["db: down","p: begins"]}"#),
            "{text}"
        );
        assert!(lines[1].ends_with(r#""name":"p"}"#), "{text}");
    }

    #[test]
    fn writes_one_json_object_per_line() {
        let mut t = JsonLinesTrace::new(Vec::new());
        t.record(
            TraceRecord {
                time: SimTime::from_micros(3_600_000_000),
                kind: "fail",
                entity: 2,
            },
            "node \"b\"",
        );
        assert_eq!(t.lines(), 1);
        let text = String::from_utf8(t.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "{\"t_us\":3600000000,\"t\":\"t+1h\",\"kind\":\"fail\",\"entity\":2,\"name\":\"node \\\"b\\\"\"}\n"
        );
    }
}
