//! The output folder of a run: an exclusive lock, a staging folder the run writes into, the swap
//! of its files into place with `run.json` written last, and the check of the inputs that
//! `run.json` names.
//!
//! - **Lock**: `OUT/.topictrack.lock` is locked exclusively (an advisory `flock`, released when
//!   the process ends, even when killed) by every command that writes into OUT; a second one
//!   fails at once with [`Error::Locked`] instead of interleaving its files with the first's.
//! - **Staging**: `analyze` and `compare` write every file into a fresh `OUT/.topictrack-staging-*`
//!   folder ([`RunDir::path`]). Only when all are written does [`RunDir::commit`] move them into
//!   OUT: `run.json` is removed first and written last, so OUT never holds a `run.json` beside
//!   files of another run; files of the previous run that this one did not write (`model.json`
//!   without `--save-model`, `problems.csv` when nothing went wrong, charts of a format no longer
//!   asked for...) are removed. A run that fails leaves OUT as it was.
//! - **Leftovers** of interrupted runs (temporary files, staging folders) are removed by the next
//!   command that takes the lock.
//! - **Inputs**: [`check_inputs`] compares the inputs `run.json` names with their fingerprints
//!   ([`crate::ingest::fingerprint`]), so that `events` and `chart` notice an input that changed
//!   since the analysis and find it from any working folder.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use crate::ingest::fingerprint::{compare, InputState};
use crate::output::RunInfo;
use crate::{Error, Result};

/// Name of the lock file inside an output folder.
pub const LOCK_FILE: &str = ".topictrack.lock";
const STAGING_PREFIX: &str = ".topictrack-staging-";
const TMP_PREFIX: &str = ".topictrack-";
const TMP_SUFFIX: &str = ".tmp";

/// Files any topictrack command may have written at the top of an output folder; a later run
/// that does not write one of them removes it (with the charts folder's `.svg` and `.png`).
const KNOWN_OUTPUTS: &[&str] = &[
    "topics.json",
    "themes.json",
    "assignments.csv",
    "articles.jsonl",
    "timeline.csv",
    "run.json",
    "problems.csv",
    "problems-of-failed-run.csv",
    "model.json",
    "events.json",
    "stories.json",
    "stories.csv",
    "report.html",
    "comparison.json",
    "comparison.csv",
    "distinctive_terms.csv",
];

/// An exclusive lock on an output folder, held until dropped.
#[derive(Debug)]
pub struct OutLock {
    _file: File,
}

impl OutLock {
    /// Creates `dir` if needed and locks it; [`Error::Locked`] if another process holds the lock.
    /// Removes what interrupted runs left behind.
    pub fn acquire(dir: &Path) -> Result<OutLock> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    path: dir.to_path_buf(),
                })
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        remove_leftovers(dir);
        Ok(OutLock { _file: file })
    }
}

/// Removes temporary files and staging folders of interrupted runs (the lock is held).
fn remove_leftovers(dir: &Path) {
    for d in [dir.to_path_buf(), dir.join("charts")] {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let p = e.path();
            if name.starts_with(STAGING_PREFIX) && p.is_dir() {
                let _ = std::fs::remove_dir_all(&p);
            } else if is_temp_name(&name) && p.is_file() {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
}

/// A temporary file of [`crate::output::write_atomic`] (or of versions before it, which used
/// `tempfile`'s default `.tmpXXXXXX` for charts).
fn is_temp_name(name: &str) -> bool {
    (name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX))
        || (name.len() == 10
            && name.starts_with(".tmp")
            && name[4..].bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// An output folder being written by one run: locked, with a staging folder.
#[derive(Debug)]
pub struct RunDir {
    out: PathBuf,
    staging: tempfile::TempDir,
    _lock: OutLock,
}

impl RunDir {
    /// Locks `out` (creating it) and makes a fresh staging folder inside it.
    pub fn open(out: &Path) -> Result<RunDir> {
        let lock = OutLock::acquire(out)?;
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(out)
            .map_err(|e| Error::io(out, e))?;
        Ok(RunDir {
            out: out.to_path_buf(),
            staging,
            _lock: lock,
        })
    }

    /// The folder to write this run's files into.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// The output folder.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Moves the staged files into the output folder: `run` is written (with
    /// [`RunInfo::outputs`] listing every file of the run) last, stale files of earlier runs
    /// are removed. Returns the run's files, relative to the folder.
    pub fn commit(self, run: &RunInfo) -> Result<Vec<String>> {
        let staging = self.staging.path();
        let mut files = Vec::new();
        list_files(staging, staging, &mut files)?;
        files.retain(|f| f != "run.json");
        files.push("run.json".to_string());
        files.sort();
        let mut run = run.clone();
        run.outputs = files.clone();
        crate::output::write_json(&staging.join("run.json"), &run)?;

        let old = previous_outputs(&self.out);
        let run_path = self.out.join("run.json");
        match std::fs::remove_file(&run_path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&run_path, e)),
        }
        for f in files.iter().filter(|f| *f != "run.json") {
            let to = self.out.join(f);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            std::fs::rename(staging.join(f), &to).map_err(|e| Error::io(&to, e))?;
        }
        let new: BTreeSet<&str> = files.iter().map(String::as_str).collect();
        for f in old.iter().filter(|f| !new.contains(f.as_str())) {
            let _ = std::fs::remove_file(self.out.join(f));
        }
        std::fs::rename(staging.join("run.json"), &run_path)
            .map_err(|e| Error::io(&run_path, e))?;
        Ok(files)
    }
}

/// Relative paths (with `/`) of the files under `dir`.
fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    for e in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let e = e.map_err(|e| Error::io(dir, e))?;
        let p = e.path();
        if p.is_dir() {
            list_files(root, &p, out)?;
        } else {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// Files of earlier runs in `out` that a new run replaces or removes: those its `run.json`
/// lists, the known output names, and the charts. Only plain relative names are returned, so a
/// tampered `run.json` cannot make a run delete anything outside `out`.
fn previous_outputs(out: &Path) -> BTreeSet<String> {
    let mut old: BTreeSet<String> = KNOWN_OUTPUTS.iter().map(|s| s.to_string()).collect();
    if let Ok(run) = crate::output::read_json::<serde_json::Value>(&out.join("run.json")) {
        if let Some(list) = run.get("outputs").and_then(|o| o.as_array()) {
            old.extend(list.iter().filter_map(|v| v.as_str()).map(str::to_string));
        }
    }
    if let Ok(entries) = std::fs::read_dir(out.join("charts")) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".svg") || name.ends_with(".png") {
                old.insert(format!("charts/{name}"));
            }
        }
    }
    old.retain(|f| {
        let p = Path::new(f);
        !f.is_empty()
            && p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
    });
    old
}

/// The inputs of a saved run, as paths to read them by from any folder, after checking that
/// none changed since the analysis: [`Error::InputChanged`] names the first that did, or that
/// is gone. Inputs of older runs without fingerprints are taken by name as they are.
pub fn check_inputs(run: &RunInfo, full: bool) -> Result<Vec<String>> {
    let mut paths = Vec::new();
    for i in &run.inputs {
        if i.name == "-" {
            return Err(Error::InputChanged {
                name: "-".into(),
                detail: "the analysis read standard input, which cannot be read again".into(),
            });
        }
        match &i.fingerprint {
            None => paths.push(i.name.clone()),
            Some(fp) => match compare(fp, full)? {
                InputState::Same => paths.push(fp.path.clone()),
                InputState::Missing => {
                    return Err(Error::InputChanged {
                        name: i.name.clone(),
                        detail: format!("{} no longer exists", fp.path),
                    })
                }
                InputState::Changed(what) => {
                    return Err(Error::InputChanged {
                        name: i.name.clone(),
                        detail: format!("{}: {what}", fp.path),
                    })
                }
            },
        }
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_info() -> RunInfo {
        RunInfo {
            version: "0".into(),
            format_version: 1,
            inputs: vec![],
            counts: Default::default(),
            skip_reasons: Default::default(),
            params: serde_json::Value::Null,
            k: 1,
            k_selection: None,
            vocabulary: 0,
            dims: 0,
            timeline: Default::default(),
            stage_seconds: vec![],
            scores: None,
            outputs: vec![],
            boilerplate: None,
        }
    }

    #[test]
    fn second_lock_fails_and_leftovers_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("charts")).unwrap();
        for f in [".topictrack-abc.tmp", "charts/.tmpAb12Cd", "keep.txt"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join(".topictrack-staging-old")).unwrap();
        let first = OutLock::acquire(dir.path()).unwrap();
        let err = OutLock::acquire(dir.path()).unwrap_err();
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        assert!(err.to_string().contains("another topictrack run"), "{err}");
        let mut left = Vec::new();
        list_files(dir.path(), dir.path(), &mut left).unwrap();
        left.sort();
        assert_eq!(left, [LOCK_FILE, "keep.txt"]);
        drop(first);
        OutLock::acquire(dir.path()).unwrap();
    }

    #[test]
    fn commit_swaps_in_and_removes_stale_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let out = &dir.path().join("out");
        std::fs::create_dir(out).unwrap();
        // An earlier run with a model, problems and a PNG chart, plus a user's own file.
        for f in ["model.json", "problems.csv", "topics.json", "notes.md"] {
            std::fs::write(out.join(f), "old").unwrap();
        }
        std::fs::create_dir(out.join("charts")).unwrap();
        std::fs::write(out.join("charts/volume.png"), "old").unwrap();
        std::fs::write(
            out.join("run.json"),
            r#"{"outputs": ["model.json", "../outside.txt", "/etc/passwd"]}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("outside.txt"), "x").unwrap();

        let rd = RunDir::open(out).unwrap();
        std::fs::write(rd.path().join("topics.json"), "new").unwrap();
        std::fs::create_dir(rd.path().join("charts")).unwrap();
        std::fs::write(rd.path().join("charts/volume.svg"), "new").unwrap();
        // Before the commit, the earlier run's files are untouched.
        assert_eq!(
            std::fs::read_to_string(out.join("topics.json")).unwrap(),
            "old"
        );
        let files = rd.commit(&run_info()).unwrap();
        assert_eq!(files, ["charts/volume.svg", "run.json", "topics.json"]);
        let mut left = Vec::new();
        list_files(out, out, &mut left).unwrap();
        left.sort();
        assert_eq!(
            left,
            [
                LOCK_FILE,
                "charts/volume.svg",
                "notes.md",
                "run.json",
                "topics.json"
            ]
        );
        assert_eq!(
            std::fs::read_to_string(out.join("topics.json")).unwrap(),
            "new"
        );
        let run: RunInfo = crate::output::read_json(&out.join("run.json")).unwrap();
        assert_eq!(run.outputs, files);
        assert!(dir.path().join("outside.txt").exists());
    }

    #[test]
    fn a_failed_run_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("topics.json"), "old").unwrap();
        {
            let rd = RunDir::open(dir.path()).unwrap();
            std::fs::write(rd.path().join("topics.json"), "new").unwrap();
            // Dropped without commit: the run failed.
        }
        let mut left = Vec::new();
        list_files(dir.path(), dir.path(), &mut left).unwrap();
        assert_eq!(left.len(), 2, "{left:?}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("topics.json")).unwrap(),
            "old"
        );
    }
}
