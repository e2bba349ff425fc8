//! Attribution: the split of the entry point's downtime among the active
//! faults and the components they hold, by the rule in the documentation
//! of the `model` module.

use super::{Held, SystemModel};
use crate::system::spec::{Effect, Element};

impl SystemModel<'_> {
    /// Splits the current downtime among the active faults (see the module
    /// documentation for the rule).
    pub(super) fn attribute(&mut self) -> Vec<(usize, f64)> {
        let mut active = std::mem::take(&mut self.attr_ids);
        active.clear();
        active.extend(
            self.activations
                .iter()
                .enumerate()
                .filter_map(|(i, a)| a.as_ref().map(|a| (i as u32, &a.held)))
                .filter(|(_, h)| !matches!(h, Held::Degrade(..)))
                .map(|(i, _)| i),
        );
        let mut necessary = Vec::new();
        for &id in &active {
            self.probe_without(id);
            if self.probe.entry_up {
                necessary.push(id);
            }
        }
        let chosen: Vec<u32> = if necessary.is_empty() {
            active
                .iter()
                .copied()
                .filter(|&id| {
                    self.activations[id as usize]
                        .as_ref()
                        .is_some_and(|a| self.touches_entry(&a.held))
                })
                .collect()
        } else {
            necessary
        };
        let chosen = if chosen.is_empty() {
            active.clone()
        } else {
            chosen
        };
        self.attr_ids = active;
        let spec = self.spec;
        let mut causes: Vec<usize> = Vec::new();
        // The components go straight into their shares (set below), so
        // attribution allocates nothing more than before.
        let mut components = std::mem::take(&mut self.component_shares);
        components.clear();
        for a in chosen
            .into_iter()
            .filter_map(|id| self.activations[id as usize].as_ref())
        {
            let fault = self.processes[a.process as usize].fault;
            causes.push(fault);
            components.push((
                match &a.held {
                    Held::Down(e) | Held::Degrade(e, _) => spec.component_slot(*e),
                    Held::Partition => spec.network_slot(),
                    Held::Surge(_) => spec.load_slot(),
                    Held::Rollout(_) => match spec.faults[fault].effect {
                        Effect::Rollout { service, .. } => {
                            spec.component_slot(Element::Service(service))
                        }
                        _ => spec.component_slot(Element::Service(spec.entry.service)),
                    },
                },
                0.0,
            ));
        }
        if causes.is_empty() {
            // Down with no fault active: a failover still under way after
            // its cause was repaired. Charge the faults that set it off,
            // and the services failing over.
            for svc in 0..spec.services.len() {
                if self.counters.switching(svc)
                    && let Some(cause) = self.failovers[svc].as_ref().and_then(|f| f.cause)
                {
                    causes.push(cause);
                    components.push((spec.component_slot(Element::Service(svc)), 0.0));
                }
            }
        }
        if causes.is_empty() {
            // Down after every fault is over: the recovery is still under
            // way (health checks not yet passed). Charge the last repair,
            // and the entry's service.
            if let Some(f) = self.last_repaired {
                causes.push(f);
                components.push((
                    spec.component_slot(Element::Service(spec.entry.service)),
                    0.0,
                ));
            }
        }
        let share = 1.0 / components.len().max(1) as f64;
        for c in &mut components {
            c.1 = share;
        }
        self.component_shares = components;
        let share = 1.0 / causes.len().max(1) as f64;
        causes.into_iter().map(|f| (f, share)).collect()
    }

    /// Whether a held effect touches what the entry point relies on.
    fn touches_entry(&self, held: &Held) -> bool {
        let spec = self.spec;
        let hosts_touched = |e: Element| -> bool {
            spec.services.iter().enumerate().any(|(s, svc)| {
                self.eval.in_closure(s)
                    && svc.instances.iter().enumerate().any(|(i, inst)| {
                        let rack = spec.hosts[inst.host].rack;
                        let zone = spec.racks[rack].zone;
                        match e {
                            Element::Host(h) => h == inst.host,
                            Element::Rack(r) => r == rack,
                            Element::Zone(z) => z == zone,
                            Element::Region(r) => r == spec.zones[zone].region,
                            Element::Service(x) => x == s,
                            Element::Instance(x, y) => x == s && y == i,
                            Element::Link(_) => true,
                        }
                    })
            })
        };
        match held {
            Held::Down(e) | Held::Degrade(e, _) => hosts_touched(*e),
            Held::Partition | Held::Surge(_) => true,
            Held::Rollout(broken) => broken.iter().any(|&e| hosts_touched(e)),
        }
    }
}
