//! The audit log's hash chain against an attacker with raw SQL access: each
//! kind of tampering is named at the event where it happened, on both
//! backends, and a checkpoint catches what a re-sealed chain hides.

use climb_people::Command;
use climb_store::{Backend, Checkpoint, Finding, Store, Tamper};

use crate::harness::{admin, both_backends, fw, hire, role};

/// Five events: three hires, a role change and a manager change.
async fn seeded(store: &Store) {
    let ada = hire(store, "Ada", "engineering-manager", None).await;
    let bob = hire(store, "Bob", "software-engineer", Some(ada)).await;
    let cy = hire(store, "Cy", "software-engineer", None).await;
    store
        .execute(
            fw(),
            admin(),
            Command::ChangeRole {
                person: bob,
                to_role: role("senior-software-engineer"),
                effective_date: crate::harness::day(2025, 1, 1),
                note: Some("ready".to_owned()),
                correction: false,
            },
        )
        .await
        .expect("promoted");
    store
        .execute(
            fw(),
            admin(),
            Command::SetManager {
                person: cy,
                manager: Some(ada),
            },
        )
        .await
        .expect("moved");
}

/// Lifts the append-only triggers, as someone with the database's
/// credentials can.
async fn drop_guards(store: &Store) {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete"
        }
        Backend::Postgres => "DROP TRIGGER audit_events_no_update_delete ON audit_events",
    };
    sqlx::raw_sql(sql)
        .execute(store.pool())
        .await
        .expect("triggers dropped");
}

async fn run(store: &Store, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(store.pool())
        .await
        .expect("tampered");
}

async fn first_finding(store: &Store, checkpoints: &[Checkpoint]) -> Finding {
    let verified = store.verify_audit(checkpoints).await.expect("verifies");
    verified.findings.first().cloned().expect("tampering found")
}

both_backends! {
    async fn an_untouched_log_verifies_and_names_its_head(db) {
        let store = db.open().await;
        seeded(&store).await;
        let verified = store.verify_audit(&[]).await.expect("verifies");
        assert!(verified.is_intact(), "{:?}", verified.findings);
        assert_eq!(verified.events, 5);
        let head = verified.head.expect("a head");
        assert_eq!(head.seq, 5);
        assert_eq!(Checkpoint::parse(&head.to_string()), Some(head.clone()));
        // Reopening (and so migrating again) changes nothing.
        drop(store);
        let store = db.open().await;
        assert!(store.verify_audit(&[head]).await.expect("verifies").is_intact());
    }
}

both_backends! {
    async fn an_edited_event_is_named(db) {
        let store = db.open().await;
        seeded(&store).await;
        drop_guards(&store).await;
        run(&store, "UPDATE audit_events SET change = REPLACE(change, 'ready', 'not ready') WHERE seq = 4").await;
        let found = first_finding(&store, &[]).await;
        assert_eq!((found.seq, found.tamper), (4, Tamper::Edited { part: "content" }));

        run(&store, "UPDATE audit_events SET actor = '\"system\"' WHERE seq = 2").await;
        let found = first_finding(&store, &[]).await;
        assert_eq!((found.seq, found.tamper.clone()), (2, Tamper::Edited { part: "fields" }));
        assert!(found.to_string().contains("event 2 was edited"), "{found}");
    }
}

both_backends! {
    async fn a_deleted_event_is_named_by_the_one_after_it(db) {
        let store = db.open().await;
        seeded(&store).await;
        drop_guards(&store).await;
        run(&store, "DELETE FROM audit_events WHERE seq = 3").await;
        let found = first_finding(&store, &[]).await;
        assert_eq!((found.seq, found.tamper.clone()), (4, Tamper::Deleted { now_after: Some(2) }));
        assert!(found.to_string().contains("between event 2 and event 4"), "{found}");
    }
}

both_backends! {
    async fn reordered_events_are_named(db) {
        let store = db.open().await;
        seeded(&store).await;
        drop_guards(&store).await;
        // Swap everything but the sequence numbers of events 2 and 3.
        let columns = "at, actor, action, subject_kind, subject_id, before, after, change, prev_digest, body_digest, digest";
        run(&store, &format!(
            "CREATE TABLE swap AS SELECT seq, {columns} FROM audit_events WHERE seq IN (2, 3)"
        )).await;
        for (target, source) in [(2, 3), (3, 2)] {
            let set = columns
                .split(", ")
                .map(|c| format!("{c} = (SELECT {c} FROM swap WHERE seq = {source})"))
                .collect::<Vec<_>>()
                .join(", ");
            run(&store, &format!("UPDATE audit_events SET {set} WHERE seq = {target}")).await;
        }
        let found = first_finding(&store, &[]).await;
        assert_eq!((found.seq, found.tamper), (2, Tamper::Reordered { chain_follows: 3 }));
    }
}

both_backends! {
    async fn an_event_inserted_out_of_band_is_named(db) {
        let store = db.open().await;
        seeded(&store).await;
        // No trigger stands in the way of an insert; the chain does.
        run(&store,
            "INSERT INTO audit_events (at, actor, action, subject_kind, subject_id, before, after, change) \
             SELECT at, actor, action, subject_kind, subject_id, before, after, change FROM audit_events WHERE seq = 4",
        ).await;
        let found = first_finding(&store, &[]).await;
        assert_eq!((found.seq, found.tamper), (6, Tamper::InsertedOutOfBand));

        // Copying a real event's seal does not help.
        drop_guards(&store).await;
        run(&store, "UPDATE audit_events SET prev_digest = (SELECT prev_digest FROM audit_events WHERE seq = 4), \
             body_digest = (SELECT body_digest FROM audit_events WHERE seq = 4), \
             digest = (SELECT digest FROM audit_events WHERE seq = 4) WHERE seq = 6").await;
        let found = first_finding(&store, &[]).await;
        assert_eq!((found.seq, found.tamper), (6, Tamper::InsertedOutOfBand));
        // Writes through climb go on sealing after the real head.
        hire(&store, "Dee", "software-engineer", None).await;
        let verified = store.verify_audit(&[]).await.expect("verifies");
        assert_eq!(verified.findings.iter().map(|f| f.seq).collect::<Vec<_>>(), [6]);
    }
}

both_backends! {
    async fn a_checkpoint_catches_deleted_newest_events(db) {
        let store = db.open().await;
        seeded(&store).await;
        let head = store.verify_audit(&[]).await.expect("verifies").head.expect("head");
        drop_guards(&store).await;
        run(&store, "DELETE FROM audit_events WHERE seq = 5").await;
        // Without the checkpoint the shortened chain looks whole.
        assert!(store.verify_audit(&[]).await.expect("verifies").is_intact());
        let found = first_finding(&store, &[head]).await;
        assert_eq!((found.seq, found.tamper), (5, Tamper::CheckpointMissing));
    }
}
