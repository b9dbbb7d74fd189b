//! The one error shape of the API: `{"ok": false, "error": "...", "errors": [...], "status": N}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An API failure: client errors (bad parameter, unknown thing) are not logged, server
/// errors are, with their cause, while the client sees a generic message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// One or more query parameters are invalid; each message names the parameter and what
    /// is allowed.
    #[error("{}", .0.join("; "))]
    BadRequest(Vec<String>),
    /// The thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The route exists but not for this method: the API is read-only.
    #[error("method {0} is not allowed: the public API is read-only (GET and HEAD)")]
    MethodNotAllowed(String),
    /// Something broke on our side.
    #[error("internal error: {0}")]
    Internal(String),
    /// The client made more requests than its rate allows; answered with `Retry-After`.
    #[error(
        "too many requests from this client; try again in {retry_after_seconds} s (the server's rate limit)"
    )]
    TooManyRequests {
        /// Whole seconds until the next request is accepted.
        retry_after_seconds: u64,
    },
    /// The request has a body larger than the server accepts.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The request's headers are larger than the server accepts.
    #[error("{0}")]
    HeadersTooLarge(String),
    /// The request took longer than the server's limit.
    #[error("{0}")]
    Timeout(String),
    /// The server is not ready to answer (`/readyz`).
    #[error("{0}")]
    Unavailable(String),
}

impl ApiError {
    /// A single bad-parameter message.
    pub fn bad_parameter(message: impl Into<String>) -> ApiError {
        ApiError::BadRequest(vec![message.into()])
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::Timeout(_) | ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl From<leefbaar_store::StoreError> for ApiError {
    fn from(error: leefbaar_store::StoreError) -> ApiError {
        ApiError::Internal(error.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (message, errors) = match &self {
            ApiError::BadRequest(messages) => (self.to_string(), messages.clone()),
            ApiError::Internal(detail) => {
                // Server faults are ours to fix: log the cause, tell the client little.
                tracing::error!(%detail, "request failed");
                let message = "internal error; the server log has the details".to_owned();
                (message.clone(), vec![message])
            }
            ApiError::Timeout(detail) => {
                // Slow answers are ours to look into, but not a fault: a warning.
                tracing::warn!(%detail, "request timed out");
                (self.to_string(), vec![self.to_string()])
            }
            _ => (self.to_string(), vec![self.to_string()]),
        };
        let body = serde_json::json!({
            "ok": false,
            "error": message,
            "errors": errors,
            "status": status.as_u16(),
        });
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::TooManyRequests {
            retry_after_seconds,
        } = self
        {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(retry_after_seconds),
            );
        }
        response
    }
}
