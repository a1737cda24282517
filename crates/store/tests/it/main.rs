//! The store's integration tests: one suite run against SQLite always and
//! PostgreSQL when `CLIMB_TEST_PG_URL` is set (see `scripts/pg-cluster.sh`).

mod harness;
mod test_db;

mod audit;
mod audit_chain;
mod erasure;
mod frameworks;
mod group_commit;
mod import;
mod instances;
mod people;
mod projects;
mod reviews;
mod scim;
mod webhooks;
