//! What a maintenance window renews when it ends (`resets`): by default
//! every aging fault with random occurrences, else the faults it names, or
//! none. Resolved once every fault is built, since a window may name a
//! fault written after it.

use std::ops::Range;

use models::system::spec::{FaultClass, FaultSpec};

use super::Builder;
use crate::system_file::{FaultFile, Names};

/// The kinds of fault whose age a restart can renew: those on hosts that
/// happen at random, one process per host.
const RENEWABLE: [FaultClass; 4] = [
    FaultClass::HostCrash,
    FaultClass::DiskFailure,
    FaultClass::GrayFailure,
    FaultClass::Aging,
];

/// A fault's name as written, or its kind when it has none.
fn fault_name(f: &FaultFile) -> &str {
    match &f.name {
        Some(n) => n.get_ref().trim(),
        None => f.kind.get_ref().trim(),
    }
}

/// The fault's class, if its kind is known.
fn class_of(f: &FaultFile) -> Option<FaultClass> {
    let kind = f.kind.get_ref().trim();
    FaultClass::ALL.iter().copied().find(|c| c.name() == kind)
}

/// True if the fault occurs at random (`every`, not `at` or
/// `after_uptime`).
fn random(f: &FaultFile) -> bool {
    f.every.is_some() && f.at.is_none() && f.after_uptime.is_none()
}

impl Builder<'_> {
    /// Fills in `resets` of every maintenance fault built.
    pub(super) fn renewals(&mut self, files: &[FaultFile], faults: &mut [Option<FaultSpec>]) {
        for (i, file) in files.iter().enumerate() {
            let Some(spec) = faults.get(i).and_then(Option::as_ref) else {
                continue;
            };
            if spec.class != FaultClass::Maintenance {
                continue;
            }
            let resets = match &file.resets {
                None => (0..files.len())
                    .filter(|&j| {
                        class_of(&files[j]) == Some(FaultClass::Aging) && random(&files[j])
                    })
                    .collect(),
                Some(r) => match r.get_ref() {
                    Names::One(n) if n.trim() == "none" => Vec::new(),
                    Names::One(n) => self.renewed(files, n, r.span()).into_iter().collect(),
                    Names::Many(list) => list
                        .iter()
                        .filter_map(|n| self.renewed(files, n.get_ref(), n.span()))
                        .collect(),
                },
            };
            let mut resets: Vec<usize> = resets;
            resets.sort_unstable();
            resets.dedup();
            if let Some(spec) = faults[i].as_mut() {
                spec.resets = resets;
            }
        }
    }

    /// The index of the fault named `name`, if a restart can renew it.
    fn renewed(&mut self, files: &[FaultFile], name: &str, span: Range<usize>) -> Option<usize> {
        let name = name.trim();
        let Some(j) = files.iter().position(|f| fault_name(f) == name) else {
            let names: Vec<&str> = files.iter().map(fault_name).collect();
            let expected = "the name of a host fault with `every` whose age the window renews, a list of them, or \"none\"";
            self.unknown(span, "fault.resets", name, expected, names.into_iter());
            return None;
        };
        let target = &files[j];
        let kinds = "a host fault with `every` (host-crash, disk-failure, gray-failure or aging), whose age a restart renews";
        match class_of(target) {
            Some(c) if !RENEWABLE.contains(&c) => {
                self.c.error(
                    span,
                    "fault.resets",
                    format!("`{name}` is a {} fault; expected {kinds}", c.name()),
                );
                None
            }
            Some(_) if !random(target) => {
                self.c.error(
                    span,
                    "fault.resets",
                    format!("`{name}` does not happen at random, so a restart has no age of it to renew; expected {kinds}"),
                );
                None
            }
            // An unknown kind is reported where it is written.
            None => None,
            Some(_) => Some(j),
        }
    }
}
