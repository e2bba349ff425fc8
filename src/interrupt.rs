//! Ctrl-C during a run: the first press stops starting replications and
//! lets the running ones finish, so the command can print what finished
//! (and exit 130); a second press exits at once, with code 130.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the first Ctrl-C.
static STOP: AtomicBool = AtomicBool::new(false);

/// The exit code of a process ended by Ctrl-C (128 + SIGINT).
pub(crate) const EXIT_CODE: i32 = 130;

/// The flag the first Ctrl-C sets, with the handler installed on first use.
///
/// If the handler cannot be installed, Ctrl-C keeps its default effect
/// (the process ends at once) and the flag is never set.
pub(crate) fn stop_flag() -> &'static AtomicBool {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if STOP.swap(true, Ordering::SeqCst) {
                std::process::exit(EXIT_CODE);
            }
            crate::progress::notice(
                "interrupted: finishing the replications in progress (press Ctrl-C again to stop at once)",
            );
        });
    });
    &STOP
}
