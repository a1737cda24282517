//! Administration: the page holding the framework upload and the CSV
//! import, and the CSV import itself, validated whole, with every rejected
//! row in a table, before anything is written. The framework upload's
//! check, conversion and store live in [`framework`].
//!
//! Both forms take a file (`multipart/form-data`, the file wins over pasted
//! text) or pasted text; their routes accept larger bodies than other forms
//! ([`FRAMEWORK_LIMIT`], [`CSV_LIMIT`]).

mod framework;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header;
use axum::response::Response;
use climb_hris::{ImportOptions, NoProgress, existing_people, import_reader, read_plan};
use climb_people::policy::Action;
use climb_server::{ApiError, AppState};

use crate::error::PageError;
use crate::page::{Layout, Viewer, render};

pub(crate) use framework::{FRAMEWORK_LIMIT, check_framework, store_framework};

/// The largest CSV upload (about 300,000 people of an HRIS export).
pub(crate) const CSV_LIMIT: usize = 50 * 1024 * 1024;

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    layout: Layout,
    version: String,
    /// The shapes a framework can be uploaded in, as (value, label).
    formats: &'static [(&'static str, &'static str)],
    /// The value of the format chosen.
    format: &'static str,
    /// Pasted framework text sent back with a refused upload.
    source: String,
    /// Why the last upload was refused (nothing was stored).
    problem: Option<String>,
}

impl AdminPage {
    fn new(layout: &Layout, version: String) -> Self {
        Self {
            layout: layout.at("admin"),
            version,
            formats: &framework::FORMATS,
            format: "toml",
            source: String::new(),
            problem: None,
        }
    }
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
    let version = state.framework().meta().version.clone();
    render(&AdminPage::new(&viewer.layout, version))
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
