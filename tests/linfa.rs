//! topictrack's stages used only through linfa's traits (`Fit`, `Transformer`, `Predict`) on
//! the demo corpus: fit → transform → predict gives the pipeline's own result, bit for bit.

mod common;

use linfa::prelude::*;
use ndarray::{Array1, Array2};
use topictrack::cluster::{ClusterParams, KChoice};
use topictrack::linfa_traits::TfidfRecords;
use topictrack::pipeline::{self, AnalyzeParams, Silent};
use topictrack::text::{AnalyzedCorpus, Analyzer};
use topictrack::{Error, ParamGuard};

/// The three stages, known only by their linfa traits.
fn topics_through_linfa<TP, SP, CP>(
    tfidf: &TP,
    lsa: &SP,
    topics: &CP,
    corpus: AnalyzedCorpus,
) -> (TP::Object, SP::Object, Array2<f32>, Array1<Option<usize>>)
where
    TP: Fit<AnalyzedCorpus, (), Error>,
    TP::Object: for<'a> Transformer<&'a AnalyzedCorpus, TfidfRecords>,
    SP: Fit<TfidfRecords, (), Error>,
    SP::Object: for<'a> Transformer<&'a TfidfRecords, Result<Array2<f32>, Error>>,
    CP: Fit<Array2<f32>, (), Error>,
    CP::Object: for<'a> Predict<&'a Array2<f32>, Array1<Option<usize>>>,
{
    let text = DatasetBase::new(corpus, ());
    let vectorizer = tfidf.fit(&text).unwrap();
    let rows = vectorizer.transform(&text.records);
    let basis = lsa.fit(&DatasetBase::new(rows.clone(), ())).unwrap();
    let embedding = basis.transform(&rows).unwrap();
    let model = topics
        .fit(&DatasetBase::new(embedding.clone(), ()))
        .unwrap();
    let labels = model.predict(&embedding);
    (vectorizer, basis, embedding, labels)
}

#[test]
fn linfa_traits_reproduce_the_pipeline() {
    let demo = common::demo().to_string_lossy().into_owned();
    let params = AnalyzeParams {
        cluster: ClusterParams {
            k: KChoice::Fixed(6),
            ..Default::default()
        },
        ..Default::default()
    };
    let a = pipeline::analyze(&[demo], &params, &Silent).unwrap();
    // The pipeline's analysed text, rebuilt from its settings and learned boilerplate.
    let analyzer = Analyzer::new(a.params.text.clone().check().unwrap())
        .with_boilerplate(a.boilerplate.as_ref());
    let corpus = analyzer.analyze(&a.corpus.articles);

    let (vectorizer, basis, embedding, labels) =
        topics_through_linfa(&a.params.tfidf, &a.params.svd, &a.params.cluster, corpus);
    assert_eq!(vectorizer, a.vectorizer);
    assert_eq!(basis, a.lsa);
    assert_eq!(embedding, a.embedding);
    assert_eq!(labels.to_vec(), a.model.assignments);
    assert!(labels.iter().flatten().any(|&t| t == 5), "six topics");
}

#[test]
fn unchecked_settings_fail_through_fit() {
    let bad = topictrack::svd::SvdParams {
        dims: 0,
        ..Default::default()
    };
    let x = TfidfRecords(sprs::CsMat::zero((3, 3)));
    let e = bad.fit(&DatasetBase::new(x, ())).unwrap_err();
    assert!(e.to_string().contains("svd.dims"), "{e}");
}
