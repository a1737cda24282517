//! Administration: a new framework version is checked first (diagnostics
//! with their source lines, or the diff against the version in force and
//! the people it affects) and stored only on confirmation; a CSV import is
//! validated whole, with every rejected row in a table, before anything is
//! written.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use climb_framework::{Framework, diagnostic, diff};
use climb_hris::{ImportOptions, NoProgress, existing_people, import_reader, read_plan};
use climb_people::policy::Action;
use climb_server::{ApiError, AppState};
use serde::Deserialize;

use crate::error::PageError;
use crate::page::{Layout, Viewer, render};

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

/// One rejected CSV row.
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
    viewer.user.act(&org, state.framework(), &action, what)?;
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

/// A framework file as pasted.
#[derive(Debug, Deserialize)]
pub(crate) struct FrameworkForm {
    source: String,
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
    Form(form): Form<FrameworkForm>,
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
        source: form.source,
    };
    match climb_framework::load(&page.source) {
        Err(report) => {
            page.errors = report.error_count();
            page.diagnostics = diagnostic::render_text(&report, "framework.toml", false);
        }
        Ok(new) => {
            let old = state.framework();
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
    render(&FrameworkCheckPage {
        layout: viewer.layout.at("admin"),
        source: String::new(),
        diagnostics: String::new(),
        errors: 0,
        name: new.meta().name.clone(),
        version: new.meta().version.clone(),
        changes: Vec::new(),
        affected: Vec::new(),
        stored: Some(format!(
            "Version {} is stored ({} people renamed along). climb serves it from its next start.",
            outcome.version.version,
            outcome.renamed.len()
        )),
    })
}

/// A CSV as pasted, and whether to write it.
#[derive(Debug, Deserialize)]
pub(crate) struct ImportForm {
    csv: String,
}

/// Validates the CSV whole; `write` imports it when every row is valid.
async fn import(
    state: &AppState,
    viewer: Viewer,
    csv: String,
    write: bool,
) -> Result<Response, PageError> {
    allowed(&viewer, state, Action::Administer, "import people").await?;
    let framework = state.framework();
    let mut page = ImportCheckPage {
        layout: viewer.layout.at("admin"),
        csv: String::new(),
        rows_read: 0,
        valid: 0,
        bad: Vec::new(),
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
        }
    }
    drop(existing);
    if write && page.problem.is_none() && page.bad.is_empty() {
        let options = ImportOptions {
            skip_invalid: false,
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
                page.done = Some(format!(
                    "Imported: {} created, {} updated, {} unchanged.",
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
    Form(form): Form<ImportForm>,
) -> Result<Response, PageError> {
    import(&state, viewer, form.csv, false).await
}

/// `POST /admin/import`: validates again and writes all rows, or none.
pub(crate) async fn run_import(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ImportForm>,
) -> Result<Response, PageError> {
    import(&state, viewer, form.csv, true).await
}
