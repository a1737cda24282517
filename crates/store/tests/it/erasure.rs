//! Erasure reaches the manager's side: after a person who left is erased, no
//! stored text (any table, any audit JSON) holds their name, email or what
//! was written about them, while ratings, levels, states, counts and the
//! records of others stay as they were.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use climb_framework::CompetencyId;
use climb_management::calibration::{self, Calibration};
use climb_management::growth::NewGoal;
use climb_management::one_on_one::{Cadence, Schedule, Text, parse_zone};
use climb_management::promotion::ProposalStatus;
use climb_management::review::{Edit, NewCycle, Rated, Rating, Review, Scope};
use climb_management::update::{Audience, Post};
use climb_people::{Actor, ActorKind, Command, Email, PersonId};
use climb_store::{AccountId, Backend, Decision, NewAccount, Store};
use sqlx::{Column, Row};

use crate::harness::{admin, both_backends, day, fw, hire, role};

/// Words that appear only in what was written about or by the erased person.
const ERASED_WORDS: [&str; 12] = [
    "erasable",
    "zephyr",
    "quartz",
    "marmalade",
    "tangerine",
    "obsidian",
    "pelican",
    "saffron",
    "juniper",
    "walrus",
    "cobalt",
    "lagoon",
];

/// Every competency the role expects at its level, with `word` in the evidence.
fn assessed(role_id: &str, word: &str) -> Edit {
    Edit::Assess(
        fw().role(role_id)
            .expect("role")
            .expectations
            .iter()
            .map(|e| {
                (
                    e.competency.clone(),
                    Rated {
                        level: e.level,
                        evidence: format!("{word} in {}", e.competency),
                    },
                )
            })
            .collect(),
    )
}

/// Creates `person`'s login account.
async fn login(store: &Store, person: PersonId, email: &str, name: &str) -> AccountId {
    store
        .create_account(
            admin(),
            NewAccount {
                email: Email::parse(email).expect("email"),
                name: name.to_owned(),
                person: Some(person),
                kind: ActorKind::Employee,
                password_hash: None,
            },
        )
        .await
        .expect("account")
        .id
}

fn text(raw: &str) -> Text {
    Text::parse(raw, "text", 2000).expect("text")
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0)
        .single()
        .expect("time")
}

/// Every string in every column of every table, as `table.column: value`.
async fn every_stored_text(store: &Store) -> Vec<String> {
    let tables: Vec<(String,)> = match store.backend() {
        Backend::Sqlite => sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ),
        Backend::Postgres => sqlx::query_as(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        ),
    }
    .fetch_all(store.pool())
    .await
    .expect("tables");
    assert!(tables.len() > 15, "every table is scanned: {tables:?}");
    let mut texts = Vec::new();
    for (table,) in tables {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {table}")))
            .fetch_all(store.pool())
            .await
            .expect("rows");
        for row in rows {
            for column in row.columns() {
                if let Ok(Some(value)) = row.try_get::<Option<String>, _>(column.ordinal()) {
                    texts.push(format!("{table}.{}: {value}", column.name()));
                }
            }
        }
    }
    texts
}

/// A review's self and manager levels, rating and whether it is signed.
type Levels = (Vec<u32>, Vec<u32>, Option<Rating>, bool);

/// What erasure must leave alone: the aggregates.
#[derive(Debug, PartialEq)]
struct Aggregates {
    levels: Vec<Levels>,
    calibration: Calibration,
    proposals: Vec<(ProposalStatus, String)>,
    goals: Vec<(Option<CompetencyId>, bool)>,
    roles: Vec<String>,
    meetings: usize,
    held: usize,
    actions: Vec<(chrono::NaiveDate, Option<chrono::NaiveDate>)>,
    updates: Vec<(PersonId, String, String)>,
}

async fn aggregates(
    store: &Store,
    person: PersonId,
    cycle: climb_management::review::CycleId,
) -> Aggregates {
    let reviews: Vec<Review> = store.cycle_reviews(cycle).await.expect("reviews");
    let meetings = store.meetings(person, 100).await.expect("meetings");
    Aggregates {
        levels: reviews
            .iter()
            .map(|r| {
                (
                    r.own.competencies.values().map(|c| c.level).collect(),
                    r.manager.competencies.values().map(|c| c.level).collect(),
                    r.rating,
                    r.is_signed(),
                )
            })
            .collect(),
        calibration: calibration::calibrate(fw(), &reviews),
        proposals: store
            .person_proposals(person)
            .await
            .expect("proposals")
            .into_iter()
            .map(|p| (p.status, p.to_role.as_str().to_owned()))
            .collect(),
        goals: store
            .goals(person)
            .await
            .expect("goals")
            .into_iter()
            .map(|g| (g.competency, g.done_on.is_some()))
            .collect(),
        roles: store
            .history(person)
            .await
            .expect("history")
            .into_iter()
            .map(|h| h.to.as_str().to_owned())
            .collect(),
        held: meetings.iter().filter(|m| m.held_at.is_some()).count(),
        meetings: meetings.len(),
        actions: store
            .actions(person)
            .await
            .expect("actions")
            .into_iter()
            .map(|a| (a.due, a.done_on))
            .collect(),
        updates: store
            .updates(10)
            .await
            .expect("updates")
            .into_iter()
            .map(|u| (u.author, u.post.title, u.post.body))
            .collect(),
    }
}

both_backends! {
    async fn erasure_removes_what_was_written_about_the_person_and_keeps_the_aggregates(db) {
        let store = db.open().await;
        let cto = hire(&store, "Cleo", "cto", None).await;
        let vp = hire(&store, "Victor", "vp-engineering", Some(cto)).await;
        let em = hire(&store, "Emma", "engineering-manager", Some(vp)).await;
        let bob = hire(&store, "Bob Erasable", "software-engineer", Some(em)).await;
        let alice = hire(&store, "Alice", "software-engineer", Some(em)).await;
        let (me, manager) = (Actor::employee(bob), Actor::employee(em));
        store.migrate_accounts().await.expect("accounts");
        let mut accounts = Vec::new();
        for (person, email, name) in [(bob, "bob.erasable@example.com", "Bob Erasable"), (alice, "alice@example.com", "Alice")] {
            accounts.push(login(&store, person, email, name).await);
        }
        store.create_api_token(accounts[0], "Erasable laptop", "tokenhash-bob").await.expect("token");

        // A signed review with evidence on both sides; Alice's stays untouched.
        let (cycle, _) = store
            .open_review_cycle(fw(), admin(), NewCycle {
                name: "2026 H1".to_owned(),
                period_start: day(2026, 1, 1),
                period_end: day(2026, 6, 30),
                scope: Scope::Below { manager: em },
                hold_until_released: false,
            })
            .await
            .expect("cycle");
        let reviews = store.cycle_reviews(cycle.id).await.expect("reviews");
        let review_of = |p: PersonId| reviews.iter().find(|r| r.person == p).expect("review").id;
        let (bobs, alices) = (review_of(bob), review_of(alice));
        store.edit_review(fw(), me, bobs, assessed("software-engineer", "zephyr")).await.expect("self");
        store.edit_review(fw(), manager, bobs, assessed("software-engineer", "quartz")).await.expect("manager");
        store.edit_review(fw(), manager, bobs, Edit::Rate(Rating::ExceedsExpectations)).await.expect("rated");
        store.edit_review(fw(), me, bobs, Edit::Sign).await.expect("self signs");
        store.edit_review(fw(), manager, bobs, Edit::Sign).await.expect("manager signs");
        store.edit_review(fw(), manager, alices, assessed("software-engineer", "ember")).await.expect("alice");
        store.edit_review(fw(), manager, alices, Edit::Rate(Rating::MeetsExpectations)).await.expect("rated");

        // A goal, and a proposal approved with a comment.
        store
            .add_goal(fw(), me, bob, NewGoal {
                text: "Write the marmalade design doc".to_owned(),
                competency: Some(CompetencyId::parse("leadership").expect("id")),
                target_date: Some(day(2026, 9, 30)),
            })
            .await
            .expect("goal");
        let evidence: BTreeMap<CompetencyId, String> = fw()
            .role("senior-software-engineer")
            .expect("role")
            .expectations
            .iter()
            .map(|e| (e.competency.clone(), format!("tangerine work on {}", e.competency)))
            .collect();
        let proposal = store
            .draft_proposal(fw(), manager, bob, role("senior-software-engineer"), evidence)
            .await
            .expect("drafted");
        store
            .decide_proposal(fw(), Actor::employee(vp), proposal.id, Decision::Approve {
                comment: Some("obsidian-solid case".to_owned()),
                effective_date: day(2026, 7, 1),
            })
            .await
            .expect("approved");

        // One-on-ones: Bob's with agenda, notes (shared, both private ones)
        // and an action item, held once; Alice's with Emma's private note.
        let weekly = Schedule::new(
            Cadence::Weekly,
            day(2026, 1, 5),
            NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
            parse_zone("Europe/Berlin").expect("zone"),
            30,
        )
        .expect("schedule");
        let first = store.set_schedule(manager, bob, &weekly, at(2026, 1, 1)).await.expect("scheduled");
        store.add_agenda_item(me, first.id, bob, text("pelican project worries")).await.expect("agenda");
        store.add_note(manager, first.id, em, false, text("saffron plan agreed")).await.expect("shared");
        store.add_note(manager, first.id, em, true, text("juniper: seems tired")).await.expect("private");
        store.add_note(me, first.id, bob, true, text("walrus: ask about the raise")).await.expect("own private");
        store.add_action(manager, first.id, bob, text("cobalt runbook"), day(2026, 1, 20)).await.expect("action");
        store.hold_meeting(manager, first.id, em, &weekly, at(2026, 1, 5)).await.expect("held");
        let hers = store.set_schedule(manager, alice, &weekly, at(2026, 1, 1)).await.expect("scheduled");
        store.add_note(manager, hers.id, em, true, text("marigold: ready for more scope")).await.expect("note");
        // The store leaves the policy to its caller: this stands for a
        // private note Bob wrote in someone else's one-on-ones.
        store.add_note(me, hers.id, bob, true, text("lagoon aside")).await.expect("note");
        store.set_feed_token(me, bob, Some("feedhash-bob")).await.expect("feed");
        store
            .post_update(me, bob, Audience::Company, Post::parse("Farewell", "Thanks for the years").expect("post"))
            .await
            .expect("update");

        store
            .leave_with_reason(std::sync::Arc::new(fw().clone()), admin(), bob, day(2026, 8, 31), Some("lagoon relocation".to_owned()))
            .await
            .expect("left");
        let texts = every_stored_text(&store).await;
        for word in ERASED_WORDS {
            assert!(texts.iter().any(|t| t.to_lowercase().contains(word)), "the seed wrote `{word}`");
        }
        let before = aggregates(&store, bob, cycle.id).await;

        store.execute(fw(), admin(), Command::Erase { person: bob }).await.expect("erased");

        // Reopened: what is read is what the database holds.
        drop(store);
        let store = db.open().await;
        for stored in every_stored_text(&store).await {
            let lower = stored.to_lowercase();
            for word in ERASED_WORDS {
                assert!(!lower.contains(word), "`{word}` survived erasure in {stored}");
            }
        }
        assert_eq!(aggregates(&store, bob, cycle.id).await, before);

        let person = store.person(bob).await.expect("reads").expect("kept");
        assert!(person.email.as_str().ends_with(".invalid"));
        let (review, _) = store.review(bobs).await.expect("reads").expect("kept");
        assert!(review.is_signed());
        assert!(review.own.competencies.values().chain(review.manager.competencies.values()).all(|c| c.evidence.is_empty()));
        let approved = store.proposal(proposal.id).await.expect("reads").expect("kept");
        assert_eq!(approved.status, ProposalStatus::Approved);
        assert_eq!(approved.comment, None);
        assert!(store.feed_owner("feedhash-bob").await.expect("reads").is_none());
        assert!(store.agenda(first.id).await.expect("agenda").is_empty());
        assert!(store.notes(first.id).await.expect("notes").is_empty());

        let logins: Vec<(String, String)> = sqlx::query_as("SELECT email, name FROM accounts ORDER BY id")
            .fetch_all(store.pool())
            .await
            .expect("accounts");
        assert_eq!(logins[0], (person.email.to_string(), person.name.clone()));
        assert_eq!(logins[1], ("alice@example.com".to_owned(), "Alice".to_owned()));

        // What belongs to others stays: Emma's private note and assessment
        // about Alice, the update Bob posted (now by an anonymous author).
        let kept: Vec<(PersonId, bool, String)> = store
            .notes(hers.id)
            .await
            .expect("notes")
            .into_iter()
            .map(|n| (n.author, n.private, n.text))
            .collect();
        assert_eq!(kept, [(em, true, "marigold: ready for more scope".to_owned())]);
        let (hers_review, _) = store.review(alices).await.expect("reads").expect("kept");
        assert!(hers_review.manager.competencies.values().all(|c| c.evidence.starts_with("ember in ")));

        // The audit log still answers for Bob: every event kept, in order.
        let events = store.audit(Some(bob), 100, None).await.expect("audit");
        assert!(events.iter().any(|e| e.action == "review.signed"));
        assert!(events.iter().any(|e| e.action == "one_on_one.note_added"));
        assert_eq!(events[0].action, "person.erased");

        // And the chain still verifies through the scrubbed events.
        let verified = store.verify_audit(&[]).await.expect("verifies");
        assert!(verified.is_intact(), "{:?}", verified.findings);
        assert!(verified.erased > 0, "the scrubbed events are counted");
    }
}

both_backends! {
    async fn an_erasure_time_scrub_may_rewrite_a_review_event_and_nothing_else_may(db) {
        let store = db.open().await;
        let em = hire(&store, "Emma", "engineering-manager", None).await;
        let bob = hire(&store, "Bob", "software-engineer", Some(em)).await;
        let (cycle, _) = store
            .open_review_cycle(fw(), admin(), NewCycle {
                name: "2026 H1".to_owned(),
                period_start: day(2026, 1, 1),
                period_end: day(2026, 6, 30),
                scope: Scope::Everyone,
                hold_until_released: false,
            })
            .await
            .expect("cycle");
        let review = store.cycle_reviews(cycle.id).await.expect("reviews")
            .into_iter().find(|r| r.person == bob).expect("bob's").id;
        store.edit_review(fw(), Actor::employee(bob), review, assessed("software-engineer", "zephyr")).await.expect("self");
        let seq: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM audit_events WHERE action = 'review.assessed'")
            .fetch_one(store.pool())
            .await
            .expect("event");
        let scrub = "UPDATE audit_events SET after = '{}' WHERE seq = $1";

        let plain = sqlx::query(scrub).bind(seq).execute(store.pool()).await;
        assert!(plain.is_err(), "an update outside erasure went through");

        let mut tx = store.pool().begin().await.expect("transaction");
        sqlx::query("INSERT INTO audit_scrub (person_id) VALUES ($1)")
            .bind(bob.0)
            .execute(&mut *tx)
            .await
            .expect("listed");
        sqlx::query(scrub).bind(seq).execute(&mut *tx).await.expect("the erasure-time scrub is allowed");
        let renamed = sqlx::query("UPDATE audit_events SET action = 'tampered' WHERE seq = $1")
            .bind(seq)
            .execute(&mut *tx)
            .await;
        assert!(renamed.is_err(), "a scrub changed the action");
        drop(tx);

        // The same holds for the account events of Bob's login.
        store.migrate_accounts().await.expect("accounts");
        let account = login(&store, bob, "bob@example.com", "Bob").await;
        let detail = "UPDATE account_events SET detail = '{}' WHERE account_id = $1";
        let plain = sqlx::query(detail).bind(account.0).execute(store.pool()).await;
        assert!(plain.is_err(), "an account event update outside erasure went through");
        let mut tx = store.pool().begin().await.expect("transaction");
        sqlx::query("INSERT INTO audit_scrub (person_id) VALUES ($1)")
            .bind(bob.0)
            .execute(&mut *tx)
            .await
            .expect("listed");
        sqlx::query(detail).bind(account.0).execute(&mut *tx).await.expect("the erasure-time scrub is allowed");
        let renamed = sqlx::query("UPDATE account_events SET action = 'tampered' WHERE account_id = $1")
            .bind(account.0)
            .execute(&mut *tx)
            .await;
        assert!(renamed.is_err(), "a scrub changed an account event's action");
        drop(tx);
        let deleted = sqlx::query("DELETE FROM account_events").execute(store.pool()).await;
        assert!(deleted.is_err(), "an account event was deleted");

        let other = sqlx::query("UPDATE audit_events SET after = '{}' WHERE subject_kind = 'review_cycle'")
            .execute(store.pool())
            .await;
        assert!(other.is_err(), "an update of a cycle event went through");
        let after: String = sqlx::query_scalar("SELECT after FROM audit_events WHERE seq = $1")
            .bind(seq)
            .fetch_one(store.pool())
            .await
            .expect("event");
        assert!(after.contains("zephyr"), "the rolled-back scrub left the event as it was");
    }
}
