//! The report on the charts' hand-made fixture, written to a folder as `analyze` would.

use super::*;
use crate::plot::tests::{assert_well_formed, fixture, write_outputs};

fn opts() -> ChartOptions {
    ChartOptions::default()
}

/// The page without its doctype, void elements, style and script (which the XML check cannot
/// read), for [`assert_well_formed`].
fn markup_only(html: &str) -> String {
    let mut s = html.trim_start_matches("<!DOCTYPE html>").to_string();
    for (open, close) in [("<style>", "</style>"), ("<script", "</script>")] {
        while let Some(a) = s.find(open) {
            let b = s[a..].find(close).expect("closed") + a + close.len();
            s.replace_range(a..b, "");
        }
    }
    for void in ["<meta ", "<input ", "<br>"] {
        while let Some(a) = s.find(void) {
            let b = s[a..].find('>').unwrap() + a + 1;
            s.replace_range(a..b, "");
        }
    }
    s
}

#[test]
fn report_is_self_contained_and_in_editorial_order() {
    let data = fixture();
    let dir = tempfile::tempdir().unwrap();
    write_outputs(&data, dir.path());
    std::fs::write(
        dir.path().join("comparison.json"),
        r#"{"a":"x <y>","topics":[{"id":0,"delta":0.1}]}"#,
    )
    .unwrap();
    let path = write_report(dir.path(), &data, &opts()).unwrap();
    assert_eq!(path, dir.path().join("report.html"));
    let html = std::fs::read_to_string(&path).unwrap();
    assert_well_formed(&markup_only(&html));
    // Nothing is fetched: no external source, import or URL outside the article data.
    for bad in [
        "src=",
        "@import",
        "url(",
        "<link",
        "fetch(",
        "XMLHttpRequest",
    ] {
        assert!(!html.contains(bad), "report contains {bad}");
    }
    assert!(html.contains("Content-Security-Policy"));
    // Editorial order: events, topics, charts, stories, comparison, run details.
    let pos = |id: &str| {
        html.find(&format!("<section id=\"{id}\""))
            .unwrap_or_else(|| panic!("no section {id}"))
    };
    let order = ["events", "topics", "charts", "stories", "comparison", "run"];
    assert!(order.windows(2).all(|w| pos(w[0]) < pos(w[1])), "order");
    // The lead line says what was analysed.
    assert!(html.contains("3,488 articles from 2 files"), "lead line");
    assert!(html.contains("<table class=\"topics\""));
    for t in data.topics() {
        assert!(html.contains(&escape(&t.label)), "table lacks {}", t.label);
    }
    assert!(!html.contains("<weather>") && !html.contains("<b>not bold</b>"));
    assert!(html.contains("Storms &amp; floods &lt;weather&gt;"));
    assert!(html.contains("Macron wins &lt;first&gt; round"));
    assert!(html.contains("x &lt;y&gt;"));
    assert!(html.contains("3,500") && html.contains("duplicates") && html.contains("host_note"));
    // The article data: titles, escaped for the script element, and the web address.
    let at = html.find("\"tt-data\"").unwrap();
    let data_json = &html[at + html[at..].find('>').unwrap() + 1..];
    let data_json = &data_json[..data_json.find("</script>").unwrap()];
    assert!(!data_json.contains('<'));
    let v: Value = serde_json::from_str(data_json).unwrap();
    assert_eq!(v["articles"]["id"].as_array().unwrap().len(), 15);
    assert_eq!(v["articles"]["url"][0][1], "https://example.org/0");
    assert_eq!(v["topics"].as_array().unwrap().len(), 5);
    assert!(v["articles"]["snippet"][0]
        .as_str()
        .unwrap()
        .contains("<b>"));
}

#[test]
fn each_event_appears_once() {
    let data = fixture();
    let mut events = data.events().to_vec();
    events.push(events[0].clone());
    let data = data.with_events(events);
    let dir = tempfile::tempdir().unwrap();
    write_outputs(&data, dir.path());
    let html = Report::from_out_dir(dir.path(), &data, &opts())
        .unwrap()
        .to_html()
        .unwrap();
    assert_eq!(html.matches("data-event=\"1\"").count(), 1);
}

#[test]
fn sections_can_be_added() {
    let data = fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut r = Report::from_out_dir(dir.path(), &data, &opts()).unwrap();
    assert_eq!(
        r.section_ids(),
        ["events", "topics", "charts", "stories", "run"]
    );
    struct Extra;
    impl ReportSection for Extra {
        fn id(&self) -> String {
            "extra".into()
        }
        fn title(&self) -> String {
            "Extra".into()
        }
        fn render(&self) -> Result<Markup> {
            Ok(json_to_html(&serde_json::json!([1, 2])))
        }
    }
    r.insert_before("charts", Extra);
    assert_eq!(
        r.section_ids(),
        ["events", "topics", "extra", "charts", "stories", "run"]
    );
    assert!(r.to_html().unwrap().contains("href=\"#extra\""));
}

#[test]
fn k_at_the_edge_of_its_range_is_warned_about() {
    assert!(k_edge_message(&[5, 7, 9], 9).unwrap().contains("largest"));
    assert!(k_edge_message(&[5, 7, 9], 5).unwrap().contains("smallest"));
    assert_eq!(k_edge_message(&[5, 7, 9], 7), None);
    assert_eq!(k_edge_message(&[5, 7], 7), None);
    let run = serde_json::json!({"k_selection": {"criterion": "c", "scores": [[5, 0.1], [7, 0.2], [9, 0.3]], "chosen": 9}});
    assert!(k_edge_warning(&run).unwrap().contains("k = 9"));
    let data = fixture();
    let dir = tempfile::tempdir().unwrap();
    write_outputs(&data, dir.path());
    std::fs::write(dir.path().join("run.json"), run.to_string()).unwrap();
    let html = Report::from_out_dir(dir.path(), &data, &opts())
        .unwrap()
        .to_html()
        .unwrap();
    assert!(html.contains("class=\"warn\"") && html.contains("class=\"kchart\""));
}

#[test]
fn title_subtitle_and_source_replace_the_defaults() {
    let data = fixture();
    let dir = tempfile::tempdir().unwrap();
    write_outputs(&data, dir.path());
    let opts = ChartOptions::params()
        .title("Harbour <news>")
        .subtitle("Six months")
        .source("Gazette archive")
        .check()
        .unwrap();
    let html = Report::from_out_dir(dir.path(), &data, &opts)
        .unwrap()
        .to_html()
        .unwrap();
    assert!(html.contains("<h1>Harbour &lt;news&gt;</h1>"));
    assert!(html.contains("Six months") && html.contains("Source: Gazette archive"));
}

#[test]
fn themes_are_shown_above_their_topics() {
    let data = fixture();
    let dir = tempfile::tempdir().unwrap();
    write_outputs(&data, dir.path());
    let (a, b) = (&data.topics()[0], &data.topics()[1]);
    std::fs::write(
        dir.path().join("themes.json"),
        format!(
            r#"[{{"id":0,"label":"Broad <one>","size":9,"share":0.6,"topics":[{},99],"terms":[],"examples":[]}},
                {{"id":1,"label":"Broad two","size":6,"share":0.4,"topics":[{}],"terms":[],"examples":[]}}]"#,
            a.id, b.id
        ),
    )
    .unwrap();
    let html = std::fs::read_to_string(write_report(dir.path(), &data, &opts()).unwrap()).unwrap();
    assert_well_formed(&markup_only(&html));
    let themes = html.find("Broad themes").expect("themes listed");
    assert!(themes < html.find("<table class=\"topics\"").unwrap());
    assert!(html.contains("Broad &lt;one&gt;") && html.contains("Broad two"));
    // A topic id the data does not show (99) is left out of the theme.
    assert!(!html.contains("\"tid\">#99<"));
    assert!(html.contains(&format!("\"tid\">#{}<", a.id)));
}
