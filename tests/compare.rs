//! `compare` end to end: collections of known label mix from the BBC corpus (the differences
//! put in must come out, with the right sign, and the ones not put in must not), random halves
//! of one collection (no difference may be found after correction), and the demo corpus split
//! by outlet and by period.
//!
//! The BBC corpus comes from `TOPICTRACK_CORPORA` (default `../shared/data`); those tests are
//! skipped with a loud message when it is absent.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::path::Path;

use common::{bin, corpus, demo, read};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use topictrack::compare::{self, Collections, CompareParams, Grouping};
use topictrack::ParamGuard;

/// The records of a JSONL(.gz) file, in order.
fn records(path: &Path) -> Vec<serde_json::Value> {
    let f = std::fs::File::open(path).unwrap();
    let r: Box<dyn std::io::Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(f))
    } else {
        Box::new(f)
    };
    std::io::BufReader::new(r)
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect()
}

fn write_jsonl(path: &Path, recs: &[&serde_json::Value]) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for r in recs {
        writeln!(f, "{r}").unwrap();
    }
}

/// `assignments.csv` → id → (topic, collection).
fn assignments(out: &Path) -> HashMap<String, (usize, String)> {
    let mut rdr = csv::Reader::from_path(out.join("assignments.csv")).unwrap();
    assert_eq!(
        rdr.headers().unwrap(),
        vec!["id", "topic", "date", "score", "collection"]
    );
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), (r[1].parse().unwrap(), r[4].to_string()))
        })
        .collect()
}

/// The majority gold label of each topic's articles.
fn majority(
    assign: &HashMap<String, (usize, String)>,
    gold: &HashMap<String, String>,
) -> BTreeMap<usize, String> {
    let mut tally: BTreeMap<usize, BTreeMap<String, usize>> = BTreeMap::new();
    for (id, (t, _)) in assign {
        *tally
            .entry(*t)
            .or_default()
            .entry(gold[id].clone())
            .or_default() += 1;
    }
    tally
        .into_iter()
        .map(|(t, m)| {
            let best = m
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .unwrap();
            (t, best.0.clone())
        })
        .collect()
}

/// One row of `comparison.csv`.
#[derive(Debug)]
struct Row {
    count: u64,
    share: f64,
    diff: f64,
    p: f64,
    q: f64,
}

/// `comparison.csv` → (topic, collection) → row; checks the header.
fn comparison_rows(out: &Path) -> BTreeMap<(usize, String), Row> {
    let text = read(&out.join("comparison.csv"));
    assert!(text.starts_with("topic,collection,count,share,ci_low,ci_high,diff,p,q\n"));
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let f = |i: usize| r[i].parse::<f64>().unwrap();
            let (lo, hi, share) = (f(4), f(5), f(3));
            assert!(lo <= share && share <= hi, "{r:?}");
            (
                (r[0].parse().unwrap(), r[1].to_string()),
                Row {
                    count: r[2].parse().unwrap(),
                    share,
                    diff: f(6),
                    p: f(7),
                    q: f(8),
                },
            )
        })
        .collect()
}

#[test]
fn bbc_label_mix_sport_and_tech_differ_business_does_not() {
    let Some(bbc) = corpus("bbc.jsonl.gz") else {
        return;
    };
    let recs = records(&bbc);
    let label = |r: &serde_json::Value| r["label"].as_str().unwrap().to_string();
    let of = |l: &str| recs.iter().filter(|r| label(r) == l).collect::<Vec<_>>();
    let (sport, tech, mut business) = (of("sport"), of("tech"), of("business"));
    assert_eq!((sport.len(), tech.len(), business.len()), (511, 401, 510));
    // Business split so that it has the same share in both: x / (511 + x) = (510 − x) / (911 − x)
    // → x = 260610 / 912 ≈ 286 → A = 511 sport + 286 business (35.9% business),
    // B = 224 business + 401 tech (35.8%).
    business.shuffle(&mut rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7));
    let a: Vec<_> = sport.iter().chain(&business[..286]).copied().collect();
    let b: Vec<_> = business[286..].iter().chain(&tech).copied().collect();
    let dir = tempfile::tempdir().unwrap();
    let (pa, pb) = (dir.path().join("A.jsonl"), dir.path().join("B.jsonl"));
    write_jsonl(&pa, &a);
    write_jsonl(&pb, &b);
    let out = dir.path().join("out");
    let assert = bin()
        .arg("compare")
        .args([&pa, &pb])
        .args(["--names", "A,B", "-k", "5", "--no-charts", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    eprintln!("{stdout}");

    let gold: HashMap<String, String> = recs
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), label(r)))
        .collect();
    let assign = assignments(&out);
    assert_eq!(assign.len(), a.len() + b.len());
    assert!(assign.values().all(|(_, c)| c == "A" || c == "B"));
    let maj = majority(&assign, &gold);
    let rows = comparison_rows(&out);
    eprintln!("topic  majority   A share   B share   diff(A−B)        p          q");
    for (t, l) in &maj {
        let (ra, rb) = (&rows[&(*t, "A".into())], &rows[&(*t, "B".into())]);
        eprintln!(
            "{t:>5}  {l:<9} {:>7.1}% {:>8.1}% {:>+10.1} pp {:>10.3e} {:>10.3e}   (counts {} / {})",
            ra.share * 100.0,
            rb.share * 100.0,
            ra.diff * 100.0,
            ra.p,
            ra.q,
            ra.count,
            rb.count
        );
        assert!(
            (ra.diff + rb.diff).abs() < 1e-9,
            "two collections: B's diff is −A's"
        );
        match l.as_str() {
            "sport" => assert!(
                ra.q < 0.05 && ra.diff > 0.0,
                "sport topic {t} should be more in A: {ra:?}"
            ),
            "tech" => assert!(
                ra.q < 0.05 && ra.diff < 0.0,
                "tech topic {t} should be more in B: {ra:?}"
            ),
            "business" => assert!(ra.q >= 0.05, "business topic {t} should not differ: {ra:?}"),
            other => {
                panic!("unexpected majority label {other} (only sport, business, tech were given)")
            }
        }
    }
    for l in ["sport", "tech", "business"] {
        assert!(maj.values().any(|m| m == l), "no {l} topic among {maj:?}");
    }
    // comparison.json agrees with the CSV and says which test ran.
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("comparison.json"))).unwrap();
    assert_eq!(json["topics"][0]["test"], "two_proportion_z");
    assert_eq!(json["collections"][0]["articles"], a.len() as u64);
    assert!(out.join("distinctive_terms.csv").exists() && out.join("run.json").exists());
}

#[test]
fn bbc_random_halves_show_no_significant_topic() {
    let Some(bbc) = corpus("bbc.jsonl.gz") else {
        return;
    };
    // One model on the whole corpus; the halves are random splits of it, so no topic's share
    // differs in truth, and under that null Benjamini–Hochberg keeps the chance of any finding
    // in a split at ≤ α = 5%. Two checks, fixed before looking at the results:
    // 1. the first 10 seeds: at most one split with any q < 0.05;
    // 2. calibration over 200 seeds: at most 9% of the splits with a finding (5% expected;
    //    P(Binomial(200, 0.05) > 18) < 0.5%), and the per-topic p-values below 0.05 at
    //    2–9% (uniform p-values give 5%).
    let params = topictrack::pipeline::AnalyzeParams {
        cluster: topictrack::cluster::ClusterParams {
            k: topictrack::cluster::KChoice::Fixed(5),
            ..Default::default()
        },
        ..Default::default()
    };
    let analysis = topictrack::pipeline::analyze(
        &[bbc.to_string_lossy().into_owned()],
        &params,
        &topictrack::pipeline::Silent,
    )
    .unwrap();
    let n = analysis.corpus.articles.len();
    let cparams = CompareParams::default().check().unwrap();
    let (mut splits_with_findings, mut first10_with_findings) = (0, 0);
    let (mut tests, mut p_below) = (0usize, 0usize);
    for seed in 1..=200u64 {
        let mut idx: Vec<usize> = (0..n).collect();
        idx.shuffle(&mut rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed));
        let mut of_article = vec![Some(1usize); n];
        for &i in &idx[..n / 2] {
            of_article[i] = Some(0);
        }
        let coll = Collections {
            names: vec!["half 1".into(), "half 2".into()],
            of_article,
            excluded: Default::default(),
            grouping: Grouping::Inputs,
        };
        let cmp = compare::compare(&analysis, &coll, &cparams).unwrap();
        let found = cmp.significant().count();
        tests += cmp.topics.len();
        p_below += cmp.topics.iter().filter(|t| t.p < 0.05).count();
        if found > 0 {
            splits_with_findings += 1;
        }
        if seed <= 10 {
            let min_q = cmp.topics.iter().map(|t| t.q).fold(1.0, f64::min);
            let min_p = cmp.topics.iter().map(|t| t.p).fold(1.0, f64::min);
            // Term z-scores are not p-values (words are bursty within articles, which the
            // log-odds variance ignores): shown for information only.
            let strongest = cmp
                .distinctive
                .iter()
                .filter(|l| l.scope == compare::Scope::Overall)
                .flat_map(|l| l.terms.first().map(|t| (t.z, t.term.clone())))
                .fold((0.0, String::new()), |a, b| if b.0 > a.0 { b } else { a });
            eprintln!(
                "seed {seed:>2}: smallest p {min_p:.4}, smallest q {min_q:.4}, significant topics {found}, \
                 JSD {:.5} (chance ≈ {:.5}), strongest term z {:.1} ({})",
                cmp.divergence[0].jsd, cmp.divergence[0].expected_if_same, strongest.0, strongest.1
            );
            if found > 0 {
                first10_with_findings += 1;
            }
        }
    }
    let split_rate = splits_with_findings as f64 / 200.0;
    let p_rate = p_below as f64 / tests as f64;
    eprintln!(
        "random halves: {first10_with_findings} of the first 10 splits and {splits_with_findings} of 200 \
         ({:.1}%) with a significant topic; {:.1}% of {tests} per-topic p-values below 0.05",
        split_rate * 100.0,
        p_rate * 100.0
    );
    assert!(
        first10_with_findings <= 1,
        "{first10_with_findings} of 10 random splits reported a difference"
    );
    assert!(
        split_rate <= 0.09,
        "{splits_with_findings} of 200 random splits reported a difference"
    );
    assert!(
        (0.02..=0.09).contains(&p_rate),
        "per-topic p < 0.05 in {p_rate} of the tests"
    );
}

#[test]
fn demo_by_source_finds_the_outlets_emphasis() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let assert = bin()
        .args([
            "compare",
            "--by",
            "source",
            "--chart-format",
            "svg",
            "-q",
            "--out",
        ])
        .arg(&out)
        .arg(demo())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("differ significantly"), "{stdout}");
    let recs = records(&demo());
    let gold: HashMap<String, String> = recs
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["topic"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let assign = assignments(&out);
    let maj = majority(&assign, &gold);
    let rows = comparison_rows(&out);
    let (g, v) = ("Harbour Gazette".to_string(), "Valley Courier".to_string());
    for (t, l) in &maj {
        let r = &rows[&(*t, g.clone())];
        assert!(rows.contains_key(&(*t, v.clone())));
        // The README's emphasis: strike and football in the Gazette, drought in the Courier;
        // the bridge collapse was covered equally (28 and 28).
        match l.as_str() {
            "harbour-strike" | "football-title" => {
                assert!(r.q < 0.05 && r.diff > 0.0, "{l}: {r:?}")
            }
            "drought-farms" => assert!(r.q < 0.05 && r.diff < 0.0, "{l}: {r:?}"),
            "westmere-bridge" | "interest-rates" => assert!(r.q >= 0.05, "{l}: {r:?}"),
            _ => {}
        }
    }
    // Every output, charts included, and the comparison section of the report.
    for f in [
        "comparison.json",
        "distinctive_terms.csv",
        "topics.json",
        "timeline.csv",
        "run.json",
        "report.html",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    for c in [
        "compare_diff",
        "compare_terms",
        "compare_timeline",
        "volume",
    ] {
        assert!(out.join("charts").join(format!("{c}.svg")).exists(), "{c}");
    }
    let html = read(&out.join("report.html"));
    assert!(html.contains("<section id=\"comparison\">") && html.contains("chart-compare_diff"));
    let terms = read(&out.join("distinctive_terms.csv"));
    assert!(terms.starts_with(
        "scope,topic,collection,rank,term,log_odds,z,count,other_count,beyond_chance\n"
    ));
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("comparison.json"))).unwrap();
    assert_eq!(json["grouping"]["kind"], "field");
    assert_eq!(json["timeline"]["unit"], "week");
    // The bridge collapse (no article before 10 April) is first covered on 10 April.
    let bridge = maj
        .iter()
        .find(|(_, l)| *l == "westmere-bridge")
        .map(|(t, _)| *t)
        .unwrap();
    let first = &json["coverage"][bridge]["first"];
    assert!(
        first
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d.as_str().is_some_and(|d| d >= "2025-04-10")),
        "{first}"
    );
}

#[test]
fn demo_by_periods_and_what_falls_outside() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    // The bridge collapses on 10 April: absent from the first period, large in the second.
    // Periods end on 31 May, so the 29 days of June fall outside and are counted.
    let assert = bin()
        .args([
            "compare",
            "--periods",
            "2025-01-01..2025-03-31,2025-04-01..2025-05-31",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .arg(demo())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("comparison.json"))).unwrap();
    let outside = json["excluded"]["outside_periods"].as_u64().unwrap();
    assert!(outside > 50, "{}", json["excluded"]);
    assert!(
        stderr.contains(&format!("{outside} articles are in no collection")),
        "{stderr}"
    );
    assert_eq!(json["collections"][0]["name"], "2025-01-01..2025-03-31");
    assert!(json["coverage"].as_array().unwrap().is_empty());
    let recs = records(&demo());
    let gold: HashMap<String, String> = recs
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["topic"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let maj = majority(&assignments(&out), &gold);
    let rows = comparison_rows(&out);
    let bridge = maj
        .iter()
        .find(|(_, l)| *l == "westmere-bridge")
        .map(|(t, _)| *t)
        .unwrap();
    let first = &rows[&(bridge, "2025-01-01..2025-03-31".to_string())];
    assert_eq!(first.count, 0);
    assert!(first.q < 0.05 && first.diff < 0.0, "{first:?}");
}

#[test]
fn compare_refuses_one_collection_and_bad_settings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    let one = bin()
        .arg("compare")
        .arg(demo())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&one.get_output().stderr).to_string();
    assert!(err.contains("two inputs or more"), "{err}");
    let bad = bin()
        .args(["compare", "--by", "source", "--alpha", "2", "--out"])
        .arg(&out)
        .arg(demo())
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&bad.get_output().stderr).contains("--alpha"));
    let overlap = bin()
        .args([
            "compare",
            "--periods",
            "2025-01-01..2025-03-31,2025-03-01..2025-05-31",
            "--out",
        ])
        .arg(&out)
        .arg(demo())
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&overlap.get_output().stderr).contains("overlap"));
    let names = bin()
        .args([
            "compare",
            "--by",
            "source",
            "--names",
            "a,b,c",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .arg(demo())
        .assert()
        .code(2);
    assert!(
        String::from_utf8_lossy(&names.get_output().stderr).contains("3 names for 2 collections")
    );
}
