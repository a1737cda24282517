//! Hiring, role changes, reporting lines and leaving, persisted.

use climb_people::{ChangeReason, Command, Email, PersonId, Status};

use crate::harness::{admin, both_backends, code, day, fw, hire, role};

both_backends! {
    async fn a_hire_is_persisted_and_survives_a_reopen(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada Lovelace", "software-engineer", None).await;
        let person = store.person(ada).await.expect("reads").expect("exists");
        assert_eq!(person.name, "Ada Lovelace");
        assert_eq!(person.role.as_str(), "software-engineer");
        assert_eq!(person.status, Status::Active);
        drop(store);
        let again = db.open().await;
        assert_eq!(again.person(ada).await.expect("reads"), Some(person));
        assert_eq!(again.history(ada).await.expect("reads").len(), 1);
    }
}

both_backends! {
    async fn a_promotion_along_a_transition_is_recorded(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        store
            .execute(fw(), admin(), Command::ChangeRole {
                person: ada,
                to_role: role("senior-software-engineer"),
                effective_date: day(2025, 1, 1),
                note: None,
                correction: false,
            })
            .await
            .expect("promotion");
        let history = store.history(ada).await.expect("history");
        assert_eq!(history.len(), 2);
        assert_eq!(history[1].reason, ChangeReason::Promotion);
        assert_eq!(history[1].to.as_str(), "senior-software-engineer");
    }
}

both_backends! {
    async fn a_role_change_without_a_transition_is_refused(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        let result = store
            .execute(fw(), admin(), Command::ChangeRole {
                person: ada,
                to_role: role("vp-engineering"),
                effective_date: day(2025, 1, 1),
                note: None,
                correction: false,
            })
            .await;
        assert_eq!(code(result), "no_such_transition");
        assert_eq!(store.history(ada).await.expect("history").len(), 1);
    }
}

both_backends! {
    async fn a_move_into_a_hire_only_role_is_refused(db) {
        let store = db.open().await;
        let vp = hire(&store, "Vera", "vp-engineering", None).await;
        let result = store
            .execute(fw(), admin(), Command::ChangeRole {
                person: vp,
                to_role: role("cto"),
                effective_date: day(2025, 1, 1),
                note: Some("board decision".into()),
                correction: true,
            })
            .await;
        assert_eq!(code(result), "hire_only_role");
    }
}

both_backends! {
    async fn a_correction_is_marked_in_the_history_and_the_table(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        store
            .execute(fw(), admin(), Command::ChangeRole {
                person: ada,
                to_role: role("staff-engineer"),
                effective_date: day(2025, 2, 1),
                note: Some("was mis-levelled".into()),
                correction: true,
            })
            .await
            .expect("correction");
        let reopened = db.open().await;
        let history = reopened.history(ada).await.expect("history");
        assert_eq!(history[1].reason, ChangeReason::Correction);
        assert_eq!(history[1].note.as_deref(), Some("was mis-levelled"));
        let flagged: i64 = sqlx::query_scalar("SELECT correction FROM role_history WHERE to_role = 'staff-engineer'")
            .fetch_one(reopened.pool())
            .await
            .expect("query");
        assert_eq!(flagged, 1);
    }
}

both_backends! {
    async fn a_manager_is_set_and_refused_when_their_role_has_no_reports(db) {
        let store = db.open().await;
        let boss = hire(&store, "Boss", "engineering-manager", None).await;
        let ic = hire(&store, "Ivy", "senior-software-engineer", None).await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        store
            .execute(fw(), admin(), Command::SetManager { person: ada, manager: Some(boss) })
            .await
            .expect("set manager");
        assert_eq!(store.org().await.expect("org").reports(boss), vec![ada]);
        let result = store
            .execute(fw(), admin(), Command::SetManager { person: ada, manager: Some(ic) })
            .await;
        assert_eq!(code(result), "manager_cannot_have_reports");
        let reopened = db.open().await;
        assert_eq!(reopened.person(ada).await.expect("reads").and_then(|p| p.manager), Some(boss));
    }
}

both_backends! {
    async fn a_reporting_cycle_is_refused(db) {
        let store = db.open().await;
        let vp = hire(&store, "Vera", "vp-engineering", None).await;
        let em = hire(&store, "Emma", "engineering-manager", Some(vp)).await;
        let result = store
            .execute(fw(), admin(), Command::SetManager { person: vp, manager: Some(em) })
            .await;
        assert_eq!(code(result), "reporting_cycle");
    }
}

both_backends! {
    async fn leaving_needs_reports_reassigned_and_ends_designations(db) {
        let store = db.open().await;
        let boss = hire(&store, "Boss", "engineering-manager", None).await;
        let ada = hire(&store, "Ada", "senior-software-engineer", Some(boss)).await;
        let result = store
            .execute(fw(), admin(), Command::Leave { person: boss, date: day(2025, 3, 1) })
            .await;
        assert_eq!(code(result), "has_reports");

        let apollo = crate::harness::project(&store, "Apollo").await;
        store
            .execute(fw(), admin(), Command::AssignDesignation {
                project: apollo,
                person: ada,
                designation: climb_framework::DesignationId::parse("team-lead").expect("id"),
                start_date: day(2025, 1, 1),
            })
            .await
            .expect("designation");
        store
            .execute(fw(), admin(), Command::Leave { person: ada, date: day(2025, 3, 1) })
            .await
            .expect("leave");
        let reopened = db.open().await;
        let org = reopened.org().await.expect("org");
        let person = org.person(ada).expect("kept");
        assert_eq!(person.status, Status::Left);
        assert_eq!(person.end_date, Some(day(2025, 3, 1)));
        assert_eq!(org.designations_of(ada).count(), 0);
        drop(org);
        let ended: Option<String> = sqlx::query_scalar("SELECT end_date FROM designations WHERE person_id = $1")
            .bind(ada.0)
            .fetch_one(reopened.pool())
            .await
            .expect("query");
        assert_eq!(ended.as_deref(), Some("2025-03-01"));
    }
}

both_backends! {
    async fn a_second_person_with_the_same_email_is_refused(db) {
        let store = db.open().await;
        hire(&store, "Ada", "software-engineer", None).await;
        let result = store
            .execute(fw(), admin(), Command::Hire {
                id: PersonId(0),
                name: "Other Ada".into(),
                email: Email::parse("ADA@example.com").expect("email"),
                role: role("software-engineer"),
                manager: None,
                start_date: day(2024, 1, 1),
            })
            .await;
        assert_eq!(code(result), "email_taken");
    }
}

both_backends! {
    async fn the_database_itself_refuses_a_duplicate_email(db) {
        let store = db.open().await;
        hire(&store, "Ada", "software-engineer", None).await;
        let error = sqlx::query(
            "INSERT INTO people (id, name, email, status, role) VALUES (99, 'X', 'ada@example.com', 'active', 'cto')",
        )
        .execute(store.pool())
        .await
        .expect_err("unique email");
        let sqlx::Error::Database(db_error) = error else { panic!("not a database error") };
        assert!(db_error.is_unique_violation());
    }
}

both_backends! {
    async fn history_is_kept_in_date_order(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        for (to, date) in [
            ("senior-software-engineer", day(2024, 6, 1)),
            ("staff-engineer", day(2025, 6, 1)),
            ("architect", day(2026, 1, 1)),
        ] {
            store
                .execute(fw(), admin(), Command::ChangeRole {
                    person: ada,
                    to_role: role(to),
                    effective_date: date,
                    note: None,
                    correction: false,
                })
                .await
                .expect("role change");
        }
        let reopened = db.open().await;
        let history = reopened.history(ada).await.expect("history");
        let roles: Vec<&str> = history.iter().map(|h| h.to.as_str()).collect();
        assert_eq!(roles, ["software-engineer", "senior-software-engineer", "staff-engineer", "architect"]);
        assert!(history.windows(2).all(|w| w[0].effective_date <= w[1].effective_date));
        assert_eq!(history[3].reason, ChangeReason::Lateral);
    }
}

#[tokio::test]
async fn an_in_memory_database_works_for_tests() {
    let store = climb_store::Store::open("sqlite::memory:")
        .await
        .expect("opens");
    let ada = hire(&store, "Ada", "software-engineer", None).await;
    assert!(store.person(ada).await.expect("reads").is_some());
}

#[tokio::test]
async fn an_unknown_url_scheme_is_refused() {
    let result = climb_store::Store::open("mysql://localhost/climb").await;
    assert_eq!(code(result.map(|_| ())), "unsupported_url");
}

#[tokio::test]
async fn a_sqlite_database_uses_wal_and_foreign_keys() {
    let db = crate::harness::TestDb::sqlite();
    let store = db.open().await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .expect("pragma");
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .expect("pragma");
    assert_eq!(fk, 1);
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(store.pool())
        .await
        .expect("pragma");
    assert_eq!(sync, 2, "FULL");
}
