//! `nines validate`: every system with an exact answer that the models can
//! express, simulated with a fixed seed and compared with that answer.
//!
//! The exact values are those of the project's validation set (closed forms
//! and Markov-chain solutions, cases V01 to V12). A quantity passes when its
//! 99% confidence interval contains the exact value. Steady-state cases run
//! long replications after a warm-up, so the start-all-up bias (about 1e-5
//! in availability over a year, see V02) is far inside the interval. The
//! rare-event cases (A to GT-15e, [`rare`]) are estimated by importance
//! sampling and checked the same way.

mod rare;

use reports::{ValidationRow, validation_table};
use sim_core::stats::CONFIDENCE_99;

use crate::cli::ValidateArgs;
use crate::fail::Failure;
use crate::output::print;
use crate::run::simulate_all;

/// What a check reads from a run's summary.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Metric {
    /// Mean availability over the measured span.
    Availability,
    /// Downtime, minutes per year.
    DowntimeMinutesPerYear,
    /// Downtime, hours per year.
    DowntimeHoursPerYear,
    /// Outages per year.
    IncidentsPerYear,
    /// Component failures per replication (whole run).
    ComponentFailures,
    /// Probability of being up at the horizon.
    UpAtEnd,
    /// Mean time from all-up to the first outage, hours.
    FirstFailureHours,
    /// Failovers to another instance per year.
    FailoversPerYear,
    /// Acknowledged writes lost per year.
    LostWritesPerYear,
    /// Events that lost writes, per year.
    LossEventsPerYear,
    /// Probability that a replication loses no write.
    NoLossProbability,
}

/// One quantity with an exact value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Check {
    pub(crate) quantity: &'static str,
    pub(crate) exact: f64,
    pub(crate) metric: Metric,
}

/// One system: a scenario and the quantities checked on it.
#[derive(Clone, Debug)]
pub(crate) struct Case {
    pub(crate) id: &'static str,
    pub(crate) scenario: String,
    pub(crate) checks: Vec<Check>,
}

const fn check(quantity: &'static str, exact: f64, metric: Metric) -> Check {
    Check {
        quantity,
        exact,
        metric,
    }
}

/// A scenario text from its parts; `components` are `(name, count,
/// failure, repair)`.
fn scenario(
    name: &str,
    sim: &str,
    components: &[(&str, u32, &str, &str)],
    service: &str,
) -> String {
    let mut s = format!("[scenario]\nname = \"{name}\"\n\n[simulation]\n{sim}\n");
    for (n, count, failure, repair) in components {
        s.push_str(&format!(
            "\n[[component]]\nname = \"{n}\"\ncount = {count}\nfailure = \"{failure}\"\nrepair = \"{repair}\"\n"
        ));
    }
    s.push_str(&format!("\n[service]\n{service}\n"));
    s
}

const EXP1000: &str = "exponential(mean = 1000h)";
const EXP10: &str = "exponential(mean = 10h)";

/// V03's three different components in series.
const SERIES3: &[(&str, u32, &str, &str)] = &[
    ("c1", 1, EXP1000, EXP10),
    (
        "c2",
        1,
        "exponential(mean = 2000h)",
        "exponential(mean = 4h)",
    ),
    (
        "c3",
        1,
        "exponential(mean = 5000h)",
        "exponential(mean = 24h)",
    ),
];

/// Every case the models can express today.
pub(crate) fn cases() -> Vec<Case> {
    use Metric::*;
    let steady = |reps: u32, years: u32| {
        format!("horizon = \"{years}y\"\nwarmup = \"2000h\"\nreplications = {reps}\nseed = 2026")
    };
    vec![
        Case {
            id: "V01",
            scenario: scenario(
                "V01",
                &steady(4000, 20),
                &[("unit", 1, EXP1000, EXP10)],
                "min_up = 1",
            ),
            checks: vec![
                check(
                    "steady-state availability",
                    0.9900990099009901,
                    Availability,
                ),
                check(
                    "downtime per year (min/yr)",
                    5203.960396039604,
                    DowntimeMinutesPerYear,
                ),
                check(
                    "failure frequency (1/yr)",
                    8.673267326732674,
                    IncidentsPerYear,
                ),
            ],
        },
        Case {
            id: "V02a",
            scenario: scenario(
                "V02a",
                "horizon = \"24h\"\nreplications = 200000\nseed = 2026",
                &[("unit", 1, EXP1000, EXP10)],
                "min_up = 1",
            ),
            checks: vec![check(
                "point availability A(24 h)",
                0.9909759073407419,
                UpAtEnd,
            )],
        },
        Case {
            id: "V02b",
            scenario: scenario(
                "V02b",
                "horizon = \"8760h\"\nreplications = 40000\nseed = 2026",
                &[("unit", 1, EXP1000, EXP10)],
                "min_up = 1",
            ),
            checks: vec![
                check(
                    "interval availability over [0, 8760 h]",
                    0.9901102004951614,
                    Availability,
                ),
                check(
                    "expected failures in [0, 8760 h]",
                    8.673365356337614,
                    ComponentFailures,
                ),
            ],
        },
        Case {
            id: "V03a",
            scenario: scenario(
                "V03a",
                &steady(16000, 20),
                SERIES3,
                "min_up = 3\nwhile_down = \"keep-running\"",
            ),
            checks: vec![
                check(
                    "series availability, components keep running",
                    0.9834024326953081,
                    Availability,
                ),
                check(
                    "system failure frequency (1/yr)",
                    38781250.0 / 2648119.0,
                    IncidentsPerYear,
                ),
                check(
                    "downtime per year (h/yr)",
                    385022440.0 / 2648119.0,
                    DowntimeHoursPerYear,
                ),
            ],
        },
        Case {
            id: "V03b",
            scenario: scenario(
                "V03b",
                &steady(16000, 20),
                SERIES3,
                "min_up = 3\nwhile_down = \"suspend\"",
            ),
            checks: vec![
                check(
                    "series availability, components suspended",
                    1250.0 / 1271.0,
                    Availability,
                ),
                check(
                    "downtime per year (h/yr)",
                    183960.0 / 1271.0,
                    DowntimeHoursPerYear,
                ),
            ],
        },
        Case {
            id: "V04a",
            scenario: scenario(
                "V04a",
                "horizon = \"100y\"\nwarmup = \"2000h\"\nreplications = 4000\nseed = 2026",
                &[("unit", 2, EXP1000, EXP10)],
                "min_up = 1",
            ),
            checks: vec![
                check(
                    "1-of-2 availability, 2 crews",
                    10200.0 / 10201.0,
                    Availability,
                ),
                check(
                    "downtime per year (min/yr)",
                    525600.0 / 10201.0,
                    DowntimeMinutesPerYear,
                ),
                check(
                    "system failure frequency (1/yr)",
                    1752.0 / 10201.0,
                    IncidentsPerYear,
                ),
                check("MTTF from both up (h)", 51500.0, FirstFailureHours),
            ],
        },
        Case {
            id: "V04b",
            scenario: scenario(
                "V04b",
                "horizon = \"100y\"\nwarmup = \"2000h\"\nreplications = 4000\nseed = 2026",
                &[("unit", 2, EXP1000, EXP10)],
                "min_up = 1\nshared_repair_crews = 1",
            ),
            checks: vec![
                check(
                    "1-of-2 availability, 1 shared crew",
                    5100.0 / 5101.0,
                    Availability,
                ),
                check(
                    "downtime per year (min/yr)",
                    525600.0 / 5101.0,
                    DowntimeMinutesPerYear,
                ),
                check("MTTF from both up (h)", 51500.0, FirstFailureHours),
            ],
        },
        Case {
            id: "V05",
            scenario: scenario(
                "V05",
                &steady(4000, 50),
                &[("unit", 3, EXP1000, EXP10)],
                "min_up = 2",
            ),
            checks: vec![
                check(
                    "2-of-3 availability, own crews",
                    1030000.0 / 1030301.0,
                    Availability,
                ),
                check(
                    "downtime per year (min/yr)",
                    158205600.0 / 1030301.0,
                    DowntimeMinutesPerYear,
                ),
                check(
                    "system failure frequency (1/yr)",
                    kofn_2of3_failure_frequency(),
                    IncidentsPerYear,
                ),
            ],
        },
        Case {
            id: "V06",
            scenario: scenario(
                "V06",
                &steady(4000, 50),
                &[("unit", 3, EXP1000, EXP10)],
                "min_up = 2\nshared_repair_crews = 1",
            ),
            checks: vec![
                check(
                    "2-of-3 availability, 1 shared crew",
                    515000.0 / 515303.0,
                    Availability,
                ),
                check(
                    "downtime per year (min/yr)",
                    159256800.0 / 515303.0,
                    DowntimeMinutesPerYear,
                ),
                check("MTTF from all up (h)", 17500.0, FirstFailureHours),
            ],
        },
        Case {
            id: "V07a",
            scenario: v07("exponential(mean = 0.05h)"),
            checks: vec![
                check(
                    "active-standby availability, coverage 0.9, Exp failover",
                    59510840265305800.0 / 59525131056677329.0,
                    Availability,
                ),
                check(
                    "downtime per year (min/yr)",
                    7511239944875642400.0 / 59525131056677329.0,
                    DowntimeMinutesPerYear,
                ),
            ],
        },
        Case {
            id: "V07b",
            scenario: v07("deterministic(0.05h)"),
            checks: vec![check(
                "active-standby availability, deterministic failover",
                0.9997599189,
                Availability,
            )],
        },
        Case {
            id: "V08",
            scenario: v08(),
            checks: vec![
                check(
                    "1-of-2 availability with common cause, beta = 0.1",
                    203800.0 / 203919.0,
                    Availability,
                ),
                check(
                    "downtime per year (min/yr)",
                    20848800.0 / 67973.0,
                    DowntimeMinutesPerYear,
                ),
            ],
        },
        Case {
            id: "V09a",
            scenario: scenario(
                "V09a",
                &steady(4000, 20),
                &[("unit", 1, EXP1000, "deterministic(10h)")],
                "min_up = 1",
            ),
            checks: vec![check(
                "availability, deterministic repair",
                100.0 / 101.0,
                Availability,
            )],
        },
        Case {
            id: "V09b",
            scenario: scenario(
                "V09b",
                &steady(4000, 20),
                &[("unit", 1, EXP1000, "lognormal(mean = 10h, sd = 5h)")],
                "min_up = 1",
            ),
            checks: vec![check(
                "availability, lognormal repair",
                100.0 / 101.0,
                Availability,
            )],
        },
        Case {
            id: "V09c",
            scenario: scenario(
                "V09c",
                &steady(4000, 20),
                &[(
                    "unit",
                    1,
                    "weibull(shape = 2, scale = 1000h)",
                    "deterministic(10h)",
                )],
                "min_up = 1",
            ),
            checks: vec![check(
                "availability, Weibull(2, 1000 h) failures",
                weibull_availability(),
                Availability,
            )],
        },
        Case {
            id: "V09d",
            scenario: scenario(
                "V09d",
                &steady(4000, 50),
                &[("unit", 3, EXP1000, "lognormal(mean = 10h, sd = 5h)")],
                "min_up = 2",
            ),
            checks: vec![check(
                "2-of-3 availability, lognormal repair",
                1030000.0 / 1030301.0,
                Availability,
            )],
        },
        Case {
            id: "V12a",
            scenario: v12("replication = \"async\", lag = \"deterministic(20ms)\""),
            checks: vec![
                check("failovers per year", 8.76, FailoversPerYear),
                check(
                    "acknowledged writes lost per year, async 20 ms",
                    0.876,
                    LostWritesPerYear,
                ),
                check(
                    "P(no data-loss event in a year)",
                    (-8.76 * (1.0 - (-0.1f64).exp())).exp(),
                    NoLossProbability,
                ),
            ],
        },
        Case {
            id: "V12b",
            scenario: v12("replication = \"batch\", ship_every = \"60s\""),
            checks: vec![
                check(
                    "writes lost per year, batches every 60 s",
                    8.76 * 150.0,
                    LostWritesPerYear,
                ),
                check(
                    "loss events per year, batches every 60 s",
                    8.76 * (299.0 / 300.0 + (-300.0f64).exp() / 300.0),
                    LossEventsPerYear,
                ),
            ],
        },
    ]
}

/// A pair of hosts in one zone, one instance of `service` on each, up
/// while one is: the infrastructure-model cases. `sim` is the
/// `[simulation]` table's body, `extra` more keys of the service, `faults`
/// the `[[fault]]` tables.
fn pair_system(name: &str, sim: &str, service: &str, extra: &str, faults: &str) -> String {
    format!(
        r#"
[scenario]
name = "{name}"

[simulation]
{sim}

[[region]]
name = "r"

[[zone]]
name = "z"
region = "r"
hosts_per_rack = 2

[[service]]
name = "{service}"
instances = 2
min_healthy = 1
{extra}

[entry]
service = "{service}"
from = "r"
{faults}"#
    )
}

/// Host crashes on every host, `every` apart, repaired in `repair`.
fn crashes(every: &str, repair: &str) -> String {
    format!(
        "\n[[fault]]\nkind = \"host-crash\"\ntargets = \"all\"\nevery = \"{every}\"\nrepair = \"{repair}\"\n"
    )
}

/// V07 through the infrastructure model: two hosts, an active and a hot
/// standby, each repaired on its own; losing the active one costs a
/// failover, automatic with probability 0.9 (in `failover`), else a manual
/// recovery in Exp(1 h).
fn v07(failover: &str) -> String {
    pair_system(
        "V07",
        "horizon = \"100y\"\nwarmup = \"2000h\"\nreplications = 1000\nseed = 2026",
        "pair",
        &format!(
            "failover = {{ duration = \"{failover}\", coverage = 0.9, manual = \"exponential(mean = 1h)\" }}"
        ),
        &crashes("exponential(mean = 1000h)", "exponential(mean = 10h)"),
    )
}

/// V12 through the infrastructure model: a primary and a standby, 5
/// acknowledged writes per second, each host failing at 0.001 per hour and
/// back in a second; a failover (one second) promotes the standby and
/// loses what the primary had not shipped.
fn v12(replication: &str) -> String {
    pair_system(
        "V12",
        "horizon = \"1y\"\nreplications = 20000\nseed = 2026",
        "db",
        &format!(
            "failover = {{ duration = \"deterministic(1s)\" }}\ndata = {{ writes_per_s = 5, {replication} }}"
        ),
        &crashes("exponential(rate = 0.001/h)", "deterministic(1s)"),
    )
}

/// V08 through the infrastructure model: two hosts, one instance each, up
/// while one is; independent crashes at 0.9 lambda per host and a common
/// shock at 0.1 lambda that fails every working host, each repaired on its
/// own in Exp(10 h).
fn v08() -> String {
    pair_system(
        "V08",
        "horizon = \"100y\"\nwarmup = \"2000h\"\nreplications = 4000\nseed = 2026",
        "pair",
        "",
        &format!(
            "{}\n[[fault]]\nkind = \"common-cause\"\ntargets = \"all\"\nevery = \"exponential(rate = 0.1/1000h)\"\nrepair = \"exponential(mean = 10h)\"\n",
            crashes("exponential(rate = 0.9/1000h)", "exponential(mean = 10h)")
        ),
    )
}

/// V05: a 2-of-3 system fails when one of three running units fails
/// while another is down: 3a^2(1-a) * 2 lambda per hour, times 8760.
fn kofn_2of3_failure_frequency() -> f64 {
    let a = 100.0 / 101.0;
    3.0 * a * a * (1.0 - a) * 2.0 / 1000.0 * 8760.0
}

/// V09c: a Weibull(shape 2, scale 1000 h) life has mean 500 sqrt(pi) h;
/// with a 10 h repair, A = MTTF / (MTTF + 10).
fn weibull_availability() -> f64 {
    let mttf = 500.0 * std::f64::consts::PI.sqrt();
    mttf / (mttf + 10.0)
}

/// Runs one case and compares each of its quantities.
pub(crate) fn run_case(case: &Case, threads: usize) -> Result<Vec<ValidationRow>, Failure> {
    let scenario = scenarios::parse(&case.scenario, &format!("validation:{}", case.id))
        .map_err(|e| Failure::internal(format!("validation case {} is invalid: {e}", case.id)))?;
    let s = simulate_all(&scenario, threads)?;
    let hours_per_min = 1.0 / 60.0;
    let mut rows = Vec::new();
    for c in &case.checks {
        let (welford, scale) = match c.metric {
            Metric::Availability => (&s.availability, 1.0),
            Metric::DowntimeMinutesPerYear => (&s.downtime_minutes_per_year, 1.0),
            Metric::DowntimeHoursPerYear => (&s.downtime_minutes_per_year, hours_per_min),
            Metric::IncidentsPerYear => (&s.incidents_per_year, 1.0),
            Metric::ComponentFailures => (&s.component_failures, 1.0),
            Metric::UpAtEnd => (&s.up_at_end, 1.0),
            Metric::FailoversPerYear
            | Metric::LostWritesPerYear
            | Metric::LossEventsPerYear
            | Metric::NoLossProbability => {
                let sys = s.system.as_ref().ok_or_else(|| {
                    Failure::internal(format!("validation case {} measures no data", case.id))
                })?;
                let w = match c.metric {
                    Metric::FailoversPerYear => &sys.failovers_per_year,
                    Metric::LostWritesPerYear => &sys.lost_writes_per_year,
                    Metric::LossEventsPerYear => &sys.loss_events_per_year,
                    _ => &sys.no_loss,
                };
                (w, 1.0)
            }
            Metric::FirstFailureHours => {
                if s.no_failure_replications > 0 {
                    return Err(Failure::internal(format!(
                        "validation case {}: {} replications never failed; lengthen the horizon",
                        case.id, s.no_failure_replications
                    )));
                }
                (&s.first_failure_hours, 1.0)
            }
        };
        let e = models::summary::Summary::estimate(welford, CONFIDENCE_99).ok_or_else(|| {
            Failure::internal(format!(
                "validation case {} has too few replications",
                case.id
            ))
        })?;
        let (estimate, ci_low, ci_high) = (e.mean * scale, e.ci_low * scale, e.ci_high * scale);
        rows.push(ValidationRow {
            case: case.id.to_string(),
            quantity: c.quantity.to_string(),
            exact: c.exact,
            estimate,
            ci_low,
            ci_high,
            confidence: CONFIDENCE_99,
            replications: e.n,
            pass: ci_low <= c.exact && c.exact <= ci_high,
        });
    }
    Ok(rows)
}

/// The request-level cases (queueing: V10, V11): pools of servers behind
/// each dispatch policy, against Erlang C, M/M/1 and E4/M/1.
fn request_rows(filter: Option<&str>, threads: usize) -> Result<Vec<ValidationRow>, Failure> {
    let mut rows = Vec::new();
    for case in models::request::validation::validation_cases() {
        if !filter.is_none_or(|p| case.id.starts_with(p)) {
            continue;
        }
        let results = case
            .run(threads)
            .map_err(|e| Failure::internal(format!("validation case {}: {e}", case.id)))?;
        for r in results {
            rows.push(ValidationRow {
                case: r.case.to_string(),
                quantity: r.quantity.to_string(),
                exact: r.exact,
                estimate: r.estimate.mean,
                ci_low: r.estimate.ci_low,
                ci_high: r.estimate.ci_high,
                confidence: CONFIDENCE_99,
                replications: r.estimate.n,
                pass: r.pass,
            });
        }
    }
    Ok(rows)
}

/// `nines validate`.
pub(crate) fn validate(args: ValidateArgs) -> Result<(), Failure> {
    let selected: Vec<Case> = cases()
        .into_iter()
        .filter(|c| args.case.as_deref().is_none_or(|p| c.id.starts_with(p)))
        .collect();
    let request_ids: Vec<&str> = models::request::validation::validation_cases()
        .iter()
        .map(|c| c.id)
        .collect();
    let any_request = request_ids
        .iter()
        .any(|id| args.case.as_deref().is_none_or(|p| id.starts_with(p)));
    let any_rare = rare::IDS
        .iter()
        .any(|id| args.case.as_deref().is_none_or(|p| id.starts_with(p)));
    if selected.is_empty() && !any_request && !any_rare {
        let mut ids: Vec<&str> = cases().iter().map(|c| c.id).collect();
        ids.extend(request_ids);
        ids.extend(rare::IDS);
        return Err(Failure::input(format!(
            "--case {}: no such validation case; expected one of {}",
            args.case.unwrap_or_default(),
            ids.join(", ")
        )));
    }
    let mut rows = Vec::new();
    for case in &selected {
        rows.extend(run_case(case, args.threads)?);
    }
    rows.extend(request_rows(args.case.as_deref(), args.threads)?);
    if any_rare {
        rows.extend(rare::rows(args.case.as_deref())?);
    }
    let text = if args.json {
        let mut t = serde_json::to_string_pretty(&rows)
            .map_err(|e| Failure::internal(format!("cannot encode the results: {e}")))?;
        t.push('\n');
        t
    } else {
        validation_table(&rows)
    };
    print(&text)?;
    let failed: Vec<String> = rows
        .iter()
        .filter(|r| !r.pass)
        .map(|r| format!("{} {}", r.case, r.quantity))
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::check(format!(
            "{} of {} quantities fall outside their 99% interval: {}",
            failed.len(),
            rows.len(),
            failed.join("; ")
        )))
    }
}
