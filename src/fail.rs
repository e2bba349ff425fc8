//! Failures and their exit codes: 1 when a check the user asked for failed,
//! 2 for bad input, 3 for an internal or environmental error, 130 when the
//! user interrupted a run with Ctrl-C (after what finished was printed).

use std::process::ExitCode;

/// A reason to stop, with the exit code it means.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
}

impl Failure {
    /// Bad input: a scenario, a flag value or a path. Exit code 2.
    pub(crate) fn input(message: String) -> Self {
        Failure { code: 2, message }
    }
    /// A check failed (a validation case). Exit code 1.
    pub(crate) fn check(message: String) -> Self {
        Failure { code: 1, message }
    }
    /// The environment failed: a file that cannot be written, a path nines
    /// will not write through (a symbolic link, a directory). Exit code 3.
    pub(crate) fn environment(message: String) -> Self {
        Failure { code: 3, message }
    }
    /// Something that is not the user's fault. Exit code 3.
    pub(crate) fn internal(message: String) -> Self {
        Failure { code: 3, message }
    }
    /// The user pressed Ctrl-C; what finished has been printed. Exit code
    /// 130, as a shell reports a process ended by SIGINT.
    pub(crate) fn interrupted(message: String) -> Self {
        Failure { code: 130, message }
    }
    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }
}
