//! CLI integration tests: exit codes, messages, output files and their formats.

mod common;

use std::io::Write;

use common::{bin, demo, read};
use predicates::prelude::*;

#[test]
fn analyze_demo_writes_every_output() {
    let out = tempfile::tempdir().unwrap();
    let assert = bin()
        .args(["analyze", demo().to_str().unwrap(), "--out"])
        .arg(out.path())
        .args(["-k", "8", "--label-field", "topic"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Bridge, Kessel"))
        .stdout(predicate::str::contains("NMI"))
        .stdout(predicate::str::contains("events, strongest first"));
    let _ = assert;
    for f in [
        "topics.json",
        "assignments.csv",
        "timeline.csv",
        "run.json",
        "events.json",
        "events.csv",
        "surges.json",
        "stories.json",
        "stories.csv",
        "report.html",
        "charts/volume.png",
        "charts/volume.svg",
        "charts/share.svg",
        "charts/heatmap.png",
        "charts/terms.svg",
    ] {
        assert!(out.path().join(f).exists(), "missing {f}");
    }
    let assignments = read(&out.path().join("assignments.csv"));
    assert!(assignments.starts_with("id,topic,date,score\n"));
    assert_eq!(assignments.lines().count(), 1 + 357);
    let timeline = read(&out.path().join("timeline.csv"));
    assert!(timeline.starts_with("bin_start,topic,count,share\n"));
    let total: u64 = timeline
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(
        total, 357,
        "every dated article with a topic is in the timeline once"
    );
    let topics: serde_json::Value =
        serde_json::from_str(&read(&out.path().join("topics.json"))).unwrap();
    let topics = topics.as_array().unwrap();
    assert_eq!(topics.len(), 8);
    let sizes: Vec<u64> = topics.iter().map(|t| t["size"].as_u64().unwrap()).collect();
    assert!(
        sizes.windows(2).all(|w| w[0] >= w[1]),
        "ordered by size: {sizes:?}"
    );
    for t in topics {
        assert_eq!(t["terms"].as_array().unwrap().len(), 10);
        assert_eq!(t["examples"].as_array().unwrap().len(), 3);
        assert!(t["label"].as_str().unwrap().contains(", "));
    }
    let run: serde_json::Value = serde_json::from_str(&read(&out.path().join("run.json"))).unwrap();
    assert_eq!(run["k"], 8);
    assert_eq!(run["counts"]["articles"], 357);
    assert_eq!(run["params"]["seed"], 0);
    assert!(
        run["scores"]["nmi"].as_f64().unwrap() > 0.85,
        "{}",
        run["scores"]
    );
    assert!(run["stage_seconds"].as_array().unwrap().len() >= 6);
}

#[test]
fn planted_burst_of_the_demo_is_found_on_its_day() {
    let out = tempfile::tempdir().unwrap();
    bin()
        .args([
            "analyze",
            demo().to_str().unwrap(),
            "-q",
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let events: serde_json::Value =
        serde_json::from_str(&read(&out.path().join("events.json"))).unwrap();
    // The bridge collapse is the strongest event, on the day it happened.
    let first = &events.as_array().unwrap()[0];
    assert_eq!(first["rank"], 1);
    assert!(
        first["label"].as_str().unwrap().contains("Kessel"),
        "{first}"
    );
    assert_eq!(first["start"], "2025-04-10");
    assert_eq!(first["peak"], "2025-04-10");
    let csv = read(&out.path().join("events.csv"));
    assert!(csv.starts_with(
        "rank,peak,start,end,score,label,terms,top_headline,n_articles,topics\n1,2025-04-10,"
    ));
    // Topic surges are kept apart, one method and scale per record.
    let surges: serde_json::Value =
        serde_json::from_str(&read(&out.path().join("surges.json"))).unwrap();
    assert!(surges
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["topic_label"].as_str().unwrap().contains("Bridge")));
}

#[test]
fn corrupted_corpus_is_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    let good = std::fs::read_to_string(demo()).unwrap();
    let lines: Vec<&str> = good.lines().take(120).collect();
    for (i, l) in lines.iter().enumerate() {
        match i {
            10 => writeln!(f, "{{not json").unwrap(),
            20 => f
                .write_all(b"{\"id\":\"x\",\"text\":\"caf\xff\"}\n")
                .unwrap(),
            30 => writeln!(
                f,
                "{}",
                l.replace("\"date\": \"2025", "\"date\": \"someday 2025")
            )
            .unwrap(),
            _ => writeln!(f, "{l}").unwrap(),
        }
    }
    writeln!(f, "{}", lines[0]).unwrap(); // duplicate id
    drop(f);
    let name = path.to_str().unwrap().to_string();
    let out = dir.path().join("out");
    bin()
        .args(["analyze", &name, "--no-charts", "-k", "4", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "{name}:11: malformed JSON"
        )))
        .stderr(predicate::str::contains(format!(
            "{name}:21: invalid UTF-8"
        )))
        .stderr(predicate::str::contains(format!(
            "{name}:31: unparseable date"
        )))
        .stderr(predicate::str::contains(format!(
            "{name}:121: duplicate id"
        )))
        .stderr(predicate::str::contains("2 skipped"));
    let run: serde_json::Value = serde_json::from_str(&read(&out.join("run.json"))).unwrap();
    assert_eq!(run["counts"]["skipped"], 2);
    assert_eq!(run["counts"]["duplicates"], 1);
    assert_eq!(run["counts"]["bad_dates"], 1);
    assert_eq!(run["counts"]["articles"], 118);

    bin()
        .args(["analyze", &name, "--strict", "--no-charts", "--out"])
        .arg(dir.path().join("strict"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{name}:11: malformed JSON"
        )));
}

#[test]
fn errors_exit_with_code_2() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["analyze", "/nonexistent/file.jsonl", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/file.jsonl"));
    bin()
        .args([
            "analyze",
            demo().to_str().unwrap(),
            "--max-df",
            "1.5",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--max-df"));
    bin()
        .args(["analyze", demo().to_str().unwrap(), "-k", "0", "--out"])
        .arg(dir.path())
        .assert()
        .code(2);
    bin()
        .args([
            "analyze",
            demo().to_str().unwrap(),
            "-k",
            "5000",
            "--no-charts",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not enough data"));
    bin().args(["analyze"]).assert().code(2);
    bin().args(["frobnicate"]).assert().code(2);
    bin()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("analyze"));
}

#[test]
fn stdin_csv_and_text_folders() {
    let dir = tempfile::tempdir().unwrap();
    let demo_text = std::fs::read_to_string(demo()).unwrap();
    bin()
        .args([
            "analyze",
            "-",
            "-k",
            "5",
            "--no-charts",
            "--no-events",
            "-q",
            "--out",
        ])
        .arg(dir.path().join("stdin"))
        .write_stdin(demo_text.clone())
        .assert()
        .success();
    // The same articles as CSV with other field names, gzip-compressed.
    let mut w = csv::Writer::from_writer(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    w.write_record(["headline", "body", "published"]).unwrap();
    for l in demo_text.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        w.write_record([
            v["title"].as_str().unwrap(),
            v["text"].as_str().unwrap(),
            v["date"].as_str().unwrap(),
        ])
        .unwrap();
    }
    let gz = w.into_inner().unwrap().finish().unwrap();
    std::fs::write(dir.path().join("news.csv.gz"), gz).unwrap();
    bin()
        .args([
            "analyze",
            dir.path().join("news.csv.gz").to_str().unwrap(),
            "-k",
            "5",
            "--no-charts",
            "-q",
            "--out",
        ])
        .arg(dir.path().join("csv"))
        .assert()
        .success();
    let run: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("csv/run.json"))).unwrap();
    assert_eq!(run["counts"]["articles"], 357);
    assert_eq!(run["counts"]["undated"], 0);
    assert_eq!(run["inputs"][0]["gzip"], true);
    // A folder of text files.
    let txt = dir.path().join("txt");
    std::fs::create_dir(&txt).unwrap();
    for (i, l) in demo_text.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let name = format!("{}-{i:04}.txt", v["date"].as_str().unwrap());
        std::fs::write(
            txt.join(name),
            format!(
                "{}\n{}\n",
                v["title"].as_str().unwrap(),
                v["text"].as_str().unwrap()
            ),
        )
        .unwrap();
    }
    bin()
        .args([
            "analyze",
            txt.to_str().unwrap(),
            "-k",
            "5",
            "--no-charts",
            "-q",
            "--out",
        ])
        .arg(dir.path().join("txtout"))
        .assert()
        .success();
    let run: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("txtout/run.json"))).unwrap();
    assert_eq!(run["counts"]["articles"], 357);
    assert_eq!(run["counts"]["undated"], 0);
}

#[test]
fn chart_reproduces_the_files_of_analyze() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["analyze", demo().to_str().unwrap(), "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let before: Vec<(String, Vec<u8>)> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    let report = std::fs::read(out.join("report.html")).unwrap();
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    bin().args(["chart"]).arg(&out).arg("-q").assert().success();
    for (name, bytes) in before {
        assert_eq!(
            std::fs::read(out.join("charts").join(&name)).unwrap(),
            bytes,
            "{name} differs"
        );
    }
    assert_eq!(std::fs::read(out.join("report.html")).unwrap(), report);
    // Filtering writes elsewhere when asked, and rejects unknown topics.
    bin()
        .args(["chart"])
        .arg(&out)
        .args([
            "--topics",
            "0,2",
            "--from",
            "2025-03-01",
            "--chart-format",
            "png",
            "--charts-dir",
        ])
        .arg(dir.path().join("sub"))
        .assert()
        .success();
    assert!(dir.path().join("sub/volume.png").exists());
    assert!(!dir.path().join("sub/volume.svg").exists());
    bin()
        .args(["chart"])
        .arg(&out)
        .args(["--topics", "99"])
        .assert()
        .code(2);
}

#[test]
fn evaluate_and_events_commands() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .current_dir(common::root())
        .args([
            "analyze",
            "data/articles.jsonl",
            "-k",
            "8",
            "-q",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    bin()
        .args(["evaluate"])
        .arg(&out)
        .args([
            "--corpus",
            demo().to_str().unwrap(),
            "--label-field",
            "topic",
            "--json",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"nmi\""));
    bin()
        .args(["evaluate"])
        .arg(&out)
        .args(["--corpus", demo().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--label-field"));
    bin()
        .current_dir(common::root())
        .args(["events"])
        .arg(&out)
        .args(["--burst-methods", "kleinberg", "--no-charts"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2025-04-10"));
    let surges: serde_json::Value = serde_json::from_str(&read(&out.join("surges.json"))).unwrap();
    assert!(surges
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["method"] == "kleinberg"));
    let events: serde_json::Value = serde_json::from_str(&read(&out.join("events.json"))).unwrap();
    let ranks: Vec<u64> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, (1..=ranks.len() as u64).collect::<Vec<_>>());
    bin()
        .args(["events"])
        .arg(&out)
        .args(["--burst-methods", "magic"])
        .assert()
        .code(2);
    bin()
        .args(["events"])
        .arg(&out)
        .args(["--story-max-window-df", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("story-max-window-df"));
}
