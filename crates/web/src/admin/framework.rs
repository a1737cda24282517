//! The framework upload: a file in climb's TOML, or in any shape
//! `climb_import` reads (converted first, its warnings listed at their
//! places), is checked, compared with the version in force, and stored only
//! when the administrator confirms.
//!
//! A check never leaves the administrator stuck. When the store would refuse
//! the version (people hold a role it removes without a `[[renames]]`
//! entry), the page predicts it from the store's own list of the people
//! affected ([`climb_store::Store::affected_by`], the function the store
//! decides with), offers no store button, and shows the fix: the
//! `[[renames]]` lines pairing removed with added roles, with a button that
//! adds them and checks again. A store that is refused all the same comes
//! back to this page with the reason and the source kept.

use std::collections::HashSet;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header;
use axum::response::Response;
use climb_framework::{Framework, RoleId, diagnostic, diff};
use climb_import::{Format, ImportError, Input, Options};
use climb_people::policy::Action;
use climb_server::{ApiError, AppState};
use climb_store::{Affected, AffectedOutcome, StoreError};
use serde::Deserialize;

use super::{AdminPage, allowed};
use crate::error::PageError;
use crate::page::{Layout, Viewer, render_form};

/// The largest framework upload (a framework file is a few dozen KiB; a
/// folder of Markdown pages a few hundred).
pub(crate) const FRAMEWORK_LIMIT: usize = 4 * 1024 * 1024;

/// How many affected people one page of the check lists.
const PEOPLE_SHOWN: usize = 50;

/// The shapes a framework can be uploaded in: the form's value and label.
pub(crate) const FORMATS: [(&str, &str); 5] = [
    ("toml", "climb framework (TOML)"),
    ("snowflake", "Snowflake (JavaScript module)"),
    ("progression-yaml", "Progression (YAML)"),
    ("matrix-csv", "Competency matrix (CSV)"),
    (
        "progression-markdown",
        "Progression pages (Markdown, one or more .md files)",
    ),
];

/// The shape an uploaded framework is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SourceFormat {
    Toml,
    Import(Format),
}

impl SourceFormat {
    /// The format a form value names (an empty value is TOML).
    fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "" | "toml" => Self::Toml,
            "snowflake" => Self::Import(Format::Snowflake),
            "progression-yaml" => Self::Import(Format::ProgressionYaml),
            "matrix-csv" => Self::Import(Format::MatrixCsv),
            "progression-markdown" => Self::Import(Format::ProgressionMarkdown),
            _ => return None,
        })
    }

    /// The form value, as listed in [`FORMATS`].
    fn value(self) -> &'static str {
        match self {
            Self::Toml => "toml",
            Self::Import(Format::Snowflake) => "snowflake",
            Self::Import(Format::ProgressionYaml) => "progression-yaml",
            Self::Import(Format::MatrixCsv) => "matrix-csv",
            Self::Import(Format::ProgressionMarkdown) => "progression-markdown",
        }
    }

    /// How a sentence names the format.
    fn label(self) -> &'static str {
        let value = self.value();
        FORMATS
            .iter()
            .find(|(v, _)| *v == value)
            .map_or(value, |(_, label)| label)
    }
}

/// What the upload form sent.
#[derive(Debug, Default)]
struct Upload {
    format: String,
    /// Chosen files (several for Markdown pages): name and bytes.
    files: Vec<(String, Vec<u8>)>,
    pasted: String,
    /// The page of affected people asked for, from 1.
    page: usize,
}

/// Reads the upload form, urlencoded or `multipart/form-data`.
async fn read_upload(request: Request) -> Result<Upload, PageError> {
    let bad = |message: String| ApiError::bad_request("invalid_form", message);
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut upload = Upload::default();
    let mut page = String::new();
    if multipart {
        let mut form = Multipart::from_request(request, &())
            .await
            .map_err(|e| bad(e.body_text()))?;
        while let Some(part) = form.next_field().await.map_err(|e| bad(e.body_text()))? {
            let name = part.name().unwrap_or("").to_owned();
            match name.as_str() {
                "file" => {
                    let file_name = part.file_name().unwrap_or("").to_owned();
                    let bytes = part.bytes().await.map_err(|e| bad(e.body_text()))?;
                    if !bytes.is_empty() {
                        let file_name = if file_name.is_empty() {
                            "the file".to_owned()
                        } else {
                            file_name
                        };
                        upload.files.push((file_name, bytes.to_vec()));
                    }
                }
                "source" | "format" | "page" => {
                    let text = part.text().await.map_err(|e| bad(e.body_text()))?;
                    match name.as_str() {
                        "source" => upload.pasted = text,
                        "format" => upload.format = text,
                        _ => page = text,
                    }
                }
                _ => {}
            }
        }
    } else {
        let Form(fields) = Form::<Vec<(String, String)>>::from_request(request, &())
            .await
            .map_err(|e| bad(e.body_text()))?;
        for (key, value) in fields {
            match key.as_str() {
                "source" => upload.pasted = value,
                "format" => upload.format = value,
                "page" => page = value,
                _ => {}
            }
        }
    }
    upload.page = page.trim().parse().unwrap_or(1).max(1);
    Ok(upload)
}

/// What a conversion from another shape reported.
#[derive(Debug)]
struct ImportNote {
    /// The format's label.
    format: &'static str,
    /// The files read, comma-separated.
    files: String,
    /// Each warning: where (`file:line:column`) and what.
    warnings: Vec<(String, String)>,
}

/// Why an upload was not even checked, in a sentence.
#[derive(Debug)]
struct Refused(String);

/// The climb framework text of an upload: the TOML sent, or the conversion
/// of another shape with its warnings.
fn framework_source(
    format: SourceFormat,
    upload: Upload,
) -> Result<(String, Option<ImportNote>), Refused> {
    let Upload { files, pasted, .. } = upload;
    let mut files = files;
    if files.is_empty() && !pasted.trim().is_empty() {
        files.push(("pasted text".to_owned(), pasted.into_bytes()));
    }
    if files.is_empty() {
        return Err(Refused(
            "Choose a file or paste its content: nothing was sent, so nothing was checked."
                .to_owned(),
        ));
    }
    let several = files.len() > 1 && format != SourceFormat::Import(Format::ProgressionMarkdown);
    if several {
        return Err(Refused(format!(
            "{} is read from one file, and {} were chosen: choose one file.",
            format.label(),
            files.len()
        )));
    }
    let SourceFormat::Import(import_format) = format else {
        let (name, bytes) = files.remove(0);
        return match String::from_utf8(bytes) {
            Ok(text) => Ok((text, None)),
            Err(e) => Err(Refused(format!(
                "{name} is not UTF-8 text (byte {} is not): save it as UTF-8 and upload it again.",
                e.utf8_error().valid_up_to() + 1
            ))),
        };
    };
    let names = files
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut skipped = Vec::new();
    let result = if import_format == Format::ProgressionMarkdown {
        let (pages, others): (Vec<_>, Vec<_>) = files.into_iter().partition(|(name, _)| {
            let lower = name.to_ascii_lowercase();
            lower.ends_with(".md") || lower.ends_with(".markdown") || name == "pasted text"
        });
        skipped = others.into_iter().map(|(name, _)| name).collect();
        if pages.is_empty() {
            return Err(Refused(format!(
                "None of the chosen files ({names}) is a Markdown page (.md): choose the pages of the progression."
            )));
        }
        let mut pages = pages;
        pages.sort_by(|a, b| a.0.cmp(&b.0));
        climb_import::import(
            import_format,
            Input::Folder { files: &pages },
            &Options::default(),
        )
    } else {
        let (name, bytes) = &files[0];
        climb_import::import(
            import_format,
            Input::File { name, bytes },
            &Options::default(),
        )
    };
    match result {
        Ok(imported) => {
            let mut warnings: Vec<(String, String)> = skipped
                .into_iter()
                .map(|name| {
                    (
                        format!("{name}:1:1"),
                        "not a Markdown page (.md), so it is not read".to_owned(),
                    )
                })
                .collect();
            warnings.extend(
                imported
                    .warnings
                    .into_iter()
                    .map(|w| (w.location.to_string(), w.message)),
            );
            Ok((
                imported.document.to_toml(),
                Some(ImportNote {
                    format: format.label(),
                    files: names,
                    warnings,
                }),
            ))
        }
        Err(error) => {
            let message = match &error {
                ImportError::Unreadable { message, .. }
                | ImportError::Unmappable { message, .. } => message.clone(),
                _ => error.to_string(),
            };
            Err(Refused(format!(
                "{names} could not be converted from {}, so nothing was checked or stored. At {}: {message}.",
                format.label(),
                error.location()
            )))
        }
    }
}

/// One line of the diff.
#[derive(Debug)]
struct DiffLine {
    what: &'static str,
    text: String,
}

fn diff_lines(old: &Framework, new: &Framework, d: &diff::FrameworkDiff) -> Vec<DiffLine> {
    let old_title = |id: &RoleId| title(old, id.as_str());
    let new_title = |id: &RoleId| match new.role(id.as_str()) {
        Some(role) => role.title.clone(),
        None => title(old, id.as_str()),
    };
    let mut lines = Vec::new();
    for role in &d.roles_added {
        lines.push(DiffLine {
            what: "added",
            text: format!("role {}", new_title(role)),
        });
    }
    for role in &d.roles_removed {
        lines.push(DiffLine {
            what: "removed",
            text: format!("role {}", old_title(role)),
        });
    }
    for (from, to) in &d.roles_renamed {
        lines.push(DiffLine {
            what: "renamed",
            text: format!("role {} → {}", old_title(from), new_title(to)),
        });
    }
    for change in &d.roles_changed {
        lines.push(DiffLine {
            what: "changed",
            text: format!(
                "{} {}: {} → {}",
                new_title(&change.role),
                change.field,
                change.before,
                change.after
            ),
        });
    }
    for t in &d.transitions_added {
        lines.push(DiffLine {
            what: "added",
            text: format!(
                "{} {} → {}",
                t.kind.as_str(),
                new_title(&t.from),
                new_title(&t.to)
            ),
        });
    }
    for t in &d.transitions_removed {
        lines.push(DiffLine {
            what: "removed",
            text: format!(
                "{} {} → {}",
                t.kind.as_str(),
                new_title(&t.from),
                new_title(&t.to)
            ),
        });
    }
    if !d.expectations_changed.is_empty() {
        lines.push(DiffLine {
            what: "changed",
            text: format!(
                "{} expectation(s) of competencies",
                d.expectations_changed.len()
            ),
        });
    }
    lines
}

/// A role's title in `framework`; the id only for a role it does not have
/// (a transition's end in the other version).
fn title(framework: &Framework, role: &str) -> String {
    framework
        .role(role)
        .map_or_else(|| role.to_owned(), |r| r.title.clone())
}

/// One person the new version affects, as the table shows them.
#[derive(Debug)]
struct AffectedRow {
    person: i64,
    name: String,
    email: String,
    role: String,
    /// `removed` (blocks the store) or `renamed`.
    outcome: &'static str,
    what_happens: String,
}

/// A rename the check suggests, to keep a role's holders.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SuggestedRename {
    from: RoleId,
    to: RoleId,
}

/// A removed role with holders that no added role pairs with.
#[derive(Debug)]
struct UnpairedRole {
    id: String,
    title: String,
    people: usize,
}

/// How to make a refused version storable.
#[derive(Debug)]
struct Fix {
    /// (old title, new title) of each suggested rename.
    renames: Vec<(String, String)>,
    /// The `[[renames]]` lines to add.
    lines: String,
    /// The source with those lines added.
    source: String,
    unpaired: Vec<UnpairedRole>,
}

/// Pairs each removed role that people hold with an added role: first
/// those in the same stream, then the closest seniority, then the order of
/// the new file; each added role is used once.
fn pair_renames(
    old: &Framework,
    new: &Framework,
    held: &[RoleId],
    added: &[RoleId],
) -> Vec<SuggestedRename> {
    let mut candidates = Vec::new();
    for (h, from) in held.iter().enumerate() {
        for (a, to) in added.iter().enumerate() {
            let (stream, distance) = match (old.role(from.as_str()), new.role(to.as_str())) {
                (Some(before), Some(after)) => (
                    u8::from(before.stream != after.stream),
                    before.seniority.get().abs_diff(after.seniority.get()),
                ),
                _ => (1, u8::MAX),
            };
            candidates.push(((stream, distance, a, h), h, a));
        }
    }
    candidates.sort();
    let mut used_from = HashSet::new();
    let mut used_to = HashSet::new();
    let mut pairs = Vec::new();
    for (_, h, a) in candidates {
        if !used_from.contains(&h) && !used_to.contains(&a) {
            used_from.insert(h);
            used_to.insert(a);
            pairs.push((h, a));
        }
    }
    pairs.sort();
    pairs
        .into_iter()
        .map(|(h, a)| SuggestedRename {
            from: held[h].clone(),
            to: added[a].clone(),
        })
        .collect()
}

/// The `[[renames]]` entries of `renames`, as a framework file writes them.
fn renames_toml(renames: &[SuggestedRename]) -> String {
    renames
        .iter()
        .map(|r| format!("[[renames]]\nfrom = \"{}\"\nto = \"{}\"\n", r.from, r.to))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The fix for a version the store would refuse: renames for the removed
/// roles an added role pairs with, and the rest named.
fn fix(
    old: &Framework,
    new: &Framework,
    d: &diff::FrameworkDiff,
    affected: &[Affected],
    source: &str,
) -> Fix {
    let mut held: Vec<RoleId> = Vec::new();
    for a in affected {
        if a.outcome == AffectedOutcome::Removed && !held.contains(&a.role) {
            held.push(a.role.clone());
        }
    }
    let renames = pair_renames(old, new, &held, &d.roles_added);
    let lines = renames_toml(&renames);
    let fixed = if renames.is_empty() {
        String::new()
    } else {
        format!("{}\n\n{lines}", source.trim_end())
    };
    let unpaired = held
        .iter()
        .filter(|role| !renames.iter().any(|r| &r.from == *role))
        .map(|role| UnpairedRole {
            id: role.to_string(),
            title: title(old, role.as_str()),
            people: affected.iter().filter(|a| &a.role == role).count(),
        })
        .collect();
    Fix {
        renames: renames
            .iter()
            .map(|r| (title(old, r.from.as_str()), title(new, r.to.as_str())))
            .collect(),
        lines,
        source: fixed,
        unpaired,
    }
}

#[derive(Template)]
#[template(path = "admin_framework.html")]
struct FrameworkCheckPage {
    layout: Layout,
    source: String,
    /// The checker's report, rendered like `climb check` prints it.
    diagnostics: String,
    errors: usize,
    name: String,
    version: String,
    changes: Vec<DiffLine>,
    /// How many active people the version affects, and how many of them
    /// hold a role it removes (which makes the store refuse it).
    affected_total: usize,
    blocking: usize,
    /// The page of affected people shown.
    affected: Vec<AffectedRow>,
    page: usize,
    pages: usize,
    first: usize,
    fix: Option<Fix>,
    imported: Option<ImportNote>,
    /// Why the store just refused this version.
    refusal: Option<String>,
    stored: Option<String>,
}

impl FrameworkCheckPage {
    fn empty(layout: &Layout) -> Self {
        Self {
            layout: layout.at("admin"),
            source: String::new(),
            diagnostics: String::new(),
            errors: 0,
            name: String::new(),
            version: String::new(),
            changes: Vec::new(),
            affected_total: 0,
            blocking: 0,
            affected: Vec::new(),
            page: 1,
            pages: 1,
            first: 1,
            fix: None,
            imported: None,
            refusal: None,
            stored: None,
        }
    }
}

/// Checks `source` against the version in force: its diagnostics, or the
/// diff, the people affected (page `page`) and, when the store would
/// refuse it, the fix.
async fn check(
    state: &AppState,
    layout: &Layout,
    source: String,
    page: usize,
) -> Result<FrameworkCheckPage, PageError> {
    let mut view = FrameworkCheckPage::empty(layout);
    match climb_framework::load(&source) {
        Err(report) => {
            view.errors = report.error_count();
            view.diagnostics = diagnostic::render_text(&report, "framework.toml", false);
        }
        Ok(new) => {
            let old = &*state.framework();
            let d = diff::diff(old, &new);
            view.name = new.meta().name.clone();
            view.version = new.meta().version.clone();
            view.changes = diff_lines(old, &new, &d);
            let mut affected = state
                .store()
                .affected_by(&new)
                .await
                .map_err(ApiError::from)?;
            // Those who block the store first, each group in the store's order.
            affected.sort_by_key(|a| a.outcome != AffectedOutcome::Removed);
            view.affected_total = affected.len();
            view.blocking = affected
                .iter()
                .filter(|a| a.outcome == AffectedOutcome::Removed)
                .count();
            view.pages = affected.len().div_ceil(PEOPLE_SHOWN).max(1);
            view.page = page.clamp(1, view.pages);
            let start = (view.page - 1) * PEOPLE_SHOWN;
            view.first = start + 1;
            view.affected = affected
                .iter()
                .skip(start)
                .take(PEOPLE_SHOWN)
                .map(|a| AffectedRow {
                    person: a.person.0,
                    name: a.name.clone(),
                    email: a.email.clone(),
                    role: title(old, a.role.as_str()),
                    outcome: match a.outcome {
                        AffectedOutcome::Removed => "removed",
                        AffectedOutcome::Renamed { .. } => "renamed",
                    },
                    what_happens: match &a.outcome {
                        AffectedOutcome::Removed => {
                            "Their role is removed and no rename covers it: storing is refused while they hold it.".to_owned()
                        }
                        AffectedOutcome::Renamed { to } => {
                            format!("Moves to {} with the rename.", title(&new, to.as_str()))
                        }
                    },
                })
                .collect();
            if view.blocking > 0 {
                view.fix = Some(fix(old, &new, &d, &affected, &source));
            }
        }
    }
    view.source = source;
    Ok(view)
}

/// `POST /admin/framework/check`: the checker's verdict, and for a valid
/// file the diff and the people affected, with a store button only when
/// the store would accept it. A file in another shape is converted first;
/// an upload that cannot be read or converted goes back to the admin page.
pub(crate) async fn check_framework(
    State(state): State<AppState>,
    viewer: Viewer,
    request: Request,
) -> Result<Response, PageError> {
    allowed(
        &viewer,
        &state,
        Action::ChangeFramework,
        "change the framework",
    )
    .await?;
    let upload = read_upload(request).await?;
    let page = upload.page;
    let refused = |format: &'static str, source: String, problem: String| {
        let mut admin = AdminPage::new(&viewer.layout, state.framework().meta().version.clone());
        admin.format = format;
        admin.source = source;
        admin.problem = Some(problem);
        render_form(&admin, true)
    };
    let Some(format) = SourceFormat::parse(upload.format.trim()) else {
        let problem = format!(
            "“{}” is not a format climb reads: choose one of the list.",
            upload.format
        );
        return refused("toml", upload.pasted, problem);
    };
    let pasted = if upload.files.is_empty() {
        upload.pasted.clone()
    } else {
        String::new()
    };
    let (source, imported) = match framework_source(format, upload) {
        Ok(converted) => converted,
        Err(Refused(problem)) => return refused(format.value(), pasted, problem),
    };
    let mut view = check(&state, &viewer.layout, source, page).await?;
    view.imported = imported;
    render_form(&view, false)
}

/// A framework file as stored on confirmation.
#[derive(Debug, Deserialize)]
pub(crate) struct FrameworkForm {
    source: String,
}

/// `POST /admin/framework`: stores the checked version. A version that
/// does not check, or that the store refuses, comes back as the check page
/// with the reason and the source kept (422).
pub(crate) async fn store_framework(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<FrameworkForm>,
) -> Result<Response, PageError> {
    allowed(
        &viewer,
        &state,
        Action::ChangeFramework,
        "change the framework",
    )
    .await?;
    let new = match climb_framework::load(&form.source) {
        Ok(new) => new,
        Err(report) => {
            let errors = report.error_count();
            let mut view = check(&state, &viewer.layout, form.source, 1).await?;
            view.refusal = Some(format!(
                "Nothing was stored: the file has {errors} {}. Fix {} below and check it again.",
                if errors == 1 { "error" } else { "errors" },
                if errors == 1 { "it" } else { "them" }
            ));
            return render_form(&view, true);
        }
    };
    let outcome = match state
        .store()
        .load_framework(&new, &form.source, viewer.user.actor())
        .await
    {
        Ok(outcome) => outcome,
        Err(StoreError::RolesRemoved(holders)) => {
            let mut view = check(&state, &viewer.layout, form.source, 1).await?;
            let roles: Vec<String> = holders.iter().fold(Vec::new(), |mut roles, h| {
                let role = title(&state.framework(), &h.role);
                if !roles.contains(&role) {
                    roles.push(role);
                }
                roles
            });
            view.refusal = Some(format!(
                "Version {} was not stored: {} still {} {} it removes without a [[renames]] entry ({}). Nothing changed; the fix is below.",
                new.meta().version,
                people_count(holders.len()),
                if holders.len() == 1 { "holds" } else { "hold" },
                if roles.len() == 1 { "a role" } else { "roles" },
                roles.join(", ")
            ));
            return render_form(&view, true);
        }
        Err(error) => return Err(ApiError::from(error).into()),
    };
    let mut view = FrameworkCheckPage::empty(&viewer.layout);
    view.name = new.meta().name.clone();
    view.version = new.meta().version.clone();
    view.stored = Some(format!(
        "Version {} is stored and in force ({} moved with a rename).",
        outcome.version.version,
        people_count(outcome.renamed.len())
    ));
    state.use_framework(std::sync::Arc::new(new), outcome.version.id);
    render_form(&view, false)
}

/// "1 person", "3 people".
fn people_count(n: usize) -> String {
    if n == 1 {
        "1 person".to_owned()
    } else {
        format!("{n} people")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framework(extra: &str) -> Framework {
        let source = format!(
            "[framework]\nname = \"T\"\nversion = \"1\"\n\n\
             [[streams]]\nid = \"eng\"\nname = \"Engineering\"\ntrack = \"ic\"\n\n\
             [[streams]]\nid = \"mgmt\"\nname = \"Management\"\ntrack = \"management\"\n\n{extra}"
        );
        climb_framework::load(&source)
            .unwrap_or_else(|r| panic!("{}", diagnostic::render_text(&r, "t.toml", false)))
    }

    fn id(raw: &str) -> RoleId {
        RoleId::parse(raw).expect("a role id")
    }

    fn role(id: &str, stream: &str, seniority: u8) -> String {
        format!(
            "[[roles]]\nid = \"{id}\"\ntitle = \"{id}\"\nstream = \"{stream}\"\nseniority = {seniority}\nentry = true\n\n"
        )
    }

    #[test]
    fn several_removed_roles_pair_with_added_ones_by_stream_then_seniority() {
        let old = framework(
            &[
                role("dev", "eng", 2),
                role("senior-dev", "eng", 3),
                role("lead", "mgmt", 4),
            ]
            .concat(),
        );
        let new = framework(
            &[
                role("manager", "mgmt", 4),
                role("engineer-ii", "eng", 3),
                role("engineer", "eng", 2),
            ]
            .concat(),
        );
        let held = [id("dev"), id("senior-dev"), id("lead")];
        let added = [id("manager"), id("engineer-ii"), id("engineer")];
        let pairs: Vec<(String, String)> = pair_renames(&old, &new, &held, &added)
            .into_iter()
            .map(|r| (r.from.to_string(), r.to.to_string()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("dev".to_owned(), "engineer".to_owned()),
                ("senior-dev".to_owned(), "engineer-ii".to_owned()),
                ("lead".to_owned(), "manager".to_owned()),
            ]
        );
    }

    #[test]
    fn a_removed_role_with_nothing_left_to_pair_with_gets_no_rename() {
        let old = framework(&[role("dev", "eng", 2), role("ops", "eng", 2)].concat());
        let new = framework(&role("engineer", "eng", 2));
        let held = [id("dev"), id("ops")];
        let pairs = pair_renames(&old, &new, &held, &[id("engineer")]);
        assert_eq!(pairs.len(), 1);
        assert_eq!(
            renames_toml(&pairs),
            "[[renames]]\nfrom = \"dev\"\nto = \"engineer\"\n"
        );
    }
}
