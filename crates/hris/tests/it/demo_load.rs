//! Loading a generated demo company into a real SQLite store as commands:
//! every rule holds, and history (corrections with their reasons), leavers
//! and projects arrive intact.

use climb_hris::demo::{generate, load};
use climb_people::{ChangeReason, Status};
use climb_store::Store;

#[tokio::test]
async fn a_demo_company_loads_with_its_history_leavers_and_projects() {
    let framework = climb_framework::builtin();
    let company = generate(framework, 150, 7);
    let store = Store::open("sqlite::memory:").await.expect("store opens");

    let loaded = load(&store, framework, &company)
        .await
        .expect("the demo loads");

    assert_eq!(loaded.people.len(), company.people.len());
    assert_eq!(loaded.projects, company.projects.len());
    let org = store.org().await.expect("org");
    for demo in &company.people {
        let id = loaded.person(&demo.row.email).expect("hired");
        let person = org.person(id).expect("in the org");
        assert_eq!(
            Some(&person.role),
            demo.row.role.as_ref(),
            "{}",
            demo.row.email
        );
        assert_eq!(Some(person.status), demo.row.status, "{}", demo.row.email);
        let history = org.history(id);
        assert_eq!(history.len(), demo.history.len(), "{}", demo.row.email);
        assert_eq!(history[0].reason, ChangeReason::Hire);
        for (stored, generated) in history.iter().zip(&demo.history) {
            assert_eq!(stored.reason, generated.reason, "{}", demo.row.email);
            assert_eq!(stored.note, generated.note, "{}", demo.row.email);
        }
        if demo.row.status == Some(Status::Active) {
            let manager = demo
                .row
                .manager_email
                .as_ref()
                .and_then(|m| loaded.person(m));
            assert_eq!(person.manager, manager, "{}", demo.row.email);
        }
    }
}

#[tokio::test]
async fn loading_the_same_demo_twice_is_refused_without_a_crash() {
    let framework = climb_framework::builtin();
    let company = generate(framework, 20, 1);
    let store = Store::open("sqlite::memory:").await.expect("store opens");
    load(&store, framework, &company).await.expect("first load");
    let again = load(&store, framework, &company).await;
    assert!(again.is_err(), "emails are taken the second time");
}
