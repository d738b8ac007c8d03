//! End-to-end tests of the charts and the report on a hand-made timeline.

use chrono::{Duration, NaiveDate};

use super::*;

/// Five topics over 30 weekly bins with two bursts, one topic label needing escaping.
pub(crate) fn fixture() -> ChartData {
    let labels = [
        "Ukraine, sanctions, Crimea",
        "Election, polls, Macron",
        "Oil, OPEC, prices",
        "Brexit, May, Brussels",
        "Storms & floods <weather>",
    ];
    let first = NaiveDate::from_ymd_opt(2017, 1, 2).unwrap();
    let bins: Vec<NaiveDate> = (0..30).map(|i| first + Duration::weeks(i)).collect();
    let counts: Vec<Vec<u32>> = (0..labels.len())
        .map(|t| {
            (0..30u32)
                .map(|b| {
                    let base = 40 / (t as u32 + 1) + (b * 7 + t as u32 * 13) % 9;
                    let burst = match (t, b) {
                        (1, 14..=17) => 60 - 8 * (b - 14).min(4),
                        (4, 22) => 35,
                        _ => 0,
                    };
                    if b == 9 {
                        0
                    } else {
                        base + burst
                    }
                })
                .collect()
        })
        .collect();
    let topics = labels
        .iter()
        .enumerate()
        .map(|(i, l)| TopicInfo {
            id: i,
            label: l.to_string(),
            name: None,
            parent: None,
            size: counts[i].iter().sum::<u32>() as usize + 3,
            share: 0.2,
            terms: l
                .split(", ")
                .chain([
                    "report",
                    "week",
                    "government",
                    "talks",
                    "minister",
                    "market",
                    "deal",
                ])
                .enumerate()
                .take(10)
                .map(|(j, w)| TermWeight {
                    term: w.to_string(),
                    weight: 0.05 / (j as f64 + 1.0 + i as f64 * 0.3),
                })
                .collect(),
            examples: vec![Example {
                id: format!("a{i}"),
                title: format!("Headline about {l} \"quoted\""),
                date: Some("2017-03-06".into()),
                score: 0.8,
            }],
        })
        .collect();
    let events = vec![
        EventInfo {
            rank: 1,
            label: "runoff".into(),
            n_articles: counts[1][14] as usize,
            topics: vec![EventTopic {
                topic: 1,
                share: 0.8,
            }],
            start: bins[14],
            end: bins[17],
            peak: bins[14] + Duration::days(2),
            score: 12.5,
            terms: vec![EventTerm {
                term: "runoff".into(),
                score: 3.0,
            }],
            headlines: vec![Headline::Text("Macron wins <first> round".into())],
        },
        EventInfo {
            rank: 2,
            label: "storm".into(),
            n_articles: counts[4][22] as usize,
            topics: vec![EventTopic {
                topic: 4,
                share: 1.0,
            }],
            start: bins[22],
            end: bins[22],
            peak: bins[22],
            score: 7.25,
            terms: vec![],
            headlines: vec![Headline::Article {
                id: Some("a9".into()),
                title: "Storm hits coast".into(),
                date: None,
            }],
        },
    ];
    ChartData::new(BinUnit::Week, bins, topics, counts)
        .unwrap()
        .with_events(events)
}

/// Writes the fixture's charts to `$TOPICTRACK_PLOT_DIR` for looking at them.
#[test]
#[ignore]
fn write_fixture_charts_for_viewing() {
    let dir = std::path::PathBuf::from(
        std::env::var("TOPICTRACK_PLOT_DIR").unwrap_or("/tmp/plotcheck".into()),
    );
    let opts = ChartOptions::default();
    std::fs::create_dir_all(&dir).unwrap();
    write_outputs(&fixture(), &dir);
    let data = ChartData::load(&dir).unwrap();
    render_charts(&data, &opts, &dir.join("charts")).unwrap();
    crate::report::write_report(&dir, &data, &opts).unwrap();
}

fn opts() -> ChartOptions {
    ChartOptions::default()
}

/// Minimal XML well-formedness check: balanced tags, quoted attributes, no stray `<` or `&`.
pub(crate) fn assert_well_formed(doc: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = doc;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        for (i, _) in text.match_indices('&') {
            let ent = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                    .iter()
                    .any(|e| ent.starts_with(e)),
                "bare & in {:?}",
                &ent[..ent.len().min(20)]
            );
        }
        let gt = rest[lt..].find('>').expect("unclosed tag") + lt;
        let tag = &rest[lt + 1..gt];
        assert!(!tag.contains('<'), "'<' inside a tag: {tag}");
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.trim()),
                "mismatched </{name}>"
            );
        } else if !tag.starts_with('?') && !tag.starts_with('!') && !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or("").to_string());
        }
        rest = &rest[gt + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

fn decode(png: &[u8]) -> image::RgbImage {
    image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .expect("PNG decodes")
        .to_rgb8()
}

#[test]
fn charts_are_written_in_both_formats_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("charts");
    let written = render_charts(&fixture(), &opts(), &out).unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "volume.svg",
            "volume.png",
            "share.svg",
            "share.png",
            "heatmap.svg",
            "heatmap.png",
            "terms.svg",
            "terms.png"
        ]
    );
    // Nothing but the charts is left in the folder (no temporary files).
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 8);
}

#[test]
fn png_has_the_asked_size_and_is_not_blank() {
    let opts = ChartParams::new().size(900, 500).check().unwrap();
    let series = chart_series(&fixture(), &opts);
    for kind in ChartKind::ALL {
        let img = decode(&render_png(kind, &series, &opts).unwrap());
        assert_eq!(img.dimensions(), (900, 500), "{kind:?}");
        let colours: std::collections::HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
        assert!(
            colours.len() > 50,
            "{kind:?}: only {} colours",
            colours.len()
        );
        // Title text: dark pixels in the top band, left side.
        let dark = (0..450)
            .flat_map(|x| (10..50).map(move |y| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0.iter().all(|&c| c < 80))
            .count();
        assert!(dark > 200, "{kind:?}: {dark} dark pixels in the title area");
    }
}

#[test]
fn svg_is_well_formed_and_names_every_plotted_topic() {
    let data = fixture();
    let series = chart_series(&data, &opts());
    for kind in [
        ChartKind::Volume,
        ChartKind::Share,
        ChartKind::Heatmap,
        ChartKind::Terms,
    ] {
        let svg = render_svg(kind, &series, &opts()).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_well_formed(&svg);
        for t in &series.volume.topics {
            assert!(
                svg.contains(&crate::report::escape(&t.name).replace("&#39;", "&apos;")),
                "{kind:?} lacks {}",
                t.name
            );
        }
    }
}

#[test]
fn output_bytes_are_deterministic() {
    let data = fixture();
    let series = chart_series(&data, &opts());
    for kind in ChartKind::ALL {
        assert_eq!(
            render_png(kind, &series, &opts()).unwrap(),
            render_png(kind, &series, &opts()).unwrap()
        );
        assert_eq!(
            render_svg(kind, &series, &opts()).unwrap(),
            render_svg(kind, &series, &opts()).unwrap()
        );
    }
}

/// Writes the fixture as `analyze` would: topics.json, timeline.csv, run.json, events.json.
pub(crate) fn write_outputs(data: &ChartData, dir: &std::path::Path) {
    std::fs::write(
        dir.join("topics.json"),
        serde_json::to_string_pretty(data.topics()).unwrap(),
    )
    .unwrap();
    let mut csv = String::from("bin_start,topic,count,share\n");
    for (b, d) in data.bins().iter().enumerate() {
        for (t, topic) in data.topics().iter().enumerate() {
            csv.push_str(&format!(
                "{d},{},{},{:.6}\n",
                topic.id,
                data.counts()[t][b],
                data.share(t, b)
            ));
        }
    }
    std::fs::write(dir.join("timeline.csv"), csv).unwrap();
    let run = serde_json::json!({
        "version": "0.1.0",
        "inputs": ["corpus/<news>.jsonl", {"path": "more.csv", "format": "csv"}],
        "counts": {"read": 3500, "skipped": 12, "undated": 41, "duplicates": 7, "articles": 3488},
        "params": {"k": 5, "bin": "week", "seed": 42, "stop_words": "en & \"news\""},
        "k": 5,
        "timeline": {"bin": "week", "first": "2017-01-02", "last": "2017-07-24", "n_bins": 30},
        "stage_seconds": {"ingest": 0.5123, "cluster": 1.25},
        "host_note": "<b>not bold</b>"
    });
    std::fs::write(
        dir.join("run.json"),
        serde_json::to_string_pretty(&run).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("events.json"),
        serde_json::to_string_pretty(data.events()).unwrap(),
    )
    .unwrap();
    // Three articles per topic, the first of each with a web address as its id.
    let mut assign = String::from("id,topic,date,score\n");
    let mut arts = String::new();
    for t in data.topics() {
        for j in 0..3 {
            let id = if j == 0 {
                format!("https://example.org/{}", t.id)
            } else {
                format!("a{}-{j}", t.id)
            };
            assign.push_str(&format!(
                "{id},{},2017-03-0{}T00:00:00Z,0.{}\n",
                t.id,
                j + 1,
                9 - j
            ));
            let rec = crate::report::ArticleRecord {
                id: id.clone(),
                title: format!("Story {j} on {}", t.label),
                snippet: "First words of the body <b>here</b>".into(),
                url: id.starts_with("https://").then(|| id.clone()),
            };
            arts.push_str(&serde_json::to_string(&rec).unwrap());
            arts.push('\n');
        }
    }
    std::fs::write(dir.join("assignments.csv"), assign).unwrap();
    std::fs::write(dir.join("articles.jsonl"), arts).unwrap();
}

#[test]
fn charts_from_saved_outputs_match_charts_from_memory() {
    let data = fixture();
    let dir = tempfile::tempdir().unwrap();
    write_outputs(&data, dir.path());
    let loaded = ChartData::load(dir.path()).unwrap();
    assert_eq!(loaded, data);
    let a = render_charts(&data, &opts(), &dir.path().join("a")).unwrap();
    let b = render_charts(&loaded, &opts(), &dir.path().join("b")).unwrap();
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{}",
            x.display()
        );
    }
}

#[test]
fn filters_narrow_what_is_plotted() {
    let data = fixture();
    let f = ChartFilter {
        topics: Some(vec![1, 4]),
        from: NaiveDate::from_ymd_opt(2017, 4, 1),
        to: NaiveDate::from_ymd_opt(2017, 6, 30),
    };
    let narrowed = data.filtered(&f).unwrap();
    let s = chart_series(&narrowed, &opts());
    assert_eq!(
        s.volume.topics.iter().map(|t| t.id).collect::<Vec<_>>(),
        [1, 4]
    );
    assert_eq!(
        s.bins.first().copied(),
        NaiveDate::from_ymd_opt(2017, 3, 27)
    );
    assert_eq!(s.bins.last().copied(), NaiveDate::from_ymd_opt(2017, 6, 26));
    // "Other" is everything not plotted, so it is not zero.
    assert!(s.share.other.iter().all(|&o| o > 0.0));
    // Colours stay with the topic id.
    assert_eq!(
        s.volume.topics[1].color,
        palette::hex(palette::topic_color(4))
    );
    // Both bursts fall in range.
    assert_eq!(s.volume.peaks.len(), 2);
}

#[test]
fn top_n_limits_lines_and_panels() {
    let opts = ChartParams::new().top_n(2).check().unwrap();
    let s = chart_series(&fixture(), &opts);
    assert_eq!(s.volume.topics.len(), 2);
    assert_eq!(s.terms.panels.len(), 2);
    assert_eq!(s.share.layers.len(), 2);
    // The burst of topic 4 is not plotted when topic 4 is not.
    assert!(s.volume.peaks.iter().all(|p| p.topic < 2));
}

#[test]
fn empty_timeline_still_renders() {
    let data = ChartData::new(
        BinUnit::Day,
        vec![],
        vec![TopicInfo::new(0, "Only")],
        vec![vec![]],
    )
    .unwrap();
    let s = chart_series(&data, &opts());
    for kind in ChartKind::ALL {
        let svg = render_svg(kind, &s, &opts()).unwrap();
        assert_well_formed(&svg);
        decode(&render_png(kind, &s, &opts()).unwrap());
    }
}

#[test]
fn one_bin_renders() {
    let day = NaiveDate::from_ymd_opt(2017, 5, 1).unwrap();
    let data = ChartData::new(
        BinUnit::Month,
        vec![day],
        vec![TopicInfo::new(0, "A"), TopicInfo::new(1, "B")],
        vec![vec![3], vec![1]],
    )
    .unwrap();
    let s = chart_series(&data, &opts());
    for kind in ChartKind::ALL {
        assert_well_formed(&render_svg(kind, &s, &opts()).unwrap());
        decode(&render_png(kind, &s, &opts()).unwrap());
    }
}

/// The plotted data of the fixture, as JSON. Set TOPICTRACK_UPDATE_SNAPSHOTS=1 to rewrite it
/// after an intended change.
#[test]
fn chart_series_snapshot() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/plot/snapshots/fixture_series.json");
    let actual = serde_json::to_string_pretty(&chart_series(&fixture(), &opts())).unwrap() + "\n";
    if std::env::var_os("TOPICTRACK_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .expect("snapshot exists (TOPICTRACK_UPDATE_SNAPSHOTS=1 writes it)");
    assert!(
        expected == actual,
        "chart data changed; review and rerun with TOPICTRACK_UPDATE_SNAPSHOTS=1\n--- got ---\n{}",
        &actual[..actual.len().min(3000)]
    );
}

/// Renders the charts and report of an existing `analyze` output folder `$TOPICTRACK_PLOT_SRC`
/// (for looking at real data).
#[test]
#[ignore]
fn render_outputs_in_dir_for_viewing() {
    let Some(src) = std::env::var_os("TOPICTRACK_PLOT_SRC") else {
        return;
    };
    let src = std::path::PathBuf::from(src);
    let data = ChartData::load(&src).unwrap();
    let opts = ChartOptions::default();
    render_charts(&data, &opts, &src.join("charts")).unwrap();
    crate::report::write_report(&src, &data, &opts).unwrap();
}

/// Renders the fixture at `$TOPICTRACK_PLOT_SIZE` (e.g. 480x300) into `$TOPICTRACK_PLOT_DIR/small`.
#[test]
#[ignore]
fn write_small_charts_for_viewing() {
    let dir = std::path::PathBuf::from(
        std::env::var("TOPICTRACK_PLOT_DIR").unwrap_or("/tmp/plotcheck".into()),
    );
    let (w, h) =
        parse_size(&std::env::var("TOPICTRACK_PLOT_SIZE").unwrap_or("480x300".into())).unwrap();
    let opts = ChartParams::new()
        .size(w, h)
        .formats([ChartFormat::Png])
        .check()
        .unwrap();
    render_charts(&fixture(), &opts, &dir.join("small")).unwrap();
}
