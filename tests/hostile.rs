//! Hostile and careless input, generated here: the binary is run (under a memory limit where it
//! matters) and must exit as documented, report each bad record as `file:line: reason`, keep
//! everything readable, and write nothing outside `--out`. Each test is named after the bug it
//! pins (issue 16 of the tracker).

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Output;

use common::read;

/// The binary under test.
fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_topictrack")
}

/// Runs the binary with `args` in `cwd` under a virtual-memory limit of `limit_mb` MB
/// (`ulimit -v` in a shell, so no extra crate is needed).
fn run_limited(cwd: &Path, limit_mb: u64, args: &[&str]) -> Output {
    let script = format!("ulimit -v {} && exec \"$0\" \"$@\"", limit_mb * 1024);
    std::process::Command::new("sh")
        .current_dir(cwd)
        .arg("-c")
        .arg(script)
        .arg(exe())
        .args(args)
        .output()
        .expect("sh runs")
}

/// Runs the binary with `args` in `cwd`.
fn run(cwd: &Path, args: &[&str]) -> Output {
    std::process::Command::new(exe())
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `n` short, dated articles on two subjects (original text), as JSON objects.
fn articles(n: usize) -> Vec<serde_json::Value> {
    let subjects = [
        [
            "harbour",
            "ferry",
            "crossing",
            "storm",
            "captain",
            "passengers",
            "quay",
            "tide",
        ],
        [
            "orchard", "harvest", "apples", "growers", "frost", "cider", "blossom", "market",
        ],
    ];
    (0..n)
        .map(|i| {
            let words = &subjects[i % 2];
            let text: Vec<&str> = (0..12).map(|j| words[(i + j * 3) % words.len()]).collect();
            serde_json::json!({
                "id": format!("a{i}"),
                "date": format!("2024-03-{:02}", 1 + i % 28),
                "title": format!("{} {} report {i}", words[i % 8], words[(i + 1) % 8]),
                "text": text.join(" "),
            })
        })
        .collect()
}

fn jsonl(values: &[serde_json::Value]) -> String {
    values.iter().map(|v| format!("{v}\n")).collect()
}

/// Files and folders directly in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn problems(out: &Path) -> Vec<Vec<String>> {
    let mut rdr = csv::Reader::from_path(out.join("problems.csv")).expect("problems.csv");
    rdr.records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn gzip_bomb_aborts() {
    // 30 articles, a line of 256 MiB of zeros (no line break), 30 more articles, gzipped
    // (about 250 kB on disk). Reading the whole line needed its size in memory twice over; under
    // a 400 MB limit the run aborted. Now the line is skipped as too large, unread.
    let dir = tempfile::tempdir().unwrap();
    let all = articles(60);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(jsonl(&all[..30]).as_bytes()).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..256 {
        gz.write_all(&zeros).unwrap();
    }
    gz.write_all(b"\n").unwrap();
    gz.write_all(jsonl(&all[30..]).as_bytes()).unwrap();
    std::fs::write(dir.path().join("b.jsonl.gz"), gz.finish().unwrap()).unwrap();
    let o = run_limited(
        dir.path(),
        400,
        &[
            "analyze",
            "b.jsonl.gz",
            "--out",
            "out",
            "-k",
            "2",
            "--no-charts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("b.jsonl.gz:31: record too large"),
        "{}",
        stderr(&o)
    );
    let out = dir.path().join("out");
    let p = problems(&out);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        (p[0][0].as_str(), p[0][1].as_str(), p[0][2].as_str()),
        ("b.jsonl.gz", "31", "skipped")
    );
    assert!(p[0][3].contains("268435457 bytes"), "{}", p[0][3]);
    // Nothing readable lost: 60 articles, each with a topic.
    assert_eq!(read(&out.join("assignments.csv")).lines().count(), 61);
    let run: serde_json::Value = serde_json::from_str(&read(&out.join("run.json"))).unwrap();
    assert_eq!(run["counts"]["skipped"], 1);
    assert_eq!(run["skip_reasons"]["record too large"], 1);
}

#[test]
fn gzip_bomb_with_small_record_limit_in_csv_and_text_folder() {
    // The same limit for a CSV record (here a quote left open to the end of a 3 MB file) and a
    // text file, with --max-record-bytes 1M.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,date,title,text\n");
    for a in articles(40) {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            a["id"].as_str().unwrap(),
            a["date"].as_str().unwrap(),
            a["title"].as_str().unwrap(),
            a["text"].as_str().unwrap()
        ));
    }
    csv.push_str("x1,2024-03-01,\"open quote");
    for _ in 0..100_000 {
        csv.push_str(" and on and on\n");
    }
    std::fs::write(dir.path().join("c.csv"), csv).unwrap();
    let texts = dir.path().join("texts");
    std::fs::create_dir(&texts).unwrap();
    std::fs::write(texts.join("2024-03-02-big.txt"), vec![b'z'; 2 << 20]).unwrap();
    std::fs::write(
        texts.join("2024-03-02-small.txt"),
        "Ferry title\nharbour ferry tide",
    )
    .unwrap();
    let o = run_limited(
        dir.path(),
        400,
        &[
            "analyze",
            "c.csv",
            "texts",
            "--out",
            "out",
            "-k",
            "2",
            "--no-charts",
            "--no-events",
            "--max-record-bytes",
            "1M",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let p = problems(&dir.path().join("out"));
    let reasons: Vec<String> = p
        .iter()
        .map(|r| format!("{}:{}: {}", r[0], r[1], r[3]))
        .collect();
    assert!(
        reasons[0].starts_with("c.csv:42: record too large: CSV record"),
        "{}",
        reasons[0]
    );
    // Reading resumed at the first line break after the limit: the rest of the open quote's
    // lines are records of one field, each reported.
    let n = reasons.len();
    let resumed: u64 = reasons[1].split(':').nth(1).unwrap().parse().unwrap();
    assert_eq!(n - 2, (100_000 + 42 - resumed) as usize);
    assert!(reasons[1..n - 1]
        .iter()
        .all(|r| r.contains("CSV record has 1 fields, header has 4")));
    assert!(
        reasons[n - 1].starts_with("texts:1: record too large: file"),
        "{}",
        reasons[n - 1]
    );
    assert!(
        reasons[n - 1].contains("2097152 bytes"),
        "{}",
        reasons[n - 1]
    );
    assert_eq!(
        read(&dir.path().join("out/assignments.csv"))
            .lines()
            .count(),
        42
    );
    // Nothing written outside --out.
    assert_eq!(listing(dir.path()), ["c.csv", "out", "texts"]);
}

#[test]
fn one_extreme_date_kills_the_run() {
    // 100 good articles and two dated 9999-12-31 and 0001-01-01: the run failed ("more than
    // 100000 bins") even with --bin month. Now both are kept, undated, each reported.
    let dir = tempfile::tempdir().unwrap();
    let mut all = articles(102);
    all[40]["date"] = "9999-12-31".into();
    all[77]["date"] = "0001-01-01T00:00:00Z".into();
    std::fs::write(dir.path().join("d.jsonl"), jsonl(&all)).unwrap();
    for bin in ["month", "day", "auto"] {
        let o = run(
            dir.path(),
            &[
                "analyze",
                "d.jsonl",
                "--out",
                "out",
                "-k",
                "2",
                "--bin",
                bin,
                "--no-charts",
            ],
        );
        assert!(o.status.success(), "--bin {bin}: {}", stderr(&o));
        let p = problems(&dir.path().join("out"));
        let got: Vec<(&str, &str)> = p.iter().map(|r| (r[1].as_str(), r[2].as_str())).collect();
        assert_eq!(got, [("41", "bad_date"), ("78", "bad_date")]);
        assert!(
            p[0][3].starts_with("implausible date 9999-12-31"),
            "{}",
            p[0][3]
        );
        assert!(
            p[1][3].starts_with("implausible date 0001-01-01"),
            "{}",
            p[1][3]
        );
        // Kept with a topic, out of the timeline.
        let assignments = read(&dir.path().join("out/assignments.csv"));
        assert_eq!(assignments.lines().count(), 103);
        assert!(assignments.contains("\na40,") && assignments.contains("\na77,"));
        let run: serde_json::Value =
            serde_json::from_str(&read(&dir.path().join("out/run.json"))).unwrap();
        assert_eq!(run["counts"]["undated"], 2);
        assert!(run["timeline"]["first"]
            .as_str()
            .unwrap()
            .starts_with("2024-"));
    }
}

#[test]
fn date_format_replaces_the_built_in_forms() {
    // --date-format made every ISO date unparseable; now it adds a form.
    let dir = tempfile::tempdir().unwrap();
    let mut all = articles(40);
    all[3]["date"] = "17.03.2024".into();
    std::fs::write(dir.path().join("d.jsonl"), jsonl(&all)).unwrap();
    let o = run(
        dir.path(),
        &[
            "analyze",
            "d.jsonl",
            "--out",
            "out",
            "-k",
            "2",
            "--no-charts",
            "--date-format",
            "%d.%m.%Y",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!dir.path().join("out/problems.csv").exists());
    let assignments = read(&dir.path().join("out/assignments.csv"));
    assert!(
        assignments.contains("\na3,1,2024-03-17T00:00:00Z,")
            || assignments.contains("\na3,0,2024-03-17T00:00:00Z,"),
        "{assignments}"
    );
    // An invalid format is an error before anything is read or written.
    let o = run(
        dir.path(),
        &[
            "analyze",
            "d.jsonl",
            "--out",
            "bad",
            "-k",
            "2",
            "--date-format",
            "%d.%m.%Q",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--date-format"), "{}", stderr(&o));
    assert!(stderr(&o).contains("unknown % specifier"), "{}", stderr(&o));
    assert!(!dir.path().join("bad").exists());
}

/// `n` short Chinese articles on two subjects (original sentences), as JSON objects.
fn chinese_articles(n: usize) -> Vec<serde_json::Value> {
    let subjects = [
        [
            "今天北京下大雨",
            "气象台发布暴雨预警",
            "市民出行注意安全",
            "城市道路积水严重",
            "地铁部分线路停运",
        ],
        [
            "昨晚足球比赛主队获胜",
            "球迷在体育场欢呼庆祝",
            "教练赛后接受采访",
            "前锋打进两个进球",
            "联赛积分榜排名上升",
        ],
    ];
    (0..n)
        .map(|i| {
            let s = &subjects[i % 2];
            let text: Vec<&str> = (0..4).map(|j| s[(i + j) % s.len()]).collect();
            serde_json::json!({
                "id": format!("zh{i}"),
                "date": format!("2024-05-{:02}", 1 + i % 28),
                "title": s[i % s.len()],
                "text": text.join("，") + "。",
            })
        })
        .collect()
}

#[test]
fn chinese_text_vanishes_silently() {
    // 80 Chinese and 10 English articles: the 80 were missing from assignments.csv and from
    // problems.csv. Now they are analysed (character bigrams), and any article left without a
    // topic is listed in problems.csv.
    let dir = tempfile::tempdir().unwrap();
    let mut all = chinese_articles(80);
    all.extend(articles(10));
    std::fs::write(dir.path().join("zh.jsonl"), jsonl(&all)).unwrap();
    let o = run(
        dir.path(),
        &[
            "analyze",
            "zh.jsonl",
            "--out",
            "out",
            "-k",
            "3",
            "--no-charts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    let assignments = read(&out.join("assignments.csv"));
    let assigned: Vec<&str> = assignments
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let zh = assigned.iter().filter(|id| id.starts_with("zh")).count();
    assert_eq!(zh, 80, "{assignments}");
    let unreported: Vec<String> = all
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .filter(|id| !assigned.contains(&id.as_str()))
        .collect();
    if !unreported.is_empty() {
        let p = problems(&out);
        for id in &unreported {
            assert!(
                p.iter()
                    .any(|r| r[2] == "no_topic" && r[3].contains(&format!("{id:?}"))),
                "{id} neither assigned nor reported"
            );
        }
    }
    // The two Chinese subjects are told apart.
    let topic_of = |id: &str| {
        assignments
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .map(|l| l.split(',').nth(1).unwrap().to_string())
    };
    assert_eq!(topic_of("zh0"), topic_of("zh2"));
    assert_ne!(topic_of("zh0"), topic_of("zh1"));

    // A pure Chinese file is analysed too.
    std::fs::write(dir.path().join("pure.jsonl"), jsonl(&chinese_articles(60))).unwrap();
    let o = run(
        dir.path(),
        &[
            "analyze",
            "pure.jsonl",
            "--out",
            "pure",
            "-k",
            "2",
            "--no-charts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn no_usable_word_error_does_not_suggest_min_df() {
    // Only numbers and 1-letter words: the error said "lower --min-df", which cannot help.
    let dir = tempfile::tempdir().unwrap();
    let lines: String = (0..30)
        .map(|i| format!("{{\"id\":\"n{i}\",\"text\":\"1 2 3 a b {i}\"}}\n"))
        .collect();
    std::fs::write(dir.path().join("n.jsonl"), lines).unwrap();
    let o = run(
        dir.path(),
        &["analyze", "n.jsonl", "--out", "out", "-k", "2"],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("none of the 180 words of the 30 articles is usable"),
        "{e}"
    );
    assert!(!e.contains("--min-df"), "{e}");
}

#[test]
fn events_out_does_not_notice_that_the_input_changed() {
    // run.json kept relative input paths: `events OUT` failed from any other folder, and
    // silently mixed data when the input had changed since `analyze`.
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    std::fs::write(work.join("in.jsonl"), jsonl(&articles(60))).unwrap();
    let o = run(
        &work,
        &[
            "analyze",
            "in.jsonl",
            "--out",
            "out",
            "-k",
            "2",
            "--no-charts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let run_json: serde_json::Value =
        serde_json::from_str(&read(&work.join("out/run.json"))).unwrap();
    let fp = &run_json["inputs"][0]["fingerprint"];
    assert!(Path::new(fp["path"].as_str().unwrap()).is_absolute());
    assert_eq!(
        fp["size"],
        std::fs::metadata(work.join("in.jsonl")).unwrap().len()
    );
    assert_eq!(fp["xxh3"].as_str().unwrap().len(), 16);
    // From another folder.
    let o = run(dir.path(), &["events", "work/out", "--no-charts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The input changes (same size, other content): events refuses, chart warns.
    let text = read(&work.join("in.jsonl")).replace("harbour", "HARBOUR");
    std::fs::write(work.join("in.jsonl"), text).unwrap();
    let o = run(dir.path(), &["events", "work/out", "--no-charts"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("input in.jsonl changed since the analysis"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("run analyze again"), "{}", stderr(&o));
    let o = run(dir.path(), &["chart", "work/out", "--chart-format", "svg"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("changed since the analysis"),
        "{}",
        stderr(&o)
    );
    // Gone.
    std::fs::remove_file(work.join("in.jsonl")).unwrap();
    let o = run(dir.path(), &["events", "work/out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no longer exists"), "{}", stderr(&o));
}

#[test]
fn concurrent_runs_into_one_out() {
    // Two runs into one folder both exited 0 and left a mix. A held lock now refuses the
    // second run with a clear message, and racing runs leave one run's files.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.jsonl"), jsonl(&articles(80))).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let lock = std::fs::File::create(out.join(".topictrack.lock")).unwrap();
    lock.lock().unwrap();
    let o = run(
        dir.path(),
        &["analyze", "in.jsonl", "--out", "out", "-k", "2"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("another topictrack run is writing to this folder"),
        "{}",
        stderr(&o)
    );
    assert_eq!(listing(&out), [".topictrack.lock"]);
    drop(lock);

    for trial in 0..3 {
        let spawn = |k: &str| {
            std::process::Command::new(exe())
                .current_dir(dir.path())
                .args([
                    "analyze",
                    "in.jsonl",
                    "--out",
                    "out",
                    "--no-charts",
                    "-q",
                    "-k",
                    k,
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("2"), spawn("3"));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert!(a.status.success() || b.status.success(), "trial {trial}");
        for o in [&a, &b] {
            if !o.status.success() {
                assert!(
                    stderr(o).contains("another topictrack run"),
                    "{}",
                    stderr(o)
                );
            }
        }
        // One run's files: topics.json and assignments.csv agree with run.json's k.
        let run_json: serde_json::Value =
            serde_json::from_str(&read(&out.join("run.json"))).unwrap();
        let k = run_json["k"].as_u64().unwrap() as usize;
        let topics: Vec<serde_json::Value> =
            serde_json::from_str(&read(&out.join("topics.json"))).unwrap();
        assert_eq!(topics.len(), k, "trial {trial}");
        let max_topic = read(&out.join("assignments.csv"))
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().parse::<usize>().unwrap())
            .max()
            .unwrap();
        assert!(max_topic < k, "trial {trial}");
        for f in run_json["outputs"].as_array().unwrap() {
            assert!(out.join(f.as_str().unwrap()).exists(), "{f}");
        }
    }
}

#[test]
fn interrupted_runs_leave_hidden_tmp_files_and_stale_model_json() {
    // Leftover temporary files were never removed, and a rerun without --save-model kept the
    // earlier model.json (problems.csv likewise); a failed run replaced the earlier outputs.
    let dir = tempfile::tempdir().unwrap();
    let mut all = articles(60);
    all[5]["date"] = "whenever".into();
    std::fs::write(dir.path().join("in.jsonl"), jsonl(&all)).unwrap();
    let o = run(
        dir.path(),
        &[
            "analyze",
            "in.jsonl",
            "--out",
            "out",
            "-k",
            "2",
            "--save-model",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    assert!(out.join("model.json").exists() && out.join("problems.csv").exists());
    // What an interrupted run leaves behind.
    std::fs::write(out.join(".topictrack-AbC123.tmp"), vec![b'x'; 4096]).unwrap();
    std::fs::write(out.join("charts/.topictrack-Zz9.tmp"), "x").unwrap();
    std::fs::create_dir(out.join(".topictrack-staging-old")).unwrap();
    std::fs::write(out.join(".topictrack-staging-old/topics.json"), "[]").unwrap();
    std::fs::write(out.join("notes.md"), "mine").unwrap();

    // A failing run (unreadable input) changes nothing.
    let before: Vec<(String, Vec<u8>)> =
        ["topics.json", "assignments.csv", "run.json", "model.json"]
            .iter()
            .map(|f| (f.to_string(), std::fs::read(out.join(f)).unwrap()))
            .collect();
    std::fs::write(dir.path().join("empty.jsonl"), "{broken\n").unwrap();
    let o = run(
        dir.path(),
        &["analyze", "empty.jsonl", "--out", "out", "-k", "2"],
    );
    assert_eq!(o.status.code(), Some(2));
    for (f, bytes) in &before {
        assert_eq!(
            &std::fs::read(out.join(f)).unwrap(),
            bytes,
            "{f} changed by a failed run"
        );
    }

    // A rerun without --save-model, on input without problems, in SVG only.
    all[5]["date"] = "2024-03-06".into();
    std::fs::write(dir.path().join("in.jsonl"), jsonl(&all)).unwrap();
    let o = run(
        dir.path(),
        &[
            "analyze",
            "in.jsonl",
            "--out",
            "out",
            "-k",
            "2",
            "--chart-format",
            "svg",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let files = listing(&out);
    assert_eq!(
        files,
        [
            ".topictrack.lock",
            "articles.jsonl",
            "assignments.csv",
            "charts",
            "events.csv",
            "events.json",
            "notes.md",
            "report.html",
            "run.json",
            "stories.csv",
            "stories.json",
            "surges.json",
            "themes.json",
            "timeline.csv",
            "topics.json"
        ]
    );
    let charts = listing(&out.join("charts"));
    assert!(charts.iter().all(|c| c.ends_with(".svg")), "{charts:?}");
    let run_json: serde_json::Value = serde_json::from_str(&read(&out.join("run.json"))).unwrap();
    let outputs: Vec<&str> = run_json["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(outputs.contains(&"charts/volume.svg") && outputs.contains(&"run.json"));
    assert!(!outputs.contains(&"model.json"));
}

/// Bytes a terminal or an XML parser would act on: C0 controls but line break, DEL, and the
/// UTF-8 of C1 controls.
fn control_bytes(b: &[u8]) -> usize {
    let text = String::from_utf8_lossy(b);
    text.chars()
        .filter(|&c| c.is_control() && c != '\n')
        .count()
}

#[test]
fn terminal_injection() {
    // A title holding an OSC (set window title) and an SGR (red) sequence was printed raw in
    // the stdout topic table; an id holding one reached the warnings on stderr.
    let dir = tempfile::tempdir().unwrap();
    let mut all = articles(60);
    for a in all.iter_mut() {
        a["title"] = format!(
            "\u{1b}]0;pwned\u{7}\u{1b}[31m{}\u{9b}2J",
            a["title"].as_str().unwrap()
        )
        .into();
    }
    all[7]["id"] = "\u{1b}[2Jid".into();
    all[8]["id"] = "\u{1b}[2Jid".into();
    all[9]["date"] = "\u{1b}[5mwhen".into();
    std::fs::write(dir.path().join("t.jsonl"), jsonl(&all)).unwrap();
    let o = run(
        dir.path(),
        &["analyze", "t.jsonl", "--out", "out", "-k", "2"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("pwned"),
        "the titles are shown: {}",
        stdout(&o)
    );
    assert_eq!(control_bytes(&o.stdout), 0, "{:?}", stdout(&o));
    assert_eq!(control_bytes(&o.stderr), 0, "{:?}", stderr(&o));
    // The charts are valid XML text (no control characters), the report too.
    for f in ["charts/terms.svg", "charts/volume.svg", "report.html"] {
        let bytes = std::fs::read(dir.path().join("out").join(f)).unwrap();
        assert_eq!(
            control_bytes(
                &bytes
                    .iter()
                    .copied()
                    .filter(|&b| b != b'\t' && b != b'\r')
                    .collect::<Vec<u8>>()
            ),
            0,
            "{f}"
        );
    }
}

#[test]
fn control_characters_in_by_values_make_compare_svg_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let mut all = articles(80);
    for (i, a) in all.iter_mut().enumerate() {
        a["source"] = if i % 2 == 0 {
            "Gazette\u{1}\u{1b}[1m"
        } else {
            "Courier\u{8}\u{0c}"
        }
        .into();
    }
    std::fs::write(dir.path().join("c.jsonl"), jsonl(&all)).unwrap();
    let o = run(
        dir.path(),
        &[
            "compare",
            "c.jsonl",
            "--by",
            "source",
            "--out",
            "out",
            "-k",
            "2",
            "--chart-format",
            "svg",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(control_bytes(&o.stdout), 0, "{:?}", stdout(&o));
    let charts = dir.path().join("out/charts");
    let mut n = 0;
    for f in listing(&charts) {
        if f.starts_with("compare_") && f.ends_with(".svg") {
            let bytes = std::fs::read(charts.join(&f)).unwrap();
            let bad = bytes
                .iter()
                .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
                .count();
            assert_eq!(bad, 0, "{f} has characters XML forbids");
            assert!(String::from_utf8_lossy(&bytes).contains("Gazette"), "{f}");
            n += 1;
        }
    }
    assert!(n >= 2, "compare charts drawn: {n}");
}

#[test]
fn every_record_skipped_gives_only_a_count() {
    // A JSON array file, a TSV named .csv, UTF-16 and a gzipped JSONL named .csv: the error
    // gave only a count, and no problems.csv. Now it names the likely cause and lists them.
    let dir = tempfile::tempdir().unwrap();
    let all = articles(20);
    let array = serde_json::to_string_pretty(&all).unwrap();
    let mut tsv = String::from("id\tdate\ttitle\ttext\n");
    for a in &all {
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            a["id"].as_str().unwrap(),
            a["date"].as_str().unwrap(),
            a["title"].as_str().unwrap(),
            a["text"].as_str().unwrap()
        ));
    }
    let mut utf16 = vec![0xFF, 0xFE];
    for u in jsonl(&all).encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(jsonl(&all).as_bytes()).unwrap();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("array.jsonl", array.into_bytes(), "looks like a JSON array"),
        (
            "tabs.csv",
            tsv.into_bytes(),
            "looks like TSV, use --format tsv",
        ),
        ("wide.jsonl", utf16, "looks like UTF-16"),
        (
            "packed.csv",
            gz.finish().unwrap(),
            "looks like gzipped JSON Lines, not CSV: use --format jsonl",
        ),
    ];
    for (name, bytes, cause) in cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let out = format!("out-{name}");
        let o = run(dir.path(), &["analyze", name, "--out", &out, "-k", "2"]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let e = stderr(&o);
        assert!(
            e.contains(&format!("no article could be read from {name}")),
            "{name}: {e}"
        );
        assert!(e.contains(cause), "{name}: {e}");
        assert!(
            e.contains("every skipped record is listed in"),
            "{name}: {e}"
        );
        let p = problems(&dir.path().join(&out));
        assert!(
            !p.is_empty() && p.iter().all(|r| r[0] == name && r[2] == "skipped"),
            "{name}: {p:?}"
        );
    }
    // Over an earlier run's folder, the list goes beside it and the earlier files stay.
    std::fs::write(dir.path().join("good.jsonl"), jsonl(&all)).unwrap();
    let o = run(
        dir.path(),
        &[
            "analyze",
            "good.jsonl",
            "--out",
            "kept",
            "-k",
            "2",
            "--no-charts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let before = std::fs::read(dir.path().join("kept/assignments.csv")).unwrap();
    let o = run(
        dir.path(),
        &["analyze", "tabs.csv", "--out", "kept", "-k", "2"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(dir.path().join("kept/problems-of-failed-run.csv").exists());
    assert!(!dir.path().join("kept/problems.csv").exists());
    assert_eq!(
        std::fs::read(dir.path().join("kept/assignments.csv")).unwrap(),
        before
    );
}

#[test]
fn formula_injection() {
    // Ids and --by values starting with =, +, -, @, tab or CR went verbatim into the CSVs that
    // journalists open in spreadsheets. They now get a leading ' (numbers stay numbers), and
    // the run says which ids changed.
    let dir = tempfile::tempdir().unwrap();
    let mut all = articles(80);
    let evil = [
        "=HYPERLINK(\"http://example.invalid\",\"x\")",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "+1+1",
        "\t=1",
        "-5",
    ];
    for (a, id) in all.iter_mut().zip(evil) {
        a["id"] = id.into();
    }
    for (i, a) in all.iter_mut().enumerate() {
        a["source"] = if i % 2 == 0 {
            "=cmd|' /C calc'!A0"
        } else {
            "Courier"
        }
        .into();
    }
    all[20]["date"] = "=1+1".into();
    std::fs::write(dir.path().join("=in.jsonl"), jsonl(&all)).unwrap();
    let o = run(
        dir.path(),
        &[
            "analyze",
            "=in.jsonl",
            "--out",
            "out",
            "-k",
            "2",
            "--no-charts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("5 ids in assignments.csv start with"),
        "{}",
        stderr(&o)
    );
    let mut rdr = csv::Reader::from_path(dir.path().join("out/assignments.csv")).unwrap();
    let ids: Vec<String> = rdr.records().map(|r| r.unwrap()[0].to_string()).collect();
    for id in &evil[..5] {
        assert!(ids.contains(&format!("'{id}")), "{id} not escaped: {ids:?}");
    }
    assert!(ids.contains(&"-5".to_string()));
    // pandas-style round trip: stripping the one ' gives back the input's ids.
    let back: Vec<String> = ids
        .iter()
        .map(|i| i.strip_prefix('\'').unwrap_or(i).to_string())
        .collect();
    for id in evil {
        assert!(back.contains(&id.to_string()));
    }
    let p = problems(&dir.path().join("out"));
    assert_eq!(p[0][0], "'=in.jsonl");
    // events matches the escaped ids back to the articles.
    let o = run(dir.path(), &["events", "out", "--no-charts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(
        dir.path(),
        &[
            "compare",
            "=in.jsonl",
            "--by",
            "source",
            "--out",
            "cmp",
            "-k",
            "2",
            "--no-charts",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let comparison = read(&dir.path().join("cmp/comparison.csv"));
    assert!(comparison.contains(",'=cmd|' /C calc'!A0,"), "{comparison}");
    assert!(!comparison.contains(",=cmd"), "{comparison}");
}
