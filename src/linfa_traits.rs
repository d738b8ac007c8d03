//! topictrack's stages as linfa algorithms, so they compose with the linfa ecosystem.
//!
//! | stage | settings (`Fit`, checked or not) | records | fitted model | applied with |
//! |---|---|---|---|---|
//! | TF-IDF | [`TfidfParams`](crate::vectorize::TfidfParams) | [`AnalyzedCorpus`] | [`TfidfModel`] | `Transformer<&AnalyzedCorpus, TfidfRecords>` |
//! | LSA | [`SvdParams`](crate::svd::SvdParams) | [`TfidfRecords`] (sparse TF-IDF rows) | [`LsaModel`] | `Transformer<&TfidfRecords, Result<Embedding>>` |
//! | topics | [`ClusterParams`](crate::cluster::ClusterParams) | `Array2<f32>` (LSA rows) | [`TopicModel`] | `Predict` / `PredictInplace` → `Array1<Option<usize>>` |
//!
//! Unchecked settings fit directly through linfa's blanket impl over
//! [`ParamGuard`](crate::params::ParamGuard). The algorithms are topictrack's own (why each is
//! hand-written is in its module: `vectorize`, `svd`, `cluster::kmeans`); these impls call the
//! same functions as [`crate::pipeline`], so the results are the pipeline's to the bit
//! (`tests/linfa.rs`). The LSA transformer returns a `Result` because a matrix with another
//! number of columns than the fitted vocabulary is an input error, not a panic. A document
//! without any vocabulary term has no topic (`None`).

use linfa::dataset::Records;
use linfa::traits::{Fit, PredictInplace, Transformer};
use linfa::DatasetBase;
use ndarray::{Array1, Array2};

use crate::apply::nearest_centres;
use crate::cluster::{self, TopicModel, ValidClusterParams};
use crate::svd::{self, Embedding, LsaModel, ValidSvdParams};
use crate::text::AnalyzedCorpus;
use crate::vectorize::{self, DocTermMatrix, TfidfModel, ValidTfidfParams};
use crate::{Error, Result};

impl Records for AnalyzedCorpus {
    type Elem = u32;
    fn nsamples(&self) -> usize {
        self.docs.len()
    }
    fn nfeatures(&self) -> usize {
        self.terms.keys.len()
    }
}

/// TF-IDF rows as linfa records: the sparse (CSR) document × term matrix, one row per document.
#[derive(Debug, Clone, PartialEq)]
pub struct TfidfRecords(pub DocTermMatrix);

impl Records for TfidfRecords {
    type Elem = f32;
    fn nsamples(&self) -> usize {
        self.0.rows()
    }
    fn nfeatures(&self) -> usize {
        self.0.cols()
    }
}

impl<T> Fit<AnalyzedCorpus, T, Error> for ValidTfidfParams {
    type Object = TfidfModel;
    fn fit(&self, dataset: &DatasetBase<AnalyzedCorpus, T>) -> Result<TfidfModel> {
        vectorize::fit(&dataset.records, self)
    }
}

impl Transformer<&AnalyzedCorpus, TfidfRecords> for TfidfModel {
    fn transform(&self, x: &AnalyzedCorpus) -> TfidfRecords {
        TfidfRecords(TfidfModel::transform(self, x))
    }
}

impl<T> Fit<TfidfRecords, T, Error> for ValidSvdParams {
    type Object = LsaModel;
    fn fit(&self, dataset: &DatasetBase<TfidfRecords, T>) -> Result<LsaModel> {
        let x = &dataset.records.0;
        if x.is_csr() {
            svd::fit_model(x, self)
        } else {
            svd::fit_model(&x.to_csr(), self)
        }
    }
}

impl Transformer<&TfidfRecords, Result<Embedding>> for LsaModel {
    fn transform(&self, x: &TfidfRecords) -> Result<Embedding> {
        LsaModel::transform(self, &x.0)
    }
}

impl<T> Fit<Array2<f32>, T, Error> for ValidClusterParams {
    type Object = TopicModel;
    fn fit(&self, dataset: &DatasetBase<Array2<f32>, T>) -> Result<TopicModel> {
        cluster::fit(&dataset.records, self)
    }
}

impl PredictInplace<Array2<f32>, Array1<Option<usize>>> for TopicModel {
    /// The nearest centre of each row (same kernel and tie rule as the fit's assignments).
    fn predict_inplace(&self, x: &Array2<f32>, y: &mut Array1<Option<usize>>) {
        assert_eq!(x.nrows(), y.len(), "one target per row");
        for (t, n) in y.iter_mut().zip(nearest_centres(x, &self.centroids)) {
            *t = n.map(|(c, _)| c);
        }
    }

    fn default_target(&self, x: &Array2<f32>) -> Array1<Option<usize>> {
        Array1::from_elem(x.nrows(), None)
    }
}
