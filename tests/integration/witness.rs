//! `two-zone-witness`: a witness in a third zone removes the needless
//! failovers that partitions between the two zones cause, and the
//! downtime of the web servers they strand.

use crate::support::nines_json;

/// The built-in run with the assignments of one of its variants.
fn design(sets: &[&str]) -> serde_json::Value {
    let mut args = vec!["run", "two-zone-witness", "--replications", "400"];
    for s in sets {
        args.extend_from_slice(&["--set", s]);
    }
    args.extend_from_slice(&["--json", "-"]);
    nines_json(&args)
}

#[test]
fn a_witness_removes_needless_failovers_and_downtime_under_partitions() {
    let lone = design(&[]);
    let witness = design(&[
        "service.db.failover.promotion=\"majority\"",
        "service.db.failover.witnesses=[\"dc-c\"]",
        "service.db.failover.witness_cost_per_hour=\"0.05/h\"",
    ]);
    let needless = |v: &serde_json::Value| {
        v["data"]["needless_failovers_per_year"]["mean"]
            .as_f64()
            .unwrap()
    };
    let down = |v: &serde_json::Value, k: &str| v["downtime_minutes_per_year"][k].as_f64().unwrap();
    // About 24 partitions a year, each a needless failover without the
    // witness; none with it (the witness keeps the primary).
    assert!(needless(&lone) > 15.0, "{}", needless(&lone));
    assert_eq!(needless(&witness), 0.0);
    assert!(
        down(&witness, "ci95_high") < down(&lone, "ci95_low"),
        "witness {} vs lone standby {} min/yr",
        down(&witness, "mean"),
        down(&lone, "mean")
    );
}
