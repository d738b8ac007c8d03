//! The one place where the store calls event detection ([`detect`]).
//!
//! The store keeps, per day, the number of dated articles (`day_totals`), the articles of each
//! topic (`day_topics`) and the number of articles containing each term (`day_terms`, over the
//! store's own term dictionary, so terms that are new since the fit are counted too). `add`
//! builds an [`EventInput`] from those counts over a trailing history and the new articles;
//! `report` builds it from the whole reported range with every article. Swapping the detector
//! means changing the body of [`detect`] only.
//!
//! Today's body: with every article in full (`report`), [`crate::pipeline::detect_events`], the
//! same ranked events, topic surges and stories as `analyze`; on stored counts (`add`), the
//! same term-event detector as `analyze` ([`crate::events::news::detect_events_on_counts`]):
//! each candidate term's stored daily document frequency against the stored daily volume over
//! the history, events kept when they reach the new days, their articles and headlines taken
//! from the new batch; and topic surges with [`crate::events::detect_bursts`].

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::events::news::{self, CountedDays, NewsEventInput};
use crate::events::records::{self, BurstRecord, EventRecord, StoryRecord};
use crate::events::{self as ev};
use crate::ingest::Article;
use crate::pipeline::EventParams;
use crate::vectorize::DocTermMatrix;
use crate::Result;

/// What event detection reads from the store.
#[derive(Clone, Copy, Debug)]
pub struct EventInput<'a> {
    /// Consecutive days.
    pub days: &'a [NaiveDate],
    /// Dated articles stored per day (with or without topic).
    pub totals: &'a [u32],
    /// `topic_counts[topic id][day]`: articles of the topic on the day.
    pub topic_counts: &'a [Vec<u32>],
    /// Label per topic id.
    pub topic_labels: &'a [String],
    /// `term_counts[i][day]`: articles containing candidate term `i` on the day.
    pub term_counts: &'a [Vec<u32>],
    /// Label per candidate term.
    pub term_labels: &'a [String],
    /// Articles known in full (all of them for a report; the new batch for `add`), for
    /// headlines, article lists and stories.
    pub articles: &'a [Article],
    /// Topic of each of `articles`.
    pub topics: &'a [Option<usize>],
    /// TF-IDF rows of `articles` and the labels of their columns.
    pub matrix: Option<(&'a DocTermMatrix, &'a [String])>,
    /// Also run first-story detection on `articles` (needs `matrix`).
    pub stories: bool,
    /// `articles` × candidate terms (non-zero where the article contains the term), with
    /// the first new day: term events are reported when they reach it.
    pub term_present: Option<(&'a DocTermMatrix, NaiveDate)>,
}

/// What [`detect`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DetectedEvents {
    /// Ranked events from terms (as `analyze`'s `events.json`), when the articles' TF-IDF rows
    /// are given.
    pub events: Vec<EventRecord>,
    /// Candidate term index of each event's strongest term (on stored counts).
    pub event_terms: Vec<usize>,
    /// Topic bursts, as in `surges.json`.
    pub bursts: Vec<BurstRecord>,
    /// Stories, when asked.
    pub stories: Vec<StoryRecord>,
    /// Articles skipped by story detection for lack of a date.
    pub undated: usize,
}

/// Event detection on stored counts: the adapter between the store and [`crate::events`].
pub fn detect(input: &EventInput, params: &EventParams) -> Result<DetectedEvents> {
    let mut out = DetectedEvents::default();
    if input.days.is_empty() {
        return Ok(out);
    }
    // Every article known in full (a report): exactly what `analyze` runs on them.
    if let (true, Some((matrix, labels))) = (input.stories, input.matrix) {
        let e = crate::pipeline::detect_events(
            input.articles,
            input.topics,
            input.topic_labels,
            matrix,
            labels,
            params,
        )?;
        out.events = e.events;
        out.bursts = e.surges;
        out.stories = e.stories;
        out.undated = e.undated;
        return Ok(out);
    }
    // Topic shares are taken against the articles that have a topic, as `analyze` does.
    let topic_totals: Vec<u32> = (0..input.days.len())
        .map(|d| input.topic_counts.iter().map(|c| c[d]).sum())
        .collect();
    let first = input.days[0];
    let day_of: Vec<Option<NaiveDate>> = input
        .articles
        .iter()
        .zip(input.topics)
        .map(|(a, t)| {
            t.and(a.date.map(|d| d.date_naive()))
                .filter(|&d| d >= first)
        })
        .collect();
    let topics: Vec<usize> = input.topics.iter().map(|t| t.unwrap_or(0)).collect();
    let titles: Vec<String> = input
        .articles
        .par_iter()
        .map(crate::cluster::display_title)
        .collect();
    let title_refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    let bursts = ev::detect_bursts(
        &ev::BurstInput {
            bin_starts: input.days,
            counts: input.topic_counts,
            totals: &topic_totals,
            dates: &day_of,
            topics: &topics,
            titles: &title_refs,
            text: input
                .matrix
                .map(|(matrix, labels)| ev::TermSource { matrix, labels }),
        },
        &params.bursts,
    )?;
    out.bursts = records::burst_records(&bursts, input.articles, input.topic_labels);
    if let (false, Some((present, from)), Some((matrix, _))) = (
        input.term_counts.is_empty(),
        input.term_present,
        input.matrix,
    ) {
        let dates: Vec<Option<NaiveDate>> = input
            .articles
            .iter()
            .map(|a| a.date.map(|d| d.date_naive()))
            .collect();
        let found = news::detect_events_on_counts(
            &NewsEventInput {
                dates: &dates,
                matrix,
                labels: input.term_labels,
                titles: &title_refs,
                topics: input.topics,
            },
            &CountedDays {
                days: input.days,
                totals: input.totals,
                term_counts: input.term_counts,
                present,
                from,
            },
            &params.news,
        )?;
        out.event_terms = found.iter().map(|e| e.terms[0].column).collect();
        out.events = records::event_records(&found, input.articles, input.topic_labels);
    }
    Ok(out)
}
