//! The readers behind [`super::read_inputs`]: JSON Lines, CSV/TSV, folders of text files.
//!
//! JSON Lines are parsed in batches of lines on all cores (rayon), or on the reading thread when
//! `parallel` is off (see [`super::ReadMode::Streaming`]), and handed on in input order, so
//! results never depend on the thread count and memory stays bounded by one batch.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::date::{from_unix_number, parse_date};
use super::{
    Article, InputFormat, Parsed, ReadOptions, BODY_NAMES, DATE_NAMES, ID_NAMES, TITLE_NAMES,
};
use crate::{Error, Result};

/// Lines parsed together in parallel. Small enough that the pool parses while the reading
/// thread decompresses (with 16k-line batches, 20 Newsgroups was one batch: the pool waited for
/// the whole file; read stage 0.080 s → 0.060 s).
const BATCH_LINES: usize = 2048;

type Sink<'a> = dyn FnMut(u64, Parsed) -> Result<()> + 'a;

/// Reads one input, handing each record to `sink`; returns the format used and whether it was
/// gzip. With `parallel`, records are parsed on the rayon pool; without, on this thread.
pub(super) fn read_one(
    name: &str,
    opts: &ReadOptions,
    parallel: bool,
    sink: &mut Sink<'_>,
    hint_out: &mut Option<String>,
) -> Result<(InputFormat, bool)> {
    let path = Path::new(name);
    if name != "-" && path.is_dir() {
        if read_text_dir(path, opts, parallel, sink)? == 0 {
            *hint_out = Some("the folder holds no .txt or .txt.gz file".into());
        }
        return Ok((InputFormat::Txt, false));
    }
    let raw: Box<dyn Read + Send> = if name == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(File::open(path).map_err(|e| Error::io(path, e))?)
    };
    read_stream(name, raw, opts, parallel, sink, hint_out)
}

/// Reads one JSON Lines or CSV stream named `name` (gzip detected by content), handing each
/// record to `sink`; returns the format used and whether it was gzip.
pub(super) fn read_stream(
    name: &str,
    raw: Box<dyn Read + Send>,
    opts: &ReadOptions,
    parallel: bool,
    sink: &mut Sink<'_>,
    hint_out: &mut Option<String>,
) -> Result<(InputFormat, bool)> {
    let path = Path::new(name);
    let (mut reader, gzip) = open_maybe_gzip(raw).map_err(|e| Error::io(path, e))?;
    let format = match opts.format {
        InputFormat::Auto => detect(name, &mut reader).map_err(|e| Error::io(path, e))?,
        f => f,
    };
    let head = reader.fill_buf().map_err(|e| Error::io(path, e))?;
    let hint = likely_misread(head, format, gzip);
    *hint_out = hint;
    match format {
        InputFormat::Jsonl | InputFormat::Auto => read_jsonl(name, reader, opts, parallel, sink)?,
        InputFormat::Csv => read_csv(name, reader, b',', opts, sink)?,
        InputFormat::Tsv => read_csv(name, reader, b'\t', opts, sink)?,
        InputFormat::Txt => {
            return Err(Error::param(
                "ingest.format",
                "txt",
                format!("{name} is not a folder"),
            ))
        }
    }
    Ok((format, gzip))
}

/// What an input that yields no article probably is, from its first bytes (decompressed) and
/// the format it was read as: the usual ways a whole file is misread.
fn likely_misread(head: &[u8], format: InputFormat, gzip: bool) -> Option<String> {
    let gz = if gzip { "gzipped " } else { "" };
    if head.is_empty() {
        return Some("the input is empty".into());
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Some(
            "this looks like UTF-16 text: convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)"
                .into(),
        );
    }
    let sample = &head[..head.len().min(4096)];
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    if nuls * 4 >= sample.len() {
        return Some("this looks like UTF-16 or binary data, not UTF-8 text".into());
    }
    if head.starts_with(b"PK\x03\x04") {
        return Some("this looks like a ZIP archive: unpack it first".into());
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let first = text.iter().copied().find(|b| !b.is_ascii_whitespace());
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let tabs = first_line.iter().filter(|&&b| b == b'\t').count();
    let commas = first_line.iter().filter(|&&b| b == b',').count();
    match format {
        InputFormat::Jsonl | InputFormat::Auto if first == Some(b'[') => Some(format!(
            "this looks like a {gz}JSON array (one document), not JSON Lines (one object per \
             line): convert it, e.g. jq -c '.[]' FILE > FILE.jsonl"
        )),
        InputFormat::Csv | InputFormat::Tsv if first == Some(b'{') => Some(format!(
            "this looks like {gz}JSON Lines, not CSV: use --format jsonl"
        )),
        InputFormat::Csv if tabs > 0 && commas == 0 => Some(
            "the header line has tabs and no commas: this looks like TSV, use --format tsv".into(),
        ),
        InputFormat::Tsv if commas > 0 && tabs == 0 => Some(
            "the header line has commas and no tabs: this looks like CSV, use --format csv".into(),
        ),
        _ => None,
    }
}

/// Wraps `raw` in a gzip decoder when it starts with the gzip magic bytes.
pub(crate) fn open_maybe_gzip(
    raw: Box<dyn Read + Send>,
) -> std::io::Result<(Box<dyn BufRead + Send>, bool)> {
    let mut buf = BufReader::with_capacity(1 << 20, raw);
    let head = buf.fill_buf()?;
    if head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b {
        let dec = flate2::bufread::MultiGzDecoder::new(buf);
        Ok((Box::new(BufReader::with_capacity(1 << 20, dec)), true))
    } else {
        Ok((Box::new(buf), false))
    }
}

fn detect(name: &str, reader: &mut Box<dyn BufRead + Send>) -> std::io::Result<InputFormat> {
    let lower = name.to_ascii_lowercase();
    let stem = lower.strip_suffix(".gz").unwrap_or(&lower);
    if [".jsonl", ".ndjson", ".json", ".jsonlines"]
        .iter()
        .any(|e| stem.ends_with(e))
    {
        return Ok(InputFormat::Jsonl);
    }
    if stem.ends_with(".csv") {
        return Ok(InputFormat::Csv);
    }
    if stem.ends_with(".tsv") || stem.ends_with(".tab") {
        return Ok(InputFormat::Tsv);
    }
    let head = reader.fill_buf()?;
    let first = head
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xef);
    Ok(if first == Some(&b'{') {
        InputFormat::Jsonl
    } else {
        InputFormat::Csv
    })
}

/// Lines parsed together also stop at this many bytes, so that a few batches in flight stay
/// small whatever the lines' sizes (20 Newsgroups' 2048-line batches hold about 4 MB).
const BATCH_BYTES: usize = 8 << 20;

/// One non-blank line of a JSON Lines input, or the size of one too large to keep.
enum Line {
    Bytes(Vec<u8>),
    TooLarge(u64),
}

/// How [`read_line_bounded`] ended.
#[derive(Debug, PartialEq, Eq)]
enum LineRead {
    /// End of input, nothing read.
    Eof,
    /// A line (with its `\n`, if any) of at most the limit, in the buffer.
    Line,
    /// A line longer than the limit, of this many bytes, read to its end but not kept.
    TooLarge(u64),
}

/// Reads one line into `buf` (cleared first), keeping at most `limit` bytes of content: a
/// longer line is consumed through its `\n` without being stored, so memory stays bounded by
/// the limit whatever the input (a gzip bomb of zeros is one endless line).
fn read_line_bounded(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<LineRead> {
    buf.clear();
    // Up to `limit` bytes of content plus the line break, read in steps that double what was
    // read but never pass the limit, so a line near the limit needs about 1.5 times it while
    // copying (read_until's own doubling needed 3 times).
    const FIRST: u64 = 1 << 20;
    let max = limit.saturating_add(1);
    let mut want = max.min(FIRST);
    let mut n = (&mut *r).take(want).read_until(b'\n', buf)? as u64;
    if n == 0 {
        return Ok(LineRead::Eof);
    }
    let mut last = n;
    while last == want && n < max && buf.last() != Some(&b'\n') {
        // `n` bytes are in memory, so `want` fits in usize.
        want = n.min(max - n);
        buf.reserve_exact(want as usize);
        last = (&mut *r).take(want).read_until(b'\n', buf)? as u64;
        n += last;
    }
    if n <= limit || buf.last() == Some(&b'\n') {
        return Ok(LineRead::Line);
    }
    let total = n + skip_line(r)?.0;
    *buf = Vec::new();
    Ok(LineRead::TooLarge(total))
}

/// Consumes input through the next `\n` (or to the end); returns the bytes consumed and whether
/// a `\n` ended them.
fn skip_line(r: &mut dyn BufRead) -> std::io::Result<(u64, bool)> {
    let mut total = 0u64;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((total, false));
        }
        match memchr::memchr(b'\n', chunk) {
            Some(i) => {
                r.consume(i + 1);
                return Ok((total + i as u64 + 1, true));
            }
            None => {
                let l = chunk.len();
                r.consume(l);
                total += l as u64;
            }
        }
    }
}

/// The reason given for a record over [`ReadOptions::max_record_bytes`].
fn too_large(size: u64, limit: u64, what: &str) -> String {
    format!(
        "record too large: {what} of {size} bytes, more than --max-record-bytes {limit} (skipped unread)"
    )
}

fn read_jsonl(
    name: &str,
    reader: Box<dyn BufRead + Send>,
    opts: &ReadOptions,
    parallel: bool,
    sink: &mut Sink<'_>,
) -> Result<()> {
    // One thread decompresses and splits lines while earlier batches are parsed (up to four
    // batches queued).
    let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<(u64, Line)>>>(4);
    let limit = opts.max_record_bytes;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut reader = reader;
            let mut line_no: u64 = 0;
            let mut batch = Vec::with_capacity(BATCH_LINES);
            let mut batch_bytes = 0usize;
            let mut buf = Vec::new();
            loop {
                let read = match read_line_bounded(&mut reader, &mut buf, limit) {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                let end = read == LineRead::Eof;
                match read {
                    LineRead::Eof => {}
                    LineRead::Line => {
                        line_no += 1;
                        if !buf.iter().all(|b| b.is_ascii_whitespace()) {
                            batch_bytes += buf.len();
                            batch.push((line_no, Line::Bytes(std::mem::take(&mut buf))));
                        }
                    }
                    LineRead::TooLarge(size) => {
                        line_no += 1;
                        batch.push((line_no, Line::TooLarge(size)));
                    }
                }
                if batch.len() == BATCH_LINES
                    || batch_bytes >= BATCH_BYTES
                    || (end && !batch.is_empty())
                {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_LINES));
                    batch_bytes = 0;
                    if tx.send(Ok(full)).is_err() {
                        return; // the consumer stopped (strict mode error)
                    }
                }
                if end {
                    return;
                }
            }
        });
        for batch in rx {
            let batch = batch.map_err(|e| Error::io(name, e))?;
            let parse = |(line, l): (u64, Line)| {
                let p = match l {
                    Line::Bytes(bytes) => parse_json_line(name, line, &bytes, opts),
                    Line::TooLarge(size) => Parsed::Skip(too_large(size, limit, "line")),
                };
                (line, p)
            };
            if parallel {
                let parsed: Vec<(u64, Parsed)> = batch.into_par_iter().map(parse).collect();
                for (line, p) in parsed {
                    sink(line, p)?;
                }
            } else {
                for (line, p) in batch.into_iter().map(parse) {
                    sink(line, p)?;
                }
            }
        }
        Ok(())
    })
}

fn parse_json_line(file: &str, line: u64, bytes: &[u8], opts: &ReadOptions) -> Parsed {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Parsed::Skip(format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1));
    }
    let obj: Map<String, Value> = match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => m,
        Ok(other) => {
            return Parsed::Skip(format!("not a JSON object: found {}", json_kind(&other)))
        }
        Err(e) => return Parsed::Skip(format!("malformed JSON: {e}")),
    };
    let get = |k: &str| obj.get(k).filter(|v| !v.is_null());
    build_article(
        file,
        line,
        opts,
        &|k| get(k).map(json_text),
        &|k| {
            get(k).map(|v| match v {
                Value::Array(items) => items.iter().map(json_text).collect(),
                v => vec![json_text(v)],
            })
        },
        &|k| get(k).and_then(|v| v.as_f64()),
    )
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(json_text).collect::<Vec<_>>().join("\n"),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Field accessors shared by the JSON and CSV readers.
type Getter<'a> = dyn Fn(&str) -> Option<String> + 'a;
type ListGetter<'a> = dyn Fn(&str) -> Option<Vec<String>> + 'a;
type NumGetter<'a> = dyn Fn(&str) -> Option<f64> + 'a;

/// Maps one record's fields to an [`Article`] following [`super::FieldMap`].
fn build_article(
    file: &str,
    line: u64,
    opts: &ReadOptions,
    get: &Getter<'_>,
    get_list: &ListGetter<'_>,
    get_num: &NumGetter<'_>,
) -> Parsed {
    let f = &opts.fields;
    let first_of = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| get(n).filter(|s| !s.trim().is_empty()))
    };
    let (title, text, tried) = if f.text.is_empty() {
        let title = first_of(TITLE_NAMES).unwrap_or_default();
        let body = first_of(BODY_NAMES).unwrap_or_default();
        (
            title,
            body,
            "title, text (or body, content, description, ...)".to_string(),
        )
    } else {
        let parts: Vec<(String, String)> = f
            .text
            .iter()
            .filter_map(|n| get(n).map(|v| (n.clone(), v)))
            .collect();
        let title_field = f.text.iter().find(|n| TITLE_NAMES.contains(&n.as_str()));
        let title = match title_field {
            Some(t) => get(t).unwrap_or_default(),
            None => first_of(TITLE_NAMES).unwrap_or_default(),
        };
        let body: Vec<&str> = parts
            .iter()
            .filter(|(n, v)| Some(n) != title_field && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
            .collect();
        (title, body.join("\n"), f.text.join(", "))
    };
    if title.trim().is_empty() && text.trim().is_empty() {
        return Parsed::Skip(format!("no text: fields {tried} missing or empty"));
    }
    // A record with only a title keeps it as its text too, so it can be analysed and shown.
    let (title, text) = if text.trim().is_empty() {
        (String::new(), title)
    } else {
        (title, text)
    };

    let id = match &f.id {
        Some(k) => get(k),
        None => ID_NAMES.iter().find_map(|n| get(n)),
    }
    .filter(|s| !s.is_empty())
    .unwrap_or_else(|| format!("{}:{line}", file_label(file)));

    let mut date_problem = None;
    let date_names: Vec<&str> = match &f.date {
        Some(k) => vec![k.as_str()],
        None => DATE_NAMES.to_vec(),
    };
    let date = date_names
        .iter()
        .find_map(|n| get(n).map(|v| (*n, v)))
        .and_then(|(n, v)| {
            let parsed = parse_date(&v, opts.date_format.as_deref())
                .or_else(|| get_num(n).and_then(from_unix_number));
            if parsed.is_none() && !v.trim().is_empty() {
                let hint = match &opts.date_format {
                    Some(f) => {
                        format!(" (neither --date-format {f:?} nor a built-in form reads it)")
                    }
                    None => "; try --date-format".to_string(),
                };
                date_problem = Some(format!(
                    "unparseable date {v:?} in field {n:?}{hint} (article kept, undated)"
                ));
            }
            parsed
        });
    let labels = f
        .label
        .as_ref()
        .and_then(|k| get_list(k))
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect();
    let group = f
        .group
        .as_ref()
        .and_then(|k| get(k))
        .filter(|s| !s.is_empty());
    // The JSON reader hands an array over as its values one per line, which `parse` reads.
    let vector = match &f.vector {
        None => None,
        Some(k) => match get(k).filter(|v| !v.trim().is_empty()) {
            None => return Parsed::Skip(format!("no vector: field {k:?} missing or empty")),
            Some(v) => match super::vectors::parse(&v) {
                Ok(v) => Some(v),
                Err(e) => return Parsed::Skip(format!("bad vector in field {k:?}: {e}")),
            },
        },
    };
    Parsed::Article(
        Box::new(Article {
            id,
            date,
            title,
            text,
            labels,
            group,
            input: 0,
            line,
            vector,
        }),
        date_problem,
    )
}

fn file_label(file: &str) -> &str {
    Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file)
}

/// The input of the CSV parser: line breaks normalised to `\n` (`\r\n` and a lone `\r`; the
/// `csv` crate counts lines by `\n` only, so records of a CRLF file were reported one line
/// early, and later still after blank lines), bytes and line breaks counted, and a read refused
/// once the record being parsed exceeds the record limit, so that no record (nor a quote left
/// open to the end of the file) is ever held in memory whole.
struct CsvInput {
    inner: Box<dyn BufRead + Send>,
    state: std::rc::Rc<CsvInputState>,
    /// A `\r` ended the last chunk read: it becomes the line break, and a `\n` right after it
    /// is dropped.
    cr_pending: bool,
}

#[derive(Default)]
struct CsvInputState {
    /// Bytes handed to the parser.
    delivered: std::cell::Cell<u64>,
    /// Line breaks handed to the parser.
    newlines: std::cell::Cell<u64>,
    /// Offset (in handed bytes) where the record being parsed starts.
    record_start: std::cell::Cell<u64>,
    /// Set when a read was refused for the record limit.
    tripped: std::cell::Cell<bool>,
    /// The record limit plus the parser's read-ahead.
    limit: u64,
    /// Runs of consecutive line breaks `(offset, length)` that hold blank lines (two or more,
    /// or one at the very start), within the last few parser buffers handed out.
    runs: std::cell::RefCell<std::collections::VecDeque<(u64, u64)>>,
    /// The run being extended.
    current_run: std::cell::Cell<(u64, u64)>,
}

impl CsvInputState {
    /// Notes the line breaks of `bytes`, handed out at offset `at`.
    fn note_breaks(&self, at: u64, bytes: &[u8]) {
        let mut runs = self.runs.borrow_mut();
        let (mut start, mut len) = self.current_run.get();
        let mut count = 0;
        for i in memchr::memchr_iter(b'\n', bytes) {
            count += 1;
            let o = at + i as u64;
            if len > 0 && start + len == o {
                len += 1;
                continue;
            }
            if len >= 2 || (len == 1 && start == 0) {
                runs.push_back((start, len));
            }
            (start, len) = (o, 1);
        }
        self.current_run.set((start, len));
        self.newlines.set(self.newlines.get() + count);
        // The parser's next record starts at most one buffer before what was handed out.
        let keep_from = (at + bytes.len() as u64).saturating_sub(4 * CSV_BUFFER as u64);
        while runs.front().is_some_and(|&(s, l)| s + l < keep_from) {
            runs.pop_front();
        }
    }

    /// Blank lines (line breaks) starting at offset `at`, where a record's position is.
    fn blank_lines_at(&self, at: u64) -> u64 {
        let runs = self.runs.borrow();
        let current = self.current_run.get();
        runs.iter()
            .chain(std::iter::once(&current))
            .find(|&&(s, l)| s <= at && at < s + l)
            .map_or(0, |&(s, l)| s + l - at)
    }
}

/// The `csv` reader's own buffer: the parser may hold this much beyond the record it parses.
const CSV_BUFFER: usize = 16 << 10;

impl Read for CsvInput {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let st = &self.state;
        if out.is_empty() {
            return Ok(0);
        }
        if st.delivered.get() - st.record_start.get() > st.limit {
            st.tripped.set(true);
            return Err(std::io::Error::other("record too large"));
        }
        let mut n = 0;
        while n == 0 {
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                if std::mem::take(&mut self.cr_pending) {
                    out[0] = b'\n';
                    n = 1;
                }
                break;
            }
            let mut used = 0;
            if self.cr_pending {
                self.cr_pending = false;
                out[0] = b'\n';
                n = 1;
                if chunk[0] == b'\n' {
                    used = 1;
                }
            }
            // Copy up to the next `\r`, then decide what it becomes.
            while used < chunk.len() && n < out.len() {
                let rest = &chunk[used..];
                let room = out.len() - n;
                match memchr::memchr(b'\r', &rest[..rest.len().min(room)]) {
                    None => {
                        let m = rest.len().min(room);
                        out[n..n + m].copy_from_slice(&rest[..m]);
                        n += m;
                        used += m;
                    }
                    Some(i) => {
                        out[n..n + i].copy_from_slice(&rest[..i]);
                        n += i;
                        used += i + 1;
                        match rest.get(i + 1) {
                            None => self.cr_pending = true,
                            Some(&next) => {
                                if next == b'\n' {
                                    used += 1;
                                }
                                out[n] = b'\n';
                                n += 1;
                            }
                        }
                    }
                }
            }
            self.inner.consume(used);
        }
        st.note_breaks(st.delivered.get(), &out[..n]);
        st.delivered.set(st.delivered.get() + n as u64);
        Ok(n)
    }
}

fn read_csv(
    name: &str,
    reader: Box<dyn BufRead + Send>,
    delimiter: u8,
    opts: &ReadOptions,
    sink: &mut Sink<'_>,
) -> Result<()> {
    let limit = opts.max_record_bytes;
    let state = std::rc::Rc::new(CsvInputState {
        limit: limit.saturating_add(CSV_BUFFER as u64),
        ..Default::default()
    });
    let mut input = CsvInput {
        inner: reader,
        state: state.clone(),
        cr_pending: false,
    };
    let mut headers: Option<Vec<String>> = None;
    // Lines before line 1 of the current parser (a new one starts after a record too large).
    let mut line_offset = 0u64;
    loop {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(CSV_BUFFER)
            .from_reader(input);
        let outcome = read_csv_records(
            name,
            &mut rdr,
            &state,
            &mut headers,
            (line_offset, state.delivered.get()),
            (delimiter, opts),
            sink,
        )?;
        let Some(start_line) = outcome else {
            return Ok(());
        };
        // A record over the limit: skip to the next line break after what the parser saw and
        // go on there with a fresh parser (the one in use may be inside a quoted field).
        input = rdr.into_inner();
        let (skipped, found) = skip_line(&mut input.inner).map_err(|e| Error::io(name, e))?;
        input.cr_pending = false;
        state.current_run.set((0, 0));
        // The new parser's line 1 follows the line break just skipped.
        state.newlines.set(state.newlines.get() + u64::from(found));
        let resume = state.newlines.get() + 1;
        let size = state.delivered.get() - state.record_start.get() + skipped;
        let reason = format!(
            "{}; lines {start_line}–{} skipped (a quote left open?)",
            too_large(size, limit, "CSV record"),
            resume - 1
        );
        if headers.is_none() {
            return Err(Error::BadRecord {
                file: name.into(),
                line: 1,
                reason: format!("bad CSV header: {reason}"),
            });
        }
        sink(start_line, Parsed::Skip(reason))?;
        state.tripped.set(false);
        state.record_start.set(state.delivered.get());
        line_offset = resume - 1;
        if !found {
            return Ok(());
        }
    }
}

/// Reads records until the end (`None`) or until one exceeds the record limit (`Some` of the
/// line it started on). `line_offset` lines and `base` bytes of the input came before the
/// parser's start.
fn read_csv_records(
    name: &str,
    rdr: &mut csv::Reader<CsvInput>,
    state: &CsvInputState,
    headers: &mut Option<Vec<String>>,
    (line_offset, base): (u64, u64),
    (delimiter, opts): (u8, &ReadOptions),
    sink: &mut Sink<'_>,
) -> Result<Option<u64>> {
    let mut record = csv::ByteRecord::new();
    loop {
        let line_before = line_offset + rdr.position().line();
        let record_start = base + rdr.position().byte();
        state.record_start.set(record_start);
        let read = rdr.read_byte_record(&mut record);
        if state.tripped.get() {
            return Ok(Some(line_before));
        }
        match read {
            Ok(false) => return Ok(None),
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| line_offset + p.line())
                    .unwrap_or(line_before);
                if headers.is_none() {
                    return Err(Error::BadRecord {
                        file: name.into(),
                        line,
                        reason: format!("bad CSV header: {e}"),
                    });
                }
                sink(line, Parsed::Skip(format!("malformed CSV: {e}")))?;
            }
            Ok(true) => {
                let Some(headers) = headers.as_ref() else {
                    *headers = Some(
                        record
                            .iter()
                            .map(|h| {
                                String::from_utf8_lossy(h)
                                    .trim()
                                    .trim_start_matches('\u{feff}')
                                    .to_string()
                            })
                            .collect(),
                    );
                    continue;
                };
                if record.len() == 1 && record[0].iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                // The parser's line count at the record's position does not include the blank
                // lines it skipped before the record: those are counted from the input's runs
                // of line breaks.
                let line = line_before + state.blank_lines_at(record_start);
                let parsed = csv_record(name, line, &record, headers, delimiter, opts);
                sink(line, parsed)?;
            }
        }
    }
}

/// One CSV record mapped to an article, or the reason it is skipped.
fn csv_record(
    name: &str,
    line: u64,
    record: &csv::ByteRecord,
    headers: &[String],
    delimiter: u8,
    opts: &ReadOptions,
) -> Parsed {
    let breaks: usize = record
        .iter()
        .map(|f| memchr::memchr_iter(b'\n', f).count())
        .sum();
    let span = if breaks > 0 {
        format!(
            " (it runs from line {line} to line {}: a quote left open?)",
            line + breaks as u64
        )
    } else {
        String::new()
    };
    if record.len() != headers.len() {
        return Parsed::Skip(format!(
            "CSV record has {} fields, header has {}{span}",
            record.len(),
            headers.len()
        ));
    }
    if let Some(i) = record.iter().position(|f| std::str::from_utf8(f).is_err()) {
        return Parsed::Skip(format!("invalid UTF-8 in column {:?}", headers[i]));
    }
    if breaks > 0 {
        if let Some((col, inner)) = swallowed_line(record, delimiter) {
            return Parsed::Skip(format!(
                "unbalanced quote: field {:?} runs from line {line} to line {} and holds line {} \
                 that looks like a record of its own; fix the quoting",
                headers[col],
                line + breaks as u64,
                line + inner as u64
            ));
        }
    }
    let col = |k: &str| headers.iter().position(|h| h == k);
    let get = |k: &str| col(k).map(|i| String::from_utf8_lossy(&record[i]).into_owned());
    build_article(
        name,
        line,
        opts,
        &get,
        &|k| get(k).map(|v| split_labels(&v)),
        &|k| get(k).and_then(|v| v.trim().parse().ok()),
    )
}
/// Where an open quote seems to have swallowed the records after its own: the first line inside
/// a field (after a line break) that has as many delimiters as a record and starts with a cell
/// shaped like the record's own first cell (an id without spaces: `17`, `doc-3`), as
/// `(column, line breaks before that line in the record)`. Multi-line bodies with commas do not
/// match: their lines do not start with an id-like cell of the same shape.
fn swallowed_line(record: &csv::ByteRecord, delimiter: u8) -> Option<(usize, usize)> {
    let first = record.get(0)?;
    if first.is_empty() || first.iter().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let shape = id_shape(first);
    let mut breaks = 0;
    for (col, field) in record.iter().enumerate() {
        for (i, inner) in field.split(|&b| b == b'\n').enumerate() {
            if i == 0 {
                continue;
            }
            breaks += 1;
            let cells = memchr::memchr_iter(delimiter, inner).count() + 1;
            let head = inner.split(|&b| b == delimiter).next().unwrap_or_default();
            if cells == record.len()
                && !head.is_empty()
                && !head.iter().any(|b| b.is_ascii_whitespace())
                && id_shape(head) == shape
            {
                return Some((col, breaks));
            }
        }
    }
    None
}

/// A cell's shape: runs of digits as `9`, runs of ASCII letters as `a`, other bytes as they are.
fn id_shape(cell: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(cell.len());
    for &b in cell {
        let c = if b.is_ascii_digit() {
            b'9'
        } else if b.is_ascii_alphabetic() {
            b'a'
        } else {
            b
        };
        if !(matches!(c, b'9' | b'a') && out.last() == Some(&c)) {
            out.push(c);
        }
    }
    out
}

/// A CSV label cell may hold several labels separated by `|` or `;`.
fn split_labels(v: &str) -> Vec<String> {
    v.split(['|', ';'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads the text files under `dir`; returns how many there were.
fn read_text_dir(
    dir: &Path,
    opts: &ReadOptions,
    parallel: bool,
    sink: &mut Sink<'_>,
) -> Result<usize> {
    let mut files = Vec::new();
    collect_txt(dir, &mut files)?;
    files.sort();
    if parallel {
        let parsed: Vec<Parsed> = files
            .par_iter()
            .map(|p| parse_text_file(dir, p, opts))
            .collect();
        for p in parsed {
            sink(1, p)?;
        }
    } else {
        for p in &files {
            sink(1, parse_text_file(dir, p, opts))?;
        }
    }
    Ok(files.len())
}

pub(super) fn collect_txt(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let p = entry.path();
        if p.is_dir() {
            collect_txt(&p, out)?;
        } else {
            let n = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            if n.ends_with(".txt") || n.ends_with(".txt.gz") {
                out.push(p);
            }
        }
    }
    Ok(())
}

fn parse_text_file(root: &Path, p: &Path, opts: &ReadOptions) -> Parsed {
    let limit = opts.max_record_bytes;
    // At most `limit` bytes are kept; a larger file (or gzip bomb) is measured, not stored.
    let read = || -> std::io::Result<Result<Vec<u8>, u64>> {
        let (mut r, _) = open_maybe_gzip(Box::new(File::open(p)?))?;
        let mut v = Vec::new();
        (&mut r).take(limit.saturating_add(1)).read_to_end(&mut v)?;
        if v.len() as u64 <= limit {
            return Ok(Ok(v));
        }
        let rest = std::io::copy(&mut r, &mut std::io::sink())?;
        Ok(Err(v.len() as u64 + rest))
    };
    let bytes = match read() {
        Ok(Ok(b)) => b,
        Ok(Err(size)) => {
            return Parsed::Skip(too_large(size, limit, &format!("file {}", p.display())))
        }
        Err(e) => return Parsed::Skip(format!("unreadable file {}: {e}", p.display())),
    };
    let content = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            return Parsed::Skip(format!(
                "invalid UTF-8 at byte {} of {}",
                e.utf8_error().valid_up_to() + 1,
                p.display()
            ))
        }
    };
    let content = content.trim_start_matches('\u{feff}');
    let mut lines = content.splitn(2, '\n');
    let title = lines.next().unwrap_or("").trim().to_string();
    let text = lines.next().unwrap_or("").trim().to_string();
    if title.is_empty() && text.is_empty() {
        return Parsed::Skip(format!("no text: {} is empty", p.display()));
    }
    let rel = p.strip_prefix(root).unwrap_or(p).to_string_lossy();
    let id = rel
        .trim_end_matches(".gz")
        .trim_end_matches(".txt")
        .trim_end_matches(".TXT")
        .to_string();
    let fname = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let date = find_iso_date(fname).and_then(|d| parse_date(&d.replace('_', "-"), None));
    let (title, text) = if text.is_empty() {
        (String::new(), title)
    } else {
        (title, text)
    };
    Parsed::Article(
        Box::new(Article {
            id,
            date,
            title,
            text,
            labels: vec![],
            group: None,
            input: 0,
            line: 1,
            vector: None,
        }),
        None,
    )
}

/// The first `YYYY-MM-DD` in a file name.
fn find_iso_date(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let ok = w.iter().enumerate().all(|(j, c)| match j {
            4 | 7 => *c == b'-' || *c == b'_',
            _ => c.is_ascii_digit(),
        });
        let bounded = i == 0 || !b[i - 1].is_ascii_digit();
        (ok && bounded).then(|| &s[i..i + 10])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_input_normalises_line_breaks_across_chunks() {
        let raw = b"a\r\nb\rc\r\r\nd\r\n\n\re\r";
        let want = b"a\nb\nc\n\nd\n\n\ne\n";
        for cap in 1..=4 {
            for out_len in 1..=3 {
                let inner = std::io::BufReader::with_capacity(cap, &raw[..]);
                let state = std::rc::Rc::new(CsvInputState {
                    limit: u64::MAX,
                    ..Default::default()
                });
                let mut input = CsvInput {
                    inner: Box::new(inner),
                    state: state.clone(),
                    cr_pending: false,
                };
                let mut got = Vec::new();
                let mut buf = vec![0u8; out_len];
                loop {
                    let n = input.read(&mut buf).unwrap();
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                }
                assert_eq!(got, want, "capacity {cap}, reads of {out_len}");
                assert_eq!(state.newlines.get(), 8);
                // Blank lines: the runs "\n\n" at 5 (c's line break and a blank line) and
                // "\n\n\n" at 8.
                assert_eq!(state.blank_lines_at(6), 1);
                assert_eq!(state.blank_lines_at(9), 2);
                assert_eq!(state.blank_lines_at(2), 0);
            }
        }
    }

    #[test]
    fn bounded_lines_at_and_around_the_limit() {
        // Limits above the first 1 MiB step: the line is read in doubling steps up to it.
        let limit = 3 << 20;
        for (len, newline, kept) in [
            (limit, true, true),
            (limit, false, true),
            (limit + 1, true, false),
            (limit * 5 / 6, true, true),
            ((1 << 20) - 1, true, true),
            (1 << 20, true, true),
            ((1 << 20) + 1, false, true),
        ] {
            let mut data = vec![b'x'; len as usize];
            if newline {
                data.extend_from_slice(b"\nnext\n");
            }
            let mut r: &[u8] = &data;
            let mut buf = Vec::new();
            let got = read_line_bounded(&mut r, &mut buf, limit).unwrap();
            if kept {
                assert_eq!(got, LineRead::Line, "{len} {newline}");
                assert_eq!(buf.len() as u64, len + u64::from(newline));
                assert!(
                    buf.capacity() as u64 <= limit + 1,
                    "{len}: {}",
                    buf.capacity()
                );
            } else {
                assert_eq!(got, LineRead::TooLarge(len + 1), "{len}");
            }
            if newline {
                read_line_bounded(&mut r, &mut buf, limit).unwrap();
                assert_eq!(buf, b"next\n");
            }
        }
    }

    #[test]
    fn iso_date_in_file_names() {
        assert_eq!(find_iso_date("2017-05-10-comey.txt"), Some("2017-05-10"));
        assert_eq!(find_iso_date("news_2017-05-10.txt"), Some("2017-05-10"));
        assert_eq!(find_iso_date("notes.txt"), None);
    }
}
