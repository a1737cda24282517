//! progression-yaml: one YAML file listing job families, each with its
//! levels in order and, per level, the competencies it expects in words.
//! Job families become streams, levels their roles (seniority from a
//! `seniority` key or the level's place), competencies become competencies
//! whose levels are the distinct expectations, lowest role first.
//!
//! ```yaml
//! name: Acme engineering progression     # optional
//! version: "2026.1"                      # optional
//! competencies:                          # optional: order and names
//!   - name: Technical
//! job_families:                          # or `families`
//!   - name: Engineering
//!     track: ic                          # optional
//!     levels:
//!       - name: Engineer I
//!         seniority: 1                   # optional
//!         summary: ...                   # optional
//!         competencies:
//!           Technical: [ "...", "..." ]  # or a list of {competency, expectations}
//! ```

use crate::document::Track;
use crate::draft::{Draft, DraftRole, DraftStream};
use crate::location::{ImportError, Location, Warning, decode};
use crate::yaml::{self, Node, Value};

pub(crate) fn read(
    file: &str,
    bytes: &[u8],
    warnings: &mut Vec<Warning>,
) -> Result<Draft, ImportError> {
    let text = decode(file, bytes)?;
    let (root, more) = yaml::parse(file, text)?;
    if let Some(at) = more {
        warnings.push(Warning::new(at, "only the first YAML document is read"));
    }
    let start = Location::new(file, 1, 1);
    let Some(root) = root.filter(|r| matches!(r.value, Value::Mapping(_))) else {
        return Err(ImportError::unmappable(
            start,
            "expected a mapping with `job_families` at the top of the file",
        ));
    };
    yaml::warn_aliases(&root, warnings);
    let mut draft = Draft {
        file: file.to_owned(),
        header: crate::header("progression-yaml", file),
        name: text_of(root.get("name")).unwrap_or_else(|| crate::name_from_file(file)),
        version: text_of(root.get("version")).unwrap_or_else(|| "imported".to_owned()),
        description: text_of(root.get("description")),
        ..Draft::default()
    };
    let Some((families_key, families)) = ["job_families", "families", "streams"]
        .iter()
        .find_map(|key| root.get(key).map(|node| (*key, node)))
    else {
        return Err(ImportError::unmappable(
            start,
            "no `job_families`: expected a list of job families, each with its `levels`",
        ));
    };
    unknown_keys(
        &root,
        &[
            "name",
            "version",
            "description",
            "competencies",
            families_key,
        ],
        "the top level",
        warnings,
    );

    for definition in root
        .get("competencies")
        .map(Node::items)
        .unwrap_or_default()
    {
        let Some(name) = text_of(definition.get("name")).or_else(|| text_of(Some(definition)))
        else {
            warnings.push(Warning::new(
                definition.at.clone(),
                "a competency without a `name` is not imported",
            ));
            continue;
        };
        let index = draft.competency(&name, &definition.at);
        let competency = &mut draft.competencies[index];
        competency
            .comments
            .push(format!("Defined at {}.", definition.at));
        if let Some(description) = text_of(definition.get("description")) {
            competency
                .comments
                .push(format!("Description: {description}"));
            warnings.push(Warning::new(
                definition.at.clone(),
                format!("`{name}`: a climb competency has no description; it is kept as a comment"),
            ));
        }
        unknown_keys(
            definition,
            &["name", "id", "description"],
            &format!("competency `{name}`"),
            warnings,
        );
    }

    for family in families.items() {
        let Some(name) = text_of(family.get("name")) else {
            warnings.push(Warning::new(
                family.at.clone(),
                "a job family without a `name` is not imported",
            ));
            continue;
        };
        let mut stream = DraftStream::new(family.at.clone(), name.clone());
        stream
            .comments
            .push(format!("From job family `{name}` ({}).", family.at));
        stream.description = text_of(family.get("description"));
        if let Some(track) = family.get("track") {
            stream.track = read_track(track, warnings);
        }
        unknown_keys(
            family,
            &["name", "id", "track", "description", "levels"],
            &format!("job family `{name}`"),
            warnings,
        );
        for level in family.get("levels").map(Node::items).unwrap_or_default() {
            if let Some(role) = read_level(level, &name, &mut draft, warnings) {
                stream.roles.push(role);
            }
        }
        draft.streams.push(stream);
    }
    for competency in &mut draft.competencies {
        competency
            .comments
            .push("Its levels are the distinct expectations of the levels that name it, lowest role first.".to_owned());
    }
    Ok(draft)
}

/// One level of a job family named `name` as a role, with its expectations
/// (their competencies added to the draft); `None`, with a warning, for a
/// level without a name. Front matter of progression-markdown uses it too.
/// A stream's `track`: `ic`, `management` or `executive`; anything else is
/// warned about at its place and left to the default.
pub(crate) fn read_track(track: &Node, warnings: &mut Vec<Warning>) -> Option<Track> {
    match track.as_str().map(str::trim) {
        Some("ic") => Some(Track::Ic),
        Some("management") => Some(Track::Management),
        Some("executive") => Some(Track::Executive),
        other => {
            warnings.push(Warning::new(
                track.at.clone(),
                format!(
                    "`{}` is not a track climb knows (ic, management, executive); the default is used",
                    other.unwrap_or("?")
                ),
            ));
            None
        }
    }
}

pub(crate) fn read_level(
    level: &Node,
    name: &str,
    draft: &mut Draft,
    warnings: &mut Vec<Warning>,
) -> Option<DraftRole> {
    let Some(title) = text_of(level.get("name")).or_else(|| text_of(level.get("title"))) else {
        warnings.push(Warning::new(
            level.at.clone(),
            format!("a level of `{name}` without a `name` is not imported"),
        ));
        return None;
    };
    let mut role = DraftRole::new(level.at.clone(), title.clone());
    role.comments
        .push(format!("From level `{title}` of `{name}` ({}).", level.at));
    if let Some(seniority) = level.get("seniority").or_else(|| level.get("level")) {
        match seniority
            .as_str()
            .and_then(|s| s.trim().parse::<i64>().ok())
        {
            Some(value) => role.seniority = Some(value),
            None => warnings.push(Warning::new(
                seniority.at.clone(),
                format!("`{title}`: seniority is not a whole number, so the level's place is used"),
            )),
        }
    }
    role.summary = text_of(level.get("summary")).or_else(|| text_of(level.get("description")));
    role.responsibilities = level
        .get("responsibilities")
        .map(Node::texts)
        .unwrap_or_default();
    unknown_keys(
        level,
        &[
            "name",
            "title",
            "seniority",
            "level",
            "summary",
            "description",
            "responsibilities",
            "competencies",
        ],
        &format!("level `{title}`"),
        warnings,
    );
    let expected = level.get("competencies");
    let pairs: Vec<(String, Location, Vec<String>)> = match expected.map(|e| &e.value) {
        Some(Value::Mapping(entries)) => entries
            .iter()
            .map(|(key, at, value)| (key.clone(), at.clone(), value.texts()))
            .collect(),
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|item| {
                let competency =
                    text_of(item.get("competency")).or_else(|| text_of(item.get("name")))?;
                let texts = item
                    .get("expectations")
                    .or_else(|| item.get("expectation"))
                    .map(Node::texts)
                    .unwrap_or_default();
                Some((competency, item.at.clone(), texts))
            })
            .collect(),
        _ => Vec::new(),
    };
    for (competency, at, texts) in pairs {
        if competency.trim().is_empty() {
            continue;
        }
        let index = draft.competency(&competency, &at);
        if texts.is_empty() {
            warnings.push(Warning::new(
                at,
                format!("`{title}` names `{competency}` without an expectation, so it expects nothing of it"),
            ));
            continue;
        }
        role.expectations.push((index, texts.join("\n")));
    }
    Some(role)
}

/// A scalar's trimmed text, if not empty.
fn text_of(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(ToOwned::to_owned)
}

fn unknown_keys(node: &Node, known: &[&str], what: &str, warnings: &mut Vec<Warning>) {
    for (key, at, _) in node.entries() {
        if !known.contains(&key.as_str()) {
            warnings.push(Warning::new(
                at.clone(),
                format!("{what}: `{key}` has no place in a climb framework and is not imported"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(text: &str) -> Result<(Draft, Vec<Warning>), ImportError> {
        let mut warnings = Vec::new();
        let draft = read("p.yml", text.as_bytes(), &mut warnings)?;
        Ok((draft, warnings))
    }

    #[test]
    fn levels_given_as_a_list_of_competencies_or_a_mapping_read_alike() {
        let text = "job_families:\n  - name: Eng\n    levels:\n      - name: A\n        competencies:\n          Craft: [x, y]\n      - name: B\n        competencies:\n          - competency: Craft\n            expectations: z\n";
        let (draft, warnings) = import(text).expect("imports");
        assert!(warnings.is_empty(), "{warnings:?}");
        let roles = &draft.streams[0].roles;
        assert_eq!(roles[0].expectations, [(0, "x\ny".to_owned())]);
        assert_eq!(roles[1].expectations, [(0, "z".to_owned())]);
    }

    #[test]
    fn an_unknown_track_is_warned_about_and_the_default_used() {
        let text = "job_families:\n  - name: Eng\n    track: wizard\n    levels: [{name: A}]\n";
        let (draft, warnings) = import(text).expect("imports");
        assert_eq!(draft.streams[0].track, None);
        assert_eq!(warnings[0].location.to_string(), "p.yml:3:12");
    }

    #[test]
    fn aliases_are_warned_about_where_they_stand() {
        let text =
            "job_families:\n  - name: &n Eng\n    levels:\n      - name: *n\n      - name: B\n";
        let (_, warnings) = import(text).expect("imports");
        assert!(
            warnings.iter().any(|w| w.to_string() == "p.yml:4:15: warning: a YAML alias is not followed, so what it stands for is not imported here"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_file_without_job_families_cannot_be_mapped() {
        let error = import("name: x\n").expect_err("refused");
        assert!(error.to_string().contains("no `job_families`"));
        assert!(import("- just a list\n").is_err());
    }
}
