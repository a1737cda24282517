//! matrix-csv: a competency matrix exported from a spreadsheet, one row per
//! track, level and competency with a description of what is expected.
//! Tracks become streams, a track's levels its roles (in the order the file
//! first lists them), competencies become competencies whose levels are the
//! distinct descriptions, and each row an expectation of its role.

use std::collections::HashMap;

use crate::draft::{Draft, DraftRole, DraftStream};
use crate::location::{ImportError, Location, Warning, decode};

/// Which columns hold the track, level, competency and description; a
/// `None` is looked up among the usual names, case-insensitively.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// The track (stream) column.
    pub track: Option<String>,
    /// The level column.
    pub level: Option<String>,
    /// The competency column.
    pub competency: Option<String>,
    /// The description column.
    pub description: Option<String>,
}

/// The names each column is known by when none is given.
const TRACK_NAMES: &[&str] = &["track", "stream", "family", "job family", "discipline"];
const LEVEL_NAMES: &[&str] = &["level", "grade", "band"];
const COMPETENCY_NAMES: &[&str] = &["competency", "skill", "area", "topic", "dimension"];
const DESCRIPTION_NAMES: &[&str] = &[
    "description",
    "expectation",
    "expectations",
    "criteria",
    "behaviour",
    "behavior",
];

pub(crate) fn read(
    file: &str,
    bytes: &[u8],
    columns: &Columns,
    warnings: &mut Vec<Warning>,
) -> Result<Draft, ImportError> {
    let text = decode(file, bytes)?;
    if let Some(opened) = unclosed_quote(text) {
        return Err(ImportError::unreadable(
            Location::at_byte(file, text, opened),
            "this quoted cell is never closed: the quote runs to the end of the file",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header_at = Location::new(file, 1, 1);
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(error)) => return Err(csv_error(file, text, &error)),
        None => {
            return Err(ImportError::unmappable(
                header_at,
                "the file is empty: a header row naming the columns comes first",
            ));
        }
    };
    let names: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    let find = |given: &Option<String>, usual: &[&str], what: &str| {
        let found = match given {
            Some(given) => names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(given.trim())),
            None => names
                .iter()
                .position(|n| usual.iter().any(|u| n.eq_ignore_ascii_case(u))),
        };
        found.ok_or_else(|| {
            let wanted = given
                .as_ref()
                .map_or_else(|| usual.join("`, `"), ToOwned::to_owned);
            ImportError::unmappable(
                header_at.clone(),
                format!(
                    "no {what} column: looked for `{wanted}` among `{}` (name it with --{what}-column)",
                    names.join("`, `")
                ),
            )
        })
    };
    let track = find(&columns.track, TRACK_NAMES, "track")?;
    let level = find(&columns.level, LEVEL_NAMES, "level")?;
    let competency = find(&columns.competency, COMPETENCY_NAMES, "competency")?;
    let description = find(&columns.description, DESCRIPTION_NAMES, "description")?;
    let used = [track, level, competency, description];
    for (index, name) in names.iter().enumerate() {
        if !used.contains(&index) {
            warnings.push(Warning::new(
                Location::new(file, 1, field_column(text, 0, index)),
                format!("column `{name}` has no place in a climb framework and is not imported"),
            ));
        }
    }

    let mut draft = Draft {
        file: file.to_owned(),
        header: crate::header("matrix-csv", file),
        name: crate::name_from_file(file),
        version: "imported".to_owned(),
        ..Draft::default()
    };
    draft.header.push(format!(
        "Columns: track `{}`, level `{}`, competency `{}`, description `{}`.",
        names[track], names[level], names[competency], names[description]
    ));
    // (stream, role) of each (track, level) seen, and the row that first
    // set each (track, level, competency).
    let mut places: HashMap<(String, String), (usize, usize)> = HashMap::new();
    let mut seen: HashMap<(usize, usize, usize), usize> = HashMap::new();
    for record in records {
        let record = record.map_err(|e| csv_error(file, text, &e))?;
        let Some(position) = record.position() else {
            continue;
        };
        let line = usize::try_from(position.line()).unwrap_or(usize::MAX);
        let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
        let row_at = Location::new(file, line, 1);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |index: usize| record.get(index).unwrap_or("").trim();
        let at = |index: usize| Location::new(file, line, field_column(text, start, index));
        let (track_name, level_name, competency_name, text_cell) = (
            cell(track),
            cell(level),
            cell(competency),
            cell(description),
        );
        let missing = [
            (track_name, track, "track"),
            (level_name, level, "level"),
            (competency_name, competency, "competency"),
        ]
        .into_iter()
        .find(|(value, _, _)| value.is_empty());
        if let Some((_, index, what)) = missing {
            warnings.push(Warning::new(
                at(index),
                format!("the row has no {what}, so it is not imported"),
            ));
            continue;
        }
        if record.len() != names.len() {
            warnings.push(Warning::new(
                row_at.clone(),
                format!(
                    "the row has {} cells where the header has {}; the cells are read by place",
                    record.len(),
                    names.len()
                ),
            ));
        }
        let (stream_index, role_index) = *places
            .entry((track_name.to_owned(), level_name.to_owned()))
            .or_insert_with(|| {
                let stream_index = draft
                    .streams
                    .iter()
                    .position(|s| s.name == track_name)
                    .unwrap_or_else(|| {
                        let mut stream = DraftStream::new(at(track), track_name);
                        stream
                            .comments
                            .push(format!("From the `{}` rows of {file}.", track_name));
                        draft.streams.push(stream);
                        draft.streams.len() - 1
                    });
                let roles = &mut draft.streams[stream_index].roles;
                let mut role = DraftRole::new(at(level), level_name);
                role.comments.push(format!(
                    "From the rows of level `{level_name}` ({}).",
                    row_at
                ));
                roles.push(role);
                (stream_index, roles.len() - 1)
            });
        let competency_index = draft.competency(competency_name, &at(competency));
        if let Some(first) = seen.get(&(stream_index, role_index, competency_index)) {
            warnings.push(Warning::new(
                at(competency),
                format!(
                    "`{track_name}` / `{level_name}` / `{competency_name}` was already described on line {first}; this row is not imported"
                ),
            ));
            continue;
        }
        if text_cell.is_empty() {
            warnings.push(Warning::new(
                at(description),
                format!(
                    "no description for `{competency_name}` at `{level_name}` of `{track_name}`, so the level expects nothing of it"
                ),
            ));
            continue;
        }
        seen.insert((stream_index, role_index, competency_index), line);
        draft.streams[stream_index].roles[role_index]
            .expectations
            .push((competency_index, text_cell.to_owned()));
    }
    // Role titles: the level alone when no other track uses the same
    // level name, otherwise prefixed by the track.
    let mut tracks_of_level: HashMap<String, usize> = HashMap::new();
    for stream in &draft.streams {
        for role in &stream.roles {
            *tracks_of_level.entry(role.title.clone()).or_default() += 1;
        }
    }
    for stream in &mut draft.streams {
        for role in &mut stream.roles {
            if tracks_of_level.get(&role.title).copied().unwrap_or(0) > 1 {
                role.title = format!("{} {}", stream.name, role.title);
            }
        }
    }
    for competency in &mut draft.competencies {
        competency.comments.push(format!(
            "From the `{}` rows (first at {}); each level is a distinct description, lowest role first.",
            competency.name, competency.at
        ));
    }
    Ok(draft)
}

/// The error for a CSV record that could not be read.
fn csv_error(file: &str, text: &str, error: &csv::Error) -> ImportError {
    let location = error.position().map_or_else(
        || Location::new(file, 1, 1),
        |p| Location::at_byte(file, text, usize::try_from(p.byte()).unwrap_or(usize::MAX)),
    );
    ImportError::unreadable(location, format!("not readable as CSV: {error}"))
}

/// The offset of a quote that opens a cell and is never closed, which the
/// CSV reader would take as a cell running to the end of the file.
fn unclosed_quote(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut field_start = true;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if field_start => {
                let opened = i;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return Some(opened),
                        Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                field_start = false;
            }
            b',' | b'\n' | b'\r' => {
                field_start = true;
                i += 1;
            }
            _ => {
                field_start = false;
                i += 1;
            }
        }
    }
    None
}

/// The column (in characters, from 1) where field `index` of the record
/// starting at byte `start` begins, counting commas outside quotes.
fn field_column(text: &str, start: usize, index: usize) -> usize {
    let Some(record) = text.get(start..) else {
        return 1;
    };
    let mut field = 0;
    let mut quoted = false;
    let mut column = 1;
    let mut line_start_column = 1;
    for c in record.chars() {
        if field == index {
            return column - line_start_column + 1;
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => field += 1,
            '\n' if quoted => line_start_column = column + 1,
            '\n' | '\r' => break,
            _ => {}
        }
        column += 1;
    }
    if field == index {
        column - line_start_column + 1
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(csv: &str) -> Result<(Draft, Vec<Warning>), ImportError> {
        let mut warnings = Vec::new();
        let draft = read("m.csv", csv.as_bytes(), &Columns::default(), &mut warnings)?;
        Ok((draft, warnings))
    }

    #[test]
    fn usual_column_names_are_found_in_any_case() {
        let (draft, warnings) =
            import("Stream,GRADE,Skill,Expectation\nEng,L1,Code,Writes code\n").expect("reads");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(draft.streams[0].name, "Eng");
        assert_eq!(draft.streams[0].roles[0].title, "L1");
        assert_eq!(
            draft.streams[0].roles[0].expectations,
            [(0, "Writes code".to_owned())]
        );
    }

    #[test]
    fn a_missing_column_is_named_with_the_header_it_looked_in() {
        let error = import("track,level,description\n").expect_err("refused");
        assert!(
            error
                .to_string()
                .starts_with("m.csv:1:1: error: no competency column")
        );
    }

    #[test]
    fn extra_columns_are_warned_about_where_they_stand() {
        let (_, warnings) =
            import("track,level,competency,description,owner\nE,1,C,d,ann\n").expect("reads");
        assert_eq!(
            warnings[0].to_string(),
            "m.csv:1:36: warning: column `owner` has no place in a climb framework and is not imported"
        );
    }

    #[test]
    fn a_quote_never_closed_is_refused_where_it_opens() {
        assert_eq!(unclosed_quote("a,\"b\"\"c\",d\n"), None);
        assert_eq!(unclosed_quote("a,5\" screen\n"), None);
        assert_eq!(unclosed_quote("a,b\nc,\"d\n"), Some(6));
    }

    #[test]
    fn the_column_of_a_field_skips_quoted_commas() {
        let text = "a,\"b,c\",d\n";
        assert_eq!(field_column(text, 0, 0), 1);
        assert_eq!(field_column(text, 0, 1), 3);
        assert_eq!(field_column(text, 0, 2), 9);
    }

    #[test]
    fn a_level_shared_by_two_tracks_is_titled_with_its_track() {
        let (draft, _) =
            import("track,level,competency,description\nA,L1,C,x\nB,L1,C,y\n").expect("reads");
        assert_eq!(draft.streams[1].roles[0].title, "B L1");
    }
}
