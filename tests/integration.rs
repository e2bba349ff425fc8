//! Integration tests of nines, in one binary, grouped by purpose.

#[path = "integration/support.rs"]
mod support;

#[path = "integration/cli.rs"]
mod cli;
#[path = "integration/determinism.rs"]
mod determinism;
#[path = "integration/errors.rs"]
mod errors;
#[path = "integration/faults.rs"]
mod faults;
#[path = "integration/rankings.rs"]
mod rankings;
#[path = "integration/requests.rs"]
mod requests;
#[path = "integration/streams.rs"]
mod streams;
#[path = "integration/validation.rs"]
mod validation;
