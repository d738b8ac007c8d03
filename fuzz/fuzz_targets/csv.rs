//! The CSV/TSV reader on arbitrary bytes. The first byte picks the delimiter and options.
#![no_main]

use libfuzzer_sys::fuzz_target;
use topictrack::ingest::{read_stream, InputFormat, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let opts = ReadOptions {
        format: if flags & 1 != 0 {
            InputFormat::Tsv
        } else {
            InputFormat::Csv
        },
        strict: flags & 2 != 0,
        max_record_bytes: if flags & 4 != 0 { 48 } else { 1 << 20 },
        ..Default::default()
    };
    if let Ok(c) = read_stream(
        "f.csv",
        Box::new(std::io::Cursor::new(body.to_vec())),
        &opts,
    ) {
        let r = &c.report;
        assert_eq!(r.counts.articles as usize, c.articles.len());
        assert_eq!(r.counts.read, r.counts.articles + r.counts.skipped + r.counts.duplicates);
        // Lines never go backwards, and never past the number of lines of the input (of the
        // compressed bytes, which cannot be counted, when gzipped).
        let gzip = body.starts_with(&[0x1f, 0x8b]);
        let lines = if gzip {
            u64::MAX
        } else {
            2 + body.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64
        };
        let mut last = 0;
        for a in &c.articles {
            assert!(
                a.line > last && a.line <= lines,
                "line {} after {last}",
                a.line
            );
            last = a.line;
        }
        for p in &r.problems {
            assert!(p.line >= 1 && p.line <= lines, "{p}");
        }
    }
});
