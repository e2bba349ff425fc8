//! What a system costs beyond its instances: hosts, zones, regions and
//! crews by the year, incidents and repairs by the event, backups by the
//! run and by the retained copy, traffic that crosses zones or regions by
//! the gigabyte, and credits owed under a service-level agreement.
//!
//! Every price defaults to zero, so a spec that names none costs what its
//! instances and its downtime cost. [`crate::system::cost`] turns these
//! prices and a replication's measures into cost per year.

/// One tier of a service-level agreement: a month whose availability of
/// the entry point falls below `below` owes `credit`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlaTier {
    /// The availability threshold, a fraction in (0, 1]: a month below it
    /// breaches the tier.
    pub below: f64,
    /// What a breach of this tier owes for the month, 0 or more.
    pub credit: f64,
}

/// What a service's backups cost.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BackupCost {
    /// The price of one backup run.
    pub per_run: f64,
    /// Backups kept at any time (1 or more).
    pub retain: u32,
    /// The price of keeping one copy, per hour.
    pub per_copy_hour: f64,
}

/// The prices of a system beyond its instances. Vectors are indexed like
/// the spec's (hosts, zones, regions, teams, faults, services); an empty
/// vector means every price in it is zero.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CostSpec {
    /// Per host: its price per hour (whatever it runs).
    pub host_per_hour: Vec<f64>,
    /// Per zone: its fixed price per year.
    pub zone_per_year: Vec<f64>,
    /// Per region: its fixed price per year.
    pub region_per_year: Vec<f64>,
    /// Per team: the price of one crew per year.
    pub crew_per_year: Vec<f64>,
    /// The price of one incident of the entry point (a page, an on-call
    /// response): each outage that begins after the warm-up.
    pub per_incident: f64,
    /// Per fault: the price of one repair (parts, a replaced disk), for
    /// each occurrence whose repair ends after the warm-up.
    pub per_repair: Vec<f64>,
    /// Per service: what its backups cost (services with backups only).
    pub backups: Vec<Option<BackupCost>>,
    /// Per service: the bytes of one acknowledged write as shipped to a
    /// standby.
    pub write_bytes: Vec<f64>,
    /// Per service: the bytes of one call to it (request and response),
    /// for callers in other zones.
    pub request_bytes: Vec<f64>,
    /// The price of a gigabyte (10⁹ bytes) between zones of one region.
    pub cross_zone_per_gb: f64,
    /// The price of a gigabyte between regions.
    pub cross_region_per_gb: f64,
    /// Service-level credits by tier: each month the largest credit among
    /// the tiers breached is owed.
    pub sla_credits: Vec<SlaTier>,
}

/// The price at `i` of `v`, zero when `v` is empty or short.
pub(crate) fn price(v: &[f64], i: usize) -> f64 {
    v.get(i).copied().unwrap_or(0.0)
}

impl CostSpec {
    /// Checks that every price is a finite number, 0 or more, that each
    /// tier's threshold is in (0, 1] and that backups keep a copy.
    pub fn validate(&self) -> Result<(), String> {
        let lists: [(&str, &[f64]); 7] = [
            ("host price", &self.host_per_hour),
            ("zone price", &self.zone_per_year),
            ("region price", &self.region_per_year),
            ("crew price", &self.crew_per_year),
            ("repair price", &self.per_repair),
            ("write size", &self.write_bytes),
            ("request size", &self.request_bytes),
        ];
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        for (what, v) in lists {
            if let Some(x) = v.iter().find(|&&x| !ok(x)) {
                return Err(format!("{what} {x}; expected a number, 0 or more"));
            }
        }
        for (what, x) in [
            ("incident price", self.per_incident),
            ("cross-zone price", self.cross_zone_per_gb),
            ("cross-region price", self.cross_region_per_gb),
        ] {
            if !ok(x) {
                return Err(format!("{what} {x}; expected a number, 0 or more"));
            }
        }
        for b in self.backups.iter().flatten() {
            if !ok(b.per_run) || !ok(b.per_copy_hour) {
                return Err("backup price; expected a number, 0 or more".into());
            }
            if b.retain == 0 {
                return Err("backups keep no copy; expected 1 or more".into());
            }
        }
        for t in &self.sla_credits {
            if !(t.below > 0.0 && t.below <= 1.0) {
                return Err(format!(
                    "credit tier below {}; expected a fraction in (0, 1]",
                    t.below
                ));
            }
            if !ok(t.credit) {
                return Err(format!("credit {}; expected a number, 0 or more", t.credit));
            }
        }
        Ok(())
    }

    /// The credit a month of availability `a` owes: the largest among the
    /// tiers it falls below (zero if none).
    pub fn month_credit(&self, a: f64) -> f64 {
        self.sla_credits
            .iter()
            .filter(|t| a < t.below)
            .map(|t| t.credit)
            .fold(0.0, f64::max)
    }
}
