//! `GET /metrics` in the Prometheus text format: requests by route, method
//! and status, a latency histogram per route, and store figures (people,
//! the audit log position, the write queue's batches). Recorded by a
//! middleware around every route. Needs no token, like `/healthz`:
//! scrapers rarely carry one, and it shows counts only.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Debug, Default)]
struct Figures {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

/// Request counts and latencies, in memory.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    figures: Mutex<Figures>,
}

impl Metrics {
    fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut figures) = self.figures.lock() else {
            return;
        };
        *figures
            .requests
            .entry((route.to_owned(), method.to_owned(), status))
            .or_default() += 1;
        let histogram = match figures.latency.get_mut(route) {
            Some(h) => h,
            None => figures.latency.entry(route.to_owned()).or_default(),
        };
        histogram.count += 1;
        histogram.sum += seconds;
        for (bucket, bound) in histogram.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
    }

    fn render(&self, out: &mut String) {
        let Ok(figures) = self.figures.lock() else {
            return;
        };
        out.push_str("# HELP climb_http_requests_total HTTP requests answered, by route, method and status.\n");
        out.push_str("# TYPE climb_http_requests_total counter\n");
        for ((route, method, status), n) in &figures.requests {
            let _ = writeln!(
                out,
                "climb_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        out.push_str(
            "# HELP climb_http_request_duration_seconds Time to answer HTTP requests, by route.\n",
        );
        out.push_str("# TYPE climb_http_request_duration_seconds histogram\n");
        for (route, h) in &figures.latency {
            let route = escape(route);
            for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                let _ = writeln!(
                    out,
                    "climb_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "climb_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "climb_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "climb_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: times the request and counts it under its route template.
pub(crate) async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    state.metrics().record(
        &method,
        &route,
        response.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    response
}

/// Prometheus text: request counts, latency histograms, people and audit figures.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    security(()),
    responses(
        (status = 200, description = "Prometheus text format", content_type = "text/plain", body = String),
        (status = 500, description = "The store could not be read", body = crate::error::ErrorBody),
    )
)]
pub(crate) async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let mut out = String::with_capacity(4096);
    state.metrics().render(&mut out);
    let (active, everyone) = {
        let org = state.org().await?;
        (org.index().len(), org.people_count())
    };
    let seq: i64 = sqlx_max_seq(&state).await?;
    out.push_str("# HELP climb_people People recorded, by status.\n# TYPE climb_people gauge\n");
    let _ = writeln!(out, "climb_people{{status=\"active\"}} {active}");
    let _ = writeln!(out, "climb_people{{status=\"left\"}} {}", everyone - active);
    out.push_str(
        "# HELP climb_audit_seq Highest audit log sequence number.\n# TYPE climb_audit_seq gauge\n",
    );
    let _ = writeln!(out, "climb_audit_seq {seq}");
    let written = state.store().write_batches();
    out.push_str(
        "# HELP climb_write_batches_total Batches of changes the write queue wrote, one transaction each.\n# TYPE climb_write_batches_total counter\n",
    );
    let _ = writeln!(out, "climb_write_batches_total {}", written.batches);
    out.push_str(
        "# HELP climb_write_batch_commands_total Commands in those batches.\n# TYPE climb_write_batch_commands_total counter\n",
    );
    let _ = writeln!(out, "climb_write_batch_commands_total {}", written.commands);
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response())
}

async fn sqlx_max_seq(state: &AppState) -> Result<i64, ApiError> {
    crate::health::scalar(state, "SELECT COALESCE(MAX(seq), 0) FROM audit_events").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_requests_render_as_prometheus_text() {
        let metrics = Metrics::default();
        metrics.record("GET", "/api/v1/people/{id}", 200, 0.002);
        metrics.record("GET", "/api/v1/people/{id}", 404, 0.0001);
        let mut out = String::new();
        metrics.render(&mut out);
        assert!(out.contains(
            "climb_http_requests_total{route=\"/api/v1/people/{id}\",method=\"GET\",status=\"200\"} 1"
        ));
        assert!(out.contains(
            "climb_http_request_duration_seconds_bucket{route=\"/api/v1/people/{id}\",le=\"0.0025\"} 2"
        ));
        assert!(out.contains(
            "climb_http_request_duration_seconds_count{route=\"/api/v1/people/{id}\"} 2"
        ));
    }
}
