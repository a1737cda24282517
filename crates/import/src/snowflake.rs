//! snowflake: the JavaScript module of Medium's Snowflake tool, read as
//! data and never run. Tracks become competencies whose levels are the
//! milestone summaries; the titles table becomes the roles of one IC stream
//! ordered by points. Signals, examples, descriptions, categories and point
//! thresholds have no place in a climb framework: they are kept as comments
//! and warned about.

use crate::document::Track;
use crate::draft::{Draft, DraftCompetency, DraftRole, DraftStream};
use crate::js::{self, Constant, Node, Value};
use crate::location::{ImportError, Lines, Warning, decode};

pub(crate) fn read(
    file: &str,
    bytes: &[u8],
    warnings: &mut Vec<Warning>,
) -> Result<Draft, ImportError> {
    let text = decode(file, bytes)?;
    let lines = Lines::new(file, text);
    let constants = js::constants(&lines, text)?;

    let is_tracks = |c: &&Constant| {
        c.value
            .entries()
            .iter()
            .any(|(_, _, track)| track.get("milestones").is_some())
    };
    let Some(tracks) = constants.iter().find(is_tracks) else {
        return Err(ImportError::unmappable(
            lines.at(0),
            "no tracks: expected a constant holding an object of tracks, each with `milestones`",
        ));
    };
    let is_titles = |c: &&Constant| {
        !c.value.items().is_empty() && c.value.items().iter().all(|t| t.get("label").is_some())
    };
    let titles = constants.iter().find(is_titles);
    let is_points_table = |c: &&Constant| {
        !c.value.entries().is_empty()
            && c.value
                .entries()
                .iter()
                .all(|(key, _, v)| key.trim().parse::<f64>().is_ok() && v.as_number().is_some())
    };
    let points_table = constants.iter().find(is_points_table);

    let mut draft = Draft {
        file: file.to_owned(),
        header: crate::header("snowflake", file),
        name: crate::name_from_file(file),
        version: "imported".to_owned(),
        ..Draft::default()
    };

    for constant in &constants {
        let used = std::ptr::eq(constant, tracks)
            || titles.is_some_and(|t| std::ptr::eq(constant, t))
            || points_table.is_some_and(|t| std::ptr::eq(constant, t));
        if used {
            continue;
        }
        let message = if constant.name.to_lowercase().contains("categor") {
            format!(
                "`{}`: climb has no categories of competencies; each track's category is kept as a comment on its competency",
                constant.name
            )
        } else {
            format!(
                "`{}` has no place in a climb framework and is not imported",
                constant.name
            )
        };
        warnings.push(Warning::new(lines.at(constant.at), message));
    }

    for (key, key_at, track) in tracks.value.entries() {
        let Some(milestones) = track.get("milestones") else {
            warnings.push(Warning::new(
                lines.at(*key_at),
                format!(
                    "`{}.{key}` has no `milestones`, so it is not imported",
                    tracks.name
                ),
            ));
            continue;
        };
        let name = track
            .get("displayName")
            .and_then(Node::as_str)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(key);
        let mut competency = DraftCompetency::new(lines.at(*key_at), name.trim());
        competency.comments.push(format!(
            "From {}.{key} ({}); its levels are the milestone summaries.",
            tracks.name,
            lines.at(*key_at)
        ));
        for field in ["displayName", "category", "description"] {
            if let Some(value) = track.get(field)
                && value.as_str().is_none()
            {
                warnings.push(Warning::new(
                    lines.at(value.at),
                    format!("`{key}.{field}` is not a string literal, so it is not imported"),
                ));
            }
        }
        let mut not_held = Vec::new();
        if let Some(category) = track.get("category").and_then(Node::as_str) {
            competency.comments.push(format!("Category: {category}"));
            not_held.push("category".to_owned());
        }
        if let Some(description) = track.get("description").and_then(Node::as_str) {
            competency
                .comments
                .push(format!("Description: {description}"));
            not_held.push("description".to_owned());
        }
        let (mut signals, mut examples) = (0, 0);
        for (place, milestone) in milestones.items().iter().enumerate() {
            let level = place + 1;
            let summary = milestone
                .get("summary")
                .and_then(Node::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty());
            let summary = if let Some(summary) = summary {
                summary.to_owned()
            } else {
                warnings.push(Warning::new(
                    lines.at(milestone.at),
                    format!("milestone {level} of `{key}` has no summary; its level reads `Milestone {level}`"),
                ));
                format!("Milestone {level}")
            };
            competency.levels.push(summary);
            for (field, count) in [("signals", &mut signals), ("examples", &mut examples)] {
                let items: Vec<&str> = milestone
                    .get(field)
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Node::as_str)
                    .collect();
                if !items.is_empty() {
                    *count += items.len();
                    competency.comments.push(format!("Level {level} {field}:"));
                    competency
                        .comments
                        .extend(items.iter().map(|item| format!("  - {item}")));
                }
            }
            for (field, _, _) in milestone.entries() {
                if !matches!(field.as_str(), "summary" | "signals" | "examples") {
                    warnings.push(Warning::new(
                        lines.at(milestone.at),
                        format!("milestone {level} of `{key}`: `{field}` has no place in a climb framework and is not imported"),
                    ));
                }
            }
        }
        if competency.levels.is_empty() {
            warnings.push(Warning::new(
                lines.at(milestones.at),
                format!("`{key}` has no milestones, so it is not imported"),
            ));
            continue;
        }
        if signals > 0 {
            not_held.push(plural(signals, "signal"));
        }
        if examples > 0 {
            not_held.push(plural(examples, "example"));
        }
        if !not_held.is_empty() {
            warnings.push(Warning::new(
                lines.at(*key_at),
                format!(
                    "`{key}`: {} kept as comments only; a climb competency holds a name and level texts",
                    list(&not_held)
                ),
            ));
        }
        for (field, field_at, _) in track.entries() {
            if !matches!(
                field.as_str(),
                "displayName" | "category" | "description" | "milestones"
            ) {
                warnings.push(Warning::new(
                    lines.at(*field_at),
                    format!(
                        "`{key}.{field}` has no place in a climb framework and is not imported"
                    ),
                ));
            }
        }
        draft.competencies.push(competency);
    }

    let mut stream = DraftStream::new(lines.at(tracks.at), "Engineering");
    stream.track = Some(Track::Ic);
    stream.comments.push(
        "Snowflake has one ladder of titles by points: they make one IC stream, named by climb's default."
            .to_owned(),
    );
    match (titles, points_table) {
        (Some(titles), _) => {
            roles_from_titles(&lines, titles, &mut stream, warnings);
            if let Some(table) = points_table {
                warnings.push(Warning::new(
                    lines.at(table.at),
                    format!(
                        "`{}`: climb has no points or sub-levels; the roles come from `{}`",
                        table.name, titles.name
                    ),
                ));
            }
        }
        (None, Some(table)) => roles_from_levels(&lines, table, &mut stream, warnings),
        (None, None) => {
            return Err(ImportError::unmappable(
                lines.at(tracks.at),
                "no titles: expected an array of `{label, minPoints, maxPoints}` or a points-to-level table",
            ));
        }
    }
    draft.streams.push(stream);
    Ok(draft)
}

/// Roles from `[{label, minPoints, maxPoints}, …]`, ordered by points.
fn roles_from_titles(
    lines: &Lines<'_>,
    titles: &Constant,
    stream: &mut DraftStream,
    warnings: &mut Vec<Warning>,
) {
    let mut roles: Vec<(f64, DraftRole)> = Vec::new();
    for (place, title) in titles.value.items().iter().enumerate() {
        let Some(label) = title
            .get("label")
            .and_then(Node::as_str)
            .filter(|l| !l.trim().is_empty())
        else {
            warnings.push(Warning::new(
                lines.at(title.at),
                format!(
                    "{}[{place}] has no label, so it is not imported",
                    titles.name
                ),
            ));
            continue;
        };
        let min = title
            .get("minPoints")
            .and_then(Node::as_number)
            .filter(|n| n.is_finite());
        let max = title
            .get("maxPoints")
            .and_then(Node::as_number)
            .filter(|n| n.is_finite());
        let mut role = DraftRole::new(lines.at(title.at), label.trim());
        role.comments.push(format!(
            "From {}[{place}] ({}).",
            titles.name,
            lines.at(title.at)
        ));
        let range = match (min, max) {
            (Some(min), Some(max)) => format!("{min} to {max} points"),
            (Some(min), None) => format!("{min} points and more"),
            (None, Some(max)) => format!("up to {max} points"),
            (None, None) => "no points given".to_owned(),
        };
        role.comments.push(format!("Points: {range}."));
        warnings.push(Warning::new(
            lines.at(title.at),
            format!("`{label}`: climb has no points ({range}); kept as a comment, the role placed by them"),
        ));
        if min.is_none() {
            warnings.push(Warning::new(
                lines.at(title.at),
                format!("`{label}` has no minPoints; it is placed after the titles that have"),
            ));
        }
        for (field, field_at, _) in title.entries() {
            if !matches!(field.as_str(), "label" | "minPoints" | "maxPoints") {
                warnings.push(Warning::new(
                    lines.at(*field_at),
                    format!(
                        "`{label}`: `{field}` has no place in a climb framework and is not imported"
                    ),
                ));
            }
        }
        roles.push((min.unwrap_or(f64::INFINITY), role));
    }
    roles.sort_by(|a, b| a.0.total_cmp(&b.0));
    stream.roles = roles
        .into_iter()
        .enumerate()
        .map(|(place, (_, mut role))| {
            role.seniority = i64::try_from(place + 1).ok();
            if place == 0 {
                role.comments.push(
                    "seniority: the titles' order by minPoints, from 1 (Snowflake gives no seniority)".to_owned(),
                );
            }
            role
        })
        .collect();
}

/// Roles from `{'0': '1.1', '5': '1.2', …}` when there is no titles table:
/// one role per whole level (`1.1` and `1.2` are both level 1).
fn roles_from_levels(
    lines: &Lines<'_>,
    table: &Constant,
    stream: &mut DraftStream,
    warnings: &mut Vec<Warning>,
) {
    let mut entries: Vec<(f64, String, usize)> = table
        .value
        .entries()
        .iter()
        .filter_map(|(points, at, level)| {
            let level = match &level.value {
                Value::String(s) => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((points.trim().parse().ok()?, level, *at))
        })
        .collect();
    entries.sort_by(|a, b| a.0.total_cmp(&b.0));
    warnings.push(Warning::new(
        lines.at(table.at),
        format!(
            "`{}`: climb has no points or sub-levels; each whole level becomes a role",
            table.name
        ),
    ));
    for (points, level, at) in entries {
        let whole = level.split('.').next().unwrap_or(&level).to_owned();
        let title = format!("Level {whole}");
        if let Some(role) = stream.roles.iter_mut().find(|r| r.title == title) {
            role.comments
                .push(format!("  {level} from {points} points"));
            continue;
        }
        let mut role = DraftRole::new(lines.at(at), title);
        role.comments.push(format!(
            "From {} ({}): sub-levels by points:",
            table.name,
            lines.at(at)
        ));
        role.comments
            .push(format!("  {level} from {points} points"));
        stream.roles.push(role);
    }
}

/// `a`, `a and b`, `a, b and c`.
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `1 signal`, `3 signals`.
fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(text: &str) -> Result<(Draft, Vec<Warning>), ImportError> {
        let mut warnings = Vec::new();
        let draft = read("s.js", text.as_bytes(), &mut warnings)?;
        Ok((draft, warnings))
    }

    const TRACKS: &str = "export const tracks = {\n  A: {displayName: 'Alpha', milestones: [{summary: 'one'}, {summary: ''}]},\n}\n";

    #[test]
    fn without_titles_each_whole_level_of_the_points_table_is_a_role() {
        let text =
            format!("{TRACKS}const pointsToLevels = {{'10': '2.1', '0': '1.1', '5': '1.2'}}\n");
        let (draft, warnings) = import(&text).expect("imports");
        let titles: Vec<&str> = draft.streams[0]
            .roles
            .iter()
            .map(|r| r.title.as_str())
            .collect();
        assert_eq!(titles, ["Level 1", "Level 2"]);
        assert!(
            warnings
                .iter()
                .any(|w| w.message.contains("each whole level becomes a role"))
        );
    }

    #[test]
    fn a_milestone_without_a_summary_is_named_by_its_number_with_a_warning() {
        let text = format!("{TRACKS}const titles = [{{label: 'E1', minPoints: 0}}]\n");
        let (draft, warnings) = import(&text).expect("imports");
        assert_eq!(draft.competencies[0].levels, ["one", "Milestone 2"]);
        assert!(
            warnings.iter().any(|w| w
                .to_string()
                .starts_with("s.js:2:60: warning: milestone 2 of `A` has no summary")),
            "{warnings:?}"
        );
    }

    #[test]
    fn titles_are_ordered_by_their_minimum_points() {
        let text = format!(
            "{TRACKS}const titles = [{{label: 'Senior', minPoints: 20}}, {{label: 'Junior', minPoints: 0}}]\n"
        );
        let (draft, _) = import(&text).expect("imports");
        let roles = &draft.streams[0].roles;
        assert_eq!(
            (roles[0].title.as_str(), roles[0].seniority),
            ("Junior", Some(1))
        );
        assert_eq!(
            (roles[1].title.as_str(), roles[1].seniority),
            ("Senior", Some(2))
        );
    }

    #[test]
    fn a_field_that_is_not_a_literal_is_warned_about() {
        let text = "const tracks = {A: {displayName: name(), milestones: [{summary: 'x'}]}}\nconst titles = [{label: 'E1', minPoints: 0}]\n";
        let (draft, warnings) = import(text).expect("imports");
        assert_eq!(draft.competencies[0].name, "A");
        assert!(
            warnings.iter().any(|w| w.to_string() == "s.js:1:34: warning: `A.displayName` is not a string literal, so it is not imported"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_module_without_tracks_cannot_be_mapped() {
        let error = import("export const titles = [{label: 'E1'}]\n").expect_err("refused");
        assert!(matches!(error, ImportError::Unmappable { .. }));
    }
}
