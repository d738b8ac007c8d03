//! Shared helpers of the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The project's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled demo corpus.
pub fn demo() -> PathBuf {
    root().join("data").join("articles.jsonl")
}

/// The shared real corpora: `TOPICTRACK_CORPORA`, default `../shared/data` beside the project.
/// `None` (and a loud message) when absent; `.ci/run` makes sure they are present in CI.
pub fn corpus(name: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("TOPICTRACK_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("..").join("shared").join("data"));
    let p = dir.join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: corpus {} not found (set TOPICTRACK_CORPORA)",
            p.display()
        );
        None
    }
}

/// The topictrack binary.
pub fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("topictrack").expect("binary built")
}

/// Reads a file to a string.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
