//! Helpers shared by the subcommands: progress display, the skip summary, stdout handling.

use std::io::Write;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use topictrack::ingest::IngestReport;
use topictrack::pipeline::Progress;

/// How to talk to the user on stderr.
pub struct Ui {
    /// `--quiet`.
    pub quiet: bool,
    /// stderr is a terminal.
    pub tty: bool,
}

impl Ui {
    /// A message on stderr unless quiet.
    pub fn note(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", safe(msg.as_ref()));
        }
    }

    /// Stage progress: a spinner on a terminal, nothing otherwise.
    pub fn progress(&self, stages: &'static [&'static str]) -> StageProgress {
        let bar = if self.quiet || !self.tty {
            ProgressBar::hidden()
        } else {
            let b = ProgressBar::new(stages.len() as u64);
            b.set_style(
                ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} {elapsed}")
                    .expect("valid template"),
            );
            b.enable_steady_tick(Duration::from_millis(100));
            b
        };
        StageProgress { bar }
    }
}

/// indicatif-backed [`Progress`].
pub struct StageProgress {
    bar: ProgressBar,
}

impl Progress for StageProgress {
    fn begin(&self, stage: &str) {
        self.bar.set_message(stage.to_string());
    }
    fn end(&self, _stage: &str, _secs: f64) {
        self.bar.inc(1);
    }
}

impl Drop for StageProgress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Prints the first problems and a one-line summary of what reading skipped.
pub fn report_problems(ui: &Ui, r: &IngestReport) {
    if ui.quiet {
        return;
    }
    const SHOWN: usize = 10;
    for p in r.problems.iter().take(SHOWN) {
        eprintln!("topictrack: warning: {}", safe(&p.to_string()));
    }
    if r.problems.len() > SHOWN {
        eprintln!(
            "topictrack: warning: … and {} more problems (all listed in problems.csv)",
            r.problems.len() - SHOWN
        );
    }
    let mut parts = vec![format!("{} articles from {} records", r.articles, r.read)];
    if r.skipped > 0 {
        let reasons: Vec<String> = r
            .skip_reasons
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        parts.push(format!("{} skipped ({})", r.skipped, reasons.join(", ")));
    }
    if r.duplicates > 0 {
        parts.push(format!("{} duplicate ids skipped", r.duplicates));
    }
    if r.undated > 0 {
        let bad = if r.bad_dates > 0 {
            format!(", {} with unparseable dates", r.bad_dates)
        } else {
            String::new()
        };
        parts.push(format!(
            "{} undated (kept, not in the timeline{bad})",
            r.undated
        ));
    }
    eprintln!("read: {}", safe(&parts.join("; ")));
}

/// `s` without the control characters that could drive a terminal (escape sequences in a
/// title or file name): everything printed passes through this.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    topictrack::output::strip_controls(s, true)
}

/// Whether an error is a closed stdout (`topictrack … | head`), which is not a failure.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes to stdout, surfacing broken pipes as errors the caller can recognise.
pub fn print_stdout(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(safe(s).as_bytes())?;
    out.flush()?;
    Ok(())
}
