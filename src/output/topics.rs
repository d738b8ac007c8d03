//! `topics.json`: an array of [`Topic`] (the one schema type, written by `analyze`, `apply`,
//! `compare`, `track report`, read back by `events`, `chart` and the charts), and the topic
//! table printed on stdout.

use std::path::Path;

use super::{clip, read_json, write_json};
pub use crate::cluster::{Example, TermWeight, Topic};
use crate::Result;

/// `topics.json`.
pub fn write_topics(path: &Path, topics: &[Topic]) -> Result<()> {
    write_json(path, &topics)
}

/// `themes.json`: the broad themes over the topics ([`crate::cluster::Theme`]; each topic's
/// theme is its `parent` in `topics.json`).
pub fn write_themes(path: &Path, themes: &[crate::cluster::Theme]) -> Result<()> {
    super::write_json(path, &themes)
}

/// Reads `topics.json` back.
pub fn read_topics(path: &Path) -> Result<Vec<Topic>> {
    read_json(path)
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

impl Topic {
    /// A topic with only an id and a label (no articles, terms or examples).
    pub fn new(id: usize, label: impl Into<String>) -> Self {
        Topic {
            id,
            label: label.into(),
            name: None,
            size: 0,
            share: 0.0,
            terms: Vec::new(),
            examples: Vec::new(),
            parent: None,
        }
    }

    /// `#3 Ukraine, sanctions, Crimea`: how charts name a topic.
    pub fn display_name(&self) -> String {
        if self.label.trim().is_empty() {
            format!("Topic {}", self.id)
        } else {
            format!("#{} {}", self.id, self.label.trim())
        }
    }
}
