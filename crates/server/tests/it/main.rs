//! The server's integration tests: the real server on a socket over a fresh
//! database per test, on SQLite always and on PostgreSQL when
//! `CLIMB_TEST_PG_URL` is set (see `scripts/pg-cluster.sh`).

mod harness;
#[path = "../../../store/tests/it/test_db.rs"]
mod test_db;

mod accounts;
mod audit;
mod concurrent_writes;
mod erasure;
mod errors;
mod framework;
mod headers;
mod insights;
mod instances;
mod mail;
mod one_on_ones;
mod openapi;
mod openings;
mod operations;
mod people;
mod permissions;
mod projects;
mod reviews;
mod scim;
mod scim_corpus;
mod webhooks;
