//! The event files of a run: `events.json` and `events.csv` (ranked events from terms,
//! [`EventRecord`]), `surges.json` (topic surges, [`BurstRecord`]), `stories.json` and
//! `stories.csv` ([`StoryRecord`]). The records and their CSV layouts are defined in
//! [`crate::events::records`]; [`write_events`] is the one writer of the five files.

use std::path::Path;

pub use crate::events::records::{BurstRecord, EventRecord, StoryRecord};
use crate::pipeline::Events;
use crate::Result;

/// Writes `events.json`, `events.csv`, `surges.json`, `stories.json` and `stories.csv` into
/// `dir`.
pub fn write_events(dir: &Path, e: &Events) -> Result<()> {
    write_parts(dir, &e.events, &e.surges, &e.stories)
}

/// [`write_events`] from the three record lists.
pub fn write_parts(
    dir: &Path,
    events: &[EventRecord],
    surges: &[BurstRecord],
    stories: &[StoryRecord],
) -> Result<()> {
    // Side by side: at 1M articles `stories.json` alone is over 100 MB.
    let (ranked, (story_json, story_csv)) = rayon::join(
        || -> Result<()> {
            super::write_json(&dir.join("events.json"), &events)?;
            crate::events::records::write_events_csv(&dir.join("events.csv"), events)?;
            super::write_json(&dir.join("surges.json"), &surges)
        },
        || {
            rayon::join(
                || super::write_json(&dir.join("stories.json"), &stories),
                || crate::events::records::write_stories_csv(&dir.join("stories.csv"), stories),
            )
        },
    );
    ranked?;
    story_json?;
    story_csv?;
    Ok(())
}
