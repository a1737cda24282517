//! Erasure (SPEC §4): what goes and what stays when an administrator erases
//! a person who left, written inside the erasing transaction.
//!
//! **Goes**: their name and email (replaced by the anonymous details, which
//! every record that names them by id then shows); the notes on their role
//! history; the evidence of both sides of their reviews; the evidence and
//! the decision comment of the promotion proposals about them; their goals'
//! text; in their own one-on-ones (where they were the report) the agenda
//! items and every note (shared or private, whoever wrote it) are deleted
//! and the action items' text is blanked; every private note they wrote in
//! anyone's one-on-ones; their calendar feed token; on their login account
//! the name and email (anonymous like the person's), its API tokens' names
//! and the details in its events. In the audit events about them the same
//! details go: names, emails and notes in replayable changes; text,
//! evidence, comments and the leaving reason in the others. The bodies of
//! the webhook deliveries of their hire carry the anonymous name and email.
//! The mail still queued for them is deleted.
//!
//! **Stays**, so the aggregates do not move: review levels, ratings and
//! sign-off dates, proposal states and the role changes they caused, goal
//! dates and competencies, action items' dates, their one-on-one schedule
//! and meetings (cadence analytics), openings. What they wrote about
//! *others* belongs to the others' records and stays: assessments of their
//! reports, proposals they drafted or decided, notes and agenda items in
//! their reports' one-on-ones, company updates they posted; it names them by
//! id, so it shows the anonymous name.

use std::collections::BTreeMap;

use climb_management::growth::Goal;
use climb_management::promotion::Proposal;
use climb_management::review::{Assessment, Review};
use climb_people::{PersonDetails, PersonId};
use serde_json::Value;
use sqlx::AnyConnection;

use crate::codec::{from_json, to_json};
use crate::error::StoreError;

/// Keys whose string values are free text in the events that carry no
/// replayable change (reviews, goals, proposals, one-on-ones, the leaving
/// reason). Blanked on erasure; numbers, ids and dates beside them stay.
const TEXT_KEYS: [&str; 4] = ["text", "evidence", "comment", "reason"];

/// Scrubs everything erasure removes about `person` except the `people`
/// row itself; `after` holds their anonymous details.
pub(crate) async fn erase_records(
    conn: &mut AnyConnection,
    person: PersonId,
    after: &PersonDetails,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE role_history SET note = NULL WHERE person_id = $1")
        .bind(person.0)
        .execute(&mut *conn)
        .await?;
    scrub_reviews(conn, person).await?;
    scrub_proposals(conn, person).await?;
    scrub_goals(conn, person).await?;
    scrub_one_on_ones(conn, person).await?;
    // What an identity provider called them (their email, as a rule).
    sqlx::query("DELETE FROM scim_users WHERE person_id = $1")
        .bind(person.0)
        .execute(&mut *conn)
        .await?;
    crate::webhooks::scrub(conn, person, after).await?;
    // The append-only triggers let the events about them change only while
    // they are listed, and the list is emptied before the commit.
    sqlx::query("INSERT INTO audit_scrub (person_id) VALUES ($1)")
        .bind(person.0)
        .execute(&mut *conn)
        .await?;
    let details = anonymous(after);
    scrub_audit(conn, person, &details).await?;
    if has_table(conn, "accounts").await? {
        scrub_account(conn, person, after, &details).await?;
    }
    if has_table(conn, "mail_outbox").await? {
        crate::mail::scrub(conn, person).await?;
    }
    sqlx::query("DELETE FROM audit_scrub WHERE person_id = $1")
        .bind(person.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What names, emails and notes become in the logs.
fn anonymous(after: &PersonDetails) -> BTreeMap<&'static str, Value> {
    let mut details = BTreeMap::new();
    details.insert("name", Value::String(after.name.clone()));
    details.insert("email", Value::String(after.email.to_string()));
    details.insert("note", Value::Null);
    details
}

/// Whether table `name` exists: the accounts tables and the mail outbox
/// come from the accounts migrations, which an adapter runs; a store used
/// on its own may not have them.
async fn has_table(conn: &mut AnyConnection, name: &str) -> Result<bool, StoreError> {
    let sql = if conn.backend_name() == "PostgreSQL" {
        "SELECT COUNT(*) FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name = $1"
    } else {
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
    };
    let found: i64 = sqlx::query_scalar(sql)
        .bind(name)
        .fetch_one(&mut *conn)
        .await?;
    Ok(found > 0)
}

/// Gives the person's login account the anonymous details, blanks its API
/// tokens' names and scrubs its events (the account's creation carries the
/// email and name). Leaving already ended the login itself.
async fn scrub_account(
    conn: &mut AnyConnection,
    person: PersonId,
    after: &PersonDetails,
    details: &BTreeMap<&'static str, Value>,
) -> Result<(), StoreError> {
    let account: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE person_id = $1")
        .bind(person.0)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(account) = account else {
        return Ok(());
    };
    sqlx::query("UPDATE accounts SET email = $1, name = $2 WHERE id = $3")
        .bind(after.email.as_str())
        .bind(after.name.as_str())
        .bind(account)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE api_tokens SET name = '' WHERE account_id = $1")
        .bind(account)
        .execute(&mut *conn)
        .await?;
    let events: Vec<(i64, String)> =
        sqlx::query_as("SELECT seq, detail FROM account_events WHERE account_id = $1")
            .bind(account)
            .fetch_all(&mut *conn)
            .await?;
    for (seq, detail) in events {
        let mut value: Value = from_json(&detail)?;
        scrub_value(&mut value, details);
        let scrubbed = to_json(&value)?;
        if scrubbed != detail {
            sqlx::query("UPDATE account_events SET detail = $1 WHERE seq = $2")
                .bind(scrubbed)
                .bind(seq)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Blanks the evidence on both sides of the person's reviews.
async fn scrub_reviews(conn: &mut AnyConnection, person: PersonId) -> Result<(), StoreError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, body FROM reviews WHERE person_id = $1")
            .bind(person.0)
            .fetch_all(&mut *conn)
            .await?;
    for (id, body) in rows {
        let mut review: Review = from_json(&body)?;
        blank_evidence(&mut review.own);
        blank_evidence(&mut review.manager);
        sqlx::query("UPDATE reviews SET body = $1 WHERE id = $2")
            .bind(to_json(&review)?)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn blank_evidence(side: &mut Assessment) {
    for rated in side.competencies.values_mut() {
        rated.evidence.clear();
    }
}

/// Blanks the evidence and drops the decision comment of the proposals
/// about the person; their state and roles stay.
async fn scrub_proposals(conn: &mut AnyConnection, person: PersonId) -> Result<(), StoreError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, body FROM promotion_proposals WHERE person_id = $1")
            .bind(person.0)
            .fetch_all(&mut *conn)
            .await?;
    for (id, body) in rows {
        let mut proposal: Proposal = from_json(&body)?;
        proposal.evidence.values_mut().for_each(String::clear);
        proposal.comment = None;
        sqlx::query("UPDATE promotion_proposals SET body = $1 WHERE id = $2")
            .bind(to_json(&proposal)?)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Blanks the text of the person's goals; dates and competencies stay.
async fn scrub_goals(conn: &mut AnyConnection, person: PersonId) -> Result<(), StoreError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, body FROM goals WHERE person_id = $1")
            .bind(person.0)
            .fetch_all(&mut *conn)
            .await?;
    for (id, body) in rows {
        let mut goal: Goal = from_json(&body)?;
        goal.text.clear();
        sqlx::query("UPDATE goals SET body = $1 WHERE id = $2")
            .bind(to_json(&goal)?)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Removes the content of the person's one-on-ones (their meetings and
/// schedule stay), their private notes in anyone's, and their feed token.
async fn scrub_one_on_ones(conn: &mut AnyConnection, person: PersonId) -> Result<(), StoreError> {
    const THEIR_MEETINGS: &str = "SELECT id FROM one_on_one_meetings WHERE report_id = $1";
    for sql in [
        format!("DELETE FROM one_on_one_agenda WHERE meeting_id IN ({THEIR_MEETINGS})"),
        format!("DELETE FROM one_on_one_notes WHERE meeting_id IN ({THEIR_MEETINGS})"),
        "DELETE FROM one_on_one_notes WHERE author_id = $1 AND private = 1".to_owned(),
        "UPDATE one_on_one_actions SET body = '' WHERE report_id = $1".to_owned(),
        "DELETE FROM calendar_feeds WHERE person_id = $1".to_owned(),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(person.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// An audit row's sequence number and its JSON columns.
type ScrubRow = (i64, Option<String>, Option<String>, Option<String>);

/// Replaces the personal details in the earlier audit events about an
/// erased person: names, emails and notes everywhere, and the free text of
/// the events that carry no replayable change (a replayable change keeps
/// its shape, so other instances can still apply it). The database allows
/// this update only while the person is listed in `audit_scrub`.
async fn scrub_audit(
    conn: &mut AnyConnection,
    person: PersonId,
    details: &BTreeMap<&'static str, Value>,
) -> Result<(), StoreError> {
    let rows: Vec<ScrubRow> = sqlx::query_as(
        "SELECT seq, before, after, change FROM audit_events WHERE subject_kind = 'person' AND subject_id = $1",
    )
    .bind(person.0)
    .fetch_all(&mut *conn)
    .await?;
    for (seq, before, after_json, change) in rows {
        let replayable = change.is_some();
        let scrub = |text: Option<String>| -> Result<Option<String>, StoreError> {
            text.map(|t| {
                let mut value: Value = from_json(&t)?;
                scrub_value(&mut value, details);
                if !replayable {
                    blank_text(&mut value, false);
                }
                to_json(&value)
            })
            .transpose()
        };
        let scrubbed = (
            scrub(before.clone())?,
            scrub(after_json.clone())?,
            scrub(change.clone())?,
        );
        if scrubbed == (before, after_json, change) {
            continue;
        }
        sqlx::query("UPDATE audit_events SET before = $1, after = $2, change = $3 WHERE seq = $4")
            .bind(scrubbed.0)
            .bind(scrubbed.1)
            .bind(scrubbed.2)
            .bind(seq)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Replaces the value of every key in `replacements`, at any depth, unless
/// it is null.
pub(crate) fn scrub_value(value: &mut Value, replacements: &BTreeMap<&str, Value>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                match replacements.get(key.as_str()) {
                    Some(replacement) if !inner.is_null() => *inner = replacement.clone(),
                    _ => scrub_value(inner, replacements),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| scrub_value(v, replacements)),
        _ => {}
    }
}

/// Empties every string under one of [`TEXT_KEYS`] (`inside` says the
/// caller already is under one), at any depth, keeping the shape.
fn blank_text(value: &mut Value, inside: bool) {
    match value {
        Value::String(text) if inside => text.clear(),
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                blank_text(inner, inside || TEXT_KEYS.contains(&key.as_str()));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| blank_text(v, inside)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn scrubbing_replaces_names_emails_and_notes_at_any_depth() {
        let mut value = json!({
            "person": {"name": "Ada", "email": "ada@x.io", "id": 3},
            "role": {"note": "why", "to": "cto"},
            "list": [{"name": "Ada"}]
        });
        let mut replacements = BTreeMap::new();
        replacements.insert("name", Value::from("Erased 3"));
        replacements.insert("email", Value::from("erased-3@invalid.example"));
        replacements.insert("note", Value::Null);
        scrub_value(&mut value, &replacements);
        assert_eq!(
            value,
            json!({
                "person": {"name": "Erased 3", "email": "erased-3@invalid.example", "id": 3},
                "role": {"note": null, "to": "cto"},
                "list": [{"name": "Erased 3"}]
            })
        );
    }

    #[test]
    fn blanking_empties_text_under_text_keys_and_keeps_levels_and_ids() {
        let mut value = json!({
            "review": 4,
            "assessment": {
                "author": 2,
                "competencies": {"craft": {"level": 3, "evidence": "shipped the parser"}},
                "signed_on": "2026-06-30"
            },
            "evidence": {"craft": "led the migration"},
            "comment": "ready",
            "text": "talk about the move",
            "reason": "moving abroad",
            "title": "kept"
        });
        blank_text(&mut value, false);
        assert_eq!(
            value,
            json!({
                "review": 4,
                "assessment": {
                    "author": 2,
                    "competencies": {"craft": {"level": 3, "evidence": ""}},
                    "signed_on": "2026-06-30"
                },
                "evidence": {"craft": ""},
                "comment": "",
                "text": "",
                "reason": "",
                "title": "kept"
            })
        );
    }
}
