//! The summary of a request-level scenario: arrivals, the pool, what the
//! clients do, and the downstream dependency.

use models::request::{Arrivals, Dispatch, RequestSpec};
use serde::Serialize;

use super::{Text, count, duration, number, percent};

/// A request-level pool's structure.
#[derive(Debug, Serialize)]
pub(super) struct RequestSummary {
    arrivals: ArrivalsSummary,
    mean_rate_per_s: f64,
    pool: PoolSummary,
    /// First attempts' offered load as a share of the pool's capacity.
    utilisation: f64,
    client: ClientSummary,
    dependency: Option<DependencySummary>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
enum ArrivalsSummary {
    Poisson {
        rate_per_s: f64,
    },
    Curve {
        period: String,
        steps: Vec<RateStep>,
    },
}

#[derive(Debug, Serialize)]
struct RateStep {
    at: String,
    rate_per_s: f64,
}

#[derive(Debug, Serialize)]
struct PoolSummary {
    instances: usize,
    concurrency: u32,
    service: String,
    dispatch: &'static str,
    queue_limit: Option<u32>,
    failure: Option<String>,
    repair: Option<String>,
    health_check: Option<HealthCheckSummary>,
}

#[derive(Debug, Serialize)]
struct HealthCheckSummary {
    interval: String,
    unhealthy_threshold: u32,
    healthy_threshold: u32,
}

#[derive(Debug, Serialize)]
struct ClientSummary {
    deadline: Option<String>,
    timeout: Option<String>,
    retries: Option<RetriesSummary>,
    breaker: Option<BreakerSummary>,
    fallback: bool,
}

#[derive(Debug, Serialize)]
struct RetriesSummary {
    max_attempts: u32,
    backoff: String,
    backoff_max: String,
    jitter: f64,
    budget: Option<f64>,
    budget_burst: Option<f64>,
}

#[derive(Debug, Serialize)]
struct BreakerSummary {
    failure_threshold: u32,
    open_for: String,
    half_open_probes: u32,
}

#[derive(Debug, Serialize)]
struct DependencySummary {
    name: String,
    failure: String,
    repair: String,
    soft: bool,
}

/// The dispatch policy as the file writes it.
fn dispatch_name(d: Dispatch) -> &'static str {
    match d {
        Dispatch::RoundRobin => "round-robin",
        Dispatch::Random => "random",
        Dispatch::LeastConnections => "least-connections",
        Dispatch::PowerOfTwo => "power-of-two",
        Dispatch::ConsistentHashing { .. } => "consistent-hashing",
        Dispatch::CentralQueue => "central-queue",
    }
}

/// The summary of `spec`. Instances built from a file are identical, so
/// the first stands for all.
pub(super) fn summary(spec: &RequestSpec) -> RequestSummary {
    let first = &spec.instances[0];
    let client = &spec.client;
    RequestSummary {
        arrivals: match &spec.arrivals {
            Arrivals::Poisson { rate_per_s } => ArrivalsSummary::Poisson {
                rate_per_s: *rate_per_s,
            },
            Arrivals::Periodic { period, points } => ArrivalsSummary::Curve {
                period: duration(*period),
                steps: points
                    .iter()
                    .map(|p| RateStep {
                        at: duration(p.offset),
                        rate_per_s: p.rate_per_s,
                    })
                    .collect(),
            },
        },
        mean_rate_per_s: spec.mean_arrival_rate_per_s(),
        pool: PoolSummary {
            instances: spec.instances.len(),
            concurrency: first.concurrency,
            service: first.service.to_string(),
            dispatch: dispatch_name(spec.dispatch),
            queue_limit: first.queue_limit,
            failure: first.faults.as_ref().map(|f| f.failure.to_string()),
            repair: first.faults.as_ref().map(|f| f.repair.to_string()),
            health_check: spec.health_check.map(|h| HealthCheckSummary {
                interval: duration(h.interval),
                unhealthy_threshold: h.unhealthy_threshold,
                healthy_threshold: h.healthy_threshold,
            }),
        },
        utilisation: spec.utilisation(),
        client: ClientSummary {
            deadline: client.deadline.map(duration),
            timeout: client.timeout.map(duration),
            retries: client.retry.as_ref().map(|r| RetriesSummary {
                max_attempts: r.max_attempts,
                backoff: duration(r.backoff_base),
                backoff_max: duration(r.backoff_max),
                jitter: r.jitter,
                budget: r.budget.map(|b| b.ratio),
                budget_burst: r.budget.map(|b| b.burst),
            }),
            breaker: client.breaker.map(|b| BreakerSummary {
                failure_threshold: b.failure_threshold,
                open_for: duration(b.open_for),
                half_open_probes: b.half_open_probes,
            }),
            fallback: client.fallback,
        },
        dependency: spec.dependency.as_ref().map(|d| DependencySummary {
            name: d.name.clone(),
            failure: d.failure.to_string(),
            repair: d.repair.to_string(),
            soft: d.soft,
        }),
    }
}

impl RequestSummary {
    /// Writes the summary's lines.
    pub(super) fn write(&self, t: &mut Text) {
        t.field(
            "arrivals",
            match &self.arrivals {
                ArrivalsSummary::Poisson { rate_per_s } => {
                    format!("Poisson, {} requests/s", number(*rate_per_s))
                }
                ArrivalsSummary::Curve { period, steps } => {
                    let steps: Vec<String> = steps
                        .iter()
                        .map(|s| format!("{}/s from {}", number(s.rate_per_s), s.at))
                        .collect();
                    format!(
                        "Poisson, repeating every {period}: {} (mean {}/s)",
                        steps.join(", "),
                        number((self.mean_rate_per_s * 100.0).round() / 100.0)
                    )
                }
            },
        );
        let p = &self.pool;
        let queue = match p.queue_limit {
            Some(q) => format!("queues of {q}"),
            None => format!(
                "queues of {} (the default limit)",
                models::request::DEFAULT_QUEUE_LIMIT
            ),
        };
        t.field(
            "pool",
            format!(
                "{}, {} at a time each, service {}, {queue}",
                count(p.instances, "instance"),
                count(p.concurrency as usize, "request"),
                p.service
            ),
        );
        t.more(format!(
            "dispatch {}; utilisation {} before retries",
            p.dispatch,
            percent(self.utilisation)
        ));
        if let (Some(f), Some(r)) = (&p.failure, &p.repair) {
            t.more(format!("instances fail after {f}, back after {r}"));
        }
        if let Some(h) = &p.health_check {
            t.more(format!(
                "health checks every {}: out after {} failed, back after {} passed",
                h.interval, h.unhealthy_threshold, h.healthy_threshold
            ));
        }
        let c = &self.client;
        let mut client = Vec::new();
        if let Some(d) = &c.deadline {
            client.push(format!("deadline {d}"));
        }
        if let Some(to) = &c.timeout {
            client.push(format!("timeout {to}"));
        }
        client.push(match &c.retries {
            None => "no retries".to_string(),
            Some(r) => {
                let budget = match (r.budget, r.budget_burst) {
                    (Some(b), Some(burst)) => {
                        format!("budget {} (burst {})", percent(b), number(burst))
                    }
                    _ => "no budget".to_string(),
                };
                format!(
                    "up to {} (backoff {} to {}, jitter {}, {budget})",
                    count(r.max_attempts as usize, "attempt"),
                    r.backoff,
                    r.backoff_max,
                    number(r.jitter)
                )
            }
        });
        client.push(match &c.breaker {
            None => "no breaker".to_string(),
            Some(b) => format!(
                "breaker opens after {} failures for {}, {} half-open",
                b.failure_threshold,
                b.open_for,
                count(b.half_open_probes as usize, "probe")
            ),
        });
        client.push(
            if c.fallback {
                "fallback"
            } else {
                "no fallback"
            }
            .to_string(),
        );
        t.field("client", client.join("; "));
        if let Some(d) = &self.dependency {
            t.field(
                "dependency",
                format!(
                    "{} ({}): fails after {}, back after {}",
                    d.name,
                    if d.soft { "soft" } else { "hard" },
                    d.failure,
                    d.repair
                ),
            );
        }
    }
}
