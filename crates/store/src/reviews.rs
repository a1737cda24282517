//! Performance reviews, growth-plan goals and promotion proposals on both
//! backends. Each write takes the writers' lock, catches up, checks the
//! caller's right with [`climb_people::policy`], lets `climb-management`
//! decide, and writes the rows with their audit events in one transaction;
//! an approved proposal's role change goes through [`Org::decide`] in that
//! same transaction.
//!
//! A review cycle opened, a side signed, a proposal drafted or decided
//! queue their mail notices in the same transaction (`climb_notify` decides
//! who is told what).
//!
//! The audit events written here carry no replayable change (the in-memory
//! org does not hold reviews); they name the person concerned, or the cycle
//! for opening and closing one.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use climb_framework::{CompetencyId, Framework, RoleId};
use climb_management::calibration::RatingCount;
use climb_management::growth::{self, Goal, GoalError, GoalId, GrowthPlan, NewGoal};
use climb_management::promotion::{self, PromotionError, Proposal, ProposalId};
use climb_management::review::{
    self, Cycle, CycleId, Edit, NewCycle, Rating, Review, ReviewError, ReviewId, Signatures,
};
use climb_people::policy::{self, Access, Action};
use climb_people::{Actor, Org, PeopleError, PersonId, Subject};
use serde_json::{Value, json};
use sqlx::{Any, AnyConnection, Transaction};
use tokio::sync::{MutexGuard, RwLockWriteGuard};

use crate::backend::Backend;
use crate::chain::{self, NewEvent};
use crate::codec::{date_text, from_json, parse_role, time_text, to_json};
use crate::error::StoreError;
use crate::persist::persist;
use crate::store::{State, Store, apply_changes, catch_up_in, lock_writers};
use crate::webhooks;
use climb_notify::Fact;
use climb_webhooks::Event;

/// One write in progress: this process's writer lock, the transaction
/// holding the database's writer lock, and the caught-up state.
struct Write<'a> {
    _writer: MutexGuard<'a, ()>,
    tx: Transaction<'static, Any>,
    state: RwLockWriteGuard<'a, State>,
    seq: i64,
    /// The digest of the last audit event written, for its webhook event id.
    digest: String,
}

impl Write<'_> {
    async fn audit(
        &mut self,
        actor: Actor,
        action: &str,
        subject: Subject,
        before: Value,
        after: Value,
    ) -> Result<(), StoreError> {
        let (at, actor) = (time_text(Utc::now()), to_json(&actor)?);
        let (before, after) = (to_json(&before)?, to_json(&after)?);
        (self.seq, self.digest) = chain::append_sealed(
            &mut self.tx,
            &NewEvent {
                at: &at,
                actor: &actor,
                action,
                subject_kind: subject.kind(),
                subject_id: subject.id(),
                before: Some(&before),
                after: Some(&after),
                change: None,
            },
        )
        .await?;
        Ok(())
    }

    /// Puts `event`, reported by the audit event just written, into the
    /// outbox.
    async fn webhook(&mut self, event: &Event) -> Result<(), StoreError> {
        let id = webhooks::event_id(&self.digest);
        webhooks::enqueue(&mut self.tx, event, &id, Utc::now()).await
    }

    async fn commit(mut self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        self.state.seen = self.state.seen.max(self.seq);
        Ok(())
    }
}

fn refused(code: &'static str, message: impl ToString) -> StoreError {
    StoreError::Refused {
        code,
        message: message.to_string(),
    }
}

fn missing(code: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Missing {
        code,
        message: message.into(),
    }
}

impl From<ReviewError> for StoreError {
    fn from(e: ReviewError) -> Self {
        match e {
            ReviewError::NotYourReview | ReviewError::RatingByManager => StoreError::NotYours {
                code: e.code(),
                message: e.to_string(),
            },
            ReviewError::UnknownPerson(_) => missing(e.code(), e.to_string()),
            ReviewError::Text(problem) => StoreError::Domain(PeopleError::InvalidText(problem)),
            _ => refused(e.code(), e),
        }
    }
}

impl From<GoalError> for StoreError {
    fn from(e: GoalError) -> Self {
        refused(e.code(), e)
    }
}

impl From<PromotionError> for StoreError {
    fn from(e: PromotionError) -> Self {
        match e {
            PromotionError::People(p) => StoreError::Domain(p),
            PromotionError::Text(problem) => StoreError::Domain(PeopleError::InvalidText(problem)),
            other => refused(other.code(), other),
        }
    }
}

/// Refuses unless the policy allows `action`.
fn permit(
    org: &Org,
    framework: &Framework,
    actor: Actor,
    action: &Action,
) -> Result<(), StoreError> {
    match policy::may_do(org, framework, actor, action) {
        Access::Allowed => Ok(()),
        Access::Forbidden | Access::Hidden => Err(StoreError::NotYours {
            code: "forbidden",
            message: "you may not do this".to_owned(),
        }),
    }
}

async fn next_id(tx: &mut AnyConnection, table: &'static str) -> Result<i64, StoreError> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *tx)
        .await?)
}

/// What the approver decides about a proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Approve: the role changes from `effective_date`.
    Approve {
        /// Optional comment.
        comment: Option<String>,
        /// The day the new role starts.
        effective_date: NaiveDate,
    },
    /// Reject, saying why.
    Reject {
        /// Why.
        comment: String,
    },
}

impl Store {
    async fn begin_write(&self) -> Result<Write<'_>, StoreError> {
        let writer = self.writer.lock().await;
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let mut state = self.state.write().await;
        catch_up_in(&mut tx, &mut state).await?;
        let seq = state.seen;
        Ok(Write {
            _writer: writer,
            tx,
            state,
            seq,
            digest: String::new(),
        })
    }

    /// Opens a review cycle (HR and administrators): one review per active
    /// person in scope, written in one transaction with one audit event for
    /// the cycle. Returns the cycle and how many reviews it holds.
    #[tracing::instrument(skip_all)]
    pub async fn open_review_cycle(
        &self,
        framework: &Framework,
        actor: Actor,
        request: NewCycle,
    ) -> Result<(Cycle, usize), StoreError> {
        let mut w = self.begin_write().await?;
        permit(&w.state.org, framework, actor, &Action::ManageReviewCycles)?;
        let id = CycleId(next_id(&mut w.tx, "review_cycles").await?);
        let first = ReviewId(next_id(&mut w.tx, "reviews").await?);
        let today = Utc::now().date_naive();
        let (cycle, reviews) =
            review::open_cycle(framework, &w.state.org, id, first, request, today)?;
        sqlx::query(
            "INSERT INTO review_cycles (id, name, status, period_end, body) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(cycle.id.0)
        .bind(cycle.name.clone())
        .bind("open")
        .bind(date_text(cycle.period_end))
        .bind(to_json(&cycle)?)
        .execute(&mut *w.tx)
        .await?;
        let count = reviews.len();
        insert_reviews(&mut w.tx, self.backend(), &reviews).await?;
        if self.mail_enabled() {
            let opened: Vec<(ReviewId, PersonId)> =
                reviews.iter().map(|r| (r.id, r.person)).collect();
            let fact = Fact::CycleOpened {
                cycle: &cycle.name,
                reviews: &opened,
            };
            let notices = climb_notify::notices(&w.state.org, actor.person, &fact);
            self.notify(&mut w.tx, &notices).await?;
        }
        w.audit(
            actor,
            "review_cycle.opened",
            Subject::ReviewCycle(cycle.id.0),
            Value::Null,
            json!({ "cycle": cycle, "reviews": count }),
        )
        .await?;
        w.commit().await?;
        Ok((cycle, count))
    }

    /// Closes a review cycle (HR and administrators): its reviews become
    /// read-only.
    #[tracing::instrument(skip_all)]
    pub async fn close_review_cycle(
        &self,
        framework: &Framework,
        actor: Actor,
        id: CycleId,
    ) -> Result<Cycle, StoreError> {
        let mut w = self.begin_write().await?;
        permit(&w.state.org, framework, actor, &Action::ManageReviewCycles)?;
        let cycle = cycle_in(&mut w.tx, id)
            .await?
            .ok_or_else(|| missing("unknown_cycle", format!("there is no {id}")))?;
        let closed = review::close_cycle(&cycle, Utc::now().date_naive())?;
        sqlx::query("UPDATE review_cycles SET status = 'closed', body = $1 WHERE id = $2")
            .bind(to_json(&closed)?)
            .bind(id.0)
            .execute(&mut *w.tx)
            .await?;
        w.audit(
            actor,
            "review_cycle.closed",
            Subject::ReviewCycle(id.0),
            json!({ "status": "open" }),
            json!({ "status": "closed", "closed_on": closed.closed_on }),
        )
        .await?;
        w.commit().await?;
        Ok(closed)
    }

    /// Releases a cycle held for calibration (HR and administrators): the
    /// people reviewed now read their managers' signed sides.
    #[tracing::instrument(skip_all)]
    pub async fn release_review_cycle(
        &self,
        framework: &Framework,
        actor: Actor,
        id: CycleId,
    ) -> Result<Cycle, StoreError> {
        let mut w = self.begin_write().await?;
        permit(&w.state.org, framework, actor, &Action::ManageReviewCycles)?;
        let cycle = cycle_in(&mut w.tx, id)
            .await?
            .ok_or_else(|| missing("unknown_cycle", format!("there is no {id}")))?;
        let released = review::release_cycle(&cycle, Utc::now().date_naive())?;
        sqlx::query("UPDATE review_cycles SET body = $1 WHERE id = $2")
            .bind(to_json(&released)?)
            .bind(id.0)
            .execute(&mut *w.tx)
            .await?;
        w.audit(
            actor,
            "review_cycle.released",
            Subject::ReviewCycle(id.0),
            json!({ "released_on": null }),
            json!({ "released_on": released.released_on }),
        )
        .await?;
        w.commit().await?;
        Ok(released)
    }

    /// Every review cycle, newest first.
    pub async fn review_cycles(&self) -> Result<Vec<Cycle>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM review_cycles ORDER BY id DESC")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|(body,)| from_json(body)).collect()
    }

    /// One review cycle.
    pub async fn review_cycle(&self, id: CycleId) -> Result<Option<Cycle>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        cycle_in(&mut conn, id).await
    }

    /// The reviews of a cycle, by id.
    pub async fn cycle_reviews(&self, id: CycleId) -> Result<Vec<Review>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM reviews WHERE cycle_id = $1 ORDER BY id")
                .bind(id.0)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|(body,)| from_json(body)).collect()
    }

    /// Who signed each review of a cycle, in no set order: read from the
    /// signature columns, in the index that holds them, never from the
    /// bodies, and kept until the next write (see the `kept` module).
    pub async fn cycle_signatures(&self, id: CycleId) -> Result<Arc<Vec<Signatures>>, StoreError> {
        let head = self.audit_head().await?;
        if let Some(kept) = self.kept_signatures.get(head, id) {
            return Ok(kept);
        }
        let read = Arc::new(self.read_cycle_signatures(id).await?);
        self.kept_signatures.put(head, id, Arc::clone(&read));
        Ok(read)
    }

    async fn read_cycle_signatures(&self, id: CycleId) -> Result<Vec<Signatures>, StoreError> {
        // Each review as one integer (the person's id, then a bit for each
        // side's signature), all of them joined into one text in one row:
        // a hundred thousand rows one by one cost far more than the query.
        const PACKED: &str = "person_id * 4 \
             + CASE WHEN own_signed_on IS NULL THEN 0 ELSE 2 END \
             + CASE WHEN manager_signed_on IS NULL THEN 0 ELSE 1 END";
        let joined = match self.backend() {
            Backend::Sqlite => format!("group_concat({PACKED}, ',')"),
            Backend::Postgres => format!("string_agg(CAST({PACKED} AS TEXT), ',')"),
        };
        let (packed,): (Option<String>,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {joined} FROM reviews WHERE cycle_id = $1"
        )))
        .bind(id.0)
        .fetch_one(&self.pool)
        .await?;
        packed
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter(|n| !n.is_empty())
            .map(|n| {
                let packed: i64 = n
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("review signatures `{n}`")))?;
                Ok(Signatures {
                    person: PersonId(packed >> 2),
                    own: packed & 2 != 0,
                    manager: packed & 1 != 0,
                })
            })
            .collect()
    }

    /// One review with its cycle.
    pub async fn review(&self, id: ReviewId) -> Result<Option<(Review, Cycle)>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        review_in(&mut conn, id).await
    }

    /// A person's reviews with their cycles, newest cycle first.
    pub async fn person_reviews(
        &self,
        person: PersonId,
    ) -> Result<Vec<(Review, Cycle)>, StoreError> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT r.body, c.body FROM reviews r JOIN review_cycles c ON c.id = r.cycle_id \
             WHERE r.person_id = $1 ORDER BY c.period_end DESC, r.id DESC",
        )
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|(r, c)| Ok((from_json(r)?, from_json(c)?)))
            .collect()
    }

    /// How far each cycle is: `(cycle, reviews, signed by both)`, one row
    /// per cycle that has reviews. Counted from the signature columns, in
    /// the index that holds them, without reading a review's body.
    pub async fn cycle_progress(&self) -> Result<Vec<(CycleId, i64, i64)>, StoreError> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT cycle_id, COUNT(*), \
             SUM(CASE WHEN own_signed_on IS NOT NULL AND manager_signed_on IS NOT NULL \
             THEN 1 ELSE 0 END) \
             FROM reviews GROUP BY cycle_id ORDER BY cycle_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(cycle, reviews, signed)| (CycleId(cycle), reviews, signed))
            .collect())
    }

    /// The reviews of a cycle counted per role and overall rating, for the
    /// calibration view: of everyone in the cycle, or only of `people` (a
    /// senior manager's subtree). Read from the rating, role and signature
    /// columns, never from the reviews' bodies.
    pub async fn calibration_counts(
        &self,
        cycle: CycleId,
        people: Option<&[PersonId]>,
    ) -> Result<Vec<RatingCount>, StoreError> {
        // SQLite gets anonymous `?` placeholders (numbered ones are looked
        // up by a linear scan each); PostgreSQL only understands `$N`.
        let placeholder = |n: usize| match self.backend() {
            Backend::Sqlite => "?".to_owned(),
            Backend::Postgres => format!("${n}"),
        };
        let counted = format!(
            "SELECT role, rating, COUNT(*), \
             SUM(CASE WHEN own_signed_on IS NOT NULL AND manager_signed_on IS NOT NULL \
             THEN 1 ELSE 0 END) FROM reviews WHERE cycle_id = {}",
            placeholder(1)
        );
        const GROUPED: &str = " GROUP BY role, rating";
        let mut rows: Vec<(String, Option<String>, i64, i64)> = Vec::new();
        let mut whole_cycle_at = None;
        match people {
            None => {
                // The whole cycle's counts are kept until the next write.
                let head = self.audit_head().await?;
                if let Some(kept) = self.kept_calibration.get(head, cycle) {
                    return Ok(kept.as_ref().clone());
                }
                whole_cycle_at = Some(head);
                let sql = format!("{counted}{GROUPED}");
                rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(cycle.0)
                    .fetch_all(&self.pool)
                    .await?;
            }
            Some(people) => {
                for chunk in people.chunks(1000) {
                    let mut sql = format!("{counted} AND person_id IN (");
                    for n in 0..chunk.len() {
                        if n > 0 {
                            sql.push_str(", ");
                        }
                        sql.push_str(&placeholder(n + 2));
                    }
                    sql.push(')');
                    sql.push_str(GROUPED);
                    let mut query = sqlx::query_as::<_, (String, Option<String>, i64, i64)>(
                        sqlx::AssertSqlSafe(sql),
                    )
                    .bind(cycle.0);
                    for person in chunk {
                        query = query.bind(person.0);
                    }
                    rows.extend(query.fetch_all(&self.pool).await?);
                }
            }
        }
        let counts = rows
            .into_iter()
            .map(|(role, rating, reviews, signed)| {
                let rating = rating
                    .map(|r| {
                        Rating::parse(&r)
                            .ok_or_else(|| StoreError::Corrupt(format!("review rating `{r}`")))
                    })
                    .transpose()?;
                let count = |n: i64| {
                    usize::try_from(n).map_err(|_| StoreError::Corrupt(format!("review count {n}")))
                };
                Ok(RatingCount {
                    role: parse_role(&role)?,
                    rating,
                    reviews: count(reviews)?,
                    signed: count(signed)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        if let Some(head) = whole_cycle_at {
            self.kept_calibration
                .put(head, cycle, Arc::new(counts.clone()));
        }
        Ok(counts)
    }

    /// The reviews of `people` in cycles that are still open, with their
    /// cycles, newest cycle first (a manager's view of their team).
    pub async fn open_reviews_of(
        &self,
        people: &[PersonId],
    ) -> Result<Vec<(Review, Cycle)>, StoreError> {
        let mut found = Vec::new();
        for chunk in people.chunks(500) {
            let mut sql = String::from(
                "SELECT r.body, c.body FROM reviews r JOIN review_cycles c ON c.id = r.cycle_id \
                 WHERE c.status = 'open' AND r.person_id IN (",
            );
            sql.push_str(&self.backend().placeholders(chunk.len()));
            sql.push(')');
            let mut query = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql));
            for person in chunk {
                query = query.bind(person.0);
            }
            for (r, c) in query.fetch_all(&self.pool).await? {
                found.push((from_json::<Review>(&r)?, from_json::<Cycle>(&c)?));
            }
        }
        found.sort_by(|a, b| {
            b.1.period_end
                .cmp(&a.1.period_end)
                .then_with(|| a.0.id.cmp(&b.0.id))
        });
        Ok(found)
    }

    /// Writes one side of a review: the person the self side, their direct
    /// manager the manager side (level and evidence per competency, the
    /// overall rating, or the signature). Refused on a closed cycle or a
    /// signed review; nothing is written then.
    pub async fn edit_review(
        &self,
        framework: &Framework,
        actor: Actor,
        id: ReviewId,
        edit: Edit,
    ) -> Result<Review, StoreError> {
        self.edit_review_all(framework, actor, id, vec![edit]).await
    }

    /// Several edits of one review, all or none, in one transaction (levels
    /// and the rating sent together).
    pub async fn edit_review_all(
        &self,
        framework: &Framework,
        actor: Actor,
        id: ReviewId,
        edits: Vec<Edit>,
    ) -> Result<Review, StoreError> {
        self.edit_review_on(framework, actor, id, edits, Utc::now().date_naive())
            .await
    }

    /// [`Store::edit_review_all`] as written on `today`: a signature is dated
    /// that day. For loaders that replay past reviews (the demo); requests
    /// always sign on the current day.
    #[tracing::instrument(skip_all)]
    pub async fn edit_review_on(
        &self,
        framework: &Framework,
        actor: Actor,
        id: ReviewId,
        edits: Vec<Edit>,
        today: NaiveDate,
    ) -> Result<Review, StoreError> {
        let mut w = self.begin_write().await?;
        let (current, cycle) = review_in(&mut w.tx, id)
            .await?
            .ok_or_else(|| missing("unknown_review", format!("there is no {id}")))?;
        let by = actor.person.ok_or(ReviewError::NotYourReview)?;
        if !w
            .state
            .org
            .person(by)
            .is_some_and(climb_people::Person::is_active)
        {
            return Err(ReviewError::NotYourReview.into());
        }
        let side = review::side_of(&w.state.org, &current, by)?;
        let mut action = "review.assessed";
        let mut signed = false;
        let mut next = current.clone();
        for edit in edits {
            signed |= matches!(edit, Edit::Sign);
            action = match &edit {
                Edit::Assess(_) => "review.assessed",
                Edit::Rate(_) => "review.rated",
                Edit::Sign => "review.signed",
            };
            next = review::edit(framework, &cycle, &next, side, by, edit, today)?;
        }
        let columns = ReviewColumns::of(&next);
        sqlx::query(
            "UPDATE reviews SET body = $1, role = $2, rating = $3, own_signed_on = $4, \
             manager_signed_on = $5 WHERE id = $6",
        )
        .bind(to_json(&next)?)
        .bind(columns.role)
        .bind(columns.rating)
        .bind(columns.own_signed_on)
        .bind(columns.manager_signed_on)
        .bind(id.0)
        .execute(&mut *w.tx)
        .await?;
        w.audit(
            actor,
            action,
            Subject::Person(next.person),
            json!({ "review": id.0, "side": side.as_str(), "assessment": current.side(side), "rating": current.rating }),
            json!({ "review": id.0, "side": side.as_str(), "assessment": next.side(side), "rating": next.rating }),
        )
        .await?;
        if signed {
            w.webhook(&Event::review_signed(id.0, next.person, side.as_str()))
                .await?;
            let fact = Fact::ReviewSigned {
                review: id,
                cycle: &cycle.name,
                person: next.person,
                side,
                both_signed: next.is_signed(),
            };
            let notices = climb_notify::notices(&w.state.org, Some(by), &fact);
            self.notify(&mut w.tx, &notices).await?;
        }
        w.commit().await?;
        Ok(next)
    }

    /// A person's growth plan against the manager assessment of their latest
    /// review signed by both; `None` for an unknown person.
    pub async fn growth_plan(
        &self,
        framework: &Framework,
        person: PersonId,
    ) -> Result<Option<GrowthPlan>, StoreError> {
        let Some(role) = self.org().await?.person(person).map(|p| p.role.clone()) else {
            return Ok(None);
        };
        let reviews = self.person_reviews(person).await?;
        // A cycle held for calibration does not count before it is released.
        let latest = growth::latest_assessment(
            reviews
                .iter()
                .filter(|(_, c)| c.manager_side_released())
                .map(|(r, c)| (r, c.period_end)),
        );
        Ok(Some(growth::growth_plan(
            framework,
            person,
            &role,
            latest.as_ref(),
        )))
    }

    /// A person's goals, oldest first.
    pub async fn goals(&self, person: PersonId) -> Result<Vec<Goal>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM goals WHERE person_id = $1 ORDER BY id")
                .bind(person.0)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|(body,)| from_json(body)).collect()
    }

    /// Adds a goal to a person's growth plan (the person or their manager).
    #[tracing::instrument(skip_all)]
    pub async fn add_goal(
        &self,
        framework: &Framework,
        actor: Actor,
        person: PersonId,
        request: NewGoal,
    ) -> Result<Goal, StoreError> {
        let mut w = self.begin_write().await?;
        if w.state.org.person(person).is_none() {
            return Err(missing(
                "unknown_person",
                format!("there is no person {person}"),
            ));
        }
        permit(
            &w.state.org,
            framework,
            actor,
            &Action::ManageGoals { person },
        )?;
        let Some(author) = actor.person else {
            return Err(StoreError::NotYours {
                code: "forbidden",
                message: "a goal is added by a person".to_owned(),
            });
        };
        let id = GoalId(next_id(&mut w.tx, "goals").await?);
        let goal = growth::add_goal(
            framework,
            id,
            person,
            author,
            request,
            Utc::now().date_naive(),
        )?;
        sqlx::query("INSERT INTO goals (id, person_id, body) VALUES ($1, $2, $3)")
            .bind(id.0)
            .bind(person.0)
            .bind(to_json(&goal)?)
            .execute(&mut *w.tx)
            .await?;
        w.audit(
            actor,
            "goal.added",
            Subject::Person(person),
            Value::Null,
            json!(goal),
        )
        .await?;
        w.commit().await?;
        Ok(goal)
    }

    /// Marks a goal of `person` done (the person or their manager).
    #[tracing::instrument(skip_all)]
    pub async fn complete_goal(
        &self,
        framework: &Framework,
        actor: Actor,
        person: PersonId,
        id: GoalId,
    ) -> Result<Goal, StoreError> {
        let mut w = self.begin_write().await?;
        let row: Option<(String,)> =
            sqlx::query_as("SELECT body FROM goals WHERE id = $1 AND person_id = $2")
                .bind(id.0)
                .bind(person.0)
                .fetch_optional(&mut *w.tx)
                .await?;
        let Some((body,)) = row else {
            return Err(missing(
                "unknown_goal",
                format!("there is no goal #{}", id.0),
            ));
        };
        permit(
            &w.state.org,
            framework,
            actor,
            &Action::ManageGoals { person },
        )?;
        let goal: Goal = from_json(&body)?;
        let done = growth::complete_goal(&goal, Utc::now().date_naive())?;
        sqlx::query("UPDATE goals SET body = $1 WHERE id = $2")
            .bind(to_json(&done)?)
            .bind(id.0)
            .execute(&mut *w.tx)
            .await?;
        w.audit(
            actor,
            "goal.done",
            Subject::Person(person),
            json!({ "goal": id.0, "done_on": null }),
            json!({ "goal": id.0, "done_on": done.done_on }),
        )
        .await?;
        w.commit().await?;
        Ok(done)
    }

    /// Drafts a promotion proposal for a report (their direct manager, HR or
    /// administrators), toward a role the framework allows.
    #[tracing::instrument(skip_all)]
    pub async fn draft_proposal(
        &self,
        framework: &Framework,
        actor: Actor,
        person: PersonId,
        to_role: RoleId,
        evidence: BTreeMap<CompetencyId, String>,
    ) -> Result<Proposal, StoreError> {
        let mut w = self.begin_write().await?;
        if w.state.org.person(person).is_none() {
            return Err(missing(
                "unknown_person",
                format!("there is no person {person}"),
            ));
        }
        permit(
            &w.state.org,
            framework,
            actor,
            &Action::ProposePromotion { person },
        )?;
        let Some(proposer) = actor.person else {
            return Err(StoreError::NotYours {
                code: "forbidden",
                message: "a proposal is drafted by a person".to_owned(),
            });
        };
        let id = ProposalId(next_id(&mut w.tx, "promotion_proposals").await?);
        let proposal = promotion::draft(
            framework,
            &w.state.org,
            id,
            person,
            proposer,
            to_role,
            evidence,
            Utc::now().date_naive(),
        )?;
        sqlx::query(
            "INSERT INTO promotion_proposals (id, person_id, proposer_id, status, body) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.0)
        .bind(person.0)
        .bind(proposer.0)
        .bind(proposal.status.as_str())
        .bind(to_json(&proposal)?)
        .execute(&mut *w.tx)
        .await?;
        w.audit(
            actor,
            "promotion.proposed",
            Subject::Person(person),
            Value::Null,
            json!(proposal),
        )
        .await?;
        let fact = Fact::ProposalSubmitted {
            proposal: id,
            person,
            proposer,
            to_role: &proposal.to_role,
        };
        let notices = climb_notify::notices(&w.state.org, Some(proposer), &fact);
        self.notify(&mut w.tx, &notices).await?;
        w.commit().await?;
        Ok(proposal)
    }

    /// Approves or rejects a pending proposal (the proposer's manager, HR or
    /// administrators). Approval changes the role through the people domain
    /// in the same transaction, with the proposal's id in the history.
    #[tracing::instrument(skip_all)]
    pub async fn decide_proposal(
        &self,
        framework: &Framework,
        actor: Actor,
        id: ProposalId,
        decision: Decision,
    ) -> Result<Proposal, StoreError> {
        let mut w = self.begin_write().await?;
        let current = proposal_in(&mut w.tx, id).await?.ok_or_else(|| {
            missing(
                "unknown_proposal",
                format!("there is no proposal #{}", id.0),
            )
        })?;
        permit(
            &w.state.org,
            framework,
            actor,
            &Action::DecidePromotion {
                person: current.person,
                proposer: current.proposer,
            },
        )?;
        // An administrator's account may have no person: the audit event
        // still names the account.
        let by = actor.person;
        let today = Utc::now().date_naive();
        let (next, changes) = match decision {
            Decision::Reject { comment } => {
                (promotion::reject(&current, by, &comment, today)?, vec![])
            }
            Decision::Approve {
                comment,
                effective_date,
            } => {
                let (approved, command) = promotion::approve(
                    &w.state.org,
                    &current,
                    by,
                    comment.as_deref(),
                    effective_date,
                    today,
                )?;
                let changes = w.state.org.decide(framework, actor, command)?;
                (approved, changes)
            }
        };
        let at = Utc::now();
        for change in &changes {
            w.seq = persist(&mut w.tx, change, actor, at).await?;
        }
        sqlx::query("UPDATE promotion_proposals SET status = $1, body = $2 WHERE id = $3")
            .bind(next.status.as_str())
            .bind(to_json(&next)?)
            .bind(id.0)
            .execute(&mut *w.tx)
            .await?;
        w.audit(
            actor,
            match next.status {
                promotion::ProposalStatus::Approved => "promotion.approved",
                _ => "promotion.rejected",
            },
            Subject::Person(next.person),
            json!({ "proposal": id.0, "status": current.status }),
            json!({ "proposal": id.0, "status": next.status, "comment": next.comment }),
        )
        .await?;
        let approved = next.status == promotion::ProposalStatus::Approved;
        w.webhook(&Event::promotion_decided(id.0, next.person, approved))
            .await?;
        let fact = Fact::ProposalDecided {
            proposal: id,
            person: next.person,
            proposer: next.proposer,
            to_role: &next.to_role,
            approved,
        };
        let notices = climb_notify::notices(&w.state.org, actor.person, &fact);
        self.notify(&mut w.tx, &notices).await?;
        w.tx.commit().await?;
        let seq = w.seq;
        apply_changes(&mut w.state, &changes, seq);
        Ok(next)
    }

    /// One proposal.
    pub async fn proposal(&self, id: ProposalId) -> Result<Option<Proposal>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        proposal_in(&mut conn, id).await
    }

    /// Proposals about a person, newest first.
    pub async fn person_proposals(&self, person: PersonId) -> Result<Vec<Proposal>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT body FROM promotion_proposals WHERE person_id = $1 ORDER BY id DESC",
        )
        .bind(person.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|(body,)| from_json(body)).collect()
    }

    /// Every pending proposal as `(proposal, person, proposer)`, oldest
    /// first: enough for the caller to filter by who may decide before
    /// reading the few it shows with [`Store::proposals`].
    pub async fn pending_proposal_parties(
        &self,
    ) -> Result<Vec<(ProposalId, PersonId, PersonId)>, StoreError> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT id, person_id, proposer_id FROM promotion_proposals \
             WHERE status = 'pending' ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, person, proposer)| (ProposalId(id), PersonId(person), PersonId(proposer)))
            .collect())
    }

    /// Every proposal, or those of one `status`, oldest first, as the
    /// columns beside its body: enough to filter by who may see each and
    /// to sort by person, day or status before reading the page shown
    /// with [`Store::proposals`].
    pub async fn proposal_heads(
        &self,
        status: Option<promotion::ProposalStatus>,
    ) -> Result<Vec<ProposalHead>, StoreError> {
        let rows: Vec<(i64, i64, i64, String)> = match status {
            Some(status) => sqlx::query_as(
                "SELECT id, person_id, proposer_id, status FROM promotion_proposals \
                 WHERE status = $1 ORDER BY id",
            )
            .bind(status.as_str()),
            None => sqlx::query_as(
                "SELECT id, person_id, proposer_id, status FROM promotion_proposals ORDER BY id",
            ),
        }
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, person, proposer, status)| {
                Ok(ProposalHead {
                    id: ProposalId(id),
                    person: PersonId(person),
                    proposer: PersonId(proposer),
                    status: promotion::ProposalStatus::parse(&status).ok_or_else(|| {
                        StoreError::Corrupt(format!("proposal {id} has the status {status:?}"))
                    })?,
                })
            })
            .collect()
    }

    /// The proposals still pending and those decided on or after `since`,
    /// oldest first: what the manager-habits analytics count.
    pub async fn proposals_pending_or_decided_since(
        &self,
        since: NaiveDate,
    ) -> Result<Vec<Proposal>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM promotion_proposals ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        let mut found = Vec::new();
        for (body,) in &rows {
            let proposal: Proposal = from_json(body)?;
            if proposal.decided_on.is_none_or(|day| day >= since) {
                found.push(proposal);
            }
        }
        Ok(found)
    }

    /// The proposals of `ids`, in that order; an id that names none is
    /// left out.
    pub async fn proposals(&self, ids: &[ProposalId]) -> Result<Vec<Proposal>, StoreError> {
        let mut found: BTreeMap<i64, Proposal> = BTreeMap::new();
        for chunk in ids.chunks(500) {
            let mut sql = String::from("SELECT id, body FROM promotion_proposals WHERE id IN (");
            sql.push_str(&self.backend().placeholders(chunk.len()));
            sql.push(')');
            let mut query = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(id.0);
            }
            for (id, body) in query.fetch_all(&self.pool).await? {
                found.insert(id, from_json(&body)?);
            }
        }
        Ok(ids.iter().filter_map(|id| found.remove(&id.0)).collect())
    }
}

/// A proposal as the columns beside its body name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProposalHead {
    /// The proposal.
    pub id: ProposalId,
    /// Who would move.
    pub person: PersonId,
    /// Who drafted it.
    pub proposer: PersonId,
    /// Where it stands.
    pub status: promotion::ProposalStatus,
}

// Promotion lists for the web pages: what a person drafted, and the
// pending proposals drafted by a given set of people (the decider is the
// proposer's manager, so "awaiting my decision" is "drafted by my reports").
impl Store {
    /// The proposals `proposer` drafted, newest first, at most `limit`.
    pub async fn drafted_proposals(
        &self,
        proposer: PersonId,
        limit: u32,
    ) -> Result<Vec<Proposal>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT body FROM promotion_proposals WHERE proposer_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(proposer.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|(body,)| from_json(body)).collect()
    }

    /// The pending proposals drafted by any of `proposers`, oldest first;
    /// with the proposers' manager this is what awaits their decision.
    pub async fn pending_proposals_by(
        &self,
        proposers: &[PersonId],
    ) -> Result<Vec<Proposal>, StoreError> {
        let mut found = Vec::new();
        for chunk in proposers.chunks(500) {
            let mut sql = String::from(
                "SELECT id, body FROM promotion_proposals WHERE status = 'pending' AND proposer_id IN (",
            );
            sql.push_str(&self.backend().placeholders(chunk.len()));
            sql.push(')');
            let mut query = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql));
            for proposer in chunk {
                query = query.bind(proposer.0);
            }
            found.extend(query.fetch_all(&self.pool).await?);
        }
        found.sort_by_key(|(id, _)| *id);
        found.iter().map(|(_, body)| from_json(body)).collect()
    }
}

/// The columns kept beside a review's body, for the queries that count
/// reviews without reading them (calibration, a cycle's progress). Every
/// write of a review's body writes these from the same value.
struct ReviewColumns {
    role: String,
    rating: Option<&'static str>,
    own_signed_on: Option<String>,
    manager_signed_on: Option<String>,
}

impl ReviewColumns {
    fn of(review: &Review) -> Self {
        ReviewColumns {
            role: review.role.as_str().to_owned(),
            rating: review.rating.map(Rating::as_str),
            own_signed_on: review.own.signed_on.map(date_text),
            manager_signed_on: review.manager.signed_on.map(date_text),
        }
    }
}

/// Inserts the reviews of a new cycle, 500 rows per statement. SQLite gets
/// anonymous `?` placeholders (numbered ones are looked up by a linear scan
/// each); PostgreSQL only understands `$N`.
async fn insert_reviews(
    conn: &mut AnyConnection,
    backend: Backend,
    reviews: &[Review],
) -> Result<(), StoreError> {
    const WIDTH: usize = 8;
    for chunk in reviews.chunks(500) {
        let mut sql = String::from(
            "INSERT INTO reviews (id, cycle_id, person_id, body, role, rating, own_signed_on, \
             manager_signed_on) VALUES ",
        );
        for r in 0..chunk.len() {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..WIDTH {
                if c > 0 {
                    sql.push_str(", ");
                }
                match backend {
                    Backend::Sqlite => sql.push('?'),
                    Backend::Postgres => sql.push_str(&format!("${}", r * WIDTH + c + 1)),
                }
            }
            sql.push(')');
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for review in chunk {
            let columns = ReviewColumns::of(review);
            query = query
                .bind(review.id.0)
                .bind(review.cycle.0)
                .bind(review.person.0)
                .bind(to_json(review)?)
                .bind(columns.role)
                .bind(columns.rating)
                .bind(columns.own_signed_on)
                .bind(columns.manager_signed_on);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

async fn cycle_in(conn: &mut AnyConnection, id: CycleId) -> Result<Option<Cycle>, StoreError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT body FROM review_cycles WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|(body,)| from_json(&body)).transpose()
}

async fn review_in(
    conn: &mut AnyConnection,
    id: ReviewId,
) -> Result<Option<(Review, Cycle)>, StoreError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT r.body, c.body FROM reviews r JOIN review_cycles c ON c.id = r.cycle_id WHERE r.id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(r, c)| Ok((from_json(&r)?, from_json(&c)?)))
        .transpose()
}

async fn proposal_in(
    conn: &mut AnyConnection,
    id: ProposalId,
) -> Result<Option<Proposal>, StoreError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT body FROM promotion_proposals WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(body,)| from_json(&body)).transpose()
}
