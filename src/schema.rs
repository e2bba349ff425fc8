//! `nines schema`: the JSON Schema of scenario files, for editors.

use crate::cli::SchemaArgs;
use crate::fail::Failure;
use crate::output::{print, write_file};

/// `nines schema`.
pub(crate) fn schema(args: SchemaArgs) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(&scenarios::schema::json_schema())
        .map_err(|e| Failure::internal(format!("cannot encode the schema: {e}")))?;
    text.push('\n');
    match &args.out {
        Some(path) => write_file(path, text.as_bytes()).map(drop),
        None => print(&text).map(drop),
    }
}
