//! The prices beyond instances: what every key builds, and every bad
//! value located.

use models::system::spec::{BackupCost, SlaTier};

use super::*;

/// The base system with every cost key set.
fn priced() -> String {
    BASE.replacen(
        "[[region]]\nname = \"east\"\n",
        "[[region]]\nname = \"east\"\ncost_per_year = 1000\n",
        1,
    )
    .replacen(
        "hosts_per_rack = 2\n",
        "hosts_per_rack = 2\ncost_per_year = 200\nhost_cost_per_hour = \"12/d\"\n",
        1,
    )
    .replacen("crews = 1", "crews = 3\ncost_per_crew_per_year = 50000", 1)
    .replacen("team = \"oncall\"", "team = \"oncall\"\nrepair_cost = 300", 1)
    .replacen(
        "downtime_per_minute = 50.0",
        "downtime_per_minute = 50.0\nper_incident = 250\ncross_zone_per_gb = 0.01\ncross_region_per_gb = 0.02\nsla_credits = [{ below = \"99.9%\", credit = 1000 }, { below = 0.99, credit = 5000 }]",
        1,
    )
    .replacen(
        "load_rps = 150",
        "load_rps = 150\nrequest_size = \"16KB\"",
        1,
    )
    .replacen(
        "min_healthy = 2",
        "min_healthy = 1\nfailover = { duration = \"exp(mean = 1m)\" }\ndata = { writes_per_s = 5, replication = \"sync\", write_size = \"4KiB\", backup_every = \"1h\", backup_retain = 24, backup_run_cost = 0.5, backup_copy_cost_per_hour = \"1/30d\" }",
        1,
    )
}

#[test]
fn every_cost_key_builds_its_price() {
    let s = spec(&priced());
    let c = &s.costs;
    assert_eq!(c.region_per_year, vec![1000.0, 0.0]);
    assert_eq!(c.zone_per_year, vec![200.0, 0.0, 0.0]);
    // The four hosts of east-a at 0.5 an hour, the others free.
    assert_eq!(
        c.host_per_hour,
        [vec![0.5; 4], vec![0.0; 6]].concat(),
        "{:?}",
        c.host_per_hour
    );
    assert_eq!(c.crew_per_year, vec![50000.0]);
    assert_eq!(s.teams[0].crews, 3);
    assert_eq!(c.per_repair, vec![300.0]);
    assert_eq!(c.per_incident, 250.0);
    assert_eq!(c.cross_zone_per_gb, 0.01);
    assert_eq!(c.cross_region_per_gb, 0.02);
    assert_eq!(
        c.sla_credits,
        vec![
            SlaTier {
                below: 99.9 / 100.0,
                credit: 1000.0
            },
            SlaTier {
                below: 0.99,
                credit: 5000.0
            }
        ]
    );
    assert_eq!(c.write_bytes, vec![4096.0, 0.0]);
    assert_eq!(c.request_bytes, vec![0.0, 16000.0]);
    assert_eq!(
        c.backups,
        vec![
            Some(BackupCost {
                per_run: 0.5,
                retain: 24,
                per_copy_hour: 1.0 / 720.0,
            }),
            None
        ]
    );
}

#[test]
fn without_cost_keys_every_price_is_zero() {
    assert_eq!(spec(BASE).costs, models::system::spec::CostSpec::default());
}

#[test]
fn bad_cost_values_are_located() {
    let t = priced();
    for (from, to, marker, key, needle) in [
        (
            "cost_per_year = 1000",
            "cost_per_year = -1",
            "-1",
            "region.cost_per_year",
            "expected a non-negative amount per year",
        ),
        (
            "cost_per_year = 200",
            "cost_per_year = -2",
            "-2",
            "zone.cost_per_year",
            "expected a non-negative amount per year",
        ),
        (
            "\"12/d\"",
            "\"12 a day\"",
            "\"12 a day\"",
            "zone.host_cost_per_hour",
            "has no `/`",
        ),
        (
            "cost_per_crew_per_year = 50000",
            "cost_per_crew_per_year = -5",
            "-5",
            "team.cost_per_crew_per_year",
            "per crew per year",
        ),
        (
            "repair_cost = 300",
            "repair_cost = -300",
            "-300",
            "fault.repair_cost",
            "per repair",
        ),
        (
            "per_incident = 250",
            "per_incident = -250",
            "-250",
            "cost.per_incident",
            "per incident",
        ),
        (
            "cross_zone_per_gb = 0.01",
            "cross_zone_per_gb = -0.01",
            "-0.01",
            "cost.cross_zone_per_gb",
            "per gigabyte",
        ),
        (
            "cross_region_per_gb = 0.02",
            "cross_region_per_gb = -0.02",
            "-0.02",
            "cost.cross_region_per_gb",
            "per gigabyte",
        ),
        (
            "below = \"99.9%\"",
            "below = \"120%\"",
            "\"120%\"",
            "cost.sla_credits.below",
            "at most 100%",
        ),
        (
            "below = 0.99",
            "below = 0",
            "0, credit",
            "cost.sla_credits.below",
            "more than 0",
        ),
        (
            "credit = 5000",
            "credit = -5000",
            "-5000",
            "cost.sla_credits.credit",
            "per month that breaches the tier",
        ),
        (
            "\"16KB\"",
            "\"16 kilobytes\"",
            "\"16 kilobytes\"",
            "service.request_size",
            "has no unit of size",
        ),
        (
            "\"4KiB\"",
            "\"KiB\"",
            "\"KiB\"",
            "service.data.write_size",
            "is not a size",
        ),
        (
            "\"4KiB\"",
            "-4",
            "-4",
            "service.data.write_size",
            "expected a number of bytes, 0 or more",
        ),
        (
            "backup_retain = 24",
            "backup_retain = 0",
            "0, backup_run_cost",
            "service.data.backup_retain",
            "expected an integer from 1 to 100000",
        ),
        (
            "backup_run_cost = 0.5",
            "backup_run_cost = -0.5",
            "-0.5",
            "service.data.backup_run_cost",
            "per backup run",
        ),
        (
            "\"1/30d\"",
            "\"-1/30d\"",
            "\"-1/30d\"",
            "service.data.backup_copy_cost_per_hour",
            "not a cost",
        ),
    ] {
        assert!(t.contains(from), "{from}");
        let bad = t.replacen(from, to, 1);
        check(&bad, marker, key, needle);
    }
}

#[test]
fn backup_prices_need_backups_and_write_sizes_need_replication() {
    let t = priced().replacen("backup_every = \"1h\", ", "", 1);
    for (key, value) in [
        ("backup_retain", "24,"),
        ("backup_run_cost", "0.5,"),
        ("backup_copy_cost_per_hour", "\"1/30d\""),
    ] {
        check(
            &t,
            value,
            &format!("service.data.{key}"),
            "expected `backup_every` beside it",
        );
    }
    let t = priced().replacen("replication = \"sync\", ", "", 1);
    check(
        &t,
        "\"4KiB\"",
        "service.data.write_size",
        "expected `replication`",
    );
}

#[test]
fn misspelled_cost_keys_are_refused() {
    for (from, to) in [
        ("backup_retain = 24", "backup_retian = 24"),
        ("per_incident = 250", "per_incidnet = 250"),
        ("repair_cost = 300", "repair_costs = 300"),
        ("credit = 1000", "credits = 1000"),
    ] {
        let e = message(&priced().replacen(from, to, 1));
        let key = to.split(' ').next().unwrap();
        assert!(e.contains(&format!("unknown field `{key}`")), "{to}: {e}");
    }
}

#[test]
fn sizes_read_in_bytes() {
    for (text, bytes) in [
        ("4KB", 4000.0),
        ("4kB", 4000.0),
        ("1.5 MB", 1.5e6),
        ("2GB", 2e9),
        ("64KiB", 65536.0),
        ("1MiB", 1048576.0),
        ("1GiB", 1073741824.0),
        ("512B", 512.0),
        ("1e3B", 1000.0),
        (".5KB", 500.0),
    ] {
        assert_eq!(parse_size(text), Ok(bytes), "{text}");
    }
    for bad in ["4", "KB", "4 kb", "4XB", "-4KB", "inf KB", "four KB"] {
        assert!(parse_size(bad).is_err(), "{bad}");
    }
}
