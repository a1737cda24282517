//! Reviews, calibration, growth plans and promotion proposals over HTTP: the
//! full review cycle signed by both sides, the calibration view, goals, and
//! a proposal approved by the manager's manager that changes the role with
//! the proposal linked in the history.

use climb_people::ActorKind;
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

use crate::harness::{TestServer, both_backends};

/// Every competency the role expects, at its level minus `below`.
fn levels(role: &str, below: u32) -> Value {
    let fw = climb_framework::builtin();
    let mut map = Map::new();
    for e in &fw.role(role).expect("role").expectations {
        map.insert(
            e.competency.to_string(),
            json!({"level": e.level.saturating_sub(below).max(1), "evidence": format!("shipped work showing {}", e.competency)}),
        );
    }
    Value::Object(map)
}

fn evidence(role: &str) -> Value {
    let fw = climb_framework::builtin();
    let mut map = Map::new();
    for e in &fw.role(role).expect("role").expectations {
        map.insert(
            e.competency.to_string(),
            json!(format!("led work showing {}", e.competency)),
        );
    }
    Value::Object(map)
}

struct People {
    vp: i64,
    em: i64,
    bob: i64,
    hana: i64,
    vp_token: String,
    em_token: String,
    bob_token: String,
    hr_token: String,
    alice_token: String,
}

/// vp <- em <- bob, alice; Hana in HR.
async fn people(server: &TestServer) -> People {
    let vp = server.hire("Victor", "vp-engineering", None).await;
    let em = server.hire("Emma", "engineering-manager", Some(vp)).await;
    let bob = server.hire("Bob", "software-engineer", Some(em)).await;
    let alice = server
        .hire("Alice", "senior-software-engineer", Some(em))
        .await;
    let hana = server.hire("Hana", "senior-software-engineer", None).await;
    People {
        vp,
        em,
        bob,
        hana,
        vp_token: server.token_for(vp, ActorKind::Employee).await,
        em_token: server.token_for(em, ActorKind::Employee).await,
        bob_token: server.token_for(bob, ActorKind::Employee).await,
        hr_token: server.token_for(hana, ActorKind::Hr).await,
        alice_token: server.token_for(alice, ActorKind::Employee).await,
    }
}

both_backends! {
    async fn a_review_is_completed_signed_by_both_and_then_read_only(server) {
        let p = people(&server).await;
        let refused = server.post(&p.em_token, "/api/v1/review-cycles", json!({
            "name": "2026 H1", "period_start": "2026-01-01", "period_end": "2026-06-30", "scope": {"kind": "everyone"}
        })).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let opened = server.post(&p.hr_token, "/api/v1/review-cycles", json!({
            "name": "2026 H1", "period_start": "2026-01-01", "period_end": "2026-06-30",
            "scope": {"kind": "below", "manager": p.vp}
        })).await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        assert_eq!(opened.body["reviews"], 3);
        let cycle = opened.body["cycle"]["id"].as_i64().expect("cycle");

        let mine = server.get(&p.bob_token, &format!("/api/v1/people/{}/reviews", p.bob)).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        let review = mine.body["reviews"][0]["id"].as_i64().expect("review");
        assert_eq!(mine.body["reviews"][0]["state"], "draft");
        let path = format!("/api/v1/reviews/{review}");

        let own = server.put(&p.bob_token, &format!("{path}/assessment"), json!({"competencies": levels("software-engineer", 0)})).await;
        assert_eq!(own.status, StatusCode::OK, "{}", own.body);
        let rating_by_self = server.put(&p.bob_token, &format!("{path}/assessment"), json!({"rating": "outstanding"})).await;
        assert_eq!(rating_by_self.status, StatusCode::FORBIDDEN);
        let bad_level = server.put(&p.em_token, &format!("{path}/assessment"), json!({"competencies": {"delivery": {"level": 99, "evidence": "x"}}})).await;
        assert_eq!(bad_level.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_level.code(), "level_out_of_range");
        let stranger = server.put(&p.alice_token, &format!("{path}/assessment"), json!({"rating": "outstanding"})).await;
        assert_eq!(stranger.status, StatusCode::FORBIDDEN, "{}", stranger.body);
        let unknown_field = server.put(&p.em_token, &format!("{path}/assessment"), json!({"grade": 3})).await;
        assert_eq!(unknown_field.status, StatusCode::BAD_REQUEST);

        let early = server.post(&p.em_token, &format!("{path}/sign"), json!({})).await;
        assert_eq!(early.code(), "incomplete_assessment");
        let manager = server.put(&p.em_token, &format!("{path}/assessment"), json!({
            "competencies": levels("software-engineer", 1), "rating": "meets_expectations"
        })).await;
        assert_eq!(manager.status, StatusCode::OK, "{}", manager.body);
        assert_eq!(manager.body["rating"], "meets_expectations");
        // The manager's saved draft is theirs until they sign it.
        let own_reviews = format!("/api/v1/people/{}/reviews", p.bob);
        let drafts = [server.get(&p.bob_token, &path).await.body, server.get(&p.bob_token, &own_reviews).await.body["reviews"][0].clone()];
        for draft in drafts {
            assert_eq!(draft["rating"], Value::Null, "{draft}");
            assert_eq!(draft["manager_assessment"]["competencies"], json!({}), "{draft}");
            assert_eq!(draft["manager_assessment"]["author"], Value::Null, "{draft}");
        }
        assert_eq!(server.get(&p.vp_token, &path).await.body["rating"], "meets_expectations", "the chain sees it");
        assert_eq!(server.post(&p.bob_token, &format!("{path}/sign"), json!({})).await.status, StatusCode::OK);
        let signed = server.post(&p.em_token, &format!("{path}/sign"), json!({})).await;
        assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
        assert_eq!(signed.body["state"], "signed");
        assert_eq!(signed.body["editable"], false);

        let after = server.put(&p.em_token, &format!("{path}/assessment"), json!({"rating": "outstanding"})).await;
        assert_eq!(after.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(after.code(), "review_signed");
        let read = server.get(&p.vp_token, &path).await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(read.body, signed.body, "nothing changed after signing");
        assert_eq!(server.get(&p.bob_token, &path).await.body["rating"], "meets_expectations", "signed: the person sees it");
        assert_eq!(server.get(&p.alice_token, &path).await.status, StatusCode::FORBIDDEN);

        // Calibration: HR for the cycle, the VP (who manages a manager) below them.
        let calibration = server.get(&p.hr_token, &format!("/api/v1/review-cycles/{cycle}/calibration")).await;
        assert_eq!(calibration.status, StatusCode::OK, "{}", calibration.body);
        assert_eq!(calibration.body["calibration"]["total"]["rated"], 1);
        assert_eq!(calibration.body["calibration"]["roles"][0]["role"], "software-engineer");
        assert_eq!(calibration.body["calibration"]["roles"][0]["ratings"]["counts"], json!([0, 0, 1, 0, 0]));
        let vp_view = server.get(&p.vp_token, &format!("/api/v1/review-cycles/{cycle}/calibration?under={}", p.vp)).await;
        assert_eq!(vp_view.status, StatusCode::OK, "{}", vp_view.body);
        let em_view = server.get(&p.em_token, &format!("/api/v1/review-cycles/{cycle}/calibration?under={}", p.em)).await;
        assert_eq!(em_view.status, StatusCode::FORBIDDEN);
        let vp_whole = server.get(&p.vp_token, &format!("/api/v1/review-cycles/{cycle}/calibration")).await;
        assert_eq!(vp_whole.status, StatusCode::FORBIDDEN);

        // The growth plan measures gaps against the signed manager assessment.
        let plan = server.get(&p.bob_token, &format!("/api/v1/people/{}/growth-plan", p.bob)).await;
        assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
        assert_eq!(plan.body["plan"]["based_on"], review);
        let step = &plan.body["plan"]["steps"][0];
        assert_eq!(step["to"], "senior-software-engineer");
        assert!(step["gaps"].as_array().expect("gaps").iter().all(|g| g["gap"].as_u64().is_some_and(|n| n >= 1)));

        let closed = server.post(&p.hr_token, &format!("/api/v1/review-cycles/{cycle}/close"), json!({})).await;
        assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
        assert_eq!(closed.body["status"], "closed");
        let list = server.get(&p.bob_token, "/api/v1/review-cycles").await;
        assert_eq!(list.body["cycles"][0]["status"], "closed");
    }
}

both_backends! {
    async fn goals_are_added_by_the_person_or_their_manager_and_marked_done(server) {
        let p = people(&server).await;
        let path = format!("/api/v1/people/{}/goals", p.bob);
        let added = server.post(&p.bob_token, &path, json!({"text": "Lead the next design review", "competency": "leadership", "target_date": "2026-09-30"})).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        let goal = added.body["id"].as_i64().expect("goal");
        assert_eq!(server.post(&p.alice_token, &path, json!({"text": "x"})).await.status, StatusCode::FORBIDDEN);
        let blank = server.post(&p.em_token, &path, json!({"text": "  "})).await;
        assert_eq!(blank.code(), "invalid_goal");
        let done = server.post(&p.em_token, &format!("{path}/{goal}/done"), json!({})).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(done.body["done_on"].is_string());
        let plan = server.get(&p.em_token, &format!("/api/v1/people/{}/growth-plan", p.bob)).await;
        assert_eq!(plan.body["goals"][0]["id"], goal);
        assert_eq!(plan.body["plan"]["based_on"], Value::Null);
        assert!(plan.body["plan"]["steps"][0]["gaps"][0]["assessed"].is_null());
        assert_eq!(server.get(&p.alice_token, &format!("/api/v1/people/{}/growth-plan", p.bob)).await.status, StatusCode::FORBIDDEN);
    }
}

both_backends! {
    async fn hr_neither_proposes_nor_decides_their_own_promotion_nor_one_they_drafted(server) {
        let p = people(&server).await;
        let staff = || json!({"to_role": "staff-engineer", "evidence": evidence("staff-engineer")});
        let own_path = format!("/api/v1/people/{}/promotion-proposals", p.hana);
        let own = server.post(&p.hr_token, &own_path, staff()).await;
        assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.body);
        let managed = server.put(&server.admin, &format!("/api/v1/people/{}/manager", p.hana), json!({"manager": p.em})).await;
        assert_eq!(managed.status, StatusCode::OK, "{}", managed.body);
        let about_hana = server.post(&p.em_token, &own_path, staff()).await;
        assert_eq!(about_hana.status, StatusCode::CREATED, "{}", about_hana.body);
        let id = about_hana.body["id"].as_i64().expect("proposal");
        let decide = server.post(&p.hr_token, &format!("/api/v1/promotion-proposals/{id}/approve"), json!({})).await;
        assert_eq!(decide.status, StatusCode::FORBIDDEN, "{}", decide.body);

        let bobs = format!("/api/v1/people/{}/promotion-proposals", p.bob);
        let drafted = server.post(&p.hr_token, &bobs, json!({"to_role": "senior-software-engineer", "evidence": evidence("senior-software-engineer")})).await;
        assert_eq!(drafted.status, StatusCode::CREATED, "{}", drafted.body);
        let bob_id = drafted.body["id"].as_i64().expect("proposal");
        let mine = server.post(&p.hr_token, &format!("/api/v1/promotion-proposals/{bob_id}/approve"), json!({})).await;
        assert_eq!(mine.status, StatusCode::FORBIDDEN, "{}", mine.body);

        let direct = server.post(&p.hr_token, &format!("/api/v1/people/{}/role-changes", p.hana), json!({"to_role": "staff-engineer"})).await;
        assert_eq!(direct.status, StatusCode::FORBIDDEN, "{}", direct.body);
        let hana = server.get(&server.admin, &format!("/api/v1/people/{}", p.hana)).await;
        assert_eq!(hana.body["role"], "senior-software-engineer", "nothing changed");
        // Another decider (an administrator) still can.
        let approved = server.post(&server.admin, &format!("/api/v1/promotion-proposals/{id}/approve"), json!({})).await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    }
}

both_backends! {
    async fn an_approved_proposal_changes_the_role_and_the_history_links_it(server) {
        let p = people(&server).await;
        let path = format!("/api/v1/people/{}/promotion-proposals", p.bob);
        let skip = server.post(&p.em_token, &path, json!({"to_role": "staff-engineer", "evidence": evidence("staff-engineer")})).await;
        assert_eq!(skip.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(skip.code(), "no_such_transition");
        let cto = server.post(&p.em_token, &path, json!({"to_role": "cto", "evidence": {}})).await;
        assert_eq!(cto.code(), "hire_only_role");
        let by_peer = server.post(&p.alice_token, &path, json!({"to_role": "senior-software-engineer", "evidence": evidence("senior-software-engineer")})).await;
        assert_eq!(by_peer.status, StatusCode::FORBIDDEN);
        let drafted = server.post(&p.em_token, &path, json!({"to_role": "senior-software-engineer", "evidence": evidence("senior-software-engineer")})).await;
        assert_eq!(drafted.status, StatusCode::CREATED, "{}", drafted.body);
        let id = drafted.body["id"].as_i64().expect("proposal");
        assert_eq!(drafted.body["status"], "pending");

        let own = server.post(&p.em_token, &format!("/api/v1/promotion-proposals/{id}/approve"), json!({})).await;
        assert_eq!(own.status, StatusCode::FORBIDDEN, "the proposer does not approve their own");
        let approved = server.post(&p.vp_token, &format!("/api/v1/promotion-proposals/{id}/approve"), json!({"comment": "ready", "effective_date": "2026-07-01"})).await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
        assert_eq!(approved.body["status"], "approved");
        assert_eq!(approved.body["decided_by"], p.vp);

        let person = server.get(&server.admin, &format!("/api/v1/people/{}", p.bob)).await;
        assert_eq!(person.body["role"], "senior-software-engineer");
        let last = person.body["history"].as_array().expect("history").last().cloned().expect("entry");
        assert_eq!(last["reason"], "promotion");
        assert_eq!(last["proposal"], id);
        let again = server.post(&p.vp_token, &format!("/api/v1/promotion-proposals/{id}/reject"), json!({"comment": "no"})).await;
        assert_eq!(again.code(), "proposal_decided");
        assert_eq!(server.get(&p.bob_token, &format!("/api/v1/promotion-proposals/{id}")).await.status, StatusCode::OK);
        assert_eq!(server.get(&p.alice_token, &format!("/api/v1/promotion-proposals/{id}")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(server.get(&p.alice_token, "/api/v1/promotion-proposals/999").await.status, StatusCode::NOT_FOUND);
        let audit = server.get(&server.admin, &format!("/api/v1/audit?person={}", p.bob)).await;
        let actions: Vec<&str> = audit.body["events"].as_array().expect("events").iter().filter_map(|e| e["action"].as_str()).collect();
        assert!(actions.contains(&"promotion.approved") && actions.contains(&"person.role_changed"), "{actions:?}");
        let _ = p.em;
    }
}

both_backends! {
    async fn a_cycle_held_for_calibration_shows_the_managers_side_only_once_hr_releases_it(server) {
        let p = people(&server).await;
        let opened = server.post(&p.hr_token, "/api/v1/review-cycles", json!({
            "name": "2026 H2", "period_start": "2026-07-01", "period_end": "2026-12-31",
            "scope": {"kind": "below", "manager": p.vp}, "hold_until_released": true
        })).await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        assert_eq!(opened.body["cycle"]["hold_until_released"], true);
        let cycle = opened.body["cycle"]["id"].as_i64().expect("cycle");
        let mine = server.get(&p.bob_token, &format!("/api/v1/people/{}/reviews", p.bob)).await;
        let review = mine.body["reviews"][0]["id"].as_i64().expect("review");
        let path = format!("/api/v1/reviews/{review}");
        let own = server.put(&p.bob_token, &format!("{path}/assessment"), json!({"competencies": levels("software-engineer", 0)})).await;
        assert_eq!(own.status, StatusCode::OK, "{}", own.body);
        let manager = server.put(&p.em_token, &format!("{path}/assessment"), json!({
            "competencies": levels("software-engineer", 1), "rating": "meets_expectations"
        })).await;
        assert_eq!(manager.status, StatusCode::OK, "{}", manager.body);
        assert_eq!(server.post(&p.em_token, &format!("{path}/sign"), json!({})).await.status, StatusCode::OK);
        assert_eq!(server.post(&p.bob_token, &format!("{path}/sign"), json!({})).await.status, StatusCode::OK);

        // Signed by both, but held: Bob reads neither the levels nor the
        // rating, in the review, the list or his growth plan; his manager does.
        let hidden = [
            server.get(&p.bob_token, &path).await.body,
            server.get(&p.bob_token, &format!("/api/v1/people/{}/reviews", p.bob)).await.body["reviews"][0].clone(),
        ];
        for seen in hidden {
            assert_eq!(seen["rating"], Value::Null, "{seen}");
            assert_eq!(seen["manager_assessment"]["competencies"], json!({}), "{seen}");
        }
        let plan = server.get(&p.bob_token, &format!("/api/v1/people/{}/growth-plan", p.bob)).await;
        assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
        assert_eq!(plan.body["plan"]["based_on"], Value::Null, "a held review is not the latest assessment: {}", plan.body);
        assert_eq!(server.get(&p.em_token, &path).await.body["rating"], "meets_expectations");

        // Only HR releases, once; a cycle that holds nothing has nothing to release.
        let release = format!("/api/v1/review-cycles/{cycle}/release");
        assert_eq!(server.post(&p.em_token, &release, json!({})).await.status, StatusCode::FORBIDDEN);
        assert_eq!(server.post(&p.bob_token, &release, json!({})).await.status, StatusCode::FORBIDDEN);
        let released = server.post(&p.hr_token, &release, json!({})).await;
        assert_eq!(released.status, StatusCode::OK, "{}", released.body);
        assert!(released.body["released_on"].is_string(), "{}", released.body);
        let again = server.post(&p.hr_token, &release, json!({})).await;
        assert_eq!(again.code(), "cycle_already_released");
        assert_eq!(server.get(&p.bob_token, &path).await.body["rating"], "meets_expectations");
        let plan = server.get(&p.bob_token, &format!("/api/v1/people/{}/growth-plan", p.bob)).await;
        assert_eq!(plan.body["plan"]["based_on"], review, "{}", plan.body);
        let audit = server.get(&server.admin, "/api/v1/audit").await;
        assert!(audit.body.to_string().contains("review_cycle.released"), "{}", audit.body);

        let plain = server.post(&p.hr_token, "/api/v1/review-cycles", json!({
            "name": "2027 H1", "period_start": "2027-01-01", "period_end": "2027-06-30",
            "scope": {"kind": "below", "manager": p.vp}
        })).await;
        assert_eq!(plain.body["cycle"]["hold_until_released"], false);
        let plain = plain.body["cycle"]["id"].as_i64().expect("cycle");
        let nothing = server.post(&p.hr_token, &format!("/api/v1/review-cycles/{plain}/release"), json!({})).await;
        assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(nothing.code(), "cycle_not_held");
    }
}
