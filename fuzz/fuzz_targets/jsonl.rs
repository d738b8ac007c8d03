//! The JSON Lines reader on arbitrary bytes (gzip too, detected by content). The first byte
//! picks options: strict mode, a small record limit, a --date-format, a label field.
#![no_main]

use libfuzzer_sys::fuzz_target;
use topictrack::ingest::{read_stream, FieldMap, InputFormat, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let opts = ReadOptions {
        format: InputFormat::Jsonl,
        strict: flags & 1 != 0,
        max_record_bytes: if flags & 2 != 0 { 64 } else { 1 << 20 },
        date_format: (flags & 4 != 0).then(|| "%d.%m.%Y".to_string()),
        fields: FieldMap {
            label: (flags & 8 != 0).then(|| "label".to_string()),
            group: (flags & 16 != 0).then(|| "source".to_string()),
            vector: (flags & 32 != 0).then(|| "emb".to_string()),
            ..Default::default()
        },
        ..Default::default()
    };
    if let Ok(c) = read_stream(
        "f.jsonl",
        Box::new(std::io::Cursor::new(body.to_vec())),
        &opts,
    ) {
        let r = &c.report;
        assert_eq!(r.counts.articles as usize, c.articles.len());
        assert_eq!(r.counts.read, r.counts.articles + r.counts.skipped + r.counts.duplicates);
        assert!(c.articles.iter().all(|a| a.line >= 1));
        assert!(c.articles.iter().all(|a| a
            .date
            .is_none_or(|d| topictrack::ingest::date::plausible(&d))));
    }
});
