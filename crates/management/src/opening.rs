//! Openings: a role to fill on a manager's team. It is open until a hire
//! fills it (the hire is linked and the opening closes) or it is cancelled.
//! Hire-only roles are opened only by administrators.

use climb_framework::{Framework, RoleId};
use climb_people::{Actor, Org, PersonId};
use serde::Serialize;

/// Where an opening stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpeningStatus {
    /// Waiting for a hire.
    Open,
    /// A hire filled it.
    Filled,
    /// Withdrawn.
    Cancelled,
}

impl OpeningStatus {
    /// `open`, `filled` or `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Filled => "filled",
            Self::Cancelled => "cancelled",
        }
    }

    /// Reads the stable spelling.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "open" => Some(Self::Open),
            "filled" => Some(Self::Filled),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// A refused opening request; `code()` is the stable string of the API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpeningError {
    /// `unknown_role`: the framework has no such role.
    #[error("the framework has no role `{0}`")]
    UnknownRole(String),
    /// `unknown_person`: the team's manager does not exist or left.
    #[error("there is no active person {0}")]
    UnknownPerson(PersonId),
    /// `manager_cannot_have_reports`: the team's manager holds a role without reports.
    #[error("{0} holds a role without reports, so has no team to hire into")]
    ManagerCannotHaveReports(PersonId),
    /// `hire_only_role`: only administrators open a hire-only role.
    #[error("`{0}` is hire-only: only an administrator may open it")]
    HireOnlyRole(String),
    /// `opening_closed`: the opening was already filled or cancelled.
    #[error("this opening is {0} already")]
    Closed(&'static str),
}

impl OpeningError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownRole(_) => "unknown_role",
            Self::UnknownPerson(_) => "unknown_person",
            Self::ManagerCannotHaveReports(_) => "manager_cannot_have_reports",
            Self::HireOnlyRole(_) => "hire_only_role",
            Self::Closed(_) => "opening_closed",
        }
    }
}

/// Checks an opening for `role` on `manager`'s team requested by `actor`
/// (whether the actor may open for that team at all is the policy's
/// question); returns the role id.
pub fn check_opening(
    framework: &Framework,
    org: &Org,
    actor: Actor,
    manager: PersonId,
    role: &str,
) -> Result<RoleId, OpeningError> {
    let target = framework
        .role(role)
        .ok_or_else(|| OpeningError::UnknownRole(role.to_owned()))?;
    let boss = org
        .person(manager)
        .filter(|p| p.is_active())
        .ok_or(OpeningError::UnknownPerson(manager))?;
    if !framework
        .role(boss.role.as_str())
        .is_some_and(|r| r.reports)
    {
        return Err(OpeningError::ManagerCannotHaveReports(manager));
    }
    if target.hire_only && !actor.is_admin() {
        return Err(OpeningError::HireOnlyRole(role.to_owned()));
    }
    Ok(target.id.clone())
}

/// Checks that an opening in `status` can still be filled or cancelled.
pub fn check_open(status: OpeningStatus) -> Result<(), OpeningError> {
    match status {
        OpeningStatus::Open => Ok(()),
        other => Err(OpeningError::Closed(other.as_str())),
    }
}
