//! The tokenizer and the word normaliser: every word is a non-empty slice of the text, in
//! order and without overlap except CJK bigrams (which overlap by one character).
#![no_main]

use libfuzzer_sys::fuzz_target;
use topictrack::ParamGuard;
use topictrack::text::{tokenize, Analyzer, TextParams};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let base = text.as_ptr() as usize;
    let mut last_start = 0usize;
    let mut first = true;
    tokenize::for_each_word(text, |w| {
        assert!(!w.is_empty());
        let at = w.as_ptr() as usize - base;
        assert!(at + w.len() <= text.len());
        assert!(first || at > last_start, "words out of order");
        first = false;
        last_start = at;
    });
    static ANALYZER: std::sync::OnceLock<Analyzer> = std::sync::OnceLock::new();
    let a =
        ANALYZER.get_or_init(|| Analyzer::new(TextParams::default().check().expect("defaults")));
    let keys = a.keys(text);
    assert!(keys.iter().all(|k| !k.is_empty()));
    let corpus = a.analyze(&[text, "ferry harbour"]);
    assert_eq!(corpus.docs.len(), 2);
});
