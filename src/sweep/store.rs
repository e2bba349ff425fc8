//! A sweep's directory: what the sweep is (`manifest.json`), and each
//! finished point (`points/NNNNNN.json`), written atomically as soon as it
//! finishes. An interrupted sweep keeps its finished points; `--resume`
//! reads them back; `nines merge` joins the directories of a sweep's
//! shards. Points read back give the same bytes as points just run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::PointResult;
use crate::fail::Failure;
use crate::output::write_file;

/// What a sweep is: enough to tell its points from another sweep's and to
/// write its tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// A digest of everything that decides the results: each point's
    /// scenario text, the seed, replications, horizon, streams and version.
    pub(crate) key: String,
    /// Points in the whole sweep.
    pub(crate) points: usize,
    /// Replications per point.
    pub(crate) replications: u64,
    /// The root seed.
    pub(crate) seed: u64,
    /// Whether points have their own streams.
    pub(crate) independent: bool,
    /// The swept paths, in order.
    pub(crate) parameters: Vec<String>,
    /// Whether the sweep has named variants.
    pub(crate) variants: bool,
    /// This directory's shard, `(i, n)`, when the sweep is sharded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) shard: Option<(usize, usize)>,
}

/// One finished point on disk.
#[derive(Debug, Serialize, Deserialize)]
struct StoredPoint {
    index: usize,
    key: String,
    result: PointResult,
}

fn points_dir(dir: &Path) -> PathBuf {
    dir.join("points")
}

fn point_path(dir: &Path, index: usize) -> PathBuf {
    points_dir(dir).join(format!("{index:06}.json"))
}

fn io(path: &Path, what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::input(format!("{}: cannot {what}: {e}", path.display()))
}

/// Prepares `dir` for a sweep: removes the temporary files a killed run
/// left, writes its manifest and, with `resume`, returns the points
/// already finished there for this very sweep. Without `resume`, a
/// directory holding finished points is refused unless `force` says to
/// start over; starting over removes only the point files nines names
/// (`points/NNNNNN.json`), never other files under `points/`.
pub(crate) fn open(
    dir: &Path,
    manifest: &Manifest,
    resume: bool,
    force: bool,
) -> Result<BTreeMap<usize, PointResult>, Failure> {
    let points = points_dir(dir);
    std::fs::create_dir_all(&points).map_err(|e| io(&points, "create", e))?;
    crate::output::remove_temporaries(dir)?;
    crate::output::remove_temporaries(&points)?;
    let mut done = BTreeMap::new();
    if resume {
        let old = read_manifest(dir)?;
        if let Some(old) = &old
            && (old.key != manifest.key || old.shard != manifest.shard)
        {
            return Err(Failure::input(format!(
                "{}: holds results of another sweep (a different scenario, seed, replications, horizon or shard); resume the same sweep, or choose another --out",
                dir.display()
            )));
        }
        done = read_points(dir, &manifest.key)?;
    } else {
        let finished = point_files(&points)?;
        if !finished.is_empty() && !force {
            let same = read_manifest(dir)?.is_some_and(|old| old.key == manifest.key);
            let advice = if same {
                "add --resume to keep them and run only the rest, or --force to discard them and start over"
            } else {
                "add --force to discard them and start over, or choose another --out"
            };
            let whose = if same { "this" } else { "another" };
            let n = finished.len();
            let plural = if n == 1 { "" } else { "s" };
            return Err(Failure::input(format!(
                "{}: holds {n} finished point{plural} of {whose} sweep; {advice}",
                dir.display()
            )));
        }
        for path in finished {
            std::fs::remove_file(&path).map_err(|e| io(&path, "remove", e))?;
        }
    }
    let text = serde_json::to_string_pretty(manifest)
        .map_err(|e| Failure::internal(format!("cannot encode the manifest: {e}")))?;
    write_file(&dir.join("manifest.json"), (text + "\n").as_bytes())?;
    Ok(done)
}

/// Whether `name` is one nines gives a finished point: six digits, `.json`.
fn is_point_name(name: &str) -> bool {
    name.strip_suffix(".json")
        .is_some_and(|stem| stem.len() == 6 && stem.bytes().all(|b| b.is_ascii_digit()))
}

/// The point files nines wrote in `points`, sorted.
fn point_files(points: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(points)
        .map_err(|e| io(points, "read", e))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| e.file_name().to_str().is_some_and(is_point_name))
        .map(|e| e.path())
        .collect();
    found.sort();
    Ok(found)
}

/// Writes one finished point.
pub(crate) fn save(
    dir: &Path,
    key: &str,
    index: usize,
    result: &PointResult,
) -> Result<(), Failure> {
    let stored = StoredPoint {
        index,
        key: key.to_string(),
        result: result.clone(),
    };
    let text = serde_json::to_string(&stored)
        .map_err(|e| Failure::internal(format!("cannot encode a point: {e}")))?;
    write_file(&point_path(dir, index), text.as_bytes()).map(drop)
}

/// The manifest of `dir`, if it has one.
pub(crate) fn read_manifest(dir: &Path) -> Result<Option<Manifest>, Failure> {
    let path = dir.join("manifest.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| io(&path, "read the manifest", e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&path, "read", e)),
    }
}

/// The finished points of the sweep `key` in `dir`, by index.
pub(crate) fn read_points(dir: &Path, key: &str) -> Result<BTreeMap<usize, PointResult>, Failure> {
    let points = points_dir(dir);
    let mut found = BTreeMap::new();
    let entries = match std::fs::read_dir(&points) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(io(&points, "read", e)),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_point_name)
        })
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|e| io(&path, "read", e))?;
        let stored: StoredPoint =
            serde_json::from_str(&text).map_err(|e| io(&path, "read a finished point", e))?;
        if stored.key != key {
            return Err(Failure::input(format!(
                "{}: a point of another sweep; remove it or choose another --out",
                path.display()
            )));
        }
        found.insert(stored.index, stored.result);
    }
    Ok(found)
}
