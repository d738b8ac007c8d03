//! Fingerprints of inputs: each input's absolute path, size, modification time and content
//! hash (XXH3-64 of the bytes as stored; for a folder, of its `.txt` files' relative paths and
//! contents). `run.json` keeps them, so that `events` and `chart` notice an input that changed
//! since the analysis ([`crate::run_dir::check_inputs`]) and find it from any working folder.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// What `run.json` keeps of an input to recognise it later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Absolute path (`-` for standard input).
    pub path: String,
    /// Size in bytes (for a folder: of its text files together).
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (latest of a folder's files).
    pub modified_ns: u128,
    /// XXH3-64 of the content, hex.
    pub xxh3: String,
}

/// The fingerprint of input `name` (a file or a folder of text files); `None` for `-`.
pub fn fingerprint(name: &str) -> Result<Option<Fingerprint>> {
    if name == "-" {
        return Ok(None);
    }
    let path = Path::new(name);
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_dir() && !meta.is_file() {
        // A pipe or device (`<(...)`, /dev/stdin) can be read only once: by the reader.
        return Ok(None);
    }
    let abs = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let (size, modified_ns, hash) = if path.is_dir() {
        let mut files = Vec::new();
        super::text_files(path, &mut files)?;
        files.sort();
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let (mut size, mut modified) = (0u64, 0u128);
        for f in &files {
            let rel = f.strip_prefix(path).unwrap_or(f);
            h.update(rel.to_string_lossy().as_bytes());
            h.update(&[0]);
            let (s, m, fh) = hash_file(f)?;
            h.update(&fh.to_le_bytes());
            size += s;
            modified = modified.max(m);
        }
        (size, modified, h.digest())
    } else {
        hash_file(path)?
    };
    Ok(Some(Fingerprint {
        path: abs.to_string_lossy().into_owned(),
        size,
        modified_ns,
        xxh3: format!("{hash:016x}"),
    }))
}

/// Size, modification time and XXH3-64 of a file.
fn hash_file(path: &Path) -> Result<(u64, u128, u64)> {
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = f.metadata().map_err(|e| Error::io(path, e))?;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, modified_ns(&meta), h.digest()))
}

fn modified_ns(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// How an input compares with its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputState {
    /// Same size and content (or same size and modification time, when `full` was not asked).
    Same,
    /// Changed, with what differs.
    Changed(String),
    /// Gone.
    Missing,
}

/// Compares input `fp` as it is now with its fingerprint. Without `full`, an input of the same
/// size and modification time is taken as unchanged without reading it.
pub fn compare(fp: &Fingerprint, full: bool) -> Result<InputState> {
    let path = Path::new(&fp.path);
    if !path.exists() {
        return Ok(InputState::Missing);
    }
    if !path.is_dir() {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.len() != fp.size {
            return Ok(InputState::Changed(format!(
                "{} bytes, {} at the analysis",
                meta.len(),
                fp.size
            )));
        }
        if !full && modified_ns(&meta) == fp.modified_ns {
            return Ok(InputState::Same);
        }
    }
    let now = fingerprint(&fp.path)?.unwrap_or_default();
    Ok(if now.size != fp.size {
        InputState::Changed(format!("{} bytes, {} at the analysis", now.size, fp.size))
    } else if now.xxh3 != fp.xxh3 {
        InputState::Changed(format!(
            "same size, different content (hash {} vs {})",
            now.xxh3, fp.xxh3
        ))
    } else {
        InputState::Same
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_notice_changes() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("in.jsonl");
        std::fs::write(&f, "{\"text\":\"a\"}\n").unwrap();
        let fp = fingerprint(&f.to_string_lossy()).unwrap().unwrap();
        assert!(Path::new(&fp.path).is_absolute());
        assert_eq!(fp.size, 13);
        assert_eq!(compare(&fp, true).unwrap(), InputState::Same);
        // Same size, other content.
        std::fs::write(&f, "{\"text\":\"b\"}\n").unwrap();
        assert!(matches!(
            compare(&fp, true).unwrap(),
            InputState::Changed(_)
        ));
        std::fs::write(&f, "{\"text\":\"bb\"}\n").unwrap();
        assert!(matches!(
            compare(&fp, false).unwrap(),
            InputState::Changed(_)
        ));
        std::fs::remove_file(&f).unwrap();
        assert_eq!(compare(&fp, false).unwrap(), InputState::Missing);
        // Folders: a file added changes the fingerprint.
        let texts = dir.path().join("texts");
        std::fs::create_dir(&texts).unwrap();
        std::fs::write(texts.join("a.txt"), "T\nbody").unwrap();
        let fp = fingerprint(&texts.to_string_lossy()).unwrap().unwrap();
        assert_eq!(compare(&fp, true).unwrap(), InputState::Same);
        std::fs::write(texts.join("b.txt"), "U\nbody").unwrap();
        assert!(matches!(
            compare(&fp, true).unwrap(),
            InputState::Changed(_)
        ));
        assert_eq!(fingerprint("-").unwrap(), None);
    }
}
