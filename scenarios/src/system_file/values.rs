//! The values of scenario files that take more than one form: shares
//! (`0.05` or `"5%"`), names (one or a list), amounts (a number or text
//! with a unit), sizes and rates.

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_spanned::Spanned;

/// A share: a plain number (`0.05`) or a percentage (`"5%"`).
#[derive(Debug)]
pub(crate) enum Fraction {
    /// A number.
    Number(f64),
    /// Text, parsed by the builder.
    Text(String),
}

impl Fraction {
    /// The share as a number: `0.05` as written, or `"5%"` divided by 100;
    /// `None` for text that is not a percentage.
    pub(crate) fn value(&self) -> Option<f64> {
        match self {
            Fraction::Number(x) => Some(*x),
            Fraction::Text(t) => t
                .trim()
                .strip_suffix('%')
                .and_then(|p| p.trim().parse::<f64>().ok())
                .map(|p| p / 100.0),
        }
    }
}

impl<'de> Deserialize<'de> for Fraction {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FractionVisitor;
        impl Visitor<'_> for FractionVisitor {
            type Value = Fraction;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number such as 0.05 or a percentage such as \"5%\"")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Fraction, E> {
                Ok(Fraction::Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Fraction, E> {
                Ok(Fraction::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Fraction, E> {
                Ok(Fraction::Number(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Fraction, E> {
                Ok(Fraction::Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(FractionVisitor)
    }
}

/// One name (`"east-a"`, or `"all"`) or a list of names, each with its span.
#[derive(Debug)]
pub(crate) enum Names {
    /// A single string; its span is that of the enclosing `Spanned`.
    One(String),
    /// A list of strings.
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NamesVisitor;
        impl<'de> Visitor<'de> for NamesVisitor {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a name or a list of names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Names, E> {
                Ok(Names::One(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<Spanned<String>>()? {
                    names.push(n);
                }
                Ok(Names::Many(names))
            }
        }
        deserializer.deserialize_any(NamesVisitor)
    }
}

/// An amount of money per unit of time: a plain number (per hour) or text
/// such as `"0.12/h"` or `"90/30d"`.
#[derive(Debug)]
pub(crate) enum Amount {
    /// A plain number.
    Number(f64),
    /// Text, parsed by the builder.
    Text(String),
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor;
        impl Visitor<'_> for AmountVisitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number (per hour) or text such as \"0.12/h\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                Ok(Amount::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                Ok(Amount::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                Ok(Amount::Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(AmountVisitor)
    }
}

impl JsonSchema for Fraction {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Fraction".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A share: a number from 0 to 1 such as 0.05, or a percentage string such as \"5%\".",
            "anyOf": [
                { "type": "number", "minimum": 0, "maximum": 1 },
                { "type": "string", "pattern": "%\\s*$" }
            ],
            "examples": [0.95, "5%"]
        })
    }
}

impl JsonSchema for Names {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Names".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "One name (\"east-a\", or \"all\" for every target of the kind) or a list of names.",
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" } }
            ],
            "examples": ["all", ["east-a", "east-b-r1"]]
        })
    }
}

/// A size in bytes: a plain number, or text such as `"4KB"`, `"1.5 MB"`
/// or `"64KiB"`.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub(crate) struct Size(pub(crate) Amount);

impl Size {
    /// The size in bytes, or what is wrong with the text.
    pub(crate) fn bytes(&self) -> Result<f64, String> {
        match &self.0 {
            Amount::Number(x) => Ok(*x),
            Amount::Text(t) => crate::system_build::parse_size(t),
        }
    }
}

impl JsonSchema for Size {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Size".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A size in bytes: a plain number, or a string with a unit B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024), such as \"4KB\" or \"64KiB\".",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": crate::schema::patterns::size() }
            ],
            "examples": [4096, "4KB", "64KiB"]
        })
    }
}

/// A rate: a plain number, per second, or text `"amount/duration"` such
/// as `"500/s"`, `"30000/min"` or `"1.8M/h"` (with `k` or `M` for
/// thousands and millions).
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub(crate) struct Rate(pub(crate) Amount);

impl Rate {
    /// The rate per second, or what is wrong with the text.
    pub(crate) fn per_second(&self) -> Result<f64, String> {
        match &self.0 {
            Amount::Number(x) => Ok(*x),
            Amount::Text(t) => crate::system_build::parse_per(
                t,
                1.0 / 3600.0,
                "a number (per second) or text such as \"500/s\" or \"30000/min\"",
            ),
        }
    }
}

impl JsonSchema for Rate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Rate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A rate: a plain number, per second, or a string \"amount/duration\" such as \"500/s\", \"30000/min\" or \"1.8M/h\" (k and M for thousands and millions).",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": crate::schema::patterns::per_time() }
            ],
            "examples": [500, "500/s", "30000/min", "1.8M/h"]
        })
    }
}

impl JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An amount of money per unit of time: a plain number, per hour, or a string \"amount/duration\" such as \"0.12/h\", \"2.88/d\" or \"90/30d\".",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": crate::schema::patterns::per_time() }
            ],
            "examples": [0.12, "0.12/h", "90/30d"]
        })
    }
}
