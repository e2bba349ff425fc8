//! A report's directory is one report whatever happens while it is written.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::*;

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap()
}

#[test]
fn a_new_directory_appears_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    write_report_dir(&dir, &[("report.html", b"new"), ("results.json", b"{}")]).unwrap();
    assert_eq!(names(&dir), [MANIFEST, "report.html", "results.json"]);
    assert_eq!(
        read(&dir.join(MANIFEST)),
        "report.html\nresults.json\n.nines-report\n"
    );
    assert_eq!(names(tmp.path()), ["report"], "nothing left beside it");
}

#[test]
fn a_report_replaces_an_earlier_one_whole_and_keeps_its_permissions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    write_report_dir(&dir, &[("old.svg", b"1"), ("results.json", b"old")]).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o750)).unwrap();
    write_report_dir(&dir, &[("new.svg", b"2"), ("results.json", b"new")]).unwrap();
    // The earlier report's figure is gone with it: one report, not two.
    assert_eq!(names(&dir), [MANIFEST, "new.svg", "results.json"]);
    assert_eq!(read(&dir.join("results.json")), "new");
    assert_eq!(
        fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o750
    );
    assert_eq!(names(tmp.path()), ["report"]);
}

#[test]
fn a_failed_write_leaves_the_earlier_report_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    // A name longer than the file system allows fails after the first
    // file is written. Nothing there: still nothing after the failure.
    let long = "x".repeat(300);
    let broken: &[(&str, &[u8])] = &[("report.html", b"new"), (&long, b"")];
    assert!(write_report_dir(&dir, broken).is_err());
    assert!(!dir.exists());
    assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
    // An earlier report: still whole after the failure.
    write_report_dir(&dir, &[("report.html", b"old"), ("results.json", b"old")]).unwrap();
    assert!(write_report_dir(&dir, broken).is_err());
    assert_eq!(read(&dir.join("report.html")), "old");
    assert_eq!(read(&dir.join("results.json")), "old");
    assert_eq!(names(tmp.path()), ["report"]);
    // A name that is not a plain file name is refused before anything.
    let e = write_report_dir(&dir, &[("../x", b"")]).unwrap_err();
    assert!(e.message.contains("plain file name"), "{}", e.message);
}

#[test]
fn beside_other_files_only_the_reports_change_and_nothing_is_left_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    fs::create_dir(dir.join("points")).unwrap();
    write_report_dir(&dir, &[("a.svg", b"1"), ("results.json", b"old")]).unwrap();
    // A kill while writing left a temporary file; the next report removes it.
    fs::write(dir.join(".results.json.abc123.nines-tmp"), "half").unwrap();
    write_report_dir(&dir, &[("b.svg", b"2"), ("results.json", b"new")]).unwrap();
    assert_eq!(
        names(&dir),
        [MANIFEST, "b.svg", "notes.txt", "points", "results.json"]
    );
    assert_eq!(read(&dir.join("notes.txt")), "mine");
    assert_eq!(read(&dir.join("results.json")), "new");
    // A failure while the files are written changes none of them.
    let long = "x".repeat(300);
    let broken: &[(&str, &[u8])] = &[("results.json", b"newer"), ("b.svg", b"3"), (&long, b"")];
    assert!(write_report_dir(&dir, broken).is_err());
    assert_eq!(read(&dir.join("results.json")), "new");
    assert_eq!(read(&dir.join("b.svg")), "2");
    assert_eq!(
        names(&dir),
        [MANIFEST, "b.svg", "notes.txt", "points", "results.json"]
    );
}

#[test]
fn a_link_or_a_file_at_the_path_is_refused_and_stale_directories_go() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("elsewhere");
    fs::create_dir(&target).unwrap();
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let e = write_report_dir(&link, &[("results.json", b"{}")]).unwrap_err();
    assert!(e.message.contains("symbolic link"), "{}", e.message);
    assert_eq!(e.code, 3);
    assert!(names(&target).is_empty());
    let file = tmp.path().join("file");
    fs::write(&file, "x").unwrap();
    assert!(write_report_dir(&file, &[("results.json", b"{}")]).is_err());
    assert_eq!(read(&file), "x");
    // What a killed run left beside a report's directory is removed.
    let stale = tmp.path().join(".report.999.0.nines-tmp");
    fs::create_dir(&stale).unwrap();
    fs::write(stale.join("report.html"), "half").unwrap();
    write_report_dir(&tmp.path().join("report"), &[("results.json", b"{}")]).unwrap();
    assert!(!stale.exists());
}
