//! Python bindings of topictrack (`topictrack._native`), wrapped by the pure-Python package in
//! `python/topictrack/`.
//!
//! The bindings are a thin layer over the library's own entry points, so that Python and the
//! command line compute the same thing the same way:
//! - in-memory articles arrive as JSON Lines bytes and are read by [`ingest::read_stream`], the
//!   reader of the CLI's `-` input (same field mapping, date parsing and problem reporting);
//! - [`run::analyze`] / [`run::analyze_corpus`] fit and find events, [`run::Run::write`]
//!   writes the same output folder as the CLI;
//! - [`FittedPipeline::embed`], [`apply::nearest_centres`] and [`apply::mark`] assign new
//!   articles ([`Model::transform`]).
//!
//! - [`Tracker`] (`Tracker::init`/`init_corpus`, `add`/`add_corpus`, `refit`, `report`,
//!   `status`, `check`) is the tracker store of `topictrack track`, reports crossing as JSON.
//!
//! Settings cross as a JSON object of dotted names (`"svd.dims": 80`) patched into the library's
//! serialised defaults, so every setting of [`AnalyzeParams`] is reachable without a binding per
//! field. Tables cross as columns (lists) for the per-article ones and as JSON records for the
//! small nested ones (topics, events, stories); the Python layer turns both into DataFrames.
//! Every computation runs with the GIL released.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use serde_json::Value;
use topictrack::cluster::KChoice;
use topictrack::compare as cmp;
use topictrack::ingest::{self, ReadOptions};
use topictrack::output;
use topictrack::pipeline::{self, AnalyzeParams, EventParams, FittedPipeline};
use topictrack::plot::ChartOptions;
use topictrack::run::{self, RunOptions};
use topictrack::timeline::BinUnit;
use topictrack::track::{self, ReportOptions, TrackParams};
use topictrack::vectorize::DfBound;
use topictrack::{apply, events, metrics, ParamGuard};

create_exception!(
    _native,
    TopictrackError,
    PyException,
    "An error of topictrack: unreadable input, not enough data, a bad file."
);

create_exception!(
    _native,
    StoreBusyError,
    TopictrackError,
    "A tracker store is being written by another process (or another Tracker): try again \
     when it has finished."
);

/// A library error as a Python exception: bad settings are `ValueError`, a store another writer
/// holds `StoreBusyError` (so a caller can retry it alone), the rest `TopictrackError`, all with
/// the library's message.
fn py_err(e: topictrack::Error) -> PyErr {
    match e {
        topictrack::Error::InvalidParam { .. } => PyValueError::new_err(e.to_string()),
        topictrack::Error::StoreBusy(_) => StoreBusyError::new_err(e.to_string()),
        _ => TopictrackError::new_err(e.to_string()),
    }
}

/// `value` as the JSON the library's settings expect at `key`: strings are parsed for the
/// settings that the CLI writes as text (`k = "auto:5..20"`, `min_df = "0.001"`).
fn setting_value(key: &str, value: Value) -> PyResult<Value> {
    let text = match &value {
        Value::String(s) => s.clone(),
        Value::Number(n) if key.ends_with("_df") => n.to_string(),
        Value::Number(n) if key == "cluster.k" => n.to_string(),
        _ => return Ok(value),
    };
    let parsed = match key {
        "cluster.k" => serde_json::to_value(
            text.parse::<KChoice>()
                .map_err(|e| PyValueError::new_err(format!("k: {e}")))?,
        ),
        "tfidf.min_df" | "tfidf.max_df" => serde_json::to_value(
            text.parse::<DfBound>()
                .map_err(|e| PyValueError::new_err(format!("{key}: {e}")))?,
        ),
        _ => return Ok(value),
    };
    parsed.map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Settings whose unset value is not written (so the defaults' JSON lacks them).
const OPTIONAL_SETTINGS: &[&str] = &[
    "read.fields.vector",
    "read.vectors_file",
    "fields.vector",
    "vectors_file",
];

/// `defaults` with each dotted key of the JSON object `settings` replaced; an unknown key is an
/// error naming the known ones.
fn patched<T>(defaults: &T, settings: &str) -> PyResult<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let mut root =
        serde_json::to_value(defaults).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let settings: serde_json::Map<String, Value> = serde_json::from_str(settings)
        .map_err(|e| PyValueError::new_err(format!("settings: {e}")))?;
    for (key, value) in settings {
        let value = setting_value(&key, value)?;
        let mut node = &mut root;
        let parts: Vec<&str> = key.split('.').collect();
        for (i, part) in parts.iter().enumerate() {
            let Value::Object(map) = node else {
                return Err(PyValueError::new_err(format!("unknown setting {key:?}")));
            };
            // Settings left out of the defaults' JSON while unset are still settable.
            let optional = OPTIONAL_SETTINGS.contains(&key.as_str()) && i + 1 == parts.len();
            if !map.contains_key(*part) && !optional {
                let known: Vec<&str> = map.keys().map(String::as_str).collect();
                return Err(PyValueError::new_err(format!(
                    "unknown setting {key:?}: {:?} is not one of {}",
                    part,
                    known.join(", ")
                )));
            }
            if i + 1 == parts.len() {
                map.insert((*part).to_string(), value);
                break;
            }
            node = map.get_mut(*part).expect("checked above");
        }
    }
    serde_json::from_value(root).map_err(|e| PyValueError::new_err(format!("settings: {e}")))
}

/// The settings of `analyze` as the CLI's defaults (bodies dropped after the text stage) with
/// `settings` applied.
fn analyze_params(settings: &str) -> PyResult<AnalyzeParams> {
    let defaults = AnalyzeParams {
        drop_bodies: true,
        ..AnalyzeParams::default()
    };
    patched(&defaults, settings)
}

/// Reading options from a JSON object of dotted keys (`"fields.text": ["title", "body"]`).
fn read_options(settings: &str) -> PyResult<ReadOptions> {
    patched(&ReadOptions::default(), settings)
}

/// Reads JSON Lines bytes as the CLI reads its standard input (`name` stands in problems and
/// generated ids).
fn read_jsonl(name: &str, data: Vec<u8>, opts: &ReadOptions) -> topictrack::Result<ingest::Corpus> {
    let mut opts = opts.clone();
    opts.format = ingest::InputFormat::Jsonl;
    ingest::read_stream(name, Box::new(Cursor::new(data)), &opts)
}

/// One cell of a DataFrame column as [`columns_jsonl`] takes it (`None` is a missing value).
enum Cell {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

impl<'py> FromPyObject<'py> for Cell {
    // Checks the type first: trying each variant in turn (derive(FromPyObject)) builds a Python
    // exception per failed try, which made the conversion of 20 Newsgroups several times slower.
    fn extract_bound(ob: &Bound<'py, PyAny>) -> PyResult<Self> {
        use pyo3::types::{PyBool, PyFloat, PyInt, PyString};
        if let Ok(s) = ob.downcast::<PyString>() {
            Ok(Cell::Str(s.to_cow()?.into_owned()))
        } else if let Ok(b) = ob.downcast::<PyBool>() {
            Ok(Cell::Bool(b.is_true()))
        } else if ob.is_instance_of::<PyInt>() {
            Ok(Cell::Int(ob.extract()?))
        } else if let Ok(f) = ob.downcast::<PyFloat>() {
            Ok(Cell::Float(f.value()))
        } else {
            Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "not a plain value: {}",
                ob.get_type().name()?
            )))
        }
    }
}

impl Cell {
    fn json(self) -> Value {
        match self {
            Cell::Bool(b) => Value::Bool(b),
            Cell::Int(i) => Value::from(i),
            // NaN is pandas' missing value.
            Cell::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            Cell::Str(s) => Value::String(s),
        }
    }
}

/// Columns of scalars (strings, numbers, booleans, `None`) as JSON Lines bytes, one object per
/// row. pandas' own `to_json` took 0.75 s for the 35 MB of 20 Newsgroups, more than half of the
/// analysis itself; this takes a small fraction of that.
#[pyfunction]
fn columns_jsonl<'py>(
    py: Python<'py>,
    names: Vec<String>,
    columns: Vec<Vec<Option<Cell>>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let n = columns.first().map_or(0, Vec::len);
    if names.len() != columns.len() || columns.iter().any(|c| c.len() != n) {
        return Err(PyValueError::new_err("columns of different lengths"));
    }
    let buf = py.allow_threads(move || {
        let mut cols: Vec<std::vec::IntoIter<Option<Cell>>> =
            columns.into_iter().map(Vec::into_iter).collect();
        let mut buf = Vec::new();
        for _ in 0..n {
            let mut row = serde_json::Map::with_capacity(names.len());
            for (name, col) in names.iter().zip(cols.iter_mut()) {
                let v = col.next().flatten().map_or(Value::Null, Cell::json);
                row.insert(name.clone(), v);
            }
            serde_json::to_writer(&mut buf, &Value::Object(row)).expect("JSON of plain values");
            buf.push(b'\n');
        }
        buf
    });
    Ok(PyBytes::new(py, &buf))
}

/// Where the articles come from.
enum Source {
    Paths(Vec<String>),
    Jsonl(Vec<u8>),
}

/// The `Source` of `analyze`, `Tracker.init` or `Tracker.add`: paths or JSON Lines bytes, exactly one.
fn source(paths: Option<Vec<String>>, data: Option<Bound<'_, PyBytes>>) -> PyResult<Source> {
    // Copied out of the `bytes` object at memory speed: a `Vec<u8>` argument made pyo3 read it
    // as a sequence of Python ints, one per byte (0.6 s for the 35 MB of 20 Newsgroups).
    let data = data.map(|d| d.as_bytes().to_vec());
    match (paths, data) {
        (Some(p), None) => Ok(Source::Paths(p)),
        (None, Some(d)) => Ok(Source::Jsonl(d)),
        _ => Err(PyValueError::new_err("give either paths or data")),
    }
}

/// One `analyze`: the library's [`run::Run`] (analysis, events, scores, `run.json`).
#[pyclass(module = "topictrack._native", frozen)]
struct Analysis {
    run: run::Run,
}

/// Runs the pipeline (and event detection unless `events_settings` is `None`) on `paths` or
/// on JSON Lines `data`, with the GIL released; scores against gold labels when `score`.
#[pyfunction]
#[pyo3(signature = (settings, events_settings=None, paths=None, data=None, score=false))]
fn analyze(
    py: Python<'_>,
    settings: &str,
    events_settings: Option<&str>,
    paths: Option<Vec<String>>,
    data: Option<Bound<'_, PyBytes>>,
    score: bool,
) -> PyResult<Analysis> {
    let params = analyze_params(settings)?;
    let opts = RunOptions {
        events: events_settings
            .map(|s| patched(&EventParams::default(), s))
            .transpose()?,
        score,
        save_model: false,
        parquet: false,
    };
    let source = source(paths, data)?;
    py.allow_threads(move || -> topictrack::Result<Analysis> {
        let run = match source {
            Source::Paths(p) => run::analyze(&p, &params, &opts, &pipeline::Silent)?,
            Source::Jsonl(d) => {
                let corpus = read_jsonl("data", d, &params.read)?;
                run::analyze_corpus(corpus, &params, &opts, &pipeline::Silent)?
            }
        };
        Ok(Analysis { run })
    })
    .map_err(py_err)
}

/// Compares the collections of `analysis` (split as the JSON `grouping` says: by input, field
/// or periods) on its one fitted model ([`cmp::compare`]); returns the comparison as JSON
/// (`comparison.json`).
#[pyfunction]
#[pyo3(signature = (analysis, grouping, settings, input_names, names=None))]
fn compare(
    py: Python<'_>,
    analysis: &Analysis,
    grouping: &str,
    settings: &str,
    input_names: Vec<String>,
    names: Option<Vec<String>>,
) -> PyResult<String> {
    let grouping: cmp::Grouping = serde_json::from_str(grouping)
        .map_err(|e| PyValueError::new_err(format!("grouping: {e}")))?;
    let params = patched(&cmp::CompareParams::default(), settings)?;
    let c = py
        .allow_threads(|| -> topictrack::Result<cmp::Comparison> {
            let params = params.check()?;
            let a = &analysis.run.analysis;
            let mut collections =
                cmp::Collections::build(&a.corpus.articles, &grouping, &input_names)?;
            if let Some(names) = names {
                collections = collections.with_names(names)?;
            }
            cmp::compare(a, &collections, &params)
        })
        .map_err(py_err)?;
    json(&c)
}

/// The names `compare` gives to collections read from `inputs` (file stems).
#[pyfunction]
fn input_names(inputs: Vec<String>) -> Vec<String> {
    cmp::input_names(&inputs)
}

/// Scores topics `pred` against gold labels `gold` (one list per article; several for
/// multi-label articles) with [`metrics::evaluate`]; JSON as in `run.json`'s `scores`.
#[pyfunction]
fn evaluate(py: Python<'_>, pred: Vec<usize>, gold: Vec<Vec<String>>) -> PyResult<String> {
    let s = py
        .allow_threads(|| metrics::evaluate(&pred, &gold))
        .map_err(py_err)?;
    json(&s)
}

/// Topic surges ([`events::detect_bursts`], Kleinberg and robust z-scores) from aggregated daily
/// counts alone: `days` contiguous (`YYYY-MM-DD`), `counts[topic][day]`, `totals[day]` (every
/// dated article of the day). Without the articles there are no headlines or rising terms; the
/// rest is as `surges.json`. Returns JSON records.
#[pyfunction]
fn surges(
    py: Python<'_>,
    days: Vec<String>,
    counts: Vec<Vec<u32>>,
    totals: Vec<u32>,
    topic_labels: Vec<String>,
    settings: &str,
) -> PyResult<String> {
    let params = patched(&events::BurstParams::default(), settings)?;
    let days: Vec<chrono::NaiveDate> = days
        .iter()
        .map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d"))
        .collect::<Result<_, _>>()
        .map_err(|e| PyValueError::new_err(format!("days: {e}")))?;
    let bursts = py
        .allow_threads(|| {
            events::detect_bursts(
                &events::BurstInput {
                    bin_starts: &days,
                    counts: &counts,
                    totals: &totals,
                    dates: &[],
                    topics: &[],
                    titles: &[],
                    text: None,
                },
                &params,
            )
        })
        .map_err(py_err)?;
    json(&events::records::burst_records(&bursts, &[], &topic_labels))
}

/// Draws the charts and `report.html` into a run's folder, as `topictrack analyze` does.
fn draw_charts(dir: &Path) -> topictrack::Result<()> {
    topictrack::report::draw_run(dir, &ChartOptions::default()).map(|_| ())
}

fn json<T: serde::Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| TopictrackError::new_err(e.to_string()))
}

/// Microseconds since 1970 (UTC) of an optional date, for pandas.
fn micros(d: Option<chrono::DateTime<chrono::Utc>>) -> Option<i64> {
    d.map(|d| d.timestamp_micros())
}

#[pymethods]
impl Analysis {
    /// `topics.json` as a JSON string.
    fn topics_json(&self) -> PyResult<String> {
        json(&self.run.analysis.topics)
    }

    /// Writes every output file into `out` as `topictrack analyze --out` does (atomically,
    /// through the library's run folder), plus the Parquet tables with `parquet`, the charts
    /// and report with `charts`, and `model.json` with `model`. Returns the files written,
    /// relative to `out`.
    #[pyo3(signature = (out, parquet=false, charts=true, model=false))]
    fn write(
        &self,
        py: Python<'_>,
        out: PathBuf,
        parquet: bool,
        charts: bool,
        model: bool,
    ) -> PyResult<Vec<String>> {
        py.allow_threads(|| {
            let extra = |dir: &Path| -> topictrack::Result<()> {
                if parquet {
                    topictrack::parquet::write_run(
                        dir,
                        &self.run.analysis,
                        self.run.events.as_ref(),
                    )?;
                }
                if model {
                    output::write_json(&dir.join("model.json"), &self.run.analysis.fitted())?;
                }
                if charts {
                    draw_charts(dir)?;
                }
                Ok(())
            };
            self.run.write(&out, Some(&extra)).map(|w| w.files)
        })
        .map_err(py_err)
    }

    /// `run.json` as a JSON string (as [`Analysis::write`] writes it, without the list of
    /// outputs).
    fn run_json(&self) -> PyResult<String> {
        json(&self.run.info)
    }

    /// Per-article columns: id, date (µs since 1970, UTC), title, topic, score.
    fn assignments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let a = &self.run.analysis;
        let arts = &a.corpus.articles;
        let d = PyDict::new(py);
        d.set_item("id", arts.iter().map(|x| x.id.as_str()).collect::<Vec<_>>())?;
        d.set_item(
            "date",
            arts.iter().map(|x| micros(x.date)).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "title",
            arts.iter()
                .map(topictrack::cluster::display_title)
                .collect::<Vec<_>>(),
        )?;
        d.set_item("topic", a.model.assignments.clone())?;
        d.set_item("score", a.model.scores.clone())?;
        Ok(d)
    }

    /// The timeline as long columns: bin start (`YYYY-MM-DD`), topic, count, and the bin's
    /// total; plus the bin unit.
    fn timeline<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let tl = &self.run.analysis.timeline;
        let (mut bin, mut topic, mut count, mut total) = (vec![], vec![], vec![], vec![]);
        for (b, start) in tl.bins.iter().enumerate() {
            for (t, counts) in tl.counts.iter().enumerate() {
                bin.push(start.to_string());
                topic.push(t);
                count.push(counts[b]);
                total.push(tl.totals[b]);
            }
        }
        let d = PyDict::new(py);
        d.set_item("bin", bin)?;
        d.set_item("topic", topic)?;
        d.set_item("count", count)?;
        d.set_item("total", total)?;
        d.set_item("unit", tl.unit.name())?;
        Ok(d)
    }

    /// `events.json` as a JSON string (`None` when events were not computed).
    fn events_json(&self) -> PyResult<Option<String>> {
        self.run
            .events
            .as_ref()
            .map(|e| json(&e.events))
            .transpose()
    }

    /// `surges.json` as a JSON string.
    fn surges_json(&self) -> PyResult<Option<String>> {
        self.run
            .events
            .as_ref()
            .map(|e| json(&e.surges))
            .transpose()
    }

    /// `stories.json` as a JSON string.
    fn stories_json(&self) -> PyResult<Option<String>> {
        self.run
            .events
            .as_ref()
            .map(|e| json(&e.stories))
            .transpose()
    }

    /// What reading skipped, as `problems.csv` has it: JSON records.
    fn problems_json(&self) -> PyResult<String> {
        json(&self.run.analysis.corpus.report.problems)
    }

    /// The settings used, as JSON.
    fn params_json(&self) -> PyResult<String> {
        json(&self.run.analysis.params)
    }

    /// Seconds per stage.
    fn stage_seconds(&self) -> Vec<(String, f64)> {
        self.run.info.stage_seconds.clone()
    }

    /// Number of topics.
    #[getter]
    fn k(&self) -> usize {
        self.run.analysis.model.k()
    }

    /// The fitted model.
    fn model(&self) -> Model {
        Model {
            inner: self.run.analysis.fitted(),
        }
    }
}

/// A fitted pipeline (vocabulary, IDF, LSA basis, centroids): assigns new articles to topics.
#[pyclass(module = "topictrack._native", frozen)]
struct Model {
    inner: FittedPipeline,
}

#[pymethods]
impl Model {
    /// Reads `model.json` (`analyze --save-model`, or [`Model::save`]).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Model> {
        let inner = py
            .allow_threads(|| FittedPipeline::load(&path))
            .map_err(py_err)?;
        Ok(Model { inner })
    }

    /// Writes `model.json` atomically.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        py.allow_threads(|| topictrack::output::write_json(&path, &self.inner))
            .map_err(py_err)
    }

    /// The model as postcard bytes (for pickling: Spark broadcasts it).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let b = postcard::to_stdvec(&self.inner)
            .map_err(|e| TopictrackError::new_err(format!("model: {e}")))?;
        Ok(PyBytes::new(py, &b))
    }

    /// A model from [`Model::to_bytes`].
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: Bound<'_, PyBytes>) -> PyResult<Model> {
        let data = data.as_bytes().to_vec();
        let inner: FittedPipeline = py
            .allow_threads(|| postcard::from_bytes(&data))
            .map_err(|e| TopictrackError::new_err(format!("model bytes: {e}")))?;
        if inner.version != topictrack::FORMAT_VERSION {
            return Err(TopictrackError::new_err(format!(
                "model format version {} (this topictrack reads {})",
                inner.version,
                topictrack::FORMAT_VERSION
            )));
        }
        Ok(Model { inner })
    }

    /// Topic descriptions at fit time, as JSON.
    fn topics_json(&self) -> PyResult<String> {
        json(&self.inner.topics)
    }

    /// Number of topics.
    #[getter]
    fn k(&self) -> usize {
        self.inner.model.k()
    }

    /// The cosine below which `transform` leaves an article without topic by default.
    #[getter]
    fn min_score(&self) -> f32 {
        self.inner.min_score
    }

    /// Assigns the articles of JSON Lines `data` (read with `read_settings`): columns id,
    /// date, topic, score, reason (why an article has no topic).
    #[pyo3(signature = (data, read_settings, min_score=None))]
    fn transform<'py>(
        &self,
        py: Python<'py>,
        data: Bound<'py, PyBytes>,
        read_settings: &str,
        min_score: Option<f32>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let opts = read_options(read_settings)?;
        let data = data.as_bytes().to_vec();
        let min_score = min_score.unwrap_or(self.inner.min_score);
        if min_score.is_nan() {
            return Err(PyValueError::new_err("min_score must be a number"));
        }
        let (corpus, topics, scores, reasons) = py
            .allow_threads(|| -> topictrack::Result<_> {
                let mut corpus = read_jsonl("data", data, &self.inner.read_options(&opts)?)?;
                let (_, _, emb) = self.inner.embed(&mut corpus.articles)?;
                let nearest = apply::nearest_centres(&emb, &self.inner.model.centroids);
                let (t, s, r) = apply::mark(&nearest, min_score);
                Ok((corpus, t, s, r))
            })
            .map_err(py_err)?;
        let arts = &corpus.articles;
        let d = PyDict::new(py);
        d.set_item("id", arts.iter().map(|x| x.id.as_str()).collect::<Vec<_>>())?;
        d.set_item(
            "date",
            arts.iter().map(|x| micros(x.date)).collect::<Vec<_>>(),
        )?;
        d.set_item("topic", topics)?;
        d.set_item("score", scores)?;
        d.set_item(
            "reason",
            reasons
                .iter()
                .map(|r| r.map(|r| r.as_str()))
                .collect::<Vec<_>>(),
        )?;
        d.set_item("problems", json(&corpus.report.problems)?)?;
        Ok(d)
    }
}

/// A tracker store (`topictrack track`'s SQLite file) and its open connection.
///
/// The connection is not shareable between threads, so it sits behind a lock taken with the GIL
/// released: Python threads sharing one `Tracker` take turns, and a thread waiting for the lock
/// never blocks the interpreter. `None` once closed.
#[pyclass(module = "topictrack._native", frozen)]
struct Tracker {
    inner: Mutex<Option<track::Tracker>>,
}

impl Tracker {
    fn new(t: track::Tracker) -> Tracker {
        Tracker {
            inner: Mutex::new(Some(t)),
        }
    }

    /// Runs `f` on the open store, with the GIL released.
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut track::Tracker) -> topictrack::Result<T> + Send,
    ) -> PyResult<T> {
        py.allow_threads(|| {
            // A panic inside `f` poisons the lock; the store itself is safe (the transaction
            // rolled back), so the connection is still usable.
            let mut guard = self
                .inner
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match guard.as_mut() {
                Some(t) => f(t).map_err(py_err),
                None => Err(TopictrackError::new_err("the tracker store is closed")),
            }
        })
    }
}

/// The name the store records as the input of a batch given as in-memory data (and that
/// stands in problems and generated ids, as for `analyze`).
const MEMORY_INPUT: &str = "data";

#[pymethods]
impl Tracker {
    /// Creates a store at `store` (which must not exist) from `paths` or JSON Lines `data`, as
    /// `topictrack track init` does; returns the tracker and the init report as JSON.
    /// `settings` are `analyze`'s, `events_settings` and `track_settings` those of event
    /// detection and tracking (JSON objects of dotted names).
    #[staticmethod]
    #[pyo3(signature = (store, settings, events_settings, track_settings, paths=None, data=None))]
    fn init(
        py: Python<'_>,
        store: PathBuf,
        settings: &str,
        events_settings: &str,
        track_settings: &str,
        paths: Option<Vec<String>>,
        data: Option<Bound<'_, PyBytes>>,
    ) -> PyResult<(Tracker, String)> {
        let params = analyze_params(settings)?;
        let events = patched(&EventParams::default(), events_settings)?;
        let track = patched(&TrackParams::default(), track_settings)?;
        let source = source(paths, data)?;
        let (t, report) = py
            .allow_threads(|| match source {
                Source::Paths(p) => {
                    track::Tracker::init(&store, &p, &params, &track, &events, &pipeline::Silent)
                }
                Source::Jsonl(d) => {
                    let corpus = read_jsonl(MEMORY_INPUT, d, &params.read)?;
                    track::Tracker::init_corpus(
                        &store,
                        corpus,
                        MEMORY_INPUT,
                        &params,
                        &track,
                        &events,
                        &pipeline::Silent,
                    )
                }
            })
            .map_err(py_err)?;
        Ok((Tracker::new(t), json(&report)?))
    }

    /// Opens an existing store (migrating an older schema).
    #[staticmethod]
    fn open(py: Python<'_>, store: PathBuf) -> PyResult<Tracker> {
        let t = py
            .allow_threads(|| track::Tracker::open(&store))
            .map_err(py_err)?;
        Ok(Tracker::new(t))
    }

    /// Adds the articles of `paths` or JSON Lines `data`, as `topictrack track add` does;
    /// returns the report as JSON. `read_settings` (dotted names of the reading options, e.g.
    /// `"fields.text": ["body"]`) change the store's reading options for this batch only.
    #[pyo3(signature = (paths=None, data=None, read_settings=None))]
    fn add(
        &self,
        py: Python<'_>,
        paths: Option<Vec<String>>,
        data: Option<Bound<'_, PyBytes>>,
        read_settings: Option<&str>,
    ) -> PyResult<String> {
        let source = source(paths, data)?;
        let stored = self.with(py, |t| t.params())?.read;
        let read = read_settings.map(|s| patched(&stored, s)).transpose()?;
        let report = self.with(py, |t| match source {
            Source::Paths(p) => t.add(&p, read.as_ref(), &pipeline::Silent),
            Source::Jsonl(d) => {
                let corpus = read_jsonl(MEMORY_INPUT, d, read.as_ref().unwrap_or(&stored))?;
                t.add_corpus(corpus, MEMORY_INPUT, &pipeline::Silent)
            }
        })?;
        json(&report)
    }

    /// Refits the topics on every stored article (`topictrack track refit`); the report as
    /// JSON.
    fn refit(&self, py: Python<'_>) -> PyResult<String> {
        let report = self.with(py, |t| t.refit(&pipeline::Silent))?;
        json(&report)
    }

    /// Writes every output of `analyze` from the store into `out` (`topictrack track report`),
    /// for the articles dated `from_..=to` (`YYYY-MM-DD`) when given; a summary as JSON.
    #[pyo3(signature = (out, from_=None, to=None, bin=None, events=true, charts=true))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments, one per report option
    fn report(
        &self,
        py: Python<'_>,
        out: PathBuf,
        from_: Option<&str>,
        to: Option<&str>,
        bin: Option<&str>,
        events: bool,
        charts: bool,
    ) -> PyResult<String> {
        let day = |name: &str, d: Option<&str>| -> PyResult<Option<chrono::NaiveDate>> {
            d.map(|d| {
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|e| PyValueError::new_err(format!("{name} {d:?}: {e}")))
            })
            .transpose()
        };
        let opts = ReportOptions {
            from: day("from_", from_)?,
            to: day("to", to)?,
            bin: bin
                .map(|b| b.parse::<BinUnit>())
                .transpose()
                .map_err(py_err)?,
            charts: charts.then(ChartOptions::default),
            events: None,
            skip_events: !events,
        };
        let s = self.with(py, |t| t.report(&out, &opts, &pipeline::Silent))?;
        let files: Vec<String> = s
            .files
            .iter()
            .map(|f| f.strip_prefix(&out).unwrap_or(f).display().to_string())
            .collect();
        json(&serde_json::json!({
            "articles": s.articles,
            "topics": s.topics.iter().filter(|t| t.size > 0).count(),
            "bursts": s.bursts,
            "stories": s.stories,
            "files": files,
        }))
    }

    /// A summary of the store (`topictrack track status --json`).
    fn status(&self, py: Python<'_>) -> PyResult<String> {
        let s = self.with(py, |t| t.status())?;
        json(&s)
    }

    /// The store's consistency problems (SQLite's integrity check and its own counts); empty
    /// when consistent.
    fn check(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.with(py, |t| t.check())
    }

    /// Every topic id given (retired ones too) as JSON records.
    fn topics_json(&self, py: Python<'_>) -> PyResult<String> {
        let topics = self.with(py, |t| t.topics())?;
        json(&topics)
    }

    /// Every stored article as columns: id, date (µs since 1970, UTC), title, source, topic,
    /// score, reason, near_dup_of, batch.
    fn articles<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let rows = self.with(py, |t| t.articles())?;
        let date = |r: &track::StoredRow| {
            r.date
                .as_deref()
                .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
                .map(|d| d.timestamp_micros())
        };
        let d = PyDict::new(py);
        d.set_item("id", rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>())?;
        d.set_item("date", rows.iter().map(date).collect::<Vec<_>>())?;
        d.set_item(
            "title",
            rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "source",
            rows.iter().map(|r| r.source.as_deref()).collect::<Vec<_>>(),
        )?;
        d.set_item("topic", rows.iter().map(|r| r.topic).collect::<Vec<_>>())?;
        d.set_item("score", rows.iter().map(|r| r.score).collect::<Vec<_>>())?;
        d.set_item(
            "reason",
            rows.iter().map(|r| r.reason.as_deref()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "near_dup_of",
            rows.iter()
                .map(|r| r.near_dup_of.as_deref())
                .collect::<Vec<_>>(),
        )?;
        d.set_item("batch", rows.iter().map(|r| r.batch).collect::<Vec<_>>())?;
        Ok(d)
    }

    /// The stored settings: `{"analyze": ..., "track": ..., "events": ...}` as JSON.
    fn params_json(&self, py: Python<'_>) -> PyResult<String> {
        let (a, t, e) = self.with(py, |t| {
            Ok((t.params()?, t.track_params()?, t.event_params()?))
        })?;
        json(&serde_json::json!({"analyze": a, "track": t, "events": e}))
    }

    /// The store's path.
    #[getter]
    fn path(&self, py: Python<'_>) -> PyResult<PathBuf> {
        self.with(py, |t| Ok(t.path().to_path_buf()))
    }

    /// Closes the connection (later calls fail); closing twice is harmless.
    fn close(&self, py: Python<'_>) {
        py.allow_threads(|| {
            let mut guard = self
                .inner
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            guard.take();
        });
    }
}

/// The compiled part of the `topictrack` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("TopictrackError", m.py().get_type::<TopictrackError>())?;
    m.add("StoreBusyError", m.py().get_type::<StoreBusyError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(columns_jsonl, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(input_names, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(surges, m)?)?;
    m.add_class::<Analysis>()?;
    m.add_class::<Model>()?;
    m.add_class::<Tracker>()?;
    Ok(())
}
