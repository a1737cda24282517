//! Framework versions kept in the database: the active one's source, and
//! loading a new version, which moves the holders of renamed roles and is
//! refused while anyone holds a role the new version removes.

use chrono::{DateTime, Utc};
use climb_framework::{Framework, RoleId};
use climb_people::{Actor, Change, ChangeReason, Org, PersonId, RoleChange};

use crate::codec::{from_json, now_text, parse_time, time_text, to_json};
use crate::error::{RemovedRoleHolder, StoreError};
use crate::persist::persist;
use crate::store::{Store, apply_changes, catch_up_in, lock_writers};

/// A framework version as recorded when it was loaded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FrameworkVersion {
    /// Database id (increasing with every load).
    pub id: i64,
    /// The framework's name.
    pub name: String,
    /// Its version label.
    pub version: String,
    /// When it was loaded.
    pub loaded_at: DateTime<Utc>,
    /// Who loaded it.
    pub loaded_by: Actor,
}

/// What a new framework version does to a person's role.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum AffectedOutcome {
    /// The role is renamed by a `[[renames]]` entry: the person moves to `to`.
    Renamed {
        /// The role of the new version.
        to: RoleId,
    },
    /// The role is gone and no rename covers it: loading is refused.
    Removed,
}

/// An active person whose role a new framework version changes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Affected {
    /// Who.
    pub person: PersonId,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// The role they hold now.
    pub role: RoleId,
    /// Renamed or removed.
    #[serde(flatten)]
    pub outcome: AffectedOutcome,
}

/// A person moved by a rename while loading a framework version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Renamed {
    /// Who.
    pub person: PersonId,
    /// The old role id.
    pub from: RoleId,
    /// The new role id.
    pub to: RoleId,
}

/// The result of loading a framework version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LoadOutcome {
    /// The version now active.
    pub version: FrameworkVersion,
    /// Everyone moved by a rename.
    pub renamed: Vec<Renamed>,
}

/// The active people a new framework version affects, by id.
fn affected(org: &Org, new: &Framework) -> Vec<Affected> {
    let mut found: Vec<Affected> = org
        .people()
        .filter(|p| p.is_active() && new.role(p.role.as_str()).is_none())
        .map(|p| {
            let rename = new.renames().iter().find(|r| r.from == p.role);
            Affected {
                person: p.id,
                name: p.name.clone(),
                email: p.email.to_string(),
                role: p.role.clone(),
                outcome: match rename {
                    Some(r) => AffectedOutcome::Renamed { to: r.to.clone() },
                    None => AffectedOutcome::Removed,
                },
            }
        })
        .collect();
    found.sort_by_key(|a| a.person);
    found
}

type VersionRow = (i64, String, String, String, String);

fn version(row: VersionRow) -> Result<FrameworkVersion, StoreError> {
    let (id, name, version, loaded_at, loaded_by) = row;
    Ok(FrameworkVersion {
        id,
        name,
        version,
        loaded_at: parse_time(&loaded_at)?,
        loaded_by: from_json(&loaded_by)?,
    })
}

impl Store {
    /// The active framework version and its source text, or `None` when no
    /// version was ever loaded (then the built-in framework is in force).
    #[tracing::instrument(skip_all)]
    pub async fn active_framework(&self) -> Result<Option<(FrameworkVersion, String)>, StoreError> {
        let row: Option<(i64, String, String, String, String, String)> = sqlx::query_as(
            "SELECT id, name, version, loaded_at, loaded_by, source FROM framework_versions \
             WHERE active = 1 ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(id, name, v, at, by, source)| Ok((version((id, name, v, at, by))?, source)))
            .transpose()
    }

    /// Every loaded framework version, newest first (without sources).
    #[tracing::instrument(skip_all)]
    pub async fn framework_versions(&self) -> Result<Vec<FrameworkVersion>, StoreError> {
        let rows: Vec<VersionRow> = sqlx::query_as(
            "SELECT id, name, version, loaded_at, loaded_by FROM framework_versions ORDER BY id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(version).collect()
    }

    /// The active people whose role `new` renames or removes, by id (for
    /// `climb diff OLD NEW --db URL`).
    #[tracing::instrument(skip_all)]
    pub async fn affected_by(&self, new: &Framework) -> Result<Vec<Affected>, StoreError> {
        let org = self.org().await?;
        Ok(affected(&org, new))
    }

    /// Makes `new` (whose file text is `source`) the active framework in one
    /// transaction: holders of renamed roles move to the new id (a role
    /// change with reason `correction`, audited), and the version is recorded.
    /// Fails with [`StoreError::RolesRemoved`], listing who and where, when
    /// active people hold a role the new version removes; nothing is written then.
    #[tracing::instrument(skip_all, fields(version = %new.meta().version))]
    pub async fn load_framework(
        &self,
        new: &Framework,
        source: &str,
        actor: Actor,
    ) -> Result<LoadOutcome, StoreError> {
        let _writer = self.writer.lock().await;
        let mut tx = self.pool.begin().await?;
        lock_writers(&mut tx).await?;
        let mut state = self.state.write().await;
        catch_up_in(&mut tx, &mut state).await?;

        let found = affected(&state.org, new);
        let removed: Vec<RemovedRoleHolder> = found
            .iter()
            .filter(|a| a.outcome == AffectedOutcome::Removed)
            .map(|a| RemovedRoleHolder {
                person: a.person,
                name: a.name.clone(),
                email: a.email.clone(),
                role: a.role.to_string(),
            })
            .collect();
        if !removed.is_empty() {
            return Err(StoreError::RolesRemoved(removed));
        }

        let at = Utc::now();
        let today = at.date_naive();
        let meta = new.meta();
        let mut renamed = Vec::new();
        let mut changes = Vec::new();
        for a in found {
            if let AffectedOutcome::Renamed { to } = a.outcome {
                changes.push(Change::RoleChanged {
                    change: RoleChange {
                        person: a.person,
                        from: Some(a.role.clone()),
                        to: to.clone(),
                        effective_date: today,
                        reason: ChangeReason::Correction,
                        note: Some(format!(
                            "framework rename ({} {}): {} is now {}",
                            meta.name, meta.version, a.role, to
                        )),
                        proposal: None,
                    },
                });
                renamed.push(Renamed {
                    person: a.person,
                    from: a.role,
                    to,
                });
            }
        }
        let mut seq = state.seen;
        for change in &changes {
            seq = persist(&mut tx, change, actor, at).await?;
        }
        sqlx::query("UPDATE framework_versions SET active = 0 WHERE active = 1")
            .execute(&mut *tx)
            .await?;
        let loaded_at = time_text(at);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO framework_versions (name, version, source, loaded_at, loaded_by, active) \
             VALUES ($1, $2, $3, $4, $5, 1) RETURNING id",
        )
        .bind(meta.name.as_str())
        .bind(meta.version.as_str())
        .bind(source)
        .bind(loaded_at.as_str())
        .bind(to_json(&actor)?)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        apply_changes(&mut state, &changes, seq);
        tracing::info!(id, renamed = renamed.len(), at = %now_text(), "framework loaded");
        Ok(LoadOutcome {
            version: FrameworkVersion {
                id,
                name: meta.name.clone(),
                version: meta.version.clone(),
                loaded_at: parse_time(&loaded_at)?,
                loaded_by: actor,
            },
            renamed,
        })
    }
}
