//! Administration: a new framework version is checked first (diagnostics
//! with their source lines, or the diff against the version in force and
//! the people it affects) and stored only on confirmation; a CSV import is
//! validated whole, with every rejected row in a table, before anything is
//! written.
//!
//! Both forms take a file (`multipart/form-data`, the file wins over pasted
//! text) or pasted text; their routes accept larger bodies than other forms
//! ([`FRAMEWORK_LIMIT`], [`CSV_LIMIT`]).

use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header;
use axum::response::Response;
use climb_framework::{Framework, diagnostic, diff};
use climb_hris::{ImportOptions, NoProgress, existing_people, import_reader, read_plan};
use climb_people::policy::Action;
use climb_server::{ApiError, AppState};
use serde::Deserialize;

use crate::error::PageError;
use crate::page::{Layout, Viewer, render};

/// The largest framework upload (a framework file is a few dozen KiB).
pub(crate) const FRAMEWORK_LIMIT: usize = 4 * 1024 * 1024;
/// The largest CSV upload (about 300,000 people of an HRIS export).
pub(crate) const CSV_LIMIT: usize = 50 * 1024 * 1024;

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    layout: Layout,
    version: String,
}

/// One line of the diff.
#[derive(Debug)]
struct DiffLine {
    what: &'static str,
    text: String,
}

/// People holding a role the new version changes or removes.
#[derive(Debug)]
struct Affected {
    role: String,
    people: usize,
    outcome: &'static str,
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
    affected: Vec<Affected>,
    stored: Option<String>,
}

/// One rejected CSV row, or one recorded against the framework.
#[derive(Debug)]
struct BadRow {
    row: u64,
    line: u64,
    email: String,
    code: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "admin_import.html")]
struct ImportCheckPage {
    layout: Layout,
    csv: String,
    rows_read: u64,
    valid: usize,
    bad: Vec<BadRow>,
    /// Valid rows whose role change is no transition of the framework:
    /// imported as corrections.
    warned: Vec<BadRow>,
    problem: Option<String>,
    done: Option<String>,
}

async fn allowed(
    viewer: &Viewer,
    state: &AppState,
    action: Action,
    what: &str,
) -> Result<(), PageError> {
    let org = state.org().await?;
    viewer.user.act(&org, &state.framework(), &action, what)?;
    Ok(())
}

/// `GET /admin`: the upload and import forms.
pub(crate) async fn admin_page(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    allowed(&viewer, &state, Action::Administer, "administer climb").await?;
    render(&AdminPage {
        layout: viewer.layout.at("admin"),
        version: state.framework().meta().version.clone(),
    })
}

/// A framework file as stored on confirmation.
#[derive(Debug, Deserialize)]
pub(crate) struct FrameworkForm {
    source: String,
}

/// The text an upload form sent: the content of its `file` field when a
/// file was chosen, else the pasted text of `field`. Takes a urlencoded form
/// or `multipart/form-data`. Fails with 400 when neither holds anything or
/// the file is not UTF-8 text.
async fn upload_text(request: Request, field: &str) -> Result<String, PageError> {
    let bad = |code: &'static str, message: String| ApiError::bad_request(code, message);
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut pasted = String::new();
    let mut file: Option<(String, axum::body::Bytes)> = None;
    if multipart {
        let mut form = Multipart::from_request(request, &())
            .await
            .map_err(|e| bad("invalid_form", e.body_text()))?;
        while let Some(part) = form
            .next_field()
            .await
            .map_err(|e| bad("invalid_form", e.body_text()))?
        {
            let name = part.name().unwrap_or("").to_owned();
            if name == "file" {
                let file_name = part.file_name().unwrap_or("the file").to_owned();
                let bytes = part
                    .bytes()
                    .await
                    .map_err(|e| bad("invalid_form", e.body_text()))?;
                if !bytes.is_empty() {
                    file = Some((file_name, bytes));
                }
            } else if name == field {
                pasted = part
                    .text()
                    .await
                    .map_err(|e| bad("invalid_form", e.body_text()))?;
            }
        }
    } else {
        let Form(fields) = Form::<Vec<(String, String)>>::from_request(request, &())
            .await
            .map_err(|e| bad("invalid_form", e.body_text()))?;
        if let Some((_, text)) = fields.into_iter().find(|(k, _)| k == field) {
            pasted = text;
        }
    }
    let text = match file {
        Some((name, bytes)) => String::from_utf8(bytes.to_vec()).map_err(|e| {
            bad(
                "not_utf8",
                format!(
                    "{name} is not UTF-8 text (byte {} is not): save it as UTF-8 and upload it again",
                    e.utf8_error().valid_up_to() + 1
                ),
            )
        })?,
        None => pasted,
    };
    if text.trim().is_empty() {
        return Err(bad(
            "empty_upload",
            "choose a file or paste its content: nothing was sent".to_owned(),
        )
        .into());
    }
    Ok(text)
}

fn diff_lines(old: &Framework, new: &Framework) -> Vec<DiffLine> {
    let d = diff::diff(old, new);
    let mut lines = Vec::new();
    for role in &d.roles_added {
        lines.push(DiffLine {
            what: "added",
            text: format!("role {role}"),
        });
    }
    for role in &d.roles_removed {
        lines.push(DiffLine {
            what: "removed",
            text: format!("role {role}"),
        });
    }
    for (from, to) in &d.roles_renamed {
        lines.push(DiffLine {
            what: "renamed",
            text: format!("role {from} → {to}"),
        });
    }
    for change in &d.roles_changed {
        lines.push(DiffLine {
            what: "changed",
            text: format!(
                "{} {}: {} → {}",
                change.role, change.field, change.before, change.after
            ),
        });
    }
    for t in &d.transitions_added {
        lines.push(DiffLine {
            what: "added",
            text: format!("{} {} → {}", t.kind.as_str(), t.from, t.to),
        });
    }
    for t in &d.transitions_removed {
        lines.push(DiffLine {
            what: "removed",
            text: format!("{} {} → {}", t.kind.as_str(), t.from, t.to),
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

/// `POST /admin/framework/check`: the checker's verdict, and for a valid
/// file the diff and the people affected, with a confirm button.
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
    let mut page = FrameworkCheckPage {
        layout: viewer.layout.at("admin"),
        diagnostics: String::new(),
        errors: 0,
        name: String::new(),
        version: String::new(),
        changes: Vec::new(),
        affected: Vec::new(),
        stored: None,
        source: String::new(),
    };
    page.source = upload_text(request, "source").await?;
    match climb_framework::load(&page.source) {
        Err(report) => {
            page.errors = report.error_count();
            page.diagnostics = diagnostic::render_text(&report, "framework.toml", false);
        }
        Ok(new) => {
            let old = &*state.framework();
            page.name = new.meta().name.clone();
            page.version = new.meta().version.clone();
            page.changes = diff_lines(old, &new);
            let d = diff::diff(old, &new);
            let org = state.org().await?;
            let count = |role: &str| {
                org.people()
                    .filter(|p| p.is_active() && p.role.as_str() == role)
                    .count()
            };
            for role in &d.roles_removed {
                page.affected.push(Affected {
                    role: role.to_string(),
                    people: count(role.as_str()),
                    outcome: "removed: the upload will be refused while anyone holds it",
                });
            }
            for (from, to) in &d.roles_renamed {
                page.affected.push(Affected {
                    role: format!("{from} → {to}"),
                    people: count(from.as_str()),
                    outcome: "renamed: their role follows the rename",
                });
            }
            page.affected.retain(|a| a.people > 0);
        }
    }
    render(&page)
}

/// `POST /admin/framework`: stores the checked version.
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
    let new = climb_framework::load(&form.source).map_err(|_| {
        ApiError::bad_request(
            "invalid_framework",
            "the framework does not check: check it again first",
        )
    })?;
    let outcome = state
        .store()
        .load_framework(&new, &form.source, viewer.user.actor())
        .await
        .map_err(ApiError::from)?;
    let name = new.meta().name.clone();
    let version = new.meta().version.clone();
    state.use_framework(std::sync::Arc::new(new), outcome.version.id);
    render(&FrameworkCheckPage {
        layout: viewer.layout.at("admin"),
        source: String::new(),
        diagnostics: String::new(),
        errors: 0,
        stored: Some(format!(
            "Version {} is stored and in force ({} people renamed along).",
            outcome.version.version,
            outcome.renamed.len()
        )),
        name,
        version,
        changes: Vec::new(),
        affected: Vec::new(),
    })
}

/// Validates the CSV whole; `write` imports it when every row is valid.
async fn import(
    state: &AppState,
    viewer: Viewer,
    csv: String,
    write: bool,
) -> Result<Response, PageError> {
    allowed(&viewer, state, Action::Administer, "import people").await?;
    let framework = &*state.framework();
    let mut page = ImportCheckPage {
        layout: viewer.layout.at("admin"),
        csv: String::new(),
        rows_read: 0,
        valid: 0,
        bad: Vec::new(),
        warned: Vec::new(),
        problem: None,
        done: None,
    };
    let existing = existing_people(state.store())
        .await
        .map_err(ApiError::internal)?;
    match read_plan(framework, &existing, csv.as_bytes(), None, &NoProgress) {
        Err(error) => page.problem = Some(error.to_string()),
        Ok(plan) => {
            page.rows_read = plan.rows_read;
            page.valid = plan.rows.len();
            page.bad = plan
                .errors
                .iter()
                .map(|e| BadRow {
                    row: e.row,
                    line: e.line,
                    email: e.email.clone().unwrap_or_default(),
                    code: e.code(),
                    message: e.to_string(),
                })
                .collect();
            page.warned = plan
                .warnings
                .iter()
                .map(|w| BadRow {
                    row: w.row,
                    line: w.line,
                    email: w.email.clone(),
                    code: w.code(),
                    message: w.to_string(),
                })
                .collect();
        }
    }
    drop(existing);
    if write && page.problem.is_none() && page.bad.is_empty() {
        let options = ImportOptions {
            skip_invalid: false,
            strict: false,
            actor: viewer.user.actor(),
        };
        match import_reader(
            state.store(),
            framework,
            csv.as_bytes(),
            None,
            options,
            &NoProgress,
        )
        .await
        {
            Ok(report) => {
                let outside = match report.warnings.len() {
                    0 => String::new(),
                    n => format!(
                        " {n} role change(s) followed no transition of the framework and \
                         were recorded as corrections."
                    ),
                };
                page.done = Some(format!(
                    "Imported: {} created, {} updated, {} unchanged.{outside}",
                    report.summary.created, report.summary.updated, report.summary.unchanged
                ));
            }
            Err(error) => page.problem = Some(error.to_string()),
        }
    } else {
        page.csv = csv;
    }
    render(&page)
}

/// `POST /admin/import/check`: every rejected row, nothing written.
pub(crate) async fn check_import(
    State(state): State<AppState>,
    viewer: Viewer,
    request: Request,
) -> Result<Response, PageError> {
    allowed(&viewer, &state, Action::Administer, "import people").await?;
    let csv = upload_text(request, "csv").await?;
    import(&state, viewer, csv, false).await
}

/// `POST /admin/import`: validates again and writes all rows, or none.
pub(crate) async fn run_import(
    State(state): State<AppState>,
    viewer: Viewer,
    request: Request,
) -> Result<Response, PageError> {
    allowed(&viewer, &state, Action::Administer, "import people").await?;
    let csv = upload_text(request, "csv").await?;
    import(&state, viewer, csv, true).await
}
