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
    let mut parts = vec![format!(
        "{} articles from {} records",
        r.counts.articles, r.counts.read
    )];
    if r.counts.skipped > 0 {
        let reasons: Vec<String> = r
            .skip_reasons
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        parts.push(format!(
            "{} skipped ({})",
            r.counts.skipped,
            reasons.join(", ")
        ));
    }
    if r.counts.duplicates > 0 {
        parts.push(format!("{} duplicate ids skipped", r.counts.duplicates));
    }
    if r.counts.undated > 0 {
        let bad = if r.counts.bad_dates > 0 {
            format!(", {} with unparseable dates", r.counts.bad_dates)
        } else {
            String::new()
        };
        parts.push(format!(
            "{} undated (kept, not in the timeline{bad})",
            r.counts.undated
        ));
    }
    eprintln!("read: {}", safe(&parts.join("; ")));
}

/// `s` without the control characters that could drive a terminal (escape sequences in a
/// title or file name): everything printed passes through this.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    topictrack::output::strip_controls(s, true)
}

/// Fails a run that could read no article: shows the first problems, writes them all to
/// `OUT/problems.csv` — or, when OUT holds an earlier run (whose files a failed run leaves as
/// they are), to `OUT/problems-of-failed-run.csv` — and returns the error naming the file.
/// Other errors are returned as they are.
pub fn nothing_read(ui: &Ui, out: &std::path::Path, e: topictrack::Error) -> anyhow::Error {
    let topictrack::Error::NothingRead { message, report } = &e else {
        return e.into();
    };
    report_problems(ui, report);
    if report.problems.is_empty() {
        return e.into();
    }
    let name = if out.join("run.json").exists() {
        "problems-of-failed-run.csv"
    } else {
        "problems.csv"
    };
    let path = out.join(name);
    match topictrack::output::write_problems(&path, &report.problems) {
        Ok(()) => anyhow::anyhow!(
            "{message}; every skipped record is listed in {}",
            path.display()
        ),
        Err(w) => anyhow::anyhow!("{message} (and the list of problems could not be written: {w})"),
    }
}

/// Says when ids were changed in assignments.csv to keep spreadsheets from running them as
/// formulas ([`topictrack::output::spreadsheet_safe`]).
pub fn note_escaped_ids(ui: &Ui, n: usize) {
    if n > 0 {
        ui.note(format!(
            "topictrack: warning: {n} ids in assignments.csv start with =, +, -, @, a tab or a carriage \
             return and were prefixed with ' so that spreadsheets show them as text (remove the ' to \
             match them with the input)"
        ));
    }
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

/// Locks the output folder `out` (creating it) before the work starts, so that a concurrent run
/// or an unwritable folder fails at once ([`topictrack::run_dir::RunDir`]).
pub fn open_run_dir(out: &std::path::Path) -> anyhow::Result<topictrack::run_dir::RunDir> {
    use anyhow::Context;
    topictrack::run_dir::RunDir::open(out)
        .with_context(|| format!("cannot write to output folder {}", out.display()))
}

/// Writes a run (`write` is [`topictrack::run::Run::write_into`] or the like) with the charts
/// and report of `chart_opts` drawn into it, and says when ids were escaped.
pub fn write_run(
    ui: &Ui,
    write: impl FnOnce(
        Option<topictrack::run::Charts<'_>>,
    ) -> topictrack::Result<topictrack::run::Written>,
    chart_opts: &Option<topictrack::plot::ChartOptions>,
) -> anyhow::Result<topictrack::run::Written> {
    let draw = chart_opts.as_ref().map(|opts| {
        move |dir: &std::path::Path| topictrack::report::draw_run(dir, opts).map(|_| ())
    });
    let written = write(draw.as_ref().map(|d| d as topictrack::run::Charts<'_>))?;
    note_escaped_ids(ui, written.escaped_ids);
    Ok(written)
}

/// Prints the topic table, the scores against gold labels and the first events on stdout.
pub fn print_summary(
    topics: &[topictrack::cluster::Topic],
    scores: Option<&topictrack::metrics::Scores>,
    events: Option<&topictrack::pipeline::Events>,
) -> anyhow::Result<()> {
    let mut out = topictrack::output::topic_table(topics, 100);
    if let Some(s) = scores {
        out.push_str(&topictrack::output::format_scores(s));
    }
    if let Some(e) = events {
        out.push_str(&topictrack::events::records::summary(
            &e.events, &e.stories, 10,
        ));
    }
    print_stdout(&out)
}
