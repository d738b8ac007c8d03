//! Date parsing for the formats news data comes in, normalised to UTC.
//!
//! Tried in order (the first that parses wins):
//! 1. a user format (`--date-format`, chrono `strftime` syntax) when given: with a time zone
//!    (`%z`), as a naive date-time (taken as UTC), or as a plain date; the built-in forms below
//!    are still tried after it, so one odd form does not cost the standard ones;
//! 2. RFC 3339 / ISO 8601 date-times (`2017-05-10T15:01:01Z`, `2017-05-10T15:01:01+02:00`,
//!    `2017-05-10 15:01:01`, fractional seconds allowed; without offset = UTC);
//! 3. ISO dates `2017-05-10`, and `2017/05/10`, `2017.05.10`;
//! 4. RFC 2822 (`Wed, 10 May 2017 15:01:01 +0000`, as in RSS `pubDate`);
//! 5. `May 10, 2017`, `10 May 2017`, `10 May, 2017`, `May 10 2017` (full or abbreviated month names);
//! 6. Unix time: 9–11 digits = seconds, 12–14 digits = milliseconds.
//!
//! Ambiguous numeric forms such as `05/10/2017` are *not* guessed: use `--date-format`.
//!
//! Dates are kept only within [`EARLIEST_YEAR`]..=[`LATEST_YEAR`] ([`plausible`]): outside that
//! window a date is certainly a placeholder or a typo (`0001-01-01`, `9999-12-31`, a Unix time
//! in the wrong unit), and one such date would stretch the timeline over millennia. The window
//! is fixed rather than derived from the data so that the same record is treated the same way
//! in every collection; daily bins over it (73,414) stay within the timeline's limit.

use chrono::format::{Item, Numeric, StrftimeItems};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::{Error, Result};

/// First year of a plausible date.
pub const EARLIEST_YEAR: i32 = 1900;
/// Last year of a plausible date.
pub const LATEST_YEAR: i32 = 2100;

/// Whether `d` lies within [`EARLIEST_YEAR`]..=[`LATEST_YEAR`].
pub fn plausible(d: &DateTime<Utc>) -> bool {
    (EARLIEST_YEAR..=LATEST_YEAR).contains(&d.year())
}

/// Checks a `--date-format`: every `%` specifier must be one chrono knows, and the format must
/// name a year (`%Y`, `%y`, `%G`, `%C`, or one of `%F`, `%D`, `%c`, `%+`) or a Unix time (`%s`),
/// without which no date can be built.
pub fn check_format(fmt: &str) -> Result<()> {
    let items: Vec<Item<'_>> = StrftimeItems::new(fmt).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return Err(Error::param(
            "ingest.date_format",
            format!("{fmt:?}"),
            "unknown % specifier (see chrono's strftime: %Y %m %d %H %M %S %z %b ...)",
        ));
    }
    let dated = items.iter().any(|i| match i {
        Item::Numeric(n, _) => matches!(
            n,
            Numeric::Year
                | Numeric::YearDiv100
                | Numeric::YearMod100
                | Numeric::IsoYear
                | Numeric::IsoYearDiv100
                | Numeric::IsoYearMod100
                | Numeric::Timestamp
        ),
        Item::Fixed(f) => matches!(
            f,
            chrono::format::Fixed::RFC2822 | chrono::format::Fixed::RFC3339
        ),
        _ => false,
    });
    if !dated {
        return Err(Error::param(
            "ingest.date_format",
            format!("{fmt:?}"),
            "names no year (%Y, %y) nor Unix time (%s): no date can be read with it",
        ));
    }
    Ok(())
}

/// Parses `s` as a date or date-time, returning it in UTC; `None` when no known form matches.
pub fn parse_date(s: &str, user_format: Option<&str>) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(d) = user_format.and_then(|fmt| parse_with_format(s, fmt)) {
        return Some(d);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&dt));
        }
    }
    // `2017-05-10Z` style and plain dates.
    let date_part = s.strip_suffix('Z').unwrap_or(s);
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"] {
        if fmt == "%Y%m%d" && date_part.len() != 8 {
            continue;
        }
        if let Ok(d) = NaiveDate::parse_from_str(date_part, fmt) {
            return Some(midnight(d));
        }
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Some(d) = parse_month_name(s) {
        return Some(midnight(d));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        return match s.len() {
            9..=11 => DateTime::from_timestamp(n, 0),
            12..=14 => DateTime::from_timestamp_millis(n),
            _ => None,
        };
    }
    None
}

/// Unix seconds given as a JSON number.
pub fn from_unix_number(n: f64) -> Option<DateTime<Utc>> {
    if !n.is_finite() {
        return None;
    }
    if n.abs() >= 1e11 {
        DateTime::from_timestamp_millis(n as i64)
    } else {
        DateTime::from_timestamp(n.trunc() as i64, ((n.fract().abs()) * 1e9) as u32)
    }
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN))
}

fn parse_with_format(s: &str, fmt: &str) -> Option<DateTime<Utc>> {
    if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
        return Some(Utc.from_utc_datetime(&dt));
    }
    NaiveDate::parse_from_str(s, fmt).ok().map(midnight)
}

/// `May 10, 2017`, `10 May 2017`, `10 May, 2017`, `May 10 2017`, `10-May-2017`; optionally led by
/// a weekday (`Wednesday, May 10, 2017`).
fn parse_month_name(s: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    let words: &[&str] = match words.first() {
        Some(w) if weekday(w) && words.len() == 4 => &words[1..],
        _ => &words,
    };
    if words.len() != 3 {
        return None;
    }
    let year: i32 = words[2]
        .parse()
        .ok()
        .filter(|y| (1000..=9999).contains(y))?;
    let (month, day) = if let Some(m) = month_number(words[0]) {
        (m, words[1])
    } else {
        (month_number(words[1])?, words[0])
    };
    let day: u32 = day
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn month_number(w: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lw = w.to_ascii_lowercase();
    if lw.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .zip(full.iter())
        .position(|(abbr, full)| lw == *abbr || lw == *full || (lw == "sept" && *abbr == "sep"))
        .map(|i| i as u32 + 1)
}

fn weekday(w: &str) -> bool {
    let lw = w.to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .any(|d| lw.starts_with(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd_hms(s: &str) -> String {
        parse_date(s, None)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string())
            .unwrap_or_default()
    }

    #[test]
    fn table_of_formats() {
        let cases = [
            ("2017-05-10", "2017-05-10T00:00:00"),
            ("2017-05-10T15:01:01Z", "2017-05-10T15:01:01"),
            ("2017-05-10T15:01:01+02:00", "2017-05-10T13:01:01"),
            ("2017-05-10T15:01:01.250-05:00", "2017-05-10T20:01:01"),
            ("2017-05-10 15:01:01", "2017-05-10T15:01:01"),
            ("2017-05-10T15:01", "2017-05-10T15:01:00"),
            ("2017/05/10", "2017-05-10T00:00:00"),
            ("2017.05.10", "2017-05-10T00:00:00"),
            ("20170510", "2017-05-10T00:00:00"),
            ("Wed, 10 May 2017 15:01:01 +0000", "2017-05-10T15:01:01"),
            ("Wed, 10 May 2017 15:01:01 GMT", "2017-05-10T15:01:01"),
            ("May 10, 2017", "2017-05-10T00:00:00"),
            ("10 May 2017", "2017-05-10T00:00:00"),
            ("10 May, 2017", "2017-05-10T00:00:00"),
            ("September 3 2017", "2017-09-03T00:00:00"),
            ("Sept 3, 2017", "2017-09-03T00:00:00"),
            ("Wednesday, May 10, 2017", "2017-05-10T00:00:00"),
            ("10-May-2017", "2017-05-10T00:00:00"),
            ("1494428461", "2017-05-10T15:01:01"),
            ("1494428461000", "2017-05-10T15:01:01"),
            ("  2017-05-10  ", "2017-05-10T00:00:00"),
        ];
        for (input, want) in cases {
            assert_eq!(ymd_hms(input), want, "input {input:?}");
        }
    }

    #[test]
    fn rejects_garbage_and_ambiguity() {
        for bad in [
            "",
            "yesterday",
            "05/10/2017",
            "2017-13-01",
            "Mayday 10, 2017",
            "12345",
            "31 Feb 2017",
        ] {
            assert_eq!(parse_date(bad, None), None, "input {bad:?}");
        }
    }

    #[test]
    fn user_format() {
        let d = parse_date("10.05.2017", Some("%d.%m.%Y")).unwrap();
        assert_eq!(d.format("%F").to_string(), "2017-05-10");
        let d = parse_date("10/05/2017 14:00", Some("%d/%m/%Y %H:%M")).unwrap();
        assert_eq!(d.format("%FT%T").to_string(), "2017-05-10T14:00:00");
        assert_eq!(parse_date("10.05.", Some("%d.%m.%Y")), None);
    }

    #[test]
    fn date_format_adds_a_form_instead_of_replacing_the_built_ins() {
        // With --date-format, ISO dates were all unparseable.
        let fmt = Some("%d.%m.%Y");
        assert_eq!(ymd(parse_date("2017-05-10", fmt)), "2017-05-10");
        assert_eq!(
            ymd(parse_date("Wed, 10 May 2017 15:01:01 +0000", fmt)),
            "2017-05-10"
        );
        assert_eq!(ymd(parse_date("11.05.2017", fmt)), "2017-05-11");
        // The user's form wins where both read the string (day first, not the ISO guess).
        assert_eq!(
            ymd(parse_date("2017.05.10", Some("%Y.%d.%m"))),
            "2017-10-05"
        );
    }

    #[test]
    fn invalid_date_format_is_rejected() {
        for bad in ["%Q", "%d.%m.%Q", "%", "%d.%m", "no date"] {
            let e = check_format(bad).unwrap_err().to_string();
            assert!(e.contains("ingest.date_format"), "{bad}: {e}");
        }
        for good in ["%d.%m.%Y", "%Y%m%d", "%s", "%d/%m/%y %H:%M", "%F", "%+"] {
            check_format(good).unwrap_or_else(|e| panic!("{good}: {e}"));
        }
    }

    #[test]
    fn plausible_window() {
        let d = |s| parse_date(s, None).unwrap();
        assert!(plausible(&d("1900-01-01")));
        assert!(plausible(&d("2100-12-31")));
        assert!(!plausible(&d("1899-12-31")));
        assert!(!plausible(&d("9999-12-31")));
        assert!(!plausible(&d("0001-01-01")));
    }

    fn ymd(d: Option<DateTime<Utc>>) -> String {
        d.map(|d| d.format("%F").to_string()).unwrap_or_default()
    }

    #[test]
    fn unix_numbers() {
        assert_eq!(
            from_unix_number(1494428461.0)
                .unwrap()
                .format("%F")
                .to_string(),
            "2017-05-10"
        );
        assert_eq!(
            from_unix_number(1494428461000.0)
                .unwrap()
                .format("%F")
                .to_string(),
            "2017-05-10"
        );
        assert_eq!(from_unix_number(f64::NAN), None);
    }
}
