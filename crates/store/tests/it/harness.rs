//! The test harness: a fresh database per test on each backend. SQLite always
//! (a file in a temporary directory); PostgreSQL when `CLIMB_TEST_PG_URL`
//! names a server (each test creates its own `t_…` database there). With
//! `CLIMB_REQUIRE_PG=1` a missing URL fails the PostgreSQL variants.

use chrono::NaiveDate;
use climb_framework::{Framework, RoleId};
use climb_people::{Actor, Change, Command, Email, PersonId, ProjectId};
use climb_store::Store;

/// Runs a test body once per backend: `mod NAME { fn sqlite; fn postgres }`.
macro_rules! both_backends {
    ($(#[$meta:meta])* async fn $name:ident($db:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $db = crate::harness::TestDb::sqlite();
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($db) = crate::harness::TestDb::postgres().await else {
                    return;
                };
                $body
            }
        }
    };
}
pub(crate) use both_backends;

pub(crate) use crate::test_db::TestDb;

impl TestDb {
    /// Opens a store on it.
    pub(crate) async fn open(&self) -> Store {
        Store::open(&self.url).await.expect("store opens")
    }
}

/// The built-in framework.
pub(crate) fn fw() -> &'static Framework {
    climb_framework::builtin()
}

/// An administrator, allowed everything.
pub(crate) fn admin() -> Actor {
    Actor::admin(None)
}

/// A date.
pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A role id.
pub(crate) fn role(id: &str) -> RoleId {
    RoleId::parse(id).expect("role id")
}

/// Hires someone and returns their id.
pub(crate) async fn hire(
    store: &Store,
    name: &str,
    role_id: &str,
    manager: Option<PersonId>,
) -> PersonId {
    let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
    let changes = store
        .execute(
            fw(),
            admin(),
            Command::Hire {
                id: PersonId(0),
                name: name.to_owned(),
                email: Email::parse(&email).expect("email"),
                role: role(role_id),
                manager,
                start_date: day(2024, 1, 1),
            },
        )
        .await
        .expect("hire");
    match changes.first() {
        Some(Change::PersonHired { person, .. }) => person.id,
        other => panic!("expected a hire, got {other:?}"),
    }
}

/// Creates a project and returns its id.
pub(crate) async fn project(store: &Store, name: &str) -> ProjectId {
    let changes = store
        .execute(
            fw(),
            admin(),
            Command::CreateProject {
                id: ProjectId(0),
                name: name.to_owned(),
            },
        )
        .await
        .expect("create project");
    match changes.first() {
        Some(Change::ProjectCreated { project, .. }) => *project,
        other => panic!("expected a project, got {other:?}"),
    }
}

/// The stable code of a failed call.
pub(crate) fn code<T: std::fmt::Debug>(result: Result<T, climb_store::StoreError>) -> &'static str {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.code(),
    }
}
