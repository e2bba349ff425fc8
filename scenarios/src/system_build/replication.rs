//! What writes wait for: `[network]` round trips, each link's `latency`,
//! and the `sync_timeout` and `write_time` keys of a service's `data`.

use models::system::spec::{DEFAULT_LINK_LATENCY, NetworkSpec};
use sim_core::time::SimDuration;
use toml::Spanned;

use super::Builder;
use crate::system_file::{DataFile, SystemFile};

/// The default timeout of semi-synchronous replication: 10 s.
pub(crate) const DEFAULT_SYNC_TIMEOUT: SimDuration = SimDuration::from_secs(10);

impl Builder<'_> {
    /// The `[network]` table, defaults filled in.
    pub(super) fn network(&mut self, file: &SystemFile) -> NetworkSpec {
        let mut net = NetworkSpec::default();
        if let Some(d) = &file.network.same_zone_rtt
            && let Some(d) = self.c.duration(d, "network.same_zone_rtt")
        {
            net.same_zone_rtt = d;
        }
        if let Some(d) = &file.network.cross_zone_rtt
            && let Some(d) = self.c.duration(d, "network.cross_zone_rtt")
        {
            net.cross_zone_rtt = d;
        }
        net
    }

    /// A link's one-way `latency`, 1 ms by default.
    pub(super) fn link_latency(&mut self, latency: Option<&Spanned<String>>) -> SimDuration {
        latency
            .and_then(|l| self.c.duration(l, "link.latency"))
            .unwrap_or(DEFAULT_LINK_LATENCY)
    }

    /// The semi-sync timeout (for `mode` "semi-sync"; `sync_timeout` with
    /// any other mode is refused) and the write time (with any mode);
    /// `None` for the timeout when it had an error.
    pub(super) fn write_keys(
        &mut self,
        file: &DataFile,
        mode: &str,
    ) -> (Option<SimDuration>, SimDuration) {
        let timeout = match (&file.sync_timeout, mode) {
            (Some(t), "semi-sync") => self.c.duration(t, "service.data.sync_timeout"),
            (Some(t), _) => {
                self.c.error(
                    t.span(),
                    "service.data.sync_timeout",
                    "`sync_timeout` belongs to `replication = \"semi-sync\"`".into(),
                );
                None
            }
            (None, _) => Some(DEFAULT_SYNC_TIMEOUT),
        };
        let write_time = file
            .write_time
            .as_ref()
            .and_then(|w| self.c.duration(w, "service.data.write_time"))
            .unwrap_or(SimDuration::ZERO);
        (timeout, write_time)
    }
}
