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
            _ => (self.to_string(), vec![self.to_string()]),
        };
        let body = serde_json::json!({
            "ok": false,
            "error": message,
            "errors": errors,
            "status": status.as_u16(),
        });
        (status, axum::Json(body)).into_response()
    }
}
