//! Request-level scenarios: traffic, a pool behind a load balancer, and
//! what clients do about slow or failed requests.
//!
//! A file with a `[traffic]` table is request-level: it simulates hours or
//! days request by request (queues, timeouts, retries, circuit breakers,
//! a downstream dependency and fallback answers), where infrastructure
//! scenarios simulate years state by state.

use models::request::{
    Arrivals, BreakerPolicy, ClientPolicy, DependencySpec, Dispatch, HealthCheck, InstanceFaults,
    InstanceSpec, RatePoint, RequestSpec, RetryBudget, RetryPolicy,
};
use models::spec::ModelSpec;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_spanned::Spanned;
use sim_core::time::SimDuration;

use crate::Scenario;
use crate::check::Checker;
use crate::error::ScenarioError;
use crate::file::{ScenarioMeta, SimulationFile};
use crate::invariant::{Format, InvariantFile};
use crate::schema::{DispatchPolicy, Distribution, Duration};

/// A request-level scenario: a pool behind a load balancer, simulated
/// request by request.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RequestScenario")]
pub(crate) struct TrafficScenarioFile {
    /// What the scenario is: its name and a one-line description.
    scenario: ScenarioMeta,
    /// How to run it: horizon (minutes or hours here), warm-up,
    /// replications and seed.
    #[serde(default)]
    simulation: SimulationFile,
    /// How requests arrive.
    traffic: TrafficFile,
    /// The instances behind the load balancer.
    pool: PoolFile,
    /// What clients do about slow or failed requests: deadline, timeout,
    /// retries, circuit breaker, fallback.
    #[serde(default)]
    client: ClientFile,
    /// A downstream service the instances call while serving, with faults
    /// of its own.
    #[serde(default)]
    dependency: Option<DependencyFile>,
    /// Thresholds no run may cross, which `nines hunt` checks.
    #[serde(rename = "invariant", default)]
    #[schemars(with = "Vec<InvariantFile>")]
    invariants: Vec<Spanned<InvariantFile>>,
}

/// `[traffic]`: how requests arrive.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Traffic")]
struct TrafficFile {
    /// A steady Poisson stream of this many requests per second.
    #[schemars(with = "Option<f64>")]
    rate_per_s: Option<Spanned<f64>>,
    /// Instead of `rate_per_s`: a piecewise-constant rate, each step from
    /// its `at` to the next; the first at "0s".
    #[schemars(with = "Option<Vec<CurvePoint>>")]
    curve: Option<Spanned<Vec<CurvePoint>>>,
    /// Required with `curve`: the curve repeats with this period.
    #[schemars(with = "Option<Duration>")]
    period: Option<Spanned<String>>,
}

/// One step of a rate curve.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RateStep")]
struct CurvePoint {
    /// Where the step starts, from the start of the period.
    #[schemars(with = "Duration")]
    at: Spanned<String>,
    /// Requests per second from then until the next step, 0 or more.
    #[schemars(with = "f64")]
    rate_per_s: Spanned<f64>,
}

/// `[pool]`: the instances behind the load balancer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Pool")]
struct PoolFile {
    /// Instances behind the balancer, 1 to 100,000, named `instance-1`, ...
    #[schemars(with = "i64", range(min = 1, max = 100_000))]
    instances: Spanned<i64>,
    /// Requests one instance serves at once (default 1).
    #[serde(default)]
    #[schemars(with = "Option<i64>", range(min = 1, max = 100_000))]
    concurrency: Option<Spanned<i64>>,
    /// Time to serve one request.
    #[schemars(with = "Distribution")]
    service: Spanned<String>,
    /// How the balancer picks an instance for each attempt.
    #[schemars(with = "DispatchPolicy")]
    dispatch: Spanned<String>,
    /// With "consistent-hashing": points per instance on the ring (default
    /// 100).
    #[serde(default)]
    #[schemars(with = "Option<i64>", range(min = 1, max = 100_000))]
    virtual_nodes: Option<Spanned<i64>>,
    /// Requests an instance queues before refusing more (`overload`);
    /// absent: no limit.
    #[serde(default)]
    #[schemars(with = "Option<i64>", range(min = 0, max = 100_000_000))]
    queue_limit: Option<Spanned<i64>>,
    /// Time between an instance's failures (it then fails its in-flight
    /// requests and takes no traffic until repaired); give `repair` too.
    #[serde(default)]
    #[schemars(with = "Option<Distribution>")]
    failure: Option<Spanned<String>>,
    /// Time a failed instance takes to come back; give `failure` too.
    #[serde(default)]
    #[schemars(with = "Option<Distribution>")]
    repair: Option<Spanned<String>>,
    /// How the balancer checks the instances; absent: it knows at once.
    #[serde(default)]
    #[schemars(with = "Option<HealthCheckFile>")]
    health_check: Option<Spanned<HealthCheckFile>>,
}

/// `health_check`: the balancer's checks of the instances.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PoolHealthCheck")]
struct HealthCheckFile {
    /// Time between two checks of an instance.
    #[schemars(with = "Duration")]
    interval: Spanned<String>,
    /// Failed checks in a row that take an instance out (default 3).
    #[serde(default)]
    #[schemars(with = "Option<i64>", range(min = 1, max = 1000))]
    unhealthy_threshold: Option<Spanned<i64>>,
    /// Passed checks in a row that put it back (default 2).
    #[serde(default)]
    #[schemars(with = "Option<i64>", range(min = 1, max = 1000))]
    healthy_threshold: Option<Spanned<i64>>,
}

/// `[client]`: deadlines, timeouts, retries, circuit breaker.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Client")]
struct ClientFile {
    /// A request served later than this counts as failed (`deadline`).
    #[schemars(with = "Option<Duration>")]
    deadline: Option<Spanned<String>>,
    /// The client gives up on an attempt after this (`timeout`); the
    /// attempt is still served, wasting the server's time.
    #[schemars(with = "Option<Duration>")]
    timeout: Option<Spanned<String>>,
    /// How failed attempts are tried again.
    #[schemars(with = "Option<RetriesFile>")]
    retries: Option<Spanned<RetriesFile>>,
    /// A circuit breaker in front of the pool.
    #[schemars(with = "Option<BreakerFile>")]
    breaker: Option<Spanned<BreakerFile>>,
    /// Degraded answers instead of breaker rejections and soft-dependency
    /// errors (default false).
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    fallback: Option<Spanned<bool>>,
}

/// `[dependency]`: a downstream service the instances call, with faults of
/// its own.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Dependency")]
struct DependencyFile {
    /// The dependency's name, different from the scenario's and the
    /// instances'.
    #[schemars(with = "String")]
    name: Spanned<String>,
    /// Time between the dependency's failures.
    #[schemars(with = "Distribution")]
    failure: Spanned<String>,
    /// Time it takes to come back.
    #[schemars(with = "Distribution")]
    repair: Spanned<String>,
    /// Whether the instances can answer without it, degraded (default
    /// false); needs `[client] fallback = true`.
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    soft: Option<Spanned<bool>>,
}

/// `retries`: how failed attempts are tried again.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Retries")]
struct RetriesFile {
    /// Attempts per request, the first included, 1 to 100 (1 means no
    /// retry).
    #[schemars(with = "i64", range(min = 1, max = 100))]
    max_attempts: Spanned<i64>,
    /// The first backoff, doubling with each retry up to `backoff_max`.
    #[schemars(with = "Duration")]
    backoff: Spanned<String>,
    /// The longest backoff (default 32 times `backoff`).
    #[schemars(with = "Option<Duration>")]
    backoff_max: Option<Spanned<String>>,
    /// The share of each backoff drawn at random, 0 to 1 (default 0).
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    jitter: Option<Spanned<f64>>,
    /// Retries at most this share of first attempts, token-bucket style;
    /// absent: no budget.
    #[schemars(with = "Option<f64>")]
    budget: Option<Spanned<f64>>,
    /// The budget's bucket size, in retries (default 10).
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    budget_burst: Option<Spanned<f64>>,
}

/// `breaker`: a circuit breaker in front of the pool.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Breaker")]
struct BreakerFile {
    /// Consecutive failed attempts that open the breaker.
    #[schemars(with = "i64", range(min = 1, max = 1_000_000))]
    failure_threshold: Spanned<i64>,
    /// How long it stays open before probing.
    #[schemars(with = "Duration")]
    open_for: Spanned<String>,
    /// Trial requests let through while half-open, which decide whether it
    /// closes (default 1).
    #[serde(default)]
    #[schemars(with = "Option<i64>", range(min = 1, max = 1_000_000))]
    half_open_probes: Option<Spanned<i64>>,
}

/// The dispatch policies, as written.
const POLICIES: &str =
    "round-robin, random, least-connections, power-of-two, consistent-hashing, central-queue";

/// Checks a request-level file and builds its scenario, or reports every
/// problem found.
pub(crate) fn build(
    file: TrafficScenarioFile,
    source: &str,
    origin: &str,
) -> Result<Scenario, ScenarioError> {
    let mut c = Checker::new(source);
    let (name, settings) = c.header(&file.scenario, &file.simulation);
    let slo = c.slo(&file.scenario);
    let slo_window = c.slo_window(&file.scenario);
    let invariants = c.invariants(&file.invariants, Format::Requests);
    let arrivals = arrivals(&mut c, &file.traffic);
    let instances = pool(&mut c, &file.pool);
    let dispatch = dispatch(&mut c, &file.pool);
    let client = client(&mut c, &file.client);
    let health_check = health_check(&mut c, &file.pool);
    let dependency = match &file.dependency {
        None => Some(None),
        Some(d) => dependency(&mut c, d, &file.client, &name, instances.as_deref()).map(Some),
    };
    c.finish(origin)?;
    let (
        Some(simulation),
        Some(arrivals),
        Some(instances),
        Some(dispatch),
        Some(client),
        Some(health_check),
        Some(dependency),
    ) = (
        settings,
        arrivals,
        instances,
        dispatch,
        client,
        health_check,
        dependency,
    )
    else {
        unreachable!("every missing value left a diagnostic");
    };
    let mut spec = RequestSpec::new(name.clone(), arrivals, instances, dispatch);
    spec.client = client;
    spec.health_check = health_check;
    spec.dependency = dependency;
    if let Err(e) = spec.validate() {
        let mut c = Checker::new(source);
        c.missing("pool", format!("{e}"));
        c.finish(origin)?;
    }
    Ok(Scenario {
        name,
        description: file.scenario.description.trim().to_string(),
        origin: origin.to_string(),
        simulation,
        slo,
        slo_window,
        invariants,
        model: ModelSpec::Requests(Box::new(spec)),
    })
}

fn positive(c: &mut Checker<'_>, v: &Spanned<f64>, key: &str, what: &str) -> Option<f64> {
    let x = *v.get_ref();
    if x.is_finite() && x >= 0.0 {
        Some(x)
    } else {
        c.error(
            v.span(),
            key,
            format!("{x} is not {what}; expected a number, zero or more"),
        );
        None
    }
}

fn arrivals(c: &mut Checker<'_>, t: &TrafficFile) -> Option<Arrivals> {
    match (&t.rate_per_s, &t.curve) {
        (Some(r), None) => {
            if t.period.is_some() {
                let span = t.period.as_ref().map(Spanned::span).unwrap_or(0..0);
                c.error(
                    span,
                    "traffic.period",
                    "`period` goes with `curve`, not `rate_per_s`".into(),
                );
                return None;
            }
            positive(c, r, "traffic.rate_per_s", "a rate")
                .map(|rate_per_s| Arrivals::Poisson { rate_per_s })
        }
        (None, Some(curve)) => {
            let Some(period) = &t.period else {
                c.error(
                    curve.span(),
                    "traffic.period",
                    "a `curve` repeats: give its `period`, such as \"24h\"".into(),
                );
                return None;
            };
            let period = c.duration(period, "traffic.period")?;
            let mut points = Vec::new();
            let mut ok = true;
            for p in curve.get_ref() {
                let offset = c.duration(&p.at, "traffic.curve.at");
                let rate = positive(c, &p.rate_per_s, "traffic.curve.rate_per_s", "a rate");
                match (offset, rate) {
                    (Some(offset), Some(rate_per_s)) => {
                        points.push(RatePoint { offset, rate_per_s })
                    }
                    _ => ok = false,
                }
            }
            let ordered = points.first().is_some_and(|p| p.offset.is_zero())
                && points.windows(2).all(|w| w[0].offset < w[1].offset)
                && points.last().is_some_and(|p| p.offset < period);
            if ok && !ordered {
                c.error(
                    curve.span(),
                    "traffic.curve",
                    "expected steps in increasing `at`, the first at \"0s\" and all within the period".into(),
                );
                return None;
            }
            ok.then_some(Arrivals::Periodic { period, points })
        }
        (Some(r), Some(_)) => {
            c.error(
                r.span(),
                "traffic.rate_per_s",
                "give either `rate_per_s` or a `curve`, not both".into(),
            );
            None
        }
        (None, None) => {
            c.missing(
                "traffic.rate_per_s",
                "[traffic] needs `rate_per_s` (a steady Poisson rate) or a `curve` with its `period`".into(),
            );
            None
        }
    }
}

fn pool(c: &mut Checker<'_>, p: &PoolFile) -> Option<Vec<InstanceSpec>> {
    let n = c.int_in(&p.instances, "pool.instances", 1, 100_000);
    let concurrency = match &p.concurrency {
        Some(k) => c.int_in(k, "pool.concurrency", 1, 100_000),
        None => Some(1),
    };
    let queue_limit = match &p.queue_limit {
        Some(q) => c.int_in(q, "pool.queue_limit", 0, 100_000_000).map(Some),
        None => Some(None),
    };
    let service = c.dist(&p.service, "pool.service");
    let faults = match (&p.failure, &p.repair) {
        (Some(f), Some(r)) => {
            let failure = c.dist(f, "pool.failure");
            let repair = c.dist(r, "pool.repair");
            match (failure, repair) {
                (Some(failure), Some(repair)) => Some(Some(InstanceFaults { failure, repair })),
                _ => None,
            }
        }
        (None, None) => Some(None),
        (Some(f), None) => {
            c.error(
                f.span(),
                "pool.repair",
                "instances that fail need `repair`, the time they take to come back".into(),
            );
            None
        }
        (None, Some(r)) => {
            c.error(
                r.span(),
                "pool.failure",
                "`repair` needs `failure`, the time between an instance's failures".into(),
            );
            None
        }
    };
    let (n, concurrency, queue_limit, service, faults) =
        (n?, concurrency?, queue_limit?, service?, faults?);
    Some(
        (1..=n)
            .map(|i| {
                let mut inst = InstanceSpec::new(format!("instance-{i}"), service.clone());
                inst.concurrency = concurrency as u32;
                inst.queue_limit = queue_limit.map(|q| q as u32);
                inst.faults = faults.clone();
                inst
            })
            .collect(),
    )
}

fn health_check(c: &mut Checker<'_>, p: &PoolFile) -> Option<Option<HealthCheck>> {
    let Some(h) = &p.health_check else {
        return Some(None);
    };
    let h = h.get_ref();
    let interval = c.duration(&h.interval, "pool.health_check.interval");
    let threshold = |c: &mut Checker<'_>, v: &Option<Spanned<i64>>, key: &str, default: i64| match v
    {
        Some(v) => c.int_in(v, key, 1, 1000),
        None => Some(default),
    };
    let unhealthy = threshold(
        c,
        &h.unhealthy_threshold,
        "pool.health_check.unhealthy_threshold",
        3,
    );
    let healthy = threshold(
        c,
        &h.healthy_threshold,
        "pool.health_check.healthy_threshold",
        2,
    );
    let interval = interval?;
    if interval.is_zero() {
        c.error(
            h.interval.span(),
            "pool.health_check.interval",
            "expected a positive time between checks, such as \"10s\"".into(),
        );
        return None;
    }
    Some(Some(HealthCheck {
        interval,
        unhealthy_threshold: unhealthy? as u32,
        healthy_threshold: healthy? as u32,
    }))
}

fn dispatch(c: &mut Checker<'_>, p: &PoolFile) -> Option<Dispatch> {
    let policy = p.dispatch.get_ref().trim().to_ascii_lowercase();
    if p.virtual_nodes.is_some() && policy != "consistent-hashing" {
        let span = p.virtual_nodes.as_ref().map(Spanned::span).unwrap_or(0..0);
        c.error(
            span,
            "pool.virtual_nodes",
            "`virtual_nodes` goes with `dispatch = \"consistent-hashing\"`".into(),
        );
    }
    Some(match policy.as_str() {
        "round-robin" => Dispatch::RoundRobin,
        "random" => Dispatch::Random,
        "least-connections" => Dispatch::LeastConnections,
        "power-of-two" => Dispatch::PowerOfTwo,
        "central-queue" => Dispatch::CentralQueue,
        "consistent-hashing" => {
            let virtual_nodes = match &p.virtual_nodes {
                Some(v) => c.int_in(v, "pool.virtual_nodes", 1, 100_000)? as u32,
                None => 100,
            };
            Dispatch::ConsistentHashing { virtual_nodes }
        }
        other => {
            c.error(
                p.dispatch.span(),
                "pool.dispatch",
                format!("unknown dispatch policy `{other}`; expected one of {POLICIES}"),
            );
            return None;
        }
    })
}

fn optional_duration(
    c: &mut Checker<'_>,
    v: &Option<Spanned<String>>,
    key: &str,
) -> Option<Option<SimDuration>> {
    match v {
        Some(d) => c.duration(d, key).map(Some),
        None => Some(None),
    }
}

fn client(c: &mut Checker<'_>, f: &ClientFile) -> Option<ClientPolicy> {
    let deadline = optional_duration(c, &f.deadline, "client.deadline");
    let timeout = optional_duration(c, &f.timeout, "client.timeout");
    let retry = match &f.retries {
        None => Some(None),
        Some(r) => retries(c, r.get_ref()).map(Some),
    };
    let breaker = match &f.breaker {
        None => Some(None),
        Some(b) => {
            let b = b.get_ref();
            let threshold = c.int_in(
                &b.failure_threshold,
                "client.breaker.failure_threshold",
                1,
                1_000_000,
            );
            let open_for = c.duration(&b.open_for, "client.breaker.open_for");
            let probes = match &b.half_open_probes {
                Some(p) => c.int_in(p, "client.breaker.half_open_probes", 1, 1_000_000),
                None => Some(1),
            };
            match (threshold, open_for, probes) {
                (Some(t), Some(o), Some(p)) => Some(Some(BreakerPolicy {
                    failure_threshold: t as u32,
                    open_for: o,
                    half_open_probes: p as u32,
                })),
                _ => None,
            }
        }
    };
    Some(ClientPolicy {
        deadline: deadline?,
        timeout: timeout?,
        retry: retry?,
        breaker: breaker?,
        fallback: f.fallback.as_ref().is_some_and(|b| *b.get_ref()),
    })
}

/// Checks `[dependency]`. Its name keys its random streams, so it must
/// differ from the pool's (the scenario's name) and from every instance's
/// (`instances`, when they were valid); a soft dependency needs
/// `[client] fallback = true`.
fn dependency(
    c: &mut Checker<'_>,
    d: &DependencyFile,
    client: &ClientFile,
    pool_name: &str,
    instances: Option<&[InstanceSpec]>,
) -> Option<DependencySpec> {
    let name = d.name.get_ref().trim().to_string();
    let mut ok = true;
    if name.is_empty() {
        c.error(
            d.name.span(),
            "dependency.name",
            "the name is empty; expected a short name such as \"db\"".into(),
        );
        ok = false;
    } else if name == pool_name || instances.is_some_and(|i| i.iter().any(|i| i.name == name)) {
        c.error(
            d.name.span(),
            "dependency.name",
            format!(
                "`{name}` is already the name of {}; the dependency's random streams are keyed by its name, so it needs its own",
                if name == pool_name {
                    "the scenario (the pool's clients)"
                } else {
                    "one of the pool's instances"
                }
            ),
        );
        ok = false;
    }
    let mut timing = |value: &Spanned<String>, key: &str, what: &str| {
        let dist = c.dist(value, key)?;
        if dist.mean_hours() > 0.0 {
            Some(dist)
        } else {
            c.error(
                value.span(),
                key,
                format!("{what} has a mean of zero; expected a positive mean"),
            );
            None
        }
    };
    let failure = timing(
        &d.failure,
        "dependency.failure",
        "the time between failures",
    );
    let repair = timing(&d.repair, "dependency.repair", "the repair time");
    let soft = d.soft.as_ref().is_some_and(|s| *s.get_ref());
    let fallback = client.fallback.as_ref().is_some_and(|f| *f.get_ref());
    if soft && !fallback {
        let span = d.soft.as_ref().map(Spanned::span).unwrap_or(0..0);
        c.error(
            span,
            "dependency.soft",
            "a soft dependency needs a degraded answer to give: add `fallback = true` to [client], or make the dependency hard (`soft = false`)".into(),
        );
        ok = false;
    }
    let (failure, repair) = (failure?, repair?);
    ok.then_some(DependencySpec {
        name,
        failure,
        repair,
        soft,
    })
}

fn retries(c: &mut Checker<'_>, r: &RetriesFile) -> Option<RetryPolicy> {
    let max_attempts = c.int_in(&r.max_attempts, "client.retries.max_attempts", 1, 100);
    let base = c.duration(&r.backoff, "client.retries.backoff");
    let max = match &r.backoff_max {
        Some(m) => c.duration(m, "client.retries.backoff_max"),
        None => base.map(|b| b.saturating_mul(32)),
    };
    let jitter = match &r.jitter {
        Some(j) if (0.0..=1.0).contains(j.get_ref()) => Some(*j.get_ref()),
        Some(j) => {
            c.error(
                j.span(),
                "client.retries.jitter",
                "expected a share of the backoff to randomise, from 0 to 1".into(),
            );
            None
        }
        None => Some(0.0),
    };
    let budget = match &r.budget {
        None => Some(None),
        Some(b) => match positive(c, b, "client.retries.budget", "a share of first attempts") {
            Some(ratio) => {
                let burst = match &r.budget_burst {
                    Some(x) => positive(c, x, "client.retries.budget_burst", "a number of retries"),
                    None => Some(10.0),
                };
                burst.map(|burst| Some(RetryBudget { ratio, burst }))
            }
            None => None,
        },
    };
    Some(RetryPolicy {
        max_attempts: max_attempts? as u32,
        backoff_base: base?,
        backoff_max: max?,
        jitter: jitter?,
        budget: budget?,
    })
}

#[cfg(test)]
mod tests;
