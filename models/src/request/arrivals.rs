//! Arrival processes: when the next request comes.

use sim_core::dist::Dist;
use sim_core::rng::RngStream;
use sim_core::time::SimDuration;

use super::spec::Arrivals;

/// A ready-to-draw arrival process.
#[derive(Debug)]
pub(crate) enum ArrivalProcess {
    /// Exponential gaps, drawn by the ziggurat of [`Dist`].
    Poisson { gap: Dist },
    /// A periodic piecewise-constant rate, drawn by inversion: a unit
    /// exponential amount of integrated rate is walked through the steps.
    Periodic {
        period_us: u64,
        /// Step starts within the period, microseconds (first is 0).
        starts_us: Vec<u64>,
        /// Step rates, arrivals per microsecond.
        rates_per_us: Vec<f64>,
        /// Exp(1), in "hours" (the unit of [`Dist::sample_hours`]).
        unit: Dist,
    },
}

impl ArrivalProcess {
    /// The process of a validated spec.
    pub(crate) fn new(spec: &Arrivals) -> Self {
        match spec {
            Arrivals::Poisson { rate_per_s } => ArrivalProcess::Poisson {
                gap: Dist::exponential_rate(*rate_per_s, SimDuration::from_secs(1))
                    .expect("a validated rate is positive and finite"),
            },
            Arrivals::Periodic { period, points } => ArrivalProcess::Periodic {
                period_us: period.as_micros(),
                starts_us: points.iter().map(|p| p.offset.as_micros()).collect(),
                rates_per_us: points.iter().map(|p| p.rate_per_s / 1e6).collect(),
                unit: Dist::exponential_mean(SimDuration::from_hours(1))
                    .expect("a one-hour mean is valid"),
            },
        }
    }

    /// The time of the next arrival after one at `now_us`, in microseconds.
    #[inline]
    pub(crate) fn next_after(&self, now_us: u64, rng: &mut RngStream) -> u64 {
        match self {
            ArrivalProcess::Poisson { gap } => now_us + gap.sample(rng).as_micros(),
            ArrivalProcess::Periodic {
                period_us,
                starts_us,
                rates_per_us,
                unit,
            } => {
                let mut need = unit.sample_hours(rng);
                let mut t = now_us;
                let mut phase = t % period_us;
                // The step holding `phase`.
                let mut k = starts_us.partition_point(|&s| s <= phase) - 1;
                loop {
                    let end = starts_us.get(k + 1).copied().unwrap_or(*period_us);
                    let span = (end - phase) as f64;
                    let rate = rates_per_us[k];
                    let available = rate * span;
                    if rate > 0.0 && need <= available {
                        let dt = (need / rate).round() as u64;
                        return t + dt.min(end - phase);
                    }
                    need -= available;
                    t += end - phase;
                    k += 1;
                    phase = end;
                    if k == starts_us.len() {
                        k = 0;
                        phase = 0;
                    }
                }
            }
        }
    }
}
