//! `problems.csv`: `file,line,kind,reason` for every record skipped or with an unreadable date
//! (written only when there are any).

use std::path::Path;

use super::{spreadsheet_safe, write_atomic};
use crate::Result;

/// `problems.csv`: every problem met while reading (`file,line,kind,reason`).
pub fn write_problems(path: &Path, problems: &[crate::ingest::Problem]) -> Result<()> {
    write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["file", "line", "kind", "reason"])?;
        for p in problems {
            csv.write_record([
                spreadsheet_safe(&p.file).as_ref(),
                &p.line.to_string(),
                p.kind.name(),
                &spreadsheet_safe(&p.reason),
            ])?;
        }
        csv.flush()
    })
}
