//! Document vectors the user already has (sentence embeddings, say), read with the articles:
//! from a field of each record ([`super::FieldMap::vector`]) or from a NumPy `.npy` file with one
//! row per article ([`super::ReadOptions::vectors_file`]). The pipeline then clusters these
//! vectors instead of the LSA rows; labels, examples, timelines and events still come from the
//! articles' words.

use std::path::Path;

use ndarray::Array2;
use ndarray_npy::ReadNpyExt;

use super::{Article, Corpus};
use crate::{Error, Result};

/// Parses a vector written as text: numbers separated by commas, whitespace or semicolons,
/// optionally inside brackets (`[0.1, 0.2]`, `0.1 0.2`; a JSON array reaches here as its
/// numbers one per line). Every value must be a finite number.
pub fn parse(text: &str) -> std::result::Result<Box<[f32]>, String> {
    let inner = text.trim();
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    let inner = inner.strip_suffix(']').unwrap_or(inner);
    let mut out = Vec::new();
    for (i, part) in inner
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        match part.parse::<f32>() {
            Ok(v) if v.is_finite() => out.push(v),
            _ => return Err(format!("value {} ({part:?}) is not a finite number", i + 1)),
        }
    }
    if out.is_empty() {
        return Err("empty".into());
    }
    Ok(out.into_boxed_slice())
}

/// Reads a 2-D `.npy` array of float32 or float64 values.
pub fn read_npy(path: &Path) -> Result<Array2<f32>> {
    let open = || std::fs::File::open(path).map_err(|e| Error::io(path, e));
    let bad = |e: ndarray_npy::ReadNpyError| Error::BadFile {
        path: path.to_path_buf(),
        reason: format!("not a 2-D float32 or float64 .npy array: {e}"),
    };
    let a = match Array2::<f32>::read_npy(open()?) {
        Ok(a) => a,
        Err(ndarray_npy::ReadNpyError::WrongDescriptor(_)) => Array2::<f64>::read_npy(open()?)
            .map_err(bad)?
            .mapv(|v| v as f32),
        Err(e) => return Err(bad(e)),
    };
    if let Some(i) = a.iter().position(|v| !v.is_finite()) {
        return Err(Error::BadFile {
            path: path.to_path_buf(),
            reason: format!(
                "row {} holds a value that is not a finite number",
                i / a.ncols().max(1) + 1
            ),
        });
    }
    Ok(a)
}

/// Gives each article of `corpus` its row of the `.npy` file at `path` (row i to the i-th
/// article kept). The row count must equal the number of articles: records skipped while
/// reading would otherwise shift every later row onto the wrong article.
pub fn attach(corpus: &mut Corpus, path: &Path) -> Result<()> {
    let a = read_npy(path)?;
    let n = corpus.articles.len();
    if a.nrows() != n {
        let c = &corpus.report.counts;
        return Err(Error::BadFile {
            path: path.to_path_buf(),
            reason: format!(
                "{} rows, but {n} articles were kept ({} records read, {} skipped, {} \
                 duplicates; see problems.csv): the file needs one row per article kept, in \
                 reading order, or give the vectors in a field of the records",
                a.nrows(),
                c.read,
                c.skipped,
                c.duplicates
            ),
        });
    }
    for (article, row) in corpus.articles.iter_mut().zip(a.rows()) {
        article.vector = Some(row.to_vec().into_boxed_slice());
    }
    corpus.report.vector_dims = Some(a.ncols());
    Ok(())
}

/// Whether the articles carry their own vectors (all do, or none: reading guarantees it).
pub fn present(articles: &[Article]) -> bool {
    articles.first().is_some_and(|a| a.vector.is_some())
}

/// Takes the articles' vectors out (freeing them) as an `n × d` matrix with L2-normalised rows,
/// the form of the LSA embedding the clustering expects (cosine = dot product). An all-zero
/// vector stays zero, as an article without terms does in LSA.
pub fn take_embedding(articles: &mut [Article]) -> Result<Array2<f32>> {
    let d = articles
        .first()
        .and_then(|a| a.vector.as_ref())
        .map_or(0, |v| v.len());
    let mut out = Array2::<f32>::zeros((articles.len(), d));
    for (mut row, a) in out.rows_mut().into_iter().zip(articles.iter_mut()) {
        let v = a.vector.take().ok_or_else(|| {
            Error::NotEnoughData(format!("article {:?} has no document vector", a.id))
        })?;
        if v.len() != d {
            return Err(Error::NotEnoughData(format!(
                "article {:?} has a vector of {} values, the first has {d}",
                a.id,
                v.len()
            )));
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            row.iter_mut()
                .zip(v.iter())
                .for_each(|(o, x)| *o = x / norm);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_forms() {
        assert_eq!(&*parse("[0.5, -1, 2e-1]").unwrap(), &[0.5, -1.0, 0.2]);
        assert_eq!(&*parse("0.5 1\n2").unwrap(), &[0.5, 1.0, 2.0]);
        assert_eq!(&*parse("1;2").unwrap(), &[1.0, 2.0]);
        assert!(parse("[]").is_err());
        assert!(parse("1, x").unwrap_err().contains("value 2"));
        assert!(parse("1, NaN").is_err());
        assert!(parse("1, inf").is_err());
    }

    #[test]
    fn embedding_rows_are_unit_length() {
        let mut arts: Vec<Article> = (0..2)
            .map(|i| Article {
                id: i.to_string(),
                date: None,
                title: String::new(),
                text: "x".into(),
                labels: vec![],
                group: None,
                input: 0,
                line: 1,
                vector: Some(vec![3.0 * i as f32, 4.0].into_boxed_slice()),
            })
            .collect();
        let e = take_embedding(&mut arts).unwrap();
        assert_eq!(e.row(0).to_vec(), vec![0.0, 1.0]);
        assert_eq!(e.row(1).to_vec(), vec![0.6, 0.8]);
        assert!(arts.iter().all(|a| a.vector.is_none()));
    }
}
