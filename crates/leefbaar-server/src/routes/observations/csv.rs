//! The observations as CSV, streamed: rows are read from the store on the blocking pool and
//! sent in chunks of about 64 KiB through a bounded channel, so a download of every
//! observation holds a few chunks in memory whatever its size, and stops reading when the
//! client hangs up. A store that fails before the first row gives the API's error answer; one
//! that fails later can only end the body early (the client sees an incomplete transfer).

use std::io;
use std::ops::ControlFlow;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse as _, Response};
use http_body::Frame;
use leefbaar_model::Observation;
use leefbaar_store::ObservationFilter;
use tokio::sync::{mpsc, oneshot};

use crate::{ApiError, AppState};
use leefbaar_release::{CSV_COLUMNS, CsvRow};

/// Bytes gathered before a chunk is sent.
const CHUNK_BYTES: usize = 64 * 1024;

/// Chunks in flight between the store's thread and the client.
const CHUNKS_IN_FLIGHT: usize = 4;

/// The observations of `filter` as a CSV attachment whose body is written while it is read.
pub(super) async fn stream(
    state: &AppState,
    filter: ObservationFilter,
) -> Result<Response, ApiError> {
    let (chunks, receiver) = mpsc::channel::<io::Result<Bytes>>(CHUNKS_IN_FLIGHT);
    let (started, first) = oneshot::channel::<Result<(), ApiError>>();
    let names = state.clone();
    state.spawn_with_store(move |store| {
        let mut started = Some(started);
        let mut writer = Rows::new();
        let mut gone = false;
        let send = |bytes: Bytes, started: &mut Option<oneshot::Sender<_>>| {
            if let Some(started) = started.take() {
                let _ = started.send(Ok(()));
            }
            chunks.blocking_send(Ok(bytes)).is_ok()
        };
        let result = store.each_observation(&filter, &mut |observation| {
            let name = names
                .area(&observation.area)
                .map_or("", |area| area.name.as_str());
            writer.push(&observation, name);
            if writer.len() >= CHUNK_BYTES && !send(writer.take(), &mut started) {
                gone = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        match result {
            Ok(()) if !gone => {
                send(writer.take(), &mut started);
            }
            Ok(()) => {}
            Err(error) => {
                if let Some(started) = started.take() {
                    let _ = started.send(Err(ApiError::from(error)));
                } else {
                    tracing::error!(%error, "the observations CSV ended early: the store failed");
                    let _ = chunks.blocking_send(Err(io::Error::other(error.to_string())));
                }
            }
        }
    });
    first.await.map_err(|_| {
        ApiError::Internal("the CSV's reader stopped before its first row".to_owned())
    })??;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"leefbaar-observations.csv\"",
            ),
        ],
        Body::new(Chunks { receiver }),
    )
        .into_response())
}

/// CSV rows written into a buffer that is handed on whole.
struct Rows {
    writer: ::csv::Writer<Vec<u8>>,
}

impl Rows {
    fn new() -> Rows {
        let mut writer = ::csv::Writer::from_writer(Vec::with_capacity(CHUNK_BYTES + 4096));
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(CSV_COLUMNS);
        Rows { writer }
    }

    fn push(&mut self, observation: &Observation, name: &str) {
        let _ = CsvRow::new(observation, name).write(&mut self.writer);
    }

    /// The bytes written so far (flushed from the writer's own buffer).
    fn len(&mut self) -> usize {
        let _ = self.writer.flush();
        self.writer.get_ref().len()
    }

    fn take(&mut self) -> Bytes {
        let fresh = ::csv::Writer::from_writer(Vec::with_capacity(CHUNK_BYTES + 4096));
        let full = std::mem::replace(&mut self.writer, fresh);
        // Flushing into a Vec cannot fail.
        Bytes::from(full.into_inner().unwrap_or_default())
    }
}

/// The body: the chunks as they arrive, an error ending it early.
struct Chunks {
    receiver: mpsc::Receiver<io::Result<Bytes>>,
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        self.receiver
            .poll_recv(context)
            .map(|chunk| chunk.map(|chunk| chunk.map(Frame::data)))
    }
}
