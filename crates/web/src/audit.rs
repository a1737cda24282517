//! The audit log page for HR and administrators: every change, newest
//! first or oldest first, narrowed by the person it is about, the person who made it, the
//! kind of change and a range of days, a page of 50 at a time, and the same
//! selection as a CSV download. It reads through the API's `audit_page`, so
//! the filters mean what they mean in `GET /api/v1/audit`.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use climb_framework::Framework;
use climb_people::policy::Resource;
use climb_people::{Email, Org, PersonId};
use climb_server::api::audit::{AuditEventView, audit_page};
use climb_server::pagination::Page;
use climb_server::{ApiError, AppState};
use climb_store::AuditFilter;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{PageError, encode};
use crate::page::{Layout, Viewer, render_form};

/// Events on one page.
const PAGE_SIZE: u32 = 50;
/// The most events one CSV download holds.
const CSV_LIMIT: usize = 100_000;

/// The families of changes the kind filter offers, with their names.
const FAMILIES: [(&str, &str); 9] = [
    ("person", "People: hires, roles, managers, leaving"),
    ("project", "Projects and designations"),
    ("one_on_one", "One-on-ones"),
    ("review_cycle", "Review cycles"),
    ("review", "Reviews"),
    ("promotion", "Promotions"),
    ("goal", "Goals"),
    ("opening", "Openings"),
    ("update", "Company updates"),
];

/// The filter form as typed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AuditForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// `oldest` for the oldest first; anything else is the newest first.
    #[serde(default)]
    sort: String,
    #[serde(default)]
    cursor: Option<String>,
}

impl AuditForm {
    /// The filter the form asks for, or why it cannot be read.
    fn filter(&self, org: &Org) -> Result<AuditFilter, String> {
        let person = |field: &str, what: &str| -> Result<Option<PersonId>, String> {
            let field = field.trim();
            if field.is_empty() {
                return Ok(None);
            }
            let email = Email::parse(field)
                .map_err(|_| format!("The {what} must be given by their email address."))?;
            org.person_by_email(&email)
                .map(|p| Some(p.id))
                .ok_or_else(|| format!("No one in the company has the email {email}."))
        };
        let day = |field: &str, what: &str| -> Result<Option<NaiveDate>, String> {
            let field = field.trim();
            if field.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(field, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("The {what} day must be a date such as 2026-12-07."))
        };
        let kind = self.kind.trim();
        if !kind.is_empty() && !FAMILIES.iter().any(|(family, _)| *family == kind) {
            return Err("Choose a kind of change from the list.".to_owned());
        }
        let filter = AuditFilter {
            person: person(&self.person, "person the change is about")?,
            actor: person(&self.actor, "person who made the change")?,
            action: (!kind.is_empty()).then(|| kind.to_owned()),
            from: day(&self.from, "first")?,
            to: day(&self.to, "last")?,
            oldest_first: self.oldest_first(),
        };
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            return Err("The first day must not be after the last day.".to_owned());
        }
        Ok(filter)
    }

    /// Whether the oldest events come first.
    fn oldest_first(&self) -> bool {
        self.sort.trim() == "oldest"
    }

    /// The form's filters as a query string, in the order shown, for the
    /// next page and the CSV.
    fn query(&self) -> String {
        self.query_sorted(self.oldest_first())
    }

    /// The form's filters as a query string, the oldest first or not.
    fn query_sorted(&self, oldest_first: bool) -> String {
        let sort = if oldest_first { "oldest" } else { "" };
        [
            ("person", self.person.as_str()),
            ("actor", &self.actor),
            ("kind", &self.kind),
            ("from", &self.from),
            ("to", &self.to),
            ("sort", sort),
        ]
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| format!("{name}={}", encode(value.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// An event as a row of the table.
#[derive(Debug)]
struct Row {
    when: String,
    actor: String,
    action: String,
    subject: String,
    subject_href: Option<String>,
    detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    form: AuditForm,
    families: &'static [(&'static str, &'static str)],
    rows: Vec<Row>,
    next: Option<String>,
    query: String,
    /// Whether the oldest come first, and the link to the other order.
    oldest_first: bool,
    resorted: String,
    problem: Option<String>,
}

/// The filter `form` asks for, once the viewer may read the audit log at
/// all; the inner error is a sentence for the form.
async fn readable_filter(
    state: &AppState,
    viewer: &Viewer,
    form: &AuditForm,
) -> Result<Result<AuditFilter, String>, PageError> {
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Audit)?;
    Ok(form.filter(&org))
}

/// `GET /audit`.
pub(crate) async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(form): Query<AuditForm>,
) -> Result<Response, PageError> {
    let filter = match readable_filter(&state, &viewer, &form).await? {
        Ok(filter) => filter,
        Err(problem) => {
            return show(&viewer, form, Vec::new(), None, Some(problem));
        }
    };
    let page = Page::parse(Some(PAGE_SIZE), form.cursor.as_deref())?;
    let list = audit_page(&state, &filter, &page).await?;
    let framework = state.framework();
    let org = state.org().await?;
    let rows = list
        .events
        .iter()
        .map(|e| row(&framework, &org, &viewer.layout, e))
        .collect();
    drop(org);
    show(&viewer, form, rows, list.next_cursor, None)
}

fn show(
    viewer: &Viewer,
    form: AuditForm,
    rows: Vec<Row>,
    next: Option<String>,
    problem: Option<String>,
) -> Result<Response, PageError> {
    let refused = problem.is_some();
    render_form(
        &AuditPage {
            layout: viewer.layout.at("audit"),
            query: form.query(),
            oldest_first: form.oldest_first(),
            resorted: form.query_sorted(!form.oldest_first()),
            form,
            families: &FAMILIES,
            rows,
            next,
            problem,
        },
        refused,
    )
}

/// `GET /audit.csv`: the events the same filters select, in the same order.
pub(crate) async fn audit_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(form): Query<AuditForm>,
) -> Result<Response, PageError> {
    let filter = readable_filter(&state, &viewer, &form)
        .await?
        .map_err(|problem| PageError::Api(ApiError::bad_request("invalid_filter", problem)))?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| PageError::Api(ApiError::internal(e));
    writer
        .write_record([
            "seq",
            "at",
            "actor",
            "action",
            "subject_kind",
            "subject_id",
            "subject",
            "before",
            "after",
        ])
        .map_err(csv_error)?;
    let mut cursor: Option<String> = None;
    let mut written = 0;
    loop {
        let page = Page::parse(Some(500), cursor.as_deref())?;
        let list = audit_page(&state, &filter, &page).await?;
        let org = state.org().await?;
        for event in &list.events {
            let (subject, _) = subject(&org, event);
            writer
                .write_record([
                    event.seq.to_string(),
                    event.at.to_rfc3339(),
                    actor(&org, event),
                    event.action.clone(),
                    event.subject.kind.clone(),
                    event.subject.id.to_string(),
                    subject,
                    event.before.to_string(),
                    event.after.to_string(),
                ])
                .map_err(csv_error)?;
            written += 1;
        }
        drop(org);
        cursor = list.next_cursor;
        if cursor.is_none() || written >= CSV_LIMIT {
            break;
        }
    }
    let body = writer
        .into_inner()
        .map_err(|e| PageError::Api(ApiError::internal(e.into_error())))?;
    Ok(crate::page::csv_download(body, "climb-audit.csv"))
}

fn name(org: &Org, person: i64) -> String {
    org.person(PersonId(person))
        .map_or_else(|| format!("person #{person}"), |p| p.name.clone())
}

/// Who made the change, in words.
fn actor(org: &Org, event: &AuditEventView) -> String {
    let kind = match event.actor.kind.as_str() {
        "admin" => "administrator",
        "hr" => "HR",
        _ => "",
    };
    if let Some(connection) = &event.actor.scim_connection {
        return format!("the SCIM connection {connection}");
    }
    match (event.actor.person, kind) {
        (Some(person), "") => name(org, person),
        (Some(person), kind) => format!("{} ({kind})", name(org, person)),
        (None, _) => "an administrator".to_owned(),
    }
}

/// What the event is about, with a link when it is a person.
fn subject(org: &Org, event: &AuditEventView) -> (String, Option<String>) {
    match event.subject.kind.as_str() {
        "person" => (
            name(org, event.subject.id),
            Some(format!("/people/{}", event.subject.id)),
        ),
        "project" => (
            org.project(climb_people::ProjectId(event.subject.id))
                .map_or_else(
                    || format!("project #{}", event.subject.id),
                    |p| p.name.clone(),
                ),
            Some(format!("/projects/{}", event.subject.id)),
        ),
        other => (
            format!("{} #{}", other.replace('_', " "), event.subject.id),
            None,
        ),
    }
}

/// One event as a row, its time in the viewer's zone.
fn row(framework: &Framework, org: &Org, layout: &Layout, event: &AuditEventView) -> Row {
    let (subject, subject_href) = subject(org, event);
    Row {
        when: layout.stamp(event.at),
        actor: actor(org, event),
        action: event.action.replace(['.', '_'], " "),
        subject,
        subject_href,
        detail: detail(framework, org, event),
    }
}

/// The fields that changed, as `field: before → after`, in words: roles by
/// their titles, people by their names, a hire as the role, day and manager
/// it started with; shortened.
fn detail(framework: &Framework, org: &Org, event: &AuditEventView) -> String {
    if event.action == "person.hired" {
        return hired(framework, org, &event.after);
    }
    let after = flattened(&event.after);
    let before = flattened(&event.before);
    let mut parts = Vec::new();
    for (label, value) in &after {
        let old = before
            .iter()
            .find(|(field, _)| field == label)
            .map(|(_, value)| *value);
        if old == Some(*value) || (old.is_none() && value.is_null()) {
            continue;
        }
        let field = label.rsplit(' ').next().unwrap_or(label);
        let shown = |v: &Value| in_words(framework, org, field, v);
        let text = match old {
            Some(old) => format!("{label}: {} → {}", shown(old), shown(value)),
            None => format!("{label}: {}", shown(value)),
        };
        parts.push(text.chars().take(80).collect::<String>());
        if parts.len() == 4 {
            parts.push("…".to_owned());
            break;
        }
    }
    parts.join("; ")
}

/// An event's side as `(label, value)` pairs: its fields, and the fields of
/// a field that is itself an object (`cycle name`), labelled in words; the
/// ids that the "About" column already names are left out.
fn flattened(value: &Value) -> Vec<(String, &Value)> {
    let mut fields = Vec::new();
    let Some(object) = value.as_object() else {
        return fields;
    };
    for (field, value) in object {
        if field == "id" {
            continue;
        }
        let label = field.replace('_', " ");
        match value.as_object() {
            Some(inner) => {
                for (sub, value) in inner {
                    if sub != "id" && !value.is_object() {
                        fields.push((format!("{label} {}", sub.replace('_', " ")), value));
                    }
                }
            }
            None => fields.push((label, value)),
        }
    }
    fields
}

/// One field's value in words.
fn in_words(framework: &Framework, org: &Org, field: &str, value: &Value) -> String {
    match (field, value) {
        ("role" | "from_role" | "to_role", Value::String(id)) => framework
            .role(id)
            .map_or_else(|| id.clone(), |role| role.title.clone()),
        ("manager" | "member" | "person" | "by" | "author" | "proposer", Value::Number(id)) => id
            .as_i64()
            .map_or_else(|| id.to_string(), |id| name(org, id)),
        // A state or kind (`meets_expectations`) in words.
        (_, Value::String(token)) if token.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {
            token.replace('_', " ")
        }
        (_, Value::String(text)) => text.clone(),
        (_, Value::Null) => "none".to_owned(),
        (_, Value::Array(items)) => format!("{} items", items.len()),
        (_, other) => other.to_string(),
    }
}

/// A hire in words: "as Software Engineer from 2026-01-05, reporting to
/// Grace Manager".
fn hired(framework: &Framework, org: &Org, after: &Value) -> String {
    let role = &after["role"];
    let mut text = [
        role["to"]
            .is_string()
            .then(|| format!("as {}", in_words(framework, org, "role", &role["to"]))),
        role["effective_date"]
            .as_str()
            .map(|day| format!("from {day}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    if let Some(manager) = after["person"]["manager"].as_i64() {
        if !text.is_empty() {
            text.push_str(", ");
        }
        text.push_str(&format!("reporting to {}", name(org, manager)));
    }
    text
}
