//! The hover text of an id: a role's title, stream, seniority, where it
//! leads and what it expects; a competency's levels; a stream's name and
//! track; a designation's title and eligible streams.

use std::fmt::Write as _;

use climb_framework::outline::Outline;

use super::index::{IdKind, Occurrence};

/// Markdown about the item an occurrence names, or `None` when no item of
/// that kind has its id.
pub(super) fn describe(outline: &Outline, occurrence: &Occurrence) -> Option<String> {
    let id = occurrence.id.as_str();
    match occurrence.kind {
        IdKind::Role => role(outline, id),
        IdKind::Stream => stream(outline, id),
        IdKind::Competency => competency(outline, id),
        IdKind::Designation => designation(outline, id),
    }
}

fn has_id(item_id: Option<&climb_framework::outline::Spanned<String>>, id: &str) -> bool {
    item_id.is_some_and(|i| i.value == id)
}

fn role(outline: &Outline, id: &str) -> Option<String> {
    let role = outline.roles.iter().find(|r| has_id(r.id.as_ref(), id))?;
    let mut out = format!(
        "**{}** (`{id}`), role\n\n",
        role.title.as_deref().unwrap_or("untitled")
    );
    let mut facts = Vec::new();
    if let Some(stream_id) = &role.stream {
        let name = outline
            .streams
            .iter()
            .find(|s| has_id(s.id.as_ref(), &stream_id.value))
            .and_then(|s| s.name.as_deref());
        facts.push(match name {
            Some(name) => format!("stream {name} (`{}`)", stream_id.value),
            None => format!("stream `{}`", stream_id.value),
        });
    }
    if let Some(seniority) = role.seniority {
        facts.push(format!("seniority {}", seniority.get()));
    }
    if role.entry {
        facts.push("entry".to_owned());
    }
    if role.hire_only {
        facts.push("hire-only".to_owned());
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "{}\n", facts.join(" · "));
    }
    let leads: Vec<String> = outline
        .transitions
        .iter()
        .filter(|t| has_id(t.from.as_ref(), id))
        .filter_map(|t| {
            let to = t.to.as_ref()?;
            Some(match t.kind {
                Some(kind) => format!("`{}` ({})", to.value, kind.as_str()),
                None => format!("`{}`", to.value),
            })
        })
        .collect();
    if leads.is_empty() {
        out.push_str("Leads nowhere.\n");
    } else {
        let _ = writeln!(out, "Leads to: {}\n", leads.join(", "));
    }
    if !role.expectations.is_empty() {
        out.push_str("\nExpects:\n");
        for expectation in &role.expectations {
            let competency = outline
                .competencies
                .iter()
                .find(|c| has_id(c.id.as_ref(), &expectation.competency.value));
            let name = competency
                .and_then(|c| c.name.as_deref())
                .unwrap_or(&expectation.competency.value);
            match expectation.level {
                Some(level) => {
                    let description = competency
                        .and_then(|c| c.levels.get((level as usize).checked_sub(1)?))
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default();
                    let _ = writeln!(out, "- {name} at level {level}{description}");
                }
                None => {
                    let _ = writeln!(out, "- {name}");
                }
            }
        }
    }
    Some(out)
}

fn stream(outline: &Outline, id: &str) -> Option<String> {
    let stream = outline.streams.iter().find(|s| has_id(s.id.as_ref(), id))?;
    let roles = outline
        .roles
        .iter()
        .filter(|r| has_id(r.stream.as_ref(), id))
        .count();
    let mut out = format!(
        "**{}** (`{id}`), stream\n\n",
        stream.name.as_deref().unwrap_or("unnamed")
    );
    if let Some(track) = stream.track {
        let _ = write!(out, "track {} · ", track.as_str());
    }
    let _ = writeln!(out, "{roles} role{}", if roles == 1 { "" } else { "s" });
    Some(out)
}

fn competency(outline: &Outline, id: &str) -> Option<String> {
    let competency = outline
        .competencies
        .iter()
        .find(|c| has_id(c.id.as_ref(), id))?;
    let mut out = format!(
        "**{}** (`{id}`), competency\n\n",
        competency.name.as_deref().unwrap_or("unnamed")
    );
    for (level, description) in competency.levels.iter().enumerate() {
        let _ = writeln!(out, "{}. {description}", level + 1);
    }
    Some(out)
}

fn designation(outline: &Outline, id: &str) -> Option<String> {
    let designation = outline
        .designations
        .iter()
        .find(|d| has_id(d.id.as_ref(), id))?;
    let mut out = format!(
        "**{}** (`{id}`), designation held beside a role\n\n",
        designation.title.as_deref().unwrap_or("untitled")
    );
    if designation.eligible_streams.is_empty() {
        out.push_str("Open to every stream.\n");
    } else {
        let streams: Vec<String> = designation
            .eligible_streams
            .iter()
            .map(|s| format!("`{}`", s.value))
            .collect();
        let _ = writeln!(out, "Open to: {}", streams.join(", "));
    }
    Some(out)
}
