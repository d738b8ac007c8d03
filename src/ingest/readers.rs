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
) -> Result<(InputFormat, bool)> {
    let path = Path::new(name);
    if name != "-" && path.is_dir() {
        read_text_dir(path, opts, parallel, sink)?;
        return Ok((InputFormat::Txt, false));
    }
    let raw: Box<dyn Read + Send> = if name == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(File::open(path).map_err(|e| Error::io(path, e))?)
    };
    let (mut reader, gzip) = open_maybe_gzip(raw).map_err(|e| Error::io(path, e))?;
    let format = match opts.format {
        InputFormat::Auto => detect(name, &mut reader).map_err(|e| Error::io(path, e))?,
        f => f,
    };
    match format {
        InputFormat::Jsonl | InputFormat::Auto => read_jsonl(name, reader, opts, parallel, sink)?,
        InputFormat::Csv => read_csv(name, reader, b',', opts, sink)?,
        InputFormat::Tsv => read_csv(name, reader, b'\t', opts, sink)?,
        InputFormat::Txt => {
            return Err(Error::param(
                "--format",
                "txt",
                format!("{name} is not a folder"),
            ))
        }
    }
    Ok((format, gzip))
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

fn read_jsonl(
    name: &str,
    reader: Box<dyn BufRead + Send>,
    opts: &ReadOptions,
    parallel: bool,
    sink: &mut Sink<'_>,
) -> Result<()> {
    // One thread decompresses and splits lines while earlier batches are parsed (up to four
    // batches queued).
    let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<(u64, Vec<u8>)>>>(4);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut reader = reader;
            let mut line_no: u64 = 0;
            let mut batch = Vec::with_capacity(BATCH_LINES);
            loop {
                let mut buf = Vec::new();
                let n = match reader.read_until(b'\n', &mut buf) {
                    Ok(n) => n,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                if n > 0 {
                    line_no += 1;
                    if !buf.iter().all(|b| b.is_ascii_whitespace()) {
                        batch.push((line_no, buf));
                    }
                }
                if batch.len() == BATCH_LINES || (n == 0 && !batch.is_empty()) {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_LINES));
                    if tx.send(Ok(full)).is_err() {
                        return; // the consumer stopped (strict mode error)
                    }
                }
                if n == 0 {
                    return;
                }
            }
        });
        for batch in rx {
            let batch = batch.map_err(|e| Error::io(name, e))?;
            let parse =
                |(line, bytes): (u64, Vec<u8>)| (line, parse_json_line(name, line, &bytes, opts));
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
            let parsed = parse_date(&v, opts.date_format.as_deref()).or_else(|| {
                if opts.date_format.is_none() {
                    get_num(n).and_then(from_unix_number)
                } else {
                    None
                }
            });
            if parsed.is_none() && !v.trim().is_empty() {
                let hint = if opts.date_format.is_some() {
                    " with --date-format"
                } else {
                    "; try --date-format"
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

fn read_csv(
    name: &str,
    reader: Box<dyn BufRead + Send>,
    delimiter: u8,
    opts: &ReadOptions,
    sink: &mut Sink<'_>,
) -> Result<()> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let headers: Vec<String> = rdr
        .byte_headers()
        .map_err(|e| Error::BadRecord {
            file: name.into(),
            line: 1,
            reason: format!("bad CSV header: {e}"),
        })?
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect();
    let col = |k: &str| headers.iter().position(|h| h == k);
    let mut record = csv::ByteRecord::new();
    loop {
        let line_before = rdr.position().line();
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record.position().map(|p| p.line()).unwrap_or(line_before);
                if record.len() == 1 && record[0].iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                let parsed = if record.len() != headers.len() {
                    Parsed::Skip(format!(
                        "CSV record has {} fields, header has {}",
                        record.len(),
                        headers.len()
                    ))
                } else {
                    match record.iter().position(|f| std::str::from_utf8(f).is_err()) {
                        Some(i) => {
                            Parsed::Skip(format!("invalid UTF-8 in column {:?}", headers[i]))
                        }
                        None => {
                            let get = |k: &str| {
                                col(k).map(|i| String::from_utf8_lossy(&record[i]).into_owned())
                            };
                            build_article(
                                name,
                                line,
                                opts,
                                &get,
                                &|k| get(k).map(|v| split_labels(&v)),
                                &|k| get(k).and_then(|v| v.trim().parse().ok()),
                            )
                        }
                    }
                };
                sink(line, parsed)?;
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line_before + 1);
                sink(line, Parsed::Skip(format!("malformed CSV: {e}")))?;
            }
        }
    }
}

/// A CSV label cell may hold several labels separated by `|` or `;`.
fn split_labels(v: &str) -> Vec<String> {
    v.split(['|', ';'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn read_text_dir(
    dir: &Path,
    opts: &ReadOptions,
    parallel: bool,
    sink: &mut Sink<'_>,
) -> Result<()> {
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
    Ok(())
}

fn collect_txt(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
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
    let read = || -> std::io::Result<Vec<u8>> {
        let (mut r, _) = open_maybe_gzip(Box::new(File::open(p)?))?;
        let mut v = Vec::new();
        r.read_to_end(&mut v)?;
        Ok(v)
    };
    let bytes = match read() {
        Ok(b) => b,
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
    let _ = opts;
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
    fn iso_date_in_file_names() {
        assert_eq!(find_iso_date("2017-05-10-comey.txt"), Some("2017-05-10"));
        assert_eq!(find_iso_date("news_2017-05-10.txt"), Some("2017-05-10"));
        assert_eq!(find_iso_date("notes.txt"), None);
    }
}
