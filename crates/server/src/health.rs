//! `GET /healthz`: 200 when the store answers a trivial query, 503 otherwise.
//! Needs no token, for load balancers.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

/// The health answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when answered with 200.
    pub status: String,
}

/// Runs a query returning one integer on the store's pool.
pub(crate) async fn scalar(state: &AppState, sql: &'static str) -> Result<i64, ApiError> {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(state.store().pool())
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "store query failed");
            ApiError::Unavailable
        })
}

/// Whether the store answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    security(()),
    responses(
        (status = 200, description = "The store answers", body = Health),
        (status = 503, description = "The store does not answer", body = crate::error::ErrorBody),
    )
)]
pub(crate) async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    scalar(&state, "SELECT 1").await?;
    Ok(Json(Health {
        status: "ok".to_owned(),
    }))
}
