//! `--vectors`: document vectors the user already has, clustered instead of LSA.

mod common;

use std::path::Path;

use common::{bin, read};
use ndarray_npy::WriteNpyExt;
use predicates::prelude::*;

/// 40 articles whose words say "two groups by index < 20" and whose vectors say "two groups by
/// parity": the topics must follow the vectors. Returns the JSONL and the vectors.
fn crossed(dir: &Path) -> (std::path::PathBuf, ndarray::Array2<f32>) {
    let words = [
        "harbour ferry crossing storm delays passengers island",
        "orchard harvest apples cider farmers valley frost",
    ];
    let mut lines = String::new();
    let mut vecs = ndarray::Array2::<f32>::zeros((40, 4));
    for i in 0..40 {
        let v = if i % 2 == 0 {
            [1.0, 0.1 * (i % 5) as f32, 0.0, 0.05]
        } else {
            [0.0, 0.05, 1.0, 0.1 * (i % 3) as f32]
        };
        vecs.row_mut(i).assign(&ndarray::arr1(&v));
        let rec = serde_json::json!({
            "id": format!("a{i:02}"),
            "date": format!("2024-03-{:02}", 1 + i % 28),
            "title": format!("{} {i}", words[usize::from(i >= 20)]),
            "emb": v,
        });
        lines.push_str(&rec.to_string());
        lines.push('\n');
    }
    let path = dir.join("crossed.jsonl");
    std::fs::write(&path, lines).unwrap();
    (path, vecs)
}

fn topics_by_id(out: &Path) -> Vec<(String, String)> {
    read(&out.join("assignments.csv"))
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',');
            (f.next().unwrap().to_string(), f.next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn topics_follow_the_given_vectors_from_a_field_or_a_npy_file() {
    let dir = tempfile::tempdir().unwrap();
    let (input, vecs) = crossed(dir.path());
    let field_out = dir.path().join("field");
    bin()
        .arg("-q")
        .args([
            "analyze",
            input.to_str().unwrap(),
            "--vectors",
            "emb",
            "-k",
            "2",
        ])
        .args(["--no-charts", "--save-model", "--out"])
        .arg(&field_out)
        .assert()
        .success();
    let topics = topics_by_id(&field_out);
    assert_eq!(topics.len(), 40);
    for (id, t) in &topics {
        let i: usize = id[1..].parse().unwrap();
        let even_topic = &topics[0].1;
        assert_eq!(
            (t == even_topic),
            i.is_multiple_of(2),
            "article {id} in topic {t}: topics must follow the vectors' parity"
        );
    }
    let run: serde_json::Value = serde_json::from_str(&read(&field_out.join("run.json"))).unwrap();
    assert_eq!(run["dims"], 4);

    // The same vectors as a .npy file (float64) give the same assignments.
    let npy = dir.path().join("vecs.npy");
    vecs.mapv(f64::from)
        .write_npy(std::fs::File::create(&npy).unwrap())
        .unwrap();
    let npy_out = dir.path().join("npy");
    bin()
        .arg("-q")
        .args(["analyze", input.to_str().unwrap(), "--vectors"])
        .arg(&npy)
        .args(["-k", "2", "--no-charts", "--out"])
        .arg(&npy_out)
        .assert()
        .success();
    assert_eq!(topics_by_id(&npy_out), topics);

    // `apply` needs the new articles' vectors, and with them reproduces the topics.
    bin()
        .args(["apply", "--model"])
        .arg(field_out.join("model.json"))
        .arg(&input)
        .args(["--no-charts", "--out"])
        .arg(dir.path().join("no-vectors"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the model clusters document vectors (4 values each)",
        ));
    let apply_out = dir.path().join("apply");
    bin()
        .arg("-q")
        .args(["apply", "--model"])
        .arg(field_out.join("model.json"))
        .arg(&input)
        .args(["--vectors", "emb", "--no-charts", "--out"])
        .arg(&apply_out)
        .assert()
        .success();
    let applied = topics_by_id(&apply_out);
    let agree = applied
        .iter()
        .zip(&topics)
        .filter(|(a, b)| a.1 == b.1)
        .count();
    assert!(agree >= 38, "apply agrees on {agree} of 40");

    // A .npy file whose rows do not match the articles kept is an error, not a misalignment.
    let short = dir.path().join("short.npy");
    vecs.slice(ndarray::s![..39, ..])
        .to_owned()
        .write_npy(std::fs::File::create(&short).unwrap())
        .unwrap();
    bin()
        .args(["analyze", input.to_str().unwrap(), "--vectors"])
        .arg(&short)
        .args(["-k", "2", "--no-charts", "--out"])
        .arg(dir.path().join("short"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "39 rows, but 40 articles were kept",
        ));
}

#[test]
fn records_with_bad_vectors_are_skipped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = crossed(dir.path());
    let mut text = read(&input);
    text.push_str("{\"id\":\"x1\",\"title\":\"harbour ferry\",\"emb\":[1,2]}\n");
    text.push_str("{\"id\":\"x2\",\"title\":\"harbour ferry\",\"emb\":\"one, two\"}\n");
    text.push_str("{\"id\":\"x3\",\"title\":\"harbour ferry\"}\n");
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    bin()
        .arg("-q")
        .args([
            "analyze",
            input.to_str().unwrap(),
            "--vectors",
            "emb",
            "-k",
            "2",
        ])
        .args(["--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let problems = read(&out.join("problems.csv"));
    assert!(
        problems.contains(":41,") || problems.contains(",41,"),
        "{problems}"
    );
    assert!(problems.contains("bad vector: 2 values, the first article's had 4"));
    assert!(problems.contains("bad vector in field \"\"emb\"\": value 1"));
    assert!(problems.contains("no vector: field \"\"emb\"\" missing or empty"));
    assert_eq!(topics_by_id(&out).len(), 40);
    bin()
        .args([
            "analyze",
            input.to_str().unwrap(),
            "--vectors",
            "emb",
            "-k",
            "2",
        ])
        .args(["--strict", "--no-charts", "--out"])
        .arg(dir.path().join("strict"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(":41: bad vector"));
    // A tracker store is fitted on LSA: asked for vectors, it says so.
    bin()
        .args(["track", "init"])
        .arg(dir.path().join("store.db"))
        .arg(&input)
        .args(["--vectors", "emb"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("read.fields.vector"));
}
