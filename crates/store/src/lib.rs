//! climb's store: persists the people side on SQLite or PostgreSQL (chosen by
//! the URL) through one query path, keeps the domain [`climb_people::Org`] in
//! memory in step with the database, and writes every change with its audit
//! event in one transaction. The domain decides; the store persists.
//! Erasing a person also scrubs what the manager's side holds about them
//! (see the `erase` module for what goes and what stays).
//! A change that is a webhook event writes its deliveries into the outbox in
//! the same transaction (the `webhooks` module), and a review or proposal
//! change its mail notices (the `mail` module).

mod accounts;
mod backend;
mod backup;
mod chain;
mod codec;
mod erase;
mod error;
mod frameworks;
mod group_commit;
mod import;
mod kept;
mod lease;
mod load;
mod mail;
mod migrate;
mod oidc;
mod one_on_ones;
mod openings;
mod persist;
mod reviews;
mod scim;
mod store;
mod webhooks;

pub use accounts::{
    Account, AccountChange, AccountId, AccountOrder, AccountOverview, ApiToken, NewAccount, TokenId,
};
pub use backend::Backend;
pub use backup::{BackupSummary, restore};
pub use chain::{AuditVerification, Checkpoint, Finding, Tamper};
pub use error::{RemovedRoleHolder, StoreError};
pub use frameworks::{Affected, AffectedOutcome, FrameworkVersion, LoadOutcome, Renamed};
pub use group_commit::WriteBatches;
pub use import::{ExportPerson, ImportPerson, ImportSummary};
pub use mail::{ClaimedMail, MailAccount, MailKind, MailOutcome, MailSettings};
pub use oidc::{LoginRefusal, PendingLogin};
pub use one_on_ones::{ActionItem, AgendaItem, Meeting, Note};
pub use openings::{CompanyUpdate, Opening};
pub use reviews::{Decision, ProposalHead};
pub use scim::{ScimLink, ScimToken, ScimTokenId};
pub use store::{AuditFilter, CatchUp, OrgGuard, Store};
pub use webhooks::{Attempt, Claimed, Delivery, DeliveryStatus, Subscription};
