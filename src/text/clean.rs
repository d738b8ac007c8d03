//! Cleaning real news text before it is cut into words.
//!
//! Two kinds of cleaning, both producing text for the word scanner (what readers see as titles
//! is cleaned the same way for display, see [`markup`]):
//!
//! 1. **Markup and addresses**, always: HTML character references decoded (`html-escape`, which
//!    knows every named reference of the HTML standard; decoded twice when the text was escaped
//!    twice, as scraped feeds often are: `&amp;#39;`), HTML tags and comments removed, URLs and
//!    e-mail addresses removed. Tags are removed by a small scanner rather than an HTML parser:
//!    news fields hold fragments (a headline with `<b>`, a body with `<p>`s, often cut off
//!    mid-tag), a DOM parser would allocate a tree per article for what is one linear pass, and
//!    recognising only the element names of the HTML standard leaves text such as `x<y`, `<SRD>`
//!    (Reuters tickers) or `<user@host>` to the other steps.
//! 2. **Wire boilerplate**, unless turned off (`keep_boilerplate`): words that say who sent a
//!    story or what kind of item it is, not what it is about. Bylines (`By Jane Doe` on its own
//!    first line) and credit lines (`(Reporting by …; Editing by …)`) are recognised by their
//!    form; time stamps (`10:30 a.m. EDT`, `1500 GMT`) by their form at the word level
//!    ([`is_time_word`]). Everything else is *learned from the collection* ([`Boilerplate::learn`]):
//!
//!    - a **headline prefix** (the text before a title's first `": "`, 1–4 words) or **suffix**
//!      (after its last `" - "`, `" | "`, `" — "` or `" – "`, 1–5 words), such as `Factbox:`,
//!      `Exclusive:`, `Re:` or `| Reuters`, is boilerplate when it heads at least
//!      [`MIN_SUPPORT`] titles, when at least half of those titles go on differently (distinct
//!      three words next to it: a thread's repeated subject, `Secret algorithm [Re: …`, is not
//!      a label of the item's kind), when it spans at least [`MIN_DAYS`] days if dated (a story
//!      that runs for a day is not a recurring label; undated, it must head 0.1% of the
//!      documents instead), and when it is **concentrated** in that
//!      position: more than half of all its occurrences in titles are as that prefix (suffix).
//!      Concentration is what separates `Factbox:` (116 of its 116 occurrences in the 2016
//!      Reuters headlines are as a prefix) from `Obama:` (13 of about 700) or `White House:`;
//!    - a **dateline** is the lead of a body up to its first dash (`WASHINGTON (Reuters) - `),
//!      when the lead (at most 120 bytes: a place and date, no word in lower case) ends with a
//!      parenthesised tag that heads at least
//!      [`MIN_SUPPORT`] bodies and either comes from two different places or heads 1% of the
//!      bodies. The tag's words (the agency, `Reuters`, `AP`) are then dropped as words
//!      everywhere: in its own feed an agency's name says nothing about a story;
//!    - a body's **last line** (at most 60 bytes: `Reuter`, `© 2016 …`, a site footer, standing
//!      after a finished sentence or paragraph) is boilerplate when it ends at least 0.5% of
//!      the bodies, under the same diversity and date rules as a prefix (a prolific Usenet
//!      poster's signature ends fewer).
//!
//! The statistics need one pass over titles, the leads and the last lines of bodies (not whole
//! bodies), plus one multi-pattern search (`aho-corasick`) over the titles for the few
//! candidates that pass the other tests.

use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Fewest documents a learned prefix, suffix, dateline tag or last line must appear in.
pub const MIN_SUPPORT: usize = 3;
/// Fewest distinct days a learned prefix, suffix or last line must span, when its documents are
/// dated.
pub const MIN_DAYS: usize = 3;
/// Without dates (no spread over days to check), a learned prefix or suffix must head at least
/// 1 in this many documents: a thread's or a series' subject heads fewer.
const UNDATED_SUPPORT_INV: usize = 1000;
/// A learned last line must end at least 1 in this many bodies (0.5%).
const MIN_FOOTER_SHARE_INV: usize = 200;
/// Fewest distinct continuations per occurrence (distinct first three words of the rest).
const MIN_DIVERSITY: f64 = 0.5;
/// Share of a phrase's occurrences in titles that must be exceeded in the learned position.
const MIN_CONCENTRATION: f64 = 0.5;
/// Longest headline prefix or suffix considered, in bytes.
const MAX_AFFIX_BYTES: usize = 40;
/// Longest body lead searched for a dateline, in bytes.
const MAX_LEAD_BYTES: usize = 120;
/// Longest body last line considered, in bytes.
const MAX_LAST_LINE_BYTES: usize = 60;
/// Separators before a headline suffix.
const SUFFIX_SEPS: [&str; 4] = [" - ", " | ", " — ", " – "];
/// Separators after a dateline.
const DATELINE_SEPS: [&str; 4] = [" - ", " — ", " – ", " -- "];

/// Boilerplate learned from a collection ([`Boilerplate::learn`]); all strings lower case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Boilerplate {
    /// Headline prefixes, without the colon (`factbox`, `exclusive`).
    pub prefixes: Vec<String>,
    /// Headline suffixes, without the separator (`reuters`).
    pub suffixes: Vec<String>,
    /// Dateline tags, without parentheses (`reuters`, `ap`).
    pub datelines: Vec<String>,
    /// Last lines of bodies (`reuter`).
    pub last_lines: Vec<String>,
}

/// What [`Boilerplate::learn`] reads of one document.
#[derive(Debug, Clone, Copy)]
pub struct DocParts<'a> {
    /// Headline (may be empty).
    pub title: &'a str,
    /// Body (may be empty).
    pub body: &'a str,
    /// Day number (e.g. days since the epoch), when dated.
    pub day: Option<i32>,
}

/// Occurrences of one candidate.
#[derive(Default)]
struct CandStats {
    docs: usize,
    dated: usize,
    rests: AHashSet<u64>,
    days: AHashSet<i32>,
}

impl CandStats {
    fn add(&mut self, rest: u64, day: Option<i32>) {
        self.docs += 1;
        self.rests.insert(rest);
        if let Some(d) = day {
            self.dated += 1;
            self.days.insert(d);
        }
    }

    fn merge(&mut self, o: CandStats) {
        self.docs += o.docs;
        self.dated += o.dated;
        self.rests.extend(o.rests);
        self.days.extend(o.days);
    }

    /// Support, diversity and spread over days when mostly dated, or, when not, support of at
    /// least one in [`UNDATED_SUPPORT_INV`] of the `n` documents.
    fn recurs(&self, n: usize) -> bool {
        let spread = if 2 * self.dated >= self.docs {
            self.days.len() >= MIN_DAYS
        } else {
            self.docs * UNDATED_SUPPORT_INV >= n
        };
        self.docs >= MIN_SUPPORT
            && self.rests.len() as f64 >= MIN_DIVERSITY * self.docs as f64
            && spread
    }
}

#[derive(Default)]
struct Candidates {
    prefixes: AHashMap<String, CandStats>,
    suffixes: AHashMap<String, CandStats>,
    /// Tag → (documents, distinct places).
    datelines: AHashMap<String, CandStats>,
    last_lines: AHashMap<String, CandStats>,
}

impl Candidates {
    fn merge(mut self, o: Candidates) -> Candidates {
        for (mine, theirs) in [
            (&mut self.prefixes, o.prefixes),
            (&mut self.suffixes, o.suffixes),
            (&mut self.datelines, o.datelines),
            (&mut self.last_lines, o.last_lines),
        ] {
            for (k, v) in theirs {
                mine.entry(k).or_default().merge(v);
            }
        }
        self
    }
}

impl Boilerplate {
    /// Learns the collection's boilerplate (see the module documentation for the rules).
    /// `parts(i)` gives document i of `n`.
    pub fn learn<'a>(n: usize, parts: impl Fn(usize) -> DocParts<'a> + Sync) -> Boilerplate {
        let chunks: Vec<std::ops::Range<usize>> =
            (0..n).step_by(2048).map(|s| s..(s + 2048).min(n)).collect();
        let cands = chunks
            .par_iter()
            .map(|r| {
                let mut c = Candidates::default();
                for i in r.clone() {
                    let p = parts(i);
                    collect_title(&mut c, p.title, p.day);
                    collect_body(&mut c, p.body, p.day);
                }
                c
            })
            .reduce(Candidates::default, Candidates::merge);
        let n_bodies = (0..n)
            .into_par_iter()
            .filter(|&i| !parts(i).body.trim().is_empty())
            .count();
        let keep = |m: AHashMap<String, CandStats>| -> Vec<(String, usize)> {
            let mut v: Vec<(String, usize)> = m
                .into_iter()
                .filter(|(_, s)| s.recurs(n))
                .map(|(k, s)| (k, s.docs))
                .collect();
            v.sort_unstable();
            v
        };
        let prefixes = keep(cands.prefixes);
        let suffixes = keep(cands.suffixes);
        // Concentration: occurrences anywhere in titles, word-bounded, case-insensitive.
        let phrases: Vec<&str> = prefixes
            .iter()
            .chain(&suffixes)
            .map(|(k, _)| k.as_str())
            .collect();
        let anywhere = count_in_titles(&chunks, &parts, &phrases);
        let concentrated = |v: Vec<(String, usize)>, offset: usize| -> Vec<String> {
            v.into_iter()
                .enumerate()
                .filter(|(i, (_, n))| {
                    *n as f64 > MIN_CONCENTRATION * anywhere[offset + i].max(*n) as f64
                })
                .map(|(_, (k, _))| k)
                .collect()
        };
        let n_pre = prefixes.len();
        let prefixes = concentrated(prefixes, 0);
        let suffixes = concentrated(suffixes, n_pre);
        let mut datelines: Vec<String> = cands
            .datelines
            .into_iter()
            .filter(|(_, s)| {
                s.docs >= MIN_SUPPORT && (s.rests.len() >= 2 || 100 * s.docs >= n_bodies)
            })
            .map(|(k, _)| k)
            .collect();
        datelines.sort_unstable();
        // A footer is in many bodies, not in a few of one author's posts.
        let min_footer = MIN_SUPPORT.max(n_bodies / MIN_FOOTER_SHARE_INV);
        let last_lines = keep(cands.last_lines)
            .into_iter()
            .filter(|x| x.1 >= min_footer)
            .map(|x| x.0)
            .collect();
        Boilerplate {
            prefixes,
            suffixes,
            datelines,
            last_lines,
        }
    }

    /// True when nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty()
            && self.suffixes.is_empty()
            && self.datelines.is_empty()
            && self.last_lines.is_empty()
    }

    /// Lower-case words never to be used as terms: the words of the dateline tags.
    pub fn dropped_words(&self) -> Vec<String> {
        let mut w: Vec<String> = self
            .datelines
            .iter()
            .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        w.sort_unstable();
        w.dedup();
        w
    }
}

/// Occurrences of each phrase in the titles, word-bounded, ASCII case-insensitive.
fn count_in_titles<'a>(
    chunks: &[std::ops::Range<usize>],
    parts: &(impl Fn(usize) -> DocParts<'a> + Sync),
    phrases: &[&str],
) -> Vec<usize> {
    if phrases.is_empty() {
        return Vec::new();
    }
    let ac = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(phrases)
        .expect("a few short literal patterns");
    chunks
        .par_iter()
        .map(|r| {
            let mut n = vec![0usize; phrases.len()];
            for i in r.clone() {
                let t = parts(i).title;
                let b = t.as_bytes();
                for m in ac.find_overlapping_iter(t) {
                    let before = m.start() == 0 || !is_word_byte(b[m.start() - 1]);
                    let after = m.end() == b.len() || !is_word_byte(b[m.end()]);
                    if before && after {
                        n[m.pattern().as_usize()] += 1;
                    }
                }
            }
            n
        })
        .reduce(
            || vec![0; phrases.len()],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        )
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Hash of the first three words of `s`, lower case: what tells a recurring label from a
/// repeated thread subject.
fn rest_key(s: &str) -> u64 {
    words_key(s.split_whitespace().take(3))
}

/// Hash of the last three words of `s`, lower case (the words next to a suffix).
fn rest_key_end(s: &str) -> u64 {
    words_key(s.split_whitespace().rev().take(3))
}

fn words_key<'a>(words: impl Iterator<Item = &'a str>) -> u64 {
    let mut h = DefaultHasher::new();
    for w in words {
        w.to_lowercase().hash(&mut h);
    }
    h.finish()
}

/// A headline prefix candidate: `Some((prefix, rest))` when `t` starts with 1–4 words
/// (at most [`MAX_AFFIX_BYTES`]) followed by `": "`.
fn split_prefix(t: &str) -> Option<(&str, &str)> {
    let p = memchr::memmem::find(t.as_bytes(), b": ")?;
    if p == 0 || p > MAX_AFFIX_BYTES {
        return None;
    }
    let prefix = t[..p].trim();
    let words = prefix.split_whitespace().count();
    if !(1..=4).contains(&words) || !prefix.chars().any(char::is_alphabetic) {
        return None;
    }
    Some((prefix, t[p + 2..].trim_start()))
}

/// The first of `seps` (which all start with a space) in `t`: `(byte offset, length)`, the
/// shortest at the first offset; what the least `(offset, length)` over `t.find(sep)` would
/// give. One scan for spaces instead of a substring search per separator (the searchers'
/// set-up and scans were 1% of a 20 Newsgroups profile, every article's title and lead).
fn first_separator(t: &str, seps: &[&str]) -> Option<(usize, usize)> {
    let b = t.as_bytes();
    memchr::memchr_iter(b' ', b).find_map(|p| matches_at(b, p, seps).min().map(|l| (p, l)))
}

/// The last of `seps` (which all start with a space) in `t`: the longest at the last offset,
/// what the greatest `(offset, length)` over `t.rfind(sep)` would give.
fn last_separator(t: &str, seps: &[&str]) -> Option<(usize, usize)> {
    let b = t.as_bytes();
    memchr::memrchr_iter(b' ', b).find_map(|p| matches_at(b, p, seps).max().map(|l| (p, l)))
}

/// Lengths of the separators of `seps` found at byte `p` of `b`.
fn matches_at<'a>(b: &'a [u8], p: usize, seps: &'a [&str]) -> impl Iterator<Item = usize> + 'a {
    seps.iter()
        .filter(move |s| b[p..].starts_with(s.as_bytes()))
        .map(|s| s.len())
}

/// A headline suffix candidate: `Some((rest, suffix))` after the last separator.
fn split_suffix(t: &str) -> Option<(&str, &str)> {
    let (p, sep) = last_separator(t, &SUFFIX_SEPS)?;
    let suffix = t[p + sep..].trim();
    let words = suffix.split_whitespace().count();
    if p == 0
        || suffix.len() > MAX_AFFIX_BYTES
        || !(1..=5).contains(&words)
        || !suffix.chars().any(char::is_alphabetic)
    {
        return None;
    }
    Some((&t[..p], suffix))
}

fn collect_title(c: &mut Candidates, title: &str, day: Option<i32>) {
    let t = title.trim();
    if t.is_empty() {
        return;
    }
    // Up to two prefixes ("Re: WANTED: ..."): the second counts in its own right.
    let mut rest = t;
    for _ in 0..2 {
        let Some((prefix, r)) = split_prefix(rest) else {
            break;
        };
        c.prefixes
            .entry(prefix.to_lowercase())
            .or_default()
            .add(rest_key(r), day);
        rest = r;
    }
    if let Some((r, suffix)) = split_suffix(t) {
        c.suffixes
            .entry(suffix.to_lowercase())
            .or_default()
            .add(rest_key_end(r), day);
    }
}

/// The dateline of a body: `Some((lead end incl. separator, tag, place))`. A dateline is a
/// lead of at most [`MAX_LEAD_BYTES`] before a dash, ending with a parenthesised tag of 1–3
/// words, its place (and date) before the tag at most 6 words none of which starts in lower
/// case: `WASHINGTON (Reuters) - `, `NEW YORK, May 3 (AP) — `.
fn dateline(body: &str) -> Option<(usize, &str, &str)> {
    let head_end = floor_char_boundary(body, MAX_LEAD_BYTES.min(body.len()));
    let head = &body[..head_end];
    let (p, sep) = first_separator(head, &DATELINE_SEPS)?;
    let lead = head[..p].trim_end();
    let inner = lead.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let tag = inner[open + 1..].trim();
    let place = inner[..open].trim();
    let words = tag.split_whitespace().count();
    let place_words = place.split_whitespace().count();
    if !(1..=3).contains(&words)
        || !tag.chars().any(char::is_alphabetic)
        || !(1..=6).contains(&place_words)
        || place.split_whitespace().any(|w| {
            w.chars()
                .next()
                .is_some_and(|c| !c.is_uppercase() && !c.is_numeric())
        })
    {
        return None;
    }
    Some((p + sep, tag, place))
}

/// The last non-empty line of a body, when short and standing apart from the text before it
/// (which ends a sentence or a paragraph: a wrapped sentence's last words are not a footer):
/// `Some((start, line))`.
fn last_line(body: &str) -> Option<(usize, &str)> {
    let trimmed = body.trim_end();
    let start = trimmed.rfind('\n').map_or(0, |p| p + 1);
    let line = trimmed[start..].trim();
    if start == 0
        || line.is_empty()
        || line.len() > MAX_LAST_LINE_BYTES
        || !line.chars().any(char::is_alphabetic)
    {
        return None;
    }
    let before = &trimmed[..start];
    let paragraph = before.trim_end_matches([' ', '\t', '\r']).ends_with("\n\n");
    let sentence = before
        .trim_end()
        .ends_with(['.', '!', '?', '"', '\'', ')', '”', '’', '»']);
    (paragraph || sentence).then_some((start, line))
}

fn collect_body(c: &mut Candidates, body: &str, day: Option<i32>) {
    let b = body.trim_start();
    if b.is_empty() {
        return;
    }
    if let Some((_, tag, place)) = dateline(b) {
        c.datelines
            .entry(tag.to_lowercase())
            .or_default()
            .add(rest_key(place), None);
    }
    if let Some((_, line)) = last_line(b) {
        c.last_lines
            .entry(line.to_lowercase())
            .or_default()
            .add(rest_key(b), day);
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Cleans documents: markup and addresses always, boilerplate when one is given.
#[derive(Debug, Clone, Default)]
pub struct Cleaner {
    boilerplate: Option<Boilerplate>,
    prefixes: AHashSet<String>,
    suffixes: AHashSet<String>,
    datelines: AHashSet<String>,
    last_lines: AHashSet<String>,
}

impl Cleaner {
    /// A cleaner that removes `boilerplate` (and bylines and credit lines) when given, and only
    /// markup and addresses when `None`.
    pub fn new(boilerplate: Option<Boilerplate>) -> Self {
        let set = |v: &[String]| v.iter().cloned().collect::<AHashSet<String>>();
        match boilerplate {
            None => Cleaner::default(),
            Some(b) => Cleaner {
                prefixes: set(&b.prefixes),
                suffixes: set(&b.suffixes),
                datelines: set(&b.datelines),
                last_lines: set(&b.last_lines),
                boilerplate: Some(b),
            },
        }
    }

    /// The boilerplate removed, if any.
    pub fn boilerplate(&self) -> Option<&Boilerplate> {
        self.boilerplate.as_ref()
    }

    /// A cleaned title.
    pub fn title<'a>(&self, title: &'a str) -> Cow<'a, str> {
        self.title_boilerplate(markup_and_links(title))
    }

    /// A cleaned body.
    pub fn body<'a>(&self, body: &'a str) -> Cow<'a, str> {
        self.body_boilerplate(markup_and_links(body))
    }

    /// The boilerplate of a title (already cleaned of markup and links) removed.
    pub fn title_boilerplate<'a>(&self, t: Cow<'a, str>) -> Cow<'a, str> {
        if self.boilerplate.is_none() {
            return t;
        }
        let mut s: &str = t.trim();
        for _ in 0..2 {
            match split_prefix(s) {
                Some((p, rest)) if self.prefixes.contains(&p.to_lowercase()) => s = rest,
                _ => break,
            }
        }
        if let Some((rest, suffix)) = split_suffix(s) {
            if self.suffixes.contains(&suffix.to_lowercase()) {
                s = rest;
            }
        }
        let range = range_in(&t, s);
        sub(t, range)
    }

    /// The boilerplate of a body (already cleaned of markup and links) removed.
    pub fn body_boilerplate<'a>(&self, t: Cow<'a, str>) -> Cow<'a, str> {
        if self.boilerplate.is_none() {
            return t;
        }
        let mut s: &str = t.trim_start();
        if !self.datelines.is_empty() {
            if let Some((end, tag, _)) = dateline(s) {
                if self.datelines.contains(&tag.to_lowercase()) {
                    s = &s[end..];
                }
            }
        }
        if !self.last_lines.is_empty() {
            if let Some((start, line)) = last_line(s) {
                if self.last_lines.contains(&line.to_lowercase()) {
                    s = &s[..start];
                }
            }
        }
        s = strip_byline(s);
        if let Cow::Owned(o) = strip_credits(s) {
            return Cow::Owned(o);
        }
        let range = range_in(&t, s);
        sub(t, range)
    }
}

/// Byte range of `part`, a slice of `whole`, in `whole`.
fn range_in(whole: &str, part: &str) -> std::ops::Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    start..start + part.len()
}

/// `whole[range]`, borrowed from the original text when `whole` is.
fn sub(whole: Cow<'_, str>, range: std::ops::Range<usize>) -> Cow<'_, str> {
    match whole {
        Cow::Borrowed(w) => Cow::Borrowed(&w[range]),
        Cow::Owned(mut o) => {
            o.truncate(range.end);
            o.drain(..range.start);
            Cow::Owned(o)
        }
    }
}

/// A first line `By Jane Doe` / `By JANE DOE and John Roe, Reuters` (at most 80 bytes, every
/// word capitalised or a joining word) is removed.
fn strip_byline(s: &str) -> &str {
    let Some(rest) = s.strip_prefix("By ").or_else(|| s.strip_prefix("BY ")) else {
        return s;
    };
    let Some(nl) = rest.find('\n') else {
        return s;
    };
    let line = &rest[..nl];
    let ok = nl <= 80
        && line.split_whitespace().all(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.is_empty()
                || w.chars().next().is_some_and(char::is_uppercase)
                || matches!(w, "and" | "in" | "of" | "de" | "van" | "von" | "da" | "der")
        })
        && line.split_whitespace().count() <= 8;
    if ok {
        &rest[nl + 1..]
    } else {
        s
    }
}

/// Removes parenthesised credit lines: `(Reporting by …; Editing by …)`, `(Writing by …)`,
/// `(Additional reporting by …)`: a `(`, a capitalised word, at most two more words, `by `.
fn strip_credits(s: &str) -> Cow<'_, str> {
    if memchr::memmem::find(s.as_bytes(), b" by ").is_none() {
        return Cow::Borrowed(s);
    }
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut from = 0;
    while let Some(p) = s[from..].find('(').map(|p| from + p) {
        from = p + 1;
        let after = &s[p + 1..];
        let Some(close) = after.find(')') else { break };
        if close > 400 {
            continue;
        }
        let inner = &after[..close];
        let words: Vec<&str> = inner.split_whitespace().take(4).collect();
        let by_at = words.iter().position(|w| w.eq_ignore_ascii_case("by"));
        let credit =
            matches!(by_at, Some(1..=3)) && words[0].chars().next().is_some_and(char::is_uppercase);
        if credit {
            let o = out.get_or_insert_with(String::new);
            o.push_str(&s[last..p]);
            o.push(' ');
            last = p + 1 + close + 1;
            from = last;
        }
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut o) => {
            o.push_str(&s[last..]);
            Cow::Owned(o)
        }
    }
}

/// HTML character references decoded and tags removed (for display as well as analysis).
pub fn markup(s: &str) -> Cow<'_, str> {
    let decoded = if s.contains('&') {
        match html_escape::decode_html_entities(s) {
            Cow::Owned(once) if once.contains('&') => {
                // Escaped twice (`&amp;quot;`): decode the result too.
                match html_escape::decode_html_entities(&once) {
                    Cow::Owned(twice) => Cow::Owned(twice),
                    Cow::Borrowed(_) => Cow::Owned(once),
                }
            }
            d => d,
        }
    } else {
        Cow::Borrowed(s)
    };
    if !decoded.contains('<') {
        return decoded;
    }
    match strip_tags(&decoded) {
        Cow::Owned(o) => Cow::Owned(o),
        Cow::Borrowed(_) => decoded,
    }
}

/// [`markup`], then URLs and e-mail addresses removed.
pub fn markup_and_links(s: &str) -> Cow<'_, str> {
    let m = markup(s);
    let b = m.as_bytes();
    let has_link = memchr::memchr(b'@', b).is_some()
        || memchr::memmem::find(b, b"://").is_some()
        || memchr::memmem::find(b, b"www.").is_some();
    if !has_link {
        return m;
    }
    match strip_links(&m) {
        Cow::Owned(o) => Cow::Owned(o),
        Cow::Borrowed(_) => m,
    }
}

/// Element names of the HTML standard (and a few obsolete ones still seen in feeds).
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "menu",
    "meta",
    "meter",
    "nav",
    "nobr",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Length of the tag starting at `b[0] == b'<'`, when it is an HTML tag, comment or doctype;
/// also whether its contents up to the closing tag go too (`script`, `style`).
fn tag_len(b: &[u8]) -> Option<(usize, Option<&'static str>)> {
    let rest = &b[1..];
    if rest.starts_with(b"!--") {
        let end = memchr::memmem::find(&rest[3..], b"-->")?;
        return Some((1 + 3 + end + 3, None));
    }
    if rest.first() == Some(&b'!') || rest.first() == Some(&b'?') {
        let end = memchr::memchr(b'>', rest)?;
        return Some((end + 2, None));
    }
    let closing = rest.first() == Some(&b'/');
    let name_start = usize::from(closing);
    let name_len = rest[name_start..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || name_len > 10 {
        return None;
    }
    let name = std::str::from_utf8(&rest[name_start..name_start + name_len])
        .ok()?
        .to_ascii_lowercase();
    let known = HTML_ELEMENTS.iter().find(|e| **e == name)?;
    let after = rest.get(name_start + name_len).copied()?;
    if !(after == b'>' || after == b'/' || after.is_ascii_whitespace()) {
        return None;
    }
    // The tag ends at the next '>' unless another '<' comes first (then it was not a tag).
    let window = &rest[..rest.len().min(4096)];
    let end = memchr::memchr(b'>', window)?;
    if memchr::memchr(b'<', &window[..end]).is_some() {
        return None;
    }
    let skip_body = (!closing && matches!(*known, "script" | "style")).then_some(*known);
    Some((end + 2, skip_body))
}

/// Removes HTML tags, comments, and the contents of `script` and `style` elements; each
/// removed tag becomes a space (a `<br>` or `</p>` separates words).
pub fn strip_tags(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]).map(|p| i + p) {
        match tag_len(&b[p..]) {
            None => i = p + 1,
            Some((len, skip)) => {
                let mut end = p + len;
                if let Some(name) = skip {
                    let close = format!("</{name}");
                    let lower_rest = b[end..].to_ascii_lowercase();
                    end = match memchr::memmem::find(&lower_rest, close.as_bytes()) {
                        Some(c) => {
                            let at = end + c;
                            at + memchr::memchr(b'>', &b[at..]).map_or(b.len() - at, |q| q + 1)
                        }
                        None => b.len(),
                    };
                }
                let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
                o.push_str(&s[last..p]);
                o.push(' ');
                last = end;
                i = end;
            }
        }
        if i >= b.len() {
            break;
        }
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut o) => {
            o.push_str(&s[last..]);
            Cow::Owned(o)
        }
    }
}

/// Removes URLs (`scheme://…`, `www.…`) and e-mail addresses, each replaced by a space.
pub fn strip_links(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    // scheme://...
    for p in memchr::memmem::find_iter(b, b"://") {
        let start = b[..p]
            .iter()
            .rposition(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-')))
            .map_or(0, |q| q + 1);
        if p - start < 2 || !b[start].is_ascii_alphabetic() {
            continue;
        }
        spans.push((start, url_end(b, p + 3)));
    }
    for p in memchr::memmem::find_iter(b, b"www.") {
        if p > 0 && (b[p - 1].is_ascii_alphanumeric() || matches!(b[p - 1], b'/' | b'.')) {
            continue;
        }
        spans.push((p, url_end(b, p + 4)));
    }
    for p in memchr::memchr_iter(b'@', b) {
        let local =
            |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
        let start = b[..p].iter().rposition(|c| !local(c)).map_or(0, |q| q + 1);
        let domain = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-');
        let mut end = p + 1 + b[p + 1..].iter().take_while(|c| domain(c)).count();
        while end > p + 1 && b[end - 1] == b'.' {
            end -= 1;
        }
        let host = &b[p + 1..end];
        let tld_ok = host.iter().rposition(|&c| c == b'.').is_some_and(|d| {
            d > 0 && host.len() - d > 2 && host[d + 1..].iter().all(u8::is_ascii_alphabetic)
        });
        if start < p && tld_ok {
            spans.push((start, end));
        }
    }
    if spans.is_empty() {
        return Cow::Borrowed(s);
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (a, e) in spans {
        if a < last {
            last = last.max(e);
            continue;
        }
        out.push_str(&s[last..a]);
        out.push(' ');
        last = e;
    }
    out.push_str(&s[last.min(s.len())..]);
    Cow::Owned(out)
}

/// End of a URL starting before `from`: up to whitespace, a quote or angle bracket, without
/// trailing punctuation.
fn url_end(b: &[u8], from: usize) -> usize {
    let mut e = from
        + b[from..]
            .iter()
            .take_while(|&&c| {
                !(c.is_ascii_whitespace() || matches!(c, b'<' | b'>' | b'"' | b'\'')) && c < 0x80
            })
            .count();
    while e > from && matches!(b[e - 1], b'.' | b',' | b';' | b':' | b'!' | b'?' | b')') {
        e -= 1;
    }
    e
}

/// A cheap test that is false for most words and true for every word [`is_time_word`] accepts:
/// 2–4 bytes, starting with `a`/`p` and ending with `m`/`.` (a meridiem), or starting with a
/// capital and ending with `T`/`C` (a zone).
#[inline]
pub fn may_be_time_word(w: &str) -> bool {
    let b = w.as_bytes();
    if !(2..=4).contains(&b.len()) {
        return false;
    }
    let (first, last) = (b[0], b[b.len() - 1]);
    (matches!(first, b'a' | b'p' | b'A' | b'P') && matches!(last, b'm' | b'M' | b'.'))
        || (first.is_ascii_uppercase() && matches!(last, b'T' | b'C'))
}

/// True for a word of a time stamp: `a.m.`/`p.m.`/`am`/`pm` after a number, or a time-zone
/// abbreviation (2–4 capitals ending in `T`, or `UTC`) after a number or `a.m.`/`p.m.`.
/// `w` must be a slice of `text` (the word scanner's output).
pub fn is_time_word(text: &str, w: &str) -> bool {
    let n = w.len();
    if !(2..=4).contains(&n) {
        return false;
    }
    let meridiem = |x: &str| {
        let x = x.trim_end_matches('.');
        x.eq_ignore_ascii_case("a.m")
            || x.eq_ignore_ascii_case("p.m")
            || x.eq_ignore_ascii_case("am")
            || x.eq_ignore_ascii_case("pm")
    };
    let zone = w.bytes().all(|c| c.is_ascii_uppercase()) && (w.ends_with('T') || w == "UTC");
    let is_meridiem = meridiem(w);
    if !zone && !is_meridiem {
        return false;
    }
    let at = w.as_ptr() as usize - text.as_ptr() as usize;
    let before = text[..at].trim_end_matches([' ', '(']);
    let Some(last) = before.bytes().last() else {
        return false;
    };
    if last.is_ascii_digit() {
        return true;
    }
    // A zone after a meridiem: the word before ends with "a.m." / "p.m." / "am" / "pm".
    zone && {
        let prev_start = before
            .rfind(|c: char| c.is_whitespace())
            .map_or(0, |p| p + 1);
        let prev = &before[prev_start..];
        meridiem(prev) && {
            let b2 = before[..prev_start].trim_end();
            b2.bytes().last().is_some_and(|c| c.is_ascii_digit())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whitespace runs as one space, ends trimmed.
    fn squash(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn separator_scans_agree_with_substring_search() {
        for seps in [&SUFFIX_SEPS, &DATELINE_SEPS] {
            assert!(seps.iter().all(|s| s.starts_with(' ')));
        }
        for t in [
            "",
            "no separator",
            "WASHINGTON (Reuters) - U.S. -- talks — end",
            "A -- B - C",
            "Brexit – the deal | Reuters - Video",
            "x — y – z  -  w",
            " - ",
            "ends with -",
        ] {
            let first = DATELINE_SEPS
                .iter()
                .filter_map(|s| t.find(s).map(|p| (p, s.len())))
                .min();
            assert_eq!(first_separator(t, &DATELINE_SEPS), first, "{t:?}");
            let last = SUFFIX_SEPS
                .iter()
                .filter_map(|s| t.rfind(s).map(|p| (p, s.len())))
                .max();
            assert_eq!(last_separator(t, &SUFFIX_SEPS), last, "{t:?}");
        }
    }

    #[test]
    fn entities_decoded_once_and_twice() {
        assert_eq!(markup("AT&amp;T &lt;b&gt;"), "AT&T  ");
        assert_eq!(markup("Trump&#39;s &quot;deal&quot;"), "Trump's \"deal\"");
        assert_eq!(
            markup("Trump&amp;#39;s &amp;quot;deal&amp;quot;"),
            "Trump's \"deal\""
        );
        assert_eq!(markup("caf&eacute; &mdash; na&iuml;ve"), "café — naïve");
        assert!(matches!(markup("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_stripped_but_not_lookalikes() {
        assert_eq!(
            squash(&markup("<p>Storm <b>hits</b> coast</p><br/>")),
            "Storm hits coast"
        );
        assert_eq!(
            squash(&markup(
                "<div class=\"x\">A</div><!-- ad -->B<script>var x = '<p>';</script>C"
            )),
            "A B C"
        );
        assert_eq!(squash(&markup("<STYLE>p{}</style>Text")), "Text");
        // Not HTML: comparisons, tickers, addresses.
        assert_eq!(markup("if x<y and y>z"), "if x<y and y>z");
        assert_eq!(
            markup("STANDARD OIL <SRD> TO FORM UNIT"),
            "STANDARD OIL <SRD> TO FORM UNIT"
        );
        // A cut-off tag at the end is left (no closing '>').
        assert_eq!(markup("text <a href"), "text <a href");
    }

    #[test]
    fn urls_and_emails_removed() {
        let s = "See https://www.example.com/a?b=1, or www.news.org/x. Mail jo.doe+x@cs.cmu.edu.";
        assert_eq!(squash(&markup_and_links(s)), "See , or . Mail .");
        assert_eq!(
            squash(&markup_and_links(
                "In article <1993Apr5.1@host.edu> bob@uni.ac.uk (Bob) writes:"
            )),
            "In article < > (Bob) writes:"
        );
        // Handles and bare '@' are not addresses.
        assert_eq!(
            markup_and_links("@realDonaldTrump at 5 @ noon"),
            "@realDonaldTrump at 5 @ noon"
        );
        assert!(matches!(
            markup_and_links("no links here"),
            Cow::Borrowed(_)
        ));
    }

    fn docs(titles: &[&str]) -> Vec<(String, String, Option<i32>)> {
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| (t.to_string(), String::new(), Some(i as i32)))
            .collect()
    }

    fn learn(d: &[(String, String, Option<i32>)]) -> Boilerplate {
        Boilerplate::learn(d.len(), |i| DocParts {
            title: &d[i].0,
            body: &d[i].1,
            day: d[i].2,
        })
    }

    #[test]
    fn headline_prefixes_learned_by_concentration_and_diversity() {
        let d = docs(&[
            "Factbox: Who is in the cabinet",
            "Factbox: Key dates of the race",
            "FACTBOX: What the tax plan does",
            "Obama: no deal with Iran yet",
            "Obama visits Cuba",
            "Obama signs bill",
            "Obama: budget is fair",
            "Obama: I will veto",
            "Obama meets Pope",
            "Thread: same subject here",
            "Thread: same subject here",
            "Thread: same subject here",
            "Storm hits coast - Example News",
            "Vote counted - Example News",
            "Court rules - Example News",
            "Strike ends - sources",
        ]);
        let b = learn(&d);
        assert_eq!(b.prefixes, ["factbox"]);
        assert_eq!(b.suffixes, ["example news"]);
        let c = Cleaner::new(Some(b));
        assert_eq!(
            c.title("Factbox: Who is in the cabinet"),
            "Who is in the cabinet"
        );
        assert_eq!(
            c.title("Obama: no deal with Iran yet"),
            "Obama: no deal with Iran yet"
        );
        assert_eq!(
            c.title("Storm hits coast - Example News"),
            "Storm hits coast"
        );
        assert_eq!(c.title("Strike ends - sources"), "Strike ends - sources");
        let keep = Cleaner::new(None);
        assert_eq!(keep.title("Factbox: Who"), "Factbox: Who");
    }

    #[test]
    fn one_day_prefix_is_not_boilerplate() {
        let mut d = docs(&["Live: a", "Live: b", "Live: c", "Live: d"]);
        d.iter_mut().for_each(|x| x.2 = Some(7));
        assert!(learn(&d).prefixes.is_empty());
    }

    #[test]
    fn datelines_bylines_credits_and_last_lines() {
        let bodies = [
            "WASHINGTON (Reuters) - The Senate voted on Tuesday.\nReuter",
            "NEW YORK (Reuters) - Stocks rose.\n(Reporting by Jane Doe; Editing by Bob Roe)\nReuter",
            "LONDON (Reuters) — Rain fell.\nReuter",
            "By Jane Doe\nA body without a dateline (about 5 a.m. EDT).\nReuter",
        ];
        let d: Vec<(String, String, Option<i32>)> = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| (String::new(), b.to_string(), Some(i as i32)))
            .collect();
        let b = learn(&d);
        assert_eq!(b.datelines, ["reuters"]);
        assert_eq!(b.last_lines, ["reuter"]);
        assert_eq!(b.dropped_words(), ["reuters"]);
        let c = Cleaner::new(Some(b));
        assert_eq!(c.body(bodies[0]), "The Senate voted on Tuesday.\n");
        assert_eq!(c.body(bodies[1]), "Stocks rose.\n \n");
        assert_eq!(c.body(bodies[2]), "Rain fell.\n");
        assert_eq!(
            c.body(bodies[3]),
            "A body without a dateline (about 5 a.m. EDT).\n"
        );
        // A sentence starting with "By" is not a byline.
        assert_eq!(
            c.body("By the end of the day, talks failed.\nMore."),
            "By the end of the day, talks failed.\nMore."
        );
    }

    #[test]
    fn time_words() {
        let t =
            "Polls close at 8 p.m. EDT and at 1500 GMT; 10:30 am ET. The EDT rule. I am here. CAT";
        let mut hits = Vec::new();
        crate::text::tokenize::for_each_word(t, |w| {
            if may_be_time_word(w) && is_time_word(t, w) {
                hits.push(w);
            }
        });
        assert_eq!(hits, ["p.m", "EDT", "GMT", "am", "ET"]);
    }
}
