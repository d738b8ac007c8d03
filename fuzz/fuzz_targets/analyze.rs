//! The whole `analyze` pipeline (read, text, TF-IDF, LSA, k-means, describe, timeline) on a
//! small JSON Lines input: errors are fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use topictrack::cluster::{ClusterParams, KChoice};
use topictrack::pipeline::{analyze, AnalyzeParams, Silent};
use topictrack::svd::SvdParams;

fuzz_target!(|data: &[u8]| {
    if data.len() > 4096 {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("in.jsonl");
    std::fs::write(&path, data).expect("write");
    let k = 1 + data.first().map_or(0, |b| b % 4) as usize;
    let params = AnalyzeParams {
        svd: SvdParams {
            dims: 4,
            ..SvdParams::default()
        },
        cluster: ClusterParams {
            k: KChoice::Fixed(k),
            n_runs: 1,
            ..ClusterParams::default()
        },
        ..AnalyzeParams::default()
    };
    if let Ok(a) = analyze(&[path.to_string_lossy().into_owned()], &params, &Silent) {
        assert_eq!(a.model.assignments.len(), a.corpus.articles.len());
        let dated: u32 = a.timeline.totals.iter().sum();
        assert!(dated as usize <= a.corpus.articles.len());
    }
});
