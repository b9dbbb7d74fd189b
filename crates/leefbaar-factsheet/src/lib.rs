//! # Fact sheets
//!
//! One area, one theme, one year on one A4 sheet: a title with a map inset of the area within its
//! parent, key-figure tiles next to the municipality (for a district), the province and the
//! Netherlands, charts as inline SVG, a generated text in Dutch or English and a footer with
//! sources, licences, method notes and the date.
//!
//! The crate is pure: [`build()`] turns already-read model values into a [`FactsheetData`],
//! [`html()`] renders it as a self-contained HTML document and, behind the default-on `pdf`
//! feature, `pdf()` renders it as an A4 PDF with typst. No IO, no clock: the date is an input.
//!
//! A sheet shows the catalogue's indicators that carry a fact-sheet flag
//! ([`leefbaar_model::FactsheetUse`]): tiles in their order, the members of each chart, the
//! rankings; a new monitor's indicators reach the sheets by their catalogue entries.
//!
//! [`present`] is the one way Leefbaar writes figures for people (language, number notation,
//! HTML escaping, level names, missing-value and method words), shared with the server's pages.
#![deny(missing_docs)]

mod build;
mod chart;
mod data;
mod error;
mod html;
mod map;
#[cfg(feature = "pdf")]
mod pdf;
pub mod present;
mod text;

pub use build::{BuildInput, build};
pub use data::{
    Chart, ChartKind, ChartSeries, FactsheetData, KeyFigure, MapInset, MapShape, SeriesRole,
    SourceNote, Theme,
};
pub use error::FactsheetError;
pub use html::{STYLESHEET, html, html_with_stylesheet};
#[cfg(feature = "pdf")]
pub use pdf::pdf;
pub use present::{Lang, format_number};
pub use text::summary;
