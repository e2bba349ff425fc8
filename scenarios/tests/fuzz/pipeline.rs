//! What each fuzzed input goes through, as `nines run` and `nines sweep`
//! take a scenario: parse, compose (bases and templates), `--set`, sweep
//! expansion, build; every error is formatted as the user would see it.

use scenarios::compose::Composed;
use scenarios::sweep::SweepSpec;

use super::corpus::{corpus, resolve};
use super::mutate::Input;

/// How far an input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Outcome {
    /// Refused while composing (TOML, `extends`, templates).
    Compose,
    /// Refused by a `--set`.
    Set,
    /// Refused by a `--sweep` or the `[sweep]` table.
    Sweep,
    /// Composed, refused when built.
    Build,
    /// Built: a scenario (at every point tried, for a sweep).
    Built,
}

impl Outcome {
    /// Every outcome, in pipeline order.
    pub(crate) const ALL: [Outcome; 5] = [
        Outcome::Compose,
        Outcome::Set,
        Outcome::Sweep,
        Outcome::Build,
        Outcome::Built,
    ];
}

/// Points of a sweep built: the first few and the last.
const POINTS_BUILT: usize = 3;

/// Runs `input` through the pipeline; a panic propagates.
pub(crate) fn run(input: &Input) -> Outcome {
    let text = input.text();
    let origin = &corpus().seeds[input.seed_index()].origin;
    // The plain parse (as `nines check` of a file without `extends`).
    if let Err(e) = scenarios::parse(&text, origin) {
        let _ = e.to_string();
    }
    let mut composed = match Composed::new(&text, origin, &resolve) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.to_string();
            return Outcome::Compose;
        }
    };
    for flag in input.set_flags() {
        if let Err(e) = composed.set(&flag) {
            let _ = e.to_string();
            return Outcome::Set;
        }
    }
    let flags = input.sweep_flags();
    if !flags.is_empty() {
        match SweepSpec::from_flags(&flags) {
            Ok(spec) => composed.set_sweep(Some(spec)),
            Err(e) => {
                let _ = e.to_string();
                return Outcome::Sweep;
            }
        }
    }
    let _ = composed.text();
    let Some(sweep) = composed.sweep() else {
        return match composed.build() {
            Ok(_) => Outcome::Built,
            Err(e) => {
                let _ = e.to_string();
                Outcome::Build
            }
        };
    };
    let points = sweep.points();
    assert_eq!(
        points.len(),
        sweep.len(),
        "a sweep has the points it counts"
    );
    let tried = points.iter().take(POINTS_BUILT).chain(
        points
            .len()
            .checked_sub(1)
            .and_then(|last| points.get(last)),
    );
    for point in tried {
        let _ = point.label();
        let built = composed.at_point(point).and_then(|c| c.build());
        if let Err(e) = built {
            let _ = e.to_string();
            return Outcome::Sweep;
        }
    }
    Outcome::Built
}
