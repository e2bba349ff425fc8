//! Fuzzed inputs: a seed of the corpus, edits to its text, `--set`
//! flags and `--sweep` flags, each drawn by a proptest strategy so that a
//! failing input shrinks to the few edits that matter.

use proptest::prelude::*;

use super::corpus::{Corpus, corpus};

/// Where in a list an edit applies, as a fraction of its length.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pick(pub f64);

impl Pick {
    /// The index this pick names in a list of `len` (0 when empty).
    pub(crate) fn of(self, len: usize) -> usize {
        ((self.0 * len as f64) as usize).min(len.saturating_sub(1))
    }
}

/// One change to a file's text.
#[derive(Debug, Clone)]
pub(crate) enum Edit {
    /// The value of the `line`-th `key = value` line replaced.
    Value { line: Pick, value: String },
    /// `count` lines removed.
    Delete { line: Pick, count: usize },
    /// `count` lines written `times` more times where they are.
    Repeat {
        line: Pick,
        count: usize,
        times: usize,
    },
    /// A token inserted at a byte position.
    Insert { at: Pick, token: String },
    /// The text cut at a byte position.
    Truncate { at: Pick },
    /// A line's value made a string `len` characters long.
    Long { line: Pick, len: usize },
    /// A line pushed right past `columns` columns (an error there must
    /// still be reported).
    Wide { line: Pick, columns: usize },
    /// Lines of another seed inserted.
    Splice {
        other: Pick,
        from: Pick,
        count: usize,
        at: Pick,
    },
}

/// A path for `--set` or `--sweep`.
#[derive(Debug, Clone)]
pub(crate) enum PathPick {
    /// One of the seed's own value paths.
    Own(Pick),
    /// A path of the README's flags.
    Readme(Pick),
    /// Any text.
    Any(String),
}

/// One fuzzed input.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    /// The seed it starts from.
    pub(crate) seed: Pick,
    /// The edits, applied in order.
    pub(crate) edits: Vec<Edit>,
    /// `--set` flags as (path, value).
    pub(crate) sets: Vec<(PathPick, String)>,
    /// README `--set` or `--sweep` flags used as written.
    pub(crate) readme_flags: Vec<Pick>,
    /// `--sweep` flags as (path, values).
    pub(crate) sweeps: Vec<(PathPick, String)>,
}

/// Values users and attackers write: limits of every numeric type,
/// durations from zero to beyond the clock, degenerate distributions.
const EXTREMES: &[&str] = &[
    "0",
    "-1",
    "1",
    "2",
    "1000000",
    "100000000",
    "4294967296",
    "9007199254740993",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "0.0",
    "-0.0",
    "1e-300",
    "5e-324",
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "-inf",
    "0.5",
    "true",
    "[]",
    "{}",
    "[1, 2, 3]",
    "[[]]",
    "{ a = 1 }",
    "\"\"",
    "\"x\"",
    "\"0s\"",
    "\"1us\"",
    "\"0us\"",
    "\"-1s\"",
    "\"1e9y\"",
    "\"584942y\"",
    "\"99999999999999999999h\"",
    "\"1.5y\"",
    "\"30d\"",
    "\"exponential(mean = 0s)\"",
    "\"exponential(mean = 1us)\"",
    "\"exponential(0s)\"",
    "\"fixed(0s)\"",
    "\"fixed(1us)\"",
    "\"weibull(shape = 0, scale = 1h)\"",
    "\"weibull(shape = 1e-300, scale = 1y)\"",
    "\"lognormal(mean = 1h, sd = 1e308h)\"",
    "\"lognormal(mean = 0s, sd = 0s)\"",
    "\"uniform(1h, 0s)\"",
    "\"empirical()\"",
    "\"1/0s\"",
    "\"1e308/y\"",
    "\"0/h\"",
    "\"100%\"",
    "\"-5%\"",
    "\"99999%\"",
    "\"builtin:web-n-plus-1\"",
    "\"builtin:nope\"",
    "\"base.toml\"",
    "\"é\\u0000\\t\"",
];

/// Tokens inserted into text: TOML punctuation, table headers, a base.
const TOKENS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    "=",
    "\"",
    "'",
    ".",
    ",",
    "\n",
    "#",
    "\t",
    "\u{0}",
    "é",
    "\u{feff}",
    "\r\n",
    "[[component]]\n",
    "[[fault]]\n",
    "[service]\n",
    "[sweep]\n",
    "[sweep.parameters]\n",
    "[simulation]\n",
    "[[invariant]]\n",
    "remove = true\n",
    "template = \"x\"\n",
    "extends = \"builtin:web-n-plus-1\"\n",
    "extends = \"base.toml\"\n",
    "count = 100000\n",
    "horizon = \"1us\"\n",
    "replications = 10000000\n",
];

/// Values of `--sweep`: lists, arrays and ranges, some empty, some huge,
/// some overflowing.
const SWEEP_VALUES: &[&str] = &[
    "2..6",
    "1..3",
    "0..0",
    "6..2",
    "1..100000",
    "1..100001",
    "0..9223372036854775807",
    "9223372036854775800..9223372036854775807",
    "-9223372036854775808..9223372036854775807:4611686018427387904",
    "9007199254740992..9007199254740999",
    "1..2:0",
    "1..2:-1",
    "0.5..1:0.25",
    "0.5..1:1e-300",
    "0..1e308:1e307",
    "nan..1",
    "1..inf",
    "10s..60s:10s",
    "10s..60s:0s",
    "1us..1000y:1us",
    "1h..1us",
    "2,3,4",
    ",",
    "",
    "[]",
    "[[\"a\"], [\"a\", \"b\"]]",
    "[1, \"x\", true]",
    "1y,1us,0s",
];

fn pick() -> impl Strategy<Value = Pick> {
    (0.0f64..1.0).prop_map(Pick)
}

fn extreme() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(EXTREMES).prop_map(str::to_string),
        1 => "[a-z0-9 .=\"(),%/-]{0,12}",
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => (pick(), extreme()).prop_map(|(line, value)| Edit::Value { line, value }),
        2 => (pick(), 1usize..8).prop_map(|(line, count)| Edit::Delete { line, count }),
        2 => (pick(), 1usize..12, prop_oneof![4 => 1usize..4, 1 => 4usize..400])
            .prop_map(|(line, count, times)| Edit::Repeat { line, count, times }),
        3 => (pick(), prop::sample::select(TOKENS).prop_map(str::to_string))
            .prop_map(|(at, token)| Edit::Insert { at, token }),
        1 => pick().prop_map(|at| Edit::Truncate { at }),
        1 => (pick(), prop_oneof![3 => 0usize..300, 1 => Just(70_000)])
            .prop_map(|(line, len)| Edit::Long { line, len }),
        1 => (pick(), prop_oneof![Just(65_530), Just(65_536), Just(70_000)])
            .prop_map(|(line, columns)| Edit::Wide { line, columns }),
        2 => (pick(), pick(), 1usize..30, pick())
            .prop_map(|(other, from, count, at)| Edit::Splice { other, from, count, at }),
    ]
}

fn path() -> impl Strategy<Value = PathPick> {
    prop_oneof![
        6 => pick().prop_map(PathPick::Own),
        2 => pick().prop_map(PathPick::Readme),
        1 => "[a-z_]{0,8}(\\.[a-z0-9_ ]{0,8}){0,4}".prop_map(PathPick::Any),
    ]
}

fn sweep_values() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(SWEEP_VALUES).prop_map(str::to_string),
        2 => prop::collection::vec(prop::sample::select(EXTREMES), 1..4).prop_map(|v| v.join(",")),
        1 => "[0-9a-z.,:\\[\\]\"-]{0,16}",
    ]
}

/// Every fuzzed input: a seed, up to 6 edits, up to 3 `--set`, up to 2
/// README flags and up to 3 `--sweep`, fewer more often.
pub(crate) fn input() -> impl Strategy<Value = Input> {
    // Most inputs change little, so that they get past the TOML parser and
    // reach the later stages; some change a lot.
    let few = |most: usize| prop_oneof![4 => Just(0usize), 3 => Just(1usize), 1 => 2usize..=most];
    (
        pick(),
        few(6).prop_flat_map(|n| prop::collection::vec(edit(), n)),
        few(3).prop_flat_map(|n| prop::collection::vec((path(), extreme()), n)),
        prop::collection::vec(pick(), 0..2),
        prop_oneof![3 => Just(0usize), 1 => 1usize..=3]
            .prop_flat_map(|n| prop::collection::vec((path(), sweep_values()), n)),
    )
        .prop_map(|(seed, edits, sets, readme_flags, sweeps)| Input {
            seed,
            edits,
            sets,
            readme_flags,
            sweeps,
        })
}

/// The largest byte index at or below `at` that is a character boundary.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `line` with its value (after the first `=`) replaced by `value`.
fn with_value(line: &str, value: &str) -> String {
    match line.split_once('=') {
        Some((key, _)) => format!("{key}= {value}"),
        None => line.to_string(),
    }
}

/// The indices of the lines that hold `key = value`.
fn assignment_lines(lines: &[String]) -> Vec<usize> {
    (0..lines.len())
        .filter(|&i| {
            let l = lines[i].trim_start();
            l.contains('=') && !l.starts_with('#') && !l.starts_with('[')
        })
        .collect()
}

impl Input {
    /// The corpus this input draws from.
    fn corpus(&self) -> &'static Corpus {
        corpus()
    }

    /// The index of the seed this input starts from.
    pub(crate) fn seed_index(&self) -> usize {
        self.seed.of(self.corpus().seeds.len())
    }

    /// The file's text after every edit.
    pub(crate) fn text(&self) -> String {
        let corpus = self.corpus();
        let mut text = corpus.seeds[self.seed_index()].text.clone();
        for edit in &self.edits {
            text = apply(&text, edit, corpus);
        }
        text
    }

    /// The `--set` flags, as typed after `--set`.
    pub(crate) fn set_flags(&self) -> Vec<String> {
        let mut flags = self.flags(&self.sets, |v| v.trim_matches('"'));
        flags.extend(self.readme(false));
        flags
    }

    /// The `--sweep` flags, as typed after `--sweep`.
    pub(crate) fn sweep_flags(&self) -> Vec<String> {
        let mut flags = self.flags(&self.sweeps, |v| v);
        flags.extend(self.readme(true));
        flags
    }

    /// `PATH=VALUE` of each pair, the value as `shown`.
    fn flags(&self, pairs: &[(PathPick, String)], shown: fn(&str) -> &str) -> Vec<String> {
        let own = &self.corpus().seeds[self.seed_index()].paths;
        pairs
            .iter()
            .map(|(p, v)| format!("{}={}", self.path(p, own), shown(v)))
            .collect()
    }

    /// The README flags picked: its `--sweep` ones when `sweeps`, else its
    /// `--set` ones (each pick names one of either).
    fn readme(&self, sweeps: bool) -> Vec<String> {
        let (sets, sweep) = (&self.corpus().sets, &self.corpus().sweeps);
        let all = sets.len() + sweep.len();
        self.readme_flags
            .iter()
            .filter(|_| all > 0)
            .map(|p| p.of(all))
            .filter_map(|i| match (i < sets.len(), sweeps) {
                (true, false) => Some(sets[i].clone()),
                (false, true) => Some(sweep[i - sets.len()].clone()),
                _ => None,
            })
            .collect()
    }

    fn path(&self, p: &PathPick, own: &[String]) -> String {
        let readme: Vec<&str> = self
            .corpus()
            .sets
            .iter()
            .chain(&self.corpus().sweeps)
            .filter_map(|f| f.split_once('=').map(|(p, _)| p))
            .collect();
        match p {
            PathPick::Own(i) if !own.is_empty() => own[i.of(own.len())].clone(),
            PathPick::Readme(i) if !readme.is_empty() => readme[i.of(readme.len())].to_string(),
            PathPick::Any(text) => text.clone(),
            _ => "service.min_up".to_string(),
        }
    }
}

/// The `line`-th `key = value` line of `lines` rewritten by `f`.
fn rewrite(lines: &mut [String], line: Pick, f: impl Fn(&str) -> String) {
    let at = assignment_lines(lines);
    if !at.is_empty() {
        let i = at[line.of(at.len())];
        lines[i] = f(&lines[i]);
    }
}

/// `text` after `edit`.
fn apply(text: &str, edit: &Edit, corpus: &Corpus) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    match edit {
        Edit::Value { line, value } => rewrite(&mut lines, *line, |l| with_value(l, value)),
        Edit::Delete { line, count } => {
            let i = line.of(lines.len());
            let end = (i + count).min(lines.len());
            lines.drain(i.min(end)..end);
        }
        Edit::Repeat { line, count, times } => {
            let i = line.of(lines.len());
            let end = (i + count).min(lines.len());
            let chunk: Vec<String> = lines[i.min(end)..end].to_vec();
            let copies: Vec<String> = (0..*times).flat_map(|_| chunk.clone()).collect();
            lines.splice(end..end, copies);
        }
        Edit::Insert { at, token } => {
            let i = floor_boundary(text, at.of(text.len() + 1));
            return format!("{}{token}{}", &text[..i], &text[i..]);
        }
        Edit::Truncate { at } => {
            let i = floor_boundary(text, at.of(text.len() + 1));
            return text[..i].to_string();
        }
        Edit::Long { line, len } => rewrite(&mut lines, *line, |l| {
            with_value(l, &format!("\"{}\"", "n".repeat(*len)))
        }),
        Edit::Wide { line, columns } => rewrite(&mut lines, *line, |l| {
            format!("{}{}", " ".repeat(*columns), l.trim_start())
        }),
        Edit::Splice {
            other,
            from,
            count,
            at,
        } => {
            let source = &corpus.seeds[other.of(corpus.seeds.len())].text;
            let theirs: Vec<&str> = source.lines().collect();
            let start = from.of(theirs.len());
            let end = (start + count).min(theirs.len());
            let i = at.of(lines.len() + 1).min(lines.len());
            lines.splice(
                i..i,
                theirs[start.min(end)..end].iter().map(|l| l.to_string()),
            );
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}
