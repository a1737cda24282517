//! The SCIM handlers: discovery, and `Users` mapped onto the people
//! domain. A user's JSON is rendered from the person and their SCIM link;
//! a POST, PUT or PATCHed rendering is read back into a [`Desired`] user,
//! and the difference becomes domain commands: a hire, an update of name
//! or email, a role change along the framework, a manager change, a
//! leaving. Commands go one at a time through the store's queue; the first
//! the domain refuses stops the request with its reason.

use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use climb_framework::{Framework, RoleId};
use climb_people::{Actor, Change, Command, Email, NameProblem, Org, Person, PersonId};
use climb_store::ScimLink;
use serde_json::{Map, Value, json};

use crate::auth::hash_secret;
use crate::scim::filter::{self, CORE_USER, ENTERPRISE_USER, Key, member};
use crate::scim::schema::{self, LIST_RESPONSE, MAX_RESULTS};
use crate::scim::{RoleAttribute, ScimCaller, ScimError, patch, scim_json};
use crate::state::AppState;

/// The default page size of a list.
const DEFAULT_COUNT: usize = 100;

/// `https://host/scim/v2`, from the request.
fn base(state: &AppState, headers: &HeaderMap) -> String {
    let scheme = if crate::headers::behind_tls(state, headers) {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("{scheme}://{host}/scim/v2")
}

pub(crate) async fn service_provider_config(
    State(state): State<AppState>,
    _caller: ScimCaller,
    headers: HeaderMap,
) -> Response {
    scim_json(
        StatusCode::OK,
        &schema::service_provider_config(&base(&state, &headers)),
    )
}

pub(crate) async fn resource_types(
    State(state): State<AppState>,
    _caller: ScimCaller,
    headers: HeaderMap,
) -> Response {
    let base = base(&state, &headers);
    scim_json(
        StatusCode::OK,
        &schema::list(vec![schema::user_resource_type(&base)]),
    )
}

pub(crate) async fn resource_type(
    State(state): State<AppState>,
    _caller: ScimCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    if id != "User" {
        return Err(ScimError::new(
            StatusCode::NOT_FOUND,
            None,
            format!("there is no resource type `{id}`: climb serves User only"),
        ));
    }
    Ok(scim_json(
        StatusCode::OK,
        &schema::user_resource_type(&base(&state, &headers)),
    ))
}

fn all_schemas(state: &AppState, headers: &HeaderMap) -> Vec<Value> {
    let base = base(state, headers);
    let framework = state.framework();
    let role = state.scim().role_attribute;
    vec![
        schema::user_schema(&base, &framework, role),
        schema::enterprise_schema(&base, &framework, role),
    ]
}

pub(crate) async fn schemas(
    State(state): State<AppState>,
    _caller: ScimCaller,
    headers: HeaderMap,
) -> Response {
    scim_json(StatusCode::OK, &schema::list(all_schemas(&state, &headers)))
}

pub(crate) async fn schema(
    State(state): State<AppState>,
    _caller: ScimCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    all_schemas(&state, &headers)
        .into_iter()
        .find(|s| s["id"].as_str() == Some(id.as_str()))
        .map(|s| scim_json(StatusCode::OK, &s))
        .ok_or_else(|| {
            ScimError::new(
                StatusCode::NOT_FOUND,
                None,
                format!("there is no schema `{id}`"),
            )
        })
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The role a SCIM value names: a role id, else a role title, without case.
fn resolve_role(framework: &Framework, value: &str) -> Option<RoleId> {
    let value = value.trim();
    let roles = framework.roles();
    roles
        .iter()
        .find(|r| r.id.as_str().eq_ignore_ascii_case(value))
        .or_else(|| roles.iter().find(|r| r.title.eq_ignore_ascii_case(value)))
        .map(|r| r.id.clone())
}

/// The user as SCIM shows it, without `meta`.
fn render_body(
    org: &Org,
    framework: &Framework,
    person: &Person,
    link: Option<&ScimLink>,
    role_attribute: RoleAttribute,
) -> Value {
    let role = framework.role(person.role.as_str());
    let title = role.map_or_else(|| person.role.as_str().to_owned(), |r| r.title.clone());
    let department = role
        .and_then(|r| framework.streams().iter().find(|s| s.id == r.stream))
        .map(|s| s.name.clone());
    let (given, family) = match link {
        Some(ScimLink {
            given_name: g,
            family_name: f,
            ..
        }) if g.is_some() || f.is_some() => (g.clone(), f.clone()),
        _ => match person.name.rsplit_once(' ') {
            Some((g, f)) => (Some(g.to_owned()), Some(f.to_owned())),
            None => (Some(person.name.clone()), None),
        },
    };
    let mut name = Map::new();
    name.insert("formatted".into(), json!(person.name));
    if let Some(g) = given {
        name.insert("givenName".into(), json!(g));
    }
    if let Some(f) = family {
        name.insert("familyName".into(), json!(f));
    }
    let mut enterprise = Map::new();
    if let Some(department) = department {
        enterprise.insert("department".into(), json!(department));
    }
    if let Some(manager) = person.manager {
        let display = org.person(manager).map(|m| m.name.clone());
        enterprise.insert(
            "manager".into(),
            json!({"value": manager.0.to_string(), "displayName": display}),
        );
    }
    let mut user = json!({
        "schemas": [CORE_USER, ENTERPRISE_USER],
        "id": person.id.0.to_string(),
        "userName": link.map_or_else(|| person.email.as_str().to_owned(), |l| l.user_name.clone()),
        "name": name,
        "displayName": person.name,
        "emails": [{"value": person.email.as_str(), "type": "work", "primary": true}],
        "active": person.is_active(),
        "title": title,
    });
    if let Some(external) = link.and_then(|l| l.external_id.as_deref()) {
        user["externalId"] = json!(external);
    }
    if role_attribute != RoleAttribute::Title {
        let value = json!(role.map_or(person.role.as_str(), |r| r.title.as_str()));
        if role_attribute.is_enterprise() {
            enterprise.insert(role_attribute.name().into(), value);
        } else {
            user[role_attribute.name()] = value;
        }
    }
    user[ENTERPRISE_USER] = Value::Object(enterprise);
    user
}

/// The weak ETag of a rendering.
fn etag(body: &Value) -> String {
    format!("W/\"{}\"", &hash_secret(&body.to_string())[..16])
}

/// The user with its `meta`.
fn render(
    org: &Org,
    framework: &Framework,
    person: &Person,
    link: Option<&ScimLink>,
    role_attribute: RoleAttribute,
    base: &str,
) -> (Value, String) {
    let mut user = render_body(org, framework, person, link, role_attribute);
    let version = etag(&user);
    let created = link.map_or_else(
        || {
            time(
                person
                    .start_date
                    .and_hms_opt(0, 0, 0)
                    .unwrap_or_default()
                    .and_utc(),
            )
        },
        |l| time(l.created_at),
    );
    let modified = link.map_or_else(|| created.clone(), |l| time(l.updated_at));
    user["meta"] = json!({
        "resourceType": "User",
        "created": created,
        "lastModified": modified,
        "location": format!("{base}/Users/{}", person.id.0),
        "version": version,
    });
    (user, version)
}

fn with_etag(mut response: Response, version: &str, location: Option<&str>) -> Response {
    if let Ok(value) = HeaderValue::from_str(version) {
        response.headers_mut().insert(header::ETAG, value);
    }
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Query parameters of a list or a read.
#[derive(Debug, Default)]
struct Query {
    filter: Option<String>,
    start_index: usize,
    count: usize,
    attributes: Vec<String>,
    excluded: Vec<String>,
}

fn query(raw: Option<&str>) -> Result<Query, ScimError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| ScimError::bad("invalidSyntax", "the query string is malformed"))?;
    let mut query = Query {
        start_index: 1,
        count: DEFAULT_COUNT,
        ..Query::default()
    };
    let list = |v: &str| {
        v.split(',')
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .collect()
    };
    for (key, value) in pairs {
        match key.as_str() {
            "filter" => query.filter = Some(value),
            "startIndex" => {
                let n: i64 = value
                    .trim()
                    .parse()
                    .map_err(|_| ScimError::bad("invalidValue", "startIndex is an integer"))?;
                query.start_index = usize::try_from(n.max(1)).unwrap_or(1);
            }
            "count" => {
                let n: i64 = value
                    .trim()
                    .parse()
                    .map_err(|_| ScimError::bad("invalidValue", "count is an integer"))?;
                query.count = usize::try_from(n.max(0)).unwrap_or(0).min(MAX_RESULTS);
            }
            "attributes" => query.attributes = list(&value),
            "excludedAttributes" => query.excluded = list(&value),
            _ => {}
        }
    }
    Ok(query)
}

/// Keeps the attributes asked for (`id` and `schemas` always), or drops
/// the excluded ones.
fn project(mut user: Value, attributes: &[String], excluded: &[String]) -> Value {
    let Some(object) = user.as_object_mut() else {
        return user;
    };
    let top = |a: &String| -> (Option<String>, String) {
        let lower = a.to_ascii_lowercase();
        if lower.starts_with(&ENTERPRISE_USER.to_ascii_lowercase())
            && a.len() > ENTERPRISE_USER.len() + 1
        {
            let rest = &a[ENTERPRISE_USER.len() + 1..];
            (
                Some(ENTERPRISE_USER.to_owned()),
                rest.split('.').next().unwrap_or(rest).to_owned(),
            )
        } else {
            let rest = lower
                .strip_prefix(&format!("{}:", CORE_USER.to_ascii_lowercase()))
                .map_or(a.as_str(), |_| &a[CORE_USER.len() + 1..]);
            (None, rest.split('.').next().unwrap_or(rest).to_owned())
        }
    };
    if !attributes.is_empty() {
        let wanted: Vec<(Option<String>, String)> = attributes.iter().map(top).collect();
        let whole_ext = attributes
            .iter()
            .any(|a| a.eq_ignore_ascii_case(ENTERPRISE_USER));
        object.retain(|key, value| {
            if matches!(key.as_str(), "id" | "schemas" | "meta") {
                return true;
            }
            if key == ENTERPRISE_USER {
                if whole_ext {
                    return true;
                }
                if let Some(ext) = value.as_object_mut() {
                    ext.retain(|k, _| {
                        wanted
                            .iter()
                            .any(|(u, a)| u.is_some() && a.eq_ignore_ascii_case(k))
                    });
                    return !ext.is_empty();
                }
                return false;
            }
            wanted
                .iter()
                .any(|(u, a)| u.is_none() && a.eq_ignore_ascii_case(key))
        });
    } else if !excluded.is_empty() {
        let unwanted: Vec<(Option<String>, String)> = excluded.iter().map(top).collect();
        object.retain(|key, value| {
            if matches!(key.as_str(), "id" | "schemas") {
                return true;
            }
            if key == ENTERPRISE_USER {
                if let Some(ext) = value.as_object_mut() {
                    ext.retain(|k, _| {
                        !unwanted
                            .iter()
                            .any(|(u, a)| u.is_some() && a.eq_ignore_ascii_case(k))
                    });
                }
                return !excluded
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(ENTERPRISE_USER));
            }
            !unwanted
                .iter()
                .any(|(u, a)| u.is_none() && a.eq_ignore_ascii_case(key))
        });
    }
    user
}

/// A person and their link, by SCIM id; 404 for an unknown id or a user
/// the provider deleted.
async fn find(state: &AppState, id: &str) -> Result<(Person, Option<ScimLink>), ScimError> {
    let person_id = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(PersonId)
        .ok_or_else(|| ScimError::not_found(id))?;
    let link = state.store().scim_link(person_id).await?;
    if link.as_ref().is_some_and(|l| l.deleted_at.is_some()) {
        return Err(ScimError::not_found(id));
    }
    let org = state.org().await.map_err(ScimError::from)?;
    let person = org
        .person(person_id)
        .cloned()
        .ok_or_else(|| ScimError::not_found(id))?;
    Ok((person, link))
}

pub(crate) async fn get_user(
    State(state): State<AppState>,
    _caller: ScimCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ScimError> {
    let query = query(raw.as_deref())?;
    let (person, link) = find(&state, &id).await?;
    let org = state.org().await.map_err(ScimError::from)?;
    let framework = state.framework();
    let base = base(&state, &headers);
    let (user, version) = render(
        &org,
        &framework,
        &person,
        link.as_ref(),
        state.scim().role_attribute,
        &base,
    );
    if let Some(tag) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        && tag_matches(tag, &version)
    {
        return Ok(with_etag(
            StatusCode::NOT_MODIFIED.into_response(),
            &version,
            None,
        ));
    }
    let user = project(user, &query.attributes, &query.excluded);
    Ok(with_etag(scim_json(StatusCode::OK, &user), &version, None))
}

pub(crate) async fn list(
    State(state): State<AppState>,
    _caller: ScimCaller,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ScimError> {
    let query = query(raw.as_deref())?;
    list_users(&state, &headers, query).await
}

/// `POST /Users/.search`: a list whose parameters come in a SearchRequest body.
pub(crate) async fn search(
    State(state): State<AppState>,
    _caller: ScimCaller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ScimError> {
    let body = body_json(&body).await?;
    let list = |name: &str| -> Vec<String> {
        match member(&body, name) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(s)) => s
                .split(',')
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect(),
            _ => Vec::new(),
        }
    };
    let number = |name: &str, default: i64| {
        member(&body, name)
            .and_then(Value::as_i64)
            .unwrap_or(default)
    };
    let query = Query {
        filter: text(member(&body, "filter")),
        start_index: usize::try_from(number("startIndex", 1).max(1)).unwrap_or(1),
        count: usize::try_from(number("count", i64::try_from(DEFAULT_COUNT).unwrap_or(100)).max(0))
            .unwrap_or(0)
            .min(MAX_RESULTS),
        attributes: list("attributes"),
        excluded: list("excludedAttributes"),
    };
    list_users(&state, &headers, query).await
}

/// `POST /.search` across resource types: climb has one, so it answers 501
/// and names the search that works (RFC 7644 §3.4.3).
pub(crate) async fn search_everything(_caller: ScimCaller) -> ScimError {
    ScimError::new(
        StatusCode::NOT_IMPLEMENTED,
        None,
        "climb serves Users only: search them with POST /scim/v2/Users/.search",
    )
}

async fn list_users(
    state: &AppState,
    headers: &HeaderMap,
    query: Query,
) -> Result<Response, ScimError> {
    let state = state.clone();
    let filter = query
        .filter
        .as_deref()
        .map(filter::parse)
        .transpose()
        .map_err(|e| ScimError::bad("invalidFilter", format!("{e}: climb takes eq, ne, co, sw, ew, gt, ge, lt, le and pr, joined by and, or and not")))?;
    let keys = filter.as_ref().and_then(filter::Filter::keys);
    let store = state.store();
    // The links of the users the filter may match, or of everyone.
    let links: HashMap<PersonId, ScimLink> = match &keys {
        Some(keys) => {
            let mut links = HashMap::new();
            for key in keys {
                let found = match key {
                    Key::UserName(v) => {
                        store
                            .scim_links_matching(Some(&v.to_lowercase()), None)
                            .await?
                    }
                    Key::ExternalId(v) => store.scim_links_matching(None, Some(v)).await?,
                    Key::Email(_) => Vec::new(),
                };
                links.extend(found.into_iter().map(|l| (l.person, l)));
            }
            links
        }
        None => store
            .scim_links()
            .await?
            .into_iter()
            .map(|l| (l.person, l))
            .collect(),
    };
    let org = state.org().await.map_err(ScimError::from)?;
    let framework = state.framework();
    let base = base(&state, headers);
    let role_attribute = state.scim().role_attribute;
    let mut candidates: Vec<PersonId> = match &keys {
        Some(keys) => {
            let mut ids: Vec<PersonId> = links.keys().copied().collect();
            for key in keys {
                if let Key::UserName(v) | Key::Email(v) = key
                    && let Ok(email) = Email::parse(v)
                    && let Some(p) = org.person_by_email(&email)
                {
                    ids.push(p.id);
                }
            }
            ids.sort();
            ids.dedup();
            ids
        }
        None => state.sorted_people(&org).to_vec(),
    };
    // The links of people found by email, when a filter named them.
    let mut extra = BTreeMap::new();
    if keys.is_some() {
        for id in &candidates {
            if !links.contains_key(id)
                && let Some(link) = store.scim_link(*id).await?
            {
                extra.insert(*id, link);
            }
        }
    }
    candidates.retain(|id| {
        let link = links.get(id).or_else(|| extra.get(id));
        link.is_none_or(|l| l.deleted_at.is_none())
    });
    let mut matched = Vec::new();
    for id in candidates {
        let Some(person) = org.person(id) else {
            continue;
        };
        let link = links.get(&id).or_else(|| extra.get(&id));
        let (user, _) = render(&org, &framework, person, link, role_attribute, &base);
        if filter.as_ref().is_none_or(|f| f.matches(&user)) {
            matched.push(user);
        }
    }
    let total = matched.len();
    let page: Vec<Value> = matched
        .into_iter()
        .skip(query.start_index - 1)
        .take(query.count)
        .map(|u| project(u, &query.attributes, &query.excluded))
        .collect();
    Ok(scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_RESPONSE],
            "totalResults": total,
            "itemsPerPage": page.len(),
            "startIndex": query.start_index,
            "Resources": page,
        }),
    ))
}

/// A user as a request wants it, read from a POST or PUT body or a PATCHed
/// rendering.
#[derive(Debug, Clone, PartialEq)]
struct Desired {
    user_name: String,
    external_id: Option<String>,
    display_name: Option<String>,
    formatted: Option<String>,
    given: Option<String>,
    family: Option<String>,
    email: Option<String>,
    active: bool,
    role: Option<String>,
    manager: Option<String>,
}

fn text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl Desired {
    fn read(user: &Value, role_attribute: RoleAttribute) -> Result<Self, ScimError> {
        if !user.is_object() {
            return Err(ScimError::bad("invalidSyntax", "a user is a JSON object"));
        }
        let user_name = text(member(user, "userName")).ok_or_else(|| {
            ScimError::bad(
                "invalidValue",
                "`userName` is required: send the person's work email",
            )
        })?;
        let name = member(user, "name");
        let emails = member(user, "emails").and_then(Value::as_array);
        let email = emails.and_then(|emails| {
            let pick = |f: &dyn Fn(&Value) -> bool| {
                emails
                    .iter()
                    .find(|e| f(e))
                    .and_then(|e| text(member(e, "value")))
            };
            pick(&|e| member(e, "primary").and_then(Value::as_bool) == Some(true))
                .or_else(|| {
                    pick(&|e| {
                        member(e, "type")
                            .and_then(Value::as_str)
                            .is_some_and(|t| t.eq_ignore_ascii_case("work"))
                    })
                })
                .or_else(|| pick(&|_| true))
        });
        let active = match member(user, "active") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
            Some(other) => {
                return Err(ScimError::bad(
                    "invalidValue",
                    format!("`active` is true or false, not {other}"),
                ));
            }
        };
        let enterprise = member(user, ENTERPRISE_USER);
        let role_value = if role_attribute.is_enterprise() {
            enterprise.and_then(|e| member(e, role_attribute.name()))
        } else {
            member(user, role_attribute.name())
        };
        let manager = match enterprise.and_then(|e| member(e, "manager")) {
            Some(Value::String(s)) => Some(s.trim().to_owned()),
            Some(object @ Value::Object(_)) => {
                text(member(object, "$ref")).or_else(|| text(member(object, "value")))
            }
            _ => None,
        }
        .filter(|m| !m.is_empty());
        Ok(Self {
            user_name,
            external_id: text(member(user, "externalId")),
            display_name: text(member(user, "displayName")),
            formatted: name.and_then(|n| text(member(n, "formatted"))),
            given: name.and_then(|n| text(member(n, "givenName"))),
            family: name.and_then(|n| text(member(n, "familyName"))),
            email,
            active,
            role: text(role_value),
            manager,
        })
    }

    fn joined_name(&self) -> Option<String> {
        let joined = [self.given.as_deref(), self.family.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        (!joined.is_empty()).then_some(joined)
    }

    /// The display name to hold: for a new user the first of displayName,
    /// name.formatted, given and family names, userName; for an existing
    /// one, whichever of those the request changed.
    fn name(&self, current: Option<&Desired>) -> Option<String> {
        match current {
            None => self
                .display_name
                .clone()
                .or_else(|| self.formatted.clone())
                .or_else(|| self.joined_name())
                .or_else(|| Some(self.user_name.clone())),
            Some(current) => {
                if self.display_name.is_some() && self.display_name != current.display_name {
                    self.display_name.clone()
                } else if self.formatted.is_some() && self.formatted != current.formatted {
                    self.formatted.clone()
                } else if self.joined_name().is_some()
                    && (self.given != current.given || self.family != current.family)
                {
                    self.joined_name()
                } else {
                    None
                }
            }
        }
    }

    /// The email to hold: the chosen email, else `userName` when it is one.
    fn email(&self) -> Result<Email, ScimError> {
        match &self.email {
            Some(email) => Email::parse(email).map_err(|_| {
                ScimError::bad("invalidValue", format!("`{email}` is not a valid email address"))
            }),
            None => Email::parse(&self.user_name).map_err(|_| {
                ScimError::bad(
                    "invalidValue",
                    format!("`{}` is not an email and no email was sent: send `emails` with a work address, or use the email as userName", self.user_name),
                )
            }),
        }
    }
}

fn unmapped_role(value: &str, attribute: RoleAttribute, framework: &Framework) -> ScimError {
    let examples: Vec<&str> = framework
        .roles()
        .iter()
        .take(3)
        .map(|r| r.title.as_str())
        .collect();
    ScimError::bad(
        "invalidValue",
        format!(
            "`{value}` names no role of the framework: set `{}` to a role title or id (such as {}), or change the mapping in the identity provider",
            attribute.name(),
            examples.join(", ")
        ),
    )
}

fn check_name(name: &str) -> Result<(), ScimError> {
    match NameProblem::of(name) {
        Some(problem) => Err(ScimError::bad(
            "invalidValue",
            format!("the name `{name}`: {problem}"),
        )),
        None => Ok(()),
    }
}

/// A manager's SCIM id, or their resource's URL (`…/Users/ID`).
fn parse_manager(org: &Org, value: &str) -> Result<PersonId, ScimError> {
    let id = value
        .split_once("/Users/")
        .map_or(value, |(_, id)| id.trim_end_matches('/'));
    id.parse::<i64>()
        .ok()
        .map(PersonId)
        .filter(|id| org.person(*id).is_some())
        .ok_or_else(|| {
            ScimError::bad(
                "invalidValue",
                format!("the manager `{value}` is not the id of a user"),
            )
        })
}

/// Whether `user_name` (lower-cased) belongs to someone other than `me`.
async fn user_name_taken(
    state: &AppState,
    user_name: &str,
    me: Option<PersonId>,
) -> Result<bool, ScimError> {
    let linked = state
        .store()
        .scim_links_matching(Some(user_name), None)
        .await?;
    if linked.iter().any(|l| Some(l.person) != me) {
        return Ok(true);
    }
    let org = state.org().await.map_err(ScimError::from)?;
    let Ok(email) = Email::parse(user_name) else {
        return Ok(false);
    };
    let Some(holder) = org.person_by_email(&email).map(|p| p.id) else {
        return Ok(false);
    };
    if Some(holder) == me {
        return Ok(false);
    }
    // The holder's own userName, if a provider gave them another one, frees this one.
    Ok(state
        .store()
        .scim_link(holder)
        .await?
        .is_none_or(|l| l.user_name == user_name))
}

async fn body_json(body: &Bytes) -> Result<Value, ScimError> {
    serde_json::from_slice(body)
        .map_err(|e| ScimError::bad("invalidSyntax", format!("the body is not valid JSON: {e}")))
}

pub(crate) async fn create(
    State(state): State<AppState>,
    caller: ScimCaller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ScimError> {
    let role_attribute = state.scim().role_attribute;
    let desired = Desired::read(&body_json(&body).await?, role_attribute)?;
    let framework = state.framework();
    let user_name = desired.user_name.to_lowercase();
    let role_value = desired.role.clone().ok_or_else(|| {
        ScimError::bad(
            "invalidValue",
            format!(
                "the user has no `{}`: it names their role (a role title or id of the framework)",
                role_attribute.name()
            ),
        )
    })?;
    let role = resolve_role(&framework, &role_value)
        .ok_or_else(|| unmapped_role(&role_value, role_attribute, &framework))?;
    let email = desired.email()?;
    let name = desired.name(None).unwrap_or_default();
    check_name(&name)?;
    if user_name_taken(&state, &user_name, None).await? {
        return Err(ScimError::new(
            StatusCode::CONFLICT,
            Some("uniqueness"),
            format!("the userName `{}` is taken", desired.user_name),
        ));
    }
    let manager = {
        let org = state.org().await.map_err(ScimError::from)?;
        desired
            .manager
            .as_deref()
            .map(|m| parse_manager(&org, m))
            .transpose()?
    };
    let actor = Actor::scim(caller.token.id.0);
    let changes = state
        .execute(
            actor,
            Command::Hire {
                id: PersonId(0),
                name,
                email,
                role,
                manager,
                start_date: crate::api::today(),
            },
        )
        .await
        .map_err(ScimError::from)?;
    let id = changes
        .iter()
        .find_map(|c| match c {
            Change::PersonHired { person, .. } => Some(person.id),
            _ => None,
        })
        .ok_or_else(|| {
            ScimError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                None,
                "a hire recorded no person",
            )
        })?;
    let now = Utc::now();
    let link = ScimLink {
        person: id,
        user_name,
        external_id: desired.external_id.clone(),
        given_name: desired.given.clone(),
        family_name: desired.family.clone(),
        created_at: now,
        updated_at: now,
        deleted_at: None,
    };
    state.store().put_scim_link(&link).await?;
    // A user the provider holds as disabled (Entra provisions them so) is
    // hired and leaves the same day: the link holds, no login ever works.
    if !desired.active {
        leave_today(&state, actor, id).await?;
    }
    respond(&state, &headers, id, StatusCode::CREATED).await
}

/// The user `id` now, answered with `status`.
/// Records that `person` leaves today, as `actor`: what `active=false` and
/// a DELETE ask for.
async fn leave_today(state: &AppState, actor: Actor, person: PersonId) -> Result<(), ScimError> {
    state
        .execute(
            actor,
            Command::Leave {
                person,
                date: crate::api::today(),
            },
        )
        .await
        .map_err(ScimError::from)?;
    Ok(())
}

async fn respond(
    state: &AppState,
    headers: &HeaderMap,
    id: PersonId,
    status: StatusCode,
) -> Result<Response, ScimError> {
    let link = state.store().scim_link(id).await?;
    let org = state.org().await.map_err(ScimError::from)?;
    let person = org
        .person(id)
        .ok_or_else(|| ScimError::not_found(&id.0.to_string()))?;
    let base = base(state, headers);
    let (user, version) = render(
        &org,
        &state.framework(),
        person,
        link.as_ref(),
        state.scim().role_attribute,
        &base,
    );
    let location = format!("{base}/Users/{}", id.0);
    Ok(with_etag(
        scim_json(status, &user),
        &version,
        (status == StatusCode::CREATED).then_some(location.as_str()),
    ))
}

fn tag_matches(header: &str, version: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    header
        .split(',')
        .any(|t| t.trim() == "*" || bare(t) == bare(version))
}

/// The current rendering, after checking `If-Match` (412 when it names
/// another version).
async fn current(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Person, Option<ScimLink>, Value), ScimError> {
    let (person, link) = find(state, id).await?;
    let org = state.org().await.map_err(ScimError::from)?;
    let base = base(state, headers);
    let (user, version) = render(
        &org,
        &state.framework(),
        &person,
        link.as_ref(),
        state.scim().role_attribute,
        &base,
    );
    if let Some(tag) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok())
        && !tag_matches(tag, &version)
    {
        return Err(ScimError::new(
            StatusCode::PRECONDITION_FAILED,
            None,
            format!("the user changed since version {tag}: it is now {version}; read it again"),
        ));
    }
    Ok((person, link, user))
}

pub(crate) async fn replace(
    State(state): State<AppState>,
    caller: ScimCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ScimError> {
    let value = body_json(&body).await?;
    let (person, link, user) = current(&state, &headers, &id).await?;
    let role_attribute = state.scim().role_attribute;
    let now = Desired::read(&user, role_attribute)?;
    let mut wanted = Desired::read(&value, role_attribute)?;
    // A PUT replaces what it sends; an attribute climb requires and the
    // body leaves out keeps its value.
    if wanted.role.is_none() {
        wanted.role.clone_from(&now.role);
    }
    update(&state, &caller, &person, link, &now, &wanted).await?;
    respond(&state, &headers, person.id, StatusCode::OK).await
}

pub(crate) async fn patch(
    State(state): State<AppState>,
    caller: ScimCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ScimError> {
    let value = body_json(&body).await?;
    let operations =
        patch::parse(&value).map_err(|e| ScimError::bad(e.scim_type(), e.to_string()))?;
    let (person, link, user) = current(&state, &headers, &id).await?;
    let role_attribute = state.scim().role_attribute;
    let now = Desired::read(&user, role_attribute)?;
    let mut doc = user;
    patch::apply(&mut doc, &operations)
        .map_err(|e| ScimError::bad(e.scim_type(), e.to_string()))?;
    let wanted = Desired::read(&doc, role_attribute)?;
    update(&state, &caller, &person, link, &now, &wanted).await?;
    respond(&state, &headers, person.id, StatusCode::OK).await
}

/// Carries out the difference between `now` and `wanted` as commands,
/// after checking every value, and records the link.
async fn update(
    state: &AppState,
    caller: &ScimCaller,
    person: &Person,
    link: Option<ScimLink>,
    now: &Desired,
    wanted: &Desired,
) -> Result<(), ScimError> {
    let framework = state.framework();
    let role_attribute = state.scim().role_attribute;
    let actor = Actor::scim(caller.token.id.0);
    let id = person.id;
    let user_name = wanted.user_name.to_lowercase();
    if user_name != now.user_name.to_lowercase()
        && user_name_taken(state, &user_name, Some(id)).await?
    {
        return Err(ScimError::new(
            StatusCode::CONFLICT,
            Some("uniqueness"),
            format!("the userName `{}` is taken", wanted.user_name),
        ));
    }
    // Check every value before the first command runs.
    let role = match &wanted.role {
        Some(value) if Some(value) != now.role.as_ref() => {
            let role = resolve_role(&framework, value)
                .ok_or_else(|| unmapped_role(value, role_attribute, &framework))?;
            (role != person.role).then_some(role)
        }
        _ => None,
    };
    let manager = {
        let org = state.org().await.map_err(ScimError::from)?;
        match &wanted.manager {
            Some(m) if wanted.manager != now.manager => Some(Some(parse_manager(&org, m)?)),
            None if now.manager.is_some() => Some(None),
            _ => None,
        }
    };
    let name = wanted.name(Some(now)).filter(|n| *n != person.name);
    if let Some(name) = &name {
        check_name(name)?;
    }
    let email = match &wanted.email {
        Some(_) => Some(wanted.email()?).filter(|e| *e != person.email),
        None => None,
    };
    let leaves = now.active && !wanted.active;
    if !now.active && wanted.active {
        return Err(ScimError::bad(
            "mutability",
            format!(
                "{} has left; climb does not rehire through SCIM: hire them again as a new user",
                person.name
            ),
        ));
    }
    if !person.is_active()
        && (role.is_some() || manager.is_some() || name.is_some() || email.is_some())
    {
        return Err(ScimError::bad(
            "invalidValue",
            format!(
                "{} has left: their records no longer change (person_left)",
                person.name
            ),
        ));
    }
    if name.is_some() || email.is_some() {
        state
            .execute(
                actor,
                Command::UpdatePerson {
                    person: id,
                    name,
                    email,
                },
            )
            .await
            .map_err(ScimError::from)?;
    }
    if let Some(to_role) = role {
        state
            .execute(
                actor,
                Command::ChangeRole {
                    person: id,
                    to_role,
                    effective_date: crate::api::today(),
                    note: None,
                    correction: false,
                },
            )
            .await
            .map_err(ScimError::from)?;
    }
    if let Some(manager) = manager {
        state
            .execute(
                actor,
                Command::SetManager {
                    person: id,
                    manager,
                },
            )
            .await
            .map_err(ScimError::from)?;
    }
    if leaves {
        leave_today(state, actor, id).await?;
    }
    let at = Utc::now();
    let link = ScimLink {
        person: id,
        user_name,
        external_id: wanted.external_id.clone(),
        given_name: wanted.given.clone(),
        family_name: wanted.family.clone(),
        created_at: link.as_ref().map_or(at, |l| l.created_at),
        updated_at: at,
        deleted_at: None,
    };
    state.store().put_scim_link(&link).await?;
    Ok(())
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    caller: ScimCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    let (person, link, _) = current(&state, &headers, &id).await?;
    if person.is_active() {
        leave_today(&state, Actor::scim(caller.token.id.0), person.id).await?;
    }
    let at = Utc::now();
    let link = ScimLink {
        person: person.id,
        user_name: link
            .as_ref()
            .map_or_else(|| person.email.as_str().to_owned(), |l| l.user_name.clone()),
        external_id: link.as_ref().and_then(|l| l.external_id.clone()),
        given_name: link.as_ref().and_then(|l| l.given_name.clone()),
        family_name: link.as_ref().and_then(|l| l.family_name.clone()),
        created_at: link.as_ref().map_or(at, |l| l.created_at),
        updated_at: at,
        deleted_at: Some(at),
    };
    state.store().put_scim_link(&link).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_compare_weak_and_strong_forms_and_the_star() {
        assert!(tag_matches("W/\"abc\"", "W/\"abc\""));
        assert!(tag_matches("\"abc\"", "W/\"abc\""));
        assert!(tag_matches("*", "W/\"abc\""));
        assert!(!tag_matches("W/\"abd\"", "W/\"abc\""));
    }

    #[test]
    fn entra_s_string_booleans_and_okta_s_manager_object_are_read() {
        let user = json!({
            "userName": "ada@example.com",
            "active": "False",
            "title": "Staff Engineer",
            ENTERPRISE_USER: {"manager": {"value": "4"}}
        });
        let desired = Desired::read(&user, RoleAttribute::Title).expect("reads");
        assert!(!desired.active);
        assert_eq!(desired.manager.as_deref(), Some("4"));
        assert_eq!(desired.role.as_deref(), Some("Staff Engineer"));
        let bad = Desired::read(
            &json!({"userName": "a@b.c", "active": "maybe"}),
            RoleAttribute::Title,
        );
        assert!(bad.is_err());
    }

    #[test]
    fn a_changed_given_name_renames_and_an_unchanged_one_does_not() {
        let now = Desired::read(&json!({"userName": "a@b.c", "displayName": "Ada Lovelace", "name": {"givenName": "Ada", "familyName": "Lovelace", "formatted": "Ada Lovelace"}}), RoleAttribute::Title).expect("reads");
        let same = now.clone();
        assert_eq!(same.name(Some(&now)), None);
        let mut renamed = now.clone();
        renamed.given = Some("Augusta".into());
        assert_eq!(
            renamed.name(Some(&now)).as_deref(),
            Some("Augusta Lovelace")
        );
    }
}
