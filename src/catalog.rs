//! `nines scenarios list` and `nines scenarios show`: the built-in library.

use scenarios::library::{self, BUILTINS, Builtin};

use crate::cli::ScenariosCommand;
use crate::fail::Failure;
use crate::output::print;

/// `nines scenarios`.
pub(crate) fn scenarios(command: ScenariosCommand) -> Result<(), Failure> {
    match command {
        ScenariosCommand::List => print(&list()?).map(drop),
        ScenariosCommand::Show { name } => print(find(&name)?.source).map(drop),
    }
}

/// One line per built-in scenario: its name, padded to a column, and its
/// description.
fn list() -> Result<String, Failure> {
    let width = BUILTINS.iter().map(|b| b.name.len()).max().unwrap_or(0);
    let mut text = String::new();
    for b in BUILTINS {
        let description = b.description().map_err(|e| {
            Failure::internal(format!("built-in scenario {} is invalid: {e}", b.name))
        })?;
        text.push_str(&format!("{:<width$}  {description}\n", b.name));
    }
    Ok(text)
}

/// The built-in scenario `name` (`builtin:` in front is allowed), or an
/// error that suggests the closest name.
pub(crate) fn find(name: &str) -> Result<&'static Builtin, Failure> {
    let bare = name.strip_prefix("builtin:").unwrap_or(name);
    library::find(bare).ok_or_else(|| {
        let hint = match scenarios::suggest(bare, library::names()) {
            Some(s) => format!("; did you mean `{s}`?"),
            None => String::new(),
        };
        Failure::input(format!(
            "no built-in scenario `{bare}`{hint} (`nines scenarios list` shows them all)"
        ))
    })
}
