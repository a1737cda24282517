//! Which domain facts are webhook events, their type names, and the JSON
//! body sent for each: `{"type": "person.hired", "timestamp": "…", "data":
//! {…}}`. The data carries ids and values, the way the JSON API names them.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use climb_people::{Change, PersonId};
use serde_json::{Value, json};

/// The kinds of event a subscription can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    /// A person was hired.
    PersonHired,
    /// A person's role changed (promotion, lateral move or correction).
    PersonRoleChanged,
    /// A person's manager changed.
    PersonManagerChanged,
    /// A person left.
    PersonLeft,
    /// A designation (such as team lead) started.
    DesignationStarted,
    /// A designation ended.
    DesignationEnded,
    /// A promotion proposal was approved or rejected.
    PromotionDecided,
    /// One side of a performance review was signed.
    ReviewSigned,
}

impl EventType {
    /// Every event type, in the order the documentation lists them.
    pub const ALL: [Self; 8] = [
        Self::PersonHired,
        Self::PersonRoleChanged,
        Self::PersonManagerChanged,
        Self::PersonLeft,
        Self::DesignationStarted,
        Self::DesignationEnded,
        Self::PromotionDecided,
        Self::ReviewSigned,
    ];

    /// The name in payloads and subscriptions, e.g. `person.hired`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PersonHired => "person.hired",
            Self::PersonRoleChanged => "person.role_changed",
            Self::PersonManagerChanged => "person.manager_changed",
            Self::PersonLeft => "person.left",
            Self::DesignationStarted => "designation.started",
            Self::DesignationEnded => "designation.ended",
            Self::PromotionDecided => "promotion.decided",
            Self::ReviewSigned => "review.signed",
        }
    }

    /// The type a name stands for; `None` for an unknown name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One event: its type and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Its type.
    pub kind: EventType,
    /// The `data` object of the payload.
    pub data: Value,
}

/// A day as the API writes it.
fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

impl Event {
    /// The event a change is, if it is one (edits of a person's details,
    /// erasure and project bookkeeping are not).
    pub fn of_change(change: &Change) -> Option<Self> {
        let (kind, data) = match change {
            Change::PersonHired { person, role } => (
                EventType::PersonHired,
                json!({
                    "person": person.id.0,
                    "name": person.name,
                    "email": person.email.as_str(),
                    "role": role.to.as_str(),
                    "manager": person.manager.map(|m| m.0),
                    "start_date": day(person.start_date),
                }),
            ),
            Change::RoleChanged { change } => (
                EventType::PersonRoleChanged,
                json!({
                    "person": change.person.0,
                    "from": change.from.as_ref().map(|r| r.as_str()),
                    "to": change.to.as_str(),
                    "effective_date": day(change.effective_date),
                    "reason": change.reason.as_str(),
                    "proposal": change.proposal,
                }),
            ),
            Change::ManagerChanged { person, from, to } => (
                EventType::PersonManagerChanged,
                json!({
                    "person": person.0,
                    "from": from.map(|m| m.0),
                    "to": to.map(|m| m.0),
                }),
            ),
            Change::PersonLeft { person, date } => (
                EventType::PersonLeft,
                json!({ "person": person.0, "end_date": day(*date) }),
            ),
            Change::DesignationStarted { assignment } => (
                EventType::DesignationStarted,
                json!({
                    "person": assignment.person.0,
                    "project": assignment.project.0,
                    "designation": assignment.designation.as_str(),
                    "start_date": day(assignment.start_date),
                }),
            ),
            Change::DesignationEnded {
                assignment,
                end_date,
                reason,
            } => (
                EventType::DesignationEnded,
                json!({
                    "person": assignment.person.0,
                    "project": assignment.project.0,
                    "designation": assignment.designation.as_str(),
                    "start_date": day(assignment.start_date),
                    "end_date": day(*end_date),
                    "reason": reason,
                }),
            ),
            Change::PersonUpdated { .. }
            | Change::PersonErased { .. }
            | Change::ProjectCreated { .. }
            | Change::MemberAdded { .. }
            | Change::ProjectClosed { .. } => return None,
        };
        Some(Self { kind, data })
    }

    /// A promotion proposal about `person` was decided: `approved` tells
    /// which way.
    pub fn promotion_decided(proposal: i64, person: PersonId, approved: bool) -> Self {
        Self {
            kind: EventType::PromotionDecided,
            data: json!({
                "proposal": proposal,
                "person": person.0,
                "decision": if approved { "approved" } else { "rejected" },
            }),
        }
    }

    /// `side` (`own` or `manager`) of review `review` of `person` was signed.
    pub fn review_signed(review: i64, person: PersonId, side: &str) -> Self {
        Self {
            kind: EventType::ReviewSigned,
            data: json!({ "review": review, "person": person.0, "side": side }),
        }
    }

    /// The body sent to subscribers: type, the time of the change (RFC 3339,
    /// UTC) and the data.
    pub fn body(&self, at: DateTime<Utc>) -> String {
        json!({
            "type": self.kind.as_str(),
            "timestamp": at.to_rfc3339_opts(SecondsFormat::Millis, true),
            "data": self.data,
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use climb_framework::RoleId;
    use climb_people::{ChangeReason, RoleChange};

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default()
    }

    #[test]
    fn names_round_trip_and_are_distinct() {
        for kind in EventType::ALL {
            assert_eq!(EventType::parse(kind.as_str()), Some(kind));
        }
        let mut names: Vec<_> = EventType::ALL.iter().map(|t| t.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EventType::ALL.len());
        assert_eq!(EventType::parse("person.hire"), None);
    }

    #[test]
    fn a_role_change_is_an_event_with_its_roles_and_a_payload_of_three_keys() {
        let (Ok(from), Ok(to)) = (
            RoleId::parse("software-engineer"),
            RoleId::parse("senior-software-engineer"),
        ) else {
            panic!("valid ids")
        };
        let change = Change::RoleChanged {
            change: RoleChange {
                person: PersonId(7),
                from: Some(from),
                to,
                effective_date: date(2),
                reason: ChangeReason::Promotion,
                note: Some("private".into()),
                proposal: None,
            },
        };
        let Some(event) = Event::of_change(&change) else {
            panic!("a role change is an event")
        };
        assert_eq!(event.kind, EventType::PersonRoleChanged);
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).single();
        let body: Value =
            serde_json::from_str(&event.body(at.unwrap_or_default())).unwrap_or_default();
        assert_eq!(body["type"], "person.role_changed");
        assert_eq!(body["timestamp"], "2026-03-01T09:30:00.000Z");
        assert_eq!(body["data"]["person"], 7);
        assert_eq!(body["data"]["from"], "software-engineer");
        assert_eq!(body["data"]["to"], "senior-software-engineer");
        assert_eq!(body["data"]["effective_date"], "2026-03-02");
        assert_eq!(body["data"]["reason"], "promotion");
        // A correction's note is free text that stays inside climb.
        assert!(body["data"].get("note").is_none());
        assert_eq!(body.as_object().map(|o| o.len()), Some(3));
    }

    #[test]
    fn bookkeeping_changes_are_not_events() {
        let change = Change::ProjectClosed {
            project: climb_people::ProjectId(1),
            date: date(1),
        };
        assert_eq!(Event::of_change(&change), None);
        let left = Change::PersonLeft {
            person: PersonId(3),
            date: date(4),
        };
        assert_eq!(
            Event::of_change(&left).map(|e| e.kind),
            Some(EventType::PersonLeft)
        );
    }

    #[test]
    fn decisions_and_signatures_say_which_way_and_which_side() {
        let approved = Event::promotion_decided(4, PersonId(2), true);
        assert_eq!(approved.data["decision"], "approved");
        let rejected = Event::promotion_decided(4, PersonId(2), false);
        assert_eq!(rejected.data["decision"], "rejected");
        let signed = Event::review_signed(9, PersonId(2), "manager");
        assert_eq!(signed.kind, EventType::ReviewSigned);
        assert_eq!(signed.data["side"], "manager");
    }
}
