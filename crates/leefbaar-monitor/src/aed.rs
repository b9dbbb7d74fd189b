//! The Hartveilig monitor: who lives within reach of an AED available at a moment, per area,
//! and the responders near every AED. Builds on the reach monitor's population points.

pub mod synthetic;
