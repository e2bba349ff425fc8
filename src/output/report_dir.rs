//! Writing a report's directory so that it is always one report: never a
//! new `report.html` beside an old `results.json`, whatever moment a run is
//! killed at.
//!
//! What is at the path decides how:
//! - nothing: the files are written into a new directory beside it
//!   (`.NAME.PID.N.nines-tmp`), synced, and the directory renamed into
//!   place: there is no report, then the whole report;
//! - a directory holding only an earlier report's files (those its
//!   [`MANIFEST`] lists, or the files this report writes): the new report
//!   is written beside it the same way and the two directories are
//!   exchanged in one step (`renameat2` with `RENAME_EXCHANGE`; where the
//!   file system cannot, the old one is moved aside first, so that the path
//!   holds the old report, nothing for an instant, then the new one), and
//!   the old report is removed;
//! - a directory holding anything else (the user's files, a sweep's
//!   points): those are left alone and the report's files are written
//!   beside them, each first to a temporary file; once every one is
//!   written and synced they are renamed into place one after another,
//!   `results.json` last. A kill while they are written leaves the old
//!   report whole; only a kill inside the last few renames can mix the two.
//! - a symbolic link, or anything but a directory: refused (exit 3).
//!
//! Temporary files and directories a killed run left behind are removed
//! by the next report written there.

use std::fs::{self, File};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::file::{OutputFile, TEMP_SUFFIX, remove_temporaries};
use crate::fail::Failure;

/// The file in a report's directory that lists the report's files, so
/// that the next report written there knows the directory holds nothing
/// else.
pub(crate) const MANIFEST: &str = ".nines-report";

/// The file written last when a report is written among other files.
const LAST: &str = "results.json";

fn cannot(path: &Path, what: &str, e: &io::Error) -> Failure {
    Failure::environment(format!("{}: cannot {what}: {e}", path.display()))
}

/// Writes `files` (name, contents) as the whole report in `dir` (see the
/// module documentation). Names are plain file names.
pub(crate) fn write_report_dir(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), Failure> {
    if let Some((name, _)) = files
        .iter()
        .find(|(n, _)| n.is_empty() || n.contains('/') || *n == "." || *n == ".." || *n == MANIFEST)
    {
        return Err(Failure::internal(format!(
            "a report file named `{name}`: expected a plain file name"
        )));
    }
    remove_stale_directories(dir);
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let fresh = Fresh::write(dir, files, None)?;
            fresh.rename_to(dir)
        }
        Err(e) => Err(cannot(dir, "look at the path", &e)),
        Ok(meta) if meta.file_type().is_symlink() => Err(Failure::environment(format!(
            "{}: is a symbolic link, which nines neither follows nor replaces (give the directory it points to)",
            dir.display()
        ))),
        Ok(meta) if !meta.is_dir() => Err(Failure::input(format!(
            "{}: exists and is not a directory; expected a directory to write the report into",
            dir.display()
        ))),
        Ok(meta) => {
            remove_temporaries(dir)?;
            match only_a_report(dir, files)? {
                Some(old) => {
                    let fresh = Fresh::write(dir, files, Some(meta.permissions().mode()))?;
                    fresh.replace(dir, &old)
                }
                None => write_among_others(dir, files),
            }
        }
    }
}

/// The files of `dir` if it holds nothing but an earlier report's files
/// (and this report's), else `None`.
fn only_a_report(dir: &Path, files: &[(&str, &[u8])]) -> Result<Option<Vec<String>>, Failure> {
    let listed: Vec<String> = fs::read_to_string(dir.join(MANIFEST))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default();
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| cannot(dir, "read", &e))? {
        let entry = entry.map_err(|e| cannot(dir, "read", &e))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            return Ok(None);
        };
        let ours = name == MANIFEST
            || listed.contains(&name)
            || files.iter().any(|(f, _)| *f == name.as_str());
        if !ours || !entry.file_type().is_ok_and(|t| t.is_file()) {
            return Ok(None);
        }
        found.push(name);
    }
    Ok(Some(found))
}

/// A complete report in a new directory beside its destination.
struct Fresh {
    path: PathBuf,
    /// Whether it was put in place (else it is removed when dropped).
    placed: bool,
}

impl Fresh {
    /// Writes `files` and the manifest into a new directory beside `dir`,
    /// each synced, with `mode` (else the default for new directories).
    fn write(dir: &Path, files: &[(&str, &[u8])], mode: Option<u32>) -> Result<Fresh, Failure> {
        let parent = parent(dir);
        fs::create_dir_all(parent).map_err(|e| cannot(parent, "create", &e))?;
        let path = new_directory(dir)?;
        let fresh = Fresh {
            path,
            placed: false,
        };
        let mut names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
        names.push(MANIFEST);
        let manifest = names.join("\n") + "\n";
        let all = files
            .iter()
            .copied()
            .chain(std::iter::once((MANIFEST, manifest.as_bytes())));
        for (name, bytes) in all {
            let path = fresh.path.join(name);
            let mut file = File::create_new(&path).map_err(|e| cannot(&path, "create", &e))?;
            file.write_all(bytes)
                .and_then(|()| file.sync_all())
                .map_err(|e| cannot(&path, "write", &e))?;
        }
        if let Some(mode) = mode {
            fs::set_permissions(&fresh.path, fs::Permissions::from_mode(mode))
                .map_err(|e| cannot(&fresh.path, "set the permissions of", &e))?;
        }
        sync_dir(&fresh.path);
        Ok(fresh)
    }

    /// Renames the new directory to `dir`, where there is nothing.
    fn rename_to(mut self, dir: &Path) -> Result<(), Failure> {
        fs::rename(&self.path, dir).map_err(|e| cannot(dir, "rename the report into place", &e))?;
        self.placed = true;
        sync_dir(parent(dir));
        Ok(())
    }

    /// Puts the new directory where `dir` (an earlier report holding
    /// `old`) is, and removes the earlier report.
    fn replace(mut self, dir: &Path, old: &[String]) -> Result<(), Failure> {
        let exchanged = rustix::fs::renameat_with(
            rustix::fs::CWD,
            &self.path,
            rustix::fs::CWD,
            dir,
            rustix::fs::RenameFlags::EXCHANGE,
        );
        let aside = match exchanged {
            // The earlier report is now where the new one was written.
            Ok(()) => self.path.clone(),
            Err(_) => {
                // No exchange here: move the earlier report aside first.
                let aside = new_name(dir)?;
                fs::rename(dir, &aside)
                    .map_err(|e| cannot(dir, "move the old report aside", &e))?;
                if let Err(e) = fs::rename(&self.path, dir) {
                    let _ = fs::rename(&aside, dir);
                    return Err(cannot(dir, "rename the report into place", &e));
                }
                aside
            }
        };
        self.placed = true;
        sync_dir(parent(dir));
        for name in old {
            let _ = fs::remove_file(aside.join(name));
        }
        fs::remove_dir(&aside).map_err(|e| cannot(&aside, "remove the old report", &e))
    }
}

impl Drop for Fresh {
    /// A report that was not put in place is removed (its files are the
    /// ones it wrote).
    fn drop(&mut self) {
        if !self.placed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Writes the report's files into `dir`, beside files that are not the
/// report's: every file is written to a temporary file first, then all
/// are renamed into place, `results.json` last.
fn write_among_others(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), Failure> {
    let mut order: Vec<&(&str, &[u8])> = files.iter().collect();
    order.sort_by_key(|(name, _)| *name == LAST);
    let mut staged = Vec::with_capacity(order.len());
    for (name, bytes) in order {
        let path = dir.join(name);
        let mut out = OutputFile::create(&path)?;
        out.write_all(bytes)
            .map_err(|e| cannot(&path, "write", &e))?;
        out.sync()?;
        staged.push(out);
    }
    let listed = fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    for file in staged {
        file.commit()?;
    }
    // The earlier report's files this one does not have go, and the
    // manifest lists this report's.
    for old in listed.lines() {
        let gone = old != MANIFEST && !old.contains('/') && !files.iter().any(|(n, _)| *n == old);
        if gone {
            let _ = fs::remove_file(dir.join(old));
        }
    }
    let mut names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    names.push(MANIFEST);
    super::write_file(&dir.join(MANIFEST), (names.join("\n") + "\n").as_bytes()).map(drop)
}

/// Removes the directories beside `dir` that a killed run left while it
/// wrote a report there (`.NAME.PID.N.nines-tmp`); what cannot be removed
/// stays, harmless.
fn remove_stale_directories(dir: &Path) {
    let Some(name) = dir.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(parent(dir)) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(TEMP_SUFFIX));
        if stale && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Creates a new, empty directory beside `dir` for a report being written.
fn new_directory(dir: &Path) -> Result<PathBuf, Failure> {
    for _ in 0..1000 {
        let path = new_name(dir)?;
        match fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(cannot(&path, "create", &e)),
        }
    }
    Err(Failure::environment(format!(
        "{}: cannot find a free name for a temporary directory beside it",
        dir.display()
    )))
}

/// A name beside `dir` that nothing has: `.NAME.PID.N.nines-tmp`.
fn new_name(dir: &Path) -> Result<PathBuf, Failure> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = dir.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
        Failure::input(format!(
            "{}: expected a directory's name for the report",
            dir.display()
        ))
    })?;
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = parent(dir).join(format!(".{name}.{}.{n}{TEMP_SUFFIX}", std::process::id()));
        if fs::symlink_metadata(&path).is_err() {
            return Ok(path);
        }
    }
}

/// The directory `path` is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Syncs a directory, so that the renames in it last; a directory that
/// cannot be opened or synced loses nothing.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests;
