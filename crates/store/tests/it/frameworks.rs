//! Framework versions: the active one, renames that move people, removals
//! that block the load.

use climb_framework::Framework;
use climb_people::ChangeReason;
use climb_store::{AffectedOutcome, StoreError};

use crate::harness::{admin, both_backends, hire};

/// A next version: `senior-software-engineer` renamed to
/// `software-engineer-ii`, every other role but `software-engineer` removed.
const NEXT: &str = r#"
[framework]
name = "Test company"
version = "2027.1"

[[streams]]
id = "engineering"
name = "Engineering"
track = "ic"

[[roles]]
id = "software-engineer"
title = "Software Engineer"
stream = "engineering"
seniority = 2
entry = true

[[roles]]
id = "software-engineer-ii"
title = "Software Engineer II"
stream = "engineering"
seniority = 3

[[transitions]]
from = "software-engineer"
to = "software-engineer-ii"
kind = "promotion"

[[renames]]
from = "senior-software-engineer"
to = "software-engineer-ii"
"#;

fn next_version() -> (Framework, String) {
    match climb_framework::load(NEXT) {
        Ok(framework) => (framework, NEXT.to_owned()),
        Err(report) => panic!("test framework does not check: {report:?}"),
    }
}

both_backends! {
    async fn loading_a_version_with_a_rename_moves_people(db) {
        let store = db.open().await;
        assert!(store.active_framework().await.expect("reads").is_none());
        let ada = hire(&store, "Ada", "senior-software-engineer", None).await;
        let bob = hire(&store, "Bob", "software-engineer", None).await;
        let (new, source) = next_version();

        let affected = store.affected_by(&new).await.expect("affected");
        assert_eq!(affected.len(), 1);
        assert_eq!(affected[0].person, ada);
        assert_eq!(affected[0].outcome, AffectedOutcome::Renamed { to: crate::harness::role("software-engineer-ii") });

        let outcome = store.load_framework(&new, &source, admin()).await.expect("loads");
        assert_eq!(outcome.renamed.len(), 1);
        assert_eq!(outcome.version.version, new.meta().version);
        let reopened = db.open().await;
        let person = reopened.person(ada).await.expect("reads").expect("exists");
        assert_eq!(person.role.as_str(), "software-engineer-ii");
        let history = reopened.history(ada).await.expect("history");
        assert_eq!(history.last().map(|h| h.reason), Some(ChangeReason::Correction));
        assert_eq!(reopened.person(bob).await.expect("reads").map(|p| p.role.to_string()), Some("software-engineer".into()));
        let (active, stored) = reopened.active_framework().await.expect("reads").expect("active");
        assert_eq!(stored, source);
        assert_eq!(active.id, outcome.version.id);
        assert_eq!(reopened.audit(Some(ada), 10, None).await.expect("audit")[0].action, "person.role_changed");
    }
}

both_backends! {
    async fn loading_a_version_that_removes_a_held_role_is_refused_with_the_list(db) {
        let store = db.open().await;
        let ada = hire(&store, "Ada", "architect", None).await;
        let sen = hire(&store, "Sen", "senior-software-engineer", None).await;
        let (new, source) = next_version();
        let affected = store.affected_by(&new).await.expect("affected");
        assert_eq!(affected.iter().map(|a| (a.person, a.outcome.clone())).collect::<Vec<_>>(), vec![
            (ada, AffectedOutcome::Removed),
            (sen, AffectedOutcome::Renamed { to: crate::harness::role("software-engineer-ii") }),
        ]);
        match store.load_framework(&new, &source, admin()).await {
            Err(StoreError::RolesRemoved(holders)) => {
                assert_eq!(holders.len(), 1);
                assert_eq!(holders[0].person, ada);
                assert_eq!(holders[0].email, "ada@example.com");
                assert_eq!(holders[0].role, "architect");
            }
            other => panic!("expected roles_removed, got {other:?}"),
        }
        // Nothing moved, nothing recorded.
        assert_eq!(store.person(sen).await.expect("reads").map(|p| p.role.to_string()), Some("senior-software-engineer".into()));
        assert!(store.active_framework().await.expect("reads").is_none());
    }
}
