//! Group commit through [`Store::submit`], on both backends: commands queued
//! behind another connection's writers' lock are written as one batch once
//! it is released; each is decided against the org the commands before it
//! left, a refused one or one whose writes fail is answered alone, and a
//! batch that cannot commit fails every command in it and changes nothing.

use std::sync::Arc;
use std::time::Duration;

use climb_framework::Framework;
use climb_people::{Command, PersonId};
use climb_store::{Backend, Store, StoreError};

use crate::harness::{TestDb, admin, both_backends, day, fw, hire, role};

fn framework() -> Arc<Framework> {
    Arc::new(fw().clone())
}

fn change_role(person: PersonId, to: &str, note: Option<&str>) -> Command {
    Command::ChangeRole {
        person,
        to_role: role(to),
        effective_date: day(2025, 1, 1),
        note: note.map(str::to_owned),
        correction: false,
    }
}

/// Runs `plug` through the queue while another connection holds the
/// writers' lock, then, once the writer is waiting on that lock with it,
/// queues `commands` in order; releases the lock when all are queued. The
/// commands are so written as one batch after the plug's. Returns the plug's
/// answer and the commands' answers, in order.
async fn queued_behind_a_lock(
    db: &TestDb,
    store: &Store,
    plug: Command,
    commands: Vec<Command>,
) -> (
    Result<Vec<climb_people::Change>, StoreError>,
    Vec<Result<Vec<climb_people::Change>, StoreError>>,
) {
    let lock = db.hold_writers_lock().await;
    let fw = framework();
    let plugged = store.submit(Arc::clone(&fw), admin(), plug);
    let queued = async {
        // Time for the writer to take the plug alone and wait on the lock.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let submitted = commands
            .into_iter()
            .map(|command| store.submit(Arc::clone(&fw), admin(), command));
        // Each submission is queued on its first poll, in this order:
        // join_all polls a list of up to 30 futures in the order given.
        let all = futures_util::future::join_all(submitted);
        let release = async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            lock.release().await;
        };
        let (answers, ()) = tokio::join!(all, release);
        answers
    };
    tokio::join!(plugged, queued)
}

async fn role_of(store: &Store, person: PersonId) -> String {
    store
        .person(person)
        .await
        .expect("read")
        .expect("person")
        .role
        .to_string()
}

async fn role_changes(store: &Store) -> Vec<i64> {
    store
        .audit(None, 1000, None)
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == "person.role_changed")
        .map(|e| e.subject.id())
        .collect()
}

async fn assert_chain_intact(store: &Store) {
    let verified = store.verify_audit(&[]).await.expect("verifies");
    assert!(verified.is_intact(), "{:?}", verified.findings);
}

/// Installs, as someone with the database's credentials can, a check that
/// refuses a role-history row whose note is `note`: at once (`at_commit`
/// false) or only when the transaction commits.
async fn refuse_history_note(store: &Store, note: &str, at_commit: bool) {
    let sql = match (store.backend(), at_commit) {
        (Backend::Sqlite, false) => format!(
            "CREATE TRIGGER test_refuse BEFORE INSERT ON role_history WHEN NEW.note = '{note}' \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ),
        // A deferred foreign key is checked at commit.
        (Backend::Sqlite, true) => format!(
            "CREATE TABLE test_missing (id INTEGER PRIMARY KEY); \
             CREATE TABLE test_guard (id INTEGER PRIMARY KEY, \
               missing INTEGER REFERENCES test_missing (id) DEFERRABLE INITIALLY DEFERRED); \
             CREATE TRIGGER test_refuse AFTER INSERT ON role_history WHEN NEW.note = '{note}' \
             BEGIN INSERT INTO test_guard (missing) VALUES (42); END"
        ),
        (Backend::Postgres, at_commit) => format!(
            "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN IF NEW.note = '{note}' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
             RETURN NEW; END $$; {}",
            if at_commit {
                "CREATE CONSTRAINT TRIGGER test_refuse AFTER INSERT ON role_history \
                 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse()"
            } else {
                "CREATE TRIGGER test_refuse BEFORE INSERT ON role_history \
                 FOR EACH ROW EXECUTE FUNCTION test_refuse()"
            }
        ),
    };
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(store.pool())
        .await
        .expect("check installed");
}

both_backends! {
    async fn queued_commands_are_decided_in_order_and_a_refused_one_leaves_its_batch_mates(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        let bob = hire(&store, "Bob", "software-engineer", None).await;
        let cy = hire(&store, "Cy", "software-engineer", None).await;
        let before = store.write_batches();

        let (plug, answers) = queued_behind_a_lock(&db, &store, change_role(cy, "senior-software-engineer", None), vec![
            change_role(ada, "senior-software-engineer", None),
            // Allowed only once the change before it is seen.
            change_role(ada, "staff-engineer", Some("second step")),
            // No such transition: refused on its own.
            change_role(bob, "principal-software-engineer", None),
            change_role(bob, "senior-software-engineer", None),
        ]).await;

        plug.expect("the plug is written");
        let codes: Vec<&str> = answers.iter().map(|a| a.as_ref().map_or_else(StoreError::code, |_| "ok")).collect();
        assert_eq!(codes, ["ok", "ok", "no_such_transition", "ok"]);
        let written = store.write_batches();
        assert_eq!(written.commands - before.commands, 5);
        assert!(written.batches - before.batches <= 2, "{before:?} → {written:?}");

        assert_eq!(role_of(&store, ada).await, "staff-engineer");
        assert_eq!(role_of(&store, bob).await, "senior-software-engineer");
        assert_eq!(role_of(&store, cy).await, "senior-software-engineer");
        let mut changed = role_changes(&store).await;
        changed.sort_unstable();
        assert_eq!(changed, [ada.0, ada.0, bob.0, cy.0]);
        assert_chain_intact(&store).await;

        // What the database holds is what the org showed.
        let reopened = db.open().await;
        assert_eq!(role_of(&reopened, ada).await, "staff-engineer");
        assert_eq!(role_of(&reopened, bob).await, "senior-software-engineer");
        assert_eq!(reopened.history(ada).await.expect("history").len(), 3);
    }
}

both_backends! {
    async fn a_command_whose_writes_fail_is_answered_alone_and_its_batch_is_written_without_it(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        let bob = hire(&store, "Bob", "software-engineer", None).await;
        let cy = hire(&store, "Cy", "software-engineer", None).await;
        refuse_history_note(&store, "fail now", false).await;

        let (plug, answers) = queued_behind_a_lock(&db, &store, change_role(cy, "senior-software-engineer", None), vec![
            change_role(ada, "senior-software-engineer", None),
            // Its person's row is updated before the history insert fails.
            change_role(bob, "senior-software-engineer", Some("fail now")),
            change_role(ada, "staff-engineer", None),
        ]).await;

        plug.expect("the plug is written");
        let codes: Vec<&str> = answers.iter().map(|a| a.as_ref().map_or_else(StoreError::code, |_| "ok")).collect();
        assert_eq!(codes, ["ok", "internal", "ok"]);
        assert_eq!(role_of(&store, ada).await, "staff-engineer");
        assert_eq!(role_of(&store, bob).await, "software-engineer");
        let mut changed = role_changes(&store).await;
        changed.sort_unstable();
        assert_eq!(changed, [ada.0, ada.0, cy.0]);
        assert_chain_intact(&store).await;

        let reopened = db.open().await;
        assert_eq!(role_of(&reopened, bob).await, "software-engineer");
        assert_eq!(reopened.history(bob).await.expect("history").len(), 1);
        assert_eq!(role_of(&reopened, ada).await, "staff-engineer");
    }
}

both_backends! {
    async fn a_batch_that_cannot_commit_fails_every_command_in_it_and_changes_nothing(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        let bob = hire(&store, "Bob", "software-engineer", None).await;
        let cy = hire(&store, "Cy", "software-engineer", None).await;
        refuse_history_note(&store, "fail at commit", true).await;
        let events = store.audit(None, 1000, None).await.expect("audit").len();

        let (plug, answers) = queued_behind_a_lock(&db, &store, change_role(cy, "senior-software-engineer", None), vec![
            change_role(ada, "senior-software-engineer", None),
            change_role(ada, "staff-engineer", None),
            change_role(bob, "senior-software-engineer", Some("fail at commit")),
        ]).await;

        plug.expect("the plug is written");
        for answer in &answers {
            assert!(matches!(answer, Err(StoreError::Batch(_))), "{answer:?}");
        }
        assert_eq!(role_of(&store, ada).await, "software-engineer");
        assert_eq!(role_of(&store, bob).await, "software-engineer");
        assert_eq!(store.audit(None, 1000, None).await.expect("audit").len(), events + 1);
        assert_chain_intact(&store).await;

        // The queue goes on from the org as committed.
        let again = store.submit(framework(), admin(), change_role(ada, "senior-software-engineer", None)).await;
        assert!(again.is_ok(), "{again:?}");
        let reopened = db.open().await;
        assert_eq!(role_of(&reopened, ada).await, "senior-software-engineer");
        assert_eq!(role_of(&reopened, bob).await, "software-engineer");
        assert_eq!(reopened.history(ada).await.expect("history").len(), 2);
    }
}
