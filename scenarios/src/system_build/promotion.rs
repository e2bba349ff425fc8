//! `failover.promotion`, `failover.witnesses` and
//! `failover.witness_cost_per_hour`: promotion by a majority of voters.

use models::system::spec::{MajoritySpec, WitnessSpec};

use super::Builder;
use super::topology::Kind;
use crate::system_file::FailoverFile;

impl Builder<'_> {
    /// The majority rule of a failover table: `None` inside `Some` for the
    /// default ("any"), `None` when a key had an error.
    pub(super) fn majority(&mut self, file: &FailoverFile) -> Option<Option<MajoritySpec>> {
        let majority = match &file.promotion {
            None => false,
            Some(p) => match p.get_ref().trim() {
                "any" => false,
                "majority" => true,
                other => {
                    self.c.error(
                        p.span(),
                        "service.failover.promotion",
                        format!("unknown promotion rule `{other}`; expected \"any\" (a cut-off standby promotes on its own) or \"majority\" (only with a majority of the instances and witnesses)"),
                    );
                    return None;
                }
            },
        };
        if !majority {
            for (key, span) in [
                (
                    "service.failover.witnesses",
                    file.witnesses.as_ref().map(|w| w.span()),
                ),
                (
                    "service.failover.witness_cost_per_hour",
                    file.witness_cost_per_hour.as_ref().map(|w| w.span()),
                ),
            ] {
                if let Some(span) = span {
                    self.c.error(
                        span,
                        key,
                        "witnesses vote on promotions, which needs `promotion = \"majority\"`; expected that key with it, or no witnesses".into(),
                    );
                    return None;
                }
            }
            return Some(None);
        }
        let mut witnesses = Vec::new();
        let mut ok = true;
        for w in file.witnesses.iter().flat_map(|w| w.get_ref()) {
            let key = "service.failover.witnesses";
            let Some((_, zone)) =
                self.place(w, key, &|k| matches!(k, Kind::Zone), "the name of a zone")
            else {
                ok = false;
                continue;
            };
            let host = self.zone_racks[zone]
                .iter()
                .find_map(|&r| self.rack_hosts[r].first().copied());
            match host {
                Some(host) => witnesses.push(WitnessSpec { zone, host }),
                None => {
                    self.c.error(
                        w.span(),
                        key,
                        format!("zone `{}` has no host to run a witness on; expected a zone with at least one host", w.get_ref().trim()),
                    );
                    ok = false;
                }
            }
        }
        let cost = match &file.witness_cost_per_hour {
            Some(a) => self.amount_per_hour(a, "service.failover.witness_cost_per_hour"),
            None => Some(0.0),
        };
        (ok && cost.is_some()).then(|| {
            Some(MajoritySpec {
                witnesses,
                witness_cost_per_hour: cost.unwrap_or(0.0),
            })
        })
    }
}
