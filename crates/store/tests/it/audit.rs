//! The audit log: written with the change, never without it, append-only.

use climb_people::{Command, Subject};

use crate::harness::{admin, both_backends, code, day, fw, hire, role};

both_backends! {
    async fn every_change_is_audited_newest_first(db) {
        let store = db.open().await;
        let boss = hire(&store, "Boss", "engineering-manager", None).await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        store
            .execute(fw(), admin(), Command::SetManager { person: ada, manager: Some(boss) })
            .await
            .expect("manager");
        let events = store.audit(Some(ada), 10, None).await.expect("audit");
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["person.manager_changed", "person.hired"]);
        assert!(events.iter().all(|e| e.subject == Subject::Person(ada)));
        assert!(events[0].seq > events[1].seq);
        assert_eq!(events[0].actor, admin());
        assert_eq!(events[0].after["manager"], serde_json::json!(boss.0));

        let all = store.audit(None, 10, None).await.expect("audit");
        assert_eq!(all.len(), 3);
        let page = store.audit(None, 10, Some(all[0].seq)).await.expect("audit");
        assert_eq!(page.len(), 2);
        assert_eq!(store.audit(None, 1, None).await.expect("audit").len(), 1);
    }
}

both_backends! {
    async fn a_refused_command_writes_neither_change_nor_audit(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        let before = store.audit(None, 100, None).await.expect("audit").len();
        let result = store
            .execute(fw(), admin(), Command::ChangeRole {
                person: ada,
                to_role: role("cto"),
                effective_date: day(2025, 1, 1),
                note: None,
                correction: false,
            })
            .await;
        assert_eq!(code(result), "hire_only_role");
        assert_eq!(store.audit(None, 100, None).await.expect("audit").len(), before);
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM role_history")
            .fetch_one(store.pool())
            .await
            .expect("count");
        assert_eq!(rows, 1);
    }
}

both_backends! {
    async fn the_audit_log_refuses_updates_and_deletes(db) {
        let store = db.open().await;
        hire(&store, "Ada", "software-engineer", None).await;
        let update = sqlx::query("UPDATE audit_events SET action = 'tampered'")
            .execute(store.pool())
            .await;
        assert!(update.is_err(), "an update went through");
        let delete = sqlx::query("DELETE FROM audit_events").execute(store.pool()).await;
        assert!(delete.is_err(), "a delete went through");
        let events = store.audit(None, 10, None).await.expect("audit");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].action, "person.hired");
    }
}

both_backends! {
    async fn erasing_a_person_scrubs_their_details_from_the_audit_log(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada Lovelace", "software-engineer", None).await;
        store
            .execute(fw(), admin(), Command::Leave { person: ada, date: day(2025, 1, 31) })
            .await
            .expect("leave");
        store
            .execute(fw(), admin(), Command::Erase { person: ada })
            .await
            .expect("erase");
        let text: Vec<(Option<String>, Option<String>)> =
            sqlx::query_as("SELECT after, change FROM audit_events")
                .fetch_all(store.pool())
                .await
                .expect("rows");
        for (after, change) in text {
            let all = format!("{after:?} {change:?}").to_lowercase();
            assert!(!all.contains("lovelace"), "{all}");
        }
        let reopened = db.open().await;
        let person = reopened.person(ada).await.expect("reads").expect("kept");
        assert_ne!(person.name, "Ada Lovelace");
        assert_eq!(reopened.audit(Some(ada), 10, None).await.expect("audit").len(), 3);
    }
}

both_backends! {
    async fn the_audit_log_filters_by_actor_action_family_and_day(db) {
        let store = db.open().await;
        let boss = hire(&store, "Boss", "engineering-manager", None).await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        let hr = climb_people::Actor::hr(boss);
        store
            .execute(fw(), hr, Command::SetManager { person: ada, manager: Some(boss) })
            .await
            .expect("manager");
        let by_boss = climb_store::AuditFilter { actor: Some(boss), ..Default::default() };
        let events = store.audit_filtered(&by_boss, 10, None).await.expect("audit");
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["person.manager_changed"]);

        let family = climb_store::AuditFilter { action: Some("person".into()), ..Default::default() };
        assert_eq!(store.audit_filtered(&family, 10, None).await.expect("audit").len(), 3);
        let exact = climb_store::AuditFilter { action: Some("person.hired".into()), ..Default::default() };
        assert_eq!(store.audit_filtered(&exact, 10, None).await.expect("audit").len(), 2);
        let prefix_only = climb_store::AuditFilter { action: Some("pers".into()), ..Default::default() };
        assert!(store.audit_filtered(&prefix_only, 10, None).await.expect("audit").is_empty());

        let today = chrono::Utc::now().date_naive();
        let on_today = climb_store::AuditFilter { from: Some(today), to: Some(today), ..Default::default() };
        assert_eq!(store.audit_filtered(&on_today, 10, None).await.expect("audit").len(), 3);
        let tomorrow = today.succ_opt().expect("a day");
        let later = climb_store::AuditFilter { from: Some(tomorrow), ..Default::default() };
        assert!(store.audit_filtered(&later, 10, None).await.expect("audit").is_empty());
        let yesterday = today.pred_opt().expect("a day");
        let earlier = climb_store::AuditFilter { to: Some(yesterday), ..Default::default() };
        assert!(store.audit_filtered(&earlier, 10, None).await.expect("audit").is_empty());

        let about_ada_by_boss = climb_store::AuditFilter { person: Some(ada), actor: Some(boss), ..Default::default() };
        assert_eq!(store.audit_filtered(&about_ada_by_boss, 10, None).await.expect("audit").len(), 1);

        // Oldest first, paged past a sequence number in that order.
        let seqs = |events: Vec<climb_people::AuditEvent>| -> Vec<i64> { events.iter().map(|e| e.seq).collect() };
        let newest = seqs(store.audit_filtered(&family, 10, None).await.expect("audit"));
        let oldest_first = climb_store::AuditFilter { action: Some("person".into()), oldest_first: true, ..Default::default() };
        let oldest = seqs(store.audit_filtered(&oldest_first, 10, None).await.expect("audit"));
        assert_eq!(oldest, newest.iter().rev().copied().collect::<Vec<_>>());
        let first_page = seqs(store.audit_filtered(&oldest_first, 2, None).await.expect("audit"));
        assert_eq!(first_page, oldest[..2]);
        let second_page = seqs(store.audit_filtered(&oldest_first, 2, Some(first_page[1])).await.expect("audit"));
        assert_eq!(second_page, oldest[2..]);
        let newest_past = seqs(store.audit_filtered(&family, 10, Some(newest[0])).await.expect("audit"));
        assert_eq!(newest_past, newest[1..]);
    }
}
