//! Concurrent writes over HTTP, on both backends: role changes sent at once
//! while another connection holds the writers' lock queue up and are
//! written in batches (group commit); every accepted one lands with exactly
//! one audit event, the refused ones in their batches change nothing, and
//! the audit chain verifies.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{TestServer, both_backends};

/// People moved at once, and people whose change is refused among them.
const MOVED: usize = 24;
const REFUSED: usize = 6;

async fn metric(server: &TestServer, name: &str) -> u64 {
    let text = server.get_text("/metrics").await;
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

both_backends! {
    async fn role_changes_sent_at_once_all_land_once_and_refused_ones_touch_nothing(server) {
        let mut moved = Vec::new();
        for n in 0..MOVED {
            moved.push(server.hire(&format!("Moved {n}"), "software-engineer", None).await);
        }
        let mut refused = Vec::new();
        for n in 0..REFUSED {
            refused.push(server.hire(&format!("Refused {n}"), "software-engineer", None).await);
        }
        let batches_before = metric(&server, "climb_write_batches_total").await;
        let commands_before = metric(&server, "climb_write_batch_commands_total").await;

        let lock = server.hold_writers_lock().await;
        // Refused ones interleaved with accepted ones: no transition from a
        // software engineer to principal.
        let requests = moved
            .iter()
            .map(|&id| (id, "senior-software-engineer"))
            .zip(refused.iter().map(|&id| (id, "principal-software-engineer")).chain(std::iter::repeat((0, ""))))
            .flat_map(|(a, b)| [a, b])
            .filter(|&(id, _)| id != 0)
            .map(|(id, to)| {
                let server = &server;
                async move {
                    let answer = server
                        .post(&server.admin, &format!("/api/v1/people/{id}/role-changes"), json!({"to_role": to}))
                        .await;
                    (id, answer)
                }
            });
        let all = futures_util::future::join_all(requests);
        let release = async {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            lock.release().await;
        };
        let (answers, ()) = tokio::join!(all, release);

        assert_eq!(answers.len(), MOVED + REFUSED);
        for (id, answer) in &answers {
            if moved.contains(id) {
                assert_eq!(answer.status, StatusCode::CREATED, "{id}: {}", answer.body);
                assert_eq!(answer.body["role"], "senior-software-engineer", "{}", answer.body);
            } else {
                assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{id}: {}", answer.body);
                assert_eq!(answer.code(), "no_such_transition");
            }
        }
        let batches = metric(&server, "climb_write_batches_total").await - batches_before;
        let commands = metric(&server, "climb_write_batch_commands_total").await - commands_before;
        assert_eq!(commands, (MOVED + REFUSED) as u64);
        assert!(batches < commands, "{batches} batches for {commands} commands");

        for &id in moved.iter().chain(&refused) {
            let person = server.get(&server.admin, &format!("/api/v1/people/{id}")).await;
            let events = server.get(&server.admin, &format!("/api/v1/audit?person={id}&limit=100")).await;
            let changed = events.body["events"]
                .as_array()
                .expect("events")
                .iter()
                .filter(|e| e["action"] == "person.role_changed")
                .count();
            if moved.contains(&id) {
                assert_eq!(person.body["role"], "senior-software-engineer");
                assert_eq!(changed, 1, "{}", events.body);
            } else {
                assert_eq!(person.body["role"], "software-engineer");
                assert_eq!(changed, 0, "{}", events.body);
            }
        }
        let verified = server.store.verify_audit(&[]).await.expect("verifies");
        assert!(verified.is_intact(), "{:?}", verified.findings);
    }
}
