//! Performance reviews, calibration and growth plans: review cycles (opened
//! and closed by HR and administrators), each person's review (read by the
//! person, their management chain, HR and the assessment's author; written
//! by the person and their direct manager), the calibration view (HR and
//! senior managers), and growth plans with goals.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use climb_framework::{CompetencyId, StreamId};
use climb_management::calibration::{self, Calibration};
use climb_management::growth::{Goal, GoalId, GrowthPlan, NewGoal};
use climb_management::review::{
    Assessment, Cycle, CycleId, Edit, NewCycle, Rated, Rating, Review, ReviewId, Scope,
};
use climb_people::PersonId;
use climb_people::policy::{Access, Resource};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Authenticated;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cycles, open_cycle))
        .routes(routes!(close_cycle))
        .routes(routes!(release_cycle))
        .routes(routes!(cycle_calibration))
        .routes(routes!(person_reviews))
        .routes(routes!(get_review))
        .routes(routes!(assess))
        .routes(routes!(sign))
        .routes(routes!(growth_plan))
        .routes(routes!(add_goal))
        .routes(routes!(complete_goal))
}

/// Whom a cycle reviews.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScopeBody {
    /// Every active person.
    Everyone,
    /// Every active person in a stream.
    Stream {
        /// The stream id.
        stream: String,
    },
    /// Everyone below a manager.
    Below {
        /// The manager's id.
        manager: i64,
    },
}

impl From<&Scope> for ScopeBody {
    fn from(scope: &Scope) -> Self {
        match scope {
            Scope::Everyone => Self::Everyone,
            Scope::Stream { stream } => Self::Stream {
                stream: stream.to_string(),
            },
            Scope::Below { manager } => Self::Below { manager: manager.0 },
        }
    }
}

/// A review cycle.
#[derive(Debug, Serialize, ToSchema)]
pub struct CycleView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// First day of the period.
    pub period_start: NaiveDate,
    /// Last day of the period.
    pub period_end: NaiveDate,
    /// Whom it reviews.
    pub scope: ScopeBody,
    /// `open` or `closed`.
    #[schema(example = "open")]
    pub status: String,
    /// The day it opened.
    pub opened_on: NaiveDate,
    /// The day it closed.
    pub closed_on: Option<NaiveDate>,
    /// Whether the people reviewed see their manager's side only once HR
    /// releases the cycle.
    pub hold_until_released: bool,
    /// The day HR released a held cycle.
    pub released_on: Option<NaiveDate>,
}

impl From<&Cycle> for CycleView {
    fn from(c: &Cycle) -> Self {
        Self {
            id: c.id.0,
            name: c.name.clone(),
            period_start: c.period_start,
            period_end: c.period_end,
            scope: ScopeBody::from(&c.scope),
            status: if c.is_open() { "open" } else { "closed" }.to_owned(),
            opened_on: c.opened_on,
            closed_on: c.closed_on,
            hold_until_released: c.hold_until_released,
            released_on: c.released_on,
        }
    }
}

/// Every review cycle.
#[derive(Debug, Serialize, ToSchema)]
pub struct CycleList {
    /// Newest first.
    pub cycles: Vec<CycleView>,
}

/// Review cycles, newest first (everyone: names and periods are not private).
#[utoipa::path(
    get,
    path = "/api/v1/review-cycles",
    tag = "reviews",
    responses(
        (status = 200, description = "The cycles", body = CycleList),
        (status = 401, description = "No or bad token", body = ErrorBody),
    )
)]
pub(crate) async fn list_cycles(
    State(state): State<AppState>,
    user: Authenticated,
) -> Result<Json<CycleList>, ApiError> {
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Directory)?;
    }
    let cycles = state.store().review_cycles().await?;
    Ok(Json(CycleList {
        cycles: cycles.iter().map(CycleView::from).collect(),
    }))
}

/// A cycle to open.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CycleRequest {
    /// Name, e.g. `2026 H1`.
    pub name: String,
    /// First day of the period reviewed.
    pub period_start: NaiveDate,
    /// Last day of the period reviewed.
    pub period_end: NaiveDate,
    /// Whom to review.
    pub scope: ScopeBody,
    /// Hold managers' sides back from the people reviewed until HR
    /// releases the cycle after calibration (default: shown once signed).
    #[serde(default)]
    pub hold_until_released: bool,
}

/// A cycle just opened, with the number of reviews it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenedCycle {
    /// The cycle.
    pub cycle: CycleView,
    /// How many reviews were opened.
    pub reviews: usize,
}

/// Opens a review cycle: a review for every active person in scope (HR and
/// administrators).
#[utoipa::path(
    post,
    path = "/api/v1/review-cycles",
    tag = "reviews",
    request_body = CycleRequest,
    responses(
        (status = 201, description = "Opened", body = OpenedCycle),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only HR and administrators open cycles", body = ErrorBody),
        (status = 404, description = "`unknown_person` (scope manager)", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`invalid_cycle`, `unknown_stream`, `nobody_to_review`", body = ErrorBody),
    )
)]
pub(crate) async fn open_cycle(
    State(state): State<AppState>,
    user: Authenticated,
    ApiJson(body): ApiJson<CycleRequest>,
) -> Result<(StatusCode, Json<OpenedCycle>), ApiError> {
    let scope = match body.scope {
        ScopeBody::Everyone => Scope::Everyone,
        ScopeBody::Stream { stream } => Scope::Stream {
            stream: StreamId::parse(&stream).map_err(|_| ApiError::Rule {
                code: "unknown_stream",
                message: format!("the framework has no stream `{stream}`"),
            })?,
        },
        ScopeBody::Below { manager } => {
            let manager = PersonId(manager);
            let org = state.org().await?;
            user.view(&org, &Resource::Person(manager))?;
            Scope::Below { manager }
        }
    };
    let request = NewCycle {
        name: body.name,
        period_start: body.period_start,
        period_end: body.period_end,
        scope,
        hold_until_released: body.hold_until_released,
    };
    let (cycle, reviews) = state
        .store()
        .open_review_cycle(&state.framework(), user.actor(), request)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(OpenedCycle {
            cycle: CycleView::from(&cycle),
            reviews,
        }),
    ))
}

/// Closes a cycle: its reviews become read-only (HR and administrators).
#[utoipa::path(
    post,
    path = "/api/v1/review-cycles/{id}/close",
    tag = "reviews",
    params(("id" = i64, Path, description = "Cycle id")),
    responses(
        (status = 200, description = "Closed", body = CycleView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only HR and administrators close cycles", body = ErrorBody),
        (status = 404, description = "`unknown_cycle`", body = ErrorBody),
        (status = 422, description = "`cycle_already_closed`", body = ErrorBody),
    )
)]
pub(crate) async fn close_cycle(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CycleView>, ApiError> {
    let cycle = state
        .store()
        .close_review_cycle(&state.framework(), user.actor(), CycleId(id))
        .await?;
    Ok(Json(CycleView::from(&cycle)))
}

/// Releases a cycle held for calibration: the people reviewed now read
/// their managers' signed sides and ratings (HR and administrators).
#[utoipa::path(
    post,
    path = "/api/v1/review-cycles/{id}/release",
    tag = "reviews",
    params(("id" = i64, Path, description = "Cycle id")),
    responses(
        (status = 200, description = "Released", body = CycleView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only HR and administrators release cycles", body = ErrorBody),
        (status = 404, description = "`unknown_cycle`", body = ErrorBody),
        (status = 422, description = "`cycle_not_held`, `cycle_already_released`", body = ErrorBody),
    )
)]
pub(crate) async fn release_cycle(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CycleView>, ApiError> {
    let cycle = state
        .store()
        .release_review_cycle(&state.framework(), user.actor(), CycleId(id))
        .await?;
    Ok(Json(CycleView::from(&cycle)))
}

/// Whose calibration.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalibrationQuery {
    /// Only the reviews of people below this senior manager (required for a
    /// senior manager, who sees their own subtree; HR may leave it out).
    pub under: Option<i64>,
}

/// The calibration view of a cycle.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalibrationView {
    /// The cycle.
    pub cycle: CycleView,
    /// The subtree's manager, or none for the whole cycle.
    pub under: Option<i64>,
    /// The rating scale, lowest first: the order of every `counts` array.
    pub scale: Vec<String>,
    /// Per role and per seniority.
    #[schema(value_type = Object)]
    pub calibration: Calibration,
}

/// Ratings of a cycle per role and seniority side by side, with their
/// distribution: HR and administrators for the whole cycle; a senior manager
/// (someone managing managers) for everyone below them.
#[utoipa::path(
    get,
    path = "/api/v1/review-cycles/{id}/calibration",
    tag = "reviews",
    params(("id" = i64, Path, description = "Cycle id"), CalibrationQuery),
    responses(
        (status = 200, description = "The calibration view", body = CalibrationView),
        (status = 400, description = "Malformed id or query", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only HR and senior managers calibrate", body = ErrorBody),
        (status = 404, description = "`unknown_cycle` or `unknown_person`", body = ErrorBody),
    )
)]
pub(crate) async fn cycle_calibration(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<CalibrationQuery>,
) -> Result<Json<CalibrationView>, ApiError> {
    let under = query.under.map(PersonId);
    let below: Option<Vec<PersonId>> = {
        let org = state.org().await?;
        user.view(&org, &Resource::Calibration { under })?;
        under.map(|boss| org.index().below(boss).unwrap_or_default())
    };
    let cycle = state
        .store()
        .review_cycle(CycleId(id))
        .await?
        .ok_or_else(|| {
            ApiError::not_found("unknown_cycle", format!("there is no review cycle #{id}"))
        })?;
    let counted = state
        .store()
        .calibration_counts(cycle.id, below.as_deref())
        .await?;
    Ok(Json(CalibrationView {
        cycle: CycleView::from(&cycle),
        under: under.map(|p| p.0),
        scale: Rating::ALL.iter().map(|r| r.as_str().to_owned()).collect(),
        calibration: calibration::calibrate_counts(&state.framework(), &counted),
    }))
}

fn policy_view(org: &climb_people::Org, user: &Authenticated, resource: &Resource) -> Access {
    climb_people::policy::may_view(org, user.actor(), resource)
}

/// The level given for one competency.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatedBody {
    /// 1-based level on the competency's scale.
    pub level: u32,
    /// What supports it (not blank).
    pub evidence: String,
}

/// One side of a review.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentView {
    /// Who wrote it.
    pub author: Option<i64>,
    /// Level and evidence per competency id.
    pub competencies: BTreeMap<String, RatedBody>,
    /// The day this side signed.
    pub signed_on: Option<NaiveDate>,
}

impl From<&Assessment> for AssessmentView {
    fn from(a: &Assessment) -> Self {
        Self {
            author: a.author.map(|p| p.0),
            competencies: a
                .competencies
                .iter()
                .map(|(c, r)| {
                    (
                        c.to_string(),
                        RatedBody {
                            level: r.level,
                            evidence: r.evidence.clone(),
                        },
                    )
                })
                .collect(),
            signed_on: a.signed_on,
        }
    }
}

/// A person's review in a cycle.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewView {
    /// Id.
    pub id: i64,
    /// The cycle.
    pub cycle: i64,
    /// Who is reviewed.
    pub person: i64,
    /// Their role when the cycle opened.
    pub role: String,
    /// `draft`, `self_signed`, `manager_signed` or `signed` (read-only).
    pub state: String,
    /// Whether it can still change (cycle open, not signed by both).
    pub editable: bool,
    /// The competencies assessed, with the role's expected level.
    pub expected: BTreeMap<String, u32>,
    /// The person's own assessment.
    pub self_assessment: AssessmentView,
    /// The manager's assessment.
    pub manager_assessment: AssessmentView,
    /// The overall rating (`below_expectations` … `outstanding`).
    pub rating: Option<String>,
}

/// The view of `review` that `viewer` reads (see [`Review::as_seen_by`]).
pub(crate) fn review_view(review: &Review, cycle: &Cycle, viewer: Option<PersonId>) -> ReviewView {
    let review = &review.as_seen_by(cycle, viewer);
    ReviewView {
        id: review.id.0,
        cycle: review.cycle.0,
        person: review.person.0,
        role: review.role.to_string(),
        state: review.state().to_owned(),
        editable: cycle.is_open() && !review.is_signed(),
        expected: review
            .expected
            .iter()
            .map(|(c, l)| (c.to_string(), *l))
            .collect(),
        self_assessment: AssessmentView::from(&review.own),
        manager_assessment: AssessmentView::from(&review.manager),
        rating: review.rating.map(|r| r.as_str().to_owned()),
    }
}

/// A person's reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewList {
    /// Newest cycle first.
    pub reviews: Vec<ReviewView>,
}

/// Whether the caller may read this review: the person's records, or the
/// review's manager assessment is theirs. The pages ask the same question.
pub fn may_read(
    org: &climb_people::Org,
    user: &Authenticated,
    review: &Review,
) -> Result<(), ApiError> {
    if let Some(author) = review.manager.author
        && policy_view(
            org,
            user,
            &Resource::Assessment {
                subject: review.person,
                author,
            },
        )
        .is_allowed()
    {
        return Ok(());
    }
    user.view(org, &Resource::Person(review.person))?;
    user.view(org, &Resource::Records(review.person))
}

/// A person's reviews, past ones included (the person, their management
/// chain, HR, administrators; an assessment's author sees that review).
#[utoipa::path(
    get,
    path = "/api/v1/people/{id}/reviews",
    tag = "reviews",
    params(("id" = i64, Path, description = "Person id")),
    responses(
        (status = 200, description = "The reviews", body = ReviewList),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not yours to see", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    )
)]
pub(crate) async fn person_reviews(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReviewList>, ApiError> {
    let id = PersonId(id);
    let reviews = state.store().person_reviews(id).await?;
    let org = state.org().await?;
    user.view(&org, &Resource::Person(id))?;
    let all = user.view(&org, &Resource::Records(id));
    let visible: Vec<ReviewView> = reviews
        .iter()
        .filter(|(r, _)| all.is_ok() || may_read(&org, &user, r).is_ok())
        .map(|(r, c)| review_view(r, c, user.actor().person))
        .collect();
    if visible.is_empty() {
        all?;
    }
    Ok(Json(ReviewList { reviews: visible }))
}

/// One review.
#[utoipa::path(
    get,
    path = "/api/v1/reviews/{id}",
    tag = "reviews",
    params(("id" = i64, Path, description = "Review id")),
    responses(
        (status = 200, description = "The review", body = ReviewView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not yours to see", body = ErrorBody),
        (status = 404, description = "`unknown_review`", body = ErrorBody),
    )
)]
pub(crate) async fn get_review(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReviewView>, ApiError> {
    let (review, cycle) = find_review(&state, id).await?;
    let org = state.org().await?;
    may_read(&org, &user, &review)?;
    Ok(Json(review_view(&review, &cycle, user.actor().person)))
}

async fn find_review(state: &AppState, id: i64) -> Result<(Review, Cycle), ApiError> {
    state
        .store()
        .review(ReviewId(id))
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_review", format!("there is no review #{id}")))
}

/// What the person or the manager writes on their side of a review.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentRequest {
    /// Level and evidence per competency id (others are left as they are).
    #[serde(default)]
    pub competencies: BTreeMap<String, RatedBody>,
    /// The overall rating (manager only): `below_expectations`,
    /// `partly_meets_expectations`, `meets_expectations`,
    /// `exceeds_expectations` or `outstanding`.
    #[serde(default)]
    pub rating: Option<String>,
}

/// Writes the caller's side of a review: the person the self assessment,
/// their direct manager the manager assessment and the overall rating.
#[utoipa::path(
    put,
    path = "/api/v1/reviews/{id}/assessment",
    tag = "reviews",
    params(("id" = i64, Path, description = "Review id")),
    request_body = AssessmentRequest,
    responses(
        (status = 200, description = "The review after it", body = ReviewView),
        (status = 400, description = "Malformed body or rating", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "`not_your_review`, `rating_by_manager`", body = ErrorBody),
        (status = 404, description = "`unknown_review`", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`review_signed`, `cycle_closed`, `side_signed`, `unknown_competency`, `level_out_of_range`, `missing_evidence`", body = ErrorBody),
    )
)]
pub(crate) async fn assess(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AssessmentRequest>,
) -> Result<Json<ReviewView>, ApiError> {
    let rating = body
        .rating
        .as_deref()
        .map(|raw| {
            Rating::parse(raw).ok_or_else(|| {
                ApiError::bad_request("invalid_rating", format!("`{raw}` is not a rating"))
            })
        })
        .transpose()?;
    let mut levels = BTreeMap::new();
    for (raw, rated) in body.competencies {
        let competency = CompetencyId::parse(&raw).map_err(|_| ApiError::Rule {
            code: "unknown_competency",
            message: format!("this review does not assess `{raw}`"),
        })?;
        levels.insert(
            competency,
            Rated {
                level: rated.level,
                evidence: rated.evidence,
            },
        );
    }
    let (review, _) = find_review(&state, id).await?;
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Person(review.person))?;
    }
    let mut edits = Vec::new();
    if !levels.is_empty() {
        edits.push(Edit::Assess(levels));
    }
    if let Some(rating) = rating {
        edits.push(Edit::Rate(rating));
    }
    if edits.is_empty() {
        return Err(ApiError::bad_request(
            "empty_assessment",
            "send `competencies`, `rating` or both",
        ));
    }
    state
        .store()
        .edit_review_all(&state.framework(), user.actor(), ReviewId(id), edits)
        .await?;
    let (review, cycle) = find_review(&state, id).await?;
    Ok(Json(review_view(&review, &cycle, user.actor().person)))
}

/// Signs the caller's side of a review; once both signed it is read-only.
#[utoipa::path(
    post,
    path = "/api/v1/reviews/{id}/sign",
    tag = "reviews",
    params(("id" = i64, Path, description = "Review id")),
    responses(
        (status = 200, description = "The review after it", body = ReviewView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "`not_your_review`", body = ErrorBody),
        (status = 404, description = "`unknown_review`", body = ErrorBody),
        (status = 422, description = "`incomplete_assessment`, `review_signed`, `side_signed`, `cycle_closed`", body = ErrorBody),
    )
)]
pub(crate) async fn sign(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ReviewView>, ApiError> {
    let (review, _) = find_review(&state, id).await?;
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Person(review.person))?;
    }
    let review = state
        .store()
        .edit_review(&state.framework(), user.actor(), ReviewId(id), Edit::Sign)
        .await?;
    let (_, cycle) = find_review(&state, review.id.0).await?;
    Ok(Json(review_view(&review, &cycle, user.actor().person)))
}

/// A goal on a growth plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalView {
    /// Id.
    pub id: i64,
    /// Whose plan.
    pub person: i64,
    /// Who added it.
    pub author: i64,
    /// What to do.
    pub text: String,
    /// The competency it works on.
    pub competency: Option<String>,
    /// When it should be done by.
    pub target_date: Option<NaiveDate>,
    /// The day it was added.
    pub created_on: NaiveDate,
    /// The day it was marked done.
    pub done_on: Option<NaiveDate>,
}

impl From<&Goal> for GoalView {
    fn from(g: &Goal) -> Self {
        Self {
            id: g.id.0,
            person: g.person.0,
            author: g.author.0,
            text: g.text.clone(),
            competency: g.competency.as_ref().map(ToString::to_string),
            target_date: g.target_date,
            created_on: g.created_on,
            done_on: g.done_on,
        }
    }
}

/// A person's growth plan and goals.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrowthView {
    /// Per next role, the competencies below its expectation
    /// (`assessed: null`: not assessed yet, an unknown gap).
    #[schema(value_type = Object)]
    pub plan: GrowthPlan,
    /// Goals, oldest first.
    pub goals: Vec<GoalView>,
}

/// A person's growth plan: for each next role, the competencies where the
/// manager assessment of their latest signed review is below the role's
/// expectation, with the gap; and their goals. Visible to the person, their
/// management chain, HR and administrators.
#[utoipa::path(
    get,
    path = "/api/v1/people/{id}/growth-plan",
    tag = "reviews",
    params(("id" = i64, Path, description = "Person id")),
    responses(
        (status = 200, description = "The plan", body = GrowthView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Not yours to see", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    )
)]
pub(crate) async fn growth_plan(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<GrowthView>, ApiError> {
    let id = PersonId(id);
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Person(id))?;
        user.view(&org, &Resource::Records(id))?;
    }
    let plan = state
        .store()
        .growth_plan(&state.framework(), id)
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_person", format!("there is no person {id}")))?;
    let goals = state.store().goals(id).await?;
    Ok(Json(GrowthView {
        plan,
        goals: goals.iter().map(GoalView::from).collect(),
    }))
}

/// A goal to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalRequest {
    /// What to do (1 to 1000 characters).
    pub text: String,
    /// The competency it works on.
    #[serde(default)]
    pub competency: Option<String>,
    /// When it should be done by.
    #[serde(default)]
    pub target_date: Option<NaiveDate>,
}

/// Adds a goal to a person's growth plan (the person or their manager).
#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/goals",
    tag = "reviews",
    params(("id" = i64, Path, description = "Person id")),
    request_body = GoalRequest,
    responses(
        (status = 201, description = "Added", body = GoalView),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only the person and their manager", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 422, description = "`invalid_goal`, `unknown_competency`", body = ErrorBody),
    )
)]
pub(crate) async fn add_goal(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<GoalRequest>,
) -> Result<(StatusCode, Json<GoalView>), ApiError> {
    let id = PersonId(id);
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Person(id))?;
    }
    let competency = body
        .competency
        .filter(|c| !c.trim().is_empty())
        .map(|raw| {
            CompetencyId::parse(raw.trim()).map_err(|_| ApiError::Rule {
                code: "unknown_competency",
                message: format!("the framework has no competency `{raw}`"),
            })
        })
        .transpose()?;
    let goal = state
        .store()
        .add_goal(
            &state.framework(),
            user.actor(),
            id,
            NewGoal {
                text: body.text,
                competency,
                target_date: body.target_date,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(GoalView::from(&goal))))
}

/// Marks a goal done (the person or their manager).
#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/goals/{goal}/done",
    tag = "reviews",
    params(
        ("id" = i64, Path, description = "Person id"),
        ("goal" = i64, Path, description = "Goal id"),
    ),
    responses(
        (status = 200, description = "Done", body = GoalView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No or bad token", body = ErrorBody),
        (status = 403, description = "Only the person and their manager", body = ErrorBody),
        (status = 404, description = "No such person or goal", body = ErrorBody),
        (status = 422, description = "`goal_done`", body = ErrorBody),
    )
)]
pub(crate) async fn complete_goal(
    State(state): State<AppState>,
    user: Authenticated,
    ApiPath((id, goal)): ApiPath<(i64, i64)>,
) -> Result<Json<GoalView>, ApiError> {
    let id = PersonId(id);
    {
        let org = state.org().await?;
        user.view(&org, &Resource::Person(id))?;
    }
    let goal = state
        .store()
        .complete_goal(&state.framework(), user.actor(), id, GoalId(goal))
        .await?;
    Ok(Json(GoalView::from(&goal)))
}
