//! What maintenance renews (`resets`) and age-based restarts
//! (`after_uptime`): what they build, and their errors located.

use models::system::spec::Occurrence;
use sim_core::time::SimDuration;

use super::{BASE, check, check_nth, spec};

const AGING: &str = "[[fault]]\nkind = \"aging\"\ntargets = \"all\"\nevery = \"weibull(shape = 3, scale = 30d)\"\nrepair = \"fixed(15m)\"\n";

/// The base system (a host crash), an aging fault, a zone outage on a
/// schedule, and a maintenance fault with `keys`.
fn with_maintenance(keys: &str) -> String {
    format!(
        "{BASE}\n{AGING}\n[[fault]]\nname = \"drill\"\nkind = \"zone-outage\"\ntargets = \"east-a\"\nat = \"30d\"\nrepair = \"fixed(1h)\"\n\n[[fault]]\nname = \"restart\"\nkind = \"maintenance\"\ntargets = \"all\"\n{keys}\nrepair = \"fixed(2m)\"\n"
    )
}

#[test]
fn a_window_renews_every_aging_fault_by_default() {
    let s = spec(&with_maintenance("at = \"7d\"\nrepeat = \"7d\""));
    assert_eq!(s.faults[3].name, "restart");
    assert_eq!(s.faults[3].resets, vec![1]);
    // Other faults renew nothing.
    assert!(s.faults[..3].iter().all(|f| f.resets.is_empty()));
}

#[test]
fn resets_names_the_faults_or_none() {
    let s = spec(&with_maintenance("at = \"7d\"\nresets = \"none\""));
    assert!(s.faults[3].resets.is_empty());
    let s = spec(&with_maintenance(
        "at = \"7d\"\nresets = [\"aging\", \"host-crash\", \"aging\"]",
    ));
    assert_eq!(s.faults[3].resets, vec![0, 1]);
    let s = spec(&with_maintenance("at = \"7d\"\nresets = \"host-crash\""));
    assert_eq!(s.faults[3].resets, vec![0]);
    let s = spec(&with_maintenance("at = \"7d\"\nresets = []"));
    assert!(s.faults[3].resets.is_empty());
}

#[test]
fn after_uptime_builds_an_age_based_restart() {
    let s = spec(&with_maintenance("after_uptime = \"10d\""));
    assert_eq!(
        s.faults[3].occurrence,
        Occurrence::AfterUptime {
            uptime: SimDuration::from_hours(240)
        }
    );
    assert_eq!(s.faults[3].resets, vec![1]);
}

#[test]
fn resets_errors_are_located() {
    let text = with_maintenance("at = \"7d\"\nresets = [\"agin\"]");
    check(&text, "\"agin\"", "fault.resets", "did you mean `aging`?");
    let text = with_maintenance("at = \"7d\"\nresets = [\"aging\", \"drill\"]");
    check(
        &text,
        "\"drill\"]",
        "fault.resets",
        "`drill` is a zone-outage fault",
    );
    let text = with_maintenance("at = \"7d\"\nresets = \"restart\"");
    check_nth(
        &text,
        "\"restart\"\n",
        1,
        "fault.resets",
        "is a maintenance fault",
    );
    let text = with_maintenance("at = \"7d\"\nresets = 3");
    check(
        &text,
        "3\nrepair",
        "fault.resets",
        "a name or a list of names",
    );
    // A host fault on a schedule has no age to renew.
    let text = format!(
        "{}\n[[fault]]\nname = \"planned-crash\"\nkind = \"host-crash\"\ntargets = \"all\"\nat = \"1d\"\nrepair = \"fixed(1h)\"\n",
        with_maintenance("at = \"7d\"\nresets = [\"planned-crash\"]")
    );
    check(
        &text,
        "\"planned-crash\"]",
        "fault.resets",
        "does not happen at random",
    );
    // Only maintenance renews.
    let text = format!("{BASE}\n{AGING}resets = \"none\"\n");
    check(
        &text,
        "\"none\"",
        "fault.resets",
        "`resets` does not apply to a aging fault; it belongs to maintenance",
    );
}

#[test]
fn after_uptime_errors_are_located() {
    let text = with_maintenance("after_uptime = \"0s\"");
    check(&text, "\"0s\"", "fault.after_uptime", "the uptime is zero");
    let text = with_maintenance("after_uptime = \"ten days\"");
    check(&text, "\"ten days\"", "fault.after_uptime", "");
    let text = with_maintenance("after_uptime = \"10d\"\nevery = \"exponential(mean = 30d)\"");
    check(
        &text,
        "\"exponential(mean = 30d)\"\nrepair = \"fixed(2m)\"",
        "fault.every",
        "both `every` and `after_uptime`",
    );
    let text = with_maintenance("after_uptime = \"10d\"\nstagger = \"1h\"");
    check(
        &text,
        "\"1h\"",
        "fault.stagger",
        "instead of `after_uptime`",
    );
    let text = format!("{BASE}\n{AGING}after_uptime = \"10d\"\n");
    check(
        &text,
        "\"10d\"",
        "fault.after_uptime",
        "does not apply to a aging fault; it belongs to maintenance",
    );
}
