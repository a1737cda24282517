//! Posting a company update from the home page: a manager to their team,
//! HR or an administrator to the whole company. The home page lists them.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use climb_management::update::{Audience, Post};
use climb_people::policy::Action;
use climb_server::{ApiError, AppState};
use serde::Deserialize;

use crate::error::PageError;
use crate::page::Viewer;

/// The update form.
#[derive(Debug, Deserialize)]
pub(crate) struct UpdateForm {
    title: String,
    body: String,
    audience: String,
}

/// `POST /updates`: posts and goes back to the home page.
pub(crate) async fn post(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<UpdateForm>,
) -> Result<Response, PageError> {
    let company = form.audience == "company";
    let author = {
        let org = state.org().await?;
        viewer.user.act(
            &org,
            &state.framework(),
            &Action::PostUpdate { company },
            "post this update",
        )?;
        viewer.user.actor().person.ok_or(PageError::Status(
            StatusCode::FORBIDDEN,
            "Post updates as a person of the company.",
        ))?
    };
    let post = Post::parse(&form.title, &form.body).map_err(ApiError::from)?;
    let audience = if company {
        Audience::Company
    } else {
        Audience::Team { manager: author }
    };
    state
        .store()
        .post_update(viewer.user.actor(), author, audience, post)
        .await
        .map_err(ApiError::from)?;
    let mut response = StatusCode::SEE_OTHER.into_response();
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/"));
    Ok(response)
}
