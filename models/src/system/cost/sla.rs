//! Service-level credits: the entry point's downtime month by month and
//! the credit each month owes.

use sim_core::time::{SimDuration, SimTime};

use crate::system::spec::CostSpec;

/// The length of a month for service-level credits: 730 h, a twelfth of
/// a year of 8760 h.
pub const MONTH: SimDuration = SimDuration::from_hours(730);

/// The entry point's downtime in months of [`MONTH`] counted from the
/// warm-up, and the credits they owe.
///
/// Each full month owes the largest credit among the tiers its
/// availability falls below ([`CostSpec::month_credit`]). A partial last
/// month (a measured span that is not a whole number of months) is judged
/// by its availability over its own length and owes that credit times its
/// share of a month, so a credit per year does not depend on where the
/// horizon falls.
#[derive(Clone, Debug, PartialEq)]
pub struct SlaMonths {
    month_start: SimTime,
    month_down: SimDuration,
    credits: f64,
    breached: u64,
}

impl SlaMonths {
    /// Months counted from `warmup`.
    pub fn new(warmup: SimTime) -> Self {
        SlaMonths {
            month_start: warmup,
            month_down: SimDuration::ZERO,
            credits: 0.0,
            breached: 0,
        }
    }

    fn month_end(&self) -> SimTime {
        self.month_start.saturating_add(MONTH)
    }

    /// Closes the current month at `end`, a span of `len` (a month or
    /// less).
    fn close(&mut self, costs: &CostSpec, end: SimTime) {
        let len = end - self.month_start;
        if !len.is_zero() {
            let a = 1.0 - self.month_down.as_micros() as f64 / len.as_micros() as f64;
            let credit = costs.month_credit(a);
            if credit > 0.0 {
                self.breached += 1;
                self.credits += credit * len.as_micros() as f64 / MONTH.as_micros() as f64;
            }
        }
        self.month_start = end;
        self.month_down = SimDuration::ZERO;
    }

    /// Adds the span `[from, to)`, measured (`from` at or after the
    /// warm-up and after the previous span), during which the entry point
    /// was `down` or not; months that end inside it are closed.
    pub fn add(&mut self, costs: &CostSpec, mut from: SimTime, to: SimTime, down: bool) {
        while to > self.month_end() {
            let end = self.month_end();
            if down && end > from {
                self.month_down += end - from;
            }
            self.close(costs, end);
            from = from.max(end);
        }
        if down && to > from {
            self.month_down += to - from;
        }
    }

    /// Closes the last month, whole or partial, at the horizon `end`.
    pub fn finish(&mut self, costs: &CostSpec, end: SimTime) {
        self.add(costs, end, end, false);
        if end > self.month_start {
            self.close(costs, end);
        }
    }

    /// The credits owed so far (closed months only).
    pub fn credits(&self) -> f64 {
        self.credits
    }

    /// The months closed so far that owed a credit.
    pub fn breached_months(&self) -> u64 {
        self.breached
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::spec::SlaTier;

    fn h(x: u64) -> SimTime {
        SimTime::from_duration(SimDuration::from_hours(x))
    }

    fn costs() -> CostSpec {
        CostSpec {
            sla_credits: vec![
                SlaTier {
                    below: 0.999,
                    credit: 1000.0,
                },
                SlaTier {
                    below: 0.99,
                    credit: 5000.0,
                },
            ],
            ..CostSpec::default()
        }
    }

    #[test]
    fn each_month_owes_its_highest_tier() {
        let c = costs();
        let mut m = SlaMonths::new(SimTime::ZERO);
        // Month 1: 1 h down (99.863%): 1000. Hours 1455 to 1465 are 5 h
        // in month 2 (which ends at 1460) and 5 h in month 3: 99.315%
        // each, 1000 each. Month 4: 8 h (98.904%): 5000. Then nothing.
        m.add(&c, h(0), h(100), false);
        m.add(&c, h(100), h(101), true);
        m.add(&c, h(101), h(1455), false);
        m.add(&c, h(1455), h(1465), true);
        m.add(&c, h(1465), h(2200), false);
        m.add(&c, h(2200), h(2208), true);
        m.finish(&c, h(8760));
        assert_eq!(m.breached_months(), 4);
        assert_eq!(m.credits(), 8000.0);
    }

    #[test]
    fn a_long_outage_breaches_every_month_it_spans() {
        let c = costs();
        let mut m = SlaMonths::new(h(100));
        m.add(&c, h(100), h(100 + 3 * 730), true);
        m.finish(&c, h(100 + 12 * 730));
        assert_eq!(m.breached_months(), 3);
        assert_eq!(m.credits(), 15000.0);
    }

    #[test]
    fn a_partial_last_month_owes_its_share() {
        let c = costs();
        let mut m = SlaMonths::new(SimTime::ZERO);
        // 730 h + 365 h; 4 h down in the half month: 98.9%, 5000 × 0.5.
        m.add(&c, h(0), h(1000), false);
        m.add(&c, h(1000), h(1004), true);
        m.finish(&c, h(1095));
        assert_eq!(m.breached_months(), 1);
        assert_eq!(m.credits(), 2500.0);
    }
}
