//! Prices beyond the instances: hosts, zones and regions, crews,
//! incidents and repairs, backups, traffic across zones and regions, and
//! service-level credits, into a [`CostSpec`].

use models::system::spec::{BackupCost, CostSpec, SlaTier};
use serde_spanned::Spanned;

use super::Builder;
use crate::system_file::{Size, SystemFile};

/// The most backups a service may keep.
pub(crate) const MAX_RETAINED: i64 = 100_000;

/// Parses a size such as `"4KB"`, `"1.5 MB"` or `"64KiB"` into bytes:
/// a decimal number, then `B`, `KB` (or `kB`), `MB`, `GB` (powers of
/// 1000) or `KiB`, `MiB`, `GiB` (powers of 1024).
pub(crate) fn parse_size(text: &str) -> Result<f64, String> {
    let expected = "expected a number of bytes or text such as \"4KB\", \"1.5MB\" or \"64KiB\"";
    let t = text.trim();
    let split = t
        .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        .unwrap_or(t.len());
    let (number, unit) = (t[..split].trim(), t[split..].trim());
    let scale = match unit {
        "B" => 1.0,
        "KB" | "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        _ => return Err(format!("`{text}` has no unit of size; {expected}")),
    };
    let starts_well = number
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '.');
    match number.parse::<f64>() {
        Ok(x) if starts_well && (x * scale).is_finite() => Ok(x * scale),
        Ok(_) if starts_well => Err(format!("`{text}` is too large; {expected}")),
        _ => Err(format!("`{text}` is not a size; {expected}")),
    }
}

impl Builder<'_> {
    /// A price, 0 or more (zero when absent).
    fn price(&mut self, v: Option<&Spanned<f64>>, key: &str, what: &str) -> f64 {
        let Some(v) = v else {
            return 0.0;
        };
        let x = *v.get_ref();
        if x >= 0.0 && x.is_finite() {
            x
        } else {
            self.c.error(
                v.span(),
                key,
                format!("{x} is not a cost; expected a non-negative amount {what}"),
            );
            0.0
        }
    }

    /// A size in bytes, 0 or more (zero when absent).
    fn size(&mut self, v: Option<&Spanned<Size>>, key: &str) -> f64 {
        let Some(v) = v else {
            return 0.0;
        };
        match v.get_ref().bytes() {
            Ok(x) if x >= 0.0 && x.is_finite() => x,
            Ok(x) => {
                self.c.error(
                    v.span(),
                    key,
                    format!("{x} is not a size; expected a number of bytes, 0 or more"),
                );
                0.0
            }
            Err(e) => {
                self.c.error(v.span(), key, e);
                0.0
            }
        }
    }

    /// Every price of the file beyond instances and downtime.
    pub(super) fn costs(&mut self, file: &SystemFile) -> CostSpec {
        let mut costs = CostSpec::default();
        let regions: Vec<f64> = file
            .regions
            .iter()
            .map(|r| self.price(r.cost_per_year.as_ref(), "region.cost_per_year", "per year"))
            .collect();
        if regions.iter().any(|&x| x > 0.0) {
            costs.region_per_year = regions;
        }
        let mut host_per_hour = vec![0.0; self.hosts.len()];
        let mut zones = Vec::with_capacity(file.zones.len());
        for (z, zone) in file.zones.iter().enumerate() {
            zones.push(self.price(
                zone.cost_per_year.as_ref(),
                "zone.cost_per_year",
                "per year",
            ));
            let Some(a) = &zone.host_cost_per_hour else {
                continue;
            };
            let per_hour = self
                .amount_per_hour(a, "zone.host_cost_per_hour")
                .unwrap_or(0.0);
            for &rack in self.zone_racks.get(z).map_or(&[][..], Vec::as_slice) {
                for &h in &self.rack_hosts[rack] {
                    host_per_hour[h] = per_hour;
                }
            }
        }
        if host_per_hour.iter().any(|&x| x > 0.0) {
            costs.host_per_hour = host_per_hour;
        }
        if zones.iter().any(|&x| x > 0.0) {
            costs.zone_per_year = zones;
        }
        let crews: Vec<f64> = file
            .teams
            .iter()
            .map(|t| {
                self.price(
                    t.cost_per_crew_per_year.as_ref(),
                    "team.cost_per_crew_per_year",
                    "per crew per year",
                )
            })
            .collect();
        if crews.iter().any(|&x| x > 0.0) {
            costs.crew_per_year = crews;
        }
        let repairs: Vec<f64> = file
            .faults
            .iter()
            .map(|f| self.price(f.repair_cost.as_ref(), "fault.repair_cost", "per repair"))
            .collect();
        if repairs.iter().any(|&x| x > 0.0) {
            costs.per_repair = repairs;
        }
        self.service_costs(file, &mut costs);
        if let Some(c) = &file.cost {
            costs.per_incident =
                self.price(c.per_incident.as_ref(), "cost.per_incident", "per incident");
            costs.cross_zone_per_gb = self.price(
                c.cross_zone_per_gb.as_ref(),
                "cost.cross_zone_per_gb",
                "per gigabyte",
            );
            costs.cross_region_per_gb = self.price(
                c.cross_region_per_gb.as_ref(),
                "cost.cross_region_per_gb",
                "per gigabyte",
            );
            if let Some(tiers) = &c.sla_credits {
                costs.sla_credits = self.sla_tiers(tiers);
            }
        }
        costs
    }

    /// Backups, write sizes and request sizes, service by service.
    fn service_costs(&mut self, file: &SystemFile, costs: &mut CostSpec) {
        let n = file.services.len();
        let mut backups = vec![None; n];
        let mut write_bytes = vec![0.0; n];
        let mut request_bytes = vec![0.0; n];
        for (i, s) in file.services.iter().enumerate() {
            request_bytes[i] = self.size(s.request_size.as_ref(), "service.request_size");
            let Some(d) = &s.data else {
                continue;
            };
            let d = d.get_ref();
            write_bytes[i] = self.size(d.write_size.as_ref(), "service.data.write_size");
            if let Some(w) = &d.write_size
                && d.replication
                    .as_ref()
                    .is_none_or(|r| r.get_ref().trim().eq_ignore_ascii_case("none"))
            {
                self.c.error(
                    w.span(),
                    "service.data.write_size",
                    "`write_size` prices replication traffic; expected `replication` (\"sync\", \"async\" or \"batch\") beside it".into(),
                );
            }
            let retain = match &d.backup_retain {
                Some(r) => self
                    .c
                    .int_in(r, "service.data.backup_retain", 1, MAX_RETAINED)
                    .unwrap_or(1),
                None => 1,
            } as u32;
            let per_run = self.price(
                d.backup_run_cost.as_ref(),
                "service.data.backup_run_cost",
                "per backup run",
            );
            let per_copy_hour = match &d.backup_copy_cost_per_hour {
                Some(a) => self
                    .amount_per_hour(a, "service.data.backup_copy_cost_per_hour")
                    .unwrap_or(0.0),
                None => 0.0,
            };
            if d.backup_every.is_none() {
                let stray = [
                    ("backup_retain", d.backup_retain.as_ref().map(Spanned::span)),
                    (
                        "backup_run_cost",
                        d.backup_run_cost.as_ref().map(Spanned::span),
                    ),
                    (
                        "backup_copy_cost_per_hour",
                        d.backup_copy_cost_per_hour.as_ref().map(Spanned::span),
                    ),
                ];
                for (key, span) in stray {
                    if let Some(span) = span {
                        self.c.error(
                            span,
                            &format!("service.data.{key}"),
                            format!("`{key}` belongs to backups; expected `backup_every` beside it, such as backup_every = \"24h\""),
                        );
                    }
                }
                continue;
            }
            backups[i] = Some(BackupCost {
                per_run,
                retain,
                per_copy_hour,
            });
        }
        if backups
            .iter()
            .flatten()
            .any(|b| b.per_run > 0.0 || b.per_copy_hour > 0.0)
        {
            costs.backups = backups;
        }
        if write_bytes.iter().any(|&x| x > 0.0) {
            costs.write_bytes = write_bytes;
        }
        if request_bytes.iter().any(|&x| x > 0.0) {
            costs.request_bytes = request_bytes;
        }
    }

    /// `[cost].sla_credits`: each tier's threshold and credit.
    fn sla_tiers(
        &mut self,
        tiers: &Spanned<Vec<Spanned<crate::system_file::SlaTierFile>>>,
    ) -> Vec<SlaTier> {
        let mut out = Vec::new();
        for t in tiers.get_ref() {
            let t = t.get_ref();
            let below = match t.below.get_ref().value() {
                Some(x) if x > 0.0 && x <= 1.0 => Some(x),
                _ => {
                    self.c.error(
                        t.below.span(),
                        "cost.sla_credits.below",
                        "expected a monthly availability more than 0 and at most 100%, such as \"99.9%\" or 0.999".into(),
                    );
                    None
                }
            };
            let credit = self.price(
                Some(&t.credit),
                "cost.sla_credits.credit",
                "per month that breaches the tier",
            );
            if let Some(below) = below {
                out.push(SlaTier { below, credit });
            }
        }
        out
    }
}
