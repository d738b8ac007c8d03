use chrono::{TimeZone, Utc};

use super::*;
use crate::ParamGuard;

fn article(i: usize, day: Option<u32>, group: Option<&str>, input: u32) -> Article {
    Article {
        id: format!("d{i}"),
        date: day.map(|d| Utc.with_ymd_and_hms(2025, 1, d, 9, 0, 0).unwrap()),
        title: format!("title {i}"),
        text: String::new(),
        labels: vec![],
        group: group.map(String::from),
        input,
        line: i as u64 + 1,
        vector: None,
    }
}

/// Ten articles: four in A (topics 0,0,0,1), four in B (0,1,1,1), one in A without a topic,
/// one without a group. Terms: 0 "harbour" (A's), 1 "drought" (B's), 2 "minister" (everywhere).
struct Fixture {
    articles: Vec<Article>,
    assignments: Vec<Option<usize>>,
    counts: CsMat<f32>,
    timeline: Timeline,
}

fn fixture() -> Fixture {
    let groups = ["A", "A", "A", "A", "B", "B", "B", "B", "A"];
    let topics = [
        Some(0),
        Some(0),
        Some(0),
        Some(1),
        Some(0),
        Some(1),
        Some(1),
        Some(1),
        None,
        Some(0),
    ];
    let mut articles: Vec<Article> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| article(i, Some(1 + i as u32), Some(g), 0))
        .collect();
    articles.push(article(9, Some(2), None, 0));
    let mut tri = sprs::TriMat::new((10, 3));
    for (i, t) in topics.iter().enumerate() {
        if t.is_none() {
            continue;
        }
        let own = if groups.get(i) == Some(&"B") { 1 } else { 0 };
        tri.add_triplet(i, own, 3.0f32);
        tri.add_triplet(i, 2, 1.0f32);
    }
    let dates: Vec<_> = articles.iter().map(|a| a.date).collect();
    let timeline = Timeline::build(&dates, &topics, 2, crate::timeline::BinUnit::Day).unwrap();
    Fixture {
        articles,
        assignments: topics.to_vec(),
        counts: tri.to_csr(),
        timeline,
    }
}

fn run(f: &Fixture, coll: &Collections) -> Comparison {
    let labels = ["port, strike".to_string(), "farms, rain".to_string()];
    let terms = [
        "harbour".to_string(),
        "drought".to_string(),
        "minister".to_string(),
    ];
    let input = CompareInput {
        articles: &f.articles,
        assignments: &f.assignments,
        topic_labels: &labels,
        counts: &f.counts,
        term_labels: &terms,
        timeline: &f.timeline,
    };
    compare_parts(&input, coll, &CompareParams::default().check().unwrap()).unwrap()
}

#[test]
fn two_collections_by_hand() {
    let f = fixture();
    let coll = Collections::build(
        &f.articles,
        &Grouping::Field {
            field: "source".into(),
        },
        &[],
    )
    .unwrap();
    assert_eq!(coll.names, ["A", "B"]);
    assert_eq!(
        coll.excluded,
        Excluded {
            without_group: 1,
            ..Default::default()
        }
    );
    let c = run(&f, &coll);
    assert_eq!(c.collections[0].articles, 5);
    assert_eq!(
        (c.collections[0].with_topic, c.collections[0].without_topic),
        (4, 1)
    );
    assert_eq!(c.collections[1].with_topic, 4);
    // Topic 0: 3/4 vs 1/4. Pooled ½: se = √(¼ · ½) = 0.353553, z = 0.5 / 0.353553 = 1.414214,
    // p = 2(1 − Φ(1.414214)) = 0.157299. Topic 1 mirrors it. BH: 2·p/1 and 2·p/2 → q = p.
    let t0 = &c.topics[0];
    assert_eq!(t0.test, TestKind::TwoProportionZ);
    assert!((t0.statistic - 2f64.sqrt()).abs() < 1e-12);
    assert!((t0.p - 0.157_299_207_050_285_1).abs() < 1e-10, "{}", t0.p);
    assert!((t0.q - t0.p).abs() < 1e-15);
    assert!(!t0.significant);
    assert_eq!(t0.diff, Some(0.5));
    assert_eq!((t0.cells[0].count, t0.cells[0].total), (3, 4));
    assert_eq!(t0.cells[1].diff, -0.5);
    assert!((t0.cells[0].z - 2f64.sqrt()).abs() < 1e-12);
    assert!((c.topics[1].statistic + 2f64.sqrt()).abs() < 1e-12);
    // Wilson interval of 3/4 (scipy: 0.300642, 0.954413).
    assert!(
        (t0.cells[0].ci_low - 0.300_641_842_582_401_8).abs() < 1e-9,
        "{}",
        t0.cells[0].ci_low
    );
    // JSD([¾, ¼], [¼, ¾]) = 2 · ½ · (¾ log₂1.5 + ¼ log₂0.5) = 0.188722;
    // expected if same: (2 − 1)(¼ + ¼)/(8 ln 2) = 0.090168.
    assert!((c.divergence[0].jsd - 0.188_722).abs() < 1e-6);
    assert!((c.divergence[0].expected_if_same - 0.090_168).abs() < 1e-6);
    // Distinctive terms: harbour for A, drought for B, overall and in topic 0.
    let top = |scope: Scope, topic: Option<usize>, coll: &str| {
        c.distinctive
            .iter()
            .find(|l| l.scope == scope && l.topic == topic && l.collection == coll)
            .map(|l| l.terms[0].term.clone())
    };
    assert_eq!(top(Scope::Overall, None, "A").as_deref(), Some("harbour"));
    assert_eq!(top(Scope::Overall, None, "B").as_deref(), Some("drought"));
    assert_eq!(top(Scope::Topic, Some(0), "B").as_deref(), Some("drought"));
    assert_eq!(c.collections[0].terms, 16);
    // Timelines: days 1..=9 (+ the excluded article on day 2 counts in neither).
    assert_eq!(c.timeline.counts[0][0].iter().sum::<u32>(), 3);
    assert_eq!(c.timeline.totals[1].iter().sum::<u32>(), 4);
    assert_eq!(c.coverage[0].first_leader.as_deref(), Some("A"));
    assert_eq!(
        c.coverage[1].first[1].map(|d| d.to_string()).as_deref(),
        Some("2025-01-06")
    );
    // The summary names no significant topic.
    let s = summary_table(&c);
    assert!(s.contains("0 of 2 topics differ significantly"), "{s}");
    // JSON round trip.
    let back: Comparison = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(back, c);
}

#[test]
fn three_collections_use_chi_square() {
    let f = fixture();
    // Inputs: articles 0–2 from input 0, 3–5 from 1, 6–9 from 2.
    let mut f2 = f;
    for (i, a) in f2.articles.iter_mut().enumerate() {
        a.input = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2][i];
    }
    let names = input_names(&["x/a.jsonl.gz".into(), "b.csv".into(), "c".into()]);
    assert_eq!(names, ["a", "b", "c"]);
    let coll = Collections::build(&f2.articles, &Grouping::Inputs, &names).unwrap();
    let c = run(&f2, &coll);
    // Topic 0 per collection: a = 3/3, b = 1/3 (topics 1,0,1), c = 1/3 (topic 1, none, 0... ).
    let t0 = &c.topics[0];
    assert_eq!(t0.test, TestKind::ChiSquare);
    assert_eq!(t0.df, 2);
    let xs: Vec<u64> = t0.cells.iter().map(|x| x.count).collect();
    let ns: Vec<u64> = t0.cells.iter().map(|x| x.total).collect();
    assert_eq!((xs.clone(), ns.clone()), (vec![3, 1, 1], vec![3, 3, 3]));
    // By hand: p̂ = 5/9, p̂(1 − p̂) = 20/81; X² = ((3 − 5/3)² + 2·(1 − 5/3)²)/(3 · 20/81)
    // = (16/9 + 8/9)/(60/81) = (24/9)·(81/60) = 3.6, df 2, p = e^{−1.8} = 0.165299.
    assert!((t0.statistic - 3.6).abs() < 1e-12);
    assert!((t0.p - (-1.8f64).exp()).abs() < 1e-12);
    // Diff of a against the others: 1 − 2/6 = ⅔.
    assert!((t0.cells[0].diff - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(t0.diff, None);
    assert_eq!(c.divergence.len(), 3);
    assert_eq!(c.coverage[0].lags.len(), 3);
}

#[test]
fn periods_count_what_they_leave_out() {
    let f = fixture();
    let mut arts = f.articles.clone();
    arts[0].date = None;
    let p = |s: &str| s.parse::<Period>().unwrap();
    let periods = vec![p("2025-01-02..2025-01-04"), p("2025-01-05..=2025-01-07")];
    let coll = Collections::build(
        &arts,
        &Grouping::Periods {
            periods: periods.clone(),
        },
        &[],
    )
    .unwrap();
    assert_eq!(
        coll.names,
        ["2025-01-02..2025-01-04", "2025-01-05..2025-01-07"]
    );
    // Days: article i is on day i + 1, article 9 on day 2; article 0 undated.
    // In period 1: days 2, 3, 4 → articles 1, 2, 3, 9; period 2: days 5–7 → 4, 5, 6; days 8, 9 out.
    assert_eq!(
        coll.excluded,
        Excluded {
            undated: 1,
            outside_periods: 2,
            without_group: 0
        }
    );
    assert_eq!(coll.of_article.iter().filter(|c| **c == Some(0)).count(), 4);
    let c = run(
        &Fixture {
            articles: arts,
            ..f
        },
        &coll,
    );
    assert!(c.coverage.is_empty());
    // Overlapping, reversed and single periods are refused.
    let overlap = vec![p("2025-01-01..2025-01-05"), p("2025-01-05..2025-01-09")];
    assert!(Collections::build(&[], &Grouping::Periods { periods: overlap }, &[]).is_err());
    assert!("2025-01-05..2025-01-01".parse::<Period>().is_err());
    assert!("2025-01-05".parse::<Period>().is_err());
    assert!(Collections::build(
        &[],
        &Grouping::Periods {
            periods: vec![periods[0]]
        },
        &[]
    )
    .is_err());
}

#[test]
fn collection_errors() {
    let f = fixture();
    // One input, one group value, an empty collection.
    assert!(Collections::build(&f.articles, &Grouping::Inputs, &["a".into()]).is_err());
    let mut same = f.articles.clone();
    same.iter_mut().for_each(|a| a.group = Some("X".into()));
    assert!(Collections::build(
        &same,
        &Grouping::Field {
            field: "source".into()
        },
        &[]
    )
    .is_err());
    let coll =
        Collections::build(&f.articles, &Grouping::Inputs, &["a".into(), "b".into()]).unwrap();
    let labels = ["x".to_string(), "y".to_string()];
    let terms = ["t0".to_string(), "t1".to_string(), "t2".to_string()];
    let input = CompareInput {
        articles: &f.articles,
        assignments: &f.assignments,
        topic_labels: &labels,
        counts: &f.counts,
        term_labels: &terms,
        timeline: &f.timeline,
    };
    let e = compare_parts(&input, &coll, &CompareParams::default().check().unwrap()).unwrap_err();
    assert!(e.to_string().contains("\"b\" has no article"), "{e}");
    // Names.
    let c2 = Collections::build(&f.articles, &Grouping::Field { field: "s".into() }, &[]).unwrap();
    assert!(c2.clone().with_names(vec!["x".into()]).is_err());
    assert!(c2.clone().with_names(vec!["x".into(), "x".into()]).is_err());
    assert!(c2.clone().with_names(vec!["x".into(), " ".into()]).is_err());
    assert_eq!(
        c2.with_names(vec!["x".into(), "y".into()]).unwrap().names,
        ["x", "y"]
    );
    assert_eq!(
        input_names(&["a/x.jsonl".into(), "b/x.jsonl".into()]),
        ["a/x.jsonl", "b/x.jsonl"]
    );
    assert_eq!(input_names(&["-".into(), "b.txt".into()]), ["stdin", "b"]);
}

#[test]
fn params_validation() {
    let bad = |p: CompareParams| p.check().unwrap_err().to_string();
    let d = CompareParams::default;
    assert!(bad(CompareParams { level: 1.0, ..d() }).contains("compare.level"));
    assert!(bad(CompareParams {
        level: f64::NAN,
        ..d()
    })
    .contains("compare.level"));
    assert!(bad(CompareParams { alpha: 0.0, ..d() }).contains("compare.alpha"));
    assert!(bad(CompareParams {
        prior_size: -1.0,
        ..d()
    })
    .contains("compare.prior_size"));
    assert!(bad(CompareParams {
        prior_size: f64::INFINITY,
        ..d()
    })
    .contains("compare.prior_size"));
    assert!(bad(CompareParams { n_terms: 0, ..d() }).contains("compare.n_terms"));
    assert!(d().check().is_ok());
}

#[test]
fn csv_outputs() {
    let f = fixture();
    let coll = Collections::build(
        &f.articles,
        &Grouping::Field {
            field: "source".into(),
        },
        &[],
    )
    .unwrap();
    let c = run(&f, &coll);
    let dir = tempfile::tempdir().unwrap();
    let paths = ComparePaths::new(dir.path());
    write_comparison_csv(&paths.csv, &c).unwrap();
    let text = std::fs::read_to_string(&paths.csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("topic,collection,count,share,ci_low,ci_high,diff,p,q")
    );
    assert_eq!(
        lines.next().unwrap().split(',').take(3).collect::<Vec<_>>(),
        ["0", "A", "3"]
    );
    assert_eq!(text.lines().count(), 5);
    let scores = vec![0.5f32; f.articles.len()];
    write_assignments(
        &paths.assignments,
        &f.articles,
        &f.assignments,
        &scores,
        &coll,
    )
    .unwrap();
    let a = std::fs::read_to_string(&paths.assignments).unwrap();
    assert!(
        a.starts_with("id,topic,date,score,collection\nd0,0,2025-01-01T09:00:00Z,0.5000,A\n"),
        "{a}"
    );
    assert!(a.ends_with("d9,0,2025-01-02T09:00:00Z,0.5000,\n"), "{a}");
    write_distinctive_terms(&paths.terms, &c).unwrap();
    let t = std::fs::read_to_string(&paths.terms).unwrap();
    assert!(t.starts_with("scope,topic,collection,rank,term,log_odds,z,count,other_count,beyond_chance\noverall,,A,1,harbour,"), "{t}");
}
