//! Writing results: atomic files, the CSV/JSON outputs of `analyze`, and the stdout table.
//!
//! Every file is written to a temporary file (`.topictrack-*.tmp`) in the destination folder and
//! renamed over the target when complete ([`write_atomic`], the one writer of every output), so
//! a reader never sees a half-written file. `analyze` and `compare` moreover write a whole run
//! into a staging folder and swap it in at the end ([`crate::run_dir`]). Files are not
//! `fsync`ed: the rename makes them atomic against an interrupted or killed run, which is what
//! happens in practice, while an `fsync` cost about 6 ms per file on the development machine's
//! ext4 (a 20 Newsgroups run writes about 15 files in 0.6 s); durability across a power loss
//! is not promised.
//!
//! Files (all readable by pandas: `pd.read_csv`, `pd.read_json`):
//! - `topics.json`: array of [`crate::cluster::Topic`];
//! - `assignments.csv`: `id,topic,date,score` (one row per article with a topic; `date` RFC 3339
//!   UTC or empty); `apply` and `track report` write every article with a fifth column `reason`
//!   ([`write_assignments_marked`]);
//! - `timeline.csv`: `bin_start,topic,count,share`, one row per (bin, topic), bins contiguous;
//! - `run.json`: [`RunInfo`];
//! - `problems.csv`: `file,line,kind,reason` for every record skipped or with an unreadable date
//!   (written only when there are any).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cluster::Topic;
use crate::ingest::{Article, IngestReport, InputSummary};
use crate::timeline::Timeline;
use crate::{Error, Result};

/// Writes `path` atomically: `write` fills a temporary file in the same folder, which is then
/// renamed over `path`.
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

/// Counts shown in `run.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Records seen.
    pub read: u64,
    /// Articles kept.
    pub articles: u64,
    /// Records skipped as unreadable.
    pub skipped: u64,
    /// Articles without a usable date.
    pub undated: u64,
    /// Of those, with an unparseable date.
    pub bad_dates: u64,
    /// Records skipped as duplicate ids.
    pub duplicates: u64,
    /// Articles that got a topic.
    pub with_topic: u64,
    /// Articles without any vocabulary term (no topic).
    pub without_topic: u64,
}

/// The timeline's extent, in `run.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineInfo {
    /// `day`, `week` or `month`.
    pub bin: String,
    /// First bin start.
    pub first: Option<String>,
    /// Last bin start.
    pub last: Option<String>,
    /// Number of bins.
    pub n_bins: usize,
}

/// Everything about a run (`run.json`): what was read, every parameter, what was found, timings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// topictrack version.
    pub version: String,
    /// Output format version.
    pub format_version: u32,
    /// The inputs with per-input counts.
    pub inputs: Vec<InputSummary>,
    /// Counts.
    pub counts: Counts,
    /// Skips by reason.
    pub skip_reasons: std::collections::BTreeMap<String, u64>,
    /// Every parameter (as JSON so each stage's settings appear as they are).
    pub params: serde_json::Value,
    /// Number of topics.
    pub k: usize,
    /// How k was chosen, under `--k auto`.
    pub k_selection: Option<crate::cluster::KSelection>,
    /// Vocabulary size after the df bounds.
    pub vocabulary: usize,
    /// LSA dimensions used.
    pub dims: usize,
    /// Timeline extent.
    pub timeline: TimelineInfo,
    /// Wall seconds per stage, in order.
    pub stage_seconds: Vec<(String, f64)>,
    /// Scores against gold labels, when `--label-field` was given.
    pub scores: Option<crate::metrics::Scores>,
    /// Every file of the run, relative to the output folder (`/`-separated, sorted), written
    /// last ([`crate::run_dir::RunDir::commit`]).
    #[serde(default)]
    pub outputs: Vec<String>,
    /// Wire boilerplate learned from the collection and removed (absent with
    /// `--keep-boilerplate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boilerplate: Option<crate::text::clean::Boilerplate>,
}

impl Counts {
    /// Counts from the ingest report and the assignments.
    pub fn new(report: &IngestReport, assignments: &[Option<usize>]) -> Counts {
        let with = assignments.iter().filter(|a| a.is_some()).count() as u64;
        Counts {
            read: report.read,
            articles: report.articles,
            skipped: report.skipped,
            undated: report.undated,
            bad_dates: report.bad_dates,
            duplicates: report.duplicates,
            with_topic: with,
            without_topic: assignments.len() as u64 - with,
        }
    }
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

/// `assignments.csv`; returns how many ids were prefixed by [`spreadsheet_safe`] (the caller
/// says so: such ids no longer match the input's).
pub fn write_assignments(
    path: &Path,
    articles: &[Article],
    assignments: &[Option<usize>],
    scores: &[f32],
) -> Result<usize> {
    let mut escaped = 0;
    write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["id", "topic", "date", "score"])?;
        for ((a, t), s) in articles.iter().zip(assignments).zip(scores) {
            if let Some(t) = t {
                let date = a
                    .date
                    .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_default();
                let id = spreadsheet_safe(&a.id);
                escaped += usize::from(id.len() != a.id.len());
                csv.write_record([id.as_ref(), &t.to_string(), &date, &format!("{s:.4}")])?;
            }
        }
        csv.flush()
    })?;
    Ok(escaped)
}

/// `assignments.csv` of `apply` and `track report`: every article, `id,topic,date,score,reason`,
/// with `topic` empty and `reason` (`no_terms`, `low_score`) for an article that fits no topic
/// (`score` is then its cosine to the nearest centre).
pub fn write_assignments_marked(
    path: &Path,
    articles: &[Article],
    assignments: &[Option<usize>],
    scores: &[f32],
    reasons: &[Option<crate::apply::Unassigned>],
) -> Result<()> {
    write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["id", "topic", "date", "score", "reason"])?;
        for (((a, t), s), r) in articles.iter().zip(assignments).zip(scores).zip(reasons) {
            let date = a
                .date
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default();
            let topic = t.map(|t| t.to_string()).unwrap_or_default();
            let reason = r.map(|r| r.as_str()).unwrap_or_default();
            csv.write_record([a.id.as_str(), &topic, &date, &format!("{s:.4}"), reason])?;
        }
        csv.flush()
    })
}

/// `problems.csv`: every problem met while reading (`file,line,kind,reason`).
pub fn write_problems(path: &Path, problems: &[crate::ingest::Problem]) -> Result<()> {
    write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["file", "line", "kind", "reason"])?;
        for p in problems {
            csv.write_record([
                spreadsheet_safe(&p.file).as_ref(),
                &p.line.to_string(),
                p.kind.name(),
                &spreadsheet_safe(&p.reason),
            ])?;
        }
        csv.flush()
    })
}

/// `timeline.csv`.
pub fn write_timeline(path: &Path, tl: &Timeline) -> Result<()> {
    write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["bin_start", "topic", "count", "share"])?;
        for (b, start) in tl.bins.iter().enumerate() {
            let start = start.format("%Y-%m-%d").to_string();
            for t in 0..tl.counts.len() {
                let share = format!("{:.6}", tl.share(t, b));
                csv.write_record([
                    start.as_str(),
                    &t.to_string(),
                    &tl.counts[t][b].to_string(),
                    &share,
                ])?;
            }
        }
        csv.flush()
    })
}

/// `topics.json`.
pub fn write_topics(path: &Path, topics: &[Topic]) -> Result<()> {
    write_json(path, &topics)
}

/// Reads `topics.json` back.
pub fn read_topics(path: &Path) -> Result<Vec<Topic>> {
    read_json(path)
}

/// Reads `run.json` back.
pub fn read_run(path: &Path) -> Result<RunInfo> {
    read_json(path)
}

/// Reads a JSON file into `T`, naming the file in errors.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_reader(std::io::BufReader::new(f)).map_err(|e| Error::BadFile {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// A readable topic table: id, size, share, label and the first example title.
pub fn topic_table(topics: &[Topic], width: usize) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:>4} {:>7} {:>6}  {}\n",
        "id", "size", "share", "topic (top terms) / example"
    ));
    for t in topics {
        let terms: Vec<&str> = t.terms.iter().take(6).map(|x| x.term.as_str()).collect();
        out.push_str(&format!(
            "{:>4} {:>7} {:>5.1}%  {}\n",
            t.id,
            t.size,
            t.share * 100.0,
            clip(
                &match &t.name {
                    Some(name) => format!("{name}: {}", terms.join(", ")),
                    None => terms.join(", "),
                },
                width.saturating_sub(21)
            )
        ));
        if let Some(e) = t.examples.first() {
            out.push_str(&format!(
                "{:>20}  “{}”\n",
                "",
                clip(&e.title, width.saturating_sub(24))
            ));
        }
    }
    out
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
    if !s
        .chars()
        .any(|c| is_unsafe_char(c) && !(keep_newlines && c == '\n'))
    {
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
    }

    #[test]
    fn timeline_csv_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        let tl = Timeline {
            unit: crate::timeline::BinUnit::Day,
            bins: vec![
                chrono::NaiveDate::from_ymd_opt(2017, 5, 10).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2017, 5, 11).unwrap(),
            ],
            counts: vec![vec![1, 0], vec![3, 0]],
            totals: vec![4, 0],
            article_bins: vec![],
        };
        write_timeline(&p, &tl).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "bin_start,topic,count,share\n2017-05-10,0,1,0.250000\n2017-05-10,1,3,0.750000\n2017-05-11,0,0,0.000000\n2017-05-11,1,0,0.000000\n"
        );
    }
}
