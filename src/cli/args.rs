//! Arguments shared by several subcommands: how articles are read (`InputArgs`) and the model
//! settings (`ModelArgs`), turned into the library's settings.

use anyhow::Context;
use clap::Args as ClapArgs;
use topictrack::cluster::{ClusterParams, Init, KChoice, SeedTopic};
use topictrack::ingest::{FieldMap, InputFormat, ReadOptions};
use topictrack::pipeline::AnalyzeParams;
use topictrack::svd::{SvdParams, WordVectors};
use topictrack::text::{Language, TextParams};
use topictrack::timeline::BinUnit;
use topictrack::vectorize::{DfBound, TfidfParams};

/// Input format names for `--format`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// Decide from the name, then the content.
    Auto,
    /// JSON Lines.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// TSV with a header row.
    Tsv,
    /// A folder of .txt files.
    Txt,
}

/// Reading options shared by the commands that read articles.
#[derive(Debug, Clone, ClapArgs)]
pub struct InputArgs {
    /// Input format (default: from the file name, then the content; gzip is detected by content).
    #[arg(long, value_enum, default_value = "auto", help_heading = "Input")]
    pub format: FormatArg,
    /// Field(s) holding the text (repeatable; default: title + text, or body/content/description).
    #[arg(long = "text-field", value_name = "FIELD", help_heading = "Input")]
    pub text_field: Vec<String>,
    /// Date field (default: date, published, publish_date, pubDate, timestamp, ...).
    #[arg(long, value_name = "FIELD", help_heading = "Input")]
    pub date_field: Option<String>,
    /// Id field (default: id, uuid, guid, url; else FILE:LINE).
    #[arg(long, value_name = "FIELD", help_heading = "Input")]
    pub id_field: Option<String>,
    /// Gold label field: scores the topics against it (NMI, ARI, ...) in run.json and on stdout.
    #[arg(long, value_name = "FIELD", help_heading = "Input")]
    pub label_field: Option<String>,
    /// strftime format for dates no built-in form reads, e.g. "%d.%m.%Y" (tried first; the
    /// built-in forms are still tried after it).
    #[arg(long, value_name = "FMT", value_parser = parse_date_format, help_heading = "Input")]
    pub date_format: Option<String>,
    /// Stop at the first bad record (exit 2) instead of skipping and counting it.
    #[arg(long, help_heading = "Input")]
    pub strict: bool,
    /// Largest record read (JSON line, CSV record, text file; after decompression), in bytes or
    /// with a K, M or G suffix (powers of 1024); a larger one is skipped unread and reported.
    #[arg(long, default_value = "64M", value_name = "SIZE", value_parser = parse_size, help_heading = "Input")]
    pub max_record_bytes: u64,
    /// Document vectors you already have (e.g. sentence embeddings), clustered instead of LSA:
    /// a field holding an array of numbers per record, or a .npy file (2-D float32/float64, one
    /// row per article kept, in reading order). Labels and events still come from the words.
    #[arg(long, value_name = "FIELD|FILE.npy", help_heading = "Input")]
    pub vectors: Option<String>,
}

/// A `--date-format`, checked before anything is read.
fn parse_date_format(s: &str) -> Result<String, String> {
    topictrack::ingest::date::check_format(s)
        .map(|()| s.to_string())
        .map_err(|e| e.to_string())
}

/// A byte count: digits with an optional K, M or G suffix (powers of 1024; `KiB`, `MB`... too).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size (e.g. 64M, 1G, 500000)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("{s:?}: unknown unit (use K, M or G)")),
    };
    match n.checked_mul(1 << shift) {
        Some(0) | None => Err(format!("{s:?}: must be between 1 byte and 16 EiB")),
        Some(v) => Ok(v),
    }
}

impl InputArgs {
    /// The library's reading options.
    pub fn read_options(&self, group: Option<String>) -> ReadOptions {
        ReadOptions {
            fields: FieldMap {
                text: self.text_field.clone(),
                date: self.date_field.clone(),
                id: self.id_field.clone(),
                label: self.label_field.clone(),
                group,
                vector: self.vectors.clone().filter(|v| !is_npy(v)),
            },
            date_format: self.date_format.clone(),
            format: match self.format {
                FormatArg::Auto => InputFormat::Auto,
                FormatArg::Jsonl => InputFormat::Jsonl,
                FormatArg::Csv => InputFormat::Csv,
                FormatArg::Tsv => InputFormat::Tsv,
                FormatArg::Txt => InputFormat::Txt,
            },
            strict: self.strict,
            max_record_bytes: self.max_record_bytes,
            vectors_file: self.vectors.as_ref().filter(|v| is_npy(v)).map(Into::into),
        }
    }
}

/// Whether `--vectors` names a NumPy file rather than a field.
fn is_npy(v: &str) -> bool {
    v.to_ascii_lowercase().ends_with(".npy")
}

/// Model options shared by `analyze` and `compare`.
#[derive(Debug, Clone, ClapArgs)]
pub struct ModelArgs {
    /// Language: stemmer and stop words.
    #[arg(long, value_enum, default_value = "english", help_heading = "Text")]
    pub lang: LangArg,
    /// Do not stem (terms are lower-cased words).
    #[arg(long, help_heading = "Text")]
    pub no_stem: bool,
    /// 1 = words; 2 = words and frequent bigrams ("white house").
    #[arg(long, default_value_t = 1, value_name = "N", help_heading = "Text")]
    pub ngrams: u8,
    /// Minimum count of a bigram in the collection.
    #[arg(long, default_value_t = 5, value_name = "N", help_heading = "Text")]
    pub min_ngram_count: u32,
    /// Keep wire boilerplate: headline prefixes and suffixes that recur across the collection
    /// ("Factbox:", "| Reuters"), datelines, bylines, credit lines and time stamps are
    /// otherwise removed before analysis. HTML, URLs and e-mail addresses are removed either way.
    #[arg(long, help_heading = "Text")]
    pub keep_boilerplate: bool,
    /// Minimum document frequency: a count (5) or a fraction (0.001). Default: min(5, 1 + docs/200).
    #[arg(long, value_name = "N|F", help_heading = "Vectors")]
    pub min_df: Option<DfBound>,
    /// Maximum document frequency: a fraction (0.5) or a count.
    #[arg(
        long,
        default_value = "0.5",
        value_name = "F|N",
        help_heading = "Vectors"
    )]
    pub max_df: DfBound,
    /// Keep at most N terms (most frequent).
    #[arg(long, value_name = "N", help_heading = "Vectors")]
    pub max_features: Option<usize>,
    /// LSA dimensions (more: finer distinctions, slower; 80 clustered as well as 100 on the
    /// benchmark corpora).
    #[arg(long, default_value_t = 80, value_name = "N", help_heading = "Vectors")]
    pub dims: usize,
    /// Power iterations of the randomized SVD (more: a closer basis, slower).
    #[arg(long, default_value_t = 4, value_name = "N", help_heading = "Vectors")]
    pub power_iters: usize,
    /// Word vectors learned from the collection (PPMI-SVD, SIF-weighted) added to the LSA
    /// dimensions, so headlines that tell one story in different words come together: `auto`
    /// (for short texts: at least 1,000 articles, the median one with at most 20 distinct
    /// terms; the default), `on` or `off`.
    #[arg(long, value_enum, default_value = "auto", help_heading = "Vectors")]
    pub word_vectors: WordVectorsArg,
    /// Number of topics: a number, `auto` (best silhouette for k in 5..30) or `auto:MIN..MAX`.
    #[arg(
        long,
        short,
        default_value = "auto",
        value_name = "K",
        help_heading = "Topics"
    )]
    pub k: KChoice,
    /// k-means restarts (best inertia kept).
    #[arg(long, default_value_t = 3, value_name = "N", help_heading = "Topics")]
    pub runs: usize,
    /// Random seed: the same input and seed give byte-identical outputs. With the default
    /// `--init bisect` (or `pca-part`) nothing is random and the topics do not depend on it.
    #[arg(long, default_value_t = 0, help_heading = "Topics")]
    pub seed: u64,
    /// How k-means starts: `bisect` (deterministic bisecting k-means, the default), `pca-part`
    /// (deterministic principal-direction splits) or `kmeans++` (seeded random restarts, best
    /// of `--runs`).
    #[arg(long, value_enum, default_value = "bisect", help_heading = "Topics")]
    pub init: InitArg,
    /// Broad themes formed over the topics (default: the square root of the number of topics,
    /// rounded up); each topic's theme is its `parent` in topics.json, the themes are in
    /// themes.json.
    #[arg(long, value_name = "N", help_heading = "Topics")]
    pub themes: Option<usize>,
    /// A named topic to keep: "NAME: word, word, ..." (repeatable). The clustering starts a
    /// topic at these words, fills it with the articles nearest to it, and shows it by NAME.
    #[arg(long = "topic", value_name = "SPEC", help_heading = "Topics")]
    pub topics: Vec<SeedTopic>,
    /// A file of named topics, one "NAME: word, word, ..." per line (# comments).
    #[arg(long, value_name = "FILE", help_heading = "Topics")]
    pub topics_file: Option<std::path::PathBuf>,
}

/// `--word-vectors` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum WordVectorsArg {
    /// For collections of short texts.
    Auto,
    /// Always.
    On,
    /// Never.
    Off,
}

/// `--init` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum InitArg {
    /// Deterministic bisecting k-means.
    Bisect,
    /// Deterministic PCA-Part.
    PcaPart,
    /// Seeded greedy k-means++ restarts.
    #[value(name = "kmeans++")]
    KMeansPlusPlus,
}

impl ModelArgs {
    /// The named topics of `--topic` and `--topics-file`.
    pub fn seed_topics(&self) -> anyhow::Result<Vec<SeedTopic>> {
        let mut out = self.topics.clone();
        if let Some(path) = &self.topics_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read topics file {}", path.display()))?;
            for (i, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let t = line
                    .parse::<SeedTopic>()
                    .map_err(|e| anyhow::anyhow!("{}:{}: {e}", path.display(), i + 1))?;
                out.push(t);
            }
        }
        Ok(out)
    }

    /// Builds the pipeline settings.
    pub fn params(&self, read: ReadOptions, bin: impl Into<BinUnit>) -> AnalyzeParams {
        AnalyzeParams {
            read,
            text: TextParams {
                lang: self.lang.0,
                stem: !self.no_stem,
                ngrams: self.ngrams,
                min_ngram_count: self.min_ngram_count,
                keep_boilerplate: self.keep_boilerplate,
                ..TextParams::default()
            },
            tfidf: TfidfParams {
                min_df: self.min_df,
                max_df: self.max_df,
                max_features: self.max_features,
                ..TfidfParams::default()
            },
            svd: SvdParams {
                dims: self.dims,
                power_iters: self.power_iters,
                word_vectors: match self.word_vectors {
                    WordVectorsArg::Auto => WordVectors::Auto,
                    WordVectorsArg::On => WordVectors::On,
                    WordVectorsArg::Off => WordVectors::Off,
                },
                ..SvdParams::default()
            },
            cluster: ClusterParams {
                k: self.k,
                n_runs: self.runs,
                init: match self.init {
                    InitArg::Bisect => Init::Bisect,
                    InitArg::PcaPart => Init::PcaPart,
                    InitArg::KMeansPlusPlus => Init::KMeansPlusPlus,
                },
                seed_topics: self.topics.clone(),
                n_themes: self.themes,
                ..ClusterParams::default()
            },
            bin: bin.into(),
            seed: self.seed,
            drop_bodies: true,
        }
    }
}

/// `--bin` values (the library's [`BinUnit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BinArg {
    /// Calendar days.
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
    /// Chosen from the span (about 20–200 bins).
    Auto,
}

impl From<BinArg> for BinUnit {
    fn from(b: BinArg) -> BinUnit {
        match b {
            BinArg::Day => BinUnit::Day,
            BinArg::Week => BinUnit::Week,
            BinArg::Month => BinUnit::Month,
            BinArg::Auto => BinUnit::Auto,
        }
    }
}

/// `--lang` values: every [`Language`] by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LangArg(pub Language);

impl clap::ValueEnum for LangArg {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: std::sync::LazyLock<Vec<LangArg>> =
            std::sync::LazyLock::new(|| Language::ALL.iter().map(|&l| LangArg(l)).collect());
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.name()))
    }
}
