//! The SCIM link of a person, written while other writers commit: it waits
//! for them rather than failing.

use std::time::Duration;

use chrono::Utc;
use climb_store::ScimLink;

use crate::harness::{both_backends, hire};

both_backends! {
    /// Found by a provisioning benchmark: the link's transaction read
    /// before it wrote, so a writer committing in between made it fail
    /// with "database is locked" (a 500 to the identity provider).
    async fn a_link_written_while_another_writer_commits_waits_for_it(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "software-engineer", None).await;
        let link = ScimLink {
            person: ada,
            user_name: "ada@example.com".to_owned(),
            external_id: Some("00u1".to_owned()),
            given_name: Some("Ada".to_owned()),
            family_name: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            deleted_at: None,
        };
        let lock = db.hold_writers_lock().await;
        let writing = store.put_scim_link(&link);
        let other_writer = async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            lock.commit().await;
        };
        let (written, ()) = tokio::join!(writing, other_writer);
        written.expect("the link waits for the other writer");
        let stored = store.scim_link(ada).await.expect("read").expect("linked");
        assert_eq!(stored.user_name, "ada@example.com");
    }
}
