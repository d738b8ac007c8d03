//! The date parser: arbitrary strings, with and without a user format (checked first, as the
//! CLI does), and Unix numbers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use topictrack::ingest::date::{check_format, from_unix_number, parse_date, plausible};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_date(s, None);
    // "format|value": a user format, used only if it passes the check.
    if let Some((fmt, value)) = s.split_once('|') {
        if check_format(fmt).is_ok() {
            if let Some(d) = parse_date(value, Some(fmt)) {
                let _ = plausible(&d);
            }
        }
    }
    if data.len() >= 8 {
        let n = f64::from_le_bytes(data[..8].try_into().expect("8 bytes"));
        let _ = from_unix_number(n);
    }
});
