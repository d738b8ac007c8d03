//! Criterion benchmarks, one per pipeline stage, on BBC News from `TOPICTRACK_CORPORA`
//! (default `../shared/data`), or on the demo corpus when the shared corpora are absent.
//! Each benchmark asserts the result it times, so a fast wrong stage cannot pass unnoticed.
//!
//! `cargo bench --bench stages`

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use topictrack::cluster::kmeans::{kmeans, KMeansSettings};
use topictrack::ingest::{read_inputs, ReadOptions};
use topictrack::svd::{self, SvdParams};
use topictrack::text::{Analyzer, TextParams};
use topictrack::vectorize::{self, TfidfParams};
use topictrack::ParamGuard;

fn corpus() -> String {
    let dir = std::env::var_os("TOPICTRACK_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    let bbc = dir.join("bbc.jsonl.gz");
    if bbc.exists() {
        bbc.to_string_lossy().into_owned()
    } else {
        eprintln!("bbc.jsonl.gz not found: benchmarking the demo corpus");
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/articles.jsonl").to_string()
    }
}

fn stages(c: &mut Criterion) {
    let input = vec![corpus()];
    let opts = ReadOptions::default();
    let corpus = read_inputs(&input, &opts).unwrap();
    let n = corpus.articles.len();
    let texts: Vec<String> = corpus.articles.iter().map(|a| a.full_text()).collect();
    let analyzer = Analyzer::new(TextParams::default().check().unwrap());
    let analyzed = analyzer.analyze(&texts);
    let tfidf_p = TfidfParams::default().check().unwrap();
    let model = vectorize::fit(&analyzed, &tfidf_p).unwrap();
    let x = model.transform(&analyzed);
    let svd_p = SvdParams::default().check().unwrap();
    let (_, emb) = svd::fit(&x, &svd_p).unwrap();

    let mut g = c.benchmark_group("stages");
    g.sample_size(10);
    g.bench_function("read", |b| {
        b.iter(|| {
            let c = read_inputs(&input, &opts).unwrap();
            assert_eq!(c.articles.len(), n);
        })
    });
    g.bench_function("text", |b| {
        b.iter(|| {
            let a = analyzer.analyze(&texts);
            assert_eq!(a.n_words, analyzed.n_words);
        })
    });
    g.bench_function("tfidf", |b| {
        b.iter(|| {
            let m = vectorize::fit(&analyzed, &tfidf_p).unwrap();
            let x2 = m.transform(&analyzed);
            assert_eq!(x2.nnz(), x.nnz());
        })
    });
    g.bench_function("svd", |b| {
        b.iter(|| {
            let (m, e) = svd::fit(&x, &svd_p).unwrap();
            assert_eq!(e.dim(), emb.dim());
            assert!(m.singular_values.windows(2).all(|w| w[0] >= w[1]));
        })
    });
    let k = 5;
    let settings = KMeansSettings {
        n_runs: 4,
        max_iter: 300,
        tol: 1e-4,
        spherical: true,
        seed: 0,
        probe_iters: 8,
    };
    g.bench_function("kmeans", |b| {
        b.iter(|| {
            let fit = kmeans(emb.view(), k, &settings).expect("k-means");
            let mut used = fit.labels.clone();
            used.sort_unstable();
            used.dedup();
            assert_eq!(used.len(), k);
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
