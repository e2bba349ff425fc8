//! The built-in scenarios' names as the values a command line's scenario
//! argument may take, so that shell completions offer them. Any other text
//! (a file's path) is accepted too: the argument is read as a file when it
//! is not a built-in name.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};

/// Parses a scenario argument as text, and lists the built-in scenarios'
/// names as its possible values (for completion; nothing is refused).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ScenarioName;

impl TypedValueParser for ScenarioName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            scenarios::library::names().map(|n| PossibleValue::new(n).help("built-in scenario")),
        ))
    }
}
