//! Bulk import and export: managers after reports, blanks mean no change,
//! the round trip, and the speed of a large import.

use std::time::Instant;

use climb_people::{Email, Status};
use climb_store::{ImportPerson, ImportSummary};

use crate::harness::{admin, both_backends, code, day, fw, role};

fn row(email: &str, name: &str, role_id: &str, manager: Option<&str>) -> ImportPerson {
    ImportPerson {
        email: Email::parse(email).expect("email"),
        name: Some(name.to_owned()),
        role: Some(role(role_id)),
        manager_email: manager.map(|m| Email::parse(m).expect("email")),
        start_date: Some(day(2023, 5, 1)),
        status: Some(Status::Active),
        end_date: None,
    }
}

fn blank(email: &str) -> ImportPerson {
    ImportPerson {
        email: Email::parse(email).expect("email"),
        name: None,
        role: None,
        manager_email: None,
        start_date: None,
        status: None,
        end_date: None,
    }
}

both_backends! {
    async fn an_import_with_managers_after_reports_round_trips_through_export(db) {
        let store = db.open().await;
        let rows = vec![
            row("ada@example.com", "Ada", "senior-software-engineer", Some("emma@example.com")),
            row("bob@example.com", "Bob", "software-engineer", Some("emma@example.com")),
            row("emma@example.com", "Emma", "engineering-manager", Some("vera@example.com")),
            row("vera@example.com", "Vera", "vp-engineering", None),
        ];
        let summary = store.import_people(fw(), admin(), rows).await.expect("import");
        assert_eq!(summary, ImportSummary { created: 4, updated: 0, unchanged: 0 });

        let reopened = db.open().await;
        let exported = reopened.export_people().await.expect("export");
        let flat: Vec<(&str, &str, &str, Option<&str>)> = exported
            .iter()
            .map(|p| (p.email.as_str(), p.name.as_str(), p.role.as_str(), p.manager_email.as_deref()))
            .collect();
        assert_eq!(flat, vec![
            ("ada@example.com", "Ada", "senior-software-engineer", Some("emma@example.com")),
            ("bob@example.com", "Bob", "software-engineer", Some("emma@example.com")),
            ("emma@example.com", "Emma", "engineering-manager", Some("vera@example.com")),
            ("vera@example.com", "Vera", "vp-engineering", None),
        ]);
        assert!(exported.iter().all(|p| p.start_date == day(2023, 5, 1) && p.status == Status::Active));
        let org = reopened.org().await.expect("org");
        let vera = exported[3].id;
        assert_eq!(org.index().headcount_below(vera), Some(3));
        drop(org);
        let events = reopened.audit(None, 10, None).await.expect("audit");
        assert_eq!(events.len(), 4);
        assert_eq!(events[0].action, "person.hired");
        assert_eq!(events[0].after["person"]["email"], "vera@example.com");

        // Re-importing the export changes nothing.
        let again: Vec<ImportPerson> = exported
            .iter()
            .map(|p| row(&p.email, &p.name, &p.role, p.manager_email.as_deref()))
            .collect();
        let summary = reopened.import_people(fw(), admin(), again).await.expect("re-import");
        assert_eq!(summary, ImportSummary { created: 0, updated: 0, unchanged: 4 });
    }
}

both_backends! {
    async fn blank_cells_change_nothing_and_filled_ones_are_applied(db) {
        let store = db.open().await;
        store
            .import_people(fw(), admin(), vec![
                row("emma@example.com", "Emma", "engineering-manager", None),
                row("ada@example.com", "Ada", "software-engineer", Some("emma@example.com")),
            ])
            .await
            .expect("import");
        let mut changed = blank("ada@example.com");
        changed.role = Some(role("senior-software-engineer"));
        changed.name = Some("Ada L.".into());
        let summary = store
            .import_people(fw(), admin(), vec![blank("emma@example.com"), changed])
            .await
            .expect("re-import");
        assert_eq!(summary, ImportSummary { created: 0, updated: 1, unchanged: 1 });
        let exported = store.export_people().await.expect("export");
        let ada = exported.iter().find(|p| p.email == "ada@example.com").expect("ada");
        assert_eq!(ada.name, "Ada L.");
        assert_eq!(ada.role, "senior-software-engineer");
        assert_eq!(ada.manager_email.as_deref(), Some("emma@example.com"));
        let history = store.history(ada.id).await.expect("history");
        assert_eq!(history.len(), 2);

        let mut leaving = blank("ada@example.com");
        leaving.status = Some(Status::Left);
        leaving.end_date = Some(day(2026, 1, 31));
        store.import_people(fw(), admin(), vec![leaving]).await.expect("leave by import");
        let reopened = db.open().await;
        let ada = reopened.person(ada.id).await.expect("reads").expect("kept");
        assert_eq!((ada.status, ada.end_date), (Status::Left, Some(day(2026, 1, 31))));
    }
}

both_backends! {
    async fn an_import_with_an_unknown_manager_writes_nothing(db) {
        let store = db.open().await;
        let result = store
            .import_people(fw(), admin(), vec![
                row("ada@example.com", "Ada", "software-engineer", None),
                row("bob@example.com", "Bob", "software-engineer", Some("nobody@example.com")),
            ])
            .await;
        assert_eq!(code(result), "invalid_import");
        assert!(store.export_people().await.expect("export").is_empty());
        assert!(store.audit(None, 10, None).await.expect("audit").is_empty());
    }
}

/// `count` people: managers every 10, each reporting to the next manager up.
fn company(count: usize) -> Vec<ImportPerson> {
    (0..count)
        .map(|i| {
            let manager = if i < 10 {
                None
            } else {
                Some(format!("p{}@example.com", (i / 10) / 10 * 10))
            };
            let role_id = if i % 10 == 0 {
                "engineering-manager"
            } else {
                "software-engineer"
            };
            row(
                &format!("p{i}@example.com"),
                &format!("Person {i}"),
                role_id,
                manager.as_deref(),
            )
        })
        .collect()
}

both_backends! {
    /// 12,000 people take several statements for each table (people,
    /// history, audit), so batch boundaries and shared values are exercised.
    async fn a_large_import_is_written_in_batches(db) {
        let store = db.open().await;
        let indexes_before = people_indexes(&store).await;
        assert_eq!(indexes_before.len(), 3, "{indexes_before:?}");
        let started = Instant::now();
        let summary = store.import_people(fw(), admin(), company(12_000)).await.expect("import");
        eprintln!("12,000 people imported in {:?}", started.elapsed());
        assert_eq!(summary.created, 12_000);
        // The indexes dropped for the bulk write are all back, and the
        // unique one still refuses a duplicate.
        assert_eq!(people_indexes(&store).await, indexes_before);
        let error = sqlx::query(
            "INSERT INTO people (id, name, email, status, role) VALUES (99999, 'X', 'p42@example.com', 'active', 'cto')",
        )
        .execute(store.pool())
        .await
        .expect_err("unique email");
        let sqlx::Error::Database(db_error) = error else { panic!("not a database error") };
        assert!(db_error.is_unique_violation());
        let reopened = db.open().await;
        let exported = reopened.export_people().await.expect("export");
        assert_eq!(exported.len(), 12_000);
        let last = exported.last().expect("people");
        assert_eq!(last.email, "p11999@example.com");
        assert_eq!(last.manager_email.as_deref(), Some("p1190@example.com"));
        for person in [&exported[0], &exported[4_321], last] {
            let history = reopened.history(person.id).await.expect("history");
            assert_eq!(history.len(), 1, "{}", person.email);
            assert_eq!(history[0].to.as_str(), person.role);
            assert_eq!(history[0].reason, climb_people::ChangeReason::Hire);
            assert_eq!(history[0].effective_date, day(2023, 5, 1));
            assert_eq!(history[0].from, None);
        }
        let events = reopened.audit(None, 20_000, None).await.expect("audit");
        assert_eq!(events.len(), 12_000);
        // Newest first, in file order: the last row's event is the last one.
        assert_eq!(events[0].action, "person.hired");
        assert_eq!(events[0].after["person"]["email"], "p11999@example.com");
        assert_eq!(events[11_999].after["person"]["email"], "p0@example.com");
        assert!(events.windows(2).all(|w| w[0].seq > w[1].seq));
        let org = reopened.org().await.expect("org");
        assert_eq!(org.index().len(), 12_000);
        // Ten people at the top (p0 … p9), everyone else somewhere below them.
        let below_tops: usize = exported[..10]
            .iter()
            .map(|p| org.index().headcount_below(p.id).expect("indexed"))
            .sum();
        assert_eq!(below_tops + 10, 12_000);
        // p11999 → p1190 → p110 → p10 → p0.
        assert_eq!(org.index().depth(last.id), Some(4));
    }
}

/// The names and definitions of the people table's own indexes.
async fn people_indexes(store: &climb_store::Store) -> Vec<(String, String)> {
    let catalog = match store.backend() {
        climb_store::Backend::Sqlite => {
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people' \
             AND sql IS NOT NULL ORDER BY name"
        }
        climb_store::Backend::Postgres => {
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE tablename = 'people' \
             AND indexname <> 'people_pkey' ORDER BY indexname"
        }
    };
    sqlx::query_as(catalog)
        .fetch_all(store.pool())
        .await
        .expect("catalog")
}

/// A million people through the bulk path, the index included. Its time is
/// measured by `bench/import.sh`, not here:
/// `cargo test --release -p climb-store --test it -- --ignored a_million`
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "slow: a million people; run in release"]
async fn a_million_people_import_into_sqlite() {
    let db = crate::harness::TestDb::sqlite();
    let store = db.open().await;
    let summary = store
        .import_people(fw(), admin(), company(1_000_000))
        .await
        .expect("import");
    assert_eq!(summary.created, 1_000_000);
    let org = store.org().await.expect("org");
    assert_eq!(org.index().len(), 1_000_000);
}
