//! Turning raw, fully checked items into the model's types. Runs only when
//! the checks found no error, so every required field is present.

use foldhash::HashMap;

use crate::id::{CompetencyId, RoleId, StreamId};
use crate::model::{
    Competency, Designation, Expectation, Framework, FrameworkMeta, FrameworkParts, Rename, Role,
    Stream, Transition,
};
use crate::parse::{RawFramework, RawRole, Sp};

/// The framework, or `None` if some required field is missing (which the
/// parser has then reported as an error).
pub(super) fn build(raw: RawFramework) -> Option<Framework> {
    let meta = raw.meta?;
    let meta = FrameworkMeta {
        name: meta.name?,
        version: meta.version?,
        description: meta.description,
    };
    let streams = raw
        .streams
        .into_iter()
        .map(|s| {
            Some(Stream {
                id: id(s.id)?,
                name: s.name?,
                track: s.track?.value,
                description: s.description,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let tracks: HashMap<&str, _> = streams.iter().map(|s| (s.id.as_str(), s.track)).collect();
    let roles = raw
        .roles
        .into_iter()
        .map(|r| role(r, &tracks))
        .collect::<Option<Vec<_>>>()?;
    let transitions = raw
        .transitions
        .into_iter()
        .map(|t| {
            Some(Transition {
                from: id(t.from)?,
                to: id(t.to)?,
                kind: t.kind?.value,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let designations = raw
        .designations
        .into_iter()
        .map(|d| {
            Some(Designation {
                id: id(d.id)?,
                title: d.title?,
                scope: d.scope?,
                summary: d.summary,
                responsibilities: d.responsibilities,
                eligible_streams: match d.eligible_streams {
                    Some(streams) => Some(
                        streams
                            .into_iter()
                            .map(|s| id(Some(s)))
                            .collect::<Option<Vec<StreamId>>>()?,
                    ),
                    None => None,
                },
                usual_min_seniority: d.usual_min_seniority,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let competencies = raw
        .competencies
        .into_iter()
        .map(|c| {
            Some(Competency {
                id: id::<CompetencyId>(c.id)?,
                name: c.name?,
                levels: c.levels?.value,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let renames = raw
        .renames
        .into_iter()
        .map(|r| {
            Some(Rename {
                from: id(r.from)?,
                to: id(r.to)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let parts = FrameworkParts {
        meta: None,
        streams,
        roles,
        transitions,
        designations,
        competencies,
        renames,
    };
    Some(Framework::from_checked_parts(parts, meta))
}

fn role(raw: RawRole, tracks: &HashMap<&str, crate::model::Track>) -> Option<Role> {
    let stream: StreamId = id(raw.stream)?;
    let track = *tracks.get(stream.as_str())?;
    let expectations = raw
        .expectations
        .into_iter()
        .map(|e| {
            Some(Expectation {
                competency: CompetencyId::parse(e.competency.value).ok()?,
                level: e.level?.value,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Role {
        id: id::<RoleId>(raw.id)?,
        title: raw.title?,
        stream,
        seniority: raw.seniority?.value,
        entry: raw.entry?,
        hire_only: raw.hire_only?,
        reports: raw
            .reports
            .map_or_else(|| track.reports_by_default(), |r| r.value),
        summary: raw.summary,
        responsibilities: raw.responsibilities,
        expectations,
    })
}

/// A checked id of any kind; `None` when absent or not kebab-case.
fn id<T: TryFrom<String>>(raw: Option<Sp<String>>) -> Option<T> {
    T::try_from(raw?.value).ok()
}
