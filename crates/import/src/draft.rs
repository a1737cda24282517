//! The shape every importer fills in before ids exist: streams holding
//! roles in the source's order, and competencies whose level texts come
//! either straight from the source or from what each role expects. Building
//! it gives ids (slugged, unique), seniority, promotions up each stream and
//! entry roles, the defaults climb needs where a source is silent, each said
//! in a comment.

use std::collections::HashMap;

use crate::document::{Competency, Document, Role, Stream, Track, Transition};
use crate::location::{ImportError, Location, Warning};
use crate::slug::Slugs;

/// The highest seniority a framework file accepts.
const MAX_SENIORITY: u32 = 100;

/// A framework before ids, seniority defaults and transitions.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    /// The source file (or folder) errors about the whole source point at.
    pub(crate) file: String,
    pub(crate) header: Vec<String>,
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) description: Option<String>,
    pub(crate) streams: Vec<DraftStream>,
    pub(crate) competencies: Vec<DraftCompetency>,
    /// The competency of each name's slug, for [`Draft::competency`].
    pub(crate) competency_by_slug: HashMap<String, usize>,
}

#[derive(Debug)]
pub(crate) struct DraftStream {
    pub(crate) at: Location,
    pub(crate) name: String,
    /// The track the source gives, if any.
    pub(crate) track: Option<Track>,
    pub(crate) description: Option<String>,
    pub(crate) comments: Vec<String>,
    pub(crate) roles: Vec<DraftRole>,
}

#[derive(Debug)]
pub(crate) struct DraftRole {
    pub(crate) at: Location,
    pub(crate) title: String,
    /// The seniority the source gives, if any; otherwise the role's place
    /// in its stream (1 for the first).
    pub(crate) seniority: Option<i64>,
    pub(crate) summary: Option<String>,
    pub(crate) responsibilities: Vec<String>,
    pub(crate) comments: Vec<String>,
    /// Competency (index into the draft's competencies) and the text of
    /// what this role is expected to show in it.
    pub(crate) expectations: Vec<(usize, String)>,
}

#[derive(Debug)]
pub(crate) struct DraftCompetency {
    pub(crate) at: Location,
    pub(crate) name: String,
    pub(crate) comments: Vec<String>,
    /// Level texts the source lists itself (Snowflake's milestones); when
    /// empty, the levels are the distinct texts the roles expect, in order
    /// of the seniority of the roles that expect them.
    pub(crate) levels: Vec<String>,
}

impl DraftStream {
    pub(crate) fn new(at: Location, name: impl Into<String>) -> Self {
        Self {
            at,
            name: name.into(),
            track: None,
            description: None,
            comments: Vec::new(),
            roles: Vec::new(),
        }
    }
}

impl DraftRole {
    pub(crate) fn new(at: Location, title: impl Into<String>) -> Self {
        Self {
            at,
            title: title.into(),
            seniority: None,
            summary: None,
            responsibilities: Vec::new(),
            comments: Vec::new(),
            expectations: Vec::new(),
        }
    }
}

impl DraftCompetency {
    pub(crate) fn new(at: Location, name: impl Into<String>) -> Self {
        Self {
            at,
            name: name.into(),
            comments: Vec::new(),
            levels: Vec::new(),
        }
    }
}

impl Draft {
    /// The index of the competency named `name` (compared by its slug),
    /// added at `at` when there is none yet.
    pub(crate) fn competency(&mut self, name: &str, at: &Location) -> usize {
        let wanted = crate::slug::slug(name);
        if let Some(index) = self.competency_by_slug.get(&wanted) {
            return *index;
        }
        self.competencies
            .push(DraftCompetency::new(at.clone(), name.trim()));
        let index = self.competencies.len() - 1;
        self.competency_by_slug.insert(wanted, index);
        index
    }

    /// The document, or an error when the draft cannot be a framework (no
    /// role, a seniority out of range or repeated within a stream).
    /// Streams without roles and competencies without levels are left out
    /// with a warning.
    pub(crate) fn build(self, warnings: &mut Vec<Warning>) -> Result<Document, ImportError> {
        let Draft {
            file,
            header,
            name,
            version,
            description,
            streams,
            competencies,
            competency_by_slug: _,
        } = self;
        let mut document = Document {
            header,
            name,
            version,
            description,
            ..Document::default()
        };

        let mut stream_slugs = Slugs::new("stream");
        let mut role_slugs = Slugs::new("role");
        // (role's place in the document, competency, text, seniority)
        let mut expected: Vec<(usize, usize, String)> = Vec::new();
        let mut seniority_of_role: Vec<u32> = Vec::new();
        let mut first_promotion = true;
        for stream in streams {
            if stream.roles.is_empty() {
                warnings.push(Warning::new(
                    stream.at.clone(),
                    format!("`{}` has no levels, so it is not imported", stream.name),
                ));
                continue;
            }
            let stream_id = stream_slugs.unique(&stream.name);
            let mut comments = stream.comments;
            let track = stream.track.unwrap_or_else(|| {
                let guessed = guess_track(&stream.name);
                comments.push(format!(
                    "track: the source gives none; `{}` is climb's default for a stream named `{}`",
                    guessed.as_str(),
                    stream.name
                ));
                guessed
            });
            document.streams.push(Stream {
                comments,
                id: stream_id.clone(),
                name: stream.name,
                track,
                description: stream.description,
            });

            let mut previous: Option<(String, u32, String)> = None;
            let positional = stream.roles.iter().all(|r| r.seniority.is_none());
            let mut roles = stream.roles;
            // Roles given a seniority are placed by it; the sort is stable,
            // so equal ones keep the source's order and are refused below.
            if !positional {
                roles.sort_by_key(|r| r.seniority.unwrap_or(i64::MAX));
            }
            for (place, role) in roles.into_iter().enumerate() {
                let mut comments = role.comments;
                let seniority = match role.seniority {
                    Some(given) => u32::try_from(given)
                        .ok()
                        .filter(|s| *s <= MAX_SENIORITY)
                        .ok_or_else(|| {
                            ImportError::unmappable(
                                role.at.clone(),
                                format!(
                                    "`{}` has seniority {given}; climb places roles at 0 to {MAX_SENIORITY}",
                                    role.title
                                ),
                            )
                        })?,
                    None => {
                        let place = u32::try_from(place + 1).unwrap_or(u32::MAX);
                        if place > MAX_SENIORITY {
                            return Err(ImportError::unmappable(
                                role.at.clone(),
                                format!(
                                    "`{}` is level {place} of its stream; climb places roles at 0 to {MAX_SENIORITY}",
                                    role.title
                                ),
                            ));
                        }
                        if place == 1 {
                            comments.push(format!(
                                "seniority: the source gives none; the roles of `{}` are numbered in the order it lists them",
                                document.streams.last().map_or("", |s| s.name.as_str())
                            ));
                        }
                        place
                    }
                };
                if let Some((previous_title, previous_seniority, _)) = &previous
                    && *previous_seniority >= seniority
                {
                    return Err(ImportError::unmappable(
                        role.at,
                        format!(
                            "`{}` has the same seniority ({seniority}) as `{previous_title}` in one stream; a promotion between them would not go up",
                            role.title
                        ),
                    ));
                }
                let role_id = role_slugs.unique(&role.title);
                if let Some((_, _, from_id)) = &previous {
                    let mut transition_comments = Vec::new();
                    if first_promotion {
                        transition_comments.push(
                            "transitions: the source names none; each role is promoted to the next one up its stream, climb's default".to_owned(),
                        );
                        first_promotion = false;
                    }
                    document.transitions.push(Transition {
                        comments: transition_comments,
                        from: from_id.clone(),
                        to: role_id.clone(),
                    });
                } else {
                    comments.push(
                        "entry: the first role of its stream is where people are hired in"
                            .to_owned(),
                    );
                }
                let index = document.roles.len();
                for (competency, text) in role.expectations {
                    expected.push((index, competency, text));
                }
                seniority_of_role.push(seniority);
                document.roles.push(Role {
                    comments,
                    id: role_id.clone(),
                    entry: previous.is_none(),
                    title: role.title.clone(),
                    stream: stream_id.clone(),
                    seniority,
                    summary: role.summary,
                    responsibilities: role.responsibilities,
                    expectations: Vec::new(),
                });
                previous = Some((role.title, seniority, role_id));
            }
        }
        if document.roles.is_empty() {
            return Err(ImportError::unmappable(
                Location::new(file, 1, 1),
                "the source holds no role (no level of any track), so there is no framework to write",
            ));
        }

        // Each competency's levels: its own list, or the distinct texts the
        // roles expect, lowest seniority first.
        expected.sort_by_key(|(role, _, _)| (seniority_of_role[*role], *role));
        let mut expected_of: Vec<Vec<(usize, String)>> = vec![Vec::new(); competencies.len()];
        for (role, competency, text) in expected {
            if let Some(list) = expected_of.get_mut(competency) {
                list.push((role, text));
            }
        }
        let mut competency_slugs = Slugs::new("competency");
        for (index, competency) in competencies.into_iter().enumerate() {
            let mut levels = competency.levels;
            let mut place_of_text: HashMap<String, usize> = HashMap::new();
            let derived = levels.is_empty();
            let mut uses = Vec::new();
            for (role, text) in std::mem::take(&mut expected_of[index]) {
                let level = if derived {
                    *place_of_text.entry(text.clone()).or_insert_with(|| {
                        levels.push(text);
                        levels.len()
                    })
                } else {
                    levels.iter().position(|l| *l == text).map_or(1, |p| p + 1)
                };
                uses.push((role, level));
            }
            if levels.is_empty() {
                warnings.push(Warning::new(
                    competency.at,
                    format!(
                        "`{}` has no level text, and climb needs at least one, so it is not imported",
                        competency.name
                    ),
                ));
                continue;
            }
            let id = competency_slugs.unique(&competency.name);
            for (role, level) in uses {
                let expectations = &mut document.roles[role].expectations;
                if !expectations.iter().any(|(c, _)| c == &id) {
                    expectations.push((id.clone(), level));
                }
            }
            document.competencies.push(Competency {
                comments: competency.comments,
                id,
                name: competency.name,
                levels,
            });
        }
        Ok(document)
    }
}

/// The track climb assumes for a stream whose source does not say: people
/// managers for a name that speaks of managing, individual contributors
/// otherwise.
fn guess_track(name: &str) -> Track {
    let lower = name.to_lowercase();
    if lower.contains("manag") {
        Track::Management
    } else if lower.contains("executive") {
        Track::Executive
    } else {
        Track::Ic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize) -> Location {
        Location::new("f", line, 1)
    }

    fn role(title: &str, seniority: Option<i64>) -> DraftRole {
        let mut role = DraftRole::new(at(1), title);
        role.seniority = seniority;
        role
    }

    #[test]
    fn roles_are_promoted_up_each_stream_and_the_first_is_the_entry() {
        let mut draft = Draft {
            name: "x".into(),
            version: "1".into(),
            ..Draft::default()
        };
        let mut stream = DraftStream::new(at(1), "Engineering");
        stream.roles = vec![role("Engineer", None), role("Senior Engineer", None)];
        draft.streams.push(stream);
        let document = draft.build(&mut Vec::new()).expect("builds");
        assert_eq!(document.roles[0].seniority, 1);
        assert!(document.roles[0].entry);
        assert!(!document.roles[1].entry);
        assert_eq!(document.transitions[0].from, "engineer");
        assert_eq!(document.transitions[0].to, "senior-engineer");
        assert_eq!(document.streams[0].track, Track::Ic);
    }

    #[test]
    fn competency_levels_are_the_expected_texts_in_seniority_order() {
        let mut draft = Draft::default();
        let competency = draft.competency("Delivery", &at(1));
        let mut stream = DraftStream::new(at(1), "Engineering");
        let mut high = role("Senior", Some(5));
        high.expectations.push((competency, "leads".into()));
        let mut low = role("Junior", Some(2));
        low.expectations.push((competency, "ships".into()));
        stream.roles = vec![high, low];
        draft.streams.push(stream);
        let document = draft.build(&mut Vec::new()).expect("builds");
        assert_eq!(document.competencies[0].levels, ["ships", "leads"]);
        assert_eq!(document.roles[0].title, "Junior");
        assert_eq!(document.roles[1].expectations, [("delivery".into(), 2)]);
    }

    #[test]
    fn equal_seniority_in_a_stream_is_refused_at_the_second_role() {
        let mut draft = Draft::default();
        let mut stream = DraftStream::new(at(1), "Engineering");
        stream.roles = vec![role("A", Some(2)), DraftRole::new(at(7), "B")];
        stream.roles[1].seniority = Some(2);
        draft.streams.push(stream);
        let error = draft.build(&mut Vec::new()).expect_err("refused");
        assert_eq!(error.location().line, 7);
    }

    #[test]
    fn a_seniority_above_100_is_refused() {
        let mut draft = Draft::default();
        let mut stream = DraftStream::new(at(1), "Engineering");
        stream.roles = vec![role("A", Some(101))];
        draft.streams.push(stream);
        assert!(matches!(
            draft.build(&mut Vec::new()),
            Err(ImportError::Unmappable { .. })
        ));
    }
}
