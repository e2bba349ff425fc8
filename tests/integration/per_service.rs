//! Data and failover figures per service, and a headline that speaks of
//! the entry service and what it needs rather than of every service.

use crate::support::nines_json;

fn service<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no service {name}"))
}

/// In `dr-strategies` the entry (active-active) keeps no data of its own
/// and needs neither of the other two strategies: the headline loses
/// nothing, while the backup-restore and hot-standby strategies each
/// report their own losses and failovers.
#[test]
fn services_beside_the_entry_keep_their_losses_to_themselves() {
    let v = nines_json(&[
        "run",
        "dr-strategies",
        "--replications",
        "40",
        "--seed",
        "2",
        "--json",
        "-",
    ]);
    let headline = &v["data"];
    assert_eq!(headline["lost_writes_per_year"]["mean"], 0.0, "{headline}");
    assert_eq!(headline["failovers_per_year"]["mean"], 0.0, "{headline}");
    let backup = &service(&v, "app-backup-restore")["data"];
    let standby = &service(&v, "app-hot-standby")["data"];
    assert!(
        backup["lost_writes_per_year"]["mean"].as_f64().unwrap() > 1e5,
        "{backup}"
    );
    assert!(
        standby["failovers_per_year"]["mean"].as_f64().unwrap() > 0.5,
        "{standby}"
    );
    // A day of writes at most between nightly backups, a few seconds of
    // lag at most for the replica.
    assert!(
        backup["worst_rpo_hours"].as_f64().unwrap() <= 24.0,
        "{backup}"
    );
    assert!(
        standby["worst_rpo_hours"].as_f64().unwrap() < 0.01,
        "{standby}"
    );
    assert!(service(&v, "app-active-active").get("data").is_none());
}

/// When the one stateful service is one the entry needs, the headline is
/// exactly that service's figures.
#[test]
fn the_headline_is_the_entrys_stateful_dependency() {
    let v = nines_json(&[
        "run",
        "db-active-passive",
        "--replications",
        "30",
        "--seed",
        "2",
        "--json",
        "-",
    ]);
    let db = &service(&v, "db")["data"];
    for key in [
        "lost_writes_per_year",
        "loss_events_per_year",
        "failovers_per_year",
    ] {
        assert_eq!(v["data"][key], db[key], "{key}");
    }
    assert_eq!(v["data"]["worst_rpo_hours"], db["worst_rpo_hours"]);
    assert!(service(&v, "web").get("data").is_none());
}
