//! Errors of the library: one enum per concern, gathered into [`Error`].

use std::path::PathBuf;

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every error the library returns. Messages carry the offending value and, for input, the
/// place (`file:line`).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An I/O error on a named path.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A record that could not be read, in strict mode (otherwise it is counted and skipped).
    #[error("{file}:{line}: {reason}")]
    BadRecord {
        /// Input name as given by the user.
        file: String,
        /// 1-based line number.
        line: u64,
        /// What was wrong.
        reason: String,
    },
    /// An invalid setting, with the value that was given.
    #[error("invalid setting {name} = {value}: {reason}")]
    InvalidParam {
        /// Name of the setting, as on the command line.
        name: &'static str,
        /// The value given.
        value: String,
        /// Why it is rejected.
        reason: String,
    },
    /// Not enough data to do what was asked (e.g. fewer documents than topics).
    #[error("not enough data: {0}")]
    NotEnoughData(String),
    /// A saved output or model that could not be parsed.
    #[error("{path}: {reason}")]
    BadFile {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// A numerical failure (e.g. an eigen-decomposition that did not converge).
    #[error("numerical error: {0}")]
    Numerical(String),
    /// Charts could not be drawn.
    #[error("chart error: {0}")]
    Chart(String),
    /// No article could be read: the message names the likely cause; the report lists every
    /// skipped record (the CLI writes it to `problems.csv`).
    #[error("{message}")]
    NothingRead {
        /// What happened, with the likely cause.
        message: String,
        /// The ingest report.
        report: Box<crate::ingest::IngestReport>,
    },
    /// Another run holds the lock on an output folder.
    #[error(
        "{path}: another topictrack run is writing to this folder (it holds {path}/.topictrack.lock); \
         wait for it to finish or choose another --out"
    )]
    Locked {
        /// The output folder.
        path: PathBuf,
    },
    /// An input of a saved analysis changed (or is gone) since the analysis.
    #[error("input {name} changed since the analysis ({detail}); run analyze again")]
    InputChanged {
        /// The input's name as given to `analyze`.
        name: String,
        /// What differs.
        detail: String,
    },
    /// Another process is writing the store.
    #[error("store is busy: {0} is being written by another topictrack process; try again when it has finished")]
    StoreBusy(PathBuf),
    /// A store that could not be created, opened, read or written.
    #[error("store {path}: {reason}")]
    Store {
        /// The store file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// An error raised by linfa (when topictrack's models are used through its traits).
    #[error("linfa: {0}")]
    Linfa(#[from] linfa::Error),
}

impl Error {
    /// Shorthand for [`Error::InvalidParam`].
    pub fn param(name: &'static str, value: impl ToString, reason: impl Into<String>) -> Self {
        Error::InvalidParam {
            name,
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Io`].
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
