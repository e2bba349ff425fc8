//! One way to write every file nines writes (`--json`, `--trace`,
//! `--timeline`, `--out`, reports, `nines new`, `hunt --shrink --out`).
//!
//! What is at the path decides how:
//! - nothing, or a regular file: a temporary file beside it (created new,
//!   never opened through a link), synced, then renamed over the path, so
//!   a crash never leaves a half-written file that looks whole;
//! - a FIFO or a character device (`/dev/null`, a terminal): written into
//!   directly, never replaced;
//! - `-`: standard output;
//! - a symbolic link to a FIFO or a character device (`/dev/stdout`,
//!   `/dev/fd/1`): written into through the link, and refused if what is
//!   opened turns out to be anything else;
//! - any other symbolic link, a directory, a socket or a block device:
//!   refused (exit 3). Such a link is neither followed nor replaced.
//!
//! A temporary file is removed when writing fails; one left by a killed run
//! is named `.NAME.XXXXXX.nines-tmp`.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::fail::Failure;
use crate::output::Printed;

/// The end of the name of every temporary file nines writes.
pub(crate) const TEMP_SUFFIX: &str = ".nines-tmp";

/// A file being written. Nothing is visible at the path until
/// [`OutputFile::commit`] (for a FIFO or a device, the bytes go straight
/// in); dropped without a commit, the temporary file is removed.
#[derive(Debug)]
pub(crate) struct OutputFile {
    path: PathBuf,
    sink: Sink,
}

#[derive(Debug)]
enum Sink {
    /// `-`; `closed` once the reader went away (later bytes are dropped).
    Stdout { closed: bool },
    /// A FIFO or a character device, opened for writing as it is.
    Direct(File),
    /// A temporary file beside the path, renamed over it on commit.
    Atomic(tempfile::NamedTempFile),
}

/// What is at a path nines is about to write.
enum Existing {
    Nothing,
    Regular,
    Stream,
    /// A link to a FIFO or a character device.
    LinkedStream,
}

fn refused(path: &Path, what: &str) -> Failure {
    Failure::environment(format!(
        "{}: {what}; nines writes only to a new path, a regular file, a FIFO or a character device (`-` is standard output)",
        path.display()
    ))
}

fn cannot(path: &Path, what: &str, e: &io::Error) -> Failure {
    Failure::environment(format!("{}: cannot {what}: {e}", path.display()))
}

/// Looks at `path` without following a link.
fn existing(path: &Path) -> Result<Existing, Failure> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(cannot(path, "look at the path", &e)),
    };
    let kind = meta.file_type();
    if kind.is_symlink() {
        let target = std::fs::metadata(path).map(|m| m.file_type());
        if target.is_ok_and(|t| t.is_fifo() || t.is_char_device()) {
            return Ok(Existing::LinkedStream);
        }
        Err(refused(
            path,
            "is a symbolic link to something other than a FIFO or a device, which nines neither follows nor replaces (give the path it points to)",
        ))
    } else if kind.is_dir() {
        Err(refused(path, "is a directory, expected a file path"))
    } else if kind.is_file() {
        Ok(Existing::Regular)
    } else if kind.is_fifo() || kind.is_char_device() {
        Ok(Existing::Stream)
    } else {
        Err(refused(path, "is a socket or a block device"))
    }
}

impl OutputFile {
    /// Starts writing `path` (`-` for standard output).
    pub(crate) fn create(path: &Path) -> Result<Self, Failure> {
        let sink = if path.as_os_str() == "-" {
            Sink::Stdout { closed: false }
        } else {
            match existing(path)? {
                Existing::Stream => Sink::Direct(open_stream(path, false)?),
                Existing::LinkedStream => Sink::Direct(open_stream(path, true)?),
                Existing::Nothing | Existing::Regular => Sink::Atomic(temporary(path)?),
            }
        };
        Ok(OutputFile {
            path: path.to_path_buf(),
            sink,
        })
    }

    /// Flushes the file and, for a temporary one, syncs it to disk, so
    /// that a later [`OutputFile::commit`] is only its rename.
    pub(crate) fn sync(&mut self) -> Result<(), Failure> {
        if let Sink::Atomic(temp) = &mut self.sink {
            temp.flush()
                .and_then(|()| temp.as_file().sync_all())
                .map_err(|e| cannot(&self.path, "write", &e))?;
        }
        Ok(())
    }

    /// Finishes the file: flushed, synced and renamed into place (or, for a
    /// FIFO, a device or standard output, flushed).
    pub(crate) fn commit(self) -> Result<Printed, Failure> {
        let path = self.path;
        match self.sink {
            Sink::Stdout { closed: true } => Ok(Printed::PipeClosed),
            Sink::Stdout { closed: false } => match io::stdout().flush() {
                Ok(()) => Ok(Printed::Done),
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Printed::PipeClosed),
                Err(e) => Err(cannot(Path::new("standard output"), "write", &e)),
            },
            Sink::Direct(mut file) => {
                file.flush().map_err(|e| cannot(&path, "write", &e))?;
                Ok(Printed::Done)
            }
            Sink::Atomic(mut temp) => {
                temp.flush()
                    .and_then(|()| temp.as_file().sync_all())
                    .map_err(|e| cannot(&path, "write", &e))?;
                // Whatever appeared at the path meanwhile must still be
                // something a rename may replace.
                if let Existing::Stream | Existing::LinkedStream = existing(&path)? {
                    return Err(refused(&path, "became a FIFO or a device while written"));
                }
                temp.persist(&path)
                    .map_err(|e| cannot(&path, "rename the finished file into place", &e.error))?;
                // The rename itself lasts once the directory is synced;
                // a directory that cannot be opened or synced loses nothing.
                if let Ok(dir) = File::open(parent(&path)) {
                    let _ = dir.sync_all();
                }
                Ok(Printed::Done)
            }
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout { closed: true } => Ok(buf.len()),
            Sink::Stdout { closed } => match io::stdout().write(buf) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                    *closed = true;
                    Ok(buf.len())
                }
                other => other,
            },
            Sink::Direct(file) => file.write(buf),
            Sink::Atomic(temp) => temp.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout { closed: true } => Ok(()),
            Sink::Stdout { closed } => match io::stdout().flush() {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                    *closed = true;
                    Ok(())
                }
                other => other,
            },
            Sink::Direct(file) => file.flush(),
            Sink::Atomic(temp) => temp.flush(),
        }
    }
}

/// Removes the temporary files (`.NAME.XXXXXX.nines-tmp`) a killed run
/// left in `dir`.
pub(crate) fn remove_temporaries(dir: &Path) -> Result<(), Failure> {
    for entry in std::fs::read_dir(dir).map_err(|e| cannot(dir, "read", &e))? {
        let entry = entry.map_err(|e| cannot(dir, "read", &e))?;
        let name = entry.file_name();
        let temporary = name
            .to_str()
            .is_some_and(|n| n.starts_with('.') && n.ends_with(TEMP_SUFFIX));
        if temporary && entry.file_type().is_ok_and(|t| t.is_file()) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|e| cannot(&path, "remove", &e))?;
        }
    }
    Ok(())
}

/// The directory `path` is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Opens a FIFO or a character device for writing as it is: nothing
/// created or truncated, a link followed only when `through_link`, and
/// still a FIFO or a device once open (a link changed meanwhile to point
/// at a regular file is refused before anything is written).
fn open_stream(path: &Path, through_link: bool) -> Result<File, Failure> {
    let flags = if through_link { 0 } else { libc::O_NOFOLLOW };
    let file = OpenOptions::new()
        .write(true)
        .custom_flags(flags)
        .open(path)
        .map_err(|e| cannot(path, "open for writing", &e))?;
    let kind = file
        .metadata()
        .map_err(|e| cannot(path, "look at the opened file", &e))?
        .file_type();
    if !(kind.is_fifo() || kind.is_char_device()) {
        return Err(refused(path, "changed while it was opened"));
    }
    Ok(file)
}

/// A new temporary file beside `path`, created exclusively (a link
/// planted at its name makes the creation fail rather than redirect it).
fn temporary(path: &Path) -> Result<tempfile::NamedTempFile, Failure> {
    let Some(name) = path.file_name() else {
        return Err(refused(path, "has no file name"));
    };
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(6)
        // The final file gets the usual mode (0666 less the umask).
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(parent(path))
        .map_err(|e| cannot(path, "create a temporary file beside it", &e))
}

/// Writes `bytes` to `path` as the module says.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<Printed, Failure> {
    let mut file = OutputFile::create(path)?;
    file.write_all(bytes)
        .map_err(|e| cannot(path, "write", &e))?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(TEMP_SUFFIX))
            .collect()
    }

    #[test]
    fn a_new_path_and_a_regular_file_are_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_file(&path, b"one").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_file(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn nothing_appears_before_the_commit_and_a_dropped_file_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        let mut file = OutputFile::create(&path).unwrap();
        file.write_all(b"new, half written").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(leftovers(dir.path()).len(), 1);
        drop(file);
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_symlink_is_refused_and_its_target_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("victim");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = write_file(&link, b"x").unwrap_err();
        assert_eq!(e.code, 3, "{}", e.message);
        assert!(e.message.contains("symbolic link"), "{}", e.message);
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        // A dangling link too: nothing is created where it points.
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert_eq!(write_file(&dangling, b"x").unwrap_err().code, 3);
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn a_link_to_a_device_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("null");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        write_file(&link, b"discarded").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert!(
            std::fs::symlink_metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_file(dir.path(), b"x").unwrap_err();
        assert_eq!(e.code, 3);
        assert!(e.message.contains("is a directory"), "{}", e.message);
    }

    #[test]
    fn a_character_device_is_written_into_not_replaced() {
        let null = Path::new("/dev/null");
        let before = std::fs::symlink_metadata(null).unwrap();
        assert!(before.file_type().is_char_device());
        write_file(null, b"discarded").unwrap();
        let after = std::fs::symlink_metadata(null).unwrap();
        assert!(after.file_type().is_char_device());
        assert_eq!(
            std::os::unix::fs::MetadataExt::ino(&before),
            std::os::unix::fs::MetadataExt::ino(&after)
        );
    }

    #[test]
    fn an_unwritable_directory_is_an_environment_failure() {
        let e = write_file(Path::new("/no/such/dir/out.json"), b"x").unwrap_err();
        assert_eq!(e.code, 3, "{}", e.message);
        assert!(e.message.starts_with("/no/such/dir/out.json: cannot"));
    }
}
