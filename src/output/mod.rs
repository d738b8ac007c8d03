//! Writing results: one module per output file, each with the one schema type that its writer
//! and every reader use, and the atomic writer all files go through.
//!
//! Every file is written to a temporary file (`.topictrack-*.tmp`) in the destination folder,
//! flushed to the disk (`fsync`) and renamed over the target when complete ([`write_atomic`],
//! the one writer of every output), so a reader never sees a half-written file. A run's files
//! are moreover written into a staging folder and swapped in at the end ([`crate::run_dir`],
//! [`crate::run::Run::write`]).
//!
//! Files (all readable by pandas: `pd.read_csv`, `pd.read_json`):
//! - [`topics`]: `topics.json`, an array of [`crate::cluster::Topic`];
//! - [`assignments`]: `assignments.csv`, `id,topic,date,score[,reason]`;
//! - [`timeline`]: `timeline.csv`, `bin_start,topic,count,share`;
//! - [`events`]: `events.json`, `events.csv`, `surges.json`, `stories.json`, `stories.csv`
//!   (records of [`crate::events::records`]);
//! - [`run_info`]: `run.json`, [`RunInfo`];
//! - [`problems`]: `problems.csv`, `file,line,kind,reason` (only when there are any);
//! - `model.json`: [`crate::pipeline::FittedPipeline`]; the comparison files:
//!   [`crate::compare::write`].

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::{Error, Result};

pub mod assignments;
pub mod events;
pub mod problems;
pub mod run_info;
pub mod timeline;
pub mod topics;

pub use assignments::{read_topics_by_id, write_assignments, write_assignments_marked};
pub use problems::write_problems;
pub use run_info::{read_run, Counts, RunInfo, TimelineInfo};
pub use timeline::write_timeline;
pub use topics::{read_topics, topic_table, write_themes, write_topics};

/// Writes `path` atomically: `write` fills a temporary file in the same folder, which is flushed
/// to the disk and then renamed over `path`.
///
/// The `fsync` before the rename is what makes the rename safe after a crash of the machine: a
/// rename is atomic for the name, not for the data, so without it a power loss soon after a run
/// can leave `run.json` listing files that exist but are empty or cut short (ext4 with delayed
/// allocation commits the rename before the blocks). `sync_data` is enough (the file's size is
/// data; its times are not needed). The cost was measured in BENCHMARKS.md.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".topictrack-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    {
        let mut buf = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut buf).map_err(|e| Error::io(path, e))?;
        buf.flush().map_err(|e| Error::io(path, e))?;
    }
    tmp.as_file().sync_data().map_err(|e| Error::io(path, e))?;
    // Temporary files are created private (0600); results are ordinary files (0644).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::Permissions::from_mode(0o644);
        std::fs::set_permissions(tmp.path(), perms).map_err(|e| Error::io(tmp.path(), e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Writes a value as pretty JSON, atomically.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    write_atomic(path, |w| {
        serde_json::to_writer_pretty(&mut *w, value).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })
}

/// Creates the output folder (and parents) and checks it is writable, before any work starts.
pub fn prepare_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    tempfile::Builder::new()
        .prefix(".topictrack-check")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    Ok(())
}

/// A CSV cell made safe to open in a spreadsheet (OWASP's CSV injection advice): text that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return — which Excel, LibreOffice and
/// Google Sheets run as a formula (`=HYPERLINK(...)`, `-2+3+cmd|' /C calc'!A0`) — gets a
/// leading `'`, which spreadsheets show as text and hide. Numbers (`-5`, `+1.5e3`) are left as
/// they are: a spreadsheet reads them as numbers, not formulas. Applied to every text cell
/// taken from the input in the CSVs meant for people (ids, collection names, terms, problem
/// reasons); see the README for the policy.
pub fn spreadsheet_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    // A lone sign (`-` is how standard input is named) is no formula.
    if risky && s.len() > 1 && s.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Reads a JSON file into `T`, naming the file in errors.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_reader(std::io::BufReader::new(f)).map_err(|e| Error::BadFile {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Scores as a small table.
pub fn format_scores(s: &crate::metrics::Scores) -> String {
    format!(
        "\nagainst gold labels ({} items, {} single-label, {} classes, {} topics):\n  \
         NMI {:.4}  ARI {:.4}  V-measure {:.4} (homogeneity {:.4}, completeness {:.4})\n  \
         purity {:.4}  B-cubed P {:.4} R {:.4} F1 {:.4}\n",
        s.n_items,
        s.n_single_label,
        s.n_classes,
        s.n_clusters,
        s.nmi,
        s.ari,
        s.v_measure,
        s.homogeneity,
        s.completeness,
        s.purity,
        s.bcubed_precision,
        s.bcubed_recall,
        s.bcubed_f1
    )
}

/// Whether `c` may not be shown as it is: a C0 control (escape sequences start with ESC),
/// DEL, a C1 control (U+009B is a one-character CSI on some terminals), or a bidirectional
/// embedding, override or isolate (text that reads differently than it is stored, CVE-2021-42574).
fn is_unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` made safe for a terminal and for XML text: the unsafe characters of
/// [`is_unsafe_char`] removed, except that line breaks and tabs become spaces (or, with
/// `keep_newlines`, line breaks stay). Text from the input (titles, labels, ids, `--by`
/// values) passes through this before it is printed or drawn into a chart.
pub fn strip_controls(s: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    // Every unsafe character starts with a byte below 0x20, 0x7F (DEL), 0xC2 (U+0080–U+009F)
    // or 0xE2 (the bidi controls): text without such bytes, most of it, is returned after one
    // byte scan, which vectorises (decoding every character took 7 ms of CPU while the report's
    // article data was written for 20 Newsgroups). Where there are some (a body's line breaks,
    // curly quotes), only the characters they start are decoded: those bytes are never inside
    // another character, so each is a character boundary.
    let may_be_unsafe =
        |b: u8| (b < 0x20 && !(keep_newlines && b == b'\n')) || b == 0x7F || b == 0xC2 || b == 0xE2;
    let unsafe_at = |(i, &b): (usize, &u8)| {
        may_be_unsafe(b) && s[i..].chars().next().is_some_and(is_unsafe_char)
    };
    if !s.bytes().any(may_be_unsafe) || !s.as_bytes().iter().enumerate().any(unsafe_at) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\n' && keep_newlines {
            out.push(c);
        } else if matches!(c, '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}') {
            out.push(' ');
        } else if !is_unsafe_char(c) {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `s` cut to at most `n` characters, with `…` when cut.
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!(
            "{}…",
            s.chars().take(n.saturating_sub(1)).collect::<String>()
        )
    }
}

/// Paths of the standard outputs in `dir`.
pub struct OutPaths {
    /// `topics.json`.
    pub topics: PathBuf,
    /// `assignments.csv`.
    pub assignments: PathBuf,
    /// `timeline.csv`.
    pub timeline: PathBuf,
    /// `run.json`.
    pub run: PathBuf,
    /// `model.json` (fitted state, with `--save-model`).
    pub model: PathBuf,
    /// `charts/`.
    pub charts: PathBuf,
}

impl OutPaths {
    /// The paths inside `dir`.
    pub fn new(dir: &Path) -> OutPaths {
        OutPaths {
            topics: dir.join("topics.json"),
            assignments: dir.join("assignments.csv"),
            timeline: dir.join("timeline.csv"),
            run: dir.join("run.json"),
            model: dir.join("model.json"),
            charts: dir.join("charts"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_temp_files_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.txt");
        write_atomic(&p, |w| w.write_all(b"one")).unwrap();
        write_atomic(&p, |w| w.write_all(b"two")).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        // A failing writer leaves the old file intact and no temporary behind.
        let r = write_atomic(&p, |_| Err(std::io::Error::other("boom")));
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }

    #[test]
    fn formula_injection() {
        for (cell, want) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+cmd", "'+cmd"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-5", "-5"),
            ("+1.5e3", "+1.5e3"),
            ("doc-1", "doc-1"),
            ("-", "-"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn terminal_injection() {
        // A title that sets the terminal's title and colour.
        let t = "A\u{1b}]0;pwned\u{7}\u{1b}[31mred\u{9b}2J\u{202e}gnp.exe\ttab\r\nnext";
        assert_eq!(
            strip_controls(t, true),
            "A]0;pwned[31mred2Jgnp.exe tab \nnext"
        );
        assert_eq!(
            strip_controls(t, false),
            "A]0;pwned[31mred2Jgnp.exe tab  next"
        );
        assert!(matches!(
            strip_controls("plain “text” 東京", false),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(
            strip_controls("kept\nline “breaks”\n", true),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(strip_controls("a\nb\u{202e}“c”", true), "a\nb“c”");
        // The byte prefilter sees every unsafe character.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if is_unsafe_char(c) {
                let text = format!("a{c}b");
                let got = strip_controls(&text, false);
                assert!(got == "ab" || got == "a b", "{c:?}");
            }
        }
    }
}
