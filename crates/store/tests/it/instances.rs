//! Several stores on one database (several `climb serve` instances, or the
//! CLI beside a server), and restarts: state stays identical.

use std::sync::Arc;

use climb_people::Command;
use climb_store::Store;

use crate::harness::{admin, both_backends, day, fw, hire, project, role};

/// Everything the org holds, in a comparable form.
async fn snapshot(store: &Store) -> String {
    let people = store.export_people().await.expect("export");
    let org = store.org().await.expect("org");
    let mut out = format!("{people:?}\n");
    for p in &people {
        out.push_str(&format!(
            "{:?} {:?}\n",
            org.history(p.id),
            org.reports(p.id)
        ));
    }
    let designations: Vec<_> = org.designations().collect();
    let projects: Vec<_> = org.projects().collect();
    out.push_str(&format!("{designations:?}\n{projects:?}\n"));
    out
}

both_backends! {
    async fn a_reopened_store_holds_the_same_state(db) {
        let store = db.open().await;
        let vp = hire(&store, "Vera", "vp-engineering", None).await;
        let em = hire(&store, "Emma", "engineering-manager", Some(vp)).await;
        let ada = hire(&store, "Ada", "senior-software-engineer", Some(em)).await;
        let bob = hire(&store, "Bob", "software-engineer", Some(em)).await;
        store
            .execute(fw(), admin(), Command::ChangeRole {
                person: bob,
                to_role: role("senior-software-engineer"),
                effective_date: day(2025, 4, 1),
                note: None,
                correction: false,
            })
            .await
            .expect("promotion");
        let apollo = project(&store, "Apollo").await;
        let _zeus = project(&store, "Zeus").await;
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
            .execute(fw(), admin(), Command::Leave { person: bob, date: day(2025, 9, 1) })
            .await
            .expect("leave");
        let before = snapshot(&store).await;
        drop(store);
        let reopened = db.open().await;
        assert_eq!(snapshot(&reopened).await, before);
        assert_eq!(reopened.org().await.expect("org").index().headcount_below(vp), Some(2));
    }
}

both_backends! {
    async fn a_write_through_one_store_is_seen_by_another_after_catching_up(db) {
        let one = db.open().await;
        let two = db.open().await;
        let boss = hire(&one, "Boss", "engineering-manager", None).await;
        assert!(two.org_cached().await.person(boss).is_none(), "not yet seen");
        assert_eq!(two.catch_up().await.expect("catch up"), 1);
        assert!(two.org_cached().await.person(boss).is_some());

        // A write through the second decides on the first's latest state.
        let ada = hire(&one, "Ada", "software-engineer", None).await;
        two.execute(fw(), admin(), Command::SetManager { person: ada, manager: Some(boss) })
            .await
            .expect("manager set through the other store");
        assert_eq!(one.org().await.expect("org").reports(boss), vec![ada]);
        assert_eq!(snapshot(&one).await, snapshot(&two).await);
    }
}

both_backends! {
    async fn concurrent_writers_on_two_stores_never_collide(db) {
        let one = Arc::new(db.open().await);
        let two = Arc::new(db.open().await);
        let mut tasks = Vec::new();
        for i in 0..16 {
            let store = if i % 2 == 0 { one.clone() } else { two.clone() };
            tasks.push(tokio::spawn(async move {
                hire(&store, &format!("Person {i}"), "software-engineer", None).await
            }));
        }
        let mut ids = Vec::new();
        for task in tasks {
            ids.push(task.await.expect("task"));
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 16);
        assert_eq!(one.org().await.expect("org").people_count(), 16);
        assert_eq!(snapshot(&one).await, snapshot(&two).await);
        let seqs: Vec<i64> = one.audit(None, 100, None).await.expect("audit").iter().map(|e| e.seq).collect();
        assert_eq!(seqs.len(), 16);
    }
}

both_backends! {
    async fn two_instances_starting_at_once_migrate_once(db) {
        let (one, two) = tokio::join!(Store::open(&db.url), Store::open(&db.url));
        let (one, two) = (one.expect("first opens"), two.expect("second opens"));
        let ada = hire(&one, "Ada", "software-engineer", None).await;
        assert!(two.person(ada).await.expect("reads").is_some());
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schema_migrations")
            .fetch_one(one.pool())
            .await
            .expect("count");
        // Every people-side migration once (the accounts tables keep their
        // own list; a `.then.sql` file is the second half of a migration).
        let known = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
            .expect("migrations folder")
            .filter_map(Result::ok)
            .filter(|f| {
                let name = f.file_name().to_string_lossy().into_owned();
                !name.contains("account") && !name.ends_with(".then.sql")
            })
            .count();
        assert_eq!(applied, i64::try_from(known).expect("a few files"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readers_and_writers_on_an_in_memory_store_do_not_deadlock() {
    let store = Arc::new(Store::open("sqlite::memory:").await.expect("opens"));
    let mut tasks = Vec::new();
    for i in 0..24 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            if i % 2 == 0 {
                hire(&store, &format!("Person {i}"), "software-engineer", None).await;
            } else {
                store.catch_up().await.expect("catch up");
                let _ = store.org().await.expect("org").people_count();
            }
        }));
    }
    let all = async {
        for task in tasks {
            task.await.expect("task");
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(60), all)
        .await
        .expect("no deadlock");
    assert_eq!(store.org().await.expect("org").people_count(), 12);
}
