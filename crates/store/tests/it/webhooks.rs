//! The webhook outbox: a change that is an event writes one delivery per
//! subscriber in its own transaction (alone, in a group-committed batch and
//! in the bulk import); a refused command writes none; claims by two stores
//! on one database never overlap; a replay repeats the event's id and body;
//! erasure reaches the bodies.

use std::collections::BTreeSet;
use std::sync::Arc;

use climb_people::{Command, Email, PersonId, Status};
use climb_store::{Attempt, DeliveryStatus, ImportPerson, Store};
use climb_webhooks::EventType;

use crate::harness::{admin, both_backends, day, fw, hire, role};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn change_role(person: PersonId, to: &str) -> Command {
    Command::ChangeRole {
        person,
        to_role: role(to),
        effective_date: day(2026, 1, 5),
        note: None,
        correction: false,
    }
}

async fn deliveries(store: &Store, subscription: i64) -> Vec<climb_store::Delivery> {
    store
        .webhook_deliveries(subscription, None, 10_000)
        .await
        .expect("reads")
        .expect("the subscription exists")
}

both_backends! {
    async fn a_change_writes_one_delivery_per_matching_subscription_and_a_refusal_none(db) {
        let store = db.open().await;
        let roles = store.create_webhook("http://127.0.0.1:9/a", SECRET, &[EventType::PersonRoleChanged]).await.expect("subscribes");
        let hires = store.create_webhook("http://127.0.0.1:9/b", SECRET, &[EventType::PersonHired]).await.expect("subscribes");
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        assert!(deliveries(&store, roles.id).await.is_empty());
        let hired = deliveries(&store, hires.id).await;
        assert_eq!(hired.len(), 1);
        assert_eq!(hired[0].event_type, "person.hired");
        assert!(hired[0].event_id.starts_with("msg_"));
        assert!(hired[0].payload.contains("\"type\":\"person.hired\""));

        // Refused: no transition from software engineer to VP.
        let refused = store.execute(fw(), admin(), change_role(ada, "vp-engineering")).await;
        assert!(refused.is_err());
        assert!(deliveries(&store, roles.id).await.is_empty());

        store.execute(fw(), admin(), change_role(ada, "senior-software-engineer")).await.expect("promoted");
        let changed = deliveries(&store, roles.id).await;
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].status, DeliveryStatus::Pending);
        assert_ne!(changed[0].event_id, hired[0].event_id);
        let body: serde_json::Value = serde_json::from_str(&changed[0].payload).expect("json");
        assert_eq!(body["data"]["to"], "senior-software-engineer");
        assert_eq!(body["data"]["person"], ada.0);
    }
}

both_backends! {
    async fn group_committed_batches_write_every_event(db) {
        let store = Arc::new(db.open().await);
        let sub = store.create_webhook("http://127.0.0.1:9/", SECRET, &[EventType::PersonHired]).await.expect("subscribes");
        let framework = Arc::new(fw().clone());
        let commands = (0..40).map(|i| Command::Hire {
            id: PersonId(0),
            name: format!("P{i}"),
            email: Email::parse(&format!("p{i}@example.com")).expect("email"),
            role: role("software-engineer"),
            manager: None,
            start_date: day(2026, 1, 5),
        });
        let answers = futures_util::future::join_all(
            commands.map(|c| store.submit(Arc::clone(&framework), admin(), c)),
        )
        .await;
        assert!(answers.iter().all(Result::is_ok));
        let found = deliveries(&store, sub.id).await;
        assert_eq!(found.len(), 40);
        let ids: BTreeSet<_> = found.iter().map(|d| d.event_id.clone()).collect();
        assert_eq!(ids.len(), 40, "every event has its own id");
    }
}

both_backends! {
    async fn an_import_writes_a_hire_event_per_new_person_per_subscriber(db) {
        let store = db.open().await;
        let one = store.create_webhook("http://127.0.0.1:9/1", SECRET, &[EventType::PersonHired]).await.expect("subscribes");
        let two = store.create_webhook("http://127.0.0.1:9/2", SECRET, &EventType::ALL).await.expect("subscribes");
        let rows: Vec<ImportPerson> = (0..300)
            .map(|i| ImportPerson {
                email: Email::parse(&format!("i{i}@example.com")).expect("email"),
                name: Some(format!("I {i}")),
                role: Some(role("software-engineer")),
                manager_email: None,
                start_date: Some(day(2024, 2, 1)),
                status: Some(Status::Active),
                end_date: None,
            })
            .collect();
        store.import_people(fw(), admin(), rows).await.expect("imports");
        for sub in [one.id, two.id] {
            let found = deliveries(&store, sub).await;
            assert_eq!(found.len(), 300);
            let ids: BTreeSet<_> = found.iter().map(|d| d.event_id.clone()).collect();
            assert_eq!(ids.len(), 300);
        }
        let same: BTreeSet<_> = deliveries(&store, one.id).await.into_iter().map(|d| d.event_id).collect();
        let other: BTreeSet<_> = deliveries(&store, two.id).await.into_iter().map(|d| d.event_id).collect();
        assert_eq!(same, other, "one event, one id, whoever receives it");
    }
}

both_backends! {
    async fn two_stores_claim_disjoint_deliveries_and_a_replay_repeats_the_event(db) {
        let one = Arc::new(db.open().await);
        let two = Arc::new(db.open().await);
        let sub = one.create_webhook("http://127.0.0.1:9/", SECRET, &[EventType::PersonHired]).await.expect("subscribes");
        for i in 0..60 {
            hire(&one, &format!("Person {i}"), "software-engineer", None).await;
        }
        let now = chrono::Utc::now().timestamp_millis() + 1;
        let mut claimed = BTreeSet::new();
        let mut rounds = 0;
        loop {
            let (a, b) = tokio::join!(
                one.claim_webhook_deliveries("one", now, 60_000, 7),
                two.claim_webhook_deliveries("two", now, 60_000, 7),
            );
            let (a, b) = (a.expect("claims"), b.expect("claims"));
            if a.is_empty() && b.is_empty() {
                break;
            }
            for c in a.iter().chain(&b) {
                assert!(claimed.insert(c.id), "delivery {} claimed twice", c.id);
            }
            rounds += 1;
            assert!(rounds < 100);
        }
        assert_eq!(claimed.len(), 60);

        // Outcomes: one delivered, one given up; a lost lease's outcome is dropped.
        let first = *claimed.first().expect("one");
        let last = *claimed.last().expect("one");
        let mut recorded = 0;
        for owner in ["one", "two"] {
            recorded += one.finish_webhook_deliveries(owner, now, &[
                (first, Attempt::Delivered { status: 204 }),
                (last, Attempt::Failed { status: Some(500), error: "HTTP 500".into() }),
            ]).await.expect("records");
        }
        assert_eq!(recorded, 1, "one delivery recorded as delivered, by its owner");
        let done = one.webhook_delivery(sub.id, first).await.expect("reads").expect("exists");
        assert_eq!((done.status, done.attempts, done.last_status), (DeliveryStatus::Delivered, 1, Some(204)));
        let failed = one.webhook_delivery(sub.id, last).await.expect("reads").expect("exists");
        assert_eq!(failed.status, DeliveryStatus::Failed);
        assert_eq!(failed.attempts, 1, "the other owner's outcome is dropped");

        let replay = one.replay_webhook_delivery(sub.id, last).await.expect("replays").expect("exists");
        assert_eq!(replay.event_id, failed.event_id);
        assert_eq!(replay.payload, failed.payload);
        assert_eq!((replay.status, replay.attempts, replay.replay_of), (DeliveryStatus::Pending, 0, Some(last)));
        assert!(one.replay_webhook_delivery(sub.id + 1, last).await.expect("runs").is_none());
        assert!(one.replay_webhook_delivery(sub.id, replay.id + 1000).await.expect("runs").is_none());

        // A crashed owner's lease is taken again once it runs out.
        let later = now + 60_001;
        let retaken = two.claim_webhook_deliveries("three", later, 1_000, 1_000).await.expect("claims");
        assert_eq!(retaken.len(), 59, "every pending delivery, the replay among them");
        assert!(one.delete_webhook(sub.id).await.expect("deletes"));
        assert!(one.webhook_deliveries(sub.id, None, 10).await.expect("reads").is_none());
        assert!(!one.delete_webhook(sub.id).await.expect("runs"));
    }
}

both_backends! {
    async fn erasure_reaches_the_hire_event_bodies(db) {
        let store = db.open().await;
        let sub = store.create_webhook("http://127.0.0.1:9/", SECRET, &[EventType::PersonHired]).await.expect("subscribes");
        let ada = hire(&store, "Ada Lovelace", "software-engineer", None).await;
        store.execute(fw(), admin(), Command::Leave { person: ada, date: day(2026, 2, 1) }).await.expect("leaves");
        store.execute(fw(), admin(), Command::Erase { person: ada }).await.expect("erased");
        let found = deliveries(&store, sub.id).await;
        assert_eq!(found.len(), 1);
        assert!(!found[0].payload.contains("Ada"), "{}", found[0].payload);
        assert!(!found[0].payload.contains("ada.lovelace"), "{}", found[0].payload);
    }
}
