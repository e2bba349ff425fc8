//! The built-in scenarios, reachable by name from the command line.

/// One built-in scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Builtin {
    /// The name users type (`nines run cluster-2of3`).
    pub name: &'static str,
    /// The TOML text, with its comments.
    pub source: &'static str,
}

/// Every built-in scenario, in alphabetical order.
pub const BUILTINS: &[Builtin] = &[Builtin {
    name: "cluster-2of3",
    source: include_str!("../library/cluster-2of3.toml"),
}];

/// The built-in scenario called `name`, if there is one.
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// The names of every built-in scenario.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|b| b.name)
}
