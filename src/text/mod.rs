//! Stage 2: text analysis — from article text to term counts.
//!
//! The chain, per word: UAX #29 word segmentation ([`tokenize`]) → `’` folded to `'` →
//! lower-casing → possessive `'s` / trailing `'` removed → dropped if it has no letter (numbers),
//! fewer than [`TextParams::min_len`] characters or more than 40 → stop words ([`lang`]) →
//! Snowball stemming (`rust-stemmers`, unless `stem` is off). Optional bigrams of adjacent kept
//! terms, kept when they occur at least `min_ngram_count` times in the collection.
//!
//! Every distinct word form is normalised and stemmed once, not every occurrence: documents are
//! first segmented in parallel into ids of their raw word forms (chunk-local interners, merged in a
//! fixed order, so the result never depends on the thread count), then the distinct forms are
//! analysed in parallel.
//!
//! Stems are not words ("ukrain"), so each term keeps its most frequent surface form (original
//! case, possessive removed; ties broken alphabetically) as its display label ("Ukraine").

pub mod clean;
pub mod lang;
pub mod phrases;
pub mod tokenize;

use std::borrow::Cow;

use ahash::AHashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use lang::Language;

use crate::params::{param_guard, Checked, Validate};
use crate::{Error, Result};

/// Documents analysed together in one parallel task.
const CHUNK_DOCS: usize = 1024;
/// Chunks analysed per batch (see [`Analyzer::analyze`]).
const BATCH_CHUNKS: usize = 4;
/// Documents per batch in [`Analyzer::analyze`]; also a good batch size for
/// [`Analyzer::analyze_batches`].
pub const BATCH_DOCS: usize = CHUNK_DOCS * BATCH_CHUNKS;
/// Words longer than this (in characters) are dropped as noise (URLs, uuencoded data).
const MAX_WORD_CHARS: usize = 40;

/// Unchecked settings of the text stage; [`TextParams::check`] validates them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextParams {
    /// Language (stemmer and stop words). Default English.
    pub lang: Language,
    /// Stem words (default true).
    pub stem: bool,
    /// Remove stop words (default true).
    pub stop_words: bool,
    /// 1 = words only (default), 2 = words and bigrams.
    pub ngrams: u8,
    /// Minimum collection count for a bigram to be kept (default 5).
    pub min_ngram_count: u32,
    /// Minimum word length in characters (default 2: 1-letter tokens are dropped).
    pub min_len: usize,
    /// Keep wire boilerplate (learned headline prefixes and suffixes, datelines, bylines, time
    /// stamps: see [`clean`]) in the text (default false: it is removed). Markup, URLs and
    /// e-mail addresses are removed either way.
    #[serde(default)]
    pub keep_boilerplate: bool,
}

impl Default for TextParams {
    fn default() -> Self {
        TextParams {
            lang: Language::English,
            stem: true,
            stop_words: true,
            ngrams: 1,
            min_ngram_count: 5,
            min_len: 2,
            keep_boilerplate: false,
        }
    }
}

impl Validate for TextParams {
    fn validate(&self) -> Result<()> {
        if !(1..=2).contains(&self.ngrams) {
            return Err(Error::param("text.ngrams", self.ngrams, "must be 1 or 2"));
        }
        if self.min_ngram_count == 0 {
            return Err(Error::param(
                "text.min_ngram_count",
                0,
                "must be at least 1",
            ));
        }
        if self.min_len == 0 || self.min_len > MAX_WORD_CHARS {
            return Err(Error::param(
                "text.min_len",
                self.min_len,
                "must be within 1..=40",
            ));
        }
        Ok(())
    }
}

param_guard!(TextParams);

/// Validated [`TextParams`].
pub type ValidTextParams = Checked<TextParams>;

/// The terms of an analysed collection: key (stem, or "stem stem" for a bigram) and display
/// label (most frequent surface form) per term id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermTable {
    /// Key per term id (what matches across collections).
    pub keys: Vec<String>,
    /// Display label per term id.
    pub labels: Vec<String>,
}

/// One analysed document: its term counts, sorted by term id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnalyzedDoc {
    /// `(term id, count)`, ids ascending, counts ≥ 1.
    pub counts: Vec<(u32, u32)>,
}

/// The output of the text stage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnalyzedCorpus {
    /// Terms seen in the collection.
    pub terms: TermTable,
    /// One per input document, same order.
    pub docs: Vec<AnalyzedDoc>,
    /// Words seen before filtering (all documents).
    pub n_words: u64,
    /// Collocations of adjacent terms ([`phrases`]), by term ids.
    pub phrases: Vec<phrases::Phrase>,
}

impl AnalyzedCorpus {
    /// Drops the corpus, its documents and terms freed on all cores: on 20 Newsgroups their
    /// few hundred thousand allocations took 7 ms to free on one thread.
    pub fn free_in_parallel(self) {
        let AnalyzedCorpus { terms, docs, .. } = self;
        let TermTable { keys, labels } = terms;
        rayon::join(
            || docs.into_par_iter().for_each(drop),
            || {
                rayon::join(
                    || keys.into_par_iter().for_each(drop),
                    || labels.into_par_iter().for_each(drop),
                )
            },
        );
    }
}

/// A document's text, as one or more parts analysed in order (words never span two parts).
/// Lets the analyzer read an [`Article`](crate::ingest::Article)'s title and body in place
/// instead of copying them into one string.
pub trait TextSource {
    /// The parts, in order.
    fn parts(&self) -> impl Iterator<Item = &str>;
}

impl TextSource for String {
    fn parts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.as_str())
    }
}

impl TextSource for &str {
    fn parts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(*self)
    }
}

impl TextSource for crate::ingest::Article {
    fn parts(&self) -> impl Iterator<Item = &str> {
        [self.title.as_str(), self.text.as_str()].into_iter()
    }
}

/// An article's title and body once cleaned ([`clean_articles`]); borrowed from the article
/// where cleaning changed nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanDoc<'a> {
    /// Cleaned title.
    pub title: Cow<'a, str>,
    /// Cleaned body.
    pub body: Cow<'a, str>,
}

impl TextSource for CleanDoc<'_> {
    fn parts(&self) -> impl Iterator<Item = &str> {
        [self.title.as_ref(), self.body.as_ref()].into_iter()
    }
}

/// Cleans a collection (see [`clean`]): markup and addresses removed; unless `keep_boilerplate`,
/// boilerplate learned from the cleaned texts and removed too (returned, to be given to
/// [`Analyzer::with_boilerplate`] and saved with a fitted model).
pub fn clean_articles(
    articles: &[crate::ingest::Article],
    keep_boilerplate: bool,
) -> (Option<clean::Boilerplate>, Vec<CleanDoc<'_>>) {
    let marked = clean_with(articles, &clean::Cleaner::new(None));
    if keep_boilerplate {
        return (None, marked);
    }
    let learned = clean::Boilerplate::learn(marked.len(), |i| clean::DocParts {
        title: &marked[i].title,
        body: &marked[i].body,
        day: articles[i]
            .date
            .map(|t| chrono::Datelike::num_days_from_ce(&t.date_naive())),
    });
    let cleaner = clean::Cleaner::new(Some(learned.clone()));
    let docs = marked
        .into_par_iter()
        .map(|d| CleanDoc {
            title: cleaner.title_boilerplate(d.title),
            body: cleaner.body_boilerplate(d.body),
        })
        .collect();
    (Some(learned), docs)
}

/// Cleans new articles with a fitted model's boilerplate, exactly as [`clean_articles`] cleaned
/// the collection that taught it (`Cleaner::new(None)` for markup and addresses only), so that an
/// article analysed again gets the same terms as at fit time.
pub fn clean_with<'a>(
    articles: &'a [crate::ingest::Article],
    cleaner: &clean::Cleaner,
) -> Vec<CleanDoc<'a>> {
    articles
        .par_iter()
        .map(|a| {
            // A record with only a headline carries it as its text (see `ingest`): it is
            // cleaned, and its boilerplate learned, as a headline.
            if a.title.trim().is_empty() && a.text.len() <= 300 && !a.text.contains('\n') {
                CleanDoc {
                    title: cleaner.title(&a.text),
                    body: Cow::Borrowed(""),
                }
            } else {
                CleanDoc {
                    title: cleaner.title(&a.title),
                    body: cleaner.body(&a.text),
                }
            }
        })
        .collect()
}

/// Normalises and stems single words; shared by the batch path and by callers that analyse a few
/// new documents against a saved model.
pub struct Analyzer {
    params: ValidTextParams,
    stemmer: rust_stemmers::Stemmer,
    stop: ahash::AHashSet<&'static str>,
    /// Lower-case words dropped as boilerplate (a collection's dateline agency).
    dropped: ahash::AHashSet<String>,
    /// Drop the words of time stamps ([`clean::is_time_word`]).
    drop_times: bool,
}

impl Analyzer {
    /// An analyzer for validated settings.
    pub fn new(params: ValidTextParams) -> Self {
        let stop = if params.stop_words {
            params.lang.stop_words().into_iter().collect()
        } else {
            Default::default()
        };
        let stemmer = rust_stemmers::Stemmer::create(params.lang.algorithm());
        let drop_times = !params.keep_boilerplate;
        Analyzer {
            params,
            stemmer,
            stop,
            dropped: Default::default(),
            drop_times,
        }
    }

    /// Also drops the words [`clean::Boilerplate::dropped_words`] names.
    pub fn with_boilerplate(mut self, boilerplate: Option<&clean::Boilerplate>) -> Self {
        if let Some(b) = boilerplate {
            self.dropped = b.dropped_words().into_iter().collect();
        }
        self
    }

    /// The settings.
    pub fn params(&self) -> &TextParams {
        &self.params
    }

    /// `(key, surface)` of a raw word, or `None` if it is dropped.
    pub fn normalize(&self, raw: &str) -> Option<(String, String)> {
        self.normalize_cow(raw).map(|(k, s)| (k, s.into_owned()))
    }

    /// [`Analyzer::normalize`] with the surface form borrowed from `raw` when no folding was
    /// needed (almost always).
    fn normalize_cow<'a>(&self, raw: &'a str) -> Option<(String, Cow<'a, str>)> {
        let surface: Cow<'a, str> = if raw.contains('’') {
            Cow::Owned(strip_possessive(&raw.replace('’', "'")).to_string())
        } else {
            Cow::Borrowed(strip_possessive(raw))
        };
        // Nearly every word is ASCII, where characters are bytes and case folds byte by byte.
        let ascii = surface.is_ascii();
        let n_chars = if ascii {
            surface.len()
        } else {
            surface.chars().count()
        };
        if n_chars < self.params.min_len || n_chars > MAX_WORD_CHARS {
            return None;
        }
        let has_letter = if ascii {
            surface.bytes().any(|b| b.is_ascii_alphabetic())
        } else {
            surface.chars().any(char::is_alphabetic)
        };
        if !has_letter {
            return None;
        }
        let mut lower = if ascii {
            surface.to_ascii_lowercase()
        } else {
            surface.to_lowercase()
        };
        // "U.S." (abbreviations keep their final dot on display) has the key of "U.S".
        if lower.ends_with('.') {
            lower.truncate(lower.trim_end_matches('.').len());
        }
        if self.stop.contains(lower.as_str())
            || (!self.dropped.is_empty() && self.dropped.contains(&lower))
        {
            return None;
        }
        let key = if self.params.stem {
            // The stemmer hands back the word itself when it leaves it as it is (about half
            // the words): then `lower` is the key, without a copy.
            let changed = match self.stemmer.stem(&lower) {
                Cow::Owned(s) => Some(s),
                Cow::Borrowed(s) => (s != lower).then(|| s.to_string()),
            };
            changed.unwrap_or(lower)
        } else {
            lower
        };
        let key_chars = if key.is_ascii() {
            key.len()
        } else {
            key.chars().count()
        };
        if key_chars < self.params.min_len {
            return None;
        }
        Some((key, surface))
    }

    /// Keys of the words of `text`, in order (for applying a saved vocabulary to new text).
    pub fn keys(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let text = clean::markup_and_links(text);
        let text = text.as_ref();
        tokenize::for_each_word(text, |w| {
            let w = with_abbreviation_dot(text, w);
            if self.drop_times && clean::may_be_time_word(w) && clean::is_time_word(text, w) {
                return;
            }
            if let Some((k, _)) = self.normalize(w) {
                out.push(k);
            }
        });
        out
    }

    /// Analyses a whole collection (`texts[i]` is document i: title and body).
    ///
    /// The documents are processed in batches of [`BATCH_CHUNKS`] × [`CHUNK_DOCS`], so that
    /// only a batch or two of word sequences exist at a time (at 1M articles, holding every
    /// document's raw word ids and the chunk tables at once cost more than 2 GB):
    /// A. segment the batch's chunks in parallel into chunk-local raw word ids;
    /// B. merge the chunk tables, in chunk order, into the global raw word table;
    /// C. normalise and stem the raw words new in this batch, in parallel;
    /// D. give their keys term ids (first-seen order);
    /// E. map the batch's documents to term ids and count them, in parallel.
    ///
    /// B and D are sequential, so A of the next batch runs alongside B–E of the current one
    /// (on 2 cores the sequential phases otherwise left one core idle for a third of the stage).
    /// Raw word ids and term ids are assigned in the order words first occur in the collection,
    /// whatever the batch size or thread count. After the last batch each term gets its most
    /// frequent surface form as display label, and bigrams (if asked for) are counted.
    pub fn analyze<S: TextSource + Sync>(&self, texts: &[S]) -> AnalyzedCorpus {
        self.analyze_batches(texts.chunks(BATCH_DOCS))
    }

    /// [`Analyzer::analyze`] of the documents of `batches`, in order, as one collection: the
    /// result does not depend on how the documents are split into batches. The next batch is
    /// taken from the iterator (which may wait, e.g. for a reader) while the current one is
    /// being added, so documents can be analysed as they are read
    /// ([`crate::pipeline`] does this); batches of about [`BATCH_DOCS`] work best.
    pub fn analyze_batches<'a, S, I>(&self, mut batches: I) -> AnalyzedCorpus
    where
        S: TextSource + Sync + 'a,
        I: Iterator<Item = &'a [S]> + Send,
    {
        let keep_order = self.params.ngrams >= 2;
        let mut tables = WordTables::default();
        let mut docs: Vec<AnalyzedDoc> = Vec::new();
        let mut seqs: Vec<Vec<u32>> = Vec::new();
        let seg = Segmenter {
            min_len: self.params.min_len,
            drop_times: self.drop_times,
        };
        let segment = |batch| segment_batch(batch, seg);
        let mut current = batches.next().map(segment);
        while let Some(chunks) = current.take() {
            let (following, batch_docs) = rayon::join(
                || batches.next().map(segment),
                || self.add_batch(&mut tables, &chunks, keep_order),
            );
            for d in batch_docs {
                match d {
                    DocIds::InOrder(ids) => seqs.push(ids),
                    DocIds::Counted(doc) => docs.push(doc),
                }
            }
            current = following;
        }
        let WordTables {
            raw_counts,
            raw_to_term,
            surfaces,
            keys,
            n_words,
            pairs,
            ..
        } = tables;
        // Independent, and each mostly sequential (about 10 ms apiece on 20 Newsgroups).
        let (labels, phrases) = rayon::join(
            || best_surfaces(keys.len(), &raw_to_term, &surfaces, &raw_counts),
            || pairs.phrases(&raw_to_term, &surfaces, self.params.min_ngram_count),
        );
        let mut terms = TermTable { keys, labels };
        if keep_order {
            let bigrams = find_bigrams(&seqs, &mut terms, self.params.min_ngram_count);
            docs = seqs
                .into_par_iter()
                .map(|mut ids| {
                    let pairs: Vec<u32> = ids
                        .windows(2)
                        .filter_map(|w| bigrams.get(&(w[0], w[1])).copied())
                        .collect();
                    ids.extend(pairs);
                    AnalyzedDoc {
                        counts: count_sorted(&mut ids),
                    }
                })
                .collect();
        }
        AnalyzedCorpus {
            terms,
            docs,
            n_words,
            phrases,
        }
    }

    /// Phases B–E of [`Analyzer::analyze`] for one segmented batch: adds its words to `t` and
    /// returns each document's term ids in text order.
    fn add_batch<'a>(
        &self,
        t: &mut WordTables<'a>,
        chunks: &[ChunkWords<'a>],
        keep_order: bool,
    ) -> Vec<DocIds> {
        // B. Words the tables already hold are looked up in parallel; only the others are
        // numbered in order. After the first batches most of a batch's words are known; on 20
        // Newsgroups the merge of every word in order took 54 ms of one thread (no wall-time
        // change on 2 cores, where the next batch's segmentation filled the other core, but
        // less sequential work for more cores).
        let raw_ids = &t.raw_ids;
        let mut remaps: Vec<Vec<u32>> = chunks
            .par_iter()
            .map(|c| {
                c.keys
                    .iter()
                    .zip(&c.words)
                    .map(|(&key, w)| raw_ids.get(key, w).unwrap_or(u32::MAX))
                    .collect()
            })
            .collect();
        let first_new = t.raw_to_term.len();
        let mut new_words: Vec<&'a str> = Vec::new();
        for (c, remap) in chunks.iter().zip(&mut remaps) {
            t.n_words += c.skipped;
            for (((w, &key), &n), id) in c.words.iter().zip(&c.keys).zip(&c.counts).zip(remap) {
                t.n_words += n as u64;
                if *id == u32::MAX {
                    *id = t.raw_ids.id(key, w, || {
                        new_words.push(w);
                        t.raw_counts.push(0);
                        (first_new + new_words.len() - 1) as u32
                    });
                }
                t.raw_counts[*id as usize] += n as u64;
            }
        }
        // C. The new words normalised in parallel, their keys looked up among the known terms.
        let term_ids = &t.term_ids;
        let normalized: Vec<Option<NewWord<'a>>> = new_words
            .par_iter()
            .map(|w| {
                self.normalize_cow(w).map(|(key, surface)| {
                    let known = term_ids.get(&key).copied();
                    (key, surface, known)
                })
            })
            .collect();
        // D. Term ids for keys not seen before, in order.
        for n in normalized {
            match n {
                None => {
                    t.raw_to_term.push(u32::MAX);
                    t.surfaces.push(Cow::Borrowed(""));
                }
                Some((key, surface, known)) => {
                    let id = match known {
                        Some(id) => id,
                        None => {
                            let next = t.keys.len() as u32;
                            let keys = &mut t.keys;
                            *t.term_ids.entry(key).or_insert_with_key(|k| {
                                keys.push(k.clone());
                                next
                            })
                        }
                    };
                    t.raw_to_term.push(id);
                    t.surfaces.push(surface);
                }
            }
        }
        // E. Each chunk's words mapped to term ids once, then its documents through that table;
        // adjacent kept words at the start of each document counted as pairs ([`phrases`]).
        let raw_to_term = &t.raw_to_term;
        let mapped: Vec<MappedChunk> = chunks
            .par_iter()
            .zip(remaps.par_iter())
            .map(|(c, remap)| {
                let to_term: Vec<u32> = remap.iter().map(|&r| raw_to_term[r as usize]).collect();
                // Possessives end a phrase: "Russia's Putin" is no "Russia Putin".
                let possessive: Vec<bool> = c
                    .words
                    .iter()
                    .map(|w| w.ends_with("'s") || w.ends_with("’s") || w.ends_with('\''))
                    .collect();
                let mut pair_keys = Vec::new();
                let mut scratch: Vec<u32> = Vec::new();
                let docs = c
                    .docs
                    .iter()
                    .map(|d| {
                        let (mut seen, mut prev) = (0usize, PAIR_BREAK);
                        for &l in d {
                            if l == PAIR_BREAK {
                                prev = PAIR_BREAK;
                                continue;
                            }
                            seen += 1;
                            if seen > phrases::PHRASE_WINDOW {
                                break;
                            }
                            if prev != PAIR_BREAK
                                && !possessive[prev as usize]
                                && to_term[prev as usize] != u32::MAX
                                && to_term[l as usize] != u32::MAX
                            {
                                let (ra, rb) = (remap[prev as usize], remap[l as usize]);
                                pair_keys.push(phrases::pair_key(ra, rb));
                            }
                            prev = l;
                        }
                        let ids = d
                            .iter()
                            .filter(|&&l| l != PAIR_BREAK)
                            .map(|&l| to_term[l as usize])
                            .filter(|&t| t != u32::MAX);
                        if keep_order {
                            let mut v = Vec::with_capacity(d.len());
                            v.extend(ids);
                            DocIds::InOrder(v)
                        } else {
                            scratch.clear();
                            scratch.extend(ids);
                            DocIds::Counted(AnalyzedDoc {
                                counts: count_sorted(&mut scratch),
                            })
                        }
                    })
                    .collect();
                (docs, phrases::runs(pair_keys))
            })
            .collect();
        let mut out = Vec::with_capacity(chunks.iter().map(|c| c.docs.len()).sum());
        for (docs, runs) in mapped {
            out.extend(docs);
            t.pairs.add(&runs);
        }
        t.pairs.bound();
        out
    }
}

/// A chunk's documents as term ids, and its adjacent pairs as sorted `(key, count)` runs.
type MappedChunk = (Vec<DocIds>, Vec<(u64, u32)>);

/// A document's terms as [`Analyzer::add_batch`] returns them: in text order when bigrams are
/// to be found, otherwise already counted (sorted on a scratch buffer reused for the chunk, so
/// no list per document is allocated only to be sorted and dropped).
enum DocIds {
    InOrder(Vec<u32>),
    Counted(AnalyzedDoc),
}

/// A new raw word once normalised: its key, its surface form and the key's term id if the key
/// was already known.
type NewWord<'a> = (String, Cow<'a, str>, Option<u32>);

/// The collection-wide word tables [`Analyzer::analyze`] builds batch by batch.
#[derive(Default)]
struct WordTables<'a> {
    /// Raw word form → raw id (first-seen order).
    raw_ids: Interner<'a>,
    /// Occurrences per raw id.
    raw_counts: Vec<u64>,
    /// Term id per raw id (`u32::MAX`: dropped).
    raw_to_term: Vec<u32>,
    /// Surface form per raw id.
    surfaces: Vec<Cow<'a, str>>,
    /// Key → term id (first-seen order).
    term_ids: AHashMap<String, u32>,
    /// Key per term id.
    keys: Vec<String>,
    /// Words seen before filtering.
    n_words: u64,
    /// Adjacent term pairs.
    pairs: phrases::PairCounts,
}

/// The most frequent surface form of each of `n_terms` terms, summed over the raw words that
/// map to it (ties: alphabetically first). The raw words are grouped by term with a counting
/// sort, then each term's few candidates are compared, terms in parallel.
fn best_surfaces(
    n_terms: usize,
    raw_to_term: &[u32],
    surfaces: &[Cow<'_, str>],
    raw_counts: &[u64],
) -> Vec<String> {
    let mut start = vec![0usize; n_terms + 1];
    for &t in raw_to_term {
        if t != u32::MAX {
            start[t as usize + 1] += 1;
        }
    }
    for i in 0..n_terms {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut members = vec![0u32; start[n_terms]];
    for (r, &t) in raw_to_term.iter().enumerate() {
        if t != u32::MAX {
            members[fill[t as usize]] = r as u32;
            fill[t as usize] += 1;
        }
    }
    (0..n_terms)
        .into_par_iter()
        .map(|t| {
            let m = &members[start[t]..start[t + 1]];
            if let [only] = m {
                return surfaces[*only as usize].to_string();
            }
            let mut cands: Vec<(&str, u64)> = m
                .iter()
                .map(|&r| (surfaces[r as usize].as_ref(), raw_counts[r as usize]))
                .collect();
            cands.sort_unstable();
            let mut best: Option<(&str, u64)> = None;
            let mut i = 0;
            while i < cands.len() {
                let s = cands[i].0;
                let mut c = 0;
                while i < cands.len() && cands[i].0 == s {
                    c += cands[i].1;
                    i += 1;
                }
                // Ascending surfaces: a later one wins only with a strictly higher count.
                if best.is_none_or(|(_, bc)| c > bc) {
                    best = Some((s, c));
                }
            }
            best.map(|(s, _)| s.to_string()).unwrap_or_default()
        })
        .collect()
}

/// A word's bytes packed into a `u128` when it has at most 15 bytes, its length in the top byte
/// (so no two words share a key); 0 for longer words. Almost every word is that short, and
/// interning by such keys needs no string comparison: comparing `&str` keys read the words
/// back from scattered places in the articles (`memcmp` was 5% of a 20 Newsgroups profile).
#[inline]
fn short_key(w: &str) -> u128 {
    let b = w.as_bytes();
    if b.is_empty() || b.len() > 15 {
        return 0;
    }
    let mut buf = [0u8; 16];
    buf[..b.len()].copy_from_slice(b);
    buf[15] = b.len() as u8;
    u128::from_le_bytes(buf)
}

/// [`short_key`] of `w`, a slice of `text`: when 16 bytes of `text` follow the word's start
/// they are read at once and the bytes past the word masked off (no variable-length copy).
#[inline]
fn short_key_in(text: &str, w: &str) -> u128 {
    let at = (w.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    let len = w.len();
    match text.as_bytes().get(at..at + 16) {
        Some(b) if (1..=15).contains(&len) => {
            let v = u128::from_le_bytes(b.try_into().expect("16 bytes"));
            (v & ((1u128 << (8 * len)) - 1)) | ((len as u128) << 120)
        }
        _ => short_key(w),
    }
}

/// Word → id map over [`short_key`]s, with a string-keyed map for the longer words.
#[derive(Default)]
struct Interner<'a> {
    short: ShortKeyMap,
    long: AHashMap<&'a str, u32>,
}

impl<'a> Interner<'a> {
    fn with_capacity(n: usize) -> Self {
        Interner {
            short: ShortKeyMap::with_capacity(n),
            long: AHashMap::new(),
        }
    }

    /// The id of `w` (whose [`short_key`] is `key`), if known.
    #[inline]
    fn get(&self, key: u128, w: &str) -> Option<u32> {
        if key != 0 {
            self.short.get(key)
        } else {
            self.long.get(w).copied()
        }
    }

    /// The id of `w` (whose [`short_key`] is `key`), from `new` if it is not known yet.
    #[inline]
    fn id(&mut self, key: u128, w: &'a str, new: impl FnOnce() -> u32) -> u32 {
        if key != 0 {
            self.short.get_or_insert_with(key, new)
        } else {
            *self.long.entry(w).or_insert_with(new)
        }
    }
}

/// Nonzero [`short_key`] → id: open addressing with linear probing over parallel arrays of
/// keys and ids, at most three quarters full. Written here because every word of every document goes
/// through one lookup: `hashbrown`'s entry API was 6% of a 20 Newsgroups profile, for a map
/// whose keys are fixed-size integers that need no general hashing, tombstones or removal.
#[derive(Default)]
struct ShortKeyMap {
    /// 0 marks an empty slot (no short key is 0).
    keys: Vec<u128>,
    ids: Vec<u32>,
    len: usize,
    /// log2 of the number of slots.
    bits: u32,
}

impl ShortKeyMap {
    fn with_capacity(n: usize) -> Self {
        let bits = (n.max(8) * 4 / 3).next_power_of_two().trailing_zeros();
        ShortKeyMap {
            keys: written_zeros(1 << bits),
            ids: written_zeros(1 << bits),
            len: 0,
            bits,
        }
    }

    /// Slot to start probing at: the key's two halves mixed by multiplication, top bits.
    #[inline]
    fn home(&self, key: u128) -> usize {
        let (lo, hi) = (key as u64, (key >> 64) as u64);
        let h = (lo.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ hi).wrapping_mul(0xD6E8_FEB8_6659_FD93);
        (h >> (64 - self.bits)) as usize
    }

    /// The slot holding `key`, or the empty slot where it would go (the map must have slots).
    #[inline]
    fn slot(&self, key: u128) -> usize {
        let mask = self.keys.len() - 1;
        let mut i = self.home(key);
        while self.keys[i] != 0 && self.keys[i] != key {
            i = (i + 1) & mask;
        }
        i
    }

    #[inline]
    fn get(&self, key: u128) -> Option<u32> {
        if self.keys.is_empty() {
            return None;
        }
        let i = self.slot(key);
        (self.keys[i] == key).then(|| self.ids[i])
    }

    #[inline]
    fn get_or_insert_with(&mut self, key: u128, new: impl FnOnce() -> u32) -> u32 {
        if 4 * (self.len + 1) > 3 * self.keys.len() {
            self.grow();
        }
        let i = self.slot(key);
        if self.keys[i] == 0 {
            self.keys[i] = key;
            self.ids[i] = new();
            self.len += 1;
        }
        self.ids[i]
    }

    fn grow(&mut self) {
        let mut bigger = ShortKeyMap::with_capacity(2 * self.keys.len().max(8) * 3 / 4);
        for (&k, &id) in self.keys.iter().zip(&self.ids) {
            if k != 0 {
                bigger.get_or_insert_with(k, || id);
            }
        }
        *self = bigger;
    }
}

/// `n` zeros, written. `vec![0; n]` takes fresh pages that the kernel maps to its shared zero
/// page when first read, and a hash table reads a slot before writing it: each page then
/// faults twice, the second time copying it and flushing the other cores' TLBs (an IPI per
/// page). On 20 Newsgroups those second faults, nearly all in [`ShortKeyMap::grow`], were 3%
/// of the CPU time. `black_box` keeps the compiler from turning the fill back into a zeroed
/// allocation.
fn written_zeros<T: Copy + Default>(n: usize) -> Vec<T> {
    let mut v = Vec::with_capacity(n);
    v.resize(n, std::hint::black_box(T::default()));
    v
}

/// In a chunk's word sequence: the words either side are not adjacent in the text.
const PAIR_BREAK: u32 = u32::MAX;

/// Words of one chunk of documents, by chunk-local ids.
struct ChunkWords<'a> {
    words: Vec<&'a str>,
    /// [`short_key`] per word.
    keys: Vec<u128>,
    counts: Vec<u32>,
    docs: Vec<Vec<u32>>,
    /// Words left out because no normalisation could keep them (see [`could_be_term`]).
    skipped: u64,
}

/// False for a word that [`Analyzer::normalize`] certainly drops: fewer bytes than `min_len`
/// characters, or no letter (only ASCII non-letters). Such words (numbers, 1-letter words:
/// about a tenth of news text) are counted but never enter the word tables.
fn could_be_term(w: &str, min_len: usize) -> bool {
    w.len() >= min_len && w.bytes().any(|b| b.is_ascii_alphabetic() || b >= 0x80)
}

/// Settings of phase A.
#[derive(Clone, Copy)]
struct Segmenter {
    min_len: usize,
    drop_times: bool,
}

/// Phase A of [`Analyzer::analyze`]: the batch's chunks segmented in parallel.
fn segment_batch<S: TextSource + Sync>(batch: &[S], seg: Segmenter) -> Vec<ChunkWords<'_>> {
    batch
        .par_chunks(CHUNK_DOCS)
        .map(|c| segment_chunk(c, seg))
        .collect()
}

/// `w` (a word of `text`) with the full stop that follows it when it is an abbreviation
/// written with dots: "U.S" + "." → "U.S.", "p.m" + "." → "p.m." (UAX #29 leaves the final dot
/// out of the word, and a label "U.S" reads as a typo). An abbreviation here is two or more
/// dot-separated groups of one or two letters.
#[inline]
fn with_abbreviation_dot<'a>(text: &'a str, w: &'a str) -> &'a str {
    if w.len() > 8 || w.len() < 3 {
        return w;
    }
    let end = (w.as_ptr() as usize - text.as_ptr() as usize) + w.len();
    if text.as_bytes().get(end) != Some(&b'.') || !w.bytes().any(|c| c == b'.') {
        return w;
    }
    let groups_ok = w
        .split('.')
        .all(|g| (1..=2).contains(&g.len()) && g.bytes().all(|c| c.is_ascii_alphabetic()));
    if groups_ok {
        &text[end - w.len()..end + 1]
    } else {
        w
    }
}

fn segment_chunk<S: TextSource>(texts: &[S], seg: Segmenter) -> ChunkWords<'_> {
    let min_len = seg.min_len;
    let mut ids = Interner::with_capacity(1 << 14);
    let mut words = Vec::with_capacity(1 << 14);
    let mut keys = Vec::with_capacity(1 << 14);
    let mut counts: Vec<u32> = Vec::with_capacity(1 << 14);
    let mut skipped = 0u64;
    let docs = texts
        .iter()
        .map(|t| {
            let mut seq = Vec::with_capacity(t.parts().map(str::len).sum::<usize>() / 6);
            // In the first words of a document (where pairs are counted for phrases), a
            // `PAIR_BREAK` marks where two words are not adjacent in the text: punctuation
            // between them, a dropped word (number, time stamp), the start of a part.
            let mut n_words = 0usize;
            for part in t.parts() {
                let mut prev_end = 0usize;
                let mut pending_break = true;
                tokenize::for_each_word(part, |w| {
                    let in_window = n_words < phrases::PHRASE_WINDOW;
                    if !could_be_term(w, min_len) {
                        skipped += 1;
                        pending_break = true;
                        return;
                    }
                    let w = with_abbreviation_dot(part, w);
                    if seg.drop_times && clean::may_be_time_word(w) && clean::is_time_word(part, w)
                    {
                        skipped += 1;
                        pending_break = true;
                        return;
                    }
                    if in_window {
                        let start = w.as_ptr() as usize - part.as_ptr() as usize;
                        let gap = &part.as_bytes()[prev_end.min(start)..start];
                        if pending_break || !gap.iter().all(u8::is_ascii_whitespace) {
                            if !seq.is_empty() {
                                seq.push(PAIR_BREAK);
                            }
                            pending_break = false;
                        }
                        prev_end = start + w.len();
                        n_words += 1;
                    }
                    let key = short_key_in(part, w);
                    let id = ids.id(key, w, || {
                        words.push(w);
                        keys.push(key);
                        counts.push(0);
                        (words.len() - 1) as u32
                    });
                    counts[id as usize] += 1;
                    seq.push(id);
                });
            }
            seq
        })
        .collect();
    ChunkWords {
        words,
        keys,
        counts,
        docs,
        skipped,
    }
}

/// Bigrams of adjacent kept terms occurring at least `min_count` times; adds them to `terms`
/// (ids after the words, in sorted pair order) and returns the pair → id map.
fn find_bigrams(
    seqs: &[Vec<u32>],
    terms: &mut TermTable,
    min_count: u32,
) -> AHashMap<(u32, u32), u32> {
    let counts = seqs
        .par_chunks(CHUNK_DOCS)
        .map(|c| {
            let mut m: AHashMap<(u32, u32), u32> = AHashMap::new();
            for s in c {
                for w in s.windows(2) {
                    *m.entry((w[0], w[1])).or_insert(0) += 1;
                }
            }
            m
        })
        .reduce(AHashMap::new, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_insert(0) += v;
            }
            a
        });
    let mut kept: Vec<(u32, u32)> = counts
        .into_iter()
        .filter(|&(_, c)| c >= min_count)
        .map(|(k, _)| k)
        .collect();
    kept.sort_unstable();
    let mut map = AHashMap::with_capacity(kept.len());
    for (a, b) in kept {
        let (a_, b_) = (a as usize, b as usize);
        terms
            .keys
            .push(format!("{} {}", terms.keys[a_], terms.keys[b_]));
        terms
            .labels
            .push(format!("{} {}", terms.labels[a_], terms.labels[b_]));
        map.insert((a, b), (terms.keys.len() - 1) as u32);
    }
    map
}

/// `(id, count)` pairs of a list of ids, sorted by id.
fn count_sorted(ids: &mut [u32]) -> Vec<(u32, u32)> {
    ids.sort_unstable();
    let distinct = 1 + ids.windows(2).filter(|w| w[0] != w[1]).count();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(if ids.is_empty() { 0 } else { distinct });
    for &id in ids.iter() {
        match out.last_mut() {
            Some((last, c)) if *last == id => *c += 1,
            _ => out.push((id, 1)),
        }
    }
    out
}

/// Removes a possessive: `Ukraine's` → `Ukraine`, `Comeys'` → `Comeys`.
fn strip_possessive(w: &str) -> &str {
    if let Some(s) = w.strip_suffix("'s").or_else(|| w.strip_suffix("'S")) {
        return s;
    }
    w.trim_end_matches('\'')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ParamGuard;

    fn analyzer(p: TextParams) -> Analyzer {
        Analyzer::new(p.check().unwrap())
    }

    fn key_labels(c: &AnalyzedCorpus, d: usize) -> Vec<(String, u32)> {
        c.docs[d]
            .counts
            .iter()
            .map(|&(t, n)| (c.terms.labels[t as usize].clone(), n))
            .collect()
    }

    #[test]
    fn normalisation_cases() {
        let a = analyzer(TextParams::default());
        let n = |w: &str| a.normalize(w);
        assert_eq!(n("Ukraine's"), Some(("ukrain".into(), "Ukraine".into())));
        assert_eq!(n("Ukraine’s"), Some(("ukrain".into(), "Ukraine".into())));
        assert_eq!(
            n("sanctions"),
            Some(("sanction".into(), "sanctions".into()))
        );
        assert_eq!(n("The"), None, "stop word");
        assert_eq!(n("said"), None, "news stop word");
        assert_eq!(n("don't"), None, "contraction stop word");
        assert_eq!(n("2017"), None, "numbers only");
        assert_eq!(n("3.5"), None);
        assert_eq!(n("x"), None, "1 letter");
        assert_eq!(n("G7"), Some(("g7".into(), "G7".into())));
        assert_eq!(n(&"a".repeat(41)), None, "too long");
        let plain = analyzer(TextParams {
            stem: false,
            ..Default::default()
        });
        assert_eq!(
            plain.normalize("Sanctions"),
            Some(("sanctions".into(), "Sanctions".into()))
        );
        let german = analyzer(TextParams {
            lang: Language::German,
            ..Default::default()
        });
        assert_eq!(german.normalize("Häuser").map(|k| k.0), Some("haus".into()));
        assert_eq!(german.normalize("und"), None);
    }

    #[test]
    fn corpus_counts_and_surface_forms() {
        let a = analyzer(TextParams::default());
        let texts = [
            "Ukraine sanctions: the EU extends sanctions on Russia.",
            "Russia's reply to Ukraine's sanction talks",
            "RUSSIA ukraine",
        ];
        let c = a.analyze(&texts);
        assert_eq!(c.docs.len(), 3);
        assert_eq!(c.n_words, 8 + 6 + 2);
        let d0 = key_labels(&c, 0);
        // Russia: "Russia" ×2, "RUSSIA" ×1 → label "Russia"; sanction(s): "sanctions" ×2, "sanction" ×1.
        assert_eq!(
            d0,
            [
                ("Ukraine".into(), 1),
                ("sanctions".into(), 2),
                ("EU".into(), 1),
                ("extends".into(), 1),
                ("Russia".into(), 1)
            ]
        );
        let d1: Vec<String> = key_labels(&c, 1).into_iter().map(|x| x.0).collect();
        assert_eq!(d1, ["Ukraine", "sanctions", "Russia", "reply", "talks"]);
        // Ties broken alphabetically: "ukraine" ×1 vs "Ukraine" ×2 → Ukraine.
        assert_eq!(
            key_labels(&c, 2),
            [("Ukraine".into(), 1), ("Russia".into(), 1)]
        );
    }

    #[test]
    fn result_does_not_depend_on_chunking() {
        let a = analyzer(TextParams {
            ngrams: 2,
            min_ngram_count: 2,
            ..Default::default()
        });
        let texts: Vec<String> = (0..1000)
            .map(|i| {
                format!(
                    "White House {} statement on trade tariffs number{}",
                    i % 7,
                    i % 13
                )
            })
            .collect();
        let c1 = a.analyze(&texts);
        let c2 = on_one_thread(|| a.analyze(&texts));
        assert_eq!(c1, c2);
        let wh = c1
            .terms
            .labels
            .iter()
            .position(|l| l == "White House")
            .expect("bigram kept");
        assert!(c1.docs[0]
            .counts
            .iter()
            .any(|&(t, n)| t as usize == wh && n == 1));
    }

    #[test]
    fn ids_follow_first_occurrence_across_batches() {
        // More documents than one batch holds, so A of one batch overlaps B–E of the previous.
        let a = analyzer(TextParams {
            stem: false,
            ..Default::default()
        });
        let n = CHUNK_DOCS * BATCH_CHUNKS * 2 + 100;
        let texts: Vec<String> = (0..n)
            .map(|i| format!("market report{} alpha{}", i % 3, spell(i)))
            .collect();
        let c = a.analyze(&texts);
        let one = on_one_thread(|| a.analyze(&texts));
        assert_eq!(c, one);
        // After the first three, every document brings one new word, whose id is one more than
        // the previous document's.
        let ids: Vec<u32> = texts
            .iter()
            .zip(&c.docs)
            .map(|(t, d)| {
                let word = t.rsplit(' ').next().unwrap().to_lowercase();
                let id = c.terms.keys.iter().position(|k| *k == word).unwrap() as u32;
                assert!(d.counts.iter().any(|&(t, _)| t == id));
                id
            })
            .collect();
        assert!(
            ids[3..].windows(2).all(|w| w[1] == w[0] + 1),
            "{:?}",
            &ids[..5]
        );
    }

    /// `f` run on a one-thread pool (to compare with the default pool's result).
    fn on_one_thread<T: Send>(f: impl FnOnce() -> T + Send) -> T {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(f)
    }

    /// A letters-only spelling of `i` (digits would make the word a number).
    fn spell(mut i: usize) -> String {
        let mut s = String::new();
        loop {
            s.push((b'a' + (i % 26) as u8) as char);
            i /= 26;
            if i == 0 {
                return s;
            }
        }
    }

    #[test]
    fn best_surface_sums_raw_words_and_breaks_ties_alphabetically() {
        // Term 0: "Apple" 3 + "Apple" (from "Apple's") 2 beats "apple" 4.
        // Term 1: "Kyiv" 2 and "KYIV" 2 tie: "KYIV" sorts first. Raw word 5 is dropped.
        let surfaces: Vec<Cow<'_, str>> = ["Apple", "apple", "Apple", "Kyiv", "KYIV", ""]
            .into_iter()
            .map(Cow::Borrowed)
            .collect();
        let labels = best_surfaces(
            2,
            &[0, 0, 0, 1, 1, u32::MAX],
            &surfaces,
            &[3, 4, 2, 2, 2, 9],
        );
        assert_eq!(labels, vec!["Apple".to_string(), "KYIV".to_string()]);
    }

    #[test]
    fn short_key_map_keeps_every_id_across_growth() {
        let mut m = ShortKeyMap::with_capacity(4);
        let words: Vec<String> = (0..5000).map(spell).collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(m.get_or_insert_with(short_key(w), || i as u32), i as u32);
        }
        // Known keys keep their ids (the closure is not called).
        for (i, w) in words.iter().enumerate().rev() {
            assert_eq!(
                m.get_or_insert_with(short_key(w), || unreachable!()),
                i as u32
            );
            assert_eq!(m.get(short_key(w)), Some(i as u32));
        }
        assert_eq!(m.len, 5000);
        assert_eq!(m.get(short_key("not-there")), None);
        assert_eq!(ShortKeyMap::default().get(short_key("x")), None);
    }

    #[test]
    fn short_keys_agree_in_place_and_copied() {
        let text = "a Ukraine sanctions 2024 internationalisation ab";
        let mut n = 0;
        tokenize::for_each_word(text, |w| {
            assert_eq!(short_key_in(text, w), short_key(w), "{w}");
            n += 1;
        });
        assert!(n >= 5);
        assert_eq!(short_key("internationalisation"), 0);
        assert_ne!(short_key("ab"), short_key("ab\0"));
    }

    #[test]
    fn phrases_found_as_written_and_broken_by_punctuation() {
        let a = analyzer(TextParams::default());
        let mut texts: Vec<String> = Vec::new();
        for i in 0..12 {
            texts.push(format!(
                "Supreme Court hears case{} on Russia's Putin",
                spell(i)
            ));
            texts.push(format!(
                "Planned Parenthood funding: vote Putin{}",
                spell(i)
            ));
            texts.push(format!("The U.S. budget{} plan and the court", spell(i)));
        }
        let c = a.analyze(&texts);
        let names: Vec<&str> = c.phrases.iter().map(|p| p.label.as_str()).collect();
        assert!(names.contains(&"Supreme Court"), "{names:?}");
        assert!(names.contains(&"Planned Parenthood"), "{names:?}");
        assert!(
            !names.iter().any(|n| n.contains("Russia")),
            "possessive breaks: {names:?}"
        );
        assert!(!names.contains(&"funding vote"), "colon breaks: {names:?}");
        let us = c.terms.labels.iter().find(|l| l.starts_with("U.S"));
        assert_eq!(us.map(String::as_str), Some("U.S."));
    }

    #[test]
    fn time_stamps_and_agency_words_dropped() {
        let docs = [
            "WASHINGTON (Reuters) - Polls close at 8 p.m. EDT in Ohio.",
            "LONDON (Reuters) - Markets open at 0800 GMT, Reuters reported.",
            "PARIS (Reuters) - Talks resumed at 10:30 a.m. in Paris.",
        ];
        let arts: Vec<crate::ingest::Article> = docs
            .iter()
            .enumerate()
            .map(|(i, t)| crate::ingest::Article {
                id: format!("d{i}"),
                date: None,
                title: format!("Headline {i}"),
                text: t.to_string(),
                labels: vec![],
                group: None,
                input: 0,
                line: 1,
                vector: None,
            })
            .collect();
        let (bp, cleaned) = clean_articles(&arts, false);
        let c = analyzer(TextParams::default())
            .with_boilerplate(bp.as_ref())
            .analyze(&cleaned);
        for gone in ["p.m.", "EDT", "GMT", "a.m.", "Reuters", "WASHINGTON"] {
            assert!(
                !c.terms.labels.iter().any(|l| l == gone),
                "{gone}: {:?}",
                c.terms.labels
            );
        }
        assert!(c.terms.labels.iter().any(|l| l == "Ohio"));
        let (none, kept) = clean_articles(&arts, true);
        assert!(none.is_none());
        let c = analyzer(TextParams {
            keep_boilerplate: true,
            ..Default::default()
        })
        .analyze(&kept);
        assert!(c.terms.labels.iter().any(|l| l == "EDT"));
    }

    #[test]
    fn params_validation() {
        assert!(TextParams {
            ngrams: 3,
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(TextParams {
            ngrams: 0,
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(TextParams {
            min_ngram_count: 0,
            ..Default::default()
        }
        .check()
        .is_err());
        assert!(TextParams {
            min_len: 0,
            ..Default::default()
        }
        .check()
        .is_err());
    }
}
