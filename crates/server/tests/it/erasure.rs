//! Erasure over HTTP: only an administrator erases, only a person who left,
//! and afterwards the review, proposal, goal and audit answers about them
//! carry no trace of what was written, while ratings and states stay.

use climb_people::ActorKind;
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

use crate::harness::both_backends;

/// Every competency `role` expects, at its level, each with `word` in the text.
fn competencies(role: &str, word: &str, evidence_only: bool) -> Value {
    let fw = climb_framework::builtin();
    let mut map = Map::new();
    for e in &fw.role(role).expect("role").expectations {
        let text = format!("{word} shown in {}", e.competency);
        let value = if evidence_only {
            json!(text)
        } else {
            json!({"level": e.level, "evidence": text})
        };
        map.insert(e.competency.to_string(), value);
    }
    Value::Object(map)
}

both_backends! {
    async fn an_erased_person_s_reviews_and_proposals_answer_without_their_text(server) {
        let vp = server.hire("Victor", "vp-engineering", None).await;
        let em = server.hire("Emma", "engineering-manager", Some(vp)).await;
        let bob = server.hire("Bob Erasable", "software-engineer", Some(em)).await;
        let hana = server.hire("Hana", "senior-software-engineer", None).await;
        let (vp_token, em_token, bob_token) = (
            server.token_for(vp, ActorKind::Employee).await,
            server.token_for(em, ActorKind::Employee).await,
            server.token_for(bob, ActorKind::Employee).await,
        );
        let hr_token = server.token_for(hana, ActorKind::Hr).await;

        let opened = server.post(&hr_token, "/api/v1/review-cycles", json!({
            "name": "2026 H1", "period_start": "2026-01-01", "period_end": "2026-06-30",
            "scope": {"kind": "below", "manager": em}
        })).await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        let mine = server.get(&bob_token, &format!("/api/v1/people/{bob}/reviews")).await;
        let review = mine.body["reviews"][0]["id"].as_i64().expect("review");
        let path = format!("/api/v1/reviews/{review}");
        let own = server.put(&bob_token, &format!("{path}/assessment"), json!({"competencies": competencies("software-engineer", "zephyr", false)})).await;
        assert_eq!(own.status, StatusCode::OK, "{}", own.body);
        let managers = server.put(&em_token, &format!("{path}/assessment"), json!({
            "competencies": competencies("software-engineer", "quartz", false), "rating": "exceeds_expectations"
        })).await;
        assert_eq!(managers.status, StatusCode::OK, "{}", managers.body);
        assert_eq!(server.post(&bob_token, &format!("{path}/sign"), json!({})).await.status, StatusCode::OK);
        assert_eq!(server.post(&em_token, &format!("{path}/sign"), json!({})).await.status, StatusCode::OK);
        let goal = server.post(&bob_token, &format!("/api/v1/people/{bob}/goals"), json!({"text": "marmalade design doc"})).await;
        assert_eq!(goal.status, StatusCode::CREATED, "{}", goal.body);
        let drafted = server.post(&em_token, &format!("/api/v1/people/{bob}/promotion-proposals"), json!({
            "to_role": "senior-software-engineer", "evidence": competencies("senior-software-engineer", "tangerine", true)
        })).await;
        assert_eq!(drafted.status, StatusCode::CREATED, "{}", drafted.body);
        let proposal = drafted.body["id"].as_i64().expect("proposal");
        let approved = server.post(&vp_token, &format!("/api/v1/promotion-proposals/{proposal}/approve"), json!({
            "comment": "obsidian case", "effective_date": "2026-07-01"
        })).await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);

        let erase = format!("/api/v1/people/{bob}/erase");
        let active = server.post(&server.admin, &erase, json!({})).await;
        assert_eq!(active.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", active.body);
        assert_eq!(active.code(), "still_active");
        let left = server.post(&server.admin, &format!("/api/v1/people/{bob}/leave"), json!({"date": "2026-08-31", "reason": "lagoon move"})).await;
        assert_eq!(left.status, StatusCode::OK, "{}", left.body);
        let by_hr = server.post(&hr_token, &erase, json!({})).await;
        assert_eq!(by_hr.status, StatusCode::FORBIDDEN, "{}", by_hr.body);
        let before = server.get(&server.admin, &path).await;
        assert!(before.body.to_string().contains("zephyr"), "nothing was erased yet");

        let erased = server.post(&server.admin, &erase, json!({})).await;
        assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
        assert_ne!(erased.body["name"], "Bob Erasable");
        assert_eq!(erased.body["status"], "left");
        assert_eq!(erased.body["role"], "senior-software-engineer");

        let answers = [
            server.get(&server.admin, &format!("/api/v1/people/{bob}")).await,
            server.get(&server.admin, &path).await,
            server.get(&server.admin, &format!("/api/v1/people/{bob}/reviews")).await,
            server.get(&server.admin, &format!("/api/v1/people/{bob}/growth-plan")).await,
            server.get(&server.admin, &format!("/api/v1/people/{bob}/promotion-proposals")).await,
            server.get(&server.admin, &format!("/api/v1/promotion-proposals/{proposal}")).await,
            server.get(&server.admin, &format!("/api/v1/audit?person={bob}")).await,
        ];
        for answer in &answers {
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            let text = answer.body.to_string().to_lowercase();
            for word in ["erasable", "zephyr", "quartz", "marmalade", "tangerine", "obsidian", "lagoon"] {
                assert!(!text.contains(word), "`{word}` is still served: {text}");
            }
        }
        let review = &answers[1].body;
        assert_eq!(review["rating"], before.body["rating"]);
        assert_eq!(review["state"], "signed");
        assert_eq!(answers[5].body["status"], "approved");
    }
}
