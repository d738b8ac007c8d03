//! The files of `compare` (each written atomically with [`crate::output::write_atomic`]) and the
//! readable summary for stdout.
//!
//! - `comparison.json`: [`Comparison`];
//! - `comparison.csv`: `topic,collection,count,share,ci_low,ci_high,diff,p,q`, one row per
//!   (topic, collection); `diff` is the collection's share minus the pooled share of the others
//!   (for two collections: A − B on A's rows, B − A on B's), `p` and `q` are the topic's;
//! - `assignments.csv`: `id,topic,date,score,collection` (as `analyze` writes it, plus the
//!   collection name, empty for an article in no collection);
//! - `distinctive_terms.csv`:
//!   `scope,topic,collection,rank,term,log_odds,z,count,other_count,beyond_chance`
//!   (`topic` empty for the overall scope; `beyond_chance` `true`/`false` against the
//!   permutation threshold in the overall scope, empty within topics).

use crate::output::clip;
use std::path::{Path, PathBuf};

use super::{Collections, Comparison, TestKind};
use crate::ingest::Article;
use crate::output::{spreadsheet_safe, write_atomic};
use crate::Result;

/// Header of `comparison.csv`.
pub const COMPARISON_CSV_HEADER: [&str; 9] = [
    "topic",
    "collection",
    "count",
    "share",
    "ci_low",
    "ci_high",
    "diff",
    "p",
    "q",
];

/// Paths of the comparison outputs in a folder.
pub struct ComparePaths {
    /// `comparison.json`.
    pub json: PathBuf,
    /// `comparison.csv`.
    pub csv: PathBuf,
    /// `assignments.csv` (with the collection column).
    pub assignments: PathBuf,
    /// `distinctive_terms.csv`.
    pub terms: PathBuf,
}

impl ComparePaths {
    /// The paths inside `dir`.
    pub fn new(dir: &Path) -> ComparePaths {
        ComparePaths {
            json: dir.join("comparison.json"),
            csv: dir.join("comparison.csv"),
            assignments: dir.join("assignments.csv"),
            terms: dir.join("distinctive_terms.csv"),
        }
    }
}

/// A share or difference with six decimals.
fn f6(v: f64) -> String {
    format!("{v:.6}")
}

/// A p- or q-value: six decimals, or scientific notation below 1e-4 so tiny values keep
/// their digits.
pub fn fmt_p(v: f64) -> String {
    if v == 0.0 || v >= 1e-4 {
        format!("{v:.6}")
    } else {
        format!("{v:.4e}")
    }
}

/// Writes `comparison.csv`.
pub fn write_comparison_csv(path: &Path, c: &Comparison) -> Result<()> {
    write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(COMPARISON_CSV_HEADER)?;
        for t in &c.topics {
            for cell in &t.cells {
                csv.write_record([
                    t.topic.to_string(),
                    spreadsheet_safe(&cell.collection).into_owned(),
                    cell.count.to_string(),
                    f6(cell.share),
                    f6(cell.ci_low),
                    f6(cell.ci_high),
                    f6(cell.diff),
                    fmt_p(t.p),
                    fmt_p(t.q),
                ])?;
            }
        }
        csv.flush()
    })
}

/// Writes `distinctive_terms.csv`.
pub fn write_distinctive_terms(path: &Path, c: &Comparison) -> Result<()> {
    write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record([
            "scope",
            "topic",
            "collection",
            "rank",
            "term",
            "log_odds",
            "z",
            "count",
            "other_count",
            "beyond_chance",
        ])?;
        for list in &c.distinctive {
            let topic = list.topic.map(|t| t.to_string()).unwrap_or_default();
            for (r, term) in list.terms.iter().enumerate() {
                csv.write_record([
                    list.scope.as_str().to_string(),
                    topic.clone(),
                    spreadsheet_safe(&list.collection).into_owned(),
                    (r + 1).to_string(),
                    spreadsheet_safe(&term.term).into_owned(),
                    format!("{:.4}", term.log_odds),
                    format!("{:.4}", term.z),
                    term.count.to_string(),
                    term.other_count.to_string(),
                    term.beyond_chance
                        .map(|b| b.to_string())
                        .unwrap_or_default(),
                ])?;
            }
        }
        csv.flush()
    })
}

/// Writes `comparison.json`, `comparison.csv` and `distinctive_terms.csv` into `dir`.
pub fn write_files(dir: &Path, c: &Comparison) -> Result<()> {
    let paths = ComparePaths::new(dir);
    crate::output::write_json(&paths.json, c)?;
    write_comparison_csv(&paths.csv, c)?;
    write_distinctive_terms(&paths.terms, c)
}

/// Writes `assignments.csv` as `analyze` does (articles with a topic), plus the collection
/// ([`crate::output::assignments`]); returns how many ids were prefixed by [`spreadsheet_safe`].
pub fn write_assignments(
    path: &Path,
    articles: &[Article],
    assignments: &[Option<usize>],
    scores: &[f32],
    collections: &Collections,
) -> Result<usize> {
    let of = |i: usize| {
        collections
            .of_article
            .get(i)
            .copied()
            .flatten()
            .map_or("", |c| collections.names[c].as_str())
    };
    crate::output::assignments::write_assignments_collections(
        path,
        articles,
        assignments,
        scores,
        &of,
    )
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

fn points(v: f64) -> String {
    format!("{:+.1}", v * 100.0)
}

/// A readable summary: collections, a table of shares with intervals and q-values, the topics
/// that differ significantly with direction and size, divergences and the top distinctive
/// terms.
pub fn summary_table(c: &Comparison) -> String {
    let mut out = String::new();
    let n_coll = c.collections.len();
    let test = match c.topics.first().map(|t| t.test) {
        Some(TestKind::ChiSquare) => "chi-square test of homogeneity",
        _ => "two-proportion z-test",
    };
    let level = format!("{:.0}%", c.params.level * 100.0);
    out.push_str(&format!(
        "Compared {n_coll} collections on {} topics ({test}; Benjamini–Hochberg q < {}):\n",
        c.topics.len(),
        c.params.alpha
    ));
    let name_w = c
        .collections
        .iter()
        .map(|x| x.name.chars().count())
        .max()
        .unwrap_or(4)
        .min(30);
    for x in &c.collections {
        let mut line = format!(
            "  {:<name_w$}  {:>7} articles",
            clip(&x.name, 30),
            x.articles
        );
        if x.without_topic > 0 {
            line.push_str(&format!(" ({} without a topic)", x.without_topic));
        }
        out.push_str(&line);
        out.push('\n');
    }
    let ex = &c.excluded;
    if ex.total() > 0 {
        let mut why = Vec::new();
        if ex.undated > 0 {
            why.push(format!("{} undated", ex.undated));
        }
        if ex.outside_periods > 0 {
            why.push(format!("{} outside the periods", ex.outside_periods));
        }
        if ex.without_group > 0 {
            why.push(format!("{} without a group value", ex.without_group));
        }
        out.push_str(&format!(
            "  {} articles in no collection: {}\n",
            ex.total(),
            why.join(", ")
        ));
    }

    // Table: topic, share [interval] per collection, diff (two collections), q.
    let wide = n_coll <= 3;
    let col_w = if wide { 21 } else { 7 };
    out.push_str(&format!("\nShares with {level} intervals:\n"));
    let mut head = format!("{:<30}", "topic");
    for x in &c.collections {
        head.push_str(&format!(" {:>col_w$}", clip(&x.name, col_w)));
    }
    if n_coll == 2 {
        head.push_str(&format!(" {:>8}", "diff pp"));
    }
    head.push_str(&format!(" {:>10}\n", "q"));
    out.push_str(&head);
    for t in &c.topics {
        let mut line = format!("{:<30}", clip(&format!("#{} {}", t.topic, t.label), 30));
        for cell in &t.cells {
            let s = if wide {
                format!(
                    "{} [{:.1}–{:.1}]",
                    pct(cell.share),
                    cell.ci_low * 100.0,
                    cell.ci_high * 100.0
                )
            } else {
                pct(cell.share)
            };
            line.push_str(&format!(" {s:>col_w$}"));
        }
        if let Some(d) = t.diff {
            line.push_str(&format!(" {:>8}", points(d)));
        }
        let mark = if t.significant { " *" } else { "" };
        line.push_str(&format!(" {:>10}{mark}\n", fmt_q(t.q)));
        out.push_str(&line);
    }

    let sig: Vec<_> = c.significant().collect();
    out.push_str(&format!(
        "\n{} of {} topics differ significantly (q < {}){}\n",
        sig.len(),
        c.topics.len(),
        c.params.alpha,
        if sig.is_empty() { "." } else { ":" }
    ));
    for t in &sig {
        let name = format!("#{} {}", t.topic, t.label);
        if n_coll == 2 {
            let d = t.diff.unwrap_or(0.0);
            let (more, a, b) = if d >= 0.0 { (0, 0, 1) } else { (1, 1, 0) };
            let (dl, dh) = (t.diff_low.unwrap_or(0.0), t.diff_high.unwrap_or(0.0));
            let (lo, hi) = if d >= 0.0 { (dl, dh) } else { (-dh, -dl) };
            out.push_str(&format!(
                "  {}: more in {}, {} points ({} vs {}; {level} interval {} to {}), q = {}\n",
                clip(&name, 40),
                c.collections[more].name,
                points(d.abs()),
                pct(t.cells[a].share),
                pct(t.cells[b].share),
                points(lo),
                points(hi),
                fmt_q(t.q)
            ));
        } else {
            let hi = t
                .cells
                .iter()
                .max_by(|a, b| a.diff.total_cmp(&b.diff))
                .expect("two cells or more");
            let lo = t
                .cells
                .iter()
                .min_by(|a, b| a.diff.total_cmp(&b.diff))
                .expect("two cells or more");
            out.push_str(&format!(
                "  {}: most in {} ({}, {} points against the others), least in {} ({}, {}), q = {}\n",
                clip(&name, 40),
                hi.collection,
                pct(hi.share),
                points(hi.diff),
                lo.collection,
                pct(lo.share),
                points(lo.diff),
                fmt_q(t.q)
            ));
        }
    }
    if !c.divergence.is_empty() {
        out.push_str("\nJensen–Shannon divergence of the topic mixes (bits; about this much by chance alone):\n");
        for d in &c.divergence {
            out.push_str(&format!(
                "  {} – {}: {:.4} ({:.4})\n",
                d.a, d.b, d.jsd, d.expected_if_same
            ));
        }
    }
    let overall: Vec<_> = c
        .distinctive
        .iter()
        .filter(|l| l.scope == super::Scope::Overall)
        .collect();
    if !overall.is_empty() {
        match c.term_threshold {
            Some(th) => out.push_str(&format!(
                "\nMost distinctive terms (weighted log-odds z; * beyond chance, z > {th:.1} from {} label shuffles):\n",
                c.params.permutations
            )),
            None => out.push_str("\nMost distinctive terms (weighted log-odds, z):\n"),
        }
        for l in overall {
            let terms: Vec<String> = l
                .terms
                .iter()
                .take(8)
                .map(|t| {
                    format!(
                        "{} ({:.1}{})",
                        t.term,
                        t.z,
                        if t.beyond_chance == Some(true) {
                            "*"
                        } else {
                            ""
                        }
                    )
                })
                .collect();
            out.push_str(&format!("  {}: {}\n", l.collection, terms.join(", ")));
        }
    }
    out
}

fn fmt_q(q: f64) -> String {
    if q >= 0.001 {
        format!("{q:.3}")
    } else if q > 0.0 {
        format!("{q:.1e}")
    } else {
        "<1e-300".to_string()
    }
}
