//! Malformed scenario files never make the parser panic: random TOML,
//! truncated and mangled built-ins, huge numbers, deep nesting. Each gives
//! a result: a scenario, or errors.

use proptest::prelude::*;
use scenarios::library::BUILTINS;
use scenarios::schedule::{self, ScheduledFault};
use sim_core::time::{SimDuration, SimTime};

/// Parses `text` as a plain file and as a composed one, and rewrites its
/// faults and simulation settings as shrinking does; none may panic.
fn survive(text: &str) {
    let _ = scenarios::parse(text, "fuzz.toml");
    let at = SimTime::from_duration(SimDuration::from_hours(1));
    let faults = [
        ScheduledFault {
            fault: 0,
            target: None,
            at,
            duration: SimDuration::ZERO,
        },
        ScheduledFault {
            fault: 1,
            target: Some("h".into()),
            at,
            duration: SimDuration::from_hours(1),
        },
    ];
    let _ = schedule::with_scheduled_faults(text, "fuzz.toml", &faults, "fuzz");
    let settings = scenarios::SimulationSettings {
        horizon: SimDuration::from_hours(2),
        warmup: SimDuration::ZERO,
        replications: 2,
        seed: 3,
    };
    let _ = schedule::set_simulation(text, "fuzz.toml", &settings);
    if let Ok(c) =
        scenarios::compose::Composed::new(text, "fuzz.toml", &scenarios::compose::builtins_only)
    {
        let _ = c.build();
        if let Some(sweep) = c.sweep() {
            for p in sweep.points().iter().take(4) {
                let _ = c.at_point(p).and_then(|p| p.build());
            }
        }
    }
}

/// A prefix of `text` ending at a character boundary near `at` (0..=1).
fn prefix(text: &str, at: f64) -> &str {
    let mut end = ((text.len() as f64) * at) as usize;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

const STRANGE: &[&str] = &[
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "0",
    "-1",
    "\"\"",
    "\"1e999y\"",
    "\"exponential(mean = 0s)\"",
    "\"weibull(shape = 0, scale = 1h)\"",
    "\"999999999999y\"",
    "[]",
    "{}",
    "true",
    "\"99999%\"",
];

/// The keys of an `[[invariant]]` table.
const INVARIANT_KEYS: &[&str] = &[
    "name",
    "outage_max",
    "downtime_max",
    "window",
    "lost_writes_max",
    "split_brain_max",
    "failovers_max",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn truncated_builtins(i in 0..BUILTINS.len(), at in 0.0f64..1.0) {
        survive(prefix(BUILTINS[i].source, at));
    }

    #[test]
    fn values_replaced_by_strange_ones(i in 0..BUILTINS.len(), line in 0usize..400, v in 0..STRANGE.len()) {
        let text = BUILTINS[i].source;
        let lines: Vec<&str> = text.lines().collect();
        let n = line % lines.len();
        let mut out = Vec::new();
        for (k, l) in lines.iter().enumerate() {
            match (k == n, l.split_once('=')) {
                (true, Some((key, _))) => out.push(format!("{key}= {}", STRANGE[v])),
                _ => out.push((*l).to_string()),
            }
        }
        survive(&out.join("\n"));
    }

    #[test]
    fn invariants_with_strange_values(
        i in 0..BUILTINS.len(),
        key in 0..INVARIANT_KEYS.len(),
        other in 0..INVARIANT_KEYS.len(),
        v in 0..STRANGE.len(),
        w in 0..STRANGE.len(),
    ) {
        let text = format!(
            "{}\n[[invariant]]\n{} = {}\n{} = {}\n",
            BUILTINS[i].source, INVARIANT_KEYS[key], STRANGE[v], INVARIANT_KEYS[other], STRANGE[w]
        );
        survive(&text);
        let slo = BUILTINS[i].source.replacen(
            "[scenario]\n",
            &format!("[scenario]\nslo = {}\nslo_window = {}\n", STRANGE[v], STRANGE[w]),
            1,
        );
        survive(&slo);
    }

    #[test]
    fn lines_dropped_or_repeated(i in 0..BUILTINS.len(), line in 0usize..400, repeat in any::<bool>()) {
        let lines: Vec<&str> = BUILTINS[i].source.lines().collect();
        let n = line % lines.len();
        let mut out: Vec<&str> = Vec::new();
        for (k, l) in lines.iter().enumerate() {
            if k != n || repeat {
                out.push(l);
            }
            if k == n && repeat {
                out.push(l);
            }
        }
        survive(&out.join("\n"));
    }

    #[test]
    fn random_toml_like_text(s in "[\\[\\]a-z_=\\.\"{},0-9 \n#:%/()-]{0,400}") {
        survive(&s);
    }

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        survive(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for depth in [100, 1_000, 10_000, 100_000] {
        let arrays = format!("a = {}{}\n", "[".repeat(depth), "]".repeat(depth));
        survive(&arrays);
        let tables = format!("a = {}{}\n", "{ b = ".repeat(depth), "}".repeat(depth));
        survive(&tables);
        let dotted = format!("{} = 1\n", vec!["k"; depth].join("."));
        survive(&dotted);
    }
}

#[test]
fn huge_files_of_tables_are_fine() {
    let mut text = String::from("[scenario]\nname = \"big\"\n");
    for i in 0..5_000 {
        text.push_str(&format!("[[component]]\nname = \"c{i}\"\ncount = 1\nfailure = \"exponential(mean = 1y)\"\nrepair = \"exponential(mean = 1h)\"\n"));
    }
    text.push_str("[service]\nmin_up = 1\n");
    survive(&text);
}
