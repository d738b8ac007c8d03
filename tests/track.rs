//! `apply` and `track`: a saved model applied to new articles, and the SQLite store of a growing
//! collection (idempotence, crash safety, a busy store, the month-by-month replay of a year).

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{bin, demo, read};

/// `id → topic` (empty string for none) of an `assignments.csv`.
fn topics_by_id(path: &Path) -> HashMap<String, String> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string())
        })
        .collect()
}

#[test]
fn apply_on_the_training_corpus_reproduces_analyze() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    bin()
        .args([
            "analyze",
            demo().to_str().unwrap(),
            "-k",
            "8",
            "--save-model",
            "-q",
            "--no-charts",
            "--out",
        ])
        .arg(&a)
        .assert()
        .success();
    bin()
        .args(["apply", "--model"])
        .arg(a.join("model.json"))
        .arg(demo())
        .args(["--min-score", "0", "-q", "--out"])
        .arg(&b)
        .assert()
        .success();
    let (ta, tb) = (
        topics_by_id(&a.join("assignments.csv")),
        topics_by_id(&b.join("assignments.csv")),
    );
    assert_eq!(ta.len(), 357);
    assert_eq!(ta, tb, "same topic for every article");
    assert!(read(&b.join("assignments.csv")).starts_with("id,topic,date,score,reason\n"));
    // Same topic ids and labels; sizes of the same collection.
    let ja: serde_json::Value = serde_json::from_str(&read(&a.join("topics.json"))).unwrap();
    let jb: serde_json::Value = serde_json::from_str(&read(&b.join("topics.json"))).unwrap();
    for (x, y) in ja.as_array().unwrap().iter().zip(jb.as_array().unwrap()) {
        assert_eq!(
            (&x["id"], &x["label"], &x["size"]),
            (&y["id"], &y["label"], &y["size"])
        );
    }
    assert_eq!(read(&a.join("timeline.csv")), read(&b.join("timeline.csv")));
    for f in [
        "run.json",
        "events.json",
        "report.html",
        "charts/volume.svg",
    ] {
        assert!(b.join(f).exists(), "apply wrote no {f}");
    }
    // With the model's own threshold, the marked articles are the low-scoring few (the 2%
    // quantile of the training scores: about 2% of the same articles), with their reason.
    bin()
        .args(["apply", "--model"])
        .arg(a.join("model.json"))
        .arg(demo())
        .args(["-q", "--no-charts", "--no-events", "--out"])
        .arg(&c)
        .assert()
        .success();
    let tc = topics_by_id(&c.join("assignments.csv"));
    let marked: Vec<&String> = tc
        .iter()
        .filter(|(_, t)| t.is_empty())
        .map(|(k, _)| k)
        .collect();
    assert!((1..=12).contains(&marked.len()), "{} marked", marked.len());
    let text = read(&c.join("assignments.csv"));
    assert_eq!(text.matches(",low_score").count(), marked.len());
    assert!(tc.iter().all(|(k, t)| t.is_empty() || *t == ta[k]));
}

#[test]
fn apply_rejects_a_bad_model() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("model.json");
    std::fs::write(&m, "{\"version\": 1}").unwrap();
    bin()
        .args(["apply", "-q", "--model"])
        .arg(&m)
        .arg(demo())
        .arg("--out")
        .arg(dir.path().join("o"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("model.json"));
}
