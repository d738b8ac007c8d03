//! Any JSON value as HTML (for `run.json`'s parameters and a `comparison.json` this version cannot
//! read): objects as key/value tables, arrays of objects as tables, arrays of scalars as lists,
//! scalars as text.

use maud::{html, Markup};
use serde_json::Value;

use super::clean;

/// A JSON scalar as display text (strings unquoted, floats to 4 decimals).
pub fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() != 0.0 => {
                let s = format!("{f:.4}");
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            }
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// Renders any JSON value as HTML.
pub fn json_to_html(v: &Value) -> Markup {
    match v {
        Value::Object(map) if map.is_empty() => html! { span.muted { "none" } },
        Value::Object(map) => html! {
            table.kv { tbody {
                @for (k, val) in map { tr { th { (clean(k)) } td { (json_to_html(val)) } } }
            } }
        },
        Value::Array(items) if items.is_empty() => html! { span.muted { "none" } },
        Value::Array(items) if items.iter().all(Value::is_object) => {
            let mut cols: Vec<&String> = Vec::new();
            for it in items.iter().filter_map(Value::as_object) {
                for k in it.keys() {
                    if !cols.contains(&k) {
                        cols.push(k);
                    }
                }
            }
            html! {
                div.scroll { table.grid {
                    thead { tr { @for c in &cols { th { (clean(c)) } } } }
                    tbody { @for it in items { tr {
                        @for c in &cols { td { @if let Some(val) = it.get(c.as_str()) { (json_to_html(val)) } } }
                    } } }
                } }
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            let parts: Vec<String> = items.iter().map(scalar_text).collect();
            html! { (clean(&parts.join(", "))) }
        }
        Value::Array(items) => html! {
            ol.plain { @for it in items { li { (json_to_html(it)) } } }
        },
        scalar => html! { (clean(&scalar_text(scalar))) },
    }
}
