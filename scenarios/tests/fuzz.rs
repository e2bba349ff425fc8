//! The fuzz target, bounded for CI: mutated built-ins, README examples
//! and test scenarios, with `--set` and `--sweep` flags, go through parse,
//! compose, `--set`, sweep expansion and build; none may panic, and the
//! mutations must reach every stage (a fuzzer whose inputs all die at the
//! TOML parser tests nothing). The long run is `cargo run --release -p
//! scenarios --example fuzz -- --inputs 1000000`.

mod fuzz {
    pub(crate) mod corpus;
    pub(crate) mod mutate;
    pub(crate) mod pipeline;
}

use std::collections::BTreeMap;

use fuzz::mutate::input;
use fuzz::pipeline::{Outcome, run};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn no_input_makes_the_pipeline_panic(input in input()) {
        run(&input);
    }
}

#[test]
fn the_corpus_holds_every_kind_of_seed() {
    let corpus = fuzz::corpus::corpus();
    let origins: Vec<&str> = corpus.seeds.iter().map(|s| s.origin.as_str()).collect();
    assert!(origins.iter().any(|o| o.starts_with("builtin:")));
    assert!(origins.iter().any(|o| o.starts_with("README.md#")));
    assert!(origins.contains(&"base.toml"));
    assert!(!corpus.sets.is_empty(), "the README's --set flags");
    assert!(!corpus.sweeps.is_empty(), "the README's --sweep flags");
    assert!(corpus.seeds.iter().all(|s| !s.text.is_empty()));
}

#[test]
fn mutated_inputs_reach_every_stage() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = input();
    let mut seen = BTreeMap::new();
    for _ in 0..600 {
        let case = strategy.new_tree(&mut runner).expect("an input").current();
        *seen.entry(run(&case)).or_insert(0usize) += 1;
    }
    for outcome in Outcome::ALL {
        assert!(
            seen.get(&outcome).copied().unwrap_or(0) >= 6,
            "{outcome:?} reached by too few inputs: {seen:?}"
        );
    }
}
