//! The growth plan on the person page: for each next role, the competencies
//! where the person's latest signed review falls short of the role's
//! expectation (in the framework's level names), and the goals the person
//! and their manager set and mark done. Shown to whoever may see the
//! person's records; goals are written by the person and their manager.

use axum::Form;
use axum::extract::State;
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use climb_framework::{CompetencyId, Framework};
use climb_management::growth::{Goal, GoalId, GrowthPlan, NewGoal};
use climb_people::PersonId;
use climb_people::policy::{Action, Resource};
use climb_server::{ApiError, AppState};
use serde::Deserialize;

use crate::chart::RoleLink;
use crate::error::{IdPath, PageError};
use crate::page::Viewer;
use crate::people::{PersonExtras, person_view};

/// A level of a competency, as the framework names it.
#[derive(Debug)]
pub(crate) struct Level {
    pub(crate) number: u32,
    pub(crate) name: String,
}

fn level(framework: &Framework, competency: &CompetencyId, number: u32) -> Level {
    let name = framework
        .competency(competency.as_str())
        .and_then(|c| c.levels.get(number.saturating_sub(1) as usize))
        .cloned()
        .unwrap_or_default();
    Level { number, name }
}

fn competency_name(framework: &Framework, competency: &CompetencyId) -> String {
    framework
        .competency(competency.as_str())
        .map_or_else(|| competency.to_string(), |c| c.name.clone())
}

/// One competency short of a next role's expectation.
#[derive(Debug)]
pub(crate) struct GapRow {
    pub(crate) competency: String,
    /// The level last assessed; `None` without a signed review covering it.
    pub(crate) current: Option<Level>,
    pub(crate) expected: Level,
    pub(crate) gap: Option<u32>,
}

/// The gaps toward one next role.
#[derive(Debug)]
pub(crate) struct StepRow {
    pub(crate) to: RoleLink,
    pub(crate) kind: &'static str,
    pub(crate) met: bool,
    pub(crate) gaps: Vec<GapRow>,
}

/// A goal as listed.
#[derive(Debug)]
pub(crate) struct GoalRow {
    pub(crate) id: i64,
    pub(crate) text: String,
    pub(crate) competency: Option<String>,
    pub(crate) target_date: Option<String>,
    pub(crate) done_on: Option<String>,
    pub(crate) overdue: bool,
}

/// The goal form's fields, as typed (kept when refused).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct GoalForm {
    #[serde(default)]
    pub(crate) text: String,
    #[serde(default)]
    pub(crate) competency: String,
    #[serde(default)]
    pub(crate) target_date: String,
}

/// What the person page shows of the growth plan.
#[derive(Debug)]
pub(crate) struct GrowthSection {
    pub(crate) person: i64,
    /// Whether a signed review was found to measure against.
    pub(crate) assessed: bool,
    pub(crate) steps: Vec<StepRow>,
    pub(crate) goals: Vec<GoalRow>,
    /// Whether the viewer may add goals and mark them done.
    pub(crate) may_manage: bool,
    /// Every competency of the framework, id and name, for the goal form.
    pub(crate) competencies: Vec<(String, String)>,
    pub(crate) form: GoalForm,
    pub(crate) error: Option<String>,
}

impl GrowthSection {
    /// How many goals are not done yet.
    pub(crate) fn open_goals(&self) -> usize {
        self.goals.iter().filter(|g| g.done_on.is_none()).count()
    }
}

fn steps(framework: &Framework, plan: &GrowthPlan) -> Vec<StepRow> {
    plan.steps
        .iter()
        .filter_map(|step| {
            let role = framework.role(step.to.as_str())?;
            Some(StepRow {
                to: RoleLink::of(framework, role),
                kind: step.kind.as_str(),
                met: step.competencies_met,
                gaps: step
                    .gaps
                    .iter()
                    .map(|g| GapRow {
                        competency: competency_name(framework, &g.competency),
                        current: g.assessed.map(|n| level(framework, &g.competency, n)),
                        expected: level(framework, &g.competency, g.expected),
                        gap: g.gap,
                    })
                    .collect(),
            })
        })
        .collect()
}

fn goal_row(framework: &Framework, goal: &Goal, today: NaiveDate) -> GoalRow {
    GoalRow {
        id: goal.id.0,
        text: goal.text.clone(),
        competency: goal
            .competency
            .as_ref()
            .map(|c| competency_name(framework, c)),
        target_date: goal.target_date.map(|d| d.to_string()),
        done_on: goal.done_on.map(|d| d.to_string()),
        overdue: goal.done_on.is_none() && goal.target_date.is_some_and(|d| d < today),
    }
}

/// The growth section of `person`'s page for `viewer`, or `None` when the
/// viewer may not see the person's records. Call it without holding the
/// org: it reads the store.
pub(crate) async fn section(
    state: &AppState,
    viewer: &Viewer,
    person: PersonId,
    form: Option<(GoalForm, String)>,
) -> Result<Option<GrowthSection>, PageError> {
    let may_manage = {
        let org = state.org().await?;
        if viewer.user.view(&org, &Resource::Records(person)).is_err() {
            return Ok(None);
        }
        viewer
            .user
            .act(
                &org,
                &state.framework(),
                &Action::ManageGoals { person },
                "manage goals",
            )
            .is_ok()
    };
    let framework = state.framework();
    let Some(plan) = state
        .store()
        .growth_plan(&framework, person)
        .await
        .map_err(ApiError::from)?
    else {
        return Ok(None);
    };
    let goals = state.store().goals(person).await.map_err(ApiError::from)?;
    let today = Utc::now().date_naive();
    let (form, error) = match form {
        Some((form, error)) => (form, Some(error)),
        None => (GoalForm::default(), None),
    };
    Ok(Some(GrowthSection {
        person: person.0,
        assessed: plan.based_on.is_some(),
        steps: steps(&framework, &plan),
        goals: goals
            .iter()
            .map(|g| goal_row(&framework, g, today))
            .collect(),
        may_manage,
        competencies: framework
            .competencies()
            .iter()
            .map(|c| (c.id.to_string(), c.name.clone()))
            .collect(),
        form,
        error,
    }))
}

impl GoalForm {
    /// The goal asked for, or why it cannot be one.
    fn parse(&self, framework: &Framework) -> Result<NewGoal, String> {
        let competency = match self.competency.trim() {
            "" => None,
            raw => Some(
                CompetencyId::parse(raw)
                    .ok()
                    .filter(|c| framework.competency(c.as_str()).is_some())
                    .ok_or_else(|| format!("The framework has no competency `{raw}`."))?,
            ),
        };
        let target_date = match self.target_date.trim() {
            "" => None,
            raw => Some(
                NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .map_err(|_| "The target date must be a date (YYYY-MM-DD).".to_owned())?,
            ),
        };
        Ok(NewGoal {
            text: self.text.clone(),
            competency,
            target_date,
        })
    }
}

/// Checks the viewer may manage `person`'s goals (404 for a hidden person).
async fn may_manage(state: &AppState, viewer: &Viewer, person: PersonId) -> Result<(), PageError> {
    let org = state.org().await?;
    viewer.user.view(&org, &Resource::Person(person))?;
    viewer.user.act(
        &org,
        &state.framework(),
        &Action::ManageGoals { person },
        "manage this growth plan's goals",
    )?;
    Ok(())
}

/// `POST /people/{id}/goals`: adds a goal; a refused one shows the person
/// page again with the message and the input kept (422).
pub(crate) async fn add_goal(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath(id): IdPath<i64>,
    Form(form): Form<GoalForm>,
) -> Result<Response, PageError> {
    let person = PersonId(id);
    may_manage(&state, &viewer, person).await?;
    let framework = state.framework();
    let added = match form.parse(&framework) {
        Ok(goal) => state
            .store()
            .add_goal(&framework, viewer.user.actor(), person, goal)
            .await
            .map_err(ApiError::from),
        Err(message) => Err(ApiError::Rule {
            code: "invalid_goal",
            message,
        }),
    };
    match added {
        Ok(_) => Ok(crate::one_on_ones::see_other(&format!(
            "/people/{id}#growth"
        ))),
        Err(error) if error.status().as_u16() == 422 => {
            let extras = PersonExtras {
                goal_form: Some((form, refusal(&error))),
            };
            person_view(&state, &viewer, person, extras).await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /people/{id}/goals/{goal}/done`.
pub(crate) async fn goal_done(
    State(state): State<AppState>,
    viewer: Viewer,
    IdPath((id, goal)): IdPath<(i64, i64)>,
) -> Result<Response, PageError> {
    let person = PersonId(id);
    may_manage(&state, &viewer, person).await?;
    state
        .store()
        .complete_goal(
            &state.framework(),
            viewer.user.actor(),
            person,
            GoalId(goal),
        )
        .await
        .map_err(ApiError::from)?;
    Ok(crate::one_on_ones::see_other(&format!(
        "/people/{id}#growth"
    )))
}

/// A domain refusal as a sentence for the page.
pub(crate) fn refusal(error: &ApiError) -> String {
    crate::page::sentence(&error.to_string())
}
