//! The text-folder reader: the input is cut at 0xFF bytes into up to four files (gzip ones
//! too, when they start with the magic bytes), named with and without dates, in a fresh folder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use topictrack::ingest::{read_inputs, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let names = [
        "2017-05-10-a.txt",
        "b.txt",
        "sub/2017_05_11.TXT",
        "c.txt.gz",
    ];
    std::fs::create_dir(dir.path().join("sub")).expect("sub folder");
    for (part, name) in data.split(|&b| b == 0xFF).zip(names) {
        std::fs::write(dir.path().join(name), part).expect("write");
    }
    let opts = ReadOptions {
        max_record_bytes: 256,
        ..Default::default()
    };
    let input = dir.path().to_string_lossy().into_owned();
    if let Ok(c) = read_inputs(&[input], &opts) {
        assert_eq!(c.report.counts.articles as usize, c.articles.len());
        assert!(c
            .articles
            .iter()
            .all(|a| !a.title.is_empty() || !a.text.is_empty()));
    }
});
