//! # topictrack
//!
//! A statistical event and topic tracker for news. The library is a pipeline of stages, each a
//! module that takes one documented type and returns the next (the binary in `main.rs` only parses
//! arguments and calls these):
//!
//! 1. [`ingest`]: JSONL / CSV (optionally gzip) / folders of `.txt` files → [`ingest::Corpus`]
//!    (a list of [`ingest::Article`] plus an [`ingest::IngestReport`] of what was skipped and why).
//! 2. [`text`]: Unicode word segmentation, lower-casing, stop words, Snowball stemming, optional
//!    bigrams → [`text::AnalyzedCorpus`] (per-document term counts over a [`text::TermTable`] that
//!    remembers each stem's most frequent surface form for display).
//! 3. [`vectorize`]: TF-IDF fitted on the collection → [`vectorize::TfidfModel`] (vocabulary + IDF,
//!    serialisable, applicable to new documents) and a sparse, L2-normalised [`vectorize::DocTermMatrix`].
//! 4. [`svd`]: randomized truncated SVD (LSA) → dense, row-normalised [`svd::Embedding`] and the
//!    fitted [`svd::LsaModel`] basis.
//! 5. [`cluster`]: spherical k-means on the LSA rows (topictrack's own, faster than
//!    linfa-clustering's; see `cluster::kmeans`) → [`cluster::TopicModel`] (assignments,
//!    centroids, sizes) and [`cluster::Topic`] summaries with readable labels.
//! 6. [`timeline`]: articles per topic per time bin → [`timeline::Timeline`].
//! 7. [`events`]: bursts per topic (Kleinberg 2002, robust z-scores) and first-story detection.
//! 8. [`compare`]: differences between collections on one fitted model.
//! 9. [`metrics`]: clustering scores against gold labels (NMI, ARI, V-measure, B-cubed, ...).
//! 10. [`output`], [`plot`] and [`report`]: JSON / CSV files written atomically, SVG / PNG charts,
//!     the interactive HTML report.
//!
//! [`track`] keeps a growing collection in a SQLite store with stable topic ids.
//!
//! Every stage's settings follow one convention ([`params`]: plain `XParams`, checked by linfa's
//! [`ParamGuard`]); the fitted TF-IDF, LSA and topic models implement linfa's `Fit`,
//! `Transformer` and `Predict` ([`linfa_traits`]). All `unsafe` code is in one private kernel
//! module (the hot sparse and SIMD kernels), with its contracts.
//!
//! [`pipeline`] strings the stages together ([`pipeline::analyze`] from files,
//! [`pipeline::analyze_corpus`] from articles in memory); [`run`] adds events and scores to an
//! analysis and writes every output file of the `analyze` command ([`run::Run`]); [`apply`]
//! applies a saved fit ([`pipeline::FittedPipeline`]) to new articles.

#![deny(unsafe_code)]

pub mod apply;
pub mod cluster;
pub mod compare;
pub mod error;
pub mod events;
pub mod ingest;
// The one module allowed `unsafe` (see its docs for the contracts).
#[allow(unsafe_code)]
mod kernel;
pub mod linfa_traits;
pub mod metrics;
pub mod output;
pub mod params;
pub mod parquet;
pub mod pipeline;
pub mod plot;
pub mod report;
pub mod run;
pub mod run_dir;
pub mod svd;
pub mod text;
pub mod timeline;
pub mod track;
pub mod vectorize;

pub use error::{Error, Result};
pub use params::ParamGuard;

/// Version of the serialised formats (fitted models, `run.json`). Bump on incompatible changes.
pub const FORMAT_VERSION: u32 = 1;
