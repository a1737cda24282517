//! Where each item and id of a framework file was written: the parser's raw
//! items with their byte spans, for tools that work on the text itself (the
//! language server's navigation, completion and renames). Available for any
//! file that is TOML, whatever its other errors.

use std::ops::Range;

use crate::model::{Seniority, Track, TransitionKind};
use crate::parse::{
    RawCompetency, RawDesignation, RawFramework, RawRename, RawRole, RawStream, RawTransition, Sp,
};

/// A value with the byte range of the source it was read from. For a
/// string value the range holds its quotes; for a key, the key as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value as read.
    pub value: T,
    /// Byte range into the source.
    pub span: Range<usize>,
}

/// Every item of a framework file in file order, with the spans of its ids
/// and of the ids it refers to. Fields are `None` where the file lacks the
/// key or holds a value of the wrong type; ids are kept even when they are
/// not kebab-case, so that references to them still resolve.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// The `[[streams]]` tables.
    pub streams: Vec<OutlineStream>,
    /// The `[[roles]]` tables.
    pub roles: Vec<OutlineRole>,
    /// The `[[transitions]]` tables.
    pub transitions: Vec<OutlineTransition>,
    /// The `[[designations]]` tables.
    pub designations: Vec<OutlineDesignation>,
    /// The `[[competencies]]` tables.
    pub competencies: Vec<OutlineCompetency>,
    /// The `[[renames]]` tables.
    pub renames: Vec<OutlineRename>,
}

/// One stream as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineStream {
    /// From the start of its header to the end of its last entry.
    pub extent: Range<usize>,
    /// Its `id`.
    pub id: Option<Spanned<String>>,
    /// Its `name`.
    pub name: Option<String>,
    /// Its `track`.
    pub track: Option<Track>,
}

/// One role as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineRole {
    /// From the start of its header to the end of its last entry.
    pub extent: Range<usize>,
    /// Its `id`.
    pub id: Option<Spanned<String>>,
    /// Its `title`.
    pub title: Option<String>,
    /// The stream id it names.
    pub stream: Option<Spanned<String>>,
    /// Its `seniority`.
    pub seniority: Option<Seniority>,
    /// Whether it is marked `entry = true`.
    pub entry: bool,
    /// Whether it is marked `hire_only = true`.
    pub hire_only: bool,
    /// Its `expectations`, in the order written.
    pub expectations: Vec<OutlineExpectation>,
}

/// One entry of a role's `expectations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineExpectation {
    /// The competency id, spanning the key.
    pub competency: Spanned<String>,
    /// The expected level, when it is a valid one.
    pub level: Option<u32>,
}

/// One transition as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineTransition {
    /// From the start of its header to the end of its last entry.
    pub extent: Range<usize>,
    /// The role it leaves.
    pub from: Option<Spanned<String>>,
    /// The role it leads into.
    pub to: Option<Spanned<String>>,
    /// Its `kind`.
    pub kind: Option<TransitionKind>,
}

/// One designation as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineDesignation {
    /// From the start of its header to the end of its last entry.
    pub extent: Range<usize>,
    /// Its `id`.
    pub id: Option<Spanned<String>>,
    /// Its `title`.
    pub title: Option<String>,
    /// The stream ids of `eligible_streams` (empty when absent).
    pub eligible_streams: Vec<Spanned<String>>,
}

/// One competency as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineCompetency {
    /// From the start of its header to the end of its last entry.
    pub extent: Range<usize>,
    /// Its `id`.
    pub id: Option<Spanned<String>>,
    /// Its `name`.
    pub name: Option<String>,
    /// The descriptions of its levels, level 1 first.
    pub levels: Vec<String>,
}

/// One rename as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineRename {
    /// From the start of its header to the end of its last entry.
    pub extent: Range<usize>,
    /// The role id of the older version.
    pub from: Option<Spanned<String>>,
    /// The role id of this version.
    pub to: Option<Spanned<String>>,
}

fn spanned<T>(sp: Option<Sp<T>>) -> Option<Spanned<T>> {
    sp.map(Spanned::from)
}

impl<T> From<Sp<T>> for Spanned<T> {
    fn from(sp: Sp<T>) -> Self {
        Self {
            value: sp.value,
            span: sp.span,
        }
    }
}

/// Moves the parser's items into an outline: the strings are not copied.
impl From<RawFramework> for Outline {
    fn from(raw: RawFramework) -> Self {
        Self {
            streams: raw.streams.into_iter().map(stream).collect(),
            roles: raw.roles.into_iter().map(role).collect(),
            transitions: raw.transitions.into_iter().map(transition).collect(),
            designations: raw.designations.into_iter().map(designation).collect(),
            competencies: raw.competencies.into_iter().map(competency).collect(),
            renames: raw.renames.into_iter().map(rename).collect(),
        }
    }
}

fn stream(raw: RawStream) -> OutlineStream {
    OutlineStream {
        extent: raw.extent,
        id: spanned(raw.id),
        name: raw.name,
        track: raw.track.map(|t| t.value),
    }
}

fn role(raw: RawRole) -> OutlineRole {
    OutlineRole {
        extent: raw.extent,
        id: spanned(raw.id),
        title: raw.title,
        stream: spanned(raw.stream),
        seniority: raw.seniority.map(|s| s.value),
        entry: raw.entry == Some(true),
        hire_only: raw.hire_only == Some(true),
        expectations: raw
            .expectations
            .into_iter()
            .map(|e| OutlineExpectation {
                competency: Spanned::from(e.competency),
                level: e.level.map(|l| l.value),
            })
            .collect(),
    }
}

fn transition(raw: RawTransition) -> OutlineTransition {
    OutlineTransition {
        extent: raw.extent,
        from: spanned(raw.from),
        to: spanned(raw.to),
        kind: raw.kind.map(|k| k.value),
    }
}

fn designation(raw: RawDesignation) -> OutlineDesignation {
    OutlineDesignation {
        extent: raw.extent,
        id: spanned(raw.id),
        title: raw.title,
        eligible_streams: raw
            .eligible_streams
            .into_iter()
            .flatten()
            .map(Spanned::from)
            .collect(),
    }
}

fn competency(raw: RawCompetency) -> OutlineCompetency {
    OutlineCompetency {
        extent: raw.extent,
        id: spanned(raw.id),
        name: raw.name,
        levels: raw.levels.map(|l| l.value).unwrap_or_default(),
    }
}

fn rename(raw: RawRename) -> OutlineRename {
    OutlineRename {
        extent: raw.extent,
        from: spanned(raw.from),
        to: spanned(raw.to),
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnose;

    #[test]
    fn ids_and_references_keep_the_span_of_their_text() {
        let source = "[framework]\nname = \"F\"\nversion = \"1\"\n\n[[streams]]\nid = \"eng\"\nname = \"Eng\"\ntrack = \"ic\"\n\n[[roles]]\nid = \"dev\"\ntitle = \"Dev\"\nstream = \"eng\"\nseniority = 1\nentry = true\n";
        let diagnosis = diagnose(source.as_bytes());
        assert!(diagnosis.diagnostics.is_empty(), "{diagnosis:?}");
        let outline = diagnosis.outline.expect("an outline of a TOML file");
        let role = &outline.roles[0];
        let id = role.id.as_ref().expect("the role's id");
        assert_eq!(&source[id.span.clone()], "\"dev\"");
        let stream = role.stream.as_ref().expect("the role's stream");
        assert_eq!(&source[stream.span.clone()], "\"eng\"");
        assert!(source[role.extent.clone()].starts_with("[[roles]]"));
        assert!(source[role.extent.clone()].ends_with("entry = true"));
        assert_eq!(outline.streams[0].track, Some(crate::Track::Ic));
    }

    #[test]
    fn a_file_that_is_not_toml_has_no_outline() {
        let diagnosis = diagnose(b"[[roles]\nid = \"");
        assert!(!diagnosis.diagnostics.is_empty());
        assert!(diagnosis.outline.is_none());
    }
}
