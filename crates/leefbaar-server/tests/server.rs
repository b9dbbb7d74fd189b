//! The server's integration tests, as one test binary.
//!
//! Each binary links the whole server, typst and its fonts included (about 200 MB in a debug
//! build), so one binary instead of seven saves six links and over a gigabyte of disk per build,
//! and the bundled store is imported once for all of them (`support::app::bundled_store`).
//! Each module below is what used to be a binary of its own; `cargo test -p leefbaar-server
//! --test server api::` runs one of them.

mod support {
    pub mod app;
    pub mod html;
    pub mod store;
    pub mod survey;
}

mod api;
mod cache;
mod factsheet;
mod http;
mod pages;
mod projection_page;
mod survey;
